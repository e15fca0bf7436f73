/* load_file.c - one data file -> tables, whatever its shape (load_file.h). */
#include "load_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "load_az.h"
#include "load_csv.h"
#include "load_diag.h"
#include "load_input.h"
#include "load_shape.h"
#include "schema_file.h"
#include "table_concat.h"

static const char *const file_exts[] = {".json", ".jsonl", ".ndjson", ".csv"};

/* Does base end with ext (and have a name before it)? */
static bool file_ends_with(const char *base, size_t len, const char *ext)
{
    size_t n = strlen(ext);
    return len > n && memcmp(base + len - n, ext, n) == 0;
}

size_t kql_data_file_stem(const char *base)
{
    size_t len = strlen(base);
    if (file_ends_with(base, len, ".gz"))
        len -= 3;
    for (size_t i = 0; i < sizeof file_exts / sizeof *file_exts; i++)
        if (file_ends_with(base, len, file_exts[i]))
            return len - strlen(file_exts[i]);
    return 0;
}

static bool file_json_name(const char *path)
{
    size_t len = strlen(path);
    if (file_ends_with(path, len, ".gz"))
        len -= 3;
    return file_ends_with(path, len, ".json") || file_ends_with(path, len, ".jsonl") ||
           file_ends_with(path, len, ".ndjson");
}

/* The schema file for `table` beside path: dir/TABLE.schema. Returns 0 with
 * *out set (NULL when there is none), or -1 with err set. */
static int file_schema_override(const char *path, const char *table, kql_schema **out,
                                kql_load_error *err)
{
    *out = NULL;
    const char *slash = strrchr(path, '/');
    kql_buf sp;
    kql_buf_init(&sp);
    if (slash)
        kql_buf_put(&sp, path, (size_t)(slash - path) + 1);
    kql_buf_printf(&sp, "%s.schema", table);
    struct stat st;
    int rc = 0;
    if (stat(kql_buf_cstr(&sp), &st) == 0) {
        kql_input in;
        rc = kql_input_read(kql_buf_cstr(&sp), &in, err);
        if (rc == 0) {
            *out = kql_schema_file_parse(in.data, in.len, kql_buf_cstr(&sp), table, err);
            rc = *out ? 0 : -1;
        }
        kql_input_release(&in);
    }
    kql_buf_free(&sp);
    return rc;
}

/* Adds t to the catalog; a table of that name loaded from another file
 * (an earlier hourly export, -d naming two files of one table) gets t's
 * rows appended instead of being replaced, which would lose its rows. */
static void file_add(kql_catalog *cat, kql_table *t)
{
    kql_table *old = kql_catalog_find(cat, t->name);
    if (old) {
        kql_table *both = kql_table_concat(old, t);
        kql_table_free(t);
        t = both;
    }
    kql_catalog_add(cat, t);   /* frees the old table */
}

