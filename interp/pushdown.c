/* pushdown.c - the columns and row filters a query needs of each table
 * (pushdown.h).
 *
 * Each query is bound against empty tables with the known schemas. A walk
 * from each result down the plan carries the set of columns an operator's
 * output must have and turns it into the set its input must have: where,
 * project (every column it names counts: the query is bound again over the
 * loaded columns, so each must load), summarize, sort, take
 * and count are understood; any other operator
 * needs every column of its inputs (and of joined tables, union legs, let
 * bodies, mv-apply subqueries). What reaches a table is the columns to load.
 * A `where` whose input is the table itself (or another such `where`) is
 * pushed into the load when the table is referenced once in all the queries
 * and its predicate computes the same for a row whatever the other rows are
 * (no window functions, no rand()).
 */
#include "pushdown.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "buf.h"
#include "eval.h"
#include "evaluate_plan.h"
#include "exec.h"
#include "parse.h"
#include "result_shape.h"
#include "schema.h"

typedef struct pd_table {
    const kql_schema *schema;
    bool *need;              /* owned: per schema column */
    bool all;
    size_t refs;             /* references in the plans */
    bexpr **preds;           /* owned array of owned copies, columns renumbered for the loaded columns */
    size_t npreds;
    const char **columns;    /* owned array; names are the schema's */
    size_t ncolumns;
    int *loaded_index;       /* owned: schema column -> index among the loaded columns, or -1 */
    int64_t now;
} pd_table;

/* What one chunk's run of the streamed operators gave. */
typedef struct pd_piece {
    size_t offset, seq;      /* the chunk's place in the file; seq breaks ties */
    kql_table *rows;         /* owned */
} pd_piece;

struct kql_pushdown {
    kql_catalog cat;         /* the empty schema tables */
    ast_node **roots;        /* owned, one per query */
    plan_query **queries;    /* owned */
    size_t nq;
    pd_table *tables;        /* owned, one per schema table (cat order) */
    size_t ntables;
    const plan_let **lets;   /* lets walked already (owned array) */
    size_t nlets;
    kql_load_filter *filters;   /* owned */
    size_t nfilters;

    /* Streaming: a single query whose table's rows go through row-local
     * operators (where, project, extend, mv-expand) before anything that
     * needs all rows runs those operators on each chunk as it loads, keeps
     * only their output, and runs the rest over it (kql_pushdown_run). */
    plan *stream_top;        /* the last streamed operator, or NULL: no streaming */
    plan *stream_scan;       /* its PLAN_TABLE */
    size_t stream_ops;       /* how many operators stream */
    pd_table *stream_table;
    pd_piece *pieces;        /* owned */
    size_t npieces, cap_pieces;
    _Atomic bool stream_failed;   /* read by both loading threads without the lock */
    kql_error stream_err;
    pthread_mutex_t lock;    /* the loader's two threads: pieces, stream_err */
};

static pd_table *pd_table_of(kql_pushdown *P, const kql_table *t)
{
    for (size_t i = 0; i < P->ntables; i++)
        if (P->cat.tables[i] == t)
            return &P->tables[i];
    return NULL;
}

/* Marks the input columns e reads; false when e holds a window function (its
 * value depends on other rows, so the walk gives up on exactness). */
static bool pd_expr_columns(const bexpr *e, bool *need)
{
    if (!e)
        return true;
    if (e->kind == BX_WINDOW)
        return false;
    if (e->kind == BX_COLUMN)
        need[e->column] = true;
    for (size_t i = 0; i < e->nargs; i++)
        if (!pd_expr_columns(e->args[i], need))
            return false;
    return true;
}

/* Whether a row's predicate value depends on that row alone. */
static bool pd_row_local(const bexpr *e)
{
    if (!e)
        return true;
    if (e->kind == BX_WINDOW)
        return false;
    if (e->kind == BX_CALL && (strcmp(e->fn->name, "rand") == 0 || strcmp(e->fn->name, "new_guid") == 0))
        return false;
    for (size_t i = 0; i < e->nargs; i++)
        if (!pd_row_local(e->args[i]))
            return false;
    return true;
}

