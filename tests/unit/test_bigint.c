/*
 * test_bigint.c -- vm/objects/bigint.c: the two forms of an int (small
 * int64, big GMP) and the rule that makes equality and hashing simple:
 * every value has exactly one form, so a result that fits int64 is small
 * however it was computed.  Also the conversions at the edges (float,
 * int64, index) and CPython's hash and getsizeof of ints.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "objects/bigint.h"
#include "runtime/interp.h"
#include "tap.h"

static GsThread thread;
static GsThread *ts = &thread;

/* An int from decimal digits (any size). */
static GsObject *dec(const char *s)
{
    bool neg = s[0] == '-';
    return gs_int_from_digits(ts, s + neg, strlen(s + neg), 10, neg);
}

static const char *text(GsObject *o)
{
    static char buf[256];
    GsObject *s = o ? gs_repr(ts, o) : NULL;
    snprintf(buf, sizeof buf, "%s", s ? gs_str_cstr(s) : "<error>");
    gs_xdecref(ts, s);
    gs_err_clear(ts);
    return buf;
}

static GsObject *op(GsIntOp k, GsObject *a, GsObject *b)
{
    GsObject *r = gs_int_binop(ts, k, a, b);
    gs_decref(ts, a);
    gs_decref(ts, b);
    return r;
}

static void test_forms(void)
{
    GsObject *max = gs_int_new(ts, INT64_MAX);
    TAP_OK(!gs_int_is_big(max), "INT64_MAX is small");
    GsObject *past = op(GS_INTOP_ADD, gs_newref(ts, max), gs_int_new(ts, 1));
    TAP_OK(past && gs_int_is_big(past), "INT64_MAX + 1 is promoted to the big form");
    TAP_STR_EQ(text(past), "9223372036854775808", "its value");
    GsObject *back = op(GS_INTOP_SUB, gs_newref(ts, past), gs_int_new(ts, 1));
    TAP_OK(back && !gs_int_is_big(back), "(INT64_MAX + 1) - 1 is demoted to the small form");
    TAP_OK(gs_int_compare(back, max) == 0, "and equals INT64_MAX");
    GsObject *five = op(GS_INTOP_FLOORDIV, dec("50000000000000000000000000000"),
                        dec("10000000000000000000000000000"));
    TAP_OK(five == gs_int_new(ts, 5), "a big quotient that is 5 is the shared small 5");
    GsObject *parsed = dec("-9223372036854775808");
    TAP_OK(!gs_int_is_big(parsed), "-2**63 read from digits is small");
    TAP_INT_EQ(gs_int_hash(past), gs_int_hash(past), "hash is stable");
    gs_decref(ts, parsed);
    gs_decref(ts, five);
    gs_decref(ts, back);
    gs_decref(ts, past);
    gs_decref(ts, max);
}

static void test_hash_and_size(void)
{
    /* CPython 3.9: hash(2**61 - 1) == 0, hash(2**100) == 549755813888,
     * hash(-2**100) == -549755813888, hash(-1) == -2. */
    GsObject *m = dec("2305843009213693951"), *b = dec("1267650600228229401496703205376"),
             *nb = dec("-1267650600228229401496703205376"), *n1 = gs_int_new(ts, -1);
    TAP_INT_EQ(gs_int_hash(m), 0, "hash(2**61 - 1)");
    TAP_INT_EQ(gs_int_hash(b), 549755813888, "hash(2**100)");
    TAP_INT_EQ(gs_int_hash(nb), -549755813888, "hash(-2**100)");
    TAP_INT_EQ(gs_int_hash(n1), -2, "hash(-1)");
    /* sys.getsizeof: 24 + 4 per 30-bit digit, 24 for 0 */
    TAP_INT_EQ(gs_int_sizeof(gs_int_new(ts, 0)), 24, "getsizeof(0)");
    TAP_INT_EQ(gs_int_sizeof(gs_int_new(ts, 1)), 28, "getsizeof(1)");
    TAP_INT_EQ(gs_int_sizeof(m), 36, "getsizeof(2**61 - 1)");
    TAP_INT_EQ(gs_int_sizeof(b), 40, "getsizeof(2**100)");
    gs_decref(ts, m);
    gs_decref(ts, b);
    gs_decref(ts, nb);
}

static void test_conversions(void)
{
    GsObject *b = dec("18014398509481987");   /* 2**54 + 3: halfway, rounds to even */
    double d = 0;
    TAP_OK(gs_int_to_double(ts, b, &d) == 0 && d == 18014398509481988.0,
           "float(2**54 + 3) rounds half to even");
    gs_decref(ts, b);
    GsObject *huge = op(GS_INTOP_LSHIFT, gs_int_new(ts, 1), gs_int_new(ts, 1024));
    TAP_OK(gs_int_to_double(ts, huge, &d) < 0, "float(2**1024) raises");
    TAP_OK(gs_err_occurred(ts) != NULL, "an exception is set");
    gs_err_clear(ts);
    int64_t v = 7;
    TAP_OK(gs_int_as_index(ts, huge, &v, NULL) < 0 && v == 7, "2**1024 is no index");
    gs_err_clear(ts);
    TAP_OK(gs_int_clamped(huge) == INT64_MAX, "a big int clamps to INT64_MAX");
    GsObject *q = op(GS_INTOP_TRUEDIV, gs_newref(ts, huge), dec("1"));
    TAP_OK(q == NULL, "2**1024 / 1 is too large for a float");
    gs_err_clear(ts);
    gs_decref(ts, huge);
    GsObject *f = gs_int_from_double(ts, 1e300);
    TAP_OK(f && gs_int_is_big(f) && gs_int_bit_length(f) == 997, "int(1e300) is exact and big");
    gs_decref(ts, f);
}

int main(void)
{
    gs_types_init();
    GsOptions opt;
    gs_options_default(&opt);
    GsInterp *interp = gs_interp_new(&opt);
    if (!interp) {
        printf("Bail out! gs_interp_new failed\n");
        return 1;
    }
    gs_thread_init(ts, interp, 0);
    if (!interp->builtins && gs_builtins_init(ts) < 0) {
        printf("Bail out! gs_builtins_init failed\n");
        return 1;
    }
    test_forms();
    test_hash_and_size();
    test_conversions();
    TAP_OK(!gs_err_occurred(ts), "no exception left pending");
    gs_thread_fini(ts);
    gs_interp_free(interp);
    return tap_done();
}
