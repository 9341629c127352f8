#!/usr/bin/env python3
"""Crash loop (issue 15): N rounds of SIGKILL at a random moment under a mixed load, against
SQLite or PostgreSQL (where PostgreSQL crash-restarts, `pg_ctl stop -m immediate`, take every
other round).

The load: single and batch sends, receives, batch deletes and visibility changes on a standard
queue; poison messages dead-lettered by maxReceiveCount; FIFO sends with explicit
deduplication ids in several groups, received and deleted in order; a move task (rate-limited,
so it spans several rounds) from a dead-letter queue to a destination.

Every operation is filed in a ledger: acknowledged (2xx), refused (4xx), or unknown — no
answer, or a 5xx: the kill (or the database crash) may have come after the commit and before
the answer, so the change may or may not be there; unknown operations are never counted as
losses. After every restart (load paused) and at the end:
  - no acknowledged send lost, no acknowledged delete resurrected (counts after a restart,
    every body at the end);
  - no poison message both in the dead-letter queue and its source;
  - the move task moved each message exactly once (dead-letter queue + destination hold
    exactly what was put in);
  - FIFO order kept within each group, and the deduplication window kept across the restart
    (an acknowledged FIFO send sent again after the restart gets its first MessageId back).
Writes reliability/results/crash-loop-<store>.json; exits 1 on any violation.

  reliability/crash_loop.py [--store sqlite|postgres] [--rounds 5] [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

from harness import Node, Postgres, client, free_port, status_of, write_result

STANDARD, POISON, FIFO, MOVE = "work", "poison", "ordered.fifo", "move"
GROUPS = 4
MOVE_MESSAGES = 300
VISIBILITY = 3


class Ledger:
    """What each operation's answer says happened. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent_acked: set[str] = set()
        self.sent_unknown: set[str] = set()
        self.deleted_acked: dict[str, float] = {}   # body -> when the delete's 2xx arrived
        self.deleted_unknown: set[str] = set()
        self.poison_acked: set[str] = set()
        self.poison_unknown: set[str] = set()
        self.fifo: dict[str, dict] = {}   # group -> {"next": n, "acked": {n: message id}, ...}
        self.counts = {"receives": 0, "visibility_changes": 0, "batch_sends": 0, "single_sends": 0,
                       "batch_deletes": 0, "fifo_sends": 0, "fifo_deletes": 0}
        self.violations: list[str] = []

    def violation(self, text: str) -> None:
        with self.lock:
            self.violations.append(text)
        print("VIOLATION:", text, flush=True)

    def bump(self, name: str, by: int = 1) -> None:
        with self.lock:
            self.counts[name] += by


def unknown(error: Exception) -> bool:
    """No answer, or a 5xx: the change may or may not have been made."""
    status = status_of(error)
    return status == 0 or status >= 500


