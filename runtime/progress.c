/* progress.c - the one progress hook of progress.h. */
#include "progress.h"

static kql_progress_hook progress_hook;

void kql_progress_set_hook(kql_progress_hook hook)
{
    progress_hook = hook;
}

void kql_progress_report(const char *what, size_t done, size_t total, size_t rows, kql_progress_state state)
{
    if (progress_hook) progress_hook(what, done, total, rows, state);
}
