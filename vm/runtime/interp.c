/*
 * interp.c -- creating and tearing down an interpreter, running a program
 * file as __main__, and printing uncaught exceptions the way CPython does.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "eval.h"
#include "objects/bigint.h"

/* ---- options ---------------------------------------------------------------- */

void gs_options_default(GsOptions *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->cpython = "3.12";
    opt->sched = GS_SCHED_311;
    opt->policy = GS_POLICY_interval;
    opt->check_interval = 100;
    opt->switch_interval = 0.005;
    opt->recursion_limit = 1000;
    opt->deadlock_wait = 1.0;
    gs_sim_params_default(&opt->sim);
}

/* ---- what the GIL reports ---------------------------------------------------
 * The GIL (gil.c) knows a thread only as the GsGilThread inside its
 * GsThread; its events become trace events here. */

static GsThread *thread_of(GsGilThread *t)
{
    return (GsThread *)((char *)t - offsetof(GsThread, gil));
}

static void on_gil_event(void *ctx, GsGilThread *t, GsGilEvent ev, int other, int64_t ns)
{
    GsInterp *in = ctx;
    GsThread *ts = thread_of(t);
    switch (ev) {
    case GS_GIL_REQUEST: gs_ev_gil_request(ts, other); return;
    case GS_GIL_RETRY: gs_ev_gil_retry(ts, other); return;
    case GS_GIL_DROP_REQUEST: gs_ev_gil_drop_request(ts, other); return;
    case GS_GIL_ACQUIRE: gs_ev_gil_acquire(ts, ns); return;
    case GS_GIL_RELEASE:
        in->total_checks += t->checks;   /* still under the GIL */
        gs_ev_checks(ts, t->checks);
        gs_ev_gil_release(ts, (GsReleaseReason)other, ns);
        return;
    case GS_GIL_PARK:   /* the recorder's writer need not wait for it now */
        if (in->trace_park)
            in->trace_park(in->trace_ctx, ts);
        return;
    }
}

int gs_options_set_cpython(GsOptions *opt, const char *version)
{
    const GsCpythonVersion *v = gs_cpython_find(version);
    if (!v)
        return -1;
    opt->cpython = v->version;
    opt->sched = v->rules;
    opt->policy = gs_policy_find(v->policy);
    return 0;
}

/* ---- threads -------------------------------------------------------------------- */

void gs_thread_init(GsThread *ts, GsInterp *interp, int tid)
{
    memset(ts, 0, sizeof *ts);
    ts->interp = interp;
    ts->tid = tid;
    ts->gil.tid = tid;
    /* The fetch trap stops the run when the count is 0 before an
     * instruction: N lets exactly N run (eval.c). */
    ts->instr_left = interp->opt.max_instructions > 0 ? interp->opt.max_instructions : INT64_MAX;
    ts->fuel = INT64_MAX;
}

/* ---- built-in type dictionaries ---------------------------------------------------
 * The static types are shared by every interpreter in the process, like
 * CPython's; their method tables become dicts once, and those dicts and
 * their contents are made immortal and left out of the collector. */

static GsType *const static_types[] = {
    &gs_type_type, &gs_object_type, &gs_none_type, &gs_bool_type, &gs_int_type,
    &gs_float_type, &gs_str_type, &gs_bytes_type, &gs_tuple_type, &gs_list_type,
    &gs_dict_type, &gs_range_type, &gs_slice_type, &gs_function_type, &gs_code_type,
    &gs_method_type, &gs_cfunction_type, &gs_module_type, &gs_cell_type, &gs_iter_type,
    &gs_dictview_type, &gs_set_type, &gs_frozenset_type, &gs_setiter_type, &gs_gen_type,
    &gs_property_type, &gs_staticmethod_type, &gs_classmethod_type, &gs_member_type,
    &gs_getset_type, &gs_exc_BaseException,
    &gs_coro_type, &gs_coro_wrapper_type, &gs_asyncgen_type, &gs_asend_type, &gs_athrow_type,
    &gs_asyncgen_wrapped_type,
};

