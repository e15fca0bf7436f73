/* fn_datetime.c - dates, times and binning: ago, now, bin/floor, bin_at,
 * startofday/week/month/year, endofday/week/month/year, dayofweek, dayofmonth,
 * dayofyear, getyear, getmonth, hourofday, minuteofhour, secondofminute,
 * datetime_add, datetime_diff, datetime_part, make_datetime, make_timespan,
 * unixtime_*_todatetime. (format_datetime and format_timespan are in
 * fn_format.c.)
 *
 * Datetimes are ticks (100 ns) since 0001-01-01, UTC, like .NET's
 * DateTime.Ticks; the calendar is proleptic Gregorian. A result outside
 * 0001-01-01 .. 9999-12-31 is null, and so is any arithmetic overflow.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "fn_common.h"

#define TICKS_PER_HOUR (3600LL * KQL_TICKS_PER_SECOND)
#define TICKS_PER_MINUTE (60LL * KQL_TICKS_PER_SECOND)

static kql_value datetime_or_null(int64_t t, bool ok)
{
    return ok && t >= 0 && t <= KQL_MAX_DATETIME_TICKS ? kql_datetime(t) : kql_null(KQL_DATETIME);
}

KQL_FN_RULE(kql_fnt_ago, "ago", "t", KQL_DATETIME)

void kql_fn_ago(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    int64_t t = 0;
    bool ok = !args[0].is_null && !__builtin_sub_overflow(ctx->now, args[0].u.i, &t);
    *out = datetime_or_null(t, ok);
}

KQL_FN_RULE(kql_fnt_now, "now", "t", KQL_DATETIME)

void kql_fn_now(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    if (n == 0) {
        *out = kql_datetime(ctx->now);
        return;
    }
    int64_t t = 0;
    bool ok = !args[0].is_null && !__builtin_add_overflow(ctx->now, args[0].u.i, &t);
    *out = datetime_or_null(t, ok);
}

/* ---- bin / floor / bin_at ---- */

static bool is_integer(kql_type t)
{
    return t == KQL_INT || t == KQL_LONG;
}

/* The result type of binning a `value` by `size`, or UNKNOWN. */
static kql_type bin_type(const char *fname, kql_type value, kql_type size, char *err, size_t errlen)
{
    if (is_integer(value) && is_integer(size))
        return KQL_LONG;
    if ((is_integer(value) || value == KQL_REAL) && (is_integer(size) || size == KQL_REAL))
        return KQL_REAL;
    if ((value == KQL_DATETIME || value == KQL_TIMESPAN) && size == KQL_TIMESPAN)
        return value;
    if (value == KQL_DATETIME || value == KQL_TIMESPAN)
        return kql_fn_fail(err, errlen, "%s(): the bin size of a %s must be a timespan, got %s",
                           fname, kql_type_name(value), kql_type_name(size));
    if (is_integer(value) || value == KQL_REAL)
        return kql_fn_fail(err, errlen, "%s(): the bin size of a number must be a number, got %s",
                           fname, kql_type_name(size));
    return kql_fn_fail(err, errlen,
                       "%s(): argument 1 must be a number, datetime or timespan, got %s",
                       fname, kql_type_name(value));
}

kql_type kql_fnt_bin(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n != 2)
        return kql_fn_fail(err, errlen, "bin(): expects 2 arguments (value, roundTo)");
    return bin_type("bin", args[0], args[1], err, errlen);
}

/* floor(v / size) * size in integers; false on a bad size or overflow. */
static bool bin_ticks(int64_t v, int64_t size, int64_t *out)
{
    if (size <= 0)
        return false;
    return !__builtin_mul_overflow(kql_floor_div(v, size), size, out);
}

/* Bins `v` by `size`; the result has type `rt` (bin's rule). Null, zero or
 * negative sizes give null (NOTES §13); the floor goes toward -inf. */
static kql_value bin_value(const kql_value *v, const kql_value *size, kql_type rt)
{
    if (v->is_null || size->is_null)
        return kql_null(rt);
    if (rt == KQL_REAL) {
        double x = kql_fn_as_real(v), s = kql_fn_as_real(size);
        if (!(s > 0))
            return kql_null(KQL_REAL);
        return kql_real(floor(x / s) * s);
    }
    int64_t r;
    if (!bin_ticks(v->u.i, size->u.i, &r))
        return kql_null(rt);
    if (rt == KQL_DATETIME)
        return datetime_or_null(r, true);
    kql_value out = kql_long(r);
    out.type = rt;
    return out;
}

