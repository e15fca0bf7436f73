/* test_dynamic.c - unit tests for runtime/dynamic.c: JSON and dynamic-literal
 * parsing into the binary encoding, compact JSON output, reading (index, get,
 * iteration), the builder API, equality, hashing and ordering.
 * Expected JSON texts are written by hand from the rules in dynamic.h and
 * /work/shared/conformance/NOTES.md. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dynamic.h"

/* Each test parses into `enc` and prints into `txt`; both freed in fini. */
static kql_buf enc, txt;

static void setup(void)
{
    kql_buf_init(&enc);
    kql_buf_init(&txt);
}

static void teardown(void)
{
    kql_buf_free(&enc);
    kql_buf_free(&txt);
}

TestSuite(dynamic, .init = setup, .fini = teardown);

/* Parses JSON (must succeed) and returns the encoded value. */
static kql_dyn json(const char *s)
{
    size_t err = 99;
    kql_buf_clear(&enc);
    cr_assert(kql_dyn_from_json(s, strlen(s), &enc, &err), "should parse: %s (err at %zu)", s, err);
    cr_assert_eq(err, 0);
    return (kql_dyn)enc.data;
}

static kql_dyn literal(const char *s)
{
    size_t err = 99;
    kql_buf_clear(&enc);
    cr_assert(kql_dyn_from_literal(s, strlen(s), &enc, &err), "should parse: %s (err at %zu)", s, err);
    return (kql_dyn)enc.data;
}

static const char *to_json(kql_dyn d)
{
    kql_buf_clear(&txt);
    kql_dyn_to_json(d, &txt);
    return kql_buf_cstr(&txt);
}

/* JSON in, compact JSON out */
static void round_trip(const char *in, const char *expected)
{
    cr_assert_str_eq(to_json(json(in)), expected, "input: %s", in);
}

/* The offset where malformed JSON is reported. */
static size_t json_error_at(const char *s, size_t len)
{
    size_t err = 0;
    kql_buf_clear(&enc);
    cr_assert(!kql_dyn_from_json(s, len, &enc, &err), "should fail: %s", s);
    cr_assert_eq(enc.len, 0, "a failed parse leaves nothing behind");
    return err;
}

Test(dynamic, scalars)
{
    round_trip("null", "null");
    round_trip("true", "true");
    round_trip("false", "false");
    round_trip("0", "0");
    round_trip("-17", "-17");
    round_trip("\"abc\"", "\"abc\"");
    round_trip("  42  ", "42");
    cr_assert_eq(kql_dyn_tag_of(json("42")), KQL_DYN_LONG);
    cr_assert_eq(kql_dyn_long(json("42")), 42);
    cr_assert_eq(kql_dyn_size(json("42")), 9);
    cr_assert_eq(kql_dyn_size(json("\"abc\"")), 8);
    cr_assert_eq(kql_dyn_size(json("true")), 1);
}

Test(dynamic, numbers_long_vs_real)
{
    /* integers that fit int64 are LONG; anything with a point or an
     * exponent, or too big, is REAL */
    cr_assert_eq(kql_dyn_tag_of(json("9223372036854775807")), KQL_DYN_LONG);
    cr_assert_eq(kql_dyn_long(json("9223372036854775807")), INT64_MAX);
    cr_assert_eq(kql_dyn_long(json("-9223372036854775808")), INT64_MIN);
    cr_assert_eq(kql_dyn_tag_of(json("9223372036854775808")), KQL_DYN_REAL);
    cr_assert_eq(kql_dyn_real(json("9223372036854775808")), 9223372036854775808.0);
    cr_assert_eq(kql_dyn_tag_of(json("-9223372036854775809")), KQL_DYN_REAL);
    cr_assert_eq(kql_dyn_tag_of(json("1.0")), KQL_DYN_REAL);
    cr_assert_eq(kql_dyn_tag_of(json("1e2")), KQL_DYN_REAL);
    cr_assert_eq(kql_dyn_real(json("1e2")), 100.0);
    cr_assert_eq(kql_dyn_real(json("-2.5E-3")), -0.0025);
    /* inside JSON a whole real keeps ".0" ([5.0] in the docs, NOTES.md),
     * other reals print shortest */
    round_trip("1.0", "1.0");
    round_trip("[5.0,-1.0,0.25]", "[5.0,-1.0,0.25]");
    round_trip("0.1", "0.1");
    round_trip("1e300", "1E+300");
    round_trip("12345678901234567890", "1.2345678901234567E+19");
}

