/* test_value.c - unit tests for runtime/value.c: type names, datetime and
 * timespan text, shortest real formatting, guids and tostring() text.
 * Expected values are worked out by hand or taken from the Kusto / .NET docs
 * (cited next to the test). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dynamic.h"
#include "value.h"

static int64_t dt(const char *s)
{
    int64_t t = -1;
    cr_assert(kql_datetime_parse(s, strlen(s), &t), "should parse: %s", s);
    return t;
}

/* parse, then format: the canonical text of a datetime */
static const char *dt_round(const char *s, char *buf)
{
    kql_datetime_format(dt(s), buf);
    return buf;
}

static int64_t ts(const char *s)
{
    int64_t t = -1;
    cr_assert(kql_timespan_parse(s, strlen(s), &t), "should parse: %s", s);
    return t;
}

static const char *ts_fmt(int64_t ticks, char *buf)
{
    kql_timespan_format(ticks, buf);
    return buf;
}

static const char *real_fmt(double r, char *buf)
{
    kql_real_format(r, buf);
    return buf;
}

#define SEC KQL_TICKS_PER_SECOND
#define HOUR (3600 * SEC)
#define DAY KQL_TICKS_PER_DAY

Test(value, type_names)
{
    cr_assert_str_eq(kql_type_name(KQL_BOOL), "bool");
    cr_assert_str_eq(kql_type_name(KQL_INT), "int");
    cr_assert_str_eq(kql_type_name(KQL_LONG), "long");
    cr_assert_str_eq(kql_type_name(KQL_REAL), "real");
    cr_assert_str_eq(kql_type_name(KQL_DECIMAL), "decimal");
    cr_assert_str_eq(kql_type_name(KQL_STRING), "string");
    cr_assert_str_eq(kql_type_name(KQL_DATETIME), "datetime");
    cr_assert_str_eq(kql_type_name(KQL_TIMESPAN), "timespan");
    cr_assert_str_eq(kql_type_name(KQL_GUID), "guid");
    cr_assert_str_eq(kql_type_name(KQL_DYNAMIC), "dynamic");
    /* aliases from the scalar data types docs */
    cr_assert_eq(kql_type_from_name("boolean"), KQL_BOOL);
    cr_assert_eq(kql_type_from_name("double"), KQL_REAL);
    cr_assert_eq(kql_type_from_name("date"), KQL_DATETIME);
    cr_assert_eq(kql_type_from_name("time"), KQL_TIMESPAN);
    cr_assert_eq(kql_type_from_name("uniqueid"), KQL_GUID);
    cr_assert_eq(kql_type_from_name("long"), KQL_LONG);
    cr_assert_eq(kql_type_from_name("float"), KQL_TYPE_UNKNOWN);
    cr_assert_eq(kql_type_from_name(NULL), KQL_TYPE_UNKNOWN);
    cr_assert(kql_type_is_numeric(KQL_INT) && kql_type_is_numeric(KQL_DECIMAL));
    cr_assert(!kql_type_is_numeric(KQL_TIMESPAN) && !kql_type_is_numeric(KQL_STRING));
}

Test(value, constructors)
{
    kql_value v = kql_long(-5);
    cr_assert(v.type == KQL_LONG && !v.is_null && v.u.i == -5);
    v = kql_null(KQL_REAL);
    cr_assert(v.type == KQL_REAL && v.is_null);
    v = kql_string("abc", 2);
    cr_assert(v.type == KQL_STRING && v.u.s.len == 2 && memcmp(v.u.s.ptr, "ab", 2) == 0);
    /* a null dynamic still points at a valid encoding: the dynamic null */
    v = kql_null(KQL_DYNAMIC);
    cr_assert(v.is_null && v.u.s.len == 1 && kql_dyn_tag_of((kql_dyn)v.u.s.ptr) == KQL_DYN_NULL);
}

