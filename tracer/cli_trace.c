/*
 * cli_trace.c -- `gilscope stats` and `gilscope export`: options, messages
 * and exit statuses around the trace library (trace_read, stats, export).
 *
 * Options may come before or after the trace's name; "--" ends them (for a
 * trace named "-x").  Values are given as "--format chrome" or
 * "--format=chrome".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cli_trace.h"
#include "export.h"
#include "outfile.h"
#include "stats.h"
#include "trace_read.h"

#define EXIT_BAD_TRACE 1
#define EXIT_USAGE 2

static const char *const stats_help =
    "usage: gilscope stats [--json] TRACE\n"
    "\n"
    "Summarise a trace written by `gilscope run -o TRACE ...`: for every thread,\n"
    "the share of its lifetime it held the GIL, waited for it, and was blocked\n"
    "(sleep, I/O, a lock, join, Event.wait), how many times it took the GIL,\n"
    "woke up in vain (retries) and was asked to drop it, and how long it waited;\n"
    "then the totals, the number of GIL switches and the length of the run.\n"
    "docs/trace-format.md (\"What gilscope stats computes\") defines each number.\n"
    "\n"
    "options:\n"
    "  --json      print the same numbers as one JSON object\n"
    "  -h, --help  show this help and exit\n"
    "\n"
    "Exit status: 0 done, 1 the trace could not be read, 2 bad command line.\n";

static const char *const export_help =
    "usage: gilscope export [--format chrome] [--objects ID,...] TRACE -o OUT.json\n"
    "\n"
    "Convert a trace written by `gilscope run -o TRACE ...` for another viewer.\n"
    "\n"
    "  chrome   the Chrome / Perfetto Trace Event Format: open OUT.json in\n"
    "           https://ui.perfetto.dev, chrome://tracing, the DevTools\n"
    "           performance panel or speedscope.  One track per thread with\n"
    "           \"Has GIL\", \"Waiting for GIL\" and \"Blocked (...)\" slices (the\n"
    "           lock or the kind of I/O in their args), GC slices, a \"GIL\n"
    "           holder\" track, arrows where the GIL changes hands; retries,\n"
    "           drop requests, prints, thread starts and ends, lock events\n"
    "           and instructions as instants; reference counts as counters.\n"
    "           docs/trace-format.md (\"What gilscope export writes\") has it all.\n"
    "\n"
    "options:\n"
    "  --format FORMAT     the output format: chrome (the default, and the only one)\n"
    "  --objects ID,...    the objects whose reference counts to export (a trace\n"
    "                      made with --trace ref); default: the three busiest\n"
    "  -o, --output FILE   where to write (\"-\": standard output); required\n"
    "  -h, --help          show this help and exit\n"
    "\n"
    "Exit status: 0 done, 1 the trace could not be read or OUT not written,\n"
    "2 bad command line.\n";

/* ---- shared -------------------------------------------------------------------- */

/* Load the trace, printing the error or the warnings under the command's
 * name.  keep_all: keep the lock, I/O, checks and op events too. */
static GsTrace *load(const char *cmd, const char *path, bool keep_all)
{
    char err[600];
    GsTrace *tr = NULL;
    GsTraceHooks hooks = { .keep_all = keep_all };
    FILE *f = fopen(path, "rb");
    if (!f)
        snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
    if (!f || gs_trace_read_hooked(f, path, &hooks, &tr, err, sizeof err) < 0) {
        fprintf(stderr, "gilscope %s: %s\n", cmd, err);
        if (f)
            fclose(f);
        return NULL;
    }
    fclose(f);
    for (size_t i = 0; i < tr->nwarnings; i++)
        fprintf(stderr, "gilscope %s: warning: %s\n", cmd, tr->warnings[i]);
    return tr;
}

static int usage_error(const char *cmd, const char *what)
{
    fprintf(stderr, "gilscope %s: %s (see gilscope %s --help)\n", cmd, what, cmd);
    return EXIT_USAGE;
}

/* If arg is "--name VALUE" or "--name=VALUE" (or the short form), set *value
 * and return how many argv slots it used; 0 if it is another option, -1 if
 * the value is missing. */
static int option_value(const char *arg, const char *name, const char *short_name, int i,
                        int argc, char **argv, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) == 0 && arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (strcmp(arg, name) != 0 && !(short_name && strcmp(arg, short_name) == 0))
        return 0;
    if (i + 1 >= argc)
        return -1;
    *value = argv[i + 1];
    return 2;
}

/* ---- stats ------------------------------------------------------------------------ */

static int print_stats(const GsTrace *tr, bool json)
{
    GsStats st;
    errno = 0;
    if (gs_stats_compute(tr, &st) < 0) {
        fprintf(stderr, "gilscope stats: out of memory\n");
        return EXIT_BAD_TRACE;
    }
    int rc = 0;
    if (json) {
        cJSON *o = gs_stats_json(tr, &st);
        char *text = o ? cJSON_Print(o) : NULL;
        if (text)
            printf("%s\n", text);
        else
            rc = -1;
        free(text);
        cJSON_Delete(o);
    } else {
        rc = gs_stats_print(tr, &st, stdout);
    }
    gs_stats_fini(&st);
    if (rc < 0 || fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gilscope stats: could not write the statistics: %s\n",
                errno ? strerror(errno) : "out of memory");
        clearerr(stdout);   /* said: gilscope's last check of stdout need not repeat it */
        return EXIT_BAD_TRACE;
    }
    return 0;
}

