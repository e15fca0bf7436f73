/* load_shape.c - the shape of an exported log from its first record
 * (load_shape.h). Only the first record is parsed here; the loaders read
 * the rest. */
#include "load_shape.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "buf.h"
#include "load_az.h"
#include "load_diag.h"

static size_t shape_skip_space(const char *d, size_t len, size_t pos)
{
    while (pos < len && (d[pos] == ' ' || d[pos] == '\t' || d[pos] == '\n' || d[pos] == '\r'))
        pos++;
    return pos;
}

/* The first record: the first element of an array, the first value of a
 * JSON Lines or object stream, the first record of an Event Hubs batch.
 * Returns the parsed value holding it (the caller deletes it) and the
 * record in *rec, or NULL. */
static cJSON *shape_first_record(const char *d, size_t len, size_t pos, const cJSON **rec)
{
    bool array = d[pos] == '[';
    if (array)
        pos = shape_skip_space(d, len, pos + 1);
    if (pos >= len || d[pos] != '{')
        return NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(d + pos, len - pos, NULL, 0);
    if (!v)
        return NULL;
    const cJSON *batch = cJSON_GetObjectItemCaseSensitive(v, "records");
    *rec = !array && cJSON_IsArray(batch) ? batch->child : v;
    return v;
}

kql_shape kql_shape_detect(const char *data, size_t len, bool json_name, char **category)
{
    *category = NULL;
    size_t pos = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    pos = shape_skip_space(data, len, pos);
    if (pos >= len)
        return KQL_SHAPE_JSON;
    if (data[pos] != '[' && data[pos] != '{')
        return json_name ? KQL_SHAPE_JSON : KQL_SHAPE_CSV;
    const cJSON *rec = NULL;
    cJSON *v = shape_first_record(data, len, pos, &rec);
    kql_shape shape = KQL_SHAPE_JSON;
    if (rec && kql_diag_is_record(rec)) {
        const char *cat = cJSON_GetObjectItemCaseSensitive(rec, "category")->valuestring;
        size_t n = strlen(cat) + 1;
        *category = memcpy(kql_xrealloc(NULL, n), cat, n);
        shape = KQL_SHAPE_DIAG;
    } else if (rec && data[pos] == '[' && kql_az_is_record(rec)) {
        shape = KQL_SHAPE_AZ;
    }
    cJSON_Delete(v);
    return shape;
}
