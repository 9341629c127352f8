"""The aws CLI against Wharf: `aws --endpoint-url http://127.0.0.1:PORT sqs ...`.

The CLI speaks JSON by default; with AWS_DATA_PATH pointing at the old model it speaks Query.
"""

import json
import os
import shutil
import subprocess

import pytest

from wharfutil import ACCESS_KEY, ACCOUNT, QUERY_MODEL_DIR, SECRET_KEY, md5_hex, unique_name

AWS = shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS is None, reason="aws CLI not installed")


@pytest.fixture
def aws(server, protocol, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_PAGER": "",
    })
    if protocol == "query":
        env["AWS_DATA_PATH"] = str(QUERY_MODEL_DIR)

    def run(*args, check=True, debug=False):
        cmd = [AWS, "--endpoint-url", server.endpoint, "--output", "json"]
        if debug:
            cmd.append("--debug")
        cmd += ["sqs", *args]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        if check:
            assert p.returncode == 0, f"{cmd}\nstdout:{p.stdout}\nstderr:{p.stderr[-3000:]}"
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p

    return run


def test_cli_protocol(aws, protocol):
    p = aws("list-queues", "--queue-name-prefix", unique_name("none"), check=False, debug=True)
    assert p.returncode == 0, p.stderr[-3000:]
    if protocol == "query":
        assert "'Action': 'ListQueues'" in p.stderr
        assert "X-Amz-Target" not in p.stderr
    else:
        assert "AmazonSQS.ListQueues" in p.stderr


def test_cli_round_trip(aws, server):
    name = unique_name("cli")
    url = aws("create-queue", "--queue-name", name,
              "--attributes", "VisibilityTimeout=40")["QueueUrl"]
    assert url == f"{server.endpoint}/{ACCOUNT}/{name}"
    assert aws("get-queue-url", "--queue-name", name)["QueueUrl"] == url

    listed = aws("list-queues", "--queue-name-prefix", name)
    assert listed["QueueUrls"] == [url]

    attrs = aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")[
        "Attributes"]
    assert attrs["VisibilityTimeout"] == "40"
    assert attrs["QueueArn"] == f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"

    sent = aws("send-message", "--queue-url", url, "--message-body", "hello cli",
               "--message-attributes", '{"City":{"DataType":"String","StringValue":"Any City"}}')
    assert sent["MD5OfMessageBody"] == md5_hex("hello cli")
    assert sent["MessageId"]

    got = aws("receive-message", "--queue-url", url, "--attribute-names", "All",
              "--message-attribute-names", "All")
    msgs = got["Messages"]
    assert len(msgs) == 1
    m = msgs[0]
    assert m["Body"] == "hello cli"
    assert m["MessageId"] == sent["MessageId"]
    assert m["MessageAttributes"]["City"]["StringValue"] == "Any City"
    assert m["Attributes"]["ApproximateReceiveCount"] == "1"

    aws("delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"])
    attrs = aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")[
        "Attributes"]
    assert attrs == {"ApproximateNumberOfMessages": "0",
                     "ApproximateNumberOfMessagesNotVisible": "0"}
    # empty receive prints nothing (no Messages key)
    assert "Messages" not in aws("receive-message", "--queue-url", url)

    aws("delete-queue", "--queue-url", url)
    assert aws("list-queues", "--queue-name-prefix", name).get("QueueUrls", []) == []


def test_cli_error(aws):
    p = aws("get-queue-url", "--queue-name", unique_name("missing"), check=False)
    assert p.returncode != 0
    assert "AWS.SimpleQueueService.NonExistentQueue" in p.stderr


def test_cli_batch_and_tags(aws):
    name = unique_name("clib")
    url = aws("create-queue", "--queue-name", name, "--tags", "team=core")["QueueUrl"]
    r = aws("send-message-batch", "--queue-url", url, "--entries",
            json.dumps([{"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"}]))
    assert sorted(e["Id"] for e in r["Successful"]) == ["a", "b"]
    assert aws("list-queue-tags", "--queue-url", url)["Tags"] == {"team": "core"}
    aws("purge-queue", "--queue-url", url)
    attrs = aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                "ApproximateNumberOfMessages")["Attributes"]
    assert attrs == {"ApproximateNumberOfMessages": "0"}
