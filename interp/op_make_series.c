/* op_make_series.c - make-series (series_plan.h).
 *
 * Each row whose axis value falls in [from, to) gets a bin; those rows are
 * sorted by their group keys, and each group in turn runs every aggregate
 * once per bin (the registry's state machines of aggregates.h, so a bin
 * aggregates exactly as summarize would), then writes one dynamic array per
 * aggregate, with the default in bins no row reached. Sorting, rather than
 * hashing, keeps only one group's bin states alive at a time. Groups with
 * no row in range make no row, as in Kusto (empty input: empty output).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic.h"
#include "exec.h"
#include "series_plan.h"

/* The bin of axis value v, or SIZE_MAX outside [from, to). */
static size_t series_bin(const plan_series *s, const kql_value *v)
{
    if (v->is_null) return SIZE_MAX;
    if (s->real_axis) {
        double x = v->type == KQL_REAL ? v->u.r : (double)v->u.i;
        if (!(x >= s->from.u.r && x < s->to.u.r)) return SIZE_MAX;   /* NaN too */
        double k = floor((x - s->from.u.r) / s->step.u.r);
        return k < (double)s->nbins ? (size_t)k : SIZE_MAX;
    }
    if (v->u.i < s->from.u.i || v->u.i >= s->to.u.i) return SIZE_MAX;
    uint64_t k = ((uint64_t)v->u.i - (uint64_t)s->from.u.i) / (uint64_t)s->step.u.i;
    return k < s->nbins ? (size_t)k : SIZE_MAX;
}

/* One aggregate over the bins of the current group. */
typedef struct series_agg {
    const plan_aggregate *pa;
    kql_value dflt;
    kql_column **args;        /* evaluated arguments */
    kql_type argtypes[16];
    char *states;             /* nbins states */
    bool *touched;            /* bins some row reached (their state is initialized) */
    kql_column *out;
} series_agg;

/* Runs the rows rows[0..n) of one group, appends its array to a->out. */
static void series_group(series_agg *a, const plan_series *s, const size_t *rows, const size_t *bins, size_t n,
                         kql_fn_ctx *fctx, kql_buf *buf)
{
    const kql_aggregate *agg = a->pa->agg;
    size_t sz = agg->state_size, na = a->pa->nargs < 16 ? a->pa->nargs : 16;
    memset(a->touched, 0, s->nbins);
    kql_value vals[16];
    for (size_t i = 0; i < n; i++) {
        void *st = a->states + bins[rows[i]] * sz;
        if (!a->touched[bins[rows[i]]]) {
            memset(st, 0, sz);
            agg->init(st, a->argtypes, a->pa->nargs);
            a->touched[bins[rows[i]]] = true;
        }
        for (size_t k = 0; k < na; k++) vals[k] = kql_column_get(a->args[k], rows[i]);
        agg->add(st, vals, na);
    }
    kql_buf_clear(buf);
    size_t mark = kql_dyn_begin_array(buf);
    for (size_t bin = 0; bin < s->nbins; bin++) {
        if (!a->touched[bin]) {
            kql_dyn_put_value(buf, &a->dflt);
            continue;
        }
        kql_value v = kql_null(a->pa->type);
        agg->finish(a->states + bin * sz, fctx, &v);
        kql_dyn_put_value(buf, &v);
        if (agg->destroy) agg->destroy(a->states + bin * sz);
    }
    kql_dyn_end(buf, mark, (uint32_t)s->nbins);
    kql_value d = { .type = KQL_DYNAMIC };
    d.u.s.ptr = buf->data;
    d.u.s.len = (uint32_t)buf->len;
    kql_column_push(a->out, &d);
}

/* The axis array: the start of every bin. */
static kql_column *series_axis(const plan_series *s, size_t nrows, kql_buf *buf)
{
    kql_buf_clear(buf);
    size_t mark = kql_dyn_begin_array(buf);
    for (size_t bin = 0; bin < s->nbins; bin++) {
        kql_value v;
        if (s->real_axis) v = kql_real(s->from.u.r + (double)bin * s->step.u.r);
        else {
            v = s->from;
            v.u.i = (int64_t)((uint64_t)s->from.u.i + (uint64_t)bin * (uint64_t)s->step.u.i);
            if (v.type == KQL_INT) v.type = KQL_LONG;
        }
        kql_dyn_put_value(buf, &v);
    }
    kql_dyn_end(buf, mark, (uint32_t)s->nbins);
    kql_value d = { .type = KQL_DYNAMIC };
    d.u.s.ptr = buf->data;
    d.u.s.len = (uint32_t)buf->len;
    return kql_column_repeat(&d, KQL_DYNAMIC, nrows);
}

