/*
 * deadlock.c -- noticing that no guest thread can ever run again, and
 * saying why: who waits for what, held by whom.
 *
 * A deadlock is a lesson in itself: two threads that take two locks in
 * opposite order, a Lock acquired twice by the same thread, an Event that
 * nobody will set.  CPython just hangs.  gilscope stops the run with exit
 * status 3 and explains the wait-for graph, in the message, in the trace
 * (`deadlock` and `deadlock_hold` events, docs/trace-format.md) and so in
 * the viewer, which draws the cycle between the lanes.
 *
 * THE WAITS.  Every guest wait that may block -- Lock.acquire, Event.wait,
 * Thread.join (threadmodule.c) -- puts a GsWaitRecord in the list below
 * for as long as it lasts: what it waits for, and for a lock, which
 * thread took it last and on which line.  The line is the program's own:
 * the innermost frame that is not gilscope's library (threading.py).
 *
 * WHEN IS IT A DEADLOCK?
 *   - On the simulated clock, exactly: the simulator knows when no thread
 *     can run again by itself -- every thread waits, and the only timers
 *     pending are the polls of untimed waits (platform.h, poll_wait) -- and
 *     calls the stuck hook below at that very moment of virtual time.
 *   - On the real clock, each untimed wait polls every 20 ms; the poll
 *     asks whether *every* live thread is in an untimed wait whose
 *     condition is still false (the lock still taken, the event still
 *     clear, the thread still running).  Then nothing in the program can
 *     end any of the waits.  Because a thread that has just been woken may
 *     not yet have left its record, the state must last --deadlock-wait
 *     seconds (default 1) before it is declared.  A thread that runs, or
 *     sleeps, or waits with a timeout, may still end the others' waits, so
 *     then there is no deadlock to report (a spinning daemon thread keeps
 *     a hung program "alive"; CPython would hang too).
 *
 * Declaring it sets GS_STOP_DEADLOCK: the waiters notice at their next
 * poll, leave their waits, each writes its own `deadlock` event (it must
 * hold the GIL to record), and the run unwinds as for --timeout.
 */
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "eval.h"

/* One line of the explanation: a waiting thread, as it was when the
 * deadlock was found. */
typedef struct {
    int tid;
    char name[64];
    GsWaitKind kind;
    int64_t obj, holder_line, line;
    int holder;
    bool wait_told, hold_told;   /* its trace events are written */
} Entry;

struct GsWaits {
    uv_mutex_t lock;          /* the list; on the sim clock never contended */
    GsWaitRecord *head;
    int forever;              /* records of untimed waits */
    uint64_t all_since;       /* real clock: since when all threads wait for ever; 0: not */
    char *report;             /* the explanation, once a deadlock is found */
    Entry *entries;
    int nentries;
};

static const char *const kind_names[] = { "lock", "event", "thread" };

/* ---- where a thread waits --------------------------------------------------------- */

static bool is_library(GsCode *co)
{
    return co->filename && GS_IS_STR(co->filename) &&
           strncmp(gs_str_cstr(co->filename), "<gilscope>/", 11) == 0;
}

/* The line the program is at: its innermost frame of its own code. */
int64_t gs_program_line(GsThread *ts)
{
    GsFrame *f = ts->frame;
    while (f && f->back && is_library(f->code))
        f = f->back;
    return f ? gs_code_line(f->code, f->lasti) : 0;
}

/* ---- the list ---------------------------------------------------------------------- */

void gs_wait_begin(GsThread *ts, GsWaitRecord *w)
{
    struct GsWaits *ws = ts->interp->waits;
    w->ts = ts;
    w->line = gs_program_line(ts);
    uv_mutex_lock(&ws->lock);
    w->next = ws->head;
    ws->head = w;
    ws->forever += w->forever;
    ws->all_since = 0;
    uv_mutex_unlock(&ws->lock);
}

/* The trace events of ts's part in a deadlock: what it waited for, and
 * each lock it held that another waited for.  Under ws->lock. */
static void tell_events(GsThread *ts, struct GsWaits *ws)
{
    for (int i = 0; i < ws->nentries; i++) {
        Entry *e = &ws->entries[i];
        if (e->tid == ts->tid && !e->wait_told) {
            e->wait_told = true;
            gs_ev_deadlock(ts, kind_names[e->kind], e->obj, e->holder, e->line);
        }
        if (e->kind == GS_WAIT_LOCK && e->holder == ts->tid && !e->hold_told) {
            for (int j = 0; j < ws->nentries; j++)   /* once per lock */
                if (ws->entries[j].kind == GS_WAIT_LOCK && ws->entries[j].obj == e->obj)
                    ws->entries[j].hold_told = true;
            gs_ev_deadlock_hold(ts, e->obj, e->holder_line);
        }
    }
}

