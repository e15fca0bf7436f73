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

/* Appends the POSIX ERE for an RE2 pattern to out, for callers that build a
 * larger regex around it (parse kind=regex). *groups gets the number of
 * POSIX groups it opens, *icase whether it starts with (?i). False when it
 * cannot be translated. */
struct kql_buf;
bool kql_regex_translate(kql_str pattern, struct kql_buf *out, int *groups, bool *icase);

#endif
