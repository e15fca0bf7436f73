/* eval.c - evaluating bound expressions, one column at a time.
 *
 * Each node evaluates its arguments into columns (or reads a constant
 * directly), then runs one loop over the rows. Values are unwrapped from
 * dynamic where an operator needs a scalar: `d.result != "notApplied"`
 * compares the string inside the dynamic. Null handling is Kusto's: nulls
 * are sticky in arithmetic and ordering, == with one null is false and !=
 * true, and `and`/`or` are three-valued.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "dynamic.h"
#include "eval.h"
#include "eval_strings.h"
#include "window.h"

/* An argument: a column, or a constant that needs no bytes kept alive. */
typedef struct arg_src {
    kql_column *col;
    kql_value k;
} arg_src;

static inline kql_value arg_get(const arg_src *a, size_t row)
{
    return a->col ? kql_column_get(a->col, row) : a->k;
}

static void arg_eval(const eval_ctx *ctx, const bexpr *e, const kql_table *in, arg_src *out)
{
    if (e->kind == BX_CONST && e->type != KQL_STRING && e->type != KQL_DYNAMIC) {
        out->col = NULL;
        out->k = e->constant;
    } else {
        out->col = eval_expr(ctx, e, in);
    }
}

kql_value eval_unwrap_dynamic(const kql_value *v)
{
    if (v->type != KQL_DYNAMIC) return *v;
    if (v->is_null) return kql_null(KQL_DYNAMIC);
    return kql_dyn_to_scalar((kql_dyn)v->u.s.ptr);
}

static bool is_intlike(kql_type t) { return t == KQL_INT || t == KQL_LONG; }
static bool is_num(kql_type t) { return is_intlike(t) || t == KQL_REAL; }

static double as_real(const kql_value *v)
{
    return v->type == KQL_REAL ? v->u.r : (double)v->u.i;
}

/* A string that is wholly a number (as Kusto compares "1003" == 1003). */
static bool string_as_number(const kql_value *s, double *out)
{
    char buf[64];
    if (s->u.s.len == 0 || s->u.s.len >= sizeof buf) return false;
    memcpy(buf, s->u.s.ptr, s->u.s.len);
    buf[s->u.s.len] = '\0';
    char *end;
    *out = strtod(buf, &end);
    return end != buf && *end == '\0';
}

/* Three-way comparison of two non-null scalars; false when they cannot be ordered. */
static bool order_values(const kql_value *a, const kql_value *b, int *cmp)
{
    if (is_num(a->type) && is_num(b->type)) {
        if (is_intlike(a->type) && is_intlike(b->type)) *cmp = (a->u.i > b->u.i) - (a->u.i < b->u.i);
        else {
            double x = as_real(a), y = as_real(b);
            if (isnan(x) || isnan(y)) return false;
            *cmp = (x > y) - (x < y);
        }
        return true;
    }
    if (a->type == KQL_STRING && b->type == KQL_STRING) {
        size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
        int c = n ? memcmp(a->u.s.ptr, b->u.s.ptr, n) : 0;
        *cmp = c ? (c > 0) - (c < 0) : (a->u.s.len > b->u.s.len) - (a->u.s.len < b->u.s.len);
        return true;
    }
    if (a->type == b->type && (a->type == KQL_DATETIME || a->type == KQL_TIMESPAN)) {
        *cmp = (a->u.i > b->u.i) - (a->u.i < b->u.i);
        return true;
    }
    if (a->type == KQL_BOOL && b->type == KQL_BOOL) {
        *cmp = (int)a->u.b - (int)b->u.b;
        return true;
    }
    if (a->type == KQL_GUID && b->type == KQL_GUID) {
        int c = memcmp(a->u.g.b, b->u.g.b, 16);
        *cmp = (c > 0) - (c < 0);
        return true;
    }
    double x;
    if (a->type == KQL_STRING && is_num(b->type) && string_as_number(a, &x)) {
        kql_value ra = kql_real(x);
        return order_values(&ra, b, cmp);
    }
    if (is_num(a->type) && b->type == KQL_STRING && string_as_number(b, &x)) {
        kql_value rb = kql_real(x);
        return order_values(a, &rb, cmp);
    }
    return false;
}

