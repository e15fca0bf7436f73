/* eval_strings.h - KQL's string operators (contains, has, startswith, ...). */
#ifndef KQL_EVAL_STRINGS_H
#define KQL_EVAL_STRINGS_H

#include <stdbool.h>
#include "buf.h"
#include "value.h"

/* The text an operand stands for: a string as is, anything else as tostring()
 * gives it (written into scratch); null gives "". */
kql_str eval_text(const kql_value *v, kql_buf *scratch);
/* haystack OP needle for AST_OP_CONTAINS .. AST_OP_NOTENDSWITH_CS. */
bool eval_string_op(int op, kql_str haystack, kql_str needle);
bool eval_str_equal_ci(const char *a, const char *b, size_t n);

#endif
