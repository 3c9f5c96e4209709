/*
 * bigint.c -- ints of any size: the slow paths of int arithmetic, on GMP.
 *
 * bigint.h explains the two forms (small int64, big mpz_t).  Everything
 * here accepts ints in either form and returns results in the right one.
 * The arithmetic itself is GMP's; what is ours is Python's meaning:
 * floor division and modulo round toward minus infinity (GMP's fdiv_*),
 * bitwise operators act on an infinite two's complement (GMP's and/ior/xor
 * already do), true division and int -> float conversion round correctly,
 * hashes are CPython's modulo 2**61 - 1.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bigint.h"
#include "runtime/interp.h"

/* ---- the two forms ----------------------------------------------------- */

static bool is_big(GsObject *o) { return ((GsInt *)o)->big != NULL; }

void gs_int_get_mpz(GsObject *o, mpz_t out)
{
    if (is_big(o))
        mpz_set(out, gs_big_mpz(o));
    else
        mpz_set_si(out, (long)gs_int_value(o));   /* long is 64-bit on our targets */
}

_Static_assert(sizeof(long) == sizeof(int64_t), "GMP's si functions must take int64");

GsObject *gs_int_take_mpz(GsThread *ts, mpz_t z)
{
    if (mpz_fits_slong_p(z)) {   /* demote: the small form is the only one for this value */
        int64_t v = mpz_get_si(z);
        mpz_clear(z);
        return gs_int_new(ts, v);
    }
    /* The mpz_t lives right after the GsInt; its digits stay where GMP
     * allocated them, so moving the struct moves the number. */
    GsInt *o = (GsInt *)gs_alloc(ts, &gs_int_type, sizeof(GsInt) + sizeof(__mpz_struct));
    if (!o) {
        mpz_clear(z);
        return NULL;
    }
    mpz_ptr dst = (mpz_ptr)(o + 1);
    *dst = *z;
    o->big = dst;
    o->value = mpz_sgn(z) < 0 ? INT64_MIN : INT64_MAX;   /* only gs_int_clamped reads it */
    return (GsObject *)o;
}

GsObject *gs_int_from_mpz(GsThread *ts, mpz_srcptr z)
{
    mpz_t copy;
    mpz_init_set(copy, z);
    return gs_int_take_mpz(ts, copy);
}

void gs_int_clear_big(GsObject *o)
{
    if (is_big(o)) {
        mpz_clear(gs_big_mpz(o));
        ((GsInt *)o)->big = NULL;
    }
}

/* Both operands as mpz_t (initialised here; the caller clears them). */
static void get_pair(GsObject *a, GsObject *b, mpz_t x, mpz_t y)
{
    mpz_init(x);
    mpz_init(y);
    gs_int_get_mpz(a, x);
    gs_int_get_mpz(b, y);
}

/* Bits of |o|: for a big int GMP's count, for a small one the word's. */
int64_t gs_int_bit_length(GsObject *o)
{
    if (is_big(o))
        return (int64_t)mpz_sizeinbase(gs_big_mpz(o), 2);
    int64_t v = gs_int_value(o);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    return u ? 64 - __builtin_clzll(u) : 0;
}

/* The one place a result's size is checked before GMP builds it. */
static GsObject *too_big(GsThread *ts)
{
    return gs_err_set(ts, &gs_exc_MemoryError,
                      "int result too large for gilscope (over 2**32 bits)");
}

/* ---- arithmetic -------------------------------------------------------- */

static GsObject *zero_division(GsThread *ts)
{
    return gs_err_set(ts, &gs_exc_ZeroDivisionError, "integer division or modulo by zero");
}

/* Correctly rounded x / y for y != 0, as CPython's long_true_divide: take
 * the quotient to 55 or 56 significant bits (or, for a result below
 * DBL_MIN, to the bits a subnormal keeps, plus two), remember whether the
 * division was exact, round that to 53 bits half-to-even by hand, and
 * scale.  Rounding once, with the discarded tail known exactly, is what
 * makes the result the double nearest the true quotient. */
