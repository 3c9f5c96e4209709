/*
 * main.c -- the `gilscope` command: parse the command line, read the
 * program, run it (or disassemble it), and turn what happened into an
 * exit status:
 *
 *   0  the program finished          1  an uncaught exception or a syntax error
 *   2  a bad command line            3  stopped by --timeout, --max-instructions, a signal
 *                                       or a deadlock
 *   n  the program called sys.exit(n)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "gs_config.h"
#include "cli_trace.h"
#include "demo.h"
#include "runtime/interp.h"
#include "recorder.h"
#include "viewer_load.h"

#define EXIT_USAGE 2
#define EXIT_STOPPED 3
#define MAX_SOURCE_BYTES (16u << 20)

static const char *const main_help =
    "usage: gilscope COMMAND [OPTIONS] ...\n"
    "\n"
    "Run small Python programs on an instrumented interpreter that imitates\n"
    "CPython: its bytecode, reference counting, cycle collector, and GIL (real\n"
    "threads under 2.7's tick-based or 3.2+'s interval-based policy), and record\n"
    "what happens as a trace.\n"
    "\n"
    "commands:\n"
    "  demo [--out DIR]        run the canned scenarios under CPython 2.7's and 3.12's\n"
    "                          GIL and show them side by side (`gilscope demo --help`)\n"
    "  run FILE.py [ARGS...]   run a program (see `gilscope run --help`)\n"
    "  dis FILE.py             print the CPython 3.9 `dis` listing of every code\n"
    "                          object in FILE.py\n"
    "  stats TRACE [--json]    per-thread GIL statistics of a trace\n"
    "  export --format chrome TRACE -o OUT.json\n"
    "                          convert a trace for Perfetto / chrome://tracing\n"
    "  view TRACE [TRACE2]     show a trace (or two, compared) as GIL timelines in a\n"
    "                          window, or --png OUT.png (see `gilscope view --help`);\n"
    "                          it loads gilscope-viewer.so from beside gilscope\n"
    "                          (or from $GILSCOPE_VIEWER, or LIBDIR/gilscope/)\n"
    "\n"
    "Installed with pip, `python -m gilscope ...` is the same command.\n"
    "\n"
    "options:\n"
    "  -h, --help              show this help and exit\n"
    "  --version               show the version and exit\n";

static const char *const run_help =
    "usage: gilscope run [OPTIONS] FILE.py [ARGS...]\n"
    "       gilscope run [OPTIONS] -m MODULE [ARGS...]\n"
    "\n"
    "Run FILE.py as __main__; ARGS become sys.argv[1:].  Its directory comes\n"
    "first on sys.path, where `import` finds the program's other modules and\n"
    "packages (then PYTHONPATH's directories, then gilscope's library).\n"
    "\n"
    "options:\n"
    "  --cpython VERSION   the CPython to imitate: 2.7, 3.9, 3.10, 3.11 or 3.12 (default\n"
    "                      3.12); picks the GIL policy and where a thread may be switched\n"
    "  --policy NAME       override the GIL policy (the policies are listed below)\n"
    "  --check-interval N  tick policy: ticks between GIL releases (default 100)\n"
    "  --switch-interval S interval policy: seconds before a waiter asks (default 0.005)\n"
    "  --clock real|sim    real: real threads on this machine's clock (the default);\n"
    "                      sim: a simulated machine, deterministic (docs/sim-model.md)\n"
    "  --cores K           with --clock sim: the simulated machine's cores (default 2)\n"
    "  --seed S            with --clock sim: the seed of its random jitter (default 1)\n"
    "  -o, --output FILE   record a trace (JSON Lines, see docs/trace-format.md)\n"
    "  --trace CATS        what to record: gil,thread,lock,io,gc,print (the default),\n"
    "                      and on request check, op, ref; or all\n"
    "  --trace-ref TYPES   with ref: only objects of these types (e.g. list,Counter)\n"
    "  --max-instructions N   stop after N executed bytecode instructions (exit\n"
    "                      status 3; --max-ticks is the old spelling)\n"
    "  --timeout SECONDS   stop after SECONDS of wall time (exit status 3)\n"
    "  --deadlock-wait S   real clock: when every thread has waited S seconds (default\n"
    "                      1) for a lock, event or thread that no thread can release,\n"
    "                      stop and explain the deadlock (exit status 3); 0: hang like\n"
    "                      CPython.  On --clock sim a deadlock is found at once.\n"
    "  -m MODULE           run MODULE (a package: its __main__) as __main__, as\n"
    "                      `python -m` does: found on sys.path, whose first entry is\n"
    "                      the current directory; sys.argv[0] is its file.  The\n"
    "                      options end here: what follows are ARGS\n"
    "  -h, --help          show this help and exit\n"
    "\n"
    "Exit status: 0 done, 1 uncaught exception or syntax error, 2 bad command line,\n"
    "3 stopped by --max-instructions, --timeout, a signal or a deadlock, N after\n"
    "sys.exit(N).\n";

/* run's help, with the GIL policies from their table (policies.h). */
static void print_run_help(void)
{
    fputs(run_help, stdout);
    printf("\nGIL policies (--policy):\n");
    for (int id = 0; id < GS_POLICY_COUNT; id++) {
        const GsPolicyInfo *p = gs_policy_info(id);
        printf("  %-10s CPython %s: %s\n", p->name, p->cpython, p->summary);
    }
}

