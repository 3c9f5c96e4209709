/*
 * eval.c -- the eval loop: run a frame's bytecode.
 *
 * This is the one big function of gilscope, as in CPython and Lua; the
 * macros it uses are defined just above it and #undef'ed after.
 *
 * The loop is a classic stack machine.  Each instruction is two bytes,
 * an opcode and its argument; jumps are threaded with computed gotos
 * (GCC's `&&label`), one table entry per opcode number.
 *
 * THE SAFE POINT.  After an instruction, the loop may have to stop and let
 * something else happen: another thread wants the GIL, a --timeout
 * expired, Ctrl-C was pressed.  CPython does not look at every
 * instruction -- which instructions are followed by a check is exactly
 * what decides whether `self.count += 1` can be interrupted between its
 * read and its write.  gilscope imitates that per CPython version, and
 * the eval loop asks one place, sched_rules.h, after every instruction:
 * gs_sched_checks(rules, opcode, outcome) -- `outcome` tells a conditional
 * jump's result, 0 for everything else.  All checks go to the single
 * label `check:` below, which reads the interpreter's eval_breaker flag.
 * This is the only place where a running thread can be asked to let go.
 *
 * Separately, every instruction pays into one counter (THE FETCH TRAP,
 * below): the simulated clock's time, or the count by which
 * --max-instructions stops a runaway program after exactly N instructions,
 * callees included; with op tracing on, every instruction goes through the
 * trap that records it.
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"

/* ---- frames -------------------------------------------------------------------- */

/* FRAMES come from a small per-thread pool: a frame's size depends only
 * on its code (locals, cells, free variables, the deepest value stack), so
 * a finished call's frame fits the next call of the same size class --
 * recursive fib() allocates and frees one per call, and malloc with free
 * took a third of its time.  Each class holds frames of up to 8 * (class
 * + 1) slots; bigger frames, and frames past FRAME_POOL_MAX per class, go
 * straight back to malloc.  Unlike CPython's frame free list, the pool is
 * the thread's own (no lock, no GIL needed); a frame freed by another
 * thread than the one that made it simply joins that thread's pool. */
#define FRAME_POOL_MAX 32

static size_t frame_slots(GsCode *code, size_t *nvars)
{
    *nvars = (size_t)code->nvars;
    return (size_t)code->nslots;
}

/* The size class of a frame of nslots slots, or -1 if it is not pooled. */
static int frame_class(size_t nslots)
{
    size_t c = nslots / 8;
    return c < GS_FRAME_POOL_CLASSES ? (int)c : -1;
}

static inline __attribute__((always_inline)) GsFrame *frame_alloc(GsThread *ts, size_t nslots)
{
    int c = frame_class(nslots);
    GsFrame *f = c >= 0 ? ts->frame_pool[c] : NULL;
    if (f) {
        ts->frame_pool[c] = f->back;
        ts->frame_pool_len[c]--;
        return f;
    }
    size_t cap = c >= 0 ? 8 * ((size_t)c + 1) : nslots;
    return malloc(sizeof(GsFrame) + cap * sizeof(GsObject *));
}

/* Most functions have a few variables: clearing them with stores beats a
 * call of memset (which GCC makes of any clearing loop). */
static inline __attribute__((always_inline)) void clear_vars(GsObject **v, size_t n)
{
    switch (n) {
    case 4: v[3] = NULL; /* fall through */
    case 3: v[2] = NULL; /* fall through */
    case 2: v[1] = NULL; /* fall through */
    case 1: v[0] = NULL; /* fall through */
    case 0: break;
    default: memset(v, 0, n * sizeof *v);
    }
}

/* Inlined into each caller: a call is the eval loop's commonest costly
 * instruction, and these few lines are most of its price. */
static inline __attribute__((always_inline)) GsFrame *frame_new(GsThread *ts, GsCode *code,
                                                               GsObject *func,
                                                               GsObject *globals,
                                                               GsObject *locals)
{
    size_t nvars, nslots = frame_slots(code, &nvars);
    GsFrame *f = frame_alloc(ts, nslots);
    if (!f) {
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
        return NULL;
    }
    f->back = NULL;
    f->code = code;
    f->func = func;
    f->globals = globals;
    f->builtins = ts->interp->builtins;
    f->locals = locals ? gs_newref(ts, locals) : NULL;
    f->lasti = 0;
    f->nblocks = 0;
    f->resume = 0;
    f->suspended = false;
    clear_vars(f->localsplus, nvars);   /* the stack needs no clearing */
    f->stack = f->localsplus + nvars;
    f->sp = f->stack;
    return f;
}

static inline __attribute__((always_inline)) void frame_free(GsThread *ts, GsFrame *f)
{
    size_t n = (size_t)(f->stack - f->localsplus);
    for (size_t i = 0; i < n; i++)
        gs_xdecref(ts, f->localsplus[i]);
    while (f->sp > f->stack)
        gs_xdecref(ts, *--f->sp);
    gs_xdecref(ts, f->locals);
    size_t nvars;
    int c = frame_class(frame_slots(f->code, &nvars));
    if (c >= 0 && ts->frame_pool_len[c] < FRAME_POOL_MAX) {
        f->back = ts->frame_pool[c];
        ts->frame_pool[c] = f;
        ts->frame_pool_len[c]++;
        return;
    }
    free(f);
}

void gs_thread_fini(GsThread *ts)
{
    for (int c = 0; c < GS_FRAME_POOL_CLASSES; c++) {
        while (ts->frame_pool[c]) {
            GsFrame *f = ts->frame_pool[c];
            ts->frame_pool[c] = f->back;
            free(f);
        }
        ts->frame_pool_len[c] = 0;
    }
}

/* Cells for captured variables; free variables from the closure. */
static int frame_init_cells(GsThread *ts, GsFrame *f, GsObject *closure)
{
    GsCode *co = f->code;
    size_t ncells = ((GsTuple *)co->cellvars)->len, nfree = ((GsTuple *)co->freevars)->len;
    GsObject **cells = f->localsplus + co->nlocals;
    for (size_t i = 0; i < ncells; i++) {
        int arg = co->cell2arg[i];
        GsObject *v = arg >= 0 ? f->localsplus[arg] : NULL;
        if (!(cells[i] = gs_cell_new(ts, v)))
            return -1;
        if (arg >= 0) {
            /* The argument now lives only in its cell. */
            gs_decref(ts, f->localsplus[arg]);
            f->localsplus[arg] = NULL;
        }
    }
    for (size_t i = 0; i < nfree; i++)
        cells[ncells + i] = gs_newref(ts, ((GsTuple *)closure)->items[i]);
    return 0;
}

/* ---- argument binding (CPython's _PyEval_EvalCode, for our subset) ------------ */

/* CPython 3.9 names the function by its code's name in argument errors
 * ("__init__() missing ..."); 3.10 switched to the qualified name. */
static GsObject *fname(GsFunction *fn) { return ((GsCode *)fn->code)->name; }

static int missing_args(GsThread *ts, GsFunction *fn, GsFrame *f, int from, int to,
                        const char *kind)
{
    GsCode *co = f->code;
    GsBuf names;
    gs_buf_init(&names);
    int n = 0, count = 0;
    for (int i = from; i < to; i++)
        if (!f->localsplus[i])
            count++;
    for (int i = from; i < to; i++) {
        if (f->localsplus[i])
            continue;
        n++;
        if (n > 1)
            gs_buf_puts(&names, n == count ? (count > 2 ? ", and " : " and ") : ", ");
        gs_buf_printf(&names, "'%s'", gs_str_cstr(((GsTuple *)co->varnames)->items[i]));
    }
    gs_err_set(ts, &gs_exc_TypeError, "%s() missing %d required %s argument%s: %s",
               gs_str_cstr(fname(fn)), count, kind, count == 1 ? "" : "s",
               names.data ? names.data : "");
    gs_buf_free(&names);
    return -1;
}

/* A keyword that matches no parameter, with no **kwargs to take it: if
 * the call named positional-only parameters, CPython 3.9 lists them all
 * (positional_only_passed_as_keyword); otherwise "unexpected keyword". */
static int unexpected_keyword(GsThread *ts, GsFunction *fn, GsFrame *f, GsObject *name,
                              GsObject *kwnames)
{
    GsCode *co = f->code;
    GsTuple *vn = (GsTuple *)co->varnames, *kw = (GsTuple *)kwnames;
    GsBuf names;
    gs_buf_init(&names);
    for (int i = 0; i < co->posonlyargcount; i++)
        for (size_t k = 0; k < kw->len; k++)
            if (gs_str_eq(vn->items[i], kw->items[k])) {
                gs_buf_printf(&names, "%s%s", names.data && names.data[0] ? ", " : "",
                              gs_str_cstr(vn->items[i]));
                break;
            }
    if (names.data && names.data[0])
        gs_err_set(ts, &gs_exc_TypeError,
                   "%s() got some positional-only arguments passed as keyword arguments: '%s'",
                   gs_str_cstr(fname(fn)), names.data);
    else
        gs_err_set(ts, &gs_exc_TypeError, "%s() got an unexpected keyword argument '%s'",
                   gs_str_cstr(fname(fn)), gs_str_cstr(name));
    gs_buf_free(&names);
    return -1;
}

/* Binds name=value to its parameter; positional-only parameters are
 * skipped, so their names go to **kwargs, as in CPython. */
static int bind_keyword(GsThread *ts, GsFunction *fn, GsFrame *f, GsObject *name,
                        GsObject *value, GsObject *kwdict, GsObject *kwnames)
{
    GsCode *co = f->code;
    GsTuple *vn = (GsTuple *)co->varnames;
    int total = co->argcount + co->kwonlyargcount;
    for (int i = co->posonlyargcount; i < total; i++) {
        if (vn->items[i] == name || gs_str_eq(vn->items[i], name)) {
            if (f->localsplus[i]) {
                gs_err_set(ts, &gs_exc_TypeError, "%s() got multiple values for argument '%s'",
                           gs_str_cstr(fname(fn)), gs_str_cstr(name));
                return -1;
            }
            f->localsplus[i] = gs_newref(ts, value);
            return 0;
        }
    }
    if (kwdict)
        return gs_dict_set(ts, kwdict, name, value);
    return unexpected_keyword(ts, fn, f, name, kwnames);
}

/* CPython 3.9's too_many_positional: "f() takes 2 positional arguments but
 * 3 were given", and "3 positional arguments (and 1 keyword-only
 * argument) were given" when keyword-only ones were passed too. */
static int too_many_positional(GsThread *ts, GsFunction *fn, GsFrame *f, size_t given)
{
    GsCode *co = f->code;
    int argc = co->argcount, kwonly_given = 0;
    size_t ndef = fn->defaults ? ((GsTuple *)fn->defaults)->len : 0;
    char sig[64], kwonly[96] = "";
    for (int i = argc; i < argc + co->kwonlyargcount; i++)
        kwonly_given += f->localsplus[i] != NULL;
    if (ndef)
        snprintf(sig, sizeof sig, "from %zu to %d", argc - ndef, argc);
    else
        snprintf(sig, sizeof sig, "%d", argc);
    if (kwonly_given)
        snprintf(kwonly, sizeof kwonly, " positional argument%s (and %d keyword-only argument%s)",
                 given != 1 ? "s" : "", kwonly_given, kwonly_given != 1 ? "s" : "");
    gs_err_set(ts, &gs_exc_TypeError, "%s() takes %s positional argument%s but %zu%s %s given",
               gs_str_cstr(fname(fn)), sig, ndef || argc != 1 ? "s" : "", given, kwonly,
               given == 1 && !kwonly_given ? "was" : "were");
    return -1;
}

