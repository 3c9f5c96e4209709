/*
 * export.c -- writing a trace in the Chrome / Perfetto Trace Event Format
 * (see export.h for what is drawn).
 *
 * WHY THE EVENTS ARE STREAMED.  A trace can hold millions of events, and a
 * cJSON tree costs a few hundred bytes per event; so every event is printed
 * as soon as it is known, with a small JSON writer below.  Only otherData,
 * a copy of the meta line, goes through cJSON.  Strings written here all
 * came through the loader, which checked that they are valid UTF-8, so
 * escaping quotes, backslashes and control characters is enough.
 *
 * WHY THE ODD TIME GRID.  The format's times are microseconds, and every
 * client reads them as doubles.  A decimal nanosecond such as 0.001 µs has
 * no exact double, so a client's ts + dur can come out one unit in the last
 * place after the next slice's ts: the DevTools engine then drops the next
 * slice from its call tree (it "ends after its parent"), and speedscope
 * nests it wrongly.  Rounding to whole microseconds would make those sums
 * exact, but would squash a third of a 2.7 trace's spans to nothing.  So
 * times are written in units of 1/1024 µs (0.977 ns, finer than the
 * trace's nanoseconds, so no span becomes empty): 1/1024 is a power of
 * two, every such number and every sum of two is an exact double (up to
 * 2^53 units, 101 days), and its decimal form is exact too
 * (1/1024 = 0.0009765625).  A slice's dur is its rounded end minus its
 * rounded start, so slices that touch in the trace touch exactly here.
 *
 * WHY THE ARROWS START WHERE THEY DO.  A flow event is bound to a slice of
 * its own thread.  The DevTools engine binds it only to an event with the
 * same ts, pid, tid and cat; Perfetto and chrome://tracing to the slice
 * enclosing its ts.  So both ends of a "GIL handoff" sit at the start of a
 * "Has GIL" slice (cat "gil"): the releaser's last one, and the one the
 * next holder begins.  The viewers draw the arrow from the end of the
 * first to the start of the second: from the release to the acquisition.
 * Nothing else of cat "gil" starts at those times, since a thread's GIL
 * slices tile its life (instants about the GIL are cat "gil_signal").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export.h"
#include "stats.h"
#include "timeline.h"

#define PID 1

/* [start, end) in ns: a "Has GIL" slice as written. */
typedef struct {
    int64_t start, end;
} Slice;

/* One thread's track, and the "Has GIL" slices written on it (in time
 * order), which the arrows and the GIL holder track are made from. */
typedef struct {
    const GsTraceThread *th;
    Slice *has_gil;
    size_t n, cap;
} Track;

typedef struct {
    FILE *f;
    const GsTrace *tr;
    bool first;             /* nothing written into traceEvents yet */
    bool oom;               /* an allocation failed: the result is incomplete */
    int64_t next_flow_id;
    Track *tracks;          /* one per thread, as tr->threads */
} Writer;

/* ---- times ----------------------------------------------------------------------------- */

/* ns in units of 1/1024 µs, rounded to the nearest: ns * 1024 / 1000 is
 * ns * 128 / 125, computed as whole 125s plus the rest so as not to
 * overflow. */
static int64_t grid_of(int64_t ns)
{
    int64_t q = ns / 125, r = ns % 125;
    if (r < 0)
        q--, r += 125;
    return q * 128 + (r * 128 + 62) / 125;
}

/* A grid value in decimal microseconds, exactly: 1025 -> 1.0009765625. */
static void put_grid(FILE *f, const char *key, int64_t u)
{
    fprintf(f, ",\"%s\":", key);
    if (u < 0) {
        fputc('-', f);
        u = -u;
    }
    fprintf(f, "%" PRId64, u / 1024);
    int64_t frac = (u % 1024) * 9765625;   /* 1/1024 = 0.0009765625: ten digits */
    if (frac) {
        char digits[12];
        snprintf(digits, sizeof digits, "%010" PRId64, frac);
        for (int i = 9; digits[i] == '0'; i--)
            digits[i] = '\0';
        fprintf(f, ".%s", digits);
    }
}

static void put_ts(FILE *f, int64_t ns)
{
    put_grid(f, "ts", grid_of(ns));
}

