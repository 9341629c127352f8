#!/usr/bin/env python3
"""A failing disk under load (issue 15): `wharf serve` on SQLite with reliability/fsync_fault.c
preloaded; senders run; then fsync/fdatasync (or pwrite) start failing with EIO.

Checks, for each fault (fsync, then pwrite):
  - no send that began after the fault started was acknowledged (2xx): nothing unsynced is;
  - the sends that hit it were answered 5xx (503), not hung;
  - the store failed closed: /ready answers 503, the log says why, and writes stay refused
    after the disk "heals" (the trigger removed) — a failed fsync is not retried;
  - after a restart without the fault the database passes PRAGMA integrity_check and every
    acknowledged message is there.
Writes reliability/results/io-fault.json; exits 1 on a violation.

  reliability/io_fault.py [--seconds-before 2] [--seconds-during 2]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from harness import REPO, client, free_port, status_of, wharf_binary, write_result


def build_shim(out: Path) -> Path:
    compiler = shutil.which("clang") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        raise SystemExit("no C compiler (clang or cc)")
    library = out / "fsync_fault.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(library),
                    str(REPO / "reliability" / "fsync_fault.c"), "-ldl"], check=True)
    return library


class Server:
    def __init__(self, data: Path, log: Path):
        self.data, self.log, self.port, self.proc = data, log, free_port(), None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, env_extra: dict | None = None):
        env = dict(os.environ, **(env_extra or {}))
        self.proc = subprocess.Popen([wharf_binary(), "serve", "--port", str(self.port), "--data-dir", str(self.data),
                                      "--log-level", "notice", "--min-free-disk", "0"],
                                     stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, env=env)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.endpoint + "/health", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("wharf did not start")

    def ready(self) -> tuple[int, str]:
        try:
            r = urllib.request.urlopen(self.endpoint + "/ready", timeout=5)
            return r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def kill(self):
        self.proc.kill()
        self.proc.wait(10)


def run_fault(kind: str, shim: Path, work: Path, seconds_before: float, seconds_during: float) -> dict:
    data, trigger = work / f"data-{kind}", work / f"trigger-{kind}"
    log = work / f"wharf-{kind}.log"
    server = Server(data, log).start({"LD_PRELOAD": str(shim), "WHARF_FAULT_TRIGGER": str(trigger),
                                      "WHARF_FAULT_PWRITE": "1" if kind == "pwrite" else "0"})
    sqs = client(server.endpoint)
    url = sqs.create_queue(QueueName="fault")["QueueUrl"]
    lock = threading.Lock()
    acked: set[str] = set()
    fault_started = [None]
    after_fault = {"acked": 0, "statuses": {}}
    stop = threading.Event()
    violations: list[str] = []

    def sender(index: int):
        c = client(server.endpoint, timeout=15)
        n = 0
        while not stop.is_set():
            body = f"{kind}-{index}-{n}"
            n += 1
            began = time.monotonic()
            try:
                if n % 3 == 0:
                    bodies = [f"{body}-{k}" for k in range(5)]
                    r = c.send_message_batch(QueueUrl=url, Entries=[{"Id": str(k), "MessageBody": b}
                                                                    for k, b in enumerate(bodies)])
                    done = [bodies[int(e["Id"])] for e in r.get("Successful", [])]
                else:
                    c.send_message(QueueUrl=url, MessageBody=body)
                    done = [body]
                status = 200
            except Exception as error:  # noqa: BLE001
                done, status = [], status_of(error)
            with lock:
                acked.update(done)
                if fault_started[0] is not None and began > fault_started[0]:
                    after_fault["statuses"][status] = after_fault["statuses"].get(status, 0) + 1
                    if done:
                        after_fault["acked"] += len(done)
                        violations.append(f"{kind}: a send begun after the fault was acknowledged: {done[0]}")
            if status:
                time.sleep(0.01)

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(seconds_before)
    trigger.touch()
    with lock:
        fault_started[0] = time.monotonic()
    time.sleep(seconds_during)
    ready_during = server.ready()
    trigger.unlink()   # the disk "heals": a failed-closed store must stay closed
    time.sleep(1.5)
    healed = {}
    try:
        sqs.send_message(QueueUrl=url, MessageBody="after-heal")
        healed["send"] = 200
        violations.append(f"{kind}: a write was taken after the failed I/O, without a restart")
    except Exception as error:  # noqa: BLE001
        healed["send"] = status_of(error)
    healed["ready"] = server.ready()[0]
    stop.set()
    for t in threads:
        t.join(20)
    server.kill()
    log_text = log.read_text(errors="replace")

    with sqlite3.connect(data / "wharf.sqlite") as db:   # reads the WAL back, as a restart does
        integrity = "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
    restarted = Server(data, log).start()
    c = client(restarted.endpoint)
    present: set[str] = set()
    empties = 0
    while empties < 3:
        r = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=120)
        messages = r.get("Messages", [])
        if not messages:
            empties += 1
            continue
        empties = 0
        present.update(m["Body"] for m in messages)
    ready_after_restart = restarted.ready()[0]
    restarted.kill()

    lost = acked - present
    statuses = after_fault["statuses"]
    if ready_during[0] != 503:
        violations.append(f"{kind}: /ready answered {ready_during[0]} with the store failed")
    if any(s == 0 or (200 <= s < 500) for s in statuses if s != 200):
        violations.append(f"{kind}: answers after the fault other than 5xx: {statuses}")
    if not any(s >= 500 for s in statuses):
        violations.append(f"{kind}: no 5xx seen after the fault: {statuses}")
    if "failed closed" not in log_text:
        violations.append(f"{kind}: the log does not say the store failed closed")
    if integrity != "ok":
        violations.append(f"{kind}: integrity_check after restart: {integrity}")
    if lost:
        violations.append(f"{kind}: {len(lost)} acknowledged messages lost, e.g. {sorted(lost)[:3]}")
    if ready_after_restart != 200:
        violations.append(f"{kind}: not ready after the restart ({ready_after_restart})")
    failed_line = next((line for line in log_text.splitlines() if "failed closed" in line), "")
    return {"fault": kind, "acked_before_fault": len(acked), "acked_after_fault_began": after_fault["acked"],
            "statuses_after_fault_began": {str(k): v for k, v in sorted(statuses.items())},
            "ready_during_fault": ready_during, "after_heal_without_restart": healed,
            "integrity_check_after_restart": integrity, "present_after_restart": len(present), "lost": len(lost),
            "ready_after_restart": ready_after_restart, "log_line": failed_line[-300:], "violations": violations}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds-before", type=float, default=2)
    parser.add_argument("--seconds-during", type=float, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wharf-io-fault-"))
    shim = build_shim(work)
    results = [run_fault(kind, shim, work, args.seconds_before, args.seconds_during) for kind in ("fsync", "pwrite")]
    violations = [v for r in results for v in r["violations"]]
    write_result("io-fault", {"runs": results, "violation_count": len(violations)})
    if not violations:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
