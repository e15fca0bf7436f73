/* fn_string.c - string functions: strlen, string_size, tolower, toupper,
 * isempty, isnotempty, strcat, strcat_delim, substring, indexof,
 * replace_string, replace_strings, split, reverse, countof, strcat_array,
 * strrep, strcmp.
 * (The regex functions are in fn_regex.c.)
 *
 * Positions and lengths count Unicode code points, as Kusto does
 * (strlen("⒦⒰⒮⒯⒪") = 5, NOTES §16). Functions that Kusto documents as
 * forcing their arguments to strings (NOTES §17) accept any type and render
 * it as tostring() would. Results are copied into ctx->arena, except when a
 * result is an argument string itself or a slice of one.
 */
#include <string.h>

#include "dynamic.h"
#include "fn_common.h"

/* Longest strrep() result, in repetitions: Kusto caps the multiplier. */
#define KQL_STRREP_MAX 1024

/* kql_fn_texts, with rendered texts moved to the arena so that the scratch
 * buffer is free for building the result (rendering is the rare case). */
static void stable_texts(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_str *out)
{
    kql_fn_texts(ctx, args, n, out);
    for (size_t i = 0; i < n; i++)
        if (args[i].type != KQL_STRING && out[i].len)
            out[i].ptr = kql_arena_dup(ctx->arena, out[i].ptr, out[i].len);
}

KQL_FN_RULE(kql_fnt_strlen, "strlen", "a", KQL_LONG)

void kql_fn_strlen(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str s;
    kql_fn_texts(ctx, args, 1, &s);
    *out = kql_long((int64_t)kql_utf8_count(s.ptr, s.len));
}

KQL_FN_RULE(kql_fnt_string_size, "string_size", "a", KQL_LONG)

void kql_fn_string_size(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str s;
    kql_fn_texts(ctx, args, 1, &s);
    *out = kql_long(s.len);
}

/* Simple case mapping for the scripts log data mostly holds: ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic. Every pair maps between
 * code points of the same UTF-8 length, so the result is as long as the
 * input and can be written in one pass. */
static uint32_t map_case(uint32_t c, bool upper)
{
    if (c < 0x80) {
        if (upper)
            return c >= 'a' && c <= 'z' ? c - 32 : c;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
    if (upper) {
        if ((c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) ||
            (c >= 0x430 && c <= 0x44F))
            return c - 32;
        if (c == 0xFF)
            return 0x178;
        if (c >= 0x450 && c <= 0x45F)
            return c - 80;
        if ((c >= 0x101 && c <= 0x137 && c % 2 == 1 && c != 0x131) ||
            (c >= 0x14B && c <= 0x177 && c % 2 == 1))
            return c - 1;
        if ((c >= 0x13A && c <= 0x148 && c % 2 == 0) || (c >= 0x17A && c <= 0x17E && c % 2 == 0))
            return c - 1;
        return c;
    }
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) ||
        (c >= 0x410 && c <= 0x42F))
        return c + 32;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if ((c >= 0x100 && c <= 0x136 && c % 2 == 0 && c != 0x130) ||
        (c >= 0x14A && c <= 0x176 && c % 2 == 0))
        return c + 1;
    if ((c >= 0x139 && c <= 0x147 && c % 2 == 1) || (c >= 0x179 && c <= 0x17D && c % 2 == 1))
        return c + 1;
    return c;
}

static void change_case(kql_fn_ctx *ctx, const kql_value *args, kql_value *out, bool upper)
{
    kql_str s;
    kql_fn_texts(ctx, args, 1, &s);
    /* Most values need no change: find the first byte that does. */
    size_t first = 0;
    for (; first < s.len; first++) {
        unsigned char c = (unsigned char)s.ptr[first];
        if (c >= 0x80 || map_case(c, upper) != c)
            break;
    }
    if (first == s.len) {
        *out = kql_fn_slice_out(ctx, &args[0], s.ptr, s.len);
        return;
    }
    char *dst = kql_arena_alloc(ctx->arena, s.len);
    memcpy(dst, s.ptr, first);
    for (size_t i = first; i < s.len;) {
        size_t at = i;
        uint32_t c = kql_utf8_next(s.ptr, s.len, &i);
        uint32_t m = map_case(c, upper);
        char enc[4];
        /* a malformed byte decodes to itself; keep it rather than re-encode */
        if (m != c && kql_utf8_put(m, enc) == i - at)
            memcpy(dst + at, enc, i - at);
        else
            memcpy(dst + at, s.ptr + at, i - at);
    }
    *out = kql_string(dst, s.len);
}

