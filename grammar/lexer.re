/* lexer.re - the KQL tokenizer (re2c): query text -> tokens with positions.
 *
 * Keywords are case-sensitive and lowercase, as in Kusto. Most of them are
 * contextual: the parser lets them be column names wherever that is not
 * ambiguous. Literals whose text is not made of tokens (datetime(2020-01-01
 * 10:00), dynamic({...}), guid(...)) are cut out here as one token.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "lexer.h"
#include "parser.h"

typedef struct keyword {
    const char *word;
    int kind;
    int sub;
} keyword;

/* Sorted by word (strcmp) for bsearch. */
static const keyword keywords[] = {
    {"alias", TOK_ALIAS, 0},
    {"and", TOK_AND, AST_OP_AND},
    {"as", TOK_AS, 0},
    {"asc", TOK_ASC, 0},
    {"bagexpansion", TOK_BAGEXPANSION, 0},
    {"between", TOK_BETWEEN, 0},
    {"by", TOK_BY, 0},
    {"consume", TOK_CONSUME, 0},
    {"contains", TOK_STROP, AST_OP_CONTAINS},
    {"contains_cs", TOK_STROP, AST_OP_CONTAINS_CS},
    {"containscs", TOK_STROP, AST_OP_CONTAINS_CS},
    {"count", TOK_COUNT, 0},
    {"datatable", TOK_DATATABLE, 0},
    {"declare", TOK_DECLARE, 0},
    {"default", TOK_DEFAULT, 0},
    {"desc", TOK_DESC, 0},
    {"distinct", TOK_DISTINCT, 0},
    {"endswith", TOK_STROP, AST_OP_ENDSWITH},
    {"endswith_cs", TOK_STROP, AST_OP_ENDSWITH_CS},
    {"evaluate", TOK_EVALUATE, 0},
    {"extend", TOK_EXTEND, 0},
    {"external_data", TOK_EXTERNALDATA, 0},
    {"externaldata", TOK_EXTERNALDATA, 0},
    {"facet", TOK_FACET, 0},
    {"false", TOK_BOOL, 0},
    {"filter", TOK_FILTER, 0},
    {"find", TOK_FIND, 0},
    {"first", TOK_FIRST, 0},
    {"flags", TOK_FLAGS, 0},
    {"fork", TOK_FORK, 0},
    {"from", TOK_FROM, 0},
    {"getschema", TOK_GETSCHEMA, 0},
    {"has", TOK_STROP, AST_OP_HAS},
    {"has_all", TOK_HASANY, AST_OP_HAS_ALL},
    {"has_any", TOK_HASANY, AST_OP_HAS_ANY},
    {"has_cs", TOK_STROP, AST_OP_HAS_CS},
    {"hasprefix", TOK_STROP, AST_OP_HASPREFIX},
    {"hasprefix_cs", TOK_STROP, AST_OP_HASPREFIX_CS},
    {"hassuffix", TOK_STROP, AST_OP_HASSUFFIX},
    {"hassuffix_cs", TOK_STROP, AST_OP_HASSUFFIX_CS},
    {"in", TOK_IN, AST_OP_IN},
    {"invoke", TOK_INVOKE, 0},
    {"isfuzzy", TOK_ISFUZZY, 0},
    {"join", TOK_JOIN, 0},
    {"kind", TOK_KIND, 0},
    {"last", TOK_LAST, 0},
    {"let", TOK_LET, 0},
    {"limit", TOK_LIMIT, 0},
    {"lookup", TOK_LOOKUP, 0},
    {"notcontains", TOK_STROP, AST_OP_NOTCONTAINS},
    {"notcontainscs", TOK_STROP, AST_OP_NOTCONTAINS_CS},
    {"nulls", TOK_NULLS, 0},
    {"of", TOK_OF, 0},
    {"on", TOK_ON, 0},
    {"or", TOK_OR, AST_OP_OR},
    {"order", TOK_ORDER, 0},
    {"parse", TOK_PARSE, 0},
    {"partition", TOK_PARTITION, 0},
    {"print", TOK_PRINT, 0},
    {"project", TOK_PROJECT, 0},
    {"range", TOK_RANGE, 0},
    {"reduce", TOK_REDUCE, 0},
    {"render", TOK_RENDER, 0},
    {"restrict", TOK_RESTRICT, 0},
    {"sample", TOK_SAMPLE, 0},
    {"scan", TOK_SCAN, 0},
    {"search", TOK_SEARCH, 0},
    {"serialize", TOK_SERIALIZE, 0},
    {"set", TOK_SET, 0},
    {"sort", TOK_SORT, 0},
    {"startswith", TOK_STROP, AST_OP_STARTSWITH},
    {"startswith_cs", TOK_STROP, AST_OP_STARTSWITH_CS},
    {"step", TOK_STEP, 0},
    {"summarize", TOK_SUMMARIZE, 0},
    {"take", TOK_TAKE, 0},
    {"to", TOK_TO, 0},
    {"top", TOK_TOP, 0},
    {"true", TOK_BOOL, 0},
    {"typeof", TOK_TYPEOF, 0},
    {"union", TOK_UNION, 0},
    {"view", TOK_VIEW, 0},
    {"where", TOK_WHERE, 0},
    {"with", TOK_WITH, 0},
    {"with_itemindex", TOK_WITH_ITEMINDEX, 0},
    {"with_match_id", TOK_WITH_MATCH_ID, 0},
    {"with_source", TOK_WITHSOURCE, 0},
    {"withsource", TOK_WITHSOURCE, 0},
};

