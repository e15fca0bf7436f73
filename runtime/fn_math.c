/* fn_math.c - numeric functions: round, abs, sqrt, pow, log, log10, log2,
 * exp, exp2, exp10, ceiling, sign, isnan, isinf, isfinite, pi, min_of,
 * max_of and trigonometry. (floor is bin, in fn_datetime.c.)
 *
 * Real arithmetic follows IEEE: inf and NaN flow through, never a trap.
 * Integer results that would overflow are null. Where the docs say so,
 * a value outside the domain is null too (sqrt(-1), log(-1)).
 */
#include <math.h>

#include "column.h"
#include "fn_common.h"

static bool is_integer(kql_type t)
{
    return t == KQL_INT || t == KQL_LONG;
}

/* ---- round ---- */

kql_type kql_fnt_round(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (!kql_fn_check("round", args, n, "ni", err, errlen))
        return KQL_TYPE_UNKNOWN;
    return is_integer(args[0]) ? KQL_LONG : KQL_REAL;
}

/* Scale, round half away from zero, scale back (NOTES §14): round(2.15, 1)
 * is 2.2 because 2.15 * 10 rounds to exactly 21.5, even though the double
 * nearest 2.15 is a bit below it. A negative precision rounds to tens,
 * hundreds, ...: round(-50.55, -2) = -100, round(21.5, -1) = 20. */
static double round_real(double x, int64_t digits)
{
    if (!isfinite(x))
        return x;
    if (digits >= 0) {
        if (digits > 330)
            return x;
        double f = pow(10.0, (double)digits), y = x * f;
        return isfinite(y) ? round(y) / f : x;
    }
    if (digits < -330)
        return 0.0 * x;
    double f = pow(10.0, (double)-digits);
    return round(x / f) * f;
}

/* Integers only change for a negative precision; false on overflow. */
static bool round_long(int64_t v, int64_t digits, int64_t *out)
{
    if (digits >= 0) {
        *out = v;
        return true;
    }
    if (digits < -18) {   /* 10^19 exceeds every int64 */
        *out = 0;
        return true;
    }
    int64_t f = 1;
    for (int64_t i = 0; i < -digits; i++)
        f *= 10;
    int64_t q = v / f, r = v % f;
    /* |r| * 2 >= f, written so it can't overflow */
    if (r >= f - r)
        q++;
    else if (-r >= f + r)
        q--;
    return !__builtin_mul_overflow(q, f, out);
}

void kql_fn_round(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    kql_type rt = is_integer(args[0].type) ? KQL_LONG : KQL_REAL;
    if (args[0].is_null || (n > 1 && args[1].is_null)) {
        *out = kql_null(rt);
        return;
    }
    int64_t digits = n > 1 ? args[1].u.i : 0, r;
    if (rt == KQL_REAL)
        *out = kql_real(round_real(args[0].u.r, digits));
    else
        *out = round_long(args[0].u.i, digits, &r) ? kql_long(r) : kql_null(KQL_LONG);
}

/* ---- abs, ceiling, sign ---- */

kql_type kql_fnt_abs(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n == 1 && args[0] == KQL_TIMESPAN)
        return KQL_TIMESPAN;
    return kql_fn_check("abs", args, n, "n", err, errlen) ? args[0] : KQL_TYPE_UNKNOWN;
}

/* The same type back; abs of the most negative int/long has no value: null. */
void kql_fn_abs(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    *out = args[0];
    if (args[0].is_null)
        return;
    if (args[0].type == KQL_REAL) {
        out->u.r = fabs(args[0].u.r);
        return;
    }
    int64_t lowest = args[0].type == KQL_INT ? INT32_MIN : INT64_MIN;
    if (args[0].u.i == lowest)
        *out = kql_null(args[0].type);
    else if (args[0].u.i < 0)
        out->u.i = -args[0].u.i;
}

kql_type kql_fnt_ceiling(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return kql_fn_check("ceiling", args, n, "n", err, errlen) ? args[0] : KQL_TYPE_UNKNOWN;
}

void kql_fn_ceiling(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    *out = args[0];
    if (!args[0].is_null && args[0].type == KQL_REAL)
        out->u.r = ceil(args[0].u.r);
}

KQL_FN_RULE(kql_fnt_sign, "sign", "n", KQL_REAL)

void kql_fn_sign(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    if (args[0].is_null) {
        *out = kql_null(KQL_REAL);
        return;
    }
    double x = kql_fn_as_real(&args[0]);
    *out = kql_real(isnan(x) ? x : x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0);
}

/* ---- real -> real ---- */

/* sqrt and the logarithms are null outside their domain (the docs' rule);
 * log(0) is -inf, which is in it. */
