/* repl_commands.c - the dot-commands of the REPL and of standard-input mode
 * (session.h), one table row each: `.help` prints the table. Kusto users'
 * `.show tables` and `.show table T schema` work too. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load_file.h"
#include "session.h"

#define CMD_MAX_WORDS 8

/* A command line cut into blank-separated words (in place). */
typedef struct cmd_args {
    char *word[CMD_MAX_WORDS];
    size_t n;
} cmd_args;

typedef struct repl_command {
    const char *name;
    const char *usage;
    const char *help;
    int (*run)(cli_session *s, const cmd_args *a);
} repl_command;

static int cmd_help(cli_session *s, const cmd_args *a);
static int cmd_tables(cli_session *s, const cmd_args *a);
static int cmd_schema(cli_session *s, const cmd_args *a);
static int cmd_show(cli_session *s, const cmd_args *a);
static int cmd_load(cli_session *s, const cmd_args *a);
static int cmd_format(cli_session *s, const cmd_args *a);
static int cmd_timing(cli_session *s, const cmd_args *a);
static int cmd_now(cli_session *s, const cmd_args *a);
static int cmd_run(cli_session *s, const cmd_args *a);
static int cmd_output(cli_session *s, const cmd_args *a);
static int cmd_quit(cli_session *s, const cmd_args *a);

static const repl_command commands[] = {
    { ".help", "", "this list", cmd_help },
    { ".tables", "", "the loaded tables: name, rows, columns (also .show tables)", cmd_tables },
    { ".schema", "TABLE", "a table's columns and types (also .show table T schema)", cmd_schema },
    { ".show", "tables | table T schema", "as Kusto's management commands", cmd_show },
    { ".load", "PATH [as NAME]", "load a data file (JSON, CSV, maybe gzipped) or a folder of them as tables", cmd_load },
    { ".format", "table|csv|json|jsonl", "how results print", cmd_format },
    { ".timing", "on|off", "elapsed time and rows after each result", cmd_timing },
    { ".now", "DATETIME|off", "the time now() and ago() see", cmd_now },
    { ".run", "FILE.kql", "run the query in a file", cmd_run },
    { ".output", "FILE|off", "write results to a file instead of the screen", cmd_output },
    { ".quit", "", "leave (so does Ctrl-D)", cmd_quit },
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

static int cmd_usage(const char *name)
{
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0)
            fprintf(stderr, "usage: %s %s\n", commands[i].name, commands[i].usage);
    return CLI_EXIT_USAGE;
}

static int cmd_help(cli_session *s, const cmd_args *a)
{
    (void)s;
    (void)a;
    for (size_t i = 0; i < ncommands; i++) {
        char head[64];
        snprintf(head, sizeof head, "%s %s", commands[i].name, commands[i].usage);
        printf("%-30s %s\n", head, commands[i].help);
    }
    puts("Queries end with a blank line or a ';' at the end of a line. Tab completes tables,\n"
         "operators (after '|'), columns and functions. Ctrl-C cancels a running query.");
    return CLI_EXIT_OK;
}

/* .tables: one row per table with its size. */
static int cmd_tables(cli_session *s, const cmd_args *a)
{
    (void)a;
    kql_table *t = kql_table_new(NULL);   /* freed below */
    kql_column *name = kql_column_new(KQL_STRING, s->cat->ntables);
    kql_column *rows = kql_column_new(KQL_LONG, s->cat->ntables);
    kql_column *cols = kql_column_new(KQL_LONG, s->cat->ntables);
    for (size_t i = 0; i < s->cat->ntables; i++) {
        const kql_table *c = s->cat->tables[i];
        kql_value v = kql_string(c->name, strlen(c->name));
        kql_column_push(name, &v);
        v = kql_long((int64_t)c->nrows);
        kql_column_push(rows, &v);
        v = kql_long((int64_t)c->ncols);
        kql_column_push(cols, &v);
    }
    kql_table_add(t, "Table", name);
    kql_table_add(t, "Rows", rows);
    kql_table_add(t, "Columns", cols);
    t->nrows = s->cat->ntables;
    cli_session_print(s, &t, 1, -1);
    kql_table_free(t);
    return CLI_EXIT_OK;
}

/* .schema T: what `['T'] | getschema` prints. */
static int cmd_schema_of(cli_session *s, const char *table)
{
    if (!kql_catalog_find(s->cat, table)) {
        fprintf(stderr, "kql: no table '%s' (.tables lists them)\n", table);
        return CLI_EXIT_QUERY;
    }
    char *q = NULL;
    size_t qlen = 0;
    FILE *f = open_memstream(&q, &qlen);   /* q: freed with src below */
    fputs("['", f);
    for (const char *p = table; *p; p++) fprintf(f, *p == '\'' || *p == '\\' ? "\\%c" : "%c", *p);
    fputs("'] | getschema", f);
    fclose(f);
    cli_source src = { "<schema>", q, qlen };
    int st = cli_session_run(s, &src, 0, qlen, 1);
    free(q);
    return st;
}

