#!/usr/bin/env bash
# The knee of three echo servers side by side in one session: Ringside's selector loop, its thread-per-
# connection model, and Netty 4.2 NIO (perf's reference server). Each is a child process pinned to CPU 0;
# `ringside sweep --slo` runs from CPU 1 against each in turn and finds the highest rate whose corrected p99
# stays under the objective (perf/RESULTS.md, "Knee (issue 14)").
#
#   flock /tmp/ringside-bench.lock perf/scripts/knee.sh [CONNECTIONS] [SLO] [RATES] [STEP_SECONDS] [WARMUP_SECONDS]
#   defaults:                                            1000          p99=1ms 5k..160k 3              2
#
# Each server first gets PREWARM_S (default 5) seconds of unmeasured load at PREWARM_RATE (default 5000 msg/s)
# from a throwaway bench: a fresh server JVM pinned to one core compiles its hot path on that same core during
# its first seconds, and without this the first step of every sweep measured that (p99 6-11 ms at 5k msg/s for
# all three servers in the 13:17 run, then well under 1 ms at 10k). WARMUP_SECONDS does the same for the sweep's
# own fresh JVM at the start of every step.
#
# SWEEP_PIN=loop pins only the sweep's loop threads to CPU 1 (`sweep --cpus 1`, as `compare` pins them), leaving
# its JIT and GC threads free to run on CPU 0; the default, SWEEP_PIN=jvm, pins the whole sweep JVM to CPU 1
# (`taskset -c 1`), where a compiler thread can only run by preempting the loop (the leading explanation of the
# low-rate p99 misses: perf/scripts/low-rate-tail.sh, perf/RESULTS.md "Idle policy, timeouts (session 5)").
#
# Needs client-bench/target/ringside.jar and perf/target/benchmarks.jar (built when missing). Every process it
# starts is stopped by its pid on exit. Output: each sweep's table on stdout; JSON and HTML per server in a
# temporary directory (printed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CONNECTIONS=${1:-1000}
SLO=${2:-p99=1ms}
RATES=${3:-5k..160k}
STEP_S=${4:-3}
WARMUP_S=${5:-2}
PREWARM_S=${PREWARM_S:-5}
PREWARM_RATE=${PREWARM_RATE:-5000}
case ${SWEEP_PIN:-jvm} in
    jvm) SWEEP_TASKSET=(taskset -c 1); SWEEP_CPUS=() ;;
    loop) SWEEP_TASKSET=(); SWEEP_CPUS=(--cpus 1) ;;
    *) echo "SWEEP_PIN is jvm or loop, not ${SWEEP_PIN}" >&2; exit 2 ;;
esac
JAR="$ROOT/client-bench/target/ringside.jar"
PERF_JAR="$ROOT/perf/target/benchmarks.jar"
if [[ ! -f $JAR || ! -f $PERF_JAR ]]; then
    (cd "$ROOT" && mvn -q -B -o -DskipTests -pl perf -am package)
fi
OUT="$(mktemp -d /tmp/knee.XXXXXX)"
echo "# knee: echo, $CONNECTIONS connections, --slo $SLO, --rates $RATES, ${STEP_S}s steps (+${WARMUP_S}s warm-up," \
    "each server pre-warmed ${PREWARM_S}s at $PREWARM_RATE msg/s);" \
    "servers on CPU 0, generator on CPU 1 (sweep pinned: ${SWEEP_PIN:-jvm}); $("$JAVA" -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# outputs in $OUT"
for name in selector thread netty-nio; do
    port=$(free_port)
    case $name in
        netty-nio) cmd=("$JAVA" "${FLAGS[@]}" -Dio.netty.leakDetection.level=disabled -cp "$PERF_JAR"
                        dev.ringside.perf.reference.NettyEchoServer nio --tcp "127.0.0.1:$port") ;;
        *) cmd=("$JAVA" "${FLAGS[@]}" -jar "$JAR" server --model "$name" --protocol echo --tcp "127.0.0.1:$port"
                --no-counters-file --ring-capacity 4096) ;;
    esac
    taskset -c 0 "${cmd[@]}" >"$OUT/server-$name.log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    wait_port "$port" || { echo "server $name did not start; see $OUT/server-$name.log" >&2; exit 1; }
    echo "## $name (pid $pid, port $port); load $(cut -d' ' -f1-3 /proc/loadavg)"
    taskset -c 1 "$JAVA" "${FLAGS[@]}" -jar "$JAR" bench --target "127.0.0.1:$port" --connections "$CONNECTIONS" \
        --rate "$PREWARM_RATE" --duration "${PREWARM_S}s" --warmup 0 --no-progress >"$OUT/prewarm-$name.txt" 2>&1 || true
    "${SWEEP_TASKSET[@]}" "$JAVA" "${FLAGS[@]}" -jar "$JAR" sweep "${SWEEP_CPUS[@]}" --target "127.0.0.1:$port" \
        --connections "$CONNECTIONS" --rates "$RATES" --steps 6 --slo "$SLO" --duration "${STEP_S}s" --warmup "${WARMUP_S}s" --no-progress \
        --json "$OUT/$name.json" --report "$OUT/$name.html" 2>"$OUT/sweep-$name.err" || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
