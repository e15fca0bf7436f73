/* agg_rank.c - aggregates that rank the values of a group: percentile and
 * its weighted and array forms, arg_max / arg_min, and the bitwise
 * binary_all_and / _or / _xor (kql_aggregates_rank[], searched by
 * kql_aggregate_find after the main table).
 *
 * percentile is nearest-rank (percentiles-aggregation-function.md: the
 * value at rank ceil(P/100 * N) of the sorted values, the first for P = 0);
 * percentilesw counts each value Weight times. Kusto estimates with
 * T-Digest, which agrees with the exact rank at these sizes. The binder
 * expands percentiles(x, p1, p2) into one percentile(x, pN) per column and
 * arg_max(e, c1, c2) into one arg_max(e, cN) per column (bind_multi.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "aggregates.h"
#include "column.h"
#include "dynamic.h"
#include "fn_common.h"

/* The most percentiles one array aggregate computes. */
#define RANK_MAX_PERCENTS 64

static void *rank_realloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        kql_out_of_memory(size);
    return q;
}

static bool rank_is_orderable(kql_type t)
{
    return t > KQL_TYPE_UNKNOWN && t < KQL_TYPE_COUNT && t != KQL_DYNAMIC && t != KQL_GUID &&
           t != KQL_DECIMAL;
}

/* ---- percentile, percentiles, percentilew, percentilesw and the _array forms ---- */

typedef struct rank_state {
    kql_value *vals;       /* owned: the group's non-null values (bytes are the input's) */
    double *weights;       /* owned: per value, when weighted */
    size_t n, cap;
    size_t value_arg;      /* 0; the weight is argument 1 when weighted */
    size_t first_percent;  /* index of the first percent argument */
    bool weighted, array;
    kql_type type;         /* result type of a single percentile */
    double percents[RANK_MAX_PERCENTS];
    size_t npercents;      /* read from the first row (they are constants) */
    bool have_percents;
} rank_state;

static bool rank_percent_type(kql_type t)
{
    return t == KQL_INT || t == KQL_LONG || t == KQL_REAL;
}

/* Types: value orderable number/date/time; weight whole; percents numbers. */
static kql_type rank_rule(const char *fname, const kql_type *args, size_t n, bool weighted, bool array,
                          char *err, size_t errlen)
{
    size_t first = weighted ? 2 : 1;
    if (n < first + 1)
        return kql_fn_fail(err, errlen, "%s(): expects at least %zu arguments, got %zu", fname, first + 1, n);
    kql_type t = args[0];
    if (t != KQL_INT && t != KQL_LONG && t != KQL_REAL && t != KQL_DATETIME && t != KQL_TIMESPAN)
        return kql_fn_fail(err, errlen, "%s(): argument 1 must be a number, datetime or timespan, got %s",
                           fname, rank_is_orderable(t) || t == KQL_DYNAMIC ? kql_type_name(t) : "unknown");
    if (weighted && args[1] != KQL_INT && args[1] != KQL_LONG)
        return kql_fn_fail(err, errlen, "%s(): argument 2 (the weight) must be a whole number", fname);
    for (size_t i = first; i < n; i++) {
        bool ok = rank_percent_type(args[i]) || (array && n == first + 1 && args[i] == KQL_DYNAMIC);
        if (!ok)
            return kql_fn_fail(err, errlen, "%s(): argument %zu (a percentage) must be a number", fname, i + 1);
    }
    if (!array && n != first + 1)
        return kql_fn_fail(err, errlen, "%s(): gives one value per percentage; use it directly in summarize",
                           fname);
    if (array)
        return KQL_DYNAMIC;
    return t == KQL_INT ? KQL_LONG : t;
}

static kql_type rule_percentile(const kql_type *a, size_t n, char *e, size_t l) { return rank_rule("percentile", a, n, false, false, e, l); }
static kql_type rule_percentiles(const kql_type *a, size_t n, char *e, size_t l) { return rank_rule("percentiles", a, n, false, false, e, l); }
static kql_type rule_percentilew(const kql_type *a, size_t n, char *e, size_t l) { return rank_rule("percentilew", a, n, true, false, e, l); }
static kql_type rule_percentilesw(const kql_type *a, size_t n, char *e, size_t l) { return rank_rule("percentilesw", a, n, true, false, e, l); }
static kql_type rule_percentiles_array(const kql_type *a, size_t n, char *e, size_t l) { return rank_rule("percentiles_array", a, n, false, true, e, l); }
static kql_type rule_percentilesw_array(const kql_type *a, size_t n, char *e, size_t l) { return rank_rule("percentilesw_array", a, n, true, true, e, l); }

