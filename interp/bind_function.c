/* bind_function.c - user-defined functions (let f = (params) { body }) and
 * the operators that name tables: invoke, as, getschema.
 *
 * Kusto inlines functions, and so does the binder: each call binds the body
 * anew, in the scope the function was defined in plus its parameters. A
 * scalar parameter stands for the argument's bound expression (folded to a
 * constant unless it reads the caller's row); a tabular parameter for the
 * argument's plan, computed once however often the body reads it. A scalar
 * body is bound without the caller's columns (Kusto does not let a function
 * see them), but its arguments may read the caller's row: b->fn_row says
 * which row that is, and bind_name refuses such an argument anywhere else.
 * As in Kusto a function cannot see itself, so a recursive call is reported
 * as such; a depth limit bounds long chains of calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"

#define FN_MAX_DEPTH 64
#define FN_MAX_CALLS 10000   /* inlining doubles per level when a body calls twice */
/* A parameter or let used twice makes its expression a shared subtree, which
 * evaluation walks once per use: sizes are counted as the tree it unfolds to. */
#define FN_MAX_NODES 100000

/* A function being bound: for the recursion message and the depth limit. */
struct bind_fn_frame {
    const char *name;
    const struct bind_fn_frame *up;
    int depth;
};

/* The nearest visible let named `name` if it is a function. */
static const bind_let *fn_find(const binder *b, const char *name)
{
    for (size_t i = b->nlets; i-- > 0;)
        if (strcmp(b->lets[i].name, name) == 0) return b->lets[i].lambda ? &b->lets[i] : NULL;
    return NULL;
}

bool bind_function_claims(const binder *b, const char *name)
{
    for (size_t i = b->nlets; i-- > 0;)
        if (strcmp(b->lets[i].name, name) == 0) return b->lets[i].lambda != NULL;
    /* inside its own body a function is not in scope: a call to it is recursion,
     * unless the name is also a built-in (which the body then means) */
    if (kql_function_find(name) || kql_aggregate_find(name)) return false;
    for (const struct bind_fn_frame *f = b->fn_frames; f; f = f->up)
        if (strcmp(f->name, name) == 0) return true;
    return false;
}

bool bind_expr_uses_row(const bexpr *e)
{
    if (e->kind == BX_COLUMN || e->kind == BX_WINDOW) return true;   /* a window reads its neighbours */
    for (size_t i = 0; i < e->nargs; i++)
        if (bind_expr_uses_row(e->args[i])) return true;
    return false;
}

/* Counts e's unfolded nodes into *n, stopping once past FN_MAX_NODES. */
static void count_nodes(const bexpr *e, size_t *n)
{
    if (++*n > FN_MAX_NODES) return;
    for (size_t i = 0; i < e->nargs && *n <= FN_MAX_NODES; i++) count_nodes(e->args[i], n);
}

static bool too_big(binder *b, const bexpr *e, const char *name)
{
    size_t n = 0;
    count_nodes(e, &n);
    if (n <= FN_MAX_NODES) return false;
    kql_error_set(b->err, &e->loc, "'%s' unfolds to an expression of more than %d terms", name, FN_MAX_NODES);
    return true;
}

bool bind_push_row_let(binder *b, const ast_node *let, bexpr *e)
{
    if (too_big(b, e, let->text)) return false;
    bind_push_let(b, (bind_let){ .name = let->text, .scalar = e, .row = b->fn_row });
    return true;
}

static bool is_table_param(const ast_node *param)
{
    return param->op == AST_TYPE_TABLE;
}

static int param_index(const ast_node *params, const char *name)
{
    for (size_t i = 0; i < params->nkids; i++)
        if (strcmp(params->kids[i]->text, name) == 0) return (int)i;
    return -1;
}

/* Pairs the call's arguments with the parameters: positional ones in order,
 * named ones (p = value) by name. As in Kusto, a named argument away from its
 * parameter's position makes every later argument named. args[i] gets the
 * argument of parameter i, or NULL (its default, or the piped table). */
