"""SendMessage and SendMessageBatch: MD5s, validation, limits, per-entry failures (docs/sqs-behaviour.md#messages, #md5-digests, #limits)."""

import pytest

from wharfutil import (
    counts, expect_error, is_uuid, md5_hex, md5_of_attributes, protocol_of, receive_all,
    sys_attr_kwargs,
)

TRACE1 = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
TRACE2 = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

EXAMPLE_ATTRS = {
    "City": {"DataType": "String", "StringValue": "Any City"},
    "Count": {"DataType": "Number.int", "StringValue": "42"},
    "Blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"},
}


def S(v, t="String"):
    return {"DataType": t, "StringValue": v}


def B(v, t="Binary"):
    return {"DataType": t, "BinaryValue": v}


# docs/sqs-behaviour.md#digest-test-vectors vectors (expected values from real AWS or the npm reference package).
MD5_VECTORS = [
    ({"timestamp": S("1493147359900", "Number")}, "235c5c510d26fb653d073faed50ae77c"),
    ({"Foo": S("Bar")}, "ae7155c6026991b6d54b11589678bf9c"),
    ({"MyAttribute": S("foobar")}, "adb59cd4678ea5a855436b949cd07ab6"),
    ({"Hello": S("There")}, "a311262e065454b75da111d535b8dacd"),
    ({"General": S("Kenobi"), "Hello": S("There")}, "fca026605781cb4126a1e9044df24232"),
    ({"Hello": S("There"), "Help.Me": S("Me")}, "83fee93c1bcd8b9a5a923ffacdc636c7"),
    ({"General": S("Kenobi"), "Hello": S("There"), "Help.Me": S("Me")},
     "4c360f3fdafd970e05fae2f149d997f5"),
    ({"attr1": B(b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01")},
     "8cbe4db156db8a94db8b801b7addb984"),
    ({"attribName1": S("attribValue 1")}, "19e27d4e946b072f3f58da80d94fd778"),
    ({"binaryAttribute": B(b"Hello binary world!")}, "31a92b15d92f8db860eda32aceb656c3"),
    ({"customNumberTypeAttrib": S("4563442423554324324264524243.32543234", "Number.float")},
     "9fe1b90bbd9965bdf77bac517c7d2495"),
    ({"attribName1": S("attribValue 1"), "binaryAttribute": B(b"Hello binary world!"),
      "customNumberTypeAttrib": S("4563442423554324324264524243.32543234", "Number.float")},
     "c932db14a896c663f83c260297d594ff"),
    (EXAMPLE_ATTRS, "27f137935bc9d60f824ed82d6a69fba1"),
]


def test_reference_md5_implementation_matches_vectors():
    # Guards the suite's own helper (used to check values not in docs/sqs-behaviour.md).
    for attrs, expected in MD5_VECTORS:
        assert md5_of_attributes(attrs) == expected


# ------------------------------------------------------------------------------- SendMessage

def test_send_message_basic(sqs, queue):
    r = sqs.send_message(QueueUrl=queue, MessageBody="Hello from SQS")
    assert r["MD5OfMessageBody"] == "c7a5a80bb4b8f56b68b7786e692e4a8b"
    assert is_uuid(r["MessageId"])
    assert "MD5OfMessageAttributes" not in r
    assert "MD5OfMessageSystemAttributes" not in r
    assert "SequenceNumber" not in r
    m = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert len(m) == 1
    assert m[0]["MessageId"] == r["MessageId"]
    assert m[0]["Body"] == "Hello from SQS"
    assert m[0]["MD5OfBody"] == "c7a5a80bb4b8f56b68b7786e692e4a8b"
    assert m[0]["ReceiptHandle"]
    assert "Attributes" not in m[0]
    assert "MessageAttributes" not in m[0]
    assert "MD5OfMessageAttributes" not in m[0]


def test_message_ids_unique(sqs, queue):
    ids = {sqs.send_message(QueueUrl=queue, MessageBody="same")["MessageId"] for _ in range(5)}
    assert len(ids) == 5
    assert all(is_uuid(i) for i in ids)


@pytest.mark.parametrize("body", [
    "test",
    "ünïcödé ✓ 日本語 and emoji 🎉🚀",
    "tab\tnewline\nreturn\r crlf\r\n end",
    "xml <tag attr=\"v\"> &amp; & ' \" ]]> <![CDATA[x]]>",
    "json {\"a\": [1, 2, {\"b\": null}]} \\ backslash",
    "  leading and trailing spaces  ",
    "+plus+and%percent%20and=equals&amp",
    "\ue000 private use and \ufffd replacement and \U0010ffff max",
    "\r",
    " ",
])
def test_send_body_roundtrip(sqs, queue, body):
    r = sqs.send_message(QueueUrl=queue, MessageBody=body)
    assert r["MD5OfMessageBody"] == md5_hex(body)
    m = sqs.receive_message(QueueUrl=queue)["Messages"][0]
    assert m["Body"] == body
    assert m["MD5OfBody"] == md5_hex(body)


@pytest.mark.parametrize("attrs,expected", MD5_VECTORS,
                         ids=[f"vec{i}" for i in range(len(MD5_VECTORS))])
def test_send_md5_of_message_attributes_vectors(sqs, queue, attrs, expected):
    r = sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attrs)
    assert r["MD5OfMessageAttributes"] == expected
    m = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"][0]
    assert m["MD5OfMessageAttributes"] == expected
    assert set(m["MessageAttributes"]) == set(attrs)
    for name, v in attrs.items():
        got = m["MessageAttributes"][name]
        assert got["DataType"] == v["DataType"]
        if "StringValue" in v:
            assert got["StringValue"] == v["StringValue"]
            assert "BinaryValue" not in got
        else:
            assert got["BinaryValue"] == v["BinaryValue"]
            assert "StringValue" not in got


def test_send_full_example_md5s(sqs, queue):
    # docs/sqs-behaviour.md#signed-examples example request/response.
    r = sqs.send_message(
        QueueUrl=queue, MessageBody="Hello from SQS", MessageAttributes=EXAMPLE_ATTRS,
        MessageSystemAttributes={"AWSTraceHeader": S(TRACE1)})
    assert r["MD5OfMessageBody"] == "c7a5a80bb4b8f56b68b7786e692e4a8b"
    assert r["MD5OfMessageAttributes"] == "27f137935bc9d60f824ed82d6a69fba1"
    assert r["MD5OfMessageSystemAttributes"] == "5f48eef650c1d0207456969c85af2fdd"


@pytest.mark.parametrize("trace,expected", [
    (TRACE1, "5f48eef650c1d0207456969c85af2fdd"),
    (TRACE2, "5ae4d5d7636402d80f4eb6d213245a88"),
])
def test_send_md5_of_system_attributes_and_trace_header(sqs, queue, trace, expected):
    r = sqs.send_message(QueueUrl=queue, MessageBody="traced",
                         MessageSystemAttributes={"AWSTraceHeader": S(trace)})
    assert r["MD5OfMessageSystemAttributes"] == expected
    assert "MD5OfMessageAttributes" not in r
    m = sqs.receive_message(QueueUrl=queue, **sys_attr_kwargs(sqs, ["AWSTraceHeader"]))[
        "Messages"][0]
    assert m["Attributes"] == {"AWSTraceHeader": trace}
    # System attributes never influence MD5OfMessageAttributes (docs/sqs-behaviour.md#attribute-digest).
    assert "MD5OfMessageAttributes" not in m


def test_trace_header_copied_from_x_amzn_trace_id(sqs, queue):
    # docs/sqs-behaviour.md#system-attributes [A]: SQS copies the X-Amzn-Trace-Id HTTP header into AWSTraceHeader.
    def add_header(request, **kwargs):
        request.headers["X-Amzn-Trace-Id"] = TRACE1

    sqs.meta.events.register("before-sign.sqs.SendMessage", add_header)
    try:
        sqs.send_message(QueueUrl=queue, MessageBody="traced by header")
    finally:
        sqs.meta.events.unregister("before-sign.sqs.SendMessage", add_header)
    m = sqs.receive_message(QueueUrl=queue, **sys_attr_kwargs(sqs, ["All"]))["Messages"][0]
    assert m["Attributes"].get("AWSTraceHeader") == TRACE1


def test_trace_header_data_type_must_be_string(sqs, queue):
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageSystemAttributes={
            "AWSTraceHeader": {"DataType": "Number", "StringValue": "1"}})


