/*
 * compile_internal.h -- what the compiler's passes share.
 *
 * The public face of the compiler is compiler.h (gs_compile, gs_dis_code);
 * this header is for the files of this folder only.  The opening comment
 * of compile.c describes the passes and says which file holds each.
 *
 * Every pass works on one Compiler, defined here with the structures it
 * points to.  A function that one file calls in another is declared here
 * and named gs_sym_... (the symbol table) or gs_cc_... (the rest of the
 * compiler); everything else stays `static` in its file.
 */
#ifndef GS_COMPILE_INTERNAL_H
#define GS_COMPILE_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "compiler.h"
#include "runtime/interp.h"

/* ======================================================================
 * The symbol table (symtable.c)
 * ====================================================================== */

enum {  /* flags recorded while walking a scope */
    DEF_LOCAL = 1,      /* assigned, deleted, imported, a def/class name, a loop target */
    DEF_PARAM = 2,
    DEF_GLOBAL = 4,     /* named in a `global` statement */
    DEF_NONLOCAL = 8,
    USE = 16,           /* read */
    DEF_FREE_CLASS = 32,
    DEF_COMP_ITER = 64, /* an iteration variable of a comprehension (`x` in `for x in`) */
    DEF_ANNOT = 128,    /* annotated: `x: int` */
};

/* What the analysis decides about a name (CPython's scope constants). */
typedef enum { SC_NONE, SC_LOCAL, SC_GLOBAL_EXPLICIT, SC_GLOBAL_IMPLICIT, SC_FREE, SC_CELL }
    GsScope;

typedef enum { ST_MODULE, ST_FUNCTION, ST_CLASS } GsBlockType;

typedef struct {
    const char *name;
    int flags;
    GsScope scope;
    int dir_lineno, dir_col;   /* its first `global` / `nonlocal`, for errors */
} Symbol;

typedef struct SymTab SymTab;
struct SymTab {
    GsBlockType type;
    const void *node;      /* the FunctionDef/ClassDef/Lambda/ListComp node */
    const char *name;
    SymTab *parent;
    SymTab **children;
    int nchildren, capchildren;
    Symbol *syms;
    int nsyms, capsyms;
    int *index;            /* open-addressing hash of syms by name: index + 1, 0 empty */
    int index_cap;         /* a power of two, at least twice nsyms */
    const char **params;   /* parameter names in order */
    int nparams, capparams;
    bool needs_class_closure;  /* a class whose methods use __class__ / super() */
    bool is_comprehension;
    /* While a comprehension's targets are visited (comp_iter_target) or
     * one of its iterables (comp_iter_expr, a depth): the places PEP 572
     * forbids or restricts `:=` (CPython's ste_comp_iter_*). */
    bool comp_iter_target;
    int comp_iter_expr;
    bool is_generator;     /* contains yield (or is a generator expression): CO_GENERATOR */
    bool is_coroutine;     /* `async def`, or awaits (an async comprehension): with
                              is_generator, CO_ASYNC_GENERATOR, else CO_COROUTINE */
    bool is_async_def;     /* an `async def` itself: where await, async for and
                              async with are allowed */
    const char *private_name;  /* the innermost enclosing class's name, for mangling */
};

/* ======================================================================
 * Compiler state
 * ====================================================================== */

typedef struct {
    int opcode;
    int arg;
    int target;            /* jump target label, or -1 */
    int lineno;            /* 0: same line as the instruction before */
} Instr;

/* The kinds of CPython's "frame blocks": what `break`, `continue` and
 * `return` must unwind on their way out. */
typedef enum { FB_WHILE_LOOP, FB_FOR_LOOP, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END,
               FB_WITH, FB_ASYNC_WITH, FB_HANDLER_CLEANUP, FB_POP_VALUE } FBlockType;

typedef struct {
    FBlockType type;
    int block;             /* label: loop start */
    int exit;              /* label: loop end */
    const void *datum;     /* finally body (GsNodeList *) or handler name */
} FBlock;

/* A hash index over a list being built (co_consts, co_names,
 * co_varnames): position + 1 per slot, 0 empty.  Without it, adding the
 * n-th name searched all n-1 before it, and a module with 50,000 names
 * took half a minute to compile. */
typedef struct {
    int *slots;
    int cap;    /* a power of two, at least twice the list's length */
} ListIndex;

