/* load_file.h - one data file -> tables in the catalog, whatever its shape.
 *
 * The file's bytes are read (and gunzipped: load_input.h), its shape told
 * from its content (load_shape.h), and the matching loader builds the table:
 * json_load.c for JSON records, Event Hubs batches and query API answers,
 * with a record hook for diagnostic-settings exports (load_diag.h, whose
 * categories name their tables) and az output (load_az.h); load_csv.c for
 * the portal's CSV. A TABLE.schema file beside the data declares the table's
 * column types (schema_file.h).
 */
#ifndef KQL_LOAD_FILE_H
#define KQL_LOAD_FILE_H

#include <stddef.h>
#include "json_load.h"

/* The length of a data file's table name: its name without the data
 * extensions (.json, .jsonl, .ndjson or .csv, each maybe followed by .gz);
 * 0 when the name has none of them. */
size_t kql_data_file_stem(const char *base);

/* Loads the file at path into cat as table `name`; a diagnostic-settings
 * export instead gives one table per category it holds, named after the
 * category. A table already in cat gets the file's rows appended
 * (table_concat.h). opt's filter for the table applies to plain JSON shapes
 * (the others load whole); opt may be NULL. Returns 0, or -1 with err filled
 * in. */
int kql_load_file(kql_catalog *cat, const char *path, const char *name,
                  const kql_load_options *opt, kql_load_error *err);

#endif
