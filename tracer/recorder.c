/*
 * recorder.c -- per-thread event buffers, and a writer thread that streams
 * them to the trace file while the program runs.
 *
 * THE RECORD PATH.  An emit function (gs_ev_gil_release, ...: vm/runtime/interp.h)
 * hands an event to record() through gs_trace_emit (vm/runtime/interp.h), and it
 * stamps its time and appends it to the calling thread's own buffer:
 * no lock, no GIL.  A buffer is a chain of fixed-size chunks; the thread
 * publishes each record by bumping its chunk's count (a release store), so
 * the writer can read everything up to that count without a lock.  The only
 * mutex is taken once per thread, to add its buffer to the recorder's list.
 * Strings an event carries (a print's text, a thread's name) are copied,
 * since the guest frees them; names that repeat per instruction (a code
 * object's, a type's) are interned once per thread.  Which fields are
 * copied or interned, like how each is written, follows from its format
 * in vm/threads/event.h's table: the code that reads a record's fields is
 * generated from that table (keep_fields, write_event, drop_fields).
 *
 * THE WRITE PATH.  A writer thread wakes every few milliseconds, merges
 * what the threads have published by time, writes it as JSON lines, and
 * frees the chunks it has written.  Memory is bounded: a thread that gets
 * more than RECORDER_MAX_OWED bytes ahead of the writer waits for it (the
 * tracer then slows the guest down instead of eating all memory) -- unless
 * the writer cannot move (wait_for_writer says when), since a tracer must
 * never hang the run it watches.
 *
 * HOW FAR THE WRITER MAY GO.  Lines must come out in time order, but a
 * thread may still be about to record an event older than what another
 * thread has already published.  Each round the writer computes a
 * watermark W and writes only the records with t < W, where W is the
 * minimum over threads of:
 *
 *   - an *active* thread's last published time: every record it publishes
 *     later was stamped later, on the same monotonic clock;
 *   - for a *parked* thread, "now" as the writer read it before looking:
 *     a parked thread un-parks (with a full memory fence) before it reads
 *     the clock for its next event, so that event is stamped after "now".
 *
 * A thread parks when it lets go of the GIL (gil.c calls trace_park) and
 * after every event it records without holding the GIL; only the GIL
 * holder stays active for long, so one thread blocked in sleep() or on a
 * lock never holds the others' output back.  Strictly-less-than W keeps all
 * records of one timestamp in one round, so ties are always broken the same
 * way (release before acquire, then by thread, then by order in the thread).
 */
#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_TSC 1
#endif

#include "outfile.h"
#include "recorder.h"

/* Records per chunk, and how far (in bytes of chunks and copied strings)
 * a thread may get ahead of the writer before it waits. */
#define RECORDER_CHUNK 4096
#define RECORDER_MAX_OWED ((size_t)16 << 20)
/* How often the writer looks when nobody nudges it. */
#define WRITER_PERIOD_NS (2 * 1000 * 1000)

typedef struct {
    GsEvent ev;
    int32_t tid;
    uint32_t seq;        /* order within the thread, for equal times */
} Record;

typedef struct Chunk Chunk;
struct Chunk {
    _Atomic(Chunk *) next;   /* the next chunk, once this one is full */
    atomic_size_t n;         /* records published in this chunk */
    /* The records start on a cache line of their own: the owner writes
     * one while the writer reads an older one, and neither should pull
     * the other's line away (nor n's) with every record. */
    alignas(64) Record recs[RECORDER_CHUNK];
};

typedef struct NameSlot NameSlot;
/*
 * THE CLOCK FOR FLOODS.  With --trace op every instruction is an event,
 * and on the real clock reading CLOCK_MONOTONIC is a third of what
 * recording one costs: on a virtual machine whose kernel does not trust
 * the processor's time-stamp counter (TSC), the vDSO reads the
 * hypervisor's clock instead, ~27 ns against ~11 ns for the counter
 * itself.  So the flood events (op, ref, dealloc) may be stamped from
 * the counter: each thread keeps its last real reading with the counter
 * value taken around it, and an event up to STAMP_RUN events and
 * STAMP_SPAN_NS after that reading is stamped as that reading plus the
 * ticks since, converted at the rate this thread measured between its
 * first good reading and its latest (at least STAMP_CALIBRATE_NS apart).
 * Every other event (the GIL's, locks', threads') reads the real clock,
 * so a handoff between threads is stamped exactly as before; and a
 * thread's stamps never go backwards (one is never below the one before).
 *
 * How wrong can a derived stamp be?  The rate is known to better than a
 * part in 10^4 after a millisecond, which over 4 us is under a
 * nanosecond; the reading itself is placed within half of the ~30 ns a
 * clock read takes -- the same uncertainty any stamp already has, since
 * the read happens somewhere around the event.  A reading whose counter
 * values are far apart (the thread was preempted in between) is not used
 * to derive anything.  Where the counter is missing or is not
 * x86's (HAVE_TSC), and on the simulated clock, every event reads the clock.
 */
#define STAMP_RUN 16
#define STAMP_SPAN_NS 4000
#define STAMP_CALIBRATE_NS 1000000
#define STAMP_PAIR_MAX_TICKS 2000   /* counter ticks around a good reading, at most */
typedef struct {
    uint64_t last;           /* the thread's latest stamp */
    uint64_t at_ns, at_tick; /* the latest good reading, and the counter there */
    uint64_t cal_ns, cal_tick;   /* the first good reading: the rate's origin */
    uint64_t ns_per_tick_q32;    /* nanoseconds per tick, times 2^32; 0: not yet known */
    uint64_t span_ticks;     /* STAMP_SPAN_NS in ticks */
    unsigned left;           /* events that may still be derived from at_ns */
} Stamper;

