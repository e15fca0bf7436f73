/* column.h - one typed column of a table: a value array plus a null bitmap.
 *
 * Storage by type:
 *   bool                         uint8_t  data.b[]
 *   int, long, datetime, timespan int64_t data.i[]
 *   real, decimal                double   data.r[]
 *   string, dynamic              kql_str  data.s[]  (bytes in an arena the column holds)
 *   guid                         kql_guid data.g[]
 * nulls: bit i set = row i is null (NULL pointer while no row is null).
 *
 * Columns are reference counted and immutable once built, so operators such
 * as project and extend pass columns through without copying. The bytes of
 * string/dynamic cells live in arenas: the column's own (`arena`, written by
 * kql_column_push) and those it borrowed from columns it was gathered from.
 */
#ifndef KQL_COLUMN_H
#define KQL_COLUMN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "value.h"

typedef struct kql_column {
    int refs;
    kql_type type;
    size_t len, cap;
    uint8_t *nulls;
    union { uint8_t *b; int64_t *i; double *r; kql_str *s; kql_guid *g; void *any; } data;
    kql_arena *arena;          /* own bytes; created on first string push */
    kql_arena **borrowed;      /* retained arenas of other columns */
    size_t nborrowed;
} kql_column;

kql_column *kql_column_new(kql_type type, size_t capacity);  /* refs = 1 */
kql_column *kql_column_retain(kql_column *c);
void kql_column_release(kql_column *c);                        /* NULL ok */

static inline bool kql_column_is_null(const kql_column *c, size_t row)
{
    return c->nulls && (c->nulls[row >> 3] >> (row & 7) & 1);
}
/* The cell as a value; strings/dynamics point into the column's arenas. */
kql_value kql_column_get(const kql_column *c, size_t row);

/* Appending. push copies string/dynamic bytes into the column's own arena;
 * push_borrowed does not (the bytes must live in an arena the column holds:
 * its own, or one added with kql_column_borrow). A value of another type is
 * an error of the caller (asserted), except that a null of any type fits any
 * column and an int value fits a long column. A string column has no nulls:
 * push_null stores "" (KQL strings are never null). */
void kql_column_push(kql_column *c, const kql_value *v);
void kql_column_push_borrowed(kql_column *c, const kql_value *v);
void kql_column_push_null(kql_column *c);
void kql_column_borrow(kql_column *c, const kql_column *from);  /* retain from's arenas */
kql_arena *kql_column_arena(kql_column *c);                     /* own arena, created on demand */

/* A new column holding rows idx[0..n) of src (sharing its bytes). An index
 * of SIZE_MAX (or any index >= src->len) gives a null row (outer joins). */
kql_column *kql_column_gather(const kql_column *src, const size_t *idx, size_t n);
/* A new column of n copies of one value (for constants). */
kql_column *kql_column_repeat(const kql_value *v, kql_type type, size_t n);

/* Ordering and hashing of cells, for sort, summarize keys and dcount.
 * compare: nulls first, then by value (strings ordinal, by bytes). */
int kql_value_compare(const kql_value *a, const kql_value *b);
bool kql_value_equal(const kql_value *a, const kql_value *b);  /* null == null here */
uint64_t kql_value_hash(const kql_value *v);

#endif
