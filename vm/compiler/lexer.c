/*
 * lexer.c -- the tokenizer (see lexer.h for what it produces).
 *
 * How a token is found, in order:
 *   1. At the start of a logical line, measure the indentation and queue
 *      INDENT/DEDENT tokens (measure_indentation).  Blank lines and lines
 *      holding only a comment are skipped: they never indent or dedent.
 *   2. Skip spaces, comments, backslash-newline pairs, and newlines inside
 *      brackets (skip_space): none of them end a logical line.
 *   3. Look at the first byte: a letter, '_' or any non-ASCII byte starts a
 *      name (or a string with a prefix, like f"..."), a digit a number, a
 *      quote a string; anything else is an operator, longest match first
 *      ("**=" before "**" before "*").
 *
 * Error messages and caret positions copy CPython 3.11's tokenizer, so
 * that a student sees what python3 would have told them.  Most errors put
 * the caret under the last character the tokenizer read; the comments at
 * each error say where the caret goes when it is anywhere else.
 */
#include "lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const token_text[GS_TOK_COUNT] = {
#define GS_TOK_TEXT(name, text) text,
    GS_TOKEN_LIST(GS_TOK_TEXT)
#undef GS_TOK_TEXT
};

const char *gs_token_text(GsTokKind kind)
{
    return (unsigned)kind < GS_TOK_COUNT ? token_text[kind] : "?";
}

/* ------------------------------------------------------------------------
 * Setup and errors
 * ------------------------------------------------------------------------ */

void gs_lexer_init(GsLexer *lx, const char *src, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->src = lx->cur = lx->line_start = src;
    lx->end = src + len;
    lx->lineno = 1;
    lx->nindent = 1;             /* indent[0] == 0: the module level */
    lx->at_line_start = true;
}

void gs_lexer_init_fstring(GsLexer *lx, const char *src, const char *begin,
                           const char *end, int lineno, const char *line_start, int level)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->cur = begin;
    lx->end = end;
    lx->line_start = line_start;
    lx->lineno = lineno;
    lx->nindent = 1;
    lx->fstring_expr = true;
    lx->paren_base = level;
}

/* The 0-based byte column of p in the current line. */
static int col_of(const GsLexer *lx, const char *p)
{
    return (int)(p - lx->line_start);
}

static GsTokKind lex_fail_v(GsLexer *lx, GsLexErrKind kind, int lineno, int col1,
                            bool indentation, const char *fmt, va_list ap)
{
    vsnprintf(lx->err.msg, sizeof lx->err.msg, fmt, ap);
    lx->err.lineno = lineno;
    lx->err.col = col1;
    lx->err.is_indentation = indentation;
    lx->err_kind = kind;
    return GS_TOK_ERROR;
}

/* Record an error; `col1` is the 1-based byte column of the caret. */
static GsTokKind lex_fail(GsLexer *lx, GsLexErrKind kind, int lineno, int col1,
                          bool indentation, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lex_fail_v(lx, kind, lineno, col1, indentation, fmt, ap);
    va_end(ap);
    return GS_TOK_ERROR;
}

/* The common case: a hard error with the caret under the byte before p,
 * i.e. under the last character read. */
static GsTokKind fail_before(GsLexer *lx, const char *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lex_fail_v(lx, GS_LEXERR_HARD, lx->lineno, col_of(lx, p), false, fmt, ap);
    va_end(ap);
    return GS_TOK_ERROR;
}

/* Called with cur just past a '\n': a new physical line begins. */
static void new_line(GsLexer *lx)
{
    lx->lineno++;
    lx->line_start = lx->cur;
}

/* ------------------------------------------------------------------------
 * UTF-8
 * ------------------------------------------------------------------------ */

/* Decode one UTF-8 sequence of at most n bytes at s.  Returns its length,
 * or 0 if it is malformed (overlong forms and surrogates included). */
static int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    int len;
    uint32_t c, min;
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0) { len = 2; c = s[0] & 0x1F; min = 0x80; }
    else if ((s[0] & 0xF0) == 0xE0) { len = 3; c = s[0] & 0x0F; min = 0x800; }
    else if ((s[0] & 0xF8) == 0xF0) { len = 4; c = s[0] & 0x07; min = 0x10000; }
    else return 0;
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

static int utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
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