Test(datetime, known_ticks)
{
    /* ticks count 100 ns from 0001-01-01 (datetime docs) */
    cr_assert_eq(dt("0001-01-01"), 0);
    /* "a ticks value of 31241376000000000 represents ... January 01, 0100" (datetime docs) */
    cr_assert_eq(dt("0100-01-01T00:00:00Z"), 31241376000000000LL);
    cr_assert_eq(dt("1970-01-01T00:00:00Z"), KQL_UNIX_EPOCH_TICKS);
    /* 1700000000 s after the Unix epoch is 2023-11-14 22:13:20 UTC */
    cr_assert_eq(dt("2023-11-14T22:13:20Z"), KQL_UNIX_EPOCH_TICKS + 1700000000LL * SEC);
    /* .NET DateTime.MaxValue.Ticks */
    cr_assert_eq(dt("9999-12-31T23:59:59.9999999Z"), 3155378975999999999LL);
}

Test(datetime, round_trips)
{
    char b[48];
    cr_assert_str_eq(dt_round("2026-11-20T10:15:30.1234567Z", b), "2026-11-20T10:15:30.1234567Z");
    cr_assert_str_eq(dt_round("0001-01-01T00:00:00Z", b), "0001-01-01T00:00:00.0000000Z");
    cr_assert_str_eq(dt_round("2026-11-20", b), "2026-11-20T00:00:00.0000000Z");
    cr_assert_str_eq(dt_round("2026-11-20 10:15", b), "2026-11-20T10:15:00.0000000Z");
    cr_assert_str_eq(dt_round("2014-05-25T08:20", b), "2014-05-25T08:20:00.0000000Z");
    /* datetime(2015-12-31 23:59:59.9) from the datetime docs */
    cr_assert_str_eq(dt_round("2015-12-31 23:59:59.9", b), "2015-12-31T23:59:59.9000000Z");
    cr_assert_str_eq(dt_round("2014-05-25T08:20:03.123456", b), "2014-05-25T08:20:03.1234560Z");
    /* beyond 7 fraction digits: below a tick, dropped */
    cr_assert_str_eq(dt_round("2014-05-25T08:20:03.123456789Z", b), "2014-05-25T08:20:03.1234567Z");
    cr_assert_str_eq(dt_round("  2017-01-01 00:00:00.0000000  ", b), "2017-01-01T00:00:00.0000000Z");
}

Test(datetime, leap_years)
{
    char b[48];
    cr_assert_str_eq(dt_round("2024-02-29", b), "2024-02-29T00:00:00.0000000Z");
    cr_assert_str_eq(dt_round("2000-02-29", b), "2000-02-29T00:00:00.0000000Z");
    int64_t t;
    cr_assert(!kql_datetime_parse("2023-02-29", 10, &t));
    cr_assert(!kql_datetime_parse("1900-02-29", 10, &t));   /* century, not /400 */
    /* the day after Feb 29 is Mar 1; 2024 has 366 days */
    kql_datetime_format(dt("2024-02-29") + DAY, b);
    cr_assert_str_eq(b, "2024-03-01T00:00:00.0000000Z");
    cr_assert_eq(dt("2025-01-01") - dt("2024-01-01"), 366 * DAY);
    cr_assert_eq(dt("2024-01-01") - dt("2023-01-01"), 365 * DAY);
}

Test(datetime, offsets)
{
    /* an offset says how far local time is ahead of UTC */
    cr_assert_eq(dt("2026-11-20T12:00:00+02:00"), dt("2026-11-20T10:00:00Z"));
    cr_assert_eq(dt("2026-11-20T12:00:00-05:30"), dt("2026-11-20T17:30:00Z"));
    cr_assert_eq(dt("2026-11-20T12:00:00+0200"), dt("2026-11-20T10:00:00Z"));
    cr_assert_eq(dt("2026-11-21T01:00:00+02:00"), dt("2026-11-20T23:00:00Z"));
    cr_assert_eq(dt("2014-11-08 15:55:55.123456Z"), dt("2014-11-08T15:55:55.123456Z"));
}

