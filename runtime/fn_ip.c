/* fn_ip.c - IPv4 functions: parse_ipv4, parse_ipv4_mask, ipv4_compare,
 * ipv4_is_match, ipv4_is_in_range, ipv4_is_in_any_range, ipv4_is_private,
 * ipv4_netmask_suffix, format_ipv4, format_ipv4_mask, and the text searches
 * has_ipv4, has_ipv4_prefix, has_any_ipv4, has_any_ipv4_prefix; and the
 * IPv6 functions parse_ipv6, ipv6_compare, ipv6_is_match, ipv6_is_in_range,
 * ipv6_is_in_any_range, which take IPv4 text too (as ::ffff:a.b.c.d).
 *
 * Addresses are dotted quads with an optional "/prefix" (CIDR, 0..32).
 * Two addresses compare under the shorter of their prefixes and the
 * optional prefix argument. Text that isn't an address gives null (the
 * has_* searches give false), as the docs say.
 */
#include <stdio.h>
#include <string.h>

#include "fn_common.h"

typedef struct ipv4 { uint32_t addr; int prefix; } ipv4;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_alnum(unsigned char c)
{
    return is_digit((char)c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* A decimal number of 1..3 digits at s[*i], at most max. */
static bool parse_small(const char *s, size_t len, size_t *i, unsigned max, unsigned *out)
{
    size_t start = *i;
    unsigned v = 0;
    while (*i < len && is_digit(s[*i]) && *i - start < 3)
        v = v * 10 + (unsigned)(s[(*i)++] - '0');
    *out = v;
    return *i > start && v <= max && !(*i < len && is_digit(s[*i]));
}

/* "a.b.c.d" with an optional "/n"; surrounding blanks are ignored. */
static bool parse_ip(const char *s, size_t len, ipv4 *ip)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    uint32_t addr = 0;
    for (int k = 0; k < 4; k++) {
        unsigned octet;
        if (k && (i >= len || s[i++] != '.'))
            return false;
        if (!parse_small(s, len, &i, 255, &octet))
            return false;
        addr = addr << 8 | octet;
    }
    unsigned prefix = 32;
    if (i < len && s[i] == '/') {
        i++;
        if (!parse_small(s, len, &i, 32, &prefix))
            return false;
    }
    if (i != len)
        return false;
    ip->addr = addr;
    ip->prefix = (int)prefix;
    return true;
}

static uint32_t mask_of(int prefix)
{
    return prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
}

/* A string argument as an address; false when it isn't one. */
static bool ip_arg(const kql_value *v, ipv4 *ip)
{
    return v->type == KQL_STRING && parse_ip(v->u.s.ptr, v->u.s.len, ip);
}

/* The optional prefix argument at args[i] (32 when absent); false when it
 * is null or outside 0..32. */
static bool prefix_arg(const kql_value *args, size_t n, size_t i, int *prefix)
{
    *prefix = 32;
    if (i >= n)
        return true;
    int64_t p;
    if (!kql_fn_as_long(&args[i], &p) || p < 0 || p > 32)
        return false;
    *prefix = (int)p;
    return true;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

/* -1, 0 or 1 comparing a and b under their combined prefix; false when one
 * isn't an address. */
static bool compare_args(const kql_value *args, size_t n, int *cmp)
{
    ipv4 a, b;
    int p;
    if (!ip_arg(&args[0], &a) || !ip_arg(&args[1], &b) || !prefix_arg(args, n, 2, &p))
        return false;
    uint32_t m = mask_of(min3(a.prefix, b.prefix, p));
    uint32_t x = a.addr & m, y = b.addr & m;
    *cmp = x < y ? -1 : x > y;
    return true;
}

KQL_FN_RULE(kql_fnt_ipv4_compare, "ipv4_compare", "ssi", KQL_LONG)

void kql_fn_ipv4_compare(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    int cmp;
    *out = compare_args(args, n, &cmp) ? kql_long(cmp) : kql_null(KQL_LONG);
}

KQL_FN_RULE(kql_fnt_ipv4_is_match, "ipv4_is_match", "ssi", KQL_BOOL)

void kql_fn_ipv4_is_match(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    int cmp;
    *out = compare_args(args, n, &cmp) ? kql_bool(cmp == 0) : kql_null(KQL_BOOL);
}

KQL_FN_RULE(kql_fnt_ipv4_is_in_range, "ipv4_is_in_range", "ss", KQL_BOOL)

/* Whether the address falls in the range (the range's prefix decides). */
static bool in_range(const ipv4 *ip, const ipv4 *range)
{
    uint32_t m = mask_of(range->prefix < ip->prefix ? range->prefix : ip->prefix);
    return (ip->addr & m) == (range->addr & m);
}

void kql_fn_ipv4_is_in_range(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    ipv4 ip, range;
    *out = ip_arg(&args[0], &ip) && ip_arg(&args[1], &range) ? kql_bool(in_range(&ip, &range))
                                                              : kql_null(KQL_BOOL);
}

/* Rules for the functions taking either strings or one dynamic array after
 * their first string argument. */
static kql_type strings_or_array(const char *fname, const kql_type *args, size_t n, kql_type result,
                                 char *err, size_t errlen)
{
    if (n < 2 || args[0] != KQL_STRING)
        return kql_fn_fail(err, errlen, "%s(): argument 1 must be a string", fname);
    if (n == 2 && args[1] == KQL_DYNAMIC)
        return result;
    for (size_t i = 1; i < n; i++)
        if (args[i] != KQL_STRING)
            return kql_fn_fail(err, errlen, "%s(): argument %zu must be a string (or the only "
                                            "one after the first, a dynamic array), got %s",
                               fname, i + 1, kql_type_name(args[i]));
    return result;
}

/* Calls fn(text, arg) for every string among args[1..n) or in the array
 * args[1]; stops and returns true at the first call returning true. */
static bool any_string(const kql_value *args, size_t n, bool (*fn)(kql_str s, const void *arg),
                       const void *arg)
{
    if (args[1].type == KQL_DYNAMIC) {
        kql_dyn arr = kql_fn_dyn_array(&args[1]);
        uint32_t k = arr ? kql_dyn_count(arr) : 0;
        kql_dyn e = k ? kql_dyn_first(arr) : NULL;
        for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e))
            if (kql_dyn_tag_of(e) == KQL_DYN_STRING && fn(kql_dyn_string(e), arg))
                return true;
        return false;
    }
    for (size_t i = 1; i < n; i++)
        if (fn(args[i].u.s, arg))
            return true;
    return false;
}