bool gs_lex_check_source(const char *src, size_t len, GsSyntaxError *err)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t line_start = 0;
    int lineno = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = s[i] < 0x80 ? 1 : utf8_decode(s + i, len - i, &cp);
        if (s[i] == 0 || n == 0) {
            memset(err, 0, sizeof *err);
            if (s[i] == 0)
                snprintf(err->msg, sizeof err->msg, "source code cannot contain null bytes");
            else
                snprintf(err->msg, sizeof err->msg, "Non-UTF-8 code starting with '\\x%02x'", s[i]);
            err->lineno = lineno;
            err->col = (int)(i - line_start) + 1;
            return false;
        }
        if (s[i] == '\n') {
            lineno++;
            line_start = i + 1;
        }
        i += (size_t)n;
    }
    return true;
}

/*
 * Which non-ASCII characters may appear in a name.  Python allows the
 * Unicode classes XID_Start/XID_Continue; carrying the full Unicode tables
 * would dwarf this file, so we accept every code point except the blocks
 * below, which hold the punctuation, symbols, spaces and emoji that people
 * actually paste into code by accident ("smart quotes", non-breaking
 * spaces, arrows, currency signs).  Those get CPython's error message.
 */
typedef struct { uint32_t lo, hi; bool printable; } CpRange;

static const CpRange not_identifier[] = {
    {0x0080, 0x009F, false}, {0x00A0, 0x00A0, false}, {0x00A1, 0x00A9, true},
    {0x00AB, 0x00AC, true},  {0x00AD, 0x00AD, false}, {0x00AE, 0x00B4, true},
    {0x00B6, 0x00B6, true},  {0x00B8, 0x00B9, true},  {0x00BB, 0x00BF, true},
    {0x00D7, 0x00D7, true},  {0x00F7, 0x00F7, true},  {0x1680, 0x1680, false},
    {0x2000, 0x200F, false}, {0x2010, 0x2027, true},  {0x2028, 0x202F, false},
    {0x2030, 0x203E, true},  {0x2041, 0x2053, true},  {0x2055, 0x205E, true},
    {0x205F, 0x206F, false}, {0x20A0, 0x20CF, true},  {0x2190, 0x2BFF, true},
    {0x2E00, 0x2E7F, true},  {0x3000, 0x3000, false}, {0x3001, 0x3004, true},
    {0x3008, 0x3020, true},  {0xE000, 0xF8FF, false}, {0xFE10, 0xFE19, true},
    {0xFEFF, 0xFEFF, false}, {0xFF01, 0xFF0F, true},  {0xFF1A, 0xFF20, true},
    {0xFF3B, 0xFF3E, true},  {0xFF40, 0xFF40, true},  {0xFF5B, 0xFF65, true},
    {0xFFF9, 0xFFFB, false}, {0xFFFC, 0xFFFD, true},  {0x1F000, 0x1FAFF, true},
};

/* 0: fine in a name; 1: a printable character that is not; 2: a
 * non-printable one (CPython words the two errors differently). */
static int classify_non_ascii(uint32_t cp)
{
    for (size_t i = 0; i < sizeof not_identifier / sizeof not_identifier[0]; i++)
        if (cp >= not_identifier[i].lo && cp <= not_identifier[i].hi)
            return not_identifier[i].printable ? 1 : 2;
    return 0;
}

/* ------------------------------------------------------------------------
 * Indentation, blank space, end of line, end of file
 * ------------------------------------------------------------------------ */

static GsTokKind tab_error(GsLexer *lx)
{
    return lex_fail(lx, GS_LEXERR_SOFT, lx->lineno, 1, true,
                    "inconsistent use of tabs and spaces in indentation");
}

/* Length of the current line without its '\n'. */
static int line_length(const GsLexer *lx)
{
    const char *p = lx->line_start;
    while (p < lx->end && *p != '\n')
        p++;
    return (int)(p - lx->line_start);
}

