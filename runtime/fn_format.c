/* fn_format.c - values rendered as text by a format: format_datetime,
 * format_timespan, format_bytes.
 *
 * The format strings are .NET custom format strings restricted to the
 * elements the Kusto docs list (y, M, d, h, H, m, s, f, F, tt, ...). Any
 * other character is copied as it is, so the documented delimiters
 * (space / - : , . _ [ ]) and anything else a query writes come through.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fn_common.h"

/* The broken-down value a format reads from. */
typedef struct parts {
    int64_t year, days;          /* days: timespans only (whole days) */
    int month, day, weekday;     /* weekday 0 = Sunday */
    int hour, minute, second;
    int64_t fraction;            /* ticks within the second, 0..9999999 */
} parts;

/* Length of the run of s[i]'s character starting at i. */
static size_t run_of(const char *s, size_t len, size_t i)
{
    size_t k = i;
    while (k < len && s[k] == s[i])
        k++;
    return k - i;
}

static void put_num(kql_buf *out, int64_t v, int width)
{
    kql_buf_printf(out, "%0*lld", width, (long long)v);
}

/* f (always `digits` digits) and F (trailing zeros dropped, nothing when
 * zero): the fraction's first digits, 1..7 of them. */
static void put_fraction(kql_buf *out, int64_t fraction, size_t digits, bool trim, bool drop_dot)
{
    if (digits > 7)
        digits = 7;
    int64_t v = fraction;
    for (size_t k = digits; k < 7; k++)
        v /= 10;
    if (!trim) {
        put_num(out, v, (int)digits);
        return;
    }
    while (digits > 0 && v % 10 == 0) {
        v /= 10;
        digits--;
    }
    if (digits > 0)
        put_num(out, v, (int)digits);
    else if (drop_dot && out->len > 0 && out->data[out->len - 1] == '.')
        out->len--;   /* .NET drops the '.' before an empty F: "ss.FFF" -> "05" */
}

static const char *const month_names[] = { "January", "February", "March", "April", "May", "June",
                                           "July", "August", "September", "October", "November",
                                           "December" };
static const char *const day_names[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                         "Friday", "Saturday" };

/* A name, whole (4 letters or more in the format) or its first three letters. */
static void put_name(kql_buf *out, const char *name, size_t run)
{
    kql_buf_put(out, name, run >= 4 ? strlen(name) : 3);
}

/* Renders p by fmt into out; timespan: d counts days and h is the hour
 * of the day like H. */
static void format_parts(const parts *p, kql_str fmt, bool timespan, kql_buf *out)
{
    const char *f = fmt.len ? fmt.ptr : "";
    for (size_t i = 0; i < fmt.len;) {
        size_t run = run_of(f, fmt.len, i);
        int two = run >= 2 ? 2 : 1;
        switch (f[i]) {
        case 'y':
            if (timespan)
                goto literal;
            if (run <= 2)
                put_num(out, p->year % 100, (int)run);
            else
                put_num(out, p->year, run > 9 ? 9 : (int)run);
            break;
        case 'M':
            if (timespan)
                goto literal;
            if (run <= 2)
                put_num(out, p->month, (int)run);
            else
                put_name(out, month_names[p->month - 1], run);
            break;
        case 'd':
            if (timespan)
                put_num(out, p->days, run > 8 ? 8 : (int)run);
            else if (run <= 2)
                put_num(out, p->day, (int)run);
            else
                put_name(out, day_names[p->weekday], run);
            break;
        case 'h':
            put_num(out, timespan ? p->hour : (p->hour + 11) % 12 + 1, two);
            break;
        case 'H':
            put_num(out, p->hour, two);
            break;
        case 'm':
            put_num(out, p->minute, two);
            break;
        case 's':
            put_num(out, p->second, two);
            break;
        case 'f':
        case 'F':
            put_fraction(out, p->fraction, run, f[i] == 'F', !timespan);
            break;
        case 't':
            if (timespan)
                goto literal;
            kql_buf_put(out, p->hour < 12 ? "AM" : "PM", run >= 2 ? 2 : 1);
            break;
        default:
        literal:
            kql_buf_put(out, f + i, run);
        }
        i += run;
    }
}

KQL_FN_RULE(kql_fnt_format_datetime, "format_datetime", "ds", KQL_STRING)

