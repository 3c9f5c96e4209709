/*
 * test_fastpath.c -- the trace loader's fast path (tracer/trace_read.c)
 * agrees with cJSON on every line.
 *
 * The loader splits the compact lines the recorder writes without cJSON,
 * and hands anything else to cJSON.  Both must come to the same verdict:
 * the same error message, or the same trace.  Every fixture, and
 * thousands of damaged copies, are loaded both ways and compared.
 */
#include <stdint.h>

#include "stats.h"
#include "viewer_test.h"

typedef struct {
    size_t lines;
    uint64_t sum;       /* a checksum over every hooked line's fields */
} Seen;

static int on_event(void *ctx, const GsTraceLine *ln)
{
    Seen *s = ctx;
    s->lines++;
    s->sum = s->sum * 31 + (uint64_t)ln->t + (uint64_t)ln->tid * 7 + ln->line + ln->offset;
    for (const char *p = ln->ev; *p; p++)
        s->sum = s->sum * 31 + (unsigned char)*p;
    if (ln->event)
        s->sum = s->sum * 31 + ln->event->kind + (uint64_t)ln->event->holder;
    return 0;
}

/* Load text one way; a description of the outcome into out. */
static void outcome(const char *text, size_t len, bool slow, char *out, size_t outlen)
{
    FILE *f = tmpfile();
    if (!f) {
        snprintf(out, outlen, "tmpfile failed");
        return;
    }
    fwrite(text, 1, len, f);
    rewind(f);
    Seen seen = { 0, 0 };
    GsTraceHooks hooks = { .event = on_event, .ctx = &seen, .no_fast_path = slow };
    GsTrace *tr = NULL;
    char err[512] = "";
    if (gs_trace_read_hooked(f, "t.jsonl", &hooks, &tr, err, sizeof err) < 0) {
        snprintf(out, outlen, "error: %s", err);
    } else {
        GsStats st;
        uint64_t sum = seen.sum;
        if (gs_stats_compute(tr, &st) == 0) {
            sum = sum * 31 + (uint64_t)st.total.lifetime_ns + (uint64_t)st.switches +
                  (uint64_t)st.total.wait_sum_ns + (uint64_t)st.total.state_ns[1];
            gs_stats_fini(&st);
        }
        for (size_t i = 0; i < tr->nthreads; i++)
            for (size_t j = 0; j < tr->threads[i].nevents; j++) {
                const GsTraceEvent *e = &tr->threads[i].events[j];
                sum = sum * 31 + (uint64_t)e->t + e->kind + e->why + (uint64_t)e->ref.obj +
                      (uint64_t)e->ref.refcnt;
            }
        snprintf(out, outlen, "ok: %zu lines, %zu threads, %zu warnings, sum %llx", seen.lines,
                 tr->nthreads, tr->nwarnings, (unsigned long long)sum);
        gs_trace_free(tr);
    }
    fclose(f);
}

static bool agree(const char *text, size_t len, char *fast, char *slow, size_t n)
{
    outcome(text, len, false, fast, n);
    outcome(text, len, true, slow, n);
    return strcmp(fast, slow) == 0;
}

static void test_fixtures(void)
{
    const char *names[] = { "states.jsonl", "countdown27.jsonl", "io312.jsonl", "refcycle.jsonl",
                            "locked27.jsonl" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        char *text = read_all(vfixture(names[i]), &len), a[600], b[600];
        CHECK(text && agree(text, len, a, b, sizeof a) && strncmp(a, "ok", 2) == 0,
               "%s: the same both ways", names[i]);
        free(text);
    }
}

static void test_lines(void)
{
    /* Lines at the edges of the fast path's subset. */
    static const char *const lines[] = {
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0}  \r",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0}x",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0,}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":-0}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":00012}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":1.0}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":1e3}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":999999999999999}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":9999999999999999}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":-}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":-5}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"tid\":1,\"wait\":0}",
        "{\"ev\" : \"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0}",
        "{\"ev\":\"gil_\\u0061cquire\",\"t\":5,\"tid\":0,\"wait\":0}",
        "{\"ev\":\"print\",\"t\":5,\"tid\":0,\"text\":\"tab\there\"}",
        "{\"ev\":\"print\",\"t\":5,\"tid\":0,\"text\":\"caf\xc3\xa9 \\\"quoted\\\"\"}",
        "{\"ev\":\"print\",\"t\":5,\"tid\":0,\"text\":\"0123456789abcdef0123456789\"}",
        "{\"ev\":\"print\",\"t\":5,\"tid\":0,\"text\":\"0123456789abcdef01234567\\\\\"}",
        "{\"ev\":\"print\",\"t\":5,\"tid\":0,\"text\":true}",
        "{\"ev\":\"print\",\"t\":5,\"tid\":0,\"text\":null,\"x\":[1,{\"a\":2}]}",
        "{\"ev\":\"gil_acquire\",\"t\":5,\"tid\":0,\"wait\":0,\"a\":1,\"b\":2,\"c\":3,\"d\":4,"
        "\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13}",
        "{}", "{\"ev\"}", "{\"ev\":}", "{\"ev\":\"x\"", "{\"\":1}", "\xef\xbb\xbf{\"ev\":\"x\",\"t\":1}",
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char text[1024], a[600], b[600];
        int n = snprintf(text, sizeof text, "%s%s\n", META, lines[i]);
        if (!agree(text, (size_t)n, a, b, sizeof a)) {
            printf("#   %s\n#   fast: %s\n#   cJSON: %s\n", lines[i], a, b);
            bad++;
        }
    }
    TAP_INT_EQ(bad, 0, "%zu edge lines: the same both ways", sizeof lines / sizeof lines[0]);
}

static void test_damage(void)
{
    size_t len;
    char *text = read_all(vfixture("states.jsonl"), &len);
    char *buf = text ? malloc(len + 1) : NULL;
    uint64_t s = 0x9e3779b97f4a7c15u;
    int bad = 0, refused = 0;
    for (int round = 0; buf && round < 3000; round++) {
        size_t n = len;
        memcpy(buf, text, len);
        for (int k = 1 + round % 3; k > 0; k--) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            size_t at = (size_t)(s >> 24) % n;
            switch (s % 4) {
            case 0: buf[at] = (char)(s >> 8); break;
            case 1: buf[at] = "{}[]\",:\n0-9e.\\ tu"[(s >> 8) % 18]; break;
            case 2: memmove(buf + at, buf + at + 1, n - at - 1), n--; break;
            default: n = at + 1; break;
            }
        }
        char a[600], b[600];
        if (!agree(buf, n, a, b, sizeof a) && bad++ < 3)
            printf("#   round %d\n#   fast: %s\n#   cJSON: %s\n", round, a, b);
        refused += strncmp(a, "error", 5) == 0;
    }
    CHECK(bad == 0 && refused > 0, "3000 damaged traces: the same both ways (%d refused)",
           refused);
    free(buf);
    free(text);
}

int main(int argc, char **argv)
{
    set_dirs(argc, argv);
    test_fixtures();
    test_lines();
    test_damage();
    return tap_done();
}
