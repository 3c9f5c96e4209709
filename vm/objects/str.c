/*
 * str.c -- the str type: immutable text, stored as UTF-8.
 *
 * Representation.  A GsStr holds its text inline as NUL-terminated UTF-8
 * together with two lengths: nbytes (bytes) and nchars (code points).
 * Python indexes strings by code point, UTF-8 by byte.  When the two
 * agree (ascii: every character is one byte) indexing is plain byte
 * indexing; otherwise finding character i means walking the bytes.  To
 * keep `for ch in s` and `s[i]` loops linear on non-ASCII text, each
 * thread remembers where its last walk ended (str_cursor, below) and the
 * next walk over the same string starts from there.
 *
 * Searching needs no decoding at all: UTF-8 is self-synchronising, so a
 * byte-wise match of one valid UTF-8 string inside another always starts
 * and ends on character boundaries.  find/split/replace work on bytes and
 * convert offsets to code point indexes only at the edges.
 *
 * Strings are expected to be valid UTF-8 (the lexer and bytes.decode
 * produce nothing else); gs_str_new does not check.  On invalid bytes the
 * results are unspecified but every walk stays inside the string.
 *
 * Identity, as CPython 3.9 shows it.  Several results are observably the
 * *same object* in CPython, and a teaching tool about references should
 * not differ: there is one empty string, and one string for each single
 * character below U+0100 (CPython's latin-1 cache; here they are kept in
 * the interpreter's interned dict), so `'abc'[0] is 'a'`; and operations
 * that change nothing return their argument (`s[:]`, `s.strip()` with
 * nothing to strip, `s.replace('x', 'y')` without an 'x', `''.join([s])`,
 * `s + ''`, `s * 1`, `s.ljust(0)` ...).
 *
 * Interned strings.  The interned dict holds two references to each
 * interned string (as key and as value).  CPython 3.9 hides those two from
 * the count; gilscope does not, so sys.getrefcount of an interned string
 * is 2 more than CPython's.  They live until the interpreter is freed.
 *
 * Unicode tables.  Case mapping and letter classification of non-ASCII
 * characters come from the C library's C.UTF-8 locale (used through a
 * private locale_t, so the process locale is untouched); only what
 * Python defines differently is written out here: whitespace, line
 * breaks, printability (for repr) and the one full case mapping most
 * programs meet, 'ß'.upper() == 'SS'.  Measured against CPython 3.11 over
 * every code point: repr's escaping, isspace, islower and the one-to-one
 * case mappings agree everywhere; isalpha also accepts combining marks and
 * other scripts' digits (glibc calls them letters); isdigit, isdecimal and
 * isnumeric know ASCII and Latin-1 only.
 */
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "format.h"
#include "bigint.h"
#include "runtime/interp.h"
#include "object.h"

/* ======================================================================
 * UTF-8
 * ====================================================================== */

static inline bool utf8_is_cont(char b) { return ((unsigned char)b & 0xC0) == 0x80; }

/* Code points in p[0..n): every byte that is not a continuation byte
 * starts one. */
static size_t utf8_count(const char *p, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += !utf8_is_cont(p[i]);
    return count;
}

/* Offset of the character after the one starting at off (off < n). */
static inline size_t utf8_next(const char *p, size_t n, size_t off)
{
    do
        off++;
    while (off < n && utf8_is_cont(p[off]));
    return off;
}

/* Offset of the character before the one starting at off (off > 0). */
static inline size_t utf8_prev(const char *p, size_t off)
{
    do
        off--;
    while (off > 0 && utf8_is_cont(p[off]));
    return off;
}

/* Decode the character at p[off]; *next receives the offset after it.
 * Malformed input decodes to its lead byte. */
static uint32_t utf8_decode(const char *p, size_t n, size_t off, size_t *next)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t end = utf8_next(p, n, off);
    size_t extra = end - off - 1;
    *next = end;
    if (u[off] < 0x80 || extra == 0 || extra > 3)
        return u[off];
    uint32_t c = u[off] & (0x3Fu >> extra);   /* 110xxxxx, 1110xxxx, 11110xxx */
    for (size_t i = off + 1; i < end; i++)
        c = (c << 6) | (u[i] & 0x3F);
    return c;
}

/* Encode c into out (room for 4 bytes); returns the length. */
static size_t utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    if (c > 0x10FFFF)
        c = 0xFFFD;   /* only reachable from malformed input */
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static void buf_put_cp(GsBuf *b, uint32_t c)
{
    char tmp[4];
    gs_buf_put(b, tmp, utf8_encode(c, tmp));
}

/* Byte search: first / last position of needle in hay, or -1. */
static int64_t bytes_find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0)
        return 0;
    /* memchr to the next candidate first byte, then compare the rest
     * (memmem is a GNU extension the build does not enable) */
    for (size_t pos = 0; pos + nn <= hn;) {
        const char *hit = memchr(hay + pos, needle[0], hn - nn - pos + 1);
        if (!hit)
            return -1;
        pos = (size_t)(hit - hay);
        if (memcmp(hit + 1, needle + 1, nn - 1) == 0)
            return (int64_t)pos;
        pos++;
    }
    return -1;
}

static int64_t bytes_rfind(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn > hn)
        return -1;
    for (size_t pos = hn - nn + 1; pos-- > 0;)
        if (memcmp(hay + pos, needle, nn) == 0)
            return (int64_t)pos;
    return -1;
}

/* ======================================================================
 * Unicode character classes, as Python defines them
 * ====================================================================== */

static locale_t ucs_locale_obj;
static pthread_once_t ucs_locale_once = PTHREAD_ONCE_INIT;

static void ucs_locale_init(void)
{
    static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !ucs_locale_obj; i++)
        ucs_locale_obj = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
}

/* A UTF-8 locale for the <wctype.h> functions, or 0 if the system has
 * none (non-ASCII letters are then neither cased nor alphabetic). */
static locale_t ucs_locale(void)
{
    pthread_once(&ucs_locale_once, ucs_locale_init);
    return ucs_locale_obj;
}

static bool ascii_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }
static bool ascii_lower(uint32_t c) { return c >= 'a' && c <= 'z'; }

/* str.isspace() and split(): Python's whitespace, the same in every
 * Unicode version since 6.3. */
static bool ucs_isspace(uint32_t c)
{
    if (c < 0x80)
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
    switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
        return true;
    }
    return c >= 0x2000 && c <= 0x200A;
}

/* str.splitlines() boundaries ("\r\n" is handled by the caller). */
static bool ucs_islinebreak(uint32_t c)
{
    return (c >= 0x0A && c <= 0x0D) || (c >= 0x1C && c <= 0x1E) || c == 0x85 ||
           c == 0x2028 || c == 0x2029;
}

static bool ucs_isalpha(uint32_t c)
{
    if (c < 0x80)
        return ascii_upper(c) || ascii_lower(c);
    locale_t l = ucs_locale();
    return l && iswalpha_l((wint_t)c, l);
}

/* Digits: ASCII, plus the Latin-1 superscripts for isdigit and the
 * Latin-1 fractions for isnumeric.  Other scripts' digits are not known. */
static bool ucs_isdecimal(uint32_t c) { return c >= '0' && c <= '9'; }
static bool ucs_isdigit(uint32_t c)
{
    return ucs_isdecimal(c) || c == 0xB2 || c == 0xB3 || c == 0xB9;
}
static bool ucs_isnumeric(uint32_t c) { return ucs_isdigit(c) || (c >= 0xBC && c <= 0xBE); }
static bool ucs_isalnum(uint32_t c) { return ucs_isalpha(c) || ucs_isnumeric(c); }
static bool ucs_isascii(uint32_t c) { return c < 0x80; }

/* glibc classes a titlecase letter (U+01C5 'ǅ') as both upper and lower
 * case; Python calls it neither, but "title". */
static bool ucs_isupper(uint32_t c)
{
    if (c < 0x80)
        return ascii_upper(c);
    locale_t l = ucs_locale();
    return l && iswupper_l((wint_t)c, l) && !iswlower_l((wint_t)c, l);
}

static bool ucs_islower(uint32_t c)
{
    if (c < 0x80)
        return ascii_lower(c);
    locale_t l = ucs_locale();
    return l && iswlower_l((wint_t)c, l) && !iswupper_l((wint_t)c, l);
}

static bool ucs_istitle(uint32_t c)
{
    locale_t l = c < 0x80 ? 0 : ucs_locale();
    return l && iswupper_l((wint_t)c, l) && iswlower_l((wint_t)c, l);
}

static bool ucs_iscased(uint32_t c) { return ucs_isupper(c) || ucs_islower(c) || ucs_istitle(c); }

static uint32_t ucs_toupper(uint32_t c)
{
    if (c < 0x80)
        return ascii_lower(c) ? c - 32 : c;
    locale_t l = ucs_locale();
    return l ? (uint32_t)towupper_l((wint_t)c, l) : c;
}

static uint32_t ucs_tolower(uint32_t c)
{
    if (c < 0x80)
        return ascii_upper(c) ? c + 32 : c;
    locale_t l = ucs_locale();
    return l ? (uint32_t)towlower_l((wint_t)c, l) : c;
}

/* Title case differs from upper case only for the four Latin digraphs
 * (DŽ Dž dž, LJ Lj lj, NJ Nj nj, DZ Dz dz), whose title form is the middle one. */
static uint32_t ucs_totitle(uint32_t c)
{
    if (c >= 0x1C4 && c <= 0x1CC)
        return 0x1C5 + 3 * ((c - 0x1C4) / 3);
    if (c >= 0x1F1 && c <= 0x1F3)
        return 0x1F2;
    return ucs_toupper(c);
}

/* Format characters (category Cf, Unicode 14), which repr escapes. */
static const uint32_t ucs_format_ranges[][2] = {
    { 0x00AD, 0x00AD }, { 0x0600, 0x0605 }, { 0x061C, 0x061C }, { 0x06DD, 0x06DD },
    { 0x070F, 0x070F }, { 0x0890, 0x0891 }, { 0x08E2, 0x08E2 }, { 0x180E, 0x180E },
    { 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 }, { 0x2066, 0x206F },
    { 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB }, { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD },
    { 0x13430, 0x13438 }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0001, 0xE0001 },
    { 0xE0020, 0xE007F },
};

/* Python's str.isprintable() for one character: everything except the
 * categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than ' '.  The
 * separators are exactly the non-ASCII whitespace; unassigned code points
 * are whatever the C library does not call printable. */
static bool ucs_isprintable(uint32_t c)
{
    if (c < 0x80)
        return c >= 0x20 && c < 0x7F;
    if (c < 0xA0 || ucs_isspace(c))
        return false;
    if ((c >= 0xD800 && c <= 0xF8FF) || c >= 0xF0000)   /* surrogates, private use */
        return false;
    if ((c & 0xFFFE) == 0xFFFE)                          /* U+xxFFFE, U+xxFFFF */
        return false;
    for (size_t i = 0; i < sizeof ucs_format_ranges / sizeof ucs_format_ranges[0]; i++)
        if (c >= ucs_format_ranges[i][0] && c <= ucs_format_ranges[i][1])
            return false;
    locale_t l = ucs_locale();
    return !l || iswprint_l((wint_t)c, l);
}

static bool ucs_isidstart(uint32_t c) { return c == '_' || ucs_isalpha(c); }
static bool ucs_isidcont(uint32_t c) { return ucs_isidstart(c) || ucs_isdecimal(c); }

/* ======================================================================
 * Construction, sharing and interning
 * ====================================================================== */

static GsStr *as_str(GsObject *o) { return (GsStr *)o; }

/* A string of nbytes bytes, its data to be filled in by the caller. */
static GsStr *str_alloc(GsThread *ts, size_t nbytes)
{
    GsStr *s = (GsStr *)gs_alloc(ts, &gs_str_type, offsetof(GsStr, data) + nbytes + 1);
    if (!s)
        return NULL;
    s->hash = -1;
    s->nbytes = nbytes;
    s->data[nbytes] = '\0';
    return s;
}

/* Set the lengths once data is filled in. */
static GsObject *str_seal(GsStr *s)
{
    s->nchars = utf8_count(s->data, s->nbytes);
    s->ascii = s->nchars == s->nbytes;
    return (GsObject *)s;
}

/* A new string object, never shared. */
static GsObject *str_fresh(GsThread *ts, const char *utf8, size_t n)
{
    GsStr *s = str_alloc(ts, n);
    if (!s)
        return NULL;
    if (n)
        memcpy(s->data, utf8, n);
    return str_seal(s);
}

static bool str_can_intern(GsThread *ts)
{
    return ts && ts->interp && ts->interp->interned;
}

/* The strings CPython keeps one copy of: '' and the characters below
 * U+0100 (one byte, or 0xC2/0xC3 and a continuation byte). */
