/*
 * format.c -- float repr and the format-spec mini-language, byte for byte
 * as CPython 3.9 prints them (Python/formatter_unicode.c and
 * Python/pystrtod.c are the reference for the rules; the code is ours).
 *
 * Digits come from the C library: glibc's printf rounds correctly (to
 * nearest, ties to even, on the exact binary value) and strtod reads back
 * correctly, which is exactly what CPython's dtoa.c guarantees.  So
 * "%.*e" gives dtoa's "n significant digits", "%.*f" its "n digits after
 * the point", and trying n = 1..17 with a strtod round trip gives the
 * shortest repr (with one correction next to powers of two, see
 * try_neighbour).  What CPython adds on top -- where the exponent starts,
 * trailing zeros, "1.0" versus "1", padding, signs, grouping -- is
 * re-implemented below.
 *
 * Parsing resolves the spec the way CPython 3.9 does: a '0' before the
 * width (without an explicit fill) sets fill "0" and, unless an alignment
 * was given, align '='.  So format('ab', '05') is an error here, as in
 * 3.9 ("'=' alignment not allowed..."); 3.10 changed that to 'ab000'.
 */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* ---- errors and small helpers ------------------------------------------ */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* CPython quotes a type code as '%c' when printable ASCII, else as '\x..'. */
static int unknown_type(uint32_t type, const char *tname, char *err, size_t errlen)
{
    if (type > 32 && type < 128)
        set_err(err, errlen, "Unknown format code '%c' for object of type '%s'",
                (char)type, tname);
    else
        set_err(err, errlen, "Unknown format code '\\x%x' for object of type '%s'",
                (unsigned)type, tname);
    return -1;
}

/* Append s (slen <= 4: one code point) count times; count <= 0 appends
 * nothing.  Copies go out a block at a time, as widths can be large. */
static void put_repeat(GsBuf *out, const char *s, size_t slen, int64_t count)
{
    char block[256];
    int64_t per_block = (int64_t)(sizeof block / slen);
    int64_t in_block = count < per_block ? count : per_block;
    for (int64_t i = 0; i < in_block; i++)
        memcpy(block + (size_t)i * slen, s, slen);
    for (; count > 0; count -= in_block) {
        int64_t k = count < in_block ? count : in_block;
        gs_buf_put(out, block, (size_t)k * slen);
    }
}

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* ---- UTF-8 ------------------------------------------------------------- */

/* Decode the code point at s[0..n), n >= 1; return its length in bytes.
 * A malformed byte counts as a code point of its own, so that callers
 * always make progress and never read past the end. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; }
    else { *cp = c; return 1; }
    if (len > n) {
        *cp = c;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

/* Encode cp (<= 0x10FFFF) into out[0..4); return the length.  Lone
 * surrogates, which a Python str may hold, get the generalised 3-byte
 * form rather than an error, as chr(0xD800) is no error in Python. */
static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Walk at most `limit` code points (limit < 0: no limit); return the
 * number walked and store the byte length they take in *bytes. */
static int64_t utf8_walk(const char *s, size_t n, int64_t limit, size_t *bytes)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t pos = 0;
    int64_t count = 0;
    uint32_t cp;
    while (pos < n && (limit < 0 || count < limit)) {
        pos += utf8_next(u + pos, n - pos, &cp);
        count++;
    }
    *bytes = pos;
    return count;
}

/* ---- parsing the spec -------------------------------------------------- */

/* Is c one of the ASCII characters in set?  (strchr alone would match the
 * terminating NUL, and would truncate code points above 0xFF to a char.) */
static bool in_set(uint32_t c, const char *set)
{
    return c != 0 && c < 128 && strchr(set, (int)c) != NULL;
}

static bool is_align(unsigned c) { return c == '<' || c == '>' || c == '=' || c == '^'; }
static bool is_sign(unsigned c) { return c == '+' || c == '-' || c == ' '; }

/* The grouping/type combinations CPython refuses while parsing: ',' and
 * '_' go with d e f g E G % F and no type; '_' also with b o x X (where it
 * groups by four). */
