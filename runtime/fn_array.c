/* fn_array.c - array and property-bag helpers: array_sort_asc/desc,
 * array_reverse, array_slice, array_index_of, array_iff, array_sum,
 * array_split, array_rotate_*, array_shift_*, range(), zip, the set_*
 * functions and jaccard_index, bag_merge, bag_remove_keys, bag_set_key,
 * bag_zip and dynamic_to_json.
 *
 * Arguments that should be arrays (or bags) but aren't give null, as Kusto
 * does. Results are built in ctx->scratch; functions that need a working
 * table (a sort order, a hash set) put it at the start of scratch and build
 * the result after it, so nothing is allocated per call.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fn_common.h"

/* range()'s cap on the number of elements (NOTES §18). */
#define RANGE_MAX_ELEMENTS 1048576

/* The elements of an array, as pointers into its encoding, written into
 * scratch from byte 0. Callers re-read them through elems() because scratch
 * may move while the result is appended after them. */
static size_t put_elems(kql_fn_ctx *ctx, kql_dyn arr)
{
    uint32_t n = kql_dyn_count(arr);
    kql_buf_clear(&ctx->scratch);
    kql_dyn e = kql_dyn_first(arr);
    for (uint32_t i = 0; i < n; i++, e = kql_dyn_next(e))
        kql_buf_put(&ctx->scratch, &e, sizeof e);
    return ctx->scratch.len;
}

static kql_dyn elem_at(kql_fn_ctx *ctx, size_t i)
{
    kql_dyn e;
    memcpy(&e, ctx->scratch.data + i * sizeof e, sizeof e);
    return e;
}

static bool dyn_is_null(kql_dyn e) { return kql_dyn_tag_of(e) == KQL_DYN_NULL; }

/* ---- sorting ---- */

/* The docs' order of kinds: numbers, datetimes and timespans; strings;
 * guids; everything else. Within a group, kql_dyn_compare's order. */
static int sort_group(kql_dyn e)
{
    switch (kql_dyn_tag_of(e)) {
    case KQL_DYN_LONG: case KQL_DYN_REAL: case KQL_DYN_DATETIME: case KQL_DYN_TIMESPAN: return 0;
    case KQL_DYN_STRING: return 1;
    case KQL_DYN_GUID: return 2;
    default: return 3;
    }
}

/* nullpos: 0 for a value, 1 for a null sorted last, -1 for one sorted first */
typedef struct sort_key { kql_dyn e; uint32_t index; int8_t nullpos; bool desc; } sort_key;

static int sort_key_cmp(const void *pa, const void *pb)
{
    const sort_key *a = pa, *b = pb;
    if (a->nullpos != b->nullpos)
        return a->nullpos < b->nullpos ? -1 : 1;
    int c = 0;
    if (!a->nullpos) {
        int ga = sort_group(a->e), gb = sort_group(b->e);
        c = ga != gb ? (ga < gb ? -1 : 1) : kql_dyn_compare(a->e, b->e);
        if (a->desc)
            c = -c;
    }
    /* ties keep their input order, so the companion arrays are stable */
    return c ? c : (a->index < b->index ? -1 : a->index > b->index);
}

/* array_sort_asc/desc(array1 [, ..., arrayN] [, nulls_last]): the first
 * array sorted, the others reordered to match; one array gives the sorted
 * array, several give an array of the reordered arrays (an array whose
 * length differs from the first one's becomes null). */
static kql_type sort_rule(const char *fname, const kql_type *args, size_t n, char *err, size_t errlen)
{
    size_t arrays = n && args[n - 1] == KQL_BOOL ? n - 1 : n;
    if (arrays == 0)
        return kql_fn_fail(err, errlen, "%s(): expects at least one array", fname);
    for (size_t i = 0; i < arrays; i++)
        if (args[i] != KQL_DYNAMIC)
            return kql_fn_fail(err, errlen, "%s(): argument %zu must be a dynamic, got %s", fname,
                               i + 1, kql_type_name(args[i]));
    return KQL_DYNAMIC;
}

