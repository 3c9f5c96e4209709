/*
 * codegen_stmt.c -- pass 3, code generation: statements.
 *
 * Statements give Python its control flow, and CPython 3.9 compiles each
 * into a fixed shape of jumps that the lecture's listings show:
 *
 *   - `if` jumps over its body on a false test; `while` tests at the top
 *     and jumps back at the bottom; `for` is GET_ITER, then FOR_ITER at
 *     the top of the loop, which jumps out when the iterator is done;
 *   - `try` pushes a block with SETUP_FINALLY that says where the handler
 *     starts; `with` does the same with SETUP_WITH;
 *   - `break`, `continue` and `return` leave blocks early: the "frame
 *     blocks" kept while compiling (push_fblock) say what each enclosing
 *     loop, try, with or handler must undo on the way out -- pop the
 *     iterator, call __exit__, run the finally body inline;
 *   - `if 0:` and `while 0:` bodies are still checked but not emitted.
 *
 * `def` and `class` compile their body in a code unit of their own, as a
 * lambda does (codegen_expr.c), and store the function or class made from
 * it.  Expressions inside statements go to codegen_expr.c.
 */
#include <stdbool.h>
#include <string.h>

#include "compile_internal.h"

static void compile_stmts(Compiler *c, GsNodeList *l);

static void push_fblock(Compiler *c, FBlockType t, int block, int exit, const void *datum,
                        int lineno)
{
    Unit *u = c->u;
    if (u->nfblocks >= GS_MAX_BLOCKS)
        gs_cc_error(c, lineno, 0, "too many statically nested blocks");
    u->fblocks[u->nfblocks++] = (FBlock){ t, block, exit, datum };
}

static void pop_fblock(Compiler *c) { c->u->nfblocks--; }

static void call_exit_with_nones(Compiler *c)
{
    gs_cc_load_none(c);
    gs_cc_emit(c, OP_DUP_TOP);
    gs_cc_emit(c, OP_DUP_TOP);
    gs_cc_emit_i(c, OP_CALL_FUNCTION, 3);
}

/* Emit what leaving frame block `fb` early requires (CPython's
 * compiler_unwind_fblock); preserve_tos keeps a return value on top. */
static void unwind_fblock(Compiler *c, FBlock *fb, bool preserve_tos)
{
    switch (fb->type) {
    case FB_WHILE_LOOP:
        return;
    case FB_FOR_LOOP:
        if (preserve_tos)
            gs_cc_emit(c, OP_ROT_TWO);
        gs_cc_emit(c, OP_POP_TOP);   /* the iterator */
        return;
    case FB_TRY_EXCEPT:
        gs_cc_emit(c, OP_POP_BLOCK);
        return;
    case FB_FINALLY_TRY: {
        gs_cc_emit(c, OP_POP_BLOCK);
        if (preserve_tos)
            push_fblock(c, FB_POP_VALUE, -1, -1, NULL, c->u->lineno);
        /* The finally body runs inline on the way out; then the line of
         * the return / break / continue applies again. */
        FBlock saved = *fb;
        int lineno = c->u->lineno;
        compile_stmts(c, (GsNodeList *)saved.datum);
        c->u->lineno = lineno;
        c->u->lineno_set = false;
        if (preserve_tos)
            pop_fblock(c);
        return;
    }
    case FB_FINALLY_END:
        if (preserve_tos)
            gs_cc_emit(c, OP_ROT_FOUR);
        gs_cc_emit(c, OP_POP_TOP);
        gs_cc_emit(c, OP_POP_TOP);
        gs_cc_emit(c, OP_POP_TOP);
        if (preserve_tos)
            gs_cc_emit(c, OP_ROT_FOUR);
        gs_cc_emit(c, OP_POP_EXCEPT);
        return;
    case FB_WITH:
    case FB_ASYNC_WITH:
        gs_cc_emit(c, OP_POP_BLOCK);
        if (preserve_tos)
            gs_cc_emit(c, OP_ROT_TWO);
        call_exit_with_nones(c);
        if (fb->type == FB_ASYNC_WITH)
            gs_cc_emit_await(c);   /* __aexit__ returns an awaitable */
        gs_cc_emit(c, OP_POP_TOP);
        return;
    case FB_HANDLER_CLEANUP:
        if (fb->datum)
            gs_cc_emit(c, OP_POP_BLOCK);
        if (preserve_tos)
            gs_cc_emit(c, OP_ROT_FOUR);
        gs_cc_emit(c, OP_POP_EXCEPT);
        if (fb->datum) {
            gs_cc_load_none(c);
            gs_cc_name_op(c, fb->datum, CTX_STORE);
            gs_cc_name_op(c, fb->datum, CTX_DEL);
        }
        return;
    case FB_POP_VALUE:
        if (preserve_tos)
            gs_cc_emit(c, OP_ROT_TWO);
        gs_cc_emit(c, OP_POP_TOP);
        return;
    }
}

/* Unwind the frame blocks from the innermost out, down to the innermost
 * loop (when want_loop; it is returned) or all of them (a return).  Each
 * block is popped while its exit code is compiled -- a finally body compiled
 * inline may push blocks of its own into the freed slots -- and then put
 * back from a saved copy (CPython's compiler_unwind_fblock_stack). */
