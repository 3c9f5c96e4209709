/*
 * test_trace_read.c -- unit tests for tracer/trace_read.c, the trace loader.
 *
 * Good traces (the fixtures in tests/traces/), cut-off traces, malformed
 * lines with the exact message each must give, hostile input (binary
 * garbage, deep nesting, huge numbers and lines), and two properties run
 * over many inputs: every prefix of a good trace loads (a run may be cut
 * off anywhere after its meta line), and random corruption never crashes
 * the loader (run this test under ASan/UBSan to make that mean something).
 * And format version 1, read with its old names.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "stats.h"
#include "tap.h"
#include "trace_read.h"
#include "trace_util.h"

/* ---- good traces -------------------------------------------------------------- */

static int count_kind(const GsTraceThread *th, int kind)
{
    int n = 0;
    for (size_t i = 0; i < th->nevents; i++)
        n += th->events[i].kind == kind;
    return n;
}

static const GsTraceEvent *find_kind(const GsTraceThread *th, int kind)
{
    for (size_t i = 0; i < th->nevents; i++)
        if (th->events[i].kind == kind)
            return &th->events[i];
    return NULL;
}

static void test_tick_fixture(void)
{
    char err[512];
    GsTrace *tr;
    int rc = gs_trace_load(fixture("tick_three_threads.jsonl"), &tr, err, sizeof err);
    TAP_OK(rc == 0 && tr, "tick_three_threads.jsonl loads (%s)", rc ? err : "ok");
    if (rc)
        return;
    TAP_STR_EQ(tr->script, "scenarios/two_workers.py", "meta script");
    TAP_STR_EQ(tr->cpython, "2.7", "meta cpython");
    TAP_STR_EQ(tr->policy, "tick", "meta policy");
    TAP_OK(tr->complete, "complete (has an end line)");
    TAP_INT_EQ(tr->t_end, 10000, "t_end is the end line's t");
    TAP_INT_EQ(tr->end.switches, 6, "end.switches");
    TAP_INT_EQ(tr->end.checks, 1234, "end.checks");
    TAP_STR_EQ(tr->end.reason, "exit", "end.reason");
    TAP_INT_EQ(tr->nthreads, 3, "three threads");
    TAP_INT_EQ(tr->nskipped, 3, "io_begin, io_end and the unknown kind are not kept");
    TAP_INT_EQ(tr->nwarnings, 1, "one warning: the unknown kind");
    if (tr->nwarnings)
        TAP_OK(strstr(tr->warnings[0], "\"telepathy\" at line 23") != NULL,
               "the warning names the kind and its line: %s", tr->warnings[0]);
    const GsTraceThread *t0 = gs_trace_thread(tr, 0), *t1 = gs_trace_thread(tr, 1),
                        *t2 = gs_trace_thread(tr, 2);
    TAP_OK(t0 && t1 && t2 && !gs_trace_thread(tr, 3), "threads found by tid");
    if (!t0 || !t1 || !t2) {
        gs_trace_free(tr);
        return;
    }
    TAP_STR_EQ(gs_trace_str(tr, t1->name), "Thread-1", "thread 1's name");
    TAP_OK(t0->ended && t1->ended && t2->ended, "all three ended");
    TAP_INT_EQ(t0->nevents, 6, "thread 0 events");
    TAP_INT_EQ(t1->nevents, 14, "thread 1 events");
    TAP_INT_EQ(t2->nevents, 9, "thread 2 events");
    TAP_INT_EQ(count_kind(t1, GS_TK_gil_acquire), 2, "thread 1 acquired twice");
    const GsTraceEvent *rel = find_kind(t2, GS_TK_gil_release);
    TAP_OK(rel && rel->why == GS_WHY_sleep && rel->held == 1000 && rel->t == 4000,
           "thread 2's first release: sleep, held 1000, at 4000");
    const GsTraceEvent *retry = find_kind(t2, GS_TK_gil_retry);
    TAP_OK(retry && retry->holder == 1, "retry's holder");
    const GsTraceEvent *pr = find_kind(t1, GS_TK_print);
    TAP_STR_EQ(pr ? gs_trace_str(tr, pr->text) : NULL, "count = 3 \"ok\"\n\ttab",
               "print text unescaped");
    const GsTraceEvent *ref = find_kind(t1, GS_TK_ref);
    TAP_OK(ref && ref->ref.obj == 42 && ref->ref.refcnt == 2 && ref->ref.delta == 1 &&
           strcmp(gs_trace_str(tr, ref->ref.type), "list") == 0, "ref fields");
    const GsTraceEvent *gce = find_kind(t1, GS_TK_gc_end);
    TAP_OK(gce && gce->gc.gen == 0 && gce->gc.collected == 3, "gc_end fields");
    const GsTraceEvent *de = find_kind(t1, GS_TK_dealloc);
    TAP_OK(de && ref && de->ref.type == ref->ref.type, "type names are interned");
    TAP_INT_EQ(t1->events[0].line, 4, "events remember their line");
    gs_trace_free(tr);
}

