#!/usr/bin/env python3
"""Alternates two commands (A B A B …) and reports min/median/max wall time
of each and the ratio of medians, as docs/performance.md asks: absolute
times drift with the disk here, so targets are ratios measured in one run.

usage: scripts/bench-build.py RUNS 'command A' 'command B'
Each command runs through the shell. Also reports peak RSS (from
/usr/bin/time -f %M) when available."""
import statistics, subprocess, sys, time

runs = int(sys.argv[1])
cmds = sys.argv[2:]
times = {c: [] for c in cmds}
rss = {c: [] for c in cmds}
for i in range(runs):
    for c in cmds:
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", c], capture_output=True, text=True)
        times[c].append(time.perf_counter() - t)
        if p.returncode != 0:
            sys.exit(f"failed: {c}\n{p.stderr}")
        try:
            rss[c].append(int(p.stderr.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            pass
for c in cmds:
    ts = times[c]
    peak = f", peak RSS {max(rss[c]) / 1024:.0f} MiB" if rss[c] else ""
    print(f"{statistics.median(ts):7.3f} s median (min {min(ts):.3f}, max {max(ts):.3f}){peak}  {c}")
if len(cmds) == 2:
    a, b = (statistics.median(times[c]) for c in cmds)
    print(f"ratio B/A = {b / a:.2f}")
