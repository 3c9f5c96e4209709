/*
 * threadmodule.c -- guest threads and the `_thread` module that `threading`
 * (vm/runtime/lib/threading.py) is written on, as in CPython.
 *
 * Every guest thread is a real OS thread with its own GsThread.  It runs
 * bytecode only while holding the GIL; every call here that may block --
 * waiting for a lock, an event, a thread to finish -- releases the GIL
 * around the wait (CPython's Py_BEGIN/END_ALLOW_THREADS), and says why in
 * the trace.
 *
 * Waits are done in slices of STOP_POLL_NS so that a stop from outside
 * (--timeout, SIGTERM) is noticed by threads that are blocked too.
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"

#define STOP_POLL_NS 20000000u    /* 20 ms */
#define GUEST_THREAD_STACK ((size_t)64 << 20)

static bool stopping(GsThread *ts)
{
    int r = atomic_load(&ts->interp->stop_reason);
    return r != GS_STOP_NONE && r != GS_STOP_INTERRUPT;
}

/* Should a blocking wait give up now?  On a stop, yes; on Ctrl-C, only in
 * the main thread, which is where CPython delivers KeyboardInterrupt (the
 * eval loop raises it at its next check). */
static bool wait_interrupted(GsThread *ts)
{
    return stopping(ts) ||
           (ts->tid == 0 && atomic_load(&ts->interp->stop_reason) == GS_STOP_INTERRUPT);
}

/* ---- the main thread ------------------------------------------------------- */

void gs_main_thread_enter(GsThread *ts)
{
    atomic_fetch_add(&ts->interp->gil->threads, 1);
    gs_gil_take(ts->interp->gil, &ts->gil);
    gs_ev_thread_start(ts, "MainThread");
}

/* Wait for the non-daemon threads (threading._shutdown), then stop the
 * daemon ones at their next safe point, and leave. */
void gs_main_thread_exit(GsThread *ts)
{
    GsInterp *in = ts->interp;
    GsObject *threading = gs_dict_get_c(ts, in->modules, "threading");
    if (threading && !stopping(ts)) {
        GsObject *r = NULL, *fn = gs_getattr_c(ts, threading, "_shutdown");
        if (fn)
            r = gs_call0(ts, fn);
        gs_xdecref(ts, fn);
        if (r)
            gs_decref(ts, r);
        else
            gs_err_clear(ts);
    }
    /* Finalize __main__ only when no other thread is left to run on
     * without its names (daemon threads are stopped instead). */
    if (!stopping(ts) && atomic_load(&in->os_threads) == 0)
        gs_finalize_main(ts);
    gs_ev_thread_end(ts);
    atomic_fetch_sub(&in->gil->threads, 1);
    if (atomic_load(&in->os_threads) > 0) {
        int expected = GS_STOP_NONE;
        atomic_compare_exchange_strong(&in->stop_reason, &expected, GS_STOP_FINALIZE);
        gs_breaker_set(&in->eval_breaker, GS_BREAK_STOP);
    }
    gs_gil_drop(in->gil, &ts->gil, GS_REL_exit);
    /* Threads stop at their next safe point or wait slice.  One stuck in a
     * system call (a read from a pipe nobody writes) never does: like
     * CPython, which abandons daemon threads at exit, give up on it after a
     * grace period; the caller must then not free the interpreter. */
    GsPlatform *p = in->platform;
    uint64_t deadline = 0;
    while (atomic_load(&in->os_threads) > 0) {
        int stop = atomic_load(&in->stop_reason);
        if (stop != GS_STOP_NONE && stop != GS_STOP_INTERRUPT) {
            uint64_t now = p->now_ns(p);
            if (!deadline)
                deadline = now + 500000000u;
            else if (now >= deadline) {
                in->abandoned_threads = true;
                return;
            }
        }
        p->sleep_ns(p, 1000000, NULL);
    }
}

static GsPlatform *plat(GsThread *ts) { return ts->interp->platform; }