int eval_equal(const kql_value *a0, const kql_value *b0, bool ignore_case)
{
    kql_value a = eval_unwrap_dynamic(a0), b = eval_unwrap_dynamic(b0);
    if (a.is_null && b.is_null) return -1;
    if (a.is_null || b.is_null) return 0;
    if (a.type == KQL_STRING && b.type == KQL_STRING)
        return a.u.s.len == b.u.s.len &&
               (ignore_case ? eval_str_equal_ci(a.u.s.ptr, b.u.s.ptr, a.u.s.len)
                            : memcmp(a.u.s.ptr, b.u.s.ptr, a.u.s.len) == 0);
    if (a.type == KQL_GUID && b.type == KQL_STRING) {
        kql_guid g;
        return kql_guid_parse(b.u.s.ptr, b.u.s.len, &g) && memcmp(g.b, a.u.g.b, 16) == 0;
    }
    if (a.type == KQL_STRING && b.type == KQL_GUID) return eval_equal(&b, &a, ignore_case);
    int cmp;
    if (order_values(&a, &b, &cmp)) return cmp == 0;
    return 0;
}

static kql_value compare_row(int op, const kql_value *a, const kql_value *b)
{
    int eq;
    switch (op) {
    case AST_OP_EQ: case AST_OP_EQ_CI:
        eq = eval_equal(a, b, op == AST_OP_EQ_CI);
        return eq < 0 ? kql_null(KQL_BOOL) : kql_bool(eq);
    case AST_OP_NE: case AST_OP_NE_CI:
        eq = eval_equal(a, b, op == AST_OP_NE_CI);
        return eq < 0 ? kql_null(KQL_BOOL) : kql_bool(!eq);
    default: {
        kql_value x = eval_unwrap_dynamic(a), y = eval_unwrap_dynamic(b);
        int c;
        if (x.is_null || y.is_null || !order_values(&x, &y, &c)) return kql_null(KQL_BOOL);
        switch (op) {
        case AST_OP_LT: return kql_bool(c < 0);
        case AST_OP_LE: return kql_bool(c <= 0);
        case AST_OP_GT: return kql_bool(c > 0);
        default: return kql_bool(c >= 0);
        }
    }
    }
}

/* ---- arithmetic ---- */

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static kql_value long_op(int op, int64_t x, int64_t y, kql_type t)
{
    kql_value r = { .type = t };
    switch (op) {
    case AST_OP_ADD: r.u.i = wrap_add(x, y); break;
    case AST_OP_SUB: r.u.i = wrap_sub(x, y); break;
    case AST_OP_MUL: r.u.i = wrap_mul(x, y); break;
    case AST_OP_DIV:
        if (y == 0) return kql_null(t);
        r.u.i = (x == INT64_MIN && y == -1) ? INT64_MIN : x / y;   /* truncates, as Kusto */
        break;
    default:
        if (y == 0) return kql_null(t);
        if (y == -1) { r.u.i = 0; break; }
        r.u.i = x % y;
        /* Kusto's % is never negative. Unsigned: |y| may be 2^63, while the
         * sum, below |y|, fits. */
        if (r.u.i < 0) r.u.i = (int64_t)((uint64_t)r.u.i + (y < 0 ? -(uint64_t)y : (uint64_t)y));
        break;
    }
    return r;
}

static kql_value real_op(int op, double x, double y)
{
    switch (op) {
    case AST_OP_ADD: return kql_real(x + y);
    case AST_OP_SUB: return kql_real(x - y);
    case AST_OP_MUL: return kql_real(x * y);
    case AST_OP_DIV: return kql_real(x / y);
    default: {
        double r = fmod(x, y);
        if (r < 0) r += fabs(y);
        return kql_real(r);
    }
    }
}

/* a op b for non-null scalars whose result type is t (bind_arith_type). */
static kql_value arith_row(int op, const kql_value *a, const kql_value *b, kql_type t)
{
    if (t == KQL_LONG) return long_op(op, a->u.i, b->u.i, KQL_LONG);
    if (t == KQL_REAL) {
        if (a->type == KQL_TIMESPAN) return kql_real((double)a->u.i / (double)b->u.i);
        return real_op(op, as_real(a), as_real(b));
    }
    if (t == KQL_DATETIME) {
        /* datetimes span 0001-01-01 to 9999-12-31; past either end is null, not a wrap */
        int64_t r;
        bool overflow = op == AST_OP_SUB ? __builtin_sub_overflow(a->u.i, b->u.i, &r)
                                         : __builtin_add_overflow(a->u.i, b->u.i, &r);
        if (overflow || r < 0 || r > KQL_MAX_DATETIME_TICKS) return kql_null(KQL_DATETIME);
        return kql_datetime(r);
    }
    /* timespan */
    if (a->type == KQL_DATETIME && b->type == KQL_DATETIME) return kql_timespan(wrap_sub(a->u.i, b->u.i));
    if (a->type == KQL_TIMESPAN && b->type == KQL_TIMESPAN) return long_op(op, a->u.i, b->u.i, KQL_TIMESPAN);
    const kql_value *ts = a->type == KQL_TIMESPAN ? a : b;
    const kql_value *num = a->type == KQL_TIMESPAN ? b : a;
    if (op == AST_OP_DIV && num->type != KQL_REAL) return long_op(op, ts->u.i, num->u.i, KQL_TIMESPAN);
    double r = op == AST_OP_DIV ? (double)ts->u.i / as_real(num) : (double)ts->u.i * as_real(num);
    if (!isfinite(r) || fabs(r) >= 9.2e18) return kql_null(KQL_TIMESPAN);
    return kql_timespan((int64_t)llround(r));
}

