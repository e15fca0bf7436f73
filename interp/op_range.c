/* op_range.c - range x from a to b step s: a one-column table of a, a+s, ...
 * up to b inclusive (down to b for a negative step). Numbers, datetimes and
 * timespans; a zero step or a range past KQL_RANGE_MAX_ROWS is an error. */
#include <math.h>

#include "cancel.h"
#include "exec.h"

#define KQL_RANGE_MAX_ROWS 100000000.0

/* Rows of an integer range, counted exactly: in double, (to - from) / step
 * rounds, and one row too many would step past `to` and overflow. */
static double range_count_int(int64_t from, int64_t to, int64_t step)
{
    if (step > 0 ? to < from : to > from) return 0;
    uint64_t span = step > 0 ? (uint64_t)to - (uint64_t)from : (uint64_t)from - (uint64_t)to;
    uint64_t mag = step > 0 ? (uint64_t)step : -(uint64_t)step;
    return (double)(span / mag) + 1;
}

kql_table *op_range(exec_ctx *x, const plan *p)
{
    kql_type t = p->schema.types[0];
    bool real = t == KQL_REAL;
    double from = real ? p->range_from.u.r : (double)p->range_from.u.i;
    double to = real ? p->range_to.u.r : (double)p->range_to.u.i;
    double step = real ? p->range_step.u.r : (double)p->range_step.u.i;
    if (step == 0 || isnan(step) || isnan(from) || isnan(to)) {
        kql_error_set(x->err, &p->loc, "range: the step must be a non-zero number");
        return NULL;
    }
    double count = real ? floor((to - from) / step) + 1
                        : range_count_int(p->range_from.u.i, p->range_to.u.i, p->range_step.u.i);
    if (count < 0) count = 0;
    if (count > KQL_RANGE_MAX_ROWS) {
        kql_error_set(x->err, &p->loc, "range: %.0f rows is more than the %.0f this engine produces",
                      count, KQL_RANGE_MAX_ROWS);
        return NULL;
    }
    size_t n = (size_t)count;
    kql_column *c = kql_column_new(t, n);
    for (size_t i = 0; i < n; i++) {
        if (kql_cancel_poll(i)) {   /* exec_plan discards the partial table */
            n = i;
            break;
        }
        kql_value v = { .type = t };
        if (real) v.u.r = p->range_from.u.r + (double)i * p->range_step.u.r;
        /* Unsigned: i * step may overflow although from + i * step, within
         * [from, to], does not; the wrapped sum is then the exact value. */
        else v.u.i = (int64_t)((uint64_t)p->range_from.u.i + (uint64_t)i * (uint64_t)p->range_step.u.i);
        kql_column_push(c, &v);
    }
    kql_table *out = kql_table_new(NULL);
    kql_table_add(out, p->schema.names[0], c);
    out->nrows = n;
    return out;
}