static int check_grouping(char sep, uint32_t type, char *err, size_t errlen)
{
    if (!sep || type == 0 || in_set(type, "defgEG%F"))
        return 0;
    if (sep == '_' && in_set(type, "boxX"))
        return 0;
    if (type > 32 && type < 128)
        set_err(err, errlen, "Cannot specify '%c' with '%c'.", sep, (char)type);
    else
        set_err(err, errlen, "Cannot specify '%c' with '\\x%x'.", sep, (unsigned)type);
    return -1;
}

/* [[fill]align]: the fill is any one code point, recognised only when an
 * alignment character follows it. */
static void parse_fill_align(const unsigned char *s, size_t n, size_t *pos,
                             GsFormatSpec *out, bool *fill_given, bool *align_given)
{
    uint32_t cp;
    size_t len = n ? utf8_next(s, n, &cp) : 0;
    if (len && len < n && is_align(s[len])) {
        memcpy(out->fill, s, len);
        out->fill[len] = '\0';
        out->align = (char)s[len];
        *pos = len + 1;
        *fill_given = *align_given = true;
    } else if (n && is_align(s[0])) {
        out->align = (char)s[0];
        *pos = 1;
        *align_given = true;
    }
}

/* ASCII digits into *val; returns how many were read, or -1 (with
 * CPython's message) when the number does not fit. */
static int parse_digits(const unsigned char *s, size_t n, size_t *pos, int64_t *val,
                        char *err, size_t errlen)
{
    int64_t acc = 0;
    int count = 0;
    for (; *pos < n && s[*pos] >= '0' && s[*pos] <= '9'; (*pos)++, count++) {
        int d = s[*pos] - '0';
        if (acc > (INT64_MAX - d) / 10) {
            set_err(err, errlen, "Too many decimal digits in format string");
            return -1;
        }
        acc = acc * 10 + d;
    }
    *val = acc;
    return count;
}

/* [,|_]: a second separator of the other kind is an error; a repeated
 * ',' is left for the type field, where it fails as "with ','". */
static int parse_grouping(const unsigned char *s, size_t n, size_t *pos, GsFormatSpec *out,
                          char *err, size_t errlen)
{
    if (*pos < n && s[*pos] == ',') {
        out->grouping = ',';
        (*pos)++;
    }
    if (*pos < n && s[*pos] == '_') {
        if (out->grouping) {
            set_err(err, errlen, "Cannot specify both ',' and '_'.");
            return -1;
        }
        out->grouping = '_';
        (*pos)++;
    }
    if (*pos < n && s[*pos] == ',' && out->grouping == '_') {
        set_err(err, errlen, "Cannot specify both ',' and '_'.");
        return -1;
    }
    return 0;
}

static int parse_precision(const unsigned char *s, size_t n, size_t *pos, GsFormatSpec *out,
                           char *err, size_t errlen)
{
    if (*pos >= n || s[*pos] != '.')
        return 0;
    (*pos)++;
    int got = parse_digits(s, n, pos, &out->precision, err, errlen);
    if (got < 0)
        return -1;
    if (got == 0) {
        set_err(err, errlen, "Format specifier missing precision");
        return -1;
    }
    return 0;
}

/* Whatever is left must be a single code point: the type. */
static int parse_type(const unsigned char *s, size_t n, size_t pos, GsFormatSpec *out,
                      char *err, size_t errlen)
{
    uint32_t cp = 0;
    if (pos < n && pos + utf8_next(s + pos, n - pos, &cp) < n) {
        set_err(err, errlen, "Invalid format specifier");
        return -1;
    }
    if (check_grouping(out->grouping, cp, err, errlen) < 0)
        return -1;
    /* `type` is a char: code points up to U+00FF are kept (as unsigned
     * char) so the "Unknown format code '\xe9'" message comes out right
     * later.  Larger ones cannot be stored; every formatter would reject
     * them anyway, so refuse them here -- with a different message from
     * CPython's "Unknown format code '\x109' for object of type ...",
     * which needs the object's type that the parser does not know. */
    if (cp > 0xFF) {
        set_err(err, errlen, "Invalid format specifier");
        return -1;
    }
    out->type = (char)(unsigned char)cp;
    return 0;
}