Test(dynamic, nested_round_trips)
{
    round_trip("{\"a\":1,\"b\":[true,false,null],\"c\":\"x\"}", "{\"a\":1,\"b\":[true,false,null],\"c\":\"x\"}");
    round_trip(" { \"a\" : 1 ,\n\t\"b\" : [ 1 , 2 ] } ", "{\"a\":1,\"b\":[1,2]}");
    round_trip("[]", "[]");
    round_trip("{}", "{}");
    round_trip("[[],[[]],{}]", "[[],[[]],{}]");
    round_trip("[{\"x\":{\"y\":[1,{\"z\":null}]}}]", "[{\"x\":{\"y\":[1,{\"z\":null}]}}]");
    /* keys keep insertion order, not sorted */
    round_trip("{\"z\":1,\"a\":2,\"m\":3}", "{\"z\":1,\"a\":2,\"m\":3}");
    kql_dyn d = json("{\"a\":[1,2,3],\"b\":{}}");
    cr_assert_eq(kql_dyn_count(d), 2);
    cr_assert_eq(kql_dyn_size(d), enc.len);
}

Test(dynamic, duplicate_keys)
{
    /* the last value wins, in the first key's place (Json.NET's default,
     * DuplicatePropertyNameHandling.Replace) */
    round_trip("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}");
    round_trip("{\"a\":1,\"a\":[2],\"a\":{\"x\":1,\"x\":2}}", "{\"a\":{\"x\":2}}");
    round_trip("[{\"k\":1,\"k\":2},{\"k\":3}]", "[{\"k\":2},{\"k\":3}]");
    kql_dyn d = json("{\"a\":1,\"b\":2,\"a\":3}");
    cr_assert_eq(kql_dyn_count(d), 2);
    cr_assert_eq(kql_dyn_size(d), enc.len);
    cr_assert_eq(kql_dyn_long(kql_dyn_get(d, "a", 1)), 3);
    /* many keys (past the on-stack table) */
    kql_buf big;
    kql_buf_init(&big);
    kql_buf_putc(&big, '{');
    for (int i = 0; i < 40; i++)
        kql_buf_printf(&big, "%s\"k%d\":%d", i ? "," : "", i % 20, i);
    kql_buf_putc(&big, '}');
    d = json(kql_buf_cstr(&big));
    cr_assert_eq(kql_dyn_count(d), 20);
    cr_assert_eq(kql_dyn_long(kql_dyn_get(d, "k5", 2)), 25);
    cr_assert_eq(kql_dyn_long(kql_dyn_index(json("[0]"), 0)), 0);
    kql_buf_free(&big);
}

Test(dynamic, string_escapes)
{
    round_trip("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\"", "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\"");
    /* \/ is just '/', other control characters come out as \u00XX */
    round_trip("\"x\\/y\\u0001\\u001f\"", "\"x/y\\u0001\\u001f\"");
    kql_str s = kql_dyn_string(json("\"tab\\there\""));
    cr_assert_eq(s.len, 8);
    cr_assert(memcmp(s.ptr, "tab\there", 8) == 0);
    /* \u00e9 is é: UTF-8 C3 A9; non-ASCII passes through on output */
    s = kql_dyn_string(json("\"caf\\u00e9\""));
    cr_assert_eq(s.len, 5);
    cr_assert(memcmp(s.ptr, "caf\xc3\xa9", 5) == 0);
    round_trip("\"caf\\u00e9\"", "\"caf\xc3\xa9\"");
    round_trip("\"\xe2\x92\xa6\"", "\"\xe2\x92\xa6\"");
    /* \u20ac is the euro sign, three UTF-8 bytes */
    s = kql_dyn_string(json("\"\\u20AC\""));
    cr_assert(s.len == 3 && memcmp(s.ptr, "\xe2\x82\xac", 3) == 0);
}

