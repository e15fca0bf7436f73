/* fn_encode.c - encodings and hashes: base64_*, url_encode/_component,
 * url_decode, unicode_codepoints_from/to_string, tohex, isascii, isutf8,
 * binary_* bit operations, hash/hash_xxhash64, hash_md5, hash_sha1 and
 * hash_sha256.
 *
 * The hashes are small self-contained implementations (XXH64, MD5, SHA-1,
 * SHA-256) so results match Kusto's bit for bit. Non-string arguments are
 * hashed as their tostring() text, except hash()/hash_xxhash64, which hash
 * numbers and datetimes as their 8 little-endian bytes.
 */
#include <string.h>

#include "fn_common.h"

/* ---- base64 ---- */

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Appends the base64 of the group p[0..left) (left >= 1; only 3 bytes read). */
static void b64_group(const uint8_t *p, size_t left, kql_buf *out)
{
    uint32_t v = (uint32_t)p[0] << 16 | (left > 1 ? (uint32_t)p[1] << 8 : 0) | (left > 2 ? p[2] : 0);
    char q[4] = { b64_alphabet[v >> 18], b64_alphabet[v >> 12 & 63],
                  left > 1 ? b64_alphabet[v >> 6 & 63] : '=', left > 2 ? b64_alphabet[v & 63] : '=' };
    kql_buf_put(out, q, 4);
}

static void b64_encode(const uint8_t *p, size_t n, kql_buf *out)
{
    for (size_t i = 0; i < n; i += 3)
        b64_group(p + i, n - i, out);
}

/* Appends to b the base64 of its own bytes b[from..from+n): each append may
 * move b->data, so the input is re-read through b on every group. */
static void b64_encode_own(kql_buf *b, size_t from, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        uint8_t g[3];
        size_t k = n - i < 3 ? n - i : 3;
        memcpy(g, b->data + from + i, k);
        b64_group(g, k, b);
    }
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64_alphabet, c) : NULL;
    return p ? (int)(p - b64_alphabet) : -1;
}

/* Decodes padded base64 (a length that is a multiple of 4); false on any
 * other character or a bad length. */
