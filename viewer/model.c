/*
 * model.c -- loading a trace into the viewer's model (see model.h).
 *
 * HOW A TRACE IS LOADED.  gs_trace_read_hooked() reads and checks every
 * line exactly as `gilscope stats` does, and hands each event line to
 * on_event() below; with drop_events the tracer keeps no events of its
 * own.  on_event() appends the event to its thread's lane together with
 * the state the thread is in afterwards, and at the same time adds up the
 * numbers `gilscope stats` prints, with the same span rules (timeline.h's
 * walker).  Nothing is read twice and nothing is held twice.
 *
 * WHY THE STATS ARE SUMMED HERE.  stats.c computes from a GsTrace that
 * holds every event (40 bytes each); the viewer's budget is 32 bytes an
 * event for everything.  So the viewer sums the same definitions while
 * streaming -- spans from the shared walker, the counts as stats.c counts
 * them -- and tests/viewer/test_model.c checks that both give the same
 * numbers on every fixture.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "timeline.h"

static const char *const state_names[] = {
#define GV_X_ST(name, text) text,
    GV_STATES(GV_X_ST)
#undef GV_X_ST
};

static const char *const kind_names[] = {
#define GV_X_K(name) #name,
    GV_KINDS(GV_X_K)
#undef GV_X_K
};

const char *gv_state_name(int st)
{
    return st >= 0 && st < GV_ST_COUNT ? state_names[st] : "?";
}

const char *gv_kind_name(int kind)
{
    return kind >= 0 && kind < GV_K_COUNT ? kind_names[kind] : "?";
}

/* ---- growing arrays ------------------------------------------------------------
 *
 * Arrays grow by half rather than double, so the spare room at the end of
 * a load stays within a third of the array; the loader then trims them to
 * their length anyway. */

static size_t next_cap(size_t cap)
{
    return cap + cap / 2 + 16;
}

/* Resize the array whose pointer is at p (an int64_t **, a uint32_t **, ...)
 * to cap elements of size bytes; false when out of memory.  The pointer is
 * copied in and out with memcpy: reading an int64_t * through a void **
 * would break C's aliasing rules. */
static bool resize(void *p, size_t cap, size_t size)
{
    void *old, *q = NULL;
    memcpy(&old, p, sizeof old);
    if (cap == 0)
        free(old);
    else if (!(q = realloc(old, cap * size)))
        return false;
    memcpy(p, &q, sizeof q);
    return true;
}

static bool idx_push(GvIdxList *list, uint32_t i)
{
    if (list->n == list->cap) {
        size_t cap = next_cap(list->cap);
        if (!resize(&list->idx, cap, sizeof *list->idx))
            return false;
        list->cap = cap;
    }
    list->idx[list->n++] = i;
    return true;
}

/* ---- the time index ----------------------------------------------------------------
 *
 * A frame looks up thousands of times, one per pixel column and lane; a
 * binary search over millions of events misses the cache at nearly every
 * step.  So each sorted array of times gets an index: the time range is
 * cut into equal buckets, about one per GV_TI events, and for each bucket
 * the index keeps where its events start.  A lookup then searches one
 * bucket -- a few cache lines -- instead of the whole array.  It costs
 * 4 bytes per GV_TI events. */

#define GV_TI 32

/* The time of item i: t[i], or t[idx[i]] for a list of indices (marks). */
static int64_t time_of(const int64_t *t, const uint32_t *idx, size_t i)
{
    return idx ? t[idx[i]] : t[i];
}

/* Where bucket b starts in time. */
static int64_t bucket_t(const GvTimeIndex *ix, size_t b)
{
    return ix->t0 + (int64_t)floor((double)b * ix->width);
}

/* Index the n times time_of(t, idx, 0..n), which are sorted. */
static bool time_index_build(GvTimeIndex *ix, const int64_t *t, const uint32_t *idx, size_t n)
{
    memset(ix, 0, sizeof *ix);
    if (n < 2 * GV_TI || time_of(t, idx, n - 1) <= time_of(t, idx, 0))
        return true;            /* small: a binary search is as fast */
    ix->k = n / GV_TI;
    ix->t0 = time_of(t, idx, 0);
    ix->width = (double)(time_of(t, idx, n - 1) - ix->t0 + 1) / (double)ix->k;
    if (!(ix->start = malloc((ix->k + 1) * sizeof *ix->start)))
        return false;
    size_t i = 0;
    for (size_t b = 0; b <= ix->k; b++) {     /* start[b]: the first item at or after bucket b */
        int64_t tb = b == ix->k ? INT64_MAX : bucket_t(ix, b);
        while (i < n && time_of(t, idx, i) < tb)
            i++;
        ix->start[b] = (uint32_t)i;
    }
    return true;
}

