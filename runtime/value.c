/* value.c - KQL scalar types: names, constructors, and the text forms of
 * datetime, timespan, real and guid (parse and format), plus tostring().
 *
 * Everything here is allocation-free except kql_value_to_text, which appends
 * to a caller's buffer. Datetimes are ticks since 0001-01-01 (proleptic
 * Gregorian, as .NET); calendar math uses Howard Hinnant's days/civil
 * algorithms, which are exact for every year in Kusto's range 1..9999.
 */
#include "value.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dynamic.h"

static const char *const type_names[KQL_TYPE_COUNT] = {
    [KQL_TYPE_UNKNOWN] = "unknown", [KQL_BOOL] = "bool", [KQL_INT] = "int",
    [KQL_LONG] = "long", [KQL_REAL] = "real", [KQL_DECIMAL] = "decimal",
    [KQL_STRING] = "string", [KQL_DATETIME] = "datetime", [KQL_TIMESPAN] = "timespan",
    [KQL_GUID] = "guid", [KQL_DYNAMIC] = "dynamic",
};

const char *kql_type_name(kql_type t)
{
    return (unsigned)t < KQL_TYPE_COUNT ? type_names[t] : "unknown";
}

kql_type kql_type_from_name(const char *name)
{
    static const struct { const char *name; kql_type t; } aliases[] = {
        {"bool", KQL_BOOL}, {"boolean", KQL_BOOL}, {"int", KQL_INT}, {"long", KQL_LONG},
        {"real", KQL_REAL}, {"double", KQL_REAL}, {"decimal", KQL_DECIMAL},
        {"string", KQL_STRING}, {"datetime", KQL_DATETIME}, {"date", KQL_DATETIME},
        {"timespan", KQL_TIMESPAN}, {"time", KQL_TIMESPAN}, {"guid", KQL_GUID},
        {"uniqueid", KQL_GUID}, {"dynamic", KQL_DYNAMIC},
    };
    if (!name)
        return KQL_TYPE_UNKNOWN;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(name, aliases[i].name) == 0)
            return aliases[i].t;
    return KQL_TYPE_UNKNOWN;
}

bool kql_type_is_numeric(kql_type t)
{
    return t == KQL_INT || t == KQL_LONG || t == KQL_REAL || t == KQL_DECIMAL;
}

/* --- constructors --- */

kql_value kql_null(kql_type t)
{
    kql_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    v.is_null = true;
    /* Null strings and dynamics still point at valid bytes ("" and the
     * encoded dynamic null), so readers never need a NULL check. */
    if (t == KQL_STRING)
        v.u.s = (kql_str){"", 0};
    else if (t == KQL_DYNAMIC)
        v.u.s = (kql_str){"", 1};   /* the NUL byte is tag 0, NULL */
    return v;
}

/* The types whose payload is u.i: int, long, datetime and timespan. */
static kql_value integral(kql_type t, int64_t i)
{
    kql_value v = {.type = t};
    v.u.i = i;
    return v;
}

kql_value kql_bool(bool b)
{
    kql_value v = {.type = KQL_BOOL};
    v.u.b = b;
    return v;
}

kql_value kql_long(int64_t i)
{
    return integral(KQL_LONG, i);
}

kql_value kql_int(int32_t i)
{
    return integral(KQL_INT, i);
}

kql_value kql_real(double r)
{
    kql_value v = {.type = KQL_REAL};
    v.u.r = r;
    return v;
}

kql_value kql_string(const char *p, size_t len)
{
    kql_value v = {.type = KQL_STRING};
    kql_check_value_size(len);
    v.u.s.ptr = p ? p : "";
    v.u.s.len = p ? (uint32_t)len : 0;
    return v;
}

kql_value kql_datetime(int64_t ticks)
{
    return integral(KQL_DATETIME, ticks);
}

kql_value kql_timespan(int64_t ticks)
{
    return integral(KQL_TIMESPAN, ticks);
}

/* --- calendar --- */

/* Ticks of 10000-01-01: one past the last valid datetime. */
#define DATETIME_END_TICKS 3155378976000000000LL

int64_t kql_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Howard Hinnant's days_from_civil, shifted so 0001-01-01 is day 0. */
int64_t kql_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = kql_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 306;   /* 0000-03-01 is day -306 of 0001-01-01 */
}

