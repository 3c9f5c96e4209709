/*
 * layout.c -- the picture as draw commands (see layout.h).
 *
 * The file follows the picture from the top down: geometry, header, axis,
 * lanes (folded per pixel column), markers and arrows, checks and
 * reference counts, then legend, caption, stats, status, and the overlays
 * (hover, selection, measure, help).  Every function appends commands;
 * none keeps state between frames.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "threads/policies.h"
#include "explain.h"
#include "layout.h"
#include "timefmt.h"

/* ---- the palette -----------------------------------------------------------------
 *
 * Okabe and Ito's eight colours stay distinct under the common kinds of
 * colour blindness.  The theme is light: projectors wash out dark ones. */

#define RGB(r, g, b) ((GvColor){ r, g, b, 255 })
static const GvColor OI_BLACK = RGB(0, 0, 0), OI_ORANGE = RGB(230, 159, 0),
                     OI_SKY = RGB(86, 180, 233), OI_GREEN = RGB(0, 158, 115),
                     OI_YELLOW = RGB(240, 228, 66), OI_BLUE = RGB(0, 114, 178),
                     OI_VERMILLION = RGB(213, 94, 0), OI_PURPLE = RGB(204, 121, 167);
/* A deadlock's arrows cross lanes of every colour, the blocked one above
 * all: black. */
static const GvColor C_DEADLOCK = RGB(0, 0, 0);
static const GvColor C_BG = RGB(255, 255, 255), C_TEXT = RGB(25, 25, 25),
                     C_DIM = RGB(100, 100, 100), C_GRID = RGB(222, 222, 222),
                     C_LANE = RGB(243, 243, 243), C_FINISHED = RGB(205, 205, 205),
                     C_PANEL = RGB(248, 248, 248), C_BORDER = RGB(170, 170, 170);

GvColor gv_state_color(int st)
{
    switch (st) {
    case GV_ST_HAS_GIL:  return OI_GREEN;
    case GV_ST_WAITING:  return OI_ORANGE;
    case GV_ST_SLEEP:    return OI_SKY;
    case GV_ST_IO:       return OI_BLUE;
    case GV_ST_LOCK:
    case GV_ST_JOIN:
    case GV_ST_WAIT:     return OI_PURPLE;
    case GV_ST_FINISHED: return C_FINISHED;
    default:             return C_LANE;
    }
}

/* TWO CHANNELS.  A thread's state is a hue (above); which thread it is
 * must never be one, or the GIL lane would draw a thread in "waiting"
 * orange next to another in "has the GIL" green, and the class would
 * read states into it.  So a thread's identity is its name, written in
 * the GIL lane wherever it fits and beside its lane, and a shade of grey
 * -- lightness without hue -- that tells neighbouring holders apart where
 * names do not fit.  The shades are darker than "finished" and the lane
 * background, the only greys among the states; tests/viewer/test_layout.c
 * checks on the command list that the two sets never meet. */
GvColor gv_thread_color(size_t lane)
{
    static const uint8_t shades[] = { 40, 150, 90, 125 };
    uint8_t v = shades[lane % (sizeof shades / sizeof shades[0])];
    return RGB(v, v, v);
}

static GvColor with_alpha(GvColor c, uint8_t a)
{
    c.a = a;
    return c;
}

/* Black or white text, whichever reads on c. */
static GvColor ink_on(GvColor c)
{
    return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b < 150 ? C_BG : C_TEXT;
}

/* Lanes stack a column's states from the bottom in this order. */
static const GvState stack_order[] = {
    GV_ST_HAS_GIL, GV_ST_WAITING, GV_ST_SLEEP, GV_ST_IO, GV_ST_LOCK, GV_ST_JOIN, GV_ST_WAIT,
    GV_ST_FINISHED,
};
#define NSTACK (sizeof stack_order / sizeof stack_order[0])

static const char *const short_names[GV_ST_COUNT] = {
    [GV_ST_HAS_GIL] = "has GIL", [GV_ST_WAITING] = "waiting", [GV_ST_SLEEP] = "sleep",
    [GV_ST_IO] = "I/O", [GV_ST_LOCK] = "lock", [GV_ST_JOIN] = "join", [GV_ST_WAIT] = "wait",
    [GV_ST_FINISHED] = "finished",
};

/* The legend: the states' colours, then the markers. */
typedef enum { LEG_HOLDER, LEG_STATE, LEG_RETRY, LEG_DROP, LEG_HANDOFF, LEG_GC } LegendKind;

static const struct {
    LegendKind kind;
    GvState st;
    const char *label;
} legend[] = {
    { LEG_HOLDER, 0, "GIL holder: T# on grey" },
    { LEG_STATE, GV_ST_HAS_GIL, "has the GIL" }, { LEG_STATE, GV_ST_WAITING, "waiting for the GIL" },
    { LEG_STATE, GV_ST_SLEEP, "sleep" }, { LEG_STATE, GV_ST_IO, "I/O" },
    { LEG_STATE, GV_ST_LOCK, "lock, join, wait" }, { LEG_STATE, GV_ST_FINISHED, "finished" },
    { LEG_RETRY, 0, "failed wake-up" }, { LEG_DROP, 0, "drop request" },
    { LEG_HANDOFF, 0, "GIL handoff" }, { LEG_GC, 0, "GC" },
};
#define NLEGEND (sizeof legend / sizeof legend[0])

/* ---- text ----------------------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static int text_w(const GvTextMetrics *tm, const char *s, int size, int flags)
{
    if (tm && tm->measure)
        return tm->measure(tm->ctx, s, size, flags);
    /* DejaVu Sans Mono advances 1233/2048 of an em, rounded to pixels. */
    return (int)utf8_chars(s) * (int)lround(size * 0.602);
}

/* s (in a buffer of cap bytes) cut to fit w pixels, ending in "…" when
 * cut.  The "…" takes three bytes: there must be room for it where the
 * cut falls, even when s filled its buffer. */
static void fit_text(const GvTextMetrics *tm, char *s, size_t cap, int size, int flags, int w)
{
    static const char ellipsis[] = "…";
    if (text_w(tm, s, size, flags) <= w)
        return;
    size_t n = strlen(s);
    while (n > 0) {
        do
            n--;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80);
        if (n + sizeof ellipsis > cap)
            continue;
        memcpy(s + n, ellipsis, sizeof ellipsis);
        if (text_w(tm, s, size, flags) <= w)
            return;
    }
    s[0] = '\0';
}

/* ---- geometry ------------------------------------------------------------------------ */

static int px(double design, float scale)
{
    int v = (int)lround(design * scale);
    return v < 1 ? 1 : v;
}

/* Presentation mode enlarges everything by up to 1.5, but on a short
 * screen (a 1280x720 projector) a full 1.5 leaves no room for the lanes,
 * which are what the class came to see: the factor follows the height,
 * 1.2 at 720 points, 1.5 from 900 up. */
static float present_factor(const GvView *v)
{
    float pts = (float)v->height / (v->dpi > 0 ? v->dpi : 1);
    float f = pts / 600.0f;
    return f < 1.2f ? 1.2f : f > 1.5f ? 1.5f : f;
}

/* Thread lanes are never squeezed below this (points): the lane's label
 * must stay legible.  Threads that do not fit are folded instead. */
#define MIN_LANE 17
#define STATS_MAX_THREADS 6
#define STATS_MAX_THREADS_PRESENT 4

static size_t stats_max(const GvView *v)
{
    return v->present ? STATS_MAX_THREADS_PRESENT : STATS_MAX_THREADS;
}

static int stats_lines(const GvModel *m, size_t max)
{
    size_t n = m->stats.nthreads;
    return (int)(n > max ? max + 1 : n) + 2;  /* + header, total */
}

/* The run's one-line description (run_info, below the header's title),
 * split at a " · " into two lines when it is wider than w: a subtitle
 * cut off mid-word while there is room below helps nobody.  Returns the
 * number of lines. */
static void run_info(const GvModel *m, char *buf, size_t len);

static int split_info(const GvTextMetrics *tm, const char *s, int size, int w, char *l1,
                      char *l2, size_t cap)
{
    snprintf(l1, cap, "%s", s);
    l2[0] = '\0';
    if (text_w(tm, l1, size, 0) <= w)
        return 1;
    static const char sep[] = " · ";
    for (const char *cut = strstr(s, sep); cut; cut = strstr(cut + 1, sep)) {
        char head[512];
        snprintf(head, sizeof head, "%.*s", (int)(cut - s), s);
        if (text_w(tm, head, size, 0) > w)
            break;
        snprintf(l1, cap, "%s", head);
        snprintf(l2, cap, "%s", cut + strlen(sep));
    }
    return 2;
}

static int header_height(const GvGeom *g, const GvModel *m, const GvTextMetrics *tm, int width)
{
    char info[512], l1[512], l2[512];
    run_info(m, info, sizeof info);
    int lines = split_info(tm, info, g->font, width - 2 * g->pad, l1, l2, sizeof l1);
    size_t warnings = m->tr->nwarnings < 2 ? m->tr->nwarnings : 2;
    return g->font_big * 14 / 10 + lines * g->line_h + (int)warnings * g->small_line_h;
}

static void add_row(GvGeom *g, GvRowKind kind, int model, size_t index, int *y, int h, int gap)
{
    if (g->nrows == GV_MAX_ROWS)
        return;
    g->rows[g->nrows++] = (GvRow){ kind, model, index, *y, h };
    *y += h + gap;
}

static int legend_item_w(const GvGeom *g, const GvTextMetrics *tm, size_t i)
{
    return g->font + g->pad / 2 + text_w(tm, legend[i].label, g->font_small, 0) + 2 * g->pad;
}

/* The legend wraps: how many lines it takes in a window `width` wide. */
static int legend_lines(const GvGeom *g, const GvTextMetrics *tm, int width)
{
    int lines = 1, x = g->plot_x;
    for (size_t i = 0; i < NLEGEND; i++) {
        int w = legend_item_w(g, tm, i);
        if (x + w > width - g->pad && x > g->plot_x)
            lines++, x = g->plot_x;
        x += w;
    }
    return lines;
}

/* ---- which lanes ---------------------------------------------------------------------
 *
 * Every thread gets a lane when all fit at a legible height.  When they
 * do not, a picture that cannot scroll must still show the threads the
 * run is about.  So the lanes go to the threads that spent the most time
 * waiting for or holding the GIL in the visible range -- the longest
 * waiters, and the threads they wait for -- kept in tid order, and one
 * row below them folds the rest and names them ("9 threads folded ...:
 * T1–T8, T13"): threads that sleep, finished, or never touched the GIL
 * here.  Up/Down (lane_scroll > 0) shows all the lanes in tid order
 * instead, a window at a time. */

typedef struct {
    int64_t busy;           /* ns waiting for or holding the GIL in view */
    size_t lane;
} LaneRank;

static int by_busy(const void *a, const void *b)
{
    const LaneRank *x = a, *y = b;
    if (x->busy != y->busy)
        return x->busy < y->busy ? 1 : -1;
    return x->lane < y->lane ? -1 : x->lane > y->lane;
}

static int64_t gil_busy(const GvLane *l, int64_t a, int64_t b)
{
    if (b <= a || !l->n)
        return 0;
    int64_t ca[GV_ST_COUNT], cb[GV_ST_COUNT];
    gv_lane_cover(l, a, ca);
    gv_lane_cover(l, b, cb);
    return cb[GV_ST_HAS_GIL] - ca[GV_ST_HAS_GIL] + cb[GV_ST_WAITING] - ca[GV_ST_WAITING];
}

