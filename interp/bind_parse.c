/* bind_parse.c - binding `parse` and `parse-where` (parse-operator.md,
 * parse-where-operator.md) into a PLAN_PARSE node.
 *
 * The output is the input with the parsed columns: a new name is appended,
 * an existing one is replaced in place with the new type (as extend does).
 * For kind=regex the whole pattern becomes one POSIX regex here: `*` is
 * `.*`, a string column `(.*)`, long and int `(-?[0-9]+)`, real a number,
 * other types `(.*)` checked by conversion; constants are RE2 translated by
 * fn_regex.c. POSIX picks the leftmost-longest match, which equals RE2's
 * greedy default (regex-mode columns are greedy: the docs' example without
 * flag U takes everything up to the last delimiter); flag U (ungreedy) has
 * no POSIX form and is refused.
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "buf.h"
#include "parse_plan.h"
#include "regex_match.h"

static const char *parse_option_text(const ast_node *opt)
{
    const ast_node *v = opt->nkids ? opt->kids[0] : NULL;
    return v && v->text ? v->text : "";
}

static bool parse_options(binder *b, const ast_node *n, plan_parse *pp)
{
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind != AST_OPTION) continue;
        const char *val = parse_option_text(k);
        if (strcmp(k->text, "kind") == 0) {
            if (strcmp(val, "simple") == 0) pp->kind = PARSE_SIMPLE;
            else if (strcmp(val, "relaxed") == 0 && !pp->where) pp->kind = PARSE_RELAXED;
            else if (strcmp(val, "regex") == 0) pp->kind = PARSE_REGEX;
            else {
                kql_error_set(b->err, &k->loc, "%s: kind=%s is not a parse kind (simple, regex%s)", n->text, val,
                              pp->where ? "" : ", relaxed");
                return false;
            }
        } else if (strcmp(k->text, "flags") == 0) {
            for (const char *f = val; *f; f++) {
                if (*f == 'i') pp->icase = true;
                else if (*f == 's') pp->dot_newline = true;
                else if (*f == 'm') continue;   /* ^ and $ at line ends: the pattern is matched whole anyway */
                else {
                    kql_error_set(b->err, &k->loc, "%s: regex flag '%c' is not supported%s", n->text, *f,
                                  *f == 'U' ? " (ungreedy matching has no POSIX regex form)" : "");
                    return false;
                }
            }
        } else {
            kql_error_set(b->err, &k->loc, "%s: option '%s' is not supported", n->text, k->text);
            return false;
        }
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (n->kids[i]->kind == AST_OPTION && strcmp(n->kids[i]->text, "flags") == 0 && pp->kind != PARSE_REGEX) {
            kql_error_set(b->err, &n->kids[i]->loc, "%s: flags apply only to kind=regex", n->text);
            return false;
        }
    return true;
}

/* The regex kind's POSIX text for one column of type t; *groups gets the
 * groups it opens (the first is the column's). Without flag s the regex is
 * compiled with REG_NEWLINE, so `.` stops at line ends as in RE2. */
static const char *parse_column_regex(kql_type t, int *groups)
{
    *groups = 1;
    if (t == KQL_LONG || t == KQL_INT) return "(-?[0-9]+)";
    if (t == KQL_REAL) {
        *groups = 3;
        return "(-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?)";
    }
    return "(.*)";
}

static bool parse_build_regex(binder *b, const ast_node *n, plan_parse *pp)
{
    kql_buf re;
    kql_buf_init(&re);
    int group = 0;
    pp->groups = bind_alloc(b, (pp->ncolumns + 1) * sizeof *pp->groups);
    bool ok = true;
    for (size_t i = 0; ok && i < pp->nelems; i++) {
        const parse_elem *e = &pp->elems[i];
        if (e->kind == PARSE_STAR) {
            kql_buf_puts(&re, ".*");
        } else if (e->kind == PARSE_COLUMN) {
            int g;
            kql_buf_puts(&re, parse_column_regex(pp->types[e->column], &g));
            pp->groups[e->column] = group + 1;
            group += g;
        } else {
            int g;
            bool icase = false;
            kql_buf_putc(&re, '(');
            ok = kql_regex_translate((kql_str){ e->text, (uint32_t)e->len }, &re, &g, &icase);
            kql_buf_putc(&re, ')');
            group += 1 + g;
            pp->icase |= icase;
        }
    }
    if (ok) {
        regex_t probe;
        int cflags = REG_EXTENDED | (pp->icase ? REG_ICASE : 0) | (pp->dot_newline ? 0 : REG_NEWLINE);
        ok = regcomp(&probe, kql_buf_cstr(&re), cflags) == 0;
        if (ok) regfree(&probe);
    }
    if (!ok)
        kql_error_set(b->err, &n->loc, "%s: the pattern is not a valid regular expression", n->text);
    else
        pp->regex = bind_strdup(b, kql_buf_cstr(&re));
    pp->regex_groups = group;
    kql_buf_free(&re);
    return ok;
}