KQL_FN_RULE(kql_fnt_tolower, "tolower", "a", KQL_STRING)

void kql_fn_tolower(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    change_case(ctx, args, out, false);
}

KQL_FN_RULE(kql_fnt_toupper, "toupper", "a", KQL_STRING)

void kql_fn_toupper(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    change_case(ctx, args, out, true);
}

/* isempty: an empty string, or null (a dynamic null or "" too). */
static bool value_is_empty(const kql_value *v)
{
    if (v->is_null)
        return true;
    if (v->type == KQL_STRING)
        return v->u.s.len == 0;
    if (v->type == KQL_DYNAMIC) {
        kql_dyn d = (kql_dyn)v->u.s.ptr;
        kql_dyn_tag tag = kql_dyn_tag_of(d);
        return tag == KQL_DYN_NULL || (tag == KQL_DYN_STRING && kql_dyn_string(d).len == 0);
    }
    return false;
}

KQL_FN_DEFINE(isempty, "a", KQL_BOOL, *out = kql_bool(value_is_empty(&args[0])))
KQL_FN_DEFINE(isnotempty, "a", KQL_BOOL, *out = kql_bool(!value_is_empty(&args[0])))

/* Joins texts with an optional delimiter straight into the arena. */
static kql_value join_out(kql_fn_ctx *ctx, const kql_str *parts, size_t n, kql_str delim)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += parts[i].len + (i ? delim.len : 0);
    if (total == 0)
        return kql_string("", 0);
    char *dst = kql_arena_alloc(ctx->arena, total), *p = dst;
    for (size_t i = 0; i < n; i++) {
        if (i && delim.len) {
            memcpy(p, delim.ptr, delim.len);
            p += delim.len;
        }
        if (parts[i].len)
            memcpy(p, parts[i].ptr, parts[i].len);
        p += parts[i].len;
    }
    return kql_string(dst, total);
}

/* The arguments' texts joined: with nothing between them, or (delimited,
 * strcat_delim) with the first one's text between the rest. */
static kql_value cat_out(kql_fn_ctx *ctx, const kql_value *args, size_t n, bool delimited)
{
    kql_str parts[KQL_FN_MAX_TEXTS];
    if (n > KQL_FN_MAX_TEXTS)
        n = KQL_FN_MAX_TEXTS;
    kql_fn_texts(ctx, args, n, parts);
    return delimited ? join_out(ctx, parts + 1, n - 1, parts[0])
                     : join_out(ctx, parts, n, (kql_str){ "", 0 });
}

KQL_FN_RULE(kql_fnt_strcat, "strcat", "a*", KQL_STRING)

void kql_fn_strcat(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    *out = cat_out(ctx, args, n, false);
}

KQL_FN_RULE(kql_fnt_strcat_delim, "strcat_delim", "a*", KQL_STRING)

void kql_fn_strcat_delim(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    *out = cat_out(ctx, args, n, true);
}

KQL_FN_RULE(kql_fnt_substring, "substring", "aii", KQL_STRING)

/* substring(s, start [, length]): code points; a negative start counts from
 * the end (substring("123456", -2, 2) = "56", NOTES §16); the range is
 * clipped to the string; null or negative bounds give "". */
void kql_fn_substring(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_str s;
    kql_fn_texts(ctx, args, 1, &s);
    int64_t start = args[1].u.i, count = -1;
    if (args[1].is_null || (n > 2 && (args[2].is_null || args[2].u.i < 0))) {
        *out = kql_string("", 0);
        return;
    }
    if (n > 2)
        count = args[2].u.i;
    if (start < 0) {
        int64_t total = (int64_t)kql_utf8_count(s.ptr, s.len);
        start = start < -total ? 0 : total + start;
    }
    size_t from = kql_utf8_offset(s.ptr, s.len, start);
    size_t to = count < 0 ? s.len : from + kql_utf8_offset(s.ptr + from, s.len - from, count);
    *out = kql_fn_slice_out(ctx, &args[0], s.ptr + from, to - from);
}

