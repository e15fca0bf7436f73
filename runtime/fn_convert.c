/* fn_convert.c - explicit conversions: tostring, toint, tolong, toreal,
 * tobool, todatetime, totimespan, toguid, todynamic/parse_json.
 *
 * Kusto's rule (NOTES §17): a conversion that fails gives null, never an
 * error. Every to*() accepts any argument type; a dynamic argument is
 * converted through the scalar it holds (arrays and bags give null).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic.h"
#include "fn_common.h"


/* The scalar a to*() converts: v itself, or the scalar a dynamic holds.
 * False for null, and for a dynamic holding null, an array or a bag. */
static bool conv_source(const kql_value *v, kql_value *out)
{
    if (kql_fn_is_null(v))
        return false;
    if (v->type != KQL_DYNAMIC) {
        *out = *v;
        return true;
    }
    kql_dyn d = (kql_dyn)v->u.s.ptr;
    kql_dyn_tag tag = kql_dyn_tag_of(d);
    if (tag == KQL_DYN_ARRAY || tag == KQL_DYN_OBJECT)
        return false;
    *out = kql_dyn_to_scalar(d);
    return !out->is_null;
}

/* A string value's text without leading and trailing white space. */
static kql_str trimmed_text(const kql_value *v)
{
    kql_str t = {v->u.s.ptr, v->u.s.len};
    while (t.len && isspace((unsigned char)t.ptr[0])) {
        t.ptr++;
        t.len--;
    }
    while (t.len && isspace((unsigned char)t.ptr[t.len - 1]))
        t.len--;
    return t;
}

