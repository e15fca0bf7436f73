#!/bin/sh
# bench/shapes/run.sh [KQL] - load time and peak memory of each export shape.
#
# Generates the same 30,000 AADNonInteractiveUserSignInLogs rows as plain JSON
# Lines, gzip, a diagnostic-settings export and portal CSV (make_shapes.py) in a
# temporary folder, runs one query over each shape five times as a fresh
# process, and prints the median wall time, the peak RSS and the input rate
# (uncompressed MB/s). Needs python3 and GNU time (/usr/bin/time).
set -e
here=$(cd "$(dirname "$0")" && pwd)
kql=${1:-$here/../../build/kql}
kql=$(cd "$(dirname "$kql")" && pwd)/$(basename "$kql")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 "$here/make_shapes.py" "$here/../../data/AADNonInteractiveUserSignInLogs.jsonl"
query='AADNonInteractiveUserSignInLogs | summarize n = count(), u = dcount(UserPrincipalName)'
printf '%-6s %10s %10s %8s %8s\n' shape bytes median_s peak_MB MB/s
for shape in plain gz diag csv; do
    file=$(ls "$shape"/*)
    bytes=$(if [ "$shape" = gz ]; then gzip -dc "$file" | wc -c; else wc -c < "$file"; fi)
    for i in 1 2 3 4 5; do
        /usr/bin/time -f '%e %M' -o time.out "$kql" -d "$shape" -q "$query" -f csv > /dev/null
        cat time.out
    done | sort -n | awk -v s="$shape" -v b="$bytes" '
        { t[NR] = $1; if ($2 > m) m = $2 }
        END { printf "%-6s %10d %10.2f %8.0f %8.1f\n", s, b, t[3], m / 1024, b / 1e6 / t[3] }'
done
