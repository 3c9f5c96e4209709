/*
 * codegen_expr.c -- pass 3, code generation: expressions.
 *
 * An expression compiles to instructions that leave its value on top of
 * the value stack: `a + b * 2` is LOAD a, LOAD b, LOAD_CONST 2,
 * BINARY_MULTIPLY, BINARY_ADD.  The shapes are CPython 3.9's, from its
 * Python/compile.c (a comment names the CPython function where one is
 * followed closely): chained comparisons with DUP_TOP / ROT_THREE,
 * `and` / `or` with JUMP_IF_FALSE_OR_POP, obj.meth(args) with
 * LOAD_METHOD / CALL_METHOD, constant keys folded into
 * BUILD_CONST_KEY_MAP, and so on.
 *
 * Conditions are compiled by gs_cc_jump_if, which jumps on the value
 * without building a bool where it can.  A lambda or a comprehension is a
 * function of its own: it gets a code unit, is compiled and assembled
 * there, and becomes a constant that MAKE_FUNCTION turns into a function.
 * Assignment targets (gs_cc_compile_store) are here too: `a.b = v`,
 * `a[i] = v`, `a, b = v`.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "compile_internal.h"

void gs_cc_compile_exprs(Compiler *c, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        gs_cc_compile_expr(c, GS_NTH(*l, i, GsExpr));
}

int gs_cc_binop_opcode(GsBinOp op, bool inplace)
{
    static const int bin[] = { OP_BINARY_ADD, OP_BINARY_SUBTRACT, OP_BINARY_MULTIPLY,
        OP_BINARY_TRUE_DIVIDE, OP_BINARY_FLOOR_DIVIDE, OP_BINARY_MODULO, OP_BINARY_POWER,
        OP_BINARY_LSHIFT, OP_BINARY_RSHIFT, OP_BINARY_OR, OP_BINARY_XOR, OP_BINARY_AND,
        OP_BINARY_MATRIX_MULTIPLY };
    static const int inp[] = { OP_INPLACE_ADD, OP_INPLACE_SUBTRACT, OP_INPLACE_MULTIPLY,
        OP_INPLACE_TRUE_DIVIDE, OP_INPLACE_FLOOR_DIVIDE, OP_INPLACE_MODULO, OP_INPLACE_POWER,
        OP_INPLACE_LSHIFT, OP_INPLACE_RSHIFT, OP_INPLACE_OR, OP_INPLACE_XOR, OP_INPLACE_AND,
        OP_INPLACE_MATRIX_MULTIPLY };
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
    case CMP_EQ: gs_cc_emit_i(c, OP_COMPARE_OP, GS_CMP_EQ); break;
    case CMP_NOTEQ: gs_cc_emit_i(c, OP_COMPARE_OP, GS_CMP_NE); break;
    case CMP_LT: gs_cc_emit_i(c, OP_COMPARE_OP, GS_CMP_LT); break;
    case CMP_LTE: gs_cc_emit_i(c, OP_COMPARE_OP, GS_CMP_LE); break;
    case CMP_GT: gs_cc_emit_i(c, OP_COMPARE_OP, GS_CMP_GT); break;
    case CMP_GTE: gs_cc_emit_i(c, OP_COMPARE_OP, GS_CMP_GE); break;
    case CMP_IS: gs_cc_emit_i(c, OP_IS_OP, 0); break;
    case CMP_ISNOT: gs_cc_emit_i(c, OP_IS_OP, 1); break;
    case CMP_IN: gs_cc_emit_i(c, OP_CONTAINS_OP, 0); break;
    case CMP_NOTIN: gs_cc_emit_i(c, OP_CONTAINS_OP, 1); break;
    }
}

#define CMP_AT(e, i) ((GsCmpOp)(intptr_t)(e)->v.compare.ops.items[i])

/* A chained comparison a < b < c ... with n + 1 operators, its left operand
 * already on the stack: each link but the last keeps a copy of its right
 * operand below (DUP_TOP, ROT_THREE) for the next link, and leaves for
 * `cleanup` with `jump` once the chain is false; then the last link.  As a
 * condition (gs_cc_jump_if) the jump pops, as a value (compile_compare) it
 * keeps the False -- CPython 3.9's two loops, written once. */
static void compile_compare_chain(Compiler *c, GsExpr *e, int n, int jump, int cleanup)
{
    for (int i = 0; i < n; i++) {
        gs_cc_compile_expr(c, GS_NTH(e->v.compare.comparators, i, GsExpr));
        gs_cc_emit(c, OP_DUP_TOP);
        gs_cc_emit(c, OP_ROT_THREE);
        emit_compare(c, CMP_AT(e, i));
        gs_cc_emit_jump(c, jump, cleanup);
        gs_cc_next_block(c);
    }
    gs_cc_compile_expr(c, GS_NTH(e->v.compare.comparators, n, GsExpr));
    emit_compare(c, CMP_AT(e, n));
}

