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

typedef struct {
    FILE *f;
    const GsTrace *tr;
    bool first;             /* nothing written into traceEvents yet */
    int64_t next_flow_id;
} Writer;

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

/* ns as microseconds with three exact decimals: 1234567 -> 1234.567. */
static void put_us(FILE *f, const char *key, int64_t ns)
{
    fprintf(f, ",\"%s\":%" PRId64 ".%03d", key, ns / 1000, (int)(ns % 1000));
}

/* Open one event: the separator and the fields every event has.  The
 * caller adds its own fields, then calls end_event. */
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
    put_us(w->f, "ts", ts);
}

static void end_event(Writer *w)
{
    fputc('}', w->f);
}

/* ---- metadata ---------------------------------------------------------------------- */

static void write_metadata(Writer *w)
{
    const GsTrace *tr = w->tr;
    begin_event(w, "M", "process_name", NULL, -1, 0);
    fputs(",\"args\":{\"name\":", w->f);
    put_string(w->f, *tr->script ? tr->script : "gilscope run");
    fputs("}", w->f);
    end_event(w);
    for (size_t i = 0; i < tr->nthreads; i++) {
        const GsTraceThread *th = &tr->threads[i];
        char fallback[32];
        snprintf(fallback, sizeof fallback, "tid %d", th->tid);
        begin_event(w, "M", "thread_name", NULL, th->tid, 0);
        fputs(",\"args\":{\"name\":", w->f);
        put_string(w->f, th->name ? gs_trace_str(tr, th->name) : fallback);
        fputs("}", w->f);
        end_event(w);
        /* Without a sort index viewers order tracks by name or first event. */
        begin_event(w, "M", "thread_sort_index", NULL, th->tid, 0);
        fprintf(w->f, ",\"args\":{\"sort_index\":%d}", th->tid);
        end_event(w);
    }
}

/* ---- one thread's track ------------------------------------------------------------ */

typedef struct {
    Writer *w;
    int tid;
} SpanCtx;

static void write_span(const GsTlSpan *span, void *ctx)
{
    SpanCtx *sc = ctx;
    char name[40];
    switch (span->state) {
    case GS_TL_HAS_GIL:
        snprintf(name, sizeof name, "Has GIL");
        break;
    case GS_TL_WAITING:
        snprintf(name, sizeof name, "Waiting for GIL");
        break;
    case GS_TL_BLOCKED:
        snprintf(name, sizeof name, "Blocked (%s)", gs_trace_why_name(span->why));
        break;
    default:
        return;   /* before the first GIL event, after the exit: nothing to draw */
    }
    begin_event(sc->w, "X", name, "gil", sc->tid, span->start);
    put_us(sc->w->f, "dur", span->end - span->start);
    end_event(sc->w);
}

static void write_instant(Writer *w, int tid, const GsTraceEvent *ev)
{
    const GsTrace *tr = w->tr;
    if (ev->kind == GS_TK_print) {
        begin_event(w, "i", "print", "print", tid, ev->t);
        fputs(",\"s\":\"t\",\"args\":{\"text\":", w->f);
        put_string(w->f, gs_trace_str(tr, ev->text));
        fputs("}", w->f);
    } else {
        const char *name = ev->kind == GS_TK_gil_retry ? "GIL retry" : "GIL drop request";
        begin_event(w, "i", name, "gil", tid, ev->t);
        fprintf(w->f, ",\"s\":\"t\",\"args\":{\"holder\":%d}", (int)ev->holder);
    }
    end_event(w);
}

/* A deadlocked run: each waiting thread's wait, as an instant on its
 * track, in the words `gilscope stats` uses. */
static void write_deadlock(Writer *w, int tid, const GsTraceEvent *ev)
{
    const GsTrace *tr = w->tr;
    char what[400];
    gs_deadlock_describe_event(tr, tid, ev, what, sizeof what);
    begin_event(w, "i", "deadlock", "thread", tid, ev->t);
    fputs(",\"s\":\"t\",\"args\":{\"waits_for\":", w->f);
    put_string(w->f, gs_trace_str(tr, ev->dl.waits_for));
    fprintf(w->f, ",\"obj\":%" PRId64 ",\"holder\":%d,\"line\":%" PRId64 ",\"what\":",
            ev->dl.obj, (int)ev->dl.holder, ev->dl.line);
    put_string(w->f, what);
    fputs("}", w->f);
    end_event(w);
}

/* "GC Collecting" from a gc_start to the thread's next gc_end; a collection
 * still running when the trace was cut off lasts to the end of its life. */
static void write_gc(Writer *w, const GsTraceThread *th, size_t i)
{
    const GsTraceEvent *start = &th->events[i], *end = NULL;
    for (size_t j = i + 1; j < th->nevents && !end; j++)
        if (th->events[j].kind == GS_TK_gc_end)
            end = &th->events[j];
    int64_t life_start, life_end;
    gs_timeline_lifetime(w->tr, th, &life_start, &life_end);
    begin_event(w, "X", "GC Collecting", "gc", th->tid, start->t);
    put_us(w->f, "dur", (end ? end->t : life_end) - start->t);
    fprintf(w->f, ",\"args\":{\"gen\":%d", (int)start->gc.gen);
    if (end)
        fprintf(w->f, ",\"collected\":%" PRId64, end->gc.collected);
    fputs("}}", w->f);
}

