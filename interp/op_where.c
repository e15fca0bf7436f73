/* op_where.c - `where`: keep the rows whose predicate is true (null counts as false). */
#include <stdlib.h>

#include "exec.h"

kql_table *op_where(exec_ctx *x, const plan *p, kql_table *in)
{
    kql_column *pred = eval_expr(&x->eval, p->predicate, in);
    size_t *idx = malloc((in->nrows ? in->nrows : 1) * sizeof *idx);   /* freed below */
    size_t n = 0;
    for (size_t i = 0; i < in->nrows; i++)
        if (!kql_column_is_null(pred, i) && pred->data.b[i]) idx[n++] = i;
    kql_table *out = n == in->nrows ? exec_table_share(in) : exec_table_gather(in, idx, n);
    free(idx);
    kql_column_release(pred);
    kql_table_free(in);
    return out;
}
