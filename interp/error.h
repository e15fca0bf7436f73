/* error.h - an error in a query: a message, where it is, and the exit status.
 *
 * Binding and execution stop at the first error and fill one of these; the
 * CLI prints it with the source line and a caret under the offending part.
 */
#ifndef KQL_ERROR_H
#define KQL_ERROR_H

#include <stdbool.h>
#include "ast.h"

typedef struct kql_error {
    bool has_loc;
    ast_loc loc;
    char message[1024];
} kql_error;

void kql_error_set(kql_error *err, const ast_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The candidate nearest to `name` by edit distance (case-insensitive), when
 * it is near enough to be a likely typo; NULL otherwise. */
typedef struct kql_suggest {
    const char *name;
    const char *best;
    int best_distance;
} kql_suggest;
void kql_suggest_init(kql_suggest *s, const char *name);
void kql_suggest_offer(kql_suggest *s, const char *candidate);
const char *kql_suggest_best(const kql_suggest *s);

#endif