static void spec_defaults(GsFormatSpec *out)
{
    memset(out, 0, sizeof *out);
    strcpy(out->fill, " ");
    out->width = -1;
    out->precision = -1;
}

int gs_format_spec_parse(const char *spec, size_t n, GsFormatSpec *out, char *err,
                         size_t errlen)
{
    const unsigned char *s = (const unsigned char *)spec;
    size_t pos = 0;
    bool fill_given = false, align_given = false;

    spec_defaults(out);
    parse_fill_align(s, n, &pos, out, &fill_given, &align_given);
    if (pos < n && is_sign(s[pos]))
        out->sign = (char)s[pos++];
    if (pos < n && s[pos] == '#') {
        out->alternate = true;
        pos++;
    }
    /* '0' before the width means zero padding, unless a fill was given
     * (then "x<08" is simply width 8). */
    if (!fill_given && pos < n && s[pos] == '0') {
        out->zero_pad = true;
        strcpy(out->fill, "0");
        if (!align_given)
            out->align = '=';
        pos++;
    }
    int got = parse_digits(s, n, &pos, &out->width, err, errlen);
    if (got < 0)
        return -1;
    if (got == 0)
        out->width = -1;
    if (parse_grouping(s, n, &pos, out, err, errlen) < 0 ||
        parse_precision(s, n, &pos, out, err, errlen) < 0 ||
        parse_type(s, n, pos, out, err, errlen) < 0)
        return -1;
    return 0;
}

/* ---- laying out a number ----------------------------------------------- */

/* How to place a number: resolved from the spec for one formatter. */
typedef struct {
    const char *fill;
    size_t fill_len;
    char align;      /* '<', '>', '^' or '=' */
    int64_t width;   /* -1: none */
    char sep;        /* 0, ',' or '_' */
    int group;       /* digits per group */
} Layout;

/* The pieces of a formatted number, as CPython splits them:
 * <sign><prefix><digits, grouped><rest>, where rest is everything after
 * the leading run of digits (".5e+10", "%", "inf", the 'c' character). */
typedef struct {
    char sign;              /* what to print: '-', '+', ' ' or 0 */
    const char *prefix;     /* "0x" etc., or "" */
    const char *digits;
    size_t n_digits;
    const char *rest;
    size_t rest_len;
    int64_t rest_cols;      /* columns of rest (code points) */
} NumText;

static char resolve_align(const GsFormatSpec *spec, char dflt)
{
    if (spec->align)
        return spec->align;
    return spec->zero_pad ? '=' : dflt;
}

static void layout_init(Layout *l, const GsFormatSpec *spec, int group)
{
    l->fill = spec->fill[0] ? spec->fill : " ";
    l->fill_len = strlen(l->fill);
    l->align = resolve_align(spec, '>');
    l->width = spec->width;
    l->sep = spec->grouping;
    l->group = group;
}

static char sign_to_print(char spec_sign, bool negative)
{
    if (negative)
        return '-';
    return (spec_sign == '+' || spec_sign == ' ') ? spec_sign : 0;
}

/* Append digits with l->sep between groups of l->group, counted from the
 * right.  With zero padding ("0" fill, '=' alignment) CPython pads inside
 * the grouping to min_width columns, so format(1234, '010,') is
 * '00,001,234', not '0001,234'.  The loop mirrors CPython's so that the
 * corner cases agree too: format(1234, '08,') is '0,001,234' (9 columns,
 * not 8), because padding that would begin with a bare separator gets a
 * whole zero digit after it instead. */