/* Byte offset of needle in hay[from..limit), or -1. */
static int64_t find_bytes(kql_str hay, size_t from, size_t limit, kql_str needle)
{
    if (needle.len > limit - from)
        return -1;
    if (needle.len == 0)
        return (int64_t)from;
    for (size_t i = from; i + needle.len <= limit; i++)
        if (hay.ptr[i] == needle.ptr[0] && memcmp(hay.ptr + i, needle.ptr, needle.len) == 0)
            return (int64_t)i;
    return -1;
}

KQL_FN_RULE(kql_fnt_indexof, "indexof", "aaiii", KQL_LONG)

/* indexof(s, match [, start [, length [, occurrence]]]): the docs' rules:
 * a negative start counts from the end; length -1 means no limit; null for
 * start < 0 (after that), length < -1 or occurrence < 0. Each further
 * occurrence is searched from one past the previous one, within `length`
 * code points of where that search starts (the docs' idx8 example). */
void kql_fn_indexof(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_str t[2];
    kql_fn_texts(ctx, args, 2, t);
    int64_t start, length, occurrence;
    if (!kql_fn_index_args(args, n, &start, &length, &occurrence)) {
        *out = kql_null(KQL_LONG);
        return;
    }
    int64_t total = (int64_t)kql_utf8_count(t[0].ptr, t[0].len);
    if (start < 0)
        start += total;
    if (start < 0 || length < -1 || occurrence < 0) {
        *out = kql_null(KQL_LONG);
        return;
    }
    if (occurrence == 0 || start > total) {
        *out = kql_long(-1);
        return;
    }
    size_t pos = kql_utf8_offset(t[0].ptr, t[0].len, start);
    for (int64_t k = 1;; k++) {
        size_t limit = length < 0 ? t[0].len
                                  : pos + kql_utf8_offset(t[0].ptr + pos, t[0].len - pos, length);
        int64_t at = find_bytes(t[0], pos, limit, t[1]);
        if (at < 0) {
            *out = kql_long(-1);
            return;
        }
        if (k == occurrence) {
            *out = kql_long((int64_t)kql_utf8_count(t[0].ptr, (size_t)at));
            return;
        }
        pos = (size_t)at;
        if (pos >= t[0].len) {   /* an empty match at the very end: nothing follows */
            *out = kql_long(-1);
            return;
        }
        kql_utf8_next(t[0].ptr, t[0].len, &pos);
    }
}

KQL_FN_RULE(kql_fnt_replace_string, "replace_string", "aaa", KQL_STRING)

/* Non-overlapping, left to right; an empty lookup changes nothing. */
void kql_fn_replace_string(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str t[3];
    kql_fn_texts(ctx, args, 3, t);
    kql_str text = t[0], look = t[1], with = t[2];
    size_t hits = 0;
    for (int64_t at = 0; look.len && (at = find_bytes(text, (size_t)at, text.len, look)) >= 0;
         at += look.len)
        hits++;
    if (hits == 0) {
        *out = kql_fn_slice_out(ctx, &args[0], text.ptr, text.len);
        return;
    }
    size_t total = text.len - hits * look.len + hits * with.len;
    if (total == 0) {
        *out = kql_string("", 0);
        return;
    }
    char *dst = kql_arena_alloc(ctx->arena, total), *p = dst;
    size_t from = 0;
    int64_t at;
    while ((at = find_bytes(text, from, text.len, look)) >= 0) {
        memcpy(p, text.ptr + from, (size_t)at - from);
        p += (size_t)at - from;
        if (with.len)
            memcpy(p, with.ptr, with.len);
        p += with.len;
        from = (size_t)at + look.len;
    }
    memcpy(p, text.ptr + from, text.len - from);
    *out = kql_string(dst, total);
}

KQL_FN_RULE(kql_fnt_replace_strings, "replace_strings", "syy", KQL_STRING)

/* Marks in owner[] (one per text byte): free, the start of a match of
 * lookup k (k + 1), or inside a match. */
#define OWNER_FREE 0u
#define OWNER_INSIDE UINT32_MAX

/* replace_strings(text, lookups, rewrites): the docs' order rule ("This is"
 * with lookups ['is', 'This'] gives "Thwas was"): each lookup in turn takes
 * its non-overlapping matches among the bytes no earlier lookup took. A
 * lookup that isn't a string (or is empty) is skipped; a match whose
 * rewrite isn't a string keeps its text. */
