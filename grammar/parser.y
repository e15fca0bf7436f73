/* parser.y - the KQL grammar (Bison): tokens -> the AST of ast.h.
 *
 * One expression grammar serves both scalar and tabular expressions: a table
 * is a name like any other, and '|' is the loosest operator. Keywords are
 * contextual: `name` lists those that may also be column or table names.
 * Operator shapes follow the comment in ast.h.
 */
%require "3.7"
%define api.pure full
%define api.prefix {kql_yy}
%define api.token.prefix {TOK_}
%define api.location.type {ast_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {kql_pctx *p}

%code requires {
#include "ast.h"
#include "lexer.h"
typedef struct kql_pctx kql_pctx;
}

%code provides {
/* State shared by the lexer, the grammar actions and kql_parse(). */
struct kql_pctx {
    kql_lexer lx;
    ast_node *result;
    int failed;             /* an error message has been written */
    int oom;
    char message[1024];
    ast_loc err_loc;
};
int kql_yyparse(kql_pctx *p);
}

%code {
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suggest.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                              \
    do {                                                                         \
        if (N) {                                                                 \
            (Cur) = YYRHSLOC(Rhs, 1);                                            \
            (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                          \
            (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                            \
            (Cur).length = YYRHSLOC(Rhs, N).offset + YYRHSLOC(Rhs, N).length     \
                           - (Cur).offset;                                       \
        } else {                                                                 \
            (Cur).line = (Cur).end_line = YYRHSLOC(Rhs, 0).end_line;             \
            (Cur).col = (Cur).end_col = YYRHSLOC(Rhs, 0).end_col;                \
            (Cur).offset = YYRHSLOC(Rhs, 0).offset + YYRHSLOC(Rhs, 0).length;    \
            (Cur).length = 0;                                                    \
        }                                                                        \
    } while (0)

static int kql_yylex(KQL_YYSTYPE *lval, ast_loc *lloc, kql_pctx *p);
static void kql_yyerror(ast_loc *loc, kql_pctx *p, const char *msg);

static void fail(kql_pctx *p, ast_loc loc, const char *msg)
{
    if (p->failed)
        return;
    p->failed = 1;
    p->err_loc = loc;
    snprintf(p->message, sizeof p->message, "%s", msg);
}

static ast_node *mk(kql_pctx *p, ast_kind kind, int op, const char *text, size_t len, ast_loc loc)
{
    ast_node *n = ast_new(kind, op, text, len, loc);
    if (!n)
        p->oom = 1;
    return n;
}

static ast_node *mk_tok(kql_pctx *p, ast_kind kind, int op, const kql_token *t)
{
    return mk(p, kind, op, t->text, t->len, t->loc);
}

/* parent takes kid; both may be NULL after an allocation failure. */
static ast_node *add(ast_node *parent, ast_node *kid)
{
    if (!parent) {
        ast_free(kid);
        return NULL;
    }
    if (kid)
        ast_add(parent, kid);
    return parent;
}

/* Moves the kids of list (an accumulator node) into parent and frees list. */
static ast_node *adopt(ast_node *parent, ast_node *list)
{
    if (!parent || !list) {
        ast_free(list);
        return parent;
    }
    for (size_t i = 0; i < list->nkids; i++)
        ast_add(parent, list->kids[i]);
    list->nkids = 0;
    ast_free(list);
    return parent;
}

static ast_node *oper(kql_pctx *p, const char *name, ast_loc loc)
{
    return mk(p, AST_OPERATOR, 0, name, strlen(name), loc);
}

static ast_node *clause(kql_pctx *p, const char *kw, ast_loc loc, ast_node *kid)
{
    return add(mk(p, AST_CLAUSE, 0, kw, strlen(kw), loc), kid);
}

static ast_node *list1(kql_pctx *p, ast_loc loc, ast_node *kid)
{
    return add(mk(p, AST_LIST, 0, NULL, 0, loc), kid);
}

static ast_node *binary(kql_pctx *p, int op, ast_loc loc, ast_node *l, ast_node *r)
{
    return add(add(mk(p, AST_BINARY, op, NULL, 0, loc), l), r);
}

static ast_node *string_lit(kql_pctx *p, const kql_token *t)
{
    size_t n;
    char *s = kql_decode_string(t, &n);
    if (!s) {
        p->oom = 1;
        return NULL;
    }
    ast_node *lit = mk(p, AST_LITERAL, AST_LIT_STRING, s, n, t->loc);
    free(s);
    return lit;
}

/* "a" "b": adjacent string literals are one. */
static ast_node *concat(kql_pctx *p, ast_node *a, const kql_token *t, ast_loc loc)
{
    ast_node *b = string_lit(p, t);
    if (!a || !b) {
        ast_free(b);
        return a;
    }
    char *s = malloc(a->text_len + b->text_len + 1);
    if (!s) {
        p->oom = 1;
        ast_free(b);
        return a;
    }
    memcpy(s, a->text, a->text_len);
    memcpy(s + a->text_len, b->text, b->text_len + 1);
    free(a->text);
    a->text = s;
    a->text_len += b->text_len;
    a->loc = loc;
    ast_free(b);
    return a;
}

static ast_node *typed_lit(kql_pctx *p, const kql_token *t)
{
    if (t->sub == AST_LIT_NULL_TYPED) {
        size_t n = 0;
        while (n < t->len && t->text[n] != '(' && t->text[n] != ' ' && t->text[n] != '\t')
            n++;
        const char *type = ast_type_name(kql_type_from_word(t->text, n));
        return mk(p, AST_LITERAL, AST_LIT_NULL_TYPED, type, strlen(type), t->loc);
    }
    return mk(p, AST_LITERAL, t->sub, t->inner, t->inner_len, t->loc);
}

/* -5, -1.5, -7d: the sign joins a number literal, so "-9223372036854775808" fits a long. */
static ast_node *negate(kql_pctx *p, ast_node *e, ast_loc loc)
{
    if (e && e->kind == AST_LITERAL &&
        (e->op == AST_LIT_LONG || e->op == AST_LIT_REAL || e->op == AST_LIT_TIMESPAN) &&
        e->text[0] != '-') {
        char *s = malloc(e->text_len + 2);
        if (!s) {
            p->oom = 1;
            return e;
        }
        s[0] = '-';
        memcpy(s + 1, e->text, e->text_len + 1);
        free(e->text);
        e->text = s;
        e->text_len++;
        e->loc = loc;
        return e;
    }
    return add(mk(p, AST_UNARY, '-', NULL, 0, loc), e);
}

/* A parenthesized tabular expression as an operand. */
static int is_tabular(const ast_node *e)
{
    return e && (e->kind == AST_PIPE || e->kind == AST_OPERATOR || e->kind == AST_DATATABLE);
}

static ast_node *subquery(kql_pctx *p, ast_node *e, ast_loc loc)
{
    if (e && e->kind == AST_SUBQUERY)
        return e;
    return add(mk(p, AST_SUBQUERY, 0, NULL, 0, loc), e);
}

/* Names on the left of '=': a name, or a parenthesized list of names. */
static int is_target(const ast_node *e)
{
    if (!e)
        return 1;
    if (e->kind == AST_NAME)
        return 1;
    if (e->kind != AST_LIST || e->op != '(')
        return 0;
    for (size_t i = 0; i < e->nkids; i++)
        if (e->kids[i] && e->kids[i]->kind != AST_NAME)
            return 0;
    return 1;
}

/* x in (a, b): the parenthesized list's items become the operands. */
static ast_node *in_op(kql_pctx *p, int kind, int op, ast_loc loc, ast_node *l, ast_node *r)
{
    ast_node *n = add(mk(p, kind, op, NULL, 0, loc), l);
    if (r && r->kind == AST_LIST && r->op == '(')
        return adopt(n, r);
    return add(n, r);
}

static ast_node *pattern_text(kql_pctx *p, ast_node *acc, const char *s, size_t n, ast_loc loc)
{
    if (!acc)
        return NULL;
    char *t = realloc(acc->text, acc->text_len + n + 1);
    if (!t) {
        p->oom = 1;
        return acc;
    }
    memcpy(t + acc->text_len, s, n);
    acc->text = t;
    acc->text_len += n;
    t[acc->text_len] = '\0';
    acc->loc.end_line = loc.end_line;
    acc->loc.end_col = loc.end_col;
    acc->loc.length = loc.offset + loc.length - acc->loc.offset;
    return acc;
}

static ast_node *type_node(kql_pctx *p, ast_kind kind, ast_node *name, ast_loc loc)
{
    ast_type t = name ? kql_type_from_word(name->text, name->text_len) : AST_TYPE_NONE;
    ast_free(name);
    if (t == AST_TYPE_NONE)
        return NULL;
    return mk(p, kind, (int)t, NULL, 0, loc);
}

#define FAIL(loc, msg) do { fail(p, (loc), (msg)); YYABORT; } while (0)
}

%union {
    ast_node *node;
    kql_token tok;
}

%destructor { ast_free($$); } <node>

/* Descriptive aliases start with "a"/"an"/"end": the error messages print them bare. */
%token <tok> IDENT "a name" LONG "a number" REAL "a real number" TIMESPAN "a timespan"
%token <tok> STRING "a string" TYPEDLIT "a typed literal" BOOL "a bool" HINT "a hint"
%token <tok> CMP "a comparison operator" STROP "a string operator"
%token <tok> IN "in" HASANY "has_any" BETWEEN "between" AND "and" OR "or"
%token <tok> DOTDOT ".." FATARROW "=>" ARROW "->" DARROW "-->"
%token <tok> LET "let" SET "set" DECLARE "declare" ALIAS "alias" RESTRICT "restrict" VIEW "view"
%token <tok> WHERE "where" FILTER "filter" PROJECT "project" EXTEND "extend"
%token <tok> SUMMARIZE "summarize" SORT "sort" ORDER "order" TAKE "take" LIMIT "limit"
%token <tok> TOP "top" COUNT "count" DISTINCT "distinct" JOIN "join" UNION "union"
%token <tok> LOOKUP "lookup" RENDER "render" AS "as" PARSE "parse" EVALUATE "evaluate"
%token <tok> INVOKE "invoke" GETSCHEMA "getschema" SERIALIZE "serialize" CONSUME "consume"
%token <tok> FACET "facet" FORK "fork" PARTITION "partition" REDUCE "reduce" SAMPLE "sample"
%token <tok> SCAN "scan" SEARCH "search" FIND "find" PRINT "print" RANGE "range"
%token <tok> DATATABLE "datatable" EXTERNALDATA "externaldata"
%token <tok> BY "by" ON "on" WITH "with" FROM "from" TO "to" STEP "step" ASC "asc" DESC "desc"
%token <tok> NULLS "nulls" FIRST "first" LAST "last" OF "of" DEFAULT "default" TYPEOF "typeof"
%token <tok> KIND "kind" WITHSOURCE "withsource" ISFUZZY "isfuzzy" BAGEXPANSION "bagexpansion"
%token <tok> WITH_ITEMINDEX "with_itemindex" FLAGS "flags" WITH_MATCH_ID "with_match_id"
%token <tok> GRANNY_ASC "granny-asc" GRANNY_DESC "granny-desc"
%token <tok> GRAPH_MARK_COMPONENTS "graph-mark-components" GRAPH_MATCH "graph-match"
%token <tok> GRAPH_SHORTEST_PATHS "graph-shortest-paths" GRAPH_TO_TABLE "graph-to-table"
%token <tok> MACRO_EXPAND "macro-expand" MAKE_GRAPH "make-graph" MAKE_SERIES "make-series"
%token <tok> MV_APPLY "mv-apply" MV_EXPAND "mv-expand" PARSE_KV "parse-kv" PARSE_WHERE "parse-where"
%token <tok> PARTITIONED_BY "partitioned-by" PROJECT_AWAY "project-away"
%token <tok> PROJECT_BY_NAMES "project-by-names" PROJECT_KEEP "project-keep"
%token <tok> PROJECT_RENAME "project-rename" PROJECT_REORDER "project-reorder"
%token <tok> PROJECT_SMART "project-smart" SAMPLE_DISTINCT "sample-distinct"
%token <tok> TOP_HITTERS "top-hitters" TOP_NESTED "top-nested"
%token <tok> '(' ')' '[' ']' '{' '}' ',' ';' '|' '.' ':' '=' '+' '-' '*' '/' '%' '<' '>'

/* x.['a b'] is a member whether read as a quoted name or as an index: take
 * the name (shift ']' rather than reduce the string to an expression). */
%precedence STRING_OPERAND
%precedence ']'
/* An option keyword followed by '=' starts an option (mv-expand kind=array x)
 * rather than an assignment to a column of that name: these rank below '='. */
%precedence KIND WITHSOURCE ISFUZZY BAGEXPANSION WITH_ITEMINDEX FLAGS WITH_MATCH_ID
%precedence '='
%left OR
%left AND
%left CMP '<' '>' STROP IN HASANY BETWEEN
%left '+' '-'
%left '*' '/' '%'
%precedence UMINUS

%type <node> stmts stmt let_value lambda params params_opt param ptype default_opt
%type <node> pipe_expr pipe_bar tabsrc operator opchain
%type <node> expr postfix primary literal string_lit name anyname kwname typename
%type <node> args arglist arg items item exprs
%type <node> sortkeys sortkey kopts gopts opt gopt optval
%type <node> coldefs coldef schema_opt colpats colpat wildseq wildstar reorder_items reorder_item
%type <node> by_opt aggs_opt join_right on_opt union_items union_item
%type <node> with_props_opt props prop
%type <node> pattern pattern_item mvitems mvitem mvlimit_opt
%type <node> ms_aggs ms_agg ms_range tn_levels tn_level tn_others_opt
%type <node> fork_branches fork_branch scan_decl_opt scan_steps scan_step scan_assign_opt
%type <node> search_in_opt find_project_opt mg_rest mg_tables mg_table
%type <node> gpatterns gpattern gnode gedge gedge_body gm_where_opt gm_project_opt
%type <node> gtt_parts gtt_part datarows
%type <tok> sortdir

%%

query:
    stmts                       { p->result = $1; }
  ;

/* Statements; empty ones (";;", a trailing ";") are allowed. */
stmts:
    %empty                      { $$ = mk(p, AST_QUERY, 0, NULL, 0, @$); }
  | stmt                        { $$ = add(mk(p, AST_QUERY, 0, NULL, 0, @$), $1); }
  | stmts ';'                   { $$ = $1; }
  | stmts ';' stmt              { $$ = add($1, $3); }
  ;

stmt:
    LET anyname '=' let_value
        { $$ = add(mk(p, AST_LET, 0, $2 ? $2->text : NULL, $2 ? $2->text_len : 0, @$), $4);
          ast_free($2); }
  | SET anyname
        { $$ = mk(p, AST_SET, 0, $2 ? $2->text : NULL, $2 ? $2->text_len : 0, @$); ast_free($2); }
  | SET anyname '=' expr
        { $$ = add(mk(p, AST_SET, 0, $2 ? $2->text : NULL, $2 ? $2->text_len : 0, @$), $4);
          ast_free($2); }
  | DECLARE anyname '(' params_opt ')'
        { $$ = mk(p, AST_DECLARE, 0, $2 ? $2->text : NULL, $2 ? $2->text_len : 0, @$);
          ast_free($2);
          $$ = adopt($$, $4); }
  | ALIAS anyname anyname '=' expr
        { $$ = add(mk(p, AST_ALIAS, 0, $3 ? $3->text : NULL, $3 ? $3->text_len : 0, @$), $5);
          ast_free($2); ast_free($3); }
  | RESTRICT anyname TO '(' exprs ')'
        { $$ = adopt(mk(p, AST_RESTRICT, 0, NULL, 0, @$), $5); ast_free($2); }
  | pipe_expr                   { $$ = add(mk(p, AST_EXPR_STMT, 0, NULL, 0, @$), $1); }
  ;

let_value:
    pipe_expr
  | lambda
  | VIEW lambda                 { $$ = $2; }
  ;

lambda:
    '(' params_opt ')' '{' stmts '}'
        { $$ = add(add(mk(p, AST_LAMBDA, 0, NULL, 0, @$), $2), $5); }
  ;

params_opt:
    %empty                      { $$ = mk(p, AST_SCHEMA, 0, NULL, 0, @$); }
  | params
  ;

params:
    param                       { $$ = add(mk(p, AST_SCHEMA, 0, NULL, 0, @$), $1); }
  | params ',' param            { $$ = add($1, $3); }
  ;

param:
    anyname ':' ptype default_opt
        { $$ = $3;
          if ($$ && $1) {
              $$->text = $1->text; $$->text_len = $1->text_len; $1->text = NULL;
              $$->loc = @$;
          }
          ast_free($1);
          $$ = add($$, $4); }
  ;

ptype:
    typename
  | '(' coldefs ')'
        { $$ = add(mk(p, AST_COLDEF, AST_TYPE_TABLE, NULL, 0, @$), $2); }
  ;

/* A type name, as an AST_COLDEF without a name (the caller names it). */
typename:
    anyname
        { $$ = type_node(p, AST_COLDEF, $1, @$);
          if (!$$) FAIL(@1, "expected a type name (bool, int, long, real, decimal, string, datetime, timespan, guid, dynamic)"); }
  ;

default_opt:
    %empty                      { $$ = NULL; }
  | '=' expr                    { $$ = $2; }
  ;

coldefs:
    coldef                      { $$ = add(mk(p, AST_SCHEMA, 0, NULL, 0, @$), $1); }
  | coldefs ',' coldef          { $$ = add($1, $3); }
  ;

coldef:
    anyname ':' typename
        { $$ = $3;
          if ($$ && $1) {
              $$->text = $1->text; $$->text_len = $1->text_len; $1->text = NULL;
              $$->loc = @$;
          }
          ast_free($1); }
  | '*'                         { $$ = mk(p, AST_STAR, 0, NULL, 0, @$); }
  ;

exprs:
    expr                        { $$ = list1(p, @$, $1); }
  | exprs ',' expr              { $$ = add($1, $3); }
  ;

/* ---- tabular expressions ---- */

pipe_expr:
    expr
  | pipe_bar
  ;

/* A tabular expression that is not a plain scalar-looking one. */
pipe_bar:
    tabsrc
  | pipe_expr '|' operator
        { $$ = add(add(mk(p, AST_PIPE, 0, NULL, 0, @$), $1), $3); }
  ;

/* Operators applied to an implicit input (mv-apply, fork, partition, facet). */
opchain:
    operator
  | opchain '|' operator
        { $$ = add(add(mk(p, AST_PIPE, 0, NULL, 0, @$), $1), $3); }
  ;

tabsrc:
    DATATABLE '(' coldefs ')' '[' datarows ']'
        { $$ = adopt(add(mk(p, AST_DATATABLE, 0, NULL, 0, @$), $3), $6); }
  | PRINT items                 { $$ = adopt(oper(p, "print", @$), $2); }
  | RANGE anyname FROM expr TO expr STEP expr
        { $$ = add(oper(p, "range", @$), $2);
          $$ = add($$, clause(p, "from", @3, $4));
          $$ = add($$, clause(p, "to", @5, $6));
          $$ = add($$, clause(p, "step", @7, $8)); }
  | UNION gopts union_items     { $$ = adopt(adopt(oper(p, "union", @$), $2), $3); }
  | SEARCH gopts expr           { $$ = add(adopt(oper(p, "search", @$), $2), $3); }
  | SEARCH gopts IN '(' exprs ')' expr
        { $$ = add(add(adopt(oper(p, "search", @$), $2), adopt(clause(p, "in", @3, NULL), $5)), $7); }
  | FIND gopts search_in_opt WHERE expr find_project_opt
        { $$ = add(add(adopt(oper(p, "find", @$), $2), $3), clause(p, "where", @4, $5));
          $$ = add($$, $6); }
  | EXTERNALDATA '(' coldefs ')' '[' exprs ']' with_props_opt
        { $$ = add(add(add(oper(p, "externaldata", @$), $3), $6), $8); }
  | EVALUATE gopts name '(' args ')' schema_opt
        { ast_node *call = $3;
          if (call) { call->kind = AST_CALL; call->loc = @3; }
          $$ = add(adopt(oper(p, "evaluate", @$), $2), adopt(call, $5));
          $$ = add($$, $7); }
  ;

datarows:
    %empty                      { $$ = mk(p, AST_LIST, 0, NULL, 0, @$); }
  | exprs
  | exprs ','
  ;

search_in_opt:
    %empty                      { $$ = NULL; }
  | IN '(' exprs ')'            { $$ = adopt(clause(p, "in", @$, NULL), $3); }
  ;

find_project_opt:
    %empty                      { $$ = NULL; }
  | PROJECT_SMART               { $$ = clause(p, "project-smart", @$, NULL); }
  | PROJECT items               { $$ = adopt(clause(p, "project", @$, NULL), $2); }
  ;

schema_opt:
    %empty                      { $$ = NULL; }
  | ':' '(' coldefs ')'         { $$ = $3; }
  ;

union_items:
    union_item                  { $$ = list1(p, @$, $1); }
  | union_items ',' union_item  { $$ = add($1, $3); }
  ;

/* A table, a parenthesized query, or a wildcard name (union Event*). */
union_item:
    expr
  | expr '*'
        { $$ = $1;
          if ($$ && $$->kind != AST_NAME) { ast_free($$); FAIL(@2, "unexpected '*' after a table that is not a name"); }
          $$ = pattern_text(p, $$, "*", 1, @2); }
  ;

operator:
    WHERE expr                  { $$ = add(oper(p, "where", @$), $2); }
  | FILTER expr                 { $$ = add(oper(p, "where", @$), $2); }
  | PROJECT items               { $$ = adopt(oper(p, "project", @$), $2); }
  | EXTEND items                { $$ = adopt(oper(p, "extend", @$), $2); }
  | PROJECT_AWAY colpats        { $$ = adopt(oper(p, "project-away", @$), $2); }
  | PROJECT_KEEP colpats        { $$ = adopt(oper(p, "project-keep", @$), $2); }
  | PROJECT_RENAME items        { $$ = adopt(oper(p, "project-rename", @$), $2); }
  | PROJECT_REORDER reorder_items { $$ = adopt(oper(p, "project-reorder", @$), $2); }
  | PROJECT_BY_NAMES exprs      { $$ = adopt(oper(p, "project-by-names", @$), $2); }
  | PROJECT_SMART               { $$ = oper(p, "project-smart", @$); }
  | SUMMARIZE kopts aggs_opt by_opt
        { $$ = add(add(adopt(oper(p, "summarize", @$), $2), $3), $4); }
  | SORT kopts BY sortkeys      { $$ = adopt(adopt(oper(p, "sort", @$), $2), $4); }
  | ORDER kopts BY sortkeys     { $$ = adopt(adopt(oper(p, "sort", @$), $2), $4); }
  | TAKE kopts expr             { $$ = add(adopt(oper(p, "take", @$), $2), $3); }
  | LIMIT kopts expr            { $$ = add(adopt(oper(p, "take", @$), $2), $3); }
  | TOP kopts expr BY sortkey   { $$ = add(add(adopt(oper(p, "top", @$), $2), $3), $5); }
  | COUNT                       { $$ = oper(p, "count", @$); }
  | DISTINCT kopts items        { $$ = adopt(adopt(oper(p, "distinct", @$), $2), $3); }
  | JOIN gopts join_right on_opt
        { $$ = add(add(adopt(oper(p, "join", @$), $2), $3), $4); }
  | LOOKUP gopts join_right on_opt
        { $$ = add(add(adopt(oper(p, "lookup", @$), $2), $3), $4); }
  | UNION gopts union_items     { $$ = adopt(adopt(oper(p, "union", @$), $2), $3); }
  | RENDER anyname with_props_opt
        { $$ = add(add(oper(p, "render", @$), $2), $3); }
  | AS kopts anyname            { $$ = add(adopt(oper(p, "as", @$), $2), $3); }
  | PARSE gopts expr WITH pattern
        { $$ = add(add(adopt(oper(p, "parse", @$), $2), $3), $5); }
  | PARSE_WHERE gopts expr WITH pattern
        { $$ = add(add(adopt(oper(p, "parse-where", @$), $2), $3), $5); }
  | PARSE_KV expr AS '(' coldefs ')' with_props_opt
        { $$ = add(add(oper(p, "parse-kv", @$), $2), clause(p, "as", @3, $5));
          $$ = add($$, $7); }
  | EVALUATE gopts name '(' args ')' schema_opt
        { ast_node *call = $3;
          if (call) { call->kind = AST_CALL; call->loc = @3; }
          $$ = add(adopt(oper(p, "evaluate", @$), $2), adopt(call, $5));
          $$ = add($$, $7); }
  | INVOKE name '(' args ')'
        { ast_node *call = $2;
          if (call) { call->kind = AST_CALL; call->loc = @$; call->loc.offset = @2.offset; }
          $$ = add(oper(p, "invoke", @$), adopt(call, $4)); }
  | GETSCHEMA                   { $$ = oper(p, "getschema", @$); }
  | SERIALIZE                   { $$ = oper(p, "serialize", @$); }
  | SERIALIZE items             { $$ = adopt(oper(p, "serialize", @$), $2); }
  | CONSUME gopts               { $$ = adopt(oper(p, "consume", @$), $2); }
  | MV_EXPAND kopts mvitems mvlimit_opt
        { $$ = add(adopt(adopt(oper(p, "mv-expand", @$), $2), $3), $4); }
  | MV_APPLY kopts mvitems mvlimit_opt ON '(' opchain ')'
        { $$ = add(adopt(adopt(oper(p, "mv-apply", @$), $2), $3), $4);
          $$ = add($$, clause(p, "on", @5, subquery(p, $7, @7))); }
  | MAKE_SERIES kopts ms_aggs ON expr ms_range by_opt
        { $$ = add(add(adopt(oper(p, "make-series", @$), $2), $3), clause(p, "on", @4, $5));
          $$ = add(adopt($$, $6), $7); }
  | MAKE_SERIES kopts ms_aggs ON expr by_opt
        { /* the older "on Axis in range(start, stop, step)": the axis parses as an in
             expression, split back into the axis and an "in" clause */
          ast_node *axis = $5;
          if (!axis || axis->kind != AST_IN || axis->op != AST_OP_IN || axis->nkids != 2 ||
              !axis->kids[1] || axis->kids[1]->kind != AST_CALL ||
              strcmp(axis->kids[1]->text, "range") != 0) {
              ast_free($2); ast_free($3); ast_free($5); ast_free($6);
              FAIL(@5, "expected 'step' (or 'in range(start, stop, step)') after the make-series axis");
          }
          ast_node *range = axis->kids[1], *col = axis->kids[0];
          axis->nkids = 0;
          ast_free(axis);
          $$ = add(add(adopt(oper(p, "make-series", @$), $2), $3), clause(p, "on", @4, col));
          $$ = add(add($$, clause(p, "in", range->loc, range)), $6); }
  | SAMPLE gopts expr           { $$ = add(adopt(oper(p, "sample", @$), $2), $3); }
  | SAMPLE_DISTINCT gopts expr OF expr
        { $$ = add(add(adopt(oper(p, "sample-distinct", @$), $2), $3), clause(p, "of", @4, $5)); }
  | TOP_HITTERS gopts expr OF expr
        { $$ = add(add(adopt(oper(p, "top-hitters", @$), $2), $3), clause(p, "of", @4, $5)); }
  | TOP_HITTERS gopts expr OF expr BY expr
        { $$ = add(add(adopt(oper(p, "top-hitters", @$), $2), $3), clause(p, "of", @4, $5));
          $$ = add($$, clause(p, "by", @6, $7)); }
  | tn_levels                   { $$ = $1; }
  | FACET BY items             { $$ = add(oper(p, "facet", @$), adopt(clause(p, "by", @2, NULL), $3)); }
  | FACET BY items WITH '(' opchain ')'
        { $$ = add(oper(p, "facet", @$), adopt(clause(p, "by", @2, NULL), $3));
          $$ = add($$, clause(p, "with", @4, subquery(p, $6, @6))); }
  | FORK fork_branches          { $$ = adopt(oper(p, "fork", @$), $2); }
  | PARTITION kopts BY anyname '(' opchain ')'
        { $$ = add(adopt(oper(p, "partition", @$), $2), clause(p, "by", @3, $4));
          $$ = add($$, subquery(p, $6, @6)); }
  | PARTITION kopts BY anyname '{' pipe_expr '}'
        { $$ = add(adopt(oper(p, "partition", @$), $2), clause(p, "by", @3, $4));
          $$ = add($$, subquery(p, $6, @6)); }
  | REDUCE gopts BY expr
        { $$ = add(adopt(oper(p, "reduce", @$), $2), clause(p, "by", @3, $4)); }
  | REDUCE gopts BY expr WITH props
        { $$ = add(adopt(oper(p, "reduce", @$), $2), clause(p, "by", @3, $4));
          $$ = add($$, adopt(clause(p, "with", @5, NULL), $6)); }
  | SCAN gopts scan_decl_opt WITH '(' scan_steps ')'
        { $$ = add(adopt(oper(p, "scan", @$), $2), $3);
          $$ = add($$, adopt(clause(p, "with", @4, NULL), $6)); }
  | SEARCH gopts expr           { $$ = add(adopt(oper(p, "search", @$), $2), $3); }
  | SEARCH gopts IN '(' exprs ')' expr
        { $$ = add(add(adopt(oper(p, "search", @$), $2), adopt(clause(p, "in", @3, NULL), $5)), $7); }
  | MAKE_GRAPH kopts expr DARROW expr mg_rest
        { $$ = add(add(adopt(oper(p, "make-graph", @$), $2), $3), $5);
          $$ = adopt($$, $6); }
  | GRAPH_MATCH gopts gpatterns gm_where_opt gm_project_opt
        { $$ = add(add(adopt(adopt(oper(p, "graph-match", @$), $2), $3), $4), $5); }
  | GRAPH_SHORTEST_PATHS gopts gpatterns gm_where_opt gm_project_opt
        { $$ = add(add(adopt(adopt(oper(p, "graph-shortest-paths", @$), $2), $3), $4), $5); }
  | GRAPH_TO_TABLE gtt_parts    { $$ = adopt(oper(p, "graph-to-table", @$), $2); }
  | GRAPH_MARK_COMPONENTS gopts { $$ = adopt(oper(p, "graph-mark-components", @$), $2); }
  | MACRO_EXPAND gopts expr AS anyname '(' pipe_expr ')'
        { $$ = add(add(adopt(oper(p, "macro-expand", @$), $2), $3), clause(p, "as", @4, $5));
          $$ = add($$, subquery(p, $7, @7)); }
  ;

/* ---- operator parts ---- */

/* Options named by keywords only: where assignments may follow (mv-expand a = x). */
kopts:
    %empty                      { $$ = mk(p, AST_LIST, 0, NULL, 0, @$); }
  | kopts opt                   { $$ = add($1, $2); }
  ;

/* Options before a table or a parenthesized part: any name may be an option. */
gopts:
    %empty                      { $$ = mk(p, AST_LIST, 0, NULL, 0, @$); }
  | gopts gopt                  { $$ = add($1, $2); }
  ;

opt:
    KIND '=' optval             { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  | HINT '=' optval             { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  | WITHSOURCE '=' optval       { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  | ISFUZZY '=' optval          { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  | BAGEXPANSION '=' optval     { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  | WITH_ITEMINDEX '=' optval   { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  | FLAGS '=' optval            { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  | WITH_MATCH_ID '=' optval    { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  ;

gopt:
    opt
  | IDENT '=' optval            { $$ = add(mk_tok(p, AST_OPTION, 0, &$1), $3); }
  ;

optval:
    anyname
  | LONG                        { $$ = mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$1); }
  | REAL                        { $$ = mk_tok(p, AST_LITERAL, AST_LIT_REAL, &$1); }
  | TIMESPAN                    { $$ = mk_tok(p, AST_LITERAL, AST_LIT_TIMESPAN, &$1); }
  | BOOL                        { $$ = mk_tok(p, AST_LITERAL, AST_LIT_BOOL, &$1); }
  | STRING                      { $$ = string_lit(p, &$1); }
  ;

aggs_opt:
    %empty                      { $$ = mk(p, AST_LIST, 0, NULL, 0, @$); }
  | items
  ;

by_opt:
    %empty                      { $$ = clause(p, "by", @$, NULL); }
  | BY items                    { $$ = adopt(clause(p, "by", @$, NULL), $2); }
  ;

items:
    item                        { $$ = list1(p, @$, $1); }
  | items ',' item              { $$ = add($1, $3); }
  ;

/* An expression, or "name = expr" / "(a, b) = expr". */
item:
    expr
  | expr '=' expr
        { if (!is_target($1)) { ast_free($1); ast_free($3); FAIL(@2, "unexpected '=', expected a column name before it"); }
          $$ = add(add(mk(p, AST_ASSIGN, 0, NULL, 0, @$), $1), $3); }
  ;

sortkeys:
    sortkey                     { $$ = list1(p, @$, $1); }
  | sortkeys ',' sortkey        { $$ = add($1, $3); }
  ;

sortkey:
    expr sortdir                { $$ = add(mk(p, AST_SORTKEY, $2.sub, NULL, 0, @$), $1); }
  | expr sortdir NULLS FIRST    { $$ = add(mk(p, AST_SORTKEY, $2.sub | AST_SORT_NULLS_FIRST, NULL, 0, @$), $1); }
  | expr sortdir NULLS LAST     { $$ = add(mk(p, AST_SORTKEY, $2.sub | AST_SORT_NULLS_LAST, NULL, 0, @$), $1); }
  ;

sortdir:
    %empty                      { $$.sub = 0; }
  | ASC                         { $$.sub = AST_SORT_ASC; }
  | DESC                        { $$.sub = 0; }
  ;

/* Column name patterns: a, b*, *_id, * */
colpats:
    colpat                      { $$ = list1(p, @$, $1); }
  | colpats ',' colpat          { $$ = add($1, $3); }
  ;

colpat:
    wildseq
        { $$ = $1;
          if ($$ && $$->text_len == 1 && $$->text[0] == '*') { $$->kind = AST_STAR; free($$->text); $$->text = NULL; $$->text_len = 0; } }
  ;

/* Names and stars alternate; after a star only a plain identifier continues
 * the pattern, so "a* asc" is a pattern and a direction. */
wildseq:
    anyname
  | wildstar
  | wildstar IDENT              { $$ = pattern_text(p, $1, $2.text, $2.len, @2); }
  ;

wildstar:
    '*'                         { $$ = mk(p, AST_NAME, 0, "*", 1, @$); }
  | wildseq '*'                 { $$ = pattern_text(p, $1, "*", 1, @2); }
  ;

reorder_items:
    reorder_item                { $$ = list1(p, @$, $1); }
  | reorder_items ',' reorder_item { $$ = add($1, $3); }
  ;

reorder_item:
    colpat
  | colpat ASC                  { $$ = add(mk(p, AST_SORTKEY, AST_SORT_ASC, NULL, 0, @$), $1); }
  | colpat DESC                 { $$ = add(mk(p, AST_SORTKEY, 0, NULL, 0, @$), $1); }
  | colpat GRANNY_ASC           { $$ = add(mk(p, AST_SORTKEY, AST_SORT_ASC | AST_SORT_GRANNY, NULL, 0, @$), $1); }
  | colpat GRANNY_DESC          { $$ = add(mk(p, AST_SORTKEY, AST_SORT_GRANNY, NULL, 0, @$), $1); }
  ;

join_right:
    expr                        { $$ = subquery(p, $1, @$); }
  ;

on_opt:
    %empty                      { $$ = NULL; }
  | ON exprs                    { $$ = adopt(clause(p, "on", @$, NULL), $2); }
  ;

with_props_opt:
    %empty                      { $$ = NULL; }
  | WITH '(' ')'                { $$ = clause(p, "with", @$, NULL); }
  | WITH '(' props ')'          { $$ = adopt(clause(p, "with", @$, NULL), $3); }
  ;

/* name=value, ...; a bare value extends the previous option (ycolumns=a, b). */
props:
    prop
        { $$ = list1(p, @$, $1);
          if ($1 && $1->kind != AST_OPTION) { ast_free($$); FAIL(@1, "expected name=value"); } }
  | props ',' prop
        { $$ = $1;
          if ($3 && $3->kind != AST_OPTION && $$ && $$->nkids)
              add($$->kids[$$->nkids - 1], $3);
          else
              $$ = add($$, $3); }
  ;

prop:
    expr
  | expr '=' expr
        { if (!$1 || $1->kind != AST_NAME) { ast_free($1); ast_free($3); FAIL(@2, "unexpected '=', expected an option name before it"); }
          $$ = add(mk(p, AST_OPTION, 0, $1->text, $1->text_len, @$), $3);
          ast_free($1); }
  ;

/* parse ... with * "text" Col:type "text" ... */
pattern:
    pattern_item                { $$ = add(clause(p, "with", @$, NULL), $1); }
  | pattern pattern_item        { $$ = add($1, $2); }
  ;

pattern_item:
    STRING                      { $$ = string_lit(p, &$1); }
  | '*'                         { $$ = mk(p, AST_STAR, 0, NULL, 0, @$); }
  | anyname
        { $$ = $1;
          if ($$) { $$->kind = AST_COLDEF; $$->op = AST_TYPE_NONE; } }
  | anyname ':' typename
        { $$ = $3;
          if ($$ && $1) {
              $$->text = $1->text; $$->text_len = $1->text_len; $1->text = NULL;
              $$->loc = @$;
          }
          ast_free($1); }
  ;

mvitems:
    mvitem                      { $$ = list1(p, @$, $1); }
  | mvitems ',' mvitem          { $$ = add($1, $3); }
  ;

mvitem:
    item                        { $$ = list1(p, @$, $1); }
  | item TO TYPEOF '(' typename ')'
        { $$ = add(list1(p, @$, $1), $5);
          if ($5) { $5->kind = AST_TYPEOF; } }
  ;

mvlimit_opt:
    %empty                      { $$ = NULL; }
  | LIMIT expr                  { $$ = clause(p, "limit", @$, $2); }
  ;

ms_aggs:
    ms_agg                      { $$ = list1(p, @$, $1); }
  | ms_aggs ',' ms_agg          { $$ = add($1, $3); }
  ;

ms_agg:
    item                        { $$ = list1(p, @$, $1); }
  | item DEFAULT '=' expr       { $$ = add(list1(p, @$, $1), clause(p, "default", @2, $4)); }
  ;

ms_range:
    STEP expr                   { $$ = list1(p, @$, clause(p, "step", @$, $2)); }
  | FROM expr STEP expr
        { $$ = add(list1(p, @$, clause(p, "from", @1, $2)), clause(p, "step", @3, $4)); }
  | TO expr STEP expr
        { $$ = add(list1(p, @$, clause(p, "to", @1, $2)), clause(p, "step", @3, $4)); }
  | FROM expr TO expr STEP expr
        { $$ = add(list1(p, @$, clause(p, "from", @1, $2)), clause(p, "to", @3, $4));
          $$ = add($$, clause(p, "step", @5, $6)); }
  ;

/* top-nested 3 of a by sum(x), top-nested of b with others = "x" by max(y) asc */
tn_levels:
    tn_level                    { $$ = add(oper(p, "top-nested", @$), $1); }
  | tn_levels ',' tn_level      { $$ = add($1, $3); }
  ;

tn_level:
    TOP_NESTED OF item tn_others_opt BY item sortdir
        { $$ = add(add(list1(p, @$, clause(p, "of", @2, $3)), $4),
                   clause(p, "by", @5, add(mk(p, AST_SORTKEY, $7.sub, NULL, 0, @6), $6))); }
  | TOP_NESTED expr OF item tn_others_opt BY item sortdir
        { $$ = add(add(add(list1(p, @$, clause(p, "top", @2, $2)), clause(p, "of", @3, $4)), $5),
                   clause(p, "by", @6, add(mk(p, AST_SORTKEY, $8.sub, NULL, 0, @7), $7))); }
  ;

tn_others_opt:
    %empty                      { $$ = NULL; }
  | WITH IDENT '=' expr         { $$ = clause(p, "with_others", @$, $4); }
  ;

fork_branches:
    fork_branch                 { $$ = list1(p, @$, $1); }
  | fork_branches fork_branch   { $$ = add($1, $2); }
  ;

fork_branch:
    '(' opchain ')'             { $$ = subquery(p, $2, @$); }
  | anyname '=' '(' opchain ')'
        { $$ = add(add(mk(p, AST_ASSIGN, 0, NULL, 0, @$), $1), subquery(p, $4, @4)); }
  ;

scan_decl_opt:
    %empty                      { $$ = NULL; }
  | DECLARE '(' params ')'      { $$ = clause(p, "declare", @$, $3); }
  ;

scan_steps:
    scan_step                   { $$ = list1(p, @$, $1); }
  | scan_steps scan_step        { $$ = add($1, $2); }
  ;

/* step s1 [output=...]: condition [=> col = expr, ...]; */
scan_step:
    STEP anyname gopts ':' expr scan_assign_opt ';'
        { $$ = adopt(add(clause(p, "step", @$, $2), NULL), $3);
          $$ = adopt(add($$, $5), $6); }
  ;

scan_assign_opt:
    %empty                      { $$ = NULL; }
  | FATARROW items              { $$ = $2; }
  ;

/* make-graph a --> b [with_node_id=c] [with T1 on id, ...] [partitioned-by k (...)] */
mg_rest:
    gopts                       { $$ = $1; }
  | gopts WITH mg_tables        { $$ = add($1, adopt(clause(p, "with", @2, NULL), $3)); }
  | mg_rest PARTITIONED_BY anyname '(' opchain ')'
        { $$ = add($1, add(clause(p, "partitioned-by", @2, $3), subquery(p, $5, @5))); }
  ;

mg_tables:
    mg_table                    { $$ = list1(p, @$, $1); }
  | mg_tables ',' mg_table      { $$ = add($1, $3); }
  ;

mg_table:
    expr ON anyname             { $$ = add(list1(p, @$, $1), $3); }
  ;

gpatterns:
    gpattern                    { $$ = list1(p, @$, $1); }
  | gpatterns ',' gpattern      { $$ = add($1, $3); }
  ;

gpattern:
    gnode                       { $$ = clause(p, "pattern", @$, $1); }
  | gpattern gedge gnode        { $$ = add(add($1, $2), $3); }
  ;

gnode:
    '(' anyname ')'             { $$ = $2; }
  | '(' ')'                     { $$ = mk(p, AST_NAME, 0, "", 0, @$); }
  ;

gedge:
    '-' '[' gedge_body ']' ARROW    { $$ = adopt(clause(p, "-->", @$, NULL), $3); }
  | '-' '[' gedge_body ']' '-'      { $$ = adopt(clause(p, "--", @$, NULL), $3); }
  | '<' '-' '[' gedge_body ']' '-'  { $$ = adopt(clause(p, "<--", @$, NULL), $4); }
  | DARROW                          { $$ = clause(p, "-->", @$, NULL); }
  | '-' '-'                         { $$ = clause(p, "--", @$, NULL); }
  | '<' '-' '-'                     { $$ = clause(p, "<--", @$, NULL); }
  ;

/* e, e*3, e*1..5, *1..5 */
gedge_body:
    %empty                      { $$ = mk(p, AST_LIST, 0, NULL, 0, @$); }
  | anyname                     { $$ = list1(p, @$, $1); }
  | anyname '*' LONG            { $$ = add(list1(p, @$, $1), add(add(mk(p, AST_LIST, 0, NULL, 0, @3), mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$3)), mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$3))); }
  | anyname '*' LONG DOTDOT LONG
        { $$ = add(list1(p, @$, $1), add(add(mk(p, AST_LIST, 0, NULL, 0, @3), mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$3)), mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$5))); }
  | '*' LONG DOTDOT LONG
        { $$ = add(list1(p, @$, mk(p, AST_NAME, 0, "", 0, @1)), add(add(mk(p, AST_LIST, 0, NULL, 0, @2), mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$2)), mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$4))); }
  ;

gm_where_opt:
    %empty                      { $$ = NULL; }
  | WHERE expr                  { $$ = clause(p, "where", @$, $2); }
  ;

gm_project_opt:
    %empty                      { $$ = NULL; }
  | PROJECT items               { $$ = adopt(clause(p, "project", @$, NULL), $2); }
  ;

/* graph-to-table nodes [as N] [opts], edges [as E] [opts] */
gtt_parts:
    gtt_part                    { $$ = list1(p, @$, $1); }
  | gtt_parts ',' gtt_part      { $$ = add($1, $3); }
  ;

gtt_part:
    IDENT gopts                 { $$ = adopt(mk_tok(p, AST_CLAUSE, 0, &$1), $2); }
  | IDENT AS anyname gopts
        { $$ = adopt(add(mk_tok(p, AST_CLAUSE, 0, &$1), clause(p, "as", @2, $3)), $4); }
  ;

/* ---- scalar expressions ---- */

expr:
    expr OR expr                { $$ = binary(p, AST_OP_OR, @$, $1, $3); }
  | expr AND expr               { $$ = binary(p, AST_OP_AND, @$, $1, $3); }
  | expr CMP expr               { $$ = binary(p, $2.sub, @$, $1, $3); }
  | expr '<' expr               { $$ = binary(p, AST_OP_LT, @$, $1, $3); }
  | expr '>' expr               { $$ = binary(p, AST_OP_GT, @$, $1, $3); }
  | expr STROP expr             { $$ = binary(p, $2.sub, @$, $1, $3); }
  | expr IN expr                { $$ = in_op(p, AST_IN, $2.sub, @$, $1, $3); }
  | expr HASANY expr            { $$ = in_op(p, AST_BINARY, $2.sub, @$, $1, $3); }
  | expr BETWEEN '(' expr DOTDOT expr ')'
        { $$ = add(add(add(mk(p, AST_BETWEEN, $2.sub, NULL, 0, @$), $1), $4), $6); }
  | expr '+' expr               { $$ = binary(p, AST_OP_ADD, @$, $1, $3); }
  | expr '-' expr               { $$ = binary(p, AST_OP_SUB, @$, $1, $3); }
  | expr '*' expr               { $$ = binary(p, AST_OP_MUL, @$, $1, $3); }
  | expr '/' expr               { $$ = binary(p, AST_OP_DIV, @$, $1, $3); }
  | expr '%' expr               { $$ = binary(p, AST_OP_MOD, @$, $1, $3); }
  | '-' expr %prec UMINUS       { $$ = negate(p, $2, @$); }
  | '+' expr %prec UMINUS       { $$ = add(mk(p, AST_UNARY, '+', NULL, 0, @$), $2); }
  | postfix
  ;

postfix:
    primary
  | postfix '.' anyname
        { $$ = NULL;
          if ($1 && $3 && $1->kind == AST_CALL && $1->text &&
              (strcmp($1->text, "database") == 0 || strcmp($1->text, "cluster") == 0)) {
              $$ = add(mk(p, AST_TABLE_REF, 0, $3->text, $3->text_len, @$), $1);
          } else if ($1 && $3 && $1->kind == AST_TABLE_REF && !$1->text) {
              $$ = $1; $$->text = $3->text; $$->text_len = $3->text_len; $3->text = NULL; $$->loc = @$;
          } else {
              $$ = add(mk(p, AST_MEMBER, 0, $3 ? $3->text : NULL, $3 ? $3->text_len : 0, @$), $1);
          }
          ast_free($3); }
  | postfix '[' expr ']'
        { $$ = add(add(mk(p, AST_INDEX, 0, NULL, 0, @$), $1), $3); }
  | postfix '.' '[' expr ']'
        { $$ = add(add(mk(p, AST_INDEX, 0, NULL, 0, @$), $1), $4); }
  | postfix '.' anyname '(' args ')'
        { /* cluster('c').database('d'): a table qualifier chain */
          if (!$1 || $1->kind != AST_CALL || !$3 || strcmp($3->text, "database") != 0) {
              ast_free($1); ast_free($3); ast_free($5);
              FAIL(@2, "unexpected '.', only cluster(...).database(...) can be chained like a call");
          }
          $3->kind = AST_CALL; $3->loc = @3;
          $$ = add(add(mk(p, AST_TABLE_REF, 0, NULL, 0, @$), $1), adopt($3, $5)); }
  ;

primary:
    literal
  | name
  | '*'                         { $$ = mk(p, AST_STAR, 0, NULL, 0, @$); }
  | name '(' args ')'
        { $$ = $1;
          if ($$) {
              $$->kind = AST_CALL; $$->loc = @$;
              if (strcmp($$->text, "table") == 0 && $3 && $3->nkids >= 1 && $3->kids[0] &&
                  $3->kids[0]->kind == AST_LITERAL && $3->kids[0]->op == AST_LIT_STRING) {
                  /* table('x'): the table named x */
                  ast_node *lit = $3->kids[0];
                  free($$->text);
                  $$->text = lit->text; $$->text_len = lit->text_len; lit->text = NULL;
                  $$->kind = AST_TABLE_REF;
                  ast_free($3);
                  $3 = NULL;
              }
          }
          $$ = adopt($$, $3); }
  | RANGE '(' args ')'          { $$ = adopt(mk_tok(p, AST_CALL, 0, &$1), $3); if ($$) $$->loc = @$; }
  | TYPEOF '(' typename ')'     { $$ = $3; if ($$) { $$->kind = AST_TYPEOF; $$->loc = @$; } }
  | TYPEOF '(' coldefs ')'      { $$ = add(mk(p, AST_TYPEOF, AST_TYPE_TABLE, NULL, 0, @$), $3); }
  | '(' pipe_expr ')'
        { $$ = is_tabular($2) ? subquery(p, $2, @$) : $2; }
  | '(' expr ',' exprs ')'
        { $$ = adopt(add(mk(p, AST_LIST, '(', NULL, 0, @$), $2), $4); }
  ;

/* Call arguments: expressions, name=value, or one tabular expression. */
args:
    %empty                      { $$ = mk(p, AST_LIST, 0, NULL, 0, @$); }
  | arglist
  | pipe_bar                    { $$ = list1(p, @$, $1); }
  ;

arglist:
    arg                         { $$ = list1(p, @$, $1); }
  | arglist ',' arg             { $$ = add($1, $3); }
  ;

arg:
    item
  ;

literal:
    LONG                        { $$ = mk_tok(p, AST_LITERAL, AST_LIT_LONG, &$1); }
  | REAL                        { $$ = mk_tok(p, AST_LITERAL, AST_LIT_REAL, &$1); }
  | TIMESPAN                    { $$ = mk_tok(p, AST_LITERAL, AST_LIT_TIMESPAN, &$1); }
  | BOOL                        { $$ = mk_tok(p, AST_LITERAL, AST_LIT_BOOL, &$1); }
  | TYPEDLIT                    { $$ = typed_lit(p, &$1); }
  | string_lit %prec STRING_OPERAND
  ;

string_lit:
    STRING                      { $$ = string_lit(p, &$1); }
  | string_lit STRING           { $$ = concat(p, $1, &$2, @$); }
  ;

/* Identifiers, and the keywords that can name a column or a table anywhere. */
name:
    IDENT                       { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | '[' string_lit ']'          { $$ = $2; if ($$) { $$->kind = AST_NAME; $$->op = 0; $$->loc = @$; } }
  | KIND                        { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | WITHSOURCE                  { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | ISFUZZY                     { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | BAGEXPANSION                { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | WITH_ITEMINDEX              { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | FLAGS                       { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | WITH_MATCH_ID               { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | COUNT                       { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | kwname
  ;

/* Keywords that never start or continue an expression where a name may stand. */
kwname:
    WHERE { $$ = mk_tok(p, AST_NAME, 0, &$1); } | FILTER { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | PROJECT { $$ = mk_tok(p, AST_NAME, 0, &$1); } | EXTEND { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | SUMMARIZE { $$ = mk_tok(p, AST_NAME, 0, &$1); } | SORT { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | ORDER { $$ = mk_tok(p, AST_NAME, 0, &$1); } | TAKE { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | LIMIT { $$ = mk_tok(p, AST_NAME, 0, &$1); } | TOP { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | DISTINCT { $$ = mk_tok(p, AST_NAME, 0, &$1); } | JOIN { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | LOOKUP { $$ = mk_tok(p, AST_NAME, 0, &$1); } | RENDER { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | AS { $$ = mk_tok(p, AST_NAME, 0, &$1); } | PARSE { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | INVOKE { $$ = mk_tok(p, AST_NAME, 0, &$1); } | GETSCHEMA { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | SERIALIZE { $$ = mk_tok(p, AST_NAME, 0, &$1); } | CONSUME { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | FACET { $$ = mk_tok(p, AST_NAME, 0, &$1); } | FORK { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | PARTITION { $$ = mk_tok(p, AST_NAME, 0, &$1); } | REDUCE { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | SAMPLE { $$ = mk_tok(p, AST_NAME, 0, &$1); } | SCAN { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | WITH { $$ = mk_tok(p, AST_NAME, 0, &$1); } | FROM { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | TO { $$ = mk_tok(p, AST_NAME, 0, &$1); } | STEP { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | ASC { $$ = mk_tok(p, AST_NAME, 0, &$1); } | DESC { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | NULLS { $$ = mk_tok(p, AST_NAME, 0, &$1); } | FIRST { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | LAST { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | DEFAULT { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  ;

/* Where only a name can stand (after '.', in a schema, a let): any keyword. */
anyname:
    name
  | BY { $$ = mk_tok(p, AST_NAME, 0, &$1); } | ON { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | PRINT { $$ = mk_tok(p, AST_NAME, 0, &$1); } | RANGE { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | DATATABLE { $$ = mk_tok(p, AST_NAME, 0, &$1); } | UNION { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | SEARCH { $$ = mk_tok(p, AST_NAME, 0, &$1); } | FIND { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | EVALUATE { $$ = mk_tok(p, AST_NAME, 0, &$1); } | EXTERNALDATA { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | TYPEOF { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | AND { $$ = mk_tok(p, AST_NAME, 0, &$1); } | OR { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | IN { $$ = mk_tok(p, AST_NAME, 0, &$1); } | BETWEEN { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | HASANY { $$ = mk_tok(p, AST_NAME, 0, &$1); } | STROP { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | OF { $$ = mk_tok(p, AST_NAME, 0, &$1); } | VIEW { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | ALIAS { $$ = mk_tok(p, AST_NAME, 0, &$1); } | DECLARE { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | SET { $$ = mk_tok(p, AST_NAME, 0, &$1); } | LET { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  | RESTRICT { $$ = mk_tok(p, AST_NAME, 0, &$1); }
  ;

%%

static int kql_yylex(KQL_YYSTYPE *lval, ast_loc *lloc, kql_pctx *p)
{
    int kind = kql_lex(&p->lx, &lval->tok);
    *lloc = lval->tok.loc;
    if (kind == TOK_KQL_YYerror)
        fail(p, p->lx.error_loc, p->lx.error);
    return kind;
}

/* Only Bison's own failures come here ("memory exhausted": the parser stack). */
static void kql_yyerror(ast_loc *loc, kql_pctx *p, const char *msg)
{
    if (strcmp(msg, "memory exhausted") == 0)
        fail(p, *loc, "query too deeply nested (the parser's stack is exhausted)");
    else
        fail(p, *loc, msg);
}

const char *kql_token_name(int kind)
{
    return yysymbol_name(YYTRANSLATE(kind));
}

/* How an expected token is printed: keywords quoted, kinds of token bare. */
static void symbol_text(yysymbol_kind_t s, char *out, size_t size)
{
    const char *name = yysymbol_name(s);
    if (s == YYSYMBOL_YYEOF)
        snprintf(out, size, "end of query");
    else if (name[0] == '\'' || strncmp(name, "a ", 2) == 0 || strncmp(name, "an ", 3) == 0)
        snprintf(out, size, "%s", name);
    else
        snprintf(out, size, "'%s'", name);
}

/* Tokens that can start an expression: listed once as "an expression". */
static int starts_expression(yysymbol_kind_t s)
{
    static const char *const chars[] = {"'('", "'['", "'-'", "'+'", "'*'"};
    switch (s) {
    case YYSYMBOL_IDENT: case YYSYMBOL_LONG: case YYSYMBOL_REAL: case YYSYMBOL_TIMESPAN:
    case YYSYMBOL_STRING: case YYSYMBOL_TYPEDLIT: case YYSYMBOL_BOOL: case YYSYMBOL_TYPEOF:
    case YYSYMBOL_RANGE:
        return 1;
    default:
        for (size_t i = 0; i < sizeof chars / sizeof *chars; i++)
            if (strcmp(yysymbol_name(s), chars[i]) == 0)
                return 1;
        return 0;
    }
}

/* Keywords that the grammar also accepts as names (see `name`). */
static int is_name_keyword(yysymbol_kind_t s)
{
    static const yysymbol_kind_t kws[] = {
        YYSYMBOL_KIND, YYSYMBOL_WITHSOURCE, YYSYMBOL_ISFUZZY, YYSYMBOL_BAGEXPANSION,
        YYSYMBOL_WITH_ITEMINDEX, YYSYMBOL_FLAGS, YYSYMBOL_WITH_MATCH_ID, YYSYMBOL_COUNT,
        YYSYMBOL_WHERE, YYSYMBOL_FILTER, YYSYMBOL_PROJECT, YYSYMBOL_EXTEND, YYSYMBOL_SUMMARIZE,
        YYSYMBOL_SORT, YYSYMBOL_ORDER, YYSYMBOL_TAKE, YYSYMBOL_LIMIT, YYSYMBOL_TOP,
        YYSYMBOL_DISTINCT, YYSYMBOL_JOIN, YYSYMBOL_LOOKUP, YYSYMBOL_RENDER, YYSYMBOL_AS,
        YYSYMBOL_PARSE, YYSYMBOL_INVOKE, YYSYMBOL_GETSCHEMA, YYSYMBOL_SERIALIZE,
        YYSYMBOL_CONSUME, YYSYMBOL_FACET, YYSYMBOL_FORK, YYSYMBOL_PARTITION, YYSYMBOL_REDUCE,
        YYSYMBOL_SAMPLE, YYSYMBOL_SCAN, YYSYMBOL_WITH, YYSYMBOL_FROM, YYSYMBOL_TO,
        YYSYMBOL_STEP, YYSYMBOL_ASC, YYSYMBOL_DESC, YYSYMBOL_NULLS, YYSYMBOL_FIRST,
        YYSYMBOL_LAST, YYSYMBOL_OF, YYSYMBOL_DEFAULT, YYSYMBOL_VIEW, YYSYMBOL_ALIAS,
        YYSYMBOL_DECLARE, YYSYMBOL_SET, YYSYMBOL_LET, YYSYMBOL_RESTRICT, YYSYMBOL_BY,
        YYSYMBOL_ON, YYSYMBOL_PRINT, YYSYMBOL_DATATABLE, YYSYMBOL_UNION, YYSYMBOL_SEARCH,
        YYSYMBOL_FIND, YYSYMBOL_EVALUATE, YYSYMBOL_EXTERNALDATA, YYSYMBOL_AND, YYSYMBOL_OR,
        YYSYMBOL_IN, YYSYMBOL_BETWEEN, YYSYMBOL_HASANY, YYSYMBOL_STROP, YYSYMBOL_RANGE,
        YYSYMBOL_TYPEOF,
    };
    for (size_t i = 0; i < sizeof kws / sizeof *kws; i++)
        if (kws[i] == s)
            return 1;
    return 0;
}

/* Option names (kind=, hint.x=, ...): optional, so listed only when nothing else fits. */
static int is_option_keyword(yysymbol_kind_t s)
{
    switch (s) {
    case YYSYMBOL_KIND: case YYSYMBOL_HINT: case YYSYMBOL_WITHSOURCE: case YYSYMBOL_ISFUZZY:
    case YYSYMBOL_BAGEXPANSION: case YYSYMBOL_WITH_ITEMINDEX: case YYSYMBOL_FLAGS:
    case YYSYMBOL_WITH_MATCH_ID:
        return 1;
    default:
        return 0;
    }
}

/* Operators that may continue an expression: not worth listing. */
static int continues_expression(yysymbol_kind_t s)
{
    static const char *const chars[] = {"'+'", "'-'", "'*'", "'/'", "'%'", "'<'", "'>'",
                                        "'.'", "'['", "'('"};
    switch (s) {
    case YYSYMBOL_OR: case YYSYMBOL_AND: case YYSYMBOL_CMP: case YYSYMBOL_STROP:
    case YYSYMBOL_IN: case YYSYMBOL_HASANY: case YYSYMBOL_BETWEEN: case YYSYMBOL_STRING:
        return 1;
    default:
        for (size_t i = 0; i < sizeof chars / sizeof *chars; i++)
            if (strcmp(yysymbol_name(s), chars[i]) == 0)
                return 1;
        return 0;
    }
}

static void append(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n < size)
        snprintf(buf + n, size - n, "%s", s);
}

/* The keyword among the expected tokens nearest to the word at loc, when
 * it is a likely typo ("summerize" -> "summarize"), or NULL. */
static const char *nearest_keyword(const kql_pctx *p, ast_loc loc, const yysymbol_kind_t *expected, int n)
{
    char word[64];
    if (loc.length >= sizeof word)
        return NULL;
    memcpy(word, p->lx.src + loc.offset, loc.length);
    word[loc.length] = '\0';
    kql_suggest s;
    kql_suggest_init(&s, word);
    for (int i = 0; i < n; i++) {
        const char *name = yysymbol_name(expected[i]);
        if (isalpha((unsigned char)name[0]) && strncmp(name, "a ", 2) != 0 && strncmp(name, "an ", 3) != 0)
            kql_suggest_offer(&s, name);
    }
    return kql_suggest_best(&s);
}

/* A syntax error that an unbalanced bracket explains, reported at the
 * opening bracket: the query ends while it is open and its closer would fit
 * here, or a different closing bracket comes first; or a closing bracket
 * that nothing opened, reported where it is. Returns 1 when it reported one. */
static int bracket_error(kql_pctx *p, yysymbol_kind_t got, ast_loc loc, const yysymbol_kind_t *expected, int n)
{
    const kql_lexer *lx = &p->lx;
    char got_char = got == YYSYMBOL_YYEOF ? '\0' : lx->src[loc.offset];
    if (got != YYSYMBOL_YYEOF && !(lx->mismatched && strchr(")]}", got_char)))
        return 0;
    if (lx->depth == 0 && got != YYSYMBOL_YYEOF) {
        char opener = got_char == ')' ? '(' : got_char == ']' ? '[' : '{';
        char msg[sizeof p->message];
        snprintf(msg, sizeof msg, "unbalanced '%c': no '%c' before it is open", got_char, opener);
        fail(p, loc, msg);
        return 1;
    }
    if (lx->depth == 0)
        return 0;
    const struct kql_open_bracket *open = &lx->open[lx->depth - 1];
    char closer = open->kind == '(' ? ')' : open->kind == '[' ? ']' : '}';
    char want[4] = { '\'', closer, '\'', '\0' };
    int fits = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(yysymbol_name(expected[i]), want) == 0)
            fits = 1;
    if (!fits)
        return 0;
    char msg[sizeof p->message];
    if (got == YYSYMBOL_YYEOF)
        snprintf(msg, sizeof msg, "unbalanced '%c': the query ends before its '%c'", open->kind, closer);
    else
        snprintf(msg, sizeof msg, "unbalanced '%c': the '%c' at line %d, column %d comes before its '%c'",
                 open->kind, got_char, loc.line, loc.col, closer);
    fail(p, open->loc, msg);
    return 1;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, kql_pctx *p)
{
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
    yysymbol_kind_t got = yypcontext_token(ctx);
    ast_loc loc = *yypcontext_location(ctx);
    char msg[sizeof p->message];

    if (bracket_error(p, got, loc, expected, n))
        return 0;
    if (got == YYSYMBOL_YYEOF) {
        snprintf(msg, sizeof msg, "unexpected end of query");
    } else {
        size_t len = loc.length;
        const char *text = p->lx.src + loc.offset;
        size_t shown = len;
        for (size_t i = 0; i < shown; i++)
            if (text[i] == '\n')
                shown = i;
        snprintf(msg, sizeof msg, "unexpected '%.*s%s'", (int)(shown > 40 ? 40 : shown), text,
                 shown > 40 || shown < len ? "..." : "");
    }

    int want_expr = 0, want_name = 0, others = 0;
    for (int i = 0; i < n; i++) {
        if (expected[i] == YYSYMBOL_LONG)
            want_expr = 1;
        else if (expected[i] == YYSYMBOL_IDENT)
            want_name = 1;
    }
    /* After '|' the list of every operator says less than this does; a
     * misspelled one gets the nearest operator instead. */
    for (int i = 0; i < n; i++)
        if (expected[i] == YYSYMBOL_WHERE && !want_expr && !want_name) {
            const char *best = got == YYSYMBOL_IDENT ? nearest_keyword(p, loc, expected, n) : NULL;
            if (best) {
                append(msg, sizeof msg, ", expected a tabular operator (did you mean '");
                append(msg, sizeof msg, best);
                append(msg, sizeof msg, "'?)");
            } else {
                append(msg, sizeof msg, ", expected a tabular operator (where, project, extend, "
                                        "summarize, sort, take, join, ...)");
            }
            fail(p, loc, msg);
            return 0;
        }
    int structural = 0;
    for (int i = 0; i < n; i++)
        if (!is_option_keyword(expected[i]) && !continues_expression(expected[i]))
            structural = 1;
    const char *items[YYNTOKENS + 1];
    char texts[YYNTOKENS][48];
    int count = 0;
    if (want_expr)
        items[count++] = "an expression";
    else if (want_name)
        items[count++] = "a name";
    for (int pass = 0; pass < 2; pass++) {
        /* Pass 0 lists what ends or structures the query; pass 1 the operators,
         * only when nothing else is possible. */
        for (int i = 0; i < n; i++) {
            yysymbol_kind_t s = expected[i];
            if (want_expr && starts_expression(s))
                continue;
            if (s == YYSYMBOL_IDENT || ((want_expr || want_name) && is_name_keyword(s)))
                continue;
            if (continues_expression(s) != pass)
                continue;
            if (structural && is_option_keyword(s))
                continue;
            if (pass == 1 && (count > 0 || others))
                continue;
            symbol_text(s, texts[count], sizeof texts[count]);
            items[count] = texts[count];
            count++;
            others = 1;
        }
    }
    if (count == 1) {
        append(msg, sizeof msg, ", expected ");
        append(msg, sizeof msg, items[0]);
    } else if (count > 1) {
        append(msg, sizeof msg, ", expected one of: ");
        for (int i = 0; i < count; i++) {
            if (i)
                append(msg, sizeof msg, ", ");
            append(msg, sizeof msg, items[i]);
        }
    }
    /* A misspelled keyword ("descc", "bye"), or SQL's '=' for a comparison. */
    const char *best = got == YYSYMBOL_IDENT ? nearest_keyword(p, loc, expected, n) : NULL;
    if (best) {
        append(msg, sizeof msg, " (did you mean '");
        append(msg, sizeof msg, best);
        append(msg, sizeof msg, "'?)");
    } else if (loc.length == 1 && p->lx.src[loc.offset] == '=') {
        append(msg, sizeof msg, " (to compare, use '==')");
    }
    fail(p, loc, msg);
    return 0;
}