static const char *const dis_help =
    "usage: gilscope dis FILE.py\n"
    "\n"
    "Compile FILE.py and print every code object's bytecode in CPython 3.9's\n"
    "`dis` layout (like `python3.9 -m dis FILE.py`).\n";

/* ---- reading the program ---------------------------------------------------- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "gilscope: can't open file '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "gilscope: '%s' is a directory, not a program\n", path);
        fclose(f);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len > MAX_SOURCE_BYTES) {
            fprintf(stderr, "gilscope: '%s' is larger than %u MiB; not a scenario\n", path,
                    MAX_SOURCE_BYTES >> 20);
            free(buf);
            fclose(f);
            return NULL;
        }
        if (len == cap) {
            char *nb = realloc(buf, (cap *= 2) + 1);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "gilscope: out of memory reading '%s'\n", path);
        return NULL;
    }
    buf[len] = 0;
    if (memchr(buf, 0, len)) {
        fprintf(stderr, "gilscope: '%s' contains a NUL byte; not a Python source file\n", path);
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---- the guards: --timeout and signals ------------------------------------------ */

/*
 * SIGINT and SIGTERM are caught from the moment `gilscope run` starts, not
 * from the moment the program does: a signal that came before there was an
 * interpreter to stop (while the source is read, the trace opened) is kept
 * in pending_signals, and arm_signals applies it once the interpreter and
 * the trace exist.  So an interrupted run always leaves a trace ending in
 * an `end` line that says why.  A signal that finds nothing to stop, after
 * the run or when there is none, ends the process as it would have without
 * the handler (honour_pending_signal).
 *
 * The handler may run on any thread.  It records the signal first, then
 * looks for the interpreter; arm_signals publishes the interpreter first,
 * then takes the record.  Whichever of the two exchanges the record for 0
 * acts on it, so a signal is acted on exactly once.
 */
static _Atomic(GsInterp *) signal_interp;
static atomic_int pending_signals;   /* bits: PENDING_INT, PENDING_TERM */

#define PENDING_INT 1
#define PENDING_TERM 2

static void stop_for_signals(GsInterp *in, int pending)
{
    if (pending & PENDING_TERM) {
        /* SIGTERM stops the run outright. */
        atomic_store(&in->stop_reason, GS_STOP_SIGNAL);
    } else {
        /* Ctrl-C becomes a KeyboardInterrupt the guest may catch, as in
         * CPython. */
        if (atomic_load(&in->stop_reason) == GS_STOP_INTERRUPT)
            _exit(130);   /* a second Ctrl-C while the first is pending: give up */
        /* Never downgrade a stop already under way to a catchable interrupt. */
        int none = GS_STOP_NONE;
        atomic_compare_exchange_strong(&in->stop_reason, &none, GS_STOP_INTERRUPT);
    }
    gs_breaker_set(&in->eval_breaker, GS_BREAK_STOP);
}

