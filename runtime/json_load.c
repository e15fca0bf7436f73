/* json_load.c - JSON files -> columnar tables (json_load.h).
 *
 * Input shapes, told apart by the first non-space character:
 *   '['  a JSON array of record objects (each element parsed on its own);
 *   else JSON Lines: one object a line, blank lines ignored. If the first
 *        record does not fit on its line the file is taken as a stream of
 *        (pretty-printed) objects separated by white space instead.
 * Besides plain records, a top-level object may be an Event Hubs batch
 * {"records":[...]} or a Log Analytics query API answer {"tables":[{"columns":
 * [...], "rows":[[...]]}]}, the other ways such logs leave Azure.
 * cJSON parses one record at a time; the record's fields go straight into
 * column builders (kql_column_push copies bytes into the column's arena) and
 * the tree is freed; its nodes come from a per-thread block (below), so the
 * per-row path does not call malloc.
 *
 * cJSON keeps numbers only as doubles, which loses int64 precision and the
 * difference between 1 and 1.0. So after parsing a record we walk its tree and
 * the record text side by side and point each number node's (unused)
 * valuestring at the number's text, flagging the node cJSON_IsReference so
 * cJSON_Delete does not free it. Converters read the exact text from there.
 *
 * Known tables (schema.h) get exactly the schema's columns, values coerced to
 * the column types (see jl_push_typed). Fields the schema lacks, and every
 * field of an unknown table, are staged as dynamic cells while their value
 * kinds are tallied; at the end each staged column becomes the type the kinds
 * allow (see jl_inferred_type).
 *
 * With a kql_load_filter (json_load.h) only the wanted columns exist: in
 * JSON Lines, jl_scan_record walks a record's top-level fields in the text and
 * hands cJSON only the values of wanted fields; the others are skipped
 * (jl_find_special finds quotes and backslashes 16 bytes at a time). Rows
 * then collect in chunks of JL_CHUNK_ROWS; the filter's `keep`
 * picks the rows of each full chunk that go on into the table (jl_flush_chunk).
 * While a record is parsed, cJSON's nodes come from a per-thread block that is
 * reset after the record (jl_cj_malloc), not from malloc.
 */
#include "json_load.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cancel.h"
#include "dynamic.h"
#include "load_file.h"
#include "progress.h"
#include "schema.h"

enum { JL_CHUNK_ROWS = 8192 };

/* Kinds of JSON values seen in an inferred column (bit set). */
enum {
    JL_K_LONG = 1, JL_K_REAL = 2, JL_K_BOOL = 4,
    JL_K_DATE = 8,     /* a string that reads as an ISO 8601 datetime */
    JL_K_STR = 16,     /* any other non-empty string */
    JL_K_EMPTY = 32,   /* "" */
    JL_K_NEST = 64     /* object or array */
};

typedef struct jl_col {
    const char *name;      /* the schema's name, or owned_name */
    char *owned_name;      /* owned: names of fields not in a schema */
    size_t name_len;
    kql_type type;         /* target type; KQL_TYPE_UNKNOWN while inferred */
    bool hidden;
    unsigned kinds;        /* JL_K_* seen, for inferred columns */
    kql_column *col;       /* one reference: typed column, or dynamic staging */
    kql_column *out;       /* chunked loads: the rows kept from earlier chunks (one reference) */
    const cJSON *slot;     /* this record's value for the column, or NULL */
    bool raw;              /* instead: a string value, decoded at loader->strings + raw_off */
    size_t raw_off;
} jl_col;

/* The key of a record's k-th field and its column, as the last record had
 * them: records of one file list their fields in one order, so a memcmp
 * usually stands in for hashing the key. */
typedef struct jl_key_memo {
    char name[48];
    size_t len;            /* 0: nothing remembered */
    long idx;              /* column, or -1: not wanted */
} jl_key_memo;

enum { JL_KEY_MEMOS = 256 };

typedef struct jl_loader {
    const char *path;
    const char *text;
    size_t len;
    kql_load_error *err;
    jl_col *cols;          /* owned */
    size_t ncols, cap;
    uint32_t *map;         /* owned; open addressing: column index + 1, 0 = empty */
    size_t map_cap;        /* power of two */
    size_t nrows;
    kql_buf scratch;       /* reusable: dynamic encodings and JSON text of cells */
    size_t nbad;           /* values that could not be converted */
    size_t loc_off, loc_line, loc_line_start;   /* cache for jl_locate */
    const kql_json_options *opt;     /* never NULL */
    const kql_load_report *report;   /* opt->report, or the second thread's collector; may be NULL */
    const kql_load_filter *filter;   /* opt->filter, or NULL */
    bool progress;         /* this loader reports progress (the second thread does not) */
    const kql_schema *schema;   /* the table's, or NULL */
    bool unknown_field;    /* a filtered load met a field the schema lacks */
    bool chunked;          /* rows pass through filter->keep a chunk at a time */
    size_t out_rows;       /* rows in the cols' `out` (chunked loads) */
    size_t chunk_off;      /* where the current chunk's first record starts */
    size_t rows_read;      /* records read, for progress */
    cJSON **trees;         /* owned array: values jl_scan_record parsed for this record */
    size_t ntrees, cap_trees;
    kql_buf strings;       /* jl_scan_record: this record's decoded string values, NUL after each */
    jl_key_memo *memo;     /* owned, JL_KEY_MEMOS: by field position (jl_scan_record) */
    bool mapped;           /* text is a read-only file mapping: pages read can be dropped */
    size_t start;          /* jl_load_parallel: where this loader's lines begin */
    bool lines_only;       /* jl_load_parallel's ranges: one record a line, known */
    bool ok;               /* jl_load_parallel: the range's outcome */
    size_t dropped;        /* text before this offset has been handed back (page aligned) */
} jl_loader;

/* ---------- cJSON's allocations: a per-record block ---------- */

/* cJSON allocates a node per value and a copy per string. While a loader
 * parses a record those come from the thread's block (bump allocation); the
 * block is reset when the record's values are in the columns. What does not
 * fit is malloc'd, and the block grows for the next record. Outside a load
 * (jl_block NULL) cJSON uses malloc and free as usual. */
typedef struct jl_block {
    char *base;            /* owned (malloc) */
    size_t cap, used, overflow;
} jl_block;

enum { JL_BLOCK_MIN = 1 << 16, JL_BLOCK_MAX = 1 << 22 };

static __thread jl_block *jl_cur_block;

static void *jl_cj_malloc(size_t n)
{
    jl_block *b = jl_cur_block;
    n = (n + 15) & ~(size_t)15;
    if (b && b->cap - b->used >= n) {
        void *p = b->base + b->used;
        b->used += n;
        return p;
    }
    if (b)
        b->overflow += n;
    return malloc(n);
}

static void jl_cj_free(void *p)
{
    jl_block *b = jl_cur_block;
    if (b && (char *)p >= b->base && (char *)p < b->base + b->cap)
        return;
    free(p);
}

static void jl_install_hooks(void)
{
    cJSON_Hooks hooks = {jl_cj_malloc, jl_cj_free};
    cJSON_InitHooks(&hooks);
}

static void jl_block_begin(jl_block *b)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, jl_install_hooks);
    b->cap = JL_BLOCK_MIN;
    b->base = kql_xrealloc(NULL, b->cap);
    b->used = b->overflow = 0;
    jl_cur_block = b;
}

/* After a record: every tree of it has been deleted. */
static void jl_block_reset(void)
{
    jl_block *b = jl_cur_block;
    if (b->overflow && b->cap < JL_BLOCK_MAX) {
        size_t want = b->used + b->overflow;
        while (b->cap < want && b->cap < JL_BLOCK_MAX)
            b->cap *= 2;
        free(b->base);
        b->base = kql_xrealloc(NULL, b->cap);
    }
    b->used = b->overflow = 0;
}

static void jl_block_end(jl_block *b)
{
    jl_cur_block = NULL;
    free(b->base);
}

/* ---------- positions and messages ---------- */

/* 1-based line and byte column of offset `off`. Records are visited in
 * order, so the scan resumes from the last answer instead of the start. */
static void jl_locate(jl_loader *L, size_t off, size_t *line, size_t *col)
{
    if (off < L->loc_off) {
        L->loc_off = 0;
        L->loc_line = 1;
        L->loc_line_start = 0;
    }
    for (size_t i = L->loc_off; i < off && i < L->len; i++)
        if (L->text[i] == '\n') {
            L->loc_line++;
            L->loc_line_start = i + 1;
        }
    L->loc_off = off;
    *line = L->loc_line;
    *col = off - L->loc_line_start + 1;
}

