/*
 * test_trace_export.c -- unit tests for tracer/export.c: export the fixture
 * traces to the Chrome / Perfetto format, parse the result back with cJSON,
 * and check the slices, arrows, instants and counters against the timings
 * of tests/traces/tick_three_threads.jsonl (worked out in
 * test_trace_stats.c).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export.h"
#include "tap.h"
#include "trace_read.h"
#include "trace_util.h"

/* Export tr and return the text (free it), or NULL. */
static char *export_text_opt(const GsTrace *tr, const GsExportOptions *opt)
{
    FILE *f = tmpfile();
    char err[256];
    int rc = gs_export_chrome(tr, opt, f, err, sizeof err);
    TAP_OK(rc == 0, "export succeeds (%s)", rc ? err : "ok");
    size_t len = (size_t)ftell(f);
    char *text = calloc(1, len + 1);
    rewind(f);
    if (text && fread(text, 1, len, f) != len) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

static char *export_text(const GsTrace *tr)
{
    return export_text_opt(tr, NULL);
}

/* Load text as `gilscope export` loads a trace: lock, io, checks and op
 * events kept too.  NULL (after a failed test) on failure. */
static GsTrace *load_all(const char *text)
{
    FILE *f = tmpfile();
    GsTraceHooks hooks = { .keep_all = true };
    GsTrace *tr = NULL;
    char err[512];
    fputs(text, f);
    rewind(f);
    if (gs_trace_read_hooked(f, "t.jsonl", &hooks, &tr, err, sizeof err) < 0)
        TAP_OK(0, "load: %s", err);
    fclose(f);
    return tr;
}

/* Export text (loaded with load_all) and parse the result. */
static cJSON *export_doc(const char *trace_text, const GsExportOptions *opt)
{
    GsTrace *tr = load_all(trace_text);
    char *text = tr ? export_text_opt(tr, opt) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    gs_trace_free(tr);
    return doc;
}

static cJSON *export_fixture(const char *name, char **text_out)
{
    char err[512];
    GsTrace *tr;
    if (gs_trace_load(fixture(name), &tr, err, sizeof err) < 0) {
        TAP_OK(0, "load %s: %s", name, err);
        return NULL;
    }
    char *text = export_text(tr);
    gs_trace_free(tr);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    TAP_OK(cJSON_IsObject(doc), "%s: the export is one JSON object", name);
    if (text_out)
        *text_out = text;
    else
        free(text);
    return doc;
}

/* ---- looking things up in the parsed events ------------------------------------------ */

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* ts/dur are microseconds with three decimals: compare in whole ns. */
static long long ns(const cJSON *o, const char *key)
{
    double us = num(o, key);
    return (long long)(us * 1000 + (us >= 0 ? 0.5 : -0.5));
}

static const cJSON *events_of(const cJSON *doc)
{
    return cJSON_GetObjectItemCaseSensitive(doc, "traceEvents");
}

/* The event with this phase, name and tid starting at ts_ns (tid -1: any). */
static const cJSON *find(const cJSON *doc, const char *ph, const char *name, int tid,
                         long long ts_ns)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, events_of(doc)) {
        if (!strcmp(str(e, "ph"), ph) && !strcmp(str(e, "name"), name) &&
            (tid < 0 || num(e, "tid") == tid) && (ts_ns < 0 || ns(e, "ts") == ts_ns))
            return e;
    }
    return NULL;
}

static int count(const cJSON *doc, const char *ph, const char *name)
{
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events_of(doc))
        n += !strcmp(str(e, "ph"), ph) && (!name || !strcmp(str(e, "name"), name));
    return n;
}

static void check_slice(const cJSON *doc, const char *name, int tid, long long ts,
                        long long dur)
{
    const cJSON *e = find(doc, "X", name, tid, ts);
    TAP_OK(e && ns(e, "dur") == dur, "X \"%s\" on tid %d at %lld ns lasting %lld ns", name,
           tid, ts, dur);
    if (e && ns(e, "dur") != dur)
        printf("#   dur: %lld\n", ns(e, "dur"));
}

/* ---- the tick fixture -------------------------------------------------------------------- */