static void immortalize(GsThread *ts, GsObject *o)
{
    if (o->type->flags & GS_TPFLAG_GC)
        gs_gc_untrack(ts, o);
    o->refcnt = GS_IMMORTAL_REFCNT;
}

static int fill_type_dict(GsThread *ts, GsType *t)
{
    GsObject *d = gs_dict_new(ts);
    if (!d)
        return -1;
    for (const GsMethodDef *m = t->methods; m && m->name; m++) {
        GsObject *name = gs_str_intern_c(ts, m->name);
        GsObject *fn = name ? gs_cfunction_new(ts, m->name, m->fn, NULL) : NULL;
        if (!fn)
            return -1;
        ((GsCFunction *)fn)->owner = t;
        immortalize(ts, fn);
        /* As in CPython, __new__ is a static method (it is given the class
         * to make an instance of, and checks it itself) and __prepare__ a
         * class method, and so is __init_subclass__. */
        GsType *wrapper = strcmp(m->name, "__new__") == 0 ? &gs_staticmethod_type
                        : strcmp(m->name, "__prepare__") == 0 || strcmp(m->name, "__init_subclass__") == 0
                            ? &gs_classmethod_type : NULL;
        if (wrapper) {
            ((GsCFunction *)fn)->owner = NULL;
            GsObject *w = gs_call(ts, (GsObject *)wrapper, &fn, 1, NULL);
            gs_decref(ts, fn);
            if (!w)
                return -1;
            fn = w;
            immortalize(ts, fn);
        }
        if (gs_dict_set(ts, d, name, fn) < 0)
            return -1;
        immortalize(ts, name);
        gs_decref(ts, fn);
    }
    GsObject *mod = gs_str_intern_c(ts, "builtins");
    if (!mod || gs_dict_set(ts, d, GS_NAME(ts, __module__), mod) < 0)
        return -1;
    immortalize(ts, mod);
    immortalize(ts, d);
    t->dict = d;
    return 0;
}

/* dict.fromkeys(iterable, value=None): a class method, so it is stored
 * bound to the dict type itself. */
static GsObject *dict_fromkeys(GsThread *ts, GsObject *type, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "fromkeys", kwnames) < 0 ||
        gs_check_nargs(ts, "fromkeys", nargs, 1, 2) < 0)
        return NULL;
    GsObject *value = nargs == 2 ? args[1] : GS_NONE;
    GsObject *d = gs_dict_new(ts), *it = d ? gs_getiter(ts, args[0]) : NULL, *k;
    if (!it) {
        gs_xdecref(ts, d);
        return NULL;
    }
    while ((k = gs_iternext(ts, it))) {
        int r = gs_dict_set(ts, d, k, value);
        gs_decref(ts, k);
        if (r < 0)
            break;
    }
    gs_decref(ts, it);
    if (gs_err_occurred(ts)) {
        gs_decref(ts, d);
        return NULL;
    }
    return d;
}