static void rank_start(void *state, const kql_type *argtypes, size_t n, bool weighted, bool array)
{
    rank_state *s = state;
    memset(s, 0, sizeof *s);
    s->weighted = weighted;
    s->array = array;
    s->first_percent = weighted ? 2 : 1;
    s->type = n && argtypes[0] == KQL_INT ? KQL_LONG : n ? argtypes[0] : KQL_REAL;
}

static void percentile_init(void *s, const kql_type *a, size_t n) { rank_start(s, a, n, false, false); }
static void percentilew_init(void *s, const kql_type *a, size_t n) { rank_start(s, a, n, true, false); }
static void percentiles_array_init(void *s, const kql_type *a, size_t n) { rank_start(s, a, n, false, true); }
static void percentilesw_array_init(void *s, const kql_type *a, size_t n) { rank_start(s, a, n, true, true); }

static void rank_add_percent(rank_state *s, const kql_value *v)
{
    double p;
    if (v->is_null || s->npercents == RANK_MAX_PERCENTS)
        return;
    if (v->type == KQL_REAL)
        p = v->u.r;
    else if (v->type == KQL_DYNAMIC) {
        kql_value inner = kql_dyn_to_scalar((kql_dyn)v->u.s.ptr);
        if (inner.is_null || (inner.type != KQL_LONG && inner.type != KQL_INT && inner.type != KQL_REAL))
            return;
        p = inner.type == KQL_REAL ? inner.u.r : (double)inner.u.i;
    } else
        p = (double)v->u.i;
    s->percents[s->npercents++] = p;
}

/* The percentages are constants: read them from the first row. */
static void rank_read_percents(rank_state *s, const kql_value *args, size_t n)
{
    s->have_percents = true;
    for (size_t i = s->first_percent; i < n; i++) {
        const kql_value *v = &args[i];
        kql_dyn d = v->type == KQL_DYNAMIC && !v->is_null ? (kql_dyn)v->u.s.ptr : NULL;
        if (d && kql_dyn_tag_of(d) == KQL_DYN_ARRAY) {
            uint32_t k = kql_dyn_count(d);
            kql_dyn e = kql_dyn_first(d);
            for (uint32_t j = 0; j < k; j++, e = kql_dyn_next(e)) {
                kql_value ev = { .type = KQL_DYNAMIC };
                ev.u.s.ptr = (const char *)e;
                rank_add_percent(s, &ev);
            }
        } else {
            rank_add_percent(s, v);
        }
    }
}

static void rank_add(void *state, const kql_value *args, size_t n)
{
    rank_state *s = state;
    if (!s->have_percents)
        rank_read_percents(s, args, n);
    if (args[0].is_null)
        return;
    double w = 1.0;
    if (s->weighted) {
        if (n < 2 || args[1].is_null || args[1].u.i <= 0)
            return;
        w = (double)args[1].u.i;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->vals = rank_realloc(s->vals, s->cap * sizeof *s->vals);
        if (s->weighted)
            s->weights = rank_realloc(s->weights, s->cap * sizeof *s->weights);
    }
    kql_value v = args[0];
    if (v.type == KQL_INT)
        v.type = KQL_LONG;   /* the result is a long */
    s->vals[s->n] = v;
    if (s->weighted)
        s->weights[s->n] = w;
    s->n++;
}

/* Sorting values with their weights: by index. */
static const kql_value *rank_sort_vals;

static int rank_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = kql_value_compare(&rank_sort_vals[i], &rank_sort_vals[j]);
    return c ? c : (i > j) - (i < j);
}

