/* format.c - writing result tables as aligned text, CSV, JSON or JSON Lines
 * (format.h). The CLI picks the format; every writer leaves hidden columns
 * out and works row by row through one reusable line buffer.
 *
 * table  header, a line of dashes under each column, the rows. Columns are
 *        separated by two spaces; numbers (int, long, real) are right-aligned,
 *        everything else left-aligned; lines carry no trailing spaces. Widths
 *        count UTF-8 characters. Newlines, CRs and tabs inside cells print as
 *        \n, \r, \t so each row stays on one line. With a maximum line
 *        width (the REPL's terminal), the widest columns are narrowed until
 *        the line fits (never below KQL_FORMAT_MIN_WIDTH) and cells longer
 *        than their column end in an ellipsis.
 * csv    RFC 4180: a header row; a field is quoted, with quotes doubled, only
 *        when it holds a comma, a quote, CR or LF. Lines end with "\n", not
 *        the RFC's CRLF, as Unix tools expect (RFC 4180 parsers accept both).
 * json   [\n{...},\n{...}\n]\n - one object per row, typed: numbers and bools
 *        bare, NaN/Infinity/-Infinity as strings, datetimes, timespans and
 *        guids as strings, dynamic values embedded as JSON, nulls as null
 *        (string cells are never null: KQL strings have no null).
 *        An empty result is "[]\n".
 * jsonl  the same objects, one a line; an empty result prints nothing.
 */
#include "buf.h"
#include "format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic.h"

bool kql_format_parse(const char *name, kql_format *fmt)
{
    static const struct { const char *name; kql_format fmt; } names[] = {
        {"table", KQL_FORMAT_TABLE}, {"csv", KQL_FORMAT_CSV},
        {"json", KQL_FORMAT_JSON}, {"jsonl", KQL_FORMAT_JSONL},
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *fmt = names[i].fmt;
            return true;
        }
    return false;
}

void kql_format_cell_text(const kql_column *c, size_t row, kql_buf *out)
{
    kql_value v = kql_column_get(c, row);
    kql_value_to_text(&v, out);
}

static bool fmt_visible(const kql_table *t, size_t i)
{
    return !(t->hidden && t->hidden[i]);
}

/* Whether column i is shown; when it is, appends to line the separator
 * that comes before every shown column but the first. */
static bool fmt_field(kql_buf *line, const kql_table *t, size_t i, bool *first, const char *sep)
{
    if (!fmt_visible(t, i))
        return false;
    if (!*first)
        kql_buf_puts(line, sep);
    *first = false;
    return true;
}

static void fmt_write_line(FILE *out, kql_buf *line)
{
    kql_buf_putc(line, '\n');
    fwrite(line->data, 1, line->len, out);
    kql_buf_clear(line);
}

/* ---------- table ---------- */

static bool fmt_right_aligned(kql_type t)
{
    return t == KQL_INT || t == KQL_LONG || t == KQL_REAL || t == KQL_DECIMAL;
}

static size_t fmt_escaped_width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        w += ch == '\n' || ch == '\r' || ch == '\t' ? 2 : ((unsigned char)ch & 0xC0) != 0x80;
    }
    return w;
}

/* Appends a cell, control characters escaped, padded to `width` characters
 * (UTF-8 continuation bytes do not count); a longer cell is cut to width - 1
 * characters and an ellipsis. */
static void fmt_put_padded(kql_buf *line, const char *s, size_t len, size_t width, bool right)
{
    size_t w = fmt_escaped_width(s, len);
    bool cut = w > width;
    size_t pad = cut ? 0 : width - w;
    for (size_t k = 0; right && k < pad; k++)
        kql_buf_putc(line, ' ');
    size_t room = cut ? width - 1 : w;   /* characters of s that fit */
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        size_t cw = ch == '\n' || ch == '\r' || ch == '\t' ? 2 : ((unsigned char)ch & 0xC0) != 0x80;
        if (cw > room)
            break;
        room -= cw;
        const char *esc = ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : ch == '\t' ? "\\t" : NULL;
        if (esc)
            kql_buf_puts(line, esc);
        else
            kql_buf_putc(line, ch);
    }
    if (cut)
        kql_buf_puts(line, "\xE2\x80\xA6");   /* U+2026 HORIZONTAL ELLIPSIS */
    for (size_t k = 0; !right && k < pad; k++)
        kql_buf_putc(line, ' ');
}

