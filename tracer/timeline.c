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

/* The state after ev, given the state before it. */
static GsTlState next_state(GsTlState state, const GsTraceEvent *ev, int *why)
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

static void emit(GsTlSpanFn fn, void *ctx, int64_t start, int64_t end, GsTlState state, int why)
{
    if (end <= start)
        return;
    GsTlSpan span = { start, end, state, state == GS_TL_BLOCKED ? why : -1 };
    fn(&span, ctx);
}

void gs_timeline_walk(const GsTrace *tr, const GsTraceThread *th, GsTlSpanFn fn, void *ctx)
{
    int64_t life_start, life_end;
    gs_timeline_lifetime(tr, th, &life_start, &life_end);
    GsTlState state = GS_TL_NONE;
    int why = -1;
    int64_t since = life_start;
    for (size_t i = 0; i < th->nevents; i++) {
        const GsTraceEvent *ev = &th->events[i];
        int nwhy = why;
        GsTlState next = next_state(state, ev, &nwhy);
        if (next == state && (state != GS_TL_BLOCKED || nwhy == why))
            continue;
        emit(fn, ctx, since, ev->t, state, why);
        since = ev->t;
        state = next;
        why = nwhy;
    }
    emit(fn, ctx, since, life_end, state, why);
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