void gs_wait_end(GsThread *ts, GsWaitRecord *w)
{
    struct GsWaits *ws = ts->interp->waits;
    uv_mutex_lock(&ws->lock);
    GsWaitRecord **pp = &ws->head;
    while (*pp && *pp != w)
        pp = &(*pp)->next;
    if (*pp)
        *pp = w->next;
    ws->forever -= w->forever;
    ws->all_since = 0;
    if (ws->nentries)
        tell_events(ts, ws);
    uv_mutex_unlock(&ws->lock);
}

/* ---- the explanation --------------------------------------------------------------- */

static const char *entry_name(struct GsWaits *ws, int tid)
{
    for (int i = 0; i < ws->nentries; i++)
        if (ws->entries[i].tid == tid)
            return ws->entries[i].name;
    return tid == 0 ? "MainThread" : "a thread that is not waiting";
}

/* "Thread-1 holds Lock#3 (line 9), waits for Lock#5 (line 11)". */
static void describe(struct GsWaits *ws, const Entry *e, char *buf, size_t n)
{
    size_t at = (size_t)snprintf(buf, n, "  %s", e->name);
    for (int i = 0; i < ws->nentries && at < n; i++) {
        const Entry *o = &ws->entries[i];
        bool first = true;   /* the first waiter for each lock e holds */
        for (int j = 0; j < i; j++)
            if (ws->entries[j].kind == GS_WAIT_LOCK && ws->entries[j].obj == o->obj)
                first = false;
        if (o->kind == GS_WAIT_LOCK && o->holder == e->tid && first)
            at += (size_t)snprintf(buf + at, n - at, " holds Lock#%lld (line %lld),",
                                   (long long)o->obj, (long long)o->holder_line);
    }
    if (at >= n)
        return;
    if (e->kind == GS_WAIT_LOCK && e->holder == e->tid)
        snprintf(buf + at, n - at, " waits for Lock#%lld again (line %lld): a Lock is not "
                 "re-entrant", (long long)e->obj, (long long)e->line);
    else if (e->kind == GS_WAIT_LOCK)
        snprintf(buf + at, n - at, " waits for Lock#%lld (line %lld), held by %s",
                 (long long)e->obj, (long long)e->line, entry_name(ws, e->holder));
    else if (e->kind == GS_WAIT_EVENT)
        snprintf(buf + at, n - at, " waits for Event#%lld (line %lld), which no running "
                 "thread is left to set", (long long)e->obj, (long long)e->line);
    else
        snprintf(buf + at, n - at, " waits for %s to end (join, line %lld)",
                 entry_name(ws, e->holder), (long long)e->line);
}

/* Follow "waits for a thing held by" from e: a cycle, if it comes back to
 * a thread already on the path.  Writes "A -> B -> A" into buf. */
static bool find_cycle(struct GsWaits *ws, int start, char *buf, size_t n)
{
    int path[64], len = 0, at = start;
    while (len < 64) {
        const Entry *e = &ws->entries[at];
        for (int k = 0; k < len; k++)
            if (path[k] == at) {
                if (len - k < 2)
                    return false;   /* waiting for itself: describe() said so */
                size_t used = 0;
                for (int m = k; m < len && used < n; m++)
                    used += (size_t)snprintf(buf + used, n - used, "%s -> ",
                                             ws->entries[path[m]].name);
                if (used < n)
                    snprintf(buf + used, n - used, "%s", e->name);
                return true;
            }
        path[len++] = at;
        if (e->kind == GS_WAIT_EVENT || e->holder < 0)
            return false;
        int next = -1;
        for (int i = 0; i < ws->nentries; i++)
            if (ws->entries[i].tid == e->holder)
                next = i;
        if (next < 0)
            return false;
        at = next;
    }
    return false;
}

static void append(char **s, size_t *len, const char *line)
{
    size_t add = strlen(line);
    char *t = realloc(*s, *len + add + 2);
    if (!t)
        return;
    memcpy(t + *len, line, add);
    t[*len + add] = '\n';
    t[*len + add + 1] = '\0';
    *s = t;
    *len += add + 1;
}

static int by_tid(const void *a, const void *b)
{
    return ((const Entry *)a)->tid - ((const Entry *)b)->tid;
}

