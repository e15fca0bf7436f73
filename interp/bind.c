/* bind.c - binding statements and tabular operators into a plan.
 *
 * Walks the AST of a query once: `let` and `set` statements update the scope
 * and the query time; each tabular expression statement becomes a plan tree
 * whose nodes carry their output schema. Operators the grammar accepts but
 * the engine cannot run yet are refused here, by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "dynamic.h"
#include "eval.h"
#include "interp.h"
#include "window.h"

/* Operators Kusto documents that kql does not run yet: refused by name. */
static bool refuse_operator(binder *b, const ast_node *n)
{
    kql_error_set(b->err, &n->loc, "operator '%s' is not supported yet", n->text);
    return false;
}

static plan *new_plan(binder *b, plan_kind kind, plan *input, const ast_node *n)
{
    plan *p = bind_alloc(b, sizeof *p);
    p->kind = kind;
    p->input = input;
    p->loc = n->loc;
    p->limit = -1;
    p->expand_limit = -1;
    p->itemindex_column = -1;
    return p;
}

static void schema_alloc(binder *b, plan_schema *s, size_t n)
{
    s->ncols = n;
    s->names = bind_alloc(b, (n ? n : 1) * sizeof *s->names);
    s->types = bind_alloc(b, (n ? n : 1) * sizeof *s->types);
    s->hidden = bind_alloc(b, (n ? n : 1) * sizeof *s->hidden);
}

/* new_plan and schema_alloc for the other binder files (bind_join.c). */
plan *bind_new_plan(binder *b, plan_kind kind, plan *input, const ast_node *n)
{
    return new_plan(b, kind, input, n);
}

void bind_schema_alloc(binder *b, plan_schema *s, size_t n)
{
    schema_alloc(b, s, n);
}

int bind_schema_find(const plan_schema *s, const char *name)
{
    if (!s) return -1;
    for (size_t i = 0; i < s->ncols; i++)
        if (strcmp(s->names[i], name) == 0) return (int)i;
    return -1;
}

static void schema_from_table(binder *b, plan_schema *s, const kql_table *t)
{
    schema_alloc(b, s, t->ncols);
    for (size_t i = 0; i < t->ncols; i++) {
        s->names[i] = t->col_names[i];
        s->types[i] = t->cols[i]->type;
        s->hidden[i] = t->hidden ? t->hidden[i] : false;
    }
}

static bool unknown_column(binder *b, const ast_node *n, const char *name, const plan_schema *in)
{
    kql_suggest s;
    kql_suggest_init(&s, name);
    for (size_t i = 0; i < in->ncols; i++) kql_suggest_offer(&s, in->names[i]);
    const char *best = kql_suggest_best(&s);
    if (best)
        kql_error_set(b->err, &n->loc, "unknown column '%s' (did you mean '%s'?)", name, best);
    else
        kql_error_set(b->err, &n->loc, "unknown column '%s'", name);
    return false;
}

/* The next ColumnN name not used in s (Kusto numbers unnamed columns Column1, Column2, ...). */
static const char *next_column_name(binder *b, const plan_schema *s, int *counter)
{
    char buf[32];
    for (;;) {
        snprintf(buf, sizeof buf, "Column%d", ++*counter);
        if (bind_schema_find(s, buf) < 0) return bind_strdup(b, buf);
    }
}

static bexpr *column_ref(binder *b, const plan_schema *in, int col, const ast_node *n)
{
    bexpr *e = bind_alloc(b, sizeof *e);
    e->kind = BX_COLUMN;
    e->type = in->types[col];
    e->column = col;
    e->loc = n->loc;
    return e;
}

/* ---- sources ---- */

static plan *bind_table_name(binder *b, const ast_node *n, const char *name)
{
    for (size_t i = b->nlets; i-- > 0;) {
        if (strcmp(b->lets[i].name, name) != 0) continue;
        if (b->lets[i].lambda) {   /* Kusto lets `f` stand for `f()` */
            if (n->kind == AST_NAME) return bind_function_tabular(b, n, NULL);
            kql_error_set(b->err, &n->loc, "'%s' is a function: call it as %s(...)", name, name);
            return NULL;
        }
        if (!b->lets[i].tabular) {
            kql_error_set(b->err, &n->loc, "'%s' is a scalar value, not a table", name);
            return NULL;
        }
        plan *p = new_plan(b, PLAN_LET_REF, NULL, n);
        p->let = b->lets[i].tabular;
        p->schema = p->let->body->schema;
        return p;
    }
    kql_table *t = kql_catalog_find(b->catalog, name);
    if (!t) {
        kql_suggest s;
        kql_suggest_init(&s, name);
        for (size_t i = 0; i < b->catalog->ntables; i++) kql_suggest_offer(&s, b->catalog->tables[i]->name);
        for (size_t i = 0; i < b->nlets; i++)
            if (b->lets[i].tabular) kql_suggest_offer(&s, b->lets[i].name);
        const char *best = kql_suggest_best(&s);
        if (best)
            kql_error_set(b->err, &n->loc, "unknown table '%s' (did you mean '%s'?)", name, best);
        else if (b->catalog->ntables == 0)
            kql_error_set(b->err, &n->loc, "unknown table '%s' (no tables are loaded; use -d PATH)", name);
        else
            kql_error_set(b->err, &n->loc, "unknown table '%s'", name);
        return NULL;
    }
    plan *p = new_plan(b, PLAN_TABLE, NULL, n);
    p->table = t;
    schema_from_table(b, &p->schema, t);
    return p;
}

