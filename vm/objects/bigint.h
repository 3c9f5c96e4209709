/*
 * bigint.h -- ints beyond 64 bits, on GNU GMP.
 *
 * A Python int has one of two forms, and every value has exactly one:
 *
 *   small   |value| fits in int64_t: GsInt.value holds it, GsInt.big is
 *           NULL.  This is the form the eval loop's fast paths work on.
 *   big     it does not fit: GsInt.big points at a GMP integer (an mpz_t
 *           stored right after the GsInt, in the same allocation).
 *
 * Arithmetic on small ints that overflows int64 is redone here with GMP
 * ("promotion"), and every result that fits int64 again is handed back in
 * the small form ("demotion", gs_int_take_mpz).  Because the form follows
 * from the value, two equal ints have the same form: equality, hashing and
 * dict lookup never need to compare a small int with a big one.
 *
 * GMP aborts the process when it cannot get memory.  So that a guest
 * program asking for a giant number (2 ** 10**12) gets an error rather than
 * bringing the tool down, results above GS_BIG_MAX_BITS raise MemoryError
 * before GMP is asked to build them (CPython would try, and eventually
 * raise MemoryError itself).
 */
#ifndef GS_BIGINT_H
#define GS_BIGINT_H

#include <gmp.h>

#include "object.h"

/* 2**32 bits = 512 MiB of digits: beyond this, MemoryError. */
#define GS_BIG_MAX_BITS ((uint64_t)1 << 32)

/* The binary operators on ints, in the order ops.c indexes them. */
typedef enum {
    GS_INTOP_ADD, GS_INTOP_SUB, GS_INTOP_MUL, GS_INTOP_TRUEDIV, GS_INTOP_FLOORDIV,
    GS_INTOP_MOD, GS_INTOP_POW, GS_INTOP_LSHIFT, GS_INTOP_RSHIFT, GS_INTOP_AND,
    GS_INTOP_OR, GS_INTOP_XOR,
} GsIntOp;

/* The GMP value of a big int (borrowed; o must be big). */
static inline mpz_ptr gs_big_mpz(GsObject *o) { return (mpz_ptr)((GsInt *)o)->big; }

/* out (already mpz_init'ed) = the value of int o, in either form. */
void gs_int_get_mpz(GsObject *o, mpz_t out);
/* A new int with z's value, small if it fits.  Takes z: the caller must
 * not use or clear it afterwards.  NULL (MemoryError) only if allocating
 * the object fails, and then z has been cleared. */
GsObject *gs_int_take_mpz(GsThread *ts, mpz_t z);
/* A new int with z's value (z is left to the caller). */
GsObject *gs_int_from_mpz(GsThread *ts, mpz_srcptr z);

/* a <op> b for two ints in any form, as CPython computes it; a new
 * reference, or NULL with CPython's exception. */
GsObject *gs_int_binop(GsThread *ts, GsIntOp op, GsObject *a, GsObject *b);
GsObject *gs_int_negate(GsThread *ts, GsObject *a);
GsObject *gs_int_invert(GsThread *ts, GsObject *a);
GsObject *gs_int_abs(GsThread *ts, GsObject *a);
/* divmod(a, b) as a tuple; pow(a, b, m) with a modulus. */
GsObject *gs_int_divmod(GsThread *ts, GsObject *a, GsObject *b);
GsObject *gs_int_powmod(GsThread *ts, GsObject *a, GsObject *b, GsObject *m);

/* -1, 0, 1 */
int gs_int_compare(GsObject *a, GsObject *b);
int gs_int_sign(GsObject *o);
/* The int against a double, exactly; d must not be NaN. */
int gs_int_cmp_double(GsObject *a, double d);
/* CPython's hash: the value modulo 2**61 - 1, keeping the sign (-1 -> -2). */
int64_t gs_int_hash(GsObject *o);

/* float(o), correctly rounded; OverflowError "int too large to convert to
 * float".  0 / -1. */
int gs_int_to_double(GsThread *ts, GsObject *o, double *out);
/* o as an int64; when it is big, OverflowError with msg (NULL: CPython's
 * "Python int too large to convert to C long").  0 / -1. */
int gs_int_to_int64(GsThread *ts, GsObject *o, int64_t *out, const char *msg);
/* o as an index-sized integer; a big o is clamped to INT64_MIN/INT64_MAX
 * (slice bounds: CPython clamps them the same way). */
int64_t gs_int_clamped(GsObject *o);
/* OverflowError "cannot fit 'int' into an index-sized integer" when o is
 * big (exc: the class to raise, NULL for OverflowError).  0 / -1. */
int gs_int_as_index(GsThread *ts, GsObject *o, int64_t *out, GsType *exc);

/* Digits of |o| in base 2..36 (lower case), malloc'd, NUL-terminated. */
char *gs_int_digits(GsObject *o, int base, size_t *len);
/* str(o), honouring sys.set_int_max_str_digits(); NULL with ValueError. */
GsObject *gs_int_to_decimal(GsThread *ts, GsObject *o);
/* The int that `digits` (only valid digits of base, no sign, no '_')
 * spell, negated if neg; ValueError past the digit limit (bases that are
 * not powers of two).  A new reference or NULL. */
GsObject *gs_int_from_digits(GsThread *ts, const char *digits, size_t n, int base, bool neg);
/* The default limit of sys.set_int_max_str_digits, and its floor. */
#define GS_INT_MAX_STR_DIGITS 4300
#define GS_INT_STR_DIGITS_THRESHOLD 640

/* int.bit_length(); sys.getsizeof(int) as CPython 3.9 counts it on 64-bit
 * Linux: 24 bytes + 4 per 30-bit digit (zero has no digits). */
int64_t gs_int_bit_length(GsObject *o);
int64_t gs_int_sizeof(GsObject *o);

/* int.to_bytes / int.from_bytes. */
GsObject *gs_int_to_bytes(GsThread *ts, GsObject *o, int64_t length, bool little,
                          bool is_signed);
GsObject *gs_int_from_bytes(GsThread *ts, const unsigned char *p, size_t n, bool little,
                            bool is_signed);

/* int.from_bytes, the class method (self: the int type). */
GsObject *gs_int_from_bytes_cfunc(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames);

/* Called by the int type's dealloc: frees the GMP digits of a big int. */
void gs_int_clear_big(GsObject *o);

#endif