static void pd_walk(kql_pushdown *P, const plan *p, const bool *need);

static void pd_walk_all(kql_pushdown *P, const plan *p)
{
    if (p)
        pd_walk(P, p, NULL);
}

/* Walks p's input with `in` (p->input->schema.ncols flags) as its need. */
static void pd_walk_input(kql_pushdown *P, const plan *p, bool *in)
{
    pd_walk(P, p->input, in);
    free(in);
}

static bool *pd_need_new(const plan *p)
{
    return calloc(p->schema.ncols ? p->schema.ncols : 1, sizeof(bool));   /* the caller frees */
}

static void pd_walk(kql_pushdown *P, const plan *p, const bool *need)
{
    const plan *in = p->input;
    bool *inneed = in ? pd_need_new(in) : NULL;
    bool exact = inneed != NULL;
    switch (p->kind) {
    case PLAN_TABLE: {
        pd_table *t = pd_table_of(P, p->table);
        if (!t)
            break;
        t->refs++;
        t->all = t->all || !need;
        if (need)
            for (size_t i = 0; i < t->schema->ncols; i++)
                t->need[i] = t->need[i] || need[i];
        break;
    }
    case PLAN_WHERE:
        for (size_t i = 0; i < in->schema.ncols; i++)
            inneed[i] = need && need[i];
        exact = need && pd_expr_columns(p->predicate, inneed);
        break;
    case PLAN_PROJECT:
        /* Every expression the query wrote, needed or not: the query binds
         * again over the loaded columns, and each name it uses must be
         * there. Columns extend (and the like) pass on without naming them
         * (their reference carries the operator's position) count only
         * when needed. */
        for (size_t i = 0; i < p->nexprs && exact; i++) {
            const bexpr *e = p->exprs[i];
            bool implicit = e->kind == BX_COLUMN && e->loc.line == p->loc.line && e->loc.col == p->loc.col;
            if (!implicit || !need || need[i])
                exact = pd_expr_columns(e, inneed);
        }
        /* A column written over (`extend Identity = "x"`) keeps its input's
         * place: that input column must load, or binding again over the
         * loaded columns would add it at the end. */
        for (size_t i = 0; i < p->schema.ncols && exact; i++)
            for (size_t j = 0; j < in->schema.ncols; j++)
                if ((!need || need[i]) && strcmp(p->schema.names[i], in->schema.names[j]) == 0)
                    inneed[j] = true;
        break;
    case PLAN_SUMMARIZE:
        for (size_t i = 0; i < p->nkeys && exact; i++)
            exact = pd_expr_columns(p->keys[i], inneed);
        for (size_t i = 0; i < p->naggs && exact; i++)
            for (size_t j = 0; j < p->aggs[i].nargs && exact; j++)
                exact = pd_expr_columns(p->aggs[i].args[j], inneed);
        break;
    case PLAN_SORT:
        for (size_t i = 0; i < in->schema.ncols; i++)
            inneed[i] = need && need[i];
        exact = need != NULL;
        for (size_t i = 0; i < p->nsort_keys && exact; i++)
            exact = pd_expr_columns(p->sort_keys[i].expr, inneed);
        break;
    case PLAN_TAKE:
        for (size_t i = 0; i < in->schema.ncols; i++)
            inneed[i] = need && need[i];
        exact = need != NULL;   /* take of every column: the table's every column */
        break;
    case PLAN_COUNT:
        break;
    default:
        exact = false;
        break;
    }
    if (in && exact) {
        pd_walk_input(P, p, inneed);
    } else {
        free(inneed);
        pd_walk_all(P, in);
    }
    /* inputs besides p->input: all their columns */
    if (p->kind == PLAN_JOIN)
        pd_walk_all(P, p->join->right);
    if (p->kind == PLAN_UNION)
        for (size_t i = 0; i < p->union_->nlegs; i++)
            if (p->union_->legs[i] != in)
                pd_walk_all(P, p->union_->legs[i]);
    if (p->kind == PLAN_MV_APPLY) {
        pd_walk_all(P, p->mv_apply->expand);
        pd_walk_all(P, p->mv_apply->subquery);
    }
    if (p->kind == PLAN_EVALUATE && p->evaluate->summarize_plan)
        pd_walk_all(P, p->evaluate->summarize_plan);
    if (p->kind == PLAN_LET_REF) {
        for (size_t i = 0; i < P->nlets; i++)
            if (P->lets[i] == p->let)
                return;
        P->lets = kql_xrealloc(P->lets, (P->nlets + 1) * sizeof *P->lets);
        P->lets[P->nlets++] = p->let;
        pd_walk_all(P, p->let->body);
    }
}

