/*
 * test_refcount.c -- reference counts and the collector, seen from inside:
 * run guest code in a module namespace, then look at the objects' counts.
 * These are the numbers seed 001 shows with sys.getrefcount (which adds
 * one for its own argument).
 */
#include <string.h>

#include "runtime/eval.h"
#include "tap.h"

static GsObject *run(GsThread *ts, GsObject *globals, const char *src)
{
    GsObject *code = gs_compile(ts, src, "test.py");
    if (!code)
        return NULL;
    GsObject *r = gs_eval_code(ts, (GsCode *)code, globals, globals);
    gs_decref(ts, code);
    return r;
}

static GsObject *global(GsThread *ts, GsObject *g, const char *name)
{
    return gs_dict_get_c(ts, g, name);
}

int main(void)
{
    GsOptions opt;
    gs_options_default(&opt);
    GsInterp *interp = gs_interp_new(&opt);
    GsThread ts;
    gs_thread_init(&ts, interp, 0);
    GsObject *g = gs_dict_new(&ts);
    gs_dict_set(&ts, g, GS_NAME(&ts, __name__), GS_NAME(&ts, __main__));

    GsObject *r = run(&ts, g, "a = []\nb = a\n");
    TAP_OK(r != NULL, "a = []; b = a runs");
    gs_xdecref(&ts, r);
    GsObject *a = global(&ts, g, "a");
    TAP_INT_EQ(a->refcnt, 2, "a list bound to two names has refcount 2");
    r = run(&ts, g, "del b\n");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(a->refcnt, 1, "after del b: 1");

    r = run(&ts, g, "import sys\nn1 = sys.getrefcount(a)\nc = [a, a, a]\nn2 = sys.getrefcount(a)\n");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(gs_int_value(global(&ts, g, "n1")), 2, "sys.getrefcount(a) counts its argument");
    TAP_INT_EQ(gs_int_value(global(&ts, g, "n2")), 5, "three list items add three");
    r = run(&ts, g, "del c\n");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(a->refcnt, 1, "deleting the list drops its three references");

    /* Shared objects never change meaning: they are immortal. */
    GsObject *five = gs_int_new(&ts, 5);
    TAP_OK(five == gs_small_int(5), "small ints are shared");
    TAP_OK(five->refcnt >= GS_IMMORTAL_REFCNT / 2, "and immortal");

    /* A self-referencing list survives `del` until the collector runs. */
    r = run(&ts, g, "import gc\nx = []\nx.append(x)\nk = sys.getrefcount(x)\n");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(gs_int_value(global(&ts, g, "k")), 3, "x.append(x): getrefcount(x) is 3");
    GsObject *x = global(&ts, g, "x");
    gs_incref(&ts, x);   /* watch it: our reference keeps it alive */
    r = run(&ts, g, "del x\n");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(x->refcnt, 2, "after del x: the cycle and our reference remain");
    gs_decref(&ts, x);   /* now only the cycle holds it */
    r = run(&ts, g, "found = gc.collect()\n");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(gs_int_value(global(&ts, g, "found")), 1, "gc.collect() finds the one list");
    r = run(&ts, g, "y = []\ndel y\nfound = gc.collect()\n");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(gs_int_value(global(&ts, g, "found")), 0, "no cycle, nothing to collect");

    r = run(&ts, g, "t = gc.get_threshold()\n");
    gs_xdecref(&ts, r);
    GsObject *t = gs_repr(&ts, global(&ts, g, "t"));
    TAP_STR_EQ(gs_str_cstr(t), "(700, 10, 10)", "gc.get_threshold()");
    gs_decref(&ts, t);

    /* Allocating 701+ containers triggers a generation-0 collection. */
    int64_t before = interp->gc.collections[0];
    r = run(&ts, g, "keep = [[] for _ in range(2000)]\n");
    gs_xdecref(&ts, r);
    TAP_OK(interp->gc.collections[0] > before, "automatic collection after 700 allocations");

    /* Instances in a cycle through their __dict__s. */
    r = run(&ts, g, "class N:\n    pass\np = N()\nq = N()\np.o = q\nq.o = p\ndel p, q\n"
                    "found = gc.collect()\n");
    TAP_OK(r != NULL, "class cycle program runs");
    gs_xdecref(&ts, r);
    TAP_INT_EQ(gs_int_value(global(&ts, g, "found")), 4,
               "two instances and their two dicts are collected (CPython 3.9: 4)");

    if (g->type->clear)
        g->type->clear(&ts, g);
    gs_decref(&ts, g);
    gs_thread_fini(&ts);
    gs_interp_free(interp);
    return tap_done();
}