void kql_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 306;
    int64_t era = kql_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int kql_days_in_month(int64_t y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* A small cursor over the text being parsed. */
typedef struct scan {
    const char *p, *end;
} scan;

static void scan_spaces(scan *s)
{
    while (s->p < s->end && isspace((unsigned char)*s->p))
        s->p++;
}

/* A scan of text without its leading and trailing white space; false when
 * there is no text at all (NULL). */
static bool scan_trimmed(const char *text, size_t len, scan *s)
{
    if (!text)
        return false;
    *s = (scan){text, text + len};
    scan_spaces(s);
    while (s->end > s->p && isspace((unsigned char)s->end[-1]))
        s->end--;
    return true;
}

static bool scan_char(scan *s, char c)
{
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return true;
    }
    return false;
}

/* Exactly between min and max digits; returns the count read (0 = none). */
static int scan_digits(scan *s, int min, int max, int64_t *out)
{
    int n = 0;
    int64_t v = 0;
    while (n < max && s->p < s->end && isdigit((unsigned char)*s->p)) {
        v = v * 10 + (*s->p++ - '0');
        n++;
    }
    if (n < min)
        return 0;
    *out = v;
    return n;
}

/* ".fffffff" after seconds: up to 7 digits count, more are truncated. */
static int64_t scan_fraction_ticks(scan *s)
{
    int64_t ticks = 0;
    int n = 0;
    while (s->p < s->end && isdigit((unsigned char)*s->p)) {
        if (n < 7) {
            ticks = ticks * 10 + (*s->p - '0');
            n++;
        }
        s->p++;
    }
    for (; n < 7; n++)
        ticks *= 10;
    return ticks;
}

static bool scan_word_ci(scan *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || strncasecmp(s->p, w, n) != 0)
        return false;
    s->p += n;
    return true;
}

/* A time zone after the time: Z, GMT, UTC, UT, US zones, +hh:mm, +hhmm, +hh.
 * Sets *offset_minutes (east positive). Returns false if there is text that
 * is not a zone; no zone at all is fine (UTC). */
static bool scan_zone(scan *s, int64_t *offset_minutes)
{
    static const struct { const char *name; int minutes; } zones[] = {
        {"GMT", 0}, {"UTC", 0}, {"UT", 0}, {"Z", 0}, {"EST", -300}, {"EDT", -240},
        {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480},
        {"PDT", -420},
    };
    *offset_minutes = 0;
    scan_spaces(s);
    if (s->p == s->end)
        return true;
    if (*s->p == '+' || *s->p == '-') {
        int sign = *s->p++ == '-' ? -1 : 1;
        int64_t hh, mm = 0;
        if (!scan_digits(s, 2, 2, &hh))
            return false;
        scan_char(s, ':');
        if (s->p < s->end && !scan_digits(s, 2, 2, &mm))
            return false;
        if (hh > 14 || mm > 59)
            return false;
        *offset_minutes = sign * (hh * 60 + mm);
        return true;
    }
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (scan_word_ci(s, zones[i].name)) {
            *offset_minutes = zones[i].minutes;
            return true;
        }
    return false;
}

/* hh:mm[:ss[.fffffff]] into ticks of the day. */
static bool scan_time_of_day(scan *s, int64_t *ticks)
{
    int64_t hh, mm, ss = 0, frac = 0;
    if (!scan_digits(s, 1, 2, &hh) || !scan_char(s, ':') || !scan_digits(s, 2, 2, &mm))
        return false;
    if (scan_char(s, ':')) {
        if (!scan_digits(s, 2, 2, &ss))
            return false;
        if (scan_char(s, '.'))
            frac = scan_fraction_ticks(s);
    }
    if (hh > 23 || mm > 59 || ss > 59)
        return false;
    *ticks = ((hh * 60 + mm) * 60 + ss) * KQL_TICKS_PER_SECOND + frac;
    return true;
}

static bool make_datetime(int64_t y, int64_t m, int64_t d, int64_t tod, int64_t offset_minutes,
                          int64_t *ticks)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > kql_days_in_month(y, (int)m))
        return false;
    int64_t days = kql_days_from_civil(y, (int)m, (int)d);
    int64_t t = days * KQL_TICKS_PER_DAY + tod - offset_minutes * 60 * KQL_TICKS_PER_SECOND;
    if (t < 0 || t >= DATETIME_END_TICKS)
        return false;
    *ticks = t;
    return true;
}

/* A date separator: '-', '/' or ',', with spaces around it allowed (the docs
 * write datetime(2017 - 08 - 01) and datetime(2025, 6, 14)). */