void kql_fn_replace_strings(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str text = args[0].u.s;
    kql_dyn looks = kql_fn_dyn_array(&args[1]), rewrites = kql_fn_dyn_array(&args[2]);
    if (!looks || text.len == 0 || (uint64_t)kql_dyn_count(looks) >= OWNER_INSIDE) {
        *out = args[0];
        return;
    }
    /* owner[] fills the front of the scratch buffer; the result follows it */
    kql_buf *b = &ctx->scratch;
    kql_buf_clear(b);
    size_t owner_bytes = (size_t)text.len * sizeof(uint32_t);
    static const char zeros[256];
    for (size_t left = owner_bytes; left;) {
        size_t k = left < sizeof zeros ? left : sizeof zeros;
        kql_buf_put(b, zeros, k);
        left -= k;
    }
    uint32_t *owner = (uint32_t *)(void *)b->data;
    uint32_t nlooks = kql_dyn_count(looks), hits = 0;
    kql_dyn e = kql_dyn_first(looks);
    for (uint32_t k = 0; k < nlooks; k++, e = kql_dyn_next(e)) {
        if (kql_dyn_tag_of(e) != KQL_DYN_STRING)
            continue;
        kql_str look = kql_dyn_string(e);
        if (look.len == 0 || look.len > text.len)
            continue;
        for (size_t at = 0; at + look.len <= text.len;) {
            bool free_run = memcmp(text.ptr + at, look.ptr, look.len) == 0;
            for (size_t j = 0; free_run && j < look.len; j++)
                free_run = owner[at + j] == OWNER_FREE;
            if (!free_run) {
                at++;
                continue;
            }
            owner[at] = k + 1;
            for (size_t j = 1; j < look.len; j++)
                owner[at + j] = OWNER_INSIDE;
            at += look.len;
            hits++;
        }
    }
    if (hits == 0) {
        *out = args[0];
        return;
    }
    for (size_t i = 0; i < text.len;) {
        /* the buffer may move as the result grows: re-read owner[] */
        uint32_t o = ((const uint32_t *)(const void *)b->data)[i];
        if (o == OWNER_FREE) {
            kql_buf_putc(b, text.ptr[i++]);
            continue;
        }
        kql_str look = kql_dyn_string(kql_dyn_index(looks, o - 1));
        kql_dyn with = rewrites ? kql_dyn_index(rewrites, o - 1) : NULL;
        if (with && kql_dyn_tag_of(with) == KQL_DYN_STRING) {
            kql_str w = kql_dyn_string(with);
            kql_buf_put(b, w.ptr, w.len);
        } else {
            kql_buf_put(b, text.ptr + i, look.len);
        }
        i += look.len;
    }
    *out = kql_fn_string_out(ctx, b->data + owner_bytes, b->len - owner_bytes);
}

KQL_FN_RULE(kql_fnt_split, "split", "aai", KQL_DYNAMIC)

/* split(s, delim [, index]) -> array of strings: split("", "_") = [""],
 * split("a__b", "_") = ["a","","b"] (NOTES §16); with an index, an array
 * holding only that part ([] when out of range). An empty delimiter
 * doesn't split. */
