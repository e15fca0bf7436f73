/* column.c - typed, reference-counted columns (column.h) and the ordering,
 * equality and hashing of cells that sort, summarize and join rely on.
 *
 * A column is one malloc'd value array (grown by doubling) plus a null bitmap
 * allocated only when the first null arrives. String and dynamic bytes go to
 * arenas, never to per-cell mallocs. decimal is stored as a double (data.r),
 * like real; int as int64 (data.i), like long.
 */
#include "column.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dynamic.h"

/* The encoded dynamic null (tag 0): what a null dynamic cell points at. */
static const char dyn_null_bytes[1] = {0};

static bool type_is_bytes(kql_type t)
{
    return t == KQL_STRING || t == KQL_DYNAMIC;
}

static size_t elem_size(kql_type t)
{
    switch (t) {
    case KQL_BOOL:
        return 1;
    case KQL_STRING:
    case KQL_DYNAMIC:
        return sizeof(kql_str);
    case KQL_GUID:
        return sizeof(kql_guid);
    default:
        return 8;   /* int64 or double */
    }
}

static void col_reserve(kql_column *c, size_t need)
{
    if (need <= c->cap)
        return;
    size_t cap = c->cap ? c->cap : 16;
    while (cap < need)
        cap *= 2;
    size_t es = elem_size(c->type);
    if (cap > SIZE_MAX / es) {
        kql_out_of_memory(cap);
    }
    c->data.any = kql_xrealloc(c->data.any, cap * es);   /* owned; freed in release */
    if (c->nulls) {
        size_t old = (c->cap + 7) / 8, now = (cap + 7) / 8;
        c->nulls = kql_xrealloc(c->nulls, now);
        memset(c->nulls + old, 0, now - old);
    }
    c->cap = cap;
}

kql_column *kql_column_new(kql_type type, size_t capacity)
{
    kql_column *c = kql_xrealloc(NULL, sizeof *c);   /* freed by the last release */
    memset(c, 0, sizeof *c);
    c->refs = 1;
    c->type = type;
    col_reserve(c, capacity);
    return c;
}

kql_column *kql_column_retain(kql_column *c)
{
    if (c)
        c->refs++;
    return c;
}

void kql_column_release(kql_column *c)
{
    if (!c || --c->refs > 0)
        return;
    free(c->data.any);
    free(c->nulls);
    kql_arena_release(c->arena);
    for (size_t i = 0; i < c->nborrowed; i++)
        kql_arena_release(c->borrowed[i]);
    free(c->borrowed);
    free(c);
}

static void set_null_bit(kql_column *c, size_t row)
{
    if (!c->nulls) {
        c->nulls = kql_xrealloc(NULL, (c->cap + 7) / 8);   /* freed in release */
        memset(c->nulls, 0, (c->cap + 7) / 8);
    }
    c->nulls[row >> 3] |= (uint8_t)(1u << (row & 7));
}

kql_value kql_column_get(const kql_column *c, size_t row)
{
    kql_value v;
    v.type = c->type;
    v.is_null = kql_column_is_null(c, row);
    switch (c->type) {
    case KQL_BOOL:
        v.u.i = 0;
        v.u.b = c->data.b[row] != 0;
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        v.u.r = c->data.r[row];
        break;
    case KQL_STRING:
    case KQL_DYNAMIC:
        v.u.s = c->data.s[row];
        break;
    case KQL_GUID:
        v.u.g = c->data.g[row];
        break;
    default:
        v.u.i = c->data.i[row];
        break;
    }
    return v;
}

void kql_column_push_null(kql_column *c)
{
    col_reserve(c, c->len + 1);
    size_t row = c->len++;
    switch (c->type) {
    case KQL_BOOL:
        c->data.b[row] = 0;
        break;
    case KQL_STRING:
        /* KQL strings have no null: a missing string is "" */
        c->data.s[row] = (kql_str){"", 0};
        return;
    case KQL_DYNAMIC:
        c->data.s[row] = (kql_str){dyn_null_bytes, 1};
        break;
    case KQL_GUID:
        memset(&c->data.g[row], 0, sizeof(kql_guid));
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        c->data.r[row] = 0;
        break;
    default:
        c->data.i[row] = 0;
        break;
    }
    set_null_bit(c, row);
}

