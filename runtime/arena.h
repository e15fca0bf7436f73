/* arena.h - reference-counted bump allocator for string and dynamic bytes.
 *
 * A column writes the bytes of its string and dynamic cells into an arena, so
 * a million strings cost a handful of large blocks, not a million mallocs.
 * Columns that point into another column's bytes (after where, project, sort)
 * retain that arena instead of copying; the last release frees the blocks.
 */
#ifndef KQL_ARENA_H
#define KQL_ARENA_H

#include <stddef.h>

typedef struct kql_arena kql_arena;

kql_arena *kql_arena_new(void);                  /* refcount 1; aborts on out of memory */
kql_arena *kql_arena_retain(kql_arena *a);       /* returns a */
void kql_arena_release(kql_arena *a);            /* NULL ok; frees at refcount 0 */
void *kql_arena_alloc(kql_arena *a, size_t n);   /* 8-byte aligned, lives as long as the arena */
char *kql_arena_dup(kql_arena *a, const void *p, size_t n);  /* copy of n bytes (+ a NUL) */
size_t kql_arena_bytes(const kql_arena *a);      /* bytes handed out, for memory accounting */

#endif
