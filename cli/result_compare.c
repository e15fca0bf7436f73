/* result_compare.c - multiset and ordered comparison of text tables, changed
 * rows by key, and the report of what differs (result_compare.h).
 *
 * Rows are matched through a hash of their cells outside real columns (reals
 * compare with a tolerance, so they cannot be hashed): rows of the first
 * table sorted by that hash, each row of the second looks up the first
 * unmatched equal row among those with its hash. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "result_compare.h"

static bool is_real(kql_type t)
{
    return t == KQL_REAL || t == KQL_DECIMAL;
}

static bool parse_number(const char *s, double *v)
{
    char *end;
    if (!*s) return false;
    *v = strtod(s, &end);
    return *end == '\0';
}

static bool cell_equal(const char *x, const char *y, bool real)
{
    if (strcmp(x, y) == 0) return true;
    double a, b;
    if (!real || !parse_number(x, &a) || !parse_number(y, &b)) return false;
    if (isnan(a) || isnan(b) || isinf(a) || isinf(b)) return false;   /* equal ones are equal text */
    double diff = fabs(a - b), big = fmax(fabs(a), fabs(b));
    return diff <= RESULT_REAL_TOLERANCE * big || diff <= 1e-12;
}

static bool col_equal(const text_table *a, size_t ra, const text_table *b, size_t rb, size_t c)
{
    return cell_equal(text_table_cell(a, ra, c), text_table_cell(b, rb, c), is_real(b->types[c]) || is_real(a->types[c]));
}

static bool row_equal(const text_table *a, size_t ra, const text_table *b, size_t rb)
{
    for (size_t c = 0; c < a->ncols; c++)
        if (!col_equal(a, ra, b, rb, c)) return false;
    return true;
}

/* FNV-1a over a cell, ended by a 0 byte; reals are left out (they match
 * within a tolerance, so equal ones may differ in text). */
static uint64_t hash_cell(uint64_t h, const text_table *a, const text_table *b, const text_table *t, size_t r,
                          size_t c)
{
    if (is_real(a->types[c]) || is_real(b->types[c])) return h;
    for (const unsigned char *s = (const unsigned char *)text_table_cell(t, r, c);; s++) {
        h = (h ^ *s) * 1099511628211ULL;
        if (!*s) break;
    }
    return h;
}

#define HASH_START 1469598103934665603ULL

static uint64_t row_hash(const text_table *a, const text_table *b, const text_table *t, size_t r)
{
    uint64_t h = HASH_START;
    for (size_t c = 0; c < t->ncols; c++) h = hash_cell(h, a, b, t, r, c);
    return h;
}

typedef struct hashed_row {
    uint64_t hash;
    size_t row;
} hashed_row;

static int by_hash(const void *x, const void *y)
{
    const hashed_row *a = x, *b = y;
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static void push(size_t **v, size_t *n, size_t x)
{
    *v = kql_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = x;
}

static bool keys_equal(const text_table *a, size_t ra, const text_table *b, size_t rb, const result_compare_opts *o)
{
    for (size_t k = 0; k < o->nkeys; k++)
        if (!col_equal(a, ra, b, rb, (size_t)o->key_cols[k])) return false;
    return true;
}

/* A hash of row r's key cells. */
static uint64_t key_hash(const text_table *a, const text_table *b, const text_table *t, size_t r,
                         const result_compare_opts *o)
{
    uint64_t h = HASH_START;
    for (size_t k = 0; k < o->nkeys; k++) h = hash_cell(h, a, b, t, r, (size_t)o->key_cols[k]);
    return h;
}

/* Unmatched rows on both sides with equal keys become changed pairs: each
 * missing row takes the first unexpected row (in their order) with its keys,
 * found through the unexpected rows sorted by key hash. */
static void pair_changed(const text_table *a, const text_table *b, result_diff *d)
{
    const result_compare_opts *o = d->opts;
    if (o->nkeys == 0 || d->nunexpected == 0) return;
    size_t nu = d->nunexpected;
    hashed_row *hu = kql_xrealloc(NULL, nu * sizeof *hu);   /* .row: the index in d->unexpected */
    bool *taken = kql_xrealloc(NULL, nu * sizeof *taken);
    for (size_t j = 0; j < nu; j++) {
        hu[j] = (hashed_row){ key_hash(a, b, b, d->unexpected[j], o), j };
        taken[j] = false;
    }
    qsort(hu, nu, sizeof *hu, by_hash);
    size_t nm = 0;
    for (size_t i = 0; i < d->nmissing; i++) {
        size_t ra = d->missing[i];
        uint64_t h = key_hash(a, b, a, ra, o);
        size_t lo = 0, hi = nu;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (hu[mid].hash < h) lo = mid + 1;
            else hi = mid;
        }
        size_t j = nu;
        for (size_t k = lo; k < nu && hu[k].hash == h && j == nu; k++)
            if (!taken[hu[k].row] && keys_equal(a, ra, b, d->unexpected[hu[k].row], o)) j = hu[k].row;
        if (j == nu) {
            d->missing[nm++] = ra;
            continue;
        }
        taken[j] = true;
        d->changed = kql_xrealloc(d->changed, 2 * (d->nchanged + 1) * sizeof *d->changed);
        d->changed[2 * d->nchanged] = ra;
        d->changed[2 * d->nchanged + 1] = d->unexpected[j];
        d->nchanged++;
    }
    size_t kept = 0;
    for (size_t j = 0; j < nu; j++)
        if (!taken[j]) d->unexpected[kept++] = d->unexpected[j];
    d->nmissing = nm;
    d->nunexpected = kept;
    free(hu);
    free(taken);
}

