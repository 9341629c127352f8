"""Queue-level operations: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue,
Get/SetQueueAttributes, tags, regions, foreign queue-URL hosts (docs/sqs-behaviour.md#operations, #queue-attributes, #queue-names, #createqueue-idempotency)."""

import time

import pytest

from wharfutil import (
    ACCOUNT, counts, expect_error, nonexistent_queue_message, protocol_of, queue_attrs,
    unique_name,
)

FRESH_QUEUE_DEFAULTS = {
    "ApproximateNumberOfMessages": "0",
    "ApproximateNumberOfMessagesDelayed": "0",
    "ApproximateNumberOfMessagesNotVisible": "0",
    "DelaySeconds": "0",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "SqsManagedSseEnabled": "true",
    "VisibilityTimeout": "30",
}
FRESH_QUEUE_KEYS = set(FRESH_QUEUE_DEFAULTS) | {"CreatedTimestamp", "LastModifiedTimestamp",
                                                "QueueArn"}


# ------------------------------------------------------------------------------- CreateQueue

def test_create_queue_returns_url_from_host_header(sqs, server):
    name = unique_name("create")
    r = sqs.create_queue(QueueName=name)
    assert r["QueueUrl"] == f"{server.endpoint}/{ACCOUNT}/{name}"
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r["ResponseMetadata"]["RequestId"]


def test_create_queue_with_attributes(sqs):
    name = unique_name("attrs")
    url = sqs.create_queue(QueueName=name, Attributes={
        "VisibilityTimeout": "45", "DelaySeconds": "3", "MaximumMessageSize": "2048",
        "MessageRetentionPeriod": "120", "ReceiveMessageWaitTimeSeconds": "2",
    })["QueueUrl"]
    a = queue_attrs(sqs, url)
    assert a["VisibilityTimeout"] == "45"
    assert a["DelaySeconds"] == "3"
    assert a["MaximumMessageSize"] == "2048"
    assert a["MessageRetentionPeriod"] == "120"
    assert a["ReceiveMessageWaitTimeSeconds"] == "2"


def test_create_queue_with_tags(sqs):
    url = sqs.create_queue(QueueName=unique_name("tags"), tags={"team": "core", "env": ""})[
        "QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "core", "env": ""}


def test_create_queue_max_length_name(sqs, server):
    name = ("n" + unique_name("x").replace("-", "_")) + "a" * 80
    name = name[:80]
    assert len(name) == 80
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == server.queue_url(name)


def test_create_queue_names_are_case_sensitive(sqs):
    base = unique_name("case")
    u1 = sqs.create_queue(QueueName=base + "abc")["QueueUrl"]
    u2 = sqs.create_queue(QueueName=base + "ABC")["QueueUrl"]
    assert u1 != u2
    sqs.send_message(QueueUrl=u1, MessageBody="x")
    assert counts(sqs, u2)[0] == 0


def test_create_queue_idempotent_with_identical_attributes(sqs):
    name = unique_name("idem")
    attrs = {"VisibilityTimeout": "45", "DelaySeconds": "2"}
    u1 = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    u2 = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    assert u1 == u2
    # Attributes omitted from the request are not compared (docs/sqs-behaviour.md#createqueue-idempotency).
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == u1
    assert sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "2"})["QueueUrl"] == u1
    # A default value given explicitly equals the current value.
    assert sqs.create_queue(QueueName=name, Attributes={"MaximumMessageSize": "1048576"})[
        "QueueUrl"] == u1


def test_create_queue_with_different_attribute_is_queue_already_exists(sqs):
    name = unique_name("exists")
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
    with expect_error("QueueAlreadyExists", 400,
                      message="A queue already exists with the same name and a different value "
                              "for attribute VisibilityTimeout"):
        sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "46"})
    # The comparison is against current values (docs/sqs-behaviour.md#createqueue-idempotency).
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "46"})
    assert sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "46"})[
        "QueueUrl"] == url
    with expect_error("QueueAlreadyExists", 400):
        sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45"})