static void test_interval_fixture(void)
{
    char err[512];
    GsTrace *tr;
    int rc = gs_trace_load(fixture("interval_drop.jsonl"), &tr, err, sizeof err);
    TAP_OK(rc == 0, "interval_drop.jsonl loads (%s)", rc ? err : "ok");
    if (rc)
        return;
    TAP_INT_EQ(tr->nwarnings, 0, "no warnings");
    TAP_INT_EQ(tr->nthreads, 2, "two threads");
    const GsTraceThread *t0 = gs_trace_thread(tr, 0);
    TAP_INT_EQ(t0 ? count_kind(t0, GS_TK_gil_drop_request) : -1, 1,
               "thread 0 made one drop request");
    gs_trace_free(tr);
}

/* ---- cut-off traces --------------------------------------------------------------- */

static void test_cut_noend(void)
{
    char err[512];
    GsTrace *tr;
    int rc = gs_trace_load(fixture("cut_noend.jsonl"), &tr, err, sizeof err);
    TAP_OK(rc == 0, "cut_noend.jsonl loads (%s)", rc ? err : "ok");
    if (rc)
        return;
    TAP_OK(!tr->complete, "not complete");
    TAP_INT_EQ(tr->t_end, 4000, "t_end is the last line's t");
    TAP_INT_EQ(tr->nwarnings, 1, "one warning");
    if (tr->nwarnings) {
        char want[4200];
        snprintf(want, sizeof want, "%s: no end line: the trace was cut off; loaded up to "
                 "line 16 (t = 4000 ns)", fixture("cut_noend.jsonl"));
        TAP_STR_EQ(tr->warnings[0], want, "the warning");
    }
    gs_trace_free(tr);
}

static void test_cut_midline(void)
{
    char err[512];
    GsTrace *tr;
    int rc = gs_trace_load(fixture("cut_midline.jsonl"), &tr, err, sizeof err);
    TAP_OK(rc == 0, "cut_midline.jsonl loads (%s)", rc ? err : "ok");
    if (rc)
        return;
    TAP_OK(!tr->complete, "not complete");
    TAP_INT_EQ(tr->t_end, 3000, "t_end is the last complete line's t");
    TAP_INT_EQ(tr->nwarnings, 2, "two warnings: the cut line, the missing end");
    if (tr->nwarnings == 2) {
        TAP_OK(strstr(tr->warnings[0], "cut_midline.jsonl:12: the last line is incomplete"),
               "warning 1: %s", tr->warnings[0]);
        TAP_OK(strstr(tr->warnings[1], "loaded up to line 11 (t = 3000 ns)"),
               "warning 2: %s", tr->warnings[1]);
    }
    const GsTraceThread *t2 = gs_trace_thread(tr, 2);
    TAP_OK(t2 && t2->name == 0, "thread 2's thread_start was on the cut line");
    gs_trace_free(tr);
}

/* ---- small good inputs ------------------------------------------------------------- */

static void expect_ok(const char *text, const char *what)
{
    char err[512];
    GsTrace *tr = load_text(text, err, sizeof err);
    TAP_OK(tr != NULL, "%s loads (%s)", what, tr ? "ok" : err);
    gs_trace_free(tr);
}