/* The nearest-rank value for percent p over the sorted order. */
static kql_value rank_pick(const rank_state *s, const size_t *order, double total, double p)
{
    if (s->n == 0 || isnan(p))
        return kql_null(s->type);
    double rank = ceil(p / 100.0 * total);
    if (rank < 1)
        rank = 1;
    double seen = 0;
    for (size_t i = 0; i < s->n; i++) {
        seen += s->weighted ? s->weights[order[i]] : 1.0;
        if (seen >= rank)
            return s->vals[order[i]];
    }
    return s->vals[order[s->n - 1]];
}

static void rank_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    rank_state *s = state;
    size_t *order = rank_realloc(NULL, s->n * sizeof *order);   /* freed below */
    double total = 0;
    for (size_t i = 0; i < s->n; i++) {
        order[i] = i;
        total += s->weighted ? s->weights[i] : 1.0;
    }
    rank_sort_vals = s->vals;
    if (s->n)
        qsort(order, s->n, sizeof *order, rank_cmp);
    if (!s->array) {
        *out = rank_pick(s, order, total, s->npercents ? s->percents[0] : NAN);
    } else {
        kql_buf_clear(&ctx->scratch);
        size_t mark = kql_dyn_begin_array(&ctx->scratch);
        for (size_t i = 0; i < s->npercents; i++) {
            kql_value v = rank_pick(s, order, total, s->percents[i]);
            kql_dyn_put_value(&ctx->scratch, &v);
        }
        kql_dyn_end(&ctx->scratch, mark, (uint32_t)s->npercents);
        *out = kql_fn_dynamic_out(ctx, 0);
    }
    free(order);
}

static void rank_destroy(void *state)
{
    rank_state *s = state;
    free(s->vals);
    free(s->weights);
    s->vals = NULL;
    s->weights = NULL;
}

/* ---- arg_max, arg_min ----
 * One per output column: arg_max(e, c) is the value of c on the row where e
 * is largest (the first such row on ties). Rows where e is null lose to
 * any other; when every e is null, the group's first row is the one
 * (arg-max-aggregation-function.md, "null handling"). */

typedef struct arg_state {
    kql_value key, val;
    bool seen;
    int want;   /* +1 max, -1 min */
} arg_state;

static kql_type arg_rule(const char *fname, const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n != 2)
        return kql_fn_fail(err, errlen, "%s(): expects the expression and a column", fname);
    if (!rank_is_orderable(args[0]))
        return kql_fn_fail(err, errlen,
                           "%s(): argument 1 must be orderable (a number, string, datetime, timespan or bool), got %s",
                           fname, args[0] > KQL_TYPE_UNKNOWN && args[0] < KQL_TYPE_COUNT ? kql_type_name(args[0]) : "unknown");
    return args[1];
}

static kql_type rule_arg_max(const kql_type *a, size_t n, char *e, size_t l) { return arg_rule("arg_max", a, n, e, l); }
static kql_type rule_arg_min(const kql_type *a, size_t n, char *e, size_t l) { return arg_rule("arg_min", a, n, e, l); }

static void arg_start(void *state, const kql_type *argtypes, size_t n, int want)
{
    *(arg_state *)state = (arg_state){ kql_null(argtypes[0]), kql_null(n > 1 ? argtypes[1] : argtypes[0]),
                                       false, want };
}

static void arg_max_init(void *s, const kql_type *a, size_t n) { arg_start(s, a, n, 1); }
static void arg_min_init(void *s, const kql_type *a, size_t n) { arg_start(s, a, n, -1); }

static void arg_add(void *state, const kql_value *args, size_t n)
{
    arg_state *s = state;
    const kql_value *k = &args[0];
    bool better = !s->seen ||
                  (!k->is_null && (s->key.is_null || kql_value_compare(k, &s->key) * s->want > 0));
    if (!better)
        return;
    s->seen = true;
    s->key = *k;
    s->val = args[n > 1 ? 1 : 0];
}

static void arg_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    arg_state *s = state;
    *out = s->val;
    if (!out->is_null && (out->type == KQL_STRING || out->type == KQL_DYNAMIC) && out->u.s.len)
        out->u.s.ptr = kql_arena_dup(ctx->arena, out->u.s.ptr, out->u.s.len);
}

/* ---- binary_all_and, binary_all_or, binary_all_xor ---- */

typedef struct bits_state {
    int64_t acc;
    bool any;
    char op;   /* '&', '|', '^' */
} bits_state;

