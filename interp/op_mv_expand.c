/* op_mv_expand.c - mv-expand: one output row per element of a dynamic array
 * (or property of a bag) in each input row.
 *
 * Kusto's rules (NOTES.md section 2.1): an empty array or bag gives no row, a
 * null gives one row with null, a scalar gives one row with itself; several
 * expanded columns advance in parallel and the shorter ones are padded with
 * null. A bag expands into single-property bags (kind=bag) or [key, value]
 * arrays (kind=array). The expanded column takes the place of the column it
 * came from (`mv-expand todynamic(X)` keeps X where it was).
 */
#include <stdlib.h>

#include "buf.h"
#include "cancel.h"
#include "dynamic.h"
#include "exec.h"

/* How many rows a value expands into. */
static size_t expand_count(const kql_value *v)
{
    if (v->is_null) return 1;
    kql_dyn d = (kql_dyn)v->u.s.ptr;
    kql_dyn_tag tag = kql_dyn_tag_of(d);
    if (tag == KQL_DYN_ARRAY || tag == KQL_DYN_OBJECT) return kql_dyn_count(d);
    return 1;
}

/* Cursor over the elements of one value while its rows are produced. */
typedef struct expand_cursor {
    kql_value v;
    kql_dyn_tag tag;
    const uint8_t *next;     /* next element or property */
} expand_cursor;

static void cursor_start(expand_cursor *c, const kql_value *v)
{
    c->v = *v;
    c->tag = v->is_null ? KQL_DYN_NULL : kql_dyn_tag_of((kql_dyn)v->u.s.ptr);
    c->next = NULL;
    if (c->tag == KQL_DYN_ARRAY) c->next = kql_dyn_first((kql_dyn)v->u.s.ptr);
    else if (c->tag == KQL_DYN_OBJECT) c->next = kql_dyn_prop_first((kql_dyn)v->u.s.ptr);
}

/* Element j of the cursor's value, appended to out as dynamic or converted. */
static void push_element(kql_column *out, expand_cursor *c, size_t j, size_t count, bool bag_as_array,
                         kql_buf *scratch, kql_buf *text)
{
    kql_value elem;
    if (j >= count || c->v.is_null) {
        kql_column_push_null(out);
        return;
    }
    if (c->tag == KQL_DYN_ARRAY) {
        elem = kql_dyn_value(c->next);
        c->next = kql_dyn_next(c->next);
    } else if (c->tag == KQL_DYN_OBJECT) {
        kql_str key;
        kql_dyn val;
        kql_dyn_prop(c->next, &key, &val);
        c->next = kql_dyn_prop_next(c->next);
        kql_buf_clear(scratch);
        size_t mark;
        if (bag_as_array) {
            mark = kql_dyn_begin_array(scratch);
            kql_dyn_put_string(scratch, key.ptr, key.len);
            kql_dyn_put_raw(scratch, val);
            kql_dyn_end(scratch, mark, 2);
        } else {
            mark = kql_dyn_begin_object(scratch);
            kql_dyn_put_key(scratch, key.ptr, key.len);
            kql_dyn_put_raw(scratch, val);
            kql_dyn_end(scratch, mark, 1);
        }
        elem = (kql_value){ .type = KQL_DYNAMIC };
        elem.u.s.ptr = scratch->data;
        elem.u.s.len = (uint32_t)scratch->len;
    } else {
        elem = c->v;   /* a scalar expands to itself */
    }

    if (out->type == KQL_DYNAMIC) {
        if (elem.u.s.ptr == scratch->data) kql_column_push(out, &elem);
        else kql_column_push_borrowed(out, &elem);
        return;
    }
    exec_push_dyn_converted(out, (kql_dyn)elem.u.s.ptr, text);   /* to typeof(T) */
}

kql_table *op_mv_expand(exec_ctx *x, const plan *p, kql_table *in)
{
    size_t ne = p->nexpands;
    kql_column **src = calloc(ne, sizeof *src);            /* all freed below */
    kql_column **dst = calloc(ne, sizeof *dst);
    expand_cursor *cur = calloc(ne, sizeof *cur);
    size_t *counts = calloc(ne, sizeof *counts);
    for (size_t e = 0; e < ne; e++) {
        src[e] = eval_expr(&x->eval, p->expands[e].expr, in);
        dst[e] = kql_column_new(p->expands[e].to_type, in->nrows);
        kql_column_borrow(dst[e], src[e]);
    }
    kql_column *itemindex = p->itemindex_column >= 0 ? kql_column_new(KQL_LONG, in->nrows) : NULL;
    size_t *idx = NULL, nidx = 0, cap = 0;
    kql_buf scratch, text;
    kql_buf_init(&scratch);
    kql_buf_init(&text);
    size_t max_rows = exec_max_rows(p->schema.ncols);
    bool too_big = false;

    for (size_t row = 0; row < in->nrows && !kql_cancel_poll(row); row++) {
        size_t rows = 0;
        for (size_t e = 0; e < ne; e++) {
            kql_value v = kql_column_get(src[e], row);
            counts[e] = expand_count(&v);
            if (counts[e] > rows) rows = counts[e];
            cursor_start(&cur[e], &v);
        }
        if (p->expand_limit >= 0 && rows > (size_t)p->expand_limit) rows = (size_t)p->expand_limit;
        if (rows > max_rows - nidx) {
            too_big = true;
            break;
        }
        for (size_t j = 0; j < rows; j++) {
            if (nidx == cap) {
                cap = cap ? cap * 2 : 1024;
                idx = kql_xrealloc(idx, cap * sizeof *idx);
            }
            idx[nidx++] = row;
            for (size_t e = 0; e < ne; e++)
                push_element(dst[e], &cur[e], j, counts[e], p->expand_bag_as_array, &scratch, &text);
            if (itemindex) {
                kql_value iv = kql_long((int64_t)j);
                kql_column_push(itemindex, &iv);
            }
        }
    }

    kql_table *out = NULL;
    if (too_big) {
        kql_error_set(x->err, &p->loc,
                      "mv-expand: the result has more than %zu rows, the most this engine produces with %zu columns",
                      max_rows, p->schema.ncols);
        goto done;
    }
    out = kql_table_new(NULL);
    for (size_t c = 0; c < p->schema.ncols; c++) {
        kql_column *col = NULL;
        for (size_t e = 0; e < ne; e++)
            if (p->expands[e].replace_column == (int)c) col = kql_column_retain(dst[e]);
        if (!col && (int)c == p->itemindex_column) col = kql_column_retain(itemindex);
        if (!col) col = kql_column_gather(in->cols[c], idx, nidx);
        if (p->schema.hidden[c]) kql_table_add_hidden(out, p->schema.names[c], col);
        else kql_table_add(out, p->schema.names[c], col);
    }
    out->nrows = nidx;

done:
    for (size_t e = 0; e < ne; e++) {
        kql_column_release(src[e]);
        kql_column_release(dst[e]);
    }
    kql_column_release(itemindex);
    free(src);
    free(dst);
    free(cur);
    free(counts);
    free(idx);
    kql_buf_free(&scratch);
    kql_buf_free(&text);
    kql_table_free(in);
    return out;
}
