/*
 * coroobject.c -- coroutines and asynchronous generators: what an
 * `async def` returns, and what `await`, `async for` and `async with` ask
 * of the objects they are given.
 *
 * A COROUTINE IS A GENERATOR THAT IS AWAITED.  Calling an `async def`
 * runs nothing and returns a coroutine (gs_gen_new picks the type from the
 * code's CO_COROUTINE flag); its frame runs when someone sends into it.
 * Inside, `await x` compiles to GET_AWAITABLE (x itself for a coroutine,
 * else the iterator x.__await__() returns) and YIELD_FROM: an await is a
 * `yield from` that only awaitables may use.  So when the innermost
 * awaitable yields -- an object whose __await__ is a generator that
 * yields, say -- the value travels up through every coroutine awaiting it
 * to whoever called send(): the event loop.  That is all an event loop
 * is: a loop that calls send(None) on the coroutines it holds, looks at
 * what comes out (what they wait for), and decides which to resume next.
 * The programs in tests/programs/async_*.py each carry a small one.
 *
 * The stepping itself (send, throw, close, `yield from` delegation) is
 * genobject.c's, shared by all three kinds; this file holds the types,
 * what GET_AWAITABLE / GET_AITER / GET_ANEXT do, and the awaitables that
 * an async generator's asend(), athrow() and aclose() return.
 *
 * AN ASYNC GENERATOR (`async def` with `yield`, CO_ASYNC_GENERATOR) has
 * two kinds of suspension: `yield v` produces the next item of the async
 * iteration, while an `await` inside it passes what the awaitable yields
 * up to the event loop.  Both leave its frame the same way, so YIELD_VALUE
 * marks its own values (gs_asyncgen_wrap).  ag.asend(v) -- and
 * ag.__anext__(), which is asend(None) -- returns an awaitable; driving
 * it passes unmarked values through to the loop and ends, with
 * StopIteration(v), at the first marked one: the awaitable's result is
 * the item.  The generator's end is StopAsyncIteration, which ends an
 * `async for`.  (CPython 3.9's Objects/genobject.c, PEP 525.)
 *
 * "NEVER AWAITED".  A coroutine freed before its frame ever ran is almost
 * always a forgotten `await`; CPython warns, and so does gilscope, in
 * CPython's words and format (warn_unawaited), once per line as the
 * warnings module's default filter does.
 */
#include <string.h>

#include "eval.h"

/* ======================================================================
 * Looking up the special methods (__await__, __aiter__, __anext__)
 * ====================================================================== */

/* type(o).name, looked up on the type as CPython's slots are (borrowed),
 * or NULL. */
static GsObject *type_lookup_c(GsThread *ts, GsObject *o, const char *name)
{
    GsObject *n = gs_str_intern_c(ts, name);
    if (!n)
        return NULL;
    GsObject *f = gs_type_lookup(o->type, n);
    gs_decref(ts, n);
    return f;
}

/* Call the special method found on o's type with o as self. */
static GsObject *call_special(GsThread *ts, GsObject *o, GsObject *f, const char *name)
{
    if (f->type == &gs_function_type)
        return gs_function_call(ts, f, &o, 1, NULL);
    GsObject *bound = gs_getattr_c(ts, o, name);
    if (!bound)
        return NULL;
    GsObject *r = gs_call0(ts, bound);
    gs_decref(ts, bound);
    return r;
}

/* Can o be driven by YIELD_FROM: has it a __next__ (CPython's PyIter_Check)? */
static bool is_iterator(GsThread *ts, GsObject *o)
{
    if (!(o->type->flags & GS_TPFLAG_HEAPTYPE) && o->type->iternext)
        return true;
    return type_lookup_c(ts, o, "__next__") != NULL;
}

static bool is_coroutine(GsObject *o)
{
    return o->type == &gs_coro_type ||
           (o->type == &gs_gen_type &&
            (((GsGen *)o)->frame && (((GsGen *)o)->frame->code->flags & GS_CO_ITERABLE_COROUTINE)));
}


