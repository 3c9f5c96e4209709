/*
 * unit.c -- the code unit: what code generation writes into.
 *
 * Each scope being compiled (the module, a class body, a function, a
 * lambda, a comprehension) has a Unit: the future code object, still in
 * pieces.  Code generation (codegen_expr.c, codegen_stmt.c) writes into
 * it only through the helpers of this file:
 *
 *   - instructions and labels: gs_cc_emit appends an instruction;
 *     a jump names a label, a number standing for a place in the code
 *     that gs_cc_use_label fixes later (the assembler turns it into an
 *     offset once the code's size is known);
 *   - constants and names: gs_cc_add_const_obj and gs_cc_add_name give
 *     a value's index in co_consts / co_names / co_varnames, adding it
 *     the first time, as CPython's compiler_add_o does;
 *   - entering and leaving scopes: a new Unit for each def, lambda,
 *     class and comprehension, with its cell and free variables taken
 *     from the symbol table;
 *   - name operations: gs_cc_name_op picks LOAD_FAST / LOAD_GLOBAL /
 *     LOAD_NAME / LOAD_DEREF (and their STORE and DELETE forms) from
 *     where the symbol table says the name lives.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "objects/bigint.h"

/* ---- instructions and labels ------------------------------------------------------- */

int gs_cc_new_label(Compiler *c)
{
    Unit *u = c->u;
    u->labels = gs_cc_grow(u->labels, &u->caplabels, u->nlabels + 1, sizeof(int));
    u->labels[u->nlabels] = -1;
    return u->nlabels++;
}

/* Start a new basic block at `label` (CPython's compiler_use_next_block). */
void gs_cc_use_label(Compiler *c, int label)
{
    c->u->labels[label] = c->u->ncode;
    c->u->block_returns = false;
}

/* A new unnamed basic block (CPython's NEXT_BLOCK). */
void gs_cc_next_block(Compiler *c) { c->u->block_returns = false; }

static void emit_full(Compiler *c, int opcode, int arg, int target)
{
    Unit *u = c->u;
    if (u->do_not_emit)
        return;
    u->code = gs_cc_grow(u->code, &u->capcode, u->ncode + 1, sizeof(Instr));
    Instr *in = &u->code[u->ncode++];
    in->opcode = opcode;
    in->arg = arg;
    in->target = target;
    in->lineno = u->lineno_set ? 0 : u->lineno;
    u->lineno_set = true;
    if (opcode == OP_RETURN_VALUE)
        u->block_returns = true;
}

void gs_cc_emit(Compiler *c, int opcode) { emit_full(c, opcode, 0, -1); }
void gs_cc_emit_i(Compiler *c, int opcode, int arg) { emit_full(c, opcode, arg, -1); }
void gs_cc_emit_jump(Compiler *c, int opcode, int label) { emit_full(c, opcode, 0, label); }

void gs_cc_set_line(Compiler *c, int lineno)
{
    if (lineno != c->u->lineno) {
        c->u->lineno = lineno;
        c->u->lineno_set = false;
    }
}

static bool const_same(GsObject *a, GsObject *b);

/* Two frozensets of the same constants (by const_same, so {1} and {True}
 * differ, as _PyCode_ConstantKey makes them). */
static bool frozen_same(GsObject *a, GsObject *b)
{
    if (((GsSet *)a)->used != ((GsSet *)b)->used)
        return false;
    int64_t pa = 0;
    GsObject *ka, *kb;
    while (gs_set_next(a, &pa, &ka)) {
        bool found = false;
        for (int64_t pb = 0; !found && gs_set_next(b, &pb, &kb);)
            found = const_same(ka, kb);
        if (!found)
            return false;
    }
    return true;
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
        return gs_int_compare(a, b) == 0;
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
    if (a->type == &gs_frozenset_type)    /* the same keys, in any order */
        return frozen_same(a, b);
    return false;
}