/* Wait on cond until w->over says so, or timeout_ns passes (UINT64_MAX:
 * forever), or the run is being stopped.  Called with m locked, between
 * gs_wait_begin and gs_wait_end.  An untimed wait polls: its slices are
 * poll_waits, which the simulator knows are no progress, and on the real
 * clock each poll asks whether the program is deadlocked (deadlock.c). */
static bool wait_until(GsThread *ts, GsCond *c, GsMutex *m, GsWaitRecord *w,
                       uint64_t timeout_ns)
{
    GsPlatform *p = plat(ts);
    uint64_t start = p->now_ns(p);
    while (!w->over(w->arg)) {
        if (wait_interrupted(ts))
            return false;
        if (timeout_ns == UINT64_MAX) {
            p->poll_wait(p, c, m, STOP_POLL_NS);
            gs_wait_poll(ts, w);
            continue;
        }
        uint64_t waited = p->now_ns(p) - start;
        if (waited >= timeout_ns)
            return false;
        p->timed_wait(p, c, m, timeout_ns - waited < STOP_POLL_NS ? timeout_ns - waited
                                                                   : STOP_POLL_NS);
    }
    return true;
}

/* Timeouts, checked as CPython 3.9's lock.acquire checks them (the C
 * side of Lock, RLock, Event.wait and Thread.join).  The
 * value in seconds becomes ns by gs_seconds_to_ns (NaN: ValueError, inf or
 * past 292 years: OverflowError); -1 means "no timeout"; other negative
 * values are refused; and a finite timeout must fit _thread.TIMEOUT_MAX,
 * which CPython keeps in microseconds (PY_TIMEOUT_MAX). */
#define NO_TIMEOUT_NS (-1000000000)                      /* timeout=-1 */
#define TIMEOUT_MAX_NS ((int64_t)9223372036854775 * 1000) /* PY_TIMEOUT_MAX us */

/* ns >= 0 or NO_TIMEOUT_NS -> the uint64 that wait_until takes. */
static int timeout_finish(GsThread *ts, int64_t ns, uint64_t *out)
{
    if (ns == NO_TIMEOUT_NS) {
        *out = UINT64_MAX;
        return 0;
    }
    if (ns < 0) {
        gs_err_set(ts, &gs_exc_ValueError, "timeout value must be positive");
        return -1;
    }
    if (ns > TIMEOUT_MAX_NS) {
        gs_err_set(ts, &gs_exc_OverflowError, "timeout value is too large");
        return -1;
    }
    *out = (uint64_t)ns;
    return 0;
}

/* lock.acquire(blocking, timeout): o NULL when not given. */
static int acquire_timeout(GsThread *ts, GsObject *o, bool blocking, uint64_t *out)
{
    int64_t ns = NO_TIMEOUT_NS;
    if (o && gs_seconds_to_ns(ts, o, &ns) < 0)
        return -1;
    if (!blocking && ns != NO_TIMEOUT_NS) {
        gs_err_set(ts, &gs_exc_ValueError, "can't specify a timeout for a non-blocking call");
        return -1;
    }
    return timeout_finish(ts, ns, out);
}

/* A blocking wait's timeout (Event.wait, join): None means forever. */
static int wait_timeout(GsThread *ts, GsObject *o, uint64_t *out)
{
    if (!o || o == GS_NONE) {
        *out = UINT64_MAX;
        return 0;
    }
    int64_t ns;
    if (gs_seconds_to_ns(ts, o, &ns) < 0)
        return -1;
    return timeout_finish(ts, ns, out);
}

