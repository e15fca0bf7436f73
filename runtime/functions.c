/* functions.c - the registry of built-in scalar functions (kql_functions[])
 * and the helpers the fn_*.c implementations share.
 *
 * The binder finds a function by its exact (case-sensitive, as in Kusto)
 * name, checks arity against min/max_args, asks result_type for the static
 * type, and the evaluator then calls eval once per row. The implementations
 * live in fn_convert.c, fn_string.c, fn_regex.c, fn_datetime.c, fn_format.c,
 * fn_math.c, fn_misc.c, fn_array.c, fn_ip.c, fn_encode.c and fn_url.c.
 */
#include "functions.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dynamic.h"
#include "fn_common.h"

#define FN(nm, impl, lo, hi, sig) { nm, lo, hi, sig, kql_fnt_##impl, kql_fn_##impl }

static const kql_function kql_functions[] = {
    /* conversions */
    FN("tostring", tostring, 1, 1, "tostring(value)"),
    FN("toint", toint, 1, 1, "toint(value)"),
    FN("tolong", tolong, 1, 1, "tolong(value)"),
    FN("toreal", toreal, 1, 1, "toreal(value)"),
    FN("todouble", toreal, 1, 1, "todouble(value)"),
    FN("tobool", tobool, 1, 1, "tobool(value)"),
    FN("toboolean", tobool, 1, 1, "toboolean(value)"),
    FN("todatetime", todatetime, 1, 1, "todatetime(value)"),
    FN("totimespan", totimespan, 1, 1, "totimespan(value)"),
    FN("totime", totimespan, 1, 1, "totime(value)"),
    FN("toguid", toguid, 1, 1, "toguid(value)"),
    FN("todynamic", todynamic, 1, 1, "todynamic(json)"),
    FN("parse_json", todynamic, 1, 1, "parse_json(json)"),
    FN("parsejson", todynamic, 1, 1, "parsejson(json)"),
    /* strings */
    FN("strlen", strlen, 1, 1, "strlen(source)"),
    FN("string_size", string_size, 1, 1, "string_size(source)"),
    FN("tolower", tolower, 1, 1, "tolower(source)"),
    FN("toupper", toupper, 1, 1, "toupper(source)"),
    FN("isempty", isempty, 1, 1, "isempty(value)"),
    FN("isnotempty", isnotempty, 1, 1, "isnotempty(value)"),
    FN("notempty", isnotempty, 1, 1, "notempty(value)"),
    FN("strcat", strcat, 1, 64, "strcat(argument1, argument2 [, argument3 ...])"),
    FN("strcat_delim", strcat_delim, 3, 65, "strcat_delim(delimiter, argument1, argument2 [, ...])"),
    FN("substring", substring, 2, 3, "substring(source, startingIndex [, length])"),
    FN("indexof", indexof, 2, 5, "indexof(string, match [, start [, length [, occurrence]]])"),
    FN("replace_string", replace_string, 3, 3, "replace_string(text, lookup, rewrite)"),
    FN("split", split, 2, 3, "split(source, delimiter [, requestedIndex])"),
    FN("reverse", reverse, 1, 1, "reverse(value)"),
    FN("countof", countof, 2, 3, "countof(source, search [, kind])"),
    FN("strcat_array", strcat_array, 2, 2, "strcat_array(array, delimiter)"),
    FN("strrep", strrep, 2, 3, "strrep(value, multiplier [, delimiter])"),
    FN("strcmp", strcmp, 2, 2, "strcmp(string1, string2)"),
    FN("replace_strings", replace_strings, 3, 3, "replace_strings(text, lookups, rewrites)"),
    /* regular expressions */
    FN("extract", extract, 3, 4, "extract(regex, captureGroup, source [, typeof(type)])"),
    FN("extract_all", extract_all, 2, 3, "extract_all(regex, [captureGroups,] source)"),
    FN("extractall", extract_all, 2, 3, "extractall(regex, [captureGroups,] source)"),
    FN("indexof_regex", indexof_regex, 2, 5,
       "indexof_regex(string, match [, start [, length [, occurrence]]])"),
    FN("regex_quote", regex_quote, 1, 1, "regex_quote(string)"),
    FN("replace_regex", replace_regex, 3, 3, "replace_regex(source, lookup_regex, rewrite_pattern)"),
    FN("trim", trim, 2, 2, "trim(regex, source)"),
    FN("trim_start", trim_start, 2, 2, "trim_start(regex, source)"),
    FN("trim_end", trim_end, 2, 2, "trim_end(regex, source)"),
    /* dates and times */
    FN("ago", ago, 1, 1, "ago(timespan)"),
    FN("now", now, 0, 1, "now([offset])"),
    FN("bin", bin, 2, 2, "bin(value, roundTo)"),
    FN("floor", bin, 2, 2, "floor(value, roundTo)"),
    FN("bin_at", bin_at, 3, 3, "bin_at(value, bin_size, fixed_point)"),
    FN("startofday", startofday, 1, 2, "startofday(date [, offset])"),
    FN("startofweek", startofweek, 1, 2, "startofweek(date [, offset])"),
    FN("startofmonth", startofmonth, 1, 2, "startofmonth(date [, offset])"),
    FN("startofyear", startofyear, 1, 2, "startofyear(date [, offset])"),
    FN("endofday", endofday, 1, 2, "endofday(date [, offset])"),
    FN("endofweek", endofweek, 1, 2, "endofweek(date [, offset])"),
    FN("endofmonth", endofmonth, 1, 2, "endofmonth(date [, offset])"),
    FN("endofyear", endofyear, 1, 2, "endofyear(date [, offset])"),
    FN("dayofweek", dayofweek, 1, 1, "dayofweek(date)"),
    FN("dayofmonth", dayofmonth, 1, 1, "dayofmonth(date)"),
    FN("dayofyear", dayofyear, 1, 1, "dayofyear(date)"),
    FN("getyear", getyear, 1, 1, "getyear(date)"),
    FN("getmonth", getmonth, 1, 1, "getmonth(date)"),
    FN("monthofyear", getmonth, 1, 1, "monthofyear(date)"),
    FN("hourofday", hourofday, 1, 1, "hourofday(date)"),
    FN("minuteofhour", minuteofhour, 1, 1, "minuteofhour(date)"),
    FN("secondofminute", secondofminute, 1, 1, "secondofminute(date)"),
    FN("datetime_add", datetime_add, 3, 3, "datetime_add(period, amount, datetime)"),
    FN("datetime_diff", datetime_diff, 3, 3, "datetime_diff(period, datetime1, datetime2)"),
    FN("datetime_part", datetime_part, 2, 2, "datetime_part(part, datetime)"),
    FN("datepart", datetime_part, 2, 2, "datepart(part, datetime)"),
    FN("make_timespan", make_timespan, 2, 4,
       "make_timespan(hour, minute) | (hour, minute, second) | (day, hour, minute, second)"),
    FN("format_datetime", format_datetime, 2, 2, "format_datetime(datetime, format)"),
    FN("format_timespan", format_timespan, 2, 2, "format_timespan(timespan, format)"),
    FN("make_datetime", make_datetime, 3, 7,
       "make_datetime(year, month, day [, hour, minute [, second]])"),
    FN("unixtime_seconds_todatetime", unixtime_seconds_todatetime, 1, 1,
       "unixtime_seconds_todatetime(seconds)"),
    FN("unixtime_milliseconds_todatetime", unixtime_milliseconds_todatetime, 1, 1,
       "unixtime_milliseconds_todatetime(milliseconds)"),
    FN("unixtime_microseconds_todatetime", unixtime_microseconds_todatetime, 1, 1,
       "unixtime_microseconds_todatetime(microseconds)"),
    FN("unixtime_nanoseconds_todatetime", unixtime_nanoseconds_todatetime, 1, 1,
       "unixtime_nanoseconds_todatetime(nanoseconds)"),
    /* math */
    FN("round", round, 1, 2, "round(number [, precision])"),
    FN("abs", abs, 1, 1, "abs(x)"),
    FN("sqrt", sqrt, 1, 1, "sqrt(number)"),
    FN("pow", pow, 2, 2, "pow(base, exponent)"),
    FN("log", log, 1, 1, "log(number)"),
    FN("log10", log10, 1, 1, "log10(number)"),
    FN("log2", log2, 1, 1, "log2(number)"),
    FN("exp", exp, 1, 1, "exp(x)"),
    FN("exp2", exp2, 1, 1, "exp2(x)"),
    FN("exp10", exp10, 1, 1, "exp10(x)"),
    FN("ceiling", ceiling, 1, 1, "ceiling(number)"),
    FN("sign", sign, 1, 1, "sign(number)"),
    FN("isnan", isnan, 1, 1, "isnan(number)"),
    FN("isinf", isinf, 1, 1, "isinf(number)"),
    FN("isfinite", isfinite, 1, 1, "isfinite(number)"),
    FN("pi", pi, 0, 0, "pi()"),
    FN("min_of", min_of, 2, 64, "min_of(arg, arg_2 [, arg_3, ...])"),
    FN("max_of", max_of, 2, 64, "max_of(arg, arg_2 [, arg_3, ...])"),
    FN("sin", sin, 1, 1, "sin(number)"),
    FN("cos", cos, 1, 1, "cos(number)"),
    FN("tan", tan, 1, 1, "tan(number)"),
    FN("asin", asin, 1, 1, "asin(number)"),
    FN("acos", acos, 1, 1, "acos(number)"),
    FN("atan", atan, 1, 1, "atan(number)"),
    FN("atan2", atan2, 2, 2, "atan2(y, x)"),
    FN("degrees", degrees, 1, 1, "degrees(radians)"),
    FN("radians", radians, 1, 1, "radians(degrees)"),
    /* conditionals, nulls, dynamic */
    FN("iff", iff, 3, 3, "iff(if, then, else)"),
    FN("iif", iff, 3, 3, "iif(if, then, else)"),
    FN("case", case, 3, -1, "case(predicate_1, then_1, [predicate_2, then_2, ...] else)"),
    FN("isnull", isnull, 1, 1, "isnull(value)"),
    FN("isnotnull", isnotnull, 1, 1, "isnotnull(value)"),
    FN("notnull", isnotnull, 1, 1, "notnull(value)"),
    FN("coalesce", coalesce, 2, 64, "coalesce(arg, arg_2 [, arg_3, ...])"),
    FN("not", not, 1, 1, "not(expr)"),
    FN("array_length", array_length, 1, 1, "array_length(array)"),
    FN("pack_array", pack_array, 1, -1, "pack_array(value1 [, value2, ...])"),
    FN("bag_pack", bag_pack, 0, -1, "bag_pack(key1, value1 [, key2, value2, ...])"),
    FN("pack", bag_pack, 0, -1, "pack(key1, value1 [, key2, value2, ...])"),
    FN("bag_keys", bag_keys, 1, 1, "bag_keys(object)"),
    FN("bag_has_key", bag_has_key, 2, 2, "bag_has_key(bag, key)"),
    FN("array_concat", array_concat, 1, -1, "array_concat(array1 [, array2, ...])"),
    FN("gettype", gettype, 1, 1, "gettype(value)"),
    FN("new_guid", new_guid, 0, 0, "new_guid()"),
    /* arrays, sets and bags */
    FN("array_sort_asc", array_sort_asc, 1, 64, "array_sort_asc(array1 [, ..., arrayN] [, nulls_last])"),
    FN("array_sort_desc", array_sort_desc, 1, 64, "array_sort_desc(array1 [, ..., arrayN] [, nulls_last])"),
    FN("array_reverse", array_reverse, 1, 1, "array_reverse(value)"),
    FN("array_slice", array_slice, 3, 3, "array_slice(array, start, end)"),
    FN("array_rotate_left", array_rotate_left, 2, 2, "array_rotate_left(array, rotate_count)"),
    FN("array_rotate_right", array_rotate_right, 2, 2, "array_rotate_right(array, rotate_count)"),
    FN("array_shift_left", array_shift_left, 2, 3, "array_shift_left(array, shift_count [, fill_value])"),
    FN("array_shift_right", array_shift_right, 2, 3, "array_shift_right(array, shift_count [, fill_value])"),
    FN("array_split", array_split, 2, 2, "array_split(array, index)"),
    FN("array_index_of", array_index_of, 2, 5,
       "array_index_of(array, value [, start [, length [, occurrence]]])"),
    FN("set_has_element", set_has_element, 2, 2, "set_has_element(set, value)"),
    FN("array_sum", array_sum, 1, 1, "array_sum(array)"),
    FN("array_iff", array_iff, 3, 3, "array_iff(condition_array, when_true, when_false)"),
    FN("array_iif", array_iff, 3, 3, "array_iif(condition_array, when_true, when_false)"),
    FN("zip", zip, 2, 16, "zip(array1, array2 [, ...])"),
    FN("range", range, 2, 3, "range(start, stop [, step])"),
    FN("set_union", set_union, 2, 64, "set_union(set1, set2 [, set3, ...])"),
    FN("set_intersect", set_intersect, 2, 64, "set_intersect(set1, set2 [, set3, ...])"),
    FN("set_difference", set_difference, 2, 64, "set_difference(set1, set2 [, set3, ...])"),
    FN("jaccard_index", jaccard_index, 2, 2, "jaccard_index(set1, set2)"),
    FN("bag_merge", bag_merge, 2, 64, "bag_merge(bag1, bag2 [, bag3, ...])"),
    FN("bag_remove_keys", bag_remove_keys, 2, 2, "bag_remove_keys(bag, keys)"),
    FN("bag_set_key", bag_set_key, 3, 3, "bag_set_key(bag, key, value)"),
    FN("bag_zip", bag_zip, 2, 2, "bag_zip(keys, values)"),
    FN("dynamic_to_json", dynamic_to_json, 1, 1, "dynamic_to_json(value)"),
    /* IPv4 */
    FN("ipv4_compare", ipv4_compare, 2, 3, "ipv4_compare(ip1, ip2 [, prefix])"),
    FN("ipv4_is_match", ipv4_is_match, 2, 3, "ipv4_is_match(ip1, ip2 [, prefix])"),
    FN("ipv4_is_in_range", ipv4_is_in_range, 2, 2, "ipv4_is_in_range(ip, range)"),
    FN("ipv4_is_in_any_range", ipv4_is_in_any_range, 2, 64,
       "ipv4_is_in_any_range(ip, range [, range ...] | ranges_array)"),
    FN("ipv4_is_private", ipv4_is_private, 1, 1, "ipv4_is_private(ip)"),
    FN("ipv4_netmask_suffix", ipv4_netmask_suffix, 1, 1, "ipv4_netmask_suffix(ip)"),
    FN("parse_ipv4", parse_ipv4, 1, 1, "parse_ipv4(ip)"),
    FN("parse_ipv4_mask", parse_ipv4_mask, 2, 2, "parse_ipv4_mask(ip, prefix)"),
    FN("format_ipv4", format_ipv4, 1, 2, "format_ipv4(ip [, prefix])"),
    FN("format_ipv4_mask", format_ipv4_mask, 1, 2, "format_ipv4_mask(ip [, prefix])"),
    FN("has_ipv4", has_ipv4, 2, 2, "has_ipv4(source, ip_address)"),
    FN("has_ipv4_prefix", has_ipv4_prefix, 2, 2, "has_ipv4_prefix(source, ip_address_prefix)"),
    FN("has_any_ipv4", has_any_ipv4, 2, 64, "has_any_ipv4(source, ip [, ip ...] | ip_array)"),
    FN("has_any_ipv4_prefix", has_any_ipv4_prefix, 2, 64,
       "has_any_ipv4_prefix(source, prefix [, prefix ...] | prefix_array)"),
    /* IPv6 (and IPv4 as IPv6) */
    FN("parse_ipv6", parse_ipv6, 1, 1, "parse_ipv6(ip)"),
    FN("ipv6_compare", ipv6_compare, 2, 3, "ipv6_compare(ip1, ip2 [, prefix])"),
    FN("ipv6_is_match", ipv6_is_match, 2, 3, "ipv6_is_match(ip1, ip2 [, prefix])"),
    FN("ipv6_is_in_range", ipv6_is_in_range, 2, 2, "ipv6_is_in_range(ip, range)"),
    FN("ipv6_is_in_any_range", ipv6_is_in_any_range, 2, 64,
       "ipv6_is_in_any_range(ip, range [, range ...] | ranges_array)"),
    /* URLs, paths and command lines */
    FN("parse_url", parse_url, 1, 1, "parse_url(url)"),
    FN("parseurl", parse_url, 1, 1, "parseurl(url)"),
    FN("parse_urlquery", parse_urlquery, 1, 1, "parse_urlquery(query)"),
    FN("parseurlquery", parse_urlquery, 1, 1, "parseurlquery(query)"),
    FN("parse_path", parse_path, 1, 1, "parse_path(path)"),
    FN("parse_command_line", parse_command_line, 2, 2, "parse_command_line(command_line, parser_type)"),
    /* formatting */
    FN("format_bytes", format_bytes, 1, 3, "format_bytes(size [, precision [, units]])"),
    /* encodings and hashes */
    FN("base64_encode_tostring", base64_encode_tostring, 1, 1, "base64_encode_tostring(string)"),
    FN("base64_decode_tostring", base64_decode_tostring, 1, 1, "base64_decode_tostring(base64_string)"),
    FN("base64_decode_toarray", base64_decode_toarray, 1, 1, "base64_decode_toarray(base64_string)"),
    FN("base64_encode_fromarray", base64_encode_fromarray, 1, 1, "base64_encode_fromarray(base64_string_decoded_as_array)"),
    FN("base64_encode_fromguid", base64_encode_fromguid, 1, 1, "base64_encode_fromguid(guid)"),
    FN("base64_decode_toguid", base64_decode_toguid, 1, 1, "base64_decode_toguid(base64_string)"),
    FN("url_encode", url_encode, 1, 1, "url_encode(url)"),
    FN("url_encode_component", url_encode_component, 1, 1, "url_encode_component(url)"),
    FN("url_decode", url_decode, 1, 1, "url_decode(encoded_url)"),
    FN("unicode_codepoints_from_string", unicode_codepoints_from_string, 1, 1,
       "unicode_codepoints_from_string(value)"),
    FN("unicode_codepoints_to_string", unicode_codepoints_to_string, 1, 64,
       "unicode_codepoints_to_string(values, ...)"),
    FN("isascii", isascii, 1, 1, "isascii(value)"),
    FN("isutf8", isutf8, 1, 1, "isutf8(value)"),
    FN("tohex", tohex, 1, 2, "tohex(value [, minLength])"),
    FN("binary_and", binary_and, 2, 2, "binary_and(value1, value2)"),
    FN("binary_or", binary_or, 2, 2, "binary_or(value1, value2)"),
    FN("binary_xor", binary_xor, 2, 2, "binary_xor(value1, value2)"),
    FN("binary_not", binary_not, 1, 1, "binary_not(value)"),
    FN("binary_shift_left", binary_shift_left, 2, 2, "binary_shift_left(value, shift)"),
    FN("binary_shift_right", binary_shift_right, 2, 2, "binary_shift_right(value, shift)"),
    FN("bitset_count_ones", bitset_count_ones, 1, 1, "bitset_count_ones(value)"),
    FN("hash", hash, 1, 2, "hash(source [, mod])"),
    FN("hash_xxhash64", hash, 1, 2, "hash_xxhash64(source [, mod])"),
    FN("hash_md5", hash_md5, 1, 1, "hash_md5(source)"),
    FN("hash_sha1", hash_sha1, 1, 1, "hash_sha1(source)"),
    FN("hash_sha256", hash_sha256, 1, 1, "hash_sha256(source)"),
};

