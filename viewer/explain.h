/*
 * explain.h -- what an event means, in plain words.
 *
 * The classroom caption ("T2 waited 5.00 ms for the GIL, then asked T1 to
 * drop it") and the hover text both come from here, so the viewer says the
 * same thing wherever it says it.  Threads are named "T<tid>", as in the
 * lane labels.
 */
#ifndef GV_EXPLAIN_H
#define GV_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* One sentence about event i of lane l. */
void gv_explain_event(const GvModel *m, const GvLane *l, size_t i, char *buf, size_t len);

/* A state span: "T1 waited for the GIL 5.00 ms (12.3 ms to 17.3 ms)". */
void gv_explain_span(const GvModel *m, const GvLane *l, GvState st, int64_t from, int64_t to,
                     char *buf, size_t len);

/* The caption at time t: the last thing that happened at or before t
 * (over all lanes), prefixed with the time. */
void gv_caption(const GvModel *m, int64_t t, char *buf, size_t len);

/* The last lane event at or before t over all lanes: *lane and *idx, or
 * false when nothing happened yet.  Ties go to the later line. */
bool gv_last_event(const GvModel *m, int64_t t, size_t *lane, size_t *idx);

#endif