static void array_sort(kql_fn_ctx *ctx, const kql_value *args, size_t n, bool desc, kql_value *out)
{
    bool nulls_last = true;
    size_t arrays = n;
    if (args[n - 1].type == KQL_BOOL) {
        arrays--;
        nulls_last = args[n - 1].is_null || args[n - 1].u.b;
    }
    kql_dyn first = kql_fn_dyn_array(&args[0]);
    if (!first) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    uint32_t count = kql_dyn_count(first);
    kql_buf_clear(&ctx->scratch);
    kql_dyn e = kql_dyn_first(first);
    for (uint32_t i = 0; i < count; i++, e = kql_dyn_next(e)) {
        sort_key k = { e, i, (int8_t)(dyn_is_null(e) ? (nulls_last ? 1 : -1) : 0), desc };
        kql_buf_put(&ctx->scratch, &k, sizeof k);
    }
    if (count)
        qsort(ctx->scratch.data, count, sizeof(sort_key), sort_key_cmp);
    size_t from = ctx->scratch.len;
    size_t outer = 0;
    if (arrays > 1)
        outer = kql_dyn_begin_array(&ctx->scratch);
    for (size_t a = 0; a < arrays; a++) {
        kql_dyn arr = kql_fn_dyn_array(&args[a]);
        if (!arr || kql_dyn_count(arr) != count) {
            kql_dyn_put_null(&ctx->scratch);
            continue;
        }
        size_t mark = kql_dyn_begin_array(&ctx->scratch);
        for (uint32_t i = 0; i < count; i++) {
            const sort_key *k = (const sort_key *)ctx->scratch.data + i;
            /* the companions are walked to the index: quadratic, but they are rare */
            kql_dyn_put_raw(&ctx->scratch, a == 0 ? k->e : kql_dyn_index(arr, k->index));
        }
        kql_dyn_end(&ctx->scratch, mark, count);
    }
    if (arrays > 1)
        kql_dyn_end(&ctx->scratch, outer, (uint32_t)arrays);
    *out = kql_fn_dynamic_out(ctx, from);
}

kql_type kql_fnt_array_sort_asc(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return sort_rule("array_sort_asc", args, n, err, errlen);
}

kql_type kql_fnt_array_sort_desc(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return sort_rule("array_sort_desc", args, n, err, errlen);
}

void kql_fn_array_sort_asc(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    array_sort(ctx, args, n, false, out);
}

void kql_fn_array_sort_desc(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    array_sort(ctx, args, n, true, out);
}

/* ---- reordering ---- */

/* The result: elements [lo, hi) of put_elems' table as a new array after it. */
static void emit_range(kql_fn_ctx *ctx, size_t from, int64_t lo, int64_t hi, kql_value *out)
{
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    for (int64_t i = lo; i < hi; i++)
        kql_dyn_put_raw(&ctx->scratch, elem_at(ctx, (size_t)i));
    kql_dyn_end(&ctx->scratch, mark, (uint32_t)(hi > lo ? hi - lo : 0));
    *out = kql_fn_dynamic_out(ctx, from);
}

KQL_FN_RULE(kql_fnt_array_reverse, "array_reverse", "y", KQL_DYNAMIC)

void kql_fn_array_reverse(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    if (!arr) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    uint32_t count = kql_dyn_count(arr);
    size_t from = put_elems(ctx, arr);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    for (uint32_t i = count; i-- > 0;)
        kql_dyn_put_raw(&ctx->scratch, elem_at(ctx, i));
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, from);
}

KQL_FN_RULE(kql_fnt_array_slice, "array_slice", "yii", KQL_DYNAMIC)

/* Inclusive start and end; negative indexes count from the end. */
void kql_fn_array_slice(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    if (!arr || args[1].is_null || args[2].is_null) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    int64_t len = kql_dyn_count(arr), lo = args[1].u.i, hi = args[2].u.i;
    if (lo < 0)
        lo = lo < -len ? 0 : lo + len;
    if (hi < 0)
        hi = hi < -len ? -1 : hi + len;
    if (hi >= len)
        hi = len - 1;
    size_t from = put_elems(ctx, arr);
    emit_range(ctx, from, lo, hi + 1, out);
}

/* Shared by the rotations and shifts: n positions to the left (negative: to
 * the right). A shift fills the vacated places with fill (null if absent). */
static void move_elems(kql_fn_ctx *ctx, const kql_value *args, size_t n, bool rotate, bool right,
                       kql_value *out)
{
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    if (!arr || args[1].is_null) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    int64_t len = kql_dyn_count(arr), by = args[1].u.i;
    /* only by modulo len (a rotation) or clamped to [-len, len] (a shift)
     * matters; reducing first keeps the index arithmetic from overflowing */
    if (rotate)
        by = len ? by % len : 0;
    else
        by = by > len ? len : by < -len ? -len : by;
    if (right)
        by = -by;
    size_t from = put_elems(ctx, arr);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    for (int64_t i = 0; i < len; i++) {
        int64_t at = i + by;
        if (rotate)
            kql_dyn_put_raw(&ctx->scratch, elem_at(ctx, (size_t)((at % len + len) % len)));
        else if (at >= 0 && at < len)
            kql_dyn_put_raw(&ctx->scratch, elem_at(ctx, (size_t)at));
        else if (n > 2)
            kql_fn_put_any(&ctx->scratch, &args[2]);
        else
            kql_dyn_put_null(&ctx->scratch);
    }
    kql_dyn_end(&ctx->scratch, mark, (uint32_t)len);
    *out = kql_fn_dynamic_out(ctx, from);
}