/* Both ends rounded, then subtracted: touching slices stay touching. */
static void put_dur(FILE *f, int64_t start, int64_t end)
{
    put_grid(f, "dur", grid_of(end) - grid_of(start));
}

/* ---- the JSON writer --------------------------------------------------------------- */

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* Open one event: the separator and the fields every event has (a
 * metadata event has no ts).  The caller adds its own fields, then calls
 * end_event. */
static void begin_event(Writer *w, const char *ph, const char *name, const char *cat, int tid,
                        int64_t ts)
{
    fputs(w->first ? "\n" : ",\n", w->f);
    w->first = false;
    fprintf(w->f, "{\"ph\":\"%s\",\"name\":", ph);
    put_string(w->f, name);
    if (cat)
        fprintf(w->f, ",\"cat\":\"%s\"", cat);
    fprintf(w->f, ",\"pid\":%d", PID);
    if (tid >= 0)
        fprintf(w->f, ",\"tid\":%d", tid);
    if (*ph != 'M')
        put_ts(w->f, ts);
}

static void end_event(Writer *w)
{
    fputc('}', w->f);
}

/* A complete slice [start, end); the caller may add fields (args). */
static void begin_slice(Writer *w, const char *name, const char *cat, int tid, int64_t start,
                        int64_t end)
{
    begin_event(w, "X", name, cat, tid, start);
    put_dur(w->f, start, end);
}

/* A thread-scoped instant; the caller may add fields (args). */
static void begin_instant(Writer *w, const char *name, const char *cat, int tid, int64_t t)
{
    begin_event(w, "i", name, cat, tid, t);
    fputs(",\"s\":\"t\"", w->f);
}

/* ---- metadata ---------------------------------------------------------------------- */

static void write_meta_name(Writer *w, const char *what, int tid, const char *name)
{
    begin_event(w, "M", what, NULL, tid, 0);
    fputs(",\"args\":{\"name\":", w->f);
    put_string(w->f, name);
    fputs("}", w->f);
    end_event(w);
}

static void write_meta_sort(Writer *w, const char *what, int tid, int index)
{
    begin_event(w, "M", what, NULL, tid, 0);
    fprintf(w->f, ",\"args\":{\"sort_index\":%d}", index);
    end_event(w);
}

/* "CPython 2.7, tick policy, sim clock": the process's label. */
static void write_process_labels(Writer *w)
{
    const GsTrace *tr = w->tr;
    const cJSON *clock = cJSON_GetObjectItemCaseSensitive(tr->meta, "clock");
    char labels[200];
    snprintf(labels, sizeof labels, "CPython %s, %s policy, %s clock",
             *tr->cpython ? tr->cpython : "?", *tr->policy ? tr->policy : "?",
             cJSON_IsString(clock) ? clock->valuestring : "real");
    begin_event(w, "M", "process_labels", NULL, -1, 0);
    fputs(",\"args\":{\"labels\":", w->f);
    put_string(w->f, labels);
    fputs("}", w->f);
    end_event(w);
}

static void write_metadata(Writer *w)
{
    const GsTrace *tr = w->tr;
    write_meta_name(w, "process_name", -1, *tr->script ? tr->script : "gilscope run");
    write_process_labels(w);
    write_meta_sort(w, "process_sort_index", -1, 0);
    write_meta_name(w, "thread_name", GS_EXPORT_HOLDER_TID, "GIL holder");
    write_meta_sort(w, "thread_sort_index", GS_EXPORT_HOLDER_TID, -1);
    for (size_t i = 0; i < tr->nthreads; i++) {
        const GsTraceThread *th = &tr->threads[i];
        /* A thread never named, or named "" (Thread.name = ""), is called
         * by its tid: an empty track name is no name at all. */
        char name[32];
        const char *given = gs_trace_str(tr, th->name);
        snprintf(name, sizeof name, "tid %d", th->tid);
        write_meta_name(w, "thread_name", th->tid, *given ? given : name);
        /* Without a sort index viewers order tracks by name or first event. */
        write_meta_sort(w, "thread_sort_index", th->tid, th->tid);
    }
}

/* ---- one thread's GIL spans -------------------------------------------------------- */

