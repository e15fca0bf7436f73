/* test_lexer.c - the tokenizer (grammar/lexer.h): token kinds, texts, decoded
 * strings, typed literals, positions across lines and comments, errors. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "lexer.h"
#include "parser.h"

/* Lexes src and returns the kind of its first token; *tok receives it. */
static int first(const char *src, kql_lexer *lx, kql_token *tok)
{
    kql_lexer_init(lx, src, strlen(src));
    return kql_lex(lx, tok);
}

/* The whole of src is one token of the given kind. */
static void one_token(const char *src, int kind)
{
    kql_lexer lx;
    kql_token tok;
    int k = first(src, &lx, &tok);
    cr_expect_eq(k, kind, "'%s': kind %d (%s), expected %d (%s)", src, k, kql_token_name(k), kind,
                 kql_token_name(kind));
    cr_expect_eq(tok.len, strlen(src), "'%s': token is %zu bytes", src, tok.len);
    cr_expect_eq(kql_lex(&lx, &tok), TOK_YYEOF, "'%s': more than one token", src);
}

/* src lexes to exactly the kinds listed (terminated by TOK_YYEOF). */
static void kinds(const char *src, const int *expected)
{
    kql_lexer lx;
    kql_token tok;
    kql_lexer_init(&lx, src, strlen(src));
    for (int i = 0;; i++) {
        int k = kql_lex(&lx, &tok);
        cr_assert_eq(k, expected[i], "'%s' token %d: kind %s, expected %s", src, i,
                     kql_token_name(k), kql_token_name(expected[i]));
        if (k == TOK_YYEOF)
            break;
    }
}

Test(lexer, names_and_keywords)
{
    one_token("abc", TOK_IDENT);
    one_token("_x1", TOK_IDENT);
    one_token("$left", TOK_IDENT);
    one_token("Where", TOK_IDENT);          /* keywords are lowercase */
    one_token("where", TOK_WHERE);
    one_token("filter", TOK_FILTER);
    one_token("summarize", TOK_SUMMARIZE);
    one_token("by", TOK_BY);
    one_token("true", TOK_BOOL);
    one_token("false", TOK_BOOL);
    one_token("hint.strategy", TOK_HINT);
    one_token("with_itemindex", TOK_WITH_ITEMINDEX);
    one_token("mv-expand", TOK_MV_EXPAND);
    one_token("project-away", TOK_PROJECT_AWAY);
    one_token("make-series", TOK_MAKE_SERIES);
    one_token("graph-shortest-paths", TOK_GRAPH_SHORTEST_PATHS);
    one_token("granny-asc", TOK_GRANNY_ASC);
    /* not a known dashed word: a subtraction */
    kinds("a-b", (int[]){TOK_IDENT, '-', TOK_IDENT, TOK_YYEOF});
    kinds("count-1", (int[]){TOK_COUNT, '-', TOK_LONG, TOK_YYEOF});
}

Test(lexer, statement_words_are_contextual)
{
    kinds("alias database x", (int[]){TOK_ALIAS, TOK_IDENT, TOK_IDENT, TOK_YYEOF});
    kinds("alias:string", (int[]){TOK_IDENT, ':', TOK_IDENT, TOK_YYEOF});
    kinds("restrict access", (int[]){TOK_RESTRICT, TOK_IDENT, TOK_YYEOF});
    kinds("declare query_parameters", (int[]){TOK_DECLARE, TOK_IDENT, TOK_YYEOF});
    kinds("declare (", (int[]){TOK_DECLARE, '(', TOK_YYEOF});
    kinds("view = 1", (int[]){TOK_IDENT, '=', TOK_LONG, TOK_YYEOF});
    kinds("view ()", (int[]){TOK_VIEW, '(', ')', TOK_YYEOF});
    kinds("set x", (int[]){TOK_SET, TOK_IDENT, TOK_YYEOF});
    kinds("set = 1", (int[]){TOK_IDENT, '=', TOK_LONG, TOK_YYEOF});
    kinds("range x", (int[]){TOK_RANGE, TOK_IDENT, TOK_YYEOF});
    kinds("range(", (int[]){TOK_RANGE, '(', TOK_YYEOF});
    kinds("range,", (int[]){TOK_IDENT, ',', TOK_YYEOF});
}

