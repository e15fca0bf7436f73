/* dynamic.h - KQL dynamic values in a compact binary encoding.
 *
 * A dynamic cell is a run of bytes in a column's arena, not a tree of
 * mallocs. The encoding is self-delimiting; multi-byte numbers are
 * little-endian and unaligned (read them with memcpy):
 *
 *   tag 0 NULL                      tag 1 FALSE            tag 2 TRUE
 *   tag 3 LONG      int64
 *   tag 4 REAL      double
 *   tag 5 STRING    u32 len, bytes (UTF-8)
 *   tag 6 ARRAY     u32 count, u32 size, count encoded elements (size bytes)
 *   tag 7 OBJECT    u32 count, u32 size, count x (u32 keylen, key bytes, encoded value)
 *   tag 8 DATETIME  int64 ticks     tag 9 TIMESPAN int64 ticks     tag 10 GUID 16 bytes
 *
 * Object keys keep insertion order (as Kusto prints them). "size" lets a
 * reader skip a whole array or object without walking it.
 */
#ifndef KQL_DYNAMIC_H
#define KQL_DYNAMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "value.h"

typedef enum kql_dyn_tag {
    KQL_DYN_NULL = 0, KQL_DYN_FALSE, KQL_DYN_TRUE, KQL_DYN_LONG, KQL_DYN_REAL,
    KQL_DYN_STRING, KQL_DYN_ARRAY, KQL_DYN_OBJECT, KQL_DYN_DATETIME, KQL_DYN_TIMESPAN,
    KQL_DYN_GUID
} kql_dyn_tag;

/* A pointer to one encoded value (a cell, an element or a property value). */
typedef const uint8_t *kql_dyn;

kql_dyn_tag kql_dyn_tag_of(kql_dyn d);
size_t kql_dyn_size(kql_dyn d);                     /* bytes of the whole encoded value */

/* --- reading --- */
int64_t kql_dyn_long(kql_dyn d);                    /* LONG, DATETIME, TIMESPAN payload */
double kql_dyn_real(kql_dyn d);
kql_str kql_dyn_string(kql_dyn d);                  /* STRING payload */
uint32_t kql_dyn_count(kql_dyn d);                  /* elements or properties; 0 for scalars */
kql_dyn kql_dyn_first(kql_dyn d);                   /* first element of ARRAY (NULL if empty) */
kql_dyn kql_dyn_next(kql_dyn elem);                 /* the value after elem (caller counts) */
kql_dyn kql_dyn_index(kql_dyn d, int64_t i);        /* array element; negative from the end; NULL if none */
kql_dyn kql_dyn_get(kql_dyn d, const char *key, size_t keylen);  /* object property or NULL */

/* Iterating an object: p = kql_dyn_prop_first(d); for k < count:
 *   kql_dyn_prop(p, &key, &value); p = kql_dyn_prop_next(p); */
const uint8_t *kql_dyn_prop_first(kql_dyn d);
void kql_dyn_prop(const uint8_t *p, kql_str *key, kql_dyn *value);
const uint8_t *kql_dyn_prop_next(const uint8_t *p);

/* A dynamic value as a kql_value of type dynamic (pointing at d); an encoded
 * null gives is_null = true. */
kql_value kql_dyn_value(kql_dyn d);
/* The scalar inside a dynamic, as a typed value (LONG -> long, STRING ->
 * string, ...); arrays, objects and null give a null of type dynamic. */
kql_value kql_dyn_to_scalar(kql_dyn d);

/* --- writing (appends an encoding to out) --- */
void kql_dyn_put_null(kql_buf *out);
void kql_dyn_put_bool(kql_buf *out, bool b);
void kql_dyn_put_long(kql_buf *out, int64_t i);
void kql_dyn_put_real(kql_buf *out, double r);
void kql_dyn_put_string(kql_buf *out, const char *p, size_t len);
void kql_dyn_put_datetime(kql_buf *out, int64_t ticks);
void kql_dyn_put_timespan(kql_buf *out, int64_t ticks);
void kql_dyn_put_guid(kql_buf *out, const kql_guid *g);
void kql_dyn_put_raw(kql_buf *out, kql_dyn d);     /* copies an encoded value */
void kql_dyn_put_value(kql_buf *out, const kql_value *v);  /* any scalar kql_value; null -> NULL */
/* Arrays and objects: begin returns a mark; add elements (objects: a key with
 * kql_dyn_put_key, then a value); end patches count and size. */
size_t kql_dyn_begin_array(kql_buf *out);
size_t kql_dyn_begin_object(kql_buf *out);
void kql_dyn_put_key(kql_buf *out, const char *key, size_t len);
void kql_dyn_end(kql_buf *out, size_t mark, uint32_t count);

/* Deepest nesting of arrays and objects the parsers below accept (they
 * recurse; deeper text is refused as malformed, never a stack overflow). */
#define KQL_DYN_MAX_DEPTH 512
/* Whether text nests arrays and objects deeper than KQL_DYN_MAX_DEPTH
 * (brackets inside quoted strings do not count): tells that refusal apart. */
bool kql_dyn_too_deep(const char *text, size_t len);

/* JSON text -> encoding. Returns false on malformed JSON with *err_offset set
 * to the byte where it went wrong. Integers that fit int64 become LONG, other
 * numbers REAL. Strings are not turned into datetimes (as Kusto's parse_json). */
bool kql_dyn_from_json(const char *text, size_t len, kql_buf *out, size_t *err_offset);
/* KQL dynamic literal text (the inside of dynamic(...)): JSON plus single-quoted
 * strings and KQL literals like datetime(...), timespan(...), 1d. */
bool kql_dyn_from_literal(const char *text, size_t len, kql_buf *out, size_t *err_offset);
/* encoding -> compact JSON text (no spaces, keys in insertion order;
 * datetimes as "2026-11-20T10:15:30.0000000Z", timespans as "01:00:00").
 * Reals as kql_real_format, but a whole real keeps ".0" ([5.0], as Kusto
 * prints reals inside dynamic) and NaN/Infinity are quoted strings. */
void kql_dyn_to_json(kql_dyn d, kql_buf *out);
/* s[0..n) as a quoted JSON string, escaped as kql_dyn_to_json escapes its
 * strings (control characters as \n, \t, ... or \u00XX). */
void kql_json_string(const char *s, size_t n, kql_buf *out);

/* Structural equality (numbers compare by value: 1 == 1.0) and a hash
 * consistent with it, for dcount, make_set and group keys. */
bool kql_dyn_equal(kql_dyn a, kql_dyn b);
uint64_t kql_dyn_hash(kql_dyn d);
/* A total order consistent with kql_dyn_equal, for sorting dynamic cells:
 * by kind (null, false, true, numbers, string, array, object, datetime,
 * timespan, guid), then by value; arrays element by element. */
int kql_dyn_compare(kql_dyn a, kql_dyn b);

#endif