static bool b64_decode(const char *s, size_t n, kql_buf *out)
{
    if (n % 4)
        return false;
    for (size_t i = 0; i < n; i += 4) {
        int pad = (s[i + 3] == '=') + (s[i + 2] == '=' && s[i + 3] == '=');
        if (pad && i + 4 != n)
            return false;
        int v[4];
        for (int k = 0; k < 4 - pad; k++)
            if ((v[k] = b64_value(s[i + k])) < 0)
                return false;
        for (int k = 4 - pad; k < 4; k++)
            v[k] = 0;
        uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        uint8_t b[3] = { (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x };
        kql_buf_put(out, b, (size_t)(3 - pad));
    }
    return true;
}

static bool valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t at = i;
        uint32_t cp = kql_utf8_next(s, n, &i);
        size_t used = i - at;
        /* a malformed byte comes back alone as itself; reject overlongs and surrogates */
        if ((used == 1 && cp >= 0x80) || (used == 2 && cp < 0x80) || (used == 3 && cp < 0x800) ||
            (used == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
    }
    return true;
}

KQL_FN_RULE(kql_fnt_base64_encode_tostring, "base64_encode_tostring", "s", KQL_STRING)

void kql_fn_base64_encode_tostring(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_buf_clear(&ctx->scratch);
    b64_encode((const uint8_t *)args[0].u.s.ptr, args[0].u.s.len, &ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_base64_decode_tostring, "base64_decode_tostring", "s", KQL_STRING)

/* Empty when the text isn't base64 or doesn't decode to UTF-8. */
void kql_fn_base64_decode_tostring(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_buf_clear(&ctx->scratch);
    if (!b64_decode(args[0].u.s.ptr, args[0].u.s.len, &ctx->scratch) ||
        !valid_utf8(ctx->scratch.data, ctx->scratch.len))
        kql_buf_clear(&ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_base64_decode_toarray, "base64_decode_toarray", "s", KQL_DYNAMIC)

/* The bytes as an array of numbers; null when the text isn't base64. */
void kql_fn_base64_decode_toarray(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_buf_clear(&ctx->scratch);
    if (!b64_decode(args[0].u.s.ptr, args[0].u.s.len, &ctx->scratch)) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    size_t bytes = ctx->scratch.len;
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    for (size_t i = 0; i < bytes; i++)
        kql_dyn_put_long(&ctx->scratch, (uint8_t)ctx->scratch.data[i]);
    kql_dyn_end(&ctx->scratch, mark, (uint32_t)bytes);
    *out = kql_fn_dynamic_out(ctx, bytes);
}

KQL_FN_RULE(kql_fnt_base64_encode_fromarray, "base64_encode_fromarray", "y", KQL_STRING)

/* Empty when the value isn't an array of numbers 0..255. */
void kql_fn_base64_encode_fromarray(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_dyn arr = kql_fn_dyn_array(&args[0]);
    uint32_t k = arr ? kql_dyn_count(arr) : 0;
    kql_buf_clear(&ctx->scratch);
    kql_dyn e = k ? kql_dyn_first(arr) : NULL;
    for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e)) {
        int64_t b = kql_dyn_tag_of(e) == KQL_DYN_LONG ? kql_dyn_long(e) : -1;
        if (b < 0 || b > 255) {
            *out = kql_string("", 0);
            return;
        }
        uint8_t byte = (uint8_t)b;
        kql_buf_put(&ctx->scratch, &byte, 1);
    }
    size_t bytes = ctx->scratch.len;
    b64_encode_own(&ctx->scratch, 0, bytes);
    *out = kql_fn_string_out(ctx, ctx->scratch.data + bytes, ctx->scratch.len - bytes);
}

/* .NET's Guid.ToByteArray order: the first three groups little-endian. */
static void guid_net_bytes(const kql_guid *g, uint8_t *b)
{
    static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
    for (int i = 0; i < 16; i++)
        b[i] = g->b[order[i]];
}

KQL_FN_RULE(kql_fnt_base64_encode_fromguid, "base64_encode_fromguid", "a", KQL_STRING)

void kql_fn_base64_encode_fromguid(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    if (args[0].type != KQL_GUID || args[0].is_null) {
        *out = kql_string("", 0);
        return;
    }
    uint8_t b[16];
    guid_net_bytes(&args[0].u.g, b);
    kql_buf_clear(&ctx->scratch);
    b64_encode(b, 16, &ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_base64_decode_toguid, "base64_decode_toguid", "s", KQL_GUID)

void kql_fn_base64_decode_toguid(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_buf_clear(&ctx->scratch);
    *out = kql_null(KQL_GUID);
    if (!b64_decode(args[0].u.s.ptr, args[0].u.s.len, &ctx->scratch) || ctx->scratch.len != 16)
        return;
    kql_guid net, g;
    memcpy(net.b, ctx->scratch.data, 16);
    guid_net_bytes(&net, g.b);   /* the swap is its own inverse */
    out->is_null = false;
    out->u.g = g;
}

/* ---- URLs ---- */

static const char hex_lower[] = "0123456789abcdef";

/* Percent-encodes every byte outside keep (plus letters and digits), with
 * lowercase hex as Kusto prints it; a space becomes '+' when plus_space. */
static void url_escape(kql_str s, const char *keep, bool plus_space, kql_buf *out)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            (c && strchr(keep, c))) {
            kql_buf_putc(out, (char)c);
        } else if (c == ' ' && plus_space) {
            kql_buf_putc(out, '+');
        } else {
            char e[3] = { '%', hex_lower[c >> 4], hex_lower[c & 15] };
            kql_buf_put(out, e, 3);
        }
    }
}

KQL_FN_RULE(kql_fnt_url_encode, "url_encode", "s", KQL_STRING)