static int bind_args(GsThread *ts, GsFunction *fn, GsFrame *f, GsObject *const *args,
                     size_t nargs, GsObject *kwnames)
{
    GsCode *co = f->code;
    size_t nkw = kwnames ? ((GsTuple *)kwnames)->len : 0, npos = nargs - nkw;
    int argc = co->argcount, total = argc + co->kwonlyargcount;
    bool varargs = co->flags & GS_CO_VARARGS, varkw = co->flags & GS_CO_VARKEYWORDS;
    GsObject *kwdict = NULL;
    if (varkw) {
        if (!(kwdict = gs_dict_new(ts)))
            return -1;
        f->localsplus[total + varargs] = kwdict;
    }
    size_t n = npos < (size_t)argc ? npos : (size_t)argc;
    for (size_t i = 0; i < n; i++)
        f->localsplus[i] = gs_newref(ts, args[i]);
    if (varargs) {
        GsObject *rest = gs_tuple_new(ts, npos - n);
        if (!rest)
            return -1;
        for (size_t i = n; i < npos; i++)
            ((GsTuple *)rest)->items[i - n] = gs_newref(ts, args[i]);
        f->localsplus[total] = rest;
    }
    /* Keywords first: their errors win over too many positionals, and
     * that message counts the keyword-only arguments they gave. */
    for (size_t k = 0; k < nkw; k++)
        if (bind_keyword(ts, fn, f, ((GsTuple *)kwnames)->items[k], args[npos + k], kwdict,
                         kwnames) < 0)
            return -1;
    if (!varargs && npos > (size_t)argc)
        return too_many_positional(ts, fn, f, npos);
    /* Defaults fill the last positional parameters that are still empty. */
    if (npos < (size_t)argc) {
        GsTuple *defs = (GsTuple *)fn->defaults;
        int ndef = defs ? (int)defs->len : 0, first = argc - ndef;
        for (int i = first; i < argc; i++)
            if (!f->localsplus[i])
                f->localsplus[i] = gs_newref(ts, defs->items[i - first]);
        for (int i = 0; i < argc; i++)
            if (!f->localsplus[i])
                return missing_args(ts, fn, f, 0, argc, "positional");
    }
    for (int i = argc; i < total; i++) {
        if (f->localsplus[i])
            continue;
        GsObject *d = fn->kwdefaults ? gs_dict_get(ts, fn->kwdefaults,
                                                   ((GsTuple *)co->varnames)->items[i]) : NULL;
        if (d)
            f->localsplus[i] = gs_newref(ts, d);
    }
    for (int i = argc; i < total; i++)
        if (!f->localsplus[i])
            return missing_args(ts, fn, f, argc, total, "keyword-only");
    return 0;
}

static GsObject *eval_frame(GsThread *ts, GsFrame *f, bool throwing);

static inline __attribute__((always_inline)) GsObject *run_frame(GsThread *ts, GsFrame *f)
{
    if (ts->depth >= ts->interp->opt.recursion_limit || !gs_stack_ok(ts)) {
        frame_free(ts, f);
        return gs_err_set(ts, &gs_exc_RecursionError, "maximum recursion depth exceeded");
    }
    ts->depth++;
    f->back = ts->frame;
    ts->frame = f;
    GsObject *r = eval_frame(ts, f, false);
    ts->frame = f->back;
    ts->depth--;
    frame_free(ts, f);
    return r;
}

GsObject *gs_eval_resume(GsThread *ts, GsFrame *f, bool throwing)
{
    if (ts->depth >= ts->interp->opt.recursion_limit || !gs_stack_ok(ts))
        return gs_err_set(ts, &gs_exc_RecursionError, "maximum recursion depth exceeded");
    ts->depth++;
    f->back = ts->frame;
    ts->frame = f;
    f->suspended = false;
    GsObject *r = eval_frame(ts, f, throwing);
    ts->frame = f->back;
    f->back = NULL;
    ts->depth--;
    return r;
}

void gs_frame_release(GsThread *ts, GsFrame *f)
{
    frame_free(ts, f);
}

/* A new frame for calling the function func with these arguments (the
 * last len(kwnames) of them by keyword), its parameters bound; NULL with
 * an exception set if they do not fit.  The caller runs it: run_frame
 * from C, or the eval loop itself (INLINE CALLS below). */
static inline __attribute__((always_inline)) GsFrame *function_frame(GsThread *ts,
                                                                      GsObject *func,
                                                                      GsObject *const *args,
                                                                      size_t nargs,
                                                                      GsObject *kwnames)
{
    GsFunction *fn = (GsFunction *)func;
    GsCode *co = (GsCode *)fn->code;
    GsFrame *f = frame_new(ts, co, func, fn->globals, NULL);
    if (!f)
        return NULL;
    if (!kwnames && co->plain_args && (size_t)co->argcount == nargs) {
        /* The common call (fib's): the arguments are the locals' start. */
        for (size_t i = 0; i < nargs; i++)
            f->localsplus[i] = gs_newref(ts, args[i]);
        return f;
    }
    bool simple = !kwnames && (size_t)co->argcount == nargs &&
                  !(co->flags & (GS_CO_VARARGS | GS_CO_VARKEYWORDS)) && co->kwonlyargcount == 0;
    if (simple) {
        for (size_t i = 0; i < nargs; i++)
            f->localsplus[i] = gs_newref(ts, args[i]);
    } else if (bind_args(ts, fn, f, args, nargs, kwnames) < 0) {
        frame_free(ts, f);
        return NULL;
    }
    if (co->nvars > co->nlocals &&   /* cells or free variables */
        frame_init_cells(ts, f, fn->closure) < 0) {
        frame_free(ts, f);
        return NULL;
    }
    return f;
}

GsObject *gs_function_call(GsThread *ts, GsObject *func, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    GsFrame *f = function_frame(ts, func, args, nargs, kwnames);
    if (!f)
        return NULL;
    if (f->code->flags & (GS_CO_GENERATOR | GS_CO_COROUTINE | GS_CO_ASYNC_GENERATOR))
        return gs_gen_new(ts, f, func);   /* the body runs when it is iterated (awaited) */
    return run_frame(ts, f);
}

/* Module and class bodies: names live in a dict (`locals`). */
GsObject *gs_eval_code(GsThread *ts, GsCode *code, GsObject *globals, GsObject *locals)
{
    GsFrame *f = frame_new(ts, code, NULL, globals, locals);
    if (!f)
        return NULL;
    return run_frame(ts, f);
}

/* A class body run by __build_class__, with the function's closure. */
GsObject *gs_eval_class_body(GsThread *ts, GsObject *func, GsObject *ns)
{
    GsFunction *fn = (GsFunction *)func;
    GsCode *co = (GsCode *)fn->code;
    GsFrame *f = frame_new(ts, co, func, fn->globals, ns);
    if (!f)
        return NULL;
    if (frame_init_cells(ts, f, fn->closure) < 0) {
        frame_free(ts, f);
        return NULL;
    }
    return run_frame(ts, f);
}

GsObject *gs_current_globals(GsThread *ts)
{
    return ts->frame ? ts->frame->globals : NULL;
}

/* ---- helpers the loop calls out to ------------------------------------------------ */

static GsObject *name_error(GsThread *ts, GsObject *name)
{
    GsObject *n = gs_exc_new(ts, &gs_exc_NameError, NULL, 0);
    if (!n)
        return NULL;
    GsObject *msg = gs_str_printf(ts, "name '%s' is not defined", gs_str_cstr(name));
    if (msg) {
        GsObject *args = gs_tuple_pack(ts, 1, msg);
        if (args)
            gs_setref(ts, &((GsException *)n)->args, args);
        gs_decref(ts, msg);
    }
    gs_err_set_obj(ts, n);
    gs_decref(ts, n);
    return NULL;
}

static GsObject *load_global(GsThread *ts, GsFrame *f, GsObject *name)
{
    GsObject *v = gs_dict_get(ts, f->globals, name);
    if (!v)
        v = gs_dict_get(ts, f->builtins, name);
    if (!v)
        return name_error(ts, name);
    return gs_newref(ts, v);
}

/* LOAD_GLOBAL looks a name up in two dicts, globals then builtins, every
 * time it runs -- and a call to a global function runs it at every call.
 * So each code object remembers, per name, what it found and the two
 * dicts' versions when it looked (GsDict.version: a number no other dict
 * and no other state of the same dict ever has).  While both versions are
 * unchanged the same value is still there, and the lookup is skipped.
 * CPython 3.9 caches LOAD_GLOBAL the same way (its opcache).  This is an
 * implementation detail: the bytecode, the trace and the simulated cost
 * of the instruction are the same either way.  Under the GIL only one
 * thread at a time runs code, so the cache needs no lock. */
struct GsGlobalCache {
    uint64_t globals_version, builtins_version;
    GsObject *value;   /* borrowed: the dict that holds it has not changed */
};

static GsObject *load_global_cached(GsThread *ts, GsFrame *f, int i)
{
    GsCode *co = f->code;
    GsDict *g = (GsDict *)f->globals, *b = (GsDict *)f->builtins;
    struct GsGlobalCache *c = co->global_cache ? &co->global_cache[i] : NULL;
    if (c && c->value && c->globals_version == g->version && c->builtins_version == b->version)
        return gs_newref(ts, c->value);
    /* The versions before the lookup: if a key's __eq__ changes a dict
     * while we look, the entry is stale at once, as it should be. */
    uint64_t gv = g->version, bv = b->version;
    GsObject *v = load_global(ts, f, ((GsTuple *)co->names)->items[i]);
    if (!v || !GS_IS_DICT(f->globals) || !GS_IS_DICT(f->builtins))
        return v;
    if (!co->global_cache)
        co->global_cache = calloc(((GsTuple *)co->names)->len, sizeof *co->global_cache);
    if (co->global_cache)
        co->global_cache[i] = (struct GsGlobalCache){ gv, bv, v };
    return v;
}

static GsObject *load_name(GsThread *ts, GsFrame *f, GsObject *name)
{
    GsObject *v = f->locals ? gs_dict_get(ts, f->locals, name) : NULL;
    if (v)
        return gs_newref(ts, v);
    return load_global(ts, f, name);
}

static bool exc_matches(GsThread *ts, GsObject *exc_type, GsObject *cls, int *err)
{
    *err = 0;
    if (GS_IS_TUPLE(cls)) {
        for (size_t i = 0; i < ((GsTuple *)cls)->len; i++) {
            bool m = exc_matches(ts, exc_type, ((GsTuple *)cls)->items[i], err);
            if (*err)
                return false;   /* a non-class in the tuple is an error right here */
            if (m)
                return true;
        }
        return false;
    }
    if (!GS_IS_TYPE(cls) || !gs_type_is_subtype((GsType *)cls, &gs_exc_BaseException)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "catching classes that do not inherit from BaseException is not allowed");
        *err = 1;
        return false;
    }
    return GS_IS_TYPE(exc_type) && gs_type_is_subtype((GsType *)exc_type, (GsType *)cls);
}

