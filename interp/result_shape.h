/* result_shape.h - what a bound plan promises about its rows: their order and
 * the columns that identify them (kql_result_shape, interp.h). kql_run fills
 * one per result table from result_shape_of. */
#ifndef KQL_RESULT_SHAPE_H
#define KQL_RESULT_SHAPE_H

#include "interp.h"
#include "plan.h"

void result_shape_of(const plan *p, kql_result_shape *out);

#endif
