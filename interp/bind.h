/* bind.h - internal interface of the binder (bind.c: statements and tabular
 * operators; bind_expr.c: scalar expressions, types and column names). */
#ifndef KQL_BIND_H
#define KQL_BIND_H

#include "error.h"
#include "plan.h"

/* A name bound by `let`: a scalar expression (folded to a constant), a
 * tabular expression, or a user-defined function (bind_function.c). */
typedef struct bind_let {
    const char *name;
    bexpr *scalar;          /* NULL for tabular lets */
    plan_let *tabular;
    const ast_node *lambda; /* AST_LAMBDA of a function, borrowed from the tree */
    size_t lambda_scope;    /* the function sees lets[0..lambda_scope): those before it */
    const plan_schema *row; /* scalar that reads columns of this row (a function's
                               argument): valid only where that row is in scope */
} bind_let;

struct bind_fn_frame;       /* a function being bound (bind_function.c) */

typedef struct binder {
    const kql_catalog *catalog;
    plan_query *query;
    kql_arena *arena;       /* = query->arena */
    kql_error *err;
    bind_let *lets;         /* scope, innermost last; malloc'd, freed by bind_query */
    size_t nlets, cap_lets;
    plan *agg_plan;         /* while binding an expression over aggregates in summarize */
    const plan_schema *agg_input;   /* the summarize input, which aggregates read */
    const plan_schema *fn_row;      /* in a scalar function's body: the caller's row */
    const struct bind_fn_frame *fn_frames;   /* functions being bound, innermost first */
    size_t fn_calls;                /* function calls bound so far (each one is inlined) */
    const plan_schema *window_rows; /* the input whose rows window functions may read (window.h) */
    bool window_needs_serialize;    /* the operator allows them, but its input is not serialized */
    size_t row_subqueries;          /* mv-apply subqueries being bound: their input exists only per row */
    const plan *op_input;           /* the input of the operator being bound, whose history
                                       says which operator removed a column */
} binder;

/* Binds an expression over the columns of `in` (NULL: no columns, as in
 * print and let). Returns NULL with b->err set. */
bexpr *bind_expr(binder *b, const ast_node *n, const plan_schema *in);
/* An aggregate call inside a summarize expression (bind.c). */
bexpr *bind_nested_aggregate(binder *b, const ast_node *call);
/* Binds an expression that must be an aggregate call (summarize). */
bool bind_aggregate(binder *b, const ast_node *n, const plan_schema *in, plan_aggregate *out);

/* The column name Kusto gives an unnamed expression (x, d_a, strlen_a), or
 * NULL when it gives ColumnN. `summarize_key`: bin(x, ...) names the key x. */
const char *bind_derive_name(binder *b, const ast_node *n);
/* The aggregate's default output name: count_, sum_x, set_y. */
const char *bind_aggregate_name(binder *b, const ast_node *call, const kql_aggregate *agg);

/* Evaluates a bound expression that uses no columns, at bind time. */
bool bind_fold_constant(binder *b, bexpr *e, kql_value *out);

/* Binds a parsed query (bind.c). Returns the plan (plan_query_free) or NULL
 * with *err set. */
plan_query *bind_query(const ast_node *root, const kql_catalog *cat, int64_t now, kql_error *err);
/* Whether comparison `op` is defined between the two types (bind_expr.c). */
bool bind_types_comparable(int op, kql_type a, kql_type b);
/* The type of `a op b` for arithmetic operators, or UNKNOWN (bind_expr.c). */
kql_type bind_arith_type(int op, kql_type a, kql_type b);

/* A tabular expression: a name, a pipe, a subquery, a source operator (bind.c). */
plan *bind_tabular(binder *b, const ast_node *n);
/* A plan node of `kind` over `input`, and a schema of n columns, in the plan's arena (bind.c). */
plan *bind_new_plan(binder *b, plan_kind kind, plan *input, const ast_node *n);
/* Index of the column called name in s (NULL: no columns), or -1. */
int bind_schema_find(const plan_schema *s, const char *name);
/* Appends a column, numbering its name when taken (set_y, set_y1, as Kusto). */
void bind_schema_add_unique(binder *b, plan_schema *s, const char *name, kql_type type);
/* A `by` key of summarize or make-series (op names it in errors): `name = x`
 * or an expression named as Kusto names it (*name NULL: ColumnN). */
