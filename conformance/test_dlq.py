"""Dead-letter queues: RedrivePolicy, moving messages after maxReceiveCount, RedriveAllowPolicy,
ListDeadLetterSourceQueues, and DLQ moves across a kill -9 (docs/sqs-behaviour.md#queue-attributes, #system-attributes, #numeric-parameters, #dead-letter-queues)."""

import json
import uuid

import pytest

from redrive import arn_of, drain, drive_to_dlq, new_queue, rp
from wharfutil import (
    counts, expect_error, make_client, queue_attrs, sys_attr_kwargs, unique_name,
)

MD5_EXAMPLE_ATTRS = "27f137935bc9d60f824ed82d6a69fba1"
EXAMPLE_ATTRS = {
    "City": {"DataType": "String", "StringValue": "Any City"},
    "Count": {"DataType": "Number.int", "StringValue": "42"},
    "Blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"},
}
TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"


def pair(sqs, max_receive_count=1, fifo=False):
    """(source url, dlq url, source arn, dlq arn)"""
    dlq = new_queue(sqs, fifo=fifo)
    dlq_arn = arn_of(sqs, dlq)
    src = new_queue(sqs, fifo=fifo, RedrivePolicy=rp(dlq_arn, max_receive_count))
    return src, dlq, arn_of(sqs, src), dlq_arn


def assert_refused(sqs, policy, fifo=False, src=None):
    """A RedrivePolicy is refused with InvalidParameterValue and leaves nothing behind: on
    SetQueueAttributes the source keeps no policy, and on CreateQueue no queue is created."""
    src = src or new_queue(sqs, fifo=fifo)
    with expect_error("InvalidParameterValue", 400):
        sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": policy})
    assert "RedrivePolicy" not in queue_attrs(sqs, src, "All")
    name = unique_name("refused") + (".fifo" if fifo else "")
    attributes = {"RedrivePolicy": policy, **({"FifoQueue": "true"} if fifo else {})}
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=name, Attributes=attributes)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)


def missing_arn_like(arn):
    return arn.rsplit(":", 1)[0] + ":" + unique_name("missing")


# ------------------------------------------------------------------------------- RedrivePolicy

@pytest.mark.parametrize("mrc", [5, "5"], ids=["int", "string"])
@pytest.mark.parametrize("op", ["create", "set"])
def test_redrive_policy_roundtrip(sqs, op, mrc):
    dlq = new_queue(sqs)
    dlq_arn = arn_of(sqs, dlq)
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": mrc})
    if op == "create":
        src = new_queue(sqs, RedrivePolicy=policy)
    else:
        src = new_queue(sqs)
        sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": policy})
    got = json.loads(queue_attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])
    assert got["deadLetterTargetArn"] == dlq_arn
    assert int(got["maxReceiveCount"]) == 5
    assert "RedrivePolicy" in queue_attrs(sqs, src, "All")
    assert "RedrivePolicy" not in queue_attrs(sqs, dlq, "All")


@pytest.mark.parametrize("mrc", [1, 1000])
def test_max_receive_count_bounds_accepted(sqs, mrc):
    dlq_arn = arn_of(sqs, new_queue(sqs))
    src = new_queue(sqs, RedrivePolicy=rp(dlq_arn, mrc))
    assert int(json.loads(queue_attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])[
        "maxReceiveCount"]) == mrc


@pytest.mark.parametrize("mrc", [0, 1001, -1, "abc", 1.5])
def test_max_receive_count_out_of_range(sqs, mrc):
    """docs/sqs-behaviour.md#numeric-parameters: maxReceiveCount 1..1000 → InvalidParameterValue ([U]; the choice documented there)."""
    assert_refused(sqs, rp(arn_of(sqs, new_queue(sqs)), mrc))


def test_redrive_target_must_exist(sqs):
    """Choice: a deadLetterTargetArn naming no queue → InvalidParameterValue (AWS: "Value … for
    parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.")."""
    src = new_queue(sqs)
    assert_refused(sqs, rp(missing_arn_like(arn_of(sqs, src)), 3), src=src)


def test_redrive_target_deleted_queue(sqs):
    dlq = new_queue(sqs)
    dlq_arn = arn_of(sqs, dlq)
    sqs.delete_queue(QueueUrl=dlq)
    assert_refused(sqs, rp(dlq_arn, 3))