/* shown[i]: does lane i of model k get a row, when `show` of them fit? */
static void pick_lanes(const GvScene *sc, const GvView *v, int k, size_t show, bool *shown)
{
    const GvModel *m = sc->m[k];
    if (v->lane_scroll > 0) {       /* scrolled: a window in tid order */
        size_t first = (size_t)v->lane_scroll;
        first = first + show > m->nlanes ? m->nlanes - show : first;
        for (size_t i = 0; i < m->nlanes; i++)
            shown[i] = i >= first && i < first + show;
        return;
    }
    LaneRank *rank = malloc(m->nlanes * sizeof *rank);
    int64_t end = gv_clip_time(sc, v, k) < v->t1 ? gv_clip_time(sc, v, k) : v->t1;
    for (size_t i = 0; i < m->nlanes; i++) {
        shown[i] = rank ? false : i < show;     /* no memory: the first ones */
        if (rank)
            rank[i] = (LaneRank){ gil_busy(&m->lanes[i], v->t0, end), i };
    }
    if (!rank)
        return;
    qsort(rank, m->nlanes, sizeof *rank, by_busy);
    for (size_t i = 0; i < show; i++)
        shown[rank[i].lane] = true;
    free(rank);
}

/* How tall a thread lane is, and how many thread rows fit in `avail`
 * pixels once the GIL, checks and object rows are in.  `want` is what
 * all rows take at the natural height. */
typedef struct {
    int lane_h, small_h, gap, fit;
} LaneSizes;

static LaneSizes lane_sizes(const GvScene *sc, const GvView *v, float s, int avail)
{
    LaneSizes z = { px(22, s), px(16, s), px(3, s), 0 };
    int want = 0, extra_rows = 0, nthreads = 0;
    for (int k = 0; k < sc->n; k++) {
        extra_rows += (sc->m[k]->nchecks ? 1 : 0) + (int)sc->m[k]->npicked;
        nthreads += (int)sc->m[k]->nlanes;
    }
    if (v->lane_height > 0) {       /* the user's choice, as it is */
        z.lane_h = px(v->lane_height, s);
    } else {
        want = (sc->n + nthreads) * (z.lane_h + z.gap) + extra_rows * (z.small_h + z.gap);
        double f = want > 0 ? (double)avail / want : 1;
        int min_h = px(MIN_LANE, s);
        f = f > 2 ? 2 : f;          /* few lanes: grow them, up to twice */
        z.small_h = (int)(z.small_h * (f > 1.5 ? 1.5 : f));
        z.small_h = z.small_h < px(8, s) ? px(8, s) : z.small_h;
        z.lane_h = (int)(z.lane_h * f) < min_h ? min_h : (int)(z.lane_h * f);
    }
    int room = avail - sc->n * (z.lane_h + z.gap) - extra_rows * (z.small_h + z.gap);
    z.fit = room / (z.lane_h + z.gap);
    z.fit = z.fit < 0 ? 0 : z.fit;
    return z;
}

/* Model k's rows from *y: the GIL, its thread lanes (the folded row
 * after them when some do not fit), checks, objects.  `share` is how many
 * thread rows it may have. */
static void model_rows(const GvScene *sc, const GvView *v, GvGeom *g, int k, int share,
                       const LaneSizes *z, int *y)
{
    const GvModel *m = sc->m[k];
    size_t n = m->nlanes, show = n;
    if ((int)n > share)     /* one row goes to the folded ones */
        show = share > 1 ? (size_t)share - 1 : 1;
    bool *shown = calloc(n ? n : 1, sizeof *shown);
    if (shown)
        pick_lanes(sc, v, k, show, shown);
    add_row(g, GV_ROW_GIL, k, 0, y, z->lane_h, z->gap);
    for (size_t i = 0; i < n; i++)
        if (shown ? shown[i] : i < show)
            add_row(g, GV_ROW_THREAD, k, i, y, z->lane_h, z->gap);
    free(shown);
    g->hidden[k] = (int)(n - show);
    if (show < n)
        add_row(g, GV_ROW_FOLDED, k, 0, y, z->lane_h, z->gap);
    if (m->nchecks)
        add_row(g, GV_ROW_CHECKS, k, 0, y, z->small_h, z->gap);
    for (size_t i = 0; i < m->npicked; i++)
        add_row(g, GV_ROW_OBJ, k, i, y, z->small_h, z->gap);
}

/* How many of the `fit` thread rows each model gets: in proportion to
 * its threads, and what one model cannot use goes to the other (rounding
 * down both would waste a row a folded thread could have had). */
static void thread_shares(const GvScene *sc, int fit, int share[2])
{
    int n[2] = { (int)sc->m[0]->nlanes, sc->n > 1 ? (int)sc->m[1]->nlanes : 0 };
    if (n[0] + n[1] <= fit || sc->n == 1) {
        share[0] = sc->n == 1 && n[0] > fit ? fit : n[0];
        share[1] = n[1];
        return;
    }
    share[0] = (int)((long)fit * n[0] / (n[0] + n[1]));
    share[1] = fit - share[0];
    for (int k = 0; k < 2; k++)
        if (share[k] > n[k]) {
            share[1 - k] += share[k] - n[k];
            share[k] = n[k];
        }
}

void gv_layout_geom(const GvScene *sc, const GvView *v, const GvTextMetrics *tm, GvGeom *g)
{
    memset(g, 0, sizeof *g);
    float s = v->dpi * (v->present ? present_factor(v) : 1.0f);
    g->scale = s;
    g->font = px(14, s), g->font_small = px(12, s), g->font_big = px(17, s);
    g->line_h = g->font * 14 / 10, g->small_line_h = g->font_small * 135 / 100;
    g->pad = px(8, s);

    int label_w = text_w(tm, "T00 MainThread", g->font_small, 0) + 3 * g->pad;
    if (label_w > v->width / 4)
        label_w = v->width / 4;
    g->plot_x = label_w;
    g->plot_w = v->width - label_w - g->pad;
    if (g->plot_w < 10)
        g->plot_w = 10;

    /* Everything but the lanes has a fixed height; the lanes share the rest. */
    int stats_h = 0, fixed = 3 * g->pad;
    for (int k = 0; k < sc->n; k++) {
        g->header_h[k] = header_height(g, sc->m[k], tm, v->width);
        int sh = stats_lines(sc->m[k], stats_max(v)) * g->small_line_h + g->pad;
        stats_h = sh > stats_h ? sh : stats_h;
        fixed += g->header_h[k] + g->pad;
    }
    g->axis_h = g->line_h + px(6, s);
    g->caption_h = g->line_h * sc->n;
    g->stats_h = stats_h;
    g->legend_h = legend_lines(g, tm, v->width) * g->line_h;
    int status_h = v->still ? 0 : g->line_h;
    fixed += g->axis_h + g->legend_h + g->caption_h + stats_h + status_h;

    LaneSizes z = lane_sizes(sc, v, s, v->height - fixed);
    int fit = z.fit, share[2];
    if (fit > GV_MAX_ROWS - 8 * sc->n)
        fit = GV_MAX_ROWS - 8 * sc->n;
    thread_shares(sc, fit, share);

    int y = g->pad;
    for (int k = 0; k < sc->n; k++) {
        g->header_y[k] = y;
        y += g->header_h[k];
        if (k == 0) {
            g->axis_y = y;
            y += g->axis_h;
            g->rows_y0 = y;
        }
        model_rows(sc, v, g, k, share[k], &z, &y);
        g->rows_y1 = y - z.gap;
        y += g->pad;
        if (k + 1 < sc->n)
            y += g->pad;
    }
    g->legend_y = y;
    g->caption_y = y + g->legend_h;
    g->stats_y = g->caption_y + g->caption_h + g->pad / 2;
    g->status_y = v->height - status_h;
}

double gv_time_x(const GvView *v, const GvGeom *g, int64_t t)
{
    return g->plot_x + (double)(t - v->t0) * g->plot_w / (double)(v->t1 - v->t0);
}

int64_t gv_x_time(const GvView *v, const GvGeom *g, double x)
{
    return v->t0 + (int64_t)llround((x - g->plot_x) * (double)(v->t1 - v->t0) / g->plot_w);
}

int64_t gv_clip_time(const GvScene *sc, const GvView *v, int k)
{
    int64_t end = sc->m[k]->t_end;
    return v->playhead < end ? v->playhead : end;
}

/* ---- the drawing context ----------------------------------------------------------- */

/* A rectangle, or a run of columns to label (x, w; y = the state). */
typedef struct {
    int x, y, w, h;
} Box;

typedef struct {
    Box *box;
    size_t n, cap;
} Boxes;

/* A lane's rectangles are held back and drawn colour by colour when the
 * lane is done: neighbouring columns alternate colours, and SDL draws one
 * call with many rectangles far faster than many calls with one. */
typedef struct {
    Boxes lane[GV_ST_COUNT];    /* a thread lane's rectangles, by state */
    Boxes gil;                  /* its share of the GIL lane */
    Boxes labels, gil_labels;   /* runs wide enough to be labelled */
} Pending;

typedef struct {
    const GvScene *sc;
    const GvView *v;
    const GvGeom *g;
    const GvTextMetrics *tm;
    GvCmdList *out;
    double nspp;            /* ns per pixel column */
    int64_t *gacc;          /* per column: GIL time of the lanes stacked so far */
    double *scratch;        /* per column, for the checks */
    Pending pend;
} Ctx;

static void push_box(Ctx *c, Boxes *b, int x, int y, int w, int h)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        Box *p = realloc(b->box, cap * sizeof *p);
        if (!p) {
            c->out->oom = true;
            return;
        }
        b->box = p;
        b->cap = cap;
    }
    b->box[b->n++] = (Box){ x, y, w, h };
}

static void free_pending(Pending *p)
{
    for (int s = 0; s < GV_ST_COUNT; s++)
        free(p->lane[s].box);
    free(p->gil.box);
    free(p->labels.box);
    free(p->gil_labels.box);
}

/* Where column px of the plot starts, in ns. */
static int64_t col_t(const Ctx *c, int px)
{
    return c->v->t0 + (int64_t)llround(px * c->nspp);
}

static double tx(const Ctx *c, int64_t t)
{
    return gv_time_x(c->v, c->g, t);
}

static int row_of_lane(const GvGeom *g, int model, size_t lane)
{
    for (int r = 0; r < g->nrows; r++)
        if (g->rows[r].model == model && g->rows[r].kind == GV_ROW_THREAD &&
            g->rows[r].index == lane)
            return r;
    return -1;
}

static int gil_row(const GvGeom *g, int model)
{
    for (int r = 0; r < g->nrows; r++)
        if (g->rows[r].model == model && g->rows[r].kind == GV_ROW_GIL)
            return r;
    return -1;
}

static void text(Ctx *c, int x, int y, int size, int flags, GvColor col, const char *s)
{
    gv_text(c->out, x, y, size, flags, col, s);
}

/* ---- header ------------------------------------------------------------------------- */

/* The run's command line from meta: the script and its arguments. */
static void run_title(const GvModel *m, char *buf, size_t len)
{
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(m->tr->meta, "argv");
    size_t n = (size_t)snprintf(buf, len, "%s", m->tr->script[0] ? m->tr->script : m->tr->name);
    const cJSON *a;
    int i = 0;
    cJSON_ArrayForEach(a, argv) {
        if (i++ == 0 || !cJSON_IsString(a) || n >= len)
            continue;
        n += (size_t)snprintf(buf + n, len - n, " %s", a->valuestring);
    }
}

