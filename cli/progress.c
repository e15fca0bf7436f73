/* progress.c - the progress line of long loads: bytes, rows, rate and the
 * time left, redrawn on stderr at most 4 times a second, and only when stderr
 * is a terminal and the load has run for more than a second (so pipes, logs
 * and tests never see it). The line is cleared when the file is done. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_update(void *ctx, const char *path, size_t bytes_done, size_t bytes_total, size_t rows)
{
    cli_progress *p = ctx;
    double now = progress_now();
    if (p->start == 0) {
        p->start = now;
        return;
    }
    if (bytes_done >= bytes_total) {
        if (p->shown)
            fputs("\r\033[K", stderr);   /* done: clear the line */
        *p = (cli_progress){ 0 };
        return;
    }
    double elapsed = now - p->start;
    if (elapsed < 1.0 || now - p->last < 0.25 || !isatty(STDERR_FILENO))
        return;
    double mb = (double)bytes_done / 1e6, rate = mb / elapsed;
    double left = rate > 0 ? ((double)bytes_total / 1e6 - mb) / rate : 0;
    fprintf(stderr, "\r\033[K%s: %.0f of %.0f MB, %zu rows, %.0f MB/s, %.0f s left", path, mb,
            (double)bytes_total / 1e6, rows, rate, left);
    p->last = now;
    p->shown = true;
}