static bool str_is_singleton(const char *p, size_t n)
{
    if (n <= 1)
        return true;
    unsigned char lead = (unsigned char)p[0];
    return n == 2 && (lead == 0xC2 || lead == 0xC3) && utf8_is_cont(p[1]);
}

/* The interned string equal to p[0..n) (n <= 4), borrowed, or NULL.  The
 * key is built on the stack so that a hit allocates nothing; it is
 * immortal so that nothing the dict does to its count can free it. */
static GsObject *str_find_interned(GsThread *ts, const char *p, size_t n)
{
    union {
        GsStr s;
        char mem[offsetof(GsStr, data) + 8];
    } key;
    memset(&key, 0, sizeof key);
    key.s.ob.refcnt = GS_IMMORTAL_REFCNT;
    key.s.ob.type = &gs_str_type;
    key.s.hash = -1;
    key.s.nbytes = n;
    if (n)
        memcpy(key.mem + offsetof(GsStr, data), p, n);
    str_seal(&key.s);
    return gs_dict_get(ts, ts->interp->interned, (GsObject *)&key.s);
}

static GsObject *str_shared(GsThread *ts, const char *p, size_t n)
{
    GsObject *s = str_find_interned(ts, p, n);
    if (s)
        return gs_newref(ts, s);
    return gs_str_intern(ts, str_fresh(ts, p, n));
}

GsObject *gs_str_new(GsThread *ts, const char *utf8, size_t nbytes)
{
    if (str_is_singleton(utf8, nbytes) && str_can_intern(ts))
        return str_shared(ts, utf8, nbytes);
    return str_fresh(ts, utf8, nbytes);
}

GsObject *gs_str_from(GsThread *ts, const char *cstr)
{
    return gs_str_new(ts, cstr, strlen(cstr));
}

GsObject *gs_str_printf(GsThread *ts, const char *fmt, ...)
{
    char small[256];
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    GsObject *r;
    if (n < 0) {
        r = gs_err_set(ts, &gs_exc_SystemError, "gs_str_printf: bad format \"%s\"", fmt);
    } else if ((size_t)n < sizeof small) {
        r = gs_str_new(ts, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            r = gs_str_new(ts, big, (size_t)n);
            free(big);
        } else {
            r = gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
        }
    }
    va_end(again);
    return r;
}

GsObject *gs_str_intern(GsThread *ts, GsObject *s)
{
    if (!s || as_str(s)->interned || !str_can_intern(ts))
        return s;
    GsObject *d = ts->interp->interned;
    GsObject *old = gs_dict_get(ts, d, s);   /* cannot fail: str keys only */
    if (old) {
        gs_incref(ts, old);
        gs_decref(ts, s);
        return old;
    }
    if (gs_dict_set(ts, d, s, s) < 0) {
        gs_decref(ts, s);
        return NULL;
    }
    as_str(s)->interned = true;
    return s;
}

GsObject *gs_str_intern_c(GsThread *ts, const char *cstr)
{
    return gs_str_intern(ts, gs_str_from(ts, cstr));
}

static GsObject *str_empty(GsThread *ts) { return gs_str_new(ts, "", 0); }

/* ======================================================================
 * Indexing by code point
 * ====================================================================== */

/* Where this thread's last character walk ended, so that the next walk
 * over the same string can continue from there.  str_dealloc forgets a
 * string that dies; the serial number guards against another thread's
 * string reusing the address of one this thread remembers. */
static _Thread_local struct {
    const GsStr *s;
    uint32_t serial;
    size_t cp, off;
} str_cursor;

/* Byte offset of code point i (0 <= i <= nchars). */
static size_t str_offset(const GsStr *s, size_t i)
{
    if (s->ascii)
        return i;
    if (i >= s->nchars)
        return s->nbytes;
    size_t cp = 0, off = 0;
    if (str_cursor.s == s && str_cursor.serial == s->ob.serial) {
        /* continue forwards, or go backwards when that is shorter */
        if (str_cursor.cp <= i || str_cursor.cp - i < i) {
            cp = str_cursor.cp;
            off = str_cursor.off;
        }
    }
    while (cp > i && off > 0) {
        off = utf8_prev(s->data, off);
        cp--;
    }
    while (cp < i && off < s->nbytes) {
        off = utf8_next(s->data, s->nbytes, off);
        cp++;
    }
    str_cursor.s = s;
    str_cursor.serial = s->ob.serial;
    str_cursor.cp = cp;
    str_cursor.off = off;
    return off;
}

/* Code point index of byte offset off, given that byte offset base is
 * code point base_cp. */
static size_t str_index_at(const GsStr *s, size_t base_cp, size_t base, size_t off)
{
    return base_cp + (s->ascii ? off - base : utf8_count(s->data + base, off - base));
}

/* s[b:e] by byte offsets on character boundaries; s itself when that is
 * all of it. */
static GsObject *str_subbytes(GsThread *ts, GsStr *s, size_t b, size_t e)
{
    if (b == 0 && e == s->nbytes)
        return gs_newref(ts, (GsObject *)s);
    return gs_str_new(ts, s->data + b, e - b);
}

/* s[i:j] by code points, 0 <= i <= j <= nchars. */
static GsObject *str_substr(GsThread *ts, GsStr *s, size_t i, size_t j)
{
    size_t b = str_offset(s, i);
    return str_subbytes(ts, s, b, str_offset(s, j));
}

GsObject *gs_str_char_at(GsThread *ts, GsObject *o, int64_t i)
{
    GsStr *s = as_str(o);
    size_t off = str_offset(s, (size_t)i);
    size_t end = off < s->nbytes ? utf8_next(s->data, s->nbytes, off) : off;
    return gs_str_new(ts, s->data + off, end - off);
}

static GsObject *str_slice(GsThread *ts, GsStr *s, GsObject *slice)
{
    int64_t start, stop, step, n;
    if (gs_slice_indices(ts, slice, (int64_t)s->nchars, &start, &stop, &step, &n) < 0)
        return NULL;
    if (n <= 0)
        return str_empty(ts);
    if (step == 1)
        return str_substr(ts, s, (size_t)start, (size_t)(start + n));
    GsBuf b;
    gs_buf_init(&b);
    for (int64_t k = 0, i = start; k < n; k++, i += step) {
        size_t off = str_offset(s, (size_t)i);
        gs_buf_put(&b, s->data + off, utf8_next(s->data, s->nbytes, off) - off);
    }
    return gs_buf_finish(ts, &b);
}

GsObject *gs_str_getitem(GsThread *ts, GsObject *o, GsObject *key)
{
    GsStr *s = as_str(o);
    if (GS_IS_INT(key)) {
        int64_t i;
        if (gs_seq_index(ts, key, (int64_t)s->nchars, "string", &i) < 0)
            return NULL;
        return gs_str_char_at(ts, o, i);
    }
    if (gs_is(key, &gs_slice_type))
        return str_slice(ts, s, key);
    return gs_err_set(ts, &gs_exc_TypeError, "string indices must be integers");
}

/* ======================================================================
 * Concatenation, repetition, equality
 * ====================================================================== */

GsObject *gs_str_concat(GsThread *ts, GsObject *a, GsObject *b)
{
    if (!GS_IS_STR(b))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "can only concatenate str (not \"%s\") to str", gs_type_name(b));
    GsStr *x = as_str(a), *y = as_str(b);
    if (y->nbytes == 0)
        return gs_newref(ts, a);
    if (x->nbytes == 0)
        return gs_newref(ts, b);
    if (x->nbytes > SIZE_MAX / 2 - y->nbytes)
        return gs_err_set(ts, &gs_exc_OverflowError, "strings are too large to concat");
    GsStr *r = str_alloc(ts, x->nbytes + y->nbytes);
    if (!r)
        return NULL;
    memcpy(r->data, x->data, x->nbytes);
    memcpy(r->data + x->nbytes, y->data, y->nbytes);
    r->nchars = x->nchars + y->nchars;
    r->ascii = x->ascii && y->ascii;
    return (GsObject *)r;
}

GsObject *gs_str_repeat(GsThread *ts, GsObject *o, int64_t n)
{
    GsStr *s = as_str(o);
    if (n <= 0 || s->nbytes == 0)
        return str_empty(ts);
    if (n == 1)
        return gs_newref(ts, o);
    if ((uint64_t)n > (SIZE_MAX / 2) / s->nbytes)
        return gs_err_set(ts, &gs_exc_OverflowError, "repeated string is too long");
    size_t total = s->nbytes * (size_t)n;
    GsStr *r = str_alloc(ts, total);
    if (!r)
        return NULL;
    /* copy once, then keep doubling what is already there */
    memcpy(r->data, s->data, s->nbytes);
    for (size_t done = s->nbytes; done < total;) {
        size_t chunk = done < total - done ? done : total - done;
        memcpy(r->data + done, r->data, chunk);
        done += chunk;
    }
    r->nchars = s->nchars * (size_t)n;
    r->ascii = s->ascii;
    return (GsObject *)r;
}

bool gs_str_eq(GsObject *a, GsObject *b)
{
    if (a == b)
        return true;
    GsStr *x = as_str(a), *y = as_str(b);
    if (x->nbytes != y->nbytes)
        return false;
    if (x->hash != -1 && y->hash != -1 && x->hash != y->hash)
        return false;
    return memcmp(x->data, y->data, x->nbytes) == 0;
}

/* -1, 0, 1.  UTF-8 byte order is code point order. */
static int str_cmp(GsStr *x, GsStr *y)
{
    size_t n = x->nbytes < y->nbytes ? x->nbytes : y->nbytes;
    int c = memcmp(x->data, y->data, n);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (x->nbytes > y->nbytes) - (x->nbytes < y->nbytes);
}

/* ======================================================================
 * repr
 * ====================================================================== */

static void buf_put_escape(GsBuf *b, uint32_t c)
{
    if (c <= 0xFF)
        gs_buf_printf(b, "\\x%02" PRIx32, c);
    else if (c <= 0xFFFF)
        gs_buf_printf(b, "\\u%04" PRIx32, c);
    else
        gs_buf_printf(b, "\\U%08" PRIx32, c);
}

/* repr(s), or ascii(s) when ascii_only: CPython's quoting rules. */
static void str_put_repr(GsBuf *b, const GsStr *s, bool ascii_only)
{
    bool has_squote = memchr(s->data, '\'', s->nbytes) != NULL;
    bool has_dquote = memchr(s->data, '"', s->nbytes) != NULL;
    char quote = has_squote && !has_dquote ? '"' : '\'';
    gs_buf_putc(b, quote);
    for (size_t off = 0, next; off < s->nbytes; off = next) {
        uint32_t c = utf8_decode(s->data, s->nbytes, off, &next);
        if (c == (uint32_t)quote || c == '\\') {
            gs_buf_putc(b, '\\');
            gs_buf_putc(b, (char)c);
        } else if (c == '\t') {
            gs_buf_puts(b, "\\t");
        } else if (c == '\n') {
            gs_buf_puts(b, "\\n");
        } else if (c == '\r') {
            gs_buf_puts(b, "\\r");
        } else if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                buf_put_escape(b, c);
            else
                gs_buf_putc(b, (char)c);
        } else if (!ascii_only && ucs_isprintable(c)) {
            gs_buf_put(b, s->data + off, next - off);
        } else {
            buf_put_escape(b, c);
        }
    }
    gs_buf_putc(b, quote);
}

static GsObject *str_repr(GsThread *ts, GsObject *o)
{
    GsBuf b;
    gs_buf_init(&b);
    str_put_repr(&b, as_str(o), false);
    return gs_buf_finish(ts, &b);
}

/* ascii(o): repr(o) with every non-ASCII character escaped (the builtin
 * ascii(), the !a conversion and %a). */
GsObject *gs_str_ascii(GsThread *ts, GsObject *o)
{
    GsObject *r = gs_repr(ts, o);
    if (!r || as_str(r)->ascii)
        return r;
    GsStr *s = as_str(r);
    GsBuf b;
    gs_buf_init(&b);
    for (size_t off = 0, next; off < s->nbytes; off = next) {
        uint32_t c = utf8_decode(s->data, s->nbytes, off, &next);
        if (c < 0x80)
            gs_buf_putc(&b, (char)c);
        else
            buf_put_escape(&b, c);
    }
    gs_decref(ts, r);
    return gs_buf_finish(ts, &b);
}

/* ======================================================================
 * The other slots
 * ====================================================================== */

/* The characters are inline: nothing to release but this thread's
 * memory of where it last walked. */
static void str_dealloc(GsThread *ts, GsObject *o)
{
    if (str_cursor.s == as_str(o))
        str_cursor.s = NULL;
}

static GsObject *str_str(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

/* FNV-1a over the UTF-8 bytes: deterministic from run to run (CPython
 * randomises str hashes; a teaching tool wants reproducible dict layouts). */
static int64_t str_hash(GsThread *ts, GsObject *o)
{
    GsStr *s = as_str(o);
    if (s->hash != -1)
        return s->hash;
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < s->nbytes; i++) {
        h ^= (unsigned char)s->data[i];
        h *= 1099511628211u;
    }
    int64_t r = (int64_t)h;
    s->hash = r == -1 ? -2 : r;   /* -1 means "error" to callers */
    return s->hash;
}

