/* test_format.c - the result writers (runtime/format.c): cell text, the
 * aligned table layout, CSV quoting, JSON typing and JSON Lines, over small
 * tables built by hand. Expected texts are written out by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic.h"
#include "format.h"

/* 2026-11-20T10:15:30.1234567Z: (1795169730 s since 1970) * 1e7 + epoch ticks + fraction */
#define TICKS_2026_11_20_101530_1234567 639307665301234567LL
#define TICKS_2024_05_06 638505504000000000LL

/* Runs a writer into memory; the caller frees the text. */
static char *render(const kql_table *t, kql_format fmt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    kql_format_write(f, t, fmt);
    fclose(f);
    return text;
}

static void assert_render(const kql_table *t, kql_format fmt, const char *want)
{
    char *got = render(t, fmt);
    cr_assert_str_eq(got, want);
    free(got);
}

static void push(kql_column *c, kql_value v)
{
    kql_column_push(c, &v);
}

static void push_str(kql_column *c, const char *s)
{
    push(c, kql_string(s, strlen(s)));
}

static void push_guid(kql_column *c, const uint8_t bytes[16])
{
    kql_value v = {.type = KQL_GUID, .is_null = false};
    memcpy(v.u.g.b, bytes, 16);
    push(c, v);
}

static void push_dyn(kql_column *c, const kql_buf *enc)
{
    kql_value v = {.type = KQL_DYNAMIC, .is_null = false};
    v.u.s.ptr = enc->data;
    v.u.s.len = (uint32_t)enc->len;
    push(c, v);
}

/* Every type, three rows: values; nulls (a string cell is ""); more values
 * with NaN, a negative timespan and a dynamic string. */
