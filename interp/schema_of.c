/* schema_of.c - kql_schema_of: the columns a query would produce, from
 * binding it without executing it (interp.h). The REPL's completion asks it
 * for the columns of the pipeline before the cursor. */
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "interp.h"
#include "parse.h"

char **kql_schema_of(const char *src, size_t len, const kql_catalog *cat)
{
    kql_syntax_error se;
    ast_node *root = kql_parse(src, len, &se);
    if (!root) return NULL;
    kql_error err;
    /* the time does not change a schema */
    plan_query *q = bind_query(root, cat, 0, &err);
    char **names = NULL;
    if (q) {
        const plan_schema *s = &q->results[q->nresults - 1]->schema;
        names = calloc(s->ncols + 1, sizeof *names);   /* the caller frees: kql_names_free */
        size_t n = 0;
        for (size_t i = 0; i < s->ncols; i++)
            if (!(s->hidden && s->hidden[i])) names[n++] = strdup(s->names[i]);
    }
    plan_query_free(q);
    ast_free(root);
    return names;
}

void kql_names_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++) free(names[i]);
    free(names);
}
