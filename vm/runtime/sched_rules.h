/*
 * sched_rules.h -- where a running thread may be switched: the one home of that
 * rule.
 *
 * A thread holding the GIL only lets go at a *check*: a point between two
 * instructions where the eval loop looks at the eval breaker (and, under
 * CPython 2.7, decrements _Py_Ticker: a *tick*).  Which instructions are
 * followed by a check differs between CPython versions, and it decides
 * whether `self.count += 1` can be interrupted between its LOAD_ATTR and
 * its STORE_ATTR -- the lecture's lost update.  docs/scheduling.md tells
 * the story; this header is the rule itself, and the eval loop asks only
 * it:
 *
 *   gs_sched_checks(rules, op, outcome)   after op, is there a check?
 *   gs_sched_defers(rules, next_op)       is that check put off, because
 *                                         the next instruction opens a
 *                                         try/finally or a with block?
 *
 * The per-opcode facts are the scheduling columns of the opcode table
 * (opcodes.h: S_NEVER, S_ALWAYS, or S_COND for the few instructions whose
 * body decides); the conditional cases and the deferral are decided here.
 *
 * The versions, as built by default on Linux (with computed gotos):
 *
 *   2.7   Every opcode ticks except the "fast" ones whose body jumps
 *         straight to the next opcode (LOAD_FAST, LOAD_CONST, STORE_FAST,
 *         POP_TOP, ROT_*, DUP_TOP*, NOP, JUMP_FORWARD), and conditional
 *         jumps whose operand is exactly True or False.  Computed gotos
 *         turn 2.7's PREDICT off, so COMPARE_OP, GET_ITER and FOR_ITER do
 *         tick (measured: `while n > 0: n -= 1` is 3 ticks an iteration).
 *         A check is put off when the next opcode is SETUP_FINALLY.
 *   3.9   The same opcodes check (DISPATCH vs FAST_DISPATCH).  A check is
 *         put off before SETUP_FINALLY, SETUP_WITH, BEFORE_ASYNC_WITH and
 *         YIELD_FROM.
 *   3.10  Only taken conditional jumps, JUMP_ABSOLUTE, calls, and frame
 *         entry check; the same four opcodes put a check off.
 *   3.11+ Backward jumps, calls and function entry (RESUME); nothing is
 *         put off (3.11 has no SETUP_* opcodes any more).
 */
#ifndef GS_SCHED_RULES_H
#define GS_SCHED_RULES_H

#include <stdbool.h>

#include "compiler/compiler.h"

/* Which CPython's rules to follow (one scheduling column of the table). */
typedef enum { GS_SCHED_27, GS_SCHED_39, GS_SCHED_310, GS_SCHED_311, GS_SCHED_COUNT } GsSchedRules;

/* How a conditional instruction ended, for gs_sched_checks: bits. */
enum {
    GS_OUT_TAKEN = 1,       /* the jump was taken */
    GS_OUT_BACKWARD = 2,    /* ... to an earlier offset */
    GS_OUT_EXACT_BOOL = 4,  /* the operand tested was exactly True or False */
};

/* gs_sched_table[op][rules]: for each of the 8 outcomes (GS_OUT_* bits),
 * one bit: is there a check after op ended so?  S_NEVER becomes 0x00,
 * S_ALWAYS 0xff, and S_COND the outcomes its rule allows (sched_rules.c
 * builds it from GS_OPCODE_TABLE at compile time).  The eval loop asks
 * after every instruction, so the answer is one load, a shift and a mask. */
extern const unsigned char gs_sched_table[256][GS_SCHED_COUNT] GS_HOT_TABLE;

/* After `op` ended with `outcome` (GS_OUT_* bits; 0 for instructions that
 * do not jump), does the CPython imitated check the eval breaker? */
static inline bool gs_sched_checks(GsSchedRules rules, int op, unsigned outcome)
{
    return (gs_sched_table[op][rules] >> outcome) & 1;
}

/* The same for the eval loop, which asks after every instruction: its
 * version's column, found once per frame (gs_sched_column), and then one
 * scaled load per question. */
static inline const unsigned char *gs_sched_column(GsSchedRules rules)
{
    /* The table's bytes as one array (not its first row's), so that the
     * column may be walked down all 256 rows. */
    return (const unsigned char *)gs_sched_table + rules;
}

static inline bool gs_sched_checks_in(const unsigned char *column, unsigned op, unsigned outcome)
{
    return (column[op * GS_SCHED_COUNT] >> outcome) & 1;
}

/* A check just before `next_op` is put off: the tick is counted, but no
 * switch, signal or stop is handled until the next check.  CPython does it
 * so that nothing can come between acquiring a resource and the try or
 * with block that protects it. */
static inline bool gs_sched_defers(GsSchedRules rules, int next_op)
{
    switch (rules) {
    case GS_SCHED_27:
        return next_op == OP_SETUP_FINALLY;
    case GS_SCHED_39:
    case GS_SCHED_310:
        /* YIELD_FROM is here because a generator resumed inside `yield
         * from` (or a coroutine inside `await`) re-enters at it. */
        return next_op == OP_SETUP_FINALLY || next_op == OP_SETUP_WITH ||
               next_op == OP_BEFORE_ASYNC_WITH || next_op == OP_YIELD_FROM;
    default:
        return false;
    }
}

/* Does this version also check on entering a frame?  Every one does: 2.7
 * to 3.10 because the first trip round the eval loop passes the check at
 * its top (2.7: a tick), 3.11+ at RESUME. */
static inline bool gs_sched_checks_on_entry(GsSchedRules rules)
{
    (void)rules;
    return true;
}

/* Does entering an exception handler check?  Before 3.11 the eval loop
 * goes back to its top, which checks; 3.11's exception table jumps to the
 * handler directly. */
static inline bool gs_sched_checks_on_handler(GsSchedRules rules)
{
    return rules < GS_SCHED_311;
}

/* The CPython versions gilscope imitates (--cpython): the check rules and
 * the GIL policy (a name from gs_policies, policy.h) each one uses. */
typedef struct {
    const char *version;    /* "2.7", "3.9", "3.10", "3.11", "3.12" */
    GsSchedRules rules;
    const char *policy;     /* "tick" or "interval" */
} GsCpythonVersion;

extern const GsCpythonVersion gs_cpython_versions[];   /* ends with a NULL version */
/* The entry for `version`, or NULL when gilscope does not know it. */
const GsCpythonVersion *gs_cpython_find(const char *version);

#endif
