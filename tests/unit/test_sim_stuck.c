/*
 * test_sim_stuck.c -- how the simulated machine (vm/threads/platform_sim.c)
 * tells that no thread can ever run again: the stuck hook, called when
 * every thread waits and only poll_wait timers are pending; the polls it
 * wakes; and a run that ends with its threads frozen when nothing at all
 * is pending.  The runtime's use of it (deadlock.c) is tested by the
 * deadlock golden programs and tests/deadlock_trace.py.
 */
#include <stdio.h>
#include <stdlib.h>

#include "threads/platform.h"
#include "tap.h"

typedef struct {
    GsPlatform *p;
    GsMutex *m;
    GsCond *c;
    bool flag;          /* set by the hook, or by a thread */
    int hook_calls;
    bool hook_sets;     /* does the hook set flag (and say so)? */
    uint64_t stuck_at;  /* the time the waiter came back after the hook */
    bool waiter_done, main_done;
} World;

static bool hook(void *ctx)
{
    World *w = ctx;
    w->hook_calls++;
    if (!w->hook_sets || w->flag)
        return false;
    w->flag = true;
    return true;
}

/* Waits for flag in 20 ms polls, as the runtime's untimed waits do. */
static void waiter(void *arg)
{
    World *w = arg;
    GsPlatform *p = w->p;
    p->lock(p, w->m);
    while (!w->flag)
        p->poll_wait(p, w->c, w->m, 20000000);
    p->unlock(p, w->m);
    w->stuck_at = p->now_ns(p);
    w->waiter_done = true;
}

/* Sets flag after a 1 ms sleep: a timer is pending meanwhile. */
static void setter(void *arg)
{
    World *w = arg;
    GsPlatform *p = w->p;
    p->sleep_ns(p, 1000000, NULL);
    p->lock(p, w->m);
    w->flag = true;
    p->signal(p, w->c);
    p->unlock(p, w->m);
}

/* The main thread: start a waiter (and a setter), wait for the waiter. */
static void main_thread(void *arg)
{
    World *w = arg;
    GsPlatform *p = w->p;
    void *t = p->thread_start(p, waiter, w, 1 << 20);
    void *s = w->hook_sets ? NULL : p->thread_start(p, setter, w, 1 << 20);
    p->thread_join(p, t);
    if (s)
        p->thread_join(p, s);
    w->main_done = true;
}

static World *world_new(bool hook_sets, bool with_hook)
{
    GsSimParams prm;
    gs_sim_params_default(&prm);
    World *w = calloc(1, sizeof *w);
    w->p = gs_platform_sim(&prm);
    w->m = w->p->mutex_new(w->p);
    w->c = w->p->cond_new(w->p);
    w->hook_sets = hook_sets;
    if (with_hook)
        w->p->set_stuck_hook(w->p, hook, w);
    return w;
}

static void world_free(World *w)
{
    w->p->mutex_free(w->p, w->m);
    w->p->cond_free(w->p, w->c);
    w->p->destroy(w->p);   /* and any frozen fibers' stacks */
    free(w);
}

static void run(World *w)
{
    void *t = w->p->thread_start(w->p, main_thread, w, 1 << 20);
    w->p->thread_join(w->p, t);
}

/* Everybody waits, only polls pending: the hook, once; the poll wakes at
 * once, not 20 ms later. */
static void test_stuck(void)
{
    World *w = world_new(true, true);
    run(w);
    TAP_OK(w->waiter_done && w->main_done, "the hook's stop reached the waiter, and main ended");
    TAP_OK(w->hook_calls >= 1 && w->flag, "the hook was called (%d times)", w->hook_calls);
    TAP_OK(w->stuck_at < 5000000, "the waiter woke at the stuck moment, not at its next poll "
           "(%llu ns)", (unsigned long long)w->stuck_at);
    world_free(w);
}

/* A sleeping setter is a pending timer: not stuck. */
static void test_not_stuck(void)
{
    World *w = world_new(false, true);
    run(w);
    TAP_INT_EQ(w->hook_calls, 0, "with a sleep pending, the hook is never called");
    TAP_OK(w->waiter_done && w->main_done, "the setter woke the waiter");
    world_free(w);
}

/* A hook that does nothing: the polls go on for ever -- so this test uses
 * a plain untimed wait instead, which leaves nothing pending at all: the
 * simulation ends with the threads frozen, and thread_join returns. */
static void frozen_waiter(void *arg)
{
    World *w = arg;
    GsPlatform *p = w->p;
    p->lock(p, w->m);
    while (!w->flag)
        p->wait(p, w->c, w->m);
    p->unlock(p, w->m);
    w->waiter_done = true;
}

static void frozen_main(void *arg)
{
    World *w = arg;
    void *t = w->p->thread_start(w->p, frozen_waiter, w, 1 << 20);
    w->p->thread_join(w->p, t);
    w->main_done = true;
}

static void test_frozen(void)
{
    World *w = world_new(false, true);
    void *t = w->p->thread_start(w->p, frozen_main, w, 1 << 20);
    w->p->thread_join(w->p, t);
    TAP_OK(!w->waiter_done && !w->main_done, "nothing pending at all: the run ends, frozen");
    TAP_OK(w->hook_calls >= 1, "after asking the hook (%d times)", w->hook_calls);
    world_free(w);
}

int main(void)
{
    test_stuck();
    test_not_stuck();
    test_frozen();
    return tap_done();
}