static void run_info(const GvModel *m, char *buf, size_t len)
{
    const cJSON *meta = m->tr->meta;
    const cJSON *clock = cJSON_GetObjectItemCaseSensitive(meta, "clock");
    char policy[96], dur[32];
    /* The policy's one setting, from its row in policies.h. */
    int id = gs_policy_find(m->tr->policy);
    const GsPolicyInfo *pi = id < 0 ? NULL : gs_policy_info(id);
    const cJSON *knob = pi && pi->knob ? cJSON_GetObjectItemCaseSensitive(meta, pi->knob) : NULL;
    if (pi && pi->unit == GS_KNOB_TICKS && cJSON_IsNumber(knob))
        snprintf(policy, sizeof policy, "%s policy: a release every %d ticks", pi->name,
                 knob->valueint);
    else if (pi && pi->unit == GS_KNOB_SECONDS && cJSON_IsNumber(knob)) {
        gv_fmt_dur(dur, sizeof dur, (int64_t)llround(knob->valuedouble * 1e9));
        snprintf(policy, sizeof policy, "%s policy: switch interval %s", pi->name, dur);
    } else
        snprintf(policy, sizeof policy, "%s policy", m->tr->policy[0] ? m->tr->policy : "unknown");
    gv_fmt_dur(dur, sizeof dur, m->t_end - m->t_start);
    snprintf(buf, len, "CPython %s · %s · %s clock · %zu thread%s · %s · %zu events",
             m->tr->cpython[0] ? m->tr->cpython : "?", policy,
             cJSON_IsString(clock) ? clock->valuestring : "?", m->nlanes,
             m->nlanes == 1 ? "" : "s", dur, m->nevents);
}

static void draw_header(Ctx *c, int k)
{
    const GvModel *m = c->sc->m[k];
    const GvGeom *g = c->g;
    char buf[512], title[400];
    int y = g->header_y[k], w = c->v->width - 2 * g->pad;
    gv_cmds_tag(c->out, GV_TAG_HEADER, -1, k);
    run_title(m, title, sizeof title);
    snprintf(buf, sizeof buf, "%s%s", c->sc->n > 1 ? (k ? "B  " : "A  ") : "", title);
    fit_text(c->tm, buf, sizeof buf, g->font_big, GV_TEXT_BOLD, w);
    text(c, g->pad, y, g->font_big, GV_TEXT_BOLD, C_TEXT, buf);
    y += g->font_big * 14 / 10;
    char l1[512], l2[512];
    run_info(m, buf, sizeof buf);
    int lines = split_info(c->tm, buf, g->font, w, l1, l2, sizeof l1);
    for (int i = 0; i < lines; i++) {
        char *line = i ? l2 : l1;
        fit_text(c->tm, line, sizeof l1, g->font, 0, w);
        text(c, g->pad, y, g->font, 0, C_DIM, line);
        y += g->line_h;
    }
    for (size_t i = 0; i < m->tr->nwarnings && i < 2; i++) {
        snprintf(buf, sizeof buf, "⚠ %s", m->tr->warnings[i]);
        fit_text(c->tm, buf, sizeof buf, g->font_small, 0, w);
        text(c, g->pad, y, g->font_small, 0, OI_VERMILLION, buf);
        y += g->small_line_h;
    }
}

/* ---- axis and grid ---------------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void draw_axis(Ctx *c)
{
    const GvGeom *g = c->g;
    const GvView *v = c->v;
    int64_t step = gv_axis_step(v->t1 - v->t0, g->plot_w, px(120, g->scale));
    gv_cmds_tag(c->out, GV_TAG_AXIS, -1, 0);
    gv_rect(c->out, g->plot_x, g->axis_y, g->plot_w, g->axis_h, C_PANEL);
    int base = g->axis_y + g->axis_h - 1;
    gv_rect(c->out, g->plot_x, base, g->plot_w, 1, C_BORDER);
    for (int64_t t = floor_div(v->t0, step) * step; t <= v->t1; t += step) {
        int x = (int)lround(tx(c, t));
        if (x < g->plot_x || x >= g->plot_x + g->plot_w)
            continue;
        char label[48];
        gv_fmt_axis(label, sizeof label, t, step);
        int w = text_w(c->tm, label, g->font_small, 0);
        gv_cmds_tag(c->out, GV_TAG_GRID, -1, 0);
        gv_rect(c->out, x, g->rows_y0, 1, g->rows_y1 - g->rows_y0, C_GRID);
        gv_cmds_tag(c->out, GV_TAG_AXIS, -1, 0);
        gv_rect(c->out, x, base - px(5, g->scale), 1, px(5, g->scale), C_TEXT);
        int lx = x - w / 2 < g->plot_x ? g->plot_x : x - w / 2;
        text(c, lx, g->axis_y + px(3, g->scale), g->font_small, 0, C_TEXT, label);
    }
}

/* ---- lanes, folded per pixel column --------------------------------------------------------
 *
 * fold_lane() walks the columns a lane has data in.  For each it asks the
 * model how long the thread spent in each state there, turns the shares
 * into pixel heights, and merges equal columns into runs; a run is drawn
 * as one rectangle per state.  The same pass stacks the thread's has-GIL
 * share onto the GIL lane (gacc holds what the lanes before it put in
 * each column), so the GIL lane costs nothing extra. */

typedef struct {
    int x0, w;              /* columns [x0, x0 + w) of the plot; w = 0: no run */
    uint16_t h[GV_ST_COUNT];
} LaneRun;

typedef struct {
    int x0, w;
    int lo, hi;             /* pixels from the bottom of the GIL lane */
} GilRun;

/* A column's shares d[] of dt ns as pixel heights of an h-pixel lane. */
static void column_heights(const int64_t d[GV_ST_COUNT], int64_t dt, int h,
                           uint16_t out[GV_ST_COUNT])
{
    double acc = 0;
    int below = 0;
    memset(out, 0, GV_ST_COUNT * sizeof *out);
    for (size_t k = 0; k < NSTACK; k++) {
        acc += (double)d[stack_order[k]];
        int top = (int)lround(acc / (double)dt * h);
        top = top > h ? h : top;
        out[stack_order[k]] = (uint16_t)(top > below ? top - below : 0);
        below = top > below ? top : below;
    }
}

/* A label inside a run that one state fills: "waiting 5.00 ms". */
/* Keep a run's label clear of the marks drawn over the run (a failed
 * wake-up and its "×2" at a span's start would read "×2nished"): the
 * label goes beside the first such mark, on the side with more room. */
static Box label_room(const Ctx *c, const GvLane *l, const Box *r)
{
    Box b = *r;
    int reserve = 5 * c->g->font_small;     /* a marker and its count */
    for (int kind = GV_MARK_RETRY; kind <= GV_MARK_DROP; kind++) {
        /* a mark just before the run counts too: its count reaches in */
        size_t j = gv_mark_lower(l, kind, col_t(c, b.x - reserve));
        if (j >= l->marks[kind].n || l->t[l->marks[kind].idx[j]] >= col_t(c, b.x + b.w))
            continue;
        int xm = (int)lround(tx(c, l->t[l->marks[kind].idx[j]])) - c->g->plot_x;
        if (xm - b.x < b.x + b.w - xm) {    /* room on the right */
            int right = b.x + b.w;
            b.x = xm + reserve < right ? xm + reserve : right;
            b.w = right - b.x;
        } else {
            b.w = xm - reserve / 2 - b.x > 0 ? xm - reserve / 2 - b.x : 0;
        }
    }
    return b;
}

static void label_run(Ctx *c, int k, const GvLane *l, const GvRow *row, const Box *run,
                      GvState st)
{
    int minw = 4 * c->g->font_small;
    if (run->w < minw || st == GV_ST_NONE)
        return;
    Box room = label_room(c, l, run);
    const Box *r = &room;
    int64_t from, to, mid = col_t(c, run->x + run->w / 2);
    if (gv_lane_state_at(l, mid, &from, &to) != st)
        return;
    int64_t clip = gv_clip_time(c->sc, c->v, k);
    char dur[32], label[64];
    gv_fmt_dur(dur, sizeof dur, (to > clip ? clip : to) - from);
    snprintf(label, sizeof label, "%s %s", short_names[st], dur);
    int size = c->g->font_small, w = text_w(c->tm, label, size, 0);
    if (w > r->w - 6) {
        snprintf(label, sizeof label, "%s", short_names[st]);
        w = text_w(c->tm, label, size, 0);
        if (w > r->w - 6)
            return;
    }
    int x = c->g->plot_x + r->x + (r->w - w) / 2;
    int y = row->y + (row->h - size * 12 / 10) / 2;
    if (row->h < size)
        return;
    gv_cmds_tag(c->out, GV_TAG_LANE_TEXT, (int)(row - c->g->rows), st);
    text(c, x, y, size, 0, ink_on(gv_state_color(st)), label);
}

static void flush_lane_run(Ctx *c, int rowi, LaneRun *r)
{
    if (!r->w || rowi < 0)
        return;
    const GvRow *row = &c->g->rows[rowi];
    int x = c->g->plot_x + r->x0, y = row->y + row->h;
    for (size_t i = 0; i < NSTACK; i++) {
        GvState st = stack_order[i];
        if (!r->h[st])
            continue;
        y -= r->h[st];
        push_box(c, &c->pend.lane[st], x, y, r->w, r->h[st]);
        if (r->h[st] == row->h)
            push_box(c, &c->pend.labels, r->x0, st, r->w, 0);
    }
    r->w = 0;
}

/* Who holds the GIL, written inside a full-height run when it fits:
 * colours alone would leave the reader matching swatches. */
static void label_gil_run(Ctx *c, const GvLane *l, const GvRow *row, const Box *r,
                          size_t lane)
{
    char label[96];
    int size = c->g->font_small;
    if (row->h < size)
        return;
    gv_thread_label(label, sizeof label, l->tid, l->name);
    if (text_w(c->tm, label, size, GV_TEXT_BOLD) > r->w - 6)
        snprintf(label, sizeof label, "T%d", l->tid);
    int w = text_w(c->tm, label, size, GV_TEXT_BOLD);
    if (w > r->w - 6)
        return;
    GvColor bg = gv_thread_color(lane);
    gv_text(c->out, c->g->plot_x + r->x + (r->w - w) / 2, row->y + (row->h - size * 12 / 10) / 2,
            size, GV_TEXT_BOLD, ink_on(bg), label);
}

static void flush_gil_run(Ctx *c, int gil_rowi, GilRun *r)
{
    if (!r->w || gil_rowi < 0)
        return;
    const GvRow *row = &c->g->rows[gil_rowi];
    if (r->hi > r->lo) {
        push_box(c, &c->pend.gil, c->g->plot_x + r->x0, row->y + row->h - r->hi, r->w,
                 r->hi - r->lo);
    }
    r->w = 0;
}

/* Draw what a lane held back: rectangles state by state, then labels. */
static void flush_pending(Ctx *c, int k, size_t li, int rowi, int gil_rowi)
{
    const GvLane *l = &c->sc->m[k]->lanes[li];
    Pending *p = &c->pend;
    for (size_t i = 0; i < NSTACK; i++) {
        GvState st = stack_order[i];
        gv_cmds_tag(c->out, GV_TAG_LANE, rowi, st);
        for (size_t j = 0; j < p->lane[st].n; j++) {
            const Box *b = &p->lane[st].box[j];
            gv_rect(c->out, b->x, b->y, b->w, b->h, gv_state_color(st));
        }
        p->lane[st].n = 0;
    }
    gv_cmds_tag(c->out, GV_TAG_GIL, gil_rowi, (int)li);
    for (size_t j = 0; j < p->gil.n; j++)
        gv_rect(c->out, p->gil.box[j].x, p->gil.box[j].y, p->gil.box[j].w, p->gil.box[j].h,
                gv_thread_color(li));
    for (size_t j = 0; j < p->gil_labels.n; j++)
        label_gil_run(c, l, &c->g->rows[gil_rowi], &p->gil_labels.box[j], li);
    for (size_t j = 0; j < p->labels.n; j++)
        label_run(c, k, l, &c->g->rows[rowi], &p->labels.box[j], p->labels.box[j].y);
    p->gil.n = p->gil_labels.n = p->labels.n = 0;
}

