/*
 * platform_sim.c -- the simulated backend of platform.h: a small,
 * deterministic model of a K-core machine running the guest's threads.
 *
 * WHY.  On a real machine no two runs look alike: the GIL's hand-overs
 * depend on when the kernel wakes a thread, on which core, and on what
 * else the machine is doing.  `gilscope run --clock sim` runs the same
 * program on a machine made of a few rules and numbers instead, so that
 * the same script, options and --seed give the same trace, byte for byte,
 * on any computer -- and so that a teacher can show 1 core against 4.
 *
 * THE BATON.  Only one guest thread executes at any moment: the one
 * holding the baton.  So the guest threads need not be OS threads at all:
 * each is a fiber (fiber.h), a stack and a few saved registers, and all of
 * them take turns on one OS thread -- the one that started the program and
 * waits for it in thread_join.  Handing the baton over is a function call
 * that returns on another stack (about 3 ns), not a wake-up of another OS
 * thread (about 6 us).  Nothing the guest does depends on the real
 * machine's timing, and since only that one OS thread touches the
 * simulator's state, it needs no lock: the outside world (the trace
 * writer) reads only `frontier`, an atomic.
 *
 * VIRTUAL TIME.  Every thread has its own clock, vt.  The eval loop adds
 * each instruction's cost (the opcode table's cost column) to it; the
 * platform operations below add theirs.  A thread's vt is "now" for that
 * thread: time.time(), perf_counter() and the trace's timestamps read it.
 *
 * WHO RUNS NEXT.  The simulator keeps every thread in one of four states:
 *
 *   RUN    on a core; its next step happens at its vt
 *   READY  runnable but waiting for a free core (FIFO)
 *   WAIT   blocked: on a mutex, a condition variable, a sleep or an I/O;
 *          it becomes runnable at wake_at (UINT64_MAX: when woken)
 *   DONE   finished
 *
 * and always lets the earliest event happen first: the RUN thread with the
 * smallest vt, unless a WAIT thread wakes up earlier (ties: wake-ups first,
 * then the lower thread number).  The chosen thread then runs on its own
 * -- Python code touches nothing another thread can see without the GIL --
 * until its vt reaches `limit`, the time of the next event anywhere else;
 * there it calls catch_up, and the baton may move.  Every platform
 * operation (lock, unlock, wait, signal, sleep, ...) is such a meeting
 * point too.  This is a conservative discrete-event simulation: an action
 * of one thread is never seen by another before its virtual time.
 *
 * THE OPERATING SYSTEM, in a few rules (numbers in GsSimParams, their
 * defaults and reasons in docs/sim-model.md):
 *
 *   - a woken thread starts running wake_ns (+ seeded jitter) later if a
 *     core is free; otherwise it waits in READY for one;
 *   - a thread on a core gives it up when it blocks, or after slice_ns if
 *     others are waiting for a core (time slices);
 *   - a woken thread that finds no free core preempts one that has run at
 *     least wakeup_gran_ns (Linux's wake-up preemption) -- when it is woken
 *     by a signal, it preempts the signalling thread right inside the
 *     signal call, as the kernel does;
 *   - waking a waiter costs the waker syscall_ns, plus ipi_ns when the
 *     woken thread starts on another core; uncontended lock, unlock and
 *     signal cost lock_ns; sleeps and timed waits end timer_slack_ns late;
 *   - mutexes are not fair: unlock wakes one waiter, which must try again
 *     (and often finds the mutex taken again) -- like a futex.
 *
 * The GIL policies in gil.c run unchanged on top of this, through the same
 * platform.h calls they make on the real clock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fiber.h"
#include "platform.h"

typedef enum { T_RUN, T_READY, T_WAIT, T_DONE } TState;

typedef struct Sim Sim;
typedef struct SimThread SimThread;

struct SimThread {
    int id;                  /* start order: 0 is the main program */
    Sim *sim;
    GsSimClock clock;        /* vt: this thread's now; limit: see catch_up */
    TState state;
    GsFiber fiber;           /* its stack and saved registers while it waits for the baton */
    uint64_t wake_at;        /* WAIT: when it becomes runnable; UINT64_MAX: when woken */
    bool woken;              /* WAIT: woken by a signal or an unlock, not by its timeout */
    bool polling;            /* WAIT: in poll_wait, not yet woken: its timer is no event */
    GsCond *cond;            /* WAIT: the condition variable it is queued on, or NULL */
    GsMutex *mutex;          /* WAIT: the mutex it is queued on, or NULL */
    SimThread *next;         /* its place in that queue, or in the READY queue */
    uint64_t ready_since;    /* READY: since when */
    uint64_t on_core_since;  /* RUN: when it got its core */
    uint64_t cpu_ns;         /* CPU time used before on_core_since (Linux's vruntime) */
    bool finished;           /* its function returned (thread_join waits for it) */
    SimThread *joiners;      /* threads waiting in thread_join for it */
    void (*fn)(void *);
    void *arg;
};

