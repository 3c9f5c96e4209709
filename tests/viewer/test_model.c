/*
 * test_model.c -- the viewer's model (viewer/model.c): what a loaded trace
 * holds, that its stats are `gilscope stats`'s, its level-of-detail
 * queries, cut-off and broken files, the memory budget, and a trace of
 * format version 1.
 */
#include <stdint.h>

#include "explain.h"
#include "stats.h"
#include "viewer_test.h"

static const char *const fixtures[] = {
    "states.jsonl", "countdown27.jsonl", "io312.jsonl", "refcycle.jsonl", "locked27.jsonl",
};
static const char *const tracer_fixtures[] = {
    "tick_three_threads.jsonl", "interval_drop.jsonl", "cut_noend.jsonl", "cut_midline.jsonl",
    "v1_max_ticks.jsonl", "v2_max_instructions.jsonl",
};

/* ---- the hand-made fixture: every state and marker at round times ------------------- */

static void expect_state(const GvModel *m, int tid, int64_t t, GvState want)
{
    const GvLane *l = gv_model_lane(m, tid);
    int64_t from, to;
    GvState got = l ? gv_lane_state_at(l, t, &from, &to) : GV_ST_COUNT;
    CHECK(got == want, "T%d at %lld ns: %s", tid, (long long)t, gv_state_name(want));
    if (got != want)
        printf("#   got %s\n", gv_state_name(got));
}

