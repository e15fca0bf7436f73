/* eval_window.c - evaluating window functions (window.h) over all rows of a
 * table in order: one pass that carries the state from row to row (the
 * running sum, the rank, the session start).
 */
#include "window.h"

/* Argument i at `row`: from its column, or the constant the binder put there. */
static kql_value window_arg(const bexpr *e, kql_column *const *cols, size_t i, size_t row)
{
    return cols[i] ? kql_column_get(cols[i], row) : e->args[i]->constant;
}

/* Whether the optional restart argument (at index i) is true at `row`. */
static bool window_restart(const bexpr *e, kql_column *const *cols, size_t i, size_t row)
{
    if (i >= e->nargs) return false;
    kql_value v = window_arg(e, cols, i, row);
    return !v.is_null && v.u.b;
}

/* Appends v; bytes from an argument column are borrowed, a constant's copied. */
static void window_push(kql_column *out, const kql_value *v, bool from_column)
{
    if (v->is_null) kql_column_push_null(out);
    else if (from_column) kql_column_push_borrowed(out, v);
    else kql_column_push(out, v);
}

static void window_prev_next(const bexpr *e, kql_column *const *cols, size_t n, kql_column *out)
{
    uint64_t offset = (uint64_t)e->args[1]->constant.u.i;
    kql_value dflt = e->args[2]->constant;
    for (size_t row = 0; row < n; row++) {
        bool prev = e->op == WINDOW_PREV;
        bool inside = prev ? offset <= row : offset < n - row;
        if (!inside) {
            window_push(out, &dflt, false);
            continue;
        }
        kql_value v = window_arg(e, cols, 0, prev ? row - offset : row + offset);
        window_push(out, &v, cols[0] != NULL);
    }
}

static void window_cumsum(const bexpr *e, kql_column *const *cols, size_t n, kql_column *out)
{
    int64_t isum = 0;
    double rsum = 0;
    for (size_t row = 0; row < n; row++) {
        if (window_restart(e, cols, 1, row)) isum = 0, rsum = 0;
        kql_value v = window_arg(e, cols, 0, row);
        kql_value r = { .type = e->type };
        if (e->type == KQL_REAL) {
            if (!v.is_null) rsum += v.u.r;   /* a null term adds nothing */
            r.u.r = rsum;
        } else {
            if (!v.is_null) isum = (int64_t)((uint64_t)isum + (uint64_t)v.u.i);
            r.u.i = isum;
        }
        kql_column_push(out, &r);
    }
}

/* row_rank_min: the position (in its partition) of the first row of each run
 * of equal terms; row_rank_dense: 1 + the number of changes of term. */
static void window_rank(const bexpr *e, kql_column *const *cols, size_t n, kql_column *out)
{
    int64_t rank = 0, position = 0;
    kql_value last = kql_null(KQL_TYPE_UNKNOWN);
    for (size_t row = 0; row < n; row++) {
        kql_value v = window_arg(e, cols, 0, row);
        bool restart = row == 0 || window_restart(e, cols, 1, row);
        position = restart ? 1 : position + 1;
        if (restart) rank = 1;
        else if (!kql_value_equal(&v, &last)) rank = e->op == WINDOW_RANK_MIN ? position : rank + 1;
        last = v;
        kql_value r = kql_long(rank);
        kql_column_push(out, &r);
    }
}

/* A new session starts at the first row, after a null, on restart, or when
 * the value reaches session start + max_first or previous value + max_gap. */
static void window_session(const bexpr *e, kql_column *const *cols, size_t n, kql_column *out)
{
    int64_t max_first = e->args[1]->constant.u.i, max_gap = e->args[2]->constant.u.i;
    bool open = false;
    int64_t start = 0, last = 0;
    for (size_t row = 0; row < n; row++) {
        kql_value v = window_arg(e, cols, 0, row);
        if (v.is_null) {
            kql_column_push_null(out);
            open = false;
            continue;
        }
        int64_t t = v.u.i;
        if (!open || window_restart(e, cols, 3, row) || t - start >= max_first || t - last >= max_gap) {
            start = t;
            open = true;
        }
        last = t;
        kql_value r = kql_datetime(start);
        kql_column_push(out, &r);
    }
}

kql_column *eval_window(const eval_ctx *ctx, const bexpr *e, const kql_table *in)
{
    size_t n = in->nrows;
    kql_column *cols[4] = { NULL, NULL, NULL, NULL };   /* arguments that read the rows; released below */
    for (size_t i = 0; i < e->nargs && i < 4; i++)
        if (e->args[i]->kind != BX_CONST) cols[i] = eval_expr(ctx, e->args[i], in);
    kql_column *out = kql_column_new(e->type, n);
    switch ((window_kind)e->op) {
    case WINDOW_ROW_NUMBER: {
        int64_t start = e->args[0]->constant.u.i, k = start;
        for (size_t row = 0; row < n; row++) {
            k = row == 0 || window_restart(e, cols, 1, row) ? start : (int64_t)((uint64_t)k + 1);
            kql_value r = kql_long(k);
            kql_column_push(out, &r);
        }
        break;
    }
    case WINDOW_PREV:
    case WINDOW_NEXT:
        if (cols[0]) kql_column_borrow(out, cols[0]);
        window_prev_next(e, cols, n, out);
        break;
    case WINDOW_CUMSUM:
        window_cumsum(e, cols, n, out);
        break;
    case WINDOW_RANK_MIN:
    case WINDOW_RANK_DENSE:
        window_rank(e, cols, n, out);
        break;
    case WINDOW_SESSION:
        window_session(e, cols, n, out);
        break;
    }
    for (size_t i = 0; i < 4; i++) kql_column_release(cols[i]);
    return out;
}
