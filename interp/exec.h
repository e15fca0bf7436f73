/* exec.h - executing a bound plan: one function per plan operator.
 *
 * Every operator takes ownership of its input table and returns a new one
 * (columns it does not change are shared, not copied), or NULL with the
 * error set. exec.c walks the plan and dispatches to the op_*.c files.
 */
#ifndef KQL_EXEC_H
#define KQL_EXEC_H

#include "error.h"
#include "eval.h"
#include "plan.h"

typedef struct exec_ctx {
    eval_ctx eval;
    kql_error *err;
    /* Runs the plan with scan_table in place of the table of the PLAN_TABLE
     * node `scan` (pushdown.c, on each loaded chunk); NULL: none. The plan
     * itself is never written while it runs, so threads can share it. */
    const plan *scan;
    const kql_table *scan_table;
} exec_ctx;

kql_table *exec_plan(exec_ctx *x, plan *p);

/* The most cells (rows x columns) an operator that multiplies rows (join,
 * mv-expand, mv-apply) may produce: past it the query fails instead of
 * exhausting memory. A cell takes at most 16 bytes, so 1.6 GB. */
#define EXEC_MAX_CELLS 100000000u

static inline size_t exec_max_rows(size_t ncols)
{
    return EXEC_MAX_CELLS / (ncols ? ncols : 1);
}

/* A new table with the same columns (retained), names and hidden flags. */
kql_table *exec_table_share(const kql_table *t);
/* A new table of rows idx[0..n) of t, named after `schema` (NULL: t's names). */
kql_table *exec_table_gather(const kql_table *t, const size_t *idx, size_t n);

/* Appends val (NULL: null) converted to out's type; text is scratch space. */
void exec_push_dyn_converted(kql_column *out, const uint8_t *val, kql_buf *text);

/* Ordering rows by key columns (op_sort.c), shared with make-series. */
typedef struct exec_sort_key {
    kql_column *col;
    bool asc, nulls_first;
} exec_sort_key;
int exec_compare_rows(const exec_sort_key *keys, size_t nkeys, size_t a, size_t b);
/* Stable merge sort of the row indices idx[0..n) (tmp: n scratch slots). */
void exec_sort_rows(size_t *idx, size_t *tmp, size_t n, const exec_sort_key *keys, size_t nkeys);

kql_table *op_where(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_project(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_take(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_count(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_sort(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_summarize(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_range(exec_ctx *x, const plan *p);
kql_table *op_mv_expand(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_parse(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_join(exec_ctx *x, const plan *p, kql_table *left);
kql_table *op_union(exec_ctx *x, const plan *p);
kql_table *op_make_series(exec_ctx *x, const plan *p, kql_table *in);
kql_table *op_evaluate(exec_ctx *x, const plan *p);   /* runs p->input itself, unless bound with it */
kql_table *op_mv_apply(exec_ctx *x, const plan *p, kql_table *in);

#endif
