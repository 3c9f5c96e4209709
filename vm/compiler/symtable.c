/*
 * symtable.c -- pass 2: where does each name live?
 *
 * `x` compiles to LOAD_FAST, LOAD_GLOBAL, LOAD_NAME or LOAD_DEREF
 * depending on where x lives, and that depends on the whole function, not
 * on the line being compiled: an assignment further down makes x local
 * from the first line on (hence UnboundLocalError), and an inner function
 * that reads x turns it into a cell.  So before any code is generated,
 * this pass (CPython's Python/symtable.c) looks at the whole tree, in two
 * steps:
 *
 *   - construction: one table per scope (module, function, class, lambda,
 *     comprehension), recording how each name is used in it: bound,
 *     read, a parameter, declared global or nonlocal;
 *   - analysis: from those uses, each name's scope: local, global
 *     (explicit or implicit), free (an enclosing function's variable) or
 *     cell (a local that an inner function uses).
 *
 * Code generation then asks gs_sym_scope where each name it loads or
 * stores lives (unit.c's gs_cc_name_op), and gs_sym_find for the table of
 * each def, class, lambda and comprehension it enters.  Private names
 * (`__x` in a class) are mangled here too, as CPython does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

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
        parent->children = gs_cc_grow(parent->children, &parent->capchildren,
                                      parent->nchildren + 1, sizeof(SymTab *));
        parent->children[parent->nchildren++] = st;
    }
    return st;
}

/* Private name mangling (CPython's _Py_Mangle): inside class C, an
 * identifier __x (not ending in __) becomes _C__x; C's leading underscores
 * are dropped. */
const char *gs_sym_mangle(Compiler *c, const char *private_name, const char *name)
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

Symbol *gs_sym_lookup(SymTab *st, const char *name)
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
    name = gs_sym_mangle(c, st->private_name, name);
    Symbol *s = gs_sym_lookup(st, name);
    if (!s) {
        st->syms = gs_cc_grow(st->syms, &st->capsyms, st->nsyms + 1, sizeof(Symbol));
        s = &st->syms[st->nsyms];
        s->name = name;
        s->flags = 0;
        s->scope = SC_NONE;
        s->dir_lineno = 0;
        s->dir_col = 0;
        st_index_add(st, st->nsyms);
        st->nsyms++;
    }
    if ((flag & DEF_PARAM) && (s->flags & DEF_PARAM))
        gs_cc_error(c, lineno, col, "duplicate argument '%s' in function definition", name);
    if ((flag & (DEF_LOCAL | USE)) && (s->flags & DEF_GLOBAL) == 0 && st->type != ST_MODULE) {
        /* fine */
    }
    if ((flag & (DEF_GLOBAL | DEF_NONLOCAL)) && s->dir_lineno == 0) {
        s->dir_lineno = lineno;
        s->dir_col = col;
    }
    s->flags |= flag;
    if ((flag & DEF_LOCAL) && st->comp_iter_target) {
        /* `[(x := 1) for _ in y for x in z]`: an iteration variable that a
         * := earlier in the comprehension made the enclosing scope's. */
        if (s->flags & (DEF_GLOBAL | DEF_NONLOCAL)) {
            const GsExpr *comp = st->node;
            gs_cc_error(c, comp->lineno, comp->col - 1,   /* 3.9's offset, as below */
                        "comprehension inner loop cannot rebind assignment expression target '%s'",
                        name);
        }
        s->flags |= DEF_COMP_ITER;
    }
    if (flag & DEF_PARAM) {
        st->params = gs_cc_grow(st->params, &st->capparams, st->nparams + 1, sizeof(char *));
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
    st->comp_iter_expr++;
    st_visit_expr(c, st, first->iter);
    st->comp_iter_expr--;
    const char *name = e->kind == E_LISTCOMP ? "listcomp"
                       : e->kind == E_GENEXP ? "genexpr"
                       : e->kind == E_SETCOMP ? "setcomp" : "dictcomp";
    SymTab *inner = st_new(c, ST_FUNCTION, name, e, st);
    inner->is_comprehension = true;
    inner->is_generator = e->kind == E_GENEXP;
    st_add(c, inner, ".0", DEF_PARAM | DEF_LOCAL, e->lineno, e->col);
    for (int i = 0; i < e->v.comp.generators.len; i++) {
        GsComprehension *g = GS_NTH(e->v.comp.generators, i, GsComprehension);
        /* `async for` in any clause makes the comprehension's function a
         * coroutine (an async generator, for a generator expression). */
        if (g->is_async)
            inner->is_coroutine = true;
        inner->comp_iter_target = true;
        st_visit_expr(c, inner, g->target);
        inner->comp_iter_target = false;
        if (i > 0) {
            inner->comp_iter_expr++;
            st_visit_expr(c, inner, g->iter);
            inner->comp_iter_expr--;
        }
        st_visit_exprs(c, inner, &g->ifs);
    }
    /* A dict comprehension's value before its key, as CPython visits them
     * (it decides which := conflict is reported first). */
    if (e->v.comp.value)
        st_visit_expr(c, inner, e->v.comp.value);
    st_visit_expr(c, inner, e->v.comp.elt);
}

