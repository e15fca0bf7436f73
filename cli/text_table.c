/* text_table.c - results as text tables: made from query results, parsed from
 * expected blocks (CSV or aligned), written back (text_table.h).
 *
 * Aligned tables are read the way `kql -f table` writes them: each run of
 * dashes in the second line marks a column, and a cell is the text from the
 * start of its column's dashes up to the start of the next column's, trimmed
 * (numbers are right-aligned, so they end under the dashes' end). Positions
 * count UTF-8 characters, as the writer does. Such a table cannot show
 * leading or trailing spaces in a cell, and shows newlines, CRs and tabs as
 * \n, \r, \t: results compared with one are escaped and trimmed the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "text_table.h"

static char *dup_n(const char *s, size_t n)
{
    char *d = kql_xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* The text as an aligned table shows it: control characters escaped, trimmed. */
static char *aligned_text(const char *s, size_t n)
{
    while (n && s[0] == ' ') s++, n--;
    while (n && s[n - 1] == ' ') n--;
    kql_buf b;
    kql_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const char *esc = s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r" : s[i] == '\t' ? "\\t" : NULL;
        if (esc) kql_buf_puts(&b, esc);
        else kql_buf_putc(&b, s[i]);
    }
    char *d = dup_n(b.data ? b.data : "", b.len);
    kql_buf_free(&b);
    return d;
}

void text_table_from_result(text_table *out, const kql_table *t, bool aligned, int *col_map)
{
    memset(out, 0, sizeof *out);
    size_t nvis = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        bool hidden = t->hidden && t->hidden[c];
        if (col_map) col_map[c] = hidden ? -1 : (int)nvis;
        nvis += !hidden;
    }
    out->ncols = nvis;
    out->nrows = t->nrows;
    out->header = kql_xrealloc(NULL, nvis * sizeof *out->header);
    out->types = kql_xrealloc(NULL, nvis * sizeof *out->types);
    out->cells = kql_xrealloc(NULL, nvis * t->nrows * sizeof *out->cells);
    out->lines = calloc(t->nrows ? t->nrows : 1, sizeof *out->lines);
    kql_buf cell;
    kql_buf_init(&cell);
    size_t v = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->hidden && t->hidden[c]) continue;
        const char *name = t->col_names[c];
        out->header[v] = aligned ? aligned_text(name, strlen(name)) : dup_n(name, strlen(name));
        out->types[v] = t->cols[c]->type;
        for (size_t r = 0; r < t->nrows; r++) {
            kql_buf_clear(&cell);
            kql_format_cell_text(t->cols[c], r, &cell);
            const char *s = cell.data ? cell.data : "";
            out->cells[r * nvis + v] = aligned ? aligned_text(s, cell.len) : dup_n(s, cell.len);
        }
        v++;
    }
    kql_buf_free(&cell);
}

bool text_table_is_aligned(const text_line *lines, size_t n)
{
    if (n < 2 || lines[1].len == 0 || lines[1].text[0] != '-') return false;
    for (size_t i = 0; i < lines[1].len; i++)
        if (lines[1].text[i] != '-' && lines[1].text[i] != ' ') return false;
    return true;
}

/* Growing the table while parsing: rows of exactly ncols cells. */
static void add_row(text_table *t, char **row, int line)
{
    t->cells = kql_xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
    t->lines = kql_xrealloc(t->lines, (t->nrows + 1) * sizeof *t->lines);
    memcpy(t->cells + t->nrows * t->ncols, row, t->ncols * sizeof *row);
    t->lines[t->nrows++] = line;
}

static void set_header(text_table *t, char **names, size_t n)
{
    t->ncols = n;
    t->header = names;
    t->types = kql_xrealloc(NULL, n * sizeof *t->types);
    for (size_t i = 0; i < n; i++) t->types[i] = KQL_STRING;
}

/* ---- CSV ---- */

/* One CSV record starting at *p (RFC 4180; a quoted field may span lines).
 * Returns the fields (owned by the caller) or NULL with err set. */