static GsObject *str_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (!GS_IS_STR(a) || !GS_IS_STR(b))
        return GS_NOTIMPL;
    bool r;
    if (op == GS_CMP_EQ || op == GS_CMP_NE) {
        r = gs_str_eq(a, b) == (op == GS_CMP_EQ);
    } else {
        int c = str_cmp(as_str(a), as_str(b));
        switch (op) {
        case GS_CMP_LT: r = c < 0; break;
        case GS_CMP_LE: r = c <= 0; break;
        case GS_CMP_GT: r = c > 0; break;
        default: r = c >= 0; break;
        }
    }
    return gs_newref(ts, gs_bool(r));
}

static int64_t str_len(GsThread *ts, GsObject *o) { return (int64_t)as_str(o)->nchars; }

static int str_contains(GsThread *ts, GsObject *o, GsObject *v)
{
    if (!GS_IS_STR(v)) {
        gs_err_set(ts, &gs_exc_TypeError, "'in <string>' requires string as left operand, not %s",
                   gs_type_name(v));
        return -1;
    }
    GsStr *s = as_str(o), *sub = as_str(v);
    return bytes_find(s->data, s->nbytes, sub->data, sub->nbytes) >= 0;
}

static GsObject *str_iter(GsThread *ts, GsObject *o) { return gs_iter_new(ts, o, GS_ITER_STR); }

/* str(), str(x), and str(b, encoding[, errors]) == b.decode(encoding[, errors]). */
static GsObject *str_new_slot(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "str", kwnames) < 0 || gs_check_nargs(ts, "str", nargs, 0, 3) < 0)
        return NULL;
    if (nargs == 0)
        return str_empty(ts);
    if (nargs == 1)
        return gs_str(ts, args[0]);
    if (GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "decoding str is not supported");
    if (!gs_is(args[0], &gs_bytes_type))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "decoding to str: need a bytes-like object, %s found",
                          gs_type_name(args[0]));
    GsObject *decode = gs_getattr_c(ts, args[0], "decode");
    if (!decode)
        return NULL;
    GsObject *r = gs_call(ts, decode, args + 1, nargs - 1, NULL);
    gs_decref(ts, decode);
    return r;
}

/* ======================================================================
 * Method arguments
 * ====================================================================== */


/* For the methods that, as in CPython 3.9, take positional arguments only. */
static int args_positional(GsThread *ts, const char *name, size_t nargs, GsObject *kwnames,
                           size_t min, size_t max)
{
    if (gs_check_no_kw(ts, name, kwnames) < 0)
        return -1;
    return gs_check_nargs(ts, name, nargs, min, max);
}

/* Bind the arguments of a method whose (optional) parameters may also be
 * given by keyword: out[i] receives the argument for params[i], borrowed,
 * or NULL if it was not given.  Keyword values are the last
 * len(kwnames) entries of args. */
static int args_bind(GsThread *ts, const char *name, const char *const *params, size_t nparams,
                     GsObject *const *args, size_t nargs, GsObject *kwnames, GsObject **out)
{
    size_t nkw = gs_kw_count(kwnames), npos = nargs - nkw;
    if (npos > nparams) {
        gs_err_set(ts, &gs_exc_TypeError, "%s() takes at most %zu argument%s (%zu given)", name,
                   nparams, nparams == 1 ? "" : "s", nargs);
        return -1;
    }
    for (size_t i = 0; i < nparams; i++)
        out[i] = i < npos ? args[i] : NULL;
    for (size_t k = 0; k < nkw; k++) {
        const char *kw = gs_str_cstr(((GsTuple *)kwnames)->items[k]);
        size_t j = 0;
        while (j < nparams && strcmp(params[j], kw) != 0)
            j++;
        if (j == nparams) {
            gs_err_set(ts, &gs_exc_TypeError, "'%s' is an invalid keyword argument for %s()", kw,
                       name);
            return -1;
        }
        if (out[j]) {
            gs_err_set(ts, &gs_exc_TypeError,
                       "argument for %s() given by name ('%s') and position (%zu)", name, kw,
                       j + 1);
            return -1;
        }
        out[j] = args[npos + k];
    }
    return 0;
}

static int arg_int(GsThread *ts, GsObject *o, int64_t *out)
{
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                   gs_type_name(o));
        return -1;
    }
    return gs_int_to_int64(ts, o, out, "Python int too large to convert to C ssize_t");
}

/* TypeError "<prefix>must be str, not int" unless o is a str. */
static int arg_str(GsThread *ts, GsObject *o, const char *prefix)
{
    if (GS_IS_STR(o))
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "%smust be str, not %s", prefix, gs_type_name(o));
    return -1;
}

static int arg_slice_index(GsThread *ts, GsObject *o, int64_t *out)
{
    if (o == GS_NONE)
        return 0;
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    *out = gs_int_value(o);
    return 0;
}

/* The optional [start[, end]] arguments at args[first..] of find, count,
 * startswith..., clipped like CPython's ADJUST_INDICES: end into
 * [0, len], start to >= 0 (start may stay beyond len: nothing matches). */
static int args_range(GsThread *ts, GsObject *const *args, size_t nargs, size_t first,
                      size_t len, int64_t *start, int64_t *end)
{
    int64_t n = (int64_t)len;
    *start = 0;
    *end = n;
    if (nargs > first && arg_slice_index(ts, args[first], start) < 0)
        return -1;
    if (nargs > first + 1 && arg_slice_index(ts, args[first + 1], end) < 0)
        return -1;
    if (*end > n)
        *end = n;
    else if (*end < 0 && (*end += n) < 0)
        *end = 0;
    if (*start < 0 && (*start += n) < 0)
        *start = 0;
    return 0;
}

/* Error for a method called on something that is not a str, as
 * `str.upper(5)` does. */
static GsObject *str_bad_self(GsThread *ts, const char *name, GsObject *self)
{
    return gs_err_set(ts, &gs_exc_TypeError,
                      "descriptor '%s' for 'str' objects doesn't apply to a '%s' object", name,
                      gs_type_name(self));
}

/* Define method NAME: a GsCFunc str_NAME that checks self and calls the
 * body that follows, str_NAME_impl, with `GsStr *s` for self. */
#define STR_METHOD(NAME)                                                                    \
    static GsObject *str_##NAME##_impl(GsThread *ts, GsStr *s, GsObject *const *args,       \
                                       size_t nargs, GsObject *kwnames);                     \
    static GsObject *str_##NAME(GsThread *ts, GsObject *self, GsObject *const *args,        \
                                size_t nargs, GsObject *kwnames)                             \
    {                                                                                        \
        if (!GS_IS_STR(self))                                                                \
            return str_bad_self(ts, #NAME, self);                                            \
        return str_##NAME##_impl(ts, as_str(self), args, nargs, kwnames);                    \
    }                                                                                        \
    static GsObject *str_##NAME##_impl(GsThread *ts, GsStr *s, GsObject *const *args,       \
                                       size_t nargs, GsObject *kwnames)

/* Append s[b:e] to list; -1 on error. */
static int list_add_piece(GsThread *ts, GsObject *list, GsStr *s, size_t b, size_t e)
{
    GsObject *piece = str_subbytes(ts, s, b, e);
    if (!piece)
        return -1;
    int rc = gs_list_append(ts, list, piece);
    gs_decref(ts, piece);
    return rc;
}

static void list_reverse(GsObject *list)
{
    GsList *l = (GsList *)list;
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        GsObject *t = l->items[i];
        l->items[i] = l->items[j - 1];
        l->items[j - 1] = t;
    }
}

/* Drop list and return NULL: the common error exit of the split family. */
static GsObject *list_fail(GsThread *ts, GsObject *list)
{
    gs_decref(ts, list);
    return NULL;
}

/* ======================================================================
 * split, rsplit, splitlines, join
 * ====================================================================== */

/* From off, skip characters while their being whitespace equals ws. */
static size_t skip_fwd(const GsStr *s, size_t off, bool ws)
{
    while (off < s->nbytes) {
        size_t next;
        if (ucs_isspace(utf8_decode(s->data, s->nbytes, off, &next)) != ws)
            break;
        off = next;
    }
    return off;
}

/* The same backwards: move end back over such characters. */
static size_t skip_back(const GsStr *s, size_t end, bool ws)
{
    while (end > 0) {
        size_t start = utf8_prev(s->data, end), next;
        if (ucs_isspace(utf8_decode(s->data, s->nbytes, start, &next)) != ws)
            break;
        end = start;
    }
    return end;
}

static GsObject *split_whitespace(GsThread *ts, GsStr *s, int64_t maxsplit)
{
    GsObject *list = gs_list_new(ts, 0);
    if (!list)
        return NULL;
    for (size_t i = skip_fwd(s, 0, true); i < s->nbytes; i = skip_fwd(s, i, true)) {
        /* out of splits: the rest, trailing whitespace included, is one piece */
        size_t j = maxsplit-- == 0 ? s->nbytes : skip_fwd(s, i, false);
        if (list_add_piece(ts, list, s, i, j) < 0)
            return list_fail(ts, list);
        i = j;
    }
    return list;
}

static GsObject *rsplit_whitespace(GsThread *ts, GsStr *s, int64_t maxsplit)
{
    GsObject *list = gs_list_new(ts, 0);
    if (!list)
        return NULL;
    for (size_t j = skip_back(s, s->nbytes, true); j > 0; j = skip_back(s, j, true)) {
        size_t i = maxsplit-- == 0 ? 0 : skip_back(s, j, false);
        if (list_add_piece(ts, list, s, i, j) < 0)
            return list_fail(ts, list);
        j = i;
    }
    list_reverse(list);
    return list;
}

static GsObject *split_sep(GsThread *ts, GsStr *s, GsStr *sep, int64_t maxsplit)
{
    GsObject *list = gs_list_new(ts, 0);
    if (!list)
        return NULL;
    size_t i = 0;
    for (; maxsplit > 0; maxsplit--) {
        int64_t pos = bytes_find(s->data + i, s->nbytes - i, sep->data, sep->nbytes);
        if (pos < 0)
            break;
        if (list_add_piece(ts, list, s, i, i + (size_t)pos) < 0)
            return list_fail(ts, list);
        i += (size_t)pos + sep->nbytes;
    }
    if (list_add_piece(ts, list, s, i, s->nbytes) < 0)
        return list_fail(ts, list);
    return list;
}

static GsObject *rsplit_sep(GsThread *ts, GsStr *s, GsStr *sep, int64_t maxsplit)
{
    GsObject *list = gs_list_new(ts, 0);
    if (!list)
        return NULL;
    size_t j = s->nbytes;
    for (; maxsplit > 0; maxsplit--) {
        int64_t pos = bytes_rfind(s->data, j, sep->data, sep->nbytes);
        if (pos < 0)
            break;
        if (list_add_piece(ts, list, s, (size_t)pos + sep->nbytes, j) < 0)
            return list_fail(ts, list);
        j = (size_t)pos;
    }
    if (list_add_piece(ts, list, s, 0, j) < 0)
        return list_fail(ts, list);
    list_reverse(list);
    return list;
}

