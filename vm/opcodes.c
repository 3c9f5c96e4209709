/* opcodes.c -- the opcode table, expanded from GS_OPCODE_TABLE. */
#include "opcodes.h"

const GsOpInfo gs_opinfo[256] = {
#define GS_X_INFO(name, num, arg, t27, c39, c310, c311) \
    [num] = { #name, arg, { t27, c39, c310, c311 } },
    GS_OPCODE_TABLE(GS_X_INFO)
#undef GS_X_INFO
};

const char *const gs_cmp_names[6] = { "<", "<=", "==", "!=", ">", ">=" };
