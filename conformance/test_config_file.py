"""`wharf serve --config wharf.yaml`: declared queues created at start and on SIGHUP, attributes
and tags updated when they differ, nothing deleted; a bad file refused with its line (at start:
the server does not start; on SIGHUP: the configuration in force stays)."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import threading
import time

import pytest

from conftest import get_client
from wharfutil import ACCOUNT, POSTGRES_URL, WharfServer, store_args, unique_name, wharf_binary


def write(path, text):
    path.write_text(text)
    return path


def declared(names, extra=""):
    """A file declaring a source queue with its dead-letter queue declared *after* it."""
    source, dlq = names
    return f"""\
server:
  log-level: info
queues:
  - name: {source}
    attributes:
      VisibilityTimeout: 45
      MessageRetentionPeriod: 86400
    dead-letter: {{ queue: {dlq}, max-receive-count: 3 }}
    tags: {{ team: payments }}
  - name: {dlq}
{extra}"""


def wait_for_log(srv, text, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in srv.log_tail():
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in the server log:\n{srv.log_tail()}")


def attributes(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


@pytest.fixture
def names():
    return unique_name("cfg"), unique_name("cfg-dlq")


def start(tmp_path, config, name="cfg"):
    srv = WharfServer(tmp_path / f"{name}-data", tmp_path / f"{name}.log", extra_args=["--config", str(config)])
    return srv.start()


@contextlib.contextmanager
def serving_declared(tmp_path, names):
    """A server started with the file declaring `names`: (server, the file, a client, the source's URL)."""
    config = write(tmp_path / "wharf.yaml", declared(names))
    srv = start(tmp_path, config)
    try:
        sqs = get_client("json", srv.endpoint)
        yield srv, config, sqs, sqs.get_queue_url(QueueName=names[0])["QueueUrl"]
    finally:
        srv.stop()


def test_declared_queues_are_created_at_start_dead_letter_first(tmp_path, names):
    source, dlq = names
    with serving_declared(tmp_path, names) as (srv, _, sqs, url):
        attrs = attributes(sqs, url)
        assert attrs["VisibilityTimeout"] == "45"
        assert attrs["MessageRetentionPeriod"] == "86400"
        assert json.loads(attrs["RedrivePolicy"]) == {
            "deadLetterTargetArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:{dlq}", "maxReceiveCount": 3}
        assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "payments"}
        dlq_url = sqs.get_queue_url(QueueName=dlq)["QueueUrl"]
        assert sqs.list_dead_letter_source_queues(QueueUrl=dlq_url)["queueUrls"] == [url]
        wait_for_log(srv, "2 created")


def test_sighup_updates_what_differs_and_deletes_nothing(tmp_path, names):
    source, dlq = names
    with serving_declared(tmp_path, names) as (srv, config, sqs, url):
        sqs.send_message(QueueUrl=url, MessageBody="kept")
        # Set by hand, not in the file: the file never removes it.
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "0", "ReceiveMessageWaitTimeSeconds": "2"})
        sqs.tag_queue(QueueUrl=url, Tags={"owner": "ops"})
        extra_queue = unique_name("cfg-extra")
        other = sqs.create_queue(QueueName=unique_name("cfg-undeclared"))["QueueUrl"]

        # Nothing differs: nothing is written.
        srv.proc.send_signal(signal.SIGHUP)
        wait_for_log(srv, "SIGHUP: declared queues")
        assert "0 created, 0 updated, 2 unchanged" in srv.log_tail()

        text = declared(names, extra=f"  - name: {extra_queue}\n").replace("VisibilityTimeout: 45", "VisibilityTimeout: 90")
        write(config, text.replace("team: payments", "team: billing"))
        srv.proc.send_signal(signal.SIGHUP)
        wait_for_log(srv, f"1 created ({extra_queue}), 1 updated ({source})")

        attrs = attributes(sqs, url)
        assert attrs["VisibilityTimeout"] == "90"
        assert attrs["ReceiveMessageWaitTimeSeconds"] == "2"
        assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "billing", "owner": "ops"}
        assert sqs.get_queue_url(QueueName=extra_queue)["QueueUrl"]
        assert sqs.get_queue_attributes(QueueUrl=other, AttributeNames=["QueueArn"])  # still there
        assert attrs["ApproximateNumberOfMessages"] == "1"  # messages survive

        # Removed from the file: the queue stays.
        write(config, declared(names))
        srv.proc.send_signal(signal.SIGHUP)
        wait_for_log(srv, "0 created, 1 updated")
        assert sqs.get_queue_url(QueueName=extra_queue)["QueueUrl"]


