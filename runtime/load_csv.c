/* load_csv.c - portal CSV exports -> tables (load_csv.h).
 *
 * The records are split here (RFC 4180, strictly: a stray quote is an error
 * with its line and column, not a guess), and each record is rewritten as
 * one JSON Lines object on the line where the CSV record starts; json_load.c
 * then builds the table. So CSV cells go through the one coercion path JSON
 * fields take (numeric strings to long, "True" to bool, JSON text to dynamic,
 * warnings for what does not convert), and its warnings name the CSV file
 * and line. The copy costs a second pass over the text: fine for portal
 * exports, which are query results of a browser's size, not bulk logs.
 *
 * Cells of columns with a type (the schema's, or datetime for "[UTC]"
 * headers) become JSON strings, portal datetimes rewritten as ISO 8601.
 * Cells of other columns become JSON numbers, true/false or JSON values when
 * they are exactly that, so typing them from their values works as for JSON.
 */
#include "load_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic.h"

void kql_csv_reader_init(kql_csv_reader *r, const char *text, size_t len)
{
    *r = (kql_csv_reader){.text = text, .len = len, .line = 1};
}

void kql_csv_row_init(kql_csv_row *row)
{
    *row = (kql_csv_row){0};
    kql_buf_init(&row->text);
}

void kql_csv_row_free(kql_csv_row *row)
{
    kql_buf_free(&row->text);
    free(row->ends);
    *row = (kql_csv_row){0};
}

const char *kql_csv_field(const kql_csv_row *row, size_t i, size_t *len)
{
    size_t from = i ? row->ends[i - 1] : 0;
    *len = row->ends[i] - from;
    return row->text.data ? row->text.data + from : "";
}

static void csv_end_field(kql_csv_row *row)
{
    if (row->n == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 16;
        row->ends = kql_xrealloc(row->ends, row->cap * sizeof *row->ends);
    }
    row->ends[row->n++] = row->text.len;
}

static void csv_newline(kql_csv_reader *r, size_t at)
{
    r->line++;
    r->line_start = at + 1;
}

/* At a record's end: "\n", "\r\n" or the end of the text; moves past it. */
static bool csv_at_record_end(kql_csv_reader *r)
{
    if (r->pos >= r->len)
        return true;
    if (r->text[r->pos] == '\n') {
        csv_newline(r, r->pos);
        r->pos++;
        return true;
    }
    if (r->text[r->pos] == '\r' && r->pos + 1 < r->len && r->text[r->pos + 1] == '\n') {
        csv_newline(r, r->pos + 1);
        r->pos += 2;
        return true;
    }
    return false;
}

static int csv_fail(size_t at, size_t line, size_t line_start, size_t *eline, size_t *ecol,
                    const char **msg, const char *what)
{
    *eline = line;
    *ecol = at - line_start + 1;
    *msg = what;
    return -1;
}

int kql_csv_next(kql_csv_reader *r, kql_csv_row *row, size_t *line, size_t *col, const char **msg)
{
    kql_buf_clear(&row->text);
    row->n = 0;
    while (r->pos < r->len && csv_at_record_end(r))
        ;   /* blank lines hold no record */
    if (r->pos >= r->len)
        return 0;
    row->line = r->line;
    for (;;) {
        const char *t = r->text;
        if (r->pos < r->len && t[r->pos] == '"') {
            size_t open = r->pos, open_line = r->line, open_start = r->line_start;
            r->pos++;
            for (;;) {
                if (r->pos >= r->len)
                    return csv_fail(open, open_line, open_start, line, col, msg,
                                    "unterminated quoted field");
                char c = t[r->pos];
                if (c == '"') {
                    if (r->pos + 1 < r->len && t[r->pos + 1] == '"') {
                        kql_buf_putc(&row->text, '"');
                        r->pos += 2;
                        continue;
                    }
                    r->pos++;
                    break;
                }
                if (c == '\n')
                    csv_newline(r, r->pos);
                kql_buf_putc(&row->text, c);
                r->pos++;
            }
            if (r->pos < r->len && t[r->pos] != ',' && t[r->pos] != '\n' &&
                !(t[r->pos] == '\r' && r->pos + 1 < r->len && t[r->pos + 1] == '\n'))
                return csv_fail(r->pos, r->line, r->line_start, line, col, msg,
                                "expected ',' or the end of the line after a closing quote");
        } else {
            size_t from = r->pos;
            while (r->pos < r->len && t[r->pos] != ',' && t[r->pos] != '\n' &&
                   !(t[r->pos] == '\r' && r->pos + 1 < r->len && t[r->pos + 1] == '\n')) {
                if (t[r->pos] == '"')
                    return csv_fail(r->pos, r->line, r->line_start, line, col, msg,
                                    "a quote inside an unquoted field (quote the whole field)");
                r->pos++;
            }
            kql_buf_put(&row->text, t + from, r->pos - from);
        }
        csv_end_field(row);
        if (r->pos < r->len && t[r->pos] == ',') {
            r->pos++;
            continue;
        }
        csv_at_record_end(r);
        return 1;
    }
}