/* Operators spelled with dashes; anything else with a dash is a subtraction. */
static const keyword dashed[] = {
    {"granny-asc", TOK_GRANNY_ASC, 0},
    {"granny-desc", TOK_GRANNY_DESC, 0},
    {"graph-mark-components", TOK_GRAPH_MARK_COMPONENTS, 0},
    {"graph-match", TOK_GRAPH_MATCH, 0},
    {"graph-shortest-paths", TOK_GRAPH_SHORTEST_PATHS, 0},
    {"graph-to-table", TOK_GRAPH_TO_TABLE, 0},
    {"macro-expand", TOK_MACRO_EXPAND, 0},
    {"make-graph", TOK_MAKE_GRAPH, 0},
    {"make-series", TOK_MAKE_SERIES, 0},
    {"mv-apply", TOK_MV_APPLY, 0},
    {"mv-expand", TOK_MV_EXPAND, 0},
    {"parse-kv", TOK_PARSE_KV, 0},
    {"parse-where", TOK_PARSE_WHERE, 0},
    {"partitioned-by", TOK_PARTITIONED_BY, 0},
    {"project-away", TOK_PROJECT_AWAY, 0},
    {"project-by-names", TOK_PROJECT_BY_NAMES, 0},
    {"project-keep", TOK_PROJECT_KEEP, 0},
    {"project-rename", TOK_PROJECT_RENAME, 0},
    {"project-reorder", TOK_PROJECT_REORDER, 0},
    {"project-smart", TOK_PROJECT_SMART, 0},
    {"sample-distinct", TOK_SAMPLE_DISTINCT, 0},
    {"top-hitters", TOK_TOP_HITTERS, 0},
    {"top-nested", TOK_TOP_NESTED, 0},
};

/* The negated string operators: "!" followed by the word. */
static const keyword negated[] = {
    {"between", TOK_BETWEEN, 1},
    {"contains", TOK_STROP, AST_OP_NOTCONTAINS},
    {"contains_cs", TOK_STROP, AST_OP_NOTCONTAINS_CS},
    {"endswith", TOK_STROP, AST_OP_NOTENDSWITH},
    {"endswith_cs", TOK_STROP, AST_OP_NOTENDSWITH_CS},
    {"has", TOK_STROP, AST_OP_NOTHAS},
    {"has_cs", TOK_STROP, AST_OP_NOTHAS_CS},
    {"hasprefix", TOK_STROP, AST_OP_NOTHASPREFIX},
    {"hasprefix_cs", TOK_STROP, AST_OP_NOTHASPREFIX_CS},
    {"hassuffix", TOK_STROP, AST_OP_NOTHASSUFFIX},
    {"hassuffix_cs", TOK_STROP, AST_OP_NOTHASSUFFIX_CS},
    {"in", TOK_IN, AST_OP_NOTIN},
    {"startswith", TOK_STROP, AST_OP_NOTSTARTSWITH},
    {"startswith_cs", TOK_STROP, AST_OP_NOTSTARTSWITH_CS},
};

/* Type words that open a literal when followed by '('. */
typedef struct type_word {
    const char *word;
    ast_type type;
    int raw;                /* contents are not tokens: datetime(2020-01-01 10:00) */
} type_word;