/* Keyword arguments: out[i] = value named names[i], or NULL. */
static int parse_kw(GsThread *ts, const char *fn, GsObject *const *args, size_t nargs,
                    GsObject *kwnames, const char *const *names, GsObject **out, size_t npos_max)
{
    size_t nkw = gs_kw_count(kwnames), npos = nargs - nkw;
    size_t n = 0;
    while (names[n])
        n++;
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    if (npos > npos_max) {
        gs_err_set(ts, &gs_exc_TypeError, "%s() takes at most %zu positional arguments (%zu given)",
                   fn, npos_max, npos);
        return -1;
    }
    for (size_t i = 0; i < npos; i++)
        out[i] = args[i];
    for (size_t k = 0; k < nkw; k++) {
        const char *kn = gs_str_cstr(((GsTuple *)kwnames)->items[k]);
        size_t i;
        for (i = 0; i < n && strcmp(names[i], kn) != 0; i++)
            ;
        if (i == n) {
            gs_err_set(ts, &gs_exc_TypeError, "%s() got an unexpected keyword argument '%s'",
                       fn, kn);
            return -1;
        }
        out[i] = args[npos + k];
    }
    return 0;
}

/* ====================================================================
 * Locks: a flag, a mutex and a condition variable, like CPython 2.7's
 * pthread lock.  Not fair, and not owned: any thread may release.
 * ==================================================================== */

typedef struct {
    GsObject ob;
    GsMutex *m;
    GsCond *c;
    atomic_bool locked;  /* written under m; also read under the GIL alone */
    int owner;           /* RLock: tid of the owner */
    int64_t count;       /* RLock: recursion depth */
    bool reentrant;
    int holder;          /* who took it last, and on which line: for the */
    int64_t holder_line; /* explanation of a deadlock (written under m) */
} GsLock;

static GsType lock_type, rlock_type;

static bool lock_free_p(void *arg) { return !((GsLock *)arg)->locked; }

/* Mark l taken by ts at line (under l->m). */
static void lock_mark_taken(GsLock *l, GsThread *ts, int64_t line)
{
    l->locked = true;
    l->holder = ts->tid;
    l->holder_line = line;
}

/* Take the lock, blocking if asked to; 1 acquired, 0 not, -1 error. */
static int lock_take(GsThread *ts, GsLock *l, bool blocking, uint64_t timeout_ns)
{
    GsPlatform *p = plat(ts);
    int64_t line = gs_program_line(ts);
    p->lock(p, l->m);
    if (!l->locked) {
        lock_mark_taken(l, ts, line);
        p->unlock(p, l->m);
        gs_ev_lock_acquire(ts, (int64_t)l->ob.serial, 0);
        return 1;
    }
    if (!blocking) {
        p->unlock(p, l->m);
        return 0;
    }
    p->unlock(p, l->m);
    gs_ev_lock_request(ts, (int64_t)l->ob.serial);
    uint64_t start = p->now_ns(p);
    GsWaitRecord w = { .kind = GS_WAIT_LOCK, .obj = (int64_t)l->ob.serial, .holder = -1,
                       .holder_at = &l->holder, .holder_line_at = &l->holder_line,
                       .forever = timeout_ns == UINT64_MAX, .over = lock_free_p, .arg = l };
    gs_wait_begin(ts, &w);
    gs_begin_allow_threads(ts, GS_REL_lock);
    p->lock(p, l->m);
    bool got = wait_until(ts, l->c, l->m, &w, timeout_ns);
    if (got)
        lock_mark_taken(l, ts, line);
    p->unlock(p, l->m);
    gs_end_allow_threads(ts);
    gs_wait_end(ts, &w);
    if (got)
        gs_ev_lock_acquire(ts, (int64_t)l->ob.serial, (int64_t)(p->now_ns(p) - start));
    if (!got && stopping(ts)) {
        gs_err_set(ts, &gs_exc_SystemExit, "stopped");
        return -1;
    }
    return got;
}

static void lock_give(GsThread *ts, GsLock *l)
{
    GsPlatform *p = plat(ts);
    p->lock(p, l->m);
    l->locked = false;
    l->holder = -1;
    p->signal(p, l->c);
    p->unlock(p, l->m);
    gs_ev_lock_release(ts, (int64_t)l->ob.serial);
}

