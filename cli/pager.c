/* pager.c - showing a result that is longer than the screen through a pager,
 * as psql does: $PAGER, or `less -S` (long lines scroll sideways instead of
 * wrapping). A result that fits is written straight to stdout, and so is one
 * whose pager cannot be started. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "session.h"

bool cli_terminal_size(int *rows, int *cols)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return false;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return true;
}

static size_t pager_count_lines(const char *text, size_t len)
{
    size_t n = 0;
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++) n++;
    return n;
}

void cli_pager_write(const char *text, size_t len)
{
    int rows, cols;
    const char *pager = getenv("PAGER");
    if (!pager || !*pager) pager = "less -S";
    FILE *p = NULL;
    /* one line is left for the prompt that follows */
    if (cli_terminal_size(&rows, &cols) && pager_count_lines(text, len) >= (size_t)rows) {
        fflush(stdout);
        p = popen(pager, "w");
    }
    if (!p) {
        fwrite(text, 1, len, stdout);
        return;
    }
    /* quitting the pager early closes the pipe: a write error, not SIGPIPE */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    fwrite(text, 1, len, p);
    int st = pclose(p);
    signal(SIGPIPE, old);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127)   /* the shell found no such pager */
        fwrite(text, 1, len, stdout);
}
