/*
 * ops.c -- the generic operations: repr, str, hash, comparison, truth,
 * attributes, calls, iteration, subscripts and the arithmetic operators.
 *
 * Dispatch follows CPython's order in simplified form (along the MRO,
 * no descriptors beyond functions):
 *   1. a guest class (heap type) that defines the dunder method wins
 *      (`__eq__`, `__add__`, `__len__`, ...);
 *   2. otherwise the slot of the nearest built-in type in its base chain;
 *   3. otherwise the reflected operation or the default, with CPython's
 *      error message.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bigint.h"
#include "runtime/interp.h"

/* Heap types inherit every slot from their nearest built-in base. */
static GsType *builtin_base(GsType *t)
{
    while (t->flags & GS_TPFLAG_HEAPTYPE)
        t = t->base;
    return t;
}

/* A dunder method defined by guest code on o's class, or NULL (borrowed). */
static GsObject *dunder(GsThread *ts, GsObject *o, GsObject *name)
{
    if (!(o->type->flags & GS_TPFLAG_HEAPTYPE))
        return NULL;
    GsObject *f = gs_type_lookup(o->type, name);
    return f && f->type == &gs_function_type ? f : NULL;
}

/* Call a dunder found by dunder() with self and n more arguments. */
static GsObject *call_dunder(GsThread *ts, GsObject *f, GsObject *self, size_t n,
                             GsObject *a, GsObject *b)
{
    GsObject *argv[3] = { self, a, b };
    return gs_function_call(ts, f, argv, n + 1, NULL);
}

const char *gs_type_name(GsObject *o) { return o->type->name; }

/* ---- repr, str, hash ----------------------------------------------------------- */

static GsObject *check_str_result(GsThread *ts, GsObject *r, const char *what)
{
    if (r && !GS_IS_STR(r)) {
        gs_err_set(ts, &gs_exc_TypeError, "%s returned non-string (type %s)", what,
                   r->type->name);
        gs_decref(ts, r);
        return NULL;
    }
    return r;
}

static GsObject *repr_unguarded(GsThread *ts, GsObject *o)
{
    GsObject *f = dunder(ts, o, GS_NAME(ts, __repr__));
    if (f)
        return check_str_result(ts, call_dunder(ts, f, o, 0, NULL, NULL), "__repr__");
    GsType *t = builtin_base(o->type);
    if (t->repr)
        return t->repr(ts, o);
    return gs_object_type.repr(ts, o);
}

GsObject *gs_repr(GsThread *ts, GsObject *o)
{
    if (gs_enter_recursive_call(ts, " while getting the repr of an object") < 0)
        return NULL;
    GsObject *r = repr_unguarded(ts, o);
    gs_leave_recursive_call(ts);
    return r;
}

GsObject *gs_str(GsThread *ts, GsObject *o)
{
    if (o->type == &gs_str_type)
        return gs_newref(ts, o);
    GsObject *f = dunder(ts, o, GS_NAME(ts, __str__));
    if (f)
        return check_str_result(ts, call_dunder(ts, f, o, 0, NULL, NULL), "__str__");
    if (dunder(ts, o, GS_NAME(ts, __repr__)))
        return gs_repr(ts, o);
    GsType *t = builtin_base(o->type);
    if (t->str)
        return t->str(ts, o);
    return gs_repr(ts, o);
}

static int64_t hash_unguarded(GsThread *ts, GsObject *o);

int64_t gs_hash(GsThread *ts, GsObject *o)
{
    /* Strings first: the common case, and one that needs no thread state
     * (type attribute lookups hash names without one). */
    if (o->type == &gs_str_type)
        return gs_str_type.hash(ts, o);
    if (gs_enter_recursive_call(ts, " while hashing") < 0)
        return -1;
    int64_t h = hash_unguarded(ts, o);
    gs_leave_recursive_call(ts);
    return h;
}

static int64_t hash_unguarded(GsThread *ts, GsObject *o)
{
    GsObject *f = dunder(ts, o, GS_NAME(ts, __hash__));
    if (f) {
        GsObject *r = call_dunder(ts, f, o, 0, NULL, NULL);
        if (!r)
            return -1;
        if (!GS_IS_INT(r)) {
            gs_decref(ts, r);
            gs_err_set(ts, &gs_exc_TypeError, "__hash__ method should return an integer");
            return -1;
        }
        /* a big result is reduced as hash(int) would (CPython does too) */
        int64_t h = gs_int_is_big(r) ? gs_int_hash(r) : gs_int_value(r);
        gs_decref(ts, r);
        return h == -1 ? -2 : h;
    }
    /* A class that defines __eq__ but not __hash__ is unhashable (Python 3). */
    if (dunder(ts, o, GS_NAME(ts, __eq__)))
        goto unhashable;
    GsType *t = builtin_base(o->type);
    if (t->hash)
        return t->hash(ts, o);
    /* A type that compares by value but has no hash (list, dict) is
     * unhashable; anything else hashes by identity, like object. */
    if (!t->richcompare)
        return gs_object_type.hash(ts, o);
unhashable:
    gs_err_set(ts, &gs_exc_TypeError, "unhashable type: '%s'", o->type->name);
    return -1;
}

