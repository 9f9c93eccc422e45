#!/usr/bin/env bash
# Per-message counts of each server at one load shape, side by side (issue 13, server side; perf/RESULTS.md,
# "Server CPU, session 5"): the figures that explain a CPU-per-message difference and, unlike CPU per message
# itself, hold on a loaded machine, because they are counted, not timed.
#
#   flock /tmp/ringside-bench.lock perf/scripts/server-counts.sh [CONNS] [DEPTH] [SECONDS] [ROUNDS]
#       CONNS x DEPTH  the C load client's connections and messages in flight each (default 100 x 16)
#       SECONDS        the counted window per run (default 3; a run is 2 s of warm-up, SECONDS+3 s untraced and
#                      SECONDS+1 s traced)
#       ROUNDS         repetitions, the servers' order flipped every round (default 2)
#
#   JARS="label=path/to/ringside.jar label2=..."  the ringside builds to count (default: this checkout's, "ringside")
#   SERVER_ARGS="..."                              extra `ringside server` options for every build
#
# The C epoll echo server (perf/c/echo-server.c) and every build's `ringside server` run pinned to CPU 0 and are
# driven in turn by perf/c/load-client.c on CPU 1. Over each window `perf stat -p PID` counts the server's
# system calls (read, write, epoll_wait and all), context switches and its CPU; a second, 1 s `perf record` of
# the epoll_wait enter/exit tracepoints gives the timeout each call passed and how many fds it returned (the
# batch a wake-up handles); /proc/PID/task/*/stat gives user vs system time and the loop thread's share. Per
# message = per reply the client counted in the window (its rate times the window). Loopback only; every process
# it starts is stopped by its PID.
set -euo pipefail
{
CONNS="${1:-100}"
DEPTH="${2:-16}"
WINDOW_S="${3:-3}"
ROUNDS="${4:-2}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="$(mktemp -d /tmp/server-counts.XXXXXX)"
build_c_reference "$OUT"
FLAGS+=(${RINGSIDE_JAVA_OPTS:-})
read -r -a JAR_SPECS <<<"${JARS:-ringside=$ROOT/client-bench/target/ringside.jar}"

echo "# $(date -u +%FT%TZ) $CONNS x $DEPTH, window ${WINDOW_S}s x $ROUNDS rounds;" \
    "load $(cut -d' ' -f1-3 /proc/loadavg); raw in $OUT"
declare -A PORT PID
NAMES=(c)
for spec in "${JAR_SPECS[@]}"; do
    name=${spec%%=*}; NAMES+=("$name")
    cp "${spec#*=}" "$OUT/$name.jar"   # a copy: a rebuild during the run cannot change what is counted
done
start_server() {
    local name=$1; shift
    PORT[$name]=$(free_port)
    if [[ $name == c ]]; then
        taskset -c 0 "$OUT/echo-server" -p "${PORT[$name]}" >"$OUT/server-$name.log" 2>&1 &
    else
        # shellcheck disable=SC2086
        taskset -c 0 "$JAVA" "${FLAGS[@]}" -jar "$OUT/$name.jar" server --tcp "127.0.0.1:${PORT[$name]}" \
            --no-counters-file ${SERVER_ARGS:-} >"$OUT/server-$name.log" 2>&1 &
    fi
    PID[$name]=$!; PIDS+=("$!")
    echo "${PORT[$name]}" >"$OUT/port-$name"
    wait_port "${PORT[$name]}" || { echo "server $name did not start; see $OUT/server-$name.log" >&2; exit 1; }
}
for name in "${NAMES[@]}"; do start_server "$name"; done
for name in "${NAMES[@]}"; do   # the JIT meets this load shape before anything is counted
    timeout 60 taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$name]}" -c "$CONNS" -d "$DEPTH" -w 0 -T 4 \
        >/dev/null 2>&1 || true
done

