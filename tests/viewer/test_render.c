/*
 * test_render.c -- pictures without a display (viewer/render.c,
 * viewer/sdl_backend.c): the pixels where a lane's state is known, the
 * PNG file, high DPI, and errors.
 */
#include <math.h>
#include <unistd.h>

#include <SDL_image.h>

#include "layout.h"
#include "render.h"
#include "sdl_backend.h"
#include "viewer.h"
#include "viewer_test.h"

static GvColor pixel(SDL_Surface *s, int x, int y)
{
    uint32_t p = ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x];
    return (GvColor){ (uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p, 255 };
}

static bool same(GvColor a, GvColor b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* The geometry the renderer used: the same layout with the same font. */
static void geometry(const GvScene *sc, const GvView *v, GvGeom *g)
{
    char err[256];
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 8, 8, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
    GvBackend *b = gv_backend_new(r, err, sizeof err);
    GvTextMetrics tm = gv_backend_metrics(b);
    gv_layout_geom(sc, v, &tm, g);
    gv_backend_free(b);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
}

static int row_of(const GvGeom *g, const GvModel *m, GvRowKind kind, int tid)
{
    for (int r = 0; r < g->nrows; r++)
        if (g->rows[r].kind == kind && (kind != GV_ROW_THREAD || m->lanes[g->rows[r].index].tid == tid))
            return r;
    return -1;
}

static void check_states(GvScene *sc, GvView *v, const char *what)
{
    /* Away from the arrows (a handoff crosses T1's lane at 65-70 µs). */
    static const struct { int tid; int64_t t; GvState st; } cases[] = {
        { 0, 5000, GV_ST_HAS_GIL }, { 0, 50000, GV_ST_JOIN }, { 0, 95000, GV_ST_FINISHED },
        { 1, 7000, GV_ST_WAITING }, { 1, 25000, GV_ST_SLEEP }, { 1, 55000, GV_ST_IO },
        { 1, 73000, GV_ST_LOCK }, { 2, 30000, GV_ST_HAS_GIL }, { 2, 65000, GV_ST_WAIT },
    };
    char err[512];
    GvGeom g;
    geometry(sc, v, &g);
    SDL_Surface *s = gv_render_surface(sc, v, err, sizeof err);
    CHECK(s && s->w == v->width && s->h == v->height, "%s: a %dx%d picture (%s)", what, v->width,
           v->height, s ? "ok" : err);
    if (!s)
        return;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = row_of(&g, sc->m[0], GV_ROW_THREAD, cases[i].tid);
        int x = (int)lround(gv_time_x(v, &g, cases[i].t));
        int y = g.rows[r].y + g.rows[r].h - 2 * (int)g.scale;  /* below any label */
        GvColor got = pixel(s, x, y), want = gv_state_color(cases[i].st);
        if (!same(got, want)) {
            printf("#   T%d at %lld: pixel (%d,%d) is %d,%d,%d, want %s %d,%d,%d\n", cases[i].tid,
                   (long long)cases[i].t, x, y, got.r, got.g, got.b, gv_state_name(cases[i].st),
                   want.r, want.g, want.b);
            bad++;
        }
    }
    TAP_INT_EQ(bad, 0, "%s: every lane shows its state's colour where the trace says", what);
    int gr = row_of(&g, sc->m[0], GV_ROW_GIL, 0);
    int gx = (int)lround(gv_time_x(v, &g, 30000)), gy = g.rows[gr].y + 2 * (int)g.scale;
    CHECK(same(pixel(s, gx, gy), gv_thread_color(2)), "%s: the GIL lane is T2's colour at 30 µs",
           what);
    CHECK(same(pixel(s, 1, 1), (GvColor){ 255, 255, 255, 255 }), "%s: white around", what);
    /* Some dark pixels in the header: text was drawn. */
    int dark = 0;
    for (int x = 0; x < 300 && x < s->w; x++)
        for (int y = g.header_y[0]; y < g.header_y[0] + g.font_big; y++)
            dark += pixel(s, x, y).r < 100;
    CHECK(dark > 20, "%s: the header's text is drawn (%d dark pixels)", what, dark);
    SDL_FreeSurface(s);
}

static void test_pixels(void)
{
    GvScene sc = { { load_model(vfixture("states.jsonl")), NULL }, 1 };
    GvView v;
    if (!sc.m[0]) {
        CHECK(0, "states.jsonl");
        return;
    }
    gv_view_init(&v, &sc, 1200, 700, 1);
    check_states(&sc, &v, "1200x700");
    gv_view_init(&v, &sc, 2400, 1400, 2);
    check_states(&sc, &v, "high DPI (2 pixels a point)");
    gv_view_init(&v, &sc, 1200, 700, 1);
    v.present = true;
    check_states(&sc, &v, "present mode");
    gv_model_free(sc.m[0]);
}

static void test_png(void)
{
    char out[] = "/tmp/gv-test-XXXXXX.png", err[512];
    int fd = mkstemps(out, 4);
    if (fd >= 0)
        close(fd);
    const GvPictureOpts small = { 800, 500, false, 0 };
    CHECK(gv_render_png(vfixture("states.jsonl"), NULL, out, &small, err, sizeof err) == 0,
           "gv_render_png (%s)", err);
    SDL_Surface *s = IMG_Load(out);
    CHECK(s && s->w == 800 && s->h == 500, "the PNG reads back, 800x500");
    SDL_FreeSurface(s);
    CHECK(gv_render_png(vfixture("states.jsonl"), tfixture("interval_drop.jsonl"), out,
                         &(GvPictureOpts){ 1000, 800, true, 0 }, err, sizeof err) == 0,
           "a compare PNG, in presentation mode");
    unlink(out);
    CHECK(gv_render_png("/nonexistent/t.jsonl", NULL, out, &small, err, sizeof err) < 0 &&
           strstr(err, "/nonexistent/t.jsonl"), "a missing trace: %s", err);
    CHECK(gv_render_png(vfixture("states.jsonl"), NULL, "/nonexistent/dir/x.png", &small, err,
                         sizeof err) < 0 && strstr(err, "/nonexistent/dir/x.png"),
           "an unwritable PNG: %s", err);
    char path[1024];
    CHECK(gv_find_font("DejaVu Sans Mono", 0, path, sizeof path) == 0 && strstr(path, ".ttf"),
           "fontconfig finds DejaVu Sans Mono: %s", path);
}

int main(int argc, char **argv)
{
    set_dirs(argc, argv);
    gv_headless_hints();
    test_pixels();
    test_png();
    IMG_Quit();
    return tap_done();
}
