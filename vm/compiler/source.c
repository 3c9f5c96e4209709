/*
 * source.c -- a program's bytes before the lexer sees them: PEP 263's
 * encoding declaration.
 *
 * A comment on the first or second line may name the file's encoding:
 *
 *     # -*- coding: latin-1 -*-
 *     # vim: set fileencoding=utf-8 :
 *
 * (the second line counts only if the first holds nothing but blanks or a
 * comment).  CPython decodes the file with that codec and refuses a name
 * it does not know with "encoding problem: NAME".  gilscope's lexer reads
 * UTF-8 only, so it knows three encodings: UTF-8, ASCII (a subset) and
 * Latin-1 (translated to UTF-8 here, before anything else reads the text).
 * Any other name is refused as CPython refuses an unknown one; for the
 * common real encodings gilscope cannot read, the message says so
 * (docs/differences.md).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "runtime/interp.h"

typedef enum { ENC_UTF8, ENC_ASCII, ENC_LATIN1, ENC_UNSUPPORTED, ENC_UNKNOWN } Encoding;

/* The names of each encoding, as Python's codec registry spells them
 * after normalizing (lower case, '-' and ' ' as '_'). */
static const char *const utf8_names[] = {
    "utf_8", "utf8", "u8", "utf", "utf8_ucs2", "utf8_ucs4", "cp65001", NULL,
};
static const char *const ascii_names[] = {
    "ascii", "us_ascii", "646", "us", "ansi_x3.4_1968", "ansi_x3_4_1968", "ansi_x3.4_1986",
    "cp367", "csascii", "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6", NULL,
};
static const char *const latin1_names[] = {
    "latin_1", "latin1", "l1", "latin", "iso_8859_1", "iso8859_1", "iso_latin_1", "8859",
    "cp819", "ibm819", "iso_ir_100", "csisolatin1", NULL,
};
/* Encodings CPython reads and gilscope does not: a few common ones, so
 * that the error can say why (any other name gets CPython's message). */
static const char *const unsupported_names[] = {
    "cp1252", "windows_1252", "iso_8859_15", "iso8859_15", "latin9", "latin_9", "l9",
    "iso_8859_2", "iso8859_2", "latin2", "latin_2", "cp1250", "windows_1250", "cp1251",
    "windows_1251", "koi8_r", "koi8_u", "cp437", "cp850", "mac_roman", "macroman",
    "shift_jis", "sjis", "cp932", "euc_jp", "gbk", "gb2312", "gb18030", "big5", "euc_kr",
    "iso_8859_5", "iso8859_5", "iso_8859_7", "iso8859_7", "iso_8859_9", "iso8859_9", NULL,
};

static bool in_list(const char *const *names, const char *name)
{
    for (; *names; names++)
        if (strcmp(*names, name) == 0)
            return true;
    return false;
}

/* CPython accepts "utf-8-anything" and "latin-1-anything" as those. */
static bool has_prefix(const char *name, const char *prefix)
{
    return strncmp(name, prefix, strlen(prefix)) == 0;
}

static Encoding classify(const char *declared)
{
    char name[64];
    size_t i = 0;
    for (; declared[i] && i < sizeof name - 1; i++) {
        char ch = (char)tolower((unsigned char)declared[i]);
        name[i] = ch == '-' ? '_' : ch;
    }
    name[i] = 0;
    if (in_list(utf8_names, name) || has_prefix(name, "utf_8_"))
        return ENC_UTF8;
    if (in_list(ascii_names, name))
        return ENC_ASCII;
    if (in_list(latin1_names, name) || has_prefix(name, "latin_1_") ||
        has_prefix(name, "iso_8859_1_") || has_prefix(name, "iso_latin_1_"))
        return ENC_LATIN1;
    return in_list(unsupported_names, name) ? ENC_UNSUPPORTED : ENC_UNKNOWN;
}

/* The declaration on one line [p, end), if the line is a comment that
 * has one: `coding`, then ':' or '=', blanks, then the name. */
