/*
 * bytes.c -- the bytes type: an immutable sequence of small ints.
 *
 * gilscope needs bytes mostly for what CPython shows of code objects
 * (co_code, co_lnotab) and for str.encode / bytes.decode, so the type is
 * small: repr, hashing, comparison, indexing and slicing, `in`,
 * iteration, and the methods hex() and decode().
 *
 * Like CPython, the data is followed by a NUL byte that is not part of
 * the value, so it can be handed to C functions that want one.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bigint.h"
#include "runtime/interp.h"
#include "object.h"

static GsBytes *as_bytes(GsObject *o) { return (GsBytes *)o; }

/* data NULL: len zero bytes (gs_alloc zeroes memory). */
GsObject *gs_bytes_new(GsThread *ts, const void *data, size_t len)
{
    GsBytes *b = (GsBytes *)gs_alloc(ts, &gs_bytes_type, offsetof(GsBytes, data) + len + 1);
    if (!b)
        return NULL;
    b->hash = -1;
    b->len = len;
    if (data && len)
        memcpy(b->data, data, len);
    b->data[len] = '\0';
    return (GsObject *)b;
}

/* ---- repr ---------------------------------------------------------------- */

/* b'...' as CPython writes it: printable ASCII as is, \t \n \r and
 * backslash escaped, the quote escaped only if both kinds occur, anything
 * else as \xhh. */
static GsObject *bytes_repr(GsThread *ts, GsObject *o)
{
    GsBytes *b = as_bytes(o);
    bool has_squote = memchr(b->data, '\'', b->len) != NULL;
    bool has_dquote = memchr(b->data, '"', b->len) != NULL;
    char quote = has_squote && !has_dquote ? '"' : '\'';
    GsBuf out;
    gs_buf_init(&out);
    gs_buf_putc(&out, 'b');
    gs_buf_putc(&out, quote);
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = b->data[i];
        if (c == quote || c == '\\') {
            gs_buf_putc(&out, '\\');
            gs_buf_putc(&out, (char)c);
        } else if (c == '\t') {
            gs_buf_puts(&out, "\\t");
        } else if (c == '\n') {
            gs_buf_puts(&out, "\\n");
        } else if (c == '\r') {
            gs_buf_puts(&out, "\\r");
        } else if (c < 0x20 || c >= 0x7F) {
            gs_buf_printf(&out, "\\x%02x", c);
        } else {
            gs_buf_putc(&out, (char)c);
        }
    }
    gs_buf_putc(&out, quote);
    return gs_buf_finish(ts, &out);
}

/* ---- hash, comparison, length -------------------------------------------- */

/* FNV-1a, deterministic like str's (and equal to the hash of the same
 * bytes as a str, as in CPython for ASCII). */
static int64_t bytes_hash(GsThread *ts, GsObject *o)
{
    GsBytes *b = as_bytes(o);
    if (b->hash != -1)
        return b->hash;
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < b->len; i++) {
        h ^= b->data[i];
        h *= 1099511628211u;
    }
    int64_t r = (int64_t)h;
    b->hash = r == -1 ? -2 : r;
    return b->hash;
}

static int bytes_cmp(GsBytes *x, GsBytes *y)
{
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->data, y->data, n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (x->len > y->len) - (x->len < y->len);
}

static GsObject *bytes_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (!gs_is(a, &gs_bytes_type) || !gs_is(b, &gs_bytes_type))
        return GS_NOTIMPL;
    int c = a == b ? 0 : bytes_cmp(as_bytes(a), as_bytes(b));
    bool r;
    switch (op) {
    case GS_CMP_LT: r = c < 0; break;
    case GS_CMP_LE: r = c <= 0; break;
    case GS_CMP_EQ: r = c == 0; break;
    case GS_CMP_NE: r = c != 0; break;
    case GS_CMP_GT: r = c > 0; break;
    default: r = c >= 0; break;
    }
    return gs_newref(ts, gs_bool(r));
}

static int64_t bytes_len(GsThread *ts, GsObject *o) { return (int64_t)as_bytes(o)->len; }

/* ---- indexing, slicing, `in`, iteration ---------------------------------- */

static GsObject *bytes_slice(GsThread *ts, GsBytes *b, GsObject *slice)
{
    int64_t start, stop, step, n;
    if (gs_slice_indices(ts, slice, (int64_t)b->len, &start, &stop, &step, &n) < 0)
        return NULL;
    if (n <= 0)
        return gs_bytes_new(ts, "", 0);
    if (step == 1) {
        if (start == 0 && (size_t)n == b->len)   /* b[:] is b, as in CPython */
            return gs_newref(ts, (GsObject *)b);
        return gs_bytes_new(ts, b->data + start, (size_t)n);
    }
    GsBytes *r = (GsBytes *)gs_bytes_new(ts, NULL, (size_t)n);
    if (!r)
        return NULL;
    for (int64_t k = 0, i = start; k < n; k++, i += step)
        r->data[k] = b->data[i];
    return (GsObject *)r;
}

