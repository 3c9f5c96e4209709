/*
 * fold.c -- pass 1: constant folding on the syntax tree.
 *
 * CPython evaluates at compile time what cannot change at run time: `-1`
 * is one constant, not 1 negated; `2 ** 10` is 1024; `(1, 2)` is one
 * tuple constant; `x in [1, 2]` tests against the tuple (1, 2); `"-" * 40`
 * is one string.  Students see the result in every `dis` listing, so we
 * fold exactly what CPython 3.9's Python/ast_opt.c folds (the parts our
 * subset of Python needs), and nothing it would leave for run time:
 * whatever would raise (division by zero, overflow) or build something
 * big stays an operation.
 *
 * The pass rewrites the tree in place, before the symbol table sees it.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "compile_internal.h"
#include "objects/bigint.h"

static void fold_expr(Compiler *c, GsExpr *e);

static void fold_exprs(Compiler *c, GsNodeList *l)
{
    for (int i = 0; i < l->len; i++)
        if (l->items[i])
            fold_expr(c, GS_NTH(*l, i, GsExpr));
}

/* A tuple of constants is a constant: flag it (CTX_CONST_TUPLE). */
static GsExpr *fold_const_tuple(Compiler *c, GsExpr *e)
{
    for (int i = 0; i < e->v.seq.elts.len; i++)
        if (!gs_cc_is_constish(GS_NTH(e->v.seq.elts, i, GsExpr)))
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

/* num_value's answer for an int beyond int64 (ast.h: C_INT with hex
 * digits): not a number it can fold in int64; fold_int_binop and
 * fold_int_unary have already folded what CPython folds. */
static bool fold_big(GsExpr *e) { (void)e; return false; }

/* ---- ints of any size, with GMP ------------------------------------------
 * ast_opt.c folds int operations with Python's unbounded ints, except
 * that *, ** and << are left for run time when the result could pass
 * MAX_INT_SIZE (128) bits: the .pyc must not hold giant numbers. */
#define MAX_INT_SIZE 128

/* The value of an int or bool constant into z (initialised); false if e
 * is not one. */
static bool int_const(GsExpr *e, mpz_t z, bool *is_bool)
{
    if (!gs_cc_is_const(e))
        return false;
    switch (e->v.constant.kind) {
    case C_TRUE: mpz_init_set_si(z, 1); *is_bool = true; return true;
    case C_FALSE: mpz_init_set_si(z, 0); *is_bool = true; return true;
    case C_INT:
        *is_bool = false;
        if (e->v.constant.s)
            mpz_init_set_str(z, e->v.constant.s, 16);
        else
            mpz_init_set_si(z, (long)e->v.constant.i);
        return true;
    default: return false;
    }
}

static size_t nbits(mpz_srcptr z) { return mpz_sgn(z) ? mpz_sizeinbase(z, 2) : 0; }

/* x <op> y into r as ast_opt.c would fold it; false: leave it for run
 * time (it raises, gives a float, or would be too big). */
static bool int_binop_value(GsBinOp op, mpz_srcptr x, mpz_srcptr y, mpz_t r)
{
    switch (op) {
    case OP_ADD: mpz_add(r, x, y); return true;
    case OP_SUB: mpz_sub(r, x, y); return true;
    case OP_BITAND: mpz_and(r, x, y); return true;
    case OP_BITOR: mpz_ior(r, x, y); return true;
    case OP_BITXOR: mpz_xor(r, x, y); return true;
    case OP_MULT:
        if (mpz_sgn(x) && mpz_sgn(y) && nbits(x) + nbits(y) > MAX_INT_SIZE)
            return false;
        mpz_mul(r, x, y);
        return true;
    case OP_POW:
        if (mpz_sgn(y) < 0 || !mpz_fits_ulong_p(y))
            return false;   /* a float (fold_binop's business), or huge */
        if (mpz_sgn(x) && mpz_sgn(y) && nbits(x) > MAX_INT_SIZE / mpz_get_ui(y))
            return false;
        mpz_pow_ui(r, x, mpz_get_ui(y));
        return true;
    case OP_LSHIFT:
        if (mpz_sgn(y) < 0 || !mpz_fits_ulong_p(y))
            return false;
        if (mpz_sgn(x) && mpz_sgn(y) &&
            (mpz_get_ui(y) > MAX_INT_SIZE || nbits(x) > MAX_INT_SIZE - mpz_get_ui(y)))
            return false;
        mpz_mul_2exp(r, x, mpz_get_ui(y));
        return true;
    case OP_RSHIFT:
        if (mpz_sgn(y) < 0)
            return false;
        if (!mpz_fits_ulong_p(y) || mpz_get_ui(y) > nbits(x))
            mpz_set_si(r, mpz_sgn(x) < 0 ? -1 : 0);
        else
            mpz_fdiv_q_2exp(r, x, mpz_get_ui(y));
        return true;
    case OP_FLOORDIV:
        if (!mpz_sgn(y))
            return false;
        mpz_fdiv_q(r, x, y);
        return true;
    case OP_MOD:
        if (!mpz_sgn(y))
            return false;
        mpz_fdiv_r(r, x, y);
        return true;
    default:
        return false;
    }
}

/* x / y with a big operand: bigint.c's correctly rounded quotient (the
 * run-time code, so that the constant is what running would give); not
 * folded when it would raise (a quotient beyond the largest double). */
static void fold_int_true_divide(Compiler *c, GsExpr *e, mpz_srcptr x, mpz_srcptr y)
{
    GsObject *a = gs_int_from_mpz(c->ts, x), *b = a ? gs_int_from_mpz(c->ts, y) : NULL;
    GsObject *q = b ? gs_int_binop(c->ts, GS_INTOP_TRUEDIV, a, b) : NULL;
    if (q)
        make_float(e, gs_float_value(q));
    else
        gs_err_clear(c->ts);
    gs_xdecref(c->ts, q);
    gs_xdecref(c->ts, b);
    gs_xdecref(c->ts, a);
}

/* An operation on two int constants when one of them, or the result, is
 * beyond int64.  True if it dealt with e (folded or not); false leaves
 * e to fold_binop (int64 operands: its own rules, bools, floats). */
static bool fold_int_binop(Compiler *c, GsExpr *e)
{
    mpz_t x, y, r;
    bool xb, yb, dealt = false;
    if (!int_const(e->v.binop.left, x, &xb))
        return false;
    if (!int_const(e->v.binop.right, y, &yb)) {
        mpz_clear(x);
        return false;
    }
    GsBinOp op = e->v.binop.op;
    bool wide = !mpz_fits_slong_p(x) || !mpz_fits_slong_p(y);
    mpz_init(r);
    if (!(xb && yb) && op != OP_DIV && !(op == OP_POW && mpz_sgn(y) < 0) &&
        int_binop_value(op, x, y, r) && (wide || !mpz_fits_slong_p(r))) {
        gs_ast_set_int(c->arena, e, r);
        dealt = true;
    } else if ((wide || nbits(x) > 53 || nbits(y) > 53) && op == OP_DIV && mpz_sgn(y)) {
        /* beyond 2**53 an int is not always a double: (double)a / (double)b
         * would round twice */
        fold_int_true_divide(c, e, x, y);
        dealt = true;
    } else if (wide) {
        dealt = true;   /* negative powers of big ints stay */
    }
    mpz_clears(x, y, r, NULL);
    return dealt;
}

/* -x, +x, ~x of an int constant beyond int64 (or -(-2**63)). */
static bool fold_int_unary(Compiler *c, GsExpr *e)
{
    mpz_t x;
    bool xb;
    GsUnaryOp op = e->v.unaryop.op;
    if (op == UOP_NOT || !int_const(e->v.unaryop.operand, x, &xb))
        return false;
    bool dealt = !xb && (!mpz_fits_slong_p(x) || (op == UOP_NEG && mpz_cmp_si(x, LONG_MIN) == 0));
    if (dealt) {
        if (op == UOP_NEG)
            mpz_neg(x, x);
        else if (op == UOP_INVERT)
            mpz_com(x, x);
        gs_ast_set_int(c->arena, e, x);
    }
    mpz_clear(x);
    return dealt;
}

static bool num_value(GsExpr *e, bool *isint, int64_t *i, double *f)
{
    if (!gs_cc_is_const(e))
        return false;
    switch (e->v.constant.kind) {
    case C_INT:
        if (e->v.constant.s)
            return fold_big(e);   /* beyond int64: see fold_big */
        *isint = true; *i = e->v.constant.i; *f = (double)*i; return true;
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
    bool both_bool = gs_cc_is_const(e->v.binop.left) && gs_cc_is_const(e->v.binop.right) &&
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
            /* the same fit test as ops.c: -1 << 63 folds, 1 << 63 does not */
            if (a == 0 && b >= 0)   /* any count: ast_opt.c folds 0 << n */
                make_int(e, 0);
            else if (b >= 0 && b <= 63 && a <= (INT64_MAX >> b) && a >= (INT64_MIN >> b))
                make_int(e, (int64_t)((uint64_t)a << b));
            return;
        case OP_RSHIFT:
            if (b >= 0)   /* CPython folds any >>: a huge count leaves the sign */
                make_int(e, b >= 63 ? (a < 0 ? -1 : 0) : a >> b);
            return;
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
    if (e->v.subscript.ctx != CTX_LOAD || !gs_cc_is_const(k) || k->v.constant.kind != C_INT)
        return;
    int64_t i = k->v.constant.i;
    if (v->kind == E_TUPLE && v->v.seq.ctx == CTX_CONST_TUPLE) {
        int64_t n = v->v.seq.elts.len;
        if (i < 0)
            i += n;
        if (i >= 0 && i < n)
            *e = *GS_NTH(v->v.seq.elts, i, GsExpr);
    } else if (gs_cc_is_const(v) && v->v.constant.kind == C_STR) {
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
        if (!gs_cc_is_const(o))
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
 * constant, a set of constants a frozenset constant (fold_iter in
 * ast_opt.c): only membership and iteration see it, and they cannot tell. */
static void fold_iter(GsExpr *e)
{
    if (e && e->kind == E_SET) {
        for (int i = 0; i < e->v.seq.elts.len; i++)
            if (!gs_cc_is_constish(GS_NTH(e->v.seq.elts, i, GsExpr)))
                return;
        e->v.seq.ctx = CTX_CONST_FROZENSET;
        return;
    }
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
    if (!gs_cc_is_const(l) || !gs_cc_is_const(r))
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
        if (!fold_int_binop(c, e))
            fold_binop(e);
        if (e->kind == E_BINOP)
            fold_str_binop(c, e);
        if (e->kind == E_BINOP)
            fold_tuple_binop(c, e);
        break;
    case E_UNARYOP:
        fold_expr(c, e->v.unaryop.operand);
        if (!fold_int_unary(c, e))
            fold_unary(e);
        break;
    case E_TUPLE:
        fold_exprs(c, &e->v.seq.elts);
        if (e->v.seq.ctx == CTX_LOAD)
            fold_const_tuple(c, e);
        break;
    case E_LIST:
    case E_SET:
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
    case E_YIELD:
    case E_YIELDFROM:
    case E_AWAIT:
        if (e->v.yield.value)
            fold_expr(c, e->v.yield.value);
        break;
    case E_LISTCOMP:
    case E_SETCOMP:
    case E_DICTCOMP:
    case E_GENEXP:
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
    case E_NAMEDEXPR: fold_expr(c, e->v.namedexpr.value); break;
    case E_NAME:
        /* `__debug__` is True (gilscope has no -O), and a constant: `if
         * __debug__:` compiles without a test, as in CPython 3.9. */
        if (e->v.name.ctx == CTX_LOAD && strcmp(e->v.name.id, "__debug__") == 0) {
            e->kind = E_CONST;
            e->v.constant.kind = C_TRUE;
        }
        break;
    case E_CONST:
        break;
    }
}

static void fold_stmts(Compiler *c, GsNodeList *l);

/* A def's annotations are folded too: `x: 1 + 1` stores 2. */
static void fold_annotations(Compiler *c, GsArguments *a, GsExpr *returns)
{
    GsNodeList *lists[] = { &a->args, &a->kwonlyargs };
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < lists[k]->len; i++)
            if (GS_NTH(*lists[k], i, GsArg)->annotation)
                fold_expr(c, GS_NTH(*lists[k], i, GsArg)->annotation);
    if (a->vararg && a->vararg->annotation)
        fold_expr(c, a->vararg->annotation);
    if (a->kwarg && a->kwarg->annotation)
        fold_expr(c, a->kwarg->annotation);
    if (returns)
        fold_expr(c, returns);
}

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
        fold_annotations(c, s->v.funcdef.args, s->v.funcdef.returns);
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
    case S_ANNASSIGN:
        fold_expr(c, s->v.annassign.target);
        fold_expr(c, s->v.annassign.annotation);
        if (s->v.annassign.value)
            fold_expr(c, s->v.annassign.value);
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

void gs_cc_fold(Compiler *c, GsModuleAst *mod)
{
    fold_stmts(c, &mod->body);
}
