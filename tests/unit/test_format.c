/*
 * test_format.c -- unit tests for vm/objects/format.c (float repr and the
 * format-spec mini-language) and vm/objects/buf.c (GsBuf).
 *
 * Every expected string below was produced by running format() / repr()
 * in a real CPython (3.11, whose output for these cases is the same as
 * 3.9's).  Where 3.9 and 3.11 differ, the test follows 3.9, which
 * gilscope imitates, and says so.  Errors are written "ERR: <message>".
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "objects/format.h"
#include "tap.h"

/* The result of the last check: the formatted text, or "ERR: message". */
static char result[4096];

static void set_result(int rc, GsBuf *out, const char *err)
{
    if (rc < 0)
        snprintf(result, sizeof result, "ERR: %s", err);
    else
        snprintf(result, sizeof result, "%s", out->data ? out->data : "");
}

/* Parse spec, then run one of the formatters on it (kind 'i', 'f', 's'). */
static const char *run(char kind, int64_t i, double f, const char *s, const char *spec)
{
    GsFormatSpec fs;
    GsBuf out;
    char err[256] = "";
    int rc;
    gs_buf_init(&out);
    rc = gs_format_spec_parse(spec, strlen(spec), &fs, err, sizeof err);
    if (rc == 0 && kind == 'i')
        rc = gs_format_int(&out, i, &fs, err, sizeof err);
    else if (rc == 0 && kind == 'f')
        rc = gs_format_float(&out, f, &fs, err, sizeof err);
    else if (rc == 0)
        rc = gs_format_str(&out, s, strlen(s), &fs, err, sizeof err);
    set_result(rc, &out, err);
    gs_buf_free(&out);
    return result;
}

static void check_repr(double v, const char *want)
{
    GsBuf out;
    gs_buf_init(&out);
    gs_format_float_repr(&out, v);
    set_result(0, &out, NULL);
    gs_buf_free(&out);
    TAP_STR_EQ(result, want, "repr(%s)", want);
}

static void check_int(int64_t v, const char *spec, const char *want)
{
    TAP_STR_EQ(run('i', v, 0, NULL, spec), want, "format(%lld, '%s')", (long long)v, spec);
}

static void check_float(double v, const char *spec, const char *want)
{
    TAP_STR_EQ(run('f', 0, v, NULL, spec), want, "format(%.17g, '%s')", v, spec);
}

static void check_str(const char *v, const char *spec, const char *want)
{
    TAP_STR_EQ(run('s', 0, 0, v, spec), want, "format('%s', '%s')", v, spec);
}

/* ---- GsBuf ---------------------------------------------------------------- */

static void test_buf(void)
{
    GsBuf b;
    gs_buf_init(&b);
    TAP_OK(b.data == NULL && b.len == 0, "gs_buf_init leaves an empty buffer");
    gs_buf_put(&b, "", 0);
    gs_buf_free(&b);
    TAP_OK(b.data == NULL && b.len == 0 && b.cap == 0, "free of an untouched buffer is safe");

    gs_buf_puts(&b, "abc");
    gs_buf_putc(&b, 'd');
    gs_buf_put(&b, "efgh", 2);
    TAP_STR_EQ(b.data, "abcdef", "put/puts/putc append and keep a NUL");
    TAP_INT_EQ(b.len, 6, "len counts the bytes");

    for (int i = 0; i < 200; i++)
        gs_buf_printf(&b, "%d,", i);
    TAP_INT_EQ(b.len, 6 + 690, "printf grows the buffer as needed");
    TAP_STR_EQ(b.data + b.len - 8, "198,199,", "printf output is intact after growth");
    TAP_OK(b.data[b.len] == '\0' && b.cap > b.len, "still NUL-terminated");

    gs_buf_printf(&b, "%s", "");
    TAP_INT_EQ(b.len, 696, "empty printf appends nothing");

    gs_buf_free(&b);
    gs_buf_puts(&b, "xy");
    for (int i = 0; i < 6; i++)   /* append a copy of itself, repeatedly */
        gs_buf_put(&b, b.data, b.len);
    TAP_INT_EQ(b.len, 128, "appending a buffer to itself survives reallocation");
    TAP_OK(strncmp(b.data + 126, "xy", 3) == 0, "and the copy is right");
    gs_buf_free(&b);
}

/* ---- parsing ---------------------------------------------------------------- */

