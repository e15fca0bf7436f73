#!/usr/bin/env python3
"""Generate realistic sample sign-in log tables for the kql golden tests.

    python3 tests/data/gen_signin_logs.py [OUTDIR]     (default: data/ of the repository)

Writes, as JSON Lines (one record a line, every column of the Log Analytics
table in the order runtime/schemas/loganalytics.json gives, hidden columns
included):

    OUTDIR/AADNonInteractiveUserSignInLogs.jsonl
    OUTDIR/SigninLogs.jsonl

Standard library only, deterministic (fixed seed, fixed clock): rerunning it
rewrites byte-identical files.

The data is built for the three token-protection queries in queries/ and
exercises every branch of them (see tests/reference/token_protection.py, which
recomputes the expected results independently and prints per-branch counts):

  * TimeGenerated spread over the 10 days before the reference now
    2026-11-20T12:00:00Z, so some rows are older than ago(7d); one row sits
    exactly on ago(7d) (excluded by the strict >) and one 100 ns after it;
  * ConditionalAccessPolicies "[]" and "" (empty), other resources than
    Exchange/SharePoint;
  * the token-protection session control under its old name "Binding" (records
    from an older policy version, without sessionControlsNotSatisfied) and its
    current name "SignInTokenProtection";
  * enforcedSessionControls with more than one control
    (["SignInTokenProtection","SignInFrequency"], ["SignInFrequency","Binding"]),
    which do NOT contain '["SignInTokenProtection"]' / '["Binding"]';
  * elements without a token-protection control, without an
    enforcedSessionControls key, without a result key;
  * every CA result value, sessionControlsNotSatisfied absent / [] /
    ["SignInTokenProtection"] / ["Binding"] / several controls;
  * TokenProtectionStatusDetails empty ("") or bound/none/unbound with every
    unbound code (1002, 1003, 1005, 1006, 1008);
  * case variants of user names (alice@contoso.com / Alice@contoso.com), which
    Kusto counts as distinct values;
  * one sign-in Id matching several token-protection policies (deduplicated by
    `summarize by Id, ...`), and a few records ingested twice with the same Id;
  * a few AADNonInteractive rows whose JSON text is spaced (", " and ": ")
    instead of compact, as some exporters write it, so that an engine has to
    re-serialize dynamic values rather than cut the raw text;
  * in SigninLogs the dynamic columns are JSON values, except ~10% of rows that
    hold them as JSON text (real exports do both); an empty
    TokenProtectionStatusDetails is null there ("" in the text rows).
    tests/golden/token_protection.test queries only
    AADNonInteractiveUserSignInLogs (see the note at its top); SigninLogs has
    the same kinds of records for other tests.

The counts of the qualifying records per app are planned (PLAN below) so that
the per-app query has distinct Requests values (its sort has no ties), the
percentages include 66.67-like values, 0, 100 and the exact midpoint 90.625
(Allow 29 of 32), which Kusto's round(x, 2) (half away from zero) turns into
90.63 while banker's rounding would give 90.62.
"""

import json
import os
import random
import sys
import uuid

SEED = 20261120
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCHEMA = os.path.join(ROOT, "runtime", "schemas", "loganalytics.json")

# --- clock: integer ticks (100 ns) since 0001-01-01, like .NET / Kusto -----
TICKS_PER_SEC = 10_000_000
DAY = 86400 * TICKS_PER_SEC


def _days_from_civil(y, m, d):
    # days since 1970-01-01 (proleptic Gregorian), Howard Hinnant's algorithm
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def ticks(y, mo, d, h=0, mi=0, s=0, frac=0):
    return ((_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s)
            * TICKS_PER_SEC + frac)


def iso(t):
    """ticks -> '2026-11-18T09:31:02.1234567Z'"""
    secs, frac = divmod(t, TICKS_PER_SEC)
    days, sod = divmod(secs, 86400)
    y, m, d = _civil_from_days(days)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ" % (
        y, m, d, sod // 3600, sod // 60 % 60, sod % 60, frac)


NOW = ticks(2026, 11, 20, 12, 0, 0)
AGO7 = NOW - 7 * DAY

# --- tenant, users, apps, resources, policies ------------------------------
TENANT = "72f988bf-3c1a-4f2b-9d5e-1c2d3e4f5a6b"
WORKSPACE = "b1d0c7e2-5f3a-4c8e-9a61-0e2f4d6b8a10"
MSFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"  # first-party apps' owner

# (upn, display name, case variants of the UPN seen in some records, weight)
USERS = [
    ("alice@contoso.com", "Alice Johnson", ["Alice@contoso.com"], 9),
    ("bob@contoso.com", "Bob Martinez", ["Bob@Contoso.com"], 7),
    ("carol@contoso.com", "Carol Nguyen", [], 6),
    ("dave@contoso.com", "Dave Kowalski", [], 6),
    ("erin@contoso.com", "Erin O'Brien", [], 5),
    ("frank@contoso.com", "Frank Schmidt", [], 5),
    ("grace@contoso.com", "Grace Lee", ["GRACE@CONTOSO.COM"], 5),
    ("heidi@contoso.com", "Heidi Novak", [], 4),
    ("ivan@contoso.com", "Ivan Petrov", [], 4),
    ("judy@contoso.com", "Judy Chen", [], 4),
    ("mallory@contoso.com", "Mallory Brooks", [], 3),
    ("oscar@contoso.com", "Oscar Alvarez", [], 3),
    ("peggy@contoso.com", "Peggy Olsen", [], 3),
    ("trent@contoso.com", "Trent Walker", [], 2),
    ("victor@contoso.com", "Victor Dubois", [], 2),
    ("niaj_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Niaj Patel (Fabrikam)", [], 2),
]

