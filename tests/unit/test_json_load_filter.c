/* test_json_load_filter.c - loading with a kql_load_filter (json_load.h):
 * only the named columns exist, their string values are decoded straight from
 * the text (escapes, \u sequences, surrogate pairs), other fields are skipped,
 * keep() sees each chunk with its file offset and decides which rows stay, and
 * a malformed record is reported as without a filter. Expected values are
 * worked out by hand from the inputs written here. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json_load.h"
#include "schema.h"

TestSuite(json_load_filter, .fini = kql_schema_shutdown);

static const char *const upn_and_app[] = { "UserPrincipalName", "AppDisplayName" };

static kql_table *load_with(const char *text, const kql_load_filter *f)
{
    kql_json_options opt = { .filter = f };
    kql_load_error err;
    kql_table *t = kql_load_json_text_opts(text, strlen(text), "t.jsonl", f->table, &opt, &err);
    cr_assert_not_null(t, "load failed: %s", err.message);
    return t;
}

static void assert_str(const kql_table *t, const char *col, size_t row, const char *want)
{
    int i = kql_table_find(t, col);
    cr_assert(i >= 0, "no column %s", col);
    kql_value v = kql_column_get(t->cols[i], row);
    cr_assert_eq(v.u.s.len, strlen(want), "%s row %zu: '%.*s', expected '%s'", col, row, (int)v.u.s.len,
                 v.u.s.ptr ? v.u.s.ptr : "", want);
    cr_assert(memcmp(v.u.s.ptr, want, v.u.s.len) == 0);
}

Test(json_load_filter, only_the_named_columns_load)
{
    kql_load_filter f = { .table = "AADNonInteractiveUserSignInLogs", .columns = upn_and_app, .ncolumns = 2 };
    kql_table *t = load_with("{\"Id\":\"1\",\"UserPrincipalName\":\"a@b.c\",\"Status\":{\"errorCode\":0},"
                             "\"AppDisplayName\":\"Teams\"}\n"
                             "{\"AppDisplayName\":\"Edge\",\"Extra\":[1,{\"x\":\"]\"}]}\n", &f);
    cr_assert_eq(t->ncols, 2);
    cr_assert_eq(t->nrows, 2);
    /* schema order, not the filter's */
    cr_assert_str_eq(t->col_names[0], "AppDisplayName");
    cr_assert_str_eq(t->col_names[1], "UserPrincipalName");
    assert_str(t, "UserPrincipalName", 0, "a@b.c");
    assert_str(t, "AppDisplayName", 0, "Teams");
    assert_str(t, "UserPrincipalName", 1, "");   /* missing string: "" */
    assert_str(t, "AppDisplayName", 1, "Edge");
    kql_table_free(t);
}