static bool match_args(binder *b, const ast_node *call, const char *fname, const ast_node *params,
                       bool piped, const ast_node **args)
{
    size_t np = params->nkids, first = piped ? 1 : 0, pos = first;
    bool unordered = false;
    size_t nargs = call->kind == AST_CALL ? call->nkids : 0;
    for (size_t k = 0; k < nargs; k++) {
        const ast_node *a = call->kids[k];
        size_t at;
        if (a->kind == AST_ASSIGN && a->kids[0]->kind == AST_NAME) {
            int j = param_index(params, a->kids[0]->text);
            if (j < (int)first) {
                kql_error_set(b->err, &a->kids[0]->loc, "function '%s' has no parameter '%s'%s", fname,
                              a->kids[0]->text, j < 0 ? "" : " to pass by name (it takes the piped table)");
                return false;
            }
            at = (size_t)j;
            if (at != pos) unordered = true;
            a = a->kids[1];
        } else {
            if (unordered) {
                kql_error_set(b->err, &a->loc, "function '%s': an argument after an out-of-order named argument must be named too",
                              fname);
                return false;
            }
            at = pos;
        }
        if (at >= np) {
            kql_error_set(b->err, &a->loc, "function '%s' takes %zu argument%s, got more", fname, np - first,
                          np - first == 1 ? "" : "s");
            return false;
        }
        if (args[at]) {
            kql_error_set(b->err, &a->loc, "function '%s': parameter '%s' is given twice", fname, params->kids[at]->text);
            return false;
        }
        args[at] = a;
        pos++;
    }
    for (size_t i = first; i < np; i++) {
        const ast_node *p = params->kids[i];
        if (!args[i] && (is_table_param(p) || p->nkids == 0)) {
            kql_error_set(b->err, &call->loc, "function '%s' needs a value for parameter '%s'", fname, p->text);
            return false;
        }
    }
    return true;
}

/* A tabular argument must have the columns its parameter declares, T:(x:long). */
static bool check_table_arg(binder *b, const char *fname, const ast_node *param, const plan *p, const ast_loc *loc)
{
    const ast_node *schema = param->kids[0];
    for (size_t i = 0; i < schema->nkids; i++) {
        const ast_node *col = schema->kids[i];
        if (col->kind != AST_COLDEF) continue;   /* T:(x:long, *) */
        kql_type want = kql_type_from_name(ast_type_name((ast_type)col->op));
        bool found = false;
        for (size_t c = 0; c < p->schema.ncols && !found; c++)
            found = strcmp(p->schema.names[c], col->text) == 0 && p->schema.types[c] == want;
        if (!found) {
            kql_error_set(b->err, loc, "function '%s': the table passed as '%s' has no column '%s' of type %s", fname,
                          param->text, col->text, ast_type_name((ast_type)col->op));
            return false;
        }
    }
    return true;
}

/* A scalar argument as its parameter's type: numbers convert (Kusto passes
 * 5 to a real parameter); other types must match. */
static bexpr *convert_arg(binder *b, const char *fname, const ast_node *param, bexpr *e, const ast_loc *loc)
{
    kql_type want = kql_type_from_name(ast_type_name((ast_type)param->op));
    if (want == KQL_TYPE_UNKNOWN || want == KQL_DECIMAL) {
        kql_error_set(b->err, &param->loc, "function '%s': parameter type '%s' is not supported", fname,
                      ast_type_name((ast_type)param->op));
        return NULL;
    }
    if (e->type == want) return e;
    bool num = (e->type == KQL_INT || e->type == KQL_LONG || e->type == KQL_REAL) &&
               (want == KQL_INT || want == KQL_LONG || want == KQL_REAL);
    if (!num) {
        kql_error_set(b->err, loc, "function '%s': parameter '%s' is %s, but the argument is %s", fname, param->text,
                      kql_type_name(want), kql_type_name(e->type));
        return NULL;
    }
    bexpr *c = bind_alloc(b, sizeof *c);
    c->kind = BX_CALL;
    c->type = want;
    c->fn = kql_function_find(want == KQL_INT ? "toint" : want == KQL_LONG ? "tolong" : "toreal");
    c->loc = e->loc;
    c->nargs = 1;
    c->args = bind_alloc(b, sizeof *c->args);
    c->args[0] = e;
    return c;
}

