#!/usr/bin/env bash
# End-to-end comparison of Ringside's selector loop with Netty 4.2 (one NIO loop, one native-epoll loop) and,
# for one connection, the plain blocking thread-per-connection server (perf/RESULTS.md, "End-to-end vs
# Netty (issue 6)"). One session, the same load from `ringside bench` against every server, interleaved:
# for each scenario and round, every server in turn, so drift in the machine's load hits all of them.
#
#   perf/scripts/e2e-vs-netty.sh [SECONDS] [ROUNDS] [SCENARIOS]
#       SECONDS    measured seconds per run (default 8; plus 3 s warm-up)
#       ROUNDS     repetitions of every run (default 2)
#       SCENARIOS  comma list (default all): a-x a-s b1 b1r b4 b16 c d  (see below)
#
# Scenarios (64-byte messages, server pinned to CPU 0, generator to CPU 1 unless said):
#   a-x  1 connection ping-pong, closed loop, one in flight; generator on CPU 1      (+ blocking server)
#   a-s  the same with the generator on CPU 0 too: no cross-CPU wake-up                (+ blocking server)
#   b1   1,000 connections closed loop, one in flight each
#   b1r  1,000 connections open loop at B_RATE msg/s (default 60,000): at most one in flight each as in b1,
#        but the same offered load for every server, so CPU per message is not set by how fast it answers
#   b4   1,000 connections closed loop, pipeline 4
#   b16  100 connections closed loop, pipeline 16
#   c    10,000 connections open loop at C_RATE msg/s (default 20,000)
#   d    UDP, 100 client sockets, open loop at D_RATE msg/s (default 40,000), pipeline 8; every server's UDP
#        socket gets SO_RCVBUF = UDP_RCVBUF (default 4 MiB)
#
# Server CPU per message: utime+stime of the server process (all its threads) from /proc/PID/stat, sampled
# from the first progress line of the measurement phase to 1 s before its end, divided by the replies in
# that window (rate.achieved x window). Every server runs with the launcher's JVM flags; Netty also gets
# -Dio.netty.leakDetection.level=disabled (its benchmark setting). Loopback only; every process this script
# starts is stopped by its PID; every run is bounded by `timeout`.
#
# BASELINE_JAR=path/to/an/older/ringside.jar adds a server "baseline" (the selector loop from that jar) to
# every scenario beside "ringside", for before/after figures of an engine change in the same session
# (BASELINE_ARGS: extra server options for it), except the UDP scenario.
#
# Output: a raw TSV and the generator's JSON/text per run in a temporary directory (printed), and a
# Markdown summary on stdout (perf/scripts/e2e-summary.py): per scenario and server, the median over rounds,
# and the ratio Ringside / reference.
# Run it under `flock /work/bench.lock` when other people benchmark on the same machine.
set -euo pipefail
# The whole script is one compound command, parsed before it runs: editing this file while a session is
# under way cannot change what the running session does.
{
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_RUN="${1:-8}"
ROUNDS="${2:-2}"
SCENARIOS="${3:-a-x,a-s,b1,b1r,b4,b16,c,d}"
B_RATE="${B_RATE:-60000}"
C_RATE="${C_RATE:-20000}"
D_RATE="${D_RATE:-40000}"
UDP_RCVBUF="${UDP_RCVBUF:-4194304}"   # SO_RCVBUF of every server's UDP socket (the default, ~200 datagrams, drops
                                      # some whenever another process delays the server by a few ms)
WARMUP_S=3
OUT="$(mktemp -d /tmp/e2e-vs-netty.XXXXXX)"

JAR="$ROOT/client-bench/target/ringside.jar"
PERF_JAR="$ROOT/perf/target/benchmarks.jar"
if [[ ! -f "$JAR" || ! -f "$PERF_JAR" ]]; then
    echo "building ringside.jar and benchmarks.jar..." >&2
    (cd "$ROOT" && mvn -q -B -DskipTests -Dcheckstyle.skip -pl perf -am package) >&2
fi
# Run from copies, so a rebuild during the session cannot change what is measured half-way.
cp "$JAR" "$OUT/ringside.jar"; JAR="$OUT/ringside.jar"
cp "$PERF_JAR" "$OUT/benchmarks.jar"; PERF_JAR="$OUT/benchmarks.jar"
if [[ -n ${BASELINE_JAR:-} ]]; then cp "$BASELINE_JAR" "$OUT/baseline.jar"; BASELINE_JAR="$OUT/baseline.jar"; fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 -XX:+UseParallelGC)
RINGSIDE=("$JAVA" "${FLAGS[@]}" ${RINGSIDE_JAVA_OPTS:-} -jar "$JAR")
NETTY=("$JAVA" "${FLAGS[@]}" -Dio.netty.leakDetection.level=disabled -cp "$PERF_JAR"
    dev.ringside.perf.reference.NettyEchoServer)
HZ=$(getconf CLK_TCK)

