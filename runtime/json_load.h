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

#include <cjson/cJSON.h>
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

/* A rewrite of each record object before its fields become cells (the
 * diagnostic-settings mapping, az's TableName; see load_file.h). Returns 0 to
 * keep the record, 1 to leave it out (it belongs to another table), -1 to fail
 * with *why set to a static message. */
typedef int (*kql_record_hook)(void *ctx, cJSON *rec, const char **why);

typedef struct kql_json_options {
    const kql_schema *schema;       /* the table's columns; NULL: kql_schema_find(name) */
    kql_record_hook hook;           /* NULL: records as they are */
    void *hook_ctx;
    const kql_load_report *report;  /* NULL: unconvertible values are only counted */
} kql_json_options;

/* Loads one file as a table named `name`. Returns NULL with *err filled in on
 * I/O errors and malformed JSON (file, line and column of the fault). */
kql_table *kql_load_json_file(const char *path, const char *name, kql_load_error *err);
/* Loads from text already in memory (path is used in messages only). */
kql_table *kql_load_json_text(const char *text, size_t len, const char *path,
                              const char *name, kql_load_error *err);
/* The same with a schema, a record hook and a report (opt may be NULL). */
kql_table *kql_load_json_text_opts(const char *text, size_t len, const char *path, const char *name,
                                   const kql_json_options *opt, kql_load_error *err);
/* A directory: every data file in it (*.json, *.jsonl, *.ndjson, *.csv, each
 * also .gz; see load_file.h) becomes a table named after the file (without
 * its extensions). A file: one table. Conversion warnings go to report (may
 * be NULL). Returns 0, or -1 with *err filled in. */
int kql_load_path(kql_catalog *cat, const char *path, const kql_load_report *report,
                  kql_load_error *err);

#endif