/* Lines end without the padding of the last column. */
static void fmt_trim(kql_buf *line)
{
    while (line->len && line->data[line->len - 1] == ' ')
        line->len--;
}

/* Narrows the widest columns until the shown ones and the two-space
 * separators fit max_width: the widths above a cap drop to the cap, the
 * largest cap that fits (columns keep at least KQL_FORMAT_MIN_WIDTH). */
static void fmt_fit_widths(const kql_table *t, size_t *width, size_t max_width)
{
    size_t total = 0, shown = 0, widest = 0;
    for (size_t i = 0; i < t->ncols; i++)
        if (fmt_visible(t, i)) {
            total += width[i];
            shown++;
            if (width[i] > widest)
                widest = width[i];
        }
    size_t seps = 2 * (shown - 1);
    if (total + seps <= max_width)
        return;
    size_t cap = widest;
    while (cap > KQL_FORMAT_MIN_WIDTH) {
        cap--;
        size_t sum = seps;
        for (size_t i = 0; i < t->ncols; i++)
            if (fmt_visible(t, i))
                sum += width[i] < cap ? width[i] : cap;
        if (sum <= max_width)
            break;
    }
    for (size_t i = 0; i < t->ncols; i++)
        if (width[i] > cap)
            width[i] = cap;
}

static void fmt_table(FILE *out, const kql_table *t, size_t max_width)
{
    size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof *width);
    if (!width)
        kql_out_of_memory(t->ncols * sizeof *width);
    kql_buf cell, line;
    kql_buf_init(&cell);
    kql_buf_init(&line);
    bool any = false;
    for (size_t i = 0; i < t->ncols; i++) {
        if (!fmt_visible(t, i))
            continue;
        any = true;
        width[i] = fmt_escaped_width(t->col_names[i], strlen(t->col_names[i]));
        for (size_t r = 0; r < t->nrows; r++) {
            kql_buf_clear(&cell);
            kql_format_cell_text(t->cols[i], r, &cell);
            size_t w = fmt_escaped_width(cell.data, cell.len);
            if (w > width[i])
                width[i] = w;
        }
    }
    if (!any)
        goto done;
    if (max_width)
        fmt_fit_widths(t, width, max_width);

    for (int pass = 0; pass < 2; pass++) {   /* header, then dashes */
        bool first = true;
        for (size_t i = 0; i < t->ncols; i++) {
            if (!fmt_field(&line, t, i, &first, "  "))
                continue;
            if (pass == 0)
                fmt_put_padded(&line, t->col_names[i], strlen(t->col_names[i]), width[i],
                               fmt_right_aligned(t->cols[i]->type));
            else
                for (size_t k = 0; k < width[i]; k++)
                    kql_buf_putc(&line, '-');
        }
        fmt_trim(&line);
        fmt_write_line(out, &line);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        bool first = true;
        for (size_t i = 0; i < t->ncols; i++) {
            if (!fmt_field(&line, t, i, &first, "  "))
                continue;
            kql_buf_clear(&cell);
            kql_format_cell_text(t->cols[i], r, &cell);
            fmt_put_padded(&line, cell.data, cell.len, width[i], fmt_right_aligned(t->cols[i]->type));
        }
        fmt_trim(&line);
        fmt_write_line(out, &line);
    }
done:
    kql_buf_free(&cell);
    kql_buf_free(&line);
    free(width);
}

/* ---------- csv ---------- */

