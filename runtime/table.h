/* table.h - a named, ordered set of equally long columns.
 *
 * A table owns one reference to each of its columns. Tables are what flows
 * between operators and what the loader and formatters see.
 */
#ifndef KQL_TABLE_H
#define KQL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include "column.h"

typedef struct kql_table {
    char *name;            /* owned; NULL for intermediate results */
    size_t ncols;
    char **col_names;      /* owned */
    kql_column **cols;     /* one reference each */
    bool *hidden;          /* per column: left out of take/project * unless named */
    size_t nrows;
} kql_table;

kql_table *kql_table_new(const char *name);          /* NULL name ok */
/* Appends a column; the table takes over the caller's reference to col.
 * The first column sets nrows; later ones must have the same length. */
void kql_table_add(kql_table *t, const char *name, kql_column *col);
void kql_table_add_hidden(kql_table *t, const char *name, kql_column *col);
int kql_table_find(const kql_table *t, const char *name);  /* index or -1 */
/* Appends more's rows to t by value (copying strings and dynamic values into
 * t's columns): more has t's columns, in the same order and of the same types. */
void kql_table_append_rows(kql_table *t, const kql_table *more);
/* A copy of t that owns its bytes (no column shared with t, so t's arenas
 * can go): same names, types and hidden columns. The caller frees it. */
kql_table *kql_table_copy(const kql_table *t, const char *name);
void kql_table_free(kql_table *t);                   /* NULL ok */

/* A set of named tables (what -d loads): the catalog the binder looks up. */
typedef struct kql_catalog {
    size_t ntables;
    kql_table **tables;    /* owned */
} kql_catalog;

void kql_catalog_init(kql_catalog *c);
void kql_catalog_add(kql_catalog *c, kql_table *t);  /* takes ownership; replaces same name */
kql_table *kql_catalog_find(const kql_catalog *c, const char *name);
void kql_catalog_free(kql_catalog *c);

#endif
