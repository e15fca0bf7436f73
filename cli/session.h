/* session.h - what the REPL (repl.c) and kql's standard-input mode
 * (stdin_queries.c) share: the loaded tables, the settings dot-commands
 * change, and running one query with its results printed.
 */
#ifndef KQL_CLI_SESSION_H
#define KQL_CLI_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "format.h"
#include "interp.h"

typedef struct cli_session {
    kql_catalog *cat;          /* borrowed: the caller frees it */
    kql_run_options opt;       /* --now, .now */
    kql_format fmt;            /* -f, .format */
    bool timing;               /* .timing on: elapsed time and rows after each result */
    bool terminal;             /* a person at a terminal: results fit its width, long
                                  ones go through the pager, a footer follows each table */
    FILE *output;              /* .output FILE (owned: cli_session_close), or NULL: stdout */
    bool parse_only;           /* --parse-only: queries are parsed, not run */
    bool printed;              /* a result has been printed (the next one is set apart) */
    bool quit;                 /* .quit was run */
} cli_session;

/* Runs the query text[start, start + len) of src and prints its results.
 * Errors are printed against the whole of src, their lines counted from
 * `first_line` (the query's first line in src). Returns CLI_EXIT_OK or
 * CLI_EXIT_QUERY. */
int cli_session_run(cli_session *s, const cli_source *src, size_t start, size_t len, int first_line);
/* Prints result tables as the session's settings say; ms < 0: not timed. */
void cli_session_print(cli_session *s, kql_table *const *tables, size_t n, double ms);
/* Closes .output's file. */
void cli_session_close(cli_session *s);

/* Runs one dot-command line (".tables", ".load PATH as T"; repl_commands.c).
 * Returns CLI_EXIT_OK, or an error status after printing why. */
int repl_command_run(cli_session *s, const char *line);
/* Calls fn with every dot-command's name (".help", ".load", ...). */
void repl_command_each_name(void (*fn)(const char *name, void *arg), void *arg);

/* Writes text to stdout, through $PAGER (default `less -S`) when it has more
 * lines than the terminal (pager.c). */
void cli_pager_write(const char *text, size_t len);
/* The terminal's size on stdout; false when stdout is not a terminal. */
bool cli_terminal_size(int *rows, int *cols);

/* Shows long loads' progress on stderr from now on (progress.c). */
void cli_progress_install(void);

/* The queries of a text, split at blank lines (query_split.c). */
typedef struct cli_chunk {
    size_t start, len;         /* the query's bytes in the text */
    int first_line;            /* its first line, counted from 1 */
} cli_chunk;
/* Returns how many; *out (owned by the caller: free) holds them in order.
 * Chunks of only comments and blank space are left out. */
size_t cli_split_queries(const char *text, size_t len, cli_chunk **out);

/* Standard input that is not a terminal: its queries, split at blank lines,
 * run in order; a chunk's leading lines that start with '.' are dot-commands
 * (stdin_queries.c). Returns CLI_EXIT_OK, or the status of a failure after
 * running them all. */
int cli_stdin_queries(cli_session *s, const cli_source *src);

/* Tab completion's candidates (repl_complete.c): sorted, unique, owned. */
typedef struct repl_names {
    char **v;
    size_t n, cap;
} repl_names;
void repl_names_free(repl_names *names);
/* The completions of the word that ends text (the query so far: earlier
 * lines and the current one up to the cursor): dot-commands, tables,
 * operators after '|', the columns of the pipeline in scope and functions.
 * Returns the offset in text where the word starts. */
size_t repl_complete(const char *text, size_t len, const kql_catalog *cat, repl_names *out);

/* The interactive session on a terminal (repl.c). */
int cli_repl(cli_session *s);

#endif