static bool file_is_identifier(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* A table the caller has a filter for loads whole from this file: say so
 * (json_load.h, kql_load_options.loaded_whole). */
static void file_note_loaded_whole(const kql_load_options *lopt, const char *table)
{
    if (lopt && lopt->loaded_whole && kql_load_filter_for(lopt, table))
        *lopt->loaded_whole = true;
}

/* One pass over a diagnostic-settings export for one category's table;
 * the categories of the records it left out are added to *todo. */
static int file_load_diag_category(kql_catalog *cat, const kql_input *in, const char *path,
                                   const char *category, const kql_load_options *lopt,
                                   char ***todo, size_t *ntodo, kql_load_error *err)
{
    const kql_load_report *report = lopt ? lopt->report : NULL;
    const char *table = kql_diag_table(category);
    if (!table && !file_is_identifier(category)) {
        snprintf(err->message, sizeof err->message, "%s: category '%s' names no table", path, category);
        return -1;
    }
    if (!table)
        table = category;   /* a category this loader does not know: its own name */
    kql_schema *override;
    if (file_schema_override(path, table, &override, err) != 0)
        return -1;
    kql_diag_map map;
    kql_diag_map_init(&map, category, table, override ? override : kql_schema_find(table));
    kql_json_options opt = {.schema = map.schema, .hook = kql_diag_hook, .hook_ctx = &map, .report = report};
    file_note_loaded_whole(lopt, table);
    kql_table *t = kql_load_json_text_opts(in->data, in->len, path, table, &opt, err);
    int rc = t ? 0 : -1;
    if (t)
        file_add(cat, t);
    for (size_t i = 0; rc == 0 && i < map.nothers; i++) {
        bool seen = false;
        for (size_t j = 0; j < *ntodo; j++)
            seen = seen || strcmp((*todo)[j], map.others[i]) == 0;
        if (!seen) {
            *todo = kql_xrealloc(*todo, (*ntodo + 1) * sizeof **todo);
            (*todo)[(*ntodo)++] = map.others[i];
            map.others[i] = NULL;   /* now owned by *todo */
        }
    }
    kql_diag_map_free(&map);
    kql_schema_file_free(override);
    return rc;
}

/* Every category of the export, each in its own pass: a category's records
 * are few passes apart in practice (one category a storage container). */
static int file_load_diag(kql_catalog *cat, const kql_input *in, const char *path, char *first,
                          const kql_load_options *lopt, kql_load_error *err)
{
    char **todo = kql_xrealloc(NULL, sizeof *todo);   /* owned, with each category (first too) */
    size_t ntodo = 1;
    todo[0] = first;
    int rc = 0;
    for (size_t i = 0; i < ntodo && rc == 0; i++)
        rc = file_load_diag_category(cat, in, path, todo[i], lopt, &todo, &ntodo, err);
    for (size_t i = 0; i < ntodo; i++)
        free(todo[i]);
    free(todo);
    return rc;
}

int kql_load_file(kql_catalog *cat, const char *path, const char *name,
                  const kql_load_options *lopt, kql_load_error *err)
{
    const kql_load_report *report = lopt ? lopt->report : NULL;
    err->message[0] = '\0';
    if (file_ends_with(path, strlen(path), ".schema")) {
        snprintf(err->message, sizeof err->message,
                 "%s: a schema file is not a table; it applies to the data file beside it "
                 "named after the same table", path);
        return -1;
    }
    kql_input in;
    if (kql_input_read(path, &in, err) != 0) {
        kql_input_release(&in);
        return -1;
    }
    char *category = NULL;
    kql_shape shape = kql_shape_detect(in.data, in.len, file_json_name(path), &category);
    int rc;
    if (shape == KQL_SHAPE_DIAG) {
        rc = file_load_diag(cat, &in, path, category, lopt, err);
    } else {
        kql_schema *override;
        rc = file_schema_override(path, name, &override, err);
        if (rc == 0) {
            const kql_schema *schema = override ? override : kql_schema_find(name);
            kql_json_options opt = {.schema = schema, .report = report};
            if (shape == KQL_SHAPE_AZ) {
                opt.hook = kql_az_hook;
                opt.hook_ctx = (void *)schema;
            } else if (shape != KQL_SHAPE_CSV && !override) {
                /* a query's filter was bound against the catalog's schema */
                opt.filter = kql_load_filter_for(lopt, name);
                opt.mapped = in.map != NULL && in.data == in.map;
                opt.saw_unknown_field = lopt ? lopt->loaded_whole : NULL;
            }
            if (!opt.filter)
                file_note_loaded_whole(lopt, name);
            kql_table *t = shape == KQL_SHAPE_CSV
                               ? kql_load_csv_text(in.data, in.len, path, name, schema, report, err)
                               : kql_load_json_text_opts(in.data, in.len, path, name, &opt, err);
            rc = t ? 0 : -1;
            if (t)
                file_add(cat, t);
        }
        kql_schema_file_free(override);
    }
    kql_input_release(&in);
    return rc;
}