int gs_cmd_stats(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false, options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && a[0] == '-' && a[1]) {
            if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                fputs(stats_help, stdout);
                return 0;
            } else if (!strcmp(a, "--json")) {
                json = true;
            } else if (!strcmp(a, "--")) {
                options_done = true;
            } else {
                char what[300];
                snprintf(what, sizeof what, "unknown option '%.200s'", a);
                return usage_error("stats", what);
            }
        } else if (path) {
            return usage_error("stats", "expects exactly one trace");
        } else {
            path = a;
        }
    }
    if (!path)
        return usage_error("stats", "no trace given");
    GsTrace *tr = load("stats", path, false);
    if (!tr)
        return EXIT_BAD_TRACE;
    int rc = print_stats(tr, json);
    gs_trace_free(tr);
    return rc;
}

/* ---- export ------------------------------------------------------------------------ */

enum { MAX_OBJECTS = 64 };

typedef struct {
    const char *trace, *output, *format, *objects_arg;
    int64_t objects[MAX_OBJECTS];
    size_t nobjects;
} ExportArgs;

/* "--objects 12,40": ids separated by commas.  0, or EXIT_USAGE after a
 * message. */
static int parse_objects(ExportArgs *args)
{
    const char *s = args->objects_arg;
    char what[300];
    args->nobjects = 0;
    while (*s) {
        char *end;
        errno = 0;
        long long id = strtoll(s, &end, 10);
        if (end == s || id < 0 || errno || (*end && *end != ',')) {
            snprintf(what, sizeof what, "--objects wants object ids separated by commas, "
                     "not '%.200s'", args->objects_arg);
            return usage_error("export", what);
        }
        if (args->nobjects == MAX_OBJECTS) {
            snprintf(what, sizeof what, "--objects: at most %d objects", MAX_OBJECTS);
            return usage_error("export", what);
        }
        args->objects[args->nobjects++] = id;
        s = *end ? end + 1 : end;
    }
    if (!args->nobjects)
        return usage_error("export", "--objects wants at least one object id");
    return 0;
}

/* One option at argv[i]; returns the argv slots used, or -1 after a message. */
static int export_option(int i, int argc, char **argv, ExportArgs *args)
{
    const char *a = argv[i];
    int used;
    if ((used = option_value(a, "--format", NULL, i, argc, argv, &args->format)) != 0 ||
        (used = option_value(a, "--objects", NULL, i, argc, argv, &args->objects_arg)) != 0 ||
        (used = option_value(a, "--output", "-o", i, argc, argv, &args->output)) != 0) {
        if (used < 0) {
            char what[300];
            snprintf(what, sizeof what, "%.200s needs a value", a);
            usage_error("export", what);
        }
        return used;
    }
    char what[300];
    snprintf(what, sizeof what, "unknown option '%.200s'", a);
    usage_error("export", what);
    return -1;
}

#define HELP_SHOWN (-1)

/* Parse the command line; returns 0, HELP_SHOWN, or EXIT_USAGE after a
 * message. */
static int parse_export_args(int argc, char **argv, ExportArgs *args)
{
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || !a[1]) {
            if (args->trace)
                return usage_error("export", "expects exactly one trace");
            args->trace = a;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(export_help, stdout);
            return HELP_SHOWN;
        } else if (!strcmp(a, "--")) {
            options_done = true;
        } else {
            int used = export_option(i, argc, argv, args);
            if (used < 0)
                return EXIT_USAGE;
            i += used - 1;
        }
    }
    if (!args->trace)
        return usage_error("export", "no trace given");
    if (!args->output)
        return usage_error("export", "no output file given: -o OUT.json, or -o - for "
                           "standard output");
    if (strcmp(args->format, "chrome") != 0) {
        char what[300];
        snprintf(what, sizeof what, "unknown format '%.200s' (known: chrome)", args->format);
        return usage_error("export", what);
    }
    return args->objects_arg ? parse_objects(args) : 0;
}

/* Writing the result over the trace it came from would lose the trace. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Write the export to path ("-": stdout).  A failed write leaves no half
 * file and deletes nothing but its own temporary file (outfile.h). */
static int write_export(const GsTrace *tr, const ExportArgs *args)
{
    const char *path = args->output;
    GsExportOptions opt = { args->objects, args->nobjects };
    GsOutFile out;
    char err[600];
    if (gs_outfile_open(&out, path, NULL, true, err, sizeof err) < 0) {
        fprintf(stderr, "gilscope export: %s\n", err);
        return EXIT_BAD_TRACE;
    }
    char why[256];
    if (gs_export_chrome(tr, &opt, out.f, why, sizeof why) < 0) {
        if (out.is_stdout)
            snprintf(err, sizeof err, "could not write to standard output: %s", why);
        else
            snprintf(err, sizeof err, "could not write '%s': %s", path, why);
        gs_outfile_abort(&out);
    } else if (gs_outfile_commit(&out, err, sizeof err) == 0) {
        return 0;
    }
    fprintf(stderr, "gilscope export: %s\n", err);
    return EXIT_BAD_TRACE;
}

int gs_cmd_export(int argc, char **argv)
{
    ExportArgs args = { .format = "chrome" };
    int rc = parse_export_args(argc, argv, &args);
    if (rc != 0)
        return rc == HELP_SHOWN ? 0 : rc;
    if (strcmp(args.output, "-") != 0 && same_file(args.trace, args.output)) {
        fprintf(stderr, "gilscope export: the output '%s' is the trace itself\n", args.output);
        return EXIT_USAGE;
    }
    GsTrace *tr = load("export", args.trace, true);
    if (!tr)
        return EXIT_BAD_TRACE;
    rc = write_export(tr, &args);
    gs_trace_free(tr);
    return rc;
}
