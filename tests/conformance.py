#!/usr/bin/env python3
# conformance.py - runs the Kusto documentation examples (shared/conformance) through kql.
"""Conformance run of kql against the examples of the Kusto documentation.

Runs every example of shared/conformance/public.jsonl and derived.jsonl
through `kql -f json -q QUERY` and compares the result with the published
table, normalizing cells the way shared/conformance/NOTES.md section 1
describes (datetime and timespan spellings, real tolerance, loose dynamic
printing, empty = null, ...). Each example is classified as

  pass         the result matches the published table
  fail         kql ran but the result differs
  unsupported  kql exited 1 refusing an operator/function it does not
               support ("... is not supported", or an unknown function)
  error        any other non-zero exit
  crash        killed by a signal, a sanitizer report, or a timeout

and counted per family. Examples marked `doc_issue` are reported apart and
never counted. The last line is `N passed, N failed`.

Usage:
  conformance.py [--kql PATH] [--shared DIR] [--verbose] [--id ID]
                 [--check-floor FILE] [--write-floor FILE]

With --check-floor the exit status is 1 when fewer examples pass than the
floor file records (per corpus) or when anything crashed; "failed" on the
last line then counts crashes plus 1 when below the floor. Without it,
"failed" counts fail + error + crash and the exit status is 0 (a report).
"""

import argparse
import concurrent.futures
import datetime
import glob
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile

TIMEOUT_SECONDS = 10
REL_TOL = 1e-6
CORPORA = ("public", "derived")
STATUSES = ("pass", "fail", "unsupported", "error", "crash")

# kql refuses what it does not implement by name ("operator 'join' is not
# supported yet", "function 'x' is not supported yet"); an unknown function
# name also counts as unsupported.
UNSUPPORTED_RE = re.compile(
    r"not supported|unsupported|unknown (?:scalar |aggregate |tabular )?function"
    r"|unknown plugin|undefined function|function '[^']*' (?:is )?(?:not defined|not found|unknown)",
    re.IGNORECASE)
SANITIZER_RE = re.compile(
    r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer"
    r"|ThreadSanitizer|runtime error:")


# ---------------------------------------------------------------- values --

NULL_TEXTS = ("", "null", "(null)")
THOUSANDS_RE = re.compile(r"^-?\d{1,3}(,\d{3})+$")
NUMBER_RE = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?Z?$")
TIMESPAN_RE = re.compile(r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$")
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SPECIAL_REALS = {"nan": math.nan, "∞": math.inf, "+∞": math.inf, "-∞": -math.inf,
                 "infinity": math.inf, "+infinity": math.inf, "-infinity": -math.inf,
                 "inf": math.inf, "+inf": math.inf, "-inf": -math.inf}
EPOCH_ORDINAL = datetime.date(1, 1, 1).toordinal()
TICKS_PER_SECOND = 10_000_000


def datetime_ticks(text):
    """Ticks (100 ns) since 0001-01-01 for any of the docs' datetime
    spellings, or None."""
    m = DATETIME_RE.match(text.strip())
    if not m:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        days = datetime.date(int(y), int(mo), int(d)).toordinal() - EPOCH_ORDINAL
    except ValueError:
        return None
    h, mi, s = int(h or 0), int(mi or 0), int(s or 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    fraction = int((frac or "").ljust(7, "0"))
    return ((days * 86400 + h * 3600 + mi * 60 + s) * TICKS_PER_SECOND) + fraction


def is_engine_datetime(text):
    """kql prints datetimes as 2026-11-20T10:15:30.0000000Z."""
    return re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$", text) is not None


def timespan_ticks(text):
    m = TIMESPAN_RE.match(text.strip())
    if not m:
        return None
    neg, d, h, mi, s, frac = m.groups()
    if int(mi) > 59 or int(s) > 59:
        return None
    ticks = ((int(d or 0) * 86400 + int(h) * 3600 + int(mi) * 60 + int(s)) * TICKS_PER_SECOND
             + int((frac or "").ljust(7, "0")))
    return -ticks if neg else ticks


def parse_number(text):
    """The number an expected cell spells (thousands separators, .NET
    exponents, NaN and infinities), or None."""
    t = text.strip()
    if t.lower() in SPECIAL_REALS:
        return SPECIAL_REALS[t.lower()]
    if THOUSANDS_RE.match(t):
        t = t.replace(",", "")
    if not NUMBER_RE.match(t):
        return None
    if re.match(r"^[-+]?\d+$", t):
        return int(t)
    return float(t)


def numbers_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b and type(a) is type(b)
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b)) or abs(a - b) < 1e-300