/* CPython's _PyCoro_GetAwaitableIter. */
GsObject *gs_coro_get_awaitable(GsThread *ts, GsObject *o)
{
    if (is_coroutine(o) || o->type == &gs_asend_type || o->type == &gs_athrow_type)
        return gs_newref(ts, o);   /* awaitable and their own iterators */
    GsObject *f = type_lookup_c(ts, o, "__await__");
    if (!f)
        return gs_err_set(ts, &gs_exc_TypeError, "object %s can't be used in 'await' expression",
                          o->type->name);
    GsObject *it = call_special(ts, o, f, "__await__");
    if (!it)
        return NULL;
    if (is_coroutine(it)) {
        gs_decref(ts, it);
        return gs_err_set(ts, &gs_exc_TypeError, "__await__() returned a coroutine");
    }
    if (!is_iterator(ts, it)) {
        gs_err_set(ts, &gs_exc_TypeError, "__await__() returned non-iterator of type '%s'",
                   it->type->name);
        gs_decref(ts, it);
        return NULL;
    }
    return it;
}

GsObject *gs_coro_get_aiter(GsThread *ts, GsObject *o)
{
    GsObject *f = type_lookup_c(ts, o, "__aiter__");
    if (!f)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "'async for' requires an object with __aiter__ method, got %s",
                          o->type->name);
    GsObject *it = call_special(ts, o, f, "__aiter__");
    if (it && !type_lookup_c(ts, it, "__anext__")) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "'async for' received an object from __aiter__ that does not implement "
                   "__anext__: %s", it->type->name);
        gs_decref(ts, it);
        return NULL;
    }
    return it;
}

static GsObject *asend_new(GsThread *ts, GsObject *gen, GsObject *v);

GsObject *gs_coro_get_anext(GsThread *ts, GsObject *aiter)
{
    if (aiter->type == &gs_asyncgen_type)
        return asend_new(ts, aiter, GS_NONE);
    GsObject *f = type_lookup_c(ts, aiter, "__anext__");
    if (!f)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "'async for' requires an iterator with __anext__ method, got %s",
                          aiter->type->name);
    GsObject *next = call_special(ts, aiter, f, "__anext__");
    if (!next)
        return NULL;
    GsObject *awaitable = gs_coro_get_awaitable(ts, next);
    if (!awaitable) {
        /* The TypeError says why; the one raised says where (its cause). */
        GsObject *cause = gs_err_fetch(ts);
        gs_err_set(ts, &gs_exc_TypeError,
                   "'async for' received an invalid object from __anext__: %s",
                   next->type->name);
        GsException *e = (GsException *)gs_err_occurred(ts);
        if (e && cause) {
            gs_setref(ts, &e->context, gs_newref(ts, cause));
            gs_setref(ts, &e->cause, cause);
            e->suppress_context = true;
        } else {
            gs_xdecref(ts, cause);
        }
    }
    gs_decref(ts, next);
    return awaitable;
}

/* ======================================================================
 * The "coroutine ... was never awaited" warning
 * ====================================================================== */

/* Print it as CPython 3.9's warnings module does: where the program is
 * (the line running in the innermost frame, "sys:1" when none is, as at
 * exit), the source line, and the hint about tracemalloc.  Once per place
 * and message, as the default filter does. */
static void warn_unawaited(GsThread *ts, GsGen *g)
{
    FILE *err = gs_stderr_file(ts);
    GsFrame *f = ts->frame;
    if (!err)
        return;
    GsObject *file = f ? f->code->filename : NULL;
    int line = f ? gs_code_line(f->code, f->lasti) : 1;
    GsObject *key = gs_str_printf(ts, "%s:%d:%s", file ? gs_str_cstr(file) : "sys", line,
                                  gs_str_cstr(g->qualname));
    GsInterp *interp = ts->interp;
    if (!key || (!interp->warnings_shown && !(interp->warnings_shown = gs_dict_new(ts)))) {
        gs_xdecref(ts, key);
        gs_err_clear(ts);
        return;
    }
    bool shown = gs_dict_get(ts, interp->warnings_shown, key) != NULL;
    if (!shown && gs_dict_set(ts, interp->warnings_shown, key, GS_NONE) < 0)
        gs_err_clear(ts);
    gs_decref(ts, key);
    if (shown)
        return;
    fflush(interp->out);
    fprintf(err, "%s:%d: RuntimeWarning: coroutine '%s' was never awaited\n",
            file ? gs_str_cstr(file) : "sys", line, gs_str_cstr(g->qualname));
    /* With no frame (at exit) CPython's warnings module is being torn
     * down, and its C fallback prints the first line only. */
    if (file) {
        gs_print_source_line(ts, err, file, line, "  ");
        fprintf(err, "RuntimeWarning: Enable tracemalloc to get the object allocation "
                     "traceback\n");
    }
    fflush(err);
}

