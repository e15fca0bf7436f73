#!/usr/bin/env python3
# golden_runner.py - runs the golden query tests of tests/golden/*.test against kql.
"""Golden query test runner for kql.

Runs the `*.test` files described in tests/golden/README.md: each test is a
query with directives and the CSV output (or the error) that `kql -f csv`
must print. Compares expected and actual output and reports every
difference as `FILE:LINE: test NAME: ...`. The last line printed is always
`N passed, N failed`; the exit status is 1 when anything failed.

Usage: golden_runner.py --kql PATH --root REPO_ROOT [--filter SUBSTR]
                        [--jobs N] DIR_OR_FILE...
"""

import argparse
import collections
import concurrent.futures
import csv
import io
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile

TIMEOUT_SECONDS = 10
KNOWN_DIRECTIVES = ("@now", "@data", "@ordered", "@args")


class MalformedTest(Exception):
    """A test file that does not follow the format; carries file and line."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: error: {message}")


class Test:
    def __init__(self, path, line, name):
        self.path = path
        self.line = line          # line of the `### NAME` header
        self.name = name
        self.now = None
        self.data = []            # -d paths, relative to the repository root
        self.ordered = False
        self.args = []            # extra command-line arguments (@args)
        self.query_lines = []
        self.expect_error = None  # exit status for `--- error N`, else None
        self.expected_lines = []

    @property
    def where(self):
        return f"{self.path}:{self.line}: test {self.name}"


def parse_test_file(path):
    """Splits one .test file into Test objects; raises MalformedTest."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]

    tests = []
    names = {}
    test = None
    state = "outside"  # outside -> directives -> query -> expected
    for number, line in enumerate(lines, start=1):
        if line.startswith("###"):
            if test is not None and state in ("directives", "query"):
                raise MalformedTest(path, test.line, f"test '{test.name}' has no '---' line")
            name = line[3:].strip()
            if not name:
                raise MalformedTest(path, number, "'###' without a test name")
            if name in names:
                raise MalformedTest(path, number, f"duplicate test name '{name}' (first at line {names[name]})")
            names[name] = number
            test = Test(path, number, name)
            tests.append(test)
            state = "directives"
            continue
        if state == "outside":
            if line.strip() == "" or line.startswith("#"):
                continue
            raise MalformedTest(path, number, "text before the first '### NAME' line")
        if state == "directives":
            if line.strip() == "" or line.startswith("#"):
                continue
            if line.startswith("@"):
                parse_directive(path, number, line, test)
                continue
            state = "query"
            # falls through: this line is the first line of the query
        if state == "query":
            if line.startswith("---"):
                parse_separator(path, number, line, test)
                state = "expected"
            else:
                test.query_lines.append(line)
            continue
        # state == "expected": '#' lines are comments (they usually describe
        # the next test); everything else is expected output.
        if line.startswith("#"):
            continue
        test.expected_lines.append(line)

    if test is not None and state in ("directives", "query"):
        raise MalformedTest(path, test.line, f"test '{test.name}' has no '---' line")
    for t in tests:
        if not "".join(t.query_lines).strip():
            raise MalformedTest(path, t.line, f"test '{t.name}' has an empty query")
        while t.expected_lines and t.expected_lines[-1].strip() == "":
            t.expected_lines.pop()
        if t.expect_error is None and not t.expected_lines:
            raise MalformedTest(path, t.line, f"test '{t.name}' has no expected header row")
    return tests


def parse_directive(path, number, line, test):
    word, _, arg = line.partition(" ")
    arg = arg.strip()
    if word == "@now":
        if not arg:
            raise MalformedTest(path, number, "@now needs a datetime")
        test.now = arg
    elif word == "@data":
        if not arg:
            raise MalformedTest(path, number, "@data needs a path")
        test.data.append(arg)
    elif word == "@args":
        if not arg:
            raise MalformedTest(path, number, "@args needs arguments")
        test.args += shlex.split(arg)
    elif word == "@ordered":
        if arg:
            raise MalformedTest(path, number, "@ordered takes no argument")
        test.ordered = True
    else:
        raise MalformedTest(path, number,
                            f"unknown directive '{word}' (known: {', '.join(KNOWN_DIRECTIVES)})")


def parse_separator(path, number, line, test):
    rest = line[3:].strip()
    if rest == "":
        return
    m = re.fullmatch(r"error\s+(\d+)", rest)
    if not m:
        raise MalformedTest(path, number, f"bad separator '{line}' (expected '---' or '--- error N')")
    test.expect_error = int(m.group(1))


def parse_csv(text):
    """Parses CSV text into a list of rows. A blank line is a row holding one
    empty cell (what a one-column table prints for an empty value)."""
    rows = []
    for row in csv.reader(io.StringIO(text, newline="")):
        rows.append(row if row else [""])
    return rows


def csv_line(row):
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    text = out.getvalue()
    return text if text else '""'


def describe_exit(returncode):
    if returncode < 0:
        try:
            return f"killed by signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


