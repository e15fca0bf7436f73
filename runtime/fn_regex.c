/* fn_regex.c - regular-expression functions: extract, extract_all,
 * replace_regex, indexof_regex, regex_quote, trim, trim_start, trim_end (and
 * countof's "regex" kind), and the `matches regex` operator
 * (kql_regex_search, regex_match.h).
 *
 * Kusto patterns are RE2 syntax; we run them on POSIX extended regexes
 * (regex.h) after translating the common RE2 spellings: \d \w \s and their
 * negations (also inside [...]), \n \t \r, (?:...), named groups
 * (?P<n>...) / (?<n>...), and a leading (?i). Lazy quantifiers (*? +? ??)
 * run greedy, and POSIX picks the leftmost-longest match where RE2 picks
 * the leftmost-first: the two agree on the patterns log queries mostly use.
 * Matching is by bytes.
 *
 * Patterns are nearly always constants, so compiled regexes are kept in a
 * small cache keyed by pattern text; a pattern that doesn't compile is
 * cached too and makes the functions return their empty result, not fail
 * per row. Each thread has its own cache (the loader evaluates filters on two
 * threads), freed when the thread ends.
 */
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dynamic.h"
#include "fn_common.h"
#include "regex_match.h"

#define REGEX_CACHE_SIZE 16
#define REGEX_MAX_GROUPS 32   /* RE2 capture groups we map; more are not addressable */
#define REGEX_MAX_MATCH 64    /* POSIX groups (+ the whole match) per regexec */

typedef enum { MODE_FIND, MODE_START, MODE_END } regex_mode;

typedef struct regex_entry {
    char *key;                    /* owned: mode byte + RE2 pattern */
    size_t keylen;
    bool ok;                      /* compiled; false: the pattern is invalid */
    regex_t re;
    int ngroups;                  /* RE2 capture groups */
    int nposix;                   /* POSIX groups the translation opened (kql_regex_translate) */
    int map[REGEX_MAX_GROUPS + 1];  /* RE2 group number -> POSIX group number */
    /* named groups: where each RE2 group's name is in the pattern (len 0: unnamed) */
    uint32_t name_at[REGEX_MAX_GROUPS + 1], name_len[REGEX_MAX_GROUPS + 1];
} regex_entry;

typedef struct regex_cache {
    regex_entry entries[REGEX_CACHE_SIZE];
    unsigned next_evict;
} regex_cache;

static __thread regex_cache *regex_mine;   /* this thread's, made on first use */
static pthread_key_t regex_key;            /* frees a thread's cache when it ends */
static pthread_once_t regex_key_once = PTHREAD_ONCE_INIT;

static void regex_cache_release(void *p)
{
    regex_cache *c = p;
    for (size_t i = 0; i < REGEX_CACHE_SIZE; i++) {
        if (c->entries[i].ok)
            regfree(&c->entries[i].re);
        free(c->entries[i].key);
    }
    free(c);
}

static void regex_key_create(void)
{
    pthread_key_create(&regex_key, regex_cache_release);
}

static regex_cache *regex_cache_of_thread(void)
{
    if (!regex_mine) {
        pthread_once(&regex_key_once, regex_key_create);
        regex_mine = calloc(1, sizeof *regex_mine);
        if (!regex_mine)
            kql_out_of_memory(sizeof *regex_mine);
        pthread_setspecific(regex_key, regex_mine);
    }
    return regex_mine;
}

/* The main thread's cache is not released by the key (it does not end the
 * way other threads do): release it at exit so leak checkers see a clean
 * heap. */
__attribute__((destructor)) static void regex_cache_free(void)
{
    if (regex_mine) {
        pthread_setspecific(regex_key, NULL);
        regex_cache_release(regex_mine);
        regex_mine = NULL;
    }
}

static void put_escape_class(kql_buf *out, char d, bool in_class)
{
    const char *inner = d == 'd' || d == 'D' ? "0-9" : d == 'w' || d == 'W' ? "[:alnum:]_" : "[:space:]";
    if (in_class) {
        kql_buf_puts(out, inner);
        return;
    }
    kql_buf_puts(out, d >= 'a' ? "[" : "[^");
    kql_buf_puts(out, inner);
    kql_buf_putc(out, ']');
}

