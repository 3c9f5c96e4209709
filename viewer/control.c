/*
 * control.c -- keys and mouse to view state (see control.h).
 *
 * Mouse positions arrive in window points; the layout works in output
 * pixels, which on a high-DPI screen are more.  Every position is scaled
 * by v->dpi on the way in.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "control.h"

#define MAX_SPEED 1e6
#define MIN_SPEED 1e-12

/* ---- the replay ------------------------------------------------------------------- */

/* Keep time t on screen: if it is off, move the view to put it a tenth in. */
static void show_time(GvView *v, const GvScene *sc, int64_t t)
{
    int64_t w = v->t1 - v->t0;
    if (t >= v->t0 && t <= v->t1)
        return;
    gv_view_pan(v, sc, t - w / 10 - v->t0);
}

static void toggle_play(GvView *v, const GvScene *sc)
{
    v->playing = !v->playing;
    if (v->playing && v->playhead >= gv_scene_end(sc)) {   /* from the top again */
        v->playhead = gv_scene_start(sc);
        show_time(v, sc, v->playhead);
    }
}

bool gv_control_tick(GvView *v, const GvScene *sc, int64_t real_ns)
{
    if (!v->playing)
        return false;
    int64_t end = gv_scene_end(sc);
    double step = (double)real_ns * v->speed;
    v->playhead += step > (double)(end - v->playhead) ? end - v->playhead : (int64_t)step;
    if (v->playhead >= end) {
        v->playhead = end;
        v->playing = false;
    }
    /* Follow the playhead: page on when it nears the right edge. */
    int64_t w = v->t1 - v->t0;
    if (v->playhead > v->t1 - w / 20 || v->playhead < v->t0)
        gv_view_pan(v, sc, v->playhead - w / 10 - v->t0);
    return true;
}

/* The next (dir > 0) or previous GIL handoff from the playhead, in any
 * model of the scene. */
static void jump_handoff(GvView *v, const GvScene *sc, int dir)
{
    bool found = false;
    int64_t best = 0;
    for (int k = 0; k < sc->n; k++) {
        const GvModel *m = sc->m[k];
        size_t i = gv_handoff_lower(m, v->playhead + (dir > 0 ? 1 : 0));
        if (dir < 0 && i == 0)
            continue;
        if (dir < 0)
            i--;
        if (i >= m->nhandoffs)
            continue;
        /* The first acquisition, from nobody, hands nothing over. */
        while (i < m->nhandoffs && m->handoffs[i].from == GV_NO_LANE)
            i = dir > 0 ? i + 1 : i > 0 ? i - 1 : m->nhandoffs;
        if (i >= m->nhandoffs)
            continue;
        int64_t t = m->handoffs[i].t;
        if (!found || (dir > 0 ? t < best : t > best))
            best = t, found = true;
    }
    if (!found)
        return;
    v->playing = false;
    v->playhead = best;
    show_time(v, sc, best);
}

/* ---- keys ------------------------------------------------------------------------------- */

static void pick_next_objects(GvView *v, GvScene *sc)
{
    v->obj_page += 3;
    for (int pass = 0; pass < 2; pass++) {
        size_t picked = 0;
        for (int k = 0; k < sc->n; k++) {
            gv_model_pick_objects(sc->m[k], NULL, 0, v->obj_page);
            picked += sc->m[k]->npicked;
        }
        if (picked || v->obj_page == 0)
            return;
        v->obj_page = 0;       /* past the last: back to the busiest */
    }
}

/* Where the mouse wheel zooms: at the pointer when it is over the plot,
 * else the middle. */
static int64_t zoom_anchor(const GvView *v, const GvGeom *g)
{
    if (v->mouse_in && v->mouse_x >= g->plot_x && v->mouse_x < g->plot_x + g->plot_w)
        return gv_x_time(v, g, v->mouse_x);
    return v->t0 + (v->t1 - v->t0) / 2;
}

/* Where a zoom key zooms: at the playhead when it is on screen -- the
 * moment being explained stays put while the class looks closer --
 * else as the wheel does. */
static int64_t key_zoom_anchor(const GvView *v, const GvScene *sc, const GvGeom *g)
{
    return gv_view_playhead_shown(v, sc) ? v->playhead : zoom_anchor(v, g);
}

static size_t max_lanes(const GvScene *sc)
{
    size_t n = 0;
    for (int k = 0; k < sc->n; k++)
        n = sc->m[k]->nlanes > n ? sc->m[k]->nlanes : n;
    return n;
}

static void scroll_lanes(GvView *v, const GvScene *sc, int by)
{
    int n = (int)max_lanes(sc);
    v->lane_scroll += by;
    v->lane_scroll = v->lane_scroll > n - 1 ? n - 1 : v->lane_scroll;
    v->lane_scroll = v->lane_scroll < 0 ? 0 : v->lane_scroll;
}