static int init_static_types(GsThread *ts)
{
    static bool done;
    if (done)
        return 0;
    done = true;
    for (size_t i = 0; i < sizeof static_types / sizeof static_types[0]; i++)
        if (fill_type_dict(ts, static_types[i]) < 0)
            return -1;
    for (int i = 0; gs_thread_types[i]; i++)
        if (fill_type_dict(ts, gs_thread_types[i]) < 0)
            return -1;
    if (fill_type_dict(ts, gs_file_type) < 0 || fill_type_dict(ts, gs_std_stream_type) < 0)
        return -1;
    GsObject *fk = gs_cfunction_new(ts, "fromkeys", dict_fromkeys, (GsObject *)&gs_dict_type);
    if (!fk || gs_dict_set_c(ts, gs_dict_type.dict, "fromkeys", fk) < 0)
        return -1;
    immortalize(ts, fk);
    gs_decref(ts, fk);
    GsObject *fb = gs_cfunction_new(ts, "from_bytes", gs_int_from_bytes_cfunc,
                                    (GsObject *)&gs_int_type);
    if (!fb || gs_dict_set_c(ts, gs_int_type.dict, "from_bytes", fb) < 0)
        return -1;
    immortalize(ts, fb);
    gs_decref(ts, fb);
#define GS_X_FILL(name, base) \
    if (!gs_exc_##name.dict && fill_type_dict(ts, &gs_exc_##name) < 0) \
        return -1;
    GS_EXC_TYPES(GS_X_FILL)
#undef GS_X_FILL
    return 0;
}

/* ---- the interpreter ---------------------------------------------------------------- */

GsInterp *gs_interp_new(const GsOptions *opt)
{
    gs_types_init();
    GsInterp *interp = calloc(1, sizeof *interp);
    if (!interp)
        return NULL;
    interp->opt = *opt;
    interp->out = stdout;
    interp->int_max_str_digits = GS_INT_MAX_STR_DIGITS;
    interp->platform = opt->sim_clock ? gs_platform_sim(&opt->sim) : gs_platform_real();
    if (!interp->platform) {
        free(interp);
        return NULL;
    }
    interp->trace_t0 = interp->platform->now_ns(interp->platform);
    GsGilHooks hooks = { on_gil_event, interp };
    interp->gil = gs_gil_new(interp->platform, opt->policy, opt->check_interval,
                             (uint64_t)(opt->switch_interval * 1e9), &interp->eval_breaker, hooks);
    if (!interp->gil) {
        free(interp);
        return NULL;
    }
    if (gs_waits_init(interp) < 0) {
        gs_gil_free(interp->gil);
        free(interp);
        return NULL;
    }
    gs_gc_init(&interp->gc);
    GsThread boot;
    gs_thread_init(&boot, interp, 0);
    GsThread *ts = &boot;
    if (!(interp->interned = gs_dict_new(ts)))
        goto fail;
    static const char *const name_strings[GS_N_COUNT] = {
#define GS_X_NAME_STR(n) #n,
        GS_COMMON_NAMES(GS_X_NAME_STR)
#undef GS_X_NAME_STR
    };
    for (int i = 0; i < GS_N_COUNT; i++)
        if (!(interp->names[i] = gs_str_intern_c(ts, name_strings[i])))
            goto fail;
    if (!(interp->empty_tuple = gs_tuple_new(ts, 0)) || !(interp->modules = gs_dict_new(ts)) ||
        !(interp->argv = gs_list_new(ts, 0)) || !(interp->source_lines = gs_dict_new(ts)))
        goto fail;
    if (init_static_types(ts) < 0 || gs_builtins_init(ts) < 0)
        goto fail;
    gs_thread_fini(ts);
    return interp;
fail:
    fprintf(stderr, "gilscope: could not create the interpreter\n");
    gs_waits_free(interp);
    gs_gil_free(interp->gil);
    free(interp);
    return NULL;
}

/* Break the cycles CPython breaks at exit (module dicts), then let the
 * collector free what is left. */
static void clear_dict(GsThread *ts, GsObject *d)
{
    if (d && d->type->clear)
        d->type->clear(ts, d);
}

/* The end of the program, as CPython 3.9's Py_FinalizeEx sees it, in the
 * main thread once the others have ended:
 *
 *   1. a full collection, if the collector is enabled (gc.callbacks see
 *      it), while __main__ is still alive;
 *   2. __main__ leaves sys.modules and dies, dropping its dict.  If
 *      nothing else holds the dict, its values die in dict order.  But a
 *      function or a class defined in __main__ refers back to the dict
 *      (__globals__), so usually the dict is part of a cycle: then
 *   3. a collection (no callbacks) finds it and everything only it kept
 *      alive, and calls their finalizers (`__del__`) in the order of the
 *      collector's lists -- the order step 1 left them in, which is why
 *      step 1 matters to what the program prints last.
 *
 * The module object itself stays (the tracer and gs_interp_free still
 * look at it) with a fresh empty dict, as if the one CPython made
 * afresh. */
void gs_finalize_main(GsThread *ts)
{
    GsObject *m = ts->interp->main_module;
    if (!m || m->type != &gs_module_type)
        return;
    if (ts->interp->gc.enabled)
        gs_gc_collect(ts, GS_GC_NGENS - 1);
    GsModule *mod = (GsModule *)m;
    GsObject *fresh = gs_dict_new(ts);
    if (!fresh) {
        gs_err_clear(ts);
        clear_dict(ts, mod->dict);
        return;
    }
    GsObject *callbacks = ts->interp->gc.callbacks;
    ts->interp->gc.callbacks = NULL;     /* CPython's last collections run none */
    gs_setref(ts, &mod->dict, fresh);
    gs_gc_collect(ts, GS_GC_NGENS - 1);
    ts->interp->gc.callbacks = callbacks;
}

void gs_interp_free(GsInterp *interp)
{
    if (!interp)
        return;
    interp->tearing_down = true;
    GsThread boot;
    gs_thread_init(&boot, interp, 0);
    GsThread *ts = &boot;
    size_t pos = 0;
    GsObject *k, *m;
    while (interp->modules && gs_dict_next(interp->modules, &pos, &k, &m))
        if (m->type == &gs_module_type)
            clear_dict(ts, ((GsModule *)m)->dict);
    clear_dict(ts, interp->builtins);
    gs_gc_fini(ts);
    gs_gc_collect(ts, GS_GC_NGENS - 1);
    GsObject **refs[] = { &interp->main_module, &interp->modules, &interp->builtins,
                          &interp->argv, &interp->path, &interp->source_lines,
                          &interp->empty_tuple, &interp->empty_frozenset,
                          &interp->warnings_shown };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        GsObject *o = *refs[i];
        *refs[i] = NULL;
        gs_xdecref(ts, o);
    }
    gs_gc_collect(ts, GS_GC_NGENS - 1);
    for (int i = 0; i < GS_N_COUNT; i++)
        gs_xdecref(ts, interp->names[i]);
    /* Interned strings used by the static types' dicts are immortal and
     * stay; the rest go with the table. */
    if (getenv("GS_DEBUG_INTERNED")) {
        size_t p = 0;
        GsObject *k2, *v2;
        while (gs_dict_next(interp->interned, &p, &k2, &v2))
            if (k2->refcnt > 2 && k2->refcnt < GS_IMMORTAL_REFCNT / 2)
                fprintf(stderr, "interned %s refcnt %ld\n", gs_str_cstr(k2), (long)k2->refcnt);
    }
    clear_dict(ts, interp->interned);
    gs_xdecref(ts, interp->interned);
    gs_thread_fini(ts);
    gs_gil_free(interp->gil);
    while (interp->free_numbers) {
        GsObject *o = interp->free_numbers;
        interp->free_numbers = (GsObject *)o->type;
        free(o);
    }
    gs_waits_free(interp);
    if (interp->platform->destroy)
        interp->platform->destroy(interp->platform);
    free(interp);
}

