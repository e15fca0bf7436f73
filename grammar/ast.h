/* ast.h - the syntax tree that the parser builds and the binder reads.
 *
 * One node type for the whole language: a kind, an operator code, a text and
 * children. Tabular operators share one kind (AST_OPERATOR) and are told apart
 * by their name, so the grammar can accept every operator Kusto documents while
 * the binder decides which ones it can run (and refuses the rest by name).
 * The tree owns all its memory; ast_free() releases a node and its subtree.
 */
#ifndef KQL_AST_H
#define KQL_AST_H

#include <stddef.h>

typedef struct ast_loc {
    int line, col;          /* 1-based position of the first character */
    int end_line, end_col;  /* position just past the last character */
    size_t offset, length;  /* byte range in the source text */
} ast_loc;

typedef enum ast_kind {
    /* ---- statements ---- */
    AST_QUERY,       /* kids: statements in order; the last tabular one is the result */
    AST_LET,         /* text=name; kids[0]=value (expression, tabular expression or AST_LAMBDA) */
    AST_SET,         /* text=option name (e.g. "query_now"); kids[0]=value, or no kid */
    AST_DECLARE,     /* declare query_parameters / pattern ...: text=what; kids=params */
    AST_ALIAS,       /* alias database x = ...: kept for completeness */
    AST_EXPR_STMT,   /* kids[0]=tabular (or scalar) expression */

    /* ---- tabular expressions ---- */
    AST_PIPE,        /* kids[0]=input, kids[1]=AST_OPERATOR applied to it */
    AST_OPERATOR,    /* text=canonical operator name ("where", "mv-expand", "sort", ...);
                        kids: see "Operator shapes" below */
    AST_DATATABLE,   /* kids[0]=AST_SCHEMA, kids[1..]=literal values row-major */
    AST_SCHEMA,      /* kids: AST_COLDEF (text=name, type in the op field as ast_type) */
    AST_COLDEF,
    AST_LAMBDA,      /* let f = (a:long, b:string="x") { body }: kids[0]=AST_SCHEMA of params
                        (a param's default value is kids[0] of its AST_COLDEF; a tabular param
                        has op=AST_TYPE_TABLE and its own AST_SCHEMA kid, possibly with AST_STAR),
                        kids[1]=AST_QUERY body */

    /* ---- scalar expressions ---- */
    AST_LITERAL,     /* op=ast_literal_kind; text=literal as written inside its wrapper, with
                        strings decoded (escapes resolved, quotes removed). A minus sign
                        before a long, real or timespan literal is folded into it ("-5") */
    AST_NAME,        /* text=identifier, or the name inside ['...'] / ["..."]; in column
                        patterns (project-away a*, union Event*) it may contain '*' */
    AST_STAR,        /* '*' as in project-away *, count(*) and arg_max(x, *) */
    AST_UNARY,       /* op='-', '+' or AST_OP_NOT; kids[0] */
    AST_BINARY,      /* op=ast_binop; kids[0], kids[1] */
    AST_IN,          /* op=AST_OP_IN / NOTIN / IN_CI / NOTIN_CI; kids[0]=value, kids[1..]=list items
                        (a single tabular expression item means "in (T | ...)") */
    AST_BETWEEN,     /* op=1 for !between; kids[0]=value, kids[1]=low, kids[2]=high */
    AST_CALL,        /* text=function name; kids=arguments (AST_ASSIGN for named arguments) */
    AST_MEMBER,      /* x.name: kids[0]=x, text=name */
    AST_INDEX,       /* x[i] or x["a"]: kids[0]=x, kids[1]=index expression */
    AST_ASSIGN,      /* name = expr: kids[0]=AST_NAME or AST_LIST of AST_NAME (tuple), kids[1]=expr */
    AST_LIST,        /* a parenthesized or comma list: kids */
    AST_TYPEOF,      /* typeof(long), or a type name where one is expected: op=ast_type;
                        typeof(a:long, *) (a plugin's output schema): op=AST_TYPE_TABLE,
                        kids[0]=AST_SCHEMA */
    AST_OPTION,      /* name=value option of an operator (kind=inner, hint.strategy=shuffle,
                        with_itemindex=i, withsource=S, bagexpansion=array, ...):
                        text=option name as written, kids[0]=value (AST_NAME, AST_LITERAL, ...) */
    AST_CLAUSE,      /* a keyword-introduced part of an operator: text="by", "on", "with",
                        "to", "limit", "step", "from", "in", "of", "default", "over", "with_source"...;
                        kids=its expressions */
    AST_SORTKEY,     /* kids[0]=expression; op=bitmask of AST_SORT_* */
    AST_TABLE_REF,   /* table("name"), database("x").T, cluster(...): text=name; kids=qualifiers
                        (AST_CALL cluster(...), AST_CALL database(...) in source order);
                        cluster("c").database("d") alone (alias database) has no text */
    AST_SUBQUERY,    /* a parenthesized tabular expression used as an operand, or a query inside
                        materialize()/toscalar() etc.: kids[0]=tabular expression */

    /* ---- added after the first version (appended to keep the values above) ---- */
    AST_RESTRICT     /* restrict access to (T1, T2): kids=the entities */
} ast_kind;

