/* dynamic.c - the compact binary encoding of KQL dynamic values (dynamic.h):
 * reading, writing, a JSON / dynamic-literal parser that writes the encoding
 * directly (no intermediate tree), JSON output, equality, hashing, ordering.
 *
 * Multi-byte numbers are read and written with memcpy in host byte order,
 * which is little-endian on every platform kql targets (x86-64, arm64).
 */
#include "dynamic.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static inline uint32_t rd_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline int64_t rd_i64(const uint8_t *p)
{
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* --- reading --- */

kql_dyn_tag kql_dyn_tag_of(kql_dyn d)
{
    return (kql_dyn_tag)d[0];
}

size_t kql_dyn_size(kql_dyn d)
{
    switch (d[0]) {
    case KQL_DYN_LONG:
    case KQL_DYN_REAL:
    case KQL_DYN_DATETIME:
    case KQL_DYN_TIMESPAN:
        return 9;
    case KQL_DYN_STRING:
        return 5 + (size_t)rd_u32(d + 1);
    case KQL_DYN_ARRAY:
    case KQL_DYN_OBJECT:
        return 9 + (size_t)rd_u32(d + 5);
    case KQL_DYN_GUID:
        return 17;
    default:
        return 1;
    }
}

int64_t kql_dyn_long(kql_dyn d)
{
    return rd_i64(d + 1);
}

double kql_dyn_real(kql_dyn d)
{
    double r;
    memcpy(&r, d + 1, 8);
    return r;
}

kql_str kql_dyn_string(kql_dyn d)
{
    return (kql_str){(const char *)d + 5, rd_u32(d + 1)};
}

uint32_t kql_dyn_count(kql_dyn d)
{
    return d[0] == KQL_DYN_ARRAY || d[0] == KQL_DYN_OBJECT ? rd_u32(d + 1) : 0;
}

kql_dyn kql_dyn_first(kql_dyn d)
{
    return d[0] == KQL_DYN_ARRAY && rd_u32(d + 1) ? d + 9 : NULL;
}

kql_dyn kql_dyn_next(kql_dyn elem)
{
    return elem + kql_dyn_size(elem);
}

kql_dyn kql_dyn_index(kql_dyn d, int64_t i)
{
    if (d[0] != KQL_DYN_ARRAY)
        return NULL;
    int64_t n = rd_u32(d + 1);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        return NULL;
    kql_dyn e = d + 9;
    while (i-- > 0)
        e += kql_dyn_size(e);
    return e;
}

const uint8_t *kql_dyn_prop_first(kql_dyn d)
{
    return d[0] == KQL_DYN_OBJECT && rd_u32(d + 1) ? d + 9 : NULL;
}

void kql_dyn_prop(const uint8_t *p, kql_str *key, kql_dyn *value)
{
    uint32_t n = rd_u32(p);
    *key = (kql_str){(const char *)p + 4, n};
    *value = p + 4 + n;
}

const uint8_t *kql_dyn_prop_next(const uint8_t *p)
{
    kql_dyn v = p + 4 + rd_u32(p);
    return v + kql_dyn_size(v);
}

kql_dyn kql_dyn_get(kql_dyn d, const char *key, size_t keylen)
{
    if (d[0] != KQL_DYN_OBJECT)
        return NULL;
    uint32_t n = rd_u32(d + 1);
    const uint8_t *p = d + 9;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t kl = rd_u32(p);
        kql_dyn v = p + 4 + kl;
        if (kl == keylen && memcmp(p + 4, key, keylen) == 0)
            return v;
        p = v + kql_dyn_size(v);
    }
    return NULL;
}

kql_value kql_dyn_value(kql_dyn d)
{
    kql_value v = {.type = KQL_DYNAMIC};
    v.is_null = d[0] == KQL_DYN_NULL;
    v.u.s = (kql_str){(const char *)d, (uint32_t)kql_dyn_size(d)};
    return v;
}

kql_value kql_dyn_to_scalar(kql_dyn d)
{
    kql_value v;
    switch (d[0]) {
    case KQL_DYN_FALSE:
        return kql_bool(false);
    case KQL_DYN_TRUE:
        return kql_bool(true);
    case KQL_DYN_LONG:
        return kql_long(kql_dyn_long(d));
    case KQL_DYN_REAL:
        return kql_real(kql_dyn_real(d));
    case KQL_DYN_STRING: {
        kql_str s = kql_dyn_string(d);
        return kql_string(s.ptr, s.len);
    }
    case KQL_DYN_DATETIME:
        return kql_datetime(kql_dyn_long(d));
    case KQL_DYN_TIMESPAN:
        return kql_timespan(kql_dyn_long(d));
    case KQL_DYN_GUID:
        v = (kql_value){.type = KQL_GUID};
        memcpy(v.u.g.b, d + 1, 16);
        return v;
    default:
        return kql_null(KQL_DYNAMIC);
    }
}

