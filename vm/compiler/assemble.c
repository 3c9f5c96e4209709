/*
 * assemble.c -- pass 4, second half: the assembler.
 *
 * Until now an instruction is a struct and a jump names a label.  The
 * assembler makes the code object the eval loop runs:
 *
 *   - wordcode: two bytes per instruction, opcode and argument; an
 *     argument over 255 needs EXTENDED_ARG prefixes, which move every
 *     instruction after them, which changes jump arguments, which may
 *     need more prefixes -- so offsets are computed until they settle;
 *   - the line table (co_lnotab), for tracebacks and `dis`;
 *   - the stack depth (co_stacksize): the most values the stack ever
 *     holds, so that a frame's value stack is allocated once, full size;
 *   - the flags (CO_OPTIMIZED, CO_NESTED, ...) and the tuples co_consts,
 *     co_names, co_varnames, co_cellvars, co_freevars.
 *
 * gs_cc_assemble first runs the peephole optimizer (peephole.c) on the
 * unit, as CPython 3.9's assembler does (its makecode() calls
 * PyCode_Optimize) -- there on the finished bytecode, here on labels.
 */
#include <stdlib.h>

#include "compile_internal.h"

static int instr_size(int arg)
{
    return arg > 0xffffff ? 4 : arg > 0xffff ? 3 : arg > 0xff ? 2 : 1;
}

/* Drop the NOPs, keeping each label on the instruction it pointed to and
 * a removed instruction's line on the next one when it started a line. */
static void remove_nops(Unit *u)
{
    int *newpos = malloc((size_t)(u->ncode + 1) * sizeof(int));
    int j = 0, pending_line = 0;
    for (int i = 0; i < u->ncode; i++) {
        newpos[i] = j;
        if (u->code[i].opcode == OP_NOP) {
            if (u->code[i].lineno)
                pending_line = u->code[i].lineno;
            continue;
        }
        u->code[j] = u->code[i];
        if (!u->code[j].lineno && pending_line)
            u->code[j].lineno = pending_line;
        pending_line = 0;
        j++;
    }
    newpos[u->ncode] = j;
    for (int l = 0; l < u->nlabels; l++)
        if (u->labels[l] >= 0)
            u->labels[l] = newpos[u->labels[l]];
    u->ncode = j;
    free(newpos);
}

static int stack_effect(int op, int arg, bool jump)
{
    switch (op) {
    case OP_NOP: case OP_EXTENDED_ARG: case OP_ROT_TWO: case OP_ROT_THREE: case OP_ROT_FOUR:
    case OP_UNARY_POSITIVE: case OP_UNARY_NEGATIVE: case OP_UNARY_NOT: case OP_UNARY_INVERT:
    case OP_GET_ITER: case OP_POP_BLOCK: case OP_DELETE_NAME: case OP_DELETE_GLOBAL:
    case OP_LIST_TO_TUPLE: case OP_LOAD_ATTR: case OP_JUMP_FORWARD: case OP_JUMP_ABSOLUTE:
    case OP_DELETE_FAST: case OP_DELETE_DEREF:
    case OP_GET_YIELD_FROM_ITER: case OP_GET_AWAITABLE: case OP_GET_AITER:
        return 0;
    case OP_POP_TOP: case OP_LIST_APPEND: case OP_SET_ADD: case OP_SET_UPDATE: case OP_RETURN_VALUE: case OP_STORE_NAME:
    case OP_STORE_GLOBAL: case OP_DELETE_ATTR: case OP_LIST_EXTEND: case OP_DICT_MERGE:
    case OP_DICT_UPDATE: case OP_COMPARE_OP: case OP_IS_OP: case OP_CONTAINS_OP:
    case OP_IMPORT_NAME: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_STORE_FAST: case OP_STORE_DEREF: case OP_IMPORT_STAR:
        return -1;
    case OP_DUP_TOP: case OP_LOAD_BUILD_CLASS: case OP_LOAD_CONST: case OP_LOAD_NAME:
    case OP_IMPORT_FROM: case OP_LOAD_GLOBAL: case OP_LOAD_FAST: case OP_LOAD_CLOSURE:
    case OP_LOAD_DEREF: case OP_LOAD_CLASSDEREF: case OP_LOAD_METHOD:
    case OP_LOAD_ASSERTION_ERROR: case OP_WITH_EXCEPT_START:
    case OP_GET_ANEXT: case OP_BEFORE_ASYNC_WITH:
        return 1;
    case OP_DUP_TOP_TWO: return 2;
    case OP_MAP_ADD: case OP_STORE_ATTR: case OP_DELETE_SUBSCR: case OP_JUMP_IF_NOT_EXC_MATCH:
        return -2;
    case OP_STORE_SUBSCR: case OP_POP_EXCEPT: case OP_RERAISE:
        return -3;
    case OP_UNPACK_SEQUENCE: return arg - 1;
    case OP_UNPACK_EX: return (arg & 0xff) + (arg >> 8);
    case OP_BINARY_MATRIX_MULTIPLY: case OP_INPLACE_MATRIX_MULTIPLY: return -1;
    case OP_FOR_ITER: return jump ? -1 : 1;
    case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_SET: case OP_BUILD_STRING: return 1 - arg;
    case OP_BUILD_MAP: return 1 - 2 * arg;
    case OP_BUILD_CONST_KEY_MAP: return -arg;
    case OP_JUMP_IF_TRUE_OR_POP: case OP_JUMP_IF_FALSE_OR_POP: return jump ? 0 : -1;
    case OP_SETUP_FINALLY: return jump ? 6 : 0;
    case OP_SETUP_WITH: return jump ? 6 : 1;
    /* The result of __aenter__ is already pushed: the handler's level is
     * below it. */
    case OP_SETUP_ASYNC_WITH: return jump ? -1 + 6 : 0;
    case OP_END_ASYNC_FOR: return -7;
    case OP_RAISE_VARARGS: return -arg;
    case OP_CALL_FUNCTION: return -arg;
    case OP_CALL_METHOD: return -arg - 1;
    case OP_CALL_FUNCTION_KW: return -arg - 1;
    case OP_CALL_FUNCTION_EX: return -1 - ((arg & 1) != 0);
    case OP_MAKE_FUNCTION: return -1 - __builtin_popcount((unsigned)arg & 0x0f);
    case OP_BUILD_SLICE: return arg == 3 ? -2 : -1;
    case OP_FORMAT_VALUE: return (arg & 4) ? -1 : 0;
    default:
        return (op >= OP_BINARY_POWER && op <= OP_INPLACE_OR) ? -1 : 0;
    }
}

