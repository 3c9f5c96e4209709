/*
 * compile.c -- from the syntax tree to CPython 3.9 bytecode.
 *
 * The goal is not just "bytecode that works" but the bytecode CPython 3.9
 * itself emits, so that `gilscope dis` prints what the lecture's `dis`
 * listings show.  The compiler therefore follows CPython 3.9's
 * Python/compile.c closely, in four passes:
 *
 *   1. fold constants in the tree (CPython's ast_opt.c): `-1`, `2 ** 10`,
 *      `(1, 2)`, `x in [1, 2]` become single constants;
 *   2. a symbol table pass decides for every name in every scope whether
 *      it is local (LOAD_FAST), global (LOAD_GLOBAL / LOAD_NAME), or lives
 *      in a cell shared with an inner function (LOAD_DEREF);
 *   3. code generation emits instructions with symbolic jump labels, using
 *      the same control-flow shapes as CPython 3.9 (`while` tests at the
 *      top, `for` uses GET_ITER / FOR_ITER, `try` uses SETUP_FINALLY);
 *   4. CPython 3.9's peephole optimizer (Python/peephole.c) then rewrites
 *      jumps to jumps, a jump to a return into a return, removes dead code
 *      after a return, folds BUILD_TUPLE of constants, and turns
 *      `a, b = b, a` into ROT_TWO; finally the assembler lays out the
 *      wordcode, EXTENDED_ARG prefixes, the line table and the stack depth.
 *
 * Each pass has a file of its own, as in CPython's Python/ folder, and
 * compile_internal.h holds what they share:
 *
 *   fold.c           1. constant folding
 *   symtable.c       2. the symbol table: construction, then analysis
 *   codegen_expr.c   3. code generation for expressions,
 *   codegen_stmt.c      for statements,
 *   unit.c              and the code unit it writes into: instructions,
 *                       labels, constants and names, entering and leaving
 *                       scopes, name operations
 *   peephole.c       4. the peephole optimizer,
 *   assemble.c          then the assembler
 *
 * This file runs the passes in order (gs_compile, at the bottom).  A
 * syntax error or a failed allocation in any of them longjmp()s back to
 * gs_compile, which frees what was built and raises the SyntaxError.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

/* ======================================================================
 * Giving up: errors unwind to gs_compile
 * ====================================================================== */

void gs_cc_error(Compiler *c, int lineno, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
    c->err->lineno = lineno;
    c->err->col = col + 1;
    longjmp(c->fail, 1);
}

void gs_cc_fail(Compiler *c)
{
    c->py_error = true;
    longjmp(c->fail, 1);
}

void *gs_cc_grow(void *p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return p;
    int n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, (size_t)n * elem);
    if (!q) {
        fprintf(stderr, "gilscope: out of memory in the compiler\n");
        abort();
    }
    *cap = n;
    return q;
}

/* ======================================================================
 * Entry point
 * ====================================================================== */

