#!/usr/bin/env python3
"""Independent reference implementation of the three token-protection queries.

The queries are queries/token-protection-per-app.kql (q1),
queries/token-protection-per-user.kql (q2) and
queries/token-protection-unsupported-devices.kql (q3), verbatim from
Microsoft's Entra token-protection guide.  This script does not use kql: it
re-implements, in plain Python (standard library only), what Kusto does for
each operator of those queries, over data/AADNonInteractiveUserSignInLogs.jsonl,
and prints the expected results as CSV exactly as `kql -f csv` prints them.

    python3 tests/reference/token_protection.py [DATADIR]
        print the three expected CSV blocks (default DATADIR: data)
    python3 tests/reference/token_protection.py [DATADIR] --stats
        also print how many rows take each branch of each query
    python3 tests/reference/token_protection.py [DATADIR] --write-golden FILE
        (re)write the golden test file (tests/golden/token_protection.test):
        a test per query file (run as it is, with @query) and its expected rows

Kusto semantics followed here (one function each below):
  * `TimeGenerated > ago(7d)`: strict >, now = 2026-11-20T12:00:00Z; datetimes
    compared as 100 ns ticks.
  * `ConditionalAccessPolicies != "[]"`: comparison of the string column's text,
    case-sensitive.
  * `mv-expand todynamic(X)`: X parsed as JSON; an array yields one row per
    element (an empty array, no row); anything else (a bag, a scalar, null
    from an empty string) yields one row holding that value.
  * `d["k"]` / `d.k` on a bag gives the value or null when the key is missing
    (and null when d is not a bag).
  * `dyn contains 'str'`: the dynamic value converted with tostring (compact
    JSON for arrays/bags, the text for strings, "" for null), then a
    case-insensitive substring test.
  * `dyn != "str"`: null != "x" is true; a string compares case-sensitively.
  * `summarize by cols`: distinct tuples, case-sensitive.
  * count(), countif(), dcount()/dcountif(): exact, case-sensitive distinct.
  * `round(x, 2)`: x*100, rounded half away from zero, /100 (what .NET's
    Math.Round(x, 2, MidpointRounding.AwayFromZero) does).
  * `tostring(parse_json(s)["signInSessionStatusCode"]) == 1003`: the number
    printed as text, then compared with the long 1003 as a number.
  * sort: strings ordinal (byte order), longs numerically.
CSV output: header row, RFC 4180 quoting only when a cell holds a comma, a
quote, CR or LF; longs in decimal; reals in shortest round-trip form with whole
numbers printed without a fraction (100.0 -> 100).
"""

import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = "AADNonInteractiveUserSignInLogs"
NOW_TEXT = "2026-11-20T12:00:00Z"
QUERIES = [
    ("q1", "token-protection-per-app.kql"),
    ("q2", "token-protection-per-user.kql"),
    ("q3", "token-protection-unsupported-devices.kql"),
]

# ---------------------------------------------------------------------------
# datetimes as ticks (100 ns) -- no datetime module, to stay exact at 100 ns