typedef struct Buffer Buffer;
struct Buffer {
    int tid;
    /* the owning thread's side */
    Chunk *tail;             /* the chunk being filled */
    size_t tail_n;           /* records in it (the published count, unshared copy) */
    uint32_t seq;
    NameSlot *names;         /* interned code and type names (intern_name) */
    size_t names_used, names_cap;
    const void *cache_key[2];   /* the last code object and type seen */
    uint32_t cache_serial[2];
    const char *cache_val[2];
    Stamper stamp;           /* the thread's clock (see THE CLOCK FOR FLOODS) */
    /* shared with the writer: a cache line of their own, so that the
     * owner's fields above and the writer's below are not pulled from
     * one core to the other with every record */
    alignas(64) atomic_uint_fast64_t pub_t;   /* t of the last published record */
    atomic_int parked;            /* 1: records nothing until it un-parks */
    atomic_size_t owed;           /* bytes of chunks and strings not yet freed */
    size_t stalled_at;            /* the writer's count when waiting for it gave up */
    /* the writer's side */
    alignas(64) Chunk *head;  /* the oldest chunk not yet freed */
    size_t head_pos;         /* the next record to write in it */
    size_t head_seen;        /* head->n as last read: records up to it need no new look */
};

/* THE OP-LINE CACHE.  With --trace op most of the output is `op` lines,
 * and each is the same few dozen lines over again, but for its time and
 * thread: what follows "tid" (the opcode, line, offset and code name)
 * depends only on the instruction.  So the writer keeps, per instruction
 * seen lately, that tail as it was formatted, and copies it: half the
 * writer's work per op line.  The key is the interned code name (a
 * string the recording thread's buffer owns until the recording ends, so
 * its address means one name for as long as the cache lives) with the
 * offset, line and opcode; a tail too long for an entry is not kept. */
#define OP_TAILS 1024            /* entries, direct-mapped: a power of two */
#define OP_TAIL_MAX 112          /* bytes of a tail an entry holds */
typedef struct {
    const void *code;            /* NULL: the entry is empty */
    int64_t line, offset;
    int32_t op;
    uint32_t len;
    char text[OP_TAIL_MAX];
} OpTail;

typedef struct {
    FILE *f;
    char buf[1 << 16];
    size_t n;
    unsigned long flushes;   /* how many times buf was written out */
    bool failed;             /* a write failed: errno saved in err */
    int err;
    const char *json_key;    /* put_json_cached: the last name, and its JSON */
    char json_val[1208];
    size_t json_len;
    char opname[256][32];    /* opcode names, quoted: "LOAD_FAST" with the quotes */
    size_t opname_len[256];
    OpTail op_tails[OP_TAILS];
} Out;

struct GsRecorder {
    GsOutFile file;          /* the trace: a temporary file until finish (outfile.h) */
    unsigned mask;
    char **ref_types;    /* --trace-ref filter, NULL-terminated; NULL: all types */
    GsPlatform *platform;    /* the clock events are stamped with */
    uint64_t t0;
    uv_mutex_t lock;     /* guards bufs (taken once per thread) */
    Buffer **bufs;
    size_t nbufs, capbufs;
    atomic_llong dropped;
    GsRecorderMeta meta;
    char start_time[32];
    GsInterp *interp;
    /* the writer thread (its own cache lines: `written` changes with
     * every event, and the recording threads read the fields above) */
    alignas(64) Out *out;
    atomic_size_t written;   /* events written (read by threads waiting for the writer) */
    uint64_t last_t;         /* t of the last event written */
    uv_thread_t writer;
    uv_mutex_t wlock;        /* guards stopping; with wake */
    uv_cond_t wake;          /* nudges the writer (a chunk filled up, a thread waits) */
    bool stopping;
    atomic_bool writer_running;
};

/* gil_release's reasons as the writer puts them: quoted, with their lengths. */
static const char *const reason_json[] = {
#define GS_X_REL_JSON(name) "\"" #name "\"",
    GS_RELEASE_REASONS(GS_X_REL_JSON)
#undef GS_X_REL_JSON
};

static const size_t reason_json_len[] = {
#define GS_X_REL_LEN(name) sizeof(#name) + 1,
    GS_RELEASE_REASONS(GS_X_REL_LEN)
#undef GS_X_REL_LEN
};

/*
 * A slot of a record, as a number or as a pointer.  The generated code
 * below hands every field to functions that switch on its format; they
 * take a number and a pointer, and these pick the one the slot holds (the
 * other is 0).  _Generic chooses by the slot's type when compiling.
 */
#define SLOT_NUMBER(x) _Generic((x), const void *: (int64_t)0, default: (int64_t)(x))
#define SLOT_POINTER(x) _Generic((x), const void *: (x), default: (const void *)NULL)
/* The address of the pointer slot, or NULL for a number slot. */
#define SLOT_POINTER_ADDR(x) _Generic((x), const void *: &(x), default: (const void **)NULL)

/* ---- categories ------------------------------------------------------------------ */

int gs_trace_categories(const char *spec, unsigned *mask, char *err, size_t errlen)
{
    static const struct { const char *name; unsigned bits; } cats[] = {
        { "gil", GS_CAT_GIL }, { "thread", GS_CAT_THREAD }, { "lock", GS_CAT_LOCK },
        { "io", GS_CAT_IO }, { "gc", GS_CAT_GC }, { "print", GS_CAT_PRINT },
        { "check", GS_CAT_CHECK }, { "op", GS_CAT_OP }, { "ref", GS_CAT_REF },
        /* The category's name in trace format 1, still understood so that
         * old command lines keep working. */
        { "tick", GS_CAT_CHECK },
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
                     "gc, print, check, op, ref, default, all)", (int)n, p);
            return -1;
        }
        m |= cats[i].bits;
        p += n + (e != NULL);
    }
    *mask = m;
    return 0;
}

