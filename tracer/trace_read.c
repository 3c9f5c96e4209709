/*
 * trace_read.c -- the trace loader (see trace_read.h for the contract).
 *
 * HOW A LINE IS READ.  Lines come from a small reader of our own rather than
 * getline(): getline would grow its buffer to the length of whatever it is
 * given, so a multi-gigabyte file without a newline (a core dump passed by
 * mistake) would be read whole into memory before we could refuse it.  Ours
 * stops at GS_TRACE_MAX_LINE.  Each line is then checked in this order:
 * NUL bytes, UTF-8, JSON (cJSON, whose nesting limit keeps hostile nesting
 * shallow), "is an object", "ev", "t"; then the fields of its kind.
 *
 * WHY NUMBERS ARE READ FROM valuedouble.  cJSON keeps numbers as doubles and
 * its valueint saturates at INT_MAX, so a time of 3 s (3e9 ns) would read
 * wrong through valueint.  A double holds every integer below 2^53 exactly,
 * so integers are accepted strictly between -2^53 and 2^53 (2^53 itself is
 * out: 2^53 + 1 parses to it) and anything else (1.5, 1e400, NaN) is refused
 * with a message.
 *
 * THE CUT-OFF FILE.  A run killed mid-write leaves a last line that stops
 * anywhere, with no "\n".  Such a line that does not parse is dropped with
 * a warning instead of failing the load; a line that does not parse but
 * *does* end with "\n" was written broken, and is an error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "trace_read.h"

#define MAX_EXACT_INT 9007199254740992.0   /* 2^53 */

static const char *const kind_names[] = {
#define GS_X_TK_NAME(name) #name,
    GS_TRACE_KINDS(GS_X_TK_NAME)
#undef GS_X_TK_NAME
};

static const char *const why_names[] = {
#define GS_X_WHY_NAME(name) #name,
    GS_TRACE_WHYS(GS_X_WHY_NAME)
#undef GS_X_WHY_NAME
};

/* Kinds of the format that the model does not keep: checked, then skipped. */
static const char *const unkept_kinds[] = {
    "lock_request", "lock_acquire", "lock_release", "io_begin", "io_end", "ticks", "op",
};

const char *gs_trace_why_name(int why)
{
    return why >= 0 && why < GS_WHY_COUNT ? why_names[why] : "?";
}

const char *gs_trace_kind_name(int kind)
{
    return kind >= 0 && kind < GS_TK_COUNT ? kind_names[kind] : "?";
}

/* ---- the loader's state ------------------------------------------------------- */

typedef struct {
    GsTrace *tr;
    char *err;                /* the caller's buffer */
    size_t errlen;
    size_t line;              /* the line being read, from 1 */
    size_t good_line;         /* the last line taken in */
    int32_t *slot;            /* tid -> 1 + index in tr->threads, 0 = none yet */
    size_t nslots;
    size_t threads_cap;
    int64_t last_t;           /* t of the previous line: t never goes back */
    bool seen_meta, seen_end;
    size_t event_lines;       /* lines between meta and end, to check end's "events" */
    size_t unknown;           /* lines of unknown kinds, and the first one */
    size_t unknown_line;
    char unknown_kind[40];
} Loader;