/* The deepest the value stack gets, following both ways out of every jump. */
static int stack_depth(Unit *u)
{
    int n = u->ncode, maxdepth = 0;
    int *depth = malloc((size_t)(n + 1) * sizeof(int));
    int *work = malloc((size_t)(n + 1) * sizeof(int) * 2);
    int nwork = 0;
    for (int i = 0; i <= n; i++)
        depth[i] = -1;
    depth[0] = 0;
    work[nwork++] = 0;
    while (nwork > 0) {
        int i = work[--nwork], d = depth[i];
        for (; i < n; i++) {
            Instr *in = &u->code[i];
            int op = in->opcode;
            if (gs_cc_is_jump(op) && in->target >= 0) {
                int t = u->labels[in->target], td = d + stack_effect(op, in->arg, true);
                if (td > maxdepth)
                    maxdepth = td;
                if (depth[t] < td) {
                    depth[t] = td;
                    work[nwork++] = t;
                }
            }
            d += stack_effect(op, in->arg, false);
            if (d > maxdepth)
                maxdepth = d;
            if (gs_cc_is_uncond(op) || op == OP_RETURN_VALUE || op == OP_RERAISE ||
                op == OP_RAISE_VARARGS)
                break;
            if (depth[i + 1] >= d)
                break;
            depth[i + 1] = d;
        }
    }
    free(depth);
    free(work);
    return maxdepth;
}

/* CPython 3.9's co_lnotab: (byte delta, line delta) pairs, each delta
 * split into steps that fit a byte (lines as signed bytes). */
static GsObject *make_lnotab(GsThread *ts, const int *offsets, const int *lines, int n,
                             int firstlineno)
{
    GsBuf b;
    gs_buf_init(&b);
    int last_line = firstlineno, last_off = 0;
    for (int i = 0; i < n; i++) {
        if (lines[i] == last_line)
            continue;
        int dbyte = offsets[i] - last_off, dline = lines[i] - last_line;
        while (dbyte > 255) {
            gs_buf_putc(&b, (char)255);
            gs_buf_putc(&b, 0);
            dbyte -= 255;
        }
        while (dline > 127 || dline < -128) {
            int step = dline > 0 ? 127 : -128;
            gs_buf_putc(&b, (char)dbyte);
            gs_buf_putc(&b, (char)(signed char)step);
            dbyte = 0;
            dline -= step;
        }
        gs_buf_putc(&b, (char)dbyte);
        gs_buf_putc(&b, (char)(signed char)dline);
        last_line = lines[i];
        last_off = offsets[i];
    }
    GsObject *r = gs_bytes_new(ts, b.data ? b.data : "", b.len);
    gs_buf_free(&b);
    return r;
}

