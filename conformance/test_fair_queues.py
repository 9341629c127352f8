"""Fair queues: MessageGroupId on standard queues (docs/sqs-behaviour.md#fair-queues, #fifo-identifiers; issue 3 item 2)."""

import pytest

from wharfutil import counts, expect_error, sys_attr_kwargs


def recv(sqs, url, n=10, **kw):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=n, **kw).get("Messages", [])


def send_many(sqs, url, group, prefix, n):
    for start in range(0, n, 10):
        r = sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": f"e{i}", "MessageBody": f"{prefix}-{i}", "MessageGroupId": group}
            for i in range(start, min(n, start + 10))])
        assert not r.get("Failed"), r


def test_group_id_on_standard_queue_accepted_and_returned(sqs, queue):
    r = sqs.send_message(QueueUrl=queue, MessageBody="single", MessageGroupId="tenant-1")
    assert r["MessageId"]
    assert "SequenceNumber" not in r  # FIFO only (docs/sqs-behaviour.md#message-groups)
    b = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "a", "MessageBody": "batched", "MessageGroupId": "tenant-2"},
        {"Id": "b", "MessageBody": "no group"}])
    assert len(b["Successful"]) == 2 and not b.get("Failed")
    assert all("SequenceNumber" not in e for e in b["Successful"])
    got = {m["Body"]: m for m in recv(sqs, queue, VisibilityTimeout=0,
                                      **sys_attr_kwargs(sqs, ["MessageGroupId"]))}
    assert set(got) == {"single", "batched", "no group"}
    assert got["single"]["Attributes"] == {"MessageGroupId": "tenant-1"}
    assert got["batched"]["Attributes"] == {"MessageGroupId": "tenant-2"}
    assert "MessageGroupId" not in got["no group"].get("Attributes", {})
    # "All" includes it; FIFO-only attributes stay absent on a standard queue
    allm = {m["Body"]: m for m in recv(sqs, queue, **sys_attr_kwargs(sqs, ["All"]))}
    a = allm["single"]["Attributes"]
    assert a["MessageGroupId"] == "tenant-1"
    assert "SequenceNumber" not in a and "MessageDeduplicationId" not in a


def test_standard_queue_groups_are_not_locked(sqs, queue):
    # Fair queues keep standard semantics: no FIFO group locking.
    for i in range(3):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{i}", MessageGroupId="g")
    first = recv(sqs, queue, n=1, VisibilityTimeout=30)
    assert len(first) == 1
    rest = recv(sqs, queue, VisibilityTimeout=30)
    assert sorted(m["Body"] for m in first + rest) == ["m0", "m1", "m2"]
    assert counts(sqs, queue) == (0, 3, 0)


@pytest.mark.parametrize("value", ["a" * 129, "has space", "ümlaut"],
                         ids=["129-chars", "space", "non-ascii"])
def test_invalid_group_id_on_standard_queue(sqs, queue, value):
    # docs/sqs-behaviour.md#fifo-identifiers [A]: the group-id check also applies on standard queues.
    with expect_error("InvalidParameterValue", 400,
                      message=f"Value {value} for parameter MessageGroupId is invalid. Reason: "
                              "MessageGroupId can only include alphanumeric and punctuation "
                              "characters. 1 to 128 in length."):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageGroupId=value)
    assert counts(sqs, queue) == (0, 0, 0)


def test_dedup_id_on_standard_queue_rejected(sqs, queue):
    """docs/sqs-behaviour.md#fifo-identifiers [U]: Choice — MessageDeduplicationId on a standard queue is rejected with
    InvalidParameterValue ("... not valid for this queue type"), as LocalStack records."""
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageGroupId="g",
                         MessageDeduplicationId="d")
    assert counts(sqs, queue) == (0, 0, 0)


def test_large_backlog_does_not_starve_small_group(sqs, queue):
    """One group with 200 queued messages, another with 3 sent afterwards: the small group's
    messages must all come out within the first two receives of 10 (oldest-first would need 21)."""
    send_many(sqs, queue, "noisy", "noisy", 200)
    send_many(sqs, queue, "quiet", "quiet", 3)
    seen = []
    for _ in range(2):
        got = recv(sqs, queue, VisibilityTimeout=60)
        assert len(got) == 10
        seen += [m["Body"] for m in got]
    assert sorted(b for b in seen if b.startswith("quiet")) == ["quiet-0", "quiet-1", "quiet-2"]
    assert len(set(seen)) == 20


def test_new_group_served_while_backlog_in_flight(sqs, queue):
    """A group that shows up while a noisy group has many messages in flight and queued is
    served on the next receive."""
    send_many(sqs, queue, "noisy", "noisy", 100)
    first = recv(sqs, queue, VisibilityTimeout=60)
    assert len(first) == 10 and all(m["Body"].startswith("noisy") for m in first)
    sqs.send_message(QueueUrl=queue, MessageBody="late-quiet", MessageGroupId="quiet")
    got = recv(sqs, queue, VisibilityTimeout=60)
    assert "late-quiet" in [m["Body"] for m in got]