/* RE2 refuses a counted repetition past 1000, and nested ones whose counts
 * multiply past 1000 ("bad repetition operator"); glibc's regcomp copies the
 * repeated part that many times, so ((a{1000}){1000}){10} took 2 GiB there
 * (a fuzz finding), outside --max-memory. The copies of the whole pattern
 * are bounded too, near RE2's default program budget. */
#define REGEX_MAX_REPEAT 1000
#define REGEX_MAX_COPIES 300000
#define REGEX_MAX_NESTING 1000

/* Reads {n}, {n,} or {n,m} at p[i] ('{'); the count that bounds the copies
 * (m, or n when open-ended) into *count, and the index of the '}' into *end.
 * False when it is not a repetition (a literal '{', as in RE2). */
static bool read_count(const char *p, size_t n, size_t i, long *count, size_t *end)
{
    long lo = 0, hi = -1;
    size_t j = i + 1;
    if (j >= n || p[j] < '0' || p[j] > '9') return false;
    while (j < n && p[j] >= '0' && p[j] <= '9') if ((lo = lo * 10 + (p[j++] - '0')) > 100000) lo = 100000;
    if (j < n && p[j] == ',') {
        j++;
        if (j < n && p[j] >= '0' && p[j] <= '9') {
            hi = 0;
            while (j < n && p[j] >= '0' && p[j] <= '9') if ((hi = hi * 10 + (p[j++] - '0')) > 100000) hi = 100000;
        }
    }
    if (j >= n || p[j] != '}') return false;
    *count = hi >= 0 && hi > lo ? hi : lo;
    *end = j;
    return true;
}

/* Whether the RE2 pattern's counted repetitions are past the bounds above. */
static bool repeat_too_large(const char *p, size_t n)
{
    long inner[REGEX_MAX_NESTING + 1];   /* per open group: the largest product of counts in it */
    long last = 1;                       /* product inside the atom just read: a group's, or 1 */
    long copies = 0;
    int depth = 0;
    inner[0] = 1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\') {
            i++;
            last = 1;
        } else if (c == '[') {           /* a class is one atom: skip to its ']' */
            i++;
            if (i < n && p[i] == '^') i++;
            if (i < n && p[i] == ']') i++;
            while (i < n && p[i] != ']') i += p[i] == '\\' ? 2 : 1;
            last = 1;
        } else if (c == '(') {
            if (depth == REGEX_MAX_NESTING) return true;
            inner[++depth] = 1;
        } else if (c == ')' && depth > 0) {
            last = inner[depth--];
            if (last > inner[depth]) inner[depth] = last;
        } else if (c == '{') {
            long count;
            size_t end;
            if (!read_count(p, n, i, &count, &end)) {
                last = 1;
                continue;
            }
            if (count > REGEX_MAX_REPEAT || last * count > REGEX_MAX_REPEAT) return true;
            last *= count;
            if (last > inner[depth]) inner[depth] = last;
            if ((copies += last) > REGEX_MAX_COPIES) return true;
            i = end;
        } else {
            last = 1;
        }
    }
    return false;
}

/* RE2 -> POSIX ERE. group_base: POSIX groups the caller's wrapper adds
 * before the pattern's own. */
