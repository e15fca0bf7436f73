/* aggregates.c - the aggregation functions summarize runs (kql_aggregates[]).
 *
 * Each aggregate is a small state machine over a fixed-size state that
 * summarize allocates per group: init, add once per row, finish, destroy.
 * Null rules (NOTES §4, §5): count(x) counts every row, nulls included;
 * sum, avg, min, max, dcount, make_list, make_set, stdev and variance skip
 * nulls. On no input, count, sum, dcount, stdev and variance give 0,
 * make_* give [], and the rest give null (avg too: the docs show NaN in one
 * place and null is what "the rest give null" says).
 *
 * A state may keep pointers to the input's string and dynamic bytes (they
 * outlive the aggregation); finish copies what the result needs into
 * ctx->arena. States that grow (sets, lists) own malloc'd memory that
 * destroy frees.
 */
#include "buf.h"
#include "aggregates.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "column.h"
#include "dynamic.h"
#include "fn_common.h"

/* make_list/make_set: the documented default and largest maxSize. */
#define KQL_AGG_MAX_ITEMS 1048576

/* ---- a set of values (dcount, make_set) ----
 * Open addressing with linear probing over hashes from kql_value_hash,
 * kql_value_equal deciding collisions. Values point at input bytes. */

typedef struct agg_slot {
    uint64_t hash;
    kql_value v;
    bool used;
} agg_slot;

typedef struct agg_set {
    agg_slot *slots;   /* owned; NULL until the first insert */
    size_t count, cap;
} agg_set;

static void set_free(agg_set *s)
{
    free(s->slots);
    s->slots = NULL;
    s->count = s->cap = 0;
}

static void *agg_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        kql_out_of_memory(n * size);
    return p;
}

static void set_grow(agg_set *s)
{
    size_t cap = s->cap ? s->cap * 2 : 16;
    agg_slot *slots = agg_calloc(cap, sizeof *slots);
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].used)
            continue;
        size_t j = s->slots[i].hash & (cap - 1);
        while (slots[j].used)
            j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
}

/* Adds v; true when it wasn't there yet. */
static bool set_insert(agg_set *s, const kql_value *v)
{
    if ((s->count + 1) * 2 > s->cap)
        set_grow(s);
    uint64_t h = kql_value_hash(v);
    size_t j = h & (s->cap - 1);
    for (; s->slots[j].used; j = (j + 1) & (s->cap - 1))
        if (s->slots[j].hash == h && kql_value_equal(&s->slots[j].v, v))
            return false;
    s->slots[j] = (agg_slot){ h, *v, true };
    s->count++;
    return true;
}

/* ---- type rules ---- */

static bool is_orderable(kql_type t)
{
    return t > KQL_TYPE_UNKNOWN && t < KQL_TYPE_COUNT && t != KQL_DYNAMIC && t != KQL_GUID &&
           t != KQL_DECIMAL;
}

static KQL_FN_RULE(rule_count, "count", "a", KQL_LONG)
static KQL_FN_RULE(rule_countif, "countif", "b", KQL_LONG)
static KQL_FN_RULE(rule_dcount, "dcount", "ai", KQL_LONG)
static KQL_FN_RULE(rule_dcountif, "dcountif", "abi", KQL_LONG)
static KQL_FN_RULE(rule_avg, "avg", "n", KQL_REAL)
static KQL_FN_RULE(rule_avgif, "avgif", "nb", KQL_REAL)
static KQL_FN_RULE(rule_make_list, "make_list", "ai", KQL_DYNAMIC)
static KQL_FN_RULE(rule_make_list_if, "make_list_if", "abi", KQL_DYNAMIC)
static KQL_FN_RULE(rule_make_list_with_nulls, "make_list_with_nulls", "ai", KQL_DYNAMIC)
static KQL_FN_RULE(rule_make_set, "make_set", "ai", KQL_DYNAMIC)
static KQL_FN_RULE(rule_make_set_if, "make_set_if", "abi", KQL_DYNAMIC)
static KQL_FN_RULE(rule_make_bag, "make_bag", "yi", KQL_DYNAMIC)
static KQL_FN_RULE(rule_stdev, "stdev", "n", KQL_REAL)
static KQL_FN_RULE(rule_stdevp, "stdevp", "n", KQL_REAL)
static KQL_FN_RULE(rule_variance, "variance", "n", KQL_REAL)
static KQL_FN_RULE(rule_variancep, "variancep", "n", KQL_REAL)
static KQL_FN_RULE(rule_stdevif, "stdevif", "nb", KQL_REAL)
static KQL_FN_RULE(rule_varianceif, "varianceif", "nb", KQL_REAL)
static KQL_FN_RULE(rule_count_distinct, "count_distinct", "a", KQL_LONG)
static KQL_FN_RULE(rule_count_distinctif, "count_distinctif", "ab", KQL_LONG)
static KQL_FN_RULE(rule_make_bag_if, "make_bag_if", "ybi", KQL_DYNAMIC)

