"""Helpers shared by the dead-letter and move-task suites: queues with redrive policies, and
driving messages into a DLQ and out of a queue without sleeping through timeouts."""

from __future__ import annotations

import json
import time

from wharfutil import counts, queue_attrs, unique_name


def arn_of(sqs, url):
    return queue_attrs(sqs, url, "QueueArn")["QueueArn"]


def rp(target_arn, max_receive_count=1):
    """A RedrivePolicy attribute value."""
    return json.dumps({"deadLetterTargetArn": target_arn, "maxReceiveCount": max_receive_count})


def new_queue(sqs, fifo=False, prefix="dlq", **attrs):
    name = unique_name(prefix) + (".fifo" if fifo else "")
    a = {k: str(v) for k, v in attrs.items()}
    if fifo:
        a["FifoQueue"] = "true"
        a.setdefault("ContentBasedDeduplication", "true")
    return sqs.create_queue(QueueName=name, Attributes=a)["QueueUrl"]


def drive_to_dlq(sqs, src, dlq, n, timeout=15.0):
    """Receive from src with VisibilityTimeout=0 until all n messages sit in the DLQ."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if counts(sqs, src) == (0, 0, 0) and counts(sqs, dlq)[0] >= n:
            return
        sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=10, VisibilityTimeout=0)
    raise AssertionError(f"messages not dead-lettered: src {counts(sqs, src)}, dlq {counts(sqs, dlq)}")


def drain(sqs, url, timeout=10.0, **kw):
    """Receive (VisibilityTimeout 300) until two empty receives in a row; the messages."""
    got, empties, deadline = [], 0, time.monotonic() + timeout
    while empties < 2 and time.monotonic() < deadline:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=300,
                                   **kw).get("Messages", [])
        empties = 0 if msgs else empties + 1
        got += msgs
    return got