/* An iterator over what an unpacking assignment unpacks; a value that
 * cannot be iterated gets CPython's "cannot unpack" TypeError. */
static GsObject *unpack_iter(GsThread *ts, GsObject *seq)
{
    GsType *t = seq->type;
    if (!t->iter && !(t->flags & GS_TPFLAG_HEAPTYPE) && !t->getitem)
        return gs_err_set(ts, &gs_exc_TypeError, "cannot unpack non-iterable %s object", t->name);
    return gs_getiter(ts, seq);
}

/* UNPACK_EX, CPython's unpack_iterable with a star: `before` items, a list
 * of the rest, then the last `after` items taken back off that list's
 * end.  out[] is filled as UNPACK_SEQUENCE fills it, the first item
 * ending on top of the stack.  Always iterates, even a tuple or a list,
 * as CPython 3.9 does. */
static int unpack_ex(GsThread *ts, GsObject *seq, int before, int after, GsObject **out)
{
    int total = before + 1 + after, i;
    GsObject *it = unpack_iter(ts, seq), *rest = NULL;
    if (!it)
        return -1;
    for (i = 0; i < before; i++) {
        GsObject *v = gs_iternext(ts, it);
        if (!v) {
            if (!gs_err_occurred(ts))
                gs_err_set(ts, &gs_exc_ValueError,
                           "not enough values to unpack (expected at least %d, got %d)",
                           before + after, i);
            goto fail;
        }
        out[total - 1 - i] = v;
    }
    rest = gs_list_new(ts, 0);
    if (!rest)
        goto fail;
    for (GsObject *v; (v = gs_iternext(ts, it)); gs_decref(ts, v))
        if (gs_list_append(ts, rest, v) < 0) {
            gs_decref(ts, v);
            goto fail;
        }
    if (gs_err_occurred(ts))
        goto fail;
    GsList *l = (GsList *)rest;
    if (l->len < (size_t)after) {
        gs_err_set(ts, &gs_exc_ValueError,
                   "not enough values to unpack (expected at least %d, got %zu)",
                   before + after, (size_t)before + l->len);
        goto fail;
    }
    out[after] = rest;
    /* The last `after` items move from the list to the stack (their
     * references with them), and the list shrinks by as many. */
    for (int j = 0; j < after; j++)
        out[after - 1 - j] = l->items[l->len - after + j];
    l->len -= (size_t)after;
    gs_decref(ts, it);
    return 0;
fail:
    for (int k = 0; k < i; k++)
        gs_decref(ts, out[total - 1 - k]);
    gs_xdecref(ts, rest);
    gs_decref(ts, it);
    return -1;
}

static int unpack(GsThread *ts, GsObject *seq, int n, GsObject **out)
{
    GsObject *const *items = NULL;
    size_t len = 0;
    if (GS_IS_TUPLE(seq)) {
        items = ((GsTuple *)seq)->items;
        len = ((GsTuple *)seq)->len;
    } else if (GS_IS_LIST(seq)) {
        items = ((GsList *)seq)->items;
        len = ((GsList *)seq)->len;
    }
    if (items) {
        if (len != (size_t)n) {
            if (len < (size_t)n)
                gs_err_set(ts, &gs_exc_ValueError,
                           "not enough values to unpack (expected %d, got %zu)", n, len);
            else
                gs_err_set(ts, &gs_exc_ValueError, "too many values to unpack (expected %d)", n);
            return -1;
        }
        /* Stored so that the first item ends up on top of the stack. */
        for (int i = 0; i < n; i++)
            out[n - 1 - i] = gs_newref(ts, items[i]);
        return 0;
    }
    GsObject *it = unpack_iter(ts, seq);
    if (!it)
        return -1;
    int i;
    for (i = 0; i < n; i++) {
        GsObject *v = gs_iternext(ts, it);
        if (!v)
            break;
        out[n - 1 - i] = v;
    }
    GsObject *extra = i == n ? gs_iternext(ts, it) : NULL;
    gs_decref(ts, it);
    if (i < n || extra || gs_err_occurred(ts)) {
        for (int k = 0; k < i; k++)
            gs_decref(ts, out[n - 1 - k]);
        if (extra)
            gs_decref(ts, extra);
        if (!gs_err_occurred(ts)) {
            if (i < n)
                gs_err_set(ts, &gs_exc_ValueError,
                           "not enough values to unpack (expected %d, got %d)", n, i);
            else
                gs_err_set(ts, &gs_exc_ValueError, "too many values to unpack (expected %d)", n);
        }
        return -1;
    }
    return 0;
}

/* FORMAT_VALUE: conversion (!s, !r), then format(value, spec). */
static GsObject *format_value(GsThread *ts, GsObject *v, int flags, GsObject *spec)
{
    GsObject *conv = NULL;
    switch (flags & 3) {
    case 1: conv = gs_str(ts, v); break;
    case 2: conv = gs_repr(ts, v); break;
    case 3: conv = gs_str_ascii(ts, v); break;
    default: conv = gs_newref(ts, v); break;
    }
    if (!conv)
        return NULL;
    if (!spec && GS_IS_STR(conv))
        return conv;
    GsObject *empty = NULL;
    if (!spec && !(spec = empty = gs_str_from(ts, ""))) {
        gs_decref(ts, conv);
        return NULL;
    }
    GsObject *r = gs_str_format_spec(ts, conv, spec);
    gs_decref(ts, conv);
    gs_xdecref(ts, empty);
    return r;
}

static GsObject *build_string(GsThread *ts, GsObject **items, int n)
{
    GsBuf b;
    gs_buf_init(&b);
    for (int i = 0; i < n; i++)
        gs_buf_put(&b, gs_str_cstr(items[i]), ((GsStr *)items[i])->nbytes);
    return gs_buf_finish(ts, &b);
}

/* Look up a special method on the type, as `with` does (not on the instance). */
static GsObject *special_method(GsThread *ts, GsObject *o, GsObject *name)
{
    GsObject *f = gs_type_lookup(o->type, name);
    if (!f) {
        gs_err_set(ts, &gs_exc_AttributeError, "%s", gs_str_cstr(name));
        return NULL;
    }
    if (f->type == &gs_function_type)
        return gs_method_new(ts, f, o);
    return gs_getattr(ts, o, name);
}

/* GET_AWAITABLE failed on o, a TypeError set: after BEFORE_ASYNC_WITH or
 * __aexit__'s call, CPython 3.9 says which half of `async with` it was
 * (its format_awaitable_error). */
static void awaitable_error(GsThread *ts, GsObject *o, int prevprev_op, int prev_op)
{
    GsObject *name = gs_str_intern_c(ts, "__await__");
    bool has_await = name && gs_type_lookup(o->type, name);
    gs_xdecref(ts, name);
    if (has_await)
        return;
    const char *which = NULL;
    if (prev_op == OP_BEFORE_ASYNC_WITH)
        which = "__aenter__";
    else if (prev_op == OP_WITH_EXCEPT_START ||
             (prev_op == OP_CALL_FUNCTION && prevprev_op == OP_DUP_TOP))
        which = "__aexit__";
    if (!which)
        return;
    gs_err_clear(ts);
    gs_err_set(ts, &gs_exc_TypeError,
               "'async with' received an object from %s that does not implement __await__: %s",
               which, o->type->name);
}

/* special_method for a name that is not among the interpreter's common
 * names (GS_NAME). */
static GsObject *special_method_c(GsThread *ts, GsObject *o, const char *name)
{
    GsObject *n = gs_str_intern_c(ts, name);
    if (!n)
        return NULL;
    GsObject *m = special_method(ts, o, n);
    gs_decref(ts, n);
    return m;
}

GsObject *gs_call_with_dict(GsThread *ts, GsObject *func, GsObject *args, GsObject *kw)
{
    GsObject *tuple = NULL;
    if (GS_IS_TUPLE(args)) {
        tuple = gs_newref(ts, args);
    } else {
        GsObject *l = gs_sequence_to_list(ts, args);
        if (!l)
            return NULL;
        tuple = gs_list_as_tuple(ts, l);
        gs_decref(ts, l);
        if (!tuple)
            return NULL;
    }
    GsTuple *t = (GsTuple *)tuple;
    size_t nkw = kw ? ((GsDict *)kw)->used : 0;
    if (nkw == 0) {
        GsObject *r = gs_call(ts, func, t->items, t->len, NULL);
        gs_decref(ts, tuple);
        return r;
    }
    GsObject **argv = gs_malloc(ts, (t->len + nkw) * sizeof(GsObject *));
    GsObject *names = gs_tuple_new(ts, nkw);
    GsObject *r = NULL;
    if (argv && names) {
        memcpy(argv, t->items, t->len * sizeof(GsObject *));
        size_t pos = 0, k = 0;
        GsObject *key, *value;
        while (gs_dict_next(kw, &pos, &key, &value)) {
            ((GsTuple *)names)->items[k] = gs_newref(ts, key);
            argv[t->len + k++] = value;
        }
        r = gs_call(ts, func, argv, t->len + nkw, names);
    }
    free(argv);
    gs_xdecref(ts, names);
    gs_decref(ts, tuple);
    return r;
}

static GsObject *make_function(GsThread *ts, GsFrame *f, int flags, GsObject ***spp)
{
    GsObject **sp = *spp;
    GsObject *qualname = *--sp, *code = *--sp;
    GsFunction *fn = (GsFunction *)gs_function_new(ts, code, f->globals, qualname);
    gs_decref(ts, qualname);
    gs_decref(ts, code);
    if (fn) {
        if (flags & 0x08)
            fn->closure = *--sp;
        if (flags & 0x04)
            fn->annotations = *--sp;
        if (flags & 0x02)
            fn->kwdefaults = *--sp;
        if (flags & 0x01)
            fn->defaults = *--sp;
    }
    *spp = sp;
    return (GsObject *)fn;
}

/* RAISE_VARARGS 1 and 2: `raise exc` and `raise exc from cause` (steals
 * both references; sets the exception). */
static void raise_from(GsThread *ts, GsObject *exc, GsObject *cause)
{
    if (cause && cause != GS_NONE && !gs_is_exception(cause) &&
        !(GS_IS_TYPE(cause) && gs_type_is_subtype((GsType *)cause, &gs_exc_BaseException))) {
        gs_decref(ts, cause);
        gs_decref(ts, exc);
        gs_err_set(ts, &gs_exc_TypeError, "exception causes must derive from BaseException");
        return;
    }
    gs_err_set_obj(ts, exc);
    gs_decref(ts, exc);
    if (!cause)
        return;
    /* `from X` sets __cause__ (an instance; a class is called) and
     * __suppress_context__; `from None` only the latter. */
    GsObject *c = cause == GS_NONE ? NULL : gs_is_exception(cause) ? gs_newref(ts, cause)
                                                                  : gs_call0(ts, cause);
    if (ts->curexc && gs_is_exception(ts->curexc)) {
        gs_setref(ts, &((GsException *)ts->curexc)->cause, c);
        ((GsException *)ts->curexc)->suppress_context = true;
    } else {
        gs_xdecref(ts, c);
    }
    gs_decref(ts, cause);
}