/* ---- comparison -------------------------------------------------------------------- */

static bool is_number(GsObject *o) { return GS_IS_INT(o) || GS_IS_FLOAT(o); }

static int cmp_result(int c, int op)
{
    switch (op) {
    case GS_CMP_LT: return c < 0;
    case GS_CMP_LE: return c <= 0;
    case GS_CMP_EQ: return c == 0;
    case GS_CMP_NE: return c != 0;
    case GS_CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* Numbers compare by value across int, bool and float, exactly: an int
 * beyond 2**53 is not rounded to a double first. */
static GsObject *number_compare(GsObject *a, GsObject *b, int op)
{
    int c;
    if (GS_IS_INT(a) && GS_IS_INT(b)) {
        c = gs_int_compare(a, b);
    } else if (GS_IS_INT(a) || GS_IS_INT(b)) {
        /* int against float: (double)i would round an i beyond 2**53
         * (2**63-1 == 2.0**63 would be True), so compare exactly. */
        double d = gs_float_value(GS_IS_INT(a) ? b : a);
        if (isnan(d))
            return gs_bool(op == GS_CMP_NE);
        c = GS_IS_INT(a) ? gs_int_cmp_double(a, d) : -gs_int_cmp_double(b, d);
    } else {
        double x = gs_float_value(a), y = gs_float_value(b);
        if (isnan(x) || isnan(y))
            return gs_bool(op == GS_CMP_NE);
        c = (x > y) - (x < y);
    }
    return gs_bool(cmp_result(c, op));
}

static const int swapped_op[6] = { GS_CMP_GT, GS_CMP_GE, GS_CMP_EQ, GS_CMP_NE, GS_CMP_LT,
                                   GS_CMP_LE };

static GsObject *cmp_dunder_name(GsThread *ts, int op)
{
    static const GsNameId ids[6] = { GS_N___lt__, GS_N___le__, GS_N___eq__, GS_N___ne__,
                                     GS_N___gt__, GS_N___ge__ };
    return ts->interp->names[ids[op]];
}

/* One side's opinion: NotImplemented (borrowed) if it has none. */
static GsObject *try_compare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    GsObject *f = dunder(ts, a, cmp_dunder_name(ts, op));
    if (f)
        return call_dunder(ts, f, a, 1, b, NULL);
    if (op == GS_CMP_NE && (f = dunder(ts, a, GS_NAME(ts, __eq__)))) {
        /* object.__ne__ inverts __eq__ unless it is NotImplemented. */
        GsObject *r = call_dunder(ts, f, a, 1, b, NULL);
        if (!r || r == GS_NOTIMPL)
            return r;
        int t = gs_truth(ts, r);
        gs_decref(ts, r);
        return t < 0 ? NULL : gs_newref(ts, gs_bool(!t));
    }
    GsType *t = builtin_base(a->type);
    if (t->richcompare)
        return t->richcompare(ts, a, b, op);
    return gs_newref(ts, GS_NOTIMPL);
}

static const char *const cmp_symbols[6] = { "<", "<=", "==", "!=", ">", ">=" };

static GsObject *richcompare_unguarded(GsThread *ts, GsObject *a, GsObject *b, int op);

GsObject *gs_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (is_number(a) && is_number(b))
        return gs_newref(ts, number_compare(a, b, op));
    if (gs_enter_recursive_call(ts, " in comparison") < 0)
        return NULL;
    GsObject *r = richcompare_unguarded(ts, a, b, op);
    gs_leave_recursive_call(ts);
    return r;
}

static GsObject *richcompare_unguarded(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    GsObject *r = try_compare(ts, a, b, op);
    if (r != GS_NOTIMPL)
        return r;
    gs_decref(ts, r);
    r = try_compare(ts, b, a, swapped_op[op]);
    if (r != GS_NOTIMPL)
        return r;
    gs_decref(ts, r);
    if (op == GS_CMP_EQ || op == GS_CMP_NE)
        return gs_newref(ts, gs_bool((a == b) == (op == GS_CMP_EQ)));
    return gs_err_set(ts, &gs_exc_TypeError,
                      "'%s' not supported between instances of '%s' and '%s'", cmp_symbols[op],
                      a->type->name, b->type->name);
}

int gs_compare_bool(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (is_number(a) && is_number(b))
        return number_compare(a, b, op) == GS_TRUE;
    GsObject *r = gs_richcompare(ts, a, b, op);
    if (!r)
        return -1;
    int t = r == GS_TRUE ? 1 : r == GS_FALSE ? 0 : gs_truth(ts, r);
    gs_decref(ts, r);
    return t;
}

