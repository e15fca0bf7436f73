/* fn_misc.c - conditionals, nulls and dynamic values: iff/iif, case,
 * isnull, isnotnull, coalesce, not, array_length, pack_array, bag_pack/pack,
 * bag_keys, bag_has_key, array_concat, gettype, new_guid.
 *
 * Branch values (iff, case, coalesce) must share a type, as the docs
 * require; int, long and real mix and widen to the widest of them. A
 * branch result is the argument value itself, not a copy.
 */
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "dynamic.h"
#include "fn_common.h"

/* ---- iff / case ---- */

kql_type kql_fnt_iff(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n != 3)
        return kql_fn_fail(err, errlen, "iff(): expects 3 arguments (if, then, else), got %zu", n);
    if (args[0] != KQL_BOOL)
        return kql_fn_fail(err, errlen, "iff(): argument 1 must be a bool, got %s",
                           kql_type_name(args[0]));
    kql_type t = kql_fn_common_type(args[1], args[2]);
    if (t == KQL_TYPE_UNKNOWN)
        return kql_fn_fail(err, errlen, "iff(): the branches have different types: %s and %s",
                           kql_type_name(args[1]), kql_type_name(args[2]));
    return t;
}

/* A null predicate takes the else branch, as where treats null as false
 * (NOTES §6). */
void kql_fn_iff(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    kql_type t = kql_fn_common_type(args[1].type, args[2].type);
    *out = kql_fn_widen(&args[!args[0].is_null && args[0].u.b ? 1 : 2], t);
}

kql_type kql_fnt_case(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n < 3 || n % 2 == 0)
        return kql_fn_fail(err, errlen,
                           "case(): expects predicate/value pairs and an else value "
                           "(an odd number of arguments, at least 3), got %zu", n);
    for (size_t i = 0; i + 1 < n; i += 2)
        if (args[i] != KQL_BOOL)
            return kql_fn_fail(err, errlen, "case(): argument %zu (a predicate) must be a bool, got %s",
                               i + 1, kql_type_name(args[i]));
    kql_type t = args[n - 1];
    for (size_t i = 1; i + 1 < n; i += 2) {
        kql_type c = kql_fn_common_type(t, args[i]);
        if (c == KQL_TYPE_UNKNOWN)
            return kql_fn_fail(err, errlen, "case(): the values have different types: %s and %s",
                               kql_type_name(args[i]), kql_type_name(t));
        t = c;
    }
    return t;
}

void kql_fn_case(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    kql_type t = args[n - 1].type;
    for (size_t i = 1; i + 1 < n; i += 2)
        t = kql_fn_common_type(t, args[i].type);
    size_t pick = n - 1;
    for (size_t i = 0; i + 1 < n; i += 2)
        if (!args[i].is_null && args[i].u.b) {
            pick = i + 1;
            break;
        }
    *out = kql_fn_widen(&args[pick], t);
}

/* ---- nulls ---- */

/* Strings are never null in KQL: isnull("") is false. */
KQL_FN_DEFINE(isnull, "a", KQL_BOOL,
              *out = kql_bool(args[0].type != KQL_STRING && kql_fn_is_null(&args[0])))
KQL_FN_DEFINE(isnotnull, "a", KQL_BOOL,
              *out = kql_bool(args[0].type == KQL_STRING || !kql_fn_is_null(&args[0])))

kql_type kql_fnt_coalesce(const kql_type *args, size_t n, char *err, size_t errlen)
{
    kql_type t = n ? args[0] : KQL_TYPE_UNKNOWN;
    for (size_t i = 1; i < n; i++) {
        kql_type c = kql_fn_common_type(t, args[i]);
        if (c == KQL_TYPE_UNKNOWN)
            return kql_fn_fail(err, errlen, "coalesce(): the arguments have different types: %s and %s",
                               kql_type_name(t), kql_type_name(args[i]));
        t = c;
    }
    return t;
}

/* The first non-null value; for strings, the first non-empty one. */
void kql_fn_coalesce(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    kql_type t = args[0].type;
    for (size_t i = 1; i < n; i++)
        t = kql_fn_common_type(t, args[i].type);
    for (size_t i = 0; i < n; i++) {
        bool empty = args[i].type == KQL_STRING ? args[i].u.s.len == 0 : kql_fn_is_null(&args[i]);
        if (!empty) {
            *out = kql_fn_widen(&args[i], t);
            return;
        }
    }
    *out = kql_fn_widen(&args[n - 1], t);
}