/* The first item with a time > x. */
static size_t upper(const GvTimeIndex *ix, const int64_t *t, const uint32_t *idx, size_t n,
                    int64_t x)
{
    size_t lo = 0, hi = n;
    if (ix->k && x >= ix->t0) {
        /* The bucket holding x: every item before it is <= x, every item
         * from the next bucket on is > x. */
        double f = floor((double)(x - ix->t0) / ix->width);
        size_t b = f >= (double)ix->k ? ix->k - 1 : (size_t)f;
        while (b > 0 && bucket_t(ix, b) > x)
            b--;
        while (b + 1 < ix->k && bucket_t(ix, b + 1) <= x)
            b++;
        lo = ix->start[b];
        hi = ix->start[b + 1];
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time_of(t, idx, mid) <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- the loader's state ----------------------------------------------------------- */

/* What the loader tracks per lane while reading; dropped afterwards. */
typedef struct {
    GsTlWalker walker;          /* the stats' spans (timeline.h) */
    GsThreadStats ts;           /* the stats' numbers so far */
    int64_t first_t, last_t;    /* its first and last kept event: the stats' lifetime */
    bool exited;                /* a gil_release(exit) was seen: later "none" is finished */
    int64_t acquire_t;          /* its last gil_acquire, where a checks span starts */
    int release_why;            /* its last gil_release's why, -1 if none */
    int64_t running[GV_ST_COUNT];  /* time in each state so far, for the checkpoints */
} LaneLoad;

typedef struct {
    GvModel *m;
    const GsTrace *tr;          /* the tracer's trace, being filled in */
    LaneLoad *ll;               /* parallel to m->lanes */
    size_t lanes_cap;
    int32_t *slot;              /* tid -> 1 + lane index; 0: none yet */
    size_t nslots;
    int64_t *drops;             /* drop requests received, by holder tid */
    size_t ndrops;
    uint32_t last_acq;          /* the lane that took the GIL last */
    int last_acq_tid;           /* the same as a tid (-1: nobody yet), for switches */
    int64_t switches;
    size_t handoffs_cap, checks_cap, ref_cap, objs_cap, seek_cap;
    uint32_t *obj_hash;         /* open addressing: 1 + index into objs; 0 = empty */
    size_t obj_hash_cap;
    size_t seek_block;          /* the last 1024-line block with a seek entry, + 1 */
    GvDeadlock *holds;          /* deadlock_hold events (tid: the holder), matched at the end */
    size_t nholds;
} Load;

/* ---- lanes ---------------------------------------------------------------------- */

static GvLane *lane_for(Load *L, int tid, uint32_t *index)
{
    GvModel *m = L->m;
    if ((size_t)tid >= L->nslots) {
        size_t n = L->nslots ? L->nslots : 16;
        while (n <= (size_t)tid)
            n *= 2;
        if (!resize(&L->slot, n, sizeof *L->slot))
            return NULL;
        memset(L->slot + L->nslots, 0, (n - L->nslots) * sizeof *L->slot);
        L->nslots = n;
    }
    if (!L->slot[tid]) {
        if (m->nlanes == L->lanes_cap) {
            size_t cap = next_cap(L->lanes_cap);
            if (!resize(&m->lanes, cap, sizeof *m->lanes) ||
                !resize(&L->ll, cap, sizeof *L->ll))
                return NULL;
            L->lanes_cap = cap;
        }
        GvLane *l = &m->lanes[m->nlanes];
        LaneLoad *ll = &L->ll[m->nlanes];
        memset(l, 0, sizeof *l);
        memset(ll, 0, sizeof *ll);
        l->tid = tid;
        l->name = "";
        gs_timeline_walker_init(&ll->walker);
        ll->ts.tid = tid;
        ll->release_why = -1;
        L->slot[tid] = (int32_t)++m->nlanes;
    }
    *index = (uint32_t)(L->slot[tid] - 1);
    return &m->lanes[*index];
}

/* The lane of a tid that already has one, or NULL. */
static GvLane *existing_lane(Load *L, int tid, uint32_t *index)
{
    if (tid < 0 || (size_t)tid >= L->nslots || !L->slot[tid])
        return NULL;
    *index = (uint32_t)(L->slot[tid] - 1);
    return &L->m->lanes[*index];
}

static bool lane_grow(GvLane *l)
{
    size_t cap = next_cap(l->cap);
    if (!resize(&l->t, cap, sizeof *l->t) || !resize(&l->line, cap, sizeof *l->line) ||
        !resize(&l->arg, cap, sizeof *l->arg) || !resize(&l->kind, cap, sizeof *l->kind) ||
        !resize(&l->st, cap, sizeof *l->st))
        return false;
    l->cap = cap;
    return true;
}

/* Keep the running totals and, every GV_CK events, a checkpoint of them. */
static bool checkpoint(GvLane *l, LaneLoad *ll, size_t i)
{
    if (i > 0)
        ll->running[l->st[i - 1]] += l->t[i] - l->t[i - 1];
    if (i % GV_CK)
        return true;
    if (l->ncum == l->cum_cap) {
        size_t cap = next_cap(l->cum_cap);
        if (!resize(&l->cum, cap, sizeof *l->cum))
            return false;
        l->cum_cap = cap;
    }
    memcpy(l->cum[l->ncum++], ll->running, sizeof ll->running);
    return true;
}

static bool lane_push(GvLane *l, LaneLoad *ll, int64_t t, uint32_t line, int kind, int32_t arg,
                      GvState st)
{
    if (l->n == l->cap && !lane_grow(l))
        return false;
    size_t i = l->n++;
    l->t[i] = t;
    l->line[i] = line;
    l->kind[i] = (uint8_t)kind;
    l->arg[i] = arg;
    l->st[i] = (uint8_t)st;
    return checkpoint(l, ll, i);
}

/* The walker's state as the lane shows it. */
static GvState lane_state(const LaneLoad *ll)
{
    static const GvState blocked[GS_WHY_COUNT] = {
        [GS_WHY_sleep] = GV_ST_SLEEP, [GS_WHY_io] = GV_ST_IO, [GS_WHY_lock] = GV_ST_LOCK,
        [GS_WHY_join] = GV_ST_JOIN, [GS_WHY_wait] = GV_ST_WAIT,
    };
    switch (ll->walker.state) {
    case GS_TL_HAS_GIL:
        return GV_ST_HAS_GIL;
    case GS_TL_WAITING:
        return GV_ST_WAITING;
    case GS_TL_BLOCKED:
        return ll->walker.why >= 0 && ll->walker.why < GS_WHY_COUNT && blocked[ll->walker.why]
                   ? blocked[ll->walker.why] : GV_ST_SLEEP;
    default:
        return ll->exited ? GV_ST_FINISHED : GV_ST_NONE;
    }
}

/* ---- the stats, as stats.c counts them ----------------------------------------------- */

static void add_span(GsThreadStats *ts, const GsTlSpan *span)
{
    int64_t len = span->end - span->start;
    ts->state_ns[span->state] += len;
    if (span->state == GS_TL_BLOCKED)
        ts->blocked_ns[span->why] += len;
}

static int count_drop(Load *L, int holder)
{
    if (holder < 0)
        return 0;
    if ((size_t)holder >= L->ndrops) {
        size_t n = L->ndrops ? L->ndrops : 16;
        while (n <= (size_t)holder)
            n *= 2;
        if (!resize(&L->drops, n, sizeof *L->drops))
            return -1;
        memset(L->drops + L->ndrops, 0, (n - L->ndrops) * sizeof *L->drops);
        L->ndrops = n;
    }
    L->drops[holder]++;
    return 0;
}

/* One kept event of a thread, for the stats. */
static int stats_event(Load *L, LaneLoad *ll, const GsTraceEvent *e, int tid)
{
    GsTlSpan span;
    if (!ll->walker.started)
        ll->first_t = e->t;
    ll->last_t = e->t;
    if (gs_timeline_walker_step(&ll->walker, e, &span))
        add_span(&ll->ts, &span);
    switch (e->kind) {
    case GS_TK_gil_acquire:
        ll->ts.acquisitions++;
        ll->ts.wait_sum_ns += e->wait;
        if (e->wait > ll->ts.wait_max_ns)
            ll->ts.wait_max_ns = e->wait;
        if (tid != L->last_acq_tid)     /* stats.c's count_switches */
            L->switches++;
        L->last_acq_tid = tid;
        return 0;
    case GS_TK_gil_retry:
        ll->ts.retries++;
        return 0;
    case GS_TK_gil_drop_request:
        return count_drop(L, e->holder);
    default:
        return 0;
    }
}

/* ---- events of a lane ------------------------------------------------------------------ */

static int oom(const GsTraceLine *ln)
{
    return gs_trace_line_fail(ln, "out of memory");
}

static int add_handoff(Load *L, uint32_t to, int64_t t)
{
    GvModel *m = L->m;
    if (L->last_acq == to)
        return 0;
    if (m->nhandoffs == L->handoffs_cap) {
        size_t cap = next_cap(L->handoffs_cap);
        if (!resize(&m->handoffs, cap, sizeof *m->handoffs))
            return -1;
        L->handoffs_cap = cap;
    }
    uint32_t from = L->last_acq;
    bool forced = from != GV_NO_LANE && L->ll[from].release_why == GS_WHY_drop_request;
    m->handoffs[m->nhandoffs++] = (GvHandoff){ t, from, to, forced };
    L->last_acq = to;
    return 0;
}

/* The marks an event adds to its lane. */
static int add_marks(GvLane *l, const GsTraceEvent *e, uint32_t i)
{
    int kind = e->kind == GS_TK_gil_retry ? GV_MARK_RETRY
             : e->kind == GS_TK_gil_drop_request ? GV_MARK_DROP
             : e->kind == GS_TK_print ? GV_MARK_PRINT
             : e->kind == GS_TK_gc_start ? GV_MARK_GC : -1;
    if (e->kind == GS_TK_gc_end) {      /* closes the lane's open collection */
        GvIdxList *gc = &l->marks[GV_MARK_GC];
        if (gc->n && l->gc_end[gc->n - 1] < 0)
            l->gc_end[gc->n - 1] = e->t;
        return 0;
    }
    if (kind < 0)
        return 0;
    GvIdxList *list = &l->marks[kind];
    size_t cap = list->cap;
    if (!idx_push(list, i))
        return -1;
    if (kind == GV_MARK_GC) {
        if (list->cap != cap && !resize(&l->gc_end, list->cap, sizeof *l->gc_end))
            return -1;
        l->gc_end[list->n - 1] = -1;
    }
    return 0;
}

/* The number a lane keeps with an event (see GvLane.arg). */
static int32_t event_arg(const GsTraceEvent *e)
{
    switch (e->kind) {
    case GS_TK_gil_request:
    case GS_TK_gil_retry:
    case GS_TK_gil_drop_request:
        return e->holder;
    case GS_TK_gil_release:
        return e->why;
    case GS_TK_thread_start:
        return (int32_t)e->name;
    case GS_TK_gc_start:
    case GS_TK_gc_end:
        return e->gc.gen;
    case GS_TK_print:
        return (int32_t)e->text;
    default:
        return 0;
    }
}

/* A kept event of the GIL, thread, gc or print kinds. */
static int lane_event(Load *L, const GsTraceLine *ln, const GsTraceEvent *e)
{
    uint32_t li;
    GvLane *l = lane_for(L, ln->tid, &li);
    if (!l)
        return oom(ln);
    LaneLoad *ll = &L->ll[li];
    if (stats_event(L, ll, e, ln->tid) < 0)
        return oom(ln);
    if (e->kind == GS_TK_gil_release) {
        ll->release_why = e->why;
        ll->exited |= e->why == GS_WHY_exit;
    }
    if (e->kind == GS_TK_gil_acquire) {
        ll->acquire_t = e->t;
        if (add_handoff(L, li, e->t) < 0)
            return oom(ln);
    }
    if (!lane_push(l, ll, e->t, (uint32_t)ln->line, e->kind, event_arg(e), lane_state(ll)) ||
        add_marks(l, e, (uint32_t)(l->n - 1)) < 0)
        return oom(ln);
    return 0;
}

/* ---- objects ------------------------------------------------------------------------ */

static size_t obj_slot(const Load *L, int64_t id)
{
    return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15u) >> 17) & (L->obj_hash_cap - 1);
}

