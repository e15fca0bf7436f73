/* test_json_load.c - the JSON loader (runtime/json_load.c): accepted input
 * shapes, coercion to the Log Analytics schemas, type inference for unknown
 * tables, error messages with line and column, and loading files and folders.
 * Expected values are worked out by hand from the inputs written here. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "dynamic.h"
#include "json_load.h"
#include "schema.h"

/* ticks of 2024-01-02T03:04:05Z: (1704164645 s since 1970) * 1e7 + epoch ticks */
#define TICKS_2024_01_02_030405 638397614450000000LL
/* ticks of 2024-05-06T00:00:00Z */
#define TICKS_2024_05_06 638505504000000000LL

TestSuite(json_load, .fini = kql_schema_shutdown);

static kql_table *load(const char *name, const char *text)
{
    kql_load_error err;
    kql_table *t = kql_load_json_text(text, strlen(text), "t.jsonl", name, &err);
    cr_assert_not_null(t, "load failed: %s", err.message);
    return t;
}

static void load_fails(const char *text, const char *message)
{
    kql_load_error err;
    kql_table *t = kql_load_json_text(text, strlen(text), "t.jsonl", "T", &err);
    cr_assert_null(t, "expected an error for %s", text);
    cr_assert_str_eq(err.message, message);
}

static const kql_column *col(const kql_table *t, const char *name, kql_type type)
{
    int i = kql_table_find(t, name);
    cr_assert(i >= 0, "no column %s", name);
    cr_assert_eq(t->cols[i]->type, type, "column %s is %s, expected %s", name,
                 kql_type_name(t->cols[i]->type), kql_type_name(type));
    return t->cols[i];
}

static void assert_long(const kql_column *c, size_t row, int64_t want)
{
    kql_value v = kql_column_get(c, row);
    cr_assert(!v.is_null, "row %zu is null", row);
    cr_assert_eq(v.u.i, want, "row %zu: %lld, expected %lld", row, (long long)v.u.i, (long long)want);
}

static void assert_null(const kql_column *c, size_t row)
{
    cr_assert(kql_column_is_null(c, row), "row %zu should be null", row);
}

static void assert_str(const kql_column *c, size_t row, const char *want)
{
    kql_value v = kql_column_get(c, row);
    cr_assert_eq(v.u.s.len, strlen(want), "row %zu: %.*s, expected %s", row, (int)v.u.s.len,
                 v.u.s.ptr ? v.u.s.ptr : "", want);
    cr_assert(memcmp(v.u.s.ptr, want, v.u.s.len) == 0, "row %zu: %.*s, expected %s", row,
              (int)v.u.s.len, v.u.s.ptr, want);
}

/* A dynamic cell compared as compact JSON text. */
static void assert_dyn(const kql_column *c, size_t row, const char *want_json)
{
    cr_assert(!kql_column_is_null(c, row), "row %zu is null", row);
    kql_buf b;
    kql_buf_init(&b);
    kql_dyn_to_json((kql_dyn)c->data.s[row].ptr, &b);
    cr_assert_str_eq(kql_buf_cstr(&b), want_json);
    kql_buf_free(&b);
}

/* ---------- the embedded schemas ---------- */

Test(json_load, schema_catalog)
{
    cr_assert_null(kql_schema_find("NoSuchTable"));
    cr_assert_null(kql_schema_find("signinlogs"));   /* table names are case-sensitive */
    const kql_schema *s = kql_schema_find("SigninLogs");
    cr_assert_not_null(s);
    cr_assert_eq(s->ncols, 96);
    cr_assert_str_eq(s->cols[2].name, "TimeGenerated");
    cr_assert_eq(s->cols[2].type, KQL_DATETIME);
    size_t hidden = 0;
    for (size_t i = 0; i < s->ncols; i++)
        hidden += s->cols[i].hidden;
    cr_assert_eq(hidden, 2);
    const kql_schema *aad = kql_schema_find("AADNonInteractiveUserSignInLogs");
    cr_assert_not_null(aad);
    cr_assert_eq(aad->ncols, 88);
    cr_assert_eq(kql_schema_find("SigninLogs"), s);   /* parsed once */
}

