#!/bin/sh
# demo.sh - the main job: install what is missing, build kql, and run the
# three documented token-protection queries over the bundled sample tables.
set -e
cd "$(dirname "$0")"
. ./deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel 2 --target kql >/dev/null
# The sample data holds sign-ins from 2026-11-10 to 2026-11-20; --now pins
# ago(7d) to that window, as if the queries ran at noon on 2026-11-20.
for q in queries/token-protection-per-app.kql queries/token-protection-per-user.kql \
         queries/token-protection-unsupported-devices.kql; do
    echo "== $q"
    ./build/kql -d data -f table --now 2026-11-20T12:00:00Z "$q"
    echo
done