/* How CPython 3.9 names a callable in the errors about a call's * and **
 * arguments (its _PyObject_FunctionStr): "__main__.f()", "__main__.C.m()",
 * "__main__.C()", and "print()" for what lives in builtins.  Returns a
 * malloc'd string (never NULL: "?" when memory runs out). */
static char *function_str(GsThread *ts, GsObject *fn)
{
    if (fn->type == &gs_method_type)
        fn = ((GsMethod *)fn)->func;
    const char *mod = NULL, *qual = NULL;
    if (fn->type == &gs_function_type) {
        GsObject *m = ((GsFunction *)fn)->module;
        mod = m && GS_IS_STR(m) ? gs_str_cstr(m) : NULL;
        qual = gs_str_cstr(((GsFunction *)fn)->qualname);
    } else if (fn->type == &gs_cfunction_type) {
        qual = ((GsCFunction *)fn)->name;
    } else if (GS_IS_TYPE(fn)) {
        GsType *t = (GsType *)fn;
        GsObject *m = t->dict ? gs_dict_get(ts, t->dict, GS_NAME(ts, __module__)) : NULL;
        mod = m && GS_IS_STR(m) ? gs_str_cstr(m) : NULL;
        qual = t->qualname ? gs_str_cstr(t->qualname) : t->name;
    } else {
        qual = fn->type->name;   /* a callable instance: CPython prints str(fn) */
    }
    GsBuf b;
    gs_buf_init(&b);
    if (mod && strcmp(mod, "builtins") != 0)
        gs_buf_printf(&b, "%s.", mod);
    gs_buf_printf(&b, "%s()", qual);
    gs_buf_putc(&b, 0);
    return b.data ? b.data : strdup("?");
}

/* A TypeError about a call to fn: fmt has two %s, function_str's name and
 * the detail. */
static void call_error(GsThread *ts, GsObject *fn, const char *fmt, const char *detail)
{
    char *name = function_str(ts, fn);
    GsBuf text;
    gs_buf_init(&text);
    gs_buf_printf(&text, fmt, name, detail);
    gs_buf_putc(&text, 0);
    gs_err_set(ts, &gs_exc_TypeError, "%s", text.data ? text.data : "?");
    gs_buf_free(&text);
    free(name);
}

/* DICT_UPDATE and DICT_MERGE: copy `other` into the dict d.  DICT_MERGE
 * (building **kwargs for a call to fn) refuses a key given twice; fn is
 * NULL for DICT_UPDATE.  Returns -1 with an exception set. */
static int dict_merge(GsThread *ts, GsObject *d, GsObject *other, GsObject *fn)
{
    if (!GS_IS_DICT(other)) {
        if (fn)
            call_error(ts, fn, "%s argument after ** must be a mapping, not %s",
                       other->type->name);
        else
            gs_err_set(ts, &gs_exc_TypeError, "'%s' object is not a mapping",
                       other->type->name);
        return -1;
    }
    size_t pos = 0;
    GsObject *k, *v;
    while (gs_dict_next(other, &pos, &k, &v)) {
        if (fn && gs_dict_get(ts, d, k)) {
            call_error(ts, fn, "%s got multiple values for keyword argument '%s'",
                       GS_IS_STR(k) ? gs_str_cstr(k) : "?");
            return -1;
        }
        if (gs_dict_set(ts, d, k, v) < 0)
            return -1;
    }
    return 0;
}

/* The safe point's slow path (see the essay at the top).  Returns -1 when
 * the run must stop. */
static int handle_eval_breaker(GsThread *ts)
{
    int reason = atomic_load(&ts->interp->stop_reason);
    if (reason == GS_STOP_INTERRUPT) {
        /* Ctrl-C is a KeyboardInterrupt the guest may catch, as in CPython,
         * and like CPython only the main thread receives it. */
        if (ts->tid != 0)
            return 0;
        /* Consume the interrupt only if nothing stronger replaced it. */
        int interrupt = GS_STOP_INTERRUPT;
        if (!atomic_compare_exchange_strong(&ts->interp->stop_reason, &interrupt, GS_STOP_NONE))
            return handle_eval_breaker(ts);
        gs_breaker_clear(&ts->interp->eval_breaker, GS_BREAK_STOP);
        /* A stop that came in meanwhile keeps its bit. */
        if (atomic_load(&ts->interp->stop_reason) != GS_STOP_NONE)
            gs_breaker_set(&ts->interp->eval_breaker, GS_BREAK_STOP);
        GsObject *e = gs_exc_new(ts, &gs_exc_KeyboardInterrupt, NULL, 0);
        if (e) {
            gs_err_set_obj(ts, e);
            gs_decref(ts, e);
        }
        return -1;
    }
    if (reason != GS_STOP_NONE) {
        gs_err_set(ts, &gs_exc_SystemExit, "stopped");
        return -1;
    }
    return 0;
}

/* ---- the loop ---------------------------------------------------------------------- */

/* A generator function's call makes a generator (gs_function_call) and
 * runs nothing: it is not entered inline.  Nor is an `async def`'s, which
 * makes a coroutine or an async generator. */
static inline bool is_generator_function(GsObject *func)
{
    return ((GsCode *)((GsFunction *)func)->code)->flags &
           (GS_CO_GENERATOR | GS_CO_COROUTINE | GS_CO_ASYNC_GENERATOR);
}

/* Pop the n items a call instruction consumes (callable, self or NULL,
 * arguments) from the stack whose top is *spp. */
static inline __attribute__((always_inline)) void drop_call_items(GsThread *ts, GsObject ***spp,
                                                                  int n)
{
    GsObject **sp = *spp, **base = sp - n;
    while (sp > base)
        gs_xdecref(ts, *--sp);
    *spp = sp;
}

#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define THIRD() (sp[-3])
#define PEEK(n) (sp[-(ptrdiff_t)(n)])
#define SET_TOP(v) (sp[-1] = (v))
#define JUMPTO(off) (next = first + (off))
#define JUMPBY(n) (next += (n))
#define INSTR_OFFSET() ((int)(next - first) - 2)
/* Before a call: where the caller is, for the C code it calls that asks
 * for the program's line (a lock remembers where it was taken, a deadlock
 * says where each thread waits).  One store; the rest of the time lasti
 * is written only at checks and errors. */
#define SAVE_LASTI() (f->lasti = INSTR_OFFSET())

/* Dispatch the next instruction, after the check if the version imitated
 * has one after this opcode (sched_rules.h decides; `outcome` is how a jump
 * ended, GS_OUT_* bits).  DISPATCH_FAST is for opcodes that never check
 * in any version (the table says S_NEVER in every column). */
#define DISPATCH_OUTCOME(outcome) do { \
        if (gs_sched_checks_in(sched, opcode, (outcome))) goto check; \
        goto fetch; \
    } while (0)
#define DISPATCH() DISPATCH_OUTCOME(0)
#define DISPATCH_FAST() goto fetch
#define TARGET(op) L_##op:
#define ERROR_IF(cond) do { if (cond) goto error; } while (0)

static GsObject *eval_frame(GsThread *ts, GsFrame *f, bool throwing)
{
    static void *const targets[256] = {
#define GS_X_TARGET(name, num, arg, t27, c39, c310, c311, cost) [num] = &&L_##name,
        GS_OPCODE_TABLE(GS_X_TARGET)
#undef GS_X_TARGET
    };
    GsInterp *interp = ts->interp;
    /* The frame this C call of eval_frame was given; the frames above it
     * were entered inline (INLINE CALLS, at CALL_FUNCTION) and return into
     * this loop, not out of it. */
    GsFrame *const entry = f;
    GsFrame *callee = NULL;   /* a frame being entered inline */
    /* What the loop keeps of the frame running, in registers. */
    GsCode *co;
    const unsigned char *first, *next;
    GsObject **sp, **fast, **cells;
    GsObject *const *consts, *const *names;
#define LOAD_FRAME() do { \
        co = f->code; \
        first = co->instr; \
        sp = f->sp; \
        fast = f->localsplus; \
        cells = fast + co->nlocals; \
        consts = co->const_items; \
        names = co->name_items; \
    } while (0)
    LOAD_FRAME();
    next = first + f->resume;   /* a generator goes on after its yield */
    GsSchedRules rules = interp->opt.sched;
    const unsigned char *sched = gs_sched_column(rules);
    GsGil *gil = interp->gil;
    /* A policy may need every check, even when nothing is pending (the
     * tick policy counts 2.7's _Py_Ticker down); the others are only
     * called when the eval breaker is set. */
    bool check_every_time = gil && gil->ops->check_every_time;
    bool trace_ops = interp->trace_mask & GS_CAT_OP;
    /* Unsigned: the dispatch then indexes its table without sign-extending
     * (and GCC keeps them in registers better: -3 % instructions on fib). */
    unsigned opcode = 0, oparg = 0;
    bool reraise = false;
    GsObject *retval = NULL;
    /* THE FETCH TRAP.  Some work must happen at an exact instruction, not
     * at the next check: the simulated clock's next event, the
     * --max-instructions count, an `op` record per instruction.  All of it
     * hides behind one counter, *fuel, that each instruction pays its
     * simulated cost into (gs_op_ns, a constant table: the fast path must
     * stay a handful of machine instructions); the fetch path's only test
     * is whether it has run out, and the trap (below the check) does what
     * is due:
     *   - on the simulated clock, fuel is the thread's clock->room: running
     *     out means the next event elsewhere is due (catch_up);
     *   - when every instruction must stop by (--max-instructions, op
     *     tracing), fuel is a local that is always empty, and the trap
     *     counts, records, and keeps the simulated clock itself;
     *   - on the real clock with neither, nothing is ever due: `metered`
     *     is false and the fetch does not pay at all.  A test of a
     *     register instead of a load, a subtraction and a store through a
     *     pointer: a tenth of the time of a call-heavy program such as
     *     fib.  (fuel then points at ts->fuel, which is never touched.) */
    GsSimClock *clock = ts->clock;
    bool counting = trace_ops || interp->opt.max_instructions > 0;
    const bool metered = counting || clock;
    int64_t no_fuel = 0;
    int64_t *fuel = counting ? &no_fuel : clock ? &clock->room : &ts->fuel;

    if (throwing)
        goto error;   /* generator.throw(): raised at its yield, as CPython does before any check */

enter_frame:
    /* Entering a frame checks too (sched_rules.h). */
    if (gs_sched_checks_on_entry(rules))
        goto check;

fetch:
    if (metered && (*fuel -= gs_op_ns[next[0]]) <= 0)
        goto trap;
fetch_paid:
    opcode = next[0];
    oparg = next[1];
    next += 2;
dispatch_opcode:
    goto *targets[opcode];