/* A hash consistent with const_same: equal constants hash alike. */
static unsigned const_hash(GsObject *o)
{
    unsigned h = (unsigned)(uintptr_t)o->type * 2654435761u;
    if (GS_IS_INT(o)) {
        uint64_t v = (uint64_t)gs_int_hash(o);
        return h ^ (unsigned)v ^ (unsigned)(v >> 32);
    }
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
    if (o->type == &gs_frozenset_type) {   /* order-blind, like frozen_same */
        int64_t pos = 0;
        GsObject *k;
        unsigned sum = 0;
        while (gs_set_next(o, &pos, &k))
            sum += const_hash(k);
        return h ^ sum;
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
        gs_cc_fail(c);
    int pos = (int)l->len - 1;
    if (2 * (size_t)(pos + 1) > (size_t)ix->cap) {
        int cap = ix->cap ? ix->cap * 2 : 16;
        int *slots = calloc((size_t)cap, sizeof *slots);
        if (!slots)
            gs_cc_fail(c);
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
int gs_cc_add_const_obj(Compiler *c, GsObject *list, GsObject *o)
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
        gs_cc_fail(c);
    return (int)l->len - 1;
}

int gs_cc_add_name(Compiler *c, GsObject *list, const char *name)
{
    return gs_cc_add_const_obj(c, list, gs_cc_check(c, gs_str_intern_c(c->ts, name)));
}

/* co_names index of an attribute name, mangled like any private name. */
int gs_cc_add_attr_name(Compiler *c, const char *attr)
{
    return gs_cc_add_name(c, c->u->names, gs_sym_mangle(c, c->u->ste->private_name, attr));
}

int gs_cc_find_name(GsObject *list, const char *name)
{
    GsList *l = (GsList *)list;
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(gs_str_cstr(l->items[i]), name) == 0)
            return (int)i;
    return -1;
}

/* CPython builds the frozenset from the display's items, then, when it
 * files the constant (merge_consts_recursive), builds it once more from
 * the first one's keys in their table order.  Where keys collide, the
 * second build can order them differently; dis shows that one. */
GsObject *gs_cc_frozen(Compiler *c, GsObject *tuple)
{
    GsThread *ts = c->ts;
    GsObject *first = gs_frozenset_new(ts, tuple);
    gs_decref(ts, tuple);
    GsObject *keys = first ? gs_sequence_to_list(ts, first) : NULL;
    gs_xdecref(ts, first);
    GsObject *again = keys ? gs_frozenset_new(ts, keys) : NULL;
    gs_xdecref(ts, keys);
    return gs_cc_check(c, again);
}

GsObject *gs_cc_const_object(Compiler *c, GsExpr *e)
{
    GsThread *ts = c->ts;
    if (e->kind == E_TUPLE || e->kind == E_SET) {
        GsObject *t = gs_cc_check(c, gs_tuple_new(ts, (size_t)e->v.seq.elts.len));
        for (int i = 0; i < e->v.seq.elts.len; i++)
            ((GsTuple *)t)->items[i] = gs_cc_const_object(c, GS_NTH(e->v.seq.elts, i, GsExpr));
        return e->kind == E_SET ? gs_cc_frozen(c, t) : t;
    }
    switch (e->v.constant.kind) {
    case C_NONE: return GS_NONE;
    case C_TRUE: return GS_TRUE;
    case C_FALSE: return GS_FALSE;
    case C_ELLIPSIS: return &gs_ellipsis_obj;
    case C_INT:
        if (e->v.constant.s) {   /* beyond int64: hex digits (ast.h) */
            mpz_t z;
            mpz_init_set_str(z, e->v.constant.s, 16);
            return gs_cc_check(c, gs_int_take_mpz(ts, z));
        }
        return gs_cc_check(c, gs_int_new(ts, e->v.constant.i));
    case C_FLOAT: return gs_cc_check(c, gs_float_new(ts, e->v.constant.f));
    case C_STR: {
        GsObject *s = gs_cc_check(c, gs_str_new(ts, e->v.constant.s, e->v.constant.n));
        /* CPython interns constant strings that look like identifiers. */
        return gs_cc_check(c, gs_str_intern(ts, s));
    }
    }
    return GS_NONE;
}

void gs_cc_load_const_obj(Compiler *c, GsObject *o)
{
    if (c->u->do_not_emit) {   /* dead code leaves no constants behind */
        gs_decref(c->ts, o);
        return;
    }
    gs_cc_emit_i(c, OP_LOAD_CONST, gs_cc_add_const_obj(c, c->u->consts, o));
}

void gs_cc_load_const(Compiler *c, GsExpr *e)
{
    gs_cc_load_const_obj(c, gs_cc_const_object(c, e));
}

void gs_cc_load_none(Compiler *c) { gs_cc_load_const_obj(c, GS_NONE); }

void gs_cc_load_str_const(Compiler *c, const char *s)
{
    gs_cc_load_const_obj(c, gs_cc_check(c, gs_str_intern_c(c->ts, s)));
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
        gs_cc_add_name(c, want == SC_CELL ? u->cellvars : u->freevars, names[i]);
    free(names);
}

void gs_cc_enter_scope(Compiler *c, SymTab *ste, const char *name, const char *qualname,
                       int firstlineno)
{
    GsThread *ts = c->ts;
    Unit *u = calloc(1, sizeof *u);
    if (!u)
        abort();
    u->parent = c->u;
    u->ste = ste;
    u->name = gs_cc_check(c, gs_str_intern_c(ts, name));
    u->qualname = gs_cc_check(c, gs_str_from(ts, qualname));
    u->consts = gs_cc_check(c, gs_list_new(ts, 0));
    u->names = gs_cc_check(c, gs_list_new(ts, 0));
    u->varnames = gs_cc_check(c, gs_list_new(ts, 0));
    u->cellvars = gs_cc_check(c, gs_list_new(ts, 0));
    u->freevars = gs_cc_check(c, gs_list_new(ts, 0));
    u->firstlineno = firstlineno;
    c->u = u;
    for (int i = 0; i < ste->nparams; i++)
        gs_cc_add_name(c, u->varnames, ste->params[i]);
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

void gs_cc_exit_scope(Compiler *c)
{
    Unit *u = c->u;
    c->u = u->parent;
    free_unit(c->ts, u);
}

/* The qualified name CPython gives a function or class defined in u. */
char *gs_cc_make_qualname(Compiler *c, const char *name)
{
    Unit *u = c->u;
    char buf[512];
    if (u->ste->type == ST_MODULE) {
        snprintf(buf, sizeof buf, "%s", name);
    } else {
        Symbol *s = gs_sym_lookup(u->ste, name);
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

/* CPython 3.9 refuses to bind `__debug__` (a constant, folded to True),
 * whichever statement would bind it: an assignment, a loop or `with`
 * target, def, class, import, `except ... as`, a parameter, a keyword
 * argument.  `del __debug__` still compiles, and fails when it runs. */
void gs_cc_check_store_name(Compiler *c, const char *name, int lineno, int col)
{
    if (name && strcmp(name, "__debug__") == 0)
        gs_cc_error(c, lineno, col, "cannot assign to __debug__");
}

void gs_cc_check_keywords(Compiler *c, GsNodeList *kws, int lineno, int col)
{
    for (int i = 0; i < kws->len; i++)
        gs_cc_check_store_name(c, GS_NTH(*kws, i, GsKeyword)->name, lineno, col);
}

void gs_cc_check_params(Compiler *c, GsArguments *a, int lineno, int col)
{
    for (int i = 0; i < a->args.len; i++)
        gs_cc_check_store_name(c, GS_NTH(a->args, i, GsArg)->name, lineno, col);
    for (int i = 0; i < a->kwonlyargs.len; i++)
        gs_cc_check_store_name(c, GS_NTH(a->kwonlyargs, i, GsArg)->name, lineno, col);
    if (a->vararg)
        gs_cc_check_store_name(c, a->vararg->name, lineno, col);
    if (a->kwarg)
        gs_cc_check_store_name(c, a->kwarg->name, lineno, col);
}

void gs_cc_name_op(Compiler *c, const char *name, GsCtx ctx)
{
    Unit *u = c->u;
    name = gs_sym_mangle(c, u->ste->private_name, name);
    GsScope sc = gs_sym_scope(u->ste, name);
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
        int idx = gs_cc_find_name(u->cellvars, name);
        if (idx < 0) {
            idx = gs_cc_find_name(u->freevars, name);
            idx += (int)((GsList *)u->cellvars)->len;
        }
        op = ctx == CTX_LOAD ? (u->ste->type == ST_CLASS ? OP_LOAD_CLASSDEREF : OP_LOAD_DEREF)
           : ctx == CTX_STORE ? OP_STORE_DEREF : OP_DELETE_DEREF;
        gs_cc_emit_i(c, op, idx);
        return;
    }
    case OPT_FAST:
        op = ctx == CTX_LOAD ? OP_LOAD_FAST : ctx == CTX_STORE ? OP_STORE_FAST : OP_DELETE_FAST;
        gs_cc_emit_i(c, op, gs_cc_add_name(c, u->varnames, name));
        return;
    case OPT_GLOBAL:
        op = ctx == CTX_LOAD ? OP_LOAD_GLOBAL : ctx == CTX_STORE ? OP_STORE_GLOBAL
                                                                 : OP_DELETE_GLOBAL;
        break;
    default:
        op = ctx == CTX_LOAD ? OP_LOAD_NAME : ctx == CTX_STORE ? OP_STORE_NAME : OP_DELETE_NAME;
        break;
    }
    gs_cc_emit_i(c, op, gs_cc_add_name(c, u->names, name));
}
