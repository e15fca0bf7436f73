/* load_diag.c - diagnostic-settings records -> Log Analytics rows
 * (load_diag.h).
 *
 * The rule, from the Azure Monitor resource-log schema, Microsoft Graph's
 * signIn resource and the Log Analytics column lists
 * (runtime/schemas/loganalytics.json):
 *   - the category names the table (diag_tables below, Microsoft Entra's
 *     documented diagnostic-settings categories);
 *   - each top-level field and each field of `properties` becomes the column
 *     whose name equals the field's without regard to case (`resultType` ->
 *     ResultType, `ipAddress` -> IPAddress, `riskEventTypes_v2` ->
 *     RiskEventTypes_V2);
 *   - except where the workspace names the column otherwise (diag_renames):
 *     `time` -> TimeGenerated; the Entra tenant `tenantId` -> AADTenantId
 *     (a workspace's TenantId is the workspace's own id);
 *     `properties.appliedConditionalAccessPolicies` ->
 *     ConditionalAccessPolicies; `properties.location` (the city and
 *     coordinates object) -> LocationDetails, while the top-level `location`
 *     (a country code) is Location; `properties.resourceId` (the app signed
 *     in to) -> ResourceIdentity, while the top-level `resourceId` is
 *     ResourceId; `properties.processingTimeInMilliseconds` ->
 *     ProcessingTimeInMs where the table has that column;
 *   - a field no column matches is kept as an extra column named in
 *     PascalCase (as the workspace would name it), never dropped;
 *   - a field of `properties` that meets a top-level one on the same column
 *     (`correlationId`, `tenantId`) wins, being the service's own value;
 *   - Type, the standard column a workspace fills with the table's name, is
 *     the table's name (when the table has that column, or is unknown).
 * Values then go through the loader's usual coercion to the column types.
 */
#include "load_diag.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

static const struct { const char *category, *table; } diag_tables[] = {
    {"AuditLogs", "AuditLogs"},
    {"SignInLogs", "SigninLogs"},
    {"NonInteractiveUserSignInLogs", "AADNonInteractiveUserSignInLogs"},
    {"ServicePrincipalSignInLogs", "AADServicePrincipalSignInLogs"},
    {"ManagedIdentitySignInLogs", "AADManagedIdentitySignInLogs"},
    {"ProvisioningLogs", "AADProvisioningLogs"},
    {"ADFSSignInLogs", "ADFSSignInLogs"},
    {"RiskyUsers", "AADRiskyUsers"},
    {"UserRiskEvents", "AADUserRiskEvents"},
    {"RiskyServicePrincipals", "AADRiskyServicePrincipals"},
    {"ServicePrincipalRiskEvents", "AADServicePrincipalRiskEvents"},
    {"NetworkAccessTrafficLogs", "NetworkAccessTraffic"},
    {"MicrosoftGraphActivityLogs", "MicrosoftGraphActivityLogs"},
    {"B2CRequestLogs", "AADB2CRequestLogs"},
    {"EnrichedOffice365AuditLogs", "EnrichedMicrosoft365AuditLogs"},
};

/* Fields whose column is not their name (see the header comment); a rename
 * applies when the table has the column, or when the table is unknown. */
static const struct { bool in_properties; const char *field, *column; } diag_renames[] = {
    {false, "time", "TimeGenerated"},
    {false, "tenantId", "AADTenantId"},
    {true, "tenantId", "AADTenantId"},
    {true, "appliedConditionalAccessPolicies", "ConditionalAccessPolicies"},
    {true, "location", "LocationDetails"},
    {true, "resourceId", "ResourceIdentity"},
    {true, "processingTimeInMilliseconds", "ProcessingTimeInMs"},
};

typedef struct kql_diag_slot {
    char *field;          /* owned; NULL = empty slot */
    bool in_properties;
    const char *column;   /* the schema's name, a rename, or one of m->names */
} kql_diag_slot;

const char *kql_diag_table(const char *category)
{
    for (size_t i = 0; i < sizeof diag_tables / sizeof *diag_tables; i++)
        if (strcasecmp(category, diag_tables[i].category) == 0)
            return diag_tables[i].table;
    return NULL;
}

bool kql_diag_is_record(const cJSON *rec)
{
    return cJSON_IsObject(rec) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "category")) &&
           cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "time")) &&
           cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "properties"));
}

void kql_diag_map_init(kql_diag_map *m, const char *category, const char *table, const kql_schema *schema)
{
    *m = (kql_diag_map){.category = category, .table = table, .schema = schema};
}

void kql_diag_map_free(kql_diag_map *m)
{
    for (size_t i = 0; i < m->nothers; i++)
        free(m->others[i]);
    for (size_t i = 0; i < m->nnames; i++)
        free(m->names[i]);
    for (size_t i = 0; i < m->cache_cap; i++)
        free(m->cache[i].field);
    free(m->others);
    free(m->names);
    free(m->cache);
    *m = (kql_diag_map){0};
}

