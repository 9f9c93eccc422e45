/**
 * {@code sockperf}: the real sockperf tool's wire format, answered as {@code sockperf server} does and spoken as
 * its client does, and the registry entry ({@link dev.ringside.engine.protocol.sockperf.Sockperf}).
 */
package dev.ringside.engine.protocol.sockperf;
