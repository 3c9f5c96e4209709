/*
 * errors.c -- exception types, raising, and the exception object.
 *
 * The current exception lives in the thread state (ts->curexc), as
 * CPython's does; a C function that fails sets it and returns NULL or -1,
 * and every caller passes the failure up until the eval loop finds a
 * handler.  The exception being handled by an `except` block is
 * ts->handled (CPython's exc_info), which becomes the __context__ of any
 * exception raised meanwhile.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

/* ---- the exception object ------------------------------------------------ */

static GsObject *exc_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                         GsObject *kwnames)
{
    if (kwnames && ((GsTuple *)kwnames)->len > 0)
        nargs -= ((GsTuple *)kwnames)->len;   /* keywords go to __init__ only */
    GsException *e = (GsException *)gs_alloc(ts, type, type->size);
    if (!e)
        return NULL;
    GsObject *t = gs_tuple_new(ts, nargs);
    if (!t) {
        gs_decref(ts, (GsObject *)e);
        return NULL;
    }
    for (size_t i = 0; i < nargs; i++)
        ((GsTuple *)t)->items[i] = gs_newref(ts, args[i]);
    e->args = t;
    return (GsObject *)e;
}

GsObject *gs_exc_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs)
{
    return exc_new(ts, type, args, nargs, NULL);
}

static void exc_clear(GsThread *ts, GsObject *o)
{
    GsException *e = (GsException *)o;
    GsObject *f[5] = { e->base.dict, e->args, e->traceback, e->context, e->cause };
    e->base.dict = e->args = e->traceback = e->context = e->cause = NULL;
    for (int i = 0; i < 5; i++)
        gs_xdecref(ts, f[i]);
}

static int exc_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsException *e = (GsException *)o;
    GsObject *f[5] = { e->base.dict, e->args, e->traceback, e->context, e->cause };
    for (int i = 0; i < 5; i++) {
        int r = f[i] ? visit(f[i], arg) : 0;
        if (r)
            return r;
    }
    return 0;
}

/* repr: KeyError('b'), ValueError(), OSError(2, 'x') -- CPython's rules. */
static GsObject *exc_repr(GsThread *ts, GsObject *o)
{
    GsException *e = (GsException *)o;
    GsTuple *args = (GsTuple *)e->args;
    GsBuf b;
    gs_buf_init(&b);
    gs_buf_puts(&b, o->type->name);
    int r;
    if (args && args->len == 1) {
        gs_buf_putc(&b, '(');
        r = gs_buf_repr(ts, &b, args->items[0]);
        gs_buf_putc(&b, ')');
    } else if (args && args->len > 0) {
        r = gs_buf_repr(ts, &b, e->args);
    } else {
        gs_buf_puts(&b, "()");
        r = 0;
    }
    if (r < 0) {
        gs_buf_free(&b);
        return NULL;
    }
    return gs_buf_finish(ts, &b);
}

/* str: '' with no args, str(arg) with one (repr(arg) for KeyError, so that
 * `KeyError: 'b'` shows the quotes), str(args) with several. */
static GsObject *exc_str(GsThread *ts, GsObject *o)
{
    GsException *e = (GsException *)o;
    GsTuple *args = (GsTuple *)e->args;
    if (!args || args->len == 0)
        return gs_str_from(ts, "");
    if (args->len == 1) {
        if (gs_type_is_subtype(o->type, &gs_exc_KeyError))
            return gs_repr(ts, args->items[0]);
        return gs_str(ts, args->items[0]);
    }
    return gs_str(ts, e->args);
}