static GsObject *lock_make(GsThread *ts, GsType *type)
{
    GsLock *l = (GsLock *)gs_alloc(ts, type, sizeof(GsLock));
    if (!l)
        return NULL;
    l->reentrant = type == &rlock_type;
    l->owner = -1;
    l->holder = -1;
    l->m = plat(ts)->mutex_new(plat(ts));
    l->c = plat(ts)->cond_new(plat(ts));
    if (!l->m || !l->c) {
        gs_decref(ts, (GsObject *)l);
        return gs_err_set(ts, &gs_exc_MemoryError, "cannot allocate lock");
    }
    return (GsObject *)l;
}

static GsObject *lock_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    if (gs_check_nargs(ts, type->name, nargs, 0, 0) < 0)
        return NULL;
    return lock_make(ts, type);
}

static void lock_dealloc(GsThread *ts, GsObject *o)
{
    GsLock *l = (GsLock *)o;
    plat(ts)->mutex_free(plat(ts), l->m);
    plat(ts)->cond_free(plat(ts), l->c);
}

static GsObject *lock_acquire(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    static const char *const names[] = { "blocking", "timeout", NULL };
    GsObject *a[2];
    if (parse_kw(ts, "acquire", args, nargs, kwnames, names, a, 2) < 0)
        return NULL;
    int blocking = a[0] ? gs_truth(ts, a[0]) : 1;
    uint64_t timeout;
    if (blocking < 0 || acquire_timeout(ts, a[1], blocking, &timeout) < 0)
        return NULL;
    GsLock *l = (GsLock *)self;
    if (l->reentrant && l->locked && l->owner == ts->tid) {
        l->count++;
        return gs_newref(ts, GS_TRUE);
    }
    int r = lock_take(ts, l, blocking, timeout);
    if (r < 0)
        return NULL;
    if (r && l->reentrant) {
        l->owner = ts->tid;
        l->count = 1;
    }
    return gs_newref(ts, gs_bool(r));
}

static GsObject *lock_release(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    GsLock *l = (GsLock *)self;
    if (l->reentrant) {
        if (!l->locked || l->owner != ts->tid)
            return gs_err_set(ts, &gs_exc_RuntimeError, "cannot release un-acquired lock");
        if (--l->count > 0)
            return gs_newref(ts, GS_NONE);
        l->owner = -1;
    } else if (!l->locked) {
        return gs_err_set(ts, &gs_exc_RuntimeError, "release unlocked lock");
    }
    lock_give(ts, l);
    return gs_newref(ts, GS_NONE);
}

static GsObject *lock_locked(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    return gs_newref(ts, gs_bool(((GsLock *)self)->locked));
}

static GsObject *lock_exit(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    GsObject *r = lock_release(ts, self, NULL, 0, NULL);
    if (!r)
        return NULL;
    gs_decref(ts, r);
    return gs_newref(ts, GS_FALSE);
}

static GsObject *lock_repr(GsThread *ts, GsObject *o)
{
    GsLock *l = (GsLock *)o;
    return gs_str_printf(ts, "<%s %s object at %#llx>", l->locked ? "locked" : "unlocked",
                         o->type == &rlock_type ? "_thread.RLock" : "_thread.lock",
                         (unsigned long long)(uintptr_t)o);
}

static const GsMethodDef lock_methods[] = {
    { "acquire", lock_acquire }, { "release", lock_release }, { "locked", lock_locked },
    { "__enter__", lock_acquire }, { "__exit__", lock_exit },
    { "acquire_lock", lock_acquire }, { "release_lock", lock_release },
    { NULL, NULL },
};

static GsType lock_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "lock", .base = &gs_object_type, .size = sizeof(GsLock), .methods = lock_methods,
    .new_ = lock_new, .dealloc = lock_dealloc, .repr = lock_repr };
static GsType rlock_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "RLock", .base = &gs_object_type, .size = sizeof(GsLock), .methods = lock_methods,
    .new_ = lock_new, .dealloc = lock_dealloc, .repr = lock_repr };

/* ====================================================================
 * Events: a flag and a condition; wait() releases the GIL.
 * ==================================================================== */

