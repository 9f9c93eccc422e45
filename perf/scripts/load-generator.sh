#!/usr/bin/env bash
# Measures the load generator itself (perf/RESULTS.md, "Load generator (issue 4)"):
#   1. its ceiling: messages/s generated and verified on one generator thread against the engine's echo,
#      server pinned to CPU 0, generator pinned to CPU 1, with the CPU each process used;
#   2. its latency floor with one connection, against the real `sockperf server`, beside `sockperf
#      ping-pong` against the same server, in the same session.
# Loopback only; every process it starts is stopped by its PID. Needs taskset and sockperf (Debian).
#
#   perf/scripts/load-generator.sh [SECONDS]      (default 10 s per measurement)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_PER_RUN="${1:-10}"
OUT="$(mktemp -d)"
JAR="$ROOT/client-bench/target/ringside.jar"
header

# --- 1. ceiling ------------------------------------------------------------------------------------------
PORT=$(free_port)
taskset -c 0 "${RINGSIDE[@]}" server --tcp "127.0.0.1:$PORT" --no-counters-file >"$OUT/server.log" 2>&1 &
SERVER=$!; PIDS+=("$SERVER")
wait_port "$PORT"
# Each shape: connections, then either "closed PIPELINE" or "open RATE".
for shape in "8 closed 32" "64 closed 8" "1 closed 1" "1000 open 50000" "1000 open 100000" "1000 open 200000"; do
    set -- $shape
    if [[ $2 == closed ]]; then load=(--closed-loop --pipeline "$3"); else load=(--rate "$3"); fi
    name="ceiling-$1-$2-$3"
    taskset -c 1 "${RINGSIDE[@]}" bench --target "127.0.0.1:$PORT" --protocol echo --size 64 --connections "$1" \
        "${load[@]}" --duration "${SECONDS_PER_RUN}s" --warmup 3s --connect-rate 10000 --no-progress \
        --json "$OUT/$name.json" >"$OUT/$name.txt" 2>&1 &
    GEN=$!; PIDS+=("$GEN")
    # CPU of both processes inside the measurement window (JVM start, ramp and warm-up left out).
    sleep 4.5
    g0=$(cpu_ticks "$GEN"); s0=$(cpu_ticks "$SERVER"); t0=$(date +%s.%N)
    sleep $((SECONDS_PER_RUN - 2))
    g1=$(cpu_ticks "$GEN"); s1=$(cpu_ticks "$SERVER"); t1=$(date +%s.%N)
    wait "$GEN"
    hz=$(getconf CLK_TCK)
    rate=$(grep -m1 '"achieved"' "$OUT/$name.json" | tr -dc '0-9.')
    errors=$(grep -A1 '"errors"' "$OUT/$name.json" | grep -m1 total | tr -dc '0-9')
    gen_cpu=$(echo "scale=0; 100 * ($g1 - $g0) / $hz / ($t1 - $t0)" | bc)
    server_cpu=$(echo "scale=0; 100 * ($s1 - $s0) / $hz / ($t1 - $t0)" | bc)
    gen_us=$(echo "scale=2; 1000000 * ($g1 - $g0) / $hz / ($rate * ($t1 - $t0))" | bc)
    echo "ceiling: echo 64 B, $1 connections, $2 loop $3: $rate msg/s verified, errors $errors;" \
        "CPU in the window: generator ${gen_cpu}% (${gen_us} us CPU per message), server ${server_cpu}%"
    grep -E "^  (corrected|uncorrected) |^WARNING" "$OUT/$name.txt" | sed 's/^/    /'
done
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

# --- 2. latency floor, one connection, against the real sockperf server ---------------------------------
for transport in tcp udp; do
    PORT=$(free_port)
    if [[ $transport == tcp ]]; then
        taskset -c 0 sockperf server --tcp -i 127.0.0.1 -p "$PORT" >"$OUT/sockperf-server-$transport.log" 2>&1 &
    else
        taskset -c 0 sockperf server -i 127.0.0.1 -p "$PORT" >"$OUT/sockperf-server-$transport.log" 2>&1 &
    fi
    SP=$!; PIDS+=("$SP")
    sleep 0.5
    flag=(); [[ $transport == tcp ]] && flag=(--tcp); bflag=(); [[ $transport == udp ]] && bflag=(--udp)
    echo "floor ($transport, 64 B, 1 connection, one message in flight; RTT in us):"
    taskset -c 1 sockperf ping-pong "${flag[@]}" -i 127.0.0.1 -p "$PORT" -m 64 -t "$SECONDS_PER_RUN" --full-rtt \
        >"$OUT/pingpong-$transport.txt" 2>&1
    awk '/avg-rtt|percentile (50|90|99|99.900|99.990)\.|<MAX>/ {print "    sockperf ping-pong: " $0}' \
        "$OUT/pingpong-$transport.txt" | sed 's/sockperf: //'
    for idle in block spin; do
        taskset -c 1 "${RINGSIDE[@]}" bench --target "127.0.0.1:$PORT" "${bflag[@]}" --protocol sockperf --size 64 \
            --connections 1 --closed-loop --duration "${SECONDS_PER_RUN}s" --warmup 3s --idle "$idle" \
            --no-progress >"$OUT/ringside-$transport-$idle.txt" 2>&1
        grep -E "^  (rate|errors|corrected) " "$OUT/ringside-$transport-$idle.txt" \
            | sed "s/^/    ringside bench --idle $idle: /"
    done
    kill "$SP"; wait "$SP" 2>/dev/null || true
done
echo "# raw outputs in $OUT"
trap - EXIT
cleanup
