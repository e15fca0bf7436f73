/* fuzz_query.c - libFuzzer target: whole queries (parse, bind, execute,
 * format) over a small fixed catalog: a table T with a column of each kind
 * the loader infers, and the first rows of the sample sign-in tables of
 * data/ (so the documented queries and their mutations bind and run).
 *
 * A runaway query (range over billions, strrep of strrep) ends at the memory
 * cap below with kql_fatal; that is the documented outcome, not a finding, so
 * it ends this process with status 0 (fuzz/run.sh runs libFuzzer with
 * -fork=1, which starts a fresh process and goes on).
 * Built by fuzz/CMakeLists.txt; run by fuzz/run.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "interp.h"
#include "json_load.h"
#include "memory.h"

/* Far below the fuzzer's -rss_limit_mb (2 GiB), so a runaway query meets
 * kql's own cap first. */
#define FUZZ_MAX_MEMORY ((size_t)256 << 20)
/* Rows taken from each sample table: enough for joins and groups to match,
 * few enough that each input runs in milliseconds. */
#define FUZZ_SAMPLE_ROWS 12

static const char table_t[] =
    "{\"a\":1,\"b\":1.5,\"s\":\"x\",\"t\":\"2026-11-20T10:00:00Z\",\"f\":true,\"d\":{\"k\":[1,2],\"m\":\"v\"}}\n"
    "{\"a\":-2,\"b\":0,\"s\":\"hello world\",\"t\":\"2026-11-19T00:00:00Z\",\"f\":false,\"d\":[1,\"two\",{\"x\":null}]}\n"
    "{\"a\":null,\"b\":null,\"s\":\"\",\"t\":null,\"f\":null,\"d\":null}\n"
    "{\"a\":9223372036854775807,\"b\":-1e308,\"s\":\"10.0.0.1\",\"t\":\"2026-11-21T23:59:59.9999999Z\",\"f\":true,\"d\":\"{\\\"j\\\":1}\"}\n";

static kql_catalog catalog;   /* lives as long as the process */
static FILE *sink;

static _Noreturn void limit_reached(int status)
{
    (void)status;
    _exit(0);
}

static void add_table(const char *text, size_t len, const char *path, const char *name)
{
    kql_load_error err;
    kql_table *t = kql_load_json_text(text, len, path, name, &err);   /* the catalog owns it */
    if (!t) {
        fprintf(stderr, "fuzz_query: %s\n", err.message);
        abort();
    }
    kql_catalog_add(&catalog, t);
}

/* The first FUZZ_SAMPLE_ROWS lines of data/NAME.jsonl. */
static void add_sample(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/%s.jsonl", KQL_SOURCE_DIR, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        abort();
    }
    char *text = NULL;   /* getdelim's buffer, freed below */
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', f);   /* the whole file: it holds no NUL */
    fclose(f);
    size_t len = 0;
    for (int rows = 0; n > 0 && (size_t)n > len && rows < FUZZ_SAMPLE_ROWS; rows++) {
        const char *nl = memchr(text + len, '\n', (size_t)n - len);
        len = nl ? (size_t)(nl - text) + 1 : (size_t)n;
    }
    add_table(text ? text : "", len, path, name);
    free(text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    kql_catalog_init(&catalog);
    add_table(table_t, sizeof table_t - 1, "T.jsonl", "T");
    add_sample("SigninLogs");
    add_sample("AADNonInteractiveUserSignInLogs");
    kql_mem_set_limit(FUZZ_MAX_MEMORY);
    kql_fatal_exit = limit_reached;
    sink = fopen("/dev/null", "w");
    if (!sink) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a fixed now() (ticks of 2025-11-29T08:00:00Z), so an input runs the same every time */
    kql_run_options opt = { .now_set = true, .now = 639000000000000000LL };
    kql_results res;
    kql_error err = { 0 };
    if (kql_run((const char *)data, size, &catalog, &opt, &res, &err) != 0) {
        if (err.message[0] == '\0') abort();   /* a refused query must say why */
        return 0;
    }
    for (size_t i = 0; i < res.ntables; i++) kql_format_write(sink, res.tables[i], KQL_FORMAT_CSV);
    kql_results_free(&res);
    return 0;
}
