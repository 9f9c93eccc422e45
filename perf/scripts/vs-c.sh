#!/usr/bin/env bash
# Ringside against C, side by side in one run (issue 13; perf/RESULTS.md, "Speed (issue 13)"):
#
#   flock /tmp/ringside-bench.lock perf/scripts/vs-c.sh [SECONDS] [ROUNDS]
#       SECONDS  measured seconds per run (default 5; each run adds a 2 s warm-up)
#       ROUNDS   repetitions of every run, interleaved so drift in the machine's load hits every side (default 3)
#
# It builds the C reference (perf/c/echo-server.c, perf/c/load-client.c) with `cc -O2` into a temporary
# directory, starts the servers pinned to CPU 0 (the C epoll echo server, `ringside server` with one selector
# loop, and the Netty 4.2 NIO echo server from perf/target/benchmarks.jar), and drives them from CPU 1:
#
#   ceiling  generator ceiling: 100 connections x 16 in flight, closed loop, 64 B echo, against the C server:
#            `ringside bench` (verification and both histograms on), `ringside bench --no-verify`, and the C
#            load client. Ratio: ringside msg/s / C client msg/s.
#   cpu1     server CPU per message at 1,000 connections x 1 in flight, driven by the C client:
#            ringside / C server and ringside / Netty NIO.
#   cpu16    the same at 100 x 16.
#   churn    connect, 64 B, read, close (C client, CHURN_SLOTS at a time, default 16): connections/s and server
#            CPU per connection, ringside / C server.
#
# BASELINE_JAR=path/to/an/older/ringside.jar adds that build beside the current one in every ringside row
# ("base": its server in cpu1, cpu16 and churn, its bench in ceiling), for before/after ratios in one session.
# PREWARM_S (default 6) is the unrecorded pass per load shape and server before the first round (JIT warm-up).
# RINGSIDE_JAR and PERF_JAR override the jars measured (default: this checkout's client-bench and perf builds).
#
# Server CPU is utime+stime of the server process (all threads, /proc/PID/stat) over the measured window, read
# by the C client itself at the window's edges (-S PID). Every ratio is taken within a round (the two sides
# measured minutes apart at most) and the summary gives its median and its range over the rounds, with the
# load average at the start and the end. Loopback only; every run is bounded by `timeout`; every process it
# starts is stopped by its PID. Raw output stays in the printed temporary directory.
set -euo pipefail
# One compound command: parsed whole before it runs, so editing the file cannot change a running session.
{
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_RUN="${1:-5}"
ROUNDS="${2:-3}"
WARMUP_S=2
CHURN_SLOTS="${CHURN_SLOTS:-16}"
# The unrecorded pass per load shape before the rounds. C2 was still compiling 6-11 s into a shape at load 7-8
# (1.5% of the server's CPU at 1,000 x 1, 8.9% in churn: perf/RESULTS.md, "Server CPU, session 5"), so 2 s left the
# first round's Java servers paying for their JIT and the C server not.
PREWARM_S="${PREWARM_S:-6}"
OUT="$(mktemp -d /tmp/vs-c.XXXXXX)"

JAR="${RINGSIDE_JAR:-$ROOT/client-bench/target/ringside.jar}"
PERF_JAR="${PERF_JAR:-$ROOT/perf/target/benchmarks.jar}"
if [[ ! -f "$JAR" || ! -f "$PERF_JAR" ]]; then
    echo "building ringside.jar and benchmarks.jar..." >&2
    (cd "$ROOT" && mvn -q -B -o -DskipTests -Dcheckstyle.skip -pl perf -am package) >&2
fi
# Run from copies, so a rebuild during the session cannot change what is measured half-way.
cp "$JAR" "$OUT/ringside.jar"; JAR="$OUT/ringside.jar"
cp "$PERF_JAR" "$OUT/benchmarks.jar"; PERF_JAR="$OUT/benchmarks.jar"
BASE=""
if [[ -n ${BASELINE_JAR:-} ]]; then cp "$BASELINE_JAR" "$OUT/baseline.jar"; BASELINE_JAR="$OUT/baseline.jar"; BASE=base; fi
cc -O2 -Wall -o "$OUT/echo-server" "$ROOT/perf/c/echo-server.c"
cc -O2 -Wall -o "$OUT/load-client" "$ROOT/perf/c/load-client.c"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 -XX:+UseParallelGC)
RINGSIDE=("$JAVA" "${FLAGS[@]}" ${RINGSIDE_JAVA_OPTS:-} -jar "$JAR")
NETTY=("$JAVA" "${FLAGS[@]}" -Dio.netty.leakDetection.level=disabled -cp "$PERF_JAR"
    dev.ringside.perf.reference.NettyEchoServer)
