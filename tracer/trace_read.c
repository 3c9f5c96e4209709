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
 * THE FAST PATH.  cJSON builds a tree of allocated nodes for every line, which
 * costs about two microseconds a line: too slow for the viewer's budget of
 * a million events a second.  So a line in the compact form the recorder
 * writes -- {"key":value,...} where every value is a string without
 * escapes or an integer of at most 15 digits -- is split in place by
 * parse_fast() without allocating.  Anything else (spaces, escapes,
 * fractions, nested values, true/false/null, broken text) goes to cJSON,
 * which decides.  The fast path only ever accepts a subset of what cJSON
 * accepts, with the same values, so the two cannot disagree; and both give
 * an Obj, on which the one set of field checks below runs.
 *
 * THE FIELDS.  Which kinds exist, and which fields each has with what
 * format, is vm/threads/event.h's table (GS_EVENTS), the one the recorder writes
 * with.  kinds[] below is generated from it; a kept event's fields are
 * read in the table's order and checked by their format (read_values),
 * then stored by name (keep_event).
 *
 * THE HOOK.  gs_trace_read_hooked() hands every checked event line to a
 * callback (the viewer builds its own compact model from them) and can
 * leave the threads' event arrays empty, so a big trace is never held in
 * memory twice.
 *
 * THE CUT-OFF FILE.  A run killed mid-write leaves a last line that stops
 * anywhere, with no "\n".  Such a line that does not parse is dropped with
 * a warning instead of failing the load; a line that does not parse but
 * *does* end with "\n" was written broken, and is an error.
 */
#include <errno.h>
#include <sys/stat.h>
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

/* ---- format version 1's names (GS_TRACE_VERSION) ----------------------------------- */

static const struct {
    const char *now, *then;
} renamed_in_2[] = {
    { "checks", "ticks" },                   /* an event, its field, an end-line field */
    { "max_instructions", "max_ticks" },     /* an end-line reason */
};

/* The version-2 name of a version-1 name (itself if it was not renamed). */
static const char *name_now(const char *then)
{
    for (size_t i = 0; i < sizeof renamed_in_2 / sizeof renamed_in_2[0]; i++)
        if (strcmp(then, renamed_in_2[i].then) == 0)
            return renamed_in_2[i].now;
    return then;
}

/* The version-1 name of a version-2 name, or NULL if it was not renamed. */
static const char *name_then(const char *now)
{
    for (size_t i = 0; i < sizeof renamed_in_2 / sizeof renamed_in_2[0]; i++)
        if (strcmp(now, renamed_in_2[i].now) == 0)
            return renamed_in_2[i].then;
    return NULL;
}

/* ---- the kinds of the format, from vm/threads/event.h's table ----------------------------- */

typedef struct {
    const char *key;           /* the JSON key; NULL after the last field */
    GsFieldFormat format;
} FieldSpec;

typedef struct {
    const char *name;          /* the "ev" value */
    size_t len;                /* strlen(name) */
    FieldSpec fields[GS_EVENT_MAX_FIELDS + 1];
} KindSpec;

