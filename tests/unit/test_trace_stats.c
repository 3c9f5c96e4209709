/*
 * test_trace_stats.c -- unit tests for tracer/stats.c and tracer/timeline.c:
 * the numbers of `gilscope stats` on small traces worked out by hand.
 *
 * The answers below come from reading the fixtures line by line; each block
 * shows the arithmetic, so a failing number can be checked on paper.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "stats.h"
#include "tap.h"
#include "timeline.h"
#include "trace_read.h"
#include "trace_util.h"

/* What a thread's row must hold; times in ns. */
typedef struct {
    int tid;
    const char *name;
    int64_t lifetime, has, waiting, blocked, acquisitions, retries, drops, wait_sum, wait_max;
} Want;

static void check_row(const GsThreadStats *ts, const Want *w)
{
    TAP_INT_EQ(ts->tid, w->tid, "row tid %d", w->tid);
    TAP_STR_EQ(ts->name, w->name, "tid %d: name", w->tid);
    TAP_INT_EQ(ts->lifetime_ns, w->lifetime, "tid %d: lifetime", w->tid);
    TAP_INT_EQ(ts->state_ns[GS_TL_HAS_GIL], w->has, "tid %d: has GIL", w->tid);
    TAP_INT_EQ(ts->state_ns[GS_TL_WAITING], w->waiting, "tid %d: waiting", w->tid);
    TAP_INT_EQ(ts->state_ns[GS_TL_BLOCKED], w->blocked, "tid %d: blocked", w->tid);
    TAP_INT_EQ(ts->acquisitions, w->acquisitions, "tid %d: acquisitions", w->tid);
    TAP_INT_EQ(ts->retries, w->retries, "tid %d: retries", w->tid);
    TAP_INT_EQ(ts->drop_requests, w->drops, "tid %d: drop requests received", w->tid);
    TAP_INT_EQ(ts->wait_sum_ns, w->wait_sum, "tid %d: wait sum", w->tid);
    TAP_INT_EQ(ts->wait_max_ns, w->wait_max, "tid %d: max wait", w->tid);
}

static GsTrace *load_fixture(const char *name)
{
    char err[512];
    GsTrace *tr;
    if (gs_trace_load(fixture(name), &tr, err, sizeof err) < 0) {
        TAP_OK(0, "load %s: %s", name, err);
        return NULL;
    }
    return tr;
}

/*
 * tick_three_threads.jsonl, the run 0..10000:
 *
 *   tid 0  acquire 0 | release join 1000 | acquire 8000 | end, release exit 9500
 *          lifetime 0..9500 = 9500: has 1000 + 1500 = 2500, blocked(join) 7000
 *   tid 1  request 100 | acquire 1000 (wait 900) | release check 3000 + request |
 *          acquire 4000 (wait 1000) | end, release exit 7000
 *          lifetime 100..7000 = 6900: waiting 900 + 1000 = 1900, has 2000 + 3000 = 5000
 *   tid 2  request 200 | retry 1100 | acquire 3000 (wait 2800) | release sleep 4000 |
 *          request 6000 | acquire 7000 (wait 1000) | end, release exit 8000
 *          lifetime 200..8000 = 7800: waiting 2800 + 1000 = 3800, has 1000 + 1000 = 2000,
 *          blocked(sleep) 2000
 *   total  lifetimes 24200, has 9500, waiting 5700, blocked 9000; 6 acquisitions,
 *          waits 0+0+900+1000+2800+1000 = 5700 (mean 950), max 2800
 *   switches: acquirers 0,1,2,1,2,0 -> 6; the GIL held 9500 of 10000 ns = 95%
 */