static plan *bind_datatable(binder *b, const ast_node *n)
{
    const ast_node *schema = n->kids[0];
    size_t ncols = schema->nkids;
    size_t nvals = n->nkids - 1;
    if (ncols == 0) {
        kql_error_set(b->err, &n->loc, "datatable needs at least one column");
        return NULL;
    }
    if (nvals % ncols != 0) {
        kql_error_set(b->err, &n->loc, "datatable has %zu cells for %zu columns: the cells must fill whole rows",
                      nvals, ncols);
        return NULL;
    }
    kql_table *t = kql_table_new(NULL);
    /* registered first, so it is freed with the query even if binding fails below */
    b->query->tables = realloc(b->query->tables, (b->query->ntables + 1) * sizeof *b->query->tables);
    b->query->tables[b->query->ntables++] = t;
    size_t nrows = nvals / ncols;
    for (size_t c = 0; c < ncols; c++) {
        const ast_node *def = schema->kids[c];
        kql_type type = kql_type_from_name(ast_type_name((ast_type)def->op));
        if (type == KQL_TYPE_UNKNOWN || type == KQL_DECIMAL) {
            kql_error_set(b->err, &def->loc, "column type '%s' is not supported", ast_type_name((ast_type)def->op));
            return NULL;
        }
        kql_column *col = kql_column_new(type, nrows);
        kql_table_add(t, def->text, col);
        for (size_t r = 0; r < nrows; r++) {
            const ast_node *cell = n->kids[1 + r * ncols + c];
            bexpr *e = bind_expr(b, cell, NULL);
            if (!e) return NULL;
            kql_value v;
            bind_fold_constant(b, e, &v);
            if (v.is_null) {
                kql_column_push_null(col);
                continue;
            }
            if (v.type != type) {
                bool widen = (type == KQL_REAL && (v.type == KQL_LONG || v.type == KQL_INT)) ||
                             (type == KQL_LONG && v.type == KQL_INT) || (type == KQL_INT && v.type == KQL_LONG);
                if (widen) {
                    if (type == KQL_REAL) v = kql_real((double)v.u.i);
                    else v.type = type;
                } else if (type == KQL_DYNAMIC) {
                    kql_buf buf;
                    kql_buf_init(&buf);
                    kql_dyn_put_value(&buf, &v);
                    kql_value d = { .type = KQL_DYNAMIC };
                    d.u.s.ptr = buf.data;
                    d.u.s.len = (uint32_t)buf.len;
                    kql_column_push(col, &d);
                    kql_buf_free(&buf);
                    continue;
                } else {
                    kql_error_set(b->err, &cell->loc, "datatable column '%s' is %s, but this value is %s",
                                  def->text, kql_type_name(type), kql_type_name(v.type));
                    return NULL;
                }
            }
            kql_column_push(col, &v);
        }
    }
    t->nrows = nrows;
    plan *p = new_plan(b, PLAN_DATATABLE, NULL, n);
    p->table = t;
    schema_from_table(b, &p->schema, t);
    return p;
}

/* ---- project / extend and friends: all become a list of output expressions ---- */

typedef struct out_list {
    plan_schema s;
    bexpr **exprs;
    size_t cap;
} out_list;

static void out_init(binder *b, out_list *o, size_t cap)
{
    schema_alloc(b, &o->s, cap);
    o->s.ncols = 0;
    o->exprs = bind_alloc(b, (cap ? cap : 1) * sizeof *o->exprs);
    o->cap = cap;
}

static void out_set(out_list *o, size_t i, const char *name, bexpr *e, bool hidden)
{
    o->s.names[i] = (char *)name;
    o->s.types[i] = e->type;
    o->s.hidden[i] = hidden;
    o->exprs[i] = e;
}

static void out_add(out_list *o, const char *name, bexpr *e, bool hidden)
{
    out_set(o, o->s.ncols++, name, e, hidden);
}

static plan *finish_project(binder *b, plan *in, const ast_node *n, out_list *o)
{
    plan *p = new_plan(b, PLAN_PROJECT, in, n);
    p->schema = o->s;
    p->exprs = o->exprs;
    p->nexprs = o->s.ncols;
    return p;
}

/* One item of project/extend: `name = expr`, a column, or an expression named
 * as Kusto names it. *name gets the name, or NULL for ColumnN. */
static bexpr *bind_item(binder *b, const ast_node *item, const plan_schema *in, const char **name)
{
    if (item->kind == AST_ASSIGN) {
        const ast_node *lhs = item->kids[0];
        if (lhs->kind != AST_NAME) {
            kql_error_set(b->err, &lhs->loc, "assigning to several columns at once is not supported yet");
            return NULL;
        }
        *name = lhs->text;
        return bind_expr(b, item->kids[1], in);
    }
    *name = bind_derive_name(b, item);
    return bind_expr(b, item, in);
}

static plan *bind_project(binder *b, plan *in, const ast_node *n)
{
    out_list o;
    out_init(b, &o, n->nkids);
    int counter = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *item = n->kids[i];
        if (item->kind == AST_OPTION) continue;
        const char *name;
        bexpr *e = bind_item(b, item, &in->schema, &name);
        if (!e) return NULL;
        if (!name) name = next_column_name(b, &o.s, &counter);
        if (bind_schema_find(&o.s, name) >= 0) {
            kql_error_set(b->err, &item->loc, "project: column '%s' is already declared", name);
            return NULL;
        }
        out_add(&o, name, e, false);
    }
    return finish_project(b, in, n, &o);
}

static plan *bind_extend(binder *b, plan *in, const ast_node *n)
{
    out_list o;
    out_init(b, &o, in->schema.ncols + n->nkids);
    for (size_t i = 0; i < in->schema.ncols; i++)
        out_add(&o, in->schema.names[i], column_ref(b, &in->schema, (int)i, n), in->schema.hidden[i]);
    int counter = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *item = n->kids[i];
        if (item->kind == AST_OPTION) continue;
        const char *name;
        bexpr *e = bind_item(b, item, &in->schema, &name);
        if (!e) return NULL;
        if (!name) name = next_column_name(b, &o.s, &counter);
        int at = bind_schema_find(&o.s, name);
        if (at >= 0) out_set(&o, (size_t)at, name, e, false);   /* Kusto replaces it in place */
        else out_add(&o, name, e, false);
    }
    return finish_project(b, in, n, &o);
}

static bool name_matches(const char *pattern, const char *name)
{
    const char *star = strchr(pattern, '*');
    if (!star) return strcmp(pattern, name) == 0;
    size_t pre = (size_t)(star - pattern), post = strlen(star + 1), len = strlen(name);
    if (strchr(star + 1, '*')) return false;
    return len >= pre + post && strncmp(pattern, name, pre) == 0 && strcmp(name + len - post, star + 1) == 0;
}

