/*
 * gil.c -- the global interpreter lock.
 *
 * NOTES ABOUT THE IMPLEMENTATION
 *
 * Only the thread holding the GIL may run bytecode or touch objects; that
 * is what makes reference counting safe without atomic instructions.  The
 * interesting question is not the lock but the *policy*: when does a
 * running thread let go, and who gets the lock next?  gilscope implements
 * the two policies CPython has used, with the same code for the real clock
 * and (through platform.h) for a simulated one.
 *
 * 1. The old GIL (CPython 2.3 - 3.1), "tick based".
 *
 *    The lock is a plain lock: a `locked` flag guarded by a mutex, and a
 *    condition variable signalled on release (2.7's thread_pthread.h, the
 *    variant without semaphores).  Every `check_interval` ticks (100 by
 *    default; a tick is roughly one bytecode instruction, see opcodes.h)
 *    the running thread releases the lock and *immediately* asks for it
 *    again.  Nothing in between hands it over: the releasing thread is
 *    still running on its core and usually wins the race before the
 *    signalled waiter has even been scheduled on another core.  The waiter
 *    wakes up, finds the lock taken again, and goes back to sleep -- a
 *    failed wake-up, recorded as `gil_retry` (David Beazley's RETRY).  On
 *    two cores this "battle for the GIL" makes two CPU-bound threads slower
 *    than one; on one core the waiter simply is not running, and the
 *    penalty is small.
 *
 * 2. The new GIL (CPython 3.2+, Antoine Pitrou), "time based".
 *
 *    A thread that wants the GIL waits on the condition variable for at
 *    most `interval` (5 ms by default, sys.setswitchinterval).  If the wait
 *    times out and the GIL has not changed hands meanwhile
 *    (`switch_number` is unchanged), the waiter sets `drop_request` and
 *    the eval breaker: the holder sees it at its next check and drops the
 *    GIL.  To end the battle, a thread that drops on request waits on
 *    `switch_cond` until another thread has actually taken the GIL
 *    (FORCE_SWITCHING).  A thread that releases the GIL voluntarily (to
 *    sleep or do I/O) does not wait.  The price is the convoy effect
 *    (bpo-7946): an I/O thread that gave up the GIL for a short read waits
 *    up to a whole interval to get it back from a CPU-bound thread.
 *
 * Where the running thread checks depends on the CPython version being
 * imitated (opcodes.h, docs/scheduling.md); this file is only called from
 * the eval loop's one safe point (gs_gil_check) and around blocking calls
 * (gs_gil_release_for / gs_gil_reacquire).
 *
 * Every step is reported to the tracer: gil_request when a thread starts
 * waiting, gil_retry when it wakes up to find the GIL still held,
 * gil_drop_request when it asks the holder to let go, gil_acquire (with the
 * time waited) and gil_release (with the reason).
 */
#include <stdlib.h>

#include "gil.h"
#include "interp.h"

GsGil *gs_gil_new(GsPlatform *p, GsGilPolicy policy, int check_interval, uint64_t interval_ns,
                  atomic_int *eval_breaker)
{
    GsGil *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->policy = policy;
    g->platform = p;
    g->check_interval = check_interval;
    g->interval_ns = interval_ns;
    g->eval_breaker = eval_breaker;
    g->holder = -1;
    atomic_store(&g->last_holder, -1);
    g->ticker = check_interval;
    g->mutex = p->mutex_new(p);
    g->cond = p->cond_new(p);
    g->switch_mutex = p->mutex_new(p);
    g->switch_cond = p->cond_new(p);
    if (!g->mutex || !g->cond || !g->switch_mutex || !g->switch_cond) {
        gs_gil_free(g);
        return NULL;
    }
    return g;
}

void gs_gil_free(GsGil *g)
{
    if (!g)
        return;
    GsPlatform *p = g->platform;
    p->mutex_free(p, g->mutex);
    p->cond_free(p, g->cond);
    p->mutex_free(p, g->switch_mutex);
    p->cond_free(p, g->switch_cond);
    free(g);
}

/* The eval breaker is set while a drop is requested (or a stop is pending:
 * the interpreter's stop_reason keeps it set). */
static void set_drop_request(GsGil *g)
{
    atomic_store(&g->drop_request, 1);
    atomic_store(g->eval_breaker, 1);
}

static void clear_drop_request(GsGil *g, GsThread *ts)
{
    atomic_store(&g->drop_request, 0);
    if (atomic_load(&ts->interp->stop_reason) == GS_STOP_NONE)
        atomic_store(g->eval_breaker, 0);
}

/* ---- taking -------------------------------------------------------------------- */

/* The old GIL: wait until the lock is free; every wake-up that finds it
 * taken again is a failed attempt. */
static void take_tick(GsGil *g, GsThread *ts)
{
    GsPlatform *p = g->platform;
    while (g->locked) {
        p->wait(p, g->cond, g->mutex);
        if (g->locked)
            gs_ev_gil_retry(ts, g->holder);
    }
}

