/* signin_generator.c - realistic sign-in records (signin_generator.h).
 *
 * One record a sign-in: a user of a small tenant (16 named users, whose UPNs
 * sometimes appear in other letter cases, plus user00001@... when the output
 * is large), an app and the resource it calls, and the tenant's Conditional
 * Access policies as Entra lists them: every enabled or report-only policy,
 * about 3-4 KB of JSON, which is most of a non-interactive record, as in real
 * exports. The token-protection policies follow weighted recipes (the table
 * `sg_recipes`) that cover every branch of the documented queries in queries/:
 * the session control under its old name Binding and its current name
 * SignInTokenProtection, several controls in one policy, every result, with
 * and without sessionControlsNotSatisfied; TokenProtectionStatusDetails
 * bound, none, unbound with each code, or empty.
 *
 * Times spread evenly over the window and rise with the row; the row that
 * reaches now - 7d is put exactly on it (ago(7d)'s strict > drops it) and the
 * next 100 ns after it. A few sign-ins are written twice (ingested twice: same
 * Id), and 4% of non-interactive records space their JSON text (", " and
 * ": "), as some exporters do. SigninLogs holds its dynamic columns as JSON
 * values, except 10% of rows that hold them as JSON text.
 */
#include "signin_generator.h"

#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "dynamic.h"
#include "schema.h"
#include "value.h"

#define SG_LEN(a) (sizeof(a) / sizeof *(a))

/* ---------- PRNG: xoshiro256** seeded by splitmix64 ---------- */

typedef struct sg_rng {
    uint64_t s[4];
} sg_rng;

static uint64_t sg_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void sg_seed(sg_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = sg_splitmix(&seed);
}

static uint64_t sg_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t sg_next(sg_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = sg_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sg_rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n), n > 0 (Lemire's multiply; the bias is below 2^-40 here). */
static uint64_t sg_below(sg_rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)sg_next(r) * n) >> 64);
}

static bool sg_chance(sg_rng *r, unsigned per_mille)
{
    return sg_below(r, 1000) < per_mille;
}

/* An index into weights[0..n), picked with those weights. */
static size_t sg_pick(sg_rng *r, const unsigned *weights, size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    uint64_t x = sg_below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}

/* A version-4 GUID from two random words. */
static void sg_guid_of(uint64_t a, uint64_t b, char out[37])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char by[16];
    for (int i = 0; i < 8; i++) {
        by[i] = (unsigned char)(a >> (8 * i));
        by[8 + i] = (unsigned char)(b >> (8 * i));
    }
    by[6] = (unsigned char)((by[6] & 0x0F) | 0x40);
    by[8] = (unsigned char)((by[8] & 0x3F) | 0x80);
    size_t k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hex[by[i] >> 4];
        out[k++] = hex[by[i] & 15];
    }
    out[k] = '\0';
}

static void sg_guid(sg_rng *r, char out[37])
{
    uint64_t a = sg_next(r);
    sg_guid_of(a, sg_next(r), out);
}

/* A GUID that is always the same for (seed, kind, index): user and device ids. */
static void sg_stable_guid(uint64_t seed, uint64_t kind, uint64_t index, char out[37])
{
    uint64_t x = seed ^ (kind * 0xD6E8FEB86659FD93ULL) ^ (index * 0x9E3779B97F4A7C15ULL);
    uint64_t a = sg_splitmix(&x);
    sg_guid_of(a, sg_splitmix(&x), out);
}

/* ---------- the tenant ---------- */

#define SG_TENANT "72f988bf-3c1a-4f2b-9d5e-1c2d3e4f5a6b"
#define SG_WORKSPACE "b1d0c7e2-5f3a-4c8e-9a61-0e2f4d6b8a10"
#define SG_MSFT_TENANT "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

typedef struct sg_user {
    const char *upn, *display;
    const char *variant;   /* the UPN in other letters, as some records show it, or NULL */
    unsigned weight;
} sg_user;

static const sg_user sg_users[] = {
    {"alice@contoso.com", "Alice Johnson", "Alice@contoso.com", 9},
    {"bob@contoso.com", "Bob Martinez", "Bob@Contoso.com", 7},
    {"carol@contoso.com", "Carol Nguyen", NULL, 6},
    {"dave@contoso.com", "Dave Kowalski", NULL, 6},
    {"erin@contoso.com", "Erin O'Brien", NULL, 5},
    {"frank@contoso.com", "Frank Schmidt", NULL, 5},
    {"grace@contoso.com", "Grace Lee", "GRACE@CONTOSO.COM", 5},
    {"heidi@contoso.com", "Heidi Novak", NULL, 4},
    {"ivan@contoso.com", "Ivan Petrov", NULL, 4},
    {"judy@contoso.com", "Judy Chen", NULL, 4},
    {"mallory@contoso.com", "Mallory Brooks", NULL, 3},
    {"oscar@contoso.com", "Oscar Alvarez", NULL, 3},
    {"peggy@contoso.com", "Peggy Olsen", NULL, 3},
    {"trent@contoso.com", "Trent Walker", NULL, 2},
    {"victor@contoso.com", "Victor Dubois", NULL, 2},
    {"niaj_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Niaj Patel (Fabrikam)", NULL, 2},
};

enum { SG_EXO, SG_SPO, SG_GRAPH, SG_AAD, SG_SKYPE, SG_TEAMS_SVC };

typedef struct sg_resource {
    const char *name, *id, *sp_id;
} sg_resource;