/* ---- the record path ----------------------------------------------------------------- */

/* A thread's interned names: code object or type -> a copy of its name,
 * kept until the end (the writer reads them from the records). */
struct NameSlot {
    const void *key;
    uint32_t serial;
    char *name;
};

static char *intern_name(Buffer *b, GsObject *key, const char *name)
{
    if (b->names_used * 2 >= b->names_cap) {
        size_t cap = b->names_cap ? b->names_cap * 2 : 64;
        NameSlot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t i = 0; i < b->names_cap; i++) {
            NameSlot *o = &b->names[i];
            if (!o->key)
                continue;
            size_t j = ((uintptr_t)o->key >> 4 ^ o->serial) & (cap - 1);
            while (slots[j].key)
                j = (j + 1) & (cap - 1);
            slots[j] = *o;
        }
        free(b->names);
        b->names = slots;
        b->names_cap = cap;
    }
    size_t j = ((uintptr_t)key >> 4 ^ key->serial) & (b->names_cap - 1);
    for (; b->names[j].key; j = (j + 1) & (b->names_cap - 1))
        if (b->names[j].key == key && b->names[j].serial == key->serial)
            return b->names[j].name;
    char *copy = strdup(name ? name : "?");
    if (!copy)
        return NULL;
    b->names[j] = (NameSlot){ key, key->serial, copy };
    b->names_used++;
    return copy;
}

/* Names of code objects and types: the same few, millions of times. */
static const char *cached_name(Buffer *b, int slot, GsObject *key, const char *name)
{
    if (b->cache_key[slot] == key && b->cache_serial[slot] == key->serial)
        return b->cache_val[slot];
    const char *copy = intern_name(b, key, name);
    b->cache_key[slot] = key;
    b->cache_serial[slot] = key->serial;
    b->cache_val[slot] = copy;
    return copy;
}

static void *zalloc_aligned(size_t size);

static Chunk *chunk_new(Buffer *b)
{
    Chunk *c = aligned_alloc(64, sizeof *c);   /* sizeof is a multiple of 64 */
    if (!c)
        return NULL;
    atomic_init(&c->next, NULL);
    atomic_init(&c->n, 0);
    atomic_fetch_add_explicit(&b->owed, sizeof *c, memory_order_relaxed);
    return c;
}

/* A zeroed object aligned for its cache-line-aligned members (calloc
 * promises only 16 bytes). */
static void *zalloc_aligned(size_t size)
{
    size = (size + 63) / 64 * 64;   /* aligned_alloc wants a multiple */
    void *p = aligned_alloc(64, size);
    if (p)
        memset(p, 0, size);
    return p;
}

static Buffer *thread_buffer(GsRecorder *r, GsThread *ts)
{
    Buffer *b = ts->trace_buf;
    if (b)
        return b;
    b = zalloc_aligned(sizeof *b);
    if (!b)
        return NULL;
    b->tid = ts->tid;
    b->stalled_at = SIZE_MAX;
    b->tail = b->head = chunk_new(b);
    if (!b->tail) {
        free(b);
        return NULL;
    }
    uv_mutex_lock(&r->lock);
    if (r->nbufs == r->capbufs) {
        size_t cap = r->capbufs ? r->capbufs * 2 : 16;
        Buffer **nb = realloc(r->bufs, cap * sizeof *nb);
        if (!nb) {
            uv_mutex_unlock(&r->lock);
            free(b->tail);
            free(b);
            return NULL;
        }
        r->bufs = nb;
        r->capbufs = cap;
    }
    r->bufs[r->nbufs++] = b;
    uv_mutex_unlock(&r->lock);
    ts->trace_buf = b;
    return b;
}

/* A thread that will record nothing for a while (it let go of the GIL):
 * the writer may go past it.  Release: its records are visible first. */
static void park(Buffer *b)
{
    atomic_store_explicit(&b->parked, 1, memory_order_release);
}

/* Before reading the clock again: a full barrier (a locked exchange, which
 * ThreadSanitizer understands, unlike a bare fence) that pairs with the
 * writer's, so either the writer sees us active, or our timestamp is later
 * than the "now" it used as its watermark. */
static void unpark(Buffer *b)
{
    atomic_exchange_explicit(&b->parked, 0, memory_order_seq_cst);
}

static void on_park(void *ctx, GsThread *ts)
{
    if (ts->trace_buf)
        park(ts->trace_buf);
}

/* Too far ahead of the writer: wait for it (it is nudged, and polled).
 * Waiting must never hang the run, so the bound gives way when the run is
 * being stopped, and when the writer makes no progress for 100 ms -- on
 * the simulated clock a flood of records can share one timestamp, which
 * the writer may not write yet; then the thread goes on until the writer
 * has moved again (stalled_at). */
static void wait_for_writer(GsRecorder *r, Buffer *b)
{
    GsPlatform *p = r->platform;
    if (p->publish)
        p->publish(p);   /* the simulated clock: let the writer see our time */
    size_t seen = atomic_load(&r->written);
    for (int still = 0; atomic_load_explicit(&b->owed, memory_order_relaxed) > RECORDER_MAX_OWED &&
                        atomic_load(&r->writer_running);) {
        if (atomic_load(&r->interp->stop_reason) != GS_STOP_NONE)
            return;
        uv_cond_signal(&r->wake);
        struct timespec pause = { 0, 50 * 1000 };
        nanosleep(&pause, NULL);
        size_t now = atomic_load(&r->written);
        if (now != seen) {
            seen = now;
            still = 0;
        } else if (++still == 2000) {
            b->stalled_at = seen;
            return;
        }
    }
}