static void test_states_lanes(const GvModel *m)
{
    TAP_INT_EQ(m->nlanes, 3, "three lanes");
    CHECK(m->lanes[0].tid == 0 && m->lanes[1].tid == 1 && m->lanes[2].tid == 2, "in tid order");
    TAP_STR_EQ(m->lanes[1].name, "worker", "lane names come from thread_start");
    static const struct { int tid; int64_t t; GvState st; } cases[] = {
        { 0, 5000, GV_ST_HAS_GIL }, { 0, 50000, GV_ST_JOIN }, { 0, 85000, GV_ST_HAS_GIL },
        { 0, 95000, GV_ST_FINISHED }, { 1, 2000, GV_ST_NONE }, { 1, 7000, GV_ST_WAITING },
        { 1, 12500, GV_ST_HAS_GIL }, { 1, 25000, GV_ST_SLEEP }, { 1, 32000, GV_ST_WAITING },
        { 1, 45000, GV_ST_HAS_GIL }, { 1, 55000, GV_ST_IO }, { 1, 70000, GV_ST_LOCK },
        { 1, 76500, GV_ST_HAS_GIL }, { 1, 90000, GV_ST_FINISHED }, { 2, 16000, GV_ST_WAITING },
        { 2, 30000, GV_ST_HAS_GIL }, { 2, 45000, GV_ST_WAITING }, { 2, 65000, GV_ST_WAIT },
        { 2, 76000, GV_ST_WAITING }, { 2, 99999, GV_ST_FINISHED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_state(m, cases[i].tid, cases[i].t, cases[i].st);
    int64_t from, to;
    gv_lane_state_at(gv_model_lane(m, 1), 25000, &from, &to);
    CHECK(from == 20000 && to == 30000, "the sleep span is [20000, 30000)");
}

static void test_states_marks(const GvModel *m)
{
    const GvLane *t1 = gv_model_lane(m, 1), *t2 = gv_model_lane(m, 2);
    TAP_INT_EQ(t2->marks[GV_MARK_RETRY].n, 1, "one failed wake-up");
    TAP_INT_EQ(t2->t[t2->marks[GV_MARK_RETRY].idx[0]], 17000, "at 17 µs");
    TAP_INT_EQ(t1->marks[GV_MARK_DROP].n, 1, "one drop request");
    TAP_INT_EQ(t1->arg[t1->marks[GV_MARK_DROP].idx[0]], 2, "asking T2");
    TAP_INT_EQ(t1->marks[GV_MARK_PRINT].n, 1, "one print");
    TAP_INT_EQ(t1->marks[GV_MARK_GC].n, 1, "one collection");
    TAP_INT_EQ(t1->gc_end[0], 16000, "which ends at 16 µs");
    size_t locks = 0;
    for (size_t i = 0; i < t1->n; i++)
        locks += t1->kind[i] >= GV_K_lock_request && t1->kind[i] <= GV_K_lock_release;
    TAP_INT_EQ(locks, 3, "lock events are in the lane");
}

static void test_states_handoffs(const GvModel *m)
{
    TAP_INT_EQ(m->nhandoffs, 10, "ten handoffs (the first, from nobody, too)");
    TAP_INT_EQ(m->stats.switches, 10, "as many switches");
    const GvHandoff *h = &m->handoffs[3];
    CHECK(h->t == 40000 && m->lanes[h->from].tid == 2 && m->lanes[h->to].tid == 1 && h->forced,
           "at 40 µs T2 hands over to T1, forced by the drop request");
    TAP_INT_EQ(gv_handoff_release_t(m, h), 40000, "T2 let go at 40 µs");
    CHECK(m->handoffs[0].from == GV_NO_LANE && !m->handoffs[1].forced, "the first is from nobody");
    TAP_INT_EQ(gv_handoff_lower(m, 40001), 4, "handoff lookup by time");
}

static void test_states_checks_refs(GvModel *m)
{
    TAP_INT_EQ(m->nchecks, 4, "four checks events");
    CHECK(gv_checks_before(m, 100000) == 3600, "3600 checks in all");
    CHECK(gv_checks_before(m, 30000) == 1000, "half of the first 2000 by 30 µs (spread over the hold)");
    TAP_INT_EQ(m->nobjs, 1, "one object");
    CHECK(m->objs[0].id == 7 && m->objs[0].maxref == 3 && m->objs[0].freed &&
           m->objs[0].nref == 7, "object 7: 6 refs, a dealloc, max 3");
    TAP_INT_EQ(m->npicked, 1, "picked for a lane by default");
    int32_t lo = 0, hi = 0;
    CHECK(gv_obj_range(m, &m->picked[0], 21500, 23500, &lo, &hi) && lo == 1 && hi == 3,
           "counts 1..3 over [21.5, 23.5) µs");
    CHECK(!gv_obj_range(m, &m->picked[0], 0, 20000, &lo, &hi), "nothing before it existed");
    int64_t none = 99;
    CHECK(gv_model_pick_objects(m, &none, 1, 0) == 0 && m->npicked == 0, "an unknown id picks none");
    int64_t seven = 7;
    CHECK(gv_model_pick_objects(m, &seven, 1, 0) == 0 && m->npicked == 1, "picked by id");
}

static void test_states_text(const GvModel *m)
{
    char buf[512];
    gv_caption(m, 35000, buf, sizeof buf);
    TAP_STR_EQ(buf, "at 35.0 µs: T1 waited 5.00 µs for the GIL, then asked T2 to drop it",
               "the caption at a drop request");
    gv_caption(m, 17500, buf, sizeof buf);
    CHECK(strstr(buf, "failed wake-up") != NULL, "at a retry: %s", buf);
    gv_caption(m, -1, buf, sizeof buf);
    CHECK(strstr(buf, "press space") != NULL, "before anything: %s", buf);
    size_t lane, idx;
    CHECK(gv_last_event(m, 20000, &lane, &idx) && m->lanes[lane].tid == 2 &&
           m->lanes[lane].kind[idx] == GV_K_thread_start, "the last event at 20 µs is the latest line");
    const GvLane *l = gv_model_lane(m, 1);
    CHECK(gv_model_line_text(m, l->line[0], buf, sizeof buf) == 0 &&
           strcmp(buf, "{\"ev\":\"gil_request\",\"t\":5000,\"tid\":1,\"holder\":0}") == 0,
           "a line read back from the file: %s", buf);
}

static void test_states(void)
{
    GvModel *m = load_model(vfixture("states.jsonl"));
    CHECK(m != NULL, "states.jsonl loads");
    if (!m)
        return;
    TAP_INT_EQ(m->nevents, 51, "51 event lines");
    TAP_INT_EQ(m->tr->nwarnings, 0, "no warnings");
    test_states_lanes(m);
    test_states_marks(m);
    test_states_handoffs(m);
    test_states_checks_refs(m);
    test_states_text(m);
    gv_model_free(m);
}

/* ---- the stats are gilscope stats' ---------------------------------------------------- */

static bool same_row(const GsThreadStats *a, const GsThreadStats *b)
{
    bool same = a->tid == b->tid && strcmp(a->name, b->name) == 0 &&
                a->lifetime_ns == b->lifetime_ns && a->acquisitions == b->acquisitions &&
                a->retries == b->retries && a->drop_requests == b->drop_requests &&
                a->wait_sum_ns == b->wait_sum_ns && a->wait_max_ns == b->wait_max_ns;
    for (int s = 0; s < GS_TL_COUNT; s++)
        same &= a->state_ns[s] == b->state_ns[s];
    for (int w = 0; w < GS_WHY_COUNT; w++)
        same &= a->blocked_ns[w] == b->blocked_ns[w];
    return same;
}

static void compare_stats(const char *path)
{
    char err[512];
    GsTrace *tr = NULL;
    GvModel *m = load_model(path);
    GsStats st;
    if (!m || gs_trace_load(path, &tr, err, sizeof err) < 0 || gs_stats_compute(tr, &st) < 0) {
        CHECK(0, "%s loads both ways", path);
        gv_model_free(m);
        gs_trace_free(tr);
        return;
    }
    bool same = st.nthreads == m->stats.nthreads && st.switches == m->stats.switches &&
                st.duration_ns == m->stats.duration_ns && same_row(&st.total, &m->stats.total);
    for (size_t i = 0; same && i < st.nthreads; i++)
        same = same_row(&st.threads[i], &m->stats.threads[i]);
    CHECK(same, "the viewer's stats of %s are gilscope stats'", path);
    gs_stats_fini(&st);
    gs_trace_free(tr);
    gv_model_free(m);
}

static void test_stats_agree(void)
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
        compare_stats(vfixture(fixtures[i]));
    for (size_t i = 0; i < sizeof tracer_fixtures / sizeof tracer_fixtures[0]; i++)
        compare_stats(tfixture(tracer_fixtures[i]));
}

/* ---- level of detail: gv_lane_cover against a plain sum --------------------------------- */

static void naive_cover(const GvLane *l, int64_t x, int64_t out[GV_ST_COUNT])
{
    memset(out, 0, GV_ST_COUNT * sizeof *out);
    for (size_t i = 0; i < l->n && l->t[i] < x; i++) {
        int64_t end = i + 1 < l->n && l->t[i + 1] < x ? l->t[i + 1] : x;
        out[l->st[i]] += end - l->t[i];
    }
}

static int check_cover(const GvModel *m)
{
    int bad = 0;
    for (size_t k = 0; k < m->nlanes; k++) {
        const GvLane *l = &m->lanes[k];
        for (int j = 0; j <= 200; j++) {
            int64_t x = m->t_start - 10 + (m->t_end - m->t_start + 20) * j / 200;
            int64_t a[GV_ST_COUNT], b[GV_ST_COUNT];
            gv_lane_cover(l, x, a);
            naive_cover(l, x, b);
            bad += memcmp(a, b, sizeof a) != 0;
        }
    }
    return bad;
}

static void test_cover(void)
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        GvModel *m = load_model(vfixture(fixtures[i]));
        CHECK(m && check_cover(m) == 0, "%s: checkpointed cover = plain sum", fixtures[i]);
        gv_model_free(m);
    }
}

