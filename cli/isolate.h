/* isolate.h - running a piece of work in a child process, so that whatever it
 * does (exit on a runaway value, crash, hang) cannot take the caller down.
 *
 * `kql test` runs each test this way: the engine ends the program on a value
 * past 2 GiB or on running out of memory (buf.h), and a test suite must
 * report that test as failed and go on; a test that hangs is stopped after a
 * time limit. The child inherits the caller's memory (loaded tables are not
 * loaded again) and sends back a message; its standard error is collected.
 */
#ifndef KQL_ISOLATE_H
#define KQL_ISOLATE_H

#include <stdbool.h>
#include "buf.h"

typedef struct isolate_result {
    bool completed;      /* the work returned and the child exited with status 0 */
    kql_buf message;     /* what the work appended to its message; owned */
    kql_buf err;         /* the child's standard error; owned */
    int exit_status;     /* the child's exit status, or -1 when a signal ended it */
    int signal;          /* that signal */
    bool timed_out;      /* it ran past the time limit (and was killed) */
} isolate_result;

/* A started child: its pid and the read ends of its two pipes. */
typedef struct isolate_child {
    int pid;
    int msg_fd, err_fd;
} isolate_child;

/* Starts work(arg, message) in a child with a limit of `seconds` (the child
 * has its own copy of arg and all memory, taken now). Returns false (with
 * errno) when no child could be started. Several may run at once. */
bool isolate_start(isolate_child *c, void (*work)(void *arg, kql_buf *message), void *arg, unsigned seconds);
/* Waits for the child to end and collects what it sent and printed. Free
 * the result with isolate_free. */
void isolate_finish(isolate_child *c, isolate_result *out);
void isolate_free(isolate_result *r);

#endif
