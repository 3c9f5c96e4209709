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
 * imitated (sched_rules.h, docs/scheduling.md); the GIL is only called from the
 * eval loop's one safe point (gs_gil_check) and around blocking calls
 * (gs_gil_release_for / gs_gil_reacquire).
 *
 * THE FILES.  Each policy is a table of operations (GsGilPolicyOps, gil.h)
 * in a file of its own: gil_tick.c and gil_interval.c.  This file holds
 * what they share -- the lock itself (a `locked` flag under a mutex, a
 * condition variable to wait on), the bookkeeping of who holds it, and the
 * tracing of it -- and the table that maps each row of policies.h to its
 * operations.
 *
 * Every step is reported to the tracer: gil_request when a thread starts
 * waiting, gil_retry when it wakes up to find the GIL still held,
 * gil_drop_request when it asks the holder to let go, gil_acquire (with the
 * time waited) and gil_release (with the reason).
 */
#include <stdlib.h>

#include "gil.h"

/* Each row of policies.h names its operations gs_gil_policy_NAME. */
#define GS_X_POLICY_EXTERN(name, cpython, summary, knob, unit) \
    extern const GsGilPolicyOps gs_gil_policy_##name;
GS_GIL_POLICY_TABLE(GS_X_POLICY_EXTERN)
#undef GS_X_POLICY_EXTERN

static const GsGilPolicyOps *const policy_ops[GS_POLICY_COUNT] = {
#define GS_X_POLICY_OPS(name, cpython, summary, knob, unit) \
    [GS_POLICY_##name] = &gs_gil_policy_##name,
    GS_GIL_POLICY_TABLE(GS_X_POLICY_OPS)
#undef GS_X_POLICY_OPS
};

GsGil *gs_gil_new(GsPlatform *p, GsGilPolicyId policy, int check_interval, uint64_t interval_ns,
                  GsBreaker *eval_breaker, GsGilHooks hooks)
{
    if ((unsigned)policy >= GS_POLICY_COUNT)
        return NULL;
    GsGil *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->policy = policy;
    g->ops = policy_ops[policy];
    g->platform = p;
    g->check_interval = check_interval;
    g->interval_ns = interval_ns;
    g->eval_breaker = eval_breaker;
    g->hooks = hooks;
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

/* ---- the lock both of CPython's GILs are ------------------------------------ */

void gs_gil_lock_take(GsGil *g, GsGilThread *t, GsGilWaitFn *wait, GsGilWaitFn *taken)
{
    GsPlatform *p = g->platform;
    uint64_t start = p->now_ns(p);
    p->lock(p, g->mutex);
    if (g->locked) {
        gs_gil_report(g, t, GS_GIL_REQUEST, g->holder, 0);
        g->waiting++;
        wait(g, t);
        g->waiting--;
    }
    g->locked = true;
    g->holder = t->tid;
    if (atomic_load(&g->last_holder) != t->tid) {
        atomic_store(&g->last_holder, t->tid);
        g->switch_number++;
        g->switches++;
    }
    if (taken)
        taken(g, t);
    p->unlock(p, g->mutex);
    t->has_gil = true;
    t->since = p->now_ns(p);
    t->checks = 0;
    gs_gil_report(g, t, GS_GIL_ACQUIRE, 0, (int64_t)(t->since - start));
}

void gs_gil_lock_release(GsGil *g, GsGilThread *t, GsReleaseReason why)
{
    GsPlatform *p = g->platform;
    uint64_t now = p->now_ns(p);
    /* Reported while still holding the GIL: the hook may touch what the
     * GIL protects.  From here on t records nothing until it has it back. */
    gs_gil_report(g, t, GS_GIL_RELEASE, why, (int64_t)(now - t->since));
    t->has_gil = false;
    gs_gil_report(g, t, GS_GIL_PARK, 0, 0);
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
}

/* ---- around blocking calls ------------------------------------------------------ */

void gs_gil_release_for(GsGil *g, GsGilThread *t, GsReleaseReason why)
{
    if (g && t->has_gil)
        g->ops->on_block(g, t, why);
}

void gs_gil_reacquire(GsGil *g, GsGilThread *t)
{
    if (g && !t->has_gil)
        g->ops->on_wake(g, t);
}
