/*
 * tuple.c -- the tuple type: a fixed-size array of new references, stored
 * inline after the header.
 *
 * Tuples are immutable, so unlike list.c nothing here has to guard against
 * guest code changing the items under our feet; the caller's reference
 * keeps the tuple, and so its items, alive.  Concatenation and repetition
 * live in list.c (gs_seq_concat, gs_seq_repeat), next to the list ones.
 *
 * Messages, the hash and the cases where CPython hands back the very same
 * tuple (tuple(t), t[:]) follow CPython 3.9's Objects/tupleobject.c.
 */
#include <stdarg.h>
#include <stdint.h>

#include "bigint.h"
#include "runtime/interp.h"
#include "object.h"

#define TUPLE(o) ((GsTuple *)(o))

/* The most items a tuple may hold: its size in bytes must fit an int64. */
#define MAX_ITEMS (((size_t)INT64_MAX - sizeof(GsTuple)) / sizeof(GsObject *))

GsObject *gs_tuple_new(GsThread *ts, size_t len)
{
    /* As in CPython, every empty tuple is the one the interpreter keeps
     * (`() is ()`); it is made here too, while that slot is still NULL. */
    if (len == 0 && ts->interp && ts->interp->empty_tuple)
        return gs_newref(ts, ts->interp->empty_tuple);
    if (len > MAX_ITEMS)
        return gs_err_set_obj(ts, (GsObject *)&gs_exc_MemoryError);
    /* gs_alloc zeroes: every item starts NULL until the caller fills it. */
    GsTuple *t = (GsTuple *)gs_alloc(ts, &gs_tuple_type,
                                     sizeof(GsTuple) + len * sizeof(GsObject *));
    if (!t)
        return NULL;
    t->hash = -1;
    t->len = len;
    return &t->ob;
}

/* The items are held before the tuple is allocated: allocating may run a
 * collection, and a finalizer (`__del__`) may then drop what the caller
 * only borrowed (a dict's entry while it iterates items()).  CPython's
 * dict iterator takes its references first for the same reason. */
#define PACK_MAX 8
GsObject *gs_tuple_pack(GsThread *ts, size_t n, ...)
{
    GsObject *items[PACK_MAX];
    if (n > PACK_MAX)
        return gs_err_set(ts, &gs_exc_SystemError, "gs_tuple_pack: too many items");
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        items[i] = gs_newref(ts, va_arg(ap, GsObject *));
    va_end(ap);
    GsObject *t = gs_tuple_new(ts, n);
    for (size_t i = 0; i < n; i++) {
        if (t)
            TUPLE(t)->items[i] = items[i];
        else
            gs_decref(ts, items[i]);
    }
    return t;
}

/* A possibly negative index into a sequence of length len. */
static bool seq_pos(int64_t i, size_t len, size_t *out)
{
    if (i < 0)
        i += (int64_t)len;
    if (i < 0 || (uint64_t)i >= len)
        return false;
    *out = (size_t)i;
    return true;
}

/* ---- slots ------------------------------------------------------------ */

/* Items are released last to first, as CPython does (the order __del__
 * methods run in); NULLs come from a tuple that was never filled. */
static void tuple_dealloc(GsThread *ts, GsObject *o)
{
    GsTuple *t = TUPLE(o);
    size_t n = t->len;
    while (n-- > 0)
        gs_xdecref(ts, t->items[n]);
}

/* Last to first, the order CPython visits in. */
static int tuple_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsTuple *t = TUPLE(o);
    for (size_t i = t->len; i-- > 0;) {
        if (t->items[i]) {
            int r = visit(t->items[i], arg);
            if (r)
                return r;
        }
    }
    return 0;
}

/* Break references for the collector.  The tuple becomes () rather than
 * keeping NULL items, so that guest code still holding it (a finalizer)
 * sees a valid, if empty, tuple.  Emptied before the releases, which can
 * run guest code. */
static void tuple_clear(GsThread *ts, GsObject *o)
{
    GsTuple *t = TUPLE(o);
    size_t n = t->len;
    t->len = 0;
    t->hash = -1;
    while (n-- > 0) {
        GsObject *item = t->items[n];
        t->items[n] = NULL;
        gs_xdecref(ts, item);
    }
}

static GsObject *tuple_repr(GsThread *ts, GsObject *o)
{
    GsTuple *t = TUPLE(o);
    if (t->len == 0)
        return gs_str_from(ts, "()");
    /* Immutable, yet a tuple can still contain itself through a mutable
     * item, e.g. t = ([],); t[0].append(t). */
    int r = gs_repr_enter(ts, o);
    if (r != 0)
        return r > 0 ? gs_str_from(ts, "(...)") : NULL;
    GsBuf b;
    gs_buf_init(&b);
    gs_buf_putc(&b, '(');
    for (size_t i = 0; i < t->len; i++) {
        if (i > 0)
            gs_buf_puts(&b, ", ");
        if (gs_buf_repr(ts, &b, t->items[i]) < 0) {
            gs_buf_free(&b);
            gs_repr_leave(ts, o);
            return NULL;
        }
    }
    gs_buf_puts(&b, t->len == 1 ? ",)" : ")");
    gs_repr_leave(ts, o);
    return gs_buf_finish(ts, &b);
}