thread_ticks() {  # "tid utime stime voluntary nonvoluntary" for every thread of $1
    local t
    for t in /proc/"$1"/task/*; do
        echo "${t##*/} $(awk '{print $14, $15}' "$t/stat" 2>/dev/null)" \
            "$(awk '/^(non)?voluntary_ctxt/ {printf "%s ", $2}' "$t/status" 2>/dev/null)"
    done
}
segments() {  # every established socket of the server's port, both sides, with its TCP counters (ss -ti)
    ss -tinH state established "( sport = :$1 or dport = :$1 )" || true
}
EVENTS=raw_syscalls:sys_enter,syscalls:sys_exit_read,syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait
for round in $(seq 1 "$ROUNDS"); do
    order=("${NAMES[@]}")
    (( round % 2 == 0 )) && mapfile -t order < <(printf '%s\n' "${NAMES[@]}" | tac)
    for name in "${order[@]}"; do
        run="$OUT/r$round-$name"
        # 1. Untraced: CPU per message (the client samples the server's CPU itself), user/system split, context
        #    switches; the /proc snapshots sit inside the client's measured window.
        timeout $((WINDOW_S + 60)) taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$name]}" -c "$CONNS" \
            -d "$DEPTH" -w 2 -T $((WINDOW_S + 3)) -S "${PID[$name]}" >"$run.client" 2>&1 &
        client=$!; PIDS+=("$client")
        sleep 2.5
        cut -d' ' -f1 /proc/loadavg >"$run.load"
        thread_ticks "${PID[$name]}" >"$run.ticks0"; date +%s.%N >"$run.t0"; segments "${PORT[$name]}" >"$run.segs0"
        sleep "$(echo "$WINDOW_S - 0.4" | bc)"
        thread_ticks "${PID[$name]}" >"$run.ticks1"; date +%s.%N >"$run.t1"; segments "${PORT[$name]}" >"$run.segs1"
        wait "$client" 2>/dev/null || true
        # 2. Traced: every system call of the server's threads over the window, bytes read (so messages are counted
        #    by the server's own reads, not by a rate), epoll_wait's timeout and ready count.
        timeout $((WINDOW_S + 60)) taskset -c 1 "$OUT/load-client" -t "127.0.0.1:${PORT[$name]}" -c "$CONNS" \
            -d "$DEPTH" -w 1 -T $((WINDOW_S + 1)) >"$run.client2" 2>&1 &
        client=$!; PIDS+=("$client")
        sleep 1.5
        perf record -q -o "$run.data" -e "$EVENTS" -p "${PID[$name]}" -- sleep "$WINDOW_S" >/dev/null 2>&1 || true
        perf script -i "$run.data" -F tid,event,trace 2>/dev/null | python3 -c '
import collections, re, sys
nr, reads, timeouts, ready = collections.Counter(), [0, 0], collections.Counter(), collections.Counter()
for line in sys.stdin:
    if "raw_syscalls:sys_enter" in line:
        nr[int(line.split("NR ")[1].split()[0])] += 1
    elif "sys_exit_read" in line:
        v = int(line.rsplit(None, 1)[1], 16)
        if v < 2**63:
            reads[0] += v; reads[1] += 1
    elif "sys_enter_epoll_wait" in line:
        v = int(line.rsplit("timeout: ", 1)[1], 16)
        timeouts[v - 2**32 if v >= 2**31 else v] += 1
    elif "sys_exit_epoll_wait" in line:
        ready[int(line.rsplit(None, 1)[1], 16)] += 1
print(dict(nr=dict(nr), read_bytes=reads[0], reads_ok=reads[1], timeouts=dict(timeouts), ready=dict(ready)))
' >"$run.trace"
        rm -f "$run.data"
        wait "$client" 2>/dev/null || true
    done
done

python3 - "$OUT" "$ROUNDS" "$(getconf CLK_TCK)" "$DEPTH" "${NAMES[@]}" <<'PY'
import ast, collections, statistics, sys
out, rounds, hz, depth, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
SIZE = 64
CALLS = {0: "read", 1: "write", 232: "epoll_wait", 233: "epoll_ctl", 202: "futex", 281: "epoll_pwait"}
def threads(path):
    d = {}
    for line in open(path):
        p = line.split()
        if len(p) >= 5:
            d[p[0]] = [int(x) for x in p[1:5]]
    return d