static bool range_holds(kql_str s, const void *arg)
{
    ipv4 range;
    return parse_ip(s.ptr, s.len, &range) && in_range(arg, &range);
}

kql_type kql_fnt_ipv4_is_in_any_range(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return strings_or_array("ipv4_is_in_any_range", args, n, KQL_BOOL, err, errlen);
}

/* Null when the address isn't one; ranges that aren't addresses never hold. */
void kql_fn_ipv4_is_in_any_range(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    ipv4 ip;
    *out = ip_arg(&args[0], &ip) ? kql_bool(any_string(args, n, range_holds, &ip)) : kql_null(KQL_BOOL);
}

KQL_FN_RULE(kql_fnt_ipv4_is_private, "ipv4_is_private", "s", KQL_BOOL)

/* RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16. A range is private
 * when it lies wholly inside one of them. */
void kql_fn_ipv4_is_private(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    static const ipv4 blocks[] = { { 0x0A000000u, 8 }, { 0xAC100000u, 12 }, { 0xC0A80000u, 16 } };
    ipv4 ip;
    if (!ip_arg(&args[0], &ip)) {
        *out = kql_null(KQL_BOOL);
        return;
    }
    bool private = false;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        private |= ip.prefix >= blocks[i].prefix && in_range(&ip, &blocks[i]);
    *out = kql_bool(private);
}

KQL_FN_RULE(kql_fnt_ipv4_netmask_suffix, "ipv4_netmask_suffix", "s", KQL_LONG)

void kql_fn_ipv4_netmask_suffix(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    ipv4 ip;
    *out = ip_arg(&args[0], &ip) ? kql_long(ip.prefix) : kql_null(KQL_LONG);
}

KQL_FN_RULE(kql_fnt_parse_ipv4, "parse_ipv4", "s", KQL_LONG)

/* The address as a number, masked by its prefix. */
void kql_fn_parse_ipv4(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    ipv4 ip;
    *out = ip_arg(&args[0], &ip) ? kql_long(ip.addr & mask_of(ip.prefix)) : kql_null(KQL_LONG);
}

KQL_FN_RULE(kql_fnt_parse_ipv4_mask, "parse_ipv4_mask", "si", KQL_LONG)

