"""GET /metrics: the CloudWatch SQS metrics per queue and the server's own, in the Prometheus
text format, read with prometheus_client's own parser; who may read them."""
import json
import socket
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from wharfutil import ACCESS_KEY, POSTGRES_URL, SECRET_KEY, WharfServer, make_client, unique_name


@pytest.fixture(scope="module")
def metered(tmp_path_factory):
    """A server of its own (its counters start at zero), recomputing gauges every second."""
    base = tmp_path_factory.mktemp("metrics")
    srv = WharfServer(base / "data", base / "server.log", extra_args=["--gauge-interval", "1"]).start()
    yield srv
    srv.stop()


def scrape(endpoint, **kw):
    r = requests.get(endpoint + "/metrics", timeout=10, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(r.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


def queue_labels(name):
    return {"queue": name, "account": "000000000000", "region": "us-east-1"}


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    return condition()


def test_counters_follow_the_operations(metered, protocol):
    sqs = make_client(protocol, metered.endpoint)
    name = unique_name("m")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x" * 10)
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "y" * 20}, {"Id": "b", "MessageBody": "z"}])
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, VisibilityTimeout=60)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    empty = sqs.create_queue(QueueName=unique_name("empty"))["QueueUrl"]
    sqs.receive_message(QueueUrl=empty)
    s = scrape(metered.endpoint)
    labels = queue_labels(name)
    assert value(s, "sqs_messages_sent_total", **labels) == 3
    assert value(s, "sqs_messages_received_total", **labels) == 2
    assert value(s, "sqs_messages_deleted_total", **labels) == 1
    assert value(s, "sqs_sent_message_size_bytes_count", **labels) == 3
    assert value(s, "sqs_sent_message_size_bytes_sum", **labels) == 31
    assert value(s, "sqs_empty_receives_total", **queue_labels(empty.rsplit("/", 1)[1])) == 1
    # The server's own: requests by operation and error code, latency histograms.
    assert value(s, "wharf_requests_total", operation="SendMessageBatch", code="200", error="") >= 1
    assert value(s, "wharf_request_duration_seconds_count", operation="SendMessage") >= 1
    with pytest.raises(Exception):
        sqs.get_queue_url(QueueName=unique_name("missing"))
    s = scrape(metered.endpoint)
    assert value(s, "wharf_requests_total", operation="GetQueueUrl", code="400",
                 error="AWS.SimpleQueueService.NonExistentQueue") >= 1


def queue_in_three_states(sqs, name, visible):
    """A queue holding `visible` visible messages, one in flight and one delayed; returns its URL
    and the gauges it should show."""
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    for i in range(visible + 1):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    return url, {"sqs_messages_visible": visible, "sqs_messages_not_visible": 1, "sqs_messages_delayed": 1}


def gauges_reached(endpoint, labels, expected):
    """The scrape once every expected gauge has its value (recomputed every second), else None."""
    return wait_for(lambda: (lambda s: s if all(value(s, n, **labels) == v for n, v in expected.items()) else None)(
        scrape(endpoint)))


def test_gauges_follow_the_queue(metered):
    sqs = make_client("json", metered.endpoint)
    name = unique_name("g")
    url, expected = queue_in_three_states(sqs, name, visible=3)
    labels = queue_labels(name)
    s = gauges_reached(metered.endpoint, labels, expected)
    assert s, f"gauges never reached {expected}"
    assert value(s, "sqs_oldest_message_age_seconds", **labels) >= 0
    # A deleted queue's series go with it.
    sqs.delete_queue(QueueUrl=url)
    s = wait_for(lambda: (lambda s: s if value(s, "sqs_messages_visible", **labels) is None
                          and value(s, "sqs_messages_sent_total", **labels) is None else None)(scrape(metered.endpoint)))
    assert s, "the deleted queue's series are still there"