/* Operator shapes (AST_OPERATOR). In every operator, AST_OPTION kids come
 * first (in source order), then the operator's own parts. Examples:
 *   where P                      -> kids: P
 *   project a, b=x+1             -> kids: AST_NAME a, AST_ASSIGN(b, x+1)
 *   extend, project-away, project-keep, project-rename, project-reorder,
 *   distinct, print              -> kids: expressions / assignments
 *   summarize [aggs] [by keys]   -> kids: AST_LIST(aggs), AST_CLAUSE "by"(keys)  (both present,
 *                                   possibly empty)
 *   sort by k1 asc, k2           -> kids: AST_SORTKEY...  ("order" is canonicalized to "sort")
 *   take N / limit N             -> text "take"; kids: N
 *   top N by k desc              -> kids: N, AST_SORTKEY
 *   count                        -> no kids
 *   mv-expand [opts] c1 [to typeof(t)], c2 ... [limit N]
 *                                -> kids: options, then one AST_LIST per expanded item whose
 *                                   kids[0] is the expression (AST_ASSIGN when named) and
 *                                   kids[1], if present, is AST_TYPEOF; then AST_CLAUSE "limit"
 *   join [opts] (right) on k1, $left.a == $right.b
 *                                -> kids: options, AST_SUBQUERY right, AST_CLAUSE "on"(...)
 *                                   ("$left"/"$right" are AST_NAME)
 *   union [opts] T1, (T2 | ...)  -> kids: options, the tables
 *   parse [kind=..] X with "a" Col:type "b" *  -> kids: options, X, AST_CLAUSE "with"(literals,
 *                                   AST_COLDEF and AST_STAR in order)
 *   evaluate plugin(args)        -> kids: options, AST_CALL
 *   render chart with (...)      -> kids: AST_NAME chart, AST_CLAUSE "with"(AST_OPTION...)
 *   as [hint.materialized=true] Name, invoke f(...), getschema, serialize, consume,
 *   make-series, mv-apply, lookup, scan, range (as a source operator "range x from a to b step c"),
 *   facet, fork, sample, sample-distinct, search, find, top-nested, top-hitters, partition,
 *   make-graph, graph-match, ... -> same spirit: options, expressions, keyword clauses.
 * Source operators (datatable, print, range, union, find, search, externaldata,
 * evaluate) appear without an AST_PIPE in front of them.
 *
 * The shapes the parser gives the rest (added with the full grammar):
 *   range x from a to b step c   -> kids: AST_NAME x, AST_CLAUSE "from"(a), "to"(b), "step"(c)
 *   print a=1, 2                 -> kids: expressions / assignments
 *   project-away/-keep a*, *b, * -> kids: AST_NAME whose text may hold '*' wildcards, AST_STAR
 *   project-reorder a asc, b     -> kids: AST_NAME, or AST_SORTKEY around it when a direction is
 *                                   written (AST_SORT_GRANNY for granny-asc/granny-desc)
 *   project-by-names e1, e2      -> kids: expressions
 *   make-series [opts] aggs on Axis [from a] [to b] step s [by keys]
 *                                -> kids: options, AST_LIST of one AST_LIST per aggregate
 *                                   (kids[0]=expression or AST_ASSIGN, kids[1]=AST_CLAUSE
 *                                   "default"(value) if given), AST_CLAUSE "on"(Axis),
 *                                   "from", "to", "step" (or "in"(AST_CALL range) for the
 *                                   older "on Axis in range(a, b, s)"), "by"(keys)
 *   mv-apply [opts] items [limit N] on (ops)
 *                                -> kids: as mv-expand, then AST_CLAUSE "on"(AST_SUBQUERY)
 *   parse-kv X as (schema) with (opts) -> kids: X, AST_CLAUSE "as"(AST_SCHEMA),
 *                                   AST_CLAUSE "with"(AST_OPTION...)
 *   parse patterns               -> an untyped column is AST_COLDEF with op=AST_TYPE_NONE
 *   evaluate p(args) : (schema)  -> kids: options, AST_CALL, AST_SCHEMA if an output schema is given
 *   externaldata (schema) [urls] with (opts) -> kids: AST_SCHEMA, AST_LIST(urls), AST_CLAUSE "with"
 *   search [opts] [in (T1, T2)] P -> kids: options, AST_CLAUSE "in"(tables), P
 *   find [opts] [in (T1)] where P [project a | project-smart]
 *                                -> kids: options, "in", AST_CLAUSE "where"(P), "project"(items)
 *   sample N, sample-distinct N of c, top-hitters N of c [by e]
 *                                -> kids: options, N, AST_CLAUSE "of"(c), "by"(e)
 *   top-nested N of c [with others=v] by agg [asc|desc], top-nested ...
 *                                -> kids: one AST_LIST per level: AST_CLAUSE "top"(N) (if N),
 *                                   "of"(c), "with_others"(v), "by"(AST_SORTKEY(agg))
 *   facet by a, b [with (ops)]   -> kids: AST_CLAUSE "by"(cols), "with"(AST_SUBQUERY)
 *   fork (ops) name=(ops) ...    -> kids: AST_SUBQUERY, or AST_ASSIGN(name, AST_SUBQUERY)
 *   partition [opts] by c (ops) | { query } -> kids: options, AST_CLAUSE "by"(c), AST_SUBQUERY
 *   reduce [opts] by e [with k=v, ...] -> kids: options, "by"(e), "with"(AST_OPTION...)
 *   scan [opts] [declare (params)] with (step s [opts]: cond [=> c = e, ...]; ...)
 *                                -> kids: options, AST_CLAUSE "declare"(AST_SCHEMA),
 *                                   AST_CLAUSE "with"(one AST_CLAUSE "step" per step: kids
 *                                   AST_NAME s, options, cond, then the AST_ASSIGNs)
 *   render chart with (k=v, ycolumns=a, b) -> a bare value after an option adds a kid to it
 *   make-graph a --> b [opts] [with T on id, ...] [partitioned-by k (ops)]
 *                                -> kids: options, a, b, options, AST_CLAUSE "with"(one
 *                                   AST_LIST(table, AST_NAME key) per table),
 *                                   AST_CLAUSE "partitioned-by"(AST_NAME k, AST_SUBQUERY)
 *   graph-match / graph-shortest-paths [opts] pattern, ... [where P] [project items]
 *                                -> kids: options, one AST_CLAUSE "pattern" per pattern, then
 *                                   AST_CLAUSE "where", "project". A pattern's kids alternate
 *                                   nodes (AST_NAME, text "" when anonymous) and edges:
 *                                   AST_CLAUSE "-->", "<--" or "--" whose kids are the edge's
 *                                   AST_NAME (text "" when anonymous) and, for e*1..5, an
 *                                   AST_LIST(low, high) of long literals
 *   graph-to-table nodes [as N] [opts], edges ... -> kids: AST_CLAUSE "nodes"/"edges"
 *                                   (kids: AST_CLAUSE "as"(name), options)
 *   graph-mark-components [opts] -> kids: options
 *   macro-expand [opts] E as A (query) -> kids: options, E, AST_CLAUSE "as"(A), AST_SUBQUERY
 * Operators applied to an implicit input (inside mv-apply, fork, partition, facet) form
 * a chain whose leftmost element is an AST_OPERATOR instead of a table.
 */

