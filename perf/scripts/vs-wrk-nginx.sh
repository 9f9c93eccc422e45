#!/usr/bin/env bash
# `ringside bench` against wrk, both driving the same stock nginx (perf/RESULTS.md, "Driving nginx (issue 9)").
# One session, interleaved: for each scenario and round, wrk then ringside against the same nginx process, so
# drift in the machine's load hits both. nginx (one worker) is pinned to CPU 0, the load generator to CPU 1.
#
#   perf/scripts/vs-wrk-nginx.sh [SECONDS] [ROUNDS] [CONNECTIONS...]
#       SECONDS      measured seconds per run (default 8; ringside adds a 2 s warm-up, wrk gets a 2 s run first)
#       ROUNDS       repetitions (default 2)
#       CONNECTIONS  closed-loop connection counts (default 50 1000)
#
# Scenarios:
#   closed loop at each connection count, keep-alive (nginx `keepalive_requests` KEEPALIVE_REQUESTS, default
#   1000 as shipped, so connections are closed by nginx and reopened by both tools): req/s and p50.
#   churn: one request per connection (`--requests-per-connection 1 --connect-rate 1000000`, so that the default
#   connect rate of 10,000/s does not cap it / wrk with `Connection: close`), 50 connections, against nginx and
#   against `ringside server --protocol http`: connections/s (= requests/s, one request per connection).
# Each row of the table carries the load average (1 min) read before the scenario's first run.
# nginx is started from a config written to a temporary directory, on a free loopback port, and stopped by its
# PID; every run is bounded by `timeout`. Run it under `flock /tmp/ringside-bench.lock`.
# RINGSIDE_BENCH_ARGS adds options to every `ringside bench` run (e.g. "--idle spin": whether the closed-50 gap is
# the generator's wake-up from a blocking select; perf/RESULTS.md, "Generator speed (issue 13 and issue 9)").
# IDLE_MODES="backoff block spin" runs `ringside bench` once per idle mode after each wrk run (rows
# ringside-MODE), so the modes are compared with wrk and with each other in one session; unset, one run with the
# default mode (row ringside).
set -euo pipefail
{
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_RUN="${1:-8}"
ROUNDS="${2:-2}"
shift 2 2>/dev/null || shift $#
CONNECTIONS=("${@:-50 1000}")
# shellcheck disable=SC2206
CONNECTIONS=(${CONNECTIONS[*]})
KEEPALIVE_REQUESTS="${KEEPALIVE_REQUESTS:-1000}"
# shellcheck disable=SC2206
MODES=(${IDLE_MODES:-""})
[[ ${#MODES[@]} -gt 0 ]] || MODES=("")
OUT="$(mktemp -d /tmp/vs-wrk-nginx.XXXXXX)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { echo "nginx is missing (apt-get install nginx-light)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

JAR="$ROOT/client-bench/target/ringside.jar"
# Rebuild when the jar is missing or older than any source: a stale jar would measure yesterday's code.
if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/engine/src/main" "$ROOT/client-bench/src/main" -newer "$JAR" -print -quit)" ]]; then
    (cd "$ROOT" && mvn -q -B -o -DskipTests -Dcheckstyle.skip -pl client-bench -am package) >&2
fi
cp "$JAR" "$OUT/ringside.jar"
JAVA_FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 -XX:+UseParallelGC)
ringside() { java "${JAVA_FLAGS[@]}" -jar "$OUT/ringside.jar" "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

PORT="$(free_port)"
mkdir -p "$OUT/nginx/logs"
cat >"$OUT/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests $KEEPALIVE_REQUESTS;
    server {
        listen 127.0.0.1:$PORT backlog=4096;
        location / { return 200 "hello, world\n"; }
    }
}
EOF
taskset -c 0 "$NGINX" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" &
PIDS+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

RPORT="$(free_port)"
taskset -c 0 java "${JAVA_FLAGS[@]}" -jar "$OUT/ringside.jar" server --protocol http --tcp "127.0.0.1:$RPORT" \
    >"$OUT/ringside-server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$RPORT") 2>/dev/null && break; sleep 0.1; done

