/* ast.c - construction, lookup, naming and dumping of syntax tree nodes (ast.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

ast_node *ast_new(ast_kind kind, int op, const char *text, size_t text_len, ast_loc loc)
{
    ast_node *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->op = op;
    n->loc = loc;
    if (text) {
        n->text = malloc(text_len + 1);
        if (!n->text) {
            free(n);
            return NULL;
        }
        memcpy(n->text, text, text_len);
        n->text[text_len] = '\0';
        n->text_len = text_len;
    }
    return n;
}

void ast_add(ast_node *parent, ast_node *kid)
{
    /* Capacity is implicit: the array doubles whenever nkids reaches a power of two. */
    size_t n = parent->nkids;
    if (n == 0 || (n & (n - 1)) == 0) {
        ast_node **k = realloc(parent->kids, (n ? 2 * n : 1) * sizeof *k);
        if (!k) {
            ast_free(kid);
            return;
        }
        parent->kids = k;
    }
    parent->kids[parent->nkids++] = kid;
}

static void free_one(ast_node *node)
{
    free(node->text);
    free(node->kids);
    free(node);
}

/* Iterative (an explicit work stack), so that a long left-deep chain
 * (a or b or c ...) cannot overflow the C stack. */
void ast_free(ast_node *node)
{
    ast_node **stack = NULL;
    size_t depth = 0, cap = 0;
    while (node) {
        for (size_t i = 0; i < node->nkids; i++) {
            if (!node->kids[i])
                continue;
            if (depth == cap) {
                size_t ncap = cap ? 2 * cap : 64;
                ast_node **s = realloc(stack, ncap * sizeof *s);
                if (!s) {
                    /* Out of memory: fall back to recursion for this subtree. */
                    ast_free(node->kids[i]);
                    continue;
                }
                stack = s;
                cap = ncap;
            }
            stack[depth++] = node->kids[i];
        }
        free_one(node);
        node = depth ? stack[--depth] : NULL;
    }
    free(stack);
}

const ast_node *ast_clause(const ast_node *op, const char *keyword)
{
    for (size_t i = 0; op && i < op->nkids; i++) {
        const ast_node *k = op->kids[i];
        if (k && k->kind == AST_CLAUSE && k->text && strcmp(k->text, keyword) == 0)
            return k;
    }
    return NULL;
}

const ast_node *ast_option(const ast_node *op, const char *name)
{
    for (size_t i = 0; op && i < op->nkids; i++) {
        const ast_node *k = op->kids[i];
        if (k && k->kind == AST_OPTION && k->text && strcmp(k->text, name) == 0)
            return k;
    }
    return NULL;
}

const char *ast_kind_name(ast_kind kind)
{
    static const char *const names[] = {
        [AST_QUERY] = "query", [AST_LET] = "let", [AST_SET] = "set",
        [AST_DECLARE] = "declare", [AST_ALIAS] = "alias", [AST_EXPR_STMT] = "stmt",
        [AST_PIPE] = "|", [AST_OPERATOR] = "operator", [AST_DATATABLE] = "datatable",
        [AST_SCHEMA] = "schema", [AST_COLDEF] = "col", [AST_LAMBDA] = "lambda",
        [AST_LITERAL] = "literal", [AST_NAME] = "name", [AST_STAR] = "*",
        [AST_UNARY] = "unary", [AST_BINARY] = "binary", [AST_IN] = "in",
        [AST_BETWEEN] = "between", [AST_CALL] = "call", [AST_MEMBER] = ".",
        [AST_INDEX] = "[]", [AST_ASSIGN] = "=", [AST_LIST] = "list",
        [AST_TYPEOF] = "typeof", [AST_OPTION] = "option", [AST_CLAUSE] = "clause",
        [AST_SORTKEY] = "sortkey", [AST_TABLE_REF] = "table", [AST_SUBQUERY] = "subquery",
        [AST_RESTRICT] = "restrict",
    };
    if ((size_t)kind < sizeof names / sizeof *names && names[kind])
        return names[kind];
    return "?";
}

const char *ast_binop_text(int op)
{
    static const char *const names[] = {
        "not", "+", "-", "*", "/", "%", "<", "<=", ">", ">=",
        "==", "!=", "=~", "!~", "and", "or", "in", "!in", "in~", "!in~",
        "contains", "!contains", "contains_cs", "!contains_cs",
        "has", "!has", "has_cs", "!has_cs",
        "hasprefix", "!hasprefix", "hasprefix_cs", "!hasprefix_cs",
        "hassuffix", "!hassuffix", "hassuffix_cs", "!hassuffix_cs",
        "startswith", "!startswith", "startswith_cs", "!startswith_cs",
        "endswith", "!endswith", "endswith_cs", "!endswith_cs",
        "matches regex", "has_any", "has_all",
    };
    if (op == '-')
        return "-";
    if (op == '+')
        return "+";
    if (op >= AST_OP_NOT && (size_t)(op - AST_OP_NOT) < sizeof names / sizeof *names)
        return names[op - AST_OP_NOT];
    return "?";
}

