/*
 * genobject.c -- generators: the object a generator function's call returns.
 *
 * WHAT A GENERATOR IS.  Calling a function whose code has CO_GENERATOR
 * (the compiler sets it when the body contains `yield`, and on every
 * generator expression) binds the arguments into a frame and runs
 * nothing: the frame goes into a generator object (gs_function_call).
 * Each next() or send() runs that frame with gs_eval_resume until it
 * yields -- YIELD_VALUE saves where to go on from (frame->resume) and
 * leaves the eval loop with the value -- or returns, which finishes the
 * generator.  The frame outlives the call that made it, which is the whole
 * trick; everything below is CPython 3.9's rules about the edges (a
 * generator that is already running, sending into one that has not
 * started, StopIteration leaking out of one, closing, throwing into a
 * generator that delegates with `yield from`).
 *
 * THE GIL.  A generator runs on whichever thread calls next(), inside that
 * thread's eval loop: resuming is entering a frame, so it checks where
 * entering a frame checks (sched_rules.h), and a generator shared between
 * threads raises "generator already executing" in the one that comes
 * second, as in CPython.
 *
 * COROUTINES AND ASYNC GENERATORS (coroobject.c) are generators too: the
 * same struct and the same send/throw/close below, with another type.
 * What differs here is only wording ("coroutine already executing") and
 * two rules: an exhausted coroutine cannot be resumed ("cannot reuse
 * already awaited coroutine"), and an async generator's StopAsyncIteration
 * escaping its body is a RuntimeError like StopIteration.
 *
 * What gilscope leaves out: gi_frame (frames are not guest objects here;
 * see eval.h).
 */
#include <string.h>

#include "eval.h"

static bool started(GsGen *g) { return g->frame && g->frame->resume > 0; }

bool gs_gen_started(GsObject *o) { return started((GsGen *)o); }

/* What to call it in messages: "generator already executing". */
static const char *kind_name(GsGen *g)
{
    if (g->ob.type == &gs_coro_type)
        return "coroutine";
    if (g->ob.type == &gs_asyncgen_type)
        return "async generator";
    return "generator";
}

/* Generators and coroutines are run directly by `yield from`, `await`,
 * throw() and close() rather than through their methods (CPython's
 * PyGen_CheckExact || PyCoro_CheckExact).  Not async generators: they are
 * not iterators, and `await` takes their asend() objects. */
bool gs_gen_like(GsObject *o)
{
    return o->type == &gs_gen_type || o->type == &gs_coro_type;
}

GsObject *gs_gen_new(GsThread *ts, GsFrame *f, GsObject *func)
{
    int flags = f->code->flags;
    GsType *type = (flags & GS_CO_COROUTINE) ? &gs_coro_type
                   : (flags & GS_CO_ASYNC_GENERATOR) ? &gs_asyncgen_type : &gs_gen_type;
    GsGen *g = (GsGen *)gs_alloc(ts, type, type->size);   /* an async generator's is larger */
    if (!g) {
        gs_frame_release(ts, f);
        return NULL;
    }
    GsFunction *fn = (GsFunction *)func;
    g->frame = f;
    g->code = gs_newref(ts, fn->code);
    g->name = gs_newref(ts, fn->name);
    g->qualname = gs_newref(ts, fn->qualname);
    return (GsObject *)g;
}

static void finish(GsThread *ts, GsGen *g)
{
    GsFrame *f = g->frame;
    g->frame = NULL;
    if (f)
        gs_frame_release(ts, f);
}

/* Run the generator one step: send `arg` in (NULL: next(), i.e. None), or
 * with `throwing`, raise the exception already set at its yield.
 * Returns what it yielded (*done false) or returned (*done true), or NULL
 * with an exception (*done true: it is finished). */