/* FIFO queues of threads, linked through SimThread.next. */
typedef struct {
    SimThread *head, *tail;
} Queue;

struct GsMutex {
    SimThread *owner;
    Queue waiters;
};

struct GsCond {
    Queue waiters;
    int inside;              /* threads in wait or timed_wait, queued or already woken */
};

struct Sim {
    GsPlatform base;         /* first: a GsPlatform * is a Sim * */
    GsSimParams prm;
    GsFiber host;            /* the OS thread's own context: where the run ends */
    SimThread *dead;         /* a finished fiber whose stack the next context frees */
    SimThread **threads;
    int nthreads, capthreads;
    SimThread *baton;        /* the thread executing for real */
    int on_cores;            /* threads in RUN */
    Queue ready;             /* READY threads, in the order they became ready */
    uint64_t rng;            /* xorshift64* state, from the seed */
    _Atomic uint64_t frontier;   /* no thread will read a clock earlier than this */
    bool (*stuck_hook)(void *ctx);   /* set_stuck_hook's */
    void *stuck_ctx;
};

static _Thread_local SimThread *self_thread;

static Sim *sim_of(GsPlatform *p) { return (Sim *)p; }

/* ---- small helpers ------------------------------------------------------------------- */

static void enqueue(Queue *q, SimThread *t)
{
    t->next = NULL;
    if (q->tail)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
}

static SimThread *dequeue(Queue *q)
{
    SimThread *t = q->head;
    if (t) {
        q->head = t->next;
        if (!q->head)
            q->tail = NULL;
        t->next = NULL;
    }
    return t;
}

static void unqueue(Queue *q, SimThread *t)
{
    SimThread **pp = &q->head, *prev = NULL;
    while (*pp && *pp != t) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = t->next;
    if (q->tail == t)
        q->tail = prev;
    t->next = NULL;
}

/* The seeded noise: xorshift64* (Vigna), enough for jitter. */
static uint64_t random_below(Sim *s, uint64_t bound)
{
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    uint64_t r = s->rng * 2685821657736338717ull;
    return bound ? r % bound : 0;
}

static uint64_t wake_latency(Sim *s)
{
    return s->prm.wake_ns + random_below(s, s->prm.jitter_ns + 1);
}

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* ---- cores ---------------------------------------------------------------------------- */

static void put_on_core(Sim *s, SimThread *t, uint64_t at)
{
    t->state = T_RUN;
    gs_sim_set_vt(&t->clock, max_u64(gs_sim_vt(&t->clock), at));
    t->on_core_since = gs_sim_vt(&t->clock);
    s->on_cores++;
}

/* A core came free at time `at`: the first READY thread gets it. */
static void core_freed(Sim *s, uint64_t at)
{
    SimThread *t = dequeue(&s->ready);
    if (t)
        put_on_core(s, t, max_u64(t->ready_since, at) + s->prm.switch_ns);
}