/* ---------- shapes ---------- */

Test(json_load, array_of_records)
{
    kql_table *t = load("T", "[{\"a\":1,\"b\":\"x\"},\n {\"a\":2,\"b\":\"y\"}]\n");
    cr_assert_eq(t->nrows, 2);
    cr_assert_eq(t->ncols, 2);
    cr_assert_str_eq(t->name, "T");
    const kql_column *a = col(t, "a", KQL_LONG);
    assert_long(a, 0, 1);
    assert_long(a, 1, 2);
    assert_str(col(t, "b", KQL_STRING), 1, "y");
    kql_table_free(t);
}

Test(json_load, empty_array)
{
    kql_table *t = load("T", "  [ ]  ");
    cr_assert_eq(t->nrows, 0);
    cr_assert_eq(t->ncols, 0);
    kql_table_free(t);
}

Test(json_load, json_lines_with_blank_lines_and_crlf)
{
    kql_table *t = load("T", "{\"a\":1}\r\n\r\n{\"a\":2}\n\n   \n{\"a\":3}");
    cr_assert_eq(t->nrows, 3);
    assert_long(col(t, "a", KQL_LONG), 2, 3);
    kql_table_free(t);
}

Test(json_load, pretty_printed_objects_one_after_another)
{
    kql_table *t = load("T", "{\n  \"a\": 1,\n  \"b\": [1, 2]\n}\n{\n  \"a\": 2\n}\n");
    cr_assert_eq(t->nrows, 2);
    assert_long(col(t, "a", KQL_LONG), 1, 2);
    assert_dyn(col(t, "b", KQL_DYNAMIC), 0, "[1,2]");
    kql_table_free(t);
}

Test(json_load, byte_order_mark_is_skipped)
{
    kql_table *t = load("T", "\xEF\xBB\xBF{\"a\":1}\n");
    cr_assert_eq(t->nrows, 1);
    assert_long(col(t, "a", KQL_LONG), 0, 1);
    kql_table_free(t);
}

Test(json_load, empty_text_gives_empty_table)
{
    kql_table *t = load("T", "");
    cr_assert_eq(t->ncols, 0);
    cr_assert_eq(t->nrows, 0);
    kql_table_free(t);
    t = load("T", " \n\n ");
    cr_assert_eq(t->ncols, 0);
    kql_table_free(t);
}

Test(json_load, empty_text_for_known_table_has_all_columns)
{
    kql_table *t = load("SigninLogs", "");
    cr_assert_eq(t->ncols, 96);
    cr_assert_eq(t->nrows, 0);
    cr_assert_str_eq(t->col_names[0], "TenantId");
    kql_table_free(t);
}

/* ---------- inference for unknown tables ---------- */

Test(json_load, infers_scalar_types)
{
    kql_table *t = load("T",
        "{\"n\":1,\"r\":1,\"b\":true,\"s\":\"x\",\"o\":{\"k\":[1,2.5,\"v\"]},\"big\":9007199254740993,\"f\":1.0}\n"
        "{\"n\":-2,\"r\":2.5,\"b\":false,\"s\":\"12\",\"o\":[true,null],\"big\":1,\"f\":2}\n");
    const kql_column *n = col(t, "n", KQL_LONG);
    assert_long(n, 1, -2);
    const kql_column *r = col(t, "r", KQL_REAL);   /* long and real mixed -> real */
    cr_assert_eq(r->data.r[0], 1.0);
    cr_assert_eq(r->data.r[1], 2.5);
    const kql_column *b = col(t, "b", KQL_BOOL);
    cr_assert_eq(b->data.b[0], 1);
    cr_assert_eq(b->data.b[1], 0);
    assert_str(col(t, "s", KQL_STRING), 1, "12");   /* numbers in strings stay strings */
    const kql_column *o = col(t, "o", KQL_DYNAMIC);
    assert_dyn(o, 0, "{\"k\":[1,2.5,\"v\"]}");
    assert_dyn(o, 1, "[true,null]");
    /* above 2^53: a double would read 9007199254740992 */
    assert_long(col(t, "big", KQL_LONG), 0, 9007199254740993LL);
    /* 1.0 is written as a real, so the column is real */
    cr_assert_eq(col(t, "f", KQL_REAL)->data.r[0], 1.0);
    kql_table_free(t);
}

