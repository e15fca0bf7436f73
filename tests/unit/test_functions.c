/* test_functions.c - the built-in scalar functions, called the way the
 * evaluator calls them: found by name in the registry, typed by their rule,
 * evaluated on hand-built values. Expected values come from the Kusto docs
 * (examples quoted in /work/shared/conformance) or are worked out by hand;
 * each test names the rule it checks.
 */
#include "test_helpers.h"

static void setup(void)
{
    ctx_open();
    /* now() = 2026-11-20T10:00:00Z */
    cr_assert(kql_datetime_parse("2026-11-20T10:00:00Z", 20, &ctx.now));
}

TestSuite(functions, .init = setup, .fini = ctx_close);

/* ---- helpers ---- */

static kql_value DT(const char *s)
{
    int64_t t;
    cr_assert(kql_datetime_parse(s, strlen(s), &t), "bad datetime literal %s", s);
    return kql_datetime(t);
}

static kql_value TS(const char *s)
{
    int64_t t;
    cr_assert(kql_timespan_parse(s, strlen(s), &t), "bad timespan literal %s", s);
    return kql_timespan(t);
}

/* The type rule's error for these argument types ("" when it accepts them). */
static const char *type_error(const char *name, size_t n, const kql_type *types)
{
    static char err[256];
    err[0] = '\0';
    const kql_function *f = kql_function_find(name);
    cr_assert(f);
    kql_type rt = f->result_type(types, n, err, sizeof err);
    if (rt != KQL_TYPE_UNKNOWN)
        return "";
    return err;
}
#define TYPE_ERROR(name, ...) \
    type_error(name, sizeof((kql_type[]){ __VA_ARGS__ }) / sizeof(kql_type), (kql_type[]){ __VA_ARGS__ })

/* tostring() text of any value (dynamic: compact JSON) */
static const char *text(kql_value v)
{
    kql_buf_clear(&text_buf);
    kql_value_to_text(&v, &text_buf);
    return kql_buf_cstr(&text_buf);
}

static void assert_null(kql_value v)
{
    cr_assert(v.is_null, "got %s, want null", text(v));
}

static void assert_dt(kql_value v, const char *want)
{
    cr_assert_eq(v.type, KQL_DATETIME);
    cr_assert(!v.is_null, "got null, want %s", want);
    kql_value w = DT(want);
    cr_assert_eq(v.u.i, w.u.i, "got %s, want %s", text(v), want);
}

static void assert_ts(kql_value v, const char *want)
{
    cr_assert_eq(v.type, KQL_TIMESPAN);
    cr_assert(!v.is_null, "got null, want %s", want);
    cr_assert_eq(v.u.i, TS(want).u.i, "got %s, want %s", text(v), want);
}

/* ---- registry ---- */

Test(functions, lookup_is_exact_and_case_sensitive)
{
    cr_assert_not_null(kql_function_find("strlen"));
    cr_assert_null(kql_function_find("StrLen"));
    cr_assert_null(kql_function_find("no_such_function"));
    cr_assert_eq(kql_function_find("iif")->eval, kql_function_find("iff")->eval);
}

static void count_name(const char *name, void *arg)
{
    (void)name;
    (*(int *)arg)++;
}

Test(functions, every_name_is_listed_once_and_found)
{
    int n = 0;
    kql_function_each_name(count_name, &n);
    cr_assert_gt(n, 100);
    const char *required[] = { "ago", "now", "todynamic", "parse_json", "tostring", "toint",
                               "tolong", "toreal", "todouble", "todatetime", "case", "iff",
                               "iif", "round", "bin", "isempty", "isnotempty", "isnull",
                               "isnotnull", "strcat", "tolower", "toupper", "strlen" };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        cr_assert_not_null(kql_function_find(required[i]), "%s missing", required[i]);
}

/* ---- conversions (NOTES §17: failure gives null) ---- */

Test(functions, tostring_renders_every_type)
{
    assert_str(CALL("tostring", kql_long(123)), "123");
    assert_str(CALL("tostring", kql_int(-7)), "-7");
    assert_str(CALL("tostring", kql_real(1.5)), "1.5");
    assert_str(CALL("tostring", kql_real(100)), "100");
    assert_str(CALL("tostring", kql_bool(true)), "true");
    assert_str(CALL("tostring", S("abc")), "abc");
    assert_str(CALL("tostring", DT("2017-01-01 10:10:17")), "2017-01-01T10:10:17.0000000Z");
    assert_str(CALL("tostring", TS("1d")), "1.00:00:00");
    /* a dynamic string prints bare, a bag as compact JSON */
    assert_str(CALL("tostring", DYN("\"a\"")), "a");
    assert_str(CALL("tostring", DYN("{\"a\": 1, \"b\": [true, null]}")), "{\"a\":1,\"b\":[true,null]}");
    /* tostring(null) is "" (strings have no null) */
    assert_str(CALL("tostring", kql_null(KQL_LONG)), "");
}

Test(functions, toint_parses_truncates_and_fails_to_null)
{
    assert_long(CALL("toint", S("123")), 123);            /* toint docs */
    assert_long(CALL("toint", kql_real(2.3)), 2);         /* toint docs: truncated */
    assert_long(CALL("toint", kql_real(-2.7)), -2);       /* toward zero */
    assert_long(CALL("toint", kql_bool(true)), 1);
    assert_long(CALL("toint", S(" 42 ")), 42);
    assert_long(CALL("toint", DYN("7")), 7);
    assert_null(CALL("toint", S("abc")));
    assert_null(CALL("toint", S("")));
    assert_null(CALL("toint", S("3000000000")));          /* outside 32 bits */
    assert_null(CALL("toint", kql_real(NAN)));
    assert_null(CALL("toint", kql_real(1e300)));
    assert_null(CALL("toint", DYN("[1]")));
    assert_null(CALL("toint", kql_null(KQL_LONG)));
}

