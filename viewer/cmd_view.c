/*
 * cmd_view.c -- the `gilscope view` command (see viewer.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "timefmt.h"
#include "render.h"
#include "viewer.h"

static const char *const view_help =
    "usage: gilscope view TRACE [TRACE2] [OPTIONS]\n"
    "\n"
    "Show a trace as timelines: who holds the GIL, and what each thread does\n"
    "(runs, waits for the GIL, sleeps, does I/O, waits for a lock), with failed\n"
    "wake-ups, drop requests, handoffs, GC and the stats of `gilscope stats`.\n"
    "With TRACE2, both runs are shown one above the other on the same time axis\n"
    "(e.g. one scenario under --cpython 2.7 and 3.12).  In the window, press ?\n"
    "for the keys.\n"
    "\n"
    "options:\n"
    "  --present           classroom mode: larger text and lanes\n"
    "  --png OUT.png       draw the picture into OUT.png without a display, and exit\n"
    "  --size WxH          the picture's (or window's) size in pixels (default\n"
    "                      1600x900 for --png)\n"
    "  --range T0:T1       the time range to show, with units: 0:50ms, 1.5s:2s, 2ms:\n"
    "  --at T              the playhead: show the run up to T, and say in words what\n"
    "                      happens there (e.g. --at 35ms)\n"
    "  --objects ID,...    the objects whose reference counts to show (a trace made\n"
    "                      with --trace ref; default: the busiest three)\n"
    "  -h, --help          show this help and exit\n"
    "\n"
    "Exit status: 0 done, 1 a trace could not be read or no picture or window could\n"
    "be made, 2 a bad command line.\n";

typedef struct {
    const char *traces[2];
    int ntraces;
    bool present;
    const char *png;
    int width, height;
    int lane_height;
    bool has_t0, has_t1, has_at;
    int64_t t0, t1, at;
    int64_t objects[GV_MAX_PICKED];
    size_t nobjects;
} Args;

static int usage(const char *fmt, ...)
{
    va_list ap;
    fputs("gilscope view: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see gilscope view --help)\n", stderr);
    return 2;
}

static int parse_size(Args *a, const char *s)
{
    char *end;
    errno = 0;
    long w = strtol(s, &end, 10), h = 0;
    if (end != s && (*end == 'x' || *end == 'X')) {
        const char *hs = end + 1;
        h = strtol(hs, &end, 10);
        if (end == hs)
            h = 0;
    }
    if (*end || errno || w < 64 || h < 64 || w > 8192 || h > 8192)
        return usage("--size wants WxH, each 64 to 8192 pixels (e.g. 1600x900), not '%s'", s);
    a->width = (int)w, a->height = (int)h;
    return 0;
}

static int parse_lane_height(Args *a, const char *s)
{
    char *end;
    errno = 0;
    long h = strtol(s, &end, 10);
    if (end == s || *end || errno || h < GV_LANE_HEIGHT_MIN || h > GV_LANE_HEIGHT_MAX)
        return usage("--lane-height wants a height in pixels, %d to %d, not '%s'",
                     GV_LANE_HEIGHT_MIN, GV_LANE_HEIGHT_MAX, s);
    a->lane_height = (int)h;
    return 0;
}

static int parse_objects(Args *a, const char *s)
{
    const char *p = s;
    a->nobjects = 0;
    while (*p) {
        char *end;
        errno = 0;
        long long id = strtoll(p, &end, 10);
        if (end == p || errno || id < 0 || (*end && *end != ','))
            return usage("--objects wants object ids separated by commas, not '%s'", s);
        if (a->nobjects == GV_MAX_PICKED)
            return usage("--objects: at most %d objects", GV_MAX_PICKED);
        a->objects[a->nobjects++] = id;
        p = *end ? end + 1 : end;
    }
    if (!a->nobjects)
        return usage("--objects wants at least one object id");
    return 0;
}

/* An option's value: "--opt VALUE" or "--opt=VALUE". */
static const char *value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static bool is_opt(const char *a, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(a, opt, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int parse_option(Args *a, int argc, char **argv, int *i)
{
    static const char *const with_value[] = { "--png", "--size", "--range", "--objects", "--at",
                                              "--lane-height" };
    enum { NVALUED = sizeof with_value / sizeof with_value[0] };
    const char *arg = argv[*i];
    if (strcmp(arg, "--present") == 0) {
        a->present = true;
        return 0;
    }
    for (size_t k = 0; k < NVALUED; k++) {
        if (!is_opt(arg, with_value[k]))
            continue;
        const char *v = value(argc, argv, i, with_value[k]);
        char err[256];
        if (!v || !*v)
            return usage("%s needs a value", with_value[k]);
        switch (k) {
        case 0: a->png = v; return 0;
        case 1: return parse_size(a, v);
        case 2:
            if (gv_parse_range(v, &a->t0, &a->has_t0, &a->t1, &a->has_t1, err, sizeof err) < 0)
                return usage("--range: %s", err);
            return 0;
        case 3: return parse_objects(a, v);
        case 5: return parse_lane_height(a, v);
        default:
            if (gv_parse_time(v, &a->at, err, sizeof err) < 0)
                return usage("--at: %s", err);
            a->has_at = true;
            return 0;
        }
    }
    return usage("unknown option '%s'", arg);
}

/* 0 to go on, 1 when --help was shown, 2 for a bad command line. */
static int parse_args(Args *a, int argc, char **argv)
{
    bool options = true;
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)) {
            fputs(view_help, stdout);
            return 1;
        }
        if (options && strcmp(arg, "--") == 0) {
            options = false;
            continue;
        }
        if (options && arg[0] == '-' && arg[1]) {
            if (parse_option(a, argc, argv, &i) != 0)
                return 2;
            continue;
        }
        if (a->ntraces == 2)
            return usage("at most two traces (to compare), got '%s' too", arg);
        a->traces[a->ntraces++] = arg;
    }
    if (!a->ntraces)
        return usage("which trace? (gilscope view TRACE [TRACE2])");
    if (a->has_t0 && a->has_t1 && a->t1 <= a->t0)
        return usage("--range: the end is not after the start");
    return 0;
}