static GsObject *send_ex(GsThread *ts, GsGen *g, GsObject *arg, bool throwing, bool *done)
{
    *done = true;
    if (g->running)
        return gs_err_set(ts, &gs_exc_ValueError, "%s already executing", kind_name(g));
    if (!g->frame) {
        if (g->ob.type == &gs_coro_type && !throwing)
            return gs_err_set(ts, &gs_exc_RuntimeError, "cannot reuse already awaited coroutine");
        if (throwing)
            return NULL;   /* the exception set is raised as it is */
        /* Exhausted: next() says StopIteration (gs_iternext's NULL); an
         * async generator's asend() says StopAsyncIteration (coroobject.c). */
        *done = true;
        return arg ? gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration) : NULL;
    }
    GsFrame *f = g->frame;
    if (!started(g) && !throwing) {
        if (arg && arg != GS_NONE)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "can't send non-None value to a just-started %s", kind_name(g));
    } else if (started(g)) {
        /* The value of the yield (None when throwing: the unwinding drops it). */
        *f->sp++ = gs_newref(ts, arg && !throwing ? arg : GS_NONE);
    }
    g->running = true;
    gs_incref(ts, (GsObject *)g);   /* the frame may drop the last other reference */
    GsObject *r = gs_eval_resume(ts, f, throwing);
    g->running = false;
    if (f->suspended && r) {
        *done = false;
    } else {
        finish(ts, g);
        bool async_stop = g->ob.type == &gs_asyncgen_type &&
                          gs_err_matches(ts, &gs_exc_StopAsyncIteration);
        if (!r && (gs_err_matches(ts, &gs_exc_StopIteration) || async_stop)) {
            /* PEP 479: a StopIteration escaping the body is a bug, not the
             * end of the iteration (and PEP 525: StopAsyncIteration, in an
             * async generator). */
            GsObject *cause = gs_err_fetch(ts);
            gs_err_set(ts, &gs_exc_RuntimeError, "%s raised %s", kind_name(g),
                       async_stop ? "StopAsyncIteration" : "StopIteration");
            GsObject *e = gs_err_occurred(ts);
            if (e)
                ((GsException *)e)->cause = cause;
            else
                gs_decref(ts, cause);
        }
    }
    gs_decref(ts, (GsObject *)g);
    return r;
}

/* StopIteration(value), raised: how send() and next() report a return. */
static GsObject *stop_with(GsThread *ts, GsObject *value)
{
    if (value == GS_NONE) {
        gs_decref(ts, value);
        return gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
    }
    GsObject *e = gs_exc_new(ts, &gs_exc_StopIteration, &value, 1);
    gs_decref(ts, value);
    if (!e)
        return NULL;
    gs_err_set_obj(ts, e);
    gs_decref(ts, e);
    return NULL;
}

/* tp_iternext: NULL with no exception when it has returned (gs_iternext's
 * rule: a `for` loop, list() or sum() has no use for the value). */
static GsObject *gen_iternext(GsThread *ts, GsObject *o)
{
    bool done;
    GsObject *r = send_ex(ts, (GsGen *)o, NULL, false, &done);
    if (r && done) {
        gs_decref(ts, r);
        return NULL;
    }
    return r;
}

GsObject *gs_gen_next(GsThread *ts, GsObject *o)
{
    bool done;
    GsObject *r = send_ex(ts, (GsGen *)o, NULL, false, &done);
    if (r && done)
        return stop_with(ts, r);
    if (!r && !gs_err_occurred(ts))
        gs_err_set_obj(ts, (GsObject *)&gs_exc_StopIteration);
    return r;
}

static GsObject *gen_send(GsThread *ts, GsGen *g, GsObject *arg)
{
    bool done;
    GsObject *r = send_ex(ts, g, arg, false, &done);
    return r && done ? stop_with(ts, r) : r;
}

GsObject *gs_gen_send(GsThread *ts, GsObject *gen, GsObject *arg)
{
    return gen_send(ts, (GsGen *)gen, arg);
}

GsObject *gs_gen_send_ex(GsThread *ts, GsObject *gen, GsObject *arg, bool throwing, bool *done)
{
    return send_ex(ts, (GsGen *)gen, arg, throwing, done);
}

/* The iterator a `yield from` delegates to, or NULL: the value below the
 * top of a suspended frame stopped at YIELD_FROM. */
static GsObject *yield_from_target(GsGen *g)
{
    return gs_gen_yield_from((GsObject *)g);
}

GsObject *gs_gen_yield_from(GsObject *o)
{
    GsGen *g = (GsGen *)o;
    GsFrame *f = g->frame;
    if (!f || !started(g))
        return NULL;
    const unsigned char *code = ((GsBytes *)f->code->code)->data;
    if (code[f->resume] != OP_YIELD_FROM)
        return NULL;
    return f->sp[-1];
}

