#!/usr/bin/env python3
"""stdin_queries.py - kql with queries on standard input that is not a
terminal (cli/stdin_queries.c): queries separated by blank lines run in
order, results printed with no prompts, errors naming lines of the whole
input, exit status 1 when any query failed. Expected outputs are worked out
by hand. Usage: stdin_queries.py --kql build/kql
"""
import argparse
import os
import subprocess
import sys
import tempfile

CASES = [
    # (name, stdin, expected stdout, expected stderr, expected status[, arguments])
    ("queries run in order, split at blank lines",
     "print a = 1\n\nprint b = 2\n| extend c = b * 3\n",
     "a\n1\nb,c\n2,6\n", "", 0),
    ("let statements work across lines inside one query",
     "let x = 5;\nlet y = x + 1;\nprint s = x * y\n",
     "s\n30\n", "", 0),
    ("several blank lines and blank space separate as one",
     "print a = 1\n\n  \n\t\n\nprint a = 2\n",
     "a\n1\na\n2\n", "", 0),
    ("a chunk of comments only is no query",
     "// just a note\n\n// and another\nprint ok = true\n",
     "ok\ntrue\n", "", 0),
    ("an error names its line in the whole input; later queries still run",
     "print a = 1\n\n\nprint b = 2\n| where nope > 1\n\nprint c = 3\n",
     "a\n1\nc\n3\n",
     "<stdin>:5:9: error: unknown column or variable 'nope'\n| where nope > 1\n        ^~~~\n", 1),
    ("dot-commands at the top of a chunk",
     ".format json\n.now 2026-11-20T12:00:00Z\nprint t = now()\n\n.format csv\nprint n = 1\n",
     '[\n{"t":"2026-11-20T12:00:00.0000000Z"}\n]\nn\n1\n', "", 0),
    ("an unknown dot-command fails the run",
     ".nonsense\n\nprint a = 1\n",
     "a\n1\n", "kql: unknown command '.nonsense' (.help lists them)\n", 2),
    (".quit stops reading",
     "print a = 1\n\n.quit\n\nprint a = 2\n",
     "a\n1\n", "", 0),
    ("a query on one line without a newline",
     "print x = 1 + 2",
     "x\n3\n", "", 0),
    ("the table format sets results apart by a blank line",
     "print a = 1\n\nprint b = 2, c = 3\n",
     "a\n-\n1\n\nb  c\n-  -\n2  3\n", "", 0, ["-f", "table"]),
    ("--parse-only checks each query and runs none",
     "print a = 1\n\nprint b = (\n\nprint c = 3\n",
     "", "<stdin>:3:12: error: unexpected end of query, expected an expression\nprint b = (\n           ^\n", 1,
     ["--parse-only"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kql", required=True)
    args = ap.parse_args()
    kql = os.path.abspath(args.kql)
    failed = 0
    with tempfile.TemporaryDirectory() as empty:
        for name, stdin, out, err, status, *more in CASES:
            p = subprocess.run([kql, "-d", empty, *(more[0] if more else [])], input=stdin.encode(),
                               capture_output=True,
                               timeout=30, cwd=empty)
            got = (p.stdout.decode(), p.stderr.decode(), p.returncode)
            if got != (out, err, status):
                failed += 1
                print("FAIL %s\n  want %r\n  got  %r" % (name, (out, err, status), got))
            else:
                print("ok   %s" % name)
        # a table loaded with .load from standard input, then queried
        os.mkdir(os.path.join(empty, "files"))
        path = os.path.join(empty, "files", "t.jsonl")
        with open(path, "w") as f:
            f.write('{"k": "a", "v": 1}\n{"k": "b", "v": 2}\n{"k": "a", "v": 4}\n')
        p = subprocess.run([kql, "-d", empty],
                           input=(".load %s as T\nT | summarize s = sum(v) by k | sort by k asc\n" % path).encode(),
                           capture_output=True, timeout=30)
        if (p.stdout.decode(), p.returncode) != ("k,s\na,5\nb,2\n", 0):
            failed += 1
            print("FAIL .load then a query\n  got %r" % ((p.stdout, p.stderr, p.returncode),))
        else:
            print("ok   .load then a query")
    print("all passed" if not failed else "%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
