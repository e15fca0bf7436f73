/* load_csv.h - CSV tables as the Log Analytics portal exports them.
 *
 * "Export to CSV" writes RFC 4180: a header row of column names, then one
 * record a row; fields with commas, quotes or line breaks are quoted, quotes
 * doubled. Datetime columns are headed "NAME [UTC]" and hold the portal's
 * display form "2/25/2025, 9:19:25.391 AM"; dynamic columns hold JSON text.
 * Values are coerced through the table's schema like JSON fields (see
 * load_csv.c); columns the schema lacks are typed from their values.
 */
#ifndef KQL_LOAD_CSV_H
#define KQL_LOAD_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "json_load.h"

/* Splitting records into fields. */
typedef struct kql_csv_reader {
    const char *text;
    size_t len, pos;
    size_t line, line_start;   /* 1-based line at pos, and where it starts */
} kql_csv_reader;

typedef struct kql_csv_row {
    kql_buf text;        /* owned: the fields' unescaped bytes, back to back */
    size_t *ends;        /* owned: field i is text.data[ends[i-1] .. ends[i]) */
    size_t n, cap;
    size_t line;         /* the line the record starts on */
} kql_csv_row;

void kql_csv_reader_init(kql_csv_reader *r, const char *text, size_t len);
void kql_csv_row_init(kql_csv_row *row);
void kql_csv_row_free(kql_csv_row *row);
/* Field i of the row (not NUL-terminated), its length in *len. */
const char *kql_csv_field(const kql_csv_row *row, size_t i, size_t *len);
/* Reads the next record into row (blank lines are skipped). Returns 1, 0 at
 * the end of the text, or -1 when the text is malformed, with *line, *col
 * and *msg (a static text) saying where and what. */
int kql_csv_next(kql_csv_reader *r, kql_csv_row *row, size_t *line, size_t *col, const char **msg);

/* The portal's datetime display form ("2/25/2025, 9:19:25.391 AM", UTC) as
 * ISO 8601 text appended to out; false (out unchanged) if s is not one. */
bool kql_csv_portal_datetime(const char *s, size_t len, kql_buf *out);

/* Loads CSV text as table `name`. schema: the table's columns (a known
 * table's or a TABLE.schema file's), or NULL. */
kql_table *kql_load_csv_text(const char *text, size_t len, const char *path, const char *name,
                             const kql_schema *schema, const kql_load_report *report,
                             kql_load_error *err);

#endif