/* CPython's message for bytes has no "bytes" in it: "index out of range". */
static GsObject *bytes_getitem(GsThread *ts, GsObject *o, GsObject *key)
{
    GsBytes *b = as_bytes(o);
    if (GS_IS_INT(key)) {
        if (gs_int_is_big(key))
            return gs_err_set(ts, &gs_exc_IndexError, "cannot fit 'int' into an index-sized integer");
        int64_t i = gs_int_value(key);
        if (i < 0)
            i += (int64_t)b->len;
        if (i < 0 || i >= (int64_t)b->len)
            return gs_err_set(ts, &gs_exc_IndexError, "index out of range");
        return gs_int_new(ts, b->data[i]);
    }
    if (gs_is(key, &gs_slice_type))
        return bytes_slice(ts, b, key);
    return gs_err_set(ts, &gs_exc_TypeError, "byte indices must be integers or slices, not %s",
                      gs_type_name(key));
}

static bool bytes_has(const GsBytes *b, const unsigned char *sub, size_t n)
{
    if (n == 0)
        return true;
    for (size_t i = 0; i + n <= b->len; i++)
        if (b->data[i] == sub[0] && memcmp(b->data + i, sub, n) == 0)
            return true;
    return false;
}

/* `x in b`: x an int 0..255, or a bytes substring. */
static int bytes_contains(GsThread *ts, GsObject *o, GsObject *v)
{
    GsBytes *b = as_bytes(o);
    if (gs_is(v, &gs_bytes_type))
        return bytes_has(b, as_bytes(v)->data, as_bytes(v)->len);
    if (!GS_IS_INT(v)) {
        gs_err_set(ts, &gs_exc_TypeError, "a bytes-like object is required, not '%s'",
                   gs_type_name(v));
        return -1;
    }
    int64_t x = gs_int_value(v);
    if (x < 0 || x > 255) {
        gs_err_set(ts, &gs_exc_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    return b->len > 0 && memchr(b->data, (int)x, b->len) != NULL;
}

static GsObject *bytes_iter(GsThread *ts, GsObject *o) { return gs_iter_new(ts, o, GS_ITER_BYTES); }

/* ---- construction: bytes(), bytes(n), bytes(iterable), bytes(s, enc) ---- */

static GsObject *bytes_from_iterable(GsThread *ts, GsObject *iterable)
{
    GsObject *it = gs_getiter(ts, iterable);
    if (!it) {
        if (gs_err_matches(ts, &gs_exc_TypeError)) {
            gs_err_clear(ts);
            gs_err_set(ts, &gs_exc_TypeError, "cannot convert '%s' object to bytes",
                       gs_type_name(iterable));
        }
        return NULL;
    }
    GsBuf buf;
    gs_buf_init(&buf);
    GsObject *item;
    while ((item = gs_iternext(ts, it)) != NULL) {
        int64_t x = GS_IS_INT(item) ? gs_int_value(item) : -1;
        if (!GS_IS_INT(item))
            gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                       gs_type_name(item));
        else if (x < 0 || x > 255)
            gs_err_set(ts, &gs_exc_ValueError, "bytes must be in range(0, 256)");
        gs_decref(ts, item);
        if (x < 0 || x > 255)
            break;
        gs_buf_putc(&buf, (char)x);
    }
    gs_decref(ts, it);
    GsObject *r = gs_err_occurred(ts) ? NULL : gs_bytes_new(ts, buf.data, buf.len);
    gs_buf_free(&buf);
    return r;
}

/* bytes(s, encoding[, errors]) is s.encode(encoding[, errors]). */
static GsObject *bytes_from_str(GsThread *ts, GsObject *const *args, size_t nargs)
{
    if (nargs == 1)
        return gs_err_set(ts, &gs_exc_TypeError, "string argument without an encoding");
    GsObject *encode = gs_getattr_c(ts, args[0], "encode");
    if (!encode)
        return NULL;
    GsObject *r = gs_call(ts, encode, args + 1, nargs - 1, NULL);
    gs_decref(ts, encode);
    return r;
}

static GsObject *bytes_new_slot(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                                GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "bytes", kwnames) < 0 || gs_check_nargs(ts, "bytes", nargs, 0, 3) < 0)
        return NULL;
    if (nargs == 0)
        return gs_bytes_new(ts, "", 0);
    GsObject *x = args[0];
    if (GS_IS_STR(x))
        return bytes_from_str(ts, args, nargs);
    if (nargs > 1)
        return gs_err_set(ts, &gs_exc_TypeError, "encoding without a string argument");
    if (gs_is(x, &gs_bytes_type))
        return gs_newref(ts, x);
    if (GS_IS_INT(x)) {
        if (gs_int_is_big(x))
            return gs_err_set(ts, &gs_exc_OverflowError,
                              "cannot fit 'int' into an index-sized integer");
        if (gs_int_value(x) < 0)
            return gs_err_set(ts, &gs_exc_ValueError, "negative count");
        return gs_bytes_new(ts, NULL, (size_t)gs_int_value(x));
    }
    return bytes_from_iterable(ts, x);
}