/* The query-string form: reserved characters escaped, space as '+'. */
void kql_fn_url_encode(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_buf_clear(&ctx->scratch);
    url_escape(args[0].u.s, "-_.!*()", true, &ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_url_encode_component, "url_encode_component", "s", KQL_STRING)

/* The component form: space as %20. */
void kql_fn_url_encode_component(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_buf_clear(&ctx->scratch);
    url_escape(args[0].u.s, "-_.!*()~", false, &ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_url_decode, "url_decode", "s", KQL_STRING)

/* %XX sequences and '+' decoded; a malformed escape stays as written; a
 * result that isn't UTF-8 gives the empty string. */
void kql_fn_url_decode(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str s = args[0].u.s;
    kql_buf_clear(&ctx->scratch);
    for (size_t i = 0; i < s.len; i++) {
        int hi, lo;
        if (s.ptr[i] == '%' && i + 2 < s.len && (hi = kql_hex_digit(s.ptr[i + 1])) >= 0 &&
            (lo = kql_hex_digit(s.ptr[i + 2])) >= 0) {
            kql_buf_putc(&ctx->scratch, (char)(hi << 4 | lo));
            i += 2;
        } else {
            kql_buf_putc(&ctx->scratch, s.ptr[i] == '+' ? ' ' : s.ptr[i]);
        }
    }
    if (!valid_utf8(ctx->scratch.data, ctx->scratch.len))
        kql_buf_clear(&ctx->scratch);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

/* ---- code points, text checks ---- */

KQL_FN_RULE(kql_fnt_unicode_codepoints_from_string, "unicode_codepoints_from_string", "s", KQL_DYNAMIC)

void kql_fn_unicode_codepoints_from_string(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str s = args[0].u.s;
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    uint32_t count = 0;
    for (size_t i = 0; i < s.len; count++)
        kql_dyn_put_long(&ctx->scratch, kql_utf8_next(s.ptr, s.len, &i));
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

kql_type kql_fnt_unicode_codepoints_to_string(const kql_type *args, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++)
        if (args[i] != KQL_INT && args[i] != KQL_LONG && args[i] != KQL_DYNAMIC)
            return kql_fn_fail(err, errlen, "unicode_codepoints_to_string(): argument %zu must be "
                                            "an integer or an array of integers, got %s",
                               i + 1, kql_type_name(args[i]));
    return KQL_STRING;
}

static bool put_codepoint(kql_buf *out, int64_t cp)
{
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    char b[4];
    kql_buf_put(out, b, kql_utf8_put((uint32_t)cp, b));
    return true;
}

/* Integers and arrays of integers, in order; null on anything that isn't a
 * valid code point. */
void kql_fn_unicode_codepoints_to_string(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_buf_clear(&ctx->scratch);
    *out = kql_null(KQL_STRING);
    for (size_t a = 0; a < n; a++) {
        if (args[a].type != KQL_DYNAMIC) {
            if (args[a].is_null || !put_codepoint(&ctx->scratch, args[a].u.i))
                return;
            continue;
        }
        kql_dyn d = kql_fn_dyn_arg(&args[a]);
        if (!d)
            return;
        if (kql_dyn_tag_of(d) == KQL_DYN_LONG) {
            if (!put_codepoint(&ctx->scratch, kql_dyn_long(d)))
                return;
            continue;
        }
        if (kql_dyn_tag_of(d) != KQL_DYN_ARRAY)
            return;
        uint32_t k = kql_dyn_count(d);
        kql_dyn e = kql_dyn_first(d);
        for (uint32_t i = 0; i < k; i++, e = kql_dyn_next(e))
            if (kql_dyn_tag_of(e) != KQL_DYN_LONG || !put_codepoint(&ctx->scratch, kql_dyn_long(e)))
                return;
    }
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_isascii, "isascii", "s", KQL_BOOL)

void kql_fn_isascii(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx, (void)n;
    bool ascii = true;
    for (size_t i = 0; i < args[0].u.s.len && ascii; i++)
        ascii = (unsigned char)args[0].u.s.ptr[i] < 0x80;
    *out = kql_bool(ascii);
}

KQL_FN_DEFINE(isutf8, "s", KQL_BOOL, *out = kql_bool(valid_utf8(args[0].u.s.ptr, args[0].u.s.len)))

/* ---- numbers as bits ---- */

KQL_FN_RULE(kql_fnt_tohex, "tohex", "ii", KQL_STRING)

/* Lowercase hex; negatives in two's complement (32 bits for an int, 64 for
 * a long); zero-padded to the optional minimum length. */
void kql_fn_tohex(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    if (args[0].is_null || (n > 1 && args[1].is_null)) {
        *out = kql_string("", 0);
        return;
    }
    uint64_t v = args[0].type == KQL_INT ? (uint32_t)args[0].u.i : (uint64_t)args[0].u.i;
    char digits[16];
    int len = 0;
    do {
        digits[len++] = hex_lower[v & 15];
        v >>= 4;
    } while (v);
    int64_t width = n > 1 ? args[1].u.i : 0;
    if (width > 64)
        width = 64;   /* a long has 16 digits; more is only padding */
    kql_buf_clear(&ctx->scratch);
    for (int64_t i = len; i < width; i++)
        kql_buf_putc(&ctx->scratch, '0');
    while (len)
        kql_buf_putc(&ctx->scratch, digits[--len]);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

static int64_t shift(int64_t v, int64_t by, bool left)
{
    if (by < 0 || by >= 64)
        return 0;
    return left ? (int64_t)((uint64_t)v << by) : (int64_t)((uint64_t)v >> by);
}

#define BITS2(name, expr)                                                              \
    KQL_FN_DEFINE(name, "ii", KQL_LONG,                                                \
                  if (args[0].is_null || args[1].is_null) *out = kql_null(KQL_LONG);   \
                  else { int64_t a = args[0].u.i, b = args[1].u.i; *out = kql_long(expr); })
BITS2(binary_and, a & b)
BITS2(binary_or, a | b)
BITS2(binary_xor, a ^ b)
BITS2(binary_shift_left, shift(a, b, true))
BITS2(binary_shift_right, shift(a, b, false))
#undef BITS2

KQL_FN_DEFINE(binary_not, "i", KQL_LONG,
              *out = args[0].is_null ? kql_null(KQL_LONG) : kql_long(~args[0].u.i))
KQL_FN_DEFINE(bitset_count_ones, "i", KQL_LONG,
              *out = args[0].is_null ? kql_null(KQL_LONG)
                                     : kql_long(__builtin_popcountll((uint64_t)args[0].u.i)))

/* ---- XXH64 ---- */

#define P1 11400714785074694791ULL
#define P2 14029467366897019727ULL
#define P3 1609587929392839161ULL
#define P4 9650029242287828579ULL
#define P5 2870177450012600261ULL

static uint64_t rotl64(uint64_t x, int r) { return x << r | x >> (64 - r); }

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t rd32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t xxh_round(uint64_t acc, uint64_t in)
{
    return rotl64(acc + in * P2, 31) * P1;
}

static uint64_t xxh_merge(uint64_t acc, uint64_t v)
{
    return (acc ^ xxh_round(0, v)) * P1 + P4;
}

static uint64_t xxh64(const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1;
        for (; end - p >= 32; p += 32) {
            v1 = xxh_round(v1, rd64(p));
            v2 = xxh_round(v2, rd64(p + 8));
            v3 = xxh_round(v3, rd64(p + 16));
            v4 = xxh_round(v4, rd64(p + 24));
        }
        h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
        h = xxh_merge(xxh_merge(xxh_merge(xxh_merge(h, v1), v2), v3), v4);
    } else {
        h = P5;
    }
    h += len;
    for (; end - p >= 8; p += 8)
        h = rotl64(h ^ xxh_round(0, rd64(p)), 27) * P1 + P4;
    if (end - p >= 4) {
        h = rotl64(h ^ (uint64_t)rd32le(p) * P1, 23) * P2 + P3;
        p += 4;
    }
    for (; p < end; p++)
        h = rotl64(h ^ *p * P5, 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    return h ^ h >> 32;
}

KQL_FN_RULE(kql_fnt_hash, "hash", "ai", KQL_LONG)

/* XXH64 of the value's bytes: a string's UTF-8, a number's or a datetime's
 * or timespan's 8 little-endian bytes, other types' text; with a modulo,
 * the non-negative remainder. Null in, null out. */
void kql_fn_hash(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    *out = kql_null(KQL_LONG);
    if ((args[0].type != KQL_STRING && kql_fn_is_null(&args[0])) || (n > 1 && args[1].is_null))
        return;
    uint64_t h;
    switch (args[0].type) {
    case KQL_STRING:
        h = xxh64((const uint8_t *)args[0].u.s.ptr, args[0].u.s.len);
        break;
    case KQL_INT: case KQL_LONG: case KQL_DATETIME: case KQL_TIMESPAN: case KQL_REAL: {
        uint8_t b[8];
        uint64_t v;
        memcpy(&v, &args[0].u, 8);
        for (int i = 0; i < 8; i++)
            b[i] = (uint8_t)(v >> (8 * i));
        h = xxh64(b, 8);
        break;
    }
    default: {
        kql_str t;
        kql_fn_texts(ctx, args, 1, &t);
        h = xxh64((const uint8_t *)t.ptr, t.len);
    }
    }
    if (n > 1) {
        int64_t mod = args[1].u.i;
        if (mod <= 0)
            return;
        *out = kql_long((int64_t)(h % (uint64_t)mod));
        return;
    }
    *out = kql_long((int64_t)h);
}

/* ---- MD5, SHA-1, SHA-256 ---- */

static uint32_t rotl32(uint32_t x, int r) { return x << r | x >> (32 - r); }
static uint32_t rotr32(uint32_t x, int r) { return x >> r | x << (32 - r); }

static uint32_t rd32be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef void (*block_fn)(uint32_t *state, const uint8_t *block);

/* Merkle-Damgård over 64-byte blocks with the length in bits in the last 8
 * bytes, little-endian for MD5 and big-endian for the SHAs. */
static void digest(const uint8_t *p, size_t len, block_fn fn, uint32_t *state, bool big_endian)
{
    size_t i = 0;
    for (; len - i >= 64; i += 64)
        fn(state, p + i);
    uint8_t tail[128] = { 0 };
    size_t rest = len - i;
    memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    size_t total = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++)
        tail[big_endian ? total - 1 - k : total - 8 + k] = (uint8_t)(bits >> (8 * k));
    fn(state, tail);
    if (total == 128)
        fn(state, tail + 64);
}

static void md5_block(uint32_t *s, const uint8_t *b)
{
    static const uint32_t K[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391 };
    static const int R[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };
    uint32_t a = s[0], bb = s[1], c = s[2], d = s[3];
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        switch (i / 16) {
        case 0: f = (bb & c) | (~bb & d); g = i; break;
        case 1: f = (d & bb) | (~d & c); g = (5 * i + 1) % 16; break;
        case 2: f = bb ^ c ^ d; g = (3 * i + 5) % 16; break;
        default: f = c ^ (bb | ~d); g = (7 * i) % 16; break;
        }
        uint32_t t = d;
        d = c;
        c = bb;
        bb = bb + rotl32(a + f + K[i] + rd32le(b + 4 * g), R[i / 16 * 4 + i % 4]);
        a = t;
    }
    s[0] += a, s[1] += bb, s[2] += c, s[3] += d;
}

static void sha1_block(uint32_t *s, const uint8_t *b)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = rd32be(b + 4 * i);
    for (int i = 16; i < 80; i++)
        w[i] = rotl32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = s[0], bb = s[1], c = s[2], d = s[3], e = s[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) f = (bb & c) | (~bb & d), k = 0x5A827999;
        else if (i < 40) f = bb ^ c ^ d, k = 0x6ED9EBA1;
        else if (i < 60) f = (bb & c) | (bb & d) | (c & d), k = 0x8F1BBCDC;
        else f = bb ^ c ^ d, k = 0xCA62C1D6;
        uint32_t t = rotl32(a, 5) + f + e + k + w[i];
        e = d, d = c, c = rotl32(bb, 30), bb = a, a = t;
    }
    s[0] += a, s[1] += bb, s[2] += c, s[3] += d, s[4] += e;
}