int gs_equal(GsThread *ts, GsObject *a, GsObject *b)
{
    if (a == b)
        return 1;   /* identity implies equality, as in CPython's containers */
    if (GS_IS_STR(a) && GS_IS_STR(b))
        return gs_str_eq(a, b);
    return gs_compare_bool(ts, a, b, GS_CMP_EQ);
}

/* ---- truth and length ------------------------------------------------------------- */

int gs_truth(GsThread *ts, GsObject *o)
{
    if (o == GS_TRUE)
        return 1;
    if (o == GS_FALSE || o == GS_NONE)
        return 0;
    GsObject *f = dunder(ts, o, GS_NAME(ts, __bool__));
    if (f) {
        GsObject *r = call_dunder(ts, f, o, 0, NULL, NULL);
        if (!r)
            return -1;
        if (r->type != &gs_bool_type) {
            gs_err_set(ts, &gs_exc_TypeError, "__bool__ should return bool, returned %s",
                       r->type->name);
            gs_decref(ts, r);
            return -1;
        }
        return r == GS_TRUE;
    }
    if (dunder(ts, o, GS_NAME(ts, __len__))) {
        int64_t n = gs_len(ts, o);
        return n < 0 ? -1 : n > 0;
    }
    GsType *t = builtin_base(o->type);
    if (t->truth)
        return t->truth(ts, o);
    if (t->len) {
        int64_t n = t->len(ts, o);
        return n < 0 ? -1 : n > 0;
    }
    return 1;
}

int64_t gs_len(GsThread *ts, GsObject *o)
{
    GsObject *f = dunder(ts, o, GS_NAME(ts, __len__));
    if (f) {
        GsObject *r = call_dunder(ts, f, o, 0, NULL, NULL);
        if (!r)
            return -1;
        if (!GS_IS_INT(r)) {
            gs_err_set(ts, &gs_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                       r->type->name);
            gs_decref(ts, r);
            return -1;
        }
        int64_t n;
        int rc = gs_int_as_index(ts, r, &n, NULL);
        gs_decref(ts, r);
        if (rc < 0)
            return -1;
        if (n < 0) {
            gs_err_set(ts, &gs_exc_ValueError, "__len__() should return >= 0");
            return -1;
        }
        return n;
    }
    GsType *t = builtin_base(o->type);
    if (t->len)
        return t->len(ts, o);
    gs_err_set(ts, &gs_exc_TypeError, "object of type '%s' has no len()", o->type->name);
    return -1;
}

/* ---- attributes -------------------------------------------------------------------- */

GsObject *gs_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsType *t = o->type;
    if (t->getattr)
        return t->getattr(ts, o, name);
    t = builtin_base(t);
    if (t->getattr)
        return t->getattr(ts, o, name);
    return gs_generic_getattr(ts, o, name);
}

GsObject *gs_getattr_c(GsThread *ts, GsObject *o, const char *name)
{
    GsObject *n = gs_str_intern_c(ts, name);
    if (!n)
        return NULL;
    GsObject *r = gs_getattr(ts, o, n);
    gs_decref(ts, n);
    return r;
}

int gs_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    GsType *t = o->type;
    if (t->setattr)
        return t->setattr(ts, o, name, v);
    t = builtin_base(t);
    if (t->setattr)
        return t->setattr(ts, o, name, v);
    return gs_generic_setattr(ts, o, name, v);
}

/* LOAD_METHOD's helper (CPython's _PyObject_GetMethod): when the attribute
 * is a plain function or a built-in method found on the class, skip
 * creating a bound-method object; the caller pushes (function, self). */
int gs_getmethod(GsThread *ts, GsObject *o, GsObject *name, GsObject **meth)
{
    GsType *t = o->type;
    bool plain = t->getattr == NULL || t->getattr == gs_generic_getattr;
    if (plain) {
        GsObject *attr = gs_type_lookup(t, name);
        bool unbound = attr && (attr->type == &gs_function_type ||
                                (attr->type == &gs_cfunction_type &&
                                 !((GsCFunction *)attr)->self));
        if (unbound) {
            GsObject **dp = gs_dictptr(o), *d = dp ? *dp : NULL;
            if (!d || !gs_dict_get(ts, d, name)) {
                *meth = gs_newref(ts, attr);
                return 1;
            }
        }
    }
    *meth = gs_getattr(ts, o, name);
    return *meth ? 0 : -1;
}

/* ---- calls -------------------------------------------------------------------------- */

