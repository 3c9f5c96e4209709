/*
 * platform.h -- what the GIL and the blocking calls wait on.
 *
 * The GIL policies (gil.c) never call the operating system directly: they
 * lock mutexes, wait on condition variables with or without a timeout, and
 * read a clock through this small interface.  The real backend
 * (platform_uv.c) maps it onto libuv; a simulated backend can map it onto
 * a deterministic virtual machine, so that the *same* policy code runs on
 * both clocks.
 */
#ifndef GS_PLATFORM_H
#define GS_PLATFORM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct GsMutex GsMutex;
typedef struct GsCond GsCond;
typedef struct GsPlatform GsPlatform;

struct GsPlatform {
    const char *name;                       /* "real" or "sim" */
    uint64_t (*now_ns)(GsPlatform *p);      /* monotonic, since an arbitrary origin */
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
    void (*signal)(GsPlatform *p, GsCond *c);
    void (*broadcast)(GsPlatform *p, GsCond *c);
    /* Sleep without holding anything; may return early when *stop != 0. */
    void (*sleep_ns)(GsPlatform *p, uint64_t ns, atomic_int *stop);
    /* Start a thread running fn(arg) on a stack of stack_size bytes;
     * returns an opaque handle, NULL on failure. */
    void *(*thread_start)(GsPlatform *p, void (*fn)(void *), void *arg, size_t stack_size);
    void (*thread_join)(GsPlatform *p, void *handle);   /* and frees the handle */
    void (*thread_detach)(GsPlatform *p, void *handle); /* and frees the handle */
};

/* The real clock and the operating system's threads (libuv). */
GsPlatform *gs_platform_real(void);

#endif
