/* test_column.c - unit tests for runtime/column.c (push/get of every type,
 * nulls, gather and repeat, arena sharing, cell ordering/equality/hashing),
 * plus the arena, buffer, table and catalog they build on.
 * Run under ASan, the gather tests catch use-after-free of shared bytes. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "column.h"
#include "dynamic.h"
#include "table.h"

static bool str_is(kql_value v, const char *s)
{
    return v.u.s.len == strlen(s) && memcmp(v.u.s.ptr, s, v.u.s.len) == 0;
}

Test(arena, alloc_align_and_big)
{
    kql_arena *a = kql_arena_new();
    cr_assert_eq(kql_arena_bytes(a), 0);
    for (int i = 0; i < 10000; i++) {
        char *p = kql_arena_alloc(a, (size_t)(i % 13) + 1);
        cr_assert_eq((uintptr_t)p % 8, 0, "8-byte aligned");
        memset(p, 'x', (size_t)(i % 13) + 1);
    }
    /* a request bigger than a block gets a block of its own */
    char *big = kql_arena_alloc(a, 10u * 1024 * 1024);
    memset(big, 1, 10u * 1024 * 1024);
    char *after = kql_arena_alloc(a, 16);
    memset(after, 2, 16);
    char *d = kql_arena_dup(a, "hello", 5);
    cr_assert_str_eq(d, "hello");   /* dup NUL-terminates */
    cr_assert_geq(kql_arena_bytes(a), 10u * 1024 * 1024 + 16 + 6);
    /* refcounting: retain returns the arena; two releases free it */
    cr_assert_eq(kql_arena_retain(a), a);
    kql_arena_release(a);
    cr_assert_str_eq(d, "hello");
    kql_arena_release(a);
    kql_arena_release(NULL);
}