class Bare(str):
    """A bare (unquoted) word in a loosely printed dynamic value."""


class LenientJSON:
    """Parses the docs' loose JSON: single quotes, unquoted words, trailing
    commas, `<br>` as whitespace. Raises ValueError."""

    def __init__(self, text):
        self.s = text.replace("<br>", " ")
        self.i = 0

    def parse(self):
        v = self.value(stop=",]}")
        self.ws()
        if self.i != len(self.s):
            raise ValueError("trailing text")
        return v

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def value(self, stop):
        self.ws()
        if self.i >= len(self.s):
            raise ValueError("unexpected end")
        c = self.s[self.i]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c in "\"'":
            return self.string(c)
        return self.word(stop)

    def obj(self):
        self.i += 1
        out = {}
        while True:
            self.ws()
            if self.i < len(self.s) and self.s[self.i] == "}":
                self.i += 1
                return out
            key = self.value(stop=":")
            self.ws()
            if self.i >= len(self.s) or self.s[self.i] != ":":
                raise ValueError("expected ':'")
            self.i += 1
            out[str(key)] = self.value(stop=",}")
            self.ws()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
            elif self.i < len(self.s) and self.s[self.i] == "}":
                continue
            else:
                raise ValueError("expected ',' or '}'")

    def arr(self):
        self.i += 1
        out = []
        while True:
            self.ws()
            if self.i < len(self.s) and self.s[self.i] == "]":
                self.i += 1
                return out
            out.append(self.value(stop=",]"))
            self.ws()
            if self.i < len(self.s) and self.s[self.i] == ",":
                self.i += 1
            elif self.i < len(self.s) and self.s[self.i] == "]":
                continue
            else:
                raise ValueError("expected ',' or ']'")

    def string(self, quote):
        j = self.i + 1
        buf = []
        while j < len(self.s):
            c = self.s[j]
            if c == "\\" and j + 1 < len(self.s):
                buf.append(self.s[j:j + 2])
                j += 2
                continue
            if c == quote:
                break
            buf.append(c)
            j += 1
        else:
            raise ValueError("unterminated string")
        self.i = j + 1
        raw = "".join(buf)
        try:
            return json.loads('"' + raw.replace("\\'", "'").replace('"', '\\"') + '"')
        except ValueError:
            return raw

    def word(self, stop):
        j = self.i
        while j < len(self.s) and self.s[j] not in stop:
            j += 1
        w = self.s[self.i:j].strip()
        self.i = j
        if not w:
            raise ValueError("empty value")
        low = w.lower()
        if low == "true":
            return True
        if low == "false":
            return False
        if low == "null":
            return None
        n = parse_number(w)
        if n is not None and not THOUSANDS_RE.match(w):
            return n
        return Bare(w)


def strings_equal(actual, expected):
    if actual == expected:
        return True
    da, de = datetime_ticks(actual), datetime_ticks(expected)
    if da is not None and de is not None:
        return da == de
    ta, te = timespan_ticks(actual), timespan_ticks(expected)
    if ta is not None and te is not None:
        return ta == te
    if GUID_RE.match(actual) and GUID_RE.match(expected):
        return actual.lower() == expected.lower()
    return False


def dynamic_equal(actual, expected):
    """Structural comparison of an engine JSON value with a leniently
    parsed expected value."""
    if isinstance(actual, dict):
        return (isinstance(expected, dict) and set(actual) == set(expected)
                and all(dynamic_equal(actual[k], expected[k]) for k in actual))
    if isinstance(actual, list):
        return (isinstance(expected, list) and len(actual) == len(expected)
                and all(dynamic_equal(a, e) for a, e in zip(actual, expected)))
    if actual is None:
        return expected is None
    if isinstance(actual, bool):
        if isinstance(expected, Bare):
            return expected.lower() == str(actual).lower()
        return isinstance(expected, bool) and expected == actual
    if isinstance(actual, (int, float)):
        if isinstance(expected, (int, float)) and not isinstance(expected, bool):
            return numbers_equal(actual, expected)
        if isinstance(expected, Bare) and expected.lower() in SPECIAL_REALS:
            return numbers_equal(actual, SPECIAL_REALS[expected.lower()])
        return False
    if isinstance(actual, str):
        if isinstance(expected, str):
            return strings_equal(actual, expected)
        # an unquoted word that happens to look like a number or bool
        if isinstance(expected, (bool, int, float)):
            return strings_equal(actual, json.dumps(expected)) or actual == str(expected)
    return False