/* sum: int and long sum to a long, reals to a real, timespans to a timespan */
static kql_type sum_type(const char *fname, const kql_type *args, size_t n, const char *kinds,
                         char *err, size_t errlen)
{
    if (n >= 1 && args[0] == KQL_TIMESPAN && (n == 1 || args[1] == KQL_BOOL))
        return KQL_TIMESPAN;
    if (!kql_fn_check(fname, args, n, kinds, err, errlen))
        return KQL_TYPE_UNKNOWN;
    return args[0] == KQL_REAL ? KQL_REAL : KQL_LONG;
}

static kql_type rule_sum(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return sum_type("sum", args, n, "n", err, errlen);
}

static kql_type rule_sumif(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return sum_type("sumif", args, n, "nb", err, errlen);
}

static kql_type extreme_type(const char *fname, const kql_type *args, size_t n, char *err,
                             size_t errlen)
{
    if (n != 1)
        return kql_fn_fail(err, errlen, "%s(): expects 1 argument, got %zu", fname, n);
    if (!is_orderable(args[0]))
        return kql_fn_fail(err, errlen, "%s(): cannot order values of type %s", fname,
                           args[0] > KQL_TYPE_UNKNOWN && args[0] < KQL_TYPE_COUNT
                               ? kql_type_name(args[0]) : "unknown");
    return args[0];
}

static kql_type rule_min(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return extreme_type("min", args, n, err, errlen);
}

static kql_type rule_max(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return extreme_type("max", args, n, err, errlen);
}

static kql_type rule_take_any(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return kql_fn_check("take_any", args, n, "a", err, errlen) ? args[0] : KQL_TYPE_UNKNOWN;
}

/* minif, maxif: an orderable value and a predicate */
static kql_type extreme_if_type(const char *fname, const kql_type *args, size_t n, char *err,
                                size_t errlen)
{
    if (n != 2 || args[1] != KQL_BOOL)
        return kql_fn_fail(err, errlen, "%s(): expects a value and a bool predicate", fname);
    return extreme_type(fname, args, 1, err, errlen);
}

static kql_type rule_minif(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return extreme_if_type("minif", args, n, err, errlen);
}

static kql_type rule_maxif(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return extreme_if_type("maxif", args, n, err, errlen);
}

static kql_type rule_take_anyif(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return kql_fn_check("take_anyif", args, n, "ab", err, errlen) ? args[0] : KQL_TYPE_UNKNOWN;
}

/* A predicate argument counts only when it is true (null is not). */
static bool pred_true(const kql_value *v)
{
    return !v->is_null && v->u.b;
}

/* Whether an *if aggregate (conditional) leaves a row out: its predicate,
 * the second argument, is not true. */
static bool pred_excludes(bool conditional, const kql_value *args, size_t n)
{
    return conditional && (n < 2 || !pred_true(&args[1]));
}

/* ---- count, countif ---- */

typedef struct count_state {
    int64_t n;
    size_t pred;   /* index of the predicate argument, or SIZE_MAX */
} count_state;

static void count_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    *(count_state *)state = (count_state){ 0, SIZE_MAX };
}

static void countif_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    *(count_state *)state = (count_state){ 0, 0 };
}

static void count_add(void *state, const kql_value *args, size_t n)
{
    count_state *s = state;
    if (s->pred == SIZE_MAX || (s->pred < n && pred_true(&args[s->pred])))
        s->n++;
}

