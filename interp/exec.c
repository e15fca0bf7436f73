/* exec.c - walking a bound plan and running its operators.
 *
 * Sources produce tables (a catalog table is shared, not copied; a tabular
 * let runs once and every reference shares its result); each other plan
 * node runs its input first and hands the result to its operator. Also the
 * helpers operators share: sharing and gathering tables, and converting a
 * dynamic value to a column's type.
 */
#include <stdlib.h>

#include "cancel.h"
#include "dynamic.h"
#include "exec.h"

kql_table *exec_table_share(const kql_table *t)
{
    kql_table *r = kql_table_new(t->name);
    for (size_t i = 0; i < t->ncols; i++) {
        kql_column *c = kql_column_retain(t->cols[i]);
        if (t->hidden && t->hidden[i]) kql_table_add_hidden(r, t->col_names[i], c);
        else kql_table_add(r, t->col_names[i], c);
    }
    r->nrows = t->nrows;
    return r;
}

kql_table *exec_table_gather(const kql_table *t, const size_t *idx, size_t n)
{
    kql_table *r = kql_table_new(NULL);
    for (size_t i = 0; i < t->ncols; i++) {
        kql_column *c = kql_column_gather(t->cols[i], idx, n);
        if (t->hidden && t->hidden[i]) kql_table_add_hidden(r, t->col_names[i], c);
        else kql_table_add(r, t->col_names[i], c);
    }
    r->nrows = n;
    return r;
}

/* print: its expressions over one row of nothing. */
static kql_table *run_print(exec_ctx *x, const plan *p)
{
    kql_table *one = kql_table_new(NULL);
    one->nrows = 1;
    return op_project(x, p, one);
}

static kql_table *exec_node(exec_ctx *x, plan *p)
{
    switch (p->kind) {
    case PLAN_TABLE:
    case PLAN_DATATABLE:
        return exec_table_share(p == x->scan ? x->scan_table : p->table);
    case PLAN_LET_REF:
        if (!p->let->result) {
            p->let->result = exec_plan(x, p->let->body);
            if (!p->let->result) return NULL;
        }
        return exec_table_share(p->let->result);
    case PLAN_PRINT:
        return run_print(x, p);
    case PLAN_RANGE:
        return op_range(x, p);
    case PLAN_UNION:
        return op_union(x, p);
    case PLAN_EVALUATE:
        return op_evaluate(x, p);
    default:
        break;
    }
    kql_table *in = exec_plan(x, p->input);
    if (!in) return NULL;
    switch (p->kind) {
    case PLAN_WHERE: return op_where(x, p, in);
    case PLAN_PROJECT: return op_project(x, p, in);
    case PLAN_TAKE: return op_take(x, p, in);
    case PLAN_COUNT: return op_count(x, p, in);
    case PLAN_SORT: return op_sort(x, p, in);
    case PLAN_SUMMARIZE: return op_summarize(x, p, in);
    case PLAN_MV_EXPAND: return op_mv_expand(x, p, in);
    case PLAN_PARSE: return op_parse(x, p, in);
    case PLAN_JOIN: return op_join(x, p, in);
    case PLAN_MAKE_SERIES: return op_make_series(x, p, in);
    case PLAN_MV_APPLY: return op_mv_apply(x, p, in);
    default:
        kql_table_free(in);
        kql_error_set(x->err, &p->loc, "internal error: unknown plan node %d", (int)p->kind);
        return NULL;
    }
}

/* A cancelled operator stops early (cancel.h): its partial result goes. */
kql_table *exec_plan(exec_ctx *x, plan *p)
{
    kql_table *t = exec_node(x, p);
    if (t && kql_cancelled()) {
        kql_table_free(t);
        kql_error_set(x->err, NULL, "query cancelled");
        return NULL;
    }
    return t;
}

/* Appends a dynamic value converted to out's type: null when it does not fit
 * (mv-expand's `to typeof()`, bag_unpack's typed columns). */
void exec_push_dyn_converted(kql_column *out, kql_dyn val, kql_buf *text)
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