static bool scan_date_sep(scan *s)
{
    scan_spaces(s);
    if (s->p == s->end || (*s->p != '-' && *s->p != '/' && *s->p != ','))
        return false;
    s->p++;
    scan_spaces(s);
    return true;
}

/* After the date: [(T| )hh:mm[:ss[.f]]][zone], then the end. */
static bool parse_date_rest(scan *s, int64_t y, int64_t m, int64_t d, int64_t *ticks)
{
    int64_t tod = 0, off = 0;
    if (s->p < s->end) {
        if (*s->p == 'T' || *s->p == 't')
            s->p++;
        else
            scan_spaces(s);
        if (s->p < s->end && isdigit((unsigned char)*s->p) && !scan_time_of_day(s, &tod))
            return false;
        if (!scan_zone(s, &off))
            return false;
        scan_spaces(s);
        if (s->p != s->end)
            return false;
    }
    return make_datetime(y, m, d, tod, off, ticks);
}

/* A date of numbers, then the rest: year first as ISO 8601
 * (yyyy-mm-dd[(T| )hh:mm[:ss[.f]][zone]]), or month first as .NET's
 * invariant culture (mm/dd/yyyy or mm-dd-yyyy; datetime("01-01-2022") in
 * the array_iff docs). */
static bool parse_numeric_date(scan *s, bool year_first, int64_t *ticks)
{
    int64_t y = 0, m, d;
    if (year_first && !(scan_digits(s, 4, 4, &y) && scan_date_sep(s)))
        return false;
    if (!scan_digits(s, 1, 2, &m) || !scan_date_sep(s) || !scan_digits(s, 1, 2, &d))
        return false;
    if (!year_first && !(scan_date_sep(s) && scan_digits(s, 4, 4, &y)))
        return false;
    return parse_date_rest(s, y, m, d, ticks);
}

/* RFC 822/1123/850: [Wkday,] d Mon yy[yy] hh:mm[:ss] [zone]; the date parts
 * may be separated by '-' (RFC 850: "Saturday, 08-Nov-14"). */
static bool parse_rfc(scan *s, int64_t *ticks)
{
    static const char months[12][4] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
    const char *comma = memchr(s->p, ',', (size_t)(s->end - s->p));
    if (comma) {
        for (const char *q = s->p; q < comma; q++)
            if (!isalpha((unsigned char)*q))
                return false;
        s->p = comma + 1;
        scan_spaces(s);
    }
    int64_t d, y, m = 0, tod = 0, off = 0;
    if (!scan_digits(s, 1, 2, &d))
        return false;
    if (!scan_char(s, '-'))
        scan_spaces(s);
    for (int i = 0; i < 12 && !m; i++)
        if (scan_word_ci(s, months[i]))
            m = i + 1;
    if (!m)
        return false;
    if (!scan_char(s, '-'))
        scan_spaces(s);
    int ny = scan_digits(s, 2, 4, &y);
    if (ny == 2)
        y += y < 30 ? 2000 : 1900;   /* .NET's two-digit year window */
    else if (ny != 4)
        return false;
    scan_spaces(s);
    if (s->p < s->end && !scan_time_of_day(s, &tod))
        return false;
    if (!scan_zone(s, &off))
        return false;
    scan_spaces(s);
    return s->p == s->end && make_datetime(y, m, d, tod, off, ticks);
}

bool kql_datetime_parse(const char *text, size_t len, int64_t *ticks)
{
    scan s;
    if (!scan_trimmed(text, len, &s) || s.p == s.end)
        return false;
    scan iso = s, us = s;
    if (parse_numeric_date(&iso, true, ticks) || parse_numeric_date(&us, false, ticks))
        return true;
    return parse_rfc(&s, ticks);
}

size_t kql_datetime_format(int64_t ticks, char *buf)
{
    int64_t days = ticks / KQL_TICKS_PER_DAY, rem = ticks % KQL_TICKS_PER_DAY;
    if (rem < 0) {
        rem += KQL_TICKS_PER_DAY;
        days--;
    }
    int64_t y;
    int m, d;
    kql_civil_from_days(days, &y, &m, &d);
    int64_t secs = rem / KQL_TICKS_PER_SECOND, frac = rem % KQL_TICKS_PER_SECOND;
    int n = snprintf(buf, 40, "%04lld-%02d-%02dT%02d:%02d:%02d.%07lldZ", (long long)y, m, d,
                     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), (long long)frac);
    return n < 0 ? 0 : (size_t)n;
}

