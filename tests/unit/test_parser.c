/* test_parser.c - kql_parse(): precedence, the AST shapes of ast.h (checked as
 * ast_dump S-expressions), literals, error positions and messages, limits. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

/* The dump of the whole query. */
static char *dump_query(const char *src)
{
    kql_syntax_error err;
    ast_node *root = kql_parse(src, strlen(src), &err);
    cr_assert_not_null(root, "'%s' does not parse: %d:%d %s", src, err.loc.line, err.loc.col,
                       err.message);
    char *out;
    size_t len;
    ast_dump(root, &out, &len);
    ast_free(root);
    cr_assert_not_null(out);
    return out;
}

static void query_is(const char *src, const char *expected)
{
    char *got = dump_query(src);
    cr_expect_str_eq(got, expected, "%s", src);
    free(got);
}

/* The dump of a scalar expression, parsed as the single column of `print`. */
static void expr_is(const char *expr, const char *expected)
{
    char src[1024];
    char want[2048];
    snprintf(src, sizeof src, "print %s", expr);
    snprintf(want, sizeof want, "(query (stmt (print %s)))", expected);
    query_is(src, want);
}

/* The parse fails at line:col with a message containing `message`. */
static void error_is(const char *src, int line, int col, const char *message)
{
    kql_syntax_error err;
    ast_node *root = kql_parse(src, strlen(src), &err);
    cr_assert_null(root, "'%s' parsed", src);
    cr_expect_eq(err.loc.line, line, "'%s': error on line %d (%s)", src, err.loc.line, err.message);
    cr_expect_eq(err.loc.col, col, "'%s': error at column %d (%s)", src, err.loc.col, err.message);
    cr_expect(strstr(err.message, message), "'%s': message '%s'", src, err.message);
}

Test(parser, precedence)
{
    expr_is("a or b and c", "(or a (and b c))");
    expr_is("a and b or c", "(or (and a b) c)");
    expr_is("1 + 2 * 3", "(+ 1 (* 2 3))");
    expr_is("(1 + 2) * 3", "(* (+ 1 2) 3)");
    expr_is("1 - 2 - 3", "(- (- 1 2) 3)");
    expr_is("10 / 2 % 3", "(% (/ 10 2) 3)");
    expr_is("-x.y", "(- (. x y))");
    expr_is("-x[0] * 2", "(* (- ([] x 0)) 2)");
    expr_is("a == b or c contains d", "(or (== a b) (contains c d))");
    expr_is("a + 1 > b * 2 and not(c)", "(and (> (+ a 1) (* b 2)) (call not c))");
    expr_is("a < b", "(< a b)");
    expr_is("a <= b", "(<= a b)");
    expr_is("a >= b", "(>= a b)");
    expr_is("a != b", "(!= a b)");
    expr_is("a <> b", "(!= a b)");
    expr_is("a =~ b", "(=~ a b)");
    expr_is("a !~ b", "(!~ a b)");
    expr_is("f(x).y[\"k\"].z", "(. ([] (. (call f x) y) \"k\") z)");
}

Test(parser, string_and_set_operators)
{
    expr_is("a has 'x'", "(has a \"x\")");
    expr_is("a !has_cs 'x'", "(!has_cs a \"x\")");
    expr_is("a startswith 'x'", "(startswith a \"x\")");
    expr_is("a !endswith_cs 'x'", "(!endswith_cs a \"x\")");
    expr_is("a hassuffix 'x'", "(hassuffix a \"x\")");
    expr_is("a matches regex '[0-9]+'", "(matches regex a \"[0-9]+\")");
    expr_is("a in (1, 2, 3)", "(in a 1 2 3)");
    expr_is("a !in ('x')", "(!in a \"x\")");
    expr_is("a in~ ('x', 'y')", "(in~ a \"x\" \"y\")");
    expr_is("a !in~ ('x', 'y')", "(!in~ a \"x\" \"y\")");
    expr_is("a in (T | project b)", "(in a (subquery (| T (project b))))");
    expr_is("a has_any ('x', 'y')", "(has_any a \"x\" \"y\")");
    expr_is("a has_all (dynamic(['x']))", "(has_all a (dynamic ['x']))");
    expr_is("a between (1 .. 10)", "(between a 1 10)");
    expr_is("a !between (1..10)", "(!between a 1 10)");
    expr_is("a between (ago(1d) .. now()) and b", "(and (between a (call ago (timespan 1d)) (call now)) b)");
}

