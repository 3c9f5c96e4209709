/*
 * modules.c -- the built-in modules written in C: sys, gc, time, dis, math,
 * os.  (import.c finds them; threading is Python, in lib/.)
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "eval.h"
#include "objects/bigint.h"

/* gc.c's guest-facing functions. */

#define MODFUNC(name) \
    static GsObject *name(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs, \
                          GsObject *kwnames)

GsObject *gs_module_from_defs(GsThread *ts, const char *name, const GsMethodDef *functions)
{
    GsModule *m = (GsModule *)gs_alloc(ts, &gs_module_type, sizeof(GsModule));
    if (!m)
        return NULL;
    m->name = gs_str_intern_c(ts, name);
    m->dict = gs_dict_new(ts);
    int r = m->name && m->dict ? gs_dict_set(ts, m->dict, GS_NAME(ts, __name__), m->name) : -1;
    for (const GsMethodDef *d = functions; r == 0 && d->name; d++) {
        GsObject *f = gs_cfunction_new(ts, d->name, d->fn, (GsObject *)m);
        r = f ? gs_dict_set_c(ts, m->dict, d->name, f) : -1;
        gs_xdecref(ts, f);
    }
    if (r < 0) {
        gs_decref(ts, (GsObject *)m);
        return NULL;
    }
    return (GsObject *)m;
}

static int set_value(GsThread *ts, GsObject *m, const char *name, GsObject *v)
{
    if (!v)
        return -1;
    int r = gs_dict_set_c(ts, ((GsModule *)m)->dict, name, v);
    gs_decref(ts, v);
    return r;
}

/* ---- sys.stdout and sys.stderr ------------------------------------------------------
 * The interpreter's two output streams as objects, so that a program can
 * save, replace and restore them as in CPython -- and `sys.stdout = None`
 * silences print, `sys.stderr = None` the report of an uncaught exception.
 * write() goes to the same FILE as print, so the two never interleave out
 * of order. */

typedef struct {
    GsObject ob;
    bool is_stderr;
} GsStdStream;

static FILE *stream_file(GsThread *ts, GsStdStream *s)
{
    return s->is_stderr ? stderr : ts->interp->out;
}

int gs_output_error(GsThread *ts, FILE *out)
{
    if (!ferror(out))
        return 0;
    /* The output went nowhere: a closed pipe (`| head`), a full disk.
     * As in CPython, the write raises (gilscope ignores SIGPIPE for that). */
    int err = errno;
    clearerr(out);
    gs_err_set(ts, err == EPIPE ? &gs_exc_BrokenPipeError : &gs_exc_OSError, "[Errno %d] %s",
               err, strerror(err));
    return -1;
}

static GsObject *stream_write(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "write", kwnames) < 0 || gs_check_nargs(ts, "write", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "write() argument must be str, not %s",
                          args[0]->type->name);
    GsStdStream *s = (GsStdStream *)self;
    GsStr *text = (GsStr *)args[0];
    if (s->is_stderr)
        fflush(ts->interp->out);   /* what was printed before comes first */
    fwrite(text->data, 1, text->nbytes, stream_file(ts, s));
    if (gs_output_error(ts, stream_file(ts, s)) < 0)
        return NULL;
    return gs_int_new(ts, (int64_t)text->nchars);
}

static GsObject *stream_flush(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "flush", kwnames) < 0 || gs_check_nargs(ts, "flush", nargs, 0, 0) < 0)
        return NULL;
    fflush(stream_file(ts, (GsStdStream *)self));
    return gs_newref(ts, GS_NONE);
}

static GsObject *stream_repr(GsThread *ts, GsObject *o)
{
    return gs_str_printf(ts, "<_io.TextIOWrapper name='<%s>' mode='w' encoding='utf-8'>",
                         ((GsStdStream *)o)->is_stderr ? "stderr" : "stdout");
}

static const GsMethodDef stream_methods[] = {
    { "write", stream_write }, { "flush", stream_flush }, { NULL, NULL },
};

static GsType stream_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "TextIOWrapper", .base = &gs_object_type, .size = sizeof(GsStdStream),
    .methods = stream_methods, .repr = stream_repr };
GsType *const gs_std_stream_type = &stream_type;

