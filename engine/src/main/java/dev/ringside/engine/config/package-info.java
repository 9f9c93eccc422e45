/**
 * Validated settings of an event loop: ring and pool sizes, limits, budgets, timeouts and idle strategy.
 */
package dev.ringside.engine.config;