const kql_function *kql_function_find(const char *name)
{
    /* Linear: the binder looks each call site up once, not per row. */
    for (size_t i = 0; i < sizeof kql_functions / sizeof kql_functions[0]; i++)
        if (strcmp(kql_functions[i].name, name) == 0)
            return &kql_functions[i];
    return NULL;
}

void kql_function_each_name(void (*fn)(const char *name, void *arg), void *arg)
{
    for (size_t i = 0; i < sizeof kql_functions / sizeof kql_functions[0]; i++)
        fn(kql_functions[i].name, arg);
}

/* ---- type rules ---- */

kql_type kql_fn_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return KQL_TYPE_UNKNOWN;
}

static bool kind_accepts(char kind, kql_type t)
{
    switch (kind) {
    case 'a': return t > KQL_TYPE_UNKNOWN && t < KQL_TYPE_COUNT;
    case 's': return t == KQL_STRING;
    case 'n': return t == KQL_INT || t == KQL_LONG || t == KQL_REAL;
    case 'i': return t == KQL_INT || t == KQL_LONG;
    case 'b': return t == KQL_BOOL;
    case 'd': return t == KQL_DATETIME;
    case 't': return t == KQL_TIMESPAN;
    case 'y': return t == KQL_DYNAMIC;
    default: return false;
    }
}