Test(parser, literals)
{
    expr_is("42", "42");
    expr_is("0x1F", "0x1F");
    expr_is("-5", "-5");
    expr_is("- 5", "-5");
    expr_is("1.5", "(real 1.5)");
    expr_is("1e-3", "(real 1e-3)");
    expr_is("1.0E10", "(real 1.0E10)");
    expr_is("true", "(bool true)");
    expr_is("false", "(bool false)");
    expr_is("bool(true)", "(bool true)");
    expr_is("7d", "(timespan 7d)");
    expr_is("-1.5h", "(timespan -1.5h)");
    expr_is("100ms", "(timespan 100ms)");
    expr_is("10microsecond", "(timespan 10microsecond)");
    expr_is("1tick", "(timespan 1tick)");
    expr_is("2days", "(timespan 2days)");
    expr_is("time(1.02:03:04)", "(timespan 1.02:03:04)");
    expr_is("timespan(2d)", "(timespan 2d)");
    expr_is("time(2d)", "(timespan 2d)");
    expr_is("datetime(2020-01-01)", "(datetime 2020-01-01)");
    expr_is("datetime(2020-01-01 10:00:00.123)", "(datetime 2020-01-01 10:00:00.123)");
    expr_is("guid(74be27de-1e4e-49d9-b579-fe0b331d3642)", "(guid 74be27de-1e4e-49d9-b579-fe0b331d3642)");
    expr_is("dynamic({\"a\": [1, 2]})", "(dynamic {\"a\": [1, 2]})");
    expr_is("dynamic([1,2])", "(dynamic [1,2])");
    expr_is("long(5)", "5");
    expr_is("int(5)", "(int 5)");
    expr_is("real(1.5)", "(real 1.5)");
    expr_is("real(nan)", "(real nan)");
    expr_is("real(+inf)", "(real +inf)");
    expr_is("decimal(1.5)", "(decimal 1.5)");
    const char *nulls[][2] = {
        {"long(null)", "long"}, {"int(null)", "int"}, {"real(null)", "real"},
        {"double(null)", "real"}, {"bool(null)", "bool"}, {"string(null)", "string"},
        {"datetime(null)", "datetime"}, {"timespan(null)", "timespan"}, {"time(null)", "timespan"},
        {"dynamic(null)", "dynamic"}, {"guid(null)", "guid"}, {"decimal(null)", "decimal"},
    };
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++) {
        char want[64];
        snprintf(want, sizeof want, "(null %s)", nulls[i][1]);
        expr_is(nulls[i][0], want);
    }
}

Test(parser, strings)
{
    expr_is("\"a\\tb\\n\\\\\\\"\"", "\"a\\tb\\n\\\\\\\"\"");
    expr_is("'it\\'s'", "\"it's\"");
    expr_is("'\\u0041\\u00e9'", "\"A\xc3\xa9\"");
    expr_is("@\"C:\\dir\"", "\"C:\\\\dir\"");
    expr_is("@'a''b'", "\"a'b\"");
    expr_is("\"a\" 'b' @\"c\"", "\"abc\"");
    expr_is("h\"secret\"", "\"secret\"");
    expr_is("```two\nlines```", "\"two\\nlines\"");

    /* a NUL inside a decoded string keeps its length */
    kql_syntax_error err;
    const char *src = "print '\\0x'";
    ast_node *root = kql_parse(src, strlen(src), &err);
    cr_assert_not_null(root);
    const ast_node *lit = root->kids[0]->kids[0]->kids[0];
    cr_expect_eq(lit->kind, AST_LITERAL);
    cr_expect_eq(lit->op, AST_LIT_STRING);
    cr_expect_eq(lit->text_len, 2);
    cr_expect(memcmp(lit->text, "\0x", 2) == 0);
    ast_free(root);
}

