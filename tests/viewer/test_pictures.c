/*
 * test_pictures.c -- the pictures `gilscope demo` makes, as a classroom
 * sees them: the I/O scenario and the countdown under 2.7 above 3.12, at
 * a projector's 1280x720 in normal and presentation mode and at the
 * demo's default size, checked on the draw commands (no SDL).
 *
 * The traces are made at build time by the gilscope just built, on the
 * simulated clock, as the demo makes them (tests/viewer/meson.build):
 *
 *   test_pictures IO-2.7 IO-3.12 COUNTDOWN-2.7 COUNTDOWN-3.12
 *
 * What a picture owes the class (issue 16): every thread the scenario is
 * about has a lane -- or, when not all fit, the lanes go to the threads
 * that wait for or hold the GIL longest and one row names the rest;
 * nothing is cut off below; thread identity and thread state never share
 * a colour; crowded marks are counted, not smeared; arrows are thick.
 */
#include <ctype.h>
#include <math.h>

#include "layout.h"
#include "timefmt.h"
#include "viewer_test.h"

typedef struct {
    GvScene sc;
    GvView v;
    GvGeom g;
    GvCmdList cmds;
} Pic;

static bool pic_open(Pic *p, const char *a, const char *b)
{
    memset(p, 0, sizeof *p);
    p->sc.m[0] = load_model(a);
    p->sc.m[1] = load_model(b);
    p->sc.n = 2;
    gv_cmds_init(&p->cmds);
    return p->sc.m[0] && p->sc.m[1];
}

/* The picture as `gilscope demo --png` draws it at w x h. */
static void pic_draw(Pic *p, int w, int h, bool present)
{
    gv_view_init(&p->v, &p->sc, w, h, 1);
    p->v.still = true;
    p->v.present = present;
    gv_layout_geom(&p->sc, &p->v, NULL, &p->g);
    gv_layout(&p->sc, &p->v, NULL, &p->cmds);
}

static void pic_close(Pic *p)
{
    gv_model_free(p->sc.m[0]);
    gv_model_free(p->sc.m[1]);
    gv_cmds_fini(&p->cmds);
}

static int thread_row(const Pic *p, int k, int tid)
{
    for (int r = 0; r < p->g.nrows; r++)
        if (p->g.rows[r].model == k && p->g.rows[r].kind == GV_ROW_THREAD &&
            p->sc.m[k]->lanes[p->g.rows[r].index].tid == tid)
            return r;
    return -1;
}

static const GvCmd *text_with(const GvCmdList *l, int tag, int row, const char *part)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->cmds[i].kind == GV_CMD_TEXT && l->cmds[i].tag == tag &&
            (row < 0 || l->cmds[i].row == row) && strstr(gv_cmd_str(l, &l->cmds[i]), part))
            return &l->cmds[i];
    return NULL;
}

/* Time waiting for or holding the GIL over the whole run. */
static int64_t busy(const GvModel *m, size_t lane)
{
    int64_t c[GV_ST_COUNT];
    gv_lane_cover(&m->lanes[lane], m->t_end, c);
    return c[GV_ST_HAS_GIL] + c[GV_ST_WAITING];
}

/* Is tid named in a folded row's text ("... : T1–T8, T13")? */
static bool names_tid(const char *s, int tid)
{
    const char *p = strstr(s, ": ");
    for (p = p ? p + 2 : s; (p = strchr(p, 'T')) != NULL;) {
        char *end;
        long a = strtol(p + 1, &end, 10), b = a;
        if (end == p + 1) {
            p++;
            continue;
        }
        if (strncmp(end, "–T", strlen("–T")) == 0)
            b = strtol(end + strlen("–T"), &end, 10);
        if (tid >= a && tid <= b)
            return true;
        p = end;
    }
    return false;
}

/* The folding rule, for model k: every folded thread is named by the
 * folded row, and none waited for or held the GIL longer than a thread
 * with a lane. */