/* ---- methods --------------------------------------------------------------- */

static GsObject *bytes_hex(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "hex", kwnames) < 0 || gs_check_nargs(ts, "hex", nargs, 0, 0) < 0)
        return NULL;
    static const char digits[] = "0123456789abcdef";
    GsBytes *b = as_bytes(self);
    GsBuf out;
    gs_buf_init(&out);
    for (size_t i = 0; i < b->len; i++) {
        gs_buf_putc(&out, digits[b->data[i] >> 4]);
        gs_buf_putc(&out, digits[b->data[i] & 15]);
    }
    return gs_buf_finish(ts, &out);
}

/* How many bytes the UTF-8 sequence starting at p[0] should have, and the
 * allowed range of its second byte (Unicode's table of well-formed
 * sequences: this excludes overlong forms, surrogates and > U+10FFFF).
 * 0: not a valid first byte. */
static int utf8_seq_len(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0)
            *lo = 0xA0;
        else if (c == 0xED)
            *hi = 0x9F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0)
            *lo = 0x90;
        else if (c == 0xF4)
            *hi = 0x8F;
        return 4;
    }
    return 0;
}

/* Check the sequence at p[i]; returns its length, or 0 and sets
 * [*bad_end, reason] for an ill-formed one (*bad_end: the end of the
 * maximal ill-formed prefix, what CPython's messages and 'replace' use). */
static size_t utf8_check(const unsigned char *p, size_t n, size_t i, size_t *bad_end,
                         const char **reason)
{
    unsigned char lo, hi;
    int len = utf8_seq_len(p[i], &lo, &hi);
    if (len == 0) {
        *bad_end = i + 1;
        *reason = "invalid start byte";
        return 0;
    }
    for (int k = 1; k < len; k++) {
        if (i + (size_t)k >= n) {
            *bad_end = n;
            *reason = "unexpected end of data";
            return 0;
        }
        unsigned char c = p[i + (size_t)k];
        if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) {
            *bad_end = i + (size_t)k;
            *reason = "invalid continuation byte";
            return 0;
        }
    }
    return (size_t)len;
}

enum { ERRORS_STRICT, ERRORS_REPLACE, ERRORS_IGNORE, ERRORS_UNKNOWN };

static int errors_mode(const char *name)
{
    if (!strcmp(name, "strict"))
        return ERRORS_STRICT;
    if (!strcmp(name, "replace"))
        return ERRORS_REPLACE;
    if (!strcmp(name, "ignore"))
        return ERRORS_IGNORE;
    return ERRORS_UNKNOWN;
}

/* The error for bytes [start, end) that could not be decoded; CPython
 * raises UnicodeDecodeError, a ValueError subclass gilscope lacks. */
static GsObject *decode_error(GsThread *ts, const char *codec, const GsBytes *b, size_t start,
                              size_t end, const char *reason, int mode, const char *errors)
{
    if (mode == ERRORS_UNKNOWN)
        return gs_err_set(ts, &gs_exc_LookupError, "unknown error handler name '%s'", errors);
    if (end - start == 1)
        return gs_err_set(ts, &gs_exc_ValueError,
                          "'%s' codec can't decode byte 0x%02x in position %zu: %s", codec,
                          b->data[start], start, reason);
    return gs_err_set(ts, &gs_exc_ValueError,
                      "'%s' codec can't decode bytes in position %zu-%zu: %s", codec, start,
                      end - 1, reason);
}

static GsObject *decode_utf8(GsThread *ts, const GsBytes *b, int mode, const char *errors)
{
    GsBuf out;
    gs_buf_init(&out);
    for (size_t i = 0; i < b->len;) {
        size_t bad_end = i;
        const char *reason = NULL;
        size_t len = utf8_check(b->data, b->len, i, &bad_end, &reason);
        if (len > 0) {
            gs_buf_put(&out, (const char *)b->data + i, len);
            i += len;
            continue;
        }
        if (mode != ERRORS_REPLACE && mode != ERRORS_IGNORE) {
            gs_buf_free(&out);
            return decode_error(ts, "utf-8", b, i, bad_end, reason, mode, errors);
        }
        if (mode == ERRORS_REPLACE)
            gs_buf_puts(&out, "\xEF\xBF\xBD");   /* U+FFFD */
        i = bad_end;
    }
    return gs_buf_finish(ts, &out);
}

