"""ReceiveMessage, DeleteMessage[Batch], ChangeMessageVisibility[Batch], PurgeQueue
(docs/sqs-behaviour.md#messages, #digest-test-vectors, #numeric-parameters, #visibility, #long-polling)."""

import time

import pytest

from wharfutil import (
    counts, expect_error, md5_of_attributes, now_ms, protocol_of, receive_all, sys_attr_kwargs,
)

EXAMPLE_ATTRS = {
    "City": {"DataType": "String", "StringValue": "Any City"},
    "Count": {"DataType": "Number.int", "StringValue": "42"},
    "Blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"},
}
STANDARD_SYSTEM_ATTRS = {"SenderId", "SentTimestamp", "ApproximateReceiveCount",
                         "ApproximateFirstReceiveTimestamp"}
TRACE1 = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"


def one(sqs, url, **kw):
    r = sqs.receive_message(QueueUrl=url, **kw)
    msgs = r.get("Messages", [])
    assert len(msgs) == 1, r
    return msgs[0]


# ------------------------------------------------------------------------------- parameters

@pytest.mark.parametrize("n", [0, 11, -1])
def test_max_number_of_messages_out_of_range(sqs, queue, n):
    with expect_error("InvalidParameterValue", 400,
                      message=f"Value {n} for parameter MaxNumberOfMessages is invalid. "
                              "Reason: Must be between 1 and 10, if provided."):
        sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=n)


@pytest.mark.parametrize("n", [21, -1])
def test_wait_time_seconds_out_of_range(sqs, queue, n):
    with expect_error("InvalidParameterValue", 400,
                      message=f"Value {n} for parameter WaitTimeSeconds is invalid. "
                              "Reason: Must be >= 0 and <= 20, if provided."):
        sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=n)


@pytest.mark.parametrize("vt", [43201, -1])
def test_receive_visibility_timeout_out_of_range(sqs, queue, vt):
    # [U] message; code InvalidParameterValue
    with expect_error("InvalidParameterValue", 400):
        sqs.receive_message(QueueUrl=queue, VisibilityTimeout=vt)


def test_empty_receive_has_no_messages_key(sqs, queue):
    r = sqs.receive_message(QueueUrl=queue)
    assert "Messages" not in r
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_max_number_of_messages(sqs, queue):
    sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"a{i}", "MessageBody": f"a{i}"} for i in range(10)])
    sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"b{i}", "MessageBody": f"b{i}"} for i in range(5)])
    # default is 1
    first = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert len(first) == 1
    r = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=3)["Messages"]
    assert 1 <= len(r) <= 3
    rest = receive_all(sqs, queue, expected=15 - 1 - len(r))
    assert all(len(x["Body"]) == 2 for x in rest)
    bodies = [m["Body"] for m in first + r + rest]
    assert sorted(bodies) == sorted([f"a{i}" for i in range(10)] + [f"b{i}" for i in range(5)])
    assert counts(sqs, queue) == (0, 15, 0)


def test_receive_up_to_ten(sqs, queue):
    sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"a{i}", "MessageBody": f"a{i}"} for i in range(10)])
    sqs.send_message(QueueUrl=queue, MessageBody="eleven")
    r = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    # A single-node server holds every message: a short poll returns a full page.
    assert len(r) == 10
    assert len({m["MessageId"] for m in r}) == 10


# ------------------------------------------------------------------------------- system attributes

def test_system_attributes_all(sqs, queue):
    t0 = now_ms()
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    t1 = now_ms()
    m = one(sqs, queue, **sys_attr_kwargs(sqs, ["All"]))
    a = m["Attributes"]
    assert set(a) == STANDARD_SYSTEM_ATTRS
    assert a["ApproximateReceiveCount"] == "1"
    assert a["SenderId"]
    # epoch milliseconds
    assert t0 - 2000 <= int(a["SentTimestamp"]) <= t1 + 2000
    assert int(a["SentTimestamp"]) <= int(a["ApproximateFirstReceiveTimestamp"]) <= now_ms() + 2000