Test(parser, names)
{
    expr_is("['a b']", "[\"a b\"]");
    expr_is("[\"a b\"].c", "(. [\"a b\"] c)");
    expr_is("x ['a']", "([] x \"a\")");
    expr_is("x.['a b']", "(. x [\"a b\"])");
    expr_is("x.[k]", "([] x k)");
    expr_is("$left.x == $right.y", "(== (. $left x) (. $right y))");
    query_is("T | extend Type = 1, Count = 2, count_ = 3, kind = 4, title = 5, with = 6, "
             "from = 7, to = 8, step = 9, Level = 10",
             "(query (stmt (| T (extend (= Type 1) (= Count 2) (= count_ 3) (= kind 4) "
             "(= title 5) (= with 6) (= from 7) (= to 8) (= step 9) (= Level 10)))))");
    query_is("T | project count, x.on, x.by", "(query (stmt (| T (project count (. x on) (. x by)))))");
    query_is("T | summarize count() by Category", "(query (stmt (| T (summarize (list (call count)) (clause by Category)))))");
}

Test(parser, statements)
{
    query_is("let x = 5; let T = U | where a > x; T",
             "(query (let x 5) (let T (| U (where (> a x)))) (stmt T))");
    query_is("let f = (x:long, s:string = 'd') { x + 1 }; print f(1)",
             "(query (let f (lambda (schema (col x long) (col s string \"d\")) (query (stmt (+ x 1))))) "
             "(stmt (print (call f 1))))");
    query_is("let f = (T:(*), U:(a:long, b:string)) { T | union U };",
             "(query (let f (lambda (schema (col T table (schema *)) (col U table (schema (col a long) "
             "(col b string)))) (query (stmt (| T (union U)))))))");
    query_is("let f = () { let y = 1; print y }; f()",
             "(query (let f (lambda (schema) (query (let y 1) (stmt (print y))))) (stmt (call f)))");
    query_is("let v = view () { T }; v",
             "(query (let v (lambda (schema) (query (stmt T)))) (stmt v))");
    query_is("set querytrace; set query_now = datetime(2020-01-01); T",
             "(query (set querytrace) (set query_now (datetime 2020-01-01)) (stmt T))");
    query_is("declare query_parameters(n:long = 5, s:string);",
             "(query (declare query_parameters (col n long 5) (col s string)))");
    query_is("alias database db = cluster('c').database('d');",
             "(query (alias db (table (call cluster \"c\") (call database \"d\"))))");
    query_is("restrict access to (T1, T2); T1",
             "(query (restrict T1 T2) (stmt T1))");
    query_is("T;;", "(query (stmt T))");
    query_is("// only a comment\nT // trailing\n| take 1 // end",
             "(query (stmt (| T (take 1))))");
    query_is("", "(query)");
}

Test(parser, sources)
{
    query_is("datatable(a:long, b:string) [1, 'x', -2, 'y',]",
             "(query (stmt (datatable (schema (col a long) (col b string)) 1 \"x\" -2 \"y\")))");
    query_is("datatable(a:int)[]", "(query (stmt (datatable (schema (col a int)))))");
    query_is("print a = 1, 2", "(query (stmt (print (= a 1) 2)))");
    query_is("range x from 1 to 10 step 1",
             "(query (stmt (range x (clause from 1) (clause to 10) (clause step 1))))");
    query_is("union kind=outer withsource=S isfuzzy=true T1, (T2 | where x), E*",
             "(query (stmt (union (option kind outer) (option withsource S) (option isfuzzy (bool true)) "
             "T1 (subquery (| T2 (where x))) E*)))");
    query_is("table('x') | take 1", "(query (stmt (| (table x) (take 1))))");
    query_is("database('d').T", "(query (stmt (table T (call database \"d\"))))");
    query_is("cluster('c').database('d').T",
             "(query (stmt (table T (call cluster \"c\") (call database \"d\"))))");
    query_is("search in (T1, T2) 'x'", "(query (stmt (search (clause in T1 T2) \"x\")))");
    query_is("find withsource=S in (T1) where x == 1 project a",
             "(query (stmt (find (option withsource S) (clause in T1) (clause where (== x 1)) (clause project a))))");
    query_is("externaldata (a:string) ['https://x'] with (format='csv')",
             "(query (stmt (externaldata (schema (col a string)) (list \"https://x\") (clause with (option format \"csv\")))))");
    query_is("evaluate python(typeof(*, x:long), 'code')",
             "(query (stmt (evaluate (call python (typeof table (schema * (col x long))) \"code\"))))");
    query_is("print toscalar(T | count), materialize(T)",
             "(query (stmt (print (call toscalar (| T (count))) (call materialize T))))");
    query_is("(T | take 1) | count", "(query (stmt (| (subquery (| T (take 1))) (count))))");
    query_is("f(1, 2) | count", "(query (stmt (| (call f 1 2) (count))))");
}