class Load:
    """The mixed load, in threads that pause while the server is down."""

    def __init__(self, urls: dict, ledger: Ledger, endpoint: str, seed: int):
        self.urls, self.ledger, self.endpoint = urls, ledger, endpoint
        self.up = threading.Event()
        self.stop = threading.Event()
        self.quiet = threading.Event()   # set: pause (the checks after a restart run alone)
        self.idle = {}                   # thread name -> idle event
        self.seed = seed
        self.threads: list[threading.Thread] = []
        self.fifo_lock = threading.Lock()
        self.fifo_received: dict[str, int] = {f"g{g}": -1 for g in range(GROUPS)}

    def start(self):
        for name, target in [("send-single", self.send_single), ("send-batch", self.send_batch),
                             ("consume", self.consume), ("consume2", self.consume),
                             ("poison", self.poison), ("fifo-send", self.fifo_send), ("fifo-recv", self.fifo_consume)]:
            idle = threading.Event()
            self.idle[name] = idle
            thread = threading.Thread(target=self.loop, args=(name, target, idle), daemon=True)
            thread.start()
            self.threads.append(thread)

    def pause(self):
        """Stops every thread between two operations and waits until they all are."""
        self.quiet.set()
        for idle in self.idle.values():
            idle.wait(60)

    def resume(self):
        for idle in self.idle.values():
            idle.clear()
        self.quiet.clear()

    def loop(self, name, target, idle):
        rng = random.Random(f"{self.seed}-{name}")
        sqs = client(self.endpoint, timeout=10)
        n = 0
        while not self.stop.is_set():
            if self.quiet.is_set() or not self.up.is_set():
                idle.set()
                time.sleep(0.02)
                continue
            try:
                target(sqs, rng, n)
            except Exception as error:  # noqa: BLE001 - the target files what it knows
                if not unknown(error):
                    self.ledger.violation(f"{name}: unexpected {status_of(error)} {error}")
                time.sleep(0.05)
            n += 1
        idle.set()

    # The operations. Each files its outcome before raising.

    def send_single(self, sqs, rng, n):
        body = f"s-{self.seed}-{n}-{rng.random():.6f}"
        try:
            sqs.send_message(QueueUrl=self.urls[STANDARD], MessageBody=body)
        except Exception as error:
            if unknown(error):
                with self.ledger.lock:
                    self.ledger.sent_unknown.add(body)
            raise
        with self.ledger.lock:
            self.ledger.sent_acked.add(body)
        self.ledger.bump("single_sends")

    def send_batch(self, sqs, rng, n):
        bodies = [f"b-{self.seed}-{n}-{k}-{rng.random():.6f}" for k in range(rng.randint(2, 10))]
        try:
            r = sqs.send_message_batch(QueueUrl=self.urls[STANDARD],
                                       Entries=[{"Id": str(k), "MessageBody": b} for k, b in enumerate(bodies)])
        except Exception as error:
            if unknown(error):
                with self.ledger.lock:
                    self.ledger.sent_unknown.update(bodies)
            raise
        ok = {int(e["Id"]) for e in r.get("Successful", [])}
        with self.ledger.lock:
            for k, body in enumerate(bodies):
                (self.ledger.sent_acked if k in ok else self.ledger.sent_unknown).add(body)
        self.ledger.bump("batch_sends")

    def resurrection_check(self, messages, asked: float):
        """A message delivered by a receive sent after its delete was acknowledged."""
        with self.ledger.lock:
            for m in messages:
                deleted = self.ledger.deleted_acked.get(m["Body"])
                if deleted is not None and deleted < asked:
                    self.ledger.violations.append(f"acknowledged delete resurrected: {m['Body']}")

    def consume(self, sqs, rng, n):
        asked = time.monotonic()
        r = sqs.receive_message(QueueUrl=self.urls[STANDARD], MaxNumberOfMessages=10, VisibilityTimeout=VISIBILITY,
                                WaitTimeSeconds=1)
        messages = r.get("Messages", [])
        self.ledger.bump("receives")
        if not messages:
            return
        if rng.random() < 0.2:
            # Some go back for later (visibility 0) or are held a little longer.
            m = messages.pop()
            try:
                sqs.change_message_visibility(QueueUrl=self.urls[STANDARD], ReceiptHandle=m["ReceiptHandle"],
                                              VisibilityTimeout=rng.choice([0, 1]))
                self.ledger.bump("visibility_changes")
            except Exception as error:
                if unknown(error):
                    raise
                # 400: its visibility ran out meanwhile (not in flight any more): nothing changed.
        if not messages:
            return
        self.resurrection_check(messages, asked)
        entries = [{"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(messages)]
        try:
            r = sqs.delete_message_batch(QueueUrl=self.urls[STANDARD], Entries=entries)
        except Exception as error:
            if unknown(error):
                with self.ledger.lock:
                    self.ledger.deleted_unknown.update(m["Body"] for m in messages)
            raise
        ok = {int(e["Id"]) for e in r.get("Successful", [])}
        now = time.monotonic()
        with self.ledger.lock:
            for k, m in enumerate(messages):
                if k in ok:
                    self.ledger.deleted_acked[m["Body"]] = now
                else:
                    self.ledger.deleted_unknown.add(m["Body"])
        self.ledger.bump("batch_deletes")

    def poison(self, sqs, rng, n):
        """Sends a message nobody deletes and receives it until the queue dead-letters it."""
        if n % 3 == 0:
            body = f"p-{self.seed}-{n}"
            try:
                sqs.send_message(QueueUrl=self.urls[POISON], MessageBody=body)
            except Exception as error:
                if unknown(error):
                    with self.ledger.lock:
                        self.ledger.poison_unknown.add(body)
                raise
            with self.ledger.lock:
                self.ledger.poison_acked.add(body)
        # Visibility 0: back at once, so the receive count climbs to maxReceiveCount quickly.
        sqs.receive_message(QueueUrl=self.urls[POISON], MaxNumberOfMessages=10, VisibilityTimeout=0)

    def fifo_send(self, sqs, rng, n):
        """Each group's messages in sequence: the next only once the previous was acknowledged,
        an unknown outcome sent again with the same deduplication id (so no gap, no copy)."""
        group = f"g{n % GROUPS}"
        with self.ledger.lock:
            state = self.ledger.fifo.setdefault(group, {"next": 0, "acked": {}})
            number = state["next"]
        body = f"{group}:{number}"
        try:
            r = sqs.send_message(QueueUrl=self.urls[FIFO], MessageBody=body, MessageGroupId=group,
                                 MessageDeduplicationId=f"{group}-{number}")
        except Exception:
            raise   # unknown: the same number again next time, same deduplication id
        with self.ledger.lock:
            state["acked"][number] = r["MessageId"]
            state["next"] = number + 1
        self.ledger.bump("fifo_sends")

    def fifo_consume(self, sqs, rng, n):
        asked = time.monotonic()
        r = sqs.receive_message(QueueUrl=self.urls[FIFO], MaxNumberOfMessages=10, VisibilityTimeout=VISIBILITY,
                                WaitTimeSeconds=1)
        messages = r.get("Messages", [])
        for m in messages:
            group, number = m["Body"].split(":")
            number = int(number)
            with self.fifo_lock:
                highest = self.fifo_received[group]
                # In order: the next one, or one again that was not deleted yet (redelivery).
                if number > highest + 1:
                    self.ledger.violation(f"FIFO {group}: {number} after {highest} (skipped {highest + 1})")
                self.fifo_received[group] = max(highest, number)
        self.resurrection_check(messages, asked)
        for m in messages:
            try:
                sqs.delete_message(QueueUrl=self.urls[FIFO], ReceiptHandle=m["ReceiptHandle"])
            except Exception as error:
                if unknown(error):
                    # This one may be gone; the rest come back after their visibility timeout.
                    with self.ledger.lock:
                        self.ledger.deleted_unknown.add(m["Body"])
                    return
                # A stale handle (its visibility ran out meanwhile): it will come again.
                continue
            with self.ledger.lock:
                self.ledger.deleted_acked[m["Body"]] = time.monotonic()
            self.ledger.bump("fifo_deletes")


def attrs(sqs, url) -> int:
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"])
    return sum(int(v) for v in a["Attributes"].values())


def check_after_restart(sqs, urls, ledger: Ledger, round_number: int) -> dict:
    """Counts only (nothing consumed): what must be there, what may be."""
    with ledger.lock:
        deleted = set(ledger.deleted_acked)
        must = ledger.sent_acked - deleted - ledger.deleted_unknown
        may = (ledger.sent_acked | ledger.sent_unknown) - deleted
        fifo = {g: dict(s["acked"]) for g, s in ledger.fifo.items()}
    present = attrs(sqs, urls[STANDARD])
    result = {"round": round_number, "standard_present": present, "must": len(must), "may": len(may)}
    if present < len(must):
        ledger.violation(f"round {round_number}: {present} messages present, at least {len(must)} expected (lost)")
    if present > len(may):
        ledger.violation(f"round {round_number}: {present} messages present, at most {len(may)} possible (resurrected)")
    # The task may move a step between two reads: take the destination between two equal
    # readings of the source (a step only ever lowers the source).
    for _ in range(20):
        before, moved, after = attrs(sqs, urls["move-dlq"]), attrs(sqs, urls[MOVE]), attrs(sqs, urls["move-dlq"])
        if before == after:
            break
    moved_total = before + moved
    result["move_messages_total"] = moved_total
    if moved_total != MOVE_MESSAGES:
        ledger.violation(f"round {round_number}: move task source + destination hold {moved_total}, not {MOVE_MESSAGES}")
    # The deduplication window held across the restart: the last acknowledged send of each
    # group, sent again, is recognised (same MessageId, no second copy).
    checked = 0
    for group, acked in fifo.items():
        if not acked:
            continue
        number = max(acked)
        r = sqs.send_message(QueueUrl=urls[FIFO], MessageBody=f"{group}:{number}", MessageGroupId=group,
                             MessageDeduplicationId=f"{group}-{number}")
        checked += 1
        if r["MessageId"] != acked[number]:
            ledger.violation(f"round {round_number}: dedup window lost for {group}-{number}")
    result["dedup_checks"] = checked
    return result


def drain(sqs, url, visibility=60) -> list[str]:
    bodies, empties = [], 0
    while empties < 3:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=visibility)
        messages = r.get("Messages", [])
        if not messages:
            empties += 1
            time.sleep(0.2)
            continue
        empties = 0
        bodies += [m["Body"] for m in messages]
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]}
                                                         for k, m in enumerate(messages)])
    return bodies


