/*
 * recorder.h -- recording a run's events into a trace file
 * (docs/trace-format.md).
 *
 * Each guest thread appends events to a buffer of its own, without taking
 * the GIL or any lock; a writer thread merges the buffers by time and
 * streams them to the file while the run goes on (recorder.c explains how
 * it knows how far it may write).  When the run ends -- normally, by an
 * exception, or stopped by --timeout, --max-instructions or a signal --
 * gs_recorder_finish writes what is left and the `end` line; the `meta`
 * line was written first, at attach.
 */
#ifndef GS_RECORDER_H
#define GS_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/interp.h"

typedef struct GsRecorder GsRecorder;

typedef struct {
    const char *script;
    int argc;
    char **argv;             /* the guest's sys.argv */
    const char *gilscope_version;
} GsRecorderMeta;

/* Parse "gil,thread,lock,io,gc" (or "all", "default") into GS_CAT_* bits.
 * Returns -1 and names the bad word in err. */
int gs_trace_categories(const char *spec, unsigned *mask, char *err, size_t errlen);

/* Open path for writing now (so a bad path is reported before the run).
 * The trace is streamed into a temporary file beside it until
 * gs_recorder_finish. */
GsRecorder *gs_recorder_new(const char *path, unsigned mask, const char *ref_types,
                            char *err, size_t errlen);
/* Start recording interp's events. */
void gs_recorder_attach(GsRecorder *r, GsInterp *interp, const GsRecorderMeta *meta);
/* Stop recording, write what is left and the end line, put the file in
 * place of path (outfile.h: after a failed write the old file stays) and
 * free the recorder.  reason: "exit",
 * "exception", "timeout", "max_instructions", "signal", "interrupt".  Returns 0, or -1 with a
 * message on stderr if the file could not be written. */
int gs_recorder_finish(GsRecorder *r, GsInterp *interp, int status, const char *reason);

#endif
