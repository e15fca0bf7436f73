/* interp.c - kql_run: the pipeline from query text to result tables.
 * text -> kql_parse (grammar/) -> bind_query -> exec_plan per statement. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bind.h"
#include "exec.h"
#include "interp.h"
#include "parse.h"
#include "result_shape.h"

int64_t kql_clock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return KQL_UNIX_EPOCH_TICKS + (int64_t)ts.tv_sec * KQL_TICKS_PER_SECOND + ts.tv_nsec / 100;
}

int kql_run(const char *src, size_t len, const kql_catalog *cat,
            const kql_run_options *opt, kql_results *out, kql_error *err)
{
    memset(out, 0, sizeof *out);
    kql_syntax_error se;
    ast_node *root = kql_parse(src, len, &se);
    if (!root) {
        kql_error_set(err, &se.loc, "%s", se.message);
        return -1;
    }
    int64_t now = opt && opt->now_set ? opt->now : kql_clock_now();
    /* the plan borrows names from the tree: both live until the results are made */
    plan_query *q = bind_query(root, cat, now, err);
    if (!q) {
        ast_free(root);
        return -1;
    }
    exec_ctx x = { .eval = { .now = q->now }, .err = err };
    out->tables = calloc(q->nresults, sizeof *out->tables);   /* freed by kql_results_free */
    out->shapes = calloc(q->nresults ? q->nresults : 1, sizeof *out->shapes);
    for (size_t i = 0; i < q->nresults; i++) {
        kql_table *t = exec_plan(&x, q->results[i]);
        if (!t) {
            plan_query_free(q);
            ast_free(root);
            kql_results_free(out);
            return -1;
        }
        result_shape_of(q->results[i], &out->shapes[out->ntables]);
        out->tables[out->ntables++] = t;
    }
    plan_query_free(q);
    ast_free(root);
    return 0;
}

void kql_results_free(kql_results *r)
{
    for (size_t i = 0; i < r->ntables; i++) kql_table_free(r->tables[i]);
    free(r->tables);
    free(r->shapes);
    r->tables = NULL;
    r->shapes = NULL;
    r->ntables = 0;
}
