#!/usr/bin/env bash
# Why sweeps miss p99 <= 1 ms at their LOW rates (5k, 10k msg/s) and meet it higher up (issue 13, item 2;
# perf/RESULTS.md, "Server speed, session 4"). One selector server pinned to CPU 0, pre-warmed; benches from
# CPU 1 at 1,000 connections, each variant testing one explanation, interleaved over ROUNDS:
#
#   flock /tmp/ringside-bench.lock perf/scripts/low-rate-tail.sh [ROUNDS] [SECONDS]     (defaults 3, 6)
#
#   fresh-5k      a fresh bench JVM, 2 s warm-up, 5k msg/s: what a sweep's first step is
#   fresh-20k     the same at 20k msg/s, where sweeps meet the objective
#   longwarm-5k   a fresh bench JVM with a 20 s warm-up at 5k: if the generator JVM's JIT is the cause, this meets
#   looppin-5k    a fresh bench JVM pinned as `compare` pins it: only its loop thread on CPU 1 (--cpus 1), its
#                 JIT compiler and GC threads free to run on either CPU
#   genspin-5k    the generator with --idle spin: CPU 1 never idles (its loop spins)
#   genblock-5k   the generator with --idle block (the default before session 5; the others run the default, backoff)
#   srvspin-5k    against a second server with --idle spin: CPU 0 never idles
#   burn-5k       a nice-19 busy loop on each CPU during the run: neither CPU ever idles, and the benchmarked
#                 processes (nice 0) preempt the burners; if waking an idle CPU is the cause, this meets
#
# Prints p50/p99/p99.9 (corrected, and p99 uncorrected) per run and the medians. Loopback only; every process
# started here is stopped by its PID.
set -euo pipefail
{
ROUNDS="${1:-3}"
SECONDS_PER_RUN="${2:-6}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="$(mktemp -d /tmp/low-rate-tail.XXXXXX)"
snapshot_jar "$OUT"
echo "# $(date -u +%FT%TZ) low-rate tail: 1,000 connections, ${SECONDS_PER_RUN}s runs, $ROUNDS rounds;" \
    "load $(cut -d' ' -f1-3 /proc/loadavg); raw in $OUT"
declare -A PORT
for mode in block spin; do
    PORT[$mode]=$(free_port)
    taskset -c 0 "$JAVA" "${FLAGS[@]}" -jar "$JAR" server --tcp "127.0.0.1:${PORT[$mode]}" --idle "$mode" \
        --no-counters-file >"$OUT/server-$mode.log" 2>&1 &
    PIDS+=("$!")
    wait_port "${PORT[$mode]}" || { echo "server ($mode) did not start" >&2; exit 1; }
    # Pre-warm each server (as knee.sh does), so what follows measures the generator side and the idle CPUs.
    taskset -c 1 "$JAVA" "${FLAGS[@]}" -jar "$JAR" bench --target "127.0.0.1:${PORT[$mode]}" --connections 1000 \
        --rate 20000 --duration 8s --warmup 0 --no-progress >/dev/null 2>&1 || true
done
printf 'round\tvariant\tp50_us\tp99_us\tp999_us\tp99_uncorrected_us\tachieved\tload1\n' >"$OUT/runs.tsv"
bench() {  # round variant server-mode rate warmup-s extra-args...
    local round=$1 variant=$2 mode=$3 rate=$4 warm=$5; shift 5
    local pin=(taskset -c 1)
    [[ $variant == looppin-* ]] && pin=()
    "${pin[@]}" "$JAVA" "${FLAGS[@]}" -jar "$JAR" bench --target "127.0.0.1:${PORT[$mode]}" --connections 1000 \
        --rate "$rate" --duration "${SECONDS_PER_RUN}s" --warmup "${warm}s" --no-progress \
        --json "$OUT/$variant-r$round.json" "$@" >"$OUT/$variant-r$round.txt" 2>&1 || true
    jq -r --arg r "$round" --arg v "$variant" --arg l "$(cut -d' ' -f1 /proc/loadavg)" \
        '[$r, $v, .latencyUs.p50, .latencyUs.p99, .latencyUs.p999, .uncorrectedLatencyUs.p99, .rate.achieved, $l] | @tsv' \
        "$OUT/$variant-r$round.json" | tee -a "$OUT/runs.tsv"
}
for round in $(seq 1 "$ROUNDS"); do
    bench "$round" fresh-5k block 5000 2
    bench "$round" fresh-20k block 20000 2
    bench "$round" longwarm-5k block 5000 20
    bench "$round" looppin-5k block 5000 2 --cpus 1
    bench "$round" genspin-5k block 5000 2 --idle spin
    bench "$round" genblock-5k block 5000 2 --idle block
    bench "$round" srvspin-5k spin 5000 2
    burners=()
    for cpu in 0 1; do nice -n 19 taskset -c "$cpu" sh -c 'while :; do :; done' & burners+=("$!"); PIDS+=("$!"); done
    bench "$round" burn-5k block 5000 2
    for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
done
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/runs.tsv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| variant | p50 µs | p99 µs (median; range) | p99.9 µs | p99 uncorrected µs | achieved msg/s | load |")
print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
for v in dict.fromkeys(r["variant"] for r in rows):
    rs = [r for r in rows if r["variant"] == v]
    m = lambda k: statistics.median(float(r[k]) for r in rs if r[k] not in ("", "null"))
    p99 = [float(r["p99_us"]) for r in rs]
    print(f"| {v} | {m('p50_us'):.0f} | {m('p99_us'):.0f} ({min(p99):.0f}-{max(p99):.0f}) | {m('p999_us'):.0f} | "
          f"{m('p99_uncorrected_us'):.0f} | {m('achieved'):.0f} | {min(float(r['load1']) for r in rs):.1f}-"
          f"{max(float(r['load1']) for r in rs):.1f} |")
PY
exit 0
}
