/* cmd_generate.c - `kql generate`: writes realistic sign-in logs as JSON Lines
 * (signin_generator.c), for the sample tables in data/ and for benchmarks.
 *
 *   kql generate TABLE [--rows N] [--seed N] [--now DATETIME] [--days N] [-o FILE]
 *
 * The same arguments always write the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "signin_generator.h"
#include "value.h"

static const char generate_usage[] =
    "usage: kql generate TABLE [--rows N] [--seed N] [--now DATETIME] [--days N] [-o FILE]\n"
    "  TABLE           AADNonInteractiveUserSignInLogs or SigninLogs\n"
    "  --rows N        how many records (default 1000)\n"
    "  --seed N        the random seed (default 1): the same seed writes the same bytes\n"
    "  --now DATETIME  the sign-ins end a minute before it (default 2026-11-20T12:00:00Z)\n"
    "  --days N        the sign-ins spread over the N days before then (default 10)\n"
    "  -o FILE         write to FILE instead of standard output\n";

/* A whole non-negative decimal number, within max. */
static bool gen_number(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > max)
        return false;
    *out = v;
    return true;
}

int cli_cmd_generate(int argc, char **argv)
{
    signin_gen_options o = { .rows = 1000, .seed = 1 };
    uint64_t days = 10;
    const char *now_text = "2026-11-20T12:00:00Z", *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(generate_usage, stdout);
            return CLI_EXIT_OK;
        } else if (a[0] != '-' && !o.table) {
            o.table = a;
            continue;
        } else if (!v && (strcmp(a, "--rows") == 0 || strcmp(a, "--seed") == 0 || strcmp(a, "--now") == 0 ||
                          strcmp(a, "--days") == 0 || strcmp(a, "-o") == 0)) {
            fprintf(stderr, "kql generate: missing value for option '%s'\n%s", a, generate_usage);
            return CLI_EXIT_USAGE;
        } else if (strcmp(a, "--rows") == 0) {
            ok = gen_number(v, UINT64_C(1) << 40, &o.rows);
        } else if (strcmp(a, "--seed") == 0) {
            ok = gen_number(v, UINT64_MAX, &o.seed);
        } else if (strcmp(a, "--days") == 0) {
            ok = gen_number(v, 36500, &days) && days > 0;
        } else if (strcmp(a, "--now") == 0) {
            now_text = v;
        } else if (strcmp(a, "-o") == 0) {
            out_path = v;
        } else {
            fprintf(stderr, "kql generate: unexpected argument '%s'\n%s", a, generate_usage);
            return CLI_EXIT_USAGE;
        }
        if (!ok) {
            fprintf(stderr, "kql generate: %s: '%s' is not a valid number\n", a, v);
            return CLI_EXIT_USAGE;
        }
        i++;
    }
    if (!o.table) {
        fprintf(stderr, "kql generate: which table? (AADNonInteractiveUserSignInLogs or SigninLogs)\n%s",
                generate_usage);
        return CLI_EXIT_USAGE;
    }
    if (!signin_gen_knows(o.table)) {
        fprintf(stderr, "kql generate: cannot generate table '%s' (use AADNonInteractiveUserSignInLogs or SigninLogs)\n",
                o.table);
        return CLI_EXIT_USAGE;
    }
    if (!kql_datetime_parse(now_text, strlen(now_text), &o.now)) {
        fprintf(stderr, "kql generate: --now: '%s' is not a datetime (try 2026-11-20T12:00:00Z)\n", now_text);
        return CLI_EXIT_USAGE;
    }
    o.span = (int64_t)days * 86400 * KQL_TICKS_PER_SECOND;

    FILE *out = out_path ? fopen(out_path, "wb") : stdout;
    if (!out) {
        fprintf(stderr, "kql generate: %s: %s\n", out_path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    int rc = signin_gen_write(out, &o);
    if ((out_path ? fclose(out) : fflush(out)) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "kql generate: writing %s: %s\n", out_path ? out_path : "output", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}