def test_system_attributes_all_with_trace_header(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x", MessageSystemAttributes={
        "AWSTraceHeader": {"DataType": "String", "StringValue": TRACE1}})
    a = one(sqs, queue, **sys_attr_kwargs(sqs, ["All"]))["Attributes"]
    assert set(a) == STANDARD_SYSTEM_ATTRS | {"AWSTraceHeader"}
    assert a["AWSTraceHeader"] == TRACE1


def test_system_attributes_exact_names(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue, VisibilityTimeout=0,
            **sys_attr_kwargs(sqs, ["SentTimestamp", "ApproximateReceiveCount"]))
    assert set(m["Attributes"]) == {"SentTimestamp", "ApproximateReceiveCount"}
    assert m["Attributes"]["ApproximateReceiveCount"] == "1"
    m = one(sqs, queue, **sys_attr_kwargs(sqs, ["SenderId"]))
    assert set(m["Attributes"]) == {"SenderId"}


def test_system_attributes_absent_when_not_requested(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x", MessageSystemAttributes={
        "AWSTraceHeader": {"DataType": "String", "StringValue": TRACE1}})
    m = one(sqs, queue)
    assert "Attributes" not in m


def test_system_attributes_via_deprecated_attribute_names(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue, VisibilityTimeout=0, AttributeNames=["All"])
    assert set(m["Attributes"]) == STANDARD_SYSTEM_ATTRS
    m = one(sqs, queue, AttributeNames=["ApproximateReceiveCount"])
    assert m["Attributes"] == {"ApproximateReceiveCount": "2"}


def test_system_attribute_name_lists_are_merged(sqs, queue):
    if protocol_of(sqs) != "json":
        pytest.skip("the old Query model has only AttributeNames")
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue, AttributeNames=["SenderId"],
            MessageSystemAttributeNames=["SentTimestamp"])
    assert set(m["Attributes"]) == {"SenderId", "SentTimestamp"}


