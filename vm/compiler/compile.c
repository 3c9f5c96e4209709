/*
 * compile.c -- from the syntax tree to CPython 3.9 bytecode.
 *
 * The goal is not just "bytecode that works" but the bytecode CPython 3.9
 * itself emits, so that `gilscope dis` prints what the lecture's `dis`
 * listings show.  The compiler therefore follows CPython 3.9's
 * Python/compile.c closely, in four passes:
 *
 *   1. fold constants in the tree (CPython's ast_opt.c): `-1`, `2 ** 10`,
 *      `(1, 2)`, `x in [1, 2]` become single constants;
 *   2. a symbol table pass decides for every name in every scope whether
 *      it is local (LOAD_FAST), global (LOAD_GLOBAL / LOAD_NAME), or lives
 *      in a cell shared with an inner function (LOAD_DEREF);
 *   3. code generation emits instructions with symbolic jump labels, using
 *      the same control-flow shapes as CPython 3.9 (`while` tests at the
 *      top, `for` uses GET_ITER / FOR_ITER, `try` uses SETUP_FINALLY);
 *   4. CPython 3.9's peephole optimizer (Python/peephole.c) then rewrites
 *      jumps to jumps, a jump to a return into a return, removes dead code
 *      after a return, folds BUILD_TUPLE of constants, and turns
 *      `a, b = b, a` into ROT_TWO; finally the assembler lays out the
 *      wordcode, EXTENDED_ARG prefixes, the line table and the stack depth.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "compiler.h"
#include "runtime/interp.h"

/* ======================================================================
 * Symbol table
 * ====================================================================== */

enum {  /* flags recorded while walking a scope */
    DEF_LOCAL = 1,      /* assigned, deleted, imported, a def/class name, a loop target */
    DEF_PARAM = 2,
    DEF_GLOBAL = 4,     /* named in a `global` statement */
    DEF_NONLOCAL = 8,
    USE = 16,           /* read */
    DEF_FREE_CLASS = 32,
};

/* What the analysis decides about a name (CPython's scope constants). */
typedef enum { SC_NONE, SC_LOCAL, SC_GLOBAL_EXPLICIT, SC_GLOBAL_IMPLICIT, SC_FREE, SC_CELL }
    GsScope;

typedef enum { ST_MODULE, ST_FUNCTION, ST_CLASS } GsBlockType;

typedef struct {
    const char *name;
    int flags;
    GsScope scope;
} Symbol;

typedef struct SymTab SymTab;
struct SymTab {
    GsBlockType type;
    const void *node;      /* the FunctionDef/ClassDef/Lambda/ListComp node */
    const char *name;
    SymTab *parent;
    SymTab **children;
    int nchildren, capchildren;
    Symbol *syms;
    int nsyms, capsyms;
    int *index;            /* open-addressing hash of syms by name: index + 1, 0 empty */
    int index_cap;         /* a power of two, at least twice nsyms */
    const char **params;   /* parameter names in order */
    int nparams, capparams;
    bool needs_class_closure;  /* a class whose methods use __class__ / super() */
    bool is_comprehension;
    const char *private_name;  /* the innermost enclosing class's name, for mangling */
};

/* ======================================================================
 * Compiler state
 * ====================================================================== */

typedef struct {
    int opcode;
    int arg;
    int target;            /* jump target label, or -1 */
    int lineno;            /* 0: same line as the instruction before */
} Instr;

/* The kinds of CPython's "frame blocks": what `break`, `continue` and
 * `return` must unwind on their way out. */
typedef enum { FB_WHILE_LOOP, FB_FOR_LOOP, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END,
               FB_WITH, FB_HANDLER_CLEANUP, FB_POP_VALUE } FBlockType;

typedef struct {
    FBlockType type;
    int block;             /* label: loop start */
    int exit;              /* label: loop end */
    const void *datum;     /* finally body (GsNodeList *) or handler name */
} FBlock;

/* A hash index over a list being built (co_consts, co_names,
 * co_varnames): position + 1 per slot, 0 empty.  Without it, adding the
 * n-th name searched all n-1 before it, and a module with 50,000 names
 * took half a minute to compile. */
typedef struct {
    int *slots;
    int cap;    /* a power of two, at least twice the list's length */
} ListIndex;

typedef struct Unit Unit;
struct Unit {
    Unit *parent;
    SymTab *ste;
    GsObject *name, *qualname;
    GsObject *consts;      /* list */
    GsObject *names;       /* list of str */
    GsObject *varnames;    /* list of str */
    GsObject *cellvars;    /* list of str (sorted) */
    GsObject *freevars;    /* list of str (sorted) */
    ListIndex consts_ix, names_ix, varnames_ix;   /* indexes of the three lists above */
    Instr *code;
    int ncode, capcode;
    int *labels;           /* label -> instruction index (-1: not placed) */
    int nlabels, caplabels;
    FBlock fblocks[GS_MAX_BLOCKS];
    int nfblocks;
    int argcount, kwonlyargcount;
    int arg_flags;         /* GS_CO_VARARGS / GS_CO_VARKEYWORDS */
    int firstlineno;
    int lineno;            /* line of the statement / expression being compiled */
    bool lineno_set;       /* an instruction already carries `lineno` */
    bool block_returns;    /* the current basic block contains RETURN_VALUE */
    bool do_not_emit;      /* compiling dead code: `if 0:` bodies */
};

typedef struct {
    GsThread *ts;
    GsArena *arena;
    const char *filename;
    GsObject *filename_obj;
    SymTab *top;
    Unit *u;
    GsSyntaxError *err;
    jmp_buf fail;          /* compile errors and out-of-memory unwind to gs_compile */
    bool py_error;         /* the failure is a Python exception already set */
} Compiler;

static void cerror(Compiler *c, int lineno, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), noreturn));

static void cerror(Compiler *c, int lineno, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
    c->err->lineno = lineno;
    c->err->col = col + 1;
    longjmp(c->fail, 1);
}

/* A Python exception (MemoryError) escaped a runtime call. */
static void cfail(Compiler *c)
{
    c->py_error = true;
    longjmp(c->fail, 1);
}

static GsObject *chk(Compiler *c, GsObject *o)
{
    if (!o)
        cfail(c);
    return o;
}

static void *xgrow(void *p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return p;
    int n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, (size_t)n * elem);
    if (!q) {
        fprintf(stderr, "gilscope: out of memory in the compiler\n");
        abort();
    }
    *cap = n;
    return q;
}

/* ---- symbol table construction -------------------------------------------- */

static SymTab *st_new(Compiler *c, GsBlockType type, const char *name, const void *node,
                      SymTab *parent)
{
    SymTab *st = gs_arena_alloc(c->arena, sizeof *st);
    st->type = type;
    st->name = name;
    st->node = node;
    st->parent = parent;
    /* A class body mangles with its own name; everything else inherits. */
    st->private_name = type == ST_CLASS ? name : parent ? parent->private_name : NULL;
    if (parent) {
        parent->children = xgrow(parent->children, &parent->capchildren,
                                 parent->nchildren + 1, sizeof(SymTab *));
        parent->children[parent->nchildren++] = st;
    }
    return st;
}

/* Private name mangling (CPython's _Py_Mangle): inside class C, an
 * identifier __x (not ending in __) becomes _C__x; C's leading underscores
 * are dropped. */
static const char *mangle(Compiler *c, const char *private_name, const char *name)
{
    if (!private_name || name[0] != '_' || name[1] != '_')
        return name;
    size_t n = strlen(name);
    if ((n >= 2 && name[n - 1] == '_' && name[n - 2] == '_') || strchr(name, '.'))
        return name;
    while (*private_name == '_')
        private_name++;
    if (!*private_name)
        return name;
    size_t pn = strlen(private_name);
    char *m = gs_arena_alloc(c->arena, pn + n + 2);
    m[0] = '_';
    memcpy(m + 1, private_name, pn);
    memcpy(m + 1 + pn, name, n + 1);
    return m;
}

/* Names are looked up by hash: a module may define tens of thousands of
 * them, and a linear search made compiling such a file quadratic. */
static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static Symbol *st_lookup(SymTab *st, const char *name)
{
    if (!st->index_cap)
        return NULL;
    unsigned mask = (unsigned)st->index_cap - 1;
    for (unsigned i = name_hash(name) & mask; st->index[i]; i = (i + 1) & mask)
        if (strcmp(st->syms[st->index[i] - 1].name, name) == 0)
            return &st->syms[st->index[i] - 1];
    return NULL;
}

static void st_index_add(SymTab *st, int k)
{
    if (2 * (st->nsyms + 1) > st->index_cap) {
        int cap = st->index_cap ? st->index_cap * 2 : 16;
        int *index = calloc((size_t)cap, sizeof *index);
        if (!index) {
            fprintf(stderr, "gilscope: out of memory\n");
            abort();
        }
        free(st->index);
        st->index = index;
        st->index_cap = cap;
        for (int j = 0; j < k; j++) {
            unsigned i = name_hash(st->syms[j].name) & (unsigned)(cap - 1);
            while (index[i])
                i = (i + 1) & (unsigned)(cap - 1);
            index[i] = j + 1;
        }
    }
    unsigned mask = (unsigned)st->index_cap - 1, i = name_hash(st->syms[k].name) & mask;
    while (st->index[i])
        i = (i + 1) & mask;
    st->index[i] = k + 1;
}

static void st_add(Compiler *c, SymTab *st, const char *name, int flag, int lineno, int col)
{
    name = mangle(c, st->private_name, name);
    Symbol *s = st_lookup(st, name);
    if (!s) {
        st->syms = xgrow(st->syms, &st->capsyms, st->nsyms + 1, sizeof(Symbol));
        s = &st->syms[st->nsyms];
        s->name = name;
        s->flags = 0;
        s->scope = SC_NONE;
        st_index_add(st, st->nsyms);
        st->nsyms++;
    }
    if ((flag & DEF_PARAM) && (s->flags & DEF_PARAM))
        cerror(c, lineno, col, "duplicate argument '%s' in function definition", name);
    if ((flag & (DEF_LOCAL | USE)) && (s->flags & DEF_GLOBAL) == 0 && st->type != ST_MODULE) {
        /* fine */
    }
    s->flags |= flag;
    if (flag & DEF_PARAM) {
        st->params = xgrow(st->params, &st->capparams, st->nparams + 1, sizeof(char *));
        st->params[st->nparams++] = name;
    }
}

static void st_visit_expr(Compiler *c, SymTab *st, GsExpr *e);
static void st_visit_stmts(Compiler *c, SymTab *st, GsNodeList *l);

static void st_visit_exprs(Compiler *c, SymTab *st, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        if (l->items[i])
            st_visit_expr(c, st, GS_NTH(*l, i, GsExpr));
}

static void st_visit_args(Compiler *c, SymTab *st, GsArguments *a)
{
    for (int i = 0; i < a->args.len; i++) {
        GsArg *arg = GS_NTH(a->args, i, GsArg);
        st_add(c, st, arg->name, DEF_PARAM | DEF_LOCAL, arg->lineno, arg->col);
    }
    for (int i = 0; i < a->kwonlyargs.len; i++) {
        GsArg *arg = GS_NTH(a->kwonlyargs, i, GsArg);
        st_add(c, st, arg->name, DEF_PARAM | DEF_LOCAL, arg->lineno, arg->col);
    }
    if (a->vararg)
        st_add(c, st, a->vararg->name, DEF_PARAM | DEF_LOCAL, a->vararg->lineno, a->vararg->col);
    if (a->kwarg)
        st_add(c, st, a->kwarg->name, DEF_PARAM | DEF_LOCAL, a->kwarg->lineno, a->kwarg->col);
}

/* CPython orders parameters: positional, keyword-only, *args, **kwargs. */
static void st_visit_comprehension(Compiler *c, SymTab *st, GsExpr *e)
{
    GsComprehension *first = GS_NTH(e->v.comp.generators, 0, GsComprehension);
    /* The outermost iterable is evaluated in the enclosing scope. */
    st_visit_expr(c, st, first->iter);
    SymTab *inner = st_new(c, ST_FUNCTION, e->kind == E_LISTCOMP ? "listcomp" : "dictcomp",
                           e, st);
    inner->is_comprehension = true;
    st_add(c, inner, ".0", DEF_PARAM | DEF_LOCAL, e->lineno, e->col);
    for (int i = 0; i < e->v.comp.generators.len; i++) {
        GsComprehension *g = GS_NTH(e->v.comp.generators, i, GsComprehension);
        st_visit_expr(c, inner, g->target);
        if (i > 0)
            st_visit_expr(c, inner, g->iter);
        st_visit_exprs(c, inner, &g->ifs);
    }
    st_visit_expr(c, inner, e->v.comp.elt);
    if (e->v.comp.value)
        st_visit_expr(c, inner, e->v.comp.value);
}

static void st_visit_expr(Compiler *c, SymTab *st, GsExpr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case E_CONST:
        break;
    case E_NAME:
        st_add(c, st, e->v.name.id, e->v.name.ctx == CTX_LOAD ? USE : DEF_LOCAL, e->lineno,
               e->col);
        /* Zero-argument super() needs the implicit __class__ cell. */
        if (e->v.name.ctx == CTX_LOAD && strcmp(e->v.name.id, "super") == 0 &&
            st->type == ST_FUNCTION)
            st_add(c, st, "__class__", USE, e->lineno, e->col);
        break;
    case E_ATTR:
        st_visit_expr(c, st, e->v.attr.value);
        break;
    case E_SUBSCRIPT:
        st_visit_expr(c, st, e->v.subscript.value);
        st_visit_expr(c, st, e->v.subscript.slice);
        break;
    case E_SLICE:
        st_visit_expr(c, st, e->v.slice.lower);
        st_visit_expr(c, st, e->v.slice.upper);
        st_visit_expr(c, st, e->v.slice.step);
        break;
    case E_CALL:
        st_visit_expr(c, st, e->v.call.func);
        st_visit_exprs(c, st, &e->v.call.args);
        for (int i = 0; i < e->v.call.keywords.len; i++)
            st_visit_expr(c, st, GS_NTH(e->v.call.keywords, i, GsKeyword)->value);
        break;
    case E_BINOP:
        st_visit_expr(c, st, e->v.binop.left);
        st_visit_expr(c, st, e->v.binop.right);
        break;
    case E_UNARYOP:
        st_visit_expr(c, st, e->v.unaryop.operand);
        break;
    case E_BOOLOP:
        st_visit_exprs(c, st, &e->v.boolop.values);
        break;
    case E_COMPARE:
        st_visit_expr(c, st, e->v.compare.left);
        st_visit_exprs(c, st, &e->v.compare.comparators);
        break;
    case E_IFEXP:
        st_visit_expr(c, st, e->v.ifexp.test);
        st_visit_expr(c, st, e->v.ifexp.body);
        st_visit_expr(c, st, e->v.ifexp.orelse);
        break;
    case E_LIST:
    case E_TUPLE:
        st_visit_exprs(c, st, &e->v.seq.elts);
        break;
    case E_DICT:
        st_visit_exprs(c, st, &e->v.dict.keys);
        st_visit_exprs(c, st, &e->v.dict.values);
        break;
    case E_LISTCOMP:
    case E_DICTCOMP:
        st_visit_comprehension(c, st, e);
        break;
    case E_JOINEDSTR:
        st_visit_exprs(c, st, &e->v.joined.values);
        break;
    case E_FORMATTED:
        st_visit_expr(c, st, e->v.formatted.value);
        st_visit_expr(c, st, e->v.formatted.format_spec);
        break;
    case E_LAMBDA: {
        GsArguments *a = e->v.lambda.args;
        st_visit_exprs(c, st, &a->defaults);
        st_visit_exprs(c, st, &a->kw_defaults);
        SymTab *inner = st_new(c, ST_FUNCTION, "lambda", e, st);
        st_visit_args(c, inner, a);
        st_visit_expr(c, inner, e->v.lambda.body);
        break;
    }
    case E_STARRED:
        st_visit_expr(c, st, e->v.starred.value);
        break;
    }
}