/* A scalar let value: a constant, or (reading its row) the expression itself. */
static bool scalar_let(binder *b, const char *name, bexpr *e, const plan_schema *row, bind_let *out)
{
    if (bind_expr_uses_row(e)) {
        *out = (bind_let){ .name = name, .scalar = e, .row = row };
        return !too_big(b, e, name);
    }
    bexpr *c = bind_alloc(b, sizeof *c);
    c->kind = BX_CONST;
    c->type = e->type;
    c->loc = e->loc;
    bind_fold_constant(b, e, &c->constant);
    *out = (bind_let){ .name = name, .scalar = c };
    return true;
}

/* Binds the arguments in the caller's scope, over its columns `in`: bound[i]
 * is parameter i's let, or has no value when its default applies. */
static bool bind_args(binder *b, const ast_node *call, const ast_node *params, const ast_node **args,
                      plan *piped, const plan_schema *in, bind_let *bound)
{
    const char *fname = call->text;
    for (size_t i = 0; i < params->nkids; i++) {
        const ast_node *p = params->kids[i], *a = args[i];
        bound[i] = (bind_let){ .name = p->text };
        if (is_table_param(p)) {
            plan *t = piped && i == 0 ? piped : NULL;
            if (!t) {
                bool tabular = bind_is_tabular(b, a) || a->kind == AST_NAME ||
                               (a->kind == AST_CALL && bind_function_claims(b, a->text));
                if (!tabular) {
                    kql_error_set(b->err, &a->loc, "function '%s': parameter '%s' needs a table", fname, p->text);
                    return false;
                }
                t = bind_tabular(b, a);
                if (!t) return false;
            }
            if (!check_table_arg(b, fname, p, t, a ? &a->loc : &call->loc)) return false;
            bound[i].tabular = bind_new_let(b, t);
            continue;
        }
        if (!a) continue;
        bexpr *e = bind_expr(b, a, in);
        if (!e) return false;
        e = convert_arg(b, fname, p, e, &a->loc);
        if (!e) return false;
        if (!scalar_let(b, p->text, e, in ? in : b->fn_row, &bound[i])) return false;
    }
    return true;
}

/* The body: `let` statements, then the expression that is the result. */
static bool fn_call(binder *b, const ast_node *call, const plan_schema *in, plan *piped, plan **tab, bexpr **scalar);

static bool bind_body(binder *b, const ast_node *body, plan **tab, bexpr **scalar)
{
    size_t n = body->nkids;
    if (n == 0 || body->kids[n - 1]->kind != AST_EXPR_STMT) {
        kql_error_set(b->err, &body->loc, "a function body must end with an expression");
        return false;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        const ast_node *s = body->kids[i];
        if (s->kind != AST_LET) {
            kql_error_set(b->err, &s->loc, "a function body holds let statements and one final expression");
            return false;
        }
        if (!bind_let_statement(b, s)) return false;
    }
    const ast_node *x = body->kids[n - 1]->kids[0];
    if (x->kind == AST_CALL && bind_function_claims(b, x->text)) return fn_call(b, x, NULL, NULL, tab, scalar);
    if (bind_is_tabular(b, x)) *tab = bind_tabular(b, x);
    else *scalar = bind_expr(b, x, NULL);
    return *tab || *scalar;
}

/* Binds a call of a user-defined function: *tab or *scalar gets the result.
 * `in` is the caller's row (NULL: none, or b->fn_row inside a function). */
