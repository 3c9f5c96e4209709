/*
 * timeline.c -- a thread's GIL states as spans, and the GIL events of all
 * threads in one order (see timeline.h for the rules).
 *
 * The walk is a small state machine over one thread's events.  It never
 * rejects a sequence: a release without an acquire before it, or two
 * acquires in a row, simply move the state, so a slightly inconsistent
 * trace still gives numbers that add up to the lifetime.
 */
#include <stdlib.h>

#include "timeline.h"

void gs_timeline_lifetime(const GsTrace *tr, const GsTraceThread *th, int64_t *start,
                          int64_t *end)
{
    *start = th->nevents ? th->events[0].t : tr->t_end;
    if (th->ended && th->nevents)
        *end = th->events[th->nevents - 1].t;
    else
        *end = tr->t_end;
    if (*end < *start)
        *end = *start;
}

static bool is_blocking(int why)
{
    return why == GS_WHY_sleep || why == GS_WHY_io || why == GS_WHY_lock ||
           why == GS_WHY_join || why == GS_WHY_wait;
}

GsTlState gs_timeline_next_state(GsTlState state, const GsTraceEvent *ev, int *why)
{
    switch (ev->kind) {
    case GS_TK_gil_acquire:
        return GS_TL_HAS_GIL;
    case GS_TK_gil_request:
        return GS_TL_WAITING;
    case GS_TK_gil_release:
        if (ev->why == GS_WHY_exit)
            return GS_TL_NONE;
        if (is_blocking(ev->why)) {
            *why = ev->why;
            return GS_TL_BLOCKED;
        }
        return GS_TL_WAITING;   /* check, drop_request: it asks again at once */
    default:
        return state;
    }
}

/* Fill *span with [start, end) in state; false if that would be empty. */
static bool make_span(GsTlSpan *span, int64_t start, int64_t end, GsTlState state, int why)
{
    if (end <= start)
        return false;
    *span = (GsTlSpan){ start, end, state, state == GS_TL_BLOCKED ? why : -1 };
    return true;
}

void gs_timeline_walker_init(GsTlWalker *w)
{
    *w = (GsTlWalker){ GS_TL_NONE, -1, 0, false };
}

bool gs_timeline_walker_step(GsTlWalker *w, const GsTraceEvent *ev, GsTlSpan *span)
{
    if (!w->started) {          /* the lifetime starts at the first event */
        w->started = true;
        w->since = ev->t;
    }
    int nwhy = w->why;
    GsTlState next = gs_timeline_next_state(w->state, ev, &nwhy);
    if (next == w->state && (w->state != GS_TL_BLOCKED || nwhy == w->why))
        return false;
    bool made = make_span(span, w->since, ev->t, w->state, w->why);
    w->since = ev->t;
    w->state = next;
    w->why = nwhy;
    return made;
}

bool gs_timeline_walker_finish(GsTlWalker *w, int64_t life_end, GsTlSpan *span)
{
    return w->started && make_span(span, w->since, life_end, w->state, w->why);
}

void gs_timeline_walk(const GsTrace *tr, const GsTraceThread *th, GsTlSpanFn fn, void *ctx)
{
    int64_t life_start, life_end;
    gs_timeline_lifetime(tr, th, &life_start, &life_end);
    GsTlWalker w;
    GsTlSpan span;
    gs_timeline_walker_init(&w);
    for (size_t i = 0; i < th->nevents; i++)
        if (gs_timeline_walker_step(&w, &th->events[i], &span))
            fn(&span, ctx);
    if (gs_timeline_walker_finish(&w, life_end, &span))
        fn(&span, ctx);
}

/* ---- all threads' GIL events in one order -------------------------------------- */

static int gil_event_cmp(const void *a, const void *b)
{
    const GsTraceEvent *x = ((const GsTlGilEvent *)a)->ev, *y = ((const GsTlGilEvent *)b)->ev;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    /* At equal times a release comes first: the GIL is let go, then taken. */
    int rx = x->kind == GS_TK_gil_release, ry = y->kind == GS_TK_gil_release;
    if (rx != ry)
        return rx ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static bool is_gil_handoff_event(const GsTraceEvent *ev)
{
    return ev->kind == GS_TK_gil_acquire || ev->kind == GS_TK_gil_release;
}

int gs_timeline_gil_order(const GsTrace *tr, GsTlGilEvent **out, size_t *n)
{
    size_t count = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < tr->nthreads; i++)
        for (size_t j = 0; j < tr->threads[i].nevents; j++)
            count += is_gil_handoff_event(&tr->threads[i].events[j]);
    if (count == 0)
        return 0;
    GsTlGilEvent *all = malloc(count * sizeof *all);
    if (!all)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < tr->nthreads; i++) {
        const GsTraceThread *th = &tr->threads[i];
        for (size_t j = 0; j < th->nevents; j++)
            if (is_gil_handoff_event(&th->events[j]))
                all[k++] = (GsTlGilEvent){ th, &th->events[j] };
    }
    qsort(all, count, sizeof *all, gil_event_cmp);
    *out = all;
    *n = count;
    return 0;
}