def test_create_queue_differing_default_valued_attribute_conflicts(sqs):
    name = unique_name("exists")
    sqs.create_queue(QueueName=name)
    with expect_error("QueueAlreadyExists", 400, message_contains="DelaySeconds"):
        sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "5"})


@pytest.mark.parametrize("name", [
    "a" * 81, "has space", "has.dot", "slash/name", "colon:name", "star*", "ümlaut", "tab\tname",
])
def test_create_queue_invalid_name(sqs, name):
    # docs/sqs-behaviour.md#queue-names: 1..80 of [A-Za-z0-9_-]; AWS answers InvalidParameterValue (message [U]).
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=name)


def test_create_queue_empty_name_rejected(sqs):
    # [U] AWS: empty QueueName → InvalidParameterValue (some front ends say MissingParameter).
    from botocore.exceptions import ClientError
    with pytest.raises(ClientError) as ei:
        sqs.create_queue(QueueName="")
    assert ei.value.response["Error"]["Code"] in ("InvalidParameterValue", "MissingParameter")
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_create_queue_fifo_suffix_without_fifo_attribute_rejected(sqs):
    # docs/sqs-behaviour.md#queue-names [A]: a .fifo name without FifoQueue=true → InvalidParameterValue.
    with expect_error("InvalidParameterValue", 400):
        sqs.create_queue(QueueName=unique_name("std") + ".fifo")


@pytest.mark.parametrize("attr,value", [
    ("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"), ("VisibilityTimeout", "abc"),
    ("DelaySeconds", "901"), ("DelaySeconds", "-1"),
    ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577"),
    ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"),
    ("ReceiveMessageWaitTimeSeconds", "21"), ("ReceiveMessageWaitTimeSeconds", "x"),
])
def test_create_queue_invalid_attribute_value(sqs, attr, value):
    name = unique_name("badval")
    with expect_error("InvalidAttributeValue", 400):
        sqs.create_queue(QueueName=name, Attributes={attr: value})
    # nothing was created
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)


@pytest.mark.parametrize("attr,value", [
    ("VisibilityTimeout", "43200"), ("VisibilityTimeout", "0"), ("DelaySeconds", "900"),
    ("MaximumMessageSize", "1024"), ("MessageRetentionPeriod", "60"),
    ("MessageRetentionPeriod", "1209600"), ("ReceiveMessageWaitTimeSeconds", "20"),
])
def test_create_queue_boundary_attribute_values_accepted(sqs, attr, value):
    url = sqs.create_queue(QueueName=unique_name("edge"), Attributes={attr: value})["QueueUrl"]
    assert queue_attrs(sqs, url, attr) == {attr: value}


def test_create_queue_unknown_attribute(sqs):
    name = unique_name("unknown")
    with expect_error("InvalidAttributeName", 400, message="Unknown Attribute Foobar."):
        sqs.create_queue(QueueName=name, Attributes={"Foobar": "1"})


def test_create_queue_read_only_attribute_rejected(sqs):
    # QueueArn / counts are read-only: not settable ([U] code: InvalidAttributeName).
    with expect_error("InvalidAttributeName", 400):
        sqs.create_queue(QueueName=unique_name("ro"),
                         Attributes={"ApproximateNumberOfMessages": "3"})


# ------------------------------------------------------------------------------- GetQueueUrl

def test_get_queue_url(sqs, server):
    name = unique_name("geturl")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url == server.queue_url(name)
    assert sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=ACCOUNT)["QueueUrl"] == url


def test_get_queue_url_nonexistent(sqs):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400,
                      message=nonexistent_queue_message(sqs)):
        sqs.get_queue_url(QueueName=unique_name("missing"))


def test_nonexistent_queue_raises_modeled_exception(sqs):
    # botocore maps the query code / shape to client.exceptions.QueueDoesNotExist.
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_url(QueueName=unique_name("missing"))


# ------------------------------------------------------------------------------- ListQueues