/* The new GIL: wait at most one interval at a time; if the holder has not
 * changed during a whole interval, ask it to drop the GIL. */
static void take_interval(GsGil *g, GsThread *ts)
{
    GsPlatform *p = g->platform;
    while (g->locked) {
        uint64_t saved_switch = g->switch_number;
        bool timed_out = p->timed_wait(p, g->cond, g->mutex, g->interval_ns);
        if (!g->locked)
            break;
        if (timed_out && g->switch_number == saved_switch) {
            if (!atomic_load(&g->drop_request))
                gs_ev_gil_drop_request(ts, g->holder);
            set_drop_request(g);
        } else if (!timed_out) {
            gs_ev_gil_retry(ts, g->holder);
        }
    }
}

void gs_gil_take(GsGil *g, GsThread *ts)
{
    GsPlatform *p = g->platform;
    uint64_t start = p->now_ns(p);
    p->lock(p, g->mutex);
    if (g->locked) {
        gs_ev_gil_request(ts, g->holder);
        g->waiting++;
        if (g->policy == GS_GIL_TICK)
            take_tick(g, ts);
        else
            take_interval(g, ts);
        g->waiting--;
    }
    g->locked = true;
    g->holder = ts->tid;
    if (atomic_load(&g->last_holder) != ts->tid) {
        atomic_store(&g->last_holder, ts->tid);
        g->switch_number++;
        ts->interp->gil_switches++;
    }
    if (g->policy == GS_GIL_INTERVAL) {
        /* Wake a thread waiting in forced switching: the GIL changed hands. */
        p->lock(p, g->switch_mutex);
        p->signal(p, g->switch_cond);
        p->unlock(p, g->switch_mutex);
        if (atomic_load(&g->drop_request))
            clear_drop_request(g, ts);
    }
    p->unlock(p, g->mutex);
    ts->has_gil = true;
    ts->gil_since = p->now_ns(p);
    ts->hold_ticks = 0;
    gs_ev_gil_acquire(ts, (int64_t)(ts->gil_since - start));
}

/* ---- dropping -------------------------------------------------------------------- */

void gs_gil_drop(GsGil *g, GsThread *ts, GsReleaseReason why)
{
    GsPlatform *p = g->platform;
    uint64_t now = p->now_ns(p);
    ts->interp->total_ticks += ts->hold_ticks;   /* still under the GIL */
    gs_ev_checks(ts, ts->hold_ticks);   /* eval-breaker checks passed while holding it */
    gs_ev_gil_release(ts, why, (int64_t)(now - ts->gil_since));
    ts->has_gil = false;
    if (ts->interp->trace_park)
        ts->interp->trace_park(ts->interp->trace_ctx, ts);
    p->lock(p, g->mutex);
    g->locked = false;
    g->holder = -1;
    p->unlock(p, g->mutex);
    /* Wake a waiter after unlocking.  CPython 2.7 on Linux used a POSIX
     * semaphore, whose sem_post wakes the waiter without holding any lock:
     * while the releasing thread is still in the kernel, the woken thread
     * on another core can take the lock first.  Signalling under the mutex
     * instead would let the releaser win every race and hide the battle. */
    p->signal(p, g->cond);
    if (g->policy == GS_GIL_INTERVAL && why == GS_REL_drop_request) {
        /* Forced switching: do not race for the GIL we were asked to give
         * up; wait until another thread has it. */
        p->lock(p, g->switch_mutex);
        if (atomic_load(&g->last_holder) == ts->tid && atomic_load(&g->threads) > 1)
            p->wait(p, g->switch_cond, g->switch_mutex);
        p->unlock(p, g->switch_mutex);
    }
}

/* ---- the safe point -------------------------------------------------------------- */

void gs_gil_check(GsGil *g, GsThread *ts)
{
    if (atomic_load(&g->threads) < 2)
        return;
    if (g->policy == GS_GIL_TICK) {
        if (--g->ticker >= 0)
            return;
        g->ticker = g->check_interval;
        /* Release and immediately re-take: 2.7's
         * PyThread_release_lock; PyThread_acquire_lock. */
        gs_gil_drop(g, ts, GS_REL_check);
        gs_gil_take(g, ts);
        return;
    }
    if (atomic_load(&g->drop_request)) {
        gs_gil_drop(g, ts, GS_REL_drop_request);
        gs_gil_take(g, ts);
    }
}

void gs_gil_release_for(GsThread *ts, GsReleaseReason why)
{
    GsGil *g = ts->interp->gil;
    if (g && ts->has_gil)
        gs_gil_drop(g, ts, why);
}

void gs_gil_reacquire(GsThread *ts)
{
    GsGil *g = ts->interp->gil;
    if (g && !ts->has_gil)
        gs_gil_take(g, ts);
}