static void put_grouped(GsBuf *out, const char *digits, size_t n, const Layout *l,
                        int64_t min_width)
{
    if (!l->sep) {
        put_repeat(out, "0", 1, min_width - (int64_t)n);
        gs_buf_put(out, digits, n);
        return;
    }
    GsBuf rev;   /* built right to left, then reversed */
    gs_buf_init(&rev);
    int64_t remaining = (int64_t)n, mw = max64(min_width, 0);
    for (bool first = true;; first = false) {
        int64_t len = min64(l->group, max64(max64(remaining, mw), 1));
        int64_t chars = min64(remaining, len);
        if (!first)
            gs_buf_putc(&rev, l->sep);
        for (int64_t i = 0; i < chars; i++)
            gs_buf_putc(&rev, digits[remaining - 1 - i]);
        put_repeat(&rev, "0", 1, len - chars);
        remaining -= chars;
        mw -= len;
        if (remaining <= 0 && mw <= 0)
            break;
        mw -= 1;   /* the separator that comes next takes a column */
    }
    for (size_t i = rev.len; i > 0; i--)
        gs_buf_putc(out, rev.data[i - 1]);
    gs_buf_free(&rev);
}

/* <lpad><sign><prefix><spad><grouped digits><rest><rpad>; at most one of
 * the three paddings is non-empty. */
static void put_number(GsBuf *out, const NumText *t, const Layout *l)
{
    size_t prefix_len = strlen(t->prefix);
    int64_t fixed = (t->sign ? 1 : 0) + (int64_t)prefix_len + t->rest_cols;
    bool zero_fill = l->fill_len == 1 && l->fill[0] == '0' && l->align == '=';
    GsBuf grouped;
    gs_buf_init(&grouped);
    /* 'c' and inf/nan have no digits: then nothing is grouped or padded
     * inside the digits, and '=' padding goes in front of the rest. */
    if (t->n_digits)
        put_grouped(&grouped, t->digits, t->n_digits, l, zero_fill ? l->width - fixed : 0);

    int64_t pad = max64(l->width - (fixed + (int64_t)grouped.len), 0);
    int64_t lpad = 0, spad = 0, rpad = 0;
    switch (l->align) {
    case '<': rpad = pad; break;
    case '^': lpad = pad / 2; rpad = pad - lpad; break;
    case '=': spad = pad; break;
    default: lpad = pad; break;
    }
    put_repeat(out, l->fill, l->fill_len, lpad);
    if (t->sign)
        gs_buf_putc(out, t->sign);
    gs_buf_puts(out, t->prefix);
    put_repeat(out, l->fill, l->fill_len, spad);
    gs_buf_put(out, grouped.data ? grouped.data : "", grouped.len);
    gs_buf_put(out, t->rest, t->rest_len);
    put_repeat(out, l->fill, l->fill_len, rpad);
    gs_buf_free(&grouped);
}

static int check_size(int64_t n, char *err, size_t errlen)
{
    if (n <= GS_FORMAT_MAX_LEN)
        return 0;
    set_err(err, errlen, "format width or precision too large");
    return -1;
}

/* ---- float digits ------------------------------------------------------ */

/* A decimal digit string d[0..n) meaning 0.d1d2d3... x 10**decpt, without
 * trailing zeros (and "0" with decpt 1 for zero), like dtoa's output. */
typedef struct {
    char *buf;       /* owned storage */
    const char *d;
    size_t n;
    int64_t decpt;
} Digits;

/* snprintf into a fresh malloc'd string (precision may be large). */
static char *print_double(const char *fmt, int prec, double v)
{
    int len = snprintf(NULL, 0, fmt, prec, v);
    char *s = malloc((size_t)len + 1);
    if (!s) {
        fprintf(stderr, "gilscope: out of memory formatting a float\n");
        abort();
    }
    snprintf(s, (size_t)len + 1, fmt, prec, v);
    return s;
}

static void digits_trim(Digits *dg, char *s, size_t n, int64_t decpt)
{
    size_t start = 0;
    while (start < n && s[start] == '0') {
        start++;
        decpt--;
    }
    while (n > start && s[n - 1] == '0')
        n--;
    if (n == start) {   /* all zeros: the value rounded to 0 */
        s[0] = '0';
        start = 0;
        n = 1;
        decpt = 1;
    }
    dg->d = s + start;
    dg->n = n - start;
    dg->decpt = decpt;
}

/* From "%e"-style text of a non-negative value: "D.DDDe+XX", "De+XX",
 * or (from digits_shortest) "MMMMe-XX" with an integer mantissa. */
