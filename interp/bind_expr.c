/* bind_expr.c - binding scalar expressions: names to columns, literals to
 * values, operators and calls to typed bexpr nodes.
 *
 * The type rules are Kusto's (checked against Microsoft's analyzer in
 * shared/tools/kusto-oracle): int and long arithmetic gives long, real wins,
 * a dynamic operand takes the other operand's type, datetime - datetime is a
 * timespan; == and != (and in) may compare a string with a number, but <, >,
 * =~ and contains may not. Column names of unnamed expressions follow the
 * analyzer too (bind_derive_name).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bind.h"
#include "dynamic.h"
#include "eval.h"
#include "regex_match.h"
#include "window.h"

void *bind_alloc(binder *b, size_t n)
{
    void *p = kql_arena_alloc(b->arena, n ? n : 1);
    memset(p, 0, n ? n : 1);
    return p;
}

char *bind_strdup(binder *b, const char *s)
{
    return kql_arena_dup(b->arena, s, strlen(s));
}

static bexpr *new_bexpr(binder *b, bexpr_kind kind, kql_type type, const ast_node *n, size_t nargs)
{
    bexpr *e = bind_alloc(b, sizeof *e);
    e->kind = kind;
    e->type = type;
    e->loc = n->loc;
    e->nargs = nargs;
    e->args = nargs ? bind_alloc(b, nargs * sizeof *e->args) : NULL;
    return e;
}

static bool is_num(kql_type t) { return t == KQL_INT || t == KQL_LONG || t == KQL_REAL; }
static bool is_intlike(kql_type t) { return t == KQL_INT || t == KQL_LONG; }

/* ---- literals ---- */