/* --- timespan --- */

size_t kql_timespan_format(int64_t ticks, char *buf)
{
    char *p = buf;
    uint64_t t = (uint64_t)ticks;
    if (ticks < 0) {
        *p++ = '-';
        t = 0 - t;   /* also right for INT64_MIN */
    }
    uint64_t days = t / (uint64_t)KQL_TICKS_PER_DAY;
    uint64_t rem = t % (uint64_t)KQL_TICKS_PER_DAY;
    uint64_t secs = rem / KQL_TICKS_PER_SECOND, frac = rem % KQL_TICKS_PER_SECOND;
    if (days)
        p += sprintf(p, "%llu.", (unsigned long long)days);
    p += sprintf(p, "%02u:%02u:%02u", (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
                 (unsigned)(secs % 60));
    if (frac)
        p += sprintf(p, ".%07u", (unsigned)frac);
    return (size_t)(p - buf);
}

/* [d.]hh:mm[:ss[.fffffff]] (sign already taken) */
static bool parse_clock_timespan(scan *s, int64_t *ticks)
{
    int64_t first, days = 0, hh, mm, ss = 0, frac = 0;
    if (!scan_digits(s, 1, 8, &first))
        return false;
    if (scan_char(s, '.')) {
        days = first;
        if (!scan_digits(s, 1, 2, &hh))
            return false;
    } else {
        hh = first;
    }
    if (!scan_char(s, ':') || !scan_digits(s, 1, 2, &mm))
        return false;
    if (scan_char(s, ':')) {
        if (!scan_digits(s, 1, 2, &ss))
            return false;
        if (scan_char(s, '.'))
            frac = scan_fraction_ticks(s);
    }
    /* 10675199 days is about TimeSpan.MaxValue; more would overflow */
    if (days > 10675199 || hh > 23 || mm > 59 || ss > 59 || s->p != s->end)
        return false;
    int64_t whole = (((days * 24 + hh) * 60 + mm) * 60 + ss) * KQL_TICKS_PER_SECOND;
    return !__builtin_add_overflow(whole, frac, ticks);   /* past TimeSpan.MaxValue: not a timespan */
}

/* number [unit]: 1.5h, 100ms, 15 seconds, 2 (days) (sign already taken) */
static bool parse_unit_timespan(scan *s, int64_t *ticks)
{
    static const struct { const char *name; int64_t ticks; } units[] = {
        {"d", KQL_TICKS_PER_DAY}, {"day", KQL_TICKS_PER_DAY}, {"days", KQL_TICKS_PER_DAY},
        {"h", 3600 * KQL_TICKS_PER_SECOND}, {"hr", 3600 * KQL_TICKS_PER_SECOND},
        {"hrs", 3600 * KQL_TICKS_PER_SECOND}, {"hour", 3600 * KQL_TICKS_PER_SECOND},
        {"hours", 3600 * KQL_TICKS_PER_SECOND},
        {"m", 60 * KQL_TICKS_PER_SECOND}, {"min", 60 * KQL_TICKS_PER_SECOND},
        {"minute", 60 * KQL_TICKS_PER_SECOND}, {"minutes", 60 * KQL_TICKS_PER_SECOND},
        {"s", KQL_TICKS_PER_SECOND}, {"sec", KQL_TICKS_PER_SECOND},
        {"second", KQL_TICKS_PER_SECOND}, {"seconds", KQL_TICKS_PER_SECOND},
        {"ms", 10000}, {"milli", 10000}, {"millis", 10000}, {"millisecond", 10000},
        {"milliseconds", 10000}, {"microsecond", 10}, {"microseconds", 10},
        {"tick", 1}, {"ticks", 1},
    };
    const char *num_start = s->p;
    int64_t whole = 0;
    bool digits = false;
    while (s->p < s->end && isdigit((unsigned char)*s->p)) {
        if (whole > (INT64_MAX - 9) / 10)
            return false;
        whole = whole * 10 + (*s->p++ - '0');
        digits = true;
    }
    double frac = 0;
    if (s->p < s->end && *s->p == '.') {
        const char *fs = s->p++;
        while (s->p < s->end && isdigit((unsigned char)*s->p)) {
            s->p++;
            digits = true;
        }
        char tmp[64];
        size_t n = (size_t)(s->p - fs);
        if (n >= sizeof tmp)
            n = sizeof tmp - 1;   /* digits past 60 are below a tick anyway */
        memcpy(tmp, fs, n);
        tmp[n] = '\0';
        frac = strtod(tmp, NULL);
    }
    if (!digits || s->p == num_start)
        return false;
    scan_spaces(s);
    int64_t unit = KQL_TICKS_PER_DAY;   /* a bare number is days: timespan(2) */
    if (s->p < s->end) {
        size_t n = (size_t)(s->end - s->p);
        unit = 0;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strlen(units[i].name) == n && strncasecmp(s->p, units[i].name, n) == 0)
                unit = units[i].ticks;
        if (!unit)
            return false;
    }
    if (whole > INT64_MAX / unit)
        return false;
    int64_t part = (int64_t)llround(frac * (double)unit);
    if (part > INT64_MAX - whole * unit)
        return false;
    *ticks = whole * unit + part;
    return true;
}

