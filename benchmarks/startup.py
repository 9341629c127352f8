"""Time from exec of `wharf serve` to its first answered request, and its idle RSS.

Usage: startup.py <wharf binary> <data dir> <port>; prints JSON. Best of 5 starts, each on a
fresh data directory (the first start also creates the database).
"""
import json, os, shutil, subprocess, sys, time, urllib.request

binary, data, port = sys.argv[1], sys.argv[2], sys.argv[3]
times = []
rss_kb = None
for attempt in range(5):
    shutil.rmtree(data, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "serve", "--port", port, "--data-dir", data, "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except Exception:
                time.sleep(0.001)
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.5)
        with open(f"/proc/{proc.pid}/status") as status:
            rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    finally:
        proc.terminate()
        proc.wait()
shutil.rmtree(data, ignore_errors=True)
print(json.dumps({"first_answer_ms": sorted(times), "best_ms": min(times), "idle_kb": rss_kb}))