GsObject *gs_call(GsThread *ts, GsObject *callee, GsObject *const *args, size_t nargs,
                  GsObject *kwnames)
{
    if (callee->type == &gs_function_type)
        return gs_function_call(ts, callee, args, nargs, kwnames);
    if (callee->type->call)
        return callee->type->call(ts, callee, args, nargs, kwnames);
    GsObject *f = dunder(ts, callee, GS_NAME(ts, __call__));
    if (f) {
        GsObject *stackargs[16];
        GsObject **argv = nargs < 16 ? stackargs : gs_malloc(ts, (nargs + 1) * sizeof *argv);
        if (!argv)
            return NULL;
        argv[0] = callee;
        if (nargs)
            memcpy(argv + 1, args, nargs * sizeof *argv);
        GsObject *r = gs_function_call(ts, f, argv, nargs + 1, kwnames);
        if (argv != stackargs)
            free(argv);
        return r;
    }
    GsType *t = builtin_base(callee->type);
    if (t->call)
        return t->call(ts, callee, args, nargs, kwnames);
    return gs_err_set(ts, &gs_exc_TypeError, "'%s' object is not callable", callee->type->name);
}

GsObject *gs_call0(GsThread *ts, GsObject *callee) { return gs_call(ts, callee, NULL, 0, NULL); }

GsObject *gs_call1(GsThread *ts, GsObject *callee, GsObject *a)
{
    return gs_call(ts, callee, &a, 1, NULL);
}

/* ---- iteration ------------------------------------------------------------------------ */

GsObject *gs_getiter(GsThread *ts, GsObject *o)
{
    GsObject *f = dunder(ts, o, GS_NAME(ts, __iter__));
    if (f)
        return call_dunder(ts, f, o, 0, NULL, NULL);
    GsType *t = builtin_base(o->type);
    if (t->iter)
        return t->iter(ts, o);
    if (t->getitem || dunder(ts, o, GS_NAME(ts, __getitem__)))
        return gs_iter_new(ts, o, GS_ITER_SEQ);
    return gs_err_set(ts, &gs_exc_TypeError, "'%s' object is not iterable", o->type->name);
}

/* NULL with no exception set means the iterator is exhausted. */
GsObject *gs_iternext(GsThread *ts, GsObject *it)
{
    GsType *t = builtin_base(it->type);
    if (!(it->type->flags & GS_TPFLAG_HEAPTYPE) && t->iternext)
        return t->iternext(ts, it);
    GsObject *f = dunder(ts, it, GS_NAME(ts, __next__));
    if (!f) {
        if (t->iternext)
            return t->iternext(ts, it);
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' object is not an iterator",
                          it->type->name);
    }
    GsObject *r = call_dunder(ts, f, it, 0, NULL, NULL);
    if (!r && gs_err_matches(ts, &gs_exc_StopIteration))
        gs_err_clear(ts);
    return r;
}

/* ---- subscripts ------------------------------------------------------------------------ */

/* C[key] on a class: C.__class_getitem__(key) (PEP 560), an implicit
 * classmethod.  The built-in generic aliases of 3.9 (list[int]) are
 * types.GenericAlias objects gilscope does not have: it says so. */
static GsObject *class_getitem(GsThread *ts, GsType *t, GsObject *key)
{
    static GsType *const generic[] = { &gs_type_type, &gs_list_type, &gs_dict_type,
                                       &gs_tuple_type };
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
        if (t == generic[i])
            return gs_err_set(ts, &gs_exc_TypeError, "gilscope has no generic aliases "
                              "(types.GenericAlias): %s[...] is not supported", t->name);
    GsObject *cg = gs_type_lookup(t, GS_NAME(ts, __class_getitem__));
    if (!cg)
        return gs_err_set(ts, &gs_exc_TypeError, "'type' object is not subscriptable");
    GsObject *f = gs_descr_get(ts, cg, NULL, t);
    GsObject *r = f ? gs_call(ts, f, &key, 1, NULL) : NULL;
    gs_xdecref(ts, f);
    return r;
}

GsObject *gs_getitem(GsThread *ts, GsObject *o, GsObject *key)
{
    GsObject *f = dunder(ts, o, GS_NAME(ts, __getitem__));
    if (f)
        return call_dunder(ts, f, o, 1, key, NULL);
    GsType *t = builtin_base(o->type);
    if (t->getitem)
        return t->getitem(ts, o, key);
    if (GS_IS_TYPE(o))
        return class_getitem(ts, (GsType *)o, key);
    return gs_err_set(ts, &gs_exc_TypeError, "'%s' object is not subscriptable", o->type->name);
}

int gs_setitem(GsThread *ts, GsObject *o, GsObject *key, GsObject *v)
{
    GsObject *f = dunder(ts, o, v ? GS_NAME(ts, __setitem__) : GS_NAME(ts, __delitem__));
    if (f) {
        GsObject *r = call_dunder(ts, f, o, v ? 2 : 1, key, v);
        if (!r)
            return -1;
        gs_decref(ts, r);
        return 0;
    }
    GsType *t = builtin_base(o->type);
    if (t->setitem)
        return t->setitem(ts, o, key, v);
    if (v)
        gs_err_set(ts, &gs_exc_TypeError, "'%s' object does not support item assignment",
                   o->type->name);
    else
        gs_err_set(ts, &gs_exc_TypeError, "'%s' object doesn't support item deletion",
                   o->type->name);
    return -1;
}

