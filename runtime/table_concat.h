/* table_concat.h - the rows of two tables of one name as one table.
 *
 * One table often comes in several files: diagnostic settings write an
 * hourly PT1H.json per category, and -d may name files of the same table.
 * The loader concatenates them rather than letting one replace another.
 */
#ifndef KQL_TABLE_CONCAT_H
#define KQL_TABLE_CONCAT_H

#include "table.h"

/* A new table named like a (the caller owns it; a and b are unchanged):
 * a's rows, then b's. Its columns are a's, in order, then those only b has;
 * a row lacking a column holds null there. A column whose types differ
 * between the two becomes dynamic, holding each value as it was. */
kql_table *kql_table_concat(const kql_table *a, const kql_table *b);

#endif
