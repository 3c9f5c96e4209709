/*
 * peephole.c -- pass 4, first half: CPython 3.9's peephole optimizer.
 *
 * Code generation emits simple, regular shapes; CPython 3.9 then tidies
 * them with a few local rewrites (Python/peephole.c), and since
 * `gilscope dis` must print what CPython prints, we make the same ones:
 *
 *   - a jump to a jump goes straight to the final target;
 *   - a jump to a return becomes the return;
 *   - code after a return that no jump reaches is removed;
 *   - BUILD_TUPLE of constants becomes one LOAD_CONST of the tuple;
 *   - `a, b = b, a` (BUILD_TUPLE 2, UNPACK_SEQUENCE 2) becomes ROT_TWO;
 *   - a test of a true constant (LOAD_CONST, POP_JUMP_IF_FALSE) goes:
 *     its jump is never taken.
 *
 * It works on the unit's instructions while jumps still name labels:
 * removed instructions become NOPs, which the assembler drops.
 */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

static bool is_cond(int op)
{
    return op == OP_POP_JUMP_IF_FALSE || op == OP_POP_JUMP_IF_TRUE ||
           op == OP_JUMP_IF_FALSE_OR_POP || op == OP_JUMP_IF_TRUE_OR_POP;
}
static bool jumps_on_true(int op) { return op == OP_POP_JUMP_IF_TRUE || op == OP_JUMP_IF_TRUE_OR_POP; }

/* The instruction a label lands on, skipping NOPs. */
static int label_target(Unit *u, int label)
{
    int i = u->labels[label];
    while (i < u->ncode && u->code[i].opcode == OP_NOP)
        i++;
    return i;
}

/* A label that points at instruction index i (made on demand). */
static int label_at(Compiler *c, int i)
{
    for (int l = 0; l < c->u->nlabels; l++)
        if (c->u->labels[l] == i)
            return l;
    int l = gs_cc_new_label(c);
    c->u->labels[l] = i;
    return l;
}

static void mark_targets(Unit *u, bool *target)
{
    memset(target, 0, (size_t)(u->ncode + 1) * sizeof(bool));
    for (int i = 0; i < u->ncode; i++)
        if (u->code[i].opcode != OP_NOP && gs_cc_is_jump(u->code[i].opcode) &&
            u->code[i].target >= 0)
            target[label_target(u, u->code[i].target)] = true;
}

/* Are instructions a..b (inclusive) in one basic block (no jump lands
 * strictly inside)? */
static bool same_block(const bool *target, int a, int b)
{
    for (int i = a + 1; i <= b; i++)
        if (target[i])
            return false;
    return true;
}

static void nop_out(Unit *u, int i)
{
    u->code[i].opcode = OP_NOP;
    u->code[i].target = -1;
}

/* BUILD_TUPLE n after n LOAD_CONSTs becomes one LOAD_CONST of the tuple,
 * appended to co_consts (not deduplicated: peephole.c appends). */
static void fold_build_tuple(Compiler *c, int i, const bool *target)
{
    Unit *u = c->u;
    int n = u->code[i].arg, j = i, found = 0;
    int *idx = calloc((size_t)n + 1, sizeof(int));
    while (found < n && --j >= 0) {
        if (u->code[j].opcode == OP_NOP)
            continue;
        if (u->code[j].opcode != OP_LOAD_CONST)
            break;
        idx[n - 1 - found++] = j;
    }
    if (found == n && n > 0 && same_block(target, idx[0], i)) {
        GsObject *t = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)n));
        for (int k = 0; k < n; k++) {
            GsObject *v = ((GsList *)u->consts)->items[u->code[idx[k]].arg];
            ((GsTuple *)t)->items[k] = gs_newref(c->ts, v);
            nop_out(u, idx[k]);
        }
        int r = gs_list_append(c->ts, u->consts, t);
        gs_decref(c->ts, t);
        if (r < 0) {
            free(idx);
            gs_cc_fail(c);
        }
        u->code[i].opcode = OP_LOAD_CONST;
        u->code[i].arg = (int)((GsList *)u->consts)->len - 1;
    }
    free(idx);
}

static int next_real(Unit *u, int i)
{
    for (i++; i < u->ncode && u->code[i].opcode == OP_NOP; i++)
        ;
    return i;
}

/* Basic-block boundaries are marked once, from the code as compiled, and
 * not updated as jumps are retargeted -- as peephole.c's markblocks(); this
 * decides how much dead code after a return goes. */