void kql_fn_bin(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    *out = bin_value(&args[0], &args[1], bin_type("bin", args[0].type, args[1].type, NULL, 0));
}

kql_type kql_fnt_bin_at(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n != 3)
        return kql_fn_fail(err, errlen, "bin_at(): expects 3 arguments (value, bin_size, fixed_point)");
    kql_type rt = bin_type("bin_at", args[0], args[1], err, errlen);
    if (rt == KQL_TYPE_UNKNOWN)
        return rt;
    bool numeric = args[0] != KQL_DATETIME && args[0] != KQL_TIMESPAN;
    bool anchor_numeric = is_integer(args[2]) || args[2] == KQL_REAL;
    if (numeric ? !anchor_numeric : args[2] != args[0])
        return kql_fn_fail(err, errlen, "bin_at(): the fixed point must be a %s like the value, got %s",
                           numeric ? "number" : kql_type_name(args[0]), kql_type_name(args[2]));
    if (numeric && args[2] == KQL_REAL)
        rt = KQL_REAL;
    return rt;
}

/* bin_at(v, size, at) = bin(v - at, size) + at: bin_at(1h, 1d, 12h) = -12h. */
void kql_fn_bin_at(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    kql_type types[3] = { args[0].type, args[1].type, args[2].type };
    kql_type rt = kql_fnt_bin_at(types, 3, NULL, 0);
    if (args[0].is_null || args[1].is_null || args[2].is_null) {
        *out = kql_null(rt);
        return;
    }
    if (rt == KQL_REAL) {
        double at = kql_fn_as_real(&args[2]);
        kql_value shifted = kql_real(kql_fn_as_real(&args[0]) - at);
        *out = bin_value(&shifted, &args[1], KQL_REAL);
        if (!out->is_null)
            out->u.r += at;
        return;
    }
    int64_t shifted, r;
    if (__builtin_sub_overflow(args[0].u.i, args[2].u.i, &shifted) ||
        !bin_ticks(shifted, args[1].u.i, &r) || __builtin_add_overflow(r, args[2].u.i, &r)) {
        *out = kql_null(rt);
        return;
    }
    if (rt == KQL_DATETIME) {
        *out = datetime_or_null(r, true);
        return;
    }
    *out = kql_long(r);
    out->type = rt;
}

/* ---- calendar helpers ---- */

static int64_t day_of(int64_t ticks)
{
    return kql_floor_div(ticks, KQL_TICKS_PER_DAY);
}

/* 0 = Sunday; day 0 (0001-01-01) was a Monday. */
static int64_t weekday_of(int64_t day)
{
    int64_t w = (day + 1) % 7;
    return w < 0 ? w + 7 : w;
}

/* First day of month index mi (months since year 0, 0-based) in ticks;
 * false outside the datetime range. */
static bool month_start(int64_t mi, int64_t *ticks)
{
    int64_t y = kql_floor_div(mi, 12);
    if (y < 1 || y > 9999)
        return false;
    *ticks = kql_days_from_civil(y, (int)(mi - y * 12) + 1, 1) * KQL_TICKS_PER_DAY;
    return true;
}

typedef enum { SPAN_DAY, SPAN_WEEK, SPAN_MONTH, SPAN_YEAR } span_kind;

/* Start of the span containing t, moved by `offset` spans; false when out
 * of range. */