/* Compare a line's indentation with the stack and queue INDENT/DEDENTs. */
static GsTokKind apply_indentation(GsLexer *lx, int col, int altcol)
{
    int top = lx->indent[lx->nindent - 1];
    if (col == top)
        return altcol == lx->altindent[lx->nindent - 1] ? GS_TOK_COUNT : tab_error(lx);
    if (col > top) {
        if (lx->nindent >= GS_LEX_MAX_INDENT)
            return lex_fail(lx, GS_LEXERR_SOFT, lx->lineno, 1, true,
                            "too many levels of indentation");
        if (altcol <= lx->altindent[lx->nindent - 1])
            return tab_error(lx);
        lx->indent[lx->nindent] = col;
        lx->altindent[lx->nindent] = altcol;
        lx->nindent++;
        lx->pending = 1;
        return GS_TOK_COUNT;
    }
    while (lx->nindent > 1 && col < lx->indent[lx->nindent - 1]) {
        lx->nindent--;
        lx->pending--;
    }
    if (col != lx->indent[lx->nindent - 1])   /* caret: at the end of the line */
        return lex_fail(lx, GS_LEXERR_SOFT, lx->lineno, line_length(lx) + 1, true,
                        "unindent does not match any outer indentation level");
    return altcol == lx->altindent[lx->nindent - 1] ? GS_TOK_COUNT : tab_error(lx);
}

/* A backslash at cur: it must end the line, which then continues on the
 * next one.  Returns GS_TOK_ERROR if it does not, else GS_TOK_COUNT. */
static GsTokKind line_continuation(GsLexer *lx)
{
    const char *bs = lx->cur;
    if (bs + 1 < lx->end && bs[1] != '\n')      /* caret: the character after it */
        return fail_before(lx, bs + 2,
                           "unexpected character after line continuation character");
    lx->cur = bs + 1 < lx->end ? bs + 2 : lx->end;
    if (lx->cur >= lx->end)                      /* the file ends mid-statement */
        return lex_fail(lx, GS_LEXERR_SOFT, lx->lineno, col_of(lx, bs) + 2, false,
                        "unexpected EOF while parsing");
    new_line(lx);
    return GS_TOK_COUNT;
}

/*
 * At the start of a line: measure its indentation.  A tab advances to the
 * next multiple of 8 columns, as in CPython; a form feed resets the count.
 * A backslash in the indentation joins the next line, and the indentation
 * before the first such backslash is the one that counts.
 * Returns GS_TOK_ERROR on an indentation error, else GS_TOK_COUNT.
 */
static GsTokKind measure_indentation(GsLexer *lx)
{
    int col = 0, altcol = 0, cont_col = -1, cont_altcol = 0;
    while (lx->cur < lx->end) {
        char c = *lx->cur;
        if (c == ' ') { col++; altcol++; }
        else if (c == '\t') { col = (col / 8 + 1) * 8; altcol++; }
        else if (c == '\f') { col = altcol = 0; }
        else if (c != '\\') break;
        else {
            if (cont_col < 0) {
                cont_col = col;
                cont_altcol = altcol;
            }
            if (line_continuation(lx) == GS_TOK_ERROR)
                return GS_TOK_ERROR;
            continue;
        }
        lx->cur++;
    }
    if (cont_col >= 0) {
        col = cont_col;
        altcol = cont_altcol;
    }
    if (lx->cur == lx->end || *lx->cur == '#' || *lx->cur == '\n')
        return GS_TOK_COUNT;     /* blank line: its indentation means nothing */
    lx->at_line_start = false;
    return apply_indentation(lx, col, altcol);
}

/*
 * Skip what separates tokens without ending a logical line: spaces, tabs,
 * form feeds, comments, a backslash right before a newline, and newlines
 * inside brackets.  Sets *comment to the start of the last comment skipped
 * (CPython's NEWLINE token starts there).  Returns GS_TOK_ERROR on a
 * misplaced backslash, else GS_TOK_COUNT.
 */
static GsTokKind skip_space(GsLexer *lx, const char **comment)
{
    *comment = NULL;
    while (lx->cur < lx->end) {
        char c = *lx->cur;
        if (c == ' ' || c == '\t' || c == '\f') {
            lx->cur++;
        } else if (c == '#') {
            *comment = lx->cur;
            while (lx->cur < lx->end && *lx->cur != '\n')
                lx->cur++;
        } else if (c == '\\') {
            if (line_continuation(lx) == GS_TOK_ERROR)
                return GS_TOK_ERROR;
        } else if (c == '\n' && (lx->nparen > 0 || lx->fstring_expr)) {
            lx->cur++;
            new_line(lx);
            *comment = NULL;
        } else {
            break;
        }
    }
    return GS_TOK_COUNT;
}

/* Fill in where a token ends; the lexer has just read its last byte. */
static GsTokKind finish(GsLexer *lx, GsToken *t, GsTokKind kind)
{
    t->kind = kind;
    t->end = lx->cur;
    t->end_lineno = lx->lineno;
    t->end_col = col_of(lx, lx->cur);
    t->level = lx->paren_base + lx->nparen;
    return kind;
}