static void count_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    (void)ctx;
    *out = kql_long(((count_state *)state)->n);
}

/* ---- dcount, dcountif ----
 * Kusto estimates dcount with HyperLogLog; we count exactly, which is what
 * the estimate converges to and equals at small cardinalities. */

typedef struct dcount_state {
    agg_set set;
    bool conditional;
} dcount_state;

static void dcount_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    *(dcount_state *)state = (dcount_state){ { NULL, 0, 0 }, false };
}

static void dcountif_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    *(dcount_state *)state = (dcount_state){ { NULL, 0, 0 }, true };
}

static void dcount_add(void *state, const kql_value *args, size_t n)
{
    dcount_state *s = state;
    if (kql_fn_is_null(&args[0]) || pred_excludes(s->conditional, args, n))
        return;
    set_insert(&s->set, &args[0]);
}

static void dcount_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    (void)ctx;
    *out = kql_long((int64_t)((dcount_state *)state)->set.count);
}

static void dcount_destroy(void *state)
{
    set_free(&((dcount_state *)state)->set);
}

/* ---- sum, sumif ---- */

typedef struct sum_state {
    kql_type type;     /* result type */
    bool conditional;
    bool overflow;     /* a long sum left the int64 range: the result is null */
    int64_t i;
    double r;
} sum_state;

static void sum_start(void *state, const kql_type *argtypes, size_t n, bool conditional)
{
    kql_type t = n && argtypes[0] == KQL_REAL ? KQL_REAL
               : n && argtypes[0] == KQL_TIMESPAN ? KQL_TIMESPAN : KQL_LONG;
    *(sum_state *)state = (sum_state){ t, conditional, false, 0, 0.0 };
}

static void sum_init(void *state, const kql_type *argtypes, size_t n)
{
    sum_start(state, argtypes, n, false);
}

static void sumif_init(void *state, const kql_type *argtypes, size_t n)
{
    sum_start(state, argtypes, n, true);
}

static void sum_add(void *state, const kql_value *args, size_t n)
{
    sum_state *s = state;
    if (args[0].is_null || pred_excludes(s->conditional, args, n))
        return;
    if (s->type == KQL_REAL)
        s->r += kql_fn_as_real(&args[0]);
    else if (__builtin_add_overflow(s->i, args[0].u.i, &s->i))
        s->overflow = true;
}

static void sum_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    (void)ctx;
    sum_state *s = state;
    if (s->type == KQL_REAL) {
        *out = kql_real(s->r);
    } else if (s->overflow) {
        *out = kql_null(s->type);
    } else {
        *out = kql_long(s->i);
        out->type = s->type;
    }
}

/* ---- avg, avgif ---- */

typedef struct avg_state {
    double sum;
    int64_t n;
    bool conditional;
} avg_state;

static void avg_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    *(avg_state *)state = (avg_state){ 0.0, 0, false };
}

static void avgif_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    *(avg_state *)state = (avg_state){ 0.0, 0, true };
}

static void avg_add(void *state, const kql_value *args, size_t n)
{
    avg_state *s = state;
    if (args[0].is_null || pred_excludes(s->conditional, args, n))
        return;
    s->sum += kql_fn_as_real(&args[0]);
    s->n++;
}

static void avg_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    (void)ctx;
    avg_state *s = state;
    *out = s->n ? kql_real(s->sum / (double)s->n) : kql_null(KQL_REAL);
}

/* ---- min, max, take_any ---- */

typedef struct pick_state {
    kql_value best;   /* a null of the argument's type until a value comes */
    int want;         /* min -1, max +1, take_any 0 */
    bool conditional; /* minif, maxif, take_anyif: args[1] is the predicate */
} pick_state;

static void pick_start(void *state, const kql_type *argtypes, size_t n, int want)
{
    *(pick_state *)state = (pick_state){ kql_null(n ? argtypes[0] : KQL_TYPE_UNKNOWN), want, false };
}

static void pickif_start(void *state, const kql_type *argtypes, size_t n, int want)
{
    pick_start(state, argtypes, n, want);
    ((pick_state *)state)->conditional = true;
}

static void minif_init(void *state, const kql_type *argtypes, size_t n)
{
    pickif_start(state, argtypes, n, -1);
}