static void on_signal(int sig)
{
    atomic_fetch_or(&pending_signals, sig == SIGTERM ? PENDING_TERM : PENDING_INT);
    GsInterp *in = atomic_load(&signal_interp);
    if (in) {
        int pending = atomic_exchange(&pending_signals, 0);
        if (pending)
            stop_for_signals(in, pending);
    }
}

static void install_signal_handlers(void)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* From now on a signal stops in (and one that came before does, now). */
static void arm_signals(GsInterp *in)
{
    atomic_store(&signal_interp, in);
    int pending = atomic_exchange(&pending_signals, 0);
    if (pending)
        stop_for_signals(in, pending);
}

static void disarm_signals(void)
{
    atomic_store(&signal_interp, NULL);
}

/* A signal that came when there was no run to stop (before the run, or
 * after it): die of it now, as the process would have without a handler
 * (status 128 + the signal's number to a shell).  The trace, if any, is
 * complete by then. */
static void honour_pending_signal(void)
{
    /* The default actions from now on; then a signal that came before. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int pending = atomic_exchange(&pending_signals, 0);
    if (!pending)
        return;
    fflush(NULL);
    raise(pending & PENDING_TERM ? SIGTERM : SIGINT);
}

typedef struct {
    GsInterp *interp;
    double seconds;
    uv_mutex_t mutex;
    uv_cond_t cond;
    bool done;
    bool fired;
} Watchdog;

/* Sleeps until the program ends or the timeout passes; then asks every
 * thread to stop at its next safe point. */
static void watchdog_main(void *arg)
{
    Watchdog *w = arg;
    uint64_t deadline = uv_hrtime() + (uint64_t)(w->seconds * 1e9);
    uv_mutex_lock(&w->mutex);
    while (!w->done) {
        uint64_t now = uv_hrtime();
        if (now >= deadline) {
            w->fired = true;
            atomic_store(&w->interp->stop_reason, GS_STOP_TIMEOUT);
            gs_breaker_set(&w->interp->eval_breaker, GS_BREAK_STOP);
            break;
        }
        uv_cond_timedwait(&w->cond, &w->mutex, deadline - now);
    }
    uv_mutex_unlock(&w->mutex);
}

/* ---- commands ---------------------------------------------------------------------- */

static int parse_number(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v > 0) || v > 1e9) {
        fprintf(stderr, "gilscope run: %s expects a positive number, got '%s'\n", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

static void explain_stop(GsInterp *interp, const char *path)
{
    int reason = atomic_load(&interp->stop_reason);
    fflush(stdout);
    if (reason == GS_STOP_TIMEOUT)
        fprintf(stderr, "gilscope: %s: stopped by --timeout %g s; the program was still running\n",
                path, interp->opt.timeout);
    else if (reason == GS_STOP_DEADLOCK && gs_deadlock_report(interp))
        fprintf(stderr, "gilscope: %s: %s", path, gs_deadlock_report(interp));
    else if (reason == GS_STOP_MAX_INSTRUCTIONS)
        fprintf(stderr, "gilscope: %s: stopped by --max-instructions %lld: the program had executed "
                        "that many bytecode instructions\n",
                path, (long long)interp->opt.max_instructions);
    else
        fprintf(stderr, "gilscope: %s: stopped by a signal\n", path);
}

#define GUEST_STACK_SIZE ((size_t)256 << 20)

typedef struct {
    GsThread *ts;
    const char *path, *source;   /* source NULL: path is a module name (run -m) */
    int status;
    bool finished;   /* gs_run_file returned (not: the simulation froze it) */
} RunJob;

static void run_job(void *arg)
{
    RunJob *job = arg;
    gs_thread_set_stack(job->ts, GUEST_STACK_SIZE);
    job->ts->clock = gs_platform_clock(job->ts->interp->platform);
    job->status = job->source ? gs_run_file(job->ts, job->path, job->source)
                              : gs_run_module(job->ts, job->path);
    job->finished = true;
}

typedef struct {
    const char *output;       /* -o FILE, or NULL */
    unsigned mask;            /* --trace */
    const char *ref_types;    /* --trace-ref */
} TraceOptions;

static const char *stop_reason_name(GsInterp *interp)
{
    switch (atomic_load(&interp->stop_reason)) {
    case GS_STOP_TIMEOUT: return "timeout";
    case GS_STOP_MAX_INSTRUCTIONS: return "max_instructions";
    case GS_STOP_SIGNAL: return "signal";
    case GS_STOP_INTERRUPT: return "interrupt";
    case GS_STOP_DEADLOCK: return "deadlock";
    default: return interp->end_reason ? interp->end_reason : "exit";
    }
}

/* The program's sys.argv: its path, then ARGS.  -1 when out of memory. */
static int set_guest_argv(GsThread *ts, const char *path, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        GsObject *s = gs_str_from(ts, i == 0 ? path : argv[i]);
        if (!s || gs_list_append(ts, ts->interp->argv, s) < 0) {
            fprintf(stderr, "gilscope: out of memory\n");
            return -1;
        }
        gs_decref(ts, s);
    }
    return 0;
}

/* Run the guest on a thread of its own (see GUEST_STACK_SIZE), under the
 * --timeout watchdog if there is one; returns its exit status. */
/* *frozen: the program never finished -- the simulated machine stopped
 * with every thread blocked beyond waking (platform_sim.c); their stacks
 * still use the interpreter. */
static int run_guarded(GsOptions *opt, GsThread *ts, const char *path, const char *source,
                       bool *frozen)
{
    GsInterp *interp = ts->interp;
    Watchdog w = { .interp = interp, .seconds = opt->timeout };
    uv_thread_t wt;
    bool watching = opt->timeout > 0;
    if (watching) {
        uv_mutex_init(&w.mutex);
        uv_cond_init(&w.cond);
        uv_thread_create(&wt, watchdog_main, &w);
    }
    /* The program runs on a thread of its own with a large stack, so that
     * deep recursion hits RecursionError (gs_stack_ok) long before the
     * stack ends -- also in sanitizer builds, whose frames are bigger. */
    RunJob job = { ts, path, source, 0, false };
    GsPlatform *p = interp->platform;
    void *runner = p->thread_start(p, run_job, &job, GUEST_STACK_SIZE);
    if (runner) {
        p->thread_join(p, runner);
        *frozen = !job.finished;
        if (*frozen)
            job.status = EXIT_STOPPED;
    } else {
        gs_thread_set_stack(ts, 8u << 20);
        job.status = source ? gs_run_file(ts, path, source) : gs_run_module(ts, path);
    }
    if (watching) {
        uv_mutex_lock(&w.mutex);
        w.done = true;
        uv_cond_signal(&w.cond);
        uv_mutex_unlock(&w.mutex);
        uv_thread_join(&wt);
        uv_cond_destroy(&w.cond);
        uv_mutex_destroy(&w.mutex);
    }
    return job.status;
}

/* path: the program's file, or with is_module the module's name (-m). */
static int run_program(GsOptions *opt, const TraceOptions *topt, const char *path,
                       bool is_module, int argc, char **argv)
{
    /* First of all, so that no signal is lost (see on_signal). */
    install_signal_handlers();
    char *source = is_module ? NULL : read_file(path);
    GsInterp *interp = source || is_module ? gs_interp_new(opt) : NULL;
    if (!interp) {
        free(source);
        honour_pending_signal();
        return 1;
    }
    GsThread ts;
    gs_thread_init(&ts, interp, 0);
    char err[1024];
    GsRecorder *rec = NULL;
    int status = EXIT_USAGE;
    if (set_guest_argv(&ts, path, argc, argv) < 0) {
        status = 1;
        goto done;
    }
    if (topt->output && !(rec = gs_recorder_new(topt->output, topt->mask, topt->ref_types, err,
                                                sizeof err))) {
        fprintf(stderr, "gilscope run: %s\n", err);
        goto done;
    }
    if (rec) {
        char **guest_argv = argv;
        guest_argv[0] = (char *)path;
        GsRecorderMeta meta = { path, argc, guest_argv, GS_VERSION };
        gs_recorder_attach(rec, interp, &meta);
    }
    arm_signals(interp);
    bool frozen = false;
    status = run_guarded(opt, &ts, path, source, &frozen);
    /* The run is over: a signal from now on is not a stop of the run, and
     * is honoured once the trace is complete (honour_pending_signal). */
    disarm_signals();
    int stop = atomic_load(&interp->stop_reason);
    if (status == 0 && (stop == GS_STOP_SIGNAL || stop == GS_STOP_INTERRUPT))
        /* The signal came, but the program ended before its next check of
         * the eval breaker (a signal at start-up, applied by arm_signals,
         * may find a program with no check to make).  The run was still
         * asked to stop, and its status and its trace's end line say so. */
        status = EXIT_STOPPED;
    if (status == EXIT_STOPPED && stop != GS_STOP_NONE)
        explain_stop(interp, path);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        /* CPython, too, says so and exits with 120 when its last flush fails. */
        int e = interp->out_errno ? interp->out_errno : errno;
        fprintf(stderr, "gilscope: %s: could not write the program's output: %s\n", path,
                e ? strerror(e) : "write error");
        if (status == 0)
            status = 120;
        clearerr(stdout);   /* reported: main's last check need not say it again */
    }
    /* Every way a run ends comes here (the end of the program, an
     * exception, sys.exit, --timeout, --max-instructions, a signal, a
     * deadlock found by the runtime): the trace gets its end line and
     * replaces the -o file. */
    if (rec && gs_recorder_finish(rec, interp, status, stop_reason_name(interp)) < 0 &&
        status == 0)
        status = 1;
    if (interp->abandoned_threads || frozen) {
        /* Threads still blocked in the kernel (or frozen on the simulated
         * machine) use the interpreter: leave without freeing it, as
         * CPython leaves its daemon threads. */
        if (!frozen)
            fprintf(stderr, "gilscope: %s: %d thread(s) blocked in a system call were "
                            "abandoned\n", path, atomic_load(&interp->os_threads));
        fflush(NULL);
        _exit(status);
    }
done:
    disarm_signals();
    gs_thread_fini(&ts);
    gs_interp_free(interp);
    free(source);
    honour_pending_signal();
    return status;
}