static int cmd_schema(cli_session *s, const cmd_args *a)
{
    return a->n == 2 ? cmd_schema_of(s, a->word[1]) : cmd_usage(".schema");
}

/* .show tables, .show table T schema */
static int cmd_show(cli_session *s, const cmd_args *a)
{
    if (a->n == 2 && strcmp(a->word[1], "tables") == 0) return cmd_tables(s, a);
    if (a->n == 4 && strcmp(a->word[1], "table") == 0 && strcmp(a->word[3], "schema") == 0)
        return cmd_schema_of(s, a->word[2]);
    return cmd_usage(".show");
}

/* .load PATH [as NAME] */
static int cmd_load(cli_session *s, const cmd_args *a)
{
    bool named = a->n == 4 && strcmp(a->word[2], "as") == 0;
    if (a->n != 2 && !named) return cmd_usage(".load");
    kql_load_error err;
    if (named) {
        if (kql_load_file(s->cat, a->word[1], a->word[3], &cli_load_defaults, &err) != 0) goto fail;
    } else if (kql_load_path(s->cat, a->word[1], &cli_load_defaults, &err) != 0) {
        goto fail;
    }
    if (s->terminal)
        fprintf(stderr, "loaded %s (%zu table%s now)\n", a->word[1], s->cat->ntables,
                s->cat->ntables == 1 ? "" : "s");
    return CLI_EXIT_OK;
fail:
    fprintf(stderr, "kql: %s\n", err.message);
    return CLI_EXIT_USAGE;
}

static int cmd_format(cli_session *s, const cmd_args *a)
{
    if (a->n != 2 || !kql_format_parse(a->word[1], &s->fmt)) return cmd_usage(".format");
    return CLI_EXIT_OK;
}

/* on|off into *flag; false when it is neither */
static bool cmd_on_off(const char *w, bool *flag)
{
    if (strcmp(w, "on") == 0) *flag = true;
    else if (strcmp(w, "off") == 0) *flag = false;
    else return false;
    return true;
}

static int cmd_timing(cli_session *s, const cmd_args *a)
{
    return a->n == 2 && cmd_on_off(a->word[1], &s->timing) ? CLI_EXIT_OK : cmd_usage(".timing");
}

static int cmd_now(cli_session *s, const cmd_args *a)
{
    if (a->n == 2 && strcmp(a->word[1], "off") == 0) {
        s->opt.now_set = false;
        return CLI_EXIT_OK;
    }
    if (a->n != 2) return cmd_usage(".now");
    if (!kql_datetime_parse(a->word[1], strlen(a->word[1]), &s->opt.now)) {
        fprintf(stderr, "kql: .now: '%s' is not a datetime (try 2026-11-20T12:00:00Z)\n", a->word[1]);
        return CLI_EXIT_USAGE;
    }
    s->opt.now_set = true;
    return CLI_EXIT_OK;
}

/* .run FILE.kql: the file is one query text, as `kql FILE.kql` runs it. */
static int cmd_run(cli_session *s, const cmd_args *a)
{
    if (a->n != 2) return cmd_usage(".run");
    cli_source src;
    if (!cli_read_file(a->word[1], &src)) return CLI_EXIT_USAGE;
    int st = cli_session_run(s, &src, 0, src.len, 1);
    free(src.text);
    return st;
}

static int cmd_output(cli_session *s, const cmd_args *a)
{
    if (a->n != 2) return cmd_usage(".output");
    cli_session_close(s);
    if (strcmp(a->word[1], "off") == 0) return CLI_EXIT_OK;
    s->output = fopen(a->word[1], "w");   /* closed by cli_session_close */
    if (!s->output) {
        fprintf(stderr, "kql: %s: %s\n", a->word[1], strerror(errno));
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int cmd_quit(cli_session *s, const cmd_args *a)
{
    (void)a;
    s->quit = true;
    return CLI_EXIT_OK;
}

int repl_command_run(cli_session *s, const char *line)
{
    char *copy = strdup(line);   /* cut into words; freed below */
    cmd_args a = { .n = 0 };
    for (char *w = strtok(copy, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
        if (a.n == CMD_MAX_WORDS) {
            a.n++;   /* too many: no command takes them */
            break;
        }
        a.word[a.n++] = w;
    }
    int st = CLI_EXIT_USAGE;
    const repl_command *c = NULL;
    for (size_t i = 0; a.n && i < ncommands && !c; i++)
        if (strcmp(commands[i].name, a.word[0]) == 0) c = &commands[i];
    if (!c) fprintf(stderr, "kql: unknown command '%s' (.help lists them)\n", a.n ? a.word[0] : line);
    else if (a.n > CMD_MAX_WORDS) st = cmd_usage(c->name);
    else st = c->run(s, &a);
    free(copy);
    return st;
}

void repl_command_each_name(void (*fn)(const char *name, void *arg), void *arg)
{
    for (size_t i = 0; i < ncommands; i++) fn(commands[i].name, arg);
}
