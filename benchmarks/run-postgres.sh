#!/usr/bin/env bash
# Wharf on PostgreSQL, side by side with SQLite in one run, and against the database's own
# ceiling (pgbench on the store's statements). Writes benchmarks/results-postgres/*.json, then
# regenerates BENCHMARKS.md (which includes them). Usage: benchmarks/run-postgres.sh [quick]
# SECTIONS=sqlite,pg1,pg2,churn,ceiling (the default: all) runs some of them; FIFO_BACKLOG_SIZES=...
# overrides the fifo-backlog sizes (1,000,000 FIFO messages take ~10 minutes to prefill).
#   - send-batch, cycle, longpoll: SQLite node | one PostgreSQL node | two nodes (workers and
#     consumers spread over both; longpoll sends to one node and receives on the other);
#   - backlog 1,000 vs 1,000,000 and fifo-backlog on PostgreSQL (and fifo-backlog on SQLite);
#   - churn: 1,000,000 messages sent and deleted, then dead tuples, table size and latency;
#   - NOTIFY's cost: send-batch with and without a long poll parked on the other node;
#   - pgbench: the store's send-batch and receive+delete statements, 20 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
OUT=$REPO/benchmarks/results-postgres
mkdir -p "$OUT"
MODE=${1:-full}
if [[ $MODE == quick ]]; then
    DURATION=2; MESSAGES=20000; BACKLOG=1000,20000; FIFO_BACKLOG=1000,10000; CHURN=20000
else
    DURATION=10; MESSAGES=200000; BACKLOG=1000,1000000; FIFO_BACKLOG=1000,100000,1000000; CHURN=1000000
fi
FIFO_BACKLOG=${FIFO_BACKLOG_SIZES:-$FIFO_BACKLOG}
SECTIONS=",${SECTIONS:-sqlite,pg1,pg2,churn,ceiling},"
want() { [[ $SECTIONS == *",$1,"* ]]; }

swift build -c release --product wharf >/dev/null
WHARF="$REPO/.build/release/wharf"
PG_DIR=$(mktemp -d /tmp/wharf-bench-pg.XXXXXX); chmod 755 "$PG_DIR"
DATA=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ./scripts/postgres.sh stop "$PG_DIR" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR" "$DATA"
}
trap cleanup EXIT
PG_URL=$(./scripts/postgres.sh start "$PG_DIR" "${WHARF_BENCH_PG_PORT:-55440}")

wait_up() {
    python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1); break
    except Exception: time.sleep(0.05)
PY
}
node() {  # node PORT STORE-ARGS...
    local port=$1; shift
    "$WHARF" serve --port "$port" --data-dir "$DATA/$port" --log-level warning "$@" &
    PIDS+=($!)
    wait_up "$port"
}
stop_nodes() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
run() { echo "+ wharf bench $*" >&2; "$WHARF" bench "$@"; }
psql_() { psql "$PG_URL" -v ON_ERROR_STOP=1 -qtA "$@"; }

# --- SQLite, one node
if want sqlite; then
node 9501
E="--endpoint http://127.0.0.1:9501"
run send-batch $E --connections 32 --duration "$DURATION" --json "$OUT/sqlite-1.json"
run cycle $E --connections 32 --messages "$MESSAGES" --json "$OUT/sqlite-2.json"
run longpoll $E --connections 8 --json "$OUT/sqlite-3.json"
run fifo-backlog $E --connections 4 --duration "$DURATION" --backlog "$FIFO_BACKLOG" --json "$OUT/sqlite-4.json"
stop_nodes
fi

# --- PostgreSQL, one node
if want pg1; then
node 9502 --store "$PG_URL?schema=one"
E="--endpoint http://127.0.0.1:9502"
run send-batch $E --connections 32 --duration "$DURATION" --json "$OUT/pg1-1.json"
run cycle $E --connections 32 --messages "$MESSAGES" --json "$OUT/pg1-2.json"
run longpoll $E --connections 8 --json "$OUT/pg1-3.json"
run backlog $E --connections 16 --duration "$DURATION" --backlog "$BACKLOG" --json "$OUT/pg1-4.json"
run fifo-backlog $E --connections 4 --duration "$DURATION" --backlog "$FIFO_BACKLOG" --json "$OUT/pg1-5.json"
stop_nodes
fi