static void digits_from_e(Digits *dg, char *s)
{
    char *e = strchr(s, 'e');
    long exp = strtol(e + 1, NULL, 10);
    size_t n = 0, before_point = 0;
    bool seen_point = false;
    for (char *p = s; p < e; p++) {
        if (*p == '.') {
            seen_point = true;
            continue;
        }
        s[n++] = *p;
        before_point += !seen_point;
    }
    digits_trim(dg, s, n, (int64_t)exp + (int64_t)before_point);
}

/* From "%f" output of a non-negative value: "III.FFF" or "III". */
static void digits_from_f(Digits *dg, char *s)
{
    size_t n = 0;
    int64_t decpt = -1;
    for (char *p = s; *p; p++) {
        if (*p == '.')
            decpt = (int64_t)n;
        else
            s[n++] = *p;
    }
    digits_trim(dg, s, n, decpt < 0 ? (int64_t)n : decpt);
}

/* "%.*e" text "D.DDDe+XX" as the integer mantissa m and m's exponent. */
static void split_e(const char *s, uint64_t *m, int *e10)
{
    const char *e = strchr(s, 'e');
    int ndig = 0;
    *m = 0;
    for (const char *p = s; p < e; p++) {
        if (*p != '.') {
            *m = *m * 10 + (uint64_t)(*p - '0');
            ndig++;
        }
    }
    *e10 = (int)strtol(e + 1, NULL, 10) - (ndig - 1);
}

/* The closest p-digit decimal to v failed to read back as v (back is what
 * it read as).  That happens next to powers of two, where v's rounding
 * interval is twice as wide above v as below: the p-digit neighbour on
 * the other side of v may still read back, and is then the shortest
 * repr (and dtoa's choice).  On success rewrite tmp to it. */
static bool try_neighbour(char *tmp, size_t size, double v, double back)
{
    uint64_t m;
    int e10;
    split_e(tmp, &m, &e10);
    m = back > v ? m - 1 : m + 1;
    if (m == 0)
        return false;
    char cand[48];
    snprintf(cand, sizeof cand, "%" PRIu64 "e%d", m, e10);
    if (strtod(cand, NULL) != v)
        return false;
    snprintf(tmp, size, "%s", cand);
    return true;
}

/* The shortest digit string that reads back as v (v finite, >= 0).
 * "%.*e" at each length gives the closest string of that length; the
 * first length at which it (or its neighbour, see above) reads back is
 * the shortest.  17 digits always suffice for a double. */
static void digits_shortest(Digits *dg, double v)
{
    char tmp[48];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        double back = strtod(tmp, NULL);
        if (back == v || try_neighbour(tmp, sizeof tmp, v, back))
            break;
    }
    dg->buf = strdup(tmp);
    if (!dg->buf) {
        fprintf(stderr, "gilscope: out of memory formatting a float\n");
        abort();
    }
    digits_from_e(dg, dg->buf);
}

/* mode 's': shortest; 'e': prec significant digits; 'f': prec digits
 * after the point.  All correctly rounded. */
static void make_digits(Digits *dg, double v, char mode, int64_t prec)
{
    if (mode == 's') {
        digits_shortest(dg, v);
    } else if (mode == 'e') {
        dg->buf = print_double("%.*e", (int)prec - 1, v);
        digits_from_e(dg, dg->buf);
    } else {
        dg->buf = print_double("%.*f", (int)prec, v);
        digits_from_f(dg, dg->buf);
    }
}

/* ---- float text (CPython's PyOS_double_to_string) ---------------------- */

typedef struct {
    char code;        /* 'e', 'f', 'g' or 'r' (repr) */
    int64_t prec;     /* as given, after the defaults */
    bool add_dot_0;   /* no type code: keep a ".0" on integral values */
    bool alt;         /* '#': keep the point, and 'g' keeps its zeros */
    bool upper;       /* E F G: "E", "INF", "NAN" */
} FloatStyle;

/* Append the virtual digits v[from..to), where v is dg's digits with
 * endless zeros on both sides (index 0 is dg->d[0]). */
