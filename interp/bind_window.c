/* bind_window.c - binding the window functions (window.h): where they may
 * be used, their argument types, and the defaults Kusto documents (start 1,
 * offset 1, default null), filled in so the evaluator sees fixed shapes.
 */
#include <string.h>

#include "window.h"

typedef struct window_fn {
    const char *name;
    window_kind kind;
    int min_args, max_args;
    const char *signature;
} window_fn;

static const window_fn window_fns[] = {
    { "row_number", WINDOW_ROW_NUMBER, 0, 2, "row_number([start[, restart]])" },
    { "prev", WINDOW_PREV, 1, 3, "prev(column[, offset[, default]])" },
    { "next", WINDOW_NEXT, 1, 3, "next(column[, offset[, default]])" },
    { "row_cumsum", WINDOW_CUMSUM, 1, 2, "row_cumsum(term[, restart])" },
    { "row_rank_min", WINDOW_RANK_MIN, 1, 2, "row_rank_min(term[, restart])" },
    { "row_rank_dense", WINDOW_RANK_DENSE, 1, 2, "row_rank_dense(term[, restart])" },
    { "row_window_session", WINDOW_SESSION, 3, 4,
      "row_window_session(expr, max_distance_from_first, max_distance_between_neighbors[, restart])" },
};

static const window_fn *find_window(const char *name)
{
    for (size_t i = 0; i < sizeof window_fns / sizeof *window_fns; i++)
        if (strcmp(window_fns[i].name, name) == 0) return &window_fns[i];
    return NULL;
}

bool bind_window_claims(const char *name)
{
    return find_window(name) != NULL;
}

bool bind_plan_serialized(const plan *p)
{
    switch (p->kind) {
    case PLAN_SORT:     /* sort, order by, top */
    case PLAN_RANGE:
        return true;
    case PLAN_PROJECT:  /* project, extend, project-*, and serialize itself */
        return p->serialized || bind_plan_serialized(p->input);
    case PLAN_WHERE:
    case PLAN_TAKE:
    case PLAN_PARSE:
        return bind_plan_serialized(p->input);
    case PLAN_LET_REF:
        return bind_plan_serialized(p->let->body);
    default:            /* sources, summarize, distinct, count, join, union, mv-expand, make-series */
        return false;
    }
}

void bind_window_scope(binder *b, const plan *in, const char *op)
{
    bool allows = strcmp(op, "extend") == 0 || strcmp(op, "project") == 0 || strcmp(op, "where") == 0;
    bool serialize = strcmp(op, "serialize") == 0;
    bool ok = in && (serialize || (allows && bind_plan_serialized(in)));
    b->window_rows = ok ? &in->schema : NULL;
    b->window_needs_serialize = in && allows && !ok;
}

static bexpr *new_window_node(binder *b, const ast_node *n, window_kind kind, size_t nargs)
{
    bexpr *e = bind_alloc(b, sizeof *e);
    e->kind = BX_WINDOW;
    e->op = (int)kind;
    e->loc = n->loc;
    e->nargs = nargs;
    e->args = bind_alloc(b, nargs * sizeof *e->args);
    return e;
}

static bexpr *const_node(binder *b, const ast_node *n, kql_value v)
{
    bexpr *c = bind_alloc(b, sizeof *c);
    c->kind = BX_CONST;
    c->type = v.type;
    c->constant = v;
    c->loc = n->loc;
    return c;
}

/* An argument that must not read the row, folded to a constant of one of the
 * wanted types (a kql_type list ending in UNKNOWN). */
static bool bind_window_constant(binder *b, const ast_node *fn, const ast_node *arg, const char *what,
                                 const kql_type *types, kql_value *out)
{
    bexpr *e = bind_expr(b, arg, b->window_rows);
    if (!e) return false;
    if (bind_expr_uses_row(e)) {
        kql_error_set(b->err, &arg->loc, "%s(): the %s must be a constant", fn->text, what);
        return false;
    }
    for (; *types != KQL_TYPE_UNKNOWN; types++)
        if (e->type == *types) return bind_fold_constant(b, e, out);
    kql_error_set(b->err, &arg->loc, "%s(): the %s cannot be %s", fn->text, what, kql_type_name(e->type));
    return false;
}

static bexpr *bind_restart(binder *b, const ast_node *fn, const ast_node *arg)
{
    bexpr *e = bind_expr(b, arg, b->window_rows);
    if (e && e->type != KQL_BOOL) {
        kql_error_set(b->err, &arg->loc, "%s(): restart must be a bool, got %s", fn->text, kql_type_name(e->type));
        return NULL;
    }
    return e;
}

/* prev/next's default: a constant converted to the value's type (Kusto's
 * analyzer gives prev() the value's type whatever the default is). */
static bool bind_default(binder *b, const ast_node *fn, const ast_node *arg, kql_type want, kql_value *out)
{
    static const kql_type any[] = { KQL_BOOL, KQL_INT, KQL_LONG, KQL_REAL, KQL_STRING, KQL_DATETIME,
                                    KQL_TIMESPAN, KQL_GUID, KQL_DYNAMIC, KQL_TYPE_UNKNOWN };
    kql_value v;
    if (!bind_window_constant(b, fn, arg, "default value", any, &v)) return false;
    bool intlike = v.type == KQL_INT || v.type == KQL_LONG;
    if (v.type == want) *out = v;
    else if (v.is_null) *out = kql_null(want);
    else if (want == KQL_REAL && intlike) *out = kql_real((double)v.u.i);
    else if ((want == KQL_LONG || want == KQL_INT) && intlike) { *out = v; out->type = want; }
    else {
        kql_error_set(b->err, &arg->loc, "%s(): the default value is %s, but the value is %s", fn->text,
                      kql_type_name(v.type), kql_type_name(want));
        return false;
    }
    return true;
}

