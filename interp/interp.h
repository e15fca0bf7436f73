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
/* The clock as datetime ticks (what now() is when not fixed). */
int64_t kql_clock_now(void);

#endif
