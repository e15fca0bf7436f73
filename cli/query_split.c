/* query_split.c - cutting a text into queries at blank lines, as the Log
 * Analytics editor does (session.h): kql's rule for standard input. A query
 * keeps its `let` statements and line breaks; only lines holding nothing but
 * blank space separate queries. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "session.h"

static bool split_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v') return false;
    return true;
}

/* A line of a `//` comment (after blank space). */
static bool split_comment(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    return i + 1 < n && s[i] == '/' && s[i + 1] == '/';
}

size_t cli_split_queries(const char *text, size_t len, cli_chunk **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    bool open = false, has_code = false;
    cli_chunk cur = { 0 };
    int line = 1;
    for (size_t pos = 0; pos <= len; line++) {
        const char *nl = pos < len ? memchr(text + pos, '\n', len - pos) : NULL;
        size_t end = nl ? (size_t)(nl - text) : len;
        bool blank = split_blank(text + pos, end - pos);
        if (!blank && !open) {
            cur = (cli_chunk){ pos, 0, line };
            open = true;
            has_code = false;
        }
        if (!blank) {
            cur.len = end - cur.start;
            has_code |= !split_comment(text + pos, end - pos);
        }
        if ((blank || !nl) && open) {
            if (has_code) {
                if (n == cap) *out = kql_xrealloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
                (*out)[n++] = cur;
            }
            open = false;
        }
        if (!nl) break;
        pos = end + 1;
    }
    return n;
}
