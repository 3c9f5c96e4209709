/*
 * interp.h -- the interpreter, its threads, code objects, functions and
 * frames.
 *
 * One GsInterp per run holds what all guest threads share (modules, the
 * interned strings, the collector, the options).  One GsThread per guest
 * thread holds what is private to it (its frames, its current exception).
 * Nothing here is global: every function is handed the GsThread it runs
 * on, and finds the interpreter through ts->interp.
 */
#ifndef GS_INTERP_H
#define GS_INTERP_H

#include <stdatomic.h>
#include <stdio.h>

#include "threads/gil.h"
#include "objects/object.h"
#include "compiler/compiler.h"
#include "sched_rules.h"

/* ---- code objects --------------------------------------------------------- */

enum {  /* co_flags, CPython's values */
    GS_CO_OPTIMIZED = 0x1,
    GS_CO_NEWLOCALS = 0x2,
    GS_CO_VARARGS = 0x4,
    GS_CO_VARKEYWORDS = 0x8,
    GS_CO_NESTED = 0x10,
    GS_CO_GENERATOR = 0x20,    /* calling it makes a generator (genobject.c) */
    GS_CO_NOFREE = 0x40,
    GS_CO_COROUTINE = 0x80,    /* `async def`: calling it makes a coroutine (coroobject.c) */
    GS_CO_ITERABLE_COROUTINE = 0x100,   /* types.coroutine's generators (not made by gilscope) */
    GS_CO_ASYNC_GENERATOR = 0x200,      /* `async def` with `yield` (coroobject.c) */
};

typedef struct GsCode {   /* named: vm/threads/event.h refers to struct GsCode */
    GsObject ob;
    int argcount;          /* positional parameters */
    int posonlyargcount;   /* how many of them come before '/': never bound by keyword */
    int kwonlyargcount;
    int nlocals;           /* len(varnames) */
    int stacksize;         /* the most the value stack holds */
    int flags;             /* GS_CO_* */
    int firstlineno;
    GsObject *code;        /* bytes: the wordcode */
    GsObject *consts;      /* tuple */
    GsObject *names;       /* tuple of str: globals, attributes */
    GsObject *varnames;    /* tuple of str: locals, parameters first */
    GsObject *cellvars;    /* tuple of str: locals captured by inner functions */
    GsObject *freevars;    /* tuple of str: captured from outer functions */
    GsObject *filename;    /* str */
    GsObject *name;        /* str */
    GsObject *lnotab;      /* bytes: CPython 3.9's line-number table */
    int *lines;            /* line of each instruction (index = offset / 2) */
    int ninstr;
    int *cell2arg;         /* for each cellvar, the argument it shadows or -1 */
    /* A frame's layout, worked out once (eval.c): locals, cells and free
     * variables (nvars), then the value stack (nslots in all). */
    int nvars, nslots;
    /* Positional parameters only, no cells or free variables: a call with
     * exactly argcount positional arguments just copies them in. */
    bool plain_args;
    /* code, consts and names never change: their items, for the eval loop
     * to load in one step when it switches frames (eval.c LOAD_FRAME). */
    const unsigned char *instr;
    GsObject *const *const_items, *const *name_items;
    struct GsGlobalCache *global_cache;  /* LOAD_GLOBAL's, one per name (eval.c); NULL: none yet */
} GsCode;

extern GsType gs_code_type;

/* Build a code object (code.c).  Steals nothing; copies `lines`. */
GsObject *gs_code_new(GsThread *ts, int argcount, int kwonlyargcount, int nlocals,
                      int stacksize, int flags, int firstlineno, GsObject *code,
                      GsObject *consts, GsObject *names, GsObject *varnames,
                      GsObject *cellvars, GsObject *freevars, GsObject *filename,
                      GsObject *name, GsObject *lnotab, const int *lines, int ninstr);
/* The source line of the instruction at byte offset `offset`. */
int gs_code_line(GsCode *code, int offset);

/* ---- functions -------------------------------------------------------------- */