static bool translate(const char *p, size_t n, int group_base, kql_buf *out, regex_entry *e,
                      int *cflags)
{
    int posix = group_base, re2 = 0;
    bool in_class = false, class_start = false;
    if (repeat_too_large(p, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_class) {
            if (c == '\\' && i + 1 < n) {
                char d = p[++i];
                if (d == 'd' || d == 'w' || d == 's')
                    put_escape_class(out, d, true);
                else
                    kql_buf_putc(out, d == 'n' ? '\n' : d == 't' ? '\t' : d == 'r' ? '\r' : d);
            } else if (c == '[' && i + 1 < n && p[i + 1] == ':') {
                const char *end = memchr(p + i, ']', n - i);
                if (!end)
                    return false;
                kql_buf_put(out, p + i, (size_t)(end - (p + i)) + 1);
                i = (size_t)(end - p);
            } else {
                if (c == ']' && !class_start)
                    in_class = false;
                kql_buf_putc(out, c);
            }
            class_start = false;
            continue;
        }
        switch (c) {
        case '\\': {
            if (i + 1 >= n)
                return false;
            char d = p[++i];
            if (strchr("dDwWsS", d))
                put_escape_class(out, d, false);
            else if (d == 'n' || d == 't' || d == 'r')
                kql_buf_putc(out, d == 'n' ? '\n' : d == 't' ? '\t' : '\r');
            else if (d == 'A')
                kql_buf_putc(out, '^');
            else if (d == 'z')
                kql_buf_putc(out, '$');
            else {
                kql_buf_putc(out, '\\');
                kql_buf_putc(out, d);
            }
            break;
        }
        case '[':
            in_class = class_start = true;
            kql_buf_putc(out, '[');
            if (i + 1 < n && p[i + 1] == '^')
                kql_buf_putc(out, p[++i]);
            break;
        case '(':
            if (i + 1 < n && p[i + 1] == '?') {
                if (i + 2 < n && p[i + 2] == ':') {          /* (?:...) */
                    i += 2;
                    posix++;
                } else if (i + 2 < n && (p[i + 2] == 'P' || p[i + 2] == '<') &&
                           memchr(p + i, '>', n - i)) {      /* named group */
                    size_t name = i + (p[i + 2] == 'P' ? 4 : 3);
                    i = (size_t)((const char *)memchr(p + i, '>', n - i) - p);
                    posix++;
                    if (++re2 <= REGEX_MAX_GROUPS) {
                        e->map[re2] = posix;
                        e->name_at[re2] = (uint32_t)name;
                        e->name_len[re2] = i > name ? (uint32_t)(i - name) : 0;
                    }
                } else {                                      /* (?flags) */
                    const char *end = memchr(p + i, ')', n - i);
                    if (!end)
                        return false;
                    for (const char *f = p + i + 2; f < end; f++)
                        if (*f == 'i')
                            *cflags |= REG_ICASE;
                    i = (size_t)(end - p);
                    break;
                }
            } else {
                posix++;
                if (++re2 <= REGEX_MAX_GROUPS)
                    e->map[re2] = posix;
            }
            kql_buf_putc(out, '(');
            break;
        case '*':
        case '+':
        case '?':
        case '}':
            kql_buf_putc(out, c);
            if (i + 1 < n && p[i + 1] == '?')   /* lazy: run greedy */
                i++;
            break;
        default:
            kql_buf_putc(out, c);
        }
    }
    e->ngroups = re2 < REGEX_MAX_GROUPS ? re2 : REGEX_MAX_GROUPS;
    e->nposix = posix - group_base;
    return !in_class && posix < REGEX_MAX_MATCH;
}

static void compile_entry(regex_entry *e, const char *p, size_t n, regex_mode mode)
{
    kql_buf text;
    kql_buf_init(&text);
    int cflags = REG_EXTENDED;
    int base = mode == MODE_FIND ? 0 : 1;
    if (mode == MODE_START)
        kql_buf_puts(&text, "^(");
    else if (mode == MODE_END)
        kql_buf_putc(&text, '(');
    e->map[0] = base;   /* group 0: the whole match, or the wrapper's group */
    bool ok = translate(p, n, base, &text, e, &cflags);
    if (mode != MODE_FIND)
        kql_buf_puts(&text, mode == MODE_END ? ")$" : ")");
    e->ok = ok && regcomp(&e->re, kql_buf_cstr(&text), cflags) == 0;
    kql_buf_free(&text);
}