GsObject *gs_gen_delegate(GsThread *ts, GsObject *receiver, GsObject *v, bool *done)
{
    GsObject *r;
    if (gs_gen_like(receiver)) {
        /* A return value (done) is the yield from's value; a generator
         * already exhausted raises StopIteration, handled below. */
        r = send_ex(ts, (GsGen *)receiver, v, false, done);
        if (r || !gs_err_matches(ts, &gs_exc_StopIteration))
            return r;
    } else if (v == GS_NONE) {
        r = gs_iternext(ts, receiver);
    } else {
        GsObject *send = gs_getattr_c(ts, receiver, "send");
        r = send ? gs_call(ts, send, &v, 1, NULL) : NULL;
        gs_xdecref(ts, send);
    }
    *done = r == NULL;
    if (r)
        return r;
    /* Finished: its StopIteration's value, None without one. */
    if (!gs_err_occurred(ts))
        return gs_newref(ts, GS_NONE);
    if (!gs_err_matches(ts, &gs_exc_StopIteration))
        return NULL;
    GsObject *e = gs_err_fetch(ts);
    GsObject *value = gs_getattr(ts, e, GS_NAME(ts, value));
    gs_decref(ts, e);
    return value;
}

/* ---- throw() and close() -------------------------------------------------- */

static GsObject *gen_close(GsThread *ts, GsGen *g);

/* Close what a `yield from` delegates to: gen_close, or its close() if it
 * has one.  0, or -1 with the exception its close raised. */
static int close_target(GsThread *ts, GsObject *target)
{
    GsObject *r;
    if (gs_gen_like(target)) {
        r = gen_close(ts, (GsGen *)target);
    } else {
        GsObject *close = gs_getattr_c(ts, target, "close");
        if (!close) {
            if (!gs_err_matches(ts, &gs_exc_AttributeError))
                return -1;
            gs_err_clear(ts);
            return 0;
        }
        r = gs_call(ts, close, NULL, 0, NULL);
        gs_decref(ts, close);
    }
    gs_xdecref(ts, r);
    return r ? 0 : -1;
}

/* Raise the exception that is set at g's yield, and run it on. */
static GsObject *throw_here(GsThread *ts, GsGen *g)
{
    bool done;
    GsObject *r = send_ex(ts, g, NULL, true, &done);
    return r && done ? stop_with(ts, r) : r;
}

/* The delegate of g's `yield from` has finished by raising (a throw() it
 * did not catch): go on after the YIELD_FROM, with its StopIteration's
 * value, or with its other exception raised in g. */
static GsObject *after_delegate(GsThread *ts, GsGen *g)
{
    GsFrame *f = g->frame;
    gs_decref(ts, *--f->sp);   /* the delegate */
    f->resume += 2;            /* past the YIELD_FROM */
    if (gs_err_occurred(ts) && !gs_err_matches(ts, &gs_exc_StopIteration))
        return throw_here(ts, g);
    GsObject *value = GS_NONE;
    gs_incref(ts, value);
    if (gs_err_occurred(ts)) {
        GsObject *e = gs_err_fetch(ts);
        gs_decref(ts, value);
        value = gs_getattr(ts, e, GS_NAME(ts, value));
        gs_decref(ts, e);
        if (!value)
            return NULL;
    }
    GsObject *r = gen_send(ts, g, value);
    gs_decref(ts, value);
    return r;
}

/* Throw the exception that is set into g: first into the iterator it
 * delegates to with `yield from`, if it has one (CPython 3.9's
 * _gen_throw).  close_on_exit: a GeneratorExit closes that iterator
 * instead of being thrown into it. */
