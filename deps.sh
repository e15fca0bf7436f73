#!/bin/sh
# deps.sh - installs what building and testing kql needs, from Debian's
# packages, when something is missing (so a second run installs nothing).
# Sourced by demo.sh and test.sh; runs as root on a fresh Debian 12.
set -e
kql_need=""
for pkg in cmake make gcc pkg-config re2c bison libcjson-dev zlib1g-dev libcriterion-dev libedit-dev python3 \
           clang libclang-rt-14-dev valgrind; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || kql_need="$kql_need $pkg"
done
if [ -n "$kql_need" ]; then
    echo "deps.sh: installing$kql_need" >&2
    if [ "$(id -u)" -ne 0 ]; then
        echo "deps.sh: run as root (or install:$kql_need)" >&2
        exit 2
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $kql_need >/dev/null
fi
