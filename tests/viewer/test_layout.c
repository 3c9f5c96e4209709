/*
 * test_layout.c -- the layout (viewer/layout.c) on small traces, by
 * looking at the draw commands: lane order, positions, the colour of each
 * state, markers and arrows, compare mode, replay, level of detail; and
 * the arithmetic it rests on (timefmt.c, view.c).  No SDL.
 */
#include <math.h>

#include "layout.h"
#include "timefmt.h"
#include "viewer_test.h"

/* ---- finding commands ------------------------------------------------------------- */

/* The last (topmost) rectangle with this tag and row containing (x, y). */
static const GvCmd *rect_at(const GvCmdList *l, int tag, int row, int x, int y)
{
    const GvCmd *found = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const GvCmd *c = &l->cmds[i];
        if (c->kind == GV_CMD_RECT && c->tag == tag && (row < 0 || c->row == row) &&
            x >= c->rect.x && x < c->rect.x + c->rect.w && y >= c->rect.y &&
            y < c->rect.y + c->rect.h)
            found = c;
    }
    return found;
}

static size_t count_tag(const GvCmdList *l, int tag, int row)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->cmds[i].tag == tag && (row < 0 || l->cmds[i].row == row);
    return n;
}

/* A text command with this tag containing `part`. */
static const GvCmd *text_with(const GvCmdList *l, int tag, const char *part)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->cmds[i].kind == GV_CMD_TEXT && (tag < 0 || l->cmds[i].tag == tag) &&
            strstr(gv_cmd_str(l, &l->cmds[i]), part))
            return &l->cmds[i];
    return NULL;
}

static int row_of(const GvGeom *g, int model, GvRowKind kind, int tid, const GvScene *sc)
{
    for (int r = 0; r < g->nrows; r++)
        if (g->rows[r].model == model && g->rows[r].kind == kind &&
            (kind != GV_ROW_THREAD || sc->m[model]->lanes[g->rows[r].index].tid == tid))
            return r;
    return -1;
}