@pytest.mark.parametrize("policy", [
    "not json", "{}", "[]", '{"maxReceiveCount": 3}', '{"deadLetterTargetArn": "%s"}',
    '{"deadLetterTargetArn": "not-an-arn", "maxReceiveCount": 3}',
    '{"deadLetterTargetArn": 5, "maxReceiveCount": 3}',
], ids=["not-json", "empty-object", "array", "no-target", "no-count", "bad-arn", "arn-not-string"])
def test_redrive_policy_malformed(sqs, policy):
    """Choice: every malformed RedrivePolicy is InvalidParameterValue (like maxReceiveCount)."""
    dlq_arn = arn_of(sqs, new_queue(sqs))
    if "%s" in policy:
        policy = policy % dlq_arn
    assert_refused(sqs, policy)


@pytest.mark.parametrize("src_fifo,dlq_fifo", [(True, False), (False, True)],
                         ids=["fifo-source-standard-dlq", "standard-source-fifo-dlq"])
def test_redrive_queue_types_must_match(sqs, src_fifo, dlq_fifo):
    """docs/sqs-behaviour.md#dead-letter-queues [D]: DLQ type must match the source type. Choice: InvalidParameterValue."""
    assert_refused(sqs, rp(arn_of(sqs, new_queue(sqs, fifo=dlq_fifo)), 2), fifo=src_fifo)


def test_redrive_fifo_to_fifo_accepted(sqs):
    src, dlq, _, dlq_arn = pair(sqs, max_receive_count=2, fifo=True)
    assert json.loads(queue_attrs(sqs, src, "RedrivePolicy")["RedrivePolicy"])[
        "deadLetterTargetArn"] == dlq_arn


def test_redrive_target_in_other_region_rejected(sqs, client_for, protocol):
    """Issue 3: the DLQ must be in the same account and region. Choice: InvalidParameterValue."""
    eu = client_for(protocol, "eu-west-1")
    eu_dlq = eu.create_queue(QueueName=unique_name("eu-dlq"))["QueueUrl"]
    eu_arn = arn_of(eu, eu_dlq)
    assert ":eu-west-1:" in eu_arn
    assert_refused(sqs, rp(eu_arn, 2))


def test_redrive_policy_empty_string_removes_it(sqs):
    """docs/sqs-behaviour.md#queue-attributes [U]: Choice — setting RedrivePolicy to "" removes it (and the source is no longer
    listed by ListDeadLetterSourceQueues)."""
    src, dlq, _, _ = pair(sqs)
    sqs.set_queue_attributes(QueueUrl=src, Attributes={"RedrivePolicy": ""})
    assert "RedrivePolicy" not in queue_attrs(sqs, src, "All")
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", []) == []


# ------------------------------------------------------------------------------- moving

@pytest.mark.parametrize("mrc", [1, 3])
def test_message_delivered_at_most_max_receive_count_times(sqs, mrc):
    # docs/sqs-behaviour.md#dead-letter-queues [A]: delivered N times; the (N+1)-th receive moves it instead of returning it.
    src, dlq, _, _ = pair(sqs, max_receive_count=mrc)
    mid = sqs.send_message(QueueUrl=src, MessageBody="poison")["MessageId"]
    for i in range(1, mrc + 1):
        got = sqs.receive_message(QueueUrl=src, VisibilityTimeout=0,
                                  **sys_attr_kwargs(sqs, ["ApproximateReceiveCount"]))["Messages"]
        assert [(m["MessageId"], m["Attributes"]["ApproximateReceiveCount"]) for m in got] == [
            (mid, str(i))]
    assert "Messages" not in sqs.receive_message(QueueUrl=src, VisibilityTimeout=0)
    assert counts(sqs, src) == (0, 0, 0)
    assert counts(sqs, dlq) == (1, 0, 0)
    assert [m["MessageId"] for m in drain(sqs, dlq)] == [mid]