static void st_visit_stmt(Compiler *c, SymTab *st, GsStmt *s)
{
    switch (s->kind) {
    case S_EXPR:
        st_visit_expr(c, st, s->v.expr.value);
        break;
    case S_ASSIGN:
        st_visit_expr(c, st, s->v.assign.value);
        st_visit_exprs(c, st, &s->v.assign.targets);
        break;
    case S_AUGASSIGN:
        st_visit_expr(c, st, s->v.augassign.target);
        if (s->v.augassign.target->kind == E_NAME)
            st_add(c, st, s->v.augassign.target->v.name.id, USE, s->lineno, s->col);
        st_visit_expr(c, st, s->v.augassign.value);
        break;
    case S_DELETE:
        st_visit_exprs(c, st, &s->v.del.targets);
        break;
    case S_IF:
        st_visit_expr(c, st, s->v.if_.test);
        st_visit_stmts(c, st, &s->v.if_.body);
        st_visit_stmts(c, st, &s->v.if_.orelse);
        break;
    case S_WHILE:
        st_visit_expr(c, st, s->v.while_.test);
        st_visit_stmts(c, st, &s->v.while_.body);
        st_visit_stmts(c, st, &s->v.while_.orelse);
        break;
    case S_FOR:
        st_visit_expr(c, st, s->v.for_.target);
        st_visit_expr(c, st, s->v.for_.iter);
        st_visit_stmts(c, st, &s->v.for_.body);
        st_visit_stmts(c, st, &s->v.for_.orelse);
        break;
    case S_FUNCTIONDEF: {
        GsArguments *a = s->v.funcdef.args;
        st_add(c, st, s->v.funcdef.name, DEF_LOCAL, s->lineno, s->col);
        st_visit_exprs(c, st, &a->defaults);
        st_visit_exprs(c, st, &a->kw_defaults);
        st_visit_exprs(c, st, &s->v.funcdef.decorators);
        SymTab *inner = st_new(c, ST_FUNCTION, s->v.funcdef.name, s, st);
        st_visit_args(c, inner, a);
        st_visit_stmts(c, inner, &s->v.funcdef.body);
        break;
    }
    case S_CLASSDEF: {
        st_add(c, st, s->v.classdef.name, DEF_LOCAL, s->lineno, s->col);
        st_visit_exprs(c, st, &s->v.classdef.bases);
        for (int i = 0; i < s->v.classdef.keywords.len; i++)
            st_visit_expr(c, st, GS_NTH(s->v.classdef.keywords, i, GsKeyword)->value);
        st_visit_exprs(c, st, &s->v.classdef.decorators);
        SymTab *inner = st_new(c, ST_CLASS, s->v.classdef.name, s, st);
        st_visit_stmts(c, inner, &s->v.classdef.body);
        break;
    }
    case S_RETURN:
        if (st->type != ST_FUNCTION)
            cerror(c, s->lineno, s->col, "'return' outside function");
        st_visit_expr(c, st, s->v.return_.value);
        break;
    case S_GLOBAL:
    case S_NONLOCAL:
        for (int i = 0; i < s->v.global.names.len; i++) {
            const char *n = GS_NTH(s->v.global.names, i, const char);
            Symbol *sym = st_lookup(st, n);
            bool is_global = s->kind == S_GLOBAL;
            if (sym && (sym->flags & (DEF_LOCAL | USE | DEF_PARAM)) && !(sym->flags & (DEF_GLOBAL | DEF_NONLOCAL))) {
                if (sym->flags & DEF_PARAM)
                    cerror(c, s->lineno, s->col, "name '%s' is parameter and %s", n,
                           is_global ? "global" : "nonlocal");
                cerror(c, s->lineno, s->col, "name '%s' is %s before %s declaration", n,
                       (sym->flags & DEF_LOCAL) ? "assigned to" : "used prior to",
                       is_global ? "global" : "nonlocal");
            }
            if (!is_global && st->type == ST_MODULE)
                cerror(c, s->lineno, s->col, "nonlocal declaration not allowed at module level");
            st_add(c, st, n, is_global ? DEF_GLOBAL : DEF_NONLOCAL, s->lineno, s->col);
            /* As in CPython's symtable, `global x` anywhere also makes x
             * explicitly global at module level (STORE_GLOBAL there). */
            if (is_global && st != c->top)
                st_add(c, c->top, n, DEF_GLOBAL, s->lineno, s->col);
        }
        break;
    case S_IMPORT:
        for (int i = 0; i < s->v.import.names.len; i++) {
            GsAlias *a = GS_NTH(s->v.import.names, i, GsAlias);
            const char *n = a->asname;
            if (!n) {
                const char *dot = strchr(a->name, '.');
                n = dot ? gs_arena_strndup(c->arena, a->name, (size_t)(dot - a->name)) : a->name;
            }
            st_add(c, st, n, DEF_LOCAL, s->lineno, s->col);
        }
        break;
    case S_IMPORTFROM:
        for (int i = 0; i < s->v.importfrom.names.len; i++) {
            GsAlias *a = GS_NTH(s->v.importfrom.names, i, GsAlias);
            if (strcmp(a->name, "*") == 0)
                cerror(c, s->lineno, s->col, "gilscope does not support 'import *'");
            st_add(c, st, a->asname ? a->asname : a->name, DEF_LOCAL, s->lineno, s->col);
        }
        break;
    case S_WITH:
        for (int i = 0; i < s->v.with.items.len; i++) {
            GsWithItem *w = GS_NTH(s->v.with.items, i, GsWithItem);
            st_visit_expr(c, st, w->context_expr);
            st_visit_expr(c, st, w->optional_vars);
        }
        st_visit_stmts(c, st, &s->v.with.body);
        break;
    case S_TRY:
        st_visit_stmts(c, st, &s->v.try_.body);
        for (int i = 0; i < s->v.try_.handlers.len; i++) {
            GsExceptHandler *h = GS_NTH(s->v.try_.handlers, i, GsExceptHandler);
            st_visit_expr(c, st, h->type);
            if (h->name)
                st_add(c, st, h->name, DEF_LOCAL, h->lineno, h->col);
            st_visit_stmts(c, st, &h->body);
        }
        st_visit_stmts(c, st, &s->v.try_.orelse);
        st_visit_stmts(c, st, &s->v.try_.finalbody);
        break;
    case S_RAISE:
        st_visit_expr(c, st, s->v.raise.exc);
        st_visit_expr(c, st, s->v.raise.cause);
        break;
    case S_ASSERT:
        st_visit_expr(c, st, s->v.assert_.test);
        st_visit_expr(c, st, s->v.assert_.msg);
        break;
    case S_PASS:
    case S_BREAK:
    case S_CONTINUE:
        break;
    }
}

static void st_visit_stmts(Compiler *c, SymTab *st, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        st_visit_stmt(c, st, GS_NTH(*l, i, GsStmt));
}

/* ---- symbol analysis ---------------------------------------------------------
 * Decide each name's scope, inner scopes first: a name an inner function
 * uses but does not bind is FREE there, and becomes a CELL in the nearest
 * enclosing function that binds it (CPython's analyze_block). */

static bool binds(SymTab *st, const char *name)
{
    Symbol *s = st_lookup(st, name);
    return s && (s->flags & (DEF_LOCAL | DEF_PARAM)) && !(s->flags & (DEF_GLOBAL | DEF_NONLOCAL));
}

/* Is `name` bound by an enclosing function scope of st (classes skipped)? */
static SymTab *binding_function(SymTab *st, const char *name)
{
    for (SymTab *p = st->parent; p; p = p->parent) {
        if (p->type == ST_MODULE)
            return NULL;
        if (p->type == ST_FUNCTION) {
            Symbol *s = st_lookup(p, name);
            if (s && (s->flags & DEF_GLOBAL))
                return NULL;
            if (binds(p, name))
                return p;
        }
    }
    return NULL;
}

/* Make `name` available as a free variable from st up to its binder. */
static void add_free_path(Compiler *c, SymTab *st, SymTab *binder, const char *name)
{
    for (SymTab *p = st; p && p != binder; p = p->parent) {
        Symbol *s = st_lookup(p, name);
        if (!s) {
            st_add(c, p, name, p->type == ST_CLASS ? DEF_FREE_CLASS : USE, 0, 0);
            s = st_lookup(p, name);
        } else if (p->type == ST_CLASS) {
            s->flags |= DEF_FREE_CLASS;
        }
        if (p->type == ST_FUNCTION || s->scope == SC_NONE || !(s->flags & DEF_LOCAL))
            s->scope = p->type == ST_CLASS && (s->flags & DEF_LOCAL) ? s->scope : SC_FREE;
    }
    Symbol *bs = st_lookup(binder, name);
    if (bs)
        bs->scope = SC_CELL;
}

static void analyze(Compiler *c, SymTab *st)
{
    for (int i = 0; i < st->nsyms; i++) {
        Symbol *s = &st->syms[i];
        if (s->scope != SC_NONE)
            continue;
        if (s->flags & DEF_GLOBAL)
            s->scope = SC_GLOBAL_EXPLICIT;
        else if (s->flags & DEF_NONLOCAL) {
            SymTab *b = binding_function(st, s->name);
            if (!b)
                cerror(c, 1, 0, "no binding for nonlocal '%s' found", s->name);
            s->scope = SC_FREE;
        } else if (st->type == ST_MODULE)
            s->scope = (s->flags & DEF_LOCAL) ? SC_LOCAL : SC_GLOBAL_IMPLICIT;
        else if (s->flags & (DEF_LOCAL | DEF_PARAM))
            s->scope = SC_LOCAL;
        else
            s->scope = SC_GLOBAL_IMPLICIT;
    }
    for (int i = 0; i < st->nchildren; i++)
        analyze(c, st->children[i]);
    /* Free names of children resolve against this scope or further out. */
    for (int i = 0; i < st->nchildren; i++) {
        SymTab *ch = st->children[i];
        for (int j = 0; j < ch->nsyms; j++) {
            Symbol *s = &ch->syms[j];
            bool wants = s->scope == SC_GLOBAL_IMPLICIT || s->scope == SC_FREE;
            if (!wants)
                continue;
            if (strcmp(s->name, "__class__") == 0 && st->type == ST_CLASS) {
                st->needs_class_closure = true;
                s->scope = SC_FREE;
                continue;
            }
            SymTab *b = NULL;
            if (st->type == ST_FUNCTION && binds(st, s->name))
                b = st;
            else if (st->type != ST_MODULE)
                b = binding_function(st, s->name);
            if (b)
                add_free_path(c, ch, b, s->name);
            else if (strcmp(s->name, "__class__") == 0 && st->type == ST_FUNCTION) {
                /* super() in a lambda or comprehension inside a method: pass
                 * __class__ through the method to the class above. */
                add_free_path(c, ch, st, s->name);
                if (!st_lookup(st, s->name))
                    st_add(c, st, s->name, USE, 0, 0);
                st_lookup(st, s->name)->scope = SC_FREE;
            }
        }
    }
}

static SymTab *st_find(SymTab *st, const void *node)
{
    for (int i = 0; i < st->nchildren; i++)
        if (st->children[i]->node == node)
            return st->children[i];
    return NULL;
}

static GsScope scope_of(Unit *u, const char *name)
{
    Symbol *s = st_lookup(u->ste, name);
    if (strcmp(name, "__class__") == 0 && u->ste->type == ST_CLASS && u->ste->needs_class_closure)
        return SC_CELL;
    return s ? s->scope : (u->ste->type == ST_MODULE ? SC_GLOBAL_IMPLICIT : SC_GLOBAL_IMPLICIT);
}

/* ======================================================================
 * Constant folding (CPython's ast_opt.c, the parts our subset needs)
 * ====================================================================== */

static bool is_const(GsExpr *e) { return e && e->kind == E_CONST; }

static GsExpr *fold_const_tuple(Compiler *c, GsExpr *e);

/* Turn an E_CONST into a runtime object (new reference). */
static GsObject *const_object(Compiler *c, GsExpr *e);

static void fold_expr(Compiler *c, GsExpr *e);

static void fold_exprs(Compiler *c, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        if (l->items[i])
            fold_expr(c, GS_NTH(*l, i, GsExpr));
}

/* Constants of tuple type are kept as E_TUPLE nodes flagged by a
 * CTX value that no other node uses; const_object builds them. */
#define CTX_CONST_TUPLE 99

static bool is_constish(GsExpr *e)
{
    return is_const(e) || (e && e->kind == E_TUPLE && e->v.seq.ctx == CTX_CONST_TUPLE);
}

static GsExpr *fold_const_tuple(Compiler *c, GsExpr *e)
{
    for (int i = 0; i < e->v.seq.elts.len; i++)
        if (!is_constish(GS_NTH(e->v.seq.elts, i, GsExpr)))
            return e;
    e->v.seq.ctx = CTX_CONST_TUPLE;
    return e;
}

static void make_int(GsExpr *e, int64_t v)
{
    e->kind = E_CONST;
    e->v.constant.kind = C_INT;
    e->v.constant.i = v;
}

static void make_float(GsExpr *e, double v)
{
    e->kind = E_CONST;
    e->v.constant.kind = C_FLOAT;
    e->v.constant.f = v;
}

static bool num_value(GsExpr *e, bool *isint, int64_t *i, double *f)
{
    if (!is_const(e))
        return false;
    switch (e->v.constant.kind) {
    case C_INT: *isint = true; *i = e->v.constant.i; *f = (double)*i; return true;
    case C_TRUE: *isint = true; *i = 1; *f = 1; return true;
    case C_FALSE: *isint = true; *i = 0; *f = 0; return true;
    case C_FLOAT: *isint = false; *f = e->v.constant.f; return true;
    default: return false;
    }
}

/* Fold a binary operation on two numeric constants when the result is
 * exact and small, as ast_opt.c does; anything that would raise at run
 * time (division by zero, overflow) is left for run time. */