/* Jump to `label` if e is true (cond) or false (!cond), without building
 * a bool when the shape of e allows it (CPython's compiler_jump_if). */
void gs_cc_jump_if(Compiler *c, GsExpr *e, int label, bool cond)
{
    switch (e->kind) {
    case E_UNARYOP:
        if (e->v.unaryop.op == UOP_NOT) {
            gs_cc_jump_if(c, e->v.unaryop.operand, label, !cond);
            return;
        }
        break;
    case E_BOOLOP: {
        GsNodeList *vals = &e->v.boolop.values;
        bool cond2 = !e->v.boolop.is_and;
        int next2 = label;
        if (cond2 != cond)
            next2 = gs_cc_new_label(c);
        for (int i = 0; i < vals->len - 1; i++)
            gs_cc_jump_if(c, GS_NTH(*vals, i, GsExpr), next2, cond2);
        gs_cc_jump_if(c, GS_NTH(*vals, vals->len - 1, GsExpr), label, cond);
        if (next2 != label)
            gs_cc_use_label(c, next2);
        return;
    }
    case E_IFEXP: {
        int end = gs_cc_new_label(c), next2 = gs_cc_new_label(c);
        gs_cc_jump_if(c, e->v.ifexp.test, next2, false);
        gs_cc_jump_if(c, e->v.ifexp.body, label, cond);
        gs_cc_emit_jump(c, OP_JUMP_FORWARD, end);
        gs_cc_use_label(c, next2);
        gs_cc_jump_if(c, e->v.ifexp.orelse, label, cond);
        gs_cc_use_label(c, end);
        return;
    }
    case E_COMPARE: {
        int n = e->v.compare.ops.len - 1;
        if (n > 0) {
            check_is_literal(c, e);
            int cleanup = gs_cc_new_label(c);
            gs_cc_compile_expr(c, e->v.compare.left);
            compile_compare_chain(c, e, n, OP_POP_JUMP_IF_FALSE, cleanup);
            gs_cc_emit_jump(c, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
            int end = gs_cc_new_label(c);
            gs_cc_emit_jump(c, OP_JUMP_FORWARD, end);
            gs_cc_use_label(c, cleanup);
            gs_cc_emit(c, OP_POP_TOP);
            if (!cond)
                gs_cc_emit_jump(c, OP_JUMP_FORWARD, label);
            gs_cc_use_label(c, end);
            return;
        }
        break;
    }
    default:
        break;
    }
    gs_cc_compile_expr(c, e);
    gs_cc_emit_jump(c, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
}

static void compile_compare(Compiler *c, GsExpr *e)
{
    check_is_literal(c, e);
    int n = e->v.compare.ops.len - 1;
    gs_cc_compile_expr(c, e->v.compare.left);
    if (n == 0) {
        gs_cc_compile_expr(c, GS_NTH(e->v.compare.comparators, 0, GsExpr));
        emit_compare(c, CMP_AT(e, 0));
        return;
    }
    int cleanup = gs_cc_new_label(c);
    compile_compare_chain(c, e, n, OP_JUMP_IF_FALSE_OR_POP, cleanup);
    int end = gs_cc_new_label(c);
    gs_cc_emit_jump(c, OP_JUMP_FORWARD, end);
    gs_cc_use_label(c, cleanup);
    gs_cc_emit(c, OP_ROT_TWO);
    gs_cc_emit(c, OP_POP_TOP);
    gs_cc_use_label(c, end);
}

static void compile_boolop(Compiler *c, GsExpr *e)
{
    int jump = e->v.boolop.is_and ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP;
    int end = gs_cc_new_label(c);
    GsNodeList *vals = &e->v.boolop.values;
    for (int i = 0; i < vals->len - 1; i++) {
        gs_cc_compile_expr(c, GS_NTH(*vals, i, GsExpr));
        gs_cc_emit_jump(c, jump, end);
        gs_cc_use_label(c, gs_cc_new_label(c));
    }
    gs_cc_compile_expr(c, GS_NTH(*vals, vals->len - 1, GsExpr));
    gs_cc_use_label(c, end);
}

static bool all_const(GsNodeList *l, int from, int to)
{
    for (int i = from; i < to; i++)
        if (!l->items[i] || !gs_cc_is_constish(GS_NTH(*l, i, GsExpr)))
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
        GsObject *t = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)n));
        for (int i = 0; i < n; i++)
            ((GsTuple *)t)->items[i] = gs_cc_const_object(c, GS_NTH(*elts, i, GsExpr));
        if (tuple) {
            gs_cc_load_const_obj(c, t);
        } else {
            if (add == OP_SET_ADD)     /* {1, 2, 3}: BUILD_SET, then a frozenset */
                t = gs_cc_frozen(c, t);
            gs_cc_emit_i(c, build, pushed);
            gs_cc_load_const_obj(c, t);
            gs_cc_emit_i(c, extend, 1);
        }
        return;
    }
    bool star = false;
    for (int i = 0; i < n; i++)
        if (GS_NTH(*elts, i, GsExpr)->kind == E_STARRED)
            star = true;
    if (!star) {
        gs_cc_compile_exprs(c, elts);
        gs_cc_emit_i(c, tuple ? OP_BUILD_TUPLE : build, n + pushed);
        return;
    }
    bool built = false;
    for (int i = 0; i < n; i++) {
        GsExpr *elt = GS_NTH(*elts, i, GsExpr);
        if (elt->kind == E_STARRED) {
            if (!built) {
                gs_cc_emit_i(c, build, i + pushed);
                built = true;
            }
            gs_cc_compile_expr(c, elt->v.starred.value);
            gs_cc_emit_i(c, extend, 1);
        } else {
            gs_cc_compile_expr(c, elt);
            if (built)
                gs_cc_emit_i(c, add, 1);
        }
    }
    if (tuple)
        gs_cc_emit(c, OP_LIST_TO_TUPLE);
}

