"""Message move tasks (DLQ redrive): StartMessageMoveTask, ListMessageMoveTasks,
CancelMessageMoveTask, exactly-once moves and restarts (docs/sqs-behaviour.md#operations, #numeric-parameters, #message-move-tasks)."""

import time
from collections import Counter

import pytest

from redrive import arn_of, drain, drive_to_dlq, rp
from redrive import new_queue as shared_new_queue
from wharfutil import counts, expect_error, make_client, now_ms, unique_name

NOT_A_DLQ = "Source queue must be configured as a Dead Letter Queue."
ALREADY_RUNNING = ("There is already a task running. Only one active task is allowed for a source "
                   "queue arn at a given time.")
NO_SOURCE = "The resource that you specified for the SourceArn parameter doesn't exist."
NO_DESTINATION = "The resource that you specified for the DestinationArn parameter doesn't exist."
BAD_HANDLE = "Value for parameter TaskHandle is invalid."
FINAL = ("COMPLETED", "CANCELLED", "FAILED")


def new_queue(sqs, **attrs):
    return shared_new_queue(sqs, prefix="mv", **attrs)


def fill(sqs, src, dlq, bodies):
    """Send `bodies` to src and dead-letter them into dlq (maxReceiveCount 1)."""
    before = counts(sqs, dlq)[0]
    for k in range(0, len(bodies), 10):
        r = sqs.send_message_batch(QueueUrl=src, Entries=[
            {"Id": f"e{i}", "MessageBody": b} for i, b in enumerate(bodies[k:k + 10])])
        assert not r.get("Failed"), r
    drive_to_dlq(sqs, src, dlq, before + len(bodies))


def setup_dlq(sqs, n, sources=1):
    """A DLQ holding n messages per source. Returns (dlq, dlq_arn, [src urls], {body: src})."""
    dlq = new_queue(sqs)
    dlq_arn = arn_of(sqs, dlq)
    srcs = [new_queue(sqs, RedrivePolicy=rp(dlq_arn)) for _ in range(sources)]
    origin = {}
    for s, src in enumerate(srcs):
        bodies = [f"s{s}-m{i}" for i in range(n)]
        fill(sqs, src, dlq, bodies)
        origin.update({b: src for b in bodies})
    return dlq, dlq_arn, srcs, origin


def drain_bodies(sqs, url, timeout=10.0):
    return [m["Body"] for m in drain(sqs, url, timeout)]


def tasks(sqs, source_arn, max_results=10):
    return sqs.list_message_move_tasks(SourceArn=source_arn,
                                       MaxResults=max_results).get("Results", [])


def wait_final(sqs, source_arn, statuses=FINAL, timeout=30.0):
    """Poll the newest task of source_arn until its status is one of `statuses`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        res = tasks(sqs, source_arn, 1)
        if res:
            last = res[0]
            if last["Status"] in statuses:
                return last
        time.sleep(0.1)
    raise AssertionError(f"task did not reach {statuses} within {timeout}s: {last}")


def start(sqs, source_arn, **kw):
    r = sqs.start_message_move_task(SourceArn=source_arn, **kw)
    assert isinstance(r.get("TaskHandle"), str) and r["TaskHandle"], r
    return r["TaskHandle"]


def cancel_quietly(sqs, handle):
    try:
        sqs.cancel_message_move_task(TaskHandle=handle)
    except Exception:  # noqa: BLE001 - best-effort cleanup
        pass


# ------------------------------------------------------------------------------- StartMessageMoveTask errors

def test_start_on_queue_that_is_not_a_dlq(sqs, queue):
    # docs/sqs-behaviour.md#message-move-tasks [A]
    with expect_error("InvalidParameterValue", 400, message=NOT_A_DLQ):
        sqs.start_message_move_task(SourceArn=arn_of(sqs, queue))


def test_start_on_nonexistent_source(sqs, queue):
    # docs/sqs-behaviour.md#error-codes [A]
    missing = arn_of(sqs, queue).rsplit(":", 1)[0] + ":" + unique_name("missing")
    with expect_error("ResourceNotFoundException", 404, message=NO_SOURCE):
        sqs.start_message_move_task(SourceArn=missing)


def test_start_with_nonexistent_destination(sqs):
    dlq, dlq_arn, _, _ = setup_dlq(sqs, 2)
    missing = dlq_arn.rsplit(":", 1)[0] + ":" + unique_name("missing")
    with expect_error("ResourceNotFoundException", 404, message=NO_DESTINATION):
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=missing)
    assert tasks(sqs, dlq_arn) == []
    assert counts(sqs, dlq) == (2, 0, 0)


@pytest.mark.parametrize("rate", [0, 501, -1])
def test_max_rate_out_of_range(sqs, rate):
    """docs/sqs-behaviour.md#numeric-parameters: MaxNumberOfMessagesPerSecond 1..500 ([U] code). Choice: InvalidParameterValue."""
    dlq, dlq_arn, _, _ = setup_dlq(sqs, 1)
    with expect_error("InvalidParameterValue", 400):
        sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=rate)
    assert tasks(sqs, dlq_arn) == []
    assert counts(sqs, dlq) == (1, 0, 0)


