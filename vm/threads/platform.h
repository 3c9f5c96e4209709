/*
 * platform.h -- what the GIL and the blocking calls wait on.
 *
 * The GIL policies (gil_tick.c, gil_interval.c) and the runtime's blocking
 * calls never call the operating system directly: they lock mutexes, wait
 * on condition variables with or without a timeout, sleep, start threads
 * and read a clock through this small interface.  platform_uv.c maps it
 * onto libuv and this machine's clock; platform_sim.c onto a deterministic
 * simulated machine (`--clock sim`, docs/sim-model.md), so that the *same*
 * policy code runs on both clocks.
 */
#ifndef GS_PLATFORM_H
#define GS_PLATFORM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct GsMutex GsMutex;

/* A thread's place on the simulated clock (platform_sim.c): how far it has
 * got in virtual time (vt), and how far it may run on its own before it
 * must let the other threads catch up (limit).  It is kept as `room`, the
 * nanoseconds left before the limit, so that the eval loop's fast path is
 * one subtraction and one test: each instruction takes its cost from room,
 * and the loop traps into catch_up when room has run out.  vt is
 * limit - room; the functions below keep that true. */
typedef struct {
    int64_t room;     /* limit - vt: may go below 0 by one instruction's cost */
    uint64_t limit;   /* never above INT64_MAX, so that room fits */
} GsSimClock;

static inline uint64_t gs_sim_vt(const GsSimClock *c) { return c->limit - (uint64_t)c->room; }
static inline void gs_sim_advance(GsSimClock *c, uint64_t ns) { c->room -= (int64_t)ns; }
static inline void gs_sim_set_vt(GsSimClock *c, uint64_t vt)
{
    c->room = (int64_t)(c->limit - vt);
}
static inline void gs_sim_set_limit(GsSimClock *c, uint64_t limit)
{
    uint64_t vt = gs_sim_vt(c);
    c->limit = limit > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : limit;
    gs_sim_set_vt(c, vt);
}
typedef struct GsCond GsCond;
typedef struct GsPlatform GsPlatform;

struct GsPlatform {
    const char *name;                       /* "real" or "sim" */
    uint64_t (*now_ns)(GsPlatform *p);      /* monotonic, since an arbitrary origin */
    bool now_is_monotonic;   /* now_ns is CLOCK_MONOTONIC: gs_now_ns reads it inline */
    GsMutex *(*mutex_new)(GsPlatform *p);   /* NULL: out of memory */
    void (*mutex_free)(GsPlatform *p, GsMutex *m);
    void (*lock)(GsPlatform *p, GsMutex *m);
    bool (*trylock)(GsPlatform *p, GsMutex *m);   /* true: locked it */
    void (*unlock)(GsPlatform *p, GsMutex *m);
    GsCond *(*cond_new)(GsPlatform *p);
    void (*cond_free)(GsPlatform *p, GsCond *c);
    void (*wait)(GsPlatform *p, GsCond *c, GsMutex *m);
    /* Returns true if the wait timed out (spurious wake-ups return false). */
    bool (*timed_wait)(GsPlatform *p, GsCond *c, GsMutex *m, uint64_t timeout_ns);
    /* A timed wait whose timeout is there only so that the waiter notices a
     * stop from outside (a guest's untimed wait is done in such slices,
     * threadmodule.c).  The real clock: timed_wait.  The simulated clock
     * does not count its timer as an event that can make progress: when
     * every thread waits and only such timers are pending, the run is
     * stuck for ever, and the stuck hook is called (set_stuck_hook). */
    bool (*poll_wait)(GsPlatform *p, GsCond *c, GsMutex *m, uint64_t timeout_ns);
    void (*signal)(GsPlatform *p, GsCond *c);
    void (*broadcast)(GsPlatform *p, GsCond *c);
    /* Sleep without holding anything; may return early when *stop != 0. */
    void (*sleep_ns)(GsPlatform *p, uint64_t ns, atomic_int *stop);
    /* Start a thread running fn(arg) on a stack of stack_size bytes;
     * returns an opaque handle, NULL on failure. */
    void *(*thread_start)(GsPlatform *p, void (*fn)(void *), void *arg, size_t stack_size);
    void (*thread_join)(GsPlatform *p, void *handle);   /* and frees the handle */
    void (*thread_detach)(GsPlatform *p, void *handle); /* and frees the handle */

    /* The simulated clock only; NULL (or 0) on the real one. */
    GsSimClock *(*thread_clock)(GsPlatform *p);  /* the calling thread's, NULL if none */
    void (*catch_up)(GsPlatform *p);             /* the caller reached its limit */
    void (*io)(GsPlatform *p, uint64_t bytes);   /* a blocking I/O operation's duration */
    void (*publish)(GsPlatform *p);  /* let outside threads' now_ns catch up with the caller */
    /* hook(ctx) is called when no thread can ever run again by itself: all
     * of them wait, and no timer but poll_wait's is pending.  It runs in
     * the middle of a hand-over, so it may read and write memory but call
     * nothing of this interface.  To end the run it sets a stop and
     * returns true: every polling waiter then wakes at once, to notice it.
     * If it returns false, the polls go on as they were (a stop from
     * outside is then on its way). */
    void (*set_stuck_hook)(GsPlatform *p, bool (*hook)(void *ctx), void *ctx);
    uint64_t wall_epoch_ns;   /* time.time() is wall_epoch_ns + now_ns (0: the system's) */
    void (*destroy)(GsPlatform *p);   /* free it, once no thread uses it (NULL: static) */
};

/* The platform's clock, for the callers that read it most (the tracer
 * stamps every event, tens of millions a second with --trace op): on the
 * real clock a direct clock_gettime, without the calls through now_ns and
 * libuv's uv_hrtime that read the same clock (a third of the cost). */
static inline uint64_t gs_now_ns(GsPlatform *p)
{
    if (p->now_is_monotonic) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
    }
    return p->now_ns(p);
}

/* The calling thread's simulated clock, or NULL on the real clock. */
static inline GsSimClock *gs_platform_clock(GsPlatform *p)
{
    return p->thread_clock ? p->thread_clock(p) : NULL;
}

/* The simulated machine's parameters (docs/sim-model.md explains each). */
typedef struct {
    int cores;                 /* CPU cores */
    uint64_t seed;             /* for the jitter */
    uint64_t wake_ns;          /* a woken thread starts running on an idle core after this */
    uint64_t jitter_ns;        /* ... plus a seeded random 0..jitter_ns */
    uint64_t switch_ns;        /* a context switch on a busy core */
    uint64_t syscall_ns;       /* a futex wake that finds a waiter: the waker's cost */
    uint64_t ipi_ns;           /* ... plus this when the woken thread gets another core */
    uint64_t lock_ns;          /* an uncontended lock, unlock or signal */
    uint64_t slice_ns;         /* the OS time slice when threads wait for a core */
    uint64_t wakeup_gran_ns;   /* a woken thread preempts one that has run this long */
    uint64_t timer_slack_ns;   /* sleeps and timed waits end this much late */
    uint64_t io_ns;            /* one file operation */
    uint64_t thread_start_ns;  /* starting a thread */
} GsSimParams;

/* The defaults: a 2-core Linux machine of the 2020s. */
void gs_sim_params_default(GsSimParams *prm);
/* A new simulated machine; NULL: out of memory. */
GsPlatform *gs_platform_sim(const GsSimParams *prm);

/* The real clock and the operating system's threads (libuv). */
GsPlatform *gs_platform_real(void);

#endif