static const type_word type_words[] = {
    {"bool", AST_TYPE_BOOL, 0},      {"boolean", AST_TYPE_BOOL, 0},
    {"date", AST_TYPE_DATETIME, 1},  {"datetime", AST_TYPE_DATETIME, 1},
    {"decimal", AST_TYPE_DECIMAL, 0}, {"double", AST_TYPE_REAL, 0},
    {"dynamic", AST_TYPE_DYNAMIC, 1}, {"guid", AST_TYPE_GUID, 1},
    {"int", AST_TYPE_INT, 0},        {"long", AST_TYPE_LONG, 0},
    {"real", AST_TYPE_REAL, 0},      {"string", AST_TYPE_STRING, 0},
    {"time", AST_TYPE_TIMESPAN, 1},  {"timespan", AST_TYPE_TIMESPAN, 1},
    {"uniqueid", AST_TYPE_GUID, 1},
};

static const char *const timespan_units[] = {
    "d", "day", "days", "h", "hr", "hrs", "hour", "hours", "m", "min", "minute", "minutes",
    "s", "sec", "second", "seconds", "ms", "milli", "millis", "millisecond", "milliseconds",
    "microsecond", "microseconds", "tick", "ticks", "nanosecond", "nanoseconds",
};

static int kw_cmp(const void *key, const void *elem)
{
    const keyword *k = key, *e = elem;
    return strcmp(k->word, e->word);
}

static const keyword *kw_find(const keyword *table, size_t n, const char *s, size_t len)
{
    char buf[32];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    keyword key = {buf, 0, 0};
    return bsearch(&key, table, n, sizeof *table, kw_cmp);
}

static int word_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

void kql_lexer_init(kql_lexer *lx, const char *src, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->cur = src;
    lx->lim = src + len;
    lx->line = 1;
    lx->line_start = src;
}

/* Position of p, which must not be before the current line start. */
static void pos_at(const kql_lexer *lx, const char *p, int *line, int *col)
{
    *line = lx->line;
    *col = (int)(p - lx->line_start) + 1;
}

/* Moves the line counter over [from, to). */
static void advance_lines(kql_lexer *lx, const char *from, const char *to)
{
    for (const char *p = from; p < to; p++)
        if (*p == '\n') {
            lx->line++;
            lx->line_start = p + 1;
        }
}

/* fmt has one "%.*s" for the first arglen bytes of arg. */
static int lex_error(kql_lexer *lx, kql_token *tok, const char *fmt, const char *arg, size_t arglen)
{
    snprintf(lx->error, sizeof lx->error, fmt, (int)(arglen > 40 ? 40 : arglen), arg);
    tok->loc.end_line = tok->loc.line;
    tok->loc.end_col = tok->loc.col;
    lx->error_loc = tok->loc;
    tok->kind = TOK_KQL_YYerror;
    return TOK_KQL_YYerror;
}

/* After "word(": finds the matching ')' (skipping strings); NULL if none. */
static const char *match_paren(const char *p, const char *lim)
{
    int depth = 1;
    while (p < lim) {
        char c = *p++;
        if (c == '"' || c == '\'') {
            while (p < lim && *p != c) {
                if (*p == '\\' && p + 1 < lim)
                    p++;
                p++;
            }
            if (p >= lim)
                return NULL;
            p++;
        } else if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (--depth == 0)
                return c == ')' ? p - 1 : NULL;
        }
    }
    return NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Literal contents that make long(...), real(...), bool(...)... a literal. */