@pytest.mark.parametrize("mistake, line, reason", [
    ("  - nme: oops\n", 11, "unknown key nme in a queue"),
    ("  - name: bad\n    attributes: { VisibilityTimeout: 99999 }\n", 11, "queue bad: Invalid value for the parameter VisibilityTimeout"),
    ("  - name: orphan\n    dead-letter: { queue: nowhere, max-receive-count: 2 }\n", 11,
     "dead-letter queue nowhere of orphan is not declared in this file"),
    ("  - name: [unclosed\n", 12, "is not valid YAML"),
])
def test_a_bad_file_is_refused_at_start_with_its_line(tmp_path, names, mistake, line, reason):
    config = write(tmp_path / "bad.yaml", declared(names, extra=mistake))
    data = tmp_path / "data"
    result = subprocess.run(
        [str(wharf_binary()), "serve", "--config", str(config), "--port", "1", "--data-dir", str(data),
         *store_args(data)],
        capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert f"{config}:{line}: " in result.stderr, result.stderr
    assert reason in result.stderr, result.stderr


def test_a_bad_file_on_sighup_keeps_the_configuration_in_force(tmp_path, names):
    source, _ = names
    with serving_declared(tmp_path, names) as (srv, config, sqs, url):
        # Half the file would change the queue; the other half is wrong: nothing is applied.
        write(config, declared(names, extra="  - name: x\n    attributes: { DelaySeconds: -1 }\n")
              .replace("VisibilityTimeout: 45", "VisibilityTimeout: 90"))
        srv.proc.send_signal(signal.SIGHUP)
        wait_for_log(srv, "configuration refused, the previous one stays in force")
        assert f"{config}:11: queue x: " in srv.log_tail()
        assert attributes(sqs, url)["VisibilityTimeout"] == "45"
        assert srv.proc.poll() is None
        # The server still serves, and a fixed file applies.
        write(config, declared(names).replace("VisibilityTimeout: 45", "VisibilityTimeout: 90"))
        srv.proc.send_signal(signal.SIGHUP)
        wait_for_log(srv, f"1 updated ({source})")
        assert attributes(sqs, url)["VisibilityTimeout"] == "90"


def test_restart_with_the_file_keeps_the_messages(tmp_path, names):
    source, dlq = names
    with serving_declared(tmp_path, names) as (srv, config, sqs, url):
        for i in range(5):
            sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
        assert srv.stop() == 0
        srv.start()
        sqs = get_client("json", srv.endpoint)
        wait_for_log(srv, "0 created, 0 updated, 2 unchanged")
        url = sqs.get_queue_url(QueueName=source)["QueueUrl"]
        bodies = set()
        for _ in range(10):
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                bodies.add(m["Body"])
            if len(bodies) == 5:
                break
        assert bodies == {f"m{i}" for i in range(5)}


def test_flags_win_over_the_environment_which_wins_over_the_file(tmp_path, names, monkeypatch):
    config = write(tmp_path / "wharf.yaml", declared(names).replace(
        "server:\n", "server:\n  account-id: '111111111111'\n  default-region: eu-west-1\n"))
    monkeypatch.setenv("WHARF_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("WHARF_ACCOUNT_ID", "333333333333")
    srv = WharfServer(tmp_path / "data", tmp_path / "layers.log",
                      extra_args=["--config", str(config), "--account-id", "222222222222"]).start()
    try:
        source, _ = names
        sqs = get_client("json", srv.endpoint, region="ap-south-1")
        # The declared queue went to the flag's account and the environment's region.
        arn = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        assert arn == f"arn:aws:sqs:ap-south-1:222222222222:{source}"
    finally:
        srv.stop()


@pytest.mark.skipif(not POSTGRES_URL, reason="several nodes share a PostgreSQL store")
def test_two_nodes_applying_one_file_at_once_agree(tmp_path, names):
    source, dlq = names
    many = "".join(f"  - name: {source}-{i}\n    attributes: {{ DelaySeconds: {i % 10} }}\n" for i in range(30))
    config = write(tmp_path / "wharf.yaml", declared(names, extra=many))
    shared = tmp_path / "shared-data"
    nodes = [WharfServer(shared, tmp_path / f"node{i}.log", extra_args=["--config", str(config)]) for i in range(2)]
    threads = [threading.Thread(target=n.start) for n in nodes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        for n in nodes:
            assert n.proc.poll() is None, n.log_tail()
        sqs = get_client("json", nodes[1].endpoint)
        urls = sqs.list_queues(QueueNamePrefix=source, MaxResults=100)["QueueUrls"]
        assert len(urls) == 31
        assert attributes(sqs, f"{source}-7")["DelaySeconds"] == "7"
        for n in nodes:
            n.proc.send_signal(signal.SIGHUP)
        for n in nodes:
            wait_for_log(n, "SIGHUP: declared queues")
            assert "refused" not in n.log_tail() and "not applied" not in n.log_tail()
    finally:
        for n in nodes:
            n.stop()