static void extend_lane_run(Ctx *c, int rowi, LaneRun *r, int px, const uint16_t h[GV_ST_COUNT])
{
    if (r->w && r->x0 + r->w == px && memcmp(r->h, h, sizeof r->h) == 0) {
        r->w++;
        return;
    }
    flush_lane_run(c, rowi, r);
    bool empty = true;
    for (int s = 0; s < GV_ST_COUNT; s++)
        empty &= h[s] == 0;
    if (!empty) {
        *r = (LaneRun){ px, 1, { 0 } };
        memcpy(r->h, h, sizeof r->h);
    }
}

static void extend_gil_run(Ctx *c, int gil_rowi, GilRun *r, int px, int lo, int hi)
{
    if (r->w && r->x0 + r->w == px && r->lo == lo && r->hi == hi) {
        r->w++;
        return;
    }
    flush_gil_run(c, gil_rowi, r);
    if (hi > lo)
        *r = (GilRun){ px, 1, lo, hi };
}

/* The columns [*a, *b) where a lane has something to draw. */
static bool lane_columns(const Ctx *c, const GvLane *l, int64_t clip, int *a, int *b)
{
    if (!l->n || clip <= c->v->t0 || l->t[0] >= c->v->t1 || l->t[0] > clip)
        return false;
    double xa = floor((double)(l->t[0] - c->v->t0) / c->nspp);
    double xb = ceil((double)(clip - c->v->t0) / c->nspp);
    *a = xa < 0 ? 0 : (int)xa;
    *b = xb > c->g->plot_w ? c->g->plot_w : (int)xb;
    return *a < *b;
}

static void fold_lane(Ctx *c, int k, size_t li, int rowi, int gil_rowi)
{
    const GvModel *m = c->sc->m[k];
    const GvLane *l = &m->lanes[li];
    int64_t clip = gv_clip_time(c->sc, c->v, k);
    int a, b;
    if (!lane_columns(c, l, clip, &a, &b))
        return;
    int64_t prev[GV_ST_COUNT], cur[GV_ST_COUNT], d[GV_ST_COUNT];
    int64_t ta = col_t(c, a);
    gv_lane_cover(l, ta < clip ? ta : clip, prev);
    if (rowi < 0) {     /* only the GIL lane wants it: skip a thread that never held it here */
        gv_lane_cover(l, col_t(c, b) < clip ? col_t(c, b) : clip, cur);
        if (cur[GV_ST_HAS_GIL] == prev[GV_ST_HAS_GIL] && c->nspp >= 1)
            return;
    }
    int lane_h = rowi >= 0 ? c->g->rows[rowi].h : 0;
    int gil_h = gil_rowi >= 0 ? c->g->rows[gil_rowi].h : 0;
    LaneRun run = { 0 };
    GilRun grun = { 0 };
    /* The GIL lane names the holder over each stretch where it held the
     * GIL at least half of every column: one name for a holder whose turns
     * are interrupted by another's slivers (the I/O thread's short ones). */
    int named = -1;
    for (int x = a; x < b; x++) {
        int64_t tb = col_t(c, x + 1), te = tb < clip ? tb : clip, dt = tb - ta;
        uint16_t h[GV_ST_COUNT] = { 0 };
        int glo = 0, ghi = 0;
        if (dt <= 0) {      /* zoomed past a nanosecond a column: the state at ta */
            int64_t from, to;
            GvState st = ta < clip ? gv_lane_state_at(l, ta, &from, &to) : GV_ST_NONE;
            h[st] = st == GV_ST_NONE ? 0 : (uint16_t)lane_h;
            ghi = st == GV_ST_HAS_GIL ? gil_h : 0;
        } else {
            gv_lane_cover(l, te, cur);
            for (int s = 0; s < GV_ST_COUNT; s++)
                d[s] = cur[s] - prev[s];
            memcpy(prev, cur, sizeof prev);
            column_heights(d, dt, lane_h, h);
            glo = (int)lround((double)c->gacc[x] / dt * gil_h);
            c->gacc[x] += d[GV_ST_HAS_GIL];
            ghi = (int)lround((double)c->gacc[x] / dt * gil_h);
            ghi = ghi > gil_h ? gil_h : ghi;
        }
        ta = tb;
        if (rowi >= 0)
            extend_lane_run(c, rowi, &run, x, h);
        if (gil_rowi >= 0)
            extend_gil_run(c, gil_rowi, &grun, x, glo, ghi);
        bool most = gil_h > 0 && 2 * (ghi - glo) >= gil_h;
        if (most && named < 0)
            named = x;
        else if (!most && named >= 0) {
            push_box(c, &c->pend.gil_labels, named, 0, x - named, 0);
            named = -1;
        }
    }
    if (named >= 0)
        push_box(c, &c->pend.gil_labels, named, 0, b - named, 0);
    flush_lane_run(c, rowi, &run);
    flush_gil_run(c, gil_rowi, &grun);
    flush_pending(c, k, li, rowi, gil_rowi);
}

/* ---- markers on the lanes ---------------------------------------------------------------- */

/* A downward arrowhead with its tip at (x, y). */
static void arrow_down(Ctx *c, int x, int y, int size, GvColor col)
{
    gv_tri(c->out, x - size / 2, y - size, x + size / 2 + 1, y - size, x, y, col);
}

static void arrow_up(Ctx *c, int x, int y, int size, GvColor col)
{
    gv_tri(c->out, x - size / 2, y + size, x + size / 2 + 1, y + size, x, y, col);
}

/* Arrows are read from the back of a lecture hall: never thinner than
 * ARROW_W points, heads never smaller than ARROW_HEAD (both scaled). */
#define ARROW_W 3
#define ARROW_HEAD 11

/* A vertical arrow from row `from` to row `to` at x (the rows' facing edges). */
static void row_arrow(Ctx *c, int x0, const GvRow *from, int x1, const GvRow *to, int width,
                      GvColor col)
{
    int head = px(ARROW_HEAD, c->g->scale);
    if (to->y > from->y) {
        gv_line(c->out, x0, from->y + from->h / 2, x1, to->y - head, width, col);
        arrow_down(c, x1, to->y, head, col);
    } else {
        gv_line(c->out, x0, from->y + from->h / 2, x1, to->y + to->h + head, width, col);
        arrow_up(c, x1, to->y + to->h, head, col);
    }
}

/* MARKS THAT CROWD.  Marks of one kind closer than `gap` pixels would
 * merge into a band (a sawtooth of failed wake-ups under 2.7) that
 * nobody can count.  So a run of such marks -- each within `gap` of the
 * one before -- is one cluster, drawn as one mark at its start, a bar to
 * its end and its count ("×625").  Walking the clusters looks each next
 * mark up by time, so a frame costs the clusters and the gaps between
 * them, not the marks. */
typedef struct {
    size_t i;               /* the first mark's event index in its lane */
    int x, xe;              /* where the first and the last are */
    size_t count;
} Cluster;

typedef void (*MarkFn)(Ctx *c, int k, const GvLane *l, int rowi, const Cluster *cl);

/* A time-sorted series the clusters are walked over: a lane's marks of
 * one kind, or a model's handoffs. */
typedef struct {
    size_t (*lower)(const void *src, int kind, int64_t t);   /* first item at or after t */
    int64_t (*time)(const void *src, int kind, size_t j);
    const void *src;
    int kind;
} Series;

/* The last item of the cluster that starts at item j: each item less
 * than `gap` pixels after the one before it, and before `stop`. */
static size_t cluster_end(const Ctx *c, const Series *s, size_t j, size_t stop, int gap)
{
    size_t last = j;
    for (;;) {
        int xe = (int)lround(tx(c, s->time(s->src, s->kind, last)));
        size_t next = s->lower(s->src, s->kind, gv_x_time(c->v, c->g, xe + gap));
        next = next > stop ? stop : next <= last ? last + 1 : next;
        if (next - 1 == last)
            return last;
        last = next - 1;
    }
}

static size_t mark_lower(const void *src, int kind, int64_t t)
{
    return gv_mark_lower(src, kind, t);
}

static int64_t mark_time(const void *src, int kind, size_t j)
{
    const GvLane *l = src;
    return l->t[l->marks[kind].idx[j]];
}

static void each_mark(Ctx *c, int k, const GvLane *l, int rowi, int kind, int gap, MarkFn fn)
{
    int64_t clip = gv_clip_time(c->sc, c->v, k), end = clip < c->v->t1 ? clip : c->v->t1;
    const GvIdxList *list = &l->marks[kind];
    const Series s = { mark_lower, mark_time, l, kind };
    size_t j = gv_mark_lower(l, kind, c->v->t0), stop = gv_mark_lower(l, kind, end + 1);
    while (j < stop) {
        size_t last = cluster_end(c, &s, j, stop, gap);
        Cluster cl = { list->idx[j], (int)lround(tx(c, mark_time(l, kind, j))),
                       (int)lround(tx(c, mark_time(l, kind, last))), last + 1 - j };
        fn(c, k, l, rowi, &cl);
        j = last + 1;
    }
}

/* A cluster's count, "×625", on a white box at (x, y) (its top left). */
static void cluster_count(Ctx *c, const Cluster *cl, int x, int y, GvColor col)
{
    char label[32];
    int size = c->g->font_small;
    snprintf(label, sizeof label, "×%zu", cl->count);
    int w = text_w(c->tm, label, size, GV_TEXT_BOLD), h = size * 12 / 10;
    gv_rect(c->out, x, y, w + 4, h, with_alpha(C_BG, 230));
    text(c, x + 2, y, size, GV_TEXT_BOLD, col, label);
}

/* A cluster's extent: a bar of the mark's colour from its first to its last. */
static void cluster_bar(Ctx *c, const Cluster *cl, int y, GvColor col)
{
    if (cl->count > 1 && cl->xe > cl->x)
        gv_rect(c->out, cl->x, y, cl->xe - cl->x + 1, px(3, c->g->scale), col);
}

static void mark_retry(Ctx *c, int k, const GvLane *l, int rowi, const Cluster *cl)
{
    /* Beazley's colours for a failed wake-up: yellow, edged in red. */
    const GvRow *row = &c->g->rows[rowi];
    int s = px(12, c->g->scale), e = px(2, c->g->scale), x = cl->x;
    (void)k, (void)l;
    gv_cmds_tag(c->out, GV_TAG_MARK, rowi, GV_MARK_RETRY);
    cluster_bar(c, cl, row->y, OI_VERMILLION);
    gv_tri(c->out, x - s / 2 - e, row->y - 1, x + s / 2 + e, row->y - 1, x, row->y + s + e,
           OI_VERMILLION);
    gv_tri(c->out, x - s / 2 + e / 2, row->y, x + s / 2 - e / 2, row->y, x, row->y + s - e,
           OI_YELLOW);
    if (cl->count > 1)
        cluster_count(c, cl, x + s / 2 + e + 1, row->y, OI_VERMILLION);
}