static bool escape(GvView *v)
{
    if (v->help)
        v->help = false;
    else if (v->measuring)
        v->measuring = false;
    else if (v->sel.on)
        v->sel.on = false;
    else
        return false;
    return true;
}

static bool key(GvView *v, GvScene *sc, const GvGeom *g, const SDL_Keysym *k)
{
    int64_t w = v->t1 - v->t0;
    bool shift = (k->mod & KMOD_SHIFT) != 0;
    switch (k->sym) {
    case SDLK_SPACE:        toggle_play(v, sc); return true;
    case SDLK_LEFTBRACKET:  v->speed = fmax(v->speed / 2, MIN_SPEED); return true;
    case SDLK_RIGHTBRACKET: v->speed = fmin(v->speed * 2, MAX_SPEED); return true;
    case SDLK_HOME:
        v->playhead = gv_scene_start(sc);
        show_time(v, sc, v->playhead);
        return true;
    case SDLK_END:
        v->playhead = gv_scene_end(sc);
        v->playing = false;
        show_time(v, sc, v->playhead);
        return true;
    case SDLK_PERIOD:       jump_handoff(v, sc, +1); return true;
    case SDLK_COMMA:        jump_handoff(v, sc, -1); return true;
    case SDLK_w:
    case SDLK_PLUS:
    case SDLK_KP_PLUS:      gv_view_zoom(v, sc, key_zoom_anchor(v, sc, g), 0.5); return true;
    case SDLK_s:
    case SDLK_MINUS:
    case SDLK_KP_MINUS:     gv_view_zoom(v, sc, key_zoom_anchor(v, sc, g), 2.0); return true;
    case SDLK_EQUALS:
        if (shift)          /* '+' on a US keyboard */
            gv_view_zoom(v, sc, key_zoom_anchor(v, sc, g), 0.5);
        return shift;
    case SDLK_a:
    case SDLK_LEFT:         gv_view_pan(v, sc, -w / 5); return true;
    case SDLK_d:
    case SDLK_RIGHT:        gv_view_pan(v, sc, w / 5); return true;
    case SDLK_f:
    case SDLK_0:            gv_view_fit(v, sc); return true;
    case SDLK_UP:           scroll_lanes(v, sc, -1); return true;
    case SDLK_DOWN:         scroll_lanes(v, sc, 1); return true;
    case SDLK_PAGEUP:       scroll_lanes(v, sc, -5); return true;
    case SDLK_PAGEDOWN:     scroll_lanes(v, sc, 5); return true;
    case SDLK_r:            pick_next_objects(v, sc); return true;
    case SDLK_p:            v->present = !v->present; return true;
    case SDLK_h:
    case SDLK_F1:
    case SDLK_QUESTION:     v->help = !v->help; return true;
    case SDLK_SLASH:
        if (shift)          /* '?' on a US keyboard */
            v->help = !v->help;
        return shift;
    case SDLK_ESCAPE:       return escape(v);
    case SDLK_q:            v->quit = true; return true;
    default:                return false;
    }
}

/* ---- selection --------------------------------------------------------------------------- */

/* A JSON line as "key: value" lines. */
static void fields_text(const char *line, char *out, size_t len)
{
    cJSON *obj = cJSON_Parse(line);
    size_t n = 0;
    out[0] = '\0';
    const cJSON *f;
    cJSON_ArrayForEach(f, obj) {
        char *val = cJSON_IsString(f) ? NULL : cJSON_PrintUnformatted(f);
        int w = snprintf(out + n, len - n, "%s%s: %s", n ? "\n" : "", f->string,
                         val ? val : f->valuestring);
        free(val);
        if (w < 0 || (size_t)w >= len - n)
            break;
        n += (size_t)w;
    }
    cJSON_Delete(obj);
}

/* Does the line read back still say what the model has for the event? */
static bool line_matches(const char *line, const GvLane *l, size_t idx)
{
    cJSON *obj = cJSON_Parse(line);
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(obj, "ev");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "t");
    bool ok = cJSON_IsString(ev) && strcmp(ev->valuestring, gv_kind_name(l->kind[idx])) == 0 &&
              cJSON_IsNumber(t) && (int64_t)t->valuedouble == l->t[idx];
    cJSON_Delete(obj);
    return ok;
}

void gv_control_select(GvView *v, const GvScene *sc, int k, size_t lane, size_t idx)
{
    const GvModel *m = sc->m[k];
    const GvLane *l = &m->lanes[lane];
    char line[4096];
    v->sel = (GvSelection){ .on = true, .model = k, .lane = lane, .idx = idx };
    if (gv_model_line_text(m, l->line[idx], line, sizeof line) < 0) {
        snprintf(v->sel.text, sizeof v->sel.text, "ev: %s\nt: %lld\ntid: %d\n%.900s",
                 gv_kind_name(l->kind[idx]), (long long)l->t[idx], l->tid, line);
        return;
    }
    if (!line_matches(line, l, idx)) {
        snprintf(v->sel.text, sizeof v->sel.text, "(%s changed since it was loaded)", m->path);
        return;
    }
    fields_text(line, v->sel.text, sizeof v->sel.text);
}