Test(json_load, infers_datetime_only_from_iso_dates)
{
    kql_table *t = load("T",
        "{\"d\":\"2024-01-02T03:04:05Z\",\"e\":\"2024-05-06\",\"num\":\"20240102\",\"mix\":\"2024-01-02\"}\n"
        "{\"d\":\"\",\"e\":\"2024-05-06\",\"num\":\"20240103\",\"mix\":\"soon\"}\n"
        "{\"d\":null,\"e\":\"2024-05-06\",\"num\":\"2024\",\"mix\":\"2024-01-03\"}\n");
    const kql_column *d = col(t, "d", KQL_DATETIME);
    assert_long(d, 0, TICKS_2024_01_02_030405);
    assert_null(d, 1);   /* an empty string is no datetime */
    assert_null(d, 2);
    assert_long(col(t, "e", KQL_DATETIME), 2, TICKS_2024_05_06);
    assert_str(col(t, "num", KQL_STRING), 0, "20240102");
    const kql_column *mix = col(t, "mix", KQL_STRING);   /* one non-date -> string */
    assert_str(mix, 0, "2024-01-02");
    assert_str(mix, 1, "soon");
    kql_table_free(t);
}

Test(json_load, mixed_kinds_become_dynamic)
{
    kql_table *t = load("T", "{\"m\":1,\"q\":true}\n{\"m\":\"one\",\"q\":0}\n{\"m\":{\"x\":1}}\n");
    const kql_column *m = col(t, "m", KQL_DYNAMIC);
    assert_dyn(m, 0, "1");
    assert_dyn(m, 1, "\"one\"");
    assert_dyn(m, 2, "{\"x\":1}");
    const kql_column *q = col(t, "q", KQL_DYNAMIC);
    assert_dyn(q, 0, "true");
    assert_null(q, 2);
    kql_table_free(t);
}

Test(json_load, column_order_missing_fields_and_repeated_keys)
{
    kql_table *t = load("T", "{\"b\":1}\n{\"a\":\"x\",\"b\":2,\"b\":3}\n{\"c\":null}\n");
    cr_assert_eq(t->ncols, 3);
    cr_assert_str_eq(t->col_names[0], "b");
    cr_assert_str_eq(t->col_names[1], "a");
    cr_assert_str_eq(t->col_names[2], "c");
    const kql_column *b = col(t, "b", KQL_LONG);
    assert_long(b, 1, 3);   /* a repeated key: the last value wins */
    assert_null(b, 2);
    const kql_column *a = col(t, "a", KQL_STRING);
    assert_str(a, 0, "");   /* strings have no null: missing is "" */
    assert_str(a, 1, "x");
    assert_str(col(t, "c", KQL_STRING), 2, "");   /* only nulls: string */
    kql_table_free(t);
}

/* ---------- known tables ---------- */

Test(json_load, signinlogs_columns_in_schema_order_with_hidden)
{
    kql_table *t = load("SigninLogs", "{\"TimeGenerated\":\"2024-01-02T03:04:05Z\",\"Extra\":5}\n");
    cr_assert_eq(t->ncols, 97);   /* 96 schema columns + the extra field */
    cr_assert_str_eq(t->col_names[0], "TenantId");
    cr_assert_str_eq(t->col_names[2], "TimeGenerated");
    cr_assert_str_eq(t->col_names[96], "Extra");
    assert_long(col(t, "Extra", KQL_LONG), 0, 5);
    int billed = kql_table_find(t, "_BilledSize");
    int billable = kql_table_find(t, "_IsBillable");
    cr_assert(billed >= 0 && billable >= 0);
    cr_assert(t->hidden[billed] && t->hidden[billable]);
    cr_assert(!t->hidden[0]);
    cr_assert_eq(t->cols[billed]->type, KQL_REAL);
    kql_table_free(t);
}

