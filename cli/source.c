/* source.c - query text in, errors out: what every kql command shares to read
 * queries, report errors under the text that caused them, and load tables. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    fclose(f);
    return true;
}

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
    fprintf(out, "%.*s\n", (int)linelen, p);
    for (int c = 1; c < col; c++) fputc(p + c - 1 < eol && p[c - 1] == '\t' ? '\t' : ' ', out);
    fputc('^', out);
    size_t span = err->loc.end_line == err->loc.line && err->loc.end_col > col ? (size_t)(err->loc.end_col - col) : 1;
    if ((size_t)col - 1 + span > linelen) span = linelen >= (size_t)col ? linelen - (size_t)col + 1 : 1;
    for (size_t i = 1; i < span; i++) fputc('~', out);
    fputc('\n', out);
}

static bool is_dir(const char *path)
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
    if (n == 0 && is_dir("data")) {
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
