/* window.h - window functions over serialized rows: row_number(), prev(),
 * next(), row_cumsum(), row_rank_min(), row_rank_dense(), row_window_session().
 *
 * Unlike the functions of the registry (runtime/functions.c), which see one
 * row at a time, these read other rows, so they bind to a BX_WINDOW node
 * (bind_window.c) that eval_expr hands whole to eval_window (eval_window.c).
 * Kusto allows them only where the row order is fixed: in extend, project,
 * where and serialize over a serialized input (sort, top, range, serialize
 * and the operators that keep their input's order).
 *
 * The binder normalizes the arguments, so the evaluator need not know the
 * defaults (constants are BX_CONST nodes):
 *   WINDOW_ROW_NUMBER  start, [restart]
 *   WINDOW_PREV/NEXT   value, offset (long >= 0), default (of value's type)
 *   WINDOW_CUMSUM      term, [restart]
 *   WINDOW_RANK_MIN/DENSE  term, [restart]
 *   WINDOW_SESSION     datetime, max from first, max between neighbours, [restart]
 */
#ifndef KQL_WINDOW_H
#define KQL_WINDOW_H

#include "bind.h"
#include "eval.h"

typedef enum window_kind {
    WINDOW_ROW_NUMBER, WINDOW_PREV, WINDOW_NEXT, WINDOW_CUMSUM,
    WINDOW_RANK_MIN, WINDOW_RANK_DENSE, WINDOW_SESSION
} window_kind;

/* Whether `name` is a window function. */
bool bind_window_claims(const char *name);
/* Binds the window function call `n` over the columns of `in`; refused
 * unless `in` is the serialized input of the operator being bound. */
bexpr *bind_window(binder *b, const ast_node *n, const plan_schema *in);
/* Where operator `op` over `in` may use window functions: sets
 * b->window_rows (and b->window_needs_serialize). */
void bind_window_scope(binder *b, const plan *in, const char *op);
/* Whether the rows p outputs are serialized (Kusto's serialize operator docs). */
bool bind_plan_serialized(const plan *p);

/* The BX_WINDOW expression e over all rows of `in`, in order. */
kql_column *eval_window(const eval_ctx *ctx, const bexpr *e, const kql_table *in);

#endif