RUN_LIMIT=$((SECONDS_PER_RUN + WARMUP_S + 60))

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() { for _ in $(seq 1 400); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, $("$JAVA" -version 2>&1 | head -1), $(cc --version | head -1)"
echo "# load at start: $(load); raw outputs in $OUT"

# --- servers, all pinned to CPU 0; an idle one blocks in epoll_wait and costs nothing ----------------------
declare -A PORT PID
for name in c ringside netty $BASE; do PORT[$name]=$(free_port); done
start_server() {  # name, command...
    local name=$1; shift
    "$@" >"$OUT/server-$name.log" 2>&1 &
    PID[$name]=$!; PIDS+=("$!")
    wait_port "${PORT[$name]}" || { echo "server $name did not start; see $OUT/server-$name.log" >&2; exit 1; }
}
start_server c taskset -c 0 "$OUT/echo-server" -p "${PORT[c]}"
start_server ringside taskset -c 0 "${RINGSIDE[@]}" server --tcp "127.0.0.1:${PORT[ringside]}" --no-counters-file
start_server netty taskset -c 0 "${NETTY[@]}" nio --tcp "127.0.0.1:${PORT[netty]}"
if [[ -n $BASE ]]; then
    start_server base taskset -c 0 "$JAVA" "${FLAGS[@]}" -jar "$BASELINE_JAR" server --tcp "127.0.0.1:${PORT[base]}" \
        --no-counters-file
fi

# --- runs ----------------------------------------------------------------------------------------------------
TSV="$OUT/runs.tsv"
printf 'round\ttest\tside\trate\tserver_cpu_pct\tserver_us_per_op\tclient_cpu_pct\tp50_us\tp99_us\terrors\tload1\n' >"$TSV"

c_client() {  # round test side server mode conns depth
    local round=$1 test=$2 side=$3 server=$4 mode=$5 conns=$6 depth=$7 line
    line=$(timeout "$RUN_LIMIT" taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$server]}" -m "$mode" \
        -c "$conns" -d "$depth" -s 64 -w "$WARMUP_S" -T "$SECONDS_PER_RUN" -S "${PID[$server]}" \
        2>>"$OUT/client.err") || echo "WARNING: $test $side round $round: the C client reported errors" >&2
    echo "$line" >>"$OUT/client.out"
    python3 - "$round" "$test" "$side" "$line" "$(cut -d' ' -f1 /proc/loadavg)" >>"$TSV" <<'PY'
import sys
rnd, test, side, line, load1 = sys.argv[1:6]
kv = dict(p.split("=", 1) for p in line.split())
print("\t".join([rnd, test, side, kv.get("rate", "0"), kv.get("server_cpu_pct", ""), kv.get("server_us_per_op", ""),
                 kv.get("client_cpu_pct", ""), kv.get("p50_us", ""), kv.get("p99_us", ""), kv.get("errors", ""), load1]))
PY
}