static void jl_fail(jl_loader *L, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void jl_fail(jl_loader *L, size_t off, const char *fmt, ...)
{
    size_t line, col;
    jl_locate(L, off, &line, &col);
    int n = snprintf(L->err->message, sizeof L->err->message, "%s:%zu:%zu: ", L->path, line, col);
    if (n < 0 || (size_t)n >= sizeof L->err->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->err->message + n, sizeof L->err->message - (size_t)n, fmt, ap);
    va_end(ap);
}

static const char *jl_kind_name(const cJSON *v)
{
    switch (v->type & 0xFF) {
    case cJSON_Array: return "an array";
    case cJSON_String: return "a string";
    case cJSON_Number: return "a number";
    case cJSON_True: return "true";
    case cJSON_False: return "false";
    case cJSON_NULL: return "null";
    default: return "a value";
    }
}

static bool jl_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t jl_skip_space(const jl_loader *L, size_t pos)
{
    while (pos < L->len && jl_is_space(L->text[pos]))
        pos++;
    return pos;
}

/* cJSON only says where it stopped; when the record is cut short (the line or
 * file ends inside it) or nests too deeply, a scan of the text says what is
 * wrong more usefully. `limit` is where the parse was allowed to read to. */
static void jl_parse_error(jl_loader *L, size_t start, size_t limit, size_t cj_err, bool line_limited)
{
    static const char closer[2] = {'}', ']'};
    unsigned char stack[CJSON_NESTING_LIMIT + 1];   /* 1 = '[', 0 = '{' */
    size_t depth = 0, i = start;
    bool complete = false;
    for (; i < limit && !complete; i++) {
        char ch = L->text[i];
        if (ch == '"') {
            size_t s = i;
            for (i++; i < limit && L->text[i] != '"'; i++)
                if (L->text[i] == '\\')
                    i++;
            if (i >= limit && cj_err >= s) {
                jl_fail(L, s, "unterminated string");
                return;
            }
        } else if (ch == '{' || ch == '[') {
            if (depth == CJSON_NESTING_LIMIT && cj_err >= i) {
                jl_fail(L, i, "JSON nested deeper than %d levels", CJSON_NESTING_LIMIT);
                return;
            }
            if (depth == CJSON_NESTING_LIMIT)
                break;
            stack[depth++] = ch == '[';
        } else if (ch == '}' || ch == ']') {
            complete = depth == 0 || --depth == 0;
        }
    }
    /* cJSON reports the last byte when it runs out of input */
    if (!complete && depth > 0 && cj_err + 1 >= limit) {
        char want = closer[stack[depth - 1]];
        jl_fail(L, limit, "unexpected end of %s, expected '%c'", line_limited ? "line" : "input", want);
        return;
    }
    char at = cj_err < limit ? L->text[cj_err] : '\0';
    if (at > ' ' && at < 127)
        jl_fail(L, cj_err, "malformed JSON at '%c'", at);
    else
        jl_fail(L, cj_err, "malformed JSON");
}

/* ---------- exact number text (see the header comment) ---------- */

static bool jl_is_num_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* The first '"', '\\' or `also` (a line end for callers that must stop at
 * one; '"' for those that need not) at or after p, or end. String bytes are
 * most of a log, and JSON text inside strings (\"key\":\"value\") has an
 * escape every few bytes, so this looks at 16 bytes a step (SSE2, on
 * x86-64) rather than calling memchr per quote. */
static inline const char *jl_find_special(const char *p, const char *end, char also)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), other = _mm_set1_epi8(also);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                                   _mm_cmpeq_epi8(v, other));
        int m = _mm_movemask_epi8(hit);
        if (m)
            return p + __builtin_ctz((unsigned)m);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\' && *p != also)
        p++;
    return p;
}

/* The end of the string literal whose contents start at p (just past its
 * closing quote), or end. */
static const char *jl_skip_string(const char *p, const char *end)
{
    while (p < end) {
        const char *q = jl_find_special(p, end, '"');
        if (q >= end)
            return end;
        if (*q == '"')
            return q + 1;
        p = q + 2;   /* an escape: the next byte is never the end of the string */
    }
    return end;
}

/* The next number token at or after p, outside string literals; end if none. */
static const char *jl_next_number(const char *p, const char *end)
{
    while (p < end) {
        if (*p == '"') {
            p = jl_skip_string(p + 1, end);
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            return p;
        } else {
            p++;
        }
    }
    return end;
}

static void jl_annotate(cJSON *n, const char **cur, const char *end)
{
    if (cJSON_IsNumber(n)) {
        const char *p = jl_next_number(*cur, end);
        if (p >= end)
            return;
        const char *q = p;
        while (q < end && jl_is_num_char(*q))
            q++;
        n->valuestring = (char *)p;
        n->type |= cJSON_IsReference;
        *cur = q;
    } else if (cJSON_IsArray(n) || cJSON_IsObject(n)) {
        for (cJSON *c = n->child; c; c = c->next)
            jl_annotate(c, cur, end);
    }
}

typedef struct jl_num {
    bool is_int;
    int64_t i;
    double r;
} jl_num;

/* A JSON number or a numeric string -> jl_num. Integers without fraction or
 * exponent that fit int64 are exact; "NaN", "Infinity", "-Infinity" are
 * accepted so that what the json formatter writes reads back. */
static bool jl_parse_number(const char *s, size_t len, jl_num *out)
{
    char tmp[72];
    if (len == 0 || len >= sizeof tmp)
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    if (strcmp(tmp, "NaN") == 0 || strcmp(tmp, "Infinity") == 0 || strcmp(tmp, "-Infinity") == 0) {
        out->is_int = false;
        out->r = tmp[0] == 'N' ? (double)NAN : tmp[0] == '-' ? -(double)INFINITY : (double)INFINITY;
        return true;
    }
    for (size_t k = 0; k < len; k++)
        if (!jl_is_num_char(tmp[k]))
            return false;
    char *end;
    if (!strpbrk(tmp, ".eE")) {
        errno = 0;
        long long v = strtoll(tmp, &end, 10);
        if (*end == '\0' && end != tmp && errno == 0) {
            out->is_int = true;
            out->i = v;
            out->r = (double)v;
            return true;
        }
    }
    errno = 0;
    double r = strtod(tmp, &end);
    if (*end != '\0' || end == tmp)
        return false;
    out->is_int = false;
    out->r = r;
    return true;
}

/* The exact text of a number node (annotated), or a printed fallback. */
static size_t jl_number_text(const cJSON *n, char *fallback, size_t cap, const char **text)
{
    if (n->valuestring) {
        const char *q = n->valuestring;
        while (jl_is_num_char(*q))
            q++;
        *text = n->valuestring;
        return (size_t)(q - n->valuestring);
    }
    int k = snprintf(fallback, cap, "%.17g", n->valuedouble);
    *text = fallback;
    return k < 0 ? 0 : (size_t)k;
}

static jl_num jl_number_of(const cJSON *n)
{
    char fb[40];
    const char *t;
    size_t len = jl_number_text(n, fb, sizeof fb, &t);
    jl_num num;
    if (!jl_parse_number(t, len, &num))
        num = (jl_num){.is_int = false, .i = 0, .r = n->valuedouble};
    return num;
}

/* ---------- cJSON tree -> dynamic encoding / compact JSON text ---------- */

static void jl_put_dyn(kql_buf *out, const cJSON *v)
{
    switch (v->type & 0xFF) {
    case cJSON_False: kql_dyn_put_bool(out, false); break;
    case cJSON_True: kql_dyn_put_bool(out, true); break;
    case cJSON_Number: {
        jl_num n = jl_number_of(v);
        if (n.is_int)
            kql_dyn_put_long(out, n.i);
        else
            kql_dyn_put_real(out, n.r);
        break;
    }
    case cJSON_String: kql_dyn_put_string(out, v->valuestring, strlen(v->valuestring)); break;
    case cJSON_Array: {
        size_t mark = kql_dyn_begin_array(out);
        uint32_t count = 0;
        for (const cJSON *c = v->child; c; c = c->next, count++)
            jl_put_dyn(out, c);
        kql_dyn_end(out, mark, count);
        break;
    }
    case cJSON_Object: {
        size_t mark = kql_dyn_begin_object(out);
        uint32_t count = 0;
        for (const cJSON *c = v->child; c; c = c->next, count++) {
            kql_dyn_put_key(out, c->string, strlen(c->string));
            jl_put_dyn(out, c);
        }
        kql_dyn_end(out, mark, count);
        break;
    }
    default: kql_dyn_put_null(out); break;
    }
}

/* Compact JSON text of a value, numbers exactly as written in the file. */
static void jl_put_json(kql_buf *out, const cJSON *v)
{
    switch (v->type & 0xFF) {
    case cJSON_False: kql_buf_puts(out, "false"); break;
    case cJSON_True: kql_buf_puts(out, "true"); break;
    case cJSON_Number: {
        char fb[40];
        const char *t;
        size_t len = jl_number_text(v, fb, sizeof fb, &t);
        kql_buf_put(out, t, len);
        break;
    }
    case cJSON_String: kql_json_string(v->valuestring, strlen(v->valuestring), out); break;
    case cJSON_Array:
    case cJSON_Object: {
        bool obj = cJSON_IsObject(v);
        kql_buf_putc(out, obj ? '{' : '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            if (c != v->child)
                kql_buf_putc(out, ',');
            if (obj) {
                kql_json_string(c->string, strlen(c->string), out);
                kql_buf_putc(out, ':');
            }
            jl_put_json(out, c);
        }
        kql_buf_putc(out, obj ? '}' : ']');
        break;
    }
    default: kql_buf_puts(out, "null"); break;
    }
}

