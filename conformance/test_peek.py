"""PeekMessages, Wharf's extension operation (docs/console.md#peekmessages), over the wire.

boto3 cannot call an operation its model lacks, so the calls are raw JSON (and Query) requests,
signed with botocore's SigV4Auth on a server with credentials. Peeking must change nothing: a
message peeked and then received is received for the first time.
"""
import json

import pytest

from wharfutil import json_call, query_call, unique_name, xml_root, q, WharfServer


def peek(endpoint, url, **kw):
    r = json_call(endpoint, "PeekMessages", {"QueueUrl": url, **kw})
    assert r.status_code == 200, r.text
    return r.json()


def test_peek_changes_nothing_and_receive_afterwards_is_the_first(sqs, server):
    url = sqs.create_queue(QueueName=unique_name("peek"))["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody='{"a": 1}',
                     MessageAttributes={"Color": {"DataType": "String", "StringValue": "blue"}})
    sqs.send_message(QueueUrl=url, MessageBody="second")
    for _ in range(2):
        page = peek(server.endpoint, url)
        assert [m["Body"] for m in page["Messages"]] == ['{"a": 1}', "second"]
        first = page["Messages"][0]
        assert first["Attributes"]["ApproximateReceiveCount"] == "0"
        assert "ApproximateFirstReceiveTimestamp" not in first["Attributes"]
        assert first["Attributes"]["WharfState"] == "visible"
        assert first["MessageAttributes"]["Color"] == {"DataType": "String", "StringValue": "blue"}
        assert "NextToken" not in page
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert sorted(m["Body"] for m in got) == sorted(['{"a": 1}', "second"])
    assert all(m["Attributes"]["ApproximateReceiveCount"] == "1" for m in got)
    # In flight now: peek shows them so, and still does not make them visible.
    states = {m["Attributes"]["WharfState"] for m in peek(server.endpoint, url)["Messages"]}
    assert states == {"inFlight"}
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_peek_pages_and_limits(sqs, server):
    url = sqs.create_queue(QueueName=unique_name("peekpages"))["QueueUrl"]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(10)])
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"m{10 + i}"} for i in range(5)])
    bodies, token = [], None
    while True:
        page = peek(server.endpoint, url, MaxNumberOfMessages=4, **({"NextToken": token} if token else {}))
        bodies += [m["Body"] for m in page["Messages"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(bodies) == sorted(f"m{i}" for i in range(15)) and len(bodies) == 15
    for bad in (0, 101):
        r = json_call(server.endpoint, "PeekMessages", {"QueueUrl": url, "MaxNumberOfMessages": bad})
        assert r.status_code == 400
        assert r.headers["x-amzn-query-error"].startswith("InvalidParameterValue;")


def test_a_peek_handle_deletes_the_message(sqs, server):
    url = sqs.create_queue(QueueName=unique_name("peekdel"))["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="doomed")
    handle = peek(server.endpoint, url)["Messages"][0]["ReceiptHandle"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
    assert peek(server.endpoint, url)["Messages"] == []


def test_peek_in_the_query_protocol(sqs, server):
    url = sqs.create_queue(QueueName=unique_name("peekq"))["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="<xml & body>")
    r = query_call(server.endpoint, {"Action": "PeekMessages", "QueueUrl": url, "MaxNumberOfMessages": "1"})
    assert r.status_code == 200, r.text
    root = xml_root(r)
    assert root.tag == q("PeekMessagesResponse")
    assert root.find(f"{q('PeekMessagesResult')}/{q('Message')}/{q('Body')}").text == "<xml & body>"


def test_unknown_queue(server):
    r = json_call(server.endpoint, "PeekMessages", {"QueueUrl": server.queue_url(unique_name("none"))})
    assert r.status_code == 400
    assert r.headers["x-amzn-query-error"].startswith("AWS.SimpleQueueService.NonExistentQueue;")


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    d = tmp_path_factory.mktemp("peek-auth")
    creds = d / "credentials.json"
    creds.write_text(json.dumps({"accounts": [
        {"accountId": "111111111111", "keys": [{"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "peek-secret"}]}]}))
    server = WharfServer(d / "data", d / "server.log", extra_args=["--credentials-file", str(creds)]).start()
    yield server
    server.stop()


def test_peek_is_authenticated_like_every_operation(secured, monkeypatch):
    import wharfutil
    # Unsigned: refused before anything is read.
    r = json_call(secured.endpoint, "PeekMessages", {"QueueUrl": "q"}, sign=False)
    assert r.status_code == 403
    assert r.headers["x-amzn-query-error"].startswith("MissingAuthenticationToken;")
    # Signed with the configured key (botocore's SigV4Auth): the queue's messages.
    monkeypatch.setattr(wharfutil, "SECRET_KEY", "peek-secret")
    create = json_call(secured.endpoint, "CreateQueue", {"QueueName": "peeked"})
    assert create.status_code == 200, create.text
    url = create.json()["QueueUrl"]
    assert json_call(secured.endpoint, "SendMessage", {"QueueUrl": url, "MessageBody": "hi"}).status_code == 200
    r = json_call(secured.endpoint, "PeekMessages", {"QueueUrl": url})
    assert r.status_code == 200, r.text
    assert [m["Body"] for m in r.json()["Messages"]] == ["hi"]
    # A wrong secret: SQS's answer.
    monkeypatch.setattr(wharfutil, "SECRET_KEY", "wrong")
    r = json_call(secured.endpoint, "PeekMessages", {"QueueUrl": url})
    assert r.status_code == 403
    assert r.headers["x-amzn-query-error"].startswith("SignatureDoesNotMatch;")