ringside_bench() {  # round test side jar extra-args...
    local round=$1 test=$2 side=$3 jar=$4; shift 4
    local name="$test-$side-r$round"
    timeout "$RUN_LIMIT" taskset -c 1 "$JAVA" "${FLAGS[@]}" ${RINGSIDE_JAVA_OPTS:-} -jar "$jar" bench --target "127.0.0.1:${PORT[c]}" --protocol echo \
        --size 64 --connections 100 --closed-loop --pipeline 16 --duration "${SECONDS_PER_RUN}s" \
        --warmup "${WARMUP_S}s" --no-progress --json "$OUT/$name.json" "$@" >"$OUT/$name.txt" 2>&1 \
        || echo "WARNING: $name exited non-zero; see $OUT/$name.txt" >&2
    jq -r --arg r "$round" --arg t "$test" --arg s "$side" --arg l "$(cut -d' ' -f1 /proc/loadavg)" '
        [$r, $t, $s, .rate.achieved, "", "", "", .latencyUs.p50, .latencyUs.p99, .errors.total, $l] | @tsv' \
        "$OUT/$name.json" >>"$TSV"
}

show() { tail -1 "$TSV" | awk -F'\t' '{printf "  r%s %-8s %-18s %12.0f /s  server %5s%% %8s us/op  client %5s%%  p50 %s p99 %s us  errors %s  load %s\n",
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11}'; }

# An unrecorded pass first, so no server meets a load shape cold (the JIT) in a measured run.
for server in c ringside netty $BASE; do
    timeout 60 taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$server]}" -c 1000 -d 1 -w 0 -T "$PREWARM_S" \
        >/dev/null 2>&1 || true
    timeout 60 taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$server]}" -c 100 -d 16 -w 0 -T "$PREWARM_S" \
        >/dev/null 2>&1 || true
    [[ $server != netty ]] && { timeout 60 taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$server]}" -m churn \
        -c "$CHURN_SLOTS" -w 0 -T "$PREWARM_S" >/dev/null 2>&1 || true; }
done

for round in $(seq 1 "$ROUNDS"); do
    echo "## round $round"
    ringside_bench "$round" ceiling ringside "$JAR"; show
    ringside_bench "$round" ceiling ringside-noverify "$JAR" --no-verify; show
    if [[ -n $BASE ]]; then
        ringside_bench "$round" ceiling base "$BASELINE_JAR"; show
        ringside_bench "$round" ceiling base-noverify "$BASELINE_JAR" --no-verify; show
    fi
    c_client "$round" ceiling c-client c echo 100 16; show
    # The servers' order flips every round: on a loaded machine two identical servers measured in a fixed order
    # differed by up to 15% in CPU per message, the same way in every round (perf/RESULTS.md, "Server speed,
    # session 4"), so a fixed order would bias every ratio the same way.
    order=(ringside $BASE c netty)
    (( round % 2 == 0 )) && order=(netty c $BASE ringside)
    for server in "${order[@]}"; do c_client "$round" cpu1 "$server" "$server" echo 1000 1; show; done
    for server in "${order[@]}"; do c_client "$round" cpu16 "$server" "$server" echo 100 16; show; done
    for server in "${order[@]}"; do
        [[ $server == netty ]] && continue
        c_client "$round" churn "$server" "$server" churn "$CHURN_SLOTS" 1; show
    done
done
echo "# load at end: $(load)"

# --- summary: ratios within each round; median and range over rounds -----------------------------------------
python3 - "$TSV" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def val(r, test, side, col):
    for row in rows:
        if row["round"] == r and row["test"] == test and row["side"] == side and row[col] not in ("", "null"):
            return float(row[col])
    return None
rounds = sorted({row["round"] for row in rows}, key=int)
def ratio(test, a, b, col):
    out = []
    for r in rounds:
        x, y = val(r, test, a, col), val(r, test, b, col)
        if x is not None and y:
            out.append(x / y)
    return out
def cell(values, fmt="{:.2f}"):
    if not values:
        return "n/a"
    med = statistics.median(values)
    return (fmt.format(med) + " (" + fmt.format(min(values)) + "-" + fmt.format(max(values)) + ")") if len(values) > 1 else fmt.format(med)
def med(test, side, col):
    v = [val(r, test, side, col) for r in rounds]
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else float("nan")
loads = [float(row["load1"]) for row in rows]
print()
print("| measure | ringside | reference | ratio, median (range) over %d rounds | goal |" % len(rounds))
print("| --- | ---: | ---: | --- | --- |")
print("| generator ceiling 100x16, msg/s: ringside bench (verify + histograms) / C client | %.0f | %.0f | %s | >= 0.8 (stretch 1.0) |"
      % (med("ceiling", "ringside", "rate"), med("ceiling", "c-client", "rate"), cell(ratio("ceiling", "ringside", "c-client", "rate"))))
