/* load_diag.h - diagnostic-settings exports mapped to Log Analytics tables.
 *
 * Microsoft Entra diagnostic settings write each log record, to storage as
 * JSON Lines and to Event Hubs in {"records":[...]} batches, in Azure
 * Monitor's common resource-log schema: top-level `time`, `resourceId`,
 * `operationName`, `category`, `resultType`, `durationMs`, `identity`,
 * `Level`, `location`, `tenantId`, ... and the service's own fields, in
 * Microsoft Graph's camelCase naming, under `properties`. A workspace stores
 * the same record as a row of the table the category names, its columns the
 * fields' names in PascalCase. kql_diag_hook rewrites each record into that
 * row shape (see load_diag.c for the rule and its exceptions).
 */
#ifndef KQL_LOAD_DIAG_H
#define KQL_LOAD_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "schema.h"

/* The Log Analytics table of a diagnostic-settings category
 * ("NonInteractiveUserSignInLogs" -> "AADNonInteractiveUserSignInLogs";
 * the category compared without regard to case), or NULL when the category
 * is not an Entra one this table knows. */
const char *kql_diag_table(const char *category);
/* Does the record look like a diagnostic-settings record: a string
 * `category`, a string `time` and an object `properties`? */
bool kql_diag_is_record(const cJSON *rec);

/* The hook context (json_load.h's kql_record_hook) for one table. */
typedef struct kql_diag_map {
    const char *category;      /* not owned: keep records of this category */
    const char *table;         /* not owned: their table's name, the Type column's value */
    const kql_schema *schema;  /* not owned: the table's columns, or NULL */
    char **others;             /* owned: the other categories met (left out) */
    size_t nothers;
    char **names;              /* owned: PascalCase names made for fields the schema lacks */
    size_t nnames;
    struct kql_diag_slot *cache;   /* owned: field -> column, open addressing */
    size_t cache_cap, cache_used;
} kql_diag_map;

void kql_diag_map_init(kql_diag_map *m, const char *category, const char *table, const kql_schema *schema);
void kql_diag_map_free(kql_diag_map *m);
/* Rewrites one record in place into the table's row shape; 1 for a record
 * of another category (noted in m->others), -1 for one without a category. */
int kql_diag_hook(void *ctx, cJSON *rec, const char **why);

#endif