/* ---------- columns and the name map ---------- */

static uint64_t jl_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void jl_map_insert(jl_loader *L, size_t idx)
{
    size_t mask = L->map_cap - 1;
    size_t h = (size_t)jl_hash(L->cols[idx].name, L->cols[idx].name_len) & mask;
    while (L->map[h])
        h = (h + 1) & mask;
    L->map[h] = (uint32_t)(idx + 1);
}

/* Keeps the map at most half full. */
static void jl_map_grow(jl_loader *L)
{
    if (L->ncols * 2 < L->map_cap)
        return;
    free(L->map);
    L->map_cap = L->map_cap ? L->map_cap * 2 : 64;
    while (L->ncols * 2 >= L->map_cap)
        L->map_cap *= 2;
    L->map = calloc(L->map_cap, sizeof *L->map);
    if (!L->map)
        kql_out_of_memory(L->map_cap * sizeof *L->map);
    for (size_t i = 0; i < L->ncols; i++)
        jl_map_insert(L, i);
}

static long jl_map_find(const jl_loader *L, const char *name, size_t len)
{
    if (!L->map_cap)
        return -1;
    size_t mask = L->map_cap - 1;
    for (size_t h = (size_t)jl_hash(name, len) & mask; L->map[h]; h = (h + 1) & mask) {
        const jl_col *c = &L->cols[L->map[h] - 1];
        if (c->name_len == len && memcmp(c->name, name, len) == 0)
            return (long)L->map[h] - 1;
    }
    return -1;
}

/* Adds a column. type KQL_TYPE_UNKNOWN: inferred, staged as dynamic and
 * back-filled with nulls for the rows read before it first appeared. */
static size_t jl_add_column(jl_loader *L, const char *name, bool copy_name, kql_type type, bool hidden)
{
    if (L->ncols == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 16;
        L->cols = kql_xrealloc(L->cols, L->cap * sizeof *L->cols);
    }
    jl_col *c = &L->cols[L->ncols];
    *c = (jl_col){0};
    c->name_len = strlen(name);
    if (copy_name) {
        c->owned_name = kql_xrealloc(NULL, c->name_len + 1);
        memcpy(c->owned_name, name, c->name_len + 1);
        c->name = c->owned_name;
    } else {
        c->name = name;
    }
    c->type = type;
    c->hidden = hidden;
    c->col = kql_column_new(type == KQL_TYPE_UNKNOWN ? KQL_DYNAMIC : type, L->nrows);
    for (size_t r = 0; r < L->nrows; r++)
        kql_column_push_null(c->col);
    L->ncols++;
    jl_map_grow(L);
    if (L->map_cap && jl_map_find(L, name, c->name_len) < 0)
        jl_map_insert(L, L->ncols - 1);
    return L->ncols - 1;
}

/* ---------- converting one cell ---------- */

/* Reports a value that does not fit its column (it is stored as null) to
 * the caller's report: a string in single quotes (escaped as in JSON, so a
 * line break cannot split the message), anything else as its JSON text, cut
 * at 60 bytes (not inside a UTF-8 sequence). */
static void jl_warn(jl_loader *L, const jl_col *c, const cJSON *v, size_t rec_off)
{
    const kql_load_report *rep = L->report;
    if (++L->nbad > KQL_LOAD_MAX_NOTES || !rep || !rep->note)
        return;
    kql_buf_clear(&L->scratch);
    jl_put_json(&L->scratch, v);
    if (cJSON_IsString(v))
        L->scratch.data[0] = L->scratch.data[L->scratch.len - 1] = '\'';
    size_t shown = L->scratch.len;
    if (shown > 60) {
        shown = 60;
        while (shown > 0 && ((unsigned char)L->scratch.data[shown] & 0xC0) == 0x80)
            shown--;
    }
    size_t line, col;
    jl_locate(L, rec_off, &line, &col);
    const char *tn = kql_type_name(c->type);
    kql_buf msg;
    kql_buf_init(&msg);
    kql_buf_printf(&msg, "%s:%zu: column %s: %.*s%s is not a%s %s (stored as null)", L->path, line,
                   c->name, (int)shown, L->scratch.data, shown < L->scratch.len ? "..." : "",
                   tn[0] == 'i' ? "n" : "", tn);
    rep->note(rep->ctx, kql_buf_cstr(&msg));
    kql_buf_free(&msg);
}

static bool jl_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "YYYY-MM-DD" followed by the end, 'T' or ' ', and a valid datetime: the
 * test for inferring datetime columns, so "20261120" or "12" stay strings. */
static bool jl_looks_like_datetime(const char *s, size_t len, int64_t *ticks)
{
    if (len < 10 || !jl_is_digit(s[0]) || !jl_is_digit(s[1]) || !jl_is_digit(s[2]) ||
        !jl_is_digit(s[3]) || s[4] != '-' || !jl_is_digit(s[5]) || !jl_is_digit(s[6]) ||
        s[7] != '-' || !jl_is_digit(s[8]) || !jl_is_digit(s[9]))
        return false;
    if (len > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return false;
    return kql_datetime_parse(s, len, ticks);
}

static void jl_push_dyn_scratch(jl_loader *L, kql_column *col)
{
    kql_value v = {.type = KQL_DYNAMIC, .is_null = false};
    v.u.s.ptr = L->scratch.data;
    v.u.s.len = (uint32_t)L->scratch.len;
    kql_column_push(col, &v);
}

/* A typed column: coerce v (NULL = field missing) to the column's type.
 *   string    JSON strings as they are; other values as their JSON text (so
 *             AADNonInteractiveUserSignInLogs keeps its JSON columns as text);
 *             missing or null -> "" (KQL strings have no null)
 *   dynamic   values as they are, but a string holding JSON text ({ or [) is
 *             parsed, as exports write dynamic columns either way; "" -> null
 *   long/int/real  numbers or numeric strings; bool: true/false in any case,
 *             or 0/1; datetime/timespan/guid: their text
 * Missing, null and "" give null; anything else that does not convert gives
 * null and a warning. */
static void jl_push_typed(jl_loader *L, jl_col *c, const cJSON *v, size_t rec_off)
{
    kql_column *col = c->col;
    kql_value out;
    int t = v ? (v->type & 0xFF) : cJSON_NULL;
    const char *s = t == cJSON_String ? v->valuestring : NULL;
    size_t slen = s ? strlen(s) : 0;

    if (c->type == KQL_STRING) {
        if (s) {
            out = kql_string(s, slen);
        } else {
            /* strings have no null in KQL: a missing value is "" */
            kql_buf_clear(&L->scratch);
            if (t != cJSON_NULL)
                jl_put_json(&L->scratch, v);
            out = kql_string(L->scratch.data ? L->scratch.data : "", L->scratch.len);
        }
        kql_column_push(col, &out);
        return;
    }
    if (c->type == KQL_DYNAMIC) {
        if (t == cJSON_NULL || (s && slen == 0)) {
            kql_column_push_null(col);
            return;
        }
        kql_buf_clear(&L->scratch);
        if (s) {
            /* JSON text in a string (as some exports write dynamic columns) */
            const char *p = s;
            while (jl_is_space(*p))
                p++;
            size_t err_off;
            if (!((*p == '{' || *p == '[') && kql_dyn_from_json(s, slen, &L->scratch, &err_off))) {
                kql_buf_clear(&L->scratch);
                kql_dyn_put_string(&L->scratch, s, slen);
            }
        } else {
            jl_put_dyn(&L->scratch, v);
        }
        jl_push_dyn_scratch(L, col);
        return;
    }
    if (t == cJSON_NULL || (s && slen == 0)) {
        kql_column_push_null(col);
        return;
    }

    bool ok = false;
    jl_num n;
    switch (c->type) {
    case KQL_BOOL:
        if (t == cJSON_True || t == cJSON_False) {
            out = kql_bool(t == cJSON_True);
            ok = true;
        } else if (s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0)) {
            out = kql_bool(s[0] == 't' || s[0] == 'T');
            ok = true;
        } else if (t == cJSON_Number && (n = jl_number_of(v)).is_int && (n.i == 0 || n.i == 1)) {
            out = kql_bool(n.i == 1);
            ok = true;
        }
        break;
    case KQL_INT:
    case KQL_LONG: {
        bool num = t == cJSON_Number ? (n = jl_number_of(v), true) : s && jl_parse_number(s, slen, &n);
        if (num && !n.is_int && n.r == n.r && n.r >= -9.2233720368547758e18 && n.r < 9.2233720368547758e18 &&
            n.r == (double)(int64_t)n.r) {
            n.is_int = true;
            n.i = (int64_t)n.r;
        }
        if (num && n.is_int) {
            if (c->type == KQL_LONG) {
                out = kql_long(n.i);
                ok = true;
            } else if (n.i >= INT32_MIN && n.i <= INT32_MAX) {
                out = kql_int((int32_t)n.i);
                ok = true;
            }
        }
        break;
    }
    case KQL_REAL:
        if (t == cJSON_Number || (s && jl_parse_number(s, slen, &n))) {
            if (t == cJSON_Number)
                n = jl_number_of(v);
            out = kql_real(n.is_int ? (double)n.i : n.r);
            ok = true;
        }
        break;
    case KQL_DATETIME: {
        int64_t ticks;
        if (s && kql_datetime_parse(s, slen, &ticks)) {
            out = kql_datetime(ticks);
            ok = true;
        }
        break;
    }
    case KQL_TIMESPAN: {
        int64_t ticks;
        if (s && kql_timespan_parse(s, slen, &ticks)) {
            out = kql_timespan(ticks);
            ok = true;
        }
        break;
    }
    case KQL_GUID:
        if (s && kql_guid_parse(s, slen, &out.u.g)) {
            out.type = KQL_GUID;
            out.is_null = false;
            ok = true;
        }
        break;
    default:
        break;
    }
    if (ok) {
        kql_column_push(col, &out);
    } else {
        jl_warn(L, c, v, rec_off);
        kql_column_push_null(col);
    }
}