typedef struct {
    GsObject ob;
    GsMutex *m;
    GsCond *c;
    atomic_bool flag;    /* written under m; read by anyone (deadlock.c asks) */
} GsEventObj;

static GsType event_type;

static bool event_set_p(void *arg) { return ((GsEventObj *)arg)->flag; }

static GsObject *event_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    if (gs_check_nargs(ts, "Event", nargs, 0, 0) < 0)
        return NULL;
    GsEventObj *e = (GsEventObj *)gs_alloc(ts, type, sizeof(GsEventObj));
    if (!e)
        return NULL;
    e->m = plat(ts)->mutex_new(plat(ts));
    e->c = plat(ts)->cond_new(plat(ts));
    if (!e->m || !e->c) {
        gs_decref(ts, (GsObject *)e);
        return gs_err_set(ts, &gs_exc_MemoryError, "cannot allocate event");
    }
    return (GsObject *)e;
}

static void event_dealloc(GsThread *ts, GsObject *o)
{
    GsEventObj *e = (GsEventObj *)o;
    plat(ts)->mutex_free(plat(ts), e->m);
    plat(ts)->cond_free(plat(ts), e->c);
}

static GsObject *event_set(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    GsEventObj *e = (GsEventObj *)self;
    plat(ts)->lock(plat(ts), e->m);
    e->flag = true;
    plat(ts)->broadcast(plat(ts), e->c);
    plat(ts)->unlock(plat(ts), e->m);
    return gs_newref(ts, GS_NONE);
}

static GsObject *event_clear(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    GsEventObj *e = (GsEventObj *)self;
    plat(ts)->lock(plat(ts), e->m);
    e->flag = false;
    plat(ts)->unlock(plat(ts), e->m);
    return gs_newref(ts, GS_NONE);
}

static GsObject *event_is_set(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    return gs_newref(ts, gs_bool(((GsEventObj *)self)->flag));
}

static GsObject *event_wait(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    static const char *const names[] = { "timeout", NULL };
    GsObject *a[1];
    uint64_t timeout;
    if (parse_kw(ts, "wait", args, nargs, kwnames, names, a, 1) < 0)
        return NULL;
    GsEventObj *e = (GsEventObj *)self;
    if (e->flag)
        return gs_newref(ts, GS_TRUE);   /* CPython looks at no timeout then */
    GsObject *t = a[0];
    if (t && t != GS_NONE) {
        /* CPython's Condition.wait: `if timeout > 0` wait, else only poll;
         * so -1, -inf and NaN return False at once. */
        if (!GS_IS_INT(t) && !GS_IS_FLOAT(t))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "'>' not supported between instances of '%s' and 'int'",
                              t->type->name);
        if (!(GS_IS_INT(t) ? gs_int_value(t) > 0 : gs_float_value(t) > 0))
            return gs_newref(ts, GS_FALSE);
    }
    if (wait_timeout(ts, t, &timeout) < 0)
        return NULL;
    GsWaitRecord w = { .kind = GS_WAIT_EVENT, .obj = (int64_t)e->ob.serial, .holder = -1,
                       .forever = timeout == UINT64_MAX, .over = event_set_p, .arg = e };
    gs_wait_begin(ts, &w);
    gs_begin_allow_threads(ts, GS_REL_wait);
    plat(ts)->lock(plat(ts), e->m);
    bool set = wait_until(ts, e->c, e->m, &w, timeout);
    plat(ts)->unlock(plat(ts), e->m);
    gs_end_allow_threads(ts);
    gs_wait_end(ts, &w);
    if (!set && stopping(ts))
        return gs_err_set(ts, &gs_exc_SystemExit, "stopped");
    return gs_newref(ts, gs_bool(set));
}

static const GsMethodDef event_methods[] = {
    { "set", event_set }, { "clear", event_clear }, { "is_set", event_is_set },
    { "isSet", event_is_set }, { "wait", event_wait }, { NULL, NULL },
};

static GsType event_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "Event", .base = &gs_object_type, .size = sizeof(GsEventObj),
    .methods = event_methods, .new_ = event_new, .dealloc = event_dealloc };