typedef struct {
    GsObject ob;
    GsObject *code;        /* GsCode */
    GsObject *globals;     /* dict */
    GsObject *builtins;    /* dict (borrowed from the interpreter) */
    GsObject *name;        /* str */
    GsObject *qualname;    /* str */
    GsObject *defaults;    /* tuple or NULL */
    GsObject *kwdefaults;  /* dict or NULL */
    GsObject *closure;     /* tuple of cells or NULL */
    GsObject *dict;        /* function attributes, NULL until set */
    GsObject *module;      /* __module__ */
    GsObject *old_codes;   /* list of the codes __code__ replaced, or NULL (code.c) */
    GsObject *annotations; /* dict (MAKE_FUNCTION's, or made when first read) or NULL */
} GsFunction;

/* Frames (eval.h): C structs on a per-thread stack, private to the eval
 * loop and the few runtime functions that walk them. */
typedef struct GsFrame GsFrame;
typedef struct GsImporting GsImporting;   /* an import under way (import.c) */

/* ---- the cycle collector's per-interpreter state (gc.c) ---------------------- */

typedef struct GsGcHead GsGcHead;
struct GsGcHead {
    GsGcHead *next, *prev;
    intptr_t gc_refs;      /* used only while collecting */
    uintptr_t finalized;   /* its finalizer has run (PEP 442: only once; finalize.c) */
};

#define GS_GC_NGENS 3
typedef struct {
    GsGcHead head;         /* list head of a circular doubly-linked list */
    int threshold;
    int count;             /* gen 0: allocations - deallocations; older: collections */
} GsGcGen;

typedef struct {
    GsGcGen gens[GS_GC_NGENS];
    GsGcHead permanent;    /* gc.freeze(): never collected (a list head, like a generation) */
    bool enabled;
    bool collecting;
    int debug;             /* gc.set_debug() flags: GS_GC_DEBUG_* (gc.c) */
    int64_t collections[GS_GC_NGENS];
    int64_t collected[GS_GC_NGENS];
    GsObject *garbage;     /* gc.garbage, a list (NULL until the gc module is made) */
    GsObject *callbacks;   /* gc.callbacks, a list (likewise) */
} GsGcState;

/* ---- options: what CPython to imitate, and the guards ------------------------- */

typedef struct {
    const char *cpython;      /* "2.7", "3.9", "3.10", "3.11", "3.12" */
    GsSchedRules sched;       /* from cpython */
    GsGilPolicyId policy;     /* from cpython unless --policy (policies.h) */
    int check_interval;       /* tick policy: 100 (sys.setcheckinterval) */
    double switch_interval;   /* interval policy: 0.005 s (sys.setswitchinterval) */
    int64_t max_instructions; /* --max-instructions, 0: no limit */
    double timeout;           /* seconds, 0: none */
    double deadlock_wait;     /* real clock: seconds all threads wait before a deadlock
                                 is declared (--deadlock-wait); 0: never */
    int recursion_limit;      /* 1000, as CPython */
    bool sim_clock;           /* --clock sim: run on the simulated machine */
    GsSimParams sim;          /* its parameters (--cores, --seed) */
} GsOptions;

