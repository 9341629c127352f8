"""HTTPS: with a certificate and key the server speaks TLS only, queue URLs say https, and
the aws:SecureTransport policy condition sees the request as secure."""
import json
import subprocess

import pytest
import requests
import urllib3

from wharfutil import PROTOCOLS, WharfServer, expect_error, make_client, unique_name


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    server = WharfServer(d / "data", d / "server.log",
                         extra_args=["--tls-certificate", str(cert), "--tls-key", str(key)])
    server.scheme = "https"
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_https_round_trip(tls_server, protocol):
    urllib3.disable_warnings()
    sqs = make_client(protocol, tls_server.endpoint, verify=False)
    url = sqs.create_queue(QueueName=unique_name())["QueueUrl"]
    assert url.startswith("https://127.0.0.1:")
    sqs.send_message(QueueUrl=url, MessageBody="over tls")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "over tls"
    # A policy that denies insecure transport does not get in the way over HTTPS.
    deny_plain = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:*",
                                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(deny_plain)})
    sqs.send_message(QueueUrl=url, MessageBody="still allowed")


def test_plain_http_to_tls_port_fails(tls_server):
    with pytest.raises(requests.RequestException):
        requests.get(f"http://127.0.0.1:{tls_server.port}/health", timeout=5)


def test_secure_transport_deny_applies_over_plain_http(sqs):
    url = sqs.create_queue(QueueName=unique_name())["QueueUrl"]
    deny_plain = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage",
                                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(deny_plain)})
    with expect_error("AccessDenied", 403):
        sqs.send_message(QueueUrl=url, MessageBody="plain")