Test(buf, grow_printf_cstr)
{
    kql_buf b;
    kql_buf_init(&b);
    cr_assert_str_eq(kql_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        kql_buf_putc(&b, 'a');
    kql_buf_puts(&b, "bc");
    kql_buf_printf(&b, "%d-%s", 42, "x");
    cr_assert_eq(b.len, 1006);
    cr_assert_str_eq(kql_buf_cstr(&b) + 1000, "bc42-x");
    /* printf longer than its small stack buffer */
    kql_buf_clear(&b);
    char long_s[600];
    memset(long_s, 'z', 599);
    long_s[599] = '\0';
    kql_buf_printf(&b, "<%s>", long_s);
    cr_assert_eq(b.len, 601);
    cr_assert_eq(kql_buf_cstr(&b)[600], '>');
    kql_buf_free(&b);
    cr_assert_null(b.data);
}

Test(column, push_get_each_type)
{
    kql_column *b = kql_column_new(KQL_BOOL, 0);
    kql_column *l = kql_column_new(KQL_LONG, 1);
    kql_column *r = kql_column_new(KQL_REAL, 0);
    kql_column *s = kql_column_new(KQL_STRING, 0);
    kql_column *t = kql_column_new(KQL_DATETIME, 0);
    kql_column *g = kql_column_new(KQL_GUID, 0);
    kql_column *i = kql_column_new(KQL_INT, 0);
    kql_column *ts = kql_column_new(KQL_TIMESPAN, 0);
    for (int k = 0; k < 1000; k++) {   /* crosses several doublings */
        kql_value v = kql_bool(k % 3 == 0);
        kql_column_push(b, &v);
        v = kql_long((int64_t)k * 1000000007LL);
        kql_column_push(l, &v);
        v = kql_real(k / 4.0);
        kql_column_push(r, &v);
        char txt[16];
        int n = snprintf(txt, sizeof txt, "row%d", k);
        v = kql_string(txt, (size_t)n);   /* txt is reused: push must copy */
        kql_column_push(s, &v);
        v = kql_datetime(KQL_UNIX_EPOCH_TICKS + k);
        kql_column_push(t, &v);
        v = (kql_value){.type = KQL_GUID};
        memset(v.u.g.b, k & 0xff, 16);
        kql_column_push(g, &v);
        v = kql_int(-k);
        kql_column_push(i, &v);
        v = kql_timespan(k * KQL_TICKS_PER_SECOND);
        kql_column_push(ts, &v);
    }
    cr_assert_eq(s->len, 1000);
    for (int k = 0; k < 1000; k += 37) {
        cr_assert_eq(kql_column_get(b, (size_t)k).u.b, k % 3 == 0);
        cr_assert_eq(kql_column_get(l, (size_t)k).u.i, (int64_t)k * 1000000007LL);
        cr_assert_eq(kql_column_get(r, (size_t)k).u.r, k / 4.0);
        char txt[16];
        snprintf(txt, sizeof txt, "row%d", k);
        kql_value v = kql_column_get(s, (size_t)k);
        cr_assert(v.type == KQL_STRING && !v.is_null && str_is(v, txt));
        cr_assert_eq(kql_column_get(t, (size_t)k).u.i, KQL_UNIX_EPOCH_TICKS + k);
        cr_assert_eq(kql_column_get(t, (size_t)k).type, KQL_DATETIME);
        cr_assert_eq(kql_column_get(g, (size_t)k).u.g.b[7], k & 0xff);
        cr_assert_eq(kql_column_get(i, (size_t)k).u.i, -k);
        cr_assert_eq(kql_column_get(ts, (size_t)k).u.i, k * KQL_TICKS_PER_SECOND);
    }
    cr_assert_null(l->nulls, "no bitmap until a null arrives");
    kql_column *all[] = {b, l, r, s, t, g, i, ts};
    for (int k = 0; k < 8; k++)
        kql_column_release(all[k]);
}

Test(column, int_widens_into_long)
{
    kql_column *l = kql_column_new(KQL_LONG, 0);
    kql_value v = kql_int(7);
    kql_column_push(l, &v);
    cr_assert_eq(kql_column_get(l, 0).type, KQL_LONG);
    cr_assert_eq(kql_column_get(l, 0).u.i, 7);
    kql_column_release(l);
}

Test(column, nulls)
{
    kql_column *l = kql_column_new(KQL_LONG, 0);
    for (int k = 0; k < 20; k++) {
        if (k % 5 == 2) {
            kql_column_push_null(l);
        } else {
            kql_value v = kql_long(k);
            kql_column_push(l, &v);
        }
    }
    /* a null value of any type is a null cell */
    kql_value n = kql_null(KQL_DYNAMIC);
    kql_column_push(l, &n);
    for (size_t k = 0; k < 20; k++) {
        cr_assert_eq(kql_column_is_null(l, k), k % 5 == 2, "row %zu", k);
        cr_assert_eq(kql_column_get(l, k).is_null, k % 5 == 2);
    }
    cr_assert(kql_column_is_null(l, 20));
    cr_assert_eq(kql_column_get(l, 20).type, KQL_LONG);
    kql_column_release(l);

    /* KQL strings are never null: a null string is stored as "" */
    kql_column *s = kql_column_new(KQL_STRING, 0);
    kql_column_push_null(s);
    kql_value e = kql_null(KQL_STRING);
    kql_column_push(s, &e);
    for (size_t k = 0; k < 2; k++) {
        kql_value v = kql_column_get(s, k);
        cr_assert(!v.is_null && v.u.s.len == 0 && v.u.s.ptr);
    }
    kql_column_release(s);

    /* dynamic nulls are null, and still point at the encoded null */
    kql_column *d = kql_column_new(KQL_DYNAMIC, 0);
    kql_column_push_null(d);
    kql_buf enc;
    kql_buf_init(&enc);
    size_t err;
    cr_assert(kql_dyn_from_json("null", 4, &enc, &err));
    kql_value dn = kql_dyn_value((kql_dyn)enc.data);
    kql_column_push(d, &dn);
    for (size_t k = 0; k < 2; k++) {
        kql_value v = kql_column_get(d, k);
        cr_assert(v.is_null && v.type == KQL_DYNAMIC);
        cr_assert_eq(kql_dyn_tag_of((kql_dyn)v.u.s.ptr), KQL_DYN_NULL);
    }
    kql_buf_free(&enc);
    kql_column_release(d);
}

Test(column, dynamic_cells_copied)
{
    kql_column *d = kql_column_new(KQL_DYNAMIC, 0);
    kql_buf enc;
    kql_buf_init(&enc);
    size_t err;
    const char *js = "{\"a\":[1,2]}";
    cr_assert(kql_dyn_from_json(js, strlen(js), &enc, &err));
    kql_value v = kql_dyn_value((kql_dyn)enc.data);
    kql_column_push(d, &v);
    kql_buf_free(&enc);   /* the column has its own copy */
    kql_value got = kql_column_get(d, 0);
    kql_buf txt;
    kql_buf_init(&txt);
    kql_value_to_text(&got, &txt);
    cr_assert_str_eq(kql_buf_cstr(&txt), "{\"a\":[1,2]}");
    kql_buf_free(&txt);
    kql_column_release(d);
}

Test(column, gather_shares_strings_after_release)
{
    kql_column *src = kql_column_new(KQL_STRING, 0);
    const char *words[] = {"alpha", "beta", "gamma", "delta"};
    for (int k = 0; k < 4; k++) {
        kql_value v = kql_string(words[k], strlen(words[k]));
        kql_column_push(src, &v);
    }
    size_t idx[] = {2, 0, 2, SIZE_MAX};
    kql_column *g = kql_column_gather(src, idx, 4);
    /* a second generation, gathered from the gathered column */
    size_t idx2[] = {1};
    kql_column *g2 = kql_column_gather(g, idx2, 1);
    kql_column_release(src);   /* g and g2 keep the bytes alive */
    cr_assert_eq(g->len, 4);
    cr_assert(str_is(kql_column_get(g, 0), "gamma"));
    cr_assert(str_is(kql_column_get(g, 1), "alpha"));
    cr_assert(str_is(kql_column_get(g, 2), "gamma"));
    /* the shared bytes are not copied */
    cr_assert_eq(kql_column_get(g, 0).u.s.ptr, kql_column_get(g, 2).u.s.ptr);
    /* SIZE_MAX is a missing row: for a string column, "" */
    cr_assert(str_is(kql_column_get(g, 3), ""));
    kql_column_release(g);
    cr_assert(str_is(kql_column_get(g2, 0), "alpha"));
    kql_column_release(g2);
}

Test(column, gather_nulls_and_numbers)
{
    kql_column *src = kql_column_new(KQL_REAL, 0);
    for (int k = 0; k < 10; k++) {
        if (k == 3) {
            kql_column_push_null(src);
            continue;
        }
        kql_value v = kql_real(k + 0.5);
        kql_column_push(src, &v);
    }
    size_t idx[] = {9, 3, 0, SIZE_MAX, 4};
    kql_column *g = kql_column_gather(src, idx, 5);
    kql_column_release(src);
    cr_assert_eq(kql_column_get(g, 0).u.r, 9.5);
    cr_assert(kql_column_is_null(g, 1));
    cr_assert_eq(kql_column_get(g, 2).u.r, 0.5);
    cr_assert(kql_column_is_null(g, 3));
    cr_assert_eq(kql_column_get(g, 4).u.r, 4.5);
    cr_assert(!kql_column_is_null(g, 4));
    kql_column_release(g);

    kql_column *empty = kql_column_new(KQL_BOOL, 0);
    kql_column *ge = kql_column_gather(empty, NULL, 0);
    cr_assert_eq(ge->len, 0);
    kql_column_release(ge);
    kql_column_release(empty);
}

Test(column, push_borrowed)
{
    kql_column *src = kql_column_new(KQL_STRING, 0);
    kql_value v = kql_string("shared", 6);
    kql_column_push(src, &v);
    kql_column *dst = kql_column_new(KQL_STRING, 0);
    kql_column_borrow(dst, src);
    kql_column_borrow(dst, src);   /* borrowing twice holds the arena once */
    cr_assert_eq(dst->nborrowed, 1);
    kql_value cell = kql_column_get(src, 0);
    kql_column_push_borrowed(dst, &cell);
    kql_column_release(src);
    cr_assert(str_is(kql_column_get(dst, 0), "shared"));
    cr_assert_eq(kql_column_get(dst, 0).u.s.ptr, cell.u.s.ptr);
    kql_column_release(dst);
}

Test(column, repeat)
{
    char txt[] = "const";
    kql_value v = kql_string(txt, 5);
    kql_column *c = kql_column_repeat(&v, KQL_STRING, 1000);
    txt[0] = 'X';   /* repeat copied the bytes */
    cr_assert_eq(c->len, 1000);
    cr_assert(str_is(kql_column_get(c, 0), "const"));
    cr_assert(str_is(kql_column_get(c, 999), "const"));
    kql_column_release(c);

    kql_value n = kql_null(KQL_LONG);
    c = kql_column_repeat(&n, KQL_LONG, 13);
    for (size_t k = 0; k < 13; k++)
        cr_assert(kql_column_is_null(c, k));
    kql_column_release(c);

    v = kql_real(2.5);
    c = kql_column_repeat(&v, KQL_REAL, 3);
    cr_assert(c->len == 3 && kql_column_get(c, 2).u.r == 2.5 && !c->nulls);
    kql_column_release(c);

    c = kql_column_repeat(&v, KQL_REAL, 0);
    cr_assert_eq(c->len, 0);
    kql_column_release(c);
}

Test(column, retain_release)
{
    kql_column *c = kql_column_new(KQL_LONG, 0);
    cr_assert_eq(kql_column_retain(c), c);
    cr_assert_eq(c->refs, 2);
    kql_column_release(c);
    kql_column_release(c);
    kql_column_release(NULL);
}

static int cmp(kql_value a, kql_value b)
{
    int c = kql_value_compare(&a, &b);
    cr_assert_eq(c, -kql_value_compare(&b, &a), "compare is antisymmetric");
    cr_assert_eq(c == 0, kql_value_equal(&a, &b), "equal agrees with compare");
    if (c == 0)
        cr_assert_eq(kql_value_hash(&a), kql_value_hash(&b), "equal values hash alike");
    return c;
}

Test(value_order, numbers_nulls_nan)
{
    /* ascending: null, NaN, -inf, ..., +inf (sort-operator.md, NOTES.md 2.2) */
    kql_value order[] = {kql_null(KQL_REAL), kql_real(NAN), kql_real(-INFINITY), kql_long(-5),
                         kql_real(-4.5), kql_int(0), kql_real(0.5), kql_long(1),
                         kql_real(1.5), kql_long(INT64_MAX), kql_real(INFINITY)};
    size_t n = sizeof order / sizeof order[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int c = cmp(order[i], order[j]);
            cr_assert_eq(c, (i > j) - (i < j), "items %zu and %zu", i, j);
        }
    /* mixed int/long/real compare numerically: 1 == 1.0 == int 1 */
    cr_assert_eq(cmp(kql_long(1), kql_real(1.0)), 0);
    cr_assert_eq(cmp(kql_int(1), kql_long(1)), 0);
    cr_assert_eq(cmp(kql_real(-0.0), kql_real(0.0)), 0);
    /* for grouping, two nulls are equal, and NaN equals NaN */
    cr_assert_eq(cmp(kql_null(KQL_LONG), kql_null(KQL_LONG)), 0);
    cr_assert_eq(cmp(kql_real(NAN), kql_real(NAN)), 0);
    /* big longs don't collapse through double: 2^53 + 1 > 2^53 */
    cr_assert_gt(cmp(kql_long(9007199254740993LL), kql_real(9007199254740992.0)), 0);
}

Test(value_order, strings_ordinal)
{
    /* ordinal, by bytes: uppercase before lowercase, prefix first */
    cr_assert_lt(cmp(kql_string("B", 1), kql_string("a", 1)), 0);
    cr_assert_lt(cmp(kql_string("ab", 2), kql_string("abc", 3)), 0);
    cr_assert_lt(cmp(kql_string("", 0), kql_string("a", 1)), 0);
    cr_assert_eq(cmp(kql_string("same", 4), kql_string("samex", 4)), 0);
    cr_assert_lt(cmp(kql_string("z", 1), kql_string("\xc3\xa9", 2)), 0);   /* é is above ASCII */
}

Test(value_order, other_types)
{
    cr_assert_lt(cmp(kql_bool(false), kql_bool(true)), 0);
    cr_assert_lt(cmp(kql_datetime(5), kql_datetime(6)), 0);
    cr_assert_gt(cmp(kql_timespan(-1), kql_timespan(-2)), 0);
    kql_value g1 = {.type = KQL_GUID}, g2 = {.type = KQL_GUID};
    g2.u.g.b[15] = 1;
    cr_assert_lt(cmp(g1, g2), 0);
    cr_assert_eq(cmp(g2, g2), 0);
    /* a datetime is not a number, even with the same ticks */
    cr_assert_neq(cmp(kql_datetime(5), kql_long(5)), 0);
    cr_assert_lt(cmp(kql_null(KQL_DATETIME), kql_datetime(0)), 0);

    /* dynamic: by the encoding's kind and value; objects ignore key order */
    kql_buf a, b;
    kql_buf_init(&a);
    kql_buf_init(&b);
    size_t err;
    const char *ja = "{\"x\":1,\"y\":[2]}", *jb = "{\"y\":[2.0],\"x\":1}";
    cr_assert(kql_dyn_from_json(ja, strlen(ja), &a, &err));
    cr_assert(kql_dyn_from_json(jb, strlen(jb), &b, &err));
    cr_assert_eq(cmp(kql_dyn_value((kql_dyn)a.data), kql_dyn_value((kql_dyn)b.data)), 0);
    kql_buf_clear(&b);
    cr_assert(kql_dyn_from_json("[1]", 3, &b, &err));
    cr_assert_gt(cmp(kql_dyn_value((kql_dyn)a.data), kql_dyn_value((kql_dyn)b.data)), 0);
    kql_buf_free(&a);
    kql_buf_free(&b);
}

Test(value_order, hash_spread)
{
    /* different keys should rarely collide: 10000 longs, 10000 strings */
    enum { N = 10000 };
    static uint64_t h[2 * N];
    for (int k = 0; k < N; k++) {
        kql_value v = kql_long(k);
        h[k] = kql_value_hash(&v);
        char s[16];
        int n = snprintf(s, sizeof s, "k%d", k);
        v = kql_string(s, (size_t)n);
        h[N + k] = kql_value_hash(&v);
    }
    int collisions = 0;
    for (int i = 0; i < 2 * N; i++)
        for (int j = i + 1; j < 2 * N && j < i + 64; j++)
            collisions += h[i] == h[j];
    cr_assert_eq(collisions, 0);
}

Test(table, add_find_free)
{
    kql_table *t = kql_table_new("Events");
    cr_assert_str_eq(t->name, "Events");
    kql_column *a = kql_column_new(KQL_LONG, 0), *b = kql_column_new(KQL_STRING, 0);
    for (int k = 0; k < 3; k++) {
        kql_value v = kql_long(k);
        kql_column_push(a, &v);
        v = kql_string("s", 1);
        kql_column_push(b, &v);
    }
    kql_table_add(t, "Id", a);
    kql_table_add_hidden(t, "Secret", b);
    cr_assert_eq(t->ncols, 2);
    cr_assert_eq(t->nrows, 3);
    cr_assert_eq(kql_table_find(t, "Id"), 0);
    cr_assert_eq(kql_table_find(t, "Secret"), 1);
    cr_assert_eq(kql_table_find(t, "id"), -1);   /* column names are case-sensitive */
    cr_assert(!t->hidden[0] && t->hidden[1]);
    /* the same column may appear twice when the caller retains it */
    kql_table_add(t, "Id2", kql_column_retain(a));
    cr_assert_eq(t->ncols, 3);
    kql_table_free(t);
    kql_table_free(NULL);

    kql_table *anon = kql_table_new(NULL);
    cr_assert_null(anon->name);
    cr_assert_eq(anon->nrows, 0);
    kql_table_free(anon);
}

Test(table, catalog)
{
    kql_catalog cat;
    kql_catalog_init(&cat);
    kql_catalog_add(&cat, kql_table_new("A"));
    kql_catalog_add(&cat, kql_table_new("B"));
    kql_table *a2 = kql_table_new("A");
    kql_table_add(a2, "x", kql_column_new(KQL_LONG, 0));
    kql_catalog_add(&cat, a2);   /* replaces the first A, which is freed */
    cr_assert_eq(cat.ntables, 2);
    cr_assert_eq(kql_catalog_find(&cat, "A"), a2);
    cr_assert_str_eq(kql_catalog_find(&cat, "B")->name, "B");
    cr_assert_null(kql_catalog_find(&cat, "C"));
    kql_catalog_free(&cat);
    cr_assert_eq(cat.ntables, 0);
}