/* A copy of e (malloc'd nodes, freed by pd_expr_free), to be renumbered
 * (pd_remap) for the columns it will read. Constants' bytes stay in the plan
 * arena. */
static bexpr *pd_expr_copy(const bexpr *e)
{
    if (!e)
        return NULL;
    bexpr *c = kql_xrealloc(NULL, sizeof *c);
    *c = *e;
    c->args = e->nargs ? kql_xrealloc(NULL, e->nargs * sizeof *c->args) : NULL;
    for (size_t i = 0; i < e->nargs; i++)
        c->args[i] = pd_expr_copy(e->args[i]);
    return c;
}

static void pd_expr_free(bexpr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nargs; i++)
        pd_expr_free(e->args[i]);
    free(e->args);
    free(e);
}

/* The rows of a chunk that pass every pushed predicate. */
static size_t pd_keep(void *ctx, const kql_table *chunk, size_t offset, size_t *keep)
{
    (void)offset;
    const pd_table *t = ctx;
    eval_ctx ec = { .now = t->now };
    size_t n = chunk->nrows;
    for (size_t i = 0; i < n; i++)
        keep[i] = i;
    for (size_t k = 0; k < t->npreds && n > 0; k++) {
        kql_column *pred = eval_expr(&ec, t->preds[k], chunk);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!kql_column_is_null(pred, keep[i]) && pred->data.b[keep[i]])
                keep[m++] = keep[i];
        n = m;
        kql_column_release(pred);
    }
    return n;
}

/* Renumbers the columns e reads through map (-1: not available); false when
 * e reads a column the map lacks. */
static bool pd_remap(bexpr *e, const int *map)
{
    if (e->kind == BX_COLUMN) {
        if (map[e->column] < 0)
            return false;
        e->column = map[e->column];
    }
    for (size_t i = 0; i < e->nargs; i++)
        if (e->args[i] && !pd_remap(e->args[i], map))
            return false;
    return true;
}

/* Goes down from p through wheres and through projects that pass columns
 * on unchanged, collecting copies of the predicates (preds[] are over p's
 * output columns). Returns the table the chain ends at, or NULL (preds
 * freed) when it ends elsewhere or meets something that reads other rows. */