static GsObject *true_divide(GsThread *ts, mpz_srcptr x, mpz_srcptr y)
{
    bool negative = (mpz_sgn(x) < 0) != (mpz_sgn(y) < 0);
    if (mpz_sgn(x) == 0)
        return gs_float_new(ts, negative ? -0.0 : 0.0);
    int64_t diff = (int64_t)mpz_sizeinbase(x, 2) - (int64_t)mpz_sizeinbase(y, 2);
    if (diff > DBL_MAX_EXP)
        return gs_err_set(ts, &gs_exc_OverflowError,
                          "integer division result too large for a float");
    if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1)   /* below half the smallest subnormal */
        return gs_float_new(ts, negative ? -0.0 : 0.0);
    int64_t shift = (diff > DBL_MIN_EXP ? diff : DBL_MIN_EXP) - DBL_MANT_DIG - 2;
    mpz_t n, d, q, r;
    mpz_inits(n, d, q, r, NULL);
    mpz_abs(n, x);
    mpz_abs(d, y);
    if (shift > 0)
        mpz_mul_2exp(d, d, (mp_bitcnt_t)shift);
    else
        mpz_mul_2exp(n, n, (mp_bitcnt_t)-shift);
    mpz_tdiv_qr(q, r, n, d);
    bool inexact = mpz_sgn(r) != 0;
    uint64_t m = mpz_get_ui(q);   /* below 2**56 by the choice of shift */
    int64_t qbits = (int64_t)mpz_sizeinbase(q, 2);
    mpz_clears(n, d, q, r, NULL);
    int64_t keep_from = DBL_MIN_EXP - shift;   /* bits a subnormal result keeps */
    int64_t extra = (qbits > keep_from ? qbits : keep_from) - DBL_MANT_DIG;
    uint64_t half = (uint64_t)1 << (extra - 1), unit = half << 1;
    uint64_t low = m & (unit - 1);
    m -= low;
    if (low > half || (low == half && (inexact || (m & unit))))
        m += unit;
    double result = ldexp((double)m, (int)shift);   /* m is exact in a double */
    if (isinf(result))
        return gs_err_set(ts, &gs_exc_OverflowError,
                          "integer division result too large for a float");
    return gs_float_new(ts, negative ? -result : result);
}

static GsObject *to_float_pow(GsThread *ts, GsObject *a, GsObject *b)
{
    /* A negative exponent gives a float, as float(a) ** float(b). */
    double x, y;
    if (gs_int_to_double(ts, a, &x) < 0 || gs_int_to_double(ts, b, &y) < 0)
        return NULL;
    if (x == 0.0)
        return gs_err_set(ts, &gs_exc_ZeroDivisionError,
                          "0.0 cannot be raised to a negative power");
    double r = pow(x, y);
    if (isinf(r))
        return gs_err_set(ts, &gs_exc_OverflowError, "(34, 'Numerical result out of range')");
    return gs_float_new(ts, r);
}

static GsObject *int_power(GsThread *ts, mpz_srcptr x, GsObject *b)
{
    /* 0, 1 and -1 give small results for any exponent; anything else
     * raised to an exponent that does not fit 64 bits is too big. */
    if (mpz_cmpabs_ui(x, 1) <= 0) {
        if (mpz_sgn(x) == 0)
            return gs_int_new(ts, gs_int_sign(b) == 0 ? 1 : 0);
        if (mpz_sgn(x) > 0)
            return gs_int_new(ts, 1);
        bool odd = is_big(b) ? mpz_odd_p(gs_big_mpz(b)) : (gs_int_value(b) & 1);
        return gs_int_new(ts, odd ? -1 : 1);
    }
    if (is_big(b))
        return too_big(ts);
    uint64_t e = (uint64_t)gs_int_value(b);
    uint64_t bits = (uint64_t)mpz_sizeinbase(x, 2) - 1;   /* |x| >= 2**bits */
    if (bits && e > GS_BIG_MAX_BITS / bits)
        return too_big(ts);
    mpz_t r;
    mpz_init(r);
    mpz_pow_ui(r, x, (unsigned long)e);
    return gs_int_take_mpz(ts, r);
}

