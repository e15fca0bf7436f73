/* load_input.c - reading a data file, gunzipped when it is gzip
 * (load_input.h). zlib does the inflating (Debian's zlib1g-dev): gzip members,
 * their checksums and concatenation are its business, not ours. */
#include "load_input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static void in_io_error(kql_load_error *err, const char *path, int errnum)
{
    snprintf(err->message, sizeof err->message, "%s: %s", path, strerror(errnum));
}

bool kql_is_gzip(const void *p, size_t len)
{
    const unsigned char *b = p;
    return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/* Gives zlib the next piece of input once it has used up the last one;
 * avail_in is 32-bit, so at most 1 GiB at a time. */
static void gz_feed(z_stream *z, const unsigned char **in, size_t *left)
{
    if (z->avail_in > 0 || *left == 0)
        return;
    size_t n = *left > (1u << 30) ? (1u << 30) : *left;
    z->next_in = (unsigned char *)*in;
    z->avail_in = (uInt)n;
    *in += n;
    *left -= n;
}

bool kql_gunzip(const void *p, size_t len, kql_buf *out, const char **msg)
{
    z_stream z = {0};
    if (inflateInit2(&z, 15 + 16) != Z_OK) {   /* 15: largest window; +16: gzip wrapper */
        *msg = "cannot start gzip decompression";
        return false;
    }
    const unsigned char *in = p;
    size_t left = len;
    unsigned char chunk[1 << 16];
    for (;;) {
        gz_feed(&z, &in, &left);
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        int rc = inflate(&z, Z_NO_FLUSH);
        kql_buf_put(out, chunk, sizeof chunk - z.avail_out);
        if (rc == Z_STREAM_END) {
            /* another member may follow (bytes that are not one, such as
             * zero padding, end the data, as gzip -d does) */
            gz_feed(&z, &in, &left);
            if (!kql_is_gzip(z.next_in, z.avail_in + left))   /* the input is contiguous */
                break;
            inflateReset(&z);
        } else if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0) {
            *msg = "gzip data is cut short";
            inflateEnd(&z);
            return false;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            *msg = rc == Z_MEM_ERROR ? "out of memory decompressing gzip" : "corrupt gzip data";
            inflateEnd(&z);
            return false;
        }
    }
    inflateEnd(&z);
    return true;
}

/* Replaces the raw bytes in *in with their inflated form. */
static int in_inflate(const char *path, kql_input *in, kql_load_error *err)
{
    kql_buf plain;
    kql_buf_init(&plain);
    const char *msg = NULL;
    if (!kql_gunzip(in->data, in->len, &plain, &msg)) {
        snprintf(err->message, sizeof err->message, "%s: %s", path, msg);
        kql_buf_free(&plain);
        return -1;
    }
    kql_input_release(in);
    in->owned = plain;
    in->data = plain.data ? plain.data : "";
    in->len = plain.len;
    return 0;
}

int kql_input_read(const char *path, kql_input *in, kql_load_error *err)
{
    *in = (kql_input){.data = ""};
    kql_buf_init(&in->owned);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        in_io_error(err, path, errno);
        return -1;
    }
    struct stat st;
    int bad = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (bad) {
        in_io_error(err, path, bad);
        close(fd);
        return -1;
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED) {
            in_io_error(err, path, errno);
            return -1;
        }
        madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);   /* read once, front to back */
        in->map = m;
        in->map_len = (size_t)st.st_size;
        in->data = m;
        in->len = (size_t)st.st_size;
    } else {
        /* pipes, /dev/stdin and empty files: read what there is */
        char chunk[65536];
        ssize_t n;
        while ((n = read(fd, chunk, sizeof chunk)) > 0)
            kql_buf_put(&in->owned, chunk, (size_t)n);
        int read_errno = errno;
        close(fd);
        if (n < 0) {
            in_io_error(err, path, read_errno);
            return -1;
        }
        in->data = in->owned.data ? in->owned.data : "";
        in->len = in->owned.len;
    }
    return kql_is_gzip(in->data, in->len) ? in_inflate(path, in, err) : 0;
}

void kql_input_release(kql_input *in)
{
    if (in->map)
        munmap(in->map, in->map_len);
    kql_buf_free(&in->owned);
    *in = (kql_input){.data = ""};
}