/* The compiled pattern (cached), or NULL when it doesn't compile. */
static const regex_entry *regex_get(kql_str pattern, regex_mode mode)
{
    size_t keylen = (size_t)pattern.len + 1;
    regex_cache *cache = regex_cache_of_thread();
    for (size_t i = 0; i < REGEX_CACHE_SIZE; i++) {
        regex_entry *e = &cache->entries[i];
        if (e->key && e->keylen == keylen && e->key[0] == (char)mode &&
            memcmp(e->key + 1, pattern.ptr, pattern.len) == 0)
            return e->ok ? e : NULL;
    }
    regex_entry *e = &cache->entries[cache->next_evict++ % REGEX_CACHE_SIZE];
    if (e->ok)
        regfree(&e->re);
    free(e->key);
    *e = (regex_entry){ 0 };
    e->key = malloc(keylen);
    if (!e->key)
        kql_out_of_memory(keylen);
    e->key[0] = (char)mode;
    if (pattern.len)
        memcpy(e->key + 1, pattern.ptr, pattern.len);
    e->keylen = keylen;
    compile_entry(e, pattern.ptr, pattern.len, mode);
    return e->ok ? e : NULL;
}

/* Leftmost match in s[from..len); m[0] is the whole match. */
static bool regex_find(const regex_entry *e, kql_str s, size_t from, regmatch_t *m)
{
    m[0].rm_so = (regoff_t)from;
    m[0].rm_eo = (regoff_t)s.len;
    return regexec(&e->re, s.len ? s.ptr : "", REGEX_MAX_MATCH, m, REG_STARTEND) == 0;
}

/* Where the next search starts after a match: past it, or one byte on
 * after an empty one. */
static size_t after_match(const regmatch_t *m)
{
    return (size_t)(m[0].rm_eo > m[0].rm_so ? m[0].rm_eo : m[0].rm_eo + 1);
}

int64_t kql_regex_count(kql_str pattern, kql_str text)
{
    const regex_entry *e = regex_get(pattern, MODE_FIND);
    if (!e)
        return -1;
    regmatch_t m[REGEX_MAX_MATCH];
    int64_t hits = 0;
    for (size_t from = 0; from <= text.len && regex_find(e, text, from, m); from = after_match(m))
        hits++;
    return hits;
}

/* extract(regex, captureGroup, source [, typeof(T)]): the binder hands a
 * typeof(T) argument over as a null of type T, so its type is the result
 * type. */
kql_type kql_fnt_extract(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (!kql_fn_check("extract", args, n < 3 ? n : 3, "sia", err, errlen))
        return KQL_TYPE_UNKNOWN;
    if (n < 4)
        return KQL_STRING;
    if (args[3] == KQL_DECIMAL)
        return kql_fn_fail(err, errlen, "extract(): decimal results are not supported");
    if (args[3] <= KQL_TYPE_UNKNOWN || args[3] >= KQL_TYPE_COUNT)
        return kql_fn_fail(err, errlen, "extract(): argument 4 must be typeof(type)");
    return args[3];
}

/* The text converted to type t as the to<type>() functions convert it;
 * null when it doesn't convert. */
static void convert_text(kql_fn_ctx *ctx, kql_value text, kql_type t, kql_value *out)
{
    switch (t) {
    case KQL_BOOL: kql_fn_tobool(ctx, &text, 1, out); break;
    case KQL_INT: kql_fn_toint(ctx, &text, 1, out); break;
    case KQL_LONG: kql_fn_tolong(ctx, &text, 1, out); break;
    case KQL_REAL: kql_fn_toreal(ctx, &text, 1, out); break;
    case KQL_DATETIME: kql_fn_todatetime(ctx, &text, 1, out); break;
    case KQL_TIMESPAN: kql_fn_totimespan(ctx, &text, 1, out); break;
    case KQL_GUID: kql_fn_toguid(ctx, &text, 1, out); break;
    case KQL_DYNAMIC: kql_fn_todynamic(ctx, &text, 1, out); break;
    default: *out = text; break;
    }
}

/* The group's text in the first match; "" (or, converted, null) when
 * nothing matches or the group doesn't exist or take part. Example from
 * the docs: extract(@"-(\d{2})-", 1, "15-12-2024", typeof(int)) = 12. */