static void test_tolerated(void)
{
    expect_ok(META END(5), "meta + end");
    expect_ok(META "\n\n" END(5) "\n", "blank lines");
    expect_ok("{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":1}\r\n"
              "{\"ev\":\"end\",\"t\":5}\r\n", "CRLF line ends, meta without optional fields");
    expect_ok(META "{\"ev\":\"end\",\"t\":5}", "no final newline after a complete end line");
    expect_ok(META "{\"ev\":\"gil_request\",\"t\":1,\"tid\":1,\"holder\":-1}\n" END(5),
              "holder -1 (nobody)");
    expect_ok(META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":99999,\"wait\":0}\n" END(5),
              "tid 99999");
    expect_ok(META "{\"ev\":\"op\",\"t\":1,\"tid\":0,\"op\":\"NOP\",\"line\":1,\"offset\":0,"
              "\"code\":\"f\"}\n" END(5), "an op event (checked, not kept)");
    expect_ok(META "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0}\n"
              "{\"ev\":\"gil_release\",\"t\":5,\"tid\":0,\"why\":\"io\",\"held\":0}\n" END(5),
              "equal times");
    expect_ok(META "{\"ev\":\"gil_acquire\",\"t\":9007199254740991,\"tid\":0,\"wait\":0}\n",
              "t = 2^53 - 1");
    expect_ok(META "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"caf\xc3\xa9 \xe2\x9c\x93 "
              "\xf0\x9f\x90\x8d\"}\n", "UTF-8 text");

    char err[512];
    GsTrace *tr = load_text(META, err, sizeof err);
    TAP_OK(tr && !tr->complete && tr->nthreads == 0 && tr->nwarnings == 1,
           "a meta line alone: an empty, cut-off trace");
    gs_trace_free(tr);
    /* Beyond cJSON's nesting limit in an unknown event's payload: not JSON.
     * Below it: skipped like any unknown kind. */
    char deep[4096];
    int n = snprintf(deep, sizeof deep, "%s{\"ev\":\"future\",\"t\":1,\"x\":", META);
    for (int i = 0; i < 500; i++)
        deep[n++] = '[';
    for (int i = 0; i < 500; i++)
        deep[n++] = ']';
    snprintf(deep + n, sizeof deep - (size_t)n, "}\n");
    expect_ok(deep, "an unknown kind with 500 nested arrays");
}

/* ---- format version 1 -------------------------------------------------------------------- */

/* What a hook saw of the checks lines: how many, and their checks added up. */
typedef struct {
    int lines, named_checks;
    int64_t sum;
} ChecksSeen;

static int count_checks(void *ctx, const GsTraceLine *ln)
{
    ChecksSeen *seen = ctx;
    if (ln->kind != GS_EV_checks)
        return 0;
    int64_t n;
    if (gs_trace_line_int(ln, "checks", 0, INT64_MAX, &n) < 0)
        return -1;
    seen->lines++;
    seen->named_checks += strcmp(ln->ev, "checks") == 0;
    seen->sum += n;
    return 0;
}

/* Load a fixture as "t.jsonl" (so that two fixtures' stats can be
 * compared), counting its checks lines. */
static GsTrace *load_counting(const char *name, ChecksSeen *seen)
{
    char err[512];
    GsTrace *tr = NULL;
    GsTraceHooks hooks = { .event = count_checks, .ctx = seen };
    FILE *f = fopen(fixture(name), "rb");
    if (f) {
        if (gs_trace_read_hooked(f, "t.jsonl", &hooks, &tr, err, sizeof err) < 0)
            printf("#   %s\n", err);
        fclose(f);
    }
    TAP_OK(tr != NULL, "%s loads", name);
    return tr;
}

/* `gilscope stats --json` of a trace, as a string (free it), or NULL. */
static char *stats_json(const GsTrace *tr)
{
    GsStats st;
    if (gs_stats_compute(tr, &st) < 0)
        return NULL;
    cJSON *o = gs_stats_json(tr, &st);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    gs_stats_fini(&st);
    return text;
}

static bool same_events(const GsTrace *a, const GsTrace *b)
{
    if (a->nthreads != b->nthreads)
        return false;
    for (size_t i = 0; i < a->nthreads; i++) {
        const GsTraceThread *x = &a->threads[i], *y = &b->threads[i];
        if (x->tid != y->tid || x->nevents != y->nevents ||
            strcmp(gs_trace_str(a, x->name), gs_trace_str(b, y->name)) != 0 ||
            (x->nevents && memcmp(x->events, y->events, x->nevents * sizeof *x->events) != 0))
            return false;
    }
    return true;
}

/* One run (racy_counter.py under 2.7, --clock sim --seed 7 --max-ticks
 * 5000 --trace gil,tick,thread), recorded twice: by the recorder of format
 * 1 (before "tick" was renamed where it meant a check) and by today's.
 * The old file loads, with its old names read as the new ones, and gives
 * exactly what the new one gives. */