static bexpr *bind_prev_next(binder *b, const ast_node *n, const window_fn *w)
{
    static const kql_type whole[] = { KQL_INT, KQL_LONG, KQL_TYPE_UNKNOWN };
    bexpr *e = new_window_node(b, n, w->kind, 3);
    e->args[0] = bind_expr(b, n->kids[0], b->window_rows);
    if (!e->args[0]) return NULL;
    e->type = e->args[0]->type;
    kql_value offset = kql_long(1), dflt = kql_null(e->type);
    if (n->nkids > 1) {
        if (!bind_window_constant(b, n, n->kids[1], "offset", whole, &offset)) return NULL;
        if (offset.is_null || offset.u.i < 0) {
            kql_error_set(b->err, &n->kids[1]->loc, "%s(): the offset must be 0 or more", n->text);
            return NULL;
        }
    }
    if (n->nkids > 2 && !bind_default(b, n, n->kids[2], e->type, &dflt)) return NULL;
    e->args[1] = const_node(b, n, offset);
    e->args[2] = const_node(b, n, dflt);
    e->args[2]->type = e->type;
    return e;
}

static bexpr *bind_row_number(binder *b, const ast_node *n)
{
    static const kql_type whole[] = { KQL_INT, KQL_LONG, KQL_TYPE_UNKNOWN };
    bexpr *e = new_window_node(b, n, WINDOW_ROW_NUMBER, n->nkids > 1 ? 2 : 1);
    e->type = KQL_LONG;
    kql_value start = kql_long(1);
    if (n->nkids > 0 && !bind_window_constant(b, n, n->kids[0], "start", whole, &start)) return NULL;
    if (start.is_null) start = kql_long(1);
    start.type = KQL_LONG;
    e->args[0] = const_node(b, n, start);
    if (n->nkids > 1 && !(e->args[1] = bind_restart(b, n, n->kids[1]))) return NULL;
    return e;
}

/* row_cumsum, row_rank_min, row_rank_dense: a term and an optional restart. */
static bexpr *bind_term(binder *b, const ast_node *n, const window_fn *w)
{
    bexpr *e = new_window_node(b, n, w->kind, n->nkids);
    e->args[0] = bind_expr(b, n->kids[0], b->window_rows);
    if (!e->args[0]) return NULL;
    kql_type t = e->args[0]->type;
    if (w->kind == WINDOW_CUMSUM) {
        if (t != KQL_INT && t != KQL_LONG && t != KQL_REAL) {
            kql_error_set(b->err, &n->kids[0]->loc, "row_cumsum(): the term must be int, long or real, got %s",
                          kql_type_name(t));
            return NULL;
        }
        e->type = t;
    } else {
        if (t == KQL_DYNAMIC) {
            kql_error_set(b->err, &n->kids[0]->loc, "%s(): the term cannot be dynamic; convert it first", n->text);
            return NULL;
        }
        e->type = KQL_LONG;
    }
    if (n->nkids > 1 && !(e->args[1] = bind_restart(b, n, n->kids[1]))) return NULL;
    return e;
}

static bexpr *bind_session(binder *b, const ast_node *n)
{
    static const kql_type span[] = { KQL_TIMESPAN, KQL_TYPE_UNKNOWN };
    bexpr *e = new_window_node(b, n, WINDOW_SESSION, n->nkids);
    e->type = KQL_DATETIME;
    e->args[0] = bind_expr(b, n->kids[0], b->window_rows);
    if (!e->args[0]) return NULL;
    if (e->args[0]->type != KQL_DATETIME) {
        kql_error_set(b->err, &n->kids[0]->loc, "row_window_session(): the expression must be a datetime, got %s",
                      kql_type_name(e->args[0]->type));
        return NULL;
    }
    const char *what[2] = { "max distance from first", "max distance between neighbors" };
    for (int i = 1; i <= 2; i++) {
        kql_value v;
        if (!bind_window_constant(b, n, n->kids[i], what[i - 1], span, &v)) return NULL;
        e->args[i] = const_node(b, n, v);
    }
    if (n->nkids > 3 && !(e->args[3] = bind_restart(b, n, n->kids[3]))) return NULL;
    return e;
}

bexpr *bind_window(binder *b, const ast_node *n, const plan_schema *in)
{
    const window_fn *w = find_window(n->text);
    if (!in || in != b->window_rows) {
        if (b->window_needs_serialize)
            kql_error_set(b->err, &n->loc, "%s() needs serialized rows: add | serialize or | sort by before it",
                          n->text);
        else
            kql_error_set(b->err, &n->loc, "%s() can only be used in extend, project, where or serialize "
                          "over serialized rows", n->text);
        return NULL;
    }
    if ((int)n->nkids < w->min_args || (int)n->nkids > w->max_args) {
        kql_error_set(b->err, &n->loc, "%s() takes %d to %d arguments, got %zu: %s", n->text, w->min_args,
                      w->max_args, n->nkids, w->signature);
        return NULL;
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind == AST_ASSIGN) {
            kql_error_set(b->err, &n->kids[i]->loc, "named arguments are not supported yet");
            return NULL;
        }
    switch (w->kind) {
    case WINDOW_ROW_NUMBER: return bind_row_number(b, n);
    case WINDOW_PREV:
    case WINDOW_NEXT: return bind_prev_next(b, n, w);
    case WINDOW_SESSION: return bind_session(b, n);
    default: return bind_term(b, n, w);
    }
}
