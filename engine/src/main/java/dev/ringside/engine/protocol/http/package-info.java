/**
 * {@code http}: the HTTP/1.1 plaintext responder (session, pre-built responses, cached date), the HTTP/1.1
 * client codec of the load generator, and the registry entry ({@link dev.ringside.engine.protocol.http.Http}).
 */
package dev.ringside.engine.protocol.http;
