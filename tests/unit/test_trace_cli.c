/*
 * test_trace_cli.c -- unit tests for tracer/cli_trace.c: `gilscope stats`
 * and `gilscope export` as the command line sees them -- exit statuses
 * (0 done, 1 bad trace or unwritable output, 2 bad command line), messages
 * on stderr with the command's prefix, and what lands on stdout or in the
 * output file.
 *
 * The commands write to the real stdout and stderr, so each call runs with
 * file descriptors 1 and 2 pointed at temporary files, read back after.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli_trace.h"
#include "tap.h"
#include "trace_util.h"

typedef int (*Command)(int argc, char **argv);

static char out_text[1 << 16], err_text[1 << 14];

static void read_back(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Run cmd on a NULL-terminated argument list; its stdout and stderr end up
 * in out_text and err_text. */
static int run(Command cmd, const char *arg0, ...)
{
    char *argv[16];
    int argc = 0;
    va_list ap;
    va_start(ap, arg0);
    for (const char *a = arg0; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;

    FILE *fo = tmpfile(), *fe = tmpfile();
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    read_back(fo, out_text, sizeof out_text);
    read_back(fe, err_text, sizeof err_text);
    return rc;
}

/* The first line of s, for a TAP description (which must stay on one line). */
static const char *line1(const char *s)
{
    static char buf[300];
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(s, "\n"), s);
    return buf;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A temporary file name holding text (static buffer per slot). */
static const char *temp_file(int slot, const char *text)
{
    static char names[4][64];
    snprintf(names[slot], sizeof names[slot], "/tmp/gs_cli_test_%d_%d.jsonl", (int)getpid(),
             slot);
    FILE *f = fopen(names[slot], "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return names[slot];
}

/* ---- stats --------------------------------------------------------------------------- */

static void test_stats(void)
{
    int rc = run(gs_cmd_stats, "stats", "--help", NULL);
    TAP_INT_EQ(rc, 0, "stats --help: 0");
    TAP_OK(starts_with(out_text, "usage: gilscope stats [--json] TRACE"), "stats --help: usage");

    rc = run(gs_cmd_stats, "stats", NULL);
    TAP_INT_EQ(rc, 2, "stats without a trace: 2");
    TAP_OK(starts_with(err_text, "gilscope stats: no trace given"), "... says so: %s", line1(err_text));

    rc = run(gs_cmd_stats, "stats", "--csv", fixture("interval_drop.jsonl"), NULL);
    TAP_INT_EQ(rc, 2, "stats --csv: 2");
    TAP_OK(starts_with(err_text, "gilscope stats: unknown option '--csv'"), "... says so");

    rc = run(gs_cmd_stats, "stats", "a.jsonl", "b.jsonl", NULL);
    TAP_INT_EQ(rc, 2, "stats with two traces: 2");

    rc = run(gs_cmd_stats, "stats", "/nonexistent/t.jsonl", NULL);
    TAP_INT_EQ(rc, 1, "stats of a missing file: 1");
    TAP_OK(starts_with(err_text, "gilscope stats: /nonexistent/t.jsonl: No such file"),
           "... names the file: %s", line1(err_text));

    const char *bad = temp_file(0, META "{\"ev\":\"gil_acquire\",\"t\":\"x\"}\n");
    rc = run(gs_cmd_stats, "stats", bad, NULL);
    TAP_INT_EQ(rc, 1, "stats of a malformed trace: 1");
    TAP_OK(strstr(err_text, ":2: expected an integer \"t\", got a string\n") != NULL,
           "... with the line and the problem: %s", line1(err_text));
    unlink(bad);

    rc = run(gs_cmd_stats, "stats", fixture("interval_drop.jsonl"), NULL);
    TAP_INT_EQ(rc, 0, "stats of a good trace: 0");
    TAP_OK(strstr(out_text, "worker") && strstr(out_text, "total") && !err_text[0],
           "... prints the table, nothing on stderr");

    rc = run(gs_cmd_stats, "stats", fixture("cut_midline.jsonl"), NULL);
    TAP_INT_EQ(rc, 0, "stats of a cut-off trace: 0");
    TAP_OK(starts_with(err_text, "gilscope stats: warning: ") &&
           strstr(err_text, "no end line"), "... with warnings on stderr");

    rc = run(gs_cmd_stats, "stats", fixture("interval_drop.jsonl"), "--json", NULL);
    cJSON *doc = cJSON_Parse(out_text);
    const cJSON *sw = cJSON_GetObjectItemCaseSensitive(doc, "switches");
    TAP_OK(rc == 0 && cJSON_IsNumber(sw) && sw->valuedouble == 5,
           "stats TRACE --json: a JSON object, options after the trace too");
    cJSON_Delete(doc);

    const char *dash = temp_file(1, META END(5));
    char named[200];
    snprintf(named, sizeof named, "%s", dash);
    rc = run(gs_cmd_stats, "stats", "--", named, NULL);
    TAP_INT_EQ(rc, 0, "stats -- TRACE: 0");
    unlink(dash);
}

/* ---- export -------------------------------------------------------------------------- */

static void test_export_usage(void)
{
    const char *trace = fixture("tick_three_threads.jsonl");
    int rc = run(gs_cmd_export, "export", "-h", NULL);
    TAP_INT_EQ(rc, 0, "export -h: 0");
    TAP_OK(starts_with(out_text, "usage: gilscope export"), "export -h: usage");

    rc = run(gs_cmd_export, "export", trace, NULL);
    TAP_INT_EQ(rc, 2, "export without -o: 2");
    TAP_OK(starts_with(err_text, "gilscope export: no output file given"), "... says so");

    rc = run(gs_cmd_export, "export", "--format", "svg", trace, "-o", "/tmp/x.json", NULL);
    TAP_INT_EQ(rc, 2, "export --format svg: 2");
    TAP_OK(starts_with(err_text, "gilscope export: unknown format 'svg' (known: chrome)"),
           "... says so: %s", line1(err_text));

    rc = run(gs_cmd_export, "export", trace, "-o", NULL);
    TAP_INT_EQ(rc, 2, "export -o without a value: 2");
    TAP_OK(starts_with(err_text, "gilscope export: -o needs a value"), "... says so");

    rc = run(gs_cmd_export, "export", "-o", "/tmp/x.json", NULL);
    TAP_INT_EQ(rc, 2, "export without a trace: 2");

    rc = run(gs_cmd_export, "export", trace, "-o", trace, NULL);
    TAP_INT_EQ(rc, 2, "export over the trace itself: 2");
    TAP_OK(strstr(err_text, "is the trace itself") != NULL, "... says so");

    rc = run(gs_cmd_export, "export", "--objects", "12,x", trace, "-o", "/tmp/x.json", NULL);
    TAP_INT_EQ(rc, 2, "export --objects 12,x: 2");
    TAP_OK(starts_with(err_text, "gilscope export: --objects wants object ids separated by "
                       "commas, not '12,x'"), "... says so: %s", line1(err_text));
    rc = run(gs_cmd_export, "export", "--objects=", trace, "-o", "/tmp/x.json", NULL);
    TAP_INT_EQ(rc, 2, "export --objects= (none): 2");
    TAP_OK(starts_with(err_text, "gilscope export: --objects wants at least one object id"),
           "... says so: %s", line1(err_text));
}

static void test_export_runs(void)
{
    const char *trace = fixture("tick_three_threads.jsonl");
    char out[128];
    snprintf(out, sizeof out, "/tmp/gs_cli_test_%d.json", (int)getpid());

    int rc = run(gs_cmd_export, "export", "--format=chrome", trace, "--output", out, NULL);
    TAP_INT_EQ(rc, 0, "export --format=chrome TRACE --output OUT: 0");
    char *text = slurp(out, NULL);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    TAP_OK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "traceEvents")),
           "... OUT holds the Chrome trace");
    cJSON_Delete(doc);
    free(text);
    unlink(out);

    rc = run(gs_cmd_export, "export", "--format", "chrome", trace, "-o", "-", NULL);
    doc = cJSON_Parse(out_text);
    TAP_OK(rc == 0 && cJSON_IsObject(doc), "export -o -: the JSON on stdout");
    cJSON_Delete(doc);

    rc = run(gs_cmd_export, "export", trace, "-o", "/nonexistent/dir/out.json", NULL);
    TAP_INT_EQ(rc, 1, "export to an unwritable path: 1");
    TAP_OK(strstr(err_text, "\ngilscope export: cannot write '/nonexistent/dir/out.json': "
                  "No such file or directory\n") != NULL, "... says so, after the warning");

    const char *bad = temp_file(2, "not a trace\n");
    rc = run(gs_cmd_export, "export", bad, "-o", out, NULL);
    TAP_INT_EQ(rc, 1, "export of a bad trace: 1");
    TAP_OK(strstr(err_text, ":1: not a gilscope trace (no meta line)") != NULL,
           "... says why: %s", line1(err_text));
    TAP_OK(access(out, F_OK) != 0, "... and writes no output file");
    unlink(bad);
}

