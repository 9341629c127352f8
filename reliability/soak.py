#!/usr/bin/env python3
"""Soak (issue 15): `wharf serve` on SQLite (or, with --store postgres, on a PostgreSQL cluster
of its own) with 1,000 queues and 10,000 idle long polls, under a send/receive/delete load at
half of the peak this generator measured first; every interval it samples the server's RSS,
open file descriptors, store and WAL size, and the load's p50/p99 latency, into a CSV (and a
PNG plot when matplotlib is there). The long polls run in a process of their own and the load
in `--processes` more (one Python process would be held back by its GIL); a load cycle is a
SendMessageBatch of 10, a ReceiveMessage of up to 10 and a DeleteMessageBatch.

Flat means, between the first sample after the warm-up (a quarter of the run) and the last,
within these tolerances: RSS grows by at most 25% + 16 MiB; open descriptors move by at most
2% + 20; the WAL stays under 64 MiB (checkpoints keep up; on PostgreSQL pg_wal under
max_wal_size + 64 MiB, and the messages table's dead tuples grow to at most 2x + 100,000:
autovacuum keeps up); the store grows by at most 25% + 8 MiB (deleted messages' space is
reused); p99 stays under 3x its first value + 20 ms; no load errors; the long polls stay open.
Exits 1 otherwise. How the server then stops after SIGTERM is recorded too.

  reliability/soak.py --minutes 60 --interval 60      # the documented long run (release build)
  reliability/soak.py --minutes 3 --interval 10 --long-polls 2000   # CI (scripts/test-all.sh)
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import http.client
import json
import multiprocessing
import os
import queue
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from harness import Postgres, free_port, results_dir, wharf_binary

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


def load_process(port: int, urls: list[str], threads: int, rate, stop, out) -> None:
    """One load process (the GIL would make one process of threads the bottleneck): `threads`
    connections each doing SendMessageBatch (10), ReceiveMessage (up to 10) and
    DeleteMessageBatch on the load queues, together at `rate.value` cycles/s (0: as fast as they
    go). Every second it puts (cycles, latencies, errors) on `out`."""
    lock = threading.Lock()
    tally = {"latencies": [], "cycles": 0, "errors": 0}

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n, next_at = 0, time.monotonic()
        while not stop.is_set():
            if rate.value > 0:
                next_at += threads / rate.value
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -1:
                    next_at = time.monotonic()
            url = urls[(index + n * threads) % len(urls)]
            n += 1
            started = time.monotonic()
            try:
                call(conn, "SendMessageBatch", {"QueueUrl": url, "Entries": [
                    {"Id": str(k), "MessageBody": f"soak-{os.getpid()}-{index}-{n}-{k}-" + "x" * 200} for k in range(10)]})
                got = call(conn, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10})
                messages = got.get("Messages", [])
                if messages:
                    call(conn, "DeleteMessageBatch", {"QueueUrl": url, "Entries": [
                        {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(messages)]})
                elapsed = time.monotonic() - started
                with lock:
                    tally["latencies"].append(elapsed)
                    tally["cycles"] += 1
            except Exception:  # noqa: BLE001 - counted; the connection is made again
                with lock:
                    tally["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    for index in range(threads):
        threading.Thread(target=worker, args=(index,), daemon=True).start()
    while not stop.is_set():
        time.sleep(1)
        with lock:
            taken = (tally["cycles"], tally["latencies"], tally["errors"])
            tally.update(latencies=[], cycles=0, errors=0)
        out.put(taken)


class Load:
    """The load processes, and what they report gathered per sampling interval."""

    def __init__(self, port: int, urls: list[str], processes: int, threads: int):
        self.rate = multiprocessing.Value("d", 0.0)
        self.stop = multiprocessing.Event()
        self.out = multiprocessing.Queue()
        self.processes = [multiprocessing.Process(target=load_process, daemon=True,
                                                  args=(port, urls, threads, self.rate, self.stop, self.out))
                          for _ in range(processes)]

    def start(self):
        for process in self.processes:
            process.start()

    def set_rate(self, total: float) -> None:
        self.rate.value = total / len(self.processes)

    def take(self) -> tuple[list[float], int, int]:
        """What the processes reported since the last take."""
        latencies, cycles, errors = [], 0, 0
        while True:
            try:
                c, l, e = self.out.get_nowait()
            except queue.Empty:
                return latencies, cycles, errors
            latencies += l
            cycles += c
            errors += e

    def end(self):
        self.stop.set()
        for process in self.processes:
            process.join(10)


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


def long_poll_process(port: int, urls: list[str], count: int, ready, stop, open_count) -> None:
    """The idle long polls, in a process of their own."""
    stats = {"open": 0, "answered": 0, "failed": 0}
    done = threading.Event()

    def watch():
        while not done.is_set():
            open_count.value = stats["open"]
            if stop.is_set():
                done.set()
            time.sleep(0.2)
    threading.Thread(target=watch, daemon=True).start()
    ready_event = threading.Event()
    threading.Thread(target=lambda: (ready_event.wait(), ready.set()), daemon=True).start()
    asyncio.run(idle_long_polls(port, urls, count, ready_event, done, stats))


def process_sample(pid: int, data: Path, pg: Postgres | None) -> dict:
    """The server's RSS and descriptors; the store's size: the SQLite file and its WAL, or on
    PostgreSQL the database and its pg_wal directory (and the messages table's dead tuples)."""
    rss = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
    row = {"rss_mib": round(rss / 1048576, 1), "fds": len(os.listdir(f"/proc/{pid}/fd"))}
    if pg is None:
        size = lambda p: p.stat().st_size if p.exists() else 0  # noqa: E731
        return row | {"db_mib": round(size(data / "wharf.sqlite") / 1048576, 2),
                      "wal_mib": round(size(data / "wharf.sqlite-wal") / 1048576, 2)}
    out = subprocess.run(["psql", pg.url, "-qtA", "-F", " ", "-c",
                          "SELECT pg_database_size(current_database()), (SELECT sum(size) FROM pg_ls_waldir()), "
                          "(SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE relname = 'messages')"],
                         check=True, capture_output=True, text=True).stdout.split()
    return row | {"db_mib": round(int(out[0]) / 1048576, 2), "wal_mib": round(int(out[1]) / 1048576, 2),
                  "dead_tuples": int(out[2])}


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
    parser.add_argument("--processes", type=int, default=2, help="load processes")
    parser.add_argument("--workers", type=int, default=6, help="connections per load process")
    parser.add_argument("--peak-seconds", type=float, default=8)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--name", default="")
    args = parser.parse_args()
    name = args.name or ("soak-ci" if args.minutes <= 5 else "soak") + ("-postgres" if args.store == "postgres" else "")

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.long_polls * 2 + 4096
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, wanted), hard), hard))

    work = Path(tempfile.mkdtemp(prefix="wharf-soak-"))
    data, port = work / "data", free_port()
    # The server inherits the raised descriptor limit; --max-connections over the long polls.
    pg = Postgres().start() if args.store == "postgres" else None
    store = ["--store", pg.url + "?schema=soak&pool=20"] if pg else []
    server = subprocess.Popen([wharf_binary(), "serve", "--port", str(port), "--data-dir", str(data),
                               "--max-connections", str(args.long_polls + 2048), "--log-level", "warning", *store],
                              stdout=open(work / "wharf.log", "ab"), stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    urls = [call(conn, "CreateQueue", {"QueueName": f"soak-{k:04d}"})["QueueUrl"] for k in range(QUEUES)]

    stop, polls_ready = multiprocessing.Event(), multiprocessing.Event()
    polls_open = multiprocessing.Value("i", 0)
    polls = multiprocessing.Process(target=long_poll_process, daemon=True,
                                    args=(port, urls[LOAD_QUEUES:], args.long_polls, polls_ready, stop, polls_open))
    polls.start()
    polls_ready.wait(300)

    load = Load(port, urls[:LOAD_QUEUES], args.processes, args.workers)
    load.start()
    time.sleep(2)
    load.take()
    time.sleep(args.peak_seconds)
    latencies, cycles, _ = load.take()
    peak = cycles / args.peak_seconds
    # A rate of 0 would mean unpaced: a server that could not even reach 1 cycle/s is soaked
    # at a trickle, and the run fails.
    rate = max(peak / 2, 0.5)
    load.set_rate(rate)
    print(f"peak {peak:.0f} cycles/s (a cycle: SendMessageBatch of 10, ReceiveMessage, DeleteMessageBatch; "
          f"this generator, with {polls_open.value} long polls open); soaking at {rate:.0f}/s", flush=True)

    rows = []
    started = time.monotonic()
    load.take()
    while time.monotonic() - started < args.minutes * 60:
        time.sleep(args.interval)
        latencies, cycles, errors = load.take()
        row = {"seconds": round(time.monotonic() - started), **process_sample(server.pid, data, pg),
               "p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
               "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
               "cycles_per_s": round(cycles / args.interval, 1), "errors": errors,
               "long_polls_open": polls_open.value}
        rows.append(row)
        print(row, flush=True)
    stop.set()
    load.end()
    polls.join(10)
    polls.terminate()
    # How the server stops after the soak: SIGTERM, graceful shutdown (the watchdog ends it
    # with status 1 if that hangs past --shutdown-timeout + 10 s).
    asked = time.monotonic()
    server.terminate()
    try:
        shutdown = {"status": server.wait(60), "seconds": round(time.monotonic() - asked, 2)}
    except subprocess.TimeoutExpired:
        server.kill()
        shutdown = {"status": "still running after 60 s: killed", "seconds": 60}
    if pg:
        pg.cleanup()

    out = results_dir()
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
        figure.suptitle(f"wharf soak: {QUEUES} queues, {args.long_polls} idle long polls, target {rate:.0f} cycles/s")
        figure.savefig(out / f"{name}.png", dpi=80)
    except ImportError:
        print("matplotlib not installed: no plot")

    # Flatness: the first sample past the warm-up (a quarter of the run) against the last.
    first = rows[max(0, len(rows) // 4 - 1)] if len(rows) > 2 else rows[0]
    last = rows[-1]
    problems = [] if peak >= 1 else [f"the peak was {peak:.1f} cycles/s"]
    if last["rss_mib"] > first["rss_mib"] * 1.25 + 16:
        problems.append(f"RSS grew from {first['rss_mib']} to {last['rss_mib']} MiB")
    if abs(last["fds"] - first["fds"]) > first["fds"] * 0.02 + 20:
        problems.append(f"open fds went from {first['fds']} to {last['fds']}")
    # SQLite's WAL is checkpointed at ~4 MB; PostgreSQL keeps pg_wal between min_wal_size (80 MB)
    # and max_wal_size (1 GB) by recycling segments.
    wal_limit = 64 if pg is None else 1024 + 64
    if max(r["wal_mib"] for r in rows) > wal_limit:
        problems.append(f"WAL reached {max(r['wal_mib'] for r in rows)} MiB")
    if last["db_mib"] > first["db_mib"] * 1.25 + 8:
        problems.append(f"database grew from {first['db_mib']} to {last['db_mib']} MiB")
    if "dead_tuples" in last and last["dead_tuples"] > first["dead_tuples"] * 2 + 100_000:
        problems.append(f"dead tuples went from {first['dead_tuples']} to {last['dead_tuples']} (vacuum behind)")
    if last["p99_ms"] > first["p99_ms"] * 3 + 20:
        problems.append(f"p99 went from {first['p99_ms']} to {last['p99_ms']} ms")
    if sum(r["errors"] for r in rows):
        problems.append(f"{sum(r['errors'] for r in rows)} load errors")
    if min(r["long_polls_open"] for r in rows) < args.long_polls * 0.98:
        problems.append(f"long polls open fell to {min(r['long_polls_open'] for r in rows)}")
    summary = {"peak_cycles_per_s": round(peak, 1), "soak_rate": round(rate, 1), "messages_per_cycle": 10, "queues": QUEUES,
               "long_polls": args.long_polls, "samples": len(rows), "first": first, "last": last,
               "median_p99_ms": statistics.median(r["p99_ms"] for r in rows), "shutdown": shutdown,
               "problems": problems}
    (out / f"{name}.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    subprocess.run(["rm", "-rf", str(work)], check=False)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
