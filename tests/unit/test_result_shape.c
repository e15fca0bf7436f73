/* test_result_shape.c - what kql_run reports about a result's rows
 * (kql_result_shape, interp.h): whether the query ordered them and by which
 * columns, and which columns identify them. kql test and kql diff rely on it
 * to compare in order only where a query sorts and to pair changed rows. */
#include <criterion/criterion.h>
#include <string.h>

#include "interp.h"

/* The shape of the query's only result; fails the test on a query error. */
static kql_result_shape shape_of(const char *query)
{
    kql_catalog cat;
    kql_catalog_init(&cat);
    kql_results res;
    kql_error err = { 0 };
    int rc = kql_run(query, strlen(query), &cat, NULL, &res, &err);
    cr_assert_eq(rc, 0, "%s: %s", query, err.message);
    cr_assert_eq(res.ntables, 1);
    kql_result_shape s = res.shapes[0];
    kql_results_free(&res);
    kql_catalog_free(&cat);
    return s;
}

#define T "datatable(a:long, b:string, c:real) [1, 'x', 0.5, 2, 'y', 1.5] "

Test(result_shape, no_sort_no_order)
{
    kql_result_shape s = shape_of(T "| where a > 0 | project a, b");
    cr_assert(!s.ordered);
    cr_assert_eq(s.nkeys, 0);
}

Test(result_shape, sort_orders_by_its_columns)
{
    kql_result_shape s = shape_of(T "| sort by b asc, a desc");
    cr_assert(s.ordered);
    cr_assert_eq(s.norder, 2);
    cr_assert_eq(s.order_cols[0], 1);
    cr_assert_eq(s.order_cols[1], 0);
}

Test(result_shape, order_survives_where_take_and_a_reordering_project)
{
    kql_result_shape s = shape_of(T "| order by b | where a > 0 | take 5 | project c, b");
    cr_assert(s.ordered);
    cr_assert_eq(s.norder, 1);
    cr_assert_eq(s.order_cols[0], 1);   /* b is the second column now */
}

Test(result_shape, top_orders)
{
    kql_result_shape s = shape_of(T "| top 1 by c desc");
    cr_assert(s.ordered);
    cr_assert_eq(s.norder, 1);
    cr_assert_eq(s.order_cols[0], 2);
}

Test(result_shape, a_sort_key_projected_away_keeps_the_shown_prefix)
{
    kql_result_shape s = shape_of(T "| sort by a asc, b asc | project a, c");
    cr_assert(s.ordered);
    cr_assert_eq(s.norder, 1);
    cr_assert_eq(s.order_cols[0], 0);
}

Test(result_shape, a_sort_by_an_expression_orders_by_no_shown_column)
{
    kql_result_shape s = shape_of(T "| sort by strlen(b) asc");
    cr_assert(s.ordered);
    cr_assert_eq(s.norder, 0);
}

Test(result_shape, summarize_and_union_lose_the_order)
{
    cr_assert(!shape_of(T "| sort by a | summarize count() by b").ordered);
    cr_assert(!shape_of(T "| sort by a | union (print a = 3)").ordered);
}

Test(result_shape, summarize_keys_identify_rows_through_extend_and_sort)
{
    kql_result_shape s = shape_of(T "| summarize n = count(), s = sum(c) by b, a | extend r = s * 2 | sort by n desc");
    cr_assert_eq(s.nkeys, 2);
    cr_assert_eq(s.key_cols[0], 0);
    cr_assert_eq(s.key_cols[1], 1);
    cr_assert(s.ordered);
    cr_assert_eq(s.order_cols[0], 2);
}

Test(result_shape, keys_are_lost_when_projected_away_or_expanded)
{
    cr_assert_eq(shape_of(T "| summarize n = count() by b, a | project b, n").nkeys, 0);
    cr_assert_eq(shape_of(T "| summarize l = make_list(a) by b | mv-expand l").nkeys, 0);
    cr_assert_eq(shape_of(T "| distinct b").nkeys, 0);
}
