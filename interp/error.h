/* error.h - an error in a query: a message, where it is, and the exit status.
 *
 * Binding and execution stop at the first error and fill one of these; the
 * CLI prints it with the source line and a caret under the offending part.
 */
#ifndef KQL_ERROR_H
#define KQL_ERROR_H

#include <stdbool.h>
#include "ast.h"
#include "suggest.h"   /* kql_suggest: the binder's "did you mean" */

typedef struct kql_error {
    bool has_loc;
    ast_loc loc;
    char message[1024];
} kql_error;

void kql_error_set(kql_error *err, const ast_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