static char **csv_record(const char **p, const char *end, size_t *nfields, size_t *newlines,
                         char *err, size_t errsz)
{
    char **fields = NULL;
    size_t n = 0;
    kql_buf f;
    kql_buf_init(&f);
    const char *s = *p;
    for (;;) {
        kql_buf_clear(&f);
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s >= end) {
                    snprintf(err, errsz, "unterminated quoted CSV field");
                    for (size_t i = 0; i < n; i++) free(fields[i]);
                    free(fields);
                    kql_buf_free(&f);
                    return NULL;
                }
                if (*s == '"' && s + 1 < end && s[1] == '"') {
                    kql_buf_putc(&f, '"');
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    if (*s == '\n') (*newlines)++;
                    kql_buf_putc(&f, *s++);
                }
            }
            while (s < end && *s != ',' && *s != '\n') kql_buf_putc(&f, *s++);   /* lenient: "a"b */
        } else {
            while (s < end && *s != ',' && *s != '\n') kql_buf_putc(&f, *s++);
        }
        fields = kql_xrealloc(fields, (n + 1) * sizeof *fields);
        fields[n++] = dup_n(f.data ? f.data : "", f.len);
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        break;
    }
    if (s < end) s++;   /* the line end */
    kql_buf_free(&f);
    *p = s;
    *nfields = n;
    return fields;
}

static bool parse_csv(text_table *t, const text_line *lines, size_t n, int *err_line, char *err, size_t errsz)
{
    kql_buf all;   /* the block joined back into one text; line k of it is lines[k] */
    kql_buf_init(&all);
    for (size_t i = 0; i < n; i++) {
        kql_buf_put(&all, lines[i].text, lines[i].len);
        kql_buf_putc(&all, '\n');
    }
    const char *p = all.data, *end = all.data + all.len;
    size_t at = 0;   /* index into lines of the record being read */
    bool ok = true;
    while (p < end) {
        size_t nf, newlines = 0;
        int line = lines[at].line;
        char **fields = csv_record(&p, end, &nf, &newlines, err, errsz);
        if (!fields) {
            *err_line = line;
            ok = false;
            break;
        }
        at += 1 + newlines;
        if (!t->header) {
            set_header(t, fields, nf);
            continue;
        }
        if (nf != t->ncols) {
            snprintf(err, errsz, "row has %zu cell%s, the header has %zu", nf, nf == 1 ? "" : "s", t->ncols);
            *err_line = line;
            for (size_t i = 0; i < nf; i++) free(fields[i]);
            free(fields);
            ok = false;
            break;
        }
        add_row(t, fields, line);
        free(fields);
    }
    kql_buf_free(&all);
    return ok;
}

/* ---- aligned ---- */

/* Byte offsets of the UTF-8 characters of a line: pos[k] is where character k
 * starts; pos[nchars] = len. Owned by the caller. */
static size_t *char_starts(const text_line *l, size_t *nchars)
{
    size_t *pos = kql_xrealloc(NULL, (l->len + 1) * sizeof *pos);
    size_t k = 0;
    for (size_t i = 0; i < l->len; i++)
        if (((unsigned char)l->text[i] & 0xC0) != 0x80) pos[k++] = i;
    pos[k] = l->len;
    *nchars = k;
    return pos;
}

/* The cells of one line cut at the column starts; false when text sits in the
 * gap between two columns (the row does not line up with the dashes). */
static bool cut_line(const text_line *l, const size_t *starts, const size_t *ends, size_t ncols, char **cells)
{
    size_t nchars;
    size_t *pos = char_starts(l, &nchars);
    bool ok = true;
    for (size_t c = 0; c < ncols; c++) {
        size_t from = starts[c], to = c + 1 < ncols ? starts[c + 1] : nchars;
        if (from > nchars) from = nchars;
        if (to > nchars) to = nchars;
        for (size_t k = c + 1 < ncols ? ends[c] : to; k < to; k++)
            if (l->text[pos[k]] != ' ') ok = false;
        if (c == 0)
            for (size_t k = 0; k < from; k++)
                if (l->text[pos[k]] != ' ') ok = false;
        size_t b0 = pos[from], b1 = pos[to];
        while (b0 < b1 && l->text[b0] == ' ') b0++;
        while (b1 > b0 && l->text[b1 - 1] == ' ') b1--;
        cells[c] = dup_n(l->text + b0, b1 - b0);
    }
    free(pos);
    return ok;
}

