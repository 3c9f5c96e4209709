/*
 * demo.c -- `gilscope demo`: the lecture in one command.
 *
 * Runs the four canned scenarios (countdown, racy counter, locked counter,
 * I/O threads) under CPython 2.7's GIL and under 3.12's, on the simulated
 * clock so that every classroom sees the same picture, and writes into
 * one directory:
 *
 *   scenarios/NAME.py       the programs (compiled into gilscope, so the
 *                           demo works from any directory)
 *   NAME-2.7.jsonl, NAME-3.12.jsonl, NAME-*.out   the traces and outputs
 *   NAME.png                2.7 above 3.12, when there is no display
 *
 * Then it opens the viewer on the two countdowns -- or, without a display
 * (or with --png), writes a PNG per scenario and prints where they are,
 * with one line of each run's result.
 *
 * Each run is a child process (`gilscope run ...`, two at a time: this is
 * a 2-core machine's tool), so one scenario's failure is reported without
 * taking the others down.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "outfile.h"
#include "viewer_load.h"

extern char **environ;


typedef struct {
    const char *name;
    const char *source;
    const char *arg;        /* its size argument: small enough for a quick demo */
    const char *what;       /* one line for the summary */
} Scenario;

static const Scenario scenarios[] = {
    { "countdown", gs_scenario_countdown, "2000000",
      "counting down, once alone and split over 2 threads" },
    { "racy_counter", gs_scenario_racy_counter, "100000",
      "5 threads x 100000 `self.count += 1` without a lock" },
    { "locked_counter", gs_scenario_locked_counter, "20000",
      "the same with a threading.Lock (20000 each)" },
    { "io_threads", gs_scenario_io_threads, "100",
      "sleeping threads overlap; an I/O thread next to a CPU-bound one" },
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

static const char *const versions[] = { "2.7", "3.12" };

static const char *const demo_help =
    "usage: gilscope demo [--out DIR] [--clock sim|real] [--png] [--size WxH]\n"
    "                     [--present] [--lane-height PX]\n"
    "\n"
    "Run the canned scenarios (countdown, racy counter, locked counter, I/O\n"
    "threads) under CPython 2.7's GIL and 3.12's, write their traces to DIR\n"
    "(default: gilscope-demo), and open the viewer comparing the two countdowns.\n"
    "Without a display, or with --png, write one PNG per scenario instead (2.7\n"
    "above 3.12) and print their paths and a summary.\n"
    "\n"
    "options:\n"
    "  --out DIR        where to write (created if missing)\n"
    "  --clock sim|real the simulated machine (default: the same picture on every\n"
    "                   computer) or this machine's real threads and clock\n"
    "  --png            write PNGs even when a display is available\n"
    "  --size WxH       the PNGs' size in pixels (default 1600x900), or the window's\n"
    "                   (default 1400x860, or less to fit the screen); e.g.\n"
    "                   --size 1280x720 for a projector\n"
    "  --present        classroom mode: larger text and lanes\n"
    "  --lane-height PX each thread lane PX pixels tall (8 to 200); default: as\n"
    "                   tall as fits.  Threads that do not fit are folded into one\n"
    "                   row that names them, keeping those that wait longest\n"
    "  -h, --help       show this help and exit\n";

typedef struct {
    const char *dir;
    const char *clock;
    bool png;
    GvPictureOpts pic;
} DemoOptions;

/* "1280x720" into *w, *h: each 64 to 8192, as `gilscope view --size`
 * takes it.  (The viewer's own parser is in its module, which the demo
 * loads only once the runs are done.) */
static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10), b = 0;
    if (end != s && (*end == 'x' || *end == 'X')) {
        const char *hs = end + 1;
        b = strtol(hs, &end, 10);
        b = end == hs ? 0 : b;
    }
    if (*end || errno || a < 64 || b < 64 || a > 8192 || b > 8192) {
        fprintf(stderr, "gilscope demo: --size wants WxH, each 64 to 8192 pixels (e.g. "
                "1280x720), not '%s'\n", s);
        return -1;
    }
    *w = (int)a, *h = (int)b;
    return 0;
}

