#!/usr/bin/env python3
"""A node killed with SIGKILL: two Wharf nodes on one PostgreSQL. Node A holds received,
undeleted messages and runs a message move task when it is killed; node B keeps serving.

Checks: B answers every request while and after A dies (no errors); the messages A's consumer
had in flight reappear through B after their visibility timeout; the move task A was running is
taken over by B once A's lease expires and moves every message exactly once; every
acknowledged send is received. Writes reliability/results/node-kill.json.

  reliability/node_kill.py [--messages 300] [--visibility 5]
"""
import argparse
import time

from harness import Ledger, Node, Postgres, client, write_result


def drain(sqs, url, ledger, timeout):
    deadline = time.monotonic() + timeout
    empty = 0
    while time.monotonic() < deadline and empty < 3:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            empty += 1
            continue
        empty = 0
        for m in messages:
            ledger.received[m["Body"]] = ledger.received.get(m["Body"], 0) + 1
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--visibility", type=int, default=5)
    args = parser.parse_args()

    pg = Postgres().start()
    logs = pg.dir.parent
    a = Node(pg.url + "?schema=kill", logs / "wharf-kill-a.log").start()
    b = Node(pg.url + "?schema=kill", logs / "wharf-kill-b.log").start()
    via_a, via_b = client(a.endpoint), client(b.endpoint)
    ledger = Ledger()
    url = via_b.create_queue(QueueName="work", Attributes={"VisibilityTimeout": str(args.visibility)})["QueueUrl"]
    dlq = via_b.create_queue(QueueName="work-dlq")["QueueUrl"]
    dlq_arn = via_b.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    source = via_b.create_queue(QueueName="work-source", Attributes={
        "RedrivePolicy": '{"deadLetterTargetArn":"%s","maxReceiveCount":1}' % dlq_arn})["QueueUrl"]

    for start in range(0, args.messages, 10):
        bodies = [f"m{i}" for i in range(start, min(start + 10, args.messages))]
        via_b.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": body}
                                                        for i, body in enumerate(bodies)])
        ledger.acked.update(bodies)
    # Node A's consumer takes 50 messages and dies before deleting them.
    in_flight = []
    while len(in_flight) < 50:
        in_flight += via_a.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    # 100 dead-lettered messages, and a slow move task started through A (10 a second).
    for start in range(0, 100, 10):
        via_b.send_message_batch(QueueUrl=source, Entries=[{"Id": str(i), "MessageBody": f"d{start + i}"}
                                                           for i in range(10)])
    for _ in range(100):
        via_b.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=0)
        left = via_b.get_queue_attributes(QueueUrl=source, AttributeNames=["ApproximateNumberOfMessages"])
        if left["Attributes"]["ApproximateNumberOfMessages"] == "0":
            break
    moved_before = int(via_b.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])
                       ["Attributes"]["ApproximateNumberOfMessages"])
    via_a.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=10)
    time.sleep(2.5)

    killed_at = time.monotonic()
    a.kill()
    # B keeps serving: new sends, and receives that do not see A's in-flight messages yet.
    errors = 0
    for i in range(50):
        body = f"after{i}"
        try:
            via_b.send_message(QueueUrl=url, MessageBody=body)
            ledger.acked.add(body)
        except Exception:  # noqa: BLE001
            errors += 1
    early = via_b.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
    held = {m["Body"] for m in in_flight}
    seen_too_early = [m["Body"] for m in early if m["Body"] in held and time.monotonic() - killed_at < args.visibility - 1]
    drain(via_b, url, ledger, timeout=args.visibility + 60)
    reappeared = sum(1 for body in held if body in ledger.received)

    # The move task: B takes it over after A's lease (10 s) and finishes it.
    deadline = time.monotonic() + 90
    task = {}
    while time.monotonic() < deadline:
        task = via_b.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        if task["Status"] != "RUNNING":
            break
        time.sleep(1)
    moved_counts = {name: int(via_b.get_queue_attributes(QueueUrl=q, AttributeNames=["ApproximateNumberOfMessages"])
                              ["Attributes"]["ApproximateNumberOfMessages"])
                    for name, q in (("dlq", dlq), ("source", source))}
    a.stop()
    b.stop()
    pg.cleanup()

    result = ledger.summary()
    result.update({
        "errors_on_b_after_the_kill": errors, "in_flight_on_a": len(held), "reappeared_through_b": reappeared,
        "held_messages_seen_before_their_timeout": len(seen_too_early),
        "move_task": {"status": task.get("Status"), "moved": task.get("ApproximateNumberOfMessagesMoved"),
                      "to_move": task.get("ApproximateNumberOfMessagesToMove"),
                      "dead_lettered": moved_before, "left_in_dlq": moved_counts["dlq"],
                      "back_in_source": moved_counts["source"]},
        "seconds_until_task_done_after_kill": round(time.monotonic() - killed_at, 1),
    })
    write_result("node-kill", result)
    problems = []
    if result["lost"]:
        problems.append(f"{result['lost']} acknowledged sends lost")
    if errors:
        problems.append(f"{errors} sends to B failed after A died")
    if reappeared != len(held):
        problems.append(f"only {reappeared} of A's {len(held)} in-flight messages came back")
    if seen_too_early:
        problems.append("messages in flight on A were visible before their timeout")
    if task.get("Status") != "COMPLETED" or moved_counts != {"dlq": 0, "source": moved_before} \
            or task.get("ApproximateNumberOfMessagesMoved") != moved_before:
        problems.append(f"move task not taken over cleanly: {result['move_task']}")
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("OK")


if __name__ == "__main__":
    main()