/* ====================================================================
 * Threads
 * ==================================================================== */

/* What a started thread and the threads that join it share.  Both hold a
 * reference; the last one frees it (refs is guarded by m). */
typedef struct {
    GsMutex *m;
    GsCond *c;
    atomic_bool done;    /* written under m; read by anyone (deadlock.c asks) */
    int refs;
    void *os_thread;     /* platform handle, joined by whoever frees this */
} ThreadShared;

typedef struct {
    GsObject ob;
    ThreadShared *sh;
    int64_t ident;
    int tid;
} GsThreadHandle;

static GsType handle_type;

typedef struct {
    GsInterp *interp;
    GsThread *ts;
    GsObject *func, *args, *kwargs;   /* owned: released by the new thread */
    ThreadShared *sh;
} Start;

static void shared_release(GsPlatform *p, ThreadShared *sh, bool from_thread)
{
    p->lock(p, sh->m);
    int left = --sh->refs;
    p->unlock(p, sh->m);
    if (left > 0)
        return;
    /* The last reference: the thread has finished (done is set before the
     * thread drops its reference), so joining cannot block for long. */
    if (sh->os_thread && !from_thread)
        p->thread_join(p, sh->os_thread);
    else if (sh->os_thread)
        p->thread_detach(p, sh->os_thread);
    p->mutex_free(p, sh->m);
    p->cond_free(p, sh->c);
    free(sh);
}

/* "Exception in thread NAME:" and the traceback, as CPython 3.9's
 * threading.excepthook prints it. */
static void report_thread_exception(GsThread *ts, GsObject *exc)
{
    FILE *err = gs_stderr_file(ts);
    if (!err)
        return;   /* sys.stderr = None */
    fflush(ts->interp->out);
    fprintf(err, "Exception in thread %s:\n", ts->name ? ts->name : "?");
    gs_print_exception(ts, exc);
}

static void thread_main(void *arg)
{
    Start *st = arg;
    GsThread *ts = st->ts;
    GsInterp *interp = st->interp;
    GsPlatform *p = interp->platform;
    gs_thread_set_stack(ts, GUEST_THREAD_STACK);
    ts->clock = gs_platform_clock(interp->platform);
    gs_gil_take(interp->gil, &ts->gil);
    gs_ev_thread_start(ts, ts->name);
    GsTuple *args = (GsTuple *)st->args;
    GsObject *r;
    if (st->kwargs && ((GsDict *)st->kwargs)->used > 0) {
        r = gs_call_with_dict(ts, st->func, st->args, st->kwargs);
    } else {
        r = gs_call(ts, st->func, args->items, args->len, NULL);
    }
    if (r) {
        gs_decref(ts, r);
    } else {
        GsObject *exc = gs_err_fetch(ts);
        bool quiet = !exc || gs_type_is_subtype(exc->type, &gs_exc_SystemExit) || stopping(ts);
        if (!quiet)
            report_thread_exception(ts, exc);
        gs_xdecref(ts, exc);
    }
    gs_decref(ts, st->func);
    gs_decref(ts, st->args);
    gs_xdecref(ts, st->kwargs);
    gs_setref(ts, &ts->handled, NULL);   /* left by a stop inside an except block */
    gs_ev_thread_end(ts);
    ThreadShared *sh = st->sh;
    p->lock(p, sh->m);
    sh->done = true;
    p->broadcast(p, sh->c);
    p->unlock(p, sh->m);
    atomic_fetch_sub(&interp->gil->threads, 1);
    gs_gil_drop(interp->gil, &ts->gil, GS_REL_exit);
    gs_thread_fini(ts);
    free(ts->name);
    free(ts);
    free(st);
    shared_release(p, sh, true);
    /* The very last touch of the interpreter: after this, the main thread
     * may free it. */
    atomic_fetch_sub(&interp->os_threads, 1);
}

/* _thread._print_exception(exc): the traceback and the exception, as an
 * uncaught one is printed (threading.excepthook's second half; CPython's
 * uses the traceback module). */
