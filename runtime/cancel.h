/* cancel.h - stopping long work on request (Ctrl-C in the REPL).
 *
 * A signal handler calls kql_cancel_request(); long loops poll: operators
 * call kql_cancel_poll(i) every iteration, which reads the flag only every
 * KQL_CANCEL_EVERY iterations so the check costs nothing measurable; the
 * loader reads kql_cancelled() once a record.
 * A loop that sees it stops early; exec_plan then discards the partial result
 * and the query ends with the error "query cancelled". The flag stays set
 * until the caller clears it before its next piece of work.
 */
#ifndef KQL_CANCEL_H
#define KQL_CANCEL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#define KQL_CANCEL_EVERY 4096u

extern volatile sig_atomic_t kql_cancel_flag;

/* Async-signal-safe: only stores to the flag. */
void kql_cancel_request(void);
void kql_cancel_clear(void);

static inline bool kql_cancelled(void)
{
    return kql_cancel_flag != 0;
}

/* Whether to stop at iteration i: reads the flag every KQL_CANCEL_EVERY. */
static inline bool kql_cancel_poll(size_t i)
{
    return i % KQL_CANCEL_EVERY == 0 && kql_cancel_flag != 0;
}

#endif