static void fold_binop(GsExpr *e)
{
    bool li, ri;
    int64_t a = 0, b = 0, r;
    double x, y;
    if (!num_value(e->v.binop.left, &li, &a, &x) || !num_value(e->v.binop.right, &ri, &b, &y))
        return;
    GsBinOp op = e->v.binop.op;
    bool both_bool = is_const(e->v.binop.left) && is_const(e->v.binop.right) &&
                     (e->v.binop.left->v.constant.kind == C_TRUE ||
                      e->v.binop.left->v.constant.kind == C_FALSE) &&
                     (e->v.binop.right->v.constant.kind == C_TRUE ||
                      e->v.binop.right->v.constant.kind == C_FALSE);
    if (both_bool && (op == OP_BITAND || op == OP_BITOR || op == OP_BITXOR)) {
        int64_t v = op == OP_BITAND ? a & b : op == OP_BITOR ? a | b : a ^ b;
        e->kind = E_CONST;
        e->v.constant.kind = v ? C_TRUE : C_FALSE;
        return;
    }
    if (li && ri) {
        switch (op) {
        case OP_ADD: if (!__builtin_add_overflow(a, b, &r)) make_int(e, r); return;
        case OP_SUB: if (!__builtin_sub_overflow(a, b, &r)) make_int(e, r); return;
        case OP_MULT: if (!__builtin_mul_overflow(a, b, &r)) make_int(e, r); return;
        case OP_POW:
            if (b >= 0 && b <= 128) {
                r = 1;
                for (int64_t k = 0; k < b; k++)
                    if (__builtin_mul_overflow(r, a, &r))
                        return;
                make_int(e, r);
            } else if (b < 0 && a != 0) {
                make_float(e, pow((double)a, (double)b));
            }
            return;
        case OP_DIV: if (b != 0) make_float(e, (double)a / (double)b); return;
        case OP_FLOORDIV:
        case OP_MOD:
            if (b != 0 && !(a == INT64_MIN && b == -1)) {
                int64_t q = a / b, m = a % b;
                if (m != 0 && ((m < 0) != (b < 0))) { q -= 1; m += b; }
                make_int(e, op == OP_MOD ? m : q);
            }
            return;
        case OP_LSHIFT:
            if (b >= 0 && b < 63 && (a >= 0 ? a <= (INT64_MAX >> b) : a >= (INT64_MIN >> b)))
                make_int(e, (int64_t)((uint64_t)a << b));
            return;
        case OP_RSHIFT: if (b >= 0 && b < 63) make_int(e, a >> b); return;
        case OP_BITAND: make_int(e, a & b); return;
        case OP_BITOR: make_int(e, a | b); return;
        case OP_BITXOR: make_int(e, a ^ b); return;
        default: return;
        }
    }
    switch (op) {
    case OP_ADD: make_float(e, x + y); return;
    case OP_SUB: make_float(e, x - y); return;
    case OP_MULT: make_float(e, x * y); return;
    case OP_DIV: if (y != 0) make_float(e, x / y); return;
    case OP_FLOORDIV:
    case OP_MOD:
        if (y != 0) {
            /* Python's float floor division and modulo (see ops.c). */
            double m = fmod(x, y), div = (x - m) / y;
            if (m && ((y < 0) != (m < 0))) {
                m += y;
                div -= 1.0;
            }
            if (!m)
                m = copysign(0.0, y);
            double fl = div ? floor(div) : copysign(0.0, x / y);
            if (div && div - fl > 0.5)
                fl += 1.0;
            make_float(e, op == OP_MOD ? m : fl);
        }
        return;
    case OP_POW:
        if (!(x == 0 && y < 0) && !(x < 0 && y != floor(y)) && isfinite(pow(x, y)))
            make_float(e, pow(x, y));
        return;
    default: return;
    }
}

/* (1, 2)[0], 'abc'[1]; tuple + tuple and tuple * n (at most 256 items):
 * ast_opt.c folds these too. */
static void fold_subscript(GsExpr *e)
{
    GsExpr *v = e->v.subscript.value, *k = e->v.subscript.slice;
    if (e->v.subscript.ctx != CTX_LOAD || !is_const(k) || k->v.constant.kind != C_INT)
        return;
    int64_t i = k->v.constant.i;
    if (v->kind == E_TUPLE && v->v.seq.ctx == CTX_CONST_TUPLE) {
        int64_t n = v->v.seq.elts.len;
        if (i < 0)
            i += n;
        if (i >= 0 && i < n)
            *e = *GS_NTH(v->v.seq.elts, i, GsExpr);
    } else if (is_const(v) && v->v.constant.kind == C_STR) {
        /* ASCII only: the index counts characters, not bytes. */
        const char *str = v->v.constant.s;
        int64_t n = (int64_t)v->v.constant.n;
        for (int64_t j = 0; j < n; j++)
            if ((unsigned char)str[j] >= 0x80)
                return;
        if (i < 0)
            i += n;
        if (i >= 0 && i < n) {
            e->kind = E_CONST;
            e->v.constant.kind = C_STR;
            e->v.constant.s = str + i;
            e->v.constant.n = 1;
        }
    }
}

static void fold_tuple_binop(Compiler *c, GsExpr *e)
{
    GsExpr *l = e->v.binop.left, *r = e->v.binop.right;
    bool lt = l->kind == E_TUPLE && l->v.seq.ctx == CTX_CONST_TUPLE;
    bool rt = r->kind == E_TUPLE && r->v.seq.ctx == CTX_CONST_TUPLE;
    GsNodeList out = { 0 };
    if (e->v.binop.op == OP_ADD && lt && rt) {
        if (l->v.seq.elts.len + r->v.seq.elts.len > 256)
            return;
        for (int i = 0; i < l->v.seq.elts.len; i++)
            gs_list_push(c->arena, &out, l->v.seq.elts.items[i]);
        for (int i = 0; i < r->v.seq.elts.len; i++)
            gs_list_push(c->arena, &out, r->v.seq.elts.items[i]);
    } else if (e->v.binop.op == OP_MULT && (lt || rt)) {
        GsExpr *t = lt ? l : r, *n = lt ? r : l;
        bool isint;
        int64_t k;
        double f;
        if (!num_value(n, &isint, &k, &f) || !isint || k < 0 ||
            (t->v.seq.elts.len && k > 256 / t->v.seq.elts.len))
            return;
        for (int64_t j = 0; j < k; j++)
            for (int i = 0; i < t->v.seq.elts.len; i++)
                gs_list_push(c->arena, &out, t->v.seq.elts.items[i]);
    } else {
        return;
    }
    e->kind = E_TUPLE;
    e->v.seq.elts = out;
    e->v.seq.ctx = CTX_CONST_TUPLE;
}

/* `not a in b` is `a not in b` (and is / is not likewise), as ast_opt.c folds it. */
static bool fold_not_compare(GsExpr *e)
{
    GsExpr *o = e->v.unaryop.operand;
    if (e->v.unaryop.op != UOP_NOT || o->kind != E_COMPARE || o->v.compare.ops.len != 1)
        return false;
    static const struct { GsCmpOp from, to; } inv[] = {
        { CMP_IN, CMP_NOTIN }, { CMP_NOTIN, CMP_IN }, { CMP_IS, CMP_ISNOT }, { CMP_ISNOT, CMP_IS },
    };
    GsCmpOp op = (GsCmpOp)(intptr_t)o->v.compare.ops.items[0];
    for (size_t i = 0; i < sizeof inv / sizeof inv[0]; i++) {
        if (inv[i].from == op) {
            o->v.compare.ops.items[0] = (void *)(intptr_t)inv[i].to;
            int l = e->lineno, col = e->col, el = e->end_lineno, ec = e->end_col;
            *e = *o;
            e->lineno = l;
            e->col = col;
            e->end_lineno = el;
            e->end_col = ec;
            return true;
        }
    }
    return false;
}

static void fold_unary(GsExpr *e)
{
    if (fold_not_compare(e))
        return;
    GsExpr *o = e->v.unaryop.operand;
    bool isint;
    int64_t i;
    double f;
    if (e->v.unaryop.op == UOP_NOT) {
        if (o->kind == E_TUPLE && o->v.seq.ctx == CTX_CONST_TUPLE) {
            e->kind = E_CONST;
            e->v.constant.kind = o->v.seq.elts.len ? C_FALSE : C_TRUE;
            return;
        }
        if (!is_const(o))
            return;
        GsConstKind k = o->v.constant.kind;
        bool truth;
        switch (k) {
        case C_NONE: case C_FALSE: truth = false; break;
        case C_TRUE: case C_ELLIPSIS: truth = true; break;
        case C_INT: truth = o->v.constant.i != 0; break;
        case C_FLOAT: truth = o->v.constant.f != 0; break;
        case C_STR: truth = o->v.constant.n != 0; break;
        default: return;
        }
        e->kind = E_CONST;
        e->v.constant.kind = truth ? C_FALSE : C_TRUE;
        return;
    }
    if (!num_value(o, &isint, &i, &f))
        return;
    if (e->v.unaryop.op == UOP_NEG) {
        if (isint && i != INT64_MIN)
            make_int(e, -i);
        else if (!isint)
            make_float(e, -f);
    } else if (e->v.unaryop.op == UOP_POS) {
        if (isint)
            make_int(e, i);
        else
            make_float(e, f);
    } else if (e->v.unaryop.op == UOP_INVERT && isint) {
        make_int(e, ~i);
    }
}

/* `x in [1, 2]` and `for x in [1, 2]`: a list of constants becomes a tuple
 * constant (fold_iter in ast_opt.c). */
static void fold_iter(GsExpr *e)
{
    if (!e || e->kind != E_LIST)
        return;
    for (int i = 0; i < e->v.seq.elts.len; i++)
        if (GS_NTH(e->v.seq.elts, i, GsExpr)->kind == E_STARRED)
            return;
    e->kind = E_TUPLE;   /* a list that is only iterated may as well be a tuple */
    fold_const_tuple(NULL, e);
}

/* "ab" + "cd" and "-" * 40 fold too, up to CPython's 4096-character limit. */
static void fold_str_binop(Compiler *c, GsExpr *e)
{
    GsExpr *l = e->v.binop.left, *r = e->v.binop.right;
    if (!is_const(l) || !is_const(r))
        return;
    if (e->v.binop.op == OP_ADD && l->v.constant.kind == C_STR && r->v.constant.kind == C_STR) {
        size_t n = l->v.constant.n + r->v.constant.n;
        char *s = gs_arena_alloc(c->arena, n + 1);
        memcpy(s, l->v.constant.s, l->v.constant.n);
        memcpy(s + l->v.constant.n, r->v.constant.s, r->v.constant.n);
        e->kind = E_CONST;
        e->v.constant.kind = C_STR;
        e->v.constant.s = s;
        e->v.constant.n = n;
        return;
    }
    if (e->v.binop.op != OP_MULT)
        return;
    GsExpr *str = l->v.constant.kind == C_STR ? l : r, *num = str == l ? r : l;
    bool isint;
    int64_t k;
    double f;
    if (str->v.constant.kind != C_STR || !num_value(num, &isint, &k, &f) || !isint || k < 0)
        return;   /* ast_opt.c leaves a negative count for run time */
    size_t n = str->v.constant.n;
    if (n && (uint64_t)k > 4096 / n)
        return;
    char *s = gs_arena_alloc(c->arena, n * (size_t)k + 1);
    for (int64_t i = 0; i < k; i++)
        memcpy(s + (size_t)i * n, str->v.constant.s, n);
    e->kind = E_CONST;
    e->v.constant.kind = C_STR;
    e->v.constant.s = s;
    e->v.constant.n = n * (size_t)k;
}

static void fold_expr(Compiler *c, GsExpr *e)
{
    switch (e->kind) {
    case E_BINOP:
        fold_expr(c, e->v.binop.left);
        fold_expr(c, e->v.binop.right);
        fold_binop(e);
        if (e->kind == E_BINOP)
            fold_str_binop(c, e);
        if (e->kind == E_BINOP)
            fold_tuple_binop(c, e);
        break;
    case E_UNARYOP:
        fold_expr(c, e->v.unaryop.operand);
        fold_unary(e);
        break;
    case E_TUPLE:
        fold_exprs(c, &e->v.seq.elts);
        if (e->v.seq.ctx == CTX_LOAD)
            fold_const_tuple(c, e);
        break;
    case E_LIST:
        fold_exprs(c, &e->v.seq.elts);
        break;
    case E_COMPARE:
        fold_expr(c, e->v.compare.left);
        fold_exprs(c, &e->v.compare.comparators);
        {
            GsNodeList *ops = &e->v.compare.ops;
            GsCmpOp last = (GsCmpOp)(intptr_t)ops->items[ops->len - 1];
            if (last == CMP_IN || last == CMP_NOTIN)
                fold_iter(GS_NTH(e->v.compare.comparators, ops->len - 1, GsExpr));
        }
        break;
    case E_ATTR: fold_expr(c, e->v.attr.value); break;
    case E_SUBSCRIPT:
        fold_expr(c, e->v.subscript.value);
        fold_expr(c, e->v.subscript.slice);
        fold_subscript(e);
        break;
    case E_SLICE:
        if (e->v.slice.lower) fold_expr(c, e->v.slice.lower);
        if (e->v.slice.upper) fold_expr(c, e->v.slice.upper);
        if (e->v.slice.step) fold_expr(c, e->v.slice.step);
        break;
    case E_CALL:
        fold_expr(c, e->v.call.func);
        fold_exprs(c, &e->v.call.args);
        for (int i = 0; i < e->v.call.keywords.len; i++)
            fold_expr(c, GS_NTH(e->v.call.keywords, i, GsKeyword)->value);
        break;
    case E_BOOLOP: fold_exprs(c, &e->v.boolop.values); break;
    case E_IFEXP:
        fold_expr(c, e->v.ifexp.test);
        fold_expr(c, e->v.ifexp.body);
        fold_expr(c, e->v.ifexp.orelse);
        break;
    case E_DICT:
        fold_exprs(c, &e->v.dict.keys);
        fold_exprs(c, &e->v.dict.values);
        break;
    case E_LISTCOMP:
    case E_DICTCOMP:
        fold_expr(c, e->v.comp.elt);
        if (e->v.comp.value) fold_expr(c, e->v.comp.value);
        for (int i = 0; i < e->v.comp.generators.len; i++) {
            GsComprehension *g = GS_NTH(e->v.comp.generators, i, GsComprehension);
            fold_expr(c, g->iter);
            fold_iter(g->iter);
            fold_exprs(c, &g->ifs);
        }
        break;
    case E_JOINEDSTR: fold_exprs(c, &e->v.joined.values); break;
    case E_FORMATTED:
        fold_expr(c, e->v.formatted.value);
        if (e->v.formatted.format_spec) fold_expr(c, e->v.formatted.format_spec);
        break;
    case E_LAMBDA:
        fold_exprs(c, &e->v.lambda.args->defaults);
        fold_exprs(c, &e->v.lambda.args->kw_defaults);
        fold_expr(c, e->v.lambda.body);
        break;
    case E_STARRED: fold_expr(c, e->v.starred.value); break;
    case E_CONST:
    case E_NAME:
        break;
    }
}

static void fold_stmts(Compiler *c, GsNodeList *l);

