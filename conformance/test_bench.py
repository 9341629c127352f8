"""`wharf bench` smoke: every workload runs against a live Wharf and against moto_server
without errors. No thresholds: performance numbers live in BENCHMARKS.md (benchmarks/run.sh).
"""

from __future__ import annotations

import json
import socket
import subprocess
import time

from wharfutil import free_port, wharf_binary


def run_bench(endpoint: str, workloads: list[str], out, *extra: str) -> dict:
    cmd = [str(wharf_binary()), "bench", *workloads, "--endpoint", endpoint, "--json", str(out), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    results = {r["workload"]: r for r in json.loads(out.read_text())}
    # The text report prints one line per result too.
    assert all(name in proc.stdout for name in results)
    return results


def test_every_workload_runs_against_wharf(server, tmp_path):
    results = run_bench(server.endpoint, ["all"], tmp_path / "wharf.json",
                        "--duration", "1", "--connections", "4", "--messages", "200", "--backlog", "50,300")
    assert set(results) == {"health", "send", "send-batch", "cycle", "mixed-send", "mixed-receive",
                            "longpoll", "backlog-50", "backlog-300", "fifo-backlog-50", "fifo-backlog-300"}
    for name, r in results.items():
        assert r["errors"] == 0, (name, r.get("firstError"))
        assert r["requests"] > 0, name
        if name != "health":
            assert r["messages"] > 0, name
        assert 0 < r["p50Millis"] <= r["p99Millis"] <= r["p999Millis"], name
    # The cycle drains exactly what was prefilled; the long poll receives every message sent.
    assert results["cycle"]["messages"] == 200
    assert results["longpoll"]["messages"] == 200


def test_fill_leaves_its_queue(server, sqs, tmp_path):
    results = run_bench(server.endpoint, ["fill"], tmp_path / "fill.json", "--messages", "120", "--connections", "3")
    queue = results["fill"]["note"].split()[1]
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "120"


def test_runs_against_moto_server(tmp_path):
    """The load generator is not Wharf-specific: any SQS endpoint that speaks AWS JSON 1.0."""
    port = free_port()
    moto = subprocess.Popen(["moto_server", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.time() < deadline, "moto_server did not start"
                time.sleep(0.1)
        results = run_bench(f"http://127.0.0.1:{port}", ["send", "send-batch", "cycle"], tmp_path / "moto.json",
                            "--duration", "1", "--connections", "2", "--messages", "40")
        for name, r in results.items():
            assert r["errors"] == 0, (name, r.get("firstError"))
            assert r["messages"] > 0, name
        # Every prefilled message came back; a standard queue delivers at least once, and a
        # loaded machine made moto hand one out twice in a CI run (41).
        assert results["cycle"]["messages"] >= 40
    finally:
        moto.terminate()
        moto.wait(timeout=10)
