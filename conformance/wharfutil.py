"""Helpers shared by the Wharf conformance suite: the server process, clients, MD5s, raw HTTP.

Everything here is black-box: the suite talks to a real `wharf serve` over HTTP and checks the
SQS wire behaviour AWS documents (docs/sqs-behaviour.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import struct
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import botocore.session
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

CONFORMANCE_DIR = Path(__file__).resolve().parent
# Which store the servers run on: unset, SQLite in each server's data directory; a
# postgres:// URL, PostgreSQL (each data directory maps to a schema of its own). With
# WHARF_CONFORMANCE_NODES=2 the session server is two nodes behind an nginx round robin.
POSTGRES_URL = os.environ.get("WHARF_CONFORMANCE_POSTGRES", "")
CLUSTER_NODES = int(os.environ.get("WHARF_CONFORMANCE_NODES", "1") or "1")
REPO_DIR = CONFORMANCE_DIR.parent
# The Query protocol's SQS model, as the last botocore releases before SQS moved to AWS JSON
# shipped it (all 23 operations, message move tasks included). Fetched from PyPI on first use
# (a pinned wheel, see ensure_query_model) and cached under .cache/.
QUERY_BOTOCORE = "botocore==1.31.60"
QUERY_MODEL_DIR = REPO_DIR / ".cache" / "botocore-query-model"

ACCOUNT = "000000000000"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
DEFAULT_REGION = "us-east-1"
XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/"

PROTOCOLS = ["json", "query"]


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------

def wharf_binary() -> Path:
    env = os.environ.get("WHARF_BIN")
    if env:
        return Path(env)
    return REPO_DIR / ".build" / "debug" / "wharf"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WharfServer:
    """A `wharf serve` child process on 127.0.0.1 with its own data directory.

    start()/stop()/kill() may be called repeatedly; each start picks a fresh port unless one was
    given, so a restarted server on the same data dir is reached through `endpoint` again.
    """

    def __init__(self, data_dir: Path | str, log_path: Path | str, port: int | None = None,
                 extra_args: list[str] | None = None, host: str = "127.0.0.1"):
        self.extra_args = list(extra_args or [])
        self.scheme = "http"
        self.host = host
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.fixed_port = port
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self._log = None
        self.starts = 0

    @property
    def endpoint(self) -> str:
        assert self.port is not None, "server not started"
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def queue_url(self, name: str) -> str:
        return f"{self.endpoint}/{ACCOUNT}/{name}"

    def start(self, timeout: float = 30.0, port: int | None = None) -> "WharfServer":
        binary = wharf_binary()
        if not binary.exists():
            pytest.fail(
                f"wharf binary not found at {binary}: build it (swift build) or set WHARF_BIN",
                pytrace=False,
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or self.fixed_port or free_port()
        self._log = open(self.log_path, "ab")
        self.starts += 1
        self._log.write(f"\n===== start #{self.starts} port {self.port} =====\n".encode())
        self._log.flush()
        self.proc = subprocess.Popen(
            [str(binary), "serve", "--host", self.host, "--port", str(self.port),
             "--data-dir", str(self.data_dir), *store_args(self.data_dir), *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
        )
        deadline = time.monotonic() + timeout
        last_err = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"wharf serve exited early with code {self.proc.returncode}\n{self.log_tail()}",
                    pytrace=False,
                )
            try:
                r = requests.get(f"{self.endpoint}/health", timeout=1, verify=False)
                if r.status_code == 200:
                    return self
                last_err = f"status {r.status_code}"
            except requests.RequestException as e:  # not listening yet
                last_err = repr(e)
            time.sleep(0.1)
        self.kill()
        pytest.fail(f"wharf serve did not answer GET /health with 200 within {timeout}s "
                    f"(last: {last_err})\n{self.log_tail()}", pytrace=False)

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self, grace: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL after `grace` seconds. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        rc = self.proc.returncode
        self.proc = None
        self._close_log()
        return rc

    def kill(self) -> None:
        """SIGKILL (kill -9): no chance to flush anything."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.proc = None
        self._close_log()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, max_bytes: int = 20000) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return "(no server log)"
        if len(data) > max_bytes:
            data = b"...\n" + data[-max_bytes:]
        return data.decode("utf-8", "replace")


def store_args(data_dir: Path) -> list[str]:
    """`--store` for PostgreSQL runs: the schema is named after the data directory, so a server
    restarted on the same directory finds its data, and two servers on one directory share it."""
    if not POSTGRES_URL:
        return []
    schema = "c_" + hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:20]
    separator = "&" if "?" in POSTGRES_URL else "?"
    return ["--store", f"{POSTGRES_URL}{separator}schema={schema}&pool=10"]


