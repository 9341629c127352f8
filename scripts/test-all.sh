#!/usr/bin/env bash
# Every test Wharf has:
#  0. the architecture check (scripts/check-architecture.py, see docs/architecture.md);
#  1. the Swift unit tests (engine, codecs, stores; no sockets), the engine's on SQLite;
#  2. the engine tests again, unchanged, against PostgreSQL (the store contract both keep);
#  3. the FEEL conformance cases of the DMN TCK (through `wharf expr --jsonl`);
#  4. the conformance suite, which starts real `wharf serve` processes and drives them with
#     boto3 (JSON and Query protocols) and the aws CLI — on SQLite, on one PostgreSQL node,
#     and on two PostgreSQL nodes behind an nginx round robin. Among them the web console's
#     browser test (conformance/test_console.py: headless Chromium through Selenium), on SQLite
#     and on the two nodes;
#  5. bounded runs of the fault scripts under reliability/ (crash loops on SQLite and on
#     PostgreSQL, failing fsync/pwrite, backup under load, a node killed, PostgreSQL restarted,
#     a 3-minute soak on SQLite); their long runs and results are in docs/reliability.md.
# PostgreSQL and nginx come from Debian's packages (installed when missing, which needs root);
# the script starts a throwaway PostgreSQL cluster on 127.0.0.1:${WHARF_TEST_PG_PORT:-55432}
# (another free port when 55432 is taken) and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir=$(mktemp -d /tmp/wharf-test-pg.XXXXXX)
chmod 755 "$pg_dir"
cleanup() { ./scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap cleanup EXIT
# The default port, unless something already listens there (then any free one).
pg_port=${WHARF_TEST_PG_PORT:-$(python3 -c '
import socket
def free(p):
    with socket.socket() as s:
        try: s.bind(("127.0.0.1", p)); return True
        except OSError: return False
if free(55432): print(55432)
else:
    with socket.socket() as s: s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
')}
pg_url=$(./scripts/postgres.sh start "$pg_dir" "$pg_port")
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nginx >/dev/null
fi
export PATH="$PATH:/usr/sbin"

swift build --build-tests
# Module boundaries, declared imports, docs/architecture.md and doc citations (plain Python).
python3 scripts/check-architecture.py
swift test --skip-build

# One harness after the other: each opens its own schema and connections.
WHARF_TEST_POSTGRES="$pg_url" swift test --skip-build --no-parallel --filter WharfEngineTests

# The DMN TCK's FEEL cases (conformance/feel-tck, Apache-2.0): run.py exits non-zero when
# any of the 2128 cases fails.
python3 conformance/feel-tck/run.py conformance/feel-tck/cases.jsonl -- .build/debug/wharf expr --jsonl

echo "== conformance: SQLite"
python3 -m pytest conformance -q -p no:cacheprovider
echo "== conformance: one PostgreSQL node"
WHARF_CONFORMANCE_POSTGRES="$pg_url" python3 -m pytest conformance -q -p no:cacheprovider
echo "== conformance: two PostgreSQL nodes behind nginx"
WHARF_CONFORMANCE_POSTGRES="$pg_url" WHARF_CONFORMANCE_NODES=2 python3 -m pytest conformance -q -p no:cacheprovider

echo "== reliability: bounded runs (the long runs and their results: docs/reliability.md)"
# Their JSON goes to a scratch directory: reliability/results holds the documented runs.
WHARF_RELIABILITY_RESULTS=$(mktemp -d /tmp/wharf-reliability.XXXXXX)
export WHARF_RELIABILITY_RESULTS
quiet() {  # NAME COMMAND...: the script's output only when it fails
    local name=$1 log="$WHARF_RELIABILITY_RESULTS/$1.log" began=$SECONDS; shift
    if "$@" >"$log" 2>&1; then echo "ok $name ($((SECONDS - began)) s)"; else cat "$log"; return 1; fi
}
quiet crash-sqlite python3 reliability/crash_loop.py --store sqlite --rounds 5
quiet crash-postgres python3 reliability/crash_loop.py --store postgres --rounds 4
quiet io-fault python3 reliability/io_fault.py
quiet backup python3 reliability/backup_under_load.py --prefill 5000
quiet node-kill python3 reliability/node_kill.py
quiet pg-restart python3 reliability/pg_restart.py --duration 15 --down 3
quiet soak python3 reliability/soak.py --minutes 3 --interval 10 --long-polls 2000
rm -rf "$WHARF_RELIABILITY_RESULTS"