Test(datetime, rfc_formats)
{
    char b[48];
    cr_assert_str_eq(dt_round("Sat, 14 Nov 2015 17:00:00 GMT", b), "2015-11-14T17:00:00.0000000Z");
    /* RFC 822 with a two-digit year, from the datetime docs */
    cr_assert_str_eq(dt_round("Sat, 8 Nov 14 15:05:02 GMT", b), "2014-11-08T15:05:02.0000000Z");
    /* RFC 850 */
    cr_assert_str_eq(dt_round("Saturday, 08-Nov-14 15:05:02 GMT", b), "2014-11-08T15:05:02.0000000Z");
    cr_assert_str_eq(dt_round("8 Nov 2014 15:05", b), "2014-11-08T15:05:00.0000000Z");
    cr_assert_str_eq(dt_round("Sat, 8 Nov 2014 15:05:02 +0100", b), "2014-11-08T14:05:02.0000000Z");
}

Test(datetime, lenient_spellings)
{
    /* spellings the docs' own queries use */
    cr_assert_eq(dt("2017 - 08 - 01"), dt("2017-08-01"));       /* sliding-window-counts */
    cr_assert_eq(dt("2025, 6, 14"), dt("2025-06-14"));           /* startofweek */
    cr_assert_eq(dt("01-01-2022"), dt("2022-01-01"));            /* array_iff: month first */
    cr_assert_eq(dt("11/20/2026 10:15"), dt("2026-11-20T10:15:00Z"));
    cr_assert_eq(dt("2026/11/20"), dt("2026-11-20"));
}

Test(datetime, rejects)
{
    const char *bad[] = {"", "   ", "hello", "2026-13-01", "2026-00-10", "2026-11-31",
                         "2026-11-20T25:00", "2026-11-20T10:60", "2026-11-20 garbage",
                         "26-11-20", "2026-11-20T10:15:30+25:00", "Sat, 14 Foo 2015 17:00:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t;
        cr_assert(!kql_datetime_parse(bad[i], strlen(bad[i]), &t), "should reject: '%s'", bad[i]);
    }
    int64_t t;
    cr_assert(!kql_datetime_parse(NULL, 0, &t));
    /* before 0001-01-01 after the offset is applied */
    cr_assert(!kql_datetime_parse("0001-01-01T00:00:00+01:00", 25, &t));
}

Test(timespan, format)
{
    char b[48];
    /* [-][d.]hh:mm:ss[.fffffff], fraction only when non-zero (NOTES.md) */
    cr_assert_str_eq(ts_fmt(0, b), "00:00:00");
    cr_assert_str_eq(ts_fmt(DAY + 12 * HOUR, b), "1.12:00:00");
    cr_assert_str_eq(ts_fmt(1000000, b), "00:00:00.1000000");
    cr_assert_str_eq(ts_fmt(-12 * HOUR, b), "-12:00:00");
    cr_assert_str_eq(ts_fmt(1, b), "00:00:00.0000001");
    cr_assert_str_eq(ts_fmt(25 * 60 * SEC, b), "00:25:00");
    cr_assert_str_eq(ts_fmt(DAY, b), "1.00:00:00");
    cr_assert_str_eq(ts_fmt(DAY + 12 * HOUR + 30 * 60 * SEC + 55 * SEC + 1230000, b),
                     "1.12:30:55.1230000");
    cr_assert_str_eq(ts_fmt(-(2 * DAY + 1), b), "-2.00:00:00.0000001");
    /* TimeSpan.MinValue must not overflow */
    cr_assert_str_eq(ts_fmt(INT64_MIN, b), "-10675199.02:48:05.4775808");
}

