/*
 * window.c -- the interactive viewer: a window, its event loop, and a
 * progress bar while the traces load (see viewer.h).
 *
 * THE LOOP.  Wait for an event (no busy loop while nothing moves), hand
 * every event to the controller, move the playhead by the wall-clock time
 * that passed, and draw a frame if anything changed: layout -> commands
 * -> backend -> present.  The window's size is read back from the
 * renderer each time round: on a high-DPI screen it has more pixels than
 * points, and the layout works in pixels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "layout.h"
#include "sdl_backend.h"
#include "render.h"
#include "viewer.h"

typedef struct {
    SDL_Window *win;
    SDL_Renderer *r;
    GvBackend *b;
    GvCmdList cmds;
    const char *loading;        /* the file being loaded, for the progress bar */
    uint64_t last_progress;     /* ms */
    uint64_t last_frame;        /* performance counter, for pace() */
} Win;

static void close_window(Win *w)
{
    gv_cmds_fini(&w->cmds);
    gv_backend_free(w->b);
    if (w->r)
        SDL_DestroyRenderer(w->r);
    if (w->win)
        SDL_DestroyWindow(w->win);
    SDL_Quit();
}

/* The window's size and place, in points: what was asked (or 1400x860),
 * but never more than the screen's usable area (the screen less its
 * panels and docks), centred in it.  A window larger than the screen
 * opens partly off it -- on a 1280x720 projector, and with no window
 * manager to move it, its bottom and its status line out of reach. */
static SDL_Rect window_rect(const GvWindowOpts *o)
{
    SDL_Rect r = { SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->width ? o->width : 1400,
                   o->height ? o->height : 860 }, use;
    if (SDL_GetDisplayUsableBounds(0, &use) != 0 || use.w < 64 || use.h < 64)
        return r;       /* the screen's size is unknown: as asked */
    r.w = r.w > use.w ? use.w : r.w;
    r.h = r.h > use.h ? use.h : r.h;
    r.x = use.x + (use.w - r.w) / 2;
    r.y = use.y + (use.h - r.h) / 2;
    return r;
}

static int open_window(Win *w, const GvWindowOpts *o, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    gv_cmds_init(&w->cmds);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot open a window: %s (no display? `gilscope view --png "
                 "OUT.png TRACE` draws without one)", SDL_GetError());
        SDL_Quit();
        return -1;
    }
    /* With no display, SDL 2 quietly falls back to its invisible offscreen
     * driver: a window nobody can see or close.  Only accept that driver
     * when it was asked for by name (the tests do). */
    const char *driver = SDL_GetCurrentVideoDriver(), *asked = getenv("SDL_VIDEODRIVER");
    if (driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) &&
        !(asked && strstr(asked, driver))) {
        snprintf(err, errlen, "cannot open a window: no display (`gilscope view --png "
                 "OUT.png TRACE` draws without one)");
        SDL_Quit();
        return -1;
    }
    SDL_Rect r = window_rect(o);
    w->win = SDL_CreateWindow("gilscope view", r.x, r.y, r.w, r.h,
                              SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (w->win) {
        w->r = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_PRESENTVSYNC);
        if (!w->r)  /* no GPU: SDL's own software renderer draws the same */
            w->r = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!w->win || !w->r) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        close_window(w);
        return -1;
    }
    if (!(w->b = gv_backend_new(w->r, err, errlen))) {
        close_window(w);
        return -1;
    }
    return 0;
}

/* The output size in pixels, and pixels per point. */
static bool sync_size(Win *w, GvView *v)
{
    int ow, oh, ww, wh;
    SDL_GetRendererOutputSize(w->r, &ow, &oh);
    SDL_GetWindowSize(w->win, &ww, &wh);
    float dpi = ww > 0 ? (float)ow / (float)ww : 1;
    bool changed = ow != v->width || oh != v->height || dpi != v->dpi;
    v->width = ow, v->height = oh, v->dpi = dpi;
    return changed;
}

static void present(Win *w)
{
    SDL_SetRenderDrawColor(w->r, 255, 255, 255, 255);
    SDL_RenderClear(w->r);
    gv_backend_draw(w->b, &w->cmds);
    SDL_RenderPresent(w->r);
}

/* The loader's progress, as a bar; at most 20 frames a second. */
static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    Win *w = ctx;
    uint64_t now = SDL_GetTicks64();
    if (now - w->last_progress < 50 && done < total)
        return;
    w->last_progress = now;
    SDL_PumpEvents();           /* keep the window alive while loading */
    int ow, oh, ww, wh;
    SDL_GetRendererOutputSize(w->r, &ow, &oh);
    SDL_GetWindowSize(w->win, &ww, &wh);
    GvTextMetrics tm = gv_backend_metrics(w->b);
    gv_layout_progress(ow, oh, ww ? (float)ow / ww : 1, w->loading,
                       total ? (double)done / (double)total : -1, &tm, &w->cmds);
    present(w);
}