/* Converts a computed value to the node's static type (a dynamic operand may
 * have produced a real where the binder promised a long, and so on). */
static kql_value to_static_type(kql_value v, kql_type t, kql_buf *scratch)
{
    if (v.is_null) return kql_null(t);
    if (v.type == t) return v;
    if (t == KQL_REAL && is_intlike(v.type)) return kql_real((double)v.u.i);
    if (t == KQL_LONG && v.type == KQL_REAL) {
        if (!isfinite(v.u.r) || fabs(v.u.r) >= 9.2e18) return kql_null(t);
        return kql_long((int64_t)v.u.r);
    }
    if (t == KQL_LONG && v.type == KQL_INT) return kql_long(v.u.i);
    if (t == KQL_DYNAMIC) {
        kql_buf_clear(scratch);
        kql_dyn_put_value(scratch, &v);
        kql_value d = { .type = KQL_DYNAMIC };
        d.u.s.ptr = scratch->data;
        d.u.s.len = (uint32_t)scratch->len;
        return d;
    }
    return kql_null(t);
}

static kql_value arith_dynamic(int op, const kql_value *a0, const kql_value *b0, kql_type t, kql_buf *scratch)
{
    kql_value a = eval_unwrap_dynamic(a0), b = eval_unwrap_dynamic(b0);
    if (a.is_null || b.is_null) return kql_null(t);
    kql_type rt = bind_arith_type(op, a.type, b.type);
    if (rt == KQL_TYPE_UNKNOWN || rt == KQL_DYNAMIC) return kql_null(t);
    return to_static_type(arith_row(op, &a, &b, rt), t, scratch);
}

static kql_value neg_row(const kql_value *v0, kql_type t, kql_buf *scratch)
{
    kql_value v = eval_unwrap_dynamic(v0);
    if (v.is_null) return kql_null(t);
    kql_value r;
    if (v.type == KQL_REAL) r = kql_real(-v.u.r);
    else if (is_intlike(v.type)) r = kql_long(wrap_sub(0, v.u.i));
    else if (v.type == KQL_TIMESPAN) r = kql_timespan(wrap_sub(0, v.u.i));
    else return kql_null(t);
    return to_static_type(r, t, scratch);
}

/* ---- membership ---- */

/* x has_any/has_all (terms...): term matching as `has`, over each item or
 * each element of a dynamic array item. */
static kql_value has_any_row(const bexpr *e, const arg_src *args, size_t row, kql_buf *texts)
{
    bool all = e->op == AST_OP_HAS_ALL;
    kql_value v = arg_get(&args[0], row);
    if (v.is_null) return kql_bool(false);
    kql_str hay = eval_text(&v, &texts[0]);
    for (size_t i = 1; i < e->nargs; i++) {
        kql_value item = arg_get(&args[i], row);
        kql_dyn d = item.type == KQL_DYNAMIC && !item.is_null ? (kql_dyn)item.u.s.ptr : NULL;
        bool is_array = d && kql_dyn_tag_of(d) == KQL_DYN_ARRAY;
        uint32_t n = is_array ? kql_dyn_count(d) : 1;
        kql_dyn el = is_array ? kql_dyn_first(d) : NULL;
        for (uint32_t k = 0; k < n; k++) {
            kql_value term = is_array ? kql_dyn_value(el) : item;
            if (is_array) el = kql_dyn_next(el);
            bool hit = eval_string_op(AST_OP_HAS, hay, eval_text(&term, &texts[1]));
            if (hit && !all) return kql_bool(true);
            if (!hit && all) return kql_bool(false);
        }
    }
    return kql_bool(all);
}