def test_list_queues_with_prefix(sqs):
    prefix = unique_name("lst")
    urls = sorted(sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(3))
    other = sqs.create_queue(QueueName=unique_name("lsx"))["QueueUrl"]
    r = sqs.list_queues(QueueNamePrefix=prefix)
    assert sorted(r["QueueUrls"]) == urls
    assert "NextToken" not in r
    # Without a prefix every queue of the account/region is listed.
    all_urls = sqs.list_queues().get("QueueUrls", [])
    assert set(urls) | {other} <= set(all_urls)


def test_list_queues_prefix_is_case_sensitive(sqs):
    prefix = unique_name("Case")
    sqs.create_queue(QueueName=prefix + "-q")
    assert not sqs.list_queues(QueueNamePrefix=prefix.lower() + "-q").get("QueueUrls")
    assert len(sqs.list_queues(QueueNamePrefix=prefix).get("QueueUrls", [])) == 1


def test_list_queues_no_match_has_no_urls(sqs):
    r = sqs.list_queues(QueueNamePrefix=unique_name("nomatch"))
    assert not r.get("QueueUrls")
    assert "NextToken" not in r


def test_list_queues_pagination(sqs):
    prefix = unique_name("page")
    urls = {sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(5)}
    seen = []
    r = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
    assert len(r["QueueUrls"]) == 2
    assert r.get("NextToken")
    seen += r["QueueUrls"]
    r = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=r["NextToken"])
    assert len(r["QueueUrls"]) == 2
    assert r.get("NextToken")
    seen += r["QueueUrls"]
    r = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=r["NextToken"])
    assert len(r["QueueUrls"]) == 1
    assert "NextToken" not in r
    seen += r["QueueUrls"]
    assert sorted(seen) == sorted(urls)
    assert len(set(seen)) == 5


def test_list_queues_exact_page_has_no_next_token(sqs):
    prefix = unique_name("exact")
    for i in range(3):
        sqs.create_queue(QueueName=f"{prefix}-{i}")
    r = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=3)
    assert len(r["QueueUrls"]) == 3
    assert "NextToken" not in r
    r = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=1000)
    assert len(r["QueueUrls"]) == 3
    assert "NextToken" not in r


def test_list_queues_no_next_token_without_max_results(sqs):
    prefix = unique_name("nomax")
    for i in range(3):
        sqs.create_queue(QueueName=f"{prefix}-{i}")
    r = sqs.list_queues(QueueNamePrefix=prefix)
    assert len(r["QueueUrls"]) == 3
    assert "NextToken" not in r


def test_list_queues_paginator(sqs):
    prefix = unique_name("pgr")
    urls = {sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(4)}
    got = []
    for page in sqs.get_paginator("list_queues").paginate(
            QueueNamePrefix=prefix, PaginationConfig={"PageSize": 3}):
        got += page.get("QueueUrls", [])
    assert sorted(got) == sorted(urls)


@pytest.mark.parametrize("max_results", [0, 1001])
def test_list_queues_max_results_out_of_range(sqs, max_results):
    # docs/sqs-behaviour.md#numeric-parameters: MaxResults 1..1000; error code [U] → InvalidParameterValue.
    with expect_error("InvalidParameterValue", 400):
        sqs.list_queues(MaxResults=max_results)


# ------------------------------------------------------------------------------- DeleteQueue

def test_delete_queue(sqs):
    name = unique_name("del")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="bye")
    r = sqs.delete_queue(QueueUrl=url)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.get_queue_url(QueueName=name)
    assert url not in sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.receive_message(QueueUrl=url)


def test_delete_queue_then_recreate_is_deleted_recently(sqs):
    name = unique_name("recent")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    with expect_error("AWS.SimpleQueueService.QueueDeletedRecently", 400,
                      message="You must wait 60 seconds after deleting a queue before you can "
                              "create another with the same name."):
        sqs.create_queue(QueueName=name)


def test_delete_nonexistent_queue(sqs, server):
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.delete_queue(QueueUrl=server.queue_url(unique_name("nope")))