KQL_FN_DEFINE(array_rotate_left, "yi", KQL_DYNAMIC, move_elems(ctx, args, n, true, false, out))
KQL_FN_DEFINE(array_rotate_right, "yi", KQL_DYNAMIC, move_elems(ctx, args, n, true, true, out))
KQL_FN_DEFINE(array_shift_left, "yia", KQL_DYNAMIC, move_elems(ctx, args, n, false, false, out))
KQL_FN_DEFINE(array_shift_right, "yia", KQL_DYNAMIC, move_elems(ctx, args, n, false, true, out))

kql_type kql_fnt_array_split(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (!kql_fn_check("array_split", args, n, "ya", err, errlen))
        return KQL_TYPE_UNKNOWN;
    if (args[1] != KQL_INT && args[1] != KQL_LONG && args[1] != KQL_DYNAMIC)
        return kql_fn_fail(err, errlen, "array_split(): argument 2 must be an integer or an array "
                                        "of integers, got %s", kql_type_name(args[1]));
    return KQL_DYNAMIC;
}

/* Splits before each index (negative from the end); indexes outside the
 * array or not increasing are ignored. */
void kql_fn_array_split(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    if (!arr || kql_fn_is_null(&args[1])) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    int64_t len = kql_dyn_count(arr);
    kql_dyn cuts = kql_fn_dyn_array(&args[1]);
    kql_dyn one = NULL;
    if (args[1].type == KQL_DYNAMIC && !cuts)
        one = kql_fn_dyn_arg(&args[1]);
    uint32_t ncuts = cuts ? kql_dyn_count(cuts) : 1;
    size_t from = put_elems(ctx, arr);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    uint32_t parts = 0;
    int64_t lo = 0;
    kql_dyn c = cuts ? kql_dyn_first(cuts) : NULL;
    for (uint32_t k = 0; k <= ncuts; k++) {
        int64_t at = len;
        if (k < ncuts) {
            kql_dyn cd = cuts ? c : one;
            if (cuts)
                c = kql_dyn_next(c);
            if (cd && kql_dyn_tag_of(cd) == KQL_DYN_LONG)
                at = kql_dyn_long(cd);
            else if (cd)
                continue;
            else
                at = args[1].u.i;
            if (at < 0)
                at = at < -len ? 0 : at + len;
            if (at <= lo || at >= len)
                continue;
        }
        size_t inner = kql_dyn_begin_array(&ctx->scratch);
        for (int64_t i = lo; i < at; i++)
            kql_dyn_put_raw(&ctx->scratch, elem_at(ctx, (size_t)i));
        kql_dyn_end(&ctx->scratch, inner, (uint32_t)(at - lo));
        parts++;
        lo = at;
    }
    kql_dyn_end(&ctx->scratch, mark, parts);
    *out = kql_fn_dynamic_out(ctx, from);
}

/* ---- searching and summing ---- */

/* The lookup value as an encoding in scratch (at its start). */
static kql_dyn lookup_value(kql_fn_ctx *ctx, const kql_value *v)
{
    kql_buf_clear(&ctx->scratch);
    kql_fn_put_any(&ctx->scratch, v);
    return (kql_dyn)ctx->scratch.data;
}

kql_type kql_fnt_array_index_of(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return kql_fn_check("array_index_of", args, n, "yaiii", err, errlen) ? KQL_LONG : KQL_TYPE_UNKNOWN;
}

/* array_index_of(array, lookup [, start [, length [, occurrence]]]): the
 * index of the occurrence-th match at or after start (negative: from the
 * end) within length elements; -1 when there is none, null for a start or
 * occurrence out of range. */
void kql_fn_array_index_of(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    *out = kql_null(KQL_LONG);
    if (!arr)
        return;
    int64_t len = kql_dyn_count(arr), start = 0, span = -1, occurrence = 1;
    if ((n > 2 && args[2].is_null) || (n > 3 && args[3].is_null) || (n > 4 && args[4].is_null))
        return;
    if (n > 2)
        start = args[2].u.i;
    if (n > 3)
        span = args[3].u.i;
    if (n > 4)
        occurrence = args[4].u.i;
    if (start < 0)
        start = start < -len ? 0 : start + len;
    if (start > len || occurrence <= 0 || span < -1)
        return;
    int64_t end = span == -1 || span > len - start ? len : start + span;
    kql_dyn want = lookup_value(ctx, &args[1]);
    kql_dyn e = start < len ? kql_dyn_index(arr, start) : NULL;
    for (int64_t i = start; i < end; i++, e = kql_dyn_next(e))
        if (kql_dyn_equal(e, want) && --occurrence == 0) {
            *out = kql_long(i);
            return;
        }
    *out = kql_long(-1);
}

