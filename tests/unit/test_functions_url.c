/* test_functions_url.c - the functions that split text into parts
 * (fn_url.c: parse_url, parse_urlquery, parse_path, parse_command_line)
 * and the regex functions' optional arguments (extract's typeof(T),
 * extract_all's capture groups), called as the evaluator calls them.
 * Expected values are the Kusto docs' published examples or worked out by
 * hand from the rules the docs state; the edge cases check that hostile
 * input gives an empty shape or null instead of a crash.
 */
#include "test_helpers.h"

TestSuite(functions_url, .init = ctx_open, .fini = ctx_close);

/* ---- parse_url / parse_urlquery ---- */

Test(functions_url, parse_url_docs_example)
{
    /* parse-url-function.md; the path keeps its leading '/' (see fn_url.c) */
    assert_json(CALL("parse_url",
                     S("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")),
                "{\"Scheme\":\"scheme\",\"Host\":\"host\",\"Port\":\"1234\","
                "\"Path\":\"/this/is/a/path\",\"Username\":\"username\",\"Password\":\"password\","
                "\"Query Parameters\":{\"k1\":\"v1\",\"k2\":\"v2\"},\"Fragment\":\"fragment\"}");
}

Test(functions_url, parse_url_parts_that_are_missing_are_empty)
{
    assert_json(CALL("parse_url", S("https://contoso.com")),
                "{\"Scheme\":\"https\",\"Host\":\"contoso.com\",\"Port\":\"\",\"Path\":\"\","
                "\"Username\":\"\",\"Password\":\"\",\"Query Parameters\":{},\"Fragment\":\"\"}");
    /* an IPv6 literal's colons are not the port's */
    assert_json(CALL("parse_url", S("http://[::1]:8080/p#x")),
                "{\"Scheme\":\"http\",\"Host\":\"[::1]\",\"Port\":\"8080\",\"Path\":\"/p\","
                "\"Username\":\"\",\"Password\":\"\",\"Query Parameters\":{},\"Fragment\":\"x\"}");
    /* not absolute: every part empty */
    const char *empty = "{\"Scheme\":\"\",\"Host\":\"\",\"Port\":\"\",\"Path\":\"\",\"Username\":\"\","
                        "\"Password\":\"\",\"Query Parameters\":{},\"Fragment\":\"\"}";
    assert_json(CALL("parse_url", S("bing.com")), empty);
    assert_json(CALL("parse_url", S("")), empty);
    assert_json(CALL("parse_url", S("://host/")), empty);
}

Test(functions_url, parse_url_hostile_input)
{
    /* @ and : in odd places, a lone '?' and '#': still the fixed shape */
    assert_json(CALL("parse_url", S("a://@:?#")),
                "{\"Scheme\":\"a\",\"Host\":\"\",\"Port\":\"\",\"Path\":\"\",\"Username\":\"\","
                "\"Password\":\"\",\"Query Parameters\":{},\"Fragment\":\"\"}");
    assert_json(CALL("parse_url", S("x://u:p:q@h?=&&=v&k")),
                "{\"Scheme\":\"x\",\"Host\":\"h\",\"Port\":\"\",\"Path\":\"\",\"Username\":\"u\","
                "\"Password\":\"p:q\",\"Query Parameters\":{\"k\":\"\"},\"Fragment\":\"\"}");
}

Test(functions_url, parse_urlquery_docs_examples)
{
    assert_json(CALL("parse_urlquery", S("k1=v1&k2=v2&k3=v3")),
                "{\"Query Parameters\":{\"k1\":\"v1\",\"k2\":\"v2\",\"k3\":\"v3\"}}");
    assert_json(CALL("parse_urlquery", S("view=vs-2019&preserve-view=true")),
                "{\"Query Parameters\":{\"view\":\"vs-2019\",\"preserve-view\":\"true\"}}");
}