Test(functions, tolong_and_toreal)
{
    assert_long(CALL("tolong", S("123")), 123);            /* tolong docs */
    assert_null(CALL("tolong", S("not a number")));        /* coalesce docs */
    assert_long(CALL("tolong", S("-9223372036854775808")), INT64_MIN);
    assert_null(CALL("tolong", S("9223372036854775808")));
    assert_long(CALL("tolong", TS("1s")), 10000000);       /* ticks */
    assert_long(CALL("tolong", S("2.9")), 2);
    assert_real(CALL("toreal", S("123.4")), 123.4);        /* toreal docs */
    assert_real(CALL("todouble", kql_long(5)), 5.0);
    assert_real(CALL("toreal", DYN("\"1e3\"")), 1000.0);
    assert_null(CALL("toreal", S("abc")));
    assert_null(CALL("toreal", S("0x10")));
    assert_null(CALL("toreal", kql_null(KQL_STRING)));
}

Test(functions, tobool)
{
    assert_bool(CALL("tobool", S("true")), true);          /* tobool docs */
    assert_bool(CALL("tobool", S("false")), false);
    assert_bool(CALL("tobool", kql_long(1)), true);
    assert_bool(CALL("tobool", kql_long(123)), true);
    assert_bool(CALL("toboolean", S("TRUE")), true);
    assert_bool(CALL("tobool", kql_long(0)), false);
    assert_null(CALL("tobool", S("yes")));
}

Test(functions, todatetime_totimespan_toguid)
{
    assert_dt(CALL("todatetime", S("2017-01-01")), "2017-01-01T00:00:00Z");
    assert_dt(CALL("todatetime", DT("2020-02-29")), "2020-02-29");
    assert_null(CALL("todatetime", S("not a date")));
    assert_null(CALL("todatetime", kql_long(-1)));
    assert_ts(CALL("totimespan", S("00:25:00")), "25m");
    assert_ts(CALL("totime", S("1d")), "1.00:00:00");
    assert_null(CALL("totimespan", S("soon")));
    kql_value g = CALL("toguid", S("12e8b78d-55b4-46ae-b068-26d7a0080254"));
    cr_assert(!g.is_null);
    assert_str(CALL("tostring", g), "12e8b78d-55b4-46ae-b068-26d7a0080254");
    assert_null(CALL("toguid", S("12e8b78d")));
}

Test(functions, parse_json)
{
    kql_value d = CALL("parse_json", S("{\"a\":123, \"b\":\"{\\\"c\\\":456}\"}"));
    assert_json(d, "{\"a\":123,\"b\":\"{\\\"c\\\":456}\"}");
    /* parse_json docs: text that isn't JSON becomes a dynamic string */
    d = CALL("parse_json", S("not json {"));
    cr_assert_eq(kql_dyn_tag_of((kql_dyn)d.u.s.ptr), KQL_DYN_STRING);
    assert_str(CALL("tostring", d), "not json {");
    /* a dynamic is used as is; "" and null give a dynamic null */
    kql_value in = DYN("[1,2]");
    d = CALL("todynamic", in);
    cr_assert_eq(d.u.s.ptr, in.u.s.ptr);
    assert_str(CALL("gettype", CALL("parse_json", S(""))), "null");
    cr_assert(kql_dyn_tag_of((kql_dyn)CALL("parse_json", kql_null(KQL_STRING)).u.s.ptr) == KQL_DYN_NULL);
}

/* ---- strings ---- */

Test(functions, strlen_counts_code_points)
{
    assert_long(CALL("strlen", S("hello")), 5);
    assert_long(CALL("strlen", S("\u24a6\u24b0\u24ae\u24af\u24aa")), 5);   /* strlen docs */
    assert_long(CALL("strlen", S("C\u0327edilla")), 8);   /* a combining mark is a code point */
    assert_long(CALL("string_size", S("\u24a6\u24b0\u24ae\u24af\u24aa")), 15);
    assert_long(CALL("strlen", kql_long(12345)), 5);
    assert_long(CALL("strlen", S("")), 0);
    assert_long(CALL("strlen", S("\xff\xfe")), 2);   /* malformed bytes still count */
}

Test(functions, tolower_toupper)
{
    assert_str(CALL("tolower", S("Hello WORLD")), "hello world");
    assert_str(CALL("toupper", S("Hello world")), "HELLO WORLD");
    assert_str(CALL("tolower", S("\u00c4\u00d6\u00dc \u0394\u0416")), "\u00e4\u00f6\u00fc \u03b4\u0436");
    assert_str(CALL("toupper", S("stra\u00dfe \u00ff")), "STRA\u00dfE \u0178");
    assert_str(CALL("toupper", kql_bool(true)), "TRUE");
    assert_str(CALL("tolower", S("")), "");
}

Test(functions, isempty_isnotempty)
{
    assert_bool(CALL("isempty", S("")), true);
    assert_bool(CALL("isempty", S("a")), false);
    assert_bool(CALL("isempty", kql_null(KQL_LONG)), true);
    assert_bool(CALL("isempty", kql_long(0)), false);
    assert_bool(CALL("isempty", DYN("null")), true);
    assert_bool(CALL("isempty", DYN("[]")), false);
    assert_bool(CALL("isnotempty", S("a")), true);
    assert_bool(CALL("isnotempty", S("")), false);
    assert_bool(CALL("notempty", kql_null(KQL_REAL)), false);
}