/* A null of any type fits every column; otherwise the types must agree, except
 * that an int value widens into a long column. */
static bool value_fits(const kql_column *c, const kql_value *v)
{
    return v->is_null || v->type == c->type || (c->type == KQL_LONG && v->type == KQL_INT);
}

static void push_value(kql_column *c, const kql_value *v, bool copy_bytes)
{
    bool fits = value_fits(c, v);
    assert(fits && "kql_column_push: value type differs from column type");
    if (!fits || v->is_null) {
        kql_column_push_null(c);
        return;
    }
    if (type_is_bytes(c->type)) {
        kql_str s = v->u.s;
        if (c->type == KQL_DYNAMIC && (s.len == 0 || !s.ptr || s.ptr[0] == KQL_DYN_NULL)) {
            kql_column_push_null(c);
            return;
        }
        if (s.len == 0)
            s.ptr = "";
        else if (copy_bytes)
            s.ptr = kql_arena_dup(kql_column_arena(c), s.ptr, s.len);
        col_reserve(c, c->len + 1);
        c->data.s[c->len++] = s;
        return;
    }
    col_reserve(c, c->len + 1);
    size_t row = c->len++;
    switch (c->type) {
    case KQL_BOOL:
        c->data.b[row] = v->u.b;
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        c->data.r[row] = v->u.r;
        break;
    case KQL_GUID:
        c->data.g[row] = v->u.g;
        break;
    default:
        c->data.i[row] = v->u.i;
        break;
    }
}

void kql_column_push(kql_column *c, const kql_value *v)
{
    push_value(c, v, true);
}

void kql_column_push_borrowed(kql_column *c, const kql_value *v)
{
    push_value(c, v, false);
}

kql_arena *kql_column_arena(kql_column *c)
{
    if (!c->arena)
        c->arena = kql_arena_new();   /* the column's reference; released with it */
    return c->arena;
}

static void hold_arena(kql_column *c, kql_arena *a)
{
    if (!a || a == c->arena)
        return;
    for (size_t i = 0; i < c->nborrowed; i++)
        if (c->borrowed[i] == a)
            return;
    c->borrowed = kql_xrealloc(c->borrowed, (c->nborrowed + 1) * sizeof *c->borrowed);
    c->borrowed[c->nborrowed++] = kql_arena_retain(a);
}

void kql_column_borrow(kql_column *c, const kql_column *from)
{
    hold_arena(c, from->arena);
    for (size_t i = 0; i < from->nborrowed; i++)
        hold_arena(c, from->borrowed[i]);
}

kql_column *kql_column_gather(const kql_column *src, const size_t *idx, size_t n)
{
    kql_column *c = kql_column_new(src->type, n);
    if (type_is_bytes(src->type))
        kql_column_borrow(c, src);
    /* An index of SIZE_MAX (or any index past the end) gives a null row:
     * outer joins use it for the missing side. */
    for (size_t k = 0; k < n; k++) {
        size_t r = idx[k];
        if (r >= src->len || kql_column_is_null(src, r)) {
            c->len = k;
            kql_column_push_null(c);
            continue;
        }
        switch (src->type) {
        case KQL_BOOL:
            c->data.b[k] = src->data.b[r];
            break;
        case KQL_STRING:
        case KQL_DYNAMIC:
            c->data.s[k] = src->data.s[r];
            break;
        case KQL_GUID:
            c->data.g[k] = src->data.g[r];
            break;
        default:
            c->data.i[k] = src->data.i[r];   /* the bits of int64 and double alike */
            break;
        }
    }
    c->len = n;
    return c;
}

kql_column *kql_column_repeat(const kql_value *v, kql_type type, size_t n)
{
    kql_column *c = kql_column_new(type, n);
    if (n == 0)
        return c;
    kql_column_push(c, v);   /* copies string bytes once into c's arena */
    bool null = kql_column_is_null(c, 0);
    for (size_t k = 1; k < n; k++) {
        switch (type) {
        case KQL_BOOL:
            c->data.b[k] = c->data.b[0];
            break;
        case KQL_STRING:
        case KQL_DYNAMIC:
            c->data.s[k] = c->data.s[0];
            break;
        case KQL_GUID:
            c->data.g[k] = c->data.g[0];
            break;
        default:
            c->data.i[k] = c->data.i[0];
            break;
        }
    }
    if (null)
        memset(c->nulls, 0xFF, (n + 7) / 8);
    c->len = n;
    return c;
}

