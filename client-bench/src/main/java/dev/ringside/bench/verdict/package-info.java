/**
 * What a run's figures mean for the user and for CI: the cause of a shortfall, service-level objectives
 * ({@code --slo}), and the verdict with its exit status.
 */
package dev.ringside.bench.verdict;
