/*
 * builtins.c -- the `builtins` module: print, len, range, isinstance, ...
 * plus __build_class__ (what a `class` statement calls) and super().
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "objects/bigint.h"

GsObject *gs_eval_class_body(GsThread *ts, GsObject *func, GsObject *ns);   /* eval.c */

#define BUILTIN(name) \
    static GsObject *bi_##name(GsThread *ts, GsObject *self, GsObject *const *args, \
                               size_t nargs, GsObject *kwnames)

/* Positional count and the keyword value named `name` (borrowed) or NULL.
 * Keyword values are the last len(kwnames) entries of args. */
static size_t npos(size_t nargs, GsObject *kwnames)
{
    return nargs - (gs_kw_count(kwnames));
}

static int kwarg(GsThread *ts, const char *fname, GsObject *const *args, size_t nargs,
                 GsObject *kwnames, const char *const *allowed, GsObject **out)
{
    size_t nkw = gs_kw_count(kwnames), p = nargs - nkw;
    for (int i = 0; allowed[i]; i++)
        out[i] = NULL;
    for (size_t k = 0; k < nkw; k++) {
        const char *name = gs_str_cstr(((GsTuple *)kwnames)->items[k]);
        int i;
        for (i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], name) == 0)
                break;
        if (!allowed[i]) {
            gs_err_set(ts, &gs_exc_TypeError, "'%s' is an invalid keyword argument for %s()",
                       name, fname);
            return -1;
        }
        out[i] = args[p + k];
    }
    return 0;
}

/* ---- output ---------------------------------------------------------------------- */

/* One piece of print's output to a write method; s is stolen (NULL: an
 * error already set). */
static int print_piece(GsThread *ts, GsObject *write, GsObject *s)
{
    GsObject *r = s ? gs_call1(ts, write, s) : NULL;
    gs_xdecref(ts, s);
    gs_xdecref(ts, r);
    return r ? 0 : -1;
}

/* print to an object of the program's own: as CPython, write() once per
 * piece -- each argument's str, the separators, the end -- then flush(). */
static GsObject *print_to_object(GsThread *ts, GsObject *file, GsObject *const *args, size_t n,
                                 GsObject *sep, GsObject *end, bool flush)
{
    GsObject *w = gs_getattr_c(ts, file, "write");
    int rc = w ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i > 0)
            rc = print_piece(ts, w, sep ? gs_newref(ts, sep) : gs_str_from(ts, " "));
        if (rc == 0)
            rc = print_piece(ts, w, gs_str(ts, args[i]));
    }
    if (rc == 0)
        rc = print_piece(ts, w, end ? gs_newref(ts, end) : gs_str_from(ts, "\n"));
    gs_xdecref(ts, w);
    if (rc == 0 && flush) {
        GsObject *f = gs_getattr_c(ts, file, "flush");
        GsObject *r = f ? gs_call0(ts, f) : NULL;
        gs_xdecref(ts, f);
        gs_xdecref(ts, r);
        rc = r ? 0 : -1;
    }
    return rc < 0 ? NULL : gs_newref(ts, GS_NONE);
}

BUILTIN(print)
{
    static const char *const kws[] = { "sep", "end", "file", "flush", NULL };
    GsObject *kv[4];
    if (kwarg(ts, "print", args, nargs, kwnames, kws, kv) < 0)
        return NULL;
    size_t n = npos(nargs, kwnames);
    GsObject *sep = kv[0] && kv[0] != GS_NONE ? kv[0] : NULL;
    GsObject *end = kv[1] && kv[1] != GS_NONE ? kv[1] : NULL;
    if ((sep && !GS_IS_STR(sep)) || (end && !GS_IS_STR(end)))
        return gs_err_set(ts, &gs_exc_TypeError, "%s must be None or a string, not %s",
                          sep && !GS_IS_STR(sep) ? "sep" : "end",
                          (sep && !GS_IS_STR(sep) ? sep : end)->type->name);
    int flush = kv[3] ? gs_truth(ts, kv[3]) : 0;
    if (flush < 0)
        return NULL;
    /* No file=: sys.stdout, as the program may have set it.  None there
     * means print nothing (CPython's rule, for a program without a
     * console); the two standard streams are written here directly. */
    GsObject *file = kv[2] && kv[2] != GS_NONE ? kv[2] : gs_sys_stream(ts, "stdout");
    if (file == GS_NONE)
        return gs_newref(ts, GS_NONE);
    FILE *out = file ? gs_std_stream_file(ts, file) : ts->interp->out;
    if (!out)
        return print_to_object(ts, file, args, n, sep, end, flush);
    GsBuf b;
    gs_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            gs_buf_puts(&b, sep ? gs_str_cstr(sep) : " ");
        if (gs_buf_str(ts, &b, args[i]) < 0) {
            gs_buf_free(&b);
            return NULL;
        }
    }
    gs_buf_puts(&b, end ? gs_str_cstr(end) : "\n");
    if (out == stderr)
        fflush(ts->interp->out);   /* what was printed before comes first */
    fwrite(b.data, 1, b.len, out);
    if (out == ts->interp->out && (ts->interp->trace_mask & GS_CAT_PRINT)) {
        /* The printed text, without one final newline. */
        size_t len = b.len;
        if (len && b.data[len - 1] == '\n')
            b.data[--len] = 0;
        gs_ev_print(ts, b.data);
    }
    if (flush)
        fflush(out);
    gs_buf_free(&b);
    return gs_output_error(ts, out) < 0 ? NULL : gs_newref(ts, GS_NONE);
}

BUILTIN(repr)
{
    if (gs_check_no_kw(ts, "repr", kwnames) < 0 || gs_check_nargs(ts, "repr", nargs, 1, 1) < 0)
        return NULL;
    return gs_repr(ts, args[0]);
}

BUILTIN(ascii)
{
    if (gs_check_no_kw(ts, "ascii", kwnames) < 0 || gs_check_nargs(ts, "ascii", nargs, 1, 1) < 0)
        return NULL;
    return gs_str_ascii(ts, args[0]);
}

BUILTIN(format)
{
    if (gs_check_no_kw(ts, "format", kwnames) < 0 || gs_check_nargs(ts, "format", nargs, 1, 2) < 0)
        return NULL;
    GsObject *spec = nargs == 2 ? gs_newref(ts, args[1]) : gs_str_from(ts, "");
    if (!spec)
        return NULL;
    GsObject *r = gs_str_format_spec(ts, args[0], spec);
    gs_decref(ts, spec);
    return r;
}

/* ---- numbers ------------------------------------------------------------------------ */