static const kql_table *pd_chain(const plan *p, bexpr ***preds, size_t *n)
{
    if (p->kind == PLAN_TABLE)
        return p->table;
    bool ok = p->kind == PLAN_WHERE || p->kind == PLAN_PROJECT;
    if (p->kind == PLAN_WHERE)
        ok = pd_row_local(p->predicate);
    int *map = NULL;
    if (ok && p->kind == PLAN_PROJECT) {
        map = kql_xrealloc(NULL, (p->nexprs ? p->nexprs : 1) * sizeof *map);   /* freed below */
        for (size_t i = 0; i < p->nexprs && ok; i++) {
            ok = pd_row_local(p->exprs[i]);
            map[i] = p->exprs[i]->kind == BX_COLUMN ? p->exprs[i]->column : -1;
        }
        /* a predicate over a computed column stays above the project */
        size_t m = 0;
        for (size_t i = 0; i < *n && ok; i++) {
            if (pd_remap((*preds)[i], map))
                (*preds)[m++] = (*preds)[i];
            else
                pd_expr_free((*preds)[i]);
        }
        if (ok)
            *n = m;
    }
    free(map);
    if (ok && p->kind == PLAN_WHERE) {
        *preds = kql_xrealloc(*preds, (*n + 1) * sizeof **preds);
        (*preds)[(*n)++] = pd_expr_copy(p->predicate);
    }
    const kql_table *t = ok ? pd_chain(p->input, preds, n) : NULL;
    if (!t) {
        for (size_t i = 0; i < *n; i++)
            pd_expr_free((*preds)[i]);
        *n = 0;
    }
    return t;
}

/* The wheres on tables anywhere in the plan (one chain a table reference). */
static void pd_collect_wheres(kql_pushdown *P, const plan *p, int64_t now)
{
    if (!p)
        return;
    if (p->kind == PLAN_WHERE) {
        bexpr **preds = NULL;
        size_t n = 0;
        const kql_table *table = pd_chain(p, &preds, &n);
        pd_table *t = table ? pd_table_of(P, table) : NULL;
        if (t && t->refs == 1 && !t->all && t->npreds == 0) {
            for (size_t i = 0; i < n; i++)
                pd_remap(preds[i], t->loaded_index);   /* table columns -> loaded ones */
            t->preds = preds;
            t->npreds = n;
            t->now = now;
            preds = NULL;
            n = 0;
        }
        for (size_t i = 0; i < n; i++)
            pd_expr_free(preds[i]);
        free(preds);
        if (table)
            return;   /* the chain ends at a table: nothing below it */
    }
    pd_collect_wheres(P, p->input, now);
    if (p->kind == PLAN_JOIN)
        pd_collect_wheres(P, p->join->right, now);
    if (p->kind == PLAN_UNION)
        for (size_t i = 0; i < p->union_->nlegs; i++)
            if (p->union_->legs[i] != p->input)
                pd_collect_wheres(P, p->union_->legs[i], now);
    if (p->kind == PLAN_LET_REF)
        pd_collect_wheres(P, p->let->body, now);
}

/* Whether p computes each output row from one input row alone. */
static bool pd_row_local_op(const plan *p)
{
    switch (p->kind) {
    case PLAN_WHERE:
        return pd_row_local(p->predicate);
    case PLAN_PROJECT:
        for (size_t i = 0; i < p->nexprs; i++)
            if (!pd_row_local(p->exprs[i]))
                return false;
        return true;
    case PLAN_MV_EXPAND:
        for (size_t i = 0; i < p->nexpands; i++)
            if (!pd_row_local(p->expands[i].expr))
                return false;
        return true;
    default:
        return false;
    }
}

/* Finds the row-local operators directly over the table at the bottom of
 * the single query's input chain. */
static void pd_find_stream(kql_pushdown *P)
{
    if (P->nq != 1 || P->queries[0]->nresults != 1)
        return;
    plan *path[256];
    size_t n = 0;
    for (plan *p = P->queries[0]->results[0]; p && n < 256; p = p->input)
        path[n++] = p;
    if (n < 2 || path[n - 1]->kind != PLAN_TABLE)
        return;
    pd_table *t = pd_table_of(P, path[n - 1]->table);
    if (!t || t->refs != 1 || t->all)
        return;
    /* The rest of the query runs on the plan bound for this analysis, whose
     * other table nodes (a join's right side, a let) hold the schema-only
     * tables, not the data: stream only a query that reads no other table. */
    for (size_t i = 0; i < P->ntables; i++)
        if (&P->tables[i] != t && P->tables[i].refs > 0)
            return;
    size_t top = n - 1;
    while (top > 0 && pd_row_local_op(path[top - 1]))
        top--;
    if (top == n - 1)
        return;
    P->stream_top = path[top];
    P->stream_ops = n - 1 - top;
    P->stream_scan = path[n - 1];
    P->stream_table = t;
}