static GsObject *split_common(GsThread *ts, GsStr *s, GsObject *const *args, size_t nargs,
                              GsObject *kwnames, const char *name, bool right)
{
    static const char *const params[] = { "sep", "maxsplit" };
    GsObject *a[2];
    if (args_bind(ts, name, params, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    GsObject *sep = a[0] == GS_NONE ? NULL : a[0];
    int64_t maxsplit = -1;
    if (sep && !GS_IS_STR(sep))
        return gs_err_set(ts, &gs_exc_TypeError, "must be str or None, not %s", gs_type_name(sep));
    if (a[1] && arg_int(ts, a[1], &maxsplit) < 0)
        return NULL;
    if (maxsplit < 0)
        maxsplit = INT64_MAX;
    if (!sep)
        return right ? rsplit_whitespace(ts, s, maxsplit) : split_whitespace(ts, s, maxsplit);
    if (as_str(sep)->nbytes == 0)
        return gs_err_set(ts, &gs_exc_ValueError, "empty separator");
    if (right)
        return rsplit_sep(ts, s, as_str(sep), maxsplit);
    return split_sep(ts, s, as_str(sep), maxsplit);
}

STR_METHOD(split) { return split_common(ts, s, args, nargs, kwnames, "split", false); }
STR_METHOD(rsplit) { return split_common(ts, s, args, nargs, kwnames, "rsplit", true); }

STR_METHOD(splitlines)
{
    static const char *const params[] = { "keepends" };
    GsObject *a[1];
    int64_t keepends = 0;
    if (args_bind(ts, "splitlines", params, 1, args, nargs, kwnames, a) < 0)
        return NULL;
    if (a[0] && arg_int(ts, a[0], &keepends) < 0)
        return NULL;
    GsObject *list = gs_list_new(ts, 0);
    if (!list)
        return NULL;
    for (size_t i = 0; i < s->nbytes;) {
        size_t eol = i, next = i;
        while (eol < s->nbytes) {
            uint32_t c = utf8_decode(s->data, s->nbytes, eol, &next);
            if (ucs_islinebreak(c)) {
                if (c == '\r' && next < s->nbytes && s->data[next] == '\n')
                    next++;
                break;
            }
            eol = next;
        }
        if (list_add_piece(ts, list, s, i, keepends ? next : eol) < 0)
            return list_fail(ts, list);
        i = next;
    }
    return list;
}

/* The items of a list or tuple, borrowed. */
static GsObject *const *seq_items(GsObject *seq, size_t *n)
{
    if (GS_IS_LIST(seq)) {
        *n = ((GsList *)seq)->len;
        return ((GsList *)seq)->items;
    }
    *n = ((GsTuple *)seq)->len;
    return ((GsTuple *)seq)->items;
}

/* join's argument as a list or tuple (new reference). */
static GsObject *join_sequence(GsThread *ts, GsObject *iterable)
{
    if (GS_IS_LIST(iterable) || GS_IS_TUPLE(iterable))
        return gs_newref(ts, iterable);
    GsObject *it = gs_getiter(ts, iterable);
    if (!it) {
        if (gs_err_matches(ts, &gs_exc_TypeError)) {
            gs_err_clear(ts);
            gs_err_set(ts, &gs_exc_TypeError, "can only join an iterable");
        }
        return NULL;
    }
    GsObject *list = gs_sequence_to_list(ts, it);
    gs_decref(ts, it);
    return list;
}

static GsObject *join_items(GsThread *ts, GsStr *sep, GsObject *const *items, size_t n)
{
    if (n == 0)
        return str_empty(ts);
    size_t total = sep->nbytes * (n - 1);
    for (size_t i = 0; i < n; i++) {
        if (!GS_IS_STR(items[i]))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "sequence item %zu: expected str instance, %s found", i,
                              gs_type_name(items[i]));
        total += as_str(items[i])->nbytes;
    }
    if (n == 1)
        return gs_newref(ts, items[0]);
    GsStr *r = str_alloc(ts, total);
    if (!r)
        return NULL;
    char *p = r->data;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            memcpy(p, sep->data, sep->nbytes);
            p += sep->nbytes;
        }
        memcpy(p, as_str(items[i])->data, as_str(items[i])->nbytes);
        p += as_str(items[i])->nbytes;
    }
    return str_seal(r);
}

STR_METHOD(join)
{
    if (args_positional(ts, "join", nargs, kwnames, 1, 1) < 0)
        return NULL;
    GsObject *seq = join_sequence(ts, args[0]);
    if (!seq)
        return NULL;
    size_t n;
    GsObject *const *items = seq_items(seq, &n);
    GsObject *r = join_items(ts, s, items, n);
    gs_decref(ts, seq);
    return r;
}

/* ======================================================================
 * Case
 * ====================================================================== */

enum { CASE_UPPER, CASE_LOWER, CASE_SWAP, CASE_FOLD, CASE_TITLE, CASE_CAPITALIZE };

/* Append the upper / title / folded form of c.  'ß' is the one character
 * whose full mapping is two characters that is handled; others map one
 * to one. */
static void put_upper(GsBuf *b, uint32_t c)
{
    if (c == 0xDF)
        gs_buf_puts(b, "SS");
    else
        buf_put_cp(b, ucs_toupper(c));
}

static void put_title(GsBuf *b, uint32_t c)
{
    if (c == 0xDF)
        gs_buf_puts(b, "Ss");
    else
        buf_put_cp(b, ucs_totitle(c));
}

static void put_fold(GsBuf *b, uint32_t c)
{
    if (c == 0xDF)
        gs_buf_puts(b, "ss");
    else
        buf_put_cp(b, ucs_tolower(c));
}

/* One character of a case conversion; *prev_cased carries the state of
 * title() (was the previous character cased?) and *first that of
 * capitalize(). */
static void case_put(GsBuf *b, uint32_t c, int mode, bool *prev_cased, bool *first)
{
    switch (mode) {
    case CASE_UPPER: put_upper(b, c); break;
    case CASE_LOWER: buf_put_cp(b, ucs_tolower(c)); break;
    case CASE_FOLD: put_fold(b, c); break;
    case CASE_SWAP:
        if (ucs_isupper(c))
            buf_put_cp(b, ucs_tolower(c));
        else if (ucs_islower(c))
            put_upper(b, c);
        else
            buf_put_cp(b, c);
        break;
    case CASE_TITLE:
        if (*prev_cased)
            buf_put_cp(b, ucs_tolower(c));
        else
            put_title(b, c);
        *prev_cased = ucs_iscased(c);
        break;
    default: /* CASE_CAPITALIZE */
        if (*first)
            put_title(b, c);
        else
            buf_put_cp(b, ucs_tolower(c));
        *first = false;
        break;
    }
}

static GsObject *case_convert(GsThread *ts, GsStr *s, size_t nargs, GsObject *kwnames,
                              const char *name, int mode)
{
    if (args_positional(ts, name, nargs, kwnames, 0, 0) < 0)
        return NULL;
    GsBuf b;
    gs_buf_init(&b);
    bool prev_cased = false, first = true;
    for (size_t off = 0, next; off < s->nbytes; off = next)
        case_put(&b, utf8_decode(s->data, s->nbytes, off, &next), mode, &prev_cased, &first);
    return gs_buf_finish(ts, &b);
}

STR_METHOD(upper) { return case_convert(ts, s, nargs, kwnames, "upper", CASE_UPPER); }
STR_METHOD(lower) { return case_convert(ts, s, nargs, kwnames, "lower", CASE_LOWER); }
STR_METHOD(swapcase) { return case_convert(ts, s, nargs, kwnames, "swapcase", CASE_SWAP); }
STR_METHOD(casefold) { return case_convert(ts, s, nargs, kwnames, "casefold", CASE_FOLD); }
STR_METHOD(title) { return case_convert(ts, s, nargs, kwnames, "title", CASE_TITLE); }
STR_METHOD(capitalize)
{
    return case_convert(ts, s, nargs, kwnames, "capitalize", CASE_CAPITALIZE);
}

/* ======================================================================
 * Predicates
 * ====================================================================== */

/* True if s is non-empty (or empty_ok) and every character satisfies pred. */
static GsObject *all_chars(GsThread *ts, GsStr *s, size_t nargs, GsObject *kwnames,
                           const char *name, bool (*pred)(uint32_t), bool empty_ok)
{
    if (args_positional(ts, name, nargs, kwnames, 0, 0) < 0)
        return NULL;
    bool r = s->nbytes > 0 || empty_ok;
    for (size_t off = 0, next; r && off < s->nbytes; off = next)
        r = pred(utf8_decode(s->data, s->nbytes, off, &next));
    return gs_newref(ts, gs_bool(r));
}

STR_METHOD(isdigit) { return all_chars(ts, s, nargs, kwnames, "isdigit", ucs_isdigit, false); }
STR_METHOD(isdecimal)
{
    return all_chars(ts, s, nargs, kwnames, "isdecimal", ucs_isdecimal, false);
}
STR_METHOD(isnumeric)
{
    return all_chars(ts, s, nargs, kwnames, "isnumeric", ucs_isnumeric, false);
}
STR_METHOD(isalpha) { return all_chars(ts, s, nargs, kwnames, "isalpha", ucs_isalpha, false); }
STR_METHOD(isalnum) { return all_chars(ts, s, nargs, kwnames, "isalnum", ucs_isalnum, false); }
STR_METHOD(isspace) { return all_chars(ts, s, nargs, kwnames, "isspace", ucs_isspace, false); }
STR_METHOD(isascii) { return all_chars(ts, s, nargs, kwnames, "isascii", ucs_isascii, true); }
STR_METHOD(isprintable)
{
    return all_chars(ts, s, nargs, kwnames, "isprintable", ucs_isprintable, true);
}

/* isupper / islower: at least one cased character, and no cased
 * character of the other kind (a titlecase letter counts against both). */
static GsObject *cased_check(GsThread *ts, GsStr *s, size_t nargs, GsObject *kwnames,
                             const char *name, bool (*want)(uint32_t))
{
    if (args_positional(ts, name, nargs, kwnames, 0, 0) < 0)
        return NULL;
    bool cased = false;
    for (size_t off = 0, next; off < s->nbytes; off = next) {
        uint32_t c = utf8_decode(s->data, s->nbytes, off, &next);
        if (want(c))
            cased = true;
        else if (ucs_iscased(c))
            return gs_newref(ts, GS_FALSE);
    }
    return gs_newref(ts, gs_bool(cased));
}

STR_METHOD(isupper) { return cased_check(ts, s, nargs, kwnames, "isupper", ucs_isupper); }
STR_METHOD(islower) { return cased_check(ts, s, nargs, kwnames, "islower", ucs_islower); }

/* Upper and title case characters only after uncased ones, lower case
 * only after cased ones, and at least one cased character. */
STR_METHOD(istitle)
{
    if (args_positional(ts, "istitle", nargs, kwnames, 0, 0) < 0)
        return NULL;
    bool cased = false, prev_cased = false;
    for (size_t off = 0, next; off < s->nbytes; off = next) {
        uint32_t c = utf8_decode(s->data, s->nbytes, off, &next);
        if (ucs_isupper(c) || ucs_istitle(c)) {
            if (prev_cased)
                return gs_newref(ts, GS_FALSE);
            prev_cased = cased = true;
        } else if (ucs_islower(c)) {
            if (!prev_cased)
                return gs_newref(ts, GS_FALSE);
            prev_cased = cased = true;
        } else {
            prev_cased = false;
        }
    }
    return gs_newref(ts, gs_bool(cased));
}

STR_METHOD(isidentifier)
{
    if (args_positional(ts, "isidentifier", nargs, kwnames, 0, 0) < 0)
        return NULL;
    bool r = s->nbytes > 0;
    for (size_t off = 0, next; r && off < s->nbytes; off = next) {
        uint32_t c = utf8_decode(s->data, s->nbytes, off, &next);
        r = off == 0 ? ucs_isidstart(c) : ucs_isidcont(c);
    }
    return gs_newref(ts, gs_bool(r));
}

/* ======================================================================
 * strip, padding
 * ====================================================================== */

/* Is the character p[0..n) one to strip: whitespace, or one of chars? */
static bool strip_match(const char *p, size_t n, uint32_t c, const GsStr *chars)
{
    if (!chars)
        return ucs_isspace(c);
    return bytes_find(chars->data, chars->nbytes, p, n) >= 0;
}

static GsObject *strip_common(GsThread *ts, GsStr *s, GsObject *const *args, size_t nargs,
                              GsObject *kwnames, const char *name, bool left, bool right)
{
    if (args_positional(ts, name, nargs, kwnames, 0, 1) < 0)
        return NULL;
    const GsStr *chars = NULL;
    if (nargs == 1 && args[0] != GS_NONE) {
        if (!GS_IS_STR(args[0]))
            return gs_err_set(ts, &gs_exc_TypeError, "%s arg must be None or str", name);
        chars = as_str(args[0]);
    }
    size_t b = 0, e = s->nbytes, next;
    while (left && b < e) {
        uint32_t c = utf8_decode(s->data, s->nbytes, b, &next);
        if (!strip_match(s->data + b, next - b, c, chars))
            break;
        b = next;
    }
    while (right && e > b) {
        size_t p = utf8_prev(s->data, e);
        uint32_t c = utf8_decode(s->data, s->nbytes, p, &next);
        if (!strip_match(s->data + p, next - p, c, chars))
            break;
        e = p;
    }
    return str_subbytes(ts, s, b, e);
}

STR_METHOD(strip) { return strip_common(ts, s, args, nargs, kwnames, "strip", true, true); }
STR_METHOD(lstrip) { return strip_common(ts, s, args, nargs, kwnames, "lstrip", true, false); }
STR_METHOD(rstrip) { return strip_common(ts, s, args, nargs, kwnames, "rstrip", false, true); }

/* s with `left` copies of the character fill[0..fb) before it and
 * `right` copies after it. */
static GsObject *str_padded(GsThread *ts, GsStr *s, size_t left, size_t right, const char *fill,
                            size_t fb)
{
    if (left + right > (SIZE_MAX / 4 - s->nbytes) / fb)
        return gs_err_set(ts, &gs_exc_OverflowError, "padded string is too long");
    GsStr *r = str_alloc(ts, s->nbytes + (left + right) * fb);
    if (!r)
        return NULL;
    char *p = r->data;
    for (size_t i = 0; i < left; i++, p += fb)
        memcpy(p, fill, fb);
    memcpy(p, s->data, s->nbytes);
    p += s->nbytes;
    for (size_t i = 0; i < right; i++, p += fb)
        memcpy(p, fill, fb);
    r->nchars = s->nchars + left + right;
    r->ascii = s->ascii && fb == 1;
    return (GsObject *)r;
}

