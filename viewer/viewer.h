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

/* Render trace1 (and trace2 below it, on the same time axis, if not NULL)
 * to a w x h PNG at out.  Returns 0, or -1 with a message in err. */
int gv_render_png(const char *trace1, const char *trace2, const char *out, int w, int h,
                  char *err, size_t errlen);

/* Open the interactive window on trace1 (and trace2) until it is closed.
 * Returns 0, or -1 with a message in err (no display, bad trace...). */
int gv_open_window(const char *trace1, const char *trace2, bool present, char *err,
                   size_t errlen);

/* The three above, as the viewer module (gilscope-viewer.so, built from
 * viewer/module.c) exports them under the name "gv_api".  The gilscope
 * executable does not link SDL: it loads the module the first time a
 * command draws (cli/viewer_load.c), so that `gilscope run` starts without
 * SDL2, SDL2_ttf, SDL2_image, fontconfig and freetype.  `abi` must equal
 * GV_API_ABI: a module built against another version of this table is
 * refused, not called.  (Bump GV_API_ABI whenever GvApi changes.) */
#define GV_API_ABI 1
typedef struct {
    int abi;
    int (*cmd_view)(int argc, char **argv);
    int (*render_png)(const char *trace1, const char *trace2, const char *out, int w, int h,
                      char *err, size_t errlen);
    int (*open_window)(const char *trace1, const char *trace2, bool present, char *err,
                       size_t errlen);
} GvApi;

#endif
