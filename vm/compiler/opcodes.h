/*
 * opcodes.h -- the instruction set, written once.
 *
 * gilscope compiles guest programs to the bytecode of CPython 3.8/3.9:
 * two-byte "wordcode" (one byte opcode, one byte argument, EXTENDED_ARG
 * for larger arguments), with CPython 3.9's opcode numbers, so that
 * `co_code` prints the same bytes as the lecture slides.
 *
 * Every other table in gilscope (the enum, the names printed by `dis`,
 * the trace's opcode names, the scheduling rules of the GIL) is generated
 * from the single X-macro below.  Columns:
 *
 *   name     the CPython opcode name
 *   num      CPython 3.9's number (>= 90 means "has an argument")
 *   arg      how `dis` explains the argument (see GsArgKind)
 *   t27      does it tick in CPython 2.7 (2.7.18 as built by default,
 *            with computed gotos)?  The 2.7 eval loop decrements _Py_Ticker
 *            once per trip round its main loop; opcodes whose body jumps
 *            straight to the next opcode (`goto fast_next_opcode`) skip
 *            that trip and so do not tick.  Computed gotos turn 2.7's
 *            PREDICT off, so COMPARE_OP, GET_ITER and FOR_ITER tick.
 *   c39      is it followed by an eval-breaker check in CPython 3.9?  3.9
 *            checks after every opcode that ends with DISPATCH() and skips
 *            the ones that end with FAST_DISPATCH() -- the same "fast"
 *            opcodes 2.7 did not tick for.
 *   c310     CPython 3.10: only taken conditional jumps, JUMP_ABSOLUTE,
 *            calls (and frame entry, handled by the eval loop itself).
 *   c311     CPython 3.11-3.13: backward jumps and calls (and RESUME at
 *            function start, handled by the eval loop itself).
 *
 *            In the four scheduling columns S_ALWAYS means a check follows
 *            the opcode, S_NEVER that none does, and S_COND that it depends
 *            on how the opcode ended (a conditional jump's operand, a
 *            jump's direction).  sched_rules.h/sched_rules.c read these columns and
 *            decide the S_COND cases: that is the only place the rule
 *            lives.
 *   cost     what it costs on the simulated clock (`--clock sim`): a kind
 *            of work, K_FAST ... K_SLOW, whose nanoseconds are in
 *            gs_op_cost_ns (opcodes.c, docs/sim-model.md).
 *
 * Where a check may happen decides whether `self.count += 1` can be
 * preempted between its LOAD_ATTR and its STORE_ATTR -- the lost-update
 * race of the lecture.  See docs/scheduling.md.
 */
#ifndef GS_OPCODES_H
#define GS_OPCODES_H

typedef enum {
    GS_ARG_NONE,    /* no argument */
    GS_ARG_NUM,     /* a plain number: counts, flags */
    GS_ARG_CONST,   /* index into co_consts */
    GS_ARG_NAME,    /* index into co_names */
    GS_ARG_LOCAL,   /* index into co_varnames */
    GS_ARG_FREE,    /* index into cellvars + freevars */
    GS_ARG_JREL,    /* relative jump: target = next offset + arg */
    GS_ARG_JABS,    /* absolute jump: target = arg */
    GS_ARG_CMP,     /* index into ('<', '<=', '==', '!=', '>', '>=') */
    GS_ARG_FORMAT,  /* FORMAT_VALUE flags */
    GS_ARG_MKFUNC   /* MAKE_FUNCTION flags */
} GsArgKind;

/* Values of the scheduling columns. */
enum { S_NEVER = 0, S_ALWAYS = 1, S_COND = 2 };

/* Values of the cost column: kinds of work, cheapest first. */
typedef enum {
    K_FAST,    /* moves a reference: LOAD_FAST, STORE_FAST, LOAD_CONST, POP_TOP, ... */
    K_JUMP,    /* jumps and loop steps */
    K_ARITH,   /* arithmetic and comparisons (may allocate a number) */
    K_NAME,    /* dictionary look-ups of names; returns */
    K_ATTR,    /* attribute and item access */
    K_BUILD,   /* building containers, functions, strings */
    K_CALL,    /* calls: a new frame */
    K_SLOW,    /* imports, class creation, raising */
    K_COUNT
} GsCostKind;