check:
    /* THE safe point: the only place a running thread lets go of the GIL. */
    ts->gil.checks++;
    if ((check_every_time && atomic_load_explicit(&gil->threads, memory_order_relaxed) > 1) ||
        gs_breaker_pending(&interp->eval_breaker)) {
        /* Before a try/finally or with block the check is put off: the
         * tick counts, no switch and no Ctrl-C is handled (sched_rules.h).
         * gilscope's own stops (--timeout, SIGTERM, the end of the main
         * thread) are not CPython's to put off: a loop whose every check
         * falls before a `try` must still stop. */
        bool defer = gs_sched_defers(rules, next[0]);
        int stop = atomic_load_explicit(&interp->stop_reason, memory_order_relaxed);
        f->sp = sp;
        f->lasti = INSTR_OFFSET();
        gs_gil_check(gil, &ts->gil, defer);
        if ((!defer || (stop != GS_STOP_NONE && stop != GS_STOP_INTERRUPT)) &&
            handle_eval_breaker(ts) < 0)
            goto error;
    }
    goto fetch;

trap:
    /* The fuel ran out (see THE FETCH TRAP above), paying for the
     * instruction at `next`. */
    if (fuel == &ts->fuel) {
        ts->fuel = INT64_MAX;   /* the real clock's: refill, nothing is due */
        goto fetch_paid;
    }
    if (clock && fuel == &clock->room) {
        /* The simulated clock: is the thread's time *before* this
         * instruction past its limit?  Then the other threads catch up
         * first, seeing the time before it; else it only just crosses the
         * limit, and the next instruction's trap will see to it. */
        int64_t cost = gs_op_ns[next[0]];
        if (clock->room + cost <= 0) {
            clock->room += cost;
            interp->platform->catch_up(interp->platform);
            clock->room -= cost;
        }
        goto fetch_paid;
    }
    no_fuel = 0;   /* counting: every instruction stops by */
    if (interp->opt.max_instructions > 0) {
        if (ts->instr_left <= 0)
            goto max_instructions_reached;
        ts->instr_left--;
    }
    if (trace_ops) {
        /* "about to run": recorded at the time before it, as the
         * simulated clock stood before any catching up */
        int off = (int)(next - first);
        gs_ev_op(ts, next[0], gs_code_line(co, off), off, co);
    }
    if (clock) {
        /* This instruction happens at the thread's vt and takes its cost;
         * past the limit, the other threads catch up first. */
        if (clock->room <= 0)
            interp->platform->catch_up(interp->platform);
        gs_sim_advance(clock, gs_op_ns[next[0]]);
    }
    goto fetch_paid;

