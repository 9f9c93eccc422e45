#!/usr/bin/env bash
# Hostile-load probe (issue 11): a crowd of hostile connections holds the server while 20 ordinary clients
# run an open-loop bench; prints ONE verdict line with the figures recorded in perf/RESULTS.md.
#   rr-onebyte    4,200 rr connections each send one byte (half a length prefix) and hold
#   http-trickle  4,200 HTTP request heads trickled a byte every 3 s
#                 (both reopen a connection the server closed at once and start over, as slowloris does, so the
#                 crowd stays in place for the whole bench rather than being cleared by the frame timeout)
#   nonreaders    2,048 rr connections that never read: each sends 32 KiB requests (replies are as large) until
#                 the server stops reading it (its output and held input full), then holds; the bench starts
#                 once the whole crowd is stalled, so it measures hoarded memory, not a request flood
# The same 20-client bench runs first without the crowd (the control, on the same server), side by side.
# PASS when the 20 clients get >= 99% of their replies and achieve >= 99% of the target rate. Server on CPU 0,
# clients and the crowd on CPU 1; the load average before and after is on the verdict line. Loopback only;
# bounded in time (about 1-2 minutes); every process it starts is stopped by its PID.
#
#   perf/scripts/hostile-load.sh MODE [JAR]   (JAR: default this checkout's client-bench/target/ringside.jar)
#   env: RATE (2000 msg/s total), DURATION (10s), WARMUP (5s: the generator's JIT settles on a shared CPU
#        before the window), SERVER_ARGS (extra server flags), HOSTILE_COUNT (crowd size, for a quick check)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODE="${1:?usage: hostile-load.sh rr-onebyte|http-trickle|nonreaders [JAR]}"
JAR="${2:-$ROOT/client-bench/target/ringside.jar}"
RATE="${RATE:-2000}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
LOAD0=$(cut -d' ' -f1 /proc/loadavg)
case "$MODE" in  # HOSTILE (count) may be overridden below for a quick check
    rr-onebyte) HOSTILE=4200; PROTOCOL=rr ;;
    http-trickle) HOSTILE=4200; PROTOCOL=http ;;
    nonreaders) HOSTILE=2048; PROTOCOL=rr ;;
    *) echo "unknown mode $MODE" >&2; exit 2 ;;
esac
HOSTILE="${HOSTILE_COUNT:-$HOSTILE}"
[ -f "$JAR" ] || "$ROOT/ringside" --version >/dev/null
ulimit -n 20000
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
RINGSIDE=("$JAVA" --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 -XX:+UseParallelGC
    -jar "$JAR")
OUT="$(mktemp -d)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

taskset -c 0 "${RINGSIDE[@]}" server --protocol "$PROTOCOL" --tcp "127.0.0.1:$PORT" ${SERVER_ARGS:-} \
    >"$OUT/server.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done

stat_value() { # FILE LABEL -> value (0 when absent), from a saved 'ringside stat --once'
    python3 -c '
import re, sys
for line in open(sys.argv[1]):
    m = re.match(r"\s*(.+?)\s+([\d,]+)\s*$", line)
    if m and m.group(1) == sys.argv[2]:
        print(m.group(2).replace(",", "")); break
else:
    print(0)' "$1" "$2"
}
snapshot() { "${RINGSIDE[@]}" stat --once "$SERVER" >"$1" 2>&1 || true; }
bench() { # JSON LOG: the 20 ordinary clients, pinned beside the server
    timeout 60 taskset -c 1 "${RINGSIDE[@]}" bench --target "127.0.0.1:$PORT" --protocol "$PROTOCOL" -c 20 \
        --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --no-progress --json "$1" >"$2" 2>&1
}

# Control, side by side: the same bench against the same server just before the crowd comes, so the verdict line
# tells what this machine's load allows from what the crowd takes away.
bench "$OUT/control.json" "$OUT/control.log" || true

# The hostile crowd: one python process, non-blocking sockets, bounded by the bench's length plus margin.
timeout 150 taskset -c 1 python3 - "$MODE" "$PORT" "$HOSTILE" >"$OUT/crowd.log" 2>&1 <<'PY' &
import socket, struct, sys, time
mode, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
socks = []
for i in range(count):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    if mode == "nonreaders":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)  # stall on the server's buffers, not our own
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    socks.append(s)
big = (struct.pack(">i", 32768) + b"x" * 32768) * 4  # rr echoes the frame: each request asks 32 KiB back
def push(s, data):
    try:
        return s.send(data)
    except BlockingIOError:
        return 0
    except OSError:
        return -1