def final_check(sqs, urls, ledger: Ledger, move_task_handle: str) -> dict:
    # Let every in-flight message come back, and the move task finish.
    deadline = time.monotonic() + 120
    task = {}
    while time.monotonic() < deadline:
        tasks = sqs.list_message_move_tasks(SourceArn=urls["move-dlq-arn"]).get("Results", [])
        task = tasks[0] if tasks else {}
        if task.get("Status") in ("COMPLETED", "FAILED", "CANCELLED"):
            break
        time.sleep(1)
    time.sleep(VISIBILITY + 1)
    remaining = drain(sqs, urls[STANDARD])
    with ledger.lock:
        present = set(remaining)
        deleted = set(ledger.deleted_acked)
        lost = ledger.sent_acked - deleted - ledger.deleted_unknown - present
        resurrected = present & deleted
        phantom = present - ledger.sent_acked - ledger.sent_unknown
    for body in sorted(lost)[:5]:
        ledger.violation(f"acknowledged send lost: {body}")
    for body in sorted(resurrected)[:5]:
        ledger.violation(f"acknowledged delete resurrected: {body}")
    if phantom:
        ledger.violation(f"{len(phantom)} messages nobody sent")
    if len(remaining) != len(present):
        ledger.violation(f"{len(remaining) - len(present)} standard messages present twice")

    source = drain(sqs, urls[POISON], visibility=60)
    dead = drain(sqs, urls["poison-dlq"])
    both = set(source) & set(dead)
    with ledger.lock:
        poison_lost = ledger.poison_acked - set(source) - set(dead)
    if both:
        ledger.violation(f"{len(both)} poison messages both in the DLQ and its source")
    if poison_lost:
        ledger.violation(f"{len(poison_lost)} acknowledged poison messages in neither queue")

    left, moved = drain(sqs, urls["move-dlq"]), drain(sqs, urls[MOVE])
    expected = {f"mv-{k}" for k in range(MOVE_MESSAGES)}
    if sorted(left + moved) != sorted(expected):
        twice = len(left) + len(moved) - len(set(left) | set(moved))
        ledger.violation(f"move task: {len(moved)} moved, {len(left)} left, {twice} twice, "
                         f"{len(expected - set(left) - set(moved))} lost")

    fifo_left = drain(sqs, urls[FIFO])
    with ledger.lock:
        fifo_lost = {f"{g}:{n}" for g, s in ledger.fifo.items() for n in s["acked"]} \
            - set(ledger.deleted_acked) - ledger.deleted_unknown - set(fifo_left)
    if fifo_lost:
        ledger.violation(f"{len(fifo_lost)} acknowledged FIFO sends lost: {sorted(fifo_lost)[:5]}")
    return {"standard_remaining": len(remaining), "lost": len(lost), "resurrected": len(resurrected),
            "poison_in_source": len(source), "poison_dead_lettered": len(dead), "poison_in_both": len(both),
            "move_task": {"status": task.get("Status"), "moved": len(moved), "left_in_dlq": len(left)},
            "fifo_left": len(fifo_left), "fifo_lost": len(fifo_lost)}