Test(lexer, operators)
{
    kql_lexer lx;
    kql_token tok;
    struct { const char *src; int kind, sub; } ops[] = {
        {"==", TOK_CMP, AST_OP_EQ}, {"!=", TOK_CMP, AST_OP_NE}, {"<>", TOK_CMP, AST_OP_NE},
        {"=~", TOK_CMP, AST_OP_EQ_CI}, {"!~", TOK_CMP, AST_OP_NE_CI},
        {"<=", TOK_CMP, AST_OP_LE}, {">=", TOK_CMP, AST_OP_GE},
        {"contains", TOK_STROP, AST_OP_CONTAINS}, {"!contains", TOK_STROP, AST_OP_NOTCONTAINS},
        {"contains_cs", TOK_STROP, AST_OP_CONTAINS_CS},
        {"!contains_cs", TOK_STROP, AST_OP_NOTCONTAINS_CS},
        {"has", TOK_STROP, AST_OP_HAS}, {"!has", TOK_STROP, AST_OP_NOTHAS},
        {"has_cs", TOK_STROP, AST_OP_HAS_CS}, {"!has_cs", TOK_STROP, AST_OP_NOTHAS_CS},
        {"hasprefix", TOK_STROP, AST_OP_HASPREFIX}, {"!hassuffix_cs", TOK_STROP, AST_OP_NOTHASSUFFIX_CS},
        {"startswith", TOK_STROP, AST_OP_STARTSWITH}, {"!endswith", TOK_STROP, AST_OP_NOTENDSWITH},
        {"matches regex", TOK_STROP, AST_OP_MATCHES_REGEX},
        {"matches\n  regex", TOK_STROP, AST_OP_MATCHES_REGEX},
        {"in", TOK_IN, AST_OP_IN}, {"!in", TOK_IN, AST_OP_NOTIN},
        {"in~", TOK_IN, AST_OP_IN_CI}, {"!in~", TOK_IN, AST_OP_NOTIN_CI},
        {"has_any", TOK_HASANY, AST_OP_HAS_ANY}, {"has_all", TOK_HASANY, AST_OP_HAS_ALL},
        {"between", TOK_BETWEEN, 0}, {"!between", TOK_BETWEEN, 1},
        {"and", TOK_AND, AST_OP_AND}, {"or", TOK_OR, AST_OP_OR},
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        cr_expect_eq(first(ops[i].src, &lx, &tok), ops[i].kind, "%s", ops[i].src);
        cr_expect_eq(tok.sub, ops[i].sub, "%s", ops[i].src);
        cr_expect_eq(tok.len, strlen(ops[i].src), "%s", ops[i].src);
    }
    one_token("..", TOK_DOTDOT);
    one_token("=>", TOK_FATARROW);
    one_token("->", TOK_ARROW);
    one_token("-->", TOK_DARROW);
    kinds("()[]{},;|.:=+-*/%> <",
          (int[]){'(', ')', '[', ']', '{', '}', ',', ';', '|', '.', ':', '=', '+', '-', '*', '/',
                  '%', '>', '<', TOK_YYEOF});
    kinds("1..5", (int[]){TOK_LONG, TOK_DOTDOT, TOK_LONG, TOK_YYEOF});
    kinds("x<-1", (int[]){TOK_IDENT, '<', '-', TOK_LONG, TOK_YYEOF});
}

Test(lexer, numbers_and_timespans)
{
    one_token("42", TOK_LONG);
    one_token("0x1F", TOK_LONG);
    one_token("1.5", TOK_REAL);
    one_token("1e-3", TOK_REAL);
    one_token("1.0E10", TOK_REAL);
    const char *spans[] = {"7d", "1.5h", "30m", "10s", "100ms", "10microsecond", "1tick",
                           "2days", "5min", "3hours", "1second", "2milliseconds", "1hr"};
    for (size_t i = 0; i < sizeof spans / sizeof *spans; i++)
        one_token(spans[i], TOK_TIMESPAN);
}

/* A typed literal: kind, sub (ast_literal_kind) and inner text. */
static void typed(const char *src, int sub, const char *inner)
{
    kql_lexer lx;
    kql_token tok;
    cr_assert_eq(first(src, &lx, &tok), TOK_TYPEDLIT, "%s", src);
    cr_expect_eq(tok.sub, sub, "%s: sub %d", src, tok.sub);
    cr_expect_eq(tok.len, strlen(src), "%s", src);
    cr_expect_eq(tok.inner_len, strlen(inner), "%s", src);
    cr_expect(strncmp(tok.inner, inner, tok.inner_len) == 0, "%s: inner '%.*s'", src,
              (int)tok.inner_len, tok.inner);
}