static GsObject *exc_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsException *e = (GsException *)o;
    if (name == GS_NAME(ts, args))
        return gs_newref(ts, e->args ? e->args : ts->interp->empty_tuple);
    if (name == GS_NAME(ts, code) && gs_type_is_subtype(o->type, &gs_exc_SystemExit)) {
        /* SystemExit.code: the argument, None without one, args if several. */
        GsTuple *a = (GsTuple *)e->args;
        if (!a || a->len == 0)
            return gs_newref(ts, GS_NONE);
        return gs_newref(ts, a->len == 1 ? a->items[0] : e->args);
    }
    if (name == GS_NAME(ts, value) && gs_type_is_subtype(o->type, &gs_exc_StopIteration)) {
        GsTuple *a = (GsTuple *)e->args;
        return gs_newref(ts, a && a->len > 0 ? a->items[0] : GS_NONE);
    }
    if (gs_is(name, &gs_str_type) && strcmp(gs_str_cstr(name), "__suppress_context__") == 0)
        return gs_newref(ts, gs_bool(e->suppress_context));
    if (gs_is(name, &gs_str_type) && strcmp(gs_str_cstr(name), "__context__") == 0)
        return gs_newref(ts, e->context ? e->context : GS_NONE);
    if (gs_is(name, &gs_str_type) && strcmp(gs_str_cstr(name), "__cause__") == 0)
        return gs_newref(ts, e->cause ? e->cause : GS_NONE);
    if (gs_is(name, &gs_str_type) && strcmp(gs_str_cstr(name), "__traceback__") == 0) {
        GsList *tb = (GsList *)e->traceback;
        if (!tb || tb->len == 0)
            return gs_newref(ts, GS_NONE);
        return gs_err_set(ts, &gs_exc_AttributeError,
                          "gilscope has no traceback objects: __traceback__ can only be "
                          "read when it is None");
    }
    return gs_generic_getattr(ts, o, name);
}

/* The attributes kept in the exception itself, with CPython's checks:
 * __cause__, __context__, __suppress_context__ and __traceback__ (which
 * only None can be given: gilscope has no traceback objects).  Returns 1
 * if `attr` is none of them. */
static int set_special(GsThread *ts, GsException *e, const char *attr, GsObject *v)
{
    bool cause = strcmp(attr, "__cause__") == 0;
    if (cause || strcmp(attr, "__context__") == 0) {
        if (!v) {
            gs_err_set(ts, &gs_exc_TypeError, "%s may not be deleted", attr);
            return -1;
        }
        if (v != GS_NONE && !gs_is_exception(v)) {
            gs_err_set(ts, &gs_exc_TypeError, "exception %s must be None or derive from "
                       "BaseException", cause ? "cause" : "context");
            return -1;
        }
        gs_setref(ts, cause ? &e->cause : &e->context, v == GS_NONE ? NULL : gs_newref(ts, v));
        if (cause)
            e->suppress_context = true;   /* as `raise ... from` does */
        return 0;
    }
    if (strcmp(attr, "__suppress_context__") == 0) {
        if (!v || (v != GS_TRUE && v != GS_FALSE)) {
            gs_err_set(ts, &gs_exc_TypeError, v ? "attribute value type must be bool"
                                                : "can't delete attribute");
            return -1;
        }
        e->suppress_context = v == GS_TRUE;
        return 0;
    }
    if (strcmp(attr, "__traceback__") == 0) {
        if (!v) {
            gs_err_set(ts, &gs_exc_TypeError, "__traceback__ may not be deleted");
            return -1;
        }
        if (v != GS_NONE) {
            gs_err_set(ts, &gs_exc_TypeError, "__traceback__ must be a traceback or None");
            return -1;
        }
        gs_setref(ts, &e->traceback, NULL);
        return 0;
    }
    return 1;
}

static int exc_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    GsException *e = (GsException *)o;
    if (name == GS_NAME(ts, args) && v) {
        GsObject *t = gs_is(v, &gs_tuple_type) ? gs_newref(ts, v) : NULL;
        if (!t) {
            GsObject *l = gs_sequence_to_list(ts, v);
            if (!l)
                return -1;
            t = gs_list_as_tuple(ts, l);
            gs_decref(ts, l);
            if (!t)
                return -1;
        }
        gs_setref(ts, &e->args, t);
        return 0;
    }
    int r = gs_is(name, &gs_str_type) ? set_special(ts, e, gs_str_cstr(name), v) : 1;
    return r <= 0 ? r : gs_generic_setattr(ts, o, name, v);
}