static void put_vdigits(GsBuf *out, const Digits *dg, int64_t from, int64_t to)
{
    int64_t n = (int64_t)dg->n;
    if (from < 0) {
        put_repeat(out, "0", 1, min64(to, 0) - from);
        from = 0;
    }
    if (from < n && from < to) {
        int64_t end = min64(n, to);
        gs_buf_put(out, dg->d + from, (size_t)(end - from));
        from = end;
    }
    put_repeat(out, "0", 1, to - max64(from, n));
}

/* Where the exponent starts and how many digits to show, per CPython. */
static bool float_use_exp(const Digits *dg, const FloatStyle *st, int64_t prec)
{
    switch (st->code) {
    case 'e':
        return true;
    case 'g':
        return dg->decpt <= -4 || dg->decpt > (st->add_dot_0 ? prec - 1 : prec);
    case 'r':
        return dg->decpt <= -4 || dg->decpt > 16;
    default:
        return false;
    }
}

static void put_float_digits(GsBuf *out, const Digits *dg, const FloatStyle *st, int64_t prec)
{
    bool use_exp = float_use_exp(dg, st, prec);
    int64_t decpt = dg->decpt, exp = 0;
    int64_t end = (int64_t)dg->n;   /* one past the last digit shown */
    if (st->code == 'e' || (st->code == 'g' && st->alt))
        end = prec;
    else if (st->code == 'f')
        end = decpt + prec;
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    /* At least one digit before the point, and after it with add_dot_0. */
    int64_t start = decpt <= 0 ? decpt - 1 : 0;
    end = max64(end, (!use_exp && st->add_dot_0) ? decpt + 1 : decpt);

    put_vdigits(out, dg, start, decpt);
    if (end > decpt || st->alt)
        gs_buf_putc(out, '.');
    put_vdigits(out, dg, decpt, end);
    if (use_exp)
        gs_buf_printf(out, "%c%+03d", st->upper ? 'E' : 'e', (int)exp);
}

static void put_float_text(GsBuf *out, double v, const FloatStyle *st)
{
    if (isnan(v)) {   /* the sign of a nan is never shown */
        gs_buf_puts(out, st->upper ? "NAN" : "nan");
        return;
    }
    if (signbit(v))
        gs_buf_putc(out, '-');
    if (isinf(v)) {
        gs_buf_puts(out, st->upper ? "INF" : "inf");
        return;
    }
    int64_t prec = st->prec;
    char mode = 's';
    if (st->code == 'e') {
        mode = 'e';
        prec++;                      /* digits after the point, plus one */
    } else if (st->code == 'g') {
        mode = 'e';
        prec = prec ? prec : 1;      /* 'g' with precision 0 means 1 */
    } else if (st->code == 'f') {
        mode = 'f';
    }
    Digits dg = {0};
    make_digits(&dg, fabs(v), mode, prec);
    put_float_digits(out, &dg, st, prec);
    free(dg.buf);
}

void gs_format_float_repr(GsBuf *out, double v)
{
    FloatStyle st = {'r', 0, true, false, false};
    put_float_text(out, v, &st);
}

/* ---- float ------------------------------------------------------------- */

/* Split CPython-style text into sign, leading digits and the rest. */
static void split_number(const GsBuf *text, char spec_sign, NumText *t)
{
    const char *s = text->data;
    bool neg = s[0] == '-';
    size_t i = neg ? 1 : 0, d = i;
    while (s[d] >= '0' && s[d] <= '9')
        d++;
    t->sign = sign_to_print(spec_sign, neg);
    t->prefix = "";
    t->digits = s + i;
    t->n_digits = d - i;
    t->rest = s + d;
    t->rest_len = text->len - d;
    t->rest_cols = (int64_t)t->rest_len;
}

/* The style for a float format type (the type is known to be valid). */
static void float_style(const GsFormatSpec *spec, FloatStyle *st, bool *pct)
{
    char type = spec->type;
    *pct = type == '%';
    st->upper = type == 'E' || type == 'F' || type == 'G';
    st->alt = spec->alternate;
    st->add_dot_0 = type == 0;
    st->prec = spec->precision >= 0 ? spec->precision : (type == 0 ? 0 : 6);
    switch (type) {
    case 'e': case 'E': st->code = 'e'; break;
    case 'f': case 'F': case '%': st->code = 'f'; break;
    case 0: st->code = spec->precision >= 0 ? 'g' : 'r'; break;
    default: st->code = 'g'; break;   /* g G n */
    }
}

