/* op_take.c - take/limit N (the first N rows) and count (one row: Count). */
#include <stdlib.h>

#include "exec.h"

kql_table *op_take(exec_ctx *x, const plan *p, kql_table *in)
{
    (void)x;
    if ((size_t)p->limit >= in->nrows) return in;
    size_t n = (size_t)p->limit;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);   /* freed below */
    for (size_t i = 0; i < n; i++) idx[i] = i;
    kql_table *out = exec_table_gather(in, idx, n);
    free(idx);
    kql_table_free(in);
    return out;
}

kql_table *op_count(exec_ctx *x, const plan *p, kql_table *in)
{
    (void)x;
    kql_column *c = kql_column_new(KQL_LONG, 1);
    kql_value v = kql_long((int64_t)in->nrows);
    kql_column_push(c, &v);
    kql_table *out = kql_table_new(NULL);
    kql_table_add(out, p->schema.names[0], c);
    out->nrows = 1;
    kql_table_free(in);
    return out;
}