/* A code unit: the code object being built for one scope (module, class
 * body, function, lambda, comprehension).  Units nest as the scopes do. */
typedef struct Unit Unit;
struct Unit {
    Unit *parent;
    SymTab *ste;
    GsObject *name, *qualname;
    GsObject *consts;      /* list */
    GsObject *names;       /* list of str */
    GsObject *varnames;    /* list of str */
    GsObject *cellvars;    /* list of str (sorted) */
    GsObject *freevars;    /* list of str (sorted) */
    ListIndex consts_ix, names_ix, varnames_ix;   /* indexes of the three lists above */
    Instr *code;
    int ncode, capcode;
    int *labels;           /* label -> instruction index (-1: not placed) */
    int nlabels, caplabels;
    FBlock fblocks[GS_MAX_BLOCKS];
    int nfblocks;
    int argcount, posonlyargcount, kwonlyargcount;
    int arg_flags;         /* GS_CO_VARARGS / GS_CO_VARKEYWORDS */
    int firstlineno;
    int lineno;            /* line of the statement / expression being compiled */
    bool lineno_set;       /* an instruction already carries `lineno` */
    bool block_returns;    /* the current basic block contains RETURN_VALUE */
    bool do_not_emit;      /* compiling dead code: `if 0:` bodies */
};

typedef struct {
    GsThread *ts;
    GsArena *arena;
    const char *filename;
    GsObject *filename_obj;
    SymTab *top;
    Unit *u;
    GsSyntaxError *err;
    jmp_buf fail;          /* compile errors and out-of-memory unwind to gs_compile */
    bool py_error;         /* the failure is a Python exception already set */
} Compiler;

/* ---- errors and memory (compile.c, next to the setjmp they unwind to) ---- */

/* A syntax error at (lineno, col): record it and unwind to gs_compile. */
void gs_cc_error(Compiler *c, int lineno, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));

/* A Python exception (MemoryError) escaped a runtime call. */
void gs_cc_fail(Compiler *c) __attribute__((noreturn));

/* o, or unwind if a runtime call failed (returned NULL). */
static inline GsObject *gs_cc_check(Compiler *c, GsObject *o)
{
    if (!o)
        gs_cc_fail(c);
    return o;
}

/* Grow the array p to hold at least `need` elements of `elem` bytes. */
void *gs_cc_grow(void *p, int *cap, int need, size_t elem);

/* ---- the symbol table (symtable.c) ------------------------------------------ */

/* Pass 2: build c->top, the module's table, with one child per function,
 * class, lambda and comprehension, and decide each name's scope. */
void gs_sym_build(Compiler *c, GsModuleAst *mod);
void gs_sym_free(SymTab *st);

Symbol *gs_sym_lookup(SymTab *st, const char *name);
SymTab *gs_sym_find(SymTab *st, const void *node);
GsScope gs_sym_scope(SymTab *st, const char *name);
const char *gs_sym_mangle(Compiler *c, const char *private_name, const char *name);

/* ---- constant folding (fold.c) ------------------------------------------------ */

/* Pass 1: fold the module's constant expressions in place. */
void gs_cc_fold(Compiler *c, GsModuleAst *mod);

/* Constants of tuple type are kept as E_TUPLE nodes flagged by a
 * CTX value that no other node uses; gs_cc_const_object builds them.
 * Likewise the frozenset that `x in {1, 2}` and `for x in {1, 2}` fold
 * their set display into: an E_SET flagged CTX_CONST_FROZENSET. */
#define CTX_CONST_TUPLE 99
#define CTX_CONST_FROZENSET 98

static inline bool gs_cc_is_const(GsExpr *e) { return e && e->kind == E_CONST; }

static inline bool gs_cc_is_constish(GsExpr *e)
{
    return gs_cc_is_const(e) ||
           (e && e->kind == E_TUPLE && e->v.seq.ctx == CTX_CONST_TUPLE) ||
           (e && e->kind == E_SET && e->v.seq.ctx == CTX_CONST_FROZENSET);
}

/* ---- code units (unit.c) ------------------------------------------------------ */