/* One option of `gilscope run` with its value; -1 on a bad value. */
static int run_option(const char *a, const char *v, GsOptions *opt, TraceOptions *topt,
                      bool *policy_set)
{
    double d;
    char err[256];
    if (!strcmp(a, "--cpython")) {
        if (gs_options_set_cpython(opt, v) < 0) {
            fprintf(stderr, "gilscope run: --cpython must be one of");
            for (const GsCpythonVersion *c = gs_cpython_versions; c->version; c++)
                fprintf(stderr, "%s %s", c == gs_cpython_versions ? "" : ",", c->version);
            fprintf(stderr, "; got '%s'\n", v);
            return -1;
        }
        return 0;
    }
    if (!strcmp(a, "--policy")) {
        int id = gs_policy_find(v);
        if (id < 0) {
            fprintf(stderr, "gilscope run: --policy must be one of");
            for (int i = 0; i < GS_POLICY_COUNT; i++)
                fprintf(stderr, "%s %s", i ? "," : "", gs_policy_info(i)->name);
            fprintf(stderr, "; got '%s'\n", v);
            return -1;
        }
        opt->policy = id;
        *policy_set = true;
        return 0;
    }
    /* --max-ticks: the old spelling of --max-instructions ("tick" now
     * means only 2.7's _Py_Ticker). */
    if (!strcmp(a, "--max-ticks"))
        a = "--max-instructions";
    if (!strcmp(a, "--max-instructions") || !strcmp(a, "--check-interval")) {
        if (parse_number(a, v, &d) < 0 || d != (double)(int64_t)d ||
            (!strcmp(a, "--check-interval") && d > 1e9)) {
            fprintf(stderr, "gilscope run: %s expects a positive whole number\n", a);
            return -1;
        }
        if (!strcmp(a, "--max-instructions"))
            opt->max_instructions = (int64_t)d;
        else
            opt->check_interval = (int)d;
        return 0;
    }
    if (!strcmp(a, "--timeout") || !strcmp(a, "--switch-interval")) {
        if (parse_number(a, v, &d) < 0)
            return -1;
        if (!strcmp(a, "--timeout"))
            opt->timeout = d;
        else
            opt->switch_interval = d;
        return 0;
    }
    if (!strcmp(a, "--deadlock-wait")) {
        char *end;
        errno = 0;
        d = strtod(v, &end);
        if (!*v || *end || errno || !(d >= 0) || d > 1e6) {
            fprintf(stderr, "gilscope run: --deadlock-wait expects seconds from 0 (never) "
                            "to 1000000, got '%s'\n", v);
            return -1;
        }
        opt->deadlock_wait = d;
        return 0;
    }
    if (!strcmp(a, "--clock")) {
        if (strcmp(v, "real") && strcmp(v, "sim")) {
            fprintf(stderr, "gilscope run: --clock must be real or sim; got '%s'\n", v);
            return -1;
        }
        opt->sim_clock = !strcmp(v, "sim");
        return 0;
    }
    if (!strcmp(a, "--cores") || !strcmp(a, "--seed")) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        bool cores = !strcmp(a, "--cores");
        if (!*v || *end || errno || v[0] == '-' || (cores && (n < 1 || n > 64))) {
            fprintf(stderr, "gilscope run: %s expects %s, got '%s'\n", a,
                    cores ? "a number of cores from 1 to 64" : "a whole number from 0", v);
            return -1;
        }
        if (cores)
            opt->sim.cores = (int)n;
        else
            opt->sim.seed = n;
        return 0;
    }
    if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
        topt->output = v;
        return 0;
    }
    if (!strcmp(a, "--trace")) {
        if (gs_trace_categories(v, &topt->mask, err, sizeof err) < 0) {
            fprintf(stderr, "gilscope run: %s\n", err);
            return -1;
        }
        return 0;
    }
    if (!strcmp(a, "--trace-ref")) {
        topt->ref_types = v;
        topt->mask |= GS_CAT_REF;
        return 0;
    }
    fprintf(stderr, "gilscope run: unknown option '%s' (see gilscope run --help)\n", a);
    return -1;
}