/* ======================================================================
 * Coroutines
 * ====================================================================== */

static GsObject *coro_send(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    if (kwnames || nargs != 1)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "send() takes exactly one argument (%zu given)", nargs);
    return gs_gen_send(ts, self, args[0]);
}

static GsObject *coro_throw(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    if (gs_gen_set_thrown(ts, args, nargs, kwnames) < 0)
        return NULL;
    return gs_gen_throw_set(ts, self);
}

static GsObject *coro_close(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "close() takes no arguments (%zu given)", nargs);
    return gs_gen_close(ts, self);
}

/* coroutine.__await__(): a "coroutine_wrapper", an iterator over the
 * coroutine, so that a class's __await__ can return `inner.__await__()`. */
typedef struct {
    GsObject ob;
    GsObject *coro;
} GsCoroWrapper;

static GsObject *coro_await(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    (void)args;
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "expected 0 arguments, got %zu", nargs);
    GsCoroWrapper *w = (GsCoroWrapper *)gs_alloc(ts, &gs_coro_wrapper_type, sizeof(GsCoroWrapper));
    if (w)
        w->coro = gs_newref(ts, self);
    return (GsObject *)w;
}

static GsObject *gen_repr_as(GsThread *ts, GsObject *o, const char *kind)
{
    return gs_str_printf(ts, "<%s object %s at %#llx>", kind,
                         gs_str_cstr(((GsGen *)o)->qualname), (unsigned long long)(uintptr_t)o);
}

static GsObject *coro_repr(GsThread *ts, GsObject *o) { return gen_repr_as(ts, o, "coroutine"); }

/* The attributes shared by name: prefix "cr_" or "ag_" + code, running,
 * await, frame; NULL (no error) for a name that is not one of them. */
static GsObject *common_attr(GsThread *ts, GsGen *g, const char *s, const char *prefix,
                             bool running)
{
    size_t n = strlen(prefix);
    if (strcmp(s, "__name__") == 0)
        return gs_newref(ts, g->name);
    if (strcmp(s, "__qualname__") == 0)
        return gs_newref(ts, g->qualname);
    if (strncmp(s, prefix, n) != 0)
        return NULL;
    s += n;
    if (strcmp(s, "code") == 0)
        return gs_newref(ts, g->code);
    if (strcmp(s, "running") == 0)
        return gs_newref(ts, gs_bool(running));
    if (strcmp(s, "await") == 0) {
        GsObject *t = gs_gen_yield_from((GsObject *)g);
        return gs_newref(ts, t ? t : GS_NONE);
    }
    if (strcmp(s, "frame") == 0) {
        /* None once it has finished, as in CPython; before, there is no
         * frame object to give (frames are not guest objects here). */
        if (!g->frame)
            return gs_newref(ts, GS_NONE);
        return gs_err_set(ts, &gs_exc_AttributeError,
                          "gilscope has no frame objects: %sframe cannot be read", prefix);
    }
    return NULL;
}

static GsObject *coro_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsGen *g = (GsGen *)o;
    const char *s = gs_str_cstr(name);
    if (strcmp(s, "cr_origin") == 0)
        return gs_newref(ts, GS_NONE);   /* origin tracking is off, as by default */
    GsObject *r = common_attr(ts, g, s, "cr_", g->running);
    if (r || gs_err_occurred(ts))
        return r;
    return gs_generic_getattr(ts, o, name);
}

/* The coroutine's finalizer (PEP 442; finalize.c runs it once, with the
 * exception state set aside, whether reference counting or the collector
 * frees it): one whose frame never ran was never awaited, and says so;
 * a suspended one is closed as a generator is, its `finally` run. */
