/*
 * gc.c -- the cycle collector: CPython 3.9's generational collector
 * (Modules/gcmodule.c), rewritten to be read.
 *
 * Why reference counting needs help
 * ---------------------------------
 * Every object counts the references to it and is freed the moment the
 * count drops to zero.  That frees almost everything, promptly -- but not
 * a cycle:
 *
 *     x = []
 *     x.append(x)      # the list refers to itself: refcount 2
 *     del x            # refcount 1, held by the list itself
 *
 * Nothing outside can reach the list any more, yet its count never drops
 * to zero.  The cycle collector finds such groups of objects.
 *
 * Which objects it watches
 * ------------------------
 * Only containers can be part of a cycle: lists, dicts, instances,
 * functions, ... -- the types with GS_TPFLAG_GC.  gs_alloc puts a small
 * GsGcHead in front of each of them (two list links and a scratch word,
 * gc_refs) and links it into a list: the object is "tracked".  Ints and
 * strs refer to nothing, so they are never tracked.
 *
 * Generations
 * -----------
 * Most objects die young (the "weak generational hypothesis"), so the
 * tracked objects are kept in three lists, generations 0, 1 and 2:
 *
 *   - New objects enter generation 0.  gens[0].count is allocations minus
 *     deallocations; when it exceeds gens[0].threshold (700), generation 0
 *     is collected.
 *   - Whatever survives a collection of generation g moves to g + 1.
 *   - gens[1].count and gens[2].count count collections of the generation
 *     below: every 10 collections of generation 0, generation 1 is
 *     collected with it, and every 10 of generation 1, generation 2 too.
 *   - Collecting generation g always takes the younger ones along.
 *
 * A full collection (generation 2) looks at every tracked object, so
 * CPython also waits until the objects that would be examined for the
 * first time in generation 2 ("pending") are at least a quarter of those
 * that survived the last full collection ("total").  Without that rule a
 * program building a huge data structure would re-scan all of it every
 * few thousand allocations: quadratic time.
 *
 * The algorithm: find what only the garbage refers to
 * ----------------------------------------------------
 * The collector cannot see the roots (C locals, the eval stacks, the
 * interpreter's globals).  It sees only the objects being collected and,
 * through each type's `traverse` slot, the references *between* them.
 * That is enough:
 *
 *   1. update_refs:  gc_refs = refcnt for every object in the generation.
 *   2. subtract_refs: for every reference from one of those objects to
 *      another, gc_refs of the target is decreased.  Now gc_refs counts
 *      the references from *outside* the generation.
 *   3. move_unreachable: an object with gc_refs > 0 is referenced from
 *      outside, so it is alive, and so is everything it refers to,
 *      recursively.  Objects left with gc_refs == 0 and not reachable from
 *      a live one are garbage.
 *
 *        outside --> A --> B <--+     refcnt:          A 1   B 2   C 1
 *                          |    |     after step 2:    A 1   B 0   C 0
 *                          +--> C     (every reference to B and C comes
 *                                      from inside the generation)
 *
 *      A is referenced from outside, so A is alive, and so are B and C,
 *      which A reaches.  Now `del` the outside reference: A's count drops
 *      to zero and reference counting frees it at once.  That leaves B and
 *      C referring only to each other -- refcnt 1 each, gc_refs 0 each,
 *      and no live object reaches them: the next collection finds 2.
 *
 *   4. The survivors move to the next older generation.
 *   5. Finalizers (PEP 442, CPython 3.4+): every unreachable object with a
 *      finalizer -- a `__del__`, or a suspended generator's close() --
 *      gets it called, once in its life (finalize.c), while all the
 *      garbage is still whole.  A finalizer may *resurrect* garbage by
 *      storing a reference to it somewhere alive, so reachability is
 *      computed again, within the unreachable set only (steps 1-3 on that
 *      list): whatever is now referenced from outside it, and everything
 *      that reaches, survives and joins the old generation.  Only the rest
 *      is deleted.  (CPython 3.9's handle_resurrected_objects.)
 *   6. delete_garbage breaks the cycles by calling each unreachable
 *      object's `clear` slot, which drops the references it holds.  Plain
 *      reference counting then frees the whole group.  While `clear` runs
 *      the collector holds its own reference to the object, so the object
 *      is not freed under the `clear` that is still looking at it.
 *
 * gc.collect() returns how many objects step 6 deleted: those step 3
 * found, less any that a finalizer resurrected.
 *
 * States of gc_refs
 * -----------------
 * Step 2 must decrease only objects that are being collected: a reference
 * into an older generation is a reference from outside, and must not count.
 * As CPython did until 3.7, gc_refs itself says which objects are in the
 * collection:
 *
 *     >= 0                          in the collection: the count of steps 1-3
 *     GC_REACHABLE                  anything else: in a generation that is
 *                                   not being collected, or already proven
 *                                   alive in this collection
 *     GC_TENTATIVELY_UNREACHABLE    in the collection, moved to the
 *                                   unreachable list; may still be rescued
 *
 * Between collections every tracked object is GC_REACHABLE.
 *
 * gc.garbage stays empty unless gc.set_debug(gc.DEBUG_SAVEALL): then the
 * garbage is appended to it instead of being deleted.  (CPython also puts
 * there the objects with a legacy C-level `tp_del`, which no guest class
 * can have.)
 *
 * What gilscope leaves out: weak references, and CPython's untracking of
 * dicts that hold no containers.  It keeps CPython's untracking of tuples
 * that hold no containers (see untrack_tuples), which decides what later
 * collections count.
 */
