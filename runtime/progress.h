/* progress.h - reports from long work (loading a big file) to whoever shows
 * them. The loader reports every KQL_PROGRESS_EVERY records and once at the
 * end; without a hook installed a report costs one branch.
 * The CLI installs a hook when a person watches stderr (cli/progress.c).
 */
#ifndef KQL_PROGRESS_H
#define KQL_PROGRESS_H

#include <stddef.h>

#define KQL_PROGRESS_EVERY 4096u

typedef enum kql_progress_state {
    KQL_PROGRESS_RUNNING,
    KQL_PROGRESS_DONE,
    KQL_PROGRESS_FAILED,     /* an error or a cancel: its message follows elsewhere */
} kql_progress_state;

/* what: the file being loaded; done and total: bytes; rows so far. */
typedef void (*kql_progress_hook)(const char *what, size_t done, size_t total, size_t rows,
                                  kql_progress_state state);

void kql_progress_set_hook(kql_progress_hook hook);   /* NULL: none */
void kql_progress_report(const char *what, size_t done, size_t total, size_t rows, kql_progress_state state);

#endif