/* CPU time t has used, counting its current turn on a core. */
static uint64_t cpu_used(SimThread *t)
{
    return t->cpu_ns + (t->state == T_RUN ? gs_sim_vt(&t->clock) - t->on_core_since : 0);
}

/* t gives up its core (whatever state it is going to). */
static void leave_core(Sim *s, SimThread *t)
{
    t->cpu_ns += gs_sim_vt(&t->clock) - t->on_core_since;
    s->on_cores--;
}

static void take_off_core(Sim *s, SimThread *t)
{
    leave_core(s, t);
    core_freed(s, gs_sim_vt(&t->clock));
}

/* A running thread that a woken thread `w` may preempt: the one that has
 * used the most CPU, if that is wakeup_gran_ns more than w has (Linux's
 * wake-up preemption, which favours threads that mostly wait). */
static SimThread *preemptible(Sim *s, SimThread *w)
{
    SimThread *victim = NULL;
    for (int i = 0; i < s->nthreads; i++) {
        SimThread *t = s->threads[i];
        if (t->state == T_RUN && t != w && (!victim || cpu_used(t) > cpu_used(victim)))
            victim = t;
    }
    if (victim && cpu_used(victim) >= w->cpu_ns + s->prm.wakeup_gran_ns)
        return victim;
    return NULL;
}

/* The READY queue is kept in order of CPU time used, least first: like
 * Linux's fair scheduler, a thread that mostly waits (an I/O thread) gets
 * a core before one that mostly computes. */
static void make_ready(Sim *s, SimThread *t, uint64_t at)
{
    t->state = T_READY;
    t->ready_since = at;
    SimThread **pp = &s->ready.head, *prev = NULL;
    while (*pp && (*pp)->cpu_ns <= t->cpu_ns) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    t->next = *pp;
    *pp = t;
    if (!t->next)
        s->ready.tail = t;
    (void)prev;
}

/* t, blocked until now, can run from time `at`. */
static void make_runnable(Sim *s, SimThread *t, uint64_t at)
{
    if (t->cond)
        unqueue(&t->cond->waiters, t);
    if (t->mutex)
        unqueue(&t->mutex->waiters, t);
    t->cond = NULL;
    t->mutex = NULL;
    t->wake_at = UINT64_MAX;
    t->polling = false;
    if (s->on_cores < s->prm.cores) {
        put_on_core(s, t, at);
        return;
    }
    SimThread *victim = preemptible(s, t);
    if (victim) {
        /* Wake-up preemption: the victim waits for a core again. */
        leave_core(s, victim);
        make_ready(s, victim, max_u64(gs_sim_vt(&victim->clock), at));
        put_on_core(s, t, max_u64(gs_sim_vt(&victim->clock), at) + s->prm.switch_ns);
        return;
    }
    make_ready(s, t, at);
}

/* ---- the baton --------------------------------------------------------------------------- */

static SimThread *earliest_running(Sim *s)
{
    SimThread *best = NULL;
    for (int i = 0; i < s->nthreads; i++) {
        SimThread *t = s->threads[i];
        if (t->state == T_RUN && (!best || gs_sim_vt(&t->clock) < gs_sim_vt(&best->clock)))
            best = t;
    }
    return best;
}

static SimThread *earliest_wake(Sim *s)
{
    SimThread *best = NULL;
    for (int i = 0; i < s->nthreads; i++) {
        SimThread *t = s->threads[i];
        if (t->state == T_WAIT && t->wake_at != UINT64_MAX && (!best || t->wake_at < best->wake_at))
            best = t;
    }
    return best;
}

/* How far run may go on its own: the next event anywhere else. */
static uint64_t next_event(Sim *s, SimThread *run)
{
    uint64_t limit = UINT64_MAX;
    for (int i = 0; i < s->nthreads; i++) {
        SimThread *t = s->threads[i];
        if (t != run && t->state == T_RUN && gs_sim_vt(&t->clock) < limit)
            limit = gs_sim_vt(&t->clock);
        if (t->state == T_WAIT && t->wake_at < limit)
            limit = t->wake_at;
    }
    if (s->ready.head && run->on_core_since + s->prm.slice_ns < limit)
        limit = run->on_core_since + s->prm.slice_ns;
    return limit;
}

