#!/usr/bin/env bash
# Shared setup of the benchmark scripts (source it; it defines, it does not run anything but the jar check):
#   ROOT JAVA FLAGS RINGSIDE   the checkout, the java binary, the JVM flags of src/jvm.flags, and the ringside
#                              command line (java + flags + -jar client-bench/target/ringside.jar)
#   PIDS + an EXIT trap        every process a script starts goes into PIDS and is stopped by its PID on exit
#   free_port                  a free TCP port on 127.0.0.1
#   wait_port PORT             polls until 127.0.0.1:PORT accepts (20 s cap; non-zero when it never does)
#   cpu_ticks PID              utime+stime of one process, in clock ticks
#   tree_ticks PID             the same summed over the process and its children (prefork workers)
#   json_number FILE a.b.c     one number out of a JSON summary
#   header                     the "# date kernel CPUs JDK load" line every result table starts with
#   snapshot_jar DIR           copies RINGSIDE_JAR (default: this checkout's jar) to DIR/ringside.jar and points JAR
#                              at the copy, so a rebuild during the run cannot change what is measured half-way
#   build_c_reference DIR      builds perf/c's echo-server and load-client into DIR (cc -O2)
#   measure_window SERVER GEN JSON SECONDS [TICKS]
#                              waits out the generator's start and warm-up, reads the server's CPU (TICKS: cpu_ticks
#                              or tree_ticks) over the measured window, waits for the generator, stops the server;
#                              sets ACHIEVED (msg/s from JSON), CPU_PCT and CPU_US (server CPU us per message)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mapfile -t FLAGS < <(grep -v '^#' "$ROOT/src/jvm.flags" | grep -v '^$')
"$ROOT/ringside" --version >/dev/null                     # builds the jar when needed
RINGSIDE=("$JAVA" "${FLAGS[@]}" -jar "$ROOT/client-bench/target/ringside.jar")
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 400); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tree_ticks() {
    local total=0 pid
    for pid in $1 $(pgrep -P "$1" || true); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
json_number() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d
for k in sys.argv[2].split('.'): v=v[k]
print(v)" "$1" "$2"; }
header() {
    echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, $("$JAVA" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
measure_window() {
    local server=$1 gen=$2 json=$3 seconds=$4 ticks=${5:-cpu_ticks} s0 s1 t0 t1 hz
    sleep 4.5                                   # JVM start, connect and warm-up stay outside the window
    s0=$("$ticks" "$server"); t0=$(date +%s.%N)
    sleep $((seconds - 2))
    s1=$("$ticks" "$server"); t1=$(date +%s.%N)
    wait "$gen" || true
    kill "$server"; wait "$server" 2>/dev/null || true
    hz=$(getconf CLK_TCK)
    ACHIEVED=$(json_number "$json" rate.achieved)
    CPU_PCT=$(echo "scale=0; 100 * ($s1 - $s0) / $hz / ($t1 - $t0)" | bc)
    CPU_US=$(echo "scale=2; 1000000 * ($s1 - $s0) / $hz / ($ACHIEVED * ($t1 - $t0))" | bc)
}
snapshot_jar() {
    cp "${RINGSIDE_JAR:-$ROOT/client-bench/target/ringside.jar}" "$1/ringside.jar" && JAR="$1/ringside.jar"
}
build_c_reference() {
    cc -O2 -Wall -o "$1/echo-server" "$ROOT/perf/c/echo-server.c" \
        && cc -O2 -Wall -o "$1/load-client" "$ROOT/perf/c/load-client.c"
}
