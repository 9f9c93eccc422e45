#!/usr/bin/env bash
# Protocols (issue 3) end-to-end figures: wrk against 'ringside server --protocol http', and sockperf
# ping-pong against 'ringside server --protocol sockperf' beside 'sockperf server', in one session.
# Server pinned to CPU 0, client to CPU 1; loopback only; every run bounded; only processes started here
# are stopped, by PID. Usage: perf/protocols-bench.sh [seconds-per-run, default 10]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_RUN="${1:-10}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Starts a ringside server pinned to CPU 0 and prints the TCP port it bound.
start_ringside() {
    local log="$WORK/ringside-$1.log"; shift
    taskset -c 0 "$ROOT/ringside" server --no-counters-file "$@" >"$log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 120); do
        if grep -q '^listening' "$log"; then break; fi
        sleep 0.5
    done
    grep -q '^listening' "$log" || { cat "$log" >&2; exit 1; }
}

port_of() { grep "^listening $2" "$WORK/ringside-$1.log" | head -1 | sed 's/.*127.0.0.1:\([0-9]*\).*/\1/'; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
echo "== java: $(java -version 2>&1 | head -1); wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); sockperf: $(sockperf --version 2>&1 | grep -o 'version [^ ]*')"
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- HTTP with wrk -------------------------------------------------------------------------------------
start_ringside http --protocol http --tcp 127.0.0.1:0
HTTP_PORT="$(port_of http tcp)"
echo; echo "== curl -i http://127.0.0.1:$HTTP_PORT/"
curl -sS -i --max-time 5 "http://127.0.0.1:$HTTP_PORT/"; echo
echo "== warm-up: wrk 5 s (discarded)"
taskset -c 1 timeout 30 wrk -t1 -c64 -d5s "http://127.0.0.1:$HTTP_PORT/" >/dev/null
for connections in 64 256; do
    echo; echo "== taskset -c 1 wrk -t1 -c$connections -d${SECONDS_PER_RUN}s --latency http://127.0.0.1:PORT/"
    taskset -c 1 timeout $((SECONDS_PER_RUN + 30)) wrk -t1 -c"$connections" -d"${SECONDS_PER_RUN}s" --latency \
        "http://127.0.0.1:$HTTP_PORT/"
done
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# --- sockperf ping-pong: ringside vs sockperf server ----------------------------------------------------
SP_UDP="$(free_port)"
start_ringside sockperf --protocol sockperf --tcp 127.0.0.1:0 --udp "127.0.0.1:$SP_UDP"
RS_TCP="$(port_of sockperf tcp)"
REF_TCP="$(free_port)"; REF_UDP="$(free_port)"
taskset -c 0 timeout 600 sockperf server -i 127.0.0.1 -p "$REF_TCP" --tcp >"$WORK/ref-tcp.log" 2>&1 &
PIDS+=("$!")
taskset -c 0 timeout 600 sockperf server -i 127.0.0.1 -p "$REF_UDP" >"$WORK/ref-udp.log" 2>&1 &
PIDS+=("$!")
sleep 1

pingpong() {
    local label="$1"; shift
    echo; echo "== $label: taskset -c 1 sockperf ping-pong -i 127.0.0.1 $* -t $SECONDS_PER_RUN -m 64"
    taskset -c 1 timeout $((SECONDS_PER_RUN + 30)) sockperf ping-pong -i 127.0.0.1 "$@" -t "$SECONDS_PER_RUN" -m 64 2>&1 \
        | grep -E 'Valid Duration|dropped messages|Summary|percentile (50\.000|99\.000|99\.900) =|<MAX>' | sed 's/\x1b\[[0-9;]*m//g'
}
# Warm the JVM first, then alternate the two servers so drift in machine load hits both alike.
taskset -c 1 timeout 30 sockperf ping-pong -i 127.0.0.1 -p "$RS_TCP" --tcp -t 5 -m 64 >/dev/null 2>&1
taskset -c 1 timeout 30 sockperf ping-pong -i 127.0.0.1 -p "$SP_UDP" -t 5 -m 64 >/dev/null 2>&1
for round in 1 2; do
    pingpong "round $round, TCP, ringside"        -p "$RS_TCP" --tcp
    pingpong "round $round, TCP, sockperf server" -p "$REF_TCP" --tcp
    pingpong "round $round, UDP, ringside"        -p "$SP_UDP"
    pingpong "round $round, UDP, sockperf server" -p "$REF_UDP"
done
echo; echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