static void coro_finalize(GsThread *ts, GsObject *o)
{
    GsGen *g = (GsGen *)o;
    if (g->frame && !gs_gen_started(o))
        warn_unawaited(ts, g);
    else
        gs_gen_finalize(ts, o);
}

static const GsMethodDef coro_methods[] = {
    { "send", coro_send },
    { "throw", coro_throw },
    { "close", coro_close },
    { "__await__", coro_await },
    { NULL, NULL },
};

GsType gs_coro_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "coroutine", .base = &gs_object_type, .size = sizeof(GsGen),
    .flags = GS_TPFLAG_GC, .methods = coro_methods, .dealloc = gs_gen_dealloc,
    .finalize = coro_finalize,
    .traverse = gs_gen_traverse, .clear = gs_gen_clear, .repr = coro_repr,
    .getattr = coro_getattr };

/* ---- coroutine_wrapper ------------------------------------------------------ */

static GsObject *wrapper_iternext(GsThread *ts, GsObject *o)
{
    bool done;
    GsObject *r = gs_gen_send_ex(ts, ((GsCoroWrapper *)o)->coro, NULL, false, &done);
    if (r && done) {
        /* gs_iternext's rule: NULL without an exception is the end; a
         * value returned needs StopIteration(value) (YIELD_FROM reads it). */
        if (r == GS_NONE) {
            gs_decref(ts, r);
            return NULL;
        }
        GsObject *e = gs_exc_new(ts, &gs_exc_StopIteration, &r, 1);
        gs_decref(ts, r);
        if (e) {
            gs_err_set_obj(ts, e);
            gs_decref(ts, e);
        }
        return NULL;
    }
    return r;
}

static GsObject *wrapper_iter(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

static GsObject *wrapper_next(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    (void)args;
    (void)kwnames;
    (void)nargs;
    return gs_gen_send(ts, ((GsCoroWrapper *)self)->coro, GS_NONE);
}

static GsObject *wrapper_send(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    return coro_send(ts, ((GsCoroWrapper *)self)->coro, args, nargs, kwnames);
}

static GsObject *wrapper_throw(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    return coro_throw(ts, ((GsCoroWrapper *)self)->coro, args, nargs, kwnames);
}

static GsObject *wrapper_close(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    return coro_close(ts, ((GsCoroWrapper *)self)->coro, args, nargs, kwnames);
}

static int wrapper_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsCoroWrapper *w = (GsCoroWrapper *)o;
    return w->coro ? visit(w->coro, arg) : 0;
}

static void wrapper_clear(GsThread *ts, GsObject *o)
{
    GsCoroWrapper *w = (GsCoroWrapper *)o;
    GsObject *c = w->coro;
    w->coro = NULL;
    gs_xdecref(ts, c);
}

static const GsMethodDef wrapper_methods[] = {
    { "__next__", wrapper_next },
    { "send", wrapper_send },
    { "throw", wrapper_throw },
    { "close", wrapper_close },
    { NULL, NULL },
};

GsType gs_coro_wrapper_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "coroutine_wrapper", .base = &gs_object_type, .size = sizeof(GsCoroWrapper),
    .flags = GS_TPFLAG_GC, .methods = wrapper_methods, .dealloc = wrapper_clear,
    .traverse = wrapper_traverse, .clear = wrapper_clear, .iter = wrapper_iter,
    .iternext = wrapper_iternext };

/* ======================================================================
 * Async generators
 * ====================================================================== */

typedef struct {
    GsGen gen;
    bool running_async;    /* ag_running: an asend()/athrow() is being awaited */
    bool closed;           /* finished or closed: asend() says StopAsyncIteration */
} GsAsyncGen;

/* The state of an asend() or athrow() awaitable. */
enum { AW_INIT, AW_ITER, AW_CLOSED };

/* ---- the marked values (what `yield` produces in an async generator) ---- */

typedef struct {
    GsObject ob;
    GsObject *value;
} GsWrapped;

static void wrapped_clear(GsThread *ts, GsObject *o)
{
    GsWrapped *w = (GsWrapped *)o;
    GsObject *v = w->value;
    w->value = NULL;
    gs_xdecref(ts, v);
}

