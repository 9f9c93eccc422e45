#!/usr/bin/env bash
# Issue 12 item 3: 100,000 connections with traffic on this box, Ringside's prefork server and then a C epoll server,
# driven the same way by the same multi-process generator, in one session. Run from the repository root:
#
#   perf/scripts/hundredk.sh [CONNECTIONS] [SECONDS]          (defaults 100000 and 10)
#
# 1. ringside: `./ringside demo --connections N` (prefork echo server on CPU 0, `bench --processes auto` on CPU 1),
#    which reports connections, errors, the time until every connection was open and memory per connection
#    (RSS and live heap of both sides, kernel slab + TCP buffers).
# 2. C: ceil(N × 1.15 / 20,000) copies of perf/c/echo-server.c sharing one port (-r: SO_REUSEPORT) on CPU 0, driven
#    by the same `bench --processes auto` with the demo's settings; this script reads the same memory figures
#    (RSS of each side, kernel slab + TCP buffers against a baseline) once every connection is open (ss, 1 s polls).
# Each run holds /tmp/ringside-bench.lock (do not wrap the script in another flock on it) and is bounded by
# `timeout`; loopback only. The last line is the verdict: PASS when both runs established every connection with
# 0 errors and exit 0.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N="${1:-100000}"
SECS="${2:-10}"
WARMUP=5
RATE=20000
LIMIT_S=540                                   # one lock hold stays under the 10 minutes the house allows
OUT="${3:-$(mktemp -d /tmp/ringside-hundredk-XXXX)}"
load() { cut -d' ' -f1-3 /proc/loadavg; }
kernel_bytes() {
    python3 - <<'PY'
slab = [int(l.split()[1]) * 1024 for l in open('/proc/meminfo') if l.startswith('Slab:')][0]
tcp = [l.split() for l in open('/proc/net/sockstat') if l.startswith('TCP:')][0]
print(slab + int(tcp[tcp.index('mem') + 1]) * 4096)
PY
}
rss_sum() { local total=0 pid; for pid in "$@"; do
    total=$((total + $(awk '/^VmRSS:/{print $2 * 1024}' "/proc/$pid/status" 2>/dev/null || echo 0))); done; echo "$total"; }
if [ "${C_RUN:-}" != 1 ]; then
header
echo "results in $OUT; $N connections, ${RATE} msg/s open loop, ${WARMUP}s warm-up + ${SECS}s"

echo "== 1. ringside: ./ringside demo --connections $N --duration ${SECS}s --warmup ${WARMUP}s (load $(load))"
flock /tmp/ringside-bench.lock timeout "$LIMIT_S" /usr/bin/time -f "CPU %U s user + %S s sys in %e s wall (the demo and every child)" \
    "${RINGSIDE[@]}" demo --connections "$N" --rate "$RATE" --duration "${SECS}s" --warmup "${WARMUP}s" \
    --out "$OUT/ringside" --no-progress > "$OUT/ringside.out" 2> "$OUT/ringside.err"
R_STATUS=$?
grep -E "^ringside demo:|^  (connections|requests|errors|rate|generator) |^verdict" "$OUT/ringside.out"
grep -hE "^CPU |ready|late" "$OUT/ringside.err"
echo "exit $R_STATUS; load after: $(load)"

echo "== 2. C: perf/c/echo-server.c -r, same generator and settings (load $(load))"
build_c_reference "$OUT" || exit 1
fi
C_PROCS=$(( (N * 115 / 100 + 19999) / 20000 ))
run_c() {
    local port base pids=() pid i
    port=$(free_port)
    base=$(kernel_bytes)
    for i in $(seq "$C_PROCS"); do
        taskset -c 0 "$OUT/echo-server" -r -p "$port" > "$OUT/c-server-$i.log" 2>&1 &
        pid=$!; PIDS+=("$pid"); pids+=("$pid")
    done
    wait_port "$port" || { echo "the C servers did not listen"; return 1; }
    echo "C: $C_PROCS echo-server processes on CPU 0 sharing 127.0.0.1:$port (pids ${pids[*]})"
    "${RINGSIDE[@]}" bench --target "127.0.0.1:$port" --connections "$N" --rate "$RATE" --size 64 \
        --duration "${SECS}s" --warmup "${WARMUP}s" --processes auto --timeout 5s --connect-timeout 10s \
        --connect-rate 10000 --cpus 1 --no-progress --json "$OUT/c.json" > "$OUT/c.out" 2> "$OUT/c.err" &
    local bench=$! started open=0 measured=0
    PIDS+=("$bench")
    started=$(date +%s)
    while kill -0 "$bench" 2>/dev/null; do
        open=$(ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l)
        if [ "$measured" = 0 ] && [ "$open" -ge "$N" ]; then
            measured=1
            local gens kernel
            gens=$(pgrep -f -- "--target=127.0.0.1:$port" | grep -v "^$bench\$" || true)
            kernel=$(( $(kernel_bytes) - base ))
            echo "C: every connection open $(( $(date +%s) - started )) s after the generator started (1 s polls; includes its JVM starts)"
            python3 - "$N" "$(rss_sum "${pids[@]}")" "$(rss_sum $gens)" "$kernel" "$C_PROCS" "$(echo $gens | wc -w)" <<'PY'
import sys
n, server, gen, kernel, sp, gp = (int(x) for x in sys.argv[1:])
print("C: server       %d processes, RSS %d MB (%.0f B per connection)" % (sp, server >> 20, server / n))
print("C: generator    %d processes, RSS %d MB (%.0f B per connection)" % (gp, gen >> 20, gen / n))
print("C: kernel       %d KB more slab + TCP buffer memory than before the servers started: %.0f B per connection"
      % (kernel >> 10, kernel / n))
PY
        fi
        sleep 1
    done
    wait "$bench"
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    return "$status"
}
if [ "${C_RUN:-}" = 1 ]; then           # the script runs itself for step 2, under the lock and timeout below
    run_c
    exit $?
fi
C_RUN=1 flock /tmp/ringside-bench.lock timeout "$LIMIT_S" "$0" "$N" "$SECS" "$OUT"
C_STATUS=$?
grep -E "^  (connections|requests|errors|rate|generator) |^verdict" "$OUT/c.out"
echo "exit $C_STATUS; load after: $(load)"

r_est=$(json_number "$OUT/ringside/demo.json" connections.established 2>/dev/null || echo 0)
r_err=$(json_number "$OUT/ringside/demo.json" errors.total 2>/dev/null || echo -1)
c_est=$(json_number "$OUT/c.json" connections.established 2>/dev/null || echo 0)
c_err=$(json_number "$OUT/c.json" errors.total 2>/dev/null || echo -1)
verdict=FAIL
if [ "$R_STATUS" = 0 ] && [ "$C_STATUS" = 0 ] && [ "$r_est" = "$N" ] && [ "$c_est" = "$N" ] && [ "$r_err" = 0 ] \
    && [ "$c_err" = 0 ]; then verdict=PASS; fi
echo "hundredk: $verdict: ringside $r_est/$N established, $r_err errors, exit $R_STATUS; C $c_est/$N established," \
    "$c_err errors, exit $C_STATUS (load $(load); outputs in $OUT)"