/* The column names an item of project-away/-keep names: a name or a name* pattern. */
static const char *item_pattern(const ast_node *item)
{
    if (item->kind == AST_NAME) return item->text;
    if (item->kind == AST_STAR) return "*";
    return NULL;
}

static plan *bind_project_away_keep(binder *b, plan *in, const ast_node *n, bool keep)
{
    bool *chosen = bind_alloc(b, in->schema.ncols + 1);
    for (size_t i = 0; i < n->nkids; i++) {
        const char *pat = item_pattern(n->kids[i]);
        if (!pat) {
            kql_error_set(b->err, &n->kids[i]->loc, "%s expects column names", n->text);
            return NULL;
        }
        bool any = false;
        for (size_t c = 0; c < in->schema.ncols; c++)
            if (name_matches(pat, in->schema.names[c])) chosen[c] = any = true;
        if (!any && !strchr(pat, '*')) {
            unknown_column(b, n->kids[i], pat, &in->schema);
            return NULL;
        }
    }
    out_list o;
    out_init(b, &o, in->schema.ncols);
    for (size_t c = 0; c < in->schema.ncols; c++)
        if (chosen[c] == keep)
            out_add(&o, in->schema.names[c], column_ref(b, &in->schema, (int)c, n), in->schema.hidden[c]);
    return finish_project(b, in, n, &o);
}

static plan *bind_project_rename(binder *b, plan *in, const ast_node *n)
{
    out_list o;
    out_init(b, &o, in->schema.ncols);
    for (size_t c = 0; c < in->schema.ncols; c++)
        out_add(&o, in->schema.names[c], column_ref(b, &in->schema, (int)c, n), in->schema.hidden[c]);
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *a = n->kids[i];
        if (a->kind != AST_ASSIGN || a->kids[0]->kind != AST_NAME || a->kids[1]->kind != AST_NAME) {
            kql_error_set(b->err, &a->loc, "project-rename expects NewName = ExistingName");
            return NULL;
        }
        int at = bind_schema_find(&in->schema, a->kids[1]->text);
        if (at < 0) {
            unknown_column(b, a->kids[1], a->kids[1]->text, &in->schema);
            return NULL;
        }
        o.s.names[at] = a->kids[0]->text;
    }
    return finish_project(b, in, n, &o);
}

/* ---- where, take, count, sort, top ---- */

static plan *bind_where(binder *b, plan *in, const ast_node *n)
{
    const ast_node *pred = NULL;
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind != AST_OPTION) pred = n->kids[i];
    if (!pred) {
        kql_error_set(b->err, &n->loc, "where needs a predicate");
        return NULL;
    }
    bexpr *e = bind_expr(b, pred, &in->schema);
    if (!e) return NULL;
    if (e->type != KQL_BOOL) {
        kql_error_set(b->err, &pred->loc, "where expects a bool predicate, got %s", kql_type_name(e->type));
        return NULL;
    }
    plan *p = new_plan(b, PLAN_WHERE, in, n);
    p->schema = in->schema;
    p->predicate = e;
    return p;
}

static bool bind_count_arg(binder *b, const ast_node *n, const char *what, int64_t *out)
{
    bexpr *e = bind_expr(b, n, NULL);
    if (!e) return false;
    kql_value v;
    if (e->type != KQL_LONG && e->type != KQL_INT) {
        kql_error_set(b->err, &n->loc, "%s expects a whole number of rows, got %s", what, kql_type_name(e->type));
        return false;
    }
    bind_fold_constant(b, e, &v);
    *out = v.is_null || v.u.i < 0 ? 0 : v.u.i;
    return true;
}

static plan *bind_take(binder *b, plan *in, const ast_node *n)
{
    plan *p = new_plan(b, PLAN_TAKE, in, n);
    p->schema = in->schema;
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind != AST_OPTION && !bind_count_arg(b, n->kids[i], "take", &p->limit)) return NULL;
    return p;
}

static plan *bind_count(binder *b, plan *in, const ast_node *n)
{
    plan *p = new_plan(b, PLAN_COUNT, in, n);
    schema_alloc(b, &p->schema, 1);
    p->schema.names[0] = "Count";
    p->schema.types[0] = KQL_LONG;
    return p;
}

static bool bind_sort_keys(binder *b, plan *p, const ast_node *const *keys, size_t nkeys)
{
    p->sort_keys = bind_alloc(b, (nkeys ? nkeys : 1) * sizeof *p->sort_keys);
    for (size_t i = 0; i < nkeys; i++) {
        const ast_node *k = keys[i];
        const ast_node *x = k->kind == AST_SORTKEY ? k->kids[0] : k;
        int flags = k->kind == AST_SORTKEY ? k->op : 0;
        plan_sort_key *sk = &p->sort_keys[p->nsort_keys++];
        sk->expr = bind_expr(b, x, &p->input->schema);
        if (!sk->expr) return false;
        if (sk->expr->type == KQL_DYNAMIC) {
            kql_error_set(b->err, &x->loc, "cannot sort by a dynamic value; convert it first (tostring(), tolong(), ...)");
            return false;
        }
        sk->asc = flags & AST_SORT_ASC;
        /* Kusto: asc puts nulls first, desc puts them last, unless told */
        sk->nulls_first = (flags & AST_SORT_NULLS_FIRST) ? true : (flags & AST_SORT_NULLS_LAST) ? false : sk->asc;
    }
    return true;
}

static plan *bind_sort(binder *b, plan *in, const ast_node *n)
{
    plan *p = new_plan(b, PLAN_SORT, in, n);
    p->schema = in->schema;
    const ast_node *keys[256];
    size_t nkeys = 0;
    for (size_t i = 0; i < n->nkids && nkeys < 256; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) continue;
        if (k->kind == AST_CLAUSE) {     /* tolerate a "by" clause wrapping the keys */
            for (size_t j = 0; j < k->nkids && nkeys < 256; j++) keys[nkeys++] = k->kids[j];
        } else {
            keys[nkeys++] = k;
        }
    }
    return bind_sort_keys(b, p, keys, nkeys) ? p : NULL;
}

