/* bind_multi.c - summarize aggregates that give several columns, or name
 * their column after more than their first argument:
 *
 *   arg_max(e, c1, c2) / arg_min(...)  -> e, c1, c2: one arg_max(e, cN) per
 *       column (the value of cN on the row where e is largest); `*` is every
 *       input column but the group keys and the columns already named
 *       (NOTES §3: `arg_max(Version, *) by Fruit` gives Fruit, Version, Color);
 *   percentile(x, 50)                  -> percentile_x_50
 *   percentiles(x, 50, 99.9)           -> percentile_x_50, percentile_x_99_9:
 *       one percentile(x, pN) per column (percentilew / percentilesw alike).
 *
 * Names follow Kusto's analyzer: an unnamed expression gives max_ / min_
 * (arg_max(b+1, s) -> max_, s) and percentile__50; `(m, n) = arg_max(b, s)`
 * names the columns in order, `m = ...` only the first.
 */
#include <stdio.h>
#include <string.h>

#include "bind.h"

static bool multi_is_arg(const char *name)
{
    return strcmp(name, "arg_max") == 0 || strcmp(name, "arg_min") == 0;
}

/* The percentile aggregates and where their percentages start. */
static size_t multi_percent_at(const char *name)
{
    if (strcmp(name, "percentile") == 0 || strcmp(name, "percentiles") == 0) return 1;
    if (strcmp(name, "percentilew") == 0 || strcmp(name, "percentilesw") == 0) return 2;
    return 0;
}

size_t bind_multi_width(const ast_node *call, const plan_schema *in)
{
    if (call->kind != AST_CALL || !call->text) return 0;
    if (multi_is_arg(call->text)) return call->nkids + (in ? in->ncols : 0);
    return multi_percent_at(call->text) ? call->nkids : 0;
}

static bool multi_name_taken(const char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return true;
    return false;
}

/* One plan aggregate `agg(args[0], value)` (arg_max) or `agg(args.., p)`. */
static bool multi_add(binder *b, const ast_node *call, const kql_aggregate *agg, bexpr **args, size_t nargs,
                      plan_aggregate *out)
{
    kql_type types[3];
    for (size_t i = 0; i < nargs; i++) types[i] = args[i]->type;
    char msg[512] = "";
    out->agg = agg;
    out->args = args;
    out->nargs = nargs;
    out->type = agg->result_type(types, nargs, msg, sizeof msg);
    if (out->type == KQL_TYPE_UNKNOWN) {
        kql_error_set(b->err, &call->loc, "%s (%s)", msg[0] ? msg : "argument types do not fit", agg->signature);
        return false;
    }
    return true;
}

static bexpr **multi_args(binder *b, bexpr *x, bexpr *y, bexpr *z)
{
    bexpr **a = bind_alloc(b, 3 * sizeof *a);
    a[0] = x;
    a[1] = y;
    a[2] = z;
    return a;
}

static bool multi_arg_extreme(binder *b, const ast_node *call, const char *first_name, const plan_schema *in,
                              bexpr *const *keys, size_t nkeys, plan_aggregate *aggs, size_t *naggs,
                              const char **names)
{
    const kql_aggregate *agg = kql_aggregate_find(call->text);
    bool is_max = strcmp(call->text, "arg_max") == 0;
    if (call->nkids < 2 || call->kids[0]->kind == AST_STAR) {
        kql_error_set(b->err, &call->loc, "%s() takes the expression to %s and the columns to return: %s",
                      call->text, is_max ? "maximize" : "minimize", agg->signature);
        return false;
    }
    bexpr *key = bind_expr(b, call->kids[0], in);
    if (!key) return false;
    if (!first_name) first_name = bind_derive_name(b, call->kids[0]);
    if (!first_name) first_name = is_max ? "max_" : "min_";
    if (!multi_add(b, call, agg, multi_args(b, key, key, NULL), 2, &aggs[*naggs])) return false;
    names[(*naggs)++] = first_name;
    /* Columns a `*` leaves out: the group keys that are input columns. */
    bool *skip = bind_alloc(b, in->ncols + 1);
    bool *starred = bind_alloc(b, in->ncols + 1);   /* returned by a `*` */
    for (size_t k = 0; k < nkeys; k++)
        if (keys[k]->kind == BX_COLUMN) skip[keys[k]->column] = true;
    for (size_t i = 1; i < call->nkids; i++) {
        const ast_node *arg = call->kids[i];
        if (arg->kind == AST_STAR) {
            for (size_t c = 0; c < in->ncols; c++) {
                if (skip[c] || in->hidden[c] || multi_name_taken(names, *naggs, in->names[c]))
                    continue;
                bexpr *col = bind_alloc(b, sizeof *col);
                col->kind = BX_COLUMN;
                col->type = in->types[c];
                col->column = (int)c;
                col->loc = arg->loc;
                if (!multi_add(b, call, agg, multi_args(b, key, col, NULL), 2, &aggs[*naggs])) return false;
                names[(*naggs)++] = in->names[c];
                skip[c] = starred[c] = true;
            }
            continue;
        }
        bexpr *e = bind_expr(b, arg, in);
        if (!e) return false;
        if (e->kind == BX_COLUMN && starred[e->column])
            continue;   /* `arg_max(b, *, s)` returns s once */
        const char *name = bind_derive_name(b, arg);
        if (!name) {
            kql_error_set(b->err, &arg->loc, "%s(): name this expression (Name = ...) to return it", call->text);
            return false;
        }
        if (!multi_add(b, call, agg, multi_args(b, key, e, NULL), 2, &aggs[*naggs])) return false;
        names[(*naggs)++] = name;
    }
    return true;
}

