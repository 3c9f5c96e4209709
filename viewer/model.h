/*
 * model.h -- one trace, loaded into what the viewer draws.
 *
 * The viewer's first layer.  It reads a trace with the tracer's own loader
 * (tracer/trace_read.h: the same checks and messages as `gilscope stats`),
 * through its streaming hook, and keeps a compact picture of the run:
 *
 *   lanes      one per thread: its events in time order, and after each
 *              one the state the thread is in (has the GIL, waiting for
 *              it, blocked and why, finished) -- timeline.h's rules
 *   markers    failed wake-ups (gil_retry), drop requests, prints, GC
 *   handoffs   every time the GIL went to another thread
 *   checks     the eval-breaker checks a thread passed while holding the GIL
 *   objects    reference counts over time, for a `--trace ref` run
 *   stats      the numbers `gilscope stats` prints (stats.h)
 *
 * MEMORY.  A big trace must fit: the budget is 32 bytes per event.  So
 * events are stored as parallel arrays (structure of arrays: 18 bytes an
 * event in a lane), strings stay in the trace's pool, lock/io/op lines
 * keep only what a lane needs, and a selected event's full text is read
 * back from the file when asked for (gv_model_line_text) instead of being
 * kept.
 *
 * LEVEL OF DETAIL.  A frame must not cost time in proportion to the events
 * it shows: a 10-million-event run zoomed out puts thousands of events in
 * every pixel.  So each lane keeps, every GV_CK events, how long the
 * thread has spent in each state so far (`cum`), and a time index that
 * finds an event by time in a few cache lines.  The time a thread spent
 * in each state between any two instants is then two lookups and at most
 * 2 * GV_CK steps (gv_lane_cover), whatever the zoom: the layout asks this
 * once per pixel column and draws each column's shares.
 *
 * ERRORS.  As in trace_read.h: 0 or -1, and one line in err naming the
 * file, the line and the problem.  Nothing here prints.
 */
#ifndef GV_MODEL_H
#define GV_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"
#include "trace_read.h"

/* A thread's state as its lane shows it: timeline.h's four states, with
 * "blocked" split by why and "none" split into before and after. */
#define GV_STATES(X) \
    X(NONE, "not started") X(HAS_GIL, "has the GIL") X(WAITING, "waiting for the GIL") \
    X(SLEEP, "blocked: sleep") X(IO, "blocked: I/O") X(LOCK, "blocked: lock") \
    X(JOIN, "blocked: join") X(WAIT, "blocked: Event.wait") X(FINISHED, "finished")

typedef enum {
#define GV_X_ST(name, text) GV_ST_##name,
    GV_STATES(GV_X_ST)
#undef GV_X_ST
    GV_ST_COUNT
} GvState;

/* The event kinds a lane keeps.  checks, op, ref and dealloc lines go
 * elsewhere (checks and objects below; op lines are only counted). */
#define GV_KINDS(X) \
    X(gil_request) X(gil_acquire) X(gil_release) X(gil_retry) X(gil_drop_request) \
    X(thread_start) X(thread_end) X(gc_start) X(gc_end) X(print) \
    X(lock_request) X(lock_acquire) X(lock_release) X(io_begin) X(io_end)

typedef enum {
#define GV_X_K(name) GV_K_##name,
    GV_KINDS(GV_X_K)
#undef GV_X_K
    GV_K_COUNT
} GvKind;

/* Events a lane can find quickly by time: markers drawn on top of it. */
enum { GV_MARK_RETRY, GV_MARK_DROP, GV_MARK_PRINT, GV_MARK_GC, GV_MARK_COUNT };

/* A checkpoint of the state totals every GV_CK events (see LEVEL OF DETAIL). */
#define GV_CK 32

/* Where each of k equal time buckets starts in a sorted array of times,
 * so that looking a time up searches one bucket (model.c, "the time
 * index"). */
typedef struct {
    uint32_t *start;        /* k + 1 entries; NULL when the array is small */
    size_t k;
    int64_t t0;
    double width;           /* ns per bucket */
} GvTimeIndex;

