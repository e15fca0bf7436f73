/* table_concat.c - two tables' rows as one (table_concat.h). Cells are
 * copied into new columns (their bytes into the new columns' arenas), so the
 * result does not depend on a or b living on. */
#include "table_concat.h"

#include <stdbool.h>

#include "buf.h"
#include "dynamic.h"

/* Appends t's column `name` (or nulls when t lacks it) to out. */
static void concat_rows(kql_column *out, const kql_table *t, const char *name, kql_buf *scratch)
{
    int i = kql_table_find(t, name);
    const kql_column *src = i >= 0 ? t->cols[i] : NULL;
    for (size_t r = 0; r < t->nrows; r++) {
        if (!src || kql_column_is_null(src, r)) {
            kql_column_push_null(out);
            continue;
        }
        kql_value v = kql_column_get(src, r);
        if (out->type == KQL_DYNAMIC && v.type != KQL_DYNAMIC) {
            kql_buf_clear(scratch);
            kql_dyn_put_value(scratch, &v);
            v = (kql_value){.type = KQL_DYNAMIC};
            v.u.s.ptr = scratch->data;
            v.u.s.len = (uint32_t)scratch->len;
        }
        kql_column_push(out, &v);
    }
}

static void concat_column(kql_table *out, const kql_table *a, const kql_table *b, const char *name,
                          bool hidden, kql_buf *scratch)
{
    int ia = kql_table_find(a, name), ib = kql_table_find(b, name);
    kql_type type = ia >= 0 ? a->cols[ia]->type : b->cols[ib]->type;
    if (ia >= 0 && ib >= 0 && a->cols[ia]->type != b->cols[ib]->type)
        type = KQL_DYNAMIC;
    kql_column *col = kql_column_new(type, a->nrows + b->nrows);
    concat_rows(col, a, name, scratch);
    concat_rows(col, b, name, scratch);
    if (hidden)
        kql_table_add_hidden(out, name, col);
    else
        kql_table_add(out, name, col);
}

kql_table *kql_table_concat(const kql_table *a, const kql_table *b)
{
    kql_table *out = kql_table_new(a->name);
    kql_buf scratch;
    kql_buf_init(&scratch);
    for (size_t i = 0; i < a->ncols; i++)
        concat_column(out, a, b, a->col_names[i], a->hidden[i], &scratch);
    for (size_t i = 0; i < b->ncols; i++)
        if (kql_table_find(a, b->col_names[i]) < 0)
            concat_column(out, a, b, b->col_names[i], b->hidden[i], &scratch);
    out->nrows = a->nrows + b->nrows;
    kql_buf_free(&scratch);
    return out;
}
