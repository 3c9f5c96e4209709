/*
 * event.h -- what the interpreter reports to a tracer, written down once.
 *
 * The VM records events through one function pointer in the interpreter
 * (interp->trace_sink); gilscope's tracer (tracer/) implements it.  Every
 * kind of event, with its fields, is listed in ONE table below,
 * GS_EVENTS.  Everything that depends on the list is generated from it,
 * so that a field cannot be written under one name and read under another:
 *
 *   - GsEventKind: GS_EV_gil_request, GS_EV_gil_acquire, ...;
 *   - one emit function per kind (vm/runtime/interp.h): gs_ev_gil_release(ts, why,
 *     held), gs_ev_io_end(ts, kind, dur), ...;
 *   - the recorder's JSON writer, and what it copies from the guest
 *     (tracer/recorder.c);
 *   - the names of kinds and fields the trace reader looks for
 *     (tracer/trace_read.c).
 *
 * docs/trace-format.md explains each event for people.  This header needs
 * nothing from the rest of the VM, so the trace reader, which does not
 * link the VM, includes it too.
 */
#ifndef GS_EVENT_H
#define GS_EVENT_H

#include <stdint.h>

/* Trace categories (--trace gil,thread,lock,io,gc,check,op,ref,print).  The
 * bit numbers are also the order of the meta line's "categories" list. */
enum {
    GS_CAT_GIL = 1 << 0,
    GS_CAT_THREAD = 1 << 1,
    GS_CAT_LOCK = 1 << 2,
    GS_CAT_IO = 1 << 3,
    GS_CAT_GC = 1 << 4,
    GS_CAT_CHECK = 1 << 5,   /* "tick" in trace format 1 */
    GS_CAT_OP = 1 << 6,
    GS_CAT_REF = 1 << 7,
    GS_CAT_PRINT = 1 << 8,
};

/* Why a thread let go of the GIL (gil_release's "why"). */
#define GS_RELEASE_REASONS(X) \
    X(check) X(drop_request) X(sleep) X(io) X(lock) X(join) X(wait) X(exit)

typedef enum {
#define GS_X_REL_ENUM(name) GS_REL_##name,
    GS_RELEASE_REASONS(GS_X_REL_ENUM)
#undef GS_X_REL_ENUM
    GS_REL_COUNT
} GsReleaseReason;

/*
 * FORMATS.  How a field is written on its JSON line, and what the reader
 * accepts back.  A number is written as a JSON integer whatever its format;
 * the format still says what it means, and the reader checks its range
 * (tracer/trace_read.c, read_value).
 */
#define GS_FIELD_FORMATS(X) \
    X(INT)      /* an integer */                                            \
    X(NS)       /* a duration in nanoseconds, >= 0 */                       \
    X(COUNT)    /* a count, >= 0 */                                         \
    X(ID)       /* an object's id() (its allocation number), >= 0 */        \
    X(TID)      /* a thread's tid, or -1 for nobody */                      \
    X(GEN)      /* a collector generation: 0, 1 or 2 */                     \
    X(DELTA)    /* a change of a reference count: +1 or -1 */               \
    X(REASON)   /* a GsReleaseReason, written as its name: "check", ... */  \
    X(OPCODE)   /* an opcode, written as its name: "LOAD_FAST", ... */      \
    X(STR)      /* a C string that lives as long as the run */             \
    X(TEXT)     /* what the guest printed: copied, at most 64 KiB of it */  \
    X(NAME)     /* a thread's name: copied, at most 4 KiB of it */          \
    X(CODE)     /* a code object, written as its name */                    \
    X(TYPE)     /* a type, written as its name */

typedef enum {
#define GS_X_FMT_ENUM(name) GS_FMT_##name,
    GS_FIELD_FORMATS(GS_X_FMT_ENUM)
#undef GS_X_FMT_ENUM
} GsFieldFormat;

struct GsCode;
struct GsType;

/*
 * THE TABLE.  One row per kind of event:
 *
 *     X(kind, category, field1, field2, field3, field4)
 *
 * The JSON "ev" value is the kind's name.  Each field is
 *
 *     FIELD(name, C type, slot, format)
 *
 * in the order it appears on the line, and NOFIELD fills the row up to
 * four.  `name` is both the JSON key and the emit function's parameter;
 * `C type` is what the emit function takes; `slot` is where the compact
 * record below keeps it; `format` is one of GS_FIELD_FORMATS.
 *
 * How the generators use a field: they glue a prefix onto it --
 * GS_X_PARAM_ ## FIELD(why, ...) becomes GS_X_PARAM_FIELD(why, ...), and
 * GS_X_PARAM_ ## NOFIELD becomes GS_X_PARAM_NOFIELD -- and define those two
 * macros to say what a field, or its absence, turns into.  So FIELD and
 * NOFIELD are never macros themselves, and a generator only ever uses a
 * field with ## in front of it.
 */
