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

/* ---- generators (genobject.c) ---------------------------------------------- */
extern GsType gs_gen_type;
/* A generator running frame f of func's code (f is the generator's now). */
GsObject *gs_gen_new(GsThread *ts, GsFrame *f, GsObject *func);
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
