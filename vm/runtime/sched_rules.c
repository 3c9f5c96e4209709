/*
 * sched_rules.c -- the rule of where a running thread may be switched, for each
 * CPython version imitated.  sched_rules.h explains the rule; this file holds the
 * parts that are not a plain table look-up.
 */
#include <string.h>

#include "sched_rules.h"

const unsigned char gs_sched_table[256][GS_SCHED_COUNT] = {
#define GS_X_COLS(name, num, arg, t27, c39, c310, c311, cost) [num] = { t27, c39, c310, c311 },
    GS_OPCODE_TABLE(GS_X_COLS)
#undef GS_X_COLS
};

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
 * jumps check (a forward JUMP_ABSOLUTE does not loop). */
bool gs_sched_cond_checks(GsSchedRules rules, int op, unsigned outcome)
{
    bool taken = outcome & GS_OUT_TAKEN, backward = outcome & GS_OUT_BACKWARD;
    if (op == OP_JUMP_ABSOLUTE)
        return rules != GS_SCHED_311 || backward;
    switch (rules) {
    case GS_SCHED_27:
    case GS_SCHED_39:
        return !(outcome & GS_OUT_EXACT_BOOL);
    case GS_SCHED_310:
        return taken;
    default:
        return taken && backward;
    }
}

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