void kql_fn_parse_ipv4_mask(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    ipv4 ip;
    int p;
    *out = ip_arg(&args[0], &ip) && prefix_arg(args, n, 1, &p)
               ? kql_long(ip.addr & mask_of(p < ip.prefix ? p : ip.prefix))
               : kql_null(KQL_LONG);
}

kql_type kql_fnt_format_ipv4(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n && args[0] != KQL_STRING && args[0] != KQL_INT && args[0] != KQL_LONG)
        return kql_fn_fail(err, errlen, "format_ipv4(): argument 1 must be a string or a long, got %s",
                           kql_type_name(args[0]));
    return kql_fn_check("format_ipv4", args, n, "ai", err, errlen) ? KQL_STRING : KQL_TYPE_UNKNOWN;
}

/* The address (a string, or a number 0..2^32-1) masked, with the combined
 * prefix written after it when with_mask; empty text on bad input. */
static void format_ip(kql_fn_ctx *ctx, const kql_value *args, size_t n, bool with_mask, kql_value *out)
{
    ipv4 ip;
    int p;
    *out = kql_string("", 0);
    if (args[0].type == KQL_STRING) {
        if (!ip_arg(&args[0], &ip))
            return;
    } else {
        if (args[0].is_null || args[0].u.i < 0 || args[0].u.i > 0xFFFFFFFFLL)
            return;
        ip.addr = (uint32_t)args[0].u.i;
        ip.prefix = 32;
    }
    if (!prefix_arg(args, n, 1, &p))
        return;
    if (ip.prefix < p)
        p = ip.prefix;
    uint32_t a = ip.addr & mask_of(p);
    char buf[32];
    int len = with_mask ? snprintf(buf, sizeof buf, "%u.%u.%u.%u/%d", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255, p)
                        : snprintf(buf, sizeof buf, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
    *out = kql_fn_string_out(ctx, buf, (size_t)len);
}

void kql_fn_format_ipv4(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    format_ip(ctx, args, n, false, out);
}

kql_type kql_fnt_format_ipv4_mask(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n && args[0] != KQL_STRING && args[0] != KQL_INT && args[0] != KQL_LONG)
        return kql_fn_fail(err, errlen, "format_ipv4_mask(): argument 1 must be a string or a long, got %s",
                           kql_type_name(args[0]));
    return kql_fn_check("format_ipv4_mask", args, n, "ai", err, errlen) ? KQL_STRING : KQL_TYPE_UNKNOWN;
}

void kql_fn_format_ipv4_mask(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    format_ip(ctx, args, n, true, out);
}

/* ---- searching text for addresses ----
 * An address in text is a maximal run of digits and dots with no letter or
 * digit right before or after it ("05:04:54127.0.0.1" holds none); trailing
 * dots (the end of a sentence) are not part of it. */

typedef struct needle { kql_str text; bool prefix; } needle;