static FBlock *unwind_to_loop(Compiler *c, bool preserve_tos, bool want_loop)
{
    Unit *u = c->u;
    if (u->nfblocks == 0)
        return NULL;
    FBlock *top = &u->fblocks[u->nfblocks - 1];
    if (want_loop && (top->type == FB_WHILE_LOOP || top->type == FB_FOR_LOOP))
        return top;
    FBlock copy = *top;
    u->nfblocks--;
    unwind_fblock(c, &copy, preserve_tos);
    FBlock *loop = unwind_to_loop(c, preserve_tos, want_loop);
    u->fblocks[u->nfblocks++] = copy;
    return loop;
}

static void compile_return(Compiler *c, GsStmt *s)
{
    GsExpr *v = s->v.return_.value;
    /* An async generator's end is StopAsyncIteration, which has no value
     * to carry. */
    if (v && c->u->ste->is_coroutine && c->u->ste->is_generator)
        gs_cc_error(c, s->lineno, s->col, "'return' with value in async generator");
    bool preserve = v && !gs_cc_is_constish(v);
    if (preserve)
        gs_cc_compile_expr(c, v);
    unwind_to_loop(c, preserve, false);
    gs_cc_set_line(c, s->lineno);
    if (!v)
        gs_cc_load_none(c);
    else if (!preserve)
        gs_cc_compile_expr(c, v);
    gs_cc_emit(c, OP_RETURN_VALUE);
}

static void compile_break_continue(Compiler *c, GsStmt *s)
{
    bool is_break = s->kind == S_BREAK;
    FBlock *loop = unwind_to_loop(c, false, true);
    if (!loop)
        gs_cc_error(c, s->lineno, s->col, is_break ? "'break' outside loop"
                                                   : "'continue' not properly in loop");
    if (is_break) {
        FBlock copy = *loop;
        unwind_fblock(c, &copy, false);
        gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, loop->exit);
    } else {
        gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, loop->block);
    }
}

/* 1 if e is a constant known true, 0 if false, -1 if not a constant. */
static int expr_constant(GsExpr *e)
{
    if (e->kind == E_TUPLE && e->v.seq.ctx == CTX_CONST_TUPLE)
        return e->v.seq.elts.len != 0;
    if (!gs_cc_is_const(e))
        return -1;
    switch (e->v.constant.kind) {
    case C_NONE: case C_FALSE: return 0;
    case C_TRUE: case C_ELLIPSIS: return 1;
    case C_INT: return e->v.constant.i != 0;
    case C_FLOAT: return e->v.constant.f != 0;
    case C_STR: return e->v.constant.n != 0;
    }
    return -1;
}

/* Dead code is still checked (errors), but not emitted. */
static void compile_dead(Compiler *c, GsNodeList *body)
{
    bool saved = c->u->do_not_emit;
    c->u->do_not_emit = true;
    compile_stmts(c, body);
    c->u->do_not_emit = saved;
}

static void compile_if(Compiler *c, GsStmt *s)
{
    int end = gs_cc_new_label(c);
    int k = expr_constant(s->v.if_.test);
    if (k == 0) {
        compile_dead(c, &s->v.if_.body);
        compile_stmts(c, &s->v.if_.orelse);
    } else if (k == 1) {
        compile_stmts(c, &s->v.if_.body);
        compile_dead(c, &s->v.if_.orelse);
    } else {
        bool has_else = s->v.if_.orelse.len > 0;
        int next = has_else ? gs_cc_new_label(c) : end;
        gs_cc_jump_if(c, s->v.if_.test, next, false);
        compile_stmts(c, &s->v.if_.body);
        if (has_else) {
            gs_cc_emit_jump(c, OP_JUMP_FORWARD, end);
            gs_cc_use_label(c, next);
            compile_stmts(c, &s->v.if_.orelse);
        }
    }
    gs_cc_use_label(c, end);
}

static void compile_while(Compiler *c, GsStmt *s)
{
    int k = expr_constant(s->v.while_.test);
    int loop = gs_cc_new_label(c), end = gs_cc_new_label(c), anchor = -1;
    if (k == 0) {
        /* The body is dead but still inside a loop: `while 0: break` is
         * legal, so it is checked inside a loop block that emits nothing. */
        push_fblock(c, FB_WHILE_LOOP, loop, end, NULL, s->lineno);
        compile_dead(c, &s->v.while_.body);
        pop_fblock(c);
        compile_stmts(c, &s->v.while_.orelse);
        return;
    }
    if (k == -1)
        anchor = gs_cc_new_label(c);
    gs_cc_use_label(c, loop);
    push_fblock(c, FB_WHILE_LOOP, loop, end, NULL, s->lineno);
    if (k == -1)
        gs_cc_jump_if(c, s->v.while_.test, anchor, false);
    compile_stmts(c, &s->v.while_.body);
    gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, loop);
    if (k == -1)
        gs_cc_use_label(c, anchor);
    pop_fblock(c);
    compile_stmts(c, &s->v.while_.orelse);
    gs_cc_use_label(c, end);
}

/* `async for` (CPython's compiler_async_for): GET_AITER for the
 * iterator; each step awaits its __anext__() under a SETUP_FINALLY whose
 * handler, END_ASYNC_FOR, ends the loop on StopAsyncIteration (and lets
 * any other exception go on). */