static int scalar_literal_kind(ast_type type, const char *s, size_t n)
{
    if (word_is(s, n, "null"))
        return AST_LIT_NULL_TYPED;
    if (type == AST_TYPE_BOOL)
        return (word_is(s, n, "true") || word_is(s, n, "false")) ? AST_LIT_BOOL : -1;
    if (type == AST_TYPE_STRING)
        return -1;
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (type == AST_TYPE_REAL &&
        (word_is(s + i, n - i, "nan") || word_is(s + i, n - i, "inf")))
        return AST_LIT_REAL;
    size_t digits = 0;
    int is_real = 0;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' || s[i] == 'e' || s[i] == 'E' ||
                 ((s[i] == '+' || s[i] == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E')))
            is_real = 1;
        else
            return -1;
    }
    if (!digits)
        return -1;
    switch (type) {
    case AST_TYPE_INT: return is_real ? -1 : AST_LIT_INT;
    case AST_TYPE_LONG: return is_real ? -1 : AST_LIT_LONG;
    case AST_TYPE_DECIMAL: return AST_LIT_DECIMAL;
    default: return AST_LIT_REAL;
    }
}

/* A type word (long, datetime, ...) followed by '(': a typed literal, when
 * its contents are literal. Returns 0 when the word is just a name. */
static const type_word *find_type_word(const char *word, size_t wlen)
{
    for (size_t i = 0; i < sizeof type_words / sizeof *type_words; i++)
        if (word_is(word, wlen, type_words[i].word))
            return &type_words[i];
    return NULL;
}

ast_type kql_type_from_word(const char *word, size_t len)
{
    const type_word *tw = find_type_word(word, len);
    return tw ? tw->type : AST_TYPE_NONE;
}

static int typed_literal(kql_lexer *lx, kql_token *tok, const char *word, size_t wlen)
{
    const type_word *tw = find_type_word(word, wlen);
    if (!tw)
        return 0;
    const char *p = word + wlen;
    while (p < lx->lim && is_space(*p))
        p++;
    if (p >= lx->lim || *p != '(')
        return 0;
    const char *close = match_paren(p + 1, lx->lim);
    if (!close)
        return 0;
    const char *s = p + 1, *e = close;
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    int kind;
    if (word_is(s, (size_t)(e - s), "null"))
        kind = AST_LIT_NULL_TYPED;
    else if (tw->raw)
        kind = tw->type == AST_TYPE_DATETIME ? AST_LIT_DATETIME
             : tw->type == AST_TYPE_TIMESPAN ? AST_LIT_TIMESPAN
             : tw->type == AST_TYPE_GUID ? AST_LIT_GUID : AST_LIT_DYNAMIC;
    else
        kind = scalar_literal_kind(tw->type, s, (size_t)(e - s));
    if (kind < 0)
        return 0;
    tok->kind = TOK_TYPEDLIT;
    tok->sub = kind;
    tok->inner = s;
    tok->inner_len = (size_t)(e - s);
    lx->cur = close + 1;
    return 1;
}

static int is_unit(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof timespan_units / sizeof *timespan_units; i++)
        if (word_is(s, n, timespan_units[i]))
            return 1;
    return 0;
}

/* Is the text at p, after blanks, the word w (and not a longer name)? */
static int next_word_is(const char *p, const char *lim, const char *w)
{
    size_t n = strlen(w);
    while (p < lim && is_space(*p))
        p++;
    if ((size_t)(lim - p) < n || memcmp(p, w, n) != 0)
        return 0;
    p += n;
    return p >= lim || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                         (*p >= '0' && *p <= '9') || *p == '_');
}

static int next_char_is(const char *p, const char *lim, char c)
{
    while (p < lim && is_space(*p))
        p++;
    return p < lim && *p == c;
}

static int next_is_word(const char *p, const char *lim)
{
    while (p < lim && is_space(*p))
        p++;
    return p < lim && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
                       *p == '$' || *p == '[');
}

/* alias, restrict, declare, view, set and range are keywords only where they
 * begin their construct (alias database, restrict access, declare query_parameters / scan's
 * declare (...), view (...) {...}, set name, range x from ... / range(...));
 * elsewhere they are ordinary names, like the column in
 * `parse x with alias:string`. */
static int statement_word_fits(int kind, const char *after, const char *lim)
{
    switch (kind) {
    case TOK_ALIAS: return next_word_is(after, lim, "database");
    case TOK_RESTRICT: return next_word_is(after, lim, "access");
    case TOK_DECLARE:
        return next_word_is(after, lim, "query_parameters") || next_word_is(after, lim, "pattern") ||
               next_char_is(after, lim, '(');
    case TOK_VIEW: return next_char_is(after, lim, '(');
    case TOK_SET: return next_is_word(after, lim);
    case TOK_RANGE: return next_is_word(after, lim) || next_char_is(after, lim, '(');
    default: return 1;
    }
}

/* Fills the end of tok's location from lx->cur and moves the line counter. */
static int finish(kql_lexer *lx, kql_token *tok, int kind)
{
    tok->kind = kind;
    tok->len = (size_t)(lx->cur - tok->text);
    advance_lines(lx, tok->text, lx->cur);
    tok->loc.length = tok->len;
    pos_at(lx, lx->cur, &tok->loc.end_line, &tok->loc.end_col);
    if (kind == '(' || kind == '[' || kind == '{') {
        if (lx->depth == KQL_MAX_NESTING) {
            char n[16];
            snprintf(n, sizeof n, "%d", KQL_MAX_NESTING);
            return lex_error(lx, tok, "brackets nested deeper than %.*s levels", n, strlen(n));
        }
        lx->open[lx->depth].kind = (char)kind;
        lx->open[lx->depth++].loc = tok->loc;
    } else if (kind == ')' || kind == ']' || kind == '}') {
        char opener = kind == ')' ? '(' : kind == ']' ? '[' : '{';
        lx->mismatched = lx->depth == 0 || lx->open[lx->depth - 1].kind != opener;
        if (!lx->mismatched)
            lx->depth--;
    }
    return kind;
}