typedef struct {
    uint32_t *idx;          /* indices into the lane's event arrays, in time order */
    size_t n, cap;
    GvTimeIndex tindex;     /* over the times of those events */
} GvIdxList;

/* No lane: a handoff's `from` when the GIL went from nobody to a thread. */
#define GV_NO_LANE UINT32_MAX



/*
 * One thread.  Event i happened at t[i]; from t[i] to t[i+1] (and after
 * the last event, to the end of the run) the thread was in state st[i].
 * Before t[0] it had not started.
 */
typedef struct {
    int tid;
    const char *name;       /* from thread_start (borrowed from the trace); "" if none */
    size_t n, cap;          /* events */
    int64_t *t;             /* ns since the run started */
    uint32_t *line;         /* its line in the file */
    int32_t *arg;           /* by kind: holder tid (request, retry, drop_request), why
                             * (release), gen (gc), string offset (thread_start, print) */
    uint8_t *kind;          /* GvKind */
    uint8_t *st;            /* GvState after the event */
    int64_t (*cum)[GV_ST_COUNT];  /* cum[c][s]: time in state s over [t[0], t[c * GV_CK]) */
    size_t ncum, cum_cap;
    GvIdxList marks[GV_MARK_COUNT];
    int64_t *gc_end;        /* for marks[GV_MARK_GC][k]: when that collection ended */
    GvTimeIndex tindex;     /* over t */
} GvLane;

/* The GIL went to lane `to` at t; `from` held it last (GV_NO_LANE: nobody).
 * forced: `from` let go because a waiter asked (why = drop_request). */
typedef struct {
    int64_t t;
    uint32_t from;
    uint32_t to : 31;
    uint32_t forced : 1;
} GvHandoff;

/* A thread the run found waiting for ever, when it stopped on a deadlock
 * (a `deadlock` event): the layout draws an arrow from its lane to the
 * lane of the thread it waits for, so that a cycle shows as a cycle. */
typedef struct {
    int64_t t;
    int tid;                /* the waiting thread */
    int holder;             /* the thread holding what it waits for (-1: none) */
    uint32_t waits_for;     /* "lock", "event" or "thread" (a pool offset) */
    int64_t obj;            /* the lock's or event's id(), or the joined thread's tid */
    int64_t line;           /* where it waits */
    int64_t held_line;      /* a lock: where the holder took it (deadlock_hold); 0: unknown */
} GvDeadlock;

/* An object whose reference count a `ref` trace followed. */
typedef struct {
    int64_t id;             /* its id() */
    int64_t first_t, last_t;
    uint32_t type;          /* its type's name (a string pool offset) */
    uint32_t nref;          /* ref and dealloc events */
    int32_t maxref;         /* the highest count seen */
    bool freed;             /* a dealloc was seen */
} GvObject;

/* An object picked for a lane: its events' indices into the ref arrays,
 * and the min and max count of every GV_CK of them (level of detail). */
typedef struct {
    uint32_t obj;           /* index into objs */
    uint32_t *idx;
    size_t n;
    int32_t *bmin, *bmax;
} GvObjLane;

#define GV_MAX_PICKED 4

typedef struct {
    char *path;             /* the file (NULL when read from a stream) */
    GsTrace *tr;            /* meta, end, thread names, strings, warnings -- no events */
    GsStats stats;          /* what `gilscope stats` prints */

    GvLane *lanes;          /* one per thread, in tid order */
    size_t nlanes;

    GvHandoff *handoffs;    /* in time order */
    size_t nhandoffs;
    GvDeadlock *deadlocks;  /* the waits of a deadlocked run, in file order */
    size_t ndeadlocks;

    /* checks events: a thread held the GIL over [chk_t0, chk_t1] and
     * passed that many eval-breaker checks; chk_cum is the running total
     * up to t1. */
    int64_t *chk_t0, *chk_t1, *chk_cum;
    size_t nchecks;
    double chk_max_rate;    /* the highest checks per ns of any one event */
    GvTimeIndex chk_index;  /* over chk_t1 */

    /* ref and dealloc events, in time order (count -1 = dealloc). */
    int64_t *ref_t;
    int32_t *ref_cnt;
    uint32_t *ref_obj;      /* index into objs */
    size_t nref;
    GvObject *objs;
    size_t nobjs;
    uint32_t *obj_rank;     /* objects, the busiest first */
    GvObjLane picked[GV_MAX_PICKED];
    size_t npicked;

    /* Where lines start in the file, for reading one back: the first
     * event line of every 1024. */
    uint32_t *seek_line;
    uint64_t *seek_off;
    size_t nseek;

    int64_t t_start, t_end; /* the run: meta's t to end's (or the last line's) */
    size_t nevents;         /* event lines read (everything but meta and end) */
    size_t nops;            /* of which op lines (counted only) */
} GvModel;

