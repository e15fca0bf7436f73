#!/bin/sh
# test.sh - the whole test suite: builds kql twice (plain, and with
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs every test in both.
set -e
cd "$(dirname "$0")"
. ./deps.sh
for variant in build build-asan; do
    sanitize=OFF
    [ "$variant" = build-asan ] && sanitize=ON
    cmake -S . -B "$variant" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKQL_SANITIZE=$sanitize >/dev/null
    cmake --build "$variant" --parallel 2 >/dev/null
    echo "== tests ($variant)"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$variant" --output-on-failure
done
# A short fuzz run of each target (fuzz/README.md has the long one): any crash,
# leak, sanitizer report or hang fails the suite.
echo "== fuzz (25 s a target)"
fuzz/run.sh 25
