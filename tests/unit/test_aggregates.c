/* test_aggregates.c - the aggregation functions of summarize, driven the
 * way summarize drives them: found by name, typed by their rule, then init,
 * add per row, finish and destroy over one group's state. Expected values
 * come from the Kusto docs (summarize, make_set_if, stdev, ... examples) and
 * NOTES §3-§5, or are worked out by hand.
 */
#include <stdlib.h>

#include "aggregates.h"
#include "test_helpers.h"

TestSuite(aggregates, .init = ctx_open, .fini = ctx_close);

/* Runs one group: rows is nrows x nargs values, row-major; the static
 * types are those of the first row, or `empty` when there are no rows. */
static kql_value run_typed(const char *name, size_t nargs, size_t nrows, const kql_value *rows,
                           const kql_type *empty)
{
    const kql_aggregate *a = kql_aggregate_find(name);
    cr_assert(a, "%s is not registered", name);
    cr_assert(nargs >= (size_t)a->min_args && nargs <= (size_t)a->max_args, "%s: arity", name);
    kql_type types[4];
    for (size_t i = 0; i < nargs; i++)
        types[i] = nrows ? rows[i].type : empty[i];
    char err[256] = "";
    kql_type rt = a->result_type(types, nargs, err, sizeof err);
    cr_assert_neq(rt, KQL_TYPE_UNKNOWN, "%s: %s", name, err);
    void *state = malloc(a->state_size);
    a->init(state, types, nargs);
    for (size_t r = 0; r < nrows; r++)
        a->add(state, rows + r * nargs, nargs);
    kql_value out;
    a->finish(state, &ctx, &out);
    if (a->destroy)
        a->destroy(state);
    free(state);
    cr_assert_eq(out.type, rt, "%s returned %s, its rule said %s", name, kql_type_name(out.type),
                 kql_type_name(rt));
    return out;
}

static kql_value run(const char *name, size_t nargs, size_t nrows, const kql_value *rows)
{
    cr_assert(nrows > 0);
    return run_typed(name, nargs, nrows, rows, NULL);
}

/* No rows at all, as summarize sees an empty table. */
#define RUN_EMPTY(name, ...)                                                              \
    run_typed(name, sizeof((kql_type[]){ __VA_ARGS__ }) / sizeof(kql_type), 0, NULL, \
              (kql_type[]){ __VA_ARGS__ })

#define ROWS(...) (kql_value[]){ __VA_ARGS__ }
#define NV(...) (sizeof((kql_value[]){ __VA_ARGS__ }) / sizeof(kql_value))
/* one-argument aggregate over a list of values */
#define RUN1(name, ...) run(name, 1, NV(__VA_ARGS__), ROWS(__VA_ARGS__))
/* two-argument aggregate: pairs of values */
#define RUN2(name, ...) run(name, 2, NV(__VA_ARGS__) / 2, ROWS(__VA_ARGS__))