/* An inferred column: stage v as a dynamic cell and note its kind. */
static void jl_push_inferred(jl_loader *L, jl_col *c, const cJSON *v)
{
    if (!v || cJSON_IsNull(v)) {
        kql_column_push_null(c->col);
        return;
    }
    switch (v->type & 0xFF) {
    case cJSON_True:
    case cJSON_False: c->kinds |= JL_K_BOOL; break;
    case cJSON_Number: c->kinds |= jl_number_of(v).is_int ? JL_K_LONG : JL_K_REAL; break;
    case cJSON_String: {
        size_t len = strlen(v->valuestring);
        int64_t ticks;
        if (len == 0)
            c->kinds |= JL_K_EMPTY;
        else if (!(c->kinds & JL_K_STR) && jl_looks_like_datetime(v->valuestring, len, &ticks))
            c->kinds |= JL_K_DATE;
        else
            c->kinds |= JL_K_STR;
        break;
    }
    default: c->kinds |= JL_K_NEST; break;
    }
    kql_buf_clear(&L->scratch);
    jl_put_dyn(&L->scratch, v);
    jl_push_dyn_scratch(L, c->col);
}

/* The type an inferred column's kinds allow: one kind gives its type, long
 * with real gives real, date strings (with empty ones) give datetime, any
 * strings give string, nothing but nulls gives string, other mixes dynamic. */
static kql_type jl_inferred_type(unsigned k)
{
    if (k == 0)
        return KQL_STRING;
    if (!(k & ~(unsigned)JL_K_LONG))
        return KQL_LONG;
    if (!(k & ~(unsigned)(JL_K_LONG | JL_K_REAL)))
        return KQL_REAL;
    if (k == JL_K_BOOL)
        return KQL_BOOL;
    if (k == JL_K_NEST)
        return KQL_DYNAMIC;
    if ((k & JL_K_DATE) && !(k & ~(unsigned)(JL_K_DATE | JL_K_EMPTY)))
        return KQL_DATETIME;
    if (!(k & ~(unsigned)(JL_K_DATE | JL_K_STR | JL_K_EMPTY)))
        return KQL_STRING;
    return KQL_DYNAMIC;
}

/* Converts a staged dynamic column to its inferred type; returns the column
 * to put in the table (the caller's reference). */
static kql_column *jl_finish_inferred(jl_col *c, size_t nrows)
{
    kql_type type = jl_inferred_type(c->kinds);
    kql_column *staged = c->col;
    c->col = NULL;
    if (type == KQL_DYNAMIC)
        return staged;
    kql_column *out = kql_column_new(type, nrows);
    for (size_t r = 0; r < nrows; r++) {
        if (kql_column_is_null(staged, r)) {
            if (type == KQL_STRING) {
                kql_value e = kql_string("", 0);
                kql_column_push(out, &e);
            } else {
                kql_column_push_null(out);
            }
            continue;
        }
        kql_dyn d = (kql_dyn)staged->data.s[r].ptr;
        kql_dyn_tag tag = kql_dyn_tag_of(d);
        kql_value v = kql_null(type);
        switch (type) {
        case KQL_LONG: v = kql_long(kql_dyn_long(d)); break;
        case KQL_REAL: v = kql_real(tag == KQL_DYN_LONG ? (double)kql_dyn_long(d) : kql_dyn_real(d)); break;
        case KQL_BOOL: v = kql_bool(tag == KQL_DYN_TRUE); break;
        case KQL_STRING: {
            kql_str s = kql_dyn_string(d);
            v = kql_string(s.ptr, s.len);
            break;
        }
        case KQL_DATETIME: {
            kql_str s = kql_dyn_string(d);
            int64_t ticks;
            if (s.len && kql_datetime_parse(s.ptr, s.len, &ticks))
                v = kql_datetime(ticks);
            break;
        }
        default: break;
        }
        kql_column_push(out, &v);
    }
    kql_column_release(staged);
    return out;
}

/* ---------- chunks: rows through the filter ---------- */

/* Does the filter (if any) want column `name`? In chunked loads only the
 * schema's columns (typed from the start) exist, and the filter's columns
 * are among them. */
/* A field no column takes: with a filter that names columns, a field the
 * schema lacks too was unknown to the query's analysis (a wildcard or an
 * extend would have kept it), so the load must not stand (json_load.h). */
static void jl_note_unwanted(jl_loader *L, const char *name, size_t len)
{
    if (L->unknown_field || !L->filter || !L->filter->columns || !L->schema)
        return;
    for (size_t i = 0; i < L->schema->ncols; i++)
        if (strlen(L->schema->cols[i].name) == len && memcmp(L->schema->cols[i].name, name, len) == 0)
            return;
    L->unknown_field = true;
}

static bool jl_wanted(const jl_loader *L, const char *name, size_t len)
{
    if (!L->filter || !L->filter->columns)
        return !L->chunked;
    for (size_t i = 0; i < L->filter->ncolumns; i++)
        if (strlen(L->filter->columns[i]) == len && memcmp(L->filter->columns[i], name, len) == 0)
            return true;
    return false;
}

/* The columns' current rows as a table (the table holds references). */
static kql_table *jl_chunk_table(const jl_loader *L, bool out)
{
    kql_table *t = kql_table_new(NULL);
    for (size_t i = 0; i < L->ncols; i++) {
        kql_column *c = out ? L->cols[i].out : L->cols[i].col;
        kql_table_add(t, L->cols[i].name, kql_column_retain(c));
    }
    t->nrows = out ? L->out_rows : L->nrows;
    return t;
}

/* Moves the rows of the current chunk that the filter keeps to the columns'
 * `out`, and starts an empty chunk. */
static void jl_flush_chunk(jl_loader *L)
{
    kql_table *chunk = jl_chunk_table(L, false);
    size_t *keep = kql_xrealloc(NULL, (L->nrows ? L->nrows : 1) * sizeof *keep);   /* freed below */
    size_t n = L->filter->keep(L->filter->ctx, chunk, L->chunk_off, keep);
    for (size_t i = 0; i < L->ncols; i++) {
        jl_col *c = &L->cols[i];
        if (!c->out) {
            /* a column that first appeared in this chunk */
            c->out = kql_column_new(c->type, L->out_rows + n);
            for (size_t r = 0; r < L->out_rows; r++)
                kql_column_push_null(c->out);
        }
        for (size_t k = 0; k < n; k++) {
            kql_value v = kql_column_get(c->col, keep[k]);
            kql_column_push(c->out, &v);
        }
        kql_column_release(c->col);
        c->col = kql_column_new(c->type, JL_CHUNK_ROWS);
    }
    free(keep);
    kql_table_free(chunk);
    L->out_rows += n;
    L->nrows = 0;
}

/* ---------- records ---------- */

/* Pages of a mapped file count in the resident size while mapped: hand back
 * those read up to `upto` (whole MiBs; they come back from the file if an
 * error message looks at them again), so a file larger than memory fits. */
static void jl_drop_read_pages(jl_loader *L, size_t upto)
{
    upto &= ~(size_t)0xFFFFF;
    if (L->mapped && upto > L->dropped) {
        madvise((char *)L->text + L->dropped, upto - L->dropped, MADV_DONTNEED);
        L->dropped = upto;
    }
}