Test(parser, operators)
{
    query_is("T | where x > 1 | filter y", "(query (stmt (| (| T (where (> x 1))) (where y))))");
    query_is("T | project a, b = x + 1", "(query (stmt (| T (project a (= b (+ x 1))))))");
    query_is("T | project-away a*, *b, c*d, *", "(query (stmt (| T (project-away a* *b c*d *))))");
    query_is("T | project-keep a", "(query (stmt (| T (project-keep a))))");
    query_is("T | project-rename n = o", "(query (stmt (| T (project-rename (= n o)))))");
    query_is("T | project-reorder a asc, b* granny-desc, c",
             "(query (stmt (| T (project-reorder (sortkey asc a) (sortkey desc granny b*) c))))");
    query_is("T | summarize", "(query (stmt (| T (summarize (list) (clause by)))))");
    query_is("T | summarize by k", "(query (stmt (| T (summarize (list) (clause by k)))))");
    query_is("T | summarize hint.shufflekey=k n = count(), (a, b) = arg_max(x, *) by bin(t, 1h)",
             "(query (stmt (| T (summarize (option hint.shufflekey k) (list (= n (call count)) "
             "(= (tuple a b) (call arg_max x *))) (clause by (call bin t (timespan 1h)))))))");
    query_is("T | order by a asc nulls first, b", "(query (stmt (| T (sort (sortkey asc nulls-first a) (sortkey desc b)))))");
    query_is("T | sort by a desc nulls last", "(query (stmt (| T (sort (sortkey desc nulls-last a)))))");
    query_is("T | take 5 | limit 3", "(query (stmt (| (| T (take 5)) (take 3))))");
    query_is("T | top 5 by x desc nulls last", "(query (stmt (| T (top 5 (sortkey desc nulls-last x)))))");
    query_is("T | count", "(query (stmt (| T (count))))");
    query_is("T | distinct a, b", "(query (stmt (| T (distinct a b))))");
    query_is("T | distinct *", "(query (stmt (| T (distinct *))))");
    query_is("T | join kind=leftouter hint.strategy=broadcast (U | where x) on a, $left.b == $right.c",
             "(query (stmt (| T (join (option kind leftouter) (option hint.strategy broadcast) "
             "(subquery (| U (where x))) (clause on a (== (. $left b) (. $right c)))))))");
    query_is("T | join U on a", "(query (stmt (| T (join (subquery U) (clause on a)))))");
    query_is("T | lookup kind=leftouter (U) on a", "(query (stmt (| T (lookup (option kind leftouter) (subquery U) (clause on a)))))");
    query_is("T | union U, V", "(query (stmt (| T (union U V))))");
    query_is("T | render timechart with (title='t', ycolumns=a, b)",
             "(query (stmt (| T (render timechart (clause with (option title \"t\") (option ycolumns a b))))))");
    query_is("T | render table", "(query (stmt (| T (render table))))");
    query_is("T | as hint.materialized=true X", "(query (stmt (| T (as (option hint.materialized (bool true)) X))))");
    query_is("T | parse kind=regex flags=Ui s with * 'a' c:long 'b' d *",
             "(query (stmt (| T (parse (option kind regex) (option flags Ui) s (clause with * \"a\" (col c long) \"b\" (col d none) *)))))");
    query_is("T | parse-where s with 'a' x",
             "(query (stmt (| T (parse-where s (clause with \"a\" (col x none))))))");
    query_is("T | parse-kv s as (a:long) with (pair_delimiter=',')",
             "(query (stmt (| T (parse-kv s (clause as (schema (col a long))) (clause with (option pair_delimiter \",\"))))))");
    query_is("T | evaluate bag_unpack(d) : (a:long, *)",
             "(query (stmt (| T (evaluate (call bag_unpack d) (schema (col a long) *)))))");
    query_is("T | invoke f(1)", "(query (stmt (| T (invoke (call f 1)))))");
    query_is("T | getschema | serialize n = row_number() | consume",
             "(query (stmt (| (| (| T (getschema)) (serialize (= n (call row_number)))) (consume))))");
    query_is("T | mv-expand kind=array with_itemindex=i a to typeof(long), b = c limit 10",
             "(query (stmt (| T (mv-expand (option kind array) (option with_itemindex i) "
             "(list a (typeof long)) (list (= b c)) (clause limit 10)))))");
    query_is("T | mv-apply x to typeof(long) on (summarize sum(x) | take 1)",
             "(query (stmt (| T (mv-apply (list x (typeof long)) (clause on (subquery (| (summarize "
             "(list (call sum x)) (clause by)) (take 1))))))))");
    query_is("T | make-series avg(x) default=0 on t from a to b step 1h by k",
             "(query (stmt (| T (make-series (list (list (call avg x) (clause default 0))) (clause on t) "
             "(clause from a) (clause to b) (clause step (timespan 1h)) (clause by k)))))");
    query_is("T | sample 5 | sample-distinct 3 of a",
             "(query (stmt (| (| T (sample 5)) (sample-distinct 3 (clause of a)))))");
    query_is("T | top-hitters 5 of a by b", "(query (stmt (| T (top-hitters 5 (clause of a) (clause by b)))))");
    query_is("T | top-nested 3 of a by sum(x), top-nested of b with others = 'o' by max(y) asc",
             "(query (stmt (| T (top-nested (list (clause top 3) (clause of a) (clause by (sortkey desc (call sum x)))) "
             "(list (clause of b) (clause with_others \"o\") (clause by (sortkey asc (call max y))))))))");
    query_is("T | facet by a, b with (take 3)",
             "(query (stmt (| T (facet (clause by a b) (clause with (subquery (take 3)))))))");
    query_is("T | fork (where x) b = (take 1)",
             "(query (stmt (| T (fork (subquery (where x)) (= b (subquery (take 1)))))))");
    query_is("T | partition hint.strategy=native by k (top 3 by v)",
             "(query (stmt (| T (partition (option hint.strategy native) (clause by k) (subquery (top 3 (sortkey desc v)))))))");
    query_is("T | partition by k { U | take 1 }",
             "(query (stmt (| T (partition (clause by k) (subquery (| U (take 1)))))))");
    query_is("T | reduce by s with threshold=0.1",
             "(query (stmt (| T (reduce (clause by s) (clause with (option threshold (real 0.1)))))))");
    query_is("T | scan with_match_id=m declare (c:long=0) with (step s1 output=last: x > 1 => c = c + 1; step s2: true;)",
             "(query (stmt (| T (scan (option with_match_id m) (clause declare (schema (col c long 0))) "
             "(clause with (clause step s1 (option output last) (> x 1) (= c (+ c 1))) (clause step s2 (bool true)))))))");
    query_is("T | search kind=case_sensitive 'x'", "(query (stmt (| T (search (option kind case_sensitive) \"x\"))))");
    query_is("T | where * has 'x'", "(query (stmt (| T (where (has * \"x\")))))");
    query_is("T | make-graph a --> b with N on id",
             "(query (stmt (| T (make-graph a b (clause with (list N id))))))");
    query_is("T | make-graph a --> b with_node_id=id",
             "(query (stmt (| T (make-graph a b (option with_node_id id)))))");
    query_is("G | graph-match cycles=none (a)-[e*1..5]->(b)<-[f]-(c)--(d), (a)-->() where a.x == 1 project a, b",
             "(query (stmt (| G (graph-match (option cycles none) (clause pattern a (clause [\"-->\"] e (list 1 5)) b "
             "(clause [\"<--\"] f) c (clause --) d) (clause pattern a (clause [\"-->\"]) [\"\"]) "
             "(clause where (== (. a x) 1)) (clause project a b)))))");
    query_is("G | graph-shortest-paths output=all (a)-[e*1..3]->(b) project a",
             "(query (stmt (| G (graph-shortest-paths (option output all) (clause pattern a (clause [\"-->\"] e (list 1 3)) b) "
             "(clause project a)))))");
    query_is("G | graph-to-table nodes as N with_node_id=id, edges",
             "(query (stmt (| G (graph-to-table (clause nodes (clause as N) (option with_node_id id)) (clause edges)))))");
    query_is("G | graph-mark-components kind=weak",
             "(query (stmt (| G (graph-mark-components (option kind weak)))))");
    query_is("T | project-by-names dynamic(['a'])", "(query (stmt (| T (project-by-names (dynamic ['a'])))))");
    query_is("T | make-series count() on t in range(0, 10, 1) by k",
             "(query (stmt (| T (make-series (list (list (call count))) (clause on t) "
             "(clause in (call range 0 10 1)) (clause by k)))))");
    query_is("T | macro-expand E as X (X | take 1)",
             "(query (stmt (| T (macro-expand E (clause as X) (subquery (| X (take 1)))))))");
    query_is("T | extend set = 1, range = 2, alias = 3, view = 4 | project range(1, 2)",
             "(query (stmt (| (| T (extend (= set 1) (= range 2) (= alias 3) (= view 4))) "
             "(project (call range 1 2)))))");
}

