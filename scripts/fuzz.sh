#!/usr/bin/env bash
# Fuzz the network-facing parsers with libFuzzer: the JSON codec, the Query codec and the SigV4
# verifier. Usage: scripts/fuzz.sh [runs per target, default 100000]
# Seeds come from Fuzz/Corpus/<target> (the signed requests of the SQS reference); new inputs
# go to a temporary corpus, crashes to .build-fuzz/crashes. Exit status is non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-100000}"
flags=(--package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
mkdir -p .build-fuzz/crashes
for target in FuzzJSONCodec FuzzQueryCodec FuzzSigV4; do
    swift build "${flags[@]}" --product "$target" 2>&1 | grep -vE "Cannot export local symbol|^\[" || true
    test -x ".build-fuzz/debug/$target"
    corpus=$(mktemp -d)
    echo "== $target: $runs runs"
    status=0
    # Leak detection off: the Swift runtime and Foundation keep process-lifetime caches.
    ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/debug/$target" -runs="$runs" -max_len=8192 -timeout=10 \
        -artifact_prefix=".build-fuzz/crashes/$target-" "$corpus" "Fuzz/Corpus/$target" \
        > ".build-fuzz/$target.log" 2>&1 || status=$?
    grep -E "^Done|INFO: seed corpus|ERROR|SUMMARY|Test unit written" ".build-fuzz/$target.log" || true
    rm -rf "$corpus"
    if [ "$status" -ne 0 ]; then
        echo "$target failed (exit $status); log: .build-fuzz/$target.log"
        exit "$status"
    fi
done
echo "fuzzing: no crashes"