static bool obj_rehash(Load *L)
{
    size_t cap = L->obj_hash_cap ? L->obj_hash_cap * 2 : 1024;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h)
        return false;
    free(L->obj_hash);
    L->obj_hash = h;
    L->obj_hash_cap = cap;
    for (size_t i = 0; i < L->m->nobjs; i++) {
        size_t j = obj_slot(L, L->m->objs[i].id);
        while (h[j])
            j = (j + 1) & (cap - 1);
        h[j] = (uint32_t)i + 1;
    }
    return true;
}

/* The index of object id, added if new; -1 when out of memory. */
static int64_t obj_index(Load *L, int64_t id, uint32_t type, int64_t t)
{
    GvModel *m = L->m;
    if ((m->nobjs + 1) * 2 > L->obj_hash_cap && !obj_rehash(L))
        return -1;
    size_t j = obj_slot(L, id);
    for (; L->obj_hash[j]; j = (j + 1) & (L->obj_hash_cap - 1))
        if (m->objs[L->obj_hash[j] - 1].id == id)
            return L->obj_hash[j] - 1;
    if (m->nobjs == L->objs_cap) {
        size_t cap = next_cap(L->objs_cap);
        if (!resize(&m->objs, cap, sizeof *m->objs))
            return -1;
        L->objs_cap = cap;
    }
    m->objs[m->nobjs] = (GvObject){ .id = id, .first_t = t, .last_t = t, .type = type };
    L->obj_hash[j] = (uint32_t)++m->nobjs;
    return (int64_t)m->nobjs - 1;
}