/* CPython's tuple hash (3.8 and later), an xxHash64-style mix of the item
 * hashes.  With int and str hashing like CPython's, hash((1, 2)) comes out
 * as CPython's -3550055125485641917.  Not cached in ->hash, as in CPython:
 * an item's __hash__ is guest code that runs on every hash(). */
#define XXPRIME_1 UINT64_C(11400714785074694791)
#define XXPRIME_2 UINT64_C(14029467366897019727)
#define XXPRIME_5 UINT64_C(2870177450012600261)

static int64_t tuple_hash(GsThread *ts, GsObject *o)
{
    GsTuple *t = TUPLE(o);
    uint64_t acc = XXPRIME_5;
    for (size_t i = 0; i < t->len; i++) {
        int64_t lane = gs_hash(ts, t->items[i]);
        if (lane == -1)
            return -1;
        acc += (uint64_t)lane * XXPRIME_2;
        acc = (acc << 31) | (acc >> 33);
        acc *= XXPRIME_1;
    }
    acc += (uint64_t)t->len ^ (XXPRIME_5 ^ UINT64_C(3527539));
    /* -1 means "error": CPython maps it to this fixed value. */
    if (acc == UINT64_MAX)
        return 1546275796;
    return (int64_t)acc;
}

static bool compare_sizes(size_t a, size_t b, int op)
{
    switch (op) {
    case GS_CMP_LT: return a < b;
    case GS_CMP_LE: return a <= b;
    case GS_CMP_EQ: return a == b;
    case GS_CMP_NE: return a != b;
    case GS_CMP_GT: return a > b;
    default: return a >= b;
    }
}

/* Lexicographic: the first index where the items differ decides. */
static GsObject *tuple_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if (!GS_IS_TUPLE(a) || !GS_IS_TUPLE(b))
        return gs_newref(ts, GS_NOTIMPL);
    GsTuple *v = TUPLE(a), *w = TUPLE(b);
    size_t i;
    for (i = 0; i < v->len && i < w->len; i++) {
        int k = gs_equal(ts, v->items[i], w->items[i]);
        if (k < 0)
            return NULL;
        if (!k)
            break;
    }
    if (i >= v->len || i >= w->len)
        return gs_newref(ts, gs_bool(compare_sizes(v->len, w->len, op)));
    if (op == GS_CMP_EQ || op == GS_CMP_NE)
        return gs_newref(ts, gs_bool(op == GS_CMP_NE));
    return gs_richcompare(ts, v->items[i], w->items[i], op);
}

static int64_t tuple_len(GsThread *ts, GsObject *o)
{
    return (int64_t)TUPLE(o)->len;
}

static GsObject *tuple_get_slice(GsThread *ts, GsTuple *t, GsObject *slice)
{
    int64_t start, stop, step, n;
    if (gs_slice_indices(ts, slice, (int64_t)t->len, &start, &stop, &step, &n) < 0)
        return NULL;
    /* t[:] can be t itself: nobody can tell a copy of a tuple from it. */
    if (start == 0 && step == 1 && (size_t)n == t->len)
        return gs_newref(ts, &t->ob);
    GsObject *res = gs_tuple_new(ts, (size_t)n);
    for (int64_t i = 0, cur = start; res && i < n; i++, cur += step)
        TUPLE(res)->items[i] = gs_newref(ts, t->items[cur]);
    return res;
}

static GsObject *tuple_getitem(GsThread *ts, GsObject *o, GsObject *key)
{
    GsTuple *t = TUPLE(o);
    if (GS_IS_INT(key)) {
        size_t i;
        if (gs_int_is_big(key))
            return gs_err_set(ts, &gs_exc_IndexError, "cannot fit 'int' into an index-sized integer");
        if (!seq_pos(gs_int_value(key), t->len, &i))
            return gs_err_set(ts, &gs_exc_IndexError, "tuple index out of range");
        return gs_newref(ts, t->items[i]);
    }
    if (gs_is(key, &gs_slice_type))
        return tuple_get_slice(ts, t, key);
    return gs_err_set(ts, &gs_exc_TypeError, "tuple indices must be integers or slices, not %s",
                      gs_type_name(key));
}

