/* op_join.c - join and lookup: a hash join built on the right side.
 *
 * The right rows are hashed on their keys (chains keep the right's row
 * order); each left row then walks its chain. A null key never matches,
 * as null == null is not true in Kusto; such rows still appear where the
 * kind keeps unmatched rows. innerunique keeps the FIRST left row of each
 * key (Kusto picks an arbitrary one; the docs show both outcomes). The
 * output is a pair of row indices per row, gathered once per column; a
 * missing side gathers SIZE_MAX, which is a null cell.
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "cancel.h"
#include "exec.h"

#define JOIN_NONE SIZE_MAX

typedef struct join_index {
    size_t *head;        /* per bucket: first right row, or JOIN_NONE */
    size_t *next;        /* per right row: next row of its bucket */
    size_t mask;
} join_index;

typedef struct join_pairs {
    size_t *left, *right;
    size_t n, cap;
    size_t max;      /* exec_max_rows of the output */
    bool full;       /* a pair past max was refused: the join fails */
} join_pairs;

static void pairs_add(join_pairs *p, size_t l, size_t r)
{
    if (p->n == p->max) {
        p->full = true;
        return;
    }
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->left = kql_xrealloc(p->left, p->cap * sizeof *p->left);
        p->right = kql_xrealloc(p->right, p->cap * sizeof *p->right);
    }
    p->left[p->n] = l;
    p->right[p->n] = r;
    p->n++;
}

static bool key_has_null(kql_column *const *keys, size_t nkeys, size_t row)
{
    for (size_t k = 0; k < nkeys; k++)
        if (kql_column_is_null(keys[k], row)) return true;
    return false;
}

static uint64_t key_hash(kql_column *const *keys, size_t nkeys, size_t row)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t k = 0; k < nkeys; k++) {
        kql_value v = kql_column_get(keys[k], row);
        h = (h ^ kql_value_hash(&v)) * 0x100000001b3ULL;
    }
    return h;
}

static bool keys_equal(kql_column *const *a, size_t ra, kql_column *const *b, size_t rb, size_t nkeys)
{
    for (size_t k = 0; k < nkeys; k++) {
        kql_value va = kql_column_get(a[k], ra), vb = kql_column_get(b[k], rb);
        if (!kql_value_equal(&va, &vb)) return false;
    }
    return true;
}

static void index_build(join_index *ix, kql_column *const *keys, size_t nkeys, size_t nrows)
{
    size_t size = 16;
    while (size < nrows * 2) size *= 2;
    ix->mask = size - 1;
    ix->head = malloc(size * sizeof *ix->head);
    ix->next = malloc((nrows ? nrows : 1) * sizeof *ix->next);
    for (size_t i = 0; i < size; i++) ix->head[i] = JOIN_NONE;
    for (size_t r = nrows; r-- > 0;) {   /* backwards, so each chain runs in row order */
        ix->next[r] = JOIN_NONE;
        if (key_has_null(keys, nkeys, r)) continue;
        size_t bucket = key_hash(keys, nkeys, r) & ix->mask;
        ix->next[r] = ix->head[bucket];
        ix->head[bucket] = r;
    }
}

static void index_free(join_index *ix)
{
    free(ix->head);
    free(ix->next);
}

/* The first right row matching left row l at or after chain position r
 * (JOIN_NONE: start of the chain), or JOIN_NONE. */
static size_t next_match(const join_index *ix, kql_column *const *lk, size_t l, kql_column *const *rk, size_t nkeys,
                         size_t r)
{
    r = r == JOIN_NONE ? ix->head[key_hash(lk, nkeys, l) & ix->mask] : ix->next[r];
    while (r != JOIN_NONE && !keys_equal(lk, l, rk, r, nkeys)) r = ix->next[r];
    return r;
}