Test(parser, locations)
{
    const char *src = "let x = 1;\nT\n| where a  ==  b";
    kql_syntax_error err;
    ast_node *root = kql_parse(src, strlen(src), &err);
    cr_assert_not_null(root);
    const ast_node *pipe = root->kids[1]->kids[0];
    cr_assert_eq(pipe->kind, AST_PIPE);
    const ast_node *where = pipe->kids[1];
    cr_expect_eq(where->loc.line, 3);
    cr_expect_eq(where->loc.col, 3);
    const ast_node *eq = where->kids[0];
    cr_expect_eq(eq->kind, AST_BINARY);
    cr_expect_eq(eq->loc.line, 3);
    cr_expect_eq(eq->loc.col, 9);
    cr_expect_eq(eq->loc.end_col, 17);
    cr_expect_eq(eq->loc.length, 8);
    cr_expect_eq(eq->loc.offset, (size_t)(strstr(src, "a  ==") - src));
    cr_expect_eq(pipe->loc.line, 2);
    cr_expect_eq(pipe->loc.col, 1);
    cr_expect_eq(pipe->loc.end_line, 3);
    ast_free(root);
}

Test(parser, errors)
{
    error_is("T | where", 1, 10, "unexpected end of query, expected an expression");
    error_is("T | summarize count() by", 1, 25, "unexpected end of query, expected an expression");
    error_is("T | project a,, b", 1, 15, "unexpected ',', expected an expression");
    /* an unbalanced bracket is reported where it opens */
    error_is("T | where (a", 1, 11, "unbalanced '(': the query ends before its ')'");
    error_is("T | where a)", 1, 12, "unbalanced ')': no '(' before it is open");
    error_is("T | where f(a, (1]", 1, 16, "unbalanced '(': the ']' at line 1, column 18 comes before its ')'");
    error_is("T | where (a +", 1, 15, "unexpected end of query, expected an expression");
    error_is("T | summerize count()", 1, 5, "expected a tabular operator (did you mean 'summarize'?)");
    error_is("T | where a b", 1, 13, "unexpected 'b', expected one of: end of query, ';', '|'");
    error_is("T\n| sort x", 2, 8, "unexpected 'x', expected 'by'");
    error_is("T | take 5 | foo", 1, 14, "expected a tabular operator");
    error_is("T |", 1, 4, "unexpected end of query, expected a tabular operator");
    error_is("T | where x between 1", 1, 21, "expected '('");
    error_is("datatable(a:foo)[1]", 1, 13, "expected a type name");
    error_is("print 'abc", 1, 7, "unterminated string literal");
    error_is("print 12abc", 1, 7, "invalid number");
    error_is("T | extend a.b = 1", 1, 16, "expected a column name before it");
    error_is("let = 1", 1, 5, "unexpected '=', expected a name");
    error_is("T | where x\n  and", 2, 6, "expected an expression");
    error_is("x.f(1)", 1, 2, "only cluster(...).database(...)");
    error_is("T | make-series count() on t by k", 1, 28, "expected 'step'");
}