static bool fn_call(binder *b, const ast_node *call, const plan_schema *in, plan *piped, plan **tab, bexpr **scalar)
{
    *tab = NULL;
    *scalar = NULL;
    const char *name = call->text;
    const bind_let *found = fn_find(b, name);
    if (!found) {
        kql_error_set(b->err, &call->loc, "function '%s' calls itself: recursion is not supported", name);
        return false;
    }
    bind_let fn = *found;   /* a copy: the scope array changes below */
    int depth = b->fn_frames ? b->fn_frames->depth + 1 : 1;
    if (depth > FN_MAX_DEPTH) {
        kql_error_set(b->err, &call->loc, "function '%s': calls nest more than %d deep", name, FN_MAX_DEPTH);
        return false;
    }
    if (++b->fn_calls > FN_MAX_CALLS) {
        kql_error_set(b->err, &call->loc, "function '%s': the query expands to more than %d function calls", name,
                      FN_MAX_CALLS);
        return false;
    }
    const ast_node *params = fn.lambda->kids[0];
    size_t np = params->nkids;
    if (piped && (np == 0 || !is_table_param(params->kids[0]))) {
        kql_error_set(b->err, &call->loc, "invoke: function '%s' must take a table as its first parameter", name);
        return false;
    }
    const ast_node **args = bind_alloc(b, (np + 1) * sizeof *args);
    bind_let *bound = bind_alloc(b, (np + 1) * sizeof *bound);
    const plan_schema *row = in ? in : b->fn_row;
    if (!match_args(b, call, name, params, piped != NULL, args) ||
        !bind_args(b, call, params, args, piped, in, bound))
        return false;

    /* the callee's scope: the lets before the function, then its parameters */
    bind_let *saved = b->lets;
    size_t saved_n = b->nlets, saved_cap = b->cap_lets;
    b->lets = NULL;
    b->nlets = b->cap_lets = 0;
    for (size_t i = 0; i < fn.lambda_scope; i++) bind_push_let(b, saved[i]);
    struct bind_fn_frame frame = { .name = name, .up = b->fn_frames, .depth = depth };
    const plan_schema *saved_row = b->fn_row;
    plan *saved_agg = b->agg_plan;
    b->fn_frames = &frame;
    b->fn_row = row;
    b->agg_plan = NULL;   /* aggregates belong in summarize itself, not in a function body */
    bool ok = true;
    for (size_t i = 0; ok && i < np; i++) {
        if (!bound[i].scalar && !bound[i].tabular) {   /* its default, bound where the function was defined */
            const ast_node *p = params->kids[i];
            bexpr *e = bind_expr(b, p->kids[0], NULL);
            e = e ? convert_arg(b, name, p, e, &p->kids[0]->loc) : NULL;
            ok = e && scalar_let(b, p->text, e, NULL, &bound[i]);
        }
    }
    for (size_t i = 0; ok && i < np; i++) bind_push_let(b, bound[i]);
    ok = ok && bind_body(b, fn.lambda->kids[1], tab, scalar);
    b->fn_row = saved_row;
    b->agg_plan = saved_agg;
    b->fn_frames = frame.up;
    free(b->lets);
    b->lets = saved;
    b->nlets = saved_n;
    b->cap_lets = saved_cap;
    return ok;
}

bexpr *bind_function_scalar(binder *b, const ast_node *call, const plan_schema *in)
{
    plan *t;
    bexpr *e;
    if (!fn_call(b, call, in, NULL, &t, &e)) return NULL;
    if (t) {
        kql_error_set(b->err, &call->loc, "function '%s' returns a table, not a scalar value (use toscalar())",
                      call->text);
        return NULL;
    }
    return e;
}

plan *bind_function_tabular(binder *b, const ast_node *call, plan *piped)
{
    plan *t;
    bexpr *e;
    if (!fn_call(b, call, NULL, piped, &t, &e)) return NULL;
    if (!t) {
        kql_error_set(b->err, &call->loc, "function '%s' returns a scalar value, not a table", call->text);
        return NULL;
    }
    return t;
}

bool bind_function_let(binder *b, const ast_node *let)
{
    plan *t;
    bexpr *e;
    if (!fn_call(b, let->kids[0], NULL, NULL, &t, &e)) return false;
    bind_let v = { .name = let->text };
    if (t) v.tabular = bind_new_let(b, t);
    else if (!scalar_let(b, let->text, e, b->fn_row, &v)) return false;
    bind_push_let(b, v);
    return true;
}

/* ---- invoke, as, getschema ---- */

