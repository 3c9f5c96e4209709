/*
 * test_sched.c -- the scheduling rule (sched_rules.h), stated as a table: for
 * each CPython version imitated, which instructions of the lecture's
 * listings are followed by a check (under 2.7: tick), and which checks are
 * put off.  A row per (version, instruction, how it ended).  The figures
 * come from CPython's own eval loops (2.7.18 and 3.9 as built by default,
 * with computed gotos; 3.10; 3.11/3.12) and were checked against a real
 * 2.7.18 through its _Py_Ticker (tests/sched/tick_parity.py).
 */
#include "runtime/sched_rules.h"
#include "tap.h"

enum { N = 0, Y = 1 };   /* no check / a check */

typedef struct {
    int op;
    unsigned outcome;          /* GS_OUT_* bits */
    const char *what;
    unsigned char want[GS_SCHED_COUNT];   /* 2.7, 3.9, 3.10, 3.11+ */
} Row;

#define TAKEN GS_OUT_TAKEN
#define BACK (GS_OUT_TAKEN | GS_OUT_BACKWARD)
#define EXACT GS_OUT_EXACT_BOOL

/* Instructions whose rule does not depend on how they ended, by group. */
typedef struct {
    const char *what;
    unsigned char want[GS_SCHED_COUNT];   /* 2.7, 3.9, 3.10, 3.11+ */
    int ops[16];                          /* ends with -1 */
} Group;

static const Group groups[] = {
    { "ticks (2.7), checks (3.9: DISPATCH), not after 3.9", { Y, Y, N, N },
      { OP_COMPARE_OP, OP_INPLACE_SUBTRACT, OP_GET_ITER, OP_FOR_ITER, OP_LOAD_ATTR,
        OP_INPLACE_ADD, OP_STORE_ATTR, OP_LOAD_GLOBAL, OP_LOAD_METHOD, OP_BUILD_LIST,
        OP_STORE_NAME, OP_LOAD_NAME, OP_SETUP_WITH, OP_SETUP_FINALLY, OP_POP_BLOCK, -1 } },
    { "never: the fast opcodes", { N, N, N, N },
      { OP_LOAD_FAST, OP_LOAD_CONST, OP_STORE_FAST, OP_DUP_TOP, OP_ROT_TWO, OP_POP_TOP,
        OP_RETURN_VALUE, -1 } },
    { "calls: everywhere", { Y, Y, Y, Y }, { OP_CALL_METHOD, OP_CALL_FUNCTION, -1 } },
    /* x is None, 1 in x: 2.7 compiled them as COMPARE_OP, which ticks;
     * 3.9's IS_OP and CONTAINS_OP end with FAST_DISPATCH */
    { "is / in: 2.7 only", { Y, N, N, N }, { OP_IS_OP, OP_CONTAINS_OP, -1 } },
};

/* Jumps: the answer depends on how they ended. */
static const Row rows[] = {
    /* countdown: while n > 0: n -= 1 */
    { OP_POP_JUMP_IF_FALSE, EXACT, "POP_JUMP_IF_FALSE on True, not taken", { N, N, N, N } },
    { OP_POP_JUMP_IF_FALSE, EXACT | TAKEN, "POP_JUMP_IF_FALSE on False, taken forward",
      { N, N, Y, N } },
    { OP_POP_JUMP_IF_FALSE, 0, "POP_JUMP_IF_FALSE on a non-bool, not taken", { Y, Y, N, N } },
    { OP_POP_JUMP_IF_TRUE, BACK | EXACT, "POP_JUMP_IF_TRUE on True, taken backward",
      { N, N, Y, Y } },
    { OP_JUMP_ABSOLUTE, BACK, "JUMP_ABSOLUTE backward (the loop)", { Y, Y, Y, Y } },
    { OP_JUMP_ABSOLUTE, TAKEN, "JUMP_ABSOLUTE forward", { Y, Y, Y, N } },
    { OP_JUMP_FORWARD, TAKEN, "JUMP_FORWARD", { N, N, N, N } },
    /* a and b, a or b: 3.10 has no CHECK_EVAL_BREAKER in JUMP_IF_*_OR_POP */
    { OP_JUMP_IF_FALSE_OR_POP, TAKEN, "JUMP_IF_FALSE_OR_POP on a non-bool, taken",
      { Y, Y, N, N } },
    { OP_JUMP_IF_TRUE_OR_POP, EXACT, "JUMP_IF_TRUE_OR_POP on False, not taken", { N, N, N, N } },
};

/* Which next opcodes put a check off, per version. */
typedef struct {
    int next_op;
    unsigned char want[GS_SCHED_COUNT];
} DeferRow;

static const DeferRow defer_rows[] = {
    { OP_SETUP_FINALLY, { Y, Y, Y, N } },
    { OP_SETUP_WITH, { N, Y, Y, N } },
    { OP_LOAD_ATTR, { N, N, N, N } },
    { OP_CALL_FUNCTION, { N, N, N, N } },
};

static const char *const version_names[GS_SCHED_COUNT] = { "2.7", "3.9", "3.10", "3.11+" };

int main(void)
{
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        for (const int *op = groups[i].ops; *op >= 0; op++)
            for (int r = 0; r < GS_SCHED_COUNT; r++)
                TAP_INT_EQ(gs_sched_checks(r, *op, 0), groups[i].want[r], "%s: %s (%s)",
                           version_names[r], gs_opinfo[*op].name, groups[i].what);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (int r = 0; r < GS_SCHED_COUNT; r++)
            TAP_INT_EQ(gs_sched_checks(r, rows[i].op, rows[i].outcome), rows[i].want[r],
                       "%s: %s %s", version_names[r], rows[i].what,
                       rows[i].want[r] ? "checks" : "does not check");
    for (size_t i = 0; i < sizeof defer_rows / sizeof defer_rows[0]; i++)
        for (int r = 0; r < GS_SCHED_COUNT; r++)
            TAP_INT_EQ(gs_sched_defers(r, defer_rows[i].next_op), defer_rows[i].want[r],
                       "%s: a check before %s is %s", version_names[r],
                       gs_opinfo[defer_rows[i].next_op].name,
                       defer_rows[i].want[r] ? "put off" : "not put off");
    /* Every version's CPython is known, and 2.7 alone uses the tick GIL. */
    TAP_STR_EQ(gs_cpython_find("2.7")->policy, "tick", "2.7 uses the tick policy");
    TAP_STR_EQ(gs_cpython_find("3.12")->policy, "interval", "3.12 uses the interval policy");
    TAP_OK(gs_cpython_find("3.8") == NULL, "3.8 is not imitated");
    /* Entering a frame: 2.7-3.10 pass the check at the top of the eval
     * loop on its first trip (2.7: a tick), 3.11+ check at RESUME. */
    for (int r = 0; r < GS_SCHED_COUNT; r++)
        TAP_INT_EQ(gs_sched_checks_on_entry(r), 1, "%s checks on entering a frame", version_names[r]);
    /* Entering an exception handler: back to the loop's top before 3.11. */
    TAP_INT_EQ(gs_sched_checks_on_handler(GS_SCHED_27), 1, "2.7 ticks on entering a handler");
    TAP_INT_EQ(gs_sched_checks_on_handler(GS_SCHED_310), 1, "3.10 checks on entering a handler");
    TAP_INT_EQ(gs_sched_checks_on_handler(GS_SCHED_311), 0, "3.11 does not (exception table)");
    return tap_done();
}