static void compile_subdict(Compiler *c, GsExpr *e, int begin, int end)
{
    int n = end - begin;
    if (n > 1 && all_const(&e->v.dict.keys, begin, end)) {
        for (int i = begin; i < end; i++)
            gs_cc_compile_expr(c, GS_NTH(e->v.dict.values, i, GsExpr));
        GsObject *keys = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)n));
        for (int i = begin; i < end; i++)
            ((GsTuple *)keys)->items[i - begin] =
                gs_cc_const_object(c, GS_NTH(e->v.dict.keys, i, GsExpr));
        gs_cc_load_const_obj(c, keys);
        gs_cc_emit_i(c, OP_BUILD_CONST_KEY_MAP, n);
        return;
    }
    for (int i = begin; i < end; i++) {
        gs_cc_compile_expr(c, GS_NTH(e->v.dict.keys, i, GsExpr));
        gs_cc_compile_expr(c, GS_NTH(e->v.dict.values, i, GsExpr));
    }
    gs_cc_emit_i(c, OP_BUILD_MAP, n);
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
                    gs_cc_emit_i(c, OP_DICT_UPDATE, 1);
                have_dict = true;
                elements = 0;
            }
            if (!have_dict) {
                gs_cc_emit_i(c, OP_BUILD_MAP, 0);
                have_dict = true;
            }
            gs_cc_compile_expr(c, GS_NTH(e->v.dict.values, i, GsExpr));
            gs_cc_emit_i(c, OP_DICT_UPDATE, 1);
        } else {
            elements++;
        }
    }
    if (elements) {
        compile_subdict(c, e, n - elements, n);
        if (have_dict)
            gs_cc_emit_i(c, OP_DICT_UPDATE, 1);
        have_dict = true;
    }
    if (!have_dict)
        gs_cc_emit_i(c, OP_BUILD_MAP, 0);
}

/* Keyword arguments packed into a dict for CALL_FUNCTION_EX. */
static void compile_subkwargs(Compiler *c, GsNodeList *kws, int begin, int end)
{
    int n = end - begin;
    if (n > 1) {
        for (int i = begin; i < end; i++)
            gs_cc_compile_expr(c, GS_NTH(*kws, i, GsKeyword)->value);
        GsObject *keys = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)n));
        for (int i = begin; i < end; i++)
            ((GsTuple *)keys)->items[i - begin] =
                gs_cc_check(c, gs_str_intern_c(c->ts, GS_NTH(*kws, i, GsKeyword)->name));
        gs_cc_load_const_obj(c, keys);
        gs_cc_emit_i(c, OP_BUILD_CONST_KEY_MAP, n);
        return;
    }
    for (int i = begin; i < end; i++) {
        gs_cc_load_str_const(c, GS_NTH(*kws, i, GsKeyword)->name);
        gs_cc_compile_expr(c, GS_NTH(*kws, i, GsKeyword)->value);
    }
    gs_cc_emit_i(c, OP_BUILD_MAP, n);
}