static void mark_drop(Ctx *c, int k, const GvLane *l, int rowi, const Cluster *cl)
{
    const GvLane *holder = gv_model_lane(c->sc->m[k], l->arg[cl->i]);
    int hrow = holder ? row_of_lane(c->g, k, (size_t)(holder - c->sc->m[k]->lanes)) : -1;
    const GvRow *row = &c->g->rows[rowi];
    int w = px(ARROW_W, c->g->scale), head = px(ARROW_HEAD, c->g->scale), x = cl->x;
    gv_cmds_tag(c->out, GV_TAG_DROP, rowi, hrow);
    cluster_bar(c, cl, row->y + row->h / 2 - w / 2, OI_VERMILLION);
    if (hrow >= 0 && hrow != rowi)
        row_arrow(c, x, row, x, &c->g->rows[hrow], w, OI_VERMILLION);
    else {  /* the holder's lane is not shown: only a short arrow pointing out */
        gv_line(c->out, x, row->y + row->h / 2, x, row->y + head, w, OI_VERMILLION);
        arrow_up(c, x, row->y, head, OI_VERMILLION);
    }
    if (cl->count > 1)
        cluster_count(c, cl, x + head / 2 + 2, row->y + row->h / 2, OI_VERMILLION);
}

static void mark_print(Ctx *c, int k, const GvLane *l, int rowi, const Cluster *cl)
{
    const GvRow *row = &c->g->rows[rowi];
    int s = px(4, c->g->scale);
    (void)k, (void)l;
    gv_cmds_tag(c->out, GV_TAG_MARK, rowi, GV_MARK_PRINT);
    gv_rect(c->out, cl->x - s / 2, row->y + row->h - s, cl->xe - cl->x + s, s, OI_BLACK);
}

/* A collection: a bar from its gc_start to its gc_end.  (Collections do
 * not overlap in a lane, so a cluster of them is drawn one by one.) */
static void gc_bar(Ctx *c, int k, const GvLane *l, int rowi, size_t i)
{
    const GvRow *row = &c->g->rows[rowi];
    /* Which collection: i is its gc_start's index; find it among the marks. */
    const GvIdxList *list = &l->marks[GV_MARK_GC];
    size_t j = gv_mark_lower(l, GV_MARK_GC, l->t[i]);
    while (j < list->n && list->idx[j] != i)
        j++;
    int64_t end = j < list->n && l->gc_end[j] >= 0 ? l->gc_end[j] : gv_clip_time(c->sc, c->v, k);
    int x = (int)lround(tx(c, l->t[i])), x1 = (int)lround(tx(c, end)), h = px(4, c->g->scale);
    gv_cmds_tag(c->out, GV_TAG_MARK, rowi, GV_MARK_GC);
    gv_rect(c->out, x, row->y, x1 - x < 2 ? 2 : x1 - x, h, OI_BLACK);
    if (x1 - x > 3 * c->g->font_small)
        text(c, x + 2, row->y + h, c->g->font_small, GV_TEXT_BOLD, OI_BLACK, "GC");
}

static void mark_gc(Ctx *c, int k, const GvLane *l, int rowi, const Cluster *cl)
{
    if (cl->count == 1) {
        gc_bar(c, k, l, rowi, cl->i);
        return;
    }
    const GvRow *row = &c->g->rows[rowi];
    gv_cmds_tag(c->out, GV_TAG_MARK, rowi, GV_MARK_GC);
    gv_rect(c->out, cl->x, row->y, cl->xe - cl->x + 2, px(4, c->g->scale), OI_BLACK);
}

static void draw_marks(Ctx *c, int k, size_t li, int rowi)
{
    const GvLane *l = &c->sc->m[k]->lanes[li];
    int gap = px(6, c->g->scale);
    each_mark(c, k, l, rowi, GV_MARK_GC, 2, mark_gc);
    each_mark(c, k, l, rowi, GV_MARK_PRINT, gap, mark_print);
    each_mark(c, k, l, rowi, GV_MARK_DROP, 2 * gap, mark_drop);
    each_mark(c, k, l, rowi, GV_MARK_RETRY, 2 * gap, mark_retry);
}

/* Was the GIL handed over: was the thread that took it waiting for it
 * when the other let go?  (If it asked later, the GIL just lay free.) */
static bool handed_over(const GvModel *m, const GvHandoff *h, int64_t released)
{
    int64_t from, to;
    GvState st = gv_lane_state_at(&m->lanes[h->to], h->t - 1, &from, &to);
    return st == GV_ST_WAITING && from <= released;
}

static size_t handoff_lower(const void *src, int kind, int64_t t)
{
    (void)kind;
    return gv_handoff_lower(src, t);
}

static int64_t handoff_time(const void *src, int kind, size_t j)
{
    (void)kind;
    return ((const GvModel *)src)->handoffs[j].t;
}

/* Handoff j's arrow, if it was one (the taker was waiting) and both
 * lanes are shown. */
static void handoff_arrow(Ctx *c, int k, size_t j)
{
    const GvModel *m = c->sc->m[k];
    const GvHandoff *h = &m->handoffs[j];
    int fr = h->from == GV_NO_LANE ? -1 : row_of_lane(c->g, k, h->from);
    int tr = row_of_lane(c->g, k, h->to);
    int64_t released = fr >= 0 ? gv_handoff_release_t(m, h) : 0;
    if (fr < 0 || tr < 0 || !handed_over(m, h, released))
        return;
    gv_cmds_tag(c->out, GV_TAG_HANDOFF, tr, h->forced);
    row_arrow(c, (int)lround(tx(c, released)), &c->g->rows[fr], (int)lround(tx(c, h->t)),
              &c->g->rows[tr], px(h->forced ? ARROW_W : 2, c->g->scale), OI_BLACK);
}

/* Arrows from the thread that let go of the GIL to the one that took it.
 * Where they crowd (see MARKS THAT CROWD) an arrow could not say which
 * way the GIL went anyway: the cluster becomes a black bar along the
 * bottom of the GIL lane, over the stretch it covers, with the number of
 * times the GIL changed hands there ("2791 handoffs"). */
static void draw_handoffs(Ctx *c, int k)
{
    const GvModel *m = c->sc->m[k];
    const GvGeom *g = c->g;
    int64_t clip = gv_clip_time(c->sc, c->v, k), end = clip < c->v->t1 ? clip : c->v->t1;
    const Series s = { handoff_lower, handoff_time, m, 0 };
    int gap = px(12, g->scale), gr = gil_row(g, k), bar = px(3, g->scale);
    size_t j = gv_handoff_lower(m, c->v->t0), stop = gv_handoff_lower(m, end + 1);
    int free_x = 0;         /* where the last count's label ended: labels must not overlap */
    while (j < stop) {
        size_t last = cluster_end(c, &s, j, stop, gap);
        if (last == j || gr < 0) {
            handoff_arrow(c, k, j);
        } else {
            const GvRow *row = &g->rows[gr];
            int x0 = (int)lround(tx(c, m->handoffs[j].t));
            int x1 = (int)lround(tx(c, m->handoffs[last].t));
            char label[48];
            snprintf(label, sizeof label, "%zu handoffs", last + 1 - j);
            gv_cmds_tag(c->out, GV_TAG_HANDOFF, gr, (int)(last + 1 - j));
            gv_rect(c->out, x0, row->y + row->h - bar, x1 - x0 + 1, bar, OI_BLACK);
            int size = g->font_small, w = text_w(c->tm, label, size, GV_TEXT_BOLD) + 4;
            int ty = row->y + row->h - bar - size * 12 / 10;
            if (row->h >= 2 * size && x0 >= free_x) {
                gv_rect(c->out, x0, ty, w, size * 12 / 10, with_alpha(C_BG, 230));
                text(c, x0 + 2, ty, size, GV_TEXT_BOLD, OI_BLACK, label);
                free_x = x0 + w + g->pad;
            }
        }
        j = last + 1;
    }
}

/* A deadlocked run: from each thread that waits for ever, an arrow to the
 * thread that holds what it waits for, and on its lane what it waits for.
 * A cycle of arrows between the lanes is the picture of the deadlock. */
static void draw_deadlocks(Ctx *c, int k)
{
    const GvModel *m = c->sc->m[k];
    const GvGeom *g = c->g;
    int64_t clip = gv_clip_time(c->sc, c->v, k);
    int step = px(12, g->scale), size = g->font_small;
    for (size_t i = 0; i < m->ndeadlocks; i++) {
        const GvDeadlock *d = &m->deadlocks[i];
        const GvLane *w = gv_model_lane(m, d->tid), *h = gv_model_lane(m, d->holder);
        int wr = w ? row_of_lane(g, k, (size_t)(w - m->lanes)) : -1;
        if (wr < 0 || d->t < c->v->t0 || d->t > c->v->t1 || d->t > clip)
            continue;
        /* The waits are found within microseconds of each other: zoomed
         * out they share a pixel, so each arrow steps left of the next. */
        int x = (int)lround(tx(c, d->t)) - (int)(m->ndeadlocks - 1 - i) * step;
        if (x < g->plot_x + step)
            x = g->plot_x + step;
        int hr = h ? row_of_lane(g, k, (size_t)(h - m->lanes)) : -1;
        const GvRow *row = &g->rows[wr];
        gv_cmds_tag(c->out, GV_TAG_DEADLOCK, wr, hr);
        if (hr >= 0 && hr != wr)
            row_arrow(c, x, row, x, &g->rows[hr], px(3, g->scale), C_DEADLOCK);
        else   /* waits for itself, or for nobody: a square on its own lane */
            gv_rect(c->out, x - step / 3, row->y + row->h / 4, 2 * (step / 3), row->h / 2,
                    C_DEADLOCK);
        char buf[256];
        gv_deadlock_text(m, d, buf, sizeof buf);
        int room = x - step / 2 - g->plot_x - g->pad;
        fit_text(c->tm, buf, sizeof buf, size, GV_TEXT_BOLD, room);
        int tw = text_w(c->tm, buf, size, GV_TEXT_BOLD);
        if (!buf[0] || row->h < size * 8 / 10)
            continue;
        int ty = row->y + (row->h - size * 12 / 10) / 2;
        gv_rect(c->out, x - step / 2 - tw - 2, ty, tw + 4, size * 12 / 10, C_BG);
        text(c, x - step / 2 - tw, ty, size, GV_TEXT_BOLD, C_DEADLOCK, buf);
    }
}

/* ---- checks and reference counts ----------------------------------------------------------- */

static void draw_checks_row(Ctx *c, int k, int rowi)
{
    const GvModel *m = c->sc->m[k];
    const GvRow *row = &c->g->rows[rowi];
    int64_t clip = gv_clip_time(c->sc, c->v, k);
    int w = c->g->plot_w;
    double maxrate = 0, before = gv_checks_before(m, col_t(c, 0));
    for (int x = 0; x < w; x++) {       /* checks per ns in each column */
        int64_t a = col_t(c, x), b = col_t(c, x + 1), e = b < clip ? b : clip;
        double after = e > a ? gv_checks_before(m, e) : before;
        c->scratch[x] = b > a ? (after - before) / (double)(b - a) : 0;
        maxrate = c->scratch[x] > maxrate ? c->scratch[x] : maxrate;
        before = e == b ? after : gv_checks_before(m, b);
    }
    /* Scaled to the busiest column in view, as counters are in Perfetto. */
    int x0 = 0, h0 = 0;
    gv_cmds_tag(c->out, GV_TAG_CHECKS, rowi, 0);
    for (int x = 0; x <= w; x++) {
        int h = x < w && maxrate > 0 ? (int)lround(c->scratch[x] / maxrate * (row->h - 1)) : 0;
        if (x < w && h == h0)
            continue;
        gv_rect(c->out, c->g->plot_x + x0, row->y + row->h - h0, x - x0, h0, C_DIM);
        x0 = x, h0 = h;
    }
    /* The scale under the row's name, when the row is tall enough. */
    char label[64];
    int small = c->g->font_small * 8 / 10 + 1;
    snprintf(label, sizeof label, "max %.3g/µs", maxrate * 1000);
    gv_cmds_tag(c->out, GV_TAG_LABEL, rowi, 0);
    if (row->h >= (c->g->font_small + small) * 12 / 10)
        text(c, c->g->pad, row->y + c->g->font_small * 12 / 10, small, 0, C_DIM, label);
}