static void compile_async_for(Compiler *c, GsStmt *s)
{
    if (!c->u->ste->is_async_def)
        gs_cc_error(c, s->lineno, s->col, "'async for' outside async function");
    int start = gs_cc_new_label(c), except = gs_cc_new_label(c), end = gs_cc_new_label(c);
    gs_cc_compile_expr(c, s->v.for_.iter);
    gs_cc_emit(c, OP_GET_AITER);
    gs_cc_use_label(c, start);
    push_fblock(c, FB_FOR_LOOP, start, end, NULL, s->lineno);
    gs_cc_emit_jump(c, OP_SETUP_FINALLY, except);
    gs_cc_emit(c, OP_GET_ANEXT);
    gs_cc_load_none(c);
    gs_cc_emit(c, OP_YIELD_FROM);
    gs_cc_emit(c, OP_POP_BLOCK);
    gs_cc_compile_store(c, s->v.for_.target);
    compile_stmts(c, &s->v.for_.body);
    gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, start);
    pop_fblock(c);
    gs_cc_use_label(c, except);
    /* CPython 3.9's line table gives END_ASYNC_FOR the line of the else
     * clause when there is one (checked against python3.9 -m dis). */
    if (s->v.for_.orelse.len > 0)
        gs_cc_set_line(c, GS_NTH(s->v.for_.orelse, 0, GsStmt)->lineno);
    gs_cc_emit(c, OP_END_ASYNC_FOR);
    compile_stmts(c, &s->v.for_.orelse);
    gs_cc_use_label(c, end);
}

static void compile_for(Compiler *c, GsStmt *s)
{
    if (s->v.for_.is_async) {
        compile_async_for(c, s);
        return;
    }
    int start = gs_cc_new_label(c), cleanup = gs_cc_new_label(c), end = gs_cc_new_label(c);
    push_fblock(c, FB_FOR_LOOP, start, end, NULL, s->lineno);
    gs_cc_compile_expr(c, s->v.for_.iter);
    gs_cc_emit(c, OP_GET_ITER);
    gs_cc_use_label(c, start);
    gs_cc_emit_jump(c, OP_FOR_ITER, cleanup);
    gs_cc_compile_store(c, s->v.for_.target);
    compile_stmts(c, &s->v.for_.body);
    gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, start);
    gs_cc_use_label(c, cleanup);
    pop_fblock(c);
    compile_stmts(c, &s->v.for_.orelse);
    gs_cc_use_label(c, end);
}

static void compile_try_except(Compiler *c, GsStmt *s)
{
    int body = gs_cc_new_label(c), except = gs_cc_new_label(c);
    int orelse = gs_cc_new_label(c), end = gs_cc_new_label(c);
    gs_cc_emit_jump(c, OP_SETUP_FINALLY, except);
    gs_cc_use_label(c, body);
    push_fblock(c, FB_TRY_EXCEPT, body, -1, NULL, s->lineno);
    compile_stmts(c, &s->v.try_.body);
    gs_cc_emit(c, OP_POP_BLOCK);
    pop_fblock(c);
    gs_cc_emit_jump(c, OP_JUMP_FORWARD, orelse);
    int n = s->v.try_.handlers.len;
    gs_cc_use_label(c, except);
    for (int i = 0; i < n; i++) {
        GsExceptHandler *h = GS_NTH(s->v.try_.handlers, i, GsExceptHandler);
        if (!h->type && i < n - 1)
            gs_cc_error(c, h->lineno, h->col, "default 'except:' must be last");
        c->u->lineno_set = false;
        c->u->lineno = h->lineno;
        except = gs_cc_new_label(c);
        if (h->type) {
            gs_cc_emit(c, OP_DUP_TOP);
            gs_cc_compile_expr(c, h->type);
            gs_cc_emit_jump(c, OP_JUMP_IF_NOT_EXC_MATCH, except);
        }
        gs_cc_emit(c, OP_POP_TOP);
        if (h->name) {
            int cleanup_end = gs_cc_new_label(c), cleanup_body = gs_cc_new_label(c);
            gs_cc_check_store_name(c, h->name, h->lineno, h->col);
            gs_cc_name_op(c, h->name, CTX_STORE);
            gs_cc_emit(c, OP_POP_TOP);
            gs_cc_emit_jump(c, OP_SETUP_FINALLY, cleanup_end);
            gs_cc_use_label(c, cleanup_body);
            push_fblock(c, FB_HANDLER_CLEANUP, cleanup_body, -1, h->name, h->lineno);
            compile_stmts(c, &h->body);
            pop_fblock(c);
            gs_cc_emit(c, OP_POP_BLOCK);
            gs_cc_emit(c, OP_POP_EXCEPT);
            gs_cc_load_none(c);
            gs_cc_name_op(c, h->name, CTX_STORE);
            gs_cc_name_op(c, h->name, CTX_DEL);
            gs_cc_emit_jump(c, OP_JUMP_FORWARD, end);
            gs_cc_use_label(c, cleanup_end);
            gs_cc_load_none(c);
            gs_cc_name_op(c, h->name, CTX_STORE);
            gs_cc_name_op(c, h->name, CTX_DEL);
            gs_cc_emit(c, OP_RERAISE);
        } else {
            int cleanup_body = gs_cc_new_label(c);
            gs_cc_emit(c, OP_POP_TOP);
            gs_cc_emit(c, OP_POP_TOP);
            gs_cc_use_label(c, cleanup_body);
            push_fblock(c, FB_HANDLER_CLEANUP, cleanup_body, -1, NULL, h->lineno);
            compile_stmts(c, &h->body);
            pop_fblock(c);
            gs_cc_emit(c, OP_POP_EXCEPT);
            gs_cc_emit_jump(c, OP_JUMP_FORWARD, end);
        }
        gs_cc_use_label(c, except);
    }
    gs_cc_emit(c, OP_RERAISE);
    gs_cc_use_label(c, orelse);
    compile_stmts(c, &s->v.try_.orelse);
    gs_cc_use_label(c, end);
}