/* Format v, whose type code is already checked to be a float one. */
static int format_float_checked(GsBuf *out, double v, const GsFormatSpec *spec,
                                char *err, size_t errlen)
{
    if (spec->precision > INT_MAX) {
        set_err(err, errlen, "precision too big");
        return -1;
    }
    if (check_size(spec->width, err, errlen) < 0 ||
        check_size(spec->precision, err, errlen) < 0)
        return -1;
    FloatStyle st;
    bool pct;
    float_style(spec, &st, &pct);
    GsBuf text;
    gs_buf_init(&text);
    put_float_text(&text, pct ? v * 100 : v, &st);
    if (pct)
        gs_buf_putc(&text, '%');
    NumText t;
    split_number(&text, spec->sign, &t);
    Layout l;
    layout_init(&l, spec, 3);
    put_number(out, &t, &l);
    gs_buf_free(&text);
    return 0;
}

int gs_format_float(GsBuf *out, double v, const GsFormatSpec *spec, char *err,
                    size_t errlen)
{
    unsigned type = (unsigned char)spec->type;
    if (check_grouping(spec->grouping, type, err, errlen) < 0)
        return -1;
    if (type && !in_set(type, "eEfFgGn%"))
        return unknown_type(type, "float", err, errlen);
    return format_float_checked(out, v, spec, err, errlen);
}

/* ---- int --------------------------------------------------------------- */

/* Digits of mag in base 2, 8, 10 or 16, written at the end of buf[65]. */
static const char *int_digits(uint64_t mag, int base, bool upper, char *buf, size_t *n)
{
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = buf + 65;
    do {
        *--p = alphabet[mag % (unsigned)base];
        mag /= (unsigned)base;
    } while (mag);
    *n = (size_t)(buf + 65 - p);
    return p;
}

/* format(n, 'c'): the character with code point n. */
static int format_char(GsBuf *out, int64_t v, const GsFormatSpec *spec, char *err,
                       size_t errlen)
{
    if (spec->sign) {
        set_err(err, errlen, "Sign not allowed with integer format specifier 'c'");
        return -1;
    }
    if (spec->alternate) {
        set_err(err, errlen,
                "Alternate form (#) not allowed with integer format specifier 'c'");
        return -1;
    }
    if (v < 0 || v > 0x10FFFF) {   /* an OverflowError in CPython */
        set_err(err, errlen, "%%c arg not in range(0x110000)");
        return -1;
    }
    char ch[4];
    NumText t = {0, "", "", 0, ch, utf8_encode((uint32_t)v, ch), 1};
    Layout l;
    layout_init(&l, spec, 3);
    put_number(out, &t, &l);
    return 0;
}

static int base_of(char type)
{
    switch (type) {
    case 'b': return 2;
    case 'o': return 8;
    case 'x': case 'X': return 16;
    default: return 10;
    }
}

static const char *prefix_of(char type)
{
    switch (type) {
    case 'b': return "0b";
    case 'o': return "0o";
    case 'x': return "0x";
    case 'X': return "0X";
    default: return "";
    }
}

/* b c d n o x X and no type. */
static int format_int_checked(GsBuf *out, int64_t v, const GsFormatSpec *spec,
                              char *err, size_t errlen)
{
    if (spec->precision != -1) {
        set_err(err, errlen, "Precision not allowed in integer format specifier");
        return -1;
    }
    if (check_size(spec->width, err, errlen) < 0)
        return -1;
    if (spec->type == 'c')
        return format_char(out, v, spec, err, errlen);

    int base = base_of(spec->type);
    /* Negate in unsigned arithmetic so that INT64_MIN works. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char buf[65];
    NumText t = {sign_to_print(spec->sign, v < 0), "", NULL, 0, "", 0, 0};
    t.digits = int_digits(mag, base, spec->type == 'X', buf, &t.n_digits);
    if (spec->alternate)
        t.prefix = prefix_of(spec->type);
    Layout l;
    /* '_' groups binary, octal and hex digits by four (PEP 515). */
    layout_init(&l, spec, base == 10 ? 3 : 4);
    put_number(out, &t, &l);
    return 0;
}

