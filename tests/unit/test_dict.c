/*
 * test_dict.c -- the dict type: the hash table (resizes, deletions,
 * order), reprs, KeyError, the methods and views, and exact refcounts.
 */
#include <stdio.h>
#include <string.h>

#include "runtime/interp.h"
#include "tap.h"

static GsThread thread;
static GsThread *ts = &thread;

/* ---- helpers ---------------------------------------------------------------- */

/* Report and clear an unexpected exception, so one failure does not
 * cascade into every later test. */
static void show_error(const char *where)
{
    if (!gs_err_occurred(ts))
        return;
    GsObject *exc = gs_err_fetch(ts);
    GsObject *r = gs_repr(ts, exc);
    printf("# unexpected exception in %s: %s\n", where, r ? gs_str_cstr(r) : "?");
    if (r == NULL)
        gs_err_clear(ts);
    gs_xdecref(ts, r);
    gs_decref(ts, exc);
}

/* repr(o) copied into a static buffer ("<error>" if repr failed). */
static const char *repr_of(GsObject *o)
{
    static char buf[512];
    GsObject *r = gs_repr(ts, o);
    if (r == NULL) {
        show_error("repr");
        return "<error>";
    }
    snprintf(buf, sizeof buf, "%s", gs_str_cstr(r));
    gs_decref(ts, r);
    return buf;
}

static GsObject *str(const char *s) { return gs_str_from(ts, s); }

/* d[key] = value, dropping our references to both. */
static void set_steal(GsObject *d, GsObject *key, GsObject *value)
{
    if (gs_dict_set(ts, d, key, value) < 0)
        show_error("gs_dict_set");
    gs_decref(ts, key);
    gs_decref(ts, value);
}

/* obj.name(*args), keywords named by kwnames. */
static GsObject *call_method(GsObject *obj, const char *name, GsObject *const *args,
                             size_t nargs, GsObject *kwnames)
{
    GsObject *m = gs_getattr_c(ts, obj, name);
    if (m == NULL)
        return NULL;
    GsObject *r = gs_call(ts, m, args, nargs, kwnames);
    gs_decref(ts, m);
    return r;
}

/* The keys of d in iteration order, as "1,3,5". */
static const char *keys_of(GsObject *d)
{
    static char buf[4096];
    size_t pos = 0, n = 0;
    GsObject *k;
    buf[0] = '\0';
    while (gs_dict_next(d, &pos, &k, NULL) && n < sizeof buf - 32)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "", repr_of(k));
    return buf;
}

/* The current exception is of type `type`; fetch and return it (new ref). */
static GsObject *expect_exc(GsType *type, const char *what)
{
    GsObject *exc = gs_err_occurred(ts) ? gs_err_fetch(ts) : NULL;
    TAP_OK(exc != NULL && GS_TYPE(exc) == type, "%s raises %s", what, type->name);
    return exc;
}

static const char *exc_message(GsObject *exc)
{
    GsObject *args = exc ? ((GsException *)exc)->args : NULL;
    if (args == NULL || !GS_IS_TUPLE(args) || ((GsTuple *)args)->len < 1 ||
        !GS_IS_STR(((GsTuple *)args)->items[0]))
        return "(no message)";
    return gs_str_cstr(((GsTuple *)args)->items[0]);
}

/* ---- the hash table ------------------------------------------------------------ */

static void test_empty(void)
{
    GsObject *d = gs_dict_new(ts);
    TAP_OK(d != NULL && GS_IS_DICT(d), "gs_dict_new makes a dict");
    TAP_INT_EQ(gs_dict_type.len(ts, d), 0, "empty dict has len 0");
    TAP_INT_EQ(gs_dict_type.truth(ts, d), 0, "empty dict is false");
    TAP_STR_EQ(repr_of(d), "{}", "repr of empty dict");
    GsObject *k = str("missing");
    TAP_OK(gs_dict_get(ts, d, k) == NULL && !gs_err_occurred(ts),
           "lookup in empty dict: NULL, no error");
    TAP_INT_EQ(gs_dict_del(ts, d, k), 0, "deleting from empty dict returns 0");
    gs_decref(ts, k);
    gs_decref(ts, d);
}