static bexpr *bind_literal(binder *b, const ast_node *n)
{
    bexpr *e = new_bexpr(b, BX_CONST, KQL_TYPE_UNKNOWN, n, 0);
    const char *t = n->text ? n->text : "";
    kql_value *v = &e->constant;
    switch ((ast_literal_kind)n->op) {
    case AST_LIT_NULL_TYPED: {
        kql_type ty = kql_type_from_name(t);
        if (ty == KQL_TYPE_UNKNOWN || ty == KQL_DECIMAL) {
            kql_error_set(b->err, &n->loc, "type '%s' is not supported", t);
            return NULL;
        }
        *v = kql_null(ty);
        if (ty == KQL_STRING) *v = kql_string("", 0);
        break;
    }
    case AST_LIT_BOOL:
        *v = kql_bool(strcasecmp(t, "true") == 0);
        break;
    case AST_LIT_INT:
    case AST_LIT_LONG: {
        char *end;
        errno = 0;
        long long x = strtoll(t, &end, 0);
        if (*end != '\0') {
            kql_error_set(b->err, &n->loc, "malformed number '%s'", t);
            return NULL;
        }
        /* a number past the type is refused, never silently clamped or cut */
        if (errno == ERANGE || (n->op == AST_LIT_INT && (x < INT32_MIN || x > INT32_MAX))) {
            kql_error_set(b->err, &n->loc, "number %s does not fit %s (%s to %s)", t,
                          n->op == AST_LIT_INT ? "an int" : "a long",
                          n->op == AST_LIT_INT ? "-2147483648" : "-9223372036854775808",
                          n->op == AST_LIT_INT ? "2147483647" : "9223372036854775807");
            return NULL;
        }
        *v = n->op == AST_LIT_INT ? kql_int((int32_t)x) : kql_long(x);
        break;
    }
    case AST_LIT_REAL: {
        double x;
        if (strcasecmp(t, "nan") == 0) x = NAN;
        else if (strcasecmp(t, "+inf") == 0 || strcasecmp(t, "inf") == 0) x = INFINITY;
        else if (strcasecmp(t, "-inf") == 0) x = -INFINITY;
        else {
            char *end;
            x = strtod(t, &end);
            if (*end != '\0') {
                kql_error_set(b->err, &n->loc, "malformed real number '%s'", t);
                return NULL;
            }
        }
        *v = kql_real(x);
        break;
    }
    case AST_LIT_STRING:
        *v = kql_string(kql_arena_dup(b->arena, n->text ? n->text : "", n->text_len), n->text_len);
        break;
    case AST_LIT_DATETIME: {
        int64_t ticks;
        size_t tl = strlen(t);
        const char *inner = t;
        if (tl >= 2 && (t[0] == '"' || t[0] == '\'') && t[tl - 1] == t[0]) {   /* datetime("2015-12-14") */
            inner = t + 1;
            tl -= 2;
        }
        if (strcasecmp(t, "null") == 0) *v = kql_null(KQL_DATETIME);
        else if (kql_datetime_parse(inner, tl, &ticks)) *v = kql_datetime(ticks);
        else {
            kql_error_set(b->err, &n->loc, "invalid datetime literal 'datetime(%s)'", t);
            return NULL;
        }
        break;
    }
    case AST_LIT_TIMESPAN: {
        const char *inner = t;
        size_t len = strlen(t);
        const char *paren = strchr(t, '(');
        if (paren && len > 0 && t[len - 1] == ')') {   /* time(...) / timespan(...) */
            inner = paren + 1;
            len = (size_t)(t + len - 1 - inner);
        }
        while (len && (*inner == ' ')) { inner++; len--; }
        while (len && inner[len - 1] == ' ') len--;
        int64_t ticks;
        if (len == 4 && strncasecmp(inner, "null", 4) == 0) *v = kql_null(KQL_TIMESPAN);
        else if (kql_timespan_parse(inner, len, &ticks)) *v = kql_timespan(ticks);
        else {
            kql_error_set(b->err, &n->loc, "invalid timespan literal '%s'", t);
            return NULL;
        }
        break;
    }
    case AST_LIT_GUID: {
        kql_guid g;
        if (strcasecmp(t, "null") == 0) *v = kql_null(KQL_GUID);
        else if (kql_guid_parse(t, strlen(t), &g)) { v->type = KQL_GUID; v->is_null = false; v->u.g = g; }
        else {
            kql_error_set(b->err, &n->loc, "invalid guid literal 'guid(%s)'", t);
            return NULL;
        }
        break;
    }
    case AST_LIT_DYNAMIC: {
        kql_buf buf;
        size_t bad = 0;
        kql_buf_init(&buf);
        if (!kql_dyn_from_literal(t, strlen(t), &buf, &bad)) {
            kql_buf_free(&buf);
            ast_loc loc = n->loc;
            if (kql_dyn_too_deep(t, strlen(t)))
                kql_error_set(b->err, &loc, "dynamic literal nested deeper than %d levels", KQL_DYN_MAX_DEPTH);
            else
                kql_error_set(b->err, &loc, "malformed dynamic literal (at character %zu of its text)", bad + 1);
            return NULL;
        }
        v->type = KQL_DYNAMIC;
        v->is_null = false;
        v->u.s.ptr = kql_arena_dup(b->arena, buf.data, buf.len);
        v->u.s.len = (uint32_t)buf.len;
        kql_buf_free(&buf);
        break;
    }
    case AST_LIT_DECIMAL:
        kql_error_set(b->err, &n->loc, "type 'decimal' is not supported yet");
        return NULL;
    }
    e->type = v->type;
    return e;
}

/* ---- names ---- */

static const bind_let *find_let(const binder *b, const char *name)
{
    for (size_t i = b->nlets; i-- > 0;)
        if (strcmp(b->lets[i].name, name) == 0) return &b->lets[i];
    return NULL;
}

/* The operator, in the pipeline that made `p`, that dropped column `name`
 * (its input had the column, its output has not), or NULL. An operator may
 * bind to several plans; only the last carries its name. */
static const plan *removed_by(const plan *p, const char *name)
{
    for (const plan *named = NULL; p && p->input; p = p->input) {
        if (bind_schema_find(&p->schema, name) >= 0) return NULL;   /* still there: not dropped since */
        if (p->op) named = p;
        if (named && bind_schema_find(&p->input->schema, name) >= 0) return named;
    }
    return NULL;
}