Test(dynamic, surrogate_pairs)
{
    /* U+1F600 is \ud83d\ude00 in JSON and F0 9F 98 80 in UTF-8 */
    kql_str s = kql_dyn_string(json("\"\\ud83d\\ude00\""));
    cr_assert_eq(s.len, 4);
    cr_assert(memcmp(s.ptr, "\xf0\x9f\x98\x80", 4) == 0);
    /* a lone surrogate can't be UTF-8: it becomes U+FFFD (EF BF BD) */
    s = kql_dyn_string(json("\"\\ud83dx\""));
    cr_assert(s.len == 4 && memcmp(s.ptr, "\xef\xbf\xbdx", 4) == 0);
    s = kql_dyn_string(json("\"\\ude00\""));
    cr_assert(s.len == 3 && memcmp(s.ptr, "\xef\xbf\xbd", 3) == 0);
}

Test(dynamic, malformed_offsets)
{
    cr_assert_eq(json_error_at("", 0), 0);
    cr_assert_eq(json_error_at("   ", 3), 3);
    cr_assert_eq(json_error_at("{\"a\":1,}", 8), 7);     /* '}' where a key belongs */
    cr_assert_eq(json_error_at("[1,2", 4), 4);           /* ran out */
    cr_assert_eq(json_error_at("{\"a\" 1}", 7), 5);      /* missing ':' */
    cr_assert_eq(json_error_at("tru", 3), 0);
    cr_assert_eq(json_error_at("\"abc", 4), 4);          /* unterminated string */
    cr_assert_eq(json_error_at("[1] x", 5), 4);          /* trailing text */
    cr_assert_eq(json_error_at("01", 2), 1);             /* no leading zeros in JSON */
    cr_assert_eq(json_error_at("[1,,2]", 6), 3);
    cr_assert_eq(json_error_at("\"a\\qb\"", 6), 2);      /* unknown escape */
    cr_assert_eq(json_error_at("\"\\u12g4\"", 8), 1);
    cr_assert_eq(json_error_at("-", 1), 1);
    cr_assert_eq(json_error_at("1.", 2), 2);
    cr_assert_eq(json_error_at("{'a':1}", 7), 1);        /* single quotes are not JSON */
    cr_assert_eq(json_error_at("[1d]", 4), 2);           /* nor are timespan literals */
    /* the text need not be NUL-terminated: only len bytes count */
    cr_assert_eq(json_error_at("[1,2]", 3), 3);
}

Test(dynamic, depth_limit)
{
    /* 512 levels parse; a 513th is an error at that bracket, and 100000
     * levels fail cleanly instead of overflowing the stack */
    enum { DEEP = 100000 };
    char *s = malloc(2 * DEEP);   /* freed below */
    memset(s, '[', DEEP);
    memset(s + DEEP, ']', DEEP);
    size_t err = 0;
    cr_assert(kql_dyn_from_json(s + DEEP - 512, 1024, &enc, &err));
    kql_dyn d = (kql_dyn)enc.data;
    for (int i = 0; i < 511; i++)
        d = kql_dyn_index(d, 0);
    cr_assert_eq(kql_dyn_count(d), 0);
    kql_buf_clear(&enc);
    cr_assert(!kql_dyn_from_json(s + DEEP - 513, 1026, &enc, &err));
    cr_assert_eq(err, 512);
    cr_assert(!kql_dyn_from_json(s, 2 * DEEP, &enc, &err));
    cr_assert_eq(err, 512);
    memset(s, '{', DEEP);
    cr_assert(!kql_dyn_from_json(s, DEEP, &enc, &err));
    free(s);
}

