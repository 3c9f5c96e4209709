/*
 * trace_util.h -- helpers shared by the tracer's unit tests
 * (test_trace_read.c, test_trace_stats.c, test_trace_export.c,
 * test_trace_cli.c): where the fixture traces are, and loading a trace
 * from a string.
 *
 * The fixtures live in tests/traces/; meson passes that directory as
 * argv[1], and by hand the tests run from the repository root.
 */
#ifndef GS_TRACE_UTIL_H
#define GS_TRACE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_read.h"

static const char *traces_dir = "tests/traces";

static inline void set_traces_dir(int argc, char **argv)
{
    if (argc > 1)
        traces_dir = argv[1];
}

/* The path of a fixture (a static buffer: use it before the next call). */
static inline const char *fixture(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", traces_dir, name);
    return path;
}

/* Load len bytes of text as a trace named "t.jsonl"; NULL with err set on
 * failure.  A temporary file rather than fmemopen: it takes any bytes,
 * NULs and empty input included. */
static inline GsTrace *load_bytes(const char *text, size_t len, char *err, size_t errlen)
{
    FILE *f = tmpfile();
    GsTrace *tr = NULL;
    if (!f) {
        snprintf(err, errlen, "tmpfile failed");
        return NULL;
    }
    if (len)
        fwrite(text, 1, len, f);
    rewind(f);
    err[0] = '\0';
    gs_trace_read(f, "t.jsonl", &tr, err, errlen);
    fclose(f);
    return tr;
}

static inline GsTrace *load_text(const char *text, char *err, size_t errlen)
{
    return load_bytes(text, strlen(text), err, errlen);
}

/* A whole file into a new NUL-terminated buffer (free it), or NULL. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, cap * 2 + 1);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

/* The first line of every hand-made trace below. */
#define META "{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":2," \
             "\"script\":\"x.py\",\"cpython\":\"3.12\",\"policy\":\"interval\"}\n"
#define END(t) "{\"ev\":\"end\",\"t\":" #t ",\"status\":0,\"reason\":\"exit\"}\n"

#endif