/* ---- printing uncaught exceptions ---------------------------------------------------- */

static GsObject *source_line(GsThread *ts, GsObject *filename, int line)
{
    GsObject *lines = gs_dict_get(ts, ts->interp->source_lines, filename);
    if (!lines || line < 1 || (size_t)line > ((GsList *)lines)->len)
        return NULL;
    return ((GsList *)lines)->items[line - 1];
}

static void print_source_line(GsThread *ts, FILE *err, GsObject *filename, int line)
{
    gs_print_source_line(ts, err, filename, line, "    ");
}

void gs_print_source_line(GsThread *ts, FILE *err, GsObject *filename, int line,
                          const char *indent)
{
    GsObject *text = source_line(ts, filename, line);
    if (!text)
        return;
    const char *s = gs_str_cstr(text);
    while (*s == ' ' || *s == '\t' || *s == '\f')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        n--;
    fprintf(err, "%s%.*s\n", indent, (int)n, s);
}

/* "ZeroDivisionError: division by zero"; a class from another module is
 * qualified, "__main__.MyError: boom" included (CPython's PyErr_Display
 * omits only "builtins"). */
static void print_exception_line(GsThread *ts, FILE *err, GsObject *exc)
{
    GsType *t = exc->type;
    GsObject *mod = t->dict ? gs_dict_get(ts, t->dict, GS_NAME(ts, __module__)) : NULL;
    if (mod && GS_IS_STR(mod) && strcmp(gs_str_cstr(mod), "builtins") != 0)
        fprintf(err, "%s.", gs_str_cstr(mod));
    GsObject *s = gs_str(ts, exc);
    if (!s) {
        gs_err_clear(ts);
        fprintf(err, "%s: <exception str() failed>\n", t->name);
        return;
    }
    if (((GsStr *)s)->nbytes == 0)
        fprintf(err, "%s\n", t->name);
    else
        fprintf(err, "%s: %s\n", t->name, gs_str_cstr(s));
    gs_decref(ts, s);
}