def engine_special_real(value):
    """kql may spell NaN/infinities as JSON strings; returns the float or None."""
    if isinstance(value, str) and value.strip().lower() in SPECIAL_REALS:
        return SPECIAL_REALS[value.strip().lower()]
    return None


def cell_equal(actual, expected):
    """Compares one typed cell of kql's JSON output with one published cell
    (a string as the docs print it), per NOTES.md section 1."""
    exp = expected.strip()
    exp_text = expected.replace("<br>", "\n")
    exp_flat = re.sub(r"(\s*<br>\s*)+$", "", exp).strip()   # `true<br>`
    if actual is None:
        return exp_flat in NULL_TEXTS
    if isinstance(actual, str) and actual == "" and exp_flat in NULL_TEXTS:
        return True
    if isinstance(actual, bool):
        low = exp_flat.lower()
        return low in (("true", "1") if actual else ("false", "0"))
    if isinstance(actual, (int, float)):
        n = parse_number(exp_flat)
        return n is not None and numbers_equal(actual, n)
    if isinstance(actual, str):
        special = engine_special_real(actual)
        if special is not None:
            n = parse_number(exp_flat)
            return n is not None and numbers_equal(special, n)
        if actual == exp_text:
            return True
        # markdown cells cannot show leading/trailing blanks
        if actual.strip() == exp_text.strip():
            return True
        if is_engine_datetime(actual):
            de = datetime_ticks(exp_flat)
            return de is not None and de == datetime_ticks(actual)
        ta, te = timespan_ticks(actual), timespan_ticks(exp_flat)
        if ta is not None and te is not None:
            return ta == te
        if GUID_RE.match(actual) and GUID_RE.match(exp_flat):
            return actual.lower() == exp_flat.lower()
        # a string holding JSON text (tostring of a dynamic), printed loosely
        if actual[:1] in "[{" and exp_flat[:1] in "[{":
            try:
                return dynamic_equal(json.loads(actual), LenientJSON(expected).parse())
            except ValueError:
                return False
        return False
    if isinstance(actual, (list, dict)):
        try:
            parsed = LenientJSON(expected).parse()
        except ValueError:
            return False
        return dynamic_equal(actual, parsed)
    return False


# ---------------------------------------------------------------- tables --

def strip_comments(query, drop_strings=False):
    """Removes // comments outside string literals (and the literals
    themselves with drop_strings)."""
    out = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in "\"'":
            j = i + 1
            while j < n and query[j] != c and query[j] != "\n":
                j += 2 if query[j] == "\\" else 1
            out.append('""' if drop_strings else query[i:j + 1])
            i = j + 1
        elif query.startswith("//", i):
            while i < n and query[i] != "\n":
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


ORDERING_RE = re.compile(r"\|\s*(?:sort\s+by|order\s+by|top\b(?!-)|serialize\b)", re.IGNORECASE)


def query_orders(query):
    """True when the query sorts its output at the pipe level
    (sort/order by/top/serialize)."""
    return ORDERING_RE.search(strip_comments(query, drop_strings=True)) is not None


def match_rows(actual_rows, expected_rows, ordered):
    """Returns None when the rows match, else a description of the
    difference. Multiset matching uses bipartite matching, since cell
    equality is fuzzy (tolerances) and not hashable."""
    if len(actual_rows) != len(expected_rows):
        return f"{len(expected_rows)} rows expected, {len(actual_rows)} actual"

    def row_eq(a, e):
        return all(cell_equal(x, y) for x, y in zip(a, e))

    if ordered:
        for i, (a, e) in enumerate(zip(actual_rows, expected_rows)):
            if not row_eq(a, e):
                return f"row {i + 1} differs (rows compared in order)"
        return None

    n = len(expected_rows)
    cache = {}

    def eq(ai, ei):
        key = (ai, ei)
        if key not in cache:
            cache[key] = row_eq(actual_rows[ai], expected_rows[ei])
        return cache[key]

    match_of_actual = [-1] * n

    def augment(ei, seen):
        for ai in range(n):
            if ai in seen or not eq(ai, ei):
                continue
            seen.add(ai)
            if match_of_actual[ai] < 0 or augment(match_of_actual[ai], seen):
                match_of_actual[ai] = ei
                return True
        return False

    unmatched = []
    for ei in range(n):
        if not augment(ei, set()):
            unmatched.append(ei)
    if unmatched:
        return ("expected rows not found: "
                + ", ".join(str(i + 1) for i in unmatched[:10])
                + (" ..." if len(unmatched) > 10 else ""))
    return None


