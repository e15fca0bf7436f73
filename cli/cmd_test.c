/* cmd_test.c - `kql test`: runs the tests in test files (testfile.h) and
 * reports what fails.
 *
 *   kql test [--update] [--junit FILE] [--filter NAME] [-j N] [PATH...]
 *
 * PATHs are test files or folders searched recursively for *.test (default:
 * the current folder). Each test's @data tables are loaded here (paths
 * relative to the test file's folder, which is the working folder while its
 * tests run, so messages name paths as written; consecutive tests with the
 * same @data share them); its query runs with kql_run in a child process
 * (isolate.h), which judges the result (test_verdict.h) and sends back the
 * report; -j runs several at once. A failure prints
 * `FILE:LINE: test NAME: summary` and a diff; the last line is always
 * `N passed, N failed`. Exit status: 0 all passed, 1 a test failed (or a
 * test file is malformed), 2 a usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "colour.h"
#include "interp.h"
#include "isolate.h"
#include "json_load.h"
#include "junit.h"
#include "schema.h"
#include "test_verdict.h"
#include "testfile.h"

static const char usage_text[] =
    "usage: kql test [--update] [--junit FILE] [--filter NAME] [-j N] [PATH...]\n"
    "  PATH           a test file, or a folder searched for *.test files (default: .)\n"
    "  --update       rewrite the expected block of each failing test with what it got\n"
    "  --junit FILE   also write the results as JUnit XML to FILE\n"
    "  --filter NAME  run only the tests whose name contains NAME\n"
    "  -j N           run N tests at once (default: the number of processors)\n"
    "  -h, --help     this text\n";

/* A test running longer than this is stopped and fails. */
enum { TEST_SECONDS = 10 };

typedef struct runner {
    bool update;
    size_t jobs;              /* tests running at once, >= 1 */
    const char *filter;
    bool colour;
    size_t passed, failed;
    junit_report junit;
    bool want_junit;
    /* the tables of the last @data list, reused while the next test asks for the same */
    kql_catalog cat;
    char *cat_key;            /* the @data paths joined by \n; owned */
    bool cat_ok;
    char cat_error[1100];
    kql_buf cat_notes;        /* the load's conversion warnings, as `kql` prints them on stderr */
} runner;

static void note_load_warning(void *ctx, const char *message)
{
    kql_buf_printf(ctx, "%skql: %s", ((kql_buf *)ctx)->len ? "\n" : "", message);
}

/* Loads the test's @data into r->cat unless it holds them already. */
static bool load_tables(runner *r, const testfile_test *t)
{
    kql_buf key;
    kql_buf_init(&key);
    for (size_t i = 0; i < t->ndata; i++) {
        kql_buf_puts(&key, t->data[i]);
        kql_buf_putc(&key, '\n');
    }
    const char *k = kql_buf_cstr(&key);
    if (r->cat_key && strcmp(r->cat_key, k) == 0) {
        kql_buf_free(&key);
        return r->cat_ok;
    }
    kql_catalog_free(&r->cat);
    kql_catalog_init(&r->cat);
    free(r->cat_key);
    r->cat_key = strdup(k);
    kql_buf_free(&key);
    r->cat_ok = true;
    r->cat_notes.len = 0;
    const kql_load_report report = { note_load_warning, &r->cat_notes };
    const kql_load_options lopt = { .report = &report };
    for (size_t i = 0; i < t->ndata && r->cat_ok; i++) {
        kql_load_error lerr;
        if (kql_load_path(&r->cat, t->data[i], &lopt, &lerr) != 0) {
            snprintf(r->cat_error, sizeof r->cat_error, "kql: %s", lerr.message);
            r->cat_ok = false;
        }
    }
    return r->cat_ok;
}

/* Makes the test's @table tables over r->cat and adds them to it (in the
 * child: its own copy of the catalog). On an error fills *o: the error is
 * placed in the test file, named by its name alone, as @data paths are. */
