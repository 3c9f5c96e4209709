/*
 * test_list.c -- list and tuple through the public API: building,
 * methods (called through the type's method table, the way the eval loop
 * finds them), slicing, sorting, reprs, error messages (CPython 3.9's),
 * and exact reference counts of the items.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "runtime/interp.h"
#include "objects/object.h"
#include "tap.h"

static GsThread thread;
static GsThread *ts = &thread;

/* ---- helpers ------------------------------------------------------------ */

static GsObject *int_(int64_t v)
{
    return gs_int_new(ts, v);
}

static GsObject *str_(const char *s)
{
    return gs_str_from(ts, s);
}

/* A list of n new references, which it steals. */
static GsObject *list_of(size_t n, ...)
{
    GsObject *l = gs_list_new(ts, 0);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        GsObject *v = va_arg(ap, GsObject *);
        gs_list_append(ts, l, v);
        gs_decref(ts, v);
    }
    va_end(ap);
    return l;
}

static GsObject *int_list(size_t n, const int64_t *v)
{
    GsObject *l = gs_list_new(ts, 0);
    for (size_t i = 0; i < n; i++) {
        GsObject *o = int_(v[i]);
        gs_list_append(ts, l, o);
        gs_decref(ts, o);
    }
    return l;
}

/* repr(o) in one of a few rotating static buffers; "<error>" if it fails. */
static const char *repr_of(GsObject *o)
{
    static char bufs[4][512];
    static int next;
    char *buf = bufs[next++ % 4];
    GsObject *r = o ? gs_repr(ts, o) : NULL;
    if (!r) {
        gs_err_clear(ts);
        return "<error>";
    }
    snprintf(buf, sizeof bufs[0], "%s", gs_str_cstr(r));
    gs_decref(ts, r);
    return buf;
}

/* repr(o), then drop the reference o was. */
static const char *repr_steal(GsObject *o)
{
    const char *s = repr_of(o);
    gs_xdecref(ts, o);
    return s;
}

/* The pending exception as "Type: message" (cleared), or "no error". */
static const char *error_text(void)
{
    static char buf[512];
    if (!gs_err_occurred(ts))
        return "no error";
    GsObject *exc = gs_err_fetch(ts);
    if (GS_IS_TYPE(exc)) {
        snprintf(buf, sizeof buf, "%s", ((GsType *)exc)->name);
    } else {
        GsObject *msg = gs_str(ts, exc);
        snprintf(buf, sizeof buf, "%s: %s", gs_type_name(exc), msg ? gs_str_cstr(msg) : "?");
        gs_xdecref(ts, msg);
        gs_err_clear(ts);
    }
    gs_decref(ts, exc);
    return buf;
}

/* Call a built-in method the way the eval loop does: looked up in the
 * type's method table, self passed apart from args.  kwnames as in the
 * calling convention: keyword values last in args, nargs counts them. */