def run_test(test, kql, root, empty_dir):
    """Runs one test; returns a list of failure messages (empty = pass)."""
    cmd = [kql, "-f", "csv"]
    if test.now is not None:
        cmd += ["--now", test.now]
    if test.data:
        for d in test.data:
            cmd += ["-d", d]      # relative to the root, where kql runs: messages name it so
    else:
        cmd += ["-d", empty_dir]
    cmd += test.args
    cmd += ["-q", "\n".join(test.query_lines)]
    try:
        proc = subprocess.run(cmd, cwd=root, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return [f"timed out after {TIMEOUT_SECONDS} s"]
    except OSError as e:
        return [f"cannot run {kql}: {e}"]
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")

    if test.expect_error is not None:
        return check_error(test, proc.returncode, stdout, stderr)
    if proc.returncode != 0:
        msg = f"expected success, got {describe_exit(proc.returncode)}"
        if stderr.strip():
            msg += "\n  stderr: " + stderr.rstrip("\n").replace("\n", "\n          ")
        return [msg]
    msgs = compare_csv(test, stdout)
    if msgs and stderr.strip():
        msgs.append("stderr: " + stderr.rstrip("\n"))
    return msgs


def check_error(test, returncode, stdout, stderr):
    msgs = []
    if returncode != test.expect_error:
        msgs.append(f"expected exit status {test.expect_error}, got {describe_exit(returncode)}")
    expected = "\n".join(test.expected_lines)
    actual = stderr.rstrip("\n")
    if actual != expected:
        msgs.append("stderr differs\n  expected: " + expected.replace("\n", "\n            ")
                    + "\n  actual:   " + actual.replace("\n", "\n            "))
    if msgs and stdout.strip():
        msgs.append("stdout: " + stdout.rstrip("\n"))
    return msgs


def compare_csv(test, stdout):
    expected = parse_csv("\n".join(test.expected_lines) + "\n")
    try:
        actual = parse_csv(stdout)
    except csv.Error as e:
        return [f"output is not valid CSV ({e}):\n{stdout}"]
    if not actual:
        return ["no output (expected at least a header row)"]
    exp_header, exp_rows = expected[0], expected[1:]
    act_header, act_rows = actual[0], actual[1:]
    if exp_header != act_header:
        return ["header differs\n  expected: " + csv_line(exp_header)
                + "\n  actual:   " + csv_line(act_header)
                + "\n  actual output:\n    " + stdout.rstrip("\n").replace("\n", "\n    ")]

    exp_t = [tuple(r) for r in exp_rows]
    act_t = [tuple(r) for r in act_rows]
    if test.ordered:
        if exp_t == act_t:
            return []
    elif collections.Counter(exp_t) == collections.Counter(act_t):
        return []

    missing = collections.Counter(exp_t) - collections.Counter(act_t)
    unexpected = collections.Counter(act_t) - collections.Counter(exp_t)
    lines = []
    if not missing and not unexpected:
        lines.append("rows are in the wrong order (@ordered)")
    else:
        lines.append(f"rows differ ({len(exp_t)} expected, {len(act_t)} actual)")
        for row, n in missing.items():
            for _ in range(n):
                lines.append("  - missing:    " + csv_line(row))
        for row, n in unexpected.items():
            for _ in range(n):
                lines.append("  + unexpected: " + csv_line(row))
    if test.ordered:
        lines.append("  expected order:")
        lines += ["    " + csv_line(r) for r in exp_t]
        lines.append("  actual order:")
        lines += ["    " + csv_line(r) for r in act_t]
    return ["\n".join(lines)]


def collect_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, n) for n in os.listdir(p) if n.endswith(".test"))
        else:
            files.append(p)
    return files


def main():
    ap = argparse.ArgumentParser(description="Runs kql golden tests (see tests/golden/README.md).")
    ap.add_argument("--kql", required=True, help="path to the kql binary")
    ap.add_argument("--root", required=True, help="repository root (@data paths are relative to it)")
    ap.add_argument("--filter", default=None, help="run only tests whose name contains SUBSTR")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="parallel kql runs")
    ap.add_argument("paths", nargs="+", metavar="DIR_OR_FILE")
    args = ap.parse_args()

    kql = os.path.abspath(args.kql)
    root = os.path.abspath(args.root)
    passed = failed = 0
    tests = []
    for path in collect_files(args.paths):
        try:
            tests += parse_test_file(path)
        except MalformedTest as e:
            print(e)
            failed += 1
        except OSError as e:
            print(f"{path}:1: error: cannot read: {e}")
            failed += 1
    if args.filter is not None:
        tests = [t for t in tests if args.filter in t.name]

    with tempfile.TemporaryDirectory(prefix="kql-golden-") as empty_dir:
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            results = pool.map(lambda t: run_test(t, kql, root, empty_dir), tests)
            for test, msgs in zip(tests, results):
                if msgs:
                    failed += 1
                    print(f"{test.where}: " + "\n  ".join(m.replace("\n", "\n  ") if i else m
                                                            for i, m in enumerate(msgs)))
                else:
                    passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
