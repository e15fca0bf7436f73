/* test_load_formats.c - the pieces that read exported logs: CSV record
 * splitting and the portal's datetimes (load_csv.c), gzip detection and
 * inflating (load_input.c), TABLE.schema parsing (schema_file.c), data file
 * names (load_file.c), shape detection (load_shape.c) and the record
 * rewrites for diagnostic settings (load_diag.c) and az (load_az.c).
 * Expected values are worked out by hand from the inputs written here. */
#include <criterion/criterion.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "load_az.h"
#include "load_csv.h"
#include "load_diag.h"
#include "load_file.h"
#include "load_input.h"
#include "load_shape.h"
#include "schema_file.h"
#include "table_concat.h"

TestSuite(load_formats, .fini = kql_schema_shutdown);

/* ---------- CSV records ---------- */

/* Splits text and returns the records as "a|b|c" lines joined by "\n". */
static char *split(const char *text)
{
    kql_csv_reader r;
    kql_csv_reader_init(&r, text, strlen(text));
    kql_csv_row row;
    kql_csv_row_init(&row);
    kql_buf out;
    kql_buf_init(&out);
    size_t line, col;
    const char *msg;
    int rc;
    while ((rc = kql_csv_next(&r, &row, &line, &col, &msg)) > 0) {
        kql_buf_printf(&out, "%zu:", row.line);
        for (size_t i = 0; i < row.n; i++) {
            size_t n;
            const char *f = kql_csv_field(&row, i, &n);
            kql_buf_printf(&out, "%s%.*s", i ? "|" : "", (int)n, f);
        }
        kql_buf_putc(&out, '\n');
    }
    cr_assert_eq(rc, 0, "unexpected error %zu:%zu: %s", line, col, msg);
    kql_csv_row_free(&row);
    char *s = strdup(kql_buf_cstr(&out));
    kql_buf_free(&out);
    return s;
}

static void split_is(const char *text, const char *want)
{
    char *got = split(text);
    cr_assert_str_eq(got, want);
    free(got);
}

static void split_fails(const char *text, size_t want_line, size_t want_col, const char *want_msg)
{
    kql_csv_reader r;
    kql_csv_reader_init(&r, text, strlen(text));
    kql_csv_row row;
    kql_csv_row_init(&row);
    size_t line = 0, col = 0;
    const char *msg = NULL;
    int rc;
    while ((rc = kql_csv_next(&r, &row, &line, &col, &msg)) > 0)
        ;
    kql_csv_row_free(&row);
    cr_assert_eq(rc, -1, "expected an error for %s", text);
    cr_assert_eq(line, want_line, "line %zu, expected %zu", line, want_line);
    cr_assert_eq(col, want_col, "column %zu, expected %zu", col, want_col);
    cr_assert_str_eq(msg, want_msg);
}

