/* op_union.c - union: runs every leg and appends their rows, column by
 * column as the binder mapped them (a column a leg lacks is null there).
 * withsource fills its column with each leg's name. */
#include <stdlib.h>
#include <string.h>

#include "exec.h"

/* One output column: the cells of column map[l] of each leg, or nulls. */
static kql_column *union_column(kql_type type, kql_table *const *legs, size_t nlegs, int *const *map, size_t c,
                                size_t nrows)
{
    kql_column *out = kql_column_new(type, nrows);
    for (size_t l = 0; l < nlegs; l++) {
        int at = map[l][c];
        if (at < 0) {
            for (size_t r = 0; r < legs[l]->nrows; r++) kql_column_push_null(out);
            continue;
        }
        const kql_column *src = legs[l]->cols[at];
        kql_column_borrow(out, src);   /* strings and dynamics keep pointing into src's arenas */
        for (size_t r = 0; r < legs[l]->nrows; r++) {
            kql_value v = kql_column_get(src, r);
            kql_column_push_borrowed(out, &v);
        }
    }
    return out;
}

static kql_column *source_column(const plan_union *u, kql_table *const *legs, size_t nrows)
{
    kql_column *out = kql_column_new(KQL_STRING, nrows);
    for (size_t l = 0; l < u->nlegs; l++) {
        kql_value v = kql_string(u->leg_names[l], strlen(u->leg_names[l]));
        for (size_t r = 0; r < legs[l]->nrows; r++) kql_column_push(out, &v);
    }
    return out;
}

kql_table *op_union(exec_ctx *x, const plan *p)
{
    const plan_union *u = p->union_;
    kql_table **legs = calloc(u->nlegs, sizeof *legs);   /* each leg's table and the array freed below */
    kql_table *out = NULL;
    size_t nrows = 0;
    for (size_t l = 0; l < u->nlegs; l++) {
        legs[l] = exec_plan(x, u->legs[l]);
        if (!legs[l]) goto done;
        nrows += legs[l]->nrows;
    }
    out = kql_table_new(NULL);
    for (size_t c = 0; c < p->schema.ncols; c++) {
        kql_column *col = (int)c == u->source_column ? source_column(u, legs, nrows)
                                                     : union_column(p->schema.types[c], legs, u->nlegs, u->col_map, c, nrows);
        if (p->schema.hidden[c]) kql_table_add_hidden(out, p->schema.names[c], col);
        else kql_table_add(out, p->schema.names[c], col);
    }
    out->nrows = nrows;
done:
    for (size_t l = 0; l < u->nlegs; l++) kql_table_free(legs[l]);
    free(legs);
    return out;
}
