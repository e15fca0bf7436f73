/* testfile.h - reading `kql test` files: several tests a file, each a name,
 * directives, a query, and the expected result or error.
 *
 *   # a comment
 *   ### NAME
 *   @now DATETIME          the time now() and ago() see
 *   @data PATH             load tables (a folder or a file; repeatable)
 *   @query FILE.kql        the query is that file, as is (no query text then)
 *   @table NAME = EXPR     a table made by a tabular expression (a datatable),
 *                          read by the query as NAME; indented lines after it
 *                          continue EXPR
 *   @ordered / @unordered  rows compare in order / as a multiset, whatever
 *                          the query says (default: in order only where it sorts)
 *   QUERY                  up to the line `---`
 *   ---                    then the expected rows: CSV, or an aligned table
 *   --- error N            or: the exit status and error text expected
 *
 * Paths are relative to the test file's folder. The full description is in
 * tests/golden/README.md; this module only splits the text, keeping where
 * each part is, so that errors name lines and --update can rewrite the
 * expected block of a test and nothing else.
 */
#ifndef KQL_TESTFILE_H
#define KQL_TESTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include "text_table.h"

typedef enum testfile_order {
    TESTFILE_ORDER_QUERY,      /* as the query orders its rows (sort, top, order by) */
    TESTFILE_ORDERED,          /* @ordered: every row in place */
    TESTFILE_UNORDERED         /* @unordered: a multiset */
} testfile_order;

/* An @table directive: NAME and its expression, and where the expression
 * starts in the file (for its errors). */
typedef struct testfile_table {
    char *name;                /* owned */
    char *expr;                /* owned; continuation lines joined by \n */
    int line, col;
} testfile_table;

typedef struct testfile_test {
    char *name;                /* owned */
    int line;                  /* the `### NAME` line */
    char *now;                 /* @now text, or NULL; owned */
    char **data;               /* @data paths as written; owned */
    size_t ndata;
    char *query_path;          /* @query, or NULL; owned */
    testfile_table *tables;    /* @table, in order; owned */
    size_t ntables;
    testfile_order order;
    char *query;               /* the inline query, lines joined by \n; owned (NULL with @query) */
    size_t query_len;
    int query_line;            /* the query's first line in the file */
    bool expect_error;         /* `--- error N` */
    int error_status;
    text_line *expected;       /* the expected block's lines (comments and trailing blanks
                                  left out), pointing into the file's text; owned array */
    size_t nexpected;
    int separator_line;
    size_t span_start, span_end;   /* bytes from the separator line to the end of the
                                      expected block: what --update replaces */
} testfile_test;

typedef struct testfile {
    const char *path;          /* as given; not owned */
    char *text;                /* the whole file; owned */
    size_t len;
    testfile_test *tests;      /* owned */
    size_t ntests;
} testfile;

/* Reads and splits a test file. On a fault returns false with
 * "PATH:LINE: error: reason" in err (tf is then empty). */
bool testfile_read(testfile *tf, const char *path, char *err, size_t errsz);
void testfile_free(testfile *tf);

#endif
