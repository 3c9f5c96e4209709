/*
 * viewer_test.h -- helpers shared by the viewer's tests: where the
 * fixtures are, and loading a model from a file or from a string.
 *
 * meson passes two directories: tests/traces (the tracer's fixtures) and
 * tests/viewer/traces (the viewer's).  By hand the tests run from the
 * repository root.
 */
#ifndef GV_VIEWER_TEST_H
#define GV_VIEWER_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tap.h"

static const char *tracer_traces = "tests/traces";
static const char *viewer_traces = "tests/viewer/traces";

static inline void set_dirs(int argc, char **argv)
{
    if (argc > 1)
        tracer_traces = argv[1];
    if (argc > 2)
        viewer_traces = argv[2];
    /* Headless, and the same pixels everywhere. */
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_RENDER_DRIVER", "software", 1);
    setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
}

/* A fixture's path (a static buffer per directory). */
static inline const char *vfixture(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", viewer_traces, name);
    return path;
}

static inline const char *tfixture(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", tracer_traces, name);
    return path;
}

static inline GvModel *load_model(const char *path)
{
    char err[512];
    GvModel *m = NULL;
    if (gv_model_load(path, NULL, NULL, &m, err, sizeof err) < 0)
        printf("# %s\n", err);
    return m;
}

/* A model from text, named "t.jsonl"; NULL with err set on failure. */
static inline GvModel *model_from_text(const char *text, size_t len, char *err, size_t errlen)
{
    FILE *f = tmpfile();
    GvModel *m = NULL;
    if (!f) {
        snprintf(err, errlen, "tmpfile failed");
        return NULL;
    }
    if (len)
        fwrite(text, 1, len, f);
    rewind(f);
    err[0] = '\0';
    gv_model_read(f, "t.jsonl", NULL, NULL, &m, err, errlen);
    fclose(f);
    return m;
}

/* A whole file into a new NUL-terminated buffer (free it), or NULL. */
static inline char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

/* tap.h's TAP_OK evaluates its condition a second time when it fails;
 * conditions here often have side effects (events sent, files written),
 * so CHECK evaluates once. */
#define CHECK(cond, ...) do { \
        bool check_ = (cond); \
        TAP_OK(check_, __VA_ARGS__); \
        if (!check_) printf("#   %s\n", #cond); \
    } while (0)

#define META "{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\",\"version\":2," \
             "\"script\":\"x.py\",\"cpython\":\"3.12\",\"policy\":\"interval\"}\n"

#endif
