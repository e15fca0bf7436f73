/* plan.h - the bound plan: what the binder makes of the syntax tree.
 *
 * Binding resolves every name (tables, columns, let bindings, functions),
 * checks and computes types, and names output columns the way Kusto does.
 * What comes out is a tree of plan operators, each with its output schema,
 * whose expressions refer to input columns by index. Executing a plan
 * (exec.c and the op_*.c files) never looks at the AST again, except for
 * source positions in error messages.
 */
#ifndef KQL_PLAN_H
#define KQL_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include "aggregates.h"
#include "arena.h"
#include "ast.h"
#include "functions.h"
#include "table.h"
#include "value.h"

/* ---- bound scalar expressions ---- */

typedef enum bexpr_kind {
    BX_CONST,      /* value (bytes in the plan's arena) */
    BX_COLUMN,     /* column of the input table */
    BX_NEG,        /* -args[0] */
    BX_NOT,        /* not(args[0]); null stays null */
    BX_ARITH,      /* op: AST_OP_ADD .. AST_OP_MOD */
    BX_COMPARE,    /* op: AST_OP_LT .. AST_OP_NE_CI */
    BX_AND, BX_OR, /* three-valued logic */
    BX_STRING_OP,  /* op: contains, has, startswith, ... (and their negations) */
    BX_IN,         /* op: AST_OP_IN .. NOTIN_CI; args[0] the value, args[1..] the list */
    BX_BETWEEN,    /* negate: !between; args: value, low, high */
    BX_CALL,       /* fn(args) */
    BX_MEMBER,     /* dynamic args[0] property `key` */
    BX_INDEX,      /* dynamic args[0][args[1]] (string key or number index) */
    BX_WINDOW      /* op: a window function over serialized rows (window.h) */
} bexpr_kind;

typedef struct bexpr bexpr;
struct bexpr {
    bexpr_kind kind;
    kql_type type;             /* static result type */
    int op;
    bool negate;               /* BX_BETWEEN */
    kql_value constant;        /* BX_CONST */
    int column;                /* BX_COLUMN */
    const kql_function *fn;    /* BX_CALL */
    const char *key;           /* BX_MEMBER, in the plan's arena */
    size_t key_len;
    bexpr **args;
    size_t nargs;
    ast_loc loc;
};

/* ---- plan operators ---- */

typedef enum plan_kind {
    PLAN_TABLE,       /* a catalog table */
    PLAN_LET_REF,     /* the result of a tabular let (shared, computed once) */
    PLAN_DATATABLE,   /* literal rows: `table` built at bind time */
    PLAN_PRINT,       /* one row of expressions over no input */
    PLAN_RANGE,       /* range x from a to b step s */
    PLAN_WHERE,
    PLAN_PROJECT,     /* the output columns: from exprs (project, extend and project-away
                         all become a list of expressions over the input) */
    PLAN_MV_EXPAND,
    PLAN_SUMMARIZE,
    PLAN_SORT,
    PLAN_TAKE,
    PLAN_COUNT,
    PLAN_JOIN,        /* join and lookup: input is the left side, join->right the right */
    PLAN_UNION,       /* union: every leg (the piped input too) is in union_->legs */
    PLAN_PARSE,       /* parse, parse-where: parse->... (parse_plan.h) */
    PLAN_MAKE_SERIES, /* make-series: series->... (series_plan.h) */
    PLAN_EVALUATE,    /* evaluate bag_unpack / pivot: evaluate->... (evaluate_plan.h) */
    PLAN_MV_APPLY     /* mv-apply: mv_apply->... (evaluate_plan.h) */
} plan_kind;

typedef struct plan_schema {
    size_t ncols;
    char **names;             /* in the plan's arena */
    kql_type *types;
    bool *hidden;
} plan_schema;

typedef struct plan_sort_key {
    bexpr *expr;
    bool asc;
    bool nulls_first;
} plan_sort_key;

typedef struct plan_aggregate {
    const kql_aggregate *agg;
    bexpr **args;
    size_t nargs;
    kql_type type;
} plan_aggregate;

typedef struct plan_expand {
    bexpr *expr;
    int replace_column;       /* output column index it replaces, or -1 to append */
    kql_type to_type;         /* `to typeof(t)`, or KQL_DYNAMIC */
} plan_expand;

