/* test_cancel.c - long work on request: the cancellation flag (cancel.h)
 * stops the loader and a running query with an error, and clearing it lets
 * the next piece of work run; the loader's progress reports (progress.h)
 * come every KQL_PROGRESS_EVERY records and once at the end. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cancel.h"
#include "interp.h"
#include "json_load.h"
#include "progress.h"
#include "schema.h"

static void cleanup(void)
{
    kql_cancel_clear();
    kql_progress_set_hook(NULL);
    kql_schema_shutdown();
}

TestSuite(cancel, .fini = cleanup);

Test(cancel, the_loader_stops_and_the_next_load_runs)
{
    const char *text = "{\"a\": 1}\n{\"a\": 2}\n";
    kql_load_error err;
    kql_cancel_request();
    kql_table *t = kql_load_json_text(text, strlen(text), "t.jsonl", "T", &err);
    cr_assert_null(t);
    cr_assert_str_eq(err.message, "t.jsonl:1:1: loading cancelled");
    kql_cancel_clear();
    t = kql_load_json_text(text, strlen(text), "t.jsonl", "T", &err);
    cr_assert_not_null(t, "%s", err.message);
    cr_assert_eq(t->nrows, 2);
    kql_table_free(t);
}

static int run(const char *q, kql_results *res, kql_error *err)
{
    kql_catalog cat;
    kql_catalog_init(&cat);
    int rc = kql_run(q, strlen(q), &cat, NULL, res, err);
    kql_catalog_free(&cat);
    return rc;
}

Test(cancel, a_query_ends_with_an_error_and_the_next_one_runs)
{
    const char *q = "range i from 1 to 100000 step 1 | summarize n = count()";
    kql_results res;
    kql_error err = {0};
    kql_cancel_request();
    cr_assert_eq(run(q, &res, &err), -1);
    cr_assert_str_eq(err.message, "query cancelled");
    cr_assert_not(err.has_loc);
    kql_cancel_clear();
    cr_assert_eq(run(q, &res, &err), 0, "%s", err.message);
    cr_assert_eq(res.ntables, 1);
    kql_value v = kql_column_get(res.tables[0]->cols[0], 0);
    cr_assert_eq(v.u.i, 100000);
    kql_results_free(&res);
}

/* What the hook saw. */
static struct {
    size_t calls, last_done, last_rows, total;
    size_t rows_seen[8];
    kql_progress_state last_state;
} seen;

static void record(const char *what, size_t done, size_t total, size_t rows, kql_progress_state state)
{
    cr_assert_str_eq(what, "big.jsonl");
    cr_assert_geq(done, seen.last_done, "progress goes forward");
    if (seen.calls < 8) seen.rows_seen[seen.calls] = rows;
    seen.calls++;
    seen.last_done = done;
    seen.last_rows = rows;
    seen.total = total;
    seen.last_state = state;
}

/* 10000 records: reports as records 0, 4096 and 8192 start, then the end. */
Test(cancel, the_loader_reports_progress)
{
    kql_buf text;
    kql_buf_init(&text);
    for (int i = 0; i < 10000; i++) kql_buf_printf(&text, "{\"a\": %d}\n", i);
    memset(&seen, 0, sizeof seen);
    kql_progress_set_hook(record);
    kql_load_error err;
    kql_table *t = kql_load_json_text(text.data, text.len, "big.jsonl", "T", &err);
    cr_assert_not_null(t, "%s", err.message);
    cr_assert_eq(seen.calls, 4);
    cr_assert_eq(seen.rows_seen[0], 0);
    cr_assert_eq(seen.rows_seen[1], 4096);
    cr_assert_eq(seen.rows_seen[2], 8192);
    cr_assert_eq(seen.last_state, KQL_PROGRESS_DONE);
    cr_assert_eq(seen.last_done, text.len);
    cr_assert_eq(seen.total, text.len);
    cr_assert_eq(seen.last_rows, 10000);
    kql_table_free(t);

    memset(&seen, 0, sizeof seen);
    const char *bad = "{\"a\": 1}\n{\"a\": \n";
    cr_assert_null(kql_load_json_text(bad, strlen(bad), "big.jsonl", "T", &err));
    cr_assert_eq(seen.last_state, KQL_PROGRESS_FAILED);
    kql_buf_free(&text);
}
