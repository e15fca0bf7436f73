/* eval.h - evaluating bound expressions a column at a time.
 *
 * eval_expr computes an expression for every row of a table and returns the
 * result as a new column (a column reference returns the input column
 * itself, retained). Operators call it once per expression per input
 * table, never per row.
 */
#ifndef KQL_EVAL_H
#define KQL_EVAL_H

#include "plan.h"

typedef struct eval_ctx {
    int64_t now;              /* ticks, for now() and ago() */
} eval_ctx;

/* A column of in->nrows values of e->type; the caller releases it. */
kql_column *eval_expr(const eval_ctx *ctx, const bexpr *e, const kql_table *in);

/* Row-level semantics shared with other operators (in, sort, summarize). */
/* ==: 1 true, 0 false, -1 null (Kusto: one null -> false, both null -> null) */
int eval_equal(const kql_value *a, const kql_value *b, bool ignore_case);
/* The value a dynamic holds, as a typed scalar (non-dynamic values unchanged). */
kql_value eval_unwrap_dynamic(const kql_value *v);

#endif