/* ---- names the runtime looks up often, interned once per interpreter ---------- */
#define GS_COMMON_NAMES(X) \
    X(__init__) X(__repr__) X(__str__) X(__format__) X(__hash__) X(__bool__) \
    X(__len__) X(__getitem__) X(__setitem__) X(__delitem__) X(__contains__) \
    X(__iter__) X(__next__) X(__call__) X(__enter__) X(__exit__) X(__getattr__) \
    X(__getattribute__) X(__setattr__) X(__delattr__) X(__get__) X(__set__) X(__delete__) \
    X(__set_name__) X(__init_subclass__) X(__new__) X(__slots__) X(mro) X(__prepare__) \
    X(__instancecheck__) X(__subclasscheck__) X(__class_getitem__) X(__sizeof__) \
    X(__eq__) X(__ne__) X(__lt__) X(__le__) X(__gt__) X(__ge__) \
    X(__add__) X(__sub__) X(__mul__) X(__truediv__) X(__floordiv__) X(__mod__) \
    X(__pow__) X(__lshift__) X(__rshift__) X(__and__) X(__or__) X(__xor__) \
    X(__radd__) X(__rsub__) X(__rmul__) X(__rtruediv__) X(__rfloordiv__) X(__rmod__) \
    X(__rpow__) X(__rlshift__) X(__rrshift__) X(__rand__) X(__ror__) X(__rxor__) \
    X(__iadd__) X(__isub__) X(__imul__) X(__itruediv__) X(__ifloordiv__) X(__imod__) \
    X(__ipow__) X(__ilshift__) X(__irshift__) X(__iand__) X(__ior__) X(__ixor__) \
    X(__matmul__) X(__rmatmul__) X(__imatmul__) X(__annotations__) X(__closure__) X(cell_contents) \
    X(__neg__) X(__pos__) X(__invert__) \
    X(__name__) X(__qualname__) X(__module__) X(__doc__) X(__class__) X(__classcell__) \
    X(__dict__) X(__main__) X(__builtins__) X(__file__) X(__code__) X(__defaults__) \
    X(__self__) X(__func__) X(__bases__) X(__base__) X(__mro__) X(args) X(self) \
    X(co_varnames) X(co_consts) X(co_names) X(co_code) X(co_argcount) X(co_nlocals) \
    X(co_name) X(co_filename) X(co_firstlineno) X(co_lnotab) X(co_stacksize) \
    X(co_flags) X(co_cellvars) X(co_freevars) X(co_kwonlyargcount) X(co_posonlyargcount) X(__kwdefaults__) \
    X(msg) X(filename) X(lineno) X(offset) X(text) X(code) X(value) X(key) X(reverse) \
    X(sep) X(end) X(file) X(flush) X(start) X(default) X(__build_class__) X(__del__)

typedef enum {
#define GS_X_NAME_ENUM(n) GS_N_##n,
    GS_COMMON_NAMES(GS_X_NAME_ENUM)
#undef GS_X_NAME_ENUM
    GS_N_COUNT
} GsNameId;

/* ---- the interpreter and its threads ------------------------------------------ */

/* How deep C code may recurse into nested containers (repr of a list in
 * a list in a list ..., ==, hash) before raising RecursionError instead
 * of running off the C stack. */
#define GS_C_DEPTH_MAX 2000

struct GsInterp {
    GsOptions opt;
    GsObject *builtins;       /* dict */
    GsObject *modules;        /* dict: name -> module */
    GsObject *interned;       /* dict: str -> the same str */
    GsObject *main_module;
    GsObject *argv;           /* list of str */
    GsObject *path;           /* sys.path as it starts (a list of str) */
    GsImporting *importing;   /* the imports under way (import.c), under the GIL */
    GsGcState gc;
    uint32_t next_serial;     /* next object serial number */
    /* Set by another thread (watchdog, signal handler, GIL) to make every
     * running thread leave the fast path at its next check: a bit per
     * reason (breaker.h).  The eval loop reads it with a relaxed load at
     * the checks of the CPython being imitated. */
    GsBreaker eval_breaker;
    atomic_int stop_reason;   /* GS_STOP_*: which stop GS_BREAK_STOP is for */
    FILE *out;                /* where print() writes (stdout) */
    GsObject *source_lines;   /* dict filename -> list of lines, for tracebacks */
    GsObject *warnings_shown; /* dict "file:line:text" -> None: warnings printed once
                                 (coroobject.c's "never awaited"); NULL until one is */
    GsObject *names[GS_N_COUNT];  /* interned common names, GS_N_* */
    GsObject *empty_tuple;
    GsObject *empty_frozenset;    /* what frozenset() gives, made on first use (3.9) */
    /* Recycled memory for ints and floats, the objects arithmetic makes and
     * drops by the million (CPython keeps such free lists too).  Linked
     * through the object's `type` field; protected by the GIL. */
    GsObject *free_numbers;
    int nfree_numbers;
    /* sys.set_int_max_str_digits(): the most decimal digits str(int) and
     * int(str) handle (0: no limit), CPython 3.9.14's guard against
     * quadratic-time conversions of huge numbers. */
    int64_t int_max_str_digits;
    GsPlatform *platform;     /* the clock and the OS primitives (real or simulated) */
    GsGil *gil;               /* the global interpreter lock */
    int next_tid;             /* the last guest thread id handed out */
    int64_t total_checks;     /* checks passed by all threads (under the GIL; 2.7: ticks) */
    const char *end_reason;   /* how the main program ended: "exit", "exception", "interrupt" */
    int out_errno;            /* why the last flush of the output failed (0: it did not) */
    atomic_int os_threads;    /* guest OS threads not yet completely finished */
    bool tearing_down;        /* gs_interp_free: no guest code runs (generators are not closed) */
    bool abandoned_threads;   /* some were stuck in a system call at the end (threads.c) */
    /* Tracing: categories to record (GS_CAT_*), and where events go. */
    unsigned trace_mask;
    /* The sink stamps the event's time itself (ev->t is 0 on the way in):
     * the tracer must order its own bookkeeping before reading the clock. */
    void (*trace_sink)(void *ctx, GsThread *ts, const GsEvent *ev);
    /* Called when a thread lets go of the GIL, traced or not: from then on
     * it records nothing until it wakes up (the tracer's writer uses this
     * to know which threads cannot hold back the merge). */
    void (*trace_park)(void *ctx, GsThread *ts);
    void *trace_ctx;
    uint64_t trace_t0;        /* platform time the trace's t counts from */
    /* The tracer's hook for reference-count changes (NULL: not tracing). */
    void (*on_ref)(GsThread *ts, GsObject *o, int delta);
    struct GsWaits *waits;    /* the guest waits under way (deadlock.c) */
};