Test(functions, strcat_and_strcat_delim_force_strings)
{
    assert_str(CALL("strcat", S("hello"), S(" "), S("world")), "hello world");
    assert_str(CALL("strcat", S("a"), kql_long(1), kql_null(KQL_LONG), kql_real(2.5)), "a12.5");
    assert_str(CALL("strcat", S(""), S("")), "");
    /* strcat_delim docs */
    assert_str(CALL("strcat_delim", S("-"), kql_long(1), S("2"), S("A"), TS("1s")), "1-2-A-00:00:01");
    assert_str(CALL("strcat_delim", kql_long(0), kql_long(1), kql_long(2)), "102");
}

Test(functions, substring)
{
    assert_str(CALL("substring", S("123456"), kql_long(1), kql_long(2)), "23");
    assert_str(CALL("substring", S("123456"), kql_long(-2), kql_long(2)), "56");   /* NOTES §16 */
    assert_str(CALL("substring", S("ABCD"), kql_long(2)), "CD");
    assert_str(CALL("substring", S("abc"), kql_long(5)), "");
    assert_str(CALL("substring", S("abc"), kql_long(1), kql_long(100)), "bc");
    assert_str(CALL("substring", S("\u24a6\u24b0\u24ae"), kql_long(1), kql_long(1)), "\u24b0");
    assert_str(CALL("substring", kql_long(12345), kql_int(1), kql_int(3)), "234");
    assert_str(CALL("substring", S("abc"), kql_null(KQL_LONG)), "");
}

Test(functions, indexof_matches_the_docs_examples)
{
    assert_long(CALL("indexof", S("abcdefg"), S("cde")), 2);
    assert_long(CALL("indexof", S("abcdefg"), S("cde"), kql_long(1), kql_long(4)), 2);
    assert_long(CALL("indexof", S("abcdefg"), S("cde"), kql_long(1), kql_long(2)), -1);
    assert_long(CALL("indexof", S("abcdefg"), S("cde"), kql_long(3), kql_long(4)), -1);
    assert_long(CALL("indexof", S("abcdefg"), S("cde"), kql_long(-5)), 2);
    assert_long(CALL("indexof", kql_long(1234567), kql_long(5), kql_long(1), kql_long(4)), 4);
    assert_long(CALL("indexof", S("abcdefg"), S("cde"), kql_long(2), kql_long(-1)), 2);
    assert_long(CALL("indexof", S("abcdefgabcdefg"), S("cde"), kql_long(1), kql_long(10), kql_long(2)), 9);
    assert_long(CALL("indexof", S("abcdefgabcdefg"), S("cde"), kql_long(1), kql_long(-1), kql_long(3)), -1);
    /* null for start < 0 after counting from the end, length < -1, occurrence < 0 */
    assert_null(CALL("indexof", S("abc"), S("b"), kql_long(-10)));
    assert_null(CALL("indexof", S("abc"), S("b"), kql_long(0), kql_long(-2)));
    assert_null(CALL("indexof", S("abc"), S("b"), kql_long(0), kql_long(-1), kql_long(-1)));
    assert_long(CALL("indexof", S("ab"), S(""), kql_long(0), kql_long(-1), kql_long(3)), 2);
    assert_long(CALL("indexof", S("ab"), S(""), kql_long(0), kql_long(-1), kql_long(4)), -1);
    /* positions count code points */
    assert_long(CALL("indexof", S("\u24a6\u24b0x"), S("x")), 2);
}