Test(load_formats, csv_plain_fields)
{
    split_is("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
    split_is("a,b\n1,2", "1:a|b\n2:1|2\n");   /* no line break at the end */
    split_is("a,,c,\n", "1:a||c|\n");          /* empty fields, a trailing one too */
    split_is("x\n\n\ny\n", "1:x\n4:y\n");      /* blank lines hold no record */
}

Test(load_formats, csv_quoted_fields)
{
    split_is("\"a,b\",c\n", "1:a,b|c\n");
    split_is("\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x\n");
    split_is("\"\",x\n", "1:|x\n");
    /* a line break inside quotes is part of the field; the next record
     * starts on line 3 */
    split_is("\"two\nlines\",x\ny,z\n", "1:two\nlines|x\n3:y|z\n");
}

Test(load_formats, csv_crlf_line_ends)
{
    split_is("a,b\r\n1,\"2\"\r\n", "1:a|b\n2:1|2\n");
    /* a CR that is not before LF is data */
    split_is("a\rb,c\n", "1:a\rb|c\n");
}

Test(load_formats, csv_malformed)
{
    split_fails("a,b\n1,\"open\n", 2, 3, "unterminated quoted field");
    split_fails("a,b\n1,say \"hi\"\n", 2, 7, "a quote inside an unquoted field (quote the whole field)");
    split_fails("\"a\"b,c\n", 1, 4, "expected ',' or the end of the line after a closing quote");
    /* the column counts bytes from the start of the record's own line */
    split_fails("\"x\ny\"z\n", 2, 3, "expected ',' or the end of the line after a closing quote");
}

static void portal_is(const char *in, const char *want)
{
    kql_buf b;
    kql_buf_init(&b);
    bool ok = kql_csv_portal_datetime(in, strlen(in), &b);
    if (want) {
        cr_assert(ok, "%s not read", in);
        cr_assert_str_eq(kql_buf_cstr(&b), want);
    } else {
        cr_assert(!ok, "%s read as %s", in, kql_buf_cstr(&b));
        cr_assert_eq(b.len, 0);
    }
    kql_buf_free(&b);
}

Test(load_formats, csv_portal_datetimes)
{
    portal_is("2/25/2025, 9:19:25.391 AM", "2025-02-25T09:19:25.391Z");
    portal_is("11/20/2026, 12:30:15.250 PM", "2026-11-20T12:30:15.250Z");
    portal_is("11/21/2026, 12:05:00 AM", "2026-11-21T00:05:00Z");   /* 12 AM is midnight */
    portal_is("1/1/2026, 11:59:59.1234567 PM", "2026-01-01T23:59:59.1234567Z");
    portal_is("2026-11-20T10:00:00Z", NULL);        /* ISO text is left to the datetime parser */
    portal_is("11/20/2026, 13:00:00 PM", NULL);     /* no 13 o'clock */
    portal_is("11/20/2026, 9:00:00", NULL);         /* no AM/PM */
    portal_is("11/20/2026 9:00:00 AM", NULL);       /* the portal writes a comma */
}

/* ---------- gzip ---------- */

/* text compressed as one gzip member, appended to out */
static void gzip_member(const char *text, kql_buf *out)
{
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    unsigned char buf[4096];
    z.next_in = (unsigned char *)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = buf;
    z.avail_out = sizeof buf;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    kql_buf_put(out, buf, sizeof buf - z.avail_out);
    deflateEnd(&z);
}

Test(load_formats, gzip_detected_by_magic_bytes)
{
    cr_assert(kql_is_gzip("\x1f\x8b\x08", 3));
    cr_assert(!kql_is_gzip("\x1f", 1));
    cr_assert(!kql_is_gzip("{\"a\":1}", 7));
    cr_assert(!kql_is_gzip("", 0));
}

Test(load_formats, gunzip_every_member)
{
    kql_buf gz, plain;
    kql_buf_init(&gz);
    kql_buf_init(&plain);
    gzip_member("{\"a\":1}\n", &gz);
    gzip_member("{\"a\":2}\n", &gz);   /* `cat a.gz b.gz` is one gzip file */
    const char *msg = NULL;
    cr_assert(kql_gunzip(gz.data, gz.len, &plain, &msg), "%s", msg);
    cr_assert_str_eq(kql_buf_cstr(&plain), "{\"a\":1}\n{\"a\":2}\n");
    kql_buf_free(&gz);
    kql_buf_free(&plain);
}

Test(load_formats, gunzip_cut_short_or_corrupt)
{
    kql_buf gz, plain;
    kql_buf_init(&gz);
    kql_buf_init(&plain);
    gzip_member("some text that is long enough to compress into several bytes", &gz);
    const char *msg = NULL;
    cr_assert(!kql_gunzip(gz.data, gz.len - 5, &plain, &msg));
    cr_assert_str_eq(msg, "gzip data is cut short");
    gz.data[12] ^= 0x55;   /* a deflate block byte */
    kql_buf_clear(&plain);
    cr_assert(!kql_gunzip(gz.data, gz.len, &plain, &msg));
    cr_assert_str_eq(msg, "corrupt gzip data");
    kql_buf_free(&gz);
    kql_buf_free(&plain);
}

/* ---------- TABLE.schema ---------- */

static kql_schema *schema_ok(const char *text)
{
    kql_load_error err;
    kql_schema *s = kql_schema_file_parse(text, strlen(text), "T.schema", "T", &err);
    cr_assert_not_null(s, "%s", err.message);
    return s;
}

static void schema_fails(const char *text, const char *want)
{
    kql_load_error err;
    kql_schema *s = kql_schema_file_parse(text, strlen(text), "T.schema", "T", &err);
    cr_assert_null(s, "expected an error for %s", text);
    cr_assert_str_eq(err.message, want);
}

Test(load_formats, schema_file_columns_in_order)
{
    kql_schema *s = schema_ok("// T's types\n( When:datetime, ['Odd name'] : long,\n [\"q\"]:dynamic, B:boolean, D:double )\n");
    cr_assert_str_eq(s->table, "T");
    cr_assert_eq(s->ncols, 5);
    cr_assert_str_eq(s->cols[0].name, "When");
    cr_assert_eq(s->cols[0].type, KQL_DATETIME);
    cr_assert_str_eq(s->cols[1].name, "Odd name");
    cr_assert_eq(s->cols[1].type, KQL_LONG);
    cr_assert_str_eq(s->cols[2].name, "q");
    cr_assert_eq(s->cols[2].type, KQL_DYNAMIC);
    cr_assert_eq(s->cols[3].type, KQL_BOOL);   /* type aliases, as KQL spells them */
    cr_assert_eq(s->cols[4].type, KQL_REAL);
    kql_schema_file_free(s);
    s = schema_ok("()");
    cr_assert_eq(s->ncols, 0);
    kql_schema_file_free(s);
}

Test(load_formats, schema_file_errors_name_line_and_column)
{
    schema_fails("", "T.schema:1:1: expected '(' to open the column list, found the end of the file");
    schema_fails("(A:long", "T.schema:1:8: expected ',' or ')' after a column, found the end of the file");
    schema_fails("(A:long,\n  B string)", "T.schema:2:5: expected ':' and a type after the column name, found 's'");
    schema_fails("(A:lng)", "T.schema:1:4: unknown type 'lng'");
    schema_fails("(A:long, A:int)", "T.schema:1:10: column 'A' is declared twice");
    schema_fails("(A:long,)", "T.schema:1:9: expected a column name, found ')'");
    schema_fails("(['A:long)", "T.schema:1:2: unterminated quoted column name (expected '])");
    schema_fails("(A:long) x", "T.schema:1:10: unexpected 'x' after the closing ')'");
    schema_fails("(A:)", "T.schema:1:4: expected a type, found ')'");
}

/* ---------- data file names and shapes ---------- */

Test(load_formats, data_file_stems)
{
    cr_assert_eq(kql_data_file_stem("SigninLogs.json"), 10);
    cr_assert_eq(kql_data_file_stem("T.jsonl.gz"), 1);
    cr_assert_eq(kql_data_file_stem("T.ndjson"), 1);
    cr_assert_eq(kql_data_file_stem("Logs.csv.gz"), 4);
    cr_assert_eq(kql_data_file_stem("T.schema"), 0);
    cr_assert_eq(kql_data_file_stem("T.gz"), 0);
    cr_assert_eq(kql_data_file_stem(".json"), 0);
    cr_assert_eq(kql_data_file_stem("notes.txt"), 0);
}

static kql_shape shape_of(const char *text, bool json_name, char **cat)
{
    return kql_shape_detect(text, strlen(text), json_name, cat);
}

Test(load_formats, shapes_told_from_content)
{
    char *cat;
    cr_assert_eq(shape_of("[{\"a\":1}]", false, &cat), KQL_SHAPE_JSON);
    cr_assert_null(cat);
    cr_assert_eq(shape_of("\xEF\xBB\xBF {\"a\":1}\n", false, &cat), KQL_SHAPE_JSON);
    cr_assert_eq(shape_of("a,b\n1,2\n", false, &cat), KQL_SHAPE_CSV);
    cr_assert_eq(shape_of("a,b\n1,2\n", true, &cat), KQL_SHAPE_JSON);   /* named .json: JSON's errors */
    cr_assert_eq(shape_of("", false, &cat), KQL_SHAPE_JSON);
    cr_assert_eq(shape_of("[{\"TableName\":\"PrimaryResult\",\"N\":\"1\"}]", false, &cat), KQL_SHAPE_AZ);
    /* az writes every value as a string */
    cr_assert_eq(shape_of("[{\"TableName\":\"PrimaryResult\",\"N\":1}]", false, &cat), KQL_SHAPE_JSON);
    /* a table of one's own whose first column is TableName is not az's */
    cr_assert_eq(shape_of("[{\"TableName\":\"Sales\",\"N\":\"1\"}]", false, &cat), KQL_SHAPE_JSON);
    const char *diag = "{\"time\":\"2026-11-20T10:00:00Z\",\"category\":\"SignInLogs\",\"properties\":{}}\n";
    cr_assert_eq(shape_of(diag, false, &cat), KQL_SHAPE_DIAG);
    cr_assert_str_eq(cat, "SignInLogs");
    free(cat);
    const char *batch = "{\"records\":[{\"time\":\"t\",\"category\":\"AuditLogs\",\"properties\":{}}]}";
    cr_assert_eq(shape_of(batch, false, &cat), KQL_SHAPE_DIAG);
    cr_assert_str_eq(cat, "AuditLogs");
    free(cat);
}

/* ---------- diagnostic settings and az ---------- */

Test(load_formats, diag_categories_name_tables)
{
    cr_assert_str_eq(kql_diag_table("SignInLogs"), "SigninLogs");
    cr_assert_str_eq(kql_diag_table("NonInteractiveUserSignInLogs"), "AADNonInteractiveUserSignInLogs");
    cr_assert_str_eq(kql_diag_table("noninteractiveusersigninlogs"), "AADNonInteractiveUserSignInLogs");
    cr_assert_str_eq(kql_diag_table("ServicePrincipalSignInLogs"), "AADServicePrincipalSignInLogs");
    cr_assert_null(kql_diag_table("NoSuchCategory"));
}

/* The record's keys after the hook, "k1,k2,...". */
static char *keys_of(const cJSON *rec)
{
    kql_buf b;
    kql_buf_init(&b);
    for (const cJSON *f = rec->child; f; f = f->next)
        kql_buf_printf(&b, "%s%s", f == rec->child ? "" : ",", f->string);
    char *s = strdup(kql_buf_cstr(&b));
    kql_buf_free(&b);
    return s;
}

Test(load_formats, diag_record_rewritten_to_columns)
{
    kql_diag_map m;
    kql_diag_map_init(&m, "SignInLogs", "SigninLogs", kql_schema_find("SigninLogs"));
    cJSON *rec = cJSON_Parse(
        "{\"time\":\"t\",\"category\":\"SignInLogs\",\"resultType\":\"0\",\"location\":\"NO\",\"tenantId\":\"x\","
        "\"properties\":{\"ipAddress\":\"1.2.3.4\",\"location\":{},\"resourceId\":\"r\",\"riskEventTypes_v2\":[],"
        "\"processingTimeInMilliseconds\":5,\"appliedConditionalAccessPolicies\":[],\"newField\":1}}");
    const char *why = NULL;
    cr_assert_eq(kql_diag_hook(&m, rec, &why), 0);
    char *keys = keys_of(rec);
    /* SigninLogs has ProcessingTimeInMilliseconds, not ProcessingTimeInMs */
    cr_assert_str_eq(keys, "TimeGenerated,Category,ResultType,Location,AADTenantId,IPAddress,LocationDetails,"
                           "ResourceIdentity,RiskEventTypes_V2,ProcessingTimeInMilliseconds,"
                           "ConditionalAccessPolicies,NewField,Type");
    free(keys);
    cJSON_Delete(rec);

    /* a record of another category is left out and noted once */
    rec = cJSON_Parse("{\"time\":\"t\",\"category\":\"AuditLogs\",\"properties\":{}}");
    cr_assert_eq(kql_diag_hook(&m, rec, &why), 1);
    cr_assert_eq(kql_diag_hook(&m, rec, &why), 1);
    cr_assert_eq(m.nothers, 1);
    cr_assert_str_eq(m.others[0], "AuditLogs");
    cJSON_Delete(rec);

    rec = cJSON_Parse("{\"time\":\"t\",\"properties\":{}}");
    cr_assert_eq(kql_diag_hook(&m, rec, &why), -1);
    cr_assert(strstr(why, "no \"category\""));
    cJSON_Delete(rec);
    kql_diag_map_free(&m);
}

Test(load_formats, diag_record_of_an_unknown_table)
{
    kql_diag_map m;
    kql_diag_map_init(&m, "AuditLogs", "AuditLogs", NULL);
    cJSON *rec = cJSON_Parse("{\"time\":\"t\",\"category\":\"AuditLogs\",\"tenantId\":\"x\","
                             "\"properties\":{\"activityDisplayName\":\"Add user\",\"location\":\"y\"}}");
    const char *why = NULL;
    cr_assert_eq(kql_diag_hook(&m, rec, &why), 0);
    char *keys = keys_of(rec);
    cr_assert_str_eq(keys, "TimeGenerated,Category,AADTenantId,ActivityDisplayName,LocationDetails,Type");
    free(keys);
    cJSON_Delete(rec);
    kql_diag_map_free(&m);
}

Test(load_formats, az_row_rewritten)
{
    const kql_schema *s = kql_schema_find("SigninLogs");
    cJSON *rec = cJSON_Parse("{\"TableName\":\"PrimaryResult\",\"DurationMs\":\"None\",\"RiskDetail\":\"None\","
                             "\"Other\":\"None\",\"ResultType\":\"0\"}");
    cr_assert(kql_az_is_record(rec));
    const char *why = NULL;
    cr_assert_eq(kql_az_hook((void *)s, rec, &why), 0);
    char *keys = keys_of(rec);
    cr_assert_str_eq(keys, "DurationMs,RiskDetail,Other,ResultType");   /* no TableName */
    free(keys);
    /* "None" is null in a long column, text in a string column and in a
     * column the schema does not know */
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(rec, "DurationMs")));
    cr_assert_str_eq(cJSON_GetObjectItem(rec, "RiskDetail")->valuestring, "None");
    cr_assert_str_eq(cJSON_GetObjectItem(rec, "Other")->valuestring, "None");
    cJSON_Delete(rec);
}