/* Set err to "FILE:LINE: message" and return -1. */
static int fail(Loader *ld, const char *fmt, ...)
{
    int n = snprintf(ld->err, ld->errlen, "%s:%zu: ", ld->tr->name, ld->line);
    if (n < 0 || (size_t)n >= ld->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Add a printf-formatted warning to the trace (dropped if memory is short:
 * a missing warning must not turn a good load into a failure). */
static void warn(GsTrace *tr, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **w = realloc(tr->warnings, (tr->nwarnings + 1) * sizeof *w);
    if (!w)
        return;
    tr->warnings = w;
    if ((w[tr->nwarnings] = strdup(buf)) != NULL)
        tr->nwarnings++;
}

/* ---- the string pool -----------------------------------------------------------
 *
 * Thread names and type names repeat (a ref trace names "list" a million
 * times), so strings are interned: each distinct string is stored once, and
 * an open-addressing hash table of offsets finds it again.  Offset 0 is the
 * empty string, so a zeroed event field means "no string". */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;           /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int index_grow(GsTrace *tr)
{
    size_t cap = tr->string_index_cap ? tr->string_index_cap * 2 : 256;
    uint32_t *idx = calloc(cap, sizeof *idx);
    if (!idx)
        return -1;
    for (size_t i = 0; i < tr->string_index_cap; i++) {
        uint32_t off = tr->string_index[i];
        if (!off)
            continue;
        size_t j = hash_str(tr->strings + off) & (cap - 1);
        while (idx[j])
            j = (j + 1) & (cap - 1);
        idx[j] = off;
    }
    free(tr->string_index);
    tr->string_index = idx;
    tr->string_index_cap = cap;
    return 0;
}

/* Append s to the pool; its offset, or 0 with *ok = false when out of room. */
static uint32_t pool_append(GsTrace *tr, const char *s, size_t len, bool *ok)
{
    if (tr->strings_len + len + 1 > UINT32_MAX) {
        *ok = false;
        return 0;
    }
    if (tr->strings_len + len + 1 > tr->strings_cap) {
        size_t cap = tr->strings_cap * 2;
        while (cap < tr->strings_len + len + 1)
            cap *= 2;
        char *p = realloc(tr->strings, cap);
        if (!p) {
            *ok = false;
            return 0;
        }
        tr->strings = p;
        tr->strings_cap = cap;
    }
    uint32_t off = (uint32_t)tr->strings_len;
    memcpy(tr->strings + off, s, len + 1);
    tr->strings_len += len + 1;
    return off;
}

/* The pool offset of s, adding it if new.  Returns -1 when out of memory. */
static int intern(GsTrace *tr, const char *s, uint32_t *out)
{
    if (!*s) {
        *out = 0;
        return 0;
    }
    if ((tr->nstrings + 1) * 2 > tr->string_index_cap && index_grow(tr) < 0)
        return -1;
    size_t mask = tr->string_index_cap - 1;
    size_t j = hash_str(s) & mask;
    for (; tr->string_index[j]; j = (j + 1) & mask) {
        if (strcmp(tr->strings + tr->string_index[j], s) == 0) {
            *out = tr->string_index[j];
            return 0;
        }
    }
    bool ok = true;
    uint32_t off = pool_append(tr, s, strlen(s), &ok);
    if (!ok)
        return -1;
    tr->string_index[j] = off;
    tr->nstrings++;
    *out = off;
    return 0;
}

const char *gs_trace_str(const GsTrace *tr, uint32_t offset)
{
    return offset < tr->strings_len ? tr->strings + offset : "";
}

/* ---- reading lines ---------------------------------------------------------------- */

typedef enum { LINE_OK, LINE_EOF, LINE_TOO_LONG, LINE_IO_ERROR } LineStatus;

/* Read one line into buf (capacity GS_TRACE_MAX_LINE + 1) without its "\n";
 * *newline tells whether the "\n" was there (it is not on a cut-off line). */
static LineStatus read_line(FILE *f, char *buf, size_t *len, bool *newline)
{
    size_t n = 0;
    int c;
    *newline = false;
    while ((c = getc_unlocked(f)) != EOF) {
        if (c == '\n') {
            *newline = true;
            break;
        }
        if (n == GS_TRACE_MAX_LINE)
            return LINE_TOO_LONG;
        buf[n++] = (char)c;
    }
    if (c == EOF && ferror(f))
        return LINE_IO_ERROR;
    if (c == EOF && n == 0)
        return LINE_EOF;
    buf[n] = '\0';
    *len = n;
    return LINE_OK;
}

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* Is s[0..len) well-formed UTF-8?  (No overlong forms, no surrogates,
 * nothing above U+10FFFF: what RFC 3629 allows.) */
static bool valid_utf8(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t extra;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1, min = 0x80, c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2, min = 0x800, c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        if (len - i <= extra)
            return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (s[i + k] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
        i += extra + 1;
    }
    return true;
}

/* ---- reading fields ---------------------------------------------------------------- */

static const char *json_type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    return "an object";
}

/* Read the integer field key into *out, which must lie in lo..hi. */
static int get_int(Loader *ld, const cJSON *obj, const char *key, int64_t lo, int64_t hi,
                   int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return fail(ld, "expected an integer \"%s\", it is missing", key);
    if (!cJSON_IsNumber(v))
        return fail(ld, "expected an integer \"%s\", got %s", key, json_type_name(v));
    double d = v->valuedouble;
    /* NaN fails both comparisons, so it lands here too. */
    if (!(d > -MAX_EXACT_INT && d < MAX_EXACT_INT))
        return fail(ld, "\"%s\" is out of range (%.16g)", key, d);
    if ((double)(int64_t)d != d)
        return fail(ld, "expected an integer \"%s\", got %.16g", key, d);
    int64_t i = (int64_t)d;
    if (i < lo && lo == 0)
        return fail(ld, "\"%s\" is negative (%lld)", key, (long long)i);
    if (i < lo || i > hi)
        return fail(ld, "\"%s\" is out of range (%lld; expected %lld..%lld)", key,
                    (long long)i, (long long)lo, (long long)hi);
    *out = i;
    return 0;
}

/* An integer field that may be absent (then *out = -1). */
static int get_opt_int(Loader *ld, const cJSON *obj, const char *key, int64_t *out)
{
    *out = -1;
    if (!cJSON_GetObjectItemCaseSensitive(obj, key))
        return 0;
    return get_int(ld, obj, key, INT64_MIN, INT64_MAX, out);
}

static int get_str(Loader *ld, const cJSON *obj, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return fail(ld, "expected a string \"%s\", it is missing", key);
    if (!cJSON_IsString(v) || !v->valuestring)
        return fail(ld, "expected a string \"%s\", got %s", key, json_type_name(v));
    *out = v->valuestring;
    return 0;
}

/* A string field, interned in the pool. */
static int get_pooled(Loader *ld, const cJSON *obj, const char *key, uint32_t *out)
{
    const char *s;
    if (get_str(ld, obj, key, &s) < 0)
        return -1;
    if (intern(ld->tr, s, out) < 0)
        return fail(ld, "out of memory");
    return 0;
}

static int get_tid(Loader *ld, const cJSON *obj, int *tid)
{
    int64_t v;
    if (get_int(ld, obj, "tid", 0, GS_TRACE_MAX_TID - 1, &v) < 0)
        return -1;
    *tid = (int)v;
    return 0;
}

/* ---- threads ------------------------------------------------------------------------ */

/* The thread with this tid, created on first sight. */
static GsTraceThread *thread_for(Loader *ld, int tid)
{
    GsTrace *tr = ld->tr;
    if ((size_t)tid >= ld->nslots) {
        size_t n = ld->nslots ? ld->nslots : 16;
        while (n <= (size_t)tid)
            n *= 2;
        int32_t *s = realloc(ld->slot, n * sizeof *s);
        if (!s)
            return NULL;
        memset(s + ld->nslots, 0, (n - ld->nslots) * sizeof *s);
        ld->slot = s;
        ld->nslots = n;
    }
    if (ld->slot[tid])
        return &tr->threads[ld->slot[tid] - 1];
    if (tr->nthreads == ld->threads_cap) {
        size_t cap = ld->threads_cap ? ld->threads_cap * 2 : 8;
        GsTraceThread *t = realloc(tr->threads, cap * sizeof *t);
        if (!t)
            return NULL;
        tr->threads = t;
        ld->threads_cap = cap;
    }
    GsTraceThread *th = &tr->threads[tr->nthreads++];
    memset(th, 0, sizeof *th);
    th->tid = tid;
    ld->slot[tid] = (int32_t)tr->nthreads;
    return th;
}

/* A new zeroed event at the end of tid's array, or NULL with err set. */
static GsTraceEvent *new_event(Loader *ld, int tid, int kind, int64_t t)
{
    GsTraceThread *th = thread_for(ld, tid);
    if (!th) {
        fail(ld, "out of memory");
        return NULL;
    }
    if (th->nevents == th->cap) {
        size_t cap = th->cap ? th->cap * 2 : 64;
        GsTraceEvent *e = realloc(th->events, cap * sizeof *e);
        if (!e) {
            fail(ld, "out of memory");
            return NULL;
        }
        th->events = e;
        th->cap = cap;
    }
    GsTraceEvent *ev = &th->events[th->nevents++];
    memset(ev, 0, sizeof *ev);
    ev->t = t;
    ev->kind = (uint8_t)kind;
    ev->line = (uint32_t)ld->line;
    return ev;
}

/* ---- the kinds' fields --------------------------------------------------------------- */

static int read_holder(Loader *ld, const cJSON *obj, GsTraceEvent *ev)
{
    int64_t h;
    if (get_int(ld, obj, "holder", -1, GS_TRACE_MAX_TID - 1, &h) < 0)
        return -1;
    ev->holder = (int32_t)h;
    return 0;
}

static int read_why(Loader *ld, const cJSON *obj, GsTraceEvent *ev)
{
    const char *why;
    if (get_str(ld, obj, "why", &why) < 0)
        return -1;
    for (int i = 0; i < GS_WHY_COUNT; i++) {
        if (strcmp(why, why_names[i]) == 0) {
            ev->why = (uint8_t)i;
            return get_int(ld, obj, "held", 0, INT64_MAX, &ev->held);
        }
    }
    return fail(ld, "unknown \"why\": \"%.40s\" (expected check, drop_request, sleep, io, "
                "lock, join, wait or exit)", why);
}

static int read_gc(Loader *ld, const cJSON *obj, GsTraceEvent *ev)
{
    int64_t gen;
    if (get_int(ld, obj, "gen", 0, 2, &gen) < 0)
        return -1;
    ev->gc.gen = (int32_t)gen;
    if (ev->kind == GS_TK_gc_end)
        return get_int(ld, obj, "collected", 0, INT64_MAX, &ev->gc.collected);
    return 0;
}

static int read_ref(Loader *ld, const cJSON *obj, GsTraceEvent *ev)
{
    if (get_int(ld, obj, "obj", 0, INT64_MAX, &ev->ref.obj) < 0 ||
        get_pooled(ld, obj, "type", &ev->ref.type) < 0)
        return -1;
    if (ev->kind == GS_TK_dealloc)
        return 0;
    int64_t delta;
    if (get_int(ld, obj, "refcnt", 0, INT64_MAX, &ev->ref.refcnt) < 0 ||
        get_int(ld, obj, "delta", INT32_MIN, INT32_MAX, &delta) < 0)
        return -1;
    ev->ref.delta = (int32_t)delta;
    return 0;
}

/* The kind-specific fields of a kept event. */
static int read_fields(Loader *ld, const cJSON *obj, GsTraceEvent *ev, GsTraceThread *th)
{
    switch (ev->kind) {
    case GS_TK_gil_request:
    case GS_TK_gil_retry:
    case GS_TK_gil_drop_request:
        return read_holder(ld, obj, ev);
    case GS_TK_gil_acquire:
        return get_int(ld, obj, "wait", 0, INT64_MAX, &ev->wait);
    case GS_TK_gil_release:
        return read_why(ld, obj, ev);
    case GS_TK_thread_start:
        if (get_pooled(ld, obj, "name", &ev->name) < 0)
            return -1;
        th->name = ev->name;
        return 0;
    case GS_TK_thread_end:
        th->ended = true;
        return 0;
    case GS_TK_gc_start:
    case GS_TK_gc_end:
        return read_gc(ld, obj, ev);
    case GS_TK_print:
        return get_pooled(ld, obj, "text", &ev->text);
    default:
        return read_ref(ld, obj, ev);
    }
}

/* ---- meta and end ------------------------------------------------------------------ */

/* A meta field as a string, or "" (meta fields the model does not rely on
 * are not required: a trace stays readable without them). */
static const char *meta_str(const cJSON *meta, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

/* The first line.  On success the trace takes obj over (*keep = true). */
static int read_meta(Loader *ld, cJSON *obj, int64_t t, bool *keep)
{
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(obj, "format");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, "gilscope-trace") != 0)
        return fail(ld, "not a gilscope trace (the meta line's \"format\" is not "
                    "\"gilscope-trace\")");
    int64_t version;
    if (get_int(ld, obj, "version", 1, INT64_MAX, &version) < 0)
        return -1;
    if (version != 1)
        return fail(ld, "trace format version %lld; this gilscope reads version 1",
                    (long long)version);
    GsTrace *tr = ld->tr;
    tr->meta = obj;
    *keep = true;
    tr->script = meta_str(obj, "script");
    tr->cpython = meta_str(obj, "cpython");
    tr->policy = meta_str(obj, "policy");
    tr->t_start = t;
    ld->seen_meta = true;
    return 0;
}