/* Can no thread ever run again by itself?  Nobody is on a core (the
 * caller checked), and the only timers pending are polls: a poll wakes a
 * thread only to let it look for a stop and wait again.  Only while the
 * main program runs: after it, the rest are daemon threads at exit. */
static bool stuck(Sim *s)
{
    if (!s->stuck_hook || !s->nthreads || s->threads[0]->state == T_DONE)
        return false;
    for (int i = 0; i < s->nthreads; i++) {
        SimThread *t = s->threads[i];
        if (t->state == T_READY || (t->state == T_WAIT && t->wake_at != UINT64_MAX && !t->polling))
            return false;
    }
    return true;
}

/* Every thread in a poll_wait wakes at `now` (me's time: the last thread
 * to block, so no earlier than any waiter's own time), as if its poll had
 * come due. */
static void wake_pollers(Sim *s, uint64_t now)
{
    for (int i = 0; i < s->nthreads; i++) {
        SimThread *t = s->threads[i];
        if (t->state == T_WAIT && t->polling && t->wake_at != UINT64_MAX && t->wake_at > now)
            t->wake_at = now;
    }
}

/* A fiber has finished and switched away for good: free its stack.
 * Called by whichever context runs next, since no fiber can unmap the
 * stack it stands on. */
static void bury(Sim *s)
{
    if (s->dead) {
        gs_fiber_free(&s->dead->fiber);
        s->dead = NULL;
    }
}

/* me switches to `to` (NULL: nobody can run; back to the OS thread's own
 * context, which ends the run).  Returns when me holds the baton again --
 * never, if me is DONE.  errno belongs to the OS thread, which all fibers
 * share, so each fiber keeps its own across the switch. */
static void hand_over(Sim *s, SimThread *me, SimThread *to)
{
    if (to == me)
        return;
    GsFiber *dest = to ? &to->fiber : &s->host;
    if (me->state == T_DONE) {
        s->dead = me;
        gs_fiber_exit(&me->fiber, dest);
    }
    int saved_errno = errno;
    gs_fiber_switch(&me->fiber, dest);
    self_thread = me;
    bury(s);
    errno = saved_errno;
}

/* Let every event earlier than the caller's next step happen, then give
 * the baton to whoever is earliest -- possibly the caller itself, which
 * then returns at once.  Called by the baton holder; returns when `me`
 * holds the baton again (never if it is DONE). */
static void pass_baton(Sim *s, SimThread *me)
{
    for (;;) {
        SimThread *run = earliest_running(s);
        SimThread *wake = earliest_wake(s);
        if (!run && stuck(s) && s->stuck_hook(s->stuck_ctx)) {
            wake_pollers(s, gs_sim_vt(&me->clock));   /* to find the stop it set */
            continue;
        }
        if (wake && (!run || wake->wake_at <= gs_sim_vt(&run->clock))) {
            make_runnable(s, wake, wake->wake_at);
            continue;
        }
        if (!run) {
            /* Nobody can run and no timer is pending at all, not even a
             * poll: the threads left can never notice anything again (the
             * stuck hook above has said why, if it could).  The simulation
             * ends here, with them frozen where they wait; whoever runs it
             * (thread_join from outside) finds its thread unfinished.  If
             * the main program (the first thread) has finished, the rest
             * are daemon threads left behind, as CPython leaves them. */
            s->baton = NULL;
            break;
        }
        if (s->ready.head && gs_sim_vt(&run->clock) >= run->on_core_since + s->prm.slice_ns) {
            /* Its time slice is over and others wait for a core. */
            leave_core(s, run);
            make_ready(s, run, gs_sim_vt(&run->clock));
            core_freed(s, gs_sim_vt(&run->clock));
            continue;
        }
        gs_sim_set_limit(&run->clock, next_event(s, run));
        atomic_store(&s->frontier, gs_sim_vt(&run->clock));
        s->baton = run;
        break;
    }
    hand_over(s, me, s->baton);
}