static const char *kind_name(char kind)
{
    switch (kind) {
    case 's': return "a string";
    case 'n': return "a number (int, long or real)";
    case 'i': return "an integer (int or long)";
    case 'b': return "a bool";
    case 'd': return "a datetime";
    case 't': return "a timespan";
    case 'y': return "a dynamic";
    default: return "a scalar";
    }
}

bool kql_fn_check(const char *fname, const kql_type *args, size_t n, const char *kinds,
                  char *err, size_t errlen)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (kinds[k] == '\0') {
            kql_fn_fail(err, errlen, "%s(): too many arguments (%zu)", fname, n);
            return false;
        }
        char kind = kinds[k];
        if (kinds[k + 1] != '*')
            k++;
        if (!kind_accepts(kind, args[i])) {
            kql_type t = args[i];
            kql_fn_fail(err, errlen, "%s(): argument %zu must be %s, got %s", fname, i + 1,
                        kind_name(kind),
                        t > KQL_TYPE_UNKNOWN && t < KQL_TYPE_COUNT ? kql_type_name(t) : "unknown");
            return false;
        }
    }
    return true;
}

static int numeric_rank(kql_type t)
{
    return t == KQL_INT ? 1 : t == KQL_LONG ? 2 : t == KQL_REAL ? 3 : 0;
}

