/*
 * stats.c -- `gilscope stats`: how each thread spent its life with respect
 * to the GIL.
 *
 * WHAT IS COUNTED (docs/trace-format.md, "What gilscope stats computes"):
 *
 *   has GIL %   time from gil_acquire to gil_release
 *   waiting %   time from gil_request (or a gil_release for check or
 *               drop_request) to gil_acquire
 *   blocked %   time from a gil_release for sleep, io, lock, join or wait
 *               to the next gil_request or gil_acquire
 *               -- each as a share of the thread's lifetime: its first
 *               event to its last (or the end of the run if it has no
 *               thread_end).  The totals row divides the sums by the sum of
 *               all lifetimes, so it never exceeds 100%.
 *   acquired    gil_acquire events
 *   retries     gil_retry events: woken up, found the GIL taken again
 *   drop reqs   gil_drop_request events whose holder is this thread: how
 *               often other threads asked it to let go (interval policy)
 *   mean/max wait   over gil_acquire's "wait", every acquisition counted
 *   switches    gil_acquire events by a different thread than the previous
 *               gil_acquire; the first acquisition counts too (the GIL goes
 *               from nobody to the main thread), as the interpreter counts
 *               the end line's "switches"
 *   GIL held    the sum of all has-GIL time as a share of the run
 *
 * The spans themselves come from timeline.c, which export.c draws too.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "threads/policies.h"
#include "stats.h"

double gs_stats_pct(int64_t part, int64_t whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* ---- computing ------------------------------------------------------------------- */

static void add_span(const GsTlSpan *span, void *ctx)
{
    GsThreadStats *ts = ctx;
    int64_t len = span->end - span->start;
    ts->state_ns[span->state] += len;
    if (span->state == GS_TL_BLOCKED)
        ts->blocked_ns[span->why] += len;
}

/* Counts that come from single events of the thread itself. */
static void count_events(const GsTraceThread *th, GsThreadStats *ts)
{
    for (size_t i = 0; i < th->nevents; i++) {
        const GsTraceEvent *ev = &th->events[i];
        if (ev->kind == GS_TK_gil_acquire) {
            ts->acquisitions++;
            ts->wait_sum_ns += ev->wait;
            if (ev->wait > ts->wait_max_ns)
                ts->wait_max_ns = ev->wait;
        } else if (ev->kind == GS_TK_gil_retry) {
            ts->retries++;
        }
    }
}

/* Drop requests are made by the waiter but received by the holder. */
static void count_drop_requests(const GsTrace *tr, GsStats *st)
{
    for (size_t i = 0; i < tr->nthreads; i++) {
        const GsTraceThread *th = &tr->threads[i];
        for (size_t j = 0; j < th->nevents; j++) {
            if (th->events[j].kind != GS_TK_gil_drop_request)
                continue;
            const GsTraceThread *holder = gs_trace_thread(tr, th->events[j].holder);
            if (holder)
                st->threads[holder - tr->threads].drop_requests++;
        }
    }
}

void gs_stats_add_to_total(GsThreadStats *total, const GsThreadStats *ts)
{
    total->lifetime_ns += ts->lifetime_ns;
    for (int s = 0; s < GS_TL_COUNT; s++)
        total->state_ns[s] += ts->state_ns[s];
    for (int w = 0; w < GS_WHY_COUNT; w++)
        total->blocked_ns[w] += ts->blocked_ns[w];
    total->acquisitions += ts->acquisitions;
    total->retries += ts->retries;
    total->drop_requests += ts->drop_requests;
    total->wait_sum_ns += ts->wait_sum_ns;
    if (ts->wait_max_ns > total->wait_max_ns)
        total->wait_max_ns = ts->wait_max_ns;
}

static int count_switches(const GsTrace *tr, int64_t *switches)
{
    GsTlGilEvent *order;
    size_t n;
    if (gs_timeline_gil_order(tr, &order, &n) < 0)
        return -1;
    int last = -1;
    *switches = 0;
    for (size_t i = 0; i < n; i++) {
        if (order[i].ev->kind != GS_TK_gil_acquire)
            continue;
        if (order[i].thread->tid != last)
            ++*switches;
        last = order[i].thread->tid;
    }
    free(order);
    return 0;
}

