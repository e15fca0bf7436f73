/* json_load.h - reading JSON tables into columnar tables, and loading data
 * files and folders (kql_load_path; load_file.h tells the file shapes apart).
 *
 * Accepts a JSON array of objects, or JSON Lines (one object a line). Records
 * are parsed one at a time straight into the columns, so memory holds only
 * the columnar form; a filter (below) keeps only the columns and rows a query
 * needs. Values are coerced to the table's schema when the table is known
 * (schema.h); otherwise column types are inferred from the values (see
 * json_load.c).
 */
#ifndef KQL_JSON_LOAD_H
#define KQL_JSON_LOAD_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include "schema.h"
#include "table.h"

typedef struct kql_load_error {
    char message[1024];   /* "data/T.jsonl:12:5: expected ',' or '}'" */
} kql_load_error;

/* Where a load reports the values it could not convert (they are stored as
 * null): the runtime never prints, the caller decides (cli/ prints them on
 * stderr). `note` gets one message per value for the first
 * KQL_LOAD_MAX_NOTES values of a file ("T.jsonl:3: column DurationMs: 'fast'
 * is not a long (stored as null)"), then the file's count ("T.jsonl: 3 values
 * could not be converted (stored as null)"). */
enum { KQL_LOAD_MAX_NOTES = 10 };
typedef struct kql_load_report {
    void (*note)(void *ctx, const char *message);
    void *ctx;
} kql_load_report;
/* A `note` that keeps each message, ended by a NUL, in the kql_buf ctx (to
 * show them later, in order, or not at all). */
void kql_load_note_keep(void *ctx, const char *message);

/* A rewrite of each record object before its fields become cells (the
 * diagnostic-settings mapping, az's TableName; see load_file.h). Returns 0 to
 * keep the record, 1 to leave it out (it belongs to another table), -1 to fail
 * with *why set to a static message. */
typedef int (*kql_record_hook)(void *ctx, cJSON *rec, const char **why);

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

/* What a whole load (kql_load_path) is asked to do; a NULL options pointer
 * loads everything and only counts unconvertible values. */
typedef struct kql_load_options {
    const kql_load_filter *filters;   /* at most one per table name */
    size_t nfilters;
    const kql_load_report *report;    /* NULL: unconvertible values are only counted */
    /* Set to true when a table that has a filter was loaded whole, from a
     * shape the filters do not apply to (CSV, az, diagnostic settings, a
     * TABLE.schema override), or when its JSON held a field the schema
     * lacks (the query's analysis knew only the schema's columns): the
     * filter's view of the table was partial, so the caller must load again
     * without filters. NULL: not asked. */
    bool *loaded_whole;
} kql_load_options;

/* The filter opt holds for table `table`, or NULL. */
const kql_load_filter *kql_load_filter_for(const kql_load_options *opt, const char *table);

/* How to read one JSON text (load_file.c fills it in for each file). */
typedef struct kql_json_options {
    const kql_schema *schema;       /* the table's columns; NULL: kql_schema_find(name) */
    kql_record_hook hook;           /* NULL: records as they are */
    void *hook_ctx;
    const kql_load_report *report;  /* NULL: unconvertible values are only counted */
    const kql_load_filter *filter;  /* NULL: every column and row */
    bool mapped;                    /* the text is a read-only mapping of a whole file, page
                                       aligned: pages already read may be handed back */
    bool *saw_unknown_field;        /* set to true when, with a filter naming columns, a
                                       record held a field the schema lacks; NULL: not asked */
} kql_json_options;

/* Loads from text already in memory as a table named `name` (path is used
 * in messages only). Returns NULL with *err filled in on malformed JSON
 * (file, line and column of the fault). */
kql_table *kql_load_json_text(const char *text, size_t len, const char *path,
                              const char *name, kql_load_error *err);
/* The same with a schema, a record hook, a report and a filter (opt may be NULL). */
kql_table *kql_load_json_text_opts(const char *text, size_t len, const char *path, const char *name,
                                   const kql_json_options *opt, kql_load_error *err);
/* A directory: every data file in it (*.json, *.jsonl, *.ndjson, *.csv, each
 * also .gz; see load_file.h) becomes a table named after the file (without
 * its extensions). A file: one table. Returns 0, or -1 with *err filled in. */
int kql_load_path(kql_catalog *cat, const char *path, const kql_load_options *opt, kql_load_error *err);

#endif