class WharfCluster:
    """Several `wharf serve` nodes on one PostgreSQL schema behind nginx, which balances every
    request round robin (a new upstream per request, keep-alive to both). Quacks like
    WharfServer for the suite: `endpoint`, `port`, `queue_url`, `log_tail`, stop/start."""

    def __init__(self, base: Path, nodes: int = 2):
        self.base = Path(base)
        self.scheme = "http"
        self.data_dir = self.base / "data"
        self.nodes = [WharfServer(self.data_dir, self.base / f"node{i}.log") for i in range(nodes)]
        self.log_path = self.nodes[0].log_path
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def queue_url(self, name: str) -> str:
        return f"{self.endpoint}/{ACCOUNT}/{name}"

    def start(self, timeout: float = 30.0) -> "WharfCluster":
        for node in self.nodes:
            node.start(timeout)
        self.port = self.port or free_port()
        conf = self.base / "nginx.conf"
        upstreams = "\n".join(f"        server 127.0.0.1:{n.port};" for n in self.nodes)
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(f"""
{user}
worker_processes 1;
pid {self.base}/nginx.pid;
error_log {self.base}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {self.base}/nginx-body;
    proxy_temp_path {self.base}/nginx-proxy;
    upstream wharf {{
{upstreams}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        client_max_body_size 8m;
        location / {{
            proxy_pass http://wharf;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The Host header is signed (SigV4) and builds queue URLs: pass it unchanged.
            proxy_set_header Host $http_host;
            proxy_read_timeout 120s;
            proxy_buffering off;
            proxy_request_buffering off;
            # A request that reached a node is never retried on the other one.
            proxy_next_upstream off;
        }}
    }}
}}
""")
        self.proc = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(self.base / "nginx.out", "ab"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.endpoint}/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        pytest.fail(f"nginx did not come up: {(self.base / 'nginx-error.log').read_text() if (self.base / 'nginx-error.log').exists() else ''}",
                    pytrace=False)

    def stop(self, grace: float = 10.0):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None
        codes = [node.stop(grace) for node in self.nodes]
        return codes[0]

    def kill(self):
        for node in self.nodes:
            node.kill()

    def alive(self) -> bool:
        return all(node.alive() for node in self.nodes)

    def log_tail(self, max_bytes: int = 20000) -> str:
        return "\n".join(f"--- node {i} ---\n" + node.log_tail(max_bytes // len(self.nodes))
                         for i, node in enumerate(self.nodes))


# --------------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------------

def client_config(**overrides) -> Config:
    kw = dict(
        # One attempt: a conformance suite must see the server's first answer, not a retry's.
        retries={"total_max_attempts": 1, "mode": "standard"},
        # Let invalid values reach the server: the server must validate them.
        parameter_validation=False,
        connect_timeout=5,
        read_timeout=60,
    )
    kw.update(overrides)
    return Config(**kw)


def ensure_query_model() -> Path:
    """The Query-protocol model directory, downloaded from PyPI if it is not cached yet."""
    target = QUERY_MODEL_DIR / "sqs" / "2012-11-05" / "service-2.json"
    if target.exists():
        return QUERY_MODEL_DIR
    import gzip
    import sys
    import tempfile
    import zipfile
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", scratch, QUERY_BOTOCORE],
                       check=True)
        wheel = next(Path(scratch).glob("botocore-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            name = "botocore/data/sqs/2012-11-05/service-2.json"
            try:
                model = archive.read(name)
            except KeyError:
                model = gzip.decompress(archive.read(name + ".gz"))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(model)
    partial.replace(target)
    return QUERY_MODEL_DIR


def make_client(protocol: str, endpoint: str, region: str = DEFAULT_REGION, access_key: str = ACCESS_KEY,
                secret_key: str = SECRET_KEY, session_token: str | None = None, verify: bool | None = None,
                **config):
    """A boto3 SQS client speaking `json` (current model) or `query` (the old Query model)."""
    if protocol == "json":
        session = botocore.session.get_session()
    elif protocol == "query":
        session = botocore.session.get_session()
        session.get_component("data_loader").search_paths.insert(0, str(ensure_query_model()))
    else:
        raise ValueError(protocol)
    client = boto3.Session(botocore_session=session).client(
        "sqs", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key, aws_session_token=session_token,
        verify=verify,
        config=client_config(**config),
    )
    assert client.meta.service_model.protocol == protocol
    return client


def protocol_of(client) -> str:
    return client.meta.service_model.protocol


def sys_attr_kwargs(client, names):
    """ReceiveMessage kwargs asking for message system attributes.

    JSON uses MessageSystemAttributeNames; the old Query model only has the deprecated
    AttributeNames (AttributeName.N on the wire, which is also what the new member maps to).
    """
    if protocol_of(client) == "json":
        return {"MessageSystemAttributeNames": list(names)}
    return {"AttributeNames": list(names)}


def unique_name(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


# --------------------------------------------------------------------------------------------
# Assertions
# --------------------------------------------------------------------------------------------

@contextlib.contextmanager
def expect_error(code: str, status: int = 400, message: str | None = None,
                 message_contains: str | None = None):
    """Assert that the block raises a ClientError with this code and HTTP status."""
    with pytest.raises(ClientError) as ei:
        yield ei
    resp = ei.value.response
    err = resp.get("Error", {})
    got_status = resp.get("ResponseMetadata", {}).get("HTTPStatusCode")
    assert err.get("Code") == code, f"expected code {code!r}, got {err!r} (HTTP {got_status})"
    assert got_status == status, f"expected HTTP {status}, got {got_status} ({err!r})"
    if message is not None:
        assert err.get("Message") == message, f"message: {err.get('Message')!r} != {message!r}"
    if message_contains is not None:
        assert message_contains in (err.get("Message") or ""), err


def nonexistent_queue_message(client) -> str:
    # docs/sqs-behaviour.md#error-codes: the JSON and Query messages differ on real SQS.
    if protocol_of(client) == "json":
        return "The specified queue does not exist."
    return "The specified queue does not exist for this wsdl version."


def now_ms() -> int:
    return int(time.time() * 1000)


def is_uuid(s: str) -> bool:
    try:
        uuid.UUID(s)
        return True
    except (ValueError, TypeError, AttributeError):
        return False


# --------------------------------------------------------------------------------------------
# MD5s (docs/sqs-behaviour.md#md5-digests)
# --------------------------------------------------------------------------------------------

def md5_hex(s: str | bytes) -> str:
    if isinstance(s, str):
        s = s.encode("utf-8")
    return hashlib.md5(s).hexdigest()


def _lv(h, b: bytes):
    h.update(struct.pack(">I", len(b)))
    h.update(b)


def md5_of_attributes(attrs: dict) -> str:
    """The reference algorithm of docs/sqs-behaviour.md#digest-test-vectors (names sorted by UTF-8 bytes)."""
    h = hashlib.md5()
    for name in sorted(attrs, key=lambda n: n.encode("utf-8")):
        v = attrs[name]
        _lv(h, name.encode()); _lv(h, v["DataType"].encode())
        if v.get("StringValue") is not None:
            h.update(b"\x01"); _lv(h, v["StringValue"].encode())
        elif v.get("BinaryValue") is not None:
            h.update(b"\x02"); _lv(h, v["BinaryValue"])
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Queue helpers
# --------------------------------------------------------------------------------------------

def queue_attrs(client, url, *names) -> dict:
    return client.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"]).get(
        "Attributes", {})


def counts(client, url) -> tuple[int, int, int]:
    """(visible, not visible, delayed)"""
    a = queue_attrs(client, url, "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed")
    return (int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"]),
            int(a["ApproximateNumberOfMessagesDelayed"]))


def receive_all(client, url, expected: int | None = None, timeout: float = 10.0,
                delete: bool = False, **kw) -> list[dict]:
    """Short-poll until `expected` messages were received (or the queue looks empty)."""
    got: list[dict] = []
    deadline = time.monotonic() + timeout
    empties = 0
    while time.monotonic() < deadline:
        r = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kw)
        msgs = r.get("Messages", [])
        if not msgs:
            empties += 1
            if expected is None and empties >= 2:
                break
            time.sleep(0.05)
        got.extend(msgs)
        if delete and msgs:
            client.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        if expected is not None and len(got) >= expected:
            break
    return got


# --------------------------------------------------------------------------------------------
# Raw HTTP (signed with SigV4 so that the region is taken from the credential scope)
# --------------------------------------------------------------------------------------------

def signed_request(method: str, url: str, body: bytes | str = b"", headers: dict | None = None,
                   region: str = DEFAULT_REGION, sign: bool = True,
                   timeout: float = 30) -> requests.Response:
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = dict(headers or {})
    if sign:
        req = AWSRequest(method=method, url=url, data=body, headers=headers)
        SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "sqs", region).add_auth(req)
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
    return requests.request(method, url, data=body if body else None, headers=headers,
                            timeout=timeout)


def json_call(endpoint: str, op: str, payload, path: str = "/", raw_body: str | bytes | None = None,
              region: str = DEFAULT_REGION, **kw) -> requests.Response:
    import json as _json
    body = raw_body if raw_body is not None else _json.dumps(payload)
    return signed_request("POST", endpoint + path, body, {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"AmazonSQS.{op}",
    }, region=region, **kw)


def query_call(endpoint: str, params: dict | list, path: str = "/", method: str = "POST",
               region: str = DEFAULT_REGION, **kw) -> requests.Response:
    from urllib.parse import urlencode
    encoded = urlencode(params)
    if method == "GET":
        return signed_request("GET", f"{endpoint}{path}?{encoded}", b"", {}, region=region, **kw)
    return signed_request(method, endpoint + path, encoded, {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, region=region, **kw)


def xml_root(resp: requests.Response):
    import xml.etree.ElementTree as ET
    return ET.fromstring(resp.content)


def q(tag: str) -> str:
    """Namespaced XML tag."""
    return f"{{{XMLNS}}}{tag}"