static GsObject *call_kw(GsObject *self, const char *name, GsObject *const *args, size_t nargs,
                         GsObject *kwnames)
{
    for (const GsMethodDef *m = GS_TYPE(self)->methods; m && m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m->fn(ts, self, args, nargs, kwnames);
    return gs_err_set(ts, &gs_exc_AttributeError, "no method %s", name);
}

static GsObject *call(GsObject *self, const char *name, size_t nargs, ...)
{
    GsObject *args[4] = {NULL};
    va_list ap;
    va_start(ap, nargs);
    for (size_t i = 0; i < nargs && i < 4; i++)
        args[i] = va_arg(ap, GsObject *);
    va_end(ap);
    return call_kw(self, name, args, nargs, NULL);
}

/* Call a method whose result is None (or an error): returns the error text. */
static const char *call_none(GsObject *self, const char *name, size_t nargs, GsObject *a,
                             GsObject *b)
{
    GsObject *args[2] = {a, b};
    GsObject *r = call_kw(self, name, args, nargs, NULL);
    gs_xdecref(ts, r);
    return error_text();
}

static GsObject *slice_(int64_t start, int64_t stop, int64_t step, bool has_start,
                        bool has_stop)
{
    return gs_slice_new(ts, has_start ? gs_small_int(start) : GS_NONE,
                        has_stop ? gs_small_int(stop) : GS_NONE,
                        step ? gs_small_int(step) : GS_NONE);
}

static GsObject *getitem_int(GsObject *o, int64_t i)
{
    GsObject *k = int_(i);
    GsObject *r = GS_TYPE(o)->getitem(ts, o, k);
    gs_decref(ts, k);
    return r;
}

/* A key function: the first item of a tuple. */
static GsObject *first_item(GsThread *t, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    return gs_newref(t, ((GsTuple *)args[0])->items[0]);
}

/* A key function that appends to the list bound as its self. */
static GsObject *key_appends(GsThread *t, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    if (gs_list_append(t, self, args[0]) < 0)
        return NULL;
    return gs_newref(t, args[0]);
}

/* ---- the tests ------------------------------------------------------------ */

static void test_build_and_repr(void)
{
    GsObject *l = gs_list_new(ts, 0);
    TAP_STR_EQ(repr_of(l), "[]", "empty list repr");
    TAP_INT_EQ(GS_TYPE(l)->truth(ts, l), 0, "empty list is false");
    GsObject *one = int_(1), *a = str_("a");
    gs_list_append(ts, l, one);
    gs_list_append(ts, l, a);
    gs_decref(ts, one);
    gs_decref(ts, a);
    TAP_STR_EQ(repr_of(l), "[1, 'a']", "repr of [1, 'a']");
    TAP_INT_EQ(gs_len(ts, l), 2, "len 2");
    gs_list_append(ts, l, l);
    TAP_STR_EQ(repr_of(l), "[1, 'a', [...]]", "self-containing list repr");
    GsObject *r = call(l, "clear", 0);  /* break the cycle */
    gs_xdecref(ts, r);
    TAP_INT_EQ(l->refcnt, 1, "clear released the self reference");
    gs_decref(ts, l);

    GsObject *inner = gs_list_new(ts, 0);
    GsObject *t = gs_tuple_pack(ts, 1, inner);
    gs_list_append(ts, inner, t);
    TAP_STR_EQ(repr_of(t), "([(...)],)", "tuple containing itself through a list");
    r = call(inner, "clear", 0);
    gs_xdecref(ts, r);
    gs_decref(ts, t);
    gs_decref(ts, inner);
}

static void test_refcounts(void)
{
    GsObject *f = gs_float_new(ts, 2.5);
    intptr_t rc = f->refcnt;
    GsObject *l = gs_list_new(ts, 0);
    gs_list_append(ts, l, f);
    TAP_INT_EQ(f->refcnt, rc + 1, "append takes one reference");
    GsObject *popped = call(l, "pop", 0);
    TAP_OK(popped == f, "pop returns the item");
    TAP_INT_EQ(f->refcnt, rc + 1, "pop hands the list's reference to the caller");
    gs_decref(ts, popped);
    TAP_INT_EQ(f->refcnt, rc, "and it is back down once released");

    GsObject *t = gs_tuple_pack(ts, 2, f, f);
    TAP_INT_EQ(f->refcnt, rc + 2, "tuple_pack takes a reference per slot");
    TAP_INT_EQ(gs_list_extend(ts, l, t), 0, "extend by a tuple");
    TAP_INT_EQ(f->refcnt, rc + 4, "extend took two more");
    GsObject *s = slice_(0, 0, 0, false, false);
    GsObject *copy = GS_TYPE(l)->getitem(ts, l, s);
    TAP_INT_EQ(f->refcnt, rc + 6, "l[:] copies take references");
    GsObject *twice = gs_seq_repeat(ts, copy, 2);
    TAP_INT_EQ(f->refcnt, rc + 10, "l * 2 takes references");
    gs_decref(ts, twice);
    gs_decref(ts, copy);
    TAP_INT_EQ(gs_list_extend(ts, l, l), 0, "l.extend(l)");
    TAP_STR_EQ(repr_of(l), "[2.5, 2.5, 2.5, 2.5]", "l.extend(l) doubles the list");
    TAP_INT_EQ(f->refcnt, rc + 6, "and references follow");
    GsObject *tup = gs_list_as_tuple(ts, l);
    TAP_INT_EQ(f->refcnt, rc + 10, "as_tuple takes references");
    gs_decref(ts, tup);
    GsObject *k = int_(1);
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, k, NULL), 0, "del l[1]");
    gs_decref(ts, k);
    TAP_INT_EQ(f->refcnt, rc + 5, "del releases the item");
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, NULL), 0, "del l[:]");
    TAP_INT_EQ(f->refcnt, rc + 2, "del l[:] releases them all");
    gs_decref(ts, s);
    gs_decref(ts, t);
    TAP_INT_EQ(f->refcnt, rc, "dealloc of the tuple releases its items");
    gs_list_append(ts, l, f);
    gs_decref(ts, l);
    TAP_INT_EQ(f->refcnt, rc, "dealloc of the list releases its items");
    gs_decref(ts, f);
}