static bool make_tables(runner *r, const testfile *tf, const testfile_test *t, const kql_run_options *opt,
                        test_outcome *o)
{
    const char *slash = strrchr(tf->path, '/');
    cli_source file = { slash ? slash + 1 : tf->path, tf->text, tf->len };
    for (size_t i = 0; i < t->ntables; i++) {
        const testfile_table *tb = &t->tables[i];
        kql_results res;
        kql_error err = { 0 };
        if (kql_run(tb->expr, strlen(tb->expr), &r->cat, opt, &res, &err) != 0) {
            if (err.has_loc) {   /* line 1 of the expression starts at tb->col of its line */
                if (err.loc.line <= 1) err.loc.col += tb->col - 1;
                if (err.loc.end_line <= 1) err.loc.end_col += tb->col - 1;
                err.loc.line += tb->line - 1;
                err.loc.end_line += tb->line - 1;
            }
            o->status = CLI_EXIT_QUERY;
            test_verdict_error_text(&o->error, &file, &err);
            return false;
        }
        if (res.ntables != 1) {
            o->status = CLI_EXIT_QUERY;
            kql_buf_printf(&o->error, "%s:%d: error: @table %s: the expression gives %zu tables, not one", file.name,
                           tb->line, tb->name, res.ntables);
            kql_results_free(&res);
            return false;
        }
        kql_table *made = res.tables[0];
        res.tables[0] = NULL;   /* the catalog takes it */
        kql_results_free(&res);
        free(made->name);
        made->name = strdup(tb->name);
        kql_catalog_add(&r->cat, made);
    }
    return true;
}

/* Runs the test's query over r->cat (loaded by the caller, with the @table
 * tables added here) into *o (o->error always NUL-terminated text). With
 * @query, src->text is the file's text, owned by the caller. */
static void run_query(runner *r, const testfile *tf, const testfile_test *t, test_outcome *o, kql_error *err,
                      cli_source *src)
{
    memset(o, 0, sizeof *o);
    memset(err, 0, sizeof *err);
    kql_buf_init(&o->error);
    kql_buf_cstr(&o->error);
    kql_run_options opt = { 0 };
    if (t->now && !kql_datetime_parse(t->now, strlen(t->now), &opt.now)) {
        o->status = CLI_EXIT_USAGE;
        kql_buf_printf(&o->error, "kql: @now: '%s' is not a datetime (try 2026-11-20T12:00:00Z)", t->now);
        return;
    }
    opt.now_set = t->now != NULL;
    *src = (cli_source){ "<query>", t->query, t->query_len };
    if (!make_tables(r, tf, t, &opt, o)) return;
    if (t->query_path) {
        FILE *f = fopen(t->query_path, "rb");
        if (!f) {
            o->status = CLI_EXIT_USAGE;
            kql_buf_printf(&o->error, "kql: %s: %s", t->query_path, strerror(errno));
            return;
        }
        src->name = t->query_path;
        src->text = cli_read_stream(f, &src->len);   /* freed by the caller */
        fclose(f);
    }
    if (kql_run(src->text, src->len, &r->cat, &opt, &o->res, err) != 0) {
        o->status = CLI_EXIT_QUERY;
        o->query_failed = true;
        test_verdict_error_text(&o->error, src, err);
        return;
    }
    o->have_res = true;
    kql_buf_put(&o->error, r->cat_notes.data ? r->cat_notes.data : "", r->cat_notes.len);
}

typedef struct edit {
    size_t start, end;
    char *text;              /* owned */
} edit;

typedef struct test_job {
    runner *r;
    const testfile *tf;
    const testfile_test *t;
} test_job;

/* In the child (isolate.h): runs the test and sends back 'P' or 'F', the
 * report, a NUL, and the new expected block (--update). */
static void test_work(void *arg, kql_buf *message)
{
    const test_job *job = arg;
    test_outcome o;
    kql_error err;
    cli_source src = { 0 };
    run_query(job->r, job->tf, job->t, &o, &err, &src);
    kql_buf report, block;
    kql_buf_init(&report);
    kql_buf_init(&block);
    test_verdict(job->tf, job->t, &o, &err, &src, &report, job->r->update ? &block : NULL);
    kql_buf_putc(message, report.len ? 'F' : 'P');
    kql_buf_put(message, report.data ? report.data : "", report.len);
    kql_buf_putc(message, '\0');
    kql_buf_put(message, block.data ? block.data : "", block.len);
    kql_buf_free(&report);
    kql_buf_free(&block);
    kql_buf_free(&o.error);
    if (o.have_res) kql_results_free(&o.res);
    if (job->t->query_path) free(src.text);
}

/* A test on its way: running in a child, or judged already (its tables did
 * not load, or no child could start). */
typedef struct pending {
    const testfile_test *t;
    double t0;
    bool started;
    isolate_child child;
    kql_buf report, block;    /* the verdict; the block only with --update */
} pending;

