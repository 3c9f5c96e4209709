/*
 * test_control.c -- the controller (viewer/control.c) driven by
 * synthesized SDL events, without a window: zoom, pan, replay, handoff
 * stepping, scrubbing, measuring, selecting, help, resizing, compare.
 */
#include <math.h>

#include "control.h"
#include "viewer_test.h"

static SDL_Event key(SDL_Keycode k, uint16_t mod)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    return e;
}

static SDL_Event key_up(SDL_Keycode k)
{
    SDL_Event e = key(k, 0);
    e.type = SDL_KEYUP;
    return e;
}

static SDL_Event mouse(Uint32 type, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = x, e.motion.y = y;
    } else {
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = x, e.button.y = y;
    }
    return e;
}

static SDL_Event wheel(int dy)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = dy;
    return e;
}

typedef struct {
    GvScene sc;
    GvView v;
    GvGeom g;
} Ctl;

static bool send(Ctl *c, SDL_Event e)
{
    bool changed = gv_control_event(&c->v, &c->sc, NULL, &e);
    gv_layout_geom(&c->sc, &c->v, NULL, &c->g);
    return changed;
}

static int xat(const Ctl *c, int64_t t)
{
    return (int)lround(gv_time_x(&c->v, &c->g, t));
}

static int64_t tat(const Ctl *c, int x)
{
    return gv_x_time(&c->v, &c->g, x);
}

static int lane_y(const Ctl *c, int model, int tid)
{
    for (int r = 0; r < c->g.nrows; r++)
        if (c->g.rows[r].kind == GV_ROW_THREAD && c->g.rows[r].model == model &&
            c->sc.m[model]->lanes[c->g.rows[r].index].tid == tid)
            return c->g.rows[r].y + c->g.rows[r].h / 2;
    return -1;
}

static bool ctl_open(Ctl *c, const char *a, const char *b)
{
    memset(c, 0, sizeof *c);
    c->sc.m[0] = load_model(a);
    c->sc.n = 1;
    if (b) {
        c->sc.m[1] = load_model(b);
        c->sc.n = 2;
    }
    if (!c->sc.m[0] || (b && !c->sc.m[1]))
        return false;
    gv_view_init(&c->v, &c->sc, 1200, 700, 1);
    gv_layout_geom(&c->sc, &c->v, NULL, &c->g);
    return true;
}

static void ctl_close(Ctl *c)
{
    gv_model_free(c->sc.m[0]);
    gv_model_free(c->sc.m[1]);
}

/* ---- zoom and pan ------------------------------------------------------------------ */

static void test_zoom_pan(Ctl *c)
{
    int64_t w = c->v.t1 - c->v.t0, mid = c->v.t0 + w / 2;
    CHECK(send(c, key(SDLK_w, 0)) && llabs(c->v.t1 - c->v.t0 - w / 2) <= 1 &&
           llabs(c->v.t0 + (c->v.t1 - c->v.t0) / 2 - mid) <= 1, "W zooms in 2x about the middle");
    int64_t t0 = c->v.t0, half = c->v.t1 - c->v.t0;
    send(c, key(SDLK_d, 0));
    CHECK(llabs(c->v.t0 - t0 - half / 5) <= 1, "D pans right a fifth");
    send(c, key(SDLK_a, 0));
    CHECK(llabs(c->v.t0 - t0) <= 1, "A pans back");
    send(c, key(SDLK_s, 0));
    CHECK(llabs(c->v.t1 - c->v.t0 - w) <= 2, "S zooms back out");
    send(c, key(SDLK_s, 0));
    CHECK(llabs(c->v.t1 - c->v.t0 - w) <= 2, "and no further: the fit is the widest view");

    int x = c->g.plot_x + c->g.plot_w / 3, y = lane_y(c, 0, 1);
    send(c, mouse(SDL_MOUSEMOTION, x, y));
    int64_t under = tat(c, x);
    send(c, wheel(3));
    CHECK(c->v.t1 - c->v.t0 < w * 6 / 10 && llabs(tat(c, x) - under) <= (c->v.t1 - c->v.t0) / c->g.plot_w + 1,
           "the wheel zooms in at the pointer: the time under it stays");
    send(c, wheel(-3));
    CHECK(llabs(c->v.t1 - c->v.t0 - w) <= 10, "and back out");

    send(c, key(SDLK_w, 0));    /* the whole run cannot be dragged: look closer first */
    t0 = c->v.t0;
    double nspp = (double)(c->v.t1 - c->v.t0) / c->g.plot_w;
    send(c, mouse(SDL_MOUSEBUTTONDOWN, x, y));
    send(c, mouse(SDL_MOUSEMOTION, x - 100, y));
    send(c, mouse(SDL_MOUSEBUTTONUP, x - 100, y));
    CHECK(llabs(c->v.t0 - t0 - (int64_t)llround(100 * nspp)) <= 2 && !c->v.sel.on,
           "dragging 100 px left moves the view 100 px of time later, and selects nothing");
    send(c, key(SDLK_f, 0));
    CHECK(c->v.t0 <= 0 && c->v.t1 >= 100000, "f fits the whole run");
}

