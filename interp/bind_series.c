/* bind_series.c - binding make-series (series_plan.h):
 *
 *   make-series [Name =] Agg [default = v], ... on Axis from a to b step s [by keys]
 *
 * Output names follow Kusto's analyzer: the keys, then each aggregate
 * (count_, avg_metric or its given name), then the axis column under its
 * own name. from, to and step are constants, so the number of bins is known
 * here and bounded (SERIES_MAX_BINS). Refused by name: a missing from or to
 * (Kusto then takes each series' own first and last bins), the older
 * `in range(...)` form and kind=nonempty.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "series_plan.h"
#include "bind.h"

static bool series_constant(binder *b, const ast_node *clause, kql_value *out)
{
    bexpr *e = bind_expr(b, clause->kids[0], NULL);
    if (!e) return false;
    bind_fold_constant(b, e, out);
    if (out->is_null) {
        kql_error_set(b->err, &clause->loc, "make-series: '%s' must not be null", clause->text);
        return false;
    }
    return true;
}

static bool is_whole(kql_type t) { return t == KQL_INT || t == KQL_LONG; }
static double as_double(const kql_value *v) { return v->type == KQL_REAL ? v->u.r : (double)v->u.i; }

/* Checks the types of from, to and step against the axis and counts the bins. */
static bool series_bins(binder *b, const ast_node *n, plan_series *s, kql_value to)
{
    kql_type a = s->axis->type, tf = s->from.type, tt = to.type, ts = s->step.type;
    bool temporal = a == KQL_DATETIME || a == KQL_TIMESPAN;
    bool numeric = (is_whole(a) || a == KQL_REAL) && (is_whole(tf) || tf == KQL_REAL) &&
                   (is_whole(tt) || tt == KQL_REAL) && (is_whole(ts) || ts == KQL_REAL);
    if (!(temporal && tf == a && tt == a && ts == KQL_TIMESPAN) && !numeric) {
        kql_error_set(b->err, &n->loc, "make-series: an axis of %s cannot run from %s to %s step %s",
                      kql_type_name(a), kql_type_name(tf), kql_type_name(tt), kql_type_name(ts));
        return false;
    }
    s->real_axis = numeric && (a == KQL_REAL || tf == KQL_REAL || tt == KQL_REAL || ts == KQL_REAL);
    double bins;
    if (s->real_axis) {
        s->from = kql_real(as_double(&s->from));
        to = kql_real(as_double(&to));
        s->step = kql_real(as_double(&s->step));
        double span = as_double(&to) - s->from.u.r;
        if (!isfinite(span)) {
            kql_error_set(b->err, &n->loc, "make-series: from and to must be finite numbers");
            return false;
        }
        bins = s->step.u.r > 0 ? (span > 0 ? ceil(span / s->step.u.r) : 0) : -1;
    } else {
        uint64_t span = to.u.i > s->from.u.i ? (uint64_t)to.u.i - (uint64_t)s->from.u.i : 0;
        uint64_t step = s->step.u.i > 0 ? (uint64_t)s->step.u.i : 0;
        bins = step ? (double)(span / step + (span % step != 0)) : -1;
    }
    if (bins < 0) {
        kql_error_set(b->err, &n->loc, "make-series: step must be greater than zero");
        return false;
    }
    if (bins > SERIES_MAX_BINS) {
        kql_error_set(b->err, &n->loc, "make-series: from, to and step make more than %d bins, the most a series holds",
                      SERIES_MAX_BINS);
        return false;
    }
    s->nbins = (size_t)bins;
    s->to = to;
    return true;
}