static char *diag_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(kql_xrealloc(NULL, n), s, n);
}

static const char *diag_schema_column(const kql_diag_map *m, const char *name, bool any_case)
{
    for (size_t i = 0; m->schema && i < m->schema->ncols; i++)
        if ((any_case ? strcasecmp : strcmp)(m->schema->cols[i].name, name) == 0)
            return m->schema->cols[i].name;
    return NULL;
}

/* The column a field maps to, worked out from the rule. */
static const char *diag_column_of(kql_diag_map *m, const char *field, bool in_properties)
{
    for (size_t i = 0; i < sizeof diag_renames / sizeof *diag_renames; i++)
        if (diag_renames[i].in_properties == in_properties && strcmp(diag_renames[i].field, field) == 0) {
            if (!m->schema)
                return diag_renames[i].column;
            const char *c = diag_schema_column(m, diag_renames[i].column, false);
            if (c)
                return c;
        }
    const char *c = diag_schema_column(m, field, true);
    if (c)
        return c;
    char *name = diag_strdup(field);
    if (name[0] >= 'a' && name[0] <= 'z')
        name[0] = (char)(name[0] - 'a' + 'A');
    m->names = kql_xrealloc(m->names, (m->nnames + 1) * sizeof *m->names);
    m->names[m->nnames++] = name;
    return name;
}

static size_t diag_hash(const char *s, bool in_properties)
{
    size_t h = in_properties ? 7 : 3;
    for (; *s; s++)
        h = h * 31 + (unsigned char)*s;
    return h;
}

/* The column a field maps to, from the cache (fields repeat every record). */
static const char *diag_column(kql_diag_map *m, const char *field, bool in_properties)
{
    if (m->cache_used * 2 >= m->cache_cap) {
        size_t old_cap = m->cache_cap;
        kql_diag_slot *old = m->cache;
        m->cache_cap = old_cap ? old_cap * 2 : 256;
        m->cache = calloc(m->cache_cap, sizeof *m->cache);   /* m's: kql_diag_map_free */
        if (!m->cache)
            kql_out_of_memory(m->cache_cap * sizeof *m->cache);
        for (size_t i = 0; i < old_cap; i++) {
            if (!old[i].field)
                continue;
            size_t h = diag_hash(old[i].field, old[i].in_properties) & (m->cache_cap - 1);
            while (m->cache[h].field)
                h = (h + 1) & (m->cache_cap - 1);
            m->cache[h] = old[i];
        }
        free(old);
    }
    size_t h = diag_hash(field, in_properties) & (m->cache_cap - 1);
    for (; m->cache[h].field; h = (h + 1) & (m->cache_cap - 1))
        if (m->cache[h].in_properties == in_properties && strcmp(m->cache[h].field, field) == 0)
            return m->cache[h].column;
    const char *column = diag_column_of(m, field, in_properties);
    m->cache[h] = (kql_diag_slot){.field = diag_strdup(field), .in_properties = in_properties, .column = column};
    m->cache_used++;
    return column;
}

/* Moves every field of `from` to the end of `to` (which may be `from`
 * itself), named by its column, in order. */
static void diag_move_fields(kql_diag_map *m, cJSON *from, cJSON *to, bool in_properties)
{
    cJSON *f = from->child;
    from->child = NULL;
    while (f) {
        cJSON *next = f->next;
        f->prev = f->next = NULL;
        const char *column = diag_column(m, f->string ? f->string : "", in_properties);
        cJSON_AddItemToObjectCS(to, column, f);   /* frees the old key */
        f = next;
    }
}

int kql_diag_hook(void *ctx, cJSON *rec, const char **why)
{
    kql_diag_map *m = ctx;
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(rec, "category");
    if (!cJSON_IsString(cat)) {
        *why = "the record has no \"category\" (each record of a diagnostic-settings export names its category)";
        return -1;
    }
    if (strcasecmp(cat->valuestring, m->category) != 0) {
        for (size_t i = 0; i < m->nothers; i++)
            if (strcasecmp(m->others[i], cat->valuestring) == 0)
                return 1;
        m->others = kql_xrealloc(m->others, (m->nothers + 1) * sizeof *m->others);
        m->others[m->nothers++] = diag_strdup(cat->valuestring);
        return 1;
    }
    cJSON *props = cJSON_DetachItemFromObjectCaseSensitive(rec, "properties");
    diag_move_fields(m, rec, rec, false);
    if (cJSON_IsObject(props)) {
        diag_move_fields(m, props, rec, true);
    } else if (props) {
        cJSON_AddItemToObjectCS(rec, diag_column(m, "properties", false), props);
        props = NULL;
    }
    cJSON_Delete(props);
    if (!m->schema || diag_schema_column(m, "Type", false)) {
        cJSON *type = cJSON_CreateString(m->table);
        if (!type)
            kql_out_of_memory(strlen(m->table));
        cJSON_AddItemToObjectCS(rec, "Type", type);
    }
    return 0;
}