@pytest.mark.skipif(not POSTGRES_URL, reason="several nodes share a PostgreSQL store")
def test_two_nodes_report_the_same_queue_gauges(tmp_path):
    """The gauges are computed by one node and read from the store, so every node scrapes the
    same values (counters are each node's own, as Prometheus sums them across instances)."""
    nodes = [WharfServer(tmp_path / "data", tmp_path / f"node{i}.log", extra_args=["--gauge-interval", "1"]).start()
             for i in range(2)]
    try:
        sqs = make_client("json", nodes[0].endpoint)
        name = unique_name("two")
        _, expected = queue_in_three_states(sqs, name, visible=2)
        for node in nodes:
            assert gauges_reached(node.endpoint, queue_labels(name), expected), \
                f"{node.endpoint}: gauges never reached {expected}"
    finally:
        for node in nodes:
            node.stop()


def test_fifo_gauges_and_deduplication(metered):
    sqs = make_client("json", metered.endpoint)
    name = unique_name("f") + ".fifo"
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    for group in ("g1", "g2"):
        sqs.send_message(QueueUrl=url, MessageBody=group, MessageGroupId=group, MessageDeduplicationId=group)
    sqs.send_message(QueueUrl=url, MessageBody="dup", MessageGroupId="g1", MessageDeduplicationId="g1")
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    labels = queue_labels(name)
    s = wait_for(lambda: (lambda s: s if value(s, "sqs_groups_with_inflight_messages", **labels) == 1 else None)(
        scrape(metered.endpoint)))
    assert s, "sqs_groups_with_inflight_messages never reached 1"
    assert value(s, "sqs_deduplicated_sent_messages_total", **labels) == 1
    assert value(s, "sqs_messages_sent_total", **labels) == 2


def test_noisy_groups_of_a_fair_queue(metered):
    sqs = make_client("json", metered.endpoint)
    name = unique_name("fair")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    entries = lambda group, n: [{"Id": str(i), "MessageBody": "x", "MessageGroupId": group} for i in range(n)]
    for _ in range(4):
        sqs.send_message_batch(QueueUrl=url, Entries=entries("loud", 10))
    for group in ("quiet1", "quiet2", "quiet3"):
        sqs.send_message_batch(QueueUrl=url, Entries=entries(group, 1))
    labels = queue_labels(name)
    assert wait_for(lambda: value(scrape(metered.endpoint), "sqs_noisy_groups", **labels) == 1)


def test_server_gauges(metered):
    s = scrape(metered.endpoint)
    assert value(s, "wharf_connections_open") >= 1
    assert value(s, "wharf_long_polls_parked") == 0
    # The disk gauge is the data directory's; a PostgreSQL node has none.
    if not POSTGRES_URL:
        assert value(s, "wharf_disk_free_bytes") > 0
    assert value(s, "wharf_store_commit_duration_seconds_count") > 0


def non_loopback_address():
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_remote_callers_need_the_token(tmp_path):
    address = non_loopback_address()
    if not address:
        pytest.skip("this machine has no non-loopback address to call from")
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps({"accounts": [{"accountId": "000000000000",
                                               "keys": [{"accessKeyId": ACCESS_KEY, "secretAccessKey": SECRET_KEY}]}]}))
    srv = WharfServer(tmp_path / "data", tmp_path / "server.log", host="0.0.0.0",
                      extra_args=["--credentials-file", str(creds), "--metrics-token", "s3cret"]).start()
    try:
        remote = f"http://{address}:{srv.port}/metrics"
        assert requests.get(remote, timeout=5).status_code == 403
        assert requests.get(remote, headers={"Authorization": "Bearer wrong"}, timeout=5).status_code == 403
        assert requests.get(remote, headers={"Authorization": "Bearer s3cret"}, timeout=5).status_code == 200
        assert requests.get(srv.endpoint + "/metrics", timeout=5).status_code == 200  # loopback
    finally:
        srv.stop()