int gs_contains(GsThread *ts, GsObject *container, GsObject *v)
{
    GsObject *f = dunder(ts, container, GS_NAME(ts, __contains__));
    if (f) {
        GsObject *r = call_dunder(ts, f, container, 1, v, NULL);
        if (!r)
            return -1;
        int t = gs_truth(ts, r);
        gs_decref(ts, r);
        return t;
    }
    GsType *t = builtin_base(container->type);
    if (t->contains)
        return t->contains(ts, container, v);
    /* Fall back to iteration, as CPython's PySequence_Contains does. */
    if (!t->iter && !t->getitem && !dunder(ts, container, GS_NAME(ts, __iter__)) &&
        !dunder(ts, container, GS_NAME(ts, __getitem__))) {
        gs_err_set(ts, &gs_exc_TypeError, "argument of type '%s' is not iterable",
                   container->type->name);
        return -1;
    }
    GsObject *it = gs_getiter(ts, container);
    if (!it)
        return -1;
    int found = 0;
    GsObject *x;
    while (!found && (x = gs_iternext(ts, it))) {
        found = gs_equal(ts, x, v);
        gs_decref(ts, x);
    }
    gs_decref(ts, it);
    if (found < 0 || gs_err_occurred(ts))
        return -1;
    return found;
}

/* ---- arithmetic -------------------------------------------------------------------------- */

/* The operators, indexed by kind; the BINARY_ and INPLACE_ opcodes map here. */
enum { K_ADD, K_SUB, K_MUL, K_TRUEDIV, K_FLOORDIV, K_MOD, K_POW, K_LSHIFT, K_RSHIFT, K_AND,
       K_OR, K_XOR, K_MATMUL, K_NKINDS };
/* ints' slow paths (bigint.c) take the same kinds, up to K_XOR */
_Static_assert(K_ADD == (int)GS_INTOP_ADD && K_XOR == (int)GS_INTOP_XOR, "GsIntOp order");

static const char *const op_symbols[K_NKINDS] = { "+", "-", "*", "/", "//", "%", "** or pow()",
                                                  "<<", ">>", "&", "|", "^", "@" };
static const char *const iop_symbols[K_NKINDS] = { "+=", "-=", "*=", "/=", "//=", "%=", "**=",
                                                   "<<=", ">>=", "&=", "|=", "^=", "@=" };
static const GsNameId op_dunders[K_NKINDS] = { GS_N___add__, GS_N___sub__, GS_N___mul__,
    GS_N___truediv__, GS_N___floordiv__, GS_N___mod__, GS_N___pow__, GS_N___lshift__,
    GS_N___rshift__, GS_N___and__, GS_N___or__, GS_N___xor__, GS_N___matmul__ };
static const GsNameId rop_dunders[K_NKINDS] = { GS_N___radd__, GS_N___rsub__, GS_N___rmul__,
    GS_N___rtruediv__, GS_N___rfloordiv__, GS_N___rmod__, GS_N___rpow__, GS_N___rlshift__,
    GS_N___rrshift__, GS_N___rand__, GS_N___ror__, GS_N___rxor__, GS_N___rmatmul__ };
static const GsNameId iop_dunders[K_NKINDS] = { GS_N___iadd__, GS_N___isub__, GS_N___imul__,
    GS_N___itruediv__, GS_N___ifloordiv__, GS_N___imod__, GS_N___ipow__, GS_N___ilshift__,
    GS_N___irshift__, GS_N___iand__, GS_N___ior__, GS_N___ixor__, GS_N___imatmul__ };

static int opcode_kind(int opcode, bool *inplace)
{
    *inplace = false;
    switch (opcode) {
    case OP_INPLACE_ADD: *inplace = true; /* fall through */
    case OP_BINARY_ADD: return K_ADD;
    case OP_INPLACE_SUBTRACT: *inplace = true; /* fall through */
    case OP_BINARY_SUBTRACT: return K_SUB;
    case OP_INPLACE_MULTIPLY: *inplace = true; /* fall through */
    case OP_BINARY_MULTIPLY: return K_MUL;
    case OP_INPLACE_TRUE_DIVIDE: *inplace = true; /* fall through */
    case OP_BINARY_TRUE_DIVIDE: return K_TRUEDIV;
    case OP_INPLACE_FLOOR_DIVIDE: *inplace = true; /* fall through */
    case OP_BINARY_FLOOR_DIVIDE: return K_FLOORDIV;
    case OP_INPLACE_MODULO: *inplace = true; /* fall through */
    case OP_BINARY_MODULO: return K_MOD;
    case OP_INPLACE_POWER: *inplace = true; /* fall through */
    case OP_BINARY_POWER: return K_POW;
    case OP_INPLACE_LSHIFT: *inplace = true; /* fall through */
    case OP_BINARY_LSHIFT: return K_LSHIFT;
    case OP_INPLACE_RSHIFT: *inplace = true; /* fall through */
    case OP_BINARY_RSHIFT: return K_RSHIFT;
    case OP_INPLACE_AND: *inplace = true; /* fall through */
    case OP_BINARY_AND: return K_AND;
    case OP_INPLACE_OR: *inplace = true; /* fall through */
    case OP_BINARY_OR: return K_OR;
    case OP_INPLACE_XOR: *inplace = true; /* fall through */
    case OP_BINARY_XOR: return K_XOR;
    case OP_INPLACE_MATRIX_MULTIPLY: *inplace = true; /* fall through */
    case OP_BINARY_MATRIX_MULTIPLY: return K_MATMUL;
    default: return -1;
    }
}

