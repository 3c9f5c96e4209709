/*
 * view_bench.c -- how fast the viewer loads a trace and draws a frame,
 * and how much memory it keeps (bench/view_load.sh runs it).
 *
 *   view_bench TRACE [WIDTHxHEIGHT]
 *
 * Prints the load time (and per million events), the model's bytes per
 * event (its own count, and malloc's), the peak RSS, then for zoom levels
 * from the whole run down to a few microseconds: layout and render times
 * of frames at several positions, drawn headless with SDL's software
 * renderer (the slowest renderer the window can end up with).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "layout.h"
#include "model.h"
#include "render.h"
#include "sdl_backend.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t heap(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;     /* small blocks and mmapped ones */
}

static void load_figures(GvModel **out, const char *path)
{
    char err[1024];
    size_t h0 = heap();
    double t0 = now();
    if (gv_model_load(path, NULL, NULL, out, err, sizeof err) < 0) {
        fprintf(stderr, "view_bench: %s\n", err);
        exit(1);
    }
    double secs = now() - t0;
    GvModel *m = *out;
    size_t h1 = heap();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double ev = (double)m->nevents;
    printf("%s: %zu events (%zu op lines), %zu threads, %zu handoffs\n", path, m->nevents,
           m->nops, m->nlanes, m->nhandoffs);
    printf("load: %.3f s = %.3f s per million events\n", secs, secs / ev * 1e6);
    printf("memory: model %.1f bytes/event (its count), heap %.1f bytes/event (malloc), "
           "peak RSS %.1f bytes/event (%ld MB)\n", gv_model_bytes(m) / ev, (h1 - h0) / ev,
           ru.ru_maxrss * 1024.0 / ev, ru.ru_maxrss / 1024);
}

typedef struct {
    double lay_sum, lay_max, draw_sum, draw_max, total_max;
    int n;
    size_t cmds_max;
} Times;

static void frame(GvScene *sc, GvView *v, GvBackend *b, SDL_Renderer *r, GvCmdList *cmds,
                  Times *t)
{
    GvTextMetrics tm = gv_backend_metrics(b);
    double a = now();
    gv_layout(sc, v, &tm, cmds);
    double mid = now();
    SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
    SDL_RenderClear(r);
    gv_backend_draw(b, cmds);
    SDL_RenderFlush(r);
    double end = now(), lay = (mid - a) * 1e3, draw = (end - mid) * 1e3;
    t->lay_sum += lay, t->draw_sum += draw, t->n++;
    t->lay_max = lay > t->lay_max ? lay : t->lay_max;
    t->draw_max = draw > t->draw_max ? draw : t->draw_max;
    t->total_max = lay + draw > t->total_max ? lay + draw : t->total_max;
    t->cmds_max = cmds->n > t->cmds_max ? cmds->n : t->cmds_max;
}

int main(int argc, char **argv)
{
    int w = 1600, h = 900;
    if (argc < 2 || (argc > 2 && sscanf(argv[2], "%dx%d", &w, &h) != 2)) {
        fprintf(stderr, "usage: view_bench TRACE [WxH]\n");
        return 2;
    }
    GvScene sc = { { NULL, NULL }, 1 };
    load_figures(&sc.m[0], argv[1]);

    char err[512];
    gv_headless_hints();
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    GvBackend *b = gv_backend_new(r, err, sizeof err);
    if (!b) {
        fprintf(stderr, "view_bench: %s\n", err);
        return 1;
    }
    GvView v;
    GvCmdList cmds;
    gv_cmds_init(&cmds);
    gv_view_init(&v, &sc, w, h, 1);
    int64_t start = gv_scene_start(&sc), span = gv_scene_end(&sc) - start;
    Times all = { 0 };
    frame(&sc, &v, b, r, &cmds, &all);     /* warm the font and text caches */
    all = (Times){ 0 };
    printf("frames at %dx%d, software renderer (ms: layout mean/worst, render mean/worst):\n", w, h);
    for (int64_t width = span; width >= 2000; width /= 8) {
        Times t = { 0 };
        for (int pos = 0; pos < 8; pos++) {     /* eight places along the run */
            int64_t t0 = start + (span - width) * pos / 7;
            gv_view_set_range(&v, &sc, t0, t0 + width);
            v.mouse_in = pos % 2, v.mouse_x = w / 2, v.mouse_y = h / 3;   /* hover half the time */
            frame(&sc, &v, b, r, &cmds, &t);
            frame(&sc, &v, b, r, &cmds, &all);
        }
        char dw[32];
        snprintf(dw, sizeof dw, "%.3g ms", width / 1e6);
        printf("  view %-10s layout %6.2f / %6.2f   render %6.2f / %6.2f   (%zu commands)\n", dw,
               t.lay_sum / t.n, t.lay_max, t.draw_sum / t.n, t.draw_max, t.cmds_max);
    }
    printf("all frames: mean %.2f ms, worst %.2f ms (layout + render; budget 16.7 ms)\n",
           (all.lay_sum + all.draw_sum) / all.n, all.total_max);
    gv_cmds_fini(&cmds);
    gv_backend_free(b);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    gv_model_free(sc.m[0]);
    return 0;
}