void kql_fn_split(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    bool pick = n > 2;
    int64_t want = pick ? args[2].u.i : 0;
    if (pick && args[2].is_null) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    kql_str t[2];
    stable_texts(ctx, args, 2, t);
    kql_str text = t[0], delim = t[1];
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    uint32_t count = 0;
    size_t from = 0;
    for (int64_t k = 0;; k++) {
        int64_t at = delim.len ? find_bytes(text, from, text.len, delim) : -1;
        size_t end = at < 0 ? text.len : (size_t)at;
        if (!pick || k == want) {
            kql_dyn_put_string(&ctx->scratch, text.len ? text.ptr + from : "", end - from);
            count++;
        }
        if (at < 0 || (pick && k >= want))
            break;
        from = end + delim.len;
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_reverse, "reverse", "a", KQL_STRING)

/* reverse: code point by code point, so UTF-8 stays valid. */
void kql_fn_reverse(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str s;
    kql_fn_texts(ctx, args, 1, &s);
    if (s.len == 0) {
        *out = kql_string("", 0);
        return;
    }
    char *dst = kql_arena_alloc(ctx->arena, s.len);
    size_t end = s.len;
    for (size_t i = 0; i < s.len;) {
        size_t at = i;
        kql_utf8_next(s.ptr, s.len, &i);
        end -= i - at;
        memcpy(dst + end, s.ptr + at, i - at);
    }
    *out = kql_string(dst, s.len);
}

KQL_FN_RULE(kql_fnt_countof, "countof", "aas", KQL_LONG)

/* countof(source, search [, kind]): plain matches may overlap,
 * countof("aaaa", "aa") = 3; kind "regex" counts non-overlapping regex
 * matches (countof docs). Another kind, or a bad regex, gives null. */
void kql_fn_countof(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_str t[2];
    kql_fn_texts(ctx, args, 2, t);
    kql_str kind = n > 2 ? args[2].u.s : (kql_str){ "normal", 6 };
    int64_t hits = 0;
    if (kind.len == 5 && memcmp(kind.ptr, "regex", 5) == 0) {
        hits = kql_regex_count(t[1], t[0]);
    } else if (kind.len == 6 && memcmp(kind.ptr, "normal", 6) == 0) {
        if (t[1].len)
            for (int64_t at = 0; (at = find_bytes(t[0], (size_t)at, t[0].len, t[1])) >= 0; at++)
                hits++;
    } else {
        hits = -1;
    }
    *out = hits < 0 ? kql_null(KQL_LONG) : kql_long(hits);
}

KQL_FN_RULE(kql_fnt_strcat_array, "strcat_array", "ya", KQL_STRING)

/* Elements render as tostring() would: strings bare, the rest as JSON. */
void kql_fn_strcat_array(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn arr = (kql_dyn)args[0].u.s.ptr;
    if (args[0].is_null || kql_dyn_tag_of(arr) != KQL_DYN_ARRAY) {
        *out = kql_string("", 0);
        return;
    }
    kql_str delim;
    stable_texts(ctx, &args[1], 1, &delim);
    kql_buf_clear(&ctx->scratch);
    uint32_t count = kql_dyn_count(arr);
    kql_dyn e = kql_dyn_first(arr);
    for (uint32_t i = 0; i < count; i++, e = kql_dyn_next(e)) {
        if (i)
            kql_buf_put(&ctx->scratch, delim.ptr, delim.len);
        kql_value v = kql_dyn_value(e);
        kql_value_to_text(&v, &ctx->scratch);
    }
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_strrep, "strrep", "aia", KQL_STRING)

/* strrep(value, multiplier [, delimiter]); multiplier capped at 1024. */
void kql_fn_strrep(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_value texts[2] = { args[0], n > 2 ? args[2] : kql_string("", 0) };
    kql_str t[2];
    kql_fn_texts(ctx, texts, 2, t);
    int64_t times = args[1].is_null ? 0 : args[1].u.i;
    if (times <= 0) {
        *out = kql_string("", 0);
        return;
    }
    if (times > KQL_STRREP_MAX)
        times = KQL_STRREP_MAX;
    size_t total = (size_t)times * t[0].len + (size_t)(times - 1) * t[1].len;
    if (total == 0) {
        *out = kql_string("", 0);
        return;
    }
    char *dst = kql_arena_alloc(ctx->arena, total), *p = dst;
    for (int64_t i = 0; i < times; i++) {
        if (i && t[1].len) {
            memcpy(p, t[1].ptr, t[1].len);
            p += t[1].len;
        }
        if (t[0].len)
            memcpy(p, t[0].ptr, t[0].len);
        p += t[0].len;
    }
    *out = kql_string(dst, total);
}

KQL_FN_RULE(kql_fnt_strcmp, "strcmp", "aa", KQL_INT)

/* Ordinal comparison by bytes (= by code points in UTF-8): -1, 0 or 1. */
void kql_fn_strcmp(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str t[2];
    kql_fn_texts(ctx, args, 2, t);
    size_t m = t[0].len < t[1].len ? t[0].len : t[1].len;
    int c = m ? memcmp(t[0].ptr, t[1].ptr, m) : 0;
    if (c == 0)
        c = t[0].len < t[1].len ? -1 : t[0].len > t[1].len;
    *out = kql_int(c < 0 ? -1 : c > 0);
}
