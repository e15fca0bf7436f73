/* op_summarize.c - summarize (and distinct): group rows by key values in a
 * hash table, feed each row to its group's aggregate states, then emit one
 * row per group: the keys first, then the aggregates in order.
 *
 * Without `by`, there is exactly one group, even over no rows (Kusto returns
 * count() = 0 for an empty table); with `by`, no rows give no groups.
 */
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "exec.h"

typedef struct group_table {
    size_t *slots;       /* group index + 1; 0 = empty */
    size_t nslots;
    uint64_t *hashes;    /* per group */
    size_t *first_row;   /* per group: a row holding its key values */
    size_t ngroups, cap;
} group_table;

static uint64_t row_hash(kql_column *const *keys, size_t nkeys, size_t row)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t k = 0; k < nkeys; k++) {
        kql_value v = kql_column_get(keys[k], row);
        h = (h ^ kql_value_hash(&v)) * 0x100000001b3ULL;
    }
    return h;
}

static bool rows_equal(kql_column *const *keys, size_t nkeys, size_t a, size_t b)
{
    for (size_t k = 0; k < nkeys; k++) {
        kql_value va = kql_column_get(keys[k], a), vb = kql_column_get(keys[k], b);
        if (!kql_value_equal(&va, &vb)) return false;
    }
    return true;
}

static void grow_slots(group_table *g)
{
    size_t n = g->nslots ? g->nslots * 2 : 64;
    free(g->slots);
    g->slots = calloc(n, sizeof *g->slots);
    g->nslots = n;
    for (size_t i = 0; i < g->ngroups; i++) {
        size_t s = g->hashes[i] & (n - 1);
        while (g->slots[s]) s = (s + 1) & (n - 1);
        g->slots[s] = i + 1;
    }
}

/* The group of `row`, adding it when new (*is_new tells). */
static size_t find_group(group_table *g, kql_column *const *keys, size_t nkeys, size_t row, bool *is_new)
{
    if ((g->ngroups + 1) * 2 > g->nslots) grow_slots(g);
    uint64_t h = row_hash(keys, nkeys, row);
    size_t s = h & (g->nslots - 1);
    while (g->slots[s]) {
        size_t gi = g->slots[s] - 1;
        if (g->hashes[gi] == h && rows_equal(keys, nkeys, g->first_row[gi], row)) {
            *is_new = false;
            return gi;
        }
        s = (s + 1) & (g->nslots - 1);
    }
    if (g->ngroups == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->hashes = realloc(g->hashes, g->cap * sizeof *g->hashes);
        g->first_row = realloc(g->first_row, g->cap * sizeof *g->first_row);
    }
    g->hashes[g->ngroups] = h;
    g->first_row[g->ngroups] = row;
    g->slots[s] = ++g->ngroups;
    *is_new = true;
    return g->ngroups - 1;
}

typedef struct agg_run {
    const plan_aggregate *pa;
    kql_column **args;   /* evaluated arguments */
    kql_type argtypes[16];
    char *states;        /* ngroups * state_size, grown with the groups */
    size_t cap;
} agg_run;

static void *state_of(agg_run *a, size_t group)
{
    return a->states + group * a->pa->agg->state_size;
}

static void new_group_states(agg_run *runs, size_t naggs, size_t group)
{
    for (size_t i = 0; i < naggs; i++) {
        agg_run *a = &runs[i];
        size_t sz = a->pa->agg->state_size ? a->pa->agg->state_size : 1;
        if (group >= a->cap) {
            a->cap = a->cap ? a->cap * 2 : 16;
            a->states = realloc(a->states, a->cap * sz);
        }
        memset(a->states + group * a->pa->agg->state_size, 0, a->pa->agg->state_size);
        a->pa->agg->init(state_of(a, group), a->argtypes, a->pa->nargs);
    }
}

static kql_column *finish_aggregate(agg_run *a, size_t ngroups)
{
    kql_column *out = kql_column_new(a->pa->type, ngroups);
    for (size_t k = 0; k < a->pa->nargs; k++) kql_column_borrow(out, a->args[k]);
    kql_fn_ctx fctx = { .arena = kql_column_arena(out) };
    kql_buf_init(&fctx.scratch);
    for (size_t g = 0; g < ngroups; g++) {
        kql_value v = kql_null(a->pa->type);
        a->pa->agg->finish(state_of(a, g), &fctx, &v);
        if (v.is_null) kql_column_push_null(out);
        else kql_column_push_borrowed(out, &v);
        if (a->pa->agg->destroy) a->pa->agg->destroy(state_of(a, g));
    }
    kql_buf_free(&fctx.scratch);
    return out;
}

kql_table *op_summarize(exec_ctx *x, const plan *p, kql_table *in)
{
    kql_column **keys = calloc(p->nkeys ? p->nkeys : 1, sizeof *keys);     /* freed below */
    agg_run *runs = calloc(p->naggs ? p->naggs : 1, sizeof *runs);          /* freed below */
    for (size_t k = 0; k < p->nkeys; k++) keys[k] = eval_expr(&x->eval, p->keys[k], in);
    for (size_t i = 0; i < p->naggs; i++) {
        runs[i].pa = &p->aggs[i];
        runs[i].args = calloc(p->aggs[i].nargs ? p->aggs[i].nargs : 1, sizeof *runs[i].args);
        for (size_t k = 0; k < p->aggs[i].nargs; k++) {
            runs[i].args[k] = eval_expr(&x->eval, p->aggs[i].args[k], in);
            if (k < 16) runs[i].argtypes[k] = p->aggs[i].args[k]->type;
        }
    }

    group_table g = { 0 };
    if (p->nkeys == 0) {
        grow_slots(&g);
        g.cap = 1;
        g.hashes = malloc(sizeof *g.hashes);
        g.first_row = malloc(sizeof *g.first_row);
        g.hashes[0] = 0;
        g.first_row[0] = 0;
        g.ngroups = 1;
        new_group_states(runs, p->naggs, 0);
    }
    kql_value vals[16];
    for (size_t row = 0; row < in->nrows && !kql_cancel_poll(row); row++) {
        size_t gi = 0;
        if (p->nkeys) {
            bool is_new;
            gi = find_group(&g, keys, p->nkeys, row, &is_new);
            if (is_new) new_group_states(runs, p->naggs, gi);
        }
        for (size_t i = 0; i < p->naggs; i++) {
            agg_run *a = &runs[i];
            size_t na = a->pa->nargs < 16 ? a->pa->nargs : 16;
            for (size_t k = 0; k < na; k++) vals[k] = kql_column_get(a->args[k], row);
            a->pa->agg->add(state_of(a, gi), vals, na);
        }
    }

    kql_table *out = kql_table_new(NULL);
    size_t col = 0;
    for (size_t k = 0; k < p->nkeys; k++, col++)
        kql_table_add(out, p->schema.names[col], kql_column_gather(keys[k], g.first_row, g.ngroups));
    for (size_t i = 0; i < p->naggs; i++, col++)
        kql_table_add(out, p->schema.names[col], finish_aggregate(&runs[i], g.ngroups));
    out->nrows = g.ngroups;

    for (size_t k = 0; k < p->nkeys; k++) kql_column_release(keys[k]);
    for (size_t i = 0; i < p->naggs; i++) {
        for (size_t k = 0; k < runs[i].pa->nargs; k++) kql_column_release(runs[i].args[k]);
        free(runs[i].args);
        free(runs[i].states);
    }
    free(keys);
    free(runs);
    free(g.slots);
    free(g.hashes);
    free(g.first_row);
    kql_table_free(in);
    return out;
}