static GsObject *throw_set(GsThread *ts, GsGen *g, bool close_on_exit)
{
    GsObject *target = yield_from_target(g);
    if (!target)
        return throw_here(ts, g);
    GsObject *r;
    gs_incref(ts, target);
    if (close_on_exit && gs_err_matches(ts, &gs_exc_GeneratorExit)) {
        GsObject *exc = gs_err_fetch(ts);
        g->running = true;
        int err = close_target(ts, target);
        g->running = false;
        gs_decref(ts, target);
        if (err == 0)
            gs_err_set_obj(ts, exc);   /* else the close's error is thrown in */
        gs_decref(ts, exc);
        return throw_here(ts, g);
    }
    if (gs_gen_like(target)) {
        g->running = true;
        r = throw_set(ts, (GsGen *)target, close_on_exit);
        g->running = false;
    } else {
        GsObject *exc = gs_err_fetch(ts);
        GsObject *meth = gs_getattr_c(ts, target, "throw");
        if (!meth) {
            gs_decref(ts, target);
            if (!gs_err_matches(ts, &gs_exc_AttributeError)) {
                gs_decref(ts, exc);
                return NULL;
            }
            gs_err_clear(ts);
            gs_err_set_obj(ts, exc);
            gs_decref(ts, exc);
            return throw_here(ts, g);
        }
        g->running = true;
        r = gs_call(ts, meth, &exc, 1, NULL);
        g->running = false;
        gs_decref(ts, meth);
        gs_decref(ts, exc);
    }
    gs_decref(ts, target);
    return r ? r : after_delegate(ts, g);
}

/* generator.throw(type[, value]) or throw(instance): CPython 3.9's
 * argument rules, then throw_set. */
static GsObject *gen_throw(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    if (gs_gen_set_thrown(ts, args, nargs, kwnames) < 0)
        return NULL;
    return throw_set(ts, (GsGen *)self, true);
}

GsObject *gs_gen_throw_set(GsThread *ts, GsObject *gen)
{
    return throw_set(ts, (GsGen *)gen, true);
}

int gs_gen_set_thrown(GsThread *ts, GsObject *const *args, size_t nargs, GsObject *kwnames)
{
    if (kwnames || nargs < 1 || nargs > 3) {
        gs_err_set(ts, &gs_exc_TypeError, "throw expected at %s, got %zu",
                   nargs < 1 ? "least 1 argument" : "most 3 arguments", nargs);
        return -1;
    }
    GsObject *typ = args[0], *val = nargs > 1 ? args[1] : GS_NONE;
    GsObject *exc;
    if (GS_IS_TYPE(typ) && gs_type_is_subtype((GsType *)typ, &gs_exc_BaseException)) {
        if (val != GS_NONE && gs_is_exception(val) &&
            gs_type_is_subtype(val->type, (GsType *)typ)) {
            exc = gs_newref(ts, val);
        } else if (val == GS_NONE) {
            exc = gs_exc_new(ts, (GsType *)typ, NULL, 0);
        } else if (GS_IS_TUPLE(val)) {
            exc = gs_call(ts, typ, ((GsTuple *)val)->items, ((GsTuple *)val)->len, NULL);
        } else {
            exc = gs_call(ts, typ, &val, 1, NULL);
        }
        if (!exc)
            return -1;
    } else if (gs_is_exception(typ)) {
        if (val != GS_NONE) {
            gs_err_set(ts, &gs_exc_TypeError, "instance exception may not have a separate value");
            return -1;
        }
        exc = gs_newref(ts, typ);
    } else {
        gs_err_set(ts, &gs_exc_TypeError,
                   "exceptions must be classes or instances deriving from BaseException, "
                   "not %s", typ->type->name);
        return -1;
    }
    gs_err_set_obj(ts, exc);
    gs_decref(ts, exc);
    return 0;
}

/* generator.close(): GeneratorExit thrown in, and it must not yield again. */
static GsObject *gen_close(GsThread *ts, GsGen *g)
{
    GsObject *target = yield_from_target(g);
    int err = 0;
    if (target) {
        gs_incref(ts, target);
        g->running = true;
        err = close_target(ts, target);
        g->running = false;
        gs_decref(ts, target);
    }
    if (err == 0)
        gs_err_set_obj(ts, (GsObject *)&gs_exc_GeneratorExit);
    bool done;
    GsObject *r = send_ex(ts, g, NULL, true, &done);
    if (r) {
        gs_decref(ts, r);
        return gs_err_set(ts, &gs_exc_RuntimeError, "%s ignored GeneratorExit", kind_name(g));
    }
    if (gs_err_matches(ts, &gs_exc_StopIteration) || gs_err_matches(ts, &gs_exc_GeneratorExit)) {
        gs_err_clear(ts);
        return gs_newref(ts, GS_NONE);
    }
    return NULL;
}

GsObject *gs_gen_close(GsThread *ts, GsObject *gen)
{
    return gen_close(ts, (GsGen *)gen);
}

/* ---- the type ---------------------------------------------------------------- */