static void begin(GsLexer *lx, GsToken *t, const char *start)
{
    t->start = start;
    t->lineno = lx->lineno;
    t->col = col_of(lx, start);
}

/* INDENT or DEDENT: placed where the line's first token starts. */
static GsTokKind indent_token(GsLexer *lx, GsToken *t)
{
    begin(lx, t, lx->cur);
    if (lx->pending > 0) {
        lx->pending--;
        return finish(lx, t, GS_TOK_INDENT);
    }
    lx->pending++;
    return finish(lx, t, GS_TOK_DEDENT);
}

static GsTokKind newline_token(GsLexer *lx, GsToken *t, const char *comment)
{
    begin(lx, t, comment ? comment : lx->cur);
    finish(lx, t, GS_TOK_NEWLINE);
    if (lx->cur < lx->end) {     /* not the implicit newline at end of file */
        lx->cur++;
        new_line(lx);
        t->end_col = t->col + 1;
    }
    lx->line_has_token = false;
    lx->at_line_start = true;
    return GS_TOK_NEWLINE;
}

/*
 * The position CPython gives to the DEDENTs and ENDMARKER at the end of
 * the file: the last line that has a '\n' or any text, one column past
 * its end.  (Only error messages use it.)
 */
static void end_of_file_position(GsLexer *lx, GsToken *t)
{
    const char *ls = lx->line_start;
    t->lineno = lx->lineno;
    if (ls == lx->end && lx->lineno > 1 && ls > lx->src) {
        const char *prev = ls - 1;               /* the file's final '\n' */
        while (prev > lx->src && prev[-1] != '\n')
            prev--;
        ls = prev;
        t->lineno--;
    }
    t->col = (int)(lx->end - ls) + (ls == lx->line_start ? 1 : 0);
    t->start = t->end = lx->end;
    t->end_lineno = t->lineno;
    t->end_col = t->col;
}

static GsTokKind eof_token(GsLexer *lx, GsToken *t, const char *comment)
{
    if (lx->nparen > 0) {
        int i = lx->nparen - 1;
        return lex_fail(lx, GS_LEXERR_UNCLOSED, lx->paren_line[i], lx->paren_col[i] + 1,
                        false, "'%c' was never closed", lx->paren[i]);
    }
    if (lx->fstring_expr) {
        begin(lx, t, lx->cur);
        return finish(lx, t, GS_TOK_ENDMARKER);
    }
    if (lx->line_has_token)      /* the last line has no '\n': supply one */
        return newline_token(lx, t, comment);
    end_of_file_position(lx, t);
    if (lx->nindent > 1) {
        lx->nindent--;
        return t->kind = GS_TOK_DEDENT;
    }
    lx->done = true;
    return t->kind = GS_TOK_ENDMARKER;
}

/* ------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_hex_digit(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_name_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           is_digit(c) || (unsigned char)c >= 0x80;
}

static bool starts_with(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

/*
 * A number must not run into a name ("1abc"), except for the keywords that
 * may follow a number in valid code ("1if x else 2", "0x1for"), which
 * CPython still accepts with a warning.  Caret: the number's last digit.
 */