Test(lexer, typed_literals)
{
    typed("datetime(2020-01-01)", AST_LIT_DATETIME, "2020-01-01");
    typed("datetime( 2020-01-01 10:00:00.123 )", AST_LIT_DATETIME, "2020-01-01 10:00:00.123");
    typed("date(2020-01-01)", AST_LIT_DATETIME, "2020-01-01");
    typed("time(1.02:03:04)", AST_LIT_TIMESPAN, "1.02:03:04");
    typed("timespan(2d)", AST_LIT_TIMESPAN, "2d");
    typed("guid(74be27de-1e4e-49d9-b579-fe0b331d3642)", AST_LIT_GUID,
          "74be27de-1e4e-49d9-b579-fe0b331d3642");
    typed("dynamic({\"a\": [1, \")\"]})", AST_LIT_DYNAMIC, "{\"a\": [1, \")\"]}");
    typed("dynamic([1,\n 2])", AST_LIT_DYNAMIC, "[1,\n 2]");
    typed("long(5)", AST_LIT_LONG, "5");
    typed("long(-5)", AST_LIT_LONG, "-5");
    typed("int(5)", AST_LIT_INT, "5");
    typed("real(1.5)", AST_LIT_REAL, "1.5");
    typed("real(nan)", AST_LIT_REAL, "nan");
    typed("real(+inf)", AST_LIT_REAL, "+inf");
    typed("double(-inf)", AST_LIT_REAL, "-inf");
    typed("decimal(1.5)", AST_LIT_DECIMAL, "1.5");
    typed("bool(true)", AST_LIT_BOOL, "true");
    typed("long(null)", AST_LIT_NULL_TYPED, "null");
    typed("string(null)", AST_LIT_NULL_TYPED, "null");
    typed("datetime(null)", AST_LIT_NULL_TYPED, "null");
    typed("dynamic(null)", AST_LIT_NULL_TYPED, "null");
    /* not literal contents: a call of a function that has a type's name */
    kinds("long(x)", (int[]){TOK_IDENT, '(', TOK_IDENT, ')', TOK_YYEOF});
    kinds("a:long)", (int[]){TOK_IDENT, ':', TOK_IDENT, ')', TOK_YYEOF});
}

/* The decoded value of a one-string source. */
static void decodes(const char *src, const char *value, size_t value_len)
{
    kql_lexer lx;
    kql_token tok;
    cr_assert_eq(first(src, &lx, &tok), TOK_STRING, "%s", src);
    cr_expect_eq(tok.len, strlen(src), "%s", src);
    size_t n;
    char *s = kql_decode_string(&tok, &n);
    cr_assert_not_null(s);
    cr_expect_eq(n, value_len, "%s: %zu bytes", src, n);
    cr_expect(memcmp(s, value, value_len) == 0, "%s: decoded '%s'", src, s);
    free(s);
}

Test(lexer, strings)
{
    decodes("\"abc\"", "abc", 3);
    decodes("'abc'", "abc", 3);
    decodes("\"a\\nb\\tc\\\\d\\\"e\\'f\"", "a\nb\tc\\d\"e'f", 11);
    decodes("'it\\'s'", "it's", 4);
    decodes("\"\\u00e9\"", "\xc3\xa9", 2);
    decodes("\"a\\0b\"", "a\0b", 3);
    decodes("@\"C:\\temp\"", "C:\\temp", 7);
    decodes("@'a''b'", "a'b", 3);
    decodes("@\"say \"\"hi\"\"\"", "say \"hi\"", 8);
    decodes("h\"secret\"", "secret", 6);
    decodes("H'secret'", "secret", 6);
    decodes("h@'c:\\x'", "c:\\x", 4);
    decodes("```line1\nline2```", "line1\nline2", 11);
    decodes("\"\"", "", 0);
}

