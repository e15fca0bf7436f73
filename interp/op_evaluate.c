/* op_evaluate.c - running `evaluate` plugins: bag_unpack fills each output
 * column from an input column or from one property of each row's bag
 * (bind_evaluate.c chose the columns and their types).
 */
#include <stdlib.h>
#include <string.h>

#include "dynamic.h"
#include "evaluate_plan.h"
#include "exec.h"

/* A property value converted to the column's type; null when it does not
 * fit (as mv-expand's `to typeof()` does). */
static void evaluate_push_value(kql_column *out, kql_dyn val, kql_buf *text)
{
    if (!val || kql_dyn_tag_of(val) == KQL_DYN_NULL) {
        kql_column_push_null(out);
        return;
    }
    if (out->type == KQL_DYNAMIC) {
        kql_value v = kql_dyn_value(val);
        kql_column_push(out, &v);
        return;
    }
    kql_value s = kql_dyn_to_scalar(val);
    kql_value conv = kql_null(out->type);
    if (out->type == KQL_STRING) {
        kql_buf_clear(text);
        if (s.is_null) kql_dyn_to_json(val, text);   /* an array or a bag, as JSON text */
        else kql_value_to_text(&s, text);
        conv = s.type == KQL_STRING ? s : kql_string(text->data ? text->data : "", text->len);
    } else if (s.is_null) {
        /* an array or a bag fits no scalar column */
    } else if (s.type == out->type) {
        conv = s;
    } else if ((out->type == KQL_LONG || out->type == KQL_INT) && (s.type == KQL_LONG || s.type == KQL_INT)) {
        conv = s;
        conv.type = out->type;
    } else if ((out->type == KQL_LONG || out->type == KQL_INT) && s.type == KQL_REAL) {
        conv = kql_long((int64_t)s.u.r);
        conv.type = out->type;
    } else if (out->type == KQL_REAL && (s.type == KQL_LONG || s.type == KQL_INT)) {
        conv = kql_real((double)s.u.i);
    } else if (out->type == KQL_DATETIME && s.type == KQL_STRING) {
        int64_t t;
        if (kql_datetime_parse(s.u.s.ptr, s.u.s.len, &t)) conv = kql_datetime(t);
    }
    if (conv.is_null) kql_column_push_null(out);
    else kql_column_push(out, &conv);
}

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
        evaluate_push_value(out, val, &text);
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