/* percentile_x_99_9: the percentage as written, '.' as '_'. */
static const char *multi_percent_name(binder *b, const char *base, const ast_node *p)
{
    char buf[1024];
    const char *text = p->kind == AST_LITERAL && p->text ? p->text : "";
    int n = snprintf(buf, sizeof buf, "percentile_%s_%s", base ? base : "", text);
    for (int i = 0; i < n && i < (int)sizeof buf; i++)
        if (buf[i] == '.' || buf[i] == '-' || buf[i] == '+') buf[i] = '_';
    return bind_strdup(b, buf);
}

static bool multi_percentiles(binder *b, const ast_node *call, const char *const *given, size_t ngiven,
                              const plan_schema *in, plan_aggregate *aggs, size_t *naggs, const char **names)
{
    size_t at = multi_percent_at(call->text);
    bool weighted = at == 2;
    const kql_aggregate *agg = kql_aggregate_find(weighted ? "percentilew" : "percentile");
    if (call->nkids < at + 1) {
        kql_error_set(b->err, &call->loc, "%s() needs at least one percentage: %s", call->text,
                      kql_aggregate_find(call->text)->signature);
        return false;
    }
    if ((strcmp(call->text, "percentile") == 0 || strcmp(call->text, "percentilew") == 0) && call->nkids != at + 1) {
        kql_error_set(b->err, &call->loc, "%s() takes one percentage; use %ss() for several", call->text,
                      call->text);
        return false;
    }
    bexpr *x = bind_expr(b, call->kids[0], in);
    if (!x) return false;
    bexpr *w = NULL;
    if (weighted && !(w = bind_expr(b, call->kids[1], in))) return false;
    const char *base = bind_derive_name(b, call->kids[0]);
    for (size_t i = at; i < call->nkids; i++) {
        const ast_node *pn = call->kids[i];
        bexpr *p = bind_expr(b, pn, NULL);
        if (!p) return false;
        bexpr **args = weighted ? multi_args(b, x, w, p) : multi_args(b, x, p, NULL);
        if (!multi_add(b, call, agg, args, weighted ? 3 : 2, &aggs[*naggs])) return false;
        size_t k = i - at;
        names[(*naggs)++] = k < ngiven ? given[k] : multi_percent_name(b, base, pn);
    }
    return true;
}

bool bind_multi_aggregate(binder *b, const ast_node *item, const plan_schema *in, bexpr *const *keys,
                          size_t nkeys, plan_aggregate *aggs, size_t *naggs, const char **names)
{
    const ast_node *call = item->kind == AST_ASSIGN ? item->kids[1] : item;
    const char *given[64];
    size_t ngiven = 0;
    if (item->kind == AST_ASSIGN) {
        const ast_node *lhs = item->kids[0];
        if (lhs->kind == AST_NAME) {
            given[ngiven++] = lhs->text;
        } else {
            for (size_t i = 0; i < lhs->nkids && ngiven < 64; i++) {
                if (lhs->kids[i]->kind != AST_NAME) {
                    kql_error_set(b->err, &lhs->kids[i]->loc, "expected a column name");
                    return false;
                }
                given[ngiven++] = lhs->kids[i]->text;
            }
        }
    }
    size_t count = 0;   /* the inner functions fill aggs[*naggs + 0..count) and names[0..count) */
    bool ok = multi_is_arg(call->text)
                  ? multi_arg_extreme(b, call, ngiven ? given[0] : NULL, in, keys, nkeys, aggs + *naggs, &count, names)
                  : multi_percentiles(b, call, given, ngiven, in, aggs + *naggs, &count, names);
    if (!ok) return false;
    if (ngiven > count) {
        kql_error_set(b->err, &item->loc, "%zu names for the %zu columns of %s()", ngiven, count, call->text);
        return false;
    }
    for (size_t i = 1; i < ngiven; i++) names[i] = given[i];   /* (m, n) = arg_max(b, s) */
    *naggs += count;
    return true;
}