static void test_version1(void)
{
    ChecksSeen s1 = { 0 }, s2 = { 0 };
    GsTrace *v1 = load_counting("v1_max_ticks.jsonl", &s1);
    GsTrace *v2 = load_counting("v2_max_instructions.jsonl", &s2);
    if (!v1 || !v2) {
        gs_trace_free(v1);
        gs_trace_free(v2);
        return;
    }
    TAP_INT_EQ(v1->version, 1, "the old file is version 1");
    TAP_INT_EQ(v2->version, 2, "the new file is version 2");
    TAP_INT_EQ(v1->nwarnings, 0, "its \"ticks\" events are not an unknown kind");
    TAP_INT_EQ(v1->end.checks, 2318, "the end line's \"ticks\" are its checks");
    TAP_STR_EQ(v1->end.reason, "max_instructions", "its reason \"max_ticks\" is max_instructions");
    TAP_INT_EQ(v1->end.checks, v2->end.checks, "the same checks as the new file's");
    TAP_STR_EQ(v1->end.reason, v2->end.reason, "the same reason");
    TAP_OK(v1->end.events == v2->end.events && v1->end.switches == v2->end.switches &&
           v1->end.status == v2->end.status && v1->t_end == v2->t_end,
           "the same end line otherwise");
    TAP_INT_EQ(s1.lines, 25, "the hook sees its 25 \"ticks\" lines as checks");
    TAP_INT_EQ(s1.named_checks, s1.lines, "under the name \"checks\"");
    TAP_OK(s1.lines == s2.lines && s1.sum == s2.sum,
           "with the same counts as the new file's (%lld)", (long long)s1.sum);
    TAP_OK(same_events(v1, v2), "the same threads and events, field for field");
    TAP_INT_EQ(v1->nskipped, v2->nskipped, "the same lines counted but not kept");
    char *stats1 = stats_json(v1), *stats2 = stats_json(v2);
    TAP_OK(stats1 && stats2 && strcmp(stats1, stats2) == 0, "gilscope stats --json: the same");
    free(stats1);
    free(stats2);
    gs_trace_free(v1);
    gs_trace_free(v2);
}

/* The old names mean nothing in a version-2 trace: "ticks" is a kind this
 * gilscope does not know (skipped, with a warning), and an end line's
 * "ticks" is not its checks. */
static void test_old_names_in_version2(void)
{
    char err[512];
    GsTrace *tr = load_text(META "{\"ev\":\"ticks\",\"t\":1,\"tid\":0,\"ticks\":5}\n"
                            "{\"ev\":\"end\",\"t\":5,\"reason\":\"max_ticks\",\"ticks\":5}\n",
                            err, sizeof err);
    TAP_OK(tr != NULL, "loads (%s)", tr ? "ok" : err);
    if (!tr)
        return;
    TAP_OK(tr->nwarnings == 1 && strstr(tr->warnings[0], "\"ticks\" at line 2"),
           "\"ticks\" is an unknown kind in version 2");
    TAP_INT_EQ(tr->end.checks, -1, "the end line's \"ticks\" is not read");
    TAP_STR_EQ(tr->end.reason, "max_ticks", "its reason is taken as it is");
    gs_trace_free(tr);
}

/* ---- errors ------------------------------------------------------------------------ */

static void expect_error_bytes(const char *text, size_t len, const char *want,
                               const char *what)
{
    char err[512];
    GsTrace *tr = load_bytes(text, len, err, sizeof err);
    TAP_OK(!tr && strstr(err, want) != NULL, "%s: %s", what, tr ? "(loaded!)" : err);
    if (tr || !strstr(err, want))
        printf("#   want: ...%s...\n", want);
    gs_trace_free(tr);
}

static void expect_error(const char *text, const char *want, const char *what)
{
    expect_error_bytes(text, strlen(text), want, what);
}

