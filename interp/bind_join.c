/* bind_join.c - binding join, lookup and union into PLAN_JOIN / PLAN_UNION.
 *
 * join: the right side is any tabular expression, bound with the same scope
 * (lets are visible). Keys are `on a` (column a on both sides) and
 * `on $left.a == $right.b` (also joined with `and`). Output columns follow
 * Kusto: the left columns, then the right ones, where a right column whose
 * name clashes gets the first free numeric suffix (Key1); semi and anti
 * kinds keep one side only. lookup is a leftouter or inner join whose right
 * key columns are left out of the output.
 *
 * union: the legs' columns are merged by name (kind=outer, the default) or
 * cut to the columns every leg has (kind=inner). A name that comes with
 * several types becomes one column per type, named name_type (x_long,
 * x_int), in the place the name first appears.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"

/* prefix + sep + suffix in the plan's arena, however long the names are. */
static char *concat_name(binder *b, const char *prefix, const char *sep, const char *suffix)
{
    size_t np = strlen(prefix), ns = strlen(sep), nx = strlen(suffix);
    char *s = bind_alloc(b, np + ns + nx + 1);
    memcpy(s, prefix, np);
    memcpy(s + np, sep, ns);
    memcpy(s + np + ns, suffix, nx + 1);
    return s;
}

/* name followed by the number k (Key1, x_long1). */
static char *numbered_name(binder *b, const char *name, int k)
{
    char num[16];
    snprintf(num, sizeof num, "%d", k);
    return concat_name(b, name, "", num);
}

static bool option_is(const ast_node *opt, const char *name)
{
    return strcmp(opt->text, name) == 0;
}

static const char *option_value(const ast_node *opt)
{
    const ast_node *v = opt->nkids ? opt->kids[0] : NULL;
    return v && v->text ? v->text : "";
}

/* ---- join and lookup ---- */

static bool join_kind_from_name(const char *s, plan_join_kind *out)
{
    static const struct { const char *name; plan_join_kind kind; } kinds[] = {
        { "innerunique", PLAN_JOIN_INNERUNIQUE }, { "inner", PLAN_JOIN_INNER },
        { "leftouter", PLAN_JOIN_LEFTOUTER },     { "rightouter", PLAN_JOIN_RIGHTOUTER },
        { "fullouter", PLAN_JOIN_FULLOUTER },     { "leftanti", PLAN_JOIN_LEFTANTI },
        { "anti", PLAN_JOIN_LEFTANTI },           { "leftantisemi", PLAN_JOIN_LEFTANTI },
        { "rightanti", PLAN_JOIN_RIGHTANTI },     { "rightantisemi", PLAN_JOIN_RIGHTANTI },
        { "leftsemi", PLAN_JOIN_LEFTSEMI },       { "semi", PLAN_JOIN_LEFTSEMI },
        { "rightsemi", PLAN_JOIN_RIGHTSEMI },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *out = kinds[i].kind;
            return true;
        }
    return false;
}

/* Keys must compare by value: the same type, or int with long. */
static bool join_types_match(kql_type a, kql_type b)
{
    if (a == b) return true;
    return (a == KQL_INT || a == KQL_LONG) && (b == KQL_INT || b == KQL_LONG);
}

static int join_side_column(binder *b, const ast_node *n, const char *side, const plan_schema *s)
{
    if (n->kind != AST_MEMBER || n->kids[0]->kind != AST_NAME || strcmp(n->kids[0]->text, side) != 0) {
        kql_error_set(b->err, &n->loc, "join condition operand must be %s.<column>", side);
        return -2;
    }
    int c = bind_schema_find(s, n->text);
    if (c < 0) kql_error_set(b->err, &n->loc, "unknown column '%s' on the %s side of the join", n->text, side + 1);
    return c;
}

static bool join_add_key(binder *b, plan_join *j, const ast_node *at, int l, int r, const plan_schema *ls,
                         const plan_schema *rs, size_t cap)
{
    if (!join_types_match(ls->types[l], rs->types[r])) {
        kql_error_set(b->err, &at->loc, "join key '%s' is %s on the left but '%s' is %s on the right", ls->names[l],
                      kql_type_name(ls->types[l]), rs->names[r], kql_type_name(rs->types[r]));
        return false;
    }
    if (ls->types[l] == KQL_DYNAMIC) {
        kql_error_set(b->err, &at->loc, "join cannot use a dynamic key ('%s'); convert it first", ls->names[l]);
        return false;
    }
    if (j->nkeys == cap) {
        kql_error_set(b->err, &at->loc, "join has too many keys");
        return false;
    }
    j->left_keys[j->nkeys] = l;
    j->right_keys[j->nkeys] = r;
    j->nkeys++;
    return true;
}