static void start_test(runner *r, const testfile *tf, const testfile_test *t, pending *p)
{
    memset(p, 0, sizeof *p);
    p->t = t;
    p->t0 = cli_seconds();
    kql_buf_init(&p->report);
    kql_buf_init(&p->block);
    if (!load_tables(r, t)) {
        test_outcome o = { .status = CLI_EXIT_USAGE };
        kql_buf_init(&o.error);
        kql_buf_puts(&o.error, r->cat_error);
        test_verdict(tf, t, &o, NULL, NULL, &p->report, r->update ? &p->block : NULL);
        kql_buf_free(&o.error);
    } else if (isolate_start(&p->child, test_work, &(test_job){ r, tf, t }, TEST_SECONDS)) {
        p->started = true;
    } else {
        kql_buf_printf(&p->report, "%s:%d: test %s: cannot start a process: %s\n", tf->path, t->line, t->name,
                       strerror(errno));
    }
}

/* The verdict of a test whose child has ended, into p->report and p->block. */
static void collect(runner *r, const testfile *tf, pending *p)
{
    const testfile_test *t = p->t;
    isolate_result res;
    isolate_finish(&p->child, &res);
    if (res.completed && res.message.len) {
        const char *m = res.message.data;
        kql_buf_puts(&p->report, m + 1);
        const char *b = m + strlen(m) + 1;
        if (b < res.message.data + res.message.len) kql_buf_put(&p->block, b, strlen(b));
    } else if (res.timed_out || res.exit_status < 0) {
        if (res.timed_out)
            kql_buf_printf(&p->report, "%s:%d: test %s: timed out after %d s\n", tf->path, t->line, t->name, TEST_SECONDS);
        else
            kql_buf_printf(&p->report, "%s:%d: test %s: killed by signal %d (%s)\n", tf->path, t->line, t->name,
                           res.signal, strsignal(res.signal));
        if (res.err.len) test_verdict_put_block(&p->report, "stderr:", res.err.data);
    } else {   /* the engine ended the program (a runaway value, out of memory): that is its error */
        test_outcome o = { .status = res.exit_status };
        kql_buf_init(&o.error);
        size_t n = res.err.len;
        while (n && res.err.data[n - 1] == '\n') n--;
        kql_buf_put(&o.error, res.err.data, n);
        kql_buf_cstr(&o.error);
        test_verdict(tf, t, &o, NULL, NULL, &p->report, r->update ? &p->block : NULL);
        kql_buf_free(&o.error);
    }
    isolate_free(&res);
}

/* Waits for a test's verdict, prints and records it, and adds its edit for
 * --update. Returns whether the test passed. */
static bool finish_test(runner *r, const testfile *tf, pending *p, edit **edits, size_t *nedits)
{
    const testfile_test *t = p->t;
    if (p->started) collect(r, tf, p);
    bool passed = p->report.len == 0;
    if (!passed) cli_colour_write(stdout, p->report.data, r->colour);
    if (r->want_junit) junit_add(&r->junit, tf->path, t->name, cli_seconds() - p->t0, passed ? NULL : p->report.data);
    if (!passed && p->block.len) {
        *edits = kql_xrealloc(*edits, (*nedits + 1) * sizeof **edits);
        (*edits)[(*nedits)++] = (edit){ t->span_start, t->span_end, strdup(kql_buf_cstr(&p->block)) };
        printf("%s:%d: test %s: updated the expected %s\n", tf->path, t->separator_line, t->name,
               strncmp(p->block.data, "--- error", 9) == 0 ? "error" : "rows");
    }
    kql_buf_free(&p->report);
    kql_buf_free(&p->block);
    return passed;
}

/* Writes the file back with the edits (in file order) spliced in. */
static bool apply_edits(const testfile *tf, const edit *edits, size_t n)
{
    FILE *f = fopen(tf->path, "wb");
    if (!f) {
        fprintf(stderr, "kql: %s: %s\n", tf->path, strerror(errno));
        return false;
    }
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        fwrite(tf->text + at, 1, edits[i].start - at, f);
        fputs(edits[i].text, f);
        at = edits[i].end;
    }
    fwrite(tf->text + at, 1, tf->len - at, f);
    if (fclose(f) != 0) {
        fprintf(stderr, "kql: %s: %s\n", tf->path, strerror(errno));
        return false;
    }
    return true;
}

