"""SIGTERM: parked long polls answered empty at once, requests in progress finished, exit 0,
nothing acknowledged lost. And the log lines: JSON objects that carry the request id the
caller got in `x-amzn-RequestId`, the operation, the queue, the status and the latency."""

from __future__ import annotations

import json
import signal
import threading
import time

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError, ConnectionClosedError

from wharfutil import ACCESS_KEY, SECRET_KEY, WharfServer, unique_name


def client(endpoint):
    # One client per thread (boto3 clients are not shared across threads here), no retries:
    # what the server answered is what the test sees.
    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=30))


def parked(srv):
    text = requests.get(f"{srv.endpoint}/metrics", timeout=5).text
    for line in text.splitlines():
        if line.startswith("wharf_long_polls_parked"):
            return float(line.split()[-1])
    return 0.0


def test_sigterm_answers_parked_long_polls_and_loses_nothing(tmp_path):
    srv = WharfServer(tmp_path / "data", tmp_path / "server.log").start()
    sqs = client(srv.endpoint)
    url = sqs.create_queue(QueueName=unique_name("drain"))["QueueUrl"]
    polled = []

    def long_poll():
        c = client(srv.endpoint)
        started = time.monotonic()
        r = c.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        polled.append((time.monotonic() - started, r.get("Messages", [])))

    acked, stop = [], threading.Event()

    def send():
        c = client(srv.endpoint)
        i = 0
        while not stop.is_set():
            try:
                c.send_message(QueueUrl=url, MessageBody=f"m{i}")
                acked.append(f"m{i}")
            except (ClientError, EndpointConnectionError, ConnectionClosedError, Exception):  # noqa: BLE001
                break  # refused or cut: not acknowledged, may or may not be stored
            i += 1

    pollers = [threading.Thread(target=long_poll) for _ in range(5)]
    for t in pollers:
        t.start()
    deadline = time.monotonic() + 10
    while parked(srv) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert parked(srv) == 5
    # The long polls are parked on an empty queue; now a sender keeps the server busy. Any
    # message it sends may wake a poller; wait for all five to be parked again is racy, so
    # only the pollers parked at SIGTERM time are judged by the clock below.
    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.3)
    signalled = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    for t in pollers:
        t.join(10)
    answered = time.monotonic() - signalled
    stop.set()
    sender.join(10)
    rc = srv.proc.wait(15)
    exited = time.monotonic() - signalled
    srv.proc = None
    srv._close_log()

    assert rc == 0, srv.log_tail()
    assert len(polled) == 5
    assert answered < 2.0, f"parked long polls answered {answered:.2f} s after SIGTERM"
    assert exited < 5.0, f"exited {exited:.2f} s after SIGTERM"
    assert "parked long poll(s) answered empty" in srv.log_tail()
    assert acked, "the sender got nothing acknowledged before the shutdown"

    # Every acknowledged send is there after a restart (or was handed to a long poll).
    handed = {m["Body"] for _, messages in polled for m in messages}
    srv.start()
    sqs = client(srv.endpoint)
    stored = set()
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=300).get("Messages", [])
        if not messages:
            break
        stored.update(m["Body"] for m in messages)
    assert set(acked) - stored - handed == set()
    srv.stop()


def test_json_log_lines_carry_the_request_id_and_what_was_done(tmp_path):
    srv = WharfServer(tmp_path / "data", tmp_path / "server.log",
                      extra_args=["--log-format", "json", "--access-log"]).start()
    try:
        sqs = client(srv.endpoint)
        name = unique_name("logs")
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        sent = sqs.send_message(QueueUrl=url, MessageBody="hello")
        request_id = sent["ResponseMetadata"]["RequestId"]
        failed_id = None
        try:
            sqs.get_queue_url(QueueName=unique_name("missing"))
        except ClientError as e:
            failed_id = e.response["ResponseMetadata"]["RequestId"]
        assert failed_id
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and failed_id not in srv.log_tail():
            time.sleep(0.05)
    finally:
        assert srv.stop() == 0
    lines = [line for line in srv.log_path.read_text().splitlines() if line and not line.startswith("=====")]
    objects = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "message"} <= set(o) for o in objects)
    by_id = {o.get("request_id"): o for o in objects if o.get("request_id")}
    line = by_id[request_id]
    assert line["operation"] == "SendMessage"
    assert line["queue"] == name
    assert line["status"] == "200"
    assert float(line["latency_ms"]) >= 0
    failure = by_id[failed_id]
    assert failure["operation"] == "GetQueueUrl"
    assert failure["status"] == "400"
    assert failure["error"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert "cause" in failure
