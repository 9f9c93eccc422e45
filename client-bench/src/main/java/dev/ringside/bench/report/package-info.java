/**
 * What the user sees: the live progress line, the text summary with its percentile table and warnings, the
 * JSON summary, and the self-contained HTML report (inline SVG charts, nothing fetched from the network).
 */
package dev.ringside.bench.report;
