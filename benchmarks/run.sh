#!/usr/bin/env bash
# Runs the whole benchmark suite in one go: Wharf (release build, durable default) and
# moto_server side by side, with the same `wharf bench` load generator, then writes
# BENCHMARKS.md. Usage: benchmarks/run.sh [quick]
#   quick: short runs and small backlogs (a smoke of the script itself, ~2 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
OUT=${BENCH_OUT:-$REPO/benchmarks/results}
mkdir -p "$OUT"
MODE=${1:-full}
if [[ $MODE == quick ]]; then
    DURATION=2; MESSAGES=20000; BACKLOG=1000,20000; MOTO_DURATION=2; MOTO_MESSAGES=300
else
    DURATION=10; MESSAGES=200000; BACKLOG=1000,1000000; MOTO_DURATION=10; MOTO_MESSAGES=2000
fi

swift build -c release --product wharf >/dev/null
WHARF="$REPO/.build/release/wharf"
DATA=$(mktemp -d)
PORT=${WHARF_BENCH_PORT:-9324}
MOTO_PORT=${MOTO_BENCH_PORT:-5055}
cleanup() { kill "${WHARF_PID:-}" "${MOTO_PID:-}" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

# Start-up: time from exec to the first answered request, and idle RSS.
python3 "$REPO/benchmarks/startup.py" "$WHARF" "$DATA/startup" "$PORT" > "$OUT/startup.json"

"$WHARF" serve --port "$PORT" --data-dir "$DATA/wharf" --log-level warning &
WHARF_PID=$!
python3 - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(500):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1); break
    except Exception: time.sleep(0.02)
PY
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
echo "{\"idle_kb\": $(rss $WHARF_PID)}" > "$OUT/rss-idle.json"

run() { echo "+ wharf bench $*" >&2; "$WHARF" bench "$@"; }
E="--endpoint http://127.0.0.1:$PORT"
run health send send-batch $E --connections 32 --duration "$DURATION" --json "$OUT/wharf-1.json"
run cycle $E --connections 32 --messages "$MESSAGES" --json "$OUT/wharf-2.json"
run mixed longpoll $E --connections 32 --duration "$DURATION" --json "$OUT/wharf-3.json"
run backlog $E --connections 16 --duration "$DURATION" --backlog "$BACKLOG" --json "$OUT/wharf-4.json"
# RSS with a million messages stored (a queue the suite leaves in place).
run fill $E --connections 16 --messages "${BACKLOG##*,}" --json "$OUT/wharf-fill.json"
echo "{\"loaded_kb\": $(rss $WHARF_PID), \"db_bytes\": $(du -sb "$DATA/wharf" | cut -f1)}" > "$OUT/rss-loaded.json"
kill $WHARF_PID; wait $WHARF_PID 2>/dev/null || true; unset WHARF_PID

# moto_server: the same workloads, fewer messages (it is two orders of magnitude slower).
moto_server -p "$MOTO_PORT" >/dev/null 2>&1 &
MOTO_PID=$!
python3 - "$MOTO_PORT" <<'PY'
import sys, time, socket
for _ in range(500):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close(); break
    except OSError: time.sleep(0.05)
PY
M="--endpoint http://127.0.0.1:$MOTO_PORT --health-path /moto-api/"
run health send send-batch $M --connections 8 --duration "$MOTO_DURATION" --json "$OUT/moto-1.json"
run cycle $M --connections 8 --messages "$MOTO_MESSAGES" --duration 60 --json "$OUT/moto-2.json"
run mixed longpoll $M --connections 8 --duration "$MOTO_DURATION" --messages 100 --json "$OUT/moto-3.json"
run backlog $M --connections 2 --duration 5 --backlog 100,1000 --json "$OUT/moto-4.json"
kill $MOTO_PID; wait $MOTO_PID 2>/dev/null || true; unset MOTO_PID

python3 "$REPO/benchmarks/report.py" "$OUT" "$REPO/BENCHMARKS.md" "$MODE"
echo "wrote $REPO/BENCHMARKS.md" >&2