static bexpr *bind_name(binder *b, const ast_node *n, const plan_schema *in)
{
    int col = bind_schema_find(in, n->text);
    if (col >= 0) {
        bexpr *e = new_bexpr(b, BX_COLUMN, in->types[col], n, 0);
        e->column = col;
        return e;
    }
    const bind_let *let = find_let(b, n->text);
    if (let && let->scalar) {
        /* a function argument that reads its caller's row means nothing elsewhere */
        if (let->row && let->row != (in ? in : b->fn_row)) {
            kql_error_set(b->err, &n->loc, "'%s' depends on the calling row and cannot be used inside a tabular expression",
                          n->text);
            return NULL;
        }
        return let->scalar;
    }
    if (let && let->lambda) {
        kql_error_set(b->err, &n->loc, "'%s' is a function: call it with an argument list, %s(...)", n->text, n->text);
        return NULL;
    }
    if (let) {
        kql_error_set(b->err, &n->loc, "'%s' is a tabular expression, not a scalar value", n->text);
        return NULL;
    }
    const plan *gone = in && b->op_input && &b->op_input->schema == in ? removed_by(b->op_input, n->text) : NULL;
    if (gone) {
        kql_error_set(b->err, &n->loc, "unknown column '%s': it was removed by the %s at line %d, column %d",
                      n->text, gone->op, gone->loc.line, gone->loc.col);
        return NULL;
    }
    kql_suggest s;
    kql_suggest_init(&s, n->text);
    for (size_t i = 0; in && i < in->ncols; i++) kql_suggest_offer(&s, in->names[i]);
    for (size_t i = 0; i < b->nlets; i++)
        if (b->lets[i].scalar) kql_suggest_offer(&s, b->lets[i].name);
    const char *best = kql_suggest_best(&s);
    if (best)
        kql_error_set(b->err, &n->loc, "unknown column or variable '%s' (did you mean '%s'?)", n->text, best);
    else
        kql_error_set(b->err, &n->loc, "unknown column or variable '%s'", n->text);
    return NULL;
}

/* ---- operators ---- */

static const char *tname(kql_type t) { return kql_type_name(t); }

/* The result type of an arithmetic operator, or UNKNOWN when undefined. */
kql_type bind_arith_type(int op, kql_type a, kql_type c)
{
    if (a == KQL_DYNAMIC && c == KQL_DYNAMIC) return KQL_DYNAMIC;
    if (a == KQL_DYNAMIC) a = c;
    if (c == KQL_DYNAMIC) c = a;
    if (is_num(a) && is_num(c)) return (a == KQL_REAL || c == KQL_REAL) ? KQL_REAL : KQL_LONG;
    switch (op) {
    case AST_OP_ADD:
        if (a == KQL_DATETIME && c == KQL_TIMESPAN) return KQL_DATETIME;
        if (a == KQL_TIMESPAN && c == KQL_DATETIME) return KQL_DATETIME;
        if (a == KQL_TIMESPAN && c == KQL_TIMESPAN) return KQL_TIMESPAN;
        break;
    case AST_OP_SUB:
        if (a == KQL_DATETIME && c == KQL_DATETIME) return KQL_TIMESPAN;
        if (a == KQL_DATETIME && c == KQL_TIMESPAN) return KQL_DATETIME;
        if (a == KQL_TIMESPAN && c == KQL_TIMESPAN) return KQL_TIMESPAN;
        break;
    case AST_OP_MUL:
        if (a == KQL_TIMESPAN && is_num(c)) return KQL_TIMESPAN;
        if (is_num(a) && c == KQL_TIMESPAN) return KQL_TIMESPAN;
        break;
    case AST_OP_DIV:
        if (a == KQL_TIMESPAN && is_num(c)) return KQL_TIMESPAN;
        if (a == KQL_TIMESPAN && c == KQL_TIMESPAN) return KQL_REAL;
        break;
    case AST_OP_MOD:
        if (a == KQL_TIMESPAN && c == KQL_TIMESPAN) return KQL_TIMESPAN;
        break;
    }
    return KQL_TYPE_UNKNOWN;
}

