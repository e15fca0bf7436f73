/* parse.h - the entry point of grammar/: query text in, syntax tree out.
 *
 * The lexer (lexer.re, re2c) and the parser (parser.y, Bison) are hidden
 * behind kql_parse(); nothing outside grammar/ sees tokens.
 */
#ifndef KQL_PARSE_H
#define KQL_PARSE_H

#include <stddef.h>
#include "ast.h"

typedef struct kql_syntax_error {
    ast_loc loc;            /* where the offending token is (length 0 at end of input) */
    char message[1024];     /* e.g. "unexpected 'by', expected an expression" */
} kql_syntax_error;

/* Parses a whole query (statements separated by ';'). Returns the AST_QUERY
 * root, owned by the caller (ast_free), or NULL with *err filled in. */
ast_node *kql_parse(const char *src, size_t len, kql_syntax_error *err);

#endif