void gs_cc_call_helper(Compiler *c, int pushed, GsNodeList *args, GsNodeList *kws)
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
        gs_cc_compile_exprs(c, args);
        if (nkw > 0) {
            GsObject *names = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)nkw));
            for (int i = 0; i < nkw; i++) {
                GsKeyword *k = GS_NTH(*kws, i, GsKeyword);
                gs_cc_compile_expr(c, k->value);
                ((GsTuple *)names)->items[i] = gs_cc_check(c, gs_str_intern_c(c->ts, k->name));
            }
            gs_cc_load_const_obj(c, names);
            gs_cc_emit_i(c, OP_CALL_FUNCTION_KW, nargs + nkw + pushed);
        } else {
            gs_cc_emit_i(c, OP_CALL_FUNCTION, nargs + pushed);
        }
        return;
    }
    if (pushed == 0 && nargs == 1 && GS_NTH(*args, 0, GsExpr)->kind == E_STARRED)
        gs_cc_compile_expr(c, GS_NTH(*args, 0, GsExpr)->v.starred.value);
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
                    gs_cc_emit_i(c, OP_DICT_MERGE, 1);
                have_dict = true;
                nseen = 0;
            }
            if (!have_dict) {
                gs_cc_emit_i(c, OP_BUILD_MAP, 0);
                have_dict = true;
            }
            gs_cc_compile_expr(c, k->value);
            gs_cc_emit_i(c, OP_DICT_MERGE, 1);
        }
        if (nseen) {
            compile_subkwargs(c, kws, nkw - nseen, nkw);
            if (have_dict)
                gs_cc_emit_i(c, OP_DICT_MERGE, 1);
        }
    }
    gs_cc_emit_i(c, OP_CALL_FUNCTION_EX, nkw > 0);
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
        gs_cc_compile_expr(c, f->v.attr.value);
        gs_cc_emit_i(c, OP_LOAD_METHOD, gs_cc_add_attr_name(c, f->v.attr.attr));
        gs_cc_compile_exprs(c, &e->v.call.args);
        gs_cc_emit_i(c, OP_CALL_METHOD, e->v.call.args.len);
        return;
    }
    gs_cc_compile_expr(c, f);
    gs_cc_check_keywords(c, &e->v.call.keywords, e->lineno, e->col);
    gs_cc_call_helper(c, 0, &e->v.call.args, &e->v.call.keywords);
}

/* ---- making functions: lambdas and comprehensions here, def and class in
 * codegen_stmt.c --------------------------------------------------------------------- */

/* Where the enclosing unit keeps the cell for free variable `name` of an
 * inner code object: an index for LOAD_CLOSURE, or -1 if it has none. */
static int closure_index(Compiler *c, GsObject *name)
{
    const char *s = gs_str_cstr(name);
    int idx = gs_cc_find_name(c->u->cellvars, s);
    if (idx >= 0)
        return idx;
    int fidx = gs_cc_find_name(c->u->freevars, s);
    return fidx < 0 ? -1 : (int)((GsList *)c->u->cellvars)->len + fidx;
}

/* Push the closure tuple (if any), the code, the qualname; MAKE_FUNCTION.
 * Every free name is checked before anything is emitted, so that the error
 * (a symbol table bug, not the program's) gives back code and qualname. */
void gs_cc_make_closure(Compiler *c, GsObject *code, int flags, GsObject *qualname)
{
    GsCode *co = (GsCode *)code;
    GsTuple *free = (GsTuple *)co->freevars;
    for (size_t i = 0; i < free->len; i++) {
        if (closure_index(c, free->items[i]) < 0) {
            char name[128];
            snprintf(name, sizeof name, "%s", gs_str_cstr(free->items[i]));
            int line = co->firstlineno;
            gs_decref(c->ts, code);
            gs_decref(c->ts, qualname);
            gs_cc_error(c, line, 0, "gilscope's compiler cannot pass '%s' into this scope", name);
        }
    }
    if (free->len > 0) {
        for (size_t i = 0; i < free->len; i++)
            gs_cc_emit_i(c, OP_LOAD_CLOSURE, closure_index(c, free->items[i]));
        flags |= 0x08;
        gs_cc_emit_i(c, OP_BUILD_TUPLE, (int)free->len);
    }
    gs_cc_load_const_obj(c, code);
    gs_cc_load_const_obj(c, qualname);
    gs_cc_emit_i(c, OP_MAKE_FUNCTION, flags);
}

int gs_cc_compile_defaults(Compiler *c, GsArguments *a)
{
    int flags = 0;
    if (a->defaults.len > 0) {
        gs_cc_compile_exprs(c, &a->defaults);
        gs_cc_emit_i(c, OP_BUILD_TUPLE, a->defaults.len);
        flags |= 0x01;
    }
    int nkw = 0;
    for (int i = 0; i < a->kwonlyargs.len; i++)
        if (a->kw_defaults.items[i])
            nkw++;
    if (nkw) {
        GsObject *keys = gs_cc_check(c, gs_tuple_new(c->ts, (size_t)nkw));
        int k = 0;
        for (int i = 0; i < a->kwonlyargs.len; i++) {
            GsExpr *d = GS_NTH(a->kw_defaults, i, GsExpr);
            if (!d)
                continue;
            gs_cc_compile_expr(c, d);
            ((GsTuple *)keys)->items[k++] =
                gs_cc_check(c, gs_str_intern_c(c->ts, GS_NTH(a->kwonlyargs, i, GsArg)->name));
        }
        gs_cc_load_const_obj(c, keys);
        gs_cc_emit_i(c, OP_BUILD_CONST_KEY_MAP, nkw);
        flags |= 0x02;
    }
    return flags;
}