/* An interned common name, borrowed: GS_NAME(ts, __init__). */
#define GS_NAME(ts, n) ((ts)->interp->names[GS_N_##n])

/* Why a run is being stopped from outside the guest program.  Such a stop
 * unwinds every frame without running `except` or `finally` blocks, so
 * that a guest cannot catch it. */
enum { GS_STOP_NONE, GS_STOP_TIMEOUT, GS_STOP_MAX_INSTRUCTIONS, GS_STOP_INTERRUPT, GS_STOP_SIGNAL,
       GS_STOP_FINALIZE /* the main thread ended: daemon threads stop */,
       GS_STOP_DEADLOCK /* no thread can ever run again (deadlock.c) */ };

/* Frame size classes kept per thread (eval.c): 8 slots each, up to 128. */
#define GS_FRAME_POOL_CLASSES 16

struct GsThread {
    GsInterp *interp;
    GsFrame *frame;           /* innermost running frame */
    int depth;                /* Python call depth, for RecursionError */
    GsObject *curexc;         /* the exception being raised, or NULL */
    GsObject *handled;        /* the exception being handled (sys.exc_info) */
    int64_t instr_left;       /* instructions before --max-instructions stops the run (eval.c) */
    int64_t fuel;             /* the real clock's fuel for the fetch trap (eval.c) */
    int tid;                  /* 0 = main thread, then 1, 2, ... in start order */
    char *name;               /* "MainThread", "Thread-1", ... (owned; NULL: main) */
    GsGilThread gil;          /* what the GIL knows of it: holds it?, since, checks */
    void *trace_buf;          /* the tracer's buffer for this thread (tracer/) */
    GsSimClock *clock;        /* its simulated clock (--clock sim), NULL on the real one */
    GsObject *repr_active[GS_C_DEPTH_MAX]; /* containers being repr'd (gs_repr_enter) */
    int nrepr_active;
    int c_depth;              /* C-level recursion: repr, compare, hash (GS_C_DEPTH_MAX) */
    /* The C stack this thread runs on, when known: deep recursion raises
     * RecursionError before it would run off the end (gs_thread_set_stack). */
    uintptr_t stack_base;     /* address near the top of the stack (it grows down) */
    size_t stack_usable;      /* bytes that may be used below stack_base; 0: unknown */
    int dealloc_depth;        /* nested deallocations (the "trashcan", object.c) */
    GsObject *trash;          /* containers whose deallocation was deferred */
    /* Frames of finished calls kept for the next calls (eval.c), by size
     * class: a call then costs no malloc and no free. */
    GsFrame *frame_pool[GS_FRAME_POOL_CLASSES];
    unsigned char frame_pool_len[GS_FRAME_POOL_CLASSES];
    GsImporting *import_waits_for;   /* another thread's import it waits for (import.c) */
};