static kql_table *all_types(void)
{
    static const uint8_t guid[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                     0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    kql_column *b = kql_column_new(KQL_BOOL, 3), *i = kql_column_new(KQL_INT, 3),
               *l = kql_column_new(KQL_LONG, 3), *r = kql_column_new(KQL_REAL, 3),
               *s = kql_column_new(KQL_STRING, 3), *d = kql_column_new(KQL_DATETIME, 3),
               *t = kql_column_new(KQL_TIMESPAN, 3), *g = kql_column_new(KQL_GUID, 3),
               *dy = kql_column_new(KQL_DYNAMIC, 3);
    kql_buf enc;
    kql_buf_init(&enc);

    push(b, kql_bool(true));
    push(i, kql_int(7));
    push(l, kql_long(42));
    push(r, kql_real(1.5));
    push_str(s, "he said \"hi\"");
    push(d, kql_datetime(TICKS_2026_11_20_101530_1234567));
    push(t, kql_timespan(90LL * 60 * KQL_TICKS_PER_SECOND));
    push_guid(g, guid);
    size_t obj = kql_dyn_begin_object(&enc);
    kql_dyn_put_key(&enc, "a", 1);
    size_t arr = kql_dyn_begin_array(&enc);
    kql_dyn_put_long(&enc, 1);
    kql_dyn_put_string(&enc, "x", 1);
    kql_dyn_end(&enc, arr, 2);
    kql_dyn_end(&enc, obj, 1);
    push_dyn(dy, &enc);

    kql_column *all[] = {b, i, l, r, d, t, g, dy};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        kql_column_push_null(all[k]);
    push_str(s, "");

    push(b, kql_bool(false));
    push(i, kql_int(-3));
    push(l, kql_long(-9000000000LL));
    push(r, kql_real(NAN));
    push_str(s, "x");
    push(d, kql_datetime(TICKS_2024_05_06));
    push(t, kql_timespan(-(KQL_TICKS_PER_DAY + 2 * 3600 * KQL_TICKS_PER_SECOND)));
    kql_column_push_null(g);
    kql_buf_clear(&enc);
    kql_dyn_put_string(&enc, "plain", 5);
    push_dyn(dy, &enc);
    kql_buf_free(&enc);

    kql_table *tab = kql_table_new(NULL);
    kql_table_add(tab, "b", b);
    kql_table_add(tab, "i", i);
    kql_table_add(tab, "l", l);
    kql_table_add(tab, "r", r);
    kql_table_add(tab, "s", s);
    kql_table_add(tab, "d", d);
    kql_table_add(tab, "t", t);
    kql_table_add(tab, "g", g);
    kql_table_add(tab, "dy", dy);
    return tab;
}

Test(format, parse_names)
{
    kql_format f;
    cr_assert(kql_format_parse("table", &f) && f == KQL_FORMAT_TABLE);
    cr_assert(kql_format_parse("csv", &f) && f == KQL_FORMAT_CSV);
    cr_assert(kql_format_parse("json", &f) && f == KQL_FORMAT_JSON);
    cr_assert(kql_format_parse("jsonl", &f) && f == KQL_FORMAT_JSONL);
    cr_assert(!kql_format_parse("xml", &f));
    cr_assert(!kql_format_parse("", &f));
}

Test(format, cell_text_of_every_type)
{
    static const char *const row0[] = {
        "true", "7", "42", "1.5", "he said \"hi\"", "2026-11-20T10:15:30.1234567Z", "01:30:00",
        "01234567-89ab-cdef-0123-456789abcdef", "{\"a\":[1,\"x\"]}"};
    static const char *const row2[] = {
        "false", "-3", "-9000000000", "NaN", "x", "2024-05-06T00:00:00.0000000Z", "-1.02:00:00",
        "", "plain"};   /* a dynamic string prints without quotes */
    kql_table *t = all_types();
    kql_buf b;
    kql_buf_init(&b);
    for (size_t c = 0; c < t->ncols; c++) {
        kql_buf_clear(&b);
        kql_format_cell_text(t->cols[c], 0, &b);
        cr_assert_str_eq(kql_buf_cstr(&b), row0[c], "column %s", t->col_names[c]);
        kql_buf_clear(&b);
        kql_format_cell_text(t->cols[c], 1, &b);
        cr_assert_str_eq(kql_buf_cstr(&b), "", "null in column %s", t->col_names[c]);
        kql_buf_clear(&b);
        kql_format_cell_text(t->cols[c], 2, &b);
        cr_assert_str_eq(kql_buf_cstr(&b), row2[c], "column %s", t->col_names[c]);
    }
    kql_buf_free(&b);
    kql_table_free(t);
}

Test(format, csv_quotes_only_when_needed)
{
    kql_table *t = all_types();
    assert_render(t, KQL_FORMAT_CSV,
        "b,i,l,r,s,d,t,g,dy\n"
        "true,7,42,1.5,\"he said \"\"hi\"\"\",2026-11-20T10:15:30.1234567Z,01:30:00,"
        "01234567-89ab-cdef-0123-456789abcdef,\"{\"\"a\"\":[1,\"\"x\"\"]}\"\n"
        ",,,,,,,,\n"
        "false,-3,-9000000000,NaN,x,2024-05-06T00:00:00.0000000Z,-1.02:00:00,,plain\n");
    kql_table_free(t);
}

Test(format, csv_commas_and_line_breaks)
{
    kql_column *s = kql_column_new(KQL_STRING, 4);
    push_str(s, "a,b");
    push_str(s, "line1\nline2");
    push_str(s, "cr\rhere");
    push_str(s, "plain text");
    kql_table *t = kql_table_new(NULL);
    kql_table_add(t, "the, name", s);
    assert_render(t, KQL_FORMAT_CSV,
        "\"the, name\"\n\"a,b\"\n\"line1\nline2\"\n\"cr\rhere\"\nplain text\n");
    kql_table_free(t);
}

Test(format, json_values_are_typed)
{
    kql_table *t = all_types();
    assert_render(t, KQL_FORMAT_JSON,
        "[\n"
        "{\"b\":true,\"i\":7,\"l\":42,\"r\":1.5,\"s\":\"he said \\\"hi\\\"\","
        "\"d\":\"2026-11-20T10:15:30.1234567Z\",\"t\":\"01:30:00\","
        "\"g\":\"01234567-89ab-cdef-0123-456789abcdef\",\"dy\":{\"a\":[1,\"x\"]}},\n"
        "{\"b\":null,\"i\":null,\"l\":null,\"r\":null,\"s\":\"\",\"d\":null,\"t\":null,\"g\":null,\"dy\":null},\n"
        "{\"b\":false,\"i\":-3,\"l\":-9000000000,\"r\":\"NaN\",\"s\":\"x\","
        "\"d\":\"2024-05-06T00:00:00.0000000Z\",\"t\":\"-1.02:00:00\",\"g\":null,\"dy\":\"plain\"}\n"
        "]\n");
    kql_table_free(t);
}

Test(format, jsonl_one_object_a_line)
{
    kql_column *r = kql_column_new(KQL_REAL, 3);
    push(r, kql_real(INFINITY));
    push(r, kql_real(-INFINITY));
    push(r, kql_real(0.25));
    kql_column *s = kql_column_new(KQL_STRING, 3);
    push_str(s, "tab\there");
    push_str(s, "new\nline");
    push_str(s, "back\\slash");
    kql_table *t = kql_table_new(NULL);
    kql_table_add(t, "r", r);
    kql_table_add(t, "s", s);
    assert_render(t, KQL_FORMAT_JSONL,
        "{\"r\":\"Infinity\",\"s\":\"tab\\there\"}\n"
        "{\"r\":\"-Infinity\",\"s\":\"new\\nline\"}\n"
        "{\"r\":0.25,\"s\":\"back\\\\slash\"}\n");
    kql_table_free(t);
}

/* name(string) n(long) _h(hidden long) x(real) ok(bool): widths 5, 4, 4, 5 */
static kql_table *small_table(void)
{
    kql_column *name = kql_column_new(KQL_STRING, 3), *n = kql_column_new(KQL_LONG, 3),
               *h = kql_column_new(KQL_LONG, 3), *x = kql_column_new(KQL_REAL, 3),
               *ok = kql_column_new(KQL_BOOL, 3);
    push_str(name, "alpha");
    push(n, kql_long(5));
    push(x, kql_real(1.5));
    push(ok, kql_bool(true));
    push_str(name, "b");
    push(n, kql_long(-120));
    push(x, kql_real(0.25));
    kql_column_push_null(ok);
    push_str(name, "");
    kql_column_push_null(n);
    push(x, kql_real(10));
    push(ok, kql_bool(false));
    for (int k = 0; k < 3; k++)
        push(h, kql_long(123456789));
    kql_table *t = kql_table_new(NULL);
    kql_table_add(t, "name", name);
    kql_table_add(t, "n", n);
    kql_table_add_hidden(t, "_h", h);
    kql_table_add(t, "x", x);
    kql_table_add(t, "ok", ok);
    return t;
}

Test(format, table_aligns_numbers_right_and_text_left)
{
    kql_table *t = small_table();
    assert_render(t, KQL_FORMAT_TABLE,
        "name      n     x  ok\n"
        "-----  ----  ----  -----\n"
        "alpha     5   1.5  true\n"
        "b      -120  0.25\n"
        "               10  false\n");
    kql_table_free(t);
}

Test(format, hidden_columns_are_left_out)
{
    kql_table *t = small_table();
    assert_render(t, KQL_FORMAT_CSV, "name,n,x,ok\nalpha,5,1.5,true\nb,-120,0.25,\n,,10,false\n");
    char *json = render(t, KQL_FORMAT_JSONL);
    cr_assert_null(strstr(json, "_h"));
    free(json);
    kql_table_free(t);
}

Test(format, table_escapes_control_characters_and_counts_characters)
{
    kql_column *s = kql_column_new(KQL_STRING, 2), *n = kql_column_new(KQL_LONG, 2);
    push_str(s, "a\tb");           /* prints as a\tb: 4 wide */
    push(n, kql_long(1));
    push_str(s, "\xc3\xa9\nz");   /* e-acute, newline, z: 4 wide */
    push(n, kql_long(22));
    kql_table *t = kql_table_new(NULL);
    kql_table_add(t, "s", s);
    kql_table_add(t, "n", n);
    assert_render(t, KQL_FORMAT_TABLE,
        "s      n\n"
        "----  --\n"
        "a\\tb   1\n"
        "\xc3\xa9\\nz  22\n");
    kql_table_free(t);
}

Test(format, empty_results)
{
    kql_table *t = kql_table_new(NULL);
    kql_table_add(t, "a", kql_column_new(KQL_LONG, 0));
    kql_table_add(t, "bb", kql_column_new(KQL_STRING, 0));
    assert_render(t, KQL_FORMAT_TABLE, "a  bb\n-  --\n");
    assert_render(t, KQL_FORMAT_CSV, "a,bb\n");
    assert_render(t, KQL_FORMAT_JSON, "[]\n");
    assert_render(t, KQL_FORMAT_JSONL, "");
    kql_table_free(t);

    kql_table *none = kql_table_new(NULL);
    assert_render(none, KQL_FORMAT_TABLE, "");
    assert_render(none, KQL_FORMAT_CSV, "");
    assert_render(none, KQL_FORMAT_JSON, "[]\n");
    kql_table_free(none);
}

/* id (long), text, tag: natural widths 5, 26 and 3. */
static kql_table *wide_table(void)
{
    kql_column *id = kql_column_new(KQL_LONG, 2), *text = kql_column_new(KQL_STRING, 2),
               *tag = kql_column_new(KQL_STRING, 2);
    push(id, kql_long(7));
    push_str(text, "short");
    push_str(tag, "x");
    push(id, kql_long(12345));
    push_str(text, "abcdefghijklmnopqrstuvwxyz");
    push_str(tag, "y");
    kql_table *t = kql_table_new(NULL);
    kql_table_add(t, "id", id);
    kql_table_add(t, "text", text);
    kql_table_add(t, "tag", tag);
    return t;
}

static void assert_render_width(const kql_table *t, size_t width, const char *want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    kql_format_options opt = {.max_width = width};
    kql_format_write_opts(f, t, KQL_FORMAT_TABLE, &opt);
    fclose(f);
    cr_assert_str_eq(text, want);
    free(text);
}

/* 20 wide: 4 for the separators, 5 + 3 for id and tag, so text gets 8:
 * 7 characters and the ellipsis. */
Test(format, table_fits_a_width_by_cutting_the_widest_column)
{
    kql_table *t = wide_table();
    assert_render_width(t, 20,
        "   id  text      tag\n"
        "-----  --------  ---\n"
        "    7  short     x\n"
        "12345  abcdefg\xE2\x80\xA6  y\n");
    kql_table_free(t);
}

/* Too narrow to fit: columns stop at KQL_FORMAT_MIN_WIDTH (6), and ones
 * already narrower keep their width. */
Test(format, table_columns_keep_a_minimum_width)
{
    kql_table *t = wide_table();
    assert_render_width(t, 5,
        "   id  text    tag\n"
        "-----  ------  ---\n"
        "    7  short   x\n"
        "12345  abcde\xE2\x80\xA6  y\n");
    kql_table_free(t);
}

/* A table that fits is printed as without a width; csv ignores it. */
Test(format, width_changes_nothing_that_fits)
{
    kql_table *t = wide_table();
    assert_render_width(t, 38,
        "   id  text                        tag\n"
        "-----  --------------------------  ---\n"
        "    7  short                       x\n"
        "12345  abcdefghijklmnopqrstuvwxyz  y\n");
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    kql_format_options opt = {.max_width = 5};
    kql_format_write_opts(f, t, KQL_FORMAT_CSV, &opt);
    fclose(f);
    cr_assert_str_eq(text, "id,text,tag\n7,short,x\n12345,abcdefghijklmnopqrstuvwxyz,y\n");
    free(text);
    kql_table_free(t);
}