void gs_cc_set_arg_counts(Compiler *c, GsArguments *a)
{
    c->u->argcount = a->args.len;
    c->u->posonlyargcount = a->posonlyargcount;
    c->u->kwonlyargcount = a->kwonlyargs.len;
    c->u->arg_flags = (a->vararg ? GS_CO_VARARGS : 0) | (a->kwarg ? GS_CO_VARKEYWORDS : 0);
}

static void compile_lambda(Compiler *c, GsExpr *e)
{
    GsArguments *a = e->v.lambda.args;
    gs_cc_check_params(c, a, e->lineno, e->col);
    int flags = gs_cc_compile_defaults(c, a);
    SymTab *st = gs_sym_find(c->u->ste, e);
    char *qual = gs_cc_make_qualname(c, "<lambda>");
    gs_cc_enter_scope(c, st, "<lambda>", qual, e->lineno);
    gs_cc_add_const_obj(c, c->u->consts, GS_NONE);  /* co_consts[0] is None: no docstring */
    gs_cc_set_arg_counts(c, a);
    gs_cc_set_line(c, e->lineno);
    gs_cc_compile_expr(c, e->v.lambda.body);
    gs_cc_emit(c, OP_RETURN_VALUE);
    GsObject *code = gs_cc_assemble(c, true);
    GsObject *qualname = gs_newref(c->ts, c->u->qualname);
    gs_cc_exit_scope(c);
    gs_cc_make_closure(c, code, flags, qualname);
}

/* A list or dict comprehension or a generator expression: an inner
 * function called with the outermost iterator (CPython's
 * compiler_comprehension).  A generator expression's function yields each
 * element instead of collecting it. */
/* What the innermost clause does with each element. */
static void comprehension_element(Compiler *c, GsExpr *e, int gen_index)
{
    if (e->kind == E_LISTCOMP || e->kind == E_SETCOMP) {
        gs_cc_compile_expr(c, e->v.comp.elt);
        gs_cc_emit_i(c, e->kind == E_LISTCOMP ? OP_LIST_APPEND : OP_SET_ADD, gen_index + 2);
    } else if (e->kind == E_GENEXP) {
        gs_cc_compile_expr(c, e->v.comp.elt);
        gs_cc_emit(c, OP_YIELD_VALUE);
        gs_cc_emit(c, OP_POP_TOP);
    } else {
        gs_cc_compile_expr(c, e->v.comp.elt);
        gs_cc_compile_expr(c, e->v.comp.value);
        gs_cc_emit_i(c, OP_MAP_ADD, gen_index + 2);
    }
}

static void comprehension_generator(Compiler *c, GsExpr *e, int gen_index);

/* The body of one clause, after its target is bound: the `if`s, then the
 * next clause or the element. */
static void comprehension_body(Compiler *c, GsExpr *e, GsComprehension *g, int gen_index,
                               int if_cleanup)
{
    for (int i = 0; i < g->ifs.len; i++) {
        gs_cc_jump_if(c, GS_NTH(g->ifs, i, GsExpr), if_cleanup, false);
        gs_cc_next_block(c);
    }
    if (gen_index + 1 < e->v.comp.generators.len)
        comprehension_generator(c, e, gen_index + 1);
    else
        comprehension_element(c, e, gen_index);
}

/* An `async for` clause (CPython's compiler_async_comprehension_generator):
 * each step awaits __anext__() inside a SETUP_FINALLY, whose handler,
 * END_ASYNC_FOR, ends the loop on StopAsyncIteration. */
static void async_comprehension_generator(Compiler *c, GsExpr *e, int gen_index)
{
    GsComprehension *g = GS_NTH(e->v.comp.generators, gen_index, GsComprehension);
    int start = gs_cc_new_label(c), except = gs_cc_new_label(c);
    int if_cleanup = gs_cc_new_label(c);
    if (gen_index == 0) {
        c->u->argcount = 1;
        gs_cc_emit_i(c, OP_LOAD_FAST, 0);
    } else {
        gs_cc_compile_expr(c, g->iter);
        gs_cc_emit(c, OP_GET_AITER);
    }
    gs_cc_use_label(c, start);
    gs_cc_emit_jump(c, OP_SETUP_FINALLY, except);
    gs_cc_emit(c, OP_GET_ANEXT);   /* GET_ANEXT's result is awaitable already */
    gs_cc_load_none(c);
    gs_cc_emit(c, OP_YIELD_FROM);
    gs_cc_emit(c, OP_POP_BLOCK);
    gs_cc_compile_expr(c, g->target);
    comprehension_body(c, e, g, gen_index, if_cleanup);
    gs_cc_use_label(c, if_cleanup);
    gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, start);
    gs_cc_use_label(c, except);
    gs_cc_emit(c, OP_END_ASYNC_FOR);
}