def test_unknown_system_attribute_for_sends_rejected(sqs, queue):
    # Only AWSTraceHeader may be sent (docs/sqs-behaviour.md#system-attributes); code [U] → InvalidParameterValue.
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageSystemAttributes={
            "SenderId": S("me")})


def test_send_empty_body_is_missing_parameter(sqs, queue):
    with expect_error("MissingParameter", 400,
                      message="The request must contain the parameter MessageBody."):
        sqs.send_message(QueueUrl=queue, MessageBody="")


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x13", "\x1f", "\ufffe", "\uffff"],
                         ids=["u0000", "u0008", "u0013", "u001f", "ufffe", "uffff"])
def test_send_invalid_characters(sqs, queue, bad):
    with expect_error("InvalidMessageContents", 400):
        sqs.send_message(QueueUrl=queue, MessageBody=f"before{bad}after")
    assert counts(sqs, queue) == (0, 0, 0)


def test_send_body_of_max_size_on_small_queue(sqs, make_queue):
    url = make_queue(MaximumMessageSize=1024)
    # inclusive limit (docs/sqs-behaviour.md#message-size)
    assert sqs.send_message(QueueUrl=url, MessageBody="a" * 1024)["MessageId"]
    with expect_error("InvalidParameterValue", 400,
                      message="One or more parameters are invalid. Reason: Message must be "
                              "shorter than 1024 bytes."):
        sqs.send_message(QueueUrl=url, MessageBody="a" * 1025)