enum {
    AST_SORT_ASC = 1,         /* without it: descending (Kusto's default) */
    AST_SORT_NULLS_FIRST = 2,
    AST_SORT_NULLS_LAST = 4,  /* neither flag: the default for the direction */
    AST_SORT_GRANNY = 8       /* project-reorder granny-asc / granny-desc (natural order) */
};

typedef enum ast_literal_kind {
    AST_LIT_NULL_TYPED,  /* long(null), string(null)...: text=canonical type name
                            (ast_type_name: double(null) -> "real", time(null) -> "timespan") */
    AST_LIT_BOOL,        /* text "true"/"false" */
    AST_LIT_INT,         /* int(5): text=digits */
    AST_LIT_LONG,        /* 42, long(42), 0x1F: text as written */
    AST_LIT_REAL,        /* 1.5, 1e3, real(1.5), real(nan), real(+inf) */
    AST_LIT_DECIMAL,     /* decimal(1.5) */
    AST_LIT_STRING,      /* text=decoded bytes; may contain NUL, so use text_len */
    AST_LIT_DATETIME,    /* datetime(2020-01-01 10:00): text inside the parentheses */
    AST_LIT_TIMESPAN,    /* 7d, 1.5h, 100ms: text as written; time(1.02:03:04), timespan(2d):
                            the text inside the parentheses ("1.02:03:04", "2d") */
    AST_LIT_GUID,        /* guid(...): text inside */
    AST_LIT_DYNAMIC      /* dynamic(...): text inside the parentheses, verbatim */
} ast_literal_kind;