PIDS=()       # servers
GEN=""        # the running generator (its `timeout` wrapper)
cleanup() {
    [[ -n $GEN ]] && kill "$GEN" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() {  # $1 = tcp|udp
    python3 -c 'import socket,sys; t=socket.SOCK_STREAM if sys.argv[1]=="tcp" else socket.SOCK_DGRAM
s=socket.socket(socket.AF_INET,t); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"
}
# Machine-wide UDP datagrams the kernel dropped because a socket's receive buffer was full.
rcvbuf_errors() { awk '/^Udp:/ { if (n++) print $6 }' /proc/net/snmp; }
# Machine-wide connections whose handshake completed while the listener's accept queue was full.
listen_overflows() {
    awk '/^TcpExt:/ { if (n++) { for (i = 2; i <= NF; i++) if (h[i] == "ListenOverflows") print $i }
                      else for (i = 2; i <= NF; i++) h[i] = $i }' /proc/net/netstat
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 1 400); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
    "$("$JAVA" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# raw outputs in $OUT"

# --- servers: all started once, all pinned to CPU 0; an idle one blocks in epoll_wait and costs nothing ---
declare -A TCP_PORT UDP_PORT SERVER_PID
start_server() {  # name, command...
    local name=$1; shift
    # The JVM's own pauses go to a log per server, so a stall in a run can be told apart from a GC pause.
    JAVA_TOOL_OPTIONS="-Xlog:gc,safepoint:file=$OUT/server-$name.jvm.log" "$@" >"$OUT/server-$name.log" 2>&1 &
    SERVER_PID[$name]=$!; PIDS+=("$!")
    wait_port "${TCP_PORT[$name]}" || { echo "server $name did not start; see $OUT/server-$name.log" >&2; exit 1; }
}
SERVER_NAMES="ringside netty-nio netty-epoll thread${BASELINE_JAR:+ baseline}"
for name in $SERVER_NAMES; do
    TCP_PORT[$name]=$(free_port tcp); UDP_PORT[$name]=$(free_port udp)
done
start_server ringside taskset -c 0 "${RINGSIDE[@]}" server --tcp "127.0.0.1:${TCP_PORT[ringside]}" \
    --udp "127.0.0.1:${UDP_PORT[ringside]}" --udp-receive-buffer "$UDP_RCVBUF" --no-counters-file
start_server netty-nio taskset -c 0 "${NETTY[@]}" nio --udp-receive-buffer "$UDP_RCVBUF" --tcp "127.0.0.1:${TCP_PORT[netty-nio]}" \
    --udp "127.0.0.1:${UDP_PORT[netty-nio]}"
start_server netty-epoll taskset -c 0 "${NETTY[@]}" epoll --udp-receive-buffer "$UDP_RCVBUF" --tcp "127.0.0.1:${TCP_PORT[netty-epoll]}" \
    --udp "127.0.0.1:${UDP_PORT[netty-epoll]}"
if [[ -n ${BASELINE_JAR:-} ]]; then
    start_server baseline taskset -c 0 "$JAVA" "${FLAGS[@]}" -jar "$BASELINE_JAR" server \
        --tcp "127.0.0.1:${TCP_PORT[baseline]}" --udp "127.0.0.1:${UDP_PORT[baseline]}" --no-counters-file \
        ${BASELINE_ARGS:-}
fi
start_server thread taskset -c 0 "${RINGSIDE[@]}" server --model thread --tcp "127.0.0.1:${TCP_PORT[thread]}" \
    --no-counters-file

