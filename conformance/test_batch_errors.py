"""Request-level batch errors, the same for all three batch operations (docs/sqs-behaviour.md#batches)."""

import pytest

from wharfutil import counts, expect_error


def _entries(op, ids):
    if op == "send":
        return [{"Id": i, "MessageBody": "x"} for i in ids]
    if op == "delete":
        return [{"Id": i, "ReceiptHandle": "garbage"} for i in ids]
    return [{"Id": i, "ReceiptHandle": "garbage", "VisibilityTimeout": 0} for i in ids]


def _call(sqs, op, url, entries):
    if op == "send":
        return sqs.send_message_batch(QueueUrl=url, Entries=entries)
    if op == "delete":
        return sqs.delete_message_batch(QueueUrl=url, Entries=entries)
    return sqs.change_message_visibility_batch(QueueUrl=url, Entries=entries)


OPS = ["send", "delete", "change_visibility"]
ENTRY_NAMES = {"send": "SendMessageBatchRequestEntry", "delete": "DeleteMessageBatchRequestEntry",
               "change_visibility": "ChangeMessageVisibilityBatchRequestEntry"}


@pytest.mark.parametrize("op", OPS)
def test_empty_batch(sqs, queue, op):
    with expect_error("AWS.SimpleQueueService.EmptyBatchRequest", 400,
                      message=f"There should be at least one {ENTRY_NAMES[op]} in the request."):
        _call(sqs, op, queue, [])


@pytest.mark.parametrize("op", OPS)
def test_too_many_entries(sqs, queue, op):
    with expect_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400,
                      message="Maximum number of entries per request are 10. "
                              "You have sent 11."):
        _call(sqs, op, queue, _entries(op, [f"id{i}" for i in range(11)]))
    assert counts(sqs, queue) == (0, 0, 0)


@pytest.mark.parametrize("op", OPS)
def test_ids_not_distinct(sqs, queue, op):
    with expect_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, message="Id a repeated."):
        _call(sqs, op, queue, _entries(op, ["a", "b", "a"]))
    assert counts(sqs, queue) == (0, 0, 0)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("bad_id", ["invalid:id", "a" * 81, "has space", "dot.id", ""],
                         ids=["colon", "81chars", "space", "dot", "empty"])
def test_invalid_batch_entry_id(sqs, queue, op, bad_id):
    with expect_error("AWS.SimpleQueueService.InvalidBatchEntryId", 400,
                      message="A batch entry id can only contain alphanumeric characters, "
                              "hyphens and underscores. It can be at most 80 letters long."):
        _call(sqs, op, queue, _entries(op, ["good", bad_id]))
    assert counts(sqs, queue) == (0, 0, 0)


def test_eighty_char_id_is_valid(sqs, queue):
    r = sqs.send_message_batch(QueueUrl=queue, Entries=_entries("send", ["A-z_0" * 16]))
    assert [e["Id"] for e in r["Successful"]] == ["A-z_0" * 16]