static void compile_try(Compiler *c, GsStmt *s)
{
    if (s->v.try_.finalbody.len == 0) {
        compile_try_except(c, s);
        return;
    }
    int body = gs_cc_new_label(c), end = gs_cc_new_label(c), exit = gs_cc_new_label(c);
    gs_cc_emit_jump(c, OP_SETUP_FINALLY, end);
    gs_cc_use_label(c, body);
    push_fblock(c, FB_FINALLY_TRY, body, end, &s->v.try_.finalbody, s->lineno);
    if (s->v.try_.handlers.len > 0)
        compile_try_except(c, s);
    else
        compile_stmts(c, &s->v.try_.body);
    gs_cc_emit(c, OP_POP_BLOCK);
    pop_fblock(c);
    compile_stmts(c, &s->v.try_.finalbody);
    gs_cc_emit_jump(c, OP_JUMP_FORWARD, exit);
    gs_cc_use_label(c, end);
    push_fblock(c, FB_FINALLY_END, end, -1, NULL, s->lineno);
    compile_stmts(c, &s->v.try_.finalbody);
    pop_fblock(c);
    gs_cc_emit(c, OP_RERAISE);
    gs_cc_use_label(c, exit);
}

/* The end of a with's handler: __exit__'s result (awaited, for `async
 * with`) is on top; true swallows the exception, false re-raises it. */
static void with_except_finish(Compiler *c)
{
    int ok = gs_cc_new_label(c);
    gs_cc_emit_jump(c, OP_POP_JUMP_IF_TRUE, ok);
    gs_cc_emit(c, OP_RERAISE);
    gs_cc_use_label(c, ok);
    gs_cc_emit(c, OP_POP_TOP);
    gs_cc_emit(c, OP_POP_TOP);
    gs_cc_emit(c, OP_POP_TOP);
    gs_cc_emit(c, OP_POP_EXCEPT);
    gs_cc_emit(c, OP_POP_TOP);
}

/* `async with` (CPython's compiler_async_with): BEFORE_ASYNC_WITH calls
 * __aenter__ and keeps __aexit__; both their results are awaited. */
static void compile_async_with(Compiler *c, GsStmt *s, int pos)
{
    if (!c->u->ste->is_async_def)
        gs_cc_error(c, s->lineno, s->col, "'async with' outside async function");
    GsWithItem *item = GS_NTH(s->v.with.items, pos, GsWithItem);
    int block = gs_cc_new_label(c), final = gs_cc_new_label(c), exit = gs_cc_new_label(c);
    gs_cc_compile_expr(c, item->context_expr);
    gs_cc_emit(c, OP_BEFORE_ASYNC_WITH);
    gs_cc_emit_await(c);
    gs_cc_emit_jump(c, OP_SETUP_ASYNC_WITH, final);
    gs_cc_use_label(c, block);
    push_fblock(c, FB_ASYNC_WITH, block, final, NULL, s->lineno);
    if (item->optional_vars)
        gs_cc_compile_store(c, item->optional_vars);
    else
        gs_cc_emit(c, OP_POP_TOP);
    if (pos + 1 == s->v.with.items.len)
        compile_stmts(c, &s->v.with.body);
    else
        compile_async_with(c, s, pos + 1);
    gs_cc_emit(c, OP_POP_BLOCK);
    pop_fblock(c);
    call_exit_with_nones(c);
    gs_cc_emit_await(c);
    gs_cc_emit(c, OP_POP_TOP);
    gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, exit);
    gs_cc_use_label(c, final);
    gs_cc_emit(c, OP_WITH_EXCEPT_START);
    gs_cc_emit_await(c);
    with_except_finish(c);
    gs_cc_use_label(c, exit);
}

static void compile_with(Compiler *c, GsStmt *s, int pos)
{
    if (s->v.with.is_async) {
        compile_async_with(c, s, pos);
        return;
    }
    GsWithItem *item = GS_NTH(s->v.with.items, pos, GsWithItem);
    int block = gs_cc_new_label(c), final = gs_cc_new_label(c), exit = gs_cc_new_label(c);
    gs_cc_compile_expr(c, item->context_expr);
    gs_cc_emit_jump(c, OP_SETUP_WITH, final);
    gs_cc_use_label(c, block);
    push_fblock(c, FB_WITH, block, final, NULL, s->lineno);
    if (item->optional_vars)
        gs_cc_compile_store(c, item->optional_vars);
    else
        gs_cc_emit(c, OP_POP_TOP);
    if (pos + 1 == s->v.with.items.len)
        compile_stmts(c, &s->v.with.body);
    else
        compile_with(c, s, pos + 1);
    gs_cc_emit(c, OP_POP_BLOCK);
    pop_fblock(c);
    call_exit_with_nones(c);
    gs_cc_emit(c, OP_POP_TOP);
    gs_cc_emit_jump(c, OP_JUMP_FORWARD, exit);
    gs_cc_use_label(c, final);
    gs_cc_emit(c, OP_WITH_EXCEPT_START);
    with_except_finish(c);
    gs_cc_use_label(c, exit);
}