# --- one run: generator against one server, CPU sampled inside the measurement window -------------------
TSV="$OUT/runs.tsv"
printf 'scenario\tround\tserver\tachieved\terrors\tloss\tp50\tp99\tp999\tserver_cpu_pct\tserver_us_per_msg\tgen_cpu_pct\trcvbuf_drops\tlisten_overflows\n' >"$TSV"
run() {  # scenario round server gen_cpu bench-args...
    local scenario=$1 round=$2 server=$3 gen_cpu=$4; shift 4
    local name="$scenario-r$round-$server" port=${TCP_PORT[$server]}
    [[ " $* " == *" --udp "* ]] && port=${UDP_PORT[$server]}
    local spid=${SERVER_PID[$server]} drops0 overflows0
    drops0=$(rcvbuf_errors); overflows0=$(listen_overflows)
    timeout $((SECONDS_PER_RUN + WARMUP_S + 60)) taskset -c "$gen_cpu" "${RINGSIDE[@]}" bench \
        --target "127.0.0.1:$port" --protocol echo --size 64 "$@" --duration "${SECONDS_PER_RUN}s" \
        --warmup "${WARMUP_S}s" --connect-rate 10000 --json "$OUT/$name.json" >"$OUT/$name.txt" 2>"$OUT/$name.err" &
    GEN=$!
    # The first progress line of the measurement phase comes about 1 s into it.
    local waited=0
    until grep -q measuring "$OUT/$name.err" 2>/dev/null; do
        sleep 0.02; waited=$((waited + 1))
        if ((waited > 3000)) || ! kill -0 "$GEN" 2>/dev/null; then break; fi
    done
    local gen
    gen=$(pgrep -P "$GEN" | head -1)   # the JVM under `timeout` (taskset execs it)
    local s0 g0 t0 s1 g1 t1
    s0=$(cpu_ticks "$spid"); g0=$(cpu_ticks "$gen" 2>/dev/null || echo 0); t0=$(date +%s.%N)
    sleep $((SECONDS_PER_RUN - 2))
    s1=$(cpu_ticks "$spid"); g1=$(cpu_ticks "$gen" 2>/dev/null || echo 0); t1=$(date +%s.%N)
    wait "$GEN" || echo "WARNING: generator for $name exited non-zero; see $OUT/$name.err" >&2
    GEN=""
    local drops=$(($(rcvbuf_errors) - drops0)) overflows=$(($(listen_overflows) - overflows0))
    jq -r --arg sc "$scenario" --arg r "$round" --arg sv "$server" \
        --argjson s "$((s1 - s0))" --argjson g "$((g1 - g0))" --argjson dt "$(echo "$t1 - $t0" | bc)" --argjson hz "$HZ" --argjson drops "$drops" --argjson overflows "$overflows" '
        [$sc, $r, $sv, .rate.achieved, .errors.total, (.errors.udpLoss // 0),
         .latencyUs.p50, .latencyUs.p99, .latencyUs.p999,
         (100 * $s / $hz / $dt),
         (if .rate.achieved > 0 then 1e6 * $s / $hz / (.rate.achieved * $dt) else null end),
         (100 * $g / $hz / $dt), $drops, $overflows] | @tsv' "$OUT/$name.json" >>"$TSV"
    tail -1 "$TSV" | awk -F'\t' '{printf "  %-4s r%s %-12s %10.0f msg/s  err %s loss %s (rcvbuf drops %s, listen overflows %s)  p50 %s p99 %s p99.9 %s us  server %.0f%% %.2f us/msg  gen %.0f%%\n",
        $1, $2, $3, $4, $5, $6, $13, $14, $7, $8, $9, $10, $11, $12}'
}

scenario_args() {  # prints: servers|gen_cpu|bench args
    case $1 in
        a-x) echo "ringside netty-nio netty-epoll thread|1|--connections 1 --closed-loop --pipeline 1" ;;
        a-s) echo "ringside netty-nio netty-epoll thread|0|--connections 1 --closed-loop --pipeline 1" ;;
        b1) echo "ringside netty-nio netty-epoll|1|--connections 1000 --closed-loop --pipeline 1" ;;
        b1r) echo "ringside netty-nio netty-epoll|1|--connections 1000 --rate $B_RATE" ;;
        b4) echo "ringside netty-nio netty-epoll|1|--connections 1000 --closed-loop --pipeline 4" ;;
        b16) echo "ringside netty-nio netty-epoll|1|--connections 100 --closed-loop --pipeline 16" ;;
        c) echo "ringside netty-nio netty-epoll|1|--connections 10000 --rate $C_RATE" ;;
        d) echo "ringside netty-nio netty-epoll|1|--udp --connections 100 --rate $D_RATE --pipeline 8" ;;
        *) echo "unknown scenario $1" >&2; exit 2 ;;
    esac
}

IFS=',' read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for scenario in "${SCENARIO_LIST[@]}"; do
    IFS='|' read -r servers gen_cpu args <<<"$(scenario_args "$scenario")"
    # (not for UDP: a build older than --udp-receive-buffer could not be given the same socket buffer)
    [[ -n ${BASELINE_JAR:-} && $scenario != d ]] && servers="${servers/ringside/ringside baseline}"
    echo "## $scenario: generator on CPU $gen_cpu: ringside bench --protocol echo --size 64 $args" \
        "--duration ${SECONDS_PER_RUN}s --warmup ${WARMUP_S}s"
    # An unrecorded short run per server first, so that no server meets this load's code paths (UDP, a
    # burst of 10,000 accepts) cold in a measured run: a datagram lost while the JIT is still compiling
    # holds a generator slot for the whole --timeout and would skew the first round.
    for server in $servers; do
        port=${TCP_PORT[$server]}; [[ " $args " == *" --udp "* ]] && port=${UDP_PORT[$server]}
        # shellcheck disable=SC2086
        timeout 60 taskset -c "$gen_cpu" "${RINGSIDE[@]}" bench --target "127.0.0.1:$port" --protocol echo \
            --size 64 $args --duration 2s --warmup 2s --connect-rate 10000 --no-progress \
            >"$OUT/$scenario-prewarm-$server.txt" 2>&1 || echo "WARNING: pre-warm run against $server failed" >&2
    done
    for round in $(seq 1 "$ROUNDS"); do
        for server in $servers; do
            # shellcheck disable=SC2086
            run "$scenario" "$round" "$server" "$gen_cpu" $args
        done
    done
done

# --- summary: median over rounds, ratio Ringside / reference ---------------------------------------------
python3 "$ROOT/perf/scripts/e2e-summary.py" "$TSV"
echo "# raw outputs in $OUT"
exit 0
}