# --- PostgreSQL, two nodes on one schema
if want pg2; then
node 9503 --store "$PG_URL?schema=two"
node 9504 --store "$PG_URL?schema=two"
E="--endpoint http://127.0.0.1:9503,http://127.0.0.1:9504"
run send-batch $E --connections 32 --duration "$DURATION" --json "$OUT/pg2-1.json"
run cycle $E --connections 32 --messages "$MESSAGES" --json "$OUT/pg2-2.json"
run longpoll $E --connections 8 --json "$OUT/pg2-3.json"
# NOTIFY's cost: the same send-batch on node one, first with nobody waiting on the queue,
# then with consumers long-polling it through node two (every commit then notifies, coalesced,
# and wakes them).
python3 benchmarks/notify_cost.py "$WHARF" 9503 9504 "$DURATION" > "$OUT/pg2-notify.json"
stop_nodes
# And NOTIFY alone: both nodes told to notify every queue a message arrives in, nobody waiting.
WHARF_NOTIFY_EVERY_QUEUE=1 node 9503 --store "$PG_URL?schema=two"
WHARF_NOTIFY_EVERY_QUEUE=1 node 9504 --store "$PG_URL?schema=two"
run send-batch $E --connections 32 --duration "$DURATION" --json "$OUT/pg2n-1.json"
stop_nodes
fi

# --- Churn: 1,000,000 sends and deletes, then what vacuum left and what a receive costs.
if want churn; then
node 9505 --store "$PG_URL?schema=churn"
E="--endpoint http://127.0.0.1:9505"
run cycle $E --connections 32 --messages "$CHURN" --json "$OUT/churn-1.json"
python3 - "$PG_URL" > "$OUT/churn-tuples.json" <<'PY'
import json, subprocess, sys, time
def q(sql):
    return subprocess.run(["psql", sys.argv[1], "-qtAc", sql], capture_output=True, text=True, check=True).stdout.strip()
rows = []
for wait in (0, 30):
    time.sleep(wait)
    line = q("SELECT n_live_tup, n_dead_tup, autovacuum_count, pg_total_relation_size(relid), pg_relation_size(relid) "
             "FROM pg_stat_user_tables WHERE schemaname = 'churn' AND relname = 'messages'").split("|")
    rows.append({"after_seconds": wait, "live_tuples": int(line[0]), "dead_tuples": int(line[1]),
                 "autovacuums": int(line[2]), "total_bytes": int(line[3]), "heap_bytes": int(line[4])})
print(json.dumps(rows))
PY
run cycle $E --connections 32 --messages "$MESSAGES" --json "$OUT/churn-2.json"
stop_nodes
fi

# --- pgbench on the store's statements: the ceiling.
if want ceiling; then
node 9506 --store "$PG_URL?schema=ceiling"
QUEUE_URL=$(AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --region us-east-1 --endpoint-url http://127.0.0.1:9506 \
    sqs create-queue --queue-name ceiling --query QueueUrl --output text)
run fill --endpoint http://127.0.0.1:9506 --connections 16 --messages "$MESSAGES" --json "$OUT/ceiling-fill.json"
stop_nodes
QUEUE_ID=$(psql_ -c "SELECT id FROM ceiling.queues WHERE name LIKE 'wharf-bench-fill-%'")
benchmarks/pg-ceiling.sh "$PG_URL" ceiling "$QUEUE_ID" "$DURATION" cycle > "$OUT/pgbench-cycle.json"
benchmarks/pg-ceiling.sh "$PG_URL" ceiling "$QUEUE_ID" "$DURATION" send-batch > "$OUT/pgbench-send-batch.json"
echo "unused queue $QUEUE_URL" >/dev/null
fi

# Where these numbers come from (the section's header line); the SQLite report's own record
# (benchmarks/results/run.json) is kept: mode "postgres".
python3 - "$OUT/run.json" "$MODE" "$CHURN" "${SECTIONS//,/ }" "$FIFO_BACKLOG" <<'PY'
import datetime, json, os, platform, subprocess, sys
path, mode, churn, sections, fifo = sys.argv[1:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"],
                       capture_output=True, text=True).stdout.strip()
gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
json.dump({"date": str(datetime.date.today()), "commit": commit + (" + uncommitted changes" if dirty else ""),
           "machine": f"{os.cpu_count()} cores ({cpu}), {gib:.0f} GiB, {platform.system()} {platform.release()}",
           "command": f"SECTIONS={sections.strip().replace(' ', ',')} FIFO_BACKLOG_SIZES={fifo} benchmarks/run-postgres.sh {mode}",
           "churn": int(churn)}, open(path, "w"))
PY
python3 "$REPO/benchmarks/report.py" "$REPO/benchmarks/results" "$REPO/BENCHMARKS.md" postgres
echo "wrote $REPO/BENCHMARKS.md" >&2
