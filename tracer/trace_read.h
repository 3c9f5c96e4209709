/*
 * trace_read.h -- loading a gilscope trace (docs/trace-format.md) into memory.
 *
 * A trace file is JSON Lines written by `gilscope run -o TRACE`.  The loader
 * reads it one line at a time, checks every line against the format, and
 * keeps only what `gilscope stats` needs: for every thread, an array of
 * small fixed-size events (time, kind, a few numbers, a string reference).
 * Lock, I/O, checks and op events are counted (and handed to the hook, see
 * STREAMING) but not kept, unless the hooks ask for them (keep_all: what
 * `gilscope export` does); kinds this version does not know are skipped (a
 * newer gilscope may add kinds without bumping the format version).
 *
 * The kinds of events and the names of their fields come from the table
 * the recorder writes with (vm/threads/event.h, GS_EVENTS): a header of its own,
 * so the reader shares it without linking the VM.
 *
 * ERRORS.  Nothing here prints or exits.  A function that can fail returns
 * 0 on success and -1 on failure, with one line in the caller's err buffer
 * that names the file, the line and the problem:
 *
 *     trace.jsonl:17: expected an integer "t", got a string
 *
 * A file that was cut off (no `end` line, or a last line that stops in the
 * middle) is not an error: it loads up to its last complete line, and the
 * trace carries warnings for the caller to print.
 *
 * Lines in the compact form the recorder writes are split without cJSON (a
 * fast path: see trace_read.c); anything else is parsed by cJSON.
 *
 * Tolerated on input: blank lines (skipped), "\r\n" line ends, a last line
 * without "\n".  Rejected: lines over GS_TRACE_MAX_LINE bytes, NUL bytes,
 * invalid UTF-8, anything after the object on a line, and a tid outside
 * 0..GS_TRACE_MAX_TID-1.
 */
#ifndef GS_TRACE_READ_H
#define GS_TRACE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "threads/event.h"

struct cJSON;

/* A longer line is an error: no event comes near it, so it is garbage. */
#define GS_TRACE_MAX_LINE ((size_t)1 << 20)
/* tids are small: 0 for the main thread, then 1, 2, ... in start order. */
#define GS_TRACE_MAX_TID 100000

/*
 * The format version the recorder writes.  Version 2 gave the word "tick"
 * one meaning (CPython 2.7's ticker) and renamed what it meant besides:
 * the event `ticks` with its field `ticks` is `checks` (eval-breaker
 * checks), the end line's `ticks` is `checks`, its reason `max_ticks` is
 * `max_instructions`.  Version-1 files are still read, the old names taken
 * as the new: a hook sees ev "checks", and asking a line for "checks"
 * finds its "ticks".
 */
#define GS_TRACE_VERSION 2

/* The event kinds the model keeps, X(name): a subset of vm/threads/event.h's
 * GS_EVENTS, by the same names (a name that is not there does not
 * compile).  The GS_TRACE_EXTRA_KINDS are kept only on request
 * (GsTraceHooks.keep_all): a `--trace op` run has an event per
 * instruction, which `stats` has no use for. */
#define GS_TRACE_BASIC_KINDS(X) \
    X(gil_request) X(gil_acquire) X(gil_release) X(gil_retry) X(gil_drop_request) \
    X(thread_start) X(thread_end) X(gc_start) X(gc_end) X(print) X(ref) X(dealloc) \
    X(deadlock) X(deadlock_hold)
#define GS_TRACE_EXTRA_KINDS(X) \
    X(lock_request) X(lock_acquire) X(lock_release) X(io_begin) X(io_end) X(checks) X(op)
#define GS_TRACE_KINDS(X) GS_TRACE_BASIC_KINDS(X) GS_TRACE_EXTRA_KINDS(X)

typedef enum {
#define GS_X_TK_ENUM(name) GS_TK_##name,
    GS_TRACE_KINDS(GS_X_TK_ENUM)
#undef GS_X_TK_ENUM
    GS_TK_COUNT
} GsTraceKind;