static bool parse_aligned(text_table *t, const text_line *lines, size_t n, int *err_line, char *err, size_t errsz)
{
    const text_line *dash = &lines[1];
    size_t ncols = 0;
    size_t *starts = kql_xrealloc(NULL, (dash->len + 1) * sizeof *starts);
    size_t *ends = kql_xrealloc(NULL, (dash->len + 1) * sizeof *ends);
    for (size_t i = 0; i < dash->len; i++)   /* the dash line is ASCII: bytes are characters */
        if (dash->text[i] == '-' && (i == 0 || dash->text[i - 1] == ' ')) {
            starts[ncols] = i;
            size_t e = i;
            while (e < dash->len && dash->text[e] == '-') e++;
            ends[ncols++] = e;
        }
    bool ok = true;
    char **cells = kql_xrealloc(NULL, ncols * sizeof *cells);
    for (size_t i = 0; i < n && ok; i++) {
        if (i == 1) continue;
        bool lined_up = cut_line(&lines[i], starts, ends, ncols, cells);
        if (!lined_up) {
            snprintf(err, errsz, "%s does not line up with the columns under the dashes (%zu column%s)",
                     i == 0 ? "the header" : "row", ncols, ncols == 1 ? "" : "s");
            *err_line = lines[i].line;
            for (size_t c = 0; c < ncols; c++) free(cells[c]);
            ok = false;
        } else if (i == 0) {
            set_header(t, cells, ncols);
            cells = kql_xrealloc(NULL, ncols * sizeof *cells);
        } else {
            add_row(t, cells, lines[i].line);
        }
    }
    free(cells);
    free(starts);
    free(ends);
    return ok;
}

bool text_table_parse(text_table *out, const text_line *lines, size_t n, int *err_line, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    bool ok = text_table_is_aligned(lines, n) ? parse_aligned(out, lines, n, err_line, err, errsz)
                                              : parse_csv(out, lines, n, err_line, err, errsz);
    if (ok && !out->header) {
        snprintf(err, errsz, "no header row");
        *err_line = n ? lines[0].line : 0;
        ok = false;
    }
    if (!ok) text_table_free(out);
    return ok;
}

/* ---- writing ---- */

/* Quoted when RFC 4180 needs it, and when it starts with '#' (which would
 * make a line of a test file a comment). */
static void csv_field(kql_buf *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n") && s[0] != '#') {
        kql_buf_puts(out, s);
        return;
    }
    kql_buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"') kql_buf_putc(out, '"');
        kql_buf_putc(out, *s);
    }
    kql_buf_putc(out, '"');
}

void text_table_csv_row(kql_buf *out, const text_table *t, long row)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (c) kql_buf_putc(out, ',');
        csv_field(out, row < 0 ? t->header[c] : text_table_cell(t, (size_t)row, c));
    }
    /* a one-column row holding "" would be a blank line, which ends a block */
    if (t->ncols == 1 && (row < 0 ? t->header[0] : text_table_cell(t, (size_t)row, 0))[0] == '\0')
        kql_buf_puts(out, "\"\"");
}

static size_t utf8_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void put_padded(kql_buf *line, const char *s, size_t width, bool right)
{
    size_t pad = width - utf8_width(s);
    for (size_t k = 0; right && k < pad; k++) kql_buf_putc(line, ' ');
    kql_buf_puts(line, s);
    for (size_t k = 0; !right && k < pad; k++) kql_buf_putc(line, ' ');
}