#include <limits.h>
#include <string.h>
#include <time.h>

#include "interp.h"

enum {
    GC_REACHABLE = -1,
    GC_TENTATIVELY_UNREACHABLE = -2,
};

/* gc.set_debug() flags, CPython's values. */
enum {
    GS_GC_DEBUG_STATS = 1 << 0,          /* print statistics on stderr */
    GS_GC_DEBUG_COLLECTABLE = 1 << 1,    /* print the garbage found */
    GS_GC_DEBUG_UNCOLLECTABLE = 1 << 2,  /* print what cannot be freed (nothing, here) */
    GS_GC_DEBUG_SAVEALL = 1 << 5,        /* keep the garbage in gc.garbage */
    GS_GC_DEBUG_LEAK = GS_GC_DEBUG_COLLECTABLE | GS_GC_DEBUG_UNCOLLECTABLE | GS_GC_DEBUG_SAVEALL,
};

static const int gc_default_thresholds[GS_GC_NGENS] = { 700, 10, 10 };

/* ---- circular doubly-linked lists of GsGcHead ------------------------------
 * Each generation is a list with a sentinel head: an empty list is a head
 * linked to itself.  An untracked object has next == NULL. */

static void list_init(GsGcHead *list)
{
    list->next = list->prev = list;
}

static bool list_is_empty(const GsGcHead *list)
{
    return list->next == list;
}

static void list_unlink(GsGcHead *g)
{
    g->prev->next = g->next;
    g->next->prev = g->prev;
    g->next = g->prev = NULL;
}

static void list_append(GsGcHead *g, GsGcHead *list)
{
    g->prev = list->prev;
    g->next = list;
    list->prev->next = g;
    list->prev = g;
}

static void list_move(GsGcHead *g, GsGcHead *list)
{
    list_unlink(g);
    list_append(g, list);
}

/* Append all of `from` to `to`, leaving `from` empty. */
static void list_merge(GsGcHead *from, GsGcHead *to)
{
    if (list_is_empty(from))
        return;
    GsGcHead *first = from->next, *last = from->prev;
    first->prev = to->prev;
    to->prev->next = first;
    last->next = to;
    to->prev = last;
    list_init(from);
}

static int64_t list_size(const GsGcHead *list)
{
    int64_t n = 0;
    for (const GsGcHead *g = list->next; g != list; g = g->next)
        n++;
    return n;
}

/* ---- which objects have a GC head -------------------------------------------- */

/* True if o was made by gs_alloc as a container, so a GsGcHead sits in
 * front of it.  The static objects do not have one: the built-in types
 * (`type` is a container type, but only classes are allocated) and any
 * other immortal object, whose count starts at GS_IMMORTAL_REFCNT. */
static bool has_gc_head(GsObject *o)
{
    if (!(o->type->flags & GS_TPFLAG_GC))
        return false;
    if (o->refcnt >= GS_IMMORTAL_REFCNT / 2)
        return false;
    if (GS_IS_TYPE(o) && !(((GsType *)o)->flags & GS_TPFLAG_HEAPTYPE))
        return false;
    return true;
}

/* o's GC head if o is tracked, else NULL: what every visitor asks first. */
static GsGcHead *tracked_head(GsObject *o)
{
    if (o == NULL || !has_gc_head(o))
        return NULL;
    GsGcHead *g = gs_gc_head(o);
    return g->next != NULL ? g : NULL;
}

/* ---- CPython's long_lived_total and long_lived_pending -----------------------
 * GsGcState (interp.h) has no field for them.  Each generation's list head
 * is a GsGcHead, though, and a head's gc_refs is never used: a sentinel is
 * not an object.  The two counters live there. */

static intptr_t *long_lived_total(GsGcState *gc)
{
    return &gc->gens[GS_GC_NGENS - 1].head.gc_refs;
}

static intptr_t *long_lived_pending(GsGcState *gc)
{
    return &gc->gens[GS_GC_NGENS - 2].head.gc_refs;
}

/* ---- tracking (called by gs_alloc and gs_dealloc) ------------------------------ */

void gs_gc_init(GsGcState *gc)
{
    memset(gc, 0, sizeof *gc);
    for (int i = 0; i < GS_GC_NGENS; i++) {
        list_init(&gc->gens[i].head);
        gc->gens[i].head.gc_refs = 0;
        gc->gens[i].threshold = gc_default_thresholds[i];
    }
    list_init(&gc->permanent);
    gc->enabled = true;
}

/* With no thread (objects made by gs_types_init before any interpreter
 * exists) there is no generation to join: the object stays untracked. */
void gs_gc_track(GsThread *ts, GsObject *o)
{
    GsGcHead *g = gs_gc_head(o);
    if (ts == NULL || ts->interp == NULL) {
        g->next = g->prev = NULL;
        return;
    }
    GsGcState *gc = &ts->interp->gc;
    g->gc_refs = GC_REACHABLE;
    list_append(g, &gc->gens[0].head);
    gc->gens[0].count++;
}

/* Called for every deallocated container.  It may be in any generation,
 * or in a collection's private list, or untracked already (a tuple the
 * collector untracked): unlinking needs only its neighbours. */
void gs_gc_untrack(GsThread *ts, GsObject *o)
{
    GsGcHead *g = gs_gc_head(o);
    if (g->next != NULL)
        list_unlink(g);
    if (ts != NULL && ts->interp != NULL && ts->interp->gc.gens[0].count > 0)
        ts->interp->gc.gens[0].count--;
}