/* Is the caller one of the simulated threads?  The others (gilscope's own
 * main thread, before and after the run) only create and free things. */
static bool outside(Sim *s)
{
    return !self_thread || self_thread->sim != s;
}

/* Every platform operation starts here: the caller's next step is now;
 * let what happens before it happen first. */
static SimThread *enter(Sim *s)
{
    SimThread *me = self_thread;
    if (me->clock.room > 0) {
        /* Not a meeting point: the caller is still before its limit, the
         * next event anywhere else, so pass_baton would find nothing to do
         * first and hand the baton straight back.  Its limit is current:
         * every operation recomputes it on the way out (leave), and
         * nothing else changes while the caller runs alone. */
        atomic_store(&s->frontier, gs_sim_vt(&me->clock));
        return me;
    }
    pass_baton(s, me);
    return me;
}

static void leave(Sim *s, SimThread *me)
{
    /* New events may have been scheduled: recompute how far we may go. */
    gs_sim_set_limit(&me->clock, next_event(s, me));
}

/* Block me until woken or until wake_at, then run again. */
static void block(Sim *s, SimThread *me, uint64_t wake_at)
{
    me->state = T_WAIT;
    me->wake_at = wake_at;
    take_off_core(s, me);
    pass_baton(s, me);
}

/* Wake t (queued on a cond or mutex) at `now`; returns the waker's cost. */
static uint64_t wake_waiter(Sim *s, SimThread *waker, SimThread *t, bool may_preempt)
{
    t->woken = true;
    t->polling = false;
    t->cond = NULL;
    t->mutex = NULL;
    uint64_t now = gs_sim_vt(&waker->clock);
    if (s->on_cores < s->prm.cores) {
        t->wake_at = now + wake_latency(s);
        return s->prm.syscall_ns + s->prm.ipi_ns;
    }
    if (may_preempt && waker->state == T_RUN &&
        cpu_used(waker) >= t->cpu_ns + s->prm.wakeup_gran_ns) {
        /* The woken thread preempts the waker inside its system call: it
         * runs at once on the waker's core. */
        gs_sim_advance(&waker->clock, s->prm.syscall_ns);
        t->wake_at = UINT64_MAX;
        leave_core(s, waker);
        make_ready(s, waker, gs_sim_vt(&waker->clock));
        put_on_core(s, t, gs_sim_vt(&waker->clock) + s->prm.switch_ns);
        return 0;
    }
    t->wake_at = now + wake_latency(s);   /* it will wait for a core */
    return s->prm.syscall_ns;
}

/* ---- the platform operations ------------------------------------------------------------- */

static uint64_t sim_now(GsPlatform *p)
{
    SimThread *me = self_thread;
    if (me && me->sim == sim_of(p))
        return gs_sim_vt(&me->clock);
    return atomic_load(&sim_of(p)->frontier);   /* a thread outside the simulation */
}

static GsMutex *sim_mutex_new(GsPlatform *p) { return calloc(1, sizeof(GsMutex)); }
static void sim_mutex_free(GsPlatform *p, GsMutex *m) { free(m); }
static GsCond *sim_cond_new(GsPlatform *p) { return calloc(1, sizeof(GsCond)); }
static void sim_cond_free(GsPlatform *p, GsCond *c) { free(c); }

static void lock_locked(Sim *s, SimThread *me, GsMutex *m)
{
    gs_sim_advance(&me->clock, s->prm.lock_ns);
    while (m->owner) {
        enqueue(&m->waiters, me);
        me->mutex = m;
        me->woken = false;
        block(s, me, UINT64_MAX);
    }
    m->owner = me;
}

