/*
 * eval.h -- the eval loop's frames and entry points (eval.c).
 *
 * Only the runtime includes this: the compiler and the objects know a
 * frame by name only (interp.h), and never call the eval loop directly.
 */
#ifndef GS_EVAL_H
#define GS_EVAL_H

#include "interp.h"

/* ---- frames ----------------------------------------------------------------
 * Frames are not guest objects here (gilscope has no sys._getframe); they
 * are C structs on a per-thread stack.  A traceback records
 * (filename, line, function) as the exception passes each frame. */

typedef struct {
    int type;              /* the SETUP_* opcode that pushed it, or EXCEPT_HANDLER */
    int handler;           /* offset to jump to */
    int level;             /* value-stack depth to unwind to */
} GsBlock;

struct GsFrame {
    GsFrame *back;
    GsCode *code;          /* borrowed from func (or the module run) */
    GsObject *func;        /* the function running, NULL for module/class code */
    GsObject *globals;     /* borrowed */
    GsObject *builtins;    /* borrowed */
    GsObject *locals;      /* dict for module and class bodies, else NULL */
    int lasti;             /* offset of the instruction running */
    int nblocks;
    GsBlock blocks[GS_MAX_BLOCKS];
    GsObject **stack;      /* the value stack: points into localsplus */
    GsObject **sp;
    int resume;            /* a generator's: the offset to go on from (0: not started) */
    bool suspended;        /* a generator's: stopped at a yield, not finished */
    int call_pops;         /* while a frame entered inline above it runs: how
                              many stack items its call instruction drops
                              when that frame returns (eval.c) */
    GsObject *localsplus[];/* locals, then cells and free vars, then the stack */
};

/* A generator's frame (genobject.c): run it from where it stopped, with
 * the value sent already pushed, or, `throwing`, with the exception set
 * raised at its yield.  Returns what it yielded (f->suspended is then
 * true) or returned, or NULL with the exception it raised. */
GsObject *gs_eval_resume(GsThread *ts, GsFrame *f, bool throwing);
/* Free a frame that will not run again (its references dropped). */
void gs_frame_release(GsThread *ts, GsFrame *f);

/* ---- generators (genobject.c) ----------------------------------------------
 * Coroutines and async generators (coroobject.c) are the same struct with
 * another type; genobject.c runs all three. */
typedef struct {
    GsObject ob;
    GsFrame *frame;        /* NULL once finished */
    GsObject *code;        /* gi_code / cr_code / ag_code */
    GsObject *name, *qualname;
    bool running;          /* gi_running: its frame is executing now */
} GsGen;

extern GsType gs_gen_type;
/* A generator running frame f of func's code (f is the generator's now):
 * a coroutine or an async generator if the code's flags say so. */
GsObject *gs_gen_new(GsThread *ts, GsFrame *f, GsObject *func);
/* Is o a generator or a coroutine (run directly by yield from and await)? */
bool gs_gen_like(GsObject *o);
/* Has its frame run (is it past its first instruction)? */
bool gs_gen_started(GsObject *gen);
/* One step, as send_ex in genobject.c: returns what it yielded (*done
 * false) or returned (*done true), or NULL; `throwing` raises the
 * exception already set at its yield. */
GsObject *gs_gen_send_ex(GsThread *ts, GsObject *gen, GsObject *arg, bool throwing, bool *done);
/* send(arg): what it yields, or NULL with StopIteration(its return value). */
GsObject *gs_gen_send(GsThread *ts, GsObject *gen, GsObject *arg);
/* Set the exception that throw(*args) raises (CPython's argument rules). */
int gs_gen_set_thrown(GsThread *ts, GsObject *const *args, size_t nargs, GsObject *kwnames);
/* Throw the exception set into gen (through its `yield from`, if any). */
GsObject *gs_gen_throw_set(GsThread *ts, GsObject *gen);
/* close(): new reference to None, or NULL. */
GsObject *gs_gen_close(GsThread *ts, GsObject *gen);
/* What its `yield from` / `await` is running now, or NULL (borrowed). */
GsObject *gs_gen_yield_from(GsObject *gen);
/* The type slots, shared with coroutines and async generators. */
int gs_gen_traverse(GsObject *o, GsVisit visit, void *arg);
void gs_gen_clear(GsThread *ts, GsObject *o);
void gs_gen_dealloc(GsThread *ts, GsObject *o);
void gs_gen_finalize(GsThread *ts, GsObject *o);   /* close() a suspended one */

/* ---- coroutines and async generators (coroobject.c) ----------------------- */
extern GsType gs_coro_type, gs_coro_wrapper_type, gs_asyncgen_type, gs_asend_type,
    gs_athrow_type, gs_asyncgen_wrapped_type;
/* GET_AWAITABLE: o itself for a coroutine, else the iterator o.__await__()
 * returns (new reference), or NULL with CPython's TypeError. */
GsObject *gs_coro_get_awaitable(GsThread *ts, GsObject *o);
/* GET_AITER and GET_ANEXT: o.__aiter__(), and the awaitable of
 * aiter.__anext__() (new references), or NULL with CPython's errors. */
GsObject *gs_coro_get_aiter(GsThread *ts, GsObject *o);
GsObject *gs_coro_get_anext(GsThread *ts, GsObject *aiter);
/* YIELD_VALUE in an async generator: the value, marked as the generator's
 * own (so that asend() tells it from what an `await` inside passes up).
 * Takes over the reference to v. */
GsObject *gs_asyncgen_wrap(GsThread *ts, GsObject *v);
/* YIELD_FROM's step: send v to receiver (a generator, or any iterator:
 * next() for None, else its send()).  Returns what it yielded (*done
 * false), or the value it finished with (*done true), or NULL. */
/* next(gen): what it yields, or NULL with StopIteration (carrying the
 * value it returned) or the exception it raised. */
GsObject *gs_gen_next(GsThread *ts, GsObject *gen);
GsObject *gs_gen_delegate(GsThread *ts, GsObject *receiver, GsObject *v, bool *done);

/* Run a module's or class body's code with these globals and locals. */
GsObject *gs_eval_code(GsThread *ts, GsCode *code, GsObject *globals, GsObject *locals);

/* Call func(*args, **kwargs) with args a tuple, kwargs a dict or NULL. */
GsObject *gs_call_with_dict(GsThread *ts, GsObject *func, GsObject *args, GsObject *kwargs);

#endif