static bool comparable(int op, kql_type a, kql_type c)
{
    if (a == KQL_DYNAMIC || c == KQL_DYNAMIC) return true;
    bool eq = op == AST_OP_EQ || op == AST_OP_NE;
    if (op == AST_OP_EQ_CI || op == AST_OP_NE_CI) return a == KQL_STRING && c == KQL_STRING;
    if (is_num(a) && is_num(c)) return true;
    if (a == c) return a != KQL_DYNAMIC;
    if (eq && ((a == KQL_STRING && is_num(c)) || (is_num(a) && c == KQL_STRING))) return true;
    if (eq && ((a == KQL_GUID && c == KQL_STRING) || (a == KQL_STRING && c == KQL_GUID))) return true;
    return false;
}

bool bind_types_comparable(int op, kql_type a, kql_type c)
{
    return comparable(op, a, c);
}

static bool is_string_op(int op) { return op >= AST_OP_CONTAINS && op <= AST_OP_MATCHES_REGEX; }

/* x has_any (a, b, ...) and has_all: a list like `in`; items are strings or
 * dynamic arrays of them. */
static bexpr *bind_has_any(binder *b, const ast_node *n, const plan_schema *in)
{
    bexpr *e = new_bexpr(b, BX_IN, KQL_BOOL, n, n->nkids);
    e->op = n->op;
    for (size_t i = 0; i < n->nkids; i++) {
        e->args[i] = bind_expr(b, n->kids[i], in);
        if (!e->args[i]) return NULL;
        kql_type t = e->args[i]->type;
        if (t != KQL_STRING && t != KQL_DYNAMIC) {
            kql_error_set(b->err, &n->kids[i]->loc, "operator '%s' is not defined for %s",
                          ast_binop_text(n->op), tname(t));
            return NULL;
        }
    }
    if (n->nkids < 2) {
        kql_error_set(b->err, &n->loc, "operator '%s' needs a list of terms", ast_binop_text(n->op));
        return NULL;
    }
    return e;
}

static bexpr *bind_binary(binder *b, const ast_node *n, const plan_schema *in)
{
    int op = n->op;
    if (op == AST_OP_HAS_ANY || op == AST_OP_HAS_ALL) return bind_has_any(b, n, in);
    bexpr *l = bind_expr(b, n->kids[0], in);
    if (!l) return NULL;
    bexpr *r = bind_expr(b, n->kids[1], in);
    if (!r) return NULL;
    bexpr *e;
    if (op == AST_OP_AND || op == AST_OP_OR) {
        for (int i = 0; i < 2; i++) {
            bexpr *x = i ? r : l;
            if (x->type != KQL_BOOL) {
                kql_error_set(b->err, &x->loc, "operator '%s' expects bool operands, got %s",
                              ast_binop_text(op), tname(x->type));
                return NULL;
            }
        }
        e = new_bexpr(b, op == AST_OP_AND ? BX_AND : BX_OR, KQL_BOOL, n, 2);
    } else if (op >= AST_OP_ADD && op <= AST_OP_MOD) {
        kql_type t = bind_arith_type(op, l->type, r->type);
        if (t == KQL_TYPE_UNKNOWN) {
            kql_error_set(b->err, &n->loc, "operator '%s' is not defined for %s and %s",
                          ast_binop_text(op), tname(l->type), tname(r->type));
            return NULL;
        }
        e = new_bexpr(b, BX_ARITH, t, n, 2);
    } else if (op >= AST_OP_LT && op <= AST_OP_NE_CI) {
        if (!comparable(op, l->type, r->type)) {
            kql_error_set(b->err, &n->loc, "operator '%s' cannot compare %s with %s",
                          ast_binop_text(op), tname(l->type), tname(r->type));
            return NULL;
        }
        e = new_bexpr(b, BX_COMPARE, KQL_BOOL, n, 2);
    } else if (is_string_op(op)) {
        for (int i = 0; i < 2; i++) {
            bexpr *x = i ? r : l;
            if (x->type != KQL_STRING && x->type != KQL_DYNAMIC) {
                kql_error_set(b->err, &n->loc, "operator '%s' is not defined for %s and %s",
                              ast_binop_text(op), tname(l->type), tname(r->type));
                return NULL;
            }
        }
        e = new_bexpr(b, BX_STRING_OP, KQL_BOOL, n, 2);
        if (op == AST_OP_MATCHES_REGEX && r->kind == BX_CONST && r->type == KQL_STRING &&
            kql_regex_search(r->constant.u.s, (kql_str){ "", 0 }) < 0) {
            kql_error_set(b->err, &n->kids[1]->loc, "invalid regular expression");
            return NULL;
        }
    } else {
        kql_error_set(b->err, &n->loc, "operator '%s' is not supported yet", ast_binop_text(op));
        return NULL;
    }
    e->op = op;
    e->args[0] = l;
    e->args[1] = r;
    return e;
}