/* gil_release's "why": the reasons the recorder writes (vm/threads/event.h). */
#define GS_TRACE_WHYS(X) GS_RELEASE_REASONS(X)

typedef enum {
#define GS_X_WHY_ENUM(name) GS_WHY_##name,
    GS_TRACE_WHYS(GS_X_WHY_ENUM)
#undef GS_X_WHY_ENUM
    GS_WHY_COUNT
} GsTraceWhy;

/*
 * One event: 40 bytes whatever its kind.  Strings (a thread's name, a
 * print's text, a type's name) live in the trace's string pool and are
 * referred to by offset; gs_trace_str turns one into a C string.
 */
typedef struct {
    int64_t t;           /* ns since the run started */
    uint32_t line;       /* its line in the file: orders events of different threads */
    uint8_t kind;        /* GsTraceKind */
    uint8_t why;         /* gil_release: GsTraceWhy */
    union {
        int32_t holder;  /* gil_request, gil_retry, gil_drop_request (-1: none) */
        int64_t wait;    /* gil_acquire: ns waited */
        int64_t held;    /* gil_release: ns held */
        uint32_t name;   /* thread_start: the thread's name */
        uint32_t text;   /* print: what was printed */
        struct {
            int64_t collected;  /* gc_end only */
            int32_t gen;
        } gc;            /* gc_start, gc_end */
        struct {
            int64_t obj;        /* the object's id() */
            int64_t refcnt;     /* ref only: the new count */
            uint32_t type;      /* the type's name */
            int32_t delta;      /* ref only: +1 or -1 */
        } ref;           /* ref, dealloc */
        struct {
            int64_t lock;       /* the lock's id() */
            int64_t wait;       /* lock_acquire only: ns waited */
        } lock;          /* lock_request, lock_acquire, lock_release */
        struct {
            int64_t dur;        /* io_end only: ns it lasted */
            uint32_t kind;      /* "sleep", "read", ... (a pool offset) */
        } io;            /* io_begin, io_end */
        int64_t checks;  /* checks: checks passed while holding the GIL */
        struct {
            int64_t line;       /* the source line */
            int64_t offset;     /* the instruction's byte offset */
            uint32_t name;      /* "LOAD_FAST", ... (a pool offset) */
            uint32_t code;      /* the code object's name (a pool offset) */
        } op;            /* op */
        struct {
            int64_t obj;        /* the lock's or event's id(); a thread's tid */
            int64_t line;       /* deadlock: where it waits; deadlock_hold: where it took it */
            int32_t holder;     /* deadlock: who holds it (-1: nobody) */
            uint32_t waits_for; /* deadlock: "lock", "event" or "thread" (a pool offset) */
        } dl;            /* deadlock, deadlock_hold (obj is the lock's id) */
    };
} GsTraceEvent;

typedef struct {
    int tid;
    uint32_t name;          /* from thread_start; 0 (the empty string) if none was seen */
    bool ended;             /* a thread_end was seen */
    GsTraceEvent *events;   /* in file order, which is time order */
    size_t nevents, cap;
} GsTraceThread;

/* The `end` line's fields; -1 (or "") when absent.  A version-1 trace's
 * "ticks" is read as checks, its reason "max_ticks" as "max_instructions". */
typedef struct {
    int64_t status, events, dropped, checks, switches;
    char reason[32];
} GsTraceEnd;

typedef struct {
    char *name;               /* the file name, for messages */
    struct cJSON *meta;       /* the whole meta line (owned) */
    int version;              /* the format version: 1 or 2 (GS_TRACE_VERSION) */
    const char *script;       /* meta fields (borrowed from meta), "" when absent */
    const char *cpython;
    const char *policy;
    int64_t t_start;          /* the meta line's t */
    int64_t t_end;            /* the end line's t; if cut off, the last complete line's t */
    bool complete;            /* the end line was read */
    GsTraceEnd end;
    GsTraceThread *threads;   /* sorted by tid */
    size_t nthreads;
    size_t nlines;            /* lines read, including meta, end and blank lines */
    size_t nskipped;          /* events read but not kept (lock, io, op, unknown kinds...) */
    char *strings;            /* the string pool: NUL-terminated strings; offset 0 is "" */
    size_t strings_len, strings_cap;
    uint32_t *string_index;   /* open-addressing hash of pool offsets, for interning */
    size_t string_index_cap, nstrings;
    char **warnings;          /* complete messages, for the caller to print */
    size_t nwarnings;
} GsTrace;