/* What a thread's own events said last, for the args of its next spans. */
typedef struct {
    int64_t lock;           /* the last lock_request's lock; -1: none */
    uint32_t io_kind;       /* the last io_begin's kind; 0 (""): none */
    int64_t checks;         /* a checks event since the last "Has GIL" slice; -1: none */
    int64_t blocked_lock;   /* lock and io_kind when the current span began */
    uint32_t blocked_io;
} SpanCtx;

static void note_context(SpanCtx *c, const GsTraceEvent *ev)
{
    if (ev->kind == GS_TK_lock_request)
        c->lock = ev->lock.lock;
    else if (ev->kind == GS_TK_io_begin)
        c->io_kind = ev->io.kind;
    else if (ev->kind == GS_TK_checks)
        c->checks = ev->checks;
}

static void remember_has_gil(Writer *w, Track *tk, int64_t start, int64_t end)
{
    if (tk->n == tk->cap) {
        size_t cap = tk->cap ? tk->cap * 2 : 64;
        Slice *s = realloc(tk->has_gil, cap * sizeof *s);
        if (!s) {
            w->oom = true;
            return;
        }
        tk->has_gil = s;
        tk->cap = cap;
    }
    tk->has_gil[tk->n++] = (Slice){ start, end };
}

static void write_blocked(Writer *w, const GsTlSpan *span, int tid, const SpanCtx *c)
{
    char name[40];
    snprintf(name, sizeof name, "Blocked (%s)", gs_trace_why_name(span->why));
    begin_slice(w, name, "gil", tid, span->start, span->end);
    if (span->why == GS_WHY_lock && c->blocked_lock >= 0) {
        fprintf(w->f, ",\"args\":{\"lock\":%" PRId64 "}", c->blocked_lock);
    } else if ((span->why == GS_WHY_io || span->why == GS_WHY_sleep) && c->blocked_io) {
        fputs(",\"args\":{\"kind\":", w->f);
        put_string(w->f, gs_trace_str(w->tr, c->blocked_io));
        fputc('}', w->f);
    }
    end_event(w);
}

static void write_span(Writer *w, Track *tk, const GsTlSpan *span, SpanCtx *c)
{
    int tid = tk->th->tid;
    switch (span->state) {
    case GS_TL_HAS_GIL:
        begin_slice(w, "Has GIL", "gil", tid, span->start, span->end);
        if (c->checks >= 0)
            fprintf(w->f, ",\"args\":{\"checks\":%" PRId64 "}", c->checks);
        end_event(w);
        c->checks = -1;
        remember_has_gil(w, tk, span->start, span->end);
        break;
    case GS_TL_WAITING:
        begin_slice(w, "Waiting for GIL", "gil", tid, span->start, span->end);
        end_event(w);
        break;
    case GS_TL_BLOCKED:
        write_blocked(w, span, tid, c);
        break;
    default:
        break;   /* before the first GIL event, after the exit: nothing to draw */
    }
}

/* The spans of timeline.h, one walker step per event, with what the events
 * between say (the lock waited for, the kind of I/O, the checks). */
static void write_spans(Writer *w, Track *tk)
{
    const GsTraceThread *th = tk->th;
    SpanCtx c = { -1, 0, -1, -1, 0 };
    GsTlWalker walker;
    GsTlSpan span;
    int64_t life_start, life_end;
    gs_timeline_lifetime(w->tr, th, &life_start, &life_end);
    gs_timeline_walker_init(&walker);
    for (size_t i = 0; i < th->nevents; i++) {
        const GsTraceEvent *ev = &th->events[i];
        note_context(&c, ev);
        GsTlState before = walker.state;
        int why_before = walker.why;
        if (gs_timeline_walker_step(&walker, ev, &span))
            write_span(w, tk, &span, &c);
        if (walker.state == GS_TL_BLOCKED && (before != GS_TL_BLOCKED || why_before != walker.why)) {
            c.blocked_lock = c.lock;
            c.blocked_io = c.io_kind;
        }
    }
    if (gs_timeline_walker_finish(&walker, life_end, &span))
        write_span(w, tk, &span, &c);
}

/* ---- one thread's other events ----------------------------------------------------- */