static void test_many_int_keys(void)
{
    enum { N = 1000 };
    GsObject *d = gs_dict_new(ts);
    for (int64_t i = 0; i < N; i++)
        set_steal(d, gs_int_new(ts, i), gs_int_new(ts, i * 2));
    GsDict *dd = (GsDict *)d;
    TAP_INT_EQ(dd->used, N, "1000 keys inserted");
    TAP_OK(dd->nindex >= 1024 && (dd->nindex & (dd->nindex - 1)) == 0,
           "index grew to a power of two >= 1024 (%zu)", dd->nindex);
    TAP_OK(dd->cap <= dd->nindex * 2 / 3, "entries stay within 2/3 of the index");

    int bad = 0;
    for (int64_t i = 0; i < N; i++) {
        GsObject *k = gs_int_new(ts, i);
        GsObject *v = gs_dict_get(ts, d, k);
        if (v == NULL || gs_int_value(v) != i * 2)
            bad++;
        gs_decref(ts, k);
    }
    TAP_INT_EQ(bad, 0, "every key finds its value after resizes");

    int deleted = 0;
    for (int64_t i = 0; i < N; i += 2) {
        GsObject *k = gs_int_new(ts, i);
        deleted += gs_dict_del(ts, d, k);
        gs_decref(ts, k);
    }
    TAP_INT_EQ(deleted, N / 2, "deleting the even keys reports 500 deletions");
    TAP_INT_EQ(gs_dict_type.len(ts, d), N / 2, "len is 500 after deletions");

    bad = 0;
    for (int64_t i = 0; i < N; i++) {
        GsObject *k = gs_int_new(ts, i);
        GsObject *v = gs_dict_get(ts, d, k);
        if ((i % 2 == 0) != (v == NULL))
            bad++;
        gs_decref(ts, k);
    }
    TAP_INT_EQ(bad, 0, "odd keys still found, even keys gone");
    TAP_OK(!gs_err_occurred(ts), "missing keys raise nothing");

    /* The odd keys come out in insertion order. */
    size_t pos = 0;
    GsObject *k;
    int64_t expect = 1;
    bad = 0;
    while (gs_dict_next(d, &pos, &k, NULL)) {
        if (gs_int_value(k) != expect)
            bad++;
        expect += 2;
    }
    TAP_INT_EQ(bad, 0, "iteration order is insertion order after deletions");
    TAP_INT_EQ(expect, N + 1, "iteration visited all 500 live keys");
    gs_decref(ts, d);
}

static void test_order(void)
{
    GsObject *d = gs_dict_new(ts);
    const char *names[] = { "c", "a", "d", "b", "e" };
    for (int i = 0; i < 5; i++)
        set_steal(d, str(names[i]), gs_int_new(ts, i));
    TAP_STR_EQ(keys_of(d), "'c','a','d','b','e'", "keys in insertion order");

    GsObject *k = str("a");
    gs_dict_del(ts, d, k);
    gs_decref(ts, k);
    TAP_STR_EQ(keys_of(d), "'c','d','b','e'", "deleting keeps the others' order");

    set_steal(d, str("a"), gs_int_new(ts, 9));
    TAP_STR_EQ(keys_of(d), "'c','d','b','e','a'", "a re-inserted key goes last");

    set_steal(d, str("c"), gs_int_new(ts, 7));
    TAP_STR_EQ(keys_of(d), "'c','d','b','e','a'", "overwriting keeps the key's place");
    TAP_STR_EQ(repr_of(d), "{'c': 7, 'd': 2, 'b': 3, 'e': 4, 'a': 9}", "repr after changes");
    gs_decref(ts, d);
}

/* Insert and delete the same few keys many times: the holes must be
 * compacted away rather than make the table grow. */