/* ---- the replay ------------------------------------------------------------------------- */

static void test_replay(Ctl *c)
{
    CHECK(!c->v.playing && c->v.playhead == 100000, "at rest, the playhead is at the end");
    send(c, key(SDLK_SPACE, 0));
    CHECK(c->v.playing && c->v.playhead == 0, "space plays, from the start");
    double speed = c->v.speed;
    gv_control_tick(&c->v, &c->sc, 1000000000);      /* a second passes */
    TAP_INT_EQ(c->v.playhead, (int64_t)(speed * 1e9), "the playhead moves speed x real time");
    send(c, key(SDLK_RIGHTBRACKET, 0));
    CHECK(c->v.speed == 2 * speed, "] doubles the speed");
    send(c, key(SDLK_LEFTBRACKET, 0));
    send(c, key(SDLK_LEFTBRACKET, 0));
    CHECK(c->v.speed == speed / 2, "[ halves it");
    send(c, key(SDLK_SPACE, 0));
    int64_t at = c->v.playhead;
    CHECK(!c->v.playing && !gv_control_tick(&c->v, &c->sc, 1000000000) && c->v.playhead == at,
           "space pauses: time passes, the playhead stays");
    send(c, key(SDLK_SPACE, 0));
    for (int i = 0; i < 100 && c->v.playing; i++)
        gv_control_tick(&c->v, &c->sc, 1000000000);
    CHECK(!c->v.playing && c->v.playhead == 100000, "the replay stops at the end");
    send(c, key(SDLK_HOME, 0));
    TAP_INT_EQ(c->v.playhead, 0, "Home: the start");
    send(c, key(SDLK_PERIOD, 0));
    TAP_INT_EQ(c->v.playhead, 10000, ". jumps to the next handoff (T0 to T1 at 10 µs)");
    send(c, key(SDLK_PERIOD, 0));
    TAP_INT_EQ(c->v.playhead, 20000, "and the next (T1 to T2 at 20 µs)");
    send(c, key(SDLK_COMMA, 0));
    TAP_INT_EQ(c->v.playhead, 10000, ", goes back one");
    send(c, key(SDLK_COMMA, 0));
    TAP_INT_EQ(c->v.playhead, 10000, "and no further: T0's first acquisition, from nobody, "
               "hands nothing over");
    int x = xat(c, 10000);
    send(c, key(SDLK_w, 0));
    CHECK(abs(xat(c, 10000) - x) <= 1 && c->v.t1 - c->v.t0 < 60000,
          "W zooms in at the playhead, which stays where it was on screen");
    send(c, key(SDLK_s, 0));
    CHECK(abs(xat(c, 10000) - x) <= 1, "S zooms out at it");
    send(c, key(SDLK_END, 0));
    TAP_INT_EQ(c->v.playhead, 100000, "End: the end");
}

static void test_scrub_measure(Ctl *c)
{
    send(c, key(SDLK_f, 0));        /* the replay moved the view along */
    int ax = xat(c, 40000), ay = c->g.axis_y + c->g.axis_h / 2;
    send(c, mouse(SDL_MOUSEBUTTONDOWN, ax, ay));
    CHECK(llabs(c->v.playhead - 40000) <= (c->v.t1 - c->v.t0) / c->g.plot_w + 1,
           "a click on the axis puts the playhead there");
    send(c, mouse(SDL_MOUSEMOTION, xat(c, 60000), ay));
    send(c, mouse(SDL_MOUSEBUTTONUP, xat(c, 60000), ay));
    CHECK(llabs(c->v.playhead - 60000) <= (c->v.t1 - c->v.t0) / c->g.plot_w + 1,
           "dragging on the axis scrubs");
    int y = lane_y(c, 0, 2), x0 = xat(c, 20000), x1 = xat(c, 30000);
    send(c, key(SDLK_LSHIFT, KMOD_LSHIFT));
    send(c, mouse(SDL_MOUSEBUTTONDOWN, x0, y));
    send(c, mouse(SDL_MOUSEMOTION, x1, y));
    send(c, mouse(SDL_MOUSEBUTTONUP, x1, y));
    send(c, key_up(SDLK_LSHIFT));
    int64_t px = (c->v.t1 - c->v.t0) / c->g.plot_w + 1;
    CHECK(c->v.measuring && llabs(c->v.m0 - 20000) <= px && llabs(c->v.m1 - 30000) <= px,
           "shift-drag measures 20 µs to 30 µs");
    send(c, key(SDLK_ESCAPE, 0));
    CHECK(!c->v.measuring, "Esc clears the measure");
    send(c, key(SDLK_END, 0));
}