@pytest.mark.parametrize("rate", [1, 500])
def test_max_rate_bounds_accepted(sqs, rate):
    dlq, dlq_arn, _, _ = setup_dlq(sqs, 1)
    h = start(sqs, dlq_arn, MaxNumberOfMessagesPerSecond=rate)
    try:
        t = tasks(sqs, dlq_arn)[0]
        assert t["MaxNumberOfMessagesPerSecond"] == rate
        assert wait_final(sqs, dlq_arn)["Status"] == "COMPLETED"
    finally:
        cancel_quietly(sqs, h)


# ------------------------------------------------------------------------------- destinations

def test_default_destination_is_each_messages_original_source(sqs):
    dlq, dlq_arn, srcs, origin = setup_dlq(sqs, 3, sources=2)
    start(sqs, dlq_arn)
    t = wait_final(sqs, dlq_arn)
    assert t["Status"] == "COMPLETED"
    assert "DestinationArn" not in t  # only when given (docs/sqs-behaviour.md#message-move-tasks [A])
    assert t["ApproximateNumberOfMessagesMoved"] == 6
    assert t["ApproximateNumberOfMessagesToMove"] == 6
    assert counts(sqs, dlq) == (0, 0, 0)
    for src in srcs:
        assert sorted(drain_bodies(sqs, src)) == sorted(b for b, s in origin.items() if s == src)


def test_explicit_destination(sqs):
    dlq, dlq_arn, srcs, origin = setup_dlq(sqs, 4)
    dest = new_queue(sqs)
    dest_arn = arn_of(sqs, dest)
    start(sqs, dlq_arn, DestinationArn=dest_arn)
    t = wait_final(sqs, dlq_arn)
    assert t["Status"] == "COMPLETED"
    assert t["DestinationArn"] == dest_arn
    assert t["SourceArn"] == dlq_arn
    assert sorted(drain_bodies(sqs, dest)) == sorted(origin)
    assert counts(sqs, dlq) == (0, 0, 0)
    assert counts(sqs, srcs[0]) == (0, 0, 0)


def test_task_completes_and_moves_every_message_exactly_once(sqs):
    dlq, dlq_arn, _, origin = setup_dlq(sqs, 30)
    dest = new_queue(sqs)
    start(sqs, dlq_arn, DestinationArn=arn_of(sqs, dest))
    t = wait_final(sqs, dlq_arn)
    assert t["Status"] == "COMPLETED"
    assert t["ApproximateNumberOfMessagesMoved"] == 30
    assert t["ApproximateNumberOfMessagesToMove"] == 30
    got = drain_bodies(sqs, dest)
    dup = [b for b, k in Counter(got).items() if k > 1]
    assert not dup, f"moved more than once: {dup}"
    assert sorted(got) == sorted(origin)
    assert counts(sqs, dlq) == (0, 0, 0)


# ------------------------------------------------------------------------------- ListMessageMoveTasks

def test_list_fields_while_running(sqs):
    dlq, dlq_arn, _, _ = setup_dlq(sqs, 6)
    dest_arn = arn_of(sqs, new_queue(sqs))
    t0 = now_ms()
    h = start(sqs, dlq_arn, DestinationArn=dest_arn, MaxNumberOfMessagesPerSecond=1)
    try:
        res = tasks(sqs, dlq_arn)
        assert len(res) == 1
        t = res[0]
        assert t["Status"] == "RUNNING"
        assert t["TaskHandle"] == h
        assert t["SourceArn"] == dlq_arn
        assert t["DestinationArn"] == dest_arn
        assert t["MaxNumberOfMessagesPerSecond"] == 1
        assert t["ApproximateNumberOfMessagesToMove"] == 6
        assert 0 <= t["ApproximateNumberOfMessagesMoved"] < 6
        assert t0 - 5000 <= t["StartedTimestamp"] <= now_ms() + 5000  # epoch milliseconds
        assert "FailureReason" not in t
    finally:
        cancel_quietly(sqs, h)


