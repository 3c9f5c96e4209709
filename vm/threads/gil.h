/*
 * gil.h -- the global interpreter lock, in CPython 2.7's and 3.2+'s designs.
 * The essay explaining both is at the top of gil.c.
 *
 * The GIL sits at the bottom of gilscope, with the platform it waits on
 * (platform.h): it knows nothing of the interpreter above it.  A guest
 * thread is a GsGilThread to it, and what it has to report (a request, a
 * failed wake-up, a hand-over) goes out through the hooks it was handed
 * (GsGilHooks), which the interpreter turns into trace events.
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

typedef struct GsGil GsGil;

/* What the GIL knows of one guest thread (embedded in the interpreter's
 * GsThread). */
typedef struct {
    int tid;            /* 0 = main thread, then 1, 2, ... */
    bool has_gil;       /* does it hold the GIL? */
    uint64_t since;     /* when it took it (platform ns) */
    int64_t checks;     /* checks passed since then (counted by the eval loop) */
} GsGilThread;

/* What the GIL reports, through GsGilHooks.event. */
typedef enum {
    GS_GIL_REQUEST,        /* t wants the GIL, held by `other` */
    GS_GIL_RETRY,          /* t woke up to find it taken again, by `other` */
    GS_GIL_DROP_REQUEST,   /* t asks `other` to drop it */
    GS_GIL_ACQUIRE,        /* t took it after waiting `ns` */
    GS_GIL_RELEASE,        /* t lets go (`other`: a GsReleaseReason) after `ns`,
                              having passed t->checks checks; still holding it */
    GS_GIL_PARK,           /* t no longer holds it (has_gil is false): it runs
                              no guest code until it has it back */
} GsGilEvent;

typedef struct {
    void (*event)(void *ctx, GsGilThread *t, GsGilEvent ev, int other, int64_t ns);
    void *ctx;
} GsGilHooks;

/* A GIL policy: what a thread does to take the GIL, to let go of it, at
 * the eval loop's safe point, and around a blocking call.  One table per
 * policy, in a file of its own (gil_tick.c, gil_interval.c), named by a
 * row of policies.h; gs_gil_new picks it once.  docs/architecture.md says
 * what a new policy must implement. */
typedef struct {
    /* Take the GIL for t, blocking until it has it.  Reports
     * GS_GIL_REQUEST, _RETRY, _DROP_REQUEST and _ACQUIRE as they happen. */
    void (*take)(GsGil *g, GsGilThread *t);
    /* Let go of it; `why` is gil_release's reason. */
    void (*drop)(GsGil *g, GsGilThread *t, GsReleaseReason why);
    /* The safe point (sched_rules.h decides where it is): hand the GIL over now?
     * `defer`: the check is put off; count it, hand nothing over. */
    void (*check)(GsGil *g, GsGilThread *t, bool defer);
    /* Around a blocking call (CPython's Py_BEGIN/END_ALLOW_THREADS). */
    void (*on_block)(GsGil *g, GsGilThread *t, GsReleaseReason why);
    void (*on_wake)(GsGil *g, GsGilThread *t);
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
    GsGilHooks hooks;          /* where events go */

    /* the lock itself, guarded by mutex */
    GsMutex *mutex;
    GsCond *cond;              /* signalled when the GIL is released */
    bool locked;               /* is the GIL held? */
    int holder;                /* tid of the holder, -1 when free */
    atomic_int last_holder;    /* tid of the last thread to take it (read by
                                  forced switching without `mutex`) */
    uint64_t switch_number;    /* how many times the holder changed */
    int waiting;               /* threads blocked in take (for statistics) */
    int64_t switches;          /* times the GIL changed hands (under `mutex`) */

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
                  GsBreaker *eval_breaker, GsGilHooks hooks);
void gs_gil_free(GsGil *gil);

/* Take the GIL for t (blocking), and let go of it: the policy's take and
 * drop.  Thread start and exit use these. */
static inline void gs_gil_take(GsGil *g, GsGilThread *t) { g->ops->take(g, t); }
static inline void gs_gil_drop(GsGil *g, GsGilThread *t, GsReleaseReason why)
{
    g->ops->drop(g, t, why);
}

/* The eval loop's safe point: called where the imitated CPython checks.
 * Decides, by policy, whether to hand the GIL over now.  `defer`: the
 * check is put off (sched_rules.h): a tick still counts, nothing is handed over. */
static inline void gs_gil_check(GsGil *g, GsGilThread *t, bool defer)
{
    if (atomic_load_explicit(&g->threads, memory_order_relaxed) > 1)
        g->ops->check(g, t, defer);
}

/* ---- building blocks for policies whose GIL is a lock ----------------------
 * Both of CPython's GILs are a `locked` flag under a mutex, with a
 * condition variable to wait on; they differ in how a thread waits and in
 * what happens after a switch.  gil.c implements the common part once. */

/* Wait while the GIL is locked (called with g->mutex held), and the
 * policy's extra step once a thread has taken it (mutex still held; NULL:
 * none). */
typedef void GsGilWaitFn(GsGil *g, GsGilThread *t);
void gs_gil_lock_take(GsGil *g, GsGilThread *t, GsGilWaitFn *wait, GsGilWaitFn *taken);
/* Unlock it and signal one waiter. */
void gs_gil_lock_release(GsGil *g, GsGilThread *t, GsReleaseReason why);

/* Around a blocking call (CPython's Py_BEGIN/END_ALLOW_THREADS): let go
 * if held, take back if not. */
void gs_gil_release_for(GsGil *g, GsGilThread *t, GsReleaseReason why);
void gs_gil_reacquire(GsGil *g, GsGilThread *t);

/* Report an event through the hooks (for the policy files). */
static inline void gs_gil_report(GsGil *g, GsGilThread *t, GsGilEvent ev, int other, int64_t ns)
{
    if (g->hooks.event)
        g->hooks.event(g->hooks.ctx, t, ev, other, ns);
}

#endif