/* ---- the mouse ---------------------------------------------------------------------------- */

static void button_down(GvView *v, const GvScene *sc, const GvGeom *g, bool shift)
{
    GvPick p;
    gv_pick(sc, v, g, v->mouse_x, v->mouse_y, &p);
    v->drag_x = v->mouse_x, v->drag_y = v->mouse_y;
    v->drag_t0 = v->t0, v->drag_t1 = v->t1;
    v->drag_moved = false;
    if (p.kind == GV_PICK_AXIS) {
        v->drag = GV_DRAG_SCRUB;
        v->playing = false;
        v->playhead = p.t;
    } else if (p.kind == GV_PICK_NONE) {
        v->drag = GV_DRAG_NONE;
    } else if (shift) {
        v->drag = GV_DRAG_MEASURE;
        v->measuring = true;
        v->m0 = v->m1 = p.t;
    } else {
        v->drag = GV_DRAG_PAN;
    }
}

static void motion(GvView *v, const GvScene *sc, const GvGeom *g)
{
    if (abs(v->mouse_x - v->drag_x) + abs(v->mouse_y - v->drag_y) > 3)
        v->drag_moved = true;
    int64_t t = gv_x_time(v, g, v->mouse_x), start = gv_scene_start(sc), end = gv_scene_end(sc);
    switch (v->drag) {
    case GV_DRAG_PAN: {
        double nspp = (double)(v->drag_t1 - v->drag_t0) / g->plot_w;
        int64_t t0 = v->drag_t0 - (int64_t)llround((v->mouse_x - v->drag_x) * nspp);
        gv_view_pan(v, sc, t0 - v->t0);
        break;
    }
    case GV_DRAG_MEASURE:
        v->m1 = t;
        break;
    case GV_DRAG_SCRUB:
        v->playhead = t < start ? start : t > end ? end : t;
        break;
    default:
        break;
    }
}

static void button_up(GvView *v, const GvScene *sc, const GvGeom *g)
{
    if (v->drag == GV_DRAG_PAN && !v->drag_moved) {     /* a click, not a drag */
        GvPick p;
        gv_pick(sc, v, g, v->mouse_x, v->mouse_y, &p);
        if (p.kind == GV_PICK_EVENT)
            gv_control_select(v, sc, p.model, p.lane, p.idx);
        else
            v->sel.on = false;
    }
    if (v->drag == GV_DRAG_MEASURE && !v->drag_moved)
        v->measuring = false;
    v->drag = GV_DRAG_NONE;
}

static void set_mouse(GvView *v, int x, int y)
{
    v->mouse_in = true;
    v->mouse_x = (int)lround(x * v->dpi);
    v->mouse_y = (int)lround(y * v->dpi);
}

static bool window_event(GvView *v, const SDL_WindowEvent *w)
{
    switch (w->event) {
    case SDL_WINDOWEVENT_SIZE_CHANGED:
        v->width = (int)lround(w->data1 * v->dpi);
        v->height = (int)lround(w->data2 * v->dpi);
        return true;
    case SDL_WINDOWEVENT_LEAVE:
        v->mouse_in = false;
        return true;
    default:
        return true;    /* exposed, restored ...: draw again */
    }
}

bool gv_control_event(GvView *v, GvScene *sc, const GvTextMetrics *tm, const SDL_Event *e)
{
    GvGeom g;
    gv_layout_geom(sc, v, tm, &g);
    switch (e->type) {
    case SDL_QUIT:
        v->quit = true;
        return false;
    case SDL_KEYDOWN:
    case SDL_KEYUP:
        if (e->key.keysym.sym == SDLK_LSHIFT || e->key.keysym.sym == SDLK_RSHIFT) {
            v->shift = e->type == SDL_KEYDOWN;
            return false;
        }
        return e->type == SDL_KEYDOWN && key(v, sc, &g, &e->key.keysym);
    case SDL_MOUSEMOTION:
        set_mouse(v, e->motion.x, e->motion.y);
        motion(v, sc, &g);
        return true;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button != SDL_BUTTON_LEFT)
            return false;
        set_mouse(v, e->button.x, e->button.y);
        button_down(v, sc, &g, v->shift || (SDL_GetModState() & KMOD_SHIFT));
        return true;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button != SDL_BUTTON_LEFT)
            return false;
        set_mouse(v, e->button.x, e->button.y);
        motion(v, sc, &g);
        button_up(v, sc, &g);
        return true;
    case SDL_MOUSEWHEEL: {
        int dy = e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -e->wheel.y : e->wheel.y;
        if (!dy)
            return false;
        int64_t at = zoom_anchor(v, &g);
        gv_view_zoom(v, sc, at, pow(0.8, dy));
        return true;
    }
    case SDL_WINDOWEVENT:
        return window_event(v, &e->window);
    default:
        return false;
    }
}