static bool number_end_ok(GsLexer *lx, const char *p, const char *kind)
{
    static const char *const keywords[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    if (p >= lx->end || !is_name_byte(*p))
        return true;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (starts_with(p, lx->end, keywords[i]))
            return true;
    fail_before(lx, p, "invalid %s literal", kind);
    return false;
}

/* Digits with single underscores between them ("10_000").  p is at a
 * digit.  Returns the end, or NULL after reporting an error. */
static const char *scan_decimal_digits(GsLexer *lx, const char *p)
{
    for (;;) {
        while (p < lx->end && is_digit(*p))
            p++;
        if (p >= lx->end || *p != '_')
            return p;
        p++;
        if (p >= lx->end || !is_digit(*p)) {     /* caret: the '_' */
            fail_before(lx, p, "invalid decimal literal");
            return NULL;
        }
    }
}

/* The value of [s, e) in `base`, skipping underscores; false if it does not
 * fit in int64 (then the parser reads the digits again with GMP: a big
 * int constant, objects/bigint.h). */
static bool digits_value(const char *s, const char *e, int base, int64_t *out)
{
    uint64_t v = 0;
    for (; s < e; s++) {
        int d;
        if (*s == '_')
            continue;
        d = is_digit(*s) ? *s - '0' : (*s | 0x20) - 'a' + 10;
        if (v > ((uint64_t)INT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = (int64_t)v;
    return true;
}

static GsTokKind int_token(GsLexer *lx, GsToken *t, const char *digits, const char *e, int base)
{
    lx->cur = e;
    t->big_base = 0;
    if (!digits_value(digits, e, base, &t->ival)) {
        t->ival = INT64_MAX;
        t->big_base = base;
        t->big_digits = digits;
    }
    return finish(lx, t, GS_TOK_NUMBER);
}

/* 0x.., 0o.., 0b..: digits of the base, an underscore allowed before each. */
static GsTokKind lex_radix_int(GsLexer *lx, GsToken *t)
{
    char r = (char)(lx->cur[1] | 0x20);
    int base = r == 'x' ? 16 : r == 'o' ? 8 : 2;
    const char *kind = r == 'x' ? "hexadecimal" : r == 'o' ? "octal" : "binary";
    const char *p = lx->cur + 2;
    for (;;) {
        if (p < lx->end && *p == '_')
            p++;
        if (p >= lx->end || !(base == 16 ? is_hex_digit(*p) : *p >= '0' && *p < '0' + base)) {
            if (p < lx->end && is_digit(*p))     /* "0b102": caret under the 2 */
                return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, col_of(lx, p) + 1, false,
                                "invalid digit '%c' in %s literal", *p, kind);
            return fail_before(lx, p, "invalid %s literal", kind);
        }
        while (p < lx->end && (base == 16 ? is_hex_digit(*p) : *p >= '0' && *p < '0' + base))
            p++;
        if (p >= lx->end || *p != '_')
            break;
    }
    if (p < lx->end && is_digit(*p))
        return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, col_of(lx, p) + 1, false,
                        "invalid digit '%c' in %s literal", *p, kind);
    if (!number_end_ok(lx, p, kind))
        return GS_TOK_ERROR;
    return int_token(lx, t, lx->cur + 2, p, base);
}

/* Exponent "e-3" at p (p is at the 'e').  Returns the end of the number,
 * p itself if this 'e' is not an exponent (as in "1else"), or NULL. */
static const char *scan_exponent(GsLexer *lx, const char *p)
{
    const char *q = p + 1;
    if (q < lx->end && (*q == '+' || *q == '-')) {
        q++;
        if (q >= lx->end || !is_digit(*q)) {     /* caret: the sign */
            fail_before(lx, q, "invalid decimal literal");
            return NULL;
        }
    }
    if (q >= lx->end || !is_digit(*q))
        return p;
    return scan_decimal_digits(lx, q);
}

/* Convert a decimal float literal, dropping its underscores first.
 * strtod expects the C locale's '.', which gilscope never changes. */
static double float_value(const char *s, const char *e)
{
    char small[128];
    size_t n = (size_t)(e - s), k = 0;
    char *buf = n < sizeof small ? small : malloc(n + 1);
    double v;
    if (!buf)
        abort();
    for (; s < e; s++)
        if (*s != '_')
            buf[k++] = *s;
    buf[k] = '\0';
    v = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    return v;
}

/* Integer part (if any), fraction, exponent, and the checks after them. */
static GsTokKind lex_decimal(GsLexer *lx, GsToken *t)
{
    const char *s = lx->cur, *p = s;
    bool is_float = false, leading_zero = false, nonzero = false;
    if (*p != '.') {
        if (!(p = scan_decimal_digits(lx, p)))
            return GS_TOK_ERROR;
        leading_zero = *s == '0';
        for (const char *q = s; q < p; q++)
            nonzero |= *q >= '1' && *q <= '9';
    }
    if (p < lx->end && *p == '.') {
        is_float = true;
        p++;
        if (p < lx->end && is_digit(*p) && !(p = scan_decimal_digits(lx, p)))
            return GS_TOK_ERROR;
    }
    if (p < lx->end && (*p == 'e' || *p == 'E')) {
        const char *q = scan_exponent(lx, p);
        if (!q)
            return GS_TOK_ERROR;
        is_float |= q != p;
        p = q;
    }
    if (p < lx->end && (*p == 'j' || *p == 'J'))
        return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, t->col + 1, false,
                        "gilscope does not support complex numbers");
    if (leading_zero && nonzero && !is_float)    /* "012": Python 2's octal */
        return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, t->col + 1, false,
                        "leading zeros in decimal integer literals are not permitted; "
                        "use an 0o prefix for octal integers");
    if (!number_end_ok(lx, p, "decimal"))
        return GS_TOK_ERROR;
    if (!is_float)
        return int_token(lx, t, s, p, 10);
    lx->cur = p;
    t->is_float = true;
    t->fval = float_value(s, p);
    return finish(lx, t, GS_TOK_NUMBER);
}

