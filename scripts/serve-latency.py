#!/usr/bin/env python3
"""Time from saving a notice to the reloaded page being served by `podium serve`.

Usage: scripts/serve-latency.py PODIUM_BINARY PROJECT_DIR SITE NOTICE_FILE [RUNS]

Starts `podium serve --site SITE` on a free loopback port, then RUNS times:
waits on the reload long-poll exactly as the browser script does, appends a
marker line to NOTICE_FILE (relative to PROJECT_DIR), and stops the clock
when the page of that notice is served with the marker in it. Prints each
run and the min/median/max in milliseconds. Edits a copy: point it at one.
"""
import os, socket, statistics, subprocess, sys, threading, time, urllib.request

binary, project, site, notice = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
proc = subprocess.Popen([binary, "serve", "--root", project, "--site", site, "--port", str(port)],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
base = f"http://127.0.0.1:{port}"
slug = os.path.basename(notice).split(".")[0]
page = f"{base}/notices/{slug}/"
for _ in range(600):
    try:
        urllib.request.urlopen(base + "/", timeout=1).read(); break
    except Exception:
        time.sleep(0.1)
def fetch(url):
    return urllib.request.urlopen(url, timeout=60).read().decode("utf-8", "replace")
times = []
path = os.path.join(project, notice)
try:
    for i in range(runs):
        html = fetch(page)
        gen = html.split('data-generation="')[1].split('"')[0]
        marker = f"latency-marker-{i}-{time.time_ns()}"
        got = {}
        def wait():
            got["g"] = fetch(f"{base}/__podium/wait?since={gen}")
        t = threading.Thread(target=wait); t.start()
        time.sleep(0.3)  # the long-poll is in place, as in an open browser tab
        t0 = time.perf_counter()
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\n{marker}\n")
        t.join()
        body = fetch(page)
        t1 = time.perf_counter()
        assert marker in body, "the reloaded page lacks the edit"
        ms = (t1 - t0) * 1000
        times.append(ms)
        print(f"run {i + 1}: {ms:.0f} ms")
    print(f"min {min(times):.0f} ms, median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {runs} runs")
finally:
    proc.terminate()
    try:
        out, err = proc.communicate(timeout=5)
        sys.stderr.write("".join(l + "\n" for l in err.splitlines() if l.startswith("rebuilt")))
    except Exception:
        proc.kill()