static void test_parse(void)
{
    GsFormatSpec s;
    char err[64];
    const char *full = "*<+#12,.3f";
    TAP_INT_EQ(gs_format_spec_parse(full, strlen(full), &s, err, sizeof err), 0,
               "parse '%s'", full);
    TAP_OK(strcmp(s.fill, "*") == 0 && s.align == '<' && s.sign == '+' && s.alternate &&
           !s.zero_pad && s.width == 12 && s.grouping == ',' && s.precision == 3 &&
           s.type == 'f', "every field of '%s'", full);

    TAP_INT_EQ(gs_format_spec_parse("", 0, &s, err, sizeof err), 0, "parse ''");
    TAP_OK(strcmp(s.fill, " ") == 0 && s.align == 0 && s.sign == 0 && !s.alternate &&
           s.width == -1 && s.grouping == 0 && s.precision == -1 && s.type == 0,
           "the empty spec gives the defaults");

    gs_format_spec_parse("\xf0\x9f\x90\x8d^5", 6, &s, err, sizeof err);
    TAP_STR_EQ(s.fill, "\xf0\x9f\x90\x8d", "a 4-byte fill character");

    /* CPython 3.9: '0' means fill '0' and, with no alignment, '='. */
    gs_format_spec_parse("08", 2, &s, err, sizeof err);
    TAP_OK(s.zero_pad && strcmp(s.fill, "0") == 0 && s.align == '=' && s.width == 8,
           "'08' is zero padding with '=' alignment");
    gs_format_spec_parse("<08", 3, &s, err, sizeof err);
    TAP_OK(s.zero_pad && strcmp(s.fill, "0") == 0 && s.align == '<' && s.width == 8,
           "'<08' keeps its alignment, fills with '0'");
    gs_format_spec_parse("x<08", 4, &s, err, sizeof err);
    TAP_OK(!s.zero_pad && strcmp(s.fill, "x") == 0 && s.width == 8,
           "'x<08': with a fill given, the '0' is just part of the width");

    char small[8];
    TAP_INT_EQ(gs_format_spec_parse("abc", 3, &s, small, sizeof small), -1, "'abc' is invalid");
    TAP_STR_EQ(small, "Invalid", "a short err buffer is truncated, not overrun");
}

/* ---- CPython 3.9, where 3.10+ differ ------------------------------------------ */

static void test_py39(void)
{
    /* 3.9 reads the '0' in '05' as '=' alignment for every type, so it is
     * an error for str; 3.10 (bpo-27772) gives 'ab000'. */
    check_str("ab", "05", "ERR: '=' alignment not allowed in string format specifier");
    /* 3.9's wording; 3.11 appends " 'abc' for object of type 'int'". */
    check_int(1, "abc", "ERR: Invalid format specifier");
    /* 3.9 has no 'z' option (PEP 682 came in 3.11). */
    check_float(-0.0, "z.1f", "ERR: Invalid format specifier");
}

static void test_repr(void)
{
    check_repr(0.30000000000000004, "0.30000000000000004");
    check_repr(1e+16, "1e+16");
    check_repr(1e-05, "1e-05");
    check_repr(123456789.0, "123456789.0");
    check_repr(5e-324, "5e-324");
    check_repr(1.7976931348623157e+308, "1.7976931348623157e+308");
    check_repr(0.1, "0.1");
    check_repr(100.0, "100.0");
    check_repr(-0.0, "-0.0");
    check_repr(0.0, "0.0");
    check_repr(INFINITY, "inf");
    check_repr(-INFINITY, "-inf");
    check_repr(NAN, "nan");
    check_repr(1.5e-07, "1.5e-07");
    check_repr(1.2345678901234567e+19, "1.2345678901234567e+19");
    check_repr(1000000000000000.0, "1000000000000000.0");
    check_repr(9999999999999998.0, "9999999999999998.0");
    check_repr(0.0001, "0.0001");
    check_repr(7.120236347223045e-307, "7.120236347223045e-307");
    check_repr(1e+22, "1e+22");
    check_repr(2.5, "2.5");
    check_repr(-1.5, "-1.5");
    check_repr(0.3333333333333333, "0.3333333333333333");
    check_repr(2.2250738585072014e-308, "2.2250738585072014e-308");
    check_repr(123.456, "123.456");
}

