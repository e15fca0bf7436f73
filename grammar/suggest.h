/* suggest.h - "did you mean": the candidate nearest to a misspelled name.
 *
 * In grammar/ because the parser suggests operators (`summerize`) and the
 * binder (interp/) columns, tables and functions; it knows nothing of either.
 */
#ifndef KQL_SUGGEST_H
#define KQL_SUGGEST_H

/* The candidate nearest to `name` by edit distance (case-insensitive), when
 * it is near enough to be a likely typo; NULL otherwise. Candidates are
 * borrowed: they must outlive the kql_suggest. */
typedef struct kql_suggest {
    const char *name;
    const char *best;
    int best_distance;
} kql_suggest;
void kql_suggest_init(kql_suggest *s, const char *name);
void kql_suggest_offer(kql_suggest *s, const char *candidate);
const char *kql_suggest_best(const kql_suggest *s);

#endif