static plan *bind_top(binder *b, plan *in, const ast_node *n)
{
    plan *p = new_plan(b, PLAN_SORT, in, n);
    p->schema = in->schema;
    const ast_node *keys[256];
    size_t nkeys = 0;
    bool have_count = false;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) continue;
        if (!have_count) {
            if (!bind_count_arg(b, k, "top", &p->limit)) return NULL;
            have_count = true;
        } else if (k->kind == AST_CLAUSE) {
            for (size_t j = 0; j < k->nkids && nkeys < 256; j++) keys[nkeys++] = k->kids[j];
        } else if (nkeys < 256) {
            keys[nkeys++] = k;
        }
    }
    return bind_sort_keys(b, p, keys, nkeys) ? p : NULL;
}

/* ---- summarize, distinct ---- */

void bind_schema_add_unique(binder *b, plan_schema *s, const char *name, kql_type type)
{
    const char *final = name;
    char buf[1024];
    for (int k = 1; bind_schema_find(s, final) >= 0; k++) {   /* set_y, set_y1 (Kusto) */
        snprintf(buf, sizeof buf, "%s%d", name, k);
        final = bind_strdup(b, buf);
    }
    s->names[s->ncols] = (char *)final;
    s->types[s->ncols] = type;
    s->hidden[s->ncols] = false;
    s->ncols++;
}

bexpr *bind_group_key(binder *b, const ast_node *k, const plan_schema *in, const char *op, const char **name)
{
    const ast_node *x = k;
    if (k->kind == AST_ASSIGN) {
        *name = k->kids[0]->text;
        x = k->kids[1];
    } else {
        *name = bind_derive_name(b, k);
    }
    bexpr *e = bind_expr(b, x, in);
    if (!e) return NULL;
    if (e->type == KQL_DYNAMIC) {
        kql_error_set(b->err, &x->loc, "%s cannot group by a dynamic value; convert it first (tostring(), tolong(), ...)", op);
        return NULL;
    }
    return e;
}

/* Aggregate calls in an expression (to size the summarize schema). */
static size_t count_aggregate_calls(const ast_node *n)
{
    size_t c = n->kind == AST_CALL && n->text && kql_aggregate_find(n->text) ? 1 : 0;
    for (size_t i = 0; i < n->nkids; i++) c += count_aggregate_calls(n->kids[i]);
    return c;
}

/* The name of an unnamed summarize item: an aggregate names itself (sum_x),
 * and transparent functions keep it (round(avg(b), 2) -> avg_b). */
static const char *summarize_item_name(binder *b, const ast_node *n)
{
    if (n->kind != AST_CALL || !n->text) return NULL;
    const kql_aggregate *agg = kql_aggregate_find(n->text);
    if (agg) return bind_aggregate_name(b, n, agg);
    if (n->nkids == 0) return NULL;
    ast_node first = *n->kids[0];
    const char *inner = summarize_item_name(b, &first);
    if (!inner) return NULL;
    ast_node probe = *n;                 /* does the function keep its argument's name? */
    ast_node arg = { .kind = AST_NAME, .text = (char *)inner };
    ast_node *args[1] = { &arg };
    probe.kids = args;
    probe.nkids = 1;
    const char *derived = bind_derive_name(b, &probe);
    return derived && strcmp(derived, inner) == 0 ? inner : NULL;
}

/* Called by bind_expr for an aggregate call inside a summarize expression:
 * the aggregate becomes a hidden column of the summarize plan, and the call a
 * reference to it. */
bexpr *bind_nested_aggregate(binder *b, const ast_node *call)
{
    plan *p = b->agg_plan;
    plan_aggregate *pa = &p->aggs[p->naggs];
    if (strcmp(call->text, "arg_max") == 0 || strcmp(call->text, "arg_min") == 0) {
        kql_error_set(b->err, &call->loc, "%s() returns several columns: use it directly in summarize, not in an expression",
                      call->text);
        return NULL;
    }
    b->agg_plan = NULL;   /* the arguments read the summarize input, and hold no aggregates */
    bool ok = bind_aggregate(b, call, b->agg_input, pa);
    b->agg_plan = p;
    if (!ok) return NULL;
    p->naggs++;
    char buf[32];
    snprintf(buf, sizeof buf, "__aggregate%zu", p->naggs);
    size_t at = p->schema.ncols++;
    p->schema.names[at] = bind_strdup(b, buf);
    p->schema.types[at] = pa->type;
    p->schema.hidden[at] = true;
    return column_ref(b, &p->schema, (int)at, call);
}

