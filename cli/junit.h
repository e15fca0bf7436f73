/* junit.h - writing `kql test` results as JUnit XML (kql test --junit FILE),
 * the report CI systems read: one <testsuite> per test file, one <testcase>
 * per test, a <failure> with the plain-text diff for a failing test, and an
 * <error> for a test file that cannot be read. */
#ifndef KQL_JUNIT_H
#define KQL_JUNIT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct junit_case {
    char *file;        /* owned */
    char *name;        /* owned; NULL for a file that could not be read */
    double seconds;
    char *failure;     /* owned; the report, NULL when the test passed */
} junit_case;

typedef struct junit_report {
    junit_case *cases; /* owned */
    size_t ncases;
} junit_report;

/* Records a case; copies the strings (failure may be NULL). */
void junit_add(junit_report *r, const char *file, const char *name, double seconds, const char *failure);
/* Writes the XML to path; false with errno set when it cannot be written. */
bool junit_write(const junit_report *r, const char *path);
void junit_free(junit_report *r);

#endif