/* What o refers to, as the collector sees it: its type's traverse slot.
 * For an instance of a class that includes the class itself (typeobject.c's
 * heap_instance_traverse, as CPython's subtype_traverse): an instance holds
 * a reference to its class (gs_alloc), so a class and its instances can
 * form a cycle (C.instances = [C()]; or a class whose methods' globals
 * hold its instances).  It must be visited once only, or the class would
 * look less referenced from outside than it is. */
static int traverse(GsObject *o, GsVisit visit, void *arg)
{
    return o->type->traverse ? o->type->traverse(o, visit, arg) : 0;
}

/* An object made untracked while alive (a new dict): unlinked from its
 * generation, its allocation still counted until it is freed. */
void gs_gc_untrack_alive(GsThread *ts, GsObject *o)
{
    GsGcHead *g = gs_gc_head(o);
    if (g->next != NULL)
        list_unlink(g);
}

/* Tracked again (a dict given a container, an object a finalizer
 * resurrected from the trashcan): it joins generation 0, and is not
 * counted a second time. */
void gs_gc_track_again(GsThread *ts, GsObject *o)
{
    GsGcHead *g = gs_gc_head(o);
    if (g->next != NULL || ts == NULL || ts->interp == NULL)
        return;
    g->gc_refs = GC_REACHABLE;
    list_append(g, &ts->interp->gc.gens[0].head);
}

bool gs_gc_is_tracked(GsObject *o)
{
    return tracked_head(o) != NULL;
}

/* ---- steps 1 and 2: count the references from outside ----------------------- */

static void update_refs(GsGcHead *young)
{
    for (GsGcHead *g = young->next; g != young; g = g->next)
        g->gc_refs = gs_gc_object(g)->refcnt;
}

/* A reference from inside the collection: it does not keep o alive.
 * Objects outside the collection are GC_REACHABLE (negative): untouched. */
static int visit_decref(GsObject *o, void *arg)
{
    GsGcHead *g = tracked_head(o);
    if (g != NULL && g->gc_refs > 0)
        g->gc_refs--;
    return 0;
}

static void subtract_refs(GsGcHead *young)
{
    for (GsGcHead *g = young->next; g != young; g = g->next) {
        GsObject *o = gs_gc_object(g);
        traverse(o, visit_decref, NULL);
    }
}

/* ---- step 3: everything reachable from outside is alive ---------------------- */

/* o is referred to by an object known to be alive, so o is alive too.
 * If o was already put on the unreachable list, bring it back to the end
 * of young, where move_unreachable will still come to it. */
static int visit_reachable(GsObject *o, void *arg)
{
    GsGcHead *young = arg;
    GsGcHead *g = tracked_head(o);
    if (g == NULL)
        return 0;
    if (g->gc_refs == 0) {
        g->gc_refs = 1;            /* ahead of the scan: it will be traversed */
    } else if (g->gc_refs == GC_TENTATIVELY_UNREACHABLE) {
        list_move(g, young);
        g->gc_refs = 1;
    }
    /* gc_refs > 0: will be scanned; GC_REACHABLE: scanned or outside. */
    return 0;
}

/* Walk young once.  Objects with gc_refs > 0 are alive: mark what they
 * refer to.  Objects with gc_refs == 0 move to unreachable -- for now; a
 * live object found later may pull them back.  Every object still in
 * `young` when the walk ends is alive, everything in `unreachable` is not. */
static void move_unreachable(GsGcHead *young, GsGcHead *unreachable)
{
    GsGcHead *g = young->next;
    while (g != young) {
        GsGcHead *next;
        if (g->gc_refs > 0) {
            GsObject *o = gs_gc_object(g);
            traverse(o, visit_reachable, young);
            g->gc_refs = GC_REACHABLE;
            next = g->next;        /* read after traverse: it may append */
        } else {
            next = g->next;
            list_move(g, unreachable);
            g->gc_refs = GC_TENTATIVELY_UNREACHABLE;
        }
        g = next;
    }
}

/* ---- tuples that cannot be part of a cycle --------------------------------------
 * A tuple is immutable: once it holds no object that may be tracked, it can
 * never be part of a cycle, so CPython stops tracking it during a
 * collection.  A NULL item means the tuple is still being filled in. */

bool gs_gc_may_be_tracked(GsObject *o)
{
    if (!has_gc_head(o))
        return false;
    if (GS_IS_TUPLE(o))
        return gs_gc_head(o)->next != NULL;
    return true;
}

static bool tuple_may_untrack(GsTuple *t)
{
    for (size_t i = 0; i < t->len; i++)
        if (t->items[i] == NULL || gs_gc_may_be_tracked(t->items[i]))
            return false;
    return true;
}

static void untrack_tuples(GsGcHead *young)
{
    GsGcHead *g = young->next;
    while (g != young) {
        GsGcHead *next = g->next;
        GsObject *o = gs_gc_object(g);
        if (GS_IS_TUPLE(o) && tuple_may_untrack((GsTuple *)o))
            list_unlink(g);
        g = next;
    }
}

/* The same for plain dicts, in full collections only (CPython: "to avoid
 * quadratic dict build-up", issue #14775): one that holds only atoms is
 * untracked until it is given a container again (dict.c). */
static void untrack_dicts(GsGcHead *young)
{
    GsGcHead *g = young->next;
    while (g != young) {
        GsGcHead *next = g->next;
        GsObject *o = gs_gc_object(g);
        if (o->type == &gs_dict_type && !gs_dict_holds_tracked(o))
            list_unlink(g);
        g = next;
    }
}