#define GS_EVENTS(X) \
    X(gil_request,      GS_CAT_GIL,    FIELD(holder, int32_t, i32, TID),         NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(gil_acquire,      GS_CAT_GIL,    FIELD(wait, int64_t, i64, NS),            NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(gil_release,      GS_CAT_GIL,    FIELD(why, GsReleaseReason, i32, REASON), FIELD(held, int64_t, i64, NS),                 NOFIELD,                             NOFIELD) \
    X(gil_retry,        GS_CAT_GIL,    FIELD(holder, int32_t, i32, TID),         NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(gil_drop_request, GS_CAT_GIL,    FIELD(holder, int32_t, i32, TID),         NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(thread_start,     GS_CAT_THREAD, FIELD(name, const char *, ptr, NAME),     NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(thread_end,       GS_CAT_THREAD, NOFIELD,                                  NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(lock_request,     GS_CAT_LOCK,   FIELD(lock, int64_t, i64, ID),            NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(lock_acquire,     GS_CAT_LOCK,   FIELD(lock, int64_t, i64, ID),            FIELD(wait, int64_t, i64b, NS),                NOFIELD,                             NOFIELD) \
    X(lock_release,     GS_CAT_LOCK,   FIELD(lock, int64_t, i64, ID),            NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(io_begin,         GS_CAT_IO,     FIELD(kind, const char *, ptr, STR),      NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(io_end,           GS_CAT_IO,     FIELD(kind, const char *, ptr, STR),      FIELD(dur, int64_t, i64, NS),                  NOFIELD,                             NOFIELD) \
    X(gc_start,         GS_CAT_GC,     FIELD(gen, int32_t, i32, GEN),            NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(gc_end,           GS_CAT_GC,     FIELD(gen, int32_t, i32, GEN),            FIELD(collected, int64_t, i64, COUNT),         NOFIELD,                             NOFIELD) \
    X(print,            GS_CAT_PRINT,  FIELD(text, const char *, ptr, TEXT),     NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(checks,           GS_CAT_CHECK,  FIELD(checks, int64_t, i64, COUNT),       NOFIELD,                                       NOFIELD,                             NOFIELD) \
    X(op,               GS_CAT_OP,     FIELD(op, int32_t, i32, OPCODE),          FIELD(line, int64_t, i64, INT),                FIELD(offset, int64_t, i64b, INT),   FIELD(code, const struct GsCode *, ptr, CODE)) \
    X(ref,              GS_CAT_REF,    FIELD(obj, int64_t, i64, ID),             FIELD(type, const struct GsType *, ptr, TYPE), FIELD(refcnt, int64_t, i64b, COUNT), FIELD(delta, int32_t, i32, DELTA)) \
    X(dealloc,          GS_CAT_REF,    FIELD(obj, int64_t, i64, ID),             FIELD(type, const struct GsType *, ptr, TYPE), NOFIELD,                             NOFIELD) \
    X(deadlock,         GS_CAT_THREAD, FIELD(waits_for, const char *, ptr, STR), FIELD(obj, int64_t, i64, ID),                  FIELD(holder, int32_t, i32, TID),    FIELD(line, int64_t, i64b, INT)) \
    X(deadlock_hold,    GS_CAT_THREAD, FIELD(lock, int64_t, i64, ID),            FIELD(line, int64_t, i64b, INT),               NOFIELD,                             NOFIELD)

/* The most fields a kind has: the table's four columns. */
#define GS_EVENT_MAX_FIELDS 4

typedef enum {
#define GS_X_EV_ENUM(kind, category, f1, f2, f3, f4) GS_EV_##kind,
    GS_EVENTS(GS_X_EV_ENUM)
#undef GS_X_EV_ENUM
    GS_EV_COUNT
} GsEventKind;

/*
 * The record: small and the same size for every kind, because millions
 * of them are copied into the tracer's buffers (one per instruction with
 * --trace op).  A field lives in the slot the table gives it; only code
 * generated from the table reads or writes the slots, so nothing else
 * needs to know which is which.
 */
typedef struct {
    uint64_t t;          /* ns since the run started (the tracer's clock) */
    uint16_t kind;       /* GsEventKind */
    int32_t i32;         /* slot i32: a small number */
    int64_t i64;         /* slot i64: a number */
    int64_t i64b;        /* slot i64b: a second number */
    const void *ptr;     /* slot ptr: a string or an object (borrowed, static or copied) */
} GsEvent;

#endif