static int parse_lane_height(const char *s, int *h)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < GV_LANE_HEIGHT_MIN || v > GV_LANE_HEIGHT_MAX) {
        fprintf(stderr, "gilscope demo: --lane-height wants a height in pixels, %d to %d, "
                "not '%s'\n", GV_LANE_HEIGHT_MIN, GV_LANE_HEIGHT_MAX, s);
        return -1;
    }
    *h = (int)v;
    return 0;
}

/* An option with a value; returns 0, or -1 after saying what is wrong. */
static int parse_valued(const char *opt, const char *val, DemoOptions *o)
{
    if (!strcmp(opt, "--out")) {
        o->dir = val;
        return 0;
    }
    if (!strcmp(opt, "--size"))
        return parse_size(val, &o->pic.width, &o->pic.height);
    if (!strcmp(opt, "--lane-height"))
        return parse_lane_height(val, &o->pic.lane_height);
    o->clock = val;
    if (strcmp(o->clock, "sim") && strcmp(o->clock, "real")) {
        fprintf(stderr, "gilscope demo: --clock must be sim or real; got '%s'\n", o->clock);
        return -1;
    }
    return 0;
}

static bool is_valued(const char *a)
{
    return !strcmp(a, "--out") || !strcmp(a, "--clock") || !strcmp(a, "--size") ||
           !strcmp(a, "--lane-height");
}

static int parse(int argc, char **argv, DemoOptions *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(demo_help, stdout);
            return 1;
        }
        if (!strcmp(a, "--png")) {
            o->png = true;
        } else if (!strcmp(a, "--present")) {
            o->pic.present = true;
        } else if (is_valued(a) && i + 1 < argc) {
            if (parse_valued(a, argv[++i], o) < 0)
                return -1;
        } else {
            fprintf(stderr, "gilscope demo: %s '%s' (see gilscope demo --help)\n",
                    is_valued(a) ? "needs a value:" : "unknown option", a);
            return -1;
        }
    }
    return 0;
}

/* ---- files ------------------------------------------------------------------------- */

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        errno = ENOTDIR;
    }
    fprintf(stderr, "gilscope demo: cannot create the directory '%s': %s\n", path,
            strerror(errno));
    return -1;
}

/* Through an output file (outfile.h): replaced whole or left as it was. */
static int write_text(const char *path, const char *text)
{
    GsOutFile out;
    char err[PATH_MAX + 128];
    int rc = gs_outfile_open(&out, path, NULL, false, err, sizeof err);
    if (rc == 0 && fputs(text, out.f) < 0) {
        gs_outfile_error(&out, errno, err, sizeof err);
        gs_outfile_abort(&out);
        rc = -1;
    } else if (rc == 0) {
        rc = gs_outfile_commit(&out, err, sizeof err);
    }
    if (rc < 0)
        fprintf(stderr, "gilscope demo: %s\n", err);
    return rc;
}

/* The last non-empty line of a file, into buf ("" if none). */
static void last_line(const char *path, char *buf, size_t len)
{
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0])
            snprintf(buf, len, "%s", line);
    }
    fclose(f);
}

/* ---- the runs ------------------------------------------------------------------------ */

typedef struct {
    const Scenario *sc;
    const char *version;
    pid_t pid;
    char trace[PATH_MAX], out[PATH_MAX];
} Run;

/* Start `gilscope run --clock C --cpython V -o TRACE SCRIPT ARG` with its
 * output going to a file; returns the pid, or -1. */
static pid_t start_run(const char *self, const DemoOptions *o, Run *r)
{
    char script[PATH_MAX];
    snprintf(script, sizeof script, "%s/scenarios/%s.py", o->dir, r->sc->name);
    snprintf(r->trace, sizeof r->trace, "%s/%s-%s.jsonl", o->dir, r->sc->name, r->version);
    snprintf(r->out, sizeof r->out, "%s/%s-%s.out", o->dir, r->sc->name, r->version);
    char *args[] = { (char *)self, "run", "--clock", (char *)o->clock, "--cpython",
                     (char *)r->version, "-o", r->trace, script, (char *)r->sc->arg, NULL };
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, r->out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, self, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "gilscope demo: cannot start %s: %s\n", self, strerror(rc));
        return -1;
    }
    return pid;
}