/* may_preempt: false when the caller is about to block anyway (wait). */
static void unlock_locked(Sim *s, SimThread *me, GsMutex *m, bool may_preempt)
{
    gs_sim_advance(&me->clock, s->prm.lock_ns);
    m->owner = NULL;
    SimThread *t = dequeue(&m->waiters);
    if (t)
        gs_sim_advance(&me->clock, wake_waiter(s, me, t, may_preempt));
}

static void sim_lock(GsPlatform *p, GsMutex *m)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return;
    SimThread *me = enter(s);
    lock_locked(s, me, m);
    leave(s, me);
}

static bool sim_trylock(GsPlatform *p, GsMutex *m)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return true;
    SimThread *me = enter(s);
    gs_sim_advance(&me->clock, s->prm.lock_ns);
    bool got = !m->owner;
    if (got)
        m->owner = me;
    leave(s, me);
    return got;
}

static void sim_unlock(GsPlatform *p, GsMutex *m)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return;
    SimThread *me = enter(s);
    unlock_locked(s, me, m, true);
    if (me->state != T_RUN)
        pass_baton(s, me);   /* preempted by the thread it woke */
    leave(s, me);
}

static bool sim_timed_wait(GsPlatform *p, GsCond *c, GsMutex *m, uint64_t ns)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return true;
    SimThread *me = enter(s);
    gs_sim_advance(&me->clock, s->prm.lock_ns);
    /* Queue on c *before* letting go of m, as pthread_cond_wait does in one
     * step: a thread that takes m next and signals c must find us there. */
    enqueue(&c->waiters, me);
    c->inside++;
    me->cond = c;
    me->woken = false;
    unlock_locked(s, me, m, false);
    uint64_t deadline = ns == UINT64_MAX ? UINT64_MAX
                                         : gs_sim_vt(&me->clock) + ns + s->prm.timer_slack_ns;
    block(s, me, deadline);
    bool timed_out = !me->woken;
    lock_locked(s, me, m);
    c->inside--;
    leave(s, me);
    return timed_out;
}

static void sim_wait(GsPlatform *p, GsCond *c, GsMutex *m)
{
    sim_timed_wait(p, c, m, UINT64_MAX);
}

/* A timed wait like the others -- same costs, same wake-ups, so a trace
 * does not depend on which of the two a waiter used -- except that while
 * it waits its timer does not count as progress (stuck). */
static bool sim_poll_wait(GsPlatform *p, GsCond *c, GsMutex *m, uint64_t ns)
{
    SimThread *me = self_thread;
    if (!outside(sim_of(p)))
        me->polling = true;
    bool timed_out = sim_timed_wait(p, c, m, ns);
    if (!outside(sim_of(p)))
        me->polling = false;
    return timed_out;
}

static void sim_set_stuck_hook(GsPlatform *p, bool (*hook)(void *ctx), void *ctx)
{
    sim_of(p)->stuck_hook = hook;
    sim_of(p)->stuck_ctx = ctx;
}

/* Signalling costs a system call whenever a thread is inside a wait on c,
 * even one already woken that has not yet come back: like a semaphore's
 * waiter count, the condition variable's stays up until it has.  That is
 * what made CPython 2.7's every release expensive with two busy threads. */
static void signal_locked(Sim *s, SimThread *me, GsCond *c, bool all)
{
    gs_sim_advance(&me->clock, s->prm.lock_ns);
    if (c->inside > 0 && !c->waiters.head)
        gs_sim_advance(&me->clock, s->prm.syscall_ns);
    SimThread *t;
    while ((t = dequeue(&c->waiters))) {
        gs_sim_advance(&me->clock, wake_waiter(s, me, t, true));
        if (!all)
            break;
    }
    if (me->state != T_RUN)
        pass_baton(s, me);
}

static void sim_signal(GsPlatform *p, GsCond *c)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return;
    SimThread *me = enter(s);
    signal_locked(s, me, c, false);
    leave(s, me);
}

static void sim_broadcast(GsPlatform *p, GsCond *c)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return;
    SimThread *me = enter(s);
    signal_locked(s, me, c, true);
    leave(s, me);
}