static void maxif_init(void *state, const kql_type *argtypes, size_t n)
{
    pickif_start(state, argtypes, n, 1);
}

static void take_anyif_init(void *state, const kql_type *argtypes, size_t n)
{
    pickif_start(state, argtypes, n, 0);
}

static void min_init(void *state, const kql_type *argtypes, size_t n)
{
    pick_start(state, argtypes, n, -1);
}

static void max_init(void *state, const kql_type *argtypes, size_t n)
{
    pick_start(state, argtypes, n, 1);
}

static void take_any_init(void *state, const kql_type *argtypes, size_t n)
{
    pick_start(state, argtypes, n, 0);
}

static bool is_empty_value(const kql_value *v)
{
    return v->type == KQL_STRING ? v->u.s.len == 0 : kql_fn_is_null(v);
}

static void pick_add(void *state, const kql_value *args, size_t n)
{
    pick_state *s = state;
    const kql_value *v = &args[0];
    if (pred_excludes(s->conditional, args, n))
        return;
    if (s->want == 0) {
        /* take_any prefers a non-null, non-empty value when there is one */
        if (is_empty_value(&s->best) && !is_empty_value(v))
            s->best = *v;
        else if (s->best.is_null && !v->is_null)
            s->best = *v;
        return;
    }
    if (v->is_null)
        return;
    if (s->best.is_null || kql_value_compare(v, &s->best) * s->want > 0)
        s->best = *v;
}

static void pick_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    pick_state *s = state;
    *out = s->best;
    if (!out->is_null && (out->type == KQL_STRING || out->type == KQL_DYNAMIC) && out->u.s.len)
        out->u.s.ptr = kql_arena_dup(ctx->arena, out->u.s.ptr, out->u.s.len);
}

/* ---- make_list, make_list_if, make_list_with_nulls, make_set, make_set_if ---- */

typedef struct list_state {
    kql_buf items;     /* owned: the elements' encodings, back to back */
    uint32_t count;
    bool conditional;  /* *_if: args[1] is the predicate */
    bool keep_nulls;   /* make_list_with_nulls */
    bool distinct;     /* make_set */
    agg_set seen;      /* make_set: values already added */
} list_state;

static void list_start(void *state, bool conditional, bool keep_nulls, bool distinct)
{
    list_state *s = state;
    memset(s, 0, sizeof *s);
    kql_buf_init(&s->items);
    s->conditional = conditional;
    s->keep_nulls = keep_nulls;
    s->distinct = distinct;
}

static void make_list_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    list_start(state, false, false, false);
}

static void make_list_if_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    list_start(state, true, false, false);
}

static void make_list_with_nulls_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    list_start(state, false, true, false);
}

static void make_set_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    list_start(state, false, false, true);
}

static void make_set_if_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    list_start(state, true, false, true);
}

static void list_put(list_state *s, const kql_value *v)
{
    if (v->type == KQL_DYNAMIC && !v->is_null)
        kql_dyn_put_raw(&s->items, (kql_dyn)v->u.s.ptr);
    else
        kql_dyn_put_value(&s->items, v);
    s->count++;
}

/* maxSize: the optional argument after the value (and predicate) */
static int64_t list_limit(const list_state *s, const kql_value *args, size_t n)
{
    size_t at = s->conditional ? 2 : 1;
    if (at >= n || args[at].is_null || args[at].u.i <= 0 || args[at].u.i > KQL_AGG_MAX_ITEMS)
        return KQL_AGG_MAX_ITEMS;
    return args[at].u.i;
}

static void set_put(list_state *s, const kql_value *v, int64_t limit)
{
    if (s->count < limit && set_insert(&s->seen, v))
        list_put(s, v);
}

static void list_add(void *state, const kql_value *args, size_t n)
{
    list_state *s = state;
    const kql_value *v = &args[0];
    if (pred_excludes(s->conditional, args, n))
        return;
    int64_t limit = list_limit(s, args, n);
    if (s->count >= limit || (!s->keep_nulls && kql_fn_is_null(v)))
        return;
    if (!s->distinct) {
        list_put(s, v);
        return;
    }
    kql_dyn d = v->type == KQL_DYNAMIC ? (kql_dyn)v->u.s.ptr : NULL;
    if (d && kql_dyn_tag_of(d) == KQL_DYN_ARRAY) {
        /* make_set of arrays collects their elements (the docs' "set from
         * array column" example) */
        uint32_t k = kql_dyn_count(d);
        kql_dyn e = kql_dyn_first(d);
        for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
            if (kql_dyn_tag_of(e) == KQL_DYN_NULL)
                continue;
            kql_value ev = kql_dyn_value(e);
            set_put(s, &ev, limit);
        }
        return;
    }
    set_put(s, v, limit);
}