/* ---------- cells ---------- */

static bool csv_digits(const char **p, const char *end, int min, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (*p < end && **p >= '0' && **p <= '9' && n < max) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= min;
}

bool kql_csv_portal_datetime(const char *s, size_t len, kql_buf *out)
{
    const char *p = s, *end = s + len;
    int mo, d, y, h, mi, sec;
    if (!csv_digits(&p, end, 1, 2, &mo) || p >= end || *p++ != '/' || !csv_digits(&p, end, 1, 2, &d) ||
        p >= end || *p++ != '/' || !csv_digits(&p, end, 4, 4, &y) || p + 2 > end || p[0] != ',' ||
        p[1] != ' ')
        return false;
    p += 2;
    if (!csv_digits(&p, end, 1, 2, &h) || p >= end || *p++ != ':' || !csv_digits(&p, end, 2, 2, &mi) ||
        p >= end || *p++ != ':' || !csv_digits(&p, end, 2, 2, &sec))
        return false;
    const char *frac = NULL;
    size_t nfrac = 0;
    if (p < end && *p == '.') {
        frac = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        nfrac = (size_t)(p - frac);
        if (nfrac == 0 || nfrac > 7)
            return false;
    }
    if (end - p != 3 || p[0] != ' ' || (p[1] != 'A' && p[1] != 'P') || p[2] != 'M')
        return false;
    if (h < 1 || h > 12 || mo < 1 || mo > 12 || d < 1 || d > 31 || mi > 59 || sec > 59)
        return false;
    h = h % 12 + (p[1] == 'P' ? 12 : 0);   /* 12 AM is 00, 12 PM is 12 */
    kql_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);
    if (frac)
        kql_buf_printf(out, ".%.*s", (int)nfrac, frac);
    kql_buf_putc(out, 'Z');
    return true;
}

/* A JSON number exactly as JSON spells it. */
static bool csv_is_json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    if (s[i] == '0')
        i++;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == f)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e)
            return false;
    }
    return i == n;
}

/* A cell of an untyped column that is a JSON value (number, true/false,
 * object or array) on one line, to be written as it is. */
static bool csv_is_json_value(const char *s, size_t n)
{
    if (csv_is_json_number(s, n) || (n == 4 && memcmp(s, "true", 4) == 0) ||
        (n == 5 && memcmp(s, "false", 5) == 0))
        return true;
    if (n < 2 || (s[0] != '{' && s[0] != '[') || memchr(s, '\n', n) || memchr(s, '\r', n))
        return false;
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(s, n, &end, 0);
    bool whole = v && end == s + n;
    cJSON_Delete(v);
    return whole;
}

/* ---------- the table ---------- */

typedef struct csv_col {
    kql_type type;    /* KQL_TYPE_UNKNOWN: typed from its values */
    bool portal_utc;  /* headed "NAME [UTC]" */
} csv_col;

static const kql_schema_column *csv_schema_col(const kql_schema *s, const char *name)
{
    for (size_t i = 0; s && i < s->ncols; i++)
        if (strcmp(s->cols[i].name, name) == 0)
            return &s->cols[i];
    return NULL;
}

static kql_table *csv_fail_at(kql_load_error *err, const char *path, size_t line, size_t col,
                              const char *msg)
{
    snprintf(err->message, sizeof err->message, "%s:%zu:%zu: %s", path, line, col, msg);
    return NULL;
}

/* The header: column names (with " [UTC]" taken off) into names, the
 * effective schema (the given one, then the header's other columns) into
 * *eff, each header column's type into cols. Returns false with err set. */
static bool csv_header(const kql_csv_row *hdr, const char *path, const kql_schema *schema,
                       char **names, csv_col *cols, kql_schema *eff, kql_load_error *err)
{
    size_t base = schema ? schema->ncols : 0;
    /* freed by the caller as eff->cols; the names point into names[] or the schema */
    kql_schema_column *ec = kql_xrealloc(NULL, (base + hdr->n) * sizeof *ec);
    if (base)
        memcpy(ec, schema->cols, base * sizeof *ec);
    *eff = (kql_schema){.table = schema ? schema->table : NULL, .ncols = base, .cols = ec};
    for (size_t i = 0; i < hdr->n; i++) {
        size_t n;
        const char *f = kql_csv_field(hdr, i, &n);
        cols[i] = (csv_col){0};
        const char *br = n > 2 && f[n - 1] == ']' ? memchr(f, '[', n) : NULL;
        if (br && br > f && br[-1] == ' ') {
            if (!(f + n - br == 5 && memcmp(br, "[UTC]", 5) == 0)) {
                snprintf(err->message, sizeof err->message,
                         "%s:%zu: column '%.*s' is in local time, whose offset the file does not "
                         "say; export with the portal's time zone set to UTC",
                         path, hdr->line, (int)n, f);
                return false;
            }
            cols[i].portal_utc = true;
            n = (size_t)(br - 1 - f);
        }
        names[i] = kql_xrealloc(NULL, n + 1);   /* freed with names[] by the caller */
        memcpy(names[i], f, n);
        names[i][n] = '\0';
        if (n == 0) {
            snprintf(err->message, sizeof err->message, "%s:%zu: column %zu of the header has no name",
                     path, hdr->line, i + 1);
            return false;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[j], names[i]) == 0) {
                snprintf(err->message, sizeof err->message, "%s:%zu: column '%s' appears twice in the header",
                         path, hdr->line, names[i]);
                return false;
            }
        const kql_schema_column *sc = csv_schema_col(eff, names[i]);
        if (sc) {
            cols[i].type = sc->type;
        } else {
            cols[i].type = cols[i].portal_utc ? KQL_DATETIME : KQL_TYPE_UNKNOWN;
            ec[eff->ncols++] = (kql_schema_column){.name = names[i], .type = cols[i].type};
        }
    }
    return true;
}