/* BaseException.__init__(self, *args): what `super().__init__(msg)` calls. */
static GsObject *exc_init(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "BaseException.__init__", kwnames) < 0)
        return NULL;
    if (!self || !gs_is_exception(self))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "descriptor '__init__' requires a 'BaseException' object");
    GsObject *t = gs_tuple_new(ts, nargs);
    if (!t)
        return NULL;
    for (size_t i = 0; i < nargs; i++)
        ((GsTuple *)t)->items[i] = gs_newref(ts, args[i]);
    gs_setref(ts, &((GsException *)self)->args, t);
    return gs_newref(ts, GS_NONE);
}

static GsObject *exc_with_traceback(GsThread *ts, GsObject *self, GsObject *const *args,
                                    size_t nargs, GsObject *kwnames)
{
    return gs_newref(ts, self);
}

static const GsMethodDef exc_methods[] = {
    { "__init__", exc_init },
    { "with_traceback", exc_with_traceback },
    { NULL, NULL },
};

static int64_t exc_hash(GsThread *ts, GsObject *o) { return o->serial; }

GsType gs_exc_BaseException = {
    .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 }, .name = "BaseException",
    .base = &gs_object_type, .size = sizeof(GsException),
    .flags = GS_TPFLAG_GC | GS_TPFLAG_BASETYPE | GS_TPFLAG_HAS_DICT,
    .methods = exc_methods, .new_ = exc_new, .dealloc = exc_clear, .traverse = exc_traverse,
    .clear = exc_clear, .repr = exc_repr, .str = exc_str, .getattr = exc_getattr,
    .setattr = exc_setattr, .hash = exc_hash };

/* Every other exception type inherits the slots of BaseException. */
#define GS_X_DEFINE(N, B) \
    GsType gs_exc_##N = { \
        .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 }, .name = #N, \
        .base = &B, .size = sizeof(GsException), \
        .flags = GS_TPFLAG_GC | GS_TPFLAG_BASETYPE | GS_TPFLAG_HAS_DICT, \
        .new_ = exc_new, .dealloc = exc_clear, .traverse = exc_traverse, .clear = exc_clear, \
        .repr = exc_repr, .str = exc_str, .getattr = exc_getattr, .setattr = exc_setattr, \
        .hash = exc_hash };
/* BaseException is defined above by hand; the rest follow GS_EXC_TYPES. */
GS_X_DEFINE(SystemExit, gs_exc_BaseException)
GS_X_DEFINE(KeyboardInterrupt, gs_exc_BaseException)
GS_X_DEFINE(GeneratorExit, gs_exc_BaseException)
GS_X_DEFINE(Exception, gs_exc_BaseException)
GS_X_DEFINE(StopIteration, gs_exc_Exception)
GS_X_DEFINE(StopAsyncIteration, gs_exc_Exception)
GS_X_DEFINE(ArithmeticError, gs_exc_Exception)
GS_X_DEFINE(OverflowError, gs_exc_ArithmeticError)
GS_X_DEFINE(ZeroDivisionError, gs_exc_ArithmeticError)
GS_X_DEFINE(AssertionError, gs_exc_Exception)
GS_X_DEFINE(AttributeError, gs_exc_Exception)
GS_X_DEFINE(LookupError, gs_exc_Exception)
GS_X_DEFINE(IndexError, gs_exc_LookupError)
GS_X_DEFINE(KeyError, gs_exc_LookupError)
GS_X_DEFINE(MemoryError, gs_exc_Exception)
GS_X_DEFINE(NameError, gs_exc_Exception)
GS_X_DEFINE(UnboundLocalError, gs_exc_NameError)
GS_X_DEFINE(OSError, gs_exc_Exception)
GS_X_DEFINE(FileNotFoundError, gs_exc_OSError)
GS_X_DEFINE(IsADirectoryError, gs_exc_OSError)
GS_X_DEFINE(ConnectionError, gs_exc_OSError)
GS_X_DEFINE(BrokenPipeError, gs_exc_ConnectionError)
GS_X_DEFINE(RuntimeError, gs_exc_Exception)
GS_X_DEFINE(RecursionError, gs_exc_RuntimeError)
GS_X_DEFINE(NotImplementedError, gs_exc_RuntimeError)
GS_X_DEFINE(SyntaxError, gs_exc_Exception)
GS_X_DEFINE(IndentationError, gs_exc_SyntaxError)
GS_X_DEFINE(SystemError, gs_exc_Exception)
GS_X_DEFINE(TypeError, gs_exc_Exception)
GS_X_DEFINE(ValueError, gs_exc_Exception)
GS_X_DEFINE(ImportError, gs_exc_Exception)
GS_X_DEFINE(ModuleNotFoundError, gs_exc_ImportError)

