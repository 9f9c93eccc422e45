#!/usr/bin/env bash
# The engine against a plain blocking Java echo server, in one session (perf/RESULTS.md, "Engine core
# (issue 2)"): ringside's selector loop and its thread-per-connection model serve the same echo sessions,
# driven by the same ringside bench:
#   1. 1,000 connections, 64 B, open loop at RATE msg/s, then closed loop (1 in flight each): achieved rate
#      and server CPU time per echoed message (utime+stime from /proc over the measured window);
#   2. 1 connection ping-pong, 64 B: latency percentiles.
# Server pinned to CPU 0, generator to CPU 1. Each shape runs ROUNDS times, alternating servers.
# Loopback only; every process it starts is stopped by its PID.
#
#   perf/scripts/engine-vs-blocking.sh [SECONDS] [RATE] [ROUNDS]     (defaults: 10 30000 2)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_PER_RUN="${1:-10}"
RATE="${2:-30000}"
ROUNDS="${3:-2}"
OUT="$(mktemp -d)"
header
echo "| round | server | load | achieved msg/s | server CPU % | server CPU us/msg | p50 us | p99 us | p99.9 us | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for round in $(seq 1 "$ROUNDS"); do
    for model in selector thread; do
        for shape in "1000 open" "1000 closed" "1 closed"; do
            set -- $shape
            PORT=$(free_port)
            taskset -c 0 "${RINGSIDE[@]}" server --model "$model" --tcp "127.0.0.1:$PORT" --ring-capacity 4k \
                --no-counters-file >"$OUT/server-$model.log" 2>&1 &
            SERVER=$!; PIDS+=("$SERVER")
            wait_port "$PORT"
            if [[ $2 == open ]]; then load=(--rate "$RATE"); label="$1 conns, open $RATE/s"
            else load=(--closed-loop --pipeline 1); label="$1 conns, closed loop"; fi
            name="$round-$model-$1-$2"
            taskset -c 1 "${RINGSIDE[@]}" bench --target "127.0.0.1:$PORT" --protocol echo --size 64 \
                --connections "$1" "${load[@]}" --duration "${SECONDS_PER_RUN}s" --warmup 3s --connect-rate 10000 \
                --no-progress --json "$OUT/$name.json" >"$OUT/$name.txt" 2>&1 &
            GEN=$!; PIDS+=("$GEN")
            measure_window "$SERVER" "$GEN" "$OUT/$name.json" "$SECONDS_PER_RUN"
            rate=$ACHIEVED; cpu=$CPU_PCT; us=$CPU_US
            printf '| %s | %s | %s | %.0f | %s | %s | %.1f | %.1f | %.1f | %s |\n' "$round" "$model" "$label" "$rate" \
                "$cpu" "$us" "$(json_number "$OUT/$name.json" latencyUs.p50)" \
                "$(json_number "$OUT/$name.json" latencyUs.p99)" "$(json_number "$OUT/$name.json" latencyUs.p999)" \
                "$(json_number "$OUT/$name.json" errors.total)"
        done
    done
done
echo "# raw outputs in $OUT"
