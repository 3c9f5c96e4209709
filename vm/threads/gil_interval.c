/*
 * gil_interval.c -- the new GIL (CPython 3.2+, Antoine Pitrou), "time
 * based".
 *
 * A waiter waits at most one switch interval at a time; if the GIL has not
 * changed hands meanwhile, it sets the drop request (and the eval breaker),
 * and the holder drops the GIL at its next check.  A thread that dropped on
 * request waits until another thread has really taken the GIL (forced
 * switching), which ends the old GIL's battle.  gil.c's essay tells the
 * whole story.
 */
#include "gil.h"

/* The eval breaker's GS_BREAK_GIL_DROP bit is set while a drop is
 * requested. */
static void set_drop_request(GsGil *g)
{
    atomic_store(&g->drop_request, 1);
    gs_breaker_set(g->eval_breaker, GS_BREAK_GIL_DROP);
}

static void clear_drop_request(GsGil *g)
{
    atomic_store(&g->drop_request, 0);
    gs_breaker_clear(g->eval_breaker, GS_BREAK_GIL_DROP);
}

/* Wait at most one interval at a time; if the holder has not changed
 * during a whole interval, ask it to drop the GIL. */
static void interval_wait(GsGil *g, GsGilThread *t)
{
    GsPlatform *p = g->platform;
    while (g->locked) {
        uint64_t saved_switch = g->switch_number;
        bool timed_out = p->timed_wait(p, g->cond, g->mutex, g->interval_ns);
        if (!g->locked)
            break;
        if (timed_out && g->switch_number == saved_switch) {
            if (!atomic_load(&g->drop_request))
                gs_gil_report(g, t, GS_GIL_DROP_REQUEST, g->holder, 0);
            set_drop_request(g);
        } else if (!timed_out) {
            gs_gil_report(g, t, GS_GIL_RETRY, g->holder, 0);
        }
    }
}

/* Taken (g->mutex held): wake a thread waiting in forced switching -- the
 * GIL changed hands -- and clear a drop request that is now answered. */
static void interval_taken(GsGil *g, GsGilThread *t)
{
    GsPlatform *p = g->platform;
    p->lock(p, g->switch_mutex);
    p->signal(p, g->switch_cond);
    p->unlock(p, g->switch_mutex);
    if (atomic_load(&g->drop_request))
        clear_drop_request(g);
}

static void interval_take(GsGil *g, GsGilThread *t)
{
    gs_gil_lock_take(g, t, interval_wait, interval_taken);
}

static void interval_drop(GsGil *g, GsGilThread *t, GsReleaseReason why)
{
    gs_gil_lock_release(g, t, why);
    if (why == GS_REL_drop_request) {
        /* Forced switching: do not race for the GIL we were asked to give
         * up; wait until another thread has it. */
        GsPlatform *p = g->platform;
        p->lock(p, g->switch_mutex);
        if (atomic_load(&g->last_holder) == t->tid && atomic_load(&g->threads) > 1)
            p->wait(p, g->switch_cond, g->switch_mutex);
        p->unlock(p, g->switch_mutex);
    }
}

/* Only a pending drop request makes the holder let go. */
static void interval_check(GsGil *g, GsGilThread *t, bool defer)
{
    if (!defer && atomic_load(&g->drop_request)) {
        interval_drop(g, t, GS_REL_drop_request);
        interval_take(g, t);
    }
}

/* Only the drop request (and the eval breaker with it) calls for a check:
 * check_every_time is false. */
const GsGilPolicyOps gs_gil_policy_interval = {
    .take = interval_take, .drop = interval_drop, .check = interval_check,
    .on_block = interval_drop, .on_wake = interval_take,
};
