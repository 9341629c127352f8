#!/usr/bin/env bash
# Every test Wharf has: the Swift unit tests (engine, codecs, store; no sockets), then the
# conformance suite, which starts real `wharf serve` processes and drives them with boto3
# (JSON and Query protocols) and the aws CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build

python3 -m pytest conformance -q -p no:cacheprovider