def sockets(path, port):
    """(side, local, peer) -> (segs_out, data_segs_out) for each socket in one ss -ti snapshot."""
    d, key = {}, None
    for line in open(path):
        p = line.split()
        if not line.startswith((" ", "\t")) and len(p) >= 4:
            key = ("server" if p[-2].rsplit(":", 1)[1] == port else "client", p[-2], p[-1])
        elif key:
            c = dict(x.split(":", 1) for x in p if x.endswith(tuple("0123456789")) and ":" in x)
            d[key] = (int(c.get("segs_out", 0)), int(c.get("data_segs_out", 0)))
            key = None
    return d
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for r in range(1, rounds + 1):
    for n in names:
        base = f"{out}/r{r}-{n}"
        kv = dict(p.split("=", 1) for p in open(base + ".client").read().split() if "=" in p)
        row = rows[n]
        rate = float(kv.get("rate", 0))
        row["msg/s (untraced)"].append(rate)
        row["server CPU us/msg (untraced)"].append(float(kv.get("server_us_per_op", 0)))
        a, b = threads(base + ".ticks0"), threads(base + ".ticks1")
        dt = float(open(base + ".t1").read()) - float(open(base + ".t0").read())
        msgs = rate * dt
        d = {t: [y - x for x, y in zip(a.get(t, [0] * 4), v)] for t, v in b.items()}
        user, system = sum(v[0] for v in d.values()), sum(v[1] for v in d.values())
        busiest = max(d, key=lambda t: d[t][0] + d[t][1])
        row["user share of CPU %"].append(100 * user / max(user + system, 1))
        row["busiest thread share of CPU %"].append(100 * sum(d[busiest][:2]) / max(user + system, 1))
        row["vol. ctx switches /1k msg, all threads"].append(1000 * sum(v[2] for v in d.values()) / max(msgs, 1))
        row["invol. ctx switches /1k msg, all threads"].append(1000 * sum(v[3] for v in d.values()) / max(msgs, 1))
        row["vol. ctx switches /1k msg, busiest thread"].append(1000 * d[busiest][2] / max(msgs, 1))
        port = open(f"{out}/port-{n}").read().strip()
        s0, s1 = sockets(base + ".segs0", port), sockets(base + ".segs1", port)
        both = [k for k in s1 if k in s0]   # sockets open over the whole window only
        for side in ("server", "client"):
            keys = [k for k in both if k[0] == side]
            seg = sum(s1[k][0] - s0[k][0] for k in keys)
            data = sum(s1[k][1] - s0[k][1] for k in keys)
            share = len(keys) / max(1, len([k for k in s1 if k[0] == side]))
            row[f"{side} side: TCP segments sent per msg"].append(seg / max(msgs * share, 1))
            row[f"{side} side: pure ACKs sent per msg"].append((seg - data) / max(msgs * share, 1))
        tr = ast.literal_eval(open(base + ".trace").read())
        tmsgs = tr["read_bytes"] / SIZE
        if tmsgs <= 0:
            continue
        nr = tr["nr"]
        row["syscalls/msg"].append(sum(nr.values()) / tmsgs)
        for k, name in CALLS.items():
            row[f"{name}/msg"].append(nr.get(k, 0) / tmsgs)
        row["other syscalls/msg"].append(sum(v for k, v in nr.items() if k not in CALLS) / tmsgs)
        row["msgs per read"].append(tmsgs / max(tr["reads_ok"], 1))
        ready = tr["ready"]
        waits = sum(ready.values())
        row["msgs per epoll_wait"].append(tmsgs / max(waits, 1))
        row["fds per epoll_wait return"].append(sum(k * v for k, v in ready.items()) / max(waits, 1))
        row["epoll_wait returning 0 %"].append(100 * ready.get(0, 0) / max(waits, 1))
        tos = collections.Counter(tr["timeouts"])
        row["epoll_wait timeouts (value:share)"].append(
            ", ".join(f"{k}:{100 * v / max(waits, 1):.0f}%" for k, v in tos.most_common(3)))
        row["load1"].append(float(open(base + ".load").read()))
def cell(vals):
    if not vals:
        return ""
    if isinstance(vals[0], str):
        return " / ".join(vals)
    fmt = (lambda v: f"{v:,.0f}") if max(vals) >= 1000 else (lambda v: f"{v:.3f}")
    return fmt(statistics.median(vals)) + (f" ({fmt(min(vals))}-{fmt(max(vals))})" if len(vals) > 1 else "")
keys = []
for n in names:
    keys += [k for k in rows[n] if k not in keys]
print("median (range) over rounds. Untraced rows: the C client's rate and its server-CPU sample; traced rows: per "
      "message = per 64 B the server read in the perf-record window")
print("| | " + " | ".join(names) + " |")
print("| --- |" + " ---: |" * len(names))
for k in keys:
    print(f"| {k} | " + " | ".join(cell(rows[n][k]) for n in names) + " |")
PY
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
}