/* ---- big, cut, broken ------------------------------------------------------------------ */

/* A generated trace: n rounds of two threads handing the GIL over on
 * request, as 3.12 does.  Returns a new buffer. */
static char *generated(size_t rounds, size_t *len)
{
    size_t cap = rounds * 320 + 1024, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    n += (size_t)snprintf(buf + n, cap - n, "%s", META);
    int64_t t = 0;
    for (size_t r = 0; r < rounds; r++) {
        int a = (int)(r % 2), b = 1 - a;
        n += (size_t)snprintf(buf + n, cap - n,
                              "{\"ev\":\"gil_request\",\"t\":%lld,\"tid\":%d,\"holder\":%d}\n"
                              "{\"ev\":\"gil_drop_request\",\"t\":%lld,\"tid\":%d,\"holder\":%d}\n"
                              "{\"ev\":\"gil_release\",\"t\":%lld,\"tid\":%d,\"why\":\"drop_request\",\"held\":5000}\n"
                              "{\"ev\":\"checks\",\"t\":%lld,\"tid\":%d,\"checks\":500}\n"
                              "{\"ev\":\"gil_acquire\",\"t\":%lld,\"tid\":%d,\"wait\":5000}\n",
                              (long long)t + 10, b, a, (long long)t + 5010, b, a,
                              (long long)t + 5100, a, (long long)t + 5100, a, (long long)t + 5200,
                              b);
        t += 5200;
    }
    n += (size_t)snprintf(buf + n, cap - n, "{\"ev\":\"end\",\"t\":%lld}\n", (long long)t + 1);
    *len = n;
    return buf;
}