int gs_enter_recursive_call(GsThread *ts, const char *where);  /* -1: RecursionError */
/* Tell ts the stack it runs on: call at the top of the thread's function
 * with the stack's size.  A safety margin is kept for C code that does
 * not check (printing, libc). */
void gs_thread_set_stack(GsThread *ts, size_t stack_size);
/* Does the C stack have room for another level of recursion? */
/* (The frame's address, not a local's: ASan's use-after-return mode moves
 * locals to a "fake stack" on the heap.) */
static inline bool gs_stack_ok(GsThread *ts)
{
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    return !ts->stack_usable || ts->stack_base - here < ts->stack_usable;
}
static inline void gs_leave_recursive_call(GsThread *ts) { ts->c_depth--; }

/* Around a blocking call, CPython's Py_BEGIN_ALLOW_THREADS and
 * Py_END_ALLOW_THREADS: let other threads run while this one waits. */
static inline void gs_begin_allow_threads(GsThread *ts, GsReleaseReason why)
{
    gs_gil_release_for(ts->interp->gil, &ts->gil, why);
}

static inline void gs_end_allow_threads(GsThread *ts)
{
    gs_gil_reacquire(ts->interp->gil, &ts->gil);
}

/* ---- guest waits, and deadlocks (deadlock.c) ---------------------------------- */

/* What a thread blocked in a guest wait waits for. */
typedef enum { GS_WAIT_LOCK, GS_WAIT_EVENT, GS_WAIT_JOIN } GsWaitKind;

/* A wait under way, on the waiter's stack, listed in the interpreter
 * between gs_wait_begin and gs_wait_end (both called holding the GIL). */
typedef struct GsWaitRecord {
    GsWaitKind kind;
    int64_t obj;              /* the lock's or event's id(); JOIN: the thread's tid */
    int holder;               /* JOIN: the thread's tid; else -1 */
    /* LOCK: where the lock keeps the tid that took it last, and the line
     * where it did; read when a deadlock is declared (all waits are then
     * still, so they are what they were when the last one began). */
    const int *holder_at;
    const int64_t *holder_line_at;
    bool forever;             /* no timeout: only another thread can end it */
    bool (*over)(void *arg);  /* has what it waits for happened? (any thread may ask) */
    void *arg;
    /* filled in by gs_wait_begin */
    GsThread *ts;
    int64_t line;             /* where the program waits */
    struct GsWaitRecord *next;
} GsWaitRecord;

int gs_waits_init(GsInterp *in);   /* -1: out of memory */
void gs_waits_free(GsInterp *in);
void gs_wait_begin(GsThread *ts, GsWaitRecord *w);
void gs_wait_end(GsThread *ts, GsWaitRecord *w);   /* also records ts's part in a deadlock */
/* Real clock: called at each poll of an untimed wait (without the GIL);
 * declares the deadlock once every thread has waited --deadlock-wait s. */
void gs_wait_poll(GsThread *ts, GsWaitRecord *w);
/* The explanation of the deadlock that stopped the run, or NULL. */
const char *gs_deadlock_report(GsInterp *in);
/* The line the program is at in ts: its innermost frame of its own code. */
int64_t gs_program_line(GsThread *ts);

/* Lifecycle. */
GsInterp *gs_interp_new(const GsOptions *opt);
void gs_interp_free(GsInterp *interp);
void gs_thread_init(GsThread *ts, GsInterp *interp, int tid);
/* What a thread keeps for itself (its pool of frames): free it when the
 * thread is done. */
void gs_thread_fini(GsThread *ts);
void gs_options_default(GsOptions *opt);
int gs_options_set_cpython(GsOptions *opt, const char *version); /* -1: unknown */

/* Running code (the eval loop's entry points are in eval.h). */
GsObject *gs_function_call(GsThread *ts, GsObject *func, GsObject *const *args, size_t nargs,
                           GsObject *kwnames);
GsObject *gs_function_new(GsThread *ts, GsObject *code, GsObject *globals,
                          GsObject *qualname);

/* The globals of the innermost running frame, borrowed; NULL when no
 * frame runs (eval.c).  type() reads __module__ from them. */