bexpr *bind_group_key(binder *b, const ast_node *k, const plan_schema *in, const char *op, const char **name);
void bind_schema_alloc(binder *b, plan_schema *s, size_t n);

/* join, lookup and union (bind_join.c). `in` is the piped input (NULL for a
 * union that starts a query). */
plan *bind_join(binder *b, plan *in, const ast_node *n);
plan *bind_lookup(binder *b, plan *in, const ast_node *n);
plan *bind_union(binder *b, plan *in, const ast_node *n);

/* Statements and scope (bind.c), for function bodies. */
bool bind_is_tabular(const binder *b, const ast_node *n);
bool bind_let_statement(binder *b, const ast_node *n);
void bind_push_let(binder *b, bind_let let);
plan_let *bind_new_let(binder *b, plan *body);     /* computed once, owned by the query */

/* User-defined functions, invoke, as, getschema (bind_function.c). */
/* Does `name` call a user-defined function here (or recursively one being bound)? */
bool bind_function_claims(const binder *b, const char *name);
bexpr *bind_function_scalar(binder *b, const ast_node *call, const plan_schema *in);
/* `call` (AST_CALL, or AST_NAME for a function without parameters) as a
 * table; `piped` (or NULL) is passed as the first, tabular, parameter. */
plan *bind_function_tabular(binder *b, const ast_node *call, plan *piped);
bool bind_function_let(binder *b, const ast_node *let);   /* let x = f(...) */
plan *bind_invoke(binder *b, plan *in, const ast_node *n);
plan *bind_as(binder *b, plan *in, const ast_node *n);
plan *bind_getschema(binder *b, plan *in, const ast_node *n);
/* Whether e reads columns of its row (else it can be folded to a constant). */
bool bind_expr_uses_row(const bexpr *e);
/* `let` inside a function body of e, which reads the caller's row: e stays
 * an expression (shared wherever the name is used), within a size limit. */
bool bind_push_row_let(binder *b, const ast_node *let, bexpr *e);

/* Tabular expressions in scalar places (bind_subquery.c): toscalar(T) and
 * x in (T | project y), each run once at bind time. */
bexpr *bind_toscalar(binder *b, const ast_node *call);
bexpr *bind_column_names_of(binder *b, const ast_node *call);   /* names only: T never runs */
bool bind_in_is_subquery(const binder *b, const ast_node *n, const plan_schema *in);
bexpr *bind_in_subquery(binder *b, const ast_node *n, const plan_schema *in);

/* Summarize aggregates that make several columns or name them after their
 * arguments (bind_multi.c): arg_max/arg_min, percentile(s)[w]. The most
 * columns `call` can make (0: not one of them), and the binding of an item
 * (`call` or `Name = call`, `(A, B) = call`): one plan aggregate per column
 * appended to aggs[*naggs..], with its wanted name in names[]. */
size_t bind_multi_width(const ast_node *call, const plan_schema *in);
bool bind_multi_aggregate(binder *b, const ast_node *item, const plan_schema *in, bexpr *const *keys,
                          size_t nkeys, plan_aggregate *aggs, size_t *naggs, const char **names);

/* parse and parse-where (bind_parse.c). */
plan *bind_parse(binder *b, plan *in, const ast_node *n);

/* make-series (bind_series.c). */
plan *bind_make_series(binder *b, plan *in, const ast_node *n);

/* evaluate bag_unpack / pivot (bind_evaluate.c) and mv-apply (bind_mv_apply.c). */
plan *bind_evaluate(binder *b, plan *in, const ast_node *n);
plan *bind_mv_apply(binder *b, plan *in, const ast_node *n);
/* The mv-expand of an mv-expand or mv-apply operator's items (bind.c). */
plan *bind_mv_expand_items(binder *b, plan *in, const ast_node *n);
/* One tabular operator `n` applied to `in` (bind.c). */
plan *bind_operator_on(binder *b, plan *in, const ast_node *n);

/* project-reorder (bind_reorder.c). */
plan *bind_project_reorder(binder *b, plan *in, const ast_node *n);

char *bind_strdup(binder *b, const char *s);
void *bind_alloc(binder *b, size_t n);        /* zeroed, in the plan's arena */

#endif
