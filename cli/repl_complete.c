/* repl_complete.c - what Tab offers in the REPL (session.h). The place of
 * the cursor comes from the grammar (cursor.h); the names from where they
 * are kept: the catalog's tables, the binder's operators, the columns the
 * binder gives the pipeline before the cursor (kql_schema_of, so extend and
 * project count), the function and aggregate registries, the dot-commands'
 * table, and the file system for paths. Matching ignores case, except in
 * paths; the candidates keep theirs. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "aggregates.h"
#include "buf.h"
#include "cursor.h"
#include "functions.h"
#include "session.h"

typedef struct complete_ctx {
    const char *word;
    size_t wlen;
    repl_names *out;
} complete_ctx;

/* Adds a candidate; the list takes over `name` (malloc'd). */
static void complete_add(repl_names *o, char *name)
{
    if (o->n == o->cap) o->v = kql_xrealloc(o->v, (o->cap = o->cap ? o->cap * 2 : 32) * sizeof *o->v);
    o->v[o->n++] = name;
}

/* Adds name when the word being typed is a prefix of it. */
static void complete_offer(const char *name, void *arg)
{
    complete_ctx *c = arg;
    if (strncasecmp(name, c->word, c->wlen) == 0) complete_add(c->out, strdup(name));
}

/* The files and folders whose path starts with the word (case matters;
 * folders end in '/'; hidden ones only when their dot is typed). */
static void complete_paths(complete_ctx *c)
{
    size_t dirlen = c->wlen;   /* up to the last '/' */
    while (dirlen > 0 && c->word[dirlen - 1] != '/') dirlen--;
    const char *base = c->word + dirlen;
    size_t blen = c->wlen - dirlen;
    kql_buf path;
    kql_buf_init(&path);
    if (dirlen) kql_buf_put(&path, c->word, dirlen);
    else kql_buf_putc(&path, '.');
    DIR *d = opendir(kql_buf_cstr(&path));
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (strncmp(e->d_name, base, blen) != 0 || (e->d_name[0] == '.' && blen == 0)) continue;
        kql_buf_clear(&path);
        kql_buf_put(&path, c->word, dirlen);
        kql_buf_puts(&path, e->d_name);
        struct stat st;
        if (stat(kql_buf_cstr(&path), &st) == 0 && S_ISDIR(st.st_mode)) kql_buf_putc(&path, '/');
        complete_add(c->out, strdup(kql_buf_cstr(&path)));
    }
    if (d) closedir(d);
    kql_buf_free(&path);
}

static int complete_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void complete_sort_unique(repl_names *o)
{
    qsort(o->v, o->n, sizeof *o->v, complete_cmp);
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (k && strcmp(o->v[k - 1], o->v[i]) == 0) free(o->v[i]);
        else o->v[k++] = o->v[i];
    }
    o->n = k;
}

static void complete_tables(const kql_catalog *cat, complete_ctx *c)
{
    for (size_t i = 0; i < cat->ntables; i++) complete_offer(cat->tables[i]->name, c);
}

/* The columns of the pipeline in scope: the statements before the cursor's
 * (its lets) and the pipeline up to its last '|', bound together. */
static void complete_columns(const char *text, const kql_cursor *k, const kql_catalog *cat, complete_ctx *c)
{
    if (!k->scope_end) return;
    kql_buf src;
    kql_buf_init(&src);
    kql_buf_put(&src, text, k->stmt_start);
    kql_buf_putc(&src, '\n');
    kql_buf_put(&src, text + k->scope_start, k->scope_end - k->scope_start);
    char **names = kql_schema_of(src.data, src.len, cat);
    for (size_t i = 0; names && names[i]; i++) complete_offer(names[i], c);
    kql_names_free(names);
    kql_buf_free(&src);
}

/* After a dot-command's name: `.schema T`, `.show tables`, `.show table T`,
 * the path of `.load`, `.run`, `.output`; `before` is the line up to the
 * word being typed. */
static void complete_command_args(const char *before, size_t len, const kql_catalog *cat, complete_ctx *c)
{
    static const char *const show_words[] = { "tables", "table" };
    char line[256], w1[32] = "", w2[32] = "", w3[32] = "";
    snprintf(line, sizeof line, "%.*s", (int)len, before);
    int n = sscanf(line, "%31s %31s %31s", w1, w2, w3);
    if (n == 1 && strcmp(w1, ".schema") == 0) complete_tables(cat, c);
    if (n == 1 && strcmp(w1, ".show") == 0)
        for (size_t i = 0; i < 2; i++) complete_offer(show_words[i], c);
    if (n == 2 && strcmp(w1, ".show") == 0 && strcmp(w2, "table") == 0) complete_tables(cat, c);
    if (n == 1 && (strcmp(w1, ".load") == 0 || strcmp(w1, ".run") == 0 || strcmp(w1, ".output") == 0))
        complete_paths(c);
}

size_t repl_complete(const char *text, size_t len, const kql_catalog *cat, repl_names *out)
{
    memset(out, 0, sizeof *out);
    size_t lead = 0;
    while (lead < len && (text[lead] == ' ' || text[lead] == '\t')) lead++;
    if (lead < len && text[lead] == '.') {
        size_t w = len;
        while (w > lead && text[w - 1] != ' ' && text[w - 1] != '\t') w--;
        complete_ctx c = { text + w, len - w, out };
        if (w == lead) repl_command_each_name(complete_offer, &c);
        else complete_command_args(text + lead, w - lead, cat, &c);
        complete_sort_unique(out);
        return w;
    }
    kql_cursor k;
    kql_cursor_scan(text, len, &k);
    complete_ctx c = { text + k.word, len - k.word, out };
    switch (k.place) {
    case KQL_CURSOR_NONE:
        break;
    case KQL_CURSOR_SOURCE:
        complete_tables(cat, &c);
        break;
    case KQL_CURSOR_OPERATOR:
        kql_each_operator_name(complete_offer, &c);
        break;
    case KQL_CURSOR_EXPR:
        complete_columns(text, &k, cat, &c);
        if (c.wlen) {   /* all 240 functions for an empty word would bury the columns */
            kql_function_each_name(complete_offer, &c);
            kql_aggregate_each_name(complete_offer, &c);
        }
        break;
    }
    complete_sort_unique(out);
    return k.word;
}

void repl_names_free(repl_names *names)
{
    for (size_t i = 0; i < names->n; i++) free(names->v[i]);
    free(names->v);
    memset(names, 0, sizeof *names);
}