static int cmd_run(int argc, char **argv)
{
    GsOptions opt;
    gs_options_default(&opt);
    TraceOptions topt = { NULL, 0, NULL };
    gs_trace_categories("default", &topt.mask, (char[8]){ 0 }, 8);
    bool policy_set = false;
    const char *sim_option = NULL, *trace_option = NULL, *module = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_run_help();
            return 0;
        }
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "gilscope run: %s needs a value (see gilscope run --help)\n", a);
            return EXIT_USAGE;
        }
        if (!strcmp(a, "-m")) {   /* as python's -m, it ends the options */
            module = argv[++i];
            break;
        }
        if (!strcmp(a, "--cores") || !strcmp(a, "--seed"))
            sim_option = a;
        if (!strcmp(a, "--trace") || !strcmp(a, "--trace-ref"))
            trace_option = a;
        GsGilPolicyId keep = opt.policy;
        if (run_option(a, argv[i + 1], &opt, &topt, &policy_set) < 0)
            return EXIT_USAGE;
        if (!strcmp(a, "--cpython") && policy_set)
            opt.policy = keep;   /* --policy wins over --cpython, whatever the order */
        i++;
    }
    if (trace_option && !topt.output) {
        fprintf(stderr, "gilscope run: %s chooses what a trace records; add -o FILE\n",
                trace_option);
        return EXIT_USAGE;
    }
    if (sim_option && !opt.sim_clock) {
        fprintf(stderr, "gilscope run: %s describes the simulated machine; add --clock sim\n",
                sim_option);
        return EXIT_USAGE;
    }
    if (module)
        return run_program(&opt, &topt, module, true, argc - i, argv + i);
    if (i >= argc) {
        fprintf(stderr, "gilscope run: no program given (usage: gilscope run [OPTIONS] FILE.py)\n");
        return EXIT_USAGE;
    }
    return run_program(&opt, &topt, argv[i], false, argc - i, argv + i);
}

