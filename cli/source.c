/* source.c - query text in, errors out: what every kql command shares to read
 * queries, report errors under the text that caused them, and load tables. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "json_load.h"

char *cli_read_stream(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = kql_xrealloc(NULL, cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) buf = kql_xrealloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool cli_read_file(const char *path, cli_source *q)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "kql: %s: %s\n", path, strerror(errno));
        return false;
    }
    q->name = path;
    q->text = cli_read_stream(f, &q->len);
    int failed = ferror(f) ? errno : 0;   /* a folder opens, and fails to read */
    fclose(f);
    if (failed) {
        fprintf(stderr, "kql: %s: %s\n", path, strerror(failed));
        free(q->text);
        q->text = NULL;
        return false;
    }
    return true;
}

/* The widest source line an error shows; a longer one (a generated query, a
 * huge literal) is cut to a window around the error, marked with "...". */
#define CLI_SHOWN_LINE 160
/* Text kept before the error in such a window. */
#define CLI_SHOWN_BEFORE 60

/* Prints `file:line:col: error: message`, the source line, and a caret under
 * the offending text. */
void cli_print_error(FILE *out, const cli_source *q, const kql_error *err)
{
    if (!err->has_loc) {
        fprintf(out, "%s: error: %s\n", q->name, err->message);
        return;
    }
    int line = err->loc.line > 0 ? err->loc.line : 1, col = err->loc.col > 0 ? err->loc.col : 1;
    fprintf(out, "%s:%d:%d: error: %s\n", q->name, line, col, err->message);
    const char *p = q->text, *end = q->text + q->len;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n') l++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol) eol = end;
    size_t linelen = (size_t)(eol - p);
    if (linelen > 0 && p[linelen - 1] == '\r') linelen--;
    size_t at = (size_t)col - 1;   /* the error's byte in the line */
    size_t span = err->loc.end_line == err->loc.line && err->loc.end_col > col ? (size_t)(err->loc.end_col - col) : 1;
    if (at + span > linelen) span = linelen > at ? linelen - at : 1;
    /* the window shown: all of a short line */
    size_t from = 0, to = linelen;
    if (linelen > CLI_SHOWN_LINE) {
        from = at > CLI_SHOWN_BEFORE ? at - CLI_SHOWN_BEFORE : 0;
        to = from + CLI_SHOWN_LINE < linelen ? from + CLI_SHOWN_LINE : linelen;
        if (at >= to) at = to;   /* past the end of the line: the caret goes just after it */
        if (at + span > to) span = to > at ? to - at : 1;
    }
    const char *lead = from > 0 ? "..." : "";
    fprintf(out, "%s%.*s%s\n", lead, (int)(to - from), p + from, to < linelen ? "..." : "");
    fputs(from > 0 ? "   " : "", out);   /* under the "..." */
    for (size_t c = from; c < at; c++) fputc(p[c] == '\t' ? '\t' : ' ', out);
    fputc('^', out);
    for (size_t i = 1; i < span; i++) fputc('~', out);
    fputc('\n', out);
}

double cli_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool cli_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Conversion warnings from loading, on stderr like every kql message. */
static void print_load_note(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "kql: %s\n", message);
}

static const kql_load_report stderr_report = { print_load_note, NULL };
const kql_load_options cli_load_defaults = { .report = &stderr_report };

bool cli_load_paths(kql_catalog *cat, const char *const *paths, size_t n)
{
    return cli_load_paths_with(cat, paths, n, &cli_load_defaults);
}

bool cli_load_paths_with(kql_catalog *cat, const char *const *paths, size_t n, const kql_load_options *opt)
{
    static const char *const default_paths[] = { "data" };
    if (n == 0 && cli_is_dir("data")) {
        paths = default_paths;
        n = 1;
    }
    for (size_t i = 0; i < n; i++) {
        kql_load_error lerr;
        if (kql_load_path(cat, paths[i], opt, &lerr) != 0) {
            fprintf(stderr, "kql: %s\n", lerr.message);
            return false;
        }
    }
    return true;
}