static GsObject *shift_left(GsThread *ts, mpz_srcptr x, GsObject *b)
{
    if (mpz_sgn(x) == 0)
        return gs_int_new(ts, 0);
    if (is_big(b))
        return gs_err_set(ts, &gs_exc_OverflowError, "too many digits in integer");
    uint64_t n = (uint64_t)gs_int_value(b);
    if (n + mpz_sizeinbase(x, 2) > GS_BIG_MAX_BITS)
        return too_big(ts);
    mpz_t r;
    mpz_init(r);
    mpz_mul_2exp(r, x, (mp_bitcnt_t)n);
    return gs_int_take_mpz(ts, r);
}

static GsObject *shift_right(GsThread *ts, mpz_srcptr x, GsObject *b)
{
    /* Python's >> rounds toward minus infinity (-5 >> 1 == -3): fdiv. */
    if (is_big(b) || (uint64_t)gs_int_value(b) >= mpz_sizeinbase(x, 2))
        return gs_int_new(ts, mpz_sgn(x) < 0 ? -1 : 0);
    mpz_t r;
    mpz_init(r);
    mpz_fdiv_q_2exp(r, x, (mp_bitcnt_t)gs_int_value(b));
    return gs_int_take_mpz(ts, r);
}

GsObject *gs_int_binop(GsThread *ts, GsIntOp op, GsObject *a, GsObject *b)
{
    if (op == GS_INTOP_POW && gs_int_sign(b) < 0)
        return to_float_pow(ts, a, b);
    if ((op == GS_INTOP_LSHIFT || op == GS_INTOP_RSHIFT) && gs_int_sign(b) < 0)
        return gs_err_set(ts, &gs_exc_ValueError, "negative shift count");
    if ((op == GS_INTOP_FLOORDIV || op == GS_INTOP_MOD) && gs_int_sign(b) == 0)
        return zero_division(ts);
    if (op == GS_INTOP_TRUEDIV && gs_int_sign(b) == 0)
        return gs_err_set(ts, &gs_exc_ZeroDivisionError, "division by zero");
    if (op == GS_INTOP_MUL &&
        (uint64_t)(gs_int_bit_length(a) + gs_int_bit_length(b)) > GS_BIG_MAX_BITS)
        return too_big(ts);
    mpz_t x, y, r;
    get_pair(a, b, x, y);
    mpz_init(r);
    GsObject *result = NULL;
    switch (op) {
    case GS_INTOP_ADD: mpz_add(r, x, y); break;
    case GS_INTOP_SUB: mpz_sub(r, x, y); break;
    case GS_INTOP_MUL: mpz_mul(r, x, y); break;
    case GS_INTOP_FLOORDIV: mpz_fdiv_q(r, x, y); break;
    case GS_INTOP_MOD: mpz_fdiv_r(r, x, y); break;   /* the remainder has y's sign */
    case GS_INTOP_AND: mpz_and(r, x, y); break;
    case GS_INTOP_OR: mpz_ior(r, x, y); break;
    case GS_INTOP_XOR: mpz_xor(r, x, y); break;
    case GS_INTOP_TRUEDIV: result = true_divide(ts, x, y); goto done;
    case GS_INTOP_POW: result = int_power(ts, x, b); goto done;
    case GS_INTOP_LSHIFT: result = shift_left(ts, x, b); goto done;
    case GS_INTOP_RSHIFT: result = shift_right(ts, x, b); goto done;
    }
    mpz_clears(x, y, NULL);
    return gs_int_take_mpz(ts, r);
done:
    mpz_clears(x, y, r, NULL);
    return result;
}

/* A unary operation through GMP: f(r, x). */
static GsObject *unary(GsThread *ts, GsObject *a, void (*f)(mpz_ptr, mpz_srcptr))
{
    mpz_t x;
    mpz_init(x);
    gs_int_get_mpz(a, x);
    f(x, x);
    return gs_int_take_mpz(ts, x);
}

GsObject *gs_int_negate(GsThread *ts, GsObject *a) { return unary(ts, a, mpz_neg); }
GsObject *gs_int_invert(GsThread *ts, GsObject *a) { return unary(ts, a, mpz_com); }
GsObject *gs_int_abs(GsThread *ts, GsObject *a) { return unary(ts, a, mpz_abs); }

