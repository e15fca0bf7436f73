/* cmd_diff.c - `kql diff`: what changing a query does to its result.
 *
 *   kql diff OLD.kql NEW.kql [-d PATH]... [--key COLUMN]... [--now DATETIME]
 *
 * Runs both queries over the same tables (-d as for running queries; default
 * ./data) and compares their last results as multisets of rows
 * (result_compare.h), over the columns both have: columns only one has are
 * listed, rows only in the old result, rows only in the new, and, for rows
 * that agree on the key columns, the cells that changed (old -> new, and the
 * difference of numbers). The keys are the --key columns, or else the `by`
 * columns of a final summarize (of the new query, else of the old).
 * Exit status: 0 the results are equal, 1 they differ, 2 an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "colour.h"
#include "interp.h"
#include "result_compare.h"
#include "schema.h"
#include "text_table.h"

static const char usage_text[] =
    "usage: kql diff OLD.kql NEW.kql [-d PATH]... [--key COLUMN]... [--now DATETIME]\n"
    "  -d PATH          load tables, as for running queries (default ./data)\n"
    "  --key COLUMN     a column that identifies a row (repeatable); default: the by\n"
    "                   columns of a final summarize\n"
    "  --now DATETIME   the time now() and ago() see, e.g. 2026-11-20T12:00:00Z\n"
    "  exit status: 0 equal results, 1 they differ, 2 an error\n";

enum { DIFF_EQUAL = 0, DIFF_DIFFERENT = 1, DIFF_ERROR = 2 };

/* Runs one query file; its last result goes to *out (visible columns), its
 * shape's key column names to keys. Prints the error and returns false. */
static bool run_side(const char *path, const kql_catalog *cat, const kql_run_options *opt, text_table *out,
                     const char **keys, size_t *nkeys, kql_results *res)
{
    cli_source src;
    if (!cli_read_file(path, &src)) return false;
    kql_error err = { 0 };
    bool ok = kql_run(src.text, src.len, cat, opt, res, &err) == 0;
    if (!ok) cli_print_error(stderr, &src, &err);
    else if (res->ntables == 0) {
        fprintf(stderr, "kql diff: %s: the query gives no table\n", path);
        kql_results_free(res);
        ok = false;
    }
    free(src.text);
    if (!ok) return false;
    const kql_table *t = res->tables[res->ntables - 1];
    const kql_result_shape *shape = &res->shapes[res->ntables - 1];
    text_table_from_result(out, t, false, NULL);
    *nkeys = 0;
    for (size_t i = 0; i < shape->nkeys; i++) keys[(*nkeys)++] = t->col_names[shape->key_cols[i]];
    return true;
}

/* Lists the columns of a that b does not have; returns how many. */
static size_t put_only(kql_buf *out, const text_table *a, const text_table *b, const char *path)
{
    size_t n = 0;
    for (size_t c = 0; c < a->ncols; c++) {
        if (text_table_find(b, a->header[c]) >= 0) continue;
        if (n++) kql_buf_printf(out, ", %s", a->header[c]);
        else kql_buf_printf(out, "columns only in %s: %s", path, a->header[c]);
    }
    if (n) kql_buf_putc(out, '\n');
    return n;
}

static int diff_tables(const text_table *old, const text_table *new, const char *old_path, const char *new_path,
                       const char *const *keys, size_t nkeys, bool colour)
{
    int *oc = kql_xrealloc(NULL, old->ncols * sizeof *oc);
    int *nc = kql_xrealloc(NULL, old->ncols * sizeof *nc);
    size_t ncommon = 0;
    for (size_t c = 0; c < old->ncols; c++) {
        int j = text_table_find(new, old->header[c]);
        if (j < 0) continue;
        oc[ncommon] = (int)c;
        nc[ncommon++] = j;
    }
    int status = DIFF_EQUAL;
    kql_buf out;
    kql_buf_init(&out);
    if (put_only(&out, old, new, old_path) + put_only(&out, new, old, new_path)) status = DIFF_DIFFERENT;
    text_table a, b;
    text_table_select(&a, old, oc, ncommon);
    text_table_select(&b, new, nc, ncommon);
    int key_cols[KQL_SHAPE_MAX_COLS];
    result_compare_opts opts = { RESULT_UNORDERED, NULL, 0, key_cols, 0 };
    for (size_t k = 0; k < nkeys && opts.nkeys < KQL_SHAPE_MAX_COLS; k++) {
        int c = text_table_find(&a, keys[k]);
        if (c >= 0) key_cols[opts.nkeys++] = c;
    }
    if (opts.nkeys < nkeys) opts.nkeys = 0;   /* a key the other side lacks: no keyed pairs */
    result_diff d;
    static const result_labels labels = { "in old", "in new", "only in old", "only in new", 0 };
    if (!result_compare(&a, &b, &opts, &d)) {
        result_diff_print(&out, &d, &a, &b, &labels);
        status = DIFF_DIFFERENT;
    } else {
        kql_buf_printf(&out, "%s: %zu row%s\n", status ? "the rows agree on the columns both have" : "the results are equal",
                       a.nrows, a.nrows == 1 ? "" : "s");
    }
    cli_colour_write(stdout, kql_buf_cstr(&out), colour);
    result_diff_free(&d);
    text_table_free(&a);
    text_table_free(&b);
    kql_buf_free(&out);
    free(oc);
    free(nc);
    return status;
}