int gs_stats_compute(const GsTrace *tr, GsStats *st)
{
    memset(st, 0, sizeof *st);
    st->total.tid = -1;
    st->total.name = "total";
    st->duration_ns = tr->t_end - tr->t_start;
    if (tr->nthreads && !(st->threads = calloc(tr->nthreads, sizeof *st->threads)))
        return -1;
    st->nthreads = tr->nthreads;
    for (size_t i = 0; i < tr->nthreads; i++) {
        const GsTraceThread *th = &tr->threads[i];
        GsThreadStats *ts = &st->threads[i];
        int64_t start, end;
        ts->tid = th->tid;
        ts->name = gs_trace_str(tr, th->name);
        gs_timeline_lifetime(tr, th, &start, &end);
        ts->lifetime_ns = end - start;
        gs_timeline_walk(tr, th, add_span, ts);
        count_events(th, ts);
    }
    count_drop_requests(tr, st);
    for (size_t i = 0; i < st->nthreads; i++)
        gs_stats_add_to_total(&st->total, &st->threads[i]);
    if (count_switches(tr, &st->switches) < 0) {
        gs_stats_fini(st);
        return -1;
    }
    return 0;
}

void gs_stats_fini(GsStats *st)
{
    free(st->threads);
    st->threads = NULL;
    st->nthreads = 0;
}

/* ---- formatting numbers ---------------------------------------------------------- */

/* Three significant digits or so: 850 ns, 4.90 µs, 12.3 ms, 2.11 s. */
static void fmt_ns(char *buf, size_t size, int64_t ns)
{
    static const struct { double scale; const char *unit; } units[] = {
        { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "µs" },
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if ((double)ns < units[i].scale)
            continue;
        double v = (double)ns / units[i].scale;
        const char *f = v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s";
        snprintf(buf, size, f, v, units[i].unit);
        return;
    }
    snprintf(buf, size, "%lld ns", (long long)ns);
}

static void fmt_pct(char *buf, size_t size, int64_t part, int64_t whole)
{
    snprintf(buf, size, "%.1f%%", gs_stats_pct(part, whole));
}

/* ---- the table ---------------------------------------------------------------------
 *
 * Cells are formatted first, then every column is as wide as its widest
 * cell, so nothing is cut and nothing wastes projector width.  Widths count
 * characters, not bytes: "µs" and thread names may be UTF-8. */

/* A cell holds MAX_NAME characters of up to 4 bytes, "…" and the NUL. */
enum { NCOLS = 10, MAX_NAME = 24, CELL = MAX_NAME * 4 + 4 };

static const char *const headers[NCOLS] = {
    "tid", "thread", "has GIL", "waiting", "blocked", "acquired", "retries", "drop reqs",
    "mean wait", "max wait",
};

typedef char Row[NCOLS][CELL];

static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

/* A name for the table: cut to MAX_NAME characters (the last one "…"), and
 * control characters, which would break the layout, shown as "?". */
static void fmt_name(char *buf, size_t size, const char *name)
{
    if (display_width(name) <= MAX_NAME) {
        snprintf(buf, size, "%s", name);
    } else {
        size_t chars = 0, i = 0;
        for (; name[i]; i++)
            if (((unsigned char)name[i] & 0xc0) != 0x80 && chars++ == MAX_NAME - 1)
                break;
        snprintf(buf, size, "%.*s…", (int)i, name);
    }
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
}

static void fill_row(Row row, const GsThreadStats *ts)
{
    int64_t life = ts->lifetime_ns;
    if (ts->tid >= 0)
        snprintf(row[0], CELL, "%d", ts->tid);
    else
        row[0][0] = '\0';
    fmt_name(row[1], CELL, *ts->name ? ts->name : "-");
    fmt_pct(row[2], CELL, ts->state_ns[GS_TL_HAS_GIL], life);
    fmt_pct(row[3], CELL, ts->state_ns[GS_TL_WAITING], life);
    fmt_pct(row[4], CELL, ts->state_ns[GS_TL_BLOCKED], life);
    snprintf(row[5], CELL, "%lld", (long long)ts->acquisitions);
    snprintf(row[6], CELL, "%lld", (long long)ts->retries);
    snprintf(row[7], CELL, "%lld", (long long)ts->drop_requests);
    if (ts->acquisitions) {
        fmt_ns(row[8], CELL, ts->wait_sum_ns / ts->acquisitions);
        fmt_ns(row[9], CELL, ts->wait_max_ns);
    } else {
        strcpy(row[8], "-");
        strcpy(row[9], "-");
    }
}

