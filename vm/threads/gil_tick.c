/*
 * gil_tick.c -- the old GIL (CPython 2.3 - 3.1), "tick based".
 *
 * Every `check_interval` ticks (sys.setcheckinterval, 100 by default) the
 * running thread releases the lock and immediately asks for it again, with
 * nothing in between: 2.7's PyThread_release_lock; PyThread_acquire_lock.
 * The waiter, signalled, usually wakes on another core to find the lock
 * taken again -- a failed wake-up, gil_retry.  gil.c's essay tells the
 * whole story.
 */
#include "gil.h"

/* Wait until the lock is free; every wake-up that finds it taken again is
 * a failed attempt (Beazley's RETRY). */
static void tick_wait(GsGil *g, GsGilThread *t)
{
    GsPlatform *p = g->platform;
    while (g->locked) {
        p->wait(p, g->cond, g->mutex);
        if (g->locked)
            gs_gil_report(g, t, GS_GIL_RETRY, g->holder, 0);
    }
}

static void tick_take(GsGil *g, GsGilThread *t)
{
    gs_gil_lock_take(g, t, tick_wait, NULL);
}

/* 2.7: `if (--_Py_Ticker < 0)`; inside it the SETUP_FINALLY test comes
 * first, so a deferred check leaves the ticker below zero and the very
 * next tick releases.  Only the holder touches the ticker. */
static void tick_check(GsGil *g, GsGilThread *t, bool defer)
{
    if (--g->ticker >= 0 || defer)
        return;
    g->ticker = g->check_interval;
    gs_gil_lock_release(g, t, GS_REL_check);
    tick_take(g, t);
}

/* A blocking call lets go and takes back like any other release: the old
 * GIL has no forced switching.  The ticker needs every check. */
const GsGilPolicyOps gs_gil_policy_tick = {
    .take = tick_take, .drop = gs_gil_lock_release, .check = tick_check,
    .on_block = gs_gil_lock_release, .on_wake = tick_take, .check_every_time = true,
};
