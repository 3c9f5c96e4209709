/*
 * export.h -- `gilscope export`: a loaded trace in other viewers' formats.
 *
 * --format chrome writes the Chrome / Perfetto Trace Event Format, which
 * ui.perfetto.dev, chrome://tracing and speedscope open:
 *
 *   {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {meta}}
 *
 * One process (pid 1) for the run, named after the script; one track per
 * gilscope thread (tid = gilscope's tid).  On each track:
 *
 *   X  "Has GIL", "Waiting for GIL", "Blocked (sleep)" / "(io)" / "(lock)" /
 *      "(join)" / "(wait)": the spans of timeline.h, which stats adds up;
 *      "GC Collecting" from gc_start to gc_end, inside "Has GIL"
 *   i  "GIL retry", "GIL drop request" (args.holder), "print" (args.text)
 *   s/f  "GIL handoff" arrows: from a gil_release to the next gil_acquire,
 *      when another thread takes the GIL
 *   C  "refcount TYPE #OBJ" counters (args.refcnt), from ref and dealloc
 *      events (a dealloc sets the count to 0)
 *
 * Times are microseconds written as integers with exactly three decimals
 * (the nanoseconds), computed in int64: no float rounding, whatever the
 * length of the run.
 */
#ifndef GS_EXPORT_H
#define GS_EXPORT_H

#include <stdio.h>

#include "trace_read.h"

/* Write tr to out.  Returns 0, or -1 with a message in err (out of memory,
 * or a write error).  The closing brackets are written even then. */
int gs_export_chrome(const GsTrace *tr, FILE *out, char *err, size_t errlen);

#endif