print("| generator ceiling 100x16, msg/s: ringside bench --no-verify / C client | %.0f | %.0f | %s | |"
      % (med("ceiling", "ringside-noverify", "rate"), med("ceiling", "c-client", "rate"), cell(ratio("ceiling", "ringside-noverify", "c-client", "rate"))))
for test, label, goal_c in (("cpu1", "1,000x1", "<= 1.10 (stretch 1.0)"), ("cpu16", "100x16", "<= 1.0")):
    print("| server CPU/msg %s, us: ringside / C server | %.3f | %.3f | %s | %s |"
          % (label, med(test, "ringside", "server_us_per_op"), med(test, "c", "server_us_per_op"),
             cell(ratio(test, "ringside", "c", "server_us_per_op")), goal_c))
    print("| server CPU/msg %s, us: ringside / Netty NIO | %.3f | %.3f | %s | %s |"
          % (label, med(test, "ringside", "server_us_per_op"), med(test, "netty", "server_us_per_op"),
             cell(ratio(test, "ringside", "netty", "server_us_per_op")), "<= 0.9" if test == "cpu1" else ""))
print("| churn, connections/s: ringside / C server | %.0f | %.0f | %s | >= 0.9 |"
      % (med("churn", "ringside", "rate"), med("churn", "c", "rate"), cell(ratio("churn", "ringside", "c", "rate"))))
print("| churn, server CPU per connection, us: ringside / C server | %.2f | %.2f | %s | <= 1.1 |"
      % (med("churn", "ringside", "server_us_per_op"), med("churn", "c", "server_us_per_op"),
         cell(ratio("churn", "ringside", "c", "server_us_per_op"))))
if any(row["side"].startswith("base") for row in rows):
    print("| before/after: generator ceiling, msg/s: ringside / base (verify; --no-verify) | %.0f; %.0f | %.0f; %.0f | %s; %s | > 1 |"
          % (med("ceiling", "ringside", "rate"), med("ceiling", "ringside-noverify", "rate"), med("ceiling", "base", "rate"),
             med("ceiling", "base-noverify", "rate"), cell(ratio("ceiling", "ringside", "base", "rate")),
             cell(ratio("ceiling", "ringside-noverify", "base-noverify", "rate"))))
    print("| before/after: base / C client (verify) | %.0f | %.0f | %s | |"
          % (med("ceiling", "base", "rate"), med("ceiling", "c-client", "rate"), cell(ratio("ceiling", "base", "c-client", "rate"))))
    for test, label in (("cpu1", "server CPU/msg 1,000x1"), ("cpu16", "server CPU/msg 100x16"), ("churn", "churn CPU/connection")):
        print("| before/after: %s, us: ringside / base | %.3f | %.3f | %s | < 1 |"
              % (label, med(test, "ringside", "server_us_per_op"), med(test, "base", "server_us_per_op"),
                 cell(ratio(test, "ringside", "base", "server_us_per_op"))))
        print("| before/after: %s, us: base / C server | %.3f | %.3f | %s | |"
              % (label, med(test, "base", "server_us_per_op"), med(test, "c", "server_us_per_op"),
                 cell(ratio(test, "base", "c", "server_us_per_op"))))
    print("| before/after: churn, connections/s: ringside / base | %.0f | %.0f | %s | > 1 |"
          % (med("churn", "ringside", "rate"), med("churn", "base", "rate"), cell(ratio("churn", "ringside", "base", "rate"))))
print()
print("C server CPU under the C client at 100x16 (is the ceiling the client's?): %s%%; load average (1 min) during the runs: %.1f-%.1f"
      % (cell([val(r, "cpu16", "c", "server_cpu_pct") for r in rounds if val(r, "cpu16", "c", "server_cpu_pct") is not None], "{:.0f}"),
         min(loads), max(loads)))
PY
exit 0
}
