/* op_mv_apply.c - mv-apply: for each input row, expands it (as mv-expand
 * does) into a small table, runs the subquery over that table, and pairs
 * each row of the result with the input row's other columns
 * (bind_mv_apply.c chose which column comes from where).
 */
#include <stdlib.h>

#include "buf.h"
#include "evaluate_plan.h"
#include "exec.h"

/* The subquery's results of every input row, and for each of their rows the
 * input row it came from; owned by op_mv_apply. */
typedef struct mv_apply_parts {
    kql_table **parts;
    size_t nparts, cap_parts;
    size_t *rows;
    size_t nrows, cap_rows;
} mv_apply_parts;

static void mv_apply_add(mv_apply_parts *a, kql_table *t, size_t row)
{
    if (a->nparts == a->cap_parts) {
        a->cap_parts = a->cap_parts ? a->cap_parts * 2 : 16;
        a->parts = kql_xrealloc(a->parts, a->cap_parts * sizeof *a->parts);
    }
    a->parts[a->nparts++] = t;
    if (a->nrows + t->nrows > a->cap_rows) {
        while (a->nrows + t->nrows > a->cap_rows) a->cap_rows = a->cap_rows ? a->cap_rows * 2 : 64;
        a->rows = kql_xrealloc(a->rows, a->cap_rows * sizeof *a->rows);
    }
    for (size_t i = 0; i < t->nrows; i++) a->rows[a->nrows++] = row;
}

static void mv_apply_parts_free(mv_apply_parts *a)
{
    for (size_t i = 0; i < a->nparts; i++) kql_table_free(a->parts[i]);
    free(a->parts);
    free(a->rows);
}

/* Column s of every part, one after another. */
static kql_column *mv_apply_concat(const mv_apply_parts *a, size_t s, kql_type type)
{
    kql_column *out = kql_column_new(type, a->nrows);
    for (size_t i = 0; i < a->nparts; i++) {
        const kql_column *src = a->parts[i]->cols[s];
        kql_column_borrow(out, src);   /* strings and dynamics keep pointing into src's arenas */
        for (size_t r = 0; r < a->parts[i]->nrows; r++) {
            kql_value v = kql_column_get(src, r);
            kql_column_push_borrowed(out, &v);
        }
    }
    return out;
}

kql_table *op_mv_apply(exec_ctx *x, const plan *p, kql_table *in)
{
    const plan_mv_apply *ma = p->mv_apply;
    mv_apply_parts a = { 0 };
    kql_table *out = NULL;
    size_t max_rows = exec_max_rows(p->schema.ncols);
    for (size_t r = 0; r < in->nrows; r++) {
        kql_table *expanded = op_mv_expand(x, ma->expand, exec_table_gather(in, &r, 1));
        if (!expanded) goto done;
        ma->row->result = expanded;
        kql_table *s = exec_plan(x, ma->subquery);
        kql_table_free(ma->row->result);
        ma->row->result = NULL;
        if (!s) goto done;
        if (s->nrows > max_rows - a.nrows) {
            kql_table_free(s);
            kql_error_set(x->err, &p->loc,
                          "mv-apply: the result has more than %zu rows, the most this engine produces with %zu columns",
                          max_rows, p->schema.ncols);
            goto done;
        }
        if (s->nrows == 0) kql_table_free(s);
        else mv_apply_add(&a, s, r);
    }
    out = kql_table_new(NULL);
    for (size_t c = 0; c < p->schema.ncols; c++) {
        int src = ma->out_source[c];
        kql_column *col = src >= 0 ? mv_apply_concat(&a, (size_t)src, p->schema.types[c])
                                   : kql_column_gather(in->cols[-1 - src], a.rows, a.nrows);
        if (p->schema.hidden[c]) kql_table_add_hidden(out, p->schema.names[c], col);
        else kql_table_add(out, p->schema.names[c], col);
    }
    out->nrows = a.nrows;
done:
    mv_apply_parts_free(&a);
    kql_table_free(in);
    return out;
}