Test(timespan, parse_units)
{
    /* the literal table of the timespan docs */
    cr_assert_eq(ts("2d"), 2 * DAY);
    cr_assert_eq(ts("1.5h"), 90 * 60 * SEC);
    cr_assert_eq(ts("30m"), 30 * 60 * SEC);
    cr_assert_eq(ts("10s"), 10 * SEC);
    cr_assert_eq(ts("0.1s"), SEC / 10);
    cr_assert_eq(ts("100ms"), SEC / 10);
    cr_assert_eq(ts("10microsecond"), 100);
    cr_assert_eq(ts("1tick"), 1);
    cr_assert_eq(ts("15 seconds"), 15 * SEC);
    cr_assert_eq(ts("2"), 2 * DAY);   /* timespan(2) is 2 days */
    cr_assert_eq(ts("2days"), 2 * DAY);
    cr_assert_eq(ts("3 hours"), 3 * HOUR);
    cr_assert_eq(ts("5minutes"), 5 * 60 * SEC);
    cr_assert_eq(ts("250milliseconds"), SEC / 4);
    cr_assert_eq(ts("7microseconds"), 70);
    cr_assert_eq(ts("3ticks"), 3);
    cr_assert_eq(ts("-1h"), -HOUR);
    cr_assert_eq(ts("1day"), DAY);
}

Test(timespan, parse_clock)
{
    /* timespan(0.12:34:56.7) = 0d+12h+34m+56.7s (timespan docs) */
    cr_assert_eq(ts("0.12:34:56.7"), 12 * HOUR + 34 * 60 * SEC + 56 * SEC + 7000000);
    cr_assert_eq(ts("00:10:00"), 10 * 60 * SEC);
    cr_assert_eq(ts("1.00:00:00"), DAY);
    cr_assert_eq(ts("-12:00:00"), -12 * HOUR);
    cr_assert_eq(ts("1.12:30:55.1230000"), DAY + 12 * HOUR + 30 * 60 * SEC + 55 * SEC + 1230000);
    cr_assert_eq(ts("10:30"), 10 * HOUR + 30 * 60 * SEC);
    cr_assert_eq(ts("00:00:00.0000001"), 1);
    /* format and parse agree */
    char b[48];
    int64_t vals[] = {0, 1, -1, DAY + 12 * HOUR, 123456789012345LL, -98765432109LL};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        cr_assert_eq(ts(ts_fmt(vals[i], b)), vals[i], "round trip of %s", b);
}

Test(timespan, rejects)
{
    /* weeks are not a timespan unit (timespan docs) */
    const char *bad[] = {"", "abc", "1w", "25:00:00", "10:60:00", "h", "1..2h",
                         "1:2:3:4", "99999999999999999999d", "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t;
        cr_assert(!kql_timespan_parse(bad[i], strlen(bad[i]), &t), "should reject: '%s'", bad[i]);
    }
    /* a bare number is days, fractions too: 1.5 is 36 hours */
    cr_assert_eq(ts("1.5"), 36 * HOUR);
}

Test(real, shortest_format)
{
    char b[48];
    cr_assert_str_eq(real_fmt(0.1, b), "0.1");
    cr_assert_str_eq(real_fmt(1.0 / 3.0, b), "0.3333333333333333");
    cr_assert_str_eq(real_fmt(100.0, b), "100");
    cr_assert_str_eq(real_fmt(66.67, b), "66.67");
    cr_assert_str_eq(real_fmt(-1.5, b), "-1.5");
    cr_assert_str_eq(real_fmt(0.1 + 0.2, b), "0.30000000000000004");
    cr_assert_str_eq(real_fmt(0.0001, b), "0.0001");
    cr_assert_str_eq(real_fmt(123456789012345.0, b), "123456789012345");
    cr_assert_str_eq(real_fmt(1234.5678, b), "1234.5678");
}