static void write_thread(Writer *w, const GsTraceThread *th)
{
    SpanCtx sc = { w, th->tid };
    gs_timeline_walk(w->tr, th, write_span, &sc);
    for (size_t i = 0; i < th->nevents; i++) {
        int kind = th->events[i].kind;
        if (kind == GS_TK_gil_retry || kind == GS_TK_gil_drop_request || kind == GS_TK_print)
            write_instant(w, th->tid, &th->events[i]);
        else if (kind == GS_TK_gc_start)
            write_gc(w, th, i);
        else if (kind == GS_TK_deadlock)
            write_deadlock(w, th->tid, &th->events[i]);
    }
}

/* ---- handoff arrows ------------------------------------------------------------------ */

static void write_flow(Writer *w, const GsTlGilEvent *rel, int64_t rel_since,
                       const GsTlGilEvent *acq)
{
    int64_t id = w->next_flow_id++;
    /* A flow start binds to the slice around its time.  At the release time
     * itself the "Has GIL" slice has just ended (and, after an exit, no
     * slice follows), so the arrow leaves 1 ns earlier, inside it. */
    int64_t ts = rel->ev->t > rel_since ? rel->ev->t - 1 : rel->ev->t;
    begin_event(w, "s", "GIL handoff", "gil", rel->thread->tid, ts);
    fprintf(w->f, ",\"id\":%" PRId64, id);
    end_event(w);
    begin_event(w, "f", "GIL handoff", "gil", acq->thread->tid, acq->ev->t);
    fprintf(w->f, ",\"id\":%" PRId64 ",\"bp\":\"e\"", id);
    end_event(w);
}

/* An arrow from each gil_release to the next gil_acquire, if that is by
 * another thread (a thread that takes the GIL back hands nothing over). */
static int write_flows(Writer *w)
{
    const GsTrace *tr = w->tr;
    GsTlGilEvent *order;
    size_t n;
    int64_t *since = calloc(tr->nthreads ? tr->nthreads : 1, sizeof *since);
    if (!since || gs_timeline_gil_order(tr, &order, &n) < 0) {
        free(since);
        return -1;
    }
    const GsTlGilEvent *pending = NULL;
    for (size_t i = 0; i < n; i++) {
        const GsTlGilEvent *e = &order[i];
        size_t idx = (size_t)(e->thread - tr->threads);
        if (e->ev->kind == GS_TK_gil_release) {
            pending = e;
            continue;
        }
        if (pending && pending->thread != e->thread)
            write_flow(w, pending, since[pending->thread - tr->threads], e);
        pending = NULL;
        since[idx] = e->ev->t;
    }
    free(order);
    free(since);
    return 0;
}

/* ---- reference counts --------------------------------------------------------------- */

static void write_counters(Writer *w, const GsTraceThread *th)
{
    for (size_t i = 0; i < th->nevents; i++) {
        const GsTraceEvent *ev = &th->events[i];
        if (ev->kind != GS_TK_ref && ev->kind != GS_TK_dealloc)
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

/* otherData: the meta line's fields (not its "ev" and "t"), and whether the
 * trace was complete. */
static int write_other_data(Writer *w)
{
    cJSON *other = w->tr->meta ? cJSON_Duplicate(w->tr->meta, 1) : cJSON_CreateObject();
    if (!other)
        return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(other, "ev");
    cJSON_DeleteItemFromObjectCaseSensitive(other, "t");
    cJSON_AddBoolToObject(other, "trace_complete", w->tr->complete);
    char *text = cJSON_PrintUnformatted(other);
    cJSON_Delete(other);
    if (!text)
        return -1;
    fputs(text, w->f);
    free(text);
    return 0;
}

int gs_export_chrome(const GsTrace *tr, FILE *out, char *err, size_t errlen)
{
    Writer w = { out, tr, true, 1 };
    int rc = 0;
    errno = 0;
    fputs("{\"traceEvents\":[", out);
    write_metadata(&w);
    for (size_t i = 0; i < tr->nthreads; i++)
        write_thread(&w, &tr->threads[i]);
    if (write_flows(&w) < 0)
        rc = -1;
    for (size_t i = 0; i < tr->nthreads; i++)
        write_counters(&w, &tr->threads[i]);
    /* Always close the array and the object: some Perfetto versions refuse
     * a file without them. */
    fputs("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":", out);
    if (write_other_data(&w) < 0) {
        fputs("{}", out);
        rc = -1;
    }
    fputs("}\n", out);
    if (rc < 0)
        snprintf(err, errlen, "out of memory");
    else if (fflush(out) != 0 || ferror(out))
        rc = -1, snprintf(err, errlen, "%s", errno ? strerror(errno) : "a write failed");
    return rc;
}
