/* stdin_queries.c - kql reading queries from a pipe or a file on standard
 * input (session.h): the text splits into queries at blank lines (as the Log
 * Analytics editor treats them), which run in order with no prompts; the
 * leading lines of a chunk that start with '.' are dot-commands. Errors name
 * lines of the whole input; the exit status is that of the last failure. */
#include <stdlib.h>
#include <string.h>

#include "session.h"

/* Runs the dot-command lines at the top of the chunk; returns where the
 * query after them starts (== the chunk's end when there is none). */
static size_t stdin_commands(cli_session *s, const cli_source *src, cli_chunk *c, int *status)
{
    size_t pos = c->start, end = c->start + c->len;
    while (pos < end && !s->quit) {
        size_t p = pos;
        while (p < end && (src->text[p] == ' ' || src->text[p] == '\t')) p++;
        if (p >= end || src->text[p] != '.') break;
        const char *nl = memchr(src->text + p, '\n', end - p);
        size_t eol = nl ? (size_t)(nl - src->text) : end;
        char line[4096];
        snprintf(line, sizeof line, "%.*s", (int)(eol - p), src->text + p);
        int st = repl_command_run(s, line);
        if (st != CLI_EXIT_OK) *status = st;
        c->first_line++;
        pos = eol < end ? eol + 1 : end;
    }
    return pos;
}

int cli_stdin_queries(cli_session *s, const cli_source *src)
{
    cli_chunk *chunks;
    size_t n = cli_split_queries(src->text, src->len, &chunks);
    int status = CLI_EXIT_OK;
    for (size_t i = 0; i < n && !s->quit; i++) {
        cli_chunk c = chunks[i];
        size_t q = stdin_commands(s, src, &c, &status);
        size_t end = c.start + c.len;
        if (q >= end || s->quit) continue;
        int st = cli_session_run(s, src, q, end - q, c.first_line);
        if (st != CLI_EXIT_OK) status = st;
    }
    free(chunks);
    return status;
}
