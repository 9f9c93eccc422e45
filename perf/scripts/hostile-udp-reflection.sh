#!/usr/bin/env bash
# Probe (issue 11, item 7): does one forged datagram make a UDP echo server answer itself forever?
#
#   perf/scripts/hostile-udp-reflection.sh [JAR] [SECONDS]
#       JAR      the ringside jar to probe (default client-bench/target/ringside.jar, built when missing)
#       SECONDS  how long to watch the server after the forged datagrams (default 3)
#
# Starts `ringside server --protocol echo` with two UDP endpoints on 127.0.0.1 (pinned to CPU 0, its counters in
# a private temporary directory), then sends two datagrams from a raw socket with a forged source: one from the
# first endpoint to itself, one from the first endpoint to the second. A server that answers them talks to itself
# (and its two endpoints ping-pong) at full speed until stopped. Watches for SECONDS, reads the server's counters
# with `ringside stat` and its CPU time from /proc, stops it by its PID, and prints one verdict line:
#   udp-reflection PASS|FAIL refused N in N out N cpu P% (over S s)
# Forging a source address needs a raw socket, i.e. root; without it the verdict is SKIP. Loopback only; every
# step is bounded by `timeout`. Run it under `flock /tmp/ringside-bench.lock`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="${1:-$ROOT/client-bench/target/ringside.jar}"
WATCH_S="${2:-3}"
if [[ "$(id -u)" != 0 ]]; then
    echo "udp-reflection SKIP (forging a source address needs a raw socket: run as root)"
    exit 0
fi
[[ -f "$JAR" ]] || (cd "$ROOT" && mvn -q -B -o -DskipTests -Dcheckstyle.skip -pl client-bench -am package) >&2
OUT="$(mktemp -d /tmp/hostile-udp.XXXXXX)"
chmod 700 "$OUT"
JAVA_FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536)
free_udp_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
P1="$(free_udp_port)"
P2="$(free_udp_port)"

RINGSIDE_COUNTERS_DIR="$OUT/counters" taskset -c 0 java "${JAVA_FLAGS[@]}" -jar "$JAR" server --protocol echo \
    --udp "127.0.0.1:$P1" --udp "127.0.0.1:$P2" >"$OUT/server.log" 2>&1 &
SERVER=$!
stop() { kill -TERM "$SERVER" 2>/dev/null || true; timeout 10 tail --pid="$SERVER" -f /dev/null || kill -KILL "$SERVER"; }
trap stop EXIT
for _ in $(seq 200); do
    grep -q "^counters " "$OUT/server.log" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/server.log" >&2; echo "udp-reflection FAIL (server did not start)"; exit 1; }
    timeout 1 tail --pid="$SERVER" -f /dev/null 2>/dev/null || true # wait up to 1 s, or until it exits
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
BEFORE="$(cpu_ticks)"
START_NS="$(date +%s%N)"
# An IPv4 header plus UDP header with a zero checksum (allowed over IPv4); the kernel fills in the IP checksum,
# total length and id for IP_HDRINCL sockets.
timeout 10 python3 - "$P1" "$P2" <<'PY'
import socket, struct, sys
p1, p2 = int(sys.argv[1]), int(sys.argv[2])
payload = b"forged source" * 2
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
for src, dst in ((p1, p1), (p1, p2)):
    udp = struct.pack("!HHHH", src, dst, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton("127.0.0.1"), socket.inet_aton("127.0.0.1"))
    s.sendto(ip + udp, ("127.0.0.1", 0))
PY
timeout "$WATCH_S" tail --pid="$SERVER" -f /dev/null 2>/dev/null || true # watch for WATCH_S seconds
AFTER="$(cpu_ticks)"
END_NS="$(date +%s%N)"
TICKS_PER_S="$(getconf CLK_TCK)"
CPU_PCT="$(awk -v t=$((AFTER - BEFORE)) -v hz="$TICKS_PER_S" -v ns=$((END_NS - START_NS)) \
    'BEGIN { printf "%.1f", 100 * t / hz / (ns / 1e9) }')"
# The text form of stat, so that a jar from before `stat --json` can be probed too (the "before" figures).
STAT="$(RINGSIDE_COUNTERS_DIR="$OUT/counters" timeout 20 java "${JAVA_FLAGS[@]}" -jar "$JAR" stat --once "$SERVER")"
count() {
    awk -v k="$1" '{ v = $NF; $NF = ""; sub(/^ +/, ""); sub(/ +$/, ""); if ($0 == k) { gsub(",", "", v); print v; f = 1 } }
        END { if (!f) print 0 }' <<<"$STAT"
}
REFUSED="$(count "datagrams refused (own or port-0 source)")"
IN="$(count "datagrams in")"
SENT="$(count "datagrams out")"
WATCHED="$(awk -v ns=$((END_NS - START_NS)) 'BEGIN { printf "%.1f", ns / 1e9 }')"
if [[ "$SENT" == 0 && "$REFUSED" -ge 2 ]] && awk -v c="$CPU_PCT" 'BEGIN { exit !(c < 20) }'; then
    VERDICT=PASS
else
    VERDICT=FAIL
fi
echo "udp-reflection $VERDICT refused $REFUSED in $IN out $SENT cpu $CPU_PCT% (over $WATCHED s)"