/*
 * `x := v` inside a comprehension binds x in the scope around the
 * comprehension (PEP 572), skipping nested comprehensions: in the nearest
 * function x is local, and the comprehension reaches it as a free
 * variable; at module level x is global.  A class body cannot be that
 * scope, and x cannot be one of the comprehension's own iteration
 * variables.  CPython's symtable_extend_namedexpr_scope.
 *
 * CPython 3.9 gives these errors the target's 0-based column as the
 * 1-based offset, so its caret stands one character left of the name
 * (3.10 fixed that); gilscope copies 3.9 with `col - 1`.
 */
static void st_namedexpr_in_comprehension(Compiler *c, SymTab *st, GsExpr *target)
{
    const char *name = target->v.name.id;
    for (SymTab *p = st; p; p = p->parent) {
        Symbol *s = gs_sym_lookup(p, name);
        if (p->is_comprehension) {
            if (s && (s->flags & DEF_COMP_ITER))
                gs_cc_error(c, target->lineno, target->col - 1,
                            "assignment expression cannot rebind comprehension iteration "
                            "variable '%s'", name);
            continue;
        }
        if (p->type == ST_CLASS)
            gs_cc_error(c, target->lineno, target->col - 1,
                        "assignment expression within a comprehension cannot be used in a "
                        "class body");
        bool global = p->type == ST_MODULE || (s && (s->flags & DEF_GLOBAL));
        st_add(c, st, name, global ? DEF_GLOBAL : DEF_NONLOCAL, target->lineno, target->col);
        st_add(c, p, name, p->type == ST_MODULE ? DEF_GLOBAL : DEF_LOCAL, target->lineno,
               target->col);
        return;
    }
}

static void st_visit_namedexpr(Compiler *c, SymTab *st, GsExpr *e)
{
    if (st->comp_iter_expr > 0)
        gs_cc_error(c, e->lineno, e->col - 1,
                    "assignment expression cannot be used in a comprehension iterable "
                    "expression");
    if (st->is_comprehension)
        st_namedexpr_in_comprehension(c, st, e->v.namedexpr.target);
    st_visit_expr(c, st, e->v.namedexpr.value);
    st_visit_expr(c, st, e->v.namedexpr.target);
}

/* yield makes the function it is in a generator; outside a function, or
 * inside a comprehension (which is a function of its own since 3.0), it
 * is an error, as CPython 3.8+ says. */
static void st_visit_yield(Compiler *c, SymTab *st, GsExpr *e)
{
    if (st->type != ST_FUNCTION)
        gs_cc_error(c, e->lineno, e->col, "'yield' outside function");
    if (st->is_comprehension) {
        const GsExpr *comp = st->node;
        gs_cc_error(c, e->lineno, e->col, "'yield' inside %s",
                    comp->kind == E_LISTCOMP ? "list comprehension"
                    : comp->kind == E_GENEXP ? "generator expression"
                    : comp->kind == E_SETCOMP ? "set comprehension" : "dict comprehension");
    }
    st->is_generator = true;
    st_visit_expr(c, st, e->v.yield.value);
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
    case E_SET:
        st_visit_exprs(c, st, &e->v.seq.elts);
        break;
    case E_DICT:
        st_visit_exprs(c, st, &e->v.dict.keys);
        st_visit_exprs(c, st, &e->v.dict.values);
        break;
    case E_LISTCOMP:
    case E_SETCOMP:
    case E_DICTCOMP:
    case E_GENEXP:
        st_visit_comprehension(c, st, e);
        break;
    case E_YIELD:
    case E_YIELDFROM:
        st_visit_yield(c, st, e);
        break;
    case E_AWAIT:
        /* Whether await is allowed here is the code generator's to say
         * (CPython's compiler, not its symtable, reports it). */
        st_visit_expr(c, st, e->v.yield.value);
        st->is_coroutine = true;
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
    case E_NAMEDEXPR:
        st_visit_namedexpr(c, st, e);
        break;
    }
}

