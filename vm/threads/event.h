/*
 * event.h -- what the interpreter reports to a tracer.
 *
 * The VM records events through one function pointer in the interpreter
 * (interp->trace_sink); gilscope's tracer (tracer/) implements it.  An
 * event is a small fixed-size record; its meaning per kind is documented
 * in docs/trace-format.md, where the JSON field each member becomes is
 * named.
 */
#ifndef GS_EVENT_H
#define GS_EVENT_H

#include <stdint.h>

/* Trace categories (--trace gil,thread,lock,io,gc,tick,op,ref). */
enum {
    GS_CAT_GIL = 1 << 0,
    GS_CAT_THREAD = 1 << 1,
    GS_CAT_LOCK = 1 << 2,
    GS_CAT_IO = 1 << 3,
    GS_CAT_GC = 1 << 4,
    GS_CAT_TICK = 1 << 5,
    GS_CAT_OP = 1 << 6,
    GS_CAT_REF = 1 << 7,
    GS_CAT_PRINT = 1 << 8,
};

/* X(name, category) -- the JSON "ev" value is the lower-case name. */
#define GS_EVENT_KINDS(X) \
    X(gil_request, GS_CAT_GIL) \
    X(gil_acquire, GS_CAT_GIL) \
    X(gil_release, GS_CAT_GIL) \
    X(gil_retry, GS_CAT_GIL) \
    X(gil_drop_request, GS_CAT_GIL) \
    X(thread_start, GS_CAT_THREAD) \
    X(thread_end, GS_CAT_THREAD) \
    X(lock_request, GS_CAT_LOCK) \
    X(lock_acquire, GS_CAT_LOCK) \
    X(lock_release, GS_CAT_LOCK) \
    X(io_begin, GS_CAT_IO) \
    X(io_end, GS_CAT_IO) \
    X(gc_start, GS_CAT_GC) \
    X(gc_end, GS_CAT_GC) \
    X(print, GS_CAT_PRINT) \
    X(ticks, GS_CAT_TICK) \
    X(op, GS_CAT_OP) \
    X(ref, GS_CAT_REF) \
    X(dealloc, GS_CAT_REF)

typedef enum {
#define GS_X_EV_ENUM(name, cat) GS_EV_##name,
    GS_EVENT_KINDS(GS_X_EV_ENUM)
#undef GS_X_EV_ENUM
    GS_EV_COUNT
} GsEventKind;

/* Why a thread let go of the GIL (gil_release's "why"). */
#define GS_RELEASE_REASONS(X) \
    X(check) X(drop_request) X(sleep) X(io) X(lock) X(join) X(wait) X(exit)

typedef enum {
#define GS_X_REL_ENUM(name) GS_REL_##name,
    GS_RELEASE_REASONS(GS_X_REL_ENUM)
#undef GS_X_REL_ENUM
    GS_REL_COUNT
} GsReleaseReason;

typedef struct {
    uint64_t t;          /* ns since the run started (the tracer's clock) */
    uint16_t kind;       /* GsEventKind */
    int32_t a;           /* per kind: other thread's tid, reason, generation, opcode, ... */
    int64_t b;           /* per kind: duration ns, lock id, object id, line, ... */
    int64_t c;           /* per kind: count, offset, new refcount, ... */
    const void *p;       /* per kind: a string (borrowed, static or copied) */
} GsEvent;

#endif
