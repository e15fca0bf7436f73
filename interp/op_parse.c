/* op_parse.c - `parse` and `parse-where`: split a string into typed columns
 * by a pattern of constants, columns and `*` (parse_plan.h).
 *
 * The pattern must cover the whole string (a leading or trailing `*` lets
 * it start or end anywhere). simple and relaxed kinds match it here, by
 * backtracking: a constant matches its bytes; `*` and string columns take
 * as little text as lets the rest match (text up to the next constant);
 * long and int columns take a run of digits (`-?\d+`), real a number, and
 * other typed columns the shortest text that converts. In simple mode a
 * typed column that doesn't convert fails the match; relaxed mode lets it
 * take the text up to the next constant and gives null
 * (parse-operator.md, "Relaxed mode"). A failed (element, position) pair is
 * remembered, so a row costs at most elements x positions tries.
 *
 * The regex kind runs the POSIX regex the binder built. A row that doesn't
 * match gives nulls (empty strings) in parse, and is dropped by parse-where.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exec.h"
#include "functions.h"
#include "parse_plan.h"

/* Per-row matching state of the simple and relaxed kinds. */
typedef struct parse_run {
    const plan_parse *pp;
    const char *s;
    size_t len;
    uint8_t *failed;          /* bit (elem * (len + 1) + pos): no match from there */
    size_t *cap_from, *cap_to;
    bool *cap_ok;             /* the capture converts to the column's type */
    kql_fn_ctx *fctx;
    const kql_function **convert;   /* per column; NULL for string */
} parse_run;

static const char *parse_converter_name(kql_type t)
{
    switch (t) {
    case KQL_LONG: return "tolong";
    case KQL_INT: return "toint";
    case KQL_REAL: return "toreal";
    case KQL_DATETIME: return "todatetime";
    case KQL_TIMESPAN: return "totimespan";
    case KQL_BOOL: return "tobool";
    case KQL_GUID: return "toguid";
    case KQL_DYNAMIC: return "todynamic";
    default: return NULL;
    }
}

/* s[from, to) as column c's type; null when it doesn't convert. */
static kql_value parse_convert(const parse_run *r, size_t c, size_t from, size_t to)
{
    kql_value text = kql_string(r->s + from, to - from);
    if (!r->convert[c]) return text;
    kql_value out = kql_null(r->pp->types[c]);
    r->convert[c]->eval(r->fctx, &text, 1, &out);
    return out;
}

static bool parse_converts(const parse_run *r, size_t c, size_t from, size_t to)
{
    return !parse_convert(r, c, from, to).is_null;
}

static bool parse_match(parse_run *r, size_t k, size_t pos);

static bool parse_try(parse_run *r, size_t k, size_t col, size_t pos, size_t end, bool ok)
{
    r->cap_from[col] = pos;
    r->cap_to[col] = end;
    r->cap_ok[col] = ok;
    return parse_match(r, k + 1, end);
}

/* The longest run at s[pos..] of characters a number of type t is made of. */
static size_t parse_number_run(const parse_run *r, size_t pos, kql_type t)
{
    size_t e = pos;
    if (e < r->len && r->s[e] == '-') e++;
    while (e < r->len && ((r->s[e] >= '0' && r->s[e] <= '9') ||
                          (t == KQL_REAL && strchr(".eE+-", r->s[e]) && r->s[e] != '\0')))
        e++;
    return e;
}

static bool parse_column(parse_run *r, size_t k, size_t col, size_t pos)
{
    kql_type t = r->pp->types[col];
    if (t == KQL_STRING) {
        for (size_t end = pos; end <= r->len; end++)
            if (parse_try(r, k, col, pos, end, true)) return true;
        return false;
    }
    if (t == KQL_LONG || t == KQL_INT || t == KQL_REAL) {
        /* a number: as many of its characters as convert, longest first (\d+ is greedy) */
        for (size_t end = parse_number_run(r, pos, t); end > pos; end--)
            if (r->s[end - 1] >= '0' && r->s[end - 1] <= '9' && parse_converts(r, col, pos, end) &&
                parse_try(r, k, col, pos, end, true))
                return true;
    } else {
        for (size_t end = pos + 1; end <= r->len; end++)
            if (parse_converts(r, col, pos, end) && parse_try(r, k, col, pos, end, true)) return true;
    }
    if (r->pp->kind != PARSE_RELAXED) return false;
    for (size_t end = pos; end <= r->len; end++)   /* relaxed: the text up to the next constant, as null */
        if (parse_try(r, k, col, pos, end, false)) return true;
    return false;
}

static bool parse_match(parse_run *r, size_t k, size_t pos)
{
    if (k == r->pp->nelems) return pos == r->len;
    size_t bit = k * (r->len + 1) + pos;
    if (r->failed[bit >> 3] >> (bit & 7) & 1) return false;
    const parse_elem *e = &r->pp->elems[k];
    bool ok = false;
    if (e->kind == PARSE_CONST) {
        ok = r->len - pos >= e->len && memcmp(r->s + pos, e->text, e->len) == 0 &&
             parse_match(r, k + 1, pos + e->len);
    } else if (e->kind == PARSE_STAR) {
        for (size_t end = pos; !ok && end <= r->len; end++) ok = parse_match(r, k + 1, end);
    } else {
        ok = parse_column(r, k, e->column, pos);
    }
    if (!ok) r->failed[bit >> 3] |= (uint8_t)(1u << (bit & 7));
    return ok;
}