/* One item of `on`: a column name, $left.a == $right.b, or such conditions joined by `and`. */
static bool join_bind_key(binder *b, plan_join *j, const ast_node *k, const plan_schema *ls,
                          const plan_schema *rs, size_t cap)
{
    if (k->kind == AST_NAME) {
        int l = bind_schema_find(ls, k->text), r = bind_schema_find(rs, k->text);
        if (l < 0 || r < 0) {
            kql_error_set(b->err, &k->loc, "join key '%s' is not a column of the %s side", k->text,
                          l < 0 ? "left" : "right");
            return false;
        }
        return join_add_key(b, j, k, l, r, ls, rs, cap);
    }
    if (k->kind == AST_BINARY && k->op == AST_OP_AND)
        return join_bind_key(b, j, k->kids[0], ls, rs, cap) && join_bind_key(b, j, k->kids[1], ls, rs, cap);
    if (k->kind == AST_BINARY && k->op == AST_OP_EQ) {
        int l = join_side_column(b, k->kids[0], "$left", ls);
        if (l < 0) return false;
        int r = join_side_column(b, k->kids[1], "$right", rs);
        if (r < 0) return false;
        return join_add_key(b, j, k, l, r, ls, rs, cap);
    }
    kql_error_set(b->err, &k->loc, "join expects keys as column names or $left.a == $right.b");
    return false;
}

static size_t count_key_conditions(const ast_node *k)
{
    if (k->kind == AST_BINARY && k->op == AST_OP_AND)
        return count_key_conditions(k->kids[0]) + count_key_conditions(k->kids[1]);
    return 1;
}

static bool right_is_key(const plan_join *j, int r)
{
    for (size_t i = 0; i < j->nkeys; i++)
        if (j->right_keys[i] == r) return true;
    return false;
}

static bool name_taken(const plan_schema *a, const plan_schema *b, const plan_schema *out, const char *name)
{
    return bind_schema_find(a, name) >= 0 || bind_schema_find(b, name) >= 0 || bind_schema_find(out, name) >= 0;
}

static void out_column(plan_schema *out, int *out_cols, const char *name, kql_type type, bool hidden, int src)
{
    out->names[out->ncols] = (char *)name;
    out->types[out->ncols] = type;
    out->hidden[out->ncols] = hidden;
    out_cols[out->ncols] = src;
    out->ncols++;
}

/* The output schema: left columns, right columns (renamed on a clash, and
 * without the key columns when `drop_right_keys`), or one side alone. */
static void join_schema(binder *b, plan *p, const plan_schema *ls, const plan_schema *rs, bool drop_right_keys)
{
    plan_join *j = p->join;
    plan_schema *out = &p->schema;
    bind_schema_alloc(b, out, ls->ncols + rs->ncols);
    out->ncols = 0;
    j->out_cols = bind_alloc(b, (ls->ncols + rs->ncols + 1) * sizeof *j->out_cols);
    bool left = j->kind != PLAN_JOIN_RIGHTSEMI && j->kind != PLAN_JOIN_RIGHTANTI;
    bool right = j->kind != PLAN_JOIN_LEFTSEMI && j->kind != PLAN_JOIN_LEFTANTI;
    if (!left) {
        for (size_t c = 0; c < rs->ncols; c++)
            out_column(out, j->out_cols, rs->names[c], rs->types[c], rs->hidden[c], -1 - (int)c);
        return;
    }
    for (size_t c = 0; c < ls->ncols; c++) out_column(out, j->out_cols, ls->names[c], ls->types[c], ls->hidden[c], (int)c);
    if (!right) return;
    for (size_t c = 0; c < rs->ncols; c++) {
        if (drop_right_keys && right_is_key(j, (int)c)) continue;
        const char *name = rs->names[c];
        if (bind_schema_find(ls, name) >= 0) {   /* Key -> Key1, or the first free KeyN */
            for (int k = 1; name_taken(ls, rs, out, name); k++) name = numbered_name(b, rs->names[c], k);
        }
        out_column(out, j->out_cols, name, rs->types[c], rs->hidden[c], -1 - (int)c);
    }
}

