#!/usr/bin/env bash
# Every test Wharf has: the Swift unit tests (engine, codecs, store; no sockets), the FEEL
# conformance cases of the DMN TCK (through `wharf expr --jsonl`), then the conformance
# suite, which starts real `wharf serve` processes and drives them with boto3 (JSON and
# Query protocols) and the aws CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build

# The DMN TCK's FEEL cases (conformance/feel-tck, Apache-2.0): run.py exits non-zero when
# any of the 2128 cases fails.
python3 conformance/feel-tck/run.py conformance/feel-tck/cases.jsonl -- .build/debug/wharf expr --jsonl

python3 -m pytest conformance -q -p no:cacheprovider