def test_first_receive_timestamp_stable_and_count_increments(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    handles, firsts = [], set()
    for expected in range(1, 4):
        m = one(sqs, queue, VisibilityTimeout=0, **sys_attr_kwargs(sqs, ["All"]))
        assert m["Attributes"]["ApproximateReceiveCount"] == str(expected)
        firsts.add(m["Attributes"]["ApproximateFirstReceiveTimestamp"])
        handles.append(m["ReceiptHandle"])
        time.sleep(0.01)
    assert len(firsts) == 1
    # a new receipt handle on every receive
    assert len(set(handles)) == 3


# ------------------------------------------------------------------------------- message attributes

@pytest.mark.parametrize("names,expected_keys,expected_md5", [
    (["All"], {"Blob", "City", "Count"}, "27f137935bc9d60f824ed82d6a69fba1"),
    ([".*"], {"Blob", "City", "Count"}, "27f137935bc9d60f824ed82d6a69fba1"),
    (["*"], {"Blob", "City", "Count"}, "27f137935bc9d60f824ed82d6a69fba1"),
    (["C.*"], {"City", "Count"}, "a0cd70f7688297e12281d1210dc2d7e1"),
    (["City", "Count"], {"City", "Count"}, "a0cd70f7688297e12281d1210dc2d7e1"),
    (["City"], {"City"}, None),
    (["Blob", "Nope"], {"Blob"}, None),
    (["Nope"], set(), None),
    (["city"], set(), None),
    (["AWS."], set(), None),
    (["..foo"], set(), None),
], ids=["All", "dot-star", "star", "prefix", "exact-two", "exact-one", "exact-and-unknown",
        "unknown", "case-sensitive", "illegal-aws", "illegal-dots"])
def test_message_attribute_filters(sqs, queue, names, expected_keys, expected_md5):
    # Choice: `<p>.*` is a regex-like prefix filter on <p> (so `.*` is "all" and "C.*" selects
    # City and Count, the docs/sqs-behaviour.md#attribute-selection example). The alternative reading ("C." as the prefix) is
    # unverified against real SQS.
    sqs.send_message(QueueUrl=queue, MessageBody="Hello from SQS", MessageAttributes=EXAMPLE_ATTRS)
    m = one(sqs, queue, MessageAttributeNames=names)
    if not expected_keys:
        assert "MessageAttributes" not in m
        assert "MD5OfMessageAttributes" not in m
        return
    assert set(m["MessageAttributes"]) == expected_keys
    subset = {k: EXAMPLE_ATTRS[k] for k in expected_keys}
    assert m["MD5OfMessageAttributes"] == (expected_md5 or md5_of_attributes(subset))
    for k in expected_keys:
        assert m["MessageAttributes"][k]["DataType"] == EXAMPLE_ATTRS[k]["DataType"]


def test_message_attributes_absent_when_not_requested(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=EXAMPLE_ATTRS)
    m = one(sqs, queue)
    assert "MessageAttributes" not in m
    assert "MD5OfMessageAttributes" not in m


def test_prefix_filter_with_dotted_names(sqs, queue):
    attrs = {"foo.a": {"DataType": "String", "StringValue": "1"},
             "foo.b": {"DataType": "String", "StringValue": "2"},
             "foobar": {"DataType": "String", "StringValue": "3"},
             "bar": {"DataType": "String", "StringValue": "4"}}
    sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attrs)
    # `<prefix>.*` matches names starting with <prefix> (the reading of docs/sqs-behaviour.md#attribute-selection, where "C.*"
    # selects City and Count), so "foo.*" also selects "foobar" but never "bar".
    m = one(sqs, queue, MessageAttributeNames=["foo.*"])
    assert set(m["MessageAttributes"]) == {"foo.a", "foo.b", "foobar"}
    assert m["MD5OfMessageAttributes"] == md5_of_attributes(
        {k: attrs[k] for k in ("foo.a", "foo.b", "foobar")})


# ------------------------------------------------------------------------------- visibility

def test_received_message_is_invisible(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    one(sqs, queue)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    assert counts(sqs, queue) == (0, 1, 0)


def test_receive_visibility_timeout_zero(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m1 = one(sqs, queue, VisibilityTimeout=0, **sys_attr_kwargs(sqs, ["ApproximateReceiveCount"]))
    m2 = one(sqs, queue, VisibilityTimeout=0, **sys_attr_kwargs(sqs, ["ApproximateReceiveCount"]))
    assert m1["MessageId"] == m2["MessageId"]
    assert m1["ReceiptHandle"] != m2["ReceiptHandle"]
    assert m1["Attributes"]["ApproximateReceiveCount"] == "1"
    assert m2["Attributes"]["ApproximateReceiveCount"] == "2"


def test_visibility_timeout_expires(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    one(sqs, queue, VisibilityTimeout=1)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    time.sleep(1.3)
    assert one(sqs, queue)["Body"] == "x"


def test_queue_default_visibility_timeout(sqs, make_queue):
    url = make_queue(VisibilityTimeout=1)
    sqs.send_message(QueueUrl=url, MessageBody="x")
    one(sqs, url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    time.sleep(1.3)
    one(sqs, url, VisibilityTimeout=0)
    # VisibilityTimeout=0 on the queue: immediately visible again
    url0 = make_queue(VisibilityTimeout=0)
    sqs.send_message(QueueUrl=url0, MessageBody="y")
    one(sqs, url0)
    one(sqs, url0)


# ------------------------------------------------------------------------------- DeleteMessage

def test_delete_message(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue, VisibilityTimeout=0)
    r = sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counts(sqs, queue) == (0, 0, 0)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)


def test_delete_message_twice_ok(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    assert counts(sqs, queue) == (0, 0, 0)


def test_delete_message_garbage_handle(sqs, queue):
    with expect_error("ReceiptHandleIsInvalid", 404,
                      message='The input receipt handle "garbage" is not a valid receipt '
                              'handle.'):
        sqs.delete_message(QueueUrl=queue, ReceiptHandle="garbage")


def test_delete_with_old_handle_after_visibility_expired(sqs, queue):
    # docs/sqs-behaviour.md#visibility [A] standard queues: an earlier handle still deletes the message.
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    old = one(sqs, queue, VisibilityTimeout=0)["ReceiptHandle"]
    one(sqs, queue, VisibilityTimeout=30)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=old)
    assert counts(sqs, queue) == (0, 0, 0)


def test_delete_handle_from_other_queue_not_deleting(sqs, queue, make_queue):
    # [U] a handle of another queue is invalid there; it must never delete the message.
    other = make_queue()
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    h = one(sqs, queue, VisibilityTimeout=0)["ReceiptHandle"]
    from botocore.exceptions import ClientError
    try:
        sqs.delete_message(QueueUrl=other, ReceiptHandle=h)
    except ClientError as e:
        assert e.response["Error"]["Code"] in ("ReceiptHandleIsInvalid", "InvalidParameterValue")
    assert counts(sqs, queue) == (1, 0, 0)


def test_delete_message_batch(sqs, queue):
    sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"m{i}", "MessageBody": f"m{i}"} for i in range(3)])
    msgs = receive_all(sqs, queue, expected=3)
    assert len(msgs) == 3
    r = sqs.delete_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
    assert sorted(e["Id"] for e in r["Successful"]) == ["d0", "d1", "d2"]
    assert not r.get("Failed")
    assert counts(sqs, queue) == (0, 0, 0)


