#!/usr/bin/env bash
# Issue 12, generator side: (1) the 100,000-connection demo (prefork server + bench --processes auto);
# (2) the generator's ceiling with --processes 2 against --processes 1, side by side, closed loop against
# a prefork server. Run from the repository root; every run holds /tmp/ringside-bench.lock, and the load
# average is printed beside each figure. Usage: perf/scripts/fleet.sh [ROUNDS] [SECONDS]
set -euo pipefail
ROUNDS="${1:-3}"
SECS="${2:-10}"
OUT="$(mktemp -d /tmp/ringside-fleet-XXXX)"
R=./ringside
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "results in $OUT"

echo "== 100,000 connections: ./ringside demo --connections 100000 (load $(load))"
flock /tmp/ringside-bench.lock /usr/bin/time -f "CPU %U s user + %S s sys in %e s wall (the demo and every child)" \
    $R demo --connections 100000 --duration 20s --warmup 5s --out "$OUT/demo100k" \
    > "$OUT/demo100k.out" 2> "$OUT/demo100k.err" || true
grep -E "^ringside demo:|connections |requests |errors |verdict" "$OUT/demo100k.out"
grep -h "^CPU " "$OUT/demo100k.err" || true
echo "load after: $(load)"

echo "== generator ceiling: --processes 1 vs 2, closed loop, pipeline 8, 200 connections, server on CPU 0"
"$R" server --protocol echo --tcp 127.0.0.1:0 --processes 2 --no-counters-file > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening tcp" "$OUT/server.log" && break; sleep 0.2; done
PORT=$(grep -o "listening tcp [0-9.:]*" "$OUT/server.log" | head -1 | awk -F: '{print $NF}')
taskset -a -p -c 0 "$SERVER" > /dev/null
for pid in $(pgrep -P "$SERVER"); do taskset -a -p -c 0 "$pid" > /dev/null; done
printf 'round\tprocesses\tmsg_s\tp99_us\terrors\tload\n'
for round in $(seq "$ROUNDS"); do
    for p in 1 2; do
        flock /tmp/ringside-bench.lock $R bench --target 127.0.0.1:"$PORT" --connections 200 --closed-loop \
            --pipeline 8 --duration "${SECS}s" --warmup 2s --processes "$p" --cpus 1 --no-progress \
            --json "$OUT/p$p-r$round.json" > "$OUT/p$p-r$round.out" 2>&1 || true
        python3 - "$OUT/p$p-r$round.json" "$round" "$p" "$(load)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print('\t'.join([sys.argv[2], sys.argv[3], '%.0f' % d['rate']['achieved'], '%.1f' % d['latencyUs']['p99'],
                 str(d['errors']['total']), sys.argv[4]]))
PY
    done
done
