/*
 * breaker.h -- the eval breaker: why a running thread must leave the eval
 * loop's fast path at its next check.
 *
 * The fast path only asks one question at a check: is anything pending?
 * The reasons are many -- a waiter asked the holder to drop the GIL, the
 * run must stop (--timeout, --max-instructions, SIGTERM, the end of the
 * main thread), Ctrl-C was pressed -- and each has its own bit in one word,
 * set and cleared only through the two functions below.  The word is
 * therefore always the OR of its reasons, which is what CPython 3.12's
 * COMPUTE_EVAL_BREAKER recomputes from separate flags; with one bit per
 * reason a reason can be cleared without looking at the others (before,
 * clearing a drop request had to ask whether a stop was pending).
 *
 * What is NOT here: work that must happen at an exact instruction rather
 * than at the next check -- the simulated clock's next event, the
 * --max-instructions count, recording every instruction.  Those are
 * per-thread and share the fetch path's one counter instead (eval.c, "THE
 * FETCH TRAP").
 */
#ifndef GS_BREAKER_H
#define GS_BREAKER_H

#include <stdatomic.h>

typedef atomic_uint GsBreaker;

enum {
    GS_BREAK_GIL_DROP = 1u << 0,   /* a waiter asked the holder to drop the GIL
                                      (gil_interval.c) */
    GS_BREAK_STOP = 1u << 1,       /* a stop is pending; interp->stop_reason says
                                      which (timeout, signal, Ctrl-C, ...) */
};

/* Async-signal-safe (a lock-free atomic OR / AND). */
static inline void gs_breaker_set(GsBreaker *b, unsigned reason)
{
    atomic_fetch_or(b, reason);
}

static inline void gs_breaker_clear(GsBreaker *b, unsigned reason)
{
    atomic_fetch_and(b, ~reason);
}

/* The fast path's question: a relaxed load, since a check a few
 * instructions late is harmless. */
static inline unsigned gs_breaker_pending(GsBreaker *b)
{
    return atomic_load_explicit(b, memory_order_relaxed);
}

#endif