static bexpr *bind_in(binder *b, const ast_node *n, const plan_schema *in)
{
    if (bind_in_is_subquery(b, n, in)) return bind_in_subquery(b, n, in);
    bexpr *e = new_bexpr(b, BX_IN, KQL_BOOL, n, n->nkids);
    e->op = n->op;
    for (size_t i = 0; i < n->nkids; i++) {
        e->args[i] = bind_expr(b, n->kids[i], in);
        if (!e->args[i]) return NULL;
        if (i > 0 && !comparable(AST_OP_EQ, e->args[0]->type, e->args[i]->type)) {
            kql_error_set(b->err, &n->kids[i]->loc, "operator '%s' cannot compare %s with %s",
                          ast_binop_text(n->op), tname(e->args[0]->type), tname(e->args[i]->type));
            return NULL;
        }
    }
    return e;
}

static bexpr *bind_between(binder *b, const ast_node *n, const plan_schema *in)
{
    bexpr *e = new_bexpr(b, BX_BETWEEN, KQL_BOOL, n, 3);
    e->negate = n->op != 0;
    for (size_t i = 0; i < 3; i++) {
        e->args[i] = bind_expr(b, n->kids[i], in);
        if (!e->args[i]) return NULL;
    }
    for (size_t i = 1; i < 3; i++)
        if (!comparable(AST_OP_LT, e->args[0]->type, e->args[i]->type)) {
            kql_error_set(b->err, &n->kids[i]->loc, "between cannot compare %s with %s",
                          tname(e->args[0]->type), tname(e->args[i]->type));
            return NULL;
        }
    return e;
}

static bexpr *bind_unary(binder *b, const ast_node *n, const plan_schema *in)
{
    bexpr *x = bind_expr(b, n->kids[0], in);
    if (!x) return NULL;
    if (n->op == '+') return x;
    if (n->op == AST_OP_NOT) {
        if (x->type != KQL_BOOL) {
            kql_error_set(b->err, &n->loc, "not() expects a bool, got %s", tname(x->type));
            return NULL;
        }
        bexpr *e = new_bexpr(b, BX_NOT, KQL_BOOL, n, 1);
        e->args[0] = x;
        return e;
    }
    if (!is_num(x->type) && x->type != KQL_TIMESPAN && x->type != KQL_DYNAMIC) {
        kql_error_set(b->err, &n->loc, "unary '-' is not defined for %s", tname(x->type));
        return NULL;
    }
    bexpr *e = new_bexpr(b, BX_NEG, x->type == KQL_INT ? KQL_LONG : x->type, n, 1);
    e->args[0] = x;
    return e;
}

static bexpr *bind_member(binder *b, const ast_node *n, const ast_node *base_ast,
                          const char *key, size_t key_len, const plan_schema *in)
{
    bexpr *base = bind_expr(b, base_ast, in);
    if (!base) return NULL;
    if (base->type != KQL_DYNAMIC) {
        kql_error_set(b->err, &n->loc, "property access needs a dynamic value, but the expression is %s",
                      tname(base->type));
        return NULL;
    }
    bexpr *e = new_bexpr(b, BX_MEMBER, KQL_DYNAMIC, n, 1);
    e->args[0] = base;
    e->key = kql_arena_dup(b->arena, key, key_len);
    e->key_len = key_len;
    return e;
}