static kql_value in_row(const bexpr *e, const arg_src *args, size_t row)
{
    bool negate = e->op == AST_OP_NOTIN || e->op == AST_OP_NOTIN_CI;
    bool ci = e->op == AST_OP_IN_CI || e->op == AST_OP_NOTIN_CI;
    kql_value v = arg_get(&args[0], row);
    if (v.is_null) return kql_bool(negate);
    for (size_t i = 1; i < e->nargs; i++) {
        kql_value item = arg_get(&args[i], row);
        if (item.type == KQL_DYNAMIC && !item.is_null &&
            kql_dyn_tag_of((kql_dyn)item.u.s.ptr) == KQL_DYN_ARRAY) {   /* in (dynamic([1,2])) */
            kql_dyn d = (kql_dyn)item.u.s.ptr;
            uint32_t n = kql_dyn_count(d);
            kql_dyn el = kql_dyn_first(d);
            for (uint32_t k = 0; k < n; k++, el = kql_dyn_next(el)) {
                kql_value ev = kql_dyn_value(el);
                if (eval_equal(&v, &ev, ci) == 1) return kql_bool(!negate);
            }
            continue;
        }
        if (eval_equal(&v, &item, ci) == 1) return kql_bool(!negate);
    }
    return kql_bool(negate);
}

/* ---- dynamic access ---- */

static kql_value dyn_at(const kql_value *base, kql_dyn (*lookup)(kql_dyn, const void *, size_t), const void *k, size_t kl)
{
    if (base->is_null) return kql_null(KQL_DYNAMIC);
    kql_dyn d = lookup((kql_dyn)base->u.s.ptr, k, kl);
    return d ? kql_dyn_value(d) : kql_null(KQL_DYNAMIC);
}

static kql_dyn lookup_key(kql_dyn d, const void *k, size_t kl)
{
    return kql_dyn_tag_of(d) == KQL_DYN_OBJECT ? kql_dyn_get(d, k, kl) : NULL;
}

static kql_dyn lookup_index(kql_dyn d, const void *k, size_t kl)
{
    (void)kl;
    return kql_dyn_tag_of(d) == KQL_DYN_ARRAY ? kql_dyn_index(d, *(const int64_t *)k) : NULL;
}

static kql_value index_row(const kql_value *base, const kql_value *idx0)
{
    kql_value idx = eval_unwrap_dynamic(idx0);
    if (idx.is_null) return kql_null(KQL_DYNAMIC);
    if (is_intlike(idx.type)) return dyn_at(base, lookup_index, &idx.u.i, sizeof idx.u.i);
    if (idx.type == KQL_STRING) return dyn_at(base, lookup_key, idx.u.s.ptr, idx.u.s.len);
    return kql_null(KQL_DYNAMIC);
}

/* ---- the driver ---- */

static bool points_into(const kql_buf *b, const char *p)
{
    return b->data && p >= b->data && p < b->data + b->cap;
}

static void push_result(kql_column *out, kql_value *v)
{
    if (v->is_null) kql_column_push_null(out);   /* a string column stores "" (column.h) */
    else kql_column_push_borrowed(out, v);
}