static void test_churn_compacts(void)
{
    GsObject *d = gs_dict_new(ts);
    for (int i = 0; i < 1000; i++) {
        GsObject *k = gs_str_printf(ts, "churn%d", i);
        set_steal(d, gs_newref(ts, k), gs_int_new(ts, i));
        gs_dict_del(ts, d, k);
        gs_decref(ts, k);
    }
    GsDict *dd = (GsDict *)d;
    TAP_INT_EQ(dd->used, 0, "churned dict is empty");
    TAP_INT_EQ(dd->nindex, 8, "churn does not grow the index");
    gs_decref(ts, d);
}

static void test_many_str_keys(void)
{
    enum { N = 5000 };
    GsObject *d = gs_dict_new(ts);
    for (int i = 0; i < N; i++)
        set_steal(d, gs_str_printf(ts, "key%d", i), gs_int_new(ts, i));
    int bad = 0;
    for (int i = 0; i < N; i++) {
        /* A distinct but equal str: the lookup must compare contents. */
        GsObject *k = gs_str_printf(ts, "key%d", i);
        GsObject *v = gs_dict_get(ts, d, k);
        if (v == NULL || gs_int_value(v) != i)
            bad++;
        gs_decref(ts, k);
    }
    TAP_INT_EQ(bad, 0, "5000 str keys found through equal, distinct strs");
    TAP_OK(gs_dict_get_c(ts, d, "key4321") != NULL &&
           gs_int_value(gs_dict_get_c(ts, d, "key4321")) == 4321, "gs_dict_get_c");
    TAP_OK(gs_dict_get_c(ts, d, "nope") == NULL && !gs_err_occurred(ts),
           "gs_dict_get_c of a missing key");
    GsObject *v = gs_int_new(ts, 42);
    TAP_INT_EQ(gs_dict_set_c(ts, d, "key17", v), 0, "gs_dict_set_c overwrites");
    TAP_OK(gs_dict_get_c(ts, d, "key17") == v, "gs_dict_set_c stored the value");
    TAP_INT_EQ(gs_dict_type.len(ts, d), N, "len unchanged by an overwrite");
    gs_decref(ts, v);
    gs_decref(ts, d);
}

/* ---- reprs, errors ------------------------------------------------------------------ */

static void test_reprs(void)
{
    GsObject *d = gs_dict_new(ts);
    set_steal(d, str("a"), gs_int_new(ts, 1));
    GsObject *l = gs_list_new(ts, 0);
    gs_list_append(ts, l, gs_small_int(1));
    gs_list_append(ts, l, gs_small_int(2));
    set_steal(d, str("b"), l);
    TAP_STR_EQ(repr_of(d), "{'a': 1, 'b': [1, 2]}", "repr of a dict");

    GsObject *keys = call_method(d, "keys", NULL, 0, NULL);
    GsObject *values = call_method(d, "values", NULL, 0, NULL);
    GsObject *items = call_method(d, "items", NULL, 0, NULL);
    show_error("views");
    if (keys && values && items) {
        TAP_STR_EQ(repr_of(keys), "dict_keys(['a', 'b'])", "repr of keys()");
        TAP_STR_EQ(repr_of(values), "dict_values([1, [1, 2]])", "repr of values()");
        TAP_STR_EQ(repr_of(items), "dict_items([('a', 1), ('b', [1, 2])])",
                   "repr of items()");
        TAP_INT_EQ(gs_len(ts, keys), 2, "len of a view");
        /* A view is live: it sees later changes. */
        set_steal(d, str("c"), gs_int_new(ts, 3));
        TAP_STR_EQ(repr_of(keys), "dict_keys(['a', 'b', 'c'])", "views see later inserts");
        GsObject *a = str("a"), *z = str("z");
        TAP_INT_EQ(gs_contains(ts, keys, a), 1, "'a' in d.keys()");
        TAP_INT_EQ(gs_contains(ts, keys, z), 0, "'z' not in d.keys()");
        TAP_INT_EQ(gs_contains(ts, values, gs_small_int(3)), 1, "3 in d.values()");
        GsObject *pair = gs_tuple_pack(ts, 2, a, gs_small_int(1));
        TAP_INT_EQ(gs_contains(ts, items, pair), 1, "('a', 1) in d.items()");
        gs_decref(ts, pair);
        pair = gs_tuple_pack(ts, 2, a, gs_small_int(2));
        TAP_INT_EQ(gs_contains(ts, items, pair), 0, "('a', 2) not in d.items()");
        gs_decref(ts, pair);
        gs_decref(ts, a);
        gs_decref(ts, z);
    } else {
        TAP_OK(0, "keys(), values() and items() return views");
    }
    gs_xdecref(ts, keys);
    gs_xdecref(ts, values);
    gs_xdecref(ts, items);

    GsObject *inner = gs_dict_new(ts);
    set_steal(inner, gs_int_new(ts, 1), str("one"));
    set_steal(d, str("d"), inner);
    TAP_STR_EQ(repr_of(d), "{'a': 1, 'b': [1, 2], 'c': 3, 'd': {1: 'one'}}",
               "repr of nested dicts");
    gs_decref(ts, d);

    GsObject *self = gs_dict_new(ts);
    gs_dict_set_c(ts, self, "self", self);
    TAP_STR_EQ(repr_of(self), "{'self': {...}}", "a dict containing itself");
    GsObject *k = str("self");
    gs_dict_del(ts, self, k);        /* break the cycle by hand */
    gs_decref(ts, k);
    TAP_INT_EQ(self->refcnt, 1, "deleting the self-reference drops its count");
    gs_decref(ts, self);
}

