#!/usr/bin/env bash
# Where each server's CPU goes, per message, side by side (issue 13, server side; perf/RESULTS.md, "Server CPU,
# session 5"):
#
#   flock /tmp/ringside-bench.lock perf/scripts/server-profile.sh [CONNS] [DEPTH] [SECONDS] [TOP] [MODE]
#       CONNS x DEPTH  the C load client's shape (default 1000 x 1; in churn mode CONNS is the client's slots)
#       SECONDS        the profiled window per server (default 4)
#       TOP            symbols listed (default 30)
#       MODE           echo (default: per message) or churn (connect, 64 B, read, close: per connection)
#   RINGSIDE_JAR       the build profiled (default this checkout's)
#
# The C epoll echo server and `ringside server` run pinned to CPU 0, each driven in turn by perf/c/load-client.c on
# CPU 1. Over the window `perf record -e cpu-clock -F 4000 -p PID` samples the server (all its threads; Java frames
# named through -XX:+DumpPerfMapAtExit), and the table gives nanoseconds per message for every symbol in either
# server's top list, the kernel/Java/JVM split and the difference, ringside minus C. Per message = per reply the C
# client counted (its rate times the window). Proportions within a process hold on a loaded machine far better than
# rates do; the absolute nanoseconds move with the load. Loopback only; every process it starts is stopped by its PID.
set -euo pipefail
{
CONNS="${1:-1000}"
DEPTH="${2:-1}"
WINDOW_S="${3:-4}"
TOP="${4:-30}"
MODE="${5:-echo}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="$(mktemp -d /tmp/server-profile.XXXXXX)"
snapshot_jar "$OUT"
build_c_reference "$OUT"
HZ=4000

echo "# $(date -u +%FT%TZ) $MODE $CONNS x $DEPTH, ${WINDOW_S}s at ${HZ} Hz;" \
    "load $(cut -d' ' -f1-3 /proc/loadavg); raw in $OUT"
for name in c ringside; do
    port=$(free_port)
    if [[ $name == c ]]; then
        taskset -c 0 "$OUT/echo-server" -p "$port" >"$OUT/server-$name.log" 2>&1 &
    else
        taskset -c 0 "$JAVA" "${FLAGS[@]}" -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
            -XX:+PreserveFramePointer -jar "$OUT/ringside.jar" server --tcp "127.0.0.1:$port" --no-counters-file \
            >"$OUT/server-$name.log" 2>&1 &
    fi
    pid=$!; PIDS+=("$pid")
    wait_port "$port" || { echo "server $name did not start" >&2; exit 1; }
    timeout 60 taskset -c 1 "$OUT/load-client" -t "127.0.0.1:$port" -m "$MODE" -c "$CONNS" -d "$DEPTH" -w 0 -T 4 \
        >/dev/null 2>&1 || true   # the JIT meets the load shape first
    timeout $((WINDOW_S + 60)) taskset -c 1 "$OUT/load-client" -t "127.0.0.1:$port" -m "$MODE" -c "$CONNS" \
        -d "$DEPTH" -w 1 -T $((WINDOW_S + 2)) -S "$pid" >"$OUT/client-$name.out" 2>&1 &
    client=$!; PIDS+=("$client")
    sleep 2
    perf record -q -e cpu-clock -F "$HZ" -p "$pid" -o "$OUT/$name.data" -- sleep "$WINDOW_S" >/dev/null 2>&1 || true
    wait "$client" || true
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true   # the JVM writes /tmp/perf-PID.map as it exits
    perf report -i "$OUT/$name.data" --stdio --no-children --sort dso,sym -F sample,dso,sym 2>/dev/null \
        >"$OUT/$name.txt" || true
done

python3 - "$OUT" "$HZ" "$WINDOW_S" "$TOP" "$MODE" <<'PY'
import re, sys
out, hz, window, top, mode = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
unit = "conn" if mode == "churn" else "msg"
def load(name):
    kv = dict(p.split("=", 1) for p in open(f"{out}/client-{name}.out").read().split() if "=" in p)
    msgs = float(kv["rate"]) * window
    syms, groups = {}, {}
    for line in open(f"{out}/{name}.txt"):
        m = re.match(r"\s*(\d+)\s+(.+?)\s+\[(.)\]\s+(.*\S)", line)
        if not m:
            continue
        n, dso, kind, sym = int(m.group(1)), m.group(2), m.group(3), m.group(4)
        ns = n / hz * 1e9 / msgs
        syms[sym] = syms.get(sym, 0) + ns
        group = "kernel" if kind == "k" else ("Java (JIT, interpreter, stubs)" if dso.startswith(("perf-", "[JIT]"))
                                              else dso)
        groups[group] = groups.get(group, 0) + ns
    return kv, syms, groups
c, r = load("c"), load("ringside")
print(f"{unit}/s: C {float(c[0]['rate']):,.0f}, ringside {float(r[0]['rate']):,.0f}; server CPU us/{unit} "
      f"(client's sample): C {c[0].get('server_us_per_op')}, ringside {r[0].get('server_us_per_op')}")
print(f"\n| part | C ns/{unit} | ringside ns/{unit} | ringside - C |\n| --- | ---: | ---: | ---: |")
for g in sorted(set(c[2]) | set(r[2]), key=lambda g: -(r[2].get(g, 0) + c[2].get(g, 0))):
    a, b = c[2].get(g, 0), r[2].get(g, 0)
    if a + b >= 10:
        print(f"| {g} | {a:,.0f} | {b:,.0f} | {b - a:+,.0f} |")
total_c, total_r = sum(c[2].values()), sum(r[2].values())
print(f"| all | {total_c:,.0f} | {total_r:,.0f} | {total_r - total_c:+,.0f} |")
names = sorted(c[1], key=lambda s: -c[1][s])[:top] + sorted(r[1], key=lambda s: -r[1][s])[:top]
seen = []
for s in names:
    if s not in seen:
        seen.append(s)
seen.sort(key=lambda s: -abs(r[1].get(s, 0) - c[1].get(s, 0)))
print(f"\n| symbol | C ns/{unit} | ringside ns/{unit} | ringside - C |\n| --- | ---: | ---: | ---: |")
for s in seen:
    a, b = c[1].get(s, 0), r[1].get(s, 0)
    print(f"| `{s[:90]}` | {a:,.0f} | {b:,.0f} | {b - a:+,.0f} |")
PY
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
}