/* The slot for the next record, starting a new chunk when the last is
 * full; NULL when out of memory. */
static Record *next_slot(Buffer *b)
{
    if (b->tail_n == RECORDER_CHUNK) {
        Chunk *c = chunk_new(b);
        if (!c)
            return NULL;
        atomic_store_explicit(&b->tail->next, c, memory_order_release);
        b->tail = c;
        b->tail_n = 0;
    }
    return &b->tail->recs[b->tail_n];
}

/* A copy of a string the record owns (the writer frees it). */
static const char *own_string(Buffer *b, const char *s, size_t limit)
{
    if (!s)
        return NULL;
    size_t k = strnlen(s, limit + 1);
    if (k > limit) {
        /* A trace line must stay readable (trace readers take lines up to
         * 1 MiB): keep at most `limit` bytes, not ending inside a UTF-8
         * character. */
        k = limit;
        while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0 && (unsigned char)s[k - 1] >= 0xC0)
            k--;
    }
    char *copy = strndup(s, k);
    if (copy)
        atomic_fetch_add_explicit(&b->owed, k + 1, memory_order_relaxed);
    return copy;
}

/* What a record keeps of a field it was handed: a copy of the guest's
 * strings (the guest frees them), the name of a code object or a type
 * instead of the object (which may be gone by the time it is written).
 * `where` is the address of the field's slot if it is the pointer slot,
 * NULL for a number.  Inlined with a constant format, this is a store or
 * nothing. */
static inline __attribute__((always_inline)) void keep_field(Buffer *b, GsFieldFormat format,
                                                            const void **where)
{
    if (!where)
        return;
    switch (format) {
    case GS_FMT_TEXT:
        *where = own_string(b, *where, 65536);
        break;
    case GS_FMT_NAME:
        *where = own_string(b, *where, 4096);
        break;
    case GS_FMT_CODE: {
        const GsCode *co = *where;
        *where = cached_name(b, 0, (GsObject *)co, gs_str_cstr(co->name));
        break;
    }
    case GS_FMT_TYPE: {
        const GsType *t = *where;
        *where = cached_name(b, 1, (GsObject *)t, t->name);
        break;
    }
    default:
        break;   /* numbers and static strings are kept as they are */
    }
}

/* VISIT_FIELDS(rec): VISIT(format, slot) for each field of rec's kind,
 * generated from the table; keep_fields and drop_fields define VISIT. */
#define VISIT_FIELD(name, type, slot, format) VISIT(GS_FMT_##format, slot);
#define VISIT_NOFIELD
#define VISIT_KIND(kind, category, f1, f2, f3, f4) \
    case GS_EV_##kind: VISIT_##f1 VISIT_##f2 VISIT_##f3 VISIT_##f4 break;
#define VISIT_FIELDS(rec) \
    switch ((rec)->ev.kind) { GS_EVENTS(VISIT_KIND) default: break; }

/* keep_field for every field of a record. */
static void keep_fields(Buffer *b, Record *rec)
{
#define VISIT(format, slot) keep_field(b, format, SLOT_POINTER_ADDR(rec->ev.slot))
    VISIT_FIELDS(rec)
#undef VISIT
}

/* Read the real clock for the thread; with the counter around the
 * reading, also renew what flood events are derived from. */
static uint64_t stamp_read(GsRecorder *r, Stamper *s)
{
    uint64_t t;
#ifdef HAVE_TSC
    if (r->platform->now_is_monotonic) {
        uint64_t before = __rdtsc();
        t = gs_now_ns(r->platform);
        uint64_t after = __rdtsc();
        s->left = 0;
        if (after - before <= STAMP_PAIR_MAX_TICKS) {
            uint64_t tick = before + (after - before) / 2;
            if (!s->cal_ns) {
                s->cal_ns = t;
                s->cal_tick = tick;
            } else if (t - s->cal_ns >= STAMP_CALIBRATE_NS && tick > s->cal_tick) {
                double per_tick = (double)(t - s->cal_ns) / (double)(tick - s->cal_tick);
                s->ns_per_tick_q32 = (uint64_t)(per_tick * 4294967296.0);
                s->span_ticks = (uint64_t)(STAMP_SPAN_NS / per_tick);
            }
            s->at_ns = t;
            s->at_tick = tick;
            s->left = s->ns_per_tick_q32 ? STAMP_RUN : 0;
        }
    } else
#endif
        t = gs_now_ns(r->platform);
    return t;
}

/* The time of an event the thread is recording: derived from the counter
 * for a flood event when it may be, else read. */
static uint64_t stamp(GsRecorder *r, Stamper *s, GsEventKind kind)
{
    uint64_t t;
#ifdef HAVE_TSC
    if (s->left && (kind == GS_EV_op || kind == GS_EV_ref || kind == GS_EV_dealloc)) {
        uint64_t ticks = __rdtsc() - s->at_tick;
        if (ticks < s->span_ticks) {
            s->left--;
            t = s->at_ns + ((ticks * s->ns_per_tick_q32) >> 32);
            goto have;
        }
    }
#endif
    t = stamp_read(r, s);
#ifdef HAVE_TSC
have:
#endif
    if (t < s->last)
        t = s->last;
    return s->last = t;
}

