/*
 * render.h -- the viewer below its entry points: loading a scene, drawing
 * it into a surface or a PNG without a window, and the window's loop with
 * hooks for tests (render.c, window.c).
 */
#ifndef GV_RENDER_H
#define GV_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "view.h"

/* Set SDL_VIDEODRIVER=offscreen, SDL_RENDER_DRIVER=software and no
 * framebuffer acceleration (as hints, before SDL starts): what a run
 * without a display needs. */
void gv_headless_hints(void);

/* The scene as the view shows it, in a new ARGB8888 surface of the view's
 * size (SDL_FreeSurface it), or NULL with a message in err. */
SDL_Surface *gv_render_surface(const GvScene *sc, const GvView *v, char *err, size_t errlen);

/* Write a surface as PNG.  Returns 0, or -1 with a message in err. */
int gv_save_png(SDL_Surface *s, const char *path, char *err, size_t errlen);

/* Load one or two traces into a scene; progress may be NULL.  Warnings
 * are left in each model's trace. */
int gv_scene_load(GvScene *sc, const char *const *paths, int n, GvProgressFn progress, void *ctx,
                  char *err, size_t errlen);
void gv_scene_free(GvScene *sc);

/* How the window starts, and hooks for tests. */
typedef struct {
    int width, height;          /* in window points; 0: 1400 x 860, or less to fit the
                                 * screen (window.c, window_size) */
    bool present;
    int lane_height;            /* --lane-height; 0: as tall as fits */
    bool has_t0, has_t1;        /* --range */
    int64_t t0, t1;
    const int64_t *objects;     /* --objects */
    size_t nobjects;
    bool has_at;                /* --at: the playhead */
    int64_t at;
    /* Tests: called before each frame is drawn (may change the view or
     * push events); stop after max_frames frames (0: when closed); save
     * the last frame as a PNG. */
    void (*on_frame)(void *ctx, int frame, GvView *v, GvScene *sc);
    void *ctx;
    int max_frames;
    const char *last_frame_png;
} GvWindowOpts;

int gv_window_run(const char *const *paths, int n, const GvWindowOpts *o, char *err,
                  size_t errlen);

#endif
