/* load_az.h - the output of `az monitor log-analytics query`.
 *
 * The Azure CLI prints a query's rows as a JSON array of objects, each
 * starting with "TableName" (the query API's name of the result table,
 * "PrimaryResult") and holding every value as Python's str() of it: "0",
 * "True", JSON text for dynamic values, and "None" for null. The file's rows
 * are the table the file is named after: TableName is not one of its columns
 * (unless the table's schema has such a column), and "None" is null in
 * columns whose type is not string; values are coerced to the column types
 * as usual.
 */
#ifndef KQL_LOAD_AZ_H
#define KQL_LOAD_AZ_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "schema.h"

/* Does the record look like az's: "TableName": "PrimaryResult" first, every
 * value a string? */
bool kql_az_is_record(const cJSON *rec);

/* The hook (json_load.h's kql_record_hook); ctx is the table's schema
 * (const kql_schema *, NULL when unknown). Never refuses a record. */
int kql_az_hook(void *ctx, cJSON *rec, const char **why);

#endif