APPS = {
    "Microsoft Teams": ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "win"),
    "Outlook Mobile": ("27922004-5251-4030-b22d-91ecd9a37ea4", "mobile"),
    "Microsoft Office": ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "win"),
    "OneDrive SyncEngine": ("ab9b8c07-8f02-4f72-87fa-80105867a763", "win"),
    "Microsoft Edge": ("ecd6b820-32c2-49b6-98a6-444530e5a77a", "win"),
    "Office365 Shell WCSS-Client": ("89bee1f7-5e6e-4d8a-9f3d-ecd601259da7", "win"),
    "OneDrive iOS App": ("af124e86-4e96-495a-b70a-90f90ab96707", "ios"),
    "Microsoft Authentication Broker": ("29d9ed98-a469-4536-ade2-f981bc1d605e", "mobile"),
    "Windows Sign In": ("38aa3b87-a06d-4817-b275-7a316988d93b", "win"),
    "My Apps": ("2793995e-0a7d-40d7-bd35-6968ba142197", "win"),
    "Azure Portal": ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "win"),
}

EXO = "Office 365 Exchange Online"
SPO = "Office 365 SharePoint Online"
RESOURCES = {
    EXO: "00000002-0000-0ff1-ce00-000000000000",
    SPO: "00000003-0000-0ff1-ce00-000000000000",
    "Microsoft Graph": "00000003-0000-0000-c000-000000000000",
    "Windows Azure Active Directory": "00000002-0000-0000-c000-000000000000",
    "Skype for Business Online": "00000004-0000-0ff1-ce00-000000000000",
    "Microsoft Teams Services": "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
}
OTHER_RESOURCES = [r for r in RESOURCES if r not in (EXO, SPO)]
# resource service principal ids in this tenant (fixed)
_sp = random.Random(SEED - 1)
RESOURCE_SP = {r: str(uuid.UUID(int=_sp.getrandbits(128), version=4)) for r in RESOURCES}

# which resources each app talks to (Exchange/SharePoint first)
APP_RESOURCES = {
    "Microsoft Teams": [EXO, SPO],
    "Outlook Mobile": [EXO],
    "Microsoft Office": [EXO, SPO],
    "OneDrive SyncEngine": [SPO],
    "Microsoft Edge": [SPO, EXO],
    "Office365 Shell WCSS-Client": [SPO, EXO],
    "OneDrive iOS App": [SPO],
    "Microsoft Authentication Broker": [EXO, SPO],
    "Windows Sign In": [EXO, SPO],
    "My Apps": [SPO],
    "Azure Portal": [EXO],
}

# Conditional Access policies of the tenant, in the order the logs list them.
# key: (id, displayName, enforcedGrantControls, enforcedSessionControls)
POLICIES = {
    "MFA": ("0a1c6c41-8d8e-4c61-9f0e-2b3f1c9d7e01", "CA001 - Require MFA for all users",
            ["Mfa"], []),
    "LEGACY": ("1b2d7d52-9e9f-4d72-a01f-3c4a2dae8f12", "CA002 - Block legacy authentication",
               ["Block"], []),
    "COMPLIANT": ("2c3e8e63-af00-4e83-b12a-4d5b3ebf9023", "CA010 - Require compliant or hybrid joined device",
                  ["RequireCompliantDevice", "RequireDomainJoinedDevice"], []),
    "SIF": ("3d4f9f74-b011-4f94-c23b-5e6c4fc0a134", "CA030 - Sign-in frequency 12 hours on unmanaged devices",
            [], ["SignInFrequency"]),
    "AER": ("4e50a085-c122-4aa5-d34c-6f7d50d1b245", "CA040 - App enforced restrictions for SharePoint",
            [], ["ApplicationEnforcedRestrictions"]),
    "TP_LEGACY_SIF": ("5f61b196-d233-4bb6-e45d-708e61e2c356", "CA110 - Admins: sign-in frequency and token binding (legacy)",
                      [], ["SignInFrequency", "Binding"]),
    "TP": ("6a72c2a7-e344-4cc7-f56e-819f72f3d467", "CA201 - Require token protection for Exchange and SharePoint (Windows)",
           [], ["SignInTokenProtection"]),
    "TP_SIF": ("7b83d3b8-f455-4dd8-a67f-92a083a4e578", "CA202 - Admins: token protection + sign-in frequency 8h",
               [], ["SignInTokenProtection", "SignInFrequency"]),
    "TP_RO": ("8c94e4c9-a566-4ee9-b780-a3b194b5f689", "CA203 - Token protection, all platforms (report-only)",
              [], ["SignInTokenProtection"]),
    "TP_OFF": ("9da5f5da-b677-4ffa-c891-b4c2a5c6a79a", "CA204 - Token protection for SharePoint on macOS (off)",
               [], ["SignInTokenProtection"]),
}
POLICY_ORDER = list(POLICIES)

