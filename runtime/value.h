/* value.h - KQL scalar types and one value of them.
 *
 * A kql_value is a small struct passed by value through expression
 * evaluation and function calls. It never owns memory: string and dynamic
 * values point at bytes that live in a column's arena (or a literal's).
 *
 * Representations:
 *   bool               u.b
 *   int, long          u.i   (int keeps 32-bit range; arithmetic promotes to long)
 *   real, decimal      u.r   (decimal is held as a double)
 *   datetime           u.i   ticks of 100 ns since 0001-01-01T00:00:00Z (as .NET/Kusto)
 *   timespan           u.i   ticks of 100 ns
 *   string             u.s   UTF-8 bytes, not NUL-terminated
 *   dynamic            u.s   bytes of the compact encoding of dynamic.h
 *   guid               u.g   16 bytes in textual order
 * Every type has null (is_null); Kusto's empty string is not null, but
 * strings are never null in KQL: a null string value is stored as "".
 */
#ifndef KQL_VALUE_H
#define KQL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum kql_type {
    KQL_TYPE_UNKNOWN = 0,
    KQL_BOOL, KQL_INT, KQL_LONG, KQL_REAL, KQL_DECIMAL, KQL_STRING,
    KQL_DATETIME, KQL_TIMESPAN, KQL_GUID, KQL_DYNAMIC,
    KQL_TYPE_COUNT
} kql_type;

typedef struct kql_str { const char *ptr; uint32_t len; } kql_str;
typedef struct kql_guid { uint8_t b[16]; } kql_guid;

typedef struct kql_value {
    kql_type type;
    bool is_null;
    union { bool b; int64_t i; double r; kql_str s; kql_guid g; } u;
} kql_value;

#define KQL_TICKS_PER_SECOND 10000000LL
#define KQL_TICKS_PER_DAY (86400LL * KQL_TICKS_PER_SECOND)
/* ticks at 9999-12-31T23:59:59.9999999Z, the last datetime */
#define KQL_MAX_DATETIME_TICKS 3155378975999999999LL
/* ticks at 1970-01-01T00:00:00Z */
#define KQL_UNIX_EPOCH_TICKS 621355968000000000LL

const char *kql_type_name(kql_type t);            /* "long", "string", ... */
kql_type kql_type_from_name(const char *name);    /* also "double", "boolean", "date", "time"; UNKNOWN if none */
bool kql_type_is_numeric(kql_type t);              /* int, long, real, decimal */

kql_value kql_null(kql_type t);
kql_value kql_bool(bool b);
kql_value kql_long(int64_t i);
kql_value kql_int(int32_t i);
kql_value kql_real(double r);
kql_value kql_string(const char *p, size_t len);  /* points at p, no copy */
kql_value kql_datetime(int64_t ticks);
kql_value kql_timespan(int64_t ticks);

/* datetime text <-> ticks. Parses ISO 8601 and Kusto's spellings: "2026-11-20",
 * "2026-11-20 10:15", "2026-11-20T10:15:30.1234567Z", "+02:00" offsets,
 * RFC 1123 "Fri, 20 Nov 2026 10:15:30 GMT". Returns false when not a datetime. */
bool kql_datetime_parse(const char *s, size_t len, int64_t *ticks);
/* "2026-11-20T10:15:30.1234567Z" (always 7 fraction digits); buf >= 40 bytes */
size_t kql_datetime_format(int64_t ticks, char *buf);
/* "[-][d.]hh:mm:ss[.fffffff]" or "7d", "1.5h", "30m", "10s", "100ms", "2days";
 * returns false when not a timespan */
bool kql_timespan_parse(const char *s, size_t len, int64_t *ticks);
/* "[-][d.]hh:mm:ss[.fffffff]" with the fraction only when non-zero; buf >= 40 */
size_t kql_timespan_format(int64_t ticks, char *buf);

/* Calendar (proleptic Gregorian, days since 0001-01-01): */
int64_t kql_days_from_civil(int64_t y, int m, int d);
void kql_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
int kql_days_in_month(int64_t y, int m);   /* m in 1..12 */
/* floor division that never traps (b > 0) */
int64_t kql_floor_div(int64_t a, int64_t b);
/* shortest text that reads back as the same double; whole numbers without a
 * fraction ("100"), "NaN", "Infinity", "-Infinity"; buf >= 32 */
size_t kql_real_format(double r, char *buf);
/* decimal text of a long, like "%lld" but faster; buf >= 21 */
size_t kql_long_format(int64_t i, char *buf);
bool kql_guid_parse(const char *s, size_t len, kql_guid *g);
size_t kql_guid_format(const kql_guid *g, char *buf);   /* lowercase 8-4-4-4-12; buf >= 37 */

/* Fast non-cryptographic hashes (MurmurHash64A-style) shared by column.c
 * and dynamic.c, so a string hashes the same as a cell and inside a dynamic. */
uint64_t kql_hash_bytes(const void *p, size_t n);
uint64_t kql_hash_u64(uint64_t x);

/* Text of a value as tostring() gives it (dynamic: compact JSON, a dynamic
 * string: its bytes without quotes; null: ""). Appends to out. */
struct kql_buf;
void kql_value_to_text(const kql_value *v, struct kql_buf *out);

#endif
