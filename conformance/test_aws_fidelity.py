"""Behaviours real clients rely on, as AWS shows them (recorded against AWS by other projects'
suites; docs/sqs-behaviour.md): each test is named after the behaviour."""
import json
import threading
import time

import pytest

from wharfutil import expect_error, nonexistent_queue_message, sys_attr_kwargs, unique_name


# ------------------------------------------------------------------ a queue name for a QueueUrl

@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_a_bare_queue_name_works_where_a_queue_url_goes(sqs, fifo):
    name = unique_name("bare") + (".fifo" if fifo else "")
    attrs = {"FifoQueue": "true", "ContentBasedDeduplication": "true"} if fifo else {}
    sqs.create_queue(QueueName=name, Attributes=attrs)
    kw = {"MessageGroupId": "g"} if fifo else {}
    sent = sqs.send_message(QueueUrl=name, MessageBody="by name", **kw)
    assert sqs.get_queue_attributes(QueueUrl=name, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"]["ApproximateNumberOfMessages"] == "1"
    got = sqs.receive_message(QueueUrl=name)["Messages"]
    assert [m["MessageId"] for m in got] == [sent["MessageId"]]
    sqs.delete_message(QueueUrl=name, ReceiptHandle=got[0]["ReceiptHandle"])
    sqs.delete_queue(QueueUrl=name)


@pytest.mark.parametrize("address", ["http://whatever-incorrect-queue-address", "no-such-queue-anywhere"])
def test_a_queue_url_that_is_no_queue_is_a_nonexistent_queue(sqs, address):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400, message=nonexistent_queue_message(sqs)):
        sqs.send_message(QueueUrl=address, MessageBody="x")
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_attributes(QueueUrl=address, AttributeNames=["All"])


# --------------------------------------------------------------------------- FIFO group turns

def fifo_queue(sqs, **attrs):
    name = unique_name("fid") + ".fifo"
    return sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", **attrs})["QueueUrl"]


def test_fifo_groups_just_served_go_to_the_back(sqs):
    url = fifo_queue(sqs)
    for group in ("g1", "g2", "g3"):
        sqs.send_message(QueueUrl=url, MessageBody=group, MessageGroupId=group, MessageDeduplicationId=group)
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, VisibilityTimeout=0)["Messages"]
    assert [m["Body"] for m in first] == ["g1", "g2"]
    after = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=3, VisibilityTimeout=0)["Messages"]
    assert [m["Body"] for m in after] == ["g3", "g1", "g2"]


def test_one_fifo_groups_messages_come_together_and_in_order(sqs):
    url = fifo_queue(sqs)
    for i, group in enumerate(["a", "b", "a", "b", "a"]):
        sqs.send_message(QueueUrl=url, MessageBody=f"{group}{i}", MessageGroupId=group, MessageDeduplicationId=str(i))
    got = [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    assert got == ["a0", "a2", "a4", "b1", "b3"]


def test_a_delete_that_unlocks_a_fifo_group_wakes_a_parked_receive(sqs, client_for, protocol):
    url = fifo_queue(sqs)
    results, threads = [], []

    def poll():
        results.append(client_for(protocol).receive_message(QueueUrl=url, WaitTimeSeconds=10)
                       .get("Messages", []))

    for _ in range(3):
        threads.append(threading.Thread(target=poll))
        threads[-1].start()
    time.sleep(0.5)
    sqs.send_message(QueueUrl=url, MessageBody="message-1", MessageGroupId="G", MessageDeduplicationId="1")
    deadline = time.monotonic() + 5
    while not any(results) and time.monotonic() < deadline:
        time.sleep(0.02)
    head = next(r for r in results if r)[0]
    assert head["Body"] == "message-1"
    sqs.send_message(QueueUrl=url, MessageBody="message-2", MessageGroupId="G", MessageDeduplicationId="2")
    time.sleep(0.5)
    assert sum(1 for r in results if r) == 1, "message-2 must wait while message-1 is in flight"
    deleted_at = time.monotonic()
    sqs.delete_message(QueueUrl=url, ReceiptHandle=head["ReceiptHandle"])
    while sum(1 for r in results if r) < 2 and time.monotonic() < deleted_at + 5:
        time.sleep(0.01)
    woken = time.monotonic() - deleted_at
    assert [r[0]["Body"] for r in results if r][1:] == ["message-2"]
    assert woken < 2, f"the parked receive got message-2 {woken:.2f}s after the delete"
    for t in threads:
        t.join(15)


def _park(client, url):
    """A ReceiveMessage parked on `url` (20 s at most) in a thread; its messages land in the list."""
    got = []
    thread = threading.Thread(target=lambda: got.append(
        client.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])), daemon=True)
    thread.start()
    time.sleep(0.5)
    assert not got, "nothing was receivable yet"
    return got, thread


def _woken(got, since):
    """Seconds from `since` until the parked receive answered (at most 5 s waited)."""
    while not got and time.monotonic() < since + 5:
        time.sleep(0.01)
    assert got, "the parked receive was not woken"
    return time.monotonic() - since


@pytest.mark.parametrize("how", ["visibility-change", "visibility-timeout"])
def test_a_fifo_head_visible_again_wakes_a_parked_receive(sqs, client_for, protocol, how):
    """The head of group G becomes receivable again (its visibility changed to 0, or run out):
    a receive parked meanwhile gets it at once, head first, and not message-2 before it."""
    url = fifo_queue(sqs)
    for i in (1, 2):
        sqs.send_message(QueueUrl=url, MessageBody=f"message-{i}", MessageGroupId="G", MessageDeduplicationId=str(i))
    timeout = 30 if how == "visibility-change" else 2
    head = sqs.receive_message(QueueUrl=url, VisibilityTimeout=timeout)["Messages"][0]
    visible_at = time.monotonic() + timeout
    got, thread = _park(client_for(protocol), url)
    if how == "visibility-change":
        visible_at = time.monotonic()
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=head["ReceiptHandle"], VisibilityTimeout=0)
    woken = _woken(got, visible_at)
    assert [m["Body"] for m in got[0]] == ["message-1"]
    assert woken < 1.5, f"woken {woken:.2f}s after the head became visible"
    thread.join(5)


