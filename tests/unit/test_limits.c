/* test_limits.c - the documented bounds that turn runaway input into a clear
 * error instead of a stack overflow: bracket nesting and tree depth in the
 * parser, nesting of dynamic literals, of parse_json text and of JSON table
 * files, and the sizes --max-memory accepts. The inputs are built here (too
 * long to write out in a golden test); each bound is checked on both sides.
 * Expected messages and positions are worked out by hand from the inputs. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "format.h"
#include "interp.h"
#include "json_load.h"
#include "lexer.h"
#include "memory.h"
#include "parse.h"

/* prefix, `open` n times, middle, `close` n times, suffix; freed by the caller */
static char *nest(const char *prefix, const char *open, int n, const char *middle, const char *close,
                  const char *suffix)
{
    kql_buf b;
    kql_buf_init(&b);
    kql_buf_puts(&b, prefix);
    for (int i = 0; i < n; i++) kql_buf_puts(&b, open);
    kql_buf_puts(&b, middle);
    for (int i = 0; i < n; i++) kql_buf_puts(&b, close);
    kql_buf_puts(&b, suffix);
    return (char *)kql_buf_cstr(&b);
}

static void parse_fails(const char *q, int col, const char *message)
{
    kql_syntax_error err;
    ast_node *root = kql_parse(q, strlen(q), &err);
    cr_assert_null(root, "expected a syntax error");
    cr_assert_str_eq(err.message, message);
    cr_assert_eq(err.loc.col, col, "column %d, want %d", err.loc.col, col);
}

static void parses(const char *q)
{
    kql_syntax_error err;
    ast_node *root = kql_parse(q, strlen(q), &err);
    cr_assert_not_null(root, "unexpected error: %s", err.message);
    ast_free(root);
}

/* Runs q with no tables; returns its one result cell as text, or the error
 * message. Freed by the caller. */
static char *run(const char *q)
{
    kql_catalog cat;
    kql_catalog_init(&cat);
    kql_results res;
    kql_error err = { 0 };
    kql_run_options opt = { .now_set = true, .now = 0 };
    char *out;
    if (kql_run(q, strlen(q), &cat, &opt, &res, &err) != 0) {
        out = strdup(err.message);
    } else {
        kql_buf b;
        kql_buf_init(&b);
        kql_column *c = res.tables[0]->cols[0];
        kql_format_cell_text(c, 0, &b);
        out = strdup(kql_buf_cstr(&b));
        kql_buf_free(&b);
        kql_results_free(&res);
    }
    kql_catalog_free(&cat);
    return out;
}

/* "print x = " is 10 columns: the first '(' is column 11, the 1001st is 1011. */
Test(limits, brackets_nest_at_most_1000_deep)
{
    char *ok = nest("print x = ", "(", KQL_MAX_NESTING, "1", ")", "");
    parses(ok);
    char *deep = nest("print x = ", "(", KQL_MAX_NESTING + 1, "1", ")", "");
    parse_fails(deep, 11 + KQL_MAX_NESTING, "brackets nested deeper than 1000 levels");
    free(ok);
    free(deep);
}

/* Unary minus nests without brackets: Bison's stack runs out first, and
 * says so instead of overflowing ours. */
Test(limits, unary_chain_exhausts_the_parser_stack_cleanly)
{
    char *q = nest("print x = ", "-", 20000, "1", "", "");
    kql_syntax_error err;
    ast_node *root = kql_parse(q, strlen(q), &err);
    cr_assert_null(root);
    cr_assert_str_eq(err.message, "query too deeply nested (the parser's stack is exhausted)");
    free(q);
}

/* 1+1+...: left-deep, fine for the parser, refused past 2500 levels of tree
 * because the binder and evaluator recurse. 2400 terms run. */