BUILTIN(abs)
{
    if (gs_check_no_kw(ts, "abs", kwnames) < 0 || gs_check_nargs(ts, "abs", nargs, 1, 1) < 0)
        return NULL;
    GsObject *x = args[0];
    if (GS_IS_INT(x)) {
        int64_t v = gs_int_value(x);
        if (gs_int_is_big(x) || v == INT64_MIN)
            return gs_int_abs(ts, x);   /* abs(-2**63) is 2**63: big */
        return gs_int_new(ts, v < 0 ? -v : v);
    }
    if (GS_IS_FLOAT(x))
        return gs_float_new(ts, fabs(gs_float_value(x)));
    return gs_err_set(ts, &gs_exc_TypeError, "bad operand type for abs(): '%s'", x->type->name);
}

BUILTIN(divmod)
{
    if (gs_check_no_kw(ts, "divmod", kwnames) < 0 || gs_check_nargs(ts, "divmod", nargs, 2, 2) < 0)
        return NULL;
    if (GS_IS_INT(args[0]) && GS_IS_INT(args[1]))
        return gs_int_divmod(ts, args[0], args[1]);   /* one division, any size */
    GsObject *q = gs_binary_op(ts, OP_BINARY_FLOOR_DIVIDE, args[0], args[1]);
    GsObject *r = q ? gs_binary_op(ts, OP_BINARY_MODULO, args[0], args[1]) : NULL;
    GsObject *t = r ? gs_tuple_pack(ts, 2, q, r) : NULL;
    gs_xdecref(ts, q);
    gs_xdecref(ts, r);
    return t;
}

/* pow(b, e, m), on GMP (bigint.c); a negative e takes b's modular inverse. */
static GsObject *pow_mod(GsThread *ts, GsObject *b, GsObject *e, GsObject *m)
{
    if (!GS_IS_INT(b) || !GS_IS_INT(e) || !GS_IS_INT(m))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "pow() 3rd argument not allowed unless all arguments are integers");
    return gs_int_powmod(ts, b, e, m);
}

BUILTIN(pow)
{
    if (gs_check_no_kw(ts, "pow", kwnames) < 0 || gs_check_nargs(ts, "pow", nargs, 2, 3) < 0)
        return NULL;
    if (nargs == 3 && args[2] != GS_NONE)
        return pow_mod(ts, args[0], args[1], args[2]);
    return gs_binary_op(ts, OP_BINARY_POWER, args[0], args[1]);
}

/* round(i, n) for n < 0: the nearest multiple of 10**-n, halves to even
 * (CPython's _PyLong_DivmodNear).  A multiple of 10**-n with more digits
 * than i has rounds i to 0, so 10**-n is only built when it is no longer
 * than i. */
static GsObject *round_int(GsThread *ts, GsObject *x, GsObject *ndigits)
{
    if (!ndigits || gs_int_sign(ndigits) >= 0)
        return x->type == &gs_int_type ? gs_newref(ts, x) : gs_int_new(ts, gs_int_value(x));
    int64_t len = gs_int_bit_length(x) / 3 + 2;   /* more than its decimal digits */
    if (gs_int_is_big(ndigits) || -gs_int_value(ndigits) > len + 1)
        return gs_int_new(ts, 0);
    mpz_t v, p, q, r;
    mpz_inits(v, p, q, r, NULL);
    gs_int_get_mpz(x, v);
    mpz_ui_pow_ui(p, 10, (unsigned long)-gs_int_value(ndigits));
    mpz_fdiv_qr(q, r, v, p);
    mpz_mul_2exp(r, r, 1);
    int c = mpz_cmp(r, p);
    if (c > 0 || (c == 0 && mpz_odd_p(q)))
        mpz_add_ui(q, q, 1);
    mpz_mul(q, q, p);
    mpz_clears(v, p, r, NULL);
    return gs_int_take_mpz(ts, q);
}