/* A list or dict comprehension or a generator expression: an inner
 * function called with the outermost iterator (CPython's
 * compiler_comprehension).  A generator expression's function yields each
 * element instead of collecting it. */
static void comprehension_generator(Compiler *c, GsExpr *e, int gen_index)
{
    GsComprehension *g = GS_NTH(e->v.comp.generators, gen_index, GsComprehension);
    if (g->is_async) {
        async_comprehension_generator(c, e, gen_index);
        return;
    }
    int start = gs_cc_new_label(c), if_cleanup = gs_cc_new_label(c), anchor = gs_cc_new_label(c);
    if (gen_index == 0) {
        c->u->argcount = 1;
        gs_cc_emit_i(c, OP_LOAD_FAST, 0);
    } else {
        gs_cc_compile_expr(c, g->iter);
        gs_cc_emit(c, OP_GET_ITER);
    }
    gs_cc_use_label(c, start);
    gs_cc_emit_jump(c, OP_FOR_ITER, anchor);
    gs_cc_next_block(c);
    gs_cc_compile_expr(c, g->target);
    comprehension_body(c, e, g, gen_index, if_cleanup);
    gs_cc_use_label(c, if_cleanup);
    gs_cc_emit_jump(c, OP_JUMP_ABSOLUTE, start);
    gs_cc_use_label(c, anchor);
}

static void compile_comprehension(Compiler *c, GsExpr *e)
{
    /* One level of C recursion per `for` clause: bound it like the
     * parser bounds nesting. */
    if (e->v.comp.generators.len > 200)
        gs_cc_error(c, e->lineno, e->col, "too many 'for' clauses in a comprehension for gilscope "
                    "(limit: 200)");
    const char *name = e->kind == E_LISTCOMP ? "<listcomp>"
                       : e->kind == E_GENEXP ? "<genexpr>"
                       : e->kind == E_SETCOMP ? "<setcomp>" : "<dictcomp>";
    SymTab *st = gs_sym_find(c->u->ste, e);
    /* An async comprehension (one that awaits, or has an `async for`)
     * runs as a coroutine, which only an async function can await; an
     * async generator expression is fine anywhere (CPython 3.9's rule,
     * which asks the scope around, so a comprehension nested in another
     * cannot await even inside an async def). */
    if (st->is_coroutine && !c->u->ste->is_coroutine && e->kind != E_GENEXP)
        gs_cc_error(c, e->lineno, e->col,
                    "asynchronous comprehension outside of an asynchronous function");
    GsComprehension *outermost = GS_NTH(e->v.comp.generators, 0, GsComprehension);
    char *qual = gs_cc_make_qualname(c, name);
    gs_cc_enter_scope(c, st, name, qual, e->lineno);
    gs_cc_set_line(c, e->lineno);
    if (e->kind != E_GENEXP)
        gs_cc_emit_i(c, e->kind == E_LISTCOMP ? OP_BUILD_LIST
                        : e->kind == E_SETCOMP ? OP_BUILD_SET : OP_BUILD_MAP, 0);
    comprehension_generator(c, e, 0);
    if (e->kind == E_GENEXP)
        gs_cc_load_none(c);
    gs_cc_emit(c, OP_RETURN_VALUE);
    GsObject *code = gs_cc_assemble(c, true);
    GsObject *qualname = gs_newref(c->ts, c->u->qualname);
    gs_cc_exit_scope(c);
    gs_cc_make_closure(c, code, 0, qualname);
    gs_cc_compile_expr(c, outermost->iter);
    gs_cc_emit(c, outermost->is_async ? OP_GET_AITER : OP_GET_ITER);
    gs_cc_emit_i(c, OP_CALL_FUNCTION, 1);
    if (st->is_coroutine && e->kind != E_GENEXP)
        gs_cc_emit_await(c);   /* the list is the coroutine's result */
}

/* `await x`: GET_AWAITABLE makes x's iterator (x itself for a coroutine,
 * else what x.__await__() returns), and YIELD_FROM runs it to its end,
 * passing up to the caller of send() whatever it yields on the way.  So an
 * await is a `yield from` with a check on what may be awaited.  Allowed in
 * an `async def` and in comprehensions (which then need an async def
 * around them: compile_comprehension), as CPython's compiler decides. */
static void compile_await(Compiler *c, GsExpr *e)
{
    SymTab *st = c->u->ste;
    if (st->type != ST_FUNCTION)
        gs_cc_error(c, e->lineno, e->col, "'await' outside function");
    if (!st->is_async_def && !st->is_comprehension)
        gs_cc_error(c, e->lineno, e->col, "'await' outside async function");
    gs_cc_compile_expr(c, e->v.yield.value);
    gs_cc_emit_await(c);
}

void gs_cc_emit_await(Compiler *c)
{
    gs_cc_emit(c, OP_GET_AWAITABLE);
    gs_cc_load_none(c);
    gs_cc_emit(c, OP_YIELD_FROM);
}