/* Calls match(run, arg) for every address in text; true at the first match. */
static bool scan_addresses(kql_str text, bool (*match)(kql_str run, const void *arg), const void *arg)
{
    const char *s = text.ptr;
    size_t len = text.len;
    for (size_t i = 0; i < len;) {
        if (!is_digit(s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && (is_digit(s[i]) || s[i] == '.'))
            i++;
        size_t end = i;
        while (end > start && s[end - 1] == '.')
            end--;
        bool bounded = (start == 0 || (!is_alnum((unsigned char)s[start - 1]) && s[start - 1] != '.')) &&
                       (i == len || !is_alnum((unsigned char)s[i]));
        ipv4 ip;
        kql_str run = { s + start, (uint32_t)(end - start) };
        if (bounded && parse_ip(run.ptr, run.len, &ip) && match(run, arg))
            return true;
        while (i < len && is_alnum((unsigned char)s[i]))
            i++;
    }
    return false;
}

static bool run_matches(kql_str run, const void *arg)
{
    const needle *nd = arg;
    if (nd->prefix)
        return run.len >= nd->text.len && memcmp(run.ptr, nd->text.ptr, nd->text.len) == 0;
    ipv4 a, b;
    return parse_ip(run.ptr, run.len, &a) && parse_ip(nd->text.ptr, nd->text.len, &b) && a.addr == b.addr;
}

/* A searchable needle: a plain address, or for prefixes 1..3 octets each
 * followed by a dot (or a whole address). */
static bool valid_needle(kql_str s, bool prefix)
{
    ipv4 ip;
    if (memchr(s.ptr, '/', s.len))
        return false;
    if (parse_ip(s.ptr, s.len, &ip))
        return true;
    if (!prefix || s.len == 0 || s.ptr[s.len - 1] != '.')
        return false;
    size_t i = 0;
    int octets = 0;
    while (i < s.len) {
        unsigned v;
        if (!parse_small(s.ptr, s.len, &i, 255, &v) || i >= s.len || s.ptr[i++] != '.')
            return false;
        octets++;
    }
    return octets >= 1 && octets <= 3;
}

typedef struct search { kql_str text; bool prefix; } search;

static bool found_in_text(kql_str s, const void *arg)
{
    const search *sr = arg;
    needle nd = { s, sr->prefix };
    return valid_needle(s, sr->prefix) && scan_addresses(sr->text, run_matches, &nd);
}

static void has_ip(const kql_value *args, size_t n, bool prefix, kql_value *out)
{
    search sr = { args[0].u.s, prefix };
    *out = kql_bool(any_string(args, n, found_in_text, &sr));
}

KQL_FN_DEFINE(has_ipv4, "ss", KQL_BOOL, has_ip(args, n, false, out))
KQL_FN_DEFINE(has_ipv4_prefix, "ss", KQL_BOOL, has_ip(args, n, true, out))

kql_type kql_fnt_has_any_ipv4(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return strings_or_array("has_any_ipv4", args, n, KQL_BOOL, err, errlen);
}

void kql_fn_has_any_ipv4(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    has_ip(args, n, false, out);
}

kql_type kql_fnt_has_any_ipv4_prefix(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return strings_or_array("has_any_ipv4_prefix", args, n, KQL_BOOL, err, errlen);
}

void kql_fn_has_any_ipv4_prefix(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    has_ip(args, n, true, out);
}

/* ---- IPv6 ---- */

typedef struct ipv6 { uint8_t b[16]; int prefix; } ipv6;

/* "x:x:x:x:x:x:x:x" with one optional "::" and an optional dotted IPv4
 * tail, or an IPv4 address (mapped to ::ffff:a.b.c.d, its prefix + 96);
 * then an optional "/prefix" (0..128). Surrounding blanks are ignored. */
static bool parse_ip6(const char *s, size_t len, ipv6 *ip)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    ipv4 v4;
    if (parse_ip(s, len, &v4)) {
        memset(ip->b, 0, 10);
        ip->b[10] = ip->b[11] = 0xFF;
        for (int k = 0; k < 4; k++)
            ip->b[12 + k] = (uint8_t)(v4.addr >> (24 - 8 * k));
        ip->prefix = v4.prefix + 96;
        return true;
    }
    const char *slash = memchr(s, '/', len);
    size_t alen = slash ? (size_t)(slash - s) : len;
    ip->prefix = 128;
    if (slash) {
        size_t i = alen + 1;
        unsigned p;
        if (!parse_small(s, len, &i, 128, &p) || i != len)
            return false;
        ip->prefix = (int)p;
    }
    uint16_t groups[8];
    int ngroups = 0, gap = -1;   /* gap: where "::" stands, in groups */
    size_t i = 0;
    if (alen >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < alen) {
        /* a dotted IPv4 tail fills the last two groups */
        const char *dot = memchr(s + i, '.', alen - i);
        const char *colon = memchr(s + i, ':', alen - i);
        if (dot && !colon) {
            ipv4 tail;
            if (ngroups > 6 || !parse_ip(s + i, alen - i, &tail) || tail.prefix != 32)
                return false;
            groups[ngroups++] = (uint16_t)(tail.addr >> 16);
            groups[ngroups++] = (uint16_t)tail.addr;
            i = alen;
            break;
        }
        unsigned v = 0;
        size_t start = i;
        int d;
        while (i < alen && i - start < 4 && (d = kql_hex_digit(s[i])) >= 0)
            v = v << 4 | (unsigned)d, i++;
        if (i == start || ngroups == 8 || (i < alen && s[i] != ':'))
            return false;
        groups[ngroups++] = (uint16_t)v;
        if (i < alen) {
            i++;   /* the ':' */
            if (i < alen && s[i] == ':') {
                if (gap >= 0)
                    return false;
                gap = ngroups;
                i++;
            } else if (i == alen) {
                return false;   /* a trailing single ':' */
            }
        }
    }
    if (gap < 0 ? ngroups != 8 : ngroups > 7)
        return false;
    int fill = 8 - ngroups;
    for (int g = 0, out = 0; g <= ngroups; g++) {
        if (g == gap)
            for (int k = 0; k < fill; k++, out++)
                ip->b[2 * out] = ip->b[2 * out + 1] = 0;
        if (g < ngroups) {
            ip->b[2 * out] = (uint8_t)(groups[g] >> 8);
            ip->b[2 * out + 1] = (uint8_t)groups[g];
            out++;
        }
    }
    return true;
}

