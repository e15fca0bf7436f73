/* load_az.c - rows printed by `az monitor log-analytics query` (load_az.h). */
#include "load_az.h"

#include <string.h>

bool kql_az_is_record(const cJSON *rec)
{
    /* "PrimaryResult" too, so that a table whose own first column happens to
     * be called TableName is not taken for az's and lose it */
    if (!cJSON_IsObject(rec) || !rec->child || !rec->child->string ||
        strcmp(rec->child->string, "TableName") != 0 || !cJSON_IsString(rec->child) ||
        strcmp(rec->child->valuestring, "PrimaryResult") != 0)
        return false;
    for (const cJSON *f = rec->child; f; f = f->next)
        if (!cJSON_IsString(f))
            return false;
    return true;
}

static const kql_schema_column *az_column(const kql_schema *s, const char *name)
{
    for (size_t i = 0; s && i < s->ncols; i++)
        if (strcmp(s->cols[i].name, name) == 0)
            return &s->cols[i];
    return NULL;
}

int kql_az_hook(void *ctx, cJSON *rec, const char **why)
{
    const kql_schema *schema = ctx;
    (void)why;
    cJSON *f = rec->child;
    while (f) {
        cJSON *next = f->next;
        const char *key = f->string ? f->string : "";
        if (strcmp(key, "TableName") == 0 && !az_column(schema, key)) {
            cJSON_Delete(cJSON_DetachItemViaPointer(rec, f));
        } else if (cJSON_IsString(f) && strcmp(f->valuestring, "None") == 0) {
            /* Python's str(None); a string column's "None" is text */
            const kql_schema_column *c = az_column(schema, key);
            if (c && c->type != KQL_STRING && !(f->type & cJSON_IsReference)) {
                cJSON_free(f->valuestring);   /* the node becomes a null in place */
                f->valuestring = NULL;
                f->type = (f->type & ~0xFF) | cJSON_NULL;
            }
        }
        f = next;
    }
    return 0;
}