static void draw_obj_row(Ctx *c, int k, int rowi)
{
    const GvModel *m = c->sc->m[k];
    const GvRow *row = &c->g->rows[rowi];
    const GvObjLane *ol = &m->picked[row->index];
    const GvObject *o = &m->objs[ol->obj];
    int64_t clip = gv_clip_time(c->sc, c->v, k);
    int64_t end = o->freed ? (o->last_t < clip ? o->last_t : clip) : clip;
    double scale = (double)(row->h - 2) / (o->maxref > 0 ? o->maxref : 1);
    int run_x = 0, run_w = 0, run_lo = 0, run_hi = 0;
    gv_cmds_tag(c->out, GV_TAG_REF, rowi, (int)row->index);
    for (int x = 0; x <= c->g->plot_w; x++) {
        int32_t lo = 0, hi = 0;
        int64_t a = col_t(c, x), b = col_t(c, x + 1);
        bool have = x < c->g->plot_w && a < end &&
                    gv_obj_range(m, ol, a, b < end ? b : end, &lo, &hi);
        int ylo = have ? (int)lround(lo * scale) : -1, yhi = have ? (int)lround(hi * scale) : -1;
        if (run_w && have && x == run_x + run_w && ylo == run_lo && yhi == run_hi) {
            run_w++;
            continue;
        }
        if (run_w)
            gv_rect(c->out, c->g->plot_x + run_x, row->y + row->h - 2 - run_hi, run_w,
                    run_hi - run_lo + 2, OI_BLUE);
        run_x = x, run_w = have ? 1 : 0, run_lo = ylo, run_hi = yhi;
    }
}

/* ---- the rows' labels --------------------------------------------------------------------- */

static void draw_label(Ctx *c, int rowi)
{
    const GvRow *row = &c->g->rows[rowi];
    const GvModel *m = c->sc->m[row->model];
    const GvGeom *g = c->g;
    char buf[128];
    int size = g->font_small, flags = 0, x = g->pad, w = g->plot_x - 2 * g->pad;
    int y = row->y + (row->h - size * 12 / 10) / 2;
    gv_cmds_tag(c->out, GV_TAG_LABEL, rowi, row->kind);
    switch (row->kind) {
    case GV_ROW_GIL:
        snprintf(buf, sizeof buf, "%sGIL", c->sc->n > 1 ? (row->model ? "B " : "A ") : "");
        flags = GV_TEXT_BOLD;
        size = g->font;
        y = row->y + (row->h - size * 12 / 10) / 2;
        break;
    case GV_ROW_THREAD: {
        const GvLane *l = &m->lanes[row->index];
        int sw = size * 7 / 10;
        gv_rect(c->out, x, row->y + (row->h - sw) / 2, sw, sw, gv_thread_color(row->index));
        x += sw + g->pad / 2;
        w -= sw + g->pad / 2;
        gv_thread_label(buf, sizeof buf, l->tid, l->name);
        break;
    }
    case GV_ROW_FOLDED:
        snprintf(buf, sizeof buf, "%d folded", g->hidden[row->model]);
        flags = GV_TEXT_BOLD;
        break;
    case GV_ROW_CHECKS:
        snprintf(buf, sizeof buf, "checks");
        y = row->y;
        break;
    default: {
        const GvObject *o = &m->objs[m->picked[row->index].obj];
        snprintf(buf, sizeof buf, "%s #%lld", gs_trace_str(m->tr, o->type), (long long)o->id);
        break;
    }
    }
    fit_text(c->tm, buf, sizeof buf, size, flags, w);
    if (row->h >= size * 8 / 10)
        text(c, x, y, size, flags, C_TEXT, buf);
}

/* "T1–T8, T13": the folded threads of model k, runs of tids shortened. */
static void folded_names(const Ctx *c, int k, char *buf, size_t len)
{
    const GvModel *m = c->sc->m[k];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m->nlanes && n < len; i++) {
        if (row_of_lane(c->g, k, i) >= 0)
            continue;
        size_t j = i;
        while (j + 1 < m->nlanes && row_of_lane(c->g, k, j + 1) < 0 &&
               m->lanes[j + 1].tid == m->lanes[j].tid + 1)
            j++;
        int w = j > i ? snprintf(buf + n, len - n, "%sT%d–T%d", n ? ", " : "", m->lanes[i].tid,
                                 m->lanes[j].tid)
                      : snprintf(buf + n, len - n, "%sT%d", n ? ", " : "", m->lanes[i].tid);
        n += w > 0 ? (size_t)w : 0;
        i = j;
    }
}

/* The row standing for the lanes that did not fit: it says how many,
 * which, and why these (see "which lanes"). */
static void draw_folded(Ctx *c, int rowi)
{
    const GvRow *row = &c->g->rows[rowi];
    const GvGeom *g = c->g;
    int n = g->hidden[row->model], size = g->font_small;
    char names[256], buf[400];
    folded_names(c, row->model, names, sizeof names);
    if (c->v->lane_scroll > 0)      /* scrolled: a window in tid order, not a choice */
        snprintf(buf, sizeof buf, "%d more thread%s: %s  (Up/Down: scroll; at the top, the "
                 "busiest)", n, n > 1 ? "s" : "", names);
    else
        snprintf(buf, sizeof buf, "%d thread%s folded, %s waited for or held the GIL least "
                 "here: %s%s", n, n > 1 ? "s" : "", n > 1 ? "those that" : "the one that",
                 names, c->v->still ? "" : "  (Down: all lanes)");
    fit_text(c->tm, buf, sizeof buf, size, 0, g->plot_w - 2 * g->pad);
    gv_cmds_tag(c->out, GV_TAG_FOLDED, rowi, n);
    text(c, g->plot_x + g->pad, row->y + (row->h - size * 12 / 10) / 2, size, 0, C_TEXT, buf);
}

static void draw_rows(Ctx *c, int k)
{
    const GvGeom *g = c->g;
    const GvModel *m = c->sc->m[k];
    int gr = gil_row(g, k);
    /* Lanes' backgrounds first, then the grid shows through gaps only. */
    for (int r = 0; r < g->nrows; r++) {
        if (g->rows[r].model != k)
            continue;
        gv_cmds_tag(c->out, GV_TAG_BACKGROUND, r, 0);
        gv_rect(c->out, g->plot_x, g->rows[r].y, g->plot_w, g->rows[r].h, C_LANE);
        draw_label(c, r);
    }
    memset(c->gacc, 0, (size_t)g->plot_w * sizeof *c->gacc);
    for (size_t li = 0; li < m->nlanes; li++)
        fold_lane(c, k, li, row_of_lane(g, k, li), gr);
    draw_handoffs(c, k);    /* under the marks: a mark's count must stay legible */
    for (int r = 0; r < g->nrows; r++) {
        if (g->rows[r].model != k)
            continue;
        if (g->rows[r].kind == GV_ROW_THREAD)
            draw_marks(c, k, g->rows[r].index, r);
        else if (g->rows[r].kind == GV_ROW_FOLDED)
            draw_folded(c, r);
        else if (g->rows[r].kind == GV_ROW_CHECKS)
            draw_checks_row(c, k, r);
        else if (g->rows[r].kind == GV_ROW_OBJ)
            draw_obj_row(c, k, r);
    }
    draw_deadlocks(c, k);
}

/* ---- legend, caption, stats, status ------------------------------------------------------- */

/* One legend item's symbol, in a box of s pixels at (x, y) (its middle). */
static void legend_symbol(Ctx *c, LegendKind kind, GvState st, int x, int y, int s)
{
    switch (kind) {
    case LEG_HOLDER:        /* two holders side by side, as the GIL lane shows them */
        gv_rect(c->out, x, y - s / 2, s / 2, s, gv_thread_color(0));
        gv_rect(c->out, x + s / 2, y - s / 2, s - s / 2, s, gv_thread_color(1));
        break;
    case LEG_STATE:
        gv_rect(c->out, x, y - s / 2, s, s, gv_state_color(st));
        break;
    case LEG_RETRY:
        gv_tri(c->out, x - 1, y - s / 2 - 1, x + s + 1, y - s / 2 - 1, x + s / 2, y + s / 2 + 1,
               OI_VERMILLION);
        gv_tri(c->out, x + 1, y - s / 2, x + s - 1, y - s / 2, x + s / 2, y + s / 2 - 1, OI_YELLOW);
        break;
    case LEG_DROP:
    case LEG_HANDOFF: {
        GvColor col = kind == LEG_DROP ? OI_VERMILLION : OI_BLACK;
        gv_line(c->out, x + s / 2, y - s / 2, x + s / 2, y + s / 2 - 3, 2, col);
        arrow_down(c, x + s / 2, y + s / 2, s / 2, col);
        break;
    }
    default:
        gv_rect(c->out, x, y - 2, s, 4, OI_BLACK);
    }
}

static void draw_legend(Ctx *c)
{
    const GvGeom *g = c->g;
    int x = g->plot_x, y = g->legend_y;
    gv_cmds_tag(c->out, GV_TAG_LEGEND, -1, 0);
    for (size_t i = 0; i < NLEGEND; i++) {
        int w = legend_item_w(g, c->tm, i), s = g->font * 8 / 10;
        if (x + w > c->v->width - g->pad && x > g->plot_x)     /* wrap, as legend_lines() */
            x = g->plot_x, y += g->line_h;
        legend_symbol(c, legend[i].kind, legend[i].st, x, y + g->line_h / 2, s);
        text(c, x + g->font + g->pad / 2, y + (g->line_h - g->font_small * 12 / 10) / 2,
             g->font_small, 0, C_TEXT, legend[i].label);
        x += w;
    }
}

static void draw_caption(Ctx *c)
{
    const GvGeom *g = c->g;
    for (int k = 0; k < c->sc->n; k++) {
        char cap[400], buf[420];
        gv_caption(c->sc->m[k], gv_clip_time(c->sc, c->v, k), cap, sizeof cap);
        snprintf(buf, sizeof buf, "%s%s", c->sc->n > 1 ? (k ? "B ▸ " : "A ▸ ") : "▸ ", cap);
        fit_text(c->tm, buf, sizeof buf, g->font, GV_TEXT_BOLD, c->v->width - g->pad - g->plot_x);
        gv_cmds_tag(c->out, GV_TAG_CAPTION, -1, k);
        text(c, g->plot_x, g->caption_y + k * g->line_h, g->font, GV_TEXT_BOLD, C_TEXT, buf);
    }
}

enum { NCOLS = 8 };

static void stats_cells(const GvModel *m, const GsThreadStats *ts, int tid, char cells[NCOLS][64])
{
    int64_t life = ts->lifetime_ns;
    int64_t blocked = ts->state_ns[GS_TL_BLOCKED];
    if (tid >= 0)
        gv_thread_label(cells[0], 64, tid, ts->name);
    else
        snprintf(cells[0], 64, "total");
    snprintf(cells[1], 64, "%.1f%%", gs_stats_pct(ts->state_ns[GS_TL_HAS_GIL], life));
    snprintf(cells[2], 64, "%.1f%%", gs_stats_pct(ts->state_ns[GS_TL_WAITING], life));
    snprintf(cells[3], 64, "%.1f%%", gs_stats_pct(blocked, life));
    snprintf(cells[4], 64, "%lld", (long long)ts->acquisitions);
    snprintf(cells[5], 64, "%lld", (long long)ts->retries);
    snprintf(cells[6], 64, "%lld", (long long)ts->drop_requests);
    gv_fmt_dur(cells[7], 64, ts->acquisitions ? ts->wait_sum_ns / ts->acquisitions : 0);
    (void)m;
}