static plan *bind_summarize(binder *b, plan *in, const ast_node *n)
{
    const ast_node *aggs = NULL, *by = NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_LIST && !aggs) aggs = k;
        else if (k->kind == AST_CLAUSE && strcmp(k->text, "by") == 0) by = k;
    }
    size_t nitems = aggs ? aggs->nkids : 0, nkeys = by ? by->nkids : 0;
    size_t ncalls = aggs ? count_aggregate_calls(aggs) : 0;
    for (size_t i = 0; i < nitems; i++) {   /* room for the columns arg_max(x, *) and percentiles make */
        const ast_node *a = aggs->kids[i];
        ncalls += bind_multi_width(a->kind == AST_ASSIGN ? a->kids[1] : a, &in->schema);
    }
    plan *p = new_plan(b, PLAN_SUMMARIZE, in, n);
    schema_alloc(b, &p->schema, nkeys + nitems + ncalls);
    p->schema.ncols = 0;
    p->keys = bind_alloc(b, (nkeys ? nkeys : 1) * sizeof *p->keys);
    p->aggs = bind_alloc(b, (nitems + ncalls + 1) * sizeof *p->aggs);
    int counter = 0;
    for (size_t i = 0; i < nkeys; i++) {
        const ast_node *k = by->kids[i];
        const char *name;
        bexpr *e = bind_group_key(b, k, &in->schema, "summarize", &name);
        if (!e) return NULL;
        if (!name) name = next_column_name(b, &p->schema, &counter);
        if (k->kind == AST_ASSIGN && bind_schema_find(&p->schema, name) >= 0) {
            kql_error_set(b->err, &k->loc, "summarize: column '%s' is already declared", name);
            return NULL;
        }
        p->keys[p->nkeys++] = e;
        bind_schema_add_unique(b, &p->schema, name, e->type);
    }

    /* Items that are a plain aggregate call are columns of the summarize plan;
     * an expression over aggregates is computed by a projection on top. */
    out_list o;
    out_init(b, &o, nkeys + nitems + ncalls);
    bool computed = false;
    for (size_t i = 0; i < nkeys; i++) out_add(&o, p->schema.names[i], column_ref(b, &p->schema, (int)i, n), false);
    for (size_t i = 0; i < nitems; i++) {
        const ast_node *a = aggs->kids[i];
        const ast_node *x = a->kind == AST_ASSIGN ? a->kids[1] : a;
        if (bind_multi_width(x, &in->schema)) {   /* several columns: bind_multi.c */
            size_t first = p->naggs;
            const char **names = bind_alloc(b, (bind_multi_width(x, &in->schema) + 1) * sizeof *names);
            if (!bind_multi_aggregate(b, a, &in->schema, p->keys, p->nkeys, p->aggs, &p->naggs, names))
                return NULL;
            for (size_t k = first; k < p->naggs; k++) {
                bind_schema_add_unique(b, &p->schema, names[k - first], p->aggs[k].type);
                size_t at = p->schema.ncols - 1;
                out_add(&o, p->schema.names[at], column_ref(b, &p->schema, (int)at, x), false);
            }
            continue;
        }
        if (a->kind == AST_ASSIGN && a->kids[0]->kind != AST_NAME) {
            kql_error_set(b->err, &a->loc, "assigning several columns from one aggregate is not supported yet");
            return NULL;
        }
        const char *name = a->kind == AST_ASSIGN ? a->kids[0]->text : summarize_item_name(b, x);
        bexpr *e;
        bool direct = x->kind == AST_CALL && kql_aggregate_find(x->text);
        if (direct) {
            plan_aggregate *pa = &p->aggs[p->naggs];
            if (!bind_aggregate(b, x, &in->schema, pa)) return NULL;
            p->naggs++;
            if (!name) name = next_column_name(b, &o.s, &counter);
            if (!(a->kind == AST_ASSIGN && bind_schema_find(&o.s, name) >= 0)) {   /* else reported below */
                bind_schema_add_unique(b, &p->schema, name, pa->type);
                name = p->schema.names[p->schema.ncols - 1];
            }
            e = column_ref(b, &p->schema, (int)p->schema.ncols - 1, x);
        } else {
            plan_aggregate unknown;   /* an unknown top-level call is most likely a misspelled aggregate */
            if (x->kind == AST_CALL && !kql_function_find(x->text) && !bind_function_claims(b, x->text) &&
                !bind_aggregate(b, x, &in->schema, &unknown))
                return NULL;
            b->agg_plan = p;
            b->agg_input = &in->schema;
            e = bind_expr(b, x, &p->schema);   /* unknown functions inside are reported here */
            b->agg_plan = NULL;
            if (!e) return NULL;
            if (count_aggregate_calls(x) == 0) {
                plan_aggregate unused;
                if (x->kind == AST_CALL && !bind_aggregate(b, x, &in->schema, &unused)) return NULL;
                kql_error_set(b->err, &x->loc, "summarize expects an aggregate function call such as count() or dcount(x)");
                return NULL;
            }
            if (!name) name = next_column_name(b, &o.s, &counter);
            computed = true;
        }
        if (bind_schema_find(&o.s, name) >= 0) {
            if (a->kind == AST_ASSIGN) {
                kql_error_set(b->err, &a->loc, "summarize: column '%s' is already declared", name);
                return NULL;
            }
            char buf[1024];
            for (int k = 1; bind_schema_find(&o.s, name) >= 0; k++) {
                snprintf(buf, sizeof buf, "%s%d", a->kind == AST_ASSIGN ? a->kids[0]->text : name, k);
                name = bind_strdup(b, buf);
            }
        }
        out_add(&o, name, e, false);
    }
    if (!computed) return p;
    return finish_project(b, p, n, &o);
}

static plan *bind_distinct(binder *b, plan *in, const ast_node *n)
{
    plan *p = new_plan(b, PLAN_SUMMARIZE, in, n);
    size_t cap = in->schema.ncols + n->nkids;
    schema_alloc(b, &p->schema, cap);
    p->schema.ncols = 0;
    p->keys = bind_alloc(b, (cap ? cap : 1) * sizeof *p->keys);
    int counter = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) continue;
        if (k->kind == AST_STAR) {
            for (size_t c = 0; c < in->schema.ncols; c++) {
                if (in->schema.hidden[c]) continue;
                p->keys[p->nkeys++] = column_ref(b, &in->schema, (int)c, k);
                bind_schema_add_unique(b, &p->schema, in->schema.names[c], in->schema.types[c]);
            }
            continue;
        }
        const char *name;
        bexpr *e = bind_item(b, k, &in->schema, &name);
        if (!e) return NULL;
        if (e->type == KQL_DYNAMIC) {
            kql_error_set(b->err, &k->loc, "distinct cannot use a dynamic value; convert it first");
            return NULL;
        }
        if (!name) name = next_column_name(b, &p->schema, &counter);
        p->keys[p->nkeys++] = e;
        bind_schema_add_unique(b, &p->schema, name, e->type);
    }
    return p;
}

/* ---- mv-expand ---- */