static int wrapped_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsWrapped *w = (GsWrapped *)o;
    return w->value ? visit(w->value, arg) : 0;
}

GsType gs_asyncgen_wrapped_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "async_generator_wrapped_value", .base = &gs_object_type, .size = sizeof(GsWrapped),
    .flags = GS_TPFLAG_GC, .dealloc = wrapped_clear, .traverse = wrapped_traverse,
    .clear = wrapped_clear };

GsObject *gs_asyncgen_wrap(GsThread *ts, GsObject *v)
{
    GsWrapped *w = (GsWrapped *)gs_alloc(ts, &gs_asyncgen_wrapped_type, sizeof(GsWrapped));
    if (!w) {
        gs_decref(ts, v);
        return NULL;
    }
    w->value = v;
    return (GsObject *)w;
}

/* ---- stepping the generator -------------------------------------------- */

/* One step of ag's frame, in CPython's terms: what it yielded (marked or
 * not), or NULL with an exception -- StopAsyncIteration when it returned
 * or was already finished.  `throwing`: the exception set is thrown in. */
static GsObject *ag_step(GsThread *ts, GsAsyncGen *ag, GsObject *arg, bool throwing)
{
    GsObject *r;
    bool done = false;
    if (throwing) {
        r = gs_gen_throw_set(ts, (GsObject *)ag);
    } else {
        r = gs_gen_send_ex(ts, (GsObject *)ag, arg, false, &done);
        if (r && done) {   /* it returned (always None: `return v` is refused) */
            gs_decref(ts, r);
            r = NULL;
        }
    }
    /* A StopIteration here is genobject.c's word for "finished": the body
     * cannot raise one (it would have become a RuntimeError). */
    if (!r && (!gs_err_occurred(ts) || gs_err_matches(ts, &gs_exc_StopIteration))) {
        gs_err_clear(ts);
        gs_err_set_obj(ts, (GsObject *)&gs_exc_StopAsyncIteration);
    }
    return r;
}

/* CPython's async_gen_unwrap_value: a marked value ends the awaitable
 * with StopIteration(value) -- the item; an unmarked one (from an await
 * inside) goes on up to the event loop; the end marks the generator
 * closed. */
static GsObject *ag_unwrap(GsThread *ts, GsAsyncGen *ag, GsObject *r)
{
    if (!r) {
        if (gs_err_matches(ts, &gs_exc_StopAsyncIteration) ||
            gs_err_matches(ts, &gs_exc_GeneratorExit))
            ag->closed = true;
        ag->running_async = false;
        return NULL;
    }
    if (r->type != &gs_asyncgen_wrapped_type)
        return r;
    GsObject *v = ((GsWrapped *)r)->value;
    GsObject *e = gs_exc_new(ts, &gs_exc_StopIteration, &v, 1);
    gs_decref(ts, r);
    if (e) {
        gs_err_set_obj(ts, e);
        gs_decref(ts, e);
    }
    ag->running_async = false;
    return NULL;
}

/* ---- asend(): the awaitable of one step --------------------------------- */

typedef struct {
    GsObject ob;
    GsObject *gen;
    GsObject *sendval;
    int state;
} GsASend;

static GsObject *asend_new(GsThread *ts, GsObject *gen, GsObject *v)
{
    GsASend *a = (GsASend *)gs_alloc(ts, &gs_asend_type, sizeof(GsASend));
    if (!a)
        return NULL;
    a->gen = gs_newref(ts, gen);
    a->sendval = gs_newref(ts, v);
    a->state = AW_INIT;
    return (GsObject *)a;
}

static GsObject *asend_send(GsThread *ts, GsASend *a, GsObject *arg)
{
    GsAsyncGen *ag = (GsAsyncGen *)a->gen;
    if (a->state == AW_CLOSED)
        return gs_err_set(ts, &gs_exc_RuntimeError,
                          "cannot reuse already awaited __anext__()/asend()");
    if (a->state == AW_INIT) {
        if (ag->running_async)
            return gs_err_set(ts, &gs_exc_RuntimeError,
                              "anext(): asynchronous generator is already running");
        if (!arg || arg == GS_NONE)
            arg = a->sendval;
        a->state = AW_ITER;
    }
    ag->running_async = true;
    GsObject *r = ag_unwrap(ts, ag, ag_step(ts, ag, arg ? arg : GS_NONE, false));
    if (!r)
        a->state = AW_CLOSED;
    return r;
}