kql_type kql_fn_common_type(kql_type a, kql_type b)
{
    if (a == b)
        return a;
    int ra = numeric_rank(a), rb = numeric_rank(b);
    if (ra && rb)
        return ra > rb ? a : b;
    return KQL_TYPE_UNKNOWN;
}

kql_value kql_fn_widen(const kql_value *v, kql_type t)
{
    if (v->type == t || !numeric_rank(t) || !numeric_rank(v->type))
        return *v;
    if (v->is_null)
        return kql_null(t);
    if (t == KQL_REAL)
        return kql_real(v->type == KQL_REAL ? v->u.r : (double)v->u.i);
    return kql_long(v->u.i);  /* int -> long: same representation */
}

/* ---- values ---- */

kql_value kql_fn_string_out(kql_fn_ctx *ctx, const char *p, size_t len)
{
    if (len == 0)
        return kql_string("", 0);
    return kql_string(kql_arena_dup(ctx->arena, p, len), len);
}

kql_value kql_fn_dynamic_out(kql_fn_ctx *ctx, size_t from)
{
    size_t len = ctx->scratch.len - from;
    kql_value v;
    v.type = KQL_DYNAMIC;
    v.is_null = false;
    v.u.s.ptr = kql_arena_dup(ctx->arena, ctx->scratch.data + from, len);
    v.u.s.len = (uint32_t)len;
    return v;
}