Test(dynamic, index_and_get)
{
    kql_dyn a = json("[10,20,30]");
    cr_assert_eq(kql_dyn_count(a), 3);
    cr_assert_eq(kql_dyn_long(kql_dyn_index(a, 0)), 10);
    cr_assert_eq(kql_dyn_long(kql_dyn_index(a, 2)), 30);
    /* negative indexes count from the end */
    cr_assert_eq(kql_dyn_long(kql_dyn_index(a, -1)), 30);
    cr_assert_eq(kql_dyn_long(kql_dyn_index(a, -3)), 10);
    cr_assert_null(kql_dyn_index(a, 3));
    cr_assert_null(kql_dyn_index(a, -4));
    cr_assert_eq(kql_dyn_long(kql_dyn_first(a)), 10);
    cr_assert_eq(kql_dyn_long(kql_dyn_next(kql_dyn_first(a))), 20);
    cr_assert_null(kql_dyn_first(json("[]")));
    cr_assert_null(kql_dyn_index(json("{\"a\":1}"), 0));

    kql_dyn o = json("{\"name\":\"x\",\"arr\":[1,[2,3]],\"n\":null,\"Name\":5}");
    kql_str s = kql_dyn_string(kql_dyn_get(o, "name", 4));
    cr_assert(s.len == 1 && s.ptr[0] == 'x');
    /* property names are case-sensitive */
    cr_assert_eq(kql_dyn_long(kql_dyn_get(o, "Name", 4)), 5);
    cr_assert_eq(kql_dyn_tag_of(kql_dyn_get(o, "n", 1)), KQL_DYN_NULL);
    cr_assert_null(kql_dyn_get(o, "missing", 7));
    cr_assert_null(kql_dyn_get(o, "nam", 3));
    kql_dyn inner = kql_dyn_index(kql_dyn_get(o, "arr", 3), 1);
    cr_assert_eq(kql_dyn_long(kql_dyn_index(inner, -1)), 3);
    cr_assert_eq(kql_dyn_count(json("5")), 0);
    cr_assert_null(kql_dyn_get(json("[\"name\"]"), "name", 4));
}

Test(dynamic, property_iteration)
{
    kql_dyn o = json("{\"b\":1,\"a\":[2],\"c\":\"three\"}");
    const char *keys[] = {"b", "a", "c"};
    const uint8_t *p = kql_dyn_prop_first(o);
    for (uint32_t k = 0; k < kql_dyn_count(o); k++) {
        kql_str key;
        kql_dyn v;
        kql_dyn_prop(p, &key, &v);
        cr_assert(key.len == 1 && key.ptr[0] == keys[k][0]);
        cr_assert_eq(kql_dyn_get(o, key.ptr, key.len), v);
        p = kql_dyn_prop_next(p);
    }
    cr_assert_eq(p, (const uint8_t *)o + kql_dyn_size(o));
    cr_assert_null(kql_dyn_prop_first(json("{}")));
}