static void test_not_a_trace(void)
{
    expect_error("", "t.jsonl: empty file: not a gilscope trace", "empty file");
    expect_error("\n\n", "t.jsonl: empty file: not a gilscope trace", "blank lines only");
    expect_error("print('hello')\n", "t.jsonl:1: not a gilscope trace (no meta line)",
                 "a Python file");
    expect_error("{\"ev\":\"gil_acquire\",\"t\":0,\"tid\":0,\"wait\":0}\n" END(5),
                 "t.jsonl:1: not a gilscope trace (no meta line)", "no meta line");
    expect_error("{\"ev\":\"meta\",\"t\":0,\"format\":\"chrome\",\"version\":1}\n",
                 "t.jsonl:1: not a gilscope trace (the meta line's \"format\"", "wrong format");
    expect_error("{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":3}\n",
                 "t.jsonl:1: trace format version 3; this gilscope reads version 2 and older",
                 "a newer format version");
    expect_error("{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\"}\n",
                 "t.jsonl:1: expected an integer \"version\", it is missing", "no version");
    expect_error("[\"ev\",\"meta\"]\n", "t.jsonl:1: not a gilscope trace (no meta line)",
                 "an array");
    expect_error("{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-tr",
                 "t.jsonl:1: not a gilscope trace (no meta line)",
                 "cut off inside the meta line");
}

static void test_bad_lines(void)
{
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":\"5\",\"tid\":0,\"wait\":0}\n",
                 "t.jsonl:2: expected an integer \"t\", got a string", "t a string");
    expect_error(META "{\"ev\":\"gil_acquire\",\"tid\":0,\"wait\":0}\n",
                 "t.jsonl:2: expected an integer \"t\", it is missing", "t missing");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1.5,\"tid\":0,\"wait\":0}\n",
                 "t.jsonl:2: expected an integer \"t\", got 1.5", "t fractional");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":-5,\"tid\":0,\"wait\":0}\n",
                 "t.jsonl:2: \"t\" is negative (-5)", "t negative");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1e400,\"tid\":0,\"wait\":0}\n",
                 "t.jsonl:2: \"t\" is out of range (inf)", "t = 1e400");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":9007199254740993,\"tid\":0,\"wait\":0}\n",
                 "t.jsonl:2: \"t\" is out of range", "t = 2^53 + 1 (would round)");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":0,\"wait\":-1e300}\n",
                 "t.jsonl:2: \"wait\" is out of range", "wait hugely negative");
    expect_error(META "{\"ev\":5,\"t\":1}\n", "t.jsonl:2: expected a string \"ev\", got a number",
                 "ev a number");
    expect_error(META "{\"t\":1}\n", "t.jsonl:2: expected a string \"ev\", it is missing",
                 "ev missing");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1,\"wait\":0}\n",
                 "t.jsonl:2: expected an integer \"tid\", it is missing", "tid missing");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":100000,\"wait\":0}\n",
                 "t.jsonl:2: \"tid\" is out of range (100000; expected 0..99999)", "tid too big");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":-1,\"wait\":0}\n",
                 "t.jsonl:2: \"tid\" is negative (-1)", "tid negative");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":null,\"wait\":0}\n",
                 "t.jsonl:2: expected an integer \"tid\", got null", "tid null");
    expect_error(META "{\"ev\":\"io_begin\",\"t\":1,\"kind\":\"sleep\"}\n",
                 "t.jsonl:2: expected an integer \"tid\", it is missing",
                 "tid missing on a kind that is not kept");
    expect_error(META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":0}\n",
                 "t.jsonl:2: expected an integer \"wait\", it is missing", "wait missing");
    expect_error(META "{\"ev\":\"gil_request\",\"t\":1,\"tid\":0,\"holder\":[]}\n",
                 "t.jsonl:2: expected an integer \"holder\", got an array", "holder an array");
    expect_error(META "{\"ev\":\"gil_release\",\"t\":1,\"tid\":0,\"why\":\"bored\",\"held\":1}\n",
                 "t.jsonl:2: unknown \"why\": \"bored\"", "unknown why");
    expect_error(META "{\"ev\":\"gil_release\",\"t\":1,\"tid\":0,\"why\":\"io\"}\n",
                 "t.jsonl:2: expected an integer \"held\", it is missing", "held missing");
    expect_error(META "{\"ev\":\"thread_start\",\"t\":1,\"tid\":0,\"name\":7}\n",
                 "t.jsonl:2: expected a string \"name\", got a number", "name a number");
    expect_error(META "{\"ev\":\"gc_start\",\"t\":1,\"tid\":0,\"gen\":3}\n",
                 "t.jsonl:2: \"gen\" is out of range (3; expected 0..2)", "gen 3");
    expect_error(META "{\"ev\":\"ref\",\"t\":1,\"tid\":0,\"obj\":1,\"type\":\"list\","
                 "\"refcnt\":-1,\"delta\":-1}\n", "t.jsonl:2: \"refcnt\" is negative (-1)",
                 "refcnt negative");
    expect_error(META "{\"ev\":\"dealloc\",\"t\":1,\"tid\":0,\"obj\":1}\n",
                 "t.jsonl:2: expected a string \"type\", it is missing", "type missing");
    expect_error(META "{\"ev\":\"end\",\"t\":1,\"status\":\"ok\"}\n",
                 "t.jsonl:2: expected an integer \"status\", got a string", "end status a string");
}

