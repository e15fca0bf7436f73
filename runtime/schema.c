/* schema.c - the known Log Analytics table schemas (schema.h).
 *
 * runtime/schemas/loganalytics.json is compiled into the binary as
 * kql_schema_json (see runtime/schemas/embed.cmake). It is an object whose
 * keys are table names and whose values are arrays of {"name", "type",
 * "hidden"?} in the order a workspace returns the columns; keys starting with
 * '_' (such as "_about") are commentary. The JSON is parsed with cJSON the
 * first time a schema is asked for; the result lives in one static catalog
 * until kql_schema_shutdown().
 */
#include "buf.h"
#include "schema.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char kql_schema_json[];
extern const size_t kql_schema_json_len;

typedef struct schema_catalog {
    bool loaded;
    size_t ntables;
    kql_schema *tables;   /* owned, with each table's name, columns and column names */
} schema_catalog;

static schema_catalog schema_cat;

static char *schema_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d)
        kql_out_of_memory(n);
    return memcpy(d, s, n);
}

static void *schema_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        kql_out_of_memory(n * size);
    return p;
}

/* One table's column array -> a kql_schema; entries without a name are
 * skipped and unknown type names become string, so a slip in the data file
 * cannot break loading. */
static void schema_read_table(kql_schema *t, const char *name, const cJSON *arr)
{
    kql_schema_column *cols = schema_calloc((size_t)cJSON_GetArraySize(arr), sizeof *cols);
    size_t n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, arr) {
        const cJSON *cname = cJSON_GetObjectItemCaseSensitive(c, "name");
        const cJSON *ctype = cJSON_GetObjectItemCaseSensitive(c, "type");
        if (!cJSON_IsString(cname))
            continue;
        kql_type type = cJSON_IsString(ctype) ? kql_type_from_name(ctype->valuestring)
                                              : KQL_TYPE_UNKNOWN;
        cols[n].name = schema_strdup(cname->valuestring);
        cols[n].type = type == KQL_TYPE_UNKNOWN ? KQL_STRING : type;
        cols[n].hidden = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "hidden"));
        n++;
    }
    t->table = schema_strdup(name);
    t->ncols = n;
    t->cols = cols;
}

static void schema_load(void)
{
    schema_cat.loaded = true;
    cJSON *root = cJSON_ParseWithLength((const char *)kql_schema_json, kql_schema_json_len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return;
    }
    schema_cat.tables = schema_calloc((size_t)cJSON_GetArraySize(root), sizeof *schema_cat.tables);
    const cJSON *t;
    cJSON_ArrayForEach(t, root) {
        if (!t->string || t->string[0] == '_' || !cJSON_IsArray(t))
            continue;
        schema_read_table(&schema_cat.tables[schema_cat.ntables++], t->string, t);
    }
    cJSON_Delete(root);
}

const kql_schema *kql_schema_find(const char *table)
{
    if (!table)
        return NULL;
    if (!schema_cat.loaded)
        schema_load();
    for (size_t i = 0; i < schema_cat.ntables; i++)
        if (strcmp(schema_cat.tables[i].table, table) == 0)
            return &schema_cat.tables[i];
    return NULL;
}

const kql_schema *kql_schema_at(size_t i)
{
    if (!schema_cat.loaded)
        schema_load();
    return i < schema_cat.ntables ? &schema_cat.tables[i] : NULL;
}

void kql_schema_shutdown(void)
{
    for (size_t i = 0; i < schema_cat.ntables; i++) {
        kql_schema *t = &schema_cat.tables[i];
        for (size_t j = 0; j < t->ncols; j++)
            free((char *)t->cols[j].name);
        free((kql_schema_column *)t->cols);
        free((char *)t->table);
    }
    free(schema_cat.tables);
    schema_cat = (schema_catalog){0};
}