kql_value kql_fn_slice_out(kql_fn_ctx *ctx, const kql_value *arg, const char *p, size_t len)
{
    if (arg->type == KQL_STRING)
        return kql_string(len ? p : "", len);
    return kql_fn_string_out(ctx, p, len);
}

void kql_fn_texts(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_str *out)
{
    /* Render everything first and point into the buffer afterwards: the
     * scratch buffer may move while it grows. */
    size_t off[KQL_FN_MAX_TEXTS];
    kql_buf_clear(&ctx->scratch);
    for (size_t i = 0; i < n && i < KQL_FN_MAX_TEXTS; i++) {
        if (args[i].type == KQL_STRING) {
            out[i] = args[i].u.s;
            continue;
        }
        off[i] = ctx->scratch.len;
        kql_value_to_text(&args[i], &ctx->scratch);
        out[i].len = (uint32_t)(ctx->scratch.len - off[i]);
    }
    for (size_t i = 0; i < n && i < KQL_FN_MAX_TEXTS; i++)
        if (args[i].type != KQL_STRING)
            out[i].ptr = out[i].len ? ctx->scratch.data + off[i] : "";
}

bool kql_fn_is_null(const kql_value *v)
{
    return v->is_null ||
           (v->type == KQL_DYNAMIC && kql_dyn_tag_of((kql_dyn)v->u.s.ptr) == KQL_DYN_NULL);
}