static void test_top_level(const cJSON *doc)
{
    TAP_OK(cJSON_IsArray(events_of(doc)), "traceEvents is an array");
    TAP_STR_EQ(str(doc, "displayTimeUnit"), "ms", "displayTimeUnit");
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(doc, "otherData");
    TAP_STR_EQ(str(other, "script"), "scenarios/two_workers.py", "otherData has the meta fields");
    TAP_STR_EQ(str(other, "policy"), "tick", "otherData.policy");
    TAP_OK(!cJSON_GetObjectItemCaseSensitive(other, "ev") &&
           !cJSON_GetObjectItemCaseSensitive(other, "t"), "otherData leaves out ev and t");
    TAP_OK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(other, "trace_complete")),
           "otherData.trace_complete");
    const cJSON *e;
    int bad_pid = 0;
    cJSON_ArrayForEach(e, events_of(doc))
        bad_pid += num(e, "pid") != 1;
    TAP_INT_EQ(bad_pid, 0, "every event is in pid 1");
}

static void test_metadata(const cJSON *doc)
{
    const cJSON *p = find(doc, "M", "process_name", -1, -1);
    TAP_STR_EQ(p ? str(cJSON_GetObjectItemCaseSensitive(p, "args"), "name") : NULL,
               "scenarios/two_workers.py", "process_name is the script");
    static const char *const names[] = { "MainThread", "Thread-1", "Thread-2" };
    for (int tid = 0; tid < 3; tid++) {
        const cJSON *m = find(doc, "M", "thread_name", tid, -1);
        TAP_STR_EQ(m ? str(cJSON_GetObjectItemCaseSensitive(m, "args"), "name") : NULL,
                   names[tid], "thread_name of tid %d", tid);
    }
}

/* The spans of test_trace_stats.c's worked example, one by one. */
static void test_slices(const cJSON *doc)
{
    check_slice(doc, "Has GIL", 0, 0, 1000);
    check_slice(doc, "Blocked (join)", 0, 1000, 7000);
    check_slice(doc, "Has GIL", 0, 8000, 1500);
    check_slice(doc, "Waiting for GIL", 1, 100, 900);
    check_slice(doc, "Has GIL", 1, 1000, 2000);
    check_slice(doc, "Waiting for GIL", 1, 3000, 1000);
    check_slice(doc, "Has GIL", 1, 4000, 3000);
    check_slice(doc, "Waiting for GIL", 2, 200, 2800);
    check_slice(doc, "Has GIL", 2, 3000, 1000);
    check_slice(doc, "Blocked (sleep)", 2, 4000, 2000);
    check_slice(doc, "Waiting for GIL", 2, 6000, 1000);
    check_slice(doc, "Has GIL", 2, 7000, 1000);
    check_slice(doc, "GC Collecting", 1, 4800, 200);
    TAP_INT_EQ(count(doc, "X", NULL), 13 + 6, "13 slices on the threads, 6 on the holder track");
    const cJSON *gc = find(doc, "X", "GC Collecting", 1, -1);
    TAP_INT_EQ(gc ? num(cJSON_GetObjectItemCaseSensitive(gc, "args"), "collected") : -1, 3,
               "GC Collecting args.collected");
}

static void test_instants(const cJSON *doc)
{
    const cJSON *retry = find(doc, "i", "GIL retry", 2, 1100);
    TAP_OK(retry && !strcmp(str(retry, "s"), "t") &&
           num(cJSON_GetObjectItemCaseSensitive(retry, "args"), "holder") == 1,
           "GIL retry: thread-scoped instant with args.holder");
    const cJSON *pr = find(doc, "i", "print", 1, 4500);
    TAP_STR_EQ(pr ? str(cJSON_GetObjectItemCaseSensitive(pr, "args"), "text") : NULL,
               "count = 3 \"ok\"\n\ttab", "print instant with args.text, escapes intact");
}

/* The five handoffs: 0->1 at 1000, 1->2 at 3000, 2->1 at 4000 (written
 * acquire-first in the file, as the recorder orders ties), 1->2 at 7000,
 * 2->0 at 8000; `held` is when the releaser's "Has GIL" slice began. */