/* A dynamic array, or bag, of count members already encoded back to back. */
static kql_value container_out(kql_fn_ctx *ctx, bool object, const kql_buf *members,
                               uint32_t count)
{
    kql_buf_clear(&ctx->scratch);
    size_t mark = object ? kql_dyn_begin_object(&ctx->scratch) : kql_dyn_begin_array(&ctx->scratch);
    if (members->len)
        kql_buf_put(&ctx->scratch, members->data, members->len);
    kql_dyn_end(&ctx->scratch, mark, count);
    return kql_fn_dynamic_out(ctx, 0);
}

static void list_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    list_state *s = state;
    *out = container_out(ctx, false, &s->items, s->count);
}

static void list_destroy(void *state)
{
    list_state *s = state;
    kql_buf_free(&s->items);
    set_free(&s->seen);
}

/* ---- make_bag ----
 * Merges the properties of bag values; non-bags are ignored. When a key
 * repeats, the first value seen is kept (the docs leave the choice open). */

typedef struct bag_state {
    kql_buf props;     /* owned: key + value encodings, back to back */
    uint32_t count;
    agg_set keys;      /* keys taken so far (strings pointing into the input) */
    bool conditional;  /* make_bag_if: args[1] is the predicate, args[2] maxSize */
} bag_state;

static void make_bag_init(void *state, const kql_type *argtypes, size_t n)
{
    (void)argtypes, (void)n;
    bag_state *s = state;
    memset(s, 0, sizeof *s);
    kql_buf_init(&s->props);
}

static void make_bag_if_init(void *state, const kql_type *argtypes, size_t n)
{
    make_bag_init(state, argtypes, n);
    ((bag_state *)state)->conditional = true;
}

static void make_bag_add(void *state, const kql_value *args, size_t n)
{
    bag_state *s = state;
    kql_dyn d = kql_fn_is_null(&args[0]) ? NULL : (kql_dyn)args[0].u.s.ptr;
    if (!d || kql_dyn_tag_of(d) != KQL_DYN_OBJECT || pred_excludes(s->conditional, args, n))
        return;
    size_t at = s->conditional ? 2 : 1;   /* maxSize */
    int64_t limit = n > at && !args[at].is_null && args[at].u.i > 0 && args[at].u.i < KQL_AGG_MAX_ITEMS
                        ? args[at].u.i : KQL_AGG_MAX_ITEMS;
    uint32_t k = kql_dyn_count(d);
    const uint8_t *p = kql_dyn_prop_first(d);
    for (uint32_t i = 0; i < k && s->count < limit; i++, p = kql_dyn_prop_next(p)) {
        kql_str key;
        kql_dyn value;
        kql_dyn_prop(p, &key, &value);
        kql_value kv = kql_string(key.len ? key.ptr : "", key.len);
        if (!set_insert(&s->keys, &kv))
            continue;
        kql_dyn_put_key(&s->props, kv.u.s.ptr, key.len);
        kql_dyn_put_raw(&s->props, value);
        s->count++;
    }
}

static void make_bag_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    bag_state *s = state;
    *out = container_out(ctx, true, &s->props, s->count);
}

static void make_bag_destroy(void *state)
{
    bag_state *s = state;
    kql_buf_free(&s->props);
    set_free(&s->keys);
}

/* ---- stdev, stdevp, variance, variancep ----
 * Welford's running mean and sum of squared deviations: stable, one pass.
 * The sample forms divide by n - 1 and give 0 for fewer than two values. */

typedef struct spread_state {
    int64_t n;
    double mean, m2;
    bool sample, root;
    bool conditional;   /* stdevif, varianceif: args[1] is the predicate */
} spread_state;

