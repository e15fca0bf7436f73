#!/bin/sh
# run.sh [SECONDS] [TARGET...] - builds the libFuzzer targets with clang
# (build-fuzz/) and runs each for SECONDS (default 30) on one core, from seed
# corpora generated from the project's own queries, tests, the shared
# conformance examples and data/ (fuzz/seed_corpus.py). Fails on the first
# crash, leak, sanitizer report or hang; the input that caused it is left in
# build-fuzz/findings/. What the targets found stays in build-fuzz/corpus/, so
# a second run continues from there. TARGET is parse, load or query (default
# all three). See fuzz/README.md.
set -e
cd "$(dirname "$0")/.."
seconds=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-parse load query}
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKQL_FUZZ=ON >/dev/null
cmake --build build-fuzz --parallel 2 >/dev/null
python3 fuzz/seed_corpus.py build-fuzz/seeds >/dev/null
mkdir -p build-fuzz/findings
for t in $targets; do
    case $t in
        load) seeds=build-fuzz/seeds/load; max_len=16384; dict= ;;
        parse|query) seeds=build-fuzz/seeds/query; max_len=4096; dict=-dict=fuzz/kql.dict ;;
        *) echo "run.sh: unknown target '$t' (parse, load or query)" >&2; exit 2 ;;
    esac
    mkdir -p "build-fuzz/corpus/$t"
    echo "== fuzz_$t for ${seconds}s"
    # -fork=1: a fresh process takes over when an input ends one on purpose
    # (fuzz_query at its memory cap); crashes, leaks and timeouts still fail.
    log=build-fuzz/fuzz_$t.log
    if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "build-fuzz/fuzz/fuzz_$t" -fork=1 -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0 \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=$max_len $dict \
        -close_fd_mask=3 -artifact_prefix=build-fuzz/findings/ \
        "build-fuzz/corpus/$t" "$seeds" >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "run.sh: fuzz_$t found a problem (log: $log, input: build-fuzz/findings/)" >&2
        exit 1
    fi
    grep -E '^#[0-9]+' "$log" | tail -n 1
done