def test_moved_message_keeps_identity_and_gains_source_arn(sqs):
    """docs/sqs-behaviour.md#dead-letter-queues [A]: id, body, MD5s, attributes, AWSTraceHeader kept; DeadLetterQueueSourceArn added;
    ApproximateReceiveCount keeps counting ("2" on the first DLQ receive after one source
    receive). Choice ([U]): SentTimestamp is unchanged by the move."""
    src, dlq, src_arn, _ = pair(sqs, max_receive_count=1)
    s = sqs.send_message(QueueUrl=src, MessageBody="keep me", MessageAttributes=EXAMPLE_ATTRS,
                         MessageSystemAttributes={"AWSTraceHeader": {
                             "DataType": "String", "StringValue": TRACE}})
    first = sqs.receive_message(QueueUrl=src, VisibilityTimeout=30, MessageAttributeNames=["All"],
                                **sys_attr_kwargs(sqs, ["All"]))["Messages"][0]
    assert "DeadLetterQueueSourceArn" not in first["Attributes"]
    # make it visible again without sleeping; the next receive moves it
    sqs.change_message_visibility(QueueUrl=src, ReceiptHandle=first["ReceiptHandle"],
                                  VisibilityTimeout=0)
    assert "Messages" not in sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=10)
    assert counts(sqs, src) == (0, 0, 0)
    got = sqs.receive_message(QueueUrl=dlq, MessageAttributeNames=["All"],
                              **sys_attr_kwargs(sqs, ["All"]))["Messages"]
    assert len(got) == 1
    m = got[0]
    assert m["MessageId"] == s["MessageId"]
    assert m["Body"] == "keep me"
    assert m["MD5OfBody"] == s["MD5OfMessageBody"]
    assert m["MD5OfMessageAttributes"] == MD5_EXAMPLE_ATTRS
    assert m["MessageAttributes"] == EXAMPLE_ATTRS
    a = m["Attributes"]
    assert a["DeadLetterQueueSourceArn"] == src_arn
    assert a["AWSTraceHeader"] == TRACE
    assert a["SentTimestamp"] == first["Attributes"]["SentTimestamp"]
    assert a["ApproximateReceiveCount"] == "2"
    assert "ApproximateFirstReceiveTimestamp" in a
    # only when asked
    sqs.change_message_visibility(QueueUrl=dlq, ReceiptHandle=m["ReceiptHandle"],
                                  VisibilityTimeout=0)
    assert "Attributes" not in sqs.receive_message(QueueUrl=dlq)["Messages"][0]


def test_many_messages_each_moved_exactly_once(sqs):
    src, dlq, src_arn, _ = pair(sqs, max_receive_count=1)
    sent = {}
    for k in range(0, 15, 5):
        r = sqs.send_message_batch(QueueUrl=src, Entries=[
            {"Id": f"e{i}", "MessageBody": f"m{i}"} for i in range(k, k + 5)])
        sent.update({e["MessageId"]: f"m{e['Id'][1:]}" for e in r["Successful"]})
    assert len(sent) == 15
    drive_to_dlq(sqs, src, dlq, 15)
    assert counts(sqs, src) == (0, 0, 0)
    got = drain(sqs, dlq, **sys_attr_kwargs(sqs, ["DeadLetterQueueSourceArn"]))
    assert sorted((m["MessageId"], m["Body"]) for m in got) == sorted(sent.items())
    assert all(m["Attributes"]["DeadLetterQueueSourceArn"] == src_arn for m in got)
    assert drain(sqs, src) == []


def test_fifo_messages_move_in_order_and_group_unlocks(sqs):
    """FIFO source → FIFO DLQ. Choice: MessageGroupId and MessageDeduplicationId are kept, and
    the DLQ delivers the group in the original order."""
    src, dlq, src_arn, _ = pair(sqs, max_receive_count=1, fifo=True)
    for i in range(3):
        sqs.send_message(QueueUrl=src, MessageBody=f"m{i}", MessageGroupId="g",
                         MessageDeduplicationId=f"d{i}")
    head = sqs.receive_message(QueueUrl=src, VisibilityTimeout=30)["Messages"]
    assert [m["Body"] for m in head] == ["m0"]
    sqs.change_message_visibility(QueueUrl=src, ReceiptHandle=head[0]["ReceiptHandle"],
                                  VisibilityTimeout=0)
    # m0 moves on the next receive; the group is no longer blocked by it
    seen = []
    for _ in range(3):
        seen += [m["Body"] for m in sqs.receive_message(
            QueueUrl=src, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])]
        if seen:
            break
    assert seen and seen[0] == "m1", seen
    drive_to_dlq(sqs, src, dlq, 3)
    got = drain(sqs, dlq, **sys_attr_kwargs(sqs, ["All"]))
    assert [m["Body"] for m in got] == ["m0", "m1", "m2"]
    assert [m["Attributes"]["MessageGroupId"] for m in got] == ["g"] * 3
    assert [m["Attributes"]["MessageDeduplicationId"] for m in got] == ["d0", "d1", "d2"]
    assert all(m["Attributes"]["DeadLetterQueueSourceArn"] == src_arn for m in got)