static bool order_equal(const text_table *a, const text_table *b, size_t r, const result_compare_opts *o)
{
    if (o->order == RESULT_ORDER_ALL) return row_equal(a, r, b, r);
    for (size_t k = 0; k < o->norder; k++)
        if (!col_equal(a, r, b, r, (size_t)o->order_cols[k])) return false;
    return true;
}

bool result_compare(const text_table *a, const text_table *b, const result_compare_opts *opts, result_diff *d)
{
    memset(d, 0, sizeof *d);
    d->opts = opts;
    d->header_differs = a->ncols != b->ncols;
    for (size_t c = 0; c < a->ncols && !d->header_differs; c++)
        d->header_differs = strcmp(a->header[c], b->header[c]) != 0;
    if (d->header_differs) return false;

    hashed_row *ha = kql_xrealloc(NULL, a->nrows * sizeof *ha);
    bool *used = calloc(a->nrows ? a->nrows : 1, sizeof *used);
    for (size_t r = 0; r < a->nrows; r++) ha[r] = (hashed_row){ row_hash(a, b, a, r), r };
    qsort(ha, a->nrows, sizeof *ha, by_hash);
    for (size_t r = 0; r < b->nrows; r++) {
        uint64_t h = row_hash(a, b, b, r);
        size_t lo = 0, hi = a->nrows;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ha[mid].hash < h) lo = mid + 1;
            else hi = mid;
        }
        bool found = false;
        for (size_t i = lo; i < a->nrows && ha[i].hash == h && !found; i++)
            if (!used[ha[i].row] && row_equal(a, ha[i].row, b, r)) found = used[ha[i].row] = true;
        if (!found) push(&d->unexpected, &d->nunexpected, r);
    }
    for (size_t r = 0; r < a->nrows; r++)
        if (!used[r]) push(&d->missing, &d->nmissing, r);
    free(ha);
    free(used);
    pair_changed(a, b, d);
    if (d->nmissing || d->nunexpected || d->nchanged) return false;

    if (opts->order != RESULT_UNORDERED)
        for (size_t r = 0; r < a->nrows && !d->order_differs; r++)
            if (!order_equal(a, b, r, opts)) {
                d->order_differs = true;
                d->order_row = r;
            }
    return !d->order_differs;
}

void result_diff_free(result_diff *d)
{
    free(d->missing);
    free(d->unexpected);
    free(d->changed);
    memset(d, 0, sizeof *d);
}

/* ---- the report ---- */

/* "  - missing:    " - a mark and a label, padded so that rows line up. */
static void put_mark(kql_buf *out, char mark, const char *label)
{
    kql_buf_printf(out, "  %c %s:", mark, label);
    for (size_t n = strlen(label) + 1; n < 12; n++) kql_buf_putc(out, ' ');
    kql_buf_putc(out, ' ');
}