static void test_methods(void)
{
    int64_t v[] = {1, 2, 3};
    GsObject *l = int_list(3, v);
    GsObject *zero = int_(0), *nine = int_(9), *seven = int_(7), *m10 = int_(-10);
    GsObject *ten = int_(10), *m1 = int_(-1), *three = int_(3);
    TAP_STR_EQ(call_none(l, "insert", 2, m10, zero), "no error", "insert(-10, 0)");
    TAP_STR_EQ(call_none(l, "insert", 2, ten, nine), "no error", "insert(10, 9)");
    TAP_STR_EQ(call_none(l, "insert", 2, m1, seven), "no error", "insert(-1, 7)");
    TAP_STR_EQ(repr_of(l), "[0, 1, 2, 3, 7, 9]", "inserts clamp like CPython");
    TAP_STR_EQ(repr_steal(call(l, "index", 1, seven)), "4", "index(7)");
    TAP_STR_EQ(call_none(l, "index", 1, ten, NULL), "ValueError: 10 is not in list",
               "index of a missing value");
    GsObject *a = str_("a");
    TAP_STR_EQ(call_none(l, "index", 1, a, NULL), "ValueError: 'a' is not in list",
               "index message uses repr");
    TAP_STR_EQ(call_none(l, "index", 2, three, m1), "ValueError: 3 is not in list",
               "index with start");
    TAP_STR_EQ(call_none(l, "index", 0, NULL, NULL),
               "TypeError: index expected at least 1 argument, got 0", "index()");
    TAP_STR_EQ(call_none(l, "remove", 1, ten, NULL),
               "ValueError: list.remove(x): x not in list", "remove of a missing value");
    TAP_STR_EQ(call_none(l, "remove", 1, seven, NULL), "no error", "remove(7)");
    TAP_STR_EQ(repr_steal(call(l, "pop", 1, zero)), "0", "pop(0)");
    TAP_STR_EQ(repr_steal(call(l, "pop", 1, m1)), "9", "pop(-1)");
    TAP_STR_EQ(call_none(l, "pop", 1, ten, NULL), "IndexError: pop index out of range",
               "pop(10)");
    TAP_STR_EQ(call_none(l, "pop", 1, a, NULL),
               "TypeError: 'str' object cannot be interpreted as an integer", "pop('a')");
    TAP_STR_EQ(call_none(l, "pop", 2, zero, zero),
               "TypeError: pop expected at most 1 argument, got 2", "pop(0, 0)");
    TAP_STR_EQ(call_none(l, "append", 0, NULL, NULL),
               "TypeError: list.append() takes exactly one argument (0 given)", "append()");
    TAP_STR_EQ(call_none(l, "reverse", 1, zero, NULL),
               "TypeError: list.reverse() takes no arguments (1 given)", "reverse(0)");
    TAP_STR_EQ(call_none(l, "reverse", 0, NULL, NULL), "no error", "reverse()");
    TAP_STR_EQ(repr_of(l), "[3, 2, 1]", "reversed");
    TAP_STR_EQ(repr_steal(call(l, "count", 1, three)), "1", "count(3)");
    GsObject *copy = call(l, "copy", 0);
    TAP_OK(copy && copy != l, "copy is a new list");
    TAP_STR_EQ(repr_of(copy), "[3, 2, 1]", "copy repr");
    TAP_INT_EQ(gs_contains(ts, copy, three), 1, "3 in copy");
    TAP_INT_EQ(gs_contains(ts, copy, ten), 0, "10 not in copy");
    TAP_STR_EQ(call_none(copy, "clear", 0, NULL, NULL), "no error", "clear()");
    TAP_STR_EQ(repr_of(copy), "[]", "cleared");
    TAP_STR_EQ(call_none(copy, "pop", 0, NULL, NULL), "IndexError: pop from empty list",
               "pop from empty");
    gs_decref(ts, copy);
    GsObject *objs[] = {zero, nine, seven, m10, ten, m1, three, a, l};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        gs_decref(ts, objs[i]);
}