GsObject *gs_cc_assemble(Compiler *c, bool add_none)
{
    Unit *u = c->u;
    if (!u->block_returns) {
        gs_cc_next_block(c);
        if (add_none)
            gs_cc_load_none(c);
        gs_cc_emit(c, OP_RETURN_VALUE);
    }
    gs_cc_peephole(c);
    remove_nops(u);
    /* Resolve lines: an instruction with line 0 continues the previous line. */
    int n = u->ncode;
    int *lines = malloc((size_t)(n + 1) * sizeof(int));
    int *offsets = malloc((size_t)(n + 1) * sizeof(int));
    int *sizes = malloc((size_t)(n + 1) * sizeof(int));
    int line = u->firstlineno;
    for (int i = 0; i < n; i++) {
        if (u->code[i].lineno > 0)
            line = u->code[i].lineno;
        lines[i] = line;
        sizes[i] = 1;
    }
    /* Jump arguments depend on offsets, offsets on EXTENDED_ARGs: iterate. */
    bool changed = true;
    while (changed) {
        changed = false;
        int off = 0;
        for (int i = 0; i < n; i++) {
            offsets[i] = off;
            off += sizes[i] * 2;
        }
        offsets[n] = off;
        for (int i = 0; i < n; i++) {
            Instr *in = &u->code[i];
            if (gs_cc_is_jump(in->opcode) && in->target >= 0) {
                int t = offsets[u->labels[in->target]];
                in->arg = gs_opinfo[in->opcode].arg == GS_ARG_JREL ? t - (offsets[i] + sizes[i] * 2) : t;
            }
            int sz = instr_size(in->arg);
            if (sz != sizes[i]) {
                sizes[i] = sz;
                changed = true;
            }
        }
    }
    int nbytes = offsets[n];
    unsigned char *bytes = malloc((size_t)nbytes + 1);
    int *wordlines = malloc((size_t)(nbytes / 2 + 1) * sizeof(int));
    int *instr_off = malloc((size_t)(n + 1) * sizeof(int));
    for (int i = 0, p = 0; i < n; i++) {
        Instr *in = &u->code[i];
        instr_off[i] = offsets[i] + (sizes[i] - 1) * 2;   /* offset of the real opcode */
        for (int k = sizes[i] - 1; k >= 0; k--) {
            bool ext = k > 0;
            bytes[p] = (unsigned char)(ext ? OP_EXTENDED_ARG : in->opcode);
            bytes[p + 1] = (unsigned char)((in->arg >> (8 * k)) & 0xff);
            wordlines[p / 2] = lines[i];
            p += 2;
        }
    }
    /* The line table counts EXTENDED_ARG prefixes as part of their instruction. */
    GsObject *lnotab = make_lnotab(c->ts, offsets, lines, n, u->firstlineno);
    int stacksize = stack_depth(u);
    int flags = u->arg_flags;
    if (u->ste->type == ST_FUNCTION)
        flags |= GS_CO_OPTIMIZED | GS_CO_NEWLOCALS;
    if (u->ste->parent && u->ste->parent->type == ST_FUNCTION && u->ste->type == ST_FUNCTION)
        flags |= GS_CO_NESTED;
    /* CPython's compute_code_flags: yield alone makes a generator, await
     * (or async for/with, or `async def`) alone a coroutine, both an
     * asynchronous generator. */
    if (u->ste->is_generator && !u->ste->is_coroutine)
        flags |= GS_CO_GENERATOR;
    if (!u->ste->is_generator && u->ste->is_coroutine)
        flags |= GS_CO_COROUTINE;
    if (u->ste->is_generator && u->ste->is_coroutine)
        flags |= GS_CO_ASYNC_GENERATOR;
    if (u->ste->type == ST_FUNCTION && ((GsList *)u->freevars)->len == 0 &&
        ((GsList *)u->cellvars)->len == 0)
        flags |= GS_CO_NOFREE;
    GsObject *code = NULL, *codebytes = NULL, *consts = NULL, *names = NULL, *varnames = NULL,
             *cellvars = NULL, *freevars = NULL;
    codebytes = gs_bytes_new(c->ts, bytes, (size_t)nbytes);
    consts = gs_list_as_tuple(c->ts, u->consts);
    names = gs_list_as_tuple(c->ts, u->names);
    varnames = gs_list_as_tuple(c->ts, u->varnames);
    cellvars = gs_list_as_tuple(c->ts, u->cellvars);
    freevars = gs_list_as_tuple(c->ts, u->freevars);
    if (codebytes && consts && names && varnames && cellvars && freevars && lnotab)
        code = gs_code_new(c->ts, u->argcount, u->kwonlyargcount,
                           (int)((GsList *)u->varnames)->len, stacksize, flags, u->firstlineno,
                           codebytes, consts, names, varnames, cellvars, freevars,
                           c->filename_obj, u->name, lnotab, wordlines, nbytes / 2);
    if (code)
        ((GsCode *)code)->posonlyargcount = u->posonlyargcount;
    gs_xdecref(c->ts, codebytes);
    gs_xdecref(c->ts, consts);
    gs_xdecref(c->ts, names);
    gs_xdecref(c->ts, varnames);
    gs_xdecref(c->ts, cellvars);
    gs_xdecref(c->ts, freevars);
    gs_xdecref(c->ts, lnotab);
    free(bytes);
    free(wordlines);
    free(instr_off);
    free(lines);
    free(offsets);
    free(sizes);
    return gs_cc_check(c, code);
}