static void check_folding(const Pic *p, int k, const char *what)
{
    const GvModel *m = p->sc.m[k];
    int64_t least_shown = INT64_MAX, most_folded = -1;
    bool named = true;
    const GvCmd *cap = text_with(&p->cmds, GV_TAG_FOLDED, -1, "folded");
    for (size_t i = 0; i < m->nlanes; i++) {
        bool shown = thread_row(p, k, m->lanes[i].tid) >= 0;
        int64_t b = busy(m, i);
        if (shown)
            least_shown = b < least_shown ? b : least_shown;
        else {
            most_folded = b > most_folded ? b : most_folded;
            const GvCmd *c = NULL;
            for (size_t j = 0; j < p->cmds.n; j++)
                if (p->cmds.cmds[j].tag == GV_TAG_FOLDED && p->cmds.cmds[j].kind == GV_CMD_TEXT &&
                    p->g.rows[p->cmds.cmds[j].row].model == k)
                    c = &p->cmds.cmds[j];
            named &= c && names_tid(gv_cmd_str(&p->cmds, c), m->lanes[i].tid);
        }
    }
    if (p->g.hidden[k] == 0) {
        TAP_OK(true, "%s, %s: all %zu threads have a lane", what, k ? "B" : "A", m->nlanes);
        return;
    }
    CHECK(cap && named, "%s, %s: %d folded threads, each named by the folded row", what,
          k ? "B" : "A", p->g.hidden[k]);
    CHECK(most_folded <= least_shown, "%s, %s: no folded thread waited for or held the GIL "
          "longer than one with a lane", what, k ? "B" : "A");
}

/* A text's width as the layout estimates it without a font (layout.c's
 * text_w: DejaVu Sans Mono's advance, 0.602 em). */
