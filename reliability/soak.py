#!/usr/bin/env python3
"""Soak (issue 15): `wharf serve` on SQLite with 1,000 queues and 10,000 idle long polls, under
a send/receive/delete load at half of the peak this generator measured first; every interval
it samples the server's RSS, open file descriptors, database and WAL size, and the load's
p50/p99 latency, into a CSV (and a PNG plot when matplotlib is there).

Flat means, between the first sample after the warm-up and the last, within these tolerances:
RSS grows by at most 25% + 16 MiB; open descriptors move by at most 2% + 20; the WAL stays
under 64 MiB (checkpoints keep up); the database grows by at most 25% + 8 MiB (deleted
messages' pages are reused); p99 stays under 3x its first value + 20 ms. Exits 1 otherwise.

  reliability/soak.py --minutes 60 --interval 60      # the documented long run
  reliability/soak.py --minutes 3 --interval 10       # CI (scripts/test-all.sh)
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from harness import REPO, free_port, wharf_binary

QUEUES = 1000
LOAD_QUEUES = 50
HEADERS = {"Content-Type": "application/x-amz-json-1.0"}


def call(conn: http.client.HTTPConnection, operation: str, payload: dict) -> dict:
    conn.request("POST", "/", body=json.dumps(payload),
                 headers=dict(HEADERS, **{"X-Amz-Target": f"AmazonSQS.{operation}"}))
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{operation}: {response.status} {body[:200]!r}")
    return json.loads(body) if body else {}


class Load:
    """Worker threads doing send, receive, delete on the load queues, at a target rate (cycles/s,
    0 = as fast as they go), recording each cycle's latency."""

    def __init__(self, port: int, urls: list[str], workers: int):
        self.port, self.urls, self.workers = port, urls, workers
        self.rate = 0.0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.cycles = 0
        self.errors = 0
        self.stop = threading.Event()

    def start(self):
        for index in range(self.workers):
            threading.Thread(target=self.run, args=(index,), daemon=True).start()

    def take(self) -> tuple[list[float], int, int]:
        with self.lock:
            latencies, cycles, errors = self.latencies, self.cycles, self.errors
            self.latencies, self.cycles, self.errors = [], 0, 0
        return latencies, cycles, errors

    def run(self, index: int):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = 0
        next_at = time.monotonic()
        while not self.stop.is_set():
            if self.rate > 0:
                next_at += self.workers / self.rate
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -1:
                    next_at = time.monotonic()
            url = self.urls[(index + n * self.workers) % len(self.urls)]
            n += 1
            started = time.monotonic()
            try:
                call(conn, "SendMessage", {"QueueUrl": url, "MessageBody": f"soak-{index}-{n}-" + "x" * 200})
                got = call(conn, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 1})
                for m in got.get("Messages", []):
                    call(conn, "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": m["ReceiptHandle"]})
                elapsed = time.monotonic() - started
                with self.lock:
                    self.latencies.append(elapsed)
                    self.cycles += 1
            except Exception:  # noqa: BLE001 - counted; the connection is made again
                with self.lock:
                    self.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)


async def idle_long_polls(port: int, urls: list[str], count: int, ready: threading.Event, stop: threading.Event,
                          stats: dict):
    """`count` connections each holding a 20-second ReceiveMessage on an empty queue, again and again."""
    async def one(index: int):
        url = urls[index % len(urls)]
        body = json.dumps({"QueueUrl": url, "WaitTimeSeconds": 20, "MaxNumberOfMessages": 1}).encode()
        request = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-amz-json-1.0\r\n"
                   f"X-Amz-Target: AmazonSQS.ReceiveMessage\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        while not stop.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                stats["open"] += 1
                try:
                    while not stop.is_set():
                        writer.write(request)
                        await writer.drain()
                        head = await reader.readuntil(b"\r\n\r\n")
                        length = 0
                        for line in head.split(b"\r\n"):
                            if line.lower().startswith(b"content-length:"):
                                length = int(line.split(b":")[1])
                        await reader.readexactly(length)
                        stats["answered"] += 1
                finally:
                    stats["open"] -= 1
                    writer.close()
            except (OSError, asyncio.IncompleteReadError):
                stats["failed"] += 1
                await asyncio.sleep(1)

    tasks = []
    for index in range(count):
        tasks.append(asyncio.ensure_future(one(index)))
        if index % 500 == 499:
            await asyncio.sleep(0.2)   # do not flood the accept queue
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.5)
    for task in tasks:
        task.cancel()