#define SPEC_FIELD(name, type, slot, format) { #name, GS_FMT_##format },
#define SPEC_NOFIELD
#define SPEC_KIND(kind, category, f1, f2, f3, f4) \
    { #kind, sizeof(#kind) - 1, \
      { SPEC_##f1 SPEC_##f2 SPEC_##f3 SPEC_##f4 { NULL, GS_FMT_INT } } },

static const KindSpec kinds[GS_EV_COUNT] = {
    GS_EVENTS(SPEC_KIND)
};

#undef SPEC_KIND
#undef SPEC_NOFIELD
#undef SPEC_FIELD

/* Which GsTraceKind each kind of the format is kept as: 1 + the kind, or
 * 0 for one that is never kept.  (The extra kinds -- lock, io, checks, op
 * -- only with keep_all: see is_extra.) */
static const uint8_t kept_as[GS_EV_COUNT] = {
#define GS_X_TK_KEPT(name) [GS_EV_##name] = GS_TK_##name + 1,
    GS_TRACE_KINDS(GS_X_TK_KEPT)
#undef GS_X_TK_KEPT
};

/*
 * A kept line's field values: a number (a "why" as its GsTraceWhy), or a
 * string (pointing into the line: good until the next line is read).
 * read_values fills `at` in the table's order; the per-kind structs,
 * generated from the same table, name the same values: v.gil_release.held
 * is at[1].  (end_ gives a kind without fields a member: C has no empty
 * structs.)
 */
typedef struct {
    int64_t n;
    const char *s;
} Value;

#define VALUE_FIELD(name, type, slot, format) Value name;
#define VALUE_NOFIELD
#define VALUE_KIND(kind, category, f1, f2, f3, f4) \
    struct { VALUE_##f1 VALUE_##f2 VALUE_##f3 VALUE_##f4 Value end_; } kind;

typedef union {
    Value at[GS_EVENT_MAX_FIELDS];
    GS_EVENTS(VALUE_KIND)
} Values;

#undef VALUE_KIND
#undef VALUE_NOFIELD
#undef VALUE_FIELD

/* Members of one type are laid out like an array: no padding between. */
_Static_assert(offsetof(Values, ref.delta) == 3 * sizeof(Value),
               "a kind's named values line up with at[]");

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
    const GsTraceHooks *hooks;
    uint64_t line_offset;     /* the line's first byte in the file */
    GsTraceEvent scratch;     /* the event being read when hooks->drop_events */
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

/* ---- reading lines ----------------------------------------------------------------
 *
 * The file is read in blocks into one buffer, and lines are found with
 * memchr: no per-byte call, no copy of a line that lies in the buffer.  The
 * buffer holds a whole line of the longest allowed length plus a block, so
 * refilling always makes progress; a line that would not fit is refused. */

#define READ_BLOCK ((size_t)1 << 20)

typedef struct {
    FILE *f;
    char *buf;              /* GS_TRACE_MAX_LINE + 1 + READ_BLOCK + 1 bytes */
    size_t start, end;      /* the bytes not handed out yet: buf[start..end) */
    bool eof;               /* the last fread came up short */
    uint64_t consumed;      /* bytes handed out so far (the next line's offset) */
} LineReader;

typedef enum { LINE_OK, LINE_EOF, LINE_TOO_LONG, LINE_IO_ERROR } LineStatus;

/* Move what is left to the front and read more.  Returns -1 on a read error. */
static int refill(LineReader *rd)
{
    size_t left = rd->end - rd->start;
    memmove(rd->buf, rd->buf + rd->start, left);
    rd->start = 0;
    rd->end = left;
    size_t room = GS_TRACE_MAX_LINE + 1 + READ_BLOCK - left;
    size_t got = fread(rd->buf + left, 1, room, rd->f);
    rd->end += got;
    if (got < room) {
        rd->eof = true;
        if (ferror(rd->f))
            return -1;
    }
    return 0;
}

/* The next line, without its "\n", NUL-terminated in the buffer (the parser
 * may write into it).  *newline tells whether the "\n" was there: it is not
 * on a cut-off last line. */
static LineStatus read_line(LineReader *rd, char **line, size_t *len, bool *newline)
{
    for (;;) {
        char *s = rd->buf + rd->start;
        size_t avail = rd->end - rd->start;
        char *nl = memchr(s, '\n', avail);
        if (nl || (rd->eof && avail > 0)) {
            size_t n = nl ? (size_t)(nl - s) : avail;
            if (n > GS_TRACE_MAX_LINE)
                return LINE_TOO_LONG;
            s[n] = '\0';   /* the "\n", or the spare byte after the data */
            *line = s;
            *len = n;
            *newline = nl != NULL;
            rd->start += n + (nl != NULL);
            rd->consumed += n + (nl != NULL);
            return LINE_OK;
        }
        if (avail > GS_TRACE_MAX_LINE)
            return LINE_TOO_LONG;
        if (rd->eof)
            return LINE_EOF;
        if (refill(rd) < 0)
            return LINE_IO_ERROR;
    }
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
        /* Trace lines are nearly all ASCII: skip eight such bytes at a time. */
        uint64_t w;
        if (len - i >= 8 && (memcpy(&w, s + i, 8), (w & 0x8080808080808080u) == 0)) {
            i += 8;
            continue;
        }
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

/* ---- a line as an object -----------------------------------------------------------
 *
 * Obj is a parsed line, from either path: the fast path's fields (keys and
 * strings point into the line buffer), or cJSON's tree.  Val is one field's
 * value as the checks below need it.  A key that appears twice means its
 * first value on both paths (cJSON_GetObjectItem finds the first). */

typedef enum { VAL_MISSING, VAL_STRING, VAL_NUMBER, VAL_BOOL, VAL_NULL, VAL_ARRAY,
               VAL_OBJECT } ValType;

typedef struct {
    ValType type;
    double num;             /* VAL_NUMBER */
    const char *str;        /* VAL_STRING: NUL-terminated */
} Val;

#define FAST_MAX_FIELDS 16

typedef struct {
    const cJSON *json;      /* the cJSON path's object; NULL on the fast path */
    int nfields;            /* the fast path's fields */
    const char *keys[FAST_MAX_FIELDS];
    Val vals[FAST_MAX_FIELDS];
} Obj;

static Val val_of_json(const cJSON *v)
{
    Val r = { VAL_MISSING, 0, NULL };
    if (!v)
        return r;
    if (cJSON_IsString(v) && v->valuestring)
        r.type = VAL_STRING, r.str = v->valuestring;
    else if (cJSON_IsNumber(v))
        r.type = VAL_NUMBER, r.num = v->valuedouble;
    else if (cJSON_IsBool(v))
        r.type = VAL_BOOL;
    else if (cJSON_IsNull(v))
        r.type = VAL_NULL;
    else if (cJSON_IsArray(v))
        r.type = VAL_ARRAY;
    else
        r.type = VAL_OBJECT;
    return r;
}

static Val obj_get(const Obj *o, const char *key)
{
    if (o->json)
        return val_of_json(cJSON_GetObjectItemCaseSensitive(o->json, key));
    for (int i = 0; i < o->nfields; i++)
        if (o->keys[i][0] == key[0] && strcmp(o->keys[i], key) == 0)
            return o->vals[i];
    return (Val){ VAL_MISSING, 0, NULL };
}

static const char *val_type_name(Val v)
{
    static const char *const names[] = {
        "nothing", "a string", "a number", "a boolean", "null", "an array", "an object",
    };
    return names[v.type];
}

/* A string starting at s[*i] (just after its opening quote), without
 * escapes or control characters; *i is left on the closing quote. */
static bool fast_string(const char *s, size_t len, size_t *i)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t k = *i;
    /* Eight bytes at a time: flag bytes that are '"', '\\' or below 0x20
     * ((x - 1) & ~x has the high bit set where x is 0; the lowest flagged
     * byte is always a true one). */
    while (len - k >= 8) {
        uint64_t w, q, b;
        memcpy(&w, s + k, 8);
        q = w ^ (ones * '"');
        b = w ^ (ones * '\\');
        uint64_t hit = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs;
        if (hit) {
            k += (size_t)__builtin_ctzll(hit) / 8;   /* the first flagged byte (little-endian) */
            break;
        }
        k += 8;
    }
    while (k < len && s[k] != '"') {
        if (s[k] == '\\' || (unsigned char)s[k] < 0x20)
            return false;
        k++;
    }
    *i = k;
    return k < len;
}

/* An integer of 1 to 15 digits (below 2^53: exact as a double). */
static bool fast_int(const char *s, size_t len, size_t *i, double *out)
{
    size_t k = *i;
    bool neg = k < len && s[k] == '-';
    k += neg;
    size_t first = k;
    int64_t n = 0;
    while (k < len && s[k] >= '0' && s[k] <= '9') {
        n = n * 10 + (s[k++] - '0');
        if (k - first > 15)
            return false;
    }
    if (k == first)
        return false;
    *out = (double)(neg ? -n : n);
    *i = k;
    return true;
}

/* The fast path (see the top of the file).  On success the keys and
 * strings are NUL-terminated in place; on failure nothing was changed. */
static bool parse_fast(char *s, size_t len, Obj *o)
{
    size_t quotes[2 * FAST_MAX_FIELDS];
    int nquotes = 0;
    size_t i = 1;
    o->json = NULL;
    o->nfields = 0;
    if (len < 2 || s[0] != '{')
        return false;
    if (s[1] == '}')
        i = 2;
    while (i == 1 || s[i - 1] == ',') {
        if (o->nfields == FAST_MAX_FIELDS || i >= len || s[i] != '"')
            return false;
        o->keys[o->nfields] = s + ++i;
        if (!fast_string(s, len, &i))
            return false;
        quotes[nquotes++] = i++;
        if (i + 1 >= len || s[i++] != ':')
            return false;
        Val *v = &o->vals[o->nfields++];
        if (s[i] == '"') {
            v->type = VAL_STRING;
            v->str = s + ++i;
            if (!fast_string(s, len, &i))
                return false;
            quotes[nquotes++] = i++;
        } else {
            v->type = VAL_NUMBER;
            if (!fast_int(s, len, &i, &v->num))
                return false;
        }
        if (i >= len || (s[i] != ',' && s[i] != '}'))
            return false;
        i++;
    }
    if (s[i - 1] != '}' || !is_blank(s + i, len - i))
        return false;
    for (int k = 0; k < nquotes; k++)
        s[quotes[k]] = '\0';
    return true;
}

/* ---- reading fields ---------------------------------------------------------------- */

/* A field of a line by its version-2 key; in a version-1 trace, a key
 * renamed since is found under its old name. */
static Val field_of(const Loader *ld, const Obj *obj, const char *key)
{
    Val v = obj_get(obj, key);
    if (v.type == VAL_MISSING && ld->tr->version == 1) {
        const char *then = name_then(key);
        if (then)
            v = obj_get(obj, then);
    }
    return v;
}

/* The key as the line spells it, for messages: a version-1 trace's
 * "ticks" is called "ticks", not "checks". */
static const char *key_in_file(const Loader *ld, const Obj *obj, const char *key)
{
    if (ld->tr->version == 1 && obj_get(obj, key).type == VAL_MISSING && name_then(key))
        return name_then(key);
    return key;
}

/* Read the integer field key into *out, which must lie in lo..hi. */
static int get_int(Loader *ld, const Obj *obj, const char *key, int64_t lo, int64_t hi,
                   int64_t *out)
{
    Val v = field_of(ld, obj, key);
    key = key_in_file(ld, obj, key);   /* from here on, for messages only */
    if (v.type == VAL_MISSING)
        return fail(ld, "expected an integer \"%s\", it is missing", key);
    if (v.type != VAL_NUMBER)
        return fail(ld, "expected an integer \"%s\", got %s", key, val_type_name(v));
    double d = v.num;
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
static int get_opt_int(Loader *ld, const Obj *obj, const char *key, int64_t *out)
{
    *out = -1;
    if (field_of(ld, obj, key).type == VAL_MISSING)
        return 0;
    return get_int(ld, obj, key, INT64_MIN, INT64_MAX, out);
}

static int get_str(Loader *ld, const Obj *obj, const char *key, const char **out)
{
    Val v = field_of(ld, obj, key);
    if (v.type == VAL_MISSING)
        return fail(ld, "expected a string \"%s\", it is missing", key);
    if (v.type != VAL_STRING)
        return fail(ld, "expected a string \"%s\", got %s", key, val_type_name(v));
    *out = v.str;
    return 0;
}

static int get_tid(Loader *ld, const Obj *obj, int *tid)
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
    if (ld->hooks->drop_events) {
        /* The hook keeps what it needs: the thread's array stays empty. */
        GsTraceEvent *ev = &ld->scratch;
        memset(ev, 0, sizeof *ev);
        ev->t = t;
        ev->kind = (uint8_t)kind;
        ev->line = (uint32_t)ld->line;
        return ev;
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

/* A "why" (a GsTraceWhy) read from its name. */
static int read_reason(Loader *ld, const Obj *obj, const char *key, Value *out)
{
    const char *why;
    if (get_str(ld, obj, key, &why) < 0)
        return -1;
    for (int i = 0; i < GS_WHY_COUNT; i++) {
        if (strcmp(why, why_names[i]) == 0) {
            out->n = i;
            return 0;
        }
    }
    return fail(ld, "unknown \"%s\": \"%.40s\" (expected check, drop_request, sleep, io, "
                "lock, join, wait or exit)", key, why);
}

/* One field, checked as its format says: numbers in their range, names
 * among the known ones, strings as strings. */
static int read_value(Loader *ld, const Obj *obj, const FieldSpec *f, Value *out)
{
    switch (f->format) {
    case GS_FMT_INT:
        return get_int(ld, obj, f->key, INT64_MIN, INT64_MAX, &out->n);
    case GS_FMT_NS:
    case GS_FMT_COUNT:
    case GS_FMT_ID:
        return get_int(ld, obj, f->key, 0, INT64_MAX, &out->n);
    case GS_FMT_TID:
        return get_int(ld, obj, f->key, -1, GS_TRACE_MAX_TID - 1, &out->n);
    case GS_FMT_GEN:
        return get_int(ld, obj, f->key, 0, 2, &out->n);
    case GS_FMT_DELTA:
        return get_int(ld, obj, f->key, INT32_MIN, INT32_MAX, &out->n);
    case GS_FMT_REASON:
        return read_reason(ld, obj, f->key, out);
    default:
        return get_str(ld, obj, f->key, &out->s);   /* every kind of string */
    }
}

/* Every field of a kind, in the table's order. */
static int read_values(Loader *ld, const Obj *obj, const KindSpec *spec, Values *v)
{
    for (int i = 0; spec->fields[i].key; i++)
        if (read_value(ld, obj, &spec->fields[i], &v->at[i]) < 0)
            return -1;
    return 0;
}

/* A string value, interned in the pool. */
static int pooled(Loader *ld, Value v, uint32_t *out)
{
    if (intern(ld->tr, v.s, out) < 0)
        return fail(ld, "out of memory");
    return 0;
}

/* Store a kept line's values in its event, by name. */
static int keep_event(Loader *ld, GsTraceEvent *ev, GsTraceThread *th, const Values *v)
{
    switch (ev->kind) {
    case GS_TK_gil_request:
        ev->holder = (int32_t)v->gil_request.holder.n;
        return 0;
    case GS_TK_gil_retry:
        ev->holder = (int32_t)v->gil_retry.holder.n;
        return 0;
    case GS_TK_gil_drop_request:
        ev->holder = (int32_t)v->gil_drop_request.holder.n;
        return 0;
    case GS_TK_gil_acquire:
        ev->wait = v->gil_acquire.wait.n;
        return 0;
    case GS_TK_gil_release:
        ev->why = (uint8_t)v->gil_release.why.n;
        ev->held = v->gil_release.held.n;
        return 0;
    case GS_TK_thread_start:
        if (pooled(ld, v->thread_start.name, &ev->name) < 0)
            return -1;
        th->name = ev->name;
        return 0;
    case GS_TK_thread_end:
        th->ended = true;
        return 0;
    case GS_TK_gc_start:
        ev->gc.gen = (int32_t)v->gc_start.gen.n;
        return 0;
    case GS_TK_gc_end:
        ev->gc.gen = (int32_t)v->gc_end.gen.n;
        ev->gc.collected = v->gc_end.collected.n;
        return 0;
    case GS_TK_print:
        return pooled(ld, v->print.text, &ev->text);
    case GS_TK_ref:
        ev->ref.obj = v->ref.obj.n;
        ev->ref.refcnt = v->ref.refcnt.n;
        ev->ref.delta = (int32_t)v->ref.delta.n;
        return pooled(ld, v->ref.type, &ev->ref.type);
    case GS_TK_dealloc:
        ev->ref.obj = v->dealloc.obj.n;
        return pooled(ld, v->dealloc.type, &ev->ref.type);
    case GS_TK_deadlock:
        ev->dl.obj = v->deadlock.obj.n;
        ev->dl.holder = (int32_t)v->deadlock.holder.n;
        ev->dl.line = v->deadlock.line.n;
        return pooled(ld, v->deadlock.waits_for, &ev->dl.waits_for);
    case GS_TK_deadlock_hold:
        ev->dl.obj = v->deadlock_hold.lock.n;
        ev->dl.holder = -1;
        ev->dl.line = v->deadlock_hold.line.n;
        return 0;
    case GS_TK_lock_request:
    case GS_TK_lock_release:
        ev->lock.lock = v->lock_request.lock.n;   /* both have only "lock" */
        return 0;
    case GS_TK_lock_acquire:
        ev->lock.lock = v->lock_acquire.lock.n;
        ev->lock.wait = v->lock_acquire.wait.n;
        return 0;
    case GS_TK_io_begin:
        return pooled(ld, v->io_begin.kind, &ev->io.kind);
    case GS_TK_io_end:
        ev->io.dur = v->io_end.dur.n;
        return pooled(ld, v->io_end.kind, &ev->io.kind);
    case GS_TK_checks:
        ev->checks = v->checks.checks.n;
        return 0;
    case GS_TK_op:
        ev->op.line = v->op.line.n;
        ev->op.offset = v->op.offset.n;
        if (pooled(ld, v->op.op, &ev->op.name) < 0)
            return -1;
        return pooled(ld, v->op.code, &ev->op.code);
    default:
        return 0;
    }
}

/* A kind kept only when the hooks ask for everything. */
static bool is_extra(int tk)
{
    switch (tk) {
#define GS_X_TK_EXTRA(name) case GS_TK_##name:
    GS_TRACE_EXTRA_KINDS(GS_X_TK_EXTRA)
#undef GS_X_TK_EXTRA
        return true;
    default:
        return false;
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

/* The first line.  On success the trace takes its cJSON tree over. */
static int read_meta(Loader *ld, const Obj *o, int64_t t)
{
    Val format = obj_get(o, "format");
    if (format.type != VAL_STRING || strcmp(format.str, "gilscope-trace") != 0)
        return fail(ld, "not a gilscope trace (the meta line's \"format\" is not "
                    "\"gilscope-trace\")");
    int64_t version;
    if (get_int(ld, o, "version", 1, INT64_MAX, &version) < 0)
        return -1;
    if (version > GS_TRACE_VERSION)
        return fail(ld, "trace format version %lld; this gilscope reads version %d and older",
                    (long long)version, GS_TRACE_VERSION);
    GsTrace *tr = ld->tr;
    tr->version = (int)version;
    cJSON *obj = (cJSON *)o->json;   /* parse_line never takes the fast path for meta */
    tr->meta = obj;
    tr->script = meta_str(obj, "script");
    tr->cpython = meta_str(obj, "cpython");
    tr->policy = meta_str(obj, "policy");
    tr->t_start = t;
    ld->seen_meta = true;
    return 0;
}

static int read_end(Loader *ld, const Obj *obj)
{
    GsTraceEnd *e = &ld->tr->end;
    if (get_opt_int(ld, obj, "status", &e->status) < 0 ||
        get_opt_int(ld, obj, "events", &e->events) < 0 ||
        get_opt_int(ld, obj, "dropped", &e->dropped) < 0 ||
        get_opt_int(ld, obj, "checks", &e->checks) < 0 ||
        get_opt_int(ld, obj, "switches", &e->switches) < 0)
        return -1;
    Val reason = obj_get(obj, "reason");
    if (reason.type != VAL_MISSING) {
        if (reason.type != VAL_STRING)
            return fail(ld, "expected a string \"reason\", got %s", val_type_name(reason));
        const char *name = ld->tr->version == 1 ? name_now(reason.str) : reason.str;
        snprintf(e->reason, sizeof e->reason, "%s", name);
    }
    ld->seen_end = true;
    ld->tr->complete = true;
    return 0;
}

/* ---- one line ------------------------------------------------------------------------ */

/* The kind of the format called ev (a GsEventKind), or -1.  Comparing
 * first letters and lengths first: this runs for every line, and most
 * names differ in one or the other. */
static int find_kind_named(const char *ev)
{
    size_t len = strlen(ev);
    for (int i = 0; i < GS_EV_COUNT; i++)
        if (kinds[i].name[0] == ev[0] && kinds[i].len == len && memcmp(ev, kinds[i].name, len) == 0)
            return i;
    return -1;
}

/* The same, in this trace's version: version 1 knew `checks` as `ticks`. */
static int find_kind(const Loader *ld, const char *ev)
{
    int kind = find_kind_named(ev);
    if (kind < 0 && ld->tr->version == 1)
        kind = find_kind_named(name_now(ev));
    return kind;
}

/* Hand a checked event line to the hook, if there is one. */
static int call_hook(Loader *ld, const Obj *obj, int kind, int tid, int64_t t,
                     const GsTraceEvent *e)
{
    if (!ld->hooks->event)
        return 0;
    GsTraceLine line = {
        .ev = kinds[kind].name, .kind = kind, .t = t, .tid = tid, .line = ld->line,
        .offset = ld->line_offset, .event = e, .loader_ = ld, .obj_ = obj,
    };
    return ld->hooks->event(ld->hooks->ctx, &line);
}

/* An event line (neither meta nor end). */
static int read_event(Loader *ld, const Obj *obj, const char *ev, int64_t t)
{
    int tid;
    int kind = find_kind(ld, ev);
    ld->event_lines++;
    if (kind < 0) {
        /* Forward compatibility: a newer gilscope's kind.  Remember the first. */
        if (ld->unknown++ == 0) {
            snprintf(ld->unknown_kind, sizeof ld->unknown_kind, "%s", ev);
            ld->unknown_line = ld->line;
        }
        ld->tr->nskipped++;
        return 0;
    }
    /* Every field is checked, kept or not: `stats` and `export` refuse a
     * checks line with a negative count as the viewer (which reads it) does. */
    Values v;
    if (get_tid(ld, obj, &tid) < 0 || read_values(ld, obj, &kinds[kind], &v) < 0)
        return -1;
    if (!kept_as[kind] || (is_extra(kept_as[kind] - 1) && !ld->hooks->keep_all)) {
        ld->tr->nskipped++;
        return call_hook(ld, obj, kind, tid, t, NULL);
    }
    GsTraceEvent *e = new_event(ld, tid, kept_as[kind] - 1, t);
    if (!e)
        return -1;
    GsTraceThread *th = &ld->tr->threads[ld->slot[tid] - 1];
    if (keep_event(ld, e, th, &v) < 0)
        return -1;
    return call_hook(ld, obj, kind, tid, t, e);
}

/* "ev" and "t", the ordering rules, then the line's kind. */
static int read_object(Loader *ld, const Obj *obj)
{
    const char *ev;
    int64_t t;
    if (!ld->seen_meta) {
        Val v = obj_get(obj, "ev");
        if (v.type != VAL_STRING || strcmp(v.str, "meta") != 0)
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
        return read_meta(ld, obj, t);
    if (strcmp(ev, "meta") == 0)
        return fail(ld, "a second meta line");
    if (strcmp(ev, "end") == 0)
        return read_end(ld, obj);
    return read_event(ld, obj, ev, t);
}

/* Why a line is not a JSON object: NUL bytes, bad UTF-8, bad JSON, another
 * value, or text after the object.  Fills *obj (from the fast path, or
 * with a cJSON tree the caller deletes) and returns 0, or -1 with err set. */
static int parse_line(Loader *ld, char *buf, size_t len, Obj *obj)
{
    if (memchr(buf, '\0', len))
        return fail(ld, "not JSON (a NUL byte: binary data?)");
    if (!valid_utf8((const unsigned char *)buf, len))
        return fail(ld, "not JSON (not valid UTF-8)");
    /* The meta line is kept whole as a cJSON tree: never the fast path. */
    if (ld->seen_meta && !ld->hooks->no_fast_path && parse_fast(buf, len, obj))
        return 0;
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!json)
        return fail(ld, "not JSON");
    /* cJSON stops after the first value; "{...} junk" must not pass. */
    if (end && !is_blank(end, len - (size_t)(end - buf))) {
        cJSON_Delete(json);
        return fail(ld, "not JSON (text after the object)");
    }
    if (!cJSON_IsObject(json)) {
        cJSON_Delete(json);
        return fail(ld, "not a JSON object");
    }
    obj->json = json;
    return 0;
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
static int load_line(Loader *ld, char *buf, size_t len, bool newline)
{
    if (is_blank(buf, len))
        return 0;
    Obj obj;
    if (parse_line(ld, buf, len, &obj) < 0) {
        if (!ld->seen_meta)
            return fail(ld, "not a gilscope trace (no meta line)");
        if (!newline) {
            warn(ld->tr, "%s:%zu: the last line is incomplete (the file was cut off "
                 "mid-write); ignored it", ld->tr->name, ld->line);
            return 0;
        }
        return -1;
    }
    int rc = read_object(ld, &obj);
    if (obj.json != ld->tr->meta)     /* read_meta keeps the meta line's tree */
        cJSON_Delete((cJSON *)obj.json);
    if (rc == 0)
        ld->good_line = ld->line;
    return rc;
}

static void report_progress(Loader *ld, const LineReader *rd, uint64_t total)
{
    if (ld->hooks->progress)
        ld->hooks->progress(ld->hooks->ctx, rd->consumed, total);
}

static int load_lines(Loader *ld, FILE *f)
{
    LineReader rd = { .f = f, .buf = malloc(GS_TRACE_MAX_LINE + READ_BLOCK + 2) };
    if (!rd.buf)
        return fail(ld, "out of memory");
    struct stat sb;
    uint64_t total = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    uint64_t next_report = 0;
    int rc = 0;
    for (;;) {
        size_t len = 0;
        bool newline = false;
        char *buf = NULL;
        ld->line_offset = rd.consumed;
        if (rd.consumed >= next_report) {   /* about every megabyte */
            report_progress(ld, &rd, total);
            next_report = rd.consumed + READ_BLOCK;
        }
        LineStatus st = read_line(&rd, &buf, &len, &newline);
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
    if (rc == 0)
        report_progress(ld, &rd, total);
    free(rd.buf);
    return rc;
}

int gs_trace_read(FILE *f, const char *name, GsTrace **out, char *err, size_t errlen)
{
    return gs_trace_read_hooked(f, name, NULL, out, err, errlen);
}

int gs_trace_read_hooked(FILE *f, const char *name, const GsTraceHooks *hooks, GsTrace **out,
                         char *err, size_t errlen)
{
    static const GsTraceHooks no_hooks;
    *out = NULL;
    GsTrace *tr = calloc(1, sizeof *tr);
    Loader ld = { .tr = tr, .err = err, .errlen = errlen, .hooks = hooks ? hooks : &no_hooks };
    if (!tr || !(tr->name = strdup(name)) || !(tr->strings = calloc(1, 64))) {
        snprintf(err, errlen, "%s: out of memory", name);
        gs_trace_free(tr);
        return -1;
    }
    tr->strings_len = 1;    /* offset 0: "" */
    tr->strings_cap = 64;
    tr->end = (GsTraceEnd){ .status = -1, .events = -1, .dropped = -1, .checks = -1,
                            .switches = -1, .reason = "" };
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

/* ---- the hook's view of a line ---------------------------------------------------- */

int gs_trace_line_int(const GsTraceLine *line, const char *key, int64_t lo, int64_t hi,
                      int64_t *out)
{
    return get_int(line->loader_, line->obj_, key, lo, hi, out);
}

int gs_trace_line_str(const GsTraceLine *line, const char *key, const char **out)
{
    return get_str(line->loader_, line->obj_, key, out);
}

bool gs_trace_line_has(const GsTraceLine *line, const char *key)
{
    return field_of(line->loader_, line->obj_, key).type != VAL_MISSING;
}

int gs_trace_line_fail(const GsTraceLine *line, const char *fmt, ...)
{
    Loader *ld = line->loader_;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fail(ld, "%s", msg);
}
