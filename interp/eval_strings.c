/* eval_strings.c - KQL's string operators.
 *
 * contains/startswith/endswith match substrings; has/hasprefix/hassuffix
 * match terms, Kusto's maximal runs of alphanumeric characters, so
 * "KustoExplorerQueryRun" has "Explorer" is false. Operators without _cs
 * ignore case. Case folding is ASCII: bytes of multi-byte UTF-8 characters
 * compare exactly.
 */
#include <string.h>

#include "ast.h"
#include "eval_strings.h"
#include "regex_match.h"

kql_str eval_text(const kql_value *v, kql_buf *scratch)
{
    if (v->type == KQL_STRING) {
        if (v->is_null) return (kql_str){ "", 0 };
        return v->u.s;
    }
    kql_buf_clear(scratch);
    kql_value_to_text(v, scratch);
    return (kql_str){ scratch->data ? scratch->data : "", (uint32_t)scratch->len };
}

static inline unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool eval_str_equal_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold((unsigned char)a[i]) != fold((unsigned char)b[i])) return false;
    return true;
}

static bool equal_at(const char *h, const char *n, size_t len, bool cs)
{
    return cs ? memcmp(h, n, len) == 0 : eval_str_equal_ci(h, n, len);
}

static bool is_term_char(unsigned char c)
{
    /* bytes of non-ASCII UTF-8 characters count as term characters (letters) */
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

enum { MATCH_ANY, MATCH_TERM, MATCH_TERM_PREFIX, MATCH_TERM_SUFFIX };

/* Finds needle in haystack where the match satisfies `mode`'s boundaries. */
static bool find(kql_str h, kql_str n, bool cs, int mode)
{
    if (n.len == 0) return true;
    if (n.len > h.len) return false;
    unsigned char first = fold((unsigned char)n.ptr[0]);
    for (size_t i = 0; i + n.len <= h.len; i++) {
        unsigned char c = (unsigned char)h.ptr[i];
        if ((cs ? c : fold(c)) != (cs ? (unsigned char)n.ptr[0] : first)) continue;
        if (!equal_at(h.ptr + i, n.ptr, n.len, cs)) continue;
        if (mode == MATCH_ANY) return true;
        size_t end = i + n.len;
        bool starts = i == 0 || !is_term_char((unsigned char)h.ptr[i - 1]) ||
                      !is_term_char((unsigned char)n.ptr[0]);
        bool ends = end == h.len || !is_term_char((unsigned char)h.ptr[end]) ||
                    !is_term_char((unsigned char)n.ptr[n.len - 1]);
        if (mode == MATCH_TERM && starts && ends) return true;
        if (mode == MATCH_TERM_PREFIX && starts) return true;
        if (mode == MATCH_TERM_SUFFIX && ends) return true;
    }
    return false;
}

bool eval_string_op(int op, kql_str h, kql_str n)
{
    switch (op) {
    case AST_OP_CONTAINS: return find(h, n, false, MATCH_ANY);
    case AST_OP_NOTCONTAINS: return !find(h, n, false, MATCH_ANY);
    case AST_OP_CONTAINS_CS: return find(h, n, true, MATCH_ANY);
    case AST_OP_NOTCONTAINS_CS: return !find(h, n, true, MATCH_ANY);
    case AST_OP_HAS: return find(h, n, false, MATCH_TERM);
    case AST_OP_NOTHAS: return !find(h, n, false, MATCH_TERM);
    case AST_OP_HAS_CS: return find(h, n, true, MATCH_TERM);
    case AST_OP_NOTHAS_CS: return !find(h, n, true, MATCH_TERM);
    case AST_OP_HASPREFIX: return find(h, n, false, MATCH_TERM_PREFIX);
    case AST_OP_NOTHASPREFIX: return !find(h, n, false, MATCH_TERM_PREFIX);
    case AST_OP_HASPREFIX_CS: return find(h, n, true, MATCH_TERM_PREFIX);
    case AST_OP_NOTHASPREFIX_CS: return !find(h, n, true, MATCH_TERM_PREFIX);
    case AST_OP_HASSUFFIX: return find(h, n, false, MATCH_TERM_SUFFIX);
    case AST_OP_NOTHASSUFFIX: return !find(h, n, false, MATCH_TERM_SUFFIX);
    case AST_OP_HASSUFFIX_CS: return find(h, n, true, MATCH_TERM_SUFFIX);
    case AST_OP_NOTHASSUFFIX_CS: return !find(h, n, true, MATCH_TERM_SUFFIX);
    case AST_OP_STARTSWITH: case AST_OP_NOTSTARTSWITH:
    case AST_OP_STARTSWITH_CS: case AST_OP_NOTSTARTSWITH_CS: {
        bool cs = op == AST_OP_STARTSWITH_CS || op == AST_OP_NOTSTARTSWITH_CS;
        bool r = n.len <= h.len && equal_at(h.ptr, n.ptr, n.len, cs);
        return (op == AST_OP_STARTSWITH || op == AST_OP_STARTSWITH_CS) ? r : !r;
    }
    case AST_OP_ENDSWITH: case AST_OP_NOTENDSWITH:
    case AST_OP_ENDSWITH_CS: case AST_OP_NOTENDSWITH_CS: {
        bool cs = op == AST_OP_ENDSWITH_CS || op == AST_OP_NOTENDSWITH_CS;
        bool r = n.len <= h.len && equal_at(h.ptr + h.len - n.len, n.ptr, n.len, cs);
        return (op == AST_OP_ENDSWITH || op == AST_OP_ENDSWITH_CS) ? r : !r;
    }
    case AST_OP_MATCHES_REGEX:
        return kql_regex_search(n, h) == 1;
    default:
        return false;
    }
}
