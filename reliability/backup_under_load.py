#!/usr/bin/env python3
"""`wharf backup` under load (issue 15): senders run against a SQLite server; `wharf backup`
copies its store meanwhile; the copy is restored (`wharf restore`) into a fresh data directory
and a second server started on it must hold every message acknowledged before the backup
started. Also measured: how long the backup took, its longest step, and the send latency
(max and p99) before and during the backup — what writers felt of it (in WAL mode a reader
never blocks the writer, so this is the I/O contention, not a lock).
Writes reliability/results/backup.json; exits 1 if an acknowledged message is missing.

  reliability/backup_under_load.py [--prefill 20000] [--pages-per-step 1024]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import Node, client, wharf_binary, write_result


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefill", type=int, default=20_000, help="messages in the store before the backup")
    parser.add_argument("--pages-per-step", type=int, default=1024)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wharf-backup-"))
    node = Node(None, work / "wharf.log", data_dir=work / "data").start()
    sqs = client(node.endpoint)
    url = sqs.create_queue(QueueName="backed-up")["QueueUrl"]
    pad = "b" * 500
    for start in range(0, args.prefill, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(k), "MessageBody": f"pre-{start + k}-{pad}"}
                                                     for k in range(10)])

    lock = threading.Lock()
    acked: list[tuple[float, float, str]] = []   # (began, answered, body)
    stop = threading.Event()

    def sender(index):
        c = client(node.endpoint)
        n = 0
        while not stop.is_set():
            body = f"live-{index}-{n}"
            n += 1
            began = time.monotonic()
            try:
                c.send_message(QueueUrl=url, MessageBody=body)
            except Exception:  # noqa: BLE001 - not acknowledged, not expected
                continue
            with lock:
                acked.append((began, time.monotonic(), body))

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    backup_file = work / "copy.sqlite"
    backup_started = time.monotonic()
    done = subprocess.run([wharf_binary(), "backup", str(backup_file), "--data-dir", str(node.data_dir),
                           "--pages-per-step", str(args.pages_per_step)], capture_output=True, text=True)
    backup_ended = time.monotonic()
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join(10)
    node.stop()
    if done.returncode != 0:
        print(done.stdout, done.stderr)
        return 1

    restored_dir = work / "restored"
    restore = subprocess.run([wharf_binary(), "restore", str(backup_file), "--data-dir", str(restored_dir)],
                             capture_output=True, text=True)
    if restore.returncode != 0:
        print(restore.stdout, restore.stderr)
        return 1
    restored = Node(None, work / "restored.log", data_dir=restored_dir).start()
    c = client(restored.endpoint)
    present: set[str] = set()
    empties = 0
    while empties < 3:
        messages = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600).get("Messages", [])
        if not messages:
            empties += 1
            continue
        empties = 0
        present.update(m["Body"] for m in messages)
    restored.stop()

    with lock:
        before = [body for began, answered, body in acked if answered < backup_started]
        latency_before = [answered - began for began, answered, _ in acked if answered < backup_started]
        latency_during = [answered - began for began, answered, _ in acked
                          if began < backup_ended and answered > backup_started]
        after = [body for began, answered, body in acked if began > backup_started]
    expected = {f"pre-{k}-{pad}" for k in range(args.prefill)} | set(before)
    missing = expected - present
    result = {
        "prefilled": args.prefill, "acked_before_backup": len(before) + args.prefill,
        "present_in_restore": len(present), "missing": len(missing),
        "acked_after_backup_began_also_in_copy": len(set(after) & present),
        "backup_seconds": round(backup_ended - backup_started, 3), "backup_output": done.stdout.strip(),
        "pages_per_step": args.pages_per_step,
        "send_latency_ms_before": {"p99": round(percentile(latency_before, 0.99) * 1000, 1),
                                   "max": round(max(latency_before, default=0) * 1000, 1)},
        "send_latency_ms_during": {"p99": round(percentile(latency_during, 0.99) * 1000, 1),
                                   "max": round(max(latency_during, default=0) * 1000, 1),
                                   "sends": len(latency_during)},
    }
    write_result("backup", result)
    subprocess.run(["rm", "-rf", str(work)], check=False)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
