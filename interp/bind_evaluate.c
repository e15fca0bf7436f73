/* bind_evaluate.c - binding `evaluate` plugins: bag_unpack (and its typed
 * form `: (a:long, *)`).
 *
 * Without an output schema, bag_unpack's columns are the properties its
 * bags hold, which only the data tells. The binder fixes every schema before
 * anything runs, so it runs the input here (as toscalar does), reads the
 * property names and types off the result, and keeps that table in the plan
 * for op_evaluate.c, so the input is not computed twice.
 */
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "dynamic.h"
#include "evaluate_plan.h"
#include "exec.h"

/* Kusto has no documented limit; a bound keeps a table of junk bags from
 * becoming a table of millions of columns. */
#define BAG_UNPACK_MAX_COLUMNS 4096

/* Runs `in` now and keeps the table with the query (freed with it). */
static const kql_table *evaluate_run_input(binder *b, plan *in, const ast_node *n, const char *plugin)
{
    if (b->row_subqueries) {
        kql_error_set(b->err, &n->loc,
                      "evaluate %s inside mv-apply needs an output schema: evaluate %s(...) : (Name:type, ...)",
                      plugin, plugin);
        return NULL;
    }
    b->query->reads_at_bind = true;
    exec_ctx x = { .eval = { .now = b->query->now }, .err = b->err };
    kql_table *t = exec_plan(&x, in);
    if (!t) return NULL;
    plan_query *q = b->query;
    q->tables = realloc(q->tables, (q->ntables + 1) * sizeof *q->tables);
    q->tables[q->ntables++] = t;
    return t;
}

/* A constant argument of the plugin, folded. */
static bool evaluate_const_arg(binder *b, const ast_node *arg, kql_type want, const char *what, kql_value *out)
{
    bexpr *e = bind_expr(b, arg, NULL);
    if (!e) return false;
    bind_fold_constant(b, e, out);
    if (e->type != want || out->is_null) {
        kql_error_set(b->err, &arg->loc, "bag_unpack: %s must be a %s constant", what, kql_type_name(want));
        return false;
    }
    return true;
}

/* ---- collecting the bags' properties ---- */

typedef struct bag_key {
    char *name;          /* in the plan's arena */
    kql_type type;       /* KQL_TYPE_UNKNOWN until a non-null value is seen */
} bag_key;

typedef struct bag_keys {
    bag_key *keys;       /* malloc'd */
    size_t n, cap;
    size_t *slots;       /* open hash of 1 + index into keys (0: empty); malloc'd */
    size_t nslots;
} bag_keys;

static uint64_t bag_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
    return h;
}

static void bag_keys_free(bag_keys *k)
{
    free(k->keys);
    free(k->slots);
}

/* The key's index, added when new; -1 past the column limit. */
static long bag_keys_find(binder *b, bag_keys *k, kql_str key)
{
    if (k->nslots == 0 || (k->n + 1) * 2 > k->nslots) {
        size_t nslots = k->nslots ? k->nslots * 2 : 64;
        size_t *slots = calloc(nslots, sizeof *slots);
        for (size_t i = 0; i < k->n; i++) {
            size_t s = bag_hash(k->keys[i].name, strlen(k->keys[i].name)) & (nslots - 1);
            while (slots[s]) s = (s + 1) & (nslots - 1);
            slots[s] = i + 1;
        }
        free(k->slots);
        k->slots = slots;
        k->nslots = nslots;
    }
    size_t s = bag_hash(key.ptr, key.len) & (k->nslots - 1);
    for (; k->slots[s]; s = (s + 1) & (k->nslots - 1)) {
        const char *name = k->keys[k->slots[s] - 1].name;
        if (strlen(name) == key.len && memcmp(name, key.ptr, key.len) == 0) return (long)k->slots[s] - 1;
    }
    if (k->n == BAG_UNPACK_MAX_COLUMNS) return -1;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 16;
        k->keys = realloc(k->keys, k->cap * sizeof *k->keys);
    }
    k->keys[k->n] = (bag_key){ .name = kql_arena_dup(b->arena, key.ptr, key.len), .type = KQL_TYPE_UNKNOWN };
    k->slots[s] = ++k->n;
    return (long)k->n - 1;
}

