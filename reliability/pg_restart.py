#!/usr/bin/env python3
"""PostgreSQL restarted under load: two Wharf nodes on one database, producers and consumers
on both, and PostgreSQL stopped (fast: connections closed; or immediate: a crash, recovered
from the WAL) and started again in the middle of it.

Checks: while the database is down requests fail with 503 ServiceUnavailable (not hang, not
500); the nodes reconnect by themselves; every send that was acknowledged (2xx) is received
afterwards. A send whose answer was lost may or may not have been stored: it is counted apart,
never as a loss. Writes reliability/results/pg-restart.json.

  reliability/pg_restart.py [--duration 40] [--down 5] [--mode fast|immediate]
"""
import argparse
import threading
import time

from harness import Ledger, Node, Postgres, client, status_of, write_result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=40)
    parser.add_argument("--down", type=float, default=5)
    parser.add_argument("--mode", choices=["fast", "immediate"], default="fast")
    parser.add_argument("--producers", type=int, default=4)
    parser.add_argument("--consumers", type=int, default=4)
    args = parser.parse_args()

    pg = Postgres().start()
    logs = pg.dir.parent
    nodes = [Node(pg.url + "?schema=restart", logs / f"wharf-restart-node{i}.log").start() for i in range(2)]
    clients = [client(n.endpoint) for n in nodes]
    url = clients[0].create_queue(QueueName="restart", Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
    ledger = Ledger()
    stop = threading.Event()
    timeline = {}
    first_ok_after_restart = threading.Event()

    def produce(index):
        n = 0
        while not stop.is_set():
            body = f"p{index}-{n}"
            n += 1
            with ledger.lock:
                ledger.attempted.add(body)
            started = time.monotonic()
            try:
                clients[n % 2].send_message(QueueUrl=url, MessageBody=body)
                ledger.count(200)
                with ledger.lock:
                    ledger.acked.add(body)
                if "restarted" in timeline and not first_ok_after_restart.is_set():
                    timeline["first_ack_after_restart"] = time.monotonic()
                    first_ok_after_restart.set()
            except Exception as error:  # noqa: BLE001 - every failure is counted by status
                status = status_of(error)
                ledger.count(status, error, f"SendMessage@{n % 2} {time.strftime('%H:%M:%S')}")
                if status == 503:
                    timeline.setdefault("first_503", time.monotonic())
                    timeline.setdefault("slowest_503_seconds", 0)
                    timeline["slowest_503_seconds"] = max(timeline["slowest_503_seconds"], time.monotonic() - started)
                time.sleep(0.05)

    def consume(index, until: threading.Event):
        while not until.is_set():
            try:
                messages = clients[index % 2].receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                               WaitTimeSeconds=1).get("Messages", [])
            except Exception as error:  # noqa: BLE001
                ledger.count(status_of(error), error, f"ReceiveMessage@{index % 2} {time.strftime('%H:%M:%S')}")
                time.sleep(0.05)
                continue
            with ledger.lock:
                for m in messages:
                    ledger.received[m["Body"]] = ledger.received.get(m["Body"], 0) + 1
            if messages:
                try:
                    clients[(index + 1) % 2].delete_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
                except Exception as error:  # noqa: BLE001 - undeleted: they come back, counted twice
                    ledger.count(status_of(error), error, f"DeleteMessageBatch@{(index + 1) % 2} {time.strftime('%H:%M:%S')}")

    consumers_done = threading.Event()
    threads = [threading.Thread(target=produce, args=(i,)) for i in range(args.producers)]
    threads += [threading.Thread(target=consume, args=(i, consumers_done)) for i in range(args.consumers)]
    start = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(args.duration / 3)
    timeline["stopped"] = time.monotonic()
    pg.restart(args.mode)
    time.sleep(args.down / 2)
    ready_while_down = [n.ready() for n in nodes]
    time.sleep(args.down / 2)
    pg.start_again()
    timeline["restarted"] = time.monotonic()
    first_ok_after_restart.wait(60)
    ready_after = [n.ready() for n in nodes]
    time.sleep(max(0, args.duration - (time.monotonic() - start)))
    stop.set()
    for t in threads[:args.producers]:
        t.join()
    # Drain: what is in flight comes back after its visibility timeout.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with ledger.lock:
            missing = ledger.acked - set(ledger.received)
        attributes = clients[1].get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        waiting = int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])
        if not missing and waiting == 0:
            break
        time.sleep(1)
    consumers_done.set()
    for t in threads[args.producers:]:
        t.join()
    with ledger.lock:
        missing = sorted(ledger.acked - set(ledger.received))
    if missing:
        # Where the missing ones are (or are not) in the database, for the report.
        import subprocess
        bodies = ",".join(f"'{b}'" for b in missing[:5])
        print(subprocess.run(["psql", pg.url, "-xc",
                              f"SELECT seq, body, visible_at - (extract(epoch from clock_timestamp())*1000)::bigint AS visible_in_ms,"
                              f" receive_count, sent_at FROM restart.messages WHERE body IN ({bodies})"],
                             capture_output=True, text=True).stdout)
    for n in nodes:
        n.stop()
    pg.cleanup()

    result = ledger.summary()
    result.update({
        "mode": args.mode, "down_seconds": args.down, "duration_seconds": args.duration,
        "ready_while_down": ready_while_down, "ready_after_restart": ready_after,
        "seconds_from_stop_to_first_503": round(timeline["first_503"] - timeline["stopped"], 2)
        if "first_503" in timeline else None,
        "slowest_503_seconds": round(timeline.get("slowest_503_seconds", 0), 2),
        "seconds_from_restart_to_first_ack": round(timeline["first_ack_after_restart"] - timeline["restarted"], 2)
        if "first_ack_after_restart" in timeline else None,
    })
    write_result(f"pg-restart-{args.mode}", result)
    problems = []
    if result["lost"]:
        problems.append(f"{result['lost']} acknowledged sends lost")
    if "first_ack_after_restart" not in timeline:
        problems.append("no send succeeded after the restart")
    if "503" not in result["statuses"]:
        problems.append("no 503 while the database was down")
    if any(code not in ("200", "503") for code in result["statuses"]):
        problems.append(f"answers other than 200/503: {result['statuses']}")
    if any(code != 503 for code in ready_while_down) or any(code != 200 for code in ready_after):
        problems.append(f"/ready while down {ready_while_down}, after {ready_after}")
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("OK")


if __name__ == "__main__":
    main()