# ------------------------------------------------------------------------------- RedriveAllowPolicy

def allow(permission, arns=None):
    d = {"redrivePermission": permission}
    if arns is not None:
        d["sourceQueueArns"] = arns
    return json.dumps(d)


def test_redrive_allow_policy_roundtrip(sqs):
    dlq = new_queue(sqs)
    arns = [missing_arn_like(arn_of(sqs, dlq)) for _ in range(2)]
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": allow("byQueue",
                                                                                     arns)})
    got = json.loads(queue_attrs(sqs, dlq, "RedriveAllowPolicy")["RedriveAllowPolicy"])
    assert got == {"redrivePermission": "byQueue", "sourceQueueArns": arns}
    assert "RedriveAllowPolicy" in queue_attrs(sqs, dlq, "All")


def test_redrive_allow_deny_all(sqs):
    """docs/sqs-behaviour.md#dead-letter-queues [D]: RedriveAllowPolicy on the DLQ governs which sources may target it.
    Choice: a forbidden source gets InvalidParameterValue (RedrivePolicy invalid)."""
    dlq = new_queue(sqs, RedriveAllowPolicy=allow("denyAll"))
    dlq_arn = arn_of(sqs, dlq)
    assert_refused(sqs, rp(dlq_arn, 3))
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", []) == []


def test_redrive_allow_by_queue(sqs):
    dlq = new_queue(sqs)
    dlq_arn = arn_of(sqs, dlq)
    allowed, other = new_queue(sqs), new_queue(sqs)
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={
        "RedriveAllowPolicy": allow("byQueue", [arn_of(sqs, allowed)])})
    sqs.set_queue_attributes(QueueUrl=allowed, Attributes={"RedrivePolicy": rp(dlq_arn, 3)})
    assert_refused(sqs, rp(dlq_arn, 3), src=other)
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [allowed]


def test_redrive_allow_all_and_absent_policy_allow(sqs):
    explicit = new_queue(sqs, RedriveAllowPolicy=allow("allowAll"))
    absent = new_queue(sqs)
    for dlq in (explicit, absent):
        src = new_queue(sqs, RedrivePolicy=rp(arn_of(sqs, dlq), 2))
        assert "RedrivePolicy" in queue_attrs(sqs, src, "All")


def test_redrive_allow_policy_ten_source_arns_ok_eleven_rejected(sqs):
    """docs/sqs-behaviour.md#queue-attributes [D]: at most 10 sourceQueueArns. Choice: InvalidParameterValue."""
    dlq = new_queue(sqs)
    base = arn_of(sqs, dlq).rsplit(":", 1)[0]
    ten = [f"{base}:src-{uuid.uuid4().hex[:8]}" for _ in range(10)]
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": allow("byQueue", ten)})
    with expect_error("InvalidParameterValue", 400):
        sqs.set_queue_attributes(QueueUrl=dlq, Attributes={
            "RedriveAllowPolicy": allow("byQueue", ten + [f"{base}:src-eleven"])})
    got = json.loads(queue_attrs(sqs, dlq, "RedriveAllowPolicy")["RedriveAllowPolicy"])
    assert got["sourceQueueArns"] == ten
    name = unique_name("eleven")
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=name, Attributes={
            "RedriveAllowPolicy": allow("byQueue", ten + [f"{base}:src-eleven"])})


@pytest.mark.parametrize("policy", [
    allow("everyone"), allow("allowAll", ["arn:aws:sqs:us-east-1:000000000000:x"]),
    allow("denyAll", ["arn:aws:sqs:us-east-1:000000000000:x"]), "not json", "{}",
], ids=["unknown-permission", "allowAll-with-arns", "denyAll-with-arns", "not-json", "empty"])
def test_redrive_allow_policy_invalid(sqs, policy):
    """docs/sqs-behaviour.md#queue-attributes [D]: sourceQueueArns only with byQueue. Choice: InvalidParameterValue for every
    malformed RedriveAllowPolicy."""
    dlq = new_queue(sqs)
    with expect_error("InvalidParameterValue", 400):
        sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": policy})
    assert "RedriveAllowPolicy" not in queue_attrs(sqs, dlq, "All")