static bexpr *bind_index(binder *b, const ast_node *n, const plan_schema *in)
{
    const ast_node *idx = n->kids[1];
    if (idx->kind == AST_LITERAL && idx->op == AST_LIT_STRING)
        return bind_member(b, n, n->kids[0], idx->text, idx->text_len, in);
    bexpr *base = bind_expr(b, n->kids[0], in);
    if (!base) return NULL;
    if (base->type != KQL_DYNAMIC) {
        kql_error_set(b->err, &n->loc, "indexing needs a dynamic value, but the expression is %s",
                      tname(base->type));
        return NULL;
    }
    bexpr *i = bind_expr(b, idx, in);
    if (!i) return NULL;
    if (!is_intlike(i->type) && i->type != KQL_STRING && i->type != KQL_DYNAMIC) {
        kql_error_set(b->err, &idx->loc, "an index must be a number or a string, got %s", tname(i->type));
        return NULL;
    }
    bexpr *e = new_bexpr(b, BX_INDEX, KQL_DYNAMIC, n, 2);
    e->args[0] = base;
    e->args[1] = i;
    return e;
}

/* Whether a call has an allowed number of arguments; else the error shows
 * the signature ("round() takes 1 to 2 arguments, got 0: round(...)"). */
static bool arity_fits(binder *b, const ast_node *n, const char *name, int min, int max, size_t got,
                       const char *signature)
{
    if ((int)got >= min && (max < 0 || (int)got <= max)) return true;
    char want[64];
    if (max < 0) snprintf(want, sizeof want, "at least %d", min);
    else if (min == max) snprintf(want, sizeof want, "%d", min);
    else snprintf(want, sizeof want, "%d to %d", min, max);
    kql_error_set(b->err, &n->loc, "%s() takes %s argument%s, got %zu: %s", name, want,
                  min == 1 && max == 1 ? "" : "s", got, signature);
    return false;
}

static void suggest_fn(const char *name, void *arg) { kql_suggest_offer(arg, name); }

static bexpr *bind_call(binder *b, const ast_node *n, const plan_schema *in)
{
    const char *name = n->text;
    if (bind_function_claims(b, name)) return bind_function_scalar(b, n, in);
    if (bind_window_claims(name)) return bind_window(b, n, in);
    if (strcmp(name, "toscalar") == 0) return bind_toscalar(b, n);
    if (strcmp(name, "column_names_of") == 0) return bind_column_names_of(b, n);
    if (strcmp(name, "not") == 0 && n->nkids == 1) {
        ast_node fake = *n;
        fake.kind = AST_UNARY;
        fake.op = AST_OP_NOT;
        return bind_unary(b, &fake, in);
    }
    if (kql_aggregate_find(name) && b->agg_plan) return bind_nested_aggregate(b, n);
    if (kql_aggregate_find(name)) {
        kql_error_set(b->err, &n->loc, "aggregate function '%s' can only be used in summarize", name);
        return NULL;
    }
    const kql_function *fn = kql_function_find(name);
    if (!fn) {
        kql_suggest s;
        kql_suggest_init(&s, name);
        kql_function_each_name(suggest_fn, &s);
        kql_aggregate_each_name(suggest_fn, &s);
        const char *best = kql_suggest_best(&s);
        if (best)
            kql_error_set(b->err, &n->loc, "unknown function '%s' (did you mean '%s'?)", name, best);
        else
            kql_error_set(b->err, &n->loc, "function '%s' is not supported yet", name);
        return NULL;
    }
    if (!arity_fits(b, n, name, fn->min_args, fn->max_args, n->nkids, fn->signature))
        return NULL;
    bexpr *e = new_bexpr(b, BX_CALL, KQL_TYPE_UNKNOWN, n, n->nkids);
    e->fn = fn;
    kql_type types[64];
    if (n->nkids > 64) {
        kql_error_set(b->err, &n->loc, "%s(): too many arguments", name);
        return NULL;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        if (n->kids[i]->kind == AST_ASSIGN) {
            kql_error_set(b->err, &n->kids[i]->loc, "named arguments are not supported yet");
            return NULL;
        }
        e->args[i] = bind_expr(b, n->kids[i], in);
        if (!e->args[i]) return NULL;
        types[i] = e->args[i]->type;
    }
    char msg[512] = "";
    e->type = fn->result_type(types, n->nkids, msg, sizeof msg);
    if (e->type == KQL_TYPE_UNKNOWN) {
        kql_error_set(b->err, &n->loc, "%s (%s)", msg[0] ? msg : "argument types do not fit", fn->signature);
        return NULL;
    }
    return e;
}