static int read_end(Loader *ld, const cJSON *obj)
{
    GsTraceEnd *e = &ld->tr->end;
    if (get_opt_int(ld, obj, "status", &e->status) < 0 ||
        get_opt_int(ld, obj, "events", &e->events) < 0 ||
        get_opt_int(ld, obj, "dropped", &e->dropped) < 0 ||
        get_opt_int(ld, obj, "ticks", &e->ticks) < 0 ||
        get_opt_int(ld, obj, "switches", &e->switches) < 0)
        return -1;
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(obj, "reason");
    if (reason) {
        if (!cJSON_IsString(reason))
            return fail(ld, "expected a string \"reason\", got %s", json_type_name(reason));
        snprintf(e->reason, sizeof e->reason, "%s", reason->valuestring);
    }
    ld->seen_end = true;
    ld->tr->complete = true;
    return 0;
}

/* ---- one line ------------------------------------------------------------------------ */

static int find_kind(const char *ev)
{
    for (int i = 0; i < GS_TK_COUNT; i++)
        if (strcmp(ev, kind_names[i]) == 0)
            return i;
    return -1;
}

static bool is_unkept_kind(const char *ev)
{
    for (size_t i = 0; i < sizeof unkept_kinds / sizeof unkept_kinds[0]; i++)
        if (strcmp(ev, unkept_kinds[i]) == 0)
            return true;
    return false;
}