Test(dynamic, builder)
{
    kql_buf_clear(&enc);
    size_t obj = kql_dyn_begin_object(&enc);
    kql_dyn_put_key(&enc, "s", 1);
    kql_dyn_put_string(&enc, "q\"", 2);
    kql_dyn_put_key(&enc, "list", 4);
    size_t arr = kql_dyn_begin_array(&enc);
    kql_dyn_put_long(&enc, 1);
    kql_dyn_put_real(&enc, 2.5);
    kql_dyn_put_bool(&enc, true);
    kql_dyn_put_null(&enc);
    kql_dyn_end(&enc, arr, 4);
    kql_dyn_put_key(&enc, "when", 4);
    kql_dyn_put_datetime(&enc, 0);
    kql_dyn_put_key(&enc, "span", 4);
    kql_dyn_put_timespan(&enc, 36000000000LL + 864000000000LL);
    kql_dyn_put_key(&enc, "id", 2);
    kql_guid g;
    memset(g.b, 0x0f, 16);
    kql_dyn_put_guid(&enc, &g);
    kql_dyn_end(&enc, obj, 5);
    /* datetimes, timespans and guids print as JSON strings */
    cr_assert_str_eq(to_json((kql_dyn)enc.data),
                     "{\"s\":\"q\\\"\",\"list\":[1,2.5,true,null],"
                     "\"when\":\"0001-01-01T00:00:00.0000000Z\",\"span\":\"1.01:00:00\","
                     "\"id\":\"0f0f0f0f-0f0f-0f0f-0f0f-0f0f0f0f0f0f\"}");
    cr_assert_eq(kql_dyn_size((kql_dyn)enc.data), enc.len);
}

Test(dynamic, put_value_and_raw)
{
    kql_buf_clear(&enc);
    size_t arr = kql_dyn_begin_array(&enc);
    kql_value vals[] = {kql_long(3), kql_int(4), kql_real(0.5), kql_bool(false),
                        kql_string("hi", 2), kql_null(KQL_LONG), kql_timespan(-10000000)};
    for (size_t i = 0; i < 7; i++)
        kql_dyn_put_value(&enc, &vals[i]);
    kql_dyn_end(&enc, arr, 7);
    cr_assert_str_eq(to_json((kql_dyn)enc.data), "[3,4,0.5,false,\"hi\",null,\"-00:00:01\"]");
    /* a dynamic value nests as is; put_raw copies an encoding */
    kql_buf other;
    kql_buf_init(&other);
    kql_value dv = kql_dyn_value((kql_dyn)enc.data);
    kql_dyn_put_value(&other, &dv);
    kql_dyn_put_raw(&other, (kql_dyn)enc.data);
    cr_assert_eq(other.len, 2 * enc.len);
    cr_assert(memcmp(other.data, other.data + enc.len, enc.len) == 0);
    kql_buf_free(&other);
}

Test(dynamic, special_reals)
{
    /* NaN and infinities are not JSON numbers: printed as quoted strings */
    kql_buf_clear(&enc);
    size_t arr = kql_dyn_begin_array(&enc);
    kql_dyn_put_real(&enc, NAN);
    kql_dyn_put_real(&enc, INFINITY);
    kql_dyn_put_real(&enc, -INFINITY);
    kql_dyn_put_real(&enc, 1e-7);
    kql_dyn_end(&enc, arr, 4);
    cr_assert_str_eq(to_json((kql_dyn)enc.data), "[\"NaN\",\"Infinity\",\"-Infinity\",1E-07]");
}

Test(dynamic, to_scalar)
{
    kql_value v = kql_dyn_to_scalar(json("5"));
    cr_assert(v.type == KQL_LONG && !v.is_null && v.u.i == 5);
    v = kql_dyn_to_scalar(json("5.5"));
    cr_assert(v.type == KQL_REAL && v.u.r == 5.5);
    v = kql_dyn_to_scalar(json("\"s\""));
    cr_assert(v.type == KQL_STRING && v.u.s.len == 1 && v.u.s.ptr[0] == 's');
    v = kql_dyn_to_scalar(json("true"));
    cr_assert(v.type == KQL_BOOL && v.u.b);
    v = kql_dyn_to_scalar(json("false"));
    cr_assert(v.type == KQL_BOOL && !v.u.b);
    v = kql_dyn_to_scalar(literal("datetime(2020-01-01)"));
    cr_assert(v.type == KQL_DATETIME && v.u.i == 637134336000000000LL);
    v = kql_dyn_to_scalar(literal("2h"));
    cr_assert(v.type == KQL_TIMESPAN && v.u.i == 72000000000LL);
    v = kql_dyn_to_scalar(literal("guid(00000000-0000-0000-0000-0000000000ff)"));
    cr_assert(v.type == KQL_GUID && v.u.g.b[15] == 0xff && v.u.g.b[0] == 0);
    const char *nullish[] = {"null", "[1]", "{\"a\":1}"};
    for (int i = 0; i < 3; i++) {
        v = kql_dyn_to_scalar(json(nullish[i]));
        cr_assert(v.type == KQL_DYNAMIC && v.is_null, "%s", nullish[i]);
    }
    /* kql_dyn_value: a dynamic null is a null value */
    cr_assert(kql_dyn_value(json("null")).is_null);
    v = kql_dyn_value(json("[1,2]"));
    cr_assert(v.type == KQL_DYNAMIC && !v.is_null && v.u.s.len == enc.len);
}