/* ---- running ---------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    int last;           /* the last percentage shown */
} TermProgress;

static void term_progress(void *ctx, uint64_t done, uint64_t total)
{
    TermProgress *p = ctx;
    int pct = total ? (int)(done * 100 / total) : -1;
    if (pct == p->last || !total)
        return;
    p->last = pct;
    /* On a terminal: one line, rewritten; cleared at 100%. */
    fprintf(stderr, "\rgilscope view: loading %s %3d%%%s", p->name, pct,
            pct >= 100 ? "\r\033[K" : "");
}

static void print_warnings(const GvScene *sc)
{
    for (int k = 0; k < sc->n; k++)
        for (size_t i = 0; i < sc->m[k]->tr->nwarnings; i++)
            fprintf(stderr, "gilscope view: warning: %s\n", sc->m[k]->tr->warnings[i]);
}

static int run_png(const Args *a)
{
    GvScene sc;
    GvView v;
    char err[1024];
    TermProgress tp = { a->traces[0], -1 };
    gv_headless_hints();
    bool tty = isatty(2);
    if (gv_scene_load(&sc, a->traces, a->ntraces, tty ? term_progress : NULL, &tp, err,
                      sizeof err) < 0) {
        fprintf(stderr, "gilscope view: %s\n", err);
        return 1;
    }
    print_warnings(&sc);
    gv_view_init(&v, &sc, a->width ? a->width : 1600, a->height ? a->height : 900, 1);
    v.present = a->present;
    v.still = true;
    v.lane_height = a->lane_height;
    if (a->has_t0 || a->has_t1)
        gv_view_set_range(&v, &sc, a->has_t0 ? a->t0 : gv_scene_start(&sc),
                          a->has_t1 ? a->t1 : gv_scene_end(&sc));
    for (int k = 0; k < sc.n && a->nobjects; k++)
        gv_model_pick_objects(sc.m[k], a->objects, a->nobjects, 0);
    if (a->has_at)
        v.playhead = a->at;
    SDL_Surface *s = gv_render_surface(&sc, &v, err, sizeof err);
    int rc = s ? gv_save_png(s, a->png, err, sizeof err) : -1;
    if (rc < 0)
        fprintf(stderr, "gilscope view: %s\n", err);
    SDL_FreeSurface(s);
    gv_scene_free(&sc);
    return rc < 0 ? 1 : 0;
}

static int run_window(const Args *a)
{
    char err[1024];
    GvWindowOpts o = {
        .width = a->width, .height = a->height, .present = a->present,
        .lane_height = a->lane_height,
        .has_t0 = a->has_t0, .has_t1 = a->has_t1, .t0 = a->t0, .t1 = a->t1,
        .objects = a->objects, .nobjects = a->nobjects, .has_at = a->has_at, .at = a->at,
    };
    if (gv_window_run(a->traces, a->ntraces, &o, err, sizeof err) < 0) {
        fprintf(stderr, "gilscope view: %s\n", err);
        return 1;
    }
    return 0;
}

int gv_cmd_view(int argc, char **argv)
{
    Args a;
    int rc = parse_args(&a, argc, argv);
    if (rc)
        return rc == 1 ? 0 : 2;
    return a.png ? run_png(&a) : run_window(&a);
}