def test_size_counts_utf8_bytes(sqs, make_queue):
    url = make_queue(MaximumMessageSize=1024)
    # 512 two-byte characters = 1024 bytes passes; 513 = 1026 bytes fails
    assert sqs.send_message(QueueUrl=url, MessageBody="é" * 512)["MessageId"]
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=url, MessageBody="é" * 513)


def test_size_counts_message_attributes(sqs, make_queue):
    url = make_queue(MaximumMessageSize=1024)
    # body 1000 + name "a" (1) + "String" (6) + value → 17 fits exactly, 18 is one byte over
    assert sqs.send_message(QueueUrl=url, MessageBody="b" * 1000,
                            MessageAttributes={"a": S("v" * 17)})["MessageId"]
    with expect_error("InvalidParameterValue", 400,
                      message="One or more parameters are invalid. Reason: Message must be "
                              "shorter than 1024 bytes."):
        sqs.send_message(QueueUrl=url, MessageBody="b" * 1000,
                         MessageAttributes={"a": S("v" * 18)})


def test_system_attributes_do_not_count_toward_size(sqs, make_queue):
    url = make_queue(MaximumMessageSize=1024)
    assert sqs.send_message(QueueUrl=url, MessageBody="b" * 1024, MessageSystemAttributes={
        "AWSTraceHeader": S(TRACE1)})["MessageId"]


def test_send_message_too_big_default_limit(sqs, queue):
    assert sqs.send_message(QueueUrl=queue, MessageBody="x" * 1048576)["MessageId"]
    with expect_error("InvalidParameterValue", 400,
                      message="One or more parameters are invalid. Reason: Message must be "
                              "shorter than 1048576 bytes."):
        sqs.send_message(QueueUrl=queue, MessageBody="x" * 1048577)
    m = sqs.receive_message(QueueUrl=queue)["Messages"][0]
    assert len(m["Body"]) == 1048576
    assert m["MD5OfBody"] == md5_hex("x" * 1048576)


@pytest.mark.parametrize("delay", [901, -1])
def test_send_delay_out_of_range(sqs, queue, delay):
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", DelaySeconds=delay)


def test_send_delay_900_accepted(sqs, queue):
    assert sqs.send_message(QueueUrl=queue, MessageBody="x", DelaySeconds=900)["MessageId"]
    assert counts(sqs, queue) == (0, 0, 1)


def test_send_ten_attributes_ok_eleven_rejected(sqs, queue):
    ten = {f"a{i}": S(str(i)) for i in range(10)}
    r = sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=ten)
    assert r["MD5OfMessageAttributes"] == md5_of_attributes(ten)
    eleven = {f"a{i}": S(str(i)) for i in range(11)}
    # [U] code: InvalidParameterValue
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=eleven)