bexpr *bind_expr(binder *b, const ast_node *n, const plan_schema *in)
{
    switch (n->kind) {
    case AST_LITERAL: return bind_literal(b, n);
    case AST_NAME: return bind_name(b, n, in);
    case AST_UNARY: return bind_unary(b, n, in);
    case AST_BINARY: return bind_binary(b, n, in);
    case AST_IN: return bind_in(b, n, in);
    case AST_BETWEEN: return bind_between(b, n, in);
    case AST_CALL: return bind_call(b, n, in);
    case AST_MEMBER: return bind_member(b, n, n->kids[0], n->text, strlen(n->text), in);
    case AST_INDEX: return bind_index(b, n, in);
    case AST_LIST:
        if (n->nkids == 1) return bind_expr(b, n->kids[0], in);
        break;
    case AST_SUBQUERY:
    case AST_PIPE:
        kql_error_set(b->err, &n->loc, "a tabular expression cannot be used as a scalar value (use toscalar())");
        return NULL;
    case AST_TYPEOF: {   /* typeof(long) as an argument (extract(..., typeof(long))): a typed null */
        kql_type t = n->op == AST_TYPE_TABLE ? KQL_TYPE_UNKNOWN : kql_type_from_name(ast_type_name((ast_type)n->op));
        if (t == KQL_TYPE_UNKNOWN || t == KQL_DECIMAL) {
            kql_error_set(b->err, &n->loc, "typeof(%s) is not supported here", ast_type_name((ast_type)n->op));
            return NULL;
        }
        bexpr *e = new_bexpr(b, BX_CONST, t, n, 0);
        e->constant = t == KQL_STRING ? kql_string("", 0) : kql_null(t);
        return e;
    }
    case AST_ASSIGN:
        kql_error_set(b->err, &n->loc, "an assignment is not allowed here");
        return NULL;
    case AST_STAR:
        kql_error_set(b->err, &n->loc, "'*' is not allowed here");
        return NULL;
    default:
        break;
    }
    kql_error_set(b->err, &n->loc, "this kind of expression (%s) is not supported yet", ast_kind_name(n->kind));
    return NULL;
}

/* ---- aggregates ---- */

bool bind_aggregate(binder *b, const ast_node *n, const plan_schema *in, plan_aggregate *out)
{
    if (n->kind != AST_CALL) {
        kql_error_set(b->err, &n->loc, "summarize expects an aggregate function call such as count() or dcount(x)");
        return false;
    }
    const kql_aggregate *agg = kql_aggregate_find(n->text);
    if (!agg) {
        if (kql_function_find(n->text)) {
            kql_error_set(b->err, &n->loc,
                          "'%s' is not an aggregate function",
                          n->text);
            return false;
        }
        kql_suggest s;
        kql_suggest_init(&s, n->text);
        kql_aggregate_each_name(suggest_fn, &s);
        const char *best = kql_suggest_best(&s);
        if (best)
            kql_error_set(b->err, &n->loc, "unknown aggregate function '%s' (did you mean '%s'?)", n->text, best);
        else
            kql_error_set(b->err, &n->loc, "aggregate function '%s' is not supported yet", n->text);
        return false;
    }
    size_t nargs = n->nkids;
    if (agg->min_args == 0 && nargs == 1 && n->kids[0]->kind == AST_STAR) nargs = 0;  /* count(*) */
    if (!arity_fits(b, n, agg->name, agg->min_args, agg->max_args, nargs, agg->signature))
        return false;
    out->agg = agg;
    out->nargs = nargs;
    out->args = nargs ? bind_alloc(b, nargs * sizeof *out->args) : NULL;
    kql_type types[16];
    for (size_t i = 0; i < nargs && i < 16; i++) {
        out->args[i] = bind_expr(b, n->kids[i], in);
        if (!out->args[i]) return false;
        types[i] = out->args[i]->type;
    }
    char msg[512] = "";
    out->type = agg->result_type(types, nargs, msg, sizeof msg);
    if (out->type == KQL_TYPE_UNKNOWN) {
        kql_error_set(b->err, &n->loc, "%s (%s)", msg[0] ? msg : "argument types do not fit", agg->signature);
        return false;
    }
    return true;
}