/* The "Has GIL" slice of tk around t, or NULL. */
static const Slice *has_gil_at(const Track *tk, int64_t t)
{
    size_t lo = 0, hi = tk->n;
    while (lo < hi) {   /* the first slice starting after t */
        size_t mid = lo + (hi - lo) / 2;
        if (tk->has_gil[mid].start <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && t < tk->has_gil[lo - 1].end ? &tk->has_gil[lo - 1] : NULL;
}

/* "GC Collecting" from a gc_start to the thread's next gc_end; a collection
 * still running when the trace was cut off lasts to the end of its life.
 * It is drawn inside its "Has GIL" slice, clipped to it so that it nests;
 * one that took no time (the simulated clock gives the collector none) or
 * ran outside the GIL is an instant, which viewers draw whatever its
 * length. */
static void write_gc(Writer *w, const Track *tk, size_t i)
{
    const GsTraceThread *th = tk->th;
    const GsTraceEvent *start = &th->events[i], *end = NULL;
    for (size_t j = i + 1; j < th->nevents && !end; j++)
        if (th->events[j].kind == GS_TK_gc_end)
            end = &th->events[j];
    int64_t life_start, life_end;
    gs_timeline_lifetime(w->tr, th, &life_start, &life_end);
    int64_t stop = end ? end->t : life_end;
    const Slice *in = has_gil_at(tk, start->t);
    if (in && stop > in->end)
        stop = in->end;
    if (in && grid_of(stop) > grid_of(start->t))
        begin_slice(w, "GC Collecting", "gc", th->tid, start->t, stop);
    else
        begin_instant(w, "GC Collecting", "gc", th->tid, start->t);
    fprintf(w->f, ",\"args\":{\"gen\":%d", (int)start->gc.gen);
    if (end)
        fprintf(w->f, ",\"collected\":%" PRId64, end->gc.collected);
    fputs("}}", w->f);
}

/* A deadlocked run: each waiting thread's wait, as an instant on its
 * track, in the words `gilscope stats` uses. */
static void write_deadlock(Writer *w, int tid, const GsTraceEvent *ev)
{
    const GsTrace *tr = w->tr;
    char what[400];
    gs_deadlock_describe_event(tr, tid, ev, what, sizeof what);
    begin_instant(w, "deadlock", "thread", tid, ev->t);
    fputs(",\"args\":{\"waits_for\":", w->f);
    put_string(w->f, gs_trace_str(tr, ev->dl.waits_for));
    fprintf(w->f, ",\"obj\":%" PRId64 ",\"holder\":%d,\"line\":%" PRId64 ",\"what\":",
            ev->dl.obj, (int)ev->dl.holder, ev->dl.line);
    put_string(w->f, what);
    fputs("}", w->f);
    end_event(w);
}

static void write_lock_event(Writer *w, int tid, const GsTraceEvent *ev)
{
    const char *name = ev->kind == GS_TK_lock_request ? "lock request"
                       : ev->kind == GS_TK_lock_acquire ? "lock acquire" : "lock release";
    begin_instant(w, name, "lock", tid, ev->t);
    fprintf(w->f, ",\"args\":{\"lock\":%" PRId64, ev->lock.lock);
    if (ev->kind == GS_TK_lock_acquire)
        fprintf(w->f, ",\"wait_ns\":%" PRId64, ev->lock.wait);
    fputs("}}", w->f);
}

static void write_op(Writer *w, int tid, const GsTraceEvent *ev)
{
    begin_instant(w, gs_trace_str(w->tr, ev->op.name), "op", tid, ev->t);
    fprintf(w->f, ",\"args\":{\"line\":%" PRId64 ",\"offset\":%" PRId64 ",\"code\":",
            ev->op.line, ev->op.offset);
    put_string(w->f, gs_trace_str(w->tr, ev->op.code));
    fputs("}}", w->f);
}

/* One event that is drawn by itself: an instant (or a GC slice). */
static void write_event(Writer *w, const Track *tk, size_t i)
{
    const GsTrace *tr = w->tr;
    const GsTraceEvent *ev = &tk->th->events[i];
    int tid = tk->th->tid;
    switch (ev->kind) {
    case GS_TK_gil_retry:
    case GS_TK_gil_drop_request:
        begin_instant(w, ev->kind == GS_TK_gil_retry ? "GIL retry" : "GIL drop request",
                      "gil_signal", tid, ev->t);
        fprintf(w->f, ",\"args\":{\"holder\":%d}}", (int)ev->holder);
        break;
    case GS_TK_print:
        begin_instant(w, "print", "print", tid, ev->t);
        fputs(",\"args\":{\"text\":", w->f);
        put_string(w->f, gs_trace_str(tr, ev->text));
        fputs("}}", w->f);
        break;
    case GS_TK_thread_start:
        begin_instant(w, "thread start", "thread", tid, ev->t);
        fputs(",\"args\":{\"name\":", w->f);
        put_string(w->f, gs_trace_str(tr, ev->name));
        fputs("}}", w->f);
        break;
    case GS_TK_thread_end:
        begin_instant(w, "thread end", "thread", tid, ev->t);
        end_event(w);
        break;
    case GS_TK_lock_request:
    case GS_TK_lock_acquire:
    case GS_TK_lock_release:
        write_lock_event(w, tid, ev);
        break;
    case GS_TK_op:
        write_op(w, tid, ev);
        break;
    case GS_TK_gc_start:
        write_gc(w, tk, i);
        break;
    case GS_TK_deadlock:
        write_deadlock(w, tid, ev);
        break;
    default:
        break;   /* drawn as spans, or as args of spans */
    }
}

static void write_thread(Writer *w, Track *tk)
{
    write_spans(w, tk);
    for (size_t i = 0; i < tk->th->nevents; i++)
        write_event(w, tk, i);
}

/* ---- handoff arrows ------------------------------------------------------------------ */

/* tk's "Has GIL" slice that starts (ends == false) or ends at t, or NULL. */
static const Slice *has_gil_edge(const Track *tk, int64_t t, bool ends)
{
    size_t lo = 0, hi = tk->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t edge = ends ? tk->has_gil[mid].end : tk->has_gil[mid].start;
        if (edge == t)
            return &tk->has_gil[mid];
        if (edge < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void write_flow(Writer *w, const GsTlGilEvent *rel, const GsTlGilEvent *acq)
{
    const Track *from = &w->tracks[rel->thread - w->tr->threads];
    const Track *to = &w->tracks[acq->thread - w->tr->threads];
    const Slice *held = has_gil_edge(from, rel->ev->t, true);
    const Slice *taken = has_gil_edge(to, acq->ev->t, false);
    /* A cut-off trace can end at the acquisition itself: then no slice
     * begins there, and an arrow would point at nothing. */
    if (!held || !taken)
        return;
    int64_t id = w->next_flow_id++;
    begin_event(w, "s", "GIL handoff", "gil", from->th->tid, held->start);
    fprintf(w->f, ",\"id\":%" PRId64, id);
    end_event(w);
    begin_event(w, "f", "GIL handoff", "gil", to->th->tid, taken->start);
    fprintf(w->f, ",\"id\":%" PRId64 ",\"bp\":\"e\"", id);
    end_event(w);
}

/* An arrow from each gil_release to the next gil_acquire, if that is by
 * another thread (a thread that takes the GIL back hands nothing over). */
static int write_flows(Writer *w)
{
    GsTlGilEvent *order;
    size_t n;
    if (gs_timeline_gil_order(w->tr, &order, &n) < 0)
        return -1;
    const GsTlGilEvent *pending = NULL;
    for (size_t i = 0; i < n; i++) {
        const GsTlGilEvent *e = &order[i];
        if (e->ev->kind == GS_TK_gil_release) {
            pending = e;
            continue;
        }
        if (pending && pending->thread != e->thread)
            write_flow(w, pending, e);
        pending = NULL;
    }
    free(order);
    return 0;
}

/* ---- the GIL holder track ------------------------------------------------------------ */

typedef struct {
    Slice s;
    int tid;
} Held;

static int held_cmp(const void *a, const void *b)
{
    const Held *x = a, *y = b;
    if (x->s.start != y->s.start)
        return x->s.start < y->s.start ? -1 : 1;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

static void write_holder_slice(Writer *w, const Held *h)
{
    char label[128];
    gs_stats_thread_label(w->tr, h->tid, label, sizeof label);
    begin_slice(w, label, "gil_holder", GS_EXPORT_HOLDER_TID, h->s.start, h->s.end);
    fprintf(w->f, ",\"args\":{\"tid\":%d}", h->tid);
    end_event(w);
}

/* Every thread's "Has GIL" slices on one track, named by the holder.  Two
 * holders never overlap in a trace (a release is recorded before the GIL
 * is let go, an acquisition after it is taken), but a slice is clipped to
 * start where the previous one ended all the same, so that the track is
 * one row whatever the input; and two touching slices of one thread are
 * one, since the same name twice at one instant confuses speedscope. */
static int write_holder_track(Writer *w)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < w->tr->nthreads; i++)
        n += w->tracks[i].n;
    if (n == 0)
        return 0;
    Held *all = malloc(n * sizeof *all);
    if (!all)
        return -1;
    for (size_t i = 0; i < w->tr->nthreads; i++)
        for (size_t j = 0; j < w->tracks[i].n; j++)
            all[k++] = (Held){ w->tracks[i].has_gil[j], w->tracks[i].th->tid };
    qsort(all, n, sizeof *all, held_cmp);
    Held cur = { { 0, 0 }, -1 };
    for (size_t i = 0; i < n; i++) {
        Held h = all[i];
        if (cur.tid >= 0 && h.s.start < cur.s.end)
            h.s.start = cur.s.end;
        if (grid_of(h.s.end) <= grid_of(h.s.start))
            continue;
        if (cur.tid == h.tid && grid_of(h.s.start) == grid_of(cur.s.end)) {
            cur.s.end = h.s.end;
            continue;
        }
        if (cur.tid >= 0)
            write_holder_slice(w, &cur);
        cur = h;
    }
    if (cur.tid >= 0)
        write_holder_slice(w, &cur);
    free(all);
    return 0;
}

/* ---- reference counts --------------------------------------------------------------- */

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The busiest objects (most ref and dealloc events, the lower id first on
 * a tie, at least two events), as the viewer picks them by default: up to
 * GS_EXPORT_DEFAULT_OBJECTS ids into pick.  Returns how many, or -1 when
 * out of memory. */
static int pick_busiest(const GsTrace *tr, int64_t *pick)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < tr->nthreads; i++)
        for (size_t j = 0; j < tr->threads[i].nevents; j++)
            n += tr->threads[i].events[j].kind == GS_TK_ref ||
                 tr->threads[i].events[j].kind == GS_TK_dealloc;
    if (n == 0)
        return 0;
    int64_t *ids = malloc(n * sizeof *ids);
    if (!ids)
        return -1;
    for (size_t i = 0; i < tr->nthreads; i++)
        for (size_t j = 0; j < tr->threads[i].nevents; j++) {
            const GsTraceEvent *ev = &tr->threads[i].events[j];
            if (ev->kind == GS_TK_ref || ev->kind == GS_TK_dealloc)
                ids[k++] = ev->ref.obj;
        }
    qsort(ids, n, sizeof *ids, id_cmp);
    int64_t count[GS_EXPORT_DEFAULT_OBJECTS] = { 0 };
    int npicked = 0;
    for (size_t i = 0; i < n;) {
        size_t run = 1;
        while (i + run < n && ids[i + run] == ids[i])
            run++;
        /* Insert into the short sorted list: ids come in increasing order,
         * so an equal count never displaces an earlier (lower) id. */
        int at = npicked;
        while (at > 0 && (int64_t)run > count[at - 1])
            at--;
        if (run >= 2 && at < GS_EXPORT_DEFAULT_OBJECTS) {
            int last = npicked < GS_EXPORT_DEFAULT_OBJECTS ? npicked++ : npicked - 1;
            for (int m = last; m > at; m--)
                pick[m] = pick[m - 1], count[m] = count[m - 1];
            pick[at] = ids[i];
            count[at] = (int64_t)run;
        }
        i += run;
    }
    free(ids);
    return npicked;
}

static bool wanted(const int64_t *ids, size_t n, int64_t obj)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == obj)
            return true;
    return false;
}

