/*
 * fuzz_replay.c -- runs kept fuzz inputs through the fuzz target's
 * function (fuzz_model.c) without libFuzzer: the seeds, and every input
 * that once crashed (tests/viewer/fuzz-crashes/), as regression tests.
 * Arguments: files or directories.  Prints TAP, one line per input.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, got;
    if (!f) {
        TAP_OK(0, "%s: cannot open", path);
        return;
    }
    do {
        if (len == cap) {
            uint8_t *p = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!p)
                break;
            buf = p;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);   /* a crash fails the test */
    TAP_OK(1, "%s (%zu bytes)", path, len);
    free(buf);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    char *names[4096];
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < 4096;)
        if (e->d_name[0] != '.' && strcmp(e->d_name, "README") != 0)
            names[n++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        replay(path);
        free(names[i]);
    }
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            replay_dir(argv[i]);
        else
            replay(argv[i]);
    }
    return tap_done();
}