static int load(Win *w, GvScene *sc, const char *const *paths, int n, char *err, size_t errlen)
{
    memset(sc, 0, sizeof *sc);
    for (int k = 0; k < n && k < 2; k++) {
        w->loading = paths[k];
        if (gv_model_load(paths[k], on_progress, w, &sc->m[k], err, errlen) < 0) {
            gv_scene_free(sc);
            return -1;
        }
        sc->n = k + 1;
    }
    return 0;
}

/* The view the options ask for. */
static void start_view(Win *w, GvView *v, GvScene *sc, const GvWindowOpts *o)
{
    gv_view_init(v, sc, 1, 1, 1);
    sync_size(w, v);
    v->present = o->present;
    v->lane_height = o->lane_height;
    if (o->has_t0 || o->has_t1)
        gv_view_set_range(v, sc, o->has_t0 ? o->t0 : gv_scene_start(sc),
                          o->has_t1 ? o->t1 : gv_scene_end(sc));
    for (int k = 0; k < sc->n && o->nobjects; k++)
        gv_model_pick_objects(sc->m[k], o->objects, o->nobjects, 0);
    if (o->has_at)
        v->playhead = o->at;
    char title[512];
    snprintf(title, sizeof title, "gilscope view — %s%s%s", sc->m[0]->tr->name,
             sc->n > 1 ? " vs " : "", sc->n > 1 ? sc->m[1]->tr->name : "");
    SDL_SetWindowTitle(w->win, title);
}

/* The frame on screen, read back and saved (tests). */
static int save_frame(Win *w, const char *path, char *err, size_t errlen)
{
    int ow, oh;
    SDL_GetRendererOutputSize(w->r, &ow, &oh);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s || SDL_RenderReadPixels(w->r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch)) {
        snprintf(err, errlen, "cannot read the window's pixels: %s", SDL_GetError());
        SDL_FreeSurface(s);
        return -1;
    }
    int rc = gv_save_png(s, path, err, errlen);
    SDL_FreeSurface(s);
    return rc;
}

/* At most 60 frames a second: with vsync the renderer waits anyway, but
 * the software renderer would redraw as fast as it can while playing. */
static void pace(Win *w, uint64_t now, uint64_t freq)
{
    double ms = (double)(now - w->last_frame) * 1e3 / (double)freq;
    if (w->last_frame && ms < 16)
        SDL_Delay((Uint32)(16 - ms));
    w->last_frame = SDL_GetPerformanceCounter();
}

static int run_loop(Win *w, GvView *v, GvScene *sc, const GvWindowOpts *o, char *err,
                    size_t errlen)
{
    GvTextMetrics tm = gv_backend_metrics(w->b);
    uint64_t freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    bool dirty = true;
    int rc = 0;
    for (int frame = 0; !v->quit;) {
        SDL_Event e;
        if (!dirty && !v->playing && !o->on_frame && SDL_WaitEventTimeout(&e, 250))
            dirty |= gv_control_event(v, sc, &tm, &e);
        while (SDL_PollEvent(&e))
            dirty |= gv_control_event(v, sc, &tm, &e);
        uint64_t now = SDL_GetPerformanceCounter();
        dirty |= gv_control_tick(v, sc, (int64_t)((double)(now - last) * 1e9 / (double)freq));
        last = now;
        dirty |= sync_size(w, v);
        if (o->on_frame) {
            o->on_frame(o->ctx, frame, v, sc);
            dirty = true;
        }
        if (!dirty || v->quit)
            continue;
        pace(w, now, freq);
        gv_layout(sc, v, &tm, &w->cmds);
        SDL_SetRenderDrawColor(w->r, 255, 255, 255, 255);
        SDL_RenderClear(w->r);
        gv_backend_draw(w->b, &w->cmds);
        bool last_frame = o->max_frames && frame + 1 >= o->max_frames;
        if (last_frame && o->last_frame_png)
            rc = save_frame(w, o->last_frame_png, err, errlen);
        SDL_RenderPresent(w->r);
        dirty = false;
        if (++frame, last_frame)
            break;
    }
    return rc;
}

int gv_window_run(const char *const *paths, int n, const GvWindowOpts *o, char *err,
                  size_t errlen)
{
    Win w;
    GvScene sc;
    GvView v;
    if (open_window(&w, o, err, errlen) < 0)
        return -1;
    if (load(&w, &sc, paths, n, err, errlen) < 0) {
        close_window(&w);
        return -1;
    }
    for (int k = 0; k < sc.n; k++)      /* warnings (a cut-off trace) go to the terminal too */
        for (size_t i = 0; i < sc.m[k]->tr->nwarnings; i++)
            fprintf(stderr, "gilscope view: warning: %s\n", sc.m[k]->tr->warnings[i]);
    start_view(&w, &v, &sc, o);
    int rc = run_loop(&w, &v, &sc, o, err, errlen);
    gv_scene_free(&sc);
    close_window(&w);
    return rc;
}

int gv_open_window(const char *trace1, const char *trace2, const GvPictureOpts *po, char *err,
                   size_t errlen)
{
    const char *paths[2] = { trace1, trace2 };
    GvWindowOpts o = { .width = po->width, .height = po->height, .present = po->present,
                       .lane_height = po->lane_height };
    return gv_window_run(paths, trace2 ? 2 : 1, &o, err, errlen);
}