/* A reference to a column of n nulls of a type (made once per chunk and
 * type in nulls[]: columns are not shared between threads, as their
 * reference counts are not atomic). */
static kql_column *pd_nulls(kql_column **nulls, kql_type type, size_t n)
{
    if (!nulls[type]) {
        kql_value v = kql_null(type);
        nulls[type] = kql_column_repeat(&v, type, n);
    }
    return kql_column_retain(nulls[type]);
}

/* The load's chunk callback in streaming mode: runs the streamed operators
 * over the chunk and keeps their output; the chunk's own rows are not kept. */
static size_t pd_stream_chunk(void *ctx, const kql_table *chunk, size_t offset, size_t *keep)
{
    (void)keep;
    kql_pushdown *P = ctx;
    if (P->stream_failed || chunk->nrows == 0)
        return 0;
    const pd_table *t = P->stream_table;
    /* the chunk with every column of the schema, as the plan was bound */
    kql_table *full = kql_table_new(t->schema->table);
    kql_column *nulls[KQL_TYPE_COUNT] = { 0 };
    for (size_t i = 0; i < t->schema->ncols; i++) {
        const kql_schema_column *sc = &t->schema->cols[i];
        kql_type type = sc->type == KQL_DECIMAL ? KQL_REAL : sc->type;
        kql_column *c = t->loaded_index[i] >= 0 ? kql_column_retain(chunk->cols[t->loaded_index[i]])
                                                : pd_nulls(nulls, type, chunk->nrows);
        if (sc->hidden)
            kql_table_add_hidden(full, sc->name, c);
        else
            kql_table_add(full, sc->name, c);
    }
    full->nrows = chunk->nrows;
    kql_error err = { 0 };
    exec_ctx x = { .eval = { .now = P->queries[0]->now }, .err = &err, .scan = P->stream_scan,
                   .scan_table = full };
    kql_table *out = exec_plan(&x, P->stream_top);
    kql_table_free(full);
    for (size_t i = 0; i < KQL_TYPE_COUNT; i++)
        kql_column_release(nulls[i]);
    if (!out) {
        pthread_mutex_lock(&P->lock);
        if (!P->stream_failed)
            P->stream_err = err;
        P->stream_failed = true;
        pthread_mutex_unlock(&P->lock);
        return 0;
    }
    /* Operators share bytes with their input (gathered columns hold on to
     * the chunk's arenas): a copy of only the rows that came out lets the
     * chunk's memory go. */
    kql_table *own = kql_table_copy(out, NULL);
    kql_table_free(out);
    out = own;
    pthread_mutex_lock(&P->lock);
    if (P->npieces == P->cap_pieces) {
        P->cap_pieces = P->cap_pieces ? P->cap_pieces * 2 : 64;
        P->pieces = kql_xrealloc(P->pieces, P->cap_pieces * sizeof *P->pieces);
    }
    P->pieces[P->npieces] = (pd_piece){ offset, P->npieces, out };
    P->npieces++;
    pthread_mutex_unlock(&P->lock);
    return 0;
}

