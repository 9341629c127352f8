"""Limits of docs/sqs-behaviour.md#limits not covered elsewhere: the in-flight limit (OverLimit), KMS reuse period,
the 12-hour visibility total, id/handle lengths, tag limits, Number precision.

Covered by other files (not repeated here): body size/characters, batch limits, queue names,
numeric receive/visibility/delay/attribute ranges (test_send, test_receive, test_queues,
test_batch_errors); FIFO identifiers (test_fifo); RedrivePolicy/ListDeadLetterSourceQueues
(test_dlq); move-task limits (test_move_tasks)."""

import time

import pytest

from wharfutil import (
    WharfServer, counts, expect_error, make_client, queue_attrs, unique_name,
)

INFLIGHT_LIMIT = 5


# ------------------------------------------------------------------------------- in-flight limit

@pytest.fixture(scope="module")
def limited_server(tmp_path_factory):
    """A server of its own started with `--max-inflight-messages 5`."""
    base = tmp_path_factory.mktemp("wharf-inflight")
    srv = WharfServer(base / "data", base / "server.log",
                      extra_args=["--max-inflight-messages", str(INFLIGHT_LIMIT)])
    srv.start()
    yield srv
    srv.stop(grace=5)


@pytest.fixture
def limited(limited_server, protocol):
    return make_client(protocol, limited_server.endpoint)


def fill_inflight(c, url, n=INFLIGHT_LIMIT):
    """Receive (VisibilityTimeout 60) until n messages are in flight."""
    got = []
    deadline = time.monotonic() + 10
    while len(got) < n and time.monotonic() < deadline:
        got += c.receive_message(QueueUrl=url, MaxNumberOfMessages=n - len(got),
                                 VisibilityTimeout=60).get("Messages", [])
    assert len(got) == n
    return got


def send_n(c, url, n, fifo=False):
    entries = []
    for i in range(n):
        e = {"Id": f"e{i}", "MessageBody": f"m{i}"}
        if fifo:
            e.update(MessageGroupId=f"g{i}", MessageDeduplicationId=f"d{i}")
        entries.append(e)
    assert len(c.send_message_batch(QueueUrl=url, Entries=entries)["Successful"]) == n


def test_inflight_limit_standard_short_poll_is_overlimit(limited):
    # docs/sqs-behaviour.md#quotas [D]: standard queue, short poll → OverLimit (403, #error-codes).
    url = limited.create_queue(QueueName=unique_name("inflight"))["QueueUrl"]
    send_n(limited, url, 8)
    held = fill_inflight(limited, url)
    assert counts(limited, url) == (3, INFLIGHT_LIMIT, 0)
    with expect_error("OverLimit", 403):
        limited.receive_message(QueueUrl=url)
    with expect_error("OverLimit", 403):
        limited.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    # deleting one frees one slot
    limited.delete_message(QueueUrl=url, ReceiptHandle=held[0]["ReceiptHandle"])
    assert len(limited.receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                       VisibilityTimeout=60)["Messages"]) == 1
    with expect_error("OverLimit", 403):
        limited.receive_message(QueueUrl=url)
    # so does making one visible again
    limited.change_message_visibility(QueueUrl=url, ReceiptHandle=held[1]["ReceiptHandle"],
                                      VisibilityTimeout=0)
    got = limited.receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                  VisibilityTimeout=60)["Messages"]
    assert len(got) == 1
    assert counts(limited, url)[1] == INFLIGHT_LIMIT


def test_inflight_limit_standard_long_poll_returns_empty(limited):
    # docs/sqs-behaviour.md#quotas [D]: a long poll returns an empty result instead of OverLimit.
    url = limited.create_queue(QueueName=unique_name("inflight"))["QueueUrl"]
    send_n(limited, url, 7)
    fill_inflight(limited, url)
    t0 = time.monotonic()
    r = limited.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert "Messages" not in r
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert time.monotonic() - t0 < 5
    assert counts(limited, url) == (2, INFLIGHT_LIMIT, 0)


