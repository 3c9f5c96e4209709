/*
 * recorder.c -- per-thread event buffers and the JSON Lines writer.
 *
 * THE RECORD PATH.  gs_trace_emit (vm/interp.c) stamps the time and calls
 * record(), which appends a fixed-size record to the calling thread's own
 * buffer: no lock, no GIL.  A thread's buffer is created the first time it
 * records (the only moment a mutex is taken: to add it to the recorder's
 * list).  Strings an event carries (a print's text, a thread's name) are
 * copied, since the guest frees them; names that repeat per instruction
 * (opcode, code object, type) go through a small per-thread cache.
 *
 * THE WRITE PATH.  At the end, every buffer's records are sorted by time
 * (ties keep each thread's order) and written as JSON lines between the
 * `meta` and `end` lines.  Buffers stay in memory until then: about 48 bytes
 * an event.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "recorder.h"

typedef struct {
    GsEvent ev;
    int32_t tid;
    uint32_t seq;        /* order within the thread, for equal times */
} Record;

typedef struct Buffer Buffer;
struct Buffer {
    Buffer *next;
    int tid;
    Record *recs;
    size_t n, cap;
    char **strings;      /* copies this thread owns */
    size_t nstrings, capstrings;
    const void *cache_key[4];   /* small caches: code/type object -> its name copy */
    uint32_t cache_serial[4];
    const char *cache_val[4];
};

struct GsRecorder {
    FILE *f;
    char *path;
    unsigned mask;
    char **ref_types;    /* --trace-ref filter, NULL-terminated; NULL: all types */
    uv_mutex_t lock;     /* guards `buffers` (taken once per thread) */
    Buffer *buffers;
    int64_t dropped;
    GsRecorderMeta meta;
    char start_time[32];
    GsInterp *interp;
};

static const char *const event_names[] = {
#define GS_X_EV_NAME(name, cat) #name,
    GS_EVENT_KINDS(GS_X_EV_NAME)
#undef GS_X_EV_NAME
};

static const char *const reason_names[] = {
#define GS_X_REL_NAME(name) #name,
    GS_RELEASE_REASONS(GS_X_REL_NAME)
#undef GS_X_REL_NAME
};

/* ---- categories ------------------------------------------------------------------ */

int gs_trace_categories(const char *spec, unsigned *mask, char *err, size_t errlen)
{
    static const struct { const char *name; unsigned bits; } cats[] = {
        { "gil", GS_CAT_GIL }, { "thread", GS_CAT_THREAD }, { "lock", GS_CAT_LOCK },
        { "io", GS_CAT_IO }, { "gc", GS_CAT_GC }, { "print", GS_CAT_PRINT },
        { "tick", GS_CAT_TICK }, { "op", GS_CAT_OP }, { "ref", GS_CAT_REF },
        { "default", GS_CAT_GIL | GS_CAT_THREAD | GS_CAT_LOCK | GS_CAT_IO | GS_CAT_GC |
                         GS_CAT_PRINT },
        { "all", ~0u },
    };
    unsigned m = 0;
    const char *p = spec;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t i;
        for (i = 0; i < sizeof cats / sizeof cats[0]; i++)
            if (strlen(cats[i].name) == n && strncmp(cats[i].name, p, n) == 0)
                break;
        if (i == sizeof cats / sizeof cats[0]) {
            snprintf(err, errlen, "unknown trace category '%.*s' (known: gil, thread, lock, io, "
                     "gc, print, tick, op, ref, default, all)", (int)n, p);
            return -1;
        }
        m |= cats[i].bits;
        p += n + (e != NULL);
    }
    *mask = m;
    return 0;
}

/* ---- the record path ----------------------------------------------------------------- */

static Buffer *thread_buffer(GsRecorder *r, GsThread *ts)
{
    Buffer *b = ts->trace_buf;
    if (b)
        return b;
    b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->tid = ts->tid;
    uv_mutex_lock(&r->lock);
    b->next = r->buffers;
    r->buffers = b;
    uv_mutex_unlock(&r->lock);
    ts->trace_buf = b;
    return b;
}