/* ---- step 5: finalizers, and what they resurrect ------------------------------------
 * CPython's finalize_garbage.  A finalizer may free other garbage (or the
 * object itself) by reference counting, which unlinks it from whatever
 * list it is in, so, as in delete_garbage, always take the first object
 * and move it to `seen` before running any guest code.  The object is
 * held while its finalizer runs.  True if any finalizer ran. */
static bool finalize_garbage(GsThread *ts, GsGcHead *unreachable)
{
    bool any = false;
    GsGcHead seen;
    list_init(&seen);
    while (!list_is_empty(unreachable)) {
        GsGcHead *g = unreachable->next;
        GsObject *o = gs_gc_object(g);
        list_move(g, &seen);
        if (g->finalized || !gs_has_finalizer(ts, o))
            continue;
        any = true;
        gs_incref(ts, o);
        gs_call_finalizer(ts, o);
        gs_decref(ts, o);
    }
    list_merge(&seen, unreachable);
    return any;
}

/* Steps 1-3 again, on the unreachable list alone: what a finalizer linked
 * to from a live object now has a reference from outside the list.  The
 * resurrected objects (and all they reach) join `old`; the ones still
 * unreachable go to `still`.  Everything outside the list is
 * GC_REACHABLE, so it takes no part. */
static void handle_resurrected(GsGcHead *unreachable, GsGcHead *still, GsGcHead *old)
{
    update_refs(unreachable);
    subtract_refs(unreachable);
    move_unreachable(unreachable, still);
    list_merge(unreachable, old);
}

/* ---- step 6: break the cycles ------------------------------------------------------ */

/* "gc: collectable <Node 0x...>" (DEBUG_COLLECTABLE). */
static void debug_cycle(GsThread *ts, const char *what, GsObject *o)
{
    FILE *err = gs_stderr_file(ts);
    if (err)
        fprintf(err, "gc: %s <%s %p>\n", what, o->type->name, (void *)o);
}

/* Clear the first object of the list until the list is empty.  Clearing
 * frees objects, and a freed object unlinks itself (gs_gc_untrack), so the
 * list shrinks under us: that is why we always take the head rather than
 * hold on to a "next" pointer.  An object that survives its clear (no
 * `clear` slot, or something still refers to it) joins the old generation.
 * With DEBUG_SAVEALL the garbage is appended to gc.garbage instead, which
 * keeps it alive. */
static void delete_garbage(GsThread *ts, GsGcState *gc, GsGcHead *unreachable, GsGcHead *old)
{
    while (!list_is_empty(unreachable)) {
        GsGcHead *g = unreachable->next;
        GsObject *o = gs_gc_object(g);
        g->gc_refs = GC_REACHABLE;    /* it leaves the collection either way */
        if ((gc->debug & GS_GC_DEBUG_SAVEALL) && gc->garbage) {
            if (gs_list_append(ts, gc->garbage, o) < 0)
                gs_err_clear(ts);
        } else if (o->type->clear) {
            gs_incref(ts, o);
            o->type->clear(ts, o);
            gs_decref(ts, o);
        }
        if (unreachable->next == g)
            list_move(g, old);
    }
}

/* ---- one collection ------------------------------------------------------------------ */

static void update_counts(GsGcState *gc, int generation)
{
    if (generation + 1 < GS_GC_NGENS)
        gc->gens[generation + 1].count++;
    for (int i = 0; i <= generation; i++)
        gc->gens[i].count = 0;
}

/* Survivors of `young` join `old`; keep the long-lived counters. */
static void promote_survivors(GsGcState *gc, int generation, GsGcHead *young, GsGcHead *old)
{
    if (young != old) {
        if (generation == GS_GC_NGENS - 2)
            *long_lived_pending(gc) += list_size(young);
        list_merge(young, old);
    } else {
        untrack_dicts(young);
        *long_lived_pending(gc) = 0;
        *long_lived_total(gc) = list_size(young);
    }
}

/* "gc: objects in each generation: 12 0 3456" (DEBUG_STATS). */
static void debug_stats_start(GsThread *ts, GsGcState *gc, int generation)
{
    FILE *err = gs_stderr_file(ts);
    if (!err)
        return;
    fprintf(err, "gc: collecting generation %d...\n", generation);
    fprintf(err, "gc: objects in each generation:");
    for (int i = 0; i < GS_GC_NGENS; i++)
        fprintf(err, " %lld", (long long)list_size(&gc->gens[i].head));
    fprintf(err, "\ngc: objects in permanent generation: %lld\n",
            (long long)list_size(&gc->permanent));
}

static double monotonic_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void debug_stats_end(GsThread *ts, int64_t found, double t0)
{
    FILE *err = gs_stderr_file(ts);
    if (err)
        fprintf(err, "gc: done, %lld unreachable, 0 uncollectable, %.4fs elapsed\n",
                (long long)found, monotonic_seconds() - t0);
}

