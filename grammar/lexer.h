/* lexer.h - the token iterator behind kql_parse(), internal to grammar/.
 *
 * Exposed only so parse.c and the lexer unit test can drive it. Token kinds
 * are the Bison token numbers of parser.h (TOK_*), a character for one-byte
 * punctuation ('(', '|', ...), TOK_YYEOF at the end and TOK_KQL_YYerror on a
 * lexical error (the message is then in lexer->error).
 */
#ifndef KQL_LEXER_H
#define KQL_LEXER_H

#include <stddef.h>
#include "ast.h"

/* Deepest bracket nesting accepted; deeper input is refused with an error
 * rather than risking the parser's stack or a recursive consumer's. */
#define KQL_MAX_NESTING 1000

typedef struct kql_token {
    int kind;
    int sub;                /* ast_binop of an operator token, ast_literal_kind of a typed
                               literal, 1 for !between, the string style (KQL_STR_*) */
    const char *text;       /* the token as written (points into the source) */
    size_t len;
    const char *inner;      /* typed literal: the text inside its parentheses, trimmed */
    size_t inner_len;
    ast_loc loc;
} kql_token;

/* How a string literal was written; kql_decode_string() needs to know. */
enum { KQL_STR_QUOTED, KQL_STR_VERBATIM, KQL_STR_FENCED };

typedef struct kql_lexer {
    const char *src;        /* must be followed by a NUL byte at src[len] */
    const char *cur, *lim;
    int line;
    const char *line_start;
    int depth;              /* open brackets */
    /* The open brackets, innermost last ('(', '[' or '{' and where it is),
     * so a syntax error can point at the one left unclosed. */
    struct kql_open_bracket { char kind; ast_loc loc; } open[KQL_MAX_NESTING];
    int mismatched;         /* the last closing bracket does not close the innermost open
                               one (or none is open); it is left open */
    char error[256];        /* set when TOK_KQL_YYerror is returned */
    ast_loc error_loc;
} kql_lexer;

void kql_lexer_init(kql_lexer *lx, const char *src, size_t len);
int kql_lex(kql_lexer *lx, kql_token *tok);     /* fills *tok and returns tok->kind */

/* Decodes a STRING token (quotes, escapes, h-prefix) into a new NUL-terminated
 * buffer; *out_len receives its length. NULL on out of memory. */
char *kql_decode_string(const kql_token *tok, size_t *out_len);

/* The type a type word names ("long", "double" -> real, "date" -> datetime,
 * "time" -> timespan, ...); AST_TYPE_NONE if it is not a type word. */
ast_type kql_type_from_word(const char *word, size_t len);

/* A printable name for a token kind, as used in error messages ("'by'", "a string"). */
const char *kql_token_name(int kind);

#endif
