/* bind_subquery.c - tabular expressions used where a scalar is expected:
 * toscalar(T), `x in (T | project y)` and column_names_of(T).
 *
 * Kusto evaluates such a subquery once, independently of the rows around it
 * (it cannot refer to them), so the binder runs it right away and keeps its
 * result as constants in the plan.
 */
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "dynamic.h"
#include "exec.h"

/* Whether n can be bound as a table (a pipe, a table or let name, a call of
 * a user-defined function, ...). */
static bool tabular_operand(const binder *b, const ast_node *n)
{
    return bind_is_tabular(b, n) || (n->kind == AST_CALL && bind_function_claims(b, n->text));
}

/* Binds and runs the subquery; the caller frees the table. */
static kql_table *run_subquery(binder *b, const ast_node *n, const char *what)
{
    plan *p = bind_tabular(b, n);
    if (!p) return NULL;
    if (p->schema.ncols == 0) {
        kql_error_set(b->err, &n->loc, "%s needs a table with at least one column", what);
        return NULL;
    }
    b->query->reads_at_bind = true;
    exec_ctx x = { .eval = { .now = b->query->now }, .err = b->err };
    return exec_plan(&x, p);
}

static bexpr *const_bexpr(binder *b, kql_value v, const ast_node *n)
{
    bexpr *e = bind_alloc(b, sizeof *e);
    e->kind = BX_CONST;
    e->type = v.type;
    e->loc = n->loc;
    if (!v.is_null && (v.type == KQL_STRING || v.type == KQL_DYNAMIC))   /* the table goes away */
        v.u.s.ptr = kql_arena_dup(b->arena, v.u.s.ptr, v.u.s.len);
    e->constant = v;
    return e;
}

/* toscalar(T): the first column of T's first row; null of that type (the
 * empty string for a string) when T has no rows. */
bexpr *bind_toscalar(binder *b, const ast_node *call)
{
    if (call->nkids != 1 || call->kids[0]->kind == AST_ASSIGN) {
        kql_error_set(b->err, &call->loc, "toscalar() takes one tabular expression%s",
                      call->nkids > 1 ? " (its kind= option is not supported)" : "");
        return NULL;
    }
    const ast_node *q = call->kids[0];
    if (!tabular_operand(b, q) && q->kind != AST_NAME) {
        kql_error_set(b->err, &q->loc, "toscalar() expects a tabular expression");
        return NULL;
    }
    kql_table *t = run_subquery(b, q, "toscalar()");
    if (!t) return NULL;
    kql_type type = t->cols[0]->type;
    kql_value v = t->nrows ? kql_column_get(t->cols[0], 0) : kql_null(type);
    if (v.is_null && type == KQL_STRING) v = kql_string("", 0);
    bexpr *e = const_bexpr(b, v, call);
    e->type = type;
    kql_table_free(t);
    return e;
}

bool bind_in_is_subquery(const binder *b, const ast_node *n, const plan_schema *in)
{
    if (n->nkids != 2) return false;
    const ast_node *k = n->kids[1];
    if (k->kind == AST_NAME) {   /* x in (T): a column or scalar let of that name wins */
        if (in)
            for (size_t i = 0; i < in->ncols; i++)
                if (strcmp(in->names[i], k->text) == 0) return false;
        return bind_is_tabular(b, k);
    }
    return k->kind == AST_SUBQUERY || k->kind == AST_PIPE || k->kind == AST_DATATABLE ||
           (k->kind == AST_OPERATOR && bind_is_tabular(b, k));
}

/* x in (T): the list is T's first column. Strings go in one dynamic array
 * (one constant, however many rows; `in` looks inside arrays); other values
 * each become a constant, which costs nothing per row. Nulls never match. */
bexpr *bind_in_subquery(binder *b, const ast_node *n, const plan_schema *in)
{
    bexpr *value = bind_expr(b, n->kids[0], in);
    if (!value) return NULL;
    kql_table *t = run_subquery(b, n->kids[1], ast_binop_text(n->op));
    if (!t) return NULL;
    const kql_column *c = t->cols[0];
    if (!bind_types_comparable(AST_OP_EQ, value->type, c->type)) {
        kql_error_set(b->err, &n->loc, "operator '%s' cannot compare %s with %s", ast_binop_text(n->op),
                      kql_type_name(value->type), kql_type_name(c->type));
        kql_table_free(t);
        return NULL;
    }
    size_t nitems = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (!kql_column_is_null(c, r)) nitems++;
    bool packed = c->type == KQL_STRING;
    size_t nargs = 1 + (packed ? 1 : nitems);
    bexpr *e = bind_alloc(b, sizeof *e);
    e->kind = BX_IN;
    e->type = KQL_BOOL;
    e->op = n->op;
    e->loc = n->loc;
    e->nargs = nargs;
    e->args = bind_alloc(b, nargs * sizeof *e->args);
    e->args[0] = value;
    if (packed) {
        kql_buf buf;
        kql_buf_init(&buf);
        size_t mark = kql_dyn_begin_array(&buf);
        for (size_t r = 0; r < t->nrows; r++) {
            if (kql_column_is_null(c, r)) continue;
            kql_value v = kql_column_get(c, r);
            kql_dyn_put_value(&buf, &v);
        }
        kql_dyn_end(&buf, mark, (uint32_t)nitems);
        kql_value d = { .type = KQL_DYNAMIC };
        d.u.s.ptr = buf.data;
        d.u.s.len = (uint32_t)buf.len;
        e->args[1] = const_bexpr(b, d, n->kids[1]);
        kql_buf_free(&buf);
    } else {
        size_t k = 1;
        for (size_t r = 0; r < t->nrows; r++)
            if (!kql_column_is_null(c, r)) e->args[k++] = const_bexpr(b, kql_column_get(c, r), n->kids[1]);
    }
    kql_table_free(t);
    return e;
}

/* column_names_of(T): T's visible column names as a dynamic array, from its
 * schema alone. */
bexpr *bind_column_names_of(binder *b, const ast_node *call)
{
    if (call->nkids != 1 || !(tabular_operand(b, call->kids[0]) || call->kids[0]->kind == AST_NAME)) {
        kql_error_set(b->err, &call->loc, "column_names_of() takes one tabular expression");
        return NULL;
    }
    plan *p = bind_tabular(b, call->kids[0]);
    if (!p) return NULL;
    b->query->reads_at_bind = true;
    kql_buf buf;
    kql_buf_init(&buf);
    size_t mark = kql_dyn_begin_array(&buf);
    uint32_t n = 0;
    for (size_t i = 0; i < p->schema.ncols; i++) {
        if (p->schema.hidden[i]) continue;
        kql_dyn_put_string(&buf, p->schema.names[i], strlen(p->schema.names[i]));
        n++;
    }
    kql_dyn_end(&buf, mark, n);
    kql_value d = { .type = KQL_DYNAMIC };
    d.u.s.ptr = buf.data;
    d.u.s.len = (uint32_t)buf.len;
    bexpr *e = const_bexpr(b, d, call);
    kql_buf_free(&buf);
    return e;
}