static const sg_resource sg_resources[] = {
    {"Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000", "84383462-b484-4cc4-bb21-ef2ecb49a2b1"},
    {"Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000", "2f7c1c1e-03d4-4b5e-9f6e-6c1a9f0d4e21"},
    {"Microsoft Graph", "00000003-0000-0000-c000-000000000000", "5b1e6a3c-8f2d-4e7a-b9c0-1d2e3f4a5b6c"},
    {"Windows Azure Active Directory", "00000002-0000-0000-c000-000000000000", "6c2f7b4d-9a3e-4f8b-8a1d-2e3f4a5b6c7d"},
    {"Skype for Business Online", "00000004-0000-0ff1-ce00-000000000000", "7d308c5e-ab4f-4a9c-9b2e-3f4a5b6c7d8e"},
    {"Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "8e419d6f-bc50-4bad-ac3f-4a5b6c7d8e9f"},
};

enum { SG_WIN, SG_MOBILE, SG_IOS };

typedef struct sg_app {
    const char *name, *id;
    int platform;
    bool browser;
    unsigned weight;
    int resources[2];       /* the Exchange/SharePoint resources it calls; -1: none */
    const char *user_agent;
} sg_app;

#define SG_EDGE_UA "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.51"

static const sg_app sg_apps[] = {
    {"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", SG_WIN, false, 30, {SG_EXO, SG_SPO},
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0 Teams/24295.605.3225.8804/49"},
    {"Outlook Mobile", "27922004-5251-4030-b22d-91ecd9a37ea4", SG_MOBILE, false, 22, {SG_EXO, -1}, "Outlook-iOS/2.0"},
    {"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", SG_WIN, false, 18, {SG_EXO, SG_SPO},
     "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)"},
    {"OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763", SG_WIN, false, 14, {SG_SPO, -1},
     "Microsoft SkyDriveSync 24.201.1006.0005 ship; Windows NT 10.0 (19045)"},
    {"Microsoft Edge", "ecd6b820-32c2-49b6-98a6-444530e5a77a", SG_WIN, true, 10, {SG_SPO, SG_EXO}, SG_EDGE_UA},
    {"Office365 Shell WCSS-Client", "89bee1f7-5e6e-4d8a-9f3d-ecd601259da7", SG_WIN, true, 6, {SG_SPO, SG_EXO}, SG_EDGE_UA},
    {"OneDrive iOS App", "af124e86-4e96-495a-b70a-90f90ab96707", SG_IOS, false, 4, {SG_SPO, -1},
     "OneDriveiOSApp/15.2.1 (iPhone; iOS 18.1; Scale/3.00)"},
    {"Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e", SG_MOBILE, false, 5, {SG_EXO, SG_SPO},
     "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240905.003)"},
    {"Windows Sign In", "38aa3b87-a06d-4817-b275-7a316988d93b", SG_WIN, false, 4, {SG_EXO, SG_SPO},
     "Windows-AzureAD-Authentication-Provider/1.0"},
    {"My Apps", "2793995e-0a7d-40d7-bd35-6968ba142197", SG_WIN, true, 2, {SG_SPO, -1},
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
    {"Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", SG_WIN, true, 2, {SG_EXO, -1},
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
};

typedef struct sg_city {
    const char *city, *state, *country, *lat, *lon, *ip_prefix, *asn;
} sg_city;

static const sg_city sg_cities[] = {
    {"Seattle", "Washington", "US", "47.6062", "-122.3321", "131.107", "8075"},
    {"Redmond", "Washington", "US", "47.674", "-122.1215", "167.220", "8075"},
    {"New York", "New York", "US", "40.7128", "-74.006", "72.229", "12271"},
    {"London", "England", "GB", "51.5072", "-0.1276", "81.2", "2856"},
    {"Berlin", "Berlin", "DE", "52.52", "13.405", "87.123", "3320"},
    {"Bengaluru", "Karnataka", "IN", "12.9716", "77.5946", "49.207", "24560"},
};

/* ---------- Conditional Access ---------- */

enum {
    SG_R_SUCCESS, SG_R_FAILURE, SG_R_NOT_APPLIED, SG_R_NOT_ENABLED, SG_R_FUTURE, SG_R_RO_SUCCESS,
    SG_R_RO_FAILURE, SG_R_RO_NOT_APPLIED, SG_R_RO_INTERRUPTED, SG_R_MISSING
};

static const char *const sg_result_names[] = {
    "success", "failure", "notApplied", "notEnabled", "unknownFutureValue", "reportOnlySuccess",
    "reportOnlyFailure", "reportOnlyNotApplied", "reportOnlyInterrupted",
};

/* The tenant's policies in the order records list them. `applies` is how
 * often (per mille) a sign-in satisfies a policy that is not part of its
 * token-protection recipe; report-only policies report as such. */
typedef struct sg_policy {
    const char *id, *name;
    const char *grant, *session;   /* JSON arrays */
    unsigned applies;
    bool report_only;
} sg_policy;

enum {
    SG_P_BASE = 12,   /* policies 0..11 have no token-protection control */
    SG_P_COMPLIANT = 2,
    SG_P_TP_LEGACY_SIF = 12, SG_P_TP, SG_P_TP_SIF, SG_P_TP_RO, SG_P_TP_OFF, SG_P_COUNT
};

static const sg_policy sg_policies[SG_P_COUNT] = {
    {"0a1c6c41-8d8e-4c61-9f0e-2b3f1c9d7e01", "CA001 - Require MFA for all users", "[\"Mfa\"]", "[]", 750, false},
    {"1b2d7d52-9e9f-4d72-a01f-3c4a2dae8f12", "CA002 - Block legacy authentication", "[\"Block\"]", "[]", 0, false},
    {"2c3e8e63-af00-4e83-b12a-4d5b3ebf9023", "CA010 - Require compliant or hybrid joined device",
     "[\"RequireCompliantDevice\",\"RequireDomainJoinedDevice\"]", "[]", 570, false},
    {"3d4f9f74-b011-4f94-c23b-5e6c4fc0a134", "CA030 - Sign-in frequency 12 hours on unmanaged devices", "[]",
     "[\"SignInFrequency\"]", 330, false},
    {"4e50a085-c122-4aa5-d34c-6f7d50d1b245", "CA040 - App enforced restrictions for SharePoint", "[]",
     "[\"ApplicationEnforcedRestrictions\"]", 330, false},
    {"a1b2c3d4-0003-4e5f-8a6b-7c8d9e0f1a03", "CA003 - Require MFA for administrators", "[\"Mfa\"]", "[]", 60, false},
    {"a1b2c3d4-0005-4e5f-8a6b-7c8d9e0f1a05", "CA005 - Block access from unsupported countries", "[\"Block\"]", "[]", 0,
     false},
    {"a1b2c3d4-0006-4e5f-8a6b-7c8d9e0f1a06", "CA006 - Require password change for high user risk",
     "[\"Mfa\",\"PasswordChange\"]", "[]", 0, false},
    {"a1b2c3d4-0007-4e5f-8a6b-7c8d9e0f1a07", "CA007 - Require MFA for risky sign-ins (report-only)", "[\"Mfa\"]", "[]",
     40, true},
    {"a1b2c3d4-0011-4e5f-8a6b-7c8d9e0f1a11", "CA011 - Require app protection policy on mobile",
     "[\"RequireApprovedApp\",\"RequireCompliantApp\"]", "[]", 200, false},
    {"a1b2c3d4-0031-4e5f-8a6b-7c8d9e0f1a31", "CA031 - No persistent browser session on unmanaged devices", "[]",
     "[\"PersistentBrowserSessionMode\"]", 150, false},
    {"a1b2c3d4-0050-4e5f-8a6b-7c8d9e0f1a50", "CA050 - Require phishing-resistant authentication strength for admins",
     "[\"RequireAuthenticationStrength\"]", "[]", 30, false},
    {"5f61b196-d233-4bb6-e45d-708e61e2c356", "CA110 - Admins: sign-in frequency and token binding (legacy)", "[]",
     "[\"SignInFrequency\",\"Binding\"]", 0, false},
    {"6a72c2a7-e344-4cc7-f56e-819f72f3d467", "CA201 - Require token protection for Exchange and SharePoint (Windows)",
     "[]", "[\"SignInTokenProtection\"]", 0, false},
    {"7b83d3b8-f455-4dd8-a67f-92a083a4e578", "CA202 - Admins: token protection + sign-in frequency 8h", "[]",
     "[\"SignInTokenProtection\",\"SignInFrequency\"]", 0, false},
    {"8c94e4c9-a566-4ee9-b780-a3b194b5f689", "CA203 - Token protection, all platforms (report-only)", "[]",
     "[\"SignInTokenProtection\"]", 0, true},
    {"9da5f5da-b677-4ffa-c891-b4c2a5c6a79a", "CA204 - Token protection for SharePoint on macOS (off)", "[]",
     "[\"SignInTokenProtection\"]", 0, false},
};

/* sessionControlsNotSatisfied of an element */
enum { SG_NS_ABSENT, SG_NS_EMPTY, SG_NS_TPS, SG_NS_BINDING, SG_NS_TPS_SIF };

typedef struct sg_elem {
    unsigned char policy, result, ns;
    bool legacy;           /* an older record: the control was called Binding */
    bool no_session;       /* enforcedSessionControls left out */
} sg_elem;

/* TokenProtectionStatusDetails a recipe goes with */
enum { SG_ST_ANY, SG_ST_BOUND, SG_ST_UNBOUND, SG_ST_UNBOUND1003 };

/* What the per-app query makes of a recipe (for reading the table only). */
enum { SG_ALLOW, SG_BLOCK, SG_BOTH, SG_NOMATCH, SG_UNSUPPORTED };

typedef struct sg_recipe {
    unsigned char outcome;
    unsigned weight;       /* per 1000 sign-ins with policies */
    unsigned char state;
    unsigned char n;
    sg_elem e[3];
} sg_recipe;

#define E(p, r, ns) {SG_P_##p, SG_R_##r, SG_NS_##ns, false, false}
#define E_OLD(p, r, ns) {SG_P_##p, SG_R_##r, SG_NS_##ns, true, false}
static const sg_recipe sg_recipes[] = {
    {SG_ALLOW, 85, SG_ST_BOUND, 1, {E(TP, SUCCESS, EMPTY)}},
    {SG_ALLOW, 34, SG_ST_BOUND, 1, {E_OLD(TP, SUCCESS, ABSENT)}},
    /* an older record: failure but no sessionControlsNotSatisfied -> Allow */
    {SG_ALLOW, 9, SG_ST_UNBOUND, 1, {E_OLD(TP, FAILURE, ABSENT)}},
    /* the old name in the not-satisfied list -> Allow */
    {SG_ALLOW, 9, SG_ST_UNBOUND, 1, {E_OLD(TP, FAILURE, BINDING)}},
    {SG_ALLOW, 17, SG_ST_BOUND, 2, {E(TP, NOT_APPLIED, EMPTY), E(TP_RO, RO_SUCCESS, EMPTY)}},
    {SG_ALLOW, 17, SG_ST_BOUND, 2, {E(TP, SUCCESS, EMPTY), E(TP_OFF, NOT_ENABLED, EMPTY)}},
    {SG_ALLOW, 17, SG_ST_BOUND, 2, {E(TP, SUCCESS, EMPTY), E(TP_RO, RO_SUCCESS, EMPTY)}},
    {SG_ALLOW, 9, SG_ST_ANY, 2, {E(TP, NOT_APPLIED, EMPTY), E(TP_RO, RO_INTERRUPTED, EMPTY)}},
    /* no result key: null != "notApplied" holds */
    {SG_ALLOW, 9, SG_ST_ANY, 1, {E(TP, MISSING, ABSENT)}},
    {SG_ALLOW, 9, SG_ST_ANY, 1, {E(TP, FUTURE, EMPTY)}},
    /* CA202 lists two controls: '["SignInTokenProtection"]' is not in it */
    {SG_ALLOW, 17, SG_ST_BOUND, 2, {E(TP, SUCCESS, EMPTY), E(TP_SIF, FAILURE, TPS_SIF)}},
    {SG_ALLOW, 9, SG_ST_BOUND, 2, {E(TP, SUCCESS, EMPTY), E(TP_RO, RO_NOT_APPLIED, EMPTY)}},

    {SG_BLOCK, 60, SG_ST_UNBOUND, 1, {E(TP, FAILURE, TPS)}},
    {SG_BLOCK, 15, SG_ST_UNBOUND, 2, {E(TP, NOT_APPLIED, EMPTY), E(TP_RO, RO_FAILURE, TPS)}},
    {SG_BLOCK, 15, SG_ST_UNBOUND, 2, {E(TP, FAILURE, TPS), E(TP_RO, RO_FAILURE, TPS)}},
    {SG_BLOCK, 8, SG_ST_UNBOUND, 1, {E_OLD(TP, FAILURE, TPS)}},
    {SG_BLOCK, 8, SG_ST_UNBOUND, 1, {E(TP, MISSING, TPS)}},
    {SG_BLOCK, 8, SG_ST_UNBOUND, 1, {E(TP, FAILURE, TPS_SIF)}},

    {SG_BOTH, 20, SG_ST_UNBOUND, 2, {E(TP, FAILURE, TPS), E(TP_OFF, NOT_ENABLED, EMPTY)}},
    {SG_BOTH, 10, SG_ST_UNBOUND, 3,
     {E(TP, NOT_APPLIED, EMPTY), E(TP_RO, RO_FAILURE, TPS), E(TP_OFF, NOT_ENABLED, EMPTY)}},

    {SG_NOMATCH, 120, SG_ST_ANY, 1, {E(TP, NOT_APPLIED, EMPTY)}},
    {SG_NOMATCH, 60, SG_ST_ANY, 2, {E(TP, NOT_APPLIED, EMPTY), E(TP_RO, RO_NOT_APPLIED, EMPTY)}},
    {SG_NOMATCH, 50, SG_ST_ANY, 1, {E(TP_RO, RO_NOT_APPLIED, EMPTY)}},
    {SG_NOMATCH, 20, SG_ST_ANY, 1, {E_OLD(TP, NOT_APPLIED, ABSENT)}},
    {SG_NOMATCH, 25, SG_ST_ANY, 1, {E(TP_SIF, SUCCESS, EMPTY)}},
    {SG_NOMATCH, 25, SG_ST_UNBOUND, 1, {E(TP_SIF, FAILURE, TPS_SIF)}},
    {SG_NOMATCH, 15, SG_ST_ANY, 1, {E_OLD(TP_LEGACY_SIF, SUCCESS, ABSENT)}},
    {SG_NOMATCH, 8, SG_ST_ANY, 1, {E_OLD(TP_LEGACY_SIF, FAILURE, ABSENT)}},
    {SG_NOMATCH, 15, SG_ST_ANY, 2,
     {{SG_P_COMPLIANT, SG_R_SUCCESS, SG_NS_EMPTY, false, true}, E(TP, NOT_APPLIED, EMPTY)}},
    {SG_NOMATCH, 140, SG_ST_ANY, 0, {{0}}},
    /* token protection not applied; the device does not support it (1003) */
    {SG_UNSUPPORTED, 30, SG_ST_UNBOUND1003, 1, {E(TP, NOT_APPLIED, EMPTY)}},
};
#undef E
#undef E_OLD

/* ---------- failures ---------- */

typedef struct sg_failure {
    int code;
    const char *reason, *details;
} sg_failure;

static const sg_failure sg_failures[] = {
    {530084, "Access has been blocked by conditional access token protection policy.",
     "The sign-in session is not bound to the device. Check the device's support for token protection."},
    {53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
     "Conditional Access policies blocked the sign-in."},
    {50126, "Error validating credentials due to invalid username or password.",
     "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes."},
    {70043, "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
     "The refresh token has expired due to sign-in frequency checks by conditional access. Get a new token by signing in again."},
    {700082, "The refresh token has expired due to inactivity.",
     "The refresh token was issued long ago and has not been used; the user has to sign in again."},
    {50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
     "The user's password was changed or the session was revoked; a new sign-in is required."},
};

/* ---------- one sign-in ---------- */

enum { SG_CAP_LIST, SG_CAP_EMPTY_LIST, SG_CAP_BLANK };

typedef struct sg_signin {
    int64_t t, created;
    size_t user;
    bool variant;          /* the UPN shown in its other letter case */
    size_t app;
    int resource;
    int cap_kind;
    const sg_recipe *recipe;
    sg_elem elems[SG_P_COUNT];
    bool listed[SG_P_COUNT];
    int tp_status;         /* -1 empty, else 0 bound, 1 none, 2 unbound */
    int tp_code;
    const sg_failure *failure;
    bool mfa_claim;        /* Status says MFA was satisfied by a claim */
    bool spaced;           /* JSON text written with ", " and ": " */
    bool as_text;          /* SigninLogs: dynamic columns as JSON text */
    size_t city;
    unsigned ip3, ip4;
    char correlation_id[37], id[37], original_request_id[37], session_id[37];
    char token_id[23];
    unsigned processing_ms, processing_ms2;
} sg_signin;

typedef struct sg_gen {
    sg_rng rng;
    const signin_gen_options *opt;
    const kql_schema *schema;
    bool interactive;
    size_t nusers;         /* named users, then user00001.. */
    sg_signin s;
    kql_buf val;           /* a JSON value being built */
    kql_buf rec;           /* the record being written */
} sg_gen;

/* The UPN of user number `user` (tmp holds generated ones). */
static const char *sg_upn(size_t user, char *tmp, size_t cap)
{
    if (user < SG_LEN(sg_users))
        return sg_users[user].upn;
    snprintf(tmp, cap, "user%05zu@contoso.com", user - SG_LEN(sg_users) + 1);
    return tmp;
}

static size_t sg_pick_user(sg_gen *g)
{
    if (g->nusers > SG_LEN(sg_users) && sg_chance(&g->rng, 700))
        return SG_LEN(sg_users) + (size_t)sg_below(&g->rng, g->nusers - SG_LEN(sg_users));
    unsigned w[SG_LEN(sg_users)];
    for (size_t i = 0; i < SG_LEN(sg_users); i++)
        w[i] = sg_users[i].weight;
    return sg_pick(&g->rng, w, SG_LEN(w));
}

static const sg_recipe *sg_pick_recipe(sg_gen *g)
{
    unsigned w[SG_LEN(sg_recipes)];
    for (size_t i = 0; i < SG_LEN(sg_recipes); i++)
        w[i] = sg_recipes[i].weight;
    return &sg_recipes[sg_pick(&g->rng, w, SG_LEN(w))];
}

/* TokenProtectionStatusDetails for a recipe's state (many rows have none). */
static void sg_token_status(sg_gen *g, sg_signin *s)
{
    static const int unbound_codes[] = {1002, 1003, 1005, 1006, 1008};
    static const unsigned code_weights[] = {2, 5, 1, 2, 2};
    sg_rng *r = &g->rng;
    int state = s->recipe ? s->recipe->state : SG_ST_ANY;
    s->tp_status = -1;
    s->tp_code = 0;
    if (state == SG_ST_UNBOUND1003) {
        s->tp_status = 2;
        s->tp_code = 1003;
    } else if (state == SG_ST_BOUND) {
        if (!sg_chance(r, 350))
            s->tp_status = 0;
    } else if (state == SG_ST_UNBOUND) {
        if (!sg_chance(r, 100)) {
            s->tp_status = 2;
            s->tp_code = unbound_codes[sg_pick(r, code_weights, SG_LEN(code_weights))];
        }
    } else {
        uint64_t x = sg_below(r, 100);
        if (x >= 86) {
            s->tp_status = 2;
            s->tp_code = unbound_codes[sg_below(r, SG_LEN(unbound_codes))];
        } else if (x >= 72) {
            s->tp_status = 0;
        } else if (x >= 60) {
            s->tp_status = 1;
        }
    }
}

static void sg_make_signin(sg_gen *g, int64_t t)
{
    sg_rng *r = &g->rng;
    sg_signin *s = &g->s;
    memset(s, 0, sizeof *s);
    s->t = t;
    s->created = t - 2 * KQL_TICKS_PER_SECOND - (int64_t)sg_below(r, 238 * (uint64_t)KQL_TICKS_PER_SECOND);
    s->user = sg_pick_user(g);
    s->variant = s->user < SG_LEN(sg_users) && sg_users[s->user].variant && sg_chance(r, 350);
    unsigned aw[SG_LEN(sg_apps)];
    for (size_t i = 0; i < SG_LEN(sg_apps); i++)
        aw[i] = sg_apps[i].weight;
    s->app = sg_pick(r, aw, SG_LEN(aw));
    const sg_app *app = &sg_apps[s->app];
    if (sg_chance(r, 200)) {
        s->resource = SG_GRAPH + (int)sg_below(r, 4);
    } else {
        int n = app->resources[1] < 0 ? 1 : 2;
        s->resource = app->resources[sg_below(r, (uint64_t)n)];
    }

    uint64_t k = sg_below(r, 1000);
    s->cap_kind = k < 10 ? SG_CAP_BLANK : k < 90 ? SG_CAP_EMPTY_LIST : SG_CAP_LIST;
    if (s->cap_kind == SG_CAP_LIST) {
        s->recipe = sg_pick_recipe(g);
        bool old = s->recipe->n > 0;
        for (unsigned i = 0; i < s->recipe->n; i++) {
            const sg_elem *e = &s->recipe->e[i];
            s->elems[e->policy] = *e;
            s->listed[e->policy] = true;
            old = old && e->ns == SG_NS_ABSENT;
        }
        /* the other policies, as the tenant evaluates every one */
        for (unsigned p = 0; p < SG_P_BASE; p++) {
            if (s->listed[p] || sg_chance(r, 450))
                continue;
            const sg_policy *pol = &sg_policies[p];
            bool applies = sg_chance(r, pol->applies);
            int result = pol->report_only ? (applies ? SG_R_RO_SUCCESS : SG_R_RO_NOT_APPLIED)
                                          : (applies ? SG_R_SUCCESS : SG_R_NOT_APPLIED);
            s->elems[p] = (sg_elem){(unsigned char)p, (unsigned char)result,
                                    old ? SG_NS_ABSENT : SG_NS_EMPTY, false, false};
            s->listed[p] = true;
        }
    }
    sg_token_status(g, s);

    const sg_elem *tp = s->listed[SG_P_TP] ? &s->elems[SG_P_TP] : NULL;
    const sg_elem *tp_sif = s->listed[SG_P_TP_SIF] ? &s->elems[SG_P_TP_SIF] : NULL;
    if (tp && tp->result == SG_R_FAILURE)
        s->failure = &sg_failures[0];
    else if (tp_sif && tp_sif->result == SG_R_FAILURE)
        s->failure = &sg_failures[1];
    else if (s->cap_kind == SG_CAP_EMPTY_LIST && sg_chance(r, 300))
        s->failure = &sg_failures[2 + sg_below(r, 4)];
    s->mfa_claim = !s->failure && sg_chance(r, 400);

    s->spaced = !g->interactive && sg_chance(r, 40);
    s->as_text = g->interactive && sg_chance(r, 100);
    /* users stay in their home city, mostly */
    uint64_t home = s->user * 0x9E3779B97F4A7C15ULL >> 32;
    s->city = sg_chance(r, 100) ? (size_t)sg_below(r, SG_LEN(sg_cities)) : (size_t)(home % SG_LEN(sg_cities));
    s->ip3 = (unsigned)sg_below(r, 256);
    s->ip4 = 1 + (unsigned)sg_below(r, 254);
    sg_guid(r, s->correlation_id);
    sg_guid(r, s->id);
    sg_guid(r, s->original_request_id);
    sg_guid(r, s->session_id);
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 22; i++)
        s->token_id[i] = b64[sg_below(r, 64)];
    s->processing_ms = 20 + (unsigned)sg_below(r, 380);
    s->processing_ms2 = 40 + (unsigned)sg_below(r, 860);
}

/* ---------- JSON values ---------- */

static void sg_str(kql_buf *b, const char *s)
{
    kql_json_string(s, strlen(s), b);
}

/* `"key":` with the record's spacing */
static void sg_key(const sg_gen *g, kql_buf *b, bool first, const char *key)
{
    if (!first)
        kql_buf_puts(b, g->s.spaced ? ", " : ",");
    sg_str(b, key);
    kql_buf_puts(b, g->s.spaced ? ": " : ":");
}

/* A JSON array literal of the policy table, respaced when the record is. */
static void sg_array(const sg_gen *g, kql_buf *b, const char *json)
{
    for (const char *p = json; *p; p++) {
        kql_buf_putc(b, *p);
        if (*p == ',' && g->s.spaced)
            kql_buf_putc(b, ' ');
    }
}

static void sg_val_cap(const sg_gen *g, kql_buf *b)
{
    const sg_signin *s = &g->s;
    kql_buf_putc(b, '[');
    bool first = true;
    for (unsigned p = 0; p < SG_P_COUNT; p++) {
        if (!s->listed[p])
            continue;
        const sg_elem *e = &s->elems[p];
        const sg_policy *pol = &sg_policies[p];
        if (!first)
            kql_buf_puts(b, s->spaced ? ", " : ",");
        first = false;
        kql_buf_putc(b, '{');
        sg_key(g, b, true, "id");
        sg_str(b, pol->id);
        sg_key(g, b, false, "displayName");
        sg_str(b, pol->name);
        sg_key(g, b, false, "enforcedGrantControls");
        sg_array(g, b, pol->grant);
        if (!e->no_session) {
            sg_key(g, b, false, "enforcedSessionControls");
            if (e->legacy && p == SG_P_TP)
                kql_buf_puts(b, "[\"Binding\"]");
            else
                sg_array(g, b, pol->session);
        }
        int sat = 0, unsat = 0;
        if (e->result != SG_R_MISSING) {
            sg_key(g, b, false, "result");
            sg_str(b, sg_result_names[e->result]);
            if (e->result == SG_R_NOT_APPLIED || e->result == SG_R_RO_NOT_APPLIED) {
                sat = 1;
                unsat = 2;
            } else if (e->result != SG_R_NOT_ENABLED) {
                sat = 3;
            }
        }
        sg_key(g, b, false, "conditionsSatisfied");
        kql_buf_printf(b, "%d", sat);
        sg_key(g, b, false, "conditionsNotSatisfied");
        kql_buf_printf(b, "%d", unsat);
        static const char *const ns_text[] = {
            NULL, "[]", "[\"SignInTokenProtection\"]", "[\"Binding\"]",
            "[\"SignInTokenProtection\",\"SignInFrequency\"]",
        };
        if (e->ns != SG_NS_ABSENT) {
            sg_key(g, b, false, "sessionControlsNotSatisfied");
            sg_array(g, b, ns_text[e->ns]);
        }
        kql_buf_putc(b, '}');
    }
    kql_buf_putc(b, ']');
}

static void sg_val_device(const sg_gen *g, kql_buf *b)
{
    const sg_signin *s = &g->s;
    const sg_app *app = &sg_apps[s->app];
    char id[37];
    sg_stable_guid(g->opt->seed, 1 + (uint64_t)app->platform, s->user, id);
    const char *first_name = s->user < SG_LEN(sg_users) ? sg_users[s->user].display : "User";
    size_t fl = strcspn(first_name, " '");
    bool android = app->platform == SG_MOBILE && (s->user % 5) >= 3;
    const char *os = app->platform == SG_WIN ? "Windows10" : android ? "Android" : "Ios";
    kql_buf_putc(b, '{');
    sg_key(g, b, true, "deviceId");
    sg_str(b, id);
    sg_key(g, b, false, "displayName");
    if (app->platform == SG_WIN)
        kql_buf_printf(b, "\"CONTOSO-%.*s-%02zu\"", (int)(fl > 6 ? 6 : fl), first_name, 1 + s->user % 39);
    else
        kql_buf_printf(b, "\"%.*s's %s\"", (int)fl, first_name,
                       app->platform == SG_IOS ? "iPad" : android ? "Pixel 8" : "iPhone");
    sg_key(g, b, false, "operatingSystem");
    sg_str(b, os);
    sg_key(g, b, false, "browser");
    sg_str(b, g->interactive && app->platform == SG_WIN ? "Edge 131.0.2903"
              : g->interactive ? "Mobile Safari"
              : app->platform == SG_WIN ? "Rich Client 5.2.3.0" : "Rich Client 5.2.1.0");
    bool managed = app->platform != SG_IOS;
    sg_key(g, b, false, "isCompliant");
    kql_buf_puts(b, managed ? "true" : "false");
    sg_key(g, b, false, "isManaged");
    kql_buf_puts(b, managed ? "true" : "false");
    sg_key(g, b, false, "trustType");
    sg_str(b, app->platform == SG_WIN ? (s->user % 4 == 3 ? "Hybrid Azure AD joined" : "Azure AD joined")
                                      : "Azure AD registered");
    kql_buf_putc(b, '}');
}

static void sg_val_location(const sg_gen *g, kql_buf *b)
{
    const sg_city *c = &sg_cities[g->s.city];
    kql_buf_putc(b, '{');
    sg_key(g, b, true, "city");
    sg_str(b, c->city);
    sg_key(g, b, false, "state");
    sg_str(b, c->state);
    sg_key(g, b, false, "countryOrRegion");
    sg_str(b, c->country);
    sg_key(g, b, false, "geoCoordinates");
    kql_buf_putc(b, '{');
    sg_key(g, b, true, "latitude");
    kql_buf_puts(b, c->lat);
    sg_key(g, b, false, "longitude");
    kql_buf_puts(b, c->lon);
    kql_buf_puts(b, "}}");
}

static void sg_val_status(const sg_gen *g, kql_buf *b)
{
    const sg_signin *s = &g->s;
    kql_buf_putc(b, '{');
    sg_key(g, b, true, "errorCode");
    kql_buf_printf(b, "%d", s->failure ? s->failure->code : 0);
    if (s->failure) {
        sg_key(g, b, false, "failureReason");
        sg_str(b, s->failure->reason);
    }
    if (s->failure || s->mfa_claim) {
        sg_key(g, b, false, "additionalDetails");
        sg_str(b, s->failure ? s->failure->details : "MFA requirement satisfied by claim in the token");
    }
    kql_buf_putc(b, '}');
}

static void sg_val_token_status(const sg_gen *g, kql_buf *b)
{
    static const char *const names[] = {"bound", "none", "unbound"};
    kql_buf_putc(b, '{');
    sg_key(g, b, true, "signInSessionStatus");
    sg_str(b, names[g->s.tp_status]);
    sg_key(g, b, false, "signInSessionStatusCode");
    kql_buf_printf(b, "%d", g->s.tp_code);
    kql_buf_putc(b, '}');
}

static void sg_val_mfa(const sg_gen *g, kql_buf *b)
{
    kql_buf_putc(b, '{');
    if (g->s.mfa_claim) {
        sg_key(g, b, true, "authMethod");
        sg_str(b, "Previously satisfied");
        sg_key(g, b, false, "authDetail");
        kql_buf_puts(b, "null");
    }
    kql_buf_putc(b, '}');
}

static void sg_val_agent(const sg_gen *g, kql_buf *b)
{
    kql_buf_putc(b, '{');
    sg_key(g, b, true, "agentType");
    sg_str(b, "notAgentic");
    kql_buf_putc(b, '}');
}

/* ---------- columns ---------- */

typedef void sg_value_fn(const sg_gen *g, kql_buf *b);

/* A column the schema types string holds JSON text; a dynamic column (in
 * SigninLogs) the value itself, unless the row writes them as text. An absent
 * value (NULL fn) is "" - or null in a dynamic column. */
static void sg_put_jsonish(sg_gen *g, kql_buf *out, kql_type type, sg_value_fn *fn)
{
    bool text = type != KQL_DYNAMIC || g->s.as_text;
    if (!fn) {
        kql_buf_puts(out, text ? "\"\"" : "null");
        return;
    }
    if (!text) {
        fn(g, out);
        return;
    }
    kql_buf_clear(&g->val);
    fn(g, &g->val);
    kql_json_string(g->val.data, g->val.len, out);
}

static void sg_put_time(kql_buf *out, int64_t t)
{
    char tmp[48];
    size_t n = kql_datetime_format(t, tmp);
    kql_buf_putc(out, '"');
    kql_buf_put(out, tmp, n);
    kql_buf_putc(out, '"');
}

/* One column's value; false when the generator has none for the name. */
static bool sg_put_column(sg_gen *g, const kql_schema_column *c, kql_buf *out)
{
    /* columns whose value is the same in every record */
    static const struct {
        const char *name, *json;
    } fixed[] = {
        {"TenantId", "\"" SG_WORKSPACE "\""}, {"SourceSystem", "\"Azure AD\""},
        {"ResourceId", "\"/tenants/" SG_TENANT "/providers/Microsoft.aadiam\""},
        {"OperationName", "\"Sign-in activity\""}, {"OperationVersion", "\"1.0\""}, {"DurationMs", "0"},
        {"Resource", "\"Microsoft.aadiam\""}, {"ResourceGroup", "\"Microsoft.aadiam\""},
        {"ResourceProvider", "\"Microsoft.aadiam\""}, {"Level", "\"4\""}, {"AADTenantId", "\"" SG_TENANT "\""},
        {"AppliedEventListeners", "[]"}, {"AppOwnerTenantId", "\"" SG_MSFT_TENANT "\""},
        {"AuthenticationContextClassReferences", "\"[]\""}, {"AuthenticationMethodsUsed", "\"\""},
        {"AuthenticationProtocol", "\"none\""}, {"AuthenticationRequirementPolicies", "\"[]\""},
        {"AuthenticatorAppLocation", "\"\""}, {"ClientCredentialType", "\"none\""}, {"ClientSessionId", "\"\""},
        {"ConditionalAccessPoliciesV2", "null"}, {"FederatedCredentialId", "\"\""},
        {"GlobalSecureAccessIpAddress", "\"\""}, {"HomeTenantId", "\"" SG_TENANT "\""},
        {"HomeTenantName", "\"Contoso\""}, {"IsRisky", "false"}, {"IsTenantRestricted", "false"},
        {"IsThroughGlobalSecureAccess", "false"}, {"NetworkLocationDetails", "\"[]\""},
        {"OriginalTransferMethod", "\"none\""}, {"ResourceOwnerTenantId", "\"" SG_MSFT_TENANT "\""},
        {"ResourceTenantId", "\"" SG_TENANT "\""}, {"RootActorID", "\"\""}, {"RiskDetail", "\"none\""},
        {"RiskEventTypes", "\"[]\""}, {"RiskEventTypes_V2", "\"[]\""}, {"RiskLevelAggregated", "\"none\""},
        {"RiskLevelDuringSignIn", "\"none\""}, {"RiskState", "\"none\""}, {"ServicePrincipalId", "\"\""},
        {"ServicePrincipalName", "\"\""}, {"SessionLifetimePolicies", "\"[]\""}, {"SignInIdentifierType", "\"\""},
        {"TokenIssuerName", "\"\""}, {"TokenIssuerType", "\"AzureAD\""}, {"FlaggedForReview", "false"},
        {"IPAddressFromResourceProvider", "\"\""}, {"AppliedConditionalAccessPolicies", "\"\""},
        {"RiskLevel", "\"\""}, {"AuthenticationAppDeviceDetails", "\"\""},
        {"AuthenticationAppPolicyEvaluationDetails", "\"\""}, {"SourceAppClientId", "\"\""},
        {"_IsBillable", "\"True\""},
    };
    for (size_t i = 0; i < SG_LEN(fixed); i++)
        if (strcmp(c->name, fixed[i].name) == 0) {
            kql_buf_puts(out, fixed[i].json);
            return true;
        }

    const sg_signin *s = &g->s;
    const sg_app *app = &sg_apps[s->app];
    const sg_resource *res = &sg_resources[s->resource];
    char tmp[64];
    const char *upn = sg_upn(s->user, tmp, sizeof tmp);
    const char *shown = s->variant ? sg_users[s->user].variant : upn;
    char display[64];
    if (s->user < SG_LEN(sg_users))
        snprintf(display, sizeof display, "%s", sg_users[s->user].display);
    else
        snprintf(display, sizeof display, "User %05zu", s->user - SG_LEN(sg_users) + 1);
    bool guest = strstr(upn, "#EXT#") != NULL;
    const char *n = c->name;

    if (strcmp(n, "TimeGenerated") == 0) sg_put_time(out, s->t);
    else if (strcmp(n, "CreatedDateTime") == 0) sg_put_time(out, s->created);
    else if (strcmp(n, "Category") == 0) sg_str(out, g->interactive ? "SignInLogs" : "NonInteractiveUserSignInLogs");
    else if (strcmp(n, "ResultType") == 0) kql_buf_printf(out, "\"%d\"", s->failure ? s->failure->code : 0);
    else if (strcmp(n, "ResultSignature") == 0) sg_str(out, s->failure ? "FAILURE" : "None");
    else if (strcmp(n, "ResultDescription") == 0) sg_str(out, s->failure ? s->failure->reason : "");
    else if (strcmp(n, "CorrelationId") == 0) sg_str(out, s->correlation_id);
    else if (strcmp(n, "Identity") == 0 || strcmp(n, "UserDisplayName") == 0) sg_str(out, display);
    else if (strcmp(n, "Location") == 0) sg_str(out, sg_cities[s->city].country);
    else if (strcmp(n, "AlternateSignInName") == 0 || strcmp(n, "UserPrincipalName") == 0 ||
             strcmp(n, "SignInIdentifier") == 0) sg_str(out, shown);
    else if (strcmp(n, "AppDisplayName") == 0) sg_str(out, app->name);
    else if (strcmp(n, "AppId") == 0) sg_str(out, app->id);
    else if (strcmp(n, "AuthenticationDetails") == 0) {
        if (!g->interactive) {
            kql_buf_puts(out, "\"[]\"");
        } else {
            char when[48];
            size_t wl = kql_datetime_format(s->created, when);
            kql_buf_clear(&g->val);
            kql_buf_printf(&g->val,
                           "[{\"authenticationStepDateTime\":\"%.19sZ\",\"authenticationMethod\":\"Password\","
                           "\"authenticationMethodDetail\":\"Password in the cloud\",\"succeeded\":%s,"
                           "\"authenticationStepResultDetail\":\"%s\",\"authenticationStepRequirement\":"
                           "\"Primary authentication\",\"StatusSequence\":0,\"RequestSequence\":1}]",
                           wl >= 19 ? when : "", s->failure && s->failure->code == 50126 ? "false" : "true",
                           s->failure && s->failure->code == 50126 ? "Invalid username or password"
                                                                   : "Correct password");
            kql_json_string(g->val.data, g->val.len, out);
        }
    }
    else if (strcmp(n, "AuthenticationProcessingDetails") == 0)
        kql_buf_printf(out, "\"[{\\\"key\\\":\\\"Legacy TLS (TLS 1.0, 1.1, 3DES)\\\",\\\"value\\\":\\\"False\\\"},"
                            "{\\\"key\\\":\\\"Is CAE Token\\\",\\\"value\\\":\\\"%s\\\"}]\"",
                       s->resource <= SG_GRAPH ? "True" : "False");
    else if (strcmp(n, "AuthenticationRequirement") == 0)
        sg_str(out, s->mfa_claim ? "multiFactorAuthentication" : "singleFactorAuthentication");
    else if (strcmp(n, "AutonomousSystemNumber") == 0) sg_str(out, sg_cities[s->city].asn);
    else if (strcmp(n, "ClientAppUsed") == 0) sg_str(out, app->browser ? "Browser" : "Mobile Apps and Desktop clients");
    else if (strcmp(n, "ConditionalAccessAudiences") == 0)
        kql_buf_printf(out, "\"[{\\\"applicationId\\\":\\\"%s\\\",\\\"audienceReasons\\\":\\\"none\\\"}]\"", res->id);
    else if (strcmp(n, "ConditionalAccessPolicies") == 0) {
        if (s->cap_kind == SG_CAP_BLANK)
            kql_buf_puts(out, "\"\"");
        else if (s->cap_kind == SG_CAP_EMPTY_LIST)
            kql_buf_puts(out, c->type == KQL_DYNAMIC && !s->as_text ? "[]" : "\"[]\"");
        else
            sg_put_jsonish(g, out, c->type, sg_val_cap);
    }
    else if (strcmp(n, "ConditionalAccessStatus") == 0) {
        bool failure = false, success = false;
        for (unsigned p = 0; p < SG_P_COUNT; p++)
            if (s->listed[p]) {
                failure = failure || s->elems[p].result == SG_R_FAILURE;
                success = success || s->elems[p].result == SG_R_SUCCESS;
            }
        sg_str(out, failure ? "failure" : success ? "success" : "notApplied");
    }
    else if (strcmp(n, "CrossTenantAccessType") == 0) sg_str(out, guest ? "b2bCollaboration" : "none");
    else if (strcmp(n, "DeviceDetail") == 0) sg_put_jsonish(g, out, c->type, sg_val_device);
    else if (strcmp(n, "LocationDetails") == 0) sg_put_jsonish(g, out, c->type, sg_val_location);
    else if (strcmp(n, "MfaDetail") == 0) sg_put_jsonish(g, out, c->type, sg_val_mfa);
    else if (strcmp(n, "Agent") == 0) sg_put_jsonish(g, out, c->type, sg_val_agent);
    else if (strcmp(n, "Status") == 0) sg_put_jsonish(g, out, c->type, sg_val_status);
    else if (strcmp(n, "TokenProtectionStatusDetails") == 0)
        sg_put_jsonish(g, out, c->type, s->tp_status < 0 ? NULL : sg_val_token_status);
    else if (strcmp(n, "Id") == 0) sg_str(out, s->id);
    else if (strcmp(n, "IncomingTokenType") == 0)
        sg_str(out, g->interactive ? "none" : app->platform == SG_WIN ? "primaryRefreshToken" : "refreshToken");
    else if (strcmp(n, "IPAddress") == 0) kql_buf_printf(out, "\"%s.%u.%u\"", sg_cities[s->city].ip_prefix, s->ip3, s->ip4);
    else if (strcmp(n, "IsInteractive") == 0) kql_buf_puts(out, g->interactive ? "true" : "false");
    else if (strcmp(n, "OriginalRequestId") == 0) sg_str(out, s->original_request_id);
    else if (strcmp(n, "ProcessingTimeInMs") == 0) kql_buf_printf(out, "\"%u\"", s->processing_ms);
    else if (strcmp(n, "ProcessingTimeInMilliseconds") == 0) kql_buf_printf(out, "\"%u\"", s->processing_ms2);
    else if (strcmp(n, "ResourceDisplayName") == 0) sg_str(out, res->name);
    else if (strcmp(n, "ResourceIdentity") == 0) sg_str(out, res->id);
    else if (strcmp(n, "ResourceServicePrincipalId") == 0) sg_str(out, res->sp_id);
    else if (strcmp(n, "SessionId") == 0) sg_str(out, s->session_id);
    else if (strcmp(n, "SignInEventTypes") == 0)
        sg_str(out, g->interactive ? "[\"interactiveUser\"]" : "[\"nonInteractiveUser\"]");
    else if (strcmp(n, "UniqueTokenIdentifier") == 0) sg_str(out, s->token_id);
    else if (strcmp(n, "UserAgent") == 0) sg_str(out, app->user_agent);
    else if (strcmp(n, "UserId") == 0) {
        char id[37];
        sg_stable_guid(g->opt->seed, 0, s->user, id);
        sg_str(out, id);
    }
    else if (strcmp(n, "UserType") == 0) sg_str(out, guest ? "Guest" : "Member");
    else if (strcmp(n, "Type") == 0) sg_str(out, g->opt->table);
    else if (strcmp(n, "_BilledSize") == 0) kql_buf_printf(out, "%zu.0", out->len + 24);   /* about the record's size */
    else return false;
    return true;
}

/* The record of g->s in g->rec, one line. */
static void sg_write_record(sg_gen *g)
{
    kql_buf *out = &g->rec;
    kql_buf_clear(out);
    kql_buf_putc(out, '{');
    for (size_t i = 0; i < g->schema->ncols; i++) {
        const kql_schema_column *c = &g->schema->cols[i];
        if (i)
            kql_buf_putc(out, ',');
        sg_str(out, c->name);
        kql_buf_putc(out, ':');
        if (!sg_put_column(g, c, out))
            kql_buf_puts(out, "null");
    }
    kql_buf_puts(out, "}\n");
}

int signin_gen_knows(const char *table)
{
    return strcmp(table, "AADNonInteractiveUserSignInLogs") == 0 || strcmp(table, "SigninLogs") == 0;
}

int signin_gen_write(FILE *out, const signin_gen_options *o)
{
    sg_gen g = {.opt = o, .schema = kql_schema_find(o->table), .interactive = strcmp(o->table, "SigninLogs") == 0};
    sg_seed(&g.rng, o->seed);
    g.nusers = SG_LEN(sg_users) + (o->rows >= 1000 ? (size_t)(o->rows / 200 < 20000 ? o->rows / 200 : 20000) : 0);
    kql_buf_init(&g.val);
    kql_buf_init(&g.rec);

    int64_t end = o->now - 60 * (int64_t)KQL_TICKS_PER_SECOND, start = end - o->span;
    int64_t step = o->rows ? o->span / (int64_t)o->rows : 0;
    if (step < 1)
        step = 1;
    int64_t ago7 = o->now - 7 * 86400 * (int64_t)KQL_TICKS_PER_SECOND;
    int boundary = start < ago7 && ago7 < end ? 0 : 2;   /* 0: before it, 1: on it, 2: past it */
    int rc = 0;
    for (uint64_t i = 0; i < o->rows && rc == 0; i++) {
        /* a sign-in ingested twice: the same record again */
        if (i > 0 && sg_chance(&g.rng, 10)) {
            if (fwrite(g.rec.data, 1, g.rec.len, out) != g.rec.len)
                rc = -1;
            continue;
        }
        int64_t t = start + step * (int64_t)i + (int64_t)sg_below(&g.rng, (uint64_t)step);
        if (boundary == 0 && t >= ago7) {
            t = ago7;
            boundary = 1;
        } else if (boundary == 1) {
            t = ago7 + 1;
            boundary = 2;
        }
        sg_make_signin(&g, t);
        sg_write_record(&g);
        if (fwrite(g.rec.data, 1, g.rec.len, out) != g.rec.len)
            rc = -1;
    }
    kql_buf_free(&g.val);
    kql_buf_free(&g.rec);
    return rc;
}
