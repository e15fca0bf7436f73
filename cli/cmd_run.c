/* cmd_run.c - the default command: load tables, run queries, print results.
 *
 *   kql [-d PATH]... [-f table|csv|json|jsonl] [--now DATETIME] [--parse-only]
 *       [--no-pushdown] [--explain-load] [--max-memory SIZE] [-q QUERY | FILE.kql ...]
 *
 * Before loading, the queries are analyzed (interp/pushdown.c) so that the
 * loader materializes only the columns they read and drops the rows that fail
 * their leading `where` as it reads; --no-pushdown loads everything (same
 * results, for comparison and debugging); --explain-load prints what is
 * pushed down, on stderr.
 *
 * With neither -q nor files: standard input that is not a terminal holds
 * queries separated by blank lines (stdin_queries.c); on a terminal the
 * interactive session starts (repl.c). Exit status: 0 success, 1 an error
 * in a query, 2 a usage or I/O error (a file that cannot be read, a
 * malformed table).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "format.h"
#include "interp.h"
#include "memory.h"
#include "parse.h"
#include "pushdown.h"
#include "schema.h"
#include "session.h"

static const char usage_text[] =
    "usage: kql [-d PATH]... [-f table|csv|json|jsonl] [--now DATETIME] [--parse-only]\n"
    "           [--no-pushdown] [--explain-load] [--max-memory SIZE] [-q QUERY | FILE.kql ...]\n"
    "  -d PATH        load tables: a directory (every *.json, *.jsonl, *.ndjson, *.csv file,\n"
    "                 each maybe .gz, is a table named after the file) or one file;\n"
    "                 repeatable; default ./data\n"
    "  -f FORMAT      output format: table (default on a terminal), csv (default otherwise),\n"
    "                 json, jsonl\n"
    "  -q QUERY       the query text; otherwise FILE.kql arguments, or standard input\n"
    "                 (queries separated by blank lines), or on a terminal a session\n"
    "  --now DATETIME the time now() and ago() see, e.g. 2026-11-20T12:00:00Z\n"
    "  --parse-only   check the syntax only: no tables are loaded and nothing runs\n"
    "  --no-pushdown  load every column and row, not only what the queries need\n"
    "  --explain-load print on stderr which columns and filters the load uses\n"
    "  --max-memory SIZE  stop a query whose memory passes SIZE (e.g. 512M, 4G);\n"
    "                 default half the physical memory\n"
    "  -h, --help     this text\n"
    "other commands: kql test (run test files), kql diff (compare two queries' results),\n"
    "                kql generate (write sample sign-in logs); each takes --help\n";

int cli_cmd_run(int argc, char **argv)
{
    const char *data_paths[256];
    size_t ndata = 0;
    const char *query_text = NULL, *format_name = NULL;
    const char *files[256];
    size_t nfiles = 0;
    bool parse_only = false, session = false, pushdown = true, explain_load = false;
    kql_run_options opt = { 0 };

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(a, "-d") == 0 && has_next) {
            if (ndata == 256) {
                fprintf(stderr, "kql: too many -d paths (at most 256; give a folder instead)\n");
                return CLI_EXIT_USAGE;
            }
            data_paths[ndata++] = argv[++i];
        } else if (strcmp(a, "-f") == 0 && has_next) {
            format_name = argv[++i];
        } else if (strcmp(a, "-q") == 0 && has_next) {
            query_text = argv[++i];
        } else if (strcmp(a, "--now") == 0 && has_next) {
            const char *t = argv[++i];
            if (!kql_datetime_parse(t, strlen(t), &opt.now)) {
                fprintf(stderr, "kql: --now: '%s' is not a datetime (try 2026-11-20T12:00:00Z)\n", t);
                return CLI_EXIT_USAGE;
            }
            opt.now_set = true;
        } else if (strcmp(a, "--max-memory") == 0 && has_next) {
            const char *v = argv[++i];
            size_t bytes;
            if (!kql_mem_parse_size(v, &bytes)) {
                fprintf(stderr, "kql: --max-memory: '%s' is not a size (try 512M or 4G)\n", v);
                return CLI_EXIT_USAGE;
            }
            kql_mem_set_limit(bytes);
        } else if (strcmp(a, "--parse-only") == 0) {
            parse_only = true;
        } else if (strcmp(a, "--no-pushdown") == 0) {
            pushdown = false;
        } else if (strcmp(a, "--explain-load") == 0) {
            explain_load = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "kql: %s option '%s'\n%s",
                    (strcmp(a, "-d") == 0 || strcmp(a, "-f") == 0 || strcmp(a, "-q") == 0 ||
                     strcmp(a, "--now") == 0 || strcmp(a, "--max-memory") == 0) ? "missing value for" : "unknown", a, usage_text);
            return CLI_EXIT_USAGE;
        } else if (nfiles < 256) {
            files[nfiles++] = a;
        } else {
            fprintf(stderr, "kql: too many query files (at most 256)\n");
            return CLI_EXIT_USAGE;
        }
    }

    kql_format fmt = isatty(STDOUT_FILENO) ? KQL_FORMAT_TABLE : KQL_FORMAT_CSV;
    if (format_name && !kql_format_parse(format_name, &fmt)) {
        fprintf(stderr, "kql: unknown format '%s' (use table, csv, json or jsonl)\n", format_name);
        return CLI_EXIT_USAGE;
    }
    if (query_text && nfiles) {
        fprintf(stderr, "kql: give either -q QUERY or query files, not both\n");
        return CLI_EXIT_USAGE;
    }

    size_t nqueries = query_text ? 1 : nfiles ? nfiles : 1;
    cli_source *queries = calloc(nqueries, sizeof *queries);   /* freed at the end */
    int status = 0;
    if (query_text) {
        queries[0] = (cli_source){ "<query>", strdup(query_text), strlen(query_text) };
    } else if (nfiles) {
        for (size_t i = 0; i < nfiles; i++)
            if (!cli_read_file(files[i], &queries[i])) status = CLI_EXIT_USAGE;
    } else if (!isatty(STDIN_FILENO)) {
        queries[0].name = "<stdin>";
        queries[0].text = cli_read_stream(stdin, &queries[0].len);
        session = true;
        if (ferror(stdin)) {
            fprintf(stderr, "kql: <stdin>: %s\n", strerror(errno));
            status = CLI_EXIT_USAGE;
        }
    } else if (!parse_only) {
        session = true;
    } else {
        fprintf(stderr, "kql: no query (give -q QUERY, a FILE.kql, or a query on standard input)\n%s", usage_text);
        status = CLI_EXIT_USAGE;
    }

    /* one clock reading for the analysis, the load's filters and the run (a
     * session's queries read the clock each, and load everything) */
    if (!opt.now_set && !session) {
        opt.now = kql_clock_now();
        opt.now_set = true;
    }
    kql_pushdown *pd = NULL;
    if (status == 0 && !parse_only && pushdown && !session) {
        const char **texts = calloc(nqueries, sizeof *texts);   /* freed below */
        size_t *lens = calloc(nqueries, sizeof *lens);
        for (size_t i = 0; i < nqueries; i++) {
            texts[i] = queries[i].text;
            lens[i] = queries[i].len;
        }
        /* streaming keeps only what the first operators output, so each
         * table must load once: from one -d folder or file */
        pd = kql_pushdown_new(texts, lens, nqueries, &opt, ndata <= 1);
        free(texts);
        free(lens);
    }
    kql_load_options lopt = cli_load_defaults;
    if (pd) lopt.filters = kql_pushdown_filters(pd, &lopt.nfilters);
    if (explain_load) {
        if (pd) kql_pushdown_describe(pd, stderr);
        else fprintf(stderr, "pushdown: none, every column and row is loaded\n");
    }
    kql_catalog cat;
    kql_catalog_init(&cat);
    if (isatty(STDERR_FILENO)) cli_progress_install();
    /* The first load's warnings wait until it is known whether it stands. */
    bool loaded_whole = false;
    kql_buf held;
    kql_buf_init(&held);
    const kql_load_report hold = { kql_load_note_keep, &held };
    lopt.report = &hold;
    lopt.loaded_whole = &loaded_whole;
    if (status == 0 && !parse_only && !cli_load_paths_with(&cat, data_paths, ndata, &lopt))
        status = CLI_EXIT_USAGE;
    if (status == 0 && loaded_whole) {
        /* a file of a filtered table was of a shape the filters do not apply
         * to: the filters' view of the rows is partial, so load everything */
        kql_pushdown_free(pd);
        pd = NULL;
        kql_catalog_free(&cat);
        kql_catalog_init(&cat);
        lopt = cli_load_defaults;
        if (explain_load)
            fprintf(stderr, "pushdown: off, a table's file is not JSON (CSV, az, diagnostic settings) "
                            "or has a TABLE.schema\n");
        if (!cli_load_paths_with(&cat, data_paths, ndata, &lopt))
            status = CLI_EXIT_USAGE;
    } else {
        for (size_t off = 0; off < held.len; off += strlen(held.data + off) + 1)
            fprintf(stderr, "kql: %s\n", held.data + off);
    }
    kql_buf_free(&held);
    lopt.report = NULL;   /* a reload for a failed query's sake repeats no warning */
    bool pushed = pd != NULL;

    if (session && status == 0) {
        cli_session s = { .cat = &cat, .opt = opt, .fmt = fmt, .parse_only = parse_only,
                          .terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) };
        status = queries[0].text ? cli_stdin_queries(&s, &queries[0]) : cli_repl(&s);
        cli_session_close(&s);
    }
    /* a query's error does not stop the next query file; a load failure does */
    for (size_t i = 0; i < nqueries && status != CLI_EXIT_USAGE && !session; i++) {
        cli_source *q = &queries[i];
        if (parse_only) {
            kql_syntax_error se;
            ast_node *root = kql_parse(q->text, q->len, &se);
            if (!root) {
                kql_error err = { .has_loc = true, .loc = se.loc };
                snprintf(err.message, sizeof err.message, "%s", se.message);
                cli_print_error(stderr, q, &err);
                status = CLI_EXIT_QUERY;
            }
            ast_free(root);
            continue;
        }
        kql_results res;
        kql_error err = { 0 };
        int rc = pd && kql_pushdown_streams(pd) ? kql_pushdown_run(pd, &cat, &res, &err)
                                                : kql_run(q->text, q->len, &cat, &opt, &res, &err);
        if (rc != 0 && pushed) {
            /* The analysis should have loaded what the query needs; if the
             * query still fails, its error is reported over all the data. */
            pushed = false;
            kql_pushdown_free(pd);
            pd = NULL;
            kql_catalog_free(&cat);
            kql_catalog_init(&cat);
            lopt.filters = NULL;
            lopt.nfilters = 0;
            if (!cli_load_paths_with(&cat, data_paths, ndata, &lopt)) {
                status = CLI_EXIT_USAGE;
                break;
            }
            memset(&err, 0, sizeof err);
            rc = kql_run(q->text, q->len, &cat, &opt, &res, &err);
        }
        if (rc != 0) {
            cli_print_error(stderr, q, &err);
            status = CLI_EXIT_QUERY;
            continue;
        }
        for (size_t t = 0; t < res.ntables; t++) {
            if (fmt == KQL_FORMAT_TABLE && (i > 0 || t > 0)) fputc('\n', stdout);
            kql_format_write(stdout, res.tables[t], fmt);
        }
        kql_results_free(&res);
    }

    kql_pushdown_free(pd);
    for (size_t i = 0; i < nqueries; i++) free(queries[i].text);
    free(queries);
    kql_catalog_free(&cat);
    kql_schema_shutdown();
    if (fflush(stdout) != 0 && status == 0) {
        fprintf(stderr, "kql: writing output: %s\n", strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    return status;
}
