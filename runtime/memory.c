/* memory.c - the --max-memory cap and kql_fatal (memory.h).
 *
 * The heap in use is read from the allocator: mallinfo2() with glibc, or
 * the sanitizer's own count when built with AddressSanitizer (which replaces
 * malloc, so mallinfo2 would see nothing). */
#include "memory.h"

#include <ctype.h>
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define KQL_MEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KQL_MEM_ASAN 1
#endif
#endif
#ifdef KQL_MEM_ASAN
/* From the sanitizer runtime (gcc's and clang's; gcc ships no header for it). */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

/* Growth between two measurements of the heap: small next to any sensible
 * cap, large enough that the measurement costs nothing per row. */
#define KQL_MEM_CHECK_EVERY ((size_t)8 << 20)

static size_t mem_limit;          /* 0 until set or first used: the default */
/* Per thread: the loader's two threads allocate at once, and a measurement
 * now and then from either is all the check needs. */
static _Thread_local size_t mem_since_check;   /* bytes requested since the last measurement */

static _Noreturn void exit_now(int status)
{
    _exit(status);
}

void (*kql_fatal_exit)(int status) = exit_now;

void kql_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kql: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    fflush(stdout);
    kql_fatal_exit(2);
    _exit(2);   /* in case kql_fatal_exit returns */
}

size_t kql_mem_default_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0)
        return (size_t)4 << 30;   /* unknown machine: 4 GiB */
    return (size_t)pages / 2 * (size_t)page;
}

void kql_mem_set_limit(size_t bytes)
{
    mem_limit = bytes;
}

size_t kql_mem_limit(void)
{
    if (!mem_limit) mem_limit = kql_mem_default_limit();
    return mem_limit;
}

bool kql_mem_parse_size(const char *s, size_t *bytes)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    static const char units[] = "KMGT";
    int shift = 0;
    for (int i = 0; units[i]; i++)
        if (toupper((unsigned char)*end) == units[i]) {
            shift = 10 * (i + 1);
            end++;
            if (*end == 'i') end++;
            break;
        }
    if (*end == 'B') end++;
    if (*end != '\0' || errno == ERANGE || n == 0 || n > (SIZE_MAX >> shift))
        return false;
    *bytes = (size_t)n << shift;
    return true;
}

static size_t heap_in_use(void)
{
#ifdef KQL_MEM_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;   /* small chunks in use + mmapped chunks */
#endif
}

/* "2 GiB", "512 MiB", "1.5 GiB": sizes in messages. */
static void format_size(char *out, size_t cap, size_t n)
{
    static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
    double v = (double)n;
    int u = 0;
    while (v >= 1024 && u < 4) { v /= 1024; u++; }
    if (u == 0 || v == (double)(uint64_t)v) snprintf(out, cap, "%.0f %s", v, unit[u]);
    else snprintf(out, cap, "%.1f %s", v, unit[u]);
}

void kql_mem_check(size_t n)
{
    mem_since_check += n;
    if (mem_since_check < KQL_MEM_CHECK_EVERY && n < KQL_MEM_CHECK_EVERY)
        return;
    mem_since_check = 0;
    size_t limit = kql_mem_limit(), used = heap_in_use();
    if (n <= limit && used <= limit - n)
        return;
    char lim[32];
    format_size(lim, sizeof lim, limit);
    kql_fatal("query exceeds --max-memory %s; filter or summarize earlier, or raise --max-memory", lim);
}
