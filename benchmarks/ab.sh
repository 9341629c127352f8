#!/usr/bin/env bash
# A/B in one run: the same `wharf bench` workloads against servers built from two commits (and
# the current one with --no-metrics), interleaved round by round so that drift on this shared
# machine hits every variant alike. Prints a Markdown table; JSON lands in benchmarks/results-ab/.
#   usage: benchmarks/ab.sh BASE_COMMIT [ROUNDS]
# BASE_COMMIT is built (release) in a throwaway worktree beside the repository; HEAD is built in
# place. Each variant gets a fresh data directory (SQLite, the durable default).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BASE=${1:?usage: benchmarks/ab.sh BASE_COMMIT [ROUNDS]}
ROUNDS=${2:-3}
OUT=$REPO/benchmarks/results-ab
mkdir -p "$OUT"
rm -f "$OUT"/*.json
WORK=$(mktemp -d /tmp/wharf-ab.XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
    git -C "$REPO" worktree remove --force "$WORK/base" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --product wharf >/dev/null
cp .build/release/wharf "$WORK/wharf-head"
git worktree add -q --detach "$WORK/base" "$BASE"
(cd "$WORK/base" && swift build -c release --product wharf >/dev/null)
cp "$WORK/base/.build/release/wharf" "$WORK/wharf-base"
HEAD_COMMIT=$(git rev-parse --short HEAD)
BASE_COMMIT=$(git -C "$WORK/base" rev-parse --short HEAD)

serve() {  # serve BINARY NAME ARGS...: a fresh server on 9390, waited for
    local binary=$1 name=$2; shift 2
    rm -rf "$WORK/data-$name"
    "$binary" serve --port 9390 --data-dir "$WORK/data-$name" --log-level warning "$@" &
    PID=$!
    python3 - <<'PY'
import time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen("http://127.0.0.1:9390/health", timeout=1); break
    except Exception: time.sleep(0.05)
PY
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

for round in $(seq 1 "$ROUNDS"); do
    for variant in base head head-no-metrics; do
        case $variant in
            base) serve "$WORK/wharf-base" "$variant" ;;
            head) serve "$WORK/wharf-head" "$variant" ;;
            head-no-metrics) serve "$WORK/wharf-head" "$variant" --no-metrics ;;
        esac
        echo "+ round $round: $variant" >&2
        "$WORK/wharf-head" bench send send-batch --endpoint http://127.0.0.1:9390 --connections 32 \
            --duration 8 --json "$OUT/$variant-$round-send.json" >/dev/null
        "$WORK/wharf-head" bench cycle --endpoint http://127.0.0.1:9390 --connections 32 \
            --messages 100000 --json "$OUT/$variant-$round-cycle.json" >/dev/null
        stop
    done
done

python3 - "$OUT" "$BASE_COMMIT" "$HEAD_COMMIT" "$ROUNDS" <<'PY'
import json, pathlib, statistics, sys
out, base, head, rounds = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
variants = {"base": f"`{base}`", "head": f"`{head}`", "head-no-metrics": f"`{head}` --no-metrics"}
results = {}
for path in out.glob("*.json"):
    variant = path.name.rsplit("-", 2)[0]
    for entry in json.loads(path.read_text()):
        results.setdefault((entry["workload"], variant), []).append(entry)
print(f"| workload | " + " | ".join(f"{v} msgs/s (median of {rounds})" for v in variants.values())
      + f" | `{head}` ÷ `{base}` | metrics cost |")
print("|---|" + "---:|" * (len(variants) + 2))
for workload in ("send", "send-batch", "cycle"):
    medians = {}
    cells = []
    for variant in variants:
        runs = results.get((workload, variant), [])
        rate = statistics.median(r["messagesPerSecond"] for r in runs) if runs else float("nan")
        p99 = statistics.median(r["p99Millis"] for r in runs) if runs else float("nan")
        medians[variant] = rate
        cells.append(f"{rate:,.0f} (p99 {p99:.2f} ms)")
    ratio = medians["head"] / medians["base"]
    cost = 1 - medians["head"] / medians["head-no-metrics"]
    print(f"| {workload} | " + " | ".join(cells) + f" | {ratio:.2f}× | {cost:+.1%} |")
PY