bool kql_timespan_parse(const char *text, size_t len, int64_t *ticks)
{
    scan s;
    if (!scan_trimmed(text, len, &s))
        return false;
    bool neg = scan_char(&s, '-');
    if (!neg)
        scan_char(&s, '+');
    int64_t t;
    bool ok = memchr(s.p, ':', (size_t)(s.end - s.p)) ? parse_clock_timespan(&s, &t)
                                                      : parse_unit_timespan(&s, &t);
    if (!ok)
        return false;
    *ticks = neg ? -t : t;
    return true;
}

/* --- long and real --- */

size_t kql_long_format(int64_t i, char *buf)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (i < 0)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

/* Reals with at most 7 decimals and a magnitude in [1e-4, 1e8) (most values
 * in logs: 48.85, 0.25) without printf/strtod: r is exactly m / 10^k when
 * that division (correctly rounded, as strtod is) gives back r. At most 15
 * significant digits, so that decimal is the only one of its length that
 * reads back as r (DBL_DIG) - the shortest form. Returns 0 if not applicable. */
static size_t real_format_fast(double r, char *buf)
{
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
    double a = fabs(r);
    if (!(a >= 1e-4 && a < 1e8))
        return 0;
    for (int k = 1; k <= 7; k++) {
        double m = nearbyint(r * p10[k]);
        if (m / p10[k] != r)
            continue;
        int64_t mi = (int64_t)fabs(m);
        int64_t whole = mi / (int64_t)p10[k], frac = mi % (int64_t)p10[k];
        char *p = buf;
        if (r < 0)
            *p++ = '-';
        p += kql_long_format(whole, p);
        *p++ = '.';
        for (int d = k - 1; d >= 0; d--) {
            p[d] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += k;
        while (p[-1] == '0')
            p--;
        *p = '\0';
        return (size_t)(p - buf);
    }
    return 0;
}

size_t kql_real_format(double r, char *buf)
{
    if (isnan(r))
        return (size_t)sprintf(buf, "NaN");
    if (isinf(r))
        return (size_t)sprintf(buf, r < 0 ? "-Infinity" : "Infinity");
    if (r == 0)
        return (size_t)sprintf(buf, "0");   /* -0 too: Kusto prints 0 */
    /* Fast path for whole numbers that .NET prints without an exponent. */
    if (fabs(r) < 1e15 && r == (double)(int64_t)r)
        return kql_long_format((int64_t)r, buf);
    size_t fast = real_format_fast(r, buf);
    if (fast)
        return fast;

    /* Shortest significant digits that read back as r. From 15 digits up is
     * enough for normal doubles (any decimal of <= 15 digits survives a round
     * trip, DBL_DIG); subnormals carry fewer digits, so start them at 1. */
    char tmp[40];
    for (int prec = fabs(r) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, r);
        if (strtod(tmp, NULL) == r)
            break;
    }
    char digits[24];
    int nd = 0;
    const char *q = tmp;
    bool neg = *q == '-';
    if (neg)
        q++;
    for (; *q && *q != 'e'; q++)
        if (isdigit((unsigned char)*q))
            digits[nd++] = *q;
    int exp10 = *q == 'e' ? atoi(q + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;

    /* Lay out as .NET's double.ToString() does: scientific ("1E+300",
     * "2.5E-05") when the exponent is >= 15 or < -4, plain otherwise. */
    char *p = buf;
    if (neg)
        *p++ = '-';
    if (exp10 >= 15 || exp10 < -4) {
        *p++ = digits[0];
        if (nd > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, (size_t)nd - 1);
            p += nd - 1;
        }
        p += sprintf(p, "E%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    } else if (exp10 >= 0) {
        for (int i = 0; i <= exp10; i++)
            *p++ = i < nd ? digits[i] : '0';
        if (nd > exp10 + 1) {
            *p++ = '.';
            memcpy(p, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
            p += nd - exp10 - 1;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int i = -1; i > exp10; i--)
            *p++ = '0';
        memcpy(p, digits, (size_t)nd);
        p += nd;
    }
    *p = '\0';
    return (size_t)(p - buf);
}

/* --- guid --- */

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Accepts .NET's D (8-4-4-4-12), B ({D}), P ((D)) and N (32 digits) forms. */
bool kql_guid_parse(const char *s, size_t len, kql_guid *g)
{
    if (!s)
        return false;
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 38 && ((s[0] == '{' && s[37] == '}') || (s[0] == '(' && s[37] == ')'))) {
        s++;
        len = 36;
    }
    bool dashed = len == 36;
    if (!dashed && len != 32)
        return false;
    int nb = 0;
    for (size_t i = 0; i < len;) {
        if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (s[i] != '-')
                return false;
            i++;
            continue;
        }
        int hi = hex_val(s[i]), lo = hex_val(s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        g->b[nb++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return nb == 16;
}

size_t kql_guid_format(const kql_guid *g, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    char *p = buf;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[g->b[i] >> 4];
        *p++ = hex[g->b[i] & 15];
    }
    *p = '\0';
    return 36;
}

/* --- tostring --- */

void kql_value_to_text(const kql_value *v, kql_buf *out)
{
    char tmp[48];
    if (v->is_null)
        return;
    switch (v->type) {
    case KQL_BOOL:
        kql_buf_puts(out, v->u.b ? "true" : "false");
        break;
    case KQL_INT:
    case KQL_LONG:
        kql_buf_put(out, tmp, kql_long_format(v->u.i, tmp));
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        kql_buf_put(out, tmp, kql_real_format(v->u.r, tmp));
        break;
    case KQL_STRING:
        kql_buf_put(out, v->u.s.ptr, v->u.s.len);
        break;
    case KQL_DATETIME:
        kql_buf_put(out, tmp, kql_datetime_format(v->u.i, tmp));
        break;
    case KQL_TIMESPAN:
        kql_buf_put(out, tmp, kql_timespan_format(v->u.i, tmp));
        break;
    case KQL_GUID:
        kql_buf_put(out, tmp, kql_guid_format(&v->u.g, tmp));
        break;
    case KQL_DYNAMIC: {
        if (!v->u.s.ptr || v->u.s.len == 0)
            return;
        kql_dyn d = (kql_dyn)v->u.s.ptr;
        kql_dyn_tag tag = kql_dyn_tag_of(d);
        if (tag == KQL_DYN_NULL)
            return;
        if (tag == KQL_DYN_STRING) {
            kql_str s = kql_dyn_string(d);
            kql_buf_put(out, s.ptr, s.len);
        } else {
            kql_dyn_to_json(d, out);
        }
        break;
    }
    default:
        break;
    }
}

/* --- hashing --- */

#define HASH_M 0xc6a4a7935bd1e995ULL

uint64_t kql_hash_bytes(const void *key, size_t len)
{
    const uint8_t *data = key, *end = data + (len & ~(size_t)7);
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * HASH_M);
    for (; data != end; data += 8) {
        uint64_t k;
        memcpy(&k, data, 8);
        k *= HASH_M;
        k ^= k >> 47;
        k *= HASH_M;
        h ^= k;
        h *= HASH_M;
    }
    switch (len & 7) {
    case 7: h ^= (uint64_t)data[6] << 48; /* fall through */
    case 6: h ^= (uint64_t)data[5] << 40; /* fall through */
    case 5: h ^= (uint64_t)data[4] << 32; /* fall through */
    case 4: h ^= (uint64_t)data[3] << 24; /* fall through */
    case 3: h ^= (uint64_t)data[2] << 16; /* fall through */
    case 2: h ^= (uint64_t)data[1] << 8;  /* fall through */
    case 1: h ^= (uint64_t)data[0]; h *= HASH_M;
    }
    h ^= h >> 47;
    h *= HASH_M;
    h ^= h >> 47;
    return h;
}

uint64_t kql_hash_u64(uint64_t x)
{
    /* splitmix64's finalizer: cheap and mixes every bit */
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