void gs_cc_peephole(Compiler *c)
{
    Unit *u = c->u;
    bool *target = malloc((size_t)(u->ncode + 1) * sizeof(bool));
    mark_targets(u, target);
    for (int i = 0; i < u->ncode; i++) {
        Instr *in = &u->code[i];
        int op = in->opcode;
        int nx = next_real(u, i);
        Instr *next = nx < u->ncode ? &u->code[nx] : NULL;
        switch (op) {
        case OP_LOAD_CONST: {
            /* LOAD_CONST <true> POP_JUMP_IF_FALSE: the jump is never taken. */
            if (!next || next->opcode != OP_POP_JUMP_IF_FALSE || !same_block(target, i, nx))
                break;
            GsObject *v = ((GsList *)u->consts)->items[in->arg];
            int t = gs_truth(c->ts, v);
            if (t == 1) {
                nop_out(u, i);
                nop_out(u, nx);
            }
            break;
        }
        case OP_BUILD_TUPLE:
            fold_build_tuple(c, i, target);
            if (in->opcode != OP_BUILD_TUPLE)
                break;
            /* a, b = b, a: BUILD_TUPLE 2 + UNPACK_SEQUENCE 2 -> ROT_TWO */
            if (next && next->opcode == OP_UNPACK_SEQUENCE && next->arg == in->arg &&
                same_block(target, i, nx)) {
                int n = in->arg;
                if (n < 2) {
                    nop_out(u, i);
                    nop_out(u, nx);
                } else if (n == 2) {
                    in->opcode = OP_ROT_TWO;
                    nop_out(u, nx);
                } else if (n == 3) {
                    in->opcode = OP_ROT_THREE;
                    next->opcode = OP_ROT_TWO;
                    next->arg = 0;
                }
            }
            break;
        case OP_JUMP_IF_FALSE_OR_POP:
        case OP_JUMP_IF_TRUE_OR_POP: {
            int t = label_target(u, in->target);
            if (t < u->ncode && is_cond(u->code[t].opcode)) {
                int op2 = u->code[t].opcode;
                if (jumps_on_true(op2) == jumps_on_true(op)) {
                    /* The second jump is taken iff the first is. */
                    in->target = u->code[t].target;
                } else {
                    /* The second is not taken if the first is: jump past
                     * it, popping the value as the second would have. */
                    in->target = label_at(c, next_real(u, t));
                    in->opcode = op == OP_JUMP_IF_TRUE_OR_POP ? OP_POP_JUMP_IF_TRUE
                                                               : OP_POP_JUMP_IF_FALSE;
                }
                break;
            }
        }
            /* fall through */
        case OP_POP_JUMP_IF_FALSE:
        case OP_POP_JUMP_IF_TRUE:
        case OP_JUMP_FORWARD:
        case OP_JUMP_ABSOLUTE: {
            int t = label_target(u, in->target);
            if (t >= u->ncode)
                break;
            Instr *tgt = &u->code[t];
            if (gs_cc_is_uncond(in->opcode) && tgt->opcode == OP_RETURN_VALUE) {
                /* A jump to a return becomes the return. */
                in->opcode = OP_RETURN_VALUE;
                in->target = -1;
                in->arg = 0;
                i--;   /* now a RETURN: look again for dead code after it */
            } else if (gs_cc_is_uncond(tgt->opcode)) {
                int t2 = label_target(u, tgt->target);
                if (in->opcode == OP_JUMP_FORWARD) {
                    in->opcode = OP_JUMP_ABSOLUTE;   /* may now go backwards */
                } else if (gs_opinfo[in->opcode].arg == GS_ARG_JREL && t2 < i) {
                    break;
                }
                in->target = label_at(c, t2);
            }
            break;
        }
        case OP_RETURN_VALUE: {
            /* Remove unreachable code after a return, up to the next jump
             * target.  Like 3.9, keep a RERAISE (it marks the end of a
             * finally block) and a SETUP_FINALLY (for balance). */
            int h = i + 1;
            while (h < u->ncode && !target[h] && u->code[h].opcode != OP_RERAISE &&
                   u->code[h].opcode != OP_SETUP_FINALLY)
                h++;
            for (int k = i + 1; k < h; k++)
                nop_out(u, k);
            break;
        }
        default:
            break;
        }
    }
    free(target);
}
