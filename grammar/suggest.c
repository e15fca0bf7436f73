/* suggest.c - "did you mean": the nearest name by edit distance (suggest.h). */
#include <ctype.h>
#include <string.h>

#include "suggest.h"

/* Levenshtein distance, case-insensitive, capped for long names. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 1000;
    int row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = prev + cost;
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

void kql_suggest_init(kql_suggest *s, const char *name)
{
    s->name = name;
    s->best = NULL;
    s->best_distance = 1000;
}

void kql_suggest_offer(kql_suggest *s, const char *candidate)
{
    if (!candidate) return;
    int d = edit_distance(s->name, candidate);
    if (d < s->best_distance) {
        s->best_distance = d;
        s->best = candidate;
    }
}

const char *kql_suggest_best(const kql_suggest *s)
{
    /* near enough to be a typo: a third of the name, at least 1, at most 3 edits */
    int len = (int)strlen(s->name);
    int limit = len / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    return s->best && s->best_distance <= limit ? s->best : NULL;
}