Test(json_load, signinlogs_values_are_coerced)
{
    kql_table *t = load("SigninLogs",
        "{\"TimeGenerated\":\"2024-01-02T03:04:05Z\",\"DurationMs\":\"250\",\"IsInteractive\":\"True\","
        "\"ResultType\":50126,\"ConditionalAccessPolicies\":\"[{\\\"id\\\":\\\"p1\\\",\\\"result\\\":\\\"success\\\"}]\","
        "\"Status\":{\"errorCode\":0},\"DeviceDetail\":\"\",\"LocationDetails\":\"n/a\",\"IsRisky\":false}\n"
        "{\"DurationMs\":7,\"IsInteractive\":true,\"ResultType\":\"0\","
        "\"ConditionalAccessPolicies\":[{\"id\":\"p2\",\"conditionsSatisfied\":3}],\"Status\":\" {\\\"errorCode\\\":530084}\"}\n");
    cr_assert_eq(t->nrows, 2);
    const kql_column *tg = col(t, "TimeGenerated", KQL_DATETIME);
    assert_long(tg, 0, TICKS_2024_01_02_030405);
    assert_null(tg, 1);
    const kql_column *dur = col(t, "DurationMs", KQL_LONG);
    assert_long(dur, 0, 250);
    assert_long(dur, 1, 7);
    const kql_column *inter = col(t, "IsInteractive", KQL_BOOL);
    cr_assert_eq(inter->data.b[0], 1);
    cr_assert_eq(inter->data.b[1], 1);
    cr_assert_eq(col(t, "IsRisky", KQL_BOOL)->data.b[0], 0);
    assert_null(col(t, "IsRisky", KQL_BOOL), 1);
    const kql_column *rt = col(t, "ResultType", KQL_STRING);
    assert_str(rt, 0, "50126");
    assert_str(rt, 1, "0");
    /* JSON text in a string and real JSON both become dynamic */
    const kql_column *cap = col(t, "ConditionalAccessPolicies", KQL_DYNAMIC);
    assert_dyn(cap, 0, "[{\"id\":\"p1\",\"result\":\"success\"}]");
    assert_dyn(cap, 1, "[{\"id\":\"p2\",\"conditionsSatisfied\":3}]");
    const kql_column *st = col(t, "Status", KQL_DYNAMIC);
    assert_dyn(st, 0, "{\"errorCode\":0}");
    assert_dyn(st, 1, "{\"errorCode\":530084}");
    assert_null(col(t, "DeviceDetail", KQL_DYNAMIC), 0);   /* "" -> null */
    assert_dyn(col(t, "LocationDetails", KQL_DYNAMIC), 0, "\"n/a\"");   /* plain text stays a string */
    assert_str(col(t, "AppDisplayName", KQL_STRING), 0, "");   /* missing string: "" */
    assert_null(col(t, "CreatedDateTime", KQL_DATETIME), 0);
    kql_table_free(t);
}

Test(json_load, aad_noninteractive_json_columns_stay_strings)
{
    kql_table *t = load("AADNonInteractiveUserSignInLogs",
        "{\"ConditionalAccessPolicies\":[{\"id\":\"p1\",\"result\":\"notApplied\",\"conditionsSatisfied\":1.50}],"
        "\"DeviceDetail\":\"{\\\"operatingSystem\\\": \\\"Windows10\\\"}\",\"Status\":{\"errorCode\":0}}\n");
    cr_assert_eq(t->ncols, 88);
    /* an array in a string column: its compact JSON text, numbers as written */
    assert_str(col(t, "ConditionalAccessPolicies", KQL_STRING), 0,
               "[{\"id\":\"p1\",\"result\":\"notApplied\",\"conditionsSatisfied\":1.50}]");
    assert_str(col(t, "DeviceDetail", KQL_STRING), 0, "{\"operatingSystem\": \"Windows10\"}");
    assert_str(col(t, "Status", KQL_STRING), 0, "{\"errorCode\":0}");
    kql_table_free(t);
}

