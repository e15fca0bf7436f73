/* table.c - tables (named, ordered sets of equally long columns) and the
 * catalog of loaded tables (table.h). Small arrays grown one at a time:
 * tables have tens of columns, catalogs tens of tables. */
#include "table.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static char *table_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(kql_xrealloc(NULL, n), s, n);
}

kql_table *kql_table_new(const char *name)
{
    kql_table *t = kql_xrealloc(NULL, sizeof *t);   /* freed by kql_table_free */
    memset(t, 0, sizeof *t);
    t->name = name ? table_strdup(name) : NULL;
    return t;
}

static void table_add(kql_table *t, const char *name, kql_column *col, bool hidden)
{
    assert(col);
    if (t->ncols == 0)
        t->nrows = col->len;
    assert(col->len == t->nrows && "kql_table_add: column length differs");
    size_t n = t->ncols + 1;
    t->col_names = kql_xrealloc(t->col_names, n * sizeof *t->col_names);
    t->cols = kql_xrealloc(t->cols, n * sizeof *t->cols);
    t->hidden = kql_xrealloc(t->hidden, n * sizeof *t->hidden);
    t->col_names[t->ncols] = table_strdup(name ? name : "");
    t->cols[t->ncols] = col;
    t->hidden[t->ncols] = hidden;
    t->ncols = n;
}

void kql_table_add(kql_table *t, const char *name, kql_column *col)
{
    table_add(t, name, col, false);
}

void kql_table_add_hidden(kql_table *t, const char *name, kql_column *col)
{
    table_add(t, name, col, true);
}

int kql_table_find(const kql_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->col_names[i], name) == 0)
            return (int)i;
    return -1;
}

void kql_table_append_rows(kql_table *t, const kql_table *more)
{
    for (size_t i = 0; i < t->ncols; i++)
        for (size_t r = 0; r < more->nrows; r++) {
            kql_value v = kql_column_get(more->cols[i], r);
            kql_column_push(t->cols[i], &v);
        }
    t->nrows += more->nrows;
}

kql_table *kql_table_copy(const kql_table *t, const char *name)
{
    kql_table *c = kql_table_new(name);
    for (size_t i = 0; i < t->ncols; i++) {
        kql_column *col = kql_column_new(t->cols[i]->type, t->nrows);
        if (t->hidden && t->hidden[i])
            kql_table_add_hidden(c, t->col_names[i], col);
        else
            kql_table_add(c, t->col_names[i], col);
    }
    kql_table_append_rows(c, t);
    return c;
}

void kql_table_free(kql_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++) {
        free(t->col_names[i]);
        kql_column_release(t->cols[i]);
    }
    free(t->col_names);
    free(t->cols);
    free(t->hidden);
    free(t->name);
    free(t);
}

void kql_catalog_init(kql_catalog *c)
{
    c->ntables = 0;
    c->tables = NULL;
}

static bool same_name(const kql_table *t, const char *name)
{
    return t->name && name && strcmp(t->name, name) == 0;
}

void kql_catalog_add(kql_catalog *c, kql_table *t)
{
    for (size_t i = 0; i < c->ntables; i++)
        if (same_name(c->tables[i], t->name)) {
            kql_table_free(c->tables[i]);
            c->tables[i] = t;
            return;
        }
    c->tables = kql_xrealloc(c->tables, (c->ntables + 1) * sizeof *c->tables);
    c->tables[c->ntables++] = t;
}

kql_table *kql_catalog_find(const kql_catalog *c, const char *name)
{
    for (size_t i = 0; i < c->ntables; i++)
        if (same_name(c->tables[i], name))
            return c->tables[i];
    return NULL;
}

void kql_catalog_free(kql_catalog *c)
{
    for (size_t i = 0; i < c->ntables; i++)
        kql_table_free(c->tables[i]);
    free(c->tables);
    kql_catalog_init(c);
}