/* Take the snapshot and write the explanation.  Under ws->lock. */
static void declare(GsInterp *in, struct GsWaits *ws, const char *headline)
{
    int n = 0;
    for (GsWaitRecord *w = ws->head; w; w = w->next)
        n++;
    Entry *es = calloc((size_t)n + 1, sizeof *es);
    if (!es)
        return;
    int i = n;
    for (GsWaitRecord *w = ws->head; w; w = w->next) {   /* the list is newest first */
        Entry *e = &es[--i];
        e->tid = w->ts->tid;
        snprintf(e->name, sizeof e->name, "%s", w->ts->name ? w->ts->name : "MainThread");
        e->kind = w->kind;
        e->obj = w->obj;
        e->holder = w->holder_at ? *w->holder_at : w->holder;
        e->holder_line = w->holder_line_at ? *w->holder_line_at : 0;
        e->line = w->line;
    }
    qsort(es, (size_t)n, sizeof *es, by_tid);   /* the same order on every run */
    ws->entries = es;
    ws->nentries = n;
    size_t len = 0;
    char line[1024];
    append(&ws->report, &len, headline);
    for (i = 0; i < n; i++) {
        describe(ws, &es[i], line, sizeof line);
        append(&ws->report, &len, line);
    }
    for (i = 0; i < n; i++) {
        char cycle[512];
        if (find_cycle(ws, i, cycle, sizeof cycle)) {
            snprintf(line, sizeof line, "  the cycle: %s", cycle);
            append(&ws->report, &len, line);
            break;
        }
    }
    int none = GS_STOP_NONE;
    if (atomic_compare_exchange_strong(&in->stop_reason, &none, GS_STOP_DEADLOCK))
        gs_breaker_set(&in->eval_breaker, GS_BREAK_STOP);
}

/* The simulator's stuck hook: no thread can run again by itself. */
static bool sim_stuck(void *ctx)
{
    GsInterp *in = ctx;
    struct GsWaits *ws = in->waits;
    /* Another stop is on its way (the polls will see it): nothing to say. */
    if (atomic_load(&in->stop_reason) != GS_STOP_NONE)
        return false;
    uv_mutex_lock(&ws->lock);
    bool found = !ws->report;
    if (found)
        declare(in, ws, "simulated deadlock: no thread can ever run again");
    uv_mutex_unlock(&ws->lock);
    return found;
}

/* Is every live thread in an untimed wait that nothing has ended yet? */
static bool all_stuck(GsInterp *in, struct GsWaits *ws)
{
    if (ws->forever < atomic_load(&in->gil->threads))
        return false;
    for (GsWaitRecord *w = ws->head; w; w = w->next)
        if (w->forever && w->over(w->arg))
            return false;
    return true;
}

void gs_wait_poll(GsThread *ts, GsWaitRecord *w)
{
    GsInterp *in = ts->interp;
    struct GsWaits *ws = in->waits;
    GsPlatform *p = in->platform;
    if (!w->forever || in->opt.deadlock_wait <= 0 || p->set_stuck_hook)
        return;   /* the simulated clock knows exactly, through its hook */
    uv_mutex_lock(&ws->lock);
    if (!all_stuck(in, ws)) {
        ws->all_since = 0;
    } else if (!ws->all_since) {
        ws->all_since = p->now_ns(p);
    } else if (p->now_ns(p) - ws->all_since >= (uint64_t)(in->opt.deadlock_wait * 1e9) &&
               !ws->report && atomic_load(&in->stop_reason) == GS_STOP_NONE) {
        char headline[128];
        snprintf(headline, sizeof headline, "deadlock: every thread has waited %g s for "
                 "another, and none can ever run again", in->opt.deadlock_wait);
        declare(in, ws, headline);
    }
    uv_mutex_unlock(&ws->lock);
}

const char *gs_deadlock_report(GsInterp *in)
{
    return in->waits ? in->waits->report : NULL;
}

/* ---- life ------------------------------------------------------------------------- */

int gs_waits_init(GsInterp *in)
{
    struct GsWaits *ws = calloc(1, sizeof *ws);
    if (!ws || uv_mutex_init(&ws->lock) != 0) {
        free(ws);
        return -1;
    }
    in->waits = ws;
    if (in->platform->set_stuck_hook)
        in->platform->set_stuck_hook(in->platform, sim_stuck, in);
    return 0;
}

void gs_waits_free(GsInterp *in)
{
    struct GsWaits *ws = in->waits;
    if (!ws)
        return;
    uv_mutex_destroy(&ws->lock);
    free(ws->entries);
    free(ws->report);
    free(ws);
    in->waits = NULL;
}