def test_delete_queue_twice(sqs):
    url = sqs.create_queue(QueueName=unique_name("twice"))["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        sqs.delete_queue(QueueUrl=url)


# ------------------------------------------------------------------------------- GetQueueAttributes

def test_get_queue_attributes_all_on_fresh_queue(sqs, server):
    name = unique_name("all")
    before = int(time.time())
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    after = int(time.time())
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert set(a) == FRESH_QUEUE_KEYS
    for k, v in FRESH_QUEUE_DEFAULTS.items():
        assert a[k] == v, k
    assert a["QueueArn"] == f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"
    # epoch seconds
    assert before - 2 <= int(a["CreatedTimestamp"]) <= after + 2
    assert before - 2 <= int(a["LastModifiedTimestamp"]) <= after + 2


def test_get_queue_attributes_single_names(sqs, queue):
    assert sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["VisibilityTimeout"])[
        "Attributes"] == {"VisibilityTimeout": "30"}
    a = sqs.get_queue_attributes(QueueUrl=queue,
                                 AttributeNames=["QueueArn", "DelaySeconds"])["Attributes"]
    assert set(a) == {"QueueArn", "DelaySeconds"}
    assert a["DelaySeconds"] == "0"
    assert a["QueueArn"].endswith(":" + queue.rsplit("/", 1)[1])


@pytest.mark.parametrize("name", sorted(FRESH_QUEUE_KEYS))
def test_get_queue_attributes_each_name(sqs, queue, name):
    a = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=[name])["Attributes"]
    assert list(a) == [name]
    if name in FRESH_QUEUE_DEFAULTS:
        assert a[name] == FRESH_QUEUE_DEFAULTS[name]


def test_get_queue_attributes_unset_optional_attribute_absent(sqs, queue):
    # Policy / RedrivePolicy are returned only when set (docs/sqs-behaviour.md#queue-attributes).
    a = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["Policy", "VisibilityTimeout"])
    assert a["Attributes"] == {"VisibilityTimeout": "30"}


def test_get_queue_attributes_without_names_is_empty(sqs, queue):
    r = sqs.get_queue_attributes(QueueUrl=queue)
    assert not r.get("Attributes")


def test_get_queue_attributes_unknown_name(sqs, queue):
    with expect_error("InvalidAttributeName", 400, message="Unknown Attribute Foobar."):
        sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["Foobar"])


def test_get_queue_attributes_counts(sqs, queue):
    assert counts(sqs, queue) == (0, 0, 0)
    for i in range(3):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=30)
    assert counts(sqs, queue) == (3, 0, 1)
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=2, VisibilityTimeout=30)[
        "Messages"]
    assert len(got) == 2
    assert counts(sqs, queue) == (1, 2, 1)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=got[0]["ReceiptHandle"])
    assert counts(sqs, queue) == (1, 1, 1)


def test_counts_after_visibility_and_delay_expire(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="delayed", DelaySeconds=1)
    sqs.send_message(QueueUrl=queue, MessageBody="now")
    m = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=1)["Messages"]
    assert [x["Body"] for x in m] == ["now"]
    assert counts(sqs, queue) == (0, 1, 1)
    time.sleep(1.5)
    assert counts(sqs, queue) == (2, 0, 0)


# ------------------------------------------------------------------------------- SetQueueAttributes

def test_set_queue_attributes_persisted(sqs, queue):
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={
        "VisibilityTimeout": "60", "DelaySeconds": "5", "MaximumMessageSize": "4096",
        "MessageRetentionPeriod": "86400", "ReceiveMessageWaitTimeSeconds": "10"})
    a = queue_attrs(sqs, queue)
    assert a["VisibilityTimeout"] == "60"
    assert a["DelaySeconds"] == "5"
    assert a["MaximumMessageSize"] == "4096"
    assert a["MessageRetentionPeriod"] == "86400"
    assert a["ReceiveMessageWaitTimeSeconds"] == "10"
    assert set(a) == FRESH_QUEUE_KEYS


def test_set_queue_attributes_updates_last_modified(sqs, queue):
    a0 = queue_attrs(sqs, queue, "CreatedTimestamp", "LastModifiedTimestamp")
    time.sleep(1.1)
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "31"})
    a1 = queue_attrs(sqs, queue, "CreatedTimestamp", "LastModifiedTimestamp")
    assert a1["CreatedTimestamp"] == a0["CreatedTimestamp"]
    assert int(a1["LastModifiedTimestamp"]) > int(a0["LastModifiedTimestamp"])
    assert abs(int(a1["LastModifiedTimestamp"]) - time.time()) < 5


