/* cli.h - what the kql commands share: query text read from files or streams,
 * errors printed with the source line and a caret, and tables loaded from -d
 * paths.
 *
 * main.c picks a command from the first argument (`kql test`, `kql diff`, ...,
 * otherwise running queries: cmd_run.c); each command is one cli/cmd_*.c file
 * with its entry point declared here.
 */
#ifndef KQL_CLI_H
#define KQL_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "error.h"
#include "json_load.h"
#include "table.h"

/* Exit statuses every command uses. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_QUERY = 1, CLI_EXIT_USAGE = 2 };

/* A query's text and the name its errors carry. */
typedef struct cli_source {
    const char *name;     /* file name, "<query>" or "<stdin>"; not owned */
    char *text;           /* owned: free with free() */
    size_t len;
} cli_source;

/* Reads a whole stream; the result is NUL-terminated and owned by the caller. */
char *cli_read_stream(FILE *f, size_t *len);
/* Reads a query file into *src (src->name = path). On failure prints
 * `kql: PATH: reason` and returns false. */
bool cli_read_file(const char *path, cli_source *src);
/* Prints `name:line:col: error: message`, the source line and a caret (with
 * `~` under the rest of the offending token) to `out`. */
void cli_print_error(FILE *out, const cli_source *src, const kql_error *err);
/* Seconds on the monotonic clock (for elapsed times). */
double cli_seconds(void);
/* Is path a folder (following links)? */
bool cli_is_dir(const char *path);
/* Load options of the command line: every column and row, and conversion
 * warnings printed on stderr as `kql: message`. */
extern const kql_load_options cli_load_defaults;
/* Loads every -d path into cat (the default ./data when n == 0 and it exists).
 * On failure prints `kql: message` and returns false. */
bool cli_load_paths(kql_catalog *cat, const char *const *paths, size_t n);
/* The same with load options (filters and the warnings report; NULL:
 * everything loads, warnings are only counted). */
bool cli_load_paths_with(kql_catalog *cat, const char *const *paths, size_t n, const kql_load_options *opt);

/* The commands: each takes the arguments after its name (argv[0] is the
 * command's name) and returns the exit status. */
int cli_cmd_run(int argc, char **argv);
int cli_cmd_test(int argc, char **argv);
int cli_cmd_diff(int argc, char **argv);
int cli_cmd_generate(int argc, char **argv);

#endif
