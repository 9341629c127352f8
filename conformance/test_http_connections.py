"""HTTP/1.1 connection handling, which the server's own channel handler owns: keep-alive,
pipelined requests answered in order, `Connection: close`, a client that half-closes after
its request, Content-Length and Date on every reply.
"""
import email.utils
import socket
import time

import requests

from wharfutil import json_call, unique_name


def read_replies(sock, count, timeout=5):
    """Reads `count` HTTP responses (Content-Length framed) from a socket."""
    sock.settimeout(timeout)
    data, replies = b"", []
    while len(replies) < count:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {len(replies)} replies: {data[:200]!r}"
            data += chunk
        head, data = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        length = int(headers["content-length"])
        while len(data) < length:
            chunk = sock.recv(65536)
            assert chunk, "connection closed inside a body"
            data += chunk
        replies.append((lines[0], headers, data[:length]))
        data = data[length:]
    return replies, data


def closed_by_server(sock, timeout=5):
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def json_request(target, body, extra=b""):
    body = body.encode()
    return (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
            b"X-Amz-Target: AmazonSQS." + target.encode() + b"\r\n" + extra +
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def test_pipelined_requests_are_answered_in_order(node):
    name = unique_name("pipe")
    assert json_call(node.endpoint, "CreateQueue", {"QueueName": name}).status_code == 200
    url = f"{node.endpoint}/000000000000/{name}"
    sends = [json_request("SendMessage", '{"QueueUrl": "%s", "MessageBody": "m%d"}' % (url, i)) for i in range(5)]
    with socket.create_connection(("127.0.0.1", node.port)) as sock:
        # All five in one write: the server must answer them one after the other, in order.
        sock.sendall(b"".join(sends) + b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        replies, rest = read_replies(sock, 6)
    assert [status for status, _, _ in replies] == ["HTTP/1.1 200 OK"] * 6
    assert all(b"MessageId" in body for _, _, body in replies[:5])
    assert replies[5][2] == b"ok\n" and rest == b""
    r = json_call(node.endpoint, "GetQueueAttributes",
                  {"QueueUrl": url, "AttributeNames": ["ApproximateNumberOfMessages"]})
    assert r.json()["Attributes"]["ApproximateNumberOfMessages"] == "5"


def test_keep_alive_serves_many_requests_on_one_connection(node):
    with socket.create_connection(("127.0.0.1", node.port)) as sock:
        for _ in range(20):
            sock.sendall(json_request("ListQueues", "{}"))
            [(status, headers, _)], _ = read_replies(sock, 1)
            assert status == "HTTP/1.1 200 OK"
            assert headers.get("connection", "").lower() != "close"


def test_connection_close_is_honoured(node):
    with socket.create_connection(("127.0.0.1", node.port)) as sock:
        sock.sendall(json_request("ListQueues", "{}", extra=b"Connection: close\r\n"))
        [(status, headers, _)], _ = read_replies(sock, 1)
        assert status == "HTTP/1.1 200 OK"
        assert headers["connection"].lower() == "close"
        assert closed_by_server(sock)


def test_half_closed_client_still_gets_its_reply(node):
    with socket.create_connection(("127.0.0.1", node.port)) as sock:
        sock.sendall(json_request("ListQueues", "{}"))
        sock.shutdown(socket.SHUT_WR)
        [(status, _, body)], _ = read_replies(sock, 1)
        assert status == "HTTP/1.1 200 OK" and body.startswith(b"{")
        assert closed_by_server(sock)


def test_half_closed_idle_connection_is_closed(node):
    with socket.create_connection(("127.0.0.1", node.port)) as sock:
        sock.shutdown(socket.SHUT_WR)
        assert closed_by_server(sock)


def test_replies_carry_length_and_a_current_date(node):
    r = requests.post(node.endpoint + "/", data="{}", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"})
    assert r.status_code == 200
    assert int(r.headers["Content-Length"]) == len(r.content)
    date = email.utils.parsedate_to_datetime(r.headers["Date"])
    assert abs(date.timestamp() - time.time()) < 5
    assert r.headers["Date"].endswith(" GMT")


def test_idle_connections_are_closed_but_long_polls_are_not(tmp_path):
    from wharfutil import WharfServer
    server = WharfServer(tmp_path / "idle", tmp_path / "idle.log", extra_args=["--idle-timeout", "1"]).start()
    try:
        with socket.create_connection(("127.0.0.1", server.port)) as idle:
            started = time.monotonic()
            assert closed_by_server(idle, timeout=10)
            assert 0.5 < time.monotonic() - started < 5
        name = unique_name("idle")
        url = json_call(server.endpoint, "CreateQueue", {"QueueName": name}).json()["QueueUrl"]
        with socket.create_connection(("127.0.0.1", server.port)) as polling:
            # A 3-second long poll outlasts the 1-second idle timeout and still gets its answer.
            polling.sendall(json_request("ReceiveMessage", '{"QueueUrl": "%s", "WaitTimeSeconds": 3}' % url))
            started = time.monotonic()
            [(status, _, body)], _ = read_replies(polling, 1, timeout=10)
            assert status == "HTTP/1.1 200 OK" and body == b"{}"
            assert time.monotonic() - started > 2.5
    finally:
        server.stop()
