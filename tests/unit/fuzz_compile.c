/*
 * fuzz_compile.c -- a libFuzzer target for the compiler and `dis`.
 *
 * Any bytes, as the source of a program: gs_compile must either give a
 * code object, whose `dis` listing then prints, or refuse with a
 * SyntaxError (or IndentationError, or MemoryError) that has a line number
 * -- never crash, hang, or leak.  Each input gets an interpreter of its own,
 * freed afterwards, so that an object the compiler forgets to release is
 * not kept reachable by the collector's lists and LeakSanitizer sees it.
 *
 * Built with clang -fsanitize=fuzzer,address,undefined by
 * bench/compile_fuzz.sh, not by the default build; fuzz_compile_replay.c
 * runs the kept inputs (seeds and past crashes) through the same function
 * in `meson test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/interp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The compiler reads a C string, as the CLI hands it one: the CLI refuses
 * a file with a NUL byte before compiling, so the input stops at the
 * first NUL here. */
static char *as_source(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t n = nul ? (size_t)(nul - data) : size;
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, data, n);
    s[n] = 0;
    return s;
}

/* A refusal must be a SyntaxError (IndentationError is one) with a line
 * -- only an undecodable file has none, as in CPython -- or a MemoryError:
 * anything else is a bug in the compiler. */
static bool is_encoding_problem(GsThread *ts, GsObject *exc)
{
    GsObject *msg = gs_getattr(ts, exc, GS_NAME(ts, msg));
    bool yes = msg && GS_IS_STR(msg) && strncmp(gs_str_cstr(msg), "encoding problem: ", 18) == 0;
    if (!msg)
        gs_err_clear(ts);
    gs_xdecref(ts, msg);
    return yes;
}

static void check_refusal(GsThread *ts)
{
    GsObject *exc = gs_err_fetch(ts);
    if (!exc) {
        fprintf(stderr, "gs_compile returned NULL with no exception set\n");
        abort();
    }
    if (gs_type_is_subtype(exc->type, &gs_exc_SyntaxError) && is_encoding_problem(ts, exc)) {
        /* fine */
    } else if (gs_type_is_subtype(exc->type, &gs_exc_SyntaxError)) {
        GsObject *line = gs_getattr(ts, exc, GS_NAME(ts, lineno));
        if (!line || !GS_IS_INT(line) || gs_int_value(line) < 1) {
            fprintf(stderr, "a SyntaxError without a line number\n");
            abort();
        }
        gs_decref(ts, line);
    } else if (!gs_type_is_subtype(exc->type, &gs_exc_MemoryError)) {
        fprintf(stderr, "gs_compile raised %s, not SyntaxError\n", exc->type->name);
        abort();
    }
    gs_decref(ts, exc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *source = as_source(data, size);
    GsOptions opt;
    gs_options_default(&opt);
    GsInterp *interp = gs_interp_new(&opt);
    if (!interp)
        abort();
    GsThread ts;
    gs_thread_init(&ts, interp, 0);
    char *text = gs_source_decode(&ts, source);   /* as `gilscope run` reads a file */
    GsObject *code = text ? gs_compile(&ts, text, "fuzz.py") : NULL;
    free(text);
    if (code) {
        GsBuf b;
        gs_buf_init(&b);
        if (gs_dis_code(&ts, &b, (GsCode *)code, true) < 0)
            gs_err_clear(&ts);   /* a MemoryError while printing */
        gs_buf_free(&b);
        gs_decref(&ts, code);
    } else {
        check_refusal(&ts);
    }
    gs_thread_fini(&ts);
    gs_interp_free(interp);
    free(source);
    return 0;
}
