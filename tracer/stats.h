/*
 * stats.h -- `gilscope stats`: per-thread GIL numbers of a loaded trace.
 *
 * The definitions are timeline.h's and docs/trace-format.md's ("What
 * gilscope stats computes").  Compute once, then print as a table or build
 * a JSON object; both show the same numbers.
 */
#ifndef GS_STATS_H
#define GS_STATS_H

#include <stdio.h>

#include "timeline.h"
#include "trace_read.h"

struct cJSON;

typedef struct {
    int tid;                          /* -1 in the totals row */
    const char *name;                 /* borrowed from the trace; "" if never named */
    int64_t lifetime_ns;              /* see timeline.h; the totals row: the sum */
    int64_t state_ns[GS_TL_COUNT];    /* time in each GsTlState */
    int64_t blocked_ns[GS_WHY_COUNT]; /* blocked time by the gil_release's why */
    int64_t acquisitions;             /* gil_acquire events */
    int64_t retries;                  /* gil_retry events */
    int64_t drop_requests;            /* gil_drop_request events naming it as holder */
    int64_t wait_sum_ns, wait_max_ns; /* over gil_acquire's "wait" */
} GsThreadStats;

typedef struct {
    GsThreadStats *threads;  /* in tid order, like the trace's */
    size_t nthreads;
    GsThreadStats total;
    int64_t duration_ns;     /* the run: meta's t to end's t (or the last line's) */
    int64_t switches;        /* gil_acquire events by another thread than the previous one */
} GsStats;

/* Fill *st from tr.  Returns 0, or -1 when out of memory. */
int gs_stats_compute(const GsTrace *tr, GsStats *st);
void gs_stats_fini(GsStats *st);

/* Add one thread's numbers into a total (the "total" row); the viewer,
 * which sums its stats while streaming a trace, uses it too. */
void gs_stats_add_to_total(GsThreadStats *total, const GsThreadStats *ts);

/* "T2 Thread-2" (or "T2" for a thread without a name, or named ""): a
 * thread as stats' messages and export's GIL holder track name it. */
void gs_stats_thread_label(const GsTrace *tr, int tid, char *buf, size_t size);

/* part as a percentage of whole (0 when whole is 0). */
double gs_stats_pct(int64_t part, int64_t whole);

/* One wait of a deadlocked run (a `deadlock` event) in words: "waits for
 * Lock#5 (line 11), held by T2 Thread-2 (taken at line 15)".  holder_name
 * is "T2 Thread-2" or so; held_line 0 when unknown.  The viewer writes
 * the same words on the lanes. */
void gs_deadlock_describe(char *buf, size_t size, const char *waits_for, int tid, int64_t obj,
                          int64_t line, int holder, const char *holder_name, int64_t held_line);

/* The same for a loaded trace's `deadlock` event e of thread tid: the
 * holder named from the trace, the line from its `deadlock_hold`. */
void gs_deadlock_describe_event(const GsTrace *tr, int tid, const GsTraceEvent *e, char *buf,
                                size_t size);
/* The line where thread holder took lock obj (its deadlock_hold); 0: unknown. */
int64_t gs_deadlock_held_line(const GsTrace *tr, int holder, int64_t obj);

/* The aligned table, with a header and a legend.  Returns 0, or -1 if out
 * of memory or writing failed. */
int gs_stats_print(const GsTrace *tr, const GsStats *st, FILE *out);

/* The same numbers as a new JSON object (cJSON_Delete it), or NULL when out
 * of memory. */
struct cJSON *gs_stats_json(const GsTrace *tr, const GsStats *st);

#endif