def test_inflight_limit_never_exceeded(limited):
    """With 3 in flight a receive of 10 may return at most 2 (Choice: partial result rather
    than OverLimit is allowed too, but the limit is never exceeded)."""
    from botocore.exceptions import ClientError
    url = limited.create_queue(QueueName=unique_name("inflight"))["QueueUrl"]
    send_n(limited, url, 10)
    fill_inflight(limited, url, 3)
    try:
        got = limited.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                      VisibilityTimeout=60).get("Messages", [])
        assert len(got) <= INFLIGHT_LIMIT - 3
    except ClientError as e:
        assert e.response["Error"]["Code"] == "OverLimit"
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert counts(limited, url)[1] <= INFLIGHT_LIMIT


def test_inflight_limit_fifo_returns_empty_without_error(limited):
    # docs/sqs-behaviour.md#quotas [D]: FIFO — no error, receives just come back empty.
    url = limited.create_queue(QueueName=unique_name("inflight") + ".fifo",
                               Attributes={"FifoQueue": "true"})["QueueUrl"]
    send_n(limited, url, 8, fifo=True)
    held = fill_inflight(limited, url)
    r = limited.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    assert "Messages" not in r
    assert counts(limited, url) == (3, INFLIGHT_LIMIT, 0)
    limited.delete_message(QueueUrl=url, ReceiptHandle=held[0]["ReceiptHandle"])
    assert len(limited.receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                       VisibilityTimeout=60)["Messages"]) == 1


def test_inflight_limit_is_per_queue(limited):
    full = limited.create_queue(QueueName=unique_name("inflight"))["QueueUrl"]
    other = limited.create_queue(QueueName=unique_name("inflight"))["QueueUrl"]
    send_n(limited, full, 6)
    send_n(limited, other, 2)
    fill_inflight(limited, full)
    with expect_error("OverLimit", 403):
        limited.receive_message(QueueUrl=full)
    assert len(limited.receive_message(QueueUrl=other, MaxNumberOfMessages=10,
                                       VisibilityTimeout=60)["Messages"]) == 2


def test_default_inflight_limit_is_not_tiny(sqs, queue):
    # The session server runs with the default (120,000): 30 in flight are fine.
    send_n(sqs, queue, 10)
    send_n(sqs, queue, 10)
    send_n(sqs, queue, 10)
    got = []
    for _ in range(10):
        got += sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                   VisibilityTimeout=60).get("Messages", [])
        if len(got) == 30:
            break
    assert len(got) == 30
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)


# ------------------------------------------------------------------------------- numeric attributes

@pytest.mark.parametrize("value", ["59", "86401", "0", "abc"])
def test_kms_data_key_reuse_period_out_of_range(sqs, value):
    """docs/sqs-behaviour.md#numeric-parameters: 60..86400 ([U] code). Choice: InvalidAttributeValue like the other attributes."""
    name = unique_name("kms")
    with expect_error("InvalidAttributeValue", 400):
        sqs.create_queue(QueueName=name, Attributes={
            "KmsMasterKeyId": "alias/aws/sqs", "KmsDataKeyReusePeriodSeconds": value})
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)


@pytest.mark.parametrize("value", ["60", "86400"])
def test_kms_data_key_reuse_period_bounds_accepted(sqs, value):
    # docs/sqs-behaviour.md#queue-attributes [A]: returned only when KMS SSE is on, hence the KmsMasterKeyId.
    url = sqs.create_queue(QueueName=unique_name("kms"), Attributes={
        "KmsMasterKeyId": "alias/aws/sqs", "KmsDataKeyReusePeriodSeconds": value})["QueueUrl"]
    assert queue_attrs(sqs, url, "KmsDataKeyReusePeriodSeconds") == {
        "KmsDataKeyReusePeriodSeconds": value}