/* A def's annotations are evaluated in the scope around it. */
static void st_visit_annotations(Compiler *c, SymTab *st, GsArguments *a, GsExpr *returns)
{
    for (int i = 0; i < a->args.len; i++)
        st_visit_expr(c, st, GS_NTH(a->args, i, GsArg)->annotation);
    if (a->vararg)
        st_visit_expr(c, st, a->vararg->annotation);
    for (int i = 0; i < a->kwonlyargs.len; i++)
        st_visit_expr(c, st, GS_NTH(a->kwonlyargs, i, GsArg)->annotation);
    if (a->kwarg)
        st_visit_expr(c, st, a->kwarg->annotation);
    st_visit_expr(c, st, returns);
}

/* `x: int [= v]`: a simple name is bound (and annotated) in this scope,
 * and cannot be one declared global or nonlocal here (CPython 3.9). */
static void st_visit_annassign(Compiler *c, SymTab *st, GsStmt *s)
{
    GsExpr *target = s->v.annassign.target;
    if (target->kind == E_NAME) {
        const char *name = target->v.name.id;
        Symbol *sym = gs_sym_lookup(st, gs_sym_mangle(c, st->private_name, name));
        if (sym && (sym->flags & (DEF_GLOBAL | DEF_NONLOCAL)) && st != c->top &&
            s->v.annassign.simple)
            gs_cc_error(c, s->lineno, s->col, "annotated name '%s' can't be %s", name,
                        (sym->flags & DEF_GLOBAL) ? "global" : "nonlocal");
        if (s->v.annassign.simple)
            st_add(c, st, name, DEF_ANNOT | DEF_LOCAL, s->lineno, s->col);
        else if (s->v.annassign.value)
            st_add(c, st, name, DEF_LOCAL, s->lineno, s->col);
    } else {
        st_visit_expr(c, st, target);
    }
    st_visit_expr(c, st, s->v.annassign.annotation);
    st_visit_expr(c, st, s->v.annassign.value);
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
        st_visit_annotations(c, st, a, s->v.funcdef.returns);
        st_visit_exprs(c, st, &s->v.funcdef.decorators);
        SymTab *inner = st_new(c, ST_FUNCTION, s->v.funcdef.name, s, st);
        inner->is_coroutine = inner->is_async_def = s->v.funcdef.is_async;
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
            gs_cc_error(c, s->lineno, s->col, "'return' outside function");
        st_visit_expr(c, st, s->v.return_.value);
        break;
    case S_GLOBAL:
    case S_NONLOCAL:
        for (int i = 0; i < s->v.global.names.len; i++) {
            const char *n = GS_NTH(s->v.global.names, i, const char);
            Symbol *sym = gs_sym_lookup(st, n);
            bool is_global = s->kind == S_GLOBAL;
            if (sym && (sym->flags & (DEF_LOCAL | USE | DEF_PARAM)) && !(sym->flags & (DEF_GLOBAL | DEF_NONLOCAL))) {
                /* CPython 3.9's order: parameter, used, annotated, assigned */
                if (sym->flags & DEF_PARAM)
                    gs_cc_error(c, s->lineno, s->col, "name '%s' is parameter and %s", n,
                                is_global ? "global" : "nonlocal");
                if (!(sym->flags & USE) && (sym->flags & DEF_ANNOT))
                    gs_cc_error(c, s->lineno, s->col, "annotated name '%s' can't be %s", n,
                                is_global ? "global" : "nonlocal");
                gs_cc_error(c, s->lineno, s->col, (sym->flags & USE)
                            ? "name '%s' is used prior to %s declaration"
                            : "name '%s' is assigned to before %s declaration", n,
                            is_global ? "global" : "nonlocal");
            }
            if (!is_global && st->type == ST_MODULE)
                gs_cc_error(c, s->lineno, s->col,
                            "nonlocal declaration not allowed at module level");
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
            /* PEP 563 would turn every annotation into a string: refused
             * rather than compiled as if it were not there. */
            if (s->v.importfrom.module && strcmp(s->v.importfrom.module, "__future__") == 0 &&
                strcmp(a->name, "annotations") == 0)
                gs_cc_error(c, s->lineno, s->col,
                            "gilscope does not support 'from __future__ import annotations'");
            if (strcmp(a->name, "*") == 0) {
                /* It binds names nobody can know at compile time: only a
                 * module's namespace (a dict) can take them.  CPython
                 * blames the enclosing def or class line. */
                if (st->type != ST_MODULE) {
                    const GsStmt *block = st->node;
                    gs_cc_error(c, block->lineno, block->col,
                                "import * only allowed at module level");
                }
                continue;
            }
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
    case S_ANNASSIGN:
        st_visit_annassign(c, st, s);
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
    Symbol *s = gs_sym_lookup(st, name);
    return s && (s->flags & (DEF_LOCAL | DEF_PARAM)) && !(s->flags & (DEF_GLOBAL | DEF_NONLOCAL));
}

/* Is `name` bound by an enclosing function scope of st (classes skipped)? */
static SymTab *binding_function(SymTab *st, const char *name)
{
    for (SymTab *p = st->parent; p; p = p->parent) {
        if (p->type == ST_MODULE)
            return NULL;
        if (p->type == ST_FUNCTION) {
            Symbol *s = gs_sym_lookup(p, name);
            if (s && (s->flags & DEF_GLOBAL))
                return NULL;
            if (binds(p, name))
                return p;
        }
    }
    return NULL;
}

/* Is some scope enclosing st a class body?  Its __class__ cell is then
 * there for a super() in st or in scopes inside st. */
static bool inside_class(SymTab *st)
{
    for (SymTab *p = st->parent; p; p = p->parent)
        if (p->type == ST_CLASS)
            return true;
    return false;
}

/* Make `name` available as a free variable from st up to its binder. */
static void add_free_path(Compiler *c, SymTab *st, SymTab *binder, const char *name)
{
    for (SymTab *p = st; p && p != binder; p = p->parent) {
        Symbol *s = gs_sym_lookup(p, name);
        if (!s) {
            st_add(c, p, name, p->type == ST_CLASS ? DEF_FREE_CLASS : USE, 0, 0);
            s = gs_sym_lookup(p, name);
        } else if (p->type == ST_CLASS) {
            s->flags |= DEF_FREE_CLASS;
        }
        if (p->type == ST_FUNCTION || s->scope == SC_NONE || !(s->flags & DEF_LOCAL))
            s->scope = p->type == ST_CLASS && (s->flags & DEF_LOCAL) ? s->scope : SC_FREE;
    }
    Symbol *bs = gs_sym_lookup(binder, name);
    if (bs)
        bs->scope = SC_CELL;
}

static void analyze(Compiler *c, SymTab *st)
{
    for (int i = 0; i < st->nsyms; i++) {
        Symbol *s = &st->syms[i];
        if (s->scope != SC_NONE)
            continue;
        /* Errors about a declaration point at the first `global` or
         * `nonlocal` naming it, as CPython's do. */
        if ((s->flags & DEF_GLOBAL) && (s->flags & DEF_NONLOCAL))
            gs_cc_error(c, s->dir_lineno, s->dir_col, "name '%s' is nonlocal and global", s->name);
        if (s->flags & DEF_GLOBAL)
            s->scope = SC_GLOBAL_EXPLICIT;
        else if (s->flags & DEF_NONLOCAL) {
            SymTab *b = binding_function(st, s->name);
            if (!b)
                gs_cc_error(c, s->dir_lineno, s->dir_col, "no binding for nonlocal '%s' found",
                            s->name);
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
            else if (strcmp(s->name, "__class__") == 0 && st->type == ST_FUNCTION &&
                     inside_class(st)) {
                /* super() in a lambda or comprehension inside a method: pass
                 * __class__ through the method to the class above.  With no
                 * class above, it stays an unbound global, as in CPython:
                 * super() then fails only when called ("__class__ cell not
                 * found"). */
                add_free_path(c, ch, st, s->name);
                if (!gs_sym_lookup(st, s->name))
                    st_add(c, st, s->name, USE, 0, 0);
                gs_sym_lookup(st, s->name)->scope = SC_FREE;
            }
        }
    }
}

/* The table of the scope that `node` (a def, class, lambda or
 * comprehension directly inside st) opens. */
SymTab *gs_sym_find(SymTab *st, const void *node)
{
    for (int i = 0; i < st->nchildren; i++)
        if (st->children[i]->node == node)
            return st->children[i];
    return NULL;
}

/* The scope analyze() gave `name` in st; a name st never saw is global. */
GsScope gs_sym_scope(SymTab *st, const char *name)
{
    Symbol *s = gs_sym_lookup(st, name);
    if (strcmp(name, "__class__") == 0 && st->type == ST_CLASS && st->needs_class_closure)
        return SC_CELL;
    return s ? s->scope : (st->type == ST_MODULE ? SC_GLOBAL_IMPLICIT : SC_GLOBAL_IMPLICIT);
}

/* ---- the pass, and freeing the tables ------------------------------------- */

void gs_sym_build(Compiler *c, GsModuleAst *mod)
{
    /* c->top is set before the walk, so that gs_compile frees the tables
     * even when a syntax error unwinds from the middle of it. */
    c->top = st_new(c, ST_MODULE, "top", mod, NULL);
    st_visit_stmts(c, c->top, &mod->body);
    analyze(c, c->top);
}

/* The tables themselves live in the arena; their arrays are malloc'ed. */
void gs_sym_free(SymTab *st)
{
    for (int i = 0; i < st->nchildren; i++)
        gs_sym_free(st->children[i]);
    free(st->children);
    free(st->syms);
    free(st->index);
    free(st->params);
}
