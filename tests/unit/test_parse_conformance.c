/* test_parse_conformance.c - the parser against real queries: every example
 * of the Kusto documentation (shared/conformance), the prose-derived checks
 * and the .kql files of the project's queries/ folder must parse. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, 2 * cap + 1);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* Every node reachable, no NULL kid: the tree is whole. */
static int tree_ok(const ast_node *n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n->nkids; i++)
        if (!tree_ok(n->kids[i]))
            return 0;
    return 1;
}

static int parses(const char *id, const char *query)
{
    kql_syntax_error err;
    ast_node *root = kql_parse(query, strlen(query), &err);
    if (!root) {
        fprintf(stderr, "  %s: %d:%d: %s\n", id, err.loc.line, err.loc.col, err.message);
        return 0;
    }
    int ok = tree_ok(root) && root->kind == AST_QUERY;
    if (!ok)
        fprintf(stderr, "  %s: incomplete tree\n", id);
    ast_free(root);
    return ok;
}

/* Parses the "query" of every line of a JSON Lines file; returns how many parsed. */
static int parse_jsonl(const char *path, int *total)
{
    size_t len;
    char *text = slurp(path, &len);
    cr_assert_not_null(text, "cannot read %s", path);
    int ok = 0;
    *total = 0;
    fprintf(stderr, "%s: queries that do not parse:\n", path);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *rec = cJSON_Parse(line);
        cr_assert_not_null(rec, "bad JSON line in %s", path);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
        const cJSON *query = cJSON_GetObjectItemCaseSensitive(rec, "query");
        cr_assert(cJSON_IsString(query));
        (*total)++;
        ok += parses(cJSON_IsString(id) ? id->valuestring : "?", query->valuestring);
        cJSON_Delete(rec);
    }
    free(text);
    fprintf(stderr, "%s: %d of %d parse\n", path, ok, *total);
    return ok;
}

Test(conformance, public_examples_parse)
{
    int total;
    int ok = parse_jsonl(KQL_SHARED_DIR "/conformance/public.jsonl", &total);
    cr_assert_gt(total, 500);
    cr_assert_geq(ok * 100, total * 95, "only %d of %d documentation examples parse", ok, total);
}

Test(conformance, derived_examples_parse)
{
    int total;
    int ok = parse_jsonl(KQL_SHARED_DIR "/conformance/derived.jsonl", &total);
    cr_assert_eq(total, 60);
    cr_assert_eq(ok, total);
}

Test(conformance, project_queries_parse)
{
    const char *dir = KQL_SOURCE_DIR "/queries";
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    int files = 0, ok = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".kql") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        cr_assert_not_null(text, "cannot read %s", path);
        files++;
        ok += parses(e->d_name, text);
        free(text);
    }
    closedir(d);
    cr_assert_geq(files, 3);
    cr_assert_eq(ok, files);
}
