/*
 * test_gc.c -- the cycle collector: it finds exactly the garbage cycles,
 * frees them, promotes survivors, runs by itself after 700 allocations,
 * and the gc module's functions report what CPython's report.
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <string.h>

#include "runtime/interp.h"
#include "tap.h"

/* The gc module's functions, found by name in the table gc.c exports. */
static GsCFunc gc_fn(const char *name)
{
    for (const GsMethodDef *m = gs_gc_module_functions; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m->fn;
    fprintf(stderr, "test_gc: gc.%s is missing\n", name);
    exit(1);
}
#define gs_gc_mod_collect gc_fn("collect")
#define gs_gc_mod_enable gc_fn("enable")
#define gs_gc_mod_disable gc_fn("disable")
#define gs_gc_mod_isenabled gc_fn("isenabled")
#define gs_gc_mod_get_threshold gc_fn("get_threshold")
#define gs_gc_mod_set_threshold gc_fn("set_threshold")
#define gs_gc_mod_get_count gc_fn("get_count")

static GsThread thread;
static GsThread *ts = &thread;
static GsInterp *interp;

/* ---- watching deallocations ------------------------------------------------
 * The list type's dealloc slot is wrapped so a test can ask "was this list
 * freed?" without touching freed memory. */

static void (*real_list_dealloc)(GsThread *, GsObject *);
static GsObject *freed[4096];
static size_t nfreed;

static void spy_list_dealloc(GsThread *t, GsObject *o)
{
    if (nfreed < sizeof freed / sizeof freed[0])
        freed[nfreed++] = o;
    if (real_list_dealloc)
        real_list_dealloc(t, o);
}

static void spy_reset(void)
{
    nfreed = 0;
}

static bool was_freed(GsObject *o)
{
    for (size_t i = 0; i < nfreed; i++)
        if (freed[i] == o)
            return true;
    return false;
}

/* ---- helpers ------------------------------------------------------------------ */

/* The generation o is linked into, or -1 if none. */
static int generation_of(GsObject *o)
{
    GsGcHead *target = gs_gc_head(o);
    for (int i = 0; i < GS_GC_NGENS; i++) {
        GsGcHead *head = &interp->gc.gens[i].head;
        for (GsGcHead *g = head->next; g != head; g = g->next)
            if (g == target)
                return i;
    }
    return -1;
}

static int64_t gen_size(int gen)
{
    int64_t n = 0;
    GsGcHead *head = &interp->gc.gens[gen].head;
    for (GsGcHead *g = head->next; g != head; g = g->next)
        n++;
    return n;
}

static GsObject *new_list(void)
{
    return gs_list_new(ts, 0);
}

/* a.append(b) */
static void push(GsObject *a, GsObject *b)
{
    gs_list_append(ts, a, b);
}

static void show_error(const char *where)
{
    if (!gs_err_occurred(ts))
        return;
    GsObject *exc = gs_err_fetch(ts);
    printf("# unexpected exception in %s (%s)\n", where, gs_type_name(exc));
    gs_decref(ts, exc);
}

/* A tuple result of the gc module, as "(a, b, c)". */
static const char *triple_str(GsObject *t)
{
    static char buf[128];
    if (t == NULL || !GS_IS_TUPLE(t) || ((GsTuple *)t)->len != 3) {
        show_error("gc module");
        return "(not a 3-tuple)";
    }
    GsObject *const *it = ((GsTuple *)t)->items;
    snprintf(buf, sizeof buf, "(%lld, %lld, %lld)", (long long)gs_int_value(it[0]),
             (long long)gs_int_value(it[1]), (long long)gs_int_value(it[2]));
    return buf;
}

/* ---- finding cycles ------------------------------------------------------------------ */

static void test_self_cycle(void)
{
    spy_reset();
    GsObject *l = new_list();
    push(l, l);
    TAP_INT_EQ(l->refcnt, 2, "x = []; x.append(x): refcount 2");
    gs_decref(ts, l);
    TAP_OK(!was_freed(l), "del x: refcounting alone cannot free it");
    TAP_INT_EQ(gs_gc_collect(ts, 2), 1, "gc.collect() finds 1 object");
    TAP_OK(was_freed(l), "the list was freed");
}

static void test_no_cycle(void)
{
    spy_reset();
    GsObject *l = new_list();
    push(l, gs_small_int(1));
    TAP_INT_EQ(gs_gc_collect(ts, 2), 0, "a list without a cycle: 0 found");
    TAP_OK(!was_freed(l), "it was not freed");
    TAP_INT_EQ(generation_of(l), 2, "after a full collection it is in generation 2");
    TAP_INT_EQ(l->refcnt, 1, "its refcount is untouched");
    gs_decref(ts, l);
    TAP_OK(was_freed(l), "refcounting frees it");
    TAP_INT_EQ(gs_gc_collect(ts, 2), 0, "and the collector finds nothing");
}

static void test_two_cycle(void)
{
    spy_reset();
    GsObject *a = new_list(), *b = new_list();
    push(a, b);
    push(b, a);
    gs_decref(ts, a);
    gs_decref(ts, b);
    TAP_INT_EQ(gs_gc_collect(ts, 2), 2, "a <-> b: 2 found");
    TAP_OK(was_freed(a) && was_freed(b), "both freed");
}

/* outside -> a -> b -> c -> b: everything alive until the outside goes. */
static void test_reachable_cycle(void)
{
    spy_reset();
    GsObject *a = new_list(), *b = new_list(), *c = new_list();
    push(a, b);
    push(b, c);
    push(c, b);
    gs_decref(ts, b);
    gs_decref(ts, c);
    TAP_INT_EQ(generation_of(b), 0, "new objects start in generation 0");
    TAP_INT_EQ(gs_gc_collect(ts, 0), 0, "a cycle referenced from outside survives");
    TAP_OK(generation_of(a) == 1 && generation_of(b) == 1 && generation_of(c) == 1,
           "survivors of generation 0 move to generation 1");
    TAP_INT_EQ(gs_gc_collect(ts, 1), 0, "... survives a collection of generation 1");
    TAP_OK(generation_of(b) == 2 && generation_of(c) == 2, "and moves to generation 2");
    TAP_INT_EQ(gs_gc_collect(ts, 2), 0, "... survives a full collection");
    TAP_OK(generation_of(b) == 2 && generation_of(c) == 2, "and stays in generation 2");
    TAP_OK(!was_freed(b) && !was_freed(c), "nothing was freed");
    TAP_OK(b->refcnt == 2 && c->refcnt == 1, "refcounts untouched by collections");

    gs_decref(ts, a);
    TAP_OK(was_freed(a), "del a: a is freed by refcounting");
    TAP_OK(!was_freed(b), "b and c now keep only each other alive");
    TAP_INT_EQ(gs_gc_collect(ts, 2), 2, "the next collection finds 2");
    TAP_OK(was_freed(b) && was_freed(c), "b and c were freed");
}

/* A cycle in an older generation is not seen by a younger collection. */
static void test_older_garbage_waits(void)
{
    spy_reset();
    GsObject *l = new_list();
    push(l, l);
    gs_gc_collect(ts, 0);                  /* moves it to generation 1 */
    gs_decref(ts, l);
    TAP_INT_EQ(gs_gc_collect(ts, 0), 0, "garbage in generation 1: gen-0 collection finds 0");
    TAP_OK(!was_freed(l), "it is still there");
    TAP_INT_EQ(gs_gc_collect(ts, 1), 1, "a gen-1 collection finds it");
    TAP_OK(was_freed(l), "and frees it");
}

static void test_dict_cycles(void)
{
    spy_reset();
    GsObject *d = gs_dict_new(ts);
    gs_dict_set_c(ts, d, "me", d);
    gs_decref(ts, d);
    TAP_INT_EQ(gs_gc_collect(ts, 2), 1, "d['me'] = d: 1 found");

    GsObject *l = new_list(), *d2 = gs_dict_new(ts);
    gs_dict_set_c(ts, d2, "list", l);
    push(l, d2);
    gs_decref(ts, d2);
    gs_decref(ts, l);
    TAP_INT_EQ(gs_gc_collect(ts, 2), 2, "list <-> dict: 2 found");
    TAP_OK(was_freed(l), "the list was freed");
}

/* An object that is in no cycle itself, but that only a garbage cycle
 * refers to, is unreachable too: it is counted and freed with the cycle. */
static void test_hanging_off_a_cycle(void)
{
    spy_reset();
    GsObject *cyc = new_list(), *leaf = new_list();
    push(cyc, cyc);
    push(cyc, leaf);
    gs_decref(ts, leaf);
    gs_decref(ts, cyc);
    TAP_INT_EQ(gs_gc_collect(ts, 2), 2, "a cycle and the list it holds: both unreachable");
    TAP_OK(was_freed(cyc) && was_freed(leaf), "both freed");
}

/* ---- counts, thresholds, automatic collection ------------------------------------------ */

static void test_counts(void)
{
    gs_gc_collect(ts, 2);
    GsGcGen *gens = interp->gc.gens;
    TAP_OK(gens[0].count == 0 && gens[1].count == 0 && gens[2].count == 0,
           "a full collection resets every count");
    GsObject *l = new_list();
    TAP_INT_EQ(gens[0].count, 1, "allocating a container counts 1");
    gs_decref(ts, l);
    TAP_INT_EQ(gens[0].count, 0, "freeing it counts it off again");
    gs_gc_collect(ts, 0);
    TAP_OK(gens[0].count == 0 && gens[1].count == 1, "a gen-0 collection adds 1 to gen 1");
    gs_gc_collect(ts, 1);
    TAP_OK(gens[1].count == 0 && gens[2].count == 1, "a gen-1 collection adds 1 to gen 2");
}

static void test_automatic(void)
{
    enum { N = 710 };
    gs_gc_collect(ts, 2);
    spy_reset();
    int64_t before = interp->gc.collections[0];
    GsObject *garbage = new_list();
    push(garbage, garbage);
    gs_decref(ts, garbage);

    GsObject *holder = new_list();
    for (int i = 0; i < N; i++) {
        GsObject *l = new_list();
        push(holder, l);
        gs_decref(ts, l);
    }
    TAP_OK(interp->gc.collections[0] > before,
           "more than 700 allocations start a collection by themselves");
    TAP_OK(was_freed(garbage), "which freed the garbage cycle");
    TAP_OK(interp->gc.gens[0].count < N, "and reset the count (%d)", interp->gc.gens[0].count);
    TAP_OK(interp->gc.collected[0] >= 1, "collected[0] counts what it found");
    gs_decref(ts, holder);

    /* Disabled: the same allocations collect nothing. */
    gs_gc_collect(ts, 2);
    spy_reset();
    interp->gc.enabled = false;
    before = interp->gc.collections[0];
    garbage = new_list();
    push(garbage, garbage);
    gs_decref(ts, garbage);
    holder = new_list();
    for (int i = 0; i < N; i++) {
        GsObject *l = new_list();
        push(holder, l);
        gs_decref(ts, l);
    }
    TAP_INT_EQ(interp->gc.collections[0], before, "gc.disable(): no automatic collection");
    TAP_OK(!was_freed(garbage), "the cycle stays");
    interp->gc.enabled = true;
    GsObject *one_more = new_list();
    TAP_OK(interp->gc.collections[0] > before, "enabled again: the next allocation collects");
    TAP_OK(was_freed(garbage), "and frees the cycle");
    gs_decref(ts, one_more);
    gs_decref(ts, holder);
}

/* CPython's rule against quadratic full collections: generation 2 is
 * collected only when the objects waiting to be examined there for the
 * first time are at least a quarter of those it held after the last one. */
static void test_long_lived_rule(void)
{
    enum { KEEP = 64 };
    GsObject *keep = new_list();
    for (int i = 0; i < KEEP; i++) {
        GsObject *l = new_list();
        push(keep, l);
        gs_decref(ts, l);
    }
    gs_gc_collect(ts, 2);
    int64_t total = gen_size(2);
    GsGcGen *gens = interp->gc.gens;
    int64_t full = interp->gc.collections[2], mid = interp->gc.collections[1];

    gens[0].count = gens[0].threshold + 1;
    gens[1].count = gens[1].threshold + 1;
    gens[2].count = gens[2].threshold + 1;
    gs_gc_maybe_collect(ts);
    TAP_INT_EQ(interp->gc.collections[2], full, "few new long-lived objects: no full collection");
    TAP_INT_EQ(interp->gc.collections[1], mid + 1, "generation 1 is collected instead");

    /* Let total/4 + 1 objects reach generation 2 through a gen-1 collection. */
    interp->gc.enabled = false;
    GsObject *more = new_list();
    for (int64_t i = 0; i <= total / 4; i++) {
        GsObject *l = new_list();
        push(more, l);
        gs_decref(ts, l);
    }
    interp->gc.enabled = true;
    gs_gc_collect(ts, 1);
    gens[0].count = gens[0].threshold + 1;
    gens[2].count = gens[2].threshold + 1;
    gs_gc_maybe_collect(ts);
    TAP_INT_EQ(interp->gc.collections[2], full + 1, "enough new ones: a full collection");

    gs_decref(ts, more);
    gs_decref(ts, keep);
    gs_gc_collect(ts, 2);
}

/* A tuple holding no containers cannot be in a cycle: a collection stops
 * tracking it, as CPython's does. */
static void test_tuple_untracking(void)
{
    if (!(gs_tuple_type.flags & GS_TPFLAG_GC)) {
        printf("ok %d - # SKIP tuples are not containers here\n", ++tap_n);
        return;
    }
    GsObject *l = new_list();
    GsObject *atoms = gs_tuple_pack(ts, 2, gs_small_int(1), GS_NONE);
    GsObject *holds = gs_tuple_pack(ts, 2, gs_small_int(1), l);
    gs_gc_collect(ts, 0);
    TAP_INT_EQ(generation_of(atoms), -1, "a tuple of atoms is untracked by a collection");
    TAP_INT_EQ(generation_of(holds), 1, "a tuple holding a list stays tracked");
    gs_decref(ts, atoms);
    gs_decref(ts, holds);
    gs_decref(ts, l);
}

/* ---- the gc module ------------------------------------------------------------------ */

static void test_module(void)
{
    GsObject *r = gs_gc_mod_get_threshold(ts, NULL, NULL, 0, NULL);
    TAP_STR_EQ(triple_str(r), "(700, 10, 10)", "gc.get_threshold()");
    gs_xdecref(ts, r);

    GsObject *args[] = { gs_small_int(100), gs_small_int(5) };
    r = gs_gc_mod_set_threshold(ts, NULL, args, 2, NULL);
    TAP_OK(r == GS_NONE, "gc.set_threshold(100, 5) returns None");
    gs_xdecref(ts, r);
    r = gs_gc_mod_get_threshold(ts, NULL, NULL, 0, NULL);
    TAP_STR_EQ(triple_str(r), "(100, 5, 10)", "... and sets the first two");
    gs_xdecref(ts, r);
    GsObject *defaults[] = { gs_int_new(ts, 700), gs_small_int(10), gs_small_int(10) };
    gs_xdecref(ts, gs_gc_mod_set_threshold(ts, NULL, defaults, 3, NULL));
    gs_decref(ts, defaults[0]);

    r = gs_gc_mod_set_threshold(ts, NULL, NULL, 0, NULL);
    TAP_OK(r == NULL && gs_err_matches(ts, &gs_exc_TypeError), "gc.set_threshold() fails");
    gs_err_clear(ts);

    gs_gc_collect(ts, 2);
    GsObject *l = new_list();
    r = gs_gc_mod_get_count(ts, NULL, NULL, 0, NULL);
    TAP_STR_EQ(triple_str(r), "(1, 0, 0)", "gc.get_count()");
    gs_xdecref(ts, r);
    gs_decref(ts, l);

    r = gs_gc_mod_isenabled(ts, NULL, NULL, 0, NULL);
    TAP_OK(r == GS_TRUE, "gc.isenabled() at start");
    gs_xdecref(ts, r);
    gs_xdecref(ts, gs_gc_mod_disable(ts, NULL, NULL, 0, NULL));
    r = gs_gc_mod_isenabled(ts, NULL, NULL, 0, NULL);
    TAP_OK(r == GS_FALSE, "gc.isenabled() after gc.disable()");
    gs_xdecref(ts, r);
    gs_xdecref(ts, gs_gc_mod_enable(ts, NULL, NULL, 0, NULL));
    TAP_OK(interp->gc.enabled, "gc.enable()");

    GsObject *cyc = new_list();
    push(cyc, cyc);
    gs_decref(ts, cyc);
    r = gs_gc_mod_collect(ts, NULL, NULL, 0, NULL);
    TAP_OK(r && gs_int_value(r) == 1, "gc.collect() returns 1 for one cycle");
    gs_xdecref(ts, r);

    GsObject *gen = gs_small_int(0);
    GsObject *kw = gs_str_from(ts, "generation");
    GsObject *kwnames = gs_tuple_pack(ts, 1, kw);
    r = gs_gc_mod_collect(ts, NULL, &gen, 1, kwnames);
    TAP_OK(r && gs_int_value(r) == 0, "gc.collect(generation=0)");
    gs_xdecref(ts, r);

    GsObject *three = gs_small_int(3);
    r = gs_gc_mod_collect(ts, NULL, &three, 1, NULL);
    TAP_OK(r == NULL && gs_err_matches(ts, &gs_exc_ValueError),
           "gc.collect(3): ValueError invalid generation");
    gs_err_clear(ts);

    r = gs_gc_mod_enable(ts, NULL, &three, 1, NULL);
    TAP_OK(r == NULL && gs_err_matches(ts, &gs_exc_TypeError), "gc.enable(3): TypeError");
    gs_err_clear(ts);

    gs_decref(ts, kwnames);
    gs_decref(ts, kw);
}

int main(void)
{
    gs_types_init();
    GsOptions opt;
    gs_options_default(&opt);
    interp = gs_interp_new(&opt);
    gs_thread_init(ts, interp, 0);

    real_list_dealloc = gs_list_type.dealloc;
    gs_list_type.dealloc = spy_list_dealloc;

    gs_gc_collect(ts, 2);      /* start from a clean heap */
    test_self_cycle();
    test_no_cycle();
    test_two_cycle();
    test_reachable_cycle();
    test_older_garbage_waits();
    test_dict_cycles();
    test_hanging_off_a_cycle();
    test_counts();
    test_automatic();
    test_long_lived_rule();
    test_tuple_untracking();
    test_module();

    gs_list_type.dealloc = real_list_dealloc;
    gs_thread_fini(ts);
    gs_interp_free(interp);
    return tap_done();
}
