/* test_verdict.c - judging a test: the outcome of its query against its
 * expected block, as a failure report (test_verdict.h).
 *
 * Rows go through result_compare.h, in order only where the query ordered
 * them (or as @ordered / @unordered say), paired on the by-columns of a final
 * summarize. Errors compare as exact text with their exit status. A query
 * error where rows were expected is shown at its line in the test file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_compare.h"
#include "test_verdict.h"

void test_verdict_error_text(kql_buf *out, const cli_source *src, const kql_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);   /* text freed below */
    if (!m) kql_out_of_memory(0);
    cli_print_error(m, src, err);
    fclose(m);
    while (len && text[len - 1] == '\n') len--;
    kql_buf_put(out, text, len);
    kql_buf_cstr(out);
    free(text);
}

/* An error of an inline query, shown at its line in the test file. */
static void put_query_error(kql_buf *out, const testfile *tf, const testfile_test *t, const cli_source *src,
                            const kql_error *err)
{
    kql_error e = *err;
    cli_source where = *src;
    if (!t->query_path) {
        if (e.has_loc) {
            e.loc.line += t->query_line - 1;
            e.loc.end_line += t->query_line - 1;
        }
        where = (cli_source){ tf->path, tf->text, tf->len };
    }
    kql_buf text;
    kql_buf_init(&text);
    test_verdict_error_text(&text, &where, &e);
    for (char *line = strtok(text.data, "\n"); line; line = strtok(NULL, "\n")) kql_buf_printf(out, "  %s\n", line);
    kql_buf_free(&text);
}

/* A test's report lists 20 rows of each kind: enough to see the fault, short
 * enough for a CI log when a whole table is wrong. */
static const result_labels test_labels = { "expected", "actual", "missing", "unexpected", 20 };

/* Compares rows with the expected block; appends the failure to report. */
static void check_rows(const testfile *tf, const testfile_test *t, const test_outcome *o, kql_buf *report,
                       bool *aligned_out)
{
    text_table want;
    int err_line = 0;
    char msg[256];
    bool aligned = text_table_is_aligned(t->expected, t->nexpected);
    *aligned_out = aligned;   /* --update keeps the block's form even when it does not parse */
    if (!text_table_parse(&want, t->expected, t->nexpected, &err_line, msg, sizeof msg)) {
        kql_buf_printf(report, "%s:%d: test %s: %s\n", tf->path, err_line, t->name, msg);
        return;
    }
    if (o->res.ntables != 1) {
        kql_buf_printf(report, "%s:%d: test %s: the query gave %zu tables; a test checks one\n", tf->path, t->line,
                       t->name, o->res.ntables);
        text_table_free(&want);
        return;
    }
    const kql_table *rt = o->res.tables[0];
    const kql_result_shape *shape = &o->res.shapes[0];
    int *col_map = kql_xrealloc(NULL, rt->ncols * sizeof *col_map);
    text_table got;
    text_table_from_result(&got, rt, aligned, col_map);

    int order_cols[KQL_SHAPE_MAX_COLS], key_cols[KQL_SHAPE_MAX_COLS];
    result_compare_opts opts = { RESULT_UNORDERED, order_cols, 0, key_cols, 0 };
    for (size_t i = 0; i < shape->norder; i++) order_cols[opts.norder++] = col_map[shape->order_cols[i]];
    for (size_t i = 0; i < shape->nkeys; i++) key_cols[opts.nkeys++] = col_map[shape->key_cols[i]];
    if (t->order == TESTFILE_ORDERED) opts.order = RESULT_ORDER_ALL;
    else if (t->order == TESTFILE_ORDER_QUERY && shape->ordered)
        opts.order = opts.norder ? RESULT_ORDER_BY : RESULT_ORDER_ALL;

    result_diff d;
    if (!result_compare(&want, &got, &opts, &d)) {
        kql_buf_printf(report, "%s:%d: test %s: ", tf->path, t->line, t->name);
        result_diff_print(report, &d, &want, &got, &test_labels);
    }
    result_diff_free(&d);
    text_table_free(&got);
    text_table_free(&want);
    free(col_map);
}

void test_verdict_put_block(kql_buf *out, const char *label, const char *text)
{
    kql_buf_printf(out, "  %s\n", label);
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        kql_buf_printf(out, "    %.*s\n", (int)n, s);
        s += n + (nl != NULL);
    }
}

static void check_error(const testfile *tf, const testfile_test *t, const test_outcome *o, kql_buf *report)
{
    kql_buf want;
    kql_buf_init(&want);
    for (size_t i = 0; i < t->nexpected; i++) {
        if (i) kql_buf_putc(&want, '\n');
        kql_buf_put(&want, t->expected[i].text, t->expected[i].len);
    }
    const char *w = kql_buf_cstr(&want) ? want.data : "";
    const char *g = o->error.data;
    if (o->status == 0 && t->error_status != 0) {
        size_t n = o->res.ntables ? o->res.tables[0]->nrows : 0;
        kql_buf_printf(report, "%s:%d: test %s: expected error %d, got %zu row%s\n", tf->path, t->line, t->name,
                       t->error_status, n, n == 1 ? "" : "s");
        test_verdict_put_block(report, "expected error:", w);
    } else if (o->status != t->error_status || strcmp(w, g) != 0) {
        kql_buf_printf(report, "%s:%d: test %s: ", tf->path, t->line, t->name);
        if (o->status != t->error_status) kql_buf_printf(report, "expected error %d, got error %d\n", t->error_status, o->status);
        else kql_buf_puts(report, "the error differs\n");
        test_verdict_put_block(report, "expected:", w);
        test_verdict_put_block(report, "actual:", g);
    }
    kql_buf_free(&want);
}

/* The new expected block for --update: the separator and what the test got. */
static void updated_block(kql_buf *out, const testfile_test *t, const test_outcome *o, bool aligned)
{
    if (o->status != 0 || (t->expect_error && t->error_status == 0)) {
        kql_buf_printf(out, "--- error %d\n", o->status);
        kql_buf_put(out, o->error.data, o->error.len);
        if (o->error.len) kql_buf_putc(out, '\n');
        return;
    }
    kql_buf_puts(out, "---\n");
    text_table got;
    text_table_from_result(&got, o->res.tables[0], false, NULL);
    text_table_write(out, &got, aligned);
    text_table_free(&got);
}

void test_verdict(const testfile *tf, const testfile_test *t, const test_outcome *o, const kql_error *err,
                  const cli_source *src, kql_buf *report, kql_buf *block)
{
    bool aligned = false;
    if (t->expect_error) {
        check_error(tf, t, o, report);
    } else if (o->status != 0) {
        kql_buf_printf(report, "%s:%d: test %s: expected rows, got error %d\n", tf->path, t->line, t->name, o->status);
        if (o->query_failed && err && src) put_query_error(report, tf, t, src, err);
        else test_verdict_put_block(report, "error:", o->error.data);
    } else {
        check_rows(tf, t, o, report, &aligned);
    }
    if (block && report->len && (o->status != 0 || o->res.ntables == 1)) updated_block(block, t, o, aligned);
}

