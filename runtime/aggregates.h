/* aggregates.h - the table of aggregation functions used by summarize.
 *
 * Each aggregate is one entry in kql_aggregates[] (aggregates.c): name,
 * arity, type rule, how Kusto names its output column, and a state machine
 * (init / add per row / finish) over a fixed-size state that summarize
 * allocates once per group.
 */
#ifndef KQL_AGGREGATES_H
#define KQL_AGGREGATES_H

#include <stddef.h>
#include "functions.h"
#include "value.h"

typedef struct kql_aggregate {
    const char *name;            /* "count", "dcountif", "make_set", ... */
    const char *column_prefix;   /* output name: prefix "_" first-argument-name, or prefix "_"
                                    when the first argument is not a column (count() -> "count_",
                                    sum(x) -> "sum_x", make_set(x) -> "set_x").
                                    An empty prefix: the output keeps the argument's own
                                    name (take_any(x) -> "x", as Kusto names it) */
    int min_args, max_args;
    const char *signature;
    kql_fn_type_rule result_type;
    size_t state_size;
    /* argtypes: the static types of the arguments, as the type rule saw them */
    void (*init)(void *state, const kql_type *argtypes, size_t n);
    /* One input row. Values' bytes stay valid until finish (the input table
     * outlives the aggregation), so a state may keep pointers to them. */
    void (*add)(void *state, const kql_value *args, size_t n);
    /* The group's result, of the type the rule returned (strings into ctx->arena). */
    void (*finish)(void *state, kql_fn_ctx *ctx, kql_value *out);
    void (*destroy)(void *state);  /* frees what add allocated; NULL when nothing */
} kql_aggregate;

const kql_aggregate *kql_aggregate_find(const char *name);
void kql_aggregate_each_name(void (*fn)(const char *name, void *arg), void *arg);

#endif
