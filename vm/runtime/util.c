/*
 * util.c -- small helpers shared by the built-in types: finishing string
 * buffers, argument checking with CPython's messages, durations, index and
 * slice arithmetic, and the repr recursion guard.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "objects/bigint.h"

GsObject *gs_buf_finish(GsThread *ts, GsBuf *b)
{
    GsObject *s = gs_str_new(ts, b->data ? b->data : "", b->len);
    gs_buf_free(b);
    return s;
}

int gs_buf_repr(GsThread *ts, GsBuf *b, GsObject *o)
{
    GsObject *r = gs_repr(ts, o);
    if (!r)
        return -1;
    gs_buf_put(b, gs_str_cstr(r), ((GsStr *)r)->nbytes);
    gs_decref(ts, r);
    return 0;
}

int gs_buf_str(GsThread *ts, GsBuf *b, GsObject *o)
{
    GsObject *r = gs_str(ts, o);
    if (!r)
        return -1;
    gs_buf_put(b, gs_str_cstr(r), ((GsStr *)r)->nbytes);
    gs_decref(ts, r);
    return 0;
}

int gs_check_nargs(GsThread *ts, const char *fname, size_t nargs, size_t min, size_t max)
{
    if (nargs >= min && nargs <= max)
        return 0;
    if (min == max)
        gs_err_set(ts, &gs_exc_TypeError, "%s() takes exactly %s (%zu given)", fname,
                   min == 0 ? "no arguments" : min == 1 ? "one argument" : "the arguments",
                   nargs);
    else if (nargs < min)
        gs_err_set(ts, &gs_exc_TypeError, "%s expected at least %zu argument%s, got %zu", fname,
                   min, min == 1 ? "" : "s", nargs);
    else
        gs_err_set(ts, &gs_exc_TypeError, "%s expected at most %zu argument%s, got %zu", fname,
                   max, max == 1 ? "" : "s", nargs);
    return -1;
}

int gs_check_no_kw(GsThread *ts, const char *fname, GsObject *kwnames)
{
    if (!kwnames || ((GsTuple *)kwnames)->len == 0)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "%s() takes no keyword arguments", fname);
    return -1;
}

int gs_seq_index(GsThread *ts, GsObject *idx, int64_t len, const char *what, int64_t *out)
{
    if (!GS_IS_INT(idx)) {
        gs_err_set(ts, &gs_exc_TypeError, "%s indices must be integers or slices, not %s",
                   what, idx->type->name);
        return -1;
    }
    if (gs_int_is_big(idx)) {
        gs_err_set(ts, &gs_exc_IndexError, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    int64_t i = gs_int_value(idx);
    if (i < 0)
        i += len;
    if (i < 0 || i >= len) {
        gs_err_set(ts, &gs_exc_IndexError, "%s index out of range", what);
        return -1;
    }
    *out = i;
    return 0;
}

static int slice_part(GsThread *ts, GsObject *v, gs_wide *out)
{
    if (v == GS_NONE)
        return 0;
    if (!GS_IS_INT(v)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    *out = gs_int_value(v);   /* a big int's clamp, as CPython clamps slice bounds */
    return 1;
}

static gs_wide clip(gs_wide i, gs_wide len, gs_wide step)
{
    if (i < 0)
        return i + len < 0 ? (step < 0 ? -1 : 0) : i + len;
    return i >= len ? (step < 0 ? len - 1 : len) : i;
}

/* CPython's PySlice_Unpack + PySlice_AdjustIndices, in 128 bits: a range
 * may hold up to 2**64 - 1 numbers, and a step of -2**63 has no int64
 * opposite. */