static void test_key_error(void)
{
    GsObject *d = gs_dict_new(ts);
    set_steal(d, str("a"), gs_int_new(ts, 1));
    GsObject *key = str("b");
    intptr_t before = key->refcnt;
    GsObject *r = gs_dict_type.getitem(ts, d, key);
    TAP_OK(r == NULL, "d['b'] fails");
    GsObject *exc = expect_exc(&gs_exc_KeyError, "d['b']");
    GsObject *args = exc ? ((GsException *)exc)->args : NULL;
    TAP_OK(args && GS_IS_TUPLE(args) && ((GsTuple *)args)->len == 1 &&
           ((GsTuple *)args)->items[0] == key, "KeyError's args is (key,)");
    gs_xdecref(ts, exc);
    TAP_INT_EQ(key->refcnt, before, "the key's count is back once the error is gone");

    TAP_INT_EQ(gs_dict_type.setitem(ts, d, key, NULL), -1, "del d['b'] fails");
    gs_xdecref(ts, expect_exc(&gs_exc_KeyError, "del d['b']"));

    GsObject *a = str("a");
    r = gs_dict_type.getitem(ts, d, a);
    TAP_OK(r != NULL && gs_int_value(r) == 1, "d['a'] is 1");
    gs_xdecref(ts, r);
    TAP_INT_EQ(gs_dict_type.setitem(ts, d, a, NULL), 0, "del d['a']");
    TAP_INT_EQ(gs_dict_type.len(ts, d), 0, "dict empty after del");

    GsObject *unhashable = gs_list_new(ts, 0);
    TAP_INT_EQ(gs_dict_set(ts, d, unhashable, a), -1, "a list key is refused");
    gs_xdecref(ts, expect_exc(&gs_exc_TypeError, "d[[]] = x"));
    TAP_OK(gs_dict_get(ts, d, unhashable) == NULL, "lookup of a list key fails");
    gs_xdecref(ts, expect_exc(&gs_exc_TypeError, "d[[]]"));
    TAP_INT_EQ(gs_dict_type.hash(ts, d), -1, "a dict is unhashable");
    gs_xdecref(ts, expect_exc(&gs_exc_TypeError, "hash({})"));

    gs_decref(ts, unhashable);
    gs_decref(ts, a);
    gs_decref(ts, key);
    gs_decref(ts, d);
}

/* ---- refcounts ------------------------------------------------------------------------ */