GsObject *gs_int_divmod(GsThread *ts, GsObject *a, GsObject *b)
{
    if (gs_int_sign(b) == 0)
        return zero_division(ts);
    mpz_t x, y, q, r;
    get_pair(a, b, x, y);
    mpz_inits(q, r, NULL);
    mpz_fdiv_qr(q, r, x, y);
    mpz_clears(x, y, NULL);
    GsObject *qo = gs_int_take_mpz(ts, q), *ro = gs_int_take_mpz(ts, r);
    GsObject *t = qo && ro ? gs_tuple_pack(ts, 2, qo, ro) : NULL;
    gs_xdecref(ts, qo);
    gs_xdecref(ts, ro);
    return t;
}

/* pow(a, b, m): the result takes m's sign (as %), a negative b needs a
 * modular inverse of a (Python 3.8+). */
GsObject *gs_int_powmod(GsThread *ts, GsObject *a, GsObject *b, GsObject *m)
{
    if (gs_int_sign(m) == 0)
        return gs_err_set(ts, &gs_exc_ValueError, "pow() 3rd argument cannot be 0");
    mpz_t x, e, mod, absmod, r;
    mpz_inits(x, e, mod, absmod, r, NULL);
    gs_int_get_mpz(a, x);
    gs_int_get_mpz(b, e);
    gs_int_get_mpz(m, mod);
    mpz_abs(absmod, mod);
    GsObject *result = NULL;
    if (mpz_sgn(e) < 0) {
        if (!mpz_invert(x, x, absmod)) {   /* false when gcd(x, m) != 1 (or |m| == 1) */
            if (mpz_cmp_ui(absmod, 1) != 0) {
                gs_err_set(ts, &gs_exc_ValueError,
                           "base is not invertible for the given modulus");
                goto out;
            }
            mpz_set_ui(x, 0);
        }
        mpz_neg(e, e);
    }
    mpz_powm(r, x, e, absmod);   /* in [0, |m|) */
    if (mpz_sgn(mod) < 0 && mpz_sgn(r) != 0)
        mpz_add(r, r, mod);      /* into (m, 0]: the sign of m, as % gives */
    result = gs_int_from_mpz(ts, r);
out:
    mpz_clears(x, e, mod, absmod, r, NULL);
    return result;
}

/* ---- comparison and hashing -------------------------------------------- */

int gs_int_sign(GsObject *o)
{
    if (is_big(o))
        return mpz_sgn(gs_big_mpz(o));
    int64_t v = gs_int_value(o);
    return (v > 0) - (v < 0);
}

int gs_int_compare(GsObject *a, GsObject *b)
{
    if (!is_big(a) && !is_big(b)) {
        int64_t x = gs_int_value(a), y = gs_int_value(b);
        return (x > y) - (x < y);
    }
    /* A big int is beyond every small one, on the side of its sign. */
    if (!is_big(b))
        return mpz_sgn(gs_big_mpz(a));
    if (!is_big(a))
        return -mpz_sgn(gs_big_mpz(b));
    int c = mpz_cmp(gs_big_mpz(a), gs_big_mpz(b));
    return (c > 0) - (c < 0);
}

int gs_int_cmp_double(GsObject *a, double d)
{
    if (!is_big(a))
        return gs_int_double_cmp(gs_int_value(a), d);
    if (isinf(d))
        return d > 0 ? -1 : 1;
    int c = mpz_cmp_d(gs_big_mpz(a), d);   /* exact: GMP does not round */
    return (c > 0) - (c < 0);
}

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)   /* a Mersenne prime */

int64_t gs_int_hash(GsObject *o)
{
    int64_t h;
    if (!is_big(o)) {
        int64_t v = gs_int_value(o);
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        h = (int64_t)(u % HASH_MODULUS);
        h = v < 0 ? -h : h;
    } else {
        mpz_srcptr z = gs_big_mpz(o);
        mpz_t r;
        mpz_init(r);
        mpz_abs(r, z);
        h = (int64_t)mpz_fdiv_ui(r, HASH_MODULUS);
        mpz_clear(r);
        h = mpz_sgn(z) < 0 ? -h : h;
    }
    return h == -1 ? -2 : h;   /* -1 is reserved for errors */
}

