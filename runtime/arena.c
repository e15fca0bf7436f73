/* arena.c - the reference-counted bump allocator of arena.h.
 *
 * Blocks form a singly linked list; allocation bumps a pointer in the head
 * block. Blocks start at 64 KiB and double up to 4 MiB so a big column costs
 * few mallocs; a request larger than a quarter of the current block size gets
 * a block of its own, linked behind the head so the head keeps filling.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define ARENA_FIRST_BLOCK (64u * 1024u)
#define ARENA_MAX_BLOCK (4u * 1024u * 1024u)

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    _Alignas(8) unsigned char data[];
} arena_block;

struct kql_arena {
    int refs;
    arena_block *head;
    size_t next_cap;   /* capacity of the next ordinary block */
    size_t bytes;      /* handed out, for kql_arena_bytes */
};

kql_arena *kql_arena_new(void)
{
    kql_arena *a = kql_xrealloc(NULL, sizeof *a);   /* freed by the last kql_arena_release */
    a->refs = 1;
    a->head = NULL;
    a->next_cap = ARENA_FIRST_BLOCK;
    a->bytes = 0;
    return a;
}

kql_arena *kql_arena_retain(kql_arena *a)
{
    if (a)
        a->refs++;
    return a;
}

void kql_arena_release(kql_arena *a)
{
    if (!a || --a->refs > 0)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

static arena_block *arena_block_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(arena_block))
        kql_out_of_memory(cap);
    arena_block *b = kql_xrealloc(NULL, sizeof *b + cap);   /* owned by the arena's list */
    b->next = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

void *kql_arena_alloc(kql_arena *a, size_t n)
{
    kql_check_value_size(n);   /* arenas hold single string and dynamic values */
    size_t need = (n + 7) & ~(size_t)7;
    if (need < n)
        need = n;   /* overflow: arena_block_new reports it */
    a->bytes += n;
    arena_block *h = a->head;
    if (h && h->cap - h->used >= need) {
        void *p = h->data + h->used;
        h->used += need;
        return p;
    }
    if (need > a->next_cap / 4) {
        /* A big request: its own block, behind the head so the head's free
         * space stays usable. */
        arena_block *b = arena_block_new(need);
        b->used = need;
        if (h) {
            b->next = h->next;
            h->next = b;
        } else {
            a->head = b;
        }
        return b->data;
    }
    arena_block *b = arena_block_new(a->next_cap);
    if (a->next_cap < ARENA_MAX_BLOCK)
        a->next_cap *= 2;
    b->next = h;
    a->head = b;
    b->used = need;
    return b->data;
}

char *kql_arena_dup(kql_arena *a, const void *p, size_t n)
{
    char *d = kql_arena_alloc(a, n + 1);
    if (n)
        memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

size_t kql_arena_bytes(const kql_arena *a)
{
    return a ? a->bytes : 0;
}