/* The loader prints nothing: it hands each message to the caller's report. */
static void collect_note(void *ctx, const char *message)
{
    kql_buf_printf(ctx, "%s\n", message);
}

Test(json_load, unconvertible_values_are_null_and_reported)
{
    kql_buf notes;
    kql_buf_init(&notes);
    kql_load_report report = {collect_note, &notes};
    kql_json_options opt = {.report = &report};
    const char *text =
        "{\"TimeGenerated\":\"abc\"}\n{\"DurationMs\":\"fast\"}\n{\"DurationMs\":2.5,\"IsRisky\":\"maybe\"}\n";
    kql_load_error err;
    kql_table *t = kql_load_json_text_opts(text, strlen(text), "t.jsonl", "SigninLogs", &opt, &err);
    cr_assert_not_null(t, "load failed: %s", err.message);
    assert_null(col(t, "TimeGenerated", KQL_DATETIME), 0);
    const kql_column *dur = col(t, "DurationMs", KQL_LONG);
    assert_null(dur, 1);
    assert_null(dur, 2);
    assert_null(col(t, "IsRisky", KQL_BOOL), 2);
    kql_table_free(t);
    cr_assert_str_eq(kql_buf_cstr(&notes),
        "t.jsonl:1: column TimeGenerated: 'abc' is not a datetime (stored as null)\n"
        "t.jsonl:2: column DurationMs: 'fast' is not a long (stored as null)\n"
        "t.jsonl:3: column DurationMs: 2.5 is not a long (stored as null)\n"
        "t.jsonl:3: column IsRisky: 'maybe' is not a bool (stored as null)\n"
        "t.jsonl: 4 values could not be converted (stored as null)\n");
    kql_buf_free(&notes);
}

/* Past KQL_LOAD_MAX_NOTES values only the count grows; the total says so. */
Test(json_load, many_unconvertible_values_are_counted)
{
    kql_buf notes, text;
    kql_buf_init(&notes);
    kql_buf_init(&text);
    for (int i = 0; i < 12; i++)
        kql_buf_printf(&text, "{\"DurationMs\":\"x%d\"}\n", i);
    kql_load_report report = {collect_note, &notes};
    kql_json_options opt = {.report = &report};
    kql_load_error err;
    kql_table *t = kql_load_json_text_opts(text.data, text.len, "t.jsonl", "SigninLogs", &opt, &err);
    cr_assert_not_null(t, "load failed: %s", err.message);
    kql_table_free(t);
    const char *all = kql_buf_cstr(&notes);
    cr_assert(strstr(all, "t.jsonl:10: column DurationMs: 'x9' is not a long (stored as null)\n"));
    cr_assert_null(strstr(all, "'x10'"));
    cr_assert(strstr(all, "t.jsonl: 12 values could not be converted (stored as null); the first 10 are shown\n"));
    kql_buf_free(&notes);
    kql_buf_free(&text);
}

/* Without a report nothing is printed (the runtime never writes to stderr). */
Test(json_load, no_report_prints_nothing, .init = cr_redirect_stderr)
{
    kql_table *t = load("SigninLogs", "{\"DurationMs\":\"fast\"}\n");
    assert_null(col(t, "DurationMs", KQL_LONG), 0);
    kql_table_free(t);
    fflush(stderr);
    cr_assert_stderr_eq_str("");
}

/* ---------- errors ---------- */