enum { PAD_LEFT, PAD_RIGHT, PAD_CENTER };   /* where the text goes: ljust, rjust, center */

static GsObject *pad_common(GsThread *ts, GsStr *s, GsObject *const *args, size_t nargs,
                            GsObject *kwnames, const char *name, int where)
{
    int64_t width;
    if (args_positional(ts, name, nargs, kwnames, 1, 2) < 0 || arg_int(ts, args[0], &width) < 0)
        return NULL;
    const char *fill = " ";
    size_t fb = 1;
    if (nargs == 2) {
        if (!GS_IS_STR(args[1]))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "The fill character must be a unicode character, not %s",
                              gs_type_name(args[1]));
        if (as_str(args[1])->nchars != 1)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "The fill character must be exactly one character long");
        fill = gs_str_cstr(args[1]);
        fb = as_str(args[1])->nbytes;
    }
    if (width <= (int64_t)s->nchars)
        return gs_newref(ts, (GsObject *)s);
    size_t marg = (size_t)width - s->nchars, left;
    if (where == PAD_LEFT)
        left = 0;
    else if (where == PAD_RIGHT)
        left = marg;
    else   /* CPython's rounding: the odd space goes right, unless width is odd too */
        left = marg / 2 + (marg & (size_t)width & 1);
    return str_padded(ts, s, left, marg - left, fill, fb);
}

STR_METHOD(ljust) { return pad_common(ts, s, args, nargs, kwnames, "ljust", PAD_LEFT); }
STR_METHOD(rjust) { return pad_common(ts, s, args, nargs, kwnames, "rjust", PAD_RIGHT); }
STR_METHOD(center) { return pad_common(ts, s, args, nargs, kwnames, "center", PAD_CENTER); }

STR_METHOD(zfill)
{
    int64_t width;
    if (args_positional(ts, "zfill", nargs, kwnames, 1, 1) < 0 || arg_int(ts, args[0], &width) < 0)
        return NULL;
    if (width <= (int64_t)s->nchars)
        return gs_newref(ts, (GsObject *)s);
    size_t zeros = (size_t)width - s->nchars;
    GsStr *r = str_alloc(ts, s->nbytes + zeros);
    if (!r)
        return NULL;
    /* the zeros go after a leading sign */
    size_t sign = s->nbytes > 0 && (s->data[0] == '+' || s->data[0] == '-');
    memcpy(r->data, s->data, sign);
    memset(r->data + sign, '0', zeros);
    memcpy(r->data + sign + zeros, s->data + sign, s->nbytes - sign);
    r->nchars = s->nchars + zeros;
    r->ascii = s->ascii;
    return (GsObject *)r;
}

STR_METHOD(expandtabs)
{
    static const char *const params[] = { "tabsize" };
    GsObject *a[1];
    int64_t tabsize = 8, column = 0;
    if (args_bind(ts, "expandtabs", params, 1, args, nargs, kwnames, a) < 0)
        return NULL;
    if (a[0] && arg_int(ts, a[0], &tabsize) < 0)
        return NULL;
    if (tabsize > INT32_MAX)
        return gs_err_set(ts, &gs_exc_OverflowError, "result too long");
    GsBuf b;
    gs_buf_init(&b);
    for (size_t off = 0, next; off < s->nbytes; off = next) {
        uint32_t c = utf8_decode(s->data, s->nbytes, off, &next);
        if (c == '\t') {
            int64_t spaces = tabsize > 0 ? tabsize - column % tabsize : 0;
            for (int64_t i = 0; i < spaces; i++)
                gs_buf_putc(&b, ' ');
            column += spaces;
            continue;
        }
        gs_buf_put(&b, s->data + off, next - off);
        column = c == '\n' || c == '\r' ? 0 : column + 1;
    }
    return gs_buf_finish(ts, &b);
}

/* ======================================================================
 * Searching
 * ====================================================================== */

/* Index of the first (or last) sub in s[start:end], or -1. */
static int64_t str_search(GsStr *s, GsStr *sub, int64_t start, int64_t end, bool last)
{
    if (end - start < (int64_t)sub->nchars)
        return -1;
    size_t b = str_offset(s, (size_t)start), e = str_offset(s, (size_t)end);
    int64_t pos = last ? bytes_rfind(s->data + b, e - b, sub->data, sub->nbytes)
                       : bytes_find(s->data + b, e - b, sub->data, sub->nbytes);
    if (pos < 0)
        return -1;
    return (int64_t)str_index_at(s, (size_t)start, b, b + (size_t)pos);
}

static GsObject *find_common(GsThread *ts, GsStr *s, GsObject *const *args, size_t nargs,
                             GsObject *kwnames, const char *name, bool last, bool raise)
{
    int64_t start, end;
    if (args_positional(ts, name, nargs, kwnames, 1, 3) < 0 || arg_str(ts, args[0], "") < 0 ||
        args_range(ts, args, nargs, 1, s->nchars, &start, &end) < 0)
        return NULL;
    int64_t i = str_search(s, as_str(args[0]), start, end, last);
    if (i < 0 && raise)
        return gs_err_set(ts, &gs_exc_ValueError, "substring not found");
    return gs_int_new(ts, i);
}

STR_METHOD(find) { return find_common(ts, s, args, nargs, kwnames, "find", false, false); }
STR_METHOD(rfind) { return find_common(ts, s, args, nargs, kwnames, "rfind", true, false); }
STR_METHOD(index) { return find_common(ts, s, args, nargs, kwnames, "index", false, true); }
STR_METHOD(rindex) { return find_common(ts, s, args, nargs, kwnames, "rindex", true, true); }

STR_METHOD(count)
{
    int64_t start, end;
    if (args_positional(ts, "count", nargs, kwnames, 1, 3) < 0 || arg_str(ts, args[0], "") < 0 ||
        args_range(ts, args, nargs, 1, s->nchars, &start, &end) < 0)
        return NULL;
    GsStr *sub = as_str(args[0]);
    if (end - start < (int64_t)sub->nchars)
        return gs_int_new(ts, 0);
    if (sub->nbytes == 0)   /* the empty string occurs between every two characters */
        return gs_int_new(ts, end - start + 1);
    size_t b = str_offset(s, (size_t)start), e = str_offset(s, (size_t)end);
    int64_t n = 0, pos;
    while ((pos = bytes_find(s->data + b, e - b, sub->data, sub->nbytes)) >= 0) {
        n++;
        b += (size_t)pos + sub->nbytes;
    }
    return gs_int_new(ts, n);
}

static bool str_tailmatch(GsStr *s, GsStr *sub, int64_t start, int64_t end, bool at_end)
{
    if (end - start < (int64_t)sub->nchars)
        return false;
    size_t b = str_offset(s, (size_t)start), e = str_offset(s, (size_t)end);
    if (e - b < sub->nbytes)
        return false;
    return memcmp(at_end ? s->data + e - sub->nbytes : s->data + b, sub->data, sub->nbytes) == 0;
}

/* startswith / endswith: a str or a tuple of str, tried in order. */
static GsObject *tailmatch_common(GsThread *ts, GsStr *s, GsObject *const *args, size_t nargs,
                                  GsObject *kwnames, const char *name, bool at_end)
{
    int64_t start, end;
    if (args_positional(ts, name, nargs, kwnames, 1, 3) < 0 ||
        args_range(ts, args, nargs, 1, s->nchars, &start, &end) < 0)
        return NULL;
    GsObject *what = args[0];
    if (GS_IS_STR(what))
        return gs_newref(ts, gs_bool(str_tailmatch(s, as_str(what), start, end, at_end)));
    if (!GS_IS_TUPLE(what))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "%s first arg must be str or a tuple of str, not %s", name,
                          gs_type_name(what));
    GsTuple *t = (GsTuple *)what;
    for (size_t i = 0; i < t->len; i++) {
        if (!GS_IS_STR(t->items[i]))
            return gs_err_set(ts, &gs_exc_TypeError, "tuple for %s must only contain str, not %s",
                              name, gs_type_name(t->items[i]));
        if (str_tailmatch(s, as_str(t->items[i]), start, end, at_end))
            return gs_newref(ts, GS_TRUE);
    }
    return gs_newref(ts, GS_FALSE);
}

STR_METHOD(startswith)
{
    return tailmatch_common(ts, s, args, nargs, kwnames, "startswith", false);
}
STR_METHOD(endswith) { return tailmatch_common(ts, s, args, nargs, kwnames, "endswith", true); }

static GsObject *partition_common(GsThread *ts, GsStr *s, GsObject *const *args, size_t nargs,
                                  GsObject *kwnames, const char *name, bool last)
{
    if (args_positional(ts, name, nargs, kwnames, 1, 1) < 0 || arg_str(ts, args[0], "") < 0)
        return NULL;
    GsStr *sep = as_str(args[0]);
    if (sep->nbytes == 0)
        return gs_err_set(ts, &gs_exc_ValueError, "empty separator");
    int64_t pos = last ? bytes_rfind(s->data, s->nbytes, sep->data, sep->nbytes)
                       : bytes_find(s->data, s->nbytes, sep->data, sep->nbytes);
    GsObject *parts[3];
    if (pos < 0) {   /* not found: (s, '', '') or ('', '', s) */
        parts[last ? 2 : 0] = gs_newref(ts, (GsObject *)s);
        parts[1] = str_empty(ts);
        parts[last ? 0 : 2] = str_empty(ts);
    } else {
        parts[0] = str_subbytes(ts, s, 0, (size_t)pos);
        parts[1] = gs_newref(ts, (GsObject *)sep);
        parts[2] = str_subbytes(ts, s, (size_t)pos + sep->nbytes, s->nbytes);
    }
    GsObject *r = NULL;
    if (parts[0] && parts[1] && parts[2])
        r = gs_tuple_pack(ts, 3, parts[0], parts[1], parts[2]);
    for (int i = 0; i < 3; i++)
        gs_xdecref(ts, parts[i]);
    return r;
}

STR_METHOD(partition) { return partition_common(ts, s, args, nargs, kwnames, "partition", false); }
STR_METHOD(rpartition) { return partition_common(ts, s, args, nargs, kwnames, "rpartition", true); }

static GsObject *affix_common(GsThread *ts, GsStr *s, GsObject *const *args, size_t nargs,
                              GsObject *kwnames, const char *name, bool suffix)
{
    if (args_positional(ts, name, nargs, kwnames, 1, 1) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "%s() argument must be str, not %s", name,
                          gs_type_name(args[0]));
    GsStr *a = as_str(args[0]);
    if (!str_tailmatch(s, a, 0, (int64_t)s->nchars, suffix) || a->nbytes == 0)
        return gs_newref(ts, (GsObject *)s);
    return suffix ? str_subbytes(ts, s, 0, s->nbytes - a->nbytes)
                  : str_subbytes(ts, s, a->nbytes, s->nbytes);
}

STR_METHOD(removeprefix)
{
    return affix_common(ts, s, args, nargs, kwnames, "removeprefix", false);
}
STR_METHOD(removesuffix) { return affix_common(ts, s, args, nargs, kwnames, "removesuffix", true); }

/* replace with an empty `old`: new goes before every character and at
 * the end, count times at most. */
static GsObject *replace_empty(GsThread *ts, GsStr *s, GsStr *new_, int64_t count)
{
    GsBuf b;
    gs_buf_init(&b);
    gs_buf_put(&b, new_->data, new_->nbytes);
    count--;
    for (size_t off = 0, next; off < s->nbytes; off = next) {
        next = utf8_next(s->data, s->nbytes, off);
        gs_buf_put(&b, s->data + off, next - off);
        if (count > 0) {
            gs_buf_put(&b, new_->data, new_->nbytes);
            count--;
        }
    }
    return gs_buf_finish(ts, &b);
}

static GsObject *replace_impl(GsThread *ts, GsStr *s, GsStr *old, GsStr *new_, int64_t count)
{
    if (count < 0)
        count = INT64_MAX;
    if (count == 0)
        return gs_newref(ts, (GsObject *)s);
    if (old->nbytes == 0)
        return replace_empty(ts, s, new_, count);
    int64_t pos = bytes_find(s->data, s->nbytes, old->data, old->nbytes);
    if (pos < 0)
        return gs_newref(ts, (GsObject *)s);
    GsBuf b;
    gs_buf_init(&b);
    size_t i = 0;
    for (; pos >= 0 && count > 0; count--) {
        gs_buf_put(&b, s->data + i, (size_t)pos);
        gs_buf_put(&b, new_->data, new_->nbytes);
        i += (size_t)pos + old->nbytes;
        pos = bytes_find(s->data + i, s->nbytes - i, old->data, old->nbytes);
    }
    gs_buf_put(&b, s->data + i, s->nbytes - i);
    return gs_buf_finish(ts, &b);
}