Test(functions_url, parse_urlquery_decodes_values_and_keeps_the_first_key)
{
    assert_json(CALL("parse_urlquery", S("?q=a%20b+c&q=2&bad=%zz%4")),
                "{\"Query Parameters\":{\"q\":\"a b c\",\"bad\":\"%zz%4\"}}");
    assert_json(CALL("parse_urlquery", S("")), "{\"Query Parameters\":{}}");
}

/* ---- parse_path ---- */

Test(functions_url, parse_path_docs_examples)
{
    /* parse-path-function.md, all five rows */
    assert_json(CALL("parse_path", S("C:\\temp\\file.txt")),
                "{\"Scheme\":\"\",\"RootPath\":\"C:\",\"DirectoryPath\":\"C:\\\\temp\","
                "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
                "\"AlternateDataStreamName\":\"\"}");
    assert_json(CALL("parse_path", S("temp\\file.txt")),
                "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"temp\","
                "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
                "\"AlternateDataStreamName\":\"\"}");
    assert_json(CALL("parse_path", S("file://C:/temp/file.txt:some.exe")),
                "{\"Scheme\":\"file\",\"RootPath\":\"C:\",\"DirectoryPath\":\"C:/temp\","
                "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
                "\"AlternateDataStreamName\":\"some.exe\"}");
    assert_json(CALL("parse_path", S("\\\\shared\\users\\temp\\file.txt.gz")),
                "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"\\\\\\\\shared\\\\users\\\\temp\","
                "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt.gz\",\"Extension\":\"gz\","
                "\"AlternateDataStreamName\":\"\"}");
    assert_json(CALL("parse_path", S("/usr/lib/temp/file.txt")),
                "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"/usr/lib/temp\","
                "\"DirectoryName\":\"temp\",\"Filename\":\"file.txt\",\"Extension\":\"txt\","
                "\"AlternateDataStreamName\":\"\"}");
}

Test(functions_url, parse_path_roots_and_bare_names)
{
    assert_json(CALL("parse_path", S("file.txt")),
                "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"\",\"DirectoryName\":\"\","
                "\"Filename\":\"file.txt\",\"Extension\":\"txt\",\"AlternateDataStreamName\":\"\"}");
    /* a file in the root directory: the root keeps its separator */
    assert_json(CALL("parse_path", S("C:\\x")),
                "{\"Scheme\":\"\",\"RootPath\":\"C:\",\"DirectoryPath\":\"C:\\\\\",\"DirectoryName\":\"\","
                "\"Filename\":\"x\",\"Extension\":\"\",\"AlternateDataStreamName\":\"\"}");
    assert_json(CALL("parse_path", S("")),
                "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\"\",\"DirectoryName\":\"\","
                "\"Filename\":\"\",\"Extension\":\"\",\"AlternateDataStreamName\":\"\"}");
    /* hostile: colons and separators only */
    assert_json(CALL("parse_path", S(":::\\/")),
                "{\"Scheme\":\"\",\"RootPath\":\"\",\"DirectoryPath\":\":::\\\\\",\"DirectoryName\":\"\","
                "\"Filename\":\"\",\"Extension\":\"\",\"AlternateDataStreamName\":\"\"}");
}

/* ---- parse_command_line ---- */

Test(functions_url, parse_command_line_docs_example)
{
    assert_json(CALL("parse_command_line", S("echo \"hello world!\""), S("windows")),
                "[\"echo\",\"hello world!\"]");
}

