/* interp.h - running a query: parse, bind, execute.
 *
 * The one entry point the CLI (and later the REPL and test runner) needs.
 */
#ifndef KQL_INTERP_H
#define KQL_INTERP_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "table.h"

typedef struct kql_run_options {
    bool now_set;
    int64_t now;          /* ticks; the clock when !now_set (a query's `set query_now` wins) */
} kql_run_options;

typedef struct kql_results {
    size_t ntables;
    kql_table **tables;   /* owned; one per tabular expression statement */
} kql_results;

/* Runs every statement of src over the catalog. Returns 0 with *out filled
 * (free with kql_results_free), or -1 with *err filled (a syntax error, a
 * binding error such as an unknown column, or an execution error). */
int kql_run(const char *src, size_t len, const kql_catalog *cat,
            const kql_run_options *opt, kql_results *out, kql_error *err);
void kql_results_free(kql_results *r);

/* The shown column names of the last tabular statement of src, found by
 * binding it (as kql_run does, so extend and project count; a toscalar() or
 * an in-subquery in it runs, as binding runs them). Returns a NULL-terminated
 * array owned by the caller (kql_names_free), or NULL when src does not
 * parse or bind. The REPL completes column names with it. */
char **kql_schema_of(const char *src, size_t len, const kql_catalog *cat);
void kql_names_free(char **names);

/* Calls fn with the name of every tabular operator the engine runs. */
void kql_each_operator_name(void (*fn)(const char *name, void *arg), void *arg);

#endif