Test(parser, deep_nesting_is_refused)
{
    /* brackets */
    size_t n = 5000;
    char *src = malloc(2 * n + 16);
    strcpy(src, "print ");
    size_t len = strlen(src);
    for (size_t i = 0; i < n; i++)
        src[len++] = '(';
    src[len++] = '1';
    for (size_t i = 0; i < n; i++)
        src[len++] = ')';
    src[len] = '\0';
    kql_syntax_error err;
    cr_expect_null(kql_parse(src, len, &err));
    cr_expect(strstr(err.message, "nested deeper than 1000"), "%s", err.message);

    /* unary minus: the parser's own stack */
    len = strlen(strcpy(src, "print "));
    for (size_t i = 0; i < n; i++) {
        src[len++] = '-';
        src[len++] = ' ';
    }
    src[len++] = 'x';
    src[len] = '\0';
    cr_expect_null(kql_parse(src, len, &err));
    cr_expect(strstr(err.message, "nested too deeply"), "%s", err.message);
    free(src);

    /* a long left-deep chain: fine for the parser, refused as a too deep tree */
    n = 20000;
    src = malloc(4 * n + 16);
    len = strlen(strcpy(src, "print 1"));
    for (size_t i = 0; i < n; i++) {
        memcpy(src + len, " + 1", 4);
        len += 4;
    }
    src[len] = '\0';
    cr_expect_null(kql_parse(src, len, &err));
    cr_expect(strstr(err.message, "nested too deeply"), "%s", err.message);
    free(src);

    /* within the limits */
    const char *ok = "print ((((((((((1))))))))))";
    ast_node *root = kql_parse(ok, strlen(ok), &err);
    cr_expect_not_null(root);
    ast_free(root);
}