Test(real, exponent_and_special)
{
    char b[48];
    /* .NET form, as the docs print it: 2.20904969985854E-05 (NOTES.md) */
    cr_assert_str_eq(real_fmt(2.20904969985854e-05, b), "2.20904969985854E-05");
    cr_assert_str_eq(real_fmt(1e300, b), "1E+300");
    cr_assert_str_eq(real_fmt(5e-324, b), "5E-324");
    cr_assert_str_eq(real_fmt(1e15, b), "1E+15");
    cr_assert_str_eq(real_fmt(-2.5e-7, b), "-2.5E-07");
    cr_assert_str_eq(real_fmt(1.7976931348623157e308, b), "1.7976931348623157E+308");
    cr_assert_str_eq(real_fmt(NAN, b), "NaN");
    cr_assert_str_eq(real_fmt(INFINITY, b), "Infinity");
    cr_assert_str_eq(real_fmt(-INFINITY, b), "-Infinity");
    cr_assert_str_eq(real_fmt(-0.0, b), "0");
    cr_assert_str_eq(real_fmt(0.0, b), "0");
}

Test(real, reads_back)
{
    /* whatever the form, strtod gives back the same double */
    double vals[] = {0.1, 1.0 / 3, 2.0 / 3, 1e-10, 123.456, 9007199254740993.0, 5e-324,
                     1.7976931348623157e308, 3.14159265358979};
    char b[48];
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        kql_real_format(vals[i], b);
        cr_assert_eq(strtod(b, NULL), vals[i], "%s", b);
    }
}