static void print_cell(FILE *out, const char *s, size_t width, bool left)
{
    size_t pad = width - display_width(s);
    if (left)
        fprintf(out, "%s%*s", s, (int)pad, "");
    else
        fprintf(out, "%*s%s", (int)pad, "", s);
}

static void print_row(FILE *out, Row row, const size_t *widths)
{
    for (int c = 0; c < NCOLS; c++) {
        fputs(c ? "  " : " ", out);
        print_cell(out, row[c], widths[c], c == 1);   /* only the name is left-aligned */
    }
    fputc('\n', out);
}

static void print_rule(FILE *out, const size_t *widths)
{
    size_t total = 1;
    for (int c = 0; c < NCOLS; c++)
        total += widths[c] + (c ? 2 : 0);
    for (size_t i = 0; i < total; i++)
        fputc('-', out);
    fputc('\n', out);
}

static void print_table(FILE *out, Row *rows, size_t nrows)
{
    size_t widths[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        widths[c] = display_width(headers[c]);
        for (size_t r = 0; r < nrows; r++)
            if (display_width(rows[r][c]) > widths[c])
                widths[c] = display_width(rows[r][c]);
    }
    Row head;
    for (int c = 0; c < NCOLS; c++)
        snprintf(head[c], CELL, "%s", headers[c]);
    print_row(out, head, widths);
    for (size_t r = 0; r + 1 < nrows; r++)
        print_row(out, rows[r], widths);
    print_rule(out, widths);
    print_row(out, rows[nrows - 1], widths);
}

static const char *const legend =
    "  has GIL    from gil_acquire to gil_release\n"
    "  waiting    from gil_request (or a release for check/drop_request) to gil_acquire\n"
    "  blocked    from a release for sleep/io/lock/join/wait to the next request or acquire\n"
    "  %          of each thread's lifetime (total: of all lifetimes added up)\n"
    "  retries    woke up to find the GIL taken again\n"
    "  drop reqs  times other threads asked this thread to drop the GIL\n"
    "  wait       gil_acquire's wait, mean over all acquisitions and max\n";

static void print_header(FILE *out, const GsTrace *tr, const GsStats *st)
{
    char dur[CELL];
    fmt_ns(dur, sizeof dur, st->duration_ns);
    fprintf(out, "gilscope stats: %s", *tr->script ? tr->script : tr->name);
    if (*tr->cpython || *tr->policy)
        fprintf(out, "  (CPython %s, %s policy)", *tr->cpython ? tr->cpython : "?",
                *tr->policy ? tr->policy : "?");
    int policy = gs_policy_find(tr->policy);
    if (policy >= 0)   /* say what the policy does (policies.h) */
        fprintf(out, "\n%s policy (CPython %s): %s", tr->policy, gs_policy_info(policy)->cpython,
                gs_policy_info(policy)->summary);
    fprintf(out, "\nthe run%s: %s, the GIL held %.1f%% of it, %lld switch%s",
            tr->complete ? "" : " (cut off)", dur,
            gs_stats_pct(st->total.state_ns[GS_TL_HAS_GIL], st->duration_ns),
            (long long)st->switches, st->switches == 1 ? "" : "es");
    if (tr->end.switches >= 0 && tr->end.switches != st->switches)
        fprintf(out, " (the end line says %lld)", (long long)tr->end.switches);
    fputs("\n\n", out);
}

void gs_deadlock_describe(char *buf, size_t size, const char *waits_for, int tid, int64_t obj,
                          int64_t line, int holder, const char *holder_name, int64_t held_line)
{
    bool lock = !strcmp(waits_for, "lock");
    if (lock && holder == tid)
        snprintf(buf, size, "waits for Lock#%lld (line %lld), which it holds itself",
                 (long long)obj, (long long)line);
    else if (lock && held_line > 0)
        snprintf(buf, size, "waits for Lock#%lld (line %lld), held by %s (taken at line %lld)",
                 (long long)obj, (long long)line, holder_name, (long long)held_line);
    else if (lock)
        snprintf(buf, size, "waits for Lock#%lld (line %lld), held by %s", (long long)obj,
                 (long long)line, holder_name);
    else if (!strcmp(waits_for, "thread"))
        snprintf(buf, size, "waits for %s to end (join, line %lld)", holder_name,
                 (long long)line);
    else
        snprintf(buf, size, "waits for %s#%lld (line %lld), which nobody is left to set",
                 !strcmp(waits_for, "event") ? "Event" : waits_for, (long long)obj,
                 (long long)line);
}