static void sim_sleep(GsPlatform *p, uint64_t ns, atomic_int *stop)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return;
    SimThread *me = enter(s);
    block(s, me, gs_sim_vt(&me->clock) + ns + s->prm.timer_slack_ns);
    leave(s, me);
}

/* A file operation: the kernel's work (system call, copy from the page
 * cache) done on the caller's own core -- it keeps the core, without the
 * GIL, while other threads may run elsewhere. */
static void sim_io(GsPlatform *p, uint64_t bytes)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return;
    SimThread *me = enter(s);
    gs_sim_advance(&me->clock, s->prm.io_ns + bytes / 4);   /* copies at 4 bytes per ns */
    pass_baton(s, me);
    leave(s, me);
}

static GsSimClock *sim_thread_clock(GsPlatform *p)
{
    SimThread *me = self_thread;
    return me && me->sim == sim_of(p) ? &me->clock : NULL;
}

/* Tell observers outside the simulation (the tracer's writer) how far
 * virtual time has surely got: no thread will read a clock earlier than
 * the baton holder's time, nor than its limit (the next event elsewhere). */
static void sim_publish(GsPlatform *p)
{
    Sim *s = sim_of(p);
    SimThread *me = self_thread;
    if (outside(s) || s->baton != me)
        return;
    uint64_t t = gs_sim_vt(&me->clock) < me->clock.limit ? gs_sim_vt(&me->clock) : me->clock.limit;
    if (t > atomic_load(&s->frontier))
        atomic_store(&s->frontier, t);
}

static void sim_catch_up(GsPlatform *p)
{
    Sim *s = sim_of(p);
    if (outside(s))
        return;
    SimThread *me = enter(s);
    leave(s, me);
}

/* ---- threads ------------------------------------------------------------------------------ */

/* A simulated thread's whole life, on its fiber: it first runs when
 * pass_baton hands it the baton, and its last step switches away for good. */
static void thread_body(void *arg)
{
    SimThread *me = arg;
    Sim *s = me->sim;
    self_thread = me;
    bury(s);

    me->fn(me->arg);

    pass_baton(s, me);   /* our last step happens in its turn */
    me->finished = true;
    for (SimThread *j; (j = me->joiners);) {
        me->joiners = j->next;
        j->next = NULL;
        j->woken = true;
        j->wake_at = gs_sim_vt(&me->clock) + wake_latency(s);
    }
    me->state = T_DONE;
    take_off_core(s, me);
    pass_baton(s, me);   /* does not return */
}

static void *sim_thread_start(GsPlatform *p, void (*fn)(void *), void *arg, size_t stack)
{
    Sim *s = sim_of(p);
    SimThread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->sim = s;
    t->fn = fn;
    t->arg = arg;
    t->wake_at = UINT64_MAX;
    SimThread *me = self_thread && self_thread->sim == s ? self_thread : NULL;
    if (me)
        me = enter(s);
    if (s->nthreads == s->capthreads) {
        int cap = s->capthreads ? s->capthreads * 2 : 8;
        SimThread **nt = realloc(s->threads, (size_t)cap * sizeof *nt);
        if (!nt)
            goto fail;
        s->threads = nt;
        s->capthreads = cap;
    }
    t->id = s->nthreads;
    if (me) {
        /* Started by a simulated thread: it becomes runnable a little later. */
        gs_sim_advance(&me->clock, s->prm.thread_start_ns);
        gs_sim_set_vt(&t->clock, gs_sim_vt(&me->clock));
        t->state = T_WAIT;
        t->wake_at = gs_sim_vt(&me->clock) + wake_latency(s);
    } else {
        /* The first thread (the main program), from outside the simulation. */
        put_on_core(s, t, atomic_load(&s->frontier));
        if (!s->baton)
            s->baton = t;
    }
    if (!gs_fiber_new(&t->fiber, stack, thread_body, t))
        goto fail;
    s->threads[s->nthreads++] = t;
    if (me)
        leave(s, me);
    return t;
fail:
    if (me) {
        leave(s, me);
    } else {
        if (s->baton == t)   /* the first thread was put on a core above */
            s->baton = NULL;
        if (t->state == T_RUN)
            s->on_cores--;
    }
    free(t);
    return NULL;
}