def process_sample(pid: int, data: Path) -> dict:
    rss = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
    size = lambda p: p.stat().st_size if p.exists() else 0  # noqa: E731
    return {"rss_mib": round(rss / 1048576, 1), "fds": len(os.listdir(f"/proc/{pid}/fd")),
            "db_mib": round(size(data / "wharf.sqlite") / 1048576, 2),
            "wal_mib": round(size(data / "wharf.sqlite-wal") / 1048576, 2)}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--interval", type=float, default=10, help="seconds between samples")
    parser.add_argument("--long-polls", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--peak-seconds", type=float, default=8)
    parser.add_argument("--name", default="")
    args = parser.parse_args()
    name = args.name or ("soak-ci" if args.minutes <= 5 else "soak")

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.long_polls * 2 + 4096
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, wanted), hard), hard))

    work = Path(tempfile.mkdtemp(prefix="wharf-soak-"))
    data, port = work / "data", free_port()
    # The server inherits the raised descriptor limit; --max-connections over the long polls.
    server = subprocess.Popen([wharf_binary(), "serve", "--port", str(port), "--data-dir", str(data),
                               "--max-connections", str(args.long_polls + 2048), "--log-level", "warning"],
                              stdout=open(work / "wharf.log", "ab"), stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    urls = [call(conn, "CreateQueue", {"QueueName": f"soak-{k:04d}"})["QueueUrl"] for k in range(QUEUES)]

    stop = threading.Event()
    polls_ready = threading.Event()
    poll_stats = {"open": 0, "answered": 0, "failed": 0}
    threading.Thread(target=lambda: asyncio.run(idle_long_polls(port, urls[LOAD_QUEUES:], args.long_polls,
                                                                polls_ready, stop, poll_stats)),
                     daemon=True).start()
    polls_ready.wait(120)

    load = Load(port, urls[:LOAD_QUEUES], args.workers)
    load.start()
    time.sleep(1)
    load.take()
    time.sleep(args.peak_seconds)
    latencies, cycles, _ = load.take()
    peak = cycles / args.peak_seconds
    load.rate = peak / 2
    print(f"peak {peak:.0f} cycles/s (send+receive+delete, this generator, with {poll_stats['open']} long polls "
          f"open); soaking at {load.rate:.0f}/s", flush=True)

    rows = []
    started = time.monotonic()
    load.take()
    while time.monotonic() - started < args.minutes * 60:
        time.sleep(args.interval)
        latencies, cycles, errors = load.take()
        row = {"seconds": round(time.monotonic() - started), **process_sample(server.pid, data),
               "p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
               "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
               "cycles_per_s": round(cycles / args.interval, 1), "errors": errors,
               "long_polls_open": poll_stats["open"]}
        rows.append(row)
        print(row, flush=True)
    stop.set()
    load.stop.set()
    server.terminate()
    server.wait(30)

    out = REPO / "reliability" / "results"
    out.mkdir(exist_ok=True)
    with open(out / f"{name}.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        figure, axes = plt.subplots(4, 1, figsize=(8, 10), sharex=True)
        t = [r["seconds"] / 60 for r in rows]
        for axis, keys, label in [(axes[0], ["rss_mib"], "RSS (MiB)"), (axes[1], ["fds"], "open fds"),
                                  (axes[2], ["db_mib", "wal_mib"], "MiB"), (axes[3], ["p50_ms", "p99_ms"], "ms")]:
            for key in keys:
                axis.plot(t, [r[key] for r in rows], label=key)
            axis.set_ylabel(label)
            axis.legend()
        axes[-1].set_xlabel("minutes")
        figure.suptitle(f"wharf soak: {QUEUES} queues, {args.long_polls} idle long polls, {load.rate:.0f} cycles/s")
        figure.savefig(out / f"{name}.png", dpi=80)
    except ImportError:
        print("matplotlib not installed: no plot")

    # Flatness: the first sample past the warm-up (a quarter of the run) against the last.
    first = rows[max(0, len(rows) // 4 - 1)] if len(rows) > 2 else rows[0]
    last = rows[-1]
    problems = []
    if last["rss_mib"] > first["rss_mib"] * 1.25 + 16:
        problems.append(f"RSS grew from {first['rss_mib']} to {last['rss_mib']} MiB")
    if abs(last["fds"] - first["fds"]) > first["fds"] * 0.02 + 20:
        problems.append(f"open fds went from {first['fds']} to {last['fds']}")
    if max(r["wal_mib"] for r in rows) > 64:
        problems.append(f"WAL reached {max(r['wal_mib'] for r in rows)} MiB")
    if last["db_mib"] > first["db_mib"] * 1.25 + 8:
        problems.append(f"database grew from {first['db_mib']} to {last['db_mib']} MiB")
    if last["p99_ms"] > first["p99_ms"] * 3 + 20:
        problems.append(f"p99 went from {first['p99_ms']} to {last['p99_ms']} ms")
    if sum(r["errors"] for r in rows):
        problems.append(f"{sum(r['errors'] for r in rows)} load errors")
    if min(r["long_polls_open"] for r in rows) < args.long_polls * 0.98:
        problems.append(f"long polls open fell to {min(r['long_polls_open'] for r in rows)}")
    summary = {"peak_cycles_per_s": round(peak, 1), "soak_rate": round(load.rate, 1), "queues": QUEUES,
               "long_polls": args.long_polls, "samples": len(rows), "first": first, "last": last,
               "median_p99_ms": statistics.median(r["p99_ms"] for r in rows), "problems": problems}
    (out / f"{name}.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    subprocess.run(["rm", "-rf", str(work)], check=False)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