static bool span_start(int64_t t, span_kind kind, int64_t offset, int64_t *out)
{
    /* 10000 years are < 4 million days: larger offsets are out of range
     * anyway, and refusing them keeps the arithmetic below from overflowing */
    static const int64_t max_offset[] = { 4000000, 600000, 120000, 10000 };
    if (offset < -max_offset[kind] || offset > max_offset[kind])
        return false;
    int64_t day = day_of(t), y;
    int m, d;
    switch (kind) {
    case SPAN_DAY:
        *out = (day + offset) * KQL_TICKS_PER_DAY;
        break;
    case SPAN_WEEK:
        *out = (day - weekday_of(day) + 7 * offset) * KQL_TICKS_PER_DAY;
        break;
    case SPAN_MONTH:
        kql_civil_from_days(day, &y, &m, &d);
        return month_start(y * 12 + m - 1 + offset, out);
    case SPAN_YEAR:
        kql_civil_from_days(day, &y, &m, &d);
        return month_start((y + offset) * 12, out);
    }
    return *out >= 0 && *out <= KQL_MAX_DATETIME_TICKS;
}

static void start_of(const kql_value *args, size_t n, span_kind kind, bool end, kql_value *out)
{
    int64_t offset = n > 1 ? args[1].u.i : 0, t;
    /* beyond +-10000 years every offset is out of range; checking here
     * keeps offset + 1 from overflowing */
    if (args[0].is_null || (n > 1 && (args[1].is_null || offset < -4000000 || offset > 4000000))) {
        *out = kql_null(KQL_DATETIME);
        return;
    }
    bool ok = span_start(args[0].u.i, kind, offset + end, &t);
    if (end) {
        /* the end is one tick before the next span starts (NOTES §15); the
         * last span of 9999 ends at the largest datetime */
        if (ok)
            t -= 1;
        else if ((ok = span_start(args[0].u.i, kind, offset, &t)))
            t = KQL_MAX_DATETIME_TICKS;
    }
    *out = datetime_or_null(t, ok);
}

#define START_END(name, kind, end) \
    KQL_FN_DEFINE(name, "di", KQL_DATETIME, start_of(args, n, kind, end, out))

START_END(startofday, SPAN_DAY, false)
START_END(startofweek, SPAN_WEEK, false)
START_END(startofmonth, SPAN_MONTH, false)
START_END(startofyear, SPAN_YEAR, false)
START_END(endofday, SPAN_DAY, true)
START_END(endofweek, SPAN_WEEK, true)
START_END(endofmonth, SPAN_MONTH, true)
START_END(endofyear, SPAN_YEAR, true)

KQL_FN_RULE(kql_fnt_dayofweek, "dayofweek", "d", KQL_TIMESPAN)

/* A timespan: days since the last Sunday (1.00:00:00 = Monday). */
void kql_fn_dayofweek(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    *out = args[0].is_null ? kql_null(KQL_TIMESPAN)
                           : kql_timespan(weekday_of(day_of(args[0].u.i)) * KQL_TICKS_PER_DAY);
}

typedef enum { PART_YEAR, PART_MONTH, PART_DAY, PART_DAYOFYEAR, PART_HOUR, PART_MINUTE, PART_SECOND } date_part;

static int64_t part_of(int64_t t, date_part part)
{
    int64_t day = day_of(t), y, in_day = t - day * KQL_TICKS_PER_DAY;
    int m, d;
    switch (part) {
    case PART_HOUR: return in_day / TICKS_PER_HOUR;
    case PART_MINUTE: return in_day / TICKS_PER_MINUTE % 60;
    case PART_SECOND: return in_day / KQL_TICKS_PER_SECOND % 60;
    default: break;
    }
    kql_civil_from_days(day, &y, &m, &d);
    switch (part) {
    case PART_YEAR: return y;
    case PART_MONTH: return m;
    case PART_DAY: return d;
    default: return day - kql_days_from_civil(y, 1, 1) + 1;
    }
}

#define DATE_PART(name, part)                                                   \
    KQL_FN_DEFINE(name, "d", KQL_INT,                                           \
                  *out = args[0].is_null ? kql_null(KQL_INT)                    \
                                         : kql_int((int32_t)part_of(args[0].u.i, part)))

DATE_PART(getyear, PART_YEAR)
DATE_PART(getmonth, PART_MONTH)
DATE_PART(dayofmonth, PART_DAY)
DATE_PART(dayofyear, PART_DAYOFYEAR)
DATE_PART(hourofday, PART_HOUR)
DATE_PART(minuteofhour, PART_MINUTE)
DATE_PART(secondofminute, PART_SECOND)

/* ---- datetime_add / datetime_diff ---- */