/* The column type a property value asks for. */
static kql_type bag_value_type(kql_dyn v)
{
    switch (kql_dyn_tag_of(v)) {
    case KQL_DYN_FALSE: case KQL_DYN_TRUE: return KQL_BOOL;
    case KQL_DYN_LONG: return KQL_LONG;
    case KQL_DYN_REAL: return KQL_REAL;
    case KQL_DYN_STRING: return KQL_STRING;
    case KQL_DYN_DATETIME: return KQL_DATETIME;
    case KQL_DYN_TIMESPAN: return KQL_TIMESPAN;
    case KQL_DYN_GUID: return KQL_GUID;
    default: return KQL_DYNAMIC;
    }
}

static bool bag_in_list(kql_dyn list, kql_str key)
{
    if (!list) return false;
    kql_dyn e = kql_dyn_first(list);
    for (uint32_t i = 0; i < kql_dyn_count(list); i++, e = kql_dyn_next(e)) {
        if (kql_dyn_tag_of(e) != KQL_DYN_STRING) continue;
        kql_str s = kql_dyn_string(e);
        if (s.len == key.len && memcmp(s.ptr, key.ptr, key.len) == 0) return true;
    }
    return false;
}

static int bag_key_cmp(const void *a, const void *b)
{
    return strcmp(((const bag_key *)a)->name, ((const bag_key *)b)->name);
}

/* Every property of the bags in column c, with the type of its values (one
 * type, or dynamic when they differ, as Kusto types them), sorted by name as
 * Kusto orders the new columns. */
static bool bag_collect(binder *b, const kql_column *c, kql_dyn ignored, bag_keys *k, const ast_node *n)
{
    for (size_t r = 0; r < c->len; r++) {
        if (kql_column_is_null(c, r)) continue;
        kql_value v = kql_column_get(c, r);
        kql_dyn d = (kql_dyn)v.u.s.ptr;
        if (kql_dyn_tag_of(d) != KQL_DYN_OBJECT) continue;
        const uint8_t *p = kql_dyn_prop_first(d);
        for (uint32_t i = 0; i < kql_dyn_count(d); i++, p = kql_dyn_prop_next(p)) {
            kql_str key;
            kql_dyn val;
            kql_dyn_prop(p, &key, &val);
            if (bag_in_list(ignored, key)) continue;
            long at = bag_keys_find(b, k, key);
            if (at < 0) {
                kql_error_set(b->err, &n->loc, "bag_unpack: the bags have more than %d distinct properties",
                              BAG_UNPACK_MAX_COLUMNS);
                return false;
            }
            if (kql_dyn_tag_of(val) == KQL_DYN_NULL) continue;
            kql_type t = bag_value_type(val);
            bag_key *bk = &k->keys[at];
            if (bk->type == KQL_TYPE_UNKNOWN) bk->type = t;
            else if (bk->type != t) bk->type = KQL_DYNAMIC;
        }
    }
    for (size_t i = 0; i < k->n; i++)
        if (k->keys[i].type == KQL_TYPE_UNKNOWN) k->keys[i].type = KQL_DYNAMIC;   /* only nulls */
    if (k->n) qsort(k->keys, k->n, sizeof *k->keys, bag_key_cmp);   /* keys is NULL when no bag has any */
    return true;
}

/* ---- bag_unpack ---- */

typedef enum bag_conflict { BAG_CONFLICT_ERROR, BAG_CONFLICT_REPLACE, BAG_CONFLICT_KEEP } bag_conflict;

typedef struct bag_args {
    const ast_node *column;
    const char *prefix;
    bag_conflict conflict;
    kql_dyn ignored;             /* a dynamic array in the plan's arena, or NULL */
} bag_args;