kql_table *op_parse(exec_ctx *x, const plan *p, kql_table *in)
{
    const plan_parse *pp = p->parse;
    size_t ncols = pp->ncolumns;
    kql_column *src = eval_expr(&x->eval, pp->source, in);
    kql_column **cols = calloc(ncols, sizeof *cols);              /* freed below */
    const kql_function **convert = calloc(ncols, sizeof *convert);
    size_t *cap_from = calloc(ncols, sizeof *cap_from), *cap_to = calloc(ncols, sizeof *cap_to);
    bool *cap_ok = calloc(ncols, sizeof *cap_ok);
    size_t *kept = malloc((in->nrows ? in->nrows : 1) * sizeof *kept);
    for (size_t c = 0; c < ncols; c++) {
        cols[c] = kql_column_new(pp->types[c], in->nrows);
        const char *fn = parse_converter_name(pp->types[c]);
        convert[c] = fn ? kql_function_find(fn) : NULL;
    }
    kql_fn_ctx fctx = { .arena = kql_arena_new(), .now = x->eval.now };   /* conversions' bytes */
    kql_buf_init(&fctx.scratch);
    kql_buf text;                       /* a non-string source, rendered */
    kql_buf_init(&text);
    uint8_t *failed = NULL;
    size_t failed_cap = 0;

    regex_t re;
    regmatch_t *m = NULL;
    bool have_re = false;
    if (pp->kind == PARSE_REGEX) {
        int cflags = REG_EXTENDED | (pp->icase ? REG_ICASE : 0) | (pp->dot_newline ? 0 : REG_NEWLINE);
        have_re = regcomp(&re, pp->regex, cflags) == 0;   /* checked at bind time */
        m = calloc((size_t)pp->regex_groups + 1, sizeof *m);
    }

    parse_run r = { .pp = pp, .cap_from = cap_from, .cap_to = cap_to, .cap_ok = cap_ok, .fctx = &fctx,
                    .convert = convert };
    size_t nkept = 0;
    for (size_t row = 0; row < in->nrows; row++) {
        kql_value v = kql_column_get(src, row);
        if (v.type == KQL_STRING) {
            r.s = v.u.s.len ? v.u.s.ptr : "";
            r.len = v.u.s.len;
        } else {
            kql_buf_clear(&text);
            if (!v.is_null) kql_value_to_text(&v, &text);
            r.s = text.len ? text.data : "";
            r.len = text.len;
        }
        bool matched = false;
        if (pp->kind == PARSE_REGEX) {
            m[0].rm_so = 0;
            m[0].rm_eo = (regoff_t)r.len;
            matched = have_re && regexec(&re, r.s, (size_t)pp->regex_groups + 1, m, REG_STARTEND) == 0 &&
                      m[0].rm_so == 0 && (size_t)m[0].rm_eo == r.len;
            for (size_t c = 0; matched && c < ncols; c++) {
                const regmatch_t *g = &m[pp->groups[c]];
                cap_from[c] = g->rm_so < 0 ? 0 : (size_t)g->rm_so;
                cap_to[c] = g->rm_so < 0 ? 0 : (size_t)g->rm_eo;
                cap_ok[c] = parse_converts(&r, c, cap_from[c], cap_to[c]);
                matched = cap_ok[c];   /* strict: every column converts */
            }
        } else {
            size_t bits = (pp->nelems + 1) * (r.len + 1);
            if ((bits + 7) / 8 > failed_cap) {
                failed_cap = (bits + 7) / 8;
                free(failed);
                failed = malloc(failed_cap);
            }
            memset(failed, 0, (bits + 7) / 8);
            r.failed = failed;
            matched = parse_match(&r, 0, 0);
        }
        if (!matched && pp->where) continue;
        kept[nkept++] = row;
        for (size_t c = 0; c < ncols; c++) {
            kql_value out = matched && cap_ok[c] ? parse_convert(&r, c, cap_from[c], cap_to[c]) : kql_null(pp->types[c]);
            if (out.is_null) kql_column_push_null(cols[c]);
            else kql_column_push(cols[c], &out);
        }
    }

    kql_table *base = nkept == in->nrows ? exec_table_share(in) : exec_table_gather(in, kept, nkept);
    kql_table *out = kql_table_new(NULL);
    for (size_t i = 0; i < p->schema.ncols; i++) {
        kql_column *c = NULL;
        for (size_t k = 0; k < ncols && !c; k++)
            if (pp->out_columns[k] == (int)i) c = kql_column_retain(cols[k]);
        if (!c) c = kql_column_retain(base->cols[i]);
        if (p->schema.hidden[i]) kql_table_add_hidden(out, p->schema.names[i], c);
        else kql_table_add(out, p->schema.names[i], c);
    }
    out->nrows = nkept;

    if (pp->kind == PARSE_REGEX && have_re) regfree(&re);
    free(m);
    free(failed);
    kql_buf_free(&text);
    kql_buf_free(&fctx.scratch);
    kql_arena_release(fctx.arena);
    for (size_t c = 0; c < ncols; c++) kql_column_release(cols[c]);
    free(cols);
    free(convert);
    free(cap_from);
    free(cap_to);
    free(cap_ok);
    free(kept);
    kql_table_free(base);
    kql_column_release(src);
    kql_table_free(in);
    return out;
}