/* One `[Name =] Agg [default = v]` item. */
static bool series_aggregate(binder *b, const ast_node *item, const plan *in, plan_series *s, plan_schema *out)
{
    const ast_node *x = item->kind == AST_LIST ? item->kids[0] : item;
    const ast_node *dflt = item->kind == AST_LIST && item->nkids > 1 ? item->kids[1] : NULL;
    const char *name = NULL;
    if (x->kind == AST_ASSIGN) {
        if (x->kids[0]->kind != AST_NAME) {
            kql_error_set(b->err, &x->loc, "make-series: an aggregate makes one column");
            return false;
        }
        name = x->kids[0]->text;
        x = x->kids[1];
    }
    plan_aggregate *pa = &s->aggs[s->naggs];
    if (!bind_aggregate(b, x, &in->schema, pa)) return false;
    if (pa->type != KQL_INT && pa->type != KQL_LONG && pa->type != KQL_REAL) {
        kql_error_set(b->err, &x->loc, "make-series: %s() gives %s; only aggregates that give numbers make a series",
                      pa->agg->name, kql_type_name(pa->type));
        return false;
    }
    kql_value v = kql_long(0);   /* Kusto's default for empty bins; a null such as double(null) is allowed */
    if (dflt) {
        bexpr *e = bind_expr(b, dflt->kids[0], NULL);
        if (!e) return false;
        bind_fold_constant(b, e, &v);
    }
    if (pa->type == KQL_REAL && is_whole(v.type) && !v.is_null) v = kql_real((double)v.u.i);
    s->defaults[s->naggs++] = v;
    bind_schema_add_unique(b, out, name ? name : bind_aggregate_name(b, x, pa->agg), KQL_DYNAMIC);
    return true;
}

static bool series_option(binder *b, const ast_node *opt)
{
    if (strncmp(opt->text, "hint.", 5) == 0) return true;   /* hints do not change results */
    kql_error_set(b->err, &opt->loc, "make-series option '%s' is not supported yet", opt->text);
    return false;
}

plan *bind_make_series(binder *b, plan *in, const ast_node *n)
{
    const ast_node *aggs = NULL, *on = NULL, *from = NULL, *to = NULL, *step = NULL, *by = NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) {
            if (!series_option(b, k)) return NULL;
        } else if (k->kind == AST_LIST && !aggs) {
            aggs = k;
        } else if (k->kind == AST_CLAUSE) {
            const char *t = k->text;
            if (strcmp(t, "on") == 0) on = k;
            else if (strcmp(t, "from") == 0) from = k;
            else if (strcmp(t, "to") == 0) to = k;
            else if (strcmp(t, "step") == 0) step = k;
            else if (strcmp(t, "by") == 0) by = k;
            else {
                kql_error_set(b->err, &k->loc, "make-series ... %s is not supported yet (use from, to and step)", t);
                return NULL;
            }
        }
    }
    if (!aggs || aggs->nkids == 0 || !on || on->nkids != 1 || !step) {
        kql_error_set(b->err, &n->loc, "make-series needs aggregates, on Axis and step");
        return NULL;
    }
    if (!from || !to) {
        kql_error_set(b->err, &n->loc, "make-series without both 'from' and 'to' is not supported yet");
        return NULL;
    }
    plan_series *s = bind_alloc(b, sizeof *s);
    size_t nkeys = by ? by->nkids : 0;
    plan *p = bind_new_plan(b, PLAN_MAKE_SERIES, in, n);
    p->series = s;
    bind_schema_alloc(b, &p->schema, nkeys + aggs->nkids + 1);
    p->schema.ncols = 0;

    s->keys = bind_alloc(b, (nkeys ? nkeys : 1) * sizeof *s->keys);
    int counter = 0;
    for (size_t i = 0; i < nkeys; i++) {
        const char *name;
        bexpr *e = bind_group_key(b, by->kids[i], &in->schema, "make-series", &name);
        if (!e) return NULL;
        char buf[32];
        while (!name) {
            snprintf(buf, sizeof buf, "Column%d", ++counter);
            if (bind_schema_find(&p->schema, buf) < 0) name = bind_strdup(b, buf);
        }
        s->keys[s->nkeys++] = e;
        bind_schema_add_unique(b, &p->schema, name, e->type);
    }

    s->aggs = bind_alloc(b, aggs->nkids * sizeof *s->aggs);
    s->defaults = bind_alloc(b, aggs->nkids * sizeof *s->defaults);
    for (size_t i = 0; i < aggs->nkids; i++)
        if (!series_aggregate(b, aggs->kids[i], in, s, &p->schema)) return NULL;

    const ast_node *axis = on->kids[0];
    s->axis = bind_expr(b, axis, &in->schema);
    if (!s->axis) return NULL;
    kql_value to_v;
    if (!series_constant(b, from, &s->from) || !series_constant(b, to, &to_v) || !series_constant(b, step, &s->step) ||
        !series_bins(b, n, s, to_v))
        return NULL;
    const char *axis_name = bind_derive_name(b, axis);
    if (!axis_name) {
        kql_error_set(b->err, &axis->loc, "make-series: the axis must be a column");
        return NULL;
    }
    bind_schema_add_unique(b, &p->schema, axis_name, KQL_DYNAMIC);
    return p;
}
