/* schema_file.h - column types declared in a TABLE.schema file.
 *
 * A table the catalog (schema.h) does not know gets its column types from its
 * values; a file TABLE.schema next to the data declares them instead, in
 * KQL's schema syntax: `(TimeGenerated:datetime, Count:long, ['Odd name']:string)`,
 * `//` comments allowed. Declared columns come first, in the file's order,
 * with their types (values are coerced, as for a known table); fields the
 * file does not name are still typed from their values. For a table the
 * catalog knows, the file replaces the catalog's columns.
 */
#ifndef KQL_SCHEMA_FILE_H
#define KQL_SCHEMA_FILE_H

#include <stddef.h>
#include "json_load.h"
#include "schema.h"

/* Parses the text of a schema file for `table`. Returns a schema the caller
 * owns (free with kql_schema_file_free), or NULL with err set to
 * "PATH:LINE:COL: message". */
kql_schema *kql_schema_file_parse(const char *text, size_t len, const char *path, const char *table,
                                  kql_load_error *err);
void kql_schema_file_free(kql_schema *s);   /* NULL ok */

#endif