/* round(x[, n]) with Python 3's round-half-to-even. */
BUILTIN(round)
{
    if (gs_check_no_kw(ts, "round", kwnames) < 0 || gs_check_nargs(ts, "round", nargs, 1, 2) < 0)
        return NULL;
    GsObject *x = args[0];
    bool has_n = nargs == 2 && args[1] != GS_NONE;
    if (!GS_IS_INT(x) && !GS_IS_FLOAT(x))
        return gs_err_set(ts, &gs_exc_TypeError, "type %s doesn't define __round__ method",
                          x->type->name);
    if (has_n && !GS_IS_INT(args[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          args[1]->type->name);
    if (GS_IS_INT(x))
        return round_int(ts, x, has_n ? args[1] : NULL);
    double d = gs_float_value(x);
    if (!has_n)   /* nearbyint in the default rounding mode: half to even */
        return gs_int_from_double(ts, nearbyint(d));
    /* Round via the shortest decimal text, as CPython's correctly rounded
     * double_round does: format with n digits, read back. */
    int64_t n = gs_int_value(args[1]);
    if (n > 300 || !isfinite(d))
        return gs_newref(ts, x);
    if (n < -300)
        return gs_float_new(ts, 0.0 * d);
    char buf[512];
    if (n >= 0) {
        snprintf(buf, sizeof buf, "%.*f", (int)n, d);
        return gs_float_new(ts, strtod(buf, NULL));
    }
    double p = pow(10.0, (double)-n);
    return gs_float_new(ts, nearbyint(d / p) * p);
}

static GsObject *int_to_base(GsThread *ts, GsObject *x, int base, const char *prefix)
{
    if (!GS_IS_INT(x))
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          x->type->name);
    size_t n;
    char *digits = gs_int_digits(x, base, &n);   /* any size: no digit limit in these bases */
    GsBuf b;
    gs_buf_init(&b);
    if (gs_int_sign(x) < 0)
        gs_buf_putc(&b, '-');
    gs_buf_puts(&b, prefix);
    gs_buf_put(&b, digits, n);
    free(digits);
    return gs_buf_finish(ts, &b);
}

BUILTIN(hex) { return gs_check_nargs(ts, "hex", nargs, 1, 1) < 0 ? NULL : int_to_base(ts, args[0], 16, "0x"); }
BUILTIN(oct) { return gs_check_nargs(ts, "oct", nargs, 1, 1) < 0 ? NULL : int_to_base(ts, args[0], 8, "0o"); }
BUILTIN(bin) { return gs_check_nargs(ts, "bin", nargs, 1, 1) < 0 ? NULL : int_to_base(ts, args[0], 2, "0b"); }

BUILTIN(chr)
{
    if (gs_check_no_kw(ts, "chr", kwnames) < 0 || gs_check_nargs(ts, "chr", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_INT(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "an integer is required (got type %s)",
                          args[0]->type->name);
    int64_t c = gs_int_value(args[0]);
    if (gs_int_is_big(args[0]) || c < INT_MIN || c > INT_MAX)   /* CPython reads a C int */
        return gs_err_set(ts, &gs_exc_OverflowError, "Python int too large to convert to C int");
    if (c < 0 || c > 0x10ffff)
        return gs_err_set(ts, &gs_exc_ValueError, "chr() arg not in range(0x110000)");
    char buf[4];
    int n;
    if (c < 0x80) { buf[0] = (char)c; n = 1; }
    else if (c < 0x800) { buf[0] = (char)(0xc0 | (c >> 6)); buf[1] = (char)(0x80 | (c & 0x3f)); n = 2; }
    else if (c < 0x10000) { buf[0] = (char)(0xe0 | (c >> 12)); buf[1] = (char)(0x80 | ((c >> 6) & 0x3f)); buf[2] = (char)(0x80 | (c & 0x3f)); n = 3; }
    else { buf[0] = (char)(0xf0 | (c >> 18)); buf[1] = (char)(0x80 | ((c >> 12) & 0x3f)); buf[2] = (char)(0x80 | ((c >> 6) & 0x3f)); buf[3] = (char)(0x80 | (c & 0x3f)); n = 4; }
    return gs_str_new(ts, buf, (size_t)n);
}

BUILTIN(ord)
{
    if (gs_check_no_kw(ts, "ord", kwnames) < 0 || gs_check_nargs(ts, "ord", nargs, 1, 1) < 0)
        return NULL;
    GsObject *s = args[0];
    if (!GS_IS_STR(s))
        return gs_err_set(ts, &gs_exc_TypeError, "ord() expected string of length 1, but %s found",
                          s->type->name);
    GsStr *str = (GsStr *)s;
    if (str->nchars != 1)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "ord() expected a character, but string of length %zu found", str->nchars);
    const unsigned char *p = (const unsigned char *)str->data;
    int64_t c = p[0];
    size_t n = str->nbytes;   /* guard: decode only the bytes the string has */
    if (c >= 0xf0 && n >= 4) c = ((c & 0x07) << 18) | ((p[1] & 0x3f) << 12) | ((p[2] & 0x3f) << 6) | (p[3] & 0x3f);
    else if (c >= 0xe0 && n >= 3) c = ((c & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    else if (c >= 0xc0 && n >= 2) c = ((c & 0x1f) << 6) | (p[1] & 0x3f);
    return gs_int_new(ts, c);
}

/* ---- sequences ------------------------------------------------------------------------ */

BUILTIN(len)
{
    if (gs_check_no_kw(ts, "len", kwnames) < 0 || gs_check_nargs(ts, "len", nargs, 1, 1) < 0)
        return NULL;
    int64_t n = gs_len(ts, args[0]);
    return n < 0 ? NULL : gs_int_new(ts, n);
}

/* min / max over an iterable or over the arguments, with key= and default=. */
static GsObject *min_max(GsThread *ts, GsObject *const *args, size_t nargs, GsObject *kwnames,
                         int op, const char *name)
{
    static const char *const kws[] = { "key", "default", NULL };
    GsObject *kv[2];
    if (kwarg(ts, name, args, nargs, kwnames, kws, kv) < 0)
        return NULL;
    size_t n = npos(nargs, kwnames);
    if (n == 0)
        return gs_err_set(ts, &gs_exc_TypeError, "%s expected at least 1 argument, got 0", name);
    GsObject *key = kv[0] == GS_NONE ? NULL : kv[0];
    GsObject *it = n == 1 ? gs_getiter(ts, args[0]) : NULL;
    if (n == 1 && !it)
        return NULL;
    GsObject *best = NULL, *bestkey = NULL;
    for (size_t i = 0;; i++) {
        GsObject *v = it ? gs_iternext(ts, it) : (i < n ? gs_newref(ts, args[i]) : NULL);
        if (!v)
            break;
        GsObject *k = key ? gs_call1(ts, key, v) : gs_newref(ts, v);
        if (!k) {
            gs_decref(ts, v);
            goto fail;
        }
        int better = best ? gs_compare_bool(ts, k, bestkey, op) : 1;
        if (better < 0) {
            gs_decref(ts, v);
            gs_decref(ts, k);
            goto fail;
        }
        if (better) {
            gs_setref(ts, &best, v);
            gs_setref(ts, &bestkey, k);
        } else {
            gs_decref(ts, v);
            gs_decref(ts, k);
        }
    }
    if (gs_err_occurred(ts))
        goto fail;
    gs_xdecref(ts, it);
    gs_xdecref(ts, bestkey);
    if (!best) {
        if (kv[1])
            return gs_newref(ts, kv[1]);
        return gs_err_set(ts, &gs_exc_ValueError, "%s() arg is an empty sequence", name);
    }
    return best;
fail:
    gs_xdecref(ts, it);
    gs_xdecref(ts, best);
    gs_xdecref(ts, bestkey);
    return NULL;
}

BUILTIN(min) { return min_max(ts, args, nargs, kwnames, GS_CMP_LT, "min"); }
BUILTIN(max) { return min_max(ts, args, nargs, kwnames, GS_CMP_GT, "max"); }

BUILTIN(sum)
{
    static const char *const kws[] = { "start", NULL };
    GsObject *kv[1];
    if (kwarg(ts, "sum", args, nargs, kwnames, kws, kv) < 0)
        return NULL;
    size_t n = npos(nargs, kwnames);
    if (gs_check_nargs(ts, "sum", n, 1, 2) < 0)
        return NULL;
    GsObject *acc = gs_newref(ts, n == 2 ? args[1] : kv[0] ? kv[0] : gs_small_int(0));
    if (GS_IS_STR(acc)) {
        gs_decref(ts, acc);
        return gs_err_set(ts, &gs_exc_TypeError,
                          "sum() can't sum strings [use ''.join(seq) instead]");
    }
    GsObject *it = gs_getiter(ts, args[0]), *v;
    if (!it) {
        gs_decref(ts, acc);
        return NULL;
    }
    while ((v = gs_iternext(ts, it))) {
        GsObject *r = gs_binary_op(ts, OP_BINARY_ADD, acc, v);
        gs_decref(ts, v);
        gs_decref(ts, acc);
        if (!(acc = r))
            break;
    }
    gs_decref(ts, it);
    if (acc && gs_err_occurred(ts)) {
        gs_decref(ts, acc);
        return NULL;
    }
    return acc;
}

BUILTIN(sorted)
{
    static const char *const kws[] = { "key", "reverse", NULL };
    GsObject *kv[2];
    if (kwarg(ts, "sorted", args, nargs, kwnames, kws, kv) < 0)
        return NULL;
    if (npos(nargs, kwnames) != 1)
        return gs_err_set(ts, &gs_exc_TypeError, "sorted expected 1 argument, got %zu",
                          npos(nargs, kwnames));
    GsObject *l = gs_sequence_to_list(ts, args[0]);
    if (!l)
        return NULL;
    int rev = kv[1] ? gs_truth(ts, kv[1]) : 0;
    if (rev < 0 || gs_list_sort(ts, l, kv[0] == GS_NONE ? NULL : kv[0], rev) < 0) {
        gs_decref(ts, l);
        return NULL;
    }
    return l;
}

static int all_any(GsThread *ts, GsObject *iterable, bool want)
{
    GsObject *it = gs_getiter(ts, iterable), *v;
    if (!it)
        return -1;
    int result = !want;
    while ((v = gs_iternext(ts, it))) {
        int t = gs_truth(ts, v);
        gs_decref(ts, v);
        if (t < 0) {
            result = -1;
            break;
        }
        if (t == want) {
            result = want;
            break;
        }
    }
    gs_decref(ts, it);
    return gs_err_occurred(ts) ? -1 : result;
}

BUILTIN(all)
{
    if (gs_check_no_kw(ts, "all", kwnames) < 0 || gs_check_nargs(ts, "all", nargs, 1, 1) < 0)
        return NULL;
    int r = all_any(ts, args[0], false);
    return r < 0 ? NULL : gs_newref(ts, gs_bool(r));
}

BUILTIN(any)
{
    if (gs_check_no_kw(ts, "any", kwnames) < 0 || gs_check_nargs(ts, "any", nargs, 1, 1) < 0)
        return NULL;
    int r = all_any(ts, args[0], true);
    return r < 0 ? NULL : gs_newref(ts, gs_bool(r));
}

BUILTIN(iter)
{
    if (gs_check_no_kw(ts, "iter", kwnames) < 0 || gs_check_nargs(ts, "iter", nargs, 1, 1) < 0)
        return NULL;
    return gs_getiter(ts, args[0]);
}

BUILTIN(next)
{
    if (gs_check_no_kw(ts, "next", kwnames) < 0 || gs_check_nargs(ts, "next", nargs, 1, 2) < 0)
        return NULL;
    GsObject *it = args[0];
    if (!it->type->iternext && !(it->type->flags & GS_TPFLAG_HEAPTYPE))
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' object is not an iterator", it->type->name);
    if (it->type == &gs_gen_type) {
        /* A generator's StopIteration carries what it returned. */
        GsObject *v = gs_gen_next(ts, it);
        if (!v && nargs == 2 && gs_err_matches(ts, &gs_exc_StopIteration)) {
            gs_err_clear(ts);
            return gs_newref(ts, args[1]);
        }
        return v;
    }
    GsObject *v = gs_iternext(ts, it);
    if (v || gs_err_occurred(ts))
        return v;
    if (nargs == 2)
        return gs_newref(ts, args[1]);
    GsObject *e = gs_exc_new(ts, &gs_exc_StopIteration, NULL, 0);
    if (e) {
        gs_err_set_obj(ts, e);
        gs_decref(ts, e);
    }
    return NULL;
}

/* ---- enumerate, zip, map, filter, reversed: lazy iterators ------------------------------ */

typedef struct {
    GsObject ob;
    int kind;
    GsObject *func;      /* map / filter */
    GsObject *its;       /* tuple of iterators (zip, map), or one iterator */
    int64_t count;       /* enumerate; reversed: next index */
    GsObject *big_count; /* enumerate: the next count once it is beyond int64, else NULL */
    GsObject *seq;       /* reversed */
} GsLazy;

enum { LAZY_ENUMERATE, LAZY_ZIP, LAZY_MAP, LAZY_FILTER, LAZY_REVERSED };
static const char *const lazy_names[] = { "enumerate", "zip", "map", "filter", "reversed" };

static void lazy_clear(GsThread *ts, GsObject *o)
{
    GsLazy *z = (GsLazy *)o;
    GsObject *f = z->func, *i = z->its, *s = z->seq, *c = z->big_count;
    z->func = z->its = z->seq = z->big_count = NULL;
    gs_xdecref(ts, c);
    gs_xdecref(ts, f);
    gs_xdecref(ts, i);
    gs_xdecref(ts, s);
}

static int lazy_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsLazy *z = (GsLazy *)o;
    GsObject *f[3] = { z->func, z->its, z->seq };
    for (int i = 0; i < 3; i++) {
        int r = f[i] ? visit(f[i], arg) : 0;
        if (r)
            return r;
    }
    return 0;
}

static GsObject *lazy_self(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

static GsObject *lazy_next_inner(GsThread *ts, GsObject *o);

/* map(f, map(g, map(...))) nests iterators: the next() of one calls the
 * next() of the one inside it, so a long chain recurses in C. */
static GsObject *lazy_next(GsThread *ts, GsObject *o)
{
    if (gs_enter_recursive_call(ts, " while getting the next item") < 0)
        return NULL;
    GsObject *r = lazy_next_inner(ts, o);
    gs_leave_recursive_call(ts);
    return r;
}

static GsObject *lazy_next_inner(GsThread *ts, GsObject *o)
{
    GsLazy *z = (GsLazy *)o;
    if (!z->its && !z->seq)
        return NULL;
    switch (z->kind) {
    case LAZY_ENUMERATE: {
        GsObject *v = gs_iternext(ts, z->its);
        if (!v)
            return NULL;
        GsObject *i;
        if (z->big_count) {   /* past int64: count on with big ints */
            i = z->big_count;
            z->big_count = gs_int_binop(ts, GS_INTOP_ADD, i, gs_int_new(ts, 1));
            if (!z->big_count) {
                z->big_count = i;
                i = NULL;
            }
        } else {
            i = gs_int_new(ts, z->count);
            if (z->count == INT64_MAX)   /* the next count does not fit int64 */
                z->big_count = i ? gs_int_binop(ts, GS_INTOP_ADD, i, gs_int_new(ts, 1)) : NULL;
            else
                z->count++;
        }
        GsObject *t = i ? gs_tuple_pack(ts, 2, i, v) : NULL;
        gs_xdecref(ts, i);
        gs_decref(ts, v);
        return t;
    }
    case LAZY_REVERSED:
        if (z->count < 0)
            return NULL;
        {
            GsObject *i = gs_int_new(ts, z->count--);
            GsObject *v = i ? gs_getitem(ts, z->seq, i) : NULL;
            gs_xdecref(ts, i);
            if (!v && gs_err_matches(ts, &gs_exc_IndexError)) {
                /* The sequence shrank under us: the end, as in CPython. */
                gs_err_clear(ts);
                z->count = -1;
            }
            return v;
        }
    case LAZY_FILTER:
        for (;;) {
            GsObject *v = gs_iternext(ts, z->its);
            if (!v)
                return NULL;
            GsObject *t = z->func == GS_NONE ? gs_newref(ts, v) : gs_call1(ts, z->func, v);
            int keep = t ? gs_truth(ts, t) : -1;
            gs_xdecref(ts, t);
            if (keep > 0)
                return v;
            gs_decref(ts, v);
            if (keep < 0)
                return NULL;
        }
    default: {
        GsTuple *its = (GsTuple *)z->its;
        if (its->len == 0)
            return NULL;   /* zip() of nothing is empty */
        GsObject *t = gs_tuple_new(ts, its->len);
        if (!t)
            return NULL;
        for (size_t i = 0; i < its->len; i++) {
            GsObject *v = gs_iternext(ts, its->items[i]);
            if (!v) {
                for (size_t k = i; k < its->len; k++)
                    ((GsTuple *)t)->items[k] = gs_newref(ts, GS_NONE);
                gs_decref(ts, t);
                return NULL;
            }
            ((GsTuple *)t)->items[i] = v;
        }
        if (z->kind == LAZY_ZIP)
            return t;
        GsObject *r = gs_call(ts, z->func, ((GsTuple *)t)->items, its->len, NULL);
        gs_decref(ts, t);
        return r;
    }
    }
}

static GsObject *lazy_repr(GsThread *ts, GsObject *o)
{
    return gs_str_printf(ts, "<%s object at %p>", lazy_names[((GsLazy *)o)->kind], (void *)o);
}

static GsType lazy_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "iterator", .base = &gs_object_type, .size = sizeof(GsLazy), .flags = GS_TPFLAG_GC,
    .dealloc = lazy_clear, .traverse = lazy_traverse, .clear = lazy_clear, .iter = lazy_self,
    .iternext = lazy_next, .repr = lazy_repr };

static GsLazy *lazy_new(GsThread *ts, int kind)
{
    GsLazy *z = (GsLazy *)gs_alloc(ts, &lazy_type, sizeof(GsLazy));
    if (z)
        z->kind = kind;
    return z;
}

static GsObject *iter_tuple(GsThread *ts, GsObject *const *args, size_t n)
{
    GsObject *t = gs_tuple_new(ts, n);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        GsObject *it = gs_getiter(ts, args[i]);
        if (!it) {
            for (size_t k = i; k < n; k++)
                ((GsTuple *)t)->items[k] = gs_newref(ts, GS_NONE);
            gs_decref(ts, t);
            return NULL;
        }
        ((GsTuple *)t)->items[i] = it;
    }
    return t;
}

BUILTIN(enumerate)
{
    static const char *const kws[] = { "start", NULL };
    GsObject *kv[1];
    if (kwarg(ts, "enumerate", args, nargs, kwnames, kws, kv) < 0)
        return NULL;
    size_t n = npos(nargs, kwnames);
    if (gs_check_nargs(ts, "enumerate", n, 1, 2) < 0)
        return NULL;
    GsObject *start = n == 2 ? args[1] : kv[0];
    if (start && !GS_IS_INT(start))
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          start->type->name);
    GsObject *it = gs_getiter(ts, args[0]);
    if (!it)
        return NULL;
    GsLazy *z = lazy_new(ts, LAZY_ENUMERATE);
    if (!z) {
        gs_decref(ts, it);
        return NULL;
    }
    z->its = it;
    z->count = start ? gs_int_value(start) : 0;
    if (start && gs_int_is_big(start))
        z->big_count = gs_newref(ts, start);
    return (GsObject *)z;
}

BUILTIN(zip)
{
    if (gs_check_no_kw(ts, "zip", kwnames) < 0)
        return NULL;
    GsObject *its = iter_tuple(ts, args, nargs);
    if (!its)
        return NULL;
    GsLazy *z = lazy_new(ts, LAZY_ZIP);
    if (!z) {
        gs_decref(ts, its);
        return NULL;
    }
    z->its = its;
    return (GsObject *)z;
}

BUILTIN(map)
{
    if (gs_check_no_kw(ts, "map", kwnames) < 0)
        return NULL;
    if (nargs < 2)
        return gs_err_set(ts, &gs_exc_TypeError, "map() must have at least two arguments.");
    GsObject *its = iter_tuple(ts, args + 1, nargs - 1);
    if (!its)
        return NULL;
    GsLazy *z = lazy_new(ts, LAZY_MAP);
    if (!z) {
        gs_decref(ts, its);
        return NULL;
    }
    z->its = its;
    z->func = gs_newref(ts, args[0]);
    return (GsObject *)z;
}

BUILTIN(filter)
{
    if (gs_check_no_kw(ts, "filter", kwnames) < 0 || gs_check_nargs(ts, "filter", nargs, 2, 2) < 0)
        return NULL;
    GsObject *it = gs_getiter(ts, args[1]);
    if (!it)
        return NULL;
    GsLazy *z = lazy_new(ts, LAZY_FILTER);
    if (!z) {
        gs_decref(ts, it);
        return NULL;
    }
    z->its = it;
    z->func = gs_newref(ts, args[0]);
    return (GsObject *)z;
}

BUILTIN(reversed)
{
    if (gs_check_no_kw(ts, "reversed", kwnames) < 0 || gs_check_nargs(ts, "reversed", nargs, 1, 1) < 0)
        return NULL;
    int64_t n = gs_len(ts, args[0]);
    if (n < 0) {
        gs_err_clear(ts);
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' object is not reversible",
                          args[0]->type->name);
    }
    GsLazy *z = lazy_new(ts, LAZY_REVERSED);
    if (!z)
        return NULL;
    z->seq = gs_newref(ts, args[0]);
    z->count = n - 1;
    return (GsObject *)z;
}