static void spread_start(void *state, bool sample, bool root)
{
    *(spread_state *)state = (spread_state){ 0, 0.0, 0.0, sample, root, false };
}

static void stdevif_init(void *state, const kql_type *a, size_t n)
{
    (void)a, (void)n;
    spread_start(state, true, true);
    ((spread_state *)state)->conditional = true;
}

static void varianceif_init(void *state, const kql_type *a, size_t n)
{
    (void)a, (void)n;
    spread_start(state, true, false);
    ((spread_state *)state)->conditional = true;
}

static void stdev_init(void *state, const kql_type *a, size_t n) { (void)a, (void)n; spread_start(state, true, true); }
static void stdevp_init(void *state, const kql_type *a, size_t n) { (void)a, (void)n; spread_start(state, false, true); }
static void variance_init(void *state, const kql_type *a, size_t n) { (void)a, (void)n; spread_start(state, true, false); }
static void variancep_init(void *state, const kql_type *a, size_t n) { (void)a, (void)n; spread_start(state, false, false); }

static void spread_add(void *state, const kql_value *args, size_t n)
{
    spread_state *s = state;
    if (args[0].is_null || pred_excludes(s->conditional, args, n))
        return;
    double x = kql_fn_as_real(&args[0]);
    s->n++;
    double delta = x - s->mean;
    s->mean += delta / (double)s->n;
    s->m2 += delta * (x - s->mean);
}

static void spread_finish(void *state, kql_fn_ctx *ctx, kql_value *out)
{
    (void)ctx;
    spread_state *s = state;
    int64_t div = s->sample ? s->n - 1 : s->n;
    double var = div > 0 ? s->m2 / (double)div : 0.0;
    *out = kql_real(s->root ? sqrt(var) : var);
}

/* ---- the table ---- */

#define AGG(nm, prefix, lo, hi, sig, rule, st, init, add, finish, destroy) \
    { nm, prefix, lo, hi, sig, rule, sizeof(st), init, add, finish, destroy }