STR_METHOD(replace)
{
    int64_t count = -1;
    if (args_positional(ts, "replace", nargs, kwnames, 2, 3) < 0 ||
        arg_str(ts, args[0], "replace() argument 1 ") < 0 ||
        arg_str(ts, args[1], "replace() argument 2 ") < 0 ||
        (nargs == 3 && arg_int(ts, args[2], &count) < 0))
        return NULL;
    return replace_impl(ts, s, as_str(args[0]), as_str(args[1]), count);
}

/* ======================================================================
 * encode
 * ====================================================================== */

/* Which codec an encoding name means: 8 (UTF-8), 7 (ASCII), 1 (Latin-1),
 * or 0 (unknown).  Case, '-' and '_' do not matter, as in CPython. */
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

/* Encode to ASCII or Latin-1; characters beyond the codec raise
 * ValueError (CPython: UnicodeEncodeError, a ValueError subclass). */
static GsObject *encode_narrow(GsThread *ts, GsStr *s, uint32_t limit, const char *codec)
{
    unsigned char *out = malloc(s->nchars + 1);
    if (!out)
        return gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    size_t n = 0;
    for (size_t off = 0, next; off < s->nbytes; off = next) {
        uint32_t c = utf8_decode(s->data, s->nbytes, off, &next);
        if (c >= limit) {
            GsBuf b;
            gs_buf_init(&b);
            buf_put_escape(&b, c);
            gs_buf_putc(&b, '\0');
            gs_err_set(ts, &gs_exc_ValueError,
                       "'%s' codec can't encode character '%s' in position %zu: ordinal not in "
                       "range(%" PRIu32 ")", codec, b.data, n, limit);
            gs_buf_free(&b);
            free(out);
            return NULL;
        }
        out[n++] = (unsigned char)c;
    }
    GsObject *r = gs_bytes_new(ts, out, n);
    free(out);
    return r;
}

STR_METHOD(encode)
{
    static const char *const params[] = { "encoding", "errors" };
    GsObject *a[2];
    if (args_bind(ts, "encode", params, 2, args, nargs, kwnames, a) < 0)
        return NULL;
    for (int i = 0; i < 2; i++)
        if (a[i] && !GS_IS_STR(a[i]))
            return gs_err_set(ts, &gs_exc_TypeError, "encode() argument '%s' must be str, not %s",
                              params[i], gs_type_name(a[i]));
    const char *enc = a[0] ? gs_str_cstr(a[0]) : "utf-8";
    switch (codec_of(enc)) {
    case 8: return gs_bytes_new(ts, s->data, s->nbytes);
    case 7: return encode_narrow(ts, s, 0x80, "ascii");
    case 1: return encode_narrow(ts, s, 0x100, "latin-1");
    default: return gs_err_set(ts, &gs_exc_LookupError, "unknown encoding: %s", enc);
    }
}

/* ======================================================================
 * format(v, spec)
 * ====================================================================== */

/* A guest class may define __format__; look for it in the class and its
 * guest bases only, so that built-in objects are always formatted here
 * (and object.__format__, if there is one, cannot call back into us).
 * Sets *found; returns the result if found. */
static GsObject *format_by_method(GsThread *ts, GsObject *v, GsObject *spec, bool *found)
{
    *found = false;
    for (GsType *t = GS_TYPE(v); t && (t->flags & GS_TPFLAG_HEAPTYPE); t = t->base) {
        GsObject *fn = t->dict ? gs_dict_get(ts, t->dict, GS_NAME(ts, __format__)) : NULL;
        if (!fn)
            continue;
        *found = true;
        GsObject *argv[2] = { v, spec };
        GsObject *r = gs_call(ts, fn, argv, 2, NULL);
        if (r && !GS_IS_STR(r)) {
            gs_err_set(ts, &gs_exc_TypeError, "__format__ must return a str, not %s",
                       gs_type_name(r));
            gs_decref(ts, r);
            return NULL;
        }
        return r;
    }
    return NULL;
}

/* Types for which an int is formatted as a float, as int.__format__ does. */
/* format(big, spec) for the integer types: the digits in the spec's base
 * from GMP, laid out by format.c; decimal ones within the digit limit. */
static int big_int_format(GsThread *ts, GsBuf *b, GsObject *v, const GsFormatSpec *fs,
                          char *err, size_t errlen)
{
    int base = gs_format_int_base(fs->type);
    bool neg = gs_int_sign(v) < 0;
    GsObject *dec = NULL;
    char *digits = NULL;
    const char *text;
    size_t n;
    if (base == 10) {
        if (!(dec = gs_int_to_decimal(ts, v))) {
            gs_buf_free(b);
            return -1;
        }
        text = gs_str_cstr(dec) + neg;
        n = as_str(dec)->nbytes - neg;
    } else {
        text = digits = gs_int_digits(v, base, &n);
    }
    int rc = gs_format_int_digits(b, neg, text, n, fs, err, errlen);
    gs_xdecref(ts, dec);
    free(digits);
    if (rc < 0) {
        gs_buf_free(b);
        gs_err_set(ts, &gs_exc_ValueError, "%s", err);
    }
    return rc;
}

static bool spec_is_float_type(char type)
{
    return type != 0 && strchr("eEfFgG%", type) != NULL;
}

GsObject *gs_str_format_spec(GsThread *ts, GsObject *v, GsObject *spec)
{
    if (!GS_IS_STR(spec))
        return gs_err_set(ts, &gs_exc_TypeError, "format() argument 2 must be str, not %s",
                          gs_type_name(spec));
    bool found;
    GsObject *r = format_by_method(ts, v, spec, &found);
    if (found)
        return r;
    GsStr *sp = as_str(spec);
    if (sp->nbytes == 0)   /* object.__format__: str(v); bool prints True/False */
        return gs_str(ts, v);
    if (!GS_IS_INT(v) && !GS_IS_FLOAT(v) && !GS_IS_STR(v))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "unsupported format string passed to %s.__format__", gs_type_name(v));
    GsFormatSpec fs;
    char err[200] = "";
    if (gs_format_spec_parse(sp->data, sp->nbytes, &fs, err, sizeof err) < 0)
        return gs_err_set(ts, &gs_exc_ValueError, "%s", err);
    GsBuf b;
    gs_buf_init(&b);
    int rc;
    double d;
    if (GS_IS_INT(v) && spec_is_float_type(fs.type)) {
        if (gs_int_to_double(ts, v, &d) < 0) {
            gs_buf_free(&b);
            return NULL;
        }
        rc = gs_format_float(&b, d, &fs, err, sizeof err);
    } else if (GS_IS_INT(v) && gs_int_is_big(v) && fs.type != 'c' &&
               (fs.type == 0 || strchr("bdnoxX", fs.type))) {
        if (big_int_format(ts, &b, v, &fs, err, sizeof err) < 0)
            return NULL;
        rc = 0;
    } else if (GS_IS_INT(v)) {
        rc = gs_format_int(&b, gs_int_value(v), &fs, err, sizeof err);
    }
    else if (GS_IS_FLOAT(v))
        rc = gs_format_float(&b, gs_float_value(v), &fs, err, sizeof err);
    else
        rc = gs_format_str(&b, as_str(v)->data, as_str(v)->nbytes, &fs, err, sizeof err);
    if (rc < 0) {
        gs_buf_free(&b);
        return gs_err_set(ts, &gs_exc_ValueError, "%s", err);
    }
    return gs_buf_finish(ts, &b);
}

/* ======================================================================
 * str.format and str.format_map
 *
 * A replacement field is {name!conversion:spec}.  name is an argument
 * number (or nothing: the next one), or a keyword, followed by any number
 * of .attribute and [key] lookups; the spec may itself contain fields
 * ("{:{width}}"), expanded one level deep as CPython does.
 * ====================================================================== */

enum { NUMBERING_UNKNOWN, NUMBERING_AUTO, NUMBERING_MANUAL };

typedef struct {
    GsObject *const *args;      /* positional arguments */
    size_t nargs;
    GsObject *kwnames;          /* tuple of str, or NULL */
    GsObject *const *kwvalues;
    GsObject *mapping;          /* format_map(): names are looked up here */
    int numbering;              /* "{}" and "{0}" cannot be mixed */
    size_t next_auto;
} FmtArgs;

static int fmt_fail(GsThread *ts, const char *msg)
{
    gs_err_set(ts, &gs_exc_ValueError, "%s", msg);
    return -1;
}

static bool all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return n > 0;
}

static int parse_digits(GsThread *ts, const char *p, size_t n, size_t *out)
{
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (v > (SIZE_MAX / 2 - 9) / 10)
            return fmt_fail(ts, "Too many decimal digits in format string");
        v = v * 10 + (size_t)(p[i] - '0');
    }
    *out = v;
    return 0;
}

static void raise_key_error(GsThread *ts, GsObject *key)
{
    GsObject *exc = gs_exc_new(ts, &gs_exc_KeyError, &key, 1);
    if (exc) {
        gs_err_set_obj(ts, exc);
        gs_decref(ts, exc);
    }
}

static GsObject *fmt_positional(GsThread *ts, FmtArgs *fa, size_t idx)
{
    if (fa->mapping)
        return gs_err_set(ts, &gs_exc_ValueError, "Format string contains positional fields");
    if (idx >= fa->nargs)
        return gs_err_set(ts, &gs_exc_IndexError,
                          "Replacement index %zu out of range for positional args tuple", idx);
    return gs_newref(ts, fa->args[idx]);
}

static GsObject *fmt_keyword(GsThread *ts, FmtArgs *fa, const char *name, size_t n)
{
    GsObject *key = gs_str_new(ts, name, n);
    if (!key)
        return NULL;
    GsObject *v = NULL;
    if (fa->mapping) {
        v = gs_getitem(ts, fa->mapping, key);
    } else {
        for (size_t k = 0; k < gs_kw_count(fa->kwnames) && !v; k++)
            if (gs_str_eq(((GsTuple *)fa->kwnames)->items[k], key))
                v = gs_newref(ts, fa->kwvalues[k]);
        if (!v)
            raise_key_error(ts, key);
    }
    gs_decref(ts, key);
    return v;
}

/* The object the first part of a field name (before any . or [) names. */
static GsObject *fmt_first(GsThread *ts, FmtArgs *fa, const char *name, size_t n)
{
    size_t idx;
    if (n == 0) {
        if (fa->numbering == NUMBERING_MANUAL)
            return gs_err_set(ts, &gs_exc_ValueError, "cannot switch from manual field "
                                                      "specification to automatic field numbering");
        fa->numbering = NUMBERING_AUTO;
        return fmt_positional(ts, fa, fa->next_auto++);
    }
    if (!all_digits(name, n))
        return fmt_keyword(ts, fa, name, n);
    if (fa->numbering == NUMBERING_AUTO)
        return gs_err_set(ts, &gs_exc_ValueError, "cannot switch from automatic field numbering "
                                                  "to manual field specification");
    fa->numbering = NUMBERING_MANUAL;
    if (parse_digits(ts, name, n, &idx) < 0)
        return NULL;
    return fmt_positional(ts, fa, idx);
}

/* obj[key] for the text of a [key]: an int if it is all digits, else a str. */
static GsObject *fmt_index(GsThread *ts, GsObject *obj, const char *key, size_t n)
{
    size_t idx;
    GsObject *k;
    if (all_digits(key, n))
        k = parse_digits(ts, key, n, &idx) < 0 ? NULL : gs_int_new(ts, (int64_t)idx);
    else
        k = gs_str_new(ts, key, n);
    if (!k)
        return NULL;
    GsObject *v = gs_getitem(ts, obj, k);
    gs_decref(ts, k);
    return v;
}

/* obj.<name>; attribute names are interned, as everywhere (type lookups
 * rely on their hash being cached). */
static GsObject *fmt_attr(GsThread *ts, GsObject *obj, const char *name, size_t n)
{
    GsObject *attr = gs_str_intern(ts, gs_str_new(ts, name, n));
    if (!attr)
        return NULL;
    GsObject *v = gs_getattr(ts, obj, attr);
    gs_decref(ts, attr);
    return v;
}

/* One ".attr" or "[key]" step of a field name, at name[*k]: what it
 * leads to from obj (new reference).  Moves *k past the step. */