static int est_w(const GvCmdList *l, const GvCmd *c)
{
    int n = 0;
    for (const char *s = gv_cmd_str(l, c); *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n * (int)lround(c->text.size * 0.602);
}

/* No state label ("finished 567 ms") under a mark's count ("×2"). */
static void check_labels_clear(const Pic *p, const char *what)
{
    int clashes = 0;
    for (size_t i = 0; i < p->cmds.n; i++) {
        const GvCmd *a = &p->cmds.cmds[i];
        if (a->kind != GV_CMD_TEXT || a->tag != GV_TAG_LANE_TEXT)
            continue;
        for (size_t j = 0; j < p->cmds.n; j++) {
            const GvCmd *b = &p->cmds.cmds[j];
            if (b->kind == GV_CMD_TEXT && (b->tag == GV_TAG_MARK || b->tag == GV_TAG_DROP) &&
                b->row == a->row && a->text.x < b->text.x + est_w(&p->cmds, b) &&
                b->text.x < a->text.x + est_w(&p->cmds, a))
                clashes++;
        }
    }
    CHECK(clashes == 0, "%s: no state label overlaps a mark's count (%d do)", what, clashes);
}

/* Lanes legible, and nothing below the window's edge. */
static void check_fits(const Pic *p, const char *what)
{
    bool legible = true;
    for (int r = 0; r < p->g.nrows; r++)
        legible &= p->g.rows[r].kind != GV_ROW_THREAD || p->g.rows[r].h >= 17;
    CHECK(legible, "%s: every thread lane at least 17 px tall", what);
    int bottom = 0;
    for (size_t i = 0; i < p->cmds.n; i++) {
        const GvCmd *c = &p->cmds.cmds[i];
        int y = c->kind == GV_CMD_RECT ? c->rect.y + c->rect.h
                : c->kind == GV_CMD_TEXT ? c->text.y + c->text.size : 0;
        if (c->tag == GV_TAG_STATS || c->tag == GV_TAG_CAPTION || c->tag == GV_TAG_LEGEND)
            bottom = y > bottom ? y : bottom;
    }
    CHECK(bottom <= p->v.height, "%s: the legend, caption and stats end above the bottom "
          "(%d <= %d)", what, bottom, p->v.height);
    bool cut = false;
    for (size_t i = 0; i < p->cmds.n; i++)
        cut |= p->cmds.cmds[i].kind == GV_CMD_TEXT &&
               (p->cmds.cmds[i].tag == GV_TAG_HEADER || p->cmds.cmds[i].tag == GV_TAG_CAPTION) &&
               strstr(gv_cmd_str(&p->cmds, &p->cmds.cmds[i]), "…");
    CHECK(!cut, "%s: no header or caption cut short", what);
    CHECK(p->g.status_y == p->v.height && !text_with(&p->cmds, GV_TAG_STATUS, -1, ""),
          "%s: no interactive status line on a picture", what);
}

/* ---- the I/O scenario: the convoy ---------------------------------------------------
 *
 * scenarios/io_threads.py: T0 main, T1-T8 sleep, T9-T12 read a file,
 * T13 does 100 short I/O operations alone, then T15 does them next to
 * T14, which only computes.  The slide is about T15 and T14. */
static void io_picture(const char *a, const char *b, int w, int h, bool present,
                       const char *what)
{
    Pic p;
    CHECK(pic_open(&p, a, b), "%s: the I/O traces", what);
    if (!p.sc.m[0] || !p.sc.m[1]) {
        pic_close(&p);
        return;
    }
    pic_draw(&p, w, h, present);
    for (int k = 0; k < 2; k++) {
        CHECK(thread_row(&p, k, 15) >= 0 && thread_row(&p, k, 14) >= 0,
              "%s, %s: the I/O thread T15 and the CPU-bound T14 have lanes", what,
              k ? "B" : "A");
        check_folding(&p, k, what);
        char t15[32];
        snprintf(t15, sizeof t15, "T15 Thread-15");
        bool row = false;
        for (size_t i = 0; i < p.cmds.n; i++)
            row |= p.cmds.cmds[i].tag == GV_TAG_STATS && p.cmds.cmds[i].arg == k &&
                   p.cmds.cmds[i].kind == GV_CMD_TEXT &&
                   !strcmp(gv_cmd_str(&p.cmds, &p.cmds.cmds[i]), t15);
        CHECK(row, "%s, %s: T15 has its row in the stats", what, k ? "B" : "A");
    }
    char wait[32] = "?";
    for (size_t i = 0; i < p.sc.m[1]->stats.nthreads; i++) {
        const GsThreadStats *ts = &p.sc.m[1]->stats.threads[i];
        if (ts->tid == 15 && ts->acquisitions)
            gv_fmt_dur(wait, sizeof wait, ts->wait_sum_ns / ts->acquisitions);
    }
    CHECK(strcmp(wait, "?") && text_with(&p.cmds, GV_TAG_STATS, -1, wait) != NULL,
          "%s: the stats show T15's mean wait under 3.12, %s", what, wait);
    CHECK(text_with(&p.cmds, GV_TAG_STATS, -1, "mean wait") != NULL,
          "%s: the mean wait column is kept", what);
    check_fits(&p, what);
    check_labels_clear(&p, what);
    pic_close(&p);
}

/* ---- the countdown: three threads, all shown ---------------------------------------- */

static void countdown_picture(const char *a, const char *b, int w, int h, bool present,
                              const char *what)
{
    Pic p;
    CHECK(pic_open(&p, a, b), "%s: the countdown traces", what);
    if (!p.sc.m[0] || !p.sc.m[1]) {
        pic_close(&p);
        return;
    }
    pic_draw(&p, w, h, present);
    for (int k = 0; k < 2; k++)
        CHECK(thread_row(&p, k, 0) >= 0 && thread_row(&p, k, 1) >= 0 && thread_row(&p, k, 2) >= 0,
              "%s, %s: all three threads have lanes", what, k ? "B" : "A");
    check_fits(&p, what);
    pic_close(&p);
}

/* Presentation mode at 1280x720 is better than normal mode there: larger
 * text and lanes, and still every thread the scenario is about. */
static void present_is_better(const char *a, const char *b)
{
    Pic n, pr;
    if (!pic_open(&n, a, b) || !pic_open(&pr, a, b)) {
        CHECK(0, "the countdown traces");
        pic_close(&n), pic_close(&pr);
        return;
    }
    pic_draw(&n, 1280, 720, false);
    pic_draw(&pr, 1280, 720, true);
    int ln = thread_row(&n, 0, 1), lp = thread_row(&pr, 0, 1);
    CHECK(pr.g.font > n.g.font && pr.g.font_small > n.g.font_small,
          "present at 1280x720: larger text (%d > %d px)", pr.g.font, n.g.font);
    /* Normal mode grows three lanes to fill the screen; presentation mode
     * spends some of that on text, but keeps them twice a label's height. */
    CHECK(ln >= 0 && lp >= 0 && pr.g.rows[lp].h >= 2 * pr.g.font_small,
          "and lanes at least twice its labels' height (%d px; normal mode: %d px)",
          lp >= 0 ? pr.g.rows[lp].h : 0, ln >= 0 ? n.g.rows[ln].h : 0);
    pic_close(&n);
    pic_close(&pr);
}

/* ---- colour: identity and state on two channels -------------------------------------- */

static bool achromatic(GvColor c)
{
    return c.r == c.g && c.g == c.b;
}

static bool is_state_color(GvColor c)
{
    for (int s = 0; s < GV_ST_COUNT; s++) {
        GvColor t = gv_state_color(s);
        if (t.r == c.r && t.g == c.g && t.b == c.b)
            return true;
    }
    return false;
}

static void colour_rule(const char *a, const char *b)
{
    Pic p;
    if (!pic_open(&p, a, b)) {
        CHECK(0, "the traces");
        pic_close(&p);
        return;
    }
    pic_draw(&p, 1280, 720, false);
    size_t gil = 0, lane = 0, swatch = 0;
    bool gil_ok = true, lane_ok = true, swatch_ok = true;
    for (size_t i = 0; i < p.cmds.n; i++) {
        const GvCmd *c = &p.cmds.cmds[i];
        if (c->kind != GV_CMD_RECT)
            continue;
        if (c->tag == GV_TAG_GIL)
            gil++, gil_ok &= achromatic(c->color) && !is_state_color(c->color);
        if (c->tag == GV_TAG_LANE)
            lane++, lane_ok &= is_state_color(c->color);
        if (c->tag == GV_TAG_LABEL && c->row >= 0 && p.g.rows[c->row].kind == GV_ROW_THREAD)
            swatch++, swatch_ok &= achromatic(c->color) && !is_state_color(c->color);
    }
    CHECK(gil > 0 && gil_ok, "the GIL lane's %zu rectangles are shades of grey, none a state's "
          "colour", gil);
    CHECK(lane > 0 && lane_ok, "the thread lanes' %zu rectangles are all state colours", lane);
    CHECK(swatch > 0 && swatch_ok, "the %zu thread swatches beside the names are greys too",
          swatch);
    bool hues = true;
    for (int s = GV_ST_HAS_GIL; s < GV_ST_FINISHED; s++) {
        GvColor c = gv_state_color(s);
        int hi = c.r > c.g ? (c.r > c.b ? c.r : c.b) : (c.g > c.b ? c.g : c.b);
        int lo = c.r < c.g ? (c.r < c.b ? c.r : c.b) : (c.g < c.b ? c.g : c.b);
        hues &= hi - lo >= 60;
    }
    GvColor fin = gv_state_color(GV_ST_FINISHED);
    bool darker = true;
    for (size_t i = 0; i < 16; i++)
        darker &= gv_thread_color(i).r + 30 < fin.r;
    CHECK(hues, "every running, waiting or blocked state is a clear hue");
    CHECK(darker, "every thread shade is well darker than the one grey state, finished");
    pic_close(&p);
}

/* ---- crowded marks and arrows ------------------------------------------------------- */

/* "×625" -> 625; 0 when s is not a count. */
static long count_of(const char *s)
{
    if (strncmp(s, "×", strlen("×")) != 0)
        return 0;
    return strtol(s + strlen("×"), NULL, 10);
}

static void crowds(const char *a, const char *b)
{
    Pic p;
    if (!pic_open(&p, a, b)) {
        CHECK(0, "the countdown traces");
        pic_close(&p);
        return;
    }
    pic_draw(&p, 1280, 720, false);
    /* Under 2.7, T1's failed wake-ups: thousands, in a 1000-pixel lane. */
    int r = thread_row(&p, 0, 1);
    const GvLane *l = gv_model_lane(p.sc.m[0], 1);
    long counted = 0, triangles = 0, labels = 0;
    for (size_t i = 0; i < p.cmds.n && r >= 0; i++) {
        const GvCmd *c = &p.cmds.cmds[i];
        if (c->tag != GV_TAG_MARK || c->row != r || c->arg != GV_MARK_RETRY)
            continue;
        if (c->kind == GV_CMD_TRI && c->color.g > 200)     /* the yellow inside */
            triangles++;
        if (c->kind == GV_CMD_TEXT && count_of(gv_cmd_str(&p.cmds, c)) > 0)
            counted += count_of(gv_cmd_str(&p.cmds, c)), labels++;
    }
    size_t n = l ? l->marks[GV_MARK_RETRY].n : 0;
    CHECK(l && n > 1000, "2.7's T1 failed %zu wake-ups", n);
    CHECK(triangles > 0 && triangles <= 10, "drawn as %ld triangles, not a sawtooth band",
          triangles);
    CHECK(labels > 0 && (size_t)(counted + triangles - labels) == n,
          "the clusters' counts and the single marks add up to all of them (%ld counted, "
          "%ld single, %zu in all)", counted, triangles - labels, n);
    const GvCmd *ho = text_with(&p.cmds, GV_TAG_HANDOFF, -1, "handoffs");
    CHECK(ho != NULL, "crowded handoffs under 2.7 are counted: %s",
          ho ? gv_cmd_str(&p.cmds, ho) : "(none)");

    /* Arrows for the back row: at 1280x720 without presentation mode. */
    bool lines = true, heads = true;
    size_t narrows = 0;
    for (size_t i = 0; i < p.cmds.n; i++) {
        const GvCmd *c = &p.cmds.cmds[i];
        if (c->tag != GV_TAG_DROP && c->tag != GV_TAG_HANDOFF)
            continue;
        if (c->kind == GV_CMD_LINE)
            narrows++, lines &= c->line.width >= (c->tag == GV_TAG_DROP ? 3 : 2);
        if (c->kind == GV_CMD_TRI) {
            int lo = c->tri.y[0], hi = c->tri.y[0];
            for (int j = 1; j < 3; j++)
                lo = c->tri.y[j] < lo ? c->tri.y[j] : lo, hi = c->tri.y[j] > hi ? c->tri.y[j] : hi;
            heads &= hi - lo >= 11;
        }
    }
    CHECK(narrows > 0 && lines, "%zu arrows: drop requests at least 3 px wide, handoffs 2",
          narrows);
    CHECK(heads, "arrowheads at least 11 px");
    pic_close(&p);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        printf("usage: test_pictures IO-2.7 IO-3.12 COUNTDOWN-2.7 COUNTDOWN-3.12\n");
        return 99;
    }
    io_picture(argv[1], argv[2], 1280, 720, false, "io_threads at 1280x720");
    io_picture(argv[1], argv[2], 1280, 720, true, "io_threads at 1280x720, --present");
    io_picture(argv[1], argv[2], 1600, 900, false, "io_threads at 1600x900 (the demo's size)");
    io_picture(argv[1], argv[2], 1920, 1080, true, "io_threads at 1920x1080, --present");
    countdown_picture(argv[3], argv[4], 1280, 720, false, "countdown at 1280x720");
    countdown_picture(argv[3], argv[4], 1280, 720, true, "countdown at 1280x720, --present");
    present_is_better(argv[3], argv[4]);
    colour_rule(argv[1], argv[2]);
    colour_rule(argv[3], argv[4]);
    crowds(argv[3], argv[4]);
    return tap_done();
}
