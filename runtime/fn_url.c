/* fn_url.c - text that names a resource, split into its parts: parse_url,
 * parse_urlquery, parse_path and parse_command_line.
 *
 * Each returns a dynamic value with the fixed shape the docs (and Kusto's
 * analyzer) give it; input that doesn't have the expected form gives the
 * same shape with empty parts, never an error.
 */
#include <string.h>
#include <strings.h>

#include "dynamic.h"
#include "fn_common.h"

/* ---- building strings in place ----
 * Some parts are rewritten as they are copied (percent-decoding,
 * unquoting). They are written straight into the encoding: an empty
 * STRING is opened, its bytes appended, and its length (the u32 after the
 * tag, dynamic.h) patched at the end. */

static size_t string_open(kql_buf *out)
{
    kql_dyn_put_string(out, "", 0);
    return out->len;
}

static void string_close(kql_buf *out, size_t start)
{
    uint32_t len = (uint32_t)(out->len - start);
    memcpy(out->data + start - sizeof len, &len, sizeof len);
}

/* s[0..len) as a dynamic string with %XX and '+' decoded (a malformed
 * escape stays as written). */
static void put_decoded(kql_buf *out, const char *s, size_t len)
{
    size_t start = string_open(out);
    for (size_t i = 0; i < len; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < len && (hi = kql_hex_digit(s[i + 1])) >= 0 &&
            (lo = kql_hex_digit(s[i + 2])) >= 0) {
            kql_buf_putc(out, (char)(hi << 4 | lo));
            i += 2;
        } else {
            kql_buf_putc(out, s[i] == '+' ? ' ' : s[i]);
        }
    }
    string_close(out, start);
}

static void put_key_string(kql_buf *out, const char *key, const char *s, size_t len)
{
    kql_dyn_put_key(out, key, strlen(key));
    kql_dyn_put_string(out, len ? s : "", len);
}

/* ---- parse_url / parse_urlquery ---- */

/* Whether key s[0..len) was already used by a pair before `before` in
 * the query q: the first occurrence of a key wins. */
static bool key_seen(const char *q, const char *before, const char *s, size_t len)
{
    for (const char *p = q; p < before;) {
        const char *amp = memchr(p, '&', (size_t)(before - p));
        const char *end = amp ? amp : before;
        const char *eq = memchr(p, '=', (size_t)(end - p));
        const char *kend = eq ? eq : end;
        if ((size_t)(kend - p) == len && memcmp(p, s, len) == 0)
            return true;
        p = end + 1;
    }
    return false;
}

/* The object of a query string's parameters, "k1=v1&k2=v2" ->
 * {"k1":"v1","k2":"v2"}, values percent-decoded; a key without '=' gets "". */
static void put_query(kql_buf *out, const char *q, size_t len)
{
    size_t mark = kql_dyn_begin_object(out);
    uint32_t count = 0;
    const char *end = q + len;
    for (const char *p = q; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pend = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(pend - p));
        const char *kend = eq ? eq : pend;
        if (kend > p && !key_seen(q, p, p, (size_t)(kend - p))) {
            kql_dyn_put_key(out, p, (size_t)(kend - p));
            if (eq)
                put_decoded(out, eq + 1, (size_t)(pend - eq - 1));
            else
                kql_dyn_put_string(out, "", 0);
            count++;
        }
        p = pend + 1;
    }
    kql_dyn_end(out, mark, count);
}

KQL_FN_RULE(kql_fnt_parse_url, "parse_url", "s", KQL_DYNAMIC)

/* parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")
 * -> {"Scheme":"scheme","Host":"host","Port":"1234","Path":"/this/is/a/path",
 *     "Username":"username","Password":"password",
 *     "Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}.
 * The docs' table prints the path without its leading '/', but the path of
 * an absolute URL starts at the '/' (as .NET's Uri.AbsolutePath), and that
 * is what queries compare it with. Text without "scheme://" gives every part
 * empty. */
