/*
 * test_fiber.c -- the fibers the simulated clock runs guest threads on
 * (vm/threads/fiber.h).  Built twice: with the hand-written x86-64 switch
 * (where the machine has it) and with the swapcontext fallback
 * (GS_FIBER_UCONTEXT), so that the path other machines take is tested too.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "threads/fiber.h"
#include "tap.h"

static GsFiber host, a, b;
static char order[64];
static int norder;

static void note(char c)
{
    if (norder < (int)sizeof order - 1)
        order[norder++] = c;
}

/* a and b take turns with the host; each keeps values live across its
 * switches, which only survive if the callee-saved registers do. */
static void fiber_a(void *arg)
{
    long k1 = (long)arg, k2 = k1 * 3, k3 = k1 * 7;
    double d = 0.5 * (double)k1;
    for (int i = 0; i < 3; i++) {
        note('a');
        gs_fiber_switch(&a, &b);
        k1 += 1, k2 += 3, k3 += 7, d += 0.5;
    }
    char buf[400];   /* printf of a double needs an aligned stack (SSE) */
    snprintf(buf, sizeof buf, "%ld %ld %ld %.1f", k1, k2, k3, d);
    TAP_STR_EQ(buf, "13 39 91 6.5", "fiber a's values survive its switches");
    note('A');
    gs_fiber_exit(&a, &host);
}

static void fiber_b(void *arg)
{
    volatile char big[1 << 20];   /* a megabyte of its own stack */
    memset((char *)big, 7, sizeof big);
    for (int i = 0; i < 3; i++) {
        note('b');
        gs_fiber_switch(&b, i == 2 ? &host : &a);
    }
    TAP_OK(big[0] == 7 && big[sizeof big - 1] == 7, "fiber b's stack is intact");
    note('B');
    gs_fiber_exit(&b, &host);
}

static void test_turns(void)
{
    gs_fiber_init_thread(&host);
    TAP_OK(gs_fiber_new(&a, 256 << 10, fiber_a, (void *)10L), "a fiber with a 256 KiB stack");
    TAP_OK(gs_fiber_new(&b, 4 << 20, fiber_b, NULL), "a fiber with a 4 MiB stack");
    int here = 42;
    gs_fiber_switch(&host, &a);   /* a b a b a b, then b comes back here */
    TAP_STR_EQ(order, "ababab", "a and b took turns, b came back to the host");
    TAP_INT_EQ(here, 42, "the host's locals survive");
    gs_fiber_switch(&host, &a);   /* a finishes */
    gs_fiber_free(&a);
    gs_fiber_switch(&host, &b);   /* b finishes */
    gs_fiber_free(&b);
    TAP_STR_EQ(order, "abababAB", "each finished with a last switch to the host");
    gs_fiber_free(&a);   /* twice: harmless */
    gs_fiber_free(&host);
}

/* Many fibers, each started and finished: stacks are given back. */
static GsFiber pool_host, pool_fiber;
static int ran;

static void short_life(void *arg)
{
    ran += (int)(long)arg;
    gs_fiber_exit(&pool_fiber, &pool_host);
}

/* Is [p, p + 1) mapped?  msync fails with ENOMEM on a hole. */
static bool mapped(void *p)
{
    uintptr_t page = (uintptr_t)p & ~(uintptr_t)4095;
    return msync((void *)page, 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

static void test_many(void)
{
    gs_fiber_init_thread(&pool_host);
    int unmapped = 0;
    for (int i = 0; i < 2000; i++) {
        if (!gs_fiber_new(&pool_fiber, 64 << 20, short_life, (void *)1L))
            break;
        gs_fiber_switch(&pool_host, &pool_fiber);
        char *lo = pool_fiber.lo, *guard = pool_fiber.map;
        bool was = mapped(lo) && mapped(lo + (32 << 20));
        gs_fiber_free(&pool_fiber);
        unmapped += was && !mapped(lo) && !mapped(lo + (32 << 20)) && !mapped(guard);
    }
    TAP_INT_EQ(ran, 2000, "2,000 fibers of 64 MiB each ran one after another");
    TAP_INT_EQ(unmapped, 2000, "each one's stack and guard were unmapped when it was freed");
    gs_fiber_free(&pool_host);
}

/* An overflow hits the guard below the stack and faults (ASan reports it
 * and exits) instead of writing over other memory: in a child process. */
static GsFiber guard_host, guard_fiber;

static int recurse(volatile char *p)
{
    volatile char frame[4096];
    frame[0] = p ? p[0] : 0;
    if (frame[0] == 1)   /* never: a base case the compiler cannot rule out */
        return 0;
    return recurse(frame) + frame[1];
}

static void overflow(void *arg)
{
    recurse(NULL);
    gs_fiber_exit(&guard_fiber, &guard_host);
}

static void test_guard(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        if (devnull >= 0)
            dup2(devnull, 2);   /* ASan's report is expected; keep the TAP output clean */
        gs_fiber_init_thread(&guard_host);
        if (!gs_fiber_new(&guard_fiber, 256 << 10, overflow, NULL))
            _exit(0);
        gs_fiber_switch(&guard_host, &guard_fiber);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    TAP_OK(pid > 0 && (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0)),
           "a fiber's stack overflow faults (status %#x)", status);
}

static void test_no_memory(void)
{
    GsFiber f;
    errno = 0;
    bool ok = gs_fiber_new(&f, (size_t)1 << 62, fiber_a, NULL);
    TAP_OK(!ok && errno != 0, "a stack too big to map fails with errno set (%s)", strerror(errno));
}

int main(void)
{
    test_turns();
    test_many();
    test_guard();
    test_no_memory();
    return tap_done();
}