/* ---- conversions ------------------------------------------------------- */

static int too_large_for_float(GsThread *ts)
{
    gs_err_set(ts, &gs_exc_OverflowError, "int too large to convert to float");
    return -1;
}

/* float(i), rounded half to even like CPython's PyLong_AsDouble: the top
 * 55 bits with a sticky bit for anything below them convert exactly to a
 * uint64, and the conversion of that to double rounds once, correctly. */
int gs_int_to_double(GsThread *ts, GsObject *o, double *out)
{
    if (!is_big(o)) {
        *out = (double)gs_int_value(o);   /* the C conversion rounds to nearest even */
        return 0;
    }
    mpz_srcptr z = gs_big_mpz(o);
    int64_t bits = (int64_t)mpz_sizeinbase(z, 2);
    if (bits > DBL_MAX_EXP)
        return too_large_for_float(ts);
    int64_t shift = bits - (DBL_MANT_DIG + 2);
    mpz_t top;
    mpz_init(top);
    mpz_abs(top, z);
    bool sticky = shift > 0 && mpz_scan1(top, 0) < (mp_bitcnt_t)shift;
    if (shift > 0)
        mpz_tdiv_q_2exp(top, top, (mp_bitcnt_t)shift);
    uint64_t m = mpz_get_ui(top) | (sticky ? 1 : 0);
    mpz_clear(top);
    double d = ldexp((double)m, shift > 0 ? (int)shift : 0);
    if (isinf(d))
        return too_large_for_float(ts);
    *out = mpz_sgn(z) < 0 ? -d : d;
    return 0;
}

int gs_int_to_int64(GsThread *ts, GsObject *o, int64_t *out, const char *msg)
{
    if (is_big(o)) {
        gs_err_set(ts, &gs_exc_OverflowError, "%s",
                   msg ? msg : "Python int too large to convert to C long");
        return -1;
    }
    *out = gs_int_value(o);
    return 0;
}

int64_t gs_int_clamped(GsObject *o)
{
    return gs_int_value(o);   /* a big int's value field holds its clamp */
}