/* ASCII (limit 0x80) or Latin-1 (limit 0x100): one character per byte. */
static GsObject *decode_narrow(GsThread *ts, const GsBytes *b, unsigned limit, int mode,
                               const char *errors)
{
    GsBuf out;
    gs_buf_init(&out);
    for (size_t i = 0; i < b->len; i++) {
        unsigned c = b->data[i];
        if (c < 0x80) {
            gs_buf_putc(&out, (char)c);
        } else if (c < limit) {
            gs_buf_putc(&out, (char)(0xC0 | (c >> 6)));
            gs_buf_putc(&out, (char)(0x80 | (c & 0x3F)));
        } else if (mode == ERRORS_REPLACE) {
            gs_buf_puts(&out, "\xEF\xBF\xBD");
        } else if (mode != ERRORS_IGNORE) {
            gs_buf_free(&out);
            return decode_error(ts, "ascii", b, i, i + 1, "ordinal not in range(128)", mode,
                                errors);
        }
    }
    return gs_buf_finish(ts, &out);
}

/* The codec an encoding name means, as str.encode knows them. */
static int codec_of(const char *name)
{
    char norm[32];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof norm; p++)
        if (*p != '-' && *p != '_')
            norm[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    norm[n] = '\0';
    if (!strcmp(norm, "utf8") || !strcmp(norm, "u8"))
        return 8;
    if (!strcmp(norm, "ascii") || !strcmp(norm, "usascii"))
        return 7;
    if (!strcmp(norm, "latin1") || !strcmp(norm, "iso88591") || !strcmp(norm, "l1"))
        return 1;
    return 0;
}

/* Bind decode's (encoding, errors), positional or by keyword. */
static int decode_args(GsThread *ts, GsObject *const *args, size_t nargs, GsObject *kwnames,
                       GsObject **out)
{
    static const char *const params[] = { "encoding", "errors" };
    size_t nkw = gs_kw_count(kwnames), npos = nargs - nkw;
    if (npos > 2) {
        gs_err_set(ts, &gs_exc_TypeError, "decode() takes at most 2 arguments (%zu given)", nargs);
        return -1;
    }
    out[0] = npos > 0 ? args[0] : NULL;
    out[1] = npos > 1 ? args[1] : NULL;
    for (size_t k = 0; k < nkw; k++) {
        const char *kw = gs_str_cstr(((GsTuple *)kwnames)->items[k]);
        int j = !strcmp(kw, params[0]) ? 0 : !strcmp(kw, params[1]) ? 1 : -1;
        if (j < 0 || out[j]) {
            gs_err_set(ts, &gs_exc_TypeError,
                       j < 0 ? "'%s' is an invalid keyword argument for decode()"
                             : "argument for decode() given by name ('%s') and position",
                       kw);
            return -1;
        }
        out[j] = args[npos + k];
    }
    for (int j = 0; j < 2; j++)
        if (out[j] && !GS_IS_STR(out[j])) {
            gs_err_set(ts, &gs_exc_TypeError, "decode() argument '%s' must be str, not %s",
                       params[j], gs_type_name(out[j]));
            return -1;
        }
    return 0;
}

static GsObject *bytes_decode(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    GsObject *a[2];
    if (decode_args(ts, args, nargs, kwnames, a) < 0)
        return NULL;
    const char *encoding = a[0] ? gs_str_cstr(a[0]) : "utf-8";
    const char *errors = a[1] ? gs_str_cstr(a[1]) : "strict";
    int mode = errors_mode(errors);
    switch (codec_of(encoding)) {
    case 8: return decode_utf8(ts, as_bytes(self), mode, errors);
    case 7: return decode_narrow(ts, as_bytes(self), 0x80, mode, errors);
    case 1: return decode_narrow(ts, as_bytes(self), 0x100, mode, errors);
    default: return gs_err_set(ts, &gs_exc_LookupError, "unknown encoding: %s", encoding);
    }
}

/* ---- the type ---------------------------------------------------------------- */

static const GsMethodDef bytes_methods[] = {
    { "hex", bytes_hex },
    { "decode", bytes_decode },
    { NULL, NULL },
};

GsType gs_bytes_type = {
    .ob = { .refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type },
    .name = "bytes",
    .base = &gs_object_type,
    .size = offsetof(GsBytes, data),
    .methods = bytes_methods,
    .repr = bytes_repr,
    .hash = bytes_hash,
    .richcompare = bytes_richcompare,
    .new_ = bytes_new_slot,
    .iter = bytes_iter,
    .len = bytes_len,
    .getitem = bytes_getitem,
    .contains = bytes_contains,
};