static void test_int(void)
{
    check_int(INT64_C(42), ">8", "      42");
    check_int(INT64_C(42), "08d", "00000042");
    check_int(INT64_C(-42), "=+8", "-     42");
    check_int(INT64_C(1234567), ",", "1,234,567");
    check_int(INT64_C(1234567), "_", "1_234_567");
    check_int(INT64_C(255), "#x", "0xff");
    check_int(INT64_C(255), "#010b", "0b11111111");
    check_int(INT64_C(255), "X", "FF");
    check_int(INT64_C(255), "#X", "0XFF");
    check_int(INT64_C(255), "o", "377");
    check_int(INT64_C(255), "#o", "0o377");
    check_int(INT64_C(-255), "#x", "-0xff");
    check_int(INT64_C(0), "#b", "0b0");
    check_int(INT64_C(42), "", "42");
    check_int(INT64_C(-7), "d", "-7");
    check_int(INT64_C(5), " d", " 5");
    check_int(INT64_C(-5), " d", "-5");
    check_int(INT64_C(5), "+d", "+5");
    check_int(INT64_C(1234), "n", "1234");
    check_int(INT64_C(1234), "010,", "00,001,234");
    check_int(INT64_C(1234), "08,", "0,001,234");
    check_int(INT64_C(-1234), "0=10_", "-0_001_234");
    check_int(INT64_C(305419896), "_x", "1234_5678");
    check_int(INT64_C(305419896), "#_X", "0X1234_5678");
    check_int(INT64_C(255), "#012_b", "0b0_1111_1111");
    check_int(INT64_C(9223372036854775807), ",", "9,223,372,036,854,775,807");
    check_int(INT64_MIN, "", "-9223372036854775808");
    check_int(INT64_MIN, "x", "-8000000000000000");
    check_int(INT64_C(42), "*^9", "***42****");
    check_int(INT64_C(42), "<5", "42   ");
    check_int(INT64_C(42), "\303\251^7", "\303\251\303\25142\303\251\303\251\303\251");
    check_int(INT64_C(42), "^+6", " +42  ");
    check_int(INT64_C(65), "c", "A");
    check_int(INT64_C(128013), "c", "\360\237\220\215");
    check_int(INT64_C(65), "^5c", "  A  ");
    check_int(INT64_C(65), "05c", "0000A");
    check_int(INT64_C(5), "e", "5.000000e+00");
    check_int(INT64_C(5), ".2f", "5.00");
    check_int(INT64_C(1), "%", "100.000000%");
    check_int(INT64_C(100000000000000001), "e", "1.000000e+17");
    check_int(INT64_C(3), "G", "3");
    check_int(INT64_C(1), "q", "ERR: Unknown format code 'q' for object of type 'int'");
    check_int(INT64_C(1), ".2", "ERR: Precision not allowed in integer format specifier");
    check_int(INT64_C(1), ".2d", "ERR: Precision not allowed in integer format specifier");
    check_int(INT64_C(1), ".2q", "ERR: Unknown format code 'q' for object of type 'int'");
    check_int(INT64_C(1), "+c", "ERR: Sign not allowed with integer format specifier 'c'");
    check_int(INT64_C(1), "#c", "ERR: Alternate form (#) not allowed with integer format specifier 'c'");
    check_int(INT64_C(-1), "c", "ERR: %c arg not in range(0x110000)");
    check_int(INT64_C(1114112), "c", "ERR: %c arg not in range(0x110000)");
    check_int(INT64_C(1), ",x", "ERR: Cannot specify ',' with 'x'.");
    check_int(INT64_C(1), ",c", "ERR: Cannot specify ',' with 'c'.");
    check_int(INT64_C(1), "_n", "ERR: Cannot specify '_' with 'n'.");
    check_int(INT64_C(1), ",_", "ERR: Cannot specify both ',' and '_'.");
    check_int(INT64_C(1), "_,", "ERR: Cannot specify both ',' and '_'.");
    check_int(INT64_C(1), ",,", "ERR: Cannot specify ',' with ','.");
    check_int(INT64_C(1), "__", "ERR: Cannot specify '_' with '_'.");
    check_int(INT64_C(1), "abc", "ERR: Invalid format specifier");
    check_int(INT64_C(1), ".", "ERR: Format specifier missing precision");
    check_int(INT64_C(1), "\303\251", "ERR: Unknown format code '\\xe9' for object of type 'int'");
    check_int(INT64_C(1), ", ", "ERR: Cannot specify ',' with '\\x20'.");
    check_int(INT64_C(1), "99999999999999999999", "ERR: Too many decimal digits in format string");
    check_int(INT64_C(1), "s", "ERR: Unknown format code 's' for object of type 'int'");
}