KQL_FN_RULE(kql_fnt_set_has_element, "set_has_element", "ya", KQL_BOOL)

void kql_fn_set_has_element(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    if (!arr) {
        *out = kql_null(KQL_BOOL);
        return;
    }
    kql_dyn want = lookup_value(ctx, &args[1]);
    uint32_t count = kql_dyn_count(arr);
    kql_dyn e = kql_dyn_first(arr);
    bool found = false;
    for (uint32_t i = 0; i < count && !found; i++, e = kql_dyn_next(e))
        found = kql_dyn_equal(e, want);
    *out = kql_bool(found);
}

KQL_FN_RULE(kql_fnt_array_sum, "array_sum", "y", KQL_REAL)

/* The sum of the numeric elements; null when there is something else. */
void kql_fn_array_sum(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    *out = kql_null(KQL_REAL);
    if (!arr)
        return;
    double sum = 0;
    uint32_t count = kql_dyn_count(arr);
    kql_dyn e = kql_dyn_first(arr);
    for (uint32_t i = 0; i < count; i++, e = kql_dyn_next(e)) {
        kql_dyn_tag t = kql_dyn_tag_of(e);
        if (t == KQL_DYN_LONG)
            sum += (double)kql_dyn_long(e);
        else if (t == KQL_DYN_REAL)
            sum += kql_dyn_real(e);
        else
            return;
    }
    *out = kql_real(sum);
}

kql_type kql_fnt_array_iff(const kql_type *args, size_t n, char *err, size_t errlen)
{
    return kql_fn_check("array_iff", args, n, "yaa", err, errlen) ? KQL_DYNAMIC : KQL_TYPE_UNKNOWN;
}

/* Element-wise iff: a non-bool condition gives null; a then/else that is
 * an array contributes its i-th element (null past its end), a scalar
 * contributes itself. */