Test(json_load_filter, strings_decode_every_escape)
{
    kql_load_filter f = { .table = "AADNonInteractiveUserSignInLogs", .columns = upn_and_app, .ncolumns = 2 };
    /* \" \\ \/ \b \f \n \r \t, U+00E9 (C3 A9), U+20AC (E2 82 AC), U+1F600 as a pair (F0 9F 98 80) */
    kql_table *t = load_with("{\"UserPrincipalName\":\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t|\\u00e9\\u20AC\\ud83d\\ude00\"}\n",
                             &f);
    assert_str(t, "UserPrincipalName", 0, "q\"b\\s/\b\f\n\r\t|\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    kql_table_free(t);
}

/* keeps the rows whose AppDisplayName is "keep"; records the offsets seen */
static size_t seen_offsets[8], nseen;

static size_t keep_marked(void *ctx, const kql_table *chunk, size_t offset, size_t *keep)
{
    (void)ctx;
    if (nseen < 8)
        seen_offsets[nseen++] = offset;
    int app = kql_table_find(chunk, "AppDisplayName");
    size_t n = 0;
    for (size_t r = 0; r < chunk->nrows; r++) {
        kql_value v = kql_column_get(chunk->cols[app], r);
        if (v.u.s.len == 4 && memcmp(v.u.s.ptr, "keep", 4) == 0)
            keep[n++] = r;
    }
    return n;
}

Test(json_load_filter, keep_drops_rows_as_they_load)
{
    kql_load_filter f = { .table = "AADNonInteractiveUserSignInLogs", .columns = upn_and_app, .ncolumns = 2,
                          .keep = keep_marked };
    /* 20000 rows: three chunks of 8192, 8192 and 3616; every third kept */
    kql_buf text;
    kql_buf_init(&text);
    for (int i = 0; i < 20000; i++)
        kql_buf_printf(&text, "{\"UserPrincipalName\":\"u%05d\",\"AppDisplayName\":\"%s\"}\n", i,
                       i % 3 == 0 ? "keep" : "drop");
    nseen = 0;
    kql_table *t = load_with(kql_buf_cstr(&text), &f);
    cr_assert_eq(t->nrows, 6667);   /* 0, 3, ..., 19998 */
    assert_str(t, "UserPrincipalName", 0, "u00000");
    assert_str(t, "UserPrincipalName", 1, "u00003");
    assert_str(t, "UserPrincipalName", 6666, "u19998");
    cr_assert_eq(nseen, 3);
    /* each line is 55 bytes ({ 1, "UserPrincipalName" 19, : 1, "u00000" 8, , 1,
     * "AppDisplayName" 16, : 1, "keep" 6, } 1, newline 1): chunks start at rows
     * 0, 8192, 16384 */
    cr_assert_eq(seen_offsets[0], 0);
    cr_assert_eq(seen_offsets[1], 8192 * 55);
    cr_assert_eq(seen_offsets[2], 16384 * 55);
    kql_table_free(t);
    kql_buf_free(&text);
}

Test(json_load_filter, crlf_line_ends)
{
    kql_load_filter f = { .table = "AADNonInteractiveUserSignInLogs", .columns = upn_and_app, .ncolumns = 2 };
    kql_table *t = load_with("{\"UserPrincipalName\":\"a\"}\r\n{\"AppDisplayName\":\"b\"} \r\n\r\n"
                             "{\"UserPrincipalName\":\"c\"}", &f);
    cr_assert_eq(t->nrows, 3);
    assert_str(t, "UserPrincipalName", 0, "a");
    assert_str(t, "AppDisplayName", 1, "b");
    assert_str(t, "UserPrincipalName", 2, "c");
    kql_table_free(t);
}

Test(json_load_filter, malformed_records_report_as_without_a_filter)
{
    static const char *const bad[] = {
        "{\"UserPrincipalName\":\"a\"}\n{\"UserPrincipalName\" \"b\"}\n",
        "{\"UserPrincipalName\":\"a\"}\n{\"UserPrincipalName\":\"b\\x\"}\n",
        "{\"UserPrincipalName\":\"a\"}\n{\"Status\":{\"errorCode\":0}\n",
        "{\"UserPrincipalName\":\"a\"}\n{\"UserPrincipalName\":\"b\",}\n",
        /* a raw line break inside a string: the record is cut at the line's end */
        "{\"UserPrincipalName\":\"a\"}\n{\"UserPrincipalName\":\"b\nc\"}\n",
        "{\"UserPrincipalName\":\"a\"}\n{\"Status\":\"x\ny\"}\n",
        "{\"UserPrincipalName\":\"a\"}\n{\"Status\":[1,\n2]}\n",
    };
    kql_load_filter f = { .table = "AADNonInteractiveUserSignInLogs", .columns = upn_and_app, .ncolumns = 2 };
    kql_json_options opt = { .filter = &f };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        kql_load_error with, without;
        kql_table *a = kql_load_json_text_opts(bad[i], strlen(bad[i]), "t.jsonl", f.table, &opt, &with);
        kql_table *b = kql_load_json_text(bad[i], strlen(bad[i]), "t.jsonl", f.table, &without);
        cr_assert_null(a, "case %zu loaded", i);
        cr_assert_null(b);
        cr_assert_str_eq(with.message, without.message, "case %zu", i);
        cr_assert(strncmp(with.message, "t.jsonl:2:", 10) == 0, "case %zu: %s", i, with.message);
    }
}
