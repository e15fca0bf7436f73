/* memory.h - the cap on the memory a query may use (--max-memory), and the
 * one way kql ends the program when a resource runs out.
 *
 * kql_xrealloc (buf.h), through which columns, arenas and buffers grow, asks
 * kql_mem_check before growing. The check measures the whole heap (not only
 * what kql_xrealloc handed out, since other memory is freed with plain free()),
 * so it is done once every few MiB of growth rather than on every call.
 * Past the cap the program ends with
 *   kql: query exceeds --max-memory 2 GiB; filter or summarize earlier, ...
 * and exit status 2, as for running out of memory: there is no partial answer
 * to give.
 */
#ifndef KQL_MEMORY_H
#define KQL_MEMORY_H

#include <stdbool.h>
#include <stddef.h>

/* The default cap: half the machine's physical memory (another program's
 * share stays free, and the machine never swaps itself to a halt). */
size_t kql_mem_default_limit(void);
/* Sets the cap in bytes (0 = the default). */
void kql_mem_set_limit(size_t bytes);
size_t kql_mem_limit(void);
/* Parses a size: digits with an optional suffix K, M, G, T (KiB...; an
 * optional "iB" or "B" after it): "512M", "2GiB", "1073741824". */
bool kql_mem_parse_size(const char *s, size_t *bytes);
/* Called before a growth to n bytes: ends the program past the cap. */
void kql_mem_check(size_t n);

/* Prints "kql: MESSAGE" on stderr and ends the program with status 2 through
 * kql_fatal_exit. */
void kql_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* How kql_fatal ends the program: _exit (not exit(): nothing is left to free,
 * and leak checkers would list it all). The fuzz targets replace it, as a
 * resource limit ends the input, not the fuzzing. */
extern void (*kql_fatal_exit)(int status);

#endif
