/* result_shape.c - reads a bound plan from its top down to the operator that
 * decides the order of its rows and the operator whose keys identify them
 * (result_shape.h).
 *
 * Kusto promises no row order unless the query sorts (sort, order by, top),
 * and keeps that order through the operators that only drop rows or compute
 * columns row by row. The columns are traced through projections, so a
 * result reports the sort keys and summarize keys it still shows. */
#include <string.h>

#include "result_shape.h"

/* The operators that pass their input's row order through unchanged. */
static bool keeps_order(plan_kind k)
{
    return k == PLAN_WHERE || k == PLAN_PROJECT || k == PLAN_TAKE || k == PLAN_PARSE;
}

/* The operators after which rows that were unique on some columns still are. */
static bool keeps_keys(plan_kind k)
{
    return k == PLAN_WHERE || k == PLAN_PROJECT || k == PLAN_TAKE || k == PLAN_SORT;
}

/* Maps input column numbers to p's output columns (PLAN_PROJECT: the output
 * column that is the plain input column; other kept-shape operators have the
 * input's schema). Keeps the prefix that maps when `prefix`, else drops all
 * when one does not map. */
static size_t map_cols(const plan *p, int *cols, size_t n, bool prefix)
{
    if (p->kind != PLAN_PROJECT) return n;
    for (size_t i = 0; i < n; i++) {
        int to = -1;
        for (size_t j = 0; j < p->nexprs && to < 0; j++)
            if (p->exprs[j]->kind == BX_COLUMN && p->exprs[j]->column == cols[i] && !p->schema.hidden[j])
                to = (int)j;
        if (to < 0) return prefix ? i : 0;
        cols[i] = to;
    }
    return n;
}

void result_shape_of(const plan *p, kql_result_shape *out)
{
    memset(out, 0, sizeof *out);
    if (p->kind == PLAN_LET_REF) {
        result_shape_of(p->let->body, out);
        return;
    }
    if (p->kind == PLAN_SORT) {
        out->ordered = true;
        for (size_t i = 0; i < p->nsort_keys && i < KQL_SHAPE_MAX_COLS; i++) {
            const bexpr *e = p->sort_keys[i].expr;
            if (e->kind != BX_COLUMN || p->schema.hidden[e->column]) break;
            out->order_cols[out->norder++] = e->column;
        }
    } else if (p->kind == PLAN_SUMMARIZE && p->naggs > 0 && p->nkeys <= KQL_SHAPE_MAX_COLS) {
        /* a summarize puts its keys first; distinct (no aggregates) has no other columns */
        for (size_t i = 0; i < p->nkeys; i++) out->key_cols[out->nkeys++] = (int)i;
        return;
    }
    if (!p->input || (!keeps_order(p->kind) && !keeps_keys(p->kind))) return;
    kql_result_shape in;
    result_shape_of(p->input, &in);
    if (keeps_order(p->kind) && in.ordered) {
        out->ordered = true;
        memcpy(out->order_cols, in.order_cols, sizeof in.order_cols);
        out->norder = map_cols(p, out->order_cols, in.norder, true);
    }
    if (keeps_keys(p->kind)) {
        memcpy(out->key_cols, in.key_cols, sizeof in.key_cols);
        out->nkeys = map_cols(p, out->key_cols, in.nkeys, false);
    }
}