static int cmd_dis(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(dis_help, stdout);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "gilscope dis: expects exactly one file (usage: gilscope dis FILE.py)\n");
        return EXIT_USAGE;
    }
    char *source = read_file(argv[1]);
    if (!source)
        return 1;
    GsOptions opt;
    gs_options_default(&opt);
    GsInterp *interp = gs_interp_new(&opt);
    if (!interp) {
        free(source);
        return 1;
    }
    GsThread ts;
    gs_thread_init(&ts, interp, 0);
    int status = 0;
    char *text = gs_source_decode(&ts, source);
    GsObject *code = text ? gs_compile(&ts, text, argv[1]) : NULL;
    free(text);
    if (code) {
        GsBuf b;
        gs_buf_init(&b);
        errno = 0;
        if (gs_dis_code(&ts, &b, (GsCode *)code, true) == 0 &&
            (fwrite(b.data ? b.data : "", 1, b.len, stdout) != b.len || fflush(stdout) != 0)) {
            fprintf(stderr, "gilscope dis: could not write the listing: %s\n",
                    errno ? strerror(errno) : "a write failed");
            clearerr(stdout);   /* said: main's last check need not repeat it */
            status = 1;
        }
        gs_buf_free(&b);
        gs_decref(&ts, code);
    }
    if (gs_err_occurred(&ts)) {
        GsObject *exc = gs_err_fetch(&ts);
        gs_print_exception(&ts, exc);
        gs_decref(&ts, exc);
        status = 1;
    }
    fflush(stdout);
    gs_thread_fini(&ts);
    gs_interp_free(interp);
    free(source);
    return status;
}

