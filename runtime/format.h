/* format.h - printing result tables: aligned text, CSV, JSON, JSON Lines.
 *
 * Cell text follows Kusto's conventions: datetimes ISO 8601 UTC with 7
 * fraction digits and Z, timespans [d.]hh:mm:ss[.fffffff], reals in shortest
 * round-trip form, dynamic as compact JSON, null as empty (csv/table) or
 * null (json).
 */
#ifndef KQL_FORMAT_H
#define KQL_FORMAT_H

#include <stdio.h>
#include "buf.h"
#include "table.h"

typedef enum kql_format { KQL_FORMAT_TABLE, KQL_FORMAT_CSV, KQL_FORMAT_JSON, KQL_FORMAT_JSONL } kql_format;

bool kql_format_parse(const char *name, kql_format *fmt);   /* "table", "csv", "json", "jsonl" */
/* Writes t (hidden columns left out) to out. */
void kql_format_write(FILE *out, const kql_table *t, kql_format fmt);

/* The narrowest a column gets when the table format fits a width. */
#define KQL_FORMAT_MIN_WIDTH 6

typedef struct kql_format_options {
    size_t max_width;   /* table: the widest a line may be, in characters (0: unlimited) */
} kql_format_options;

/* kql_format_write with options (NULL: as kql_format_write). */
void kql_format_write_opts(FILE *out, const kql_table *t, kql_format fmt, const kql_format_options *opt);
/* The text of one cell as table/csv print it (appended to out; null -> nothing). */
void kql_format_cell_text(const kql_column *c, size_t row, kql_buf *out);

#endif