/* Instructions and labels: a jump names a label, placed by gs_cc_use_label. */
int gs_cc_new_label(Compiler *c);
void gs_cc_use_label(Compiler *c, int label);
void gs_cc_next_block(Compiler *c);
void gs_cc_emit(Compiler *c, int opcode);
void gs_cc_emit_i(Compiler *c, int opcode, int arg);
void gs_cc_emit_jump(Compiler *c, int opcode, int label);
void gs_cc_set_line(Compiler *c, int lineno);

/* Constants and names: indexes in co_consts, co_names, co_varnames. */
int gs_cc_add_const_obj(Compiler *c, GsObject *list, GsObject *o);
int gs_cc_add_name(Compiler *c, GsObject *list, const char *name);
int gs_cc_add_attr_name(Compiler *c, const char *attr);
int gs_cc_find_name(GsObject *list, const char *name);
/* Turn an E_CONST into a runtime object (new reference). */
GsObject *gs_cc_const_object(Compiler *c, GsExpr *e);
/* frozenset(tuple), stealing the tuple: a set display's constant. */
GsObject *gs_cc_frozen(Compiler *c, GsObject *tuple);
void gs_cc_load_const_obj(Compiler *c, GsObject *o);
void gs_cc_load_const(Compiler *c, GsExpr *e);
void gs_cc_load_none(Compiler *c);
void gs_cc_load_str_const(Compiler *c, const char *s);

/* Scopes: a new unit for each def, class, lambda and comprehension. */
void gs_cc_enter_scope(Compiler *c, SymTab *ste, const char *name, const char *qualname,
                       int firstlineno);
void gs_cc_exit_scope(Compiler *c);
char *gs_cc_make_qualname(Compiler *c, const char *name);
void gs_cc_name_op(Compiler *c, const char *name, GsCtx ctx);
/* `__debug__` may not be bound: a SyntaxError at (lineno, col) if `name`,
 * a keyword argument's name or a parameter's is __debug__. */
void gs_cc_check_store_name(Compiler *c, const char *name, int lineno, int col);
void gs_cc_check_keywords(Compiler *c, GsNodeList *kws, int lineno, int col);
void gs_cc_check_params(Compiler *c, GsArguments *a, int lineno, int col);

/* ---- code generation (codegen_expr.c, codegen_stmt.c) ------------------------ */

/* What codegen_stmt.c needs of codegen_expr.c: expressions, assignment
 * targets, conditions, calls (a class statement calls __build_class__),
 * and making a function from a compiled body. */
void gs_cc_compile_expr(Compiler *c, GsExpr *e);
void gs_cc_compile_exprs(Compiler *c, GsNodeList *l);
void gs_cc_compile_store(Compiler *c, GsExpr *e);
void gs_cc_jump_if(Compiler *c, GsExpr *e, int label, bool cond);
int gs_cc_binop_opcode(GsBinOp op, bool inplace);
void gs_cc_call_helper(Compiler *c, int pushed, GsNodeList *args, GsNodeList *kws);
int gs_cc_compile_defaults(Compiler *c, GsArguments *a);
void gs_cc_set_arg_counts(Compiler *c, GsArguments *a);
/* Emits MAKE_FUNCTION for `code`; takes over the references to code and
 * qualname (also when it unwinds with an error, so nothing leaks). */
void gs_cc_make_closure(Compiler *c, GsObject *code, int flags, GsObject *qualname);
/* Await the value on top of the stack: GET_AWAITABLE, None, YIELD_FROM. */
void gs_cc_emit_await(Compiler *c);

/* Pass 3: a module or class body into the current unit. */
void gs_cc_compile_body(Compiler *c, GsNodeList *body);

/* ---- the peephole optimizer and the assembler (peephole.c, assemble.c) ------ */

/* Does op jump?  (Until the assembler, its target is a label.) */
static inline bool gs_cc_is_jump(int op)
{
    return gs_opinfo[op].arg == GS_ARG_JREL || gs_opinfo[op].arg == GS_ARG_JABS;
}

/* The jumps that are always taken. */
static inline bool gs_cc_is_uncond(int op)
{
    return op == OP_JUMP_FORWARD || op == OP_JUMP_ABSOLUTE;
}

/* Rewrite the current unit's instructions in place (NOPs mark removals). */
void gs_cc_peephole(Compiler *c);

/* Pass 4: the current unit's instructions, optimized, into a code object
 * (a new reference); add_none ends a body that falls off its end with
 * `return None`. */
GsObject *gs_cc_assemble(Compiler *c, bool add_none);

#endif