/* ---- a negative count, which view refuses, is refused by stats and export too ------ */

/* The reader checks the fields of lines it does not keep (checks, lock,
 * io, op) as it does those it keeps: one check, for every command. */
static void test_negative_checks(void)
{
    const char *v2 = temp_file(0, META "{\"ev\":\"checks\",\"t\":5,\"tid\":0,\"checks\":-3}\n"
                                      END(9));
    const char *v1 = temp_file(1, "{\"ev\":\"meta\",\"t\":0,\"format\":\"gilscope-trace\","
                                  "\"version\":1}\n"
                                  "{\"ev\":\"ticks\",\"t\":5,\"tid\":0,\"ticks\":-97}\n" END(9));
    char out[64];
    snprintf(out, sizeof out, "/tmp/gs_cli_test_%d_neg.json", (int)getpid());
    int rc = run(gs_cmd_stats, "stats", v2, NULL);
    TAP_INT_EQ(rc, 1, "stats of a checks line with a negative count: 1");
    TAP_OK(strstr(err_text, ":2: \"checks\" is negative (-3)\n") != NULL,
           "... names the line and the field: %s", line1(err_text));
    rc = run(gs_cmd_export, "export", v2, "-o", out, NULL);
    TAP_INT_EQ(rc, 1, "export of the same: 1");
    TAP_OK(strstr(err_text, ":2: \"checks\" is negative (-3)\n") != NULL,
           "... says so: %s", line1(err_text));
    TAP_OK(access(out, F_OK) != 0, "... and writes no output file");
    rc = run(gs_cmd_stats, "stats", v1, NULL);
    TAP_INT_EQ(rc, 1, "stats of a version-1 ticks line with a negative count: 1");
    TAP_OK(strstr(err_text, ":2: \"ticks\" is negative (-97)\n") != NULL,
           "... naming the field as the file does: %s", line1(err_text));
    rc = run(gs_cmd_export, "export", v1, "-o", out, NULL);
    TAP_INT_EQ(rc, 1, "export of the same: 1");
    TAP_OK(strstr(err_text, ":2: \"ticks\" is negative (-97)\n") != NULL,
           "... says so: %s", line1(err_text));
    const char *lock = temp_file(2, META "{\"ev\":\"lock_acquire\",\"t\":5,\"tid\":0,"
                                        "\"lock\":1,\"wait\":-1}\n" END(9));
    rc = run(gs_cmd_stats, "stats", lock, NULL);
    TAP_OK(rc == 1 && strstr(err_text, ":2: \"wait\" is negative (-1)\n") != NULL,
           "a lock_acquire with a negative wait, another line not kept: 1, %s",
           line1(err_text));
    unlink(v2);
    unlink(v1);
    unlink(lock);
    unlink(out);
}

int main(int argc, char **argv)
{
    set_traces_dir(argc, argv);
    test_stats();
    test_export_usage();
    test_export_runs();
    test_negative_checks();
    return tap_done();
}