#if defined(__SANITIZE_ADDRESS__)
/* In the AddressSanitizer build, a huge allocation ('a' * 10**12) must be
 * the guest's MemoryError, as in the normal build, not ASan's abort. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

/* The command's standard output (help, listings, statistics) was written
 * in full, or the status says it was not.  A command that found a failure
 * itself and said so clears the stream's error flag. */
static int check_stdout(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gilscope: could not write to standard output: %s\n",
                errno ? strerror(errno) : "a write failed");
        return status ? status : 1;
    }
    return status;
}

static int run_command(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_help, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(main_help, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("gilscope %s\n", GS_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "dis"))
        return cmd_dis(argc - 1, argv + 1);
    if (!strcmp(cmd, "demo"))
        return gs_cmd_demo(argc - 1, argv + 1);
    if (!strcmp(cmd, "stats"))
        return gs_cmd_stats(argc - 1, argv + 1);
    if (!strcmp(cmd, "export"))
        return gs_cmd_export(argc - 1, argv + 1);
    if (!strcmp(cmd, "view")) {
        const GvApi *viewer = gs_viewer();
        return viewer ? viewer->cmd_view(argc - 1, argv + 1) : 1;
    }
    fprintf(stderr, "gilscope: unknown command '%s' (see gilscope --help)\n", cmd);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    /* Writing to a closed pipe is an error to report, not a reason to die:
     * print() raises BrokenPipeError, as in CPython. */
    signal(SIGPIPE, SIG_IGN);
    return check_stdout(run_command(argc, argv));
}
