/* load_input.h - a data file's bytes, gunzipped when they are gzip.
 *
 * Regular files are mapped, not read (a multi-gigabyte log costs no copy);
 * pipes and special files are read to the end. Content that starts with the
 * gzip magic bytes is inflated in memory whatever the file is called, as
 * exports are often compressed (.json.gz, .csv.gz) or renamed.
 */
#ifndef KQL_LOAD_INPUT_H
#define KQL_LOAD_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "json_load.h"

typedef struct kql_input {
    const char *data;     /* the (decompressed) bytes; "" when the file is empty */
    size_t len;
    void *map;            /* owned: the mapping of a regular file, or NULL */
    size_t map_len;
    kql_buf owned;        /* owned: bytes read from a stream or inflated */
} kql_input;

/* Reads path into *in. Returns 0, or -1 with err filled in ("PATH: reason").
 * Release with kql_input_release either way. */
int kql_input_read(const char *path, kql_input *in, kql_load_error *err);
void kql_input_release(kql_input *in);

/* Do the bytes start with the gzip magic (1f 8b)? */
bool kql_is_gzip(const void *p, size_t len);
/* Inflates gzip data (every member: `cat a.gz b.gz` is a valid gzip file)
 * appending to out. Returns false with msg set (a static text) when the data
 * is not valid gzip or is cut short. */
bool kql_gunzip(const void *p, size_t len, kql_buf *out, const char **msg);

#endif