static GsObject *stream_new(GsThread *ts, bool is_stderr)
{
    GsStdStream *s = (GsStdStream *)gs_alloc(ts, &stream_type, sizeof(GsStdStream));
    if (s)
        s->is_stderr = is_stderr;
    return (GsObject *)s;
}

GsObject *gs_sys_stream(GsThread *ts, const char *name)
{
    /* Nobody can have changed them before sys is imported. */
    GsObject *sys = gs_dict_get_c(ts, ts->interp->modules, "sys");
    if (!sys || sys->type != &gs_module_type)
        return NULL;
    return gs_dict_get_c(ts, ((GsModule *)sys)->dict, name);
}

FILE *gs_std_stream_file(GsThread *ts, GsObject *o)
{
    return o && o->type == &stream_type ? stream_file(ts, (GsStdStream *)o) : NULL;
}

FILE *gs_stderr_file(GsThread *ts)
{
    GsObject *e = gs_sys_stream(ts, "stderr");
    if (e == GS_NONE)
        return NULL;
    FILE *f = gs_std_stream_file(ts, e);
    return f ? f : stderr;
}

/* ---- sys --------------------------------------------------------------------- */

/* sys.exc_info(): the exception being handled, as (type, value, traceback);
 * gilscope has no traceback objects, so the third is None. */
MODFUNC(sys_exc_info)
{
    GsObject *e = ts->handled;
    if (!e)
        return gs_tuple_pack(ts, 3, GS_NONE, GS_NONE, GS_NONE);
    return gs_tuple_pack(ts, 3, (GsObject *)e->type, e, GS_NONE);
}

/* sys.getrefcount(x): x's count, including the reference the call itself
 * holds on the stack -- which is why CPython's answer is one more than
 * the number of names bound to x. */
MODFUNC(sys_getrefcount)
{
    if (gs_check_nargs(ts, "getrefcount", nargs, 1, 1) < 0)
        return NULL;
    return gs_int_new(ts, (int64_t)args[0]->refcnt);
}

/* sys.getsizeof(object, default): CPython 3.9's size in bytes on 64-bit
 * Linux (sizeof.c); default is returned where CPython's would be, when
 * the size cannot be had for a TypeError. */
MODFUNC(sys_getsizeof)
{
    size_t nkw = gs_kw_count(kwnames), npos = nargs - nkw;
    GsObject *obj = npos > 0 ? args[0] : NULL, *dflt = npos > 1 ? args[1] : NULL;
    if (nargs > 2)
        return gs_err_set(ts, &gs_exc_TypeError, "getsizeof() takes at most 2 arguments (%zu given)",
                          nargs);
    for (size_t k = 0; k < nkw; k++) {
        const char *kn = gs_str_cstr(((GsTuple *)kwnames)->items[k]);
        GsObject **slot = strcmp(kn, "object") == 0 ? &obj : strcmp(kn, "default") == 0 ? &dflt : NULL;
        if (!slot)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "getsizeof() got an unexpected keyword argument '%s'", kn);
        *slot = args[npos + k];
    }
    if (!obj)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "getsizeof() missing required argument 'object' (pos 1)");
    int64_t n = gs_getsizeof(ts, obj);
    if (n >= 0)
        return gs_int_new(ts, n);
    if (dflt && gs_err_matches(ts, &gs_exc_TypeError)) {
        gs_err_clear(ts);
        return gs_newref(ts, dflt);
    }
    return NULL;
}

MODFUNC(sys_exit)
{
    if (gs_check_nargs(ts, "exit", nargs, 0, 1) < 0)
        return NULL;
    GsObject *e = gs_exc_new(ts, &gs_exc_SystemExit, args, nargs);
    if (e) {
        gs_err_set_obj(ts, e);
        gs_decref(ts, e);
    }
    return NULL;
}

MODFUNC(sys_getrecursionlimit)
{
    return gs_int_new(ts, ts->interp->opt.recursion_limit);
}