def test_delete_message_batch_partial_failure(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue)
    r = sqs.delete_message_batch(QueueUrl=queue, Entries=[
        {"Id": "good", "ReceiptHandle": m["ReceiptHandle"]},
        {"Id": "bad", "ReceiptHandle": "garbage"},
    ])
    assert [e["Id"] for e in r["Successful"]] == ["good"]
    assert len(r["Failed"]) == 1
    f = r["Failed"][0]
    assert f["Id"] == "bad"
    assert f["SenderFault"] is True
    # [U] per-entry code for a malformed handle: ReceiptHandleIsInvalid
    assert f["Code"] == "ReceiptHandleIsInvalid"
    assert counts(sqs, queue) == (0, 0, 0)


# ------------------------------------------------------------------------------- ChangeMessageVisibility

def test_change_visibility_to_zero(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue, VisibilityTimeout=30)
    assert counts(sqs, queue) == (0, 1, 0)
    r = sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"],
                                      VisibilityTimeout=0)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counts(sqs, queue) == (1, 0, 0)
    m2 = one(sqs, queue, **sys_attr_kwargs(sqs, ["ApproximateReceiveCount"]))
    assert m2["MessageId"] == m["MessageId"]
    assert m2["Attributes"]["ApproximateReceiveCount"] == "2"


def test_change_visibility_rearms_from_now(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue, VisibilityTimeout=30)
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"],
                                  VisibilityTimeout=1)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    time.sleep(1.3)
    assert one(sqs, queue)["MessageId"] == m["MessageId"]


def test_change_visibility_extend(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    m = one(sqs, queue, VisibilityTimeout=1)
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"],
                                  VisibilityTimeout=30)
    time.sleep(1.3)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    assert counts(sqs, queue) == (0, 1, 0)


def test_change_visibility_deleted_message(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    h = one(sqs, queue)["ReceiptHandle"]
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=h)
    with expect_error("InvalidParameterValue", 400,
                      message=f"Value {h} for parameter ReceiptHandle is invalid. Reason: "
                              "Message does not exist or is not available for visibility "
                              "timeout change."):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=h, VisibilityTimeout=10)


