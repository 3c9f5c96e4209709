/*
 * fiber.h -- execution contexts on one OS thread, switched by hand.
 *
 * On the simulated clock only one guest thread executes at a time
 * (platform_sim.c), so the guest threads need not be OS threads: each is a
 * fiber, a stack of its own plus the registers it had when it last
 * switched away, and all of them take turns on one OS thread.  Handing the
 * turn to another fiber is a function call that returns in a different
 * place: about 3 ns here, where waking one OS thread and putting another
 * to sleep costs 6 us (docs/sim-fibers.md has the measurements).
 *
 * The switch itself is a few lines of x86-64 assembly in fiber.c; other
 * machines (or a build with GS_FIBER_UCONTEXT defined) use the C library's
 * swapcontext, which is slower but correct everywhere.  Both tell ASan and
 * TSan about every switch, so sanitized builds check fibers as they check
 * threads.
 */
#ifndef GS_FIBER_H
#define GS_FIBER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct GsFiber {
    void *sp;             /* its saved stack pointer while switched out */
    void *uc;             /* the swapcontext build: its ucontext_t */
    char *map;            /* the mapping of its stack with the guard below; NULL: an OS thread's own */
    size_t map_size;
    void *lo;             /* its usable stack: [lo, lo + size) */
    size_t size;
    void *asan_fake;      /* ASan: its fake stack while switched out */
    void *tsan;           /* TSan: its fiber */
    void (*fn)(void *);   /* what it runs (never returns: it ends with gs_fiber_exit) */
    void *arg;
} GsFiber;

/* The calling OS thread's own context, so that fibers can switch back to it. */
void gs_fiber_init_thread(GsFiber *f);

/* A new fiber that will run fn(arg) on a stack of stack_size bytes when it
 * is first switched to.  fn must not return: it ends with gs_fiber_exit.
 * Returns false (errno set) when the stack cannot be mapped. */
bool gs_fiber_new(GsFiber *f, size_t stack_size, void (*fn)(void *), void *arg);

/* Switch from the running context `from` to `to`; returns when some
 * context switches back to `from`. */
void gs_fiber_switch(GsFiber *from, GsFiber *to);

/* The last switch of `from`, which is never resumed: its stack may be
 * freed (by another context) as soon as this has jumped away. */
_Noreturn void gs_fiber_exit(GsFiber *from, GsFiber *to);

/* Free a fiber's stack; never the running one's.  Safe on a fiber that
 * never ran, and twice. */
void gs_fiber_free(GsFiber *f);

#endif
