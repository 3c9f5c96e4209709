/*
 * ast.h -- the syntax tree the parser builds and the compiler reads.
 *
 * It mirrors a subset of Python's own `ast` module (same node names, same
 * fields) so that a student who knows `ast.dump` recognises it.  Nodes are
 * allocated from an arena and freed all at once with the arena.
 *
 * Positions: `lineno` is 1-based, `col` is the 0-based byte offset of the
 * node's first character in its line (CPython's col_offset).
 */
#ifndef GS_AST_H
#define GS_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

typedef struct GsArena GsArena;
GsArena *gs_arena_new(void);
void *gs_arena_alloc(GsArena *a, size_t n);   /* zeroed; aborts on OOM */
char *gs_arena_strndup(GsArena *a, const char *s, size_t n);
/* Makes e (an expression node) the int constant z: C_INT with i, or with
 * s, z's digits in hex, when z does not fit int64. */
struct GsExpr;
void gs_ast_set_int(GsArena *a, struct GsExpr *e, mpz_srcptr z);
void gs_arena_free(GsArena *a);

typedef struct GsExpr GsExpr;
typedef struct GsStmt GsStmt;

/* A growable array of node pointers. */
typedef struct {
    void **items;
    int len, cap;
} GsNodeList;
void gs_list_push(GsArena *a, GsNodeList *l, void *node);
#define GS_NTH(l, i, T) ((T *)(l).items[i])

typedef enum {
    E_CONST, E_NAME, E_ATTR, E_SUBSCRIPT, E_SLICE, E_CALL, E_BINOP, E_UNARYOP,
    E_BOOLOP, E_COMPARE, E_IFEXP, E_LIST, E_TUPLE, E_DICT, E_LISTCOMP, E_DICTCOMP,
    E_SET, E_SETCOMP, E_JOINEDSTR, E_FORMATTED, E_LAMBDA, E_STARRED, E_GENEXP, E_YIELD,
    E_YIELDFROM, E_NAMEDEXPR, E_AWAIT
} GsExprKind;

typedef enum { C_NONE, C_TRUE, C_FALSE, C_INT, C_FLOAT, C_STR, C_ELLIPSIS } GsConstKind;

/* Binary operators, in Python's ast order. */
typedef enum { OP_ADD, OP_SUB, OP_MULT, OP_DIV, OP_FLOORDIV, OP_MOD, OP_POW,
               OP_LSHIFT, OP_RSHIFT, OP_BITOR, OP_BITXOR, OP_BITAND, OP_MATMULT } GsBinOp;
typedef enum { UOP_NOT, UOP_NEG, UOP_POS, UOP_INVERT } GsUnaryOp;
typedef enum { CMP_EQ, CMP_NOTEQ, CMP_LT, CMP_LTE, CMP_GT, CMP_GTE,
               CMP_IS, CMP_ISNOT, CMP_IN, CMP_NOTIN } GsCmpOp;
typedef enum { CTX_LOAD, CTX_STORE, CTX_DEL } GsCtx;

typedef struct {                 /* [async] for x in it if c1 if c2 */
    GsExpr *target, *iter;
    GsNodeList ifs;              /* GsExpr* */
    bool is_async;
} GsComprehension;

typedef struct {                 /* name=value in a call; name NULL for **value */
    const char *name;
    GsExpr *value;
    int lineno, col;
} GsKeyword;

typedef struct {                 /* one parameter */
    const char *name;
    GsExpr *annotation;          /* `name: annotation`, or NULL */
    int lineno, col;
} GsArg;

typedef struct {
    GsNodeList args;             /* GsArg*: positional parameters */
    int posonlyargcount;         /* the first this many of args come before '/' */
    GsNodeList defaults;         /* GsExpr*: for the LAST len(defaults) args */
    GsArg *vararg;               /* *args or NULL */
    GsNodeList kwonlyargs;       /* GsArg* */
    GsNodeList kw_defaults;      /* GsExpr* or NULL, one per kwonly arg */
    GsArg *kwarg;                /* **kwargs or NULL */
} GsArguments;