Test(json_load, malformed_json_reports_line_and_column)
{
    load_fails("{\"a\":1,}\n", "t.jsonl:1:8: malformed JSON at '}'");
    load_fails("{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"b\":tru}\n", "t.jsonl:3:12: malformed JSON at 't'");
    load_fails("hello\n", "t.jsonl:1:1: malformed JSON at 'h'");
}

Test(json_load, cut_short_records)
{
    load_fails("{\"a\":1}\n{\"a\":2\n{\"a\":3}\n", "t.jsonl:2:7: unexpected end of line, expected '}'");
    load_fails("{\"a\":[1,2\n{\"a\":3}\n", "t.jsonl:1:10: unexpected end of line, expected ']'");
    load_fails("{\"a\":1}\n{\"a\":\"x}\n", "t.jsonl:2:6: unterminated string");
    load_fails("[{\"a\":1}", "t.jsonl:1:9: unexpected end of input, expected ',' or ']'");
    load_fails("[{\"a\":1},\n", "t.jsonl:2:1: unexpected end of input, expected a record or ']'");
}

Test(json_load, array_punctuation)
{
    load_fails("[{\"a\":1} {\"a\":2}]", "t.jsonl:1:10: expected ',' or ']' after a record");
    load_fails("[{\"a\":1}] x", "t.jsonl:1:11: unexpected text after the closing ']'");
}

Test(json_load, records_must_be_objects)
{
    load_fails("{\"a\":1}\n[1,2]\n", "t.jsonl:2:1: expected a JSON object (a record), found an array");
    load_fails("[{\"a\":1},\n 5]", "t.jsonl:2:2: expected a JSON object (a record), found a number");
    load_fails("\"abc\"\n", "t.jsonl:1:1: expected a JSON object (a record), found a string");
    load_fails("[null]", "t.jsonl:1:2: expected a JSON object (a record), found null");
}

Test(json_load, deep_nesting_is_an_error_not_a_crash)
{
    /* {"a": then 2000 '[': cJSON allows 1000 levels, the object being the
     * first, so the 1000th '[' (byte 1004, column 1005) is one too many */
    size_t depth = 2000;
    char *text = malloc(depth * 2 + 16);
    size_t n = 0;
    n += (size_t)sprintf(text, "{\"a\":");
    memset(text + n, '[', depth);
    n += depth;
    memset(text + n, ']', depth);
    n += depth;
    strcpy(text + n, "}\n");
    load_fails(text, "t.jsonl:1:1005: JSON nested deeper than 1000 levels");
    free(text);
}

Test(json_load, deep_nesting_within_the_limit_loads)
{
    size_t depth = 900;
    char *text = malloc(depth * 2 + 16);
    size_t n = (size_t)sprintf(text, "{\"a\":");
    memset(text + n, '[', depth);
    n += depth;
    memset(text + n, ']', depth);
    n += depth;
    strcpy(text + n, "}\n");
    kql_table *t = load("T", text);
    const kql_column *a = col(t, "a", KQL_DYNAMIC);
    cr_assert_eq(kql_dyn_tag_of((kql_dyn)a->data.s[0].ptr), KQL_DYN_ARRAY);
    kql_table_free(t);
    free(text);
}

/* ---------- files and folders ---------- */

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/kql_json_load_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_tmpdir(const char *const *names, size_t n)
{
    char path[128];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        unlink(path);
    }
    rmdir(tmpdir);
}

Test(json_load, folder_loads_every_json_file_by_name)
{
    static const char *const names[] = {"b.jsonl", "a.json", "c.ndjson", "notes.txt", ".hidden.json"};
    make_tmpdir();
    write_file("b.jsonl", "{\"x\":1}\n{\"x\":2}\n");
    write_file("a.json", "[{\"y\":\"s\"}]");
    write_file("c.ndjson", "");
    write_file("notes.txt", "not json");
    write_file(".hidden.json", "not json");
    kql_catalog cat;
    kql_catalog_init(&cat);
    kql_load_error err;
    int rc = kql_load_path(&cat, tmpdir, NULL, &err);
    remove_tmpdir(names, 5);
    cr_assert_eq(rc, 0, "%s", err.message);
    cr_assert_eq(cat.ntables, 3);
    cr_assert_str_eq(cat.tables[0]->name, "a");   /* sorted by file name */
    cr_assert_str_eq(cat.tables[1]->name, "b");
    cr_assert_str_eq(cat.tables[2]->name, "c");
    cr_assert_eq(kql_catalog_find(&cat, "b")->nrows, 2);
    kql_catalog_free(&cat);
}

