/* opcodes.c -- the opcode table, expanded from GS_OPCODE_TABLE. */
#include "opcodes.h"

const GsOpInfo gs_opinfo[256] = {
#define GS_X_INFO(name, num, arg, t27, c39, c310, c311, cost) \
    [num] = { #name, arg, cost },
    GS_OPCODE_TABLE(GS_X_INFO)
#undef GS_X_INFO
};

/* Nanoseconds per kind of work on the simulated clock: roughly what CPython
 * 2.7 and 3.x spend on such an instruction on a 3 GHz core (the countdown's
 * loop, 9 instructions, comes to 60 ns).  docs/sim-model.md explains them. */
#define NS_K_FAST 4
#define NS_K_JUMP 5
#define NS_K_ARITH 15
#define NS_K_NAME 20
#define NS_K_ATTR 25
#define NS_K_BUILD 40
#define NS_K_CALL 80
#define NS_K_SLOW 500

const unsigned gs_op_cost_ns[K_COUNT] = {
    [K_FAST] = NS_K_FAST, [K_JUMP] = NS_K_JUMP, [K_ARITH] = NS_K_ARITH, [K_NAME] = NS_K_NAME,
    [K_ATTR] = NS_K_ATTR, [K_BUILD] = NS_K_BUILD, [K_CALL] = NS_K_CALL, [K_SLOW] = NS_K_SLOW,
};

/* The same, per opcode number, for the eval loop. */
const unsigned short gs_op_ns[256] = {
#define GS_X_NS(name, num, arg, t27, c39, c310, c311, cost) [num] = NS_##cost,
    GS_OPCODE_TABLE(GS_X_NS)
#undef GS_X_NS
};

const char *const gs_cmp_names[6] = { "<", "<=", "==", "!=", ">", ">=" };