void gs_stats_thread_label(const GsTrace *tr, int tid, char *buf, size_t size)
{
    const GsTraceThread *th = gs_trace_thread(tr, tid);
    const char *name = th ? gs_trace_str(tr, th->name) : "";
    snprintf(buf, size, "T%d%s%s", tid, *name ? " " : "", name);
}

int64_t gs_deadlock_held_line(const GsTrace *tr, int holder, int64_t obj)
{
    const GsTraceThread *th = gs_trace_thread(tr, holder);
    for (size_t i = 0; th && i < th->nevents; i++)
        if (th->events[i].kind == GS_TK_deadlock_hold && th->events[i].dl.obj == obj)
            return th->events[i].dl.line;
    return 0;
}

void gs_deadlock_describe_event(const GsTrace *tr, int tid, const GsTraceEvent *e, char *buf,
                                size_t size)
{
    char holder[96];
    gs_stats_thread_label(tr, e->dl.holder, holder, sizeof holder);
    gs_deadlock_describe(buf, size, gs_trace_str(tr, e->dl.waits_for), tid, e->dl.obj,
                         e->dl.line, e->dl.holder, holder,
                         gs_deadlock_held_line(tr, e->dl.holder, e->dl.obj));
}

/* A run that stopped on a deadlock: each thread's wait. */
static void print_deadlock(FILE *out, const GsTrace *tr)
{
    bool first = true;
    for (size_t i = 0; i < tr->nthreads; i++) {
        const GsTraceThread *th = &tr->threads[i];
        for (size_t j = 0; j < th->nevents; j++) {
            const GsTraceEvent *e = &th->events[j];
            if (e->kind != GS_TK_deadlock)
                continue;
            char who[96], what[400], when[CELL];
            if (first) {
                fmt_ns(when, sizeof when, e->t - tr->t_start);
                fprintf(out, "deadlock at %s: no thread could ever run again\n", when);
                first = false;
            }
            gs_stats_thread_label(tr, th->tid, who, sizeof who);
            gs_deadlock_describe_event(tr, th->tid, e, what, sizeof what);
            fprintf(out, "  %s %s\n", who, what);
        }
    }
    if (!first)
        fputc('\n', out);
}

int gs_stats_print(const GsTrace *tr, const GsStats *st, FILE *out)
{
    Row *rows = calloc(st->nthreads + 1, sizeof *rows);
    if (!rows)
        return -1;
    for (size_t i = 0; i < st->nthreads; i++)
        fill_row(rows[i], &st->threads[i]);
    fill_row(rows[st->nthreads], &st->total);
    print_header(out, tr, st);
    print_table(out, rows, st->nthreads + 1);
    fputc('\n', out);
    print_deadlock(out, tr);
    fputs(legend, out);
    free(rows);
    return ferror(out) ? -1 : 0;
}

/* ---- JSON -------------------------------------------------------------------------- */

/* A percentage rounded to 0.01, so the JSON shows 26.32 and not 26.315789... */
static double pct2(int64_t part, int64_t whole)
{
    return (double)(int64_t)(gs_stats_pct(part, whole) * 100.0 + 0.5) / 100.0;
}

static void add_state(cJSON *o, const char *key, int64_t ns, int64_t life)
{
    char name[40];
    snprintf(name, sizeof name, "%s_ns", key);
    cJSON_AddNumberToObject(o, name, (double)ns);
    snprintf(name, sizeof name, "%s_pct", key);
    cJSON_AddNumberToObject(o, name, pct2(ns, life));
}

static cJSON *blocked_by_json(const GsThreadStats *ts)
{
    cJSON *o = cJSON_CreateObject();
    for (int w = 0; o && w < GS_WHY_COUNT; w++)
        if (w != GS_WHY_check && w != GS_WHY_drop_request && w != GS_WHY_exit)
            cJSON_AddNumberToObject(o, gs_trace_why_name(w), (double)ts->blocked_ns[w]);
    return o;
}