static int64_t collect(GsThread *ts, GsGcState *gc, int generation)
{
    double t0 = 0;
    if (gc->debug & GS_GC_DEBUG_STATS) {
        debug_stats_start(ts, gc, generation);
        t0 = monotonic_seconds();
    }
    update_counts(gc, generation);
    GsGcHead *young = &gc->gens[generation].head;
    GsGcHead *old = generation + 1 < GS_GC_NGENS ? &gc->gens[generation + 1].head : young;
    for (int i = 0; i < generation; i++)
        list_merge(&gc->gens[i].head, young);

    update_refs(young);
    subtract_refs(young);
    GsGcHead unreachable;
    list_init(&unreachable);
    move_unreachable(young, &unreachable);
    untrack_tuples(young);
    promote_survivors(gc, generation, young, old);

    if (gc->debug & GS_GC_DEBUG_COLLECTABLE)
        for (GsGcHead *g = unreachable.next; g != &unreachable; g = g->next)
            debug_cycle(ts, "collectable", gs_gc_object(g));
    GsGcHead still;
    list_init(&still);
    if (finalize_garbage(ts, &unreachable))
        handle_resurrected(&unreachable, &still, old);
    else
        list_merge(&unreachable, &still);
    int64_t found = list_size(&still);
    delete_garbage(ts, gc, &still, old);

    if (gc->debug & GS_GC_DEBUG_STATS)
        debug_stats_end(ts, found, t0);
    gc->collections[generation]++;
    gc->collected[generation] += found;
    return found;
}

/* gc.callbacks: each is called with ("start" or "stop", info), info a
 * dict {'generation': g, 'collected': n, 'uncollectable': 0}.  An error
 * in one is printed and the others still run (CPython's
 * invoke_gc_callback). */
static GsObject *callback_info(GsThread *ts, int generation, int64_t collected)
{
    GsObject *info = gs_dict_new(ts);
    const char *keys[3] = { "generation", "collected", "uncollectable" };
    const int64_t values[3] = { generation, collected, 0 };
    for (int i = 0; i < 3 && info; i++) {
        GsObject *v = gs_int_new(ts, values[i]);
        if (!v || gs_dict_set_c(ts, info, keys[i], v) < 0)
            gs_setref(ts, &info, NULL);
        gs_xdecref(ts, v);
    }
    return info;
}

static void invoke_callbacks(GsThread *ts, GsGcState *gc, const char *phase, int generation,
                             int64_t collected)
{
    if (!gc->callbacks || ((GsList *)gc->callbacks)->len == 0)
        return;
    GsObject *info = callback_info(ts, generation, collected);
    GsObject *ph = info ? gs_str_from(ts, phase) : NULL;
    if (!ph) {
        gs_write_unraisable(ts, NULL);
        gs_xdecref(ts, info);
        return;
    }
    /* Index by index: a callback may change the list. */
    for (size_t i = 0; i < ((GsList *)gc->callbacks)->len; i++) {
        GsObject *cb = gs_newref(ts, ((GsList *)gc->callbacks)->items[i]);
        GsObject *args[2] = { ph, info };
        GsObject *r = gs_call(ts, cb, args, 2, NULL);
        if (r)
            gs_decref(ts, r);
        else
            gs_write_unraisable(ts, cb);
        gs_decref(ts, cb);
    }
    gs_decref(ts, info);
    gs_decref(ts, ph);
}

int64_t gs_gc_collect(GsThread *ts, int generation)
{
    GsGcState *gc = &ts->interp->gc;
    if (gc->collecting)
        return 0;     /* a collection already runs (a finalizer called us) */
    if (generation < 0)
        generation = 0;
    if (generation >= GS_GC_NGENS)
        generation = GS_GC_NGENS - 1;
    bool had_error = gs_err_occurred(ts) != NULL;
    gc->collecting = true;
    invoke_callbacks(ts, gc, "start", generation, 0);
    gs_ev_gc_start(ts, generation);
    int64_t n = collect(ts, gc, generation);
    gs_ev_gc_end(ts, generation, n);
    invoke_callbacks(ts, gc, "stop", generation, n);
    gc->collecting = false;
    /* Nobody can catch an exception raised while freeing garbage (CPython
     * reports it as "unraisable"); it must not leak into the caller. */
    if (!had_error && gs_err_occurred(ts))
        gs_err_clear(ts);
    return n;
}

/* CPython's collect_generations: collect the oldest generation whose
 * count exceeds its threshold, the younger ones with it. */
static void collect_generations(GsThread *ts, GsGcState *gc)
{
    for (int i = GS_GC_NGENS - 1; i >= 0; i--) {
        if (gc->gens[i].count <= gc->gens[i].threshold)
            continue;
        if (i == GS_GC_NGENS - 1 && *long_lived_pending(gc) < *long_lived_total(gc) / 4)
            continue;
        gs_gc_collect(ts, i);
        return;
    }
}

/* Called by gs_alloc before it allocates a container.  Threshold 0
 * (gc.set_threshold(0)) switches automatic collection off, as in CPython;
 * so does a pending exception, which a finalizer could clobber. */
void gs_gc_maybe_collect(GsThread *ts)
{
    if (ts == NULL || ts->interp == NULL)
        return;
    GsGcState *gc = &ts->interp->gc;
    if (!gc->enabled || gc->collecting || gc->gens[0].threshold == 0)
        return;
    if (gc->gens[0].count <= gc->gens[0].threshold || gs_err_occurred(ts))
        return;
    collect_generations(ts, gc);
}

/* ---- the gc module ------------------------------------------------------------------- */

/* A function without arguments: CPython's messages ("gc.enable() takes
 * no arguments (1 given)"). */
static int check_no_args(GsThread *ts, const char *name, size_t nargs, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) > 0) {
        gs_err_set(ts, &gs_exc_TypeError, "gc.%s() takes no keyword arguments", name);
        return -1;
    }
    if (nargs > 0) {
        gs_err_set(ts, &gs_exc_TypeError, "gc.%s() takes no arguments (%zu given)", name,
                   nargs);
        return -1;
    }
    return 0;
}

