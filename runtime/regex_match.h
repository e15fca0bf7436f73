/* regex_match.h - regular expressions for the `matches regex` operator.
 *
 * The pattern language is RE2's as Kusto uses it, translated to POSIX
 * extended regular expressions (fn_regex.c, which also serves extract(),
 * replace_regex() and friends). Compiled patterns are cached.
 */
#ifndef KQL_REGEX_MATCH_H
#define KQL_REGEX_MATCH_H

#include "value.h"

/* 1 when pattern matches somewhere in text, 0 when not, -1 when the pattern
 * cannot be compiled. */
int kql_regex_search(kql_str pattern, kql_str text);

#endif