static plan *bind_join_common(binder *b, plan *in, const ast_node *n, bool lookup)
{
    plan_join_kind kind = lookup ? PLAN_JOIN_LEFTOUTER : PLAN_JOIN_INNERUNIQUE;
    const ast_node *right = NULL, *on = NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) {
            if (strncmp(k->text, "hint.", 5) == 0) continue;   /* execution hints change no result */
            if (!option_is(k, "kind")) {
                kql_error_set(b->err, &k->loc, "%s option '%s' is not supported", n->text, k->text);
                return NULL;
            }
            const char *v = option_value(k);
            if (!join_kind_from_name(v, &kind)) {
                kql_error_set(b->err, &k->loc, "unknown %s kind '%s'", n->text, v);
                return NULL;
            }
            if (lookup && kind != PLAN_JOIN_LEFTOUTER && kind != PLAN_JOIN_INNER) {
                kql_error_set(b->err, &k->loc, "lookup kind=%s is not supported (lookup takes leftouter or inner)", v);
                return NULL;
            }
        } else if (k->kind == AST_CLAUSE && strcmp(k->text, "on") == 0) {
            on = k;
        } else if (!right) {
            right = k;
        }
    }
    if (!right) {
        kql_error_set(b->err, &n->loc, "%s needs a right-hand table", n->text);
        return NULL;
    }
    if (!on || on->nkids == 0) {
        kql_error_set(b->err, &n->loc, "%s needs an 'on' clause naming the key columns", n->text);
        return NULL;
    }
    plan *rp = bind_tabular(b, right);
    if (!rp) return NULL;
    plan *p = bind_new_plan(b, PLAN_JOIN, in, n);
    plan_join *j = bind_alloc(b, sizeof *j);
    p->join = j;
    j->kind = kind;
    j->right = rp;
    size_t cap = 0;
    for (size_t i = 0; i < on->nkids; i++) cap += count_key_conditions(on->kids[i]);
    j->left_keys = bind_alloc(b, cap * sizeof *j->left_keys);
    j->right_keys = bind_alloc(b, cap * sizeof *j->right_keys);
    for (size_t i = 0; i < on->nkids; i++)
        if (!join_bind_key(b, j, on->kids[i], &in->schema, &rp->schema, cap)) return NULL;
    join_schema(b, p, &in->schema, &rp->schema, lookup);
    return p;
}

plan *bind_join(binder *b, plan *in, const ast_node *n)
{
    return bind_join_common(b, in, n, false);
}

plan *bind_lookup(binder *b, plan *in, const ast_node *n)
{
    return bind_join_common(b, in, n, true);
}

/* ---- union ---- */

/* Glob match with any number of '*' (union Event*, *Logs). */
static bool glob_match(const char *pat, const char *s)
{
    if (*pat == '\0') return *s == '\0';
    if (*pat == '*') {
        for (const char *t = s;; t++) {
            if (glob_match(pat + 1, t)) return true;
            if (*t == '\0') return false;
        }
    }
    return *pat == *s && glob_match(pat + 1, s + 1);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct union_legs {
    plan **plans;
    const char **names;
    size_t n, cap;
} union_legs;

static void legs_add(union_legs *l, plan *p, const char *name)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->plans = realloc(l->plans, l->cap * sizeof *l->plans);
        l->names = realloc(l->names, l->cap * sizeof *l->names);
    }
    l->plans[l->n] = p;
    l->names[l->n] = name;
    l->n++;
}

static plan *catalog_table_plan(binder *b, kql_table *t, const ast_node *at)
{
    plan *p = bind_new_plan(b, PLAN_TABLE, NULL, at);
    p->table = t;
    bind_schema_alloc(b, &p->schema, t->ncols);
    for (size_t i = 0; i < t->ncols; i++) {
        p->schema.names[i] = t->col_names[i];
        p->schema.types[i] = t->cols[i]->type;
        p->schema.hidden[i] = t->hidden ? t->hidden[i] : false;
    }
    return p;
}

/* Catalog tables matching a wildcard, in name order (so the merged columns
 * come in a stable order). Returns how many were added. */