/* The OS thread that started the simulation runs it: it switches to the
 * baton holder and gets control back when nobody can run any more --
 * every thread DONE, or the main program done and the rest blocked for
 * ever (daemon threads left behind, as CPython leaves them). */
static void run_simulation(Sim *s)
{
    gs_fiber_init_thread(&s->host);
    while (s->baton) {
        gs_fiber_switch(&s->host, &s->baton->fiber);
        self_thread = NULL;   /* the last fiber to run set it to itself */
        bury(s);
    }
    gs_fiber_free(&s->host);
}

static void sim_thread_join(GsPlatform *p, void *handle)
{
    Sim *s = sim_of(p);
    SimThread *t = handle;
    SimThread *me = self_thread && self_thread->sim == s ? self_thread : NULL;
    if (!me) {
        /* From outside: the program's thread, joined by gilscope's main
         * thread, which runs the whole simulation right here. */
        run_simulation(s);
        return;
    }
    enter(s);
    while (!t->finished) {
        me->next = t->joiners;
        t->joiners = me;
        me->woken = false;
        block(s, me, UINT64_MAX);
    }
    leave(s, me);
    /* Its stack was freed when it switched away for the last time; the
     * SimThread stays in the simulation's table until the end. */
}

static void sim_thread_detach(GsPlatform *p, void *handle)
{
    /* Nothing to do: a fiber's stack is freed when it finishes, its
     * SimThread when the simulation is. */
}

static void sim_destroy(GsPlatform *p)
{
    Sim *s = sim_of(p);
    /* Fibers still here never finished (blocked for ever); none runs. */
    for (int i = 0; i < s->nthreads; i++) {
        gs_fiber_free(&s->threads[i]->fiber);
        free(s->threads[i]);
    }
    free(s->threads);
    free(s);
}

void gs_sim_params_default(GsSimParams *prm)
{
    *prm = (GsSimParams){
        .cores = 2,
        .seed = 1,
        .wake_ns = 5000,
        .jitter_ns = 5000,
        .switch_ns = 2000,
        .syscall_ns = 200,
        .ipi_ns = 4000,
        .lock_ns = 20,
        .slice_ns = 3000000,
        .wakeup_gran_ns = 1000000,
        .timer_slack_ns = 50000,
        .io_ns = 2000,
        .thread_start_ns = 50000,
    };
}

GsPlatform *gs_platform_sim(const GsSimParams *prm)
{
    Sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->prm = *prm;
    if (s->prm.cores < 1)
        s->prm.cores = 1;
    s->rng = prm->seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!s->rng)
        s->rng = 1;
    s->base = (GsPlatform){
        .name = "sim", .now_ns = sim_now, .mutex_new = sim_mutex_new,
        .mutex_free = sim_mutex_free, .lock = sim_lock, .unlock = sim_unlock,
        .trylock = sim_trylock, .cond_new = sim_cond_new, .cond_free = sim_cond_free,
        .wait = sim_wait, .timed_wait = sim_timed_wait, .poll_wait = sim_poll_wait,
        .signal = sim_signal, .set_stuck_hook = sim_set_stuck_hook,
        .broadcast = sim_broadcast, .sleep_ns = sim_sleep, .thread_start = sim_thread_start,
        .thread_join = sim_thread_join, .thread_detach = sim_thread_detach,
        .thread_clock = sim_thread_clock, .catch_up = sim_catch_up, .io = sim_io,
        .publish = sim_publish,
        .wall_epoch_ns = 946684800ull * 1000000000ull,   /* 2000-01-01T00:00:00Z */
        .destroy = sim_destroy,
    };
    return &s->base;
}
