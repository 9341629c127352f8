"""Fixtures of the Wharf conformance suite.

Run with `python3 -m pytest conformance -q` from the repo. The server binary is `$WHARF_BIN`
or `<repo>/.build/debug/wharf`. Modes (see wharfutil): SQLite by default;
`WHARF_CONFORMANCE_POSTGRES=postgres://...` runs every server on PostgreSQL; adding
`WHARF_CONFORMANCE_NODES=2` makes the session server two nodes behind nginx.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wharfutil import (  # noqa: E402
    CLUSTER_NODES, POSTGRES_URL, PROTOCOLS, WharfCluster, WharfServer, json_call, make_client, unique_name,
)

_SESSION_SERVER: WharfServer | None = None


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The shared `wharf serve` for the whole session (fresh data dir, free port): one node, or
    in cluster mode several nodes on one PostgreSQL schema behind nginx."""
    global _SESSION_SERVER
    base = tmp_path_factory.mktemp("wharf-session")
    if CLUSTER_NODES > 1:
        assert POSTGRES_URL, "cluster mode needs WHARF_CONFORMANCE_POSTGRES"
        srv = WharfCluster(base, CLUSTER_NODES)
    else:
        srv = WharfServer(base / "data", base / "server.log")
    _SESSION_SERVER = srv
    srv.start()
    yield srv
    srv.stop()
    _SESSION_SERVER = None


@pytest.fixture(scope="session")
def node(server):
    """One Wharf node reached directly (in cluster mode the first node, not the balancer): for
    tests of Wharf's own HTTP handling — pipelining, half-closed sockets, raw framing — which a
    proxy in between would answer for it."""
    return server.nodes[0] if isinstance(server, WharfCluster) else server


@pytest.fixture
def wharf_factory(tmp_path):
    """Start extra servers (own data dirs) for tests that restart or kill them.

    `wharf_factory(data_dir=None)` returns a started WharfServer; every server is stopped at the
    end of the test. Use server.stop()/kill()/start() to restart on the same data dir.
    """
    servers: list[WharfServer] = []

    def make(data_dir: Path | None = None, name: str = "extra") -> WharfServer:
        d = data_dir or (tmp_path / f"{name}-{len(servers)}-data")
        srv = WharfServer(d, tmp_path / f"{name}-{len(servers)}.log")
        servers.append(srv)
        return srv.start()

    yield make
    for s in servers:
        s.stop(grace=5)


_CLIENTS: dict = {}


def get_client(protocol: str, endpoint: str, region: str = "us-east-1"):
    key = (protocol, endpoint, region)
    if key not in _CLIENTS:
        _CLIENTS[key] = make_client(protocol, endpoint, region)
    return _CLIENTS[key]


@pytest.fixture(params=PROTOCOLS)
def protocol(request):
    return request.param


@pytest.fixture
def sqs(server, protocol):
    """A boto3 SQS client against the session server, speaking JSON or Query."""
    return get_client(protocol, server.endpoint)


@pytest.fixture
def client_for(server):
    """client_for(protocol, region="us-east-1") against the session server."""
    def make(protocol: str, region: str = "us-east-1"):
        return get_client(protocol, server.endpoint, region)
    return make


@pytest.fixture
def queue(sqs):
    """A fresh standard queue (default attributes); returns its URL."""
    return sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]


@pytest.fixture
def qurl(server):
    """A fresh queue created over raw JSON, for the raw-HTTP tests; returns (name, url)."""
    name = unique_name("raw")
    r = json_call(server.endpoint, "CreateQueue", {"QueueName": name})
    assert r.status_code == 200, r.text
    return name, r.json()["QueueUrl"]


@pytest.fixture
def make_queue(sqs):
    """make_queue(**attributes) -> URL of a fresh standard queue with these attributes."""
    def make(tags=None, **attributes):
        kw = {"QueueName": unique_name("q")}
        if attributes:
            kw["Attributes"] = {k: str(v) for k, v in attributes.items()}
        if tags:
            kw["tags"] = tags
        return sqs.create_queue(**kw)["QueueUrl"]
    return make


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of the session server's log to the report."""
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and _SESSION_SERVER is not None:
        rep.sections.append(("wharf server log (tail)", _SESSION_SERVER.log_tail(8000)))