static void test_tick(void)
{
    GsTrace *tr = load_fixture("tick_three_threads.jsonl");
    GsStats st;
    if (!tr || gs_stats_compute(tr, &st) < 0) {
        gs_trace_free(tr);
        return;
    }
    static const Want want[] = {
        { 0, "MainThread", 9500, 2500, 0, 7000, 2, 0, 0, 0, 0 },
        { 1, "Thread-1", 6900, 5000, 1900, 0, 2, 0, 0, 1900, 1000 },
        { 2, "Thread-2", 7800, 2000, 3800, 2000, 2, 1, 0, 3800, 2800 },
        { -1, "total", 24200, 9500, 5700, 9000, 6, 1, 0, 5700, 2800 },
    };
    TAP_INT_EQ(st.nthreads, 3, "tick: three rows");
    for (size_t i = 0; i < 3 && i < st.nthreads; i++)
        check_row(&st.threads[i], &want[i]);
    check_row(&st.total, &want[3]);
    TAP_INT_EQ(st.threads[0].blocked_ns[GS_WHY_join], 7000, "tid 0 blocked by join");
    TAP_INT_EQ(st.threads[2].blocked_ns[GS_WHY_sleep], 2000, "tid 2 blocked by sleep");
    TAP_INT_EQ(st.duration_ns, 10000, "tick: the run's duration");
    TAP_INT_EQ(st.switches, 6, "tick: switches, as the end line says");
    TAP_OK(gs_stats_pct(st.total.state_ns[GS_TL_HAS_GIL], st.duration_ns) == 95.0,
           "tick: the GIL held 95%% of the run");
    gs_stats_fini(&st);
    gs_trace_free(tr);
}

/*
 * interval_drop.jsonl, the run 0..21000, drop requests back and forth:
 *
 *   tid 0  has 0..6500, waiting 6500..12000, has 12000..17200, waiting 17200..20000,
 *          has 20000..21000: has 6500+5200+1000 = 12700, waiting 5500+2800 = 8300;
 *          waits 0, 5500, 2800 (max 5500); drop requests naming it: at 6000 and 17000
 *   tid 1  waiting 1000..6500, has 6500..12000, waiting 12000..17200, has 17200..20000:
 *          lifetime 19000, has 5500+2800 = 8300, waiting 5500+5200 = 10700;
 *          waits 5500, 5200; one retry; one drop request naming it (11500)
 *   total  lifetimes 40000, has 21000, waiting 19000; 5 acquisitions, waits 19000
 *   switches: acquirers 0,1,0,1,0 -> 5
 */
static void test_interval(void)
{
    GsTrace *tr = load_fixture("interval_drop.jsonl");
    GsStats st;
    if (!tr || gs_stats_compute(tr, &st) < 0) {
        gs_trace_free(tr);
        return;
    }
    static const Want want[] = {
        { 0, "MainThread", 21000, 12700, 8300, 0, 3, 0, 2, 8300, 5500 },
        { 1, "worker", 19000, 8300, 10700, 0, 2, 1, 1, 10700, 5500 },
        { -1, "total", 40000, 21000, 19000, 0, 5, 1, 3, 19000, 5500 },
    };
    TAP_INT_EQ(st.nthreads, 2, "interval: two rows");
    for (size_t i = 0; i < 2 && i < st.nthreads; i++)
        check_row(&st.threads[i], &want[i]);
    check_row(&st.total, &want[2]);
    TAP_INT_EQ(st.switches, 5, "interval: switches");
    gs_stats_fini(&st);
    gs_trace_free(tr);
}

/*
 * cut_midline.jsonl: the tick trace's first 11 lines, then a cut line.  The
 * run ends at 3000 (the last complete line); no thread has a thread_end, so
 * all live until then:
 *   tid 0  0..3000: has 1000, blocked(join) 2000
 *   tid 1  100..3000: waiting 900, has 2000 (the release at 3000 leaves 0 ns)
 *   tid 2  200..3000: waiting 2800 (its acquire at 3000 leaves 0 ns); no name yet
 */