void kql_fn_extract(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    kql_type t = n > 3 ? args[3].type : KQL_STRING;
    kql_str src;
    kql_fn_texts(ctx, &args[2], 1, &src);
    const regex_entry *e = regex_get(args[0].u.s, MODE_FIND);
    int64_t g = args[1].is_null ? -1 : args[1].u.i;
    regmatch_t m[REGEX_MAX_MATCH];
    if (!e || g < 0 || g > e->ngroups || !regex_find(e, src, 0, m) || m[e->map[g]].rm_so < 0) {
        *out = t == KQL_STRING ? kql_string("", 0) : kql_null(t);
        return;
    }
    const regmatch_t *r = &m[e->map[g]];
    kql_value text = kql_fn_slice_out(ctx, &args[2], src.ptr + r->rm_so, (size_t)(r->rm_eo - r->rm_so));
    convert_text(ctx, text, t, out);
}

/* extract_all(regex, [captureGroups,] source). */
kql_type kql_fnt_extract_all(const kql_type *args, size_t n, char *err, size_t errlen)
{
    if (n == 3)
        return kql_fn_check("extract_all", args, n, "sya", err, errlen) ? KQL_DYNAMIC : KQL_TYPE_UNKNOWN;
    return kql_fn_check("extract_all", args, n, "sa", err, errlen) ? KQL_DYNAMIC : KQL_TYPE_UNKNOWN;
}

/* The RE2 group numbers a captureGroups array names: numbers 1..ngroups,
 * or names of named groups. False when one is neither. */
static bool pick_groups(const regex_entry *e, kql_dyn groups, int *picked, uint32_t *count)
{
    uint32_t k = kql_dyn_count(groups);
    if (k == 0 || k > REGEX_MAX_GROUPS)
        return false;
    kql_dyn g = kql_dyn_first(groups);
    for (uint32_t i = 0; i < k; i++, g = kql_dyn_next(g)) {
        int found = 0;
        if (kql_dyn_tag_of(g) == KQL_DYN_LONG) {
            int64_t v = kql_dyn_long(g);
            found = v >= 1 && v <= e->ngroups ? (int)v : 0;
        } else if (kql_dyn_tag_of(g) == KQL_DYN_STRING) {
            kql_str name = kql_dyn_string(g);
            for (int j = 1; j <= e->ngroups && !found; j++)
                if (e->name_len[j] == name.len && name.len &&
                    memcmp(e->key + 1 + e->name_at[j], name.ptr, name.len) == 0)
                    found = j;
        }
        if (!found)
            return false;
        picked[i] = found;
    }
    *count = k;
    return true;
}

/* Every match; with one capture group (or none) an array of strings, with
 * more an array of arrays of the groups. captureGroups picks the groups
 * (docs: dynamic([1,3]), dynamic(['first',2,'last'])); one picked group
 * gives an array of strings. Null when nothing matches or a picked group
 * doesn't exist. */
