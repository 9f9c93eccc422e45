#!/usr/bin/env bash
# System calls per message of each server at one load shape (issue 13, server side; perf/RESULTS.md,
# "Server speed, session 4"):
#
#   flock /tmp/ringside-bench.lock perf/scripts/server-syscalls.sh [CONNS] [DEPTH] [SECONDS] [MODE]
#       CONNS x DEPTH  the C load client's connections and messages in flight each (default 1000 x 1)
#       SECONDS        the strace window (default 4; the client runs 2 s of warm-up plus this plus 4 s)
#       MODE           echo (default) or churn
#
# Starts the C epoll echo server and `ringside server` (and BASELINE_JAR's server when set) pinned to CPU 0,
# drives each in turn with perf/c/load-client.c from CPU 1, and attaches `strace -c -f` to the server for the
# window. Prints each server's calls by name, per write(v) in echo mode (one per message at depth 1) and per
# accept in churn mode, so differences in system calls are counted rather than guessed. strace slows the traced
# server, so its rates here mean nothing; the counts are what this is for. Loopback only; every process it starts
# is stopped by its PID.
set -euo pipefail
{
CONNS="${1:-1000}"
DEPTH="${2:-1}"
WINDOW_S="${3:-4}"
MODE="${4:-echo}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="$(mktemp -d /tmp/server-syscalls.XXXXXX)"
snapshot_jar "$OUT"
BASE=""
if [[ -n ${BASELINE_JAR:-} ]]; then cp "$BASELINE_JAR" "$OUT/baseline.jar"; BASE=base; fi
build_c_reference "$OUT"
FLAGS+=(${RINGSIDE_JAVA_OPTS:-})

echo "# $(date -u +%FT%TZ) $CONNS x $DEPTH $MODE, strace window ${WINDOW_S}s; load $(cut -d' ' -f1-3 /proc/loadavg); raw in $OUT"
declare -A PORT PID
for name in c ringside $BASE; do PORT[$name]=$(free_port); done
start_server() {
    local name=$1; shift
    "$@" >"$OUT/server-$name.log" 2>&1 &
    PID[$name]=$!; PIDS+=("$!")
    wait_port "${PORT[$name]}" || { echo "server $name did not start; see $OUT/server-$name.log" >&2; exit 1; }
}
start_server c taskset -c 0 "$OUT/echo-server" -p "${PORT[c]}"
start_server ringside taskset -c 0 "$JAVA" "${FLAGS[@]}" -jar "$JAR" server --tcp "127.0.0.1:${PORT[ringside]}" \
    --no-counters-file
if [[ -n $BASE ]]; then
    start_server base taskset -c 0 "$JAVA" "${FLAGS[@]}" -jar "$OUT/baseline.jar" server \
        --tcp "127.0.0.1:${PORT[base]}" --no-counters-file
fi

for name in c ringside $BASE; do
    # Warm the JIT on this load shape first, untraced.
    timeout 60 taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$name]}" -m "$MODE" -c "$CONNS" -d "$DEPTH" \
        -w 0 -T 4 >/dev/null 2>&1 || true
    timeout $((WINDOW_S + 60)) taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$name]}" -m "$MODE" \
        -c "$CONNS" -d "$DEPTH" -w 2 -T $((WINDOW_S + 4)) >"$OUT/client-$name.out" 2>&1 &
    client=$!; PIDS+=("$client")
    sleep 3
    timeout $((WINDOW_S + 5)) strace -c -f -p "${PID[$name]}" -o "$OUT/strace-$name.txt" &
    tracer=$!
    sleep "$WINDOW_S"
    kill -INT "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
    wait "$client" 2>/dev/null || true
done

python3 - "$OUT" "$MODE" c ringside $BASE <<'PY'
import re, sys
out, mode, names = sys.argv[1], sys.argv[2], sys.argv[3:]
tables = {}
for name in names:
    calls = {}
    for line in open(f"{out}/strace-{name}.txt"):
        parts = line.split()
        # strace -c rows: % time, seconds, usecs/call, calls, [errors], syscall
        if len(parts) >= 5 and re.match(r"^[0-9.]+$", parts[0]) and parts[-1] != "total":
            calls[parts[-1]] = (int(parts[3]), int(parts[4]) if len(parts) == 6 else 0)
    tables[name] = calls
def per(name):
    calls = tables[name]
    if mode == "churn":
        unit = sum(calls.get(k, (0, 0))[0] - calls.get(k, (0, 0))[1] for k in ("accept", "accept4"))
    else:
        unit = sum(calls.get(k, (0, 0))[0] for k in ("write", "writev"))
    return max(unit, 1)
keys = sorted({k for t in tables.values() for k in t})
print("per " + ("accepted connection" if mode == "churn" else "write(v): a message at depth 1, a batch deeper") +
      "; (errors) where strace counted failed calls, e.g. EAGAIN")
print("| call | " + " | ".join(names) + " |")
print("| --- |" + " ---: |" * len(names))
for k in keys:
    cells = []
    for name in names:
        c, e = tables[name].get(k, (0, 0))
        cells.append("" if c == 0 else f"{c / per(name):.3f}" + (f" ({e / per(name):.3f})" if e else ""))
    print(f"| {k} | " + " | ".join(cells) + " |")
print("| all | " + " | ".join(f"{sum(c for c, _ in tables[n].values()) / per(n):.3f}" for n in names) + " |")
print("| units counted | " + " | ".join(str(per(n)) for n in names) + " |")
PY
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
}
