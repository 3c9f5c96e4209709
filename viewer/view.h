/*
 * view.h -- what the viewer shows: one or two loaded traces (the scene)
 * and the state of the view (which time range, how big, where the
 * playhead is, what is hovered or selected).
 *
 * The layout reads a GvView and never changes it; the controller
 * (control.c) changes it in answer to keys and the mouse.  The helpers
 * here -- fit, zoom, pan, time <-> pixel -- are plain arithmetic, shared
 * by both and tested without SDL.
 */
#ifndef GV_VIEW_H
#define GV_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* One trace, or two stacked for comparison on one time axis. */
typedef struct {
    GvModel *m[2];
    int n;
} GvScene;

/* What is selected: an event of a lane. */
typedef struct {
    bool on;
    int model;              /* 0 or 1 */
    size_t lane, idx;       /* model's lane and event index */
    char text[1024];        /* the event's line, read back from the trace file */
} GvSelection;

/* The controller's drag in progress. */
typedef enum { GV_DRAG_NONE, GV_DRAG_PAN, GV_DRAG_MEASURE, GV_DRAG_SCRUB } GvDrag;

typedef struct {
    /* what is shown */
    int64_t t0, t1;         /* the visible time range, ns; t1 > t0 */
    int width, height;      /* output pixels (on a high-DPI screen, more than points) */
    float dpi;              /* output pixels per window point */
    bool present;           /* classroom mode: larger fonts and lanes */
    bool still;             /* a picture (PNG), not a window: no interactive status line */
    int lane_height;        /* a thread lane's height in points (times present mode's
                             * scale); 0: chosen to fit (layout.c, "Which lanes") */
    int lane_scroll;        /* 0: when not all thread lanes fit, show the busiest and fold
                             * the rest; n > 0: show them in tid order from the n-th */
    size_t obj_page;        /* the ref lanes show the busiest objects from this rank on */

    /* replay: only what happened before the playhead is drawn */
    int64_t playhead;
    bool playing;
    double speed;           /* trace ns per wall-clock ns while playing */

    /* the pointer, in output pixels */
    bool mouse_in;
    int mouse_x, mouse_y;

    GvSelection sel;
    bool measuring;         /* a measured duration [m0, m1] is shown */
    int64_t m0, m1;
    bool help;              /* the key overlay */

    /* the controller's private state */
    GvDrag drag;
    int drag_x, drag_y;
    int64_t drag_t0, drag_t1;
    bool drag_moved;
    bool shift;             /* a shift key is down (mouse events do not say) */
    bool quit;
} GvView;

/* The run of the scene: the earliest start and the latest end. */
int64_t gv_scene_start(const GvScene *sc);
int64_t gv_scene_end(const GvScene *sc);

/* A view of the whole scene at w x h output pixels. */
void gv_view_init(GvView *v, const GvScene *sc, int w, int h, float dpi);

/* Show the whole run, with a little room on both sides. */
void gv_view_fit(GvView *v, const GvScene *sc);

/* Zoom by factor (< 1 zooms in) keeping time `at` where it is on screen. */
void gv_view_zoom(GvView *v, const GvScene *sc, int64_t at, double factor);

/* Move the visible range by `by` ns (positive: later). */
void gv_view_pan(GvView *v, const GvScene *sc, int64_t by);

/* Is the playhead drawn, and inside the visible range?  (At the end of
 * the run, not playing, it is not drawn: everything is shown.) */
bool gv_view_playhead_shown(const GvView *v, const GvScene *sc);

/* Show [t0, t1] exactly (clamped to sensible bounds). */
void gv_view_set_range(GvView *v, const GvScene *sc, int64_t t0, int64_t t1);

/* The smallest visible range: zooming further shows nothing new. */
#define GV_MIN_SPAN 20

#endif