static void test_indexing(void)
{
    int64_t v[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    GsObject *l = int_list(10, v);
    TAP_STR_EQ(repr_steal(getitem_int(l, -1)), "9", "l[-1]");
    TAP_OK(getitem_int(l, 10) == NULL, "l[10] fails");
    TAP_STR_EQ(error_text(), "IndexError: list index out of range", "l[10] message");
    GsObject *key = str_("a");
    TAP_OK(GS_TYPE(l)->getitem(ts, l, key) == NULL, "l['a'] fails");
    TAP_STR_EQ(error_text(), "TypeError: list indices must be integers or slices, not str",
               "l['a'] message");
    GsObject *ten = int_(10);
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, ten, ten), -1, "l[10] = 10 fails");
    TAP_STR_EQ(error_text(), "IndexError: list assignment index out of range",
               "assignment message");

    GsObject *s = slice_(2, 8, 3, true, true);
    TAP_STR_EQ(repr_steal(GS_TYPE(l)->getitem(ts, l, s)), "[2, 5]", "l[2:8:3]");
    gs_decref(ts, s);
    s = slice_(0, 0, -1, false, false);
    TAP_STR_EQ(repr_steal(GS_TYPE(l)->getitem(ts, l, s)), "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]",
               "l[::-1]");
    gs_decref(ts, s);

    /* l[1:3] = ('a', 'b', 'c') */
    GsObject *abc = gs_tuple_pack(ts, 3, key, key, key);
    s = slice_(1, 3, 0, true, true);
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, abc), 0, "l[1:3] = a 3-tuple");
    TAP_STR_EQ(repr_of(l), "[0, 'a', 'a', 'a', 3, 4, 5, 6, 7, 8, 9]", "slice assignment grows");
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, ten), -1, "l[1:3] = 10 fails");
    TAP_STR_EQ(error_text(), "TypeError: can only assign an iterable", "its message");
    gs_decref(ts, s);

    /* l[::4] = ('a', 'a', 'a') has 3 slots: a 1-list does not fit. */
    s = slice_(0, 0, 4, false, false);
    GsObject *one = list_of(1, int_(1));
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, one), -1, "extended slice size mismatch");
    TAP_STR_EQ(error_text(),
               "ValueError: attempt to assign sequence of size 1 to extended slice of size 3",
               "its message");
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, abc), 0, "l[::4] = a 3-tuple");
    TAP_STR_EQ(repr_of(l), "['a', 'a', 'a', 'a', 'a', 4, 5, 6, 'a', 8, 9]",
               "extended slice assignment");
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, ten), -1, "l[::4] = 10 fails");
    TAP_STR_EQ(error_text(), "TypeError: must assign iterable to extended slice", "its message");
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, NULL), 0, "del l[::4]");
    TAP_STR_EQ(repr_of(l), "['a', 'a', 'a', 4, 5, 6, 8, 9]", "extended slice deletion");
    gs_decref(ts, s);
    s = slice_(0, 0, -3, false, false);
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, NULL), 0, "del l[::-3]");
    TAP_STR_EQ(repr_of(l), "['a', 'a', 4, 6, 8]", "negative-step deletion");
    gs_decref(ts, s);
    s = slice_(0, 0, -1, false, false);
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, l), 0, "l[::-1] = l");
    TAP_STR_EQ(repr_of(l), "[8, 6, 4, 'a', 'a']", "assigning a list to itself reversed");
    gs_decref(ts, s);
    s = slice_(1, 4, 0, true, true);
    TAP_INT_EQ(GS_TYPE(l)->setitem(ts, l, s, l), 0, "l[1:4] = l");
    TAP_STR_EQ(repr_of(l), "[8, 8, 6, 4, 'a', 'a', 'a']", "self slice assignment copies");
    gs_decref(ts, s);

    GsObject *objs[] = {l, key, ten, abc, one};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        gs_decref(ts, objs[i]);
}