KQL_FN_RULE(kql_fnt_not, "not", "b", KQL_BOOL)

void kql_fn_not(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    *out = args[0].is_null ? kql_null(KQL_BOOL) : kql_bool(!args[0].u.b);
}

/* ---- dynamic ---- */

KQL_FN_RULE(kql_fnt_array_length, "array_length", "y", KQL_LONG)

/* Null when the value isn't an array. */
void kql_fn_array_length(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    kql_dyn d = kql_fn_dyn_arg(&args[0]);
    *out = d && kql_dyn_tag_of(d) == KQL_DYN_ARRAY ? kql_long(kql_dyn_count(d)) : kql_null(KQL_LONG);
}

KQL_FN_RULE(kql_fnt_pack_array, "pack_array", "a*", KQL_DYNAMIC)

void kql_fn_pack_array(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    for (size_t i = 0; i < n; i++)
        kql_fn_put_any(&ctx->scratch, &args[i]);
    kql_dyn_end(&ctx->scratch, mark, (uint32_t)n);
    *out = kql_fn_dynamic_out(ctx, 0);
}

kql_type kql_fnt_bag_pack(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n % 2)
        return kql_fn_fail(err, errlen, "bag_pack(): expects key/value pairs (an even number "
                                        "of arguments), got %zu", n);
    for (size_t i = 0; i < n; i += 2)
        if (args[i] != KQL_STRING)
            return kql_fn_fail(err, errlen, "bag_pack(): argument %zu (a key) must be a string, got %s",
                               i + 1, kql_type_name(args[i]));
    return KQL_DYNAMIC;
}

void kql_fn_bag_pack(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_object(&ctx->scratch);
    for (size_t i = 0; i + 1 < n; i += 2) {
        kql_dyn_put_key(&ctx->scratch, args[i].u.s.len ? args[i].u.s.ptr : "", args[i].u.s.len);
        kql_fn_put_any(&ctx->scratch, &args[i + 1]);
    }
    kql_dyn_end(&ctx->scratch, mark, (uint32_t)(n / 2));
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_bag_keys, "bag_keys", "y", KQL_DYNAMIC)