static plan *bind_mv_expand(binder *b, plan *in, const ast_node *n)
{
    plan *p = new_plan(b, PLAN_MV_EXPAND, in, n);
    size_t cap = in->schema.ncols + n->nkids + 1;
    schema_alloc(b, &p->schema, cap);
    p->schema.ncols = in->schema.ncols;
    for (size_t i = 0; i < in->schema.ncols; i++) {
        p->schema.names[i] = in->schema.names[i];
        p->schema.types[i] = in->schema.types[i];
        p->schema.hidden[i] = in->schema.hidden[i];
    }
    p->expands = bind_alloc(b, n->nkids * sizeof *p->expands);
    const char *itemindex = NULL;
    int counter = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) {
            const ast_node *v = k->nkids ? k->kids[0] : NULL;
            const char *val = v && v->text ? v->text : "";
            if (strcmp(k->text, "kind") == 0 || strcmp(k->text, "bagexpansion") == 0) {
                if (strcmp(val, "array") == 0) p->expand_bag_as_array = true;
                else if (strcmp(val, "bag") != 0) {
                    kql_error_set(b->err, &k->loc, "mv-expand %s must be bag or array", k->text);
                    return NULL;
                }
            } else if (strcmp(k->text, "with_itemindex") == 0) {
                itemindex = val;
            } else {
                kql_error_set(b->err, &k->loc, "mv-expand option '%s' is not supported yet", k->text);
                return NULL;
            }
            continue;
        }
        if (k->kind == AST_CLAUSE && strcmp(k->text, "on") == 0 && strcmp(n->text, "mv-apply") == 0)
            continue;   /* mv-apply's subquery: bind_mv_apply.c */
        if (k->kind == AST_CLAUSE) {
            if (strcmp(k->text, "limit") != 0 || k->nkids != 1) {
                kql_error_set(b->err, &k->loc, "mv-expand: unexpected '%s'", k->text);
                return NULL;
            }
            if (!bind_count_arg(b, k->kids[0], "mv-expand limit", &p->expand_limit)) return NULL;
            continue;
        }
        const ast_node *item = k->kind == AST_LIST ? k->kids[0] : k;
        const ast_node *to = k->kind == AST_LIST && k->nkids > 1 ? k->kids[1] : NULL;
        const char *name;
        bexpr *e = bind_item(b, item, &in->schema, &name);
        if (!e) return NULL;
        if (!name) name = next_column_name(b, &p->schema, &counter);
        if (e->type != KQL_DYNAMIC) {
            kql_error_set(b->err, &item->loc, "mv-expand expects a dynamic value (an array or a bag), got %s",
                          kql_type_name(e->type));
            return NULL;
        }
        plan_expand *x = &p->expands[p->nexpands++];
        x->expr = e;
        x->to_type = KQL_DYNAMIC;
        if (to) {
            x->to_type = kql_type_from_name(ast_type_name((ast_type)to->op));
            if (x->to_type == KQL_TYPE_UNKNOWN || x->to_type == KQL_DECIMAL) {
                kql_error_set(b->err, &to->loc, "mv-expand to typeof(%s) is not supported",
                              ast_type_name((ast_type)to->op));
                return NULL;
            }
        }
        int at = bind_schema_find(&p->schema, name);
        if (at < 0) {
            at = (int)p->schema.ncols++;
            p->schema.names[at] = (char *)name;
            p->schema.hidden[at] = false;
        }
        x->replace_column = at;
        p->schema.types[at] = x->to_type;
    }
    if (p->nexpands == 0) {
        kql_error_set(b->err, &n->loc, "mv-expand needs a column or expression to expand");
        return NULL;
    }
    if (itemindex) {
        p->itemindex_column = (int)p->schema.ncols++;
        p->schema.names[p->itemindex_column] = (char *)itemindex;
        p->schema.types[p->itemindex_column] = KQL_LONG;
    }
    return p;
}

plan *bind_mv_expand_items(binder *b, plan *in, const ast_node *n)
{
    return bind_mv_expand(b, in, n);
}

/* ---- print ---- */

static plan *bind_print(binder *b, const ast_node *n)
{
    out_list o;
    out_init(b, &o, n->nkids);
    int printed = 0;
    char buf[32];
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *item = n->kids[i];
        const char *name = NULL;
        const ast_node *x = item;
        if (item->kind == AST_ASSIGN) {
            name = item->kids[0]->text;
            x = item->kids[1];
        }
        bexpr *e = bind_expr(b, x, NULL);
        if (!e) return NULL;
        if (!name) {   /* Kusto: print_0, print_1, ... by position among unnamed ones */
            snprintf(buf, sizeof buf, "print_%d", printed);
            name = bind_strdup(b, buf);
        }
        printed++;
        out_add(&o, name, e, false);
    }
    plan *p = new_plan(b, PLAN_PRINT, NULL, n);
    p->schema = o.s;
    p->exprs = o.exprs;
    p->nexprs = o.s.ncols;
    return p;
}

/* ---- range ---- */

static bool range_bound(binder *b, const ast_node *clause, kql_value *out)
{
    bexpr *e = bind_expr(b, clause->kids[0], NULL);
    if (!e) return false;
    bind_fold_constant(b, e, out);
    if (out->is_null) {
        kql_error_set(b->err, &clause->loc, "range: '%s' must not be null", clause->text);
        return false;
    }
    return true;
}

static plan *bind_range(binder *b, const ast_node *n)
{
    const ast_node *from = ast_clause(n, "from"), *to = ast_clause(n, "to"), *step = ast_clause(n, "step");
    plan *p = new_plan(b, PLAN_RANGE, NULL, n);
    if (!range_bound(b, from, &p->range_from) || !range_bound(b, to, &p->range_to) ||
        !range_bound(b, step, &p->range_step))
        return NULL;
    kql_type tf = p->range_from.type, tt = p->range_to.type, ts = p->range_step.type;
    bool num = kql_type_is_numeric(tf) && kql_type_is_numeric(tt) && kql_type_is_numeric(ts);
    bool time = tf == tt && (tf == KQL_DATETIME || tf == KQL_TIMESPAN) && ts == KQL_TIMESPAN;
    if (!num && !time) {
        kql_error_set(b->err, &n->loc, "range: from %s to %s step %s is not a range of numbers, datetimes or timespans",
                      kql_type_name(tf), kql_type_name(tt), kql_type_name(ts));
        return NULL;
    }
    kql_type t = tf;
    if (num) {
        t = (tf == KQL_REAL || tt == KQL_REAL || ts == KQL_REAL) ? KQL_REAL : KQL_LONG;
        kql_value *v[3] = { &p->range_from, &p->range_to, &p->range_step };
        for (int i = 0; i < 3; i++) {
            if (t == KQL_REAL && v[i]->type != KQL_REAL) *v[i] = kql_real((double)v[i]->u.i);
            else if (t == KQL_LONG) v[i]->type = KQL_LONG;
        }
    }
    schema_alloc(b, &p->schema, 1);
    p->schema.names[0] = n->kids[0]->text;
    p->schema.types[0] = t;
    return p;
}