max_instructions_reached:
    ts->instr_left = INT64_MAX;   /* the stop is under way: nothing to count any more */
    atomic_store(&interp->stop_reason, GS_STOP_MAX_INSTRUCTIONS);
    gs_breaker_set(&interp->eval_breaker, GS_BREAK_STOP);
    gs_err_set(ts, &gs_exc_SystemExit, "stopped");
    goto error;

    TARGET(NOP) DISPATCH_FAST();

    TARGET(EXTENDED_ARG) {
        int ext = oparg;
        opcode = next[0];
        oparg = (ext << 8) | next[1];
        next += 2;
        goto dispatch_opcode;
    }

    TARGET(LOAD_FAST) {
        GsObject *v = fast[oparg];
        if (!v) {
            gs_err_set(ts, &gs_exc_UnboundLocalError,
                       "local variable '%s' referenced before assignment",
                       gs_str_cstr(((GsTuple *)co->varnames)->items[oparg]));
            goto error;
        }
        gs_incref(ts, v);
        PUSH(v);
        DISPATCH_FAST();
    }

    TARGET(LOAD_CONST) {
        GsObject *v = consts[oparg];
        gs_incref(ts, v);
        PUSH(v);
        DISPATCH_FAST();
    }

    TARGET(STORE_FAST) {
        GsObject *old = fast[oparg];
        fast[oparg] = POP();
        gs_xdecref(ts, old);
        DISPATCH_FAST();
    }

    TARGET(DELETE_FAST) {
        SAVE_LASTI();   /* a finalizer's warning says where `del` dropped it */
        GsObject *old = fast[oparg];
        if (!old) {
            gs_err_set(ts, &gs_exc_UnboundLocalError,
                       "local variable '%s' referenced before assignment",
                       gs_str_cstr(((GsTuple *)co->varnames)->items[oparg]));
            goto error;
        }
        fast[oparg] = NULL;
        gs_decref(ts, old);
        DISPATCH();
    }

    TARGET(POP_TOP) {
        GsObject *v = POP();
        gs_decref(ts, v);
        DISPATCH_FAST();
    }

    TARGET(ROT_TWO) {
        GsObject *a = TOP(), *b = SECOND();
        SET_TOP(b);
        sp[-2] = a;
        DISPATCH_FAST();
    }

    TARGET(ROT_THREE) {
        GsObject *a = TOP(), *b = SECOND(), *c = THIRD();
        sp[-1] = b;
        sp[-2] = c;
        sp[-3] = a;
        DISPATCH_FAST();
    }

    TARGET(ROT_FOUR) {
        GsObject *a = TOP(), *b = SECOND(), *c = THIRD(), *d = PEEK(4);
        sp[-1] = b;
        sp[-2] = c;
        sp[-3] = d;
        sp[-4] = a;
        DISPATCH_FAST();
    }

    TARGET(DUP_TOP) {
        GsObject *v = TOP();
        gs_incref(ts, v);
        PUSH(v);
        DISPATCH_FAST();
    }

    TARGET(DUP_TOP_TWO) {
        GsObject *a = TOP(), *b = SECOND();
        gs_incref(ts, a);
        gs_incref(ts, b);
        PUSH(b);
        PUSH(a);
        DISPATCH_FAST();
    }

    TARGET(UNARY_NOT) {
        GsObject *v = TOP();
        int t = gs_truth(ts, v);
        ERROR_IF(t < 0);
        gs_decref(ts, v);
        SET_TOP(gs_newref(ts, t ? GS_FALSE : GS_TRUE));
        DISPATCH();
    }

    TARGET(UNARY_POSITIVE)
    TARGET(UNARY_NEGATIVE)
    TARGET(UNARY_INVERT) {
        GsObject *v = TOP();
        GsObject *r = gs_unary_op(ts, opcode, v);
        ERROR_IF(!r);
        gs_decref(ts, v);
        SET_TOP(r);
        DISPATCH();
    }

    /* Small-int arithmetic is the countdown loop's hot path: do it inline,
     * with overflow checks, and fall back to gs_binary_op otherwise (big
     * ints, objects/bigint.h, and results that overflow int64). */
    TARGET(INPLACE_SUBTRACT)
    TARGET(BINARY_SUBTRACT) {
        GsObject *b = TOP(), *a = SECOND(), *r;
        int64_t x;
        if (a->type == &gs_int_type && b->type == &gs_int_type && gs_ints_small(a, b) &&
            !__builtin_sub_overflow(gs_int_value(a), gs_int_value(b), &x))
            r = gs_int_new(ts, x);
        else
            r = gs_binary_op(ts, opcode, a, b);
        ERROR_IF(!r);
        gs_decref(ts, b);
        gs_decref(ts, a);
        sp--;
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(INPLACE_ADD)
    TARGET(BINARY_ADD) {
        GsObject *b = TOP(), *a = SECOND(), *r;
        int64_t x;
        if (a->type == &gs_int_type && b->type == &gs_int_type && gs_ints_small(a, b) &&
            !__builtin_add_overflow(gs_int_value(a), gs_int_value(b), &x))
            r = gs_int_new(ts, x);
        else
            r = gs_binary_op(ts, opcode, a, b);
        ERROR_IF(!r);
        gs_decref(ts, b);
        gs_decref(ts, a);
        sp--;
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(BINARY_POWER)
    TARGET(BINARY_MULTIPLY)
    TARGET(BINARY_MODULO)
    TARGET(BINARY_FLOOR_DIVIDE)
    TARGET(BINARY_TRUE_DIVIDE)
    TARGET(BINARY_LSHIFT)
    TARGET(BINARY_RSHIFT)
    TARGET(BINARY_AND)
    TARGET(BINARY_XOR)
    TARGET(BINARY_OR)
    TARGET(INPLACE_FLOOR_DIVIDE)
    TARGET(INPLACE_TRUE_DIVIDE)
    TARGET(INPLACE_MULTIPLY)
    TARGET(INPLACE_MODULO)
    TARGET(INPLACE_POWER)
    TARGET(INPLACE_LSHIFT)
    TARGET(INPLACE_RSHIFT)
    TARGET(INPLACE_AND)
    TARGET(INPLACE_XOR)
    TARGET(INPLACE_OR)
    TARGET(BINARY_MATRIX_MULTIPLY)
    TARGET(INPLACE_MATRIX_MULTIPLY) {
        GsObject *b = TOP(), *a = SECOND();
        GsObject *r = gs_binary_op(ts, opcode, a, b);
        ERROR_IF(!r);
        gs_decref(ts, b);
        gs_decref(ts, a);
        sp--;
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(BINARY_SUBSCR) {
        GsObject *key = TOP(), *container = SECOND(), *r;
        if (container->type == &gs_list_type && key->type == &gs_int_type) {
            GsList *l = (GsList *)container;
            int64_t i = gs_int_value(key);   /* a big key's clamp: out of range */
            if (i < 0)
                i += (int64_t)l->len;
            if (i >= 0 && (size_t)i < l->len)
                r = gs_newref(ts, l->items[i]);
            else
                r = gs_getitem(ts, container, key);
        } else {
            r = gs_getitem(ts, container, key);
        }
        ERROR_IF(!r);
        gs_decref(ts, key);
        gs_decref(ts, container);
        sp--;
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(STORE_SUBSCR) {
        GsObject *key = TOP(), *container = SECOND(), *v = THIRD();
        ERROR_IF(gs_setitem(ts, container, key, v) < 0);
        sp -= 3;
        gs_decref(ts, key);
        gs_decref(ts, container);
        gs_decref(ts, v);
        DISPATCH();
    }

    TARGET(DELETE_SUBSCR) {
        GsObject *key = TOP(), *container = SECOND();
        ERROR_IF(gs_setitem(ts, container, key, NULL) < 0);
        sp -= 2;
        gs_decref(ts, key);
        gs_decref(ts, container);
        DISPATCH();
    }

    TARGET(COMPARE_OP) {
        GsObject *b = TOP(), *a = SECOND(), *r;
        if (a->type == &gs_int_type && b->type == &gs_int_type && gs_ints_small(a, b)) {
            int64_t x = gs_int_value(a), y = gs_int_value(b);
            bool t;
            switch (oparg) {
            case GS_CMP_LT: t = x < y; break;
            case GS_CMP_LE: t = x <= y; break;
            case GS_CMP_EQ: t = x == y; break;
            case GS_CMP_NE: t = x != y; break;
            case GS_CMP_GT: t = x > y; break;
            default: t = x >= y; break;
            }
            r = gs_bool(t);
            gs_incref(ts, r);
        } else {
            r = gs_richcompare(ts, a, b, oparg);
            ERROR_IF(!r);
        }
        gs_decref(ts, b);
        gs_decref(ts, a);
        sp--;
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(IS_OP) {
        GsObject *b = POP(), *a = TOP();
        bool t = (a == b) ^ (oparg != 0);
        gs_decref(ts, b);
        gs_decref(ts, a);
        SET_TOP(gs_newref(ts, gs_bool(t)));
        DISPATCH();
    }

    TARGET(CONTAINS_OP) {
        GsObject *container = TOP(), *v = SECOND();
        int t = gs_contains(ts, container, v);
        ERROR_IF(t < 0);
        gs_decref(ts, container);
        gs_decref(ts, v);
        sp--;
        SET_TOP(gs_newref(ts, gs_bool(t ^ (oparg != 0))));
        DISPATCH();
    }

    /* Conditional jumps tell sched_rules.h how they ended: taken or not,
     * backwards or not, on an operand that was exactly True/False or not. */
#define COND_JUMP_CHECK(taken, exact_bool) \
    DISPATCH_OUTCOME(((taken) ? GS_OUT_TAKEN : 0) | (next <= here_ ? GS_OUT_BACKWARD : 0) | \
                     ((exact_bool) ? GS_OUT_EXACT_BOOL : 0))

    TARGET(POP_JUMP_IF_FALSE) {
        const unsigned char *here_ = next - 2;
        GsObject *v = POP();
        int t;
        bool exact = v == GS_TRUE || v == GS_FALSE;
        if (exact)
            t = v == GS_TRUE;
        else if ((t = gs_truth(ts, v)) < 0) {
            gs_decref(ts, v);
            goto error;
        }
        gs_decref(ts, v);
        if (!t)
            JUMPTO(oparg);
        COND_JUMP_CHECK(!t, exact);
    }

    TARGET(POP_JUMP_IF_TRUE) {
        const unsigned char *here_ = next - 2;
        GsObject *v = POP();
        int t;
        bool exact = v == GS_TRUE || v == GS_FALSE;
        if (exact)
            t = v == GS_TRUE;
        else if ((t = gs_truth(ts, v)) < 0) {
            gs_decref(ts, v);
            goto error;
        }
        gs_decref(ts, v);
        if (t)
            JUMPTO(oparg);
        COND_JUMP_CHECK(t, exact);
    }

    TARGET(JUMP_IF_FALSE_OR_POP) {
        const unsigned char *here_ = next - 2;
        GsObject *v = TOP();
        bool exact = v == GS_TRUE || v == GS_FALSE;
        int t = exact ? v == GS_TRUE : gs_truth(ts, v);
        ERROR_IF(t < 0);
        if (!t) {
            JUMPTO(oparg);
        } else {
            sp--;
            gs_decref(ts, v);
        }
        COND_JUMP_CHECK(!t, exact);
    }

    TARGET(JUMP_IF_TRUE_OR_POP) {
        const unsigned char *here_ = next - 2;
        GsObject *v = TOP();
        bool exact = v == GS_TRUE || v == GS_FALSE;
        int t = exact ? v == GS_TRUE : gs_truth(ts, v);
        ERROR_IF(t < 0);
        if (t) {
            JUMPTO(oparg);
        } else {
            sp--;
            gs_decref(ts, v);
        }
        COND_JUMP_CHECK(t, exact);
    }
#undef COND_JUMP_CHECK

    TARGET(JUMP_FORWARD) {
        JUMPBY(oparg);
        DISPATCH_FAST();
    }

    TARGET(JUMP_ABSOLUTE) {
        const unsigned char *here = next - 2;
        JUMPTO(oparg);
        DISPATCH_OUTCOME(GS_OUT_TAKEN | (next <= here ? GS_OUT_BACKWARD : 0));
    }

    TARGET(GET_ITER) {
        GsObject *v = TOP();
        GsObject *it = gs_getiter(ts, v);
        ERROR_IF(!it);
        gs_decref(ts, v);
        SET_TOP(it);
        DISPATCH();
    }

    TARGET(FOR_ITER) {
        GsObject *it = TOP();
        GsObject *v = gs_iternext(ts, it);
        if (v) {
            PUSH(v);
            DISPATCH();
        }
        ERROR_IF(gs_err_occurred(ts));
        sp--;
        gs_decref(ts, it);
        JUMPBY(oparg);
        DISPATCH();
    }

    TARGET(LOAD_NAME) {
        GsObject *v = load_name(ts, f, names[oparg]);
        ERROR_IF(!v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_NAME) {
        GsObject *v = POP();
        int r = gs_dict_set(ts, f->locals, names[oparg], v);
        gs_decref(ts, v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(SETUP_ANNOTATIONS) {
        /* First in a module or class body with annotated names: make sure
         * its namespace has an __annotations__ dict (keeping one already
         * there, as CPython does). */
        GsObject *key = GS_NAME(ts, __annotations__);
        if (!gs_dict_get(ts, f->locals, key)) {
            ERROR_IF(gs_err_occurred(ts));
            GsObject *d = gs_dict_new(ts);
            ERROR_IF(!d);
            int r = gs_dict_set(ts, f->locals, key, d);
            gs_decref(ts, d);
            ERROR_IF(r < 0);
        }
        DISPATCH();
    }

    TARGET(DELETE_NAME) {
        SAVE_LASTI();   /* a finalizer's warning says where `del` dropped it */
        int r = gs_dict_del(ts, f->locals, names[oparg]);
        if (r == 0)
            name_error(ts, names[oparg]);
        ERROR_IF(r <= 0);
        DISPATCH();
    }

    TARGET(LOAD_GLOBAL) {
        GsObject *v = load_global_cached(ts, f, oparg);
        ERROR_IF(!v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_GLOBAL) {
        GsObject *v = POP();
        int r = gs_dict_set(ts, f->globals, names[oparg], v);
        gs_decref(ts, v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DELETE_GLOBAL) {
        SAVE_LASTI();   /* a finalizer's warning says where `del` dropped it */
        int r = gs_dict_del(ts, f->globals, names[oparg]);
        if (r == 0)
            name_error(ts, names[oparg]);
        ERROR_IF(r <= 0);
        DISPATCH();
    }

    TARGET(LOAD_CLOSURE) {
        GsObject *c = cells[oparg];
        gs_incref(ts, c);
        PUSH(c);
        DISPATCH();
    }

    TARGET(LOAD_DEREF)
    TARGET(LOAD_CLASSDEREF) {
        GsObject *v = NULL;
        size_t ncell = ((GsTuple *)co->cellvars)->len;
        if (opcode == OP_LOAD_CLASSDEREF && f->locals) {
            GsObject *name = (size_t)oparg < ncell
                ? ((GsTuple *)co->cellvars)->items[oparg]
                : ((GsTuple *)co->freevars)->items[(size_t)oparg - ncell];
            v = gs_dict_get(ts, f->locals, name);
        }
        if (!v)
            v = ((GsCell *)cells[oparg])->ref;
        if (!v) {
            if ((size_t)oparg < ncell)
                gs_err_set(ts, &gs_exc_UnboundLocalError,
                           "local variable '%s' referenced before assignment",
                           gs_str_cstr(((GsTuple *)co->cellvars)->items[oparg]));
            else
                gs_err_set(ts, &gs_exc_NameError,
                           "free variable '%s' referenced before assignment in enclosing scope",
                           gs_str_cstr(((GsTuple *)co->freevars)->items[(size_t)oparg - ncell]));
            goto error;
        }
        gs_incref(ts, v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_DEREF) {
        GsObject *v = POP();
        gs_setref(ts, &((GsCell *)cells[oparg])->ref, v);
        DISPATCH();
    }

    TARGET(DELETE_DEREF) {
        GsCell *c = (GsCell *)cells[oparg];
        GsObject *old = c->ref;
        c->ref = NULL;
        gs_xdecref(ts, old);
        DISPATCH();
    }

    TARGET(LOAD_ATTR) {
        GsObject *o = TOP();
        GsObject *v = gs_getattr(ts, o, names[oparg]);
        ERROR_IF(!v);
        gs_decref(ts, o);
        SET_TOP(v);
        DISPATCH();
    }

    TARGET(STORE_ATTR) {
        GsObject *o = TOP(), *v = SECOND();
        ERROR_IF(gs_setattr(ts, o, names[oparg], v) < 0);
        sp -= 2;
        gs_decref(ts, o);
        gs_decref(ts, v);
        DISPATCH();
    }

    TARGET(DELETE_ATTR) {
        GsObject *o = TOP();
        ERROR_IF(gs_setattr(ts, o, names[oparg], NULL) < 0);
        sp--;
        gs_decref(ts, o);
        DISPATCH();
    }

    TARGET(LOAD_METHOD) {
        GsObject *o = TOP(), *meth;
        int r = gs_getmethod(ts, o, names[oparg], &meth);
        ERROR_IF(r < 0);
        if (r == 1) {
            /* stack: [method, self] */
            SET_TOP(meth);
            PUSH(o);
        } else {
            /* stack: [NULL, bound attribute] */
            SET_TOP(NULL);
            gs_decref(ts, o);
            PUSH(meth);
        }
        DISPATCH();
    }

    TARGET(CALL_METHOD) {
        SAVE_LASTI();
        /* The stack: method, self, args (LOAD_METHOD found a function in
         * the class) or NULL, callable, args. */
        GsObject *meth = PEEK(oparg + 2), *r;
        GsObject *callable = meth ? meth : PEEK(oparg + 1);
        size_t nargs = meth ? (size_t)oparg + 1 : (size_t)oparg;
        GsObject **args = sp - nargs;
        if (callable->type == &gs_function_type && !is_generator_function(callable)) {
            callee = function_frame(ts, callable, args, nargs, NULL);
            ERROR_IF(!callee);
            f->call_pops = (int)oparg + 2;
            goto call_inline;
        }
        r = gs_call(ts, callable, args, nargs, NULL);
        GsObject **base = sp - oparg - 2;
        while (sp > base) {
            GsObject *v = POP();
            gs_xdecref(ts, v);
        }
        ERROR_IF(!r);
        PUSH(r);
        DISPATCH();
    }

    TARGET(CALL_FUNCTION) {
        SAVE_LASTI();
        GsObject **args = sp - oparg;
        GsObject *func = args[-1];
        /* A Python function, the common case: run in this loop. */
        if (func->type == &gs_function_type && !is_generator_function(func)) {
            callee = function_frame(ts, func, args, (size_t)oparg, NULL);
            ERROR_IF(!callee);
            f->call_pops = (int)oparg + 1;
            goto call_inline;
        }
        GsObject *r = gs_call(ts, func, args, (size_t)oparg, NULL);
        GsObject **base = args - 1;
        while (sp > base) {
            GsObject *v = POP();
            gs_decref(ts, v);
        }
        ERROR_IF(!r);
        PUSH(r);
        DISPATCH();
    }

    TARGET(CALL_FUNCTION_KW) {
        SAVE_LASTI();
        GsObject *kwnames = POP();
        GsObject **args = sp - oparg;
        GsObject *func = args[-1];
        GsObject *r = gs_call(ts, func, args, (size_t)oparg, kwnames);
        gs_decref(ts, kwnames);
        GsObject **base = args - 1;
        while (sp > base) {
            GsObject *v = POP();
            gs_decref(ts, v);
        }
        ERROR_IF(!r);
        PUSH(r);
        DISPATCH();
    }

    TARGET(CALL_FUNCTION_EX) {
        SAVE_LASTI();
        GsObject *kw = (oparg & 1) ? POP() : NULL;
        GsObject *args = POP(), *func = TOP();
        GsObject *r = NULL;
        if (!GS_IS_TUPLE(args)) {
            /* f(*x) with x not a tuple: make one here, so that a non-iterable
             * x is reported naming the call, as CPython does. */
            GsObject *l = gs_sequence_to_list(ts, args);
            GsObject *t = l ? gs_list_as_tuple(ts, l) : NULL;
            gs_xdecref(ts, l);
            if (!l && !args->type->iter && gs_err_matches(ts, &gs_exc_TypeError)) {
                gs_err_clear(ts);
                call_error(ts, func, "%s argument after * must be an iterable, not %s",
                           args->type->name);
            }
            gs_decref(ts, args);
            args = t;
        }
        if (args)
            r = gs_call_with_dict(ts, func, args, kw);
        gs_xdecref(ts, kw);
        gs_xdecref(ts, args);
        gs_decref(ts, func);
        sp--;
        ERROR_IF(!r);
        PUSH(r);
        DISPATCH();
    }

    TARGET(MAKE_FUNCTION) {
        GsObject *fn = make_function(ts, f, oparg, &sp);
        ERROR_IF(!fn);
        PUSH(fn);
        DISPATCH();
    }

    TARGET(RETURN_VALUE) {
        retval = POP();
        if (f != entry)
            goto return_inline;
        goto exit_frame;
    }

    TARGET(YIELD_VALUE) {
        /* A generator's frame is always the one its eval_frame call was
         * given (gs_eval_resume), never one entered inline. */
        retval = POP();
        if (co->flags & GS_CO_ASYNC_GENERATOR) {
            /* An async generator's own values are marked, to tell them
             * from what an await inside it passes up (coroobject.c). */
            retval = gs_asyncgen_wrap(ts, retval);
            ERROR_IF(!retval);
        }
        f->resume = (int)(next - first);   /* on from the next instruction */
        f->suspended = true;
        goto exit_frame;
    }

    TARGET(GET_YIELD_FROM_ITER) {
        GsObject *v = TOP();
        if (v->type == &gs_coro_type) {
            /* A coroutine is awaited, not iterated: only a coroutine may
             * `yield from` one (the await of generator-based coroutines). */
            if (!(co->flags & (GS_CO_COROUTINE | GS_CO_ITERABLE_COROUTINE))) {
                gs_err_set(ts, &gs_exc_TypeError,
                           "cannot 'yield from' a coroutine object in a non-coroutine generator");
                goto error;
            }
        } else if (v->type != &gs_gen_type) {
            GsObject *it = gs_getiter(ts, v);
            ERROR_IF(!it);
            gs_decref(ts, v);
            SET_TOP(it);
        }
        DISPATCH();
    }

    TARGET(YIELD_FROM) {
        /* Send the value on top to the iterator below it.  What it yields,
         * this frame yields, and resumes at this YIELD_FROM again with the
         * next value sent; when it is exhausted, its return value replaces
         * it on the stack and the frame goes on (CPython 3.9's YIELD_FROM). */
        GsObject *v = POP();
        GsObject *receiver = TOP();
        bool done;
        GsObject *r = gs_gen_delegate(ts, receiver, v, &done);
        gs_decref(ts, v);
        ERROR_IF(!r);
        if (done) {
            gs_decref(ts, receiver);
            SET_TOP(r);
            DISPATCH();
        }
        retval = r;
        f->resume = INSTR_OFFSET();
        f->suspended = true;
        goto exit_frame;
    }

    TARGET(BUILD_TUPLE) {
        GsObject *t = gs_tuple_new(ts, (size_t)oparg);
        ERROR_IF(!t);
        for (int i = (int)oparg - 1; i >= 0; i--)
            ((GsTuple *)t)->items[i] = POP();
        PUSH(t);
        DISPATCH();
    }

    TARGET(BUILD_LIST) {
        GsObject *l = gs_list_new(ts, (size_t)oparg);
        ERROR_IF(!l);
        for (int i = (int)oparg - 1; i >= 0; i--)
            ((GsList *)l)->items[i] = POP();
        PUSH(l);
        DISPATCH();
    }

    TARGET(LIST_TO_TUPLE) {
        GsObject *l = TOP();
        GsObject *t = gs_list_as_tuple(ts, l);
        ERROR_IF(!t);
        gs_decref(ts, l);
        SET_TOP(t);
        DISPATCH();
    }

    TARGET(LIST_APPEND) {
        GsObject *v = POP();
        int r = gs_list_append(ts, PEEK(oparg), v);
        gs_decref(ts, v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(LIST_EXTEND) {
        GsObject *v = POP();
        int r = gs_list_extend(ts, PEEK(oparg), v);
        if (r < 0 && gs_err_matches(ts, &gs_exc_TypeError) && !v->type->iter) {
            gs_err_clear(ts);
            gs_err_set(ts, &gs_exc_TypeError, "Value after * must be an iterable, not %s",
                       v->type->name);
        }
        gs_decref(ts, v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(BUILD_SET) {
        /* The items are added bottom first, so for equal items the first
         * one written stays (as in CPython). */
        GsObject *s = gs_set_new(ts, NULL);
        ERROR_IF(!s);
        int r = 0;
        for (int i = (int)oparg; i > 0 && r == 0; i--)
            r = gs_set_add(ts, s, PEEK(i));
        for (int i = 0; i < (int)oparg; i++) {
            GsObject *v = POP();
            gs_decref(ts, v);
        }
        if (r < 0) {
            gs_decref(ts, s);
            goto error;
        }
        PUSH(s);
        DISPATCH();
    }

    TARGET(SET_ADD) {
        GsObject *v = POP();
        int r = gs_set_add(ts, PEEK(oparg), v);
        gs_decref(ts, v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(SET_UPDATE) {
        GsObject *v = POP();
        int r = gs_set_update(ts, PEEK(oparg), v);
        gs_decref(ts, v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(BUILD_MAP) {
        GsObject *d = gs_dict_new(ts);
        ERROR_IF(!d);
        for (int i = oparg; i > 0; i--) {
            if (gs_dict_set(ts, d, PEEK(2 * i), PEEK(2 * i - 1)) < 0) {
                gs_decref(ts, d);
                goto error;
            }
        }
        for (int i = 0; i < 2 * (int)oparg; i++) {
            GsObject *v = POP();
            gs_decref(ts, v);
        }
        PUSH(d);
        DISPATCH();
    }

    TARGET(BUILD_CONST_KEY_MAP) {
        GsObject *keys = TOP();
        GsObject *d = gs_dict_new(ts);
        ERROR_IF(!d);
        for (int i = 0; i < (int)oparg; i++) {
            if (gs_dict_set(ts, d, ((GsTuple *)keys)->items[i], PEEK(oparg + 1 - i)) < 0) {
                gs_decref(ts, d);
                goto error;
            }
        }
        for (int i = 0; i < (int)oparg + 1; i++) {
            GsObject *v = POP();
            gs_decref(ts, v);
        }
        PUSH(d);
        DISPATCH();
    }

    TARGET(MAP_ADD) {
        GsObject *v = POP(), *k = POP();
        int r = gs_dict_set(ts, PEEK(oparg), k, v);
        gs_decref(ts, k);
        gs_decref(ts, v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DICT_UPDATE)
    TARGET(DICT_MERGE) {
        GsObject *other = POP();
        /* The function being called sits below the args and the dict. */
        int r = dict_merge(ts, PEEK(oparg), other, opcode == OP_DICT_MERGE ? PEEK(oparg + 2) : NULL);
        gs_decref(ts, other);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(BUILD_SLICE) {
        GsObject *step = oparg == 3 ? POP() : NULL;
        GsObject *stop = POP(), *start = TOP();
        GsObject *s = gs_slice_new(ts, start, stop, step);
        gs_xdecref(ts, step);
        gs_decref(ts, stop);
        gs_decref(ts, start);
        SET_TOP(s);
        ERROR_IF(!s);
        DISPATCH();
    }

    TARGET(BUILD_STRING) {
        GsObject *s = build_string(ts, sp - oparg, oparg);
        for (int i = 0; i < (int)oparg; i++) {
            GsObject *v = POP();
            gs_decref(ts, v);
        }
        ERROR_IF(!s);
        PUSH(s);
        DISPATCH();
    }

    TARGET(FORMAT_VALUE) {
        GsObject *spec = (oparg & 4) ? POP() : NULL;
        GsObject *v = TOP();
        GsObject *r = format_value(ts, v, oparg, spec);
        gs_xdecref(ts, spec);
        ERROR_IF(!r);
        gs_decref(ts, v);
        SET_TOP(r);
        DISPATCH();
    }

    TARGET(UNPACK_SEQUENCE) {
        GsObject *seq = POP();
        int r = unpack(ts, seq, oparg, sp);
        gs_decref(ts, seq);
        ERROR_IF(r < 0);
        sp += oparg;
        DISPATCH();
    }

    TARGET(UNPACK_EX) {
        /* `a, *b, c = seq`: oparg's low byte counts the targets before the
         * star, the bytes above it those after. */
        int before = oparg & 0xff, after = oparg >> 8;
        GsObject *seq = POP();
        int r = unpack_ex(ts, seq, before, after, sp);
        gs_decref(ts, seq);
        ERROR_IF(r < 0);
        sp += before + 1 + after;
        DISPATCH();
    }

    TARGET(IMPORT_NAME) {
        GsObject *fromlist = POP(), *level = TOP();
        GsObject *m = gs_import_name(ts, names[oparg], f->globals, fromlist, level);
        gs_decref(ts, fromlist);
        ERROR_IF(!m);
        gs_decref(ts, level);
        SET_TOP(m);
        DISPATCH();
    }

    TARGET(IMPORT_FROM) {
        GsObject *v = gs_import_from(ts, TOP(), names[oparg]);
        ERROR_IF(!v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(IMPORT_STAR) {
        /* Only module code has it (the compiler sees to that), and module
         * code's locals are its globals dict. */
        GsObject *m = POP();
        int r = f->locals ? gs_import_star(ts, m, f->locals) : -1;
        if (!f->locals)
            gs_err_set(ts, &gs_exc_SystemError, "no locals found during 'import *'");
        gs_decref(ts, m);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(LOAD_BUILD_CLASS) {
        GsObject *bc = gs_dict_get(ts, f->builtins, GS_NAME(ts, __build_class__));
        if (!bc) {
            gs_err_set(ts, &gs_exc_NameError, "__build_class__ not found");
            goto error;
        }
        gs_incref(ts, bc);
        PUSH(bc);
        DISPATCH();
    }

    TARGET(LOAD_ASSERTION_ERROR) {
        gs_incref(ts, (GsObject *)&gs_exc_AssertionError);
        PUSH((GsObject *)&gs_exc_AssertionError);
        DISPATCH();
    }

    TARGET(RAISE_VARARGS) {
        if (oparg == 0) {
            if (!ts->handled) {
                gs_err_set(ts, &gs_exc_RuntimeError, "No active exception to reraise");
                goto error;
            }
            gs_incref(ts, ts->handled);
            gs_setref(ts, &ts->curexc, ts->handled);
            reraise = true;
            goto error;
        }
        GsObject *cause = oparg == 2 ? POP() : NULL;
        GsObject *exc = POP();
        raise_from(ts, exc, cause);
        goto error;
    }

    TARGET(SETUP_FINALLY) {
        if (f->nblocks >= GS_MAX_BLOCKS) {
            gs_err_set(ts, &gs_exc_SystemError, "too many nested blocks");
            goto error;
        }
        f->blocks[f->nblocks++] = (GsBlock){ OP_SETUP_FINALLY,
                                             (int)(next - first) + oparg, (int)(sp - f->stack) };
        DISPATCH();
    }

    TARGET(POP_BLOCK) {
        f->nblocks--;
        DISPATCH();
    }

    TARGET(POP_EXCEPT) {
        /* Leaving an `except` block: restore the exception handled before. */
        f->nblocks--;
        GsObject *type = POP(), *value = POP(), *tb = POP();
        gs_setref(ts, &ts->handled, value == GS_NONE ? NULL : value);
        if (value == GS_NONE)
            gs_decref(ts, value);
        gs_decref(ts, type);
        gs_decref(ts, tb);
        DISPATCH();
    }

    TARGET(RERAISE) {
        GsObject *type = POP(), *value = POP(), *tb = POP();
        gs_decref(ts, type);
        gs_decref(ts, tb);
        gs_setref(ts, &ts->curexc, value);
        reraise = true;
        goto error;
    }

    TARGET(JUMP_IF_NOT_EXC_MATCH) {
        GsObject *cls = POP(), *exc_type = POP();
        int err;
        bool m = exc_matches(ts, exc_type, cls, &err);
        gs_decref(ts, cls);
        gs_decref(ts, exc_type);
        ERROR_IF(err);
        if (!m)
            JUMPTO(oparg);
        DISPATCH();
    }

    TARGET(SETUP_WITH) {
        SAVE_LASTI();
        GsObject *mgr = TOP();
        GsObject *enter = special_method(ts, mgr, GS_NAME(ts, __enter__));
        ERROR_IF(!enter);
        GsObject *exitm = special_method(ts, mgr, GS_NAME(ts, __exit__));
        if (!exitm) {
            gs_decref(ts, enter);
            goto error;
        }
        SET_TOP(exitm);
        gs_decref(ts, mgr);
        GsObject *res = gs_call0(ts, enter);
        gs_decref(ts, enter);
        ERROR_IF(!res);
        f->blocks[f->nblocks++] = (GsBlock){ OP_SETUP_FINALLY,
                                             (int)(next - first) + oparg, (int)(sp - f->stack) };
        PUSH(res);
        DISPATCH();
    }

    TARGET(BEFORE_ASYNC_WITH) {
        /* `async with`: keep __aexit__, call __aenter__; its result is
         * awaited next (GET_AWAITABLE), then SETUP_ASYNC_WITH. */
        SAVE_LASTI();
        GsObject *mgr = TOP();
        GsObject *enter = special_method_c(ts, mgr, "__aenter__");
        ERROR_IF(!enter);
        GsObject *exitm = special_method_c(ts, mgr, "__aexit__");
        if (!exitm) {
            gs_decref(ts, enter);
            goto error;
        }
        SET_TOP(exitm);
        gs_decref(ts, mgr);
        GsObject *res = gs_call0(ts, enter);
        gs_decref(ts, enter);
        ERROR_IF(!res);
        PUSH(res);
        DISPATCH();
    }

    TARGET(SETUP_ASYNC_WITH) {
        /* The awaited result of __aenter__ is on top: the block's level is
         * below it, where __aexit__ waits for the handler. */
        GsObject *res = POP();
        f->blocks[f->nblocks++] = (GsBlock){ OP_SETUP_FINALLY,
                                             (int)(next - first) + oparg, (int)(sp - f->stack) };
        PUSH(res);
        DISPATCH();
    }

    TARGET(GET_AWAITABLE) {
        SAVE_LASTI();
        GsObject *v = TOP();
        GsObject *it = gs_coro_get_awaitable(ts, v);
        if (!it && gs_err_matches(ts, &gs_exc_TypeError))
            awaitable_error(ts, v, INSTR_OFFSET() >= 4 ? next[-6] : -1,
                            INSTR_OFFSET() >= 2 ? next[-4] : -1);
        if (it && it->type == &gs_coro_type && gs_gen_yield_from(it)) {
            gs_decref(ts, it);
            it = gs_err_set(ts, &gs_exc_RuntimeError, "coroutine is being awaited already");
        }
        ERROR_IF(!it);
        gs_decref(ts, v);
        SET_TOP(it);
        DISPATCH();
    }

    TARGET(GET_AITER) {
        SAVE_LASTI();
        GsObject *v = TOP();
        GsObject *it = gs_coro_get_aiter(ts, v);
        ERROR_IF(!it);
        gs_decref(ts, v);
        SET_TOP(it);
        DISPATCH();
    }

    TARGET(GET_ANEXT) {
        SAVE_LASTI();
        GsObject *awaitable = gs_coro_get_anext(ts, TOP());
        ERROR_IF(!awaitable);
        PUSH(awaitable);
        DISPATCH();
    }

    TARGET(END_ASYNC_FOR) {
        /* The handler of the SETUP_FINALLY around an `async for`'s
         * __anext__: StopAsyncIteration ends the loop (leave the except
         * block, drop the async iterator); anything else goes on up. */
        GsObject *type = POP();
        if (GS_IS_TYPE(type) && gs_type_is_subtype((GsType *)type, &gs_exc_StopAsyncIteration)) {
            gs_decref(ts, type);
            gs_decref(ts, POP());   /* value */
            gs_decref(ts, POP());   /* traceback */
            f->nblocks--;
            GsObject *otype = POP(), *ovalue = POP(), *otb = POP();
            gs_setref(ts, &ts->handled, ovalue == GS_NONE ? NULL : ovalue);
            if (ovalue == GS_NONE)
                gs_decref(ts, ovalue);
            gs_decref(ts, otype);
            gs_decref(ts, otb);
            gs_decref(ts, POP());   /* the async iterator */
            DISPATCH();
        }
        GsObject *value = POP(), *tb = POP();
        gs_decref(ts, type);
        gs_decref(ts, tb);
        gs_setref(ts, &ts->curexc, value);
        reraise = true;
        goto error;
    }

    TARGET(WITH_EXCEPT_START) {
        GsObject *exc = TOP(), *val = SECOND(), *tb = THIRD();
        GsObject *exitm = PEEK(7);
        GsObject *argv[3] = { exc, val, tb };
        GsObject *res = gs_call(ts, exitm, argv, 3, NULL);
        ERROR_IF(!res);
        PUSH(res);
        DISPATCH();
    }

error:
    /* An exception is set.  Record this frame in its traceback (unless it
     * is being re-raised from here), then look for a handler block. */
    f->lasti = INSTR_OFFSET();
    if (!reraise && ts->curexc && gs_is_exception(ts->curexc))
        gs_traceback_add(ts, ts->curexc, co->filename, gs_code_line(co, f->lasti),
                         co->name);
    reraise = false;
    if (atomic_load(&interp->stop_reason) != GS_STOP_NONE &&
        atomic_load(&interp->stop_reason) != GS_STOP_INTERRUPT)
        goto exit_error;   /* a stop from outside: no handler may catch it */
    while (f->nblocks > 0) {
        GsBlock *b = &f->blocks[--f->nblocks];
        if (b->type == -1) {
            /* An `except` block being left by an exception: drop what it
             * pushed and restore the exception it had saved. */
            GsObject **level = f->stack + b->level;
            while (sp > level + 3) {
                GsObject *v = POP();
                gs_xdecref(ts, v);
            }
            GsObject *type = POP(), *value = POP(), *tb = POP();
            gs_setref(ts, &ts->handled, value == GS_NONE ? NULL : value);
            if (value == GS_NONE)
                gs_decref(ts, value);
            gs_decref(ts, type);
            gs_decref(ts, tb);
            continue;
        }
        GsObject **level = f->stack + b->level;
        while (sp > level) {
            GsObject *v = POP();
            gs_xdecref(ts, v);
        }
        /* Enter the handler: an EXCEPT_HANDLER block, then push the
         * previously handled exception and the new one, three values
         * each (traceback, value, type), as CPython 3.9 does. */
        int handler = b->handler;
        f->blocks[f->nblocks++] = (GsBlock){ -1, -1, (int)(sp - f->stack) };
        GsObject *old = ts->handled;
        PUSH(gs_newref(ts, GS_NONE));
        PUSH(old ? old : gs_newref(ts, GS_NONE));
        PUSH(gs_newref(ts, old ? (GsObject *)old->type : GS_NONE));
        GsObject *exc = gs_err_fetch(ts);
        ts->handled = gs_newref(ts, exc);
        PUSH(gs_newref(ts, GS_NONE));
        PUSH(exc);
        PUSH(gs_newref(ts, (GsObject *)exc->type));
        JUMPTO(handler);
        /* Before 3.11 the handler is entered through the top of the eval
         * loop, which checks (2.7 ticks); 3.11's exception table does not. */
        if (gs_sched_checks_on_handler(rules))
            goto check;
        goto fetch;
    }

exit_error:
    retval = NULL;
    while (sp > f->stack) {
        GsObject *v = POP();
        gs_xdecref(ts, v);
    }
    if (f != entry)
        goto return_inline;   /* on to the caller's handlers */
    goto exit_frame;

call_inline:
    /* INLINE CALLS.  A Python function called from Python code runs in
     * this same C loop, as in CPython 3.11 and later: the caller's state
     * goes into its frame (lasti by SAVE_LASTI, sp here), the callee's
     * registers are loaded from `callee`, and RETURN_VALUE comes back
     * here instead of returning from eval_frame.  A call then costs no C
     * call, no prologue and no C stack, which is most of what made fib
     * slower than CPython 3.12.  Nothing a program or a trace can see
     * changes: the same frames, the same checks (entering a frame checks
     * where it did), the same reference counts in the same order (the
     * arguments stay on the caller's stack until the call returns, as
     * CPython 3.9's call_function leaves them). */
    if (ts->depth >= interp->opt.recursion_limit) {
        frame_free(ts, callee);
        drop_call_items(ts, &sp, f->call_pops);
        gs_err_set(ts, &gs_exc_RecursionError, "maximum recursion depth exceeded");
        goto error;
    }
    f->sp = sp;
    ts->depth++;
    callee->back = f;
    ts->frame = callee;
    f = callee;
    LOAD_FRAME();
    next = first;   /* a new frame (a generator's is never entered inline) */
    goto enter_frame;

return_inline:
    /* A frame entered inline is done: retval is its result, or NULL with
     * the exception set.  Back to the caller, just after its call. */
    f->sp = sp;
    callee = f;
    f = f->back;
    ts->frame = f;
    ts->depth--;
    frame_free(ts, callee);
    LOAD_FRAME();
    next = first + f->lasti + 2;
    drop_call_items(ts, &sp, f->call_pops);
    ERROR_IF(!retval);
    PUSH(retval);
    opcode = next[-2];   /* CALL_FUNCTION or CALL_METHOD: its check */
    DISPATCH();

exit_frame:
    f->sp = sp;
    return retval;
}

#undef PUSH
#undef POP
#undef TOP
#undef SECOND
#undef THIRD
#undef PEEK
#undef SET_TOP
#undef JUMPTO
#undef JUMPBY
#undef INSTR_OFFSET
#undef DISPATCH
#undef DISPATCH_OUTCOME
#undef DISPATCH_FAST
#undef TARGET
#undef ERROR_IF