void kql_fn_extract_all(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    const kql_value *source = &args[n - 1];
    kql_str src;
    kql_fn_texts(ctx, source, 1, &src);
    if (source->type != KQL_STRING && src.len)
        src.ptr = kql_arena_dup(ctx->arena, src.ptr, src.len);   /* free the scratch buffer */
    const regex_entry *e = regex_get(args[0].u.s, MODE_FIND);
    regmatch_t m[REGEX_MAX_MATCH];
    int picked[REGEX_MAX_GROUPS + 1];
    uint32_t npicked = 0;
    if (e && n == 3) {
        kql_dyn groups = kql_fn_dyn_array(&args[1]);
        if (!groups || !pick_groups(e, groups, picked, &npicked)) {
            *out = kql_null(KQL_DYNAMIC);
            return;
        }
    } else if (e) {
        /* all groups, or the whole match when there are none */
        npicked = e->ngroups ? (uint32_t)e->ngroups : 1;
        for (uint32_t i = 0; i < npicked; i++)
            picked[i] = e->ngroups ? (int)i + 1 : 0;
    }
    if (!e || !regex_find(e, src, 0, m)) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    kql_buf_clear(&ctx->scratch);
    size_t mark = kql_dyn_begin_array(&ctx->scratch);
    uint32_t count = 0;
    for (size_t from = 0; from <= src.len && regex_find(e, src, from, m); from = after_match(m)) {
        size_t inner = 0;
        if (npicked > 1)
            inner = kql_dyn_begin_array(&ctx->scratch);
        for (uint32_t i = 0; i < npicked; i++) {
            const regmatch_t *r = &m[e->map[picked[i]]];
            if (r->rm_so < 0)
                kql_dyn_put_string(&ctx->scratch, "", 0);
            else
                kql_dyn_put_string(&ctx->scratch, src.ptr + r->rm_so, (size_t)(r->rm_eo - r->rm_so));
        }
        if (npicked > 1)
            kql_dyn_end(&ctx->scratch, inner, npicked);
        count++;
    }
    kql_dyn_end(&ctx->scratch, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_indexof_regex, "indexof_regex", "ssiii", KQL_LONG)

/* indexof_regex(string, match [, start [, length [, occurrence]]]): like
 * indexof (code-point positions; length -1: no limit; each occurrence
 * searched after the previous match, matches don't overlap), but null for
 * any negative start, as the docs' idx5 example shows. An invalid pattern
 * gives null too. */
void kql_fn_indexof_regex(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)ctx;
    int64_t start, length, occurrence;
    if (!kql_fn_index_args(args, n, &start, &length, &occurrence)) {
        *out = kql_null(KQL_LONG);
        return;
    }
    const regex_entry *e = regex_get(args[1].u.s, MODE_FIND);
    if (!e || start < 0 || length < -1 || occurrence < 0) {
        *out = kql_null(KQL_LONG);
        return;
    }
    kql_str s = args[0].u.s;
    size_t from = kql_utf8_offset(s.ptr, s.len, start);
    if (occurrence == 0 || (from == s.len && (int64_t)kql_utf8_count(s.ptr, s.len) < start)) {
        *out = kql_long(-1);
        return;
    }
    size_t to = length < 0 ? s.len : from + kql_utf8_offset(s.ptr + from, s.len - from, length);
    kql_str region = { s.ptr + from, (uint32_t)(to - from) };
    regmatch_t m[REGEX_MAX_MATCH];
    int64_t found = 0;
    for (size_t at = 0; at <= region.len && regex_find(e, region, at, m); at = after_match(m))
        if (++found == occurrence) {
            *out = kql_long(start + (int64_t)kql_utf8_count(region.ptr, (size_t)m[0].rm_so));
            return;
        }
    *out = kql_long(-1);
}

KQL_FN_RULE(kql_fnt_regex_quote, "regex_quote", "s", KQL_STRING)

/* regex_quote('(so$me.Te^xt)') = \(so\$me\.Te\^xt\): a backslash before
 * every character RE2 gives a meaning to. */