Test(dynamic, strings_are_not_datetimes)
{
    /* parse_json keeps ISO text a string (dynamic.h) */
    cr_assert_eq(kql_dyn_tag_of(json("\"2020-01-01T00:00:00Z\"")), KQL_DYN_STRING);
}

Test(dynamic, literals)
{
    /* single quotes, escaped quotes, datetime(...) inside dynamic(...) */
    cr_assert_str_eq(to_json(literal("{'a': 'it\\'s', \"b\": datetime(2015-12-31)}")),
                     "{\"a\":\"it's\",\"b\":\"2015-12-31T00:00:00.0000000Z\"}");
    cr_assert_str_eq(to_json(literal("[1d, 1.5h, 30m, 100ms, time(00:10:00), timespan(2)]")),
                     "[\"1.00:00:00\",\"01:30:00\",\"00:30:00\",\"00:00:00.1000000\",\"00:10:00\","
                     "\"2.00:00:00\"]");
    cr_assert_str_eq(to_json(literal("[long(5), int(-3), real(2), double(0.5), real(nan), "
                                     "bool(true), datetime(null), null, true, false]")),
                     "[5,-3,2.0,0.5,\"NaN\",true,null,null,true,false]");
    cr_assert_str_eq(to_json(literal("[guid(74be27de-1e4e-49d9-b579-fe0b331d3642)]")),
                     "[\"74be27de-1e4e-49d9-b579-fe0b331d3642\"]");
    cr_assert_str_eq(to_json(literal("{ 'when' : datetime(2015-12-31 23:59:59.9) }")),
                     "{\"when\":\"2015-12-31T23:59:59.9000000Z\"}");
    /* verbatim strings keep backslashes; a doubled quote is one quote */
    cr_assert_str_eq(to_json(literal("@'C:\\temp'")), "\"C:\\\\temp\"");
    cr_assert_str_eq(to_json(literal("@'a'''")), "\"a'\"");
    /* plain JSON is a literal too */
    cr_assert_str_eq(to_json(literal("{\"a\":[1,2.0,\"x\"]}")), "{\"a\":[1,2.0,\"x\"]}");
    cr_assert_str_eq(to_json(literal("dynamic([1])")), "[1]");
    size_t err;
    cr_assert(!kql_dyn_from_literal("[datetime(2015-13-01)]", 22, &enc, &err));
    cr_assert_eq(err, 10);
    cr_assert(!kql_dyn_from_literal("[foo(1)]", 8, &enc, &err));
    cr_assert_eq(err, 1);
    cr_assert(!kql_dyn_from_literal("[1w]", 4, &enc, &err));
    cr_assert_eq(err, 1);
}

/* JSON parsed (must succeed) into a buffer of its own, so that two values
 * can be compared; the caller frees it. */
static kql_buf parsed(const char *s)
{
    kql_buf b;
    size_t err;
    kql_buf_init(&b);
    cr_assert(kql_dyn_from_json(s, strlen(s), &b, &err), "should parse: %s", s);
    return b;
}