# ------------------------------------------------------------------------------- ListDeadLetterSourceQueues

def test_list_dead_letter_source_queues(sqs):
    dlq = new_queue(sqs)
    dlq_arn = arn_of(sqs, dlq)
    sources = [new_queue(sqs, RedrivePolicy=rp(dlq_arn, 3)) for _ in range(3)]
    new_queue(sqs)  # unrelated
    other_dlq_arn = arn_of(sqs, new_queue(sqs))
    new_queue(sqs, RedrivePolicy=rp(other_dlq_arn, 3))  # another DLQ's source
    r = sqs.list_dead_letter_source_queues(QueueUrl=dlq)
    assert sorted(r["queueUrls"]) == sorted(sources)
    assert "NextToken" not in r
    # a source that is deleted or drops its policy is no longer listed
    sqs.delete_queue(QueueUrl=sources[0])
    sqs.set_queue_attributes(QueueUrl=sources[1], Attributes={
        "RedrivePolicy": rp(other_dlq_arn, 3)})
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [sources[2]]


def test_list_dead_letter_source_queues_pagination(sqs):
    dlq = new_queue(sqs)
    dlq_arn = arn_of(sqs, dlq)
    sources = {new_queue(sqs, RedrivePolicy=rp(dlq_arn, 3)) for _ in range(5)}
    seen = []
    r = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2)
    assert len(r["queueUrls"]) == 2 and r.get("NextToken")
    seen += r["queueUrls"]
    r = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2, NextToken=r["NextToken"])
    assert len(r["queueUrls"]) == 2 and r.get("NextToken")
    seen += r["queueUrls"]
    r = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2, NextToken=r["NextToken"])
    assert len(r["queueUrls"]) == 1 and "NextToken" not in r
    seen += r["queueUrls"]
    assert sorted(seen) == sorted(sources)
    r = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=5)
    assert len(r["queueUrls"]) == 5 and "NextToken" not in r


def test_list_dead_letter_source_queues_empty(sqs, queue):
    r = sqs.list_dead_letter_source_queues(QueueUrl=queue)
    assert r.get("queueUrls", []) == []
    assert "NextToken" not in r


@pytest.mark.parametrize("max_results", [0, 1001])
def test_list_dead_letter_source_queues_max_results_bounds(sqs, queue, max_results):
    """docs/sqs-behaviour.md#numeric-parameters: MaxResults 1..1000 ([U] code). Choice: InvalidParameterValue, as for ListQueues."""
    with expect_error("InvalidParameterValue", 400):
        sqs.list_dead_letter_source_queues(QueueUrl=queue, MaxResults=max_results)


def test_list_dead_letter_source_queues_nonexistent_queue(sqs, server):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.list_dead_letter_source_queues(QueueUrl=server.queue_url(unique_name("nope")))


# ------------------------------------------------------------------------------- restart

def test_dead_lettered_messages_survive_kill_9(wharf_factory, protocol):
    srv = wharf_factory(name="dlq-restart")
    c = make_client(protocol, srv.endpoint, connect_timeout=2, read_timeout=15)
    src, dlq, src_arn, _ = pair(c, max_receive_count=1)
    src_name, dlq_name = src.rsplit("/", 1)[1], dlq.rsplit("/", 1)[1]
    sent = {}
    r = c.send_message_batch(QueueUrl=src, Entries=[
        {"Id": f"e{i}", "MessageBody": f"m{i}"} for i in range(10)])
    sent.update({e["MessageId"]: f"m{e['Id'][1:]}" for e in r["Successful"]})
    drive_to_dlq(c, src, dlq, 10)
    keep = c.send_message(QueueUrl=src, MessageBody="stays")["MessageId"]
    srv.kill()
    srv.start()
    c = make_client(protocol, srv.endpoint, connect_timeout=2, read_timeout=15)
    src = c.get_queue_url(QueueName=src_name)["QueueUrl"]
    dlq = c.get_queue_url(QueueName=dlq_name)["QueueUrl"]
    got = drain(c, dlq, **sys_attr_kwargs(c, ["DeadLetterQueueSourceArn"]))
    assert sorted((m["MessageId"], m["Body"]) for m in got) == sorted(sent.items())
    assert all(m["Attributes"]["DeadLetterQueueSourceArn"] == src_arn for m in got)
    back = drain(c, src)
    assert [m["MessageId"] for m in back] == [keep]