Test(limits, long_operator_chains)
{
    char *ok = nest("print x = 1", "+1", 2400, "", "", "");
    char *r = run(ok);
    cr_assert_str_eq(r, "2401");
    free(r);
    char *deep = nest("print x = 1", "+1", 3000, "", "", "");
    kql_syntax_error err;
    ast_node *root = kql_parse(deep, strlen(deep), &err);
    cr_assert_null(root);
    cr_assert_str_eq(err.message, "query nested too deeply (more than 2500 levels)");
    free(ok);
    free(deep);
}

/* dynamic([[...[1]...]]): 512 levels are a value, 513 a clear error. The
 * 1000-bracket bound of the lexer does not apply: the literal is one token. */
Test(limits, dynamic_literal_nests_at_most_512_deep)
{
    char *ok = nest("print x = array_length(dynamic(", "[", 512, "1", "]", "))");
    char *r = run(ok);
    cr_assert_str_eq(r, "1");
    free(r);
    char *deep = nest("print x = dynamic(", "[", 513, "1", "]", ")");
    r = run(deep);
    cr_assert_str_eq(r, "dynamic literal nested deeper than 512 levels");
    free(r);
    free(ok);
    free(deep);
}

/* parse_json of text nested past the bound is not JSON to kql: like any such
 * text, it stays a string (parse_json's rule for invalid JSON). */
Test(limits, parse_json_of_deep_text_is_a_string)
{
    char *ok = nest("print x = gettype(parse_json('", "[", 512, "", "]", "'))");
    char *r = run(ok);
    cr_assert_str_eq(r, "array");
    free(r);
    char *deep = nest("print x = gettype(parse_json('", "[", 100000, "", "]", "'))");
    r = run(deep);
    cr_assert_str_eq(r, "string");
    free(r);
    free(ok);
    free(deep);
}

/* A table file nested 1001 levels: cJSON's bound (CJSON_NESTING_LIMIT 1000)
 * is reported at the bracket past it, column 6 + 1000 for {"a": [[[... */
Test(limits, json_file_nests_at_most_1000_deep)
{
    char *text = nest("{\"a\": ", "[", 1001, "1", "]", "}\n");
    kql_load_error err;
    kql_table *t = kql_load_json_text(text, strlen(text), "deep.jsonl", "T", &err);
    cr_assert_null(t);
    cr_assert_str_eq(err.message, "deep.jsonl:1:1006: JSON nested deeper than 1000 levels");
    free(text);
}

/* A 4 MB string literal is data, not a reason to fail. */
Test(limits, long_literal)
{
    size_t n = (size_t)4 << 20;
    kql_buf b;
    kql_buf_init(&b);
    kql_buf_puts(&b, "print x = strlen('");
    for (size_t i = 0; i < n; i++) kql_buf_putc(&b, 'a');
    kql_buf_puts(&b, "')");
    char *r = run(b.data);
    cr_assert_str_eq(r, "4194304");
    free(r);
    kql_buf_free(&b);
}

Test(limits, max_memory_sizes)
{
    size_t n;
    cr_assert(kql_mem_parse_size("1073741824", &n));
    cr_assert_eq(n, (size_t)1 << 30);
    cr_assert(kql_mem_parse_size("512M", &n));
    cr_assert_eq(n, (size_t)512 << 20);
    cr_assert(kql_mem_parse_size("2GiB", &n));
    cr_assert_eq(n, (size_t)2 << 30);
    cr_assert(kql_mem_parse_size("64k", &n));
    cr_assert_eq(n, (size_t)64 << 10);
    cr_assert(kql_mem_parse_size("3TB", &n));
    cr_assert_eq(n, (size_t)3 << 40);
    cr_assert_not(kql_mem_parse_size("", &n));
    cr_assert_not(kql_mem_parse_size("0", &n));
    cr_assert_not(kql_mem_parse_size("-1G", &n));
    cr_assert_not(kql_mem_parse_size("1X", &n));
    cr_assert_not(kql_mem_parse_size("1G2", &n));
    cr_assert_not(kql_mem_parse_size("99999999999999999999T", &n));
    cr_assert_not(kql_mem_parse_size("99999999999999999999", &n));
    cr_assert_gt(kql_mem_default_limit(), 0);
}
