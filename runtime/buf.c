/* buf.c - the growable byte buffer of buf.h (text building, dynamic
 * encodings), and kql_xrealloc. Capacity doubles. Out of memory, growth past
 * --max-memory (memory.h), or one value past KQL_MAX_VALUE_BYTES, ends the
 * program with a message and exit status 2 (kql_fatal): there is no partial
 * answer to give, and a signal would look like a crash. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"

/* Strings and dynamic values record their length in 32 bits (value.h); a
 * value this large is a runaway expression (strrep of strrep), not data. */
#define KQL_MAX_VALUE_BYTES ((size_t)1 << 31)

void kql_out_of_memory(size_t n)
{
    kql_fatal("out of memory (%zu bytes)", n);
}

void kql_check_value_size(size_t n)
{
    if (n >= KQL_MAX_VALUE_BYTES) kql_fatal("a single value would be larger than 2 GiB (%zu bytes)", n);
}

void *kql_xrealloc(void *p, size_t n)
{
    kql_mem_check(n);
    void *q = realloc(p, n ? n : 1);
    if (!q) kql_out_of_memory(n);
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
    kql_check_value_size(n);
    kql_check_value_size(b->len + n);
    while (cap - b->len <= n) cap *= 2;
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
    b->data[b->len] = '\0';
}

void kql_buf_putc(kql_buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
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