static void test_budget(void)
{
    size_t len;
    char err[512], *text = generated(40000, &len);
    GvModel *m = text ? model_from_text(text, len, err, sizeof err) : NULL;
    CHECK(m != NULL, "200000 generated events load (%s)", m ? "ok" : err);
    if (m) {
        double per = (double)gv_model_bytes(m) / (double)m->nevents;
        CHECK(per <= 32, "the model keeps %.1f bytes an event (budget: 32)", per);
        TAP_INT_EQ(m->nhandoffs, 40000, "every round is a handoff");
        TAP_INT_EQ(check_cover(m), 0, "cover = plain sum across thousands of checkpoints");
    }
    gv_model_free(m);
    free(text);
}

static void test_cut(void)
{
    GvModel *m = load_model(tfixture("cut_noend.jsonl"));
    CHECK(m && !m->tr->complete && m->tr->nwarnings == 1, "no end line: loads, one warning");
    if (m)
        TAP_INT_EQ(m->t_end, 4000, "the run ends at the last line");
    gv_model_free(m);
    m = load_model(tfixture("cut_midline.jsonl"));
    CHECK(m && m->tr->nwarnings == 2, "cut mid-line: loads, two warnings");
    gv_model_free(m);

    /* Every prefix of a trace from its meta line on loads, and the states
     * of every thread add up to its lifetime. */
    size_t len;
    char *text = read_all(vfixture("states.jsonl"), &len);
    size_t meta = text ? (size_t)(strchr(text, '\n') - text) : 0;
    int bad = 0;
    for (size_t k = meta; text && k <= len; k++) {
        char err[512];
        GvModel *p = model_from_text(text, k, err, sizeof err);
        if (!p) {
            if (bad++ == 0)
                printf("#   prefix %zu: %s\n", k, err);
            continue;
        }
        for (size_t i = 0; i < p->stats.nthreads; i++) {
            const GsThreadStats *ts = &p->stats.threads[i];
            bad += ts->state_ns[0] + ts->state_ns[1] + ts->state_ns[2] + ts->state_ns[3] !=
                   ts->lifetime_ns;
        }
        gv_model_free(p);
    }
    TAP_INT_EQ(bad, 0, "every prefix of states.jsonl loads and adds up");
    free(text);
}

static void expect_error(const char *text, const char *want, const char *what)
{
    char err[512];
    GvModel *m = model_from_text(text, strlen(text), err, sizeof err);
    CHECK(!m && strstr(err, want), "%s: %s", what, m ? "(loaded!)" : err);
    gv_model_free(m);
}

static void test_broken(void)
{
    expect_error("", "t.jsonl: empty file: not a gilscope trace", "empty file");
    expect_error("\x7f" "ELF\x02\x01\x01\n", "t.jsonl:1: not a gilscope trace", "a binary");
    expect_error(META "{\"ev\":\"checks\",\"t\":5,\"tid\":0}\n",
                 "t.jsonl:2: expected an integer \"checks\", it is missing",
                 "checks without a count (the viewer reads it)");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0}\n"
                 "{\"ev\":\"checks\",\"t\":6,\"tid\":0,\"checks\":-3}\n",
                 "t.jsonl:3: \"checks\" is negative (-3)", "negative checks");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":9,\"tid\":0,\"wait\":0}\n"
                 "{\"ev\":\"gil_acquire\",\"t\":8,\"tid\":0,\"wait\":0}\n",
                 "t.jsonl:3: lines out of order", "time going back");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":1e9,\"wait\":0}\n",
                 "t.jsonl:2: \"tid\" is out of range", "a huge tid");
    expect_error(META "{\"ev\":\"gil_release\",\"t\":1,\"tid\":0,\"why\":\"x\",\"held\":1}\n",
                 "t.jsonl:2: unknown \"why\"", "an unknown why");
    expect_error(META "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"a}\n{}\n",
                 "t.jsonl:2: not JSON", "broken JSON");
    /* A trace whose checks name a thread that never held the GIL: ignored. */
    char err[512];
    const char *odd = META "{\"ev\":\"checks\",\"t\":5,\"tid\":3,\"checks\":7}\n";
    GvModel *m = model_from_text(odd, strlen(odd), err, sizeof err);
    CHECK(m && m->nchecks == 0 && m->nlanes == 0, "checks of an unknown thread are ignored");
    gv_model_free(m);
}

