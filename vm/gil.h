/*
 * gil.h -- the global interpreter lock, in CPython 2.7's and 3.2+'s designs.
 * The essay explaining both is at the top of gil.c.
 */
#ifndef GS_GIL_H
#define GS_GIL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "breaker.h"
#include "event.h"
#include "platform.h"
#include "policies.h"

typedef struct GsThread GsThread;
typedef struct GsGil GsGil;

/* A GIL policy: what a thread does to take the GIL, to let go of it, at
 * the eval loop's safe point, and around a blocking call.  One table per
 * policy, in a file of its own (gil_tick.c, gil_interval.c), named by a
 * row of policies.h; gs_gil_new picks it once.  docs/architecture.md says
 * what a new policy must implement. */
typedef struct {
    /* Take the GIL for ts, blocking until it has it.  Records gil_request,
     * gil_retry, gil_drop_request and gil_acquire as they happen. */
    void (*take)(GsGil *g, GsThread *ts);
    /* Let go of it; `why` is gil_release's reason. */
    void (*drop)(GsGil *g, GsThread *ts, GsReleaseReason why);
    /* The safe point (sched_rules.h decides where it is): hand the GIL over now?
     * `defer`: the check is put off; count it, hand nothing over. */
    void (*check)(GsGil *g, GsThread *ts, bool defer);
    /* Around a blocking call (CPython's Py_BEGIN/END_ALLOW_THREADS). */
    void (*on_block)(GsGil *g, GsThread *ts, GsReleaseReason why);
    void (*on_wake)(GsGil *g, GsThread *ts);
    /* true: `check` must run at every check site while other threads are
     * alive, not only when the eval breaker is set (2.7's ticker counts
     * every tick). */
    bool check_every_time;
} GsGilPolicyOps;

struct GsGil {
    /* configuration (read-only once threads run) */
    GsGilPolicyId policy;      /* its row in policies.h */
    const GsGilPolicyOps *ops; /* its operations */
    GsPlatform *platform;
    int check_interval;        /* tick policy: ticks between checks (sys.setcheckinterval) */
    uint64_t interval_ns;      /* interval policy: how long a waiter waits before asking */
    GsBreaker *eval_breaker;   /* the interpreter's: GS_BREAK_GIL_DROP makes the holder look */

    /* the lock itself, guarded by mutex */
    GsMutex *mutex;
    GsCond *cond;              /* signalled when the GIL is released */
    bool locked;               /* is the GIL held? */
    int holder;                /* tid of the holder, -1 when free */
    atomic_int last_holder;    /* tid of the last thread to take it (read by
                                  forced switching without `mutex`) */
    uint64_t switch_number;    /* how many times the holder changed */
    int waiting;               /* threads blocked in take (for statistics) */

    /* interval policy's forced switching: the thread that drops on request
     * waits on switch_cond until someone else has taken the GIL */
    GsMutex *switch_mutex;
    GsCond *switch_cond;
    atomic_int drop_request;   /* a waiter asked the holder to drop the GIL */

    /* tick policy: the countdown to the next check, CPython 2.7's
     * _Py_Ticker; only the holder touches it */
    int ticker;

    atomic_int threads;        /* guest threads alive: no switching with one */
};

GsGil *gs_gil_new(GsPlatform *p, GsGilPolicyId policy, int check_interval, uint64_t interval_ns,
                  GsBreaker *eval_breaker);
void gs_gil_free(GsGil *gil);

/* Take the GIL for ts (blocking), and let go of it: the policy's take and
 * drop.  Thread start and exit use these. */
static inline void gs_gil_take(GsGil *g, GsThread *ts) { g->ops->take(g, ts); }
static inline void gs_gil_drop(GsGil *g, GsThread *ts, GsReleaseReason why)
{
    g->ops->drop(g, ts, why);
}

/* The eval loop's safe point: called where the imitated CPython checks.
 * Decides, by policy, whether to hand the GIL over now.  `defer`: the
 * check is put off (sched_rules.h): a tick still counts, nothing is handed over. */
static inline void gs_gil_check(GsGil *g, GsThread *ts, bool defer)
{
    if (atomic_load_explicit(&g->threads, memory_order_relaxed) > 1)
        g->ops->check(g, ts, defer);
}

/* ---- building blocks for policies whose GIL is a lock ----------------------
 * Both of CPython's GILs are a `locked` flag under a mutex, with a
 * condition variable to wait on; they differ in how a thread waits and in
 * what happens after a switch.  gil.c implements the common part once. */

/* Wait while the GIL is locked (called with g->mutex held), and the
 * policy's extra step once a thread has taken it (mutex still held; NULL:
 * none). */
typedef void GsGilWaitFn(GsGil *g, GsThread *ts);
void gs_gil_lock_take(GsGil *g, GsThread *ts, GsGilWaitFn *wait, GsGilWaitFn *taken);
/* Unlock it and signal one waiter. */
void gs_gil_lock_release(GsGil *g, GsThread *ts, GsReleaseReason why);

/* Around a blocking call (CPython's Py_BEGIN/END_ALLOW_THREADS). */
void gs_gil_release_for(GsThread *ts, GsReleaseReason why);
void gs_gil_reacquire(GsThread *ts);

#endif
