/* schema.h - the column lists and types of known Log Analytics tables.
 *
 * The catalog comes from runtime/schemas/loganalytics.json, embedded in the
 * binary at build time, so SigninLogs and AADNonInteractiveUserSignInLogs load
 * with their real types whatever the JSON files hold.
 */
#ifndef KQL_SCHEMA_H
#define KQL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include "value.h"

typedef struct kql_schema_column {
    const char *name;
    kql_type type;
    bool hidden;          /* _BilledSize, _IsBillable: out of take / project * unless named */
} kql_schema_column;

typedef struct kql_schema {
    const char *table;
    size_t ncols;
    const kql_schema_column *cols;
} kql_schema;

/* The schema of a known table, or NULL. Parsed once, on first use; lives
 * until kql_schema_shutdown() (called at exit, so leak checkers stay quiet). */
const kql_schema *kql_schema_find(const char *table);
void kql_schema_shutdown(void);
/* Every known table: i from 0 while the result is not NULL. */
const kql_schema *kql_schema_at(size_t i);

#endif