static void test_cut(void)
{
    GsTrace *tr = load_fixture("cut_midline.jsonl");
    GsStats st;
    if (!tr || gs_stats_compute(tr, &st) < 0) {
        gs_trace_free(tr);
        return;
    }
    static const Want want[] = {
        { 0, "MainThread", 3000, 1000, 0, 2000, 1, 0, 0, 0, 0 },
        { 1, "Thread-1", 2900, 2000, 900, 0, 1, 0, 0, 900, 900 },
        { 2, "", 2800, 0, 2800, 0, 1, 1, 0, 2800, 2800 },
    };
    TAP_INT_EQ(st.nthreads, 3, "cut: three rows");
    for (size_t i = 0; i < 3 && i < st.nthreads; i++)
        check_row(&st.threads[i], &want[i]);
    TAP_INT_EQ(st.duration_ns, 3000, "cut: the run lasts to the last complete line");
    gs_stats_fini(&st);
    gs_trace_free(tr);
}

/* Edge cases of the walk, on tiny inline traces. */
static void test_edges(void)
{
    char err[512];
    /* A thread that never ends lives to the end of the run (the end line's
     * t); a release for exit leaves time that is none of the three. */
    GsTrace *tr = load_text(META
        "{\"ev\":\"gil_acquire\",\"t\":10,\"tid\":0,\"wait\":0}\n"
        "{\"ev\":\"gil_request\",\"t\":20,\"tid\":1,\"holder\":0}\n"
        "{\"ev\":\"gil_release\",\"t\":30,\"tid\":0,\"why\":\"exit\",\"held\":20}\n"
        "{\"ev\":\"gil_acquire\",\"t\":30,\"tid\":1,\"wait\":10}\n"
        "{\"ev\":\"gil_release\",\"t\":40,\"tid\":1,\"why\":\"lock\",\"held\":10}\n"
        "{\"ev\":\"gil_acquire\",\"t\":70,\"tid\":1,\"wait\":0}\n"
        END(100), err, sizeof err);
    GsStats st;
    if (!tr || gs_stats_compute(tr, &st) < 0) {
        TAP_OK(0, "edge trace loads: %s", err);
        gs_trace_free(tr);
        return;
    }
    /* tid 0: 10..100 (no thread_end): has 20, then "none" 70.
     * tid 1: 20..100: waiting 10, has 10, blocked(lock) 30 (a release for lock
     * straight to an acquire, no request), has 30. */
    TAP_INT_EQ(st.threads[0].lifetime_ns, 90, "no thread_end: lives to the end line");
    TAP_INT_EQ(st.threads[0].state_ns[GS_TL_HAS_GIL], 20, "has GIL until the exit release");
    TAP_INT_EQ(st.threads[0].state_ns[GS_TL_NONE], 70, "after the exit: none");
    TAP_INT_EQ(st.threads[1].state_ns[GS_TL_BLOCKED], 30, "blocked from release to acquire");
    TAP_INT_EQ(st.threads[1].blocked_ns[GS_WHY_lock], 30, "... by a lock");
    TAP_INT_EQ(st.threads[1].state_ns[GS_TL_HAS_GIL], 40, "has GIL 10 + 30");
    TAP_INT_EQ(st.switches, 2, "two switches");
    gs_stats_fini(&st);
    gs_trace_free(tr);

    /* No threads at all: nothing divides by zero. */
    tr = load_text(META END(0), err, sizeof err);
    if (tr && gs_stats_compute(tr, &st) == 0) {
        TAP_INT_EQ(st.nthreads, 0, "no threads: no rows");
        TAP_OK(gs_stats_pct(0, 0) == 0.0, "0 of 0 is 0%%");
        FILE *f = tmpfile();
        int rc = gs_stats_print(tr, &st, f);
        TAP_OK(rc == 0, "an empty trace prints");
        fclose(f);
        gs_stats_fini(&st);
    }
    gs_trace_free(tr);
}

/* ---- the two outputs ---------------------------------------------------------- */