/* ---- objects and types ---------------------------------------------------------------- */

/* Both follow CPython's PyObject_IsInstance / IsSubclass (typeobject.c):
 * tuples, and a metaclass's __instancecheck__ / __subclasscheck__. */
BUILTIN(isinstance)
{
    if (gs_check_no_kw(ts, "isinstance", kwnames) < 0 || gs_check_nargs(ts, "isinstance", nargs, 2, 2) < 0)
        return NULL;
    int r = gs_isinstance(ts, args[0], args[1]);
    return r < 0 ? NULL : gs_newref(ts, gs_bool(r));
}

BUILTIN(issubclass)
{
    if (gs_check_no_kw(ts, "issubclass", kwnames) < 0 || gs_check_nargs(ts, "issubclass", nargs, 2, 2) < 0)
        return NULL;
    int r = gs_issubclass(ts, args[0], args[1]);
    return r < 0 ? NULL : gs_newref(ts, gs_bool(r));
}

/* id(): the allocation serial, not an address -- stable from run to run. */
BUILTIN(id)
{
    if (gs_check_no_kw(ts, "id", kwnames) < 0 || gs_check_nargs(ts, "id", nargs, 1, 1) < 0)
        return NULL;
    GsObject *o = args[0];
    return gs_int_new(ts, o->serial ? (int64_t)o->serial : (int64_t)(uintptr_t)o);
}