def _source_and_dead_letter_queue(sqs):
    """A source queue dead-lettering into a fresh queue after one receive: (source, dlq, dlq ARN)."""
    dlq = sqs.create_queue(QueueName=unique_name("wake-dlq"))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    source = sqs.create_queue(QueueName=unique_name("wake-src"), Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
    return source, dlq, dlq_arn


def test_a_dead_lettered_message_wakes_a_receive_parked_on_the_dead_letter_queue(sqs, client_for, protocol):
    source, dlq, _ = _source_and_dead_letter_queue(sqs)
    sqs.send_message(QueueUrl=source, MessageBody="poison")
    sqs.receive_message(QueueUrl=source, VisibilityTimeout=1)
    got, thread = _park(client_for(protocol), dlq)
    time.sleep(0.6)
    moved_at = time.monotonic()
    # The receive that finds it over maxReceiveCount moves it to the dead-letter queue.
    assert "Messages" not in sqs.receive_message(QueueUrl=source)
    woken = _woken(got, moved_at)
    assert [m["Body"] for m in got[0]] == ["poison"]
    assert woken < 1.5, f"woken {woken:.2f}s after the move"
    thread.join(5)


def test_a_move_task_arrival_wakes_a_receive_parked_on_its_destination(sqs, client_for, protocol):
    source, dlq, dlq_arn = _source_and_dead_letter_queue(sqs)
    source_arn = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.send_message(QueueUrl=dlq, MessageBody="redriven")
    got, thread = _park(client_for(protocol), source)
    started_at = time.monotonic()
    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=source_arn)
    woken = _woken(got, started_at)
    assert [m["Body"] for m in got[0]] == ["redriven"]
    assert woken < 1.5, f"woken {woken:.2f}s after the task started"
    thread.join(5)


# ------------------------------------------------------------------------ standard queue order

def test_a_redelivered_message_comes_before_those_sent_after_it(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="m1")
    sqs.receive_message(QueueUrl=queue, VisibilityTimeout=1)
    sqs.send_message(QueueUrl=queue, MessageBody="m2")
    sqs.send_message(QueueUrl=queue, MessageBody="m3")
    time.sleep(1.2)
    got = [m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=3)["Messages"]]
    assert got == ["m1", "m2", "m3"]


# ----------------------------------------------------------------------- purge and dedup window

def test_purge_clears_the_fifo_deduplication_window(sqs):
    url = fifo_queue(sqs)
    first = sqs.send_message(QueueUrl=url, MessageBody="before", MessageGroupId="g", MessageDeduplicationId="same")
    sqs.purge_queue(QueueUrl=url)
    again = sqs.send_message(QueueUrl=url, MessageBody="after", MessageGroupId="g", MessageDeduplicationId="same")
    assert again["MessageId"] != first["MessageId"]
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url)["Messages"]] == ["after"]


# ------------------------------------------------------------------ FifoQueue, delays, throughput

def test_fifo_queue_true_on_a_fifo_queue_is_accepted(sqs):
    url = fifo_queue(sqs)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["FifoQueue"])["Attributes"]["FifoQueue"] == "true"


def test_fifo_queue_false_on_a_fifo_queue_is_refused(sqs):
    url = fifo_queue(sqs)
    with expect_error("InvalidAttributeValue", 400,
                      message="Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported."):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "false"})


def test_fifo_queue_on_a_standard_queue_is_an_unknown_attribute(sqs, queue):
    with expect_error("InvalidAttributeName", 400, message="Unknown Attribute FifoQueue."):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={"FifoQueue": "true"})


def test_a_per_message_delay_on_a_fifo_queue_is_refused_and_zero_means_the_queues(sqs):
    url = fifo_queue(sqs, DelaySeconds="1")
    with expect_error("InvalidParameterValue", 400,
                      message="Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter "
                              "that is not valid for this queue type."):
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="1", DelaySeconds=5)
    sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="2", DelaySeconds=0)
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == [], "the queue's own 1 s delay applies"
    time.sleep(1.2)
    assert len(sqs.receive_message(QueueUrl=url)["Messages"]) == 1


def test_switching_a_fifo_queue_to_high_throughput_changes_deduplication_afterwards(sqs):
    url = fifo_queue(sqs)
    first = sqs.send_message(QueueUrl=url, MessageBody="a", MessageGroupId="g1", MessageDeduplicationId="same")
    assert sqs.send_message(QueueUrl=url, MessageBody="b", MessageGroupId="g2",
                            MessageDeduplicationId="same")["MessageId"] == first["MessageId"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "messageGroup",
                                                        "FifoThroughputLimit": "perMessageGroupId"})
    third = sqs.send_message(QueueUrl=url, MessageBody="c", MessageGroupId="g3", MessageDeduplicationId="same")
    assert third["MessageId"] != first["MessageId"]
    got = [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    assert got == ["a", "c"]


# ------------------------------------------------------------------------------------ SenderId

def test_sender_id_is_the_callers_principal_not_the_access_key(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="who")
    m = sqs.receive_message(QueueUrl=queue, **sys_attr_kwargs(sqs, ["SenderId"]))["Messages"][0]
    assert m["Attributes"]["SenderId"] == "000000000000"