kql_column *eval_expr(const eval_ctx *ctx, const bexpr *e, const kql_table *in)
{
    size_t n = in->nrows;
    if (e->kind == BX_CONST) return kql_column_repeat(&e->constant, e->type, n);
    if (e->kind == BX_COLUMN) return kql_column_retain(in->cols[e->column]);
    if (e->kind == BX_WINDOW) return eval_window(ctx, e, in);

    arg_src stack_args[8];
    arg_src *args = e->nargs <= 8 ? stack_args : malloc(e->nargs * sizeof *args);  /* freed below */
    kql_column *out = kql_column_new(e->type, n);
    for (size_t i = 0; i < e->nargs; i++) {
        arg_eval(ctx, e->args[i], in, &args[i]);
        if (args[i].col) kql_column_borrow(out, args[i].col);   /* results may point into args */
    }
    kql_buf scratch;
    kql_buf_init(&scratch);
    kql_buf texts[2];
    kql_buf_init(&texts[0]);
    kql_buf_init(&texts[1]);
    kql_fn_ctx fctx = { .arena = kql_column_arena(out), .now = ctx->now };
    kql_buf_init(&fctx.scratch);
    kql_value vals_stack[8];
    kql_value *vals = e->nargs <= 8 ? vals_stack : malloc(e->nargs * sizeof *vals);  /* freed below */

    for (size_t row = 0; row < n; row++) {
        kql_value r;
        switch (e->kind) {
        case BX_NEG: {
            kql_value a = arg_get(&args[0], row);
            r = neg_row(&a, e->type, &scratch);
            if (r.type == KQL_DYNAMIC && !r.is_null) { kql_column_push(out, &r); continue; }
            break;
        }
        case BX_ARITH: {
            kql_value a = arg_get(&args[0], row), b = arg_get(&args[1], row);
            if (a.type == KQL_DYNAMIC || b.type == KQL_DYNAMIC) {
                r = arith_dynamic(e->op, &a, &b, e->type, &scratch);
                if (r.type == KQL_DYNAMIC && !r.is_null) { kql_column_push(out, &r); continue; }
            } else if (a.is_null || b.is_null) {
                r = kql_null(e->type);
            } else {
                r = to_static_type(arith_row(e->op, &a, &b, e->type), e->type, &scratch);
            }
            break;
        }
        case BX_NOT: {
            kql_value a = arg_get(&args[0], row);
            r = a.is_null ? kql_null(KQL_BOOL) : kql_bool(!a.u.b);
            break;
        }
        case BX_COMPARE: {
            kql_value a = arg_get(&args[0], row), b = arg_get(&args[1], row);
            r = compare_row(e->op, &a, &b);
            break;
        }
        case BX_AND: case BX_OR: {
            kql_value a = arg_get(&args[0], row), b = arg_get(&args[1], row);
            bool dominant = e->kind == BX_OR;   /* true decides `or`, false decides `and` */
            if ((!a.is_null && a.u.b == dominant) || (!b.is_null && b.u.b == dominant)) r = kql_bool(dominant);
            else if (a.is_null || b.is_null) r = kql_null(KQL_BOOL);
            else r = kql_bool(!dominant);
            break;
        }
        case BX_STRING_OP: {
            kql_value a = arg_get(&args[0], row), b = arg_get(&args[1], row);
            kql_str sa = eval_text(&a, &texts[0]), sb = eval_text(&b, &texts[1]);
            r = kql_bool(eval_string_op(e->op, sa, sb));
            break;
        }
        case BX_IN:
            r = (e->op == AST_OP_HAS_ANY || e->op == AST_OP_HAS_ALL) ? has_any_row(e, args, row, texts)
                                                                     : in_row(e, args, row);
            break;
        case BX_BETWEEN: {
            kql_value v = arg_get(&args[0], row), lo = arg_get(&args[1], row), hi = arg_get(&args[2], row);
            kql_value ge = compare_row(AST_OP_GE, &v, &lo), le = compare_row(AST_OP_LE, &v, &hi);
            if (ge.is_null || le.is_null) r = kql_null(KQL_BOOL);
            else r = kql_bool((ge.u.b && le.u.b) != e->negate);
            break;
        }
        case BX_CALL:
            for (size_t i = 0; i < e->nargs; i++) vals[i] = arg_get(&args[i], row);
            r = kql_null(e->type);
            e->fn->eval(&fctx, vals, e->nargs, &r);
            if (!r.is_null && r.type != e->type) r = to_static_type(r, e->type, &scratch);
            if ((r.type == KQL_DYNAMIC || r.type == KQL_STRING) && !r.is_null && r.u.s.len &&
                (points_into(&scratch, r.u.s.ptr) || points_into(&fctx.scratch, r.u.s.ptr))) {
                kql_column_push(out, &r);   /* scratch is reused next row: copy */
                continue;
            }
            break;
        case BX_MEMBER: {
            kql_value base = arg_get(&args[0], row);
            r = dyn_at(&base, lookup_key, e->key, e->key_len);
            break;
        }
        case BX_INDEX: {
            kql_value base = arg_get(&args[0], row), idx = arg_get(&args[1], row);
            r = index_row(&base, &idx);
            break;
        }
        default:
            r = kql_null(e->type);
            break;
        }
        push_result(out, &r);
    }

    for (size_t i = 0; i < e->nargs; i++) kql_column_release(args[i].col);
    if (args != stack_args) free(args);
    if (vals != vals_stack) free(vals);
    kql_buf_free(&scratch);
    kql_buf_free(&texts[0]);
    kql_buf_free(&texts[1]);
    kql_buf_free(&fctx.scratch);
    return out;
}