/* --- writing --- */

static void put_tag_i64(kql_buf *out, kql_dyn_tag tag, int64_t i)
{
    uint8_t b[9];
    b[0] = (uint8_t)tag;
    memcpy(b + 1, &i, 8);
    kql_buf_put(out, b, 9);
}

static void put_u32(kql_buf *out, uint32_t n)
{
    kql_buf_put(out, &n, 4);
}

void kql_dyn_put_null(kql_buf *out)
{
    kql_buf_putc(out, KQL_DYN_NULL);
}

void kql_dyn_put_bool(kql_buf *out, bool b)
{
    kql_buf_putc(out, b ? KQL_DYN_TRUE : KQL_DYN_FALSE);
}

void kql_dyn_put_long(kql_buf *out, int64_t i)
{
    put_tag_i64(out, KQL_DYN_LONG, i);
}

void kql_dyn_put_real(kql_buf *out, double r)
{
    int64_t bits;
    memcpy(&bits, &r, 8);
    put_tag_i64(out, KQL_DYN_REAL, bits);
}

void kql_dyn_put_string(kql_buf *out, const char *p, size_t len)
{
    kql_buf_putc(out, KQL_DYN_STRING);
    put_u32(out, (uint32_t)len);
    kql_buf_put(out, p, len);
}

void kql_dyn_put_datetime(kql_buf *out, int64_t ticks)
{
    put_tag_i64(out, KQL_DYN_DATETIME, ticks);
}

void kql_dyn_put_timespan(kql_buf *out, int64_t ticks)
{
    put_tag_i64(out, KQL_DYN_TIMESPAN, ticks);
}

void kql_dyn_put_guid(kql_buf *out, const kql_guid *g)
{
    kql_buf_putc(out, KQL_DYN_GUID);
    kql_buf_put(out, g->b, 16);
}

void kql_dyn_put_raw(kql_buf *out, kql_dyn d)
{
    kql_buf_put(out, d, kql_dyn_size(d));
}

void kql_dyn_put_value(kql_buf *out, const kql_value *v)
{
    if (v->is_null) {
        kql_dyn_put_null(out);
        return;
    }
    switch (v->type) {
    case KQL_BOOL:
        kql_dyn_put_bool(out, v->u.b);
        break;
    case KQL_INT:
    case KQL_LONG:
        kql_dyn_put_long(out, v->u.i);
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        kql_dyn_put_real(out, v->u.r);
        break;
    case KQL_STRING:
        kql_dyn_put_string(out, v->u.s.ptr, v->u.s.len);
        break;
    case KQL_DATETIME:
        kql_dyn_put_datetime(out, v->u.i);
        break;
    case KQL_TIMESPAN:
        kql_dyn_put_timespan(out, v->u.i);
        break;
    case KQL_GUID:
        kql_dyn_put_guid(out, &v->u.g);
        break;
    case KQL_DYNAMIC:
        if (v->u.s.ptr && v->u.s.len)
            kql_dyn_put_raw(out, (kql_dyn)v->u.s.ptr);
        else
            kql_dyn_put_null(out);
        break;
    default:
        kql_dyn_put_null(out);
        break;
    }
}

static size_t begin_container(kql_buf *out, kql_dyn_tag tag)
{
    static const uint8_t zeros[8];
    size_t mark = out->len;
    kql_buf_putc(out, (char)tag);
    kql_buf_put(out, zeros, 8);   /* count and size, patched by kql_dyn_end */
    return mark;
}

size_t kql_dyn_begin_array(kql_buf *out)
{
    return begin_container(out, KQL_DYN_ARRAY);
}

size_t kql_dyn_begin_object(kql_buf *out)
{
    return begin_container(out, KQL_DYN_OBJECT);
}

void kql_dyn_put_key(kql_buf *out, const char *key, size_t len)
{
    put_u32(out, (uint32_t)len);
    kql_buf_put(out, key, len);
}

void kql_dyn_end(kql_buf *out, size_t mark, uint32_t count)
{
    uint32_t size = (uint32_t)(out->len - mark - 9);
    memcpy(out->data + mark + 1, &count, 4);
    memcpy(out->data + mark + 5, &size, 4);
}

/* --- parsing JSON and dynamic literals --- */

typedef struct jparser {
    const char *start, *p, *end;
    kql_buf *out;
    bool literal;          /* KQL dynamic literal: quotes, datetime(...), 1d */
    int depth;
    const char *err;       /* first failure position; NULL while all is well */
} jparser;

static bool jp_fail(jparser *j, const char *at)
{
    if (!j->err)
        j->err = at;
    return false;
}

