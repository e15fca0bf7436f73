/* op_project.c - project, extend, project-away/-keep/-rename and print: the
 * output is a list of expressions over the input, one per column. A column
 * passed through unchanged is shared, not copied. */
#include "exec.h"

kql_table *op_project(exec_ctx *x, const plan *p, kql_table *in)
{
    kql_table *out = kql_table_new(NULL);
    for (size_t i = 0; i < p->nexprs; i++) {
        kql_column *c = eval_expr(&x->eval, p->exprs[i], in);
        if (p->schema.hidden[i]) kql_table_add_hidden(out, p->schema.names[i], c);
        else kql_table_add(out, p->schema.names[i], c);
    }
    out->nrows = in->nrows;
    kql_table_free(in);
    return out;
}