plan *bind_invoke(binder *b, plan *in, const ast_node *n)
{
    const ast_node *call = NULL;
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind != AST_OPTION) call = n->kids[i];
    if (!call || call->kind != AST_CALL) {
        kql_error_set(b->err, &n->loc, "invoke expects a function call: T | invoke f(...)");
        return NULL;
    }
    if (!bind_function_claims(b, call->text)) {
        kql_error_set(b->err, &call->loc, "invoke: '%s' is not a user-defined function (let %s = (T:(*)) { ... })",
                      call->text, call->text);
        return NULL;
    }
    return bind_function_tabular(b, call, in);
}

/* `T | as Name`: passes T through and binds Name to it for the rest of the
 * query (the analyzer accepts Name in later statements too), as a tabular let:
 * computed once, which is also what hint.materialized=true asks for. */
plan *bind_as(binder *b, plan *in, const ast_node *n)
{
    const ast_node *name = NULL;
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind != AST_OPTION) name = n->kids[i];
    if (!name || name->kind != AST_NAME) {
        kql_error_set(b->err, &n->loc, "as expects a name: T | as Name");
        return NULL;
    }
    plan_let *let = bind_new_let(b, in);
    bind_push_let(b, (bind_let){ .name = name->text, .tabular = let });
    plan *p = bind_new_plan(b, PLAN_LET_REF, NULL, n);
    p->let = let;
    p->schema = in->schema;
    return p;
}

/* The .NET type names getschema reports (bool is stored as a signed byte). */
static const char *clr_type_name(kql_type t)
{
    switch (t) {
    case KQL_BOOL: return "System.SByte";
    case KQL_INT: return "System.Int32";
    case KQL_LONG: return "System.Int64";
    case KQL_REAL: return "System.Double";
    case KQL_DECIMAL: return "System.Data.SqlTypes.SqlDecimal";
    case KQL_STRING: return "System.String";
    case KQL_DATETIME: return "System.DateTime";
    case KQL_TIMESPAN: return "System.TimeSpan";
    case KQL_GUID: return "System.Guid";
    case KQL_DYNAMIC: return "System.Object";
    default: return "System.Object";
    }
}

static void push_text(kql_column *c, const char *s)
{
    kql_value v = kql_string(s, strlen(s));
    kql_column_push(c, &v);
}

/* getschema: one row per visible input column, built at bind time from the
 * input's schema (the input itself never runs). */
plan *bind_getschema(binder *b, plan *in, const ast_node *n)
{
    b->query->reads_at_bind = true;
    kql_table *t = kql_table_new(NULL);
    /* registered first: the query owns and frees it */
    b->query->tables = realloc(b->query->tables, (b->query->ntables + 1) * sizeof *b->query->tables);
    b->query->tables[b->query->ntables++] = t;
    size_t ncols = in->schema.ncols;
    kql_column *name = kql_column_new(KQL_STRING, ncols), *ordinal = kql_column_new(KQL_LONG, ncols),
               *clr = kql_column_new(KQL_STRING, ncols), *type = kql_column_new(KQL_STRING, ncols);
    size_t rows = 0;
    for (size_t i = 0; i < ncols; i++) {
        if (in->schema.hidden[i]) continue;
        push_text(name, in->schema.names[i]);
        kql_value o = kql_long((int64_t)rows++);
        kql_column_push(ordinal, &o);
        push_text(clr, clr_type_name(in->schema.types[i]));
        push_text(type, kql_type_name(in->schema.types[i]));
    }
    kql_table_add(t, "ColumnName", name);
    kql_table_add(t, "ColumnOrdinal", ordinal);
    kql_table_add(t, "DataType", clr);
    kql_table_add(t, "ColumnType", type);
    t->nrows = rows;
    plan *p = bind_new_plan(b, PLAN_DATATABLE, NULL, n);
    p->table = t;
    bind_schema_alloc(b, &p->schema, t->ncols);
    for (size_t i = 0; i < t->ncols; i++) {
        p->schema.names[i] = t->col_names[i];
        p->schema.types[i] = t->cols[i]->type;
    }
    return p;
}
