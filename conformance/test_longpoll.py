"""Long polling is event-driven (docs/sqs-behaviour.md#long-polling): a waiting receive returns as soon as a message becomes
visible (send, delay expiry, visibility expiry), and an empty wait lasts the whole wait time."""

import threading
import time

from wharfutil import make_client


def _receive_in_thread(client, url, **kw):
    out = {}

    def run():
        t0 = time.monotonic()
        try:
            out["resp"] = client.receive_message(QueueUrl=url, **kw)
        except Exception as e:  # reported by the test
            out["error"] = e
        out["done"] = time.monotonic()
        out["elapsed"] = out["done"] - t0

    th = threading.Thread(target=run, daemon=True)
    th.start()
    return th, out


def test_long_poll_wakes_on_send(sqs, queue, server, protocol):
    sender = make_client(protocol, server.endpoint)  # a second, independent client
    th, out = _receive_in_thread(sqs, queue, WaitTimeSeconds=5)
    time.sleep(0.7)
    assert th.is_alive(), f"long poll returned early: {out}"
    sent_at = time.monotonic()
    sender.send_message(QueueUrl=queue, MessageBody="wake up")
    th.join(10)
    assert not th.is_alive()
    assert "error" not in out, out.get("error")
    assert [m["Body"] for m in out["resp"]["Messages"]] == ["wake up"]
    # woke by the send, not by the 5 s timer
    assert out["done"] - sent_at < 1.0, out
    assert out["elapsed"] < 2.5, out


def test_long_poll_empty_waits_full_time(sqs, queue):
    t0 = time.monotonic()
    r = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)
    elapsed = time.monotonic() - t0
    assert "Messages" not in r
    assert 0.9 <= elapsed < 2.5, elapsed


def test_short_poll_returns_immediately(sqs, queue):
    t0 = time.monotonic()
    r = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0)
    assert "Messages" not in r
    assert time.monotonic() - t0 < 0.8


def test_queue_receive_wait_time_is_default(sqs, make_queue):
    url = make_queue(ReceiveMessageWaitTimeSeconds=1)
    t0 = time.monotonic()
    r = sqs.receive_message(QueueUrl=url)
    elapsed = time.monotonic() - t0
    assert "Messages" not in r
    assert 0.9 <= elapsed < 2.5, elapsed
    # an explicit WaitTimeSeconds=0 overrides the queue default
    t0 = time.monotonic()
    sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    assert time.monotonic() - t0 < 0.8


def test_long_poll_returns_immediately_when_message_available(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="ready")
    t0 = time.monotonic()
    r = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5, MaxNumberOfMessages=10)
    assert [m["Body"] for m in r["Messages"]] == ["ready"]
    # does not wait to fill MaxNumberOfMessages
    assert time.monotonic() - t0 < 1.0


def test_long_poll_wakes_on_visibility_expiry(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    sqs.receive_message(QueueUrl=queue, VisibilityTimeout=1)
    t0 = time.monotonic()
    r = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5)
    elapsed = time.monotonic() - t0
    assert [m["Body"] for m in r["Messages"]] == ["x"]
    assert 0.5 <= elapsed < 2.2, elapsed


def test_long_poll_wakes_on_delay_expiry(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="delayed", DelaySeconds=1)
    t0 = time.monotonic()
    r = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5)
    elapsed = time.monotonic() - t0
    assert [m["Body"] for m in r["Messages"]] == ["delayed"]
    assert 0.5 <= elapsed < 2.2, elapsed


def test_long_poll_wakes_on_change_visibility_zero(sqs, queue, server, protocol):
    other = make_client(protocol, server.endpoint)
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    h = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=60)["Messages"][0]["ReceiptHandle"]
    th, out = _receive_in_thread(sqs, queue, WaitTimeSeconds=5)
    time.sleep(0.5)
    changed_at = time.monotonic()
    other.change_message_visibility(QueueUrl=queue, ReceiptHandle=h, VisibilityTimeout=0)
    th.join(10)
    assert "error" not in out, out.get("error")
    assert [m["Body"] for m in out["resp"]["Messages"]] == ["x"]
    assert out["done"] - changed_at < 1.0, out


def test_concurrent_long_polls_each_message_once(sqs, queue, server, protocol):
    receivers = [make_client(protocol, server.endpoint) for _ in range(3)]
    runs = [_receive_in_thread(c, queue, WaitTimeSeconds=5) for c in receivers]
    time.sleep(0.7)
    sent_at = time.monotonic()
    sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"m{i}", "MessageBody": f"m{i}"} for i in range(3)])
    bodies = []
    for th, out in runs:
        th.join(10)
        assert "error" not in out, out.get("error")
        bodies += [m["Body"] for m in out["resp"].get("Messages", [])]
        assert out["done"] - sent_at < 1.5, out
    # every message delivered once; no message to two waiters
    assert sorted(bodies) == ["m0", "m1", "m2"]