void kql_fn_regex_quote(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str s = args[0].u.s;
    kql_buf_clear(&ctx->scratch);
    for (size_t i = 0; i < s.len; i++) {
        if (strchr("\\.+*?()|[]{}^$", s.ptr[i]) && s.ptr[i] != '\0')
            kql_buf_putc(&ctx->scratch, '\\');
        kql_buf_putc(&ctx->scratch, s.ptr[i]);
    }
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

KQL_FN_RULE(kql_fnt_replace_regex, "replace_regex", "asa", KQL_STRING)

/* replace_regex(source, lookup_regex, rewrite): every non-overlapping
 * match is replaced; \0 .. \9 in rewrite stand for the match's groups. */
void kql_fn_replace_regex(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    kql_str t[2];
    kql_value texts[2] = { args[0], args[2] };
    kql_fn_texts(ctx, texts, 2, t);
    for (int i = 0; i < 2; i++)
        if (texts[i].type != KQL_STRING && t[i].len)
            t[i].ptr = kql_arena_dup(ctx->arena, t[i].ptr, t[i].len);
    kql_str src = t[0], rewrite = t[1];
    const regex_entry *e = regex_get(args[1].u.s, MODE_FIND);
    regmatch_t m[REGEX_MAX_MATCH];
    if (!e || !regex_find(e, src, 0, m)) {
        *out = kql_fn_slice_out(ctx, &args[0], src.ptr, src.len);
        return;
    }
    kql_buf_clear(&ctx->scratch);
    size_t copied = 0;
    for (size_t from = 0; from <= src.len && regex_find(e, src, from, m); from = after_match(m)) {
        kql_buf_put(&ctx->scratch, src.ptr + copied, (size_t)m[0].rm_so - copied);
        for (size_t k = 0; k < rewrite.len; k++) {
            char c = rewrite.ptr[k];
            if (c == '\\' && k + 1 < rewrite.len && rewrite.ptr[k + 1] >= '0' &&
                rewrite.ptr[k + 1] <= '9') {
                int g = rewrite.ptr[++k] - '0';
                const regmatch_t *r = g <= e->ngroups ? &m[e->map[g]] : NULL;
                if (r && r->rm_so >= 0)
                    kql_buf_put(&ctx->scratch, src.ptr + r->rm_so, (size_t)(r->rm_eo - r->rm_so));
            } else {
                kql_buf_putc(&ctx->scratch, c);
            }
        }
        copied = (size_t)m[0].rm_eo;
        /* an empty match keeps the character it stood before */
        if (m[0].rm_eo == m[0].rm_so && copied < src.len) {
            kql_buf_putc(&ctx->scratch, src.ptr[copied]);
            copied++;
        }
    }
    if (copied < src.len)
        kql_buf_put(&ctx->scratch, src.ptr + copied, src.len - copied);
    *out = kql_fn_string_out(ctx, ctx->scratch.data, ctx->scratch.len);
}

/* Strips repeated matches of the pattern from the start and/or the end. */
static void trim_regex(kql_fn_ctx *ctx, const kql_value *args, bool start, bool end, kql_value *out)
{
    kql_str src;
    kql_fn_texts(ctx, &args[1], 1, &src);
    size_t from = 0, to = src.len;
    regmatch_t m[REGEX_MAX_MATCH];
    const regex_entry *e = start ? regex_get(args[0].u.s, MODE_START) : NULL;
    /* ^ matches only at the string's first byte: search the rest as its own string */
    while (e && from < to) {
        kql_str rest = { src.ptr + from, (uint32_t)(to - from) };
        if (!regex_find(e, rest, 0, m) || m[0].rm_eo == 0)
            break;
        from += (size_t)m[0].rm_eo;
    }
    e = end ? regex_get(args[0].u.s, MODE_END) : NULL;
    while (e && to > from) {
        kql_str rest = { src.ptr + from, (uint32_t)(to - from) };
        if (!regex_find(e, rest, 0, m) || m[0].rm_so == m[0].rm_eo)
            break;
        to = from + (size_t)m[0].rm_so;
    }
    *out = kql_fn_slice_out(ctx, &args[1], src.ptr + from, to - from);
}

KQL_FN_RULE(kql_fnt_trim, "trim", "sa", KQL_STRING)

/* trim docs: trim("--", "--https://bing.com--") = "https://bing.com" */
void kql_fn_trim(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    trim_regex(ctx, args, true, true, out);
}

KQL_FN_RULE(kql_fnt_trim_start, "trim_start", "sa", KQL_STRING)

void kql_fn_trim_start(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    trim_regex(ctx, args, true, false, out);
}

KQL_FN_RULE(kql_fnt_trim_end, "trim_end", "sa", KQL_STRING)

void kql_fn_trim_end(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    trim_regex(ctx, args, false, true, out);
}

int kql_regex_search(kql_str pattern, kql_str text)
{
    const regex_entry *e = regex_get(pattern, MODE_FIND);
    if (!e)
        return -1;
    regmatch_t m[REGEX_MAX_MATCH];
    return regex_find(e, text, 0, m) ? 1 : 0;
}

bool kql_regex_translate(kql_str pattern, kql_buf *out, int *groups, bool *icase)
{
    regex_entry e = { 0 };
    int cflags = 0;
    if (!translate(pattern.ptr, pattern.len, 0, out, &e, &cflags))
        return false;
    *groups = e.nposix;
    *icase = (cflags & REG_ICASE) != 0;
    return true;
}