/*!re2c
    re2c:api:style = free-form;
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYCURSOR = "cur";
    re2c:define:YYMARKER = "mar";
    re2c:define:YYLIMIT = "lim";
    re2c:yyfill:enable = 0;
    re2c:eof = 0;

    digit = [0-9];
    alpha = [a-zA-Z_];
    word = [a-zA-Z_$][a-zA-Z0-9_]*;
    exp = [eE] [+-]? digit+;
    ws = [ \t\r\n\f\v]+;
*/

int kql_lex(kql_lexer *lx, kql_token *tok)
{
    const unsigned char *cur, *mar, *lim = (const unsigned char *)lx->lim;
    memset(tok, 0, sizeof *tok);

again:
    cur = (const unsigned char *)lx->cur;
    tok->text = lx->cur;
    tok->loc.offset = (size_t)(lx->cur - lx->src);
    pos_at(lx, lx->cur, &tok->loc.line, &tok->loc.col);
#define DONE(k) do { lx->cur = (const char *)cur; return finish(lx, tok, (k)); } while (0)
    /*!re2c
    $ {
        tok->kind = TOK_YYEOF;
        tok->loc.end_line = tok->loc.line;
        tok->loc.end_col = tok->loc.col;
        return TOK_YYEOF;
    }
    ws { advance_lines(lx, lx->cur, (const char *)cur); lx->cur = (const char *)cur; goto again; }
    "//" [^\n\x00]* { lx->cur = (const char *)cur; goto again; }

    digit+ { DONE(TOK_LONG); }
    "0" [xX] [0-9a-fA-F]+ { DONE(TOK_LONG); }
    digit+ "." digit+ exp? | digit+ exp { DONE(TOK_REAL); }
    digit+ ("." digit+)? alpha [a-zA-Z0-9_]* {
        const char *u = tok->text;
        while (*u == '.' || (*u >= '0' && *u <= '9'))
            u++;
        if (!is_unit(u, (size_t)((const char *)cur - u)))
            return lex_error(lx, tok, "invalid number or timespan '%.*s'", tok->text,
                             (size_t)((const char *)cur - tok->text));
        DONE(TOK_TIMESPAN);
    }

    ["] ([^"\\\n\x00] | "\\" [^\n\x00])* ["] { tok->sub = KQL_STR_QUOTED; DONE(TOK_STRING); }
    ['] ([^'\\\n\x00] | "\\" [^\n\x00])* ['] { tok->sub = KQL_STR_QUOTED; DONE(TOK_STRING); }
    [hH] ["] ([^"\\\n\x00] | "\\" [^\n\x00])* ["] { tok->sub = KQL_STR_QUOTED; DONE(TOK_STRING); }
    [hH] ['] ([^'\\\n\x00] | "\\" [^\n\x00])* ['] { tok->sub = KQL_STR_QUOTED; DONE(TOK_STRING); }
    [hH]? "@" ["] ([^"\x00] | ["]["])* ["] { tok->sub = KQL_STR_VERBATIM; DONE(TOK_STRING); }
    [hH]? "@" ['] ([^'\x00] | [']['])* ['] { tok->sub = KQL_STR_VERBATIM; DONE(TOK_STRING); }
    "```" ([^`\x00] | "`" [^`\x00] | "``" [^`\x00])* "```" { tok->sub = KQL_STR_FENCED; DONE(TOK_STRING); }
    [hH]? ["'] | [hH]? "@" ["'] | "```" {
        return lex_error(lx, tok, "unterminated string literal%.*s", "", 0);
    }

    "hint." word { DONE(TOK_HINT); }
    [a-z]+ ("-" [a-z]+)+ {
        const keyword *k = kw_find(dashed, sizeof dashed / sizeof *dashed,
                                   tok->text, (size_t)((const char *)cur - tok->text));
        if (k) {
            tok->sub = k->sub;
            DONE(k->kind);
        }
        cur = (const unsigned char *)tok->text;
        while (*cur != '-')
            cur++;
        goto ident;
    }
    "matches" ws "regex" { tok->sub = AST_OP_MATCHES_REGEX; DONE(TOK_STROP); }
    "in~" { tok->sub = AST_OP_IN_CI; DONE(TOK_IN); }
    "!in~" { tok->sub = AST_OP_NOTIN_CI; DONE(TOK_IN); }
    "!" [a-z_]+ {
        const keyword *k = kw_find(negated, sizeof negated / sizeof *negated,
                                   tok->text + 1, (size_t)((const char *)cur - tok->text) - 1);
        if (!k)
            return lex_error(lx, tok, "unknown operator '%.*s'", tok->text,
                             (size_t)((const char *)cur - tok->text));
        tok->sub = k->sub;
        DONE(k->kind);
    }
    word {
        goto ident;
    }

    "==" { tok->sub = AST_OP_EQ; DONE(TOK_CMP); }
    "!=" | "<>" { tok->sub = AST_OP_NE; DONE(TOK_CMP); }
    "=~" { tok->sub = AST_OP_EQ_CI; DONE(TOK_CMP); }
    "!~" { tok->sub = AST_OP_NE_CI; DONE(TOK_CMP); }
    "<=" { tok->sub = AST_OP_LE; DONE(TOK_CMP); }
    ">=" { tok->sub = AST_OP_GE; DONE(TOK_CMP); }
    "=>" { DONE(TOK_FATARROW); }
    ".." { DONE(TOK_DOTDOT); }
    "->" { DONE(TOK_ARROW); }
    "-->" { DONE(TOK_DARROW); }
    [-+*/%<>=()[\]{},;|.:] { DONE(tok->text[0]); }

    * {
        return lex_error(lx, tok, "unexpected character '%.*s'", tok->text, 1);
    }
    */