Test(json_load, single_file_is_named_after_its_base_name)
{
    static const char *const names[] = {"SigninLogs.jsonl"};
    make_tmpdir();
    write_file("SigninLogs.jsonl", "{\"DurationMs\":\"3\"}\n");
    char path[128];
    snprintf(path, sizeof path, "%s/SigninLogs.jsonl", tmpdir);
    kql_catalog cat;
    kql_catalog_init(&cat);
    kql_load_error err;
    int rc = kql_load_path(&cat, path, NULL, &err);
    remove_tmpdir(names, 1);
    cr_assert_eq(rc, 0, "%s", err.message);
    kql_table *t = kql_catalog_find(&cat, "SigninLogs");
    cr_assert_not_null(t);
    assert_long(col(t, "DurationMs", KQL_LONG), 0, 3);   /* the schema applies */
    kql_catalog_free(&cat);
}

Test(json_load, error_in_a_file_names_the_file)
{
    static const char *const names[] = {"bad.jsonl"};
    make_tmpdir();
    write_file("bad.jsonl", "{\"a\":1}\n{\"a\":}\n");
    char path[128];
    snprintf(path, sizeof path, "%s/bad.jsonl", tmpdir);
    kql_load_error err;
    kql_catalog cat;
    kql_catalog_init(&cat);
    int rc = kql_load_path(&cat, path, NULL, &err);
    remove_tmpdir(names, 1);
    kql_catalog_free(&cat);
    cr_assert_eq(rc, -1);
    char want[256];
    snprintf(want, sizeof want, "%s:2:6: malformed JSON at '}'", path);
    cr_assert_str_eq(err.message, want);
}

Test(json_load, two_files_for_one_table_is_an_error)
{
    static const char *const names[] = {"x.json", "x.jsonl"};
    make_tmpdir();
    write_file("x.json", "[]");
    write_file("x.jsonl", "");
    kql_catalog cat;
    kql_catalog_init(&cat);
    kql_load_error err;
    int rc = kql_load_path(&cat, tmpdir, NULL, &err);
    remove_tmpdir(names, 2);
    cr_assert_eq(rc, -1);
    char want[256];
    snprintf(want, sizeof want, "%s: both x.json and x.jsonl hold table x", tmpdir);
    cr_assert_str_eq(err.message, want);
    kql_catalog_free(&cat);
}

Test(json_load, missing_file)
{
    kql_load_error err;
    kql_catalog cat;
    kql_catalog_init(&cat);
    cr_assert_eq(kql_load_path(&cat, "/nonexistent/x.json", NULL, &err), -1);
    cr_assert_str_eq(err.message, "/nonexistent/x.json: No such file or directory");
    cr_assert_eq(kql_load_path(&cat, "/nonexistent/dir", NULL, &err), -1);
    cr_assert_str_eq(err.message, "/nonexistent/dir: No such file or directory");
    kql_catalog_free(&cat);
}

Test(json_load, empty_file)
{
    static const char *const names[] = {"e.json"};
    make_tmpdir();
    write_file("e.json", "");
    char path[128];
    snprintf(path, sizeof path, "%s/e.json", tmpdir);
    kql_load_error err;
    kql_catalog cat;
    kql_catalog_init(&cat);
    int rc = kql_load_path(&cat, path, NULL, &err);
    remove_tmpdir(names, 1);
    cr_assert_eq(rc, 0, "%s", err.message);
    const kql_table *t = kql_catalog_find(&cat, "e");
    cr_assert_not_null(t);
    cr_assert_eq(t->ncols, 0);
    cr_assert_eq(t->nrows, 0);
    kql_catalog_free(&cat);
}

