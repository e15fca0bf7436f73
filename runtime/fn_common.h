/* fn_common.h - private to the function library (functions.c, fn_*.c,
 * aggregates.c): the implementations the registry table points at, and the
 * helpers they share (argument type checks with uniform error messages,
 * string results, UTF-8 walking, the largest datetime).
 *
 * Nothing here is for the evaluator: it reaches functions only through
 * kql_functions[] / kql_aggregates[].
 */
#ifndef KQL_FN_COMMON_H
#define KQL_FN_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dynamic.h"
#include "functions.h"

/* ---- type rules ----
 * kinds: one letter per argument position:
 *   a any type (string functions render it as text)   s string
 *   n int/long/real   i int/long   b bool   d datetime   t timespan   y dynamic
 * A '*' after a letter repeats it for all remaining arguments. On a mismatch
 * writes "fname(): argument 2 must be a string, got dynamic" into err. */
bool kql_fn_check(const char *fname, const kql_type *args, size_t n, const char *kinds,
                  char *err, size_t errlen);
/* Writes a formatted message into err and returns KQL_TYPE_UNKNOWN. */
kql_type kql_fn_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The common type of branch values (iff, case, coalesce, min_of): equal
 * types, or the widest of int/long/real. UNKNOWN when there is none. */
kql_type kql_fn_common_type(kql_type a, kql_type b);
/* v converted to the numeric type t (int -> long -> real); other values unchanged. */
kql_value kql_fn_widen(const kql_value *v, kql_type t);

/* A type rule for a fixed signature: the function's name, its kinds and its
 * result type. */
#define KQL_FN_RULE(id, fname, kinds, result)                                          \
    kql_type id(const kql_type *args, size_t n, char *err, size_t errlen)              \
    {                                                                                  \
        return kql_fn_check(fname, args, n, kinds, err, errlen) ? (result) : KQL_TYPE_UNKNOWN; \
    }

/* A whole function of a fixed signature: its rule and an implementation
 * whose body is `...` (statements over ctx, args, n and out). For short
 * bodies, above all the families of like functions (sqrt, sin, ...;
 * startofday, getyear, ...). */
