"""A small disk, for real (issue 15): a 64 MB tmpfs under the data directory, a filler file.

Below --min-free-disk, sends and new queues get a retryable 503 that names the watermark and
/ready answers 503, while receives and deletes drain the queue; freeing space resumes
everything without a restart. With the watermark off and the disk truly full (ENOSPC from
SQLite), sends get a 503, never a 2xx for what was not stored, and sends resume once space is
back. After a kill -9, every acknowledged message not deleted is there. SQLite only (a
PostgreSQL node cannot see its database's disk), and only where tmpfs can be mounted (root).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
import uuid

import pytest
import requests
from botocore.exceptions import ClientError

from wharfutil import POSTGRES_URL, WharfServer, make_client, receive_all, unique_name

MIB = 1024 * 1024

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="the disk watermark watches a SQLite data directory")


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def free_bytes(path) -> int:
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


def fill(path, leave: int) -> None:
    """Writes a filler file until `leave` bytes are free (0: until ENOSPC)."""
    chunk = b"\0" * MIB
    with open(path / "filler", "ab") as filler:
        while True:
            room = free_bytes(path) - leave
            if room <= 0:
                break
            try:
                filler.write(chunk[:min(room, MIB)] if leave else chunk)
                filler.flush()
            except OSError:
                break
    descriptor = os.open(path / "filler", os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)   # an open descriptor would keep the space after the unlink


def ready_status(srv) -> tuple[int, str]:
    r = requests.get(srv.endpoint + "/ready", timeout=5)
    return r.status_code, r.text


def send_or_status(client, url, body) -> int:
    try:
        client.send_message(QueueUrl=url, MessageBody=body)
        return 200
    except ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"]


def start(small_disk, tmp_path, watermark: str) -> WharfServer:
    return WharfServer(small_disk / "data", tmp_path / "server.log",
                       extra_args=["--min-free-disk", watermark]).start()


def test_below_the_watermark_sends_wait_and_queues_drain(small_disk, tmp_path):
    srv = start(small_disk, tmp_path, "16MiB")
    try:
        c = make_client("json", srv.endpoint)
        url = c.create_queue(QueueName=unique_name("disk"))["QueueUrl"]
        acked = set()
        for n in range(100):
            body = f"m{n}-" + "x" * 1000
            c.send_message(QueueUrl=url, MessageBody=body)
            acked.add(body)
        assert ready_status(srv)[0] == 200

        fill(small_disk, leave=8 * MIB)
        time.sleep(1.2)  # the free space is read at most once a second
        try:
            c.send_message(QueueUrl=url, MessageBody="refused")
            pytest.fail("a send below the watermark was accepted")
        except ClientError as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 503
            assert e.response["Error"]["Code"] in ("ServiceUnavailable", "AWS.SimpleQueueService.ServiceUnavailable")
            assert "watermark" in e.response["Error"]["Message"]
        with pytest.raises(ClientError) as refused:
            c.create_queue(QueueName=unique_name("disk-new"))
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        status, text = ready_status(srv)
        assert status == 503 and "watermark" in text
        assert "disk below the watermark" in srv.log_tail()

        # Draining works: receive, change visibility, delete (single and batch).
        got = receive_all(c, url, expected=30, timeout=10, VisibilityTimeout=60)
        assert len(got) >= 30
        c.change_message_visibility(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"], VisibilityTimeout=0)
        c.delete_message(QueueUrl=url, ReceiptHandle=got[1]["ReceiptHandle"])
        acked.discard(got[1]["Body"])
        for start_at in range(2, 30, 10):
            batch = got[start_at:start_at + 10]
            r = c.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
            assert not r.get("Failed"), r
            for m in batch:
                acked.discard(m["Body"])

        # Space back: everything resumes by itself.
        os.remove(small_disk / "filler")
        time.sleep(1.2)
        assert send_or_status(c, url, "resumed") == 200
        acked.add("resumed")
        assert ready_status(srv)[0] == 200
        assert "writes resume" in srv.log_tail()

        srv.kill()
        srv.start()
        c = make_client("json", srv.endpoint)
        bodies = {m["Body"] for m in receive_all(c, url, timeout=20, delete=True)}
        assert acked <= bodies, f"{len(acked - bodies)} acknowledged messages lost"
    finally:
        srv.stop()


def test_a_full_disk_refuses_sends_and_recovers_without_a_restart(small_disk, tmp_path):
    srv = start(small_disk, tmp_path, "0")
    try:
        c = make_client("json", srv.endpoint)
        url = c.create_queue(QueueName=unique_name("full"))["QueueUrl"]
        fill(small_disk, leave=0)
        assert free_bytes(small_disk) < MIB

        acked, statuses = set(), {}
        payload = "y" * 4000
        for n in range(20_000):
            body = f"f{n}-{uuid.uuid4()}-{payload}"
            status = send_or_status(c, url, body)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                acked.add(body)
            elif statuses[status] >= 20:
                break
        print(f"full disk: answers {statuses}")
        assert set(statuses) <= {200, 503}, statuses
        assert statuses.get(503, 0) >= 20, statuses
        assert "disk is full" in srv.log_tail()

        # Space back: sends go through again, without a restart.
        os.remove(small_disk / "filler")
        deadline = time.monotonic() + 10
        while send_or_status(c, url, "after") != 200:
            assert time.monotonic() < deadline, "sends did not resume once space was freed"
            time.sleep(0.2)
        acked.add("after")

        srv.kill()
        srv.start()
        c = make_client("json", srv.endpoint)
        bodies = {m["Body"] for m in receive_all(c, url, timeout=60, delete=True)}
        assert acked <= bodies, f"{len(acked - bodies)} of {len(acked)} acknowledged messages lost"
        srv.stop()
        with sqlite3.connect(small_disk / "data" / "wharf.sqlite") as db:
            assert [row[0] for row in db.execute("PRAGMA integrity_check")] == ["ok"]
    finally:
        srv.stop()