/* ---------- other exports ---------- */

Test(json_load, event_hubs_records_batches)
{
    kql_table *t = load("T", "{\"records\":[{\"a\":1},{\"a\":2,\"b\":\"x\"}]}\n{\"records\":[{\"a\":3}]}\n");
    cr_assert_eq(t->nrows, 3);
    const kql_column *a = col(t, "a", KQL_LONG);
    assert_long(a, 2, 3);
    assert_str(col(t, "b", KQL_STRING), 1, "x");
    kql_table_free(t);
    load_fails("{\"records\":[{\"a\":1},7]}", "t.jsonl:1:1: expected a JSON object (a record) in \"records\", found a number");
}

Test(json_load, query_api_answer_with_declared_types)
{
    kql_table *t = load("T",
        "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"When\",\"type\":\"datetime\"},"
        "{\"name\":\"N\",\"type\":\"long\"},{\"name\":\"Code\",\"type\":\"string\"},{\"name\":\"D\",\"type\":\"dynamic\"}],"
        "\"rows\":[[\"2024-05-06T00:00:00Z\",\"5\",\"12\",\"{\\\"k\\\":1}\"],[null,null,null,null]]}]}");
    cr_assert_eq(t->nrows, 2);
    cr_assert_str_eq(t->col_names[0], "When");
    assert_long(col(t, "When", KQL_DATETIME), 0, TICKS_2024_05_06);
    assert_long(col(t, "N", KQL_LONG), 0, 5);
    assert_null(col(t, "N", KQL_LONG), 1);
    assert_str(col(t, "Code", KQL_STRING), 0, "12");   /* declared string: no inference */
    assert_str(col(t, "Code", KQL_STRING), 1, "");
    assert_dyn(col(t, "D", KQL_DYNAMIC), 0, "{\"k\":1}");
    kql_table_free(t);
    load_fails("{\"tables\":[{\"columns\":[{\"name\":\"a\",\"type\":\"long\"}],\"rows\":[[1],[1,2]]}]}",
               "t.jsonl:1:1: row 2 of the query result is not an array of 1 values");
}

Test(json_load, query_api_answer_for_a_known_table_uses_the_schema)
{
    kql_table *t = load("SigninLogs",
        "{\"tables\":[{\"columns\":[{\"name\":\"DurationMs\",\"type\":\"string\"},{\"name\":\"X\",\"type\":\"bool\"}],"
        "\"rows\":[[\"40\",true]]}]}");
    cr_assert_eq(t->ncols, 97);
    assert_long(col(t, "DurationMs", KQL_LONG), 0, 40);
    cr_assert_eq(col(t, "X", KQL_BOOL)->data.b[0], 1);
    kql_table_free(t);
}

/* A string value is shown escaped, so its line break cannot split the
 * message; long values are cut at 60 bytes. */
Test(json_load, reported_values_are_escaped_and_cut)
{
    kql_buf notes;
    kql_buf_init(&notes);
    kql_load_report report = {collect_note, &notes};
    kql_json_options opt = {.report = &report};
    const char *text = "{\"DurationMs\":\"a\\nb\"}\n"
                       "{\"DurationMs\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}\n";
    kql_load_error err;
    kql_table *t = kql_load_json_text_opts(text, strlen(text), "t.jsonl", "SigninLogs", &opt, &err);
    cr_assert_not_null(t, "load failed: %s", err.message);
    kql_table_free(t);
    cr_assert_str_eq(kql_buf_cstr(&notes),
        "t.jsonl:1: column DurationMs: 'a\\nb' is not a long (stored as null)\n"
        "t.jsonl:2: column DurationMs: '01234567890123456789012345678901234567890123456789012345678... is not a long (stored as null)\n"
        "t.jsonl: 2 values could not be converted (stored as null)\n");
    kql_buf_free(&notes);
}
