"""Raw HTTP: dispatching, envelopes, error shapes and escaping (docs/sqs-behaviour.md#wire-protocols).

Requests are SigV4-signed with botocore's signer (the server takes the region from the
credential scope) but otherwise hand-built.
"""

import json
import xml.etree.ElementTree as ET

import pytest

from wharfutil import (
    ACCOUNT, XMLNS, json_call, md5_hex, q, query_call, signed_request, unique_name, xml_root,
)


def _json_error(r):
    assert r.headers.get("Content-Type", "").startswith("application/x-amz-json-1.0"), r.headers
    body = r.json()
    assert "__type" in body, body
    return body


# ------------------------------------------------------------------------------- JSON

def test_json_success_envelope(server):
    name = unique_name("env")
    r = json_call(server.endpoint, "CreateQueue", {"QueueName": name})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/x-amz-json-1.0")
    assert r.headers.get("x-amzn-RequestId")
    assert r.json() == {"QueueUrl": f"{server.endpoint}/{ACCOUNT}/{name}"}


def test_json_error_envelope_nonexistent_queue(server):
    r = json_call(server.endpoint, "GetQueueUrl", {"QueueName": unique_name("nope")})
    assert r.status_code == 400
    assert r.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"
    assert r.headers.get("x-amzn-RequestId")
    body = _json_error(r)
    assert body["__type"] == "com.amazonaws.sqs#QueueDoesNotExist"
    assert body["message"] == "The specified queue does not exist."


def test_json_error_queue_name_exists(server):
    name = unique_name("exists")
    json_call(server.endpoint, "CreateQueue", {"QueueName": name,
                                               "Attributes": {"DelaySeconds": "1"}})
    r = json_call(server.endpoint, "CreateQueue", {"QueueName": name,
                                                   "Attributes": {"DelaySeconds": "2"}})
    assert r.status_code == 400
    assert r.headers["x-amzn-query-error"] == "QueueAlreadyExists;Sender"
    assert _json_error(r)["__type"] == "com.amazonaws.sqs#QueueNameExists"


def test_json_error_invalid_parameter_value_type(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 11})
    assert r.status_code == 400
    assert r.headers["x-amzn-query-error"] == "InvalidParameterValue;Sender"
    body = _json_error(r)
    # botocore strips everything up to '#': the suffix carries the shape name
    assert body["__type"].endswith("#InvalidParameterValueException")
    assert body["message"] == ("Value 11 for parameter MaxNumberOfMessages is invalid. Reason: "
                               "Must be between 1 and 10, if provided.")