static void fold_stmt(Compiler *c, GsStmt *s)
{
    switch (s->kind) {
    case S_EXPR: fold_expr(c, s->v.expr.value); break;
    case S_ASSIGN: fold_expr(c, s->v.assign.value); fold_exprs(c, &s->v.assign.targets); break;
    case S_AUGASSIGN: fold_expr(c, s->v.augassign.target); fold_expr(c, s->v.augassign.value); break;
    case S_DELETE: fold_exprs(c, &s->v.del.targets); break;
    case S_IF:
        fold_expr(c, s->v.if_.test);
        fold_stmts(c, &s->v.if_.body);
        fold_stmts(c, &s->v.if_.orelse);
        break;
    case S_WHILE:
        fold_expr(c, s->v.while_.test);
        fold_stmts(c, &s->v.while_.body);
        fold_stmts(c, &s->v.while_.orelse);
        break;
    case S_FOR:
        fold_expr(c, s->v.for_.iter);
        fold_iter(s->v.for_.iter);
        fold_stmts(c, &s->v.for_.body);
        fold_stmts(c, &s->v.for_.orelse);
        break;
    case S_FUNCTIONDEF:
        fold_exprs(c, &s->v.funcdef.args->defaults);
        fold_exprs(c, &s->v.funcdef.args->kw_defaults);
        fold_exprs(c, &s->v.funcdef.decorators);
        fold_stmts(c, &s->v.funcdef.body);
        break;
    case S_CLASSDEF:
        fold_exprs(c, &s->v.classdef.bases);
        fold_exprs(c, &s->v.classdef.decorators);
        fold_stmts(c, &s->v.classdef.body);
        break;
    case S_RETURN: if (s->v.return_.value) fold_expr(c, s->v.return_.value); break;
    case S_WITH:
        for (int i = 0; i < s->v.with.items.len; i++) {
            GsWithItem *w = GS_NTH(s->v.with.items, i, GsWithItem);
            fold_expr(c, w->context_expr);
            if (w->optional_vars) fold_expr(c, w->optional_vars);
        }
        fold_stmts(c, &s->v.with.body);
        break;
    case S_TRY:
        fold_stmts(c, &s->v.try_.body);
        for (int i = 0; i < s->v.try_.handlers.len; i++) {
            GsExceptHandler *h = GS_NTH(s->v.try_.handlers, i, GsExceptHandler);
            if (h->type) fold_expr(c, h->type);
            fold_stmts(c, &h->body);
        }
        fold_stmts(c, &s->v.try_.orelse);
        fold_stmts(c, &s->v.try_.finalbody);
        break;
    case S_RAISE:
        if (s->v.raise.exc) fold_expr(c, s->v.raise.exc);
        if (s->v.raise.cause) fold_expr(c, s->v.raise.cause);
        break;
    case S_ASSERT:
        fold_expr(c, s->v.assert_.test);
        if (s->v.assert_.msg) fold_expr(c, s->v.assert_.msg);
        break;
    default:
        break;
    }
}

static void fold_stmts(Compiler *c, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        fold_stmt(c, GS_NTH(*l, i, GsStmt));
}

/* ======================================================================
 * Code units: instructions, labels, constants, names
 * ====================================================================== */

static int new_label(Compiler *c)
{
    Unit *u = c->u;
    u->labels = xgrow(u->labels, &u->caplabels, u->nlabels + 1, sizeof(int));
    u->labels[u->nlabels] = -1;
    return u->nlabels++;
}

/* Start a new basic block at `label` (CPython's compiler_use_next_block). */
static void use_label(Compiler *c, int label)
{
    c->u->labels[label] = c->u->ncode;
    c->u->block_returns = false;
}

/* A new unnamed basic block (CPython's NEXT_BLOCK). */
static void next_block(Compiler *c) { c->u->block_returns = false; }

static void emit_full(Compiler *c, int opcode, int arg, int target)
{
    Unit *u = c->u;
    if (u->do_not_emit)
        return;
    u->code = xgrow(u->code, &u->capcode, u->ncode + 1, sizeof(Instr));
    Instr *in = &u->code[u->ncode++];
    in->opcode = opcode;
    in->arg = arg;
    in->target = target;
    in->lineno = u->lineno_set ? 0 : u->lineno;
    u->lineno_set = true;
    if (opcode == OP_RETURN_VALUE)
        u->block_returns = true;
}

static void emit(Compiler *c, int opcode) { emit_full(c, opcode, 0, -1); }
static void emit_i(Compiler *c, int opcode, int arg) { emit_full(c, opcode, arg, -1); }
static void emit_jump(Compiler *c, int opcode, int label) { emit_full(c, opcode, 0, label); }

static void set_line(Compiler *c, int lineno)
{
    if (lineno != c->u->lineno) {
        c->u->lineno = lineno;
        c->u->lineno_set = false;
    }
}

/* Two constants are "the same" for co_consts if type and value match:
 * 1, 1.0 and True stay distinct (CPython's _PyCode_ConstantKey). */
static bool const_same(GsObject *a, GsObject *b)
{
    if (a == b)
        return true;
    if (a->type != b->type)
        return false;
    if (GS_IS_INT(a))
        return gs_int_value(a) == gs_int_value(b);
    if (GS_IS_FLOAT(a))
        return memcmp(&((GsFloat *)a)->value, &((GsFloat *)b)->value, sizeof(double)) == 0;
    if (GS_IS_STR(a))
        return gs_str_eq(a, b);
    if (GS_IS_TUPLE(a)) {
        GsTuple *x = (GsTuple *)a, *y = (GsTuple *)b;
        if (x->len != y->len)
            return false;
        for (size_t i = 0; i < x->len; i++)
            if (!const_same(x->items[i], y->items[i]))
                return false;
        return true;
    }
    return false;
}

/* A hash consistent with const_same: equal constants hash alike. */
static unsigned const_hash(GsObject *o)
{
    unsigned h = (unsigned)(uintptr_t)o->type * 2654435761u;
    if (GS_IS_INT(o))
        return h ^ (unsigned)gs_int_value(o) ^ (unsigned)((uint64_t)gs_int_value(o) >> 32);
    if (GS_IS_FLOAT(o)) {
        uint64_t bits;
        memcpy(&bits, &((GsFloat *)o)->value, sizeof bits);
        return h ^ (unsigned)bits ^ (unsigned)(bits >> 32);
    }
    if (GS_IS_STR(o)) {
        const char *s = gs_str_cstr(o);
        size_t n = ((GsStr *)o)->nbytes;
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)s[i]) * 16777619u;
        return h;
    }
    if (GS_IS_TUPLE(o)) {
        GsTuple *t = (GsTuple *)o;
        for (size_t i = 0; i < t->len; i++)
            h = (h ^ const_hash(t->items[i])) * 16777619u;
        return h;
    }
    return h ^ (unsigned)(uintptr_t)o;   /* other objects: only themselves */
}

static void index_put(ListIndex *ix, unsigned hash, int pos)
{
    unsigned mask = (unsigned)ix->cap - 1, i = hash & mask;
    while (ix->slots[i])
        i = (i + 1) & mask;
    ix->slots[i] = pos + 1;
}

/* Position of o in list (by const_same, found through ix), appending it if
 * absent.  Steals o. */
static int list_find_or_add(Compiler *c, ListIndex *ix, GsObject *list, GsObject *o)
{
    GsList *l = (GsList *)list;
    unsigned hash = const_hash(o);
    if (ix->cap) {
        unsigned mask = (unsigned)ix->cap - 1;
        for (unsigned i = hash & mask; ix->slots[i]; i = (i + 1) & mask) {
            int pos = ix->slots[i] - 1;
            if ((size_t)pos < l->len && const_same(l->items[pos], o)) {
                gs_decref(c->ts, o);
                return pos;
            }
        }
    }
    int r = gs_list_append(c->ts, list, o);
    gs_decref(c->ts, o);
    if (r < 0)
        cfail(c);
    int pos = (int)l->len - 1;
    if (2 * (size_t)(pos + 1) > (size_t)ix->cap) {
        int cap = ix->cap ? ix->cap * 2 : 16;
        int *slots = calloc((size_t)cap, sizeof *slots);
        if (!slots)
            cfail(c);
        free(ix->slots);
        ix->slots = slots;
        ix->cap = cap;
        for (int k = 0; k < pos; k++)
            index_put(ix, const_hash(l->items[k]), k);
    }
    index_put(ix, hash, pos);
    return pos;
}

/* The index that goes with one of the unit's lists, or NULL. */
static ListIndex *index_of(Unit *u, GsObject *list)
{
    if (list == u->consts)
        return &u->consts_ix;
    if (list == u->names)
        return &u->names_ix;
    if (list == u->varnames)
        return &u->varnames_ix;
    return NULL;
}

/* Index of o in list l (by const_same), appending it if absent.  Steals o. */
static int add_const_obj(Compiler *c, GsObject *list, GsObject *o)
{
    ListIndex *ix = index_of(c->u, list);
    GsList *l = (GsList *)list;
    if (ix)
        return list_find_or_add(c, ix, list, o);
    for (size_t i = 0; i < l->len; i++) {
        if (const_same(l->items[i], o)) {
            gs_decref(c->ts, o);
            return (int)i;
        }
    }
    int r = gs_list_append(c->ts, list, o);
    gs_decref(c->ts, o);
    if (r < 0)
        cfail(c);
    return (int)l->len - 1;
}

static int add_name(Compiler *c, GsObject *list, const char *name)
{
    return add_const_obj(c, list, chk(c, gs_str_intern_c(c->ts, name)));
}

/* co_names index of an attribute name, mangled like any private name. */
static int add_attr_name(Compiler *c, const char *attr)
{
    return add_name(c, c->u->names, mangle(c, c->u->ste->private_name, attr));
}

static int find_name(GsObject *list, const char *name)
{
    GsList *l = (GsList *)list;
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(gs_str_cstr(l->items[i]), name) == 0)
            return (int)i;
    return -1;
}

static GsObject *const_object(Compiler *c, GsExpr *e)
{
    GsThread *ts = c->ts;
    if (e->kind == E_TUPLE) {
        GsObject *t = chk(c, gs_tuple_new(ts, (size_t)e->v.seq.elts.len));
        for (int i = 0; i < e->v.seq.elts.len; i++)
            ((GsTuple *)t)->items[i] = const_object(c, GS_NTH(e->v.seq.elts, i, GsExpr));
        return t;
    }
    switch (e->v.constant.kind) {
    case C_NONE: return GS_NONE;
    case C_TRUE: return GS_TRUE;
    case C_FALSE: return GS_FALSE;
    case C_ELLIPSIS: return &gs_ellipsis_obj;
    case C_INT: return chk(c, gs_int_new(ts, e->v.constant.i));
    case C_FLOAT: return chk(c, gs_float_new(ts, e->v.constant.f));
    case C_STR: {
        GsObject *s = chk(c, gs_str_new(ts, e->v.constant.s, e->v.constant.n));
        /* CPython interns constant strings that look like identifiers. */
        return chk(c, gs_str_intern(ts, s));
    }
    }
    return GS_NONE;
}

static void load_const_obj(Compiler *c, GsObject *o)
{
    if (c->u->do_not_emit) {   /* dead code leaves no constants behind */
        gs_decref(c->ts, o);
        return;
    }
    emit_i(c, OP_LOAD_CONST, add_const_obj(c, c->u->consts, o));
}

static void load_const(Compiler *c, GsExpr *e) { load_const_obj(c, const_object(c, e)); }

static void load_none(Compiler *c) { load_const_obj(c, GS_NONE); }

static void load_str_const(Compiler *c, const char *s)
{
    load_const_obj(c, chk(c, gs_str_intern_c(c->ts, s)));
}

/* ---- entering and leaving scopes --------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* cellvars and freevars are sorted by name, as CPython's dictbytype does. */
static void collect_sorted(Compiler *c, Unit *u, GsScope want)
{
    SymTab *st = u->ste;
    const char **names = calloc((size_t)st->nsyms + 1, sizeof(char *));
    int n = 0;
    for (int i = 0; i < st->nsyms; i++) {
        Symbol *sym = &st->syms[i];
        bool is_class_cell = want == SC_FREE && st->type == ST_CLASS &&
                             strcmp(sym->name, "__class__") == 0;
        /* A class body that binds x itself still passes the enclosing
         * function's x on to its methods (CPython's DEF_FREE_CLASS). */
        bool free_class = want == SC_FREE && st->type == ST_CLASS &&
                          (sym->flags & DEF_FREE_CLASS) && sym->scope != SC_FREE;
        if ((sym->scope == want || free_class) && !is_class_cell)
            names[n++] = sym->name;
    }
    if (want == SC_CELL && st->type == ST_CLASS && st->needs_class_closure)
        names[n++] = "__class__";
    qsort(names, (size_t)n, sizeof(char *), cmp_names);
    for (int i = 0; i < n; i++)
        add_name(c, want == SC_CELL ? u->cellvars : u->freevars, names[i]);
    free(names);
}

static void enter_scope(Compiler *c, SymTab *ste, const char *name, const char *qualname,
                        int firstlineno)
{
    GsThread *ts = c->ts;
    Unit *u = calloc(1, sizeof *u);
    if (!u)
        abort();
    u->parent = c->u;
    u->ste = ste;
    u->name = chk(c, gs_str_intern_c(ts, name));
    u->qualname = chk(c, gs_str_from(ts, qualname));
    u->consts = chk(c, gs_list_new(ts, 0));
    u->names = chk(c, gs_list_new(ts, 0));
    u->varnames = chk(c, gs_list_new(ts, 0));
    u->cellvars = chk(c, gs_list_new(ts, 0));
    u->freevars = chk(c, gs_list_new(ts, 0));
    u->firstlineno = firstlineno;
    c->u = u;
    for (int i = 0; i < ste->nparams; i++)
        add_name(c, u->varnames, ste->params[i]);
    collect_sorted(c, u, SC_CELL);
    collect_sorted(c, u, SC_FREE);
}

static void free_unit(GsThread *ts, Unit *u)
{
    gs_xdecref(ts, u->name);
    gs_xdecref(ts, u->qualname);
    gs_xdecref(ts, u->consts);
    gs_xdecref(ts, u->names);
    gs_xdecref(ts, u->varnames);
    free(u->consts_ix.slots);
    free(u->names_ix.slots);
    free(u->varnames_ix.slots);
    gs_xdecref(ts, u->cellvars);
    gs_xdecref(ts, u->freevars);
    free(u->code);
    free(u->labels);
    free(u);
}

static void exit_scope(Compiler *c)
{
    Unit *u = c->u;
    c->u = u->parent;
    free_unit(c->ts, u);
}

/* The qualified name CPython gives a function or class defined in u. */
static char *make_qualname(Compiler *c, const char *name)
{
    Unit *u = c->u;
    char buf[512];
    if (u->ste->type == ST_MODULE) {
        snprintf(buf, sizeof buf, "%s", name);
    } else {
        Symbol *s = st_lookup(u->ste, name);
        bool global = s && s->scope == SC_GLOBAL_EXPLICIT;
        if (global)
            snprintf(buf, sizeof buf, "%s", name);
        else if (u->ste->type == ST_FUNCTION && !u->ste->is_comprehension)
            /* functions and lambdas add ".<locals>"; comprehensions do not */
            snprintf(buf, sizeof buf, "%s.<locals>.%s", gs_str_cstr(u->qualname), name);
        else
            snprintf(buf, sizeof buf, "%s.%s", gs_str_cstr(u->qualname), name);
    }
    return gs_arena_strndup(c->arena, buf, strlen(buf));
}

/* ---- name operations (CPython's compiler_nameop) ----------------------------------- */