def test_set_queue_attributes_policy_roundtrip(sqs, queue):
    policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",'
              '"Action":"sqs:SendMessage","Resource":"*"}]}')
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"Policy": policy})
    import json
    got = queue_attrs(sqs, queue, "Policy")["Policy"]
    assert json.loads(got) == json.loads(policy)


@pytest.mark.parametrize("attr,value", [
    ("VisibilityTimeout", "43201"), ("DelaySeconds", "901"), ("MaximumMessageSize", "1023"),
    ("MessageRetentionPeriod", "59"), ("ReceiveMessageWaitTimeSeconds", "21"),
    ("VisibilityTimeout", "ten"),
])
def test_set_queue_attributes_invalid_value(sqs, queue, attr, value):
    with expect_error("InvalidAttributeValue", 400):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={attr: value})
    # unchanged
    assert queue_attrs(sqs, queue, attr)[attr] == FRESH_QUEUE_DEFAULTS[attr]


def test_set_queue_attributes_unknown_name(sqs, queue):
    with expect_error("InvalidAttributeName", 400, message="Unknown Attribute Foobar."):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={"Foobar": "1"})


def test_set_queue_attributes_fifo_only_attribute_on_standard_queue(sqs, queue):
    # docs/sqs-behaviour.md#queue-attributes [A]: "Unknown Attribute ContentBasedDeduplication." on a standard queue.
    with expect_error("InvalidAttributeName", 400,
                      message="Unknown Attribute ContentBasedDeduplication."):
        sqs.set_queue_attributes(QueueUrl=queue,
                                 Attributes={"ContentBasedDeduplication": "true"})


def test_set_queue_attributes_atomic_on_error(sqs, queue):
    # One bad value: nothing is applied ([U], the natural AWS behaviour).
    with expect_error("InvalidAttributeValue", 400):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={
            "VisibilityTimeout": "99", "DelaySeconds": "901"})
    assert queue_attrs(sqs, queue, "VisibilityTimeout") == {"VisibilityTimeout": "30"}


# ------------------------------------------------------------------------------- Tags

def test_untagged_queue_has_no_tags_key(sqs, queue):
    r = sqs.list_queue_tags(QueueUrl=queue)
    assert "Tags" not in r


def test_tag_untag_list(sqs, queue):
    sqs.tag_queue(QueueUrl=queue, Tags={"a": "1", "b": "2"})
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {"a": "1", "b": "2"}
    sqs.tag_queue(QueueUrl=queue, Tags={"b": "22", "c": "3"})
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {"a": "1", "b": "22", "c": "3"}
    sqs.untag_queue(QueueUrl=queue, TagKeys=["a", "c", "not-there"])
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {"b": "22"}
    sqs.untag_queue(QueueUrl=queue, TagKeys=["b"])
    assert "Tags" not in sqs.list_queue_tags(QueueUrl=queue)


def test_tag_empty_value_and_unicode(sqs, queue):
    sqs.tag_queue(QueueUrl=queue, Tags={"empty": "", "ünï": "välue with spaces & <xml>"})
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {
        "empty": "", "ünï": "välue with spaces & <xml>"}


# ------------------------------------------------------------------------------- missing queue

MISSING_QUEUE_OPS = {
    "GetQueueAttributes": lambda c, u: c.get_queue_attributes(QueueUrl=u, AttributeNames=["All"]),
    "SetQueueAttributes": lambda c, u: c.set_queue_attributes(
        QueueUrl=u, Attributes={"VisibilityTimeout": "5"}),
    "SendMessage": lambda c, u: c.send_message(QueueUrl=u, MessageBody="x"),
    "SendMessageBatch": lambda c, u: c.send_message_batch(
        QueueUrl=u, Entries=[{"Id": "a", "MessageBody": "x"}]),
    "ReceiveMessage": lambda c, u: c.receive_message(QueueUrl=u),
    "PurgeQueue": lambda c, u: c.purge_queue(QueueUrl=u),
    "DeleteQueue": lambda c, u: c.delete_queue(QueueUrl=u),
    "TagQueue": lambda c, u: c.tag_queue(QueueUrl=u, Tags={"a": "b"}),
    "UntagQueue": lambda c, u: c.untag_queue(QueueUrl=u, TagKeys=["a"]),
    "ListQueueTags": lambda c, u: c.list_queue_tags(QueueUrl=u),
}