static GsObject *thread_print_exception(GsThread *ts, GsObject *self, GsObject *const *args,
                                        size_t nargs, GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "_print_exception", kwnames) < 0 ||
        gs_check_nargs(ts, "_print_exception", nargs, 1, 1) < 0)
        return NULL;
    if (!gs_is_exception(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "_print_exception() needs an exception, not %s",
                          args[0]->type->name);
    gs_print_exception(ts, args[0]);
    return gs_newref(ts, GS_NONE);
}

/* _thread.start(func, args, kwargs, name) -> handle */
static GsObject *thread_start(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_nargs(ts, "start", nargs, 2, 4) < 0)
        return NULL;
    if (!GS_IS_TUPLE(args[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "2nd arg must be a tuple");
    GsObject *kwargs = nargs > 2 && args[2] != GS_NONE ? args[2] : NULL;
    if (kwargs && !GS_IS_DICT(kwargs))
        return gs_err_set(ts, &gs_exc_TypeError, "optional 3rd arg must be a dictionary");
    GsInterp *interp = ts->interp;
    GsPlatform *p = interp->platform;
    GsThreadHandle *h = (GsThreadHandle *)gs_alloc(ts, &handle_type, sizeof(GsThreadHandle));
    Start *st = calloc(1, sizeof *st);
    GsThread *nts = calloc(1, sizeof *nts);
    ThreadShared *sh = calloc(1, sizeof *sh);
    if (!h || !st || !nts || !sh || !(sh->m = p->mutex_new(p)) || !(sh->c = p->cond_new(p))) {
        free(st);
        free(nts);
        if (sh) {
            p->mutex_free(p, sh->m);
            free(sh);
        }
        gs_xdecref(ts, (GsObject *)h);
        return gs_err_set(ts, &gs_exc_RuntimeError, "can't start new thread");
    }
    gs_thread_init(nts, interp, ++interp->next_tid);
    const char *name = nargs > 3 && GS_IS_STR(args[3]) ? gs_str_cstr(args[3]) : NULL;
    nts->name = strdup(name ? name : "Thread");
    sh->refs = 2;
    st->interp = interp;
    st->ts = nts;
    st->func = gs_newref(ts, args[0]);
    st->args = gs_newref(ts, args[1]);
    st->kwargs = kwargs ? gs_newref(ts, kwargs) : NULL;
    st->sh = sh;
    h->sh = sh;
    h->tid = nts->tid;
    h->ident = nts->tid;
    atomic_fetch_add(&interp->gil->threads, 1);
    atomic_fetch_add(&interp->os_threads, 1);
    sh->os_thread = p->thread_start(p, thread_main, st, GUEST_THREAD_STACK);
    if (!sh->os_thread) {
        atomic_fetch_sub(&interp->gil->threads, 1);
        atomic_fetch_sub(&interp->os_threads, 1);
        gs_decref(ts, st->func);
        gs_decref(ts, st->args);
        gs_xdecref(ts, st->kwargs);
        free(nts->name);
        free(nts);
        free(st);
        sh->refs = 1;
        gs_decref(ts, (GsObject *)h);
        return gs_err_set(ts, &gs_exc_RuntimeError, "can't start new thread");
    }
    return (GsObject *)h;
}

static void handle_dealloc(GsThread *ts, GsObject *o)
{
    GsThreadHandle *h = (GsThreadHandle *)o;
    if (h->sh)
        shared_release(plat(ts), h->sh, false);
}

static bool thread_done_p(void *arg) { return ((ThreadShared *)arg)->done; }

/* handle.join(timeout=None) -> True if the thread has finished */
static GsObject *handle_join(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    static const char *const names[] = { "timeout", NULL };
    GsObject *a[1];
    uint64_t timeout;
    if (parse_kw(ts, "join", args, nargs, kwnames, names, a, 1) < 0 ||
        wait_timeout(ts, a[0], &timeout) < 0)
        return NULL;
    GsThreadHandle *h = (GsThreadHandle *)self;
    if (h->tid == ts->tid)
        return gs_err_set(ts, &gs_exc_RuntimeError, "cannot join current thread");
    ThreadShared *sh = h->sh;
    GsPlatform *p = plat(ts);
    p->lock(p, sh->m);
    bool done = sh->done;
    p->unlock(p, sh->m);
    if (!done) {
        GsWaitRecord w = { .kind = GS_WAIT_JOIN, .obj = h->tid, .holder = h->tid,
                           .forever = timeout == UINT64_MAX, .over = thread_done_p, .arg = sh };
        gs_wait_begin(ts, &w);
        gs_begin_allow_threads(ts, GS_REL_join);
        p->lock(p, sh->m);
        done = wait_until(ts, sh->c, sh->m, &w, timeout);
        p->unlock(p, sh->m);
        gs_end_allow_threads(ts);
        gs_wait_end(ts, &w);
        if (!done && stopping(ts))
            return gs_err_set(ts, &gs_exc_SystemExit, "stopped");
    }
    return gs_newref(ts, gs_bool(done));
}

static GsObject *handle_is_alive(GsThread *ts, GsObject *self, GsObject *const *args,
                                 size_t nargs, GsObject *kwnames)
{
    ThreadShared *sh = ((GsThreadHandle *)self)->sh;
    plat(ts)->lock(plat(ts), sh->m);
    bool done = sh->done;
    plat(ts)->unlock(plat(ts), sh->m);
    return gs_newref(ts, gs_bool(!done));
}

static GsObject *handle_ident(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    return gs_int_new(ts, ((GsThreadHandle *)self)->ident);
}

static const GsMethodDef handle_methods[] = {
    { "join", handle_join }, { "is_alive", handle_is_alive }, { "ident", handle_ident },
    { NULL, NULL },
};

static GsType handle_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "_thread_handle", .base = &gs_object_type, .size = sizeof(GsThreadHandle),
    .methods = handle_methods, .dealloc = handle_dealloc };

