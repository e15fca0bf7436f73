/* schema_file.c - parsing TABLE.schema files (schema_file.h).
 *
 * The grammar is KQL's schema literal, small enough for a hand-written
 * scanner here (runtime/ knows nothing of grammar/):
 *   schema  := '(' [ column { ',' column } ] ')'
 *   column  := name ':' type
 *   name    := identifier | "['" text "']" | '["' text '"]'
 *   type    := one of kql_type_from_name's names (long, string, datetime, ...)
 * White space and `//` comments may sit between any two tokens.
 */
#include "schema_file.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

typedef struct sf_scan {
    const char *text, *path;
    size_t len, pos;
    kql_load_error *err;
} sf_scan;

static void sf_fail(sf_scan *S, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void sf_fail(sf_scan *S, size_t off, const char *fmt, ...)
{
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off && i < S->len; i++) {
        if (S->text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    int n = snprintf(S->err->message, sizeof S->err->message, "%s:%zu:%zu: ", S->path, line, col);
    if (n < 0 || (size_t)n >= sizeof S->err->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(S->err->message + n, sizeof S->err->message - (size_t)n, fmt, ap);
    va_end(ap);
}

static void sf_skip(sf_scan *S)
{
    while (S->pos < S->len) {
        char c = S->text[S->pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            S->pos++;
        } else if (c == '/' && S->pos + 1 < S->len && S->text[S->pos + 1] == '/') {
            while (S->pos < S->len && S->text[S->pos] != '\n')
                S->pos++;
        } else {
            break;
        }
    }
}

static bool sf_ident_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* What the scanner is looking at, for messages: "')'", "the end of the file". */
static const char *sf_here(sf_scan *S, char *buf, size_t cap)
{
    if (S->pos >= S->len)
        return "the end of the file";
    unsigned char c = (unsigned char)S->text[S->pos];
    if (c > ' ' && c < 127)
        snprintf(buf, cap, "'%c'", c);
    else
        snprintf(buf, cap, "byte 0x%02x", c);
    return buf;
}

static bool sf_expect(sf_scan *S, char want, const char *what)
{
    sf_skip(S);
    if (S->pos < S->len && S->text[S->pos] == want) {
        S->pos++;
        return true;
    }
    char b[16];
    sf_fail(S, S->pos, "expected %s, found %s", what, sf_here(S, b, sizeof b));
    return false;
}

/* An identifier at S->pos into out; false if there is none. */
static bool sf_ident(sf_scan *S, kql_buf *out)
{
    size_t start = S->pos;
    while (S->pos < S->len && sf_ident_char(S->text[S->pos], S->pos == start))
        S->pos++;
    kql_buf_put(out, S->text + start, S->pos - start);
    return S->pos > start;
}

/* A column name: identifier, ['text'] or ["text"]. */
static bool sf_name(sf_scan *S, kql_buf *out)
{
    sf_skip(S);
    size_t start = S->pos;
    if (S->pos + 1 < S->len && S->text[S->pos] == '[' &&
        (S->text[S->pos + 1] == '\'' || S->text[S->pos + 1] == '"')) {
        char q = S->text[S->pos + 1];
        S->pos += 2;
        size_t from = S->pos;
        while (S->pos < S->len && S->text[S->pos] != q && S->text[S->pos] != '\n')
            S->pos++;
        if (S->pos + 1 >= S->len || S->text[S->pos] != q || S->text[S->pos + 1] != ']') {
            sf_fail(S, start, "unterminated quoted column name (expected %c])", q);
            return false;
        }
        kql_buf_put(out, S->text + from, S->pos - from);
        S->pos += 2;
        if (out->len == 0) {
            sf_fail(S, start, "empty column name");
            return false;
        }
        return true;
    }
    if (!sf_ident(S, out)) {
        char b[16];
        sf_fail(S, start, "expected a column name, found %s", sf_here(S, b, sizeof b));
        return false;
    }
    return true;
}

void kql_schema_file_free(kql_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncols; i++)
        free((char *)s->cols[i].name);
    free((kql_schema_column *)s->cols);
    free((char *)s->table);
    free(s);
}

static char *sf_strdup(const char *p, size_t n)
{
    char *d = kql_xrealloc(NULL, n + 1);
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

kql_schema *kql_schema_file_parse(const char *text, size_t len, const char *path, const char *table,
                                  kql_load_error *err)
{
    sf_scan S = {.text = text, .path = path, .len = len, .err = err};
    err->message[0] = '\0';
    kql_schema *s = kql_xrealloc(NULL, sizeof *s);   /* the caller's: kql_schema_file_free */
    *s = (kql_schema){.table = sf_strdup(table, strlen(table))};
    kql_schema_column *cols = NULL;
    size_t cap = 0;
    kql_buf name, type;
    kql_buf_init(&name);
    kql_buf_init(&type);
    bool ok = sf_expect(&S, '(', "'(' to open the column list");
    sf_skip(&S);
    bool empty = ok && S.pos < S.len && S.text[S.pos] == ')';
    if (empty)
        S.pos++;
    while (ok && !empty) {
        kql_buf_clear(&name);
        kql_buf_clear(&type);
        size_t name_at = (sf_skip(&S), S.pos);
        if (!sf_name(&S, &name) || !sf_expect(&S, ':', "':' and a type after the column name")) {
            ok = false;
            break;
        }
        sf_skip(&S);
        size_t type_at = S.pos;
        char b[16];
        if (!sf_ident(&S, &type)) {
            sf_fail(&S, type_at, "expected a type, found %s", sf_here(&S, b, sizeof b));
            ok = false;
            break;
        }
        kql_type t = kql_type_from_name(kql_buf_cstr(&type));
        if (t == KQL_TYPE_UNKNOWN) {
            sf_fail(&S, type_at, "unknown type '%s'", kql_buf_cstr(&type));
            ok = false;
            break;
        }
        for (size_t i = 0; i < s->ncols; i++)
            if (strcmp(cols[i].name, kql_buf_cstr(&name)) == 0) {
                sf_fail(&S, name_at, "column '%s' is declared twice", cols[i].name);
                ok = false;
            }
        if (!ok)
            break;
        if (s->ncols == cap) {
            cap = cap ? cap * 2 : 16;
            cols = kql_xrealloc(cols, cap * sizeof *cols);
        }
        cols[s->ncols++] = (kql_schema_column){.name = sf_strdup(name.data, name.len), .type = t};
        s->cols = cols;
        sf_skip(&S);
        if (S.pos < S.len && S.text[S.pos] == ',') {
            S.pos++;
            continue;
        }
        if (!sf_expect(&S, ')', "',' or ')' after a column"))
            ok = false;
        break;
    }
    s->cols = cols;
    if (ok) {
        sf_skip(&S);
        if (S.pos < S.len) {
            char b[16];
            sf_fail(&S, S.pos, "unexpected %s after the closing ')'", sf_here(&S, b, sizeof b));
            ok = false;
        }
    }
    kql_buf_free(&name);
    kql_buf_free(&type);
    if (!ok) {
        kql_schema_file_free(s);
        return NULL;
    }
    return s;
}