static GsTokKind lex_number(GsLexer *lx, GsToken *t)
{
    const char *p = lx->cur;
    if (p[0] == '0' && p + 1 < lx->end) {
        char r = (char)(p[1] | 0x20);
        if (r == 'x' || r == 'o' || r == 'b')
            return lex_radix_int(lx, t);
    }
    return lex_decimal(lx, t);
}

/* ------------------------------------------------------------------------
 * Strings
 * ------------------------------------------------------------------------ */

/* Is [s, s+n) a string prefix (r, b, f, u, rb, br, fr, rf in any case)? */
static bool string_prefix(const char *s, size_t n, unsigned *flags)
{
    unsigned f = 0;
    bool u = false;
    if (n > 2)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned bit;
        switch (s[i] | 0x20) {
        case 'r': bit = GS_STR_RAW; break;
        case 'b': bit = GS_STR_BYTES; break;
        case 'f': bit = GS_STR_FSTRING; break;
        case 'u': bit = 0; u = true; break;
        default: return false;
        }
        if (f & bit)
            return false;
        f |= bit;
    }
    if ((u && n != 1) || (f & GS_STR_BYTES && f & GS_STR_FSTRING))
        return false;
    *flags = f;
    return true;
}

/*
 * A string literal; `q` is at the opening quote (after any prefix).  Only
 * finds where it ends: decoding escapes is gs_lex_decode's job, called by
 * the parser, because an f-string's escapes must be decoded piece by piece.
 * A backslash always skips the next byte here, even in a raw string: r"\""
 * is a two-character string, as in Python.
 */
static GsTokKind lex_string(GsLexer *lx, GsToken *t, unsigned flags, const char *q)
{
    char quote = *q;
    bool triple = q + 2 < lx->end && q[1] == quote && q[2] == quote;
    const char *body = q + (triple ? 3 : 1), *p = body;
    int start_line = lx->lineno, start_col = t->col;
    for (;;) {
        if (p >= lx->end) {
            int last = lx->lineno - (lx->line_start == lx->end && lx->lineno > start_line);
            return lex_fail(lx, GS_LEXERR_HARD, start_line, start_col + 1, false,
                            triple ? "unterminated triple-quoted string literal (detected at line %d)"
                                   : "unterminated string literal (detected at line %d)",
                            last);
        }
        if (*p == quote && (!triple || (p + 2 < lx->end && p[1] == quote && p[2] == quote)))
            break;
        if (*p == '\\' && p + 1 < lx->end)
            p++;
        else if (*p == '\n' && !triple)
            return lex_fail(lx, GS_LEXERR_HARD, start_line, start_col + 1, false,
                            "unterminated string literal (detected at line %d)", lx->lineno);
        if (*p++ == '\n') {
            lx->cur = p;
            new_line(lx);
        }
    }
    t->str_flags = flags;
    t->body = body;
    t->body_len = (size_t)(p - body);
    lx->cur = p + (triple ? 3 : 1);
    return finish(lx, t, GS_TOK_STRING);
}

/* ------------------------------------------------------------------------
 * Names, keywords, operators
 * ------------------------------------------------------------------------ */

static GsTokKind keyword_or_name(const char *s, size_t n)
{
    for (int k = GS_TOK_FIRST_KW; k <= GS_TOK_LAST_KW; k++)
        if (token_text[k][0] == s[0] && strncmp(token_text[k], s, n) == 0 &&
            token_text[k][n] == '\0')
            return (GsTokKind)k;
    return GS_TOK_NAME;
}

/* Report a character that cannot be part of a name. */
static GsTokKind invalid_character(GsLexer *lx, const char *p, int len, uint32_t cp, int cls)
{
    if (cls == 2)
        return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, col_of(lx, p) + 1, false,
                        "invalid non-printable character U+%04X", (unsigned)cp);
    return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, col_of(lx, p) + 1, false,
                    "invalid character '%.*s' (U+%04X)", len, p, (unsigned)cp);
}