/* The docstring of a body: its first statement, if a string constant. */
static GsExpr *docstring_of(GsNodeList *body)
{
    if (body->len == 0)
        return NULL;
    GsStmt *s = GS_NTH(*body, 0, GsStmt);
    if (s->kind == S_EXPR && gs_cc_is_const(s->v.expr.value) &&
        s->v.expr.value->v.constant.kind == C_STR)
        return s->v.expr.value;
    return NULL;
}

/* The annotated names of a def, in the order their values are pushed. */
typedef struct {
    const char **names;          /* arena-allocated, mangled */
    int n;
} AnnNames;

/* One `name: annotation` of a def: its value is pushed, its name noted. */
static void compile_arg_annotation(Compiler *c, const char *name, GsExpr *annotation,
                                   AnnNames *ann)
{
    if (!annotation)
        return;
    gs_cc_compile_expr(c, annotation);
    ann->names[ann->n++] = gs_sym_mangle(c, c->u->ste->private_name, name);
}

/* A def's annotations, evaluated when the def runs, as a dict for
 * MAKE_FUNCTION (flag 0x04): BUILD_CONST_KEY_MAP over the names.  CPython
 * 3.9 (compiler_visit_annotations) takes the ordinary parameters before
 * the positional-only ones, then *args, keyword-only, **kwargs, return.
 * Returns the flag, or 0 when there are none. */
static int compile_annotations(Compiler *c, GsArguments *a, GsExpr *returns)
{
    AnnNames ann = { gs_arena_alloc(c->arena, sizeof(char *) *
                                    (size_t)(a->args.len + a->kwonlyargs.len + 3)), 0 };
    for (int i = a->posonlyargcount; i < a->args.len; i++) {
        GsArg *arg = GS_NTH(a->args, i, GsArg);
        compile_arg_annotation(c, arg->name, arg->annotation, &ann);
    }
    for (int i = 0; i < a->posonlyargcount; i++) {
        GsArg *arg = GS_NTH(a->args, i, GsArg);
        compile_arg_annotation(c, arg->name, arg->annotation, &ann);
    }
    if (a->vararg)
        compile_arg_annotation(c, a->vararg->name, a->vararg->annotation, &ann);
    for (int i = 0; i < a->kwonlyargs.len; i++) {
        GsArg *arg = GS_NTH(a->kwonlyargs, i, GsArg);
        compile_arg_annotation(c, arg->name, arg->annotation, &ann);
    }
    if (a->kwarg)
        compile_arg_annotation(c, a->kwarg->name, a->kwarg->annotation, &ann);
    compile_arg_annotation(c, "return", returns, &ann);
    if (ann.n == 0)
        return 0;
    GsObject *keys = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)ann.n));
    for (int i = 0; i < ann.n; i++)
        ((GsTuple *)keys)->items[i] = gs_str_intern_c(c->ts, ann.names[i]);
    for (int i = 0; i < ann.n; i++)
        if (!((GsTuple *)keys)->items[i]) {
            gs_decref(c->ts, keys);
            gs_cc_fail(c);
        }
    gs_cc_load_const_obj(c, keys);
    gs_cc_emit_i(c, OP_BUILD_CONST_KEY_MAP, ann.n);
    return 0x04;
}

static void compile_funcdef(Compiler *c, GsStmt *s)
{
    GsNodeList *decos = &s->v.funcdef.decorators;
    gs_cc_check_params(c, s->v.funcdef.args, s->lineno, s->col);
    gs_cc_compile_exprs(c, decos);
    int firstlineno = decos->len ? GS_NTH(*decos, 0, GsExpr)->lineno : s->lineno;
    GsArguments *a = s->v.funcdef.args;
    int flags = gs_cc_compile_defaults(c, a);
    flags |= compile_annotations(c, a, s->v.funcdef.returns);
    SymTab *st = gs_sym_find(c->u->ste, s);
    char *qual = gs_cc_make_qualname(c, s->v.funcdef.name);
    gs_cc_enter_scope(c, st, s->v.funcdef.name, qual, firstlineno);
    GsExpr *doc = docstring_of(&s->v.funcdef.body);
    gs_cc_add_const_obj(c, c->u->consts, doc ? gs_cc_const_object(c, doc) : GS_NONE);
    if (doc)
        gs_cc_set_line(c, doc->lineno);
    gs_cc_set_arg_counts(c, a);
    GsNodeList *body = &s->v.funcdef.body;
    for (int i = doc ? 1 : 0; i < body->len; i++)
        compile_stmts(c, &(GsNodeList){ &body->items[i], 1, 1 });
    GsObject *code = gs_cc_assemble(c, true);
    GsObject *qualname = gs_newref(c->ts, c->u->qualname);
    gs_cc_exit_scope(c);
    gs_cc_set_line(c, s->lineno);
    gs_cc_make_closure(c, code, flags, qualname);
    for (int i = 0; i < decos->len; i++)
        gs_cc_emit_i(c, OP_CALL_FUNCTION, 1);
    gs_cc_check_store_name(c, s->v.funcdef.name, s->lineno, s->col);
    gs_cc_name_op(c, s->v.funcdef.name, CTX_STORE);
}