/* An int argument converted to a C int, with CPython 3.9's messages.
 * `clinic`: the messages of Argument Clinic's converter (gc.collect)
 * rather than PyArg_ParseTuple's "i" (gc.set_threshold). */
static int arg_as_int(GsThread *ts, GsObject *o, bool clinic, int *out)
{
    if (GS_IS_FLOAT(o)) {
        gs_err_set(ts, &gs_exc_TypeError, "integer argument expected, got float");
        return -1;
    }
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError, "an integer is required (got type %s)",
                   gs_type_name(o));
        return -1;
    }
    int64_t v = gs_int_value(o);
    if (v > INT_MAX || v < INT_MIN) {
        if (clinic)
            gs_err_set(ts, &gs_exc_OverflowError, "Python int too large to convert to C int");
        else
            gs_err_set(ts, &gs_exc_OverflowError, "signed integer is %s",
                       v > 0 ? "greater than maximum" : "less than minimum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* (a, b, c) of ints: a new reference. */
static GsObject *int_triple(GsThread *ts, const int64_t v[3])
{
    GsObject *items[3] = { NULL, NULL, NULL };
    GsObject *t = NULL;
    for (int i = 0; i < 3; i++)
        if ((items[i] = gs_int_new(ts, v[i])) == NULL)
            goto done;
    t = gs_tuple_pack(ts, 3, items[0], items[1], items[2]);
done:
    for (int i = 0; i < 3; i++)
        gs_xdecref(ts, items[i]);
    return t;
}

/* gc.collect(generation=2) -> the number of unreachable objects found. */
static GsObject *gc_mod_collect(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    if (nargs > 1)
        return gs_err_set(ts, &gs_exc_TypeError, "collect() takes at most 1 argument "
                          "(%zu given)", nargs);
    if (gs_kw_count(kwnames) == 1) {
        const char *kw = gs_str_cstr(((GsTuple *)kwnames)->items[0]);
        if (strcmp(kw, "generation") != 0)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "'%s' is an invalid keyword argument for collect()", kw);
    }
    int generation = GS_GC_NGENS - 1;
    if (nargs == 1 && arg_as_int(ts, args[0], true, &generation) < 0)
        return NULL;
    if (generation < 0 || generation >= GS_GC_NGENS)
        return gs_err_set(ts, &gs_exc_ValueError, "invalid generation");
    return gs_int_new(ts, gs_gc_collect(ts, generation));
}

static GsObject *gc_mod_enable(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "enable", nargs, kwnames) < 0)
        return NULL;
    ts->interp->gc.enabled = true;
    return gs_newref(ts, GS_NONE);
}

static GsObject *gc_mod_disable(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "disable", nargs, kwnames) < 0)
        return NULL;
    ts->interp->gc.enabled = false;
    return gs_newref(ts, GS_NONE);
}

static GsObject *gc_mod_isenabled(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "isenabled", nargs, kwnames) < 0)
        return NULL;
    return gs_newref(ts, gs_bool(ts->interp->gc.enabled));
}

static GsObject *gc_mod_get_threshold(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "get_threshold", nargs, kwnames) < 0)
        return NULL;
    const GsGcGen *g = ts->interp->gc.gens;
    const int64_t v[3] = { g[0].threshold, g[1].threshold, g[2].threshold };
    return int_triple(ts, v);
}

/* gc.set_threshold(threshold0[, threshold1[, threshold2]]) */
static GsObject *gc_mod_set_threshold(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) > 0)
        return gs_err_set(ts, &gs_exc_TypeError, "set_threshold() takes no keyword arguments");
    if (nargs < 1)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "set_threshold() takes at least 1 argument (0 given)");
    if (nargs > GS_GC_NGENS)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "set_threshold() takes at most 3 arguments (%zu given)", nargs);
    GsGcGen *gens = ts->interp->gc.gens;
    int t[GS_GC_NGENS] = { gens[0].threshold, gens[1].threshold, gens[2].threshold };
    for (size_t i = 0; i < nargs; i++)
        if (arg_as_int(ts, args[i], false, &t[i]) < 0)
            return NULL;
    for (int i = 0; i < GS_GC_NGENS; i++)
        gens[i].threshold = t[i];
    return gs_newref(ts, GS_NONE);
}

static GsObject *gc_mod_get_count(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "get_count", nargs, kwnames) < 0)
        return NULL;
    const GsGcGen *g = ts->interp->gc.gens;
    const int64_t v[3] = { g[0].count, g[1].count, g[2].count };
    return int_triple(ts, v);
}

/* One argument, no keywords: `name` for the messages. */
static int check_one_arg(GsThread *ts, const char *name, size_t nargs, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) > 0) {
        gs_err_set(ts, &gs_exc_TypeError, "gc.%s() takes no keyword arguments", name);
        return -1;
    }
    if (nargs != 1) {
        gs_err_set(ts, &gs_exc_TypeError, "gc.%s() takes exactly one argument (%zu given)", name,
                   nargs);
        return -1;
    }
    return 0;
}

/* gc.set_debug(flags) */
static GsObject *gc_mod_set_debug(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    if (check_one_arg(ts, "set_debug", nargs, kwnames) < 0)
        return NULL;
    int flags;
    if (arg_as_int(ts, args[0], true, &flags) < 0)
        return NULL;
    ts->interp->gc.debug = flags;
    return gs_newref(ts, GS_NONE);
}

