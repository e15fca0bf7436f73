/* bind_mv_apply.c - binding mv-apply: the items expand like mv-expand's,
 * and the subquery is bound once over the expanded row's schema; at run
 * time (op_mv_apply.c) it runs over each input row's expansion.
 *
 * Output columns (as Microsoft's analyzer gives them): the input's columns
 * that were not expanded, in order, then the subquery's; a subquery column
 * of the same name as an input column takes that column's place.
 */
#include <string.h>

#include "bind.h"
#include "evaluate_plan.h"

/* The subquery: operators over an implicit input, leftmost first. */
static plan *mv_apply_chain(binder *b, plan *src, const ast_node *c)
{
    if (c->kind == AST_PIPE) {
        plan *left = mv_apply_chain(b, src, c->kids[0]);
        if (!left) return NULL;
        if (c->kids[1]->kind != AST_OPERATOR) {
            kql_error_set(b->err, &c->kids[1]->loc, "mv-apply: expected an operator here");
            return NULL;
        }
        return bind_operator_on(b, left, c->kids[1]);
    }
    if (c->kind == AST_OPERATOR) return bind_operator_on(b, src, c);
    kql_error_set(b->err, &c->loc, "mv-apply: the subquery must start with an operator (its input is the expanded row)");
    return NULL;
}

static bool mv_apply_is_expanded(const plan *expand, size_t c)
{
    for (size_t j = 0; j < expand->nexpands; j++)
        if (expand->expands[j].replace_column == (int)c) return true;
    return false;
}

plan *bind_mv_apply(binder *b, plan *in, const ast_node *n)
{
    const ast_node *on = ast_clause(n, "on");
    if (!on || on->nkids != 1 || on->kids[0]->kind != AST_SUBQUERY) {
        kql_error_set(b->err, &n->loc, "mv-apply needs `on (subquery)`");
        return NULL;
    }
    plan *expand = bind_mv_expand_items(b, in, n);
    if (!expand) return NULL;

    plan_mv_apply *ma = bind_alloc(b, sizeof *ma);
    ma->expand = expand;
    /* The subquery's source: the expanded row, which op_mv_apply sets before
     * each run (the body is only its schema's owner, never run: see
     * row_subqueries). */
    ma->row = bind_new_let(b, expand);
    plan *src = bind_new_plan(b, PLAN_LET_REF, NULL, on);
    src->let = ma->row;
    src->schema = expand->schema;
    b->row_subqueries++;
    ma->subquery = mv_apply_chain(b, src, on->kids[0]->kids[0]);
    b->row_subqueries--;
    if (!ma->subquery) return NULL;

    const plan_schema *sub = &ma->subquery->schema;
    plan *p = bind_new_plan(b, PLAN_MV_APPLY, in, n);
    p->mv_apply = ma;
    size_t cap = in->schema.ncols + sub->ncols + 1;
    bind_schema_alloc(b, &p->schema, cap);
    p->schema.ncols = 0;
    ma->out_source = bind_alloc(b, cap * sizeof *ma->out_source);
    for (size_t c = 0; c < in->schema.ncols; c++) {
        if (mv_apply_is_expanded(expand, c)) continue;
        size_t o = p->schema.ncols++;
        p->schema.names[o] = in->schema.names[c];
        p->schema.types[o] = in->schema.types[c];
        p->schema.hidden[o] = in->schema.hidden[c];
        ma->out_source[o] = -1 - (int)c;
    }
    for (size_t s = 0; s < sub->ncols; s++) {
        size_t o;
        for (o = 0; o < p->schema.ncols && strcmp(p->schema.names[o], sub->names[s]) != 0; o++) {}
        if (o == p->schema.ncols) p->schema.ncols++;
        p->schema.names[o] = sub->names[s];
        p->schema.types[o] = sub->types[s];
        p->schema.hidden[o] = sub->hidden[s];
        ma->out_source[o] = (int)s;
    }
    return p;
}
