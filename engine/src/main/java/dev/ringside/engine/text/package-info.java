/**
 * Text output shared by the commands of every module: JSON writing.
 */
package dev.ringside.engine.text;
