package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare --sweep} end to end: a real server child per model, a two-rate SLO search each. */
class CompareSweepTest {
    @TempDir
    Path dir;

    // Catches: a model left out of the sweep, a cell whose steps are not its own (the JSON would not hold
    // two steps per cell), a report without the per-model knee chart and table, or a step without the
    // server's cost (the meter not attached, or one meter for the whole cell: threads and memory unknown).
    @Test
    @Timeout(120)
    void shouldGiveEveryModelTheSameSearchAndTabulateTheHighestRateUnderTheSlo() throws Exception {
        final Path json = dir.resolve("knee.json");
        final Path report = dir.resolve("knee.html");
        final CliRun run = CliRun.of("compare", "--models", "selector,thread", "--connections", "2", "--sweep",
            "200,400", "--slo", "p99=2s", "--duration", "500ms", "--warmup", "200ms", "--no-pin", "--logs",
            dir.resolve("logs").toString(), "--json", json.toString(), "--report", report.toString());
        // Plumbing, not speed: a loaded machine may make a step fall short, so rates are not asserted.
        assertEquals(0, run.status(), "exit " + run.status() + "\n" + run.out() + run.err());
        assertTrue(run.out().contains("Highest rate under the SLO (p99=2s)"), run.out());
        for (final String model : List.of("selector", "thread")) {
            assertTrue(run.out().lines().anyMatch(line -> line.matches("\\s+" + model + "\\s+2\\s+\\S+\\s+.+")),
                run.out());
        }
        final Object root = MiniJson.parse(Files.readString(json, StandardCharsets.UTF_8));
        final List<?> cells = (List<?>) MiniJson.at(root, "cells");
        assertEquals(2, cells.size());
        for (final Object cell : cells) {
            final List<?> steps = (List<?>) MiniJson.at(cell, "sweep.steps");
            assertTrue(steps.size() >= 1);
            assertTrue(MiniJson.at(cell, "highestRate") instanceof Number);
            for (final Object step : steps) {
                assertTrue(((Number) MiniJson.at(step, "server.rssBytes")).doubleValue() > 1 << 20, step.toString());
                assertTrue(((Number) MiniJson.at(step, "server.threads")).doubleValue() >= 1, step.toString());
                // CPU time has a 10 ms tick: a short step may count 0 ticks, but it is measured, not null. Per
                // reply is null when no reply to a window request came inside the window (a stalled machine).
                assertTrue(MiniJson.at(step, "server.cpuPercent") instanceof Number, step.toString());
                assertTrue(((Map<?, ?>) MiniJson.at(step, "server")).containsKey("cpuUsPerMessage"), step.toString());
            }
        }
        assertTrue(run.out().contains("srv cpu") && run.out().contains("selector, 2 connections:"), run.out());
        final String html = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(html.contains("The knee at 2 connections") && html.contains(">selector<")
            && html.contains(">thread<"), html);
        assertTrue(html.contains("Server CPU per reply at 2 connections") && html.contains("server cpu/msg"), html);
        assertTrue(run.out().contains("verdict: COMPLETE (exit 0)"), run.out());
    }
}
