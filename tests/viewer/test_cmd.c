/*
 * test_cmd.c -- `gilscope view` (viewer/cmd_view.c): exit statuses and
 * messages for good and bad command lines and traces, run in-process with
 * stdout and stderr captured.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include <SDL_image.h>

#include "viewer.h"
#include "viewer_test.h"

static char out_text[8192], err_text[8192];

/* Read what fd `saved` replaced, and put the original back. */
static void restore(int fd, int saved, FILE *tmp, char *buf, size_t len)
{
    fflush(fd == 1 ? stdout : stderr);
    dup2(saved, fd);
    close(saved);
    rewind(tmp);
    size_t n = fread(buf, 1, len - 1, tmp);
    buf[n] = '\0';
    fclose(tmp);
}

/* Run gv_cmd_view on a NULL-terminated argument list. */
static int run(const char *first, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    FILE *o = tmpfile(), *e = tmpfile();
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(fileno(o), 1);
    dup2(fileno(e), 2);
    int rc = gv_cmd_view(argc, argv);
    restore(1, so, o, out_text, sizeof out_text);
    restore(2, se, e, err_text, sizeof err_text);
    return rc;
}

static void expect(int rc, int want, const char *text, const char *part, const char *what)
{
    CHECK(rc == want && strstr(text, part) != NULL, "%s: exit %d, says \"%s\"", what, want, part);
    if (rc != want || !strstr(text, part))
        printf("#   exit %d, said: %s\n", rc, text);
}

static void test_usage(void)
{
    expect(run("view", "--help", NULL), 0, out_text, "usage: gilscope view TRACE [TRACE2]", "--help");
    expect(run("view", NULL), 2, err_text, "which trace?", "no trace");
    expect(run("view", "a", "b", "c", NULL), 2, err_text, "at most two traces", "three traces");
    expect(run("view", "t.jsonl", "--png", NULL), 2, err_text, "--png needs a value", "--png alone");
    expect(run("view", "--size", "10x10", "t.jsonl", NULL), 2, err_text, "--size wants WxH",
           "a tiny --size");
    expect(run("view", "--size", "800", "t.jsonl", NULL), 2, err_text, "--size wants WxH",
           "--size without x");
    expect(run("view", "--range", "5ms", "t.jsonl", NULL), 2, err_text, "is not a range",
           "--range without a colon");
    expect(run("view", "--range", "50:60ms", "t.jsonl", NULL), 2, err_text, "needs a unit",
           "--range without a unit");
    expect(run("view", "--range", "2s:1s", "t.jsonl", NULL), 2, err_text, "not after the start",
           "an empty --range");
    expect(run("view", "--at", "35", "t.jsonl", NULL), 2, err_text, "--at: '35' needs a unit",
           "--at without a unit");
    expect(run("view", "--bogus", "t.jsonl", NULL), 2, err_text, "unknown option '--bogus'",
           "an unknown option");
    expect(run("view", "--objects", "a,b", "t.jsonl", NULL), 2, err_text, "--objects wants",
           "--objects not numbers");
    expect(run("view", "--objects", "1,2,3,4,5", "t.jsonl", NULL), 2, err_text, "at most 4",
           "too many --objects");
    expect(run("view", "--lane-height", "7", "t.jsonl", NULL), 2, err_text,
           "--lane-height wants a height in pixels, 8 to 200", "a --lane-height too small");
    expect(run("view", "--lane-height", "20px", "t.jsonl", NULL), 2, err_text,
           "--lane-height wants", "a --lane-height with a unit");
    CHECK(strstr(err_text, "(see gilscope view --help)") != NULL, "usage errors point to --help");
}

static void test_traces(void)
{
    char png[] = "/tmp/gv-cmd-XXXXXX.png", bad[] = "/tmp/gv-bad-XXXXXX.jsonl";
    int fd = mkstemps(png, 4);
    close(fd);
    fd = mkstemps(bad, 6);
    const char *text = META "{\"ev\":\"gil_acquire\",\"t\":1,\"tid\":0,\"wait\":0}\n"
                       "{\"ev\":\"gil_release\",\"t\":\"soon\",\"tid\":0,\"why\":\"io\",\"held\":1}\n";
    if (write(fd, text, strlen(text)) < 0)
        printf("# write failed\n");
    close(fd);
    const char *states = vfixture("states.jsonl");
    char states_path[4096];
    snprintf(states_path, sizeof states_path, "%s", states);

    expect(run("view", "--png", png, "/nonexistent/x.jsonl", NULL), 1, err_text,
           "gilscope view: /nonexistent/x.jsonl: No such file or directory", "a missing trace");
    char want[512];
    snprintf(want, sizeof want, "%s:3: expected an integer \"t\", got a string", bad);
    expect(run("view", "--png", png, bad, NULL), 1, err_text, want, "a malformed trace names its line");
    expect(run("view", "--png", png, tfixture("cut_noend.jsonl"), NULL), 0, err_text,
           "warning: ", "a cut-off trace loads with a warning");
    expect(run("view", "--png", png, "--size", "640x400", "--range", "0:50us", "--present",
               "--at", "35us", states_path, NULL), 0, err_text, "",
           "--png with --size, --range, --at and --present");
    SDL_Surface *s = IMG_Load(png);
    CHECK(s && s->w == 640 && s->h == 400, "the PNG is 640x400");
    SDL_FreeSurface(s);
    expect(run("view", "--png", png, "--lane-height", "30", states_path, NULL), 0, err_text, "",
           "--png with --lane-height");
    expect(run("view", "--png=" "/tmp/gv-cmd-eq.png", "--size=700x500", "--objects=7", states_path,
               tfixture("interval_drop.jsonl"), NULL), 0, err_text, "", "two traces, --opt=value");
    unlink("/tmp/gv-cmd-eq.png");
    expect(run("view", "--png", "/nonexistent/dir/o.png", states_path, NULL), 1, err_text,
           "cannot write the PNG", "an unwritable output");
    setenv("SDL_VIDEODRIVER", "no-such-driver", 1);
    expect(run("view", states_path, NULL), 1, err_text, "cannot open a window", "no display");
    /* No driver named and no display: SDL would fall back to its invisible
     * offscreen driver, and the window would run unseen forever. */
    unsetenv("SDL_VIDEODRIVER");
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    expect(run("view", states_path, NULL), 1, err_text, "no display",
           "no display and no driver named: an error, not an invisible window");
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    unlink(png);
    unlink(bad);
}

int main(int argc, char **argv)
{
    set_dirs(argc, argv);
    test_usage();
    test_traces();
    IMG_Quit();
    return tap_done();
}