static void put_row(kql_buf *out, char mark, const char *label, const text_table *t, size_t r)
{
    put_mark(out, mark, label);
    text_table_csv_row(out, t, (long)r);
    if (t->lines && t->lines[r]) kql_buf_printf(out, "    (line %d)", t->lines[r]);
    kql_buf_putc(out, '\n');
}

static void put_changed(kql_buf *out, const text_table *a, size_t ra, const text_table *b, size_t rb,
                        const result_compare_opts *o)
{
    put_mark(out, '~', "changed");
    for (size_t k = 0; k < o->nkeys; k++)
        kql_buf_printf(out, "%s%s=%s", k ? ", " : "", a->header[o->key_cols[k]], text_table_cell(a, ra, (size_t)o->key_cols[k]));
    bool first = true;
    for (size_t c = 0; c < a->ncols; c++) {
        if (col_equal(a, ra, b, rb, c)) continue;
        const char *x = text_table_cell(a, ra, c), *y = text_table_cell(b, rb, c);
        kql_buf_printf(out, "%s %s: %s -> %s", first ? ":" : ";", a->header[c], x[0] ? x : "(empty)",
                       y[0] ? y : "(empty)");
        first = false;
        double u, v;
        kql_type t = b->types[c];
        bool numeric = t == KQL_INT || t == KQL_LONG || t == KQL_REAL || t == KQL_DECIMAL;
        if (numeric && parse_number(x, &u) && parse_number(y, &v) && isfinite(v - u))
            kql_buf_printf(out, " (%+.15g)", v - u);
    }
    if (a->lines && a->lines[ra]) kql_buf_printf(out, "    (line %d)", a->lines[ra]);
    kql_buf_putc(out, '\n');
}

/* "    ... and 12 more missing" when a list was cut at `shown` rows. */
static void put_more(kql_buf *out, size_t total, size_t shown, const char *label)
{
    if (total > shown) kql_buf_printf(out, "    ... and %zu more %s\n", total - shown, label);
}

void result_diff_print(kql_buf *out, const result_diff *d, const text_table *a, const text_table *b,
                       const result_labels *l)
{
    if (d->header_differs) {
        kql_buf_puts(out, "columns differ\n");
        put_mark(out, '-', l->a);
        text_table_csv_row(out, a, -1);
        kql_buf_putc(out, '\n');
        put_mark(out, '+', l->b);
        text_table_csv_row(out, b, -1);
        kql_buf_putc(out, '\n');
        return;
    }
    if (d->nmissing || d->nunexpected || d->nchanged) {
        kql_buf_printf(out, "rows differ: %zu %s, %zu %s\n", a->nrows, l->a, b->nrows, l->b);
        put_mark(out, ' ', "columns");
        text_table_csv_row(out, a, -1);
        kql_buf_putc(out, '\n');
        size_t n = l->max_rows ? l->max_rows : SIZE_MAX;
        for (size_t i = 0; i < d->nmissing && i < n; i++) put_row(out, '-', l->only_a, a, d->missing[i]);
        put_more(out, d->nmissing, n, l->only_a);
        for (size_t i = 0; i < d->nunexpected && i < n; i++) put_row(out, '+', l->only_b, b, d->unexpected[i]);
        put_more(out, d->nunexpected, n, l->only_b);
        for (size_t i = 0; i < d->nchanged && i < n; i++)
            put_changed(out, a, d->changed[2 * i], b, d->changed[2 * i + 1], d->opts);
        put_more(out, d->nchanged, n, "changed");
        return;
    }
    if (d->order_differs) {
        const result_compare_opts *o = d->opts;
        kql_buf_printf(out, "the same rows in another order: row %zu differs", d->order_row + 1);
        if (o->order == RESULT_ORDER_BY) {
            kql_buf_puts(out, " in the sort columns (");
            for (size_t k = 0; k < o->norder; k++)
                kql_buf_printf(out, "%s%s", k ? ", " : "", a->header[o->order_cols[k]]);
            kql_buf_putc(out, ')');
        }
        kql_buf_putc(out, '\n');
        put_mark(out, ' ', "columns");
        text_table_csv_row(out, a, -1);
        kql_buf_putc(out, '\n');
        put_row(out, '-', l->a, a, d->order_row);
        put_row(out, '+', l->b, b, d->order_row);
    }
}
