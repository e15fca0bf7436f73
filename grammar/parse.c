/* parse.c - kql_parse(): runs the lexer and the Bison parser over a query and
 * hands back the tree or a positioned error (parse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "parser.h"

/* Deepest tree accepted. Left-deep chains (a + b + c ...) never strain the
 * parser's stack, but every recursive consumer of the tree would. */
#define KQL_MAX_TREE_DEPTH 2500

typedef struct frame {
    const ast_node *node;
    size_t depth;
} frame;

/* The first node found deeper than the limit, or NULL; iterative on purpose. */
static const ast_node *too_deep(const ast_node *root, int *oom)
{
    size_t cap = 256, n = 0;
    frame *stack = malloc(cap * sizeof *stack);
    const ast_node *found = NULL;
    if (!stack) {
        *oom = 1;
        return NULL;
    }
    stack[n++] = (frame){root, 1};
    while (n && !found) {
        frame f = stack[--n];
        if (f.depth > KQL_MAX_TREE_DEPTH) {
            found = f.node;
            break;
        }
        for (size_t i = 0; i < f.node->nkids; i++) {
            if (!f.node->kids[i])
                continue;
            if (n == cap) {
                frame *s = realloc(stack, 2 * cap * sizeof *s);
                if (!s) {
                    *oom = 1;
                    free(stack);
                    return NULL;
                }
                stack = s;
                cap *= 2;
            }
            stack[n++] = (frame){f.node->kids[i], f.depth + 1};
        }
    }
    free(stack);
    return found;
}

static void set_error(kql_syntax_error *err, ast_loc loc, const char *msg)
{
    if (!err)
        return;
    err->loc = loc;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

ast_node *kql_parse(const char *src, size_t len, kql_syntax_error *err)
{
    /* The lexer wants a NUL after the text. */
    char *copy = malloc(len + 1);
    kql_pctx *p = calloc(1, sizeof *p);
    ast_loc start = {1, 1, 1, 1, 0, 0};
    if (err)
        memset(err, 0, sizeof *err);
    if (!copy || !p) {
        free(copy);
        free(p);
        set_error(err, start, "out of memory");
        return NULL;
    }
    if (len)
        memcpy(copy, src, len);
    copy[len] = '\0';
    kql_lexer_init(&p->lx, copy, len);

    int rc = kql_yyparse(p);
    ast_node *root = p->result;
    if (rc == 0 && !p->oom && root) {
        int oom = 0;
        const ast_node *deep = too_deep(root, &oom);
        if (deep) {
            char msg[128];
            snprintf(msg, sizeof msg, "query nested too deeply (more than %d levels)",
                     KQL_MAX_TREE_DEPTH);
            set_error(err, deep->loc, msg);
            rc = 1;
        } else if (oom) {
            p->oom = 1;
        }
    } else if (p->failed) {
        set_error(err, p->err_loc, p->message);
    } else if (!p->oom) {
        set_error(err, start, "syntax error");
    }
    if (p->oom) {
        set_error(err, start, "out of memory");
        rc = 1;
    }
    if (rc != 0 || !root) {
        ast_free(root);
        root = NULL;
    }
    free(copy);
    free(p);
    return root;
}