static void test_refcounts(void)
{
    GsObject *d = gs_dict_new(ts);
    GsObject *k = gs_str_printf(ts, "refcount-key-%d", 1);
    GsObject *k2 = gs_str_printf(ts, "refcount-key-%d", 1);   /* equal, distinct */
    GsObject *v1 = gs_list_new(ts, 0), *v2 = gs_list_new(ts, 0);
    intptr_t rk = k->refcnt, rk2 = k2->refcnt;

    gs_dict_set(ts, d, k, v1);
    TAP_INT_EQ(k->refcnt, rk + 1, "set: the dict holds the key");
    TAP_INT_EQ(v1->refcnt, 2, "set: the dict holds the value");

    gs_dict_set(ts, d, k2, v2);
    TAP_INT_EQ(k->refcnt, rk + 1, "overwrite: the original key is kept");
    TAP_INT_EQ(k2->refcnt, rk2, "overwrite: the new, equal key is not kept");
    TAP_INT_EQ(v1->refcnt, 1, "overwrite: the old value is released");
    TAP_INT_EQ(v2->refcnt, 2, "overwrite: the new value is held");

    gs_dict_set(ts, d, k, v2);
    TAP_INT_EQ(v2->refcnt, 2, "storing the same value again changes nothing");

    GsObject *got = gs_dict_type.getitem(ts, d, k);
    TAP_INT_EQ(v2->refcnt, 3, "d[k] returns a new reference");
    gs_xdecref(ts, got);
    TAP_OK(gs_dict_get(ts, d, k) == v2 && v2->refcnt == 2, "gs_dict_get borrows");

    TAP_INT_EQ(gs_dict_del(ts, d, k2), 1, "delete by an equal key");
    TAP_INT_EQ(k->refcnt, rk, "delete: key released");
    TAP_INT_EQ(v2->refcnt, 1, "delete: value released");

    gs_dict_set(ts, d, k, v1);
    gs_dict_set(ts, d, k2, v1);
    GsObject *pop = call_method(d, "pop", &k, 1, NULL);
    show_error("pop");
    TAP_OK(pop == v1 && v1->refcnt == 2, "pop hands over the dict's reference");
    TAP_INT_EQ(k->refcnt, rk, "pop released the key");
    gs_xdecref(ts, pop);

    gs_dict_set(ts, d, k, v1);
    GsObject *many = gs_int_new(ts, 123456);
    for (int i = 0; i < 100; i++) {
        GsObject *ik = gs_int_new(ts, 1000 + i);
        gs_dict_set(ts, d, ik, many);
        gs_decref(ts, ik);
    }
    TAP_INT_EQ(many->refcnt, 101, "one value under 100 keys: 100 references");
    gs_decref(ts, d);
    TAP_INT_EQ(k->refcnt, rk, "dealloc: key released");
    TAP_INT_EQ(v1->refcnt, 1, "dealloc: value released");
    TAP_INT_EQ(many->refcnt, 1, "dealloc: all 100 references released");

    gs_decref(ts, many);
    gs_decref(ts, k);
    gs_decref(ts, k2);
    gs_decref(ts, v1);
    gs_decref(ts, v2);
}

/* ---- iteration -------------------------------------------------------------------------- */