/* gs_iternext's convention: NULL and no exception only for "exhausted";
 * an item is StopIteration(item), which YIELD_FROM reads. */
static GsObject *asend_iternext(GsThread *ts, GsObject *o)
{
    return asend_send(ts, (GsASend *)o, GS_NONE);
}

static GsObject *asend_m_send(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (kwnames || nargs != 1)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "send() takes exactly one argument (%zu given)", nargs);
    return asend_send(ts, (GsASend *)self, args[0]);
}

static GsObject *asend_m_next(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    (void)args;
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "expected 0 arguments, got %zu", nargs);
    GsObject *r = asend_send(ts, (GsASend *)self, GS_NONE);
    if (!r && !gs_err_occurred(ts))
        gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
    return r;
}

static GsObject *asend_m_throw(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    GsASend *a = (GsASend *)self;
    if (a->state == AW_CLOSED)
        return gs_err_set(ts, &gs_exc_RuntimeError,
                          "cannot reuse already awaited __anext__()/asend()");
    if (gs_gen_set_thrown(ts, args, nargs, kwnames) < 0)
        return NULL;
    GsAsyncGen *ag = (GsAsyncGen *)a->gen;
    GsObject *r = ag_unwrap(ts, ag, ag_step(ts, ag, NULL, true));
    if (!r)
        a->state = AW_CLOSED;
    return r;
}

static GsObject *asend_m_close(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    (void)args;
    (void)nargs;
    (void)kwnames;
    ((GsASend *)self)->state = AW_CLOSED;
    return gs_newref(ts, GS_NONE);
}

/* __await__ and __iter__: the awaitable is its own iterator. */
static GsObject *self_m(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                        GsObject *kwnames)
{
    (void)args;
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "expected 0 arguments, got %zu", nargs);
    return gs_newref(ts, self);
}

static GsObject *self_iter(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

static int asend_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsASend *a = (GsASend *)o;
    if (a->gen && visit(a->gen, arg))
        return 1;
    return a->sendval ? visit(a->sendval, arg) : 0;
}

static void asend_clear(GsThread *ts, GsObject *o)
{
    GsASend *a = (GsASend *)o;
    GsObject *g = a->gen, *v = a->sendval;
    a->gen = a->sendval = NULL;
    gs_xdecref(ts, g);
    gs_xdecref(ts, v);
}

static const GsMethodDef asend_methods[] = {
    { "send", asend_m_send },
    { "throw", asend_m_throw },
    { "close", asend_m_close },
    { "__next__", asend_m_next },
    { "__await__", self_m },
    { NULL, NULL },
};

GsType gs_asend_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "async_generator_asend", .base = &gs_object_type, .size = sizeof(GsASend),
    .flags = GS_TPFLAG_GC, .methods = asend_methods, .dealloc = asend_clear,
    .traverse = asend_traverse, .clear = asend_clear, .iter = self_iter,
    .iternext = asend_iternext };

/* ---- athrow() and aclose() ----------------------------------------------- */

typedef struct {
    GsObject ob;
    GsObject *gen;
    GsObject *args;        /* athrow's arguments (a tuple), NULL for aclose() */
    int state;
} GsAThrow;

static GsObject *athrow_new(GsThread *ts, GsObject *gen, GsObject *args)
{
    GsAThrow *a = (GsAThrow *)gs_alloc(ts, &gs_athrow_type, sizeof(GsAThrow));
    if (!a)
        return NULL;
    a->gen = gs_newref(ts, gen);
    a->args = args ? gs_newref(ts, args) : NULL;
    a->state = AW_INIT;
    return (GsObject *)a;
}

/* aclose(): the generator yielded a value of its own after GeneratorExit. */
static GsObject *ignored_exit(GsThread *ts, GsAsyncGen *ag)
{
    ag->running_async = false;
    return gs_err_set(ts, &gs_exc_RuntimeError, "async generator ignored GeneratorExit");
}

