"""FIFO queues: queue type, MessageGroupId, deduplication, SequenceNumber, group locking,
ReceiveRequestAttemptId, FIFO receipt-handle expiry, DeduplicationScope/FifoThroughputLimit
(docs/sqs-behaviour.md#queue-attributes, #system-attributes, #batches, #queue-names, #numeric-parameters, #fifo-identifiers, #visibility, #message-groups, #receive-attempts)."""

import hashlib
import time
import uuid

import pytest

from wharfutil import counts, expect_error, md5_hex, queue_attrs, sys_attr_kwargs, unique_name

PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
NEED_GROUP = "The request must contain the parameter MessageGroupId."
NEED_DEDUP = ("The queue should either have ContentBasedDeduplication enabled or "
              "MessageDeduplicationId provided explicitly")
FIFO_TYPE_CHANGE = ("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is "
                    "not supported.")


def id_error(param, value):
    # docs/sqs-behaviour.md#fifo-identifiers [A]
    return (f"Value {value} for parameter {param} is invalid. Reason: {param} can only include "
            "alphanumeric and punctuation characters. 1 to 128 in length.")


def fifo_name(prefix="f"):
    return unique_name(prefix) + ".fifo"


def make_fifo(sqs, **attrs):
    a = {"FifoQueue": "true"}
    a.update({k: str(v) for k, v in attrs.items()})
    return sqs.create_queue(QueueName=fifo_name(), Attributes=a)["QueueUrl"]


@pytest.fixture
def fifo(sqs):
    return make_fifo(sqs)


@pytest.fixture
def cbd_fifo(sqs):
    return make_fifo(sqs, ContentBasedDeduplication="true")


def send(sqs, url, body, group="g", dedup="auto", **kw):
    """SendMessage on a FIFO queue; dedup="auto" sends a fresh id, None sends none."""
    if group is not None:
        kw["MessageGroupId"] = group
    if dedup == "auto":
        dedup = uuid.uuid4().hex
    if dedup is not None:
        kw["MessageDeduplicationId"] = dedup
    return sqs.send_message(QueueUrl=url, MessageBody=body, **kw)


def recv(sqs, url, n=10, **kw):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=n, **kw).get("Messages", [])


def bodies(msgs):
    return [m["Body"] for m in msgs]


def delete_all(sqs, url, msgs):
    if msgs:
        r = sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        assert not r.get("Failed"), r


def not_created(sqs, name):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)


# ------------------------------------------------------------------------------- queue type

def test_create_fifo_queue_defaults(sqs):
    name = fifo_name()
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert url.endswith("/" + name)
    a = queue_attrs(sqs, url, "All")
    assert a["FifoQueue"] == "true"
    assert a["ContentBasedDeduplication"] == "false"
    assert a["DeduplicationScope"] == "queue"
    assert a["FifoThroughputLimit"] == "perQueue"
    assert a["QueueArn"].endswith(":" + name)
    # the same request again is idempotent (docs/sqs-behaviour.md#createqueue-idempotency)
    assert sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"] == url


def test_fifo_attribute_without_fifo_suffix_rejected(sqs):
    # docs/sqs-behaviour.md#queue-names [A]: FifoQueue=true without the .fifo suffix → InvalidParameterValue.
    name = unique_name("nosuffix")
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})
    not_created(sqs, name)


def test_fifo_suffix_with_fifo_queue_false_rejected(sqs):
    """docs/sqs-behaviour.md#queue-names [A]: a .fifo name without FifoQueue=true → InvalidParameterValue.

    Choice: FifoQueue=false on a .fifo name is "a .fifo name without FifoQueue=true", so the same
    InvalidParameterValue (not InvalidAttributeName)."""
    name = fifo_name()
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "false"})
    not_created(sqs, name)


def test_standard_queue_with_fifo_queue_false_rejected(sqs):
    # docs/sqs-behaviour.md#queue-attributes [A]: on a standard queue even "false" is rejected.
    name = unique_name("std")
    with expect_error("InvalidAttributeName", 400, message="Unknown Attribute FifoQueue."):
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "false"})
    not_created(sqs, name)