static void test_flows(const cJSON *doc)
{
    static const struct { int from, to; long long t, held; } want[] = {
        { 0, 1, 1000, 0 }, { 1, 2, 3000, 1000 }, { 2, 1, 4000, 3000 }, { 1, 2, 7000, 4000 },
        { 2, 0, 8000, 7000 },
    };
    TAP_INT_EQ(count(doc, "s", "GIL handoff"), 5, "five flow starts");
    TAP_INT_EQ(count(doc, "f", "GIL handoff"), 5, "five flow ends");
    for (size_t i = 0; i < 5; i++) {
        const cJSON *f = find(doc, "f", "GIL handoff", want[i].to, want[i].t);
        const cJSON *s = NULL, *e;
        cJSON_ArrayForEach(e, events_of(doc))
            if (f && !strcmp(str(e, "ph"), "s") && num(e, "id") == num(f, "id"))
                s = e;
        TAP_OK(f && !strcmp(str(f, "bp"), "e"), "handoff %d->%d: f at the acquire, bp e",
               want[i].from, want[i].to);
        /* The start sits where the releaser's "Has GIL" slice starts: the
         * DevTools engine binds a flow event only to a slice starting at
         * its very ts. */
        TAP_OK(s && num(s, "tid") == want[i].from && ns(s, "ts") == want[i].held &&
               find(doc, "X", "Has GIL", want[i].from, want[i].held),
               "handoff %d->%d: s with the same id on the releasing thread", want[i].from,
               want[i].to);
    }
}

static void test_counters(const cJSON *doc)
{
    static const long long want[][2] = { { 4600, 2 }, { 4700, 1 }, { 4900, 0 } };
    TAP_INT_EQ(count(doc, "C", "refcount list #42"), 3, "three counter values for list #42");
    for (int i = 0; i < 3; i++) {
        const cJSON *c = find(doc, "C", "refcount list #42", -1, want[i][0]);
        TAP_INT_EQ(c ? num(cJSON_GetObjectItemCaseSensitive(c, "args"), "refcnt") : -1,
                   want[i][1], "refcount at %lld ns", want[i][0]);
    }
}

/* Per thread, the GIL slices tile its lifetime (minus the time after exit). */
static void test_tiling(const cJSON *doc)
{
    static const long long life[] = { 9500, 6900, 7800 };
    for (int tid = 0; tid < 3; tid++) {
        long long sum = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, events_of(doc))
            if (!strcmp(str(e, "ph"), "X") && !strcmp(str(e, "cat"), "gil") &&
                num(e, "tid") == tid)
                sum += ns(e, "dur");
        TAP_INT_EQ(sum, life[tid], "tid %d: the GIL slices add up to its lifetime", tid);
    }
}

/* The GIL holder track: one slice per stretch a thread held the GIL, on
 * its own tid, named as stats names threads. */
static void test_holder_track(const cJSON *doc)
{
    const cJSON *m = find(doc, "M", "thread_name", GS_EXPORT_HOLDER_TID, -1);
    TAP_STR_EQ(m ? str(cJSON_GetObjectItemCaseSensitive(m, "args"), "name") : NULL,
               "GIL holder", "the holder track is named");
    check_slice(doc, "T0 MainThread", GS_EXPORT_HOLDER_TID, 0, 1000);
    check_slice(doc, "T1 Thread-1", GS_EXPORT_HOLDER_TID, 1000, 2000);
    check_slice(doc, "T2 Thread-2", GS_EXPORT_HOLDER_TID, 3000, 1000);
    check_slice(doc, "T0 MainThread", GS_EXPORT_HOLDER_TID, 8000, 1500);
}

static void test_tick_export(void)
{
    cJSON *doc = export_fixture("tick_three_threads.jsonl", NULL);
    if (!doc)
        return;
    test_top_level(doc);
    test_metadata(doc);
    test_slices(doc);
    test_instants(doc);
    test_flows(doc);
    test_counters(doc);
    test_tiling(doc);
    test_holder_track(doc);
    cJSON_Delete(doc);
}

/* ---- other traces ---------------------------------------------------------------------- */

static void test_interval_export(void)
{
    cJSON *doc = export_fixture("interval_drop.jsonl", NULL);
    if (!doc)
        return;
    TAP_INT_EQ(count(doc, "i", "GIL drop request"), 3, "interval: three drop request instants");
    const cJSON *d = find(doc, "i", "GIL drop request", 0, 11500);
    TAP_OK(d && num(cJSON_GetObjectItemCaseSensitive(d, "args"), "holder") == 1,
           "interval: tid 0 asks holder 1 at 11500");
    TAP_INT_EQ(count(doc, "s", NULL), 4, "interval: four handoffs");
    cJSON_Delete(doc);
}