static void jp_ws(jparser *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static void put_utf8(kql_buf *out, uint32_t cp)
{
    char b[4];
    if (cp < 0x80) {
        kql_buf_putc(out, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        kql_buf_put(out, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        kql_buf_put(out, b, 3);
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        kql_buf_put(out, b, 4);
    }
}

static int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* Decodes a quoted string whose opening quote is at j->p, appending a u32
 * length and the UTF-8 bytes (the layout of both STRING payloads and keys).
 * A verbatim string (KQL @'...') has no escapes; a doubled quote is one. */
static bool jp_string_body(jparser *j, bool verbatim)
{
    char quote = *j->p++;
    kql_buf *out = j->out;
    size_t lenpos = out->len;
    put_u32(out, 0);
    for (;;) {
        const char *q = j->p;
        while (q < j->end && *q != quote && (*q != '\\' || verbatim))
            q++;
        kql_buf_put(out, j->p, (size_t)(q - j->p));
        j->p = q;
        if (q == j->end)
            return jp_fail(j, q);   /* unterminated string */
        if (*q == quote) {
            j->p++;
            if (verbatim && j->p < j->end && *j->p == quote) {
                kql_buf_putc(out, quote);
                j->p++;
                continue;
            }
            break;
        }
        const char *esc = j->p++;
        if (j->p == j->end)
            return jp_fail(j, esc);
        char c = *j->p++;
        switch (c) {
        case '"': case '\\': case '/': kql_buf_putc(out, c); break;
        case '\'':
            if (!j->literal)
                return jp_fail(j, esc);
            kql_buf_putc(out, c);
            break;
        case 'b': kql_buf_putc(out, '\b'); break;
        case 'f': kql_buf_putc(out, '\f'); break;
        case 'n': kql_buf_putc(out, '\n'); break;
        case 'r': kql_buf_putc(out, '\r'); break;
        case 't': kql_buf_putc(out, '\t'); break;
        case 'u': {
            int cp = hex4(j->p, j->end);
            if (cp < 0)
                return jp_fail(j, esc);
            j->p += 4;
            uint32_t code = (uint32_t)cp;
            if (code >= 0xD800 && code <= 0xDBFF) {
                /* a high surrogate joins the low one after it */
                int lo = j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u'
                             ? hex4(j->p + 2, j->end) : -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    code = 0x10000 + ((code - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                    j->p += 6;
                } else {
                    code = 0xFFFD;   /* lone surrogate: not representable in UTF-8 */
                }
            } else if (code >= 0xDC00 && code <= 0xDFFF) {
                code = 0xFFFD;
            }
            put_utf8(out, code);
            break;
        }
        default:
            return jp_fail(j, esc);
        }
    }
    uint32_t n = (uint32_t)(out->len - lenpos - 4);
    memcpy(out->data + lenpos, &n, 4);
    return true;
}

static bool jp_is_quote(const jparser *j, char c)
{
    return c == '"' || (j->literal && c == '\'');
}

static bool jp_string(jparser *j)
{
    bool verbatim = false;
    if (*j->p == '@') {   /* KQL verbatim string @'...' (literal mode) */
        j->p++;
        if (j->p == j->end || !jp_is_quote(j, *j->p))
            return jp_fail(j, j->p - 1);
        verbatim = true;
    }
    kql_buf_putc(j->out, KQL_DYN_STRING);
    return jp_string_body(j, verbatim);
}

/* Parses number text [s, e) into the encoding: LONG if it is an integer that
 * fits int64, else REAL. */
static bool put_number_text(kql_buf *out, const char *s, const char *e, bool is_int)
{
    if (!is_int) {
        /* Clinger's fast path: up to 15 digits and a power of ten up to 22
         * are both exact doubles, so one multiply or divide is correctly
         * rounded - the same double strtod gives, without its cost. */
        static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        const char *q = s;
        bool neg = *q == '-';
        if (neg || *q == '+')
            q++;
        uint64_t m = 0;
        int digits = 0, e10 = 0;
        for (; q < e && (isdigit((unsigned char)*q) || *q == '.'); q++) {
            if (*q == '.') {
                for (const char *f = q + 1; f < e && isdigit((unsigned char)*f); f++)
                    e10--;
                continue;
            }
            if (m || *q != '0')
                digits++;
            m = m * 10 + (uint64_t)(*q - '0');
            if (digits > 15)
                break;
        }
        if (digits <= 15 && q < e && (*q == 'e' || *q == 'E')) {
            int x = 0;
            bool xneg = false;
            q++;
            if (*q == '+' || *q == '-')
                xneg = *q++ == '-';
            for (; q < e && x < 1000; q++)
                x = x * 10 + (*q - '0');
            e10 += xneg ? -x : x;
        }
        if (digits <= 15 && q == e && e10 >= -22 && e10 <= 22) {
            double r = e10 < 0 ? (double)m / p10[-e10] : (double)m * p10[e10];
            kql_dyn_put_real(out, neg ? -r : r);
            return true;
        }
    } else {
        const char *q = s;
        bool neg = *q == '-';
        if (neg || *q == '+')
            q++;
        uint64_t mag = 0;
        bool overflow = false;
        for (; q < e; q++) {
            unsigned dg = (unsigned)(*q - '0');
            if (mag > (UINT64_MAX - dg) / 10) {
                overflow = true;
                break;
            }
            mag = mag * 10 + dg;
        }
        if (!overflow && (neg ? mag <= (uint64_t)INT64_MAX + 1 : mag <= (uint64_t)INT64_MAX)) {
            kql_dyn_put_long(out, neg ? (int64_t)(0 - mag) : (int64_t)mag);
            return true;
        }
    }
    char small[64];
    size_t n = (size_t)(e - s);
    char *tmp = n < sizeof small ? small : malloc(n + 1);   /* freed below */
    if (!tmp)
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    kql_dyn_put_real(out, strtod(tmp, NULL));
    if (tmp != small)
        free(tmp);
    return true;
}

static bool jp_number(jparser *j)
{
    const char *s = j->p, *p = j->p, *end = j->end;
    bool is_int = true;
    if (p < end && (*p == '-' || (j->literal && *p == '+')))
        p++;
    if (p < end && *p == '0') {
        p++;
    } else if (p < end && isdigit((unsigned char)*p)) {
        while (p < end && isdigit((unsigned char)*p))
            p++;
    } else if (!(j->literal && p < end && *p == '.')) {
        return jp_fail(j, p);
    }
    if (p < end && *p == '.') {
        p++;
        is_int = false;
        if (p == end || !isdigit((unsigned char)*p))
            return jp_fail(j, p);
        while (p < end && isdigit((unsigned char)*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *e = p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || !isdigit((unsigned char)*p))
            return jp_fail(j, e);
        while (p < end && isdigit((unsigned char)*p))
            p++;
        is_int = false;
    }
    if (j->literal && p < end && isalpha((unsigned char)*p)) {
        /* 1d, 1.5h, 100ms: a timespan literal */
        while (p < end && isalpha((unsigned char)*p))
            p++;
        int64_t ticks;
        if (!kql_timespan_parse(s, (size_t)(p - s), &ticks))
            return jp_fail(j, s);
        kql_dyn_put_timespan(j->out, ticks);
        j->p = p;
        return true;
    }
    put_number_text(j->out, s, p, is_int);
    j->p = p;
    return true;
}

static bool jp_value(jparser *j);
static void dedupe_object(kql_buf *out, size_t mark);

/* An object member's key and its colon, up to the value. */
static bool jp_key(jparser *j)
{
    if (j->p == j->end || !jp_is_quote(j, *j->p))
        return jp_fail(j, j->p);
    if (!jp_string_body(j, false))
        return false;
    jp_ws(j);
    if (j->p == j->end || *j->p != ':')
        return jp_fail(j, j->p);
    j->p++;
    jp_ws(j);
    return true;
}

/* An array, or an object (whose members are key: value): members separated
 * by commas up to the closing bracket. */
static bool jp_container(jparser *j, bool object)
{
    char close = object ? '}' : ']';
    if (++j->depth > KQL_DYN_MAX_DEPTH)
        return jp_fail(j, j->p);
    j->p++;
    size_t mark = object ? kql_dyn_begin_object(j->out) : kql_dyn_begin_array(j->out);
    uint32_t count = 0;
    jp_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
    } else {
        for (;;) {
            if (object && !jp_key(j))
                return false;
            if (!jp_value(j))
                return false;
            count++;
            jp_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                jp_ws(j);
                continue;
            }
            if (j->p < j->end && *j->p == close) {
                j->p++;
                break;
            }
            return jp_fail(j, j->p);
        }
    }
    kql_dyn_end(j->out, mark, count);
    if (object)
        dedupe_object(j->out, mark);
    j->depth--;
    return true;
}

/* Duplicate keys: the last value wins, at the first key's place (as Json.NET
 * loads objects). The object at mark was just closed by kql_dyn_end; checking
 * is quadratic, so objects over DEDUPE_MAX_KEYS are left as they are. */
#define DEDUPE_MAX_KEYS 1024

static void dedupe_object(kql_buf *out, size_t mark)
{
    kql_dyn obj = (kql_dyn)out->data + mark;
    uint32_t n = kql_dyn_count(obj);
    if (n < 2 || n > DEDUPE_MAX_KEYS)
        return;
    const uint8_t *small[16];
    const uint8_t **props = n <= 16 ? small : malloc(n * sizeof *props);   /* freed below */
    if (!props)
        return;
    bool dup = false;
    const uint8_t *p = kql_dyn_prop_first(obj);
    for (uint32_t i = 0; i < n; i++) {
        props[i] = p;
        for (uint32_t k = 0; k < i && !dup; k++)
            dup = rd_u32(props[k]) == rd_u32(p) && memcmp(props[k] + 4, p + 4, rd_u32(p)) == 0;
        p = kql_dyn_prop_next(p);
    }
    if (dup) {
        kql_buf tmp;
        kql_buf_init(&tmp);
        size_t m = kql_dyn_begin_object(&tmp);
        uint32_t kept = 0;
        for (uint32_t i = 0; i < n; i++) {
            kql_str key, kk;
            kql_dyn v, last;
            kql_dyn_prop(props[i], &key, &v);
            bool seen = false;
            for (uint32_t k = 0; k < i && !seen; k++) {
                kql_dyn_prop(props[k], &kk, &last);
                seen = kk.len == key.len && memcmp(kk.ptr, key.ptr, key.len) == 0;
            }
            if (seen)
                continue;
            last = v;
            for (uint32_t k = i + 1; k < n; k++) {
                kql_dyn w;
                kql_dyn_prop(props[k], &kk, &w);
                if (kk.len == key.len && memcmp(kk.ptr, key.ptr, key.len) == 0)
                    last = w;
            }
            kql_dyn_put_key(&tmp, key.ptr, key.len);
            kql_dyn_put_raw(&tmp, last);
            kept++;
        }
        kql_dyn_end(&tmp, m, kept);
        out->len = mark;
        kql_buf_put(out, tmp.data, tmp.len);
        kql_buf_free(&tmp);
    }
    if (props != small)
        free(props);
}

static bool word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* The text between '(' and its ')' of a KQL typed literal, trimmed and
 * unquoted. j->p is at '('; afterwards it is past ')'. */
static bool jp_paren_text(jparser *j, const char **s, size_t *n)
{
    const char *open = j->p;
    const char *close = memchr(open, ')', (size_t)(j->end - open));
    if (!close)
        return jp_fail(j, open);
    const char *a = open + 1, *b = close;
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    if (b - a >= 2 && (*a == '"' || *a == '\'') && b[-1] == *a) {
        a++;
        b--;
    }
    *s = a;
    *n = (size_t)(b - a);
    j->p = close + 1;
    return true;
}

/* A number inside long(...)/real(...): reuses the number grammar. */
static bool jp_typed_number(jparser *j, const char *s, size_t n, bool want_real)
{
    if (want_real) {
        static const struct { const char *w; double r; } specials[] = {
            {"nan", NAN}, {"+inf", INFINITY}, {"inf", INFINITY}, {"-inf", -INFINITY},
        };
        for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
            if (word_is(s, n, specials[i].w)) {
                kql_dyn_put_real(j->out, specials[i].r);
                return true;
            }
    }
    jparser sub = {s, s, s + n, j->out, false, 0, NULL};
    size_t before = j->out->len;
    if (!jp_number(&sub) || sub.p != sub.end) {
        j->out->len = before;
        return jp_fail(j, s);
    }
    /* convert to the requested kind */
    kql_dyn d = (kql_dyn)j->out->data + before;
    if (want_real && d[0] == KQL_DYN_LONG) {
        double r = (double)kql_dyn_long(d);
        j->out->len = before;
        kql_dyn_put_real(j->out, r);
    } else if (!want_real && d[0] == KQL_DYN_REAL) {
        double r = kql_dyn_real(d);
        j->out->len = before;
        if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
            return jp_fail(j, s);
        kql_dyn_put_long(j->out, (int64_t)r);
    }
    return true;
}

/* KQL words inside a dynamic literal: true/false/null and typed literals
 * such as datetime(2015-12-31), time(1d), guid(...), long(5), real(1.5). */
static bool jp_word(jparser *j)
{
    const char *s = j->p;
    while (j->p < j->end && (isalnum((unsigned char)*j->p) || *j->p == '_'))
        j->p++;
    size_t n = (size_t)(j->p - s);
    if (word_is(s, n, "true")) {
        kql_dyn_put_bool(j->out, true);
        return true;
    }
    if (word_is(s, n, "false")) {
        kql_dyn_put_bool(j->out, false);
        return true;
    }
    if (word_is(s, n, "null")) {
        kql_dyn_put_null(j->out);
        return true;
    }
    if (!j->literal)
        return jp_fail(j, s);
    jp_ws(j);
    if (j->p == j->end || *j->p != '(')
        return jp_fail(j, s);
    if (word_is(s, n, "dynamic")) {
        j->p++;
        jp_ws(j);
        if (!jp_value(j))
            return false;
        jp_ws(j);
        if (j->p == j->end || *j->p != ')')
            return jp_fail(j, j->p);
        j->p++;
        return true;
    }
    const char *t;
    size_t tn;
    if (!jp_paren_text(j, &t, &tn))
        return false;
    if (word_is(t, tn, "null")) {
        kql_dyn_put_null(j->out);
        return true;
    }
    if (word_is(s, n, "datetime") || word_is(s, n, "date")) {
        int64_t ticks;
        if (!kql_datetime_parse(t, tn, &ticks))
            return jp_fail(j, t);
        kql_dyn_put_datetime(j->out, ticks);
    } else if (word_is(s, n, "timespan") || word_is(s, n, "time")) {
        int64_t ticks;
        if (!kql_timespan_parse(t, tn, &ticks))
            return jp_fail(j, t);
        kql_dyn_put_timespan(j->out, ticks);
    } else if (word_is(s, n, "guid") || word_is(s, n, "uniqueid")) {
        kql_guid g;
        if (!kql_guid_parse(t, tn, &g))
            return jp_fail(j, t);
        kql_dyn_put_guid(j->out, &g);
    } else if (word_is(s, n, "bool") || word_is(s, n, "boolean")) {
        if (word_is(t, tn, "true") || word_is(t, tn, "1"))
            kql_dyn_put_bool(j->out, true);
        else if (word_is(t, tn, "false") || word_is(t, tn, "0"))
            kql_dyn_put_bool(j->out, false);
        else
            return jp_fail(j, t);
    } else if (word_is(s, n, "long") || word_is(s, n, "int")) {
        return jp_typed_number(j, t, tn, false);
    } else if (word_is(s, n, "real") || word_is(s, n, "double") || word_is(s, n, "decimal")) {
        return jp_typed_number(j, t, tn, true);
    } else {
        return jp_fail(j, s);
    }
    return true;
}

static bool jp_value(jparser *j)
{
    if (j->p == j->end)
        return jp_fail(j, j->p);
    char c = *j->p;
    if (c == '{')
        return jp_container(j, true);
    if (c == '[')
        return jp_container(j, false);
    if (jp_is_quote(j, c) || (c == '@' && j->literal))
        return jp_string(j);
    if (c == '-' || isdigit((unsigned char)c) || (j->literal && (c == '+' || c == '.')))
        return jp_number(j);
    if (isalpha((unsigned char)c))
        return jp_word(j);
    return jp_fail(j, j->p);
}

static bool parse_top(const char *text, size_t len, kql_buf *out, size_t *err_offset,
                      bool literal)
{
    size_t start_len = out->len;
    jparser j = {text, text, text + len, out, literal, 0, NULL};
    if (!text)
        j.p = j.end = j.start = "";
    jp_ws(&j);
    if (jp_value(&j)) {
        jp_ws(&j);
        if (j.p == j.end) {
            if (err_offset)
                *err_offset = 0;
            return true;
        }
        jp_fail(&j, j.p);
    }
    out->len = start_len;   /* leave no half-written value behind */
    if (err_offset)
        *err_offset = (size_t)(j.err - j.start);
    return false;
}

bool kql_dyn_too_deep(const char *text, size_t len)
{
    int depth = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (quote) {
            if (c == '\\') i++;
            else if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            if (++depth > KQL_DYN_MAX_DEPTH) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return false;
}

bool kql_dyn_from_json(const char *text, size_t len, kql_buf *out, size_t *err_offset)
{
    return parse_top(text, len, out, err_offset, false);
}

bool kql_dyn_from_literal(const char *text, size_t len, kql_buf *out, size_t *err_offset)
{
    return parse_top(text, len, out, err_offset, true);
}

/* --- JSON output --- */

/* Bytes that JSON strings must escape: control characters, '"' and '\\'. */
static const bool json_needs_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

void kql_json_string(const char *s, size_t n, kql_buf *out)
{
    static const char hex[] = "0123456789abcdef";
    kql_buf_putc(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!json_needs_escape[c])
            continue;
        kql_buf_put(out, s + run, i - run);
        run = i + 1;
        char e[6] = {'\\', 0};
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        default:
            memcpy(e + 1, "u00", 3);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            kql_buf_put(out, e, 6);
            continue;
        }
        kql_buf_put(out, e, 2);
    }
    kql_buf_put(out, s + run, n - run);
    kql_buf_putc(out, '"');
}

void kql_dyn_to_json(kql_dyn d, kql_buf *out)
{
    char tmp[48];
    size_t n;
    switch (d[0]) {
    case KQL_DYN_NULL:
        kql_buf_puts(out, "null");
        break;
    case KQL_DYN_FALSE:
        kql_buf_puts(out, "false");
        break;
    case KQL_DYN_TRUE:
        kql_buf_puts(out, "true");
        break;
    case KQL_DYN_LONG:
        kql_buf_put(out, tmp, kql_long_format(kql_dyn_long(d), tmp));
        break;
    case KQL_DYN_REAL: {
        double r = kql_dyn_real(d);
        n = kql_real_format(r, tmp);
        if (!isfinite(r)) {
            /* bare NaN/Infinity is not JSON; Json.NET writes them quoted */
            kql_json_string(tmp, n, out);
        } else {
            kql_buf_put(out, tmp, n);
            /* a real stays recognisable as one inside JSON: [5.0], as Kusto prints */
            if (!memchr(tmp, '.', n) && !memchr(tmp, 'E', n))
                kql_buf_put(out, ".0", 2);
        }
        break;
    }
    case KQL_DYN_STRING: {
        kql_str s = kql_dyn_string(d);
        kql_json_string(s.ptr, s.len, out);
        break;
    }
    case KQL_DYN_ARRAY: {
        kql_buf_putc(out, '[');
        uint32_t cnt = kql_dyn_count(d);
        kql_dyn e = d + 9;
        for (uint32_t i = 0; i < cnt; i++) {
            if (i)
                kql_buf_putc(out, ',');
            kql_dyn_to_json(e, out);
            e += kql_dyn_size(e);
        }
        kql_buf_putc(out, ']');
        break;
    }
    case KQL_DYN_OBJECT: {
        kql_buf_putc(out, '{');
        uint32_t cnt = kql_dyn_count(d);
        const uint8_t *p = d + 9;
        for (uint32_t i = 0; i < cnt; i++) {
            kql_str key;
            kql_dyn v;
            kql_dyn_prop(p, &key, &v);
            if (i)
                kql_buf_putc(out, ',');
            kql_json_string(key.ptr, key.len, out);
            kql_buf_putc(out, ':');
            kql_dyn_to_json(v, out);
            p = v + kql_dyn_size(v);
        }
        kql_buf_putc(out, '}');
        break;
    }
    case KQL_DYN_DATETIME:
        n = kql_datetime_format(kql_dyn_long(d), tmp);
        kql_json_string(tmp, n, out);
        break;
    case KQL_DYN_TIMESPAN:
        n = kql_timespan_format(kql_dyn_long(d), tmp);
        kql_json_string(tmp, n, out);
        break;
    case KQL_DYN_GUID: {
        kql_guid g;
        memcpy(g.b, d + 1, 16);
        n = kql_guid_format(&g, tmp);
        kql_json_string(tmp, n, out);
        break;
    }
    default:
        kql_buf_puts(out, "null");
        break;
    }
}

/* --- equality, hashing, ordering --- */

static bool dyn_is_number(kql_dyn d)
{
    return d[0] == KQL_DYN_LONG || d[0] == KQL_DYN_REAL;
}

/* r as an int64 if it is a whole number in range (so 1.0 hashes like 1). */
static bool real_as_long(double r, int64_t *out)
{
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        return false;
    int64_t i = (int64_t)r;
    if ((double)i != r)
        return false;
    *out = i;
    return true;
}

/* Numeric order of two LONG/REAL encodings: NaN first, then by value. */
static int number_compare(kql_dyn a, kql_dyn b)
{
    if (a[0] == KQL_DYN_LONG && b[0] == KQL_DYN_LONG) {
        int64_t x = kql_dyn_long(a), y = kql_dyn_long(b);
        return (x > y) - (x < y);
    }
    long double x = a[0] == KQL_DYN_LONG ? (long double)kql_dyn_long(a) : kql_dyn_real(a);
    long double y = b[0] == KQL_DYN_LONG ? (long double)kql_dyn_long(b) : kql_dyn_real(b);
    bool xn = isnan(x), yn = isnan(y);
    if (xn || yn)
        return yn - xn;
    return (x > y) - (x < y);
}

bool kql_dyn_equal(kql_dyn a, kql_dyn b)
{
    if (dyn_is_number(a) && dyn_is_number(b))
        return number_compare(a, b) == 0;
    if (a[0] != b[0])
        return false;
    switch (a[0]) {
    case KQL_DYN_STRING: {
        kql_str x = kql_dyn_string(a), y = kql_dyn_string(b);
        return x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0;
    }
    case KQL_DYN_DATETIME:
    case KQL_DYN_TIMESPAN:
        return kql_dyn_long(a) == kql_dyn_long(b);
    case KQL_DYN_GUID:
        return memcmp(a + 1, b + 1, 16) == 0;
    case KQL_DYN_ARRAY: {
        uint32_t n = kql_dyn_count(a);
        if (n != kql_dyn_count(b))
            return false;
        kql_dyn x = a + 9, y = b + 9;
        for (uint32_t i = 0; i < n; i++) {
            if (!kql_dyn_equal(x, y))
                return false;
            x += kql_dyn_size(x);
            y += kql_dyn_size(y);
        }
        return true;
    }
    case KQL_DYN_OBJECT: {
        uint32_t n = kql_dyn_count(a);
        if (n != kql_dyn_count(b))
            return false;
        const uint8_t *p = a + 9;
        for (uint32_t i = 0; i < n; i++) {
            kql_str key;
            kql_dyn v;
            kql_dyn_prop(p, &key, &v);
            kql_dyn w = kql_dyn_get(b, key.ptr, key.len);
            if (!w || !kql_dyn_equal(v, w))
                return false;
            p = v + kql_dyn_size(v);
        }
        return true;
    }
    default:
        return true;   /* null, false, true: the tag is the value */
    }
}

uint64_t kql_dyn_hash(kql_dyn d)
{
    switch (d[0]) {
    case KQL_DYN_LONG:
        return kql_hash_u64((uint64_t)kql_dyn_long(d));
    case KQL_DYN_REAL: {
        double r = kql_dyn_real(d);
        int64_t i;
        if (real_as_long(r, &i))
            return kql_hash_u64((uint64_t)i);
        if (isnan(r))
            return kql_hash_u64(0x7ff8000000000000ULL);
        uint64_t bits;
        memcpy(&bits, &r, 8);
        return kql_hash_u64(bits);
    }
    case KQL_DYN_STRING: {
        kql_str s = kql_dyn_string(d);
        return kql_hash_bytes(s.ptr, s.len);
    }
    case KQL_DYN_DATETIME:
    case KQL_DYN_TIMESPAN:
        return kql_hash_u64((uint64_t)kql_dyn_long(d) ^ ((uint64_t)d[0] << 56));
    case KQL_DYN_GUID:
        return kql_hash_bytes(d + 1, 16) ^ 0x5bd1e995;
    case KQL_DYN_ARRAY: {
        uint64_t h = kql_hash_u64(0xa5a5 + kql_dyn_count(d));
        uint32_t n = kql_dyn_count(d);
        kql_dyn e = d + 9;
        for (uint32_t i = 0; i < n; i++) {
            h = kql_hash_u64(h * 31 + kql_dyn_hash(e));
            e += kql_dyn_size(e);
        }
        return h;
    }
    case KQL_DYN_OBJECT: {
        /* a sum of per-property hashes: independent of key order, as equality is */
        uint32_t n = kql_dyn_count(d);
        uint64_t h = kql_hash_u64(0x0b1ec7 + n);
        const uint8_t *p = d + 9;
        for (uint32_t i = 0; i < n; i++) {
            kql_str key;
            kql_dyn v;
            kql_dyn_prop(p, &key, &v);
            h += kql_hash_u64(kql_hash_bytes(key.ptr, key.len) ^ kql_dyn_hash(v) * 0x9e3779b97f4a7c15ULL);
            p = v + kql_dyn_size(v);
        }
        return h;
    }
    default:
        return kql_hash_u64(0xd1d0 + d[0]);
    }
}

static int dyn_rank(kql_dyn d)
{
    return d[0] == KQL_DYN_REAL ? KQL_DYN_LONG : d[0];
}

int kql_dyn_compare(kql_dyn a, kql_dyn b)
{
    int ra = dyn_rank(a), rb = dyn_rank(b);
    if (ra != rb)
        return (ra > rb) - (ra < rb);
    switch (ra) {
    case KQL_DYN_LONG:
        return number_compare(a, b);
    case KQL_DYN_STRING: {
        kql_str x = kql_dyn_string(a), y = kql_dyn_string(b);
        int c = memcmp(x.ptr, y.ptr, x.len < y.len ? x.len : y.len);
        return c ? (c > 0) - (c < 0) : (x.len > y.len) - (x.len < y.len);
    }
    case KQL_DYN_DATETIME:
    case KQL_DYN_TIMESPAN: {
        int64_t x = kql_dyn_long(a), y = kql_dyn_long(b);
        return (x > y) - (x < y);
    }
    case KQL_DYN_GUID: {
        int c = memcmp(a + 1, b + 1, 16);
        return (c > 0) - (c < 0);
    }
    case KQL_DYN_ARRAY: {
        uint32_t na = kql_dyn_count(a), nb = kql_dyn_count(b);
        kql_dyn x = a + 9, y = b + 9;
        for (uint32_t i = 0; i < na && i < nb; i++) {
            int c = kql_dyn_compare(x, y);
            if (c)
                return c;
            x += kql_dyn_size(x);
            y += kql_dyn_size(y);
        }
        return (na > nb) - (na < nb);
    }
    case KQL_DYN_OBJECT: {
        if (kql_dyn_equal(a, b))
            return 0;
        uint32_t na = kql_dyn_count(a), nb = kql_dyn_count(b);
        if (na != nb)
            return (na > nb) - (na < nb);
        size_t sa = kql_dyn_size(a), sb = kql_dyn_size(b);
        int c = memcmp(a, b, sa < sb ? sa : sb);
        return c ? (c > 0) - (c < 0) : (sa > sb) - (sa < sb);
    }
    default:
        return 0;
    }
}