static void compile_formatted(Compiler *c, GsExpr *e)
{
    gs_cc_compile_expr(c, e->v.formatted.value);
    int conv = e->v.formatted.conversion, oparg;
    switch (conv) {
    case 's': oparg = 1; break;
    case 'r': oparg = 2; break;
    case 'a': oparg = 3; break;
    default: oparg = 0; break;
    }
    if (e->v.formatted.format_spec) {
        gs_cc_compile_expr(c, e->v.formatted.format_spec);
        oparg |= 4;
    }
    gs_cc_emit_i(c, OP_FORMAT_VALUE, oparg);
}

static void compile_slice_part(Compiler *c, GsExpr *e)
{
    if (e)
        gs_cc_compile_expr(c, e);
    else
        gs_cc_load_none(c);
}

static void compile_expr_inner(Compiler *c, GsExpr *e);

/* A sub-expression on another line gets its own line number, and the line
 * goes back to the enclosing expression's after it (CPython 3.9's
 * compiler_visit_expr): `f(a,\n  b)` has lines 1, 2, 1. */
void gs_cc_compile_expr(Compiler *c, GsExpr *e)
{
    int old = c->u->lineno;
    gs_cc_set_line(c, e->lineno);
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
        gs_cc_load_const(c, e);
        break;
    case E_NAME:
        if (e->v.name.ctx == CTX_STORE)   /* a comprehension's target */
            gs_cc_check_store_name(c, e->v.name.id, e->lineno, e->col);
        gs_cc_name_op(c, e->v.name.id, e->v.name.ctx);
        break;
    case E_ATTR:
        if (e->v.attr.ctx != CTX_LOAD) {
            gs_cc_compile_store(c, e);
            break;
        }
        gs_cc_compile_expr(c, e->v.attr.value);
        gs_cc_emit_i(c, OP_LOAD_ATTR, gs_cc_add_attr_name(c, e->v.attr.attr));
        break;
    case E_SUBSCRIPT:
        if (e->v.subscript.ctx != CTX_LOAD) {
            gs_cc_compile_store(c, e);
            break;
        }
        gs_cc_compile_expr(c, e->v.subscript.value);
        gs_cc_compile_expr(c, e->v.subscript.slice);
        gs_cc_emit(c, OP_BINARY_SUBSCR);
        break;
    case E_SLICE:
        compile_slice_part(c, e->v.slice.lower);
        compile_slice_part(c, e->v.slice.upper);
        if (e->v.slice.step)
            gs_cc_compile_expr(c, e->v.slice.step);
        gs_cc_emit_i(c, OP_BUILD_SLICE, e->v.slice.step ? 3 : 2);
        break;
    case E_CALL:
        compile_call(c, e);
        break;
    case E_BINOP:
        gs_cc_compile_expr(c, e->v.binop.left);
        gs_cc_compile_expr(c, e->v.binop.right);
        gs_cc_emit(c, gs_cc_binop_opcode(e->v.binop.op, false));
        break;
    case E_UNARYOP:
        gs_cc_compile_expr(c, e->v.unaryop.operand);
        gs_cc_emit(c, e->v.unaryop.op == UOP_NOT ? OP_UNARY_NOT
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
        int end = gs_cc_new_label(c), next = gs_cc_new_label(c);
        gs_cc_jump_if(c, e->v.ifexp.test, next, false);
        gs_cc_compile_expr(c, e->v.ifexp.body);
        gs_cc_emit_jump(c, OP_JUMP_FORWARD, end);
        gs_cc_use_label(c, next);
        gs_cc_compile_expr(c, e->v.ifexp.orelse);
        gs_cc_use_label(c, end);
        break;
    }
    case E_LIST:
        if (e->v.seq.ctx != CTX_LOAD) {
            gs_cc_compile_store(c, e);
            break;
        }
        starunpack(c, &e->v.seq.elts, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, false);
        break;
    case E_TUPLE:
        if (e->v.seq.ctx == CTX_CONST_TUPLE) {
            gs_cc_load_const(c, e);
            break;
        }
        if (e->v.seq.ctx != CTX_LOAD) {
            gs_cc_compile_store(c, e);
            break;
        }
        starunpack(c, &e->v.seq.elts, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, true);
        break;
    case E_SET:
        if (e->v.seq.ctx == CTX_CONST_FROZENSET)
            gs_cc_load_const(c, e);
        else
            starunpack(c, &e->v.seq.elts, 0, OP_BUILD_SET, OP_SET_ADD, OP_SET_UPDATE, false);
        break;
    case E_DICT:
        compile_dict(c, e);
        break;
    case E_LISTCOMP:
    case E_SETCOMP:
    case E_DICTCOMP:
    case E_GENEXP:
        compile_comprehension(c, e);
        break;
    case E_YIELD:
        if (e->v.yield.value)
            gs_cc_compile_expr(c, e->v.yield.value);
        else
            gs_cc_load_none(c);
        gs_cc_emit(c, OP_YIELD_VALUE);
        break;
    case E_YIELDFROM:
        if (c->u->ste->is_async_def)
            gs_cc_error(c, e->lineno, e->col, "'yield from' inside async function");
        gs_cc_compile_expr(c, e->v.yield.value);
        gs_cc_emit(c, OP_GET_YIELD_FROM_ITER);
        gs_cc_load_none(c);
        gs_cc_emit(c, OP_YIELD_FROM);
        break;
    case E_AWAIT:
        compile_await(c, e);
        break;
    case E_JOINEDSTR:
        gs_cc_compile_exprs(c, &e->v.joined.values);
        if (e->v.joined.values.len != 1)
            gs_cc_emit_i(c, OP_BUILD_STRING, e->v.joined.values.len);
        break;
    case E_FORMATTED:
        compile_formatted(c, e);
        break;
    case E_LAMBDA:
        compile_lambda(c, e);
        break;
    case E_NAMEDEXPR:
        /* (x := v): v stays on the stack as the expression's value, and a
         * copy is stored to x. */
        gs_cc_compile_expr(c, e->v.namedexpr.value);
        gs_cc_emit(c, OP_DUP_TOP);
        gs_cc_compile_store(c, e->v.namedexpr.target);
        break;
    case E_STARRED:
        if (e->v.starred.ctx == CTX_STORE)
            gs_cc_compile_store(c, e);   /* reports the misplaced target */
        gs_cc_error(c, e->lineno, e->col, "can't use starred expression here");
    }
}