/* ---------- several files of one table ---------- */

Test(load_formats, tables_concatenate_by_column_name)
{
    kql_load_error err;
    const char *ta = "{\"TimeGenerated\":\"2026-11-20T10:00:00Z\",\"X\":1}\n";
    const char *tb = "{\"X\":2,\"Y\":\"y\"}\n{\"X\":3}\n";
    kql_table *a = kql_load_json_text(ta, strlen(ta), "a", "SigninLogs", &err);
    kql_table *b = kql_load_json_text(tb, strlen(tb), "b", "SigninLogs", &err);
    cr_assert(a && b);
    kql_table *t = kql_table_concat(a, b);
    cr_assert_eq(t->nrows, 3);
    cr_assert_eq(t->ncols, a->ncols + 1);   /* b's Y comes after a's columns */
    cr_assert_str_eq(t->col_names[t->ncols - 1], "Y");
    int x = kql_table_find(t, "X");
    cr_assert_eq(t->cols[x]->type, KQL_LONG);
    cr_assert_eq(t->cols[x]->data.i[2], 3);
    int tg = kql_table_find(t, "TimeGenerated");
    cr_assert(!kql_column_is_null(t->cols[tg], 0));
    cr_assert(kql_column_is_null(t->cols[tg], 1));
    int billed = kql_table_find(t, "_BilledSize");
    cr_assert(t->hidden[billed]);   /* hidden columns stay hidden */
    kql_table_free(a);
    kql_table_free(b);
    kql_table_free(t);
}
