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
    if (b && b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        Record *grown = realloc(b->recs, cap * sizeof(Record));
        if (grown) {
            b->recs = grown;
            b->cap = cap;
        }
    }
    if (!b || b->n == b->cap) {
        __atomic_add_fetch(&r->dropped, 1, __ATOMIC_RELAXED);
        return;
    }
    Record *rec = &b->recs[b->n];
    rec->ev = *ev;
    rec->tid = ts->tid;
    rec->seq = (uint32_t)b->n++;
    switch (ev->kind) {
    case GS_EV_print:
        /* A trace line must stay readable (trace readers take lines up to
         * 1 MiB): keep at most 64 KiB of a print's text. */
        if (ev->p && strlen(ev->p) > 65536) {
            char *cut = strndup(ev->p, 65536);
            size_t k = 65536;
            while (cut && k > 0 && ((unsigned char)cut[k - 1] & 0xC0) == 0x80)
                cut[--k] = 0;   /* do not end inside a UTF-8 character */
            if (cut && k > 0 && (unsigned char)cut[k - 1] >= 0xC0)
                cut[--k] = 0;
            rec->ev.p = keep_string(b, cut);
            free(cut);
        } else {
            rec->ev.p = keep_string(b, ev->p);
        }
        break;
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

/* ---- a fast output buffer ------------------------------------------------------------
 * Tens of millions of lines: formatting them with stdio (which locks the
 * stream on every call) costs more than recording them.  Lines are built
 * in a large buffer by hand and written in big chunks. */
typedef struct {
    FILE *f;
    char buf[1 << 16];
    size_t n;
} Out;

static void out_flush(Out *o)
{
    fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

static void out_room(Out *o, size_t need)
{
    if (o->n + need > sizeof o->buf)
        out_flush(o);
}

static void put(Out *o, const char *s)
{
    size_t n = strlen(s);
    if (n > sizeof o->buf / 2) {
        out_flush(o);
        fwrite(s, 1, n, o->f);
        return;
    }
    out_room(o, n);
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

static void put_i64(Out *o, int64_t v)
{
    char tmp[24];
    int i = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[i++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    out_room(o, 22);
    if (v < 0)
        o->buf[o->n++] = '-';
    while (i > 0)
        o->buf[o->n++] = tmp[--i];
}

static void put_json_string(Out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    out_room(o, 1);
    o->buf[o->n++] = '"';
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        out_room(o, 6);
        char *w = o->buf + o->n;
        switch (*p) {
        case '"': w[0] = '\\'; w[1] = '"'; o->n += 2; break;
        case '\\': w[0] = '\\'; w[1] = '\\'; o->n += 2; break;
        case '\n': w[0] = '\\'; w[1] = 'n'; o->n += 2; break;
        case '\r': w[0] = '\\'; w[1] = 'r'; o->n += 2; break;
        case '\t': w[0] = '\\'; w[1] = 't'; o->n += 2; break;
        default:
            if (*p < 0x20) {
                memcpy(w, "\\u00", 4);
                w[4] = hex[*p >> 4];
                w[5] = hex[*p & 15];
                o->n += 6;
            } else {
                *w = (char)*p;
                o->n += 1;
            }
        }
    }
    out_room(o, 1);
    o->buf[o->n++] = '"';
}

static void write_meta(GsRecorder *r, GsInterp *in, Out *o)
{
    put(o, "{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":1,\"gilscope\":");
    put_json_string(o, r->meta.gilscope_version);
    put(o, ",\"script\":");
    put_json_string(o, r->meta.script);
    put(o, ",\"argv\":[");
    for (int i = 0; i < r->meta.argc; i++) {
        if (i)
            put(o, ",");
        put_json_string(o, r->meta.argv[i]);
    }
    char tmp[256];
    snprintf(tmp, sizeof tmp, "],\"cpython\":\"%s\",\"policy\":\"%s\",\"check_interval\":%d,"
             "\"switch_interval\":%g,\"clock\":\"%s\",\"categories\":[",
             in->opt.cpython, in->opt.policy == GS_GIL_TICK ? "tick" : "interval",
             in->opt.check_interval, in->opt.switch_interval, in->platform->name);
    put(o, tmp);
    static const char *const cat_names[] = { "gil", "thread", "lock", "io", "gc", "tick",
                                             "op", "ref", "print" };
    bool first = true;
    for (int i = 0; i < 9; i++) {
        if (r->mask & (1u << i)) {
            put(o, first ? "\"" : ",\"");
            put(o, cat_names[i]);
            put(o, "\"");
            first = false;
        }
    }
    put(o, "],\"start_time\":\"");
    put(o, r->start_time);
    put(o, "\"}\n");
}

/* One field: ,"name":<int> */
static void field_i64(Out *o, const char *name, int64_t v)
{
    put(o, name);
    put_i64(o, v);
}

static void write_event(Out *o, const Record *rec)
{
    const GsEvent *e = &rec->ev;
    put(o, "{\"ev\":\"");
    put(o, event_names[e->kind]);
    field_i64(o, "\",\"t\":", (int64_t)e->t);
    field_i64(o, ",\"tid\":", rec->tid);
    switch (e->kind) {
    case GS_EV_gil_request:
    case GS_EV_gil_retry:
    case GS_EV_gil_drop_request:
        field_i64(o, ",\"holder\":", e->a);
        break;
    case GS_EV_gil_acquire:
        field_i64(o, ",\"wait\":", e->b);
        break;
    case GS_EV_gil_release:
        put(o, ",\"why\":\"");
        put(o, e->a >= 0 && e->a < GS_REL_COUNT ? reason_names[e->a] : "check");
        field_i64(o, "\",\"held\":", e->b);
        break;
    case GS_EV_thread_start:
        put(o, ",\"name\":");
        put_json_string(o, e->p);
        break;
    case GS_EV_lock_request:
    case GS_EV_lock_release:
        field_i64(o, ",\"lock\":", e->b);
        break;
    case GS_EV_lock_acquire:
        field_i64(o, ",\"lock\":", e->b);
        field_i64(o, ",\"wait\":", e->c);
        break;
    case GS_EV_io_begin:
        put(o, ",\"kind\":");
        put_json_string(o, e->p);
        break;
    case GS_EV_io_end:
        put(o, ",\"kind\":");
        put_json_string(o, e->p);
        field_i64(o, ",\"dur\":", e->b);
        break;
    case GS_EV_gc_start:
        field_i64(o, ",\"gen\":", e->a);
        break;
    case GS_EV_gc_end:
        field_i64(o, ",\"gen\":", e->a);
        field_i64(o, ",\"collected\":", e->c);
        break;
    case GS_EV_print:
        put(o, ",\"text\":");
        put_json_string(o, e->p);
        break;
    case GS_EV_ticks:
        field_i64(o, ",\"ticks\":", e->c);
        break;
    case GS_EV_op:
        put(o, ",\"op\":\"");
        put(o, gs_opinfo[e->a & 0xff].name ? gs_opinfo[e->a & 0xff].name : "?");
        field_i64(o, "\",\"line\":", e->b);
        field_i64(o, ",\"offset\":", e->c);
        put(o, ",\"code\":");
        put_json_string(o, e->p);
        break;
    case GS_EV_ref:
        field_i64(o, ",\"obj\":", e->b);
        put(o, ",\"type\":");
        put_json_string(o, e->p);
        field_i64(o, ",\"refcnt\":", e->c);
        field_i64(o, ",\"delta\":", e->a);
        break;
    case GS_EV_dealloc:
        field_i64(o, ",\"obj\":", e->b);
        put(o, ",\"type\":");
        put_json_string(o, e->p);
        break;
    default:
        break;
    }
    put(o, "}\n");
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

/* Does a come before b?  Times first; at equal times a release before an
 * acquire (tie_rank), then by thread and order within the thread. */
static bool before(const Record *a, const Record *b)
{
    if (a->ev.t != b->ev.t)
        return a->ev.t < b->ev.t;
    if (tie_rank(a) != tie_rank(b))
        return tie_rank(a) < tie_rank(b);
    if (a->tid != b->tid)
        return a->tid < b->tid;
    return a->seq < b->seq;
}

/* Each thread's records are already in time order (one monotonic clock):
 * merging the threads' buffers is enough, no global sort. */
static size_t write_merged(GsRecorder *r, Out *o, uint64_t *last)
{
    size_t k = 0, written = 0;
    for (Buffer *b = r->buffers; b; b = b->next)
        k++;
    Buffer **bufs = calloc(k + 1, sizeof *bufs);
    size_t *pos = calloc(k + 1, sizeof *pos);
    if (!bufs || !pos) {
        free(bufs);
        free(pos);
        return 0;
    }
    k = 0;
    for (Buffer *b = r->buffers; b; b = b->next)
        bufs[k++] = b;
    for (;;) {
        const Record *best = NULL;
        size_t bi = 0;
        for (size_t i = 0; i < k; i++) {
            if (pos[i] < bufs[i]->n && (!best || before(&bufs[i]->recs[pos[i]], best))) {
                best = &bufs[i]->recs[pos[i]];
                bi = i;
            }
        }
        if (!best)
            break;
        write_event(o, best);
        *last = best->ev.t;
        pos[bi]++;
        written++;
    }
    free(bufs);
    free(pos);
    return written;
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
    Out *o = malloc(sizeof *o);
    if (!o) {
        fprintf(stderr, "gilscope: out of memory writing the trace\n");
        fclose(r->f);
        free_buffers(r);
        return -1;
    }
    o->f = r->f;
    o->n = 0;
    write_meta(r, interp, o);
    uint64_t last = 0;
    size_t k = write_merged(r, o, &last);
    if (end_t < last)
        end_t = last;
    field_i64(o, "{\"ev\":\"end\",\"t\":", (int64_t)end_t);
    field_i64(o, ",\"status\":", status);
    put(o, ",\"reason\":\"");
    put(o, reason);
    field_i64(o, "\",\"events\":", (int64_t)k);
    field_i64(o, ",\"dropped\":", r->dropped);
    field_i64(o, ",\"ticks\":", interp->total_ticks);
    field_i64(o, ",\"switches\":", interp->gil_switches);
    put(o, "}\n");
    out_flush(o);
    free(o);
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
