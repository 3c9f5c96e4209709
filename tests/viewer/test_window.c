/*
 * test_window.c -- the interactive window (viewer/window.c) under SDL's
 * offscreen video driver and software renderer: the real event loop,
 * driven by events pushed from a frame hook, its last frame saved and
 * checked pixel by pixel.
 */
#include <math.h>
#include <unistd.h>

#include <SDL_image.h>

#include "layout.h"
#include "render.h"
#include "sdl_backend.h"
#include "viewer_test.h"

static void push_key(SDL_Keycode k)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    SDL_PushEvent(&e);
}

typedef struct {
    int frames;
    int64_t width0, width1, playhead;
    bool playing, help;
    int view_w, view_h;
    GvView final;
} Script;

/* Frame by frame: zoom in, fit, play, pause, help on and off. */
static void on_frame(void *ctx, int frame, GvView *v, GvScene *sc)
{
    Script *s = ctx;
    s->frames = frame + 1;
    s->view_w = v->width, s->view_h = v->height;
    switch (frame) {
    case 0: s->width0 = v->t1 - v->t0; push_key(SDLK_w); break;
    case 1: s->width1 = v->t1 - v->t0; push_key(SDLK_f); break;
    case 2: push_key(SDLK_SPACE); break;
    case 3: s->playing = v->playing; push_key(SDLK_SPACE); break;
    case 4: s->playhead = v->playhead; push_key(SDLK_END); break;
    case 5: push_key(SDLK_h); break;
    case 6: s->help = v->help; push_key(SDLK_h); break;
    default: s->final = *v; break;
    }
}

static GvColor pixel(SDL_Surface *s, int x, int y)
{
    uint32_t p = ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x];
    return (GvColor){ (uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p, 255 };
}

static void check_frame(const char *png, const Script *s)
{
    GvScene sc = { { load_model(vfixture("states.jsonl")), NULL }, 1 };
    SDL_Surface *img = IMG_Load(png);
    CHECK(img && img->w == s->view_w && img->h == s->view_h, "the last frame was saved (%dx%d)",
          s->view_w, s->view_h);
    if (!img || !sc.m[0]) {
        SDL_FreeSurface(img);
        gv_model_free(sc.m[0]);
        return;
    }
    SDL_Surface *conv = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    char err[256];
    SDL_Surface *tiny = SDL_CreateRGBSurfaceWithFormat(0, 8, 8, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(tiny);
    GvBackend *b = gv_backend_new(r, err, sizeof err);
    GvTextMetrics tm = gv_backend_metrics(b);
    GvGeom g;
    gv_layout_geom(&sc, &s->final, &tm, &g);
    int row = 1;        /* T0 */
    int x = (int)lround(gv_time_x(&s->final, &g, 5000)), y = g.rows[row].y + g.rows[row].h - 2;
    GvColor got = pixel(conv, x, y), want = gv_state_color(GV_ST_HAS_GIL);
    CHECK(got.r == want.r && got.g == want.g && got.b == want.b,
          "in the window, T0 holds the GIL at 5 µs: pixel (%d,%d) = %d,%d,%d", x, y, got.r, got.g,
          got.b);
    gv_backend_free(b);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(tiny);
    SDL_FreeSurface(conv);
    SDL_FreeSurface(img);
    gv_model_free(sc.m[0]);
}

static void test_loop(void)
{
    char png[] = "/tmp/gv-window-XXXXXX.png", err[512] = "";
    int fd = mkstemps(png, 4);
    if (fd >= 0)
        close(fd);
    Script s = { 0 };
    const char *paths[1] = { vfixture("states.jsonl") };
    GvWindowOpts o = { .width = 1000, .height = 600, .on_frame = on_frame, .ctx = &s,
                       .max_frames = 9, .last_frame_png = png };
    int rc = gv_window_run(paths, 1, &o, err, sizeof err);
    CHECK(rc == 0, "the window ran 9 frames offscreen (%s)", rc ? err : "ok");
    CHECK(s.frames == 9, "the frame hook ran every frame");
    CHECK(s.width1 > 0 && s.width1 < s.width0, "W zoomed in (%lld -> %lld ns)", (long long)s.width0,
          (long long)s.width1);
    CHECK(s.playing, "space started the replay");
    CHECK(s.playhead >= 0 && s.playhead < 100000, "which stopped where space paused it");
    CHECK(s.help, "h showed the help");
    CHECK(!s.final.help && s.final.playhead == 100000 && !s.final.playing,
          "End and h again: everything shown, no help");
    CHECK(s.view_w == 1000 && s.view_h == 600, "offscreen: 1000x600 pixels for 1000x600 points");
    check_frame(png, &s);
    unlink(png);
}

static void test_compare_window(void)
{
    char err[512] = "";
    Script s = { 0 };
    const char *paths[2] = { vfixture("states.jsonl"), tfixture("interval_drop.jsonl") };
    GvWindowOpts o = { .width = 900, .height = 700, .on_frame = on_frame, .ctx = &s,
                       .max_frames = 3, .present = true, .has_t0 = true, .t0 = 0,
                       .has_t1 = true, .t1 = 50000 };
    int rc = gv_window_run(paths, 2, &o, err, sizeof err);
    CHECK(rc == 0 && s.width0 == 50000, "two traces, present mode, --range 0:50us (%s)",
          rc ? err : "ok");
}

/* No size asked: 1400x860, but never larger than the screen -- here the
 * offscreen driver's, 1024x768 -- so that none of it opens off-screen. */
static void test_fits_screen(void)
{
    char err[512] = "";
    Script s = { 0 };
    SDL_Rect use = { 0 };
    if (SDL_Init(SDL_INIT_VIDEO) == 0) {
        SDL_GetDisplayUsableBounds(0, &use);
        SDL_Quit();
    }
    const char *paths[1] = { vfixture("states.jsonl") };
    GvWindowOpts o = { .on_frame = on_frame, .ctx = &s, .max_frames = 1 };
    int rc = gv_window_run(paths, 1, &o, err, sizeof err);
    CHECK(rc == 0 && use.w > 0 && use.w < 1400 && s.view_w == use.w && s.view_h == use.h,
          "the default window on a %dx%d screen: %dx%d (%s)", use.w, use.h, s.view_w, s.view_h,
          rc ? err : "ok");
    o.width = 5000, o.height = 300;
    rc = gv_window_run(paths, 1, &o, err, sizeof err);
    CHECK(rc == 0 && s.view_w == use.w && s.view_h == 300, "--size 5000x300 on it: %dx%d",
          s.view_w, s.view_h);
}

static void test_errors(void)
{
    char err[512] = "";
    const char *missing[1] = { "/nonexistent/trace.jsonl" };
    GvWindowOpts o = { .max_frames = 1 };
    CHECK(gv_window_run(missing, 1, &o, err, sizeof err) < 0 &&
          strstr(err, "/nonexistent/trace.jsonl"), "a missing trace: %s", err);
    setenv("SDL_VIDEODRIVER", "no-such-driver", 1);
    const char *paths[1] = { vfixture("states.jsonl") };
    CHECK(gv_window_run(paths, 1, &o, err, sizeof err) < 0 && strstr(err, "cannot open a window") &&
          strstr(err, "--png"), "no display: %s", err);
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
}

int main(int argc, char **argv)
{
    set_dirs(argc, argv);
    test_loop();
    test_compare_window();
    test_fits_screen();
    test_errors();
    IMG_Quit();
    return tap_done();
}
