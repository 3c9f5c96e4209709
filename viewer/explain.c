/*
 * explain.c -- events and spans in plain words (see explain.h).
 */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "timefmt.h"

/* How long the thread had been waiting when event i happened: the start
 * of the waiting span it ends (0 if it was not waiting). */
static int64_t waited(const GvLane *l, size_t i)
{
    if (i == 0 || l->st[i - 1] != GV_ST_WAITING)
        return 0;
    int64_t from, to;
    gv_lane_state_at(l, l->t[i - 1], &from, &to);
    return l->t[i] - from;
}

static const char *release_reason(int why)
{
    switch (why) {
    case GS_WHY_check:        return "at a periodic check, and asks for it again at once";
    case GS_WHY_drop_request: return "because a waiting thread asked it to";
    case GS_WHY_sleep:        return "to sleep";
    case GS_WHY_io:           return "to do I/O";
    case GS_WHY_lock:         return "to wait for a lock";
    case GS_WHY_join:         return "to wait for another thread to finish (join)";
    case GS_WHY_wait:         return "to wait for an Event";
    case GS_WHY_exit:         return "as it finishes";
    default:                  return "";
    }
}

/* The GIL events: what the viewer is about. */
static bool explain_gil(const GvLane *l, size_t i, char *buf, size_t len)
{
    int tid = l->tid, arg = l->arg[i];
    char d[32];
    gv_fmt_dur(d, sizeof d, waited(l, i));
    switch (l->kind[i]) {
    case GV_K_gil_request:
        if (arg >= 0)
            snprintf(buf, len, "T%d wants the GIL, but T%d holds it: T%d waits", tid, arg, tid);
        else
            snprintf(buf, len, "T%d asks for the GIL", tid);
        return true;
    case GV_K_gil_acquire:
        if (waited(l, i) > 0)
            snprintf(buf, len, "T%d took the GIL after waiting %s", tid, d);
        else
            snprintf(buf, len, "T%d took the GIL", tid);
        return true;
    case GV_K_gil_release:
        snprintf(buf, len, "T%d released the GIL %s", tid, release_reason(arg));
        return true;
    case GV_K_gil_retry:
        snprintf(buf, len, "T%d woke up, but T%d had taken the GIL again: a failed wake-up",
                 tid, arg);
        return true;
    case GV_K_gil_drop_request:
        snprintf(buf, len, "T%d waited %s for the GIL, then asked T%d to drop it", tid, d, arg);
        return true;
    default:
        return false;
    }
}

void gv_explain_event(const GvModel *m, const GvLane *l, size_t i, char *buf, size_t len)
{
    if (explain_gil(l, i, buf, len))
        return;
    int tid = l->tid, arg = l->arg[i];
    switch (l->kind[i]) {
    case GV_K_thread_start:
        snprintf(buf, len, "T%d (%s) starts running", tid, gs_trace_str(m->tr, (uint32_t)arg));
        break;
    case GV_K_thread_end:
        snprintf(buf, len, "T%d has finished its work", tid);
        break;
    case GV_K_gc_start:
        snprintf(buf, len, "T%d runs the cycle collector on generations 0-%d", tid, arg);
        break;
    case GV_K_gc_end:
        snprintf(buf, len, "T%d's cycle collection (generations 0-%d) ends", tid, arg);
        break;
    case GV_K_print:
        snprintf(buf, len, "T%d prints \"%.60s\"", tid, gs_trace_str(m->tr, (uint32_t)arg));
        break;
    case GV_K_lock_request:
        snprintf(buf, len, "T%d finds a lock taken and waits for it", tid);
        break;
    case GV_K_lock_acquire:
        snprintf(buf, len, "T%d takes a lock", tid);
        break;
    case GV_K_lock_release:
        snprintf(buf, len, "T%d releases a lock", tid);
        break;
    case GV_K_io_begin:
        snprintf(buf, len, "T%d starts a blocking call (sleep or I/O)", tid);
        break;
    case GV_K_io_end:
        snprintf(buf, len, "T%d's blocking call returns", tid);
        break;
    default:
        snprintf(buf, len, "T%d: %s", tid, gv_kind_name(l->kind[i]));
    }
}

void gv_explain_span(const GvModel *m, const GvLane *l, GvState st, int64_t from, int64_t to,
                     char *buf, size_t len)
{
    static const char *const what[GV_ST_COUNT] = {
        [GV_ST_NONE] = "had not started", [GV_ST_HAS_GIL] = "held the GIL and ran",
        [GV_ST_WAITING] = "waited for the GIL", [GV_ST_SLEEP] = "slept (without the GIL)",
        [GV_ST_IO] = "did I/O (without the GIL)", [GV_ST_LOCK] = "waited for a lock",
        [GV_ST_JOIN] = "waited for a thread to finish", [GV_ST_WAIT] = "waited for an Event",
        [GV_ST_FINISHED] = "had finished",
    };
    if (from == INT64_MIN)
        from = m->t_start;
    if (to == INT64_MAX)
        to = m->t_end;
    char d[32], a[32], b[32];
    gv_fmt_dur(d, sizeof d, to - from);
    gv_fmt_dur(a, sizeof a, from);
    gv_fmt_dur(b, sizeof b, to);
    snprintf(buf, len, "T%d %s for %s (%s to %s)", l->tid, what[st < GV_ST_COUNT ? st : 0], d,
             a, b);
}

bool gv_last_event(const GvModel *m, int64_t t, size_t *lane, size_t *idx)
{
    bool found = false;
    for (size_t k = 0; k < m->nlanes; k++) {
        const GvLane *l = &m->lanes[k];
        size_t up = gv_lane_upper(l, t);
        if (up == 0)
            continue;
        size_t i = up - 1;
        if (!found || l->t[i] > m->lanes[*lane].t[*idx] ||
            (l->t[i] == m->lanes[*lane].t[*idx] && l->line[i] > m->lanes[*lane].line[*idx])) {
            *lane = k;
            *idx = i;
            found = true;
        }
    }
    return found;
}

void gv_caption(const GvModel *m, int64_t t, char *buf, size_t len)
{
    size_t lane, idx;
    if (!gv_last_event(m, t, &lane, &idx)) {
        snprintf(buf, len, "Nothing has happened yet: press space to replay the run, "
                 ". and , to step through GIL handoffs");
        return;
    }
    const GvLane *l = &m->lanes[lane];
    char when[32], what[256];
    if (m->ndeadlocks && t >= m->deadlocks[0].t) {
        gv_fmt_dur(when, sizeof when, m->deadlocks[0].t);
        snprintf(buf, len, "at %s: deadlock: no thread can ever run again; the black "
                 "arrows show who waits for whom", when);
        return;
    }
    gv_fmt_dur(when, sizeof when, l->t[idx]);
    gv_explain_event(m, l, idx, what, sizeof what);
    snprintf(buf, len, "at %s: %s", when, what);
}