static size_t add_wildcard_legs(binder *b, union_legs *legs, const ast_node *item, const char *pattern)
{
    const kql_catalog *cat = b->catalog;
    const char **names = malloc((cat->ntables ? cat->ntables : 1) * sizeof *names);   /* freed below */
    size_t n = 0;
    for (size_t i = 0; i < cat->ntables; i++)
        if (cat->tables[i]->name && glob_match(pattern, cat->tables[i]->name)) names[n++] = cat->tables[i]->name;
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++)
        legs_add(legs, catalog_table_plan(b, kql_catalog_find(cat, names[i]), item), names[i]);
    free(names);
    return n;
}

/* Whether a name exists at all (a let of any kind, or a table): isfuzzy
 * leaves out only names that do not; a wrong kind is bind_tabular's error. */
static bool name_resolves(const binder *b, const char *name)
{
    for (size_t i = 0; i < b->nlets; i++)
        if (strcmp(b->lets[i].name, name) == 0) return true;
    return kql_catalog_find(b->catalog, name) != NULL;
}

/* The name of a piped input that is a table or a tabular let, else NULL. */
static const char *input_name(const binder *b, const plan *in)
{
    if (in->kind == PLAN_TABLE) return in->table->name;
    if (in->kind != PLAN_LET_REF) return NULL;
    for (size_t i = b->nlets; i-- > 0;)
        if (b->lets[i].tabular == in->let) return b->lets[i].name;
    return NULL;
}

/* Binds the union's legs into *legs; false with the error set. */
static bool bind_union_legs(binder *b, plan *in, const ast_node *n, bool fuzzy, union_legs *legs)
{
    if (in) legs_add(legs, in, input_name(b, in));
    size_t missing = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) continue;
        bool star = k->kind == AST_STAR;   /* union *: every table */
        if (star || (k->kind == AST_NAME && strchr(k->text, '*'))) {
            if (add_wildcard_legs(b, legs, k, star ? "*" : k->text) == 0 && !fuzzy) {
                kql_error_set(b->err, &k->loc, "union: no table matches '%s'", star ? "*" : k->text);
                return false;
            }
            continue;
        }
        if (k->kind == AST_NAME && fuzzy && !name_resolves(b, k->text)) {
            missing++;   /* isfuzzy=true: a leg that does not resolve is left out */
            continue;
        }
        plan *p = bind_tabular(b, k);
        if (!p) return false;
        legs_add(legs, p, k->kind == AST_NAME ? k->text : NULL);
    }
    if (legs->n == 0) {
        kql_error_set(b->err, &n->loc, missing ? "union: none of its tables exist" : "union needs at least one table");
        return false;
    }
    return true;
}

/* Adds output column `name` (made unique with a numeric suffix); its index. */
static int union_add_column(binder *b, plan_schema *s, const char *name, kql_type type, bool hidden)
{
    bind_schema_add_unique(b, s, name, type);
    s->hidden[s->ncols - 1] = hidden;
    return (int)s->ncols - 1;
}

/* kind=outer: every (name, type) of any leg, grouped by name in the order
 * names first appear. Fills col_map. */
static void union_outer_schema(binder *b, plan *p, const union_legs *legs)
{
    plan_union *u = p->union_;
    plan_schema *s = &p->schema;
    for (size_t l = 0; l < legs->n; l++) {
        const plan_schema *ls = &legs->plans[l]->schema;
        for (size_t c = 0; c < ls->ncols; c++) {
            const char *name = ls->names[c];
            bool seen = false;   /* handled with the leg where the name first appears */
            for (size_t e = 0; e < l && !seen; e++) seen = bind_schema_find(&legs->plans[e]->schema, name) >= 0;
            if (seen) continue;
            /* the types this name comes with, in order of appearance */
            kql_type types[16];
            size_t ntypes = 0;
            for (size_t e = l; e < legs->n; e++) {
                int at = bind_schema_find(&legs->plans[e]->schema, name);
                if (at < 0) continue;
                kql_type t = legs->plans[e]->schema.types[at];
                bool have = false;
                for (size_t x = 0; x < ntypes; x++) have = have || types[x] == t;
                if (!have && ntypes < sizeof types / sizeof types[0]) types[ntypes++] = t;
            }
            for (size_t x = 0; x < ntypes; x++) {
                const char *col = ntypes > 1 ? concat_name(b, name, "_", kql_type_name(types[x])) : name;
                int out = union_add_column(b, s, col, types[x], ls->hidden[c]);
                for (size_t e = 0; e < legs->n; e++) {
                    int at = bind_schema_find(&legs->plans[e]->schema, name);
                    if (at >= 0 && legs->plans[e]->schema.types[at] == types[x]) u->col_map[e][out] = at;
                }
            }
        }
    }
}

