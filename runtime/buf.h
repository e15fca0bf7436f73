/* buf.h - a growable byte buffer, for building text and dynamic encodings.
 * The buffer owns its bytes; kql_buf_free() releases them. Also the
 * allocation that every growing structure of kql goes through. */
#ifndef KQL_BUF_H
#define KQL_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct kql_buf {
    /* NUL-terminated after every append (the NUL not in len): rendered text
     * can go to C functions that read up to a NUL, as regexec does under
     * ASan even with REG_STARTEND. NULL until the first append. */
    char *data;
    size_t len, cap;
} kql_buf;

void kql_buf_init(kql_buf *b);
void kql_buf_free(kql_buf *b);
void kql_buf_clear(kql_buf *b);                          /* len = 0, keeps memory */
void kql_buf_put(kql_buf *b, const void *p, size_t n);
void kql_buf_putc(kql_buf *b, char c);
void kql_buf_puts(kql_buf *b, const char *s);
void kql_buf_printf(kql_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *kql_buf_cstr(kql_buf *b);                    /* NUL-terminates, returns data */

/* realloc(p, n) (n == 0 counts as 1) that never returns NULL: out of memory
 * is not a query error, so it ends the program (kql_out_of_memory). */
void *kql_xrealloc(void *p, size_t n);
/* Prints "kql: out of memory (N bytes)" and exits with status 2. */
void kql_out_of_memory(size_t n) __attribute__((noreturn));
/* Ends the program (status 2) when one string or dynamic value would reach
 * 2 GiB: their lengths are 32-bit (value.h), and such a value is a runaway
 * expression, never data. */
void kql_check_value_size(size_t n);

#endif
