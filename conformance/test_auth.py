"""SigV4 verification and account isolation, against a server started with a credentials file.

The default server of the other tests runs in dev mode (loopback, no credentials, any key
accepted); here two accounts with their own keys are configured, so every request must be
signed with one of them, and each account sees only its own queues.
"""
import json
import subprocess

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from wharfutil import PROTOCOLS, WharfServer, expect_error, make_client, unique_name, wharf_binary, free_port

ALICE = ("AKIAALICE0000001", "alice-secret", "111111111111")
BOB = ("AKIABOB000000002", "bob-secret", "222222222222")
TEMP = ("ASIATEMP00000003", "temp-secret", "111111111111", "temp-token")
EXPIRED = ("ASIAOLD000000004", "old-secret", "111111111111", "old-token")


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    d = tmp_path_factory.mktemp("auth")
    creds = d / "credentials.json"
    creds.write_text(json.dumps({"accounts": [
        {"accountId": ALICE[2], "keys": [
            {"accessKeyId": ALICE[0], "secretAccessKey": ALICE[1]},
            {"accessKeyId": TEMP[0], "secretAccessKey": TEMP[1], "sessionToken": TEMP[3],
             "expiration": "2999-01-01T00:00:00Z"},
            {"accessKeyId": EXPIRED[0], "secretAccessKey": EXPIRED[1], "sessionToken": EXPIRED[3],
             "expiration": "2001-01-01T00:00:00Z"}]},
        {"accountId": BOB[2], "keys": [{"accessKeyId": BOB[0], "secretAccessKey": BOB[1]}]},
    ]}))
    server = WharfServer(d / "data", d / "server.log", extra_args=["--credentials-file", str(creds)]).start()
    yield server
    server.stop()


def client(server, protocol, key, region="us-east-1"):
    return make_client(protocol, server.endpoint, region=region, access_key=key[0], secret_key=key[1],
                       session_token=key[3] if len(key) > 3 else None)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_signed_requests_work_and_sender_is_the_caller(secured, protocol):
    alice = client(secured, protocol, ALICE)
    url = alice.create_queue(QueueName=unique_name())["QueueUrl"]
    assert f"/{ALICE[2]}/" in url
    alice.send_message(QueueUrl=url, MessageBody="hi")
    msgs = alice.receive_message(QueueUrl=url, AttributeNames=["SenderId"])["Messages"]
    # The principal, as AWS reports it for an account's own keys: the account id, not the key.
    assert msgs[0]["Attributes"]["SenderId"] == ALICE[2]
    arn = alice.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert arn.endswith(f":{ALICE[2]}:" + url.rsplit("/", 1)[1])


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_wrong_secret_is_signature_does_not_match(secured, protocol):
    bad = client(secured, protocol, (ALICE[0], "not-alice-secret"))
    with expect_error("SignatureDoesNotMatch", 403,
                      message_contains="The request signature we calculated does not match the signature you provided."):
        bad.list_queues()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unknown_key_is_invalid_client_token_id(secured, protocol):
    stranger = client(secured, protocol, ("AKIANOBODY000000", "whatever"))
    with expect_error("InvalidClientTokenId", 403, message="The security token included in the request is invalid."):
        stranger.list_queues()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_session_tokens(secured, protocol):
    client(secured, protocol, TEMP).list_queues()
    with expect_error("InvalidClientTokenId", 403):
        client(secured, protocol, (TEMP[0], TEMP[1], TEMP[2], "wrong-token")).list_queues()
    with expect_error("InvalidClientTokenId", 403):
        client(secured, protocol, (TEMP[0], TEMP[1])).list_queues()  # token missing
    with expect_error("ExpiredToken", 403):
        client(secured, protocol, EXPIRED).list_queues()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_accounts_are_isolated(secured, protocol):
    alice, bob = client(secured, protocol, ALICE), client(secured, protocol, BOB)
    name = unique_name()
    url = alice.create_queue(QueueName=name)["QueueUrl"]
    assert url not in bob.list_queues().get("QueueUrls", [])
    with expect_error("AWS.SimpleQueueService.NonExistentQueue"):
        bob.get_queue_url(QueueName=name)
    with expect_error("AWS.SimpleQueueService.NonExistentQueue"):
        bob.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=ALICE[2])
    with expect_error("AWS.SimpleQueueService.NonExistentQueue"):
        bob.send_message(QueueUrl=url, MessageBody="intrusion")
    with expect_error("AWS.SimpleQueueService.NonExistentQueue"):
        bob.delete_queue(QueueUrl=url)
    # Bob may have a queue of the same name: a different queue.
    bob_url = bob.create_queue(QueueName=name)["QueueUrl"]
    assert bob_url != url
    assert "Messages" not in alice.receive_message(QueueUrl=url)


def _raw(secured, body, headers, sign_with=ALICE, tamper=None, date_offset=0, monkeypatch=None):
    url = secured.endpoint + "/"
    req = AWSRequest(method="POST", url=url, data=body, headers=headers)
    auth = SigV4Auth(Credentials(sign_with[0], sign_with[1]), "sqs", "us-east-1")
    if date_offset:
        # Sign as a client whose clock is off by `date_offset` seconds.
        import datetime
        import botocore.auth
        skewed = botocore.auth.get_current_datetime() + datetime.timedelta(seconds=date_offset)
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: skewed)
    auth.add_auth(req)
    if monkeypatch:
        monkeypatch.undo()
    sent_headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
    return requests.post(url, data=tamper if tamper is not None else body, headers=sent_headers, timeout=10)