/* Decimal integer text (optional sign); false on anything else or overflow. */
static bool parse_long_text(const char *p, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (p[i] == '+' || p[i] == '-'))
        neg = p[i++] == '-';
    if (i == len)
        return false;
    uint64_t mag = 0;
    for (; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        unsigned digit = (unsigned)(p[i] - '0');
        if (mag > (UINT64_MAX - digit) / 10)
            return false;
        mag = mag * 10 + digit;
    }
    if (neg ? mag > (uint64_t)INT64_MAX + 1 : mag > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

/* Real number text: decimal, exponent, NaN and infinities; no hex. */
static bool parse_real_text(const char *p, size_t len, double *out)
{
    char tmp[128];
    if (len == 0 || len >= sizeof tmp || memchr(p, 'x', len) || memchr(p, 'X', len))
        return false;
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    char *end;
    *out = strtod(tmp, &end);
    return end == tmp + len;
}

static bool to_long(const kql_value *arg, int64_t *out)
{
    kql_value s;
    if (!conv_source(arg, &s))
        return false;
    switch (s.type) {
    case KQL_BOOL:
    case KQL_INT:
    case KQL_LONG:
    case KQL_REAL:
    case KQL_DATETIME:   /* ticks, as tolong(datetime) in Kusto */
    case KQL_TIMESPAN:
        return kql_fn_as_long(&s, out);
    case KQL_STRING: {
        kql_str t = trimmed_text(&s);
        if (parse_long_text(t.ptr, t.len, out))
            return true;
        kql_value r = kql_real(0);
        /* "2.7" -> 2: the docs truncate a decimal input to its integer part */
        return parse_real_text(t.ptr, t.len, &r.u.r) && kql_fn_as_long(&r, out);
    }
    default:
        return false;
    }
}

static bool to_real(const kql_value *arg, double *out)
{
    kql_value s;
    if (!conv_source(arg, &s))
        return false;
    switch (s.type) {
    case KQL_BOOL:
    case KQL_INT:
    case KQL_LONG:
    case KQL_REAL:
    case KQL_DATETIME:
    case KQL_TIMESPAN:
        *out = kql_fn_as_real(&s);
        return true;
    case KQL_STRING: {
        kql_str t = trimmed_text(&s);
        return parse_real_text(t.ptr, t.len, out);
    }
    default:
        return false;
    }
}

KQL_FN_RULE(kql_fnt_tostring, "tostring", "a", KQL_STRING)

void kql_fn_tostring(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    if (args[0].type == KQL_STRING) {
        *out = args[0];
        out->is_null = false;
        return;
    }
    kql_buf_clear(&ctx->scratch);
    kql_value_to_text(&args[0], &ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_toint, "toint", "a", KQL_INT)

void kql_fn_toint(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    int64_t i;
    /* outside the 32-bit range there is no int to give: null, not a wrap */
    if (to_long(&args[0], &i) && i >= INT32_MIN && i <= INT32_MAX)
        *out = kql_int((int32_t)i);
    else
        *out = kql_null(KQL_INT);
}

KQL_FN_RULE(kql_fnt_tolong, "tolong", "a", KQL_LONG)

void kql_fn_tolong(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    int64_t i;
    *out = to_long(&args[0], &i) ? kql_long(i) : kql_null(KQL_LONG);
}

KQL_FN_RULE(kql_fnt_toreal, "toreal", "a", KQL_REAL)

void kql_fn_toreal(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    double r;
    *out = to_real(&args[0], &r) ? kql_real(r) : kql_null(KQL_REAL);
}

static bool to_bool(const kql_value *arg, bool *out)
{
    kql_value s;
    if (!conv_source(arg, &s))
        return false;
    switch (s.type) {
    case KQL_BOOL:
        *out = s.u.b;
        return true;
    case KQL_INT:
    case KQL_LONG:
        *out = s.u.i != 0;   /* tobool(123) is true */
        return true;
    case KQL_REAL:
        if (isnan(s.u.r))
            return false;
        *out = s.u.r != 0;
        return true;
    case KQL_STRING: {
        kql_str t = trimmed_text(&s);
        int64_t i;
        if (t.len == 4 && strncasecmp(t.ptr, "true", 4) == 0)
            *out = true;
        else if (t.len == 5 && strncasecmp(t.ptr, "false", 5) == 0)
            *out = false;
        else if (parse_long_text(t.ptr, t.len, &i))
            *out = i != 0;
        else
            return false;
        return true;
    }
    default:
        return false;
    }
}

KQL_FN_RULE(kql_fnt_tobool, "tobool", "a", KQL_BOOL)

void kql_fn_tobool(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    bool b;
    *out = to_bool(&args[0], &b) ? kql_bool(b) : kql_null(KQL_BOOL);
}

/* datetime and timespan share the parse-or-ticks shape */
static bool to_ticks(const kql_value *arg, kql_type want, int64_t *out)
{
    kql_value s;
    if (!conv_source(arg, &s))
        return false;
    switch (s.type) {
    case KQL_DATETIME:
    case KQL_TIMESPAN:
        if (s.type != want)
            return false;
        *out = s.u.i;
        return true;
    case KQL_INT:
    case KQL_LONG:
        /* a number is taken as ticks, the inverse of tolong(datetime) */
        *out = s.u.i;
        return true;
    case KQL_STRING:
        return want == KQL_DATETIME ? kql_datetime_parse(s.u.s.ptr, s.u.s.len, out)
                                    : kql_timespan_parse(s.u.s.ptr, s.u.s.len, out);
    default:
        return false;
    }
}

KQL_FN_RULE(kql_fnt_todatetime, "todatetime", "a", KQL_DATETIME)

void kql_fn_todatetime(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    int64_t t;
    if (to_ticks(&args[0], KQL_DATETIME, &t) && t >= 0 && t <= KQL_MAX_DATETIME_TICKS)
        *out = kql_datetime(t);
    else
        *out = kql_null(KQL_DATETIME);
}

KQL_FN_RULE(kql_fnt_totimespan, "totimespan", "a", KQL_TIMESPAN)

void kql_fn_totimespan(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    int64_t t;
    *out = to_ticks(&args[0], KQL_TIMESPAN, &t) ? kql_timespan(t) : kql_null(KQL_TIMESPAN);
}

static bool to_guid(const kql_value *arg, kql_guid *out)
{
    kql_value s;
    if (!conv_source(arg, &s))
        return false;
    switch (s.type) {
    case KQL_GUID:
        *out = s.u.g;
        return true;
    case KQL_STRING: {
        kql_str t = trimmed_text(&s);
        return kql_guid_parse(t.ptr, t.len, out);
    }
    default:
        return false;
    }
}

KQL_FN_RULE(kql_fnt_toguid, "toguid", "a", KQL_GUID)

void kql_fn_toguid(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    kql_guid g;
    if (to_guid(&args[0], &g)) {
        *out = kql_null(KQL_GUID);
        out->is_null = false;
        out->u.g = g;
    } else {
        *out = kql_null(KQL_GUID);
    }
}

KQL_FN_RULE(kql_fnt_todynamic, "parse_json", "a", KQL_DYNAMIC)

/* parse_json: a dynamic is used as is; a string holding JSON is parsed; a
 * string that isn't JSON becomes a dynamic string holding the text (as the
 * parse_json docs say); null or "" gives a dynamic null. Other scalars are
 * wrapped as they are. */
void kql_fn_todynamic(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    const kql_value *v = &args[0];
    if (v->type == KQL_DYNAMIC) {
        *out = *v;
        return;
    }
    if (v->is_null || (v->type == KQL_STRING && v->u.s.len == 0)) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    kql_buf_clear(&ctx->scratch);
    if (v->type == KQL_STRING) {
        size_t bad;
        if (!kql_dyn_from_json(v->u.s.ptr, v->u.s.len, &ctx->scratch, &bad)) {
            kql_buf_clear(&ctx->scratch);
            kql_dyn_put_string(&ctx->scratch, v->u.s.ptr, v->u.s.len);
        }
    } else {
        kql_dyn_put_value(&ctx->scratch, v);
    }
    *out = kql_fn_dynamic_out(ctx, 0);
}
