/* evaluate_plan.h - the bound form of operators whose output depends on
 * each row's data: `evaluate bag_unpack(...)`, `evaluate pivot(...)`
 * (bind_evaluate.c, op_evaluate.c) and `mv-apply` (bind_mv_apply.c,
 * op_mv_apply.c).
 */
#ifndef KQL_EVALUATE_PLAN_H
#define KQL_EVALUATE_PLAN_H

#include "plan.h"

typedef enum plan_plugin {
    PLAN_PLUGIN_BAG_UNPACK,
    PLAN_PLUGIN_PIVOT
} plan_plugin;

/* PLAN_EVALUATE; arrays in the plan's arena. */
typedef struct plan_evaluate {
    plan_plugin plugin;
    /* The input, run at bind time when the output columns depend on the
     * data (owned by the query's tables); NULL: run p->input. */
    const kql_table *input;

    /* bag_unpack: per output column, the input column it copies (>= 0), or
     * -1 and the bag property it reads from the bags in bag_column. */
    int bag_column;
    int *out_source;
    const char **out_key;

    /* pivot: summarize_plan groups the input by the key columns and the
     * pivot column's text (its last key) and aggregates; the output has the
     * nkeys key columns, then one column per pivot value, named by it. */
    plan *summarize_plan;
    size_t nkeys;
    bool zero_default;        /* count, dcount and sum give 0 where no rows fall */
} plan_evaluate;

/* PLAN_MV_APPLY; p->input is the input. */
typedef struct plan_mv_apply {
    plan *expand;             /* PLAN_MV_EXPAND of the items, run over one row at a time */
    plan_let *row;            /* what the subquery reads: the expanded row, set per row */
    plan *subquery;
    /* per output column: the subquery's column (>= 0), or -1 - i for the
     * input's column i (repeated for each of the subquery's rows) */
    int *out_source;
} plan_mv_apply;

#endif