def test_list_completed_entry_fields(sqs):
    dlq, dlq_arn, _, _ = setup_dlq(sqs, 2)
    start(sqs, dlq_arn)
    t = wait_final(sqs, dlq_arn)
    assert t["Status"] == "COMPLETED"
    assert "TaskHandle" not in t  # only for RUNNING (docs/sqs-behaviour.md#message-move-tasks [D][A])
    assert "MaxNumberOfMessagesPerSecond" not in t  # only when given
    assert "FailureReason" not in t
    assert t["ApproximateNumberOfMessagesMoved"] == 2
    assert isinstance(t["StartedTimestamp"], int)


def test_list_most_recent_first_and_max_results(sqs):
    dlq, dlq_arn, srcs, _ = setup_dlq(sqs, 2)
    sink_arn = arn_of(sqs, new_queue(sqs))
    start(sqs, dlq_arn, DestinationArn=sink_arn)
    assert wait_final(sqs, dlq_arn)["Status"] == "COMPLETED"
    fill(sqs, srcs[0], dlq, ["second-a", "second-b"])
    start(sqs, dlq_arn, DestinationArn=sink_arn)
    assert wait_final(sqs, dlq_arn)["Status"] == "COMPLETED"
    fill(sqs, srcs[0], dlq, [f"third-{i}" for i in range(6)])
    h3 = start(sqs, dlq_arn, DestinationArn=sink_arn, MaxNumberOfMessagesPerSecond=1)
    try:
        default = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        assert len(default) == 1  # MaxResults defaults to 1
        assert default[0]["TaskHandle"] == h3
        res = tasks(sqs, dlq_arn, 10)
        assert [t["Status"] for t in res] == ["RUNNING", "COMPLETED", "COMPLETED"]
        stamps = [t["StartedTimestamp"] for t in res]
        assert stamps == sorted(stamps, reverse=True)
        assert [t["ApproximateNumberOfMessagesToMove"] for t in res] == [6, 2, 2]
        assert len(tasks(sqs, dlq_arn, 2)) == 2
    finally:
        cancel_quietly(sqs, h3)


@pytest.mark.parametrize("max_results", [0, 11])
def test_list_max_results_out_of_range(sqs, max_results):
    """docs/sqs-behaviour.md#operations, #numeric-parameters: MaxResults 1..10 ([U] code). Choice: InvalidParameterValue."""
    _, dlq_arn, _, _ = setup_dlq(sqs, 1)
    with expect_error("InvalidParameterValue", 400):
        sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=max_results)


def test_list_without_tasks_and_for_missing_source(sqs):
    """Choice: a nonexistent SourceArn → 404 ResourceNotFoundException (the modeled error)."""
    _, dlq_arn, _, _ = setup_dlq(sqs, 1)
    assert sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10).get("Results", []) == []
    missing = dlq_arn.rsplit(":", 1)[0] + ":" + unique_name("missing")
    with expect_error("ResourceNotFoundException", 404):
        sqs.list_message_move_tasks(SourceArn=missing)


# ------------------------------------------------------------------------------- one active task, cancel

def test_one_active_task_per_source(sqs):
    dlq, dlq_arn, _, _ = setup_dlq(sqs, 6)
    h = start(sqs, dlq_arn, MaxNumberOfMessagesPerSecond=1)
    try:
        with expect_error("InvalidParameterValue", 400, message=ALREADY_RUNNING):
            sqs.start_message_move_task(SourceArn=dlq_arn)
    finally:
        cancel_quietly(sqs, h)
    assert wait_final(sqs, dlq_arn)["Status"] == "CANCELLED"
    # once the first is no longer active a new one may start
    start(sqs, dlq_arn)
    assert wait_final(sqs, dlq_arn)["Status"] == "COMPLETED"
    assert [t["Status"] for t in tasks(sqs, dlq_arn)] == ["COMPLETED", "CANCELLED"]


