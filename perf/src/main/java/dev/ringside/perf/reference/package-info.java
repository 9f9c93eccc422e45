/**
 * Reference servers the end-to-end harness measures Ringside against: Netty 4.2 echo with one event loop,
 * on its NIO transport and on its native epoll transport.
 */
package dev.ringside.perf.reference;