static const char *keep_string(Buffer *b, const char *s)
{
    if (!s)
        return NULL;
    if (b->nstrings == b->capstrings) {
        size_t cap = b->capstrings ? b->capstrings * 2 : 16;
        char **ns = realloc(b->strings, cap * sizeof *ns);
        if (!ns)
            return NULL;
        b->strings = ns;
        b->capstrings = cap;
    }
    char *copy = strdup(s);
    if (copy)
        b->strings[b->nstrings++] = copy;
    return copy;
}

/* Names of code objects and types: the same few, millions of times. */
static const char *cached_name(Buffer *b, int slot, GsObject *key, const char *name)
{
    if (b->cache_key[slot] == key && b->cache_serial[slot] == key->serial)
        return b->cache_val[slot];
    const char *copy = keep_string(b, name);
    b->cache_key[slot] = key;
    b->cache_serial[slot] = key->serial;
    b->cache_val[slot] = copy;
    return copy;
}

static void record(void *ctx, GsThread *ts, const GsEvent *ev)
{
    GsRecorder *r = ctx;
    Buffer *b = thread_buffer(r, ts);
    if (!b || (b->n == b->cap && !(b->cap = b->cap ? b->cap * 2 : 4096,
                                    b->recs = realloc(b->recs, b->cap * sizeof(Record))))) {
        __atomic_add_fetch(&r->dropped, 1, __ATOMIC_RELAXED);
        if (b)
            b->cap = b->n;
        return;
    }
    Record *rec = &b->recs[b->n];
    rec->ev = *ev;
    rec->tid = ts->tid;
    rec->seq = (uint32_t)b->n++;
    switch (ev->kind) {
    case GS_EV_print:
    case GS_EV_thread_start:
        rec->ev.p = keep_string(b, ev->p);
        break;
    case GS_EV_op: {
        GsCode *co = (GsCode *)ev->p;
        rec->ev.p = cached_name(b, 0, (GsObject *)co, gs_str_cstr(co->name));
        break;
    }
    case GS_EV_ref:
    case GS_EV_dealloc: {
        GsType *t = (GsType *)ev->p;
        rec->ev.p = cached_name(b, 1, (GsObject *)t, t->name);
        break;
    }
    default:
        break;
    }
}

/* The VM's reference-count hook: every change of a non-shared object. */
static bool ref_type_wanted(GsRecorder *r, GsType *t)
{
    if (!r->ref_types)
        return true;
    for (char **p = r->ref_types; *p; p++)
        if (strcmp(*p, t->name) == 0)
            return true;
    return false;
}

static void on_ref(GsThread *ts, GsObject *o, int delta)
{
    GsRecorder *r = ts->interp->trace_ctx;
    if (!r || !ref_type_wanted(r, o->type))
        return;
    if (delta == 0)
        gs_trace_emit(ts, GS_EV_dealloc, 0, o->serial, 0, o->type);
    else
        gs_trace_emit(ts, GS_EV_ref, delta, o->serial, (int64_t)o->refcnt, o->type);
}

/* ---- setting up ------------------------------------------------------------------------ */

static char **split_types(const char *spec)
{
    if (!spec || !*spec)
        return NULL;
    size_t n = 1;
    for (const char *p = spec; *p; p++)
        n += *p == ',';
    char **v = calloc(n + 1, sizeof *v);
    if (!v)
        return NULL;
    size_t i = 0;
    for (const char *p = spec; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        v[i++] = strndup(p, len);
        p += len + (e != NULL);
    }
    return v;
}

