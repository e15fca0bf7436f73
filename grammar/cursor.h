/* cursor.h - where a cursor stands in a partly typed query, in token terms:
 * what the word being typed can be (a table, an operator, a column or
 * function), and which pipeline before it is in scope. The REPL's Tab
 * completion asks this; it knows nothing of tables or columns itself.
 */
#ifndef KQL_CURSOR_H
#define KQL_CURSOR_H

#include <stddef.h>

typedef enum kql_cursor_place {
    KQL_CURSOR_NONE,        /* inside a string or a comment, or after a lexical error */
    KQL_CURSOR_SOURCE,      /* where a query starts: a table (or let name) goes here */
    KQL_CURSOR_OPERATOR,    /* right after '|': a tabular operator */
    KQL_CURSOR_EXPR,        /* anywhere else: a column, a function */
} kql_cursor_place;

typedef struct kql_cursor {
    kql_cursor_place place;
    size_t word;            /* offset where the word being typed starts (== len when none) */
    size_t stmt_start;      /* offset where the statement holding the cursor starts */
    /* The pipeline whose columns are in scope: text[scope_start, scope_end),
     * up to (not including) the last '|' before the cursor at its bracket
     * depth; scope_end == 0 when there is none. Statements before
     * stmt_start (lets) are what it may refer to. */
    size_t scope_start, scope_end;
} kql_cursor;

/* Scans text[0, len) (the query up to the cursor). */
void kql_cursor_scan(const char *text, size_t len, kql_cursor *out);

#endif
