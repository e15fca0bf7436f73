/* functions.h - the table of built-in scalar functions.
 *
 * Every scalar function is one entry in kql_functions[] (functions.c): its
 * name, arity, a type rule the binder calls with the argument types, and an
 * implementation the evaluator calls once per row. Adding a function is one
 * entry and one function; implementations live in fn_*.c by theme.
 */
#ifndef KQL_FUNCTIONS_H
#define KQL_FUNCTIONS_H

#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "value.h"

/* What an implementation may use while it runs. */
typedef struct kql_fn_ctx {
    kql_arena *arena;   /* results' string/dynamic bytes go here (kql_arena_dup) */
    kql_buf scratch;    /* reusable buffer; contents undefined between calls */
    int64_t now;        /* the query's now(), in ticks */
} kql_fn_ctx;

/* Result type for the given argument types. On a type mismatch: returns
 * KQL_TYPE_UNKNOWN and writes a message naming the types into err. */
typedef kql_type (*kql_fn_type_rule)(const kql_type *args, size_t n, char *err, size_t errlen);
/* Computes one row. args carry their static types (as the type rule saw
 * them); *out must get the type the rule returned (null allowed). */
typedef void (*kql_fn_eval)(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out);

typedef struct kql_function {
    const char *name;
    int min_args, max_args;   /* max_args -1: any number */
    const char *signature;    /* shown in errors: "round(number [, precision])" */
    kql_fn_type_rule result_type;
    kql_fn_eval eval;
} kql_function;

const kql_function *kql_function_find(const char *name);
/* For "did you mean": calls fn for every registered name. */
void kql_function_each_name(void (*fn)(const char *name, void *arg), void *arg);

#endif