/* Adds a row from the columns' slots (NULL = missing) and clears them. */
static void jl_push_row(jl_loader *L, size_t rec_off)
{
    if (L->nrows == 0)
        L->chunk_off = rec_off;
    for (size_t i = 0; i < L->ncols; i++) {
        jl_col *c = &L->cols[i];
        cJSON str;
        if (c->raw) {
            memset(&str, 0, sizeof str);
            str.type = cJSON_String;
            str.valuestring = L->strings.data + c->raw_off;
            c->slot = &str;
            c->raw = false;
        }
        if (c->type == KQL_TYPE_UNKNOWN)
            jl_push_inferred(L, c, c->slot);
        else
            jl_push_typed(L, c, c->slot, rec_off);
        c->slot = NULL;
    }
    L->nrows++;
    L->rows_read++;
    if (L->chunked && L->nrows == JL_CHUNK_ROWS)
        jl_flush_chunk(L);
    if (L->rows_read % KQL_PROGRESS_EVERY == 0) {
        if (L->progress)
            kql_progress_report(L->path, rec_off, L->len, L->rows_read, KQL_PROGRESS_RUNNING);
        jl_drop_read_pages(L, rec_off);
    }
}

/* A record object -> a row, after the caller's hook (json_load.h) rewrote
 * it; false (with the error set) when the hook refuses the record. */
static bool jl_record(jl_loader *L, cJSON *rec, size_t rec_off)
{
    if (L->opt->hook) {
        const char *why = "record refused";
        int verdict = L->opt->hook(L->opt->hook_ctx, rec, &why);
        if (verdict < 0)
            jl_fail(L, rec_off, "%s", why);
        if (verdict != 0)
            return verdict > 0;
    }
    for (const cJSON *f = rec->child; f; f = f->next) {
        const char *key = f->string ? f->string : "";
        size_t len = strlen(key);
        long idx = jl_map_find(L, key, len);
        /* A field the schema lacks is kept as an extra column: Log Analytics
         * would not have it, but dropping data silently would be worse. */
        if (idx < 0) {
            if (!jl_wanted(L, key, len)) {
                jl_note_unwanted(L, key, len);
                continue;
            }
            idx = (long)jl_add_column(L, key, true, KQL_TYPE_UNKNOWN, false);
        }
        L->cols[idx].slot = f;   /* a repeated key: the last one wins */
    }
    jl_push_row(L, rec_off);
    return true;
}

/* Event Hubs messages wrap records as {"records":[...]}. */
static bool jl_is_records_wrapper(const cJSON *v)
{
    return v->child && !v->child->next && v->child->string &&
           strcmp(v->child->string, "records") == 0 && cJSON_IsArray(v->child);
}

static bool jl_wrapped_records(jl_loader *L, const cJSON *arr, size_t off)
{
    for (cJSON *r = arr->child; r; r = r->next) {
        if (!cJSON_IsObject(r)) {
            jl_fail(L, off, "expected a JSON object (a record) in \"records\", found %s", jl_kind_name(r));
            return false;
        }
        if (!jl_record(L, r, off))
            return false;
    }
    return true;
}

/* The Log Analytics query API answers {"tables":[{"name", "columns":
 * [{"name","type"}], "rows":[[...]]}]}; its first table (PrimaryResult) is
 * the result. Returns that table, or NULL when v is not such an answer. */
static const cJSON *jl_api_table(const cJSON *v)
{
    const cJSON *tables = cJSON_GetObjectItemCaseSensitive(v, "tables");
    const cJSON *first = cJSON_IsArray(tables) ? tables->child : NULL;
    if (!cJSON_IsObject(first) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(first, "columns")) ||
        !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(first, "rows")))
        return NULL;
    return first;
}

/* Rows of a query API table. Its column types apply to columns the schema
 * lacks; values are coerced like record fields. */
static bool jl_api_rows(jl_loader *L, const cJSON *table, size_t off)
{
    const cJSON *columns = cJSON_GetObjectItemCaseSensitive(table, "columns");
    size_t ncol = (size_t)cJSON_GetArraySize(columns);
    size_t *idx = kql_xrealloc(NULL, ncol * sizeof *idx);
    size_t j = 0;
    for (const cJSON *c = columns->child; c; c = c->next, j++) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(c, "type");
        if (!cJSON_IsString(name)) {
            free(idx);
            jl_fail(L, off, "column %zu of the query result has no name", j + 1);
            return false;
        }
        long found = jl_map_find(L, name->valuestring, strlen(name->valuestring));
        if (found < 0 && !jl_wanted(L, name->valuestring, strlen(name->valuestring))) {
            idx[j] = SIZE_MAX;   /* a column the filter does not want */
            continue;
        }
        if (found < 0) {
            kql_type t = cJSON_IsString(type) ? kql_type_from_name(type->valuestring) : KQL_TYPE_UNKNOWN;
            found = (long)jl_add_column(L, name->valuestring, true, t == KQL_DECIMAL ? KQL_REAL : t, false);
        }
        idx[j] = (size_t)found;
    }
    size_t row = 0;
    for (const cJSON *r = cJSON_GetObjectItemCaseSensitive(table, "rows")->child; r; r = r->next, row++) {
        if (!cJSON_IsArray(r) || (size_t)cJSON_GetArraySize(r) != ncol) {
            free(idx);
            jl_fail(L, off, "row %zu of the query result is not an array of %zu values", row + 1, ncol);
            return false;
        }
        j = 0;
        for (const cJSON *v = r->child; v; v = v->next, j++)
            if (idx[j] != SIZE_MAX)
                L->cols[idx[j]].slot = v;
        jl_push_row(L, off);
    }
    free(idx);
    return true;
}

/* One top-level value: a record, a {"records":[...]} batch or a query API
 * answer. */
static bool jl_take_value(jl_loader *L, cJSON *v, size_t pos)
{
    if (!cJSON_IsObject(v)) {
        jl_fail(L, pos, "expected a JSON object (a record), found %s", jl_kind_name(v));
        return false;
    }
    const char *cur = L->text + pos;
    jl_annotate(v, &cur, L->text + L->len);
    const cJSON *api = jl_api_table(v);
    if (api)
        return jl_api_rows(L, api, pos);
    if (jl_is_records_wrapper(v))
        return jl_wrapped_records(L, v->child, pos);
    return jl_record(L, v, pos);
}

/* Parses the value at pos (reading at most to limit) and adds its rows; on
 * success *next is the offset after it. Array elements (`in_array`) are
 * plain records. */
static bool jl_parse_record(jl_loader *L, size_t pos, size_t limit, bool line_limited, bool in_array,
                            size_t *next)
{
    if (kql_cancelled()) {   /* one flag read a record: nothing next to parsing it */
        jl_fail(L, pos, "loading cancelled");
        return false;
    }
    const char *end = NULL;
    cJSON *rec = cJSON_ParseWithLengthOpts(L->text + pos, limit - pos, &end, 0);
    if (!rec) {
        size_t err_off = end ? (size_t)(end - L->text) : pos;
        jl_parse_error(L, pos, limit, err_off, line_limited);
        return false;
    }
    bool ok;
    if (in_array && cJSON_IsObject(rec)) {
        const char *cur = L->text + pos;
        jl_annotate(rec, &cur, L->text + L->len);
        ok = jl_record(L, rec, pos);
    } else {
        ok = jl_take_value(L, rec, pos);
    }
    cJSON_Delete(rec);
    jl_block_reset();
    *next = (size_t)(end - L->text);
    return ok;
}

/* ---------- the fast path: only the wanted fields of a JSON Lines record ---------- */

/* Past the string literal whose contents start at p, on this line; NULL if
 * it does not end there. */
static const char *jl_line_string(const char *p, const char *end)
{
    while (p < end) {
        const char *q = jl_find_special(p, end, '\n');
        if (q >= end || *q == '\n')
            return NULL;
        if (*q == '"')
            return q + 1;
        if (q + 1 >= end || q[1] == '\n')
            return NULL;
        p = q + 2;
    }
    return NULL;
}

/* Past the value that starts at p (a string, object, array or scalar), or
 * NULL when it is not one. Nested values are only checked for balanced
 * brackets and closed strings: a wanted value is parsed by cJSON anyway. */
static const char *jl_skip_value(const char *p, const char *end)
{
    if (p >= end)
        return NULL;
    if (*p == '"')
        return jl_line_string(p + 1, end);
    if (*p == '{' || *p == '[') {
        long depth = 0;
        for (const char *q = p; q < end; q++) {
            if (*q == '"') {
                const char *e = jl_line_string(q + 1, end);
                if (!e)
                    return NULL;
                q = e - 1;
            } else if (*q == '\n') {
                return NULL;
            } else if (*q == '{' || *q == '[') {
                depth++;
            } else if (*q == '}' || *q == ']') {
                if (--depth == 0)
                    return q + 1;
            }
        }
        return NULL;
    }
    const char *q = p;
    while (q < end && *q != ',' && *q != '}' && *q != ']' && !jl_is_space(*q))
        q++;
    size_t n = (size_t)(q - p);
    bool word = (n == 4 && (memcmp(p, "true", 4) == 0 || memcmp(p, "null", 4) == 0)) ||
                (n == 5 && memcmp(p, "false", 5) == 0);
    if (!word) {
        jl_num num;
        if (!jl_parse_number(p, n, &num) || !(*p == '-' || (*p >= '0' && *p <= '9')))
            return NULL;
    }
    return q;
}

