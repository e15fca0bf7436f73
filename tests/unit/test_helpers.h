/* test_helpers.h - what the function and aggregate tests share: a function
 * context over a fresh arena, value builders, calling a function through the
 * registry, and result checks. Included by one test file each, so
 * everything is static.
 */
#ifndef KQL_TEST_HELPERS_H
#define KQL_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "dynamic.h"
#include "functions.h"

static kql_fn_ctx ctx;
static kql_buf text_buf;   /* the text a check compares */

/* The suite's .init: a context whose now() is 0001-01-01. */
static void ctx_open(void)
{
    ctx.arena = kql_arena_new();
    kql_buf_init(&ctx.scratch);
    kql_buf_init(&text_buf);
    ctx.now = 0;
}

/* The suite's .fini. */
static void ctx_close(void)
{
    kql_arena_release(ctx.arena);
    kql_buf_free(&ctx.scratch);
    kql_buf_free(&text_buf);
}

static kql_value S(const char *s)
{
    return kql_string(s, strlen(s));
}

/* dynamic(json) with its bytes in the test arena */
static kql_value DYN(const char *json)
{
    kql_buf b;
    size_t bad;
    kql_buf_init(&b);
    cr_assert(kql_dyn_from_json(json, strlen(json), &b, &bad), "bad JSON %s", json);
    kql_value v = kql_dyn_value((kql_dyn)kql_arena_dup(ctx.arena, b.data, b.len));
    kql_buf_free(&b);
    return v;
}

static void assert_long(kql_value v, int64_t want)
{
    cr_assert(!v.is_null, "got null, want %lld", (long long)want);
    cr_assert_eq(v.u.i, want, "got %lld, want %lld", (long long)v.u.i, (long long)want);
}

static void assert_real(kql_value v, double want)
{
    cr_assert_eq(v.type, KQL_REAL);
    cr_assert(!v.is_null, "got null, want %g", want);
    if (isnan(want))
        cr_assert(isnan(v.u.r));
    else if (isinf(want))
        cr_assert_eq(v.u.r, want);
    else
        cr_assert(fabs(v.u.r - want) <= 1e-12 * fmax(1.0, fabs(want)), "got %.17g, want %.17g",
                  v.u.r, want);
}

/* Dynamic results compare as JSON text (keys in insertion order). */
static void assert_json(kql_value v, const char *want)
{
    cr_assert_eq(v.type, KQL_DYNAMIC);
    cr_assert(!v.is_null, "got null, want %s", want);
    kql_buf_clear(&text_buf);
    kql_dyn_to_json((kql_dyn)v.u.s.ptr, &text_buf);
    cr_assert_str_eq(kql_buf_cstr(&text_buf), want);
}

/* Calls a registered function as the evaluator does: arity and type rule
 * first, then eval; the result must have the type the rule promised. */
static inline kql_value call(const char *name, size_t n, const kql_value *args)
{
    const kql_function *f = kql_function_find(name);
    cr_assert(f, "%s is not registered", name);
    cr_assert(n >= (size_t)f->min_args && (f->max_args < 0 || n <= (size_t)f->max_args),
              "%s: arity %zu", name, n);
    kql_type types[70];
    for (size_t i = 0; i < n; i++)
        types[i] = args[i].type;
    char err[256] = "";
    kql_type rt = f->result_type(types, n, err, sizeof err);
    cr_assert_neq(rt, KQL_TYPE_UNKNOWN, "%s: %s", name, err);
    kql_value out;
    f->eval(&ctx, args, n, &out);
    cr_assert_eq(out.type, rt, "%s returned %s, its rule said %s", name, kql_type_name(out.type),
                 kql_type_name(rt));
    return out;
}

#define NARGS(...) (sizeof((kql_value[]){ __VA_ARGS__ }) / sizeof(kql_value))
#define CALL(name, ...) call(name, NARGS(__VA_ARGS__), (kql_value[]){ __VA_ARGS__ })

static inline void assert_str(kql_value v, const char *want)
{
    cr_assert_eq(v.type, KQL_STRING);
    cr_assert(!v.is_null);
    cr_assert(v.u.s.len == strlen(want) && memcmp(v.u.s.ptr, want, v.u.s.len) == 0,
              "got \"%.*s\", want \"%s\"", (int)v.u.s.len, v.u.s.ptr, want);
}

static inline void assert_bool(kql_value v, bool want)
{
    cr_assert_eq(v.type, KQL_BOOL);
    cr_assert(!v.is_null, "got null, want %d", want);
    cr_assert_eq(v.u.b, want);
}

#endif
