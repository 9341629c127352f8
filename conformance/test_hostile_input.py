"""Hostile input: oversized, malformed and adversarial requests get a clear 4xx SQS error, the
server stays up, and nothing changes.
"""
import socket
import time

import pytest
import requests

from wharfutil import json_call, query_call, signed_request, unique_name


def queue_count(node):
    r = json_call(node.endpoint, "ListQueues", {})
    return len(r.json().get("QueueUrls", []))


def still_alive(node):
    assert requests.get(node.endpoint + "/health", timeout=5).status_code == 200


def test_oversized_body_refused_before_buffering(node):
    # Declared larger than the 4 MiB cap: answered without reading the body.
    with socket.create_connection(("127.0.0.1", node.port), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
                     b"X-Amz-Target: AmazonSQS.ListQueues\r\nContent-Length: 100000000\r\n\r\n{")
        response = sock.recv(4096)
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    still_alive(node)


def test_oversized_chunked_body_is_413(node):
    def chunks():
        block = b"x" * (1 << 20)
        for _ in range(6):
            yield block
    r = requests.post(node.endpoint + "/", data=chunks(), timeout=30, headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"})
    assert r.status_code == 413
    still_alive(node)


@pytest.mark.parametrize("body", [
    b"{\"QueueName\": \"\xff\xfe\"}",                      # invalid UTF-8
    b"[" * 100000 + b"]" * 100000,                          # deep nesting
    b"{\"QueueName\": 1e400}",
    b"{\"QueueName\": 123456789012345678901234567890}",   # huge number where a string belongs
    rb'{"QueueName": "a\u0000b"}',
], ids=["invalid-utf8", "deep-nesting", "huge-float", "huge-int", "nul-in-name"])
def test_malformed_json_is_a_client_error(node, body):
    before = queue_count(node)
    r = json_call(node.endpoint, "CreateQueue", None, raw_body=body)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert "__type" in r.json()
    assert queue_count(node) == before
    still_alive(node)


@pytest.mark.parametrize("value", ["1e400", "99999999999999999999999", "1.5", "-0.0e-999"])
def test_out_of_range_numbers_in_integer_members(node, value):
    r = json_call(node.endpoint, "ListQueues", None, raw_body='{"MaxResults": %s}' % value)
    assert r.status_code == 400, r.text
    assert "__type" in r.json()


def test_duplicate_json_keys_never_crash(node):
    name = unique_name("dup")
    body = f'{{"QueueName": "{name}", "QueueName": "{name}"}}'
    r = json_call(node.endpoint, "CreateQueue", None, raw_body=body)
    assert r.status_code in (200, 400), r.text
    still_alive(node)


@pytest.mark.parametrize("form", [
    "Action=CreateQueue&QueueName=%ff%fe", "Action=CreateQueue&QueueName=%zz", "Action=CreateQueue&QueueName=%",
    "Action=SendMessage&QueueUrl=x&DelaySeconds=99999999999999999999&MessageBody=a",
], ids=["invalid-utf8", "bad-escape", "truncated-escape", "huge-int"])
def test_malformed_form_is_a_client_error(node, form):
    before = queue_count(node)
    r = signed_request("POST", node.endpoint + "/", form,
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert "<ErrorResponse" in r.text
    assert queue_count(node) == before


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_xml_unsafe_body_characters_rejected(node, protocol):
    name = unique_name("unsafe")
    url = json_call(node.endpoint, "CreateQueue", {"QueueName": name}).json()["QueueUrl"]
    if protocol == "json":
        r = json_call(node.endpoint, "SendMessage", {"QueueUrl": url, "MessageBody": "a\u0001b"})
        assert r.headers["x-amzn-query-error"].startswith("InvalidMessageContents")
    else:
        r = query_call(node.endpoint, {"Action": "SendMessage", "QueueUrl": url, "MessageBody": "a\u0001b"})
        assert "<Code>InvalidMessageContents</Code>" in r.text
    assert r.status_code == 400
    attrs = json_call(node.endpoint, "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["All"]}).json()
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_silent_connection_does_not_block_others(node):
    with socket.create_connection(("127.0.0.1", node.port), timeout=10):
        time.sleep(0.2)
        still_alive(node)


def _health_over(sock):
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    return sock.recv(4096)


def test_connections_beyond_the_limit_are_closed(tmp_path):
    from wharfutil import WharfServer
    server = WharfServer(tmp_path / "limited", tmp_path / "limited.log", extra_args=["--max-connections", "3"]).start()
    try:
        time.sleep(0.5)
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(6)]
        answers = []
        for sock in held:
            try:
                answers.append(_health_over(sock))
            except (ConnectionResetError, BrokenPipeError):
                answers.append(b"")
        served = sum(a.startswith(b"HTTP/1.1 200") for a in answers)
        # At most 3 at once (the start-up health check may still hold one of them).
        assert 1 <= served <= 3, answers
        for sock in held:
            sock.close()
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as again:
            assert _health_over(again).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()


def test_oversized_header_is_refused(node):
    with socket.create_connection(("127.0.0.1", node.port), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (32 * 1024) + b"\r\n\r\n")
        try:
            answer = sock.recv(4096)
        except ConnectionResetError:
            answer = b""
    assert not answer.startswith(b"HTTP/1.1 200")
    still_alive(node)