static int tuple_contains(GsThread *ts, GsObject *o, GsObject *v)
{
    GsTuple *t = TUPLE(o);
    int k = 0;
    for (size_t i = 0; k == 0 && i < t->len; i++)
        k = gs_equal(ts, t->items[i], v);
    return k;
}

static GsObject *tuple_iter(GsThread *ts, GsObject *o)
{
    return gs_iter_new(ts, o, GS_ITER_SEQ);
}

/* ---- argument checking --------------------------------------------------
 * The calling convention of C methods: args excludes self; keyword values
 * come after the positional ones in args and their names are in kwnames
 * (a tuple of str, NULL when there are none); nargs counts BOTH kinds.
 * None of tuple's methods takes keywords, so once no_keywords() has passed,
 * nargs is the positional count.  Messages are CPython 3.9's. */

static int no_keywords(GsThread *ts, const char *meth, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) == 0)
        return 0;
    gs_err_set(ts, &gs_exc_TypeError, "tuple.%s() takes no keyword arguments", meth);
    return -1;
}

/* index()'s start and stop: CPython's _PyEval_SliceIndexNotNone. */
static int arg_slice_index(GsThread *ts, GsObject *o, int64_t *out)
{
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "slice indices must be integers or have an __index__ method");
        return -1;
    }
    *out = gs_int_value(o);
    return 0;
}

/* ---- methods ------------------------------------------------------------ */

static GsObject *tuple_count_m(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    if (no_keywords(ts, "count", kwnames) < 0)
        return NULL;
    if (nargs != 1)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "tuple.count() takes exactly one argument (%zu given)", nargs);
    GsTuple *t = TUPLE(self);
    int64_t count = 0;
    for (size_t i = 0; i < t->len; i++) {
        int k = gs_equal(ts, t->items[i], args[0]);
        if (k < 0)
            return NULL;
        count += k;
    }
    return gs_int_new(ts, count);
}

/* index(value, start=0, stop=sys.maxsize, /) */
static GsObject *tuple_index_m(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    if (no_keywords(ts, "index", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 3)
        return gs_err_set(ts, &gs_exc_TypeError, "index expected %s, got %zu",
                          nargs < 1 ? "at least 1 argument" : "at most 3 arguments", nargs);
    GsTuple *t = TUPLE(self);
    int64_t len = (int64_t)t->len, start = 0, stop = INT64_MAX;
    if ((nargs > 1 && arg_slice_index(ts, args[1], &start) < 0) ||
        (nargs > 2 && arg_slice_index(ts, args[2], &stop) < 0))
        return NULL;
    if (start < 0 && (start += len) < 0)
        start = 0;
    if (stop < 0)
        stop += len;
    for (int64_t i = start; i < stop && i < len; i++) {
        int k = gs_equal(ts, t->items[i], args[0]);
        if (k > 0)
            return gs_int_new(ts, i);
        if (k < 0)
            return NULL;
    }
    return gs_err_set(ts, &gs_exc_ValueError, "tuple.index(x): x not in tuple");
}

/* tuple() and tuple(iterable); tuple(t) is t itself. */
static GsObject *tuple_new_slot(GsThread *ts, GsType *type, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) > 0)
        return gs_err_set(ts, &gs_exc_TypeError, "tuple() takes no keyword arguments");
    if (nargs > 1)
        return gs_err_set(ts, &gs_exc_TypeError, "tuple expected at most 1 argument, got %zu",
                          nargs);
    if (nargs == 0)
        return gs_tuple_new(ts, 0);
    if (GS_IS_TUPLE(args[0]))
        return gs_newref(ts, args[0]);
    if (GS_IS_LIST(args[0]))
        return gs_list_as_tuple(ts, args[0]);
    GsObject *list = gs_sequence_to_list(ts, args[0]);
    if (!list)
        return NULL;
    GsObject *t = gs_list_as_tuple(ts, list);
    gs_decref(ts, list);
    return t;
}

/* In CPython's order, which dir() shows. */
static const GsMethodDef tuple_methods[] = {
    {"index", tuple_index_m},
    {"count", tuple_count_m},
    {NULL, NULL},
};

GsType gs_tuple_type = {
    .ob = {.refcnt = GS_IMMORTAL_REFCNT, .type = &gs_type_type},
    .name = "tuple",
    .base = &gs_object_type,
    .size = sizeof(GsTuple),
    .flags = GS_TPFLAG_GC,
    .methods = tuple_methods,
    .dealloc = tuple_dealloc,
    .traverse = tuple_traverse,
    .clear = tuple_clear,
    .repr = tuple_repr,
    .hash = tuple_hash,
    .richcompare = tuple_richcompare,
    .new_ = tuple_new_slot,
    .iter = tuple_iter,
    .len = tuple_len,
    .getitem = tuple_getitem,
    .contains = tuple_contains,
};