static cJSON *thread_json(const GsThreadStats *ts)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (ts->tid >= 0) {
        cJSON_AddNumberToObject(o, "tid", ts->tid);
        cJSON_AddStringToObject(o, "name", ts->name);
    }
    int64_t life = ts->lifetime_ns;
    cJSON_AddNumberToObject(o, "lifetime_ns", (double)life);
    add_state(o, "has_gil", ts->state_ns[GS_TL_HAS_GIL], life);
    add_state(o, "waiting", ts->state_ns[GS_TL_WAITING], life);
    add_state(o, "blocked", ts->state_ns[GS_TL_BLOCKED], life);
    add_state(o, "other", ts->state_ns[GS_TL_NONE], life);
    cJSON_AddItemToObject(o, "blocked_by_ns", blocked_by_json(ts));
    cJSON_AddNumberToObject(o, "acquisitions", (double)ts->acquisitions);
    cJSON_AddNumberToObject(o, "retries", (double)ts->retries);
    cJSON_AddNumberToObject(o, "drop_requests_received", (double)ts->drop_requests);
    if (ts->acquisitions)
        cJSON_AddNumberToObject(o, "wait_mean_ns",
                                (double)ts->wait_sum_ns / (double)ts->acquisitions);
    else
        cJSON_AddNullToObject(o, "wait_mean_ns");
    cJSON_AddNumberToObject(o, "wait_max_ns", (double)ts->wait_max_ns);
    return o;
}

static void add_run_fields(cJSON *o, const GsTrace *tr, const GsStats *st)
{
    cJSON_AddStringToObject(o, "trace", tr->name);
    cJSON_AddStringToObject(o, "script", tr->script);
    cJSON_AddStringToObject(o, "cpython", tr->cpython);
    cJSON_AddStringToObject(o, "policy", tr->policy);
    cJSON_AddBoolToObject(o, "complete", tr->complete);
    cJSON_AddNumberToObject(o, "duration_ns", (double)st->duration_ns);
    cJSON_AddNumberToObject(o, "gil_held_pct",
                            pct2(st->total.state_ns[GS_TL_HAS_GIL], st->duration_ns));
    cJSON_AddNumberToObject(o, "switches", (double)st->switches);
    if (tr->end.switches >= 0)
        cJSON_AddNumberToObject(o, "switches_recorded", (double)tr->end.switches);
    else
        cJSON_AddNullToObject(o, "switches_recorded");
}

/* The waits of a deadlocked run, as print_deadlock shows them; null when
 * the run did not deadlock. */
static cJSON *deadlock_json(const GsTrace *tr)
{
    cJSON *a = NULL;
    for (size_t i = 0; i < tr->nthreads; i++) {
        const GsTraceThread *th = &tr->threads[i];
        for (size_t j = 0; j < th->nevents; j++) {
            const GsTraceEvent *e = &th->events[j];
            if (e->kind != GS_TK_deadlock)
                continue;
            cJSON *w = cJSON_CreateObject();
            if (!a)
                a = cJSON_CreateArray();
            if (!a || !w) {
                cJSON_Delete(w);
                continue;
            }
            cJSON_AddNumberToObject(w, "tid", th->tid);
            cJSON_AddStringToObject(w, "waits_for", gs_trace_str(tr, e->dl.waits_for));
            cJSON_AddNumberToObject(w, "obj", (double)e->dl.obj);
            cJSON_AddNumberToObject(w, "line", (double)e->dl.line);
            cJSON_AddNumberToObject(w, "holder", e->dl.holder);
            int64_t held = gs_deadlock_held_line(tr, e->dl.holder, e->dl.obj);
            if (held > 0)
                cJSON_AddNumberToObject(w, "held_line", (double)held);
            cJSON_AddItemToArray(a, w);
        }
    }
    return a ? a : cJSON_CreateNull();
}

cJSON *gs_stats_json(const GsTrace *tr, const GsStats *st)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    add_run_fields(o, tr, st);
    cJSON *threads = cJSON_AddArrayToObject(o, "threads");
    if (!threads) {
        cJSON_Delete(o);
        return NULL;
    }
    for (size_t i = 0; i < st->nthreads; i++)
        cJSON_AddItemToArray(threads, thread_json(&st->threads[i]));
    cJSON_AddItemToObject(o, "total", thread_json(&st->total));
    cJSON_AddItemToObject(o, "deadlock", deadlock_json(tr));
    /* cJSON's adders fail silently when memory is short: check the result
     * once rather than after every call. */
    if (cJSON_GetArraySize(threads) != (int)st->nthreads ||
        !cJSON_GetObjectItemCaseSensitive(o, "total") ||
        !cJSON_GetObjectItemCaseSensitive(o, "switches_recorded")) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
