/* op_sort.c - sort/order by and top: a stable merge sort of row indices over
 * the key columns, then one gather per column.
 *
 * Kusto's rules: the default direction is descending; asc puts nulls first
 * and desc puts them last unless `nulls first|last` says otherwise; NaN
 * sorts with the nulls.
 */
#include <math.h>
#include <stdlib.h>

#include "exec.h"

/* 0 for a value; null and NaN sort together, null before NaN (ascending) */
static int null_rank(const kql_column *c, size_t row)
{
    if (kql_column_is_null(c, row)) return 1;
    return c->type == KQL_REAL && isnan(c->data.r[row]) ? 2 : 0;
}

int exec_compare_rows(const exec_sort_key *keys, size_t nkeys, size_t a, size_t b)
{
    for (size_t k = 0; k < nkeys; k++) {
        const kql_column *c = keys[k].col;
        int na = null_rank(c, a), nb = null_rank(c, b);
        if (na || nb) {
            if (na && nb) {
                if (na == nb) continue;
                return (na < nb ? -1 : 1) * (keys[k].asc ? 1 : -1);
            }
            return (na ? -1 : 1) * (keys[k].nulls_first ? 1 : -1);
        }
        kql_value va = kql_column_get(c, a), vb = kql_column_get(c, b);
        int cmp = kql_value_compare(&va, &vb);
        if (cmp) return keys[k].asc ? cmp : -cmp;
    }
    return 0;
}

void exec_sort_rows(size_t *idx, size_t *tmp, size_t n, const exec_sort_key *keys, size_t nkeys)
{
    if (n < 2) return;
    size_t half = n / 2;
    exec_sort_rows(idx, tmp, half, keys, nkeys);
    exec_sort_rows(idx + half, tmp, n - half, keys, nkeys);
    size_t i = 0, j = half, o = 0;
    while (i < half && j < n)
        tmp[o++] = exec_compare_rows(keys, nkeys, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
    while (i < half) tmp[o++] = idx[i++];
    while (j < n) tmp[o++] = idx[j++];
    for (size_t k = 0; k < n; k++) idx[k] = tmp[k];
}

kql_table *op_sort(exec_ctx *x, const plan *p, kql_table *in)
{
    size_t n = in->nrows;
    exec_sort_key *keys = calloc(p->nsort_keys ? p->nsort_keys : 1, sizeof *keys);   /* freed below */
    for (size_t k = 0; k < p->nsort_keys; k++) {
        keys[k].col = eval_expr(&x->eval, p->sort_keys[k].expr, in);
        keys[k].asc = p->sort_keys[k].asc;
        keys[k].nulls_first = p->sort_keys[k].nulls_first;
    }
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);   /* both freed below */
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    exec_sort_rows(idx, tmp, n, keys, p->nsort_keys);
    size_t keep = p->limit >= 0 && (size_t)p->limit < n ? (size_t)p->limit : n;
    kql_table *out = exec_table_gather(in, idx, keep);
    for (size_t k = 0; k < p->nsort_keys; k++) kql_column_release(keys[k].col);
    free(keys);
    free(idx);
    free(tmp);
    kql_table_free(in);
    return out;
}