static void record(void *ctx, GsThread *ts, const GsEvent *ev)
{
    GsRecorder *r = ctx;
    Buffer *b = thread_buffer(r, ts);
    if (!b) {
        atomic_fetch_add_explicit(&r->dropped, 1, memory_order_relaxed);
        return;
    }
    if (atomic_load_explicit(&b->parked, memory_order_relaxed)) {
        unpark(b);
        /* The writer trusts a parked thread's next stamp to be read
         * after it un-parked: none may be derived from a reading before. */
        b->stamp.left = 0;
    }
    if (atomic_load_explicit(&b->owed, memory_order_relaxed) > RECORDER_MAX_OWED &&
        atomic_load_explicit(&r->written, memory_order_relaxed) != b->stalled_at)
        wait_for_writer(r, b);
    Record *rec = next_slot(b);
    if (!rec) {
        atomic_fetch_add_explicit(&r->dropped, 1, memory_order_relaxed);
        return;
    }
    rec->ev = *ev;
    rec->ev.t = stamp(r, &b->stamp, ev->kind) - r->t0;
    rec->tid = ts->tid;
    rec->seq = b->seq++;
    keep_fields(b, rec);
    /* Publish: the record, then the time the writer may trust. */
    atomic_store_explicit(&b->tail->n, ++b->tail_n, memory_order_release);
    atomic_store_explicit(&b->pub_t, rec->ev.t, memory_order_release);
    if (b->tail_n == RECORDER_CHUNK)
        uv_cond_signal(&r->wake);
    if (!ts->gil.has_gil)
        park(b);
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
        gs_ev_dealloc(ts, o->serial, o->type);
    else
        gs_ev_ref(ts, o->serial, o->type, (int64_t)o->refcnt, delta);
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
    GsRecorder *r = zalloc_aligned(sizeof *r);
    Out *o = calloc(1, sizeof *o);
    if (!r || !o) {
        snprintf(err, errlen, "out of memory");
        free(r);
        free(o);
        return NULL;
    }
    if (gs_outfile_open(&r->file, path, "the trace", false, err, errlen) < 0) {
        free(o);
        free(r);
        return NULL;
    }
    o->f = r->file.f;
    o->n = 0;
    o->failed = false;
    o->json_key = NULL;
    for (int i = 0; i < 256; i++) {
        int n = snprintf(o->opname[i], sizeof o->opname[i], "\"%s\"",
                         gs_opinfo[i].name ? gs_opinfo[i].name : "?");
        o->opname_len[i] = n < (int)sizeof o->opname[i] ? (size_t)n : sizeof o->opname[i] - 1;
    }
    r->out = o;
    r->mask = mask;
    r->ref_types = split_types(ref_types);
    uv_mutex_init(&r->lock);
    uv_mutex_init(&r->wlock);
    uv_cond_init(&r->wake);
    time_t now = time(NULL);
    strftime(r->start_time, sizeof r->start_time, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    return r;
}

static void write_meta(GsRecorder *r, GsInterp *in, Out *o);
static void writer_main(void *arg);

void gs_recorder_attach(GsRecorder *r, GsInterp *interp, const GsRecorderMeta *meta)
{
    r->meta = *meta;
    r->interp = interp;
    r->platform = interp->platform;
    r->t0 = interp->platform->now_ns(interp->platform);
    write_meta(r, interp, r->out);
    atomic_store(&r->writer_running, true);
    if (uv_thread_create(&r->writer, writer_main, r) != 0) {
        /* No writer thread: everything is written at the end instead
         * (wait_for_writer does not wait for a writer that is not there). */
        atomic_store(&r->writer_running, false);
    }
    interp->trace_t0 = r->t0;
    interp->trace_ctx = r;
    interp->trace_park = on_park;
    interp->trace_sink = record;
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
static void out_write(Out *o, const char *data, size_t n)
{
    if (!o->failed && n && fwrite(data, 1, n, o->f) != n) {
        o->failed = true;
        o->err = errno;
    }
}

static void out_flush(Out *o)
{
    out_write(o, o->buf, o->n);
    o->n = 0;
    o->flushes++;
}

static inline __attribute__((always_inline)) void out_room(Out *o, size_t need)
{
    if (o->n + need > sizeof o->buf)
        out_flush(o);
}

static inline __attribute__((always_inline)) void put_n(Out *o, const char *s, size_t n)
{
    if (o->n + n > sizeof o->buf) {
        out_flush(o);
        if (n > sizeof o->buf / 2) {
            out_write(o, s, n);
            return;
        }
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

/* A string literal: its length is known at compile time. */
#define PUT_LIT(o, lit) put_n((o), lit, sizeof(lit) - 1)

/* The same without the check for room: the caller has made sure of it
 * (an event line reserves LINE_ROOM bytes up front, see write_event). */
static inline __attribute__((always_inline)) void put_raw(Out *o, const char *s, size_t n)
{
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}
#define PUT_RAW_LIT(o, lit) put_raw((o), lit, sizeof(lit) - 1)

static void put(Out *o, const char *s)
{
    put_n(o, s, strlen(s));
}

/* Decimal digits two at a time from a table, written from the right into
 * a scratch buffer, then copied as one fixed-size block: no counting of
 * digits first, no loop over bytes.  Numbers are most of a line (a time,
 * a tid, a line, an offset per `op` event), and this was half the
 * writer's work. */
static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static inline __attribute__((always_inline)) void put_digits(Out *o, int64_t v)
{
    char *at = o->buf + o->n;   /* room for a sign and the 24-byte copy: the caller's */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        *at++ = '-';
    if (u < 10) {          /* tids, small lines and counts: most numbers */
        *at++ = (char)('0' + u);
        o->n = (size_t)(at - o->buf);
        return;
    }
    char tmp[48];          /* the digits end at tmp + 24; 24 bytes are copied */
    char *w = tmp + 24;
    /* Eight digits at a time in 32-bit arithmetic, which is cheaper to
     * divide: a time in ns has 8 to 11 digits, one 64-bit step. */
    while (u >= 100000000) {
        uint32_t low = (uint32_t)(u % 100000000);
        u /= 100000000;
        for (int i = 0; i < 4; i++) {
            w -= 2;
            memcpy(w, digit_pairs + (low % 100) * 2, 2);
            low /= 100;
        }
    }
    uint32_t v32 = (uint32_t)u;
    while (v32 >= 100) {
        w -= 2;
        memcpy(w, digit_pairs + (v32 % 100) * 2, 2);
        v32 /= 100;
    }
    if (v32 >= 10) {
        w -= 2;
        memcpy(w, digit_pairs + v32 * 2, 2);
    } else {
        *--w = (char)('0' + v32);
    }
    memcpy(at, w, 24);     /* at most 20 digits; the rest is scratch past the end */
    o->n = (size_t)(at - o->buf) + (size_t)(tmp + 24 - w);
}

static inline __attribute__((always_inline)) void put_i64(Out *o, int64_t v)
{
    out_room(o, 25);
    put_digits(o, v);
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
    put(o, "{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":2,\"gilscope\":");
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
             in->opt.cpython, gs_policy_info(in->opt.policy)->name,
             in->opt.check_interval, in->opt.switch_interval, in->platform->name);
    put(o, tmp);
    static const char *const cat_names[] = { "gil", "thread", "lock", "io", "gc", "check",
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
    if (in->opt.sim_clock) {
        /* Everything the simulated machine was made of, so that the same
         * options reproduce this file byte for byte (docs/sim-model.md). */
        const GsSimParams *m = &in->opt.sim;
        snprintf(tmp, sizeof tmp, "],\"cores\":%d,\"seed\":%llu,\"sim\":{", m->cores,
                 (unsigned long long)m->seed);
        put(o, tmp);
        snprintf(tmp, sizeof tmp,
                 "\"wake_ns\":%llu,\"jitter_ns\":%llu,\"switch_ns\":%llu,\"syscall_ns\":%llu,"
                 "\"ipi_ns\":%llu,\"lock_ns\":%llu,\"slice_ns\":%llu,",
                 (unsigned long long)m->wake_ns, (unsigned long long)m->jitter_ns,
                 (unsigned long long)m->switch_ns, (unsigned long long)m->syscall_ns,
                 (unsigned long long)m->ipi_ns, (unsigned long long)m->lock_ns,
                 (unsigned long long)m->slice_ns);
        put(o, tmp);
        snprintf(tmp, sizeof tmp,
                 "\"wakeup_gran_ns\":%llu,\"timer_slack_ns\":%llu,\"io_ns\":%llu,"
                 "\"thread_start_ns\":%llu,\"op_ns\":{",
                 (unsigned long long)m->wakeup_gran_ns, (unsigned long long)m->timer_slack_ns,
                 (unsigned long long)m->io_ns, (unsigned long long)m->thread_start_ns);
        put(o, tmp);
        static const char *const kinds[K_COUNT] = { "fast", "jump", "arith", "name",
                                                    "attr", "build", "call", "slow" };
        for (int k = 0; k < K_COUNT; k++) {
            snprintf(tmp, sizeof tmp, "%s\"%s\":%u", k ? "," : "", kinds[k], gs_op_cost_ns[k]);
            put(o, tmp);
        }
        /* A simulated run starts at the simulated epoch, not at a real date. */
        put(o, "}},\"start_time\":\"2000-01-01T00:00:00Z\"}\n");
        return;
    }
    put(o, "],\"start_time\":\"");
    put(o, r->start_time);
    put(o, "\"}\n");
}

/* One field: ,"name":<int> */
#define field_i64(o, name, v) (PUT_LIT((o), name), put_i64((o), (v)))

/* Interned names (a code object's, a type's) come back again and again:
 * keep the last one's JSON form. */
static void put_json_cached(Out *o, const char *s)
{
    if (s && s == o->json_key) {
        put_n(o, o->json_val, o->json_len);
        return;
    }
    size_t n = s ? strlen(s) : 0;
    if (n > 200) {
        put_json_string(o, s);
        return;
    }
    out_room(o, n * 6 + 2);
    size_t start = o->n;
    put_json_string(o, s);
    o->json_key = s;
    o->json_len = o->n - start;
    memcpy(o->json_val, o->buf + start, o->json_len);
}

/* Room for the fixed-size parts of an event line: its kind and keys,
 * four numbers of at most 25 bytes, an opcode's or a reason's name.  A
 * line reserves it once instead of checking before every piece; a string
 * field, whose length has no bound, checks for itself and then reserves
 * again for the rest of the line. */
#define LINE_ROOM 512

/* One field's value, as its format says (the key is already written).
 * Inlined with a constant format, the switch disappears. */
static inline __attribute__((always_inline)) void write_value(Out *o, GsFieldFormat format,
                                                             int64_t n, const void *p)
{
    switch (format) {
    case GS_FMT_REASON:
        if (n < 0 || n >= GS_REL_COUNT)
            n = GS_REL_check;
        put_raw(o, reason_json[n], reason_json_len[n]);
        break;
    case GS_FMT_OPCODE:
        put_raw(o, o->opname[n & 0xff], o->opname_len[n & 0xff]);
        break;
    case GS_FMT_STR:
    case GS_FMT_TEXT:
    case GS_FMT_NAME:
        put_json_string(o, p);
        out_room(o, LINE_ROOM);
        break;
    case GS_FMT_CODE:
    case GS_FMT_TYPE:
        put_json_cached(o, p);   /* interned names: the same few again and again */
        out_room(o, LINE_ROOM);
        break;
    default:
        put_digits(o, n);        /* every kind of number */
        break;
    }
}

/*
 * One line per record, generated from the table: for each kind, its "ev"
 * and "t" in one literal, the tid, then each field's key and value in the
 * table's order.
 */
#define WRITE_FIELD(name, type, slot, format) \
    PUT_RAW_LIT(o, ",\"" #name "\":"); \
    write_value(o, GS_FMT_##format, SLOT_NUMBER(e->slot), SLOT_POINTER(e->slot));
#define WRITE_NOFIELD
#define WRITE_KIND(kind, category, f1, f2, f3, f4) \
    case GS_EV_##kind: \
        PUT_RAW_LIT(o, "{\"ev\":\"" #kind "\",\"t\":"); \
        put_digits(o, (int64_t)e->t); \
        PUT_RAW_LIT(o, ",\"tid\":"); \
        put_digits(o, rec->tid); \
        WRITE_##f1 WRITE_##f2 WRITE_##f3 WRITE_##f4 \
        break;

static void write_line(Out *o, const Record *rec)
{
    const GsEvent *e = &rec->ev;
    switch (e->kind) {
        GS_EVENTS(WRITE_KIND)
    default:
        return;   /* not a kind: nothing is recorded that way */
    }
    PUT_RAW_LIT(o, "}\n");
}

/* An op line through THE OP-LINE CACHE: the head (time and thread) is
 * written here, the tail copied from the cache; on a miss write_line
 * writes the whole line, the same head again and then the tail, which
 * the cache keeps.  Either way the bytes are write_line's. */
static void write_op_line(Out *o, const Record *rec)
{
    const GsEvent *e = &rec->ev;
    size_t start = o->n;
    PUT_RAW_LIT(o, "{\"ev\":\"op\",\"t\":");
    put_digits(o, (int64_t)e->t);
    PUT_RAW_LIT(o, ",\"tid\":");
    put_digits(o, rec->tid);
    size_t h = ((uintptr_t)e->ptr >> 4 ^ (uint64_t)e->i64b * 0x9E3779B97F4A7C15u >> 40) &
               (OP_TAILS - 1);
    OpTail *c = &o->op_tails[h];
    if (c->code == e->ptr && c->offset == e->i64b && c->line == e->i64 && c->op == e->i32) {
        put_raw(o, c->text, c->len);
        return;
    }
    size_t tail = o->n;
    unsigned long flushes = o->flushes;
    o->n = start;
    write_line(o, rec);
    size_t len = o->n - tail;
    if (o->flushes == flushes && o->n > tail && len <= OP_TAIL_MAX && e->ptr) {
        *c = (OpTail){ e->ptr, e->i64, e->i64b, e->i32, (uint32_t)len, {0} };
        memcpy(c->text, o->buf + tail, len);
    }
}

static void write_event(Out *o, const Record *rec)
{
    out_room(o, LINE_ROOM);
    if (rec->ev.kind == GS_EV_op)
        write_op_line(o, rec);
    else
        write_line(o, rec);
}

#undef WRITE_KIND
#undef WRITE_NOFIELD
#undef WRITE_FIELD

/* What a written record owned goes back: the strings keep_field copied. */
static inline __attribute__((always_inline)) void drop_field(Buffer *from, GsFieldFormat format,
                                                            const void *p)
{
    if ((format == GS_FMT_TEXT || format == GS_FMT_NAME) && p) {
        atomic_fetch_sub_explicit(&from->owed, strlen(p) + 1, memory_order_relaxed);
        free((void *)p);
    }
}

static void drop_fields(Buffer *from, const Record *rec)
{
#define VISIT(format, slot) drop_field(from, format, SLOT_POINTER(rec->ev.slot))
    VISIT_FIELDS(rec)
#undef VISIT
}

#undef VISIT_FIELDS
#undef VISIT_KIND
#undef VISIT_NOFIELD
#undef VISIT_FIELD

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

/* ---- the writer thread ------------------------------------------------------------------ */

/* The next record of b the writer has not written, or NULL if b has
 * published nothing more; frees the chunks it has finished. */
static Record *peek(Buffer *b)
{
    /* Published records already seen: no need to look at n again (it
     * lives on the owner's side of the line, which changes with every
     * record it publishes). */
    if (b->head_pos < b->head_seen)
        return &b->head->recs[b->head_pos];
    for (;;) {
        size_t n = atomic_load_explicit(&b->head->n, memory_order_acquire);
        b->head_seen = n;
        if (b->head_pos < n)
            return &b->head->recs[b->head_pos];
        if (n < RECORDER_CHUNK)
            return NULL;
        Chunk *next = atomic_load_explicit(&b->head->next, memory_order_acquire);
        if (!next)
            return NULL;
        free(b->head);
        atomic_fetch_sub_explicit(&b->owed, sizeof(Chunk), memory_order_relaxed);
        b->head = next;
        b->head_pos = 0;
        b->head_seen = 0;
    }
}

/* The bufs array as it is now (threads may add to it meanwhile). */
static Buffer **snapshot(GsRecorder *r, size_t *n)
{
    uv_mutex_lock(&r->lock);
    Buffer **copy = malloc((r->nbufs + 1) * sizeof *copy);
    *n = copy ? r->nbufs : 0;
    if (copy && r->nbufs)
        memcpy(copy, r->bufs, r->nbufs * sizeof *copy);
    uv_mutex_unlock(&r->lock);
    return copy;
}

/* How far this round may write: see the watermark at the top. */
static uint64_t watermark(uint64_t now, Buffer **bufs, size_t n)
{
    uint64_t w = now;
    for (size_t i = 0; i < n; i++) {
        /* A read-modify-write of the flag itself: it reads the latest
         * value and is a full barrier, pairing with unpark's exchange. */
        if (atomic_fetch_or_explicit(&bufs[i]->parked, 0, memory_order_seq_cst))
            continue;
        uint64_t t = atomic_load_explicit(&bufs[i]->pub_t, memory_order_acquire);
        if (t < w)
            w = t;
    }
    return w;
}

/* Write, in time order, every published record with t < limit. */
static void write_until(GsRecorder *r, Buffer **bufs, size_t n, uint64_t limit)
{
    for (;;) {
        Record *best = NULL;
        Buffer *from = NULL;
        for (size_t i = 0; i < n; i++) {
            Record *rec = peek(bufs[i]);
            if (rec && rec->ev.t < limit && (!best || before(rec, best))) {
                best = rec;
                from = bufs[i];
            }
        }
        if (!best)
            return;
        write_event(r->out, best);
        atomic_fetch_add_explicit(&r->written, 1, memory_order_relaxed);
        r->last_t = best->ev.t;
        drop_fields(from, best);
        from->head_pos++;
    }
}

/* One round: everything below the watermark (final: everything). */
static void drain(GsRecorder *r, bool final)
{
    /* "now" first, then the list of threads: a thread that registers
     * after the snapshot (under its mutex) reads the clock after "now". */
    uint64_t now = gs_now_ns(r->platform) - r->t0;
    size_t n;
    Buffer **bufs = snapshot(r, &n);
    if (!bufs)
        return;
    uint64_t limit = final ? UINT64_MAX : watermark(now, bufs, n);
    write_until(r, bufs, n, limit);
    out_flush(r->out);
    free(bufs);
}

/* The writer sleeps WRITER_PERIOD_NS between rounds while there is work,
 * and backs off (up to 32 times longer) while there is none, so that a
 * quiet trace costs the guest's cores almost nothing.  A thread that fills
 * a chunk or waits for the writer wakes it at once. */
static void writer_main(void *arg)
{
    GsRecorder *r = arg;
    uint64_t period = WRITER_PERIOD_NS;
    uv_mutex_lock(&r->wlock);
    while (!r->stopping) {
        uv_cond_timedwait(&r->wake, &r->wlock, period);
        if (r->stopping)
            break;
        uv_mutex_unlock(&r->wlock);
        size_t before_round = atomic_load(&r->written);
        drain(r, false);
        if (atomic_load(&r->written) != before_round)
            period = WRITER_PERIOD_NS;
        else if (period < 32 * WRITER_PERIOD_NS)
            period *= 2;
        uv_mutex_lock(&r->wlock);
    }
    uv_mutex_unlock(&r->wlock);
}

static void stop_writer(GsRecorder *r)
{
    if (!atomic_load(&r->writer_running))
        return;
    uv_mutex_lock(&r->wlock);
    r->stopping = true;
    uv_cond_signal(&r->wake);
    uv_mutex_unlock(&r->wlock);
    uv_thread_join(&r->writer);
    atomic_store(&r->writer_running, false);
}

static void free_buffers(GsRecorder *r)
{
    for (size_t i = 0; i < r->nbufs; i++) {
        Buffer *b = r->bufs[i];
        Chunk *c = b->head;
        while (c) {
            Chunk *next = atomic_load(&c->next);
            free(c);
            c = next;
        }
        for (size_t j = 0; j < b->names_cap; j++)
            free(b->names[j].name);
        free(b->names);
        free(b);
    }
    free(r->bufs);
    r->bufs = NULL;
    r->nbufs = 0;
}

int gs_recorder_finish(GsRecorder *r, GsInterp *interp, int status, const char *reason)
{
    interp->trace_mask = 0;
    interp->trace_sink = NULL;
    interp->trace_park = NULL;
    interp->on_ref = NULL;
    gs_ref_tracing = false;
    uint64_t end_t = interp->platform->now_ns(interp->platform) - r->t0;
    stop_writer(r);
    drain(r, true);
    Out *o = r->out;
    if (end_t < r->last_t)
        end_t = r->last_t;
    field_i64(o, "{\"ev\":\"end\",\"t\":", (int64_t)end_t);
    field_i64(o, ",\"status\":", status);
    put(o, ",\"reason\":\"");
    put(o, reason);
    field_i64(o, "\",\"events\":", (int64_t)atomic_load(&r->written));
    field_i64(o, ",\"dropped\":", (int64_t)atomic_load(&r->dropped));
    field_i64(o, ",\"checks\":", interp->total_checks);   /* eval-breaker checks, all threads */
    field_i64(o, ",\"switches\":", interp->gil->switches);
    put(o, "}\n");
    out_flush(o);
    /* The trace replaces the target only if every byte of it was written:
     * after a failed write the old file stays (outfile.h). */
    int rc = 0;
    char err[600];
    if (o->failed) {
        gs_outfile_error(&r->file, o->err, err, sizeof err);
        gs_outfile_abort(&r->file);
        rc = -1;
    } else if (gs_outfile_commit(&r->file, err, sizeof err) < 0) {
        rc = -1;
    }
    if (rc < 0)
        fprintf(stderr, "gilscope: %s\n", err);
    free(o);
    free_buffers(r);
    if (r->ref_types) {
        for (char **p = r->ref_types; *p; p++)
            free(*p);
        free(r->ref_types);
    }
    uv_mutex_destroy(&r->lock);
    uv_mutex_destroy(&r->wlock);
    uv_cond_destroy(&r->wake);
    free(r);
    interp->trace_ctx = NULL;
    return rc;
}