/* Does this body annotate a variable (`x: int`), directly or inside a
 * compound statement (not a def or class)?  CPython's find_ann. */
static bool has_annotations(GsNodeList *body)
{
    for (int i = 0; i < body->len; i++) {
        GsStmt *s = GS_NTH(*body, i, GsStmt);
        bool found = false;
        switch (s->kind) {
        case S_ANNASSIGN:
            return true;
        case S_FOR:
            found = has_annotations(&s->v.for_.body) || has_annotations(&s->v.for_.orelse);
            break;
        case S_WHILE:
            found = has_annotations(&s->v.while_.body) || has_annotations(&s->v.while_.orelse);
            break;
        case S_IF:
            found = has_annotations(&s->v.if_.body) || has_annotations(&s->v.if_.orelse);
            break;
        case S_WITH:
            found = has_annotations(&s->v.with.body);
            break;
        case S_TRY:
            for (int j = 0; j < s->v.try_.handlers.len; j++)
                if (has_annotations(&GS_NTH(s->v.try_.handlers, j, GsExceptHandler)->body))
                    return true;
            found = has_annotations(&s->v.try_.body) || has_annotations(&s->v.try_.finalbody) ||
                    has_annotations(&s->v.try_.orelse);
            break;
        default:
            break;
        }
        if (found)
            return true;
    }
    return false;
}

/* Module and class bodies: a docstring is stored in __doc__; a body with
 * annotated names starts with SETUP_ANNOTATIONS (its __annotations__). */
void gs_cc_compile_body(Compiler *c, GsNodeList *body)
{
    int i = 0;
    GsExpr *doc = docstring_of(body);
    if (has_annotations(body)) {
        if (c->u->ste->type == ST_MODULE)   /* on the first statement's line, as CPython */
            gs_cc_set_line(c, GS_NTH(*body, 0, GsStmt)->lineno);
        gs_cc_emit(c, OP_SETUP_ANNOTATIONS);
    }
    if (doc) {
        gs_cc_set_line(c, GS_NTH(*body, 0, GsStmt)->lineno);
        gs_cc_compile_expr(c, doc);
        gs_cc_name_op(c, "__doc__", CTX_STORE);
        i = 1;
    }
    for (; i < body->len; i++)
        compile_stmts(c, &(GsNodeList){ &body->items[i], 1, 1 });
}

static void compile_classdef(Compiler *c, GsStmt *s)
{
    GsNodeList *decos = &s->v.classdef.decorators;
    gs_cc_compile_exprs(c, decos);
    int firstlineno = decos->len ? GS_NTH(*decos, 0, GsExpr)->lineno : s->lineno;
    SymTab *st = gs_sym_find(c->u->ste, s);
    char *qual = gs_cc_make_qualname(c, s->v.classdef.name);
    gs_cc_enter_scope(c, st, s->v.classdef.name, qual, firstlineno);
    gs_cc_name_op(c, "__name__", CTX_LOAD);
    gs_cc_name_op(c, "__module__", CTX_STORE);
    gs_cc_load_const_obj(c, gs_newref(c->ts, c->u->qualname));
    gs_cc_name_op(c, "__qualname__", CTX_STORE);
    gs_cc_compile_body(c, &s->v.classdef.body);
    if (st->needs_class_closure) {
        gs_cc_emit_i(c, OP_LOAD_CLOSURE, gs_cc_find_name(c->u->cellvars, "__class__"));
        gs_cc_emit(c, OP_DUP_TOP);
        gs_cc_name_op(c, "__classcell__", CTX_STORE);
    } else {
        gs_cc_load_none(c);
    }
    gs_cc_emit(c, OP_RETURN_VALUE);
    GsObject *code = gs_cc_assemble(c, true);
    gs_cc_exit_scope(c);
    gs_cc_set_line(c, s->lineno);
    gs_cc_emit(c, OP_LOAD_BUILD_CLASS);
    GsObject *name = gs_cc_check(c, gs_str_intern_c(c->ts, s->v.classdef.name));
    gs_cc_make_closure(c, code, 0, name);
    gs_cc_load_str_const(c, s->v.classdef.name);
    gs_cc_check_keywords(c, &s->v.classdef.keywords, s->lineno, s->col);
    gs_cc_call_helper(c, 2, &s->v.classdef.bases, &s->v.classdef.keywords);
    for (int i = 0; i < decos->len; i++)
        gs_cc_emit_i(c, OP_CALL_FUNCTION, 1);
    gs_cc_check_store_name(c, s->v.classdef.name, s->lineno, s->col);
    gs_cc_name_op(c, s->v.classdef.name, CTX_STORE);
}

/* `import a.b.c as d`: IMPORT_NAME returns the top package a, so d is
 * reached by one IMPORT_FROM per dotted part (b, then c), each dropping
 * the module it came from -- CPython 3.9's compiler_import_as. */