const char *ast_type_name(ast_type type)
{
    static const char *const names[] = {
        "none", "bool", "int", "long", "real", "decimal", "string",
        "datetime", "timespan", "guid", "dynamic", "table",
    };
    if ((size_t)type < sizeof names / sizeof *names)
        return names[type];
    return "?";
}

/* ---- dump ---- */

typedef struct buf {
    char *s;
    size_t len, cap;
    int failed;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->failed = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A string with its special characters escaped, in double quotes. */
static void put_quoted(buf *b, const char *s, size_t n)
{
    puts_(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(b, esc, 2);
        } else if (c == '\n') {
            puts_(b, "\\n");
        } else if (c == '\t') {
            puts_(b, "\\t");
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            puts_(b, esc);
        } else {
            put(b, (const char *)&c, 1);
        }
    }
    puts_(b, "\"");
}

/* A name bare when it is a plain identifier, else as ['...']. */
static void put_name(buf *b, const char *s, size_t n)
{
    int plain = n > 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$' || c == '*' || c == '-' || c == '.'))
            plain = 0;
    }
    if (plain) {
        put(b, s, n);
    } else {
        puts_(b, "[");
        put_quoted(b, s, n);
        puts_(b, "]");
    }
}

static void dump(buf *b, const ast_node *n);

static void dump_kids(buf *b, const ast_node *n, size_t from)
{
    for (size_t i = from; i < n->nkids; i++) {
        puts_(b, " ");
        dump(b, n->kids[i]);
    }
}

static const char *literal_kind_name(int op)
{
    switch (op) {
    case AST_LIT_NULL_TYPED: return "null";
    case AST_LIT_BOOL: return "bool";
    case AST_LIT_INT: return "int";
    case AST_LIT_LONG: return "long";
    case AST_LIT_REAL: return "real";
    case AST_LIT_DECIMAL: return "decimal";
    case AST_LIT_STRING: return "string";
    case AST_LIT_DATETIME: return "datetime";
    case AST_LIT_TIMESPAN: return "timespan";
    case AST_LIT_GUID: return "guid";
    case AST_LIT_DYNAMIC: return "dynamic";
    default: return "?";
    }
}

/* Format (see test_parser.c for examples): (head text kids...), where head is the
 * operator name, the binary operator, or the kind name; names and longs bare;
 * strings quoted; other literals (kind text). */
static void dump(buf *b, const ast_node *n)
{
    const char *text = n && n->text ? n->text : "";
    size_t tlen = n && n->text ? n->text_len : 0;
    if (!n) {
        puts_(b, "nil");
        return;
    }
    switch (n->kind) {
    case AST_NAME:
        put_name(b, text, tlen);
        return;
    case AST_STAR:
        puts_(b, "*");
        return;
    case AST_LITERAL:
        if (n->op == AST_LIT_STRING) {
            put_quoted(b, text, tlen);
        } else if (n->op == AST_LIT_LONG) {
            put(b, text, tlen);
        } else {
            puts_(b, "(");
            puts_(b, literal_kind_name(n->op));
            puts_(b, " ");
            put(b, text, tlen);
            puts_(b, ")");
        }
        return;
    default:
        break;
    }
    puts_(b, "(");
    switch (n->kind) {
    case AST_OPERATOR:
        put(b, text, tlen);
        break;
    case AST_BINARY: case AST_UNARY: case AST_IN:
        puts_(b, ast_binop_text(n->op));
        break;
    case AST_BETWEEN:
        puts_(b, n->op ? "!between" : "between");
        break;
    case AST_COLDEF: case AST_TYPEOF:
        puts_(b, ast_kind_name(n->kind));
        if (n->text) {
            puts_(b, " ");
            put_name(b, text, tlen);
        }
        puts_(b, " ");
        puts_(b, ast_type_name((ast_type)n->op));
        break;
    case AST_SORTKEY:
        puts_(b, "sortkey");
        puts_(b, n->op & AST_SORT_ASC ? " asc" : " desc");
        if (n->op & AST_SORT_GRANNY)
            puts_(b, " granny");
        if (n->op & AST_SORT_NULLS_FIRST)
            puts_(b, " nulls-first");
        if (n->op & AST_SORT_NULLS_LAST)
            puts_(b, " nulls-last");
        break;
    case AST_LIST:
        puts_(b, n->op == '(' ? "tuple" : "list");
        break;
    case AST_MEMBER:
        puts_(b, ".");
        dump_kids(b, n, 0);
        puts_(b, " ");
        put_name(b, text, tlen);
        puts_(b, ")");
        return;
    default:
        puts_(b, ast_kind_name(n->kind));
        if (n->text) {
            puts_(b, " ");
            put_name(b, text, tlen);
        }
        break;
    }
    dump_kids(b, n, 0);
    puts_(b, ")");
}

void ast_dump(const ast_node *node, char **out, size_t *len)
{
    buf b = {0};
    dump(&b, node);
    if (b.failed) {
        free(b.s);
        b.s = NULL;
        b.len = 0;
    }
    *out = b.s;
    *len = b.len;
}