/* An event line (neither meta nor end). */
static int read_event(Loader *ld, const cJSON *obj, const char *ev, int64_t t)
{
    int tid;
    int kind = find_kind(ev);
    ld->event_lines++;
    if (kind < 0 && !is_unkept_kind(ev)) {
        /* Forward compatibility: a newer gilscope's kind.  Remember the first. */
        if (ld->unknown++ == 0) {
            snprintf(ld->unknown_kind, sizeof ld->unknown_kind, "%s", ev);
            ld->unknown_line = ld->line;
        }
        ld->tr->nskipped++;
        return 0;
    }
    if (get_tid(ld, obj, &tid) < 0)
        return -1;
    if (kind < 0) {
        ld->tr->nskipped++;
        return 0;
    }
    GsTraceEvent *e = new_event(ld, tid, kind, t);
    if (!e)
        return -1;
    GsTraceThread *th = &ld->tr->threads[ld->slot[tid] - 1];
    return read_fields(ld, obj, e, th);
}

/* "ev" and "t", the ordering rules, then the line's kind.  *keep is set when
 * the trace took obj over (the meta line). */
static int read_object(Loader *ld, cJSON *obj, bool *keep)
{
    const char *ev;
    int64_t t;
    if (!ld->seen_meta) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "ev");
        if (!cJSON_IsString(v) || strcmp(v->valuestring, "meta") != 0)
            return fail(ld, "not a gilscope trace (no meta line)");
    }
    if (ld->seen_end)
        return fail(ld, "a line after the end line");
    if (get_str(ld, obj, "ev", &ev) < 0 || get_int(ld, obj, "t", 0, INT64_MAX, &t) < 0)
        return -1;
    if (ld->seen_meta && t < ld->last_t)
        return fail(ld, "lines out of order: t goes back (from %lld to %lld)",
                    (long long)ld->last_t, (long long)t);
    ld->last_t = t;
    ld->tr->t_end = t;
    if (!ld->seen_meta)
        return read_meta(ld, obj, t, keep);
    if (strcmp(ev, "meta") == 0)
        return fail(ld, "a second meta line");
    if (strcmp(ev, "end") == 0)
        return read_end(ld, obj);
    return read_event(ld, obj, ev, t);
}

