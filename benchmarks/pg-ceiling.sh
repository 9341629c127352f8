#!/usr/bin/env bash
# The ceiling for the PostgreSQL store: the store's own send-batch and receive+delete statements
# (benchmarks/pgbench/*.sql) driven by pgbench on the same database, with as many connections as
# one Wharf node's pool (20). Prints messages/s for each, as JSON lines.
#   benchmarks/pg-ceiling.sh POSTGRES_URL SCHEMA QUEUE_ID [SECONDS] [send-batch|cycle]
# The schema must hold Wharf's tables and the queue (benchmarks/run-postgres.sh prepares them);
# the cycle run needs a prefilled queue.
set -euo pipefail
cd "$(dirname "$0")"
url=$1; schema=$2; queue=$3; seconds=${4:-10}; workload=${5:-send-batch}
clients=${PGBENCH_CLIENTS:-20}
export PGOPTIONS="-c search_path=$schema"
run() {
    local name=$1 script=$2
    local out
    out=$(pgbench -n -c "$clients" -j 2 -T "$seconds" -f "pgbench/$script" -D queue="$queue" "$url" 2>&1)
    local tps
    tps=$(echo "$out" | awk '/^tps = / {print $3; exit}')
    local latency
    latency=$(echo "$out" | awk '/latency average/ {print $4; exit}')
    echo "{\"workload\": \"pgbench-$name\", \"transactions_per_second\": $tps, \"messages_per_second\": $(python3 -c "print(round($tps * 10))"), \"latency_average_ms\": $latency, \"clients\": $clients, \"seconds\": $seconds}"
}
run "$workload" "$workload.sql"