static void test_iteration(void)
{
    GsObject *d = gs_dict_new(ts);
    for (int i = 0; i < 5; i++)
        set_steal(d, gs_int_new(ts, i), gs_int_new(ts, i * i));
    GsObject *it = gs_getiter(ts, d);
    int64_t sum = 0, n = 0;
    GsObject *k;
    while (it && (k = gs_iternext(ts, it)) != NULL) {
        sum += gs_int_value(k);
        n++;
        gs_decref(ts, k);
    }
    show_error("iteration");
    TAP_INT_EQ(n, 5, "iterating a dict yields its 5 keys");
    TAP_INT_EQ(sum, 10, "... 0 to 4");
    TAP_INT_EQ(d->refcnt, 1, "an exhausted iterator lets go of the dict");
    gs_xdecref(ts, it);

    GsObject *items = call_method(d, "items", NULL, 0, NULL);
    it = items ? gs_getiter(ts, items) : NULL;
    GsObject *first = it ? gs_iternext(ts, it) : NULL;
    TAP_STR_EQ(first ? repr_of(first) : "(null)", "(0, 0)", "items() yields pairs");
    gs_xdecref(ts, first);
    gs_xdecref(ts, it);
    gs_xdecref(ts, items);

    it = gs_getiter(ts, d);
    k = it ? gs_iternext(ts, it) : NULL;
    gs_xdecref(ts, k);
    set_steal(d, gs_int_new(ts, 99), gs_int_new(ts, 0));
    k = it ? gs_iternext(ts, it) : NULL;
    TAP_OK(k == NULL, "next() after an insertion fails");
    GsObject *exc = expect_exc(&gs_exc_RuntimeError, "changing size during iteration");
    TAP_STR_EQ(exc_message(exc), "dictionary changed size during iteration",
               "CPython's message");
    gs_xdecref(ts, exc);
    gs_xdecref(ts, it);

    /* Same size, different keys: after all 6 keys were seen, delete one
     * and add one.  The iterator then finds a 7th key. */
    it = gs_getiter(ts, d);
    for (int i = 0; it && i < 6; i++)
        gs_xdecref(ts, gs_iternext(ts, it));
    GsObject *zero = gs_int_new(ts, 0);
    gs_dict_del(ts, d, zero);
    set_steal(d, gs_int_new(ts, 100), gs_int_new(ts, 0));
    k = it ? gs_iternext(ts, it) : NULL;
    TAP_OK(k == NULL, "next() after a delete and an insert fails");
    exc = expect_exc(&gs_exc_RuntimeError, "swapping keys during iteration");
    TAP_STR_EQ(exc_message(exc), "dictionary keys changed during iteration",
               "CPython's message");
    gs_xdecref(ts, exc);
    gs_xdecref(ts, it);
    gs_decref(ts, zero);
    gs_decref(ts, d);
}

/* ---- methods and construction --------------------------------------------------------------- */

static GsObject *pairs_list(void)
{
    /* [('x', 1), ['y', 2]] */
    GsObject *l = gs_list_new(ts, 0);
    GsObject *x = str("x"), *y = str("y");
    GsObject *t = gs_tuple_pack(ts, 2, x, gs_small_int(1));
    GsObject *p = gs_list_new(ts, 0);
    gs_list_append(ts, p, y);
    gs_list_append(ts, p, gs_small_int(2));
    gs_list_append(ts, l, t);
    gs_list_append(ts, l, p);
    gs_decref(ts, t);
    gs_decref(ts, p);
    gs_decref(ts, x);
    gs_decref(ts, y);
    return l;
}

static void test_constructor(void)
{
    GsObject *d = gs_dict_type.new_(ts, &gs_dict_type, NULL, 0, NULL);
    TAP_STR_EQ(d ? repr_of(d) : "(null)", "{}", "dict()");
    gs_xdecref(ts, d);

    GsObject *pairs = pairs_list();
    d = gs_dict_type.new_(ts, &gs_dict_type, &pairs, 1, NULL);
    show_error("dict(pairs)");
    TAP_STR_EQ(d ? repr_of(d) : "(null)", "{'x': 1, 'y': 2}", "dict(iterable of pairs)");

    GsObject *d2 = d ? gs_dict_type.new_(ts, &gs_dict_type, &d, 1, NULL) : NULL;
    TAP_STR_EQ(d2 ? repr_of(d2) : "(null)", "{'x': 1, 'y': 2}", "dict(mapping)");
    GsObject *eq = d2 ? gs_dict_type.richcompare(ts, d, d2, GS_CMP_EQ) : NULL;
    TAP_OK(eq == GS_TRUE, "dict(d) == d");
    gs_xdecref(ts, eq);
    gs_xdecref(ts, d2);
    gs_xdecref(ts, d);

    GsObject *a = str("a"), *b = str("b");
    GsObject *kwnames = gs_tuple_pack(ts, 2, a, b);
    GsObject *args[] = { pairs, gs_small_int(1), gs_small_int(2) };
    d = gs_dict_type.new_(ts, &gs_dict_type, args, 3, kwnames);
    show_error("dict(pairs, a=1, b=2)");
    TAP_STR_EQ(d ? repr_of(d) : "(null)", "{'x': 1, 'y': 2, 'a': 1, 'b': 2}",
               "dict(pairs, a=1, b=2)");
    gs_xdecref(ts, d);

    GsObject *two[] = { pairs, pairs };
    d = gs_dict_type.new_(ts, &gs_dict_type, two, 2, NULL);
    TAP_OK(d == NULL, "dict(x, y) fails");
    GsObject *exc = expect_exc(&gs_exc_TypeError, "dict(x, y)");
    TAP_STR_EQ(exc_message(exc), "dict expected at most 1 argument, got 2", "its message");
    gs_xdecref(ts, exc);

    GsObject *bad = gs_list_new(ts, 0);
    GsObject *triple = gs_tuple_pack(ts, 3, a, a, a);
    gs_list_append(ts, bad, triple);
    d = gs_dict_type.new_(ts, &gs_dict_type, &bad, 1, NULL);
    exc = expect_exc(&gs_exc_ValueError, "dict([(a, a, a)])");
    TAP_STR_EQ(exc_message(exc),
               "dictionary update sequence element #0 has length 3; 2 is required",
               "its message");
    gs_xdecref(ts, exc);
    gs_xdecref(ts, d);

    gs_decref(ts, triple);
    gs_decref(ts, bad);
    gs_decref(ts, kwnames);
    gs_decref(ts, a);
    gs_decref(ts, b);
    gs_decref(ts, pairs);
}