static void name_op(Compiler *c, const char *name, GsCtx ctx)
{
    Unit *u = c->u;
    name = mangle(c, u->ste->private_name, name);
    GsScope sc = scope_of(u, name);
    enum { OPT_NAME, OPT_FAST, OPT_GLOBAL, OPT_DEREF } kind = OPT_NAME;
    bool function = u->ste->type == ST_FUNCTION;
    switch (sc) {
    case SC_FREE:
    case SC_CELL:
        kind = OPT_DEREF;
        break;
    case SC_LOCAL:
        kind = function ? OPT_FAST : OPT_NAME;
        break;
    case SC_GLOBAL_IMPLICIT:
        kind = function ? OPT_GLOBAL : OPT_NAME;
        break;
    case SC_GLOBAL_EXPLICIT:
        kind = OPT_GLOBAL;
        break;
    default:
        break;
    }
    int op;
    switch (kind) {
    case OPT_DEREF: {
        int idx = find_name(u->cellvars, name);
        if (idx < 0) {
            idx = find_name(u->freevars, name);
            idx += (int)((GsList *)u->cellvars)->len;
        }
        op = ctx == CTX_LOAD ? (u->ste->type == ST_CLASS ? OP_LOAD_CLASSDEREF : OP_LOAD_DEREF)
           : ctx == CTX_STORE ? OP_STORE_DEREF : OP_DELETE_DEREF;
        emit_i(c, op, idx);
        return;
    }
    case OPT_FAST:
        op = ctx == CTX_LOAD ? OP_LOAD_FAST : ctx == CTX_STORE ? OP_STORE_FAST : OP_DELETE_FAST;
        emit_i(c, op, add_name(c, u->varnames, name));
        return;
    case OPT_GLOBAL:
        op = ctx == CTX_LOAD ? OP_LOAD_GLOBAL : ctx == CTX_STORE ? OP_STORE_GLOBAL
                                                                 : OP_DELETE_GLOBAL;
        break;
    default:
        op = ctx == CTX_LOAD ? OP_LOAD_NAME : ctx == CTX_STORE ? OP_STORE_NAME : OP_DELETE_NAME;
        break;
    }
    emit_i(c, op, add_name(c, u->names, name));
}

/* ======================================================================
 * Expressions
 * ====================================================================== */

static void compile_expr(Compiler *c, GsExpr *e);
static void compile_stmts(Compiler *c, GsNodeList *l);
static GsObject *assemble(Compiler *c, bool add_none);

static void compile_exprs(Compiler *c, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        compile_expr(c, GS_NTH(*l, i, GsExpr));
}

static int binop_opcode(GsBinOp op, bool inplace)
{
    static const int bin[] = { OP_BINARY_ADD, OP_BINARY_SUBTRACT, OP_BINARY_MULTIPLY,
        OP_BINARY_TRUE_DIVIDE, OP_BINARY_FLOOR_DIVIDE, OP_BINARY_MODULO, OP_BINARY_POWER,
        OP_BINARY_LSHIFT, OP_BINARY_RSHIFT, OP_BINARY_OR, OP_BINARY_XOR, OP_BINARY_AND, -1 };
    static const int inp[] = { OP_INPLACE_ADD, OP_INPLACE_SUBTRACT, OP_INPLACE_MULTIPLY,
        OP_INPLACE_TRUE_DIVIDE, OP_INPLACE_FLOOR_DIVIDE, OP_INPLACE_MODULO, OP_INPLACE_POWER,
        OP_INPLACE_LSHIFT, OP_INPLACE_RSHIFT, OP_INPLACE_OR, OP_INPLACE_XOR, OP_INPLACE_AND, -1 };
    return inplace ? inp[op] : bin[op];
}

/* `x is 1`: CPython 3.8+ warns (on stderr) and compiles it anyway. */
static bool is_literal(GsExpr *e)
{
    if (e->kind == E_CONST)
        return e->v.constant.kind == C_INT || e->v.constant.kind == C_FLOAT ||
               e->v.constant.kind == C_STR;
    return e->kind == E_TUPLE && e->v.seq.ctx == CTX_CONST_TUPLE;
}

static void check_is_literal(Compiler *c, GsExpr *e)
{
    GsExpr *left = e->v.compare.left;
    for (int i = 0; i < e->v.compare.ops.len; i++) {
        GsCmpOp op = (GsCmpOp)(intptr_t)e->v.compare.ops.items[i];
        GsExpr *right = GS_NTH(e->v.compare.comparators, i, GsExpr);
        if ((op == CMP_IS || op == CMP_ISNOT) && (is_literal(left) || is_literal(right))) {
            fflush(c->ts->interp->out);
            fprintf(stderr, "%s:%d: SyntaxWarning: \"%s\" with a literal. Did you mean \"%s\"?\n",
                    c->filename, e->lineno, op == CMP_IS ? "is" : "is not",
                    op == CMP_IS ? "==" : "!=");
        }
        left = right;
    }
}

/* COMPARE_OP, IS_OP or CONTAINS_OP (3.9 split `is` and `in` out). */
static void emit_compare(Compiler *c, GsCmpOp op)
{
    switch (op) {
    case CMP_EQ: emit_i(c, OP_COMPARE_OP, GS_CMP_EQ); break;
    case CMP_NOTEQ: emit_i(c, OP_COMPARE_OP, GS_CMP_NE); break;
    case CMP_LT: emit_i(c, OP_COMPARE_OP, GS_CMP_LT); break;
    case CMP_LTE: emit_i(c, OP_COMPARE_OP, GS_CMP_LE); break;
    case CMP_GT: emit_i(c, OP_COMPARE_OP, GS_CMP_GT); break;
    case CMP_GTE: emit_i(c, OP_COMPARE_OP, GS_CMP_GE); break;
    case CMP_IS: emit_i(c, OP_IS_OP, 0); break;
    case CMP_ISNOT: emit_i(c, OP_IS_OP, 1); break;
    case CMP_IN: emit_i(c, OP_CONTAINS_OP, 0); break;
    case CMP_NOTIN: emit_i(c, OP_CONTAINS_OP, 1); break;
    }
}

#define CMP_AT(e, i) ((GsCmpOp)(intptr_t)(e)->v.compare.ops.items[i])

/* Jump to `label` if e is true (cond) or false (!cond), without building
 * a bool when the shape of e allows it (CPython's compiler_jump_if). */