GsObject *gs_current_globals(GsThread *ts);

/* Keep a file's lines for tracebacks. */
int gs_remember_source(GsThread *ts, const char *path, const char *source);

/* Run a whole program file as __main__.  Returns the process exit status
 * (0, 1 after an uncaught exception, or sys.exit's). */
int gs_run_file(GsThread *ts, const char *path, const char *source);
/* `gilscope run -m NAME`, as `python -m NAME`: the module (a package's
 * __main__) found on sys.path, whose first entry is the current
 * directory, run as __main__; sys.argv[0] becomes its file. */
int gs_run_module(GsThread *ts, const char *name);

/* Record that exc passed through a frame (errors.c). */
int gs_traceback_add(GsThread *ts, GsObject *exc, GsObject *filename, int line, GsObject *name);
/* Attribute access shared by instances of guest classes (object.c). */
GsObject *gs_generic_getattr(GsThread *ts, GsObject *o, GsObject *name);
int gs_generic_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v);

/* Uncaught exceptions: print a CPython-style traceback to stderr. */
void gs_print_exception(GsThread *ts, GsObject *exc);
/* Line `line` of a program file as a traceback shows it (stripped), after
 * `indent`; nothing if the file's source is not known. */
void gs_print_source_line(GsThread *ts, FILE *err, GsObject *filename, int line,
                          const char *indent);
/* At exit, in the main thread with the GIL once the others have ended:
 * clear __main__'s names, as CPython's finalization does, so that what
 * they held is finalized while guest code can still run (a suspended
 * generator's `finally` blocks). */
void gs_finalize_main(GsThread *ts);

/* Modules (modules.c). */
int gs_builtins_init(GsThread *ts);
/* eval(), exec() and compile() (evalexec.c), listed in builtins.c. */
GsObject *gs_builtin_eval(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames);
GsObject *gs_builtin_exec(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames);
GsObject *gs_builtin_compile(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames);
GsObject *gs_module_from_defs(GsThread *ts, const char *name, const GsMethodDef *functions);
/* Threads (threads.c). */
GsObject *gs_thread_module_new(GsThread *ts);
extern GsType *const gs_thread_types[];   /* NULL-terminated */
/* sys.stdout and sys.stderr (modules.c).  gs_sys_stream: sys.<name>
 * (borrowed; NULL before sys is imported -- then they are the defaults);
 * gs_std_stream_file: the FILE behind one of the two stream objects, NULL
 * for any other object; gs_stderr_file: where an uncaught exception is
 * reported, NULL when the program set sys.stderr to None. */
extern GsType *const gs_std_stream_type;
GsObject *gs_sys_stream(GsThread *ts, const char *name);
FILE *gs_std_stream_file(GsThread *ts, GsObject *o);
FILE *gs_stderr_file(GsThread *ts);
/* After a write to out: -1 with OSError (BrokenPipeError) set if it failed. */
int gs_output_error(GsThread *ts, FILE *out);
/* Files (fileio.c): the type and the open() builtin. */
extern GsType *const gs_file_type;
extern const GsMethodDef gs_open_def;
/* Run the program's main thread under the GIL: gs_run_file does it. */
void gs_main_thread_enter(GsThread *ts);
void gs_main_thread_exit(GsThread *ts);
/* Imports (import.c).  gs_import_name is IMPORT_NAME (level an int,
 * fromlist a tuple or None), gs_import_from IMPORT_FROM, gs_import_star
 * IMPORT_STAR.  gs_import_init_path makes sys.path: `first`, then
 * PYTHONPATH's entries, then "<gilscope>", gilscope's own library. */
GsObject *gs_import_name(GsThread *ts, GsObject *name, GsObject *globals, GsObject *fromlist,
                         GsObject *level);
GsObject *gs_import_from(GsThread *ts, GsObject *module, GsObject *name);
int gs_import_star(GsThread *ts, GsObject *module, GsObject *locals);
int gs_import_init_path(GsThread *ts, const char *first);
/* For gs_run_module: the file of module `name` (malloc'd), its parent
 * packages imported, and *package its __package__.  NULL with an
 * exception set; *missing when it is simply not there. */
