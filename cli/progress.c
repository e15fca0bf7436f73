/* progress.c - a long load's progress on stderr, for a person watching a
 * terminal (the hook of runtime/progress.h; installed only when stderr is a
 * terminal, so pipes, logs and tests never see it). Quiet for the first
 * second, so quick loads print nothing; then one line, redrawn in place:
 * "loading PATH: 120.0 of 800.0 MB, 1200000 rows, 95.2 MB/s, 7 s left", and
 * at the end the totals and the time (or, when it failed, just the line end). */
#include <stdbool.h>
#include <stdio.h>

#include "progress.h"
#include "session.h"

#define PROGRESS_QUIET_MS 1000.0
#define PROGRESS_EVERY_MS 200.0

static struct {
    const char *what;        /* the load being watched (the loader's path string) */
    size_t last_done;
    double start, last_shown;
    bool shown;
} progress;

static void progress_hook(const char *what, size_t done, size_t total, size_t rows, kql_progress_state state)
{
    double now = 1e3 * cli_seconds();
    if (what != progress.what || done < progress.last_done) {   /* a new load */
        progress.what = what;
        progress.start = now;
        progress.shown = false;
    }
    progress.last_done = done;
    double elapsed = now - progress.start, mb = 1024.0 * 1024.0;
    double rate = elapsed > 0 ? (double)done / mb / (elapsed / 1e3) : 0;
    if (state != KQL_PROGRESS_RUNNING) {
        if (progress.shown && state == KQL_PROGRESS_DONE)
            fprintf(stderr, "\r\033[Kloaded %s: %.1f MB, %zu rows in %.1f s (%.1f MB/s)\n", what,
                    (double)total / mb, rows, elapsed / 1e3, rate);
        else if (progress.shown)
            fputc('\n', stderr);   /* the error goes on a line of its own */
        progress.what = NULL;
        return;
    }
    if (elapsed < PROGRESS_QUIET_MS || (progress.shown && now - progress.last_shown < PROGRESS_EVERY_MS)) return;
    double left = rate > 0 && done < total ? ((double)(total - done) / mb) / rate : 0;
    fprintf(stderr, "\r\033[Kloading %s: %.1f of %.1f MB, %zu rows, %.1f MB/s, %.0f s left", what,
            (double)done / mb, (double)total / mb, rows, rate, left);
    progress.shown = true;
    progress.last_shown = now;
}

void cli_progress_install(void)
{
    kql_progress_set_hook(progress_hook);
}