static size_t display_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static void test_text(void)
{
    GsTrace *tr = load_fixture("tick_three_threads.jsonl");
    GsStats st;
    if (!tr || gs_stats_compute(tr, &st) < 0) {
        gs_trace_free(tr);
        return;
    }
    /* (TAP_OK evaluates its condition twice: no side effects inside.) */
    FILE *f = tmpfile();
    int rc = gs_stats_print(tr, &st, f);
    TAP_OK(rc == 0, "text: printed");
    size_t len = (size_t)ftell(f);
    char *text = calloc(1, len + 1);
    rewind(f);
    size_t got = fread(text, 1, len, f);
    TAP_OK(got == len, "text: read back");
    fclose(f);
    TAP_OK(strstr(text, "the run: 10.0 µs, the GIL held 95.0% of it, 6 switches") != NULL,
           "text: the run's line");
    TAP_OK(strstr(text, "   1  Thread-1      72.5%    27.5%     0.0%         2        0"
                  "          0     950 ns   1.00 µs\n") != NULL, "text: thread 1's row");
    TAP_OK(strstr(text, "      total         39.3%    23.6%    37.2%         6        1"
                  "          0     950 ns   2.80 µs\n") != NULL, "text: the totals row");
    /* The table's lines (header, rows, rule, total) are equally wide. */
    const char *head = strstr(text, " tid  thread");
    size_t widths[8] = { 0 }, n = 0;
    for (const char *p = head; p && n < 7; n++) {
        const char *nl = strchr(p, '\n');
        widths[n] = display_width(p, (size_t)(nl - p));
        p = nl + 1;
    }
    TAP_OK(n == 7 && widths[1] == widths[0] && widths[2] == widths[0] &&
           widths[3] == widths[0] && widths[4] == widths[0] && widths[5] == widths[0],
           "text: the table is aligned (%zu columns wide)", widths[0]);
    free(text);
    gs_stats_fini(&st);
    gs_trace_free(tr);
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -12345;
}

static void test_json(void)
{
    GsTrace *tr = load_fixture("interval_drop.jsonl");
    GsStats st;
    if (!tr || gs_stats_compute(tr, &st) < 0) {
        gs_trace_free(tr);
        return;
    }
    cJSON *o = gs_stats_json(tr, &st);
    /* Through text and back, as a user of --json would read it. */
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON *back = text ? cJSON_Parse(text) : NULL;
    TAP_OK(back != NULL, "json: prints and parses back");
    const cJSON *threads = cJSON_GetObjectItemCaseSensitive(back, "threads");
    const cJSON *t0 = cJSON_GetArrayItem(threads, 0), *total =
        cJSON_GetObjectItemCaseSensitive(back, "total");
    TAP_INT_EQ(cJSON_GetArraySize(threads), 2, "json: two threads");
    TAP_INT_EQ(num(back, "duration_ns"), 21000, "json: duration_ns");
    TAP_INT_EQ(num(back, "switches"), 5, "json: switches");
    TAP_INT_EQ(num(back, "switches_recorded"), 5, "json: switches_recorded");
    TAP_INT_EQ(num(t0, "has_gil_ns"), 12700, "json: tid 0 has_gil_ns");
    TAP_OK(num(t0, "has_gil_pct") == 60.48, "json: tid 0 has_gil_pct 60.48 (12700/21000)");
    TAP_OK(num(t0, "waiting_pct") == 39.52, "json: tid 0 waiting_pct 39.52");
    TAP_INT_EQ(num(t0, "drop_requests_received"), 2, "json: tid 0 drop requests received");
    TAP_OK(num(t0, "wait_mean_ns") > 2766.66 && num(t0, "wait_mean_ns") < 2766.67,
           "json: tid 0 mean wait 8300/3");
    TAP_INT_EQ(num(total, "acquisitions"), 5, "json: total acquisitions");
    TAP_OK(num(total, "has_gil_pct") == 52.5, "json: total has_gil_pct 52.5 (21000/40000)");
    TAP_OK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(back, "complete")), "json: complete");
    cJSON_Delete(back);
    free(text);
    cJSON_Delete(o);
    gs_stats_fini(&st);
    gs_trace_free(tr);
}

int main(int argc, char **argv)
{
    set_traces_dir(argc, argv);
    test_tick();
    test_interval();
    test_cut();
    test_edges();
    test_text();
    test_json();
    return tap_done();
}