/* White space within a line. */
static const char *jl_text_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

static void jl_drop_trees(jl_loader *L)
{
    for (size_t i = 0; i < L->ntrees; i++)
        cJSON_Delete(L->trees[i]);
    L->ntrees = 0;
    for (size_t i = 0; i < L->ncols; i++) {
        L->cols[i].slot = NULL;
        L->cols[i].raw = false;
    }
    kql_buf_clear(&L->strings);
    jl_block_reset();
}

static int jl_hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
              : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Decodes the string literal whose contents start at p into out; returns
 * the end of the literal (past its closing quote), or NULL when it is not a
 * valid one (then cJSON, on the whole record, says what is wrong). */
static const char *jl_decode_string(const char *p, const char *end, kql_buf *out)
{
    const char *run = p;
    while (p < end) {
        p = jl_find_special(p, end, '\n');
        if (p >= end || *p == '\n')
            break;
        if (*p == '"') {
            kql_buf_put(out, run, (size_t)(p - run));
            return p + 1;
        }
        kql_buf_put(out, run, (size_t)(p - run));
        if (++p >= end)
            return NULL;
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = memchr(from, *p, sizeof from - 1);
        if (k) {
            kql_buf_putc(out, to[k - from]);
            p++;
        } else if (*p == 'u') {
            int cp = jl_hex4(p + 1, end);
            p += 5;
            if (cp >= 0xD800 && cp < 0xDC00) {   /* a surrogate pair */
                int lo = end - p >= 2 && p[0] == '\\' && p[1] == 'u' ? jl_hex4(p + 2, end) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return NULL;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
                return NULL;
            }
            char utf8[4];
            size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (n == 1) {
                utf8[0] = (char)cp;
            } else {
                for (size_t i = n - 1; i > 0; i--, cp >>= 6)
                    utf8[i] = (char)(0x80 | (cp & 0x3F));
                utf8[0] = (char)((n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0) | cp);
            }
            kql_buf_put(out, utf8, n);
        } else {
            return NULL;
        }
        run = p;
    }
    return NULL;
}

/* One JSON Lines record at pos, on one line (up to a newline or limit),
 * walked field by field: the values of fields no column wants are skipped,
 * the others parsed alone; *next is the end of its line. Returns false
 * (having added nothing) when the line is anything but a flat walk of a
 * plain record - malformed, a {"records":...} or {"tables":...} wrapper, an
 * escaped key - so that the caller parses it whole (and reports errors). */
static bool jl_scan_record(jl_loader *L, size_t pos, size_t limit, size_t *next)
{
    const char *p = L->text + pos, *end = L->text + limit;
    if (p >= end || *p != '{')
        return false;
    p = jl_text_space(p + 1, end);
    if (p < end && *p == '}') {
        p = jl_text_space(p + 1, end);
        if (p != end && *p != '\n')
            return false;
        jl_push_row(L, pos);
        *next = (size_t)(p - L->text);
        return true;
    }
    size_t nfield = 0;
    for (;;) {
        if (p >= end || *p != '"')
            goto fail;
        const char *key = p + 1, *kend = jl_line_string(key, end);
        if (!kend)
            goto fail;
        size_t klen = (size_t)(kend - 1 - key);
        if (memchr(key, '\\', klen) || (klen == 7 && memcmp(key, "records", 7) == 0) ||
            (klen == 6 && memcmp(key, "tables", 6) == 0))
            goto fail;
        p = jl_text_space(kend, end);
        if (p >= end || *p != ':')
            goto fail;
        const char *v = jl_text_space(p + 1, end), *vend;
        jl_key_memo *m = nfield < JL_KEY_MEMOS ? &L->memo[nfield] : NULL;
        nfield++;
        long idx;
        if (m && m->len == klen && memcmp(m->name, key, klen) == 0) {
            idx = m->idx;
        } else {
            idx = jl_map_find(L, key, klen);
            if (idx < 0 && !jl_wanted(L, key, klen)) {
                jl_note_unwanted(L, key, klen);
            } else if (idx < 0) {
                char *name = kql_xrealloc(NULL, klen + 1);   /* freed below: the column copies it */
                memcpy(name, key, klen);
                name[klen] = '\0';
                idx = (long)jl_add_column(L, name, true, KQL_TYPE_UNKNOWN, false);
                free(name);
            }
            if (m && klen < sizeof m->name) {
                memcpy(m->name, key, klen);
                m->len = klen;
                m->idx = idx;
            }
        }
        if (idx >= 0 && *v == '"') {
            /* a string: decoded straight into the record's string buffer */
            size_t off = L->strings.len;
            vend = jl_decode_string(v + 1, end, &L->strings);
            if (!vend)
                goto fail;
            kql_buf_putc(&L->strings, '\0');
            L->cols[idx].slot = NULL;
            L->cols[idx].raw = true;
            L->cols[idx].raw_off = off;
        } else if ((vend = jl_skip_value(v, end)) == NULL) {
            goto fail;
        } else if (idx >= 0) {
            const char *e = NULL;
            cJSON *tree = cJSON_ParseWithLengthOpts(v, (size_t)(vend - v), &e, 0);
            if (!tree)
                goto fail;
            if (L->ntrees == L->cap_trees) {
                L->cap_trees = L->cap_trees ? L->cap_trees * 2 : 16;
                L->trees = kql_xrealloc(L->trees, L->cap_trees * sizeof *L->trees);
            }
            L->trees[L->ntrees++] = tree;
            const char *cur = v;
            jl_annotate(tree, &cur, vend);
            L->cols[idx].slot = tree;   /* a repeated key: the last one wins */
            L->cols[idx].raw = false;
        }
        p = jl_text_space(vend, end);
        if (p < end && *p == ',') {
            p = jl_text_space(p + 1, end);
            continue;
        }
        if (p < end && *p == '}') {
            p = jl_text_space(p + 1, end);
            if (p != end && *p != '\n')
                goto fail;
            break;
        }
        goto fail;
    }
    jl_push_row(L, pos);
    jl_drop_trees(L);
    *next = (size_t)(p - L->text);
    return true;
fail:
    jl_drop_trees(L);
    return false;
}