typedef enum {
    P_YEAR, P_QUARTER, P_MONTH, P_WEEK, P_DAY, P_HOUR, P_MINUTE, P_SECOND,
    P_MILLISECOND, P_MICROSECOND, P_NANOSECOND, P_NONE
} period;

static period period_of(const kql_value *v)
{
    static const char *const names[] = { "year", "quarter", "month", "week", "day", "hour",
                                         "minute", "second", "millisecond", "microsecond",
                                         "nanosecond" };
    if (v->is_null)
        return P_NONE;
    for (int p = 0; p < P_NONE; p++)
        if (strlen(names[p]) == v->u.s.len && strncasecmp(names[p], v->u.s.ptr, v->u.s.len) == 0)
            return (period)p;
    return P_NONE;
}

/* Ticks in one unit of a fixed-length period (week and shorter). */
static int64_t period_ticks(period p)
{
    switch (p) {
    case P_WEEK: return 7 * KQL_TICKS_PER_DAY;
    case P_DAY: return KQL_TICKS_PER_DAY;
    case P_HOUR: return TICKS_PER_HOUR;
    case P_MINUTE: return TICKS_PER_MINUTE;
    case P_SECOND: return KQL_TICKS_PER_SECOND;
    case P_MILLISECOND: return 10000;
    case P_MICROSECOND: return 10;
    default: return 0;
    }
}

KQL_FN_RULE(kql_fnt_datetime_add, "datetime_add", "sid", KQL_DATETIME)

/* Calendar periods keep the time of day and clamp the day to the new
 * month's length (2017-01-31 + 1 month = 2017-02-28), as .NET AddMonths. */
void kql_fn_datetime_add(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    period p = period_of(&args[0]);
    if (p == P_NONE || args[1].is_null || args[2].is_null) {
        *out = kql_null(KQL_DATETIME);
        return;
    }
    int64_t amount = args[1].u.i, t = args[2].u.i, r = 0;
    bool ok;
    if (p == P_YEAR || p == P_QUARTER || p == P_MONTH) {
        int64_t months, day = day_of(t), y;
        int m, d;
        kql_civil_from_days(day, &y, &m, &d);
        ok = !__builtin_mul_overflow(amount, p == P_YEAR ? 12 : p == P_QUARTER ? 3 : 1, &months) &&
             months > -200000 && months < 200000;
        int64_t mi = y * 12 + m - 1 + (ok ? months : 0), start;
        ok = ok && month_start(mi, &start);
        if (ok) {
            int64_t ny = kql_floor_div(mi, 12);
            int nm = (int)(mi - ny * 12) + 1, dim = kql_days_in_month(ny, nm);
            r = start + (int64_t)((d < dim ? d : dim) - 1) * KQL_TICKS_PER_DAY +
                (t - day * KQL_TICKS_PER_DAY);
        }
    } else if (p == P_NANOSECOND) {
        ok = !__builtin_add_overflow(t, amount / 100, &r);
    } else {
        int64_t delta;
        ok = !__builtin_mul_overflow(amount, period_ticks(p), &delta) &&
             !__builtin_add_overflow(t, delta, &r);
    }
    *out = datetime_or_null(r, ok);
}

KQL_FN_RULE(kql_fnt_datetime_diff, "datetime_diff", "sdd", KQL_LONG)

/* Counts period boundaries crossed from datetime2 to datetime1, not elapsed
 * time: year(2017-01-01, 2000-12-31) = 17 (NOTES §15). */
void kql_fn_datetime_diff(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    period p = period_of(&args[0]);
    if (p == P_NONE || args[1].is_null || args[2].is_null) {
        *out = kql_null(KQL_LONG);
        return;
    }
    int64_t a = args[1].u.i, b = args[2].u.i;
    int64_t ya, yb;
    int ma, mb, da, db;
    kql_civil_from_days(day_of(a), &ya, &ma, &da);
    kql_civil_from_days(day_of(b), &yb, &mb, &db);
    switch (p) {
    case P_YEAR:
        *out = kql_long(ya - yb);
        return;
    case P_QUARTER:
        *out = kql_long((ya * 4 + (ma - 1) / 3) - (yb * 4 + (mb - 1) / 3));
        return;
    case P_MONTH:
        *out = kql_long((ya * 12 + ma) - (yb * 12 + mb));
        return;
    case P_WEEK: {
        int64_t wa = day_of(a) - weekday_of(day_of(a)), wb = day_of(b) - weekday_of(day_of(b));
        *out = kql_long((wa - wb) / 7);
        return;
    }
    case P_NANOSECOND: {
        int64_t d, ns;
        bool ok = !__builtin_sub_overflow(a, b, &d) && !__builtin_mul_overflow(d, 100, &ns);
        *out = ok ? kql_long(ns) : kql_null(KQL_LONG);
        return;
    }
    default: {
        int64_t unit = period_ticks(p);
        *out = kql_long(kql_floor_div(a, unit) - kql_floor_div(b, unit));
        return;
    }
    }
}