int gs_slice_indices_wide(GsThread *ts, GsObject *slice, gs_wide len, gs_wide *start,
                          gs_wide *stop, gs_wide *step, gs_wide *slicelen)
{
    GsSlice *s = (GsSlice *)slice;
    gs_wide st = 1, lo, hi;
    if (slice_part(ts, s->step, &st) < 0)
        return -1;
    if (st == 0) {
        gs_err_set(ts, &gs_exc_ValueError, "slice step cannot be zero");
        return -1;
    }
    lo = st < 0 ? len - 1 : 0;
    hi = st < 0 ? -1 : len;
    int has_lo = slice_part(ts, s->start, &lo), has_hi;
    if (has_lo < 0 || (has_hi = slice_part(ts, s->stop, &hi)) < 0)
        return -1;
    if (has_lo)
        lo = clip(lo, len, st);
    if (has_hi)
        hi = clip(hi, len, st);
    gs_wide n = 0;
    if (st < 0 && hi < lo)
        n = (lo - hi - 1) / -st + 1;
    else if (st > 0 && lo < hi)
        n = (hi - lo - 1) / st + 1;
    *start = lo;
    *stop = hi;
    *step = st;
    *slicelen = n;
    return 0;
}

int gs_slice_indices(GsThread *ts, GsObject *slice, int64_t len, int64_t *start,
                     int64_t *stop, int64_t *step, int64_t *slicelen)
{
    gs_wide a, b, c, n;
    if (gs_slice_indices_wide(ts, slice, len, &a, &b, &c, &n) < 0)
        return -1;
    /* With len <= INT64_MAX every result fits, the step included. */
    *start = (int64_t)a;
    *stop = (int64_t)b;
    *step = (int64_t)c;
    *slicelen = (int64_t)n;
    return 0;
}

int gs_repr_enter(GsThread *ts, GsObject *o)
{
    for (int i = 0; i < ts->nrepr_active; i++)
        if (ts->repr_active[i] == o)
            return 1;
    if (ts->nrepr_active == (int)(sizeof ts->repr_active / sizeof ts->repr_active[0])) {
        gs_err_set(ts, &gs_exc_RecursionError,
                   "maximum recursion depth exceeded while getting the repr of an object");
        return -1;
    }
    ts->repr_active[ts->nrepr_active++] = o;
    return 0;
}

void gs_repr_leave(GsThread *ts, GsObject *o)
{
    if (ts->nrepr_active > 0 && ts->repr_active[ts->nrepr_active - 1] == o)
        ts->nrepr_active--;
}

void gs_thread_set_stack(GsThread *ts, size_t stack_size)
{
    size_t margin = 1u << 20;
    ts->stack_base = (uintptr_t)__builtin_frame_address(0);   /* see gs_stack_ok */
    ts->stack_usable = stack_size > 2 * margin ? stack_size - margin : stack_size / 2;
}

int gs_enter_recursive_call(GsThread *ts, const char *where)
{
    if (++ts->c_depth > GS_C_DEPTH_MAX || !gs_stack_ok(ts)) {
        ts->c_depth--;
        gs_err_set(ts, &gs_exc_RecursionError, "maximum recursion depth exceeded%s", where);
        return -1;
    }
    return 0;
}

static int timestamp_too_large(GsThread *ts)
{
    gs_err_set(ts, &gs_exc_OverflowError, "timestamp too large to convert to C _PyTime_t");
    return -1;
}

int gs_seconds_to_ns(GsThread *ts, GsObject *secs, int64_t *out)
{
    if (GS_IS_INT(secs)) {
        if (__builtin_mul_overflow(gs_int_value(secs), (int64_t)1000000000, out))
            return timestamp_too_large(ts);
        return 0;
    }
    if (!GS_IS_FLOAT(secs)) {
        gs_err_set(ts, &gs_exc_TypeError, "an integer is required (got type %s)",
                   secs->type->name);
        return -1;
    }
    double d = gs_float_value(secs);
    if (isnan(d)) {
        gs_err_set(ts, &gs_exc_ValueError, "Invalid value NaN (not a number)");
        return -1;
    }
    /* Away from zero, so that a tiny positive timeout never becomes 0 (a
     * poll).  Then the int64 range test: [-2**63, 2**63), infinities out. */
    d *= 1e9;
    d = d >= 0 ? ceil(d) : floor(d);
    if (!(d >= -0x1p63 && d < 0x1p63))
        return timestamp_too_large(ts);
    *out = (int64_t)d;
    return 0;
}
