/*
 * platform_uv.c -- the real backend of platform.h: libuv's mutexes,
 * condition variables, threads and monotonic clock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <uv.h>

#include "platform.h"

struct GsMutex {
    uv_mutex_t m;
};

struct GsCond {
    uv_cond_t c;
};

/* uv_hrtime reads CLOCK_MONOTONIC, the clock gs_now_ns reads inline. */
static uint64_t real_now(GsPlatform *p) { return uv_hrtime(); }

static GsMutex *real_mutex_new(GsPlatform *p)
{
    GsMutex *m = malloc(sizeof *m);
    if (m && uv_mutex_init(&m->m) != 0) {
        free(m);
        m = NULL;
    }
    return m;
}

static void real_mutex_free(GsPlatform *p, GsMutex *m)
{
    if (m) {
        uv_mutex_destroy(&m->m);
        free(m);
    }
}

static void real_lock(GsPlatform *p, GsMutex *m) { uv_mutex_lock(&m->m); }
static void real_unlock(GsPlatform *p, GsMutex *m) { uv_mutex_unlock(&m->m); }
static bool real_trylock(GsPlatform *p, GsMutex *m) { return uv_mutex_trylock(&m->m) == 0; }

static GsCond *real_cond_new(GsPlatform *p)
{
    GsCond *c = malloc(sizeof *c);
    if (c && uv_cond_init(&c->c) != 0) {
        free(c);
        c = NULL;
    }
    return c;
}

static void real_cond_free(GsPlatform *p, GsCond *c)
{
    if (c) {
        uv_cond_destroy(&c->c);
        free(c);
    }
}

static void real_wait(GsPlatform *p, GsCond *c, GsMutex *m) { uv_cond_wait(&c->c, &m->m); }

static bool real_timed_wait(GsPlatform *p, GsCond *c, GsMutex *m, uint64_t ns)
{
    /* uv_cond_timedwait takes a relative timeout in nanoseconds. */
    return uv_cond_timedwait(&c->c, &m->m, ns) == UV_ETIMEDOUT;
}

static void real_signal(GsPlatform *p, GsCond *c) { uv_cond_signal(&c->c); }
static void real_broadcast(GsPlatform *p, GsCond *c) { uv_cond_broadcast(&c->c); }

/* Sleep in slices of at most 20 ms, so that a stop request (timeout,
 * Ctrl-C) is noticed promptly. */
static void real_sleep(GsPlatform *p, uint64_t ns, atomic_int *stop)
{
    uint64_t end = uv_hrtime() + ns;
    for (;;) {
        if (stop && atomic_load(stop))
            return;
        uint64_t now = uv_hrtime();
        if (now >= end)
            return;
        uint64_t left = end - now, slice = left < 20000000 ? left : 20000000;
        struct timespec req = { (time_t)(slice / 1000000000), (long)(slice % 1000000000) };
        while (nanosleep(&req, &req) < 0 && errno == EINTR)
            if (stop && atomic_load(stop))
                return;
    }
}

static void *real_thread_start(GsPlatform *p, void (*fn)(void *), void *arg, size_t stack)
{
    uv_thread_t *t = malloc(sizeof *t);
    uv_thread_options_t opt = { UV_THREAD_HAS_STACK_SIZE, stack };
    if (t && uv_thread_create_ex(t, &opt, fn, arg) != 0) {
        free(t);
        t = NULL;
    }
    return t;
}

static void real_thread_join(GsPlatform *p, void *handle)
{
    uv_thread_join(handle);
    free(handle);
}

/* A thread that outlived every reference to it lets the system reclaim it
 * (uv_thread_t is a pthread_t on the systems gilscope runs on). */
static void real_thread_detach(GsPlatform *p, void *handle)
{
    pthread_detach(*(uv_thread_t *)handle);
    free(handle);
}

static GsPlatform real_platform = {
    .name = "real", .now_ns = real_now, .now_is_monotonic = true, .mutex_new = real_mutex_new,
    .mutex_free = real_mutex_free, .lock = real_lock, .unlock = real_unlock, .trylock = real_trylock,
    .cond_new = real_cond_new, .cond_free = real_cond_free, .wait = real_wait,
    .timed_wait = real_timed_wait, .poll_wait = real_timed_wait, .signal = real_signal,
    .broadcast = real_broadcast,
    .sleep_ns = real_sleep, .thread_start = real_thread_start,
    .thread_join = real_thread_join, .thread_detach = real_thread_detach,
};

GsPlatform *gs_platform_real(void) { return &real_platform; }
