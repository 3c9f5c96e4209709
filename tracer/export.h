/*
 * export.h -- `gilscope export`: a loaded trace in other viewers' formats.
 *
 * --format chrome writes the Chrome / Perfetto Trace Event Format, which
 * ui.perfetto.dev, chrome://tracing, the DevTools performance panel and
 * speedscope open:
 *
 *   {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {meta}}
 *
 * One process (pid 1) for the run, named after the script and labelled
 * with its CPython, policy and clock; one track per gilscope thread (tid =
 * gilscope's tid), and a "GIL holder" track (GS_EXPORT_HOLDER_TID) on top.
 * On each thread's track:
 *
 *   X  "Has GIL" (args.checks with --trace check), "Waiting for GIL",
 *      "Blocked (sleep)" / "(io)" (args.kind: read, write, ...) / "(lock)"
 *      (args.lock: the lock's id) / "(join)" / "(wait)": the spans of
 *      timeline.h, which stats adds up; "GC Collecting" from gc_start to
 *      gc_end, inside "Has GIL" (an instant when it took no time)
 *   i  "GIL retry", "GIL drop request" (args.holder), "print" (args.text),
 *      "thread start" / "thread end", "deadlock", the lock events
 *      ("lock request" / "lock acquire" / "lock release", args.lock), and
 *      with --trace op one instant per instruction, named by its opcode
 *   s/f  "GIL handoff" arrows: from the releasing thread's "Has GIL" slice
 *      to the "Has GIL" slice the next holder starts
 *   C  "refcount TYPE #OBJ" counters (args.refcnt), from ref and dealloc
 *      events (a dealloc sets the count to 0), for the objects asked for or
 *      by default the three busiest (the viewer's --objects rule)
 *
 * Times are microseconds on a grid of 1/1024 µs (0.977 ns): see export.c,
 * "WHY THE ODD TIME GRID".
 */
#ifndef GS_EXPORT_H
#define GS_EXPORT_H

#include <stdio.h>

#include "trace_read.h"

/* The tid of the "GIL holder" track: above every real tid. */
#define GS_EXPORT_HOLDER_TID GS_TRACE_MAX_TID

/* How many objects' counts are exported when none are asked for. */
#define GS_EXPORT_DEFAULT_OBJECTS 3

typedef struct {
    const int64_t *objects;   /* ids whose reference counts to export */
    size_t nobjects;          /* 0: the busiest GS_EXPORT_DEFAULT_OBJECTS */
} GsExportOptions;

/* Write tr to out.  tr should be loaded with GsTraceHooks.keep_all, or the
 * lock, I/O, checks and op events are missing.  opt may be NULL.  Returns
 * 0, or -1 with a message in err (out of memory, or a write error).  The
 * closing brackets are written even then. */
int gs_export_chrome(const GsTrace *tr, const GsExportOptions *opt, FILE *out, char *err,
                     size_t errlen);

#endif