static void test_bad_structure(void)
{
    expect_error(META "{\"ev\":\"print\",\"t\":50,\"tid\":0,\"text\":\"a\"}\n"
                 "{\"ev\":\"print\",\"t\":40,\"tid\":1,\"text\":\"b\"}\n",
                 "t.jsonl:3: lines out of order: t goes back (from 50 to 40)", "out of order");
    expect_error(META META, "t.jsonl:2: a second meta line", "two meta lines");
    expect_error(META END(5) "{\"ev\":\"print\",\"t\":6,\"tid\":0,\"text\":\"a\"}\n",
                 "t.jsonl:3: a line after the end line", "a line after end");
    expect_error(META "{\"ev\":\"end\",\"t\":5} {\"ev\":\"x\"}\n",
                 "t.jsonl:2: not JSON (text after the object)", "two objects on a line");
    expect_error(META "[1,2,3]\n", "t.jsonl:2: not a JSON object", "an array line");
    expect_error(META "\"meta\"\n", "t.jsonl:2: not a JSON object", "a string line");
    expect_error(META "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"a}\n" END(5),
                 "t.jsonl:2: not JSON", "broken JSON with a newline is an error, not a cut");
    expect_error(META "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"\xff\"}\n",
                 "t.jsonl:2: not JSON (not valid UTF-8)", "invalid UTF-8");
    expect_error(META "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"\xed\xa0\x80\"}\n",
                 "t.jsonl:2: not JSON (not valid UTF-8)", "an encoded surrogate");
    expect_error(META "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"\xc0\xaf\"}\n",
                 "t.jsonl:2: not JSON (not valid UTF-8)", "an overlong form");
    static const char nul[] = META "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"a\0b\"}\n";
    expect_error_bytes(nul, sizeof nul - 1, "t.jsonl:2: not JSON (a NUL byte: binary data?)",
                       "a NUL byte");
}

/* ---- hostile input ------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;   /* xorshift64: reproducible, good enough here */
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static void test_binary_garbage(void)
{
    char buf[8192];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)rnd();
    expect_error_bytes(buf, sizeof buf, "not a gilscope trace", "8 KiB of random bytes");
    /* The same garbage after a good meta line. */
    size_t m = strlen(META);
    memcpy(buf, META, m);
    buf[m + 10] = '\n';
    expect_error_bytes(buf, sizeof buf, "t.jsonl:2: not JSON", "garbage after the meta line");
}

static void test_deep_nesting(void)
{
    size_t depth = 200000, m = strlen(META);
    char *buf = malloc(m + 2 * depth + 2);
    if (!buf) {
        TAP_OK(0, "malloc");
        return;
    }
    memcpy(buf, META, m);
    memset(buf + m, '[', depth);
    memset(buf + m + depth, ']', depth);
    buf[m + 2 * depth] = '\n';
    expect_error_bytes(buf, m + 2 * depth + 1, "t.jsonl:2: not JSON", "200000 nested arrays");
    memset(buf, '{', depth);
    buf[depth] = '\n';
    expect_error_bytes(buf, depth + 1, "t.jsonl:1: not a gilscope trace",
                       "200000 open braces as the first line");
    free(buf);
}

static void test_huge_lines(void)
{
    size_t m = strlen(META), big = GS_TRACE_MAX_LINE + 100;
    char *buf = malloc(m + big + 64);
    if (!buf) {
        TAP_OK(0, "malloc");
        return;
    }
    memcpy(buf, META, m);
    int n = sprintf(buf + m, "{\"ev\":\"print\",\"t\":1,\"tid\":0,\"text\":\"");
    memset(buf + m + n, 'a', big);
    memcpy(buf + m + n + big, "\"}\n", 3);
    size_t len = m + (size_t)n + big + 3;
    expect_error_bytes(buf, len, "t.jsonl:2: line longer than 1048576 bytes", "a 1 MiB line");
    expect_error_bytes(buf, len - 1, "t.jsonl:2: line longer than 1048576 bytes",
                       "a 1 MiB last line without a newline is not just cut off");
    /* Just under the limit: a long print is fine. */
    size_t ok_len = GS_TRACE_MAX_LINE - (size_t)n - 2;
    memcpy(buf + m + n + ok_len, "\"}\n", 3);
    char err[512];
    GsTrace *tr = load_bytes(buf, m + (size_t)n + ok_len + 3, err, sizeof err);
    TAP_OK(tr != NULL, "a line of exactly 1 MiB loads (%s)", tr ? "ok" : err);
    gs_trace_free(tr);
    free(buf);
}