static GsObject *fmt_step(GsThread *ts, GsObject *obj, const char *name, size_t n, size_t *k)
{
    size_t start = *k + 1, j = start;
    if (name[*k] == '.') {
        while (j < n && name[j] != '.' && name[j] != '[')
            j++;
        *k = j;
        if (j == start)
            return gs_err_set(ts, &gs_exc_ValueError, "Empty attribute in format string");
        return fmt_attr(ts, obj, name + start, j - start);
    }
    while (j < n && name[j] != ']')
        j++;
    *k = j + 1;
    if (j == n)
        return gs_err_set(ts, &gs_exc_ValueError, "Missing ']' in format string");
    if (j == start)
        return gs_err_set(ts, &gs_exc_ValueError, "Empty attribute in format string");
    if (j + 1 < n && name[j + 1] != '.' && name[j + 1] != '[')
        return gs_err_set(ts, &gs_exc_ValueError,
                          "Only '.' or '[' may follow ']' in format field specifier");
    return fmt_index(ts, obj, name + start, j - start);
}

/* The object a whole field name names (new reference). */
static GsObject *fmt_lookup(GsThread *ts, FmtArgs *fa, const char *name, size_t n)
{
    size_t k = 0;
    while (k < n && name[k] != '.' && name[k] != '[')
        k++;
    GsObject *obj = fmt_first(ts, fa, name, k);
    while (obj && k < n) {
        GsObject *next = fmt_step(ts, obj, name, n, &k);
        gs_decref(ts, obj);
        obj = next;
    }
    return obj;
}

static GsObject *fmt_convert(GsThread *ts, GsObject *obj, uint32_t conv)
{
    switch (conv) {
    case 'r': return gs_repr(ts, obj);
    case 's': return gs_str(ts, obj);
    case 'a': return gs_str_ascii(ts, obj);
    }
    if (conv > 32 && conv < 127)
        return gs_err_set(ts, &gs_exc_ValueError, "Unknown conversion specifier %c", (char)conv);
    return gs_err_set(ts, &gs_exc_ValueError, "Unknown conversion specifier \\x%" PRIx32, conv);
}

/* One field's parts: f[0..name_len) is the name; conv is 0 or the
 * conversion character; spec (spec_len bytes) follows ':'. */
typedef struct {
    size_t name_len;
    uint32_t conv;
    const char *spec;
    size_t spec_len;
} FmtField;

static int fmt_split_field(GsThread *ts, const char *f, size_t n, FmtField *out)
{
    size_t k = 0;
    while (k < n && f[k] != ':' && f[k] != '!') {
        if (f[k] == '{')
            return fmt_fail(ts, "unexpected '{' in field name");
        if (f[k] == '[')   /* a key may contain ':' and '!' */
            while (k < n && f[k] != ']')
                k++;
        if (k < n)
            k++;
    }
    out->name_len = k;
    out->conv = 0;
    out->spec = f + n;
    out->spec_len = 0;
    if (k < n && f[k] == '!') {
        if (k + 1 >= n)
            return fmt_fail(ts, "end of string while looking for conversion specifier");
        size_t next;
        out->conv = utf8_decode(f, n, k + 1, &next);
        k = next;
        if (k < n && f[k] != ':')
            return fmt_fail(ts, "expected ':' after conversion specifier");
    }
    if (k < n) {   /* f[k] == ':' */
        out->spec = f + k + 1;
        out->spec_len = n - k - 1;
    }
    return 0;
}

static int fmt_render(GsThread *ts, FmtArgs *fa, const char *p, size_t n, int depth, GsBuf *out);

/* The spec as a str, its own fields expanded. */
static GsObject *fmt_spec(GsThread *ts, FmtArgs *fa, const FmtField *ff, int depth)
{
    if (!memchr(ff->spec, '{', ff->spec_len))
        return gs_str_new(ts, ff->spec, ff->spec_len);
    GsBuf b;
    gs_buf_init(&b);
    if (fmt_render(ts, fa, ff->spec, ff->spec_len, depth - 1, &b) < 0) {
        gs_buf_free(&b);
        return NULL;
    }
    return gs_buf_finish(ts, &b);
}

/* Format the field whose text (between the braces) is f[0..n). */
static int fmt_field(GsThread *ts, FmtArgs *fa, const char *f, size_t n, int depth, GsBuf *out)
{
    FmtField ff;
    if (fmt_split_field(ts, f, n, &ff) < 0)
        return -1;
    GsObject *obj = fmt_lookup(ts, fa, f, ff.name_len);
    if (obj && ff.conv) {
        GsObject *conv = fmt_convert(ts, obj, ff.conv);
        gs_decref(ts, obj);
        obj = conv;
    }
    if (!obj)
        return -1;
    GsObject *spec = fmt_spec(ts, fa, &ff, depth);
    GsObject *text = spec ? gs_str_format_spec(ts, obj, spec) : NULL;
    gs_decref(ts, obj);
    gs_xdecref(ts, spec);
    if (!text)
        return -1;
    gs_buf_put(out, gs_str_cstr(text), as_str(text)->nbytes);
    gs_decref(ts, text);
    return 0;
}

/* Offset of the '}' closing the field that starts at p[start] (just
 * after its '{'): braces nest, and a [key] in the name may hold '}'. */
static int fmt_field_end(GsThread *ts, const char *p, size_t n, size_t start, size_t *end)
{
    int nest = 1;
    bool in_name = true;
    for (size_t j = start; j < n; j++) {
        char c = p[j];
        if (in_name && c == '[') {
            while (j < n && p[j] != ']')
                j++;
            if (j == n)
                break;
            continue;
        }
        if (c == ':' || c == '!')
            in_name = false;
        else if (c == '{')
            nest++;
        else if (c == '}' && --nest == 0) {
            *end = j;
            return 0;
        }
    }
    return fmt_fail(ts, "expected '}' before end of string");
}

/* Expand the format string p[0..n) into out.  depth limits how deeply
 * specs may nest fields: 2 at the top, as in CPython. */
static int fmt_render(GsThread *ts, FmtArgs *fa, const char *p, size_t n, int depth, GsBuf *out)
{
    if (depth <= 0)
        return fmt_fail(ts, "Max string recursion exceeded");
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && p[j] != '{' && p[j] != '}')
            j++;
        gs_buf_put(out, p + i, j - i);
        if (j == n)
            break;
        if (j + 1 < n && p[j + 1] == p[j]) {   /* "{{" or "}}" */
            gs_buf_putc(out, p[j]);
            i = j + 2;
            continue;
        }
        if (p[j] == '}')
            return fmt_fail(ts, "Single '}' encountered in format string");
        if (j + 1 == n)
            return fmt_fail(ts, "Single '{' encountered in format string");
        size_t end;
        if (fmt_field_end(ts, p, n, j + 1, &end) < 0 ||
            fmt_field(ts, fa, p + j + 1, end - j - 1, depth, out) < 0)
            return -1;
        i = end + 1;
    }
    return 0;
}

static GsObject *fmt_build(GsThread *ts, GsStr *s, FmtArgs *fa)
{
    /* without braces the result is the string itself, as in CPython */
    if (!memchr(s->data, '{', s->nbytes) && !memchr(s->data, '}', s->nbytes))
        return gs_newref(ts, (GsObject *)s);
    GsBuf b;
    gs_buf_init(&b);
    if (fmt_render(ts, fa, s->data, s->nbytes, 2, &b) < 0) {
        gs_buf_free(&b);
        return NULL;
    }
    return gs_buf_finish(ts, &b);
}

STR_METHOD(format)
{
    size_t nkw = gs_kw_count(kwnames);
    FmtArgs fa = { .args = args, .nargs = nargs - nkw, .kwnames = kwnames,
                   .kwvalues = args + (nargs - nkw) };
    return fmt_build(ts, s, &fa);
}

STR_METHOD(format_map)
{
    if (args_positional(ts, "format_map", nargs, kwnames, 1, 1) < 0)
        return NULL;
    FmtArgs fa = { .mapping = args[0] };
    return fmt_build(ts, s, &fa);
}

/* ======================================================================
 * The % operator: printf-style formatting
 * ====================================================================== */

typedef struct {
    bool left, plus, space, alt, zero;   /* flags - + ' ' # 0 */
    int64_t width;                       /* 0: none */
    int64_t prec;                        /* -1: none */
    uint32_t conv;
} ModSpec;

typedef struct {
    GsObject *const *items;   /* the arguments: a tuple's items, or the one object */
    size_t n, next;
    GsObject *dict;           /* for %(key)s: the argument, if it is a mapping */
} ModArgs;

/* The next argument (borrowed). */
static GsObject *mod_next_arg(GsThread *ts, ModArgs *ma)
{
    if (ma->next >= ma->n)
        return gs_err_set(ts, &gs_exc_TypeError, "not enough arguments for format string");
    return ma->items[ma->next++];
}

static void buf_fill(GsBuf *b, char c, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        gs_buf_putc(b, c);
}

/* Text in a field of sp->width characters (nchars long, nbytes bytes). */
static void mod_put_text(GsBuf *b, const ModSpec *sp, const char *text, size_t nbytes,
                         size_t nchars)
{
    int64_t pad = sp->width > (int64_t)nchars ? sp->width - (int64_t)nchars : 0;
    if (!sp->left)
        buf_fill(b, ' ', pad);
    gs_buf_put(b, text, nbytes);
    if (sp->left)
        buf_fill(b, ' ', pad);
}

/* A number in a field: sign, prefix ("0x"), `zeros` zeros of precision,
 * then the digits; padded with spaces, or with zeros after the sign and
 * prefix under the 0 flag. */
static void mod_put_number(GsBuf *b, const ModSpec *sp, bool neg, const char *prefix,
                           int64_t zeros, const char *digits)
{
    const char *sign = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
    int64_t len = (int64_t)(strlen(sign) + strlen(prefix) + strlen(digits)) + zeros;
    int64_t pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left && !sp->zero)
        buf_fill(b, ' ', pad);
    gs_buf_puts(b, sign);
    gs_buf_puts(b, prefix);
    if (!sp->left && sp->zero)
        buf_fill(b, '0', pad);
    buf_fill(b, '0', zeros);
    gs_buf_puts(b, digits);
    if (sp->left)
        buf_fill(b, ' ', pad);
}

/* %s %r %a */
static int mod_text(GsThread *ts, GsBuf *b, const ModSpec *sp, GsObject *v)
{
    GsObject *t = sp->conv == 's' ? gs_str(ts, v) : sp->conv == 'r' ? gs_repr(ts, v)
                                                                    : gs_str_ascii(ts, v);
    if (!t)
        return -1;
    GsStr *s = as_str(t);
    size_t nchars = s->nchars;
    if (sp->prec >= 0 && (size_t)sp->prec < nchars)
        nchars = (size_t)sp->prec;
    mod_put_text(b, sp, s->data, str_offset(s, nchars), nchars);
    gs_decref(ts, t);
    return 0;
}

/* The integer a %d / %x / %o argument stands for: a new reference. */
static GsObject *mod_int_value(GsThread *ts, const ModSpec *sp, GsObject *v)
{
    bool decimal = sp->conv == 'd' || sp->conv == 'i' || sp->conv == 'u';
    if (GS_IS_INT(v))
        return gs_newref(ts, v);
    if (!GS_IS_FLOAT(v) || !decimal)
        return gs_err_set(ts, &gs_exc_TypeError, "%%%c format: %s is required, not %s",
                          (char)sp->conv, decimal ? "a number" : "an integer", gs_type_name(v));
    return gs_int_from_double(ts, gs_float_value(v));   /* like int(d) */
}

/* %d etc. of a big int: GMP's digits, the decimal ones within the limit
 * of sys.set_int_max_str_digits(). */
static int mod_big_int(GsThread *ts, GsBuf *b, const ModSpec *sp, GsObject *v)
{
    int base = sp->conv == 'x' || sp->conv == 'X' ? 16 : sp->conv == 'o' ? 8 : 10;
    if (base == 10) {
        GsObject *s = gs_int_to_decimal(ts, v);
        if (!s)
            return -1;
        bool neg = gs_int_sign(v) < 0;
        int64_t nd = (int64_t)as_str(s)->nbytes - neg;
        mod_put_number(b, sp, neg, "", sp->prec > nd ? sp->prec - nd : 0,
                       gs_str_cstr(s) + neg);
        gs_decref(ts, s);
        return 0;
    }
    size_t n;
    char *digits = gs_int_digits(v, base, &n);
    if (sp->conv == 'X')
        for (size_t i = 0; i < n; i++)
            digits[i] = (char)(digits[i] >= 'a' ? digits[i] - 'a' + 'A' : digits[i]);
    const char *prefix = !sp->alt ? "" : sp->conv == 'x' ? "0x" : sp->conv == 'X' ? "0X" : "0o";
    mod_put_number(b, sp, gs_int_sign(v) < 0, prefix,
                   sp->prec > (int64_t)n ? sp->prec - (int64_t)n : 0, digits);
    free(digits);
    return 0;
}