/* Why a line is not a JSON object: NUL bytes, bad UTF-8, bad JSON, another
 * value, or text after the object.  Returns the parsed object, or NULL with
 * err set. */
static cJSON *parse_line(Loader *ld, const char *buf, size_t len)
{
    if (memchr(buf, '\0', len)) {
        fail(ld, "not JSON (a NUL byte: binary data?)");
        return NULL;
    }
    if (!valid_utf8((const unsigned char *)buf, len)) {
        fail(ld, "not JSON (not valid UTF-8)");
        return NULL;
    }
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!obj) {
        fail(ld, "not JSON");
        return NULL;
    }
    /* cJSON stops after the first value; "{...} junk" must not pass. */
    if (end && !is_blank(end, len - (size_t)(end - buf))) {
        cJSON_Delete(obj);
        fail(ld, "not JSON (text after the object)");
        return NULL;
    }
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        fail(ld, "not a JSON object");
        return NULL;
    }
    return obj;
}

/* ---- the whole file -------------------------------------------------------------------- */

/* The warnings a finished load may deserve. */
static void final_warnings(Loader *ld)
{
    GsTrace *tr = ld->tr;
    if (ld->unknown)
        warn(tr, "%s: skipped %zu event%s of kinds this gilscope does not know "
             "(the first: \"%s\" at line %zu)", tr->name, ld->unknown,
             ld->unknown == 1 ? "" : "s", ld->unknown_kind, ld->unknown_line);
    if (!tr->complete) {
        warn(tr, "%s: no end line: the trace was cut off; loaded up to line %zu (t = %lld ns)",
             tr->name, ld->good_line, (long long)tr->t_end);
        return;
    }
    if (tr->end.dropped > 0)
        warn(tr, "%s: the recorder dropped %lld events: the numbers may be off", tr->name,
             (long long)tr->end.dropped);
    if (tr->end.events >= 0 && (size_t)tr->end.events != ld->event_lines)
        warn(tr, "%s: the end line counts %lld events, the file has %zu", tr->name,
             (long long)tr->end.events, ld->event_lines);
}

