/* load_shape.h - telling the shape of an exported log from its content.
 *
 * Extensions lie (exports get renamed, compressed, saved as .txt), so the
 * bytes decide: text that opens with '[' or '{' is JSON, and its first record
 * tells which JSON: a diagnostic-settings record (load_diag.h), a row of
 * `az monitor log-analytics query` (load_az.h), or anything else json_load.c
 * reads (records, Event Hubs batches, query API answers). Other text is CSV
 * (load_csv.h), unless the file is named as JSON, whose loader then says what
 * is wrong with it.
 */
#ifndef KQL_LOAD_SHAPE_H
#define KQL_LOAD_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum kql_shape {
    KQL_SHAPE_JSON,   /* records, Event Hubs batches, query API answers */
    KQL_SHAPE_DIAG,   /* diagnostic-settings records (also in Event Hubs batches) */
    KQL_SHAPE_AZ,     /* az monitor log-analytics query output */
    KQL_SHAPE_CSV     /* the portal's CSV export */
} kql_shape;

/* The shape of data (already gunzipped). json_name: the file is named as
 * JSON (.json, .jsonl, .ndjson). For KQL_SHAPE_DIAG, *category is set to
 * the first record's category (owned by the caller: free()), else NULL. */
kql_shape kql_shape_detect(const char *data, size_t len, bool json_name, char **category);

#endif