static void fmt_csv_field(kql_buf *line, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        kql_buf_put(line, s, len);
        return;
    }
    kql_buf_putc(line, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            kql_buf_putc(line, '"');
        kql_buf_putc(line, s[i]);
    }
    kql_buf_putc(line, '"');
}

static void fmt_csv(FILE *out, const kql_table *t)
{
    kql_buf cell, line;
    kql_buf_init(&cell);
    kql_buf_init(&line);
    bool none = true;
    for (size_t i = 0; i < t->ncols; i++)
        if (fmt_field(&line, t, i, &none, ","))
            fmt_csv_field(&line, t->col_names[i], strlen(t->col_names[i]));
    if (!none) {
        fmt_write_line(out, &line);
        for (size_t r = 0; r < t->nrows; r++) {
            bool first = true;
            for (size_t i = 0; i < t->ncols; i++) {
                if (!fmt_field(&line, t, i, &first, ","))
                    continue;
                kql_buf_clear(&cell);
                kql_format_cell_text(t->cols[i], r, &cell);
                fmt_csv_field(&line, cell.data, cell.len);
            }
            fmt_write_line(out, &line);
        }
    }
    kql_buf_free(&cell);
    kql_buf_free(&line);
}

/* ---------- json / jsonl ---------- */

/* One cell as a JSON value; `cell` is scratch for its text. */
static void fmt_json_value(kql_buf *line, const kql_column *c, size_t row, kql_buf *cell)
{
    kql_value v = kql_column_get(c, row);
    if (v.is_null && c->type != KQL_STRING) {
        kql_buf_puts(line, "null");
        return;
    }
    kql_buf_clear(cell);
    switch (c->type) {
    case KQL_BOOL:
    case KQL_INT:
    case KQL_LONG:
        kql_value_to_text(&v, line);
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        if (isfinite(v.u.r)) {
            kql_value_to_text(&v, line);
        } else {
            kql_value_to_text(&v, cell);
            kql_json_string(cell->data, cell->len, line);
        }
        break;
    case KQL_DYNAMIC:
        if (v.u.s.len)
            kql_dyn_to_json((kql_dyn)v.u.s.ptr, line);
        else
            kql_buf_puts(line, "null");
        break;
    default:   /* string, datetime, timespan, guid */
        kql_value_to_text(&v, cell);
        kql_json_string(cell->data ? cell->data : "", cell->len, line);
        break;
    }
}

static void fmt_json(FILE *out, const kql_table *t, bool lines)
{
    kql_buf cell, line;
    kql_buf_init(&cell);
    kql_buf_init(&line);
    if (!lines)
        fputs(t->nrows ? "[\n" : "[]\n", out);
    for (size_t r = 0; r < t->nrows; r++) {
        kql_buf_putc(&line, '{');
        bool first = true;
        for (size_t i = 0; i < t->ncols; i++) {
            if (!fmt_field(&line, t, i, &first, ","))
                continue;
            kql_json_string(t->col_names[i], strlen(t->col_names[i]), &line);
            kql_buf_putc(&line, ':');
            fmt_json_value(&line, t->cols[i], r, &cell);
        }
        kql_buf_putc(&line, '}');
        if (!lines && r + 1 < t->nrows)
            kql_buf_putc(&line, ',');
        fmt_write_line(out, &line);
    }
    if (!lines && t->nrows)
        fputs("]\n", out);
    kql_buf_free(&cell);
    kql_buf_free(&line);
}

void kql_format_write(FILE *out, const kql_table *t, kql_format fmt)
{
    kql_format_write_opts(out, t, fmt, NULL);
}

void kql_format_write_opts(FILE *out, const kql_table *t, kql_format fmt, const kql_format_options *opt)
{
    switch (fmt) {
    case KQL_FORMAT_TABLE: fmt_table(out, t, opt ? opt->max_width : 0); break;
    case KQL_FORMAT_CSV: fmt_csv(out, t); break;
    case KQL_FORMAT_JSON: fmt_json(out, t, false); break;
    case KQL_FORMAT_JSONL: fmt_json(out, t, true); break;
    }
}