/* ---- dispatch ---- */

/* serialize [x = e, ...]: extend whose output rows are in a fixed order. */
static plan *bind_serialize(binder *b, plan *in, const ast_node *n)
{
    plan *p = bind_extend(b, in, n);
    if (p) p->serialized = true;
    return p;
}

static plan *bind_project_away(binder *b, plan *in, const ast_node *n)
{
    return bind_project_away_keep(b, in, n, false);
}

static plan *bind_project_keep(binder *b, plan *in, const ast_node *n)
{
    return bind_project_away_keep(b, in, n, true);
}

/* render only draws the table it ends with: the data passes unchanged. */
static plan *bind_render(binder *b, plan *in, const ast_node *n)
{
    (void)b;
    (void)n;
    return in;
}

/* The tabular operators the engine runs, by the name the parser gives them
 * (filter, order and limit arrive as where, sort and take). The REPL
 * completes operator names from this table (kql_each_operator_name). */
static const struct {
    const char *name;
    plan *(*bind)(binder *b, plan *in, const ast_node *n);
} bind_operators[] = {
    { "as", bind_as },
    { "count", bind_count },
    { "distinct", bind_distinct },
    { "evaluate", bind_evaluate },
    { "extend", bind_extend },
    { "getschema", bind_getschema },
    { "invoke", bind_invoke },
    { "join", bind_join },
    { "lookup", bind_lookup },
    { "make-series", bind_make_series },
    { "mv-apply", bind_mv_apply },
    { "mv-expand", bind_mv_expand },
    { "parse", bind_parse },
    { "parse-where", bind_parse },
    { "project", bind_project },
    { "project-away", bind_project_away },
    { "project-keep", bind_project_keep },
    { "project-rename", bind_project_rename },
    { "project-reorder", bind_project_reorder },
    { "render", bind_render },
    { "serialize", bind_serialize },
    { "sort", bind_sort },
    { "summarize", bind_summarize },
    { "take", bind_take },
    { "top", bind_top },
    { "union", bind_union },
    { "where", bind_where },
};

void kql_each_operator_name(void (*fn)(const char *name, void *arg), void *arg)
{
    for (size_t i = 0; i < sizeof bind_operators / sizeof bind_operators[0]; i++)
        fn(bind_operators[i].name, arg);
}

static plan *bind_operator_kind(binder *b, plan *in, const ast_node *n)
{
    for (size_t i = 0; i < sizeof bind_operators / sizeof bind_operators[0]; i++)
        if (strcmp(n->text, bind_operators[i].name) == 0) return bind_operators[i].bind(b, in, n);
    refuse_operator(b, n);
    return NULL;
}

/* An operator, with the scope of window functions (window.h) its own. */
static plan *bind_operator(binder *b, plan *in, const ast_node *n)
{
    const plan_schema *rows = b->window_rows;
    bool needs_serialize = b->window_needs_serialize;
    const plan *op_input = b->op_input;
    bind_window_scope(b, in, n->text);
    b->op_input = in;
    plan *p = bind_operator_kind(b, in, n);
    b->window_rows = rows;
    b->window_needs_serialize = needs_serialize;
    b->op_input = op_input;
    if (p && p != in && !p->op) p->op = bind_strdup(b, n->text);
    return p;
}

plan *bind_operator_on(binder *b, plan *in, const ast_node *n)
{
    return bind_operator(b, in, n);
}

static plan *bind_tabular_node(binder *b, const ast_node *n);

/* A tabular expression (toscalar's, say) never sees the row of a scalar
 * function's caller, nor the summarize it may sit in. */
plan *bind_tabular(binder *b, const ast_node *n)
{
    const plan_schema *row = b->fn_row, *agg_input = b->agg_input;
    plan *agg_plan = b->agg_plan;
    b->fn_row = NULL;
    b->agg_plan = NULL;
    plan *p = bind_tabular_node(b, n);
    b->fn_row = row;
    b->agg_plan = agg_plan;
    b->agg_input = agg_input;
    return p;
}

static plan *bind_tabular_node(binder *b, const ast_node *n)
{
    switch (n->kind) {
    case AST_PIPE: {
        plan *in = bind_tabular(b, n->kids[0]);
        if (!in) return NULL;
        if (n->kids[1]->kind != AST_OPERATOR) break;
        const ast_node *prev = n->kids[0];
        if (prev->kind == AST_PIPE && prev->kids[1]->kind == AST_OPERATOR &&
            strcmp(prev->kids[1]->text, "render") == 0) {
            kql_error_set(b->err, &prev->kids[1]->loc, "render must be the last operator of a query");
            return NULL;
        }
        return bind_operator(b, in, n->kids[1]);
    }
    case AST_NAME:
        return bind_table_name(b, n, n->text);
    case AST_TABLE_REF:
        if (n->nkids == 0) return bind_table_name(b, n, n->text);
        kql_error_set(b->err, &n->loc, "database() and cluster() references are not supported");
        return NULL;
    case AST_DATATABLE:
        return bind_datatable(b, n);
    case AST_SUBQUERY:
        return bind_tabular(b, n->kids[0]);
    case AST_OPERATOR:
        if (strcmp(n->text, "print") == 0) return bind_print(b, n);
        if (strcmp(n->text, "range") == 0) return bind_range(b, n);
        if (strcmp(n->text, "union") == 0) return bind_union(b, NULL, n);
        refuse_operator(b, n);
        return NULL;
    case AST_CALL:
        if (strcmp(n->text, "table") == 0 && n->nkids == 1 && n->kids[0]->kind == AST_LITERAL &&
            n->kids[0]->op == AST_LIT_STRING)
            return bind_table_name(b, n, n->kids[0]->text);
        /* a tabular let is computed once already: materialize() changes nothing */
        if (strcmp(n->text, "materialize") == 0 && n->nkids == 1) return bind_tabular(b, n->kids[0]);
        if (bind_function_claims(b, n->text)) return bind_function_tabular(b, n, NULL);
        kql_error_set(b->err, &n->loc, "calling '%s' as a tabular function is not supported yet", n->text);
        return NULL;
    default:
        break;
    }
    kql_error_set(b->err, &n->loc, "expected a tabular expression here");
    return NULL;
}