static GsObject *m_send(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                        GsObject *kwnames)
{
    if (kwnames || nargs != 1)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "send() takes exactly one argument (%zu given)", nargs);
    return gen_send(ts, (GsGen *)self, args[0]);
}

static GsObject *m_close(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                         GsObject *kwnames)
{
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "close() takes no arguments (%zu given)", nargs);
    return gen_close(ts, (GsGen *)self);
}

/* __next__ called as a method (next() of the builtins goes the same way):
 * a return ends it with StopIteration carrying the value. */
static GsObject *m_next(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                        GsObject *kwnames)
{
    if (kwnames || nargs)
        return gs_err_set(ts, &gs_exc_TypeError, "expected 0 arguments, got %zu", nargs);
    return gs_gen_next(ts, self);
}

static GsObject *gen_iter(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

static GsObject *gen_repr(GsThread *ts, GsObject *o)
{
    return gs_str_printf(ts, "<generator object %s at %#llx>",
                         gs_str_cstr(((GsGen *)o)->qualname), (unsigned long long)(uintptr_t)o);
}

static GsObject *gen_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsGen *g = (GsGen *)o;
    const char *s = gs_str_cstr(name);
    if (strcmp(s, "gi_code") == 0)
        return gs_newref(ts, g->code);
    if (strcmp(s, "gi_running") == 0)
        return gs_newref(ts, gs_bool(g->running));
    if (strcmp(s, "gi_yieldfrom") == 0) {
        GsObject *t = yield_from_target(g);
        return gs_newref(ts, t ? t : GS_NONE);
    }
    if (strcmp(s, "__name__") == 0)
        return gs_newref(ts, g->name);
    if (strcmp(s, "__qualname__") == 0)
        return gs_newref(ts, g->qualname);
    if (strcmp(s, "gi_frame") == 0)
        return gs_err_set(ts, &gs_exc_AttributeError,
                          "gilscope has no frame objects: a generator's gi_frame cannot be read");
    return gs_generic_getattr(ts, o, name);
}

/* The collector sees what the frame holds: a generator that refers to
 * itself through a local is a cycle like any other.  The value stack only
 * while suspended: running, the eval loop keeps its top in a register, and
 * f->sp may point past values already popped (CPython skips it too). */
int gs_gen_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsGen *g = (GsGen *)o;
    GsFrame *f = g->frame;
    if (f) {
        GsObject **end = g->running ? f->stack : f->sp;
        for (GsObject **p = f->localsplus; p < end; p++)
            if (*p && visit(*p, arg))
                return 1;
    }
    return visit(g->code, arg);
}

void gs_gen_clear(GsThread *ts, GsObject *o)
{
    finish(ts, (GsGen *)o);
}

/* A suspended generator is closed before it dies, so that its `finally`
 * blocks and `with` exits run: CPython's _PyGen_Finalize, the type's
 * finalizer (shared with async generators; coroutines add their warning).
 * It runs when reference counting drops the generator (from gs_dealloc)
 * and when the cycle collector finds it in garbage (gc.c), once
 * (finalize.c).  An error there cannot propagate, and is printed as
 * "Exception ignored in: <generator object ...>". */
void gs_gen_finalize(GsThread *ts, GsObject *o)
{
    GsGen *g = (GsGen *)o;
    if (!started(g) || g->running)
        return;
    GsObject *r = gen_close(ts, g);
    if (r)
        gs_decref(ts, r);
    else
        gs_write_unraisable(ts, o);
}

void gs_gen_dealloc(GsThread *ts, GsObject *o)
{
    GsGen *g = (GsGen *)o;
    finish(ts, g);
    gs_xdecref(ts, g->code);
    gs_xdecref(ts, g->name);
    gs_xdecref(ts, g->qualname);
}

static const GsMethodDef gen_methods[] = {
    { "send", m_send },
    { "throw", gen_throw },
    { "close", m_close },
    { "__next__", m_next },
    { NULL, NULL },
};

GsType gs_gen_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "generator", .base = &gs_object_type, .size = sizeof(GsGen),
    .flags = GS_TPFLAG_GC, .methods = gen_methods, .dealloc = gs_gen_dealloc,
    .finalize = gs_gen_finalize,
    .traverse = gs_gen_traverse, .clear = gs_gen_clear, .repr = gen_repr, .getattr = gen_getattr,
    .iter = gen_iter, .iternext = gen_iternext };