/* format_datetime docs: datetime(2017-01-29 09:00:05) with
 * 'yy-MM-dd [hh:mm:ss tt]' -> "17-01-29 [09:00:05 AM]". A null date gives "". */
void kql_fn_format_datetime(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    if (args[0].is_null) {
        *out = kql_string("", 0);
        return;
    }
    int64_t t = args[0].u.i, day = kql_floor_div(t, KQL_TICKS_PER_DAY), in_day = t - day * KQL_TICKS_PER_DAY;
    parts p = { 0 };
    kql_civil_from_days(day, &p.year, &p.month, &p.day);
    p.weekday = (int)((day + 1) % 7);   /* day 0 (0001-01-01) was a Monday */
    int64_t sec = in_day / KQL_TICKS_PER_SECOND;
    p.hour = (int)(sec / 3600);
    p.minute = (int)(sec / 60 % 60);
    p.second = (int)(sec % 60);
    p.fraction = in_day % KQL_TICKS_PER_SECOND;
    kql_buf_clear(&ctx->scratch);
    format_parts(&p, args[1].u.s, false, &ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_format_timespan, "format_timespan", "ts", KQL_STRING)

/* format_timespan docs: time(29.09:00:05.12345) with 'ddd.h:mm:ss [fffffff]'
 * -> "029.9:00:05 [1234500]". The parts are those of the magnitude; a
 * negative timespan gets a leading '-'. */
void kql_fn_format_timespan(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    if (args[0].is_null) {
        *out = kql_string("", 0);
        return;
    }
    int64_t t = args[0].u.i;
    /* the magnitude as unsigned: -INT64_MIN doesn't fit an int64 */
    uint64_t mag = t < 0 ? 0 - (uint64_t)t : (uint64_t)t;
    uint64_t sec = mag / KQL_TICKS_PER_SECOND;
    parts p = { 0 };
    p.days = (int64_t)(sec / 86400);
    p.hour = (int)(sec / 3600 % 24);
    p.minute = (int)(sec / 60 % 60);
    p.second = (int)(sec % 60);
    p.fraction = (int64_t)(mag % KQL_TICKS_PER_SECOND);
    kql_buf_clear(&ctx->scratch);
    if (t < 0)
        kql_buf_putc(&ctx->scratch, '-');
    format_parts(&p, args[1].u.s, true, &ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_format_bytes, "format_bytes", "nis", KQL_STRING)

/* format_bytes(size [, precision [, units]]): size in 1024-based units,
 * rounded to `precision` decimals (half away from zero, like round()) and
 * printed without trailing zeros: 20010332 -> "19 MB", with precision 2
 * "19.08 MB", in "KB" "19541 KB" (the docs' examples). Empty or unknown
 * units pick the largest unit the size reaches. */
void kql_fn_format_bytes(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    static const char *const units[] = { "Bytes", "KB", "MB", "GB", "TB", "PB", "EB" };
    const int nunits = (int)(sizeof units / sizeof units[0]);
    if (args[0].is_null || (n > 1 && args[1].is_null)) {
        *out = kql_string("", 0);
        return;
    }
    double size = kql_fn_as_real(&args[0]);
    int64_t precision = n > 1 ? args[1].u.i : 0;
    if (precision < 0)
        precision = 0;
    if (precision > 15)
        precision = 15;   /* a double has no more digits to show */
    int unit = -1;
    if (n > 2)
        for (int u = 0; u < nunits; u++)
            if (strlen(units[u]) == args[2].u.s.len &&
                strncasecmp(units[u], args[2].u.s.ptr, args[2].u.s.len) == 0)
                unit = u;
    if (unit < 0)
        for (unit = 0; unit + 1 < nunits && fabs(size) >= ldexp(1.0, 10 * (unit + 1));)
            unit++;
    double v = size / ldexp(1.0, 10 * unit), scale = pow(10.0, (double)precision);
    double r = round(v * scale) / scale;
    if (!isfinite(r))
        r = v;   /* the scaling overflowed: show the value unrounded */
    char num[32];
    size_t len = kql_real_format(r == 0 ? 0.0 : r, num);   /* no "-0" */
    kql_buf_clear(&ctx->scratch);
    kql_buf_put(&ctx->scratch, num, len);
    kql_buf_putc(&ctx->scratch, ' ');
    kql_buf_puts(&ctx->scratch, units[unit]);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}
