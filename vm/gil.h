/*
 * gil.h -- the global interpreter lock, in CPython 2.7's and 3.2+'s designs.
 * The essay explaining both is at the top of gil.c.
 */
#ifndef GS_GIL_H
#define GS_GIL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "platform.h"

typedef struct GsThread GsThread;

typedef enum {
    GS_GIL_TICK,       /* CPython 2.3 - 3.1: release and re-take every N ticks */
    GS_GIL_INTERVAL,   /* CPython 3.2+: drop on request after a switch interval */
} GsGilPolicy;

typedef struct GsGil {
    /* configuration (read-only once threads run) */
    GsGilPolicy policy;
    GsPlatform *platform;
    int check_interval;        /* tick policy: ticks between checks (sys.setcheckinterval) */
    uint64_t interval_ns;      /* interval policy: how long a waiter waits before asking */
    atomic_int *eval_breaker;  /* the interpreter's: set to make the holder stop and look */

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
} GsGil;

GsGil *gs_gil_new(GsPlatform *p, GsGilPolicy policy, int check_interval, uint64_t interval_ns,
                  atomic_int *eval_breaker);
void gs_gil_free(GsGil *gil);

/* Take the GIL for ts (blocking).  Records gil_request / gil_retry /
 * gil_drop_request / gil_acquire. */
void gs_gil_take(GsGil *gil, GsThread *ts);
/* Let go of the GIL; why says what for (gil_release's "why"). */
void gs_gil_drop(GsGil *gil, GsThread *ts, GsReleaseReason why);

/* The eval loop's safe point: called where the imitated CPython checks.
 * Decides, by policy, whether to hand the GIL over now.  `defer`: the
 * check is put off (sched.h): a tick still counts, nothing is handed over. */
void gs_gil_check(GsGil *gil, GsThread *ts, bool defer);

/* Around a blocking call (CPython's Py_BEGIN/END_ALLOW_THREADS). */
void gs_gil_release_for(GsThread *ts, GsReleaseReason why);
void gs_gil_reacquire(GsThread *ts);

#endif