/* Python's floor division and modulo: the remainder takes the divisor's sign. */
static void floor_divmod(int64_t a, int64_t b, int64_t *q, int64_t *r)
{
    int64_t qq = a / b, rr = a % b;
    if (rr != 0 && ((rr < 0) != (b < 0))) {
        qq -= 1;
        rr += b;
    }
    *q = qq;
    *r = rr;
}

/* Ints beyond 2**53 are not all doubles: a / b must round the exact
 * quotient once (bigint.c), not each operand first. */
#define EXACT_DOUBLE_LIMIT ((int64_t)1 << 53)

/* Small ints in, and a result if it is small too and needs no GMP;
 * NULL without an exception means: take the slow path (bigint.c). */
static GsObject *small_int_binop(GsThread *ts, int kind, int64_t a, int64_t b)
{
    int64_t r, q;
    switch (kind) {
    case K_ADD:
        return __builtin_add_overflow(a, b, &r) ? NULL : gs_int_new(ts, r);
    case K_SUB:
        return __builtin_sub_overflow(a, b, &r) ? NULL : gs_int_new(ts, r);
    case K_MUL:
        return __builtin_mul_overflow(a, b, &r) ? NULL : gs_int_new(ts, r);
    case K_TRUEDIV:
        if (b == 0 || a > EXACT_DOUBLE_LIMIT || a < -EXACT_DOUBLE_LIMIT ||
            b > EXACT_DOUBLE_LIMIT || b < -EXACT_DOUBLE_LIMIT)
            return NULL;   /* the error, or the correctly rounded quotient */
        return gs_float_new(ts, (double)a / (double)b);
    case K_FLOORDIV:
    case K_MOD:
        if (b == 0 || (a == INT64_MIN && b == -1))
            return NULL;   /* the error, or -(2**63) // -1 == 2**63 */
        floor_divmod(a, b, &q, &r);
        return gs_int_new(ts, kind == K_MOD ? r : q);
    case K_POW:
        if (b < 0)
            return NULL;   /* a float */
        r = 1;
        while (b > 0) {
            if ((b & 1) && __builtin_mul_overflow(r, a, &r))
                return NULL;
            b >>= 1;
            if (b > 0 && __builtin_mul_overflow(a, a, &a))
                return NULL;
        }
        return gs_int_new(ts, r);
    case K_LSHIFT:
        /* a << b fits iff INT64_MIN >> b <= a <= INT64_MAX >> b; at b == 63
         * that leaves only -1 (and 0): -1 << 63 is INT64_MIN. */
        if (b < 0 || b > 63 || a > (INT64_MAX >> b) || a < (INT64_MIN >> b))
            return a == 0 && b >= 0 ? gs_int_new(ts, 0) : NULL;
        return gs_int_new(ts, (int64_t)((uint64_t)a << b));   /* unsigned: no UB */
    case K_RSHIFT:
        if (b < 0)
            return NULL;
        /* C's >> needs b < 64; past 62 only the sign is left. */
        return gs_int_new(ts, b >= 63 ? (a < 0 ? -1 : 0) : a >> b);
    case K_AND: return gs_int_new(ts, a & b);
    case K_OR: return gs_int_new(ts, a | b);
    case K_XOR: return gs_int_new(ts, a ^ b);
    }
    return NULL;
}

/* a <op> b for two ints: int64 arithmetic while it fits, GMP beyond. */
static GsObject *int_binop(GsThread *ts, int kind, GsObject *a, GsObject *b)
{
    if (gs_ints_small(a, b)) {
        GsObject *r = small_int_binop(ts, kind, gs_int_value(a), gs_int_value(b));
        if (r)
            return r;
    }
    return gs_int_binop(ts, (GsIntOp)kind, a, b);
}

/* An int operand of a float operation: float(i), which may overflow. */
static int number_as_double(GsThread *ts, GsObject *o, double *out)
{
    if (GS_IS_INT(o))
        return gs_int_to_double(ts, o, out);
    *out = gs_float_value(o);
    return 0;
}

