/**
 * The classic server models beside the selector loop: iterative, thread per connection, a fixed pool,
 * virtual threads, and worker processes. They run the same {@link dev.ringside.engine.protocol.Session}
 * objects as the loop over blocking sockets, and publish the same counters, so a comparison measures the
 * model and nothing else.
 */
package dev.ringside.engine.model;