/*   name                       num  arg            t27       c39       c310      c311      cost */
#define GS_OPCODE_TABLE(X) \
    X(POP_TOP,                    1, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(ROT_TWO,                    2, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(ROT_THREE,                  3, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(DUP_TOP,                    4, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(DUP_TOP_TWO,                5, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(ROT_FOUR,                   6, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(NOP,                        9, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(UNARY_POSITIVE,            10, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(UNARY_NEGATIVE,            11, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(UNARY_NOT,                 12, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(UNARY_INVERT,              15, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_MATRIX_MULTIPLY,    16, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_MATRIX_MULTIPLY,   17, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_POWER,              19, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_MULTIPLY,           20, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_MODULO,             22, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_ADD,                23, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_SUBTRACT,           24, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_SUBSCR,             25, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(BINARY_FLOOR_DIVIDE,       26, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_TRUE_DIVIDE,        27, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_FLOOR_DIVIDE,      28, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_TRUE_DIVIDE,       29, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(RERAISE,                   48, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_SLOW)  \
    X(WITH_EXCEPT_START,         49, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_CALL)  \
    X(GET_AITER,                 50, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_CALL)  \
    X(GET_ANEXT,                 51, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_CALL)  \
    X(BEFORE_ASYNC_WITH,         52, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_CALL)  \
    X(END_ASYNC_FOR,             54, GS_ARG_NONE,   S_ALWAYS, S_NEVER,  S_NEVER,  S_NEVER,  K_SLOW)  \
    X(INPLACE_ADD,               55, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_SUBTRACT,          56, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_MULTIPLY,          57, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_MODULO,            59, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(STORE_SUBSCR,              60, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(DELETE_SUBSCR,             61, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(BINARY_LSHIFT,             62, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_RSHIFT,             63, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_AND,                64, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_XOR,                65, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(BINARY_OR,                 66, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_POWER,             67, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(GET_ITER,                  68, GS_ARG_NONE,   S_ALWAYS,  S_ALWAYS, S_NEVER,  S_NEVER,  K_JUMP)  \
    X(GET_YIELD_FROM_ITER,       69, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_JUMP)  \
    X(LOAD_BUILD_CLASS,          71, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_SLOW)  \
    X(YIELD_FROM,                72, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_CALL)  \
    X(GET_AWAITABLE,             73, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_CALL)  \
    X(LOAD_ASSERTION_ERROR,      74, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(INPLACE_LSHIFT,            75, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_RSHIFT,            76, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_AND,               77, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_XOR,               78, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(INPLACE_OR,                79, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(LIST_TO_TUPLE,             82, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(RETURN_VALUE,              83, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_NAME)  \
    X(IMPORT_STAR,               84, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_SLOW)  \
    X(SETUP_ANNOTATIONS,         85, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(YIELD_VALUE,               86, GS_ARG_NONE,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_CALL)  \
    X(POP_BLOCK,                 87, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_FAST)  \
    X(POP_EXCEPT,                89, GS_ARG_NONE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(STORE_NAME,                90, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(DELETE_NAME,               91, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(UNPACK_SEQUENCE,           92, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(FOR_ITER,                  93, GS_ARG_JREL,   S_ALWAYS,  S_ALWAYS, S_NEVER,  S_NEVER,  K_JUMP)  \
    X(UNPACK_EX,                 94, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(STORE_ATTR,                95, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(DELETE_ATTR,               96, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(STORE_GLOBAL,              97, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(DELETE_GLOBAL,             98, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(LOAD_CONST,               100, GS_ARG_CONST,  S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(LOAD_NAME,                101, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(BUILD_TUPLE,              102, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(BUILD_LIST,               103, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(BUILD_SET,                104, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(BUILD_MAP,                105, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(LOAD_ATTR,                106, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(COMPARE_OP,               107, GS_ARG_CMP,    S_ALWAYS,  S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(IMPORT_NAME,              108, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_SLOW)  \
    X(IMPORT_FROM,              109, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_SLOW)  \
    X(JUMP_FORWARD,             110, GS_ARG_JREL,   S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(JUMP_IF_FALSE_OR_POP,     111, GS_ARG_JABS,   S_COND,   S_COND,   S_NEVER,  S_NEVER,  K_JUMP)  \
    X(JUMP_IF_TRUE_OR_POP,      112, GS_ARG_JABS,   S_COND,   S_COND,   S_NEVER,  S_NEVER,  K_JUMP)  \
    X(JUMP_ABSOLUTE,            113, GS_ARG_JABS,   S_ALWAYS, S_ALWAYS, S_ALWAYS, S_COND,   K_JUMP)  \
    X(POP_JUMP_IF_FALSE,        114, GS_ARG_JABS,   S_COND,   S_COND,   S_COND,   S_COND,   K_JUMP)  \
    X(POP_JUMP_IF_TRUE,         115, GS_ARG_JABS,   S_COND,   S_COND,   S_COND,   S_COND,   K_JUMP)  \
    X(LOAD_GLOBAL,              116, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(IS_OP,                    117, GS_ARG_NUM,    S_ALWAYS, S_NEVER,  S_NEVER,  S_NEVER,  K_ARITH) \
    X(CONTAINS_OP,              118, GS_ARG_NUM,    S_ALWAYS, S_NEVER,  S_NEVER,  S_NEVER,  K_ARITH) \
    X(JUMP_IF_NOT_EXC_MATCH,    121, GS_ARG_JABS,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_JUMP)  \
    X(SETUP_FINALLY,            122, GS_ARG_JREL,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_FAST)  \
    X(LOAD_FAST,                124, GS_ARG_LOCAL,  S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(STORE_FAST,               125, GS_ARG_LOCAL,  S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(DELETE_FAST,              126, GS_ARG_LOCAL,  S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ARITH) \
    X(RAISE_VARARGS,            130, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_SLOW)  \
    X(CALL_FUNCTION,            131, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_ALWAYS, S_ALWAYS, K_CALL)  \
    X(MAKE_FUNCTION,            132, GS_ARG_MKFUNC, S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(BUILD_SLICE,              133, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(LOAD_CLOSURE,             135, GS_ARG_FREE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_FAST)  \
    X(LOAD_DEREF,               136, GS_ARG_FREE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(STORE_DEREF,              137, GS_ARG_FREE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(DELETE_DEREF,             138, GS_ARG_FREE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(CALL_FUNCTION_KW,         141, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_ALWAYS, S_ALWAYS, K_CALL)  \
    X(CALL_FUNCTION_EX,         142, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_ALWAYS, S_ALWAYS, K_CALL)  \
    X(SETUP_WITH,               143, GS_ARG_JREL,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_CALL)  \
    X(EXTENDED_ARG,             144, GS_ARG_NUM,    S_NEVER,  S_NEVER,  S_NEVER,  S_NEVER,  K_FAST)  \
    X(LIST_APPEND,              145, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(SET_ADD,                  146, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(MAP_ADD,                  147, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(LOAD_CLASSDEREF,          148, GS_ARG_FREE,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_NAME)  \
    X(SETUP_ASYNC_WITH,         154, GS_ARG_JREL,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_FAST)  \
    X(FORMAT_VALUE,             155, GS_ARG_FORMAT, S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(BUILD_CONST_KEY_MAP,      156, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(BUILD_STRING,             157, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(LOAD_METHOD,              160, GS_ARG_NAME,   S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_ATTR)  \
    X(CALL_METHOD,              161, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_ALWAYS, S_ALWAYS, K_CALL)  \
    X(LIST_EXTEND,              162, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(SET_UPDATE,               163, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(DICT_MERGE,               164, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD) \
    X(DICT_UPDATE,              165, GS_ARG_NUM,    S_ALWAYS, S_ALWAYS, S_NEVER,  S_NEVER,  K_BUILD)

typedef enum {
#define GS_X_ENUM(name, num, arg, t27, c39, c310, c311, cost) OP_##name = num,
    GS_OPCODE_TABLE(GS_X_ENUM)
#undef GS_X_ENUM
} GsOpcode;

#define GS_HAVE_ARGUMENT 90

typedef struct {
    const char *name;   /* NULL for numbers that are not opcodes */
    GsArgKind arg;
    unsigned char cost;      /* GsCostKind */
} GsOpInfo;

/* Indexed by opcode number; filled from GS_OPCODE_TABLE in opcodes.c. */
extern const GsOpInfo gs_opinfo[256];

/* Simulated nanoseconds per kind of work (the simulated clock). */
extern const unsigned gs_op_cost_ns[K_COUNT];
/* Tables the eval loop reads at every instruction are linked inside the
 * one program, never from a shared library: `hidden` lets the compiler
 * address them directly instead of through the global offset table (the
 * library is built position-independent), one load fewer per instruction. */
#define GS_HOT_TABLE __attribute__((visibility("hidden")))

/* The same per opcode number (0 for numbers that are not opcodes). */
extern const unsigned short gs_op_ns[256] GS_HOT_TABLE;

/* ('<', '<=', '==', '!=', '>', '>='), COMPARE_OP's argument. */
extern const char *const gs_cmp_names[6];

#endif