@pytest.mark.parametrize("name", [
    "AWS.foo", "aws.foo", "aWs.bar", "Amazon.foo", "AMAZON.x", ".leading", "trailing.", "two..dots",
    "bang!", "quote\"", "paren(", "ques?", "sp ace", "n" * 257,
])
def test_send_invalid_attribute_name(sqs, queue, name):
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes={name: S("v")})


@pytest.mark.parametrize("name", ["a", "A-b_c.d", "n" * 256, "attr.1øßä", "AWSish", "amazonx"])
def test_send_valid_attribute_names(sqs, queue, name):
    attrs = {name: S("v")}
    r = sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attrs)
    assert r["MD5OfMessageAttributes"] == md5_of_attributes(attrs)
    m = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"][0]
    assert m["MessageAttributes"] == {name: {"DataType": "String", "StringValue": "v"}}


@pytest.mark.parametrize("value", [
    {"DataType": "Invalid", "StringValue": "v"},
    {"DataType": "string", "StringValue": "v"},
    {"DataType": "", "StringValue": "v"},
    {"DataType": "Number." + "n" * 256, "StringValue": "1"},
    {"DataType": "String", "StringValue": ""},
    {"DataType": "String"},
    {"DataType": "Binary"},
    {"DataType": "Number", "StringValue": "not-a-number"},
    {"DataType": "String", "StringValue": "ctrl\x08char"},
], ids=["Invalid", "lowercase", "empty-type", "long-label", "empty-string", "no-value",
        "no-binary", "nan", "control-char"])
def test_send_invalid_attribute_values(sqs, queue, value):
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes={"attr": value})


def test_send_empty_string_attribute_exact_message(sqs, queue):
    with expect_error("InvalidParameterValue", 400,
                      message="Message (user) attribute 'ErrorDetails' must contain a non-empty "
                              "value of type 'String'."):
        sqs.send_message(QueueUrl=queue, MessageBody="x",
                         MessageAttributes={"ErrorDetails": S("")})


@pytest.mark.parametrize("attrs", [
    {"n": S("1", "Number.int")}, {"n": S("-3.14", "Number.float")},
    {"s": S("{}", "String.json")}, {"b": B(b"\x89PNG", "Binary.png")},
    {"s": S("ünï 日本 🎉")}, {"b": B(b"\x00")},
])
def test_send_custom_type_labels(sqs, queue, attrs):
    r = sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attrs)
    assert r["MD5OfMessageAttributes"] == md5_of_attributes(attrs)
    m = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"][0]
    assert m["MD5OfMessageAttributes"] == md5_of_attributes(attrs)
    (name, v), = attrs.items()
    assert m["MessageAttributes"][name]["DataType"] == v["DataType"]


def test_queue_delay_applies_and_message_delay_overrides(sqs, make_queue):
    import time
    url = make_queue(DelaySeconds=1)
    sqs.send_message(QueueUrl=url, MessageBody="queue-delayed")
    # explicit per-message DelaySeconds (even 0) overrides the queue default on standard queues
    sqs.send_message(QueueUrl=url, MessageBody="immediate", DelaySeconds=0)
    m = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [x["Body"] for x in m] == ["immediate"]
    assert counts(sqs, url) == (0, 1, 1)
    time.sleep(1.3)
    m = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [x["Body"] for x in m] == ["queue-delayed"]


def test_message_delay_hides_until_expiry(sqs, queue):
    import time
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=1)
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    time.sleep(1.3)
    assert sqs.receive_message(QueueUrl=queue)["Messages"][0]["Body"] == "later"


# ------------------------------------------------------------------------------- SendMessageBatch