int gs_format_int_base(char type) { return base_of(type); }

int gs_format_int_digits(GsBuf *out, bool negative, const char *digits, size_t n,
                         const GsFormatSpec *spec, char *err, size_t errlen)
{
    if (check_grouping(spec->grouping, spec->type ? spec->type : 'd', err, errlen) < 0)
        return -1;
    if (spec->precision != -1) {
        set_err(err, errlen, "Precision not allowed in integer format specifier");
        return -1;
    }
    if (check_size(spec->width, err, errlen) < 0)
        return -1;
    char *upper = NULL;
    if (spec->type == 'X') {
        upper = malloc(n + 1);
        if (!upper) {
            set_err(err, errlen, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < n; i++)
            upper[i] = (char)(digits[i] >= 'a' ? digits[i] - 'a' + 'A' : digits[i]);
        digits = upper;
    }
    NumText t = {sign_to_print(spec->sign, negative), "", digits, n, "", 0, 0};
    if (spec->alternate)
        t.prefix = prefix_of(spec->type);
    Layout l;
    layout_init(&l, spec, base_of(spec->type) == 10 ? 3 : 4);
    put_number(out, &t, &l);
    free(upper);
    return 0;
}

int gs_format_int(GsBuf *out, int64_t v, const GsFormatSpec *spec, char *err,
                  size_t errlen)
{
    unsigned type = (unsigned char)spec->type;
    if (check_grouping(spec->grouping, type ? type : 'd', err, errlen) < 0)
        return -1;
    if (type == 0 || in_set(type, "bcdoxXn"))
        return format_int_checked(out, v, spec, err, errlen);
    /* The float codes convert the int first, as CPython's int.__format__
     * does: (double)v rounds to nearest-even like int.__float__. */
    if (in_set(type, "eEfFgG%"))
        return format_float_checked(out, (double)v, spec, err, errlen);
    return unknown_type(type, "int", err, errlen);
}

/* ---- str --------------------------------------------------------------- */

static int check_str_spec(const GsFormatSpec *spec, char *err, size_t errlen)
{
    if (spec->sign == ' ') {
        set_err(err, errlen, "Space not allowed in string format specifier");
        return -1;
    }
    if (spec->sign) {
        set_err(err, errlen, "Sign not allowed in string format specifier");
        return -1;
    }
    if (spec->alternate) {
        set_err(err, errlen, "Alternate form (#) not allowed in string format specifier");
        return -1;
    }
    if (resolve_align(spec, '<') == '=') {
        set_err(err, errlen, "'=' alignment not allowed in string format specifier");
        return -1;
    }
    return check_size(spec->width, err, errlen);
}

int gs_format_str(GsBuf *out, const char *utf8, size_t nbytes, const GsFormatSpec *spec,
                  char *err, size_t errlen)
{
    unsigned type = spec->type ? (unsigned char)spec->type : 's';
    if (check_grouping(spec->grouping, type, err, errlen) < 0)
        return -1;
    if (type != 's')
        return unknown_type(type, "str", err, errlen);
    if (check_str_spec(spec, err, errlen) < 0)
        return -1;

    /* Precision and width count code points, not bytes. */
    size_t keep;
    int64_t nchars = utf8_walk(utf8, nbytes, spec->precision, &keep);
    int64_t pad = max64(spec->width - nchars, 0);
    int64_t lpad = 0;
    char align = resolve_align(spec, '<');
    if (align == '>')
        lpad = pad;
    else if (align == '^')
        lpad = pad / 2;
    const char *fill = spec->fill[0] ? spec->fill : " ";
    size_t fill_len = strlen(fill);
    put_repeat(out, fill, fill_len, lpad);
    gs_buf_put(out, utf8, keep);
    put_repeat(out, fill, fill_len, pad - lpad);
    return 0;
}
