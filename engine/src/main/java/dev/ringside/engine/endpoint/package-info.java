/**
 * Selector endpoints: the TCP listener, TCP connections (accepted and outbound) and UDP endpoints, each
 * owned by one event loop.
 */
package dev.ringside.engine.endpoint;