int cli_cmd_diff(int argc, char **argv)
{
    const char **data = kql_xrealloc(NULL, (size_t)argc * sizeof *data);   /* freed at the end */
    const char **keys = kql_xrealloc(NULL, ((size_t)argc + KQL_SHAPE_MAX_COLS) * sizeof *keys);
    const char *files[2];
    size_t ndata = 0, nkeys = 0, nfiles = 0;
    kql_run_options opt = { 0 };
    int status = DIFF_ERROR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            status = DIFF_EQUAL;
            goto out;
        } else if (strcmp(a, "-d") == 0 && has_next) {
            data[ndata++] = argv[++i];
        } else if (strcmp(a, "--key") == 0 && has_next) {
            keys[nkeys++] = argv[++i];
        } else if (strcmp(a, "--now") == 0 && has_next) {
            const char *t = argv[++i];
            if (!kql_datetime_parse(t, strlen(t), &opt.now)) {
                fprintf(stderr, "kql diff: --now: '%s' is not a datetime (try 2026-11-20T12:00:00Z)\n", t);
                goto out;
            }
            opt.now_set = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "kql diff: %s option '%s'\n%s",
                    strcmp(a, "-d") == 0 || strcmp(a, "--key") == 0 || strcmp(a, "--now") == 0 ? "missing value for"
                                                                                          : "unknown",
                    a, usage_text);
            goto out;
        } else if (nfiles < 2) {
            files[nfiles++] = a;
        } else {
            fprintf(stderr, "kql diff: give two query files, OLD.kql and NEW.kql\n%s", usage_text);
            goto out;
        }
    }
    if (nfiles != 2) {
        fprintf(stderr, "kql diff: give two query files, OLD.kql and NEW.kql\n%s", usage_text);
        goto out;
    }

    kql_catalog cat;
    kql_catalog_init(&cat);
    text_table old = { 0 }, new = { 0 };
    kql_results rold = { 0 }, rnew = { 0 };
    const char *old_keys[KQL_SHAPE_MAX_COLS], *new_keys[KQL_SHAPE_MAX_COLS];
    size_t nold_keys = 0, nnew_keys = 0;
    if (cli_load_paths(&cat, data, ndata) &&
        run_side(files[0], &cat, &opt, &old, old_keys, &nold_keys, &rold) &&
        run_side(files[1], &cat, &opt, &new, new_keys, &nnew_keys, &rnew)) {
        bool ok = true;
        for (size_t k = 0; k < nkeys && ok; k++)
            if (text_table_find(&old, keys[k]) < 0 || text_table_find(&new, keys[k]) < 0) {
                fprintf(stderr, "kql diff: --key %s: not a column of both results\n", keys[k]);
                ok = false;
            }
        if (ok && nkeys == 0) {   /* the summarize keys; the result names borrowed until freed below */
            const char **from = nnew_keys ? new_keys : old_keys;
            nkeys = nnew_keys ? nnew_keys : nold_keys;
            memcpy(keys, from, nkeys * sizeof *keys);
        }
        if (ok) status = diff_tables(&old, &new, files[0], files[1], keys, nkeys, cli_colour_wanted(stdout));
    }
    text_table_free(&old);
    text_table_free(&new);
    kql_results_free(&rold);
    kql_results_free(&rnew);
    kql_catalog_free(&cat);
    kql_schema_shutdown();
out:
    free(data);
    free(keys);
    fflush(stdout);
    return status;
}