/* How athrow()/aclose() report an end: aclose() is done (StopIteration)
 * once the generator stopped, whichever way (CPython's check_error). */
static GsObject *athrow_check_error(GsThread *ts, GsAThrow *a)
{
    GsAsyncGen *ag = (GsAsyncGen *)a->gen;
    ag->running_async = false;
    if (gs_err_matches(ts, &gs_exc_StopAsyncIteration) ||
        gs_err_matches(ts, &gs_exc_GeneratorExit)) {
        a->state = AW_CLOSED;
        if (!a->args) {
            gs_err_clear(ts);
            gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
        }
    }
    return NULL;
}

/* The first step of athrow()/aclose(): throw the exception in. */
static GsObject *athrow_start(GsThread *ts, GsAThrow *a)
{
    GsAsyncGen *ag = (GsAsyncGen *)a->gen;
    ag->running_async = true;
    if (!a->args) {
        ag->closed = true;
        gs_err_set_obj(ts, (GsObject *)&gs_exc_GeneratorExit);
        GsObject *r = ag_step(ts, ag, NULL, true);
        if (r && r->type == &gs_asyncgen_wrapped_type) {
            gs_decref(ts, r);
            return ignored_exit(ts, ag);
        }
        return r ? r : athrow_check_error(ts, a);
    }
    GsTuple *t = (GsTuple *)a->args;
    if (gs_gen_set_thrown(ts, t->items, t->len, NULL) < 0)
        return athrow_check_error(ts, a);
    GsObject *r = ag_unwrap(ts, ag, ag_step(ts, ag, NULL, true));
    return r ? r : athrow_check_error(ts, a);
}

static GsObject *athrow_send(GsThread *ts, GsAThrow *a, GsObject *arg)
{
    GsAsyncGen *ag = (GsAsyncGen *)a->gen;
    if (!ag->gen.frame || a->state == AW_CLOSED)
        return gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
    if (a->state == AW_INIT) {
        if (ag->running_async)
            return gs_err_set(ts, &gs_exc_RuntimeError,
                              a->args ? "athrow(): asynchronous generator is already running"
                                      : "aclose(): asynchronous generator is already running");
        if (ag->closed) {
            a->state = AW_CLOSED;
            return gs_err_set_obj(ts, (GsObject *)&gs_exc_StopAsyncIteration);
        }
        if (arg && arg != GS_NONE)
            return gs_err_set(ts, &gs_exc_RuntimeError,
                              "can't send non-None value to a just-started coroutine");
        a->state = AW_ITER;
        return athrow_start(ts, a);
    }
    GsObject *r = ag_step(ts, ag, arg ? arg : GS_NONE, false);
    if (a->args)
        return ag_unwrap(ts, ag, r);
    if (r && r->type == &gs_asyncgen_wrapped_type) {
        gs_decref(ts, r);
        return ignored_exit(ts, ag);
    }
    return r ? r : athrow_check_error(ts, a);
}

static GsObject *athrow_iternext(GsThread *ts, GsObject *o)
{
    return athrow_send(ts, (GsAThrow *)o, GS_NONE);
}

static GsObject *athrow_m_send(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    if (kwnames || nargs != 1)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "send() takes exactly one argument (%zu given)", nargs);
    return athrow_send(ts, (GsAThrow *)self, args[0]);
}

static GsObject *athrow_m_next(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    (void)args;
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "expected 0 arguments, got %zu", nargs);
    GsObject *r = athrow_send(ts, (GsAThrow *)self, GS_NONE);
    if (!r && !gs_err_occurred(ts))
        gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
    return r;
}

static GsObject *athrow_m_throw(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    GsAThrow *a = (GsAThrow *)self;
    GsAsyncGen *ag = (GsAsyncGen *)a->gen;
    if (a->state == AW_CLOSED)
        return gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
    if (gs_gen_set_thrown(ts, args, nargs, kwnames) < 0)
        return NULL;
    GsObject *r = ag_step(ts, ag, NULL, true);
    if (a->args)
        return ag_unwrap(ts, ag, r);
    if (r && r->type == &gs_asyncgen_wrapped_type) {
        gs_decref(ts, r);
        return ignored_exit(ts, ag);
    }
    if (!r && (gs_err_matches(ts, &gs_exc_StopAsyncIteration) ||
               gs_err_matches(ts, &gs_exc_GeneratorExit))) {
        gs_err_clear(ts);
        gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
    }
    return r;
}

