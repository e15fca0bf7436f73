#!/usr/bin/env python3
"""repl_pty.py - end-to-end tests of kql's interactive session (cli/repl.c)
through a real pseudo-terminal, asserting what the screen shows.

Each test starts `kql` on a pty (24 rows by 100 columns unless it says
otherwise) with its own temporary folder for tables and history, types into
it as a person would and waits for text to appear; escape sequences are
stripped before matching. Waits have generous timeouts and poll the output:
no test depends on a sleep being long enough, except that Ctrl-C is sent a
moment after a long query starts (the query runs for seconds).

Expected results are worked out by hand from the small tables each test
writes. Usage: repl_pty.py --kql build/kql
"""
import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import tempfile
import termios
import time
import traceback

TIMEOUT = 20.0
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|[\x07\r]")


class Session:
    """kql running on a pty; `expect` waits for a regex in the screen text
    that came after the previous match."""

    def __init__(self, kql, folder, args=(), rows=24, cols=100, env=None):
        full_env = dict(os.environ, TERM="xterm", HOME=folder, PAGER="cat",
                        KQL_HISTORY=os.path.join(folder, "history"))
        full_env.update(env or {})
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(folder)
            os.execve(kql, [kql, "-d", folder, *args], full_env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.raw = b""
        self.pos = 0
        self.status = None

    def text(self):
        return ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:   # the child has exited and the pty is closed
            data = b""
        if not data:
            raise EOFError("kql exited; screen:\n" + self.text())
        self.raw += data
        return True

    def expect(self, pattern, timeout=TIMEOUT):
        rx = re.compile(pattern, re.M)
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.text(), self.pos)
            if m:
                self.pos = m.end()
                return m
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out waiting for %r; screen since the last match:\n%s"
                                     % (pattern, self.text()[self.pos:]))
            try:
                self._read(min(left, 0.2))
            except EOFError as e:
                raise AssertionError("waiting for %r: %s" % (pattern, e))

    def prompt(self):
        return self.expect(r"kql> $|kql> (?=\S)")

    def send(self, text):
        os.write(self.fd, text.encode())

    def quit(self):
        """Ctrl-D at an empty prompt: kql must exit with status 0. (Wait for
        the prompt first: a key typed while a query runs meets the terminal
        in line mode, where Ctrl-D is no key.)"""
        self.send("\x04")
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                break
            try:
                self._read(0.1)
            except EOFError:
                pass
        os.close(self.fd)
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            raise AssertionError("kql did not exit on Ctrl-D; screen:\n" + self.text())
        assert self.status == 0, "exit status %d" % self.status

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            try:
                os.close(self.fd)
            except OSError:
                pass