static void test_methods(void)
{
    GsObject *d = gs_dict_new(ts);
    GsObject *a = str("a"), *b = str("b"), *z = str("z");
    gs_dict_set(ts, d, a, gs_small_int(1));
    gs_dict_set(ts, d, b, gs_small_int(2));

    GsObject *r = call_method(d, "get", &a, 1, NULL);
    TAP_OK(r == gs_small_int(1), "d.get('a')");
    gs_xdecref(ts, r);
    r = call_method(d, "get", &z, 1, NULL);
    TAP_OK(r == GS_NONE, "d.get('z') is None");
    gs_xdecref(ts, r);
    GsObject *zd[] = { z, gs_small_int(7) };
    r = call_method(d, "get", zd, 2, NULL);
    TAP_OK(r == gs_small_int(7), "d.get('z', 7)");
    gs_xdecref(ts, r);

    r = call_method(d, "setdefault", zd, 2, NULL);
    TAP_OK(r == gs_small_int(7), "d.setdefault('z', 7) inserts 7");
    gs_xdecref(ts, r);
    GsObject *ad[] = { a, gs_small_int(9) };
    r = call_method(d, "setdefault", ad, 2, NULL);
    TAP_OK(r == gs_small_int(1), "d.setdefault('a', 9) keeps 1");
    gs_xdecref(ts, r);
    TAP_STR_EQ(repr_of(d), "{'a': 1, 'b': 2, 'z': 7}", "after setdefault");

    r = call_method(d, "popitem", NULL, 0, NULL);
    TAP_STR_EQ(r ? repr_of(r) : "(null)", "('z', 7)", "popitem takes the last item");
    gs_xdecref(ts, r);
    r = call_method(d, "pop", &z, 1, NULL);
    TAP_OK(r == NULL, "pop of a missing key fails");
    GsObject *exc = expect_exc(&gs_exc_KeyError, "d.pop('z')");
    gs_xdecref(ts, exc);
    r = call_method(d, "pop", zd, 2, NULL);
    TAP_OK(r == gs_small_int(7), "d.pop('z', 7) returns the default");
    gs_xdecref(ts, r);

    GsObject *c = call_method(d, "copy", NULL, 0, NULL);
    TAP_STR_EQ(c ? repr_of(c) : "(null)", "{'a': 1, 'b': 2}", "d.copy()");
    if (c) {
        gs_dict_set(ts, c, z, gs_small_int(3));
        TAP_INT_EQ(gs_dict_type.len(ts, d), 2, "the copy is independent");
        GsObject *ne = gs_dict_type.richcompare(ts, d, c, GS_CMP_NE);
        TAP_OK(ne == GS_TRUE, "d != changed copy");
        gs_xdecref(ts, ne);
    }

    GsObject *pairs = pairs_list();
    GsObject *kwnames = gs_tuple_pack(ts, 1, b);
    GsObject *uargs[] = { pairs, gs_small_int(5) };
    r = call_method(d, "update", uargs, 2, kwnames);
    show_error("update");
    TAP_OK(r == GS_NONE, "d.update(pairs, b=5) returns None");
    gs_xdecref(ts, r);
    TAP_STR_EQ(repr_of(d), "{'a': 1, 'b': 5, 'x': 1, 'y': 2}", "after update");
    if (c) {
        r = call_method(d, "update", &c, 1, NULL);
        gs_xdecref(ts, r);
        TAP_STR_EQ(repr_of(d), "{'a': 1, 'b': 2, 'x': 1, 'y': 2, 'z': 3}",
                   "update from a dict");
    }

    GsObject *other = gs_dict_new(ts);
    gs_dict_set(ts, other, z, gs_small_int(3));
    gs_dict_set(ts, other, b, gs_small_int(2));
    gs_dict_set(ts, other, a, gs_small_int(1));
    GsObject *y = str("y"), *x = str("x");
    gs_dict_set(ts, other, y, gs_small_int(2));
    gs_dict_set(ts, other, x, gs_small_int(1));
    GsObject *eq = gs_dict_type.richcompare(ts, d, other, GS_CMP_EQ);
    TAP_OK(eq == GS_TRUE, "equality ignores order");
    gs_xdecref(ts, eq);
    GsObject *lt = gs_dict_type.richcompare(ts, d, other, GS_CMP_LT);
    TAP_OK(lt == GS_NOTIMPL, "< is NotImplemented");
    gs_xdecref(ts, lt);
    GsObject *vs_list = gs_dict_type.richcompare(ts, d, pairs, GS_CMP_EQ);
    TAP_OK(vs_list == GS_NOTIMPL, "dict == list is NotImplemented");
    gs_xdecref(ts, vs_list);

    r = call_method(d, "clear", NULL, 0, NULL);
    TAP_OK(r == GS_NONE && gs_dict_type.len(ts, d) == 0, "d.clear()");
    gs_xdecref(ts, r);
    r = call_method(d, "popitem", NULL, 0, NULL);
    exc = expect_exc(&gs_exc_KeyError, "popitem of an empty dict");
    TAP_STR_EQ(exc_message(exc), "popitem(): dictionary is empty", "its message");
    gs_xdecref(ts, exc);
    gs_xdecref(ts, r);

    r = call_method(d, "get", NULL, 0, NULL);
    exc = expect_exc(&gs_exc_TypeError, "d.get()");
    TAP_STR_EQ(exc_message(exc), "get expected at least 1 argument, got 0", "its message");
    gs_xdecref(ts, exc);
    r = call_method(d, "keys", &a, 1, NULL);
    exc = expect_exc(&gs_exc_TypeError, "d.keys(1)");
    TAP_STR_EQ(exc_message(exc), "dict.keys() takes no arguments (1 given)", "its message");
    gs_xdecref(ts, exc);
    GsObject *kwa = gs_tuple_pack(ts, 1, a);
    r = call_method(d, "pop", &a, 1, kwa);
    exc = expect_exc(&gs_exc_TypeError, "d.pop(a='a')");
    TAP_STR_EQ(exc_message(exc), "dict.pop() takes no keyword arguments", "its message");
    gs_xdecref(ts, exc);
    gs_decref(ts, kwa);

    gs_decref(ts, x);
    gs_decref(ts, y);
    gs_decref(ts, other);
    gs_decref(ts, kwnames);
    gs_decref(ts, pairs);
    gs_xdecref(ts, c);
    gs_decref(ts, a);
    gs_decref(ts, b);
    gs_decref(ts, z);
    gs_decref(ts, d);
}

int main(void)
{
    gs_types_init();
    GsOptions opt;
    gs_options_default(&opt);
    GsInterp *in = gs_interp_new(&opt);
    gs_thread_init(ts, in, 0);

    test_empty();
    test_many_int_keys();
    test_order();
    test_churn_compacts();
    test_many_str_keys();
    test_reprs();
    test_key_error();
    test_refcounts();
    test_iteration();
    test_constructor();
    test_methods();

    gs_thread_fini(ts);
    gs_interp_free(in);
    return tap_done();
}