static GsTokKind lex_name(GsLexer *lx, GsToken *t)
{
    const char *p = lx->cur;
    unsigned flags;
    while (p < lx->end && is_name_byte(*p)) {
        uint32_t cp;
        int len, cls;
        if ((unsigned char)*p < 0x80) {
            p++;
            continue;
        }
        len = utf8_decode((const unsigned char *)p, (size_t)(lx->end - p), &cp);
        if (len == 0)            /* gs_lex_check_source rules this out */
            return fail_before(lx, p + 1, "invalid UTF-8");
        if ((cls = classify_non_ascii(cp)) != 0)
            return invalid_character(lx, p, len, cp, cls);
        p += len;
    }
    if (p < lx->end && (*p == '\'' || *p == '"') &&
        string_prefix(lx->cur, (size_t)(p - lx->cur), &flags))
        return lex_string(lx, t, flags, p);
    t->kind = keyword_or_name(lx->cur, (size_t)(p - lx->cur));
    lx->cur = p;
    return finish(lx, t, t->kind);
}

static GsTokKind open_bracket(GsLexer *lx, GsToken *t, char c)
{
    if (lx->paren_base + lx->nparen >= GS_LEX_MAX_PARENS)
        return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, t->col + 1, false,
                        "too many nested parentheses");
    lx->paren[lx->nparen] = c;
    lx->paren_line[lx->nparen] = lx->lineno;
    lx->paren_col[lx->nparen] = t->col;
    lx->nparen++;
    return GS_TOK_COUNT;
}

static GsTokKind close_bracket(GsLexer *lx, GsToken *t, char c)
{
    char open, want;
    if (lx->nparen == 0)
        return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, t->col + 1, false, "unmatched '%c'", c);
    open = lx->paren[--lx->nparen];
    want = open == '(' ? ')' : open == '[' ? ']' : '}';
    if (c == want)
        return GS_TOK_COUNT;
    if (lx->paren_line[lx->nparen] != lx->lineno)
        return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, t->col + 1, false,
                        "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                        c, open, lx->paren_line[lx->nparen]);
    return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, t->col + 1, false,
                    "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
}

/* The longest operator spelled at cur, or a 1-byte UNKNOWN token. */
static GsTokKind lex_operator(GsLexer *lx, GsToken *t)
{
    GsTokKind best = GS_TOK_UNKNOWN;
    size_t best_len = 1;
    for (int k = GS_TOK_FIRST_OP; k <= GS_TOK_LAST_OP; k++) {
        size_t n;
        if (token_text[k][0] != *lx->cur)
            continue;
        n = strlen(token_text[k]);
        if ((best == GS_TOK_UNKNOWN || n > best_len) && starts_with(lx->cur, lx->end, token_text[k])) {
            best = (GsTokKind)k;
            best_len = n;
        }
    }
    switch (*lx->cur) {
    case '(': case '[': case '{':
        if (open_bracket(lx, t, *lx->cur) == GS_TOK_ERROR)
            return GS_TOK_ERROR;
        break;
    case ')': case ']': case '}':
        if (close_bracket(lx, t, *lx->cur) == GS_TOK_ERROR)
            return GS_TOK_ERROR;
        break;
    default:
        if ((unsigned char)*lx->cur < 0x20 || *lx->cur == 0x7F)
            return lex_fail(lx, GS_LEXERR_HARD, lx->lineno, t->col + 1, false,
                            "invalid non-printable character U+%04X", (unsigned)*lx->cur);
    }
    lx->cur += best_len;
    return finish(lx, t, best);
}

/* ------------------------------------------------------------------------
 * The driver
 * ------------------------------------------------------------------------ */

static GsTokKind lex_token(GsLexer *lx, GsToken *t)
{
    for (;;) {
        const char *comment;
        char c;
        if (lx->at_line_start && !lx->fstring_expr && measure_indentation(lx) == GS_TOK_ERROR)
            return GS_TOK_ERROR;
        if (lx->pending != 0)
            return indent_token(lx, t);
        if (skip_space(lx, &comment) == GS_TOK_ERROR)
            return GS_TOK_ERROR;
        if (lx->cur >= lx->end)
            return eof_token(lx, t, comment);
        if (*lx->cur == '\n') {
            if (lx->line_has_token)
                return newline_token(lx, t, comment);
            lx->cur++;           /* a blank line */
            new_line(lx);
            lx->at_line_start = true;
            continue;
        }
        begin(lx, t, lx->cur);
        lx->line_has_token = true;
        c = *lx->cur;
        if (is_name_byte(c) && !is_digit(c))
            return lex_name(lx, t);
        if (is_digit(c) || (c == '.' && lx->cur + 1 < lx->end && is_digit(lx->cur[1])))
            return lex_number(lx, t);
        if (c == '\'' || c == '"')
            return lex_string(lx, t, 0, lx->cur);
        return lex_operator(lx, t);
    }
}

