/* bind_reorder.c - project-reorder: the named columns (or name* patterns)
 * first, in the order written, then the rest in their input order. A pattern
 * with asc or desc orders its matches by name (ordinal); without, they keep
 * their input order. granny-asc/-desc (natural order) is refused by name.
 * Binds to a PLAN_PROJECT of column references, so nothing runs per row.
 */
#include <string.h>

#include "bind.h"

/* Whether name matches pattern, where '*' matches any run of characters. */
static bool reorder_matches(const char *pat, const char *name)
{
    if (*pat == '\0') return *name == '\0';
    if (*pat == '*') {
        for (const char *s = name;; s++) {
            if (reorder_matches(pat + 1, s)) return true;
            if (*s == '\0') return false;
        }
    }
    return *pat == *name && reorder_matches(pat + 1, name + 1);
}

/* Sorts order[0..n) by column name (ordinal), descending when !asc; an
 * insertion sort, stable, as the matches of one pattern are few. */
static void reorder_by_name(const plan_schema *s, int *order, size_t n, bool asc)
{
    for (size_t i = 1; i < n; i++) {
        int c = order[i];
        size_t j = i;
        for (; j > 0; j--) {
            int cmp = strcmp(s->names[order[j - 1]], s->names[c]);
            if (asc ? cmp <= 0 : cmp >= 0) break;
            order[j] = order[j - 1];
        }
        order[j] = c;
    }
}

plan *bind_project_reorder(binder *b, plan *in, const ast_node *n)
{
    const plan_schema *s = &in->schema;
    int *order = bind_alloc(b, (s->ncols + 1) * sizeof *order);
    bool *placed = bind_alloc(b, s->ncols + 1);
    size_t norder = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) continue;
        const ast_node *name = k->kind == AST_SORTKEY ? k->kids[0] : k;
        int flags = k->kind == AST_SORTKEY ? k->op : -1;   /* -1: no direction written */
        if (name->kind != AST_NAME) {
            kql_error_set(b->err, &k->loc, "project-reorder expects column names");
            return NULL;
        }
        if (flags >= 0 && (flags & AST_SORT_GRANNY)) {
            kql_error_set(b->err, &k->loc, "project-reorder granny-asc/granny-desc is not supported yet");
            return NULL;
        }
        size_t first = norder;
        for (size_t c = 0; c < s->ncols; c++)
            if (!placed[c] && reorder_matches(name->text, s->names[c])) {
                placed[c] = true;
                order[norder++] = (int)c;
            }
        if (norder == first && !strchr(name->text, '*')) {
            kql_error_set(b->err, &name->loc, "project-reorder: unknown column '%s'", name->text);
            return NULL;
        }
        if (flags >= 0) reorder_by_name(s, order + first, norder - first, flags & AST_SORT_ASC);
    }
    for (size_t c = 0; c < s->ncols; c++)
        if (!placed[c]) order[norder++] = (int)c;
    plan *p = bind_new_plan(b, PLAN_PROJECT, in, n);
    bind_schema_alloc(b, &p->schema, s->ncols);
    p->exprs = bind_alloc(b, (s->ncols + 1) * sizeof *p->exprs);
    p->nexprs = s->ncols;
    for (size_t i = 0; i < s->ncols; i++) {
        int c = order[i];
        bexpr *e = bind_alloc(b, sizeof *e);
        e->kind = BX_COLUMN;
        e->type = s->types[c];
        e->column = c;
        e->loc = n->loc;
        p->exprs[i] = e;
        p->schema.names[i] = s->names[c];
        p->schema.types[i] = s->types[c];
        p->schema.hidden[i] = s->hidden[c];
    }
    return p;
}