def test_set_fifo_queue_false_on_fifo_queue_rejected(sqs, fifo):
    """docs/sqs-behaviour.md#queue-attributes [A]: FifoQueue=false on a FIFO queue → InvalidAttributeValue
    (FifoQueue=true changes nothing and is accepted: test_aws_fidelity)."""
    with expect_error("InvalidAttributeValue", 400, message=FIFO_TYPE_CHANGE):
        sqs.set_queue_attributes(QueueUrl=fifo, Attributes={"FifoQueue": "false"})
    assert queue_attrs(sqs, fifo, "FifoQueue") == {"FifoQueue": "true"}


@pytest.mark.parametrize("value", ["true", "false"])
def test_set_fifo_queue_on_standard_queue_rejected(sqs, queue, value):
    """Choice: a standard queue does not know the attribute at all (as on CreateQueue, docs/sqs-behaviour.md#queue-attributes [A])."""
    with expect_error("InvalidAttributeName", 400, message="Unknown Attribute FifoQueue."):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={"FifoQueue": value})
    assert "FifoQueue" not in queue_attrs(sqs, queue, "All")


@pytest.mark.parametrize("attr,value,code,message", [
    ("ContentBasedDeduplication", "true", "InvalidAttributeName",
     "Unknown Attribute ContentBasedDeduplication."),
    ("DeduplicationScope", "queue", "InvalidAttributeName",
     "You can specify the DeduplicationScope only when FifoQueue is set to true."),
    ("FifoThroughputLimit", "perQueue", "InvalidAttributeName",
     "You can specify the FifoThroughputLimit only when FifoQueue is set to true."),
], ids=["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"])
@pytest.mark.parametrize("op", ["create", "set"])
def test_fifo_only_attributes_on_standard_queue(sqs, queue, op, attr, value, code, message):
    # docs/sqs-behaviour.md#queue-attributes [A]
    if op == "create":
        name = unique_name("std")
        with expect_error(code, 400, message=message):
            sqs.create_queue(QueueName=name, Attributes={attr: value})
        not_created(sqs, name)
    else:
        with expect_error(code, 400, message=message):
            sqs.set_queue_attributes(QueueUrl=queue, Attributes={attr: value})


@pytest.mark.parametrize("batch", [False, True], ids=["single", "batch"])
def test_deduplication_id_on_standard_queue_rejected(sqs, queue, batch):
    # docs/sqs-behaviour.md (an emulator's wording [U], which Wharf follows): refused, nothing stored.
    message = ("Value d1 for parameter MessageDeduplicationId is invalid. "
               "Reason: The request includes a parameter that is not valid for this queue type.")
    if batch:
        r = sqs.send_message_batch(QueueUrl=queue, Entries=[
            {"Id": "a", "MessageBody": "x", "MessageDeduplicationId": "d1"}])
        assert [(f["Id"], f["Code"], f["Message"]) for f in r["Failed"]] == [("a", "InvalidParameterValue", message)]
    else:
        with expect_error("InvalidParameterValue", 400, message=message):
            sqs.send_message(QueueUrl=queue, MessageBody="x", MessageDeduplicationId="d1")
    assert counts(sqs, queue) == (0, 0, 0)


def test_fifo_queue_name_length_includes_suffix(sqs):
    # docs/sqs-behaviour.md#queue-names [D]: the .fifo suffix counts toward the 80 characters.
    stem = uuid.uuid4().hex + "a" * 80
    ok = stem[:75] + ".fifo"
    url = sqs.create_queue(QueueName=ok, Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert url.endswith("/" + ok)
    too_long = stem[:76] + ".fifo"
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=too_long, Attributes={"FifoQueue": "true"})
    not_created(sqs, too_long)


# ------------------------------------------------------------------------------- FIFO settings

def test_dedup_scope_and_throughput_limit_valid_values(sqs):
    url = make_fifo(sqs, DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    assert queue_attrs(sqs, url, "DeduplicationScope", "FifoThroughputLimit") == {
        "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={
        "DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"})
    assert queue_attrs(sqs, url, "DeduplicationScope", "FifoThroughputLimit") == {
        "DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "messageGroup"})
    assert queue_attrs(sqs, url, "DeduplicationScope", "FifoThroughputLimit") == {
        "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perQueue"}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"ContentBasedDeduplication": "true"})
    assert queue_attrs(sqs, url, "ContentBasedDeduplication") == {
        "ContentBasedDeduplication": "true"}