def _days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_datetime(s):
    """'2026-11-18T09:31:02.1234567Z' (fraction 0-7 digits, Z optional) -> ticks"""
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1]
    date, _, time = s.replace(" ", "T").partition("T")
    y, mo, d = (int(x) for x in date.split("-"))
    hms, _, frac = time.partition(".")
    h, mi, sec = (int(x) for x in (hms or "0:0:0").split(":"))
    frac_ticks = int((frac + "0000000")[:7]) if frac else 0
    return (((_days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + sec)
            * 10_000_000 + frac_ticks)


NOW = parse_datetime(NOW_TEXT)
DAY = 86400 * 10_000_000


def ago(days):
    return NOW - days * DAY

# ---------------------------------------------------------------------------
# dynamic values: None is Kusto's null; everything else is the JSON value


def todynamic(v):
    """todynamic()/parse_json() of a string column (or of a dynamic value)."""
    if not isinstance(v, str):
        return v
    if v.strip() == "":
        return None
    try:
        return json.loads(v)
    except ValueError:
        return v            # not JSON: the string itself


def member(d, key):
    """d[key] / d.key: null when d is not a bag or has no such key."""
    if isinstance(d, dict):
        return d.get(key)
    return None


def tostring(v):
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(v)          # numbers


def contains(v, needle):
    return needle.lower() in tostring(v).lower()


def dyn_ne(v, s):
    """dynamic != string: null != 'x' is true."""
    if v is None:
        return True
    return tostring(v) != s if isinstance(v, str) else True


def str_eq_long(s, n):
    """string == long (as Kusto's bindingStatusCode == 1003): numeric comparison;
    text that is not a number never equals."""
    try:
        return float(s) == n
    except ValueError:
        return False


def kround(x, digits):
    """Kusto round(): scale, round half away from zero, unscale."""
    p = 10.0 ** digits
    v = x * p
    frac, whole = math.modf(v)
    if abs(frac) >= 0.5:
        whole += math.copysign(1.0, frac)
    return whole / p

# ---------------------------------------------------------------------------
# output


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        r = repr(v)
        return r[:-2] if r.endswith(".0") else r
    return str(v)


def csv_cell(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def csv(columns, rows):
    out = [",".join(csv_cell(c) for c in columns)]
    for r in rows:
        out.append(",".join(csv_cell(fmt(v)) for v in r))
    return "\n".join(out) + "\n"

# ---------------------------------------------------------------------------


def load(datadir, table):
    path = os.path.join(datadir, table + ".jsonl")
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def col(r, name):
    """a string column: null/missing reads as "" (Kusto strings are never null)"""
    v = r.get(name)
    return "" if v is None else v


class Stats:
    def __init__(self):
        self.c = {}

    def hit(self, key, n=1):
        self.c[key] = self.c.get(key, 0) + n


TP_RESOURCES = ("Office 365 Exchange Online", "Office 365 SharePoint Online")


def token_protection_rows(rows, st, per_resource):
    """The common part of q1 and q2, up to and including the first summarize."""
    since = ago(7)
    keys = {}
    for ri, r in enumerate(rows):
        t = parse_datetime(col(r, "TimeGenerated"))
        if t == since:
            st.hit("time: exactly ago(7d) (dropped by strict >)")
        elif t == since + 1:
            st.hit("time: ago(7d) + 100ns (kept)")
        if not t > since:
            st.hit("time: <= ago(7d), dropped")
            continue
        st.hit("time: > ago(7d), kept")
        cap = col(r, "ConditionalAccessPolicies")
        if not cap != "[]":
            st.hit('CAP == "[]", dropped')
            continue
        st.hit('CAP != "[]" (of which "" below)')
        if cap == "":
            st.hit('CAP == "" (kept by != "[]")')
        res = col(r, "ResourceDisplayName")
        if not (res == "Office 365 Exchange Online" or res == "Office 365 SharePoint Online"):
            st.hit("resource: other, dropped")
            continue
        st.hit("resource: Exchange/SharePoint, kept")
        d = todynamic(cap)
        if isinstance(d, (list, dict)) and tostring(d) != cap:
            st.hit("CAP text is not compact JSON (spaced)")
        if isinstance(d, list):
            elements = d
            if not d:
                st.hit("mv-expand: empty array, no row")
        else:
            elements = [d]
            st.hit("mv-expand: non-array (null), one row")
        for e in elements:
            st.hit("mv-expand: element rows")
            esc = member(e, "enforcedSessionControls")
            if esc is None:
                st.hit("esc: key missing/null")
            b = contains(esc, '["Binding"]')
            s = contains(esc, '["SignInTokenProtection"]')
            if b:
                st.hit('esc contains ["Binding"]')
            if s:
                st.hit('esc contains ["SignInTokenProtection"]')
            if not (b or s):
                if "Binding" in tostring(esc) or "SignInTokenProtection" in tostring(esc):
                    st.hit("esc: %s (trap), dropped" % tostring(esc))
                else:
                    st.hit("esc: no token-protection control, dropped")
                continue
            result = member(e, "result")
            if not (dyn_ne(result, "reportOnlyNotApplied") and dyn_ne(result, "notApplied")):
                st.hit("result: %s, dropped" % result)
                continue
            st.hit("result: %s, kept" % ("(missing)" if result is None else result))
            sns = member(e, "sessionControlsNotSatisfied")
            if sns is None:
                st.hit("sessionControlsNotSatisfied: absent")
            elif sns == []:
                st.hit("sessionControlsNotSatisfied: []")
            else:
                st.hit("sessionControlsNotSatisfied: %s" % tostring(sns))
            blocked = contains(sns, "SignInTokenProtection") or contains(sns, "SignInTokenProtection")
            result_col = "Block" if blocked else "Allow"
            st.hit("Result: %s" % result_col)
            if per_resource:
                key = (col(r, "Id"), col(r, "UserPrincipalName"), col(r, "AppDisplayName"), res, result_col)
            else:
                key = (col(r, "Id"), col(r, "UserPrincipalName"), col(r, "AppDisplayName"), result_col)
            if key in keys:
                if keys[key] == ri:
                    st.hit("summarize by: duplicate removed (same record, several matching policies)")
                else:
                    st.hit("summarize by: duplicate removed (same Id in another record)")
            keys[key] = ri
    both = {}
    for k in keys:
        both.setdefault(k[:-1], set()).add(k[-1])
    st.hit("summarize by: Ids with both Allow and Block", sum(1 for v in both.values() if len(v) == 2))
    return list(keys)      # distinct tuples, in first-appearance order


def q1(rows, st):
    keys = token_protection_rows(rows, st, per_resource=False)
    groups = {}
    for (id_, upn, app, result) in keys:
        groups.setdefault(app, []).append((upn, result))
    out = []
    for app, g in groups.items():
        requests = len(g)
        users = len({u for u, _ in g})
        block = sum(1 for _, r in g if r == "Block")
        allow = sum(1 for _, r in g if r == "Allow")
        blocked_users = len({u for u, r in g if r == "Block"})
        pct = kround(100.0 * allow / (allow + block), 2)
        out.append([app, requests, users, block, allow, blocked_users, pct])
    out.sort(key=lambda r: -r[1])
    cols = ["AppDisplayName", "Requests", "Users", "Block", "Allow", "BlockedUsers", "PctAllowed"]
    return cols, out


def q2(rows, st):
    keys = token_protection_rows(rows, st, per_resource=True)
    groups = {}
    for (id_, upn, app, res, result) in keys:
        groups.setdefault((upn, app, res), []).append(result)
    out = []
    for (upn, app, res), g in groups.items():
        block = g.count("Block")
        allow = g.count("Allow")
        out.append([upn, app, res, len(g), block, allow, kround(100.0 * allow / (allow + block), 2)])
    out.sort(key=lambda r: r[0].encode("utf-8"))   # ordinal; ties in any order
    cols = ["UserPrincipalName", "AppDisplayName", "ResourceDisplayName", "Requests", "Block", "Allow", "PctAllowed"]
    return cols, out


def q3(rows, st):
    since = ago(7)
    counts = {}
    for r in rows:
        if not parse_datetime(col(r, "TimeGenerated")) > since:
            st.hit("time: <= ago(7d), dropped")
            if '"signInSessionStatusCode":1003' in col(r, "TokenProtectionStatusDetails").replace(" ", ""):
                st.hit("time: <= ago(7d), dropped, with code 1003")
            continue
        st.hit("time: > ago(7d), kept")
        details = col(r, "TokenProtectionStatusDetails")
        if not details != "":
            st.hit('TokenProtectionStatusDetails == "", dropped')
            continue
        parsed = todynamic(details)
        status = tostring(member(parsed, "signInSessionStatus"))
        code = tostring(member(parsed, "signInSessionStatusCode"))
        st.hit("status %s code %s" % (status, code))
        if not str_eq_long(code, 1003):
            continue
        upn = col(r, "UserPrincipalName")
        counts[upn] = counts.get(upn, 0) + 1
    out = [[u, n] for u, n in counts.items()]
    return ["UserPrincipalName", "count_"], out

# ---------------------------------------------------------------------------


def checks(results):
    """Properties the golden tests rely on."""
    (c1, r1), (c2, r2), (c3, r3) = results
    req = [r[1] for r in r1]
    assert len(set(req)) == len(req), "q1: ties in Requests, its sort order would be unspecified"
    for rows, ia, ib in ((r1, 4, 3), (r2, 5, 4)):
        for r in rows:
            a, b = r[ia], r[ib]
            # the scaled rounding must agree with exact decimal rounding of the
            # rational 100*a/(a+b), half away from zero: no float ambiguity
            num, den = 100 * a * 100, (a + b)
            q, rem = divmod(num, den)
            if 2 * rem >= den:
                q += 1
            assert abs(r[-1] - q / 100) < 1e-9, ("rounding ambiguity", r)


def compute(datadir, stats=None):
    rows = load(datadir, TABLE)
    st = [Stats(), Stats(), Stats()]
    results = [q1(rows, st[0]), q2(rows, st[1]), q3(rows, st[2])]
    checks(results)
    return rows, results, st


GOLDEN_HEAD = """\
# Golden tests: the three token-protection queries of Microsoft's Entra
# token-protection guide (queries/*.kql, run as they are with @query) over the
# sample tables in data/ (written by `kql generate`; the commands are in
# README.md, "Sample data").
#
# The expected rows are NOT kql output: they come from the independent Python
# reimplementation tests/reference/token_protection.py.  To regenerate this
# file after changing the data or the script:
#
#     python3 tests/reference/token_protection.py data --write-golden tests/golden/token_protection.test
#
# `python3 tests/reference/token_protection.py data --stats` shows how many
# rows take each branch of the queries.
#
# Only AADNonInteractiveUserSignInLogs is queried.  The same queries over
# SigninLogs are left out on purpose: there ConditionalAccessPolicies and
# TokenProtectionStatusDetails are `dynamic`, so `!= "[]"` and `!= ""` compare
# a dynamic value (a bag, an array or null) with a string, and what Kusto
# returns for that is not documented well enough to write expected rows with
# certainty.
"""

NOTES = {
    "q1": ("token-protection-per-app.kql over AADNonInteractiveUserSignInLogs",
           "# q1 sorts by Requests desc and the data keeps all Requests values distinct,\n"
           "# so rows compare in order.\n", True),
    "q2": ("token-protection-per-user.kql over AADNonInteractiveUserSignInLogs",
           "# q2 sorts by UserPrincipalName only; a user has several app/resource rows\n"
           "# whose relative order Kusto leaves open, so kql test checks the order of\n"
           "# UserPrincipalName only.\n", False),
    "q3": ("token-protection-unsupported-devices.kql over AADNonInteractiveUserSignInLogs",
           "# q3 has no sort: rows compare as a multiset.  UPN case variants\n"
           "# (alice@ / Alice@) are distinct groups.\n", False),
}


def golden(datadir, write_to, results):
    # kql test reads @data and @query paths relative to the test file's folder
    here = os.path.dirname(os.path.abspath(write_to))
    parts = [GOLDEN_HEAD]
    for (qid, fname), (cols, rows) in zip(QUERIES, results):
        title, note, ordered = NOTES[qid]
        parts.append("\n# Expected rows computed by tests/reference/token_protection.py (not by kql).\n")
        parts.append("# Query: queries/%s, as it is.\n" % fname)
        parts.append(note)
        parts.append("### %s\n" % title)
        parts.append("@now %s\n" % NOW_TEXT)
        parts.append("@data %s\n" % os.path.relpath(datadir, here))
        parts.append("@query %s\n" % os.path.relpath(os.path.join(ROOT, "queries", fname), here))
        if ordered:
            parts.append("@ordered\n")
        parts.append("---\n")
        parts.append(csv(cols, rows))
    return "".join(parts)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    datadir_arg = "data"
    write_to = None
    if "--write-golden" in argv:
        i = argv.index("--write-golden")
        write_to = argv[i + 1]
        args.remove(write_to)
    if args:
        datadir_arg = args[0]
    datadir = datadir_arg if os.path.isabs(datadir_arg) else os.path.join(ROOT, datadir_arg)
    rows, results, st = compute(datadir)
    if write_to:
        with open(write_to, "w", encoding="utf-8", newline="\n") as f:
            f.write(golden(datadir, write_to, results))
        print("wrote %s" % write_to)
        return
    for (qid, fname), (cols, out) in zip(QUERIES, results):
        print("## %s (%s): %d rows" % (qid, fname, len(out)))
        print(csv(cols, out))
    if "--stats" in argv:
        print("## input: %d rows in %s" % (len(rows), TABLE))
        for (qid, _), s in zip(QUERIES, st):
            print("## branch counts, %s" % qid)
            for k in sorted(s.c):
                print("  %-70s %5d" % (k, s.c[k]))
            print()


if __name__ == "__main__":
    main(sys.argv[1:])