static GsObject *athrow_m_close(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    (void)args;
    (void)nargs;
    (void)kwnames;
    ((GsAThrow *)self)->state = AW_CLOSED;
    return gs_newref(ts, GS_NONE);
}

static int athrow_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsAThrow *a = (GsAThrow *)o;
    if (a->gen && visit(a->gen, arg))
        return 1;
    return a->args ? visit(a->args, arg) : 0;
}

static void athrow_clear(GsThread *ts, GsObject *o)
{
    GsAThrow *a = (GsAThrow *)o;
    GsObject *g = a->gen, *t = a->args;
    a->gen = a->args = NULL;
    gs_xdecref(ts, g);
    gs_xdecref(ts, t);
}

static const GsMethodDef athrow_methods[] = {
    { "send", athrow_m_send },
    { "throw", athrow_m_throw },
    { "close", athrow_m_close },
    { "__next__", athrow_m_next },
    { "__await__", self_m },
    { NULL, NULL },
};

GsType gs_athrow_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "async_generator_athrow", .base = &gs_object_type, .size = sizeof(GsAThrow),
    .flags = GS_TPFLAG_GC, .methods = athrow_methods, .dealloc = athrow_clear,
    .traverse = athrow_traverse, .clear = athrow_clear, .iter = self_iter,
    .iternext = athrow_iternext };

/* ---- the async generator itself ------------------------------------------ */

static GsObject *ag_asend(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    if (kwnames || nargs != 1)
        return gs_err_set(ts, &gs_exc_TypeError, "asend() takes exactly one argument (%zu given)",
                          nargs);
    return asend_new(ts, self, args[0]);
}

static GsObject *ag_anext(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    (void)args;
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "expected 0 arguments, got %zu", nargs);
    return asend_new(ts, self, GS_NONE);
}

static GsObject *ag_athrow(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    if (kwnames || nargs < 1 || nargs > 3)
        return gs_err_set(ts, &gs_exc_TypeError, "athrow expected at %s, got %zu",
                          nargs < 1 ? "least 1 argument" : "most 3 arguments", nargs);
    GsObject *t = gs_tuple_new(ts, nargs);
    if (!t)
        return NULL;
    for (size_t i = 0; i < nargs; i++)
        ((GsTuple *)t)->items[i] = gs_newref(ts, args[i]);
    GsObject *a = athrow_new(ts, self, t);
    gs_decref(ts, t);
    return a;
}

static GsObject *ag_aclose(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    (void)args;
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "aclose() takes no arguments (%zu given)", nargs);
    return athrow_new(ts, self, NULL);
}

static GsObject *ag_repr(GsThread *ts, GsObject *o) { return gen_repr_as(ts, o, "async_generator"); }

static GsObject *ag_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsAsyncGen *ag = (GsAsyncGen *)o;
    GsObject *r = common_attr(ts, &ag->gen, gs_str_cstr(name), "ag_", ag->running_async);
    if (r || gs_err_occurred(ts))
        return r;
    return gs_generic_getattr(ts, o, name);
}

static const GsMethodDef ag_methods[] = {
    { "asend", ag_asend },
    { "athrow", ag_athrow },
    { "aclose", ag_aclose },
    { "__aiter__", self_m },
    { "__anext__", ag_anext },
    { NULL, NULL },
};

/* Freed while suspended, it is closed as a generator is (genobject.c):
 * without an event loop's finalizer hook (sys.set_asyncgen_hooks, which
 * asyncio installs), that is what CPython does too. */
GsType gs_asyncgen_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "async_generator", .base = &gs_object_type, .size = sizeof(GsAsyncGen),
    .flags = GS_TPFLAG_GC, .methods = ag_methods, .dealloc = gs_gen_dealloc,
    .finalize = gs_gen_finalize,
    .traverse = gs_gen_traverse, .clear = gs_gen_clear, .repr = ag_repr,
    .getattr = ag_getattr };
