"""Wharf's extension queue attributes (docs/sqs-behaviour.md#wharf-extensions) through the SDKs,
in both protocols: asked for by name they are answered, and `All` never includes them."""

import time

NAMES = ["WharfNumberOfMessagesSent", "WharfNumberOfMessagesReceived", "WharfApproximateAgeOfOldestMessage"]


def test_sent_and_received_totals_are_answered_when_asked_for_by_name(sqs, queue):
    for i in range(3):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{i}")
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=2, VisibilityTimeout=60)["Messages"]
    # Through the node that served the requests at once; through another node (two nodes behind
    # a balancer) once the nodes have flushed their counts, every 5 s.
    deadline = time.monotonic() + 15
    while True:
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=NAMES)["Attributes"]
        totals = (attributes["WharfNumberOfMessagesSent"], attributes["WharfNumberOfMessagesReceived"])
        if totals == ("3", "2") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert totals == ("3", "2")
    assert attributes["WharfApproximateAgeOfOldestMessage"].isdigit()
    assert len(got) == 2


def test_all_does_not_include_wharfs_own_attributes(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="m")
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert not [name for name in attributes if name.startswith("Wharf")]
