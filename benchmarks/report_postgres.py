"""The PostgreSQL section of BENCHMARKS.md, from benchmarks/run-postgres.sh's JSON files
(benchmarks/results-postgres). Imported by report.py; returns Markdown lines, or none when
there are no results."""
import glob, json, os


def section(results_dir, fmt):
    if not os.path.isdir(results_dir):
        return []

    def load(prefix):
        rows = {}
        for path in sorted(glob.glob(os.path.join(results_dir, f"{prefix}-*.json"))):
            data = json.load(open(path))
            if isinstance(data, list):
                for row in data:
                    if isinstance(row, dict) and "workload" in row:
                        rows[row["workload"]] = row
        return rows

    def one(name):
        path = os.path.join(results_dir, name)
        return json.load(open(path)) if os.path.exists(path) else None

    sqlite, pg1, pg2, pg2n = load("sqlite"), load("pg1"), load("pg2"), load("pg2n")
    if not pg1:
        return []

    def mps(rows, name):
        row = rows.get(name)
        return row["messagesPerSecond"] if row else 0.0

    def cell(rows, name):
        row = rows.get(name)
        return f"{fmt(row['messagesPerSecond'])} ({row['p50Millis']:.2f} / {row['p99Millis']:.2f})" if row else "—"

    run = one("run.json") or {}
    lines = ["## PostgreSQL: one node, two nodes, side by side with SQLite (same run)", "",
             f"Run on {run.get('date', '?')} at commit `{run.get('commit', '?')}` "
             f"(`{run.get('command', 'benchmarks/run-postgres.sh')}`), {run.get('machine', 'machine not recorded')}.", "",
             "`benchmarks/run-postgres.sh`: PostgreSQL 15 from Debian's packages on the same machine "
             "(`synchronous_commit = on`, `fsync = on`, shared_buffers 256 MB), nodes with the default "
             "pool of 20 connections; the load generator, the nodes and PostgreSQL share the 2 cores.", "",
             "| workload | SQLite node msgs/s (p50 / p99 ms) | 1 PostgreSQL node | 2 nodes, one database | 2 nodes ÷ 1 |",
             "|---|---:|---:|---:|---:|"]
    for name in ["send-batch", "cycle", "longpoll"]:
        ratio = mps(pg2, name) / mps(pg1, name) if mps(pg1, name) and name != "longpoll" else None
        lines.append(f"| {name} | {cell(sqlite, name)} | {cell(pg1, name)} | {cell(pg2, name)} | "
                     f"{'—' if ratio is None else f'{ratio:.2f}×'} |")
    lines += ["", "`longpoll` on two nodes is the wake-up *across* nodes: sent through node one, received by "
              "consumers parked on node two (latency = send → receipt).", ""]

    backlog = sorted((n for n in pg1 if n.startswith("backlog-")), key=lambda n: int(n.split("-")[1]))
    fifo_pg = sorted((n for n in pg1 if n.startswith("fifo-backlog-")), key=lambda n: int(n.split("-")[2]))
    if backlog or fifo_pg:
        def rcell(rows, name):
            row = rows.get(name)
            return f"{fmt(row['requestsPerSecond'])} ({row['p50Millis']:.2f} / {row['p99Millis']:.2f})" if row else "—"
        lines += ["### Receive cost against the backlog", "",
                  "| workload | SQLite receives/s (p50 / p99 ms) | PostgreSQL receives/s (p50 / p99 ms) |", "|---|---:|---:|"]
        for name in backlog + fifo_pg:
            lines.append(f"| {name} | {rcell(sqlite, name)} | {rcell(pg1, name)} |")
        lines += ["", "`backlog-N`: receive 10 with VisibilityTimeout 0 over N waiting messages. "
                  "`fifo-backlog-N`: a FIFO receive of one group's message while N messages wait behind "
                  "another group whose head is in flight.", ""]

    ceiling = {name: one(f"pgbench-{name}.json") for name in ("send-batch", "cycle")}
    if any(ceiling.values()):
        lines += ["### Against the database's own ceiling", "",
                  "pgbench running the store's own statements (`benchmarks/pgbench/*.sql`: the batch INSERT; "
                  "the receive claim and the delete) with 20 connections, as many as one node's pool:", "",
                  "| workload | pgbench msgs/s | one Wharf node msgs/s | Wharf ÷ pgbench |", "|---|---:|---:|---:|"]
        for name, row in ceiling.items():
            if row:
                wharf = mps(pg1, name)
                lines.append(f"| {name} | {fmt(row['messages_per_second'])} | {fmt(wharf)} | "
                             f"{100 * wharf / row['messages_per_second']:.0f} % |")
        lines.append("")

    churn = one("churn-tuples.json")
    if churn:
        # Both files hold a "cycle" row: read each on its own.
        c1, c2 = [(one(name) or [None])[0] for name in ("churn-1.json", "churn-2.json")]
        lines += ["### Churn: dead tuples and latency after sends and deletes", "",
                  f"{run.get('churn', 1_000_000):,} messages sent (the cycle's prefill), received and deleted "
                  f"for {c1['seconds']:.0f} s at {fmt(c1['messagesPerSecond'])} msgs/s, the rest deleted with their "
                  "queue (DeleteQueue); then the `messages` table:" if c1 else "?", "",
                  "| when | live tuples | dead tuples | autovacuum runs | table + indexes | heap |", "|---|---:|---:|---:|---:|---:|"]
        for row in churn:
            lines.append(f"| +{row['after_seconds']} s | {fmt(row['live_tuples'])} | {fmt(row['dead_tuples'])} | "
                         f"{row['autovacuums']} | {row['total_bytes'] / 2**20:.1f} MiB | {row['heap_bytes'] / 2**20:.1f} MiB |")
        if c1 and c2:
            lines += ["", f"The receive + delete cycle afterwards: {fmt(c2['messagesPerSecond'])} msgs/s, "
                      f"p50 {c2['p50Millis']:.2f} / p99 {c2['p99Millis']:.2f} ms (during the churn: "
                      f"p50 {c1['p50Millis']:.2f} / p99 {c1['p99Millis']:.2f} ms)."]
        lines.append("")

    notify = one("pg2-notify.json")
    if notify:
        quiet, watched = notify["nobody_waiting"], notify["consumers_waiting_on_the_other_node"]
        lines += ["### What LISTEN/NOTIFY costs the senders", "",
                  f"send-batch through node one: {fmt(quiet['messagesPerSecond'])} msgs/s with nobody waiting on the "
                  f"queue, {fmt(watched['messagesPerSecond'])} msgs/s with four consumers long-polling it through "
                  f"node two (so that every send is followed by a coalesced NOTIFY; the consumers received "
                  f"{fmt(notify['messages_received_by_the_waiting_consumers'])} messages meanwhile): "
                  f"{100 * notify['throughput_ratio']:.0f} % (this includes the consumers' own receives).", ""]
    if pg2n.get("send-batch") and pg2.get("send-batch"):
        lines += [f"NOTIFY alone (both nodes told to notify every queue a message arrives in, nobody waiting): "
                  f"send-batch over two nodes {fmt(mps(pg2n, 'send-batch'))} msgs/s vs {fmt(mps(pg2, 'send-batch'))} "
                  f"without ({100 * mps(pg2n, 'send-batch') / mps(pg2, 'send-batch'):.0f} %): what notifying only "
                  f"waited-on queues saves.", ""]
    return lines