void kql_fn_parse_url(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    const char *s = args[0].u.s.len ? args[0].u.s.ptr : "", *end = s + args[0].u.s.len;
    const char *sep = NULL;
    for (const char *p = s; p + 3 <= end && !sep; p++)
        if (p[0] == ':' && p[1] == '/' && p[2] == '/')
            sep = p;
    kql_str scheme = { "", 0 }, host = { "", 0 }, port = { "", 0 }, path = { "", 0 };
    kql_str user = { "", 0 }, pass = { "", 0 }, query = { "", 0 }, frag = { "", 0 };
    if (sep && sep > s) {
        scheme = (kql_str){ s, (uint32_t)(sep - s) };
        const char *auth = sep + 3, *p = auth;
        while (p < end && *p != '/' && *p != '?' && *p != '#')
            p++;
        const char *auth_end = p, *at = NULL;
        for (const char *q = auth; q < auth_end; q++)
            if (*q == '@')
                at = q;
        const char *h = auth;
        if (at) {
            const char *colon = memchr(auth, ':', (size_t)(at - auth));
            user = (kql_str){ auth, (uint32_t)((colon ? colon : at) - auth) };
            if (colon)
                pass = (kql_str){ colon + 1, (uint32_t)(at - colon - 1) };
            h = at + 1;
        }
        /* the port follows the last ':' that isn't inside an IPv6 [literal] */
        const char *colon = NULL;
        for (const char *q = h; q < auth_end; q++)
            if (*q == ':')
                colon = q;
            else if (*q == ']')
                colon = NULL;
        host = (kql_str){ h, (uint32_t)((colon ? colon : auth_end) - h) };
        if (colon)
            port = (kql_str){ colon + 1, (uint32_t)(auth_end - colon - 1) };
        const char *path_end = p;
        while (path_end < end && *path_end != '?' && *path_end != '#')
            path_end++;
        path = (kql_str){ p, (uint32_t)(path_end - p) };
        const char *hash = path_end;
        while (hash < end && *hash != '#')
            hash++;
        if (hash == end)
            hash = NULL;
        if (path_end < end && *path_end == '?')
            query = (kql_str){ path_end + 1, (uint32_t)((hash ? hash : end) - path_end - 1) };
        if (hash)
            frag = (kql_str){ hash + 1, (uint32_t)(end - hash - 1) };
    }
    kql_buf *b = &ctx->scratch;
    kql_buf_clear(b);
    size_t mark = kql_dyn_begin_object(b);
    put_key_string(b, "Scheme", scheme.ptr, scheme.len);
    put_key_string(b, "Host", host.ptr, host.len);
    put_key_string(b, "Port", port.ptr, port.len);
    put_key_string(b, "Path", path.ptr, path.len);
    put_key_string(b, "Username", user.ptr, user.len);
    put_key_string(b, "Password", pass.ptr, pass.len);
    kql_dyn_put_key(b, "Query Parameters", strlen("Query Parameters"));
    put_query(b, query.ptr, query.len);
    put_key_string(b, "Fragment", frag.ptr, frag.len);
    kql_dyn_end(b, mark, 8);
    *out = kql_fn_dynamic_out(ctx, 0);
}

KQL_FN_RULE(kql_fnt_parse_urlquery, "parse_urlquery", "s", KQL_DYNAMIC)

/* parse_urlquery("k1=v1&k2=v2&k3=v3") ->
 * {"Query Parameters":{"k1":"v1","k2":"v2","k3":"v3"}}; a leading '?' is
 * skipped. */
void kql_fn_parse_urlquery(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    const char *q = args[0].u.s.len ? args[0].u.s.ptr : "";
    size_t len = args[0].u.s.len;
    if (len && q[0] == '?')
        q++, len--;
    kql_buf *b = &ctx->scratch;
    kql_buf_clear(b);
    size_t mark = kql_dyn_begin_object(b);
    kql_dyn_put_key(b, "Query Parameters", strlen("Query Parameters"));
    put_query(b, q, len);
    kql_dyn_end(b, mark, 1);
    *out = kql_fn_dynamic_out(ctx, 0);
}

/* ---- parse_path ---- */

static bool is_sep(char c)
{
    return c == '/' || c == '\\';
}

KQL_FN_RULE(kql_fnt_parse_path, "parse_path", "s", KQL_DYNAMIC)

/* parse_path docs: "file://C:/temp/file.txt:some.exe" ->
 * {"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp",
 *  "DirectoryName":"temp","Filename":"file.txt","Extension":"txt",
 *  "AlternateDataStreamName":"some.exe"}. Separators are '/' and '\'; the
 * root is a drive letter ("C:"); UNC and Unix paths have none. */
