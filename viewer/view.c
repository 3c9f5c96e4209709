/*
 * view.c -- the view's arithmetic (see view.h).
 *
 * The visible range may not shrink below GV_MIN_SPAN ns, and it stays
 * within the run and a small margin (what "fit" shows): zooming out stops
 * at the run's ends, and however the user zooms and pans, the trace stays
 * on the screen.
 */
#include <math.h>

#include "view.h"

int64_t gv_scene_start(const GvScene *sc)
{
    int64_t t = sc->m[0]->t_start;
    for (int i = 1; i < sc->n; i++)
        t = sc->m[i]->t_start < t ? sc->m[i]->t_start : t;
    return t;
}

int64_t gv_scene_end(const GvScene *sc)
{
    int64_t t = sc->m[0]->t_end;
    for (int i = 1; i < sc->n; i++)
        t = sc->m[i]->t_end > t ? sc->m[i]->t_end : t;
    /* An empty run still needs a range to draw. */
    int64_t start = gv_scene_start(sc);
    return t > start ? t : start + 1000;
}

static int64_t run_span(const GvScene *sc)
{
    return gv_scene_end(sc) - gv_scene_start(sc);
}

/* The widest view: the run, with a fiftieth of it as a margin each side. */
static void run_bounds(const GvScene *sc, int64_t *lo, int64_t *hi)
{
    int64_t start = gv_scene_start(sc), end = gv_scene_end(sc), margin = (end - start) / 50;
    *lo = start - margin;
    *hi = end + margin;
}

/* Keep [t0, t1] a sensible range: see the top of the file. */
static void clamp(GvView *v, const GvScene *sc)
{
    int64_t lo, hi, start = gv_scene_start(sc), end = gv_scene_end(sc);
    run_bounds(sc, &lo, &hi);
    int64_t w = v->t1 - v->t0, maxw = hi - lo > GV_MIN_SPAN ? hi - lo : GV_MIN_SPAN;
    w = w < GV_MIN_SPAN ? GV_MIN_SPAN : w > maxw ? maxw : w;
    /* Within the margins, and a tenth of the view on the run itself. */
    int64_t first = lo > start - w + w / 10 ? lo : start - w + w / 10;
    int64_t last = hi - w < end - w / 10 ? hi - w : end - w / 10;
    last = last < first ? first : last;
    int64_t t0 = v->t0 < first ? first : v->t0 > last ? last : v->t0;
    v->t0 = t0;
    v->t1 = t0 + w;
}

void gv_view_fit(GvView *v, const GvScene *sc)
{
    run_bounds(sc, &v->t0, &v->t1);
    clamp(v, sc);
}

void gv_view_init(GvView *v, const GvScene *sc, int w, int h, float dpi)
{
    *v = (GvView){ .width = w, .height = h, .dpi = dpi > 0 ? dpi : 1 };
    gv_view_fit(v, sc);
    v->playhead = gv_scene_end(sc);
    /* The whole run replays in about 20 seconds. */
    v->speed = (double)run_span(sc) / 20e9;
}

void gv_view_zoom(GvView *v, const GvScene *sc, int64_t at, double factor)
{
    double a = (double)(at - v->t0), b = (double)(v->t1 - at);
    v->t0 = at - (int64_t)llround(a * factor);
    v->t1 = at + (int64_t)llround(b * factor);
    if (v->t1 - v->t0 < GV_MIN_SPAN) {     /* keep `at` inside while at the limit */
        double f = a + b > 0 ? a / (a + b) : 0.5;
        v->t0 = at - (int64_t)llround(f * GV_MIN_SPAN);
        v->t1 = v->t0 + GV_MIN_SPAN;
    }
    clamp(v, sc);
}

void gv_view_pan(GvView *v, const GvScene *sc, int64_t by)
{
    v->t0 += by;
    v->t1 += by;
    clamp(v, sc);
}

void gv_view_set_range(GvView *v, const GvScene *sc, int64_t t0, int64_t t1)
{
    v->t0 = t0;
    v->t1 = t1 > t0 ? t1 : t0 + GV_MIN_SPAN;
    clamp(v, sc);
}

bool gv_view_playhead_shown(const GvView *v, const GvScene *sc)
{
    if (!v->playing && v->playhead >= gv_scene_end(sc))
        return false;       /* at the end: everything shown, no playhead drawn */
    return v->playhead >= v->t0 && v->playhead <= v->t1;
}