static void test_cut_export(void)
{
    char *text = NULL;
    cJSON *doc = export_fixture("cut_midline.jsonl", &text);
    TAP_OK(text && strstr(text, "\n],\n\"displayTimeUnit\"") && text[strlen(text) - 2] == '}',
           "cut: the closing brackets are written");
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(doc, "otherData");
    TAP_OK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(other, "trace_complete")),
           "cut: otherData.trace_complete is false");
    const cJSON *m = find(doc, "M", "thread_name", 2, -1);
    TAP_STR_EQ(m ? str(cJSON_GetObjectItemCaseSensitive(m, "args"), "name") : NULL, "tid 2",
               "cut: an unnamed thread is called by its tid");
    check_slice(doc, "Waiting for GIL", 2, 200, 2800);
    free(text);
    cJSON_Delete(doc);
}

/* Times near 2^53 ns: written from int64 on the 1/1024 µs grid, not
 * through a double (9007199254740991 ns is 991 ns, 1014.8 grid units, past
 * a whole microsecond). */
static void test_big_times(void)
{
    char err[512];
    GsTrace *tr = load_text(META
        "{\"ev\":\"gil_acquire\",\"t\":9007199254740000,\"tid\":0,\"wait\":0}\n"
        "{\"ev\":\"gil_release\",\"t\":9007199254740991,\"tid\":0,\"why\":\"sleep\","
        "\"held\":991}\n", err, sizeof err);
    TAP_OK(tr != NULL, "big times load (%s)", tr ? "ok" : err);
    if (!tr)
        return;
    char *text = export_text(tr);
    TAP_OK(text && strstr(text, "\"ts\":9007199254740,\"dur\":0.9912109375}"),
           "ts and dur keep every nanosecond, to the grid's 0.977 ns");
    free(text);
    gs_trace_free(tr);
}

/* A lock wait and a sleep carry what they wait for; a Has GIL slice its
 * checks; a collection of no time is an instant; lock events, thread
 * starts and ops are instants. */
static void test_event_details(void)
{
    cJSON *doc = export_doc(META
        "{\"ev\":\"gil_acquire\",\"t\":0,\"tid\":0,\"wait\":0}\n"
        "{\"ev\":\"thread_start\",\"t\":10,\"tid\":0,\"name\":\"\"}\n"
        "{\"ev\":\"op\",\"t\":20,\"tid\":0,\"op\":\"LOAD_FAST\",\"line\":3,\"offset\":4,"
        "\"code\":\"f\"}\n"
        "{\"ev\":\"gc_start\",\"t\":30,\"tid\":0,\"gen\":0}\n"
        "{\"ev\":\"gc_end\",\"t\":30,\"tid\":0,\"gen\":0,\"collected\":2}\n"
        "{\"ev\":\"lock_request\",\"t\":100,\"tid\":0,\"lock\":77}\n"
        "{\"ev\":\"checks\",\"t\":100,\"tid\":0,\"checks\":12}\n"
        "{\"ev\":\"gil_release\",\"t\":100,\"tid\":0,\"why\":\"lock\",\"held\":100}\n"
        "{\"ev\":\"lock_acquire\",\"t\":300,\"tid\":0,\"lock\":77,\"wait\":200}\n"
        "{\"ev\":\"gil_acquire\",\"t\":300,\"tid\":0,\"wait\":0}\n"
        "{\"ev\":\"io_begin\",\"t\":400,\"tid\":0,\"kind\":\"read\"}\n"
        "{\"ev\":\"gil_release\",\"t\":400,\"tid\":0,\"why\":\"io\",\"held\":100}\n"
        "{\"ev\":\"io_end\",\"t\":900,\"tid\":0,\"kind\":\"read\",\"dur\":500}\n"
        "{\"ev\":\"gil_acquire\",\"t\":900,\"tid\":0,\"wait\":0}\n"
        "{\"ev\":\"end\",\"t\":1000,\"status\":0,\"reason\":\"exit\"}\n", NULL);
    const cJSON *has = find(doc, "X", "Has GIL", 0, 0);
    TAP_INT_EQ(has ? num(cJSON_GetObjectItemCaseSensitive(has, "args"), "checks") : -1, 12,
               "Has GIL carries its checks");
    const cJSON *lock = find(doc, "X", "Blocked (lock)", 0, 100);
    TAP_INT_EQ(lock ? num(cJSON_GetObjectItemCaseSensitive(lock, "args"), "lock") : -1, 77,
               "Blocked (lock) names the lock");
    const cJSON *io = find(doc, "X", "Blocked (io)", 0, 400);
    TAP_STR_EQ(io ? str(cJSON_GetObjectItemCaseSensitive(io, "args"), "kind") : NULL, "read",
               "Blocked (io) names the kind of I/O");
    TAP_OK(!find(doc, "X", "GC Collecting", 0, -1) && find(doc, "i", "GC Collecting", 0, 30),
           "a collection of no time is an instant, not an empty slice");
    TAP_OK(find(doc, "i", "lock request", 0, 100) && find(doc, "i", "lock acquire", 0, 300),
           "lock events are instants");
    const cJSON *op = find(doc, "i", "LOAD_FAST", 0, 20);
    TAP_STR_EQ(op ? str(cJSON_GetObjectItemCaseSensitive(op, "args"), "code") : NULL, "f",
               "an op is an instant named by its opcode");
    const cJSON *m = find(doc, "M", "thread_name", 0, -1);
    TAP_STR_EQ(m ? str(cJSON_GetObjectItemCaseSensitive(m, "args"), "name") : NULL, "tid 0",
               "a thread named \"\" is called by its tid");
    TAP_OK(find(doc, "i", "thread start", 0, 10) != NULL, "thread start is an instant");
    cJSON_Delete(doc);
}