static void sha256_block(uint32_t *s, const uint8_t *b)
{
    static const uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2 };
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = rd32be(b + 4 * i);
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ w[i - 15] >> 3;
        uint32_t s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ w[i - 2] >> 10;
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t v[8];
    memcpy(v, s, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = rotr32(v[4], 6) ^ rotr32(v[4], 11) ^ rotr32(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + S1 + ch + K[i] + w[i];
        uint32_t S0 = rotr32(v[0], 2) ^ rotr32(v[0], 13) ^ rotr32(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(v + 1, v, 7 * sizeof *v);
        v[4] += t1;
        v[0] = t1 + S0 + maj;
    }
    for (int i = 0; i < 8; i++)
        s[i] += v[i];
}

enum hash_kind { HASH_MD5, HASH_SHA1, HASH_SHA256 };

/* The digest of the argument's text as lowercase hex. */
static void hex_digest(kql_fn_ctx *ctx, const kql_value *arg, enum hash_kind kind, kql_value *out)
{
    uint32_t state[8] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    static const uint32_t sha256_init[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    int words = kind == HASH_MD5 ? 4 : kind == HASH_SHA1 ? 5 : 8;
    if (kind == HASH_SHA256)
        memcpy(state, sha256_init, sizeof state);
    if (arg->type != KQL_STRING && kql_fn_is_null(arg)) {
        *out = kql_string("", 0);
        return;
    }
    kql_str t;
    kql_fn_texts(ctx, arg, 1, &t);
    block_fn fn = kind == HASH_MD5 ? md5_block : kind == HASH_SHA1 ? sha1_block : sha256_block;
    digest((const uint8_t *)t.ptr, t.len, fn, state, kind != HASH_MD5);
    char hex[64];
    for (int i = 0; i < words; i++)
        for (int k = 0; k < 4; k++) {
            /* MD5's words are little-endian, the SHAs' big-endian */
            uint8_t byte = (uint8_t)(kind == HASH_MD5 ? state[i] >> (8 * k) : state[i] >> (24 - 8 * k));
            hex[8 * i + 2 * k] = hex_lower[byte >> 4];
            hex[8 * i + 2 * k + 1] = hex_lower[byte & 15];
        }
    *out = kql_fn_string_out(ctx, hex, (size_t)words * 8);
}

KQL_FN_DEFINE(hash_md5, "a", KQL_STRING, hex_digest(ctx, &args[0], HASH_MD5, out))
KQL_FN_DEFINE(hash_sha1, "a", KQL_STRING, hex_digest(ctx, &args[0], HASH_SHA1, out))
KQL_FN_DEFINE(hash_sha256, "a", KQL_STRING, hex_digest(ctx, &args[0], HASH_SHA256, out))
