/* pushdown.h - what queries need of each table, worked out before loading.
 *
 * The CLI hands the queries over before it loads any file. They are bound
 * against tables that hold only their schema (every table schema.h knows);
 * the plans then say which columns each table must have and which `where`
 * predicates sit directly on a table, so that the loader (json_load.h) can
 * skip the other fields and drop failing rows while it reads. Results are the
 * same as loading everything: the queries still run whole afterwards.
 */
#ifndef KQL_PUSHDOWN_H
#define KQL_PUSHDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "interp.h"
#include "json_load.h"

typedef struct kql_pushdown kql_pushdown;

/* Analyzes queries texts[0..n). Returns NULL when they cannot be analyzed
 * safely (a syntax error, a table or column the schemas lack, a table read
 * while binding, ...): then everything is loaded and the run reports any
 * error. opt->now must be set (now_set), so the load and the run agree. */
kql_pushdown *kql_pushdown_new(const char *const *texts, const size_t *lens, size_t n,
                               const kql_run_options *opt, bool allow_stream);
/* Streaming (allow_stream: each table is loaded once, from one file): when
 * there is one query and its table's rows first go through operators that
 * each take one row at a time (where, project, extend, mv-expand), those run
 * on every chunk as it loads and only their output is kept; the rest of the
 * query then runs over it with kql_pushdown_run instead of kql_run. */
bool kql_pushdown_streams(const kql_pushdown *p);
/* Runs the query of a streaming load. Returns 0 with *out filled, -1 with
 * *err set, or 1 when it cannot (the table was not loaded: run it the
 * ordinary way, over a fresh load). */
int kql_pushdown_run(kql_pushdown *p, const kql_catalog *cat, kql_results *out, kql_error *err);
/* The filters, one per known table (valid while p lives). */
const kql_load_filter *kql_pushdown_filters(const kql_pushdown *p, size_t *n);
/* One line per table that a query reads: `pushdown: T: N columns (A, B), M
 * predicates` (for --explain-load and the tests). */
void kql_pushdown_describe(const kql_pushdown *p, FILE *out);
void kql_pushdown_free(kql_pushdown *p);   /* NULL ok */

#endif