static const kql_aggregate kql_aggregates[] = {
    AGG("count", "count", 0, 1, "count([expr])", rule_count, count_state,
        count_init, count_add, count_finish, NULL),
    AGG("countif", "countif", 1, 1, "countif(predicate)", rule_countif, count_state,
        countif_init, count_add, count_finish, NULL),
    AGG("dcount", "dcount", 1, 2, "dcount(expr [, accuracy])", rule_dcount, dcount_state,
        dcount_init, dcount_add, dcount_finish, dcount_destroy),
    AGG("dcountif", "dcountif", 2, 3, "dcountif(expr, predicate [, accuracy])", rule_dcountif,
        dcount_state, dcountif_init, dcount_add, dcount_finish, dcount_destroy),
    AGG("sum", "sum", 1, 1, "sum(expr)", rule_sum, sum_state,
        sum_init, sum_add, sum_finish, NULL),
    AGG("sumif", "sumif", 2, 2, "sumif(expr, predicate)", rule_sumif, sum_state,
        sumif_init, sum_add, sum_finish, NULL),
    AGG("avg", "avg", 1, 1, "avg(expr)", rule_avg, avg_state,
        avg_init, avg_add, avg_finish, NULL),
    AGG("avgif", "avgif", 2, 2, "avgif(expr, predicate)", rule_avgif, avg_state,
        avgif_init, avg_add, avg_finish, NULL),
    AGG("min", "min", 1, 1, "min(expr)", rule_min, pick_state,
        min_init, pick_add, pick_finish, NULL),
    AGG("max", "max", 1, 1, "max(expr)", rule_max, pick_state,
        max_init, pick_add, pick_finish, NULL),
    AGG("take_any", "", 1, 1, "take_any(expr)", rule_take_any, pick_state,
        take_any_init, pick_add, pick_finish, NULL),
    AGG("any", "any", 1, 1, "any(expr)", rule_take_any, pick_state,
        take_any_init, pick_add, pick_finish, NULL),
    AGG("take_anyif", "", 2, 2, "take_anyif(expr, predicate)", rule_take_anyif, pick_state,
        take_anyif_init, pick_add, pick_finish, NULL),
    AGG("minif", "minif", 2, 2, "minif(expr, predicate)", rule_minif, pick_state,
        minif_init, pick_add, pick_finish, NULL),
    AGG("maxif", "maxif", 2, 2, "maxif(expr, predicate)", rule_maxif, pick_state,
        maxif_init, pick_add, pick_finish, NULL),
    AGG("count_distinct", "count_distinct", 1, 1, "count_distinct(expr)", rule_count_distinct,
        dcount_state, dcount_init, dcount_add, dcount_finish, dcount_destroy),
    AGG("count_distinctif", "count_distinctif", 2, 2, "count_distinctif(expr, predicate)",
        rule_count_distinctif, dcount_state, dcountif_init, dcount_add, dcount_finish, dcount_destroy),
    AGG("make_list", "list", 1, 2, "make_list(expr [, maxSize])", rule_make_list, list_state,
        make_list_init, list_add, list_finish, list_destroy),
    AGG("make_list_if", "list", 2, 3, "make_list_if(expr, predicate [, maxSize])",
        rule_make_list_if, list_state, make_list_if_init, list_add, list_finish, list_destroy),
    AGG("make_list_with_nulls", "list", 1, 2, "make_list_with_nulls(expr [, maxSize])",
        rule_make_list_with_nulls, list_state, make_list_with_nulls_init, list_add, list_finish,
        list_destroy),
    AGG("make_set", "set", 1, 2, "make_set(expr [, maxSize])", rule_make_set, list_state,
        make_set_init, list_add, list_finish, list_destroy),
    AGG("make_set_if", "set", 2, 3, "make_set_if(expr, predicate [, maxSize])",
        rule_make_set_if, list_state, make_set_if_init, list_add, list_finish, list_destroy),
    AGG("make_bag", "bag", 1, 2, "make_bag(expr [, maxSize])", rule_make_bag, bag_state,
        make_bag_init, make_bag_add, make_bag_finish, make_bag_destroy),
    AGG("make_bag_if", "bag", 2, 3, "make_bag_if(expr, predicate [, maxSize])", rule_make_bag_if,
        bag_state, make_bag_if_init, make_bag_add, make_bag_finish, make_bag_destroy),
    AGG("stdev", "stdev", 1, 1, "stdev(expr)", rule_stdev, spread_state,
        stdev_init, spread_add, spread_finish, NULL),
    AGG("stdevp", "stdevp", 1, 1, "stdevp(expr)", rule_stdevp, spread_state,
        stdevp_init, spread_add, spread_finish, NULL),
    AGG("variance", "variance", 1, 1, "variance(expr)", rule_variance, spread_state,
        variance_init, spread_add, spread_finish, NULL),
    AGG("variancep", "variancep", 1, 1, "variancep(expr)", rule_variancep, spread_state,
        variancep_init, spread_add, spread_finish, NULL),
    AGG("stdevif", "stdevif", 2, 2, "stdevif(expr, predicate)", rule_stdevif, spread_state,
        stdevif_init, spread_add, spread_finish, NULL),
    AGG("varianceif", "varianceif", 2, 2, "varianceif(expr, predicate)", rule_varianceif, spread_state,
        varianceif_init, spread_add, spread_finish, NULL),
};

/* agg_rank.c: percentiles, arg_max / arg_min, binary_all_* */
extern const kql_aggregate kql_aggregates_rank[];
extern const size_t kql_aggregates_rank_count;

const kql_aggregate *kql_aggregate_find(const char *name)
{
    for (size_t i = 0; i < sizeof kql_aggregates / sizeof kql_aggregates[0]; i++)
        if (strcmp(kql_aggregates[i].name, name) == 0)
            return &kql_aggregates[i];
    for (size_t i = 0; i < kql_aggregates_rank_count; i++)
        if (strcmp(kql_aggregates_rank[i].name, name) == 0)
            return &kql_aggregates_rank[i];
    return NULL;
}

void kql_aggregate_each_name(void (*fn)(const char *name, void *arg), void *arg)
{
    for (size_t i = 0; i < sizeof kql_aggregates / sizeof kql_aggregates[0]; i++)
        fn(kql_aggregates[i].name, arg);
    for (size_t i = 0; i < kql_aggregates_rank_count; i++)
        fn(kql_aggregates_rank[i].name, arg);
}
