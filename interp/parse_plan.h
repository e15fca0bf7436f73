/* parse_plan.h - the bound form of `parse` and `parse-where` (PLAN_PARSE),
 * shared by the binder (bind_parse.c) and the operator (op_parse.c).
 *
 * The pattern is a list of elements: `*`, string constants and columns.
 * simple and relaxed kinds match it directly (op_parse.c); the regex kind
 * is compiled to one POSIX regex, built at bind time.
 */
#ifndef KQL_PARSE_PLAN_H
#define KQL_PARSE_PLAN_H

#include "plan.h"

typedef enum parse_kind { PARSE_SIMPLE, PARSE_RELAXED, PARSE_REGEX } parse_kind;

typedef enum parse_elem_kind { PARSE_STAR, PARSE_CONST, PARSE_COLUMN } parse_elem_kind;

typedef struct parse_elem {
    parse_elem_kind kind;
    const char *text;      /* PARSE_CONST: the constant's bytes, in the plan's arena */
    size_t len;
    size_t column;         /* PARSE_COLUMN: index among the parsed columns */
} parse_elem;

typedef struct plan_parse {
    parse_kind kind;
    bool where;            /* parse-where: rows that don't match are dropped */
    bexpr *source;         /* the parsed expression (rendered as text when not a string) */
    parse_elem *elems;
    size_t nelems;
    size_t ncolumns;       /* the parsed columns: */
    kql_type *types;       /*   their types */
    int *out_columns;      /*   their index in the plan's output schema */
    int *groups;           /*   PARSE_REGEX: their POSIX group */
    const char *regex;     /* PARSE_REGEX: the whole POSIX pattern */
    int regex_groups;      /* PARSE_REGEX: POSIX groups in it */
    bool icase, dot_newline;   /* PARSE_REGEX: flags i and s */
} plan_parse;

#endif