/* The unpacking instruction of a tuple or list target (CPython's
 * unpack_helper).  Without a star, UNPACK_SEQUENCE n.  With one,
 * `a, b, *rest, c = seq` is UNPACK_EX with the count of targets before the
 * star in the low byte and the count after it in the bytes above: the
 * star's list is built from whatever is left between them. */
static void compile_unpack(Compiler *c, GsExpr *e)
{
    int n = e->v.seq.elts.len, star = -1;
    for (int i = 0; i < n; i++) {
        if (GS_NTH(e->v.seq.elts, i, GsExpr)->kind != E_STARRED)
            continue;
        if (star >= 0)
            gs_cc_error(c, e->lineno, e->col, "multiple starred expressions in assignment");
        if (i >= 1 << 8 || n - i - 1 >= INT_MAX >> 8)
            gs_cc_error(c, e->lineno, e->col, "too many expressions in star-unpacking assignment");
        star = i;
    }
    if (star < 0)
        gs_cc_emit_i(c, OP_UNPACK_SEQUENCE, n);
    else
        gs_cc_emit_i(c, OP_UNPACK_EX, star + ((n - star - 1) << 8));
}

/* Assignment targets; the value is on the stack. */
void gs_cc_compile_store(Compiler *c, GsExpr *e)
{
    gs_cc_set_line(c, e->lineno);
    GsCtx ctx;
    switch (e->kind) {
    case E_NAME:
        if (e->v.name.ctx == CTX_STORE)
            gs_cc_check_store_name(c, e->v.name.id, e->lineno, e->col);
        gs_cc_name_op(c, e->v.name.id, e->v.name.ctx);
        return;
    case E_ATTR:
        ctx = e->v.attr.ctx;
        gs_cc_compile_expr(c, e->v.attr.value);
        gs_cc_emit_i(c, ctx == CTX_DEL ? OP_DELETE_ATTR : OP_STORE_ATTR,
                     gs_cc_add_attr_name(c, e->v.attr.attr));
        return;
    case E_SUBSCRIPT:
        ctx = e->v.subscript.ctx;
        gs_cc_compile_expr(c, e->v.subscript.value);
        gs_cc_compile_expr(c, e->v.subscript.slice);
        gs_cc_emit(c, ctx == CTX_DEL ? OP_DELETE_SUBSCR : OP_STORE_SUBSCR);
        return;
    case E_LIST:
    case E_TUPLE:
        if (e->v.seq.ctx == CTX_DEL) {
            for (int i = 0; i < e->v.seq.elts.len; i++)
                gs_cc_compile_store(c, GS_NTH(e->v.seq.elts, i, GsExpr));
            return;
        }
        compile_unpack(c, e);
        for (int i = 0; i < e->v.seq.elts.len; i++) {
            GsExpr *elt = GS_NTH(e->v.seq.elts, i, GsExpr);
            gs_cc_compile_store(c, elt->kind == E_STARRED ? elt->v.starred.value : elt);
        }
        return;
    case E_STARRED:
        /* A starred target is only legal as an item of a tuple or list
         * target, where the case above unwraps it before we get here. */
        gs_cc_error(c, e->lineno, e->col, "starred assignment target must be in a list or tuple");
        return;
    default:
        gs_cc_error(c, e->lineno, e->col, "cannot assign to expression");
    }
}
