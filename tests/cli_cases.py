#!/usr/bin/env python3
# cli_cases.py - tests of kql's command line: the run command's options, and
# `kql test` and `kql diff` driven over the fixtures in tests/cli/.
"""Runs each case of CASES (arguments, working folder, expected exit status,
stdout and stderr, all exact and worked out by hand from the fixtures), then
the checks that need more than one run (--update round trip, --junit XML).
Prints `FAIL name` with the difference for each failure; the last line is
`N passed, N failed`; the exit status is 1 when anything failed.

Usage: cli_cases.py --kql PATH --root REPO_ROOT
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

DIFF_USAGE = (
    "usage: kql diff OLD.kql NEW.kql [-d PATH]... [--key COLUMN]... [--now DATETIME]\n"
    "  -d PATH          load tables, as for running queries (default ./data)\n"
    "  --key COLUMN     a column that identifies a row (repeatable); default: the by\n"
    "                   columns of a final summarize\n"
    "  --now DATETIME   the time now() and ago() see, e.g. 2026-11-20T12:00:00Z\n"
    "  exit status: 0 equal results, 1 they differ, 2 an error\n")

# (name, working folder from the repository root, arguments, exit status, stdout, stderr)
CASES = [
    # --- the run command's own options (were @args golden tests) ---
    ("run: unknown output format", ".", ["-f", "xml", "-q", "print 1"], 2, "",
     "kql: unknown format 'xml' (use table, csv, json or jsonl)\n"),
    ("run: --now that is not a datetime", ".", ["--now", "yesterday", "-q", "print 1"], 2, "",
     "kql: --now: 'yesterday' is not a datetime (try 2026-11-20T12:00:00Z)\n"),
    ("run: --parse-only reports a syntax error without loading anything", ".",
     ["--parse-only", "-q", "NoSuchTable | where"], 1, "",
     "<query>:1:20: error: unexpected end of query, expected an expression\n"
     "NoSuchTable | where\n"
     "                   ^\n"),
    ("run: -q and query files together", ".", ["-q", "print 1", "no_such_query.kql"], 2, "",
     "kql: give either -q QUERY or query files, not both\n"),
    ("run: a folder given as a query file", ".", ["tests"], 2, "", "kql: tests: Is a directory\n"),
    # A known table's filter (a pushed-down where) over a file with no record.
    ("run: an empty table file under a query's filter", "tests/cli",
     ["-f", "csv", "-d", "empty", "-q", "SigninLogs | where Location == 'IN' | count"], 0, "Count\n0\n", ""),
    # A query's error does not stop the next query file: both are reported.
    ("run: every query file runs, whatever the one before did", "tests/cli/diff",
     ["-f", "csv", "-d", "../signins.jsonl", "broken.kql", "ok.kql"], 1,
     "User,App\nalice,Teams\nalice,Outlook\n",
     "broken.kql:2:9: error: unknown column or variable 'Nope'\n"
     "| where Nope\n"
     "        ^~~~\n"),
    # kql keeps at most 256 query files and 256 -d paths; one more is an
    # error, not silently dropped.
    ("run: too many query files", ".", ["f.kql"] * 257, 2, "",
     "kql: too many query files (at most 256)\n"),
    ("run: too many -d paths", ".", ["-d", "x"] * 257 + ["-q", "print 1"], 2, "",
     "kql: too many -d paths (at most 256; give a folder instead)\n"),
    # 60 million longs are 480 MB in a column, far past a 64 MiB cap; a query
    # that fits runs under its cap.
    ("run: a query past --max-memory stops with the cap in the message", ".",
     ["--max-memory", "64M", "-q", "range x from 1 to 60000000 step 1 | summarize count()"], 2, "",
     "kql: query exceeds --max-memory 64 MiB; filter or summarize earlier, or raise --max-memory\n"),
    ("run: the same query runs under a cap it fits in", ".",
     ["--max-memory", "1GiB", "-f", "csv", "-q", "range x from 1 to 1000 step 1 | summarize n = count(), s = sum(x)"],
     0, "n,s\n1000,500500\n", ""),
    ("run: --max-memory needs a size", ".", ["--max-memory", "lots", "-q", "print 1"], 2, "",
     "kql: --max-memory: 'lots' is not a size (try 512M or 4G)\n"),
    ("run: --max-memory of zero is refused", ".", ["--max-memory", "0", "-q", "print 1"], 2, "",
     "kql: --max-memory: '0' is not a size (try 512M or 4G)\n"),

    # --- kql test ---
    ("test: a passing file", "tests/cli", ["test", "pass.test"], 0, "8 passed, 0 failed\n", ""),
    ("test: a failing file shows what differs", "tests/cli", ["test", "fail.test"], 1,
     "fail.test:3: test a missing and an unexpected row: rows differ: 2 expected, 2 actual\n"
     "    columns:     a,b\n"
     "  - missing:     3,z    (line 8)\n"
     "  + unexpected:  2,y\n"
     "fail.test:10: test a changed cell, paired on the summarize key: rows differ: 2 expected, 2 actual\n"
     "    columns:     k,total\n"
     "  ~ changed:     k=b: total: 6 -> 5 (-1)    (line 16)\n"
     "fail.test:18: test other columns: columns differ\n"
     "  - expected:    y\n"
     "  + actual:      x\n"
     "fail.test:24: test an error expected, rows given: expected error 1, got 1 row\n"
     "  expected error:\n"
     "    <query>:1:1: error: something\n"
     "fail.test:29: test rows expected, an error given: expected rows, got error 1\n"
     "  fail.test:30:14: error: unexpected end of query, expected an expression\n"
     "  print x = 1 +\n"
     "               ^\n"
     "0 passed, 5 failed\n", ""),
    ("test: --filter runs the tests whose name contains NAME", "tests/cli",
     ["test", "--filter", "changed cell", "fail.test", "pass.test"], 1,
     "fail.test:10: test a changed cell, paired on the summarize key: rows differ: 2 expected, 2 actual\n"
     "    columns:     k,total\n"
     "  ~ changed:     k=b: total: 6 -> 5 (-1)    (line 16)\n"
     "0 passed, 1 failed\n", ""),
    ("test: row order counts where the query sorts, on its sort columns", "tests/cli", ["test", "order.test"], 1,
     "order.test:3: test a sort checks the order: this fails: the same rows in another order: "
     "row 1 differs in the sort columns (a)\n"
     "    columns:     a,b\n"
     "  - expected:    2,x    (line 8)\n"
     "  + actual:      1,y\n"
     "order.test:30: test @ordered checks every row in place: this fails: the same rows in another order: "
     "row 1 differs\n"
     "    columns:     k,v\n"
     "  - expected:    1,q    (line 36)\n"
     "  + actual:      1,p\n"
     "order.test:41: test top orders its rows: this fails: the same rows in another order: "
     "row 1 differs in the sort columns (a)\n"
     "    columns:     a\n"
     "  - expected:    6    (line 46)\n"
     "  + actual:      7\n"
     "2 passed, 3 failed\n", ""),
    ("test: reals compare with a tolerance, longs exactly", "tests/cli", ["test", "real.test"], 1,
     "real.test:9: test a difference of 1e-6 is not: this fails: rows differ: 1 expected, 1 actual\n"
     "    columns:     x\n"
     "  - missing:     1    (line 13)\n"
     "  + unexpected:  1.000001\n"
     "real.test:15: test longs compare exactly: this fails: rows differ: 1 expected, 1 actual\n"
     "    columns:     x\n"
     "  - missing:     1000000000    (line 19)\n"
     "  + unexpected:  1000000001\n"
     "1 passed, 2 failed\n", ""),
    ("test: a long difference is cut at 20 rows of each kind", "tests/cli", ["test", "long.test"], 1,
     "long.test:2: test many rows: rows differ: 1 expected, 30 actual\n"
     "    columns:     i\n"
     "  - missing:     100    (line 6)\n"
     "  + unexpected:  1\n"
     "  + unexpected:  2\n"
     "  + unexpected:  3\n"
     "  + unexpected:  4\n"
     "  + unexpected:  5\n"
     "  + unexpected:  6\n"
     "  + unexpected:  7\n"
     "  + unexpected:  8\n"
     "  + unexpected:  9\n"
     "  + unexpected:  10\n"
     "  + unexpected:  11\n"
     "  + unexpected:  12\n"
     "  + unexpected:  13\n"
     "  + unexpected:  14\n"
     "  + unexpected:  15\n"
     "  + unexpected:  16\n"
     "  + unexpected:  17\n"
     "  + unexpected:  18\n"
     "  + unexpected:  19\n"
     "  + unexpected:  20\n"
     "    ... and 10 more unexpected\n"
     "0 passed, 1 failed\n", ""),
    ("test: faults in tests name the file and line", "tests/cli", ["test", "bad.test"], 1,
     "bad.test:3: test an unterminated datatable: expected rows, got error 1\n"
     "  bad.test:5:1: error: unexpected '|', expected one of: ']', ','\n"
     "  | where a > 1\n"
     "  ^\n"
     "bad.test:14: test a row with the wrong number of cells: row has 3 cells, the header has 2\n"
     "bad.test:16: test an unknown table: expected rows, got error 1\n"
     "  bad.test:17:1: error: unknown table 'NoSuchTable' (no tables are loaded; use -d PATH)\n"
     "  NoSuchTable\n"
     "  ^~~~~~~~~~~\n"
     "bad.test:28: test an aligned row that does not line up: row does not line up with the columns "
     "under the dashes (2 columns)\n"
     "bad.test:30: test an unterminated @table: expected rows, got error 1\n"
     "  error:\n"
     "    bad.test:31:30: error: unbalanced '[': the query ends before its ']'\n"
     "    @table T = datatable(a:long) [1, 2\n"
     "                                 ^\n"
     "0 passed, 5 failed\n", ""),
    ("test: a malformed file is one failure at its line", "tests/cli", ["test", "malformed.test"], 1,
     "malformed.test:3: error: unknown directive '@nowish' (known: @now, @data, @query, @table, @ordered, "
     "@unordered)\n"
     "0 passed, 1 failed\n", ""),
    # queries/token-protection.test (3 tests) and queries/examples/*.test (2).
    ("test: a folder is searched recursively", ".", ["test", "queries"], 0, "5 passed, 0 failed\n", ""),
    ("test: a missing test file", "tests/cli", ["test", "no_such.test"], 1,
     "no_such.test:1: error: No such file or directory\n0 passed, 1 failed\n", ""),
    ("test: an unknown option", "tests/cli", ["test", "--frobnicate"], 2, "",
     "kql test: unknown option '--frobnicate'\n"
     "usage: kql test [--update] [--junit FILE] [--filter NAME] [-j N] [PATH...]\n"
     "  PATH           a test file, or a folder searched for *.test files (default: .)\n"
     "  --update       rewrite the expected block of each failing test with what it got\n"
     "  --junit FILE   also write the results as JUnit XML to FILE\n"
     "  --filter NAME  run only the tests whose name contains NAME\n"
     "  -j N           run N tests at once (default: the number of processors)\n"
     "  -h, --help     this text\n"),

    # --- kql diff (signins.jsonl: alice Teams ok, bob Teams not ok, alice Outlook ok) ---
    ("diff: identical results", "tests/cli/diff", ["diff", "count.kql", "count.kql", "-d", "../signins.jsonl"], 0,
     "the results are equal: 2 rows\n", ""),
    ("diff: rows only in the old and only in the new result", "tests/cli/diff",
     ["diff", "teams.kql", "ok.kql", "-d", "../signins.jsonl"], 1,
     "rows differ: 2 in old, 2 in new\n"
     "    columns:     User,App\n"
     "  - only in old: bob,Teams\n"
     "  + only in new: alice,Outlook\n", ""),
    ("diff: changed cells paired on the summarize keys", "tests/cli/diff",
     ["diff", "count.kql", "count_ok.kql", "-d", "../signins.jsonl"], 1,
     "rows differ: 2 in old, 2 in new\n"
     "    columns:     User,n\n"
     "  ~ changed:     User=bob: n: 1 -> 0 (-1)\n", ""),
    ("diff: changed cells paired on --key columns", "tests/cli/diff",
     ["diff", "flags.kql", "flags_negated.kql", "-d", "../signins.jsonl", "--key", "User", "--key", "App"], 1,
     "rows differ: 3 in old, 3 in new\n"
     "    columns:     User,App,Ok\n"
     "  ~ changed:     User=alice, App=Teams: Ok: true -> false\n"
     "  ~ changed:     User=bob, App=Teams: Ok: false -> true\n"
     "  ~ changed:     User=alice, App=Outlook: Ok: true -> false\n", ""),
    ("diff: different column sets are reported", "tests/cli/diff",
     ["diff", "count.kql", "count_apps.kql", "-d", "../signins.jsonl"], 1,
     "columns only in count_apps.kql: apps\n"
     "the rows agree on the columns both have: 2 rows\n", ""),
    ("diff: a query error", "tests/cli/diff", ["diff", "count.kql", "broken.kql", "-d", "../signins.jsonl"], 2, "",
     "broken.kql:2:9: error: unknown column or variable 'Nope'\n"
     "| where Nope\n"
     "        ^~~~\n"),
    ("diff: a missing query file", "tests/cli/diff", ["diff", "count.kql", "nofile.kql", "-d", "../signins.jsonl"], 2, "",
     "kql: nofile.kql: No such file or directory\n"),
    ("diff: one query file", "tests/cli/diff", ["diff", "count.kql"], 2, "",
     "kql diff: give two query files, OLD.kql and NEW.kql\n" + DIFF_USAGE),
    # The README's example output, worked out by hand from queries/examples/data
    # (the comments of queries/examples/token-protection-rename.test).
    ("diff: the README's Binding rename example", ".",
     ["diff", "queries/examples/token-protection-per-app-binding-only.kql", "queries/token-protection-per-app.kql",
      "-d", "queries/examples/data", "--now", "2023-06-20T12:00:00Z"], 1,
     "rows differ: 2 in old, 2 in new\n"
     "    columns:     AppDisplayName,Requests,Users,Block,Allow,BlockedUsers,PctAllowed\n"
     "  ~ changed:     AppDisplayName=Microsoft Teams: Requests: 2 -> 4 (+2); Users: 2 -> 3 (+1); "
     "Allow: 1 -> 3 (+2); PctAllowed: 50 -> 75 (+25)\n"
     "  ~ changed:     AppDisplayName=Outlook Mobile: Requests: 1 -> 3 (+2); Users: 1 -> 3 (+2); "
     "Block: 0 -> 1 (+1); Allow: 1 -> 2 (+1); BlockedUsers: 0 -> 1 (+1); PctAllowed: 100 -> 66.67 (-33.33)\n", ""),
    ("diff: the README's second example", ".",
     ["diff", "queries/token-protection-per-app.kql", "queries/examples/token-protection-per-app-both-names.kql",
      "-d", "queries/examples/data", "--now", "2023-06-20T12:00:00Z"], 1,
     "rows differ: 2 in old, 2 in new\n"
     "    columns:     AppDisplayName,Requests,Users,Block,Allow,BlockedUsers,PctAllowed\n"
     "  ~ changed:     AppDisplayName=Microsoft Teams: Block: 1 -> 2 (+1); Allow: 3 -> 2 (-1); "
     "BlockedUsers: 1 -> 2 (+1); PctAllowed: 75 -> 50 (-25)\n", ""),
    ("diff: a --key neither result has", "tests/cli/diff",
     ["diff", "teams.kql", "ok.kql", "-d", "../signins.jsonl", "--key", "Nope"], 2, "",
     "kql diff: --key Nope: not a column of both results\n"),
]


def run(kql, args, cwd):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([kql] + args, cwd=cwd, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, env=env)


def check(name, proc, status, stdout, stderr):
    faults = []
    if proc.returncode != status:
        faults.append(f"exit status {proc.returncode}, expected {status}")
    if proc.stdout != stdout:
        faults.append(f"stdout:\n{proc.stdout}--- expected:\n{stdout}")
    if proc.stderr != stderr:
        faults.append(f"stderr:\n{proc.stderr}--- expected:\n{stderr}")
    return faults


def update_round_trip(kql, tests_dir, tmp):
    """--update rewrites failing tests' blocks only (update.expected, written by
    hand, is what the file must become), and the rewritten file passes."""
    path = os.path.join(tmp, "update.test")
    shutil.copy(os.path.join(tests_dir, "cli", "update.test"), path)
    first = run(kql, ["test", "--update", "update.test"], tmp)
    faults = []
    if first.returncode != 1 or not first.stdout.endswith("1 passed, 3 failed\n"):
        faults.append(f"first run: exit {first.returncode}, stdout:\n{first.stdout}")
    for line in ("update.test:13: test wrong rows, CSV: updated the expected rows\n",
                 "update.test:20: test wrong rows, aligned: updated the expected rows\n",
                 "update.test:27: test an error now: updated the expected error\n"):
        if line not in first.stdout:
            faults.append(f"first run does not say: {line}")
    with open(path, encoding="utf-8") as f:
        got = f.read()
    with open(os.path.join(tests_dir, "cli", "update.expected"), encoding="utf-8") as f:
        want = f.read()
    if got != want:
        faults.append(f"rewritten file:\n{got}--- expected:\n{want}")
    again = run(kql, ["test", "update.test"], tmp)
    faults += check("", again, 0, "4 passed, 0 failed\n", "")
    return faults


def update_keeps_hash_cells(kql, tmp):
    """--update writes an aligned block whose first column has a cell starting
    with '#' as CSV (which quotes it): aligned, the line would read as a
    comment, or with '###' as a new test."""
    path = os.path.join(tmp, "hash.test")
    with open(path, "w", encoding="utf-8") as f:
        f.write("### a hash tag\nprint s = '### tag', n = 1\n---\n"
                "s    n\n---  -\nx    2\n")
    first = run(kql, ["test", "--update", "hash.test"], tmp)
    faults = []
    if first.returncode != 1:
        faults.append(f"first run: exit {first.returncode}, stdout:\n{first.stdout}")
    with open(path, encoding="utf-8") as f:
        got = f.read()
    want = '### a hash tag\nprint s = \'### tag\', n = 1\n---\ns,n\n"### tag",1\n'
    if got != want:
        faults.append(f"rewritten file:\n{got}--- expected:\n{want}")
    return faults + check("", run(kql, ["test", "hash.test"], tmp), 0, "1 passed, 0 failed\n", "")


def junit_counts(kql, tests_dir, tmp):
    """--junit writes well-formed XML with a testcase per test and the right counts."""
    out = os.path.join(tmp, "report.xml")
    proc = run(kql, ["test", "--junit", out, "pass.test", "fail.test", "malformed.test"],
               os.path.join(tests_dir, "cli"))
    faults = []
    if proc.returncode != 1 or not proc.stdout.endswith("8 passed, 6 failed\n"):
        faults.append(f"exit {proc.returncode}, stdout ends: {proc.stdout[-60:]!r}")
    try:
        root = ET.parse(out).getroot()
    except (ET.ParseError, OSError) as e:
        return faults + [f"not well-formed XML: {e}"]
    attrs = {k: root.get(k) for k in ("tests", "failures", "errors")}
    if attrs != {"tests": "14", "failures": "5", "errors": "1"}:
        faults.append(f"testsuites counts {attrs}")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    if sorted(suites) != ["fail.test", "malformed.test", "pass.test"]:
        faults.append(f"testsuites {sorted(suites)}")
    else:
        fail = suites["fail.test"]
        cases = fail.findall("testcase")
        if len(cases) != 5 or any(c.find("failure") is None for c in cases):
            faults.append("fail.test: expected 5 testcases, each with a <failure>")
        elif "k=b: total: 6 -> 5 (-1)" not in (cases[1].find("failure").text or ""):
            faults.append("fail.test: the second failure does not hold the diff")
        if any(c.find("failure") is not None for c in suites["pass.test"].findall("testcase")):
            faults.append("pass.test: a passing test has a <failure>")
    return faults


def main():
    ap = argparse.ArgumentParser(description="kql command-line tests")
    ap.add_argument("--kql", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    kql = os.path.abspath(args.kql)
    root = os.path.abspath(args.root)
    tests_dir = os.path.join(root, "tests")
    passed = failed = 0

    def report(name, faults):
        nonlocal passed, failed
        if faults:
            failed += 1
            print(f"FAIL {name}\n  " + "\n  ".join(faults))
        else:
            passed += 1

    for name, folder, argv, status, stdout, stderr in CASES:
        proc = run(kql, argv, os.path.join(root, folder))
        report(name, check(name, proc, status, stdout, stderr))
    with tempfile.TemporaryDirectory(prefix="kql-cli-") as tmp:
        report("test: --update round trip", update_round_trip(kql, tests_dir, tmp))
        report("test: --junit", junit_counts(kql, tests_dir, tmp))
        report("test: --update writes '#' cells as CSV", update_keeps_hash_cells(kql, tmp))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