static GsObject *syntax_error(GsThread *ts, const GsSyntaxError *err, const char *filename,
                              const char *source)
{
    /* The offending line, for the caret display. */
    const char *p = source;
    for (int l = 1; l < err->lineno && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    GsObject *text = NULL;
    if (p) {
        const char *e = strchr(p, '\n');
        text = gs_str_new(ts, p, e ? (size_t)(e - p) + 1 : strlen(p));
    }
    GsObject *msg = gs_str_from(ts, err->msg);
    GsType *type = err->is_indentation ? &gs_exc_IndentationError : &gs_exc_SyntaxError;
    GsObject *exc = msg ? gs_exc_new(ts, type, &msg, 1) : NULL;
    if (exc) {
        GsObject *fn = gs_str_from(ts, filename), *ln = gs_int_new(ts, err->lineno),
                 *off = gs_int_new(ts, err->col);
        if (fn && ln && off) {
            gs_setattr(ts, exc, GS_NAME(ts, msg), msg);
            gs_setattr(ts, exc, GS_NAME(ts, filename), fn);
            gs_setattr(ts, exc, GS_NAME(ts, lineno), ln);
            gs_setattr(ts, exc, GS_NAME(ts, offset), off);
            gs_setattr(ts, exc, GS_NAME(ts, text), text ? text : GS_NONE);
        }
        gs_xdecref(ts, fn);
        gs_xdecref(ts, ln);
        gs_xdecref(ts, off);
        gs_err_set_obj(ts, exc);
        gs_decref(ts, exc);
    }
    gs_xdecref(ts, msg);
    gs_xdecref(ts, text);
    return NULL;
}

/* Column (0-based) of the first non-blank character after `col` on line
 * `lineno` of source, or -1: where CPython's eval-mode parser stops. */
static int next_token_col(const char *source, int lineno, int col)
{
    const char *p = source;
    for (int l = 1; l < lineno && p; l++)
        if ((p = strchr(p, '\n')))
            p++;
    if (!p || (size_t)col > strcspn(p, "\n"))
        return -1;
    for (int i = col; p[i] && p[i] != '\n'; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return i;
    return -1;
}

/* eval() takes one expression, nothing else: anything more is CPython
 * 3.9's "invalid syntax" where its expression grammar stopped -- after
 * the first expression (`x = 1`, `1; 2`), or at a statement keyword. */
static bool check_eval_body(GsModuleAst *mod, const char *source, GsSyntaxError *err)
{
    if (mod->body.len == 1 && GS_NTH(mod->body, 0, GsStmt)->kind == S_EXPR)
        return true;
    memset(err, 0, sizeof *err);
    if (mod->body.len == 0) {
        snprintf(err->msg, sizeof err->msg, "unexpected EOF while parsing");
        return false;
    }
    GsStmt *s = GS_NTH(mod->body, 0, GsStmt);
    const GsExpr *first = s->kind == S_EXPR ? s->v.expr.value
                          : s->kind == S_ASSIGN ? GS_NTH(s->v.assign.targets, 0, GsExpr)
                          : s->kind == S_AUGASSIGN ? s->v.augassign.target
                          : s->kind == S_ANNASSIGN ? s->v.annassign.target : NULL;
    int col = first ? next_token_col(source, first->end_lineno, first->end_col) : -1;
    snprintf(err->msg, sizeof err->msg, "invalid syntax");
    err->lineno = first && col >= 0 ? first->end_lineno : s->lineno;
    err->col = (first && col >= 0 ? col : s->col) + 1;
    return false;
}

/* eval's code: the expression's value is what it returns. */
static void compile_eval_body(Compiler *c, GsExpr *e)
{
    gs_cc_set_line(c, e->lineno);
    gs_cc_compile_expr(c, e);
    gs_cc_emit(c, OP_RETURN_VALUE);
}

/* The module-level code (exec) or the expression's code (eval); see
 * compiler.h. */
GsObject *gs_compile_mode(GsThread *ts, const char *source, const char *filename, bool eval_mode)
{
    GsSyntaxError err = { .msg = "" };
    if (!gs_source_check_encoding(ts, source))
        return NULL;
    GsArena *arena = gs_arena_new();
    GsModuleAst *mod = gs_parse(arena, source, strlen(source), &err);
    if (!mod || (eval_mode && !check_eval_body(mod, source, &err))) {
        gs_arena_free(arena);
        return syntax_error(ts, &err, filename, source);
    }
    Compiler c = { .ts = ts, .arena = arena, .filename = filename, .err = &err };
    GsObject *volatile code = NULL;
    if (setjmp(c.fail) == 0) {
        c.filename_obj = gs_cc_check(&c, gs_str_from(ts, filename));
        gs_cc_fold(&c, mod);                                      /* 1. fold.c */
        gs_sym_build(&c, mod);                                    /* 2. symtable.c */
        gs_cc_enter_scope(&c, c.top, "<module>", "<module>", 1);  /* 3. unit.c, */
        if (eval_mode)                                            /*    codegen_*.c */
            compile_eval_body(&c, GS_NTH(mod->body, 0, GsStmt)->v.expr.value);
        else
            gs_cc_compile_body(&c, &mod->body);
        code = gs_cc_assemble(&c, !eval_mode);                    /* 4. peephole.c, assemble.c */
    }
    while (c.u)
        gs_cc_exit_scope(&c);
    if (c.top)
        gs_sym_free(c.top);
    gs_xdecref(ts, c.filename_obj);
    gs_arena_free(arena);
    if (!code && !c.py_error)
        return syntax_error(ts, &err, filename, source);
    return code;
}

GsObject *gs_compile(GsThread *ts, const char *source, const char *filename)
{
    return gs_compile_mode(ts, source, filename, false);
}