def test_visibility_total_cannot_exceed_12_hours_from_receive(sqs, queue):
    """docs/sqs-behaviour.md#visibility [D]: the total since the receive cannot exceed 12 h; larger values are rejected, not
    clamped. Choice: InvalidParameterValue."""
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    h = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=30)["Messages"][0]["ReceiptHandle"]
    time.sleep(1.2)
    with expect_error("InvalidParameterValue", 400):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=h, VisibilityTimeout=43200)
    # not clamped: still hidden by the original 30 s, and a value inside the total works
    assert counts(sqs, queue) == (0, 1, 0)
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=h, VisibilityTimeout=43000)
    assert counts(sqs, queue) == (0, 1, 0)


# ------------------------------------------------------------------------------- addresses, ids

@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_message_id_and_receipt_handle_lengths(sqs, fifo):
    # docs/sqs-behaviour.md#quotas [D]: message id ≤ 100 chars, receipt handle ≤ 1,024 chars.
    name = unique_name("len") + (".fifo" if fifo else "")
    attrs = {"FifoQueue": "true", "ContentBasedDeduplication": "true"} if fifo else {}
    url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    kw = {"MessageGroupId": "g" * 128, "MessageDeduplicationId": "d" * 128} if fifo else {}
    mid = sqs.send_message(QueueUrl=url, MessageBody="x", **kw)["MessageId"]
    assert 0 < len(mid) <= 100
    m = sqs.receive_message(QueueUrl=url, VisibilityTimeout=30)["Messages"][0]
    assert m["MessageId"] == mid
    assert 0 < len(m["ReceiptHandle"]) <= 1024
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


# ------------------------------------------------------------------------------- tags

@pytest.mark.parametrize("tags", [
    {"k" * 128: "v"}, {"ü" * 128: "v"}, {"key": "v" * 256}, {"key": "é" * 256}, {"key": ""},
], ids=["key-128", "key-128-unicode", "value-256", "value-256-unicode", "value-empty"])
def test_tag_limits_accepted(sqs, queue, tags):
    # docs/sqs-behaviour.md#quotas [D]: key 1..128, value 0..256 Unicode characters (not bytes).
    sqs.tag_queue(QueueUrl=queue, Tags=tags)
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == tags


@pytest.mark.parametrize("tags", [
    {"k" * 129: "v"}, {"key": "v" * 257}, {"": "v"}, {"aws:reserved": "v"},
], ids=["key-129", "value-257", "key-empty", "aws-prefix"])
def test_tag_limits_rejected(sqs, queue, tags):
    """docs/sqs-behaviour.md#quotas [D]. Choice: InvalidParameterValue, on TagQueue and on CreateQueue (nothing created,
    nothing tagged)."""
    with expect_error("InvalidParameterValue", 400):
        sqs.tag_queue(QueueUrl=queue, Tags={"ok": "1", **tags})
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=queue)
    name = unique_name("tags")
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=name, tags=tags)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)


# ------------------------------------------------------------------------------- Number attributes

@pytest.mark.parametrize("value", [
    "1" * 38, "-" + "9" * 38, "0." + "1" * 38, "000" + "1" * 38 + ".000", "9" + "0" * 125,
], ids=["38-digits", "negative-38", "fraction-38", "zero-padded", "9e125"])
def test_number_attribute_within_precision_and_range(sqs, queue, value):
    """docs/sqs-behaviour.md#message-attributes [D]: up to 38 significant digits, magnitude up to 10^126; leading zeroes and
    trailing fractional zeroes do not count. The value is kept verbatim."""
    attrs = {"n": {"DataType": "Number", "StringValue": value}}
    sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attrs)
    m = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"][0]
    assert m["MessageAttributes"] == attrs


@pytest.mark.parametrize("value", ["1" * 39, "1." + "1" * 38, "1" + "0" * 127],
                         ids=["39-digits", "39-with-fraction", "1e127"])
def test_number_attribute_beyond_precision_or_range(sqs, queue, value):
    """docs/sqs-behaviour.md#message-attributes [D]. Choice: InvalidParameterValue."""
    with expect_error("InvalidParameterValue", 400):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes={
            "n": {"DataType": "Number", "StringValue": value}})
    assert counts(sqs, queue) == (0, 0, 0)