typedef struct plan plan;

/* join kinds (lookup binds to LEFTOUTER or INNER with its own columns) */
typedef enum plan_join_kind {
    PLAN_JOIN_INNERUNIQUE, PLAN_JOIN_INNER, PLAN_JOIN_LEFTOUTER, PLAN_JOIN_RIGHTOUTER,
    PLAN_JOIN_FULLOUTER, PLAN_JOIN_LEFTANTI, PLAN_JOIN_RIGHTANTI, PLAN_JOIN_LEFTSEMI,
    PLAN_JOIN_RIGHTSEMI
} plan_join_kind;

/* PLAN_JOIN (bind_join.c, op_join.c); arrays in the plan's arena. */
typedef struct plan_join {
    plan_join_kind kind;
    plan *right;
    int *left_keys, *right_keys;   /* column indices, pairwise equal */
    size_t nkeys;
    int *out_cols;                 /* per output column: left column i as i, right column j as -1-j */
} plan_join;

/* PLAN_UNION (bind_join.c, op_union.c); arrays in the plan's arena. */
typedef struct plan_union {
    plan **legs;
    size_t nlegs;
    const char **leg_names;        /* withsource values, one per leg */
    int source_column;             /* output column of withsource, or -1 */
    int **col_map;                 /* [leg][output column]: the leg's column index, or -1 (null) */
} plan_union;

struct plan {
    plan_kind kind;
    plan_schema schema;       /* output columns */
    plan *input;              /* NULL for sources */
    ast_loc loc;

    kql_table *table;         /* PLAN_TABLE (borrowed from the catalog), PLAN_DATATABLE (owned) */
    struct plan_let *let;     /* PLAN_LET_REF */

    bexpr *predicate;         /* PLAN_WHERE */
    bexpr **exprs;            /* PLAN_PROJECT / PLAN_PRINT: one per output column */
    size_t nexprs;

    plan_expand *expands;     /* PLAN_MV_EXPAND */
    size_t nexpands;
    int64_t expand_limit;     /* -1: none */
    bool expand_bag_as_array; /* kind=array */
    int itemindex_column;     /* with_itemindex column index in the output, or -1 */

    bexpr **keys;             /* PLAN_SUMMARIZE group keys */
    size_t nkeys;
    plan_aggregate *aggs;
    size_t naggs;

    plan_sort_key *sort_keys; /* PLAN_SORT */
    size_t nsort_keys;
    int64_t limit;            /* PLAN_TAKE; PLAN_SORT when it came from `top` (-1: none) */

    kql_value range_from, range_to, range_step;   /* PLAN_RANGE, of the column's type */

    plan_join *join;          /* PLAN_JOIN */
    plan_union *union_;       /* PLAN_UNION */
    struct plan_parse *parse; /* PLAN_PARSE (parse_plan.h) */
    struct plan_series *series;   /* PLAN_MAKE_SERIES (series_plan.h) */
    struct plan_evaluate *evaluate;   /* PLAN_EVALUATE (evaluate_plan.h) */
    struct plan_mv_apply *mv_apply;   /* PLAN_MV_APPLY (evaluate_plan.h) */
    bool serialized;          /* serialize: its output rows are in a fixed order (window.h) */
    const char *op;           /* the operator that made it, as written ("project-away"), in the
                                 arena; NULL for sources: for "removed by" messages */
};

/* A tabular let: its plan, and its result once executed (shared by every
 * reference, freed with the plan). */
typedef struct plan_let {
    plan *body;
    kql_table *result;
} plan_let;

/* A bound query: the plans of its tabular expression statements, in order. */
typedef struct plan_query {
    kql_arena *arena;         /* names, keys and constants' bytes; owned */
    plan **results;
    size_t nresults;
    plan_let **lets;          /* every tabular let, owned, freed with the query */
    size_t nlets;
    kql_table **tables;       /* datatable literals, owned, freed with the query */
    size_t ntables;
    int64_t now;              /* ticks: --now, `set query_now`, or the clock */
    bool reads_at_bind;       /* a table was read or its columns listed while binding
                                 (toscalar, in (subquery), getschema, column_names_of,
                                 bag_unpack): what it used is not in the plans (pushdown.c) */
} plan_query;

void plan_query_free(plan_query *q);

#endif