void kql_fn_array_iff(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn cond = kql_fn_dyn_array(&args[0]);
    if (!cond) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    uint32_t count = kql_dyn_count(cond);
    /* cursors into the then/else arrays, walked in step with the condition */
    kql_dyn arr[2] = { kql_fn_dyn_array(&args[1]), kql_fn_dyn_array(&args[2]) };
    uint32_t left[2] = { arr[0] ? kql_dyn_count(arr[0]) : 0, arr[1] ? kql_dyn_count(arr[1]) : 0 };
    kql_dyn cur[2] = { left[0] ? kql_dyn_first(arr[0]) : NULL, left[1] ? kql_dyn_first(arr[1]) : NULL };
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    kql_dyn c = kql_dyn_first(cond);
    for (uint32_t i = 0; i < count; i++, c = kql_dyn_next(c)) {
        kql_dyn_tag t = kql_dyn_tag_of(c);
        if (t != KQL_DYN_TRUE && t != KQL_DYN_FALSE)
            kql_dyn_put_null(&ctx->scratch);
        else if (!arr[t == KQL_DYN_TRUE ? 0 : 1])
            kql_fn_put_any(&ctx->scratch, &args[t == KQL_DYN_TRUE ? 1 : 2]);
        else if (cur[t == KQL_DYN_TRUE ? 0 : 1])
            kql_dyn_put_raw(&ctx->scratch, cur[t == KQL_DYN_TRUE ? 0 : 1]);
        else
            kql_dyn_put_null(&ctx->scratch);
        for (int k = 0; k < 2; k++)
            if (cur[k])
                cur[k] = --left[k] ? kql_dyn_next(cur[k]) : NULL;
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_zip, "zip", "y*", KQL_DYNAMIC)

/* Arrays of the i-th elements, as long as the longest array (shorter ones
 * padded with null); null when an argument isn't an array. */
void kql_fn_zip(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    uint32_t longest = 0;
    for (size_t a = 0; a < n; a++) {
        kql_dyn arr = kql_fn_dyn_array(&args[a]);
        if (!arr) {
            *out = kql_null(KQL_DYNAMIC);
            return;
        }
        if (kql_dyn_count(arr) > longest)
            longest = kql_dyn_count(arr);
    }
    /* a cursor per array (zip takes at most KQL_FN_MAX_TEXTS arguments) */
    kql_dyn cur[KQL_FN_MAX_TEXTS];
    uint32_t left[KQL_FN_MAX_TEXTS];
    for (size_t a = 0; a < n && a < KQL_FN_MAX_TEXTS; a++) {
        left[a] = kql_dyn_count((kql_dyn)args[a].u.s.ptr);
        cur[a] = left[a] ? kql_dyn_first((kql_dyn)args[a].u.s.ptr) : NULL;
    }
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    for (uint32_t i = 0; i < longest; i++) {
        size_t inner = kql_dyn_begin_array(&ctx->scratch);
        for (size_t a = 0; a < n && a < KQL_FN_MAX_TEXTS; a++) {
            if (cur[a]) {
                kql_dyn_put_raw(&ctx->scratch, cur[a]);
                cur[a] = --left[a] ? kql_dyn_next(cur[a]) : NULL;
            } else {
                kql_dyn_put_null(&ctx->scratch);
            }
        }
        kql_dyn_end(&ctx->scratch, inner, (uint32_t)n);
    }
    kql_dyn_end(&ctx->scratch, mark, longest);
    *out = kql_fn_dynamic_out(ctx, 0);
}

/* ---- range() ---- */

kql_type kql_fnt_range(const kql_type *args, size_t n, char *err, size_t errlen)
{
    bool num = kql_fn_check("range", args, n, "nnn", NULL, 0);
    bool dt = kql_fn_check("range", args, n, "ddt", NULL, 0);
    bool ts = kql_fn_check("range", args, n, "ttt", NULL, 0);
    if (!num && !dt && !ts)
        return kql_fn_fail(err, errlen, "range(): expects numbers, or datetimes with a timespan "
                                        "step, or timespans; got %s and %s",
                           kql_type_name(args[0]), kql_type_name(args[1]));
    return KQL_DYNAMIC;
}

/* range(start, stop [, step]): start, start+step, ... while not past stop
 * (inclusive), at most RANGE_MAX_ELEMENTS; step defaults to 1 (1h for
 * datetimes and timespans); a zero step or a null gives null. */
void kql_fn_range(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    *out = kql_null(KQL_DYNAMIC);
    for (size_t i = 0; i < n; i++)
        if (args[i].is_null)
            return;
    kql_type t = args[0].type;
    bool real = t == KQL_REAL || args[1].type == KQL_REAL || (n > 2 && args[2].type == KQL_REAL);
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    uint32_t count = 0;
    if (real) {
        double a = kql_fn_as_real(&args[0]), b = kql_fn_as_real(&args[1]);
        double step = n > 2 ? kql_fn_as_real(&args[2]) : 1;
        if (step == 0 || !isfinite(step) || !isfinite(a) || !isfinite(b))
            return;
        for (double x = a; count < RANGE_MAX_ELEMENTS && (step > 0 ? x <= b : x >= b);
             x = a + step * ++count)
            kql_dyn_put_real(&ctx->scratch, x);
    } else {
        int64_t a = args[0].u.i, b = args[1].u.i;
        int64_t step = n > 2 ? args[2].u.i : (t == KQL_INT || t == KQL_LONG ? 1 : 36000000000LL);
        if (step == 0)
            return;
        for (int64_t x = a; count < RANGE_MAX_ELEMENTS && (step > 0 ? x <= b : x >= b); count++) {
            if (t == KQL_DATETIME)
                kql_dyn_put_datetime(&ctx->scratch, x);
            else if (t == KQL_TIMESPAN)
                kql_dyn_put_timespan(&ctx->scratch, x);
            else
                kql_dyn_put_long(&ctx->scratch, x);
            if (__builtin_add_overflow(x, step, &x)) {
                count++;
                break;
            }
        }
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

/* ---- sets ----
 * An open-addressing hash table of the distinct elements sits at the start
 * of scratch; the result is appended after it. */

typedef struct set_slot { kql_dyn e; uint32_t mark; uint32_t used; } set_slot;

static size_t set_init(kql_fn_ctx *ctx, uint64_t elements, size_t *cap)
{
    size_t c = 16;
    while (c < elements * 2)
        c *= 2;
    kql_buf_clear(&ctx->scratch);
    set_slot empty = { NULL, 0, 0 };
    for (size_t i = 0; i < c; i++)
        kql_buf_put(&ctx->scratch, &empty, sizeof empty);
    *cap = c;
    return ctx->scratch.len;
}

/* The slot of e: the one holding an equal element, or the empty one where
 * it belongs (used == 0). Re-derive after scratch grows. */
static set_slot *set_find(kql_fn_ctx *ctx, size_t cap, kql_dyn e)
{
    set_slot *t = (set_slot *)ctx->scratch.data;
    for (size_t i = kql_dyn_hash(e) & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!t[i].used || kql_dyn_equal(t[i].e, e))
            return &t[i];
}

/* The arguments as arrays with their total element count; false if one
 * isn't an array. */
static bool set_args(const kql_value *args, size_t n, uint64_t *total)
{
    *total = 0;
    for (size_t a = 0; a < n; a++) {
        kql_dyn arr = kql_fn_dyn_array(&args[a]);
        if (!arr)
            return false;
        *total += kql_dyn_count(arr);
    }
    return true;
}

enum set_op { SET_UNION, SET_INTERSECT, SET_DIFFERENCE };

/* union: every distinct element in order of first appearance; intersect:
 * the first array's distinct elements found in all the others; difference:
 * those found in none of the others. */
static void set_combine(kql_fn_ctx *ctx, const kql_value *args, size_t n, enum set_op op, kql_value *out)
{
    uint64_t total;
    if (!set_args(args, n, &total)) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    size_t cap;
    size_t from = set_init(ctx, op == SET_UNION ? total : kql_dyn_count((kql_dyn)args[0].u.s.ptr), &cap);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    uint32_t count = 0;
    if (op == SET_UNION) {
        for (size_t a = 0; a < n; a++) {
            kql_dyn arr = (kql_dyn)args[a].u.s.ptr;
            uint32_t k = kql_dyn_count(arr);
            kql_dyn e = kql_dyn_first(arr);
            for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
                set_slot *s = set_find(ctx, cap, e);
                if (s->used)
                    continue;
                *s = (set_slot){ e, 0, 1 };
                kql_dyn_put_raw(&ctx->scratch, e);
                count++;
            }
        }
    } else {
        kql_dyn first = (kql_dyn)args[0].u.s.ptr;
        uint32_t k = kql_dyn_count(first);
        kql_dyn e = kql_dyn_first(first);
        for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
            set_slot *s = set_find(ctx, cap, e);
            if (!s->used)
                *s = (set_slot){ e, 0, 1 };
        }
        /* mark = how many of the other arrays (in turn) hold the element */
        for (size_t a = 1; a < n; a++) {
            kql_dyn arr = (kql_dyn)args[a].u.s.ptr;
            uint32_t m = kql_dyn_count(arr);
            kql_dyn x = kql_dyn_first(arr);
            for (uint32_t i = 0; i < m; i++, x = kql_dyn_next(x)) {
                set_slot *s = set_find(ctx, cap, x);
                if (s->used && s->mark == a - 1)
                    s->mark = (uint32_t)a;
                else if (s->used && op == SET_DIFFERENCE)
                    s->mark = (uint32_t)n;
            }
        }
        e = kql_dyn_first(first);
        for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
            set_slot *s = set_find(ctx, cap, e);
            bool keep = op == SET_INTERSECT ? s->mark == n - 1 : s->mark == 0;
            if (s->used == 1 && keep) {
                s->used = 2;   /* emitted */
                kql_dyn_put_raw(&ctx->scratch, e);
                count++;
            }
        }
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, from);
}