def test_tampered_body_is_rejected_and_changes_nothing(secured):
    name = unique_name()
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue"}
    r = _raw(secured, json.dumps({"QueueName": name}), headers, tamper=json.dumps({"QueueName": name + "x"}))
    assert r.status_code == 403
    assert r.headers["x-amzn-query-error"] == "SignatureDoesNotMatch;Sender"
    assert "The Canonical String for this request should have been" in r.json()["message"]
    alice = client(secured, "json", ALICE)
    assert not any(u.endswith(name + "x") for u in alice.list_queues().get("QueueUrls", []))


def test_clock_skew_beyond_15_minutes_is_rejected(secured, monkeypatch):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"}
    r = _raw(secured, "{}", headers, date_offset=-16 * 60, monkeypatch=monkeypatch)
    assert r.status_code == 403
    assert r.headers["x-amzn-query-error"] == "SignatureDoesNotMatch;Sender"
    assert r.json()["message"].startswith("Signature expired:")
    assert _raw(secured, "{}", headers, date_offset=-10 * 60, monkeypatch=monkeypatch).status_code == 200
    assert _raw(secured, "{}", headers, date_offset=16 * 60, monkeypatch=monkeypatch).status_code == 403


def test_unsigned_requests_are_refused_in_both_protocols(secured):
    r = requests.post(secured.endpoint + "/", data="{}", timeout=10, headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"})
    assert r.status_code == 403
    assert r.headers["x-amzn-query-error"] == "MissingAuthenticationToken;Sender"
    r = requests.post(secured.endpoint + "/", data="Action=ListQueues", timeout=10,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 403
    assert "<Code>MissingAuthenticationToken</Code>" in r.text
    # Even an unknown action: an unauthenticated caller learns nothing.
    r = requests.get(secured.endpoint + "/?Action=NoSuchThing", timeout=10)
    assert r.status_code == 403


def test_presigned_url(secured):
    alice = client(secured, "query", ALICE)
    url = alice.create_queue(QueueName=unique_name())["QueueUrl"]
    alice.send_message(QueueUrl=url, MessageBody="presigned")
    presigned = alice.generate_presigned_url("receive_message", Params={"QueueUrl": url}, ExpiresIn=60)
    # boto3 signs the modeled method, POST, with an empty body (docs/sqs-behaviour.md#presigned-urls).
    r = requests.post(presigned, timeout=10)
    assert r.status_code == 200, r.text
    assert "<Body>presigned</Body>" in r.text
    tampered = presigned.replace("ReceiveMessage", "PurgeQueue")
    assert requests.post(tampered, timeout=10).status_code == 403


def test_refuses_to_start_on_a_public_address_without_credentials(tmp_path):
    proc = subprocess.run([str(wharf_binary()), "serve", "--host", "0.0.0.0", "--port", str(free_port()),
                           "--data-dir", str(tmp_path / "d")], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "refusing to listen on 0.0.0.0 without credentials" in proc.stderr + proc.stdout


def test_dev_mode_says_so_loudly(server):
    log = server.log_path.read_text()
    assert "DEV MODE" in log and "000000000000" in log


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_add_permission_grants_another_account(secured, protocol):
    alice, bob = client(secured, protocol, ALICE), client(secured, protocol, BOB)
    name = unique_name()
    url = alice.create_queue(QueueName=name)["QueueUrl"]
    alice.add_permission(QueueUrl=url, Label="bob-sends", AWSAccountIds=[BOB[2]],
                         Actions=["SendMessage", "GetQueueUrl"])
    policy = json.loads(alice.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"])
    assert policy["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{BOB[2]}:root"}
    assert policy["Statement"][0]["Action"] == ["SQS:SendMessage", "SQS:GetQueueUrl"]
    assert bob.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=ALICE[2])["QueueUrl"] == url
    bob.send_message(QueueUrl=url, MessageBody="from bob")
    with expect_error("AWS.SimpleQueueService.NonExistentQueue"):
        bob.receive_message(QueueUrl=url)
    msg = alice.receive_message(QueueUrl=url, AttributeNames=["SenderId"])["Messages"][0]
    assert msg["Body"] == "from bob" and msg["Attributes"]["SenderId"] == BOB[2]
    with expect_error("InvalidParameterValue"):
        alice.add_permission(QueueUrl=url, Label="bob-sends", AWSAccountIds=[BOB[2]], Actions=["SendMessage"])
    alice.remove_permission(QueueUrl=url, Label="bob-sends")
    assert "Policy" not in alice.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    with expect_error("AWS.SimpleQueueService.NonExistentQueue"):
        bob.send_message(QueueUrl=url, MessageBody="revoked")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_policy_deny_and_invalid_policy(secured, protocol):
    alice = client(secured, protocol, ALICE)
    url = alice.create_queue(QueueName=unique_name())["QueueUrl"]
    with expect_error("InvalidAttributeValue"):
        alice.set_queue_attributes(QueueUrl=url, Attributes={"Policy": "{not json"})
    deny = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage"}]}
    alice.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(deny)})
    with expect_error("AccessDenied", 403):
        alice.send_message(QueueUrl=url, MessageBody="denied")