Test(guid, parse_format)
{
    kql_guid g;
    char b[48];
    const char *d = "74be27de-1e4e-49d9-b579-fe0b331d3642";
    cr_assert(kql_guid_parse(d, strlen(d), &g));
    cr_assert_eq(g.b[0], 0x74);
    cr_assert_eq(g.b[15], 0x42);
    cr_assert_eq(kql_guid_format(&g, b), 36);
    cr_assert_str_eq(b, d);
    /* lowercase out whatever the input's case; B, P and N forms accepted */
    const char *forms[] = {"74BE27DE-1E4E-49D9-B579-FE0B331D3642",
                           "{74be27de-1e4e-49d9-b579-fe0b331d3642}",
                           "(74be27de-1e4e-49d9-b579-fe0b331d3642)",
                           "74be27de1e4e49d9b579fe0b331d3642"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert(kql_guid_parse(forms[i], strlen(forms[i]), &g), "%s", forms[i]);
        kql_guid_format(&g, b);
        cr_assert_str_eq(b, d);
    }
    const char *bad[] = {"", "74be27de-1e4e-49d9-b579-fe0b331d364", "74be27de-1e4e-49d9-b579-fe0b331d364g",
                         "74be27de+1e4e-49d9-b579-fe0b331d3642", "{74be27de-1e4e-49d9-b579-fe0b331d3642)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert(!kql_guid_parse(bad[i], strlen(bad[i]), &g), "should reject %s", bad[i]);
}

static const char *text_of(kql_value v, kql_buf *b)
{
    kql_buf_clear(b);
    kql_value_to_text(&v, b);
    return kql_buf_cstr(b);
}

Test(value, to_text)
{
    kql_buf b;
    kql_buf_init(&b);
    cr_assert_str_eq(text_of(kql_bool(true), &b), "true");
    cr_assert_str_eq(text_of(kql_bool(false), &b), "false");
    cr_assert_str_eq(text_of(kql_long(-42), &b), "-42");
    cr_assert_str_eq(text_of(kql_int(7), &b), "7");
    cr_assert_str_eq(text_of(kql_real(5.0), &b), "5");   /* avg_y = 5 in the docs */
    cr_assert_str_eq(text_of(kql_real(2.5), &b), "2.5");
    cr_assert_str_eq(text_of(kql_string("héllo", 6), &b), "héllo");
    cr_assert_str_eq(text_of(kql_datetime(0), &b), "0001-01-01T00:00:00.0000000Z");
    cr_assert_str_eq(text_of(kql_timespan(-12 * HOUR), &b), "-12:00:00");
    kql_value g = {.type = KQL_GUID};
    memset(g.u.g.b, 0xAB, 16);
    cr_assert_str_eq(text_of(g, &b), "abababab-abab-abab-abab-abababababab");
    /* any null prints empty */
    cr_assert_str_eq(text_of(kql_null(KQL_LONG), &b), "");
    cr_assert_str_eq(text_of(kql_null(KQL_DATETIME), &b), "");
    cr_assert_str_eq(text_of(kql_null(KQL_DYNAMIC), &b), "");

    /* dynamic: a string prints bare, anything else as compact JSON */
    kql_buf enc;
    kql_buf_init(&enc);
    size_t err;
    cr_assert(kql_dyn_from_json("\"a b\"", 5, &enc, &err));
    cr_assert_str_eq(text_of(kql_dyn_value((kql_dyn)enc.data), &b), "a b");
    kql_buf_clear(&enc);
    const char *obj = "{ \"k\": [1, 2.5, \"x\"] }";
    cr_assert(kql_dyn_from_json(obj, strlen(obj), &enc, &err));
    cr_assert_str_eq(text_of(kql_dyn_value((kql_dyn)enc.data), &b), "{\"k\":[1,2.5,\"x\"]}");
    kql_buf_clear(&enc);
    cr_assert(kql_dyn_from_json("null", 4, &enc, &err));
    cr_assert_str_eq(text_of(kql_dyn_value((kql_dyn)enc.data), &b), "");
    kql_buf_free(&enc);

    /* to_text appends */
    kql_buf_clear(&b);
    kql_value one = kql_long(1), two = kql_long(2);
    kql_value_to_text(&one, &b);
    kql_value_to_text(&two, &b);
    cr_assert_str_eq(kql_buf_cstr(&b), "12");
    kql_buf_free(&b);
}

Test(value, hash_bytes)
{
    cr_assert_eq(kql_hash_bytes("abc", 3), kql_hash_bytes("abcd", 3));
    cr_assert_neq(kql_hash_bytes("abc", 3), kql_hash_bytes("abd", 3));
    cr_assert_neq(kql_hash_bytes("", 0), kql_hash_bytes("\0", 1));
    cr_assert_neq(kql_hash_u64(1), kql_hash_u64(2));
}

/* Significant digits of a formatted real ("-0.00125" -> 3, "1.5E+20" -> 2). */
static int sig_digits(const char *s)
{
    int n = 0, lead = 1;
    for (; *s && *s != 'E'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (lead && *s == '0')
            continue;
        lead = 0;
        n++;
    }
    return n;
}

Test(real, shortest_against_reference)
{
    /* Reference: the fewest digits (%.{p-1}e, p = 1..17) that read back. The
     * formatter must read back too, with exactly that many digits. Values
     * span the fast path (short decimals) and the printf path. */
    unsigned seed = 12345;
    char b[48], ref[48];
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        double r;
        switch (i % 4) {
        case 0: r = (double)(int)(seed % 2000000) / 1000.0 - 1000; break;   /* 3 decimals */
        case 1: r = (double)(seed % 100000) / 1e7; break;                   /* tiny */
        case 2: r = (double)seed / 7.0; break;                              /* long */
        default: r = ldexp((double)seed, (int)(seed % 200) - 100); break;  /* wide range */
        }
        if (r == (double)(int64_t)r)
            continue;   /* whole numbers: covered elsewhere */
        int p;
        for (p = 1; p <= 17; p++) {
            snprintf(ref, sizeof ref, "%.*e", p - 1, r);
            if (strtod(ref, NULL) == r)
                break;
        }
        kql_real_format(r, b);
        cr_assert_eq(strtod(b, NULL), r, "%s reads back", b);
        /* trailing zeros of a plain integer part ("1200000") are not digits here */
        if (strchr(b, '.') || strchr(b, 'E'))
            cr_assert_eq(sig_digits(b), p, "%s vs %s", b, ref);
    }
}