/* kind=inner: the columns every leg has, in the first leg's order. */
static bool union_inner_schema(binder *b, plan *p, const union_legs *legs)
{
    plan_union *u = p->union_;
    const plan_schema *first = &legs->plans[0]->schema;
    for (size_t c = 0; c < first->ncols; c++) {
        bool everywhere = true;
        for (size_t e = 1; e < legs->n && everywhere; e++) {
            const plan_schema *es = &legs->plans[e]->schema;
            int at = bind_schema_find(es, first->names[c]);
            if (at < 0) {
                everywhere = false;
            } else if (es->types[at] != first->types[c]) {
                kql_error_set(b->err, &p->loc, "union kind=inner: column '%s' is %s in one table and %s in another",
                              first->names[c], kql_type_name(first->types[c]), kql_type_name(es->types[at]));
                return false;
            }
        }
        if (!everywhere) continue;
        int out = union_add_column(b, &p->schema, first->names[c], first->types[c], first->hidden[c]);
        for (size_t e = 0; e < legs->n; e++) u->col_map[e][out] = bind_schema_find(&legs->plans[e]->schema, first->names[c]);
    }
    return true;
}

plan *bind_union(binder *b, plan *in, const ast_node *n)
{
    bool inner = false, fuzzy = false;
    const char *source = NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind != AST_OPTION) continue;
        const char *v = option_value(k);
        if (strncmp(k->text, "hint.", 5) == 0) continue;   /* execution hints change no result */
        if (option_is(k, "kind")) {
            if (strcmp(v, "inner") != 0 && strcmp(v, "outer") != 0) {
                kql_error_set(b->err, &k->loc, "union kind=%s is not supported (union takes inner or outer)", v);
                return NULL;
            }
            inner = strcmp(v, "inner") == 0;
        } else if (option_is(k, "withsource")) {
            source = v;
        } else if (option_is(k, "isfuzzy")) {
            if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
                kql_error_set(b->err, &k->loc, "union isfuzzy must be true or false");
                return NULL;
            }
            fuzzy = strcmp(v, "true") == 0;
        } else {
            kql_error_set(b->err, &k->loc, "union option '%s' is not supported", k->text);
            return NULL;
        }
    }
    union_legs legs = { 0 };   /* arrays freed below; the plans live in the arena */
    plan *p = NULL;
    if (!bind_union_legs(b, in, n, fuzzy, &legs)) goto done;
    if (source) {
        for (size_t l = 0; l < legs.n; l++) {
            if (bind_schema_find(&legs.plans[l]->schema, source) >= 0) {
                kql_error_set(b->err, &n->loc, "union withsource=%s: a table already has a column '%s'", source, source);
                goto done;
            }
            if (!legs.names[l]) {
                kql_error_set(b->err, &n->loc,
                              "union withsource: leg %zu is not a table or let name, and naming it is not supported yet",
                              l + 1);
                goto done;
            }
        }
    }
    p = bind_new_plan(b, PLAN_UNION, NULL, n);
    plan_union *u = bind_alloc(b, sizeof *u);
    p->union_ = u;
    u->nlegs = legs.n;
    u->legs = bind_alloc(b, legs.n * sizeof *u->legs);
    u->leg_names = bind_alloc(b, legs.n * sizeof *u->leg_names);
    u->col_map = bind_alloc(b, legs.n * sizeof *u->col_map);
    size_t cap = 1;
    for (size_t l = 0; l < legs.n; l++) cap += legs.plans[l]->schema.ncols;
    for (size_t l = 0; l < legs.n; l++) {
        u->legs[l] = legs.plans[l];
        u->leg_names[l] = legs.names[l];
        u->col_map[l] = bind_alloc(b, cap * sizeof *u->col_map[l]);
        for (size_t c = 0; c < cap; c++) u->col_map[l][c] = -1;
    }
    bind_schema_alloc(b, &p->schema, cap);
    p->schema.ncols = 0;
    u->source_column = -1;
    if (source) u->source_column = union_add_column(b, &p->schema, source, KQL_STRING, false);
    if (inner) {
        if (!union_inner_schema(b, p, &legs)) p = NULL;
    } else {
        union_outer_schema(b, p, &legs);
    }
done:
    free(legs.plans);
    free(legs.names);
    return p;
}