static GsObject *float_binop(GsThread *ts, int kind, double a, double b)
{
    switch (kind) {
    case K_ADD: return gs_float_new(ts, a + b);
    case K_SUB: return gs_float_new(ts, a - b);
    case K_MUL: return gs_float_new(ts, a * b);
    case K_TRUEDIV:
        if (b == 0.0)
            return gs_err_set(ts, &gs_exc_ZeroDivisionError, "float division by zero");
        return gs_float_new(ts, a / b);
    case K_FLOORDIV:
    case K_MOD: {
        if (b == 0.0)
            return gs_err_set(ts, &gs_exc_ZeroDivisionError,
                              kind == K_MOD ? "float modulo" : "float floor division by zero");
        double m = fmod(a, b);
        /* CPython's float_divmod: fix the sign of the remainder, and keep
         * the sign of a zero remainder equal to the divisor's. */
        double div = (a - m) / b;
        if (m) {
            if ((b < 0) != (m < 0)) {
                m += b;
                div -= 1.0;
            }
        } else {
            m = copysign(0.0, b);
        }
        double fl;
        if (div) {
            fl = floor(div);
            if (div - fl > 0.5)
                fl += 1.0;
        } else {
            fl = copysign(0.0, a / b);
        }
        return gs_float_new(ts, kind == K_MOD ? m : fl);
    }
    case K_POW:
        if (a == 0.0 && b < 0)
            return gs_err_set(ts, &gs_exc_ZeroDivisionError,
                              "0.0 cannot be raised to a negative power");
        if (a < 0 && b != floor(b))
            return gs_err_set(ts, &gs_exc_ValueError,
                              "gilscope has no complex numbers: negative number to a fractional power");
        {
            double r = pow(a, b);
            if (isinf(r) && isfinite(a) && isfinite(b))
                return gs_err_set(ts, &gs_exc_OverflowError, "(34, 'Numerical result out of range')");
            return gs_float_new(ts, r);
        }
    default:
        return gs_newref(ts, GS_NOTIMPL);
    }
}

/* Built-in types' behaviour for an operator; NotImplemented if none. */
static GsObject *builtin_binop(GsThread *ts, int kind, bool inplace, GsObject *a, GsObject *b)
{
    if (kind == K_MATMUL)   /* `@` is for guest classes only: no built-in type has it */
        return gs_newref(ts, GS_NOTIMPL);
    if (a->type == &gs_bool_type && b->type == &gs_bool_type &&
        (kind == K_AND || kind == K_OR || kind == K_XOR)) {
        int64_t x = gs_int_value(a), y = gs_int_value(b);
        bool r = kind == K_AND ? x & y : kind == K_OR ? x | y : x ^ y;
        return gs_newref(ts, gs_bool(r));   /* bool's own &, |, ^ */
    }
    if (GS_IS_INT(a) && GS_IS_INT(b))
        return int_binop(ts, kind, a, b);
    if (is_number(a) && is_number(b)) {
        double x, y;
        if (kind >= K_LSHIFT)   /* float has no << >> & | ^ */
            return gs_newref(ts, GS_NOTIMPL);
        if (number_as_double(ts, a, &x) < 0 || number_as_double(ts, b, &y) < 0)
            return NULL;
        return float_binop(ts, kind, x, y);
    }
    GsType *ta = builtin_base(a->type), *tb = builtin_base(b->type);
    if (kind == K_ADD) {
        if (ta == &gs_str_type && tb == &gs_str_type)
            return gs_str_concat(ts, a, b);
        if (ta == &gs_list_type && inplace) {
            if (gs_list_extend(ts, a, b) < 0)
                return NULL;
            return gs_newref(ts, a);
        }
        if ((ta == &gs_list_type || ta == &gs_tuple_type) && ta == tb)
            return gs_seq_concat(ts, a, b);
        if (ta == &gs_str_type)
            return gs_err_set(ts, &gs_exc_TypeError, "can only concatenate str (not \"%s\") to str",
                              b->type->name);
        if (ta == &gs_list_type || ta == &gs_tuple_type)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "can only concatenate %s (not \"%s\") to %s", ta->name,
                              b->type->name, ta->name);
    }
    if (kind == K_MUL) {
        bool a_seq = ta == &gs_str_type || ta == &gs_list_type || ta == &gs_tuple_type;
        bool b_seq = tb == &gs_str_type || tb == &gs_list_type || tb == &gs_tuple_type;
        if ((a_seq && !GS_IS_INT(b) && !(b->type->flags & GS_TPFLAG_HEAPTYPE)) ||
            (b_seq && !GS_IS_INT(a) && !a_seq && !(a->type->flags & GS_TPFLAG_HEAPTYPE)))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "can't multiply sequence by non-int of type '%s'",
                              a_seq ? b->type->name : a->type->name);
        GsObject *seq = GS_IS_INT(b) ? a : GS_IS_INT(a) ? b : NULL;
        GsObject *n = seq == a ? b : a;
        if (seq) {
            GsType *ts_ = builtin_base(seq->type);
            int64_t count;
            if ((ts_ == &gs_str_type || ts_ == &gs_list_type || ts_ == &gs_tuple_type) &&
                gs_int_as_index(ts, n, &count, NULL) < 0)
                return NULL;
            if (ts_ == &gs_str_type)
                return gs_str_repeat(ts, seq, count);
            if (ts_ == &gs_list_type || ts_ == &gs_tuple_type)
                return gs_seq_repeat(ts, seq, count);
        }
    }
    if (kind == K_MOD && ta == &gs_str_type)
        return gs_str_mod(ts, a, b);
    if (kind == K_OR && ta == &gs_dict_type && tb == &gs_dict_type) {
        /* 3.9's dict union: a copy of a updated with b; |= updates a. */
        GsObject *d = inplace ? gs_newref(ts, a) : gs_dict_new(ts);
        size_t pos = 0;
        GsObject *k, *v;
        while (d && !inplace && gs_dict_next(a, &pos, &k, &v))
            if (gs_dict_set(ts, d, k, v) < 0) {
                gs_decref(ts, d);
                return NULL;
            }
        pos = 0;
        while (d && gs_dict_next(b, &pos, &k, &v))
            if (gs_dict_set(ts, d, k, v) < 0) {
                gs_decref(ts, d);
                return NULL;
            }
        return d;
    }
    if (kind == K_OR || kind == K_AND || kind == K_SUB || kind == K_XOR)
        return gs_set_binop(ts, kind == K_OR ? '|' : kind == K_AND ? '&' : kind == K_SUB ? '-' : '^',
                            inplace, a, b);
    return gs_newref(ts, GS_NOTIMPL);
}