GsRecorder *gs_recorder_new(const char *path, unsigned mask, const char *ref_types,
                            char *err, size_t errlen)
{
    GsRecorder *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->f = fopen(path, "w");
    if (!r->f) {
        snprintf(err, errlen, "cannot write the trace '%s': %s", path, strerror(errno));
        free(r);
        return NULL;
    }
    r->path = strdup(path);
    r->mask = mask;
    r->ref_types = split_types(ref_types);
    uv_mutex_init(&r->lock);
    time_t now = time(NULL);
    strftime(r->start_time, sizeof r->start_time, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    return r;
}

void gs_recorder_attach(GsRecorder *r, GsInterp *interp, const GsRecorderMeta *meta)
{
    r->meta = *meta;
    r->interp = interp;
    interp->trace_ctx = r;
    interp->trace_sink = record;
    interp->trace_t0 = interp->platform->now_ns(interp->platform);
    interp->trace_mask = r->mask;
    if (r->mask & GS_CAT_REF) {
        interp->on_ref = on_ref;
        gs_ref_tracing = true;
    }
}

/* ---- writing ------------------------------------------------------------------------------ */

static void put_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
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

static void write_meta(GsRecorder *r, GsInterp *in)
{
    FILE *f = r->f;
    fputs("{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":1,\"gilscope\":", f);
    put_json_string(f, r->meta.gilscope_version);
    fputs(",\"script\":", f);
    put_json_string(f, r->meta.script);
    fputs(",\"argv\":[", f);
    for (int i = 0; i < r->meta.argc; i++) {
        if (i)
            fputc(',', f);
        put_json_string(f, r->meta.argv[i]);
    }
    fprintf(f, "],\"cpython\":\"%s\",\"policy\":\"%s\",\"check_interval\":%d,"
               "\"switch_interval\":%g,\"clock\":\"%s\",\"categories\":[",
            in->opt.cpython, in->opt.policy == GS_GIL_TICK ? "tick" : "interval",
            in->opt.check_interval, in->opt.switch_interval, in->platform->name);
    static const char *const cat_names[] = { "gil", "thread", "lock", "io", "gc", "tick",
                                             "op", "ref", "print" };
    bool first = true;
    for (int i = 0; i < 9; i++) {
        if (r->mask & (1u << i)) {
            fprintf(f, "%s\"%s\"", first ? "" : ",", cat_names[i]);
            first = false;
        }
    }
    fprintf(f, "],\"start_time\":\"%s\"}\n", r->start_time);
}

static void write_event(FILE *f, const Record *rec)
{
    const GsEvent *e = &rec->ev;
    fprintf(f, "{\"ev\":\"%s\",\"t\":%llu,\"tid\":%d", event_names[e->kind],
            (unsigned long long)e->t, rec->tid);
    switch (e->kind) {
    case GS_EV_gil_request:
    case GS_EV_gil_retry:
    case GS_EV_gil_drop_request:
        fprintf(f, ",\"holder\":%d", e->a);
        break;
    case GS_EV_gil_acquire:
        fprintf(f, ",\"wait\":%lld", (long long)e->b);
        break;
    case GS_EV_gil_release:
        fprintf(f, ",\"why\":\"%s\",\"held\":%lld",
                e->a >= 0 && e->a < GS_REL_COUNT ? reason_names[e->a] : "?", (long long)e->b);
        break;
    case GS_EV_thread_start:
        fputs(",\"name\":", f);
        put_json_string(f, e->p);
        break;
    case GS_EV_lock_request:
    case GS_EV_lock_release:
        fprintf(f, ",\"lock\":%lld", (long long)e->b);
        break;
    case GS_EV_lock_acquire:
        fprintf(f, ",\"lock\":%lld,\"wait\":%lld", (long long)e->b, (long long)e->c);
        break;
    case GS_EV_io_begin:
        fprintf(f, ",\"kind\":\"%s\"", (const char *)e->p);
        break;
    case GS_EV_io_end:
        fprintf(f, ",\"kind\":\"%s\",\"dur\":%lld", (const char *)e->p, (long long)e->b);
        break;
    case GS_EV_gc_start:
        fprintf(f, ",\"gen\":%d", e->a);
        break;
    case GS_EV_gc_end:
        fprintf(f, ",\"gen\":%d,\"collected\":%lld", e->a, (long long)e->c);
        break;
    case GS_EV_print:
        fputs(",\"text\":", f);
        put_json_string(f, e->p);
        break;
    case GS_EV_ticks:
        fprintf(f, ",\"ticks\":%lld", (long long)e->c);
        break;
    case GS_EV_op:
        fprintf(f, ",\"op\":\"%s\",\"line\":%lld,\"offset\":%lld,\"code\":",
                gs_opinfo[e->a & 0xff].name ? gs_opinfo[e->a & 0xff].name : "?",
                (long long)e->b, (long long)e->c);
        put_json_string(f, e->p);
        break;
    case GS_EV_ref:
        fprintf(f, ",\"obj\":%lld,\"type\":", (long long)e->b);
        put_json_string(f, e->p);
        fprintf(f, ",\"refcnt\":%lld,\"delta\":%d", (long long)e->c, e->a);
        break;
    case GS_EV_dealloc:
        fprintf(f, ",\"obj\":%lld,\"type\":", (long long)e->b);
        put_json_string(f, e->p);
        break;
    default:
        break;
    }
    fputs("}\n", f);
}

/* At equal times, a release sorts before an acquire: the release really
 * happened first (the acquirer read the clock after taking the lock). */
static int tie_rank(const Record *r)
{
    switch (r->ev.kind) {
    case GS_EV_gil_release:
    case GS_EV_lock_release:
    case GS_EV_thread_end:
        return 0;
    case GS_EV_gil_acquire:
    case GS_EV_lock_acquire:
        return 2;
    default:
        return 1;
    }
}

static int by_time(const void *x, const void *y)
{
    const Record *a = *(const Record *const *)x, *b = *(const Record *const *)y;
    if (a->ev.t != b->ev.t)
        return a->ev.t < b->ev.t ? -1 : 1;
    if (tie_rank(a) != tie_rank(b))
        return tie_rank(a) < tie_rank(b) ? -1 : 1;
    if (a->tid != b->tid)
        return a->tid < b->tid ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void free_buffers(GsRecorder *r)
{
    Buffer *b = r->buffers;
    while (b) {
        Buffer *next = b->next;
        for (size_t i = 0; i < b->nstrings; i++)
            free(b->strings[i]);
        free(b->strings);
        free(b->recs);
        free(b);
        b = next;
    }
    r->buffers = NULL;
}

int gs_recorder_finish(GsRecorder *r, GsInterp *interp, int status, const char *reason)
{
    interp->trace_mask = 0;
    interp->trace_sink = NULL;
    interp->on_ref = NULL;
    gs_ref_tracing = false;
    uint64_t end_t = interp->platform->now_ns(interp->platform) - interp->trace_t0;
    size_t total = 0;
    for (Buffer *b = r->buffers; b; b = b->next)
        total += b->n;
    const Record **all = malloc((total + 1) * sizeof *all);
    size_t k = 0;
    if (all) {
        for (Buffer *b = r->buffers; b; b = b->next)
            for (size_t i = 0; i < b->n; i++)
                all[k++] = &b->recs[i];
        qsort(all, k, sizeof *all, by_time);
    } else {
        r->dropped += (int64_t)total;
    }
    write_meta(r, interp);
    uint64_t last = 0;
    for (size_t i = 0; i < k; i++) {
        write_event(r->f, all[i]);
        last = all[i]->ev.t;
    }
    if (end_t < last)
        end_t = last;
    fprintf(r->f, "{\"ev\":\"end\",\"t\":%llu,\"status\":%d,\"reason\":\"%s\",\"events\":%zu,"
                  "\"dropped\":%lld,\"ticks\":%lld,\"switches\":%lld}\n",
            (unsigned long long)end_t, status, reason, k, (long long)r->dropped,
            (long long)interp->total_ticks, (long long)interp->gil_switches);
    free(all);
    int rc = 0;
    if (fclose(r->f) != 0) {
        fprintf(stderr, "gilscope: could not write the trace '%s': %s\n", r->path,
                strerror(errno));
        rc = -1;
    }
    free_buffers(r);
    if (r->ref_types) {
        for (char **p = r->ref_types; *p; p++)
            free(*p);
        free(r->ref_types);
    }
    uv_mutex_destroy(&r->lock);
    free(r->path);
    free(r);
    interp->trace_ctx = NULL;
    return rc;
}
