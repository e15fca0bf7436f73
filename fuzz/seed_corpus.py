#!/usr/bin/env python3
"""seed_corpus.py OUTDIR - writes the seed corpora of the fuzz targets.

OUTDIR/query: one file per query of queries/ (.kql, .test), tests/golden/*.test and the
shared conformance examples (../shared/conformance/*.jsonl); fuzz_parse and
fuzz_query both start from it.
OUTDIR/load: table files for fuzz_load, each led by the byte that picks the
table name (0 = an inferred table, 1 = SigninLogs, 2 =
AADNonInteractiveUserSignInLogs): the first records of data/ in every shape the
loader accepts, and the fixtures of tests/golden/files/.

Generated at run time (fuzz/run.sh) rather than committed: the sources change,
and thousands of small files would crowd the repository.
"""
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Records per generated table file: small seeds mutate faster.
RECORDS = 3


def write(folder, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def test_file_queries(path):
    """The query texts of a test file (tests/golden/README.md): each test's
    inline query, from the first line after its directives up to `---`, and
    its `@table` expressions (a directive line and the indented lines under
    it). Tests whose query is a `@query` file add nothing here: those files
    are in queries/ already."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("### "):
            i += 1
            continue
        i += 1
        query = None
        while i < len(lines) and not lines[i].startswith("---"):
            line = lines[i]
            if query is not None:
                query.append(line)
            elif line.startswith("@table "):
                expr = [line.split("=", 1)[1] if "=" in line else ""]
                while i + 1 < len(lines) and lines[i + 1][:1] in (" ", "\t") and lines[i + 1].strip():
                    i += 1
                    expr.append(lines[i])
                yield "\n".join(expr)
            elif line.strip() and not line.startswith(("@", "#")):
                query = [line]
            i += 1
        if query:
            yield "\n".join(query)


def queries():
    for base, _, names in sorted(os.walk(os.path.join(ROOT, "queries"))):
        for name in sorted(names):
            path = os.path.join(base, name)
            if name.endswith(".kql"):
                with open(path, encoding="utf-8") as f:
                    yield f.read()
            elif name.endswith(".test"):
                yield from test_file_queries(path)
    gdir = os.path.join(ROOT, "tests", "golden")
    for name in sorted(os.listdir(gdir)):
        if name.endswith(".test"):
            yield from test_file_queries(os.path.join(gdir, name))
    cdir = os.path.join(ROOT, "..", "shared", "conformance")
    if os.path.isdir(cdir):
        for name in sorted(os.listdir(cdir)):
            if name.endswith(".jsonl"):
                with open(os.path.join(cdir, name), encoding="utf-8") as f:
                    for line in f:
                        if line.strip():
                            yield json.loads(line)["query"]


def table_files():
    """(selector, text) pairs: sample records in each accepted shape (text is
    str, or bytes for the fixture files, some of them gzip)."""
    for selector, name in ((1, "SigninLogs"), (2, "AADNonInteractiveUserSignInLogs")):
        path = os.path.join(ROOT, "data", name + ".jsonl")
        with open(path, encoding="utf-8") as f:
            lines = [ln for ln in f.read().split("\n") if ln.strip()][:RECORDS * 2]
        for sel in (selector, 0):
            for start in (0, RECORDS):
                chunk = lines[start:start + RECORDS]
                recs = [json.loads(ln) for ln in chunk]
                yield sel, "\n".join(chunk) + "\n"                      # JSON Lines
                yield sel, json.dumps(recs)                              # an array
                yield sel, "\n".join(json.dumps(r, indent=2) for r in recs)   # pretty stream
                yield sel, json.dumps({"records": recs})                 # Event Hubs batch
                cols = sorted({k for r in recs for k in r})
                yield sel, json.dumps({"tables": [{                      # query API answer
                    "name": "PrimaryResult",
                    "columns": [{"name": c, "type": "string"} for c in cols],
                    "rows": [[r.get(c) for c in cols] for r in recs]}]})
    fdir = os.path.join(ROOT, "tests", "golden", "files")
    for base, _, names in os.walk(fdir):
        for name in sorted(names):
            with open(os.path.join(base, name), "rb") as f:   # bytes: some are gzip
                yield (1 if name.startswith("SigninLogs") else 0), f.read()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seed_corpus.py OUTDIR")
    out = sys.argv[1]
    qdir, ldir = os.path.join(out, "query"), os.path.join(out, "load")
    os.makedirs(qdir, exist_ok=True)
    os.makedirs(ldir, exist_ok=True)
    nq = nl = 0
    for q in queries():
        write(qdir, q)
        nq += 1
    for sel, text in table_files():
        write(ldir, bytes([sel]) + (text if isinstance(text, bytes) else text.encode("utf-8")))
        nl += 1
    print(f"seed_corpus.py: {nq} queries, {nl} table files in {out}")


if __name__ == "__main__":
    main()