/* A list of (key, tag) pairs. */
static GsObject *pairs(size_t n, const int64_t *keys, const char *tags)
{
    GsObject *l = gs_list_new(ts, 0);
    for (size_t i = 0; i < n; i++) {
        GsObject *k = int_(keys[i]);
        char tag[2] = {tags[i], 0};
        GsObject *t = str_(tag);
        GsObject *p = gs_tuple_pack(ts, 2, k, t);
        gs_list_append(ts, l, p);
        gs_decref(ts, p);
        gs_decref(ts, t);
        gs_decref(ts, k);
    }
    return l;
}

/* A kwnames tuple of n C strings. */
static GsObject *kwnames_of(size_t n, ...)
{
    GsObject *t = gs_tuple_new(ts, n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        ((GsTuple *)t)->items[i] = str_(va_arg(ap, const char *));
    va_end(ap);
    return t;
}

static void test_sort(void)
{
    int64_t v[] = {3, 1, 2, 1};
    GsObject *l = int_list(4, v);
    TAP_INT_EQ(gs_list_sort(ts, l, NULL, false), 0, "sort ints");
    TAP_STR_EQ(repr_of(l), "[1, 1, 2, 3]", "sorted with duplicates");
    TAP_INT_EQ(gs_list_sort(ts, l, GS_NONE, true), 0, "sort reverse");
    TAP_STR_EQ(repr_of(l), "[3, 2, 1, 1]", "reverse sorted");
    gs_decref(ts, l);

    int64_t keys[] = {1, 0, 1, 0, 2, 1};
    /* Bound to None: a C function whose self is NULL is an unbound method. */
    GsObject *key = gs_cfunction_new(ts, "first", first_item, GS_NONE);
    l = pairs(6, keys, "abcdef");
    TAP_INT_EQ(gs_list_sort(ts, l, key, false), 0, "sort with key");
    TAP_STR_EQ(repr_of(l), "[(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c'), (1, 'f'), (2, 'e')]",
               "key sort is stable");
    gs_decref(ts, l);
    l = pairs(6, keys, "abcdef");
    TAP_INT_EQ(gs_list_sort(ts, l, key, true), 0, "sort with key, reverse");
    TAP_STR_EQ(repr_of(l), "[(2, 'e'), (1, 'a'), (1, 'c'), (1, 'f'), (0, 'b'), (0, 'd')]",
               "reverse sort keeps equal items in order");

    /* l.sort(key=first, reverse=True) through the method. */
    GsObject *names = kwnames_of(2, "key", "reverse");
    GsObject *args[2] = {key, GS_FALSE};
    TAP_STR_EQ(repr_steal(call_kw(l, "sort", args, 2, names)), "None", "sort(key=, reverse=)");
    TAP_STR_EQ(repr_of(l), "[(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c'), (1, 'f'), (2, 'e')]",
               "keywords reached sort");
    gs_decref(ts, names);
    GsObject *x = kwnames_of(1, "x");
    GsObject *r = call_kw(l, "sort", args, 1, x);
    TAP_OK(r == NULL, "unknown keyword rejected");
    TAP_STR_EQ(error_text(), "TypeError: 'x' is an invalid keyword argument for sort()",
               "its message");
    gs_decref(ts, x);
    r = call_kw(l, "sort", args, 1, NULL);
    TAP_OK(r == NULL, "positional argument rejected");
    TAP_STR_EQ(error_text(), "TypeError: sort() takes no positional arguments", "its message");
    gs_decref(ts, l);
    gs_decref(ts, key);

    /* A failing comparison leaves every item in the list. */
    l = list_of(3, int_(2), str_("a"), int_(1));
    TAP_INT_EQ(gs_list_sort(ts, l, NULL, false), -1, "sort of int and str fails");
    TAP_OK(gs_err_matches(ts, &gs_exc_TypeError), "with a TypeError");
    gs_err_clear(ts);
    TAP_INT_EQ(gs_len(ts, l), 3, "no item lost");
    gs_decref(ts, l);

    /* A key function that appends to the list being sorted. */
    int64_t w[] = {3, 1, 2};
    l = int_list(3, w);
    GsObject *bad = gs_cfunction_new(ts, "appends", key_appends, l);
    TAP_INT_EQ(gs_list_sort(ts, l, bad, false), -1, "sort notices the change");
    TAP_STR_EQ(error_text(), "ValueError: list modified during sort", "its message");
    TAP_STR_EQ(repr_of(l), "[1, 2, 3]", "the sorted items are kept, the added ones dropped");
    gs_decref(ts, bad);
    gs_decref(ts, l);
}

static void test_sequences(void)
{
    GsObject *l = list_of(2, int_(1), int_(2));
    GsObject *t = gs_tuple_pack(ts, 0);
    TAP_OK(gs_seq_concat(ts, l, t) == NULL, "list + tuple fails");
    TAP_STR_EQ(error_text(), "TypeError: can only concatenate list (not \"tuple\") to list",
               "its message");
    TAP_OK(gs_seq_concat(ts, t, l) == NULL, "tuple + list fails");
    TAP_STR_EQ(error_text(), "TypeError: can only concatenate tuple (not \"list\") to tuple",
               "its message");
    TAP_STR_EQ(repr_steal(gs_seq_concat(ts, l, l)), "[1, 2, 1, 2]", "list + list");
    TAP_STR_EQ(repr_steal(gs_seq_repeat(ts, l, 3)), "[1, 2, 1, 2, 1, 2]", "list * 3");
    TAP_STR_EQ(repr_steal(gs_seq_repeat(ts, l, -1)), "[]", "list * -1");
    GsObject *lt = gs_list_as_tuple(ts, l);
    TAP_STR_EQ(repr_of(lt), "(1, 2)", "list as tuple");
    GsObject *same = gs_seq_repeat(ts, lt, 1);
    TAP_OK(same == lt, "t * 1 is t");
    gs_xdecref(ts, same);
    same = gs_seq_concat(ts, lt, t);
    TAP_OK(same == lt, "t + () is t");
    gs_xdecref(ts, same);
    TAP_STR_EQ(repr_steal(gs_seq_concat(ts, lt, lt)), "(1, 2, 1, 2)", "tuple + tuple");

    GsObject *m = list_of(2, int_(1), int_(3));
    TAP_INT_EQ(gs_compare_bool(ts, l, m, GS_CMP_LT), 1, "[1, 2] < [1, 3]");
    TAP_INT_EQ(gs_compare_bool(ts, l, m, GS_CMP_EQ), 0, "[1, 2] != [1, 3]");
    GsObject *l2 = list_of(2, int_(1), int_(2));
    TAP_INT_EQ(gs_compare_bool(ts, l, l2, GS_CMP_EQ), 1, "equal lists");
    TAP_INT_EQ(gs_compare_bool(ts, l, l2, GS_CMP_GE), 1, "[1, 2] >= [1, 2]");
    GsObject *l3 = list_of(1, int_(1));
    TAP_INT_EQ(gs_compare_bool(ts, l3, l, GS_CMP_LT), 1, "a prefix is smaller");
    GsObject *ni = GS_TYPE(l)->richcompare(ts, l, lt, GS_CMP_EQ);
    TAP_OK(ni == GS_NOTIMPL, "list vs tuple: NotImplemented");
    gs_xdecref(ts, ni);

    /* The constructors. */
    GsObject *args[2] = {lt, l};
    GsObject *fresh = gs_list_type.new_(ts, &gs_list_type, args, 1, NULL);
    TAP_STR_EQ(repr_steal(fresh), "[1, 2]", "list(tuple)");
    TAP_STR_EQ(repr_steal(gs_list_type.new_(ts, &gs_list_type, args, 0, NULL)), "[]", "list()");
    TAP_OK(gs_list_type.new_(ts, &gs_list_type, args, 2, NULL) == NULL, "list(a, b) fails");
    TAP_STR_EQ(error_text(), "TypeError: list expected at most 1 argument, got 2",
               "its message");
    same = gs_tuple_type.new_(ts, &gs_tuple_type, args, 1, NULL);
    TAP_OK(same == lt, "tuple(t) is t");
    gs_xdecref(ts, same);
    TAP_STR_EQ(repr_steal(gs_tuple_type.new_(ts, &gs_tuple_type, &args[1], 1, NULL)), "(1, 2)",
               "tuple(list)");
    GsObject *seven = int_(7);
    TAP_OK(gs_sequence_to_list(ts, seven) == NULL, "list(7) fails");
    TAP_OK(gs_err_matches(ts, &gs_exc_TypeError), "with a TypeError");
    gs_err_clear(ts);

    GsObject *objs[] = {l, t, lt, m, l2, l3, seven};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        gs_decref(ts, objs[i]);
}

static void test_tuple(void)
{
    GsObject *one = int_(1), *two = int_(2), *a = str_("a");
    GsObject *t0 = gs_tuple_new(ts, 0);
    GsObject *t1 = gs_tuple_pack(ts, 1, one);
    GsObject *t2 = gs_tuple_pack(ts, 2, one, two);
    GsObject *t2b = gs_tuple_pack(ts, 2, one, two);
    GsObject *t0b = gs_tuple_pack(ts, 0);
    TAP_OK(t0 == t0b, "() is (): one shared empty tuple");
    gs_decref(ts, t0b);
    TAP_STR_EQ(repr_of(t0), "()", "repr ()");
    TAP_STR_EQ(repr_of(t1), "(1,)", "repr (1,)");
    TAP_STR_EQ(repr_of(t2), "(1, 2)", "repr (1, 2)");
    TAP_OK(t2 != t2b, "two distinct tuples");
    int64_t h = gs_hash(ts, t2);
    TAP_OK(h != -1 && h == gs_hash(ts, t2b), "equal tuples hash equal");
    TAP_INT_EQ(h, INT64_C(-3550055125485641917), "hash((1, 2)) is CPython's");
    TAP_INT_EQ(gs_hash(ts, t0), INT64_C(5740354900026072187), "hash(()) is CPython's");
    TAP_OK(gs_hash(ts, t1) != h, "different tuples, different hashes");
    TAP_INT_EQ(gs_compare_bool(ts, t2, t2b, GS_CMP_EQ), 1, "(1, 2) == (1, 2)");
    TAP_INT_EQ(gs_compare_bool(ts, t1, t2, GS_CMP_LT), 1, "(1,) < (1, 2)");

    GsObject *l = gs_list_new(ts, 0);
    GsObject *unhashable = gs_tuple_pack(ts, 2, one, l);
    TAP_INT_EQ(gs_hash(ts, unhashable), -1, "a tuple holding a list is unhashable");
    TAP_OK(gs_err_matches(ts, &gs_exc_TypeError), "with a TypeError");
    gs_err_clear(ts);

    TAP_STR_EQ(repr_steal(getitem_int(t2, -1)), "2", "t[-1]");
    TAP_OK(getitem_int(t2, 2) == NULL, "t[2] fails");
    TAP_STR_EQ(error_text(), "IndexError: tuple index out of range", "its message");
    TAP_OK(GS_TYPE(t2)->getitem(ts, t2, a) == NULL, "t['a'] fails");
    TAP_STR_EQ(error_text(), "TypeError: tuple indices must be integers or slices, not str",
               "its message");
    GsObject *s = slice_(0, 0, 0, false, false);
    GsObject *same = GS_TYPE(t2)->getitem(ts, t2, s);
    TAP_OK(same == t2, "t[:] is t");
    gs_xdecref(ts, same);
    gs_decref(ts, s);
    s = slice_(0, 0, -1, false, false);
    TAP_STR_EQ(repr_steal(GS_TYPE(t2)->getitem(ts, t2, s)), "(2, 1)", "t[::-1]");
    gs_decref(ts, s);

    TAP_INT_EQ(gs_contains(ts, t2, two), 1, "2 in (1, 2)");
    TAP_INT_EQ(gs_contains(ts, t2, a), 0, "'a' not in (1, 2)");
    TAP_STR_EQ(repr_steal(call(t2, "index", 1, two)), "1", "t.index(2)");
    TAP_STR_EQ(call_none(t2, "index", 1, a, NULL), "ValueError: tuple.index(x): x not in tuple",
               "index of a missing value");
    TAP_STR_EQ(repr_steal(call(t2, "count", 1, one)), "1", "t.count(1)");
    TAP_STR_EQ(call_none(t2, "count", 0, NULL, NULL),
               "TypeError: tuple.count() takes exactly one argument (0 given)", "count()");

    intptr_t rc = a->refcnt;
    GsObject *ta = gs_tuple_pack(ts, 3, a, a, a);
    TAP_INT_EQ(a->refcnt, rc + 3, "pack: one reference per slot");
    gs_decref(ts, ta);
    TAP_INT_EQ(a->refcnt, rc, "released on dealloc");

    GsObject *objs[] = {one, two, a, t0, t1, t2, t2b, l, unhashable};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++)
        gs_decref(ts, objs[i]);
}

int main(void)
{
    gs_types_init();
    GsOptions opt;
    gs_options_default(&opt);
    GsInterp *interp = gs_interp_new(&opt);
    if (!interp) {
        printf("Bail out! gs_interp_new failed\n");
        return 1;
    }
    gs_thread_init(ts, interp, 0);
    /* gs_interp_new may already have set up the builtins. */
    if (!interp->builtins && gs_builtins_init(ts) < 0) {
        printf("Bail out! gs_builtins_init: %s\n", error_text());
        return 1;
    }
    test_build_and_repr();
    test_refcounts();
    test_methods();
    test_indexing();
    test_sort();
    test_sequences();
    test_tuple();
    TAP_STR_EQ(error_text(), "no error", "no exception left pending");
    gs_thread_fini(ts);
    gs_interp_free(interp);
    return tap_done();
}