struct GsExpr {
    GsExprKind kind;
    int lineno, col, end_lineno, end_col;
    union {
        /* C_INT: i; an int beyond int64 has s: its digits in base 16, after
         * a '-' if negative (and i: INT64_MAX or INT64_MIN, by its sign). */
        struct { GsConstKind kind; int64_t i; double f; const char *s; size_t n; } constant;
        struct { const char *id; GsCtx ctx; } name;
        struct { GsExpr *value; const char *attr; GsCtx ctx; } attr;
        struct { GsExpr *value, *slice; GsCtx ctx; } subscript;
        struct { GsExpr *lower, *upper, *step; } slice;        /* each may be NULL */
        struct { GsExpr *func; GsNodeList args; GsNodeList keywords; } call; /* GsExpr*, GsKeyword* */
        struct { GsExpr *left; GsBinOp op; GsExpr *right; } binop;
        struct { GsUnaryOp op; GsExpr *operand; } unaryop;
        struct { bool is_and; GsNodeList values; } boolop;       /* GsExpr*, >= 2 */
        struct { GsExpr *left; GsNodeList ops; GsNodeList comparators; } compare;
            /* ops holds GsCmpOp values cast to (void *)(intptr_t) */
        struct { GsExpr *test, *body, *orelse; } ifexp;
        struct { GsNodeList elts; GsCtx ctx; } seq;             /* E_LIST, E_TUPLE, E_SET */
        struct { GsNodeList keys, values; } dict;  /* a NULL key means **value */
        struct { GsExpr *elt, *value; GsNodeList generators; } comp;
            /* E_LISTCOMP, E_SETCOMP, E_GENEXP: elt; E_DICTCOMP: elt is the key, value
               the value; generators holds GsComprehension* */
        struct { GsNodeList values; } joined;      /* E_CONST (str) and E_FORMATTED */
        struct { GsExpr *value; int conversion; GsExpr *format_spec; } formatted;
            /* conversion: -1 none, 's', 'r', 'a'; format_spec: E_JOINEDSTR or NULL */
        struct { GsArguments *args; GsExpr *body; } lambda;
        struct { GsExpr *value; GsCtx ctx; } starred;
        struct { GsExpr *value; } yield;   /* E_YIELD (value may be NULL), E_YIELDFROM,
                                              E_AWAIT */
        struct { GsExpr *target, *value; } namedexpr;   /* target := value; target a Name */
    } v;
};

typedef enum {
    S_EXPR, S_ASSIGN, S_AUGASSIGN, S_DELETE, S_PASS, S_BREAK, S_CONTINUE, S_IF,
    S_WHILE, S_FOR, S_FUNCTIONDEF, S_CLASSDEF, S_RETURN, S_GLOBAL, S_NONLOCAL,
    S_IMPORT, S_IMPORTFROM, S_WITH, S_TRY, S_RAISE, S_ASSERT, S_ANNASSIGN
} GsStmtKind;

typedef struct {                 /* import a.b as c / from m import x as y */
    const char *name, *asname;   /* asname NULL if none */
} GsAlias;

typedef struct {                 /* with expr as target */
    GsExpr *context_expr, *optional_vars;   /* optional_vars may be NULL */
} GsWithItem;

typedef struct {                 /* except type as name: body */
    GsExpr *type;                /* NULL for a bare except */
    const char *name;            /* NULL if no `as` */
    GsNodeList body;
    int lineno, col;
} GsExceptHandler;

struct GsStmt {
    GsStmtKind kind;
    int lineno, col, end_lineno, end_col;
    union {
        struct { GsExpr *value; } expr;
        struct { GsNodeList targets; GsExpr *value; } assign;  /* a = b = value */
        struct { GsExpr *target; GsBinOp op; GsExpr *value; } augassign;
        struct { GsNodeList targets; } del;
        struct { GsExpr *test; GsNodeList body, orelse; } if_;       /* elif: orelse = [If] */
        struct { GsExpr *test; GsNodeList body, orelse; } while_;
        struct { GsExpr *target, *iter; GsNodeList body, orelse;
                 bool is_async; } for_;                            /* async for */
        struct { const char *name; GsArguments *args; GsNodeList body;
                 GsNodeList decorators; GsExpr *returns;       /* returns: `-> x` or NULL */
                 bool is_async; } funcdef;                      /* async def */
        struct { const char *name; GsNodeList bases; GsNodeList keywords;
                 GsNodeList body; GsNodeList decorators; } classdef;
        struct { GsExpr *value; } return_;                          /* value may be NULL */
        struct { GsNodeList names; } global;                        /* const char* */
        struct { GsNodeList names; } import;                        /* GsAlias* */
        struct { const char *module; GsNodeList names; int level; } importfrom;
        struct { GsNodeList items; GsNodeList body; bool is_async; } with;
                                                  /* GsWithItem*; async with */
        struct { GsNodeList body, handlers, orelse, finalbody; } try_;
        struct { GsExpr *exc, *cause; } raise;                     /* both may be NULL */
        struct { GsExpr *test, *msg; } assert_;
        struct { GsExpr *target, *annotation, *value; bool simple; } annassign;
            /* target: annotation [= value]; value may be NULL; simple: the
               target is a bare name, not in parentheses */
    } v;
};

typedef struct {
    GsNodeList body;             /* GsStmt* */
} GsModuleAst;

/* A syntax error, reported the way python3 reports it. */
typedef struct {
    char msg[256];               /* "expected ':'", "invalid syntax", ... */
    int lineno;                  /* 1-based */
    int col;                     /* 1-based column of the caret (CPython's offset) */
    bool is_indentation;         /* IndentationError rather than SyntaxError */
} GsSyntaxError;

/* Parse a whole file.  Returns NULL and fills *err on a syntax error. */
GsModuleAst *gs_parse(GsArena *arena, const char *source, size_t len, GsSyntaxError *err);

#endif