static int ref_event(Load *L, const GsTraceLine *ln, const GsTraceEvent *e)
{
    GvModel *m = L->m;
    uint32_t li;
    if (!lane_for(L, ln->tid, &li) || stats_event(L, &L->ll[li], e, ln->tid) < 0)
        return oom(ln);
    int64_t oi = obj_index(L, e->ref.obj, e->ref.type, e->t);
    if (oi < 0)
        return oom(ln);
    if (m->nref == L->ref_cap) {
        size_t cap = next_cap(L->ref_cap);
        if (!resize(&m->ref_t, cap, sizeof *m->ref_t) ||
            !resize(&m->ref_cnt, cap, sizeof *m->ref_cnt) ||
            !resize(&m->ref_obj, cap, sizeof *m->ref_obj))
            return oom(ln);
        L->ref_cap = cap;
    }
    GvObject *o = &m->objs[oi];
    int32_t cnt = -1;                  /* a dealloc */
    if (e->kind == GS_TK_ref)
        cnt = e->ref.refcnt > INT32_MAX ? INT32_MAX : (int32_t)e->ref.refcnt;
    else
        o->freed = true;
    m->ref_t[m->nref] = e->t;
    m->ref_cnt[m->nref] = cnt;
    m->ref_obj[m->nref++] = (uint32_t)oi;
    o->last_t = e->t;
    o->nref++;
    if (cnt > o->maxref)
        o->maxref = cnt;
    return 0;
}

/* ---- lines that are not kept by the tracer ------------------------------------------ */

/* A checks line: the thread let go of the GIL after passing that many
 * eval-breaker checks since it took it (in a version-1 trace, "ticks":
 * the reader finds it under either name). */
static int checks_event(Load *L, const GsTraceLine *ln)
{
    GvModel *m = L->m;
    int64_t checks;
    uint32_t li;
    if (gs_trace_line_int(ln, "checks", 0, INT64_MAX, &checks) < 0)
        return -1;
    if (!existing_lane(L, ln->tid, &li))
        return 0;               /* checks of a thread that never touched the GIL */
    if (m->nchecks == L->checks_cap) {
        size_t cap = next_cap(L->checks_cap);
        if (!resize(&m->chk_t0, cap, sizeof *m->chk_t0) ||
            !resize(&m->chk_t1, cap, sizeof *m->chk_t1) ||
            !resize(&m->chk_cum, cap, sizeof *m->chk_cum))
            return oom(ln);
        L->checks_cap = cap;
    }
    int64_t t0 = L->ll[li].acquire_t;
    int64_t prev = m->nchecks ? m->chk_cum[m->nchecks - 1] : 0;
    if (t0 > ln->t || (m->nchecks && t0 < m->chk_t1[m->nchecks - 1]))
        t0 = ln->t;             /* no acquire before it: a point, not a span */
    m->chk_t0[m->nchecks] = t0;
    m->chk_t1[m->nchecks] = ln->t;
    m->chk_cum[m->nchecks++] = checks > INT64_MAX - prev ? INT64_MAX : prev + checks;
    if (ln->t > t0 && (double)checks / (double)(ln->t - t0) > m->chk_max_rate)
        m->chk_max_rate = (double)checks / (double)(ln->t - t0);
    return 0;
}

/* lock_* and io_* lines: an event in the lane (the state does not change:
 * the gil_release before a blocking call already said why). */
static int other_event(Load *L, const GsTraceLine *ln, int kind)
{
    uint32_t li;
    GvLane *l = existing_lane(L, ln->tid, &li);
    if (l && !lane_push(l, &L->ll[li], ln->t, (uint32_t)ln->line, kind, 0, lane_state(&L->ll[li])))
        return oom(ln);
    return 0;
}

/* Remember where every 1024th line starts, to read lines back. */
static int note_seek(Load *L, const GsTraceLine *ln)
{
    GvModel *m = L->m;
    size_t block = (ln->line - 1) / 1024 + 1;
    if (block == L->seek_block)
        return 0;
    L->seek_block = block;
    if (m->nseek == L->seek_cap) {
        size_t cap = next_cap(L->seek_cap);
        if (!resize(&m->seek_line, cap, sizeof *m->seek_line) ||
            !resize(&m->seek_off, cap, sizeof *m->seek_off))
            return oom(ln);
        L->seek_cap = cap;
    }
    m->seek_line[m->nseek] = (uint32_t)ln->line;
    m->seek_off[m->nseek++] = ln->offset;
    return 0;
}

/* ---- deadlocks ------------------------------------------------------------------------ */

/* A deadlock event: one more arrow.  A deadlock_hold event: the line where
 * a waited-for lock was taken, for the arrows that point at it. */