# wrk's "Requests/sec" and its 50% latency (with --latency), converted to microseconds.
wrk_run() { # name conns extra-args...
    local name=$1 conns=$2; shift 2
    taskset -c 1 timeout $((SECONDS_PER_RUN + 30)) wrk -t1 -c"$conns" -d"${SECONDS_PER_RUN}s" --latency "$@" \
        >"$OUT/$name.txt" 2>&1 || true
    python3 - "$OUT/$name.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r'Requests/sec:\s+([\d.]+)', text)
p50 = re.search(r'\n\s+50%\s+([\d.]+)(us|ms|s)', text)
unit = {'us': 1, 'ms': 1000, 's': 1e6}
print(f"{float(rps.group(1)) if rps else 0:.0f}\t{float(p50.group(1)) * unit[p50.group(2)] if p50 else 0:.1f}")
PY
}
# ringside's achieved rate and corrected p50 in microseconds, from its JSON summary.
ringside_run() { # name target conns extra-args...
    local name=$1 target=$2 conns=$3; shift 3
    taskset -c 1 timeout $((SECONDS_PER_RUN + 60)) java "${JAVA_FLAGS[@]}" -jar "$OUT/ringside.jar" bench \
        --target "$target" --protocol http -c "$conns" -d "${SECONDS_PER_RUN}s" --warmup 2s --no-progress \
        --json "$OUT/$name.json" ${RINGSIDE_BENCH_ARGS:-} "$@" >"$OUT/$name.txt" 2>&1 || true
    python3 - "$OUT/$name.json" <<'PY'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except Exception:
    print("0\t0"); sys.exit()
def find(d, *keys):
    for k in keys:
        if isinstance(d, dict) and k in d:
            return d[k]
    return None
rate = find(j.get('rate', {}), 'achieved', 'achievedPerS') or find(j, 'rateAchieved') or 0
lat = j.get('latencyUs') or j.get('latency', {}).get('corrected', j.get('latency', {}))
p50 = None
for key in ('p50', '50.0', '50', 'p50Us'):
    if isinstance(lat, dict) and key in lat:
        p50 = lat[key]
        break
if isinstance(lat, dict) and p50 is None and 'percentiles' in lat:
    for row in lat['percentiles']:
        if abs(float(row.get('percentile', 0)) - 50) < 1e-9:
            p50 = row.get('valueUs', row.get('value'))
print(f"{float(rate):.0f}\t{float(p50 or 0):.1f}")
PY
}

printf 'scenario\tround\ttool\trate\tp50_us\tload1\n' >"$OUT/results.tsv"
load1() { cut -d' ' -f1 /proc/loadavg; }
# One row: scenario round tool "rate<TAB>p50" load; the load average is read just before the run.
row() { local scenario=$1 round=$2 tool=$3 load; shift 3; load="$(load1)"
    printf '%s\t%s\t%s\t%s\t%s\n' "$scenario" "$round" "$tool" "$("$@")" "$load" >>"$OUT/results.tsv"; }
for round in $(seq "$ROUNDS"); do
    for c in "${CONNECTIONS[@]}"; do
        wrk_run "warm-$c-$round" "$c" "http://127.0.0.1:$PORT/" >/dev/null
        row "closed-$c" "$round" wrk wrk_run "wrk-$c-$round" "$c" "http://127.0.0.1:$PORT/"
        for mode in "${MODES[@]}"; do
            row "closed-$c" "$round" "ringside${mode:+-$mode}" ringside_run "rs-$c-$round$mode" "127.0.0.1:$PORT" \
                "$c" --closed-loop ${mode:+--idle $mode}
        done
    done
    if ringside bench --help 2>&1 | grep -q -- '--requests-per-connection'; then
        for target in nginx:$PORT ringside:$RPORT; do
            name=${target%%:*}; port=${target##*:}
            row "churn-$name" "$round" wrk wrk_run "wrk-churn-$name-$round" 50 -H 'Connection: close' \
                "http://127.0.0.1:$port/"
            for mode in "${MODES[@]}"; do
                row "churn-$name" "$round" "ringside${mode:+-$mode}" ringside_run "rs-churn-$name-$round$mode" \
                    "127.0.0.1:$port" 50 --closed-loop --requests-per-connection 1 --connect-rate 1000000 \
                    ${mode:+--idle $mode}
            done
        done
    fi
done

echo "raw results: $OUT/results.tsv" >&2
python3 - "$OUT/results.tsv" <<'PY'
import csv, statistics, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
by = defaultdict(lambda: defaultdict(list))
for r in rows:
    by[r['scenario']][r['tool']].append((float(r['rate']), float(r['p50_us']), float(r['load1'] or 0)))
print("| scenario | generator | wrk req/s | ringside req/s | ratio | wrk p50 µs | ringside p50 µs | ratio | load (1 min) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for scenario, tools in by.items():
    w = tools.get('wrk', [(0, 0, 0)])
    wr, wp = statistics.median(x[0] for x in w), statistics.median(x[1] for x in w)
    for tool, g in tools.items():
        if tool == 'wrk':
            continue
        gr, gp = statistics.median(x[0] for x in g), statistics.median(x[1] for x in g)
        loads = [x[2] for x in w + g]
        print(f"| {scenario} | {tool} | {wr:,.0f} | {gr:,.0f} | {gr / wr if wr else 0:.2f} | {wp:,.0f} | {gp:,.0f} | "
              f"{gp / wp if wp else 0:.2f} | {min(loads):.1f}-{max(loads):.1f} |")
PY
}