/* %d %i %u %x %X %o */
static int mod_int(GsThread *ts, GsBuf *b, const ModSpec *sp, GsObject *v)
{
    GsObject *iv = mod_int_value(ts, sp, v);
    if (!iv)
        return -1;
    if (gs_int_is_big(iv)) {
        int rc = mod_big_int(ts, b, sp, iv);
        gs_decref(ts, iv);
        return rc;
    }
    int64_t x = gs_int_value(iv);
    gs_decref(ts, iv);
    uint64_t mag = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
    char digits[32];
    const char *prefix = "";
    switch (sp->conv) {
    case 'x':
        snprintf(digits, sizeof digits, "%" PRIx64, mag);
        prefix = sp->alt ? "0x" : "";
        break;
    case 'X':
        snprintf(digits, sizeof digits, "%" PRIX64, mag);
        prefix = sp->alt ? "0X" : "";
        break;
    case 'o':
        snprintf(digits, sizeof digits, "%" PRIo64, mag);
        prefix = sp->alt ? "0o" : "";
        break;
    default:
        snprintf(digits, sizeof digits, "%" PRIu64, mag);
        break;
    }
    int64_t ndigits = (int64_t)strlen(digits);
    mod_put_number(b, sp, x < 0, prefix, sp->prec > ndigits ? sp->prec - ndigits : 0, digits);
    return 0;
}

/* %e %E %f %F %g %G: C's printf rounds and lays out digits exactly as
 * CPython does for these; signs, padding and inf/nan are done here. */
static int mod_float(GsThread *ts, GsBuf *b, const ModSpec *sp, GsObject *v)
{
    double d;
    if (GS_IS_FLOAT(v))
        d = gs_float_value(v);
    else if (GS_IS_INT(v)) {
        if (gs_int_to_double(ts, v, &d) < 0)
            return -1;
    } else {
        gs_err_set(ts, &gs_exc_TypeError, "must be real number, not %s", gs_type_name(v));
        return -1;
    }
    bool upper = sp->conv == 'E' || sp->conv == 'F' || sp->conv == 'G';
    if (!isfinite(d)) {   /* the sign of a NaN is not shown */
        const char *text = isnan(d) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        mod_put_number(b, sp, isinf(d) && d < 0, "", 0, text);
        return 0;
    }
    char cfmt[8];
    snprintf(cfmt, sizeof cfmt, "%%%s.*%c", sp->alt ? "#" : "", (char)sp->conv);
    int prec = sp->prec < 0 ? 6 : (int)sp->prec;   /* mod_parse bounds it */
    char small[128];
    int n = snprintf(small, sizeof small, cfmt, prec, fabs(d));
    char *digits = (size_t)n < sizeof small ? small : malloc((size_t)n + 1);
    if (!digits) {
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
        return -1;
    }
    if (digits != small)
        snprintf(digits, (size_t)n + 1, cfmt, prec, fabs(d));
    mod_put_number(b, sp, signbit(d), "", 0, digits);
    if (digits != small)
        free(digits);
    return 0;
}

/* %c: an int code point or a one-character str */
static int mod_char(GsThread *ts, GsBuf *b, const ModSpec *sp, GsObject *v)
{
    char tmp[4];
    if (GS_IS_STR(v) && as_str(v)->nchars == 1) {
        mod_put_text(b, sp, gs_str_cstr(v), as_str(v)->nbytes, 1);
        return 0;
    }
    if (!GS_IS_INT(v)) {
        gs_err_set(ts, &gs_exc_TypeError, "%%c requires int or char");
        return -1;
    }
    int64_t c = gs_int_value(v);
    if (c < 0 || c > 0x10FFFF) {
        gs_err_set(ts, &gs_exc_OverflowError, "%%c arg not in range(0x110000)");
        return -1;
    }
    mod_put_text(b, sp, tmp, utf8_encode((uint32_t)c, tmp), 1);
    return 0;
}

/* Format v by one conversion; at is the conversion's byte offset in fmt. */
static int mod_convert(GsThread *ts, GsBuf *b, const ModSpec *sp, GsObject *v, GsStr *fmt,
                       size_t at)
{
    switch (sp->conv) {
    case 's': case 'r': case 'a':
        return mod_text(ts, b, sp, v);
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
        return mod_int(ts, b, sp, v);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        return mod_float(ts, b, sp, v);
    case 'c':
        return mod_char(ts, b, sp, v);
    }
    size_t next = utf8_next(fmt->data, fmt->nbytes, at);
    gs_err_set(ts, &gs_exc_ValueError, "unsupported format character '%.*s' (0x%" PRIx32
               ") at index %zu", (int)(next - at), fmt->data + at, sp->conv,
               str_index_at(fmt, 0, 0, at));
    return -1;
}

/* A width or precision: digits, or '*' taking the next argument. */
static int mod_number(GsThread *ts, ModArgs *ma, const char *p, size_t n, size_t *i,
                      int64_t *out, const char *what)
{
    if (*i < n && p[*i] == '*') {
        (*i)++;
        GsObject *v = mod_next_arg(ts, ma);
        if (!v)
            return -1;
        if (!GS_IS_INT(v)) {
            gs_err_set(ts, &gs_exc_TypeError, "* wants int");
            return -1;
        }
        *out = gs_int_value(v);
        return 0;
    }
    if (*i >= n || p[*i] < '0' || p[*i] > '9')
        return 0;
    int64_t v = 0;
    for (; *i < n && p[*i] >= '0' && p[*i] <= '9'; (*i)++) {
        if (v > (INT64_MAX - 9) / 10) {
            gs_err_set(ts, &gs_exc_ValueError, "%s too big", what);
            return -1;
        }
        v = v * 10 + (p[*i] - '0');
    }
    *out = v;
    return 0;
}

/* After '%': an optional (key), flags, width, precision, length modifier. */
static int mod_parse(GsThread *ts, ModArgs *ma, const char *p, size_t n, size_t *i, ModSpec *sp,
                     GsObject **value)
{
    if (*i < n && p[*i] == '(') {
        size_t j = *i + 1;
        for (int nest = 1; j < n && (p[j] != ')' || --nest > 0); j++)
            nest += p[j] == '(';
        if (j >= n)
            return fmt_fail(ts, "incomplete format key");
        if (!ma->dict) {
            gs_err_set(ts, &gs_exc_TypeError, "format requires a mapping");
            return -1;
        }
        GsObject *key = gs_str_new(ts, p + *i + 1, j - *i - 1);
        *value = key ? gs_getitem(ts, ma->dict, key) : NULL;
        gs_xdecref(ts, key);
        if (!*value)
            return -1;
        *i = j + 1;
    }
    for (; *i < n && p[*i] && strchr("-+ #0", p[*i]); (*i)++) {
        switch (p[*i]) {
        case '-': sp->left = true; break;
        case '+': sp->plus = true; break;
        case ' ': sp->space = true; break;
        case '#': sp->alt = true; break;
        default: sp->zero = true; break;
        }
    }
    if (mod_number(ts, ma, p, n, i, &sp->width, "width") < 0)
        return -1;
    if (sp->width < 0) {   /* only from '*': a negative width left-justifies */
        sp->left = true;
        sp->width = sp->width == INT64_MIN ? INT64_MAX : -sp->width;
    }
    /* A width nobody's memory can hold: MemoryError now, as CPython gives,
     * rather than growing a buffer until the process aborts.  (The same
     * limit as format.c's.) */
    if (sp->width > GS_FORMAT_MAX_LEN) {
        gs_err_set(ts, &gs_exc_MemoryError, "width too large for gilscope (%lld)",
                   (long long)sp->width);
        return -1;
    }
    if (*i < n && p[*i] == '.') {
        (*i)++;
        bool star = *i < n && p[*i] == '*';
        sp->prec = 0;
        if (mod_number(ts, ma, p, n, i, &sp->prec, "precision") < 0)
            return -1;
        /* CPython keeps the precision in a C int (the width is a ssize_t). */
        if (sp->prec > INT_MAX || sp->prec < INT_MIN) {
            if (star)
                gs_err_set(ts, &gs_exc_OverflowError, "Python int too large to convert to C int");
            else
                gs_err_set(ts, &gs_exc_ValueError, "precision too big");
            return -1;
        }
        if (sp->prec < 0)
            sp->prec = 0;
        if (sp->prec > GS_FORMAT_MAX_LEN) {
            gs_err_set(ts, &gs_exc_MemoryError, "precision too large for gilscope (%lld)",
                       (long long)sp->prec);
            return -1;
        }
    }
    while (*i < n && (p[*i] == 'h' || p[*i] == 'l' || p[*i] == 'L'))
        (*i)++;
    if (*i >= n)
        return fmt_fail(ts, "incomplete format");
    return 0;
}

/* One conversion; *i is the offset after the '%' and is moved past it. */
static int mod_one(GsThread *ts, ModArgs *ma, GsStr *fmt, size_t *i, GsBuf *b)
{
    ModSpec sp = { .width = 0, .prec = -1 };
    GsObject *value = NULL;   /* from a %(key): a new reference */
    if (mod_parse(ts, ma, fmt->data, fmt->nbytes, i, &sp, &value) < 0) {
        gs_xdecref(ts, value);
        return -1;
    }
    size_t at = *i;
    sp.conv = utf8_decode(fmt->data, fmt->nbytes, at, i);
    if (sp.conv == '%') {
        gs_xdecref(ts, value);
        gs_buf_putc(b, '%');
        return 0;
    }
    if (!value) {
        value = mod_next_arg(ts, ma);
        if (!value)
            return -1;
        gs_incref(ts, value);
    }
    int rc = mod_convert(ts, b, &sp, value, fmt, at);
    gs_decref(ts, value);
    return rc;
}

GsObject *gs_str_mod(GsThread *ts, GsObject *fmt, GsObject *args)
{
    GsStr *f = as_str(fmt);
    ModArgs ma = { .items = &args, .n = 1 };
    if (GS_IS_TUPLE(args)) {
        ma.items = ((GsTuple *)args)->items;
        ma.n = ((GsTuple *)args)->len;
    } else if (!GS_IS_STR(args) &&
               (GS_IS_DICT(args) || GS_IS_LIST(args) || GS_TYPE(args)->getitem)) {
        ma.dict = args;   /* CPython's PyMapping_Check: anything subscriptable */
    }
    GsBuf b;
    gs_buf_init(&b);
    for (size_t i = 0; i < f->nbytes;) {
        const char *pct = memchr(f->data + i, '%', f->nbytes - i);
        size_t j = pct ? (size_t)(pct - f->data) : f->nbytes;
        gs_buf_put(&b, f->data + i, j - i);
        if (j == f->nbytes)
            break;
        i = j + 1;
        if (mod_one(ts, &ma, f, &i, &b) < 0) {
            gs_buf_free(&b);
            return NULL;
        }
    }
    if (ma.next < ma.n && !ma.dict) {
        gs_buf_free(&b);
        return gs_err_set(ts, &gs_exc_TypeError,
                          "not all arguments converted during string formatting");
    }
    return gs_buf_finish(ts, &b);
}

/* ======================================================================
 * The type
 * ====================================================================== */

static const GsMethodDef str_methods[] = {
    { "split", str_split },
    { "rsplit", str_rsplit },
    { "splitlines", str_splitlines },
    { "join", str_join },
    { "upper", str_upper },
    { "lower", str_lower },
    { "swapcase", str_swapcase },
    { "casefold", str_casefold },
    { "title", str_title },
    { "capitalize", str_capitalize },
    { "strip", str_strip },
    { "lstrip", str_lstrip },
    { "rstrip", str_rstrip },
    { "startswith", str_startswith },
    { "endswith", str_endswith },
    { "replace", str_replace },
    { "find", str_find },
    { "rfind", str_rfind },
    { "index", str_index },
    { "rindex", str_rindex },
    { "count", str_count },
    { "partition", str_partition },
    { "rpartition", str_rpartition },
    { "removeprefix", str_removeprefix },
    { "removesuffix", str_removesuffix },
    { "isdigit", str_isdigit },
    { "isdecimal", str_isdecimal },
    { "isnumeric", str_isnumeric },
    { "isalpha", str_isalpha },
    { "isalnum", str_isalnum },
    { "isspace", str_isspace },
    { "isupper", str_isupper },
    { "islower", str_islower },
    { "istitle", str_istitle },
    { "isascii", str_isascii },
    { "isprintable", str_isprintable },
    { "isidentifier", str_isidentifier },
    { "center", str_center },
    { "ljust", str_ljust },
    { "rjust", str_rjust },
    { "zfill", str_zfill },
    { "expandtabs", str_expandtabs },
    { "encode", str_encode },
    { "format", str_format },
    { "format_map", str_format_map },
    { NULL, NULL },
};

GsType gs_str_type = {
    .ob = { .refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type },
    .name = "str",
    .base = &gs_object_type,
    .size = offsetof(GsStr, data),
    .methods = str_methods,
    .dealloc = str_dealloc,
    .repr = str_repr,
    .str = str_str,
    .hash = str_hash,
    .richcompare = str_richcompare,
    .new_ = str_new_slot,
    .iter = str_iter,
    .len = str_len,
    .getitem = gs_str_getitem,
    .contains = str_contains,
};