/* Wait for one of the runs; returns its index, or -1 when none is left. */
static int wait_any(Run *runs, size_t n, int *failures)
{
    int status;
    pid_t pid = wait(&status);
    if (pid < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].pid != pid)
            continue;
        runs[i].pid = 0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "gilscope demo: %s under CPython %s failed (see %s)\n",
                    runs[i].sc->name, runs[i].version, runs[i].out);
            (*failures)++;
        }
        return (int)i;
    }
    return -1;
}

static int run_all(const char *self, const DemoOptions *o, Run *runs, size_t n)
{
    int failures = 0, running = 0;
    for (size_t i = 0; i < n; i++) {
        if (running == 2) {
            wait_any(runs, n, &failures);
            running--;
        }
        printf("  running %s under CPython %s ...\n", runs[i].sc->name, runs[i].version);
        fflush(stdout);
        runs[i].pid = start_run(self, o, &runs[i]);
        if (runs[i].pid < 0)
            failures++;
        else
            running++;
    }
    while (running-- > 0)
        wait_any(runs, n, &failures);
    return failures;
}

/* ---- showing them ---------------------------------------------------------------------- */

static bool have_display(void)
{
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

static void summary(const Run *runs, size_t n)
{
    printf("\n");
    for (size_t i = 0; i + 1 < n; i += 2) {
        printf("%s -- %s\n", runs[i].sc->name, runs[i].sc->what);
        for (size_t k = i; k < i + 2; k++) {
            char line[512];
            last_line(runs[k].out, line, sizeof line);
            printf("  CPython %-4s  %s\n", runs[k].version, line);
        }
    }
}

static int write_pngs(const DemoOptions *o, const Run *runs, size_t n)
{
    const GvApi *viewer = gs_viewer();
    if (!viewer)
        return 1;
    int failures = 0;
    printf("\n");
    for (size_t i = 0; i + 1 < n; i += 2) {
        char png[PATH_MAX], err[512];
        snprintf(png, sizeof png, "%s/%s.png", o->dir, runs[i].sc->name);
        if (viewer->render_png(runs[i].trace, runs[i + 1].trace, png, &o->pic, err, sizeof err) < 0) {
            fprintf(stderr, "gilscope demo: %s\n", err);
            failures++;
        } else {
            printf("wrote %s (CPython 2.7 above, 3.12 below)\n", png);
        }
    }
    return failures;
}

int gs_cmd_demo(int argc, char **argv)
{
    DemoOptions o = { "gilscope-demo", "sim", false, { 0, 0, false, 0 } };
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 2 : 0;
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) {
        fprintf(stderr, "gilscope demo: cannot find the gilscope program itself: %s\n",
                strerror(errno));
        return 1;
    }
    self[len] = 0;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/scenarios", o.dir);
    if (make_dir(o.dir) < 0 || make_dir(dir) < 0)
        return 1;
    Run runs[NSCENARIOS * 2];
    size_t n = 0;
    for (size_t i = 0; i < NSCENARIOS; i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s.py", dir, scenarios[i].name);
        if (write_text(path, scenarios[i].source) < 0)
            return 1;
        for (size_t v = 0; v < 2; v++)
            runs[n++] = (Run){ .sc = &scenarios[i], .version = versions[v] };
    }
    printf("gilscope demo: the canned scenarios under CPython 2.7 and 3.12 (%s clock), "
           "into %s/\n", o.clock, o.dir);
    int failures = run_all(self, &o, runs, n);
    summary(runs, n);
    if (failures)
        return 1;
    if (!o.png && have_display()) {
        const GvApi *viewer = gs_viewer();
        if (!viewer)
            return 1;
        char err[512];
        printf("\nopening the viewer on the two countdowns (press ? for the keys)\n");
        fflush(stdout);
        if (viewer->open_window(runs[0].trace, runs[1].trace, &o.pic, err, sizeof err) == 0)
            return 0;
        fprintf(stderr, "gilscope demo: %s; writing PNGs instead\n", err);
    }
    return write_pngs(&o, runs, n) ? 1 : 0;
}
