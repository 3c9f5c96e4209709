/*
 * viewer.h -- the viewer's entry points: `gilscope view`, a PNG without a
 * display, and the interactive window (docs/viewer.md).
 *
 * For cli/main.c: gv_cmd_view.  For `gilscope demo`: gv_render_png and
 * gv_open_window.  (render.h has the lower levels, for tests and
 * benchmarks.)  This header does not include SDL.
 *
 * Headless rendering uses SDL's software renderer on a surface, with
 * SDL_VIDEODRIVER=offscreen and SDL_RENDER_DRIVER=software set
 * explicitly (SDL 3 no longer falls back to them by itself), so it runs
 * without a display and gives the same pixels everywhere.
 */
#ifndef GV_VIEWER_H
#define GV_VIEWER_H

#include <stdbool.h>
#include <stddef.h>

/* `gilscope view TRACE [TRACE2] [--present] [--png OUT.png [--size WxH]
 * [--range T0:T1]] [--objects ID,...]`; argv[0] is "view".  Exit status:
 * 0 done, 1 a trace could not be read or no picture/window could be made,
 * 2 a bad command line. */
int gv_cmd_view(int argc, char **argv);

/* What --lane-height accepts, in pixels (points in a window). */
#define GV_LANE_HEIGHT_MIN 8
#define GV_LANE_HEIGHT_MAX 200

/* How a picture or the window is made (`gilscope demo --size --present
 * --lane-height`). */
typedef struct {
    int width, height;      /* pixels; 0: the default -- 1600x900 for a PNG, and for
                             * the window 1400x860 or less, to fit the screen */
    bool present;           /* classroom mode: larger text and lanes */
    int lane_height;        /* a thread lane's height in pixels; 0: as tall as fits */
} GvPictureOpts;

/* Render trace1 (and trace2 below it, on the same time axis, if not NULL)
 * to a PNG at out.  Returns 0, or -1 with a message in err. */
int gv_render_png(const char *trace1, const char *trace2, const char *out,
                  const GvPictureOpts *o, char *err, size_t errlen);

/* Open the interactive window on trace1 (and trace2) until it is closed.
 * Returns 0, or -1 with a message in err (no display, bad trace...). */
int gv_open_window(const char *trace1, const char *trace2, const GvPictureOpts *o, char *err,
                   size_t errlen);

/* The three above, as the viewer module (gilscope-viewer.so, built from
 * viewer/module.c) exports them under the name "gv_api".  The gilscope
 * executable does not link SDL: it loads the module the first time a
 * command draws (cli/viewer_load.c), so that `gilscope run` starts without
 * SDL2, SDL2_ttf, SDL2_image, fontconfig and freetype.  `abi` must equal
 * GV_API_ABI: a module built against another version of this table is
 * refused, not called.  (Bump GV_API_ABI whenever GvApi changes.) */
#define GV_API_ABI 2
typedef struct {
    int abi;
    int (*cmd_view)(int argc, char **argv);
    int (*render_png)(const char *trace1, const char *trace2, const char *out,
                      const GvPictureOpts *o, char *err, size_t errlen);
    int (*open_window)(const char *trace1, const char *trace2, const GvPictureOpts *o,
                       char *err, size_t errlen);
} GvApi;

#endif