plan *bind_parse(binder *b, plan *in, const ast_node *n)
{
    plan_parse *pp = bind_alloc(b, sizeof *pp);
    pp->where = strcmp(n->text, "parse-where") == 0;
    pp->kind = PARSE_SIMPLE;
    if (!parse_options(b, n, pp)) return NULL;
    const ast_node *source = NULL, *with = NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const ast_node *k = n->kids[i];
        if (k->kind == AST_OPTION) continue;
        if (k->kind == AST_CLAUSE && strcmp(k->text, "with") == 0) with = k;
        else if (!source) source = k;
    }
    if (!source || !with || with->nkids == 0) {
        kql_error_set(b->err, &n->loc, "%s needs an expression and a pattern: %s Expr with * \"text\" Column ...",
                      n->text, n->text);
        return NULL;
    }
    pp->source = bind_expr(b, source, &in->schema);
    if (!pp->source) return NULL;

    plan *p = bind_new_plan(b, PLAN_PARSE, in, n);
    p->parse = pp;
    bind_schema_alloc(b, &p->schema, in->schema.ncols + with->nkids);
    p->schema.ncols = in->schema.ncols;
    for (size_t i = 0; i < in->schema.ncols; i++) {
        p->schema.names[i] = in->schema.names[i];
        p->schema.types[i] = in->schema.types[i];
        p->schema.hidden[i] = in->schema.hidden[i];
    }
    pp->elems = bind_alloc(b, with->nkids * sizeof *pp->elems);
    pp->types = bind_alloc(b, with->nkids * sizeof *pp->types);
    pp->out_columns = bind_alloc(b, with->nkids * sizeof *pp->out_columns);
    for (size_t i = 0; i < with->nkids; i++) {
        const ast_node *k = with->kids[i];
        parse_elem *e = &pp->elems[pp->nelems++];
        if (k->kind == AST_STAR) {
            e->kind = PARSE_STAR;
        } else if (k->kind == AST_LITERAL && k->op == AST_LIT_STRING) {
            e->kind = PARSE_CONST;
            e->text = bind_alloc(b, k->text_len + 1);
            memcpy((char *)e->text, k->text, k->text_len);
            e->len = k->text_len;
        } else if (k->kind == AST_COLDEF) {
            kql_type t = k->op == AST_TYPE_NONE ? KQL_STRING : kql_type_from_name(ast_type_name((ast_type)k->op));
            if (t == KQL_TYPE_UNKNOWN || t == KQL_DECIMAL) {
                kql_error_set(b->err, &k->loc, "%s: column type '%s' is not supported", n->text,
                              ast_type_name((ast_type)k->op));
                return NULL;
            }
            for (size_t c = 0; c < pp->ncolumns; c++)
                if (strcmp(p->schema.names[pp->out_columns[c]], k->text) == 0) {
                    kql_error_set(b->err, &k->loc, "%s: column '%s' is parsed twice", n->text, k->text);
                    return NULL;
                }
            int at = -1;
            for (size_t c = 0; c < p->schema.ncols; c++)
                if (strcmp(p->schema.names[c], k->text) == 0) at = (int)c;
            if (at < 0) {
                at = (int)p->schema.ncols++;
                p->schema.names[at] = k->text;
            }
            p->schema.types[at] = t;
            p->schema.hidden[at] = false;
            e->kind = PARSE_COLUMN;
            e->column = pp->ncolumns;
            pp->types[pp->ncolumns] = t;
            pp->out_columns[pp->ncolumns++] = at;
        } else {
            kql_error_set(b->err, &k->loc, "%s: the pattern holds string constants, column names and *", n->text);
            return NULL;
        }
        if (i > 0 && e->kind != PARSE_CONST && pp->elems[pp->nelems - 2].kind != PARSE_CONST &&
            !(e->kind == PARSE_STAR && pp->elems[pp->nelems - 2].kind == PARSE_COLUMN &&
              pp->types[pp->elems[pp->nelems - 2].column] != KQL_STRING)) {
            /* two columns, or a string column and `*`, side by side have no boundary to find */
            kql_error_set(b->err, &k->loc, "%s: put a string constant between two columns, or a column and *",
                          n->text);
            return NULL;
        }
    }
    if (pp->ncolumns == 0) {
        kql_error_set(b->err, &with->loc, "%s: the pattern names no column", n->text);
        return NULL;
    }
    if (pp->kind == PARSE_REGEX && !parse_build_regex(b, n, pp)) return NULL;
    return p;
}