/* One record as a JSON object (no line break) appended to json. */
static void csv_record_json(const kql_csv_row *row, char *const *names, const csv_col *cols, kql_buf *json)
{
    kql_buf_putc(json, '{');
    for (size_t i = 0; i < row->n; i++) {
        size_t n;
        const char *f = kql_csv_field(row, i, &n);
        if (i)
            kql_buf_putc(json, ',');
        kql_json_string(names[i], strlen(names[i]), json);
        kql_buf_putc(json, ':');
        if (cols[i].type == KQL_TYPE_UNKNOWN && n == 0) {
            /* a blank cell is CSV's null: "" would make a column of numbers
             * with a gap a dynamic one */
            kql_buf_puts(json, "null");
            continue;
        }
        if (cols[i].type == KQL_TYPE_UNKNOWN && csv_is_json_value(f, n)) {
            kql_buf_put(json, f, n);
            continue;
        }
        if (cols[i].type == KQL_DATETIME || cols[i].portal_utc) {
            size_t mark = json->len;
            kql_buf_putc(json, '"');
            if (kql_csv_portal_datetime(f, n, json)) {
                kql_buf_putc(json, '"');
                continue;
            }
            json->len = mark;
        }
        kql_json_string(f, n, json);
    }
    kql_buf_putc(json, '}');
}

kql_table *kql_load_csv_text(const char *text, size_t len, const char *path, const char *name,
                             const kql_schema *schema, const kql_load_report *report,
                             kql_load_error *err)
{
    err->message[0] = '\0';
    kql_csv_reader r;
    kql_csv_reader_init(&r, text, len);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r.pos = r.line_start = 3;   /* Excel and the portal write a byte order mark */
    kql_csv_row row;
    kql_csv_row_init(&row);
    size_t eline, ecol;
    const char *msg;
    int rc = kql_csv_next(&r, &row, &eline, &ecol, &msg);
    if (rc <= 0) {
        kql_csv_row_free(&row);
        if (rc < 0)
            return csv_fail_at(err, path, eline, ecol, msg);
        kql_json_options opt = {.schema = schema, .report = report};
        return kql_load_json_text_opts("", 0, path, name, &opt, err);
    }

    size_t ncols = row.n;
    char **names = calloc(ncols, sizeof *names);   /* owned, with each name */
    csv_col *cols = kql_xrealloc(NULL, ncols * sizeof *cols);   /* owned, freed at done */
    if (!names)
        kql_out_of_memory(ncols * sizeof *names);
    kql_schema eff = {0};
    kql_table *t = NULL;
    kql_buf json;
    kql_buf_init(&json);
    if (!csv_header(&row, path, schema, names, cols, &eff, err))
        goto done;

    size_t json_line = 1;
    while ((rc = kql_csv_next(&r, &row, &eline, &ecol, &msg)) > 0) {
        if (row.n != ncols) {
            snprintf(err->message, sizeof err->message, "%s:%zu: the record has %zu field%s, the header %zu",
                     path, row.line, row.n, row.n == 1 ? "" : "s", ncols);
            goto done;
        }
        for (; json_line < row.line; json_line++)
            kql_buf_putc(&json, '\n');
        csv_record_json(&row, names, cols, &json);
    }
    if (rc < 0) {
        csv_fail_at(err, path, eline, ecol, msg);
        goto done;
    }
    kql_buf_putc(&json, '\n');
    kql_json_options opt = {.schema = &eff, .report = report};
    t = kql_load_json_text_opts(json.data, json.len, path, name, &opt, err);
done:
    kql_buf_free(&json);
    kql_csv_row_free(&row);
    for (size_t i = 0; i < ncols; i++)
        free(names[i]);
    free(names);
    free(cols);
    free((kql_schema_column *)eff.cols);
    return t;
}
