/*
 * sched_rules.c -- the rule of where a running thread may be switched, for each
 * CPython version imitated.  sched_rules.h explains the rule; this file holds the
 * parts that are not a plain table look-up.
 */
#include <string.h>

#include "sched_rules.h"

/* The instructions marked S_COND in some column.
 *
 * Conditional jumps (POP_JUMP_IF_*, JUMP_IF_*_OR_POP): 2.7 and 3.9 test
 * for an operand that is exactly True or False first and, when it is,
 * jump straight to the next opcode (FAST_DISPATCH) -- no check; any other
 * operand goes the slow way, through the check.  3.10 checks when the jump
 * is taken (CHECK_EVAL_BREAKER in the jump's taken branch), 3.11 when it
 * is taken backwards.
 *
 * JUMP_ABSOLUTE: always a check, except under 3.11+ where only backward
 * jumps check (a forward JUMP_ABSOLUTE does not loop).
 *
 * Each rule is written as the set of outcomes that check: bit k of a mask
 * stands for the outcome whose GS_OUT_* bits are k. */
#define OUTCOMES_WHERE(cond) \
    (((cond(0)) << 0) | ((cond(1)) << 1) | ((cond(2)) << 2) | ((cond(3)) << 3) | \
     ((cond(4)) << 4) | ((cond(5)) << 5) | ((cond(6)) << 6) | ((cond(7)) << 7))
#define NOT_EXACT_BOOL(o) (!((o) & GS_OUT_EXACT_BOOL))
#define TAKEN(o) (((o) & GS_OUT_TAKEN) != 0)
#define TAKEN_BACKWARD(o) (((o) & GS_OUT_TAKEN) && ((o) & GS_OUT_BACKWARD))
#define BACKWARD(o) (((o) & GS_OUT_BACKWARD) != 0)

#define COND_JUMP_MASK(rules) \
    ((rules) == GS_SCHED_27 || (rules) == GS_SCHED_39 ? OUTCOMES_WHERE(NOT_EXACT_BOOL) \
     : (rules) == GS_SCHED_310 ? OUTCOMES_WHERE(TAKEN) : OUTCOMES_WHERE(TAKEN_BACKWARD))
#define JUMP_ABSOLUTE_MASK(rules) ((rules) == GS_SCHED_311 ? OUTCOMES_WHERE(BACKWARD) : 0xff)

/* One column entry as a mask of outcomes. */
#define MASK(col, rules, num) \
    ((col) == S_ALWAYS ? 0xff : (col) == S_NEVER ? 0x00 \
     : (num) == OP_JUMP_ABSOLUTE ? JUMP_ABSOLUTE_MASK(rules) : COND_JUMP_MASK(rules))

const unsigned char gs_sched_table[256][GS_SCHED_COUNT] = {
#define GS_X_COLS(name, num, arg, t27, c39, c310, c311, cost) \
    [num] = { MASK(t27, GS_SCHED_27, num), MASK(c39, GS_SCHED_39, num), \
              MASK(c310, GS_SCHED_310, num), MASK(c311, GS_SCHED_311, num) },
    GS_OPCODE_TABLE(GS_X_COLS)
#undef GS_X_COLS
};

const GsCpythonVersion gs_cpython_versions[] = {
    { "2.7", GS_SCHED_27, "tick" },
    { "3.9", GS_SCHED_39, "interval" },
    { "3.10", GS_SCHED_310, "interval" },
    { "3.11", GS_SCHED_311, "interval" },
    { "3.12", GS_SCHED_311, "interval" },
    { NULL, 0, NULL },
};

const GsCpythonVersion *gs_cpython_find(const char *version)
{
    for (const GsCpythonVersion *v = gs_cpython_versions; v->version; v++)
        if (strcmp(v->version, version) == 0)
            return v;
    return NULL;
}
