/* testfile.c - splitting a test file into tests (testfile.h).
 *
 * A line-by-line state machine: outside a test, then a test's directives,
 * its query, its expected block. '#' lines are comments everywhere but in the
 * query (KQL comments are //, and the query is run as written); in the
 * expected block they usually describe the next test, which is why a CSV
 * row cannot start with '#' (the writer quotes such a cell).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "testfile.h"

static char *dup_n(const char *s, size_t n)
{
    char *d = kql_xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static void test_free(testfile_test *t)
{
    free(t->name);
    free(t->now);
    for (size_t i = 0; i < t->ndata; i++) free(t->data[i]);
    free(t->data);
    free(t->query_path);
    for (size_t i = 0; i < t->ntables; i++) {
        free(t->tables[i].name);
        free(t->tables[i].expr);
    }
    free(t->tables);
    free(t->query);
    free(t->expected);
}

void testfile_free(testfile *tf)
{
    for (size_t i = 0; i < tf->ntests; i++) test_free(&tf->tests[i]);
    free(tf->tests);
    free(tf->text);
    memset(tf, 0, sizeof *tf);
}

typedef struct parser {
    testfile *tf;
    char *err;
    size_t errsz;
} parser;

static bool fail(parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(parser *p, int line, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errsz, "%s:%d: error: ", p->tf->path, line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < p->errsz) vsnprintf(p->err + n, p->errsz - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

/* The text after a directive's word, trimmed; NULL when there is none. */
static char *directive_arg(const char *s, size_t len, size_t wordlen)
{
    const char *a = s + wordlen, *end = s + len;
    while (a < end && (*a == ' ' || *a == '\t')) a++;
    while (end > a && (end[-1] == ' ' || end[-1] == '\t')) end--;
    return a < end ? dup_n(a, (size_t)(end - a)) : NULL;
}

static const char *const directives[] = { "@now", "@data", "@query", "@table", "@ordered", "@unordered" };

static bool parse_directive(parser *p, testfile_test *t, const char *s, size_t len, int line)
{
    size_t w = 0;
    while (w < len && s[w] != ' ' && s[w] != '\t') w++;
    size_t which = 0, n = sizeof directives / sizeof directives[0];
    while (which < n && !(strlen(directives[which]) == w && memcmp(s, directives[which], w) == 0)) which++;
    if (which == n)
        return fail(p, line, "unknown directive '%.*s' (known: @now, @data, @query, @table, @ordered, @unordered)",
                    (int)w, s);
    char *arg = directive_arg(s, len, w);
    bool takes_arg = which <= 3;
    if (takes_arg && !arg)
        return fail(p, line, "%s needs %s", directives[which],
                    which == 0 ? "a datetime" : which == 3 ? "NAME = EXPRESSION" : "a path");
    if (!takes_arg && arg) {
        free(arg);
        return fail(p, line, "%s takes no argument", directives[which]);
    }
    switch (which) {
    case 0: free(t->now); t->now = arg; break;
    case 1:
        t->data = kql_xrealloc(t->data, (t->ndata + 1) * sizeof *t->data);
        t->data[t->ndata++] = arg;
        break;
    case 2:
        if (t->query_path) {
            free(arg);
            return fail(p, line, "a test has one @query");
        }
        t->query_path = arg;
        break;
    case 3: {
        /* NAME = EXPR: the name is a KQL identifier, the expression the rest */
        size_t n = 0;
        while (arg[n] == '_' || (arg[n] >= 'a' && arg[n] <= 'z') || (arg[n] >= 'A' && arg[n] <= 'Z') ||
               (n && arg[n] >= '0' && arg[n] <= '9'))
            n++;
        const char *eq = arg + n;
        while (*eq == ' ' || *eq == '\t') eq++;
        if (n == 0 || *eq != '=') {
            free(arg);
            return fail(p, line, "@table wants NAME = EXPRESSION, e.g. @table T = datatable(a:long) [1, 2]");
        }
        const char *expr = eq + 1;
        while (*expr == ' ' || *expr == '\t') expr++;
        t->tables = kql_xrealloc(t->tables, (t->ntables + 1) * sizeof *t->tables);
        testfile_table *tb = &t->tables[t->ntables++];
        tb->name = dup_n(arg, n);
        tb->expr = dup_n(expr, strlen(expr));
        tb->line = line;
        /* arg is the line's text after the word and its blanks, up to trailing blanks */
        size_t at = w;
        while (at < len && (s[at] == ' ' || s[at] == '\t')) at++;
        tb->col = (int)(at + (size_t)(expr - arg)) + 1;
        free(arg);
        break;
    }
    default: t->order = which == 4 ? TESTFILE_ORDERED : TESTFILE_UNORDERED; break;
    }
    return true;
}

static bool parse_separator(parser *p, testfile_test *t, const char *s, size_t len, int line)
{
    const char *r = s + 3, *end = s + len;
    while (r < end && *r == ' ') r++;
    if (r == end) return true;
    char rest[64];
    snprintf(rest, sizeof rest, "%.*s", (int)(end - r), r);
    int status, used = 0;
    if (sscanf(rest, "error %d%n", &status, &used) == 1 && rest[used] == '\0' && status >= 0) {
        t->expect_error = true;
        t->error_status = status;
        return true;
    }
    return fail(p, line, "bad separator '%.*s' (expected '---' or '--- error N')", (int)len, s);
}