Test(aggregates, lookup_and_output_names)
{
    /* NOTES §3: count() -> count_, sum(y) -> sum_y, make_list(x) -> list_x,
     * make_set(x) -> set_x, dcountif(x, ...) -> dcountif_x; take_any(x) -> x */
    static const char *const pairs[][2] = {
        { "count", "count" }, { "countif", "countif" }, { "dcount", "dcount" },
        { "dcountif", "dcountif" }, { "sum", "sum" }, { "avg", "avg" }, { "min", "min" },
        { "max", "max" }, { "make_list", "list" }, { "make_list_if", "list" },
        { "make_list_with_nulls", "list" }, { "make_set", "set" }, { "make_set_if", "set" },
        { "make_bag", "bag" }, { "stdev", "stdev" }, { "variance", "variance" }, { "any", "any" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const kql_aggregate *a = kql_aggregate_find(pairs[i][0]);
        cr_assert(a, "%s", pairs[i][0]);
        cr_assert_str_eq(a->column_prefix, pairs[i][1]);
    }
    cr_assert_str_eq(kql_aggregate_find("take_any")->column_prefix, "");
    cr_assert_null(kql_aggregate_find("Count"));
    cr_assert_null(kql_aggregate_find("no_such_aggregate"));
}

Test(aggregates, count_counts_rows_including_nulls)
{
    assert_long(run_typed("count", 0, 3, ROWS(kql_long(1), kql_long(2), kql_long(3)), NULL), 3);
    /* NOTES §5: count(y) counts nulls too */
    assert_long(RUN1("count", kql_null(KQL_REAL), kql_real(5), kql_real(5)), 3);
    assert_long(run_typed("count", 0, 0, NULL, NULL), 0);   /* NOTES §4: empty input -> 0 */
}

Test(aggregates, countif_skips_false_and_null)
{
    /* countif docs: names longer than 4 of John, Paul, George, Ringo -> 2 */
    assert_long(RUN1("countif", kql_bool(false), kql_bool(false), kql_bool(true), kql_bool(true)), 2);
    assert_long(RUN1("countif", kql_bool(true), kql_null(KQL_BOOL)), 1);
    assert_long(RUN_EMPTY("countif", KQL_BOOL), 0);
}

Test(aggregates, dcount_counts_distinct_non_null_values_case_sensitively)
{
    assert_long(RUN1("dcount", S("a"), S("A"), S("a"), S("b")), 3);
    assert_long(RUN1("dcount", kql_long(1), kql_null(KQL_LONG), kql_long(1), kql_long(2)), 2);
    assert_long(RUN1("dcount", DYN("1"), DYN("1.0"), DYN("[1]"), DYN("null")), 2);
    assert_long(RUN_EMPTY("dcount", KQL_LONG), 0);
    assert_long(run("dcount", 2, 2, ROWS(S("x"), kql_long(1), S("y"), kql_long(1))), 2);
    /* many values: the set grows and stays exact */
    enum { N = 5000 };
    kql_value *rows = malloc(sizeof(kql_value) * N);
    for (int i = 0; i < N; i++)
        rows[i] = kql_long(i % 1234);
    assert_long(run("dcount", 1, N, rows), 1234);
    free(rows);
}

Test(aggregates, dcountif)
{
    assert_long(RUN2("dcountif", kql_long(1), kql_bool(true), kql_long(2), kql_bool(false),
                     kql_long(1), kql_bool(true), kql_long(3), kql_null(KQL_BOOL)), 1);
    assert_long(RUN_EMPTY("dcountif", KQL_LONG, KQL_BOOL), 0);
}

Test(aggregates, sum_and_avg_skip_nulls)
{
    /* summarize docs: y = {null, 5, 5, 5} -> sum 15, avg 5 */
    kql_value y[] = { kql_null(KQL_REAL), kql_real(5), kql_real(5), kql_real(5) };
    assert_real(run("sum", 1, 4, y), 15.0);
    assert_real(run("avg", 1, 4, y), 5.0);
    kql_value s = RUN1("sum", kql_long(1), kql_long(2), kql_null(KQL_LONG));
    cr_assert_eq(s.type, KQL_LONG);
    assert_long(s, 3);
    assert_long(RUN1("sum", kql_int(2), kql_int(3)), 5);
    assert_real(RUN1("avg", kql_long(1), kql_long(2)), 1.5);
    /* NOTES §4: on no rows sum is 0 and avg is null */
    assert_long(RUN_EMPTY("sum", KQL_LONG), 0);
    cr_assert(RUN_EMPTY("avg", KQL_LONG).is_null);
    /* a long sum that leaves the int64 range is null, not a wrap */
    cr_assert(RUN1("sum", kql_long(INT64_MAX), kql_long(1)).is_null);
    kql_value ts = RUN1("sum", kql_timespan(10), kql_timespan(5));
    cr_assert_eq(ts.type, KQL_TIMESPAN);
    assert_long(ts, 15);
}

Test(aggregates, sumif_avgif)
{
    assert_long(RUN2("sumif", kql_long(1), kql_bool(true), kql_long(10), kql_bool(false),
                     kql_long(5), kql_bool(true)), 6);
    assert_real(RUN2("avgif", kql_long(1), kql_bool(true), kql_long(10), kql_null(KQL_BOOL),
                     kql_long(5), kql_bool(true)), 3.0);
}

Test(aggregates, min_max_over_orderable_types)
{
    assert_long(RUN1("min", kql_long(3), kql_null(KQL_LONG), kql_long(-2), kql_long(7)), -2);
    assert_long(RUN1("max", kql_long(3), kql_null(KQL_LONG), kql_long(-2), kql_long(7)), 7);
    kql_value s = RUN1("max", S("apple"), S("Banana"), S("cherry"));
    cr_assert(s.u.s.len == 6 && memcmp(s.u.s.ptr, "cherry", 6) == 0);
    s = RUN1("min", S("apple"), S("Banana"), S("cherry"));   /* ordinal: 'B' < 'a' */
    cr_assert(s.u.s.len == 6 && memcmp(s.u.s.ptr, "Banana", 6) == 0);
    assert_long(RUN1("max", kql_datetime(100), kql_datetime(300), kql_datetime(200)), 300);
    assert_real(RUN1("min", kql_real(2.5), kql_real(-INFINITY)), -INFINITY);
    /* no values: null */
    cr_assert(RUN1("min", kql_null(KQL_LONG)).is_null);
    cr_assert(RUN_EMPTY("max", KQL_STRING).is_null);
    char err[256];
    kql_type t = KQL_DYNAMIC;
    cr_assert_eq(kql_aggregate_find("min")->result_type(&t, 1, err, sizeof err), KQL_TYPE_UNKNOWN);
    cr_assert_str_eq(err, "min(): cannot order values of type dynamic");
}

Test(aggregates, take_any_prefers_a_non_empty_value)
{
    kql_value v = RUN1("take_any", S(""), S("x"), S("y"));
    cr_assert(v.u.s.len == 1 && v.u.s.ptr[0] == 'x');
    assert_long(RUN1("take_any", kql_null(KQL_LONG), kql_long(4)), 4);
    cr_assert(RUN1("any", kql_null(KQL_LONG)).is_null);
}

Test(aggregates, make_list_keeps_order_and_skips_nulls)
{
    assert_json(RUN1("make_list", S("triangle"), S("square"), S("rectangle")),
                "[\"triangle\",\"square\",\"rectangle\"]");   /* make_list docs */
    assert_json(RUN1("make_list", kql_long(1), kql_null(KQL_LONG), kql_long(2)), "[1,2]");
    assert_json(RUN1("make_list", DYN("{\"name\":\"triangle\",\"sideCount\":3}"), DYN("[1]")),
                "[{\"name\":\"triangle\",\"sideCount\":3},[1]]");
    assert_json(RUN_EMPTY("make_list", KQL_LONG), "[]");          /* NOTES §4 */
    /* maxSize */
    assert_json(RUN2("make_list", kql_long(1), kql_long(2), kql_long(2), kql_long(2),
                     kql_long(3), kql_long(2)), "[1,2]");
    /* make_list_with_nulls docs */
    assert_json(RUN1("make_list_with_nulls", kql_null(KQL_INT), kql_int(4), kql_int(4)), "[null,4,4]");
    assert_json(RUN2("make_list_if", kql_long(1), kql_bool(true), kql_long(2), kql_bool(false),
                     kql_long(3), kql_null(KQL_BOOL)), "[1]");
}

Test(aggregates, make_set_dedupes_in_first_seen_order)
{
    assert_json(RUN1("make_set", kql_long(2), kql_long(1), kql_long(2), kql_long(3), kql_long(1)),
                "[2,1,3]");
    assert_json(RUN1("make_set", S("a"), S("A"), S("a")), "[\"a\",\"A\"]");
    /* dynamic numbers compare by value: 1 and 1.0 are one element */
    assert_json(RUN1("make_set", DYN("1"), DYN("1.0"), DYN("2")), "[1,2]");
    /* arrays contribute their elements */
    assert_json(RUN1("make_set", DYN("[\"A1\",\"A2\"]"), DYN("[\"A2\",\"C1\"]"), DYN("\"C1\"")),
                "[\"A1\",\"A2\",\"C1\"]");
    assert_json(RUN_EMPTY("make_set", KQL_LONG), "[]");
    /* make_set_if docs: names longer than 4 -> ["George","Ringo"] */
    assert_json(RUN2("make_set_if", S("John"), kql_bool(false), S("Paul"), kql_bool(false),
                     S("George"), kql_bool(true), S("Ringo"), kql_bool(true)),
                "[\"George\",\"Ringo\"]");
    assert_json(RUN2("make_set", kql_long(5), kql_long(1), kql_long(6), kql_long(1)), "[5]");
}

Test(aggregates, make_bag_merges_bags)
{
    /* make_bag docs */
    assert_json(RUN1("make_bag", DYN("{\"prop01\":\"val_a\"}"), DYN("{\"prop02\":\"val_b\"}"),
                     DYN("{\"prop03\":\"val_c\"}")),
                "{\"prop01\":\"val_a\",\"prop02\":\"val_b\",\"prop03\":\"val_c\"}");
    assert_json(RUN1("make_bag", DYN("{\"a\":1}"), DYN("[1]"), DYN("{\"a\":2,\"b\":3}")),
                "{\"a\":1,\"b\":3}");
    assert_json(RUN_EMPTY("make_bag", KQL_DYNAMIC), "{}");
}

Test(aggregates, stdev_and_variance)
{
    /* stdev / variance docs: x = 1..5 */
    kql_value x[] = { kql_long(1), kql_long(2), kql_long(3), kql_long(4), kql_long(5) };
    assert_real(run("stdev", 1, 5, x), 1.5811388300841898);
    assert_real(run("variance", 1, 5, x), 2.5);
    assert_real(run("variancep", 1, 5, x), 2.0);
    assert_real(run("stdevp", 1, 5, x), sqrt(2.0));
    /* NOTES §4: no rows -> 0; one value has no spread */
    assert_real(RUN_EMPTY("stdev", KQL_REAL), 0.0);
    assert_real(RUN1("variance", kql_long(7)), 0.0);
}
