/* op_evaluate.c - running `evaluate` plugins: bag_unpack fills each output
 * column from an input column or from one property of each row's bag
 * (bind_evaluate.c chose the columns and their types).
 */
#include <stdlib.h>
#include <string.h>

#include "dynamic.h"
#include "evaluate_plan.h"
#include "exec.h"

/* The column of property `key` of each row's bag. */
static kql_column *bag_property_column(const kql_column *bags, const char *key, kql_type type, size_t nrows)
{
    kql_column *out = kql_column_new(type, nrows);
    kql_buf text;
    kql_buf_init(&text);
    size_t klen = strlen(key);
    for (size_t r = 0; r < nrows; r++) {
        kql_dyn val = NULL;
        if (!kql_column_is_null(bags, r)) {
            kql_value v = kql_column_get(bags, r);
            kql_dyn d = (kql_dyn)v.u.s.ptr;
            if (kql_dyn_tag_of(d) == KQL_DYN_OBJECT) val = kql_dyn_get(d, key, klen);
        }
        exec_push_dyn_converted(out, val, &text);
    }
    kql_buf_free(&text);
    return out;
}

static kql_table *op_bag_unpack(const plan *p, kql_table *in)
{
    const plan_evaluate *ev = p->evaluate;
    kql_table *out = kql_table_new(NULL);
    for (size_t c = 0; c < p->schema.ncols; c++) {
        kql_column *col = ev->out_source[c] >= 0
                              ? kql_column_retain(in->cols[ev->out_source[c]])
                              : bag_property_column(in->cols[ev->bag_column], ev->out_key[c], p->schema.types[c],
                                                    in->nrows);
        kql_table_add(out, p->schema.names[c], col);
    }
    out->nrows = in->nrows;
    kql_table_free(in);
    return out;
}

kql_table *op_evaluate(exec_ctx *x, const plan *p)
{
    const plan_evaluate *ev = p->evaluate;
    kql_table *in = ev->input ? exec_table_share(ev->input) : exec_plan(x, p->input);
    if (!in) return NULL;
    switch (ev->plugin) {
    case PLAN_PLUGIN_BAG_UNPACK:
        return op_bag_unpack(p, in);
    default:
        kql_table_free(in);
        kql_error_set(x->err, &p->loc, "internal error: unknown evaluate plugin %d", (int)ev->plugin);
        return NULL;
    }
}