kql_type kql_fnt_make_datetime(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n != 3 && n != 5 && n != 6)
        return kql_fn_fail(err, errlen,
                           "make_datetime(): expects 3, 5 or 6 arguments "
                           "(year, month, day [, hour, minute [, second]]), got %zu", n);
    return kql_fn_check("make_datetime", args, n, "iiiiin", err, errlen) ? KQL_DATETIME
                                                                         : KQL_TYPE_UNKNOWN;
}

/* Invalid parts (month 13, February 30, hour 24, ...) give null. */
void kql_fn_make_datetime(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    int64_t part[5] = { 0, 0, 0, 0, 0 };
    for (size_t i = 0; i < n; i++)
        if (args[i].is_null) {
            *out = kql_null(KQL_DATETIME);
            return;
        }
    for (size_t i = 0; i < n && i < 5; i++)
        part[i] = args[i].u.i;
    double sec = n > 5 ? kql_fn_as_real(&args[5]) : 0;
    bool ok = part[0] >= 1 && part[0] <= 9999 && part[1] >= 1 && part[1] <= 12 && part[2] >= 1 &&
              part[2] <= kql_days_in_month(part[0], (int)part[1]) && part[3] >= 0 && part[3] < 24 &&
              part[4] >= 0 && part[4] < 60 && sec >= 0 && sec < 60;
    int64_t t = 0;
    if (ok)
        t = kql_days_from_civil(part[0], (int)part[1], (int)part[2]) * KQL_TICKS_PER_DAY +
            part[3] * TICKS_PER_HOUR + part[4] * TICKS_PER_MINUTE +
            (int64_t)llround(sec * KQL_TICKS_PER_SECOND);
    *out = datetime_or_null(t, ok);
}

kql_type kql_fnt_make_timespan(const kql_type *args, size_t n, char *err, size_t errlen)
{
    static const char *const kinds[] = { "ii", "iin", "iiin" };
    if (n < 2 || n > 4)
        return kql_fn_fail(err, errlen, "make_timespan(): expects 2 to 4 arguments, got %zu", n);
    return kql_fn_check("make_timespan", args, n, kinds[n - 2], err, errlen) ? KQL_TIMESPAN
                                                                            : KQL_TYPE_UNKNOWN;
}

/* make_timespan(hour, minute), (hour, minute, second) or (day, hour,
 * minute, second): parts outside the docs' ranges (hour 0-23, minute
 * 0-59, second 0-59.9999999, day >= 0) give null. */
void kql_fn_make_timespan(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        if (args[i].is_null) {
            *out = kql_null(KQL_TIMESPAN);
            return;
        }
    size_t h = n == 4 ? 1 : 0;
    int64_t day = n == 4 ? args[0].u.i : 0, hour = args[h].u.i, minute = args[h + 1].u.i;
    double sec = n > 2 ? kql_fn_as_real(&args[n - 1]) : 0;
    /* 10^7 days is past any datetime difference and keeps the sum in range */
    bool ok = day >= 0 && day < 10000000 && hour >= 0 && hour < 24 && minute >= 0 &&
              minute < 60 && sec >= 0 && sec < 60;
    *out = ok ? kql_timespan(day * KQL_TICKS_PER_DAY + hour * TICKS_PER_HOUR +
                             minute * TICKS_PER_MINUTE + llround(sec * KQL_TICKS_PER_SECOND))
              : kql_null(KQL_TIMESPAN);
}

/* ---- datetime_part ---- */