def test_send_message_batch_success(sqs, queue):
    entries = [
        {"Id": "plain", "MessageBody": "one"},
        {"Id": "with-attrs_1", "MessageBody": "two", "MessageAttributes": EXAMPLE_ATTRS},
        {"Id": "traced", "MessageBody": "three",
         "MessageSystemAttributes": {"AWSTraceHeader": S(TRACE1)}},
        {"Id": "delayed", "MessageBody": "four", "DelaySeconds": 30},
    ]
    r = sqs.send_message_batch(QueueUrl=queue, Entries=entries)
    assert not r.get("Failed")
    by_id = {e["Id"]: e for e in r["Successful"]}
    assert set(by_id) == {"plain", "with-attrs_1", "traced", "delayed"}
    assert by_id["plain"]["MD5OfMessageBody"] == md5_hex("one")
    assert "MD5OfMessageAttributes" not in by_id["plain"]
    assert "MD5OfMessageSystemAttributes" not in by_id["plain"]
    assert by_id["with-attrs_1"]["MD5OfMessageAttributes"] == "27f137935bc9d60f824ed82d6a69fba1"
    assert by_id["traced"]["MD5OfMessageSystemAttributes"] == "5f48eef650c1d0207456969c85af2fdd"
    assert all(is_uuid(e["MessageId"]) for e in by_id.values())
    assert len({e["MessageId"] for e in by_id.values()}) == 4
    assert counts(sqs, queue) == (3, 0, 1)
    got = receive_all(sqs, queue, expected=3, MessageAttributeNames=["All"])
    assert {m["MessageId"]: m["Body"] for m in got} == {
        by_id[i]["MessageId"]: b for i, b in [("plain", "one"), ("with-attrs_1", "two"),
                                              ("traced", "three")]}


def test_send_message_batch_ten_entries(sqs, queue):
    r = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": f"e{i}", "MessageBody": f"body {i}"} for i in range(10)])
    assert len(r["Successful"]) == 10
    assert counts(sqs, queue) == (10, 0, 0)


def test_send_message_batch_partial_failure(sqs, make_queue):
    url = make_queue(MaximumMessageSize=1024)
    r = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "ok1", "MessageBody": "fine"},
        {"Id": "badchars", "MessageBody": "nul \x00 here"},
        {"Id": "toobig", "MessageBody": "x" * 1025},
        {"Id": "ok2", "MessageBody": "also fine"},
    ])
    assert sorted(e["Id"] for e in r["Successful"]) == ["ok1", "ok2"]
    failed = {e["Id"]: e for e in r["Failed"]}
    assert set(failed) == {"badchars", "toobig"}
    assert failed["badchars"]["Code"] == "InvalidMessageContents"
    assert failed["badchars"]["SenderFault"] is True
    assert failed["toobig"]["Code"] == "InvalidParameterValue"
    assert failed["toobig"]["SenderFault"] is True
    assert failed["toobig"]["Message"] == ("One or more parameters cannot be validated. Reason: "
                                           "Message must be shorter than 1024 bytes.")
    assert counts(sqs, url) == (2, 0, 0)


def test_send_message_batch_per_entry_delay_error(sqs, queue):
    # [U] whether per-entry: an out-of-range DelaySeconds fails only its entry.
    r = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "ok", "MessageBody": "fine"},
        {"Id": "bad", "MessageBody": "late", "DelaySeconds": 901},
    ])
    assert [e["Id"] for e in r["Successful"]] == ["ok"]
    assert [(e["Id"], e["Code"], e["SenderFault"]) for e in r["Failed"]] == [
        ("bad", "InvalidParameterValue", True)]


def test_send_message_batch_empty_body_entry_fails(sqs, queue):
    # [U] per-entry failure for an empty body (MissingParameter, as for SendMessage).
    r = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "ok", "MessageBody": "fine"},
        {"Id": "empty", "MessageBody": ""},
    ])
    assert [e["Id"] for e in r["Successful"]] == ["ok"]
    assert [(e["Id"], e["SenderFault"]) for e in r["Failed"]] == [("empty", True)]
    assert r["Failed"][0]["Code"] in ("MissingParameter", "InvalidParameterValue")


def test_send_message_batch_too_long(sqs, queue):
    with expect_error("AWS.SimpleQueueService.BatchRequestTooLong", 400,
                      message="Batch requests cannot be longer than 1048576 bytes. You have sent "
                              "1048577 bytes."):
        sqs.send_message_batch(QueueUrl=queue, Entries=[
            {"Id": "a", "MessageBody": "a" * 524288},
            {"Id": "b", "MessageBody": "b" * 524289},
        ])
    assert counts(sqs, queue) == (0, 0, 0)


def test_send_message_batch_exactly_one_mib_ok(sqs, queue):
    r = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "a", "MessageBody": "a" * 524288},
        {"Id": "b", "MessageBody": "b" * 524288},
    ])
    assert len(r["Successful"]) == 2