static double fn_sqrt(double x) { return x < 0 ? NAN : sqrt(x); }
static double fn_log(double x) { return x < 0 ? NAN : log(x); }
static double fn_log10(double x) { return x < 0 ? NAN : log10(x); }
static double fn_log2(double x) { return x < 0 ? NAN : log2(x); }
static double fn_exp10(double x) { return pow(10.0, x); }
static double fn_degrees(double x) { return x * (180.0 / M_PI); }
static double fn_radians(double x) { return x * (M_PI / 180.0); }

/* null_on_nan: a NaN result from a non-NaN input means "outside the domain" */
static void real_fn(const kql_value *arg, double (*f)(double), bool null_on_nan, kql_value *out)
{
    if (arg->is_null) {
        *out = kql_null(KQL_REAL);
        return;
    }
    double x = kql_fn_as_real(arg), y = f(x);
    *out = null_on_nan && isnan(y) && !isnan(x) ? kql_null(KQL_REAL) : kql_real(y);
}

#define REAL_FN(name, f, null_on_nan) \
    KQL_FN_DEFINE(name, "n", KQL_REAL, real_fn(&args[0], f, null_on_nan, out))

REAL_FN(sqrt, fn_sqrt, true)
REAL_FN(log, fn_log, true)
REAL_FN(log10, fn_log10, true)
REAL_FN(log2, fn_log2, true)
REAL_FN(exp, exp, false)
REAL_FN(exp2, exp2, false)
REAL_FN(exp10, fn_exp10, false)
REAL_FN(sin, sin, false)
REAL_FN(cos, cos, false)
REAL_FN(tan, tan, false)
REAL_FN(asin, asin, false)
REAL_FN(acos, acos, false)
REAL_FN(atan, atan, false)
REAL_FN(degrees, fn_degrees, false)
REAL_FN(radians, fn_radians, false)

KQL_FN_RULE(kql_fnt_pow, "pow", "nn", KQL_REAL)

void kql_fn_pow(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    *out = args[0].is_null || args[1].is_null
               ? kql_null(KQL_REAL)
               : kql_real(pow(kql_fn_as_real(&args[0]), kql_fn_as_real(&args[1])));
}

KQL_FN_RULE(kql_fnt_atan2, "atan2", "nn", KQL_REAL)

void kql_fn_atan2(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    *out = args[0].is_null || args[1].is_null
               ? kql_null(KQL_REAL)
               : kql_real(atan2(kql_fn_as_real(&args[0]), kql_fn_as_real(&args[1])));
}

KQL_FN_RULE(kql_fnt_pi, "pi", "", KQL_REAL)

void kql_fn_pi(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)args, (void)n;
    *out = kql_real(M_PI);
}

/* ---- classification ---- */

#define CLASSIFY(name, test)                                                 \
    KQL_FN_DEFINE(name, "n", KQL_BOOL, double x = kql_fn_as_real(&args[0]); \
                  *out = args[0].is_null ? kql_null(KQL_BOOL) : kql_bool(test))

CLASSIFY(isnan, isnan(x))
CLASSIFY(isinf, isinf(x))
CLASSIFY(isfinite, isfinite(x))

/* ---- min_of / max_of ---- */

/* The arguments' common type; orderable scalars only. */
static kql_type extreme_type(const char *fname, const kql_type *args, size_t n, char *err,
                             size_t errlen)
{
    kql_type t = args[0];
    for (size_t i = 1; i < n; i++) {
        kql_type c = kql_fn_common_type(t, args[i]);
        if (c == KQL_TYPE_UNKNOWN)
            return kql_fn_fail(err, errlen, "%s(): the arguments have different types: %s and %s",
                               fname, kql_type_name(t), kql_type_name(args[i]));
        t = c;
    }
    if (t == KQL_DYNAMIC || t == KQL_GUID || t == KQL_TYPE_UNKNOWN || t >= KQL_TYPE_COUNT)
        return kql_fn_fail(err, errlen, "%s(): cannot order values of type %s", fname,
                           t > KQL_TYPE_UNKNOWN && t < KQL_TYPE_COUNT ? kql_type_name(t) : "unknown");
    return t;
}

/* Nulls are ignored; all null gives null (min_of docs). */
static void extreme(const kql_value *args, size_t n, int want, kql_value *out)
{
    kql_type t = args[0].type;
    for (size_t i = 1; i < n; i++)
        t = kql_fn_common_type(t, args[i].type);
    *out = kql_null(t);
    for (size_t i = 0; i < n; i++) {
        if (args[i].is_null)
            continue;
        kql_value v = kql_fn_widen(&args[i], t);
        if (out->is_null || kql_value_compare(&v, out) * want > 0)
            *out = v;
    }
}

kql_type kql_fnt_min_of(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return extreme_type("min_of", args, n, err, errlen);
}

void kql_fn_min_of(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    extreme(args, n, -1, out);
}

kql_type kql_fnt_max_of(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return extreme_type("max_of", args, n, err, errlen);
}

void kql_fn_max_of(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    extreme(args, n, 1, out);
}