/* The rows of a stats table with room for `max` threads: those that
 * spent the most time waiting for or holding the GIL over the run (the
 * same rule as the lanes), in tid order.  which[] gets indices into
 * stats.threads.  Returns 0, or -1 when out of memory. */
static int stats_pick(const GvModel *m, size_t max, size_t *which)
{
    size_t n = m->stats.nthreads;
    LaneRank *rank = malloc((n ? n : 1) * sizeof *rank);
    if (!rank)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const GsThreadStats *ts = &m->stats.threads[i];
        rank[i] = (LaneRank){ ts->state_ns[GS_TL_HAS_GIL] + ts->state_ns[GS_TL_WAITING], i };
    }
    qsort(rank, n, sizeof *rank, by_busy);
    size_t shown = n < max ? n : max;
    for (size_t i = 0; i < shown; i++)     /* back to tid order (insertion sort: few) */
        for (size_t j = i; j > 0 && rank[j - 1].lane > rank[j].lane; j--) {
            LaneRank t = rank[j];
            rank[j] = rank[j - 1], rank[j - 1] = t;
        }
    for (size_t i = 0; i < shown; i++)
        which[i] = rank[i].lane;
    free(rank);
    return 0;
}

/* One model's table in [x, x + w): the numbers of `gilscope stats`. */
static void draw_stats_table(Ctx *c, int k, int x, int w)
{
    static const char *const heads[NCOLS] = {
        "thread", "has GIL", "waiting", "blocked", "acquired", "retries", "drop reqs", "mean wait",
    };
    const GvModel *m = c->sc->m[k];
    const GvGeom *g = c->g;
    size_t n = m->stats.nthreads, max = stats_max(c->v), shown = n > max ? max : n;
    char (*cells)[NCOLS][64] = calloc(shown + 2, sizeof *cells);
    size_t *which = calloc(shown + 1, sizeof *which);
    if (!cells || !which || stats_pick(m, shown, which) < 0) {
        free(cells), free(which);
        return;
    }
    for (int j = 0; j < NCOLS; j++)
        snprintf(cells[0][j], 64, "%s", heads[j]);
    if (c->sc->n > 1)
        snprintf(cells[0][0], 64, "%s threads", k ? "B" : "A");
    for (size_t i = 0; i < shown; i++) {
        const GsThreadStats *ts = &m->stats.threads[which[i]];
        stats_cells(m, ts, ts->tid, cells[i + 1]);
    }
    free(which);
    stats_cells(m, &m->stats.total, -1, cells[shown + 1]);
    int cw[NCOLS], ncols = NCOLS, total = 0, gap = g->pad * 3 / 2;
    for (int j = 0; j < NCOLS; j++) {
        cw[j] = 0;
        for (size_t i = 0; i < shown + 2; i++) {
            int tw = text_w(c->tm, cells[i][j], g->font_small, i == 0 ? GV_TEXT_BOLD : 0);
            cw[j] = tw > cw[j] ? tw : cw[j];
        }
    }
    cw[0] = cw[0] > w / 3 ? w / 3 : cw[0];
    for (int j = 0; j < ncols; j++)
        total += cw[j] + gap;
    /* Narrow: drop the columns a slide needs least first.  The mean wait
     * stays: it is the number the I/O scenario is about. */
    static const int drop_first[] = { 6, 5, 4, 3, 7, 2 };
    bool keep[NCOLS];
    for (int j = 0; j < NCOLS; j++)
        keep[j] = true;
    for (size_t d = 0; d < sizeof drop_first / sizeof *drop_first && total > w; d++) {
        keep[drop_first[d]] = false;
        total -= cw[drop_first[d]] + gap;
    }
    gv_cmds_tag(c->out, GV_TAG_STATS, -1, k);
    int y = g->stats_y;
    for (size_t i = 0; i < shown + 2; i++) {
        int cx = x, flags = i == 0 || i == shown + 1 ? GV_TEXT_BOLD : 0;
        if (i == shown + 1 && n > shown) {     /* the threads left out */
            char more[48];
            snprintf(more, sizeof more, "… %zu quieter thread%s", n - shown,
                     n - shown > 1 ? "s" : "");
            text(c, cx, y, g->font_small, 0, C_DIM, more);
            y += g->small_line_h;
        }
        for (int j = 0; j < ncols; j++) {
            if (!keep[j])
                continue;
            char cell[64];
            snprintf(cell, sizeof cell, "%s", cells[i][j]);
            fit_text(c->tm, cell, sizeof cell, g->font_small, flags, cw[j]);
            int tw = text_w(c->tm, cell, g->font_small, flags);
            int tx0 = j == 0 ? cx : cx + cw[j] - tw;     /* numbers right-aligned */
            text(c, tx0, y, g->font_small, flags, i == 0 ? C_DIM : C_TEXT, cell);
            cx += cw[j] + gap;
        }
        if (i == 0)
            gv_rect(c->out, x, y + g->small_line_h - 2, total - gap, 1, C_BORDER);
        y += g->small_line_h;
    }
    free(cells);
}

static void draw_stats(Ctx *c)
{
    const GvGeom *g = c->g;
    int w = (c->v->width - 2 * g->pad) / c->sc->n;
    for (int k = 0; k < c->sc->n; k++)
        draw_stats_table(c, k, g->pad + k * w, w - 2 * g->pad);
}

/* "1.05 µs of the run per second": how fast the playhead moves. */
static void speed_text(double speed, char *buf, size_t len)
{
    char d[32];
    gv_fmt_dur(d, sizeof d, (int64_t)llround(speed * 1e9));
    snprintf(buf, len, "%s of the run per second", d);
}

static void draw_status(Ctx *c)
{
    const GvGeom *g = c->g;
    const GvView *v = c->v;
    if (v->still)       /* a picture: nothing to press */
        return;
    char a[32], b[32], w[32], sp[64], buf[360], more[64] = "";
    gv_fmt_dur(a, sizeof a, v->t0);
    gv_fmt_dur(b, sizeof b, v->t1);
    gv_fmt_dur(w, sizeof w, v->t1 - v->t0);
    speed_text(v->speed, sp, sizeof sp);
    int hidden = g->hidden[0] + (c->sc->n > 1 ? g->hidden[1] : 0);
    if (hidden)
        snprintf(more, sizeof more, " · %d thread%s folded: Up/Down", hidden, hidden > 1 ? "s" : "");
    snprintf(buf, sizeof buf, "%s to %s (%s wide) · %s: %s ([ ] change)%s · ? keys", a, b, w,
             v->playing ? "▶ replaying" : "replay (space)", sp, more);
    fit_text(c->tm, buf, sizeof buf, g->font_small, 0, v->width - 2 * g->pad);
    gv_cmds_tag(c->out, GV_TAG_STATUS, -1, 0);
    gv_rect(c->out, 0, g->status_y, v->width, v->height - g->status_y, C_PANEL);
    text(c, g->pad, g->status_y + (g->line_h - g->font_small * 12 / 10) / 2, g->font_small, 0,
         C_DIM, buf);
}

/* ---- overlays ------------------------------------------------------------------------------ */

static void draw_playhead(Ctx *c)
{
    const GvGeom *g = c->g;
    const GvView *v = c->v;
    if (!gv_view_playhead_shown(v, c->sc))
        return;
    int x = (int)lround(tx(c, v->playhead));
    if (x < g->plot_x || x >= g->plot_x + g->plot_w)
        return;
    char label[32];
    gv_fmt_dur(label, sizeof label, v->playhead);
    int w = text_w(c->tm, label, g->font_small, GV_TEXT_BOLD) + g->pad;
    gv_cmds_tag(c->out, GV_TAG_PLAYHEAD, -1, 0);
    gv_rect(c->out, x - 1, g->axis_y, px(2, g->scale), g->rows_y1 - g->axis_y, OI_VERMILLION);
    int lx = x + w > g->plot_x + g->plot_w ? x - w : x;
    gv_rect(c->out, lx, g->axis_y, w, g->small_line_h, OI_VERMILLION);
    text(c, lx + g->pad / 2, g->axis_y + 1, g->font_small, GV_TEXT_BOLD, C_BG, label);
}

static void draw_measure(Ctx *c)
{
    const GvGeom *g = c->g;
    const GvView *v = c->v;
    if (!v->measuring)
        return;
    int64_t a = v->m0 < v->m1 ? v->m0 : v->m1, b = v->m0 < v->m1 ? v->m1 : v->m0;
    int x0 = (int)lround(tx(c, a)), x1 = (int)lround(tx(c, b));
    char dur[32], label[48];
    gv_fmt_dur(dur, sizeof dur, b - a);
    snprintf(label, sizeof label, "Δ %s", dur);
    gv_cmds_tag(c->out, GV_TAG_MEASURE, -1, 0);
    gv_rect(c->out, x0, g->rows_y0, x1 - x0 < 1 ? 1 : x1 - x0, g->rows_y1 - g->rows_y0,
            with_alpha(OI_BLUE, 40));
    gv_rect(c->out, x0, g->rows_y0, 1, g->rows_y1 - g->rows_y0, OI_BLUE);
    gv_rect(c->out, x1, g->rows_y0, 1, g->rows_y1 - g->rows_y0, OI_BLUE);
    int w = text_w(c->tm, label, g->font, GV_TEXT_BOLD) + g->pad;
    int lx = (x0 + x1) / 2 - w / 2, ly = g->axis_y + g->axis_h / 2 - g->line_h / 2;
    gv_rect(c->out, lx, ly, w, g->line_h, OI_BLUE);
    text(c, lx + g->pad / 2, ly + (g->line_h - g->font * 12 / 10) / 2, g->font, GV_TEXT_BOLD,
         C_BG, label);
}

/* A box of text lines near (x, y), kept inside the window. */
static void text_box(Ctx *c, int x, int y, char lines[][512], int n, GvTag tag)
{
    const GvGeom *g = c->g;
    int w = 0, lh = g->small_line_h, maxw = c->v->width - 2 * g->pad;
    for (int i = 0; i < n; i++) {
        fit_text(c->tm, lines[i], sizeof lines[i], g->font_small, i == 0 ? GV_TEXT_BOLD : 0,
                 maxw - 2 * g->pad);
        int tw = text_w(c->tm, lines[i], g->font_small, i == 0 ? GV_TEXT_BOLD : 0);
        w = tw > w ? tw : w;
    }
    w += 2 * g->pad;
    int h = n * lh + g->pad;
    x = x + w > c->v->width - g->pad ? c->v->width - g->pad - w : x;
    y = y + h > c->v->height ? c->v->height - h : y;
    x = x < 0 ? 0 : x, y = y < 0 ? 0 : y;
    gv_cmds_tag(c->out, tag, -1, 0);
    gv_rect(c->out, x, y, w, h, with_alpha(C_BG, 240));
    gv_frame(c->out, x, y, w, h, 1, C_BORDER);
    for (int i = 0; i < n; i++)
        text(c, x + g->pad, y + g->pad / 2 + i * lh, g->font_small, i == 0 ? GV_TEXT_BOLD : 0,
             C_TEXT, lines[i]);
}

/* "A · " or "B · " in front of a box's first line when two traces are
 * shown: which one the event is from. */
static void trace_prefix(const Ctx *c, int model, char *line, size_t cap)
{
    if (c->sc->n < 2 || model < 0)
        return;
    size_t n = strlen(line), head = strlen("A · ");
    if (n + head >= cap)        /* the end of the line gives way, at a character */
        for (n = cap - head - 1; n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80; n--)
            ;
    memmove(line + head, line, n);
    memcpy(line, model ? "B · " : "A · ", head);
    line[head + n] = '\0';
}

/* A field line of the selection, "wait: 2272", with the time in units
 * people read: "wait: 2272 ns (2.27 µs)".  The fields in nanoseconds are
 * those of docs/trace-format.md: t, wait, held, dur. */