static void jump_if(Compiler *c, GsExpr *e, int label, bool cond)
{
    switch (e->kind) {
    case E_UNARYOP:
        if (e->v.unaryop.op == UOP_NOT) {
            jump_if(c, e->v.unaryop.operand, label, !cond);
            return;
        }
        break;
    case E_BOOLOP: {
        GsNodeList *vals = &e->v.boolop.values;
        bool cond2 = !e->v.boolop.is_and;
        int next2 = label;
        if (cond2 != cond)
            next2 = new_label(c);
        for (int i = 0; i < vals->len - 1; i++)
            jump_if(c, GS_NTH(*vals, i, GsExpr), next2, cond2);
        jump_if(c, GS_NTH(*vals, vals->len - 1, GsExpr), label, cond);
        if (next2 != label)
            use_label(c, next2);
        return;
    }
    case E_IFEXP: {
        int end = new_label(c), next2 = new_label(c);
        jump_if(c, e->v.ifexp.test, next2, false);
        jump_if(c, e->v.ifexp.body, label, cond);
        emit_jump(c, OP_JUMP_FORWARD, end);
        use_label(c, next2);
        jump_if(c, e->v.ifexp.orelse, label, cond);
        use_label(c, end);
        return;
    }
    case E_COMPARE: {
        int n = e->v.compare.ops.len - 1;
        if (n > 0) {
            check_is_literal(c, e);
            int cleanup = new_label(c);
            compile_expr(c, e->v.compare.left);
            for (int i = 0; i < n; i++) {
                compile_expr(c, GS_NTH(e->v.compare.comparators, i, GsExpr));
                emit(c, OP_DUP_TOP);
                emit(c, OP_ROT_THREE);
                emit_compare(c, CMP_AT(e, i));
                emit_jump(c, OP_POP_JUMP_IF_FALSE, cleanup);
                next_block(c);
            }
            compile_expr(c, GS_NTH(e->v.compare.comparators, n, GsExpr));
            emit_compare(c, CMP_AT(e, n));
            emit_jump(c, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
            int end = new_label(c);
            emit_jump(c, OP_JUMP_FORWARD, end);
            use_label(c, cleanup);
            emit(c, OP_POP_TOP);
            if (!cond)
                emit_jump(c, OP_JUMP_FORWARD, label);
            use_label(c, end);
            return;
        }
        break;
    }
    default:
        break;
    }
    compile_expr(c, e);
    emit_jump(c, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
}

static void compile_compare(Compiler *c, GsExpr *e)
{
    check_is_literal(c, e);
    int n = e->v.compare.ops.len - 1;
    compile_expr(c, e->v.compare.left);
    if (n == 0) {
        compile_expr(c, GS_NTH(e->v.compare.comparators, 0, GsExpr));
        emit_compare(c, CMP_AT(e, 0));
        return;
    }
    int cleanup = new_label(c);
    for (int i = 0; i < n; i++) {
        compile_expr(c, GS_NTH(e->v.compare.comparators, i, GsExpr));
        emit(c, OP_DUP_TOP);
        emit(c, OP_ROT_THREE);
        emit_compare(c, CMP_AT(e, i));
        emit_jump(c, OP_JUMP_IF_FALSE_OR_POP, cleanup);
        next_block(c);
    }
    compile_expr(c, GS_NTH(e->v.compare.comparators, n, GsExpr));
    emit_compare(c, CMP_AT(e, n));
    int end = new_label(c);
    emit_jump(c, OP_JUMP_FORWARD, end);
    use_label(c, cleanup);
    emit(c, OP_ROT_TWO);
    emit(c, OP_POP_TOP);
    use_label(c, end);
}

static void compile_boolop(Compiler *c, GsExpr *e)
{
    int jump = e->v.boolop.is_and ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP;
    int end = new_label(c);
    GsNodeList *vals = &e->v.boolop.values;
    for (int i = 0; i < vals->len - 1; i++) {
        compile_expr(c, GS_NTH(*vals, i, GsExpr));
        emit_jump(c, jump, end);
        use_label(c, new_label(c));
    }
    compile_expr(c, GS_NTH(*vals, vals->len - 1, GsExpr));
    use_label(c, end);
}

static bool all_const(GsNodeList *l, int from, int to)
{
    for (int i = from; i < to; i++)
        if (!l->items[i] || !is_constish(GS_NTH(*l, i, GsExpr)))
            return false;
    return true;
}

/* Lists, tuples and call arguments, with *starred items (CPython's
 * starunpack_helper). */
static void starunpack(Compiler *c, GsNodeList *elts, int pushed, int build, int add,
                       int extend, bool tuple)
{
    int n = elts->len;
    if (n > 2 && all_const(elts, 0, n)) {
        GsObject *t = chk(c, gs_tuple_new(c->ts, (size_t)n));
        for (int i = 0; i < n; i++)
            ((GsTuple *)t)->items[i] = const_object(c, GS_NTH(*elts, i, GsExpr));
        if (tuple) {
            load_const_obj(c, t);
        } else {
            emit_i(c, build, pushed);
            load_const_obj(c, t);
            emit_i(c, extend, 1);
        }
        return;
    }
    bool star = false;
    for (int i = 0; i < n; i++)
        if (GS_NTH(*elts, i, GsExpr)->kind == E_STARRED)
            star = true;
    if (!star) {
        compile_exprs(c, elts);
        emit_i(c, tuple ? OP_BUILD_TUPLE : build, n + pushed);
        return;
    }
    bool built = false;
    for (int i = 0; i < n; i++) {
        GsExpr *elt = GS_NTH(*elts, i, GsExpr);
        if (elt->kind == E_STARRED) {
            if (!built) {
                emit_i(c, build, i + pushed);
                built = true;
            }
            compile_expr(c, elt->v.starred.value);
            emit_i(c, extend, 1);
        } else {
            compile_expr(c, elt);
            if (built)
                emit_i(c, add, 1);
        }
    }
    if (tuple)
        emit(c, OP_LIST_TO_TUPLE);
}

static void compile_subdict(Compiler *c, GsExpr *e, int begin, int end)
{
    int n = end - begin;
    if (n > 1 && all_const(&e->v.dict.keys, begin, end)) {
        for (int i = begin; i < end; i++)
            compile_expr(c, GS_NTH(e->v.dict.values, i, GsExpr));
        GsObject *keys = chk(c, gs_tuple_new(c->ts, (size_t)n));
        for (int i = begin; i < end; i++)
            ((GsTuple *)keys)->items[i - begin] = const_object(c, GS_NTH(e->v.dict.keys, i, GsExpr));
        load_const_obj(c, keys);
        emit_i(c, OP_BUILD_CONST_KEY_MAP, n);
        return;
    }
    for (int i = begin; i < end; i++) {
        compile_expr(c, GS_NTH(e->v.dict.keys, i, GsExpr));
        compile_expr(c, GS_NTH(e->v.dict.values, i, GsExpr));
    }
    emit_i(c, OP_BUILD_MAP, n);
}

static void compile_dict(Compiler *c, GsExpr *e)
{
    int n = e->v.dict.values.len, elements = 0;
    bool have_dict = false;
    for (int i = 0; i < n; i++) {
        if (e->v.dict.keys.items[i] == NULL) {
            if (elements) {
                compile_subdict(c, e, i - elements, i);
                if (have_dict)
                    emit_i(c, OP_DICT_UPDATE, 1);
                have_dict = true;
                elements = 0;
            }
            if (!have_dict) {
                emit_i(c, OP_BUILD_MAP, 0);
                have_dict = true;
            }
            compile_expr(c, GS_NTH(e->v.dict.values, i, GsExpr));
            emit_i(c, OP_DICT_UPDATE, 1);
        } else {
            elements++;
        }
    }
    if (elements) {
        compile_subdict(c, e, n - elements, n);
        if (have_dict)
            emit_i(c, OP_DICT_UPDATE, 1);
        have_dict = true;
    }
    if (!have_dict)
        emit_i(c, OP_BUILD_MAP, 0);
}

/* Keyword arguments packed into a dict for CALL_FUNCTION_EX. */
static void compile_subkwargs(Compiler *c, GsNodeList *kws, int begin, int end)
{
    int n = end - begin;
    if (n > 1) {
        for (int i = begin; i < end; i++)
            compile_expr(c, GS_NTH(*kws, i, GsKeyword)->value);
        GsObject *keys = chk(c, gs_tuple_new(c->ts, (size_t)n));
        for (int i = begin; i < end; i++)
            ((GsTuple *)keys)->items[i - begin] =
                chk(c, gs_str_intern_c(c->ts, GS_NTH(*kws, i, GsKeyword)->name));
        load_const_obj(c, keys);
        emit_i(c, OP_BUILD_CONST_KEY_MAP, n);
        return;
    }
    for (int i = begin; i < end; i++) {
        load_str_const(c, GS_NTH(*kws, i, GsKeyword)->name);
        compile_expr(c, GS_NTH(*kws, i, GsKeyword)->value);
    }
    emit_i(c, OP_BUILD_MAP, n);
}

static void call_helper(Compiler *c, int pushed, GsNodeList *args, GsNodeList *kws)
{
    int nargs = args->len, nkw = kws->len;
    bool ex = false;
    for (int i = 0; i < nargs; i++)
        if (GS_NTH(*args, i, GsExpr)->kind == E_STARRED)
            ex = true;
    for (int i = 0; i < nkw; i++)
        if (!GS_NTH(*kws, i, GsKeyword)->name)
            ex = true;
    if (!ex) {
        compile_exprs(c, args);
        if (nkw > 0) {
            GsObject *names = chk(c, gs_tuple_new(c->ts, (size_t)nkw));
            for (int i = 0; i < nkw; i++) {
                GsKeyword *k = GS_NTH(*kws, i, GsKeyword);
                compile_expr(c, k->value);
                ((GsTuple *)names)->items[i] = chk(c, gs_str_intern_c(c->ts, k->name));
            }
            load_const_obj(c, names);
            emit_i(c, OP_CALL_FUNCTION_KW, nargs + nkw + pushed);
        } else {
            emit_i(c, OP_CALL_FUNCTION, nargs + pushed);
        }
        return;
    }
    if (pushed == 0 && nargs == 1 && GS_NTH(*args, 0, GsExpr)->kind == E_STARRED)
        compile_expr(c, GS_NTH(*args, 0, GsExpr)->v.starred.value);
    else
        starunpack(c, args, pushed, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, true);
    if (nkw) {
        bool have_dict = false;
        int nseen = 0;
        for (int i = 0; i < nkw; i++) {
            GsKeyword *k = GS_NTH(*kws, i, GsKeyword);
            if (k->name) {
                nseen++;
                continue;
            }
            if (nseen) {
                compile_subkwargs(c, kws, i - nseen, i);
                if (have_dict)
                    emit_i(c, OP_DICT_MERGE, 1);
                have_dict = true;
                nseen = 0;
            }
            if (!have_dict) {
                emit_i(c, OP_BUILD_MAP, 0);
                have_dict = true;
            }
            compile_expr(c, k->value);
            emit_i(c, OP_DICT_MERGE, 1);
        }
        if (nseen) {
            compile_subkwargs(c, kws, nkw - nseen, nkw);
            if (have_dict)
                emit_i(c, OP_DICT_MERGE, 1);
        }
    }
    emit_i(c, OP_CALL_FUNCTION_EX, nkw > 0);
}

static void compile_call(Compiler *c, GsExpr *e)
{
    GsExpr *f = e->v.call.func;
    bool method = f->kind == E_ATTR && f->v.attr.ctx == CTX_LOAD && e->v.call.keywords.len == 0;
    for (int i = 0; method && i < e->v.call.args.len; i++)
        if (GS_NTH(e->v.call.args, i, GsExpr)->kind == E_STARRED)
            method = false;
    if (method) {
        /* obj.meth(args): LOAD_METHOD / CALL_METHOD skip the bound method. */
        compile_expr(c, f->v.attr.value);
        emit_i(c, OP_LOAD_METHOD, add_attr_name(c, f->v.attr.attr));
        compile_exprs(c, &e->v.call.args);
        emit_i(c, OP_CALL_METHOD, e->v.call.args.len);
        return;
    }
    compile_expr(c, f);
    call_helper(c, 0, &e->v.call.args, &e->v.call.keywords);
}

/* Push the closure tuple (if any), the code, the qualname; MAKE_FUNCTION. */
static void make_closure(Compiler *c, GsObject *code, int flags, GsObject *qualname)
{
    GsCode *co = (GsCode *)code;
    GsTuple *free = (GsTuple *)co->freevars;
    if (free->len > 0) {
        for (size_t i = 0; i < free->len; i++) {
            const char *name = gs_str_cstr(free->items[i]);
            int idx = find_name(c->u->cellvars, name);
            if (idx < 0) {
                int fidx = find_name(c->u->freevars, name);
                if (fidx < 0)
                    cerror(c, co->firstlineno, 0,
                           "gilscope's compiler cannot pass '%s' into this scope", name);
                idx = (int)((GsList *)c->u->cellvars)->len + fidx;
            }
            emit_i(c, OP_LOAD_CLOSURE, idx);
        }
        flags |= 0x08;
        emit_i(c, OP_BUILD_TUPLE, (int)free->len);
    }
    load_const_obj(c, code);
    load_const_obj(c, gs_newref(c->ts, qualname));
    emit_i(c, OP_MAKE_FUNCTION, flags);
}

static int compile_defaults(Compiler *c, GsArguments *a)
{
    int flags = 0;
    if (a->defaults.len > 0) {
        compile_exprs(c, &a->defaults);
        emit_i(c, OP_BUILD_TUPLE, a->defaults.len);
        flags |= 0x01;
    }
    int nkw = 0;
    for (int i = 0; i < a->kwonlyargs.len; i++)
        if (a->kw_defaults.items[i])
            nkw++;
    if (nkw) {
        GsObject *keys = chk(c, gs_tuple_new(c->ts, (size_t)nkw));
        int k = 0;
        for (int i = 0; i < a->kwonlyargs.len; i++) {
            GsExpr *d = GS_NTH(a->kw_defaults, i, GsExpr);
            if (!d)
                continue;
            compile_expr(c, d);
            ((GsTuple *)keys)->items[k++] =
                chk(c, gs_str_intern_c(c->ts, GS_NTH(a->kwonlyargs, i, GsArg)->name));
        }
        load_const_obj(c, keys);
        emit_i(c, OP_BUILD_CONST_KEY_MAP, nkw);
        flags |= 0x02;
    }
    return flags;
}

static void set_arg_counts(Compiler *c, GsArguments *a)
{
    c->u->argcount = a->args.len;
    c->u->kwonlyargcount = a->kwonlyargs.len;
    c->u->arg_flags = (a->vararg ? GS_CO_VARARGS : 0) | (a->kwarg ? GS_CO_VARKEYWORDS : 0);
}

static void compile_lambda(Compiler *c, GsExpr *e)
{
    GsArguments *a = e->v.lambda.args;
    int flags = compile_defaults(c, a);
    SymTab *st = st_find(c->u->ste, e);
    char *qual = make_qualname(c, "<lambda>");
    enter_scope(c, st, "<lambda>", qual, e->lineno);
    add_const_obj(c, c->u->consts, GS_NONE);  /* co_consts[0] is None: no docstring */
    set_arg_counts(c, a);
    set_line(c, e->lineno);
    compile_expr(c, e->v.lambda.body);
    emit(c, OP_RETURN_VALUE);
    GsObject *code = assemble(c, true);
    GsObject *qualname = gs_newref(c->ts, c->u->qualname);
    exit_scope(c);
    make_closure(c, code, flags, qualname);
    gs_decref(c->ts, qualname);
}

/* A list or dict comprehension: an inner function called with the
 * outermost iterator (CPython's compiler_comprehension). */
static void comprehension_generator(Compiler *c, GsExpr *e, int gen_index)
{
    GsComprehension *g = GS_NTH(e->v.comp.generators, gen_index, GsComprehension);
    int start = new_label(c), if_cleanup = new_label(c), anchor = new_label(c);
    if (gen_index == 0) {
        c->u->argcount = 1;
        emit_i(c, OP_LOAD_FAST, 0);
    } else {
        compile_expr(c, g->iter);
        emit(c, OP_GET_ITER);
    }
    use_label(c, start);
    emit_jump(c, OP_FOR_ITER, anchor);
    next_block(c);
    compile_expr(c, g->target);
    for (int i = 0; i < g->ifs.len; i++) {
        jump_if(c, GS_NTH(g->ifs, i, GsExpr), if_cleanup, false);
        next_block(c);
    }
    if (gen_index + 1 < e->v.comp.generators.len) {
        comprehension_generator(c, e, gen_index + 1);
    } else if (e->kind == E_LISTCOMP) {
        compile_expr(c, e->v.comp.elt);
        emit_i(c, OP_LIST_APPEND, gen_index + 2);
    } else {
        compile_expr(c, e->v.comp.elt);
        compile_expr(c, e->v.comp.value);
        emit_i(c, OP_MAP_ADD, gen_index + 2);
    }
    use_label(c, if_cleanup);
    emit_jump(c, OP_JUMP_ABSOLUTE, start);
    use_label(c, anchor);
}

static void compile_comprehension(Compiler *c, GsExpr *e)
{
    /* One level of C recursion per `for` clause: bound it like the
     * parser bounds nesting. */
    if (e->v.comp.generators.len > 200)
        cerror(c, e->lineno, e->col, "too many 'for' clauses in a comprehension for gilscope "
               "(limit: 200)");
    const char *name = e->kind == E_LISTCOMP ? "<listcomp>" : "<dictcomp>";
    SymTab *st = st_find(c->u->ste, e);
    char *qual = make_qualname(c, name);
    enter_scope(c, st, name, qual, e->lineno);
    set_line(c, e->lineno);
    emit_i(c, e->kind == E_LISTCOMP ? OP_BUILD_LIST : OP_BUILD_MAP, 0);
    comprehension_generator(c, e, 0);
    emit(c, OP_RETURN_VALUE);
    GsObject *code = assemble(c, true);
    GsObject *qualname = gs_newref(c->ts, c->u->qualname);
    exit_scope(c);
    make_closure(c, code, 0, qualname);
    gs_decref(c->ts, qualname);
    compile_expr(c, GS_NTH(e->v.comp.generators, 0, GsComprehension)->iter);
    emit(c, OP_GET_ITER);
    emit_i(c, OP_CALL_FUNCTION, 1);
}

static void compile_formatted(Compiler *c, GsExpr *e)
{
    compile_expr(c, e->v.formatted.value);
    int conv = e->v.formatted.conversion, oparg;
    switch (conv) {
    case 's': oparg = 1; break;
    case 'r': oparg = 2; break;
    case 'a': oparg = 3; break;
    default: oparg = 0; break;
    }
    if (e->v.formatted.format_spec) {
        compile_expr(c, e->v.formatted.format_spec);
        oparg |= 4;
    }
    emit_i(c, OP_FORMAT_VALUE, oparg);
}

static void compile_store(Compiler *c, GsExpr *e);

static void compile_slice_part(Compiler *c, GsExpr *e)
{
    if (e)
        compile_expr(c, e);
    else
        load_none(c);
}

static void compile_expr_inner(Compiler *c, GsExpr *e);

/* A sub-expression on another line gets its own line number, and the line
 * goes back to the enclosing expression's after it (CPython 3.9's
 * compiler_visit_expr): `f(a,\n  b)` has lines 1, 2, 1. */
static void compile_expr(Compiler *c, GsExpr *e)
{
    int old = c->u->lineno;
    set_line(c, e->lineno);
    compile_expr_inner(c, e);
    if (c->u->lineno != old) {
        c->u->lineno = old;
        c->u->lineno_set = false;
    }
}

static void compile_expr_inner(Compiler *c, GsExpr *e)
{
    switch (e->kind) {
    case E_CONST:
        load_const(c, e);
        break;
    case E_NAME:
        name_op(c, e->v.name.id, e->v.name.ctx);
        break;
    case E_ATTR:
        if (e->v.attr.ctx != CTX_LOAD) {
            compile_store(c, e);
            break;
        }
        compile_expr(c, e->v.attr.value);
        emit_i(c, OP_LOAD_ATTR, add_attr_name(c, e->v.attr.attr));
        break;
    case E_SUBSCRIPT:
        if (e->v.subscript.ctx != CTX_LOAD) {
            compile_store(c, e);
            break;
        }
        compile_expr(c, e->v.subscript.value);
        compile_expr(c, e->v.subscript.slice);
        emit(c, OP_BINARY_SUBSCR);
        break;
    case E_SLICE:
        compile_slice_part(c, e->v.slice.lower);
        compile_slice_part(c, e->v.slice.upper);
        if (e->v.slice.step)
            compile_expr(c, e->v.slice.step);
        emit_i(c, OP_BUILD_SLICE, e->v.slice.step ? 3 : 2);
        break;
    case E_CALL:
        compile_call(c, e);
        break;
    case E_BINOP:
        compile_expr(c, e->v.binop.left);
        compile_expr(c, e->v.binop.right);
        if (e->v.binop.op == OP_MATMULT)
            cerror(c, e->lineno, e->col, "gilscope does not support the @ operator");
        emit(c, binop_opcode(e->v.binop.op, false));
        break;
    case E_UNARYOP:
        compile_expr(c, e->v.unaryop.operand);
        emit(c, e->v.unaryop.op == UOP_NOT ? OP_UNARY_NOT
              : e->v.unaryop.op == UOP_NEG ? OP_UNARY_NEGATIVE
              : e->v.unaryop.op == UOP_POS ? OP_UNARY_POSITIVE : OP_UNARY_INVERT);
        break;
    case E_BOOLOP:
        compile_boolop(c, e);
        break;
    case E_COMPARE:
        compile_compare(c, e);
        break;
    case E_IFEXP: {
        int end = new_label(c), next = new_label(c);
        jump_if(c, e->v.ifexp.test, next, false);
        compile_expr(c, e->v.ifexp.body);
        emit_jump(c, OP_JUMP_FORWARD, end);
        use_label(c, next);
        compile_expr(c, e->v.ifexp.orelse);
        use_label(c, end);
        break;
    }
    case E_LIST:
        if (e->v.seq.ctx != CTX_LOAD) {
            compile_store(c, e);
            break;
        }
        starunpack(c, &e->v.seq.elts, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, false);
        break;
    case E_TUPLE:
        if (e->v.seq.ctx == CTX_CONST_TUPLE) {
            load_const(c, e);
            break;
        }
        if (e->v.seq.ctx != CTX_LOAD) {
            compile_store(c, e);
            break;
        }
        starunpack(c, &e->v.seq.elts, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, true);
        break;
    case E_DICT:
        compile_dict(c, e);
        break;
    case E_LISTCOMP:
    case E_DICTCOMP:
        compile_comprehension(c, e);
        break;
    case E_JOINEDSTR:
        compile_exprs(c, &e->v.joined.values);
        if (e->v.joined.values.len != 1)
            emit_i(c, OP_BUILD_STRING, e->v.joined.values.len);
        break;
    case E_FORMATTED:
        compile_formatted(c, e);
        break;
    case E_LAMBDA:
        compile_lambda(c, e);
        break;
    case E_STARRED:
        cerror(c, e->lineno, e->col, "can't use starred expression here");
    }
}

/* Assignment targets; the value is on the stack. */
static void compile_store(Compiler *c, GsExpr *e)
{
    set_line(c, e->lineno);
    GsCtx ctx;
    switch (e->kind) {
    case E_NAME:
        name_op(c, e->v.name.id, e->v.name.ctx);
        return;
    case E_ATTR:
        ctx = e->v.attr.ctx;
        compile_expr(c, e->v.attr.value);
        emit_i(c, ctx == CTX_DEL ? OP_DELETE_ATTR : OP_STORE_ATTR, add_attr_name(c, e->v.attr.attr));
        return;
    case E_SUBSCRIPT:
        ctx = e->v.subscript.ctx;
        compile_expr(c, e->v.subscript.value);
        compile_expr(c, e->v.subscript.slice);
        emit(c, ctx == CTX_DEL ? OP_DELETE_SUBSCR : OP_STORE_SUBSCR);
        return;
    case E_LIST:
    case E_TUPLE:
        if (e->v.seq.ctx == CTX_DEL) {
            for (int i = 0; i < e->v.seq.elts.len; i++)
                compile_store(c, GS_NTH(e->v.seq.elts, i, GsExpr));
            return;
        }
        for (int i = 0; i < e->v.seq.elts.len; i++)
            if (GS_NTH(e->v.seq.elts, i, GsExpr)->kind == E_STARRED)
                cerror(c, e->lineno, e->col, "gilscope does not support starred assignment");
        emit_i(c, OP_UNPACK_SEQUENCE, e->v.seq.elts.len);
        for (int i = 0; i < e->v.seq.elts.len; i++)
            compile_store(c, GS_NTH(e->v.seq.elts, i, GsExpr));
        return;
    default:
        cerror(c, e->lineno, e->col, "cannot assign to expression");
    }
}

/* ======================================================================
 * Statements
 * ====================================================================== */

static void push_fblock(Compiler *c, FBlockType t, int block, int exit, const void *datum,
                        int lineno)
{
    Unit *u = c->u;
    if (u->nfblocks >= GS_MAX_BLOCKS)
        cerror(c, lineno, 0, "too many statically nested blocks");
    u->fblocks[u->nfblocks++] = (FBlock){ t, block, exit, datum };
}

static void pop_fblock(Compiler *c) { c->u->nfblocks--; }

static void call_exit_with_nones(Compiler *c)
{
    load_none(c);
    emit(c, OP_DUP_TOP);
    emit(c, OP_DUP_TOP);
    emit_i(c, OP_CALL_FUNCTION, 3);
}

/* Emit what leaving frame block `fb` early requires (CPython's
 * compiler_unwind_fblock); preserve_tos keeps a return value on top. */
static void unwind_fblock(Compiler *c, FBlock *fb, bool preserve_tos)
{
    switch (fb->type) {
    case FB_WHILE_LOOP:
        return;
    case FB_FOR_LOOP:
        if (preserve_tos)
            emit(c, OP_ROT_TWO);
        emit(c, OP_POP_TOP);   /* the iterator */
        return;
    case FB_TRY_EXCEPT:
        emit(c, OP_POP_BLOCK);
        return;
    case FB_FINALLY_TRY: {
        emit(c, OP_POP_BLOCK);
        if (preserve_tos)
            push_fblock(c, FB_POP_VALUE, -1, -1, NULL, c->u->lineno);
        /* The finally body runs inline on the way out; then the line of
         * the return / break / continue applies again. */
        FBlock saved = *fb;
        int lineno = c->u->lineno;
        compile_stmts(c, (GsNodeList *)saved.datum);
        c->u->lineno = lineno;
        c->u->lineno_set = false;
        if (preserve_tos)
            pop_fblock(c);
        return;
    }
    case FB_FINALLY_END:
        if (preserve_tos)
            emit(c, OP_ROT_FOUR);
        emit(c, OP_POP_TOP);
        emit(c, OP_POP_TOP);
        emit(c, OP_POP_TOP);
        if (preserve_tos)
            emit(c, OP_ROT_FOUR);
        emit(c, OP_POP_EXCEPT);
        return;
    case FB_WITH:
        emit(c, OP_POP_BLOCK);
        if (preserve_tos)
            emit(c, OP_ROT_TWO);
        call_exit_with_nones(c);
        emit(c, OP_POP_TOP);
        return;
    case FB_HANDLER_CLEANUP:
        if (fb->datum)
            emit(c, OP_POP_BLOCK);
        if (preserve_tos)
            emit(c, OP_ROT_FOUR);
        emit(c, OP_POP_EXCEPT);
        if (fb->datum) {
            load_none(c);
            name_op(c, fb->datum, CTX_STORE);
            name_op(c, fb->datum, CTX_DEL);
        }
        return;
    case FB_POP_VALUE:
        if (preserve_tos)
            emit(c, OP_ROT_TWO);
        emit(c, OP_POP_TOP);
        return;
    }
}

/* Unwind the frame blocks from the innermost out, down to the innermost
 * loop (when want_loop; it is returned) or all of them (a return).  Each
 * block is popped while its exit code is compiled -- a finally body compiled
 * inline may push blocks of its own into the freed slots -- and then put
 * back from a saved copy (CPython's compiler_unwind_fblock_stack). */
static FBlock *unwind_to_loop(Compiler *c, bool preserve_tos, bool want_loop)
{
    Unit *u = c->u;
    if (u->nfblocks == 0)
        return NULL;
    FBlock *top = &u->fblocks[u->nfblocks - 1];
    if (want_loop && (top->type == FB_WHILE_LOOP || top->type == FB_FOR_LOOP))
        return top;
    FBlock copy = *top;
    u->nfblocks--;
    unwind_fblock(c, &copy, preserve_tos);
    FBlock *loop = unwind_to_loop(c, preserve_tos, want_loop);
    u->fblocks[u->nfblocks++] = copy;
    return loop;
}

static void compile_return(Compiler *c, GsStmt *s)
{
    GsExpr *v = s->v.return_.value;
    bool preserve = v && !is_constish(v);
    if (preserve)
        compile_expr(c, v);
    unwind_to_loop(c, preserve, false);
    set_line(c, s->lineno);
    if (!v)
        load_none(c);
    else if (!preserve)
        compile_expr(c, v);
    emit(c, OP_RETURN_VALUE);
}

static void compile_break_continue(Compiler *c, GsStmt *s)
{
    bool is_break = s->kind == S_BREAK;
    FBlock *loop = unwind_to_loop(c, false, true);
    if (!loop)
        cerror(c, s->lineno, s->col, is_break ? "'break' outside loop"
                                              : "'continue' not properly in loop");
    if (is_break) {
        FBlock copy = *loop;
        unwind_fblock(c, &copy, false);
        emit_jump(c, OP_JUMP_ABSOLUTE, loop->exit);
    } else {
        emit_jump(c, OP_JUMP_ABSOLUTE, loop->block);
    }
}

/* 1 if e is a constant known true, 0 if false, -1 if not a constant. */
static int expr_constant(GsExpr *e)
{
    if (e->kind == E_TUPLE && e->v.seq.ctx == CTX_CONST_TUPLE)
        return e->v.seq.elts.len != 0;
    if (!is_const(e))
        return -1;
    switch (e->v.constant.kind) {
    case C_NONE: case C_FALSE: return 0;
    case C_TRUE: case C_ELLIPSIS: return 1;
    case C_INT: return e->v.constant.i != 0;
    case C_FLOAT: return e->v.constant.f != 0;
    case C_STR: return e->v.constant.n != 0;
    }
    return -1;
}

/* Dead code is still checked (errors), but not emitted. */
static void compile_dead(Compiler *c, GsNodeList *body)
{
    bool saved = c->u->do_not_emit;
    c->u->do_not_emit = true;
    compile_stmts(c, body);
    c->u->do_not_emit = saved;
}

static void compile_if(Compiler *c, GsStmt *s)
{
    int end = new_label(c);
    int k = expr_constant(s->v.if_.test);
    if (k == 0) {
        compile_dead(c, &s->v.if_.body);
        compile_stmts(c, &s->v.if_.orelse);
    } else if (k == 1) {
        compile_stmts(c, &s->v.if_.body);
        compile_dead(c, &s->v.if_.orelse);
    } else {
        bool has_else = s->v.if_.orelse.len > 0;
        int next = has_else ? new_label(c) : end;
        jump_if(c, s->v.if_.test, next, false);
        compile_stmts(c, &s->v.if_.body);
        if (has_else) {
            emit_jump(c, OP_JUMP_FORWARD, end);
            use_label(c, next);
            compile_stmts(c, &s->v.if_.orelse);
        }
    }
    use_label(c, end);
}

static void compile_while(Compiler *c, GsStmt *s)
{
    int k = expr_constant(s->v.while_.test);
    if (k == 0) {
        compile_dead(c, &s->v.while_.body);
        compile_stmts(c, &s->v.while_.orelse);
        return;
    }
    int loop = new_label(c), end = new_label(c), anchor = -1;
    if (k == -1)
        anchor = new_label(c);
    use_label(c, loop);
    push_fblock(c, FB_WHILE_LOOP, loop, end, NULL, s->lineno);
    if (k == -1)
        jump_if(c, s->v.while_.test, anchor, false);
    compile_stmts(c, &s->v.while_.body);
    emit_jump(c, OP_JUMP_ABSOLUTE, loop);
    if (k == -1)
        use_label(c, anchor);
    pop_fblock(c);
    compile_stmts(c, &s->v.while_.orelse);
    use_label(c, end);
}

static void compile_for(Compiler *c, GsStmt *s)
{
    int start = new_label(c), cleanup = new_label(c), end = new_label(c);
    push_fblock(c, FB_FOR_LOOP, start, end, NULL, s->lineno);
    compile_expr(c, s->v.for_.iter);
    emit(c, OP_GET_ITER);
    use_label(c, start);
    emit_jump(c, OP_FOR_ITER, cleanup);
    compile_store(c, s->v.for_.target);
    compile_stmts(c, &s->v.for_.body);
    emit_jump(c, OP_JUMP_ABSOLUTE, start);
    use_label(c, cleanup);
    pop_fblock(c);
    compile_stmts(c, &s->v.for_.orelse);
    use_label(c, end);
}

static void compile_try_except(Compiler *c, GsStmt *s)
{
    int body = new_label(c), except = new_label(c), orelse = new_label(c), end = new_label(c);
    emit_jump(c, OP_SETUP_FINALLY, except);
    use_label(c, body);
    push_fblock(c, FB_TRY_EXCEPT, body, -1, NULL, s->lineno);
    compile_stmts(c, &s->v.try_.body);
    emit(c, OP_POP_BLOCK);
    pop_fblock(c);
    emit_jump(c, OP_JUMP_FORWARD, orelse);
    int n = s->v.try_.handlers.len;
    use_label(c, except);
    for (int i = 0; i < n; i++) {
        GsExceptHandler *h = GS_NTH(s->v.try_.handlers, i, GsExceptHandler);
        if (!h->type && i < n - 1)
            cerror(c, h->lineno, h->col, "default 'except:' must be last");
        c->u->lineno_set = false;
        c->u->lineno = h->lineno;
        except = new_label(c);
        if (h->type) {
            emit(c, OP_DUP_TOP);
            compile_expr(c, h->type);
            emit_jump(c, OP_JUMP_IF_NOT_EXC_MATCH, except);
        }
        emit(c, OP_POP_TOP);
        if (h->name) {
            int cleanup_end = new_label(c), cleanup_body = new_label(c);
            name_op(c, h->name, CTX_STORE);
            emit(c, OP_POP_TOP);
            emit_jump(c, OP_SETUP_FINALLY, cleanup_end);
            use_label(c, cleanup_body);
            push_fblock(c, FB_HANDLER_CLEANUP, cleanup_body, -1, h->name, h->lineno);
            compile_stmts(c, &h->body);
            pop_fblock(c);
            emit(c, OP_POP_BLOCK);
            emit(c, OP_POP_EXCEPT);
            load_none(c);
            name_op(c, h->name, CTX_STORE);
            name_op(c, h->name, CTX_DEL);
            emit_jump(c, OP_JUMP_FORWARD, end);
            use_label(c, cleanup_end);
            load_none(c);
            name_op(c, h->name, CTX_STORE);
            name_op(c, h->name, CTX_DEL);
            emit(c, OP_RERAISE);
        } else {
            int cleanup_body = new_label(c);
            emit(c, OP_POP_TOP);
            emit(c, OP_POP_TOP);
            use_label(c, cleanup_body);
            push_fblock(c, FB_HANDLER_CLEANUP, cleanup_body, -1, NULL, h->lineno);
            compile_stmts(c, &h->body);
            pop_fblock(c);
            emit(c, OP_POP_EXCEPT);
            emit_jump(c, OP_JUMP_FORWARD, end);
        }
        use_label(c, except);
    }
    emit(c, OP_RERAISE);
    use_label(c, orelse);
    compile_stmts(c, &s->v.try_.orelse);
    use_label(c, end);
}

static void compile_try(Compiler *c, GsStmt *s)
{
    if (s->v.try_.finalbody.len == 0) {
        compile_try_except(c, s);
        return;
    }
    int body = new_label(c), end = new_label(c), exit = new_label(c);
    emit_jump(c, OP_SETUP_FINALLY, end);
    use_label(c, body);
    push_fblock(c, FB_FINALLY_TRY, body, end, &s->v.try_.finalbody, s->lineno);
    if (s->v.try_.handlers.len > 0)
        compile_try_except(c, s);
    else
        compile_stmts(c, &s->v.try_.body);
    emit(c, OP_POP_BLOCK);
    pop_fblock(c);
    compile_stmts(c, &s->v.try_.finalbody);
    emit_jump(c, OP_JUMP_FORWARD, exit);
    use_label(c, end);
    push_fblock(c, FB_FINALLY_END, end, -1, NULL, s->lineno);
    compile_stmts(c, &s->v.try_.finalbody);
    pop_fblock(c);
    emit(c, OP_RERAISE);
    use_label(c, exit);
}

static void compile_with(Compiler *c, GsStmt *s, int pos)
{
    GsWithItem *item = GS_NTH(s->v.with.items, pos, GsWithItem);
    int block = new_label(c), final = new_label(c), exit = new_label(c);
    compile_expr(c, item->context_expr);
    emit_jump(c, OP_SETUP_WITH, final);
    use_label(c, block);
    push_fblock(c, FB_WITH, block, final, NULL, s->lineno);
    if (item->optional_vars)
        compile_store(c, item->optional_vars);
    else
        emit(c, OP_POP_TOP);
    if (pos + 1 == s->v.with.items.len)
        compile_stmts(c, &s->v.with.body);
    else
        compile_with(c, s, pos + 1);
    emit(c, OP_POP_BLOCK);
    pop_fblock(c);
    call_exit_with_nones(c);
    emit(c, OP_POP_TOP);
    emit_jump(c, OP_JUMP_FORWARD, exit);
    use_label(c, final);
    emit(c, OP_WITH_EXCEPT_START);
    int ok = new_label(c);
    emit_jump(c, OP_POP_JUMP_IF_TRUE, ok);
    emit(c, OP_RERAISE);
    use_label(c, ok);
    emit(c, OP_POP_TOP);
    emit(c, OP_POP_TOP);
    emit(c, OP_POP_TOP);
    emit(c, OP_POP_EXCEPT);
    emit(c, OP_POP_TOP);
    use_label(c, exit);
}

/* The docstring of a body: its first statement, if a string constant. */
static GsExpr *docstring_of(GsNodeList *body)
{
    if (body->len == 0)
        return NULL;
    GsStmt *s = GS_NTH(*body, 0, GsStmt);
    if (s->kind == S_EXPR && is_const(s->v.expr.value) &&
        s->v.expr.value->v.constant.kind == C_STR)
        return s->v.expr.value;
    return NULL;
}

static void compile_funcdef(Compiler *c, GsStmt *s)
{
    GsNodeList *decos = &s->v.funcdef.decorators;
    compile_exprs(c, decos);
    int firstlineno = decos->len ? GS_NTH(*decos, 0, GsExpr)->lineno : s->lineno;
    GsArguments *a = s->v.funcdef.args;
    int flags = compile_defaults(c, a);
    SymTab *st = st_find(c->u->ste, s);
    char *qual = make_qualname(c, s->v.funcdef.name);
    enter_scope(c, st, s->v.funcdef.name, qual, firstlineno);
    GsExpr *doc = docstring_of(&s->v.funcdef.body);
    add_const_obj(c, c->u->consts, doc ? const_object(c, doc) : GS_NONE);
    if (doc)
        set_line(c, doc->lineno);
    set_arg_counts(c, a);
    GsNodeList *body = &s->v.funcdef.body;
    for (int i = doc ? 1 : 0; i < body->len; i++)
        compile_stmts(c, &(GsNodeList){ &body->items[i], 1, 1 });
    GsObject *code = assemble(c, true);
    GsObject *qualname = gs_newref(c->ts, c->u->qualname);
    exit_scope(c);
    set_line(c, s->lineno);
    make_closure(c, code, flags, qualname);
    gs_decref(c->ts, qualname);
    for (int i = 0; i < decos->len; i++)
        emit_i(c, OP_CALL_FUNCTION, 1);
    name_op(c, s->v.funcdef.name, CTX_STORE);
}

/* Module and class bodies: a docstring is stored in __doc__. */
static void compile_body(Compiler *c, GsNodeList *body)
{
    int i = 0;
    GsExpr *doc = docstring_of(body);
    if (doc) {
        set_line(c, GS_NTH(*body, 0, GsStmt)->lineno);
        compile_expr(c, doc);
        name_op(c, "__doc__", CTX_STORE);
        i = 1;
    }
    for (; i < body->len; i++)
        compile_stmts(c, &(GsNodeList){ &body->items[i], 1, 1 });
}

static void compile_classdef(Compiler *c, GsStmt *s)
{
    GsNodeList *decos = &s->v.classdef.decorators;
    compile_exprs(c, decos);
    int firstlineno = decos->len ? GS_NTH(*decos, 0, GsExpr)->lineno : s->lineno;
    SymTab *st = st_find(c->u->ste, s);
    char *qual = make_qualname(c, s->v.classdef.name);
    enter_scope(c, st, s->v.classdef.name, qual, firstlineno);
    name_op(c, "__name__", CTX_LOAD);
    name_op(c, "__module__", CTX_STORE);
    load_const_obj(c, gs_newref(c->ts, c->u->qualname));
    name_op(c, "__qualname__", CTX_STORE);
    compile_body(c, &s->v.classdef.body);
    if (st->needs_class_closure) {
        emit_i(c, OP_LOAD_CLOSURE, find_name(c->u->cellvars, "__class__"));
        emit(c, OP_DUP_TOP);
        name_op(c, "__classcell__", CTX_STORE);
    } else {
        load_none(c);
    }
    emit(c, OP_RETURN_VALUE);
    GsObject *code = assemble(c, true);
    exit_scope(c);
    set_line(c, s->lineno);
    emit(c, OP_LOAD_BUILD_CLASS);
    GsObject *name = chk(c, gs_str_intern_c(c->ts, s->v.classdef.name));
    make_closure(c, code, 0, name);
    gs_decref(c->ts, name);
    load_str_const(c, s->v.classdef.name);
    call_helper(c, 2, &s->v.classdef.bases, &s->v.classdef.keywords);
    for (int i = 0; i < decos->len; i++)
        emit_i(c, OP_CALL_FUNCTION, 1);
    name_op(c, s->v.classdef.name, CTX_STORE);
}

static void compile_import(Compiler *c, GsStmt *s)
{
    for (int i = 0; i < s->v.import.names.len; i++) {
        GsAlias *a = GS_NTH(s->v.import.names, i, GsAlias);
        load_const_obj(c, gs_small_int(0));
        load_none(c);
        emit_i(c, OP_IMPORT_NAME, add_name(c, c->u->names, a->name));
        const char *dot = strchr(a->name, '.');
        if (a->asname) {
            if (dot)
                cerror(c, s->lineno, s->col, "gilscope has no packages: cannot import '%s'", a->name);
            name_op(c, a->asname, CTX_STORE);
        } else {
            const char *store = dot ? gs_arena_strndup(c->arena, a->name, (size_t)(dot - a->name))
                                    : a->name;
            name_op(c, store, CTX_STORE);
        }
    }
}

static void compile_importfrom(Compiler *c, GsStmt *s)
{
    GsNodeList *names = &s->v.importfrom.names;
    if (s->v.importfrom.level > 0)
        cerror(c, s->lineno, s->col, "gilscope has no packages: relative imports are not supported");
    load_const_obj(c, gs_small_int(0));
    GsObject *t = chk(c, gs_tuple_new(c->ts, (size_t)names->len));
    for (int i = 0; i < names->len; i++)
        ((GsTuple *)t)->items[i] = chk(c, gs_str_intern_c(c->ts, GS_NTH(*names, i, GsAlias)->name));
    load_const_obj(c, t);
    emit_i(c, OP_IMPORT_NAME, add_name(c, c->u->names, s->v.importfrom.module));
    for (int i = 0; i < names->len; i++) {
        GsAlias *a = GS_NTH(*names, i, GsAlias);
        emit_i(c, OP_IMPORT_FROM, add_name(c, c->u->names, a->name));
        name_op(c, a->asname ? a->asname : a->name, CTX_STORE);
    }
    emit(c, OP_POP_TOP);
}

static void compile_stmt(Compiler *c, GsStmt *s)
{
    set_line(c, s->lineno);
    switch (s->kind) {
    case S_EXPR:
        if (is_constish(s->v.expr.value))
            break;   /* a lone constant (a docstring, `...`) compiles to nothing */
        compile_expr(c, s->v.expr.value);
        emit(c, OP_POP_TOP);
        break;
    case S_ASSIGN: {
        GsNodeList *t = &s->v.assign.targets;
        compile_expr(c, s->v.assign.value);
        for (int i = 0; i < t->len; i++) {
            if (i < t->len - 1)
                emit(c, OP_DUP_TOP);
            compile_store(c, GS_NTH(*t, i, GsExpr));
        }
        break;
    }
    case S_AUGASSIGN: {
        GsExpr *e = s->v.augassign.target;
        if (e->kind == E_ATTR) {
            compile_expr(c, e->v.attr.value);
            emit(c, OP_DUP_TOP);
            emit_i(c, OP_LOAD_ATTR, add_attr_name(c, e->v.attr.attr));
        } else if (e->kind == E_SUBSCRIPT) {
            compile_expr(c, e->v.subscript.value);
            compile_expr(c, e->v.subscript.slice);
            emit(c, OP_DUP_TOP_TWO);
            emit(c, OP_BINARY_SUBSCR);
        } else {
            name_op(c, e->v.name.id, CTX_LOAD);
        }
        compile_expr(c, s->v.augassign.value);
        if (s->v.augassign.op == OP_MATMULT)
            cerror(c, s->lineno, s->col, "gilscope does not support the @ operator");
        emit(c, binop_opcode(s->v.augassign.op, true));
        if (e->kind == E_ATTR) {
            emit(c, OP_ROT_TWO);
            emit_i(c, OP_STORE_ATTR, add_attr_name(c, e->v.attr.attr));
        } else if (e->kind == E_SUBSCRIPT) {
            emit(c, OP_ROT_THREE);
            emit(c, OP_STORE_SUBSCR);
        } else {
            name_op(c, e->v.name.id, CTX_STORE);
        }
        break;
    }
    case S_DELETE:
        for (int i = 0; i < s->v.del.targets.len; i++)
            compile_store(c, GS_NTH(s->v.del.targets, i, GsExpr));
        break;
    case S_PASS:
    case S_GLOBAL:
    case S_NONLOCAL:
        break;
    case S_BREAK:
    case S_CONTINUE:
        compile_break_continue(c, s);
        break;
    case S_IF: compile_if(c, s); break;
    case S_WHILE: compile_while(c, s); break;
    case S_FOR: compile_for(c, s); break;
    case S_FUNCTIONDEF: compile_funcdef(c, s); break;
    case S_CLASSDEF: compile_classdef(c, s); break;
    case S_RETURN: compile_return(c, s); break;
    case S_IMPORT: compile_import(c, s); break;
    case S_IMPORTFROM: compile_importfrom(c, s); break;
    case S_WITH: compile_with(c, s, 0); break;
    case S_TRY: compile_try(c, s); break;
    case S_RAISE: {
        int n = 0;
        if (s->v.raise.exc) {
            compile_expr(c, s->v.raise.exc);
            n++;
            if (s->v.raise.cause) {
                compile_expr(c, s->v.raise.cause);
                n++;
            }
        }
        emit_i(c, OP_RAISE_VARARGS, n);
        break;
    }
    case S_ASSERT: {
        int end = new_label(c);
        jump_if(c, s->v.assert_.test, end, true);
        emit(c, OP_LOAD_ASSERTION_ERROR);
        if (s->v.assert_.msg) {
            compile_expr(c, s->v.assert_.msg);
            emit_i(c, OP_CALL_FUNCTION, 1);
        }
        emit_i(c, OP_RAISE_VARARGS, 1);
        use_label(c, end);
        break;
    }
    }
}

static void compile_stmts(Compiler *c, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        compile_stmt(c, GS_NTH(*l, i, GsStmt));
}

/* ======================================================================
 * The peephole optimizer (CPython 3.9's Python/peephole.c, on labels)
 * ====================================================================== */

static bool is_jump(int op) { return gs_opinfo[op].arg == GS_ARG_JREL || gs_opinfo[op].arg == GS_ARG_JABS; }
static bool is_uncond(int op) { return op == OP_JUMP_FORWARD || op == OP_JUMP_ABSOLUTE; }
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
    int l = new_label(c);
    c->u->labels[l] = i;
    return l;
}

static void mark_targets(Unit *u, bool *target)
{
    memset(target, 0, (size_t)(u->ncode + 1) * sizeof(bool));
    for (int i = 0; i < u->ncode; i++)
        if (u->code[i].opcode != OP_NOP && is_jump(u->code[i].opcode) && u->code[i].target >= 0)
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
        GsObject *t = chk(c, gs_tuple_new(c->ts, (size_t)n));
        for (int k = 0; k < n; k++) {
            GsObject *v = ((GsList *)u->consts)->items[u->code[idx[k]].arg];
            ((GsTuple *)t)->items[k] = gs_newref(c->ts, v);
            nop_out(u, idx[k]);
        }
        int r = gs_list_append(c->ts, u->consts, t);
        gs_decref(c->ts, t);
        if (r < 0) {
            free(idx);
            cfail(c);
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
static void peephole(Compiler *c)
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
            if (is_uncond(in->opcode) && tgt->opcode == OP_RETURN_VALUE) {
                /* A jump to a return becomes the return. */
                in->opcode = OP_RETURN_VALUE;
                in->target = -1;
                in->arg = 0;
                i--;   /* now a RETURN: look again for dead code after it */
            } else if (is_uncond(tgt->opcode)) {
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

/* ======================================================================
 * The assembler: wordcode, jump offsets, the line table, the stack depth
 * ====================================================================== */

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
        return 0;
    case OP_POP_TOP: case OP_LIST_APPEND: case OP_RETURN_VALUE: case OP_STORE_NAME:
    case OP_STORE_GLOBAL: case OP_DELETE_ATTR: case OP_LIST_EXTEND: case OP_DICT_MERGE:
    case OP_DICT_UPDATE: case OP_COMPARE_OP: case OP_IS_OP: case OP_CONTAINS_OP:
    case OP_IMPORT_NAME: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_STORE_FAST: case OP_STORE_DEREF:
        return -1;
    case OP_DUP_TOP: case OP_LOAD_BUILD_CLASS: case OP_LOAD_CONST: case OP_LOAD_NAME:
    case OP_IMPORT_FROM: case OP_LOAD_GLOBAL: case OP_LOAD_FAST: case OP_LOAD_CLOSURE:
    case OP_LOAD_DEREF: case OP_LOAD_CLASSDEREF: case OP_LOAD_METHOD:
    case OP_LOAD_ASSERTION_ERROR: case OP_WITH_EXCEPT_START:
        return 1;
    case OP_DUP_TOP_TWO: return 2;
    case OP_MAP_ADD: case OP_STORE_ATTR: case OP_DELETE_SUBSCR: case OP_JUMP_IF_NOT_EXC_MATCH:
        return -2;
    case OP_STORE_SUBSCR: case OP_POP_EXCEPT: case OP_RERAISE:
        return -3;
    case OP_UNPACK_SEQUENCE: return arg - 1;
    case OP_FOR_ITER: return jump ? -1 : 1;
    case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_STRING: return 1 - arg;
    case OP_BUILD_MAP: return 1 - 2 * arg;
    case OP_BUILD_CONST_KEY_MAP: return -arg;
    case OP_JUMP_IF_TRUE_OR_POP: case OP_JUMP_IF_FALSE_OR_POP: return jump ? 0 : -1;
    case OP_SETUP_FINALLY: return jump ? 6 : 0;
    case OP_SETUP_WITH: return jump ? 6 : 1;
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
            if (is_jump(op) && in->target >= 0) {
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
            if (is_uncond(op) || op == OP_RETURN_VALUE || op == OP_RERAISE ||
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

static GsObject *assemble(Compiler *c, bool add_none)
{
    Unit *u = c->u;
    if (!u->block_returns) {
        next_block(c);
        if (add_none)
            load_none(c);
        emit(c, OP_RETURN_VALUE);
    }
    peephole(c);
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
            if (is_jump(in->opcode) && in->target >= 0) {
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
    return chk(c, code);
}

/* ======================================================================
 * Entry point
 * ====================================================================== */

static void free_symtab(SymTab *st)
{
    for (int i = 0; i < st->nchildren; i++)
        free_symtab(st->children[i]);
    free(st->children);
    free(st->syms);
    free(st->index);
    free(st->params);
}

static GsObject *syntax_error(GsThread *ts, const GsSyntaxError *err, const char *filename,
                              const char *source)
{
    /* The offending line, for the caret display. */
    const char *p = source;
    for (int l = 1; l < err->lineno && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    GsObject *text = NULL;
    if (p) {
        const char *e = strchr(p, '\n');
        text = gs_str_new(ts, p, e ? (size_t)(e - p) + 1 : strlen(p));
    }
    GsObject *msg = gs_str_from(ts, err->msg);
    GsType *type = err->is_indentation ? &gs_exc_IndentationError : &gs_exc_SyntaxError;
    GsObject *exc = msg ? gs_exc_new(ts, type, &msg, 1) : NULL;
    if (exc) {
        GsObject *fn = gs_str_from(ts, filename), *ln = gs_int_new(ts, err->lineno),
                 *off = gs_int_new(ts, err->col);
        if (fn && ln && off) {
            gs_setattr(ts, exc, GS_NAME(ts, msg), msg);
            gs_setattr(ts, exc, GS_NAME(ts, filename), fn);
            gs_setattr(ts, exc, GS_NAME(ts, lineno), ln);
            gs_setattr(ts, exc, GS_NAME(ts, offset), off);
            gs_setattr(ts, exc, GS_NAME(ts, text), text ? text : GS_NONE);
        }
        gs_xdecref(ts, fn);
        gs_xdecref(ts, ln);
        gs_xdecref(ts, off);
        gs_err_set_obj(ts, exc);
        gs_decref(ts, exc);
    }
    gs_xdecref(ts, msg);
    gs_xdecref(ts, text);
    return NULL;
}

GsObject *gs_compile(GsThread *ts, const char *source, const char *filename)
{
    GsSyntaxError err = { .msg = "" };
    GsArena *arena = gs_arena_new();
    GsModuleAst *mod = gs_parse(arena, source, strlen(source), &err);
    if (!mod) {
        gs_arena_free(arena);
        return syntax_error(ts, &err, filename, source);
    }
    Compiler c = { .ts = ts, .arena = arena, .filename = filename, .err = &err };
    GsObject *volatile code = NULL;
    if (setjmp(c.fail) == 0) {
        c.filename_obj = chk(&c, gs_str_from(ts, filename));
        fold_stmts(&c, &mod->body);
        c.top = st_new(&c, ST_MODULE, "top", mod, NULL);
        st_visit_stmts(&c, c.top, &mod->body);
        analyze(&c, c.top);
        enter_scope(&c, c.top, "<module>", "<module>", 1);
        compile_body(&c, &mod->body);
        code = assemble(&c, true);
    }
    while (c.u)
        exit_scope(&c);
    if (c.top)
        free_symtab(c.top);
    gs_xdecref(ts, c.filename_obj);
    gs_arena_free(arena);
    if (!code && !c.py_error)
        return syntax_error(ts, &err, filename, source);
    return code;
}