KQL_FN_DEFINE(set_union, "y*", KQL_DYNAMIC, set_combine(ctx, args, n, SET_UNION, out))
KQL_FN_DEFINE(set_intersect, "y*", KQL_DYNAMIC, set_combine(ctx, args, n, SET_INTERSECT, out))
KQL_FN_DEFINE(set_difference, "y*", KQL_DYNAMIC, set_combine(ctx, args, n, SET_DIFFERENCE, out))

KQL_FN_RULE(kql_fnt_jaccard_index, "jaccard_index", "yy", KQL_REAL)

/* |A ∩ B| / |A ∪ B| over the distinct elements; 0/0 gives NaN. */
void kql_fn_jaccard_index(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    uint64_t total;
    if (!set_args(args, n, &total)) {
        *out = kql_null(KQL_REAL);
        return;
    }
    size_t cap;
    set_init(ctx, total, &cap);
    uint64_t both = 0, all = 0;
    for (size_t a = 0; a < 2; a++) {
        kql_dyn arr = (kql_dyn)args[a].u.s.ptr;
        uint32_t k = kql_dyn_count(arr);
        kql_dyn e = kql_dyn_first(arr);
        for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
            set_slot *s = set_find(ctx, cap, e);
            if (!s->used) {
                *s = (set_slot){ e, (uint32_t)a, 1 };
                all++;
            } else if (a == 1 && s->mark == 0) {
                s->mark = 2;
                both++;
            }
        }
    }
    *out = kql_real(all ? (double)both / (double)all : NAN);
}