static bool ip6_arg(const kql_value *v, ipv6 *ip)
{
    return v->type == KQL_STRING && parse_ip6(v->u.s.ptr, v->u.s.len, ip);
}

/* Clears every bit after the first `prefix`. */
static void mask6(ipv6 *ip, int prefix)
{
    for (int k = 0; k < 16; k++) {
        int keep = prefix - 8 * k;
        if (keep <= 0)
            ip->b[k] = 0;
        else if (keep < 8)
            ip->b[k] &= (uint8_t)(0xFF << (8 - keep));
    }
}

/* -1, 0 or 1 comparing a and b under the shortest of their prefixes and
 * the optional prefix argument (0..128); false when one isn't an address. */
static bool compare6(const kql_value *args, size_t n, int *cmp)
{
    ipv6 a, b;
    int64_t p = 128;
    if (!ip6_arg(&args[0], &a) || !ip6_arg(&args[1], &b) ||
        (n > 2 && (!kql_fn_as_long(&args[2], &p) || p < 0 || p > 128)))
        return false;
    int m = min3(a.prefix, b.prefix, (int)p);
    mask6(&a, m);
    mask6(&b, m);
    int c = memcmp(a.b, b.b, 16);
    *cmp = c < 0 ? -1 : c > 0;
    return true;
}

KQL_FN_RULE(kql_fnt_ipv6_compare, "ipv6_compare", "ssi", KQL_LONG)

void kql_fn_ipv6_compare(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    int cmp;
    *out = compare6(args, n, &cmp) ? kql_long(cmp) : kql_null(KQL_LONG);
}

KQL_FN_RULE(kql_fnt_ipv6_is_match, "ipv6_is_match", "ssi", KQL_BOOL)

void kql_fn_ipv6_is_match(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    int cmp;
    *out = compare6(args, n, &cmp) ? kql_bool(cmp == 0) : kql_null(KQL_BOOL);
}

static bool in_range6(const ipv6 *ip, const ipv6 *range)
{
    ipv6 a = *ip, b = *range;
    int m = range->prefix < ip->prefix ? range->prefix : ip->prefix;
    mask6(&a, m);
    mask6(&b, m);
    return memcmp(a.b, b.b, 16) == 0;
}

KQL_FN_RULE(kql_fnt_ipv6_is_in_range, "ipv6_is_in_range", "ss", KQL_BOOL)

void kql_fn_ipv6_is_in_range(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    ipv6 ip, range;
    *out = ip6_arg(&args[0], &ip) && ip6_arg(&args[1], &range) ? kql_bool(in_range6(&ip, &range))
                                                                : kql_null(KQL_BOOL);
}

static bool range6_holds(kql_str s, const void *arg)
{
    ipv6 range;
    return parse_ip6(s.ptr, s.len, &range) && in_range6(arg, &range);
}

kql_type kql_fnt_ipv6_is_in_any_range(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return strings_or_array("ipv6_is_in_any_range", args, n, KQL_BOOL, err, errlen);
}

void kql_fn_ipv6_is_in_any_range(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    ipv6 ip;
    *out = ip6_arg(&args[0], &ip) ? kql_bool(any_string(args, n, range6_holds, &ip))
                                  : kql_null(KQL_BOOL);
}

KQL_FN_RULE(kql_fnt_parse_ipv6, "parse_ipv6", "s", KQL_STRING)

/* parse_ipv6 docs: '192.168.255.255/24' ->
 * "0000:0000:0000:0000:0000:ffff:c0a8:ff00" (the prefix masks the address);
 * "" when the text isn't an address. */
void kql_fn_parse_ipv6(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    ipv6 ip;
    if (!ip6_arg(&args[0], &ip)) {
        *out = kql_string("", 0);
        return;
    }
    mask6(&ip, ip.prefix);
    char text[40];
    for (int g = 0; g < 8; g++)
        snprintf(text + 5 * g, 6, "%02x%02x%s", ip.b[2 * g], ip.b[2 * g + 1], g < 7 ? ":" : "");
    *out = kql_fn_string_out(ctx, text, 39);
}
