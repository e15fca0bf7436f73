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

#endif
