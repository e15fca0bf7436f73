#!/bin/sh
# valgrind.sh KQL ROOT - runs kql under Valgrind's memcheck: the three
# documented queries over data/, then a sample of the golden tests through
# `kql test` (the token-protection answers, the error paths of bad queries
# and bad files, the string functions), about a minute. Any invalid read or write,
# use of uninitialised memory or leak fails (--error-exitcode). ctest runs it
# in the plain build only: ASan and Valgrind do not mix.
set -e
kql=$1
root=$2
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
cd "$root"
for q in queries/*.kql; do
    echo "== $q"
    $vg "$kql" -f csv -d data --now 2026-11-20T12:00:00Z "$q" >/dev/null
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# kql test runs each test in a forked child, which Valgrind follows: every
# process writes its own log, and any text in one is a finding.
echo "== kql test (sample of the golden tests)"
$vg --log-file="$tmp/vg.%p" "$kql" test -j 1 \
    tests/golden/token_protection.test tests/golden/errors_query.test tests/golden/errors_files.test \
    tests/golden/functions_string.test >"$tmp/out" || { cat "$tmp/out"; exit 1; }
tail -n 1 "$tmp/out"
for log in "$tmp"/vg.*; do
    if [ -s "$log" ]; then
        cat "$log"
        exit 1
    fi
done
