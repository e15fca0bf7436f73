/* test_cursor.c - where the cursor stands in a partly typed query
 * (grammar/cursor.c), as the REPL's Tab completion sees it. Offsets are
 * counted by hand in each text. */
#include <criterion/criterion.h>
#include <string.h>

#include "cursor.h"

static kql_cursor scan(const char *text)
{
    kql_cursor c;
    kql_cursor_scan(text, strlen(text), &c);
    return c;
}

Test(cursor, a_table_starts_a_query)
{
    kql_cursor c = scan("");
    cr_assert_eq(c.place, KQL_CURSOR_SOURCE);
    cr_assert_eq(c.word, 0);
    c = scan("Sig");
    cr_assert_eq(c.place, KQL_CURSOR_SOURCE);
    cr_assert_eq(c.word, 0);
    cr_assert_eq(c.scope_end, 0);
}

Test(cursor, an_operator_follows_a_pipe)
{
    kql_cursor c = scan("T | wh");
    cr_assert_eq(c.place, KQL_CURSOR_OPERATOR);
    cr_assert_eq(c.word, 4);
    c = scan("T\n| project-a");   /* dashes belong to operator names */
    cr_assert_eq(c.place, KQL_CURSOR_OPERATOR);
    cr_assert_eq(c.word, 4);
}

Test(cursor, columns_come_from_the_pipeline_before_the_last_pipe)
{
    /* "T\n| extend x = 1\n": the second '|' is at 17, "Co" at 25 */
    kql_cursor c = scan("T\n| extend x = 1\n| where Co");
    cr_assert_eq(c.place, KQL_CURSOR_EXPR);
    cr_assert_eq(c.word, 25);
    cr_assert_eq(c.scope_start, 0);
    cr_assert_eq(c.scope_end, 17);
    c = scan("T | where a-b");   /* outside operator names a dash is a minus */
    cr_assert_eq(c.place, KQL_CURSOR_EXPR);
    cr_assert_eq(c.word, 12);
}

Test(cursor, a_subquery_in_brackets_has_its_own_pipeline)
{
    /* '(' at 9, its '|' at 12 */
    kql_cursor c = scan("T | join (U | where a");
    cr_assert_eq(c.place, KQL_CURSOR_EXPR);
    cr_assert_eq(c.scope_start, 10);
    cr_assert_eq(c.scope_end, 12);
    c = scan("T | join (");
    cr_assert_eq(c.place, KQL_CURSOR_SOURCE);
    /* a function's brackets hold no pipe: the outer pipeline is in scope */
    c = scan("T | where strlen(");
    cr_assert_eq(c.place, KQL_CURSOR_EXPR);
    cr_assert_eq(c.scope_start, 0);
    cr_assert_eq(c.scope_end, 2);
}

Test(cursor, statements_before_the_cursor_stay_in_reach)
{
    kql_cursor c = scan("let x = 1;\nT | where ");
    cr_assert_eq(c.place, KQL_CURSOR_EXPR);
    cr_assert_eq(c.stmt_start, 10);
    cr_assert_eq(c.scope_start, 10);
    cr_assert_eq(c.scope_end, 13);
    c = scan("let t = T | where ");   /* the pipeline of a let starts after its '=' */
    cr_assert_eq(c.scope_start, 7);
    cr_assert_eq(c.scope_end, 10);
    c = scan("let t = Si");
    cr_assert_eq(c.place, KQL_CURSOR_SOURCE);
    cr_assert_eq(c.word, 8);
}

Test(cursor, nothing_inside_strings_and_comments)
{
    cr_assert_eq(scan("print 'abc").place, KQL_CURSOR_NONE);
    cr_assert_eq(scan("T // a comment wh").place, KQL_CURSOR_NONE);
    cr_assert_eq(scan("T // a comment\n| wh").place, KQL_CURSOR_OPERATOR);
}