@pytest.mark.parametrize("vt", [43201, -1])
def test_change_visibility_out_of_range(sqs, queue, vt):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    h = one(sqs, queue)["ReceiptHandle"]
    with expect_error("InvalidParameterValue", 400):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=h, VisibilityTimeout=vt)
    assert counts(sqs, queue) == (0, 1, 0)


def test_change_visibility_long_timeout_ok(sqs, queue):
    # 43000 s: within the 12 h total since the receive (docs/sqs-behaviour.md#visibility; exactly 43200 after a receive a few
    # ms ago may already exceed the total, so it is not asserted either way).
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    h = one(sqs, queue)["ReceiptHandle"]
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=h, VisibilityTimeout=43000)
    assert counts(sqs, queue) == (0, 1, 0)


def test_change_visibility_garbage_handle(sqs, queue):
    with expect_error("ReceiptHandleIsInvalid", 404,
                      message='The input receipt handle "garbage" is not a valid receipt '
                              'handle.'):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle="garbage",
                                      VisibilityTimeout=0)


def test_change_visibility_batch(sqs, queue):
    sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"m{i}", "MessageBody": f"m{i}"} for i in range(3)])
    msgs = receive_all(sqs, queue, expected=3, VisibilityTimeout=30)
    assert len(msgs) == 3
    r = sqs.change_message_visibility_batch(QueueUrl=queue, Entries=[
        {"Id": "c0", "ReceiptHandle": msgs[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "c1", "ReceiptHandle": msgs[1]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "c2", "ReceiptHandle": msgs[2]["ReceiptHandle"], "VisibilityTimeout": 300},
        {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
    ])
    assert sorted(e["Id"] for e in r["Successful"]) == ["c0", "c1", "c2"]
    assert len(r["Failed"]) == 1
    f = r["Failed"][0]
    assert f["Id"] == "bad" and f["SenderFault"] is True
    # [U] per-entry code for a malformed handle: ReceiptHandleIsInvalid
    assert f["Code"] == "ReceiptHandleIsInvalid"
    assert counts(sqs, queue) == (2, 1, 0)
    again = receive_all(sqs, queue, expected=2)
    assert sorted(m["MessageId"] for m in again) == sorted(m["MessageId"] for m in msgs[:2])


def test_change_visibility_batch_out_of_range_entry(sqs, queue):
    # [U] an out-of-range VisibilityTimeout fails only its entry (InvalidParameterValue).
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    h = one(sqs, queue)["ReceiptHandle"]
    r = sqs.change_message_visibility_batch(QueueUrl=queue, Entries=[
        {"Id": "bad", "ReceiptHandle": h, "VisibilityTimeout": 43201}])
    assert not r.get("Successful")
    assert [(e["Id"], e["Code"], e["SenderFault"]) for e in r["Failed"]] == [
        ("bad", "InvalidParameterValue", True)]


# ------------------------------------------------------------------------------- PurgeQueue

def test_purge_queue(sqs, queue):
    sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"m{i}", "MessageBody": f"m{i}"} for i in range(5)])
    sqs.send_message(QueueUrl=queue, MessageBody="delayed", DelaySeconds=30)
    one(sqs, queue)
    assert counts(sqs, queue) == (4, 1, 1)
    r = sqs.purge_queue(QueueUrl=queue)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counts(sqs, queue) == (0, 0, 0)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    # The queue stays usable after a purge.
    sqs.send_message(QueueUrl=queue, MessageBody="after purge")
    assert one(sqs, queue)["Body"] == "after purge"


def test_purge_twice_within_60s(sqs, queue):
    sqs.purge_queue(QueueUrl=queue)
    name = queue.rsplit("/", 1)[1]
    with expect_error("AWS.SimpleQueueService.PurgeQueueInProgress", 403,
                      message=f"Only one PurgeQueue operation on {name} is allowed every 60 "
                              "seconds."):
        sqs.purge_queue(QueueUrl=queue)