char *gs_import_find_main(GsThread *ts, const char *name, GsObject **package, bool *missing);
/* A source file's bytes (malloc'd, NUL-terminated); NULL with OSError. */
char *gs_import_read_source(GsThread *ts, const char *path);

/* The cycle collector (gc.c). */
void gs_gc_init(GsGcState *gc);
void gs_gc_track(GsThread *ts, GsObject *o);          /* called by gs_alloc */
void gs_gc_untrack(GsThread *ts, GsObject *o);        /* called by gs_dealloc */
/* Tracking that changes while the object lives (dicts, CPython's rules):
 * neither changes gc.get_count(), which counts allocations. */
void gs_gc_untrack_alive(GsThread *ts, GsObject *o);
void gs_gc_track_again(GsThread *ts, GsObject *o);
bool gs_gc_is_tracked(GsObject *o);
bool gs_gc_may_be_tracked(GsObject *o);   /* could o be part of a cycle? */
bool gs_dict_holds_tracked(GsObject *d);  /* dict.c */
int64_t gs_gc_collect(GsThread *ts, int generation);  /* unreachable objects found */
void gs_gc_maybe_collect(GsThread *ts);               /* after an allocation */
GsObject *gs_gc_module_new(GsThread *ts);             /* `import gc` */
extern const GsMethodDef gs_gc_module_functions[];    /* its functions, NULL-ended */
void gs_gc_fini(GsThread *ts);                        /* drop gc.garbage and gc.callbacks */
/* Finalizers (finalize.c): `__del__` and the like, PEP 442's rules. */
bool gs_has_finalizer(GsThread *ts, GsObject *o);
void gs_call_finalizer(GsThread *ts, GsObject *o);    /* at most once per object */
bool gs_finalize_from_dealloc(GsThread *ts, GsObject *o);   /* true: o was resurrected */
void gs_write_unraisable(GsThread *ts, GsObject *where);    /* "Exception ignored in: ..." */
/* threading.py's source, compiled into the binary (runtime/lib/, embed.py). */
extern const char gs_lib_threading[];
static inline GsGcHead *gs_gc_head(GsObject *o) { return (GsGcHead *)o - 1; }
static inline GsObject *gs_gc_object(GsGcHead *g) { return (GsObject *)(g + 1); }

/* Hand a filled-in event to the tracer, which stamps its time.  Called
 * only by the emit functions below; inline, since with --trace op it runs
 * once per instruction. */
static inline void gs_trace_emit(GsThread *ts, const GsEvent *ev)
{
    GsInterp *in = ts->interp;
    if (in->trace_sink)
        in->trace_sink(in->trace_ctx, ts, ev);
}

/*
 * The emit functions, one per kind of event, generated from event.h's
 * table: gs_ev_gil_release(ts, why, held), gs_ev_thread_end(ts), ...
 * Each records its event if its category is being traced (tracer/ decides
 * the rest), so it is cheap when tracing is off: one load and one branch.
 * Each field of the table becomes a parameter and a store into its slot.
 */
#define GS_X_PARAM_FIELD(name, type, slot, format) , type name
#define GS_X_PARAM_NOFIELD
#define GS_X_STORE_FIELD(name, type, slot, format) ev.slot = name;
#define GS_X_STORE_NOFIELD
#define GS_X_EMITTER(event, category, f1, f2, f3, f4) \
    static inline void gs_ev_##event(GsThread *ts GS_X_PARAM_##f1 GS_X_PARAM_##f2 \
                                    GS_X_PARAM_##f3 GS_X_PARAM_##f4) \
    { \
        if (ts->interp->trace_mask & (category)) { \
            GsEvent ev = { .kind = GS_EV_##event }; \
            GS_X_STORE_##f1 GS_X_STORE_##f2 GS_X_STORE_##f3 GS_X_STORE_##f4 \
            gs_trace_emit(ts, &ev); \
        } \
    }
GS_EVENTS(GS_X_EMITTER)
#undef GS_X_EMITTER
#undef GS_X_PARAM_FIELD
#undef GS_X_PARAM_NOFIELD
#undef GS_X_STORE_FIELD
#undef GS_X_STORE_NOFIELD

#endif