static int deadlock_event(Load *L, const GsTraceLine *ln, const GsTraceEvent *e)
{
    GvModel *m = L->m;
    bool hold = e->kind == GS_TK_deadlock_hold;
    GvDeadlock **list = hold ? &L->holds : &m->deadlocks;
    size_t *n = hold ? &L->nholds : &m->ndeadlocks;
    if (*n >= 4096)   /* a run has a few threads: more is a hostile file, not a picture */
        return gs_trace_line_fail(ln, "more than 4096 %s events", hold ? "deadlock_hold"
                                                                        : "deadlock");
    if (!resize(list, *n + 1, sizeof **list))
        return oom(ln);
    (*list)[(*n)++] = (GvDeadlock){ e->t, ln->tid, e->dl.holder, e->dl.waits_for, e->dl.obj,
                                    e->dl.line, 0 };
    return 0;
}

/* Each waited-for lock's line from its holder's deadlock_hold, which may
 * come before or after the waiter's deadlock event. */
static void finish_deadlocks(Load *L)
{
    GvModel *m = L->m;
    for (size_t i = 0; i < m->ndeadlocks; i++)
        for (size_t j = 0; j < L->nholds; j++)
            if (!strcmp(gs_trace_str(m->tr, m->deadlocks[i].waits_for), "lock") &&
                L->holds[j].tid == m->deadlocks[i].holder && L->holds[j].obj == m->deadlocks[i].obj)
                m->deadlocks[i].held_line = L->holds[j].line;
    free(L->holds);
    L->holds = NULL;
    L->nholds = 0;
}

void gv_deadlock_text(const GvModel *m, const GvDeadlock *d, char *buf, size_t size)
{
    const GvLane *h = gv_model_lane(m, d->holder);
    char holder[96];
    if (h)
        gv_thread_label(holder, sizeof holder, h->tid, h->name);
    else
        snprintf(holder, sizeof holder, "T%d", d->holder);
    gs_deadlock_describe(buf, size, gs_trace_str(m->tr, d->waits_for), d->tid, d->obj, d->line,
                         d->holder, holder, d->held_line);
}

/* The hook: every checked event line of the trace, in file order. */
static int on_event(void *ctx, const GsTraceLine *ln)
{
    Load *L = ctx;
    L->m->nevents++;
    if (note_seek(L, ln) < 0)
        return -1;
    const GsTraceEvent *e = ln->event;
    if (e && (e->kind == GS_TK_deadlock || e->kind == GS_TK_deadlock_hold))
        return deadlock_event(L, ln, e);
    if (e)
        return e->kind == GS_TK_ref || e->kind == GS_TK_dealloc ? ref_event(L, ln, e)
                                                                 : lane_event(L, ln, e);
    switch (ln->kind) {
    case GS_EV_op:
        L->m->nops++;
        return 0;
    case GS_EV_checks:
        return checks_event(L, ln);
    case GS_EV_lock_request:
        return other_event(L, ln, GV_K_lock_request);
    case GS_EV_lock_acquire:
        return other_event(L, ln, GV_K_lock_acquire);
    case GS_EV_lock_release:
        return other_event(L, ln, GV_K_lock_release);
    case GS_EV_io_begin:
        return other_event(L, ln, GV_K_io_begin);
    case GS_EV_io_end:
        return other_event(L, ln, GV_K_io_end);
    default:
        return 0;
    }
}

/* ---- finishing ------------------------------------------------------------------------ */