static bool same_color(GvColor a, GvColor b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

typedef struct {
    GvScene sc;
    GvView v;
    GvGeom g;
    GvCmdList cmds;
} Frame;

static bool frame_open(Frame *f, const char *path, const char *path2, int w, int h)
{
    memset(f, 0, sizeof *f);
    f->sc.m[0] = load_model(path);
    f->sc.n = 1;
    if (path2) {
        f->sc.m[1] = load_model(path2);
        f->sc.n = 2;
    }
    if (!f->sc.m[0] || (path2 && !f->sc.m[1]))
        return false;
    gv_cmds_init(&f->cmds);
    gv_view_init(&f->v, &f->sc, w, h, 1);
    return true;
}

static void frame_draw(Frame *f)
{
    gv_layout_geom(&f->sc, &f->v, NULL, &f->g);
    gv_layout(&f->sc, &f->v, NULL, &f->cmds);
}

static void frame_close(Frame *f)
{
    gv_model_free(f->sc.m[0]);
    gv_model_free(f->sc.m[1]);
    gv_cmds_fini(&f->cmds);
}

static int xat(const Frame *f, int64_t t)
{
    return (int)lround(gv_time_x(&f->v, &f->g, t));
}

static int mid_y(const Frame *f, int row)
{
    return f->g.rows[row].y + f->g.rows[row].h / 2;
}

/* ---- one trace ------------------------------------------------------------------------ */

static void test_rows(Frame *f)
{
    const GvGeom *g = &f->g;
    TAP_INT_EQ(g->nrows, 6, "six rows: GIL, three threads, checks, one object");
    static const GvRowKind kinds[] = { GV_ROW_GIL, GV_ROW_THREAD, GV_ROW_THREAD, GV_ROW_THREAD,
                                       GV_ROW_CHECKS, GV_ROW_OBJ };
    bool order = true;
    for (int r = 0; r < g->nrows && r < 6; r++) {
        order &= g->rows[r].kind == kinds[r];
        if (r > 0)
            order &= g->rows[r].y >= g->rows[r - 1].y + g->rows[r - 1].h;
    }
    CHECK(order, "the GIL lane on top, then the threads, checks and objects, without overlap");
    CHECK(g->rows[1].index == 0 && g->rows[2].index == 1 && g->rows[3].index == 2,
           "threads in tid order");
    CHECK(g->axis_y + g->axis_h <= g->rows[0].y, "the axis above the lanes");
    CHECK(g->legend_y >= g->rows_y1 && g->stats_y > g->legend_y && g->status_y > g->stats_y,
           "legend, caption, stats and status below");
}

static void test_state_colors(Frame *f)
{
    static const struct { int tid; int64_t t; GvState st; } cases[] = {
        { 0, 5000, GV_ST_HAS_GIL }, { 0, 50000, GV_ST_JOIN }, { 0, 95000, GV_ST_FINISHED },
        { 1, 7000, GV_ST_WAITING }, { 1, 25000, GV_ST_SLEEP }, { 1, 55000, GV_ST_IO },
        { 1, 70000, GV_ST_LOCK }, { 2, 30000, GV_ST_HAS_GIL }, { 2, 65000, GV_ST_WAIT },
        { 2, 45000, GV_ST_WAITING },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int row = row_of(&f->g, 0, GV_ROW_THREAD, cases[i].tid, &f->sc);
        const GvCmd *c = rect_at(&f->cmds, GV_TAG_LANE, row, xat(f, cases[i].t), mid_y(f, row));
        CHECK(c && c->arg == (int)cases[i].st &&
               same_color(c->color, gv_state_color(cases[i].st)),
               "T%d at %lld ns is drawn as %s", cases[i].tid, (long long)cases[i].t,
               gv_state_name(cases[i].st));
    }
    int row = row_of(&f->g, 0, GV_ROW_THREAD, 1, &f->sc);
    CHECK(!rect_at(&f->cmds, GV_TAG_LANE, row, xat(f, 2000), mid_y(f, row)),
           "nothing before a thread starts");
    CHECK(!same_color(gv_state_color(GV_ST_HAS_GIL), gv_state_color(GV_ST_WAITING)) &&
           !same_color(gv_state_color(GV_ST_SLEEP), gv_state_color(GV_ST_LOCK)),
           "distinct colours for running, waiting and the kinds of blocked");
}

static void test_positions(Frame *f)
{
    int row = row_of(&f->g, 0, GV_ROW_THREAD, 0, &f->sc);
    const GvCmd *c = rect_at(&f->cmds, GV_TAG_LANE, row, xat(f, 5000), mid_y(f, row));
    CHECK(c && abs(c->rect.x - xat(f, 0)) <= 1 && abs(c->rect.x + c->rect.w - xat(f, 10000)) <= 1,
           "T0's first hold spans x(0)..x(10 µs)");
    CHECK(c && c->rect.y == f->g.rows[row].y && c->rect.h == f->g.rows[row].h,
           "and fills its lane's height");
    CHECK(text_with(&f->cmds, GV_TAG_LANE_TEXT, "join 70.0 µs") != NULL,
           "a wide span is labelled with its state and length");
}

static void test_gil_lane(Frame *f)
{
    int gr = row_of(&f->g, 0, GV_ROW_GIL, 0, &f->sc);
    const GvCmd *c = rect_at(&f->cmds, GV_TAG_GIL, gr, xat(f, 30000), mid_y(f, gr));
    CHECK(c && c->arg == 2 && same_color(c->color, gv_thread_color(2)),
           "at 30 µs the GIL lane shows T2, in T2's colour");
    CHECK(!rect_at(&f->cmds, GV_TAG_GIL, gr, xat(f, 67500), mid_y(f, gr)),
           "at 67.5 µs nobody holds the GIL");
    CHECK(text_with(&f->cmds, GV_TAG_GIL, "T0 MainThread") != NULL,
           "a wide hold names its thread");
}

static void test_marks(Frame *f)
{
    int t1 = row_of(&f->g, 0, GV_ROW_THREAD, 1, &f->sc), t2 = row_of(&f->g, 0, GV_ROW_THREAD, 2, &f->sc);
    bool retry = false, drop = false;
    for (size_t i = 0; i < f->cmds.n; i++) {
        const GvCmd *c = &f->cmds.cmds[i];
        if (c->tag == GV_TAG_MARK && c->arg == GV_MARK_RETRY && c->row == t2 && c->kind == GV_CMD_TRI)
            retry |= abs(c->tri.x[2] - xat(f, 17000)) <= 1;
        if (c->tag == GV_TAG_DROP && c->row == t1 && c->arg == t2 && c->kind == GV_CMD_LINE)
            drop |= abs(c->line.x0 - xat(f, 35000)) <= 1 && c->line.y1 <= f->g.rows[t2].y;
    }
    CHECK(retry, "a failed wake-up marker on T2 at 17 µs");
    CHECK(drop, "a drop request from T1 down to T2's lane at 35 µs");
    /* Of the ten changes of holder, five are handoffs to a waiting thread;
     * the others took a free GIL (back from I/O, a lock, a join, a wait)
     * or had no giver (the first). */
    TAP_INT_EQ(count_tag(&f->cmds, GV_TAG_HANDOFF, -1) / 2, 5,
               "five handoff arrows (line and head each)");
    CHECK(count_tag(&f->cmds, GV_TAG_MARK, t1) >= 2, "print and GC marks on T1");
    CHECK(count_tag(&f->cmds, GV_TAG_CHECKS, -1) > 0 && count_tag(&f->cmds, GV_TAG_REF, -1) > 0,
           "check density and a reference-count lane");
}

static void test_texts(Frame *f)
{
    CHECK(text_with(&f->cmds, GV_TAG_HEADER, "scenarios/states.py 3") != NULL,
           "the header names the script and its arguments");
    CHECK(text_with(&f->cmds, GV_TAG_HEADER, "CPython 3.12 · interval policy: switch interval "
                     "5.00 ms · real clock") != NULL, "version, policy and clock from meta");
    CHECK(text_with(&f->cmds, GV_TAG_CAPTION, "at 90.0 µs: T0 released the GIL as it finishes")
           != NULL, "the caption explains the last event");
    CHECK(text_with(&f->cmds, GV_TAG_STATS, "38.4%") && text_with(&f->cmds, GV_TAG_STATS, "3.75 µs"),
           "the stats show gilscope stats' numbers (T1: 38.4%% has GIL, 3.75 µs mean wait)");
    CHECK(text_with(&f->cmds, GV_TAG_LEGEND, "waiting for the GIL") &&
           text_with(&f->cmds, GV_TAG_LEGEND, "failed wake-up"), "a legend");
    CHECK(text_with(&f->cmds, GV_TAG_AXIS, "50 µs") != NULL, "axis labels in µs");
    CHECK(text_with(&f->cmds, GV_TAG_LABEL, "T1 worker") != NULL, "lane labels");
}

static void test_replay(Frame *f)
{
    f->v.playhead = 30000;
    frame_draw(f);
    int end = 0;
    for (size_t i = 0; i < f->cmds.n; i++) {
        const GvCmd *c = &f->cmds.cmds[i];
        if (c->tag == GV_TAG_LANE || c->tag == GV_TAG_GIL)
            end = c->rect.x + c->rect.w > end ? c->rect.x + c->rect.w : end;
    }
    CHECK(end <= xat(f, 30000) + 1, "with the playhead at 30 µs nothing later is drawn");
    CHECK(count_tag(&f->cmds, GV_TAG_PLAYHEAD, -1) > 0, "the playhead is drawn");
    CHECK(text_with(&f->cmds, GV_TAG_CAPTION, "at 30.0 µs: T1 wants the GIL, but T2 holds it") != NULL,
           "the caption follows the playhead");
    f->v.playhead = gv_scene_end(&f->sc);
}

static void test_overlays(Frame *f)
{
    int t1 = row_of(&f->g, 0, GV_ROW_THREAD, 1, &f->sc), gr = row_of(&f->g, 0, GV_ROW_GIL, 0, &f->sc);
    f->v.mouse_in = true;
    f->v.mouse_x = xat(f, 35000), f->v.mouse_y = mid_y(f, t1);
    frame_draw(f);
    CHECK(text_with(&f->cmds, GV_TAG_HOVER, "T1 waited 5.00 µs for the GIL, then asked T2 to drop it")
           != NULL, "hovering a drop request explains it");
    f->v.mouse_x = xat(f, 25000);
    frame_draw(f);
    CHECK(text_with(&f->cmds, GV_TAG_HOVER, "T1 slept (without the GIL) for 10.0 µs") != NULL,
           "hovering a span gives its state and length");
    f->v.mouse_x = xat(f, 67500), f->v.mouse_y = mid_y(f, gr);
    frame_draw(f);
    CHECK(text_with(&f->cmds, GV_TAG_HOVER, "nobody holds the GIL") != NULL, "hovering the GIL lane");
    f->v.mouse_in = false;
    f->v.sel = (GvSelection){ .on = true, .model = 0, .lane = 1, .idx = 0 };
    snprintf(f->v.sel.text, sizeof f->v.sel.text, "ev: gil_request\nt: 5000\nholder: 0");
    f->v.measuring = true, f->v.m0 = 20000, f->v.m1 = 30000;
    f->v.help = true;
    frame_draw(f);
    CHECK(text_with(&f->cmds, GV_TAG_SELECTION, "holder: 0") != NULL, "the selection's fields");
    CHECK(text_with(&f->cmds, GV_TAG_SELECTION, "t: 5000 ns (5.00 µs)") != NULL,
          "times in nanoseconds, and in units people read");
    CHECK(text_with(&f->cmds, GV_TAG_SELECTION, "A · ") == NULL, "one trace: no A or B");
    CHECK(text_with(&f->cmds, GV_TAG_MEASURE, "Δ 10.0 µs") != NULL, "a measured duration");
    CHECK(text_with(&f->cmds, GV_TAG_HELP, "play / pause") != NULL, "the help overlay");
    f->v.sel.on = f->v.measuring = f->v.help = false;
}

static void test_present(Frame *f)
{
    int font = f->g.font, lane = f->g.rows[1].h;
    f->v.present = true;
    frame_draw(f);
    CHECK(f->g.font > font && f->g.rows[1].h >= lane, "present mode: bigger text (%d > %d px), "
           "lanes no smaller", f->g.font, font);
    f->v.present = false;
    f->v.dpi = 2;
    frame_draw(f);
    CHECK(f->g.font == 2 * font, "twice the pixels per point: twice the font");
    f->v.dpi = 1;
    frame_draw(f);
}

static void test_one(void)
{
    Frame f;
    CHECK(frame_open(&f, vfixture("states.jsonl"), NULL, 1600, 900), "states.jsonl");
    frame_draw(&f);
    CHECK(!f.cmds.oom && f.cmds.n > 100, "a frame of %zu commands", f.cmds.n);
    test_rows(&f);
    test_state_colors(&f);
    test_positions(&f);
    test_gil_lane(&f);
    test_marks(&f);
    test_texts(&f);
    test_replay(&f);
    test_overlays(&f);
    test_present(&f);
    frame_close(&f);
}

/* ---- a deadlock ------------------------------------------------------------------------ */

/* tests/programs/deadlock_two_locks.py on --clock sim: T1 and T2 each hold
 * one lock and wait for the other's; T0 joins T1. */
static void test_deadlock(void)
{
    Frame f;
    CHECK(frame_open(&f, vfixture("deadlock.jsonl"), NULL, 1600, 900), "deadlock.jsonl");
    frame_draw(&f);
    int t0 = row_of(&f.g, 0, GV_ROW_THREAD, 0, &f.sc), t1 = row_of(&f.g, 0, GV_ROW_THREAD, 1, &f.sc),
        t2 = row_of(&f.g, 0, GV_ROW_THREAD, 2, &f.sc);
    bool t1_to_t2 = false, t2_to_t1 = false, t0_to_t1 = false;
    for (size_t i = 0; i < f.cmds.n; i++) {
        const GvCmd *c = &f.cmds.cmds[i];
        if (c->tag != GV_TAG_DEADLOCK || c->kind != GV_CMD_LINE)
            continue;
        t1_to_t2 |= c->row == t1 && c->arg == t2 && c->line.y1 <= f.g.rows[t2].y;
        t2_to_t1 |= c->row == t2 && c->arg == t1 && c->line.y1 >= f.g.rows[t1].y + f.g.rows[t1].h;
        t0_to_t1 |= c->row == t0 && c->arg == t1;
    }
    CHECK(t1_to_t2 && t2_to_t1, "the cycle: an arrow from T1 down to T2 and one from T2 up to T1");
    CHECK(t0_to_t1, "and one from T0, which joins T1");
    CHECK(text_with(&f.cmds, GV_TAG_DEADLOCK, "held by T2 Thread-2 (taken at line 18)") != NULL,
           "T1's lane says what it waits for, held by whom, taken where");
    CHECK(text_with(&f.cmds, GV_TAG_DEADLOCK, "waits for T1 Thread-1 to end (join, line 29)") != NULL,
           "T0's lane says it joins T1");
    CHECK(text_with(&f.cmds, GV_TAG_CAPTION, "deadlock: no thread can ever run again") != NULL,
           "the caption says the run deadlocked");
    f.v.playhead = f.sc.m[0]->deadlocks[0].t - 1;
    frame_draw(&f);
    CHECK(count_tag(&f.cmds, GV_TAG_DEADLOCK, -1) == 0, "before it, no arrow");
    frame_close(&f);
}

/* ---- two traces ------------------------------------------------------------------------ */

static void test_compare(void)
{
    Frame f;
    CHECK(frame_open(&f, vfixture("states.jsonl"), tfixture("interval_drop.jsonl"), 1600, 900),
           "compare states.jsonl with interval_drop.jsonl");
    frame_draw(&f);
    int a0 = row_of(&f.g, 0, GV_ROW_GIL, 0, &f.sc), b0 = row_of(&f.g, 1, GV_ROW_GIL, 0, &f.sc);
    int last_a = -1;
    for (int r = 0; r < f.g.nrows; r++)
        if (f.g.rows[r].model == 0)
            last_a = r;
    CHECK(a0 >= 0 && b0 > last_a && f.g.rows[b0].y > f.g.rows[last_a].y,
           "the second trace's lanes are below the first's");
    CHECK(f.g.header_y[1] > f.g.rows[last_a].y, "with its own header");
    /* One axis: the same time is at the same x in both. */
    int b1 = row_of(&f.g, 1, GV_ROW_THREAD, 1, &f.sc);
    const GvCmd *c = rect_at(&f.cmds, GV_TAG_LANE, b1, xat(&f, 3000), mid_y(&f, b1));
    CHECK(c && c->arg == GV_ST_WAITING && abs(c->rect.x - xat(&f, 1000)) <= 1,
           "B's T1 waits from x(1 µs), on the shared axis");
    bool left = false, right = false;
    for (size_t i = 0; i < f.cmds.n; i++) {
        const GvCmd *s = &f.cmds.cmds[i];
        if (s->tag == GV_TAG_STATS && s->kind == GV_CMD_TEXT) {
            left |= s->arg == 0 && s->text.x < 800;
            right |= s->arg == 1 && s->text.x >= 800;
        }
    }
    CHECK(left && right, "two stats tables side by side");
    CHECK(text_with(&f.cmds, GV_TAG_CAPTION, "A ▸") && text_with(&f.cmds, GV_TAG_CAPTION, "B ▸"),
           "a caption for each");
    f.v.sel = (GvSelection){ .on = true, .model = 1, .lane = 1, .idx = 0 };
    snprintf(f.v.sel.text, sizeof f.v.sel.text, "ev: gil_request\nt: 1000\nwait: 2500");
    f.v.mouse_in = true;
    f.v.mouse_x = xat(&f, 3000), f.v.mouse_y = mid_y(&f, b1);
    frame_draw(&f);
    CHECK(text_with(&f.cmds, GV_TAG_SELECTION, "B · ") != NULL &&
          text_with(&f.cmds, GV_TAG_SELECTION, "wait: 2500 ns (2.50 µs)") != NULL,
          "the selected event's box says it is B's, with times in units");
    CHECK(text_with(&f.cmds, GV_TAG_HOVER, "B · ") != NULL, "so does the hover box");
    frame_close(&f);
}

/* ---- many threads, small windows, level of detail ------------------------------------------- */

static void test_many_threads(void)
{
    Frame f;
    CHECK(frame_open(&f, vfixture("io312.jsonl"), NULL, 1000, 420), "io312.jsonl, 16 threads");
    frame_draw(&f);
    CHECK(f.g.hidden[0] > 0 && f.g.nrows <= GV_MAX_ROWS, "not all lanes fit: %d folded",
           f.g.hidden[0]);
    CHECK(text_with(&f.cmds, GV_TAG_STATUS, "folded: Up/Down") != NULL, "the status line says so");
    int folded = row_of(&f.g, 0, GV_ROW_FOLDED, 0, &f.sc);
    CHECK(folded >= 0 && f.g.rows[folded].y > f.g.rows[folded - 1].y,
          "one row stands for the folded lanes, below the others");
    const GvCmd *cap = text_with(&f.cmds, GV_TAG_FOLDED, "threads folded");
    CHECK(cap && cap->row == folded && cap->arg == f.g.hidden[0], "and says how many: %s",
          cap ? gv_cmd_str(&f.cmds, cap) : "(none)");
    bool tall = true;
    for (int r = 0; r < f.g.nrows; r++)
        tall &= f.g.rows[r].kind != GV_ROW_THREAD || f.g.rows[r].h >= 17;
    CHECK(tall, "lanes are not squeezed below a label's height (17 px)");
    f.v.lane_scroll = 2;
    frame_draw(&f);
    CHECK(f.sc.m[0]->lanes[f.g.rows[1].index].tid == 2 &&
           f.sc.m[0]->lanes[f.g.rows[2].index].tid == 3, "scrolled: all lanes in tid order from T2");
    CHECK(text_with(&f.cmds, GV_TAG_FOLDED, "more threads: T0–T1, T4–T15") != NULL,
          "and the folded row names the others, without calling them the least busy");
    f.v.lane_scroll = 0;

    /* --lane-height: the user's choice, as it is. */
    f.v.height = 900;
    f.v.lane_height = 10;
    frame_draw(&f);
    bool ten = true;
    for (int r = 0; r < f.g.nrows; r++)
        ten &= f.g.rows[r].kind != GV_ROW_THREAD || f.g.rows[r].h == 10;
    CHECK(ten && f.g.hidden[0] == 0, "--lane-height 10: 10-pixel lanes, all 16 at 1000x900 "
          "(%d folded)", f.g.hidden[0]);
    f.v.lane_height = 40;
    frame_draw(&f);
    int shown = 0;
    for (int r = 0; r < f.g.nrows; r++)
        if (f.g.rows[r].kind == GV_ROW_THREAD)
            shown++, ten &= f.g.rows[r].h == 40;
    CHECK(ten && f.g.hidden[0] > 0 && shown + f.g.hidden[0] == 16,
          "--lane-height 40: 40-pixel lanes, %d shown and %d folded", shown, f.g.hidden[0]);
    f.v.lane_height = 0;
    f.v.height = 420;
    f.v.width = 64, f.v.height = 48;
    frame_draw(&f);
    CHECK(!f.cmds.oom, "a 64x48 window still lays out");
    frame_close(&f);
}

static void test_lod(void)
{
    /* 200000 events, two threads swapping the GIL every microsecond. */
    size_t cap = 100000 * 130 + 512, n = 0;
    char *text = malloc(cap), err[512];
    n += (size_t)snprintf(text + n, cap - n, "%s", META);
    for (int i = 0; i < 100000; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "{\"ev\":\"gil_release\",\"t\":%d,\"tid\":%d,\"why\":\"check\",\"held\":1000}\n"
                              "{\"ev\":\"gil_acquire\",\"t\":%d,\"tid\":%d,\"wait\":1000}\n",
                              i * 1000, (i + 1) % 2, i * 1000, i % 2);
    GvScene sc = { { model_from_text(text, n, err, sizeof err), NULL }, 1 };
    free(text);
    CHECK(sc.m[0] != NULL, "a generated 200000-event trace (%s)", sc.m[0] ? "ok" : err);
    if (!sc.m[0])
        return;
    GvView v;
    GvGeom g;
    GvCmdList cmds;
    gv_cmds_init(&cmds);
    gv_view_init(&v, &sc, 1600, 900, 1);
    size_t most = 0;
    for (int zoom = 0; zoom < 12; zoom++) {     /* the whole run, then ever closer */
        gv_layout(&sc, &v, NULL, &cmds);
        most = cmds.n > most ? cmds.n : most;
        gv_view_zoom(&v, &sc, v.t0 + (v.t1 - v.t0) / 3, 0.25);
    }
    gv_layout_geom(&sc, &v, NULL, &g);
    CHECK(most < (size_t)g.plot_w * 12, "at most %zu commands a frame at any zoom, for 200000 "
           "events: folded per pixel", most);
    gv_view_fit(&v, &sc);
    gv_layout(&sc, &v, NULL, &cmds);
    gv_layout_geom(&sc, &v, NULL, &g);
    const GvCmd *c = rect_at(&cmds, GV_TAG_LANE, 1, g.plot_x + g.plot_w / 2, g.rows[1].y + g.rows[1].h - 1);
    const GvCmd *d = rect_at(&cmds, GV_TAG_LANE, 1, g.plot_x + g.plot_w / 2, g.rows[1].y + 1);
    CHECK(c && d && c->arg == GV_ST_HAS_GIL && d->arg == GV_ST_WAITING &&
           abs(c->rect.h - d->rect.h) <= 1, "zoomed out, a column shows half running, half "
           "waiting");
    gv_cmds_fini(&cmds);
    gv_model_free(sc.m[0]);
}

static void test_progress(void)
{
    GvCmdList cmds;
    gv_cmds_init(&cmds);
    gv_layout_progress(800, 600, 1, "big.jsonl", 0.5, NULL, &cmds);
    CHECK(text_with(&cmds, GV_TAG_PROGRESS, "Loading big.jsonl … 50%") != NULL, "a progress bar");
    gv_cmds_fini(&cmds);
}

/* ---- times and views ------------------------------------------------------------------ */

static void test_timefmt(void)
{
    char buf[64], err[256];
    int64_t t0, t1, ns;
    bool h0, h1;
    gv_fmt_dur(buf, sizeof buf, 5061233);
    TAP_STR_EQ(buf, "5.06 ms", "5061233 ns reads 5.06 ms");
    gv_fmt_dur(buf, sizeof buf, 850);
    TAP_STR_EQ(buf, "850 ns", "850 ns");
    gv_fmt_axis(buf, sizeof buf, 130500000, 500000);
    TAP_STR_EQ(buf, "130.5 ms", "an axis label in the unit of the value");
    gv_fmt_axis(buf, sizeof buf, 0, 5000000);
    TAP_STR_EQ(buf, "0 ms", "zero in the step's unit");
    gv_fmt_axis(buf, sizeof buf, 2000000000, 1000000000);
    TAP_STR_EQ(buf, "2 s", "seconds");
    gv_fmt_axis(buf, sizeof buf, 1000000050, 50);
    TAP_STR_EQ(buf, "1000000050 ns", "too fine for seconds: the step's unit");
    TAP_INT_EQ(gv_axis_step(1000000, 1000, 100), 100000, "a 1, 2 or 5 step");
    CHECK(gv_parse_time("1.5s", &ns, err, sizeof err) == 0 && ns == 1500000000, "1.5s");
    CHECK(gv_parse_time("20us", &ns, err, sizeof err) == 0 && ns == 20000, "20us");
    CHECK(gv_parse_time("20µs", &ns, err, sizeof err) == 0 && ns == 20000, "20µs");
    CHECK(gv_parse_time("0", &ns, err, sizeof err) == 0 && ns == 0, "a bare 0");
    CHECK(gv_parse_time("50", &ns, err, sizeof err) < 0 && strstr(err, "needs a unit"),
           "50 without a unit: %s", err);
    CHECK(gv_parse_time("-1ms", &ns, err, sizeof err) < 0, "negative");
    CHECK(gv_parse_range("0:50ms", &t0, &h0, &t1, &h1, err, sizeof err) == 0 && h0 && h1 &&
           t0 == 0 && t1 == 50000000, "0:50ms");
    CHECK(gv_parse_range("2ms:", &t0, &h0, &t1, &h1, err, sizeof err) == 0 && h0 && !h1,
           "2ms: (to the end)");
    CHECK(gv_parse_range("2s:1s", &t0, &h0, &t1, &h1, err, sizeof err) < 0 &&
           strstr(err, "not after"), "an empty range: %s", err);
    CHECK(gv_parse_range("5ms", &t0, &h0, &t1, &h1, err, sizeof err) < 0, "no colon");
}

static void test_view(void)
{
    GvModel *m = load_model(vfixture("states.jsonl"));
    if (!m) {
        CHECK(0, "states.jsonl");
        return;
    }
    GvScene sc = { { m, NULL }, 1 };
    GvView v;
    gv_view_init(&v, &sc, 1000, 600, 1);
    CHECK(v.t0 <= 0 && v.t1 >= 100000, "init fits the run");
    TAP_INT_EQ(v.playhead, 100000, "the playhead starts at the end: everything shown");
    gv_view_zoom(&v, &sc, 40000, 0.5);
    CHECK(v.t0 < 40000 && v.t1 > 40000 && v.t1 - v.t0 < 60000, "zoom keeps the anchor inside");
    for (int i = 0; i < 40; i++)
        gv_view_zoom(&v, &sc, 40000, 0.1);
    CHECK(v.t1 - v.t0 == GV_MIN_SPAN && v.t0 <= 40000 && v.t1 >= 40000, "zoom stops at %d ns",
           GV_MIN_SPAN);
    gv_view_pan(&v, &sc, INT64_MAX / 4);
    CHECK(v.t0 < 100000, "panning cannot lose the run");
    gv_view_fit(&v, &sc);
    int64_t f0 = v.t0, f1 = v.t1;
    CHECK(f0 == -2000 && f1 == 102000, "fit: the run and a fiftieth each side");
    for (int i = 0; i < 40; i++)
        gv_view_zoom(&v, &sc, 0, 10);
    CHECK(v.t0 == f0 && v.t1 == f1, "zooming out stops at the run's ends (%lld..%lld ns)",
          (long long)v.t0, (long long)v.t1);
    gv_view_zoom(&v, &sc, 90000, 0.5);
    gv_view_pan(&v, &sc, 1000000);
    CHECK(v.t1 == f1, "panning stops there too");
    gv_view_set_range(&v, &sc, -5000000, 5000000);
    CHECK(v.t0 == f0 && v.t1 == f1, "and a --range beyond the run shows the run");
    gv_model_free(m);
}

int main(int argc, char **argv)
{
    set_dirs(argc, argv);
    test_one();
    test_compare();
    test_deadlock();
    test_many_threads();
    test_lod();
    test_progress();
    test_timefmt();
    test_view();
    return tap_done();
}