static GsObject *exc_attr(GsThread *ts, GsObject *exc, GsNameId id)
{
    GsObject *d = ((GsInstance *)exc)->dict;
    return d ? gs_dict_get(ts, d, ts->interp->names[id]) : NULL;
}

/* SyntaxError: the file and line, the text, a caret under the column. */
static void print_syntax_error(GsThread *ts, FILE *err, GsObject *exc)
{
    GsObject *fn = exc_attr(ts, exc, GS_N_filename), *ln = exc_attr(ts, exc, GS_N_lineno);
    GsObject *off = exc_attr(ts, exc, GS_N_offset), *text = exc_attr(ts, exc, GS_N_text);
    GsObject *msg = exc_attr(ts, exc, GS_N_msg);
    if (fn && ln && GS_IS_STR(fn) && GS_IS_INT(ln))
        fprintf(err, "  File \"%s\", line %lld\n", gs_str_cstr(fn), (long long)gs_int_value(ln));
    if (text && GS_IS_STR(text)) {
        const char *s = gs_str_cstr(text);
        int skipped = 0;
        while (*s == ' ' || *s == '\t' || *s == '\f') {
            s++;
            skipped++;
        }
        size_t n = strlen(s);
        while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
            n--;
        fprintf(err, "    %.*s\n", (int)n, s);
        if (off && GS_IS_INT(off)) {
            int col = (int)gs_int_value(off) - 1 - skipped;
            if (col < 0)
                col = 0;
            if ((size_t)col > n)
                col = (int)n;
            fprintf(err, "    %*s^\n", col, "");
        }
    }
    fprintf(err, "%s: %s\n", exc->type->name,
            msg && GS_IS_STR(msg) ? gs_str_cstr(msg) : "invalid syntax");
}

static void print_one(GsThread *ts, FILE *err, GsObject *exc, int depth)
{
    GsException *e = (GsException *)exc;
    if (depth < 10) {
        if (e->cause && gs_is_exception(e->cause)) {
            print_one(ts, err, e->cause, depth + 1);
            fprintf(err, "\nThe above exception was the direct cause of the following "
                         "exception:\n\n");
        } else if (e->context && gs_is_exception(e->context) && !e->suppress_context) {
            print_one(ts, err, e->context, depth + 1);
            fprintf(err, "\nDuring handling of the above exception, another exception "
                         "occurred:\n\n");
        }
    }
    GsList *tb = (GsList *)e->traceback;
    if (tb && tb->len > 0) {
        fprintf(err, "Traceback (most recent call last):\n");
        /* Entries were added innermost first, as the exception unwound. */
        for (size_t i = tb->len; i-- > 0;) {
            GsTuple *entry = (GsTuple *)tb->items[i];
            int line = (int)gs_int_value(entry->items[1]);
            fprintf(err, "  File \"%s\", line %d, in %s\n", gs_str_cstr(entry->items[0]), line,
                    gs_str_cstr(entry->items[2]));
            print_source_line(ts, err, entry->items[0], line);
        }
    }
    if (gs_type_is_subtype(exc->type, &gs_exc_SyntaxError))
        print_syntax_error(ts, err, exc);
    else
        print_exception_line(ts, err, exc);
}

void gs_print_exception(GsThread *ts, GsObject *exc)
{
    FILE *err = gs_stderr_file(ts);
    if (!err)
        return;   /* sys.stderr = None: CPython prints nothing either */
    fflush(ts->interp->out);
    print_one(ts, err, exc, 0);
    fflush(err);
}