GsTokKind gs_lexer_next(GsLexer *lx, GsToken *t)
{
    memset(t, 0, sizeof *t);
    if (lx->err_kind != GS_LEXERR_NONE)
        return t->kind = GS_TOK_ERROR;
    if (lx->done) {
        end_of_file_position(lx, t);
        return t->kind = GS_TOK_ENDMARKER;
    }
    t->kind = lex_token(lx, t);
    return t->kind;
}

/* ------------------------------------------------------------------------
 * Escape sequences
 * ------------------------------------------------------------------------ */

static int hex_value(char c)
{
    return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* CPython reports bad escapes as a codec error, with byte positions in the
 * string's body: "position 0-2" covers the backslash up to the bad byte. */
static long codec_error(char *msg, size_t msglen, size_t from, size_t to, const char *what)
{
    snprintf(msg, msglen,
             "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: %s",
             from, to - 1, what);
    return -1;
}

/* \xNN, \uNNNN, \UNNNNNNNN at s[i] (the backslash).  Appends the UTF-8 and
 * returns the index after the escape, or 0 on error. */
static size_t decode_hex_escape(const char *s, size_t n, size_t i, char *out, size_t *o,
                                char *msg, size_t msglen)
{
    char kind = s[i + 1];
    int digits = kind == 'x' ? 2 : kind == 'u' ? 4 : 8;
    uint32_t cp = 0;
    size_t j = i + 2;
    for (int k = 0; k < digits; k++, j++) {
        if (j >= n || !is_hex_digit(s[j])) {
            codec_error(msg, msglen, i, j, kind == 'x' ? "truncated \\xXX escape"
                                         : kind == 'u' ? "truncated \\uXXXX escape"
                                                       : "truncated \\UXXXXXXXX escape");
            return 0;
        }
        cp = cp * 16 + (uint32_t)hex_value(s[j]);
    }
    if (cp > 0x10FFFF) {
        codec_error(msg, msglen, i, j, "illegal Unicode character");
        return 0;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {  /* would not be valid UTF-8 */
        snprintf(msg, msglen, "gilscope does not support lone surrogates (\\u%04X) in strings",
                 (unsigned)cp);
        return 0;
    }
    *o += (size_t)utf8_encode(cp, out + *o);
    return j;
}

long gs_lex_decode(const char *s, size_t n, bool raw, char *out, char *msg, size_t msglen)
{
    static const char simple_from[] = "\n\\'\"abfnrtv";
    static const char simple_to[] = "\0\\'\"\a\b\f\n\r\t\v";
    size_t i = 0, o = 0;
    while (i < n) {
        const char *simple;
        if (s[i] != '\\' || raw || i + 1 == n) {   /* a lone trailing '\' stays */
            out[o++] = s[i++];
            continue;
        }
        if ((simple = memchr(simple_from, s[i + 1], sizeof simple_from - 1)) != NULL) {
            if (*simple != '\n')                 /* backslash-newline: nothing */
                out[o++] = simple_to[simple - simple_from];
            i += 2;
        } else if (s[i + 1] >= '0' && s[i + 1] <= '7') {
            uint32_t cp = 0;
            size_t j = i + 1;
            for (; j < n && j < i + 4 && s[j] >= '0' && s[j] <= '7'; j++)
                cp = cp * 8 + (uint32_t)(s[j] - '0');
            o += (size_t)utf8_encode(cp, out + o);
            i = j;
        } else if (s[i + 1] == 'x' || s[i + 1] == 'u' || s[i + 1] == 'U') {
            if ((i = decode_hex_escape(s, n, i, out, &o, msg, msglen)) == 0)
                return -1;
        } else if (s[i + 1] == 'N') {
            snprintf(msg, msglen, "gilscope does not support \\N{...} escapes");
            return -1;
        } else {                 /* unknown escape: kept as written, like Python */
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return (long)o;
}
