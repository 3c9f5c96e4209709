/*
 * fuzz_model.c -- a libFuzzer target for the viewer's loader and layout.
 *
 * Any bytes: the loader (viewer/model.c over tracer/trace_read.c) must
 * either build a model or refuse with a message naming the file -- never
 * crash, hang, or leak -- and a model it builds must lay out.  Built with
 * clang -fsanitize=fuzzer,address,undefined by bench/view_fuzz.sh, not by
 * the default build; fuzz_replay.c runs the kept inputs (seeds and past
 * crashes) through the same function in `meson test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "layout.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lay the model out at a few zooms, and explain things: all must hold
 * up on whatever the loader accepted. */
static void exercise(GvModel *m)
{
    GvScene sc = { { m, NULL }, 1 };
    GvView v;
    GvCmdList cmds;
    char buf[512];
    gv_cmds_init(&cmds);
    gv_view_init(&v, &sc, 320, 240, 1);
    for (int i = 0; i < 3; i++) {
        v.mouse_in = true;
        v.mouse_x = 100 + 40 * i, v.mouse_y = 60 + 30 * i;
        gv_layout(&sc, &v, NULL, &cmds);
        gv_caption(m, v.t0 + (v.t1 - v.t0) / 2, buf, sizeof buf);
        gv_view_zoom(&v, &sc, v.t0 + (v.t1 - v.t0) / 2, 0.02);
        v.playhead = v.t0 + (v.t1 - v.t0) / 2;
    }
    gv_cmds_fini(&cmds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
    if (!f)
        return 0;
    GvModel *m = NULL;
    char err[512] = "";
    int rc = gv_model_read(f, "fuzz.jsonl", NULL, NULL, &m, err, sizeof err);
    fclose(f);
    if (rc < 0 && strncmp(err, "fuzz.jsonl", 10) != 0) {
        fprintf(stderr, "a refusal that does not name the file: %s\n", err);
        abort();
    }
    if (m)
        exercise(m);
    gv_model_free(m);
    return 0;
}