static KQL_FN_RULE(rule_binary_all_and, "binary_all_and", "i", KQL_LONG)
static KQL_FN_RULE(rule_binary_all_or, "binary_all_or", "i", KQL_LONG)
static KQL_FN_RULE(rule_binary_all_xor, "binary_all_xor", "i", KQL_LONG)

static void bits_and_init(void *s, const kql_type *a, size_t n) { (void)a, (void)n; *(bits_state *)s = (bits_state){ 0, false, '&' }; }
static void bits_or_init(void *s, const kql_type *a, size_t n) { (void)a, (void)n; *(bits_state *)s = (bits_state){ 0, false, '|' }; }
static void bits_xor_init(void *s, const kql_type *a, size_t n) { (void)a, (void)n; *(bits_state *)s = (bits_state){ 0, false, '^' }; }

static void bits_add(void *state, const kql_value *args, size_t n)
{
    (void)n;
    bits_state *s = state;
    if (args[0].is_null)
        return;
    int64_t v = args[0].u.i;
    if (!s->any)
        s->acc = v;
    else
        s->acc = s->op == '&' ? (s->acc & v) : s->op == '|' ? (s->acc | v) : (s->acc ^ v);
    s->any = true;
}

static void bits_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    (void)ctx;
    bits_state *s = state;
    *out = s->any ? kql_long(s->acc) : kql_null(KQL_LONG);
}

/* ---- the table ---- */

#define RANK_AGG(nm, prefix, lo, hi, sig, rule, st, init, add, finish, destroy) \
    { nm, prefix, lo, hi, sig, rule, sizeof(st), init, add, finish, destroy }

const kql_aggregate kql_aggregates_rank[] = {
    RANK_AGG("percentile", "percentile", 2, 2, "percentile(expr, percentile)", rule_percentile,
             rank_state, percentile_init, rank_add, rank_finish, rank_destroy),
    RANK_AGG("percentiles", "percentile", 2, -1, "percentiles(expr, percentile [, ...])", rule_percentiles,
             rank_state, percentile_init, rank_add, rank_finish, rank_destroy),
    RANK_AGG("percentilew", "percentile", 3, 3, "percentilew(expr, weight, percentile)", rule_percentilew,
             rank_state, percentilew_init, rank_add, rank_finish, rank_destroy),
    RANK_AGG("percentilesw", "percentile", 3, -1, "percentilesw(expr, weight, percentile [, ...])",
             rule_percentilesw, rank_state, percentilew_init, rank_add, rank_finish, rank_destroy),
    RANK_AGG("percentiles_array", "percentiles", 2, -1,
             "percentiles_array(expr, percentile [, ...] | dynamic([...]))", rule_percentiles_array,
             rank_state, percentiles_array_init, rank_add, rank_finish, rank_destroy),
    RANK_AGG("percentilesw_array", "percentile", 3, -1,
             "percentilesw_array(expr, weight, percentile [, ...] | dynamic([...]))", rule_percentilesw_array,
             rank_state, percentilesw_array_init, rank_add, rank_finish, rank_destroy),
    RANK_AGG("arg_max", "max", 2, -1, "arg_max(expr, * | column [, ...])", rule_arg_max, arg_state,
             arg_max_init, arg_add, arg_finish, NULL),
    RANK_AGG("arg_min", "min", 2, -1, "arg_min(expr, * | column [, ...])", rule_arg_min, arg_state,
             arg_min_init, arg_add, arg_finish, NULL),
    RANK_AGG("binary_all_and", "", 1, 1, "binary_all_and(expr)", rule_binary_all_and, bits_state,
             bits_and_init, bits_add, bits_finish, NULL),
    RANK_AGG("binary_all_or", "", 1, 1, "binary_all_or(expr)", rule_binary_all_or, bits_state,
             bits_or_init, bits_add, bits_finish, NULL),
    RANK_AGG("binary_all_xor", "", 1, 1, "binary_all_xor(expr)", rule_binary_all_xor, bits_state,
             bits_xor_init, bits_add, bits_finish, NULL),
};

const size_t kql_aggregates_rank_count = sizeof kql_aggregates_rank / sizeof kql_aggregates_rank[0];