Test(functions_url, parse_command_line_windows_rules)
{
    /* CommandLineToArgvW: the program name keeps its backslashes; after it
     * 2n backslashes + '"' -> n and a quote toggle, 2n+1 -> n and a '"' */
    assert_json(CALL("parse_command_line",
                     S("\"C:\\Program Files\\a.exe\"  -x \"a b\" c\\\\\\\"d e\\\\\\\\\"f g\" h\"\"i"),
                     S("Windows")),
                "[\"C:\\\\Program Files\\\\a.exe\",\"-x\",\"a b\",\"c\\\\\\\"d\","
                "\"e\\\\\\\\f g\",\"hi\"]");
    /* backslashes not before a quote stay; "" inside quotes is a '"' */
    assert_json(CALL("parse_command_line", S("p a\\\\b \"x\"\"y\""), S("windows")),
                "[\"p\",\"a\\\\\\\\b\",\"x\\\"y\"]");
    assert_json(CALL("parse_command_line", S("  \t "), S("windows")), "[]");
    /* an unterminated quote runs to the end */
    assert_json(CALL("parse_command_line", S("p \"a b"), S("windows")), "[\"p\",\"a b\"]");
    cr_assert(CALL("parse_command_line", S("a b"), S("unix")).is_null);
}

/* ---- extract(..., typeof(T)) and extract_all(regex, groups, source) ---- */

/* The binder hands typeof(T) over as a null value of type T. */
Test(functions_url, extract_converts_to_the_typeof_argument)
{
    /* extract-function.md: extract(@"-(\d{2})-", 1, "15-12-2024", typeof(int)) = 12 */
    kql_value v = CALL("extract", S("-(\\d{2})-"), kql_long(1), S("15-12-2024"), kql_null(KQL_INT));
    cr_assert_eq(v.type, KQL_INT);
    assert_long(v, 12);
    assert_real(CALL("extract", S("x=([0-9.]+)"), kql_long(1), S("x=2.5"), kql_null(KQL_REAL)), 2.5);
    /* no match, or text that doesn't convert: null of that type */
    cr_assert(CALL("extract", S("(\\d+)"), kql_long(1), S("none"), kql_null(KQL_LONG)).is_null);
    cr_assert(CALL("extract", S("(\\w+)"), kql_long(1), S("abc"), kql_null(KQL_LONG)).is_null);
    /* three arguments: still a string, "" when nothing matches */
    assert_str(CALL("extract", S("(\\d+)"), kql_long(1), S("none")), "");
}

Test(functions_url, extract_refuses_decimal)
{
    const kql_function *f = kql_function_find("extract");
    kql_type types[4] = { KQL_STRING, KQL_LONG, KQL_STRING, KQL_DECIMAL };
    char err[256] = "";
    cr_assert_eq(f->result_type(types, 4, err, sizeof err), KQL_TYPE_UNKNOWN);
    cr_assert(strstr(err, "not supported"), "%s", err);
}

Test(functions_url, extract_all_capture_groups)
{
    const char *id = "82b8be2d-dfa7-4bd1-8f63-24ad26d31449";
    /* extract-all-function.md examples 3 and 4 */
    assert_json(CALL("extract_all", S("(\\w)(\\w+)(\\w)"), DYN("[1,3]"), S(id)),
                "[[\"8\",\"d\"],[\"d\",\"7\"],[\"4\",\"1\"],[\"8\",\"3\"],[\"2\",\"9\"]]");
    assert_json(CALL("extract_all", S("(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)"),
                     DYN("[\"first\",2,\"last\"]"), S(id)),
                "[[\"8\",\"2b8be2\",\"d\"],[\"d\",\"fa\",\"7\"],[\"4\",\"bd\",\"1\"],"
                "[\"8\",\"f6\",\"3\"],[\"2\",\"4ad26d3144\",\"9\"]]");
    /* one group picked: a flat array */
    assert_json(CALL("extract_all", S("(\\w)(\\w+)(\\w)"), DYN("[3]"), S("abc-defg")), "[\"c\",\"g\"]");
    /* a group that doesn't exist, a name that isn't one, an empty list: null */
    cr_assert(CALL("extract_all", S("(\\w)"), DYN("[2]"), S("ab")).is_null);
    cr_assert(CALL("extract_all", S("(?<a>\\w)"), DYN("[\"b\"]"), S("ab")).is_null);
    cr_assert(CALL("extract_all", S("(\\w)"), DYN("[]"), S("ab")).is_null);
    cr_assert(CALL("extract_all", S("(\\w)"), DYN("{}"), S("ab")).is_null);
}