/* An array of the bag's keys in order; null for anything but a bag. */
void kql_fn_bag_keys(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn d = kql_fn_dyn_arg(&args[0]);
    if (!d || kql_dyn_tag_of(d) != KQL_DYN_OBJECT) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    uint32_t count = kql_dyn_count(d);
    const uint8_t *p = kql_dyn_prop_first(d);
    for (uint32_t i = 0; i < count; i++, p = kql_dyn_prop_next(p)) {
        kql_str key;
        kql_dyn value;
        kql_dyn_prop(p, &key, &value);
        kql_dyn_put_string(&ctx->scratch, key.len ? key.ptr : "", key.len);
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_bag_has_key, "bag_has_key", "ys", KQL_BOOL)

/* The property a JSONPath of names leads to: "$.key2.prop1", "$['key 2']"
 * (array indexes aren't supported, as the docs say). NULL when a step is
 * missing or the path is malformed. */
static kql_dyn follow_path(kql_dyn d, const char *p, size_t len)
{
    size_t i = 1;   /* past the '$' */
    while (d && i < len) {
        const char *name;
        size_t nlen;
        if (p[i] == '.') {
            name = p + ++i;
            while (i < len && p[i] != '.' && p[i] != '[')
                i++;
            nlen = (size_t)(p + i - name);
        } else if (p[i] == '[' && i + 1 < len && (p[i + 1] == '\'' || p[i + 1] == '"')) {
            char q = p[i + 1];
            name = p + i + 2;
            const char *close = memchr(name, q, len - (i + 2));
            if (!close || close + 1 >= p + len || close[1] != ']')
                return NULL;
            nlen = (size_t)(close - name);
            i = (size_t)(close - p) + 2;
        } else {
            return NULL;
        }
        d = kql_dyn_tag_of(d) == KQL_DYN_OBJECT ? kql_dyn_get(d, name, nlen) : NULL;
    }
    return d;
}

/* bag_has_key(bag, key): key is a top-level key, or a JSONPath starting
 * with '$' for a nested one (docs: '$.key2.prop1'). */
void kql_fn_bag_has_key(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    kql_dyn d = kql_fn_dyn_arg(&args[0]);
    kql_str key = args[1].u.s;
    if (!d || kql_dyn_tag_of(d) != KQL_DYN_OBJECT) {
        *out = kql_bool(false);
        return;
    }
    if (key.len && key.ptr[0] == '$')
        *out = kql_bool(key.len > 1 && follow_path(d, key.ptr, key.len) != NULL);
    else
        *out = kql_bool(kql_dyn_get(d, key.ptr, key.len) != NULL);
}

KQL_FN_RULE(kql_fnt_array_concat, "array_concat", "y*", KQL_DYNAMIC)

/* Null when any argument isn't an array. */
void kql_fn_array_concat(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    uint32_t count = 0;
    for (size_t i = 0; i < n; i++) {
        kql_dyn d = kql_fn_dyn_arg(&args[i]);
        if (!d || kql_dyn_tag_of(d) != KQL_DYN_ARRAY) {
            *out = kql_null(KQL_DYNAMIC);
            return;
        }
        count += kql_dyn_count(d);
    }
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    for (size_t i = 0; i < n; i++) {
        kql_dyn d = (kql_dyn)args[i].u.s.ptr;
        uint32_t k = kql_dyn_count(d);
        kql_dyn e = kql_dyn_first(d);
        for (uint32_t j = 0; j < k; j++, e = kql_dyn_next(e))
            kql_dyn_put_raw(&ctx->scratch, e);
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_gettype, "gettype", "a", KQL_STRING)

/* The runtime type; for a dynamic, the type of what it holds, with the
 * docs' names: "dictionary" for a bag, "null" for parse_json(''), "int" for
 * parse_json('1'). */
void kql_fn_gettype(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    const char *name = kql_type_name(args[0].type);
    if (args[0].type == KQL_DYNAMIC) {
        kql_dyn d = kql_fn_dyn_arg(&args[0]);
        switch (d ? kql_dyn_tag_of(d) : KQL_DYN_NULL) {
        case KQL_DYN_NULL: name = "null"; break;
        case KQL_DYN_FALSE:
        case KQL_DYN_TRUE: name = "bool"; break;
        case KQL_DYN_LONG: {
            int64_t i = kql_dyn_long(d);
            name = i >= INT32_MIN && i <= INT32_MAX ? "int" : "long";
            break;
        }
        case KQL_DYN_REAL: name = "real"; break;
        case KQL_DYN_STRING: name = "string"; break;
        case KQL_DYN_ARRAY: name = "array"; break;
        case KQL_DYN_OBJECT: name = "dictionary"; break;
        case KQL_DYN_DATETIME: name = "datetime"; break;
        case KQL_DYN_TIMESPAN: name = "timespan"; break;
        case KQL_DYN_GUID: name = "guid"; break;
        }
    }
    *out = kql_string(name, strlen(name));
}

/* ---- new_guid ---- */

static uint64_t guid_state;

/* splitmix64: fast and well mixed; new_guid() needs uniqueness, not secrecy */
static uint64_t guid_next(void)
{
    uint64_t z = (guid_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

KQL_FN_RULE(kql_fnt_new_guid, "new_guid", "", KQL_GUID)

/* A random version 4 GUID. The generator is seeded once per process from
 * the kernel (the clock and pid when that fails). */
void kql_fn_new_guid(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)args, (void)n;
    static bool seeded;
    if (!seeded) {
        if (getrandom(&guid_state, sizeof guid_state, GRND_NONBLOCK) != (ssize_t)sizeof guid_state)
            guid_state = (uint64_t)time(NULL) * 0x100000001B3ULL ^ (uint64_t)getpid();
        seeded = true;
    }
    uint64_t hi = guid_next(), lo = guid_next();
    out->type = KQL_GUID;
    out->is_null = false;
    for (int i = 0; i < 8; i++) {
        out->u.g.b[i] = (uint8_t)(hi >> (8 * i));
        out->u.g.b[8 + i] = (uint8_t)(lo >> (8 * i));
    }
    out->u.g.b[6] = (uint8_t)((out->u.g.b[6] & 0x0F) | 0x40);   /* version 4 */
    out->u.g.b[8] = (uint8_t)((out->u.g.b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
}