/* ---- running a program ------------------------------------------------------------------ */

int gs_remember_source(GsThread *ts, const char *path, const char *source)
{
    GsObject *lines = gs_list_new(ts, 0), *fn = gs_str_from(ts, path);
    int r = -1;
    if (!lines || !fn)
        goto done;
    for (const char *p = source; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        GsObject *l = gs_str_new(ts, p, n);
        if (!l || gs_list_append(ts, lines, l) < 0) {
            gs_xdecref(ts, l);
            goto done;
        }
        gs_decref(ts, l);
        p += n;
    }
    r = gs_dict_set(ts, ts->interp->source_lines, fn, lines);
done:
    gs_xdecref(ts, lines);
    gs_xdecref(ts, fn);
    return r;
}

/* SystemExit's exit status: None -> 0, an int -> itself, else print it -> 1. */
static int system_exit_status(GsThread *ts, GsObject *exc)
{
    GsTuple *args = (GsTuple *)((GsException *)exc)->args;
    GsObject *code = args && args->len > 0 ? args->items[0] : GS_NONE;
    if (args && args->len > 1)
        code = (GsObject *)args;
    if (code == GS_NONE)
        return 0;
    if (GS_IS_INT(code))
        return (int)(gs_int_value(code) & 0xff);
    GsObject *s = gs_str(ts, code);
    /* Even with sys.stderr = None CPython prints this, to the process's. */
    FILE *err = gs_stderr_file(ts);
    fflush(ts->interp->out);
    if (s) {
        fprintf(err ? err : stderr, "%s\n", gs_str_cstr(s));
        gs_decref(ts, s);
    } else {
        gs_err_clear(ts);   /* str() of the code failed: CPython ignores that too */
    }
    return 1;
}

/* __main__: package is NULL for a script, the package of the module for
 * `run -m` (its __package__; "" for a top-level one). */
static GsObject *new_main_module(GsThread *ts, const char *path, GsObject *package)
{
    GsModule *m = (GsModule *)gs_alloc(ts, &gs_module_type, sizeof(GsModule));
    if (!m)
        return NULL;
    m->name = gs_newref(ts, GS_NAME(ts, __main__));
    m->dict = gs_dict_new(ts);
    GsObject *file = gs_str_from(ts, path);
    int r = -1;
    if (m->dict && file)
        r = gs_dict_set(ts, m->dict, GS_NAME(ts, __name__), m->name) |
            gs_dict_set(ts, m->dict, GS_NAME(ts, __file__), file) |
            gs_dict_set(ts, m->dict, GS_NAME(ts, __doc__), GS_NONE) |
            gs_dict_set(ts, m->dict, GS_NAME(ts, __builtins__), ts->interp->builtins) |
            (package ? gs_dict_set_c(ts, m->dict, "__package__", package) : 0) |
            gs_dict_set(ts, ts->interp->modules, m->name, (GsObject *)m);
    gs_xdecref(ts, file);
    if (r < 0) {
        gs_decref(ts, (GsObject *)m);
        return NULL;
    }
    return (GsObject *)m;
}

/* Run the program's code as __main__ and end the main thread: the exit
 * status.  Called with the GIL; source NULL: an exception is set instead
 * (it is reported as an uncaught one). */