GsObject *gs_binary_op(GsThread *ts, int opcode, GsObject *a, GsObject *b)
{
    bool inplace;
    int kind = opcode_kind(opcode, &inplace);
    GsObject *f, *r;
    if (kind < 0)
        return gs_err_set(ts, &gs_exc_SystemError, "bad binary opcode %d", opcode);
    if (inplace && (f = dunder(ts, a, ts->interp->names[iop_dunders[kind]]))) {
        r = call_dunder(ts, f, a, 1, b, NULL);
        if (r != GS_NOTIMPL)
            return r;
        gs_decref(ts, r);
    }
    if ((f = dunder(ts, a, ts->interp->names[op_dunders[kind]]))) {
        r = call_dunder(ts, f, a, 1, b, NULL);
        if (r != GS_NOTIMPL)
            return r;
        gs_decref(ts, r);
    }
    r = builtin_binop(ts, kind, inplace, a, b);
    if (r != GS_NOTIMPL)
        return r;
    gs_decref(ts, r);
    if ((f = dunder(ts, b, ts->interp->names[rop_dunders[kind]]))) {
        r = call_dunder(ts, f, b, 1, a, NULL);
        if (r != GS_NOTIMPL)
            return r;
        gs_decref(ts, r);
    }
    return gs_err_set(ts, &gs_exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'",
                      inplace ? iop_symbols[kind] : op_symbols[kind], a->type->name,
                      b->type->name);
}

GsObject *gs_unary_op(GsThread *ts, int opcode, GsObject *a)
{
    GsNameId id = opcode == OP_UNARY_NEGATIVE ? GS_N___neg__
                : opcode == OP_UNARY_POSITIVE ? GS_N___pos__ : GS_N___invert__;
    const char *sym = opcode == OP_UNARY_NEGATIVE ? "-" : opcode == OP_UNARY_POSITIVE ? "+" : "~";
    GsObject *f = dunder(ts, a, ts->interp->names[id]);
    if (f)
        return call_dunder(ts, f, a, 0, NULL, NULL);
    if (GS_IS_INT(a)) {
        int64_t v = gs_int_value(a);
        bool big = gs_int_is_big(a);
        if (opcode == OP_UNARY_NEGATIVE)
            return big || v == INT64_MIN ? gs_int_negate(ts, a) : gs_int_new(ts, -v);
        if (opcode == OP_UNARY_POSITIVE)
            return a->type == &gs_int_type ? gs_newref(ts, a) : gs_int_new(ts, v);
        return big ? gs_int_invert(ts, a) : gs_int_new(ts, ~v);
    }
    if (GS_IS_FLOAT(a) && opcode != OP_UNARY_INVERT)
        return gs_float_new(ts, opcode == OP_UNARY_NEGATIVE ? -gs_float_value(a)
                                                             : gs_float_value(a));
    return gs_err_set(ts, &gs_exc_TypeError, "bad operand type for unary %s: '%s'", sym,
                      a->type->name);
}
