/*
 * layout.h -- from the scene and the view to a list of draw commands.
 *
 * A pure function: the same models and the same GvView give the same
 * commands, and no SDL is involved (draw.h's list is what a backend
 * draws).  From the top of the window down:
 *
 *   header     script, CPython version, GIL policy, clock, warnings
 *   axis       times in the unit that suits the zoom (ns, µs, ms, s)
 *   lanes      the GIL (who holds it: named, on the thread's grey), then one
 *              lane per thread (its state: Okabe-Ito hues, colour-blind
 *              safe; those that do not fit folded into one row that names
 *              them), checks, reference counts; markers and arrows on top,
 *              counted where they crowd
 *              -- repeated for the second trace in compare mode, on the
 *              same time axis
 *   legend, caption (the playhead's event in words), the stats tables,
 *   and a status line.
 *
 * LEVEL OF DETAIL.  A lane is drawn column by column: for every pixel
 * column, the share of its time the thread spent in each state
 * (gv_lane_cover: cost independent of how many events the column holds),
 * stacked; equal neighbouring columns merge into one rectangle.  So a
 * frame costs about (lanes x width) lookups at any zoom, and a span
 * narrower than a pixel still shows, as its share of the column.  Markers
 * and arrows that crowd are drawn once per cluster, with its count.
 */
#ifndef GV_LAYOUT_H
#define GV_LAYOUT_H

#include "draw.h"
#include "model.h"
#include "view.h"

/* How wide a text is.  measure NULL: an estimate for DejaVu Sans Mono
 * (what the SDL backend uses), good enough for tests. */
typedef struct {
    int (*measure)(void *ctx, const char *s, int size, int flags);
    void *ctx;
} GvTextMetrics;

/* FOLDED: one row standing for the thread lanes that did not fit, which
 * names them (layout.c, "Which lanes"). */
typedef enum { GV_ROW_GIL, GV_ROW_THREAD, GV_ROW_FOLDED, GV_ROW_CHECKS, GV_ROW_OBJ } GvRowKind;

typedef struct {
    GvRowKind kind;
    int model;              /* 0 or 1 */
    size_t index;           /* THREAD: lane index; OBJ: picked object index */
    int y, h;
} GvRow;

#define GV_MAX_ROWS 80

/* Where everything goes: computed from the view, shared by the layout and
 * by the controller (to know what was clicked). */
typedef struct {
    float scale;            /* pixels per design pixel: DPI times present mode */
    int font, font_small, font_big, line_h, small_line_h, pad;
    int plot_x, plot_w;     /* the time area */
    int header_y[2], header_h[2];
    int axis_y, axis_h;     /* click here to move the playhead */
    GvRow rows[GV_MAX_ROWS];
    int nrows;
    int hidden[2];          /* thread lanes folded, per model (scroll with Up/Down) */
    int rows_y0, rows_y1;   /* the lanes' area, all models */
    int legend_y, legend_h, caption_y, caption_h, stats_y, stats_h, status_y;
} GvGeom;

void gv_layout_geom(const GvScene *sc, const GvView *v, const GvTextMetrics *tm, GvGeom *g);

/* The whole frame into out (cleared first). */
void gv_layout(const GvScene *sc, const GvView *v, const GvTextMetrics *tm, GvCmdList *out);

/* A loading screen: what is loaded and how far (0..1, or < 0 if unknown). */
void gv_layout_progress(int w, int h, float dpi, const char *what, double frac,
                        const GvTextMetrics *tm, GvCmdList *out);

/* Time <-> x in the plot. */
double gv_time_x(const GvView *v, const GvGeom *g, int64_t t);
int64_t gv_x_time(const GvView *v, const GvGeom *g, double x);

/* What is under a point of the window. */
typedef enum {
    GV_PICK_NONE,           /* outside the plot */
    GV_PICK_AXIS,           /* the time axis */
    GV_PICK_PLOT,           /* the plot, but no lane */
    GV_PICK_EVENT,          /* an event of a thread lane: lane, idx */
    GV_PICK_SPAN,           /* a state span of a thread lane: lane, st, from, to */
    GV_PICK_GIL,            /* the GIL lane: lane is the holder (GV_NO_LANE: nobody) */
    GV_PICK_ROW,            /* another row (checks, objects) */
} GvPickKind;

typedef struct {
    GvPickKind kind;
    int model, row;         /* row: index into GvGeom.rows, -1 if none */
    size_t lane, idx;
    int64_t t;              /* the time at the point */
    GvState st;
    int64_t from, to;
} GvPick;

void gv_pick(const GvScene *sc, const GvView *v, const GvGeom *g, int x, int y, GvPick *p);

/* The palette (Okabe & Ito, "Color Universal Design", 2008): a state is a
 * hue; a thread is a grey (and its name), never a hue (layout.c, "TWO
 * CHANNELS"). */
GvColor gv_state_color(int st);
GvColor gv_thread_color(size_t lane);

/* The time the scene is drawn up to for model k: its end, or the playhead. */
int64_t gv_clip_time(const GvScene *sc, const GvView *v, int k);

#endif
