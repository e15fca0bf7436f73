/* fuzz_parse.c - libFuzzer target: the lexer and parser on arbitrary query
 * text. Every input must give a syntax tree or a syntax error (with a
 * location inside the text), never a crash, a hang or a leak.
 * Built by fuzz/CMakeLists.txt; run by fuzz/run.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kql_syntax_error err;
    ast_node *root = kql_parse((const char *)data, size, &err);   /* owned here */
    if (!root && (err.loc.offset > size || err.message[0] == '\0'))
        abort();   /* an error must say what and point inside the text */
    ast_free(root);
    return 0;
}