static bool dyn_eq(const char *a, const char *b)
{
    kql_buf x = parsed(a), y = parsed(b);
    bool eq = kql_dyn_equal((kql_dyn)x.data, (kql_dyn)y.data);
    cr_assert_eq(eq, kql_dyn_equal((kql_dyn)y.data, (kql_dyn)x.data), "equality is symmetric");
    cr_assert_eq(eq, kql_dyn_compare((kql_dyn)x.data, (kql_dyn)y.data) == 0,
                 "compare agrees with equal: %s vs %s", a, b);
    if (eq)
        cr_assert_eq(kql_dyn_hash((kql_dyn)x.data), kql_dyn_hash((kql_dyn)y.data),
                     "equal values hash alike: %s vs %s", a, b);
    kql_buf_free(&x);
    kql_buf_free(&y);
    return eq;
}

Test(dynamic, equality_and_hash)
{
    /* numbers compare by value: 1 == 1.0 */
    cr_assert(dyn_eq("1", "1.0"));
    cr_assert(dyn_eq("[1,2]", "[1.0,2e0]"));
    cr_assert(!dyn_eq("1", "1.5"));
    cr_assert(!dyn_eq("1", "\"1\""));
    cr_assert(!dyn_eq("[1,2]", "[2,1]"));
    cr_assert(!dyn_eq("[1,2]", "[1,2,3]"));
    /* objects ignore key order */
    cr_assert(dyn_eq("{\"a\":1,\"b\":{\"c\":[true]}}", "{\"b\":{\"c\":[true]},\"a\":1.0}"));
    cr_assert(!dyn_eq("{\"a\":1}", "{\"a\":2}"));
    cr_assert(!dyn_eq("{\"a\":1}", "{\"b\":1}"));
    cr_assert(!dyn_eq("{\"a\":1}", "{\"a\":1,\"b\":1}"));
    cr_assert(dyn_eq("null", "null"));
    cr_assert(!dyn_eq("null", "false"));
    cr_assert(dyn_eq("\"x\"", "\"x\""));
    cr_assert(!dyn_eq("\"x\"", "\"xy\""));
    cr_assert(!dyn_eq("[]", "{}"));
}

static int dyn_cmp(const char *a, const char *b)
{
    kql_buf x = parsed(a), y = parsed(b);
    int c = kql_dyn_compare((kql_dyn)x.data, (kql_dyn)y.data);
    cr_assert_eq(c, -kql_dyn_compare((kql_dyn)y.data, (kql_dyn)x.data), "antisymmetric");
    kql_buf_free(&x);
    kql_buf_free(&y);
    return c;
}

Test(dynamic, ordering)
{
    /* kinds: null < false < true < numbers < string < array < object */
    cr_assert_lt(dyn_cmp("null", "false"), 0);
    cr_assert_lt(dyn_cmp("false", "true"), 0);
    cr_assert_lt(dyn_cmp("true", "-5"), 0);
    cr_assert_lt(dyn_cmp("99", "\"a\""), 0);
    cr_assert_lt(dyn_cmp("\"zzz\"", "[]"), 0);
    cr_assert_lt(dyn_cmp("[9]", "{}"), 0);
    /* numbers by value, long against real */
    cr_assert_lt(dyn_cmp("1", "1.5"), 0);
    cr_assert_gt(dyn_cmp("2", "1.5"), 0);
    cr_assert_lt(dyn_cmp("-3.5", "-3"), 0);
    /* strings ordinal by bytes: "B" (0x42) < "a" (0x61) */
    cr_assert_lt(dyn_cmp("\"B\"", "\"a\""), 0);
    cr_assert_lt(dyn_cmp("\"ab\"", "\"abc\""), 0);
    /* arrays element by element, then length */
    cr_assert_lt(dyn_cmp("[1,2]", "[1,3]"), 0);
    cr_assert_lt(dyn_cmp("[1,2]", "[1,2,0]"), 0);
}