static void test_select(Ctl *c)
{
    int x = xat(c, 35000), y = lane_y(c, 0, 1);
    send(c, mouse(SDL_MOUSEBUTTONDOWN, x, y));
    send(c, mouse(SDL_MOUSEBUTTONUP, x, y));
    const GvLane *l = c->v.sel.on ? &c->sc.m[0]->lanes[c->v.sel.lane] : NULL;
    CHECK(l && l->tid == 1 && l->kind[c->v.sel.idx] == GV_K_gil_drop_request,
           "a click on T1 at 35 µs selects its drop request");
    CHECK(strstr(c->v.sel.text, "ev: gil_drop_request") && strstr(c->v.sel.text, "holder: 2") &&
           strstr(c->v.sel.text, "t: 35000"), "with all its fields, read back from the file");
    send(c, mouse(SDL_MOUSEMOTION, x, y));
    CHECK(c->v.mouse_in && c->v.mouse_x == x, "hover follows the pointer");
    send(c, key(SDLK_ESCAPE, 0));
    CHECK(!c->v.sel.on, "Esc clears the selection");
    send(c, key(SDLK_SLASH, KMOD_LSHIFT));
    CHECK(c->v.help, "? shows the help");
    send(c, key(SDLK_ESCAPE, 0));
    CHECK(!c->v.help, "Esc closes it");
}

static void test_window_events(Ctl *c)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_WINDOWEVENT;
    e.window.event = SDL_WINDOWEVENT_SIZE_CHANGED;
    e.window.data1 = 800, e.window.data2 = 500;
    CHECK(send(c, e) && c->v.width == 800 && c->v.height == 500, "a resize changes the view's size");
    c->v.dpi = 2;
    send(c, mouse(SDL_MOUSEMOTION, 100, 50));
    CHECK(c->v.mouse_x == 200 && c->v.mouse_y == 100, "high DPI: points become pixels");
    CHECK(send(c, e) && c->v.width == 1600, "and so does a resize");
    c->v.dpi = 1;
    c->v.width = 1200, c->v.height = 700;
    send(c, key(SDLK_p, 0));
    CHECK(c->v.present, "p: present mode");
    send(c, key(SDLK_p, 0));
    send(c, key(SDLK_DOWN, 0));
    TAP_INT_EQ(c->v.lane_scroll, 1, "Down scrolls the lanes");
    for (int i = 0; i < 10; i++)
        send(c, key(SDLK_DOWN, 0));
    TAP_INT_EQ(c->v.lane_scroll, 2, "not past the last lane");
    send(c, key(SDLK_PAGEUP, 0));
    TAP_INT_EQ(c->v.lane_scroll, 0, "PageUp back to the top");
    send(c, key(SDLK_r, 0));
    CHECK(c->sc.m[0]->npicked == 1 && c->v.obj_page == 0, "r: past the last objects, back to the first");
    CHECK(!send(c, key(SDLK_x, 0)), "an unbound key changes nothing");
    send(c, key(SDLK_q, 0));
    CHECK(c->v.quit, "q quits");
    c->v.quit = false;
    memset(&e, 0, sizeof e);
    e.type = SDL_QUIT;
    send(c, e);
    CHECK(c->v.quit, "so does closing the window");
}

static void test_compare(void)
{
    Ctl c;
    if (!ctl_open(&c, vfixture("states.jsonl"), tfixture("interval_drop.jsonl"))) {
        CHECK(0, "two traces");
        return;
    }
    send(&c, key(SDLK_HOME, 0));
    send(&c, key(SDLK_PERIOD, 0));
    TAP_INT_EQ(c.v.playhead, 6500, "compare: . finds the next handoff in either trace (B's, 6.5 µs)");
    send(&c, key(SDLK_PERIOD, 0));
    TAP_INT_EQ(c.v.playhead, 10000, "then A's at 10 µs");
    int64_t w = c.v.t1 - c.v.t0;
    send(&c, key(SDLK_w, 0));
    CHECK(c.v.t1 - c.v.t0 < w, "one zoom for both: they share the axis");
    send(&c, key(SDLK_SPACE, 0));
    gv_control_tick(&c.v, &c.sc, 100000000);
    CHECK(c.v.playing && c.v.playhead > 10000, "one playhead for both");
    int x = xat(&c, 3000), y = lane_y(&c, 1, 1);
    send(&c, key(SDLK_END, 0));
    send(&c, mouse(SDL_MOUSEBUTTONDOWN, x, y));
    send(&c, mouse(SDL_MOUSEBUTTONUP, x, y));
    CHECK(!c.v.sel.on || c.v.sel.model == 1, "a click in B's lanes selects in B");
    ctl_close(&c);
}

int main(int argc, char **argv)
{
    set_dirs(argc, argv);
    Ctl c;
    CHECK(ctl_open(&c, vfixture("states.jsonl"), NULL), "states.jsonl");
    test_zoom_pan(&c);
    test_replay(&c);
    test_scrub_measure(&c);
    test_select(&c);
    test_window_events(&c);
    ctl_close(&c);
    test_compare();
    return tap_done();
}