static bool line_declares(const char *p, const char *end, char *name, size_t cap)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
        p++;
    if (p == end || *p != '#')
        return false;
    for (; end - p > 6; p++) {
        if (memcmp(p, "coding", 6) != 0 || (p[6] != ':' && p[6] != '='))
            continue;
        const char *b = p + 7;
        while (b < end && (*b == ' ' || *b == '\t'))
            b++;
        const char *e = b;
        while (e < end && (isalnum((unsigned char)*e) || *e == '-' || *e == '_' || *e == '.'))
            e++;
        if (e > b) {
            size_t n = (size_t)(e - b) < cap - 1 ? (size_t)(e - b) : cap - 1;
            memcpy(name, b, n);
            name[n] = 0;
            return true;
        }
    }
    return false;
}

/* Does the line [p, end) hold only blanks, or a comment? */
static bool blank_or_comment(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\r'))
        p++;
    return p == end || *p == '#';
}

/* The encoding `src` declares (name copied into name[cap]), or false. */
static bool find_declaration(const char *src, char *name, size_t cap)
{
    if (strncmp(src, "\xEF\xBB\xBF", 3) == 0)
        src += 3;
    const char *nl = strchr(src, '\n');
    const char *end1 = nl ? nl : src + strlen(src);
    if (line_declares(src, end1, name, cap))
        return true;
    if (!nl || !blank_or_comment(src, end1))
        return false;
    const char *line2 = nl + 1, *nl2 = strchr(line2, '\n');
    return line_declares(line2, nl2 ? nl2 : line2 + strlen(line2), name, cap);
}

/* CPython's SyntaxError when it cannot decode a file: a message, no place. */
static void encoding_problem(GsThread *ts, const char *name, const char *why)
{
    char text[160];
    snprintf(text, sizeof text, "encoding problem: %s%s", name, why);
    GsObject *msg = gs_str_from(ts, text);
    GsObject *exc = msg ? gs_exc_new(ts, &gs_exc_SyntaxError, &msg, 1) : NULL;
    if (exc) {
        gs_setattr(ts, exc, GS_NAME(ts, msg), msg);
        gs_err_set_obj(ts, exc);
        gs_decref(ts, exc);
    }
    gs_xdecref(ts, msg);
}

bool gs_source_check_encoding(GsThread *ts, const char *source)
{
    char name[64];
    if (!find_declaration(source, name, sizeof name))
        return true;
    switch (classify(name)) {
    case ENC_UTF8: case ENC_ASCII: case ENC_LATIN1:
        return true;
    case ENC_UNSUPPORTED:
        encoding_problem(ts, name, " (gilscope reads UTF-8, ASCII and Latin-1 source only)");
        return false;
    case ENC_UNKNOWN:
        break;
    }
    encoding_problem(ts, name, "");
    return false;
}

/* Latin-1 is the first 256 code points: a byte >= 0x80 is two in UTF-8. */
static char *latin1_to_utf8(const char *src)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p; p++)
        n += *p < 0x80 ? 1 : 2;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
        if (*p < 0x80) {
            *o++ = (char)*p;
        } else {
            *o++ = (char)(0xC0 | (*p >> 6));
            *o++ = (char)(0x80 | (*p & 0x3F));
        }
    }
    *o = 0;
    return out;
}

char *gs_source_decode(GsThread *ts, const char *raw)
{
    char name[64];
    Encoding enc = find_declaration(raw, name, sizeof name) ? classify(name) : ENC_UTF8;
    bool bom = strncmp(raw, "\xEF\xBB\xBF", 3) == 0;
    char *text = NULL;
    if (bom && enc != ENC_UTF8) {
        /* CPython names Latin-1 by its canonical name here. */
        encoding_problem(ts, enc == ENC_LATIN1 ? "iso-8859-1" : name, " with BOM");
        return NULL;
    }
    if (enc == ENC_ASCII) {
        for (const unsigned char *p = (const unsigned char *)raw; *p; p++)
            if (*p >= 0x80) {
                encoding_problem(ts, "ascii", "");
                return NULL;
            }
    }
    text = enc == ENC_LATIN1 ? latin1_to_utf8(raw) : strdup(raw);
    if (!text)
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    return text;
}
