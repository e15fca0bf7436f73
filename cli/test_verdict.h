/* test_verdict.h - what `kql test` makes of a test's outcome: the failure
 * report (empty when the test passed) and, for --update, the expected block
 * the test would need. cmd_test.c runs the tests; this judges them. */
#ifndef KQL_TEST_VERDICT_H
#define KQL_TEST_VERDICT_H

#include "buf.h"
#include "cli.h"
#include "interp.h"
#include "testfile.h"

/* What running a test gave: a result table or an error (status and text). */
typedef struct test_outcome {
    int status;               /* 0: rows; else the exit status `kql` would give */
    kql_buf error;            /* the error text as `kql` prints it (no last \n); owned */
    kql_results res;          /* when have_res; owned */
    bool have_res;
    bool query_failed;        /* the error is the query's own (err and src say where) */
} test_outcome;

/* Appends the report of t's failure to `report` (nothing when it passed) and,
 * when `block` is given and the test failed, its new expected block: the
 * separator line and what the test gave. err and src (may be NULL) place a
 * query error at its line in the test file. */
void test_verdict(const testfile *tf, const testfile_test *t, const test_outcome *o, const kql_error *err,
                  const cli_source *src, kql_buf *report, kql_buf *block);
/* An error as `kql` prints it (source line and caret), without the last
 * newline, appended to out. */
void test_verdict_error_text(kql_buf *out, const cli_source *src, const kql_error *err);
/* Appends "  label" and text indented under it. */
void test_verdict_put_block(kql_buf *out, const char *label, const char *text);

#endif
