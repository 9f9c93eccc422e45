#!/usr/bin/env bash
# Past one process (perf/RESULTS.md, "Past one process: server and UDP (issue 12)"), in one session:
#   1. the prefork server with 2 worker processes (server --processes 2) against one selector loop (server
#      --model selector): echo, 1,000 connections, 64 B, closed loop (1 in flight each); achieved msg/s and
#      server CPU time per message (utime+stime of the server's whole process tree from /proc over the measured
#      window). Server pinned to CPU 0 (both workers share it), generator to CPU 1; ROUNDS rounds, alternating.
#   2. UDP client sockets: peak RSS of one generator (bench --udp) at 100 and at SOCKETS sockets, and the
#      difference per socket; with BEFORE_JAR set, the same with that jar (built before issue 12) beside it.
# Loopback only; every process it starts is stopped by its PID.
#
#   flock /tmp/ringside-bench.lock perf/scripts/prefork.sh [SECONDS] [ROUNDS] [SOCKETS]   (defaults: 10 2 10000)
#   BEFORE_JAR=/path/to/old/ringside.jar flock /tmp/ringside-bench.lock perf/scripts/prefork.sh ...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_PER_RUN="${1:-10}"
ROUNDS="${2:-2}"
SOCKETS="${3:-10000}"
OUT="$(mktemp -d)"
header
echo
echo "## prefork 2 workers vs one selector loop: echo, 1,000 connections, closed loop, server on CPU 0"
echo "| round | server | load before | achieved msg/s | server CPU % | server CPU us/msg | p99 us | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
declare -A RATE_SUM CPU_SUM
for round in $(seq 1 "$ROUNDS"); do
    for server in selector prefork2; do
        PORT=$(free_port)
        if [[ $server == selector ]]; then args=(--model selector); else args=(--processes 2); fi
        taskset -c 0 "${RINGSIDE[@]}" server "${args[@]}" --tcp "127.0.0.1:$PORT" --ring-capacity 4k \
            --no-counters-file >"$OUT/server-$round-$server.log" 2>&1 &
        SERVER=$!; PIDS+=("$SERVER")
        wait_port "$PORT"
        load=$(cut -d' ' -f1 /proc/loadavg)
        name="$round-$server"
        taskset -c 1 "${RINGSIDE[@]}" bench --target "127.0.0.1:$PORT" --protocol echo --size 64 \
            --connections 1000 --closed-loop --pipeline 1 --duration "${SECONDS_PER_RUN}s" --warmup 3s \
            --connect-rate 10000 --no-progress --json "$OUT/$name.json" >"$OUT/$name.txt" 2>&1 &
        GEN=$!; PIDS+=("$GEN")
        measure_window "$SERVER" "$GEN" "$OUT/$name.json" "$SECONDS_PER_RUN" tree_ticks
        rate=$ACHIEVED; cpu=$CPU_PCT; us=$CPU_US
        RATE_SUM[$server]=$(echo "${RATE_SUM[$server]:-0} + $rate" | bc)
        CPU_SUM[$server]=$(echo "${CPU_SUM[$server]:-0} + $us" | bc)
        printf '| %s | %s | %s | %.0f | %s | %s | %.1f | %s |\n' "$round" "$server" "$load" "$rate" "$cpu" "$us" \
            "$(json_number "$OUT/$name.json" latencyUs.p99)" "$(json_number "$OUT/$name.json" errors.total)"
    done
done
printf 'ratio prefork2 / selector (means over %s rounds): msg/s %.2f, CPU us/msg %.2f\n' "$ROUNDS" \
    "$(echo "scale=4; ${RATE_SUM[prefork2]} / ${RATE_SUM[selector]}" | bc)" \
    "$(echo "scale=4; ${CPU_SUM[prefork2]} / ${CPU_SUM[selector]}" | bc)"

echo
echo "## UDP client sockets: generator peak RSS (bench --udp, echo, 1 msg/s per socket, 3 s)"
echo "| jar | sockets | load before | peak RSS KiB | sent | completed | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
JARS=("after=$ROOT/client-bench/target/ringside.jar")
if [[ -n ${BEFORE_JAR:-} ]]; then JARS=("before=$BEFORE_JAR" "${JARS[@]}"); fi
PORT=$(free_port)
# A 4 MiB socket buffer (net.core.rmem_max here): a generator that stalls on a busy box sends a burst.
: >"$OUT/udp-server.log"
taskset -c 0 "${RINGSIDE[@]}" server --tcp "127.0.0.1:$(free_port)" --udp "127.0.0.1:$PORT" --no-counters-file \
    --udp-receive-buffer 4m >"$OUT/udp-server.log" 2>&1 &
UDP_SERVER=$!; PIDS+=("$UDP_SERVER")
for _ in $(seq 1 400); do grep -q "listening udp" "$OUT/udp-server.log" && break; sleep 0.05; done
declare -A RSS
for entry in "${JARS[@]}"; do
    label=${entry%%=*}; jar=${entry#*=}
    for n in 100 "$SOCKETS"; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        name="udp-$label-$n"
        taskset -c 1 /usr/bin/time -f '%M' -o "$OUT/$name.rss" "$JAVA" "${FLAGS[@]}" -jar "$jar" bench --udp \
            --target "127.0.0.1:$PORT" --protocol echo --size 64 --connections "$n" --rate "$n" --duration 3s \
            --warmup 2s --timeout 2s --no-progress --json "$OUT/$name.json" >"$OUT/$name.txt" 2>&1 || true
        RSS[$label-$n]=$(tail -1 "$OUT/$name.rss")
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$n" "$load" "${RSS[$label-$n]}" \
            "$(json_number "$OUT/$name.json" requests.sent)" "$(json_number "$OUT/$name.json" requests.completed)" \
            "$(json_number "$OUT/$name.json" errors.total)"
    done
    printf '%s: RSS per UDP socket = (RSS at %s - RSS at 100) / %s = %.0f bytes\n' "$label" "$SOCKETS" \
        "$((SOCKETS - 100))" "$(echo "scale=2; 1024 * (${RSS[$label-$SOCKETS]} - ${RSS[$label-100]}) / ($SOCKETS - 100)" | bc)"
done
kill "$UDP_SERVER"; wait "$UDP_SERVER" 2>/dev/null || true
echo "# raw outputs in $OUT"
