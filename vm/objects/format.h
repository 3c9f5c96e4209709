/*
 * format.h -- number and string formatting exactly as CPython prints it:
 * float repr (the shortest string that reads back as the same double),
 * and the format-spec mini-language of format(), str.format and f-strings
 * ("{x:.3f}", "{n:>8}", "{v:,}").  Pure functions over GsBuf; no objects.
 */
#ifndef GS_FORMAT_H
#define GS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"   /* GsBuf */

/* repr(float): "0.1", "0.30000000000000004", "1e+16", "1e-05", "100.0",
 * "-0.0", "inf", "-inf", "nan".  Appends to out. */
void gs_format_float_repr(GsBuf *out, double v);

/* Widths and float precisions above this (256 Mi) are refused rather than
 * built (by format() here and by str % in str.c): the output would need
 * that many bytes, and GsBuf abort()s when memory runs out.  CPython would
 * try the allocation and raise MemoryError if it failed; a guest program
 * asking for that much text is almost certainly a typo, and must not bring
 * the whole tool down. */
#define GS_FORMAT_MAX_LEN ((int64_t)1 << 28)

/* A parsed format spec: [[fill]align][sign][#][0][width][,|_][.precision][type] */
typedef struct {
    char fill[8];        /* UTF-8 of one code point; " " by default */
    char align;          /* '<', '>', '^', '=' or 0 (default for the type) */
    char sign;           /* '+', '-', ' ' or 0 */
    bool alternate;      /* '#' */
    bool zero_pad;       /* '0' before width */
    int64_t width;       /* -1: none */
    char grouping;       /* ',', '_' or 0 */
    int64_t precision;   /* -1: none */
    char type;           /* 'd', 'f', 's', ... or 0 */
} GsFormatSpec;

/* Parse spec (n bytes).  On error returns -1 and writes CPython's message
 * (e.g. "Invalid format specifier") into err. */
int gs_format_spec_parse(const char *spec, size_t n, GsFormatSpec *out, char *err,
                         size_t errlen);

/* Apply a spec.  Return -1 and write CPython's message into err on a bad
 * combination, e.g. "Unknown format code 'd' for object of type 'float'". */
int gs_format_int(GsBuf *out, int64_t v, const GsFormatSpec *spec, char *err,
                  size_t errlen);
/* An int given as the digits of its magnitude, in the base the spec's
 * type asks for (gs_format_int_base: 2, 8, 10 or 16; lower case): how big
 * ints (objects/bigint.h) are formatted with b d n o x X or no type. */
int gs_format_int_base(char type);
int gs_format_int_digits(GsBuf *out, bool negative, const char *digits, size_t n,
                         const GsFormatSpec *spec, char *err, size_t errlen);
int gs_format_float(GsBuf *out, double v, const GsFormatSpec *spec, char *err,
                    size_t errlen);
int gs_format_str(GsBuf *out, const char *utf8, size_t nbytes, const GsFormatSpec *spec,
                  char *err, size_t errlen);

#endif