/* ---- statements ---- */

bool bind_is_tabular(const binder *b, const ast_node *n)
{
    switch (n->kind) {
    case AST_PIPE: case AST_DATATABLE: case AST_OPERATOR: case AST_SUBQUERY: case AST_TABLE_REF:
        return true;
    case AST_NAME: {
        for (size_t i = b->nlets; i-- > 0;)
            if (strcmp(b->lets[i].name, n->text) == 0) return b->lets[i].tabular != NULL;
        return kql_catalog_find(b->catalog, n->text) != NULL;
    }
    case AST_CALL:
        return strcmp(n->text, "table") == 0 || strcmp(n->text, "materialize") == 0;
    default:
        return false;
    }
}

void bind_push_let(binder *b, bind_let let)
{
    if (b->nlets == b->cap_lets) {
        b->cap_lets = b->cap_lets ? b->cap_lets * 2 : 8;
        b->lets = realloc(b->lets, b->cap_lets * sizeof *b->lets);
    }
    b->lets[b->nlets++] = let;
}

plan_let *bind_new_let(binder *b, plan *body)
{
    plan_let *let = calloc(1, sizeof *let);
    let->body = body;
    plan_query *q = b->query;
    q->lets = realloc(q->lets, (q->nlets + 1) * sizeof *q->lets);
    q->lets[q->nlets++] = let;
    return let;
}

bool bind_let_statement(binder *b, const ast_node *n)
{
    const ast_node *v = n->kids[0];
    if (v->kind == AST_LAMBDA) {
        bind_push_let(b, (bind_let){ .name = n->text, .lambda = v, .lambda_scope = b->nlets });
        return true;
    }
    if (v->kind == AST_CALL && bind_function_claims(b, v->text)) return bind_function_let(b, n);
    if (bind_is_tabular(b, v)) {
        plan *body = bind_tabular(b, v);
        if (!body) return false;
        bind_push_let(b, (bind_let){ .name = n->text, .tabular = bind_new_let(b, body) });
        return true;
    }
    bexpr *e = bind_expr(b, v, NULL);
    if (!e) return false;
    if (bind_expr_uses_row(e)) return bind_push_row_let(b, n, e);   /* in a function body */
    bexpr *c = bind_alloc(b, sizeof *c);
    c->kind = BX_CONST;
    c->type = e->type;
    c->loc = e->loc;
    bind_fold_constant(b, e, &c->constant);
    bind_push_let(b, (bind_let){ .name = n->text, .scalar = c });
    return true;
}

static bool bind_set_stmt(binder *b, const ast_node *n)
{
    if (strcmp(n->text, "query_now") != 0) return true;   /* other options do not change results */
    if (n->nkids != 1) {
        kql_error_set(b->err, &n->loc, "set query_now needs a datetime value");
        return false;
    }
    bexpr *e = bind_expr(b, n->kids[0], NULL);
    if (!e) return false;
    kql_value v;
    bind_fold_constant(b, e, &v);
    if (v.type != KQL_DATETIME || v.is_null) {
        kql_error_set(b->err, &n->kids[0]->loc, "set query_now needs a datetime value, got %s",
                      kql_type_name(v.type));
        return false;
    }
    b->query->now = v.u.i;
    return true;
}

static bool bind_statement(binder *b, const ast_node *s)
{
    switch (s->kind) {
    case AST_LET: return bind_let_statement(b, s);
    case AST_SET: return bind_set_stmt(b, s);
    case AST_EXPR_STMT: {
        const ast_node *x = s->kids[0];
        plan *p;
        if (!bind_is_tabular(b, x) && x->kind != AST_NAME &&
            !(x->kind == AST_CALL && bind_function_claims(b, x->text))) {
            kql_error_set(b->err, &x->loc, "a query statement must be a tabular expression (use print for a scalar)");
            return false;
        }
        p = bind_tabular(b, x);
        if (!p) return false;
        plan_query *q = b->query;
        q->results = realloc(q->results, (q->nresults + 1) * sizeof *q->results);
        q->results[q->nresults++] = p;
        return true;
    }
    case AST_DECLARE:
    case AST_ALIAS:
    default:
        kql_error_set(b->err, &s->loc, "this statement (%s) is not supported yet", ast_kind_name(s->kind));
        return false;
    }
}

plan_query *bind_query(const ast_node *root, const kql_catalog *cat, int64_t now, kql_error *err)
{
    plan_query *q = calloc(1, sizeof *q);
    q->arena = kql_arena_new();
    q->now = now;
    binder b = { .catalog = cat, .query = q, .arena = q->arena, .err = err };
    bool ok = true;
    for (size_t i = 0; ok && i < root->nkids; i++) ok = bind_statement(&b, root->kids[i]);
    free(b.lets);
    if (ok && q->nresults == 0) {
        kql_error_set(err, &root->loc, "the query has no tabular expression to run");
        ok = false;
    }
    if (!ok) {
        plan_query_free(q);
        return NULL;
    }
    return q;
}

void plan_query_free(plan_query *q)
{
    if (!q) return;
    for (size_t i = 0; i < q->nlets; i++) {
        kql_table_free(q->lets[i]->result);
        free(q->lets[i]);
    }
    for (size_t i = 0; i < q->ntables; i++) kql_table_free(q->tables[i]);
    free(q->lets);
    free(q->tables);
    free(q->results);
    kql_arena_release(q->arena);
    free(q);
}