Test(dynamic, reals_match_strtod)
{
    /* every real parses to the double strtod gives (the parser has a fast
     * path for short decimals; both must agree bit for bit) */
    unsigned seed = 777;
    char s[64];
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned a = seed % 100000000u;
        seed = seed * 1103515245u + 12345u;
        int frac_digits = (int)(seed % 12), exp10 = (int)(seed >> 8) % 60 - 30;
        int n;
        if (i % 3 == 0)
            n = snprintf(s, sizeof s, "%s%u.%0*u", seed & 1 ? "-" : "", a, frac_digits ? frac_digits : 1,
                         seed % 1000u);
        else if (i % 3 == 1)
            n = snprintf(s, sizeof s, "%u.%ue%d", a % 1000u, seed % 100000u, exp10);
        else
            n = snprintf(s, sizeof s, "0.%0*u%u", frac_digits, a % 97u, seed % 1000u);
        kql_dyn d = json(s);
        cr_assert_eq(kql_dyn_tag_of(d), KQL_DYN_REAL, "%s", s);
        cr_assert_eq(kql_dyn_real(d), strtod(s, NULL), "%s (len %d)", s, n);
    }
    cr_assert_eq(kql_dyn_real(json("-0.0")), 0.0);
    cr_assert(signbit(kql_dyn_real(json("-0.0"))));
    cr_assert_eq(kql_dyn_real(json("1.7976931348623157e308")), 1.7976931348623157e308);
    cr_assert_eq(kql_dyn_real(json("4.9e-324")), 5e-324);
    cr_assert_eq(kql_dyn_real(json("123456789012345678.5")), 123456789012345678.5);
}

Test(dynamic, mutated_input_never_crashes)
{
    /* Random edits of valid texts: the parsers either fail cleanly or give a
     * value whose JSON parses back to an equal value (ASan watches reads). */
    const char *seeds[] = {
        "{\"a\":[1,2.5,\"x\\u00e9\\n\"],\"b\":{\"c\":null,\"d\":true},\"e\":-1e-3}",
        "[{'k': datetime(2015-12-31 23:59), 't': 1.5h}, @'v\\\\', guid(74be27de-1e4e-49d9-b579-fe0b331d3642)]",
    };
    const char alphabet[] = "{}[]\",:'\\u0123456789.eE+-tfnul@()dhms xyz";
    unsigned seed = 4242;
    char s[256];
    kql_buf back;
    kql_buf_init(&back);
    for (int i = 0; i < 20000; i++) {
        const char *src = seeds[i % 2];
        size_t n = strlen(src);
        memcpy(s, src, n);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            if (seed % 3 == 0 && n > 1) {
                n = at + (seed >> 10) % (n - at);   /* truncate */
                if (!n)
                    n = 1;
            } else {
                s[at] = alphabet[(seed >> 12) % (sizeof alphabet - 1)];
            }
        }
        size_t err = 0;
        kql_buf_clear(&enc);
        bool ok = i % 4 < 2 ? kql_dyn_from_json(s, n, &enc, &err) : kql_dyn_from_literal(s, n, &enc, &err);
        if (!ok) {
            cr_assert_leq(err, n);
            continue;
        }
        cr_assert_eq(kql_dyn_size((kql_dyn)enc.data), enc.len);
        const char *j = to_json((kql_dyn)enc.data);
        kql_buf_clear(&back);
        cr_assert(kql_dyn_from_json(j, strlen(j), &back, &err), "output is JSON: %s", j);
        /* datetimes/timespans/guids come back as strings, NaN as "NaN":
         * compare JSON texts instead of values */
        kql_buf again;
        kql_buf_init(&again);
        kql_dyn_to_json((kql_dyn)back.data, &again);
        cr_assert_eq(again.len, strlen(j));
        cr_assert(memcmp(again.data, j, again.len) == 0);
        kql_buf_free(&again);
    }
    kql_buf_free(&back);
}
