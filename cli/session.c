/* session.c - running a query in a session and printing its results: the
 * table format fits the terminal there and long results page (pager.c); a
 * footer gives the rows and, with .timing on, the time. Shared by the REPL
 * and standard-input mode (session.h). */
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "parse.h"
#include "session.h"

/* --parse-only: the syntax alone, as kql_run would report it. */
static int session_parse(const char *text, size_t len, kql_error *err)
{
    kql_syntax_error se;
    ast_node *root = kql_parse(text, len, &se);
    if (root) {
        ast_free(root);
        return 0;
    }
    kql_error_set(err, &se.loc, "%s", se.message);
    return -1;
}

int cli_session_run(cli_session *s, const cli_source *src, size_t start, size_t len, int first_line)
{
    kql_cancel_clear();
    double t0 = 1e3 * cli_seconds();
    kql_results res = { 0 };
    kql_error err = { 0 };
    int rc = s->parse_only ? session_parse(src->text + start, len, &err)
                           : kql_run(src->text + start, len, s->cat, &s->opt, &res, &err);
    if (rc != 0) {
        if (err.has_loc) {   /* lines counted in src, not in the query */
            err.loc.line += first_line - 1;
            err.loc.end_line += first_line - 1;
        }
        fflush(stdout);
        if (s->terminal && kql_cancelled()) fputc('\n', stderr);   /* after the terminal's ^C */
        cli_print_error(stderr, src, &err);
        return CLI_EXIT_QUERY;
    }
    cli_session_print(s, res.tables, res.ntables, s->timing ? 1e3 * cli_seconds() - t0 : -1);
    kql_results_free(&res);
    return CLI_EXIT_OK;
}

/* "(3 rows)", "(1 row, 2.5 ms)" */
static void session_footer(FILE *out, const kql_table *t, double ms)
{
    fprintf(out, "(%zu row%s", t->nrows, t->nrows == 1 ? "" : "s");
    if (ms >= 0) fprintf(out, ", %.1f ms", ms);
    fputs(")\n", out);
}

void cli_session_print(cli_session *s, kql_table *const *tables, size_t n, double ms)
{
    FILE *dest = s->output ? s->output : stdout;
    bool to_screen = s->terminal && !s->output;
    int rows, cols;
    kql_format_options fo = { 0 };
    if (to_screen && cli_terminal_size(&rows, &cols)) fo.max_width = (size_t)cols;
    char *text = NULL;
    size_t len = 0;
    /* on the screen the whole result is rendered first: the pager needs its length */
    FILE *out = to_screen ? open_memstream(&text, &len) : dest;   /* text: freed below */
    if (!out) out = dest;
    for (size_t i = 0; i < n; i++) {
        /* off the screen (where prompts part them), tables are set apart by a blank line */
        if (s->fmt == KQL_FORMAT_TABLE && (i > 0 || (s->printed && !to_screen))) fputc('\n', out);
        kql_format_write_opts(out, tables[i], s->fmt, &fo);
        if (to_screen && s->fmt == KQL_FORMAT_TABLE) session_footer(out, tables[i], i + 1 == n ? ms : -1);
        else if (ms >= 0 && i + 1 == n) session_footer(stderr, tables[i], ms);
    }
    s->printed |= n > 0;
    if (out != dest) {
        fclose(out);
        cli_pager_write(text, len);
        free(text);
    }
    fflush(dest);
}

void cli_session_close(cli_session *s)
{
    if (s->output) fclose(s->output);
    s->output = NULL;
}