static bool bag_parse_args(binder *b, const ast_node *call, bag_args *a)
{
    static const char *const names[] = { "Column", "OutputColumnPrefix", "columnsConflict", "ignoredProperties" };
    *a = (bag_args){ .prefix = "" };
    for (size_t i = 0; i < call->nkids; i++) {
        const ast_node *arg = call->kids[i];
        size_t which = i;
        if (arg->kind == AST_ASSIGN) {
            const char *name = arg->kids[0]->kind == AST_NAME ? arg->kids[0]->text : "";
            for (which = 0; which < 4 && strcmp(names[which], name) != 0; which++) {}
            if (which == 4) {
                kql_error_set(b->err, &arg->loc, "bag_unpack has no parameter '%s'", name);
                return false;
            }
            arg = arg->kids[1];
        }
        if (which >= 4) {
            kql_error_set(b->err, &arg->loc, "bag_unpack takes at most 4 arguments");
            return false;
        }
        kql_value v;
        switch (which) {
        case 0:
            a->column = arg;
            break;
        case 1:
            if (!evaluate_const_arg(b, arg, KQL_STRING, "OutputColumnPrefix", &v)) return false;
            a->prefix = kql_arena_dup(b->arena, v.u.s.ptr, v.u.s.len);
            break;
        case 2:
            if (!evaluate_const_arg(b, arg, KQL_STRING, "columnsConflict", &v)) return false;
            if (v.u.s.len == 5 && memcmp(v.u.s.ptr, "error", 5) == 0) a->conflict = BAG_CONFLICT_ERROR;
            else if (v.u.s.len == 14 && memcmp(v.u.s.ptr, "replace_source", 14) == 0) a->conflict = BAG_CONFLICT_REPLACE;
            else if (v.u.s.len == 11 && memcmp(v.u.s.ptr, "keep_source", 11) == 0) a->conflict = BAG_CONFLICT_KEEP;
            else {
                kql_error_set(b->err, &arg->loc,
                              "bag_unpack: columnsConflict must be 'error', 'replace_source' or 'keep_source'");
                return false;
            }
            break;
        default:
            if (!evaluate_const_arg(b, arg, KQL_DYNAMIC, "ignoredProperties", &v)) return false;
            if (kql_dyn_tag_of((kql_dyn)v.u.s.ptr) != KQL_DYN_ARRAY) {
                kql_error_set(b->err, &arg->loc, "bag_unpack: ignoredProperties must be a dynamic array of names");
                return false;
            }
            a->ignored = (kql_dyn)kql_arena_dup(b->arena, v.u.s.ptr, v.u.s.len);
            break;
        }
    }
    if (!a->column) {
        kql_error_set(b->err, &call->loc, "bag_unpack needs the column to unpack");
        return false;
    }
    return true;
}

/* Output column `name` of `type`, read from the bags' property `key`, or
 * copied from input column `src` (key NULL). */
static void bag_out(plan *p, const char *name, kql_type type, int src, const char *key)
{
    size_t i = p->schema.ncols++;
    p->schema.names[i] = (char *)name;
    p->schema.types[i] = type;
    p->schema.hidden[i] = false;
    p->evaluate->out_source[i] = src;
    p->evaluate->out_key[i] = key;
}

/* The typed form: the schema's columns (an AST_STAR: the input's columns
 * but the bag's, there), each read from the property of its name. */
static bool bag_typed_schema(binder *b, plan *p, const plan_schema *in, const ast_node *schema, const bag_args *a)
{
    for (size_t i = 0; i < schema->nkids; i++) {
        const ast_node *def = schema->kids[i];
        if (def->kind == AST_STAR) {
            for (size_t c = 0; c < in->ncols; c++)
                if ((int)c != p->evaluate->bag_column) bag_out(p, in->names[c], in->types[c], (int)c, NULL);
            continue;
        }
        kql_type t = kql_type_from_name(ast_type_name((ast_type)def->op));
        if (t == KQL_TYPE_UNKNOWN || t == KQL_DECIMAL) {
            kql_error_set(b->err, &def->loc, "column type '%s' is not supported", ast_type_name((ast_type)def->op));
            return false;
        }
        if (bind_schema_find(&p->schema, def->text) >= 0) {
            kql_error_set(b->err, &def->loc, "bag_unpack: column '%s' is already declared", def->text);
            return false;
        }
        size_t plen = strlen(a->prefix);
        if (strncmp(def->text, a->prefix, plen) != 0) {
            kql_error_set(b->err, &def->loc, "bag_unpack: column '%s' does not start with the prefix '%s'", def->text,
                          a->prefix);
            return false;
        }
        bag_out(p, def->text, t, -1, def->text + plen);
    }
    return true;
}

/* The data-dependent form: the input's columns but the bag's, then one per
 * property. */