/* ---- the module functions ---------------------------------------------------------- */

static GsObject *thread_get_ident(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    return gs_int_new(ts, ts->tid);
}

static GsObject *thread_count(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    return gs_int_new(ts, atomic_load(&ts->interp->gil->threads));
}

static GsObject *thread_allocate_lock(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    return lock_make(ts, &lock_type);
}

/* _thread.set_name(name): the name the trace and error reports use. */
static GsObject *thread_set_name(GsThread *ts, GsObject *self, GsObject *const *args,
                                 size_t nargs, GsObject *kwnames)
{
    if (gs_check_nargs(ts, "set_name", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "name must be a str");
    char *n = strdup(gs_str_cstr(args[0]));
    if (!n)
        return gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    free(ts->name);
    ts->name = n;
    return gs_newref(ts, GS_NONE);
}

static const GsMethodDef thread_functions[] = {
    { "start", thread_start }, { "get_ident", thread_get_ident }, { "_count", thread_count },
    { "allocate_lock", thread_allocate_lock }, { "set_name", thread_set_name },
    { "_print_exception", thread_print_exception },
    { NULL, NULL },
};

GsObject *gs_thread_module_new(GsThread *ts)
{
    GsObject *m = gs_module_from_defs(ts, "_thread", thread_functions);
    if (!m)
        return NULL;
    GsObject *d = ((GsModule *)m)->dict;
    if (gs_dict_set_c(ts, d, "LockType", (GsObject *)&lock_type) < 0 ||
        gs_dict_set_c(ts, d, "RLock", (GsObject *)&rlock_type) < 0 ||
        gs_dict_set_c(ts, d, "Event", (GsObject *)&event_type) < 0 ||
        gs_dict_set_c(ts, d, "Lock", (GsObject *)&lock_type) < 0) {
        gs_decref(ts, m);
        return NULL;
    }
    return m;
}

GsType *const gs_thread_types[] = { &lock_type, &rlock_type, &event_type, &handle_type, NULL };