static void test_float(void)
{
    check_float(3.14159, ".3f", "3.142");
    check_float(0.5, "%", "50.000000%");
    check_float(2.5, ".0f", "2");
    check_float(3.5, ".0f", "4");
    check_float(0.125, ".2f", "0.12");
    check_float(0.375, ".2f", "0.38");
    check_float(1e+100, "f", "10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000000");
    check_float(1.0, ".3", "1.0");
    check_float(1234.5, ".2", "1.2e+03");
    check_float(12.0, ".2", "1.2e+01");
    check_float(1.5, ".0", "2e+00");
    check_float(1.0, "", "1.0");
    check_float(1e+16, "", "1e+16");
    check_float(1e+16, "#", "1.e+16");
    check_float(1.0, "#", "1.0");
    check_float(INFINITY, "08.2f", "00000inf");
    check_float(-INFINITY, "+08.2F", "-0000INF");
    check_float(INFINITY, "%", "inf%");
    check_float(NAN, "+", "+nan");
    check_float(NAN, "E", "NAN");
    check_float(NAN, "f", "nan");
    check_float(1234567.891, ",.2f", "1,234,567.89");
    check_float(1234567.891, "_.2f", "1_234_567.89");
    check_float(1234.5, "012,.2f", "0,001,234.50");
    check_float(-1.5, "=+10.2f", "-     1.50");
    check_float(1.5, "*^11.3e", "*1.500e+00*");
    check_float(0.000123456, "g", "0.000123456");
    check_float(123456789.0, "g", "1.23457e+08");
    check_float(1e-05, "g", "1e-05");
    check_float(100.0, "#g", "100.000");
    check_float(1.0, "#.0f", "1.");
    check_float(1.0, ".0e", "1e+00");
    check_float(1.0, "#.0e", "1.e+00");
    check_float(0.1, ".20f", "0.10000000000000000555");
    check_float(0.1, ".17g", "0.10000000000000001");
    check_float(0.3333333333333333, ".2%", "33.33%");
    check_float(-0.0, "f", "-0.000000");
    check_float(-0.001, ".2f", "-0.00");
    check_float(1.5, "e", "1.500000e+00");
    check_float(1.5, "E", "1.500000E+00");
    check_float(12345.678, "G", "12345.7");
    check_float(1e-10, "G", "1E-10");
    check_float(1.0, "n", "1");
    check_float(0.30000000000000004, "", "0.30000000000000004");
    check_float(1.5, "10", "       1.5");
    check_float(1.5, "<10", "1.5       ");
    check_float(1.5, "010", "00000001.5");
    check_float(-1.5, " ", "-1.5");
    check_float(1.5, " ", " 1.5");
    check_float(1e+16, ",", "1e+16");
    check_float(1234.5, ",", "1,234.5");
    check_float(123456.0, ".3", "1.23e+05");
    check_float(0.0001, ".3", "0.0001");
    check_float(1e-05, ".3", "1e-05");
    check_float(1.5, ".0%", "150%");
    check_float(1e+300, ".3e", "1.000e+300");
    check_float(5e-324, "e", "4.940656e-324");
    check_float(1.7976931348623157e+308, ".17g", "1.7976931348623157e+308");
    check_float(1.5, "d", "ERR: Unknown format code 'd' for object of type 'float'");
    check_float(1.5, "x", "ERR: Unknown format code 'x' for object of type 'float'");
    check_float(1.5, "s", "ERR: Unknown format code 's' for object of type 'float'");
    check_float(1.5, "c", "ERR: Unknown format code 'c' for object of type 'float'");
    check_float(1.0, ".3000000000f", "ERR: precision too big");
    check_float(1.5, ",n", "ERR: Cannot specify ',' with 'n'.");
    check_float(1.5, "_s", "ERR: Cannot specify '_' with 's'.");
}

static void test_str(void)
{
    check_str("abc", "*^9", "***abc***");
    check_str("hello", ".2", "he");
    check_str("abc", "", "abc");
    check_str("abc", "10", "abc       ");
    check_str("abc", ">10", "       abc");
    check_str("abc", "^10", "   abc    ");
    check_str("abc", "^4", "abc ");
    check_str("abc", "2", "abc");
    check_str("h\303\251llo", ".3", "h\303\251l");
    check_str("h\303\251llo", "*>8", "***h\303\251llo");
    check_str("\346\227\245\346\234\254", "^6", "  \346\227\245\346\234\254  ");
    check_str("\360\237\220\215", "\360\237\220\215^5", "\360\237\220\215\360\237\220\215\360\237\220\215\360\237\220\215\360\237\220\215");
    check_str("hello", "10.3s", "hel       ");
    check_str("", "*^3", "***");
    check_str("hello", ".0", "");
    check_str("abc", "s", "abc");
    check_str("ab", "<05", "ab000");
    check_str("ab", "x>05", "xxxab");
    check_str("a", "=", "ERR: '=' alignment not allowed in string format specifier");
    check_str("a", "*=5", "ERR: '=' alignment not allowed in string format specifier");
    check_str("a", "+", "ERR: Sign not allowed in string format specifier");
    check_str("a", " ", "ERR: Space not allowed in string format specifier");
    check_str("a", "#", "ERR: Alternate form (#) not allowed in string format specifier");
    check_str("a", "d", "ERR: Unknown format code 'd' for object of type 'str'");
    check_str("a", ",", "ERR: Cannot specify ',' with 's'.");
    check_str("a", ",s", "ERR: Cannot specify ',' with 's'.");
    check_str("a", "_", "ERR: Cannot specify '_' with 's'.");
    check_str("a", "\303\251", "ERR: Unknown format code '\\xe9' for object of type 'str'");
}

int main(void)
{
    test_buf();
    test_parse();
    test_repr();
    test_int();
    test_float();
    test_str();
    test_py39();
    return tap_done();
}
