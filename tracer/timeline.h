/*
 * timeline.h -- what a thread was doing about the GIL, span by span.
 *
 * `gilscope stats` adds spans up and `gilscope export` draws them, so both
 * take them from here and cannot disagree.  The rules (also in
 * docs/trace-format.md, "What gilscope stats computes"):
 *
 *   has GIL   from gil_acquire to the thread's next gil_release
 *   waiting   from gil_request -- or from a gil_release whose why is check
 *             or drop_request, since such a thread asks for the GIL again
 *             at once -- to the next gil_acquire
 *   blocked   from a gil_release whose why is sleep, io, lock, join or wait
 *             to the next gil_request or gil_acquire
 *   none      anything else: after gil_release(exit), or before the first
 *             GIL event
 *
 * A thread's lifetime runs from its first event to its last one if it has a
 * thread_end, else to the end of the run.  (Not thread_start..thread_end:
 * the recorder writes a thread's first gil_request/gil_acquire before its
 * thread_start, and its gil_release(exit) after its thread_end.)
 */
#ifndef GS_TIMELINE_H
#define GS_TIMELINE_H

#include "trace_read.h"

typedef enum {
    GS_TL_NONE,
    GS_TL_HAS_GIL,
    GS_TL_WAITING,
    GS_TL_BLOCKED,
    GS_TL_COUNT
} GsTlState;

/* [start, end) in ns, never empty. */
typedef struct {
    int64_t start, end;
    GsTlState state;
    int why;              /* GS_TL_BLOCKED: the GsTraceWhy that blocked it */
} GsTlSpan;

typedef void (*GsTlSpanFn)(const GsTlSpan *span, void *ctx);

/* The thread's lifetime [*start, *end]. */
void gs_timeline_lifetime(const GsTrace *tr, const GsTraceThread *th, int64_t *start,
                          int64_t *end);

/* Call fn for each span of th's lifetime, in time order; consecutive spans
 * differ in state (or, when blocked, in why), and together they cover the
 * lifetime exactly. */
void gs_timeline_walk(const GsTrace *tr, const GsTraceThread *th, GsTlSpanFn fn, void *ctx);

/* The state after ev, given the state before it; *why is set when ev
 * blocks the thread (GsTraceWhy).  Events that are not about the GIL keep
 * the state. */
GsTlState gs_timeline_next_state(GsTlState state, const GsTraceEvent *ev, int *why);

/*
 * The same walk one event at a time, for a caller that streams the events
 * (the viewer's loader) instead of holding a GsTraceThread.  Feed a
 * thread's events in order to step(): it returns true with *span set when
 * a span ends at that event.  finish() gives the last span, up to the end
 * of the lifetime.  gs_timeline_walk() is a loop over these.
 */
typedef struct {
    GsTlState state;      /* the state since `since` */
    int why;              /* GS_TL_BLOCKED: why */
    int64_t since;
    bool started;         /* an event was seen: the lifetime started */
} GsTlWalker;

void gs_timeline_walker_init(GsTlWalker *w);
bool gs_timeline_walker_step(GsTlWalker *w, const GsTraceEvent *ev, GsTlSpan *span);
bool gs_timeline_walker_finish(GsTlWalker *w, int64_t life_end, GsTlSpan *span);

/* A gil_acquire or gil_release of some thread. */
typedef struct {
    const GsTraceThread *thread;
    const GsTraceEvent *ev;
} GsTlGilEvent;

/*
 * All gil_acquire and gil_release events of all threads in the order they
 * happened: by time, a release before an acquire at the same time (the GIL
 * must be let go before it is taken; the recorder breaks ties by tid, which
 * can put them the other way round), then by line.  Sets *out to a new
 * array (free it; NULL when there are none) of *n events.  Returns 0, or -1
 * when out of memory.
 */
int gs_timeline_gil_order(const GsTrace *tr, GsTlGilEvent **out, size_t *n);

#endif