static void write_counters(Writer *w, const GsTraceThread *th, const int64_t *ids, size_t nids)
{
    for (size_t i = 0; i < th->nevents; i++) {
        const GsTraceEvent *ev = &th->events[i];
        if ((ev->kind != GS_TK_ref && ev->kind != GS_TK_dealloc) ||
            !wanted(ids, nids, ev->ref.obj))
            continue;
        char name[128];
        snprintf(name, sizeof name, "refcount %s #%" PRId64, gs_trace_str(w->tr, ev->ref.type),
                 ev->ref.obj);
        /* Counters belong to the process, not to a thread: no tid. */
        begin_event(w, "C", name, "ref", -1, ev->t);
        fprintf(w->f, ",\"args\":{\"refcnt\":%" PRId64 "}",
                ev->kind == GS_TK_dealloc ? (int64_t)0 : ev->ref.refcnt);
        end_event(w);
    }
}

/* ---- the file ----------------------------------------------------------------------- */

/* otherData: the meta line's fields (not its "ev" and "t"), whether the
 * trace was complete, and whose reference counts are in the file. */
static int write_other_data(Writer *w, const int64_t *ids, size_t nids)
{
    cJSON *other = w->tr->meta ? cJSON_Duplicate(w->tr->meta, 1) : cJSON_CreateObject();
    if (!other)
        return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(other, "ev");
    cJSON_DeleteItemFromObjectCaseSensitive(other, "t");
    cJSON_AddBoolToObject(other, "trace_complete", w->tr->complete);
    cJSON *objs = cJSON_AddArrayToObject(other, "refcount_objects");
    for (size_t i = 0; objs && i < nids; i++)
        cJSON_AddItemToArray(objs, cJSON_CreateNumber((double)ids[i]));
    char *text = cJSON_PrintUnformatted(other);
    cJSON_Delete(other);
    if (!text)
        return -1;
    fputs(text, w->f);
    free(text);
    return 0;
}