int gs_int_as_index(GsThread *ts, GsObject *o, int64_t *out, GsType *exc)
{
    if (is_big(o)) {
        gs_err_set(ts, exc ? exc : &gs_exc_OverflowError,
                   "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    *out = gs_int_value(o);
    return 0;
}

char *gs_int_digits(GsObject *o, int base, size_t *len)
{
    mpz_t x;
    mpz_init(x);
    gs_int_get_mpz(o, x);
    mpz_abs(x, x);
    char *s = mpz_get_str(NULL, base, x);   /* malloc'd by GMP's default allocator */
    mpz_clear(x);
    *len = strlen(s);
    return s;
}

static GsObject *digit_limit_error(GsThread *ts, int64_t limit, int64_t ndigits)
{
    if (ndigits < 0)
        return gs_err_set(ts, &gs_exc_ValueError,
                          "Exceeds the limit (%lld) for integer string conversion; use "
                          "sys.set_int_max_str_digits() to increase the limit",
                          (long long)limit);
    return gs_err_set(ts, &gs_exc_ValueError,
                      "Exceeds the limit (%lld) for integer string conversion: value has "
                      "%lld digits; use sys.set_int_max_str_digits() to increase the limit",
                      (long long)limit, (long long)ndigits);
}

GsObject *gs_int_to_decimal(GsThread *ts, GsObject *o)
{
    int64_t limit = ts->interp->int_max_str_digits;
    /* Refuse before converting: log10(2) < 0.30103, so a number of b bits
     * has at least (b - 1) * 0.30103 + 1 digits. */
    if (limit > 0 && (double)(gs_int_bit_length(o) - 1) * 0.30102 + 1 > (double)limit)
        return digit_limit_error(ts, limit, -1);
    size_t n;
    char *digits = gs_int_digits(o, 10, &n);
    GsObject *r = NULL;
    if (limit > 0 && n > (size_t)limit) {
        digit_limit_error(ts, limit, -1);
    } else {
        GsBuf b;
        gs_buf_init(&b);
        if (gs_int_sign(o) < 0)
            gs_buf_putc(&b, '-');
        gs_buf_put(&b, digits, n);
        r = gs_buf_finish(ts, &b);
    }
    free(digits);
    return r;
}

GsObject *gs_int_from_digits(GsThread *ts, const char *digits, size_t n, int base, bool neg)
{
    int64_t limit = ts->interp->int_max_str_digits;
    if (limit > 0 && (base & (base - 1)) != 0 && n > (size_t)limit)
        return digit_limit_error(ts, limit, (int64_t)n);
    char *copy = malloc(n + 1);
    if (!copy)
        return gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    memcpy(copy, digits, n);
    copy[n] = '\0';
    mpz_t z;
    int rc = mpz_init_set_str(z, copy, base);
    free(copy);
    if (rc != 0) {   /* the callers pass valid digits only */
        mpz_clear(z);
        return gs_err_set(ts, &gs_exc_SystemError, "bad digits for int()");
    }
    if (neg)
        mpz_neg(z, z);
    return gs_int_take_mpz(ts, z);
}

int64_t gs_int_sizeof(GsObject *o)
{
    int64_t bits = gs_int_bit_length(o);
    return 24 + 4 * ((bits + 29) / 30);
}

/* ---- bytes --------------------------------------------------------------- */

GsObject *gs_int_to_bytes(GsThread *ts, GsObject *o, int64_t length, bool little,
                          bool is_signed)
{
    if (length < 0)
        return gs_err_set(ts, &gs_exc_ValueError, "length argument must be non-negative");
    if (!is_signed && gs_int_sign(o) < 0)
        return gs_err_set(ts, &gs_exc_OverflowError, "can't convert negative int to unsigned");
    mpz_t x;
    mpz_init(x);
    gs_int_get_mpz(o, x);
    /* Two's complement in length bytes: a negative x is x + 256**length. */
    bool fits;
    if (mpz_sgn(x) < 0) {
        mpz_t wrap;
        mpz_init_set_ui(wrap, 1);
        mpz_mul_2exp(wrap, wrap, (mp_bitcnt_t)length * 8);
        mpz_add(x, x, wrap);
        /* fits iff x >= -2**(8*length-1), i.e. the wrapped value keeps its top bit */
        fits = length > 0 && mpz_sgn(x) >= 0 &&
               mpz_tstbit(x, (mp_bitcnt_t)length * 8 - 1);
        mpz_clear(wrap);
    } else {
        size_t bits = mpz_sgn(x) == 0 ? 0 : mpz_sizeinbase(x, 2);
        fits = (int64_t)bits <= length * 8 - (is_signed ? 1 : 0) || bits == 0;
    }
    if (!fits) {
        mpz_clear(x);
        return gs_err_set(ts, &gs_exc_OverflowError, "int too big to convert");
    }
    GsObject *r = gs_bytes_new(ts, NULL, (size_t)length);
    if (r) {
        unsigned char *p = (unsigned char *)((GsBytes *)r)->data;
        size_t count = 0;
        memset(p, 0, (size_t)length);
        if (mpz_sgn(x) != 0)
            mpz_export(p + (size_t)length - (mpz_sizeinbase(x, 2) + 7) / 8, &count, 1, 1, 1, 0, x);
        if (little)
            for (int64_t i = 0; i < length / 2; i++) {
                unsigned char t = p[i];
                p[i] = p[length - 1 - i];
                p[length - 1 - i] = t;
            }
    }
    mpz_clear(x);
    return r;
}

GsObject *gs_int_from_bytes(GsThread *ts, const unsigned char *p, size_t n, bool little,
                            bool is_signed)
{
    mpz_t x;
    mpz_init(x);
    if (n)
        mpz_import(x, n, little ? -1 : 1, 1, 1, 0, p);
    if (is_signed && n && (p[little ? n - 1 : 0] & 0x80)) {
        mpz_t wrap;   /* the top bit set: the value is x - 256**n */
        mpz_init_set_ui(wrap, 1);
        mpz_mul_2exp(wrap, wrap, (mp_bitcnt_t)n * 8);
        mpz_sub(x, x, wrap);
        mpz_clear(wrap);
    }
    return gs_int_take_mpz(ts, x);
}
