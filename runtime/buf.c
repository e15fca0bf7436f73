/* buf.c - the growable byte buffer of buf.h (text building, dynamic
 * encodings), and kql_xrealloc. Capacity doubles; out of memory aborts, as
 * everywhere in kql. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *kql_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "kql: out of memory (%zu bytes)\n", n);
        abort();
    }
    return q;
}

void kql_buf_init(kql_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void kql_buf_free(kql_buf *b)
{
    free(b->data);
    kql_buf_init(b);
}

void kql_buf_clear(kql_buf *b)
{
    b->len = 0;
}

/* The slow path of buf_reserve, kept out of line so appends stay small. */
__attribute__((noinline)) static void buf_grow(kql_buf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2) {
            fprintf(stderr, "kql: out of memory (buffer too large)\n");
            abort();
        }
        cap *= 2;
    }
    b->data = kql_xrealloc(b->data, cap);   /* owned by b; kql_buf_free releases it */
    b->cap = cap;
}

/* Makes room for n more bytes plus a NUL (so kql_buf_cstr never grows). */
static inline void buf_reserve(kql_buf *b, size_t n)
{
    if (b->cap - b->len <= n)
        buf_grow(b, n);
}

void kql_buf_put(kql_buf *b, const void *p, size_t n)
{
    if (!n)
        return;
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void kql_buf_putc(kql_buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
}

void kql_buf_puts(kql_buf *b, const char *s)
{
    kql_buf_put(b, s, strlen(s));
}

void kql_buf_printf(kql_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        kql_buf_put(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *kql_buf_cstr(kql_buf *b)
{
    buf_reserve(b, 0);
    b->data[b->len] = '\0';
    return b->data;
}