/* A ref event for object N at time T. */
#define REF(t, obj, cnt) "{\"ev\":\"ref\",\"t\":" #t ",\"tid\":0,\"obj\":" #obj \
    ",\"type\":\"list\",\"refcnt\":" #cnt ",\"delta\":1}\n"

static const char objects_trace[] = META
    "{\"ev\":\"gil_acquire\",\"t\":0,\"tid\":0,\"wait\":0}\n"
    REF(1, 5, 1) REF(2, 5, 2) REF(3, 6, 1) REF(4, 6, 2) REF(5, 6, 3) REF(6, 7, 1)
    REF(7, 8, 1) REF(8, 8, 2) REF(9, 9, 1) REF(10, 9, 2)
    "{\"ev\":\"end\",\"t\":20,\"status\":0,\"reason\":\"exit\"}\n";

static bool has_counter(const cJSON *doc, const char *name)
{
    return find(doc, "C", name, -1, -1) != NULL;
}

/* Counters only for the objects asked for, or the three busiest. */
static void test_objects(void)
{
    cJSON *doc = export_doc(objects_trace, NULL);
    TAP_OK(has_counter(doc, "refcount list #6") && has_counter(doc, "refcount list #5") &&
           has_counter(doc, "refcount list #8"), "default: the three busiest (6, then 5 and 8)");
    TAP_OK(!has_counter(doc, "refcount list #9") && !has_counter(doc, "refcount list #7"),
           "... and no other (9 is as busy as 8, but has the higher id)");
    cJSON_Delete(doc);
    int64_t want[] = { 7, 9 };
    GsExportOptions opt = { want, 2 };
    doc = export_doc(objects_trace, &opt);
    TAP_OK(has_counter(doc, "refcount list #7") && has_counter(doc, "refcount list #9") &&
           !has_counter(doc, "refcount list #6"), "--objects 7,9: those two only");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "otherData"), "refcount_objects");
    TAP_INT_EQ(cJSON_GetArraySize(ids), 2, "otherData.refcount_objects lists them");
    cJSON_Delete(doc);
}

/* A trace cut off at an acquisition: that thread has no slice there, so
 * no arrow points at it. */
static void test_cut_at_acquire(void)
{
    cJSON *doc = export_doc(META
        "{\"ev\":\"gil_acquire\",\"t\":0,\"tid\":0,\"wait\":0}\n"
        "{\"ev\":\"gil_request\",\"t\":10,\"tid\":1,\"holder\":0}\n"
        "{\"ev\":\"gil_release\",\"t\":500,\"tid\":0,\"why\":\"check\",\"held\":500}\n"
        "{\"ev\":\"gil_acquire\",\"t\":600,\"tid\":1,\"wait\":590}\n", NULL);
    TAP_INT_EQ(count(doc, "s", NULL) + count(doc, "f", NULL), 0,
               "cut at the acquisition: no arrow to a slice that is not there");
    TAP_OK(!find(doc, "X", "Has GIL", 1, -1), "... and no empty Has GIL slice");
    cJSON_Delete(doc);
}

int main(int argc, char **argv)
{
    set_traces_dir(argc, argv);
    test_tick_export();
    test_interval_export();
    test_cut_export();
    test_big_times();
    test_event_details();
    test_objects();
    test_cut_at_acquire();
    return tap_done();
}