static void compile_import_as(Compiler *c, GsStmt *s, GsAlias *a)
{
    const char *part = strchr(a->name, '.');
    while (part) {
        part++;
        const char *end = strchr(part, '.');
        const char *attr = end ? gs_arena_strndup(c->arena, part, (size_t)(end - part)) : part;
        gs_cc_emit_i(c, OP_IMPORT_FROM, gs_cc_add_name(c, c->u->names, attr));
        if (!end) {
            gs_cc_check_store_name(c, a->asname, s->lineno, s->col);
            gs_cc_name_op(c, a->asname, CTX_STORE);
            gs_cc_emit(c, OP_POP_TOP);
            return;
        }
        gs_cc_emit(c, OP_ROT_TWO);
        gs_cc_emit(c, OP_POP_TOP);
        part = end;
    }
    gs_cc_check_store_name(c, a->asname, s->lineno, s->col);
    gs_cc_name_op(c, a->asname, CTX_STORE);
}

static void compile_import(Compiler *c, GsStmt *s)
{
    for (int i = 0; i < s->v.import.names.len; i++) {
        GsAlias *a = GS_NTH(s->v.import.names, i, GsAlias);
        gs_cc_load_const_obj(c, gs_small_int(0));
        gs_cc_load_none(c);
        gs_cc_emit_i(c, OP_IMPORT_NAME, gs_cc_add_name(c, c->u->names, a->name));
        const char *dot = strchr(a->name, '.');
        if (a->asname) {
            compile_import_as(c, s, a);
        } else {
            const char *store = dot ? gs_arena_strndup(c->arena, a->name, (size_t)(dot - a->name))
                                    : a->name;
            gs_cc_check_store_name(c, store, s->lineno, s->col);
            gs_cc_name_op(c, store, CTX_STORE);
        }
    }
}

/* from [dots]m import a, b as c -- or `*`, which IMPORT_STAR copies into
 * the module's namespace (the symbol table allows it only there).  The
 * level (number of dots) and the names go to IMPORT_NAME as constants;
 * `from . import x` imports the module named "". */
static void compile_importfrom(Compiler *c, GsStmt *s)
{
    GsNodeList *names = &s->v.importfrom.names;
    const char *module = s->v.importfrom.module ? s->v.importfrom.module : "";
    if (s->v.importfrom.level > 256) {   /* a small int constant, as every real level is */
        gs_cc_error(c, s->lineno, s->col, "gilscope allows at most 256 dots in a relative import");
        return;
    }
    gs_cc_load_const_obj(c, gs_small_int(s->v.importfrom.level));
    GsObject *t = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)names->len));
    for (int i = 0; i < names->len; i++)
        ((GsTuple *)t)->items[i] =
            gs_cc_check(c, gs_str_intern_c(c->ts, GS_NTH(*names, i, GsAlias)->name));
    gs_cc_load_const_obj(c, t);
    gs_cc_emit_i(c, OP_IMPORT_NAME, gs_cc_add_name(c, c->u->names, module));
    if (names->len == 1 && strcmp(GS_NTH(*names, 0, GsAlias)->name, "*") == 0) {
        gs_cc_emit(c, OP_IMPORT_STAR);
        return;
    }
    for (int i = 0; i < names->len; i++) {
        GsAlias *a = GS_NTH(*names, i, GsAlias);
        gs_cc_emit_i(c, OP_IMPORT_FROM, gs_cc_add_name(c, c->u->names, a->name));
        gs_cc_check_store_name(c, a->asname ? a->asname : a->name, s->lineno, s->col);
        gs_cc_name_op(c, a->asname ? a->asname : a->name, CTX_STORE);
    }
    gs_cc_emit(c, OP_POP_TOP);
}

/* A target's parts are evaluated, for their errors, by `x.y: int` and
 * `x[i]: int` without a value (CPython's check_ann_expr/check_ann_subscr). */
static void compile_ann_check(Compiler *c, GsExpr *e)
{
    if (e->kind == E_SLICE) {
        GsExpr *parts[] = { e->v.slice.lower, e->v.slice.upper, e->v.slice.step };
        for (int i = 0; i < 3; i++)
            if (parts[i])
                compile_ann_check(c, parts[i]);
        return;
    }
    if (e->kind == E_TUPLE && e->v.seq.ctx != CTX_CONST_TUPLE) {
        for (int i = 0; i < e->v.seq.elts.len; i++)
            compile_ann_check(c, GS_NTH(e->v.seq.elts, i, GsExpr));
        return;
    }
    gs_cc_compile_expr(c, e);
    gs_cc_emit(c, OP_POP_TOP);
}

/* `target: annotation [= value]` (CPython's compiler_annassign).  The
 * assignment happens first.  In a module or class body a simple name's
 * annotation is then stored in __annotations__; in a function it is never
 * evaluated.  A parenthesised name, attribute or subscript target only
 * has its annotation evaluated (module and class) and dropped. */