void kql_fn_parse_path(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    const char *s = args[0].u.s.len ? args[0].u.s.ptr : "", *end = s + args[0].u.s.len;
    kql_str scheme = { "", 0 }, root = { "", 0 };
    for (const char *p = s; p + 3 <= end; p++) {
        if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
            if (p > s) {
                scheme = (kql_str){ s, (uint32_t)(p - s) };
                s = p + 3;
            }
            break;
        }
        if (is_sep(*p))
            break;
    }
    if (end - s >= 2 && s[1] == ':' &&
        ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        root = (kql_str){ s, 2 };
    const char *last = NULL;
    for (const char *p = s; p < end; p++)
        if (is_sep(*p))
            last = p;
    const char *name = last ? last + 1 : s + root.len;
    const char *dir_end = last ? last : s;
    if (last && (last == s || last == s + root.len))
        dir_end = last + 1;   /* the root directory keeps its separator: "/", "C:\" */
    kql_str dir = { s, (uint32_t)(dir_end - s) };
    const char *dn = dir_end;
    while (dn > s && !is_sep(dn[-1]))
        dn--;
    kql_str dirname = { dn, (uint32_t)(dir_end - dn) };
    if (dirname.len == root.len && dn == s)
        dirname.len = 0;   /* "C:" is a root, not a directory name */
    const char *colon = memchr(name, ':', (size_t)(end - name));
    kql_str file = { name, (uint32_t)((colon ? colon : end) - name) }, stream = { "", 0 };
    if (colon)
        stream = (kql_str){ colon + 1, (uint32_t)(end - colon - 1) };
    kql_str ext = { "", 0 };
    for (const char *p = file.ptr + file.len; p > file.ptr; p--)
        if (p[-1] == '.') {
            ext = (kql_str){ p, (uint32_t)(file.ptr + file.len - p) };
            break;
        }
    kql_buf *b = &ctx->scratch;
    kql_buf_clear(b);
    size_t mark = kql_dyn_begin_object(b);
    put_key_string(b, "Scheme", scheme.ptr, scheme.len);
    put_key_string(b, "RootPath", root.ptr, root.len);
    put_key_string(b, "DirectoryPath", dir.ptr, dir.len);
    put_key_string(b, "DirectoryName", dirname.ptr, dirname.len);
    put_key_string(b, "Filename", file.ptr, file.len);
    put_key_string(b, "Extension", ext.ptr, ext.len);
    put_key_string(b, "AlternateDataStreamName", stream.ptr, stream.len);
    kql_dyn_end(b, mark, 7);
    *out = kql_fn_dynamic_out(ctx, 0);
}

/* ---- parse_command_line ---- */

KQL_FN_RULE(kql_fnt_parse_command_line, "parse_command_line", "ss", KQL_DYNAMIC)

/* parse_command_line(cmd, "windows"): the arguments as Windows'
 * CommandLineToArgvW splits them. The first (the program) ends at a blank
 * outside quotes, and its quotes are dropped; in the others 2n
 * backslashes before a '"' give n backslashes and the quote toggles
 * quoting, 2n+1 give n and a literal '"', other backslashes are literal,
 * and "" inside quotes is a literal '"'. Another parser type gives null. */
void kql_fn_parse_command_line(kql_fn_ctx *ctx, const kql_value *args, size_t n, kql_value *out)
{
    (void)n;
    if (args[1].u.s.len != 7 || strncasecmp(args[1].u.s.ptr, "windows", 7) != 0) {
        *out = kql_null(KQL_DYNAMIC);
        return;
    }
    const char *s = args[0].u.s.len ? args[0].u.s.ptr : "";
    size_t len = args[0].u.s.len, i = 0;
    kql_buf *b = &ctx->scratch;
    kql_buf_clear(b);
    size_t mark = kql_dyn_begin_array(b);
    uint32_t count = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len) {
        size_t start = string_open(b);
        bool quoted = false;
        for (; i < len && (quoted || (s[i] != ' ' && s[i] != '\t')); i++)
            if (s[i] == '"')
                quoted = !quoted;
            else
                kql_buf_putc(b, s[i]);
        string_close(b, start);
        count++;
    }
    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= len)
            break;
        size_t start = string_open(b);
        bool quoted = false;
        while (i < len && (quoted || (s[i] != ' ' && s[i] != '\t'))) {
            if (s[i] == '\\') {
                size_t k = i;
                while (k < len && s[k] == '\\')
                    k++;
                size_t slashes = k - i;
                bool before_quote = k < len && s[k] == '"';
                for (size_t j = 0; j < (before_quote ? slashes / 2 : slashes); j++)
                    kql_buf_putc(b, '\\');
                i = k;
                if (before_quote && slashes % 2) {
                    kql_buf_putc(b, '"');
                    i++;
                }
            } else if (s[i] == '"') {
                if (quoted && i + 1 < len && s[i + 1] == '"') {
                    kql_buf_putc(b, '"');
                    i += 2;
                } else {
                    quoted = !quoted;
                    i++;
                }
            } else {
                kql_buf_putc(b, s[i++]);
            }
        }
        string_close(b, start);
        count++;
    }
    kql_dyn_end(b, mark, count);
    *out = kql_fn_dynamic_out(ctx, 0);
}