#define KQL_FN_DEFINE(name, kinds, result, ...)                                         \
    KQL_FN_RULE(kql_fnt_##name, #name, kinds, result)                                   \
    void kql_fn_##name(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out) \
    {                                                                                   \
        (void)ctx, (void)n;                                                             \
        __VA_ARGS__;                                                                    \
    }

/* ---- values ---- */
/* A string result: copies len bytes into ctx->arena. */
kql_value kql_fn_string_out(kql_fn_ctx *ctx, const char *p, size_t len);
/* A dynamic result: copies the encoding in ctx->scratch[from..] into ctx->arena. */
kql_value kql_fn_dynamic_out(kql_fn_ctx *ctx, size_t from);
/* A slice [p, p+len) of an argument's text: the argument's own bytes when
 * it was a string, else a copy (its text was rendered into the scratch
 * buffer, which the next call reuses). */
kql_value kql_fn_slice_out(kql_fn_ctx *ctx, const kql_value *arg, const char *p, size_t len);
/* The text of each of args[0..n) (strings as they are, other types as
 * tostring() renders them, into ctx->scratch). out[] stays valid until
 * ctx->scratch is touched again. n <= KQL_FN_MAX_TEXTS (the largest max_args
 * of a function that renders its arguments). */
#define KQL_FN_MAX_TEXTS 65
void kql_fn_texts(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_str *out);
/* Null, counting a dynamic that holds JSON null as null too. */
bool kql_fn_is_null(const kql_value *v);
/* A value's number as a double (int, long, real, bool; datetime/timespan ticks). */
double kql_fn_as_real(const kql_value *v);
/* Numeric value of an int/long/real arg as int64 (reals truncated); false
 * for null or a real outside the int64 range. */
bool kql_fn_as_long(const kql_value *v, int64_t *out);

/* ---- dynamic arguments ---- */
/* The dynamic argument's encoding, or NULL for a null or a JSON null. */
kql_dyn kql_fn_dyn_arg(const kql_value *v);
/* The argument's array, or NULL when it is not an array. */
kql_dyn kql_fn_dyn_array(const kql_value *v);
/* Appends any value (a dynamic's encoding, or a scalar) as an element. */
void kql_fn_put_any(kql_buf *out, const kql_value *v);

/* ---- text ---- */
/* The value of a hex digit, or -1. */
static inline int kql_hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* ---- UTF-8 ---- */
/* Code point at s[*i] (advancing *i); a malformed byte counts as one
 * code point of its own, so every input has a length. */
uint32_t kql_utf8_next(const char *s, size_t len, size_t *i);
size_t kql_utf8_count(const char *s, size_t len);
/* Byte offset of code point number cp (len if past the end). */
size_t kql_utf8_offset(const char *s, size_t len, int64_t cp);
size_t kql_utf8_put(uint32_t cp, char *out);   /* out >= 4 bytes */

/* ---- regex (fn_regex.c) ---- */
/* Non-overlapping matches of an RE2-style pattern in text; -1 when the
 * pattern doesn't compile. */
int64_t kql_regex_count(kql_str pattern, kql_str text);

/* The optional start, length and occurrence arguments (args[2..4]) of
 * indexof and indexof_regex, defaulting to 0, -1 and 1; false when one is
 * null (the result is then null). */
static inline bool kql_fn_index_args(const kql_value *args, size_t n, int64_t *start, int64_t *length,
                                     int64_t *occurrence)
{
    *start = 0, *length = -1, *occurrence = 1;
    for (size_t i = 2; i < n; i++)
        if (args[i].is_null) return false;
    if (n > 2) *start = args[2].u.i;
    if (n > 3) *length = args[3].u.i;
    if (n > 4) *occurrence = args[4].u.i;
    return true;
}

/* ---- implementations (one per registry entry) ---- */
#define KQL_FN_DECL(name)                                                               \
    kql_type kql_fnt_##name(const kql_type *args, size_t n, char *err, size_t errlen);  \
    void kql_fn_##name(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out);

/* fn_convert.c */
KQL_FN_DECL(tostring) KQL_FN_DECL(toint) KQL_FN_DECL(tolong) KQL_FN_DECL(toreal)
KQL_FN_DECL(tobool) KQL_FN_DECL(todatetime) KQL_FN_DECL(totimespan) KQL_FN_DECL(toguid)
KQL_FN_DECL(todynamic)
/* fn_string.c */
KQL_FN_DECL(strlen) KQL_FN_DECL(string_size) KQL_FN_DECL(tolower) KQL_FN_DECL(toupper)
KQL_FN_DECL(isempty) KQL_FN_DECL(isnotempty) KQL_FN_DECL(strcat) KQL_FN_DECL(strcat_delim)
KQL_FN_DECL(substring) KQL_FN_DECL(indexof) KQL_FN_DECL(replace_string) KQL_FN_DECL(split)
KQL_FN_DECL(reverse) KQL_FN_DECL(countof) KQL_FN_DECL(strcat_array) KQL_FN_DECL(strrep)
KQL_FN_DECL(strcmp) KQL_FN_DECL(replace_strings)
/* fn_datetime.c */
KQL_FN_DECL(ago) KQL_FN_DECL(now) KQL_FN_DECL(bin) KQL_FN_DECL(bin_at)
KQL_FN_DECL(startofday) KQL_FN_DECL(startofweek) KQL_FN_DECL(startofmonth) KQL_FN_DECL(startofyear)
KQL_FN_DECL(endofday) KQL_FN_DECL(endofweek) KQL_FN_DECL(endofmonth) KQL_FN_DECL(endofyear)
KQL_FN_DECL(dayofweek) KQL_FN_DECL(dayofmonth) KQL_FN_DECL(dayofyear) KQL_FN_DECL(getyear)
KQL_FN_DECL(getmonth) KQL_FN_DECL(hourofday) KQL_FN_DECL(minuteofhour) KQL_FN_DECL(secondofminute)
KQL_FN_DECL(datetime_add) KQL_FN_DECL(datetime_diff) KQL_FN_DECL(make_datetime)
KQL_FN_DECL(unixtime_seconds_todatetime) KQL_FN_DECL(unixtime_milliseconds_todatetime)
KQL_FN_DECL(unixtime_microseconds_todatetime) KQL_FN_DECL(unixtime_nanoseconds_todatetime)
KQL_FN_DECL(datetime_part) KQL_FN_DECL(make_timespan)
/* fn_format.c */
KQL_FN_DECL(format_datetime) KQL_FN_DECL(format_timespan) KQL_FN_DECL(format_bytes)
/* fn_math.c */
KQL_FN_DECL(round) KQL_FN_DECL(abs) KQL_FN_DECL(sqrt) KQL_FN_DECL(pow) KQL_FN_DECL(log)
KQL_FN_DECL(log10) KQL_FN_DECL(log2) KQL_FN_DECL(exp) KQL_FN_DECL(exp2) KQL_FN_DECL(exp10)
KQL_FN_DECL(ceiling) KQL_FN_DECL(sign) KQL_FN_DECL(isnan) KQL_FN_DECL(isinf)
KQL_FN_DECL(isfinite) KQL_FN_DECL(pi) KQL_FN_DECL(min_of) KQL_FN_DECL(max_of)
KQL_FN_DECL(sin) KQL_FN_DECL(cos) KQL_FN_DECL(tan) KQL_FN_DECL(asin) KQL_FN_DECL(acos)
KQL_FN_DECL(atan) KQL_FN_DECL(atan2) KQL_FN_DECL(degrees) KQL_FN_DECL(radians)
/* fn_regex.c */
KQL_FN_DECL(extract) KQL_FN_DECL(extract_all) KQL_FN_DECL(replace_regex) KQL_FN_DECL(trim)
KQL_FN_DECL(trim_start) KQL_FN_DECL(trim_end) KQL_FN_DECL(indexof_regex) KQL_FN_DECL(regex_quote)
/* fn_misc.c */
KQL_FN_DECL(iff) KQL_FN_DECL(case) KQL_FN_DECL(isnull) KQL_FN_DECL(isnotnull)
KQL_FN_DECL(coalesce) KQL_FN_DECL(not) KQL_FN_DECL(array_length) KQL_FN_DECL(pack_array)
KQL_FN_DECL(bag_pack) KQL_FN_DECL(bag_keys) KQL_FN_DECL(bag_has_key) KQL_FN_DECL(array_concat)
KQL_FN_DECL(gettype) KQL_FN_DECL(new_guid)
/* fn_array.c */
KQL_FN_DECL(array_sort_asc) KQL_FN_DECL(array_sort_desc) KQL_FN_DECL(array_reverse)
KQL_FN_DECL(array_slice) KQL_FN_DECL(array_rotate_left) KQL_FN_DECL(array_rotate_right)
KQL_FN_DECL(array_shift_left) KQL_FN_DECL(array_shift_right) KQL_FN_DECL(array_split)
KQL_FN_DECL(array_index_of) KQL_FN_DECL(set_has_element) KQL_FN_DECL(array_sum)
KQL_FN_DECL(array_iff) KQL_FN_DECL(zip) KQL_FN_DECL(range) KQL_FN_DECL(set_union)
KQL_FN_DECL(set_intersect) KQL_FN_DECL(set_difference) KQL_FN_DECL(jaccard_index)
KQL_FN_DECL(bag_merge) KQL_FN_DECL(bag_remove_keys) KQL_FN_DECL(bag_set_key) KQL_FN_DECL(bag_zip)
KQL_FN_DECL(dynamic_to_json)
/* fn_ip.c */
KQL_FN_DECL(ipv4_compare) KQL_FN_DECL(ipv4_is_match) KQL_FN_DECL(ipv4_is_in_range)
KQL_FN_DECL(ipv4_is_in_any_range) KQL_FN_DECL(ipv4_is_private) KQL_FN_DECL(ipv4_netmask_suffix)
KQL_FN_DECL(parse_ipv4) KQL_FN_DECL(parse_ipv4_mask) KQL_FN_DECL(format_ipv4)
KQL_FN_DECL(format_ipv4_mask) KQL_FN_DECL(has_ipv4) KQL_FN_DECL(has_ipv4_prefix)
KQL_FN_DECL(has_any_ipv4) KQL_FN_DECL(has_any_ipv4_prefix) KQL_FN_DECL(parse_ipv6)
KQL_FN_DECL(ipv6_compare) KQL_FN_DECL(ipv6_is_match) KQL_FN_DECL(ipv6_is_in_range)
KQL_FN_DECL(ipv6_is_in_any_range)
/* fn_url.c */
KQL_FN_DECL(parse_url) KQL_FN_DECL(parse_urlquery) KQL_FN_DECL(parse_path)
KQL_FN_DECL(parse_command_line)
/* fn_encode.c */
KQL_FN_DECL(base64_encode_tostring) KQL_FN_DECL(base64_decode_tostring)
KQL_FN_DECL(base64_decode_toarray) KQL_FN_DECL(base64_encode_fromarray)
KQL_FN_DECL(base64_encode_fromguid) KQL_FN_DECL(base64_decode_toguid) KQL_FN_DECL(url_encode)
KQL_FN_DECL(url_encode_component) KQL_FN_DECL(url_decode) KQL_FN_DECL(unicode_codepoints_from_string)
KQL_FN_DECL(unicode_codepoints_to_string) KQL_FN_DECL(isascii) KQL_FN_DECL(isutf8) KQL_FN_DECL(tohex)
KQL_FN_DECL(binary_and) KQL_FN_DECL(binary_or) KQL_FN_DECL(binary_xor) KQL_FN_DECL(binary_not)
KQL_FN_DECL(binary_shift_left) KQL_FN_DECL(binary_shift_right) KQL_FN_DECL(bitset_count_ones)
KQL_FN_DECL(hash) KQL_FN_DECL(hash_md5) KQL_FN_DECL(hash_sha1) KQL_FN_DECL(hash_sha256)

#undef KQL_FN_DECL

#endif