/* The checks once a test's text is complete. */
static bool finish_test(parser *p, testfile_test *t, int state, const kql_buf *query)
{
    if (state != 3) return fail(p, t->line, "test '%s' has no '---' line", t->name);
    bool blank = true;
    for (size_t i = 0; i < query->len && blank; i++) blank = query->data[i] == ' ' || query->data[i] == '\n' || query->data[i] == '\t';
    if (t->query_path && !blank)
        return fail(p, t->query_line, "test '%s' has both @query and a query", t->name);
    if (!t->query_path && blank) return fail(p, t->line, "test '%s' has an empty query", t->name);
    if (!t->query_path) {
        t->query = dup_n(query->data, query->len ? query->len - 1 : 0);   /* without the last \n */
        t->query_len = query->len ? query->len - 1 : 0;
    }
    while (t->nexpected && t->expected[t->nexpected - 1].len == 0) t->nexpected--;
    if (!t->expect_error && t->nexpected == 0)
        return fail(p, t->separator_line, "test '%s' has no expected header row", t->name);
    return true;
}

bool testfile_read(testfile *tf, const char *path, char *err, size_t errsz)
{
    memset(tf, 0, sizeof *tf);
    tf->path = path;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "%s:1: error: %s", path, strerror(errno));
        return false;
    }
    tf->text = cli_read_stream(f, &tf->len);
    fclose(f);

    parser p = { tf, err, errsz };
    int state = 0;   /* 0 outside a test, 1 directives, 2 query, 3 expected */
    kql_buf query;
    kql_buf_init(&query);
    testfile_test *t = NULL;
    bool ok = true;
    bool last_table = false;   /* the last directive line was @table: indented lines continue it */
    int line = 0;
    for (size_t at = 0; at < tf->len && ok;) {
        const char *s = tf->text + at;
        const char *nl = memchr(s, '\n', tf->len - at);
        size_t full = nl ? (size_t)(nl - s) + 1 : tf->len - at;
        size_t len = nl ? (size_t)(nl - s) : full;
        if (len && s[len - 1] == '\r') len--;
        size_t start = at;
        at += full;
        line++;
        bool comment = len && s[0] == '#' && !(len >= 3 && memcmp(s, "###", 3) == 0);
        bool blank = len == 0;

        if (len >= 3 && memcmp(s, "###", 3) == 0) {
            if (t && !(ok = finish_test(&p, t, state, &query))) break;
            char *name = directive_arg(s, len, 3);
            if (!name) {
                ok = fail(&p, line, "'###' without a test name");
                break;
            }
            for (size_t i = 0; i < tf->ntests && ok; i++)
                if (strcmp(tf->tests[i].name, name) == 0)
                    ok = fail(&p, line, "duplicate test name '%s' (first at line %d)", name, tf->tests[i].line);
            if (!ok) {
                free(name);
                break;
            }
            tf->tests = kql_xrealloc(tf->tests, (tf->ntests + 1) * sizeof *tf->tests);
            t = &tf->tests[tf->ntests++];
            memset(t, 0, sizeof *t);
            t->name = name;
            t->line = line;
            kql_buf_clear(&query);
            state = 1;
            continue;
        }
        if (state == 0) {
            if (!blank && !comment) ok = fail(&p, line, "text before the first '### NAME' line");
            continue;
        }
        if (state == 1) {
            if (blank || comment) {
                last_table = false;
                continue;
            }
            if (last_table && (s[0] == ' ' || s[0] == '\t')) {   /* @table's expression goes on */
                testfile_table *tb = &t->tables[t->ntables - 1];
                size_t old = strlen(tb->expr);
                tb->expr = kql_xrealloc(tb->expr, old + len + 2);
                tb->expr[old] = '\n';
                memcpy(tb->expr + old + 1, s, len);
                tb->expr[old + 1 + len] = '\0';
                continue;
            }
            if (s[0] == '@') {
                size_t before = t->ntables;
                ok = parse_directive(&p, t, s, len, line);
                last_table = t->ntables > before;
                continue;
            }
            state = 2;
            t->query_line = line;
        }
        if (state == 2) {
            if (len >= 3 && memcmp(s, "---", 3) == 0) {
                ok = parse_separator(&p, t, s, len, line);
                t->separator_line = line;
                t->span_start = start;
                t->span_end = at;
                state = 3;
            } else {
                kql_buf_put(&query, s, len);
                kql_buf_putc(&query, '\n');
            }
            continue;
        }
        if (comment) continue;
        t->expected = kql_xrealloc(t->expected, (t->nexpected + 1) * sizeof *t->expected);
        t->expected[t->nexpected++] = (text_line){ s, len, line };
        if (!blank) t->span_end = at;
    }
    if (ok && t) ok = finish_test(&p, t, state, &query);
    kql_buf_free(&query);
    if (!ok) testfile_free(tf);
    return ok;
}