@pytest.mark.parametrize("op", sorted(MISSING_QUEUE_OPS))
def test_operation_on_missing_queue(sqs, server, op):
    url = server.queue_url(unique_name("ghost"))
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400,
                      message=nonexistent_queue_message(sqs)):
        MISSING_QUEUE_OPS[op](sqs, url)


# ------------------------------------------------------------------------------- URLs and regions

def test_foreign_host_in_queue_url(sqs):
    name = unique_name("foreign")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    foreign = f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{name}"
    r = sqs.send_message(QueueUrl=foreign, MessageBody="via foreign host")
    assert r["MessageId"]
    m = sqs.receive_message(QueueUrl=foreign, VisibilityTimeout=0)["Messages"]
    assert [x["Body"] for x in m] == ["via foreign host"]
    a = sqs.get_queue_attributes(QueueUrl=foreign, AttributeNames=["QueueArn"])["Attributes"]
    assert a["QueueArn"] == f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"
    m = sqs.receive_message(QueueUrl=url)["Messages"]
    sqs.delete_message(QueueUrl=foreign, ReceiptHandle=m[0]["ReceiptHandle"])
    assert counts(sqs, url) == (0, 0, 0)


def test_legacy_queue_host_in_queue_url(sqs):
    name = unique_name("legacy")
    sqs.create_queue(QueueName=name)
    legacy = f"https://queue.amazonaws.com/{ACCOUNT}/{name}"
    assert sqs.send_message(QueueUrl=legacy, MessageBody="x")["MessageId"]


def test_regions_are_separate(client_for, protocol, server):
    us = client_for(protocol, "us-east-1")
    eu = client_for(protocol, "eu-west-1")
    name = unique_name("region")
    eu_url = eu.create_queue(QueueName=name)["QueueUrl"]
    assert eu_url == server.queue_url(name)
    assert eu.get_queue_attributes(QueueUrl=eu_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"] == f"arn:aws:sqs:eu-west-1:{ACCOUNT}:{name}"
    # not visible from us-east-1
    with expect_error("AWS.SimpleQueueService.NonExistentQueue", 400):
        us.get_queue_url(QueueName=name)
    assert eu_url not in us.list_queues(QueueNamePrefix=name).get("QueueUrls", [])
    assert eu.list_queues(QueueNamePrefix=name)["QueueUrls"] == [eu_url]
    # The same name in us-east-1 is a different queue with its own ARN and messages.
    us_url = us.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "77"})["QueueUrl"]
    assert us.get_queue_attributes(QueueUrl=us_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"] == f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"
    assert eu.get_queue_attributes(QueueUrl=eu_url, AttributeNames=["VisibilityTimeout"])[
        "Attributes"]["VisibilityTimeout"] == "30"
    eu.send_message(QueueUrl=eu_url, MessageBody="in eu")
    assert "Messages" not in us.receive_message(QueueUrl=us_url)
    assert [m["Body"] for m in eu.receive_message(QueueUrl=eu_url)["Messages"]] == ["in eu"]


def test_protocols_share_state(server, client_for):
    js = client_for("json")
    qy = client_for("query")
    url = js.create_queue(QueueName=unique_name("shared"))["QueueUrl"]
    assert qy.get_queue_url(QueueName=url.rsplit("/", 1)[1])["QueueUrl"] == url
    js.send_message(QueueUrl=url, MessageBody="from json")
    m = qy.receive_message(QueueUrl=url)["Messages"][0]
    assert m["Body"] == "from json"
    js.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert counts(qy, url) == (0, 0, 0)
