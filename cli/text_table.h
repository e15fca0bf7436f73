/* text_table.h - a result as text: a header and rows of cell text, the form in
 * which `kql test` and `kql diff` compare results.
 *
 * A text table comes from a query's result table (cells as `kql -f csv`
 * prints them) or from the expected block of a test file, written as CSV or
 * as an aligned table (what `kql -f table` prints: a header, a line of
 * dashes under each column, the rows). It is written back in either form by
 * `kql test --update`.
 */
#ifndef KQL_TEXT_TABLE_H
#define KQL_TEXT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "table.h"
#include "value.h"

typedef struct text_table {
    size_t ncols, nrows;
    char **header;      /* ncols names; owned */
    char **cells;       /* nrows * ncols cell texts, row after row; owned (null is "") */
    kql_type *types;    /* per column; KQL_STRING for an expected table; owned */
    int *lines;         /* per row, its line in the test file (0 for a result); owned */
} text_table;

/* One line of an expected block: its text (not NUL-terminated) and line number. */
typedef struct text_line {
    const char *text;
    size_t len;
    int line;
} text_line;

/* The visible columns of t. Cells are escaped and trimmed as an aligned table
 * shows them when `aligned` (so they compare with an expected aligned table).
 * col_map (may be NULL) gets, per column of t, its column in the text table
 * or -1 for a hidden one. Free with text_table_free. */
void text_table_from_result(text_table *out, const kql_table *t, bool aligned, int *col_map);

/* Whether lines hold an aligned table: the second line is only dashes and spaces. */
bool text_table_is_aligned(const text_line *lines, size_t n);
/* Parses an expected block (CSV, or aligned as text_table_is_aligned says).
 * On a fault returns false with the line in *err_line and the reason in err. */
bool text_table_parse(text_table *out, const text_line *lines, size_t n,
                      int *err_line, char *err, size_t errsz);

/* Writes t as CSV (RFC 4180, as `kql -f csv` does) or as an aligned table
 * (numbers right-aligned, as `kql -f table` does); every line ends with \n.
 * An aligned table whose first column has a cell starting with '#' is
 * written as CSV instead, which quotes it: a test file would read the line
 * as a comment. */
void text_table_write(kql_buf *out, const text_table *t, bool aligned);
/* Appends one row (row < 0: the header) as a CSV line, without a line end. */
void text_table_csv_row(kql_buf *out, const text_table *t, long row);

static inline const char *text_table_cell(const text_table *t, size_t row, size_t col)
{
    return t->cells[row * t->ncols + col];
}

/* A copy of t holding only columns cols[0..n), in that order. */
void text_table_select(text_table *out, const text_table *t, const int *cols, size_t n);
int text_table_find(const text_table *t, const char *name);   /* column or -1 */
void text_table_free(text_table *t);

#endif
