/* cursor.c - kql_cursor_scan (cursor.h): lexes the text before the cursor,
 * keeping, for each open bracket, where its contents start and the last '|'
 * in them, so the pipeline in scope is the innermost one that has a pipe. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "lexer.h"
#include "parser.h"

/* One bracket level (level 0: the statement). */
typedef struct cursor_level {
    size_t start;           /* offset after the bracket, `let x =`, or the statement start */
    size_t last_pipe;       /* offset of its last '|', or 0 */
} cursor_level;

static bool cursor_word_char(char c, bool dash)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (dash && c == '-');
}

/* The start of the word ending at len (operator names may hold dashes). */
static size_t cursor_word_start(const char *text, size_t len, bool dash)
{
    size_t w = len;
    while (w > 0 && cursor_word_char(text[w - 1], dash)) w--;
    return w;
}

/* The kinds of tokens after which a table name comes. */
static bool cursor_opens_source(int kind)
{
    return kind == ';' || kind == TOK_JOIN || kind == TOK_LOOKUP || kind == TOK_UNION;
}

void kql_cursor_scan(const char *text, size_t len, kql_cursor *out)
{
    memset(out, 0, sizeof *out);
    out->place = KQL_CURSOR_NONE;
    out->word = len;
    size_t word = cursor_word_start(text, len, true);
    char *src = malloc(word + 1);   /* the lexer wants a NUL after the text; freed below */
    memcpy(src, text, word);
    src[word] = '\0';

    cursor_level levels[KQL_MAX_NESTING + 1];
    size_t depth = 0;
    levels[0] = (cursor_level){ 0, 0 };
    int prev = 0, before_prev = 0;   /* the last two token kinds (0: none in this statement) */
    bool let_head = false;   /* in `let NAME` before its '=' */
    size_t end_of_last = 0;          /* where the last token ends: text after it is a comment or space */
    kql_lexer lx;
    kql_lexer_init(&lx, src, word);
    kql_token tok;
    for (;;) {
        int k = kql_lex(&lx, &tok);
        if (k == TOK_YYEOF) break;
        if (k == TOK_KQL_YYerror) goto done;   /* an unterminated string, say */
        size_t at = (size_t)(tok.text - src);
        end_of_last = at + tok.len;
        if (k == ';' && depth == 0) {
            out->stmt_start = at + 1;
            levels[0] = (cursor_level){ at + 1, 0 };
            prev = before_prev = 0;
            let_head = false;
            continue;
        }
        if (prev == 0 && depth == 0) let_head = k == TOK_LET;
        if (k == '=' && depth == 0 && let_head) {   /* `let x = T | ...`: the pipeline starts after '=' */
            levels[0] = (cursor_level){ at + 1, 0 };
            let_head = false;
            before_prev = 0;
            prev = ';';   /* a table name may follow */
            continue;
        }
        if ((k == '(' || k == '[' || k == '{') && depth < KQL_MAX_NESTING)
            levels[++depth] = (cursor_level){ at + 1, 0 };
        else if ((k == ')' || k == ']' || k == '}') && depth > 0)
            depth--;
        else if (k == '|')
            levels[depth].last_pipe = at;
        before_prev = prev;
        prev = k;
    }
    /* a `//` comment running to the cursor */
    for (size_t i = end_of_last; i + 1 < word; i++)
        if (src[i] == '/' && src[i + 1] == '/' && !memchr(src + i, '\n', word - i)) goto done;

    if (prev == '|') {
        out->place = KQL_CURSOR_OPERATOR;
        out->word = word;
    } else {
        out->word = cursor_word_start(text, len, false);
        bool paren_source = prev == '(' && levels[depth].last_pipe == 0 && before_prev != TOK_IDENT;
        out->place = prev == 0 || cursor_opens_source(prev) || paren_source ? KQL_CURSOR_SOURCE : KQL_CURSOR_EXPR;
    }
    for (size_t d = depth + 1; d-- > 0;)
        if (levels[d].last_pipe) {
            out->scope_start = levels[d].start;
            out->scope_end = levels[d].last_pipe;
            break;
        }
done:
    free(src);
}