static int run_main(GsThread *ts, const char *path, const char *source, GsObject *package)
{
    /* The file's bytes as UTF-8 (a Latin-1 file is translated): what the
     * compiler reads and what tracebacks quote. */
    char *text = source ? gs_source_decode(ts, source) : NULL;
    GsObject *code = !text || gs_remember_source(ts, path, text) < 0 ? NULL
                                                                     : gs_compile(ts, text, path);
    free(text);
    GsObject *result = NULL;
    if (code) {
        GsObject *m = new_main_module(ts, path, package);
        if (m) {
            ts->interp->main_module = m;
            result = gs_eval_code(ts, (GsCode *)code, ((GsModule *)m)->dict,
                                  ((GsModule *)m)->dict);
        }
        gs_decref(ts, code);
    }
    int status = result ? 0 : 1;
    gs_xdecref(ts, result);
    GsObject *exc = result ? NULL : gs_err_fetch(ts);
    int stop = atomic_load(&ts->interp->stop_reason);
    ts->interp->end_reason = !exc || gs_type_is_subtype(exc->type, &gs_exc_SystemExit) ? "exit"
                           : gs_type_is_subtype(exc->type, &gs_exc_KeyboardInterrupt) ? "interrupt"
                           : "exception";
    if (stop != GS_STOP_NONE && stop != GS_STOP_INTERRUPT)
        status = 3;   /* the caller explains the stop */
    else if (exc && gs_type_is_subtype(exc->type, &gs_exc_SystemExit))
        status = system_exit_status(ts, exc);
    else if (exc)
        gs_print_exception(ts, exc);
    gs_xdecref(ts, exc);
    /* Like CPython, wait for the other threads even after an error. */
    gs_main_thread_exit(ts);
    stop = atomic_load(&ts->interp->stop_reason);
    if (stop != GS_STOP_NONE && stop != GS_STOP_INTERRUPT && stop != GS_STOP_FINALIZE)
        status = 3;   /* stopped while waiting for the other threads */
    if (fflush(ts->interp->out) != 0)
        ts->interp->out_errno = errno;
    return status;
}


int gs_run_file(GsThread *ts, const char *path, const char *source)
{
    /* Everything, compiling included, happens under the GIL. */
    gs_main_thread_enter(ts);
    /* Since 3.9 the main program's file name is absolute (co_filename,
     * __file__, tracebacks); sys.argv[0] stays as given. */
    char *abs = realpath(path, NULL);
    if (abs)
        path = abs;
    /* sys.path[0]: the script's directory, its links resolved, as 3.9's. */
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup("");
    bool ok = dir && gs_import_init_path(ts, slash == path ? "/" : dir) == 0;
    free(dir);
    int status = run_main(ts, path, ok ? source : NULL, NULL);
    free(abs);
    return status;
}

int gs_run_module(GsThread *ts, const char *name)
{
    gs_main_thread_enter(ts);
    /* As `python -m`: sys.path[0] is the current directory, in full. */
    char cwd[4096];
    size_t n = sizeof cwd;
    GsObject *package = NULL;
    char *path = NULL, *source = NULL;
    bool missing = false;
    /* While the module is looked for (its packages run), sys.argv[0] is
     * "-m", as in CPython. */
    GsList *argv = (GsList *)ts->interp->argv;
    GsObject *dash_m = gs_str_from(ts, "-m");
    if (dash_m && argv->len > 0)
        gs_setref(ts, &argv->items[0], dash_m);
    else
        gs_xdecref(ts, dash_m);
    if (uv_cwd(cwd, &n) == 0 && gs_import_init_path(ts, cwd) == 0)
        path = gs_import_find_main(ts, name, &package, &missing);
    if (missing) {
        /* CPython's runpy says so in one line, without a traceback. */
        GsObject *exc = gs_err_fetch(ts);
        GsObject *msg = exc ? gs_str(ts, exc) : NULL;
        fflush(ts->interp->out);
        const char *text = msg ? gs_str_cstr(msg) : "module not found";
        if (strncmp(text, "No module named", 15) == 0)
            fprintf(stderr, "gilscope: %s\n", text);
        else
            fprintf(stderr, "gilscope: Error while finding module specification for '%s' "
                            "(ModuleNotFoundError: %s)\n", name, text);
        gs_xdecref(ts, msg);
        gs_xdecref(ts, exc);
        gs_err_clear(ts);
        gs_main_thread_exit(ts);
        return 1;
    }
    /* sys.argv[0]: the module's file, in full. */
    GsObject *argv0 = path ? gs_str_from(ts, path) : NULL;
    if (argv0 && argv->len > 0)
        gs_setref(ts, &argv->items[0], argv0);
    else
        gs_xdecref(ts, argv0);
    source = path ? gs_import_read_source(ts, path) : NULL;
    int status = run_main(ts, path ? path : name, source, package);
    free(source);
    free(path);
    gs_xdecref(ts, package);
    return status;
}