@pytest.mark.parametrize("attr,value", [
    ("DeduplicationScope", "group"), ("DeduplicationScope", "Queue"), ("DeduplicationScope", ""),
    ("FifoThroughputLimit", "perGroup"), ("FifoThroughputLimit", "PerQueue"),
    ("ContentBasedDeduplication", "maybe"),
])
def test_fifo_attribute_invalid_values(sqs, fifo, attr, value):
    """Choice: an out-of-domain enum/bool value is InvalidAttributeValue (docs/sqs-behaviour.md#queue-attributes general rule)."""
    name = fifo_name()
    with expect_error("InvalidAttributeValue", 400):
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", attr: value})
    not_created(sqs, name)
    before = queue_attrs(sqs, fifo, attr)
    with expect_error("InvalidAttributeValue", 400):
        sqs.set_queue_attributes(QueueUrl=fifo, Attributes={attr: value})
    assert queue_attrs(sqs, fifo, attr) == before


def test_per_message_group_id_requires_message_group_scope(sqs, fifo):
    """docs/sqs-behaviour.md#queue-attributes [D]: FifoThroughputLimit=perMessageGroupId requires DeduplicationScope=messageGroup.

    Choice: violations are InvalidAttributeValue, on CreateQueue and SetQueueAttributes, checked
    against the queue's resulting configuration (setting both together is fine)."""
    name = fifo_name()
    with expect_error("InvalidAttributeValue", 400):
        sqs.create_queue(QueueName=name, Attributes={
            "FifoQueue": "true", "FifoThroughputLimit": "perMessageGroupId"})
    not_created(sqs, name)
    with expect_error("InvalidAttributeValue", 400):
        sqs.create_queue(QueueName=name, Attributes={
            "FifoQueue": "true", "FifoThroughputLimit": "perMessageGroupId",
            "DeduplicationScope": "queue"})
    # existing scope is "queue"
    with expect_error("InvalidAttributeValue", 400):
        sqs.set_queue_attributes(QueueUrl=fifo, Attributes={
            "FifoThroughputLimit": "perMessageGroupId"})
    assert queue_attrs(sqs, fifo, "FifoThroughputLimit") == {"FifoThroughputLimit": "perQueue"}
    sqs.set_queue_attributes(QueueUrl=fifo, Attributes={
        "FifoThroughputLimit": "perMessageGroupId", "DeduplicationScope": "messageGroup"})
    # switching the scope back to queue while perMessageGroupId is set is rejected too
    with expect_error("InvalidAttributeValue", 400):
        sqs.set_queue_attributes(QueueUrl=fifo, Attributes={"DeduplicationScope": "queue"})
    assert queue_attrs(sqs, fifo, "DeduplicationScope", "FifoThroughputLimit") == {
        "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}


# ------------------------------------------------------------------------------- send validation

def test_send_without_message_group_id(sqs, fifo):
    with expect_error("MissingParameter", 400, message=NEED_GROUP):
        send(sqs, fifo, "x", group=None)
    assert counts(sqs, fifo) == (0, 0, 0)


def test_send_without_dedup_id_and_without_content_based_dedup(sqs, fifo):
    with expect_error("InvalidParameterValue", 400, message=NEED_DEDUP):
        send(sqs, fifo, "x", dedup=None)
    assert counts(sqs, fifo) == (0, 0, 0)


def test_per_message_delay_rejected_zero_allowed(sqs, fifo):
    with expect_error("InvalidParameterValue", 400,
                      message="Value 2 for parameter DelaySeconds is invalid. Reason: The request "
                              "include parameter that is not valid for this queue type."):
        send(sqs, fifo, "late", DelaySeconds=2)
    assert counts(sqs, fifo) == (0, 0, 0)
    assert send(sqs, fifo, "now", DelaySeconds=0)["MessageId"]
    assert bodies(recv(sqs, fifo)) == ["now"]


def test_queue_level_delay_allowed_on_fifo(sqs):
    url = make_fifo(sqs, DelaySeconds=1)
    assert queue_attrs(sqs, url, "DelaySeconds") == {"DelaySeconds": "1"}
    t0 = time.monotonic()
    send(sqs, url, "delayed")
    assert recv(sqs, url) == []
    assert counts(sqs, url) == (0, 0, 1)
    got = []
    while not got and time.monotonic() - t0 < 3.0:
        time.sleep(0.1)
        got = recv(sqs, url)
    assert bodies(got) == ["delayed"]
    assert time.monotonic() - t0 >= 0.9


@pytest.mark.parametrize("param", ["MessageGroupId", "MessageDeduplicationId"])
@pytest.mark.parametrize("value", ["a" * 128, PUNCT, "Az09" + PUNCT + "xyz"],
                         ids=["128-chars", "punctuation", "mixed"])
def test_fifo_ids_valid_characters(sqs, fifo, param, value):
    kw = {"group": "g", "dedup": "auto"}
    kw["group" if param == "MessageGroupId" else "dedup"] = value
    send(sqs, fifo, "x", **kw)
    m = recv(sqs, fifo, **sys_attr_kwargs(sqs, [param]))[0]
    assert m["Attributes"] == {param: value}


@pytest.mark.parametrize("param", ["MessageGroupId", "MessageDeduplicationId"])
@pytest.mark.parametrize("value", ["a" * 129, "has space", "ümlaut", "tab\tx", "日本"],
                         ids=["129-chars", "space", "non-ascii", "tab", "cjk"])
def test_fifo_ids_invalid(sqs, fifo, param, value):
    kw = {"group": "g", "dedup": "auto"}
    kw["group" if param == "MessageGroupId" else "dedup"] = value
    with expect_error("InvalidParameterValue", 400, message=id_error(param, value)):
        send(sqs, fifo, "x", **kw)
    assert counts(sqs, fifo) == (0, 0, 0)


@pytest.mark.parametrize("param", ["MessageGroupId", "MessageDeduplicationId"])
def test_fifo_ids_empty_rejected(sqs, cbd_fifo, param):
    # docs/sqs-behaviour.md#fifo-identifiers [A]: empty is invalid (message text for the empty value not asserted).
    kw = {"group": "g", "dedup": None}
    kw["group" if param == "MessageGroupId" else "dedup"] = ""
    with expect_error("InvalidParameterValue", 400):
        send(sqs, cbd_fifo, "x", **kw)
    assert counts(sqs, cbd_fifo) == (0, 0, 0)


# ------------------------------------------------------------------------------- deduplication

def test_duplicate_send_returns_success_and_is_not_enqueued(sqs, fifo):
    """docs/sqs-behaviour.md#deduplication: a duplicate send returns 200 and is not enqueued.

    Choice ([U] there): the duplicate's response carries the original MessageId and the
    original SequenceNumber."""
    r1 = send(sqs, fifo, "first", dedup="d1")
    r2 = send(sqs, fifo, "second body, same id", dedup="d1")
    assert r2["MessageId"] == r1["MessageId"]
    assert r2["SequenceNumber"] == r1["SequenceNumber"]
    assert counts(sqs, fifo) == (1, 0, 0)
    got = recv(sqs, fifo)
    assert [(m["MessageId"], m["Body"]) for m in got] == [(r1["MessageId"], "first")]


def test_dedup_holds_while_in_flight(sqs, fifo):
    send(sqs, fifo, "a", dedup="d")
    assert bodies(recv(sqs, fifo, VisibilityTimeout=30)) == ["a"]
    send(sqs, fifo, "a", dedup="d")
    assert counts(sqs, fifo) == (0, 1, 0)


def test_dedup_holds_after_receive_and_delete(sqs, fifo):
    # docs/sqs-behaviour.md#deduplication [D][A]: the window holds even after the first copy was received and deleted.
    r1 = send(sqs, fifo, "once", dedup="gone")
    got = recv(sqs, fifo)
    assert bodies(got) == ["once"]
    delete_all(sqs, fifo, got)
    r2 = send(sqs, fifo, "once", dedup="gone")
    assert r2["MessageId"] == r1["MessageId"]  # Choice: original id, as above
    assert counts(sqs, fifo) == (0, 0, 0)
    assert recv(sqs, fifo) == []
    # a different id is a new message
    send(sqs, fifo, "once", dedup="other")
    assert bodies(recv(sqs, fifo)) == ["once"]


def test_content_based_deduplication(sqs, cbd_fifo):
    r1 = send(sqs, cbd_fifo, "same body", dedup=None)
    r2 = send(sqs, cbd_fifo, "same body", dedup=None,
              MessageAttributes={"a": {"DataType": "String", "StringValue": "differs"}})
    assert r2["MessageId"] == r1["MessageId"]  # attributes are not part of the hash (docs/sqs-behaviour.md#deduplication)
    send(sqs, cbd_fifo, "other body", dedup=None)
    # an explicit id overrides the content hash
    send(sqs, cbd_fifo, "same body", dedup="explicit-1")
    send(sqs, cbd_fifo, "same body", dedup="explicit-2")
    got = recv(sqs, cbd_fifo, **sys_attr_kwargs(sqs, ["MessageDeduplicationId"]))
    assert bodies(got) == ["same body", "other body", "same body", "same body"]
    # Choice: the content-based id is the lower-case hex SHA-256 of the body (64 chars).
    assert [m["Attributes"]["MessageDeduplicationId"] for m in got] == [
        hashlib.sha256(b"same body").hexdigest(), hashlib.sha256(b"other body").hexdigest(),
        "explicit-1", "explicit-2"]


def test_content_based_id_equals_explicit_sha256(sqs, cbd_fifo):
    """Model doc: an explicit id equal to the generated one is a duplicate.
    Choice: generated id = lower-case hex SHA-256 of the UTF-8 body."""
    body = "ünïcödé body ✓"
    r1 = send(sqs, cbd_fifo, body, dedup=None)
    r2 = send(sqs, cbd_fifo, "another body",
              dedup=hashlib.sha256(body.encode("utf-8")).hexdigest())
    assert r2["MessageId"] == r1["MessageId"]
    assert bodies(recv(sqs, cbd_fifo)) == [body]


@pytest.mark.parametrize("scope,expected", [("queue", 1), ("messageGroup", 2)])
def test_deduplication_scope(sqs, scope, expected):
    url = make_fifo(sqs, DeduplicationScope=scope)
    r1 = send(sqs, url, "g1", group="g1", dedup="shared")
    r2 = send(sqs, url, "g2", group="g2", dedup="shared")
    if expected == 1:
        assert r2["MessageId"] == r1["MessageId"]
    else:
        assert r2["MessageId"] != r1["MessageId"]
        # still deduplicated within the same group
        assert send(sqs, url, "again", group="g1", dedup="shared")["MessageId"] == r1["MessageId"]
    got = recv(sqs, url, VisibilityTimeout=30)
    assert sorted(bodies(got)) == ["g1", "g2"][:expected]
    assert counts(sqs, url) == (0, expected, 0)


# ------------------------------------------------------------------------------- SequenceNumber

def test_sequence_number_on_send_and_receive_increasing(sqs, fifo):
    sent = [send(sqs, fifo, f"m{i}") for i in range(5)]
    seqs = [r["SequenceNumber"] for r in sent]
    assert all(s.isdigit() for s in seqs), seqs
    assert [int(s) for s in seqs] == sorted({int(s) for s in seqs})  # strictly increasing
    got = recv(sqs, fifo, **sys_attr_kwargs(sqs, ["SequenceNumber"]))
    assert [(m["MessageId"], m["Attributes"]["SequenceNumber"]) for m in got] == [
        (r["MessageId"], r["SequenceNumber"]) for r in sent]
    assert bodies(got) == [f"m{i}" for i in range(5)]


def test_batch_send_sequence_numbers_in_entry_order(sqs, fifo):
    r = sqs.send_message_batch(QueueUrl=fifo, Entries=[
        {"Id": f"e{i}", "MessageBody": f"b{i}", "MessageGroupId": "g",
         "MessageDeduplicationId": f"d{i}"} for i in range(10)])
    assert not r.get("Failed")
    by_id = {e["Id"]: e for e in r["Successful"]}
    seqs = [int(by_id[f"e{i}"]["SequenceNumber"]) for i in range(10)]
    assert seqs == sorted(set(seqs))
    assert all(by_id[f"e{i}"]["MD5OfMessageBody"] == md5_hex(f"b{i}") for i in range(10))
    got = recv(sqs, fifo)
    assert bodies(got) == [f"b{i}" for i in range(10)]
    assert [m["MessageId"] for m in got] == [by_id[f"e{i}"]["MessageId"] for i in range(10)]


# ------------------------------------------------------------------------------- ordering and locking

def test_strict_order_within_each_group(sqs, fifo):
    groups = ["ga", "gb", "gc"]
    for i in range(8):
        for g in groups:
            send(sqs, fifo, f"{g}-{i}", group=g)
    seen = []
    deadline = time.monotonic() + 15
    while len(seen) < 24 and time.monotonic() < deadline:
        got = recv(sqs, fifo, VisibilityTimeout=30)
        seen += bodies(got)
        delete_all(sqs, fifo, got)
    assert len(seen) == 24 and len(set(seen)) == 24, seen
    for g in groups:
        assert [b for b in seen if b.startswith(g)] == [f"{g}-{i}" for i in range(8)]


def test_one_receive_can_return_several_messages_of_a_group_in_order(sqs, fifo):
    # docs/sqs-behaviour.md#message-groups [A]: g1-m1, g1-m2 with MaxNumberOfMessages=2; a receive drains a group first.
    send(sqs, fifo, "g1-m1", group="g1")
    send(sqs, fifo, "g2-m1", group="g2")
    send(sqs, fifo, "g1-m2", group="g1")
    assert bodies(recv(sqs, fifo, VisibilityTimeout=0)) == ["g1-m1", "g1-m2", "g2-m1"]
    assert bodies(recv(sqs, fifo, n=2, VisibilityTimeout=30)) == ["g1-m1", "g1-m2"]


def test_group_locked_while_in_flight_other_groups_flow(sqs, fifo):
    for b, g in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B")]:
        send(sqs, fifo, b, group=g)
    first = recv(sqs, fifo, n=1, VisibilityTimeout=30)
    assert len(first) == 1 and first[0]["Body"] in ("a1", "b1")
    locked = first[0]["Body"][0]
    other = "b" if locked == "a" else "a"
    # the other group keeps flowing, in order; nothing of the locked group is delivered
    assert bodies(recv(sqs, fifo, VisibilityTimeout=30)) == [f"{other}1", f"{other}2"]
    assert recv(sqs, fifo, VisibilityTimeout=30) == []
    # deleting the in-flight message unlocks its group at once
    sqs.delete_message(QueueUrl=fifo, ReceiptHandle=first[0]["ReceiptHandle"])
    assert bodies(recv(sqs, fifo, VisibilityTimeout=30)) == [f"{locked}2"]


def test_group_unlocks_after_visibility_expiry(sqs, fifo):
    send(sqs, fifo, "a1")
    send(sqs, fifo, "a2")
    assert bodies(recv(sqs, fifo, n=1, VisibilityTimeout=1)) == ["a1"]
    assert recv(sqs, fifo) == []  # a2 is held back while a1 is in flight
    got, t0 = [], time.monotonic()
    while not got and time.monotonic() - t0 < 3.0:
        time.sleep(0.1)
        got = recv(sqs, fifo, VisibilityTimeout=30, **sys_attr_kwargs(sqs, ["All"]))
    assert got, "group did not unlock after the visibility timeout expired"
    # a1 comes back first (possibly followed by a2, in order)
    assert bodies(got) in (["a1"], ["a1", "a2"])
    assert got[0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_visibility_zero_unlocks_group_only_visible_ones_returned(sqs, fifo):
    # docs/sqs-behaviour.md#message-groups [A]: the group is receivable again even though a2 is still in flight.
    send(sqs, fifo, "a1")
    send(sqs, fifo, "a2")
    got = recv(sqs, fifo, n=2, VisibilityTimeout=30)
    assert bodies(got) == ["a1", "a2"]
    sqs.change_message_visibility(QueueUrl=fifo, ReceiptHandle=got[0]["ReceiptHandle"],
                                  VisibilityTimeout=0)
    assert bodies(recv(sqs, fifo, VisibilityTimeout=30)) == ["a1"]


# ------------------------------------------------------------------------------- receipt handles

def test_expired_receipt_handle_cannot_delete(sqs, fifo):
    # docs/sqs-behaviour.md#visibility [A]: FIFO handles expire with their visibility timeout.
    send(sqs, fifo, "x")
    h = recv(sqs, fifo, VisibilityTimeout=1)[0]["ReceiptHandle"]
    time.sleep(1.5)
    with expect_error("InvalidParameterValue", 400,
                      message=f"Value {h} for parameter ReceiptHandle is invalid. Reason: The "
                              "receipt handle has expired."):
        sqs.delete_message(QueueUrl=fifo, ReceiptHandle=h)
    # the message is still there
    assert bodies(recv(sqs, fifo)) == ["x"]


def test_extended_receipt_handle_can_delete(sqs, fifo):
    # docs/sqs-behaviour.md#visibility [A]: extended via ChangeMessageVisibility before expiry → delete works.
    send(sqs, fifo, "x")
    h = recv(sqs, fifo, VisibilityTimeout=1)[0]["ReceiptHandle"]
    sqs.change_message_visibility(QueueUrl=fifo, ReceiptHandle=h, VisibilityTimeout=20)
    time.sleep(1.5)
    sqs.delete_message(QueueUrl=fifo, ReceiptHandle=h)
    assert counts(sqs, fifo) == (0, 0, 0)


# ------------------------------------------------------------------------------- ReceiveRequestAttemptId

def test_receive_request_attempt_id_retry_returns_same_messages(sqs, fifo):
    # docs/sqs-behaviour.md#receive-attempts [D]: same messages and the same receipt handles on a retry.
    for i in range(3):
        send(sqs, fifo, f"m{i}")
    r1 = recv(sqs, fifo, n=2, VisibilityTimeout=30, ReceiveRequestAttemptId="attempt-1")
    assert bodies(r1) == ["m0", "m1"]
    r2 = recv(sqs, fifo, n=2, VisibilityTimeout=30, ReceiveRequestAttemptId="attempt-1")
    assert [(m["MessageId"], m["ReceiptHandle"]) for m in r2] == [
        (m["MessageId"], m["ReceiptHandle"]) for m in r1]
    # a different attempt id is a new receive: the group is locked
    assert recv(sqs, fifo, VisibilityTimeout=30, ReceiveRequestAttemptId="attempt-2") == []
    delete_all(sqs, fifo, r2)
    assert bodies(recv(sqs, fifo, VisibilityTimeout=30)) == ["m2"]


@pytest.mark.parametrize("value", ["a" * 129, "has space", "ümlaut"],
                         ids=["129-chars", "space", "non-ascii"])
def test_receive_request_attempt_id_invalid(sqs, fifo, value):
    """docs/sqs-behaviour.md#receive-attempts, #fifo-identifiers: 1..128 chars of the dedup-id charset.
    Choice: InvalidParameterValue (as for MessageDeduplicationId)."""
    with expect_error("InvalidParameterValue", 400):
        recv(sqs, fifo, ReceiveRequestAttemptId=value)


def test_receive_request_attempt_id_128_chars_ok(sqs, fifo):
    send(sqs, fifo, "x")
    assert bodies(recv(sqs, fifo, ReceiveRequestAttemptId="A" * 120 + PUNCT[:8])) == ["x"]


# ------------------------------------------------------------------------------- system attributes

def test_fifo_system_attributes(sqs, fifo):
    r = send(sqs, fifo, "x", group="grp-1", dedup="dd-1")
    m = recv(sqs, fifo, VisibilityTimeout=0, **sys_attr_kwargs(
        sqs, ["MessageGroupId", "MessageDeduplicationId", "SequenceNumber"]))[0]
    assert m["Attributes"] == {"MessageGroupId": "grp-1", "MessageDeduplicationId": "dd-1",
                               "SequenceNumber": r["SequenceNumber"]}
    m = recv(sqs, fifo, VisibilityTimeout=0, **sys_attr_kwargs(sqs, ["All"]))[0]
    a = m["Attributes"]
    assert {"SenderId", "SentTimestamp", "ApproximateReceiveCount",
            "ApproximateFirstReceiveTimestamp", "MessageGroupId", "MessageDeduplicationId",
            "SequenceNumber"} <= set(a)
    assert a["MessageGroupId"] == "grp-1" and a["MessageDeduplicationId"] == "dd-1"
    assert a["SequenceNumber"] == r["SequenceNumber"]
    assert "DeadLetterQueueSourceArn" not in a
    m = recv(sqs, fifo)[0]
    assert "Attributes" not in m


# ------------------------------------------------------------------------------- batches

@pytest.mark.parametrize("missing,message", [("MessageGroupId", NEED_GROUP),
                                             ("MessageDeduplicationId", NEED_DEDUP)],
                         ids=["group-id", "dedup-id"])
def test_batch_missing_id_is_request_level(sqs, fifo, missing, message):
    # docs/sqs-behaviour.md#batches [A]: one entry without the id fails the whole request, and nothing is sent.
    incomplete = {"Id": "incomplete", "MessageBody": "b", "MessageGroupId": "g", "MessageDeduplicationId": "2"}
    del incomplete[missing]
    with expect_error("InvalidParameterValue", 400, message=message):
        sqs.send_message_batch(QueueUrl=fifo, Entries=[
            {"Id": "ok", "MessageBody": "a", "MessageGroupId": "g", "MessageDeduplicationId": "1"}, incomplete])
    assert counts(sqs, fifo) == (0, 0, 0)


def test_batch_content_based_dedup_needs_no_ids(sqs, cbd_fifo):
    r = sqs.send_message_batch(QueueUrl=cbd_fifo, Entries=[
        {"Id": f"e{i}", "MessageBody": f"b{i}", "MessageGroupId": "g"} for i in range(3)])
    assert len(r["Successful"]) == 3 and not r.get("Failed")
    assert bodies(recv(sqs, cbd_fifo)) == ["b0", "b1", "b2"]


def test_batch_per_entry_errors(sqs):
    url = make_fifo(sqs, MaximumMessageSize=1024)
    e = lambda i, body: {"Id": i, "MessageBody": body, "MessageGroupId": "g",  # noqa: E731
                         "MessageDeduplicationId": i}
    r = sqs.send_message_batch(QueueUrl=url, Entries=[
        e("ok1", "first"), e("badchars", "nul \x00 here"), e("toobig", "x" * 1025),
        e("ok2", "second")])
    assert sorted(x["Id"] for x in r["Successful"]) == ["ok1", "ok2"]
    ok = {x["Id"]: x for x in r["Successful"]}
    assert int(ok["ok1"]["SequenceNumber"]) < int(ok["ok2"]["SequenceNumber"])
    failed = {x["Id"]: x for x in r["Failed"]}
    assert set(failed) == {"badchars", "toobig"}
    assert failed["badchars"]["Code"] == "InvalidMessageContents"
    assert failed["toobig"]["Code"] == "InvalidParameterValue"
    assert failed["badchars"]["SenderFault"] is True and failed["toobig"]["SenderFault"] is True
    assert bodies(recv(sqs, url)) == ["first", "second"]


def test_batch_duplicates_are_successful_but_enqueued_once(sqs, fifo):
    """Choice: a duplicate inside one batch (and of an earlier send) is a Successful entry with
    the original MessageId, and is not enqueued."""
    r0 = send(sqs, fifo, "earlier", dedup="d0")
    r = sqs.send_message_batch(QueueUrl=fifo, Entries=[
        {"Id": "a", "MessageBody": "A", "MessageGroupId": "g", "MessageDeduplicationId": "d1"},
        {"Id": "b", "MessageBody": "B", "MessageGroupId": "g", "MessageDeduplicationId": "d1"},
        {"Id": "c", "MessageBody": "C", "MessageGroupId": "g", "MessageDeduplicationId": "d0"},
    ])
    assert sorted(x["Id"] for x in r["Successful"]) == ["a", "b", "c"]
    ok = {x["Id"]: x for x in r["Successful"]}
    assert ok["b"]["MessageId"] == ok["a"]["MessageId"]
    assert ok["c"]["MessageId"] == r0["MessageId"]
    assert bodies(recv(sqs, fifo)) == ["earlier", "A"]