Test(functions, replace_string_split_reverse_countof)
{
    assert_str(CALL("replace_string", S("Number is 1"), S("is"), S("was")), "Number was 1");
    assert_str(CALL("replace_string", S("aaa"), S("a"), S("")), "");
    assert_str(CALL("replace_string", S("abc"), S(""), S("x")), "abc");
    /* split docs */
    assert_json(CALL("split", S("aa_bb"), S("_")), "[\"aa\",\"bb\"]");
    assert_json(CALL("split", S("aaa_bbb_ccc"), S("_"), kql_long(1)), "[\"bbb\"]");
    assert_json(CALL("split", S(""), S("_")), "[\"\"]");
    assert_json(CALL("split", S("a__b"), S("_")), "[\"a\",\"\",\"b\"]");
    assert_json(CALL("split", S("aabbcc"), S("bb")), "[\"aa\",\"cc\"]");
    assert_json(CALL("split", S("a_b"), S("_"), kql_long(5)), "[]");
    /* reverse docs */
    assert_str(CALL("reverse", S("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), "ZYXWVUTSRQPONMLKJIHGFEDCBA");
    assert_str(CALL("reverse", kql_long(12345)), "54321");
    assert_str(CALL("reverse", kql_real(123.45)), "54.321");
    assert_str(CALL("reverse", DT("2017-10-15 12:00")), "Z0000000.00:00:21T51-01-7102");
    assert_str(CALL("reverse", TS("3h")), "00:00:30");
    assert_str(CALL("reverse", S("a\u00e9b")), "b\u00e9a");
    /* countof docs: plain matches overlap */
    assert_long(CALL("countof", S("aaa"), S("a")), 3);
    assert_long(CALL("countof", S("aaaa"), S("aa")), 3);
    assert_long(CALL("countof", S("ababa"), S("aba")), 2);
    assert_long(CALL("countof", S("abc"), S("")), 0);
}

Test(functions, strcat_array_strrep_strcmp)
{
    assert_str(CALL("strcat_array", DYN("[1, 2, 3]"), S("\"")), "1\"2\"3");   /* docs */
    assert_str(CALL("strcat_array", DYN("[\"a\", {\"b\":1}]"), S(",")), "a,{\"b\":1}");
    assert_str(CALL("strcat_array", DYN("{}"), S(",")), "");
    assert_str(CALL("strrep", TS("3s"), kql_long(2), S(" ")), "00:00:03 00:00:03");   /* NOTES §17 */
    assert_str(CALL("strrep", S("ab"), kql_long(3)), "ababab");
    assert_str(CALL("strrep", S("ab"), kql_long(0)), "");
    assert_long(CALL("strcmp", S("abc"), S("abd")), -1);
    assert_long(CALL("strcmp", S("abc"), S("abc")), 0);
    assert_long(CALL("strcmp", S("b"), S("abc")), 1);
}

/* ---- regular expressions (RE2 spellings translated to POSIX) ---- */

Test(functions, extract_and_extract_all)
{
    /* extract docs: @"-(\d{2})-" on "15-12-2024", group 1 */
    assert_str(CALL("extract", S("-(\\d{2})-"), kql_long(1), S("15-12-2024")), "12");
    assert_str(CALL("extract", S("-(\\d{2})-"), kql_long(0), S("15-12-2024")), "-12-");
    assert_str(CALL("extract", S("x(\\d)"), kql_long(1), S("no digits")), "");
    assert_str(CALL("extract", S("(a)"), kql_long(2), S("a")), "");
    /* (?:...) doesn't count as a group; named groups do; (?i) ignores case */
    assert_str(CALL("extract", S("(?:ab)+(\\d)"), kql_long(1), S("abab7")), "7");
    assert_str(CALL("extract", S("(?P<k>\\w+)=(\\w+)"), kql_long(2), S("user=bob;")), "bob");
    assert_str(CALL("extract", S("(?i)ERROR: (\\S+)"), kql_long(1), S("error: disk")), "disk");
    assert_str(CALL("extract", S("([0-9]+"), kql_long(1), S("12")), "");   /* bad regex */
    /* extract_all docs: the bytes of a guid */
    assert_json(CALL("extract_all", S("([\\da-f]{2})"), S("82b8be2d-dfa7-4bd1-8f63-24ad26d31449")),
                "[\"82\",\"b8\",\"be\",\"2d\",\"df\",\"a7\",\"4b\",\"d1\",\"8f\",\"63\","
                "\"24\",\"ad\",\"26\",\"d3\",\"14\",\"49\"]");
    assert_json(CALL("extract_all", S("(\\w)=(\\d)"), S("a=1, b=2")), "[[\"a\",\"1\"],[\"b\",\"2\"]]");
    assert_null(CALL("extract_all", S("(z)"), S("abc")));
}

Test(functions, replace_regex_trim_countof_regex)
{
    assert_str(CALL("replace_regex", S("Number is 1"), S("is (\\d)"), S("was \\1")), "Number was 1");
    assert_str(CALL("replace_regex", S("a1b22c"), S("\\d+"), S("#")), "a#b#c");
    assert_str(CALL("replace_regex", S("abc"), S("x*"), S("-")), "-a-b-c-");
    /* trim docs */
    assert_str(CALL("trim", S("--"), S("--https://bing.com--")), "https://bing.com");
    assert_str(CALL("trim", S("[^\\w]+"), S("-  Te st1// $")), "Te st1");
    assert_str(CALL("trim_end", S("[^\\w]+"), S("-  Te st1// $")), "-  Te st1");
    assert_str(CALL("trim_start", S("https://"), S("https://bing.com")), "bing.com");
    assert_str(CALL("trim_start", S("\\s+"), S("    Hello, world!    ")), "Hello, world!    ");
    assert_str(CALL("trim_end", S("\\s+"), S("    Hello, world!    ")), "    Hello, world!");
    assert_str(CALL("trim", S("-"), S("---a---")), "a");
    /* countof docs: regex matches don't overlap */
    assert_long(CALL("countof", S("ababa"), S("aba"), S("regex")), 1);
    assert_long(CALL("countof", S("abcabc"), S("a.c"), S("regex")), 2);
    assert_long(CALL("countof", S("abcdefedcba"), S("[abc]"), S("regex")), 6);
    assert_long(CALL("countof", S("ababa"), S("ab"), S("normal")), 2);
    assert_null(CALL("countof", S("a"), S("a"), S("fuzzy")));
}

/* ---- dates and times ---- */

Test(functions, ago_and_now_use_the_query_now)
{
    assert_dt(CALL("ago", TS("1h")), "2026-11-20T09:00:00Z");
    assert_dt(CALL("ago", TS("-1d")), "2026-11-21T10:00:00Z");
    assert_dt(call("now", 0, NULL), "2026-11-20T10:00:00Z");
    assert_dt(CALL("now", TS("-2d")), "2026-11-18T10:00:00Z");
    assert_null(CALL("ago", kql_null(KQL_TIMESPAN)));
    assert_null(CALL("ago", kql_timespan(INT64_MIN)));   /* overflow: null, not a trap */
}

Test(functions, bin_floors_toward_minus_infinity)
{
    assert_real(CALL("bin", kql_real(4.5), kql_long(1)), 4.0);    /* bin docs */
    assert_real(CALL("bin", kql_real(-4.5), kql_long(1)), -5.0);
    assert_long(CALL("bin", kql_long(7), kql_long(5)), 5);
    assert_long(CALL("bin", kql_long(-7), kql_long(5)), -10);
    assert_long(CALL("bin", kql_int(-10), kql_int(5)), -10);
    assert_dt(CALL("bin", DT("1970-05-11 13:45:07"), TS("1d")), "1970-05-11");   /* bin docs */
    assert_dt(CALL("floor", DT("2026-11-20 10:47:13"), TS("15m")), "2026-11-20 10:45");
    assert_ts(CALL("bin", TS("-90m"), TS("1h")), "-02:00:00");
    /* NOTES §13: null, zero or negative sizes give null */
    assert_null(CALL("bin", kql_long(7), kql_long(0)));
    assert_null(CALL("bin", kql_long(7), kql_long(-5)));
    assert_null(CALL("bin", kql_real(7), kql_real(0)));
    assert_null(CALL("bin", kql_long(7), kql_null(KQL_LONG)));
    assert_null(CALL("bin", kql_null(KQL_DATETIME), TS("1h")));
    assert_null(CALL("bin", kql_long(INT64_MIN), kql_long(10)));   /* overflow */
    assert_long(CALL("bin", kql_long(INT64_MIN), kql_long(1)), INT64_MIN);
    cr_assert_str_eq(TYPE_ERROR("bin", KQL_STRING, KQL_LONG),
                     "bin(): argument 1 must be a number, datetime or timespan, got string");
    cr_assert_str_eq(TYPE_ERROR("bin", KQL_DATETIME, KQL_LONG),
                     "bin(): the bin size of a datetime must be a timespan, got long");
}

Test(functions, bin_at)
{
    assert_ts(CALL("bin_at", TS("1h"), TS("1d"), TS("12h")), "-12:00:00");   /* bin_at docs */
    assert_dt(CALL("bin_at", DT("2017-05-15 10:20:00"), TS("1d"), DT("1970-01-01 12:00")),
              "2017-05-14 12:00");
    assert_real(CALL("bin_at", kql_real(6.5), kql_real(2.5), kql_long(7)), 4.5);
}

Test(functions, startof_endof)
{
    /* startofday / startofmonth / endofday docs, offsets -1, 0, 1 */
    kql_value d = DT("2017-01-01 10:10:17");
    assert_dt(CALL("startofday", d, kql_long(-1)), "2016-12-31");
    assert_dt(CALL("startofday", d), "2017-01-01");
    assert_dt(CALL("startofday", d, kql_long(1)), "2017-01-02");
    assert_dt(CALL("startofmonth", d, kql_long(-1)), "2016-12-01");
    assert_dt(CALL("startofmonth", d, kql_long(1)), "2017-02-01");
    assert_dt(CALL("endofday", d, kql_long(-1)), "2016-12-31 23:59:59.9999999");
    assert_dt(CALL("endofday", d), "2017-01-01 23:59:59.9999999");
    /* weeks start on Sunday (NOTES §15): 2025-06-14 is a Saturday */
    assert_dt(CALL("startofweek", DT("2025-06-14")), "2025-06-08");
    assert_dt(CALL("startofweek", DT("2025-06-15")), "2025-06-15");
    assert_dt(CALL("endofweek", DT("2025-06-15")), "2025-06-21 23:59:59.9999999");
    assert_dt(CALL("startofyear", DT("2024-07-04 12:00")), "2024-01-01");
    assert_dt(CALL("endofyear", DT("2024-07-04")), "2024-12-31 23:59:59.9999999");
    assert_dt(CALL("endofmonth", DT("2024-02-10")), "2024-02-29 23:59:59.9999999");
    assert_dt(CALL("endofmonth", DT("9999-12-05")), "9999-12-31 23:59:59.9999999");
    assert_null(CALL("startofmonth", DT("0001-01-05"), kql_long(-1)));
    assert_null(CALL("startofday", d, kql_long(INT64_MAX)));
}

Test(functions, date_parts)
{
    assert_ts(CALL("dayofweek", DT("1970-05-11")), "1.00:00:00");   /* dayofweek docs: Monday */
    assert_ts(CALL("dayofweek", DT("1970-05-12")), "2.00:00:00");
    assert_ts(CALL("dayofweek", DT("2025-06-15")), "00:00:00");     /* a Sunday */
    assert_long(CALL("getyear", DT("2015-10-12")), 2015);           /* getyear docs */
    assert_long(CALL("hourofday", DT("2015-12-14 18:54")), 18);     /* hourofday docs */
    assert_long(CALL("getmonth", DT("2015-10-12")), 10);
    assert_long(CALL("monthofyear", DT("2015-12-14")), 12);
    assert_long(CALL("dayofmonth", DT("2015-12-14")), 14);
    assert_long(CALL("dayofyear", DT("2016-12-31")), 366);
    assert_long(CALL("minuteofhour", DT("2015-12-14 18:54:07")), 54);
    assert_long(CALL("secondofminute", DT("2015-12-14 18:54:07")), 7);
    assert_null(CALL("getyear", kql_null(KQL_DATETIME)));
}

Test(functions, datetime_add_and_diff)
{
    kql_value d = DT("2017-01-01");
    /* datetime_add docs */
    assert_dt(CALL("datetime_add", S("year"), kql_long(1), d), "2018-01-01");
    assert_dt(CALL("datetime_add", S("quarter"), kql_long(1), d), "2017-04-01");
    assert_dt(CALL("datetime_add", S("week"), kql_long(1), d), "2017-01-08");
    assert_dt(CALL("datetime_add", S("second"), kql_long(1), d), "2017-01-01 00:00:01");
    assert_dt(CALL("datetime_add", S("year"), kql_long(-5), d), "2012-01-01");
    assert_dt(CALL("datetime_add", S("quarter"), kql_long(12), d), "2020-01-01");
    assert_dt(CALL("datetime_add", S("month"), kql_long(-15), d), "2015-10-01");
    assert_dt(CALL("datetime_add", S("week"), kql_long(100), d), "2018-12-02");
    assert_dt(CALL("datetime_add", S("month"), kql_long(1), DT("2017-01-31 08:00")), "2017-02-28 08:00");
    assert_null(CALL("datetime_add", S("fortnight"), kql_long(1), d));
    assert_null(CALL("datetime_add", S("year"), kql_long(INT64_MAX), d));
    /* datetime_diff counts boundaries (NOTES §15) */
    assert_long(CALL("datetime_diff", S("year"), DT("2017-01-01"), DT("2000-12-31")), 17);
    assert_long(CALL("datetime_diff", S("month"), DT("2017-01-01"), DT("2016-12-31")), 1);
    assert_long(CALL("datetime_diff", S("day"), DT("2017-01-01"), DT("2016-12-31 23:59")), 1);
    assert_long(CALL("datetime_diff", S("hour"), DT("2017-01-01 01:00"), DT("2017-01-01 02:59")), -1);
    assert_long(CALL("datetime_diff", S("week"), DT("2025-06-15"), DT("2025-06-14")), 1);
    assert_long(CALL("datetime_diff", S("millisecond"), DT("2017-01-01 00:00:01"), DT("2017-01-01")), 1000);
}

Test(functions, make_datetime_and_unixtime)
{
    assert_dt(CALL("make_datetime", kql_long(2017), kql_long(10), kql_long(1)), "2017-10-01");
    assert_dt(CALL("make_datetime", kql_long(2017), kql_long(10), kql_long(1), kql_long(12),
                   kql_long(10), kql_real(0.5)), "2017-10-01 12:10:00.5");
    assert_null(CALL("make_datetime", kql_long(2017), kql_long(2), kql_long(30)));
    /* unixtime_seconds_todatetime docs */
    assert_dt(CALL("unixtime_seconds_todatetime", kql_long(1546300800)), "2019-01-01");
    assert_dt(CALL("unixtime_seconds_todatetime", kql_real(1.5)), "1970-01-01 00:00:01.5");
    assert_dt(CALL("unixtime_milliseconds_todatetime", kql_long(1546300800123)), "2019-01-01 00:00:00.123");
    assert_dt(CALL("unixtime_nanoseconds_todatetime", kql_long(1546300800123456789)),
              "2019-01-01 00:00:00.1234567");
    assert_null(CALL("unixtime_seconds_todatetime", kql_long(INT64_MAX)));
    assert_null(CALL("unixtime_seconds_todatetime", kql_real(INFINITY)));
    assert_null(CALL("unixtime_seconds_todatetime", kql_real(9.5e11)));
    assert_null(CALL("unixtime_nanoseconds_todatetime", kql_real(-9.5e20)));
}

/* ---- math ---- */

Test(functions, round_scales_then_rounds_half_away_from_zero)
{
    /* round docs / derived.jsonl, NOTES §14 */
    assert_real(CALL("round", kql_real(2.98765), kql_long(3)), 2.988);
    assert_real(CALL("round", kql_real(2.15), kql_long(1)), 2.2);
    assert_real(CALL("round", kql_real(2.15)), 2.0);
    assert_real(CALL("round", kql_real(-50.55), kql_long(-2)), -100.0);
    assert_real(CALL("round", kql_real(21.5), kql_long(-1)), 20.0);
    assert_real(CALL("round", kql_real(2.5)), 3.0);
    assert_real(CALL("round", kql_real(-2.5)), -3.0);
    assert_real(CALL("round", kql_real(1.25), kql_int(400)), 1.25);
    assert_real(CALL("round", kql_real(123.0), kql_long(-400)), 0.0);
    assert_real(CALL("round", kql_real(INFINITY)), INFINITY);
    assert_real(CALL("round", kql_real(NAN)), NAN);
    /* integers stay long; a negative precision rounds them too */
    assert_long(CALL("round", kql_long(1234), kql_long(-2)), 1200);
    assert_long(CALL("round", kql_long(1250), kql_long(-2)), 1300);
    assert_long(CALL("round", kql_long(-1250), kql_long(-2)), -1300);
    assert_long(CALL("round", kql_int(7)), 7);
    assert_null(CALL("round", kql_long(INT64_MAX), kql_long(-1)));   /* overflow */
    assert_null(CALL("round", kql_null(KQL_REAL), kql_long(1)));
    cr_assert_str_eq(TYPE_ERROR("round", KQL_STRING),
                     "round(): argument 1 must be a number (int, long or real), got string");
}

Test(functions, abs_ceiling_sign)
{
    assert_long(CALL("abs", kql_long(-5)), 5);
    assert_real(CALL("abs", kql_real(-2.5)), 2.5);
    assert_ts(CALL("abs", TS("-1h")), "01:00:00");
    assert_null(CALL("abs", kql_long(INT64_MIN)));
    assert_null(CALL("abs", kql_int(INT32_MIN)));
    /* ceiling docs */
    assert_real(CALL("ceiling", kql_real(-1.1)), -1.0);
    assert_long(CALL("ceiling", kql_long(0)), 0);
    assert_real(CALL("ceiling", kql_real(0.9)), 1.0);
    /* sign docs */
    assert_real(CALL("sign", kql_long(-42)), -1.0);
    assert_real(CALL("sign", kql_long(0)), 0.0);
    assert_real(CALL("sign", kql_real(11.2)), 1.0);
}

Test(functions, real_functions_and_their_domains)
{
    assert_real(CALL("sqrt", kql_long(16)), 4.0);
    assert_null(CALL("sqrt", kql_long(-64)));                          /* sqrt docs */
    assert_real(CALL("log", kql_long(5)), 1.6094379124341003);         /* log docs */
    assert_null(CALL("log", kql_real(-1)));
    assert_real(CALL("log", kql_real(0)), -INFINITY);
    assert_real(CALL("log10", kql_long(5)), 0.69897000433601886);      /* log10 docs */
    assert_real(CALL("log2", kql_long(8)), 3.0);
    assert_real(CALL("pow", kql_long(2), kql_long(3)), 8.0);           /* pow docs */
    assert_real(CALL("exp", kql_long(2)), 7.38905609893065);
    assert_real(CALL("exp10", kql_long(2)), 100.0);
    assert_real(CALL("exp2", kql_long(10)), 1024.0);
    assert_real(call("pi", 0, NULL), M_PI);
    assert_real(CALL("degrees", CALL("atan2", kql_long(1), kql_long(1))), 45.0);
    assert_real(CALL("radians", kql_long(180)), M_PI);
    assert_real(CALL("cos", kql_long(0)), 1.0);
}

Test(functions, isnan_isinf_isfinite)
{
    /* isinf / isnan / isfinite docs: 1.0*x/0.0 for x = -1, 0, 1 */
    assert_bool(CALL("isinf", kql_real(-INFINITY)), true);
    assert_bool(CALL("isinf", kql_real(NAN)), false);
    assert_bool(CALL("isnan", kql_real(NAN)), true);
    assert_bool(CALL("isnan", kql_real(-1)), false);
    assert_bool(CALL("isfinite", kql_real(INFINITY)), false);
    assert_bool(CALL("isfinite", kql_real(NAN)), false);
    assert_bool(CALL("isfinite", kql_long(3)), true);
}

Test(functions, min_of_max_of)
{
    assert_long(CALL("max_of", kql_long(10), kql_long(1), kql_long(-3), kql_long(17)), 17);   /* docs */
    assert_long(CALL("min_of", kql_long(10), kql_long(1), kql_long(-3), kql_long(17)), -3);
    /* nulls are ignored; all null gives null (max_of docs) */
    assert_long(CALL("max_of", kql_null(KQL_INT), kql_int(2)), 2);
    assert_null(CALL("max_of", kql_null(KQL_INT), kql_null(KQL_INT)));
    assert_real(CALL("max_of", kql_int(1), kql_real(2.5)), 2.5);
    assert_dt(CALL("max_of", DT("2024-12-15 07:15:22"), DT("2024-12-15 07:15:24")), "2024-12-15 07:15:24");
    assert_str(CALL("min_of", S("b"), S("a")), "a");
    cr_assert_str_eq(TYPE_ERROR("max_of", KQL_STRING, KQL_LONG),
                     "max_of(): the arguments have different types: string and long");
}

/* ---- conditionals and nulls ---- */

Test(functions, iff_takes_else_on_false_and_null)
{
    assert_str(CALL("iff", kql_bool(true), S("Rain event"), S("Not rain event")), "Rain event");
    assert_str(CALL("iif", kql_bool(false), S("a"), S("b")), "b");
    /* NOTES §6: a null predicate counts as false */
    assert_long(CALL("iff", kql_null(KQL_BOOL), kql_long(1), kql_long(-1)), -1);
    /* int, long and real branches widen to the widest */
    assert_real(CALL("iff", kql_bool(true), kql_int(1), kql_real(2.5)), 1.0);
    kql_value v = CALL("iff", kql_bool(true), kql_int(1), kql_long(2));
    cr_assert_eq(v.type, KQL_LONG);
    assert_long(v, 1);
    assert_null(CALL("iff", kql_bool(true), kql_null(KQL_REAL), kql_real(5)));
    cr_assert_str_eq(TYPE_ERROR("iff", KQL_BOOL, KQL_STRING, KQL_LONG),
                     "iff(): the branches have different types: string and long");
    cr_assert_str_eq(TYPE_ERROR("iff", KQL_STRING, KQL_LONG, KQL_LONG),
                     "iff(): argument 1 must be a bool, got string");
}

static kql_value bucket(int64_t size)
{
    /* case docs: case(Size <= 3, "Small", Size <= 10, "Medium", "Large") */
    return CALL("case", kql_bool(size <= 3), S("Small"), kql_bool(size <= 10), S("Medium"), S("Large"));
}

Test(functions, case_picks_the_first_true_predicate)
{
    assert_str(bucket(1), "Small");
    assert_str(bucket(3), "Small");
    assert_str(bucket(5), "Medium");
    assert_str(bucket(11), "Large");
    assert_long(CALL("case", kql_null(KQL_BOOL), kql_long(1), kql_long(2)), 2);
    assert_real(CALL("case", kql_bool(true), kql_long(1), kql_real(0.5)), 1.0);
    cr_assert_str_eq(TYPE_ERROR("case", KQL_BOOL, KQL_STRING, KQL_LONG),
                     "case(): the values have different types: string and long");
    cr_assert_neq(strlen(TYPE_ERROR("case", KQL_BOOL, KQL_STRING)), 0);
    cr_assert_neq(strlen(TYPE_ERROR("case", KQL_LONG, KQL_STRING, KQL_STRING)), 0);
}

Test(functions, isnull_isnotnull_coalesce_not)
{
    assert_bool(CALL("isnull", kql_null(KQL_LONG)), true);
    assert_bool(CALL("isnull", kql_long(0)), false);
    assert_bool(CALL("isnull", S("")), false);            /* strings are never null */
    assert_bool(CALL("isnull", DYN("null")), true);
    assert_bool(CALL("isnull", DYN("{}")), false);
    assert_bool(CALL("isnotnull", kql_null(KQL_DATETIME)), false);
    assert_bool(CALL("isnotnull", S("")), true);
    /* coalesce docs: coalesce(tolong("not a number"), tolong("42"), 33) = 42 */
    kql_value a = CALL("tolong", S("not a number")), b = CALL("tolong", S("42"));
    assert_long(CALL("coalesce", a, b, kql_long(33)), 42);
    assert_str(CALL("coalesce", S(""), S("x")), "x");
    assert_null(CALL("coalesce", kql_null(KQL_LONG), kql_null(KQL_LONG)));
    assert_bool(CALL("not", kql_bool(false)), true);
    assert_null(CALL("not", kql_null(KQL_BOOL)));
}

/* ---- dynamic ---- */

Test(functions, arrays_and_bags)
{
    assert_long(CALL("array_length", DYN("[1, 2, 3, \"four\"]")), 4);   /* docs */
    assert_null(CALL("array_length", DYN("{\"a\":1}")));
    assert_null(CALL("array_length", kql_null(KQL_DYNAMIC)));
    /* pack_array docs: [1,"2","00:00:02"] */
    assert_json(CALL("pack_array", kql_long(1), S("2"), TS("2s")), "[1,\"2\",\"00:00:02\"]");
    assert_json(CALL("pack_array", DYN("[1]"), kql_null(KQL_LONG)), "[[1],null]");
    assert_json(CALL("bag_pack", S("Dest"), kql_long(100), S("Text"), S("Hi")),
                "{\"Dest\":100,\"Text\":\"Hi\"}");
    assert_json(CALL("pack", S("a"), DYN("{\"b\":1}")), "{\"a\":{\"b\":1}}");
    cr_assert_neq(strlen(TYPE_ERROR("bag_pack", KQL_STRING)), 0);
    cr_assert_neq(strlen(TYPE_ERROR("bag_pack", KQL_LONG, KQL_LONG)), 0);
    /* bag_keys docs */
    assert_json(CALL("bag_keys", DYN("{\"a\":\"b\", \"c\":123}")), "[\"a\",\"c\"]");
    assert_json(CALL("bag_keys", DYN("{}")), "[]");
    assert_null(CALL("bag_keys", DYN("\"a\"")));
    assert_null(CALL("bag_keys", DYN("[]")));
    assert_bool(CALL("bag_has_key", DYN("{\"a\":1}"), S("a")), true);
    assert_bool(CALL("bag_has_key", DYN("{\"a\":1}"), S("b")), false);
    /* array_concat docs: [1,2,4] ++ [1,2] */
    assert_json(CALL("array_concat", DYN("[1,2,4]"), DYN("[1,2]")), "[1,2,4,1,2]");
    assert_null(CALL("array_concat", DYN("[1]"), DYN("{}")));
}

Test(functions, gettype_follows_the_docs_names)
{
    assert_str(CALL("gettype", S("a")), "string");
    assert_str(CALL("gettype", kql_long(111)), "long");
    assert_str(CALL("gettype", kql_bool(true)), "bool");
    assert_str(CALL("gettype", DT("2020-01-01")), "datetime");
    assert_str(CALL("gettype", TS("1s")), "timespan");
    assert_str(CALL("gettype", kql_real(123.45)), "real");
    assert_str(CALL("gettype", CALL("parse_json", S("1"))), "int");
    assert_str(CALL("gettype", CALL("parse_json", S(" \"abc\" "))), "string");
    assert_str(CALL("gettype", CALL("parse_json", S(" {\"abc\":1} "))), "dictionary");
    assert_str(CALL("gettype", CALL("parse_json", S(" [1, 2, 3] "))), "array");
}

/* Every function must survive hostile values: nulls of every type,
 * extremes, empty and malformed strings. Nothing is asserted but the
 * absence of a crash or a sanitizer report. */
Test(functions, no_function_crashes_on_extreme_values)
{
    kql_value samples[] = {
        kql_null(KQL_BOOL), kql_null(KQL_INT), kql_null(KQL_LONG), kql_null(KQL_REAL),
        kql_null(KQL_STRING), kql_null(KQL_DATETIME), kql_null(KQL_TIMESPAN), kql_null(KQL_GUID),
        kql_null(KQL_DYNAMIC), kql_long(INT64_MIN), kql_long(INT64_MAX), kql_int(INT32_MIN),
        kql_real(NAN), kql_real(-INFINITY), kql_real(1e308), kql_datetime(0),
        kql_datetime(3155378975999999999LL), kql_timespan(INT64_MIN), S(""), S("\xff\xc3"),
        kql_bool(true), DYN("[null, {\"a\":[]}]"), DYN("\"x\""),
    };
    const size_t ns = sizeof samples / sizeof samples[0];
    static const char *const names[] = {
        "tostring", "toint", "tolong", "toreal", "tobool", "todatetime", "totimespan", "toguid",
        "parse_json", "strlen", "tolower", "toupper", "isempty", "reverse", "isnull", "gettype",
        "array_length", "bag_keys", "abs", "ceiling", "sign", "sqrt", "log", "round", "isnan",
        "ago", "dayofweek", "getyear", "startofweek", "endofmonth", "startofyear", "not",
        "unixtime_seconds_todatetime", "bin", "floor", "substring", "split", "indexof", "pow",
        "strcat", "strrep", "datetime_diff", "min_of", "max_of", "coalesce", "countof",
        "extract_all", "trim", "trim_end",
    };
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        const kql_function *fn = kql_function_find(names[f]);
        cr_assert(fn, "%s", names[f]);
        for (size_t i = 0; i < ns; i++)
            for (size_t j = 0; j < (fn->max_args == 1 ? 1 : ns); j++) {
                kql_value args[2] = { samples[i], samples[j] };
                size_t n = fn->max_args == 1 ? 1 : 2;
                if ((size_t)fn->min_args > n)
                    continue;
                kql_type types[2] = { args[0].type, args[1].type };
                char err[256];
                kql_type rt = fn->result_type(types, n, err, sizeof err);
                if (rt == KQL_TYPE_UNKNOWN)
                    continue;
                kql_value out;
                fn->eval(&ctx, args, n, &out);
                cr_assert_eq(out.type, rt, "%s", names[f]);
            }
    }
}
