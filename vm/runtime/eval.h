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
    int call_pops;         /* while a frame entered inline above it runs: how
                              many stack items its call instruction drops
                              when that frame returns (eval.c) */
    GsObject *localsplus[];/* locals, then cells and free vars, then the stack */
};

/* Run a module's or class body's code with these globals and locals. */
GsObject *gs_eval_code(GsThread *ts, GsCode *code, GsObject *globals, GsObject *locals);

/* Call func(*args, **kwargs) with args a tuple, kwargs a dict or NULL. */
GsObject *gs_call_with_dict(GsThread *ts, GsObject *func, GsObject *args, GsObject *kwargs);

#endif
