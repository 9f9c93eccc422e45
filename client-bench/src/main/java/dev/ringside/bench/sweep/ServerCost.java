package dev.ringside.bench.sweep;

/**
 * What the server spent during one step, when the sweep started the server itself and can read its process
 * tree ({@code compare --sweep}); a plain {@code ringside sweep} against any target has none.
 *
 * @param cpuUsPerMessage server CPU time (user + system, whole process tree) in the step's window per reply
 *                        in it, in µs; NaN when unknown
 * @param cpuPercent      server CPU use over the window, percent of one CPU; NaN when unknown
 * @param rssBytes        most resident memory seen during the step (sampled each second), summed over the
 *                        server's processes; -1 when unknown
 * @param threads         most server threads seen at once during the step; -1 when unknown
 */
public record ServerCost(double cpuUsPerMessage, double cpuPercent, long rssBytes, int threads) {
}
