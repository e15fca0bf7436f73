/* error.c - filling a kql_error. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

void kql_error_set(kql_error *err, const ast_loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->has_loc = loc != NULL;
    if (loc) err->loc = *loc;
}