def test_json_error_receipt_handle_invalid_is_404(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": "garbage"})
    assert r.status_code == 404
    assert r.headers["x-amzn-query-error"] == "ReceiptHandleIsInvalid;Sender"
    assert _json_error(r)["__type"] == "com.amazonaws.sqs#ReceiptHandleIsInvalid"


def test_json_unknown_operation(server):
    r = json_call(server.endpoint, "FooBar", {})
    assert r.status_code == 400
    assert r.headers.get("x-amzn-query-error", "").startswith("InvalidAction"), r.headers
    _json_error(r)


@pytest.mark.parametrize("body", ["{not json", "", "[1, 2]", "\"a string\"", "{\"QueueName\": "],
                         ids=["garbage", "empty", "array", "string", "truncated"])
def test_json_malformed_body(server, body):
    r = json_call(server.endpoint, "CreateQueue", None, raw_body=body)
    assert r.status_code == 400, (r.status_code, r.text)
    _json_error(r)


@pytest.mark.parametrize("payload", [
    {"QueueName": 5}, {"QueueName": ["a"]}, {"QueueName": "x", "Attributes": "notamap"},
    {"QueueName": "x", "Attributes": {"DelaySeconds": 5}},
], ids=["int-name", "list-name", "string-attrs", "int-attr-value"])
def test_json_wrong_types(server, payload):
    r = json_call(server.endpoint, "CreateQueue", payload)
    assert r.status_code == 400, (r.status_code, r.text)
    _json_error(r)


def test_json_missing_required_parameter(server):
    r = json_call(server.endpoint, "CreateQueue", {})
    assert r.status_code == 400
    assert r.headers["x-amzn-query-error"].startswith("MissingParameter;"), r.headers
    _json_error(r)


def test_json_send_missing_body_is_missing_parameter(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "SendMessage", {"QueueUrl": url})
    assert r.status_code == 400
    assert r.headers["x-amzn-query-error"] == "MissingParameter;Sender"
    assert r.json()["message"] == "The request must contain the parameter MessageBody."


def test_json_empty_receive_is_empty_object(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "ReceiveMessage", {"QueueUrl": url})
    assert r.status_code == 200
    assert r.json() == {}


def test_json_successful_batch_has_no_failed_key(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "SendMessageBatch", {"QueueUrl": url, "Entries": [
        {"Id": "a", "MessageBody": "x"}]})
    assert r.status_code == 200
    body = r.json()
    assert "Failed" not in body
    assert [e["Id"] for e in body["Successful"]] == ["a"]


def test_json_no_output_operation_returns_empty_object(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "TagQueue", {"QueueUrl": url, "Tags": {"k": "v"}})
    assert r.status_code == 200
    assert r.content.strip() in (b"", b"{}")


def test_json_attributes_are_strings(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "GetQueueAttributes", {"QueueUrl": url,
                                                          "AttributeNames": ["All"]})
    attrs = r.json()["Attributes"]
    assert all(isinstance(v, str) for v in attrs.values()), attrs


def test_json_posted_to_queue_url_path(qurl, server):
    # PHP SDK style: JSON posted to the queue URL's path (docs/sqs-behaviour.md#dispatch [A]).
    name, url = qurl
    r = json_call(server.endpoint, "SendMessage", {"QueueUrl": url, "MessageBody": "php"},
                  path=f"/{ACCOUNT}/{name}")
    assert r.status_code == 200, r.text
    assert r.json()["MD5OfMessageBody"] == md5_hex("php")


def test_json_without_query_mode_header(qurl, server):
    # Other SDKs do not send x-amzn-query-mode; errors still carry the query code header.
    r = json_call(server.endpoint, "GetQueueUrl", {"QueueName": unique_name("nope")})
    assert "x-amzn-query-error" in r.headers


def test_json_compact_body_and_unicode_escapes(qurl, server):
    _, url = qurl
    raw = json.dumps({"QueueUrl": url, "MessageBody": "caf\u00e9 \U0001f389 \"q\""},
                     separators=(",", ":"), ensure_ascii=True)
    r = json_call(server.endpoint, "SendMessage", None, raw_body=raw)
    assert r.status_code == 200, r.text
    assert r.json()["MD5OfMessageBody"] == md5_hex("caf\u00e9 \U0001f389 \"q\"")


def test_json_binary_attribute_base64(qurl, server):
    _, url = qurl
    r = json_call(server.endpoint, "SendMessage", {
        "QueueUrl": url, "MessageBody": "Hello from SQS",
        "MessageAttributes": {
            "City": {"DataType": "String", "StringValue": "Any City"},
            "Count": {"DataType": "Number.int", "StringValue": "42"},
            "Blob": {"DataType": "Binary", "BinaryValue": "AAEC"}},
        "MessageSystemAttributes": {"AWSTraceHeader": {
            "DataType": "String",
            "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["MD5OfMessageBody"] == "c7a5a80bb4b8f56b68b7786e692e4a8b"
    assert body["MD5OfMessageAttributes"] == "27f137935bc9d60f824ed82d6a69fba1"
    assert body["MD5OfMessageSystemAttributes"] == "5f48eef650c1d0207456969c85af2fdd"
    r = json_call(server.endpoint, "ReceiveMessage", {"QueueUrl": url,
                                                      "MessageAttributeNames": ["All"]})
    m = r.json()["Messages"][0]
    assert m["MessageAttributes"]["Blob"] == {"DataType": "Binary", "BinaryValue": "AAEC"}
    assert m["MD5OfMessageAttributes"] == "27f137935bc9d60f824ed82d6a69fba1"


# ------------------------------------------------------------------------------- Query

def _query_error(r, code, status=400, type_="Sender"):
    assert r.status_code == status, (r.status_code, r.text)
    root = xml_root(r)
    assert root.tag == q("ErrorResponse"), r.text
    children = list(root)
    assert [c.tag for c in children] == [q("Error"), q("RequestId")], r.text
    err = children[0]
    tags = [c.tag for c in err]
    assert tags[:3] == [q("Type"), q("Code"), q("Message")], r.text
    assert q("Detail") in tags
    assert err.find(q("Type")).text == type_
    assert err.find(q("Code")).text == code
    assert root.find(q("RequestId")).text
    return err.find(q("Message")).text


def test_query_success_envelope(server):
    name = unique_name("qenv")
    r = query_call(server.endpoint, {"Action": "CreateQueue", "Version": "2012-11-05",
                                     "QueueName": name})
    assert r.status_code == 200, r.text
    assert r.headers.get("x-amzn-RequestId")
    root = xml_root(r)
    assert root.tag == q("CreateQueueResponse")
    assert root.find(f"{q('CreateQueueResult')}/{q('QueueUrl')}").text == \
        f"{server.endpoint}/{ACCOUNT}/{name}"
    assert root.find(f"{q('ResponseMetadata')}/{q('RequestId')}").text


def test_query_no_output_operation_has_no_result_element(qurl, server):
    _, url = qurl
    r = query_call(server.endpoint, {"Action": "PurgeQueue", "Version": "2012-11-05",
                                     "QueueUrl": url})
    assert r.status_code == 200, r.text
    root = xml_root(r)
    assert root.tag == q("PurgeQueueResponse")
    assert [c.tag for c in root] == [q("ResponseMetadata")]


def test_query_error_envelope(server):
    r = query_call(server.endpoint, {"Action": "GetQueueUrl", "Version": "2012-11-05",
                                     "QueueName": unique_name("nope")})
    msg = _query_error(r, "AWS.SimpleQueueService.NonExistentQueue")
    assert msg == "The specified queue does not exist for this wsdl version."


def test_query_purge_in_progress_is_403(qurl, server):
    _, url = qurl
    p = {"Action": "PurgeQueue", "Version": "2012-11-05", "QueueUrl": url}
    assert query_call(server.endpoint, p).status_code == 200
    _query_error(query_call(server.endpoint, p), "AWS.SimpleQueueService.PurgeQueueInProgress",
                 403)


def test_query_unknown_action(server):
    r = query_call(server.endpoint, {"Action": "FooBar", "Version": "2012-11-05"})
    msg = _query_error(r, "InvalidAction")
    assert msg == "The action FooBar is not valid for this endpoint."


def test_query_missing_action_on_root(server):
    # [U] a form POST without Action is a client error, never a 500
    r = signed_request("POST", server.endpoint + "/", "Version=2012-11-05",
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text)


def test_query_post_to_queue_path_without_queue_url(qurl, server):
    name, url = qurl
    r = query_call(server.endpoint, {"Action": "SendMessage", "MessageBody": "x"},
                   path=f"/{ACCOUNT}/{name}")
    assert r.status_code == 200, r.text
    root = xml_root(r)
    assert root.tag == q("SendMessageResponse")
    res = root.find(q("SendMessageResult"))
    assert res.find(q("MD5OfMessageBody")).text == md5_hex("x")
    mid = res.find(q("MessageId")).text
    r = json_call(server.endpoint, "ReceiveMessage", {"QueueUrl": url})
    assert r.json()["Messages"][0]["MessageId"] == mid


def test_query_get_on_queue_url(qurl, server):
    name, url = qurl
    r = query_call(server.endpoint, {"Action": "GetQueueAttributes", "AttributeName.1": "All"},
                   path=f"/{ACCOUNT}/{name}", method="GET")
    assert r.status_code == 200, r.text
    root = xml_root(r)
    attrs = {a.find(q("Name")).text: a.find(q("Value")).text
             for a in root.iter(q("Attribute"))}
    assert attrs["QueueArn"] == f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"
    assert attrs["VisibilityTimeout"] == "30"


def test_query_get_send_message_on_queue_url(qurl, server):
    name, url = qurl
    r = query_call(server.endpoint, {"Action": "SendMessage", "MessageBody": "foobar"},
                   path=f"/{ACCOUNT}/{name}", method="GET")
    assert r.status_code == 200, r.text
    assert xml_root(r).find(f"{q('SendMessageResult')}/{q('MD5OfMessageBody')}").text == \
        md5_hex("foobar")


def test_get_queue_url_without_action_is_404(qurl, server):
    name, _ = qurl
    r = signed_request("GET", f"{server.endpoint}/{ACCOUNT}/{name}")
    assert r.status_code == 404, (r.status_code, r.text)


def test_query_create_queue_on_queue_url_is_invalid_action(qurl, server):
    name, _ = qurl
    r = query_call(server.endpoint, {"Action": "CreateQueue", "QueueName": unique_name("no")},
                   path=f"/{ACCOUNT}/{name}")
    msg = _query_error(r, "InvalidAction")
    assert msg == "The action CreateQueue is not valid for this endpoint."


def test_query_parameters_in_query_string_of_post(qurl, server):
    # Parameters may arrive in the query string, the body, or both (docs/sqs-behaviour.md#dispatch).
    _, url = qurl
    from urllib.parse import urlencode
    qs = urlencode({"Action": "SendMessage", "Version": "2012-11-05"})
    r = signed_request("POST", f"{server.endpoint}/?{qs}",
                       urlencode({"QueueUrl": url, "MessageBody": "split"}),
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text
    assert xml_root(r).find(f"{q('SendMessageResult')}/{q('MD5OfMessageBody')}").text == \
        md5_hex("split")


def test_query_crlf_body_roundtrip(qurl, server):
    _, url = qurl
    body = "line1\r\nline2\rline3\n\"quoted\" & <tag>"
    r = query_call(server.endpoint, {"Action": "SendMessage", "Version": "2012-11-05",
                                     "QueueUrl": url, "MessageBody": body})
    assert r.status_code == 200, r.text
    assert xml_root(r).find(f"{q('SendMessageResult')}/{q('MD5OfMessageBody')}").text == \
        md5_hex(body)
    r = query_call(server.endpoint, {"Action": "ReceiveMessage", "Version": "2012-11-05",
                                     "QueueUrl": url})
    assert r.status_code == 200, r.text
    # a raw CR would be normalized away by every XML parser: it must be escaped
    assert b"&#xD;" in r.content or b"&#13;" in r.content or b"&#xd;" in r.content, r.content
    msg = xml_root(r).find(f"{q('ReceiveMessageResult')}/{q('Message')}")
    assert msg.find(q("Body")).text == body
    assert msg.find(q("MD5OfBody")).text == md5_hex(body)


def test_query_empty_receive_result(qurl, server):
    _, url = qurl
    r = query_call(server.endpoint, {"Action": "ReceiveMessage", "Version": "2012-11-05",
                                     "QueueUrl": url})
    assert r.status_code == 200
    res = xml_root(r).find(q("ReceiveMessageResult"))
    assert res is not None
    assert list(res) == []


def test_query_list_queues_flattened(server):
    prefix = unique_name("flat")
    for i in range(2):
        query_call(server.endpoint, {"Action": "CreateQueue", "QueueName": f"{prefix}-{i}"})
    r = query_call(server.endpoint, {"Action": "ListQueues", "QueueNamePrefix": prefix})
    res = xml_root(r).find(q("ListQueuesResult"))
    assert sorted(e.text for e in res.findall(q("QueueUrl"))) == [
        f"{server.endpoint}/{ACCOUNT}/{prefix}-{i}" for i in range(2)]


def test_query_batch_result_entries(qurl, server):
    _, url = qurl
    r = query_call(server.endpoint, {
        "Action": "SendMessageBatch", "QueueUrl": url,
        "SendMessageBatchRequestEntry.1.Id": "ok", "SendMessageBatchRequestEntry.1.MessageBody": "a",
        "SendMessageBatchRequestEntry.2.Id": "bad",
        "SendMessageBatchRequestEntry.2.MessageBody": "nul\x00"})
    assert r.status_code == 200, r.text
    res = xml_root(r).find(q("SendMessageBatchResult"))
    ok = res.findall(q("SendMessageBatchResultEntry"))
    bad = res.findall(q("BatchResultErrorEntry"))
    assert [e.find(q("Id")).text for e in ok] == ["ok"]
    assert [e.find(q("Id")).text for e in bad] == ["bad"]
    assert bad[0].find(q("SenderFault")).text == "true"
    assert bad[0].find(q("Code")).text == "InvalidMessageContents"


def test_query_empty_batch_placeholder(qurl, server):
    # botocore's Query serializer sends "Entries=" for an empty list (docs/sqs-behaviour.md#query-parameters).
    _, url = qurl
    r = query_call(server.endpoint, {"Action": "DeleteMessageBatch", "QueueUrl": url,
                                     "Entries": ""})
    _query_error(r, "AWS.SimpleQueueService.EmptyBatchRequest")


def test_query_form_content_type_without_charset(qurl, server):
    _, url = qurl
    from urllib.parse import urlencode
    r = signed_request("POST", server.endpoint + "/",
                       urlencode({"Action": "SendMessage", "QueueUrl": url,
                                  "MessageBody": "a+b c%"}),
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text
    assert xml_root(r).find(f"{q('SendMessageResult')}/{q('MD5OfMessageBody')}").text == \
        md5_hex("a+b c%")


def test_query_region_from_credential_scope(server):
    name = unique_name("qreg")
    r = query_call(server.endpoint, {"Action": "CreateQueue", "QueueName": name},
                   region="ap-southeast-2")
    assert r.status_code == 200
    r = query_call(server.endpoint, {"Action": "GetQueueAttributes", "QueueUrl":
                                     f"{server.endpoint}/{ACCOUNT}/{name}",
                                     "AttributeName.1": "QueueArn"}, region="ap-southeast-2")
    assert f"arn:aws:sqs:ap-southeast-2:{ACCOUNT}:{name}".encode() in r.content
    r = query_call(server.endpoint, {"Action": "GetQueueUrl", "QueueName": name})
    _query_error(r, "AWS.SimpleQueueService.NonExistentQueue")


def test_health(server):
    import requests
    assert requests.get(server.endpoint + "/health", timeout=5).status_code == 200
