/*
 * render.c -- pictures without a window: a scene to a surface, a surface
 * to a PNG (see viewer.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "layout.h"
#include "outfile.h"
#include "sdl_backend.h"
#include "render.h"
#include "viewer.h"

void gv_headless_hints(void)
{
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    /* Without this a window's software framebuffer goes through OpenGL
     * (Mesa's EGL, loaded and unloaded again): slower, and it leaks. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
}

SDL_Surface *gv_render_surface(const GvScene *sc, const GvView *v, char *err, size_t errlen)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, v->width, v->height, 32,
                                                       SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    GvBackend *b = r ? gv_backend_new(r, err, errlen) : NULL;
    if (!b) {
        if (!r)
            snprintf(err, errlen, "cannot make a %dx%d picture: %s", v->width, v->height,
                     SDL_GetError());
        if (r)
            SDL_DestroyRenderer(r);
        SDL_FreeSurface(surf);
        return NULL;
    }
    GvCmdList cmds;
    GvTextMetrics tm = gv_backend_metrics(b);
    gv_cmds_init(&cmds);
    gv_layout(sc, v, &tm, &cmds);
    gv_backend_draw(b, &cmds);
    SDL_RenderFlush(r);         /* SDL batches drawing: make sure it reached the surface */
    bool oom = cmds.oom;
    gv_cmds_fini(&cmds);
    gv_backend_free(b);
    SDL_DestroyRenderer(r);
    if (oom) {
        snprintf(err, errlen, "out of memory while drawing");
        SDL_FreeSurface(surf);
        return NULL;
    }
    return surf;
}

int gv_save_png(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
    /* Through an output file (outfile.h): a PNG cut short by a full disk
     * never replaces the old one, and a device is written, not deleted.
     * SDL writes into our FILE, so that the flush and the close, where a
     * full disk shows, are checked by gs_outfile_commit. */
    GsOutFile out;
    if (gs_outfile_open(&out, path, "the PNG", false, err, errlen) < 0)
        return -1;
    SDL_RWops *rw = SDL_RWFromFP(out.f, SDL_FALSE);
    if (!rw || IMG_SavePNG_RW(s, rw, 1) != 0) {
        snprintf(err, errlen, "cannot write the PNG '%s': %s", path, IMG_GetError());
        gs_outfile_abort(&out);
        return -1;
    }
    return gs_outfile_commit(&out, err, errlen);
}

int gv_scene_load(GvScene *sc, const char *const *paths, int n, GvProgressFn progress, void *ctx,
                  char *err, size_t errlen)
{
    memset(sc, 0, sizeof *sc);
    for (int k = 0; k < n && k < 2; k++) {
        if (gv_model_load(paths[k], progress, ctx, &sc->m[k], err, errlen) < 0) {
            gv_scene_free(sc);
            return -1;
        }
        sc->n = k + 1;
    }
    return 0;
}

void gv_scene_free(GvScene *sc)
{
    for (int k = 0; k < 2; k++)
        gv_model_free(sc->m[k]);
    memset(sc, 0, sizeof *sc);
}

int gv_render_png(const char *trace1, const char *trace2, const char *out,
                  const GvPictureOpts *o, char *err, size_t errlen)
{
    const char *paths[2] = { trace1, trace2 };
    GvScene sc;
    GvView v;
    gv_headless_hints();
    if (gv_scene_load(&sc, paths, trace2 ? 2 : 1, NULL, NULL, err, errlen) < 0)
        return -1;
    gv_view_init(&v, &sc, o->width ? o->width : 1600, o->height ? o->height : 900, 1);
    v.still = true;
    v.present = o->present;
    v.lane_height = o->lane_height;
    SDL_Surface *s = gv_render_surface(&sc, &v, err, errlen);
    int rc = s ? gv_save_png(s, out, err, errlen) : -1;
    SDL_FreeSurface(s);
    gv_scene_free(&sc);
    return rc;
}