static int by_tid(const void *a, const void *b)
{
    const GvLane *x = *(const GvLane *const *)a, *y = *(const GvLane *const *)b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Trim an array from cap to n elements (a failing shrink keeps the old one). */
static void trim(void *p, size_t n, size_t size)
{
    if (n)
        resize(p, n, size);
}

static void trim_lane(GvLane *l)
{
    trim(&l->t, l->n, sizeof *l->t);
    trim(&l->line, l->n, sizeof *l->line);
    trim(&l->arg, l->n, sizeof *l->arg);
    trim(&l->kind, l->n, sizeof *l->kind);
    trim(&l->st, l->n, sizeof *l->st);
    l->cap = l->n;
    trim(&l->cum, l->ncum, sizeof *l->cum);
    l->cum_cap = l->ncum;
    for (int k = 0; k < GV_MARK_COUNT; k++) {
        trim(&l->marks[k].idx, l->marks[k].n, sizeof *l->marks[k].idx);
        if (k == GV_MARK_GC)
            trim(&l->gc_end, l->marks[k].n, sizeof *l->gc_end);
        l->marks[k].cap = l->marks[k].n;
    }
}

static bool index_lane(GvLane *l)
{
    bool ok = time_index_build(&l->tindex, l->t, NULL, l->n);
    for (int k = 0; k < GV_MARK_COUNT; k++)
        ok &= time_index_build(&l->marks[k].tindex, l->t, l->marks[k].idx, l->marks[k].n);
    return ok;
}

/* Finish a lane's stats: its lifetime and last span (timeline.h). */
static void finish_stats(Load *L, LaneLoad *ll, const GsTraceThread *th)
{
    int64_t end = th && th->ended ? ll->last_t : L->tr->t_end;
    if (end < ll->first_t)
        end = ll->first_t;
    ll->ts.lifetime_ns = end - ll->first_t;
    GsTlSpan span;
    if (gs_timeline_walker_finish(&ll->walker, end, &span))
        add_span(&ll->ts, &span);
    ll->ts.drop_requests = (size_t)ll->ts.tid < L->ndrops ? L->drops[ll->ts.tid] : 0;
}

/* Put the lanes in tid order (as the stats and the trace's threads are),
 * renumbering the handoffs; fill in names and the stats. */
static int finish_lanes(Load *L)
{
    GvModel *m = L->m;
    size_t n = m->nlanes;
    GvLane **order = malloc((n ? n : 1) * sizeof *order);
    uint32_t *renum = malloc((n ? n : 1) * sizeof *renum);
    GvLane *lanes = malloc((n ? n : 1) * sizeof *lanes);
    m->stats.threads = calloc(n ? n : 1, sizeof *m->stats.threads);
    if (!order || !renum || !lanes || !m->stats.threads) {
        free(order), free(renum), free(lanes);
        return -1;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        order[i] = &m->lanes[i];
    qsort(order, n, sizeof *order, by_tid);
    m->stats.nthreads = n;
    m->stats.total.tid = -1;
    m->stats.total.name = "total";
    for (size_t i = 0; i < n; i++) {
        size_t old = (size_t)(order[i] - m->lanes);
        const GsTraceThread *th = gs_trace_thread(L->tr, order[i]->tid);
        renum[old] = (uint32_t)i;
        lanes[i] = *order[i];
        lanes[i].name = th ? gs_trace_str(L->tr, th->name) : "";
        trim_lane(&lanes[i]);
        ok &= index_lane(&lanes[i]);
        finish_stats(L, &L->ll[old], th);
        m->stats.threads[i] = L->ll[old].ts;
        m->stats.threads[i].name = lanes[i].name;
        gs_stats_add_to_total(&m->stats.total, &m->stats.threads[i]);
    }
    for (size_t k = 0; k < m->nhandoffs; k++) {
        GvHandoff *h = &m->handoffs[k];
        h->from = h->from == GV_NO_LANE ? GV_NO_LANE : renum[h->from];
        h->to = renum[h->to];
    }
    free(m->lanes);
    m->lanes = lanes;
    free(order);
    free(renum);
    return ok ? 0 : -1;
}

/* The busiest objects, at most 64 of them, for the reference-count lanes. */
enum { RANKED = 64 };

static bool busier(const GvObject *a, const GvObject *b)
{
    return a->nref != b->nref ? a->nref > b->nref : a->id < b->id;
}

static int rank_objects(GvModel *m)
{
    size_t k = m->nobjs < RANKED ? m->nobjs : RANKED, n = 0;
    if (!k)
        return 0;
    if (!(m->obj_rank = malloc(k * sizeof *m->obj_rank)))
        return -1;
    /* Insertion into a short sorted list: n * 64 at worst, no full sort. */
    for (size_t i = 0; i < m->nobjs; i++) {
        if (n == k && !busier(&m->objs[i], &m->objs[m->obj_rank[n - 1]]))
            continue;
        size_t j = n < k ? n++ : n - 1;
        while (j > 0 && busier(&m->objs[i], &m->objs[m->obj_rank[j - 1]])) {
            m->obj_rank[j] = m->obj_rank[j - 1];
            j--;
        }
        m->obj_rank[j] = (uint32_t)i;
    }
    return 0;
}

static int finish(Load *L)
{
    GvModel *m = L->m;
    m->t_start = L->tr->t_start;
    m->t_end = L->tr->t_end;
    m->stats.duration_ns = m->t_end - m->t_start;
    m->stats.switches = L->switches;
    if (finish_lanes(L) < 0)
        return -1;
    finish_deadlocks(L);
    trim(&m->handoffs, m->nhandoffs, sizeof *m->handoffs);
    trim(&m->chk_t0, m->nchecks, sizeof *m->chk_t0);
    trim(&m->chk_t1, m->nchecks, sizeof *m->chk_t1);
    trim(&m->chk_cum, m->nchecks, sizeof *m->chk_cum);
    if (!time_index_build(&m->chk_index, m->chk_t1, NULL, m->nchecks))
        return -1;
    trim(&m->ref_t, m->nref, sizeof *m->ref_t);
    trim(&m->ref_cnt, m->nref, sizeof *m->ref_cnt);
    trim(&m->ref_obj, m->nref, sizeof *m->ref_obj);
    trim(&m->objs, m->nobjs, sizeof *m->objs);
    if (rank_objects(m) < 0)
        return -1;
    return gv_model_pick_objects(m, NULL, 0, 0);
}

/* ---- loading ---------------------------------------------------------------------------- */

typedef struct {
    GvProgressFn fn;
    void *ctx;
} Progress;

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    Progress *p = ctx;
    if (p->fn)
        p->fn(p->ctx, done, total);
}

/* The hook's ctx must reach both the Load and the progress callback. */
typedef struct {
    Load load;
    Progress progress;
} Reading;

static int reading_event(void *ctx, const GsTraceLine *ln)
{
    return on_event(&((Reading *)ctx)->load, ln);
}

static void reading_progress(void *ctx, uint64_t done, uint64_t total)
{
    on_progress(&((Reading *)ctx)->progress, done, total);
}

int gv_model_read(FILE *f, const char *name, GvProgressFn progress, void *ctx,
                  GvModel **out, char *err, size_t errlen)
{
    *out = NULL;
    GvModel *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    Reading r = { .load = { .m = m, .last_acq = GV_NO_LANE, .last_acq_tid = -1 },
                  .progress = { progress, ctx } };
    GsTraceHooks hooks = { .event = reading_event, .progress = reading_progress, .ctx = &r,
                           .drop_events = true };
    /* The tracer's trace is filled in as it goes; the hook reads its t_end. */
    int rc = gs_trace_read_hooked(f, name, &hooks, &m->tr, err, errlen);
    r.load.tr = m->tr;
    if (rc == 0 && finish(&r.load) < 0)
        rc = -1, snprintf(err, errlen, "%s: out of memory", name);
    free(r.load.ll);
    free(r.load.slot);
    free(r.load.drops);
    free(r.load.obj_hash);
    free(r.load.holds);   /* when the load failed before finish_deadlocks */
    if (rc < 0) {
        gv_model_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

int gv_model_load(const char *path, GvProgressFn progress, void *ctx, GvModel **out,
                  char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = gv_model_read(f, path, progress, ctx, out, err, errlen);
    fclose(f);
    if (rc == 0 && !((*out)->path = strdup(path))) {
        gv_model_free(*out);
        *out = NULL;
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    return rc;
}

static void free_picked(GvModel *m)
{
    for (size_t i = 0; i < m->npicked; i++) {
        free(m->picked[i].idx);
        free(m->picked[i].bmin);
        free(m->picked[i].bmax);
    }
    m->npicked = 0;
}

void gv_model_free(GvModel *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nlanes; i++) {
        GvLane *l = &m->lanes[i];
        free(l->t), free(l->line), free(l->arg), free(l->kind), free(l->st), free(l->cum);
        for (int k = 0; k < GV_MARK_COUNT; k++)
            free(l->marks[k].idx), free(l->marks[k].tindex.start);
        free(l->gc_end);
        free(l->tindex.start);
    }
    free(m->lanes);
    free(m->handoffs);
    free(m->deadlocks);
    free(m->chk_t0), free(m->chk_t1), free(m->chk_cum), free(m->chk_index.start);
    free(m->ref_t), free(m->ref_cnt), free(m->ref_obj);
    free(m->objs);
    free(m->obj_rank);
    free_picked(m);
    free(m->seek_line), free(m->seek_off);
    gs_stats_fini(&m->stats);
    gs_trace_free(m->tr);
    free(m->path);
    free(m);
}

size_t gv_model_bytes(const GvModel *m)
{
    size_t b = sizeof *m + m->nlanes * sizeof *m->lanes;
    for (size_t i = 0; i < m->nlanes; i++) {
        const GvLane *l = &m->lanes[i];
        b += l->cap * (sizeof *l->t + sizeof *l->line + sizeof *l->arg + 2);
        b += l->cum_cap * sizeof *l->cum;
        b += l->tindex.k ? (l->tindex.k + 1) * sizeof *l->tindex.start : 0;
        for (int k = 0; k < GV_MARK_COUNT; k++)
            b += l->marks[k].cap * (sizeof(uint32_t) + (k == GV_MARK_GC ? sizeof(int64_t) : 0)) +
                 (l->marks[k].tindex.k ? (l->marks[k].tindex.k + 1) * 4 : 0);
    }
    b += m->nhandoffs * sizeof *m->handoffs + m->ndeadlocks * sizeof *m->deadlocks;
    b += m->nchecks * 3 * sizeof(int64_t) + (m->chk_index.k ? (m->chk_index.k + 1) * 4 : 0);
    b += m->nref * (sizeof *m->ref_t + sizeof *m->ref_cnt + sizeof *m->ref_obj);
    b += m->nobjs * sizeof *m->objs;
    b += m->nseek * (sizeof *m->seek_line + sizeof *m->seek_off);
    b += m->stats.nthreads * sizeof *m->stats.threads;
    for (size_t i = 0; i < m->npicked; i++)
        b += m->picked[i].n * sizeof(uint32_t) + 2 * ((m->picked[i].n + GV_CK - 1) / GV_CK) * 4;
    if (m->tr)
        b += sizeof *m->tr + m->tr->strings_cap + m->tr->string_index_cap * sizeof(uint32_t) +
             m->tr->nthreads * sizeof *m->tr->threads;
    return b;
}

/* ---- queries ---------------------------------------------------------------------------- */

size_t gv_lane_upper(const GvLane *l, int64_t x)
{
    return upper(&l->tindex, l->t, NULL, l->n, x);
}

/* Cover up to x, given up = the first index with t > x. */
static void cover_at(const GvLane *l, int64_t x, size_t up, int64_t out[GV_ST_COUNT])
{
    memset(out, 0, GV_ST_COUNT * sizeof *out);
    if (up == 0)
        return;
    size_t i = up - 1, c = i / GV_CK;
    memcpy(out, l->cum[c], GV_ST_COUNT * sizeof *out);
    for (size_t j = c * GV_CK; j < i; j++)
        out[l->st[j]] += l->t[j + 1] - l->t[j];
    out[l->st[i]] += x - l->t[i];
}

void gv_lane_cover(const GvLane *l, int64_t x, int64_t out[GV_ST_COUNT])
{
    cover_at(l, x, gv_lane_upper(l, x), out);
}

GvState gv_lane_state_at(const GvLane *l, int64_t x, int64_t *from, int64_t *to)
{
    size_t up = gv_lane_upper(l, x);
    if (up == 0) {
        *from = INT64_MIN;
        *to = l->n ? l->t[0] : INT64_MAX;
        return GV_ST_NONE;
    }
    size_t i = up - 1, a = i, b = up;
    GvState st = l->st[i];
    /* Widen over neighbours in the same state; a span is rarely long in
     * events, and a hostile one only costs this loop's bound. */
    for (int k = 0; k < 4096 && a > 0 && l->st[a - 1] == st; k++)
        a--;
    for (int k = 0; k < 4096 && b < l->n && l->st[b] == st; k++)
        b++;
    *from = l->t[a];
    *to = b < l->n ? l->t[b] : INT64_MAX;
    return st;
}

size_t gv_mark_lower(const GvLane *l, int kind, int64_t x)
{
    const GvIdxList *list = &l->marks[kind];
    return x == INT64_MIN ? 0 : upper(&list->tindex, l->t, list->idx, list->n, x - 1);
}

void gv_thread_label(char *buf, size_t size, int tid, const char *name)
{
    if (name && *name)
        snprintf(buf, size, "T%d %s", tid, name);
    else
        snprintf(buf, size, "T%d", tid);
}

const GvLane *gv_model_lane(const GvModel *m, int tid)
{
    size_t lo = 0, hi = m->nlanes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->lanes[mid].tid == tid)
            return &m->lanes[mid];
        if (m->lanes[mid].tid < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t gv_handoff_lower(const GvModel *m, int64_t t)
{
    size_t lo = 0, hi = m->nhandoffs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->handoffs[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int64_t gv_handoff_release_t(const GvModel *m, const GvHandoff *h)
{
    if (h->from == GV_NO_LANE)
        return h->t;
    const GvLane *l = &m->lanes[h->from];
    size_t i = gv_lane_upper(l, h->t);
    /* Its last release is normally its last GIL event before h->t. */
    for (int k = 0; k < 4096 && i > 0; k++, i--)
        if (l->kind[i - 1] == GV_K_gil_release)
            return l->t[i - 1];
    return h->t;
}

double gv_checks_before(const GvModel *m, int64_t x)
{
    size_t k = upper(&m->chk_index, m->chk_t1, NULL, m->nchecks, x);   /* the first ending after x */
    double before = k ? (double)m->chk_cum[k - 1] : 0.0;
    if (k < m->nchecks && m->chk_t0[k] < x) {
        double checks = (double)m->chk_cum[k] - before;
        before += checks * (double)(x - m->chk_t0[k]) / (double)(m->chk_t1[k] - m->chk_t0[k]);
    }
    return before;
}

/* ---- picked objects ------------------------------------------------------------------- */

static int build_obj_lane(GvModel *m, GvObjLane *ol, uint32_t obj)
{
    size_t n = m->objs[obj].nref, k = 0, nb = (n + GV_CK - 1) / GV_CK;
    ol->obj = obj;
    ol->n = 0;
    ol->idx = malloc((n ? n : 1) * sizeof *ol->idx);
    ol->bmin = malloc((nb ? nb : 1) * sizeof *ol->bmin);
    ol->bmax = malloc((nb ? nb : 1) * sizeof *ol->bmax);
    if (!ol->idx || !ol->bmin || !ol->bmax)
        return -1;
    /* One pass over all ref events; only done when the picks change. */
    for (size_t i = 0; i < m->nref && k < n; i++)
        if (m->ref_obj[i] == obj)
            ol->idx[k++] = (uint32_t)i;
    ol->n = k;
    for (size_t b = 0; b * GV_CK < k; b++) {
        int32_t lo = INT32_MAX, hi = INT32_MIN;
        for (size_t j = b * GV_CK; j < k && j < (b + 1) * GV_CK; j++) {
            int32_t c = m->ref_cnt[ol->idx[j]] < 0 ? 0 : m->ref_cnt[ol->idx[j]];
            lo = c < lo ? c : lo;
            hi = c > hi ? c : hi;
        }
        ol->bmin[b] = lo;
        ol->bmax[b] = hi;
    }
    return 0;
}

static int64_t find_obj(const GvModel *m, int64_t id)
{
    for (size_t i = 0; i < m->nobjs; i++)
        if (m->objs[i].id == id)
            return (int64_t)i;
    return -1;
}

int gv_model_pick_objects(GvModel *m, const int64_t *ids, size_t n, size_t first)
{
    free_picked(m);
    uint32_t want[GV_MAX_PICKED];
    size_t nwant = 0;
    if (n) {
        for (size_t i = 0; i < n && nwant < GV_MAX_PICKED; i++) {
            int64_t o = find_obj(m, ids[i]);
            if (o >= 0)
                want[nwant++] = (uint32_t)o;
        }
    } else {
        size_t ranked = m->nobjs < RANKED ? m->nobjs : RANKED;
        /* The busiest three: more lanes would crowd out the threads. */
        for (size_t i = first; i < ranked && nwant < 3; i++)
            if (m->objs[m->obj_rank[i]].nref >= 2)
                want[nwant++] = m->obj_rank[i];
    }
    for (size_t i = 0; i < nwant; i++) {
        m->npicked++;
        if (build_obj_lane(m, &m->picked[i], want[i]) < 0) {
            free_picked(m);
            return -1;
        }
    }
    return 0;
}

/* The first of ol's events with t >= x. */
static size_t obj_lower(const GvModel *m, const GvObjLane *ol, int64_t x)
{
    size_t lo = 0, hi = ol->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ref_t[ol->idx[mid]] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int32_t count_at(const GvModel *m, const GvObjLane *ol, size_t j)
{
    int32_t c = m->ref_cnt[ol->idx[j]];
    return c < 0 ? 0 : c;
}

bool gv_obj_range(const GvModel *m, const GvObjLane *ol, int64_t a, int64_t b, int32_t *lo,
                  int32_t *hi)
{
    size_t i = obj_lower(m, ol, a), j = obj_lower(m, ol, b);
    if (i == 0 && j == 0)
        return false;
    /* The count in force at a, then every change in [a, b). */
    *lo = *hi = count_at(m, ol, i ? i - 1 : 0);
    while (i < j) {
        if (i % GV_CK == 0 && i + GV_CK <= j) {     /* a whole block at once */
            *lo = ol->bmin[i / GV_CK] < *lo ? ol->bmin[i / GV_CK] : *lo;
            *hi = ol->bmax[i / GV_CK] > *hi ? ol->bmax[i / GV_CK] : *hi;
            i += GV_CK;
            continue;
        }
        int32_t c = count_at(m, ol, i++);
        *lo = c < *lo ? c : *lo;
        *hi = c > *hi ? c : *hi;
    }
    return true;
}

/* ---- reading a line back ------------------------------------------------------------- */

int gv_model_line_text(const GvModel *m, size_t line, char *buf, size_t len)
{
    if (!m->path || !m->nseek || line < m->seek_line[0]) {
        snprintf(buf, len, "(the trace's text is not available)");
        return -1;
    }
    size_t lo = 0, hi = m->nseek;      /* the last seek entry at or before line */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->seek_line[mid] <= line)
            lo = mid;
        else
            hi = mid;
    }
    FILE *f = fopen(m->path, "rb");
    if (!f || fseeko(f, (off_t)m->seek_off[lo], SEEK_SET) != 0) {
        snprintf(buf, len, "%s: %s", m->path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    size_t at = m->seek_line[lo], n = 0;
    int c;
    while ((c = getc(f)) != EOF && at <= line) {
        if (c == '\n') {
            at++;
            continue;
        }
        if (at == line && n + 1 < len)
            buf[n++] = (char)c;
    }
    fclose(f);
    if (len)
        buf[n] = '\0';
    if (at <= line && n == 0) {
        snprintf(buf, len, "%s: the file changed since it was loaded", m->path);
        return -1;
    }
    return 0;
}
