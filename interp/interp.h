/* interp.h - running a query: parse, bind, execute.
 *
 * The one entry point the CLI (and later the REPL and test runner) needs.
 * Besides the tables, a run reports what the query promises about each
 * table's rows (kql_result_shape): `kql test` compares rows in order only
 * where the query orders them, and `kql diff` pairs rows on summarize keys.
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

/* At most this many order or key columns are reported (a longer sort keeps
 * its first ones; a summarize with more keys reports none). */
#define KQL_SHAPE_MAX_COLS 32

/* What a query promises about one result table's rows. Column numbers index
 * the result table's columns (hidden ones included). */
typedef struct kql_result_shape {
    /* The rows come in an order the query set (sort, order by, top; kept
     * through where, project, extend, take, parse). */
    bool ordered;
    /* The columns that order is by, outermost first: a prefix of the sort
     * keys that are plain columns still in the result. 0 when ordered by an
     * expression the result does not show (then every column counts). */
    size_t norder;
    int order_cols[KQL_SHAPE_MAX_COLS];
    /* The `by` columns of the last summarize when they still identify the
     * rows (kept through where, sort, take, project, extend); 0 otherwise. */
    size_t nkeys;
    int key_cols[KQL_SHAPE_MAX_COLS];
} kql_result_shape;

typedef struct kql_results {
    size_t ntables;
    kql_table **tables;        /* owned; one per tabular expression statement */
    kql_result_shape *shapes;  /* owned; one per table */
} kql_results;

/* Runs every statement of src over the catalog. Returns 0 with *out filled
 * (free with kql_results_free), or -1 with *err filled (a syntax error, a
 * binding error such as an unknown column, or an execution error). */
int kql_run(const char *src, size_t len, const kql_catalog *cat,
            const kql_run_options *opt, kql_results *out, kql_error *err);
void kql_results_free(kql_results *r);
/* The clock as datetime ticks (what now() is when not fixed). */
int64_t kql_clock_now(void);

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
