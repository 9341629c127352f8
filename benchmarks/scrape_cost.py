#!/usr/bin/env python3
"""What a Prometheus scrape of /metrics costs with many queues.

usage: scrape_cost.py WHARF_BINARY [QUEUES] [SCRAPES]

Starts `wharf serve` (SQLite, a fresh data directory, --gauge-interval 1), creates QUEUES
queues (default 1,000) with a message in each, waits until the gauges cover them, then scrapes
/metrics SCRAPES times (default 50) one after another and prints JSON: the body size, the
number of series, and the scrape latency (p50, p99, max) — the time a scrape takes the server.
"""
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3
from prometheus_client.parser import text_string_to_metric_families

PORT = 9391


def main():
    binary = sys.argv[1]
    queues = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    scrapes = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen([binary, "serve", "--port", str(PORT), "--data-dir", data,
                                   "--log-level", "warning", "--gauge-interval", "1"])
        try:
            base = f"http://127.0.0.1:{PORT}"
            for _ in range(600):
                try:
                    urllib.request.urlopen(base + "/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            sqs = boto3.client("sqs", endpoint_url=base, region_name="us-east-1",
                               aws_access_key_id="x", aws_secret_access_key="x")

            def make(i):
                url = sqs.create_queue(QueueName=f"scrape-{i:05d}")["QueueUrl"]
                sqs.send_message(QueueUrl=url, MessageBody="m")

            with ThreadPoolExecutor(16) as pool:
                list(pool.map(make, range(queues)))
            # Until the gauges have run over every queue.
            for _ in range(300):
                body = urllib.request.urlopen(base + "/metrics").read().decode()
                if body.count('sqs_messages_visible{') >= queues:
                    break
                time.sleep(0.2)
            latencies = []
            for _ in range(scrapes):
                start = time.perf_counter()
                body = urllib.request.urlopen(base + "/metrics").read()
                latencies.append((time.perf_counter() - start) * 1000)
            series = sum(len(family.samples) for family in text_string_to_metric_families(body.decode()))
            latencies.sort()
            print(json.dumps({
                "queues": queues, "scrapes": scrapes, "body_bytes": len(body), "series": series,
                "p50_ms": round(statistics.median(latencies), 2),
                "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
                "max_ms": round(latencies[-1], 2),
            }, indent=2))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
