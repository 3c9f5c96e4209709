/*
 * finalize.c -- finalizers: `__del__`, and the built-in types' own
 * (a generator's is close()), with CPython's rules since 3.4 (PEP 442).
 *
 * WHEN A FINALIZER RUNS.  In two places, as in CPython:
 *
 *   - When reference counting frees the object: gs_dealloc calls
 *     gs_finalize_from_dealloc before anything is torn down.  That is in
 *     the thread that dropped the last reference, at the instruction that
 *     dropped it (`del x`, `x = None`, a function's return clearing its
 *     locals, a list losing its item...).
 *   - When the cycle collector finds the object unreachable (gc.c): all the
 *     finalizers of the garbage run first, before any cycle is broken, so
 *     every `__del__` sees its object's attributes intact.
 *
 * THE RULES (PEP 442).
 *   - A finalizer runs at most once per object: a bit in the object's GC
 *     head says it has run.  (Objects without a GC head -- none of the
 *     guest classes today -- would run it each time they die.)
 *   - It may *resurrect* the object by storing a reference somewhere
 *     (`self.saved.append(self)`): then the object is not freed.  When it
 *     dies again, its `__del__` is not called again.
 *   - An exception escaping `__del__` cannot propagate (there is no caller
 *     to give it to): it is printed as "Exception ignored in: <function
 *     C.__del__ at 0x...>" and a traceback, on stderr, and the program
 *     goes on.  An exception that was being raised when the object died
 *     is set aside while `__del__` runs and put back afterwards.
 *
 * RE-ENTRANCY.  A finalizer is guest code running in the middle of
 * whatever C code dropped the reference: a dict being resized, a list
 * being sorted, the eval loop between two instructions.  CPython has
 * exactly this hazard and answers it the same way gilscope does: every C
 * function stores the new value before it drops the old one (gs_setref),
 * so the guest never sees a half-updated container; the collector keeps
 * `collecting` set, so a `gc.collect()` inside `__del__` returns 0 rather
 * than re-entering; and the exception state is saved and restored here.
 * The finalizer is an ordinary call, so it may switch threads at the
 * eval loop's usual points, and it is traced like any other call.
 * Nothing runs while the interpreter is being torn down (tearing_down),
 * nor once a stop (timeout, deadlock) is unwinding every frame.
 */
#include "interp.h"

/* The `__del__` a guest class defines or inherits, borrowed; NULL if none.
 * Looked up when the class's flag says there is one: the flag follows the
 * class's attributes as CPython's slot does (C.__del__ = f works after
 * instances exist; gs_type_set_attribute_hooks, object.c). */
static GsObject *del_method(GsThread *ts, GsType *t)
{
    if (!(t->flags & GS_TPFLAG_HAS_DEL))   /* kept up to date: object.c */
        return NULL;
    return gs_type_lookup(t, GS_NAME(ts, __del__));
}

bool gs_has_finalizer(GsThread *ts, GsObject *o)
{
    return o->type->finalize != NULL || del_method(ts, o->type) != NULL;
}

/* Only containers have a GC head to keep the "finalized" bit in. */
static bool has_bit(GsObject *o)
{
    return (o->type->flags & GS_TPFLAG_GC) && o->refcnt < GS_IMMORTAL_REFCNT / 2;
}

/* Nothing of the guest runs while the interpreter is freed, nor while a
 * stop unwinds every frame without running `finally` blocks. */
static bool may_run_guest_code(GsThread *ts)
{
    GsInterp *in = ts->interp;
    return in && !in->tearing_down && atomic_load(&in->stop_reason) == GS_STOP_NONE;
}

/* "Exception ignored in: <repr of where>" and the traceback of the
 * exception being raised, which is cleared: CPython's
 * PyErr_WriteUnraisable, for errors nobody can catch.  Printed on the
 * guest's sys.stderr when it is a stream gilscope can write to. */
void gs_write_unraisable(GsThread *ts, GsObject *where)
{
    GsObject *e = gs_err_fetch(ts);
    if (!e)
        return;
    FILE *err = gs_stderr_file(ts);
    if (err) {
        GsObject *r = where ? gs_repr(ts, where) : NULL;
        if (!r)
            gs_err_clear(ts);
        fflush(ts->interp->out);
        fprintf(err, "Exception ignored in: %s\n", r ? gs_str_cstr(r) : "<object repr() failed>");
        gs_xdecref(ts, r);
        gs_print_exception(ts, e);
    }
    gs_decref(ts, e);
}

/* CPython's slot_tp_finalize: call o.__del__() with the exception being
 * raised (if any) set aside.  A plain function is called with o as its
 * argument; anything else (a staticmethod, a callable object) is bound
 * first, as any other special method is. */
static void call_del(GsThread *ts, GsObject *o, GsObject *del)
{
    gs_incref(ts, del);   /* __del__ may delete itself from the class */
    GsObject *r;
    if (del->type == &gs_function_type) {
        r = gs_call(ts, del, &o, 1, NULL);
    } else {
        GsObject *bound = gs_descr_get(ts, del, o, o->type);
        r = bound ? gs_call0(ts, bound) : NULL;
        if (bound) {
            gs_decref(ts, del);
            del = bound;   /* CPython reports the bound object */
        }
    }
    if (r)
        gs_decref(ts, r);
    else
        gs_write_unraisable(ts, del);
    gs_decref(ts, del);
}

static void run_finalizer(GsThread *ts, GsObject *o)
{
    GsObject *saved = gs_err_fetch(ts);
    if (o->type->finalize) {
        o->type->finalize(ts, o);
    } else {
        GsObject *del = del_method(ts, o->type);
        if (del)
            call_del(ts, o, del);
    }
    if (gs_err_occurred(ts))   /* a finalizer reports its own errors */
        gs_write_unraisable(ts, NULL);
    if (saved) {
        gs_err_set_obj(ts, saved);
        gs_decref(ts, saved);
    }
}

/* CPython's PyObject_CallFinalizer: o is alive (the caller holds a
 * reference); its finalizer runs unless it already has. */
void gs_call_finalizer(GsThread *ts, GsObject *o)
{
    if (!may_run_guest_code(ts) || !gs_has_finalizer(ts, o))
        return;
    if (has_bit(o)) {
        if (gs_gc_head(o)->finalized)
            return;
        gs_gc_head(o)->finalized = 1;
    }
    run_finalizer(ts, o);
}

/* CPython's PyObject_CallFinalizerFromDealloc.  o's count has just
 * dropped to zero.  Bring it back to one while the finalizer runs (it is
 * passed as `self`, so it must be a real object), then drop that
 * reference by hand: a gs_decref would free o from inside its own
 * deallocation.  If the count is still above zero, the finalizer stored a
 * reference somewhere: o lives on, still tracked by the collector, and
 * gs_dealloc must stop.
 *
 * A container parked in the trashcan (object.c) was unlinked from its
 * generation; it joins generation 0 again first, as CPython's
 * subtype_dealloc tracks the object again around the call. */
bool gs_finalize_from_dealloc(GsThread *ts, GsObject *o)
{
    if (!may_run_guest_code(ts) || !gs_has_finalizer(ts, o))
        return false;
    if (has_bit(o) && gs_gc_head(o)->finalized)
        return false;
    if (has_bit(o) && gs_gc_head(o)->next == NULL)
        gs_gc_track_again(ts, o);
    o->refcnt = 1;
    gs_call_finalizer(ts, o);
    if (--o->refcnt == 0)
        return false;
    return true;
}