/*
 * STREAMING.  gs_trace_read_hooked() reads like gs_trace_read(), with the
 * same checks and messages, and also hands every checked event line to
 * hooks->event in file order (not meta, end, or kinds this version does
 * not know).  With drop_events the threads' event arrays stay empty: the
 * hook keeps what it needs, so a big trace is not held twice.  The viewer
 * (viewer/model.c) loads this way.
 */
typedef struct GsTraceLine {
    const char *ev;              /* the "ev" value (in a version-1 trace, its version-2 name) */
    int kind;                    /* its GsEventKind (vm/threads/event.h) */
    int64_t t;
    int tid;
    size_t line;                 /* its line number, from 1 */
    uint64_t offset;             /* its first byte in the file */
    const GsTraceEvent *event;   /* a kept kind's fields; NULL for lock, io, checks and op */
    void *loader_;               /* private: for the gs_trace_line_* readers */
    const void *obj_;
} GsTraceLine;

typedef struct {
    /* Return 0 to go on, or -1 to stop the load (after gs_trace_line_fail,
     * or a gs_trace_line_* reader that failed, has set the error). */
    int (*event)(void *ctx, const GsTraceLine *line);
    /* Called about every megabyte, and once at the end: bytes read so far
     * and the file's size (0 when unknown, e.g. a pipe). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
    bool drop_events;            /* leave the threads' event arrays empty */
    bool keep_all;               /* keep GS_TRACE_EXTRA_KINDS too (lock, io, checks, op) */
    bool no_fast_path;           /* parse every line with cJSON (tests compare the two) */
} GsTraceHooks;

/* Load the trace at path.  On success *out is a new trace (gs_trace_free it);
 * on failure *out is NULL and err holds the message. */
int gs_trace_load(const char *path, GsTrace **out, char *err, size_t errlen);

/* The same from an open stream; name is used in messages. */
int gs_trace_read(FILE *f, const char *name, GsTrace **out, char *err, size_t errlen);

/* The same, calling hooks (which may be NULL). */
int gs_trace_read_hooked(FILE *f, const char *name, const GsTraceHooks *hooks, GsTrace **out,
                         char *err, size_t errlen);

/* More fields of the line a hook was given, checked like the loader's own
 * (and with its messages: "FILE:LINE: expected an integer "checks", ...").
 * In a version-1 trace, a key renamed in version 2 finds the old one.
 * 0 on success; -1 with the load's error set -- return -1 from the hook. */
int gs_trace_line_int(const GsTraceLine *line, const char *key, int64_t lo, int64_t hi,
                      int64_t *out);
int gs_trace_line_str(const GsTraceLine *line, const char *key, const char **out);
bool gs_trace_line_has(const GsTraceLine *line, const char *key);
/* Set the load's error to "FILE:LINE: message" and return -1. */
int gs_trace_line_fail(const GsTraceLine *line, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void gs_trace_free(GsTrace *tr);

/* The string at a pool offset (borrowed: lives as long as the trace). */
const char *gs_trace_str(const GsTrace *tr, uint32_t offset);

/* The thread with this tid, or NULL. */
const GsTraceThread *gs_trace_thread(const GsTrace *tr, int tid);

/* "check", "sleep", ... for a GsTraceWhy; "?" if out of range. */
const char *gs_trace_why_name(int why);

/* "gil_acquire", ... for a GsTraceKind; "?" if out of range. */
const char *gs_trace_kind_name(int kind);

#endif