static void field_units(char *line, size_t cap)
{
    static const char *const ns_fields[] = { "t: ", "wait: ", "held: ", "dur: " };
    for (size_t i = 0; i < sizeof ns_fields / sizeof *ns_fields; i++) {
        size_t n = strlen(ns_fields[i]);
        if (strncmp(line, ns_fields[i], n) != 0)
            continue;
        char *end, d[32], buf[512];
        long long ns = strtoll(line + n, &end, 10);
        if (end == line + n || *end)
            return;
        gv_fmt_dur(d, sizeof d, ns);
        snprintf(buf, sizeof buf, "%s%lld ns (%s)", ns_fields[i], ns, d);
        snprintf(line, cap, "%s", buf);
        return;
    }
}

static void describe_pick(Ctx *c, const GvPick *p, char lines[][512], int *n)
{
    const GvModel *m = c->sc->m[p->model < 0 ? 0 : p->model];
    char t[32];
    gv_fmt_dur(t, sizeof t, p->t);
    *n = 0;
    switch (p->kind) {
    case GV_PICK_EVENT: {
        const GvLane *l = &m->lanes[p->lane];
        gv_explain_event(m, l, p->idx, lines[0], 512);
        gv_fmt_dur(t, sizeof t, l->t[p->idx]);
        snprintf(lines[1], 512, "%s at %s, line %u · click for all its fields",
                 gv_kind_name(l->kind[p->idx]), t, l->line[p->idx]);
        *n = 2;
        break;
    }
    case GV_PICK_SPAN:
        gv_explain_span(m, &m->lanes[p->lane], p->st, p->from, p->to, lines[0], 512);
        *n = 1;
        break;
    case GV_PICK_GIL:
        if (p->lane == GV_NO_LANE)
            snprintf(lines[0], 512, "at %s nobody holds the GIL", t);
        else
            snprintf(lines[0], 512, "at %s T%d holds the GIL", t, m->lanes[p->lane].tid);
        *n = 1;
        break;
    case GV_PICK_AXIS:
        snprintf(lines[0], 512, "%s · click to move the playhead here", t);
        *n = 1;
        break;
    default:
        break;
    }
}

static void draw_hover(Ctx *c)
{
    const GvView *v = c->v;
    const GvGeom *g = c->g;
    if (!v->mouse_in || v->help || v->drag == GV_DRAG_PAN)
        return;
    GvPick p;
    gv_pick(c->sc, v, g, v->mouse_x, v->mouse_y, &p);
    if (p.kind == GV_PICK_NONE)
        return;
    gv_cmds_tag(c->out, GV_TAG_HOVER, p.row, p.kind);
    gv_rect(c->out, v->mouse_x, g->rows_y0, 1, g->rows_y1 - g->rows_y0, with_alpha(OI_BLACK, 90));
    char lines[2][512];
    int n;
    describe_pick(c, &p, lines, &n);
    if (n)
        trace_prefix(c, p.model, lines[0], sizeof lines[0]);
    if (n)
        text_box(c, v->mouse_x + g->pad * 2, v->mouse_y + g->pad * 2, lines, n, GV_TAG_HOVER);
}

static void draw_selection(Ctx *c)
{
    const GvView *v = c->v;
    const GvGeom *g = c->g;
    if (!v->sel.on || v->sel.model >= c->sc->n)
        return;
    const GvModel *m = c->sc->m[v->sel.model];
    if (v->sel.lane >= m->nlanes || v->sel.idx >= m->lanes[v->sel.lane].n)
        return;
    const GvLane *l = &m->lanes[v->sel.lane];
    int rowi = row_of_lane(g, v->sel.model, v->sel.lane);
    if (rowi >= 0) {
        int x = (int)lround(tx(c, l->t[v->sel.idx]));
        const GvRow *row = &g->rows[rowi];
        gv_cmds_tag(c->out, GV_TAG_SELECTION, rowi, 0);
        gv_rect(c->out, x - 1, row->y - 2, 3, row->h + 4, OI_BLACK);
        arrow_down(c, x, row->y - 2, px(8, g->scale), OI_BLACK);
    }
    /* The panel: the event in words, then its fields one per line. */
    char lines[16][512];
    int n = 1;
    gv_explain_event(m, l, v->sel.idx, lines[0], sizeof lines[0]);
    trace_prefix(c, v->sel.model, lines[0], sizeof lines[0]);
    const char *s = v->sel.text;
    while (*s && n < 16) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        snprintf(lines[n], sizeof lines[0], "%.*s", (int)(len < 450 ? len : 450), s);
        field_units(lines[n++], sizeof lines[0]);
        s += len + (nl != NULL);
    }
    text_box(c, g->plot_x + g->plot_w / 2, g->rows_y0, lines, n, GV_TAG_SELECTION);
}

static void draw_help(Ctx *c)
{
    static const char *const keys[] = {
        "Keys and mouse",
        "space        play / pause the replay",
        "[  ]         replay slower / faster",
        "Home  End    playhead to the start / to the end",
        ".  ,         next / previous GIL handoff",
        "W  S         zoom in / out, at the playhead (wheel: at the pointer)",
        "A  D         pan left / right (or drag with the mouse)",
        "F            fit the whole run",
        "click axis   move the playhead (drag to scrub)",
        "shift-drag   measure a duration",
        "click lane   select an event: all its fields",
        "Up  Down     scroll through all lanes, when some are folded",
        "R            the next objects' reference counts",
        "P            presentation mode: bigger text and lanes",
        "?            this help      Esc  close, clear      Q  quit",
    };
    const GvGeom *g = c->g;
    int n = (int)(sizeof keys / sizeof keys[0]), lh = g->line_h, w = 0;
    for (int i = 0; i < n; i++) {
        int tw = text_w(c->tm, keys[i], g->font, i == 0 ? GV_TEXT_BOLD : 0);
        w = tw > w ? tw : w;
    }
    w += 4 * g->pad;
    int h = n * lh + 3 * g->pad;
    int x = (c->v->width - w) / 2, y = (c->v->height - h) / 2;
    gv_cmds_tag(c->out, GV_TAG_HELP, -1, 0);
    gv_rect(c->out, 0, 0, c->v->width, c->v->height, with_alpha(C_BG, 170));
    gv_rect(c->out, x, y, w, h, C_BG);
    gv_frame(c->out, x, y, w, h, px(2, g->scale), C_TEXT);
    for (int i = 0; i < n; i++)
        text(c, x + 2 * g->pad, y + 3 * g->pad / 2 + i * lh, g->font, i == 0 ? GV_TEXT_BOLD : 0,
             C_TEXT, keys[i]);
}

/* ---- the frame ------------------------------------------------------------------------------ */

void gv_layout(const GvScene *sc, const GvView *v, const GvTextMetrics *tm, GvCmdList *out)
{
    GvGeom g;
    gv_layout_geom(sc, v, tm, &g);
    gv_cmds_clear(out);
    Ctx c = { sc, v, &g, tm, out, (double)(v->t1 - v->t0) / g.plot_w,
              calloc((size_t)g.plot_w + 1, sizeof(int64_t)),
              calloc((size_t)g.plot_w + 1, sizeof(double)), { { { 0 } } } };
    gv_cmds_tag(out, GV_TAG_BACKGROUND, -1, 0);
    gv_rect(out, 0, 0, v->width, v->height, C_BG);
    if (!c.gacc || !c.scratch) {
        out->oom = true;
        free(c.gacc), free(c.scratch);
        return;
    }
    for (int k = 0; k < sc->n; k++)
        draw_header(&c, k);
    draw_axis(&c);
    for (int k = 0; k < sc->n; k++)
        draw_rows(&c, k);
    draw_measure(&c);
    draw_playhead(&c);
    draw_legend(&c);
    draw_caption(&c);
    draw_stats(&c);
    draw_status(&c);
    draw_selection(&c);
    draw_hover(&c);
    if (v->help)
        draw_help(&c);
    free(c.gacc);
    free(c.scratch);
    free_pending(&c.pend);
}

void gv_layout_progress(int w, int h, float dpi, const char *what, double frac,
                        const GvTextMetrics *tm, GvCmdList *out)
{
    float s = dpi > 0 ? dpi : 1;
    int font = px(16, s), bw = w * 2 / 3, bh = px(18, s), x = (w - bw) / 2, y = h / 2;
    char label[512];
    gv_cmds_clear(out);
    gv_cmds_tag(out, GV_TAG_PROGRESS, -1, 0);
    gv_rect(out, 0, 0, w, h, C_BG);
    if (frac >= 0)
        snprintf(label, sizeof label, "Loading %s … %.0f%%", what, frac * 100);
    else
        snprintf(label, sizeof label, "Loading %s …", what);
    fit_text(tm, label, sizeof label, font, 0, bw);
    gv_text(out, x, y - font * 2, font, 0, C_TEXT, label);
    gv_frame(out, x, y, bw, bh, 1, C_BORDER);
    if (frac > 0)
        gv_rect(out, x + 2, y + 2, (int)((bw - 4) * (frac > 1 ? 1 : frac)), bh - 4, OI_BLUE);
}

/* ---- what is under the pointer ------------------------------------------------------------ */

static void pick_thread(const GvScene *sc, const GvView *v, const GvGeom *g, GvPick *p)
{
    const GvModel *m = sc->m[p->model];
    const GvLane *l = &m->lanes[p->lane];
    int64_t clip = gv_clip_time(sc, v, p->model);
    double nspp = (double)(v->t1 - v->t0) / g->plot_w, best = 6 * g->scale * nspp;
    size_t up = gv_lane_upper(l, p->t);
    for (size_t i = up > 0 ? up - 1 : 0; i <= up && i < l->n; i++) {
        double d = fabs((double)(l->t[i] - p->t));
        if (l->t[i] <= clip && d <= best) {
            best = d;
            p->kind = GV_PICK_EVENT;
            p->idx = i;
        }
    }
    if (p->kind == GV_PICK_EVENT || p->t > clip)
        return;
    p->st = gv_lane_state_at(l, p->t, &p->from, &p->to);
    if (p->to > clip)
        p->to = clip;
    if (p->st != GV_ST_NONE)
        p->kind = GV_PICK_SPAN;
}

void gv_pick(const GvScene *sc, const GvView *v, const GvGeom *g, int x, int y, GvPick *p)
{
    *p = (GvPick){ GV_PICK_NONE, -1, -1, 0, 0, gv_x_time(v, g, x), GV_ST_NONE, 0, 0 };
    if (x < g->plot_x || x >= g->plot_x + g->plot_w)
        return;
    if (y >= g->axis_y && y < g->axis_y + g->axis_h) {
        p->kind = GV_PICK_AXIS;
        return;
    }
    for (int r = 0; r < g->nrows; r++) {
        const GvRow *row = &g->rows[r];
        if (y < row->y || y >= row->y + row->h)
            continue;
        p->row = r;
        p->model = row->model;
        p->kind = GV_PICK_ROW;
        if (row->kind == GV_ROW_THREAD) {
            p->lane = row->index;
            pick_thread(sc, v, g, p);
        } else if (row->kind == GV_ROW_GIL && p->t <= gv_clip_time(sc, v, row->model)) {
            const GvModel *m = sc->m[row->model];
            int64_t from, to;
            p->kind = GV_PICK_GIL;
            p->lane = GV_NO_LANE;
            for (size_t i = 0; i < m->nlanes; i++)
                if (gv_lane_state_at(&m->lanes[i], p->t, &from, &to) == GV_ST_HAS_GIL)
                    p->lane = i;
        }
        return;
    }
    if (y >= g->rows_y0 && y < g->rows_y1)
        p->kind = GV_PICK_PLOT;
}