UNBOUND_CODES = [1002, 1003, 1005, 1006, 1008]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def guid(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def pick_w(self, items, weights):
        return self.r.choices(items, weights=weights, k=1)[0]


# --- CA element builders ------------------------------------------------------

def element(key, result, not_satisfied="absent", legacy=False, drop=()):
    """One ConditionalAccessPolicies element.

    not_satisfied: "absent" (older records), or a list for
    sessionControlsNotSatisfied.  legacy: the record comes from the older
    policy version, where the token-protection control was named "Binding".
    drop: keys left out (malformed/partial elements)."""
    pid, name, grant, session = POLICIES[key]
    session = list(session)
    if legacy:
        session = ["Binding" if s == "SignInTokenProtection" else s for s in session]
    e = {"id": pid, "displayName": name, "enforcedGrantControls": list(grant),
         "enforcedSessionControls": session}
    if result is not None:
        e["result"] = result
    if result in ("success", "failure", "reportOnlySuccess", "reportOnlyFailure",
                  "reportOnlyInterrupted", "unknownFutureValue"):
        e["conditionsSatisfied"], e["conditionsNotSatisfied"] = 3, 0
    elif result in ("notApplied", "reportOnlyNotApplied"):
        e["conditionsSatisfied"], e["conditionsNotSatisfied"] = 1, 2
    else:
        e["conditionsSatisfied"], e["conditionsNotSatisfied"] = 0, 0
    if not_satisfied != "absent":
        e["sessionControlsNotSatisfied"] = list(not_satisfied)
    for k in drop:
        e.pop(k, None)
    return e


TPS = ["SignInTokenProtection"]

# Recipes of token-protection elements.  Each returns (elements, outcome) where
# outcome is "allow", "block" or "both" (the sign-in matches two policies with
# different query results) for the per-app query, and tp_state tells which
# TokenProtectionStatusDetails fits ("bound", "unbound", "any").
ALLOW_RECIPES = [
    # weight, builder
    (10, lambda: ([element("TP", "success", [])], "bound")),
    (4, lambda: ([element("TP", "success", legacy=True)], "bound")),
    (1, lambda: ([element("TP", "failure", legacy=True)], "unbound")),           # old record: failure but no sessionControlsNotSatisfied -> Allow
    (1, lambda: ([element("TP", "failure", ["Binding"], legacy=True)], "unbound")),  # old name in the not-satisfied list -> Allow
    (2, lambda: ([element("TP", "notApplied", []), element("TP_RO", "reportOnlySuccess", [])], "bound")),
    (2, lambda: ([element("TP", "success", []), element("TP_OFF", "notEnabled", [])], "bound")),   # 2 matches, both Allow -> 1 row
    (2, lambda: ([element("TP", "success", []), element("TP_RO", "reportOnlySuccess", [])], "bound")),
    (1, lambda: ([element("TP", "notApplied", []), element("TP_RO", "reportOnlyInterrupted", [])], "any")),
    (1, lambda: ([element("TP", None)], "any")),                                   # no result key: null != "notApplied" is true
    (1, lambda: ([element("TP", "unknownFutureValue", [])], "any")),
    (2, lambda: ([element("TP", "success", []), element("TP_SIF", "failure", ["SignInTokenProtection", "SignInFrequency"])], "bound")),  # CA202 does not match
    (1, lambda: ([element("TP", "success", []), element("TP_RO", "reportOnlyNotApplied", [])], "bound")),
]
BLOCK_RECIPES = [
    (8, lambda: ([element("TP", "failure", TPS)], "unbound")),
    (2, lambda: ([element("TP", "notApplied", []), element("TP_RO", "reportOnlyFailure", TPS)], "unbound")),
    (2, lambda: ([element("TP", "failure", TPS), element("TP_RO", "reportOnlyFailure", TPS)], "unbound")),  # 2 matches, both Block -> 1 row
    (1, lambda: ([element("TP", "failure", TPS, legacy=True)], "unbound")),
    (1, lambda: ([element("TP", None, TPS)], "unbound")),
    (1, lambda: ([element("TP", "failure", ["SignInTokenProtection", "SignInFrequency"])], "unbound")),
]
BOTH_RECIPES = [
    (2, lambda: ([element("TP", "failure", TPS), element("TP_OFF", "notEnabled", [])], "unbound")),
    (1, lambda: ([element("TP", "notApplied", []), element("TP_RO", "reportOnlyFailure", TPS),
                  element("TP_OFF", "notEnabled", [])], "unbound")),
]
# elements that never match the token-protection filter
NOMATCH_RECIPES = {
    "tp_notapplied": lambda g: [element("TP", "notApplied", [])] +
    ([element("TP_RO", "reportOnlyNotApplied", [])] if g.r.random() < 0.5 else []),
    "tp_ro_notapplied": lambda g: [element("TP_RO", "reportOnlyNotApplied", [])],
    "tp_notapplied_legacy": lambda g: [element("TP", "notApplied", legacy=True)],
    "multi_control": lambda g: [element("TP_SIF", g.r.choice(["success", "failure"]), [])
                                if g.r.random() < 0.5 else
                                element("TP_SIF", "failure", ["SignInTokenProtection", "SignInFrequency"])],
    "multi_control_legacy": lambda g: [element("TP_LEGACY_SIF", g.r.choice(["success", "failure"]))],
    "no_session_key": lambda g: [element("COMPLIANT", "success", [], drop=("enforcedSessionControls",)),
                                 element("TP", "notApplied", [])],
    "non_tp": lambda g: [],
}


def pick_recipe(g, recipes):
    w = [x[0] for x in recipes]
    return g.pick_w(recipes, w)[1]()


def base_elements(g, old_format):
    """Policies without a token-protection control (evaluated on every sign-in).
    old_format: the record predates sessionControlsNotSatisfied."""
    ns = "absent" if old_format else []
    out = []
    if g.r.random() < 0.8:
        out.append(element("MFA", g.pick_w(["success", "notApplied"], [3, 1]), ns))
    if g.r.random() < 0.25:
        out.append(element("LEGACY", "notApplied", ns))
    if g.r.random() < 0.5:
        out.append(element("COMPLIANT", g.pick_w(["success", "notApplied", "reportOnlySuccess"], [4, 2, 1]), ns))
    if g.r.random() < 0.3:
        out.append(element("SIF", g.pick_w(["notApplied", "success"], [2, 1]), ns))
    if g.r.random() < 0.2:
        out.append(element("AER", g.pick_w(["notApplied", "success"], [2, 1]), ns))
    return out


def order_elements(els):
    idx = {POLICIES[k][0]: i for i, k in enumerate(POLICY_ORDER)}
    seen, out = set(), []
    for e in sorted(els, key=lambda e: idx[e["id"]]):
        if e["id"] in seen:      # one element per policy
            continue
        seen.add(e["id"])
        out.append(e)
    return out


# --- the plan: qualifying records per app ------------------------------------
# app: (allow-only records, block-only records, records with both results)
# -> Requests = A + B + 2*AB, Allow = A + AB, Block = B + AB (in the window,
#    Exchange/SharePoint only).
PLAN_AAD = {
    "Microsoft Teams": (27, 1, 2),               # 32 requests, 29 allowed -> 90.625 -> 90.63
    "Outlook Mobile": (14, 6, 2),                # 24, 16/24 -> 66.67
    "Microsoft Office": (11, 6, 1),              # 19, 12/19 -> 63.16
    "OneDrive SyncEngine": (15, 0, 0),           # 15, 100
    "Microsoft Edge": (3, 6, 1),                 # 11, 4/11 -> 36.36
    "Office365 Shell WCSS-Client": (0, 6, 0),    # 6, 0
    "OneDrive iOS App": (1, 2, 0),               # 3, 1/3 -> 33.33
}
PLAN_SIGNIN = {
    "Microsoft Teams": (20, 3, 1),
    "Outlook Mobile": (12, 4, 1),
    "Microsoft Office": (9, 5, 2),
    "OneDrive SyncEngine": (10, 1, 0),
    "Microsoft Edge": (4, 5, 0),
    "My Apps": (2, 1, 0),
    "Azure Portal": (0, 2, 1),
}

# non-qualifying records: (kind, count)
NOISE_AAD = [
    ("old", 30),             # qualifying recipes, but older than 7 days
    ("empty_list", 35),      # ConditionalAccessPolicies == "[]"
    ("blank", 4),            # ConditionalAccessPolicies == ""
    ("other_resource", 40),  # token-protection recipes on Graph, AAD, ...
    ("non_tp", 25),          # Exchange/SharePoint, no token-protection policy
    ("multi_control", 10),
    ("multi_control_legacy", 3),
    ("tp_notapplied", 25),
    ("tp_ro_notapplied", 12),
    ("tp_notapplied_legacy", 4),
    ("no_session_key", 3),
    ("unsupported_device", 7),  # token protection not applied, device unbound with 1003
]
# users of the "unsupported_device" records: UPN case variants are distinct
# groups for Kusto's summarize/dcount
UNSUPPORTED_USERS = ["Alice@contoso.com", "alice@contoso.com", "Alice@contoso.com",
                     "GRACE@CONTOSO.COM", "grace@contoso.com", "erin@contoso.com", "Bob@Contoso.com"]
NOISE_SIGNIN = [
    ("old", 28), ("empty_list", 30), ("other_resource", 40), ("non_tp", 25),
    ("multi_control", 8), ("multi_control_legacy", 3), ("tp_notapplied", 25),
    ("tp_ro_notapplied", 10), ("tp_notapplied_legacy", 3), ("no_session_key", 3),
    ("unsupported_device", 7),
]

# --- device / location / agent details ---------------------------------------
CITIES = [
    ("Seattle", "Washington", "US", 47.6062, -122.3321, "131.107.{}.{}", "8075"),
    ("Redmond", "Washington", "US", 47.674, -122.1215, "167.220.{}.{}", "8075"),
    ("New York", "New York", "US", 40.7128, -74.006, "72.229.{}.{}", "12271"),
    ("London", "England", "GB", 51.5072, -0.1276, "81.2.{}.{}", "2856"),
    ("Berlin", "Berlin", "DE", 52.52, 13.405, "87.123.{}.{}", "3320"),
    ("Bengaluru", "Karnataka", "IN", 12.9716, 77.5946, "49.207.{}.{}", "24560"),
]

UA = {
    "Microsoft Teams": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0 Teams/24295.605.3225.8804/49",
    "Outlook Mobile": "Outlook-iOS/2.0",
    "Microsoft Office": "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)",
    "OneDrive SyncEngine": "Microsoft SkyDriveSync 24.201.1006.0005 ship; Windows NT 10.0 (19045)",
    "Microsoft Edge": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.51",
    "Office365 Shell WCSS-Client": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.51",
    "OneDrive iOS App": "OneDriveiOSApp/15.2.1 (iPhone; iOS 18.1; Scale/3.00)",
    "Microsoft Authentication Broker": "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240905.003)",
    "Windows Sign In": "Windows-AzureAD-Authentication-Provider/1.0",
    "My Apps": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Azure Portal": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
}


class World:
    """Per-user devices, stable across records."""

    def __init__(self, g):
        self.g = g
        self.user_ids = {u[0]: g.guid() for u in USERS}
        self.devices = {}
        for upn, disp, _, _ in USERS:
            first = disp.split()[0].upper().replace("'", "")
            self.devices[upn] = {
                "win": {"deviceId": g.guid(), "displayName": "CONTOSO-%s-%02d" % (first[:6], g.r.randrange(1, 40)),
                        "operatingSystem": "Windows10", "isCompliant": True, "isManaged": True,
                        "trustType": g.pick_w(["Azure AD joined", "Hybrid Azure AD joined"], [3, 1])},
                "mobile": {"deviceId": g.guid(), "displayName": "",
                           "operatingSystem": g.pick_w(["Ios", "Android"], [3, 2]), "isCompliant": True,
                           "isManaged": True, "trustType": "Azure AD registered"},
                "ios": {"deviceId": g.guid(), "displayName": "%s's iPad" % disp.split()[0],
                        "operatingSystem": "Ios", "isCompliant": False, "isManaged": False,
                        "trustType": "Azure AD registered"},
            }
            mob = self.devices[upn]["mobile"]
            mob["displayName"] = "%s's %s" % (disp.split()[0], "iPhone" if mob["operatingSystem"] == "Ios" else "Pixel 8")
            self.devices[upn]["city"] = g.r.randrange(len(CITIES))


def device_detail(world, upn, platform, interactive):
    d = dict(world.devices[upn][platform])
    os_ = d["operatingSystem"]
    d["browser"] = ("Edge 131.0.2903" if interactive and os_ == "Windows10"
                    else "Mobile Safari" if interactive and os_ == "Ios"
                    else "Rich Client 5.2.%d.0" % (3 if os_ == "Windows10" else 1))
    # key order of real records
    return {k: d[k] for k in ("deviceId", "displayName", "operatingSystem", "browser",
                              "isCompliant", "isManaged", "trustType")}


def location(world, g, upn):
    city, state, cc, lat, lon, ipfmt, asn = CITIES[world.devices[upn]["city"]]
    if g.r.random() < 0.1:
        city, state, cc, lat, lon, ipfmt, asn = g.r.choice(CITIES)
    ip = ipfmt.format(g.r.randrange(0, 256), g.r.randrange(1, 255))
    loc = {"city": city, "state": state, "countryOrRegion": cc,
           "geoCoordinates": {"latitude": lat, "longitude": lon}}
    return loc, ip, asn


def tpsd(g, state):
    """TokenProtectionStatusDetails as a dict or None (empty)."""
    if state in ("bound", "unbound") and g.r.random() < (0.35 if state == "bound" else 0.1):
        return None
    if state == "unbound1003":
        return {"signInSessionStatus": "unbound", "signInSessionStatusCode": 1003}
    if state == "bound":
        return {"signInSessionStatus": "bound", "signInSessionStatusCode": 0}
    if state == "unbound":
        code = g.pick_w(UNBOUND_CODES, [2, 5, 1, 2, 2])
        return {"signInSessionStatus": "unbound", "signInSessionStatusCode": code}
    if state == "none":
        return {"signInSessionStatus": "none", "signInSessionStatusCode": 0}
    # "any": whatever the device produced, often nothing
    x = g.r.random()
    if x < 0.6:
        return None
    if x < 0.72:
        return {"signInSessionStatus": "none", "signInSessionStatusCode": 0}
    if x < 0.86:
        return {"signInSessionStatus": "bound", "signInSessionStatusCode": 0}
    return {"signInSessionStatus": "unbound", "signInSessionStatusCode": g.r.choice(UNBOUND_CODES)}


FAILURES = {
    530084: ("Access has been blocked by conditional access token protection policy.",
             "The sign-in session is not bound to the device. Check the device's support for token protection."),
    50126: ("Error validating credentials due to invalid username or password.",
            "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes."),
    70043: ("The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
            "The refresh token has expired due to sign-in frequency checks by conditional access. Get a new token by signing in again."),
    700082: ("The refresh token has expired due to inactivity.",
             "The refresh token was issued long ago and has not been used; the user has to sign in again."),
    50173: ("The provided grant has expired due to it being revoked, a fresh auth token is needed.",
            "The user's password was changed or the session was revoked; a new sign-in is required."),
    53003: ("Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
            "Conditional Access policies blocked the sign-in."),
}


def dumps(v, spaced=False):
    if spaced:
        return json.dumps(v, ensure_ascii=False)
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


class Builder:
    def __init__(self, table, seed, plan, noise):
        self.table = table
        self.interactive = table == "SigninLogs"
        self.g = Gen(seed)
        self.world = World(self.g)
        self.plan = plan
        self.noise = noise
        with open(SCHEMA, encoding="utf-8") as f:
            self.columns = [c["name"] for c in json.load(f)[table]]

    # -- pieces
    def user(self):
        g = self.g
        u = g.pick_w(USERS, [x[3] for x in USERS])
        upn = u[0]
        shown = upn
        if u[2] and g.r.random() < 0.35:
            shown = g.r.choice(u[2])
        return upn, shown, u[1]

    def time_in_window(self):
        # strictly after ago(7d), at least a minute before now
        lo, hi = AGO7 + TICKS_PER_SEC, NOW - 60 * TICKS_PER_SEC
        return self.g.r.randrange(lo, hi)

    def time_old(self):
        lo, hi = NOW - 10 * DAY, AGO7 - TICKS_PER_SEC
        return self.g.r.randrange(lo, hi)

    # -- a sign-in
    def scenario(self, app, resource, elements, state, t, user=None):
        g = self.g
        upn, shown, disp = user or self.user()
        old_format = bool(elements) and all("sessionControlsNotSatisfied" not in e for e in elements)
        cap = None if elements is None else order_elements(elements + base_elements(g, old_format))
        return {"app": app, "resource": resource, "cap": cap, "state": state,
                "t": t, "upn": upn, "shown": shown, "disp": disp}

    def build_scenarios(self):
        g = self.g
        scen = []
        kinds = []
        for app, (na, nb, nab) in self.plan.items():
            kinds += [(app, "allow")] * na + [(app, "block")] * nb + [(app, "both")] * nab
        for app, k in kinds:
            recipes = {"allow": ALLOW_RECIPES, "block": BLOCK_RECIPES, "both": BOTH_RECIPES}[k]
            els, state = pick_recipe(g, recipes)
            res = g.r.choice(APP_RESOURCES[app])
            scen.append(self.scenario(app, res, els, state, self.time_in_window()))
            scen[-1]["qualifies"] = k
        qualifying_apps = list(self.plan)
        all_apps = list(APPS)
        for kind, n in self.noise:
            for _ in range(n):
                if kind == "old":
                    app = g.r.choice(qualifying_apps)
                    recipes = g.pick_w([ALLOW_RECIPES, BLOCK_RECIPES, BOTH_RECIPES], [5, 4, 1])
                    els, state = pick_recipe(g, recipes)
                    s = self.scenario(app, g.r.choice(APP_RESOURCES[app]), els, state, self.time_old())
                elif kind == "empty_list":
                    app = g.r.choice(all_apps)
                    s = self.scenario(app, g.r.choice(APP_RESOURCES[app]), None, "any", self.time_in_window())
                    s["cap"] = []
                elif kind == "blank":
                    app = g.r.choice(all_apps)
                    s = self.scenario(app, g.r.choice(APP_RESOURCES[app]), None, "any", self.time_in_window())
                    s["cap"] = ""
                elif kind == "other_resource":
                    app = g.r.choice(all_apps)
                    if g.r.random() < 0.6:
                        recipes = g.pick_w([ALLOW_RECIPES, BLOCK_RECIPES, BOTH_RECIPES], [5, 4, 1])
                        els, state = pick_recipe(g, recipes)
                    else:
                        els, state = [], "any"
                    s = self.scenario(app, g.r.choice(OTHER_RESOURCES), els, state, self.time_in_window())
                elif kind == "unsupported_device":
                    shown = UNSUPPORTED_USERS[_ % len(UNSUPPORTED_USERS)]
                    u = next(u for u in USERS if u[0] == shown.lower())
                    app = g.r.choice(["Microsoft Teams", "Microsoft Office", "OneDrive SyncEngine"])
                    s = self.scenario(app, g.r.choice(APP_RESOURCES[app]), NOMATCH_RECIPES["tp_notapplied"](g),
                                      "unbound1003", self.time_in_window(), user=(u[0], shown, u[1]))
                else:
                    app = g.r.choice(all_apps)
                    els = NOMATCH_RECIPES[kind](g)
                    state = "any"
                    if kind == "multi_control" and any(e.get("sessionControlsNotSatisfied") for e in els):
                        state = "unbound"
                    s = self.scenario(app, g.r.choice(APP_RESOURCES[app]), els, state, self.time_in_window())
                s["noise"] = kind
                scen.append(s)
        # boundary rows: exactly ago(7d) (out, strict >) and 100 ns after it (in)
        out = next(s for s in scen if s.get("noise") == "old")
        out["t"] = AGO7
        out["noise"] = "boundary_excluded"
        inn = next(s for s in scen if s.get("qualifies") == "block")
        inn["t"] = AGO7 + 1
        return scen

    # -- records
    def record(self, s):
        g = self.g
        app, res = s["app"], s["resource"]
        app_id, platform = APPS[app]
        upn = s["upn"]
        if platform == "win" and app in ("Outlook Mobile",):
            platform = "mobile"
        dev = device_detail(self.world, upn, platform, self.interactive)
        loc, ip, asn = location(self.world, g, upn)
        t = s["t"]
        created = t - g.r.randrange(2 * TICKS_PER_SEC, 240 * TICKS_PER_SEC)
        cap = s["cap"]
        tp = tpsd(g, s["state"])

        # outcome of the sign-in
        err = 0
        if isinstance(cap, list) and any(e.get("result") == "failure" and e["id"] == POLICIES["TP"][0]
                                         for e in cap):
            err = 530084
        elif cap == [] and g.r.random() < 0.3:
            err = g.r.choice([50126, 70043, 700082, 50173])
        elif isinstance(cap, list) and any(e.get("result") == "failure" and e["id"] == POLICIES["TP_SIF"][0]
                                           for e in cap):
            err = 53003
        if err:
            reason, details = FAILURES[err]
            status = {"errorCode": err, "failureReason": reason, "additionalDetails": details}
        else:
            status = {"errorCode": 0}
            if g.r.random() < 0.4:
                status["additionalDetails"] = "MFA requirement satisfied by claim in the token"
        if isinstance(cap, list) and cap:
            results = [e.get("result") for e in cap]
            ca_status = ("failure" if "failure" in results else
                         "success" if "success" in results else "notApplied")
        else:
            ca_status = "notApplied"
        mfa = ({"authMethod": "Previously satisfied", "authDetail": None}
               if status.get("additionalDetails", "").startswith("MFA") else {})
        if self.interactive and not err and g.r.random() < 0.5:
            mfa = {"authMethod": g.r.choice(["Mobile app notification", "Windows Hello for Business", "FIDO2 security key"]),
                   "authDetail": None}
        agent = {"agentType": "notAgentic"}

        # how the JSON text columns are written
        spaced = (not self.interactive) and g.r.random() < 0.04
        as_text = (not self.interactive) or g.r.random() < 0.10

        def dyn(v, empty):
            """value of a dynamic-ish column: JSON text or JSON value."""
            if v is None:
                return empty
            return dumps(v, spaced) if as_text else v

        if cap == "":
            cap_v = ""
        else:
            cap_v = dumps(cap, spaced) if as_text else cap

        rid = RESOURCES[res]
        result_type = str(err)
        fail = FAILURES.get(err)
        v = {
            "TenantId": WORKSPACE,
            "SourceSystem": "Azure AD",
            "TimeGenerated": iso(t),
            "ResourceId": "/tenants/%s/providers/Microsoft.aadiam" % TENANT,
            "OperationName": "Sign-in activity",
            "OperationVersion": "1.0",
            "Category": "SignInLogs" if self.interactive else "NonInteractiveUserSignInLogs",
            "ResultType": result_type,
            "ResultSignature": "None" if not err else "FAILURE",
            "ResultDescription": fail[0] if fail else "",
            "DurationMs": 0,
            "CorrelationId": g.guid(),
            "Resource": "Microsoft.aadiam",
            "ResourceGroup": "Microsoft.aadiam",
            "ResourceProvider": "Microsoft.aadiam",
            "Identity": s["disp"],
            "Level": "4",
            "Location": loc["countryOrRegion"],
            "AADTenantId": TENANT,
            "Agent": dyn(agent, ""),
            "AlternateSignInName": s["shown"],
            "AppDisplayName": app,
            "AppId": app_id,
            "AppliedEventListeners": [],
            "AppOwnerTenantId": MSFT_TENANT,
            "AuthenticationContextClassReferences": "[]",
            "AuthenticationDetails": "[]" if not self.interactive else dumps([
                {"authenticationStepDateTime": iso(created)[:19] + "Z",
                 **g.pick_w([{"authenticationMethod": "Password", "authenticationMethodDetail": "Password in the cloud"},
                             {"authenticationMethod": "Windows Hello for Business", "authenticationMethodDetail": ""}],
                            [3, 2]),
                 "succeeded": err == 0 or err == 530084,
                 "authenticationStepResultDetail": "Correct password" if err != 50126 else "Invalid username or password",
                 "authenticationStepRequirement": "Primary authentication", "StatusSequence": 0,
                 "RequestSequence": 1}]),
            "AuthenticationMethodsUsed": "",
            "AuthenticationProcessingDetails": dumps([
                {"key": "Legacy TLS (TLS 1.0, 1.1, 3DES)", "value": "False"},
                {"key": "Is CAE Token", "value": "True" if res in (EXO, SPO, "Microsoft Graph") else "False"}]),
            "AuthenticationProtocol": "none",
            "AuthenticationRequirement": "singleFactorAuthentication" if not mfa else "multiFactorAuthentication",
            "AuthenticationRequirementPolicies": "[]",
            "AuthenticatorAppLocation": "",
            "AutonomousSystemNumber": asn,
            "ClientAppUsed": "Browser" if app in ("Microsoft Edge", "Office365 Shell WCSS-Client", "My Apps", "Azure Portal")
            else "Mobile Apps and Desktop clients",
            "ClientCredentialType": "none",
            "ClientSessionId": "",
            "ConditionalAccessAudiences": dumps([{"applicationId": rid, "audienceReasons": "none"}]),
            "ConditionalAccessPolicies": cap_v,
            "ConditionalAccessPoliciesV2": None,
            "ConditionalAccessStatus": ca_status,
            "CreatedDateTime": iso(created),
            "CrossTenantAccessType": "b2bCollaboration" if "#EXT#" in upn else "none",
            "DeviceDetail": dyn(dev, ""),
            "FederatedCredentialId": "",
            "GlobalSecureAccessIpAddress": "",
            "HomeTenantId": TENANT,
            "HomeTenantName": "Contoso",
            "Id": g.guid(),
            "IncomingTokenType": ("none" if self.interactive else
                                  "primaryRefreshToken" if platform == "win" else "refreshToken"),
            "IPAddress": ip,
            "IsInteractive": self.interactive,
            "IsRisky": False,
            "IsTenantRestricted": False,
            "IsThroughGlobalSecureAccess": False,
            "LocationDetails": dyn(loc, ""),
            "MfaDetail": dyn(mfa, ""),
            "NetworkLocationDetails": "[]",
            "OriginalRequestId": g.guid(),
            "OriginalTransferMethod": "none",
            "ProcessingTimeInMs": str(g.r.randrange(20, 400)),
            "ProcessingTimeInMilliseconds": str(g.r.randrange(40, 900)),
            "ResourceDisplayName": res,
            "ResourceIdentity": rid,
            "ResourceOwnerTenantId": MSFT_TENANT,
            "ResourceServicePrincipalId": RESOURCE_SP[res],
            "ResourceTenantId": TENANT,
            "RootActorID": "",
            "RiskDetail": "none",
            "RiskEventTypes": "[]",
            "RiskEventTypes_V2": "[]",
            "RiskLevelAggregated": "none",
            "RiskLevelDuringSignIn": "none",
            "RiskState": "none",
            "ServicePrincipalId": "",
            "ServicePrincipalName": "",
            "SessionId": g.guid(),
            "SessionLifetimePolicies": "[]",
            "SignInEventTypes": '["nonInteractiveUser"]',
            "SignInIdentifierType": "",
            "TokenProtectionStatusDetails": dyn(tp, "" if not self.interactive else (None if not as_text else "")),
            "Status": dyn(status, ""),
            "TokenIssuerName": "",
            "TokenIssuerType": "AzureAD",
            "UniqueTokenIdentifier": "".join(g.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                                             for _ in range(22)),
            "UserAgent": UA[app],
            "UserDisplayName": s["disp"],
            "UserId": self.world.user_ids[upn],
            "UserPrincipalName": s["shown"],
            "UserType": "Guest" if "#EXT#" in upn else "Member",
            "Type": self.table,
            # SigninLogs only
            "FlaggedForReview": False,
            "IPAddressFromResourceProvider": "",
            "SignInIdentifier": s["shown"],
            "AppliedConditionalAccessPolicies": "",
            "RiskLevel": "",
            "AuthenticationAppDeviceDetails": "",
            "AuthenticationAppPolicyEvaluationDetails": "",
            "SourceAppClientId": "",
            "_BilledSize": 0.0,
            "_IsBillable": "True",
        }
        rec = {}
        for c in self.columns:
            if c not in v:
                raise SystemExit("no value for column %s.%s" % (self.table, c))
            rec[c] = v[c]
        rec["_BilledSize"] = float(len(dumps(rec)))
        return rec

    def build(self):
        g = self.g
        scen = self.build_scenarios()
        g.r.shuffle(scen)
        recs = [self.record(s) for s in scen]
        # a few sign-ins ingested twice (same Id and content): duplicates of
        # qualifying records, so that `summarize by Id, ...` has to dedupe them
        qual = [i for i, s in enumerate(scen) if s.get("qualifies")]
        dups = [dict(recs[i]) for i in g.r.sample(qual, 4)]
        recs.extend(dups)
        recs.sort(key=lambda r: r["TimeGenerated"])
        return recs


def check(table, recs):
    """Every record has the schema's columns, in order, with values of the
    column's type (dynamic: any JSON value; string: a string, never null)."""
    import re
    with open(SCHEMA, encoding="utf-8") as f:
        cols = json.load(f)[table]
    names = [c["name"] for c in cols]
    dt = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
    for r in recs:
        assert list(r) == names, table
        for c in cols:
            v, t = r[c["name"]], c["type"]
            ok = {"string": lambda: isinstance(v, str),
                  "datetime": lambda: isinstance(v, str) and dt.match(v),
                  "long": lambda: isinstance(v, int) and not isinstance(v, bool),
                  "real": lambda: isinstance(v, float),
                  "bool": lambda: isinstance(v, bool),
                  "dynamic": lambda: True}[t]()
            assert ok, (table, c["name"], v)


def write(path, recs):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in recs:
            f.write(dumps(r))
            f.write("\n")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "data")
    os.makedirs(outdir, exist_ok=True)
    for table, seed, plan, noise in (
            ("AADNonInteractiveUserSignInLogs", SEED, PLAN_AAD, NOISE_AAD),
            ("SigninLogs", SEED + 1, PLAN_SIGNIN, NOISE_SIGNIN)):
        recs = Builder(table, seed, plan, noise).build()
        check(table, recs)
        path = os.path.join(outdir, table + ".jsonl")
        write(path, recs)
        print("%s: %d records, %d bytes" % (path, len(recs), os.path.getsize(path)))


if __name__ == "__main__":
    main()