/* Does the text from pos to limit leave a bracket or string open? */
static bool jl_is_open(const jl_loader *L, size_t pos, size_t limit)
{
    long depth = 0;
    for (size_t i = pos; i < limit; i++) {
        char ch = L->text[i];
        if (ch == '"') {
            for (i++; i < limit && L->text[i] != '"'; i++)
                if (L->text[i] == '\\')
                    i++;
            if (i >= limit)
                return true;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return depth > 0;
}

/* Does a whole JSON value start at pos? */
static bool jl_is_one_value(const jl_loader *L, size_t pos)
{
    cJSON *v = cJSON_ParseWithLengthOpts(L->text + pos, L->len - pos, NULL, 0);
    cJSON_Delete(v);
    return v != NULL;
}

static bool jl_load_lines(jl_loader *L, size_t pos)
{
    /* the fast path skips what the record hook would need to see */
    bool per_line = true, fast = L->filter && L->filter->columns && !L->opt->hook;
    for (pos = jl_skip_space(L, pos); pos < L->len; pos = jl_skip_space(L, pos)) {
        size_t next;
        if (kql_cancelled()) {
            jl_fail(L, pos, "loading cancelled");
            return false;
        }
        /* after the first record: no need to find the line's end first */
        if (fast && per_line && L->rows_read > 0 && jl_scan_record(L, pos, L->len, &next)) {
            pos = next;
            continue;
        }
        size_t limit = L->len;
        if (per_line) {
            const char *nl = memchr(L->text + pos, '\n', L->len - pos);
            limit = nl ? (size_t)(nl - L->text) : L->len;
        }
        /* The first record decides: if it spans lines, the file is a stream
         * of pretty-printed objects rather than JSON Lines - unless the next
         * line opens a record and the lines do not make one value (an Event
         * Hubs batch with a record a line does), which means this line
         * lacks its end. */
        size_t next_line = jl_skip_space(L, limit);
        if (per_line && L->rows_read == 0 && !L->lines_only && next_line < L->len && jl_is_open(L, pos, limit) &&
            (L->text[next_line] != '{' || jl_is_one_value(L, pos))) {
            per_line = false;
            limit = L->len;
        }
        if (fast && per_line && jl_scan_record(L, pos, limit, &next)) {
            pos = next;
            continue;
        }
        if (!jl_parse_record(L, pos, limit, per_line, false, &pos))
            return false;
    }
    return true;
}

static bool jl_load_array(jl_loader *L, size_t pos)
{
    pos = jl_skip_space(L, pos + 1);   /* past '[' */
    if (pos < L->len && L->text[pos] == ']')
        goto closed;
    for (;;) {
        if (pos >= L->len) {
            jl_fail(L, L->len, "unexpected end of input, expected a record or ']'");
            return false;
        }
        if (!jl_parse_record(L, pos, L->len, false, true, &pos))
            return false;
        pos = jl_skip_space(L, pos);
        if (pos < L->len && L->text[pos] == ',') {
            pos = jl_skip_space(L, pos + 1);
            continue;
        }
        if (pos < L->len && L->text[pos] == ']')
            break;
        if (pos >= L->len)
            jl_fail(L, L->len, "unexpected end of input, expected ',' or ']'");
        else
            jl_fail(L, pos, "expected ',' or ']' after a record");
        return false;
    }
closed:
    pos = jl_skip_space(L, pos + 1);
    if (pos < L->len) {
        jl_fail(L, pos, "unexpected text after the closing ']'");
        return false;
    }
    return true;
}

static void jl_loader_free(jl_loader *L)
{
    for (size_t i = 0; i < L->ncols; i++) {
        kql_column_release(L->cols[i].col);
        kql_column_release(L->cols[i].out);
        free(L->cols[i].owned_name);
    }
    free(L->cols);
    free(L->map);
    free(L->trees);
    free(L->memo);
    kql_buf_free(&L->strings);
    kql_buf_free(&L->scratch);
}

const kql_load_filter *kql_load_filter_for(const kql_load_options *opt, const char *table)
{
    for (size_t i = 0; opt && i < opt->nfilters; i++)
        if (strcmp(opt->filters[i].table, table) == 0)
            return &opt->filters[i];
    return NULL;
}

/* The loaded table, its rows filtered by `keep` when chunks did not do it. */
static kql_table *jl_finish(jl_loader *L, const char *name)
{
    if (L->chunked) {
        if (L->nrows)
            jl_flush_chunk(L);
        for (size_t i = 0; i < L->ncols; i++) {
            kql_column_release(L->cols[i].col);
            /* no chunk was flushed when no row was read: empty columns */
            L->cols[i].col = L->cols[i].out ? L->cols[i].out : kql_column_new(L->cols[i].type, 0);
            L->cols[i].out = NULL;
        }
        L->nrows = L->out_rows;
    }
    kql_table *t = kql_table_new(name);
    for (size_t i = 0; i < L->ncols; i++) {
        jl_col *c = &L->cols[i];
        kql_column *col = c->type == KQL_TYPE_UNKNOWN ? jl_finish_inferred(c, L->nrows) : c->col;
        c->col = NULL;
        if (c->hidden)
            kql_table_add_hidden(t, c->name, col);
        else
            kql_table_add(t, c->name, col);
    }
    t->nrows = L->nrows;
    if (L->filter && L->filter->keep && !L->chunked) {
        size_t *keep = kql_xrealloc(NULL, (t->nrows ? t->nrows : 1) * sizeof *keep);   /* freed below */
        size_t n = L->filter->keep(L->filter->ctx, t, 0, keep);
        kql_table *kept = kql_table_new(name);
        for (size_t i = 0; i < t->ncols; i++) {
            kql_column *col = kql_column_gather(t->cols[i], keep, n);
            if (t->hidden[i])
                kql_table_add_hidden(kept, t->col_names[i], col);
            else
                kql_table_add(kept, t->col_names[i], col);
        }
        kept->nrows = n;
        free(keep);
        kql_table_free(t);
        t = kept;
    }
    return t;
}

static void jl_loader_init(jl_loader *L, const char *text, size_t len, const char *path, const kql_schema *schema,
                           const kql_json_options *opt, kql_load_error *err)
{
    *L = (jl_loader){.path = path ? path : "<input>", .text = text, .len = len, .err = err, .loc_line = 1,
                     .opt = opt, .report = opt->report, .filter = opt->filter, .progress = true,
                     .mapped = opt->mapped, .schema = schema};
    kql_buf_init(&L->scratch);
    kql_buf_init(&L->strings);
    L->memo = kql_xrealloc(NULL, JL_KEY_MEMOS * sizeof *L->memo);   /* freed by jl_loader_free */
    memset(L->memo, 0, JL_KEY_MEMOS * sizeof *L->memo);
    err->message[0] = '\0';
    if (schema)
        for (size_t i = 0; i < schema->ncols; i++) {
            const char *col = schema->cols[i].name;
            if (!jl_wanted(L, col, strlen(col)))
                continue;
            kql_type t = schema->cols[i].type == KQL_DECIMAL ? KQL_REAL : schema->cols[i].type;
            jl_add_column(L, col, false, t, schema->cols[i].hidden);
        }
    /* Chunks need every column's type from the start; inferred columns get
     * theirs at the end, so then the filter runs once, over the whole table. */
    L->chunked = L->filter && L->filter->keep && schema;
}

/* ---------- two threads ---------- */

/* Files at least this large are read by two threads when they can be. The
 * threads take the file's ranges of about JL_RANGE_BYTES one at a time, so a
 * thread whose ranges are cheap takes more of them: logs are in time order,
 * and a query's time filter drops the older half's rows at once while the
 * newer half's go through every streamed operator. A file has at least
 * JL_MIN_RANGES ranges, so smaller ones share out well too. */
enum { JL_PARALLEL_MIN = 32 << 20, JL_RANGE_BYTES = 64 << 20, JL_MIN_RANGES = 8, JL_MAX_RANGES = 4096 };

/* One range of lines with a loader of its own. */
typedef struct jl_range {
    jl_loader L;
    kql_load_error err;
    kql_buf notes;           /* its warnings, a NUL after each, until they are shown in file order */
    kql_load_report collect;
    kql_table *table;        /* owned: its rows, once loaded */
} jl_range;

typedef struct jl_work {
    jl_range *ranges;
    size_t n;
    const char *name;        /* the table's */
    pthread_mutex_t lock;    /* next, bytes_done, rows_done, and the progress hook */
    size_t next;             /* the next range to take */
    bool failed;             /* a range failed: take no more */
    size_t bytes_done, rows_done, total;
} jl_work;

static void *jl_thread_ranges(void *arg)
{
    jl_work *w = arg;
    jl_block block;
    jl_block_begin(&block);
    for (;;) {
        pthread_mutex_lock(&w->lock);
        size_t k = w->failed || kql_cancelled() ? w->n : w->next++;
        pthread_mutex_unlock(&w->lock);
        if (k >= w->n)
            break;   /* all taken, or one failed: the first error in the file is among those read */
        jl_range *r = &w->ranges[k];
        r->L.ok = jl_load_lines(&r->L, r->L.start);
        if (r->L.ok)
            r->table = jl_finish(&r->L, w->name);
        jl_drop_read_pages(&r->L, r->L.len);
        pthread_mutex_lock(&w->lock);
        w->failed = w->failed || !r->L.ok;
        w->bytes_done += r->L.len - r->L.start;
        w->rows_done += r->L.rows_read;
        kql_progress_report(r->L.path, w->bytes_done, w->total, w->rows_done, KQL_PROGRESS_RUNNING);
        pthread_mutex_unlock(&w->lock);
    }
    jl_block_end(&block);
    return NULL;
}

void kql_load_note_keep(void *ctx, const char *message)
{
    kql_buf_put(ctx, message, strlen(message) + 1);
}

/* Where the ranges of [pos, len) start: at line starts near equal steps;
 * bounds[n] is len. Returns n (at least 1); bounds is owned by the caller. */
static size_t jl_split_ranges(const char *text, size_t pos, size_t len, size_t **bounds)
{
    size_t want = (len - pos) / JL_RANGE_BYTES;
    want = want < JL_MIN_RANGES ? JL_MIN_RANGES : want > JL_MAX_RANGES ? JL_MAX_RANGES : want;
    size_t *b = kql_xrealloc(NULL, (want + 1) * sizeof *b);
    size_t n = 0;
    b[n++] = pos;
    for (size_t i = 1; i < want; i++) {
        size_t at = pos + (len - pos) / want * i;
        if (at <= b[n - 1])
            continue;
        const char *nl = memchr(text + at, '\n', len - at);
        if (!nl || (size_t)(nl - text) + 1 >= len)
            break;
        b[n++] = (size_t)(nl - text) + 1;
    }
    b[n] = len;
    *bounds = b;
    return n;
}

/* JSON Lines with a filter that names the columns and a known schema (so
 * every column is typed from the start): the file's ranges go to two
 * threads, each range to a loader of its own; their rows are appended in
 * file order, so the table is the same as one thread's, and so are the first
 * error and the first KQL_LOAD_MAX_NOTES warnings. Returns false (nothing
 * done) when the file does not qualify; otherwise *out is the table, or NULL
 * with *L0->err set. L0 gathers the counts (nbad, rows_read). */
static bool jl_load_parallel(jl_loader *L0, size_t pos, const char *name, const kql_schema *schema,
                             kql_table **out)
{
    const char *text = L0->text;
    size_t len = L0->len;
    if (!schema || !L0->filter || !L0->filter->columns || L0->opt->hook || len < JL_PARALLEL_MIN ||
        text[pos] != '{')
        return false;
    const char *nl = memchr(text + pos, '\n', len - pos);
    if (!nl || jl_is_open(L0, pos, (size_t)(nl - text)))
        return false;   /* not one record a line */
    size_t *bounds;   /* freed below */
    size_t n = jl_split_ranges(text, pos, len, &bounds);
    if (n < 2) {
        free(bounds);
        return false;
    }
    jl_range *ranges = kql_xrealloc(NULL, n * sizeof *ranges);   /* freed below */
    for (size_t k = 0; k < n; k++) {
        jl_range *r = &ranges[k];
        jl_loader_init(&r->L, text, bounds[k + 1], L0->path, schema, L0->opt, &r->err);
        r->L.start = bounds[k];
        r->L.lines_only = true;   /* one record a line, checked above */
        r->L.progress = false;    /* jl_thread_ranges reports for all */
        r->L.dropped = (bounds[k] + 0xFFFFF) & ~(size_t)0xFFFFF;
        kql_buf_init(&r->notes);
        r->collect = (kql_load_report){kql_load_note_keep, &r->notes};
        if (r->L.report)
            r->L.report = &r->collect;
        r->table = NULL;
    }
    jl_work w = {.ranges = ranges, .n = n, .name = name, .total = len};
    pthread_mutex_init(&w.lock, NULL);
    pthread_t th;
    bool threaded = pthread_create(&th, NULL, jl_thread_ranges, &w) == 0;
    jl_thread_ranges(&w);
    if (threaded)
        pthread_join(th, NULL);
    pthread_mutex_destroy(&w.lock);

    *out = NULL;
    size_t failed = n;   /* ranges are taken in file order: those never taken come after */
    for (size_t k = 0; k < n && k < w.next && failed == n; k++)
        if (!ranges[k].L.ok)
            failed = k;
    if (failed < n) {
        *L0->err = ranges[failed].err;   /* the first error in the file */
    } else if (w.next < n) {
        snprintf(L0->err->message, sizeof L0->err->message, "%s: loading cancelled", L0->path);
    } else {
        size_t shown = 0;
        for (size_t k = 0; k < n; k++) {
            const kql_buf *notes = &ranges[k].notes;
            for (size_t off = 0; off < notes->len && shown < KQL_LOAD_MAX_NOTES; shown++) {
                L0->report->note(L0->report->ctx, notes->data + off);
                off += strlen(notes->data + off) + 1;
            }
            L0->nbad += ranges[k].L.nbad;
            L0->rows_read += ranges[k].L.rows_read;
            L0->unknown_field |= ranges[k].L.unknown_field;
        }
        kql_table *t = ranges[0].table;
        ranges[0].table = NULL;
        for (size_t k = 1; k < n; k++) {
            kql_table_append_rows(t, ranges[k].table);
            kql_table_free(ranges[k].table);   /* as it goes: the rows are not held twice */
            ranges[k].table = NULL;
        }
        *out = t;
    }
    for (size_t k = 0; k < n; k++) {
        kql_table_free(ranges[k].table);
        jl_loader_free(&ranges[k].L);
        kql_buf_free(&ranges[k].notes);
    }
    free(ranges);
    free(bounds);
    return true;
}

kql_table *kql_load_json_text_opts(const char *text, size_t len, const char *path, const char *name,
                                   const kql_json_options *opt, kql_load_error *err)
{
    static const kql_json_options no_options = {0};
    if (!opt)
        opt = &no_options;
    const kql_schema *schema = opt->schema ? opt->schema : kql_schema_find(name);
    jl_loader L;
    jl_loader_init(&L, text, len, path, schema, opt, err);

    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;   /* a UTF-8 byte order mark, as Windows tools write */
    pos = jl_skip_space(&L, pos);
    kql_progress_report(L.path, 0, len, 0, KQL_PROGRESS_RUNNING);
    kql_table *t = NULL;
    if (pos < len && jl_load_parallel(&L, pos, name, schema, &t)) {
        /* t is NULL when either half failed */
    } else {
        jl_block block;
        jl_block_begin(&block);
        bool ok = pos < len && text[pos] == '[' ? jl_load_array(&L, pos) : jl_load_lines(&L, pos);
        jl_block_end(&block);
        if (ok)
            t = jl_finish(&L, name);
    }
    kql_progress_report(L.path, len, len, L.rows_read, t ? KQL_PROGRESS_DONE : KQL_PROGRESS_FAILED);
    if (L.unknown_field && opt->saw_unknown_field)
        *opt->saw_unknown_field = true;
    const kql_load_report *rep = L.opt->report;
    if (t && L.nbad && rep && rep->note) {
        kql_buf_clear(&L.scratch);
        kql_buf_printf(&L.scratch, "%s: %zu value%s could not be converted (stored as null)", L.path,
                       L.nbad, L.nbad == 1 ? "" : "s");
        if (L.nbad > KQL_LOAD_MAX_NOTES)
            kql_buf_printf(&L.scratch, "; the first %d are shown", KQL_LOAD_MAX_NOTES);
        rep->note(rep->ctx, kql_buf_cstr(&L.scratch));
    }
    jl_loader_free(&L);
    return t;
}

kql_table *kql_load_json_text(const char *text, size_t len, const char *path,
                              const char *name, kql_load_error *err)
{
    return kql_load_json_text_opts(text, len, path, name, NULL, err);
}

/* ---------- files and directories ---------- */

static void jl_io_error(kql_load_error *err, const char *path, int errnum)
{
    snprintf(err->message, sizeof err->message, "%s: %s", path, strerror(errnum));
}

/* Where a data file's extensions start (".json.gz"), or NULL. */
static const char *jl_table_ext(const char *file)
{
    size_t stem = kql_data_file_stem(file);
    return stem ? file + stem : NULL;
}

static int jl_cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads dir/file as a table named after file without its extensions (or,
 * for other names, its last one). */
static int jl_load_one(kql_catalog *cat, const char *file_path, const char *base,
                       const kql_load_options *opt, kql_load_error *err)
{
    const char *dot = strrchr(base, '.');
    size_t n = kql_data_file_stem(base);
    if (n == 0)
        n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *name = kql_xrealloc(NULL, n + 1);
    memcpy(name, base, n);
    name[n] = '\0';
    int rc = kql_load_file(cat, file_path, name, opt, err);
    free(name);
    return rc;
}

static int jl_load_dir(kql_catalog *cat, const char *path, const kql_load_options *opt,
                       kql_load_error *err)
{
    DIR *d = opendir(path);
    if (!d) {
        jl_io_error(err, path, errno);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !jl_table_ext(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = kql_xrealloc(names, cap * sizeof *names);
        }
        size_t len = strlen(e->d_name) + 1;
        names[n] = memcpy(kql_xrealloc(NULL, len), e->d_name, len);
        n++;
    }
    closedir(d);
    if (n > 1) qsort(names, n, sizeof *names, jl_cmp_names);   /* names is NULL when the folder is empty */

    int rc = 0;
    kql_buf file;
    kql_buf_init(&file);
    for (size_t i = 0; i < n && rc == 0; i++) {
        /* Two files of one table side by side (T.jsonl and T.jsonl.gz) are
         * most likely the same rows twice; files of one table from several
         * -d paths are concatenated instead (load_file.c). */
        size_t stem = (size_t)(jl_table_ext(names[i]) - names[i]);
        if (i > 0 && (size_t)(jl_table_ext(names[i - 1]) - names[i - 1]) == stem &&
            memcmp(names[i - 1], names[i], stem) == 0) {
            snprintf(err->message, sizeof err->message, "%s: both %s and %s hold table %.*s", path,
                     names[i - 1], names[i], (int)stem, names[i]);
            rc = -1;
            break;
        }
        kql_buf_clear(&file);
        kql_buf_printf(&file, "%s/%s", path, names[i]);
        rc = jl_load_one(cat, kql_buf_cstr(&file), names[i], opt, err);
    }
    kql_buf_free(&file);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int kql_load_path(kql_catalog *cat, const char *path, const kql_load_options *opt,
                  kql_load_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        jl_io_error(err, path, errno);
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return jl_load_dir(cat, path, opt, err);
    const char *slash = strrchr(path, '/');
    return jl_load_one(cat, path, slash ? slash + 1 : path, opt, err);
}