/* ---- bags ---- */

static kql_dyn bag_arg(const kql_value *v)
{
    kql_dyn d = v->type == KQL_DYNAMIC ? kql_fn_dyn_arg(v) : NULL;
    return d && kql_dyn_tag_of(d) == KQL_DYN_OBJECT ? d : NULL;
}

KQL_FN_RULE(kql_fnt_bag_merge, "bag_merge", "y*", KQL_DYNAMIC)

/* The properties of all the bags; on a duplicate key the first bag's value
 * wins (NOTES §12). Arguments that aren't bags are skipped. */
void kql_fn_bag_merge(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_object(&ctx->scratch);
    uint32_t count = 0;
    for (size_t a = 0; a < n; a++) {
        kql_dyn bag = bag_arg(&args[a]);
        if (!bag)
            continue;
        uint32_t k = kql_dyn_count(bag);
        const uint8_t *p = kql_dyn_prop_first(bag);
        for (uint32_t i = 0; i < k; i++, p = kql_dyn_prop_next(p)) {
            kql_str key;
            kql_dyn value;
            kql_dyn_prop(p, &key, &value);
            bool seen = false;
            for (size_t b = 0; b < a && !seen; b++)
                seen = bag_arg(&args[b]) && kql_dyn_get(bag_arg(&args[b]), key.ptr, key.len);
            if (seen)
                continue;
            kql_dyn_put_key(&ctx->scratch, key.len ? key.ptr : "", key.len);
            kql_dyn_put_raw(&ctx->scratch, value);
            count++;
        }
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

/* Copies bag's properties except those for which skip() is true. */
static uint32_t copy_props(kql_buf *b, kql_dyn bag, bool (*skip)(kql_str key, const void *arg),
                           const void *arg)
{
    uint32_t count = 0, k = kql_dyn_count(bag);
    const uint8_t *p = kql_dyn_prop_first(bag);
    for (uint32_t i = 0; i < k; i++, p = kql_dyn_prop_next(p)) {
        kql_str key;
        kql_dyn value;
        kql_dyn_prop(p, &key, &value);
        if (skip(key, arg))
            continue;
        kql_dyn_put_key(b, key.len ? key.ptr : "", key.len);
        kql_dyn_put_raw(b, value);
        count++;
    }
    return count;
}

/* A key given as "$.name" or "$['name']" means the top-level name. */
static kql_str plain_key(kql_str k)
{
    if (k.len > 2 && k.ptr[0] == '$' && k.ptr[1] == '.')
        return (kql_str){ k.ptr + 2, k.len - 2 };
    if (k.len > 5 && k.ptr[0] == '$' && k.ptr[1] == '[' && (k.ptr[2] == '\'' || k.ptr[2] == '"') &&
        k.ptr[k.len - 1] == ']' && k.ptr[k.len - 2] == k.ptr[2])
        return (kql_str){ k.ptr + 3, k.len - 5 };
    return k;
}

static bool key_in_list(kql_str key, const void *arg)
{
    kql_dyn keys = arg;
    uint32_t k = kql_dyn_count(keys);
    kql_dyn e = kql_dyn_first(keys);
    for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
        if (kql_dyn_tag_of(e) != KQL_DYN_STRING)
            continue;
        kql_str s = plain_key(kql_dyn_string(e));
        if (s.len == key.len && memcmp(s.ptr, key.ptr, s.len) == 0)
            return true;
    }
    return false;
}

KQL_FN_RULE(kql_fnt_bag_remove_keys, "bag_remove_keys", "yy", KQL_DYNAMIC)

/* Top-level keys only; a non-bag gives null. */
void kql_fn_bag_remove_keys(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn bag = bag_arg(&args[0]), keys = kql_fn_dyn_array(&args[1]);
    if (!bag || !keys) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_object(&ctx->scratch);
    kql_dyn_end(&ctx->scratch, mark, copy_props(&ctx->scratch, bag, key_in_list, keys));
    *out = kql_fn_dynamic_out(ctx, 0);
}

static bool key_is(kql_str key, const void *arg)
{
    const kql_str *k = arg;
    return k->len == key.len && memcmp(k->ptr, key.ptr, key.len) == 0;
}

KQL_FN_RULE(kql_fnt_bag_set_key, "bag_set_key", "ysa", KQL_DYNAMIC)

/* The bag with key set to value: replaced in place when present, appended
 * otherwise. Top-level keys only. */
void kql_fn_bag_set_key(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn bag = bag_arg(&args[0]);
    if (!bag) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    kql_str key = plain_key(args[1].u.s);
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_object(&ctx->scratch);
    uint32_t count = 0, k = kql_dyn_count(bag);
    bool replaced = false;
    const uint8_t *p = kql_dyn_prop_first(bag);
    for (uint32_t i = 0; i < k; i++, p = kql_dyn_prop_next(p)) {
        kql_str pk;
        kql_dyn value;
        kql_dyn_prop(p, &pk, &value);
        kql_dyn_put_key(&ctx->scratch, pk.len ? pk.ptr : "", pk.len);
        if (!replaced && key_is(pk, &key)) {
            kql_fn_put_any(&ctx->scratch, &args[2]);
            replaced = true;
        } else {
            kql_dyn_put_raw(&ctx->scratch, value);
        }
        count++;
    }
    if (!replaced) {
        kql_dyn_put_key(&ctx->scratch, key.len ? key.ptr : "", key.len);
        kql_fn_put_any(&ctx->scratch, &args[2]);
        count++;
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_bag_zip, "bag_zip", "yy", KQL_DYNAMIC)

/* A bag of keys[i] -> values[i]: keys that aren't strings are skipped,
 * missing values (or a values argument that isn't an array) give null. */
void kql_fn_bag_zip(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn keys = kql_fn_dyn_array(&args[0]), values = kql_fn_dyn_array(&args[1]);
    if (!keys) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_object(&ctx->scratch);
    uint32_t count = 0, k = kql_dyn_count(keys), nv = values ? kql_dyn_count(values) : 0;
    kql_dyn e = kql_dyn_first(keys), v = nv ? kql_dyn_first(values) : NULL;
    for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
        kql_dyn here = i < nv ? v : NULL;
        if (i + 1 < nv)
            v = kql_dyn_next(v);
        if (kql_dyn_tag_of(e) != KQL_DYN_STRING)
            continue;
        kql_str key = kql_dyn_string(e);
        kql_dyn_put_key(&ctx->scratch, key.len ? key.ptr : "", key.len);
        if (here)
            kql_dyn_put_raw(&ctx->scratch, here);
        else
            kql_dyn_put_null(&ctx->scratch);
        count++;
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

/* ---- dynamic_to_json ---- */

static int key_cmp(kql_str a, kql_str b)
{
    int c = memcmp(a.ptr, b.ptr, a.len < b.len ? a.len : b.len);
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* JSON with every bag's keys in ordinal order. Each object emits its keys
 * by repeated minimum search, so no per-object storage is needed; depth
 * follows the value's own nesting, which the parser already bounds. */
static void sorted_json(kql_dyn d, kql_buf *out)
{
    kql_dyn_tag t = kql_dyn_tag_of(d);
    if (t == KQL_DYN_ARRAY) {
        kql_buf_putc(out, '[');
        uint32_t k = kql_dyn_count(d);
        kql_dyn e = kql_dyn_first(d);
        for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
            if (i)
                kql_buf_putc(out, ',');
            sorted_json(e, out);
        }
        kql_buf_putc(out, ']');
        return;
    }
    if (t != KQL_DYN_OBJECT) {
        kql_dyn_to_json(d, out);
        return;
    }
    kql_buf_putc(out, '{');
    uint32_t k = kql_dyn_count(d);
    kql_str last = { "", 0 };
    for (uint32_t done = 0; done < k; done++) {
        const uint8_t *p = kql_dyn_prop_first(d), *best = NULL;
        kql_str best_key = { "", 0 };
        for (uint32_t i = 0; i < k; i++, p = kql_dyn_prop_next(p)) {
            kql_str key;
            kql_dyn value;
            kql_dyn_prop(p, &key, &value);
            if (done && key_cmp(key, last) <= 0)
                continue;
            if (!best || key_cmp(key, best_key) < 0) {
                best = p;
                best_key = key;
            }
        }
        if (!best)
            break;   /* only duplicates of printed keys remain */
        kql_str key;
        kql_dyn value;
        kql_dyn_prop(best, &key, &value);
        if (done)
            kql_buf_putc(out, ',');
        kql_json_string(key.len ? key.ptr : "", key.len, out);
        kql_buf_putc(out, ':');
        sorted_json(value, out);
        last = key;
    }
    kql_buf_putc(out, '}');
}

KQL_FN_RULE(kql_fnt_dynamic_to_json, "dynamic_to_json", "y", KQL_STRING)

void kql_fn_dynamic_to_json(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn d = kql_fn_dyn_arg(&args[0]);
    kql_buf_clear(&ctx->scratch);
    if (d)
        sorted_json(d, &ctx->scratch);
    else
        kql_buf_puts(&ctx->scratch, "null");
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}