Test(lexer, positions_across_lines_and_comments)
{
    const char *src = "T // comment | where\n  | where x\r\n\t== 'a\nb'";
    kql_lexer lx;
    kql_token tok;
    kql_lexer_init(&lx, src, strlen(src));
    struct { int kind, line, col, end_line, end_col; size_t offset; } want[] = {
        {TOK_IDENT, 1, 1, 1, 2, 0},
        {'|', 2, 3, 2, 4, 23},
        {TOK_WHERE, 2, 5, 2, 10, 25},
        {TOK_IDENT, 2, 11, 2, 12, 31},
        {TOK_CMP, 3, 2, 3, 4, 35},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        cr_assert_eq(kql_lex(&lx, &tok), want[i].kind, "token %zu", i);
        cr_expect_eq(tok.loc.line, want[i].line, "token %zu line %d", i, tok.loc.line);
        cr_expect_eq(tok.loc.col, want[i].col, "token %zu col %d", i, tok.loc.col);
        cr_expect_eq(tok.loc.end_line, want[i].end_line, "token %zu end line", i);
        cr_expect_eq(tok.loc.end_col, want[i].end_col, "token %zu end col %d", i, tok.loc.end_col);
        cr_expect_eq(tok.loc.offset, want[i].offset, "token %zu offset %zu", i, tok.loc.offset);
        cr_expect_eq(tok.loc.length, tok.len);
    }
    /* the string 'a\nb' is not closed on its line */
    cr_expect_eq(kql_lex(&lx, &tok), TOK_KQL_YYerror);
    cr_expect_eq(tok.loc.line, 3);
    cr_expect_eq(tok.loc.col, 5);

    /* a multi-line token moves the line counter */
    src = "```a\nbc``` x";
    kql_lexer_init(&lx, src, strlen(src));
    cr_assert_eq(kql_lex(&lx, &tok), TOK_STRING);
    cr_expect_eq(tok.loc.end_line, 2);
    cr_expect_eq(tok.loc.end_col, 6);
    cr_assert_eq(kql_lex(&lx, &tok), TOK_IDENT);
    cr_expect_eq(tok.loc.line, 2);
    cr_expect_eq(tok.loc.col, 7);
    cr_assert_eq(kql_lex(&lx, &tok), TOK_YYEOF);
    cr_expect_eq(tok.loc.line, 2);
    cr_expect_eq(tok.loc.col, 8);
    cr_expect_eq(tok.loc.offset, strlen(src));
}

static void lex_error_n(const char *src, size_t len, int col, const char *message)
{
    kql_lexer lx;
    kql_token tok;
    int k;
    kql_lexer_init(&lx, src, len);
    while ((k = kql_lex(&lx, &tok)) != TOK_YYEOF && k != TOK_KQL_YYerror)
        ;
    cr_assert_eq(k, TOK_KQL_YYerror, "'%s' lexed without error", src);
    cr_expect_eq(tok.loc.col, col, "'%s': error at column %d", src, tok.loc.col);
    cr_expect(strstr(lx.error, message), "'%s': message '%s'", src, lx.error);
}

static void lex_error(const char *src, int col, const char *message)
{
    lex_error_n(src, strlen(src), col, message);
}

Test(lexer, errors)
{
    lex_error("print \"abc", 7, "unterminated string");
    lex_error("print 'abc\n'", 7, "unterminated string");
    lex_error("print @\"abc", 7, "unterminated string");
    lex_error("print ```abc", 7, "unterminated string");
    lex_error("print 12abc", 7, "invalid number");
    lex_error("print 0xZZ", 7, "invalid number");
    lex_error("print #", 7, "unexpected character '#'");
    lex_error("x !foo y", 3, "unknown operator '!foo'");
    lex_error_n("a\0b", 3, 2, "unexpected character");   /* a NUL inside the text */
}

Test(lexer, nesting_is_bounded)
{
    size_t n = KQL_MAX_NESTING + 1;
    char *src = malloc(n + 1);
    memset(src, '(', n);
    src[n] = '\0';
    kql_lexer lx;
    kql_token tok;
    kql_lexer_init(&lx, src, n);
    int k;
    size_t count = 0;
    while ((k = kql_lex(&lx, &tok)) == '(')
        count++;
    cr_expect_eq(k, TOK_KQL_YYerror);
    cr_expect_eq(count, KQL_MAX_NESTING);
    cr_expect(strstr(lx.error, "nested deeper than"), "%s", lx.error);
    free(src);
}

Test(lexer, token_names)
{
    cr_expect_str_eq(kql_token_name(TOK_WHERE), "where");
    cr_expect_str_eq(kql_token_name(TOK_IDENT), "a name");
    cr_expect_str_eq(kql_token_name('('), "'('");
}
