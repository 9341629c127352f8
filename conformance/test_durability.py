"""Durability: a 2xx means committed. Acknowledged sends survive kill -9; queues, attributes,
tags and deletes survive graceful and hard restarts (issue §6)."""

import random
import threading
import time

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from wharfutil import ACCOUNT, counts, make_client, queue_attrs, receive_all, unique_name

N_THREADS = 4


def _client(srv, protocol="json"):
    return make_client(protocol, srv.endpoint, connect_timeout=2, read_timeout=15)


def test_acknowledged_messages_survive_kill_9(wharf_factory):
    srv = wharf_factory(name="durable")
    setup = _client(srv)
    name = unique_name("durable")
    url = setup.create_queue(QueueName=name)["QueueUrl"]

    acked: list[dict[str, str]] = [dict() for _ in range(N_THREADS)]  # body -> MessageId
    errors: list[list[str]] = [[] for _ in range(N_THREADS)]
    clients = [_client(srv, "json" if i % 2 == 0 else "query") for i in range(N_THREADS)]
    stop = threading.Event()

    def worker(i):
        c, mine, rng = clients[i], acked[i], random.Random(i)
        seq = 0
        deadline = time.monotonic() + 30  # bounded even if the kill never happens
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                if rng.random() < 0.5:
                    body = f"t{i}-{seq}"
                    seq += 1
                    r = c.send_message(QueueUrl=url, MessageBody=body)
                    mine[body] = r["MessageId"]
                else:
                    n = rng.randint(1, 10)
                    bodies = [f"t{i}-{seq + k}" for k in range(n)]
                    seq += n
                    r = c.send_message_batch(QueueUrl=url, Entries=[
                        {"Id": f"e{k}", "MessageBody": b} for k, b in enumerate(bodies)])
                    assert not r.get("Failed"), r
                    for e in r["Successful"]:
                        mine[bodies[int(e["Id"][1:])]] = e["MessageId"]
            except (BotoCoreError, ClientError, OSError) as e:
                # connection refused/reset or a 5xx while dying: unacknowledged, stop.
                errors[i].append(repr(e))
                return

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(N_THREADS)]
    for t in threads:
        t.start()
    time.sleep(random.uniform(0.5, 2.5))
    srv.kill()
    stop.set()
    for t in threads:
        t.join(30)
        assert not t.is_alive()

    expected = {}
    for d in acked:
        expected.update(d)
    assert len(expected) > 0, f"no send was acknowledged before the kill: {errors}"

    srv.start()  # same data dir, new port
    c = _client(srv)
    url = c.get_queue_url(QueueName=name)["QueueUrl"]
    assert url == f"{srv.endpoint}/{ACCOUNT}/{name}"
    got: dict[str, str] = {}
    deadline = time.monotonic() + 120
    empties = 0
    while time.monotonic() < deadline and empties < 3:
        r = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=300)
        msgs = r.get("Messages", [])
        if not msgs:
            empties += 1
            continue
        empties = 0
        for m in msgs:
            got[m["MessageId"]] = m["Body"]
        c.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(msgs)])
    missing = {b: mid for b, mid in expected.items() if got.get(mid) != b}
    assert not missing, (f"{len(missing)} of {len(expected)} acknowledged messages lost after "
                         f"kill -9, e.g. {list(missing.items())[:5]}")
    # anything else that came back must be one of ours (an unacknowledged but committed send)
    prefixes = tuple(f"t{i}-" for i in range(N_THREADS))
    assert all(b.startswith(prefixes) for b in got.values())
    print(f"durability: {len(expected)} acknowledged, {len(got)} recovered, "
          f"errors: {[e[:1] for e in errors]}")


@pytest.mark.parametrize("how", ["graceful", "kill-9"])
def test_queues_attributes_tags_and_deletes_survive_restart(wharf_factory, how):
    srv = wharf_factory(name=f"restart-{how}")
    c = _client(srv)
    name = unique_name("keep")
    url = c.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "77"},
                         tags={"team": "core"})["QueueUrl"]
    c.set_queue_attributes(QueueUrl=url, Attributes={"MessageRetentionPeriod": "7200",
                                                     "MaximumMessageSize": "4096"})
    c.tag_queue(QueueUrl=url, Tags={"env": "test"})
    before = queue_attrs(c, url, "All")
    gone = c.create_queue(QueueName=unique_name("gone"))["QueueUrl"]
    c.delete_queue(QueueUrl=gone)
    drop_id = c.send_message(QueueUrl=url, MessageBody="delete me")["MessageId"]
    m = c.receive_message(QueueUrl=url)["Messages"][0]
    assert m["MessageId"] == drop_id
    c.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    keep_id = c.send_message(QueueUrl=url, MessageBody="keep me", MessageAttributes={
        "k": {"DataType": "String", "StringValue": "v"}})["MessageId"]

    if how == "graceful":
        rc = srv.stop()
        assert rc == 0, f"graceful SIGTERM shutdown exit code {rc}"
    else:
        srv.kill()
    srv.start()
    c = _client(srv)
    url2 = c.get_queue_url(QueueName=name)["QueueUrl"]
    assert url2 == f"{srv.endpoint}/{ACCOUNT}/{name}"
    after = queue_attrs(c, url2, "All")
    for k in ("VisibilityTimeout", "MessageRetentionPeriod", "MaximumMessageSize",
              "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn", "DelaySeconds"):
        assert after[k] == before[k], k
    assert after["VisibilityTimeout"] == "77"
    assert c.list_queue_tags(QueueUrl=url2)["Tags"] == {"team": "core", "env": "test"}
    assert [u for u in c.list_queues(QueueNamePrefix=name.split("-")[0] + "-").get(
        "QueueUrls", []) if u.endswith("/" + gone.rsplit("/", 1)[1])] == []
    with pytest.raises(ClientError):
        c.get_queue_url(QueueName=gone.rsplit("/", 1)[1])
    got = receive_all(c, url2, VisibilityTimeout=30, MessageAttributeNames=["All"])
    assert [(m["MessageId"], m["Body"]) for m in got] == [(keep_id, "keep me")]
    assert got[0]["MessageAttributes"] == {"k": {"DataType": "String", "StringValue": "v"}}
    assert counts(c, url2) == (0, 1, 0)