static void compile_annassign(Compiler *c, GsStmt *s)
{
    GsExpr *target = s->v.annassign.target;
    bool module_or_class = c->u->ste->type == ST_MODULE || c->u->ste->type == ST_CLASS;
    if (s->v.annassign.value) {
        gs_cc_compile_expr(c, s->v.annassign.value);
        gs_cc_compile_store(c, target);
    }
    if (target->kind == E_NAME) {
        gs_cc_check_store_name(c, target->v.name.id, target->lineno, target->col);
        if (s->v.annassign.simple && module_or_class) {
            gs_cc_compile_expr(c, s->v.annassign.annotation);
            gs_cc_emit_i(c, OP_LOAD_NAME, gs_cc_add_name(c, c->u->names, "__annotations__"));
            gs_cc_load_str_const(c, gs_sym_mangle(c, c->u->ste->private_name,
                                                  target->v.name.id));
            gs_cc_emit(c, OP_STORE_SUBSCR);
            return;
        }
    } else if (!s->v.annassign.value) {
        if (target->kind == E_ATTR) {
            compile_ann_check(c, target->v.attr.value);
        } else {
            compile_ann_check(c, target->v.subscript.value);
            compile_ann_check(c, target->v.subscript.slice);
        }
    }
    if (!s->v.annassign.simple && module_or_class)
        compile_ann_check(c, s->v.annassign.annotation);
}

static void compile_stmt(Compiler *c, GsStmt *s)
{
    gs_cc_set_line(c, s->lineno);
    switch (s->kind) {
    case S_EXPR:
        if (gs_cc_is_constish(s->v.expr.value))
            break;   /* a lone constant (a docstring, `...`) compiles to nothing */
        gs_cc_compile_expr(c, s->v.expr.value);
        gs_cc_emit(c, OP_POP_TOP);
        break;
    case S_ANNASSIGN:
        compile_annassign(c, s);
        break;
    case S_ASSIGN: {
        GsNodeList *t = &s->v.assign.targets;
        gs_cc_compile_expr(c, s->v.assign.value);
        for (int i = 0; i < t->len; i++) {
            if (i < t->len - 1)
                gs_cc_emit(c, OP_DUP_TOP);
            gs_cc_compile_store(c, GS_NTH(*t, i, GsExpr));
        }
        break;
    }
    case S_AUGASSIGN: {
        GsExpr *e = s->v.augassign.target;
        if (e->kind == E_ATTR) {
            gs_cc_compile_expr(c, e->v.attr.value);
            gs_cc_emit(c, OP_DUP_TOP);
            gs_cc_emit_i(c, OP_LOAD_ATTR, gs_cc_add_attr_name(c, e->v.attr.attr));
        } else if (e->kind == E_SUBSCRIPT) {
            gs_cc_compile_expr(c, e->v.subscript.value);
            gs_cc_compile_expr(c, e->v.subscript.slice);
            gs_cc_emit(c, OP_DUP_TOP_TWO);
            gs_cc_emit(c, OP_BINARY_SUBSCR);
        } else {
            gs_cc_name_op(c, e->v.name.id, CTX_LOAD);
        }
        gs_cc_compile_expr(c, s->v.augassign.value);
        gs_cc_emit(c, gs_cc_binop_opcode(s->v.augassign.op, true));
        if (e->kind == E_ATTR) {
            gs_cc_emit(c, OP_ROT_TWO);
            gs_cc_emit_i(c, OP_STORE_ATTR, gs_cc_add_attr_name(c, e->v.attr.attr));
        } else if (e->kind == E_SUBSCRIPT) {
            gs_cc_emit(c, OP_ROT_THREE);
            gs_cc_emit(c, OP_STORE_SUBSCR);
        } else {
            gs_cc_check_store_name(c, e->v.name.id, s->lineno, s->col);
            gs_cc_name_op(c, e->v.name.id, CTX_STORE);
        }
        break;
    }
    case S_DELETE:
        for (int i = 0; i < s->v.del.targets.len; i++)
            gs_cc_compile_store(c, GS_NTH(s->v.del.targets, i, GsExpr));
        break;
    case S_PASS:
    case S_GLOBAL:
    case S_NONLOCAL:
        break;
    case S_BREAK:
    case S_CONTINUE:
        compile_break_continue(c, s);
        break;
    case S_IF: compile_if(c, s); break;
    case S_WHILE: compile_while(c, s); break;
    case S_FOR: compile_for(c, s); break;
    case S_FUNCTIONDEF: compile_funcdef(c, s); break;
    case S_CLASSDEF: compile_classdef(c, s); break;
    case S_RETURN: compile_return(c, s); break;
    case S_IMPORT: compile_import(c, s); break;
    case S_IMPORTFROM: compile_importfrom(c, s); break;
    case S_WITH: compile_with(c, s, 0); break;
    case S_TRY: compile_try(c, s); break;
    case S_RAISE: {
        int n = 0;
        if (s->v.raise.exc) {
            gs_cc_compile_expr(c, s->v.raise.exc);
            n++;
            if (s->v.raise.cause) {
                gs_cc_compile_expr(c, s->v.raise.cause);
                n++;
            }
        }
        gs_cc_emit_i(c, OP_RAISE_VARARGS, n);
        break;
    }
    case S_ASSERT: {
        int end = gs_cc_new_label(c);
        gs_cc_jump_if(c, s->v.assert_.test, end, true);
        gs_cc_emit(c, OP_LOAD_ASSERTION_ERROR);
        if (s->v.assert_.msg) {
            gs_cc_compile_expr(c, s->v.assert_.msg);
            gs_cc_emit_i(c, OP_CALL_FUNCTION, 1);
        }
        gs_cc_emit_i(c, OP_RAISE_VARARGS, 1);
        gs_cc_use_label(c, end);
        break;
    }
    }
}

static void compile_stmts(Compiler *c, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        compile_stmt(c, GS_NTH(*l, i, GsStmt));
}