static int by_tid(const void *a, const void *b)
{
    const GsTraceThread *x = a, *y = b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

/* One line: parse it and take it in.  A last line cut off mid-write (no "\n"
 * and unparseable) is dropped with a warning. */
static int load_line(Loader *ld, const char *buf, size_t len, bool newline)
{
    if (is_blank(buf, len))
        return 0;
    cJSON *obj = parse_line(ld, buf, len);
    if (!obj) {
        if (!ld->seen_meta)
            return fail(ld, "not a gilscope trace (no meta line)");
        if (!newline) {
            warn(ld->tr, "%s:%zu: the last line is incomplete (the file was cut off "
                 "mid-write); ignored it", ld->tr->name, ld->line);
            return 0;
        }
        return -1;
    }
    bool keep = false;
    int rc = read_object(ld, obj, &keep);
    if (!keep)
        cJSON_Delete(obj);
    if (rc == 0)
        ld->good_line = ld->line;
    return rc;
}

static int load_lines(Loader *ld, FILE *f)
{
    char *buf = malloc(GS_TRACE_MAX_LINE + 1);
    if (!buf)
        return fail(ld, "out of memory");
    int rc = 0;
    for (;;) {
        size_t len = 0;
        bool newline;
        LineStatus st = read_line(f, buf, &len, &newline);
        if (st == LINE_EOF)
            break;
        ld->line++;
        ld->tr->nlines = ld->line;
        if (st == LINE_TOO_LONG)
            rc = fail(ld, "line longer than %zu bytes: not a trace line", GS_TRACE_MAX_LINE);
        else if (st == LINE_IO_ERROR)   /* a directory, a failing disk: no line to blame */
            rc = -1, snprintf(ld->err, ld->errlen, "%s: %s", ld->tr->name, strerror(errno));
        else if (ld->line > UINT32_MAX)
            rc = fail(ld, "too many lines");
        else
            rc = load_line(ld, buf, len, newline);
        if (rc < 0 || !newline)
            break;
    }
    free(buf);
    return rc;
}

int gs_trace_read(FILE *f, const char *name, GsTrace **out, char *err, size_t errlen)
{
    *out = NULL;
    GsTrace *tr = calloc(1, sizeof *tr);
    Loader ld = { .tr = tr, .err = err, .errlen = errlen };
    if (!tr || !(tr->name = strdup(name)) || !(tr->strings = calloc(1, 64))) {
        snprintf(err, errlen, "%s: out of memory", name);
        gs_trace_free(tr);
        return -1;
    }
    tr->strings_len = 1;    /* offset 0: "" */
    tr->strings_cap = 64;
    tr->end = (GsTraceEnd){ -1, -1, -1, -1, -1, "" };
    int rc = load_lines(&ld, f);
    if (rc == 0 && !ld.seen_meta)
        rc = -1, snprintf(err, errlen, "%s: empty file: not a gilscope trace", name);
    free(ld.slot);
    if (rc < 0) {
        gs_trace_free(tr);
        return -1;
    }
    if (tr->nthreads > 1)   /* qsort(NULL, 0, ...) is undefined behaviour */
        qsort(tr->threads, tr->nthreads, sizeof *tr->threads, by_tid);
    final_warnings(&ld);
    *out = tr;
    return 0;
}

int gs_trace_load(const char *path, GsTrace **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = gs_trace_read(f, path, out, err, errlen);
    fclose(f);
    return rc;
}

void gs_trace_free(GsTrace *tr)
{
    if (!tr)
        return;
    for (size_t i = 0; i < tr->nthreads; i++)
        free(tr->threads[i].events);
    for (size_t i = 0; i < tr->nwarnings; i++)
        free(tr->warnings[i]);
    free(tr->warnings);
    free(tr->threads);
    free(tr->strings);
    free(tr->string_index);
    cJSON_Delete(tr->meta);
    free(tr->name);
    free(tr);
}

const GsTraceThread *gs_trace_thread(const GsTrace *tr, int tid)
{
    size_t lo = 0, hi = tr->nthreads;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->threads[mid].tid == tid)
            return &tr->threads[mid];
        if (tr->threads[mid].tid < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