/* The objects whose counts are exported: those asked for, or the busiest. */
static int pick_objects(const GsTrace *tr, const GsExportOptions *opt, int64_t **ids,
                        size_t *n)
{
    size_t want = opt && opt->nobjects ? opt->nobjects : GS_EXPORT_DEFAULT_OBJECTS;
    *ids = malloc(want * sizeof **ids);
    if (!*ids)
        return -1;
    if (opt && opt->nobjects) {
        memcpy(*ids, opt->objects, want * sizeof **ids);
        *n = want;
        return 0;
    }
    int got = pick_busiest(tr, *ids);
    *n = got > 0 ? (size_t)got : 0;
    return got < 0 ? -1 : 0;
}

static int write_events(Writer *w, const int64_t *ids, size_t nids)
{
    write_metadata(w);
    for (size_t i = 0; i < w->tr->nthreads; i++)
        write_thread(w, &w->tracks[i]);
    int rc = write_flows(w);
    if (write_holder_track(w) < 0)
        rc = -1;
    for (size_t i = 0; i < w->tr->nthreads; i++)
        write_counters(w, &w->tr->threads[i], ids, nids);
    return w->oom ? -1 : rc;
}

int gs_export_chrome(const GsTrace *tr, const GsExportOptions *opt, FILE *out, char *err,
                     size_t errlen)
{
    Writer w = { out, tr, true, false, 1, calloc(tr->nthreads + 1, sizeof(Track)) };
    int64_t *ids = NULL;
    size_t nids = 0;
    int rc = w.tracks && pick_objects(tr, opt, &ids, &nids) == 0 ? 0 : -1;
    errno = 0;
    fputs("{\"traceEvents\":[", out);
    if (rc == 0) {
        for (size_t i = 0; i < tr->nthreads; i++)
            w.tracks[i].th = &tr->threads[i];
        rc = write_events(&w, ids, nids);
    }
    /* Always close the array and the object: some Perfetto versions refuse
     * a file without them. */
    fputs("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":", out);
    if (write_other_data(&w, ids, nids) < 0) {
        fputs("{}", out);
        rc = -1;
    }
    fputs("}\n", out);
    for (size_t i = 0; w.tracks && i < tr->nthreads; i++)
        free(w.tracks[i].has_gil);
    free(w.tracks);
    free(ids);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
    else if (fflush(out) != 0 || ferror(out))
        rc = -1, snprintf(err, errlen, "%s", errno ? strerror(errno) : "a write failed");
    return rc;
}