static int pd_piece_cmp(const void *a, const void *b)
{
    const pd_piece *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

bool kql_pushdown_streams(const kql_pushdown *P)
{
    return P->stream_top != NULL;
}

int kql_pushdown_run(kql_pushdown *P, const kql_catalog *cat, kql_results *out, kql_error *err)
{
    memset(out, 0, sizeof *out);
    if (!P->stream_top || !kql_catalog_find(cat, P->stream_table->schema->table))
        return 1;   /* the table was not loaded: the ordinary run says so */
    if (P->stream_failed) {
        *err = P->stream_err;
        return -1;
    }
    /* the pieces in file order, as one table */
    if (P->npieces > 1)
        qsort(P->pieces, P->npieces, sizeof *P->pieces, pd_piece_cmp);
    const plan_schema *s = &P->stream_top->schema;
    kql_table *rows = kql_table_new(NULL);   /* owned by the query below */
    size_t total = 0;
    for (size_t k = 0; k < P->npieces; k++)
        total += P->pieces[k].rows->nrows;
    for (size_t i = 0; i < s->ncols; i++) {
        kql_column *c = kql_column_new(s->types[i], total);
        if (s->hidden[i])
            kql_table_add_hidden(rows, s->names[i], c);
        else
            kql_table_add(rows, s->names[i], c);
    }
    for (size_t k = 0; k < P->npieces; k++) {
        kql_table_append_rows(rows, P->pieces[k].rows);
        kql_table_free(P->pieces[k].rows);   /* as it goes: the rows are not held twice */
    }
    P->npieces = 0;
    /* the result's promises (order, keys) come from the plan as bound, before
     * the streamed operators become their output */
    plan_query *q = P->queries[0];
    out->shapes = kql_xrealloc(NULL, sizeof *out->shapes);   /* freed by kql_results_free */
    result_shape_of(q->results[0], &out->shapes[0]);
    q->tables = kql_xrealloc(q->tables, (q->ntables + 1) * sizeof *q->tables);
    q->tables[q->ntables++] = rows;
    P->stream_top->kind = PLAN_DATATABLE;
    P->stream_top->table = rows;
    exec_ctx x = { .eval = { .now = q->now }, .err = err };
    kql_table *t = exec_plan(&x, q->results[0]);
    P->stream_top = NULL;   /* the plan is spent */
    if (!t) {
        free(out->shapes);
        out->shapes = NULL;
        return -1;
    }
    out->tables = kql_xrealloc(NULL, sizeof *out->tables);
    out->tables[0] = t;
    out->ntables = 1;
    return 0;
}

kql_pushdown *kql_pushdown_new(const char *const *texts, const size_t *lens, size_t n,
                               const kql_run_options *opt, bool allow_stream)
{
    kql_pushdown *P = calloc(1, sizeof *P);   /* kql_pushdown_free */
    pthread_mutex_init(&P->lock, NULL);
    kql_catalog_init(&P->cat);
    for (const kql_schema *s; (s = kql_schema_at(P->cat.ntables)) != NULL;) {
        kql_table *t = kql_table_new(s->table);
        for (size_t i = 0; i < s->ncols; i++) {
            kql_type type = s->cols[i].type == KQL_DECIMAL ? KQL_REAL : s->cols[i].type;
            if (s->cols[i].hidden)
                kql_table_add_hidden(t, s->cols[i].name, kql_column_new(type, 0));
            else
                kql_table_add(t, s->cols[i].name, kql_column_new(type, 0));
        }
        kql_catalog_add(&P->cat, t);
    }
    P->ntables = P->cat.ntables;
    P->tables = calloc(P->ntables ? P->ntables : 1, sizeof *P->tables);
    for (size_t i = 0; i < P->ntables; i++) {
        const kql_schema *s = kql_schema_at(i);
        P->tables[i].schema = s;
        P->tables[i].need = calloc(s->ncols ? s->ncols : 1, sizeof(bool));
        P->tables[i].loaded_index = calloc(s->ncols ? s->ncols : 1, sizeof(int));
    }

    P->roots = calloc(n ? n : 1, sizeof *P->roots);
    P->queries = calloc(n ? n : 1, sizeof *P->queries);
    for (size_t q = 0; q < n; q++) {
        kql_syntax_error se;
        kql_error err = { 0 };
        P->roots[q] = kql_parse(texts[q], lens[q], &se);
        if (!P->roots[q])
            goto unsafe;
        P->nq = q + 1;
        P->queries[q] = bind_query(P->roots[q], &P->cat, opt->now, &err);
        if (!P->queries[q] || P->queries[q]->reads_at_bind)
            goto unsafe;
        for (size_t r = 0; r < P->queries[q]->nresults; r++)
            pd_walk_all(P, P->queries[q]->results[r]);
    }

    for (size_t i = 0; i < P->ntables; i++) {
        pd_table *t = &P->tables[i];
        if (t->all)
            continue;
        t->columns = calloc(t->schema->ncols ? t->schema->ncols : 1, sizeof *t->columns);
        for (size_t c = 0; c < t->schema->ncols; c++) {
            t->loaded_index[c] = t->need[c] ? (int)t->ncolumns : -1;
            if (t->need[c])
                t->columns[t->ncolumns++] = t->schema->cols[c].name;
        }
    }
    for (size_t q = 0; q < P->nq; q++)
        for (size_t r = 0; r < P->queries[q]->nresults; r++)
            pd_collect_wheres(P, P->queries[q]->results[r], P->queries[q]->now);
    if (allow_stream)
        pd_find_stream(P);

    P->filters = calloc(P->ntables ? P->ntables : 1, sizeof *P->filters);
    for (size_t i = 0; i < P->ntables; i++) {
        pd_table *t = &P->tables[i];
        if (t->all)
            continue;
        P->filters[P->nfilters++] = (kql_load_filter){
            .table = t->schema->table, .columns = t->columns, .ncolumns = t->ncolumns,
            .keep = t->npreds ? pd_keep : NULL, .ctx = t,
        };
        if (t == P->stream_table) {
            P->filters[P->nfilters - 1].keep = pd_stream_chunk;
            P->filters[P->nfilters - 1].ctx = P;
        }
    }
    return P;
unsafe:
    kql_pushdown_free(P);
    return NULL;
}

const kql_load_filter *kql_pushdown_filters(const kql_pushdown *p, size_t *n)
{
    *n = p->nfilters;
    return p->filters;
}

void kql_pushdown_describe(const kql_pushdown *P, FILE *out)
{
    for (size_t i = 0; i < P->ntables; i++) {
        const pd_table *t = &P->tables[i];
        if (!t->refs)
            continue;
        if (t->all) {
            fprintf(out, "pushdown: %s: every column, no predicate\n", t->schema->table);
            continue;
        }
        fprintf(out, "pushdown: %s: %zu column%s (", t->schema->table, t->ncolumns, t->ncolumns == 1 ? "" : "s");
        for (size_t c = 0; c < t->ncolumns; c++)
            fprintf(out, "%s%s", c ? ", " : "", t->columns[c]);
        fprintf(out, "), %zu predicate%s", t->npreds, t->npreds == 1 ? "" : "s");
        if (t == P->stream_table)
            fprintf(out, ", %zu operator%s run as it loads", P->stream_ops, P->stream_ops == 1 ? "" : "s");
        fputc('\n', out);
    }
}

void kql_pushdown_free(kql_pushdown *P)
{
    if (!P)
        return;
    for (size_t i = 0; i < P->ntables; i++) {
        pd_table *t = &P->tables[i];
        for (size_t k = 0; k < t->npreds; k++)
            pd_expr_free(t->preds[k]);
        free(t->preds);
        free(t->need);
        free(t->columns);
        free(t->loaded_index);
    }
    free(P->tables);
    for (size_t q = 0; q < P->nq; q++) {
        if (P->queries[q])
            plan_query_free(P->queries[q]);
        ast_free(P->roots[q]);
    }
    free(P->queries);
    free(P->roots);
    free(P->lets);
    free(P->filters);
    for (size_t k = 0; k < P->npieces; k++)
        kql_table_free(P->pieces[k].rows);
    free(P->pieces);
    pthread_mutex_destroy(&P->lock);
    kql_catalog_free(&P->cat);
    free(P);
}
