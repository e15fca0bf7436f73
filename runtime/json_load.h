/* json_load.h - reading JSON tables from files into columnar tables.
 *
 * Accepts a JSON array of objects, or JSON Lines (one object a line). cJSON
 * parses one record at a time; its tree is converted into the columns at once
 * and freed, so memory holds only the columnar form. Values are coerced to
 * the table's schema when the table is known (schema.h); otherwise column
 * types are inferred from the values (see json_load.c).
 */
#ifndef KQL_JSON_LOAD_H
#define KQL_JSON_LOAD_H

#include "table.h"

typedef struct kql_load_error {
    char message[1024];   /* "data/T.jsonl:12:5: expected ',' or '}'" */
} kql_load_error;

/* Loads one file as a table named `name`. Returns NULL with *err filled in on
 * I/O errors and malformed JSON (file, line and column of the fault). */
kql_table *kql_load_json_file(const char *path, const char *name, kql_load_error *err);
/* Loads from text already in memory (path is used in messages only). */
kql_table *kql_load_json_text(const char *text, size_t len, const char *path,
                              const char *name, kql_load_error *err);
/* A directory: every *.json, *.jsonl, *.ndjson file in it becomes a table
 * named after the file (without extension). A file: one table. Returns 0, or
 * -1 with *err filled in. */
int kql_load_path(kql_catalog *cat, const char *path, kql_load_error *err);

/* ---- loading only what a query needs (interp/pushdown.c computes it) ----
 *
 * A filter for one table: only the named columns are materialized (the
 * values of other fields are skipped in the text, never parsed), and `keep`
 * picks the rows to store from each chunk of rows as it is read, so rows that
 * fail a query's leading `where` never accumulate. The result equals loading
 * everything, dropping the other columns and filtering once, except that
 * values in skipped fields are not converted (so not warned about) and a
 * skipped nested value is only checked for balanced brackets and quotes. */
typedef struct kql_load_filter {
    const char *table;
    const char *const *columns;   /* NULL: every column */
    size_t ncolumns;
    /* Writes the indices of the rows of `chunk` to keep, ascending, to keep[]
     * (room for chunk->nrows) and returns their count. NULL: keep all.
     * `offset` is where the chunk's first record starts in the file: the
     * two threads of a large load call it at the same time, for chunks in
     * any order. */
    size_t (*keep)(void *ctx, const kql_table *chunk, size_t offset, size_t *keep);
    void *ctx;
} kql_load_filter;

typedef struct kql_load_options {
    const kql_load_filter *filters;   /* at most one per table name */
    size_t nfilters;
    /* Called now and then while a file loads (NULL: never). */
    void (*progress)(void *ctx, const char *path, size_t bytes_done, size_t bytes_total, size_t rows);
    void *progress_ctx;
} kql_load_options;

kql_table *kql_load_json_text_with(const char *text, size_t len, const char *path, const char *name,
                                   const kql_load_options *opt, kql_load_error *err);
kql_table *kql_load_json_file_with(const char *path, const char *name, const kql_load_options *opt,
                                   kql_load_error *err);
int kql_load_path_with(kql_catalog *cat, const char *path, const kql_load_options *opt, kql_load_error *err);

#endif