ident:
    {
        size_t n = (size_t)((const char *)cur - tok->text);
        if (typed_literal(lx, tok, tok->text, n))
            return finish(lx, tok, TOK_TYPEDLIT);
        const keyword *k = kw_find(keywords, sizeof keywords / sizeof *keywords, tok->text, n);
        if (k && !statement_word_fits(k->kind, (const char *)cur, lx->lim))
            k = NULL;
        if (k)
            tok->sub = k->sub;
        DONE(k ? k->kind : TOK_IDENT);
    }
#undef DONE
}

static void put_utf8(char *out, size_t *n, unsigned long cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads up to max hex digits at *p; returns the value or -1 if none. */
static long read_hex(const char **p, const char *end, int max)
{
    long v = 0;
    int n = 0;
    while (n < max && *p < end && hex_value(**p) >= 0) {
        v = v * 16 + hex_value(**p);
        (*p)++;
        n++;
    }
    return n ? v : -1;
}

char *kql_decode_string(const kql_token *tok, size_t *out_len)
{
    const char *s = tok->text, *end = tok->text + tok->len;
    /* Decoding never grows the text (\U escapes: 10 bytes -> at most 4). */
    char *out = malloc(tok->len + 1);
    size_t n = 0;
    if (!out)
        return NULL;
    if (*s == 'h' || *s == 'H')
        s++;
    if (tok->sub == KQL_STR_FENCED) {
        memcpy(out, s + 3, (size_t)(end - s - 6));
        n = (size_t)(end - s - 6);
    } else if (tok->sub == KQL_STR_VERBATIM) {
        char q = s[1];
        for (const char *p = s + 2; p < end - 1; p++) {
            out[n++] = *p;
            if (*p == q)
                p++;        /* a doubled quote stands for one */
        }
    } else {
        for (const char *p = s + 1; p < end - 1; p++) {
            if (*p != '\\') {
                out[n++] = *p;
                continue;
            }
            p++;
            long v;
            switch (*p) {
            case 'n': out[n++] = '\n'; break;
            case 't': out[n++] = '\t'; break;
            case 'r': out[n++] = '\r'; break;
            case '0': out[n++] = '\0'; break;
            case 'a': out[n++] = '\a'; break;
            case 'b': out[n++] = '\b'; break;
            case 'f': out[n++] = '\f'; break;
            case 'v': out[n++] = '\v'; break;
            case 'u': case 'U': case 'x': {
                const char *q = p + 1;
                v = read_hex(&q, end - 1, *p == 'u' ? 4 : *p == 'U' ? 8 : 2);
                if (v < 0 || v > 0x10FFFF) {
                    out[n++] = '\\';
                    out[n++] = *p;
                    break;
                }
                put_utf8(out, &n, (unsigned long)v);
                p = q - 1;
                break;
            }
            default: out[n++] = *p; break;   /* \\ \" \' and unknown escapes */
            }
        }
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}