BUILTIN(hash)
{
    if (gs_check_no_kw(ts, "hash", kwnames) < 0 || gs_check_nargs(ts, "hash", nargs, 1, 1) < 0)
        return NULL;
    int64_t h = gs_hash(ts, args[0]);
    return h == -1 ? NULL : gs_int_new(ts, h);
}

BUILTIN(callable)
{
    if (gs_check_no_kw(ts, "callable", kwnames) < 0 || gs_check_nargs(ts, "callable", nargs, 1, 1) < 0)
        return NULL;
    GsObject *o = args[0];
    bool c = o->type->call || (o->type->flags & GS_TPFLAG_HEAPTYPE &&
                               gs_type_lookup(o->type, GS_NAME(ts, __call__)));
    return gs_newref(ts, gs_bool(c));
}

BUILTIN(getattr)
{
    if (gs_check_no_kw(ts, "getattr", kwnames) < 0 || gs_check_nargs(ts, "getattr", nargs, 2, 3) < 0)
        return NULL;
    if (!GS_IS_STR(args[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "getattr(): attribute name must be string");
    GsObject *name = gs_str_intern(ts, gs_newref(ts, args[1]));
    if (!name)
        return NULL;
    GsObject *v = gs_getattr(ts, args[0], name);
    gs_decref(ts, name);
    if (!v && nargs == 3 && gs_err_matches(ts, &gs_exc_AttributeError)) {
        gs_err_clear(ts);
        return gs_newref(ts, args[2]);
    }
    return v;
}

BUILTIN(hasattr)
{
    if (gs_check_no_kw(ts, "hasattr", kwnames) < 0 || gs_check_nargs(ts, "hasattr", nargs, 2, 2) < 0)
        return NULL;
    GsObject *v = bi_getattr(ts, self, args, 2, NULL);
    if (v) {
        gs_decref(ts, v);
        return gs_newref(ts, GS_TRUE);
    }
    if (!gs_err_matches(ts, &gs_exc_AttributeError))
        return NULL;
    gs_err_clear(ts);
    return gs_newref(ts, GS_FALSE);
}

BUILTIN(setattr)
{
    if (gs_check_no_kw(ts, "setattr", kwnames) < 0 || gs_check_nargs(ts, "setattr", nargs, 3, 3) < 0)
        return NULL;
    if (!GS_IS_STR(args[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "setattr(): attribute name must be string");
    GsObject *name = gs_str_intern(ts, gs_newref(ts, args[1]));
    int r = name ? gs_setattr(ts, args[0], name, args[2]) : -1;
    gs_xdecref(ts, name);
    return r < 0 ? NULL : gs_newref(ts, GS_NONE);
}

BUILTIN(delattr)
{
    if (gs_check_no_kw(ts, "delattr", kwnames) < 0 || gs_check_nargs(ts, "delattr", nargs, 2, 2) < 0)
        return NULL;
    if (!GS_IS_STR(args[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "delattr(): attribute name must be string");
    GsObject *name = gs_str_intern(ts, gs_newref(ts, args[1]));
    int r = name ? gs_setattr(ts, args[0], name, NULL) : -1;
    gs_xdecref(ts, name);
    return r < 0 ? NULL : gs_newref(ts, GS_NONE);
}

/* ---- classes ---------------------------------------------------------------------------- */

/* metaclass= taken out of the class statement's keywords: *meta is set
 * (borrowed) if it was there, and the other keywords are copied to vals /
 * *names (a new tuple, or NULL when none are left). */
static int split_metaclass(GsThread *ts, GsObject *const *kwvals, GsObject *kwnames,
                           GsObject **meta, GsObject **vals, GsObject **names)
{
    size_t nkw = gs_kw_count(kwnames), j = 0;
    *meta = NULL;
    *names = NULL;
    for (size_t k = 0; k < nkw; k++)
        if (strcmp(gs_str_cstr(((GsTuple *)kwnames)->items[k]), "metaclass") == 0)
            *meta = kwvals[k];
    if (nkw - (*meta != NULL) == 0)
        return 0;
    if (!(*names = gs_tuple_new(ts, nkw - (*meta != NULL))))
        return -1;
    for (size_t k = 0; k < nkw; k++) {
        GsObject *kn = ((GsTuple *)kwnames)->items[k];
        if (strcmp(gs_str_cstr(kn), "metaclass") == 0)
            continue;
        vals[j] = kwvals[k];
        ((GsTuple *)*names)->items[j++] = gs_newref(ts, kn);
    }
    return 0;
}

/* meta.__prepare__(name, bases, **kw): the namespace the body fills.  The
 * class body runs with a dict as its locals in gilscope. */
static GsObject *prepare_namespace(GsThread *ts, GsObject *meta, bool isclass, GsObject *name,
                                   GsObject *bases, GsObject *const *kwvals, GsObject *kwnames)
{
    GsObject *prep = gs_getattr(ts, meta, GS_NAME(ts, __prepare__));
    if (!prep) {
        if (!gs_err_matches(ts, &gs_exc_AttributeError))
            return NULL;
        gs_err_clear(ts);
        return gs_dict_new(ts);
    }
    size_t nkw = gs_kw_count(kwnames);
    GsObject *argv[2 + nkw];
    argv[0] = name, argv[1] = bases;
    memcpy(argv + 2, kwvals, nkw * sizeof *argv);
    GsObject *ns = gs_call(ts, prep, argv, 2 + nkw, kwnames);
    gs_decref(ts, prep);
    if (!ns || GS_IS_DICT(ns))
        return ns;
    const char *who = isclass ? ((GsType *)meta)->name : "<metaclass>";
    if (gs_type_lookup(ns->type, GS_NAME(ts, __getitem__)))
        gs_err_set(ts, &gs_exc_TypeError, "gilscope runs a class body in a dict only: "
                   "%s.__prepare__() returned a '%s'", who, ns->type->name);
    else
        gs_err_set(ts, &gs_exc_TypeError, "%s.__prepare__() must return a mapping, not %s", who,
                   ns->type->name);
    gs_decref(ts, ns);
    return NULL;
}

/* The class body's __class__ cell must hold the class the metaclass made
 * (CPython checks that __classcell__ reached type.__new__). */
static int check_class_cell(GsThread *ts, GsObject *cell, GsObject *name, GsObject *cls)
{
    if (cell->type != &gs_cell_type || !GS_IS_TYPE(cls) || ((GsCell *)cell)->ref == cls)
        return 0;
    GsObject *nr = gs_repr(ts, name), *cr = nr ? gs_repr(ts, cls) : NULL;
    GsObject *got = ((GsCell *)cell)->ref, *gr = got && cr ? gs_repr(ts, got) : NULL;
    if (cr && !got)
        gs_err_set(ts, &gs_exc_RuntimeError, "__class__ not set defining %s as %s. Was "
                   "__classcell__ propagated to type.__new__?", gs_str_cstr(nr), gs_str_cstr(cr));
    else if (gr)
        gs_err_set(ts, &gs_exc_TypeError, "__class__ set to %s defining %s as %s",
                   gs_str_cstr(gr), gs_str_cstr(nr), gs_str_cstr(cr));
    gs_xdecref(ts, nr);
    gs_xdecref(ts, cr);
    gs_xdecref(ts, gr);
    return -1;
}

/* __build_class__(func, name, *bases, metaclass=..., **kw): pick the
 * metaclass, let it prepare the namespace, run the class body in it, and
 * call meta(name, bases, ns, **kw) -- type.__new__ (typeobject.c) does the
 * rest.  CPython's builtin___build_class__. */
BUILTIN(__build_class__)
{
    size_t n = npos(nargs, kwnames), nkw = nargs - n;
    if (n < 2)
        return gs_err_set(ts, &gs_exc_TypeError, "__build_class__: not enough arguments");
    if (args[0]->type != &gs_function_type)
        return gs_err_set(ts, &gs_exc_TypeError, "__build_class__: func must be a function");
    if (!GS_IS_STR(args[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "__build_class__: name is not a string");
    GsObject *meta, *kwn, *vals[nkw ? nkw : 1];
    if (split_metaclass(ts, args + n, kwnames, &meta, vals, &kwn) < 0)
        return NULL;
    GsObject *bases = gs_tuple_new(ts, n - 2), *ns = NULL, *cls = NULL;
    for (size_t i = 2; bases && i < n; i++)
        ((GsTuple *)bases)->items[i - 2] = gs_newref(ts, args[i]);
    if (!meta)
        meta = n > 2 ? (GsObject *)args[2]->type : (GsObject *)&gs_type_type;
    bool isclass = GS_IS_TYPE(meta);
    if (bases && isclass)
        meta = (GsObject *)gs_type_calculate_meta(ts, (GsType *)meta, bases);
    if (bases && meta)
        ns = prepare_namespace(ts, meta, isclass, args[1], bases, vals, kwn);
    GsObject *cell = ns ? gs_eval_class_body(ts, args[0], ns) : NULL;
    if (cell) {
        size_t nk = gs_kw_count(kwn);
        GsObject *argv[3 + nk];
        argv[0] = args[1], argv[1] = bases, argv[2] = ns;
        memcpy(argv + 3, vals, nk * sizeof *argv);
        cls = gs_call(ts, meta, argv, 3 + nk, kwn);
        if (cls && check_class_cell(ts, cell, args[1], cls) < 0)
            gs_setref(ts, &cls, NULL);
        gs_decref(ts, cell);
    }
    gs_xdecref(ts, ns);
    gs_xdecref(ts, bases);
    gs_xdecref(ts, kwn);
    return cls;
}

typedef struct {
    GsObject ob;
    GsType *type;        /* look after this class in the MRO ... */
    GsObject *obj;
    GsType *obj_type;    /* ... of this one: obj's class, or obj if it is a class */
} GsSuper;

static void super_clear(GsThread *ts, GsObject *o)
{
    GsSuper *s = (GsSuper *)o;
    GsObject *t = (GsObject *)s->type, *ob = s->obj, *ot = (GsObject *)s->obj_type;
    s->type = NULL;
    s->obj = NULL;
    s->obj_type = NULL;
    gs_xdecref(ts, t);
    gs_xdecref(ts, ob);
    gs_xdecref(ts, ot);
}

static int super_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsSuper *s = (GsSuper *)o;
    return s->obj ? visit(s->obj, arg) : 0;
}

/* super().name: the first class after `type` in the MRO of obj's class
 * that has name, bound to obj (CPython's super_getattro).  So in a
 * diamond D(B, C), B's super() call reaches C, not A. */
static GsObject *super_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsSuper *s = (GsSuper *)o;
    if (s->obj_type && name != GS_NAME(ts, __class__)) {
        GsObject *mro = gs_getattr(ts, (GsObject *)s->obj_type, GS_NAME(ts, __mro__));
        if (!mro)
            return NULL;
        GsTuple *m = (GsTuple *)mro;
        size_t i = 0;
        while (i + 1 < m->len && m->items[i] != (GsObject *)s->type)
            i++;
        GsObject *attr = NULL;
        for (i++; !attr && i < m->len; i++) {
            GsType *b = (GsType *)m->items[i];
            attr = b->dict ? gs_dict_get(ts, b->dict, name) : NULL;
        }
        gs_decref(ts, mro);
        if (attr) {
            GsObject *obj = s->obj == (GsObject *)s->obj_type ? NULL : s->obj;
            if (attr->type == &gs_cfunction_type && !((GsCFunction *)attr)->self && obj)
                return gs_cfunction_new(ts, ((GsCFunction *)attr)->name,
                                        ((GsCFunction *)attr)->fn, obj);
            return gs_descr_get(ts, attr, obj, s->obj_type);
        }
    }
    if (name == GS_NAME(ts, __class__))
        return gs_newref(ts, (GsObject *)o->type);
    if (name == GS_NAME(ts, __self__))
        return gs_newref(ts, s->obj);
    return gs_err_set(ts, &gs_exc_AttributeError, "'super' object has no attribute '%s'",
                      gs_str_cstr(name));
}

static GsType super_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "super", .base = &gs_object_type, .size = sizeof(GsSuper), .flags = GS_TPFLAG_GC,
    .dealloc = super_clear, .traverse = super_traverse, .clear = super_clear,
    .getattr = super_getattr };

/* super() with no arguments reads the caller's first argument and its
 * __class__ cell, as CPython's super_init does. */
static int super_implicit(GsThread *ts, GsType **type, GsObject **obj)
{
    GsFrame *f = ts->frame;
    GsCode *co = f ? f->code : NULL;
    if (!co || co->argcount == 0) {
        gs_err_set(ts, &gs_exc_RuntimeError, "super(): no arguments");
        return -1;
    }
    GsObject *first = f->localsplus[0];
    size_t ncell = ((GsTuple *)co->cellvars)->len;
    if (!first && co->cell2arg && ncell && co->cell2arg[0] == 0)
        first = ((GsCell *)f->localsplus[co->nlocals])->ref;
    GsTuple *fv = (GsTuple *)co->freevars;
    for (size_t i = 0; i < fv->len; i++) {
        if (strcmp(gs_str_cstr(fv->items[i]), "__class__") == 0) {
            GsObject *c = ((GsCell *)f->localsplus[co->nlocals + ncell + i])->ref;
            if (!c || !GS_IS_TYPE(c)) {
                gs_err_set(ts, &gs_exc_RuntimeError, "super(): empty __class__ cell");
                return -1;
            }
            *type = (GsType *)c;
            *obj = first;
            if (!first) {
                gs_err_set(ts, &gs_exc_RuntimeError, "super(): arg[0] deleted");
                return -1;
            }
            return 0;
        }
    }
    gs_err_set(ts, &gs_exc_RuntimeError, "super(): __class__ cell not found");
    return -1;
}

BUILTIN(super)
{
    GsType *type;
    GsObject *obj;
    if (nargs == 0) {
        if (super_implicit(ts, &type, &obj) < 0)
            return NULL;
    } else if (nargs == 2) {
        if (!GS_IS_TYPE(args[0]))
            return gs_err_set(ts, &gs_exc_TypeError, "super() argument 1 must be type, not %s",
                              args[0]->type->name);
        type = (GsType *)args[0];
        obj = args[1];
    } else {
        return gs_err_set(ts, &gs_exc_TypeError, "super() takes 0 or 2 arguments in gilscope");
    }
    /* super(C, D) in a classmethod looks along D's MRO; super(C, d), d's class's. */
    GsType *ot = GS_IS_TYPE(obj) && gs_type_is_subtype((GsType *)obj, type) ? (GsType *)obj
                                                                            : obj->type;
    if (!gs_type_is_subtype(ot, type))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "super(type, obj): obj must be an instance or subtype of type");
    GsSuper *s = (GsSuper *)gs_alloc(ts, &super_type, sizeof(GsSuper));
    if (!s)
        return NULL;
    s->type = (GsType *)gs_newref(ts, (GsObject *)type);
    s->obj = gs_newref(ts, obj);
    s->obj_type = (GsType *)gs_newref(ts, (GsObject *)ot);
    return (GsObject *)s;
}

/* ---- the module ------------------------------------------------------------------------- */

static const GsMethodDef builtin_functions[] = {
    { "print", bi_print }, { "repr", bi_repr }, { "ascii", bi_ascii }, { "format", bi_format }, { "abs", bi_abs },
    { "divmod", bi_divmod }, { "pow", bi_pow }, { "round", bi_round }, { "hex", bi_hex },
    { "oct", bi_oct }, { "bin", bi_bin }, { "chr", bi_chr }, { "ord", bi_ord },
    { "len", bi_len }, { "min", bi_min }, { "max", bi_max }, { "sum", bi_sum },
    { "sorted", bi_sorted }, { "all", bi_all }, { "any", bi_any }, { "iter", bi_iter },
    { "next", bi_next }, { "enumerate", bi_enumerate }, { "zip", bi_zip }, { "map", bi_map },
    { "filter", bi_filter }, { "reversed", bi_reversed }, { "isinstance", bi_isinstance },
    { "issubclass", bi_issubclass }, { "id", bi_id }, { "hash", bi_hash },
    { "callable", bi_callable }, { "getattr", bi_getattr }, { "hasattr", bi_hasattr },
    { "setattr", bi_setattr }, { "delattr", bi_delattr },
    { "__build_class__", bi___build_class__ }, { "super", bi_super },
    { "eval", gs_builtin_eval }, { "exec", gs_builtin_exec }, { "compile", gs_builtin_compile },
    { NULL, NULL },
};

int gs_builtins_init(GsThread *ts)
{
    GsInterp *interp = ts->interp;
    GsModule *m = (GsModule *)gs_alloc(ts, &gs_module_type, sizeof(GsModule));
    if (!m)
        return -1;
    m->name = gs_str_intern_c(ts, "builtins");
    m->dict = gs_dict_new(ts);
    interp->builtins = gs_newref(ts, m->dict);
    int r = m->name && m->dict ? 0 : -1;
    for (const GsMethodDef *d = builtin_functions; r == 0 && d->name; d++) {
        GsObject *f = gs_cfunction_new(ts, d->name, d->fn, (GsObject *)m);
        r = f ? gs_dict_set_c(ts, m->dict, d->name, f) : -1;
        gs_xdecref(ts, f);
    }
    if (r == 0) {
        GsObject *f = gs_cfunction_new(ts, gs_open_def.name, gs_open_def.fn, (GsObject *)m);
        r = f ? gs_dict_set_c(ts, m->dict, "open", f) : -1;
        gs_xdecref(ts, f);
    }
    struct { const char *name; GsObject *v; } values[] = {
        { "None", GS_NONE }, { "True", GS_TRUE }, { "False", GS_FALSE },
        { "NotImplemented", GS_NOTIMPL }, { "Ellipsis", &gs_ellipsis_obj },
        { "object", (GsObject *)&gs_object_type }, { "type", (GsObject *)&gs_type_type },
        { "int", (GsObject *)&gs_int_type }, { "float", (GsObject *)&gs_float_type },
        { "bool", (GsObject *)&gs_bool_type }, { "str", (GsObject *)&gs_str_type },
        { "bytes", (GsObject *)&gs_bytes_type }, { "list", (GsObject *)&gs_list_type },
        { "tuple", (GsObject *)&gs_tuple_type }, { "dict", (GsObject *)&gs_dict_type },
        { "set", (GsObject *)&gs_set_type }, { "frozenset", (GsObject *)&gs_frozenset_type },
        { "range", (GsObject *)&gs_range_type }, { "slice", (GsObject *)&gs_slice_type },
        { "property", (GsObject *)&gs_property_type },
        { "staticmethod", (GsObject *)&gs_staticmethod_type },
        { "classmethod", (GsObject *)&gs_classmethod_type },
        { "super", NULL },
    };
    for (size_t i = 0; r == 0 && i < sizeof values / sizeof values[0]; i++)
        if (values[i].v)
            r = gs_dict_set_c(ts, m->dict, values[i].name, values[i].v);
#define GS_X_EXC(name, base) \
    if (r == 0) r = gs_dict_set_c(ts, m->dict, #name, (GsObject *)&gs_exc_##name);
    GS_EXC_TYPES(GS_X_EXC)
#undef GS_X_EXC
    if (r == 0)
        r = gs_dict_set(ts, interp->modules, m->name, (GsObject *)m);
    gs_decref(ts, (GsObject *)m);
    return r;
}