bool gs_is_exception(GsObject *o)
{
    return gs_type_is_subtype(o->type, &gs_exc_BaseException);
}

/* ---- raising ------------------------------------------------------------------ */

/* Make exc the current exception (takes a new reference), chaining the one
 * being handled as its __context__ like CPython's _PyErr_SetObject. */
static void set_current(GsThread *ts, GsObject *exc)
{
    GsException *e = (GsException *)exc;
    if (ts->handled && ts->handled != exc && !e->context)
        e->context = gs_newref(ts, ts->handled);
    gs_setref(ts, &ts->curexc, exc);
}

GsObject *gs_err_set(GsThread *ts, GsType *type, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    GsObject *s = gs_str_from(ts, msg);
    if (!s)
        return NULL;   /* MemoryError already set */
    GsObject *e = gs_exc_new(ts, type, &s, 1);
    gs_decref(ts, s);
    if (e)
        set_current(ts, e);
    return NULL;
}

/* `raise X`: X may be an exception class (instantiated with no arguments)
 * or an instance. */
GsObject *gs_err_set_obj(GsThread *ts, GsObject *exc)
{
    if (GS_IS_TYPE(exc) && gs_type_is_subtype((GsType *)exc, &gs_exc_BaseException)) {
        GsObject *inst = gs_call0(ts, exc);
        if (!inst)
            return NULL;
        if (!gs_is_exception(inst)) {
            gs_decref(ts, inst);
            return gs_err_set(ts, &gs_exc_TypeError,
                              "calling %s should have returned an instance of BaseException",
                              ((GsType *)exc)->name);
        }
        set_current(ts, inst);
        return NULL;
    }
    if (!gs_is_exception(exc))
        return gs_err_set(ts, &gs_exc_TypeError, "exceptions must derive from BaseException");
    gs_incref(ts, exc);
    set_current(ts, exc);
    return NULL;
}

GsObject *gs_err_occurred(GsThread *ts) { return ts->curexc; }

bool gs_err_matches(GsThread *ts, GsType *type)
{
    return ts->curexc && gs_type_is_subtype(ts->curexc->type, type);
}

GsObject *gs_err_fetch(GsThread *ts)
{
    GsObject *e = ts->curexc;
    ts->curexc = NULL;
    return e;
}

void gs_err_clear(GsThread *ts)
{
    GsObject *e = ts->curexc;
    ts->curexc = NULL;
    gs_xdecref(ts, e);
}

/* Record that exc passed through a frame: a (filename, line, name) entry. */
int gs_traceback_add(GsThread *ts, GsObject *exc, GsObject *filename, int line, GsObject *name)
{
    GsException *e = (GsException *)exc;
    if (!e->traceback && !(e->traceback = gs_list_new(ts, 0)))
        return -1;
    GsObject *ln = gs_int_new(ts, line);
    if (!ln)
        return -1;
    GsObject *entry = gs_tuple_pack(ts, 3, filename, ln, name);
    gs_decref(ts, ln);
    if (!entry)
        return -1;
    int r = gs_list_append(ts, e->traceback, entry);
    gs_decref(ts, entry);
    return r;
}