if mode == "nonreaders":
    # Send until three passes 0.5 s apart move nothing (the server stopped reading every socket: its output and
    # held input are full), or 60 s. Offsets keep each socket's requests whole.
    offset = [0] * count
    sent, idle, start = 0, 0, time.time()
    while idle < 3 and time.time() - start < 60:
        moved = 0
        for k, s in enumerate(socks):
            if offset[k] >= 0:
                n = push(s, big[offset[k]:])
                offset[k] = -1 if n < 0 else (offset[k] + n) % len(big)
                moved += max(n, 0)
        sent += moved
        idle = idle + 1 if moved == 0 else 0
        if moved == 0:
            time.sleep(0.5)
    print("crowd stalled after %.1f s, %d MB sent" % (time.time() - start, sent >> 20), flush=True)
else:
    for s in socks:
        push(s, b"\x00" if mode == "rr-onebyte" else b"GET / HTTP/1.1\r\n")
print("crowd connected", len(socks), flush=True)
opening = b"\x00" if mode == "rr-onebyte" else b"GET / HTTP/1.1\r\n"
def closed(s):
    try:
        return s.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
reopened = 0
end = time.time() + 110
while time.time() < end:
    time.sleep(3 if mode == "http-trickle" else 1)
    if mode == "nonreaders":
        continue
    # As slowloris does: a connection the server closed (frame timeout) is opened again at once and starts over,
    # so the crowd stays in place for the whole bench instead of being cleared 10 s after it began.
    for k, s in enumerate(socks):
        if closed(s):
            s.close()
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            try:
                s.connect(("127.0.0.1", port))
            except OSError:
                continue
            s.setblocking(False)
            socks[k] = s
            push(s, opening)
            reopened += 1
        elif mode == "http-trickle":
            push(s, b"X")
    print("crowd reopened %d" % reopened, flush=True)
PY
PIDS+=("$!")
for _ in $(seq 1 1200); do grep -q "crowd connected" "$OUT/crowd.log" && break; sleep 0.1; done
sleep 2 # let the crowd fill what it will
TICKS0=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
bench "$OUT/bench.json" "$OUT/bench.log" &
BENCH=$!
PIDS+=("$BENCH")
# Memory is sampled early in the bench, with the crowd in place (the frame timeout clears the one-byte and
# trickling crowds 10 s after they started).
sleep 3
snapshot "$OUT/stat-mid.txt"
OPEN=$(stat_value "$OUT/stat-mid.txt" 'connections open')
POOL=$(stat_value "$OUT/stat-mid.txt" 'pool bytes leased')
RINGS=$(stat_value "$OUT/stat-mid.txt" 'rings leased')
if [ "$POOL" = 0 ] && [ "$RINGS" != 0 ]; then # a build without size classes: every ring is --ring-capacity
    POOL=$((RINGS * 65536))
fi
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
wait "$BENCH" || true
TICKS1=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
snapshot "$OUT/stat-end.txt"
SHED=$(stat_value "$OUT/stat-end.txt" 'closed, shed, pool low')
LOAD1=$(cut -d' ' -f1 /proc/loadavg)
CROWD=$( (grep -h "crowd stalled" "$OUT/crowd.log"; grep -h "crowd reopened" "$OUT/crowd.log" | tail -1) | paste -sd';' - || true)
python3 - "$OUT/bench.json" "$MODE" "$HOSTILE" "$OPEN" "$POOL" "$RSS_KB" "$((TICKS1 - TICKS0))" "$SHED" "$RATE" "$LOAD0" "$LOAD1" "$CROWD" "$OUT/control.json" <<'PY'
import json, sys
path, mode, hostile, open_, pool, rss, ticks, shed = sys.argv[1:9]
try:
    d = json.load(open(path)); sent = d["requests"]["sent"]; done = d["requests"]["completed"]
    rate = d["rate"]["achieved"]; p99 = d["latencyUs"]["p99"]
except (OSError, ValueError, KeyError):
    sent, done, rate, p99 = 0, 0, 0, "?"
share = done / sent if sent else 0.0
try:
    c = json.load(open(sys.argv[13]))
    control = f"control without the crowd {c['rate']['achieved']:.0f} msg/s, p99 {c['latencyUs']['p99']:.0f} us; "
except (OSError, ValueError, KeyError):
    control = "control without the crowd failed; "
per_conn = int(pool) / max(1, int(open_))
verdict = "PASS" if share >= 0.99 and rate >= 0.99 * float(sys.argv[9]) else "FAIL"
print(f"{verdict} hostile-{mode}: {hostile} hostile; 20 clients got {done}/{sent} replies ({share:.1%}) at "
      f"{rate:.0f} msg/s, p99 {p99} us; {control}server RSS {int(rss)//1024} MiB, pool {int(pool)//1024} KiB leased = "
      f"{per_conn/1024:.1f} KiB/connection over {open_} open; shed {shed}; server CPU {int(ticks)/100:.1f} s; "
      f"load {sys.argv[10]} -> {sys.argv[11]}" + (f"; {sys.argv[12]}" if sys.argv[12] else ""))
PY
