/* signin_generator.h - realistic Entra ID sign-in records, for sample data and
 * benchmarks (`kql generate`, cmd_generate.c).
 *
 * Writes SigninLogs or AADNonInteractiveUserSignInLogs records as JSON Lines,
 * every column of the table's Log Analytics schema (schema.h) in order. The
 * output depends only on the options: the same seed gives the same bytes, on
 * any machine (own PRNG, integer arithmetic only).
 */
#ifndef KQL_SIGNIN_GENERATOR_H
#define KQL_SIGNIN_GENERATOR_H

#include <stdint.h>
#include <stdio.h>

typedef struct signin_gen_options {
    const char *table;   /* "AADNonInteractiveUserSignInLogs" or "SigninLogs" */
    uint64_t rows;
    uint64_t seed;
    int64_t now;         /* ticks: the window ends one minute before this */
    int64_t span;        /* ticks: the window's length; sign-ins spread evenly over it */
} signin_gen_options;

/* Whether `table` is one the generator writes. */
int signin_gen_knows(const char *table);
/* Writes o->rows records to out. Returns 0, or -1 when writing fails (errno). */
int signin_gen_write(FILE *out, const signin_gen_options *o);

#endif
