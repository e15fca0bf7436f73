/* result_compare.h - comparing two results given as text tables, for `kql
 * test` (expected vs actual) and `kql diff` (old vs new).
 *
 * Rows compare as a multiset unless an order is asked for: every row in
 * place, or only the sequence of some columns (the query's sort keys, so
 * rows that tie on them may come in any order). Cells compare as exact text,
 * except in real columns (of either table), where two numbers are equal
 * when they differ by at most RESULT_REAL_TOLERANCE relative to the larger,
 * or by 1e-12 near zero. Rows left unmatched on both sides that agree on the
 * key columns are reported as changed rows, cell by cell.
 */
#ifndef KQL_RESULT_COMPARE_H
#define KQL_RESULT_COMPARE_H

#include "buf.h"
#include "text_table.h"

#define RESULT_REAL_TOLERANCE 1e-9

typedef enum result_order {
    RESULT_UNORDERED,     /* a multiset of rows */
    RESULT_ORDER_ALL,     /* every row in place */
    RESULT_ORDER_BY       /* the order columns' values in the same sequence */
} result_order;

typedef struct result_compare_opts {
    result_order order;
    const int *order_cols;   /* RESULT_ORDER_BY: columns, outermost first */
    size_t norder;
    const int *key_cols;     /* columns that identify a row (may be none) */
    size_t nkeys;
} result_compare_opts;

typedef struct result_diff {
    bool header_differs;           /* column names or their order differ: no row diff */
    size_t *missing, nmissing;     /* rows of the first table found nowhere in the second */
    size_t *unexpected, nunexpected;
    size_t *changed, nchanged;     /* pairs (row of first, row of second) equal on the keys */
    bool order_differs;            /* same rows, another order; order_row the first that differs */
    size_t order_row;
    const result_compare_opts *opts;
} result_diff;

/* Compares a (expected, old) with b (actual, new). Both must stay alive while
 * d is used; free d with result_diff_free. Returns whether they are equal. */
bool result_compare(const text_table *a, const text_table *b, const result_compare_opts *opts, result_diff *d);
void result_diff_free(result_diff *d);

/* What the two sides are called in a report, and how long it may get. */
typedef struct result_labels {
    const char *a, *b;             /* "expected", "actual" */
    const char *only_a, *only_b;   /* "missing", "unexpected" */
    size_t max_rows;               /* rows listed of each kind (0: all), then "... and N more" */
} result_labels;

/* Appends a one-line summary ("rows differ: 3 expected, 4 actual"), then the
 * differences as indented lines: `  - ` rows only in a, `  + ` rows only in
 * b, `  ~ ` changed rows (key = value: column: old -> new, and the difference
 * of numbers), or the first row out of order. Plain text; colour is added
 * when printing (colour.h). */
void result_diff_print(kql_buf *out, const result_diff *d, const text_table *a, const text_table *b,
                       const result_labels *labels);

#endif