static void match_rows(const plan_join *j, const join_index *ix, kql_column *const *lk, kql_column *const *rk,
                       size_t nleft, size_t nright, join_pairs *out)
{
    bool *right_matched = calloc(nright ? nright : 1, 1);        /* freed below */
    bool *group_used = calloc(nright ? nright : 1, 1);           /* innerunique: per first right row of a key */
    bool keep_left_unmatched = j->kind == PLAN_JOIN_LEFTOUTER || j->kind == PLAN_JOIN_FULLOUTER ||
                               j->kind == PLAN_JOIN_LEFTANTI;
    for (size_t l = 0; l < nleft && !out->full && !kql_cancel_poll(l); l++) {
        size_t first = key_has_null(lk, j->nkeys, l) ? JOIN_NONE : next_match(ix, lk, l, rk, j->nkeys, JOIN_NONE);
        if (first == JOIN_NONE) {
            if (keep_left_unmatched) pairs_add(out, l, JOIN_NONE);
            continue;
        }
        if (j->kind == PLAN_JOIN_LEFTANTI) continue;
        if (j->kind == PLAN_JOIN_LEFTSEMI) {
            pairs_add(out, l, JOIN_NONE);
            continue;
        }
        if (j->kind == PLAN_JOIN_INNERUNIQUE) {
            if (group_used[first]) continue;
            group_used[first] = true;
        }
        for (size_t r = first; r != JOIN_NONE && !out->full; r = next_match(ix, lk, l, rk, j->nkeys, r)) {
            right_matched[r] = true;
            if (j->kind != PLAN_JOIN_RIGHTSEMI && j->kind != PLAN_JOIN_RIGHTANTI) pairs_add(out, l, r);
        }
    }
    for (size_t r = 0; r < nright && !out->full; r++) {
        bool keep = (j->kind == PLAN_JOIN_RIGHTSEMI && right_matched[r]) ||
                    ((j->kind == PLAN_JOIN_RIGHTANTI || j->kind == PLAN_JOIN_RIGHTOUTER ||
                      j->kind == PLAN_JOIN_FULLOUTER) && !right_matched[r]);
        if (keep) pairs_add(out, JOIN_NONE, r);
    }
    free(right_matched);
    free(group_used);
}

kql_table *op_join(exec_ctx *x, const plan *p, kql_table *left)
{
    const plan_join *j = p->join;
    kql_table *right = exec_plan(x, j->right);
    if (!right) {
        kql_table_free(left);
        return NULL;
    }
    size_t nk = j->nkeys;
    kql_column **lk = malloc((nk ? nk : 1) * sizeof *lk);   /* borrowed columns; arrays freed below */
    kql_column **rk = malloc((nk ? nk : 1) * sizeof *rk);
    for (size_t k = 0; k < nk; k++) {
        lk[k] = left->cols[j->left_keys[k]];
        rk[k] = right->cols[j->right_keys[k]];
    }
    join_index ix;
    index_build(&ix, rk, nk, right->nrows);
    join_pairs pairs = { .max = exec_max_rows(p->schema.ncols) };
    match_rows(j, &ix, lk, rk, left->nrows, right->nrows, &pairs);

    kql_table *out = NULL;
    if (pairs.full) {
        kql_error_set(x->err, &p->loc,
                      "join: the result has more than %zu rows, the most this engine produces with %zu columns",
                      pairs.max, p->schema.ncols);
        goto done;
    }
    out = kql_table_new(NULL);
    for (size_t c = 0; c < p->schema.ncols; c++) {
        int src = j->out_cols[c];
        kql_column *col = src >= 0 ? kql_column_gather(left->cols[src], pairs.left, pairs.n)
                                   : kql_column_gather(right->cols[-1 - src], pairs.right, pairs.n);
        if (p->schema.hidden[c]) kql_table_add_hidden(out, p->schema.names[c], col);
        else kql_table_add(out, p->schema.names[c], col);
    }
    out->nrows = pairs.n;

done:
    free(pairs.left);
    free(pairs.right);
    index_free(&ix);
    free(lk);
    free(rk);
    kql_table_free(right);
    kql_table_free(left);
    return out;
}