static GsObject *gc_mod_get_debug(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "get_debug", nargs, kwnames) < 0)
        return NULL;
    return gs_int_new(ts, ts->interp->gc.debug);
}

/* Append every object of `list` but `skip` to `result`: 0, or -1. */
static int append_objects(GsThread *ts, GsObject *result, GsGcHead *list, GsObject *skip)
{
    for (GsGcHead *g = list->next; g != list; g = g->next) {
        GsObject *o = gs_gc_object(g);
        if (o != skip && gs_list_append(ts, result, o) < 0)
            return -1;
    }
    return 0;
}

/* gc.get_objects(generation=None): the objects the collector tracks, of
 * one generation or of all three (not the frozen ones), without the list
 * returned. */
static GsObject *gc_mod_get_objects(GsThread *ts, GsObject *self, GsObject *const *args,
                                    size_t nargs, GsObject *kwnames)
{
    /* nargs counts the keyword arguments too (object.h). */
    if (nargs > 1)
        return gs_err_set(ts, &gs_exc_TypeError, "get_objects() takes at most 1 argument "
                          "(%zu given)", nargs);
    if (gs_kw_count(kwnames) == 1 &&
        strcmp(gs_str_cstr(((GsTuple *)kwnames)->items[0]), "generation") != 0)
        return gs_err_set(ts, &gs_exc_TypeError, "'%s' is an invalid keyword argument for "
                          "get_objects()", gs_str_cstr(((GsTuple *)kwnames)->items[0]));
    GsObject *arg = nargs == 1 ? args[0] : GS_NONE;
    int generation = -1;
    if (arg != GS_NONE) {
        if (arg_as_int(ts, arg, true, &generation) < 0)
            return NULL;
        if (generation >= GS_GC_NGENS)
            return gs_err_set(ts, &gs_exc_ValueError, "generation parameter must be less "
                              "than the number of available generations (%d)", GS_GC_NGENS);
        if (generation < -1)   /* -1 means all, as None does */
            return gs_err_set(ts, &gs_exc_ValueError, "generation parameter cannot be negative");
    }
    GsObject *result = gs_list_new(ts, 0);
    if (!result)
        return NULL;
    GsGcState *gc = &ts->interp->gc;
    for (int i = 0; i < GS_GC_NGENS; i++) {
        if (generation >= 0 && i != generation)
            continue;
        if (append_objects(ts, result, &gc->gens[i].head, result) < 0) {
            gs_decref(ts, result);
            return NULL;
        }
    }
    return result;
}

/* gc.is_tracked(obj): is obj in one of the collector's lists?  Ints,
 * strs and the other atoms never are; a tuple stops being tracked once a
 * collection sees it holds only untracked objects. */
static GsObject *gc_mod_is_tracked(GsThread *ts, GsObject *self, GsObject *const *args,
                                   size_t nargs, GsObject *kwnames)
{
    if (check_one_arg(ts, "is_tracked", nargs, kwnames) < 0)
        return NULL;
    return gs_newref(ts, gs_bool(tracked_head(args[0]) != NULL));
}

/* gc.get_referrers(*objs): the tracked objects that refer to any of objs,
 * found by traversing every tracked object (slow, as in CPython). */
typedef struct {
    GsObject *const *objs;
    size_t n;
} Targets;

static int visit_is_target(GsObject *o, void *arg)
{
    Targets *t = arg;
    for (size_t i = 0; i < t->n; i++)
        if (t->objs[i] == o)
            return 1;
    return 0;
}

static int referrers_in(GsThread *ts, GsGcHead *list, Targets *t, GsObject *result)
{
    for (GsGcHead *g = list->next; g != list; g = g->next) {
        GsObject *o = gs_gc_object(g);
        if (o == result)
            continue;
        if (traverse(o, visit_is_target, t) && gs_list_append(ts, result, o) < 0)
            return -1;
    }
    return 0;
}

static GsObject *gc_mod_get_referrers(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) > 0)
        return gs_err_set(ts, &gs_exc_TypeError, "get_referrers() takes no keyword arguments");
    GsObject *result = gs_list_new(ts, 0);
    if (!result)
        return NULL;
    Targets t = { args, nargs };
    GsGcState *gc = &ts->interp->gc;
    for (int i = 0; i < GS_GC_NGENS; i++) {
        if (referrers_in(ts, &gc->gens[i].head, &t, result) < 0) {
            gs_decref(ts, result);
            return NULL;
        }
    }
    return result;
}

typedef struct {
    GsThread *ts;
    GsObject *list;
} GsAppend;

static int visit_append(GsObject *o, void *arg)
{
    GsAppend *a = arg;
    if (gs_list_append(a->ts, a->list, o) < 0)
        return 1;
    return 0;
}

/* gc.get_referents(*objs): what the containers among objs refer to,
 * as their traverse slot reports it. */
static GsObject *gc_mod_get_referents(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    if (gs_kw_count(kwnames) > 0)
        return gs_err_set(ts, &gs_exc_TypeError, "get_referents() takes no keyword arguments");
    GsObject *result = gs_list_new(ts, 0);
    if (!result)
        return NULL;
    GsAppend a = { ts, result };
    for (size_t i = 0; i < nargs; i++) {
        GsObject *o = args[i];
        if (!has_gc_head(o))
            continue;
        if (traverse(o, visit_append, &a)) {
            gs_decref(ts, result);
            return NULL;
        }
    }
    return result;
}