/* ---- column names ---- */

/* Functions whose unnamed result keeps the name of their first argument
 * (Kusto's analyzer: `extend toint(b)` replaces b, `extend round(r, 2)` replaces r). */
static const char *const name_transparent[] = {
    "tostring", "toint", "tolong", "toreal", "todouble", "tobool", "toboolean", "todatetime",
    "totimespan", "totime", "toguid", "todynamic", "parse_json", "todecimal", "round", "bin",
    "floor", "abs", NULL
};
/* Functions that prefix their name: strlen(a) -> strlen_a. */
static const char *const name_prefixing[] = { "strlen", NULL };

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0) return true;
    return false;
}

const char *bind_derive_name(binder *b, const ast_node *n)
{
    char buf[1024];
    switch (n->kind) {
    case AST_NAME:
        return n->text;
    case AST_MEMBER: {
        const char *base = bind_derive_name(b, n->kids[0]);
        if (!base) return NULL;
        snprintf(buf, sizeof buf, "%s_%s", base, n->text);
        return bind_strdup(b, buf);
    }
    case AST_INDEX: {
        const char *base = bind_derive_name(b, n->kids[0]);
        const ast_node *idx = n->kids[1];
        if (!base || idx->kind != AST_LITERAL) return NULL;
        if (idx->op != AST_LIT_STRING && idx->op != AST_LIT_LONG && idx->op != AST_LIT_INT) return NULL;
        snprintf(buf, sizeof buf, "%s_%s", base, idx->text);
        return bind_strdup(b, buf);
    }
    case AST_CALL: {
        if (n->nkids == 0) return NULL;
        const char *inner = bind_derive_name(b, n->kids[0]);
        if (!inner) return NULL;
        if (in_list(name_transparent, n->text)) return inner;
        if (in_list(name_prefixing, n->text)) {
            snprintf(buf, sizeof buf, "%s_%s", n->text, inner);
            return bind_strdup(b, buf);
        }
        return NULL;
    }
    default:
        return NULL;
    }
}

const char *bind_aggregate_name(binder *b, const ast_node *call, const kql_aggregate *agg)
{
    char buf[1024];
    const char *arg = NULL;
    if (call->nkids > 0 && call->kids[0]->kind != AST_STAR) {
        const ast_node *a = call->kids[0];
        if (a->kind == AST_NAME || a->kind == AST_MEMBER || a->kind == AST_INDEX) arg = bind_derive_name(b, a);
    }
    if (agg->column_prefix[0] == '\0')    /* take_any(x) keeps the name x */
        snprintf(buf, sizeof buf, "%s", arg ? arg : agg->name);
    else
        snprintf(buf, sizeof buf, "%s_%s", agg->column_prefix, arg ? arg : "");
    return bind_strdup(b, buf);
}

/* ---- constant folding ---- */

bool bind_fold_constant(binder *b, bexpr *e, kql_value *out)
{
    kql_table *one = kql_table_new(NULL);
    one->nrows = 1;
    eval_ctx ctx = { .now = b->query->now };
    kql_column *c = eval_expr(&ctx, e, one);
    kql_value v = kql_column_get(c, 0);
    if (!v.is_null && (v.type == KQL_STRING || v.type == KQL_DYNAMIC)) {
        v.u.s.ptr = kql_arena_dup(b->arena, v.u.s.ptr, v.u.s.len);
    }
    *out = v;
    kql_column_release(c);
    kql_table_free(one);
    return true;
}