/* ISO 8601 week of the year: weeks start on Monday and week 1 holds the
 * year's first Thursday, so early January can be in the last week of the
 * year before and late December in week 1 of the next. */
static int64_t iso_week(int64_t day)
{
    int64_t y;
    int m, d;
    kql_civil_from_days(day, &y, &m, &d);
    int64_t iso_wd = (weekday_of(day) + 6) % 7 + 1;   /* Monday 1 .. Sunday 7 */
    int64_t thursday = day - iso_wd + 4, ty;           /* the Thursday of day's week */
    kql_civil_from_days(thursday, &ty, &m, &d);
    return (thursday - kql_days_from_civil(ty, 1, 1)) / 7 + 1;
}

KQL_FN_RULE(kql_fnt_datetime_part, "datetime_part", "sd", KQL_INT)

/* datetime_part docs: 2017-10-30 01:02:03.7654321 -> year 2017, quarter 4,
 * week_of_year 44, dayOfYear 303, millisecond 765, microsecond 765432,
 * nanosecond 765432100. Part names are case-insensitive; an unknown one
 * gives null, and so does the obsolete "weekofyear" (a non-ISO week we
 * don't reproduce). */
void kql_fn_datetime_part(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    static const char *const names[] = { "year", "quarter", "month", "week_of_year", "day", "dayofyear", "hour", "minute", "second",
                                         "millisecond", "microsecond", "nanosecond" };
    int which = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strlen(names[i]) == args[0].u.s.len &&
            strncasecmp(names[i], args[0].u.s.ptr, args[0].u.s.len) == 0)
            which = i;
    if (which < 0 || args[1].is_null) {
        *out = kql_null(KQL_INT);
        return;
    }
    int64_t t = args[1].u.i, frac = t % KQL_TICKS_PER_SECOND, v;
    switch (which) {
    case 0: v = part_of(t, PART_YEAR); break;
    case 1: v = (part_of(t, PART_MONTH) - 1) / 3 + 1; break;
    case 2: v = part_of(t, PART_MONTH); break;
    case 3: v = iso_week(day_of(t)); break;
    case 4: v = part_of(t, PART_DAY); break;
    case 5: v = part_of(t, PART_DAYOFYEAR); break;
    case 6: v = part_of(t, PART_HOUR); break;
    case 7: v = part_of(t, PART_MINUTE); break;
    case 8: v = part_of(t, PART_SECOND); break;
    case 9: v = frac / 10000; break;
    case 10: v = frac / 10; break;
    default: v = frac * 100; break;
    }
    *out = kql_int((int32_t)v);
}

/* ---- unixtime_*_todatetime ---- */

static void from_unix(const kql_value *v, int64_t ticks_per_unit, int64_t units_per_tick,
                      kql_value *out)
{
    if (v->is_null) {
        *out = kql_null(KQL_DATETIME);
        return;
    }
    int64_t t = 0;
    bool ok;
    if (v->type == KQL_REAL) {
        double x = v->u.r * (double)ticks_per_unit / (double)units_per_tick;
        /* datetimes span < 3.2e18 ticks; this bound keeps the cast and the
         * epoch addition inside int64 */
        ok = x > -4e18 && x < 4e18;
        if (ok)
            t = KQL_UNIX_EPOCH_TICKS + (int64_t)floor(x);
    } else {
        int64_t d;
        ok = !__builtin_mul_overflow(kql_floor_div(v->u.i, units_per_tick), ticks_per_unit, &d) &&
             !__builtin_add_overflow(KQL_UNIX_EPOCH_TICKS, d, &t);
    }
    *out = datetime_or_null(t, ok);
}

#define UNIXTIME(name, ticks_per_unit, units_per_tick) \
    KQL_FN_DEFINE(name, "n", KQL_DATETIME,             \
                  from_unix(&args[0], ticks_per_unit, units_per_tick, out))

UNIXTIME(unixtime_seconds_todatetime, KQL_TICKS_PER_SECOND, 1)
UNIXTIME(unixtime_milliseconds_todatetime, 10000, 1)
UNIXTIME(unixtime_microseconds_todatetime, 10, 1)
UNIXTIME(unixtime_nanoseconds_todatetime, 1, 100)