def setup(sqs) -> dict:
    urls = {}
    urls["poison-dlq"] = sqs.create_queue(QueueName="poison-dlq")["QueueUrl"]
    dlq_arn = "arn:aws:sqs:us-east-1:000000000000:poison-dlq"
    urls[POISON] = sqs.create_queue(QueueName=POISON, Attributes={
        "RedrivePolicy": f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"2"}}'})["QueueUrl"]
    urls[STANDARD] = sqs.create_queue(QueueName=STANDARD)["QueueUrl"]
    urls[FIFO] = sqs.create_queue(QueueName=FIFO, Attributes={"FifoQueue": "true"})["QueueUrl"]
    urls[MOVE] = sqs.create_queue(QueueName=MOVE)["QueueUrl"]
    urls["move-dlq"] = sqs.create_queue(QueueName="move-dlq")["QueueUrl"]
    urls["move-dlq-arn"] = "arn:aws:sqs:us-east-1:000000000000:move-dlq"
    # A move task's source must be some queue's dead-letter queue (AWS refuses it otherwise).
    sqs.create_queue(QueueName="move-origin", Attributes={
        "RedrivePolicy": f'{{"deadLetterTargetArn":"{urls["move-dlq-arn"]}","maxReceiveCount":"5"}}'})
    for start in range(0, MOVE_MESSAGES, 10):
        sqs.send_message_batch(QueueUrl=urls["move-dlq"], Entries=[
            {"Id": str(k), "MessageBody": f"mv-{start + k}"} for k in range(10)])
    return urls


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-run", type=float, default=1.5, help="shortest load before a kill, seconds")
    parser.add_argument("--max-run", type=float, default=5.0)
    parser.add_argument("--pg-port", type=int, default=0, help="own PostgreSQL cluster's port (default: a free one)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()

    pg = Postgres(args.pg_port or None).start() if args.store == "postgres" else None
    logs = Path(pg.dir if pg else "/tmp")
    node = Node(pg.url + "?schema=crashloop&pool=10" if pg else None, logs / f"wharf-crash-loop-{args.store}.log",
                port=free_port())
    ledger = Ledger()
    rounds, kills, pg_crashes = [], 0, 0
    try:
        node.start()
        sqs = client(node.endpoint)
        urls = setup(sqs)
        sqs.start_message_move_task(SourceArn=urls["move-dlq-arn"],
                                    DestinationArn="arn:aws:sqs:us-east-1:000000000000:move",
                                    MaxNumberOfMessagesPerSecond=max(5, MOVE_MESSAGES // (args.rounds * 4)))
        load = Load(urls, ledger, node.endpoint, args.seed)
        load.up.set()
        load.start()
        for round_number in range(1, args.rounds + 1):
            time.sleep(rng.uniform(args.min_run, args.max_run))
            if pg and round_number % 2 == 0:
                # The database crashes (no checkpoint, recovery from its WAL); Wharf stays up.
                pg.restart("immediate")
                pg_crashes += 1
                time.sleep(rng.uniform(0.5, 2))
                pg.start_again()
                what = "postgres-immediate-restart"
                deadline = time.monotonic() + 30
                while node.ready() != 200 and time.monotonic() < deadline:
                    time.sleep(0.2)
            else:
                load.up.clear()
                node.kill()
                kills += 1
                node.start()
                what = "wharf-sigkill"
                load.up.set()
            load.pause()
            check = check_after_restart(sqs, urls, ledger, round_number)
            check["event"] = what
            rounds.append(check)
            print(f"round {round_number}: {check}", flush=True)
            load.resume()
        time.sleep(1)
        load.stop.set()
        load.pause()
        final = final_check(sqs, urls, ledger, "")
    finally:
        node.stop()
        if pg:
            pg.cleanup()

    with ledger.lock:
        result = {
            "store": args.store, "rounds": args.rounds, "seed": args.seed, "wharf_kills": kills,
            "postgres_crash_restarts": pg_crashes,
            "acked_sends": len(ledger.sent_acked), "unknown_sends": len(ledger.sent_unknown - ledger.sent_acked),
            "acked_deletes": len(set(ledger.deleted_acked) & ledger.sent_acked),
            "unknown_deletes": len(ledger.deleted_unknown - set(ledger.deleted_acked)),
            "acked_fifo_sends": sum(len(s["acked"]) for s in ledger.fifo.values()),
            "acked_poison_sends": len(ledger.poison_acked),
            "operations": dict(ledger.counts),
            "after_each_restart": rounds, "final": final,
            "violations": ledger.violations[:20], "violation_count": len(ledger.violations),
            "seconds": round(time.monotonic() - started, 1),
        }
    write_result(f"crash-loop-{args.store}", result)
    return 1 if ledger.violations else 0


if __name__ == "__main__":
    sys.exit(main())