def compare_output(record, stdout):
    """Returns None when kql's JSON output matches the record, else why not."""
    try:
        rows = json.loads(stdout)
    except ValueError as e:
        return f"output is not JSON: {e}"
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return "output is not a JSON array of objects"
    expected_cols = record["columns"]
    if rows:
        cols = list(rows[0].keys())
        if cols != expected_cols:
            return f"columns differ: expected {expected_cols}, actual {cols}"
        for r in rows:
            if list(r.keys()) != cols:
                return "rows have different columns"
    actual_rows = [[r[c] for c in expected_cols] for r in rows]
    return match_rows(actual_rows, record["rows"], query_orders(record["query"]))


# -------------------------------------------------------------- running --

class Result:
    def __init__(self, record, corpus, status, detail="", stdout="", stderr=""):
        self.record = record
        self.corpus = corpus
        self.status = status
        self.detail = detail
        self.stdout = stdout
        self.stderr = stderr


def run_example(kql, record, corpus, workdir):
    cmd = [kql, "-f", "json", "-q", record["query"]]
    try:
        proc = subprocess.run(cmd, cwd=workdir, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return Result(record, corpus, "crash", f"timed out after {TIMEOUT_SECONDS} s")
    stdout = proc.stdout.decode("utf-8", errors="replace")
    stderr = proc.stderr.decode("utf-8", errors="replace")
    rc = proc.returncode
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = str(-rc)
        return Result(record, corpus, "crash", f"killed by signal {name}", stdout, stderr)
    if SANITIZER_RE.search(stderr):
        return Result(record, corpus, "crash", "sanitizer report", stdout, stderr)
    if rc == 0:
        why = compare_output(record, stdout)
        if why is None:
            return Result(record, corpus, "pass")
        return Result(record, corpus, "fail", why, stdout, stderr)
    first = stderr.strip().splitlines()[0] if stderr.strip() else ""
    if rc == 1 and UNSUPPORTED_RE.search(stderr):
        return Result(record, corpus, "unsupported", first, stdout, stderr)
    return Result(record, corpus, "error", f"exit status {rc}: {first}", stdout, stderr)


def load_corpus(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def print_table(title, results):
    families = sorted({r.record["family"] for r in results})
    width = max([len("family"), len("total")] + [len(f) for f in families])
    print(title)
    print(f"  {'family':<{width}}  " + "  ".join(f"{s:>11}" for s in STATUSES) + f"  {'total':>5}")
    totals = dict.fromkeys(STATUSES, 0)
    for fam in families:
        counts = dict.fromkeys(STATUSES, 0)
        for r in results:
            if r.record["family"] == fam:
                counts[r.status] += 1
                totals[r.status] += 1
        print(f"  {fam:<{width}}  " + "  ".join(f"{counts[s]:>11}" for s in STATUSES)
              + f"  {sum(counts.values()):>5}")
    print(f"  {'total':<{width}}  " + "  ".join(f"{totals[s]:>11}" for s in STATUSES)
          + f"  {sum(totals.values()):>5}")
    return totals


def show_failure(r):
    rec = r.record
    print(f"--- {rec['id']} [{r.corpus}, {rec['family']}]: {r.status}: {r.detail}")
    if "doc_issue" in rec:
        print(f"  doc_issue (not counted): {rec['doc_issue']}")
    print("  query:    " + rec["query"].replace("\n", "\n            "))
    print("  expected: " + json.dumps(rec["columns"], ensure_ascii=False))
    for row in rec["rows"]:
        print("            " + json.dumps(row, ensure_ascii=False))
    if r.stdout:
        print("  actual:   " + r.stdout.rstrip("\n").replace("\n", "\n            "))
    if r.stderr.strip():
        print("  stderr:   " + r.stderr.rstrip("\n").replace("\n", "\n            "))


def default_kql(repo):
    found = sorted(glob.glob(os.path.join(repo, "build*", "kql")))
    return found[0] if found else os.path.join(repo, "build", "kql")


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="Runs the Kusto documentation examples through kql.")
    ap.add_argument("--kql", default=None, help="kql binary (default: REPO/build*/kql)")
    ap.add_argument("--shared", default=os.path.join(repo, "..", "shared"),
                    help="the shared folder (default: REPO/../shared)")
    ap.add_argument("--verbose", "-v", action="store_true", help="show each failure")
    ap.add_argument("--id", default=None, help="run one example")
    ap.add_argument("--check-floor", metavar="FILE", help="exit 1 below the floor or on a crash")
    ap.add_argument("--write-floor", metavar="FILE", help="record the current passes as the floor")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    kql = os.path.abspath(args.kql or default_kql(repo))
    if not os.access(kql, os.X_OK):
        print(f"conformance.py: cannot run {kql}", file=sys.stderr)
        return 2
    work = []
    for corpus in CORPORA:
        path = os.path.join(args.shared, "conformance", f"{corpus}.jsonl")
        try:
            records = load_corpus(path)
        except (OSError, ValueError) as e:
            print(f"conformance.py: cannot read {path}: {e}", file=sys.stderr)
            return 2
        work += [(corpus, r) for r in records]
    if args.id is not None:
        work = [(c, r) for c, r in work if r["id"] == args.id]
        if not work:
            print(f"conformance.py: no example with id {args.id}", file=sys.stderr)
            return 2

    with tempfile.TemporaryDirectory(prefix="kql-conformance-") as workdir:
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            results = list(pool.map(lambda cr: run_example(kql, cr[1], cr[0], workdir), work))

    verbose = args.verbose or args.id is not None
    if verbose:
        for r in results:
            if r.status != "pass":
                show_failure(r)
        print()

    passes = {}
    crashes = 0
    for corpus in CORPORA:
        counted = [r for r in results if r.corpus == corpus and "doc_issue" not in r.record]
        if not any(r.corpus == corpus for r in results):
            passes[corpus] = 0
            continue
        totals = print_table(f"{corpus}.jsonl", counted)
        passes[corpus] = totals["pass"]
        crashes += totals["crash"]
        issues = [r for r in results if r.corpus == corpus and "doc_issue" in r.record]
        if issues:
            print(f"  doc_issue examples (not counted): {len(issues)}: "
                  + ", ".join(f"{s} {sum(r.status == s for r in issues)}" for s in STATUSES))
            for r in sorted(issues, key=lambda r: r.record["id"]):
                print(f"    {r.record['id']}: {r.status}")
            crashes += sum(r.status == "crash" for r in issues)
        print()
    crashed = [r for r in results if r.status == "crash"]
    for r in crashed:
        print(f"CRASH {r.record['id']}: {r.detail}")

    passing_ids = sorted(r.record["id"] for r in results
                         if r.status == "pass" and "doc_issue" not in r.record)
    total_pass = sum(passes.values())

    if args.write_floor:
        floor = {"_about": "minimum number of conformance examples that must pass "
                           "(tests/conformance.py --check-floor); raise it as the engine grows",
                 "public": passes["public"], "derived": passes["derived"],
                 "passing": passing_ids}
        with open(args.write_floor, "w", encoding="utf-8") as f:
            json.dump(floor, f, indent=1)
            f.write("\n")
        print(f"wrote floor {args.write_floor}: public {passes['public']}, derived {passes['derived']}")

    if args.check_floor:
        try:
            with open(args.check_floor, encoding="utf-8") as f:
                floor = json.load(f)
        except (OSError, ValueError) as e:
            print(f"conformance.py: cannot read floor {args.check_floor}: {e}", file=sys.stderr)
            return 2
        below = False
        if args.id is None:
            for corpus in CORPORA:
                want = int(floor.get(corpus, 0))
                if passes[corpus] < want:
                    below = True
                    print(f"BELOW FLOOR: {corpus}: {passes[corpus]} pass, floor is {want}")
            regressed = sorted(set(floor.get("passing", [])) - set(passing_ids))
            if regressed:
                print("no longer passing: " + ", ".join(regressed))
        failed = crashes + (1 if below else 0)
        print(f"{total_pass} passed, {failed} failed")
        return 1 if failed else 0

    failed = sum(r.status in ("fail", "error", "crash") for r in results
                 if "doc_issue" not in r.record)
    print(f"{total_pass} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
