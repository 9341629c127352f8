"""What the reliability scripts share: a throwaway PostgreSQL cluster, `wharf serve` nodes on
it (or on SQLite), boto3 clients that do not retry (so that every 503 is seen), and a ledger of
acknowledged operations to check nothing was lost."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

REPO = Path(__file__).resolve().parent.parent


def wharf_binary() -> str:
    return os.environ.get("WHARF_BIN") or str(REPO / ".build" / "debug" / "wharf")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """scripts/postgres.sh on a directory and port of its own."""

    def __init__(self, port: int | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="wharf-rel-pg-"))
        os.chmod(self.dir, 0o755)
        self.port = port or free_port()
        self.url = ""

    def _script(self, action: str) -> str:
        return subprocess.run([str(REPO / "scripts" / "postgres.sh"), action, str(self.dir), str(self.port)],
                              check=True, capture_output=True, text=True).stdout.strip()

    def start(self) -> "Postgres":
        self.url = self._script("start")
        return self

    def stop(self) -> None:
        self._script("stop")

    def pg_ctl(self, *args: str) -> None:
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        command = [str(bindir / "pg_ctl"), "-D", str(self.dir), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def restart(self, mode: str = "fast") -> None:
        """Down (fast: clients disconnected; immediate: a crash, recovery from the WAL), then up."""
        self.pg_ctl("-m", mode, "-w", "stop")

    def start_again(self) -> None:
        self.pg_ctl("-l", str(self.dir / "server.log"), "-w", "-t", "60", "start")

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            subprocess.run(["rm", "-rf", str(self.dir)], check=False)


class Node:
    """One `wharf serve` process."""

    def __init__(self, store: str | None, log: Path, data_dir: Path | None = None, port: int | None = None):
        self.store = store
        self.log = log
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="wharf-rel-data-"))
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "Node":
        args = [wharf_binary(), "serve", "--port", str(self.port), "--data-dir", str(self.data_dir),
                "--log-level", "warning"]
        if self.store:
            args += ["--store", self.store]
        self.proc = subprocess.Popen(args, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"wharf exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.endpoint + "/health", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("wharf did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def ready(self) -> int:
        try:
            return urllib.request.urlopen(self.endpoint + "/ready", timeout=2).status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0


def client(endpoint: str, timeout: float = 30):
    """A boto3 SQS client that never retries: each answer is the server's first."""
    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                      connect_timeout=5, read_timeout=timeout, max_pool_connections=50))


def status_of(error: Exception) -> int:
    response = getattr(error, "response", None) or {}
    return response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0


class Ledger:
    """Thread-safe record of what the server acknowledged and what consumers saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked: set[str] = set()      # bodies whose send got a 2xx
        self.attempted: set[str] = set()  # bodies sent, whatever the answer
        self.received: dict[str, int] = {}
        self.statuses: dict[int, int] = {}
        self.failures: dict[str, int] = {}   # errors without an HTTP answer, by type

    def count(self, status: int, error: Exception | None = None, operation: str = "") -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 0 and error is not None:
                name = f"{operation} {type(error).__name__}".strip()
                self.failures[name] = self.failures.get(name, 0) + 1

    def summary(self) -> dict:
        with self.lock:
            lost = self.acked - set(self.received)
            return {
                "acked_sends": len(self.acked), "attempted_sends": len(self.attempted),
                "received_distinct": len(self.received),
                "received_twice_or_more": sum(1 for c in self.received.values() if c > 1),
                "lost": len(lost), "lost_examples": sorted(lost)[:5],
                "unacked_but_delivered": len(set(self.received) - self.acked),
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
                "errors_without_an_answer": dict(self.failures),
            }


def results_dir() -> Path:
    """reliability/results (the documented runs), or $WHARF_RELIABILITY_RESULTS (CI's bounded
    runs write there, so they do not overwrite the documented results)."""
    out = Path(os.environ.get("WHARF_RELIABILITY_RESULTS") or REPO / "reliability" / "results")
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_result(name: str, result: dict) -> None:
    out = results_dir()
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
