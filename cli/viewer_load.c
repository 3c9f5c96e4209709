/*
 * viewer_load.c -- find and load gilscope-viewer.so.
 *
 * Where it is looked for:
 *   - $GILSCOPE_VIEWER, a path to the module, when set (and only there);
 *   - else beside the running executable: the build directory
 *     (build/gilscope and build/gilscope-viewer.so), and a pip install,
 *     which puts both in site-packages/gilscope/ (meson_options.txt,
 *     python_package);
 *   - then where `meson install` puts it, found from the executable too:
 *     BINDIR/GS_VIEWER_REL, e.g. /usr/local/bin/../lib/x86_64-linux-gnu/
 *     gilscope/.  Relative, so that a tree installed with --destdir, or
 *     copied or unpacked elsewhere, finds its own module and not one a
 *     system install left at the configured prefix;
 *   - last, that configured place itself, LIBDIR/gilscope/ (GS_VIEWER_DIR),
 *     for a gilscope copied out of its prefix by hand.  A pip install has
 *     neither of the last two: its module is always beside its binary.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs_config.h"
#include "viewer_load.h"

#define MODULE_NAME "gilscope-viewer.so"

/* The directory of the running executable, with a trailing '/'; "" if unknown. */
static void exe_dir(char *out, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", out, n - 1);
    out[len > 0 ? len : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        slash[1] = '\0';
    else
        out[0] = '\0';
}

static const GvApi *try_load(const char *path, char *why, size_t n)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(why, n, "%s", dlerror());
        return NULL;
    }
    const GvApi *api = dlsym(h, "gv_api");
    if (!api || api->abi != GV_API_ABI) {
        snprintf(why, n, "%.*s: %s", (int)(n / 2), path,
                 api ? "built for another version of gilscope" : "not a gilscope viewer module");
        dlclose(h);
        return NULL;
    }
    return api;   /* never closed: the process ends with it loaded */
}

const GvApi *gs_viewer(void)
{
    static const GvApi *api;
    if (api)
        return api;
    char paths[4][PATH_MAX + 64];
    int n = 0;
    const char *env = getenv("GILSCOPE_VIEWER");
    if (env && *env) {
        /* Asked for by name: that one or none, never another silently. */
        snprintf(paths[n++], sizeof paths[0], "%s", env);
    } else {
        char dir[PATH_MAX];
        exe_dir(dir, sizeof dir);
        if (dir[0]) {
            snprintf(paths[n++], sizeof paths[0], "%s%s", dir, MODULE_NAME);
#ifdef GS_VIEWER_REL
            snprintf(paths[n++], sizeof paths[0], "%s%s/%s", dir, GS_VIEWER_REL, MODULE_NAME);
#endif
        }
#ifdef GS_VIEWER_DIR
        snprintf(paths[n++], sizeof paths[0], "%s/%s", GS_VIEWER_DIR, MODULE_NAME);
#endif
    }
    char why[4][PATH_MAX + 256];
    for (int i = 0; i < n; i++)
        if ((api = try_load(paths[i], why[i], sizeof why[i])))
            return api;
    fprintf(stderr, "gilscope: the viewer could not be loaded; it was looked for as\n");
    for (int i = 0; i < n; i++)
        fprintf(stderr, "  %s\n", why[i]);
    fprintf(stderr, "(build it with meson, or set GILSCOPE_VIEWER to the path of %s)\n",
            MODULE_NAME);
    return NULL;
}