/* The output over the sorted in-range rows[0..m) whose groups start at
 * first[0..ngroups) (first is overwritten with a row of each group). */
static kql_table *series_build(exec_ctx *x, const plan *p, const kql_table *in, kql_column *const *keys,
                               const size_t *rows, const size_t *bins, size_t m, size_t *first, size_t ngroups)
{
    const plan_series *s = p->series;
    series_agg *aggs = calloc(s->naggs, sizeof *aggs);   /* freed below, with their parts */
    for (size_t i = 0; i < s->naggs; i++) {
        series_agg *a = &aggs[i];
        a->pa = &s->aggs[i];
        a->dflt = s->defaults[i];
        a->args = calloc(a->pa->nargs ? a->pa->nargs : 1, sizeof *a->args);
        for (size_t k = 0; k < a->pa->nargs; k++) {
            a->args[k] = eval_expr(&x->eval, a->pa->args[k], in);
            if (k < 16) a->argtypes[k] = a->pa->args[k]->type;
        }
        a->states = malloc(s->nbins * a->pa->agg->state_size + 1);
        a->touched = malloc(s->nbins + 1);
        a->out = kql_column_new(KQL_DYNAMIC, ngroups);
    }
    kql_arena *arena = kql_arena_new();   /* what finish may write; released below */
    kql_fn_ctx fctx = { .arena = arena, .now = x->eval.now };
    kql_buf_init(&fctx.scratch);
    kql_buf buf;
    kql_buf_init(&buf);
    for (size_t g = 0; g < ngroups; g++) {
        size_t at = first[g], end = g + 1 < ngroups ? first[g + 1] : m;
        for (size_t i = 0; i < s->naggs; i++) series_group(&aggs[i], s, rows + at, bins, end - at, &fctx, &buf);
        first[g] = rows[at];
    }

    kql_table *out = kql_table_new(NULL);
    size_t col = 0;
    for (size_t k = 0; k < s->nkeys; k++, col++)
        kql_table_add(out, p->schema.names[col], kql_column_gather(keys[k], first, ngroups));
    for (size_t i = 0; i < s->naggs; i++, col++) {
        kql_table_add(out, p->schema.names[col], aggs[i].out);
        for (size_t k = 0; k < aggs[i].pa->nargs; k++) kql_column_release(aggs[i].args[k]);
        free(aggs[i].args);
        free(aggs[i].states);
        free(aggs[i].touched);
    }
    kql_table_add(out, p->schema.names[col], series_axis(s, ngroups, &buf));
    out->nrows = ngroups;
    free(aggs);
    kql_buf_free(&buf);
    kql_buf_free(&fctx.scratch);
    kql_arena_release(arena);
    return out;
}

kql_table *op_make_series(exec_ctx *x, const plan *p, kql_table *in)
{
    const plan_series *s = p->series;
    size_t n = in->nrows, m = 0;
    kql_column *axis = eval_expr(&x->eval, s->axis, in);
    size_t *bins = malloc((n ? n : 1) * sizeof *bins);   /* the three freed below */
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    for (size_t r = 0; r < n; r++) {
        kql_value v = kql_column_get(axis, r);
        bins[r] = series_bin(s, &v);
        if (bins[r] != SIZE_MAX) rows[m++] = r;
    }
    kql_column_release(axis);
    kql_column **keys = calloc(s->nkeys ? s->nkeys : 1, sizeof *keys);   /* freed below */
    for (size_t k = 0; k < s->nkeys; k++) keys[k] = eval_expr(&x->eval, s->keys[k], in);
    exec_sort_key *order = calloc(s->nkeys ? s->nkeys : 1, sizeof *order);   /* freed below */
    for (size_t k = 0; k < s->nkeys; k++) order[k] = (exec_sort_key){ keys[k], true, true };
    exec_sort_rows(rows, tmp, m, order, s->nkeys);

    size_t ngroups = 0;   /* tmp now holds each group's first position in rows */
    for (size_t i = 0; i < m; i++)
        if (i == 0 || exec_compare_rows(order, s->nkeys, rows[i - 1], rows[i]) != 0) tmp[ngroups++] = i;
    kql_table *out = NULL;
    size_t per_group = s->nbins * s->naggs;
    if (per_group && ngroups > SERIES_MAX_VALUES / per_group)
        kql_error_set(x->err, &p->loc, "make-series would make %zu series of %zu values; kql makes at most %d values",
                      ngroups * s->naggs, s->nbins, SERIES_MAX_VALUES);
    else
        out = series_build(x, p, in, keys, rows, bins, m, tmp, ngroups);
    for (size_t k = 0; k < s->nkeys; k++) kql_column_release(keys[k]);
    free(order);
    free(keys);
    free(bins);
    free(rows);
    free(tmp);
    kql_table_free(in);
    return out;
}
