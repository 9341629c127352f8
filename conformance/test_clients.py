"""The two boto3 clients really speak the protocols they claim to (docs/sqs-behaviour.md#json-protocol, #query-protocol)."""

from wharfutil import unique_name


def _capture(client):
    seen = []

    def hook(request, **kwargs):
        seen.append((dict(request.headers), request.body))

    client.meta.events.register("before-send", hook)
    return seen, hook


def test_client_speaks_its_protocol(sqs, protocol):
    seen, hook = _capture(sqs)
    try:
        url = sqs.create_queue(QueueName=unique_name("proto"))["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="hi")
    finally:
        sqs.meta.events.unregister("before-send", hook)
    assert len(seen) == 2
    for headers, body in seen:
        lower = {k.lower(): v for k, v in headers.items()}
        body = body.decode() if isinstance(body, bytes) else body
        if protocol == "json":
            assert lower["x-amz-target"] in (b"AmazonSQS.CreateQueue", b"AmazonSQS.SendMessage",
                                             "AmazonSQS.CreateQueue", "AmazonSQS.SendMessage")
            assert body.startswith("{")
            ct = lower["content-type"]
            assert (ct.decode() if isinstance(ct, bytes) else ct) == "application/x-amz-json-1.0"
        else:
            assert "x-amz-target" not in lower
            assert body.startswith("Action=")
            assert "Version=2012-11-05" in body
            ct = lower["content-type"]
            assert (ct.decode() if isinstance(ct, bytes) else ct).startswith(
                "application/x-www-form-urlencoded")