/* ---- format version 1 ------------------------------------------------------------------ */

static bool same_lanes(const GvModel *a, const GvModel *b)
{
    if (a->nlanes != b->nlanes)
        return false;
    for (size_t k = 0; k < a->nlanes; k++) {
        const GvLane *x = &a->lanes[k], *y = &b->lanes[k];
        if (x->tid != y->tid || x->n != y->n || strcmp(x->name, y->name) != 0)
            return false;
        for (size_t i = 0; i < x->n; i++)
            if (x->t[i] != y->t[i] || x->kind[i] != y->kind[i] || x->st[i] != y->st[i] ||
                x->arg[i] != y->arg[i])
                return false;
    }
    return true;
}

/* The same run recorded in format 1 ("ticks") and format 2 ("checks"):
 * the viewer draws the same picture from both (tests/unit/test_trace_read.c
 * says how the two files were made). */
static void test_version1(void)
{
    GvModel *v1 = load_model(tfixture("v1_max_ticks.jsonl"));
    GvModel *v2 = load_model(tfixture("v2_max_instructions.jsonl"));
    CHECK(v1 && v2, "both load");
    if (v1 && v2) {
        TAP_INT_EQ(v1->nchecks, 25, "the old file's 25 ticks events are checks");
        CHECK(gv_checks_before(v1, v1->t_end + 1) == 2318, "2318 checks in all");
        CHECK(v1->nchecks == v2->nchecks &&
              gv_checks_before(v1, v1->t_end / 2) == gv_checks_before(v2, v2->t_end / 2),
              "the same checks row as the new file's");
        CHECK(same_lanes(v1, v2) && v1->nhandoffs == v2->nhandoffs &&
              v1->nevents == v2->nevents, "the same lanes, events and handoffs");
        TAP_STR_EQ(v1->tr->end.reason, "max_instructions", "stopped by max_instructions");
    }
    gv_model_free(v1);
    gv_model_free(v2);
}

/* Damaged copies of a fixture: loaded or refused with the file's name,
 * never a crash (the fuzz target does this at scale). */
static void test_damage(void)
{
    size_t len;
    char *text = read_all(vfixture("states.jsonl"), &len);
    char *buf = text ? malloc(len + 1) : NULL;
    uint64_t s = 0x243f6a8885a308d3u;
    int loaded = 0, refused = 0, odd = 0;
    for (int round = 0; buf && round < 2000; round++) {
        size_t n = len;
        memcpy(buf, text, len);
        for (int k = 0; k < 3; k++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            size_t at = (size_t)(s >> 20) % n;
            buf[at] = "{}[]\",:\n0-9e\\x"[s % 15];
        }
        char err[512];
        GvModel *m = model_from_text(buf, n, err, sizeof err);
        if (m)
            loaded++;
        else if (strncmp(err, "t.jsonl", 7) == 0)
            refused++;
        else
            odd++;
        gv_model_free(m);
    }
    CHECK(loaded > 0 && refused > 0 && odd == 0, "2000 damaged traces: %d loaded, %d refused, "
           "%d without the file's name", loaded, refused, odd);
    free(buf);
    free(text);
}

int main(int argc, char **argv)
{
    set_dirs(argc, argv);
    test_states();
    test_stats_agree();
    test_cover();
    test_budget();
    test_cut();
    test_broken();
    test_damage();
    test_version1();
    return tap_done();
}