static void run_file(runner *r, const char *path)
{
    testfile tf;
    char err[1200];
    if (!testfile_read(&tf, path, err, sizeof err)) {
        printf("%s\n", err);
        r->failed++;
        if (r->want_junit) junit_add(&r->junit, path, NULL, 0, err);
        return;
    }
    /* tests run in the file's folder: @data and @query paths are relative to it */
    int home = open(".", O_RDONLY | O_DIRECTORY);
    char *dir = strdup(path);
    char *slash = strrchr(dir, '/');
    bool moved = false;
    if (slash) {
        slash[slash == dir] = '\0';
        moved = home >= 0 && chdir(dir) == 0;
    }
    free(dir);
    edit *edits = NULL;
    size_t nedits = 0;
    /* up to r->jobs tests run at once; verdicts come out in the file's order */
    pending *win = kql_xrealloc(NULL, r->jobs * sizeof *win);   /* freed below */
    size_t head = 0, running = 0;
    for (size_t i = 0; i <= tf.ntests; i++) {
        bool more = i < tf.ntests;
        if (more && r->filter && !strstr(tf.tests[i].name, r->filter)) continue;
        while (running && (running == r->jobs || !more)) {
            if (finish_test(r, &tf, &win[head], &edits, &nedits)) r->passed++;
            else r->failed++;
            head = (head + 1) % r->jobs;
            running--;
        }
        if (more) start_test(r, &tf, &tf.tests[i], &win[(head + running++) % r->jobs]);
    }
    free(win);
    if (moved && fchdir(home) != 0) {
        fprintf(stderr, "kql: cannot return to the working folder: %s\n", strerror(errno));
        exit(CLI_EXIT_USAGE);
    }
    if (home >= 0) close(home);
    /* the catalog's paths were relative to this file's folder */
    free(r->cat_key);
    r->cat_key = NULL;
    if (nedits) apply_edits(&tf, edits, nedits);
    for (size_t i = 0; i < nedits; i++) free(edits[i].text);
    free(edits);
    testfile_free(&tf);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every *.test under a folder, in name order; folders starting with '.' are skipped. */
static void run_dir(runner *r, const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("%s:1: error: %s\n", path, strerror(errno));
        r->failed++;
        return;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        names = kql_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = kql_xrealloc(NULL, len);
        if (strcmp(path, ".") == 0) snprintf(full, len, "%s", names[i]);   /* name files as the user would */
        else snprintf(full, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
        size_t nl = strlen(names[i]);
        if (cli_is_dir(full)) run_dir(r, full);
        else if (nl > 5 && strcmp(names[i] + nl - 5, ".test") == 0) run_file(r, full);
        free(full);
        free(names[i]);
    }
    free(names);
}

int cli_cmd_test(int argc, char **argv)
{
    runner r = { 0 };
    const char *junit_path = NULL;
    const char **paths = kql_xrealloc(NULL, (size_t)argc * sizeof *paths);   /* freed at the end */
    size_t npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            free(paths);
            return CLI_EXIT_OK;
        } else if (strcmp(a, "--update") == 0) {
            r.update = true;
        } else if (strcmp(a, "--junit") == 0 && has_next) {
            junit_path = argv[++i];
        } else if (strcmp(a, "--filter") == 0 && has_next) {
            r.filter = argv[++i];
        } else if (strcmp(a, "-j") == 0 && has_next) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "kql test: -j wants a number of tests from 1 to 256, not '%s'\n", argv[i]);
                free(paths);
                return CLI_EXIT_USAGE;
            }
            r.jobs = (size_t)n;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "kql test: %s option '%s'\n%s",
                    strcmp(a, "--junit") == 0 || strcmp(a, "--filter") == 0 || strcmp(a, "-j") == 0 ? "missing value for" : "unknown", a,
                    usage_text);
            free(paths);
            return CLI_EXIT_USAGE;
        } else {
            paths[npaths++] = a;
        }
    }
    if (npaths == 0) paths[npaths++] = ".";
    if (r.jobs == 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        r.jobs = ncpu < 1 ? 1 : ncpu > 64 ? 64 : (size_t)ncpu;
    }
    r.colour = cli_colour_wanted(stdout);
    r.want_junit = junit_path != NULL;
    kql_catalog_init(&r.cat);
    kql_buf_init(&r.cat_notes);
    for (size_t i = 0; i < npaths; i++) {
        if (cli_is_dir(paths[i])) run_dir(&r, paths[i]);
        else run_file(&r, paths[i]);
    }
    int status = r.failed ? CLI_EXIT_QUERY : CLI_EXIT_OK;
    if (junit_path && !junit_write(&r.junit, junit_path)) {
        fprintf(stderr, "kql test: %s: %s\n", junit_path, strerror(errno));
        status = CLI_EXIT_USAGE;
    }
    printf("%zu passed, %zu failed\n", r.passed, r.failed);
    junit_free(&r.junit);
    kql_catalog_free(&r.cat);
    free(r.cat_key);
    kql_buf_free(&r.cat_notes);
    free(paths);
    kql_schema_shutdown();
    fflush(stdout);
    return status;
}
