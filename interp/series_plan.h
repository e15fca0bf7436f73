/* series_plan.h - the bound form of make-series (PLAN_MAKE_SERIES), shared by
 * the binder (bind_series.c) and the operator (op_make_series.c).
 *
 * The axis runs from `from` (inclusive) to `to` (exclusive) in nbins steps,
 * all constants known at bind time. The output is one row per group: the
 * keys, one dynamic array per aggregate (a value per bin, the default where
 * no row fell), then the axis column, the array of bin starts.
 */
#ifndef KQL_SERIES_PLAN_H
#define KQL_SERIES_PLAN_H

#include "plan.h"

/* Kusto's documented limit on the values of one series (2^20). */
#define SERIES_MAX_BINS 1048576
/* kql's bound on all the values one make-series produces (groups x bins x
 * aggregates), so a tiny step over many groups fails clearly instead of
 * exhausting memory. */
#define SERIES_MAX_VALUES 16777216

typedef struct plan_series {
    bexpr *axis;              /* datetime, timespan, int, long or real */
    bool real_axis;           /* real: from/step in u.r; otherwise ticks or whole numbers in u.i */
    kql_value from, to, step; /* step > 0; rows outside [from, to) are left out */
    size_t nbins;
    bexpr **keys;             /* by */
    size_t nkeys;
    plan_aggregate *aggs;
    kql_value *defaults;      /* per aggregate, bytes in the plan's arena */
    size_t naggs;
} plan_series;

#endif