/* Every prefix of a good trace that holds the whole meta line must load: a
 * run can be killed at any byte.  And its numbers must add up. */
static void test_every_prefix(void)
{
    size_t len;
    char *text = slurp(fixture("tick_three_threads.jsonl"), &len);
    if (!text) {
        TAP_OK(0, "read tick_three_threads.jsonl");
        return;
    }
    size_t meta_len = (size_t)(strchr(text, '\n') - text);
    int bad = 0, bad_sums = 0, refused = 0;
    for (size_t k = 0; k <= len; k++) {
        char err[512];
        GsTrace *tr = load_bytes(text, k, err, sizeof err);
        if (k < meta_len) {
            refused += tr == NULL;
        } else if (!tr) {
            if (bad++ == 0)
                printf("#   prefix of %zu bytes: %s\n", k, err);
        } else {
            GsStats st;
            if (gs_stats_compute(tr, &st) == 0) {
                for (size_t i = 0; i < st.nthreads; i++) {
                    const GsThreadStats *ts = &st.threads[i];
                    int64_t sum = ts->state_ns[0] + ts->state_ns[1] + ts->state_ns[2] +
                                  ts->state_ns[3];
                    bad_sums += sum != ts->lifetime_ns;
                }
                gs_stats_fini(&st);
            }
        }
        gs_trace_free(tr);
    }
    TAP_INT_EQ(refused, meta_len, "every prefix shorter than the meta line is refused");
    TAP_INT_EQ(bad, 0, "every prefix from the meta line on loads (%zu prefixes)",
               len - meta_len + 1);
    TAP_INT_EQ(bad_sums, 0, "and in each, every thread's states add up to its lifetime");
    free(text);
}

/* Random damage to a good trace: loaded or refused, never a crash. */
static void test_random_damage(void)
{
    size_t len;
    char *text = slurp(fixture("tick_three_threads.jsonl"), &len);
    if (!text) {
        TAP_OK(0, "read tick_three_threads.jsonl");
        return;
    }
    char *buf = malloc(len + 64);
    if (!buf) {
        TAP_OK(0, "malloc");
        free(text);
        return;
    }
    int loaded = 0, refused = 0, unexplained = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = len;
        memcpy(buf, text, len);
        for (int k = 1 + (int)(rnd() % 4); k > 0 && n > 0; k--) {
            size_t at = rnd() % n;
            switch (rnd() % 4) {
            case 0: buf[at] = (char)rnd(); break;                 /* flip a byte */
            case 1: buf[at] = "{}[]\",:\n0-e9\\"[rnd() % 14]; break;   /* a JSON byte */
            case 2: memmove(buf + at, buf + at + 1, n - at - 1), n--; break;  /* delete */
            default: n = at; break;                               /* cut */
            }
        }
        char err[512];
        GsTrace *tr = load_bytes(buf, n, err, sizeof err);
        if (tr)
            loaded++;
        else if (strncmp(err, "t.jsonl", 7) == 0)
            refused++;
        else
            unexplained++;
        gs_trace_free(tr);
    }
    TAP_OK(loaded > 0 && refused > 0, "3000 damaged traces: %d loaded, %d refused", loaded,
           refused);
    TAP_INT_EQ(unexplained, 0, "every refusal names the file");
    free(buf);
    free(text);
}

int main(int argc, char **argv)
{
    set_traces_dir(argc, argv);
    test_tick_fixture();
    test_interval_fixture();
    test_cut_noend();
    test_cut_midline();
    test_tolerated();
    test_not_a_trace();
    test_bad_lines();
    test_bad_structure();
    test_binary_garbage();
    test_deep_nesting();
    test_huge_lines();
    test_every_prefix();
    test_random_damage();
    test_version1();
    test_old_names_in_version2();
    return tap_done();
}
