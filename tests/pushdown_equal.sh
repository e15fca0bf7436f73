#!/bin/sh
# pushdown_equal.sh KQL TMPDIR - loading only what a query needs (columns,
# rows through its leading `where`s) gives the same results as loading
# everything (--no-pushdown), over a few thousand generated rows of both
# sign-in tables, and the documented queries do push their filters down.
# The AADNonInteractiveUserSignInLogs file (6000 rows, about 37 MB) is above
# the size that json_load.c reads on two threads (in 8 ranges), so that is
# compared too.
set -eu
kql=$1
dir=$2/pushdown-data
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
"$kql" generate AADNonInteractiveUserSignInLogs --rows 6000 --seed 11 -o "$dir/AADNonInteractiveUserSignInLogs.jsonl"
"$kql" generate SigninLogs --rows 2000 --seed 12 -o "$dir/SigninLogs.jsonl"
fail=0
check() {   # check NAME QUERY-ARGS...
    name=$1
    shift
    "$kql" -d "$dir" -f csv --now 2026-11-20T12:00:00Z "$@" >"$dir/pushed.csv"
    "$kql" -d "$dir" -f csv --now 2026-11-20T12:00:00Z --no-pushdown "$@" >"$dir/full.csv"
    if ! cmp -s "$dir/pushed.csv" "$dir/full.csv"; then
        echo "FAIL $name: results differ with and without pushdown"
        diff "$dir/full.csv" "$dir/pushed.csv" | head -5
        fail=1
    elif [ "$(wc -l <"$dir/full.csv")" -lt 2 ]; then
        echo "FAIL $name: no rows, the comparison says nothing"
        fail=1
    fi
}
for q in "$root"/queries/*.kql; do check "$(basename "$q")" "$q"; done
check strings -q 'AADNonInteractiveUserSignInLogs | where ResultType != "0" and UserPrincipalName contains "ALICE" | summarize count() by AppDisplayName, ResultType | sort by AppDisplayName asc, ResultType asc'
check between -q 'AADNonInteractiveUserSignInLogs | where TimeGenerated between (ago(3d) .. ago(1d)) | take 5 | project Id, TimeGenerated'
check count -q 'AADNonInteractiveUserSignInLogs | count'
check take-all -q 'SigninLogs | where ResultType == 0 | take 3'
check dynamic -q 'SigninLogs | where ConditionalAccessStatus == "failure" | project TimeGenerated, Id, Status | sort by TimeGenerated asc'
check let -q 'let t = AADNonInteractiveUserSignInLogs | where IsInteractive == false; t | summarize dcount(UserPrincipalName)'
check join -q 'AADNonInteractiveUserSignInLogs | where AppDisplayName startswith "Microsoft" | join kind=inner (SigninLogs | where ResultType == 0 | project Id2 = Id, UserPrincipalName) on UserPrincipalName | count'
# a streamed table joined with another: the other side must be the data, not
# the schema-only table the analysis bound (a silent empty join, once)
check join-streamed -q 'AADNonInteractiveUserSignInLogs | where ResultType == "0" | project UserPrincipalName | join kind=inner (SigninLogs | project UserPrincipalName, App = AppDisplayName) on UserPrincipalName | count'
# a column written over keeps its place (two query files: no streaming)
printf 'SigninLogs | extend Identity = "x" | take 1 | project-keep Id*\n' >"$dir/overwrite.kql"
check overwritten-column "$dir/overwrite.kql" "$dir/overwrite.kql"
check through-extend -q 'AADNonInteractiveUserSignInLogs | extend n = strlen(UserPrincipalName) | where n > 17 and ResultType == "0" | summarize count() by n | sort by n asc'
# the project names columns nothing after it reads: they must load all the same
check project-count -q 'AADNonInteractiveUserSignInLogs | where TimeGenerated > ago(7d) | project Id, ConditionalAccessPolicies, ResourceDisplayName | where ConditionalAccessPolicies != "[]" | count'
check project-away -q 'AADNonInteractiveUserSignInLogs | project-away Id | project UserPrincipalName | take 2'
check window -q 'AADNonInteractiveUserSignInLogs | sort by TimeGenerated asc | extend r = row_number() | where r % 100 == 0 and ResultType == "0" | project r, Id'

# what the documented per-app query pushes: its 7 columns, its 3 filters on
# the table's columns, and its 9 operators before the first summarize (where,
# project, where, where, mv-expand, where, where, extend, extend) streamed
"$kql" -d "$dir" --now 2026-11-20T12:00:00Z --explain-load "$root/queries/token-protection-per-app.kql" 2>"$dir/explain.txt" >/dev/null
want="pushdown: AADNonInteractiveUserSignInLogs: 7 columns (TimeGenerated, AppDisplayName, ConditionalAccessPolicies, Id, ResourceDisplayName, Status, UserPrincipalName), 3 predicates, 9 operators run as it loads"
if [ "$(cat "$dir/explain.txt")" != "$want" ]; then
    echo "FAIL explain-load: got"
    cat "$dir/explain.txt"
    fail=1
fi
# The filters apply to JSON only: a table from CSV loads whole and the query
# runs over everything (a streamed query over a table the stream never saw
# would come out empty), giving what the same rows in JSON give.
mkdir -p "$dir/csv"
"$kql" -d "$dir" -f csv -q 'AADNonInteractiveUserSignInLogs | take 2000' >"$dir/csv/AADNonInteractiveUserSignInLogs.csv"
"$kql" -d "$dir/csv" -f csv --now 2026-11-20T12:00:00Z "$root/queries/token-protection-per-app.kql" >"$dir/from-csv.csv"
"$kql" -d "$dir/csv" -f csv --now 2026-11-20T12:00:00Z --no-pushdown "$root/queries/token-protection-per-app.kql" >"$dir/from-csv-full.csv"
if ! cmp -s "$dir/from-csv.csv" "$dir/from-csv-full.csv" || [ "$(wc -l <"$dir/from-csv.csv")" -lt 2 ]; then
    echo "FAIL csv: a CSV table with pushdown gives other rows than without"
    diff "$dir/from-csv-full.csv" "$dir/from-csv.csv" | head -5
    fail=1
fi
# A field the schema lacks is unknown to the analysis: a wildcard or an
# extend keeps it, so such a file loads whole (it was silently dropped once).
mkdir -p "$dir/extra"
sed 's/^{/{"Arr":[1,2],/' "$dir/SigninLogs.jsonl" >"$dir/extra/SigninLogs.jsonl"
for q in 'SigninLogs | project-keep Ar* | take 3' 'SigninLogs | where ResultType == 0 | extend y = 1 | take 2'; do
    "$kql" -d "$dir/extra" -f csv -q "$q" >"$dir/extra-pushed.csv"
    "$kql" -d "$dir/extra" -f csv --no-pushdown -q "$q" >"$dir/extra-full.csv"
    if ! cmp -s "$dir/extra-pushed.csv" "$dir/extra-full.csv" || ! grep -q '\[1,2\]' "$dir/extra-full.csv"; then
        echo "FAIL extra field: $q"
        diff "$dir/extra-full.csv" "$dir/extra-pushed.csv" | head -5
        fail=1
    fi
done
# a malformed record in the second thread's half: the same error either way
mkdir -p "$dir/bad"
sed '5900s/"TenantId":/"TenantId"/' "$dir/AADNonInteractiveUserSignInLogs.jsonl" >"$dir/bad/AADNonInteractiveUserSignInLogs.jsonl"
"$kql" -d "$dir/bad" "$root/queries/token-protection-per-app.kql" 2>"$dir/err-pushed.txt" >/dev/null && fail=1
"$kql" -d "$dir/bad" --no-pushdown "$root/queries/token-protection-per-app.kql" 2>"$dir/err-full.txt" >/dev/null && fail=1
if ! cmp -s "$dir/err-pushed.txt" "$dir/err-full.txt" || ! grep -q ':5900:' "$dir/err-full.txt"; then
    echo "FAIL malformed: errors differ or miss the line"
    cat "$dir/err-pushed.txt" "$dir/err-full.txt"
    fail=1
fi
rm -rf "$dir"
exit $fail