typedef void (*GvProgressFn)(void *ctx, uint64_t done, uint64_t total);

/* Load the trace at path (progress may be NULL).  On success *out is a new
 * model (gv_model_free it); warnings are in (*out)->tr->warnings. */
int gv_model_load(const char *path, GvProgressFn progress, void *ctx, GvModel **out,
                  char *err, size_t errlen);
/* The same from a stream; name is used in messages. */
int gv_model_read(FILE *f, const char *name, GvProgressFn progress, void *ctx,
                  GvModel **out, char *err, size_t errlen);
void gv_model_free(GvModel *m);

/* Bytes the model holds (its arrays and the trace's pool). */
size_t gv_model_bytes(const GvModel *m);

const char *gv_state_name(int st);
const char *gv_kind_name(int kind);

/* ---- queries ------------------------------------------------------------------- */

/* The first event index with t > x (n if none). */
size_t gv_lane_upper(const GvLane *l, int64_t x);

/* out[s] = time the thread spent in state s over [t[0], x). */
void gv_lane_cover(const GvLane *l, int64_t x, int64_t out[GV_ST_COUNT]);

/* The state at time x, and the span [*from, *to) of that state around it
 * (to = INT64_MAX if it lasts to the end).  NONE before the first event. */
GvState gv_lane_state_at(const GvLane *l, int64_t x, int64_t *from, int64_t *to);

/* The first mark of a kind at or after x: an index into marks[kind]. */
size_t gv_mark_lower(const GvLane *l, int kind, int64_t x);

/* The lane of a tid, or NULL. */
const GvLane *gv_model_lane(const GvModel *m, int tid);
/* "T5 worker", or "T5" for a thread named '' (Thread(name="") then
 * t.name = ""): the label every part of the viewer gives a thread. */
void gv_thread_label(char *buf, size_t size, int tid, const char *name);

/* "waits for Lock#5 (line 11), held by T2 (taken at line 15)": what d
 * says, in buf. */
void gv_deadlock_text(const GvModel *m, const GvDeadlock *d, char *buf, size_t size);

/* The first handoff at or after t (nhandoffs if none). */
size_t gv_handoff_lower(const GvModel *m, int64_t t);
/* When the handoff's `from` let go: its last gil_release at or before h->t. */
int64_t gv_handoff_release_t(const GvModel *m, const GvHandoff *h);

/* Checks passed over [t[0]..x) of all threads, spreading each checks event
 * evenly over the time its thread held the GIL. */
double gv_checks_before(const GvModel *m, int64_t x);

/* Pick objects for the reference-count lanes: the given ids (those not
 * found are skipped), or with n == 0 the busiest ones starting at rank
 * `first`.  Returns 0, or -1 when out of memory. */
int gv_model_pick_objects(GvModel *m, const int64_t *ids, size_t n, size_t first);

/* The count of a picked object over [a, b): its lowest and highest value,
 * including the one in force at a.  false when it did not exist yet. */
bool gv_obj_range(const GvModel *m, const GvObjLane *ol, int64_t a, int64_t b, int32_t *lo,
                  int32_t *hi);

/* Read line `line` of the trace file back into buf (without its newline).
 * Returns 0, or -1 with a reason in buf (no file, or the file changed). */
int gv_model_line_text(const GvModel *m, size_t line, char *buf, size_t len);

#endif
