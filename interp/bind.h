/* bind.h - internal interface of the binder (bind.c: statements and tabular
 * operators; bind_expr.c: scalar expressions, types and column names). */
#ifndef KQL_BIND_H
#define KQL_BIND_H

#include "error.h"
#include "plan.h"

/* A name bound by `let`: a scalar expression (folded to a constant) or a
 * tabular expression. */
typedef struct bind_let {
    const char *name;
    bexpr *scalar;          /* NULL for tabular lets */
    plan_let *tabular;
} bind_let;

typedef struct binder {
    const kql_catalog *catalog;
    plan_query *query;
    kql_arena *arena;       /* = query->arena */
    kql_error *err;
    bind_let *lets;         /* scope, innermost last; malloc'd, freed by bind_query */
    size_t nlets, cap_lets;
    plan *agg_plan;         /* while binding an expression over aggregates in summarize */
    const plan_schema *agg_input;   /* the summarize input, which aggregates read */
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
/* The type of `a op b` for arithmetic operators, or UNKNOWN (bind_expr.c). */
kql_type bind_arith_type(int op, kql_type a, kql_type b);

char *bind_strdup(binder *b, const char *s);
void *bind_alloc(binder *b, size_t n);        /* zeroed, in the plan's arena */

#endif