typedef enum ast_type {
    AST_TYPE_NONE, AST_TYPE_BOOL, AST_TYPE_INT, AST_TYPE_LONG, AST_TYPE_REAL,
    AST_TYPE_DECIMAL, AST_TYPE_STRING, AST_TYPE_DATETIME, AST_TYPE_TIMESPAN,
    AST_TYPE_GUID, AST_TYPE_DYNAMIC, AST_TYPE_TABLE
} ast_type;

typedef enum ast_binop {
    AST_OP_NOT = 1000,
    AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD,
    AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE,
    AST_OP_EQ, AST_OP_NE, AST_OP_EQ_CI, AST_OP_NE_CI,            /* == != =~ !~ */
    AST_OP_AND, AST_OP_OR,
    AST_OP_IN, AST_OP_NOTIN, AST_OP_IN_CI, AST_OP_NOTIN_CI,
    /* string operators; the _CS variants are case-sensitive, the ! forms negate */
    AST_OP_CONTAINS, AST_OP_NOTCONTAINS, AST_OP_CONTAINS_CS, AST_OP_NOTCONTAINS_CS,
    AST_OP_HAS, AST_OP_NOTHAS, AST_OP_HAS_CS, AST_OP_NOTHAS_CS,
    AST_OP_HASPREFIX, AST_OP_NOTHASPREFIX, AST_OP_HASPREFIX_CS, AST_OP_NOTHASPREFIX_CS,
    AST_OP_HASSUFFIX, AST_OP_NOTHASSUFFIX, AST_OP_HASSUFFIX_CS, AST_OP_NOTHASSUFFIX_CS,
    AST_OP_STARTSWITH, AST_OP_NOTSTARTSWITH, AST_OP_STARTSWITH_CS, AST_OP_NOTSTARTSWITH_CS,
    AST_OP_ENDSWITH, AST_OP_NOTENDSWITH, AST_OP_ENDSWITH_CS, AST_OP_NOTENDSWITH_CS,
    AST_OP_MATCHES_REGEX,
    AST_OP_HAS_ANY, AST_OP_HAS_ALL                           /* x has_any (list): as AST_IN */
} ast_binop;

typedef struct ast_node ast_node;
struct ast_node {
    ast_kind kind;
    int op;              /* ast_binop, ast_literal_kind, ast_type, AST_SORT_* or a char */
    char *text;          /* NUL-terminated; owned by the node; NULL when unused */
    size_t text_len;     /* length of text (string literals may hold NUL bytes) */
    ast_loc loc;
    ast_node **kids;     /* owned array of owned children */
    size_t nkids;
};

/* Constructors used by the parser. Every ast_new* returns a node owned by the
 * caller (in practice: by the parent it is added to); NULL only on out of memory. */
ast_node *ast_new(ast_kind kind, int op, const char *text, size_t text_len, ast_loc loc);
void ast_add(ast_node *parent, ast_node *kid);      /* parent takes ownership of kid */
void ast_free(ast_node *node);                      /* frees node and subtree; NULL ok */

/* Lookups used by the binder. */
const ast_node *ast_clause(const ast_node *op, const char *keyword);  /* AST_CLAUSE or NULL */
const ast_node *ast_option(const ast_node *op, const char *name);     /* AST_OPTION or NULL */
const char *ast_kind_name(ast_kind kind);
const char *ast_binop_text(int op);                 /* "==", "contains", "!in", ... */
const char *ast_type_name(ast_type type);           /* "long", "string", ... */

/* Writes a one-line S-expression of the tree, for tests and --dump-ast. */
void ast_dump(const ast_node *node, char **out, size_t *len);

#endif