static bool bag_data_schema(binder *b, plan *p, plan *in, const ast_node *n, const bag_args *a)
{
    const kql_table *t = evaluate_run_input(b, in, n, "bag_unpack");
    if (!t) return false;
    p->evaluate->input = t;
    bag_keys k = { 0 };
    if (!bag_collect(b, t->cols[p->evaluate->bag_column], a->ignored, &k, n)) {
        bag_keys_free(&k);
        return false;
    }
    for (size_t c = 0; c < in->schema.ncols; c++)
        if ((int)c != p->evaluate->bag_column) bag_out(p, in->schema.names[c], in->schema.types[c], (int)c, NULL);
    bool ok = true;
    size_t plen = strlen(a->prefix);
    for (size_t i = 0; ok && i < k.n; i++) {
        size_t klen = strlen(k.keys[i].name);
        char *name = bind_alloc(b, plen + klen + 1);
        memcpy(name, a->prefix, plen);
        memcpy(name + plen, k.keys[i].name, klen);
        if (!name[0]) {   /* Kusto's column names are never empty */
            kql_error_set(b->err, &n->loc, "bag_unpack: a bag has an empty property name, which cannot name a column");
            ok = false;
            break;
        }
        int at = bind_schema_find(&p->schema, name);
        if (at < 0) {
            bag_out(p, name, k.keys[i].type, -1, k.keys[i].name);
        } else if (a->conflict == BAG_CONFLICT_REPLACE) {   /* the new column takes the old one's place */
            p->schema.types[at] = k.keys[i].type;
            p->evaluate->out_source[at] = -1;
            p->evaluate->out_key[at] = k.keys[i].name;
        } else if (a->conflict == BAG_CONFLICT_ERROR) {
            kql_error_set(b->err, &n->loc,
                          "bag_unpack: the property '%s' would replace the column '%s' (use columnsConflict="
                          "'replace_source' or 'keep_source')",
                          k.keys[i].name, name);
            ok = false;
        }
    }
    bag_keys_free(&k);
    return ok;
}

static plan *bind_bag_unpack(binder *b, plan *in, const ast_node *n, const ast_node *call, const ast_node *schema)
{
    bag_args a;
    if (!bag_parse_args(b, call, &a)) return NULL;
    if (a.column->kind != AST_NAME) {
        kql_error_set(b->err, &a.column->loc, "bag_unpack expects a column name");
        return NULL;
    }
    int col = bind_schema_find(&in->schema, a.column->text);
    if (col < 0) {
        kql_error_set(b->err, &a.column->loc, "unknown column '%s'", a.column->text);
        return NULL;
    }
    if (in->schema.types[col] != KQL_DYNAMIC) {
        kql_error_set(b->err, &a.column->loc, "bag_unpack expects a dynamic column, '%s' is %s", a.column->text,
                      kql_type_name(in->schema.types[col]));
        return NULL;
    }
    plan *p = bind_new_plan(b, PLAN_EVALUATE, in, n);
    plan_evaluate *ev = bind_alloc(b, sizeof *ev);
    p->evaluate = ev;
    ev->plugin = PLAN_PLUGIN_BAG_UNPACK;
    ev->bag_column = col;
    size_t cap = in->schema.ncols + (schema ? schema->nkids : BAG_UNPACK_MAX_COLUMNS) + 1;
    bind_schema_alloc(b, &p->schema, cap);
    p->schema.ncols = 0;
    ev->out_source = bind_alloc(b, cap * sizeof *ev->out_source);
    ev->out_key = bind_alloc(b, cap * sizeof *ev->out_key);
    bool ok = schema ? bag_typed_schema(b, p, &in->schema, schema, &a) : bag_data_schema(b, p, in, n, &a);
    return ok ? p : NULL;
}

plan *bind_evaluate(binder *b, plan *in, const ast_node *n)
{
    const ast_node *call = NULL, *schema = NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_CALL) call = k;
        else if (k->kind == AST_SCHEMA) schema = k;
        else if (k->kind == AST_OPTION) {
            kql_error_set(b->err, &k->loc, "evaluate option '%s' is not supported yet", k->text);
            return NULL;
        }
    }
    if (!call) {
        kql_error_set(b->err, &n->loc, "evaluate needs a plugin call");
        return NULL;
    }
    if (strcmp(call->text, "bag_unpack") == 0) return bind_bag_unpack(b, in, n, call, schema);
    kql_error_set(b->err, &call->loc, "evaluate plugin '%s' is not supported yet", call->text);
    return NULL;
}