double kql_fn_as_real(const kql_value *v)
{
    switch (v->type) {
    case KQL_REAL: return v->u.r;
    case KQL_BOOL: return v->u.b ? 1.0 : 0.0;
    default: return (double)v->u.i;
    }
}

bool kql_fn_as_long(const kql_value *v, int64_t *out)
{
    if (v->is_null)
        return false;
    if (v->type == KQL_REAL) {
        /* -2^63 is exact in a double; 2^63 is the first value past the range */
        if (!(v->u.r >= -9223372036854775808.0 && v->u.r < 9223372036854775808.0))
            return false;
        *out = (int64_t)v->u.r;
        return true;
    }
    if (v->type == KQL_BOOL) {
        *out = v->u.b;
        return true;
    }
    *out = v->u.i;
    return true;
}

/* ---- dynamic arguments ---- */

kql_dyn kql_fn_dyn_arg(const kql_value *v)
{
    return kql_fn_is_null(v) ? NULL : (kql_dyn)v->u.s.ptr;
}

kql_dyn kql_fn_dyn_array(const kql_value *v)
{
    kql_dyn d = v->type == KQL_DYNAMIC ? kql_fn_dyn_arg(v) : NULL;
    return d && kql_dyn_tag_of(d) == KQL_DYN_ARRAY ? d : NULL;
}

void kql_fn_put_any(kql_buf *out, const kql_value *v)
{
    if (v->type == KQL_DYNAMIC && !v->is_null)
        kql_dyn_put_raw(out, (kql_dyn)v->u.s.ptr);
    else if (v->type == KQL_DYNAMIC)
        kql_dyn_put_null(out);
    else
        kql_dyn_put_value(out, v);
}

/* ---- UTF-8 ---- */

uint32_t kql_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    unsigned c = p[0];
    size_t need = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                : (c & 0xF8) == 0xF0 ? 3 : 4;
    if (need == 0 || need == 4 || need >= left) {
        (*i)++;
        return c;
    }
    uint32_t cp = c & (0x3F >> need);
    for (size_t k = 1; k <= need; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            (*i)++;
            return c;
        }
        cp = cp << 6 | (p[k] & 0x3F);
    }
    *i += need + 1;
    return cp;
}

size_t kql_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++)
        kql_utf8_next(s, len, &i);
    return n;
}

size_t kql_utf8_offset(const char *s, size_t len, int64_t cp)
{
    size_t i = 0;
    for (int64_t k = 0; k < cp && i < len; k++)
        kql_utf8_next(s, len, &i);
    return i;
}

size_t kql_utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