Test(parser, garbage_never_crashes)
{
    /* Every prefix of a rich query either parses or fails cleanly. */
    const char *q = "let f = (T:(a:long), n:long = 2) { T | where a > n };\n"
                    "datatable(a:long, s:string)[1, 'x', 2, @'y'] | invoke f() "
                    "| mv-expand kind=array d = dynamic([1, 2]) to typeof(long) "
                    "| summarize (m, k) = arg_max(a, *) by bin(a, 1), s "
                    "| join kind=inner (range x from 1 to 3 step 1) on $left.m == $right.x "
                    "| where s in~ ('x') and a between (1 .. 2) and s !has \"q\" "
                    "| parse s with * 'a' c:long | render barchart with (title='t')";
    size_t n = strlen(q);
    for (size_t i = 0; i <= n; i++) {
        kql_syntax_error err;
        ast_node *root = kql_parse(q, i, &err);
        if (!root)
            cr_expect(err.message[0] != '\0', "prefix %zu: no message", i);
        ast_free(root);
    }
    kql_syntax_error err;
    ast_node *root = kql_parse(q, n, &err);
    cr_expect_not_null(root, "%s", err.message);
    ast_free(root);
}

Test(parser, lookups)
{
    const char *src = "T | join kind=inner hint.remote=auto (U) on a";
    kql_syntax_error err;
    ast_node *root = kql_parse(src, strlen(src), &err);
    cr_assert_not_null(root);
    const ast_node *join = root->kids[0]->kids[0]->kids[1];
    cr_assert_eq(join->kind, AST_OPERATOR);
    cr_expect_str_eq(join->text, "join");
    const ast_node *kind = ast_option(join, "kind");
    cr_assert_not_null(kind);
    cr_expect_str_eq(kind->kids[0]->text, "inner");
    cr_expect_not_null(ast_option(join, "hint.remote"));
    cr_expect_null(ast_option(join, "nope"));
    const ast_node *on = ast_clause(join, "on");
    cr_assert_not_null(on);
    cr_expect_eq(on->nkids, 1);
    cr_expect_null(ast_clause(join, "by"));
    cr_expect_str_eq(ast_binop_text(AST_OP_NOTIN_CI), "!in~");
    cr_expect_str_eq(ast_binop_text(AST_OP_HAS_ALL), "has_all");
    cr_expect_str_eq(ast_type_name(AST_TYPE_TIMESPAN), "timespan");
    cr_expect_str_eq(ast_kind_name(AST_SUBQUERY), "subquery");
    ast_free(root);
}