/* --- ordering, equality, hashing --- */

static bool type_is_integral(kql_type t)
{
    return t == KQL_INT || t == KQL_LONG;
}

/* Mixed numbers: NaN sorts before every number (after null); int64 against
 * double via long double, exact for both on the platforms kql targets. */
static int number_compare(const kql_value *a, const kql_value *b)
{
    if (type_is_integral(a->type) && type_is_integral(b->type))
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    long double x = type_is_integral(a->type) ? (long double)a->u.i : a->u.r;
    long double y = type_is_integral(b->type) ? (long double)b->u.i : b->u.r;
    bool xn = isnan(x), yn = isnan(y);
    if (xn || yn)
        return yn - xn;
    return (x > y) - (x < y);
}

static int bytes_compare(kql_str a, kql_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c > 0 ? 1 : -1;
    return (a.len > b.len) - (a.len < b.len);
}

int kql_value_compare(const kql_value *a, const kql_value *b)
{
    if (a->is_null || b->is_null)
        return b->is_null - a->is_null;
    if (kql_type_is_numeric(a->type) && kql_type_is_numeric(b->type))
        return number_compare(a, b);
    if (a->type != b->type)
        return (a->type > b->type) - (a->type < b->type);
    switch (a->type) {
    case KQL_BOOL:
        return (a->u.b > b->u.b) - (a->u.b < b->u.b);
    case KQL_STRING:
        return bytes_compare(a->u.s, b->u.s);
    case KQL_GUID: {
        int c = memcmp(a->u.g.b, b->u.g.b, 16);
        return (c > 0) - (c < 0);
    }
    case KQL_DYNAMIC:
        return kql_dyn_compare((kql_dyn)a->u.s.ptr, (kql_dyn)b->u.s.ptr);
    default:
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    }
}

bool kql_value_equal(const kql_value *a, const kql_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null && b->is_null;
    if (a->type == b->type) {
        switch (a->type) {
        case KQL_STRING:
            return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
        case KQL_DYNAMIC:
            return kql_dyn_equal((kql_dyn)a->u.s.ptr, (kql_dyn)b->u.s.ptr);
        case KQL_BOOL:
            return a->u.b == b->u.b;
        case KQL_GUID:
            return memcmp(a->u.g.b, b->u.g.b, 16) == 0;
        default:
            break;
        }
    }
    return kql_value_compare(a, b) == 0;
}

uint64_t kql_value_hash(const kql_value *v)
{
    if (v->is_null)
        return 0x6e756c6cULL;   /* all nulls are equal, so they share one hash */
    switch (v->type) {
    case KQL_BOOL:
        return kql_hash_u64(v->u.b ? 0xb001 : 0xb000);
    case KQL_STRING:
        return kql_hash_bytes(v->u.s.ptr, v->u.s.len);
    case KQL_DYNAMIC:
        return kql_dyn_hash((kql_dyn)v->u.s.ptr);
    case KQL_GUID:
        return kql_hash_bytes(v->u.g.b, 16) ^ 0x5bd1e995;
    case KQL_REAL:
    case KQL_DECIMAL: {
        /* whole numbers hash as the integer, since 1 == 1.0 */
        double r = v->u.r;
        if (r >= -9223372036854775808.0 && r < 9223372036854775808.0 && (double)(int64_t)r == r)
            return kql_hash_u64((uint64_t)(int64_t)r);
        if (isnan(r))
            return kql_hash_u64(0x7ff8000000000000ULL);
        uint64_t bits;
        memcpy(&bits, &r, 8);
        return kql_hash_u64(bits);
    }
    default:
        if (!type_is_integral(v->type))   /* datetime, timespan: set apart from numbers */
            return kql_hash_u64((uint64_t)v->u.i ^ ((uint64_t)v->type << 56));
        return kql_hash_u64((uint64_t)v->u.i);
    }
}
