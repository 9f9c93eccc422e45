#!/usr/bin/env python3
"""Summarises the runs of perf/scripts/e2e-vs-netty.sh: its runs.tsv in, a Markdown table out.

Per scenario and server: the median over rounds of each figure (errors, losses and drops summed), and the
ratios Ringside / that server of the medians of server CPU per message and of p50. Usage: e2e-summary.py runs.tsv
"""
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
by = collections.OrderedDict()
for r in rows:
    by.setdefault(r['scenario'], collections.OrderedDict()).setdefault(r['server'], []).append(r)
def mean(rs, k):
    """The median over rounds: one run disturbed by another process must not move the figure."""
    v = sorted(float(r[k]) for r in rs if r[k] not in ('', 'null'))
    if not v:
        return float('nan')
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
print()
print('| scenario | server | rounds | msg/s | errors | loss | rcvbuf drops | listen overflows | p50 µs | p99 µs | p99.9 µs | server CPU | server µs/msg | Ringside/this µs/msg | Ringside/this p50 |')
print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for sc, servers in by.items():
    ring = servers.get('ringside')
    for sv, rs in servers.items():
        cpu, p50 = mean(rs, 'server_us_per_msg'), mean(rs, 'p50')
        ratio = ratio50 = ''
        if ring and sv != 'ringside':
            ratio = '%.2f' % (mean(ring, 'server_us_per_msg') / cpu)
            ratio50 = '%.3f' % (mean(ring, 'p50') / p50)
        print('| %s | %s | %d | %.0f | %d | %d | %d | %s | %.1f | %.1f | %.1f | %.0f%% | %.2f | %s | %s |' % (
            sc, sv, len(rs), mean(rs, 'achieved'), sum(int(float(r['errors'])) for r in rs),
            sum(int(float(r['loss'])) for r in rs), sum(int(float(r['rcvbuf_drops'])) for r in rs),
            sum(int(float(r['listen_overflows'])) for r in rs) if 'listen_overflows' in rs[0] else '-', p50, mean(rs, 'p99'), mean(rs, 'p999'),
            mean(rs, 'server_cpu_pct'), cpu, ratio, ratio50))