static void end_line(kql_buf *out, kql_buf *line)
{
    while (line->len && line->data[line->len - 1] == ' ') line->len--;
    kql_buf_put(out, line->data ? line->data : "", line->len);
    kql_buf_putc(out, '\n');
    kql_buf_clear(line);
}

static void write_aligned(kql_buf *out, const text_table *t)
{
    size_t *width = kql_xrealloc(NULL, t->ncols * sizeof *width);
    char **shown = kql_xrealloc(NULL, (t->nrows + 1) * t->ncols * sizeof *shown);
    for (size_t c = 0; c < t->ncols; c++) {
        shown[c] = aligned_text(t->header[c], strlen(t->header[c]));
        width[c] = utf8_width(shown[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            const char *s = text_table_cell(t, r, c);
            char *a = shown[(r + 1) * t->ncols + c] = aligned_text(s, strlen(s));
            if (utf8_width(a) > width[c]) width[c] = utf8_width(a);
        }
    }
    kql_buf line;
    kql_buf_init(&line);
    for (size_t r = 0; r <= t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) kql_buf_puts(&line, "  ");
            kql_type ty = t->types[c];
            bool right = ty == KQL_INT || ty == KQL_LONG || ty == KQL_REAL || ty == KQL_DECIMAL;
            put_padded(&line, shown[r * t->ncols + c], width[c], right);
        }
        end_line(out, &line);
        if (r == 0) {
            for (size_t c = 0; c < t->ncols; c++) {
                if (c) kql_buf_puts(&line, "  ");
                for (size_t k = 0; k < width[c]; k++) kql_buf_putc(&line, '-');
            }
            end_line(out, &line);
        }
    }
    for (size_t i = 0; i < (t->nrows + 1) * t->ncols; i++) free(shown[i]);
    free(shown);
    free(width);
    kql_buf_free(&line);
}

/* Would an aligned line start with '#'? The test-file reader takes such a
 * line for a comment (or, with "###", a new test); CSV quotes the cell. */
static bool first_cell_reads_as_comment(const text_table *t)
{
    if (t->ncols == 0)
        return false;
    if (t->header[0][0] == '#')
        return true;
    for (size_t r = 0; r < t->nrows; r++)
        if (text_table_cell(t, r, 0)[0] == '#')
            return true;
    return false;
}

void text_table_write(kql_buf *out, const text_table *t, bool aligned)
{
    if (aligned && !first_cell_reads_as_comment(t)) {
        write_aligned(out, t);
        return;
    }
    for (long r = -1; r < (long)t->nrows; r++) {
        text_table_csv_row(out, t, r);
        kql_buf_putc(out, '\n');
    }
}

void text_table_select(text_table *out, const text_table *t, const int *cols, size_t n)
{
    memset(out, 0, sizeof *out);
    out->ncols = n;
    out->nrows = t->nrows;
    out->header = kql_xrealloc(NULL, n * sizeof *out->header);
    out->types = kql_xrealloc(NULL, n * sizeof *out->types);
    out->cells = kql_xrealloc(NULL, n * t->nrows * sizeof *out->cells);
    out->lines = calloc(t->nrows ? t->nrows : 1, sizeof *out->lines);
    for (size_t c = 0; c < n; c++) {
        const char *h = t->header[cols[c]];
        out->header[c] = dup_n(h, strlen(h));
        out->types[c] = t->types[cols[c]];
        for (size_t r = 0; r < t->nrows; r++) {
            const char *s = text_table_cell(t, r, (size_t)cols[c]);
            out->cells[r * n + c] = dup_n(s, strlen(s));
        }
    }
    if (t->lines) memcpy(out->lines, t->lines, t->nrows * sizeof *out->lines);
}

int text_table_find(const text_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->header[c], name) == 0) return (int)c;
    return -1;
}

void text_table_free(text_table *t)
{
    for (size_t c = 0; t->header && c < t->ncols; c++) free(t->header[c]);
    for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->header);
    free(t->cells);
    free(t->types);
    free(t->lines);
    memset(t, 0, sizeof *t);
}
