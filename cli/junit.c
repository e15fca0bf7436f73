/* junit.c - JUnit XML for kql test (junit.h).
 *
 * Text goes into attributes and elements escaped for XML 1.0: & < > " ' as
 * entities, and the control characters XML 1.0 cannot hold at all (below
 * 0x20 but tab, LF, CR) as U+FFFD, so a diff of strange data still gives a
 * well-formed file. Cases of one file are adjacent (kql test runs file by
 * file), so each run of cases with the same file is one <testsuite>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "junit.h"

static char *dup_or_null(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(kql_xrealloc(NULL, n), s, n);
}

void junit_add(junit_report *r, const char *file, const char *name, double seconds, const char *failure)
{
    r->cases = kql_xrealloc(r->cases, (r->ncases + 1) * sizeof *r->cases);
    r->cases[r->ncases++] = (junit_case){ dup_or_null(file), dup_or_null(name), seconds, dup_or_null(failure) };
}

void junit_free(junit_report *r)
{
    for (size_t i = 0; i < r->ncases; i++) {
        free(r->cases[i].file);
        free(r->cases[i].name);
        free(r->cases[i].failure);
    }
    free(r->cases);
    memset(r, 0, sizeof *r);
}

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') fputs("\xEF\xBF\xBD", f);
            else fputc(c, f);
        }
    }
}

/* The first line of a report: the failure's message attribute. */
static void put_first_line(FILE *f, const char *s)
{
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    char *line = kql_xrealloc(NULL, n + 1);
    memcpy(line, s, n);
    line[n] = '\0';
    put_escaped(f, line);
    free(line);
}

bool junit_write(const junit_report *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return false;
    size_t failures = 0, errors = 0;
    for (size_t i = 0; i < r->ncases; i++) {
        failures += r->cases[i].name && r->cases[i].failure;
        errors += !r->cases[i].name;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"kql test\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
            r->ncases, failures, errors);
    for (size_t i = 0; i < r->ncases;) {
        size_t j = i, nfail = 0, nerr = 0;
        double secs = 0;
        for (; j < r->ncases && strcmp(r->cases[j].file, r->cases[i].file) == 0; j++) {
            nfail += r->cases[j].name && r->cases[j].failure;
            nerr += !r->cases[j].name;
            secs += r->cases[j].seconds;
        }
        fputs("  <testsuite name=\"", f);
        put_escaped(f, r->cases[i].file);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", j - i, nfail, nerr, secs);
        for (; i < j; i++) {
            const junit_case *c = &r->cases[i];
            fputs("    <testcase classname=\"", f);
            put_escaped(f, c->file);
            fputs("\" name=\"", f);
            put_escaped(f, c->name ? c->name : "(test file)");
            fprintf(f, "\" time=\"%.3f\"", c->seconds);
            if (!c->failure) {
                fputs("/>\n", f);
                continue;
            }
            const char *tag = c->name ? "failure" : "error";
            fprintf(f, ">\n      <%s message=\"", tag);
            put_first_line(f, c->failure);
            fputs("\">", f);
            put_escaped(f, c->failure);
            fprintf(f, "</%s>\n    </testcase>\n", tag);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    return fclose(f) == 0;
}