def test_cancel_running_task(sqs):
    dlq, dlq_arn, _, origin = setup_dlq(sqs, 10)
    dest = new_queue(sqs)
    h = start(sqs, dlq_arn, DestinationArn=arn_of(sqs, dest), MaxNumberOfMessagesPerSecond=1)
    time.sleep(1.2)
    r = sqs.cancel_message_move_task(TaskHandle=h)
    moved_at_cancel = r["ApproximateNumberOfMessagesMoved"]
    assert isinstance(moved_at_cancel, int) and 0 <= moved_at_cancel < 10
    t = tasks(sqs, dlq_arn)[0]
    assert t["Status"] in ("CANCELLING", "CANCELLED")
    t = wait_final(sqs, dlq_arn)
    assert t["Status"] == "CANCELLED"
    assert "TaskHandle" not in t
    assert moved_at_cancel <= t["ApproximateNumberOfMessagesMoved"] < 10
    # already-moved messages stay moved; the rest stay in the DLQ; nothing lost or duplicated
    in_dest, in_dlq = drain_bodies(sqs, dest), drain_bodies(sqs, dlq)
    assert len(in_dest) == t["ApproximateNumberOfMessagesMoved"]
    assert in_dlq, "cancel did not stop the task"
    assert sorted(in_dest + in_dlq) == sorted(origin)


def test_cancel_finished_task_fails(sqs):
    """docs/sqs-behaviour.md#message-move-tasks [D]: only RUNNING tasks can be cancelled. Choice: a finished task's handle →
    404 ResourceNotFoundException (the operation's only modeled error)."""
    _, dlq_arn, _, _ = setup_dlq(sqs, 1)
    h = start(sqs, dlq_arn)
    assert wait_final(sqs, dlq_arn)["Status"] == "COMPLETED"
    with expect_error("ResourceNotFoundException", 404):
        sqs.cancel_message_move_task(TaskHandle=h)
    assert tasks(sqs, dlq_arn)[0]["Status"] == "COMPLETED"


@pytest.mark.parametrize("handle", ["garbage", "x" * 300], ids=["garbage", "long"])
def test_cancel_malformed_handle(sqs, handle):
    # docs/sqs-behaviour.md#message-move-tasks [A]
    with expect_error("InvalidParameterValue", 400, message=BAD_HANDLE):
        sqs.cancel_message_move_task(TaskHandle=handle)


def test_destination_deleted_mid_run_fails_task(sqs):
    # docs/sqs-behaviour.md#message-move-tasks [A]: FailureReason AWS.SimpleQueueService.NonExistentQueue.
    dlq, dlq_arn, _, _ = setup_dlq(sqs, 5)
    dest = new_queue(sqs)
    h = start(sqs, dlq_arn, DestinationArn=arn_of(sqs, dest), MaxNumberOfMessagesPerSecond=1)
    try:
        sqs.delete_queue(QueueUrl=dest)
        t = wait_final(sqs, dlq_arn, timeout=15)
    finally:
        cancel_quietly(sqs, h)
    assert t["Status"] == "FAILED"
    assert t["FailureReason"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert "TaskHandle" not in t
    # messages not moved are still in the DLQ
    assert len(drain_bodies(sqs, dlq)) == 5 - t["ApproximateNumberOfMessagesMoved"]


# ------------------------------------------------------------------------------- restart

def test_task_survives_kill_9(wharf_factory, protocol):
    """A running task is resumed to COMPLETED or reported FAILED after kill -9 — never lost —
    and no message is lost or duplicated across source, DLQ and destination."""
    srv = wharf_factory(name="move-restart")
    c = make_client(protocol, srv.endpoint, connect_timeout=2, read_timeout=15)
    dlq, dlq_arn, srcs, origin = setup_dlq(c, 15)
    dest = new_queue(c)
    dest_arn = arn_of(c, dest)
    names = [u.rsplit("/", 1)[1] for u in (dlq, dest, srcs[0])]
    start(c, dlq_arn, DestinationArn=dest_arn, MaxNumberOfMessagesPerSecond=5)
    time.sleep(1.0)
    assert tasks(c, dlq_arn)[0]["Status"] == "RUNNING"
    srv.kill()
    srv.start()
    c = make_client(protocol, srv.endpoint, connect_timeout=2, read_timeout=15)
    res = tasks(c, dlq_arn)
    assert len(res) == 1, f"task lost across the restart: {res}"
    t = wait_final(c, dlq_arn)
    assert t["Status"] in ("COMPLETED", "FAILED"), t
    if t["Status"] == "FAILED":
        assert t.get("FailureReason")
    dlq, dest, src = (c.get_queue_url(QueueName=n)["QueueUrl"] for n in names)
    in_dest, in_dlq, in_src = drain_bodies(c, dest), drain_bodies(c, dlq), drain_bodies(c, src)
    everything = in_dest + in_dlq + in_src
    dup = [b for b, k in Counter(everything).items() if k > 1]
    assert not dup, f"duplicated across the restart: {dup}"
    assert sorted(everything) == sorted(origin), "messages lost across the restart"
    if t["Status"] == "COMPLETED":
        assert sorted(in_dest) == sorted(origin)