/* gc.freeze(): move every tracked object to the permanent generation,
 * which no collection looks at (for servers that fork: pages stay
 * shared).  gc.unfreeze() puts them back, in the oldest generation. */
static GsObject *gc_mod_freeze(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "freeze", nargs, kwnames) < 0)
        return NULL;
    GsGcState *gc = &ts->interp->gc;
    for (int i = 0; i < GS_GC_NGENS; i++) {
        list_merge(&gc->gens[i].head, &gc->permanent);
        gc->gens[0].count = 0;
    }
    return gs_newref(ts, GS_NONE);
}

static GsObject *gc_mod_unfreeze(GsThread *ts, GsObject *self, GsObject *const *args,
                                 size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "unfreeze", nargs, kwnames) < 0)
        return NULL;
    GsGcState *gc = &ts->interp->gc;
    list_merge(&gc->permanent, &gc->gens[GS_GC_NGENS - 1].head);
    return gs_newref(ts, GS_NONE);
}

static GsObject *gc_mod_get_freeze_count(GsThread *ts, GsObject *self, GsObject *const *args,
                                         size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "get_freeze_count", nargs, kwnames) < 0)
        return NULL;
    return gs_int_new(ts, list_size(&ts->interp->gc.permanent));
}

/* gc.get_stats(): a dict per generation, as CPython keeps them. */
static GsObject *gc_mod_get_stats(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    if (check_no_args(ts, "get_stats", nargs, kwnames) < 0)
        return NULL;
    GsGcState *gc = &ts->interp->gc;
    GsObject *result = gs_list_new(ts, 0);
    for (int i = 0; result && i < GS_GC_NGENS; i++) {
        GsObject *d = gs_dict_new(ts);
        const char *keys[3] = { "collections", "collected", "uncollectable" };
        const int64_t values[3] = { gc->collections[i], gc->collected[i], 0 };
        for (int k = 0; k < 3 && d; k++) {
            GsObject *v = gs_int_new(ts, values[k]);
            if (!v || gs_dict_set_c(ts, d, keys[k], v) < 0)
                gs_setref(ts, &d, NULL);
            gs_xdecref(ts, v);
        }
        if (!d || gs_list_append(ts, result, d) < 0)
            gs_setref(ts, &result, NULL);
        gs_xdecref(ts, d);
    }
    return result;
}

/* The gc module's functions (exported for the unit tests). */
const GsMethodDef gs_gc_module_functions[] = {
    { "collect", gc_mod_collect }, { "enable", gc_mod_enable },
    { "disable", gc_mod_disable }, { "isenabled", gc_mod_isenabled },
    { "get_threshold", gc_mod_get_threshold }, { "set_threshold", gc_mod_set_threshold },
    { "get_count", gc_mod_get_count }, { "set_debug", gc_mod_set_debug },
    { "get_debug", gc_mod_get_debug }, { "get_objects", gc_mod_get_objects },
    { "get_stats", gc_mod_get_stats }, { "is_tracked", gc_mod_is_tracked },
    { "get_referrers", gc_mod_get_referrers }, { "get_referents", gc_mod_get_referents },
    { "freeze", gc_mod_freeze }, { "unfreeze", gc_mod_unfreeze },
    { "get_freeze_count", gc_mod_get_freeze_count }, { NULL, NULL },
};

/* `import gc`: the functions, the DEBUG_* constants, and gc.garbage and
 * gc.callbacks, two lists the collector itself keeps (rebinding
 * gc.garbage in the module does not change the list it appends to, as in
 * CPython). */
static int set_int(GsThread *ts, GsObject *m, const char *name, int64_t v)
{
    GsObject *o = gs_int_new(ts, v);
    int r = o ? gs_dict_set_c(ts, ((GsModule *)m)->dict, name, o) : -1;
    gs_xdecref(ts, o);
    return r;
}

GsObject *gs_gc_module_new(GsThread *ts)
{
    GsGcState *gc = &ts->interp->gc;
    if (!gc->garbage && !(gc->garbage = gs_list_new(ts, 0)))
        return NULL;
    if (!gc->callbacks && !(gc->callbacks = gs_list_new(ts, 0)))
        return NULL;
    GsObject *m = gs_module_from_defs(ts, "gc", gs_gc_module_functions);
    if (!m)
        return NULL;
    GsObject *d = ((GsModule *)m)->dict;
    if (gs_dict_set_c(ts, d, "garbage", gc->garbage) < 0 ||
        gs_dict_set_c(ts, d, "callbacks", gc->callbacks) < 0 ||
        set_int(ts, m, "DEBUG_STATS", GS_GC_DEBUG_STATS) < 0 ||
        set_int(ts, m, "DEBUG_COLLECTABLE", GS_GC_DEBUG_COLLECTABLE) < 0 ||
        set_int(ts, m, "DEBUG_UNCOLLECTABLE", GS_GC_DEBUG_UNCOLLECTABLE) < 0 ||
        set_int(ts, m, "DEBUG_SAVEALL", GS_GC_DEBUG_SAVEALL) < 0 ||
        set_int(ts, m, "DEBUG_LEAK", GS_GC_DEBUG_LEAK) < 0) {
        gs_decref(ts, m);
        return NULL;
    }
    return m;
}

/* At interpreter teardown, before the last collections: what gc.garbage
 * kept alive may then be freed. */
void gs_gc_fini(GsThread *ts)
{
    GsGcState *gc = &ts->interp->gc;
    gc->debug = 0;
    gs_setref(ts, &gc->garbage, NULL);
    gs_setref(ts, &gc->callbacks, NULL);
}