MODFUNC(sys_setrecursionlimit)
{
    if (gs_check_nargs(ts, "setrecursionlimit", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_INT(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "an integer is required");
    int64_t n = gs_int_value(args[0]);
    if (n < 1)
        return gs_err_set(ts, &gs_exc_ValueError, "recursion limit must be greater or equal than 1");
    /* The C stack bounds what gilscope can honour; beyond it, refuse
     * rather than crash. */
    if (n > 20000)
        return gs_err_set(ts, &gs_exc_ValueError,
                          "gilscope allows a recursion limit of at most 20000");
    /* CPython's depth counts this very call too. */
    if (ts->depth + 1 >= n)
        return gs_err_set(ts, &gs_exc_RecursionError,
                          "cannot set the recursion limit to %lld at the recursion depth %d: "
                          "the limit is too low", (long long)n, ts->depth + 1);
    ts->interp->opt.recursion_limit = (int)n;
    return gs_newref(ts, GS_NONE);
}

/* sys.set_int_max_str_digits(n): the most decimal digits str(int) and
 * int(str) handle (0: no limit); CPython 3.9.14+. */
MODFUNC(sys_set_int_max_str_digits)
{
    if (gs_check_nargs(ts, "set_int_max_str_digits", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_INT(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          args[0]->type->name);
    int64_t n;
    if (gs_int_to_int64(ts, args[0], &n, "Python int too large to convert to C int") < 0)
        return NULL;
    if (n > INT32_MAX || n < INT32_MIN)
        return gs_err_set(ts, &gs_exc_OverflowError, "Python int too large to convert to C int");
    if (n != 0 && n < GS_INT_STR_DIGITS_THRESHOLD)
        return gs_err_set(ts, &gs_exc_ValueError, "maxdigits must be 0 or larger than %d",
                          GS_INT_STR_DIGITS_THRESHOLD);
    ts->interp->int_max_str_digits = n;
    return gs_newref(ts, GS_NONE);
}

MODFUNC(sys_get_int_max_str_digits)
{
    return gs_int_new(ts, ts->interp->int_max_str_digits);
}

MODFUNC(sys_intern)
{
    if (gs_check_nargs(ts, "intern", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "intern() argument must be str");
    return gs_str_intern(ts, gs_newref(ts, args[0]));
}

/* sys.setswitchinterval(s): the new GIL's interval, CPython's checks. */
MODFUNC(sys_setswitchinterval)
{
    if (gs_check_nargs(ts, "setswitchinterval", nargs, 1, 1) < 0)
        return NULL;
    double s;
    if (GS_IS_INT(args[0]))
        s = (double)gs_int_value(args[0]);
    else if (GS_IS_FLOAT(args[0]))
        s = gs_float_value(args[0]);
    else
        return gs_err_set(ts, &gs_exc_TypeError, "must be real number, not %s",
                          args[0]->type->name);
    if (!(s > 0))
        return gs_err_set(ts, &gs_exc_ValueError, "switch interval must be strictly positive");
    /* CPython converts to microseconds unchecked (1e300 gives 0.0 back);
     * gilscope keeps uint64 ns (at most 584 years): refuse well before. */
    if (s > 1e10)
        return gs_err_set(ts, &gs_exc_OverflowError,
                          "switch interval too large for gilscope (at most 1e10 seconds)");
    ts->interp->opt.switch_interval = s;
    /* CPython stores microseconds; 1e-7 becomes 0 us and then means 1 us.
     * Waiters read the interval under the GIL's mutex: write it there. */
    uint64_t us = (uint64_t)(s * 1e6);
    GsGil *g = ts->interp->gil;
    GsPlatform *p = ts->interp->platform;
    p->lock(p, g->mutex);
    g->interval_ns = (us ? us : 1) * 1000;
    p->unlock(p, g->mutex);
    return gs_newref(ts, GS_NONE);
}

MODFUNC(sys_getswitchinterval)
{
    GsGil *g = ts->interp->gil;
    GsPlatform *p = ts->interp->platform;
    p->lock(p, g->mutex);
    uint64_t ns = g->interval_ns;
    p->unlock(p, g->mutex);
    return gs_float_new(ts, (double)(ns / 1000) / 1e6);
}

/* sys.setcheckinterval(n): the old GIL's tick count (2.7; it also resets
 * the ticker, as 2.7 does). */
MODFUNC(sys_setcheckinterval)
{
    if (gs_check_nargs(ts, "setcheckinterval", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_INT(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "an integer is required");
    int64_t n = gs_int_value(args[0]);
    GsGil *g = ts->interp->gil;
    g->check_interval = n < 0 ? 0 : n > 1000000000 ? 1000000000 : (int)n;
    g->ticker = g->check_interval;
    ts->interp->opt.check_interval = g->check_interval;
    return gs_newref(ts, GS_NONE);
}

MODFUNC(sys_getcheckinterval)
{
    return gs_int_new(ts, ts->interp->gil->check_interval);
}

static const GsMethodDef sys_functions[] = {
    { "exc_info", sys_exc_info },
    { "setswitchinterval", sys_setswitchinterval },
    { "getswitchinterval", sys_getswitchinterval },
    { "setcheckinterval", sys_setcheckinterval },
    { "getcheckinterval", sys_getcheckinterval },
    { "getrefcount", sys_getrefcount }, { "getsizeof", sys_getsizeof }, { "exit", sys_exit },
    { "getrecursionlimit", sys_getrecursionlimit },
    { "setrecursionlimit", sys_setrecursionlimit }, { "intern", sys_intern },
    { "set_int_max_str_digits", sys_set_int_max_str_digits },
    { "get_int_max_str_digits", sys_get_int_max_str_digits },
    { NULL, NULL },
};

static GsObject *make_sys(GsThread *ts)
{
    GsObject *m = gs_module_from_defs(ts, "sys", sys_functions);
    if (!m)
        return NULL;
    GsInterp *in = ts->interp;
    int r = gs_dict_set_c(ts, ((GsModule *)m)->dict, "argv", in->argv);
    r |= gs_dict_set_c(ts, ((GsModule *)m)->dict, "modules", in->modules);
    if (!in->path && gs_import_init_path(ts, "") < 0)   /* no program file: as `python -c` */
        r = -1;
    else
        r |= gs_dict_set_c(ts, ((GsModule *)m)->dict, "path", in->path);
    GsObject *out = stream_new(ts, false), *err = stream_new(ts, true);
    r |= out ? gs_dict_set_c(ts, ((GsModule *)m)->dict, "stdout", out) : -1;
    r |= out ? gs_dict_set_c(ts, ((GsModule *)m)->dict, "__stdout__", out) : -1;
    r |= err ? gs_dict_set_c(ts, ((GsModule *)m)->dict, "stderr", err) : -1;
    r |= err ? gs_dict_set_c(ts, ((GsModule *)m)->dict, "__stderr__", err) : -1;
    gs_xdecref(ts, out);
    gs_xdecref(ts, err);
    r |= set_value(ts, m, "maxsize", gs_int_new(ts, INT64_MAX));
    r |= set_value(ts, m, "platform", gs_str_from(ts, "linux"));
    r |= set_value(ts, m, "implementation_name", gs_str_from(ts, "gilscope"));
    r |= set_value(ts, m, "version", gs_str_printf(ts, "%s (gilscope, imitating CPython %s)",
                                                   in->opt.cpython, in->opt.cpython));
    if (r < 0) {
        gs_decref(ts, m);
        return NULL;
    }
    return m;
}

/* ---- time -------------------------------------------------------------------- */

/* The clocks read the platform's: on the simulated clock (--clock sim)
 * they tell virtual time, and the wall clock starts at its epoch. */
static int64_t wall_ns(GsThread *ts)
{
    GsPlatform *p = ts->interp->platform;
    if (p->wall_epoch_ns)
        return (int64_t)(p->wall_epoch_ns + p->now_ns(p));
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t monotonic_ns(GsThread *ts)
{
    GsPlatform *p = ts->interp->platform;
    return (int64_t)p->now_ns(p);
}

MODFUNC(time_time)
{
    return gs_float_new(ts, (double)wall_ns(ts) * 1e-9);
}

MODFUNC(time_perf_counter)
{
    return gs_float_new(ts, (double)monotonic_ns(ts) * 1e-9);
}

MODFUNC(time_perf_counter_ns)
{
    return gs_int_new(ts, monotonic_ns(ts));
}

MODFUNC(time_time_ns)
{
    return gs_int_new(ts, wall_ns(ts));
}

/* time.sleep: sleeps in short slices so that --timeout and Ctrl-C are
 * noticed promptly.  (With threads, it will release the GIL.) */
MODFUNC(time_sleep)
{
    if (gs_check_nargs(ts, "sleep", nargs, 1, 1) < 0)
        return NULL;
    /* CPython's checks and messages: inf and 1e11 are OverflowError, NaN
     * and negative values ValueError -- never a sleep of the wrong length. */
    int64_t ns;
    if (gs_seconds_to_ns(ts, args[0], &ns) < 0)
        return NULL;
    if (ns < 0)
        return gs_err_set(ts, &gs_exc_ValueError, "sleep length must be non-negative");
    /* A blocking call: let the other threads run meanwhile. */
    GsPlatform *p = ts->interp->platform;
    uint64_t start = p->now_ns(p);
    gs_ev_io_begin(ts, "sleep");
    gs_begin_allow_threads(ts, GS_REL_sleep);
    /* In slices, so that a stop ends the sleep early -- and Ctrl-C too, but
     * only in the main thread, where KeyboardInterrupt is delivered. */
    for (uint64_t end = start + (uint64_t)ns;;) {   /* both < 2**63: no wrap */
        int stop = atomic_load(&ts->interp->stop_reason);
        if ((stop != GS_STOP_NONE && stop != GS_STOP_INTERRUPT) ||
            (stop == GS_STOP_INTERRUPT && ts->tid == 0))
            break;
        uint64_t now = p->now_ns(p);
        if (now >= end)
            break;
        p->sleep_ns(p, end - now < 20000000 ? end - now : 20000000, NULL);
    }
    gs_end_allow_threads(ts);
    gs_ev_io_end(ts, "sleep", (int64_t)(p->now_ns(p) - start));
    return gs_newref(ts, GS_NONE);
}

static const GsMethodDef time_functions[] = {
    { "time", time_time }, { "perf_counter", time_perf_counter },
    { "monotonic", time_perf_counter }, { "perf_counter_ns", time_perf_counter_ns },
    { "monotonic_ns", time_perf_counter_ns }, { "time_ns", time_time_ns },
    { "sleep", time_sleep }, { NULL, NULL },
};

/* ---- gc ------------------------------------------------------------------------ */


/* ---- dis -------------------------------------------------------------------------- */

/* dis.dis(x): a function, method, class body code or code object; like
 * CPython 3.9, nested code objects are disassembled too. */
MODFUNC(dis_dis)
{
    if (gs_check_nargs(ts, "dis", nargs, 1, 1) < 0)
        return NULL;
    GsObject *x = args[0];
    if (x->type == &gs_method_type)
        x = ((GsMethod *)x)->func;
    if (x->type == &gs_function_type)
        x = ((GsFunction *)x)->code;
    if (x->type != &gs_code_type)
        return gs_err_set(ts, &gs_exc_TypeError, "don't know how to disassemble %s objects",
                          x->type->name);
    GsBuf b;
    gs_buf_init(&b);
    if (gs_dis_code(ts, &b, (GsCode *)x, true) < 0) {
        gs_buf_free(&b);
        return NULL;
    }
    fwrite(b.data ? b.data : "", 1, b.len, ts->interp->out);
    gs_buf_free(&b);
    return gs_newref(ts, GS_NONE);
}

static const GsMethodDef dis_functions[] = { { "dis", dis_dis }, { NULL, NULL } };

/* ---- math --------------------------------------------------------------------------- */

static int to_double(GsThread *ts, GsObject *x, double *out)
{
    if (GS_IS_INT(x))
        return gs_int_to_double(ts, x, out);   /* OverflowError past the largest double */
    else if (GS_IS_FLOAT(x))
        *out = gs_float_value(x);
    else {
        gs_err_set(ts, &gs_exc_TypeError, "must be real number, not %s", x->type->name);
        return -1;
    }
    return 0;
}

MODFUNC(math_sqrt)
{
    double d;
    if (gs_check_nargs(ts, "sqrt", nargs, 1, 1) < 0 || to_double(ts, args[0], &d) < 0)
        return NULL;
    if (d < 0)
        return gs_err_set(ts, &gs_exc_ValueError, "math domain error");
    return gs_float_new(ts, sqrt(d));
}

static GsObject *round_to_int(GsThread *ts, GsObject *const *args, size_t nargs, double (*fn)(double),
                              const char *name)
{
    double d;
    if (gs_check_nargs(ts, name, nargs, 1, 1) < 0)
        return NULL;
    if (args[0]->type == &gs_int_type)
        return gs_newref(ts, args[0]);
    if (GS_IS_INT(args[0]))
        return gs_int_new(ts, gs_int_value(args[0]));   /* a bool */
    if (to_double(ts, args[0], &d) < 0)
        return NULL;
    return gs_int_from_double(ts, fn(d));   /* inf, NaN, past int64: raises */
}

MODFUNC(math_floor) { return round_to_int(ts, args, nargs, floor, "floor"); }
MODFUNC(math_ceil) { return round_to_int(ts, args, nargs, ceil, "ceil"); }
MODFUNC(math_trunc) { return round_to_int(ts, args, nargs, trunc, "trunc"); }

static const GsMethodDef math_functions[] = {
    { "sqrt", math_sqrt }, { "floor", math_floor }, { "ceil", math_ceil },
    { "trunc", math_trunc }, { NULL, NULL },
};

/* ---- os: the little the scenarios need ------------------------------------------------------ */

MODFUNC(os_remove)
{
    if (gs_check_nargs(ts, "remove", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "remove: path should be string, not %s",
                          args[0]->type->name);
    uv_fs_t req;
    gs_begin_allow_threads(ts, GS_REL_io);
    int r = uv_fs_unlink(NULL, &req, gs_str_cstr(args[0]), NULL);
    uv_fs_req_cleanup(&req);
    gs_end_allow_threads(ts);
    if (r < 0)
        return gs_err_set(ts, r == UV_ENOENT ? &gs_exc_FileNotFoundError : &gs_exc_OSError,
                          "[Errno %d] %s: '%s'", -r,
                          r == UV_ENOENT ? "No such file or directory" : uv_strerror(r),
                          gs_str_cstr(args[0]));
    return gs_newref(ts, GS_NONE);
}

MODFUNC(os_getpid) { return gs_int_new(ts, (int64_t)uv_os_getpid()); }

MODFUNC(os_getcwd)
{
    char buf[4096];
    size_t n = sizeof buf;
    if (uv_cwd(buf, &n) < 0)
        return gs_err_set(ts, &gs_exc_OSError, "getcwd failed");
    return gs_str_new(ts, buf, n);
}

static const GsMethodDef os_functions[] = {
    { "remove", os_remove }, { "unlink", os_remove }, { "getpid", os_getpid },
    { "getcwd", os_getcwd }, { NULL, NULL },
};

/* ---- the registry ------------------------------------------------------------------------ */

GsObject *gs_module_new_builtin(GsThread *ts, const char *name)
{
    if (strcmp(name, "sys") == 0)
        return make_sys(ts);
    if (strcmp(name, "time") == 0)
        return gs_module_from_defs(ts, "time", time_functions);
    if (strcmp(name, "gc") == 0)
        return gs_gc_module_new(ts);
    if (strcmp(name, "dis") == 0)
        return gs_module_from_defs(ts, "dis", dis_functions);
    if (strcmp(name, "math") == 0) {
        GsObject *m = gs_module_from_defs(ts, "math", math_functions);
        if (m && (set_value(ts, m, "pi", gs_float_new(ts, M_PI)) < 0 ||
                  set_value(ts, m, "e", gs_float_new(ts, M_E)) < 0 ||
                  set_value(ts, m, "inf", gs_float_new(ts, INFINITY)) < 0)) {
            gs_decref(ts, m);
            return NULL;
        }
        return m;
    }
    if (strcmp(name, "os") == 0)
        return gs_module_from_defs(ts, "os", os_functions);
    if (strcmp(name, "_thread") == 0)
        return gs_thread_module_new(ts);
    if (strcmp(name, "builtins") == 0) {
        GsObject *b = gs_dict_get_c(ts, ts->interp->modules, "builtins");
        return b ? gs_newref(ts, b) : NULL;
    }
    return NULL;
}