def write_table(folder, name, rows):
    with open(os.path.join(folder, name + ".jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


EVENTS = [{"User": "ann", "Bytes": 10}, {"User": "bob", "Bytes": 32}]


def test_multi_line_query(s, folder):
    s.prompt()
    s.send("print a = 1\n")
    s.expect(r"\.\.\.> $")
    s.send("| extend b = a * 10\n")
    s.expect(r"\.\.\.> $")
    s.send("\n")   # a blank line runs it
    s.expect(r"^a   b\n-  --\n1  10\n\(1 row\)\n")
    s.prompt()


def test_pasted_query_with_comments(s, folder):
    s.prompt()
    s.send("// bytes of all users\nEvents\n| where Bytes > 5 // both rows\n"
           "| summarize total = sum(Bytes)\n\n")   # one write, as a paste arrives
    s.expect(r"^total\n-----\n   42\n\(1 row\)\n")
    s.prompt()


def test_non_ascii_text_is_typed_and_shown(s, folder):
    s.prompt()
    s.send('print city = "Z\u00fcrich", n = strlen("\u00e9t\u00e9");\n')
    s.expect(r"^city    n\n------  -\nZ\u00fcrich  3\n")
    s.prompt()


def test_semicolon_runs_but_not_after_a_let(s, folder):
    s.prompt()
    s.send("let x = 4;\n")   # only a let so far: the query goes on
    s.expect(r"\.\.\.> $")
    s.send("print y = x * x;\n")
    s.expect(r"^ y\n--\n16\n\(1 row\)\n")
    s.prompt()


def test_error_then_recovery(s, folder):
    s.prompt()
    s.send("print z = nope;\n")
    s.expect(r"<query>:1:11: error: unknown column or variable 'nope'\n"
             r"print z = nope;\n {10}\^~~~\n")
    s.prompt()
    s.send("print ok = 7;\n")
    s.expect(r"^ok\n--\n 7\n\(1 row\)\n")
    s.prompt()


def test_completion(s, folder):
    s.prompt()
    s.send("Eve\t")                      # a table
    s.expect(r"Events $")
    s.send("| whe\t")                    # an operator
    s.expect(r"where $")
    s.send("Byt\t")                      # a column of the table
    s.expect(r"Bytes $")
    s.send(">= 20;\n")
    s.expect(r"^User  Bytes\n----  -----\nbob      32\n\(1 row\)\n")
    s.prompt()
    # a column made by extend earlier in the pipeline
    s.send("Events | extend Kilo = Bytes * 1000\n| project Ki\t")
    s.expect(r"Kilo $")
    s.send(";\n")
    s.expect(r"^ Kilo\n-----\n10000\n32000\n\(2 rows\)\n")
    s.prompt()
    # several candidates: listed under the line
    s.send("Events | project-\t")
    s.expect(r"project-away +project-keep +project-rename +project-reorder")
    s.send("\x15")   # clear the line
    s.send(".sch\t")                     # a dot-command
    s.expect(r"\.schema $")
    s.send("Ev\t")
    s.expect(r"Events $")
    s.send("\n")
    s.expect(r"^ColumnName  ColumnOrdinal  DataType       ColumnType\n"
             r"-+  -+  -+  -+\n"
             r"User                    0  System.String  string\n"
             r"Bytes                   1  System.Int64   long\n")
    s.prompt()


def test_history_across_sessions(kql, folder):
    a = Session(kql, folder)
    try:
        a.prompt()
        a.send("print h = 41 + 1\n| project h\n\n")
        a.expect(r"^ h\n--\n42\n")
        a.prompt()
        a.quit()
    finally:
        a.kill()
    b = Session(kql, folder)
    try:
        b.prompt()
        b.send("\x1b[A")   # Up: the last query, both lines
        b.expect(r"print h = 41 \+ 1\n\| project h")
        b.send("\n")       # a recalled multi-line query runs at Enter
        b.expect(r"^ h\n--\n42\n\(1 row\)\n")
        b.prompt()
        b.quit()
    finally:
        b.kill()


def test_ctrl_c_cancels_a_long_query(s, folder):
    s.prompt()
    # 20 million rows into a million groups: seconds of work, stopped early
    s.send("range i from 1 to 20000000 step 1 | summarize c = count() by k = i % 1000000;\n")
    time.sleep(0.5)
    s.send("\x03")
    s.expect(r"<query>: error: query cancelled\n")
    s.prompt()
    s.send("print after = 1;\n")
    s.expect(r"^after\n-----\n    1\n")
    s.prompt()


def test_ctrl_c_at_the_prompt_drops_the_lines_typed(s, folder):
    s.prompt()
    s.send("print never = 1\n")
    s.expect(r"\.\.\.> $")
    s.send("\x03")
    s.prompt()
    s.send("print fresh = 2;\n")
    s.expect(r"^fresh\n-----\n    2\n\(1 row\)\n")
    s.prompt()


def test_load_then_query(s, folder):
    extra = os.path.join(folder, "more", "extra.json")
    os.makedirs(os.path.dirname(extra))
    with open(extra, "w") as f:
        json.dump([{"Name": "x", "N": 5}, {"Name": "y", "N": 6}, {"Name": "z", "N": 7}], f)
    s.prompt()
    s.send(".load %s as Extra\n" % extra)
    s.prompt()
    s.send(".tables\n")
    s.expect(r"^Table   Rows  Columns\n------  ----  -------\n"
             r"Events     2        2\nExtra      3        2\n\(2 rows\)\n")
    s.prompt()
    s.send("Extra | summarize total = sum(N);\n")
    s.expect(r"^total\n-----\n   18\n\(1 row\)\n")
    s.prompt()


def test_wide_dynamic_column_fits_the_screen(s, folder):
    s.prompt()
    # Policies is a 4 KB JSON array: the line must stay within 60 columns
    s.send("Wide | project Id, Policies, Note;\n")
    m = s.expect(r"^Id  Policies.*\n(?:.*\n){3}\(2 rows\)\n")
    lines = m.group(0).splitlines()[:-1]
    for line in lines:
        assert len(line) <= 60, "line of %d characters: %r" % (len(line), line)
    assert lines[2].startswith(' 1  [{"id":"policy-0"'), lines[2]
    assert lines[2].rstrip().endswith("\u2026  short"), lines[2]   # cut, with an ellipsis
    assert lines[3].startswith('22  ['), lines[3]                     # numbers right-aligned
    s.prompt()


def test_dot_commands(s, folder):
    s.prompt()
    s.send(".help\n")
    s.expect(r"^\.load PATH \[as NAME\] +load a data file")
    s.prompt()
    s.send(".timing on\n")
    s.prompt()
    s.send("Events | count;\n")
    s.expect(r"^Count\n-----\n    2\n\(1 row, [0-9]+\.[0-9] ms\)\n")
    s.prompt()
    s.send(".format csv\n")
    s.prompt()
    s.send(".timing off\n")
    s.prompt()
    s.send("Events | project User;\n")
    s.expect(r"^User\nann\nbob\n")
    s.prompt()
    with open(os.path.join(folder, "q.kql"), "w") as f:
        f.write("// a saved query\nEvents\n| summarize n = count()\n")
    os.mkdir(os.path.join(folder, "qdir"))
    s.send(".run q\t")   # q.kql and qdir/ agree no further than q: both listed
    s.expect(r"^q\.kql +qdir/\n")
    s.send(".\t")         # now a file name
    s.expect(r"q\.kql $")
    s.send("\n")
    s.expect(r"^n\n2\n")
    s.prompt()
    s.send(".now 2026-11-20T12:00:00Z\n")
    s.prompt()
    s.send("print t = now();\n")
    s.expect(r"^t\n2026-11-20T12:00:00.0000000Z\n")
    s.prompt()
    s.send(".bogus\n")
    s.expect(r"kql: unknown command '\.bogus' \(\.help lists them\)\n")
    s.prompt()
    s.send(".output out.csv\n")
    s.prompt()
    s.send("print written = 3;\n")
    s.prompt()
    s.send(".output off\n")
    s.prompt()
    with open(os.path.join(folder, "out.csv")) as f:
        assert f.read() == "written\n3\n"
    s.send(".quit\n")
    end = time.monotonic() + TIMEOUT
    while time.monotonic() < end:
        pid, st = os.waitpid(s.pid, os.WNOHANG)
        if pid:
            s.status = os.waitstatus_to_exitcode(st)
            break
        time.sleep(0.05)
    os.close(s.fd)
    assert s.status == 0, "exit status %r after .quit" % s.status


def test_long_results_go_through_the_pager(kql, folder):
    # PAGER marks each line: 30 rows do not fit 24, 5 rows do
    s = Session(kql, folder, env={"PAGER": "sed -e s/^/paged:/"})
    try:
        s.prompt()
        s.send("range i from 1 to 30 step 1;\n")
        s.expect(r"^paged: i\npaged:--\npaged: 1\n(?:paged:.*\n){29}paged:\(30 rows\)\n")
        s.prompt()
        s.send("range i from 1 to 5 step 1;\n")
        s.expect(r"^i\n-\n1\n2\n3\n4\n5\n\(5 rows\)\n")
        s.prompt()
        s.quit()
    finally:
        s.kill()
    # a pager that does not exist: the result still shows
    s = Session(kql, folder, env={"PAGER": "no-such-pager-kql-test"})
    try:
        s.prompt()
        s.send("range i from 1 to 30 step 1;\n")
        s.expect(r"^ i\n--\n 1\n(?:.*\n){29}\(30 rows\)\n")
        s.prompt()
        s.quit()
    finally:
        s.kill()


def run_session_test(kql, fn, **kw):
    with tempfile.TemporaryDirectory() as folder:
        write_table(folder, "Events", EVENTS)
        if fn is test_wide_dynamic_column_fits_the_screen:
            policies = [{"id": "policy-%d" % i, "result": "notApplied", "displayName": "x" * 20}
                        for i in range(60)]
            write_table(folder, "Wide", [{"Id": 1, "Policies": policies, "Note": "short"},
                                         {"Id": 22, "Policies": policies[:2], "Note": "short"}])
            kw = {"cols": 60}
        if fn in (test_history_across_sessions, test_long_results_go_through_the_pager):
            fn(kql, folder)
            return
        s = Session(kql, folder, **kw)
        try:
            fn(s, folder)
            if s.status is None:
                s.quit()
        finally:
            s.kill()


TESTS = [
    test_multi_line_query,
    test_pasted_query_with_comments,
    test_non_ascii_text_is_typed_and_shown,
    test_semicolon_runs_but_not_after_a_let,
    test_error_then_recovery,
    test_completion,
    test_history_across_sessions,
    test_ctrl_c_cancels_a_long_query,
    test_ctrl_c_at_the_prompt_drops_the_lines_typed,
    test_load_then_query,
    test_wide_dynamic_column_fits_the_screen,
    test_dot_commands,
    test_long_results_go_through_the_pager,
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kql", required=True)
    ap.add_argument("--filter", default="")
    args = ap.parse_args()
    kql = os.path.abspath(args.kql)
    failed = 0
    for fn in TESTS:
        if args.filter not in fn.__name__:
            continue
        t0 = time.monotonic()
        try:
            run_session_test(kql, fn)
            print("ok   %s (%.1f s)" % (fn.__name__, time.monotonic() - t0))
        except Exception:
            failed += 1
            print("FAIL %s\n%s" % (fn.__name__, traceback.format_exc()))
    print("%s" % ("all passed" if not failed else "%d failed" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
