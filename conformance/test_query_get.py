"""The Query API over GET, as raw HTTP: what SQS answers a GET of a queue URL, with and without
an `Action` (docs/sqs-behaviour.md#dispatch, #xml-responses).

AWS's bodies here are recorded by other projects' suites run against real SQS **[A]**: an empty
receive is `<ReceiveMessageResult/>`, and a GET of a queue URL without `Action` is HTTP 404 with
the body `<UnknownOperationException/>` (text/xml) — no `<ErrorResponse>` envelope, and XML even
when the caller asks for JSON.
"""

import pytest

from wharfutil import ACCOUNT, md5_hex, q, query_call, signed_request, unique_name, xml_root


@pytest.mark.parametrize("version", [True, False], ids=["with-version", "without-version"])
def test_empty_receive_over_get_is_an_empty_receive_message_result_element(server, qurl, version):
    # [A] an empty receive is `<ReceiveMessageResult/>` (SQS does not insist on Version for GETs).
    name, _ = qurl
    params = {"Action": "ReceiveMessage", **({"Version": "2012-11-05"} if version else {})}
    r = query_call(server.endpoint, params, path=f"/{ACCOUNT}/{name}", method="GET")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/xml")
    assert b"<ReceiveMessageResult/>" in r.content, r.content
    root = xml_root(r)
    assert root.tag == q("ReceiveMessageResponse")
    assert list(root.find(q("ReceiveMessageResult"))) == []


def test_message_sent_over_get_is_received_over_get(server, qurl):
    # [A] `GET <queue-url>?Action=SendMessage&MessageBody=…` works, and so does the receive.
    name, _ = qurl
    path = f"/{ACCOUNT}/{name}"
    sent = query_call(server.endpoint, {"Action": "SendMessage", "MessageBody": "over get"}, path=path,
                      method="GET")
    assert sent.status_code == 200, sent.text
    r = query_call(server.endpoint, {"Action": "ReceiveMessage"}, path=path, method="GET")
    assert r.status_code == 200, r.text
    message = xml_root(r).find(f"{q('ReceiveMessageResult')}/{q('Message')}")
    assert message.find(q("Body")).text == "over get"
    assert message.find(q("MD5OfBody")).text == md5_hex("over get")


@pytest.mark.parametrize("accept", [None, "application/json", "application/xml"],
                         ids=["no-accept", "accept-json", "accept-xml"])
def test_get_of_queue_url_without_action_is_404_unknown_operation(server, qurl, accept):
    # [A] 404, body `<UnknownOperationException/>` as text/xml, whatever the caller accepts.
    name, _ = qurl
    headers = {"Accept": accept} if accept else {}
    r = signed_request("GET", f"{server.endpoint}/{ACCOUNT}/{name}", headers=headers)
    assert r.status_code == 404, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("text/xml")
    assert r.text == "<UnknownOperationException/>"
    assert xml_root(r).tag == "UnknownOperationException"


def test_get_of_a_queue_url_nobody_created_is_unknown_operation_too(server):
    # [U] the answer does not depend on the queue: without an Action there is nothing to look up
    # (Wharf's choice; AWS's answer for a queue that does not exist is not recorded).
    r = signed_request("GET", f"{server.endpoint}/{ACCOUNT}/{unique_name('never')}",
                       headers={"Accept": "application/json"})
    assert r.status_code == 404, (r.status_code, r.text)
    assert r.text == "<UnknownOperationException/>"
