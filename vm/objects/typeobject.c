/*
 * typeobject.c -- classes: the `type` type, metaclasses, multiple
 * inheritance with the C3 method resolution order, and __slots__.
 *
 * A CLASS IS AN OBJECT.  `class C(A, B): ...` runs the body into a
 * namespace, then calls the metaclass -- `type`, or the `metaclass=` given,
 * or the most derived metaclass of the bases -- as meta(name, bases, ns).
 * type.__new__ (gs_type_new below, CPython's type_new) builds the GsType:
 *
 *   1. the metaclass: the one that is a subclass of every base's
 *      metaclass ("metaclass conflict" if there is none);
 *   2. the "best base": the base whose instance layout every other base's
 *      layout is a prefix of ("multiple bases have instance lay-out
 *      conflict" if they disagree) -- instances are laid out as it;
 *   3. __slots__: the names become pointer fields after the best base's
 *      layout and member descriptors in the class dict; without
 *      __slots__ the instance gets a __dict__ pointer there instead;
 *   4. the MRO (__mro__): the C3 linearization of the bases' MROs;
 *   5. __set_name__ on the attributes, then the parent's
 *      __init_subclass__.
 *
 * THE MRO.  An attribute of an instance is looked up in its class, then in
 * the classes of __mro__ in order; C3 (Barrett et al., 1996, adopted by
 * Python 2.3) orders them so that a class comes before its bases and the
 * bases keep the order they were listed in.  It merges the bases' own MROs
 * and the list of bases: take the first head that is in no list's tail,
 * remove it from every head, repeat.  If no head qualifies, no order
 * exists and class creation fails ("Cannot create a consistent method
 * resolution order (MRO)").  super() walks the same list, starting after
 * the class it was called from, which is why cooperative methods in a
 * diamond each run once.
 *
 * THE LAYOUT.  A GsType's instances are the built-in base's struct (a
 * GsObject header for `object`, a GsException for exceptions) followed by
 * one GsObject pointer per slot of each class down the chain of best
 * bases, and the __dict__ pointer where the first class without
 * __slots__ put it.  Each class records where its own slots start
 * (slotoffset) and where the dict pointer is (dictoffset); freeing,
 * clearing and traversing an instance walk those, as CPython's
 * subtype_dealloc does.  Static types have no MRO tuple: their MRO is the
 * chain of `base`.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/interp.h"

#define TUPLE(o) ((GsTuple *)(o))
#define HEAP(t) (((t)->flags & GS_TPFLAG_HEAPTYPE) != 0)

/* ---- subtypes and look-up along the MRO ------------------------------------------- */

bool gs_type_is_subtype(GsType *a, GsType *b)
{
    if (a->mro) {
        GsTuple *m = TUPLE(a->mro);
        for (size_t i = 0; i < m->len; i++)
            if (m->items[i] == (GsObject *)b)
                return true;
        return false;
    }
    for (; a; a = a->base)
        if (a == b)
            return true;
    return false;
}

/* Borrowed.  The first class in t's MRO whose own dict has name. */
GsObject *gs_type_lookup(GsType *t, GsObject *name)
{
    if (t->mro) {
        GsTuple *m = TUPLE(t->mro);
        for (size_t i = 0; i < m->len; i++) {
            GsType *b = (GsType *)m->items[i];
            GsObject *v = b && b->dict ? gs_dict_get(NULL, b->dict, name) : NULL;
            if (v)
                return v;
        }
        return NULL;
    }
    for (; t; t = t->base) {
        if (t->dict) {
            GsObject *v = gs_dict_get(NULL, t->dict, name);
            if (v)
                return v;
        }
    }
    return NULL;
}

/* t's MRO as a tuple (new reference): the heap type's own, or the chain of
 * a static type's bases. */
static GsObject *mro_tuple(GsThread *ts, GsType *t)
{
    if (t->mro)
        return gs_newref(ts, t->mro);
    size_t n = 0;
    for (GsType *b = t; b; b = b->base)
        n++;
    GsObject *m = gs_tuple_new(ts, n);
    if (!m)
        return NULL;
    n = 0;
    for (GsType *b = t; b; b = b->base)
        TUPLE(m)->items[n++] = gs_newref(ts, (GsObject *)b);
    return m;
}

/* ---- the layout: CPython's sizes, solid bases, best base --------------------------- */

/* CPython 3.9's tp_basicsize and tp_itemsize of the static types gilscope
 * lets a class derive from (measured with python3.9: X.__basicsize__).
 * They decide which bases conflict and what sys.getsizeof says. */
static size_t static_basicsize(GsType *t, size_t *itemsize)
{
    *itemsize = 0;
    if (t == &gs_object_type)
        return 16;
    if (t == &gs_type_type) {
        *itemsize = 40;
        return 880;
    }
    if (t == &gs_property_type)
        return 56;
    if (t == &gs_staticmethod_type || t == &gs_classmethod_type)
        return 32;
    if (gs_type_is_subtype(t, &gs_exc_BaseException)) {
        static const struct { GsType *t; size_t size; } exc[] = {
            { &gs_exc_SystemExit, 72 }, { &gs_exc_StopIteration, 72 },
            { &gs_exc_OSError, 104 }, { &gs_exc_SyntaxError, 112 }, { &gs_exc_ImportError, 88 },
        };
        for (size_t i = 0; i < sizeof exc / sizeof exc[0]; i++)
            if (gs_type_is_subtype(t, exc[i].t))
                return exc[i].size;
        return 64;
    }
    return t->size;   /* not a base type: gilscope's own size will do */
}

size_t gs_type_cpy_basicsize(GsType *t)
{
    size_t item;
    return HEAP(t) ? t->cpy_basicsize : static_basicsize(t, &item);
}

static size_t itemsize(GsType *t)
{
    size_t item;
    static_basicsize(gs_type_builtin_base(t), &item);
    return item;
}

/* Does the instance carry a __dict__ in CPython's eyes (tp_dictoffset)? */
static bool cpy_has_dict(GsType *t)
{
    return (t->flags & (GS_TPFLAG_HAS_DICT | GS_TPFLAG_TYPE_SUBCLASS)) ||
           t == &gs_staticmethod_type || t == &gs_classmethod_type;
}

GsType *gs_type_builtin_base(GsType *t)
{
    while (HEAP(t))
        t = t->base;
    return t;
}

/* The class whose instance layout t's instances have (CPython's
 * solid_base): t itself if it adds fields beyond a __dict__ and a
 * __weakref__ at the end, else its base's solid base. */
static GsType *solid_base(GsType *t)
{
    if (t == &gs_object_type)
        return t;
    GsType *b = solid_base(t->base);
    if (HEAP(t))
        return t->slotnames && TUPLE(t->slotnames)->len ? t : b;
    size_t ti, bi;
    size_t ts_ = static_basicsize(t, &ti), bs = static_basicsize(b, &bi);
    return ts_ != bs || ti != bi ? t : b;
}

/* The base a class's layout comes from (CPython's best_base). Borrowed. */
static GsType *best_base(GsThread *ts, GsObject *bases)
{
    GsType *base = NULL, *winner = NULL;
    for (size_t i = 0; i < TUPLE(bases)->len; i++) {
        GsObject *b = TUPLE(bases)->items[i];
        if (!GS_IS_TYPE(b)) {
            gs_err_set(ts, &gs_exc_TypeError, "bases must be types");
            return NULL;
        }
        GsType *bt = (GsType *)b;
        if (!(bt->flags & GS_TPFLAG_BASETYPE)) {
            gs_err_set(ts, &gs_exc_TypeError, "type '%s' is not an acceptable base type",
                       bt->name);
            return NULL;
        }
        GsType *cand = solid_base(bt);
        if (!winner) {
            winner = cand;
            base = bt;
        } else if (gs_type_is_subtype(winner, cand)) {
            /* the winner's layout already extends cand's */
        } else if (gs_type_is_subtype(cand, winner)) {
            winner = cand;
            base = bt;
        } else {
            gs_err_set(ts, &gs_exc_TypeError, "multiple bases have instance lay-out conflict");
            return NULL;
        }
    }
    return base;
}

/* Does child lay its instances out exactly as its base does? */
static bool adds_nothing(GsType *child)
{
    GsType *b = child->base;
    return HEAP(child) && child->size == b->size && child->dictoffset == b->dictoffset &&
           (child->flags & (GS_TPFLAG_HAS_DICT | GS_TPFLAG_WEAKREF | GS_TPFLAG_GC)) ==
               (b->flags & (GS_TPFLAG_HAS_DICT | GS_TPFLAG_WEAKREF | GS_TPFLAG_GC));
}

static bool same_slots_added(GsType *a, GsType *b)
{
    if (!HEAP(a) || !HEAP(b) || a->size != b->size || a->dictoffset != b->dictoffset ||
        (a->flags & GS_TPFLAG_HAS_DICT) != (b->flags & GS_TPFLAG_HAS_DICT))
        return false;
    GsTuple *sa = TUPLE(a->slotnames), *sb = TUPLE(b->slotnames);
    size_t na = sa ? sa->len : 0, nb = sb ? sb->len : 0;
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!gs_str_eq(sa->items[i], sb->items[i]))
            return false;
    return true;
}

/* CPython's compatible_for_assignment: __class__ and __bases__ may only
 * change between classes whose instances are laid out alike. */
int gs_type_check_layout(GsThread *ts, GsType *old, GsType *new, const char *attr)
{
    if ((old->flags & GS_TPFLAG_GC) != (new->flags & GS_TPFLAG_GC)) {
        gs_err_set(ts, &gs_exc_TypeError, "%s assignment: '%s' deallocator differs from '%s'",
                   attr, new->name, old->name);
        return -1;
    }
    GsType *nb = new, *ob = old;
    while (adds_nothing(nb))
        nb = nb->base;
    while (adds_nothing(ob))
        ob = ob->base;
    bool alike = nb == ob || (nb->base == ob->base && same_slots_added(nb, ob));
    /* Two static exception types that differ only in name (Exception and
     * KeyError) are laid out alike too. */
    if (!alike && !HEAP(nb) && !HEAP(ob) && nb->size == ob->size &&
        nb->dealloc == ob->dealloc && nb->traverse == ob->traverse &&
        gs_type_cpy_basicsize(nb) == gs_type_cpy_basicsize(ob))
        alike = true;
    if (!alike) {
        gs_err_set(ts, &gs_exc_TypeError, "%s assignment: '%s' object layout differs from '%s'",
                   attr, new->name, old->name);
        return -1;
    }
    return 0;
}

/* ---- instances of classes: slots and the __dict__ -------------------------------- */

/* The pointer fields class b itself added: its slots. */
static GsObject **own_slots(GsType *b, GsObject *o, size_t *n)
{
    *n = b->slotnames ? TUPLE(b->slotnames)->len : 0;
    return (GsObject **)((char *)o + b->slotoffset);
}

/* The __dict__ pointer if a class (not the built-in base) added it. */
static GsObject **added_dictptr(GsObject *o)
{
    GsType *t = o->type;
    return (t->flags & GS_TPFLAG_HAS_DICT) && t->dictoffset ? gs_dictptr(o) : NULL;
}

/* Free what an instance holds: each class's slots, most derived first,
 * then the dict, then what the built-in base holds (CPython's
 * subtype_dealloc). */
static void clear_added_fields(GsThread *ts, GsObject *o)
{
    GsType *t = o->type;
    for (GsType *b = t; HEAP(b); b = b->base) {
        size_t n;
        GsObject **slot = own_slots(b, o, &n);
        for (size_t i = 0; i < n; i++)
            gs_setref(ts, &slot[i], NULL);
    }
    GsObject **d = added_dictptr(o);
    if (d)
        gs_setref(ts, d, NULL);
}

static void heap_instance_dealloc(GsThread *ts, GsObject *o)
{
    clear_added_fields(ts, o);
    GsType *builtin = gs_type_builtin_base(o->type);
    if (builtin->dealloc)
        builtin->dealloc(ts, o);
}

static int heap_instance_traverse(GsObject *o, GsVisit visit, void *arg)
{
    /* An instance holds its class (gs_alloc): say so, as CPython's
     * subtype_traverse does, or a class that holds one of its instances
     * (a singleton in a class attribute) could never be collected. */
    int r0 = visit((GsObject *)o->type, arg);
    if (r0)
        return r0;
    for (GsType *b = o->type; HEAP(b); b = b->base) {
        size_t n;
        GsObject **slot = own_slots(b, o, &n);
        for (size_t i = 0; i < n; i++) {
            int r = slot[i] ? visit(slot[i], arg) : 0;
            if (r)
                return r;
        }
    }
    GsObject **d = added_dictptr(o);
    if (d && *d) {
        int r = visit(*d, arg);
        if (r)
            return r;
    }
    GsType *builtin = gs_type_builtin_base(o->type);
    return builtin->traverse ? builtin->traverse(o, visit, arg) : 0;
}

static void heap_instance_clear(GsThread *ts, GsObject *o)
{
    clear_added_fields(ts, o);
    GsType *builtin = gs_type_builtin_base(o->type);
    if (builtin->clear)
        builtin->clear(ts, o);
}

/* ---- the C3 linearization ------------------------------------------------------------- */

static bool tail_contains(GsTuple *seq, size_t from, GsObject *o)
{
    for (size_t i = from + 1; i < seq->len; i++)
        if (seq->items[i] == o)
            return true;
    return false;
}

static const char *class_name(GsObject *t) { return ((GsType *)t)->name; }

/* "Cannot create a consistent method resolution order (MRO) for bases
 * A, B": the heads left when the merge got stuck, each named once, in the
 * order CPython's set_mro_error lists them. */
static void mro_error(GsThread *ts, GsTuple **seqs, size_t nseq, const size_t *remain)
{
    GsBuf b;
    gs_buf_init(&b);
    gs_buf_puts(&b, "Cannot create a consistent method resolution\norder (MRO) for bases");
    GsObject *seen[nseq];
    size_t nseen = 0;
    for (size_t i = 0; i < nseq; i++) {
        if (remain[i] >= seqs[i]->len)
            continue;
        GsObject *c = seqs[i]->items[remain[i]];
        bool dup = false;
        for (size_t j = 0; j < nseen; j++)
            dup |= seen[j] == c;
        if (!dup)
            seen[nseen++] = c;
    }
    for (size_t j = 0; j < nseen; j++)
        gs_buf_printf(&b, " %s%s", class_name(seen[j]), j + 1 < nseen ? "," : "");
    gs_buf_putc(&b, '\0');
    gs_err_set(ts, &gs_exc_TypeError, "%s", b.data);
    gs_buf_free(&b);
}

/* Merge the sequences as C3 says; out has room for every item. */
static int c3_merge(GsThread *ts, GsTuple **seqs, size_t nseq, GsObject **out, size_t *nout)
{
    size_t remain[nseq];
    memset(remain, 0, sizeof remain);
again:
    for (size_t i = 0; i < nseq; i++) {
        if (remain[i] >= seqs[i]->len)
            continue;
        GsObject *cand = seqs[i]->items[remain[i]];
        bool in_tail = false;
        for (size_t j = 0; j < nseq && !in_tail; j++)
            in_tail = tail_contains(seqs[j], remain[j], cand);
        if (in_tail)
            continue;
        out[(*nout)++] = cand;
        for (size_t j = 0; j < nseq; j++)
            if (remain[j] < seqs[j]->len && seqs[j]->items[remain[j]] == cand)
                remain[j]++;
        goto again;
    }
    for (size_t i = 0; i < nseq; i++) {
        if (remain[i] < seqs[i]->len) {
            mro_error(ts, seqs, nseq, remain);
            return -1;
        }
    }
    return 0;
}

/* type.mro(t): t, then the C3 merge of its bases' MROs and its bases
 * (CPython's mro_implementation). */
static GsObject *mro_implementation(GsThread *ts, GsType *t)
{
    GsTuple *bases = TUPLE(t->bases);
    size_t n = bases->len;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (bases->items[i] == bases->items[j])
                return gs_err_set(ts, &gs_exc_TypeError, "duplicate base class %s",
                                  class_name(bases->items[i]));
    GsTuple *seqs[n + 1];
    size_t total = 1, k = 0;
    for (k = 0; k < n; k++) {
        seqs[k] = (GsTuple *)mro_tuple(ts, (GsType *)bases->items[k]);
        if (!seqs[k])
            break;
        total += seqs[k]->len;
    }
    GsObject *result = NULL;
    GsObject **out = k == n ? gs_malloc(ts, (total + n) * sizeof *out) : NULL;
    if (out) {
        seqs[n] = bases;
        size_t nout = 1;
        out[0] = (GsObject *)t;
        if (c3_merge(ts, seqs, n + 1, out, &nout) == 0 && (result = gs_tuple_new(ts, nout)))
            for (size_t i = 0; i < nout; i++)
                TUPLE(result)->items[i] = gs_newref(ts, out[i]);
        free(out);
    }
    for (size_t i = 0; i < k; i++)
        gs_decref(ts, (GsObject *)seqs[i]);
    return result;
}

/* t's MRO: type.mro(), or the metaclass's own mro() if it defines one. */
static GsObject *compute_mro(GsThread *ts, GsType *t)
{
    GsType *meta = t->ob.type;
    GsObject *custom = HEAP(meta) ? gs_type_lookup(meta, GS_NAME(ts, mro)) : NULL;
    if (!custom || custom->type != &gs_function_type)
        return mro_implementation(ts, t);
    GsObject *self = (GsObject *)t;
    GsObject *r = gs_function_call(ts, custom, &self, 1, NULL);
    GsObject *list = r ? gs_sequence_to_list(ts, r) : NULL;
    gs_xdecref(ts, r);
    GsObject *tup = list ? gs_list_as_tuple(ts, list) : NULL;
    gs_xdecref(ts, list);
    for (size_t i = 0; tup && i < TUPLE(tup)->len; i++) {
        GsObject *c = TUPLE(tup)->items[i];
        if (!GS_IS_TYPE(c)) {
            gs_err_set(ts, &gs_exc_TypeError, "mro() returned a non-class ('%s')", c->type->name);
            gs_decref(ts, tup);
            return NULL;
        }
    }
    return tup;
}

/* ---- the registry of subclasses ---------------------------------------------------
 * A class keeps borrowed pointers to its direct subclasses, so that a
 * change to it (a new __bases__, a new __setattr__) reaches them, and a
 * subclass borrowed pointers to its direct bases (basev) to find those
 * registries again.  Neither side counts as a reference (CPython's
 * tp_subclasses holds weak references), so sys.getrefcount is CPython's.
 * Since the collector may free a class and its bases in any order, both
 * sides tidy up when freed: a subclass leaves its bases' registries, a
 * base clears itself out of its subclasses' basev. */

static int register_subclass(GsThread *ts, GsType *base, GsType *sub)
{
    if (!HEAP(base))
        return 0;
    if (base->nsubclasses == base->subclasses_cap) {
        size_t cap = base->subclasses_cap ? base->subclasses_cap * 2 : 4;
        GsType **a = gs_realloc(ts, base->subclasses, cap * sizeof *a);
        if (!a)
            return -1;
        base->subclasses = a;
        base->subclasses_cap = cap;
    }
    base->subclasses[base->nsubclasses++] = sub;
    return 0;
}

static void unregister_subclass(GsType *base, GsType *sub)
{
    for (size_t i = 0; base && HEAP(base) && i < base->nsubclasses; i++) {
        if (base->subclasses[i] == sub) {
            memmove(base->subclasses + i, base->subclasses + i + 1,
                    (base->nsubclasses - i - 1) * sizeof *base->subclasses);
            base->nsubclasses--;
            return;
        }
    }
}

/* Make basev point at bases' items, registering t with each; the old ones
 * are unregistered. */
static int set_basev(GsThread *ts, GsType *t, GsObject *bases)
{
    size_t n = TUPLE(bases)->len;
    GsType **v = gs_malloc(ts, n * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        v[i] = (GsType *)TUPLE(bases)->items[i];
        if (register_subclass(ts, v[i], t) < 0) {
            for (size_t j = 0; j < i; j++)
                unregister_subclass(v[j], t);
            free(v);
            return -1;
        }
    }
    for (size_t i = 0; i < t->nbases; i++)
        unregister_subclass(t->basev[i], t);
    free(t->basev);
    t->basev = v;
    t->nbases = n;
    return 0;
}

/* t is being freed: out of its bases' registries, and out of its
 * subclasses' basev. */
static void leave_registries(GsType *t)
{
    for (size_t i = 0; i < t->nbases; i++)
        unregister_subclass(t->basev[i], t);
    for (size_t i = 0; i < t->nsubclasses; i++) {
        GsType *sub = t->subclasses[i];
        for (size_t j = 0; j < sub->nbases; j++)
            if (sub->basev[j] == t)
                sub->basev[j] = NULL;
    }
    free(t->basev);
    free(t->subclasses);
    t->basev = NULL;
    t->subclasses = NULL;
    t->nbases = t->nsubclasses = 0;
}

/* ---- type's slots: repr, call, attributes ------------------------------------------- */

static GsObject *type_repr(GsThread *ts, GsObject *o)
{
    GsType *t = (GsType *)o;
    GsObject *mod = t->dict ? gs_dict_get(ts, t->dict, GS_NAME(ts, __module__)) : NULL;
    const char *qual = t->qualname ? gs_str_cstr(t->qualname) : t->name;
    if (mod && GS_IS_STR(mod) && strcmp(gs_str_cstr(mod), "builtins") != 0)
        return gs_str_printf(ts, "<class '%s.%s'>", gs_str_cstr(mod), qual);
    return gs_str_printf(ts, "<class '%s'>", qual);
}

/* A guest __new__ in t's MRO (a function, or a staticmethod of one), or
 * NULL when t's instances are made by its built-in base.  Borrowed. */
static GsObject *guest_new(GsThread *ts, GsType *t)
{
    GsObject *f = gs_type_lookup(t, GS_NAME(ts, __new__));
    if (f && f->type == &gs_staticmethod_type) {
        f = gs_descr_get(ts, f, NULL, t);   /* the wrapped callable, which it keeps */
        gs_decref(ts, f);
    }
    return f && f->type != &gs_cfunction_type ? f : NULL;
}

static bool init_is_object_init(GsThread *ts, GsType *t);

/* f(first, *args, **kw) */
static GsObject *call_with_first(GsThread *ts, GsObject *f, GsObject *first,
                                 GsObject *const *args, size_t nargs, GsObject *kwnames)
{
    GsObject *stackargs[16];
    GsObject **argv = nargs + 1 <= 16 ? stackargs : gs_malloc(ts, (nargs + 1) * sizeof *argv);
    if (!argv)
        return NULL;
    argv[0] = first;
    if (nargs)
        memcpy(argv + 1, args, nargs * sizeof *argv);
    GsObject *r = gs_call(ts, f, argv, nargs + 1, kwnames);
    if (argv != stackargs)
        free(argv);
    return r;
}

/* t.__new__(t, *args): the guest's, or the built-in base's constructor. */
static GsObject *make_instance(GsThread *ts, GsType *t, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    GsObject *f = HEAP(t) && (t->flags & GS_TPFLAG_GUEST_NEW) ? guest_new(ts, t) : NULL;
    if (f)
        return call_with_first(ts, f, (GsObject *)t, args, nargs, kwnames);
    GsType *builtin = gs_type_builtin_base(t);
    if (!builtin->new_)
        return gs_err_set(ts, &gs_exc_TypeError, "cannot create '%s' instances", t->name);
    return builtin->new_(ts, t, args, nargs, kwnames);
}

/* type(obj).__init__(obj, *args) */
static int init_instance(GsThread *ts, GsObject *obj, GsObject *const *args, size_t nargs,
                         GsObject *kwnames)
{
    GsObject *init = gs_type_lookup(obj->type, GS_NAME(ts, __init__));
    GsObject *r;
    if (!init)
        return 0;
    if (init->type == &gs_cfunction_type && !((GsCFunction *)init)->self)
        r = ((GsCFunction *)init)->fn(ts, obj, args, nargs, kwnames);
    else if (init->type == &gs_function_type)
        r = call_with_first(ts, init, obj, args, nargs, kwnames);
    else {
        GsObject *bound = gs_descr_get(ts, init, obj, obj->type);
        r = bound ? gs_call(ts, bound, args, nargs, kwnames) : NULL;
        gs_xdecref(ts, bound);
    }
    if (!r)
        return -1;
    if (r != GS_NONE) {
        gs_err_set(ts, &gs_exc_TypeError, "__init__() should return None, not '%s'",
                   r->type->name);
        gs_decref(ts, r);
        return -1;
    }
    gs_decref(ts, r);
    return 0;
}

/* Calling a class makes an instance: __new__, then __init__ if __new__
 * gave an instance of the class (CPython's type_call).  A metaclass's
 * own __call__ is found before this by gs_call. */
static GsObject *type_call(GsThread *ts, GsObject *callee, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    GsType *t = (GsType *)callee;
    if (t == &gs_type_type && nargs == 1 && !kwnames)
        return gs_newref(ts, (GsObject *)args[0]->type);
    GsObject *obj = make_instance(ts, t, args, nargs, kwnames);
    if (!obj || !gs_type_is_subtype(obj->type, t))
        return obj;
    if (!HEAP(t) && t != &gs_type_type)
        return obj;   /* built-in types initialise in their constructor */
    if (init_instance(ts, obj, args, nargs, kwnames) < 0) {
        gs_decref(ts, obj);
        return NULL;
    }
    return obj;
}

static GsObject *tuple_of_bases(GsThread *ts, GsType *t)
{
    if (t->bases)
        return gs_newref(ts, t->bases);
    return t->base ? gs_tuple_pack(ts, 1, (GsObject *)t->base) : gs_tuple_new(ts, 0);
}

/* The attributes every class has, whatever its dict says (CPython's
 * type_getsets); NULL with no error if name is not one of them. */
static GsObject *type_special_attr(GsThread *ts, GsType *t, GsObject *name)
{
    if (name == GS_NAME(ts, __qualname__) && t->qualname)
        return gs_newref(ts, t->qualname);
    if (name == GS_NAME(ts, __name__) || name == GS_NAME(ts, __qualname__))
        return t->name_obj ? gs_newref(ts, t->name_obj) : gs_str_from(ts, t->name);
    if (name == GS_NAME(ts, __base__))
        return gs_newref(ts, t->base ? (GsObject *)t->base : GS_NONE);
    if (name == GS_NAME(ts, __bases__))
        return tuple_of_bases(ts, t);
    if (name == GS_NAME(ts, __dict__) && t->dict)
        return gs_newref(ts, t->dict);
    if (name == GS_NAME(ts, __mro__))
        return mro_tuple(ts, t);
    if (name == GS_NAME(ts, __doc__)) {
        /* Only the class's own docstring: __doc__ is not inherited. */
        GsObject *d = t->dict ? gs_dict_get(ts, t->dict, name) : NULL;
        return gs_newref(ts, d ? d : GS_NONE);
    }
    if (name == GS_NAME(ts, __class__))
        return gs_newref(ts, (GsObject *)t->ob.type);
    return NULL;
}

/* What an attribute found on the metaclass gives for the class t. */
static GsObject *meta_get(GsThread *ts, GsObject *attr, GsType *t)
{
    if (attr->type == &gs_cfunction_type && !((GsCFunction *)attr)->self)
        return gs_cfunction_new(ts, ((GsCFunction *)attr)->name, ((GsCFunction *)attr)->fn,
                                (GsObject *)t);
    return gs_descr_get(ts, attr, (GsObject *)t, t->ob.type);
}

/* C.x (CPython's type_getattro): a data descriptor of the metaclass, then
 * C's MRO, then anything else the metaclass has. */
static GsObject *type_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsType *t = (GsType *)o;
    GsObject *v = type_special_attr(ts, t, name);
    if (v || gs_err_occurred(ts))
        return v;
    GsType *meta = t->ob.type;
    GsObject *meta_attr = HEAP(meta) ? gs_type_lookup(meta, name) : NULL;
    if (meta_attr && meta_attr->type != &gs_function_type && gs_descr_is_data(ts, meta_attr))
        return gs_descr_get(ts, meta_attr, o, meta);
    v = gs_type_lookup(t, name);
    if (v)
        return gs_descr_get(ts, v, NULL, t);   /* C.f: a classmethod binds to C */
    if (!meta_attr)
        meta_attr = gs_type_lookup(meta, name);   /* type's own methods: C.mro */
    if (meta_attr)
        return meta_get(ts, meta_attr, t);
    return gs_err_set(ts, &gs_exc_AttributeError, "type object '%s' has no attribute '%s'",
                      t->name, gs_str_cstr(name));
}

/* ---- C.__bases__ = (...) ---------------------------------------------------------------- */

/* Recompute the MRO of t and of every class below it, parents first; on a
 * failure the caller restores the old bases and runs this again. */
static int mro_hierarchy(GsThread *ts, GsType *t)
{
    GsObject *mro = compute_mro(ts, t);
    if (!mro)
        return -1;
    gs_setref(ts, &t->mro, mro);
    for (size_t i = 0; i < t->nsubclasses; i++)
        if (mro_hierarchy(ts, t->subclasses[i]) < 0)
            return -1;
    return 0;
}

static int check_new_bases(GsThread *ts, GsType *t, GsObject *v)
{
    if (!v) {
        gs_err_set(ts, &gs_exc_TypeError, "can't delete %s.__bases__", t->name);
        return -1;
    }
    if (!GS_IS_TUPLE(v)) {
        gs_err_set(ts, &gs_exc_TypeError, "can only assign tuple to %s.__bases__, not %s",
                   t->name, v->type->name);
        return -1;
    }
    if (TUPLE(v)->len == 0) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "can only assign non-empty tuple to %s.__bases__, not ()", t->name);
        return -1;
    }
    for (size_t i = 0; i < TUPLE(v)->len; i++) {
        GsObject *b = TUPLE(v)->items[i];
        if (!GS_IS_TYPE(b)) {
            gs_err_set(ts, &gs_exc_TypeError, "%s.__bases__ must be tuple of classes, not '%s'",
                       t->name, b->type->name);
            return -1;
        }
        if (gs_type_is_subtype((GsType *)b, t)) {
            gs_err_set(ts, &gs_exc_TypeError, "a __bases__ item causes an inheritance cycle");
            return -1;
        }
    }
    return 0;
}

/* Swap in bases and best base; returns the old ones through the pointers. */
static int swap_bases(GsThread *ts, GsType *t, GsObject **bases, GsType **base)
{
    GsObject *old_bases = t->bases;
    GsType *old_base = t->base;
    if (set_basev(ts, t, *bases) < 0)
        return -1;
    t->bases = *bases;
    t->base = *base;
    *bases = old_bases;
    *base = old_base;
    return 0;
}

/* C.__bases__ = (A, B): CPython's type_set_bases.  The new bases must be
 * laid out as the old ones, and every class below C gets a new MRO; if
 * one cannot have one, everything is put back. */
static int set_bases(GsThread *ts, GsType *t, GsObject *v)
{
    if (check_new_bases(ts, t, v) < 0)
        return -1;
    GsType *new_base = best_base(ts, v);
    if (!new_base || gs_type_check_layout(ts, t->base, new_base, "__bases__") < 0)
        return -1;
    GsObject *bases = gs_newref(ts, v);
    GsType *base = (GsType *)gs_newref(ts, (GsObject *)new_base);
    if (swap_bases(ts, t, &bases, &base) < 0) {
        gs_decref(ts, bases);
        gs_decref(ts, (GsObject *)base);
        return -1;
    }
    if (mro_hierarchy(ts, t) < 0) {
        GsObject *exc = gs_err_fetch(ts);
        if (swap_bases(ts, t, &bases, &base) == 0)
            mro_hierarchy(ts, t);   /* the old bases gave these MROs before */
        gs_err_clear(ts);
        gs_err_set_obj(ts, exc);
        gs_xdecref(ts, exc);
    }
    gs_decref(ts, bases);
    gs_decref(ts, (GsObject *)base);
    gs_type_set_attribute_hooks(ts, t);
    return gs_err_occurred(ts) ? -1 : 0;
}

static int type_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    GsType *t = (GsType *)o;
    if (HEAP(t) && gs_str_eq(name, GS_NAME(ts, __bases__)))
        return set_bases(ts, t, v);
    if (!HEAP(t)) {
        gs_err_set(ts, &gs_exc_TypeError, "can't set attributes of built-in/extension type '%s'",
                   t->name);
        return -1;
    }
    /* A data descriptor of the metaclass (a property on M) governs C.x = v. */
    GsType *meta = t->ob.type;
    GsObject *meta_attr = HEAP(meta) ? gs_type_lookup(meta, name) : NULL;
    if (meta_attr && meta_attr->type != &gs_function_type && gs_descr_is_data(ts, meta_attr))
        return gs_descr_set(ts, meta_attr, o, v);
    int r;
    if (v) {
        r = gs_dict_set(ts, t->dict, name, v);
    } else {
        r = gs_dict_del(ts, t->dict, name);
        if (r == 0)
            gs_err_set(ts, &gs_exc_AttributeError, "%s", gs_str_cstr(name));
        r = r <= 0 ? -1 : 0;
    }
    if (r == 0)
        gs_type_set_attribute_hooks(ts, t);   /* C.__setattr__ = f: C and its subclasses */
    return r;
}

static void type_dealloc(GsThread *ts, GsObject *o)
{
    GsType *t = (GsType *)o;
    gs_xdecref(ts, t->dict);
    gs_xdecref(ts, t->name_obj);
    gs_xdecref(ts, t->qualname);
    gs_xdecref(ts, t->bases);
    gs_xdecref(ts, t->mro);
    gs_xdecref(ts, t->slotnames);
    leave_registries(t);
    if (t->base)
        gs_decref(ts, (GsObject *)t->base);
}

/* Only guest classes are collectable: a class, its methods and their
 * __class__ cells form a cycle.  Static types have no GC header. */
static int type_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsType *t = (GsType *)o;
    if (!HEAP(t))
        return 0;
    GsObject *refs[] = { t->dict, t->bases, t->mro, t->slotnames, (GsObject *)t->base };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        int r = refs[i] ? visit(refs[i], arg) : 0;
        if (r)
            return r;
    }
    return 0;
}

/* Break cycles through the dict only: bases and MRO stay, so that the
 * instances freed in the same collection can still find their methods
 * and the registry of subclasses stays sound. */
static void type_clear(GsThread *ts, GsObject *o)
{
    GsType *t = (GsType *)o;
    if (!HEAP(t) || !t->dict)
        return;
    GsObject *d = t->dict;
    GsObject *empty = gs_dict_new(ts);
    if (!empty) {
        gs_err_clear(ts);
        return;
    }
    t->dict = empty;   /* keep the invariant "a class has a dict" */
    gs_decref(ts, d);
}

/* ---- type's methods ------------------------------------------------------------------ */

static GsObject *type_m_mro(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "mro", kwnames) < 0 || gs_check_nargs(ts, "mro", nargs, 0, 0) < 0)
        return NULL;
    GsType *t = (GsType *)self;
    GsObject *m = t->bases ? mro_implementation(ts, t) : mro_tuple(ts, t);
    if (!m)
        return NULL;
    GsObject *list = gs_sequence_to_list(ts, m);
    gs_decref(ts, m);
    return list;
}

static GsObject *type_m_call(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    return type_call(ts, self, args, nargs, kwnames);
}

/* type.__new__(metatype, name, bases, dict, **kw) */
static GsObject *type_new_slot(GsThread *ts, GsType *metatype, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    size_t npos = nargs - gs_kw_count(kwnames);
    /* type(x) itself was answered by type_call. */
    if (metatype == &gs_type_type && npos != 1 && npos != 3)
        return gs_err_set(ts, &gs_exc_TypeError, "type() takes 1 or 3 arguments");
    if (npos != 3)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "type.__new__() takes exactly 3 arguments (%zu given)", npos);
    static const char *const want[] = { "str", "tuple", "dict" };
    GsType *const types[] = { &gs_str_type, &gs_tuple_type, &gs_dict_type };
    for (int i = 0; i < 3; i++)
        if (!gs_type_is_subtype(args[i]->type, types[i]))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "type.__new__() argument %d must be %s, not %s", i + 1, want[i],
                              args[i]->type->name);
    return gs_type_new(ts, metatype, args[0], args[1], args[2], args + 3, kwnames);
}

static GsObject *type_m_new(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    if (!GS_IS_TYPE(self))
        return gs_err_set(ts, &gs_exc_TypeError, "type.__new__(X): X is not a type object (%s)",
                          self->type->name);
    GsType *meta = (GsType *)self;
    if (!gs_type_is_subtype(meta, &gs_type_type))
        return gs_err_set(ts, &gs_exc_TypeError, "type.__new__(%s): %s is not a subtype of type",
                          meta->name, meta->name);
    return type_new_slot(ts, meta, args, nargs, kwnames);
}

static GsObject *type_m_init(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    size_t npos = nargs - gs_kw_count(kwnames);
    if (kwnames && npos == 1)
        return gs_err_set(ts, &gs_exc_TypeError, "type.__init__() takes no keyword arguments");
    if (npos != 1 && npos != 3)
        return gs_err_set(ts, &gs_exc_TypeError, "type.__init__() takes 1 or 3 arguments");
    return gs_newref(ts, GS_NONE);
}

/* type.__prepare__(name, bases, **kw): the namespace a class body fills. */
static GsObject *type_m_prepare(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    return gs_dict_new(ts);
}

static GsObject *type_m_instancecheck(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    if (gs_check_nargs(ts, "__instancecheck__", nargs, 1, 1) < 0)
        return NULL;
    return gs_newref(ts, gs_bool(gs_type_is_subtype(args[0]->type, (GsType *)self)));
}

static GsObject *type_m_subclasscheck(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    if (gs_check_nargs(ts, "__subclasscheck__", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_TYPE(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "issubclass() arg 1 must be a class");
    return gs_newref(ts, gs_bool(gs_type_is_subtype((GsType *)args[0], (GsType *)self)));
}

static GsObject *type_m_subclasses(GsThread *ts, GsObject *self, GsObject *const *args,
                                   size_t nargs, GsObject *kwnames)
{
    if (gs_check_nargs(ts, "__subclasses__", nargs, 0, 0) < 0)
        return NULL;
    GsType *t = (GsType *)self;
    if (!HEAP(t))
        return gs_err_set(ts, &gs_exc_TypeError, "gilscope does not track the subclasses of "
                          "built-in types ('%s')", t->name);
    GsObject *l = gs_list_new(ts, t->nsubclasses);
    for (size_t i = 0; l && i < t->nsubclasses; i++)
        ((GsList *)l)->items[i] = gs_newref(ts, (GsObject *)t->subclasses[i]);
    return l;
}

static const GsMethodDef type_methods[] = {
    { "mro", type_m_mro },
    { "__call__", type_m_call },
    { "__new__", type_m_new },          /* made a staticmethod by fill_type_dict */
    { "__init__", type_m_init },
    { "__prepare__", type_m_prepare },  /* made a classmethod by fill_type_dict */
    { "__instancecheck__", type_m_instancecheck },
    { "__subclasscheck__", type_m_subclasscheck },
    { "__subclasses__", type_m_subclasses },
    { NULL, NULL },
};

GsType gs_type_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 }, .name = "type",
    .base = &gs_object_type, .size = sizeof(GsType),
    .flags = GS_TPFLAG_GC | GS_TPFLAG_BASETYPE | GS_TPFLAG_TYPE_SUBCLASS,
    .methods = type_methods, .repr = type_repr, .call = type_call, .new_ = type_new_slot,
    .getattr = type_getattr, .setattr = type_setattr,
    .dealloc = type_dealloc, .traverse = type_traverse, .clear = type_clear };

/* object.__init__ and object.__new__ complain about arguments only when
 * the class overrides neither (CPython's excess_args rule). */
static bool init_is_object_init(GsThread *ts, GsType *t)
{
    GsObject *init = gs_type_lookup(t, GS_NAME(ts, __init__));
    return init && init->type == &gs_cfunction_type &&
           gs_type_lookup(&gs_object_type, GS_NAME(ts, __init__)) == init;
}

int gs_object_check_init_args(GsThread *ts, GsObject *self, size_t nargs)
{
    if (nargs == 0)
        return 0;
    GsType *t = self->type;
    if (!init_is_object_init(ts, t))
        gs_err_set(ts, &gs_exc_TypeError,
                   "object.__init__() takes exactly one argument (the instance to initialize)");
    else if (!HEAP(t) || !(t->flags & GS_TPFLAG_GUEST_NEW) || !guest_new(ts, t))
        gs_err_set(ts, &gs_exc_TypeError, "%s() takes no arguments", t->name);
    else
        return 0;
    return -1;
}

int gs_object_check_new_args(GsThread *ts, GsType *t, size_t nargs)
{
    if (nargs == 0)
        return 0;
    if (HEAP(t) && (t->flags & GS_TPFLAG_GUEST_NEW) && guest_new(ts, t))
        gs_err_set(ts, &gs_exc_TypeError,
                   "object.__new__() takes exactly one argument (the type to instantiate)");
    else if (init_is_object_init(ts, t))
        gs_err_set(ts, &gs_exc_TypeError, "%s() takes no arguments", t->name);
    else
        return 0;
    return -1;
}

/* ---- making a class: the metaclass ------------------------------------------------ */

GsType *gs_type_calculate_meta(GsThread *ts, GsType *meta, GsObject *bases)
{
    GsType *winner = meta;
    for (size_t i = 0; i < TUPLE(bases)->len; i++) {
        GsType *tmp = TUPLE(bases)->items[i]->type;
        if (gs_type_is_subtype(winner, tmp))
            continue;
        if (gs_type_is_subtype(tmp, winner)) {
            winner = tmp;
            continue;
        }
        gs_err_set(ts, &gs_exc_TypeError, "metaclass conflict: the metaclass of a derived class "
                   "must be a (non-strict) subclass of the metaclasses of all its bases");
        return NULL;
    }
    return winner;
}

/* ---- making a class: __slots__ ----------------------------------------------------- */

/* "__x" in class C is "_C__x" (CPython's _Py_Mangle). New reference. */
static GsObject *mangle(GsThread *ts, GsObject *classname, GsObject *name)
{
    const char *n = gs_str_cstr(name), *c = gs_str_cstr(classname);
    size_t len = strlen(n);
    if (len < 2 || n[0] != '_' || n[1] != '_' || (len >= 4 && n[len - 1] == '_' &&
        n[len - 2] == '_') || strchr(n, '.'))
        return gs_newref(ts, name);
    while (*c == '_')
        c++;
    if (!*c)
        return gs_newref(ts, name);
    return gs_str_printf(ts, "_%s%s", c, n);
}

/* str.isidentifier(), near enough: letters, digits and underscores, not
 * starting with a digit; any non-ASCII character is taken for a letter. */
static bool is_identifier(GsObject *s)
{
    const unsigned char *p = (const unsigned char *)gs_str_cstr(s);
    if (!*p || (*p >= '0' && *p <= '9'))
        return false;
    for (; *p; p++)
        if (!(*p == '_' || *p >= 0x80 || (*p >= '0' && *p <= '9') ||
              ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
            return false;
    return true;
}

typedef struct {
    GsObject *names;     /* the real slots, mangled and sorted (a list) */
    bool add_dict, add_weak;
} GsSlotPlan;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(gs_str_cstr(*(GsObject *const *)a), gs_str_cstr(*(GsObject *const *)b));
}

/* Read __slots__ from the class dict: which names, and whether the class
 * adds a __dict__ and a __weakref__ (CPython's type_new, step by step,
 * with its messages). */
static int plan_slots(GsThread *ts, GsObject *name, GsObject *bases, GsType *base,
                      GsObject *dict, GsSlotPlan *plan)
{
    bool may_dict = !cpy_has_dict(base);
    bool may_weak = !(base->flags & GS_TPFLAG_WEAKREF) && itemsize(base) == 0;
    GsObject *slots = gs_dict_get(ts, dict, GS_NAME(ts, __slots__));
    plan->names = NULL;
    plan->add_dict = plan->add_weak = false;
    if (!slots) {
        plan->add_dict = may_dict;
        plan->add_weak = may_weak;
        return 0;
    }
    GsObject *tuple = GS_IS_STR(slots) ? gs_tuple_pack(ts, 1, slots) : NULL;
    if (!tuple) {
        GsObject *l = GS_IS_STR(slots) ? NULL : gs_sequence_to_list(ts, slots);
        tuple = l ? gs_list_as_tuple(ts, l) : NULL;
        gs_xdecref(ts, l);
        if (!tuple)
            return -1;
    }
    GsTuple *st = TUPLE(tuple);
    int r = 0;
    if (st->len > 0 && itemsize(base) != 0) {
        gs_err_set(ts, &gs_exc_TypeError, "nonempty __slots__ not supported for subtype of '%s'",
                   base->name);
        r = -1;
    }
    for (size_t i = 0; r == 0 && i < st->len; i++) {
        GsObject *s = st->items[i];
        if (!GS_IS_STR(s)) {
            gs_err_set(ts, &gs_exc_TypeError, "__slots__ items must be strings, not '%s'",
                       s->type->name);
            r = -1;
        } else if (!is_identifier(s)) {
            gs_err_set(ts, &gs_exc_TypeError, "__slots__ must be identifiers");
            r = -1;
        } else if (strcmp(gs_str_cstr(s), "__dict__") == 0) {
            if (!may_dict || plan->add_dict) {
                gs_err_set(ts, &gs_exc_TypeError, "__dict__ slot disallowed: we already got one");
                r = -1;
            }
            plan->add_dict = true;
        } else if (strcmp(gs_str_cstr(s), "__weakref__") == 0) {
            if (!may_weak || plan->add_weak) {
                gs_err_set(ts, &gs_exc_TypeError, "__weakref__ slot disallowed: either we already "
                           "got one, or __itemsize__ != 0");
                r = -1;
            }
            plan->add_weak = true;
        }
    }
    GsObject *names = r == 0 ? gs_list_new(ts, 0) : NULL;
    for (size_t i = 0; names && i < st->len; i++) {
        const char *s = gs_str_cstr(st->items[i]);
        if ((plan->add_dict && strcmp(s, "__dict__") == 0) ||
            (plan->add_weak && strcmp(s, "__weakref__") == 0))
            continue;
        GsObject *m = mangle(ts, name, st->items[i]);
        bool special = m && (gs_str_eq(m, GS_NAME(ts, __qualname__)) ||
                             gs_str_eq(m, GS_NAME(ts, __classcell__)));
        if (m && !special && gs_dict_get(ts, dict, m)) {
            GsObject *rep = gs_repr(ts, m);
            if (rep)
                gs_err_set(ts, &gs_exc_ValueError, "%s in __slots__ conflicts with class variable",
                           gs_str_cstr(rep));
            gs_xdecref(ts, rep);
            gs_decref(ts, m);
            m = NULL;
        }
        if (!m || gs_list_append(ts, names, m) < 0)
            gs_setref(ts, &names, NULL);
        gs_xdecref(ts, m);
    }
    gs_decref(ts, tuple);
    if (!names)
        return -1;
    GsList *nl = (GsList *)names;
    if (nl->len > 1)   /* an empty list has no array to sort */
        qsort(nl->items, nl->len, sizeof *nl->items, cmp_str);
    /* A dict or weakref that a secondary base has comes along. */
    for (size_t i = 0; i < TUPLE(bases)->len; i++) {
        GsType *b = (GsType *)TUPLE(bases)->items[i];
        if (b == base)
            continue;
        plan->add_dict |= may_dict && cpy_has_dict(b);
        plan->add_weak |= may_weak && (b->flags & GS_TPFLAG_WEAKREF);
    }
    plan->names = names;
    return 0;
}

/* Lay out t's instances after its best base's: its slots, then a dict if
 * it adds one; a member descriptor per slot goes into its dict. */
static int lay_out(GsThread *ts, GsType *t, GsType *base, GsSlotPlan *plan)
{
    GsList *names = (GsList *)plan->names;
    size_t nslots = names ? names->len : 0;
    t->flags = GS_TPFLAG_HEAPTYPE | GS_TPFLAG_BASETYPE | GS_TPFLAG_GC |
               (base->flags & (GS_TPFLAG_HAS_DICT | GS_TPFLAG_WEAKREF | GS_TPFLAG_TYPE_SUBCLASS));
    t->size = base->size;
    t->dictoffset = base->dictoffset;
    t->slotoffset = t->size;
    t->size += nslots * sizeof(GsObject *);
    t->cpy_basicsize = gs_type_cpy_basicsize(base) + nslots * 8;
    if (plan->add_dict) {
        t->flags |= GS_TPFLAG_HAS_DICT;
        t->dictoffset = t->size;
        t->size += sizeof(GsObject *);
        t->cpy_basicsize += 8;
    }
    if (plan->add_weak) {
        t->flags |= GS_TPFLAG_WEAKREF;
        t->cpy_basicsize += 8;
    }
    if (names && !(t->slotnames = gs_list_as_tuple(ts, plan->names)))
        return -1;
    for (size_t i = 0; i < nslots; i++) {
        GsObject *m = gs_member_new(ts, t, names->items[i],
                                    t->slotoffset + i * sizeof(GsObject *));
        int r = m ? gs_dict_set(ts, t->dict, names->items[i], m) : -1;
        gs_xdecref(ts, m);
        if (r < 0)
            return -1;
    }
    /* Then (PyType_Ready adds them after the members) the class that adds
     * a __dict__ or __weakref__ gets a descriptor for it, unless the class
     * body defined the name itself; and __doc__ is None if not given. */
    static const struct { const char *name; int kind; } getsets[] = {
        { "__dict__", GS_GETSET_DICT }, { "__weakref__", GS_GETSET_WEAKREF } };
    for (int i = 0; i < 2; i++) {
        if (!(i == 0 ? plan->add_dict : plan->add_weak) ||
            gs_dict_get_c(ts, t->dict, getsets[i].name))
            continue;
        GsObject *g = gs_getset_new(ts, t, getsets[i].kind);
        int r = g ? gs_dict_set_c(ts, t->dict, getsets[i].name, g) : -1;
        gs_xdecref(ts, g);
        if (r < 0)
            return -1;
    }
    if (!gs_dict_get(ts, t->dict, GS_NAME(ts, __doc__)))
        return gs_dict_set(ts, t->dict, GS_NAME(ts, __doc__), GS_NONE);
    return 0;
}

/* ---- making a class: the rest of type.__new__ ---------------------------------------- */

/* f in the dict becomes wrapper(f): __init_subclass__ and __class_getitem__
 * are classmethods, __new__ a staticmethod, without saying so. */
static int wrap_implicit(GsThread *ts, GsObject *dict, const char *name, GsType *wrapper)
{
    GsObject *key = gs_str_intern_c(ts, name);
    GsObject *f = key ? gs_dict_get(ts, dict, key) : NULL;
    int r = key ? 0 : -1;
    if (f && f->type == &gs_function_type) {
        GsObject *w = gs_call(ts, (GsObject *)wrapper, &f, 1, NULL);
        r = w ? gs_dict_set(ts, dict, key, w) : -1;
        gs_xdecref(ts, w);
    }
    gs_xdecref(ts, key);
    return r;
}

static GsObject *dict_copy(GsThread *ts, GsObject *src)
{
    GsObject *d = gs_dict_new(ts), *k, *v;
    size_t pos = 0;
    while (d && gs_dict_next(src, &pos, &k, &v))
        if (gs_dict_set(ts, d, k, v) < 0)
            gs_setref(ts, &d, NULL);
    return d;
}

/* __module__ (from the caller's globals), __qualname__ (kept apart from
 * the dict) and the __class__ cell the class body left. */
static int take_namespace_entries(GsThread *ts, GsType *t)
{
    GsObject *d = t->dict;
    GsObject *globals = gs_current_globals(ts);
    if (!gs_dict_get(ts, d, GS_NAME(ts, __module__)) && globals) {
        GsObject *mod = gs_dict_get(ts, globals, GS_NAME(ts, __name__));
        if (mod && gs_dict_set(ts, d, GS_NAME(ts, __module__), mod) < 0)
            return -1;
    }
    GsObject *qual = gs_dict_get(ts, d, GS_NAME(ts, __qualname__));
    if (qual) {
        if (!GS_IS_STR(qual)) {
            gs_err_set(ts, &gs_exc_TypeError, "type __qualname__ must be a str, not %s",
                       qual->type->name);
            return -1;
        }
        t->qualname = gs_newref(ts, qual);
        gs_dict_del(ts, d, GS_NAME(ts, __qualname__));
    }
    GsObject *cell = gs_dict_get(ts, d, GS_NAME(ts, __classcell__));
    if (cell) {
        if (cell->type != &gs_cell_type) {
            gs_err_set(ts, &gs_exc_TypeError, "__classcell__ must be a nonlocal cell, not <class '%s'>",
                       cell->type->name);
            return -1;
        }
        gs_setref(ts, &((GsCell *)cell)->ref, gs_newref(ts, (GsObject *)t));
        gs_dict_del(ts, d, GS_NAME(ts, __classcell__));
    }
    return 0;
}

/* Every attribute whose class defines __set_name__ is told its owner and
 * name (PEP 487). */
static int set_names(GsThread *ts, GsType *cls)
{
    GsObject *hook_name = GS_NAME(ts, __set_name__), *key, *value;
    GsObject *snapshot = dict_copy(ts, cls->dict);
    size_t pos = 0;
    int r = snapshot ? 0 : -1;
    while (r == 0 && gs_dict_next(snapshot, &pos, &key, &value)) {
        if (!HEAP(value->type))
            continue;
        GsObject *f = gs_type_lookup(value->type, hook_name);
        if (!f)
            continue;
        GsObject *argv[3] = { value, (GsObject *)cls, key };
        GsObject *res = gs_call(ts, f, argv, 3, NULL);
        if (!res) {
            GsObject *e = gs_err_fetch(ts);
            gs_err_set(ts, &gs_exc_RuntimeError, "Error calling __set_name__ on '%s' instance "
                       "'%s' in '%s'", value->type->name, gs_str_cstr(key), cls->name);
            GsObject *now = gs_err_occurred(ts);
            if (now && e)
                ((GsException *)now)->cause = e;
            else
                gs_xdecref(ts, e);
            r = -1;
        }
        gs_xdecref(ts, res);
    }
    gs_xdecref(ts, snapshot);
    return r;
}

/* super(cls, cls).__init_subclass__(**kw): the first class after cls in
 * its MRO that has one (object's takes no keywords). */
static int init_subclass(GsThread *ts, GsType *cls, GsObject *const *kwvals, GsObject *kwnames)
{
    size_t nkw = gs_kw_count(kwnames);
    GsTuple *mro = TUPLE(cls->mro);
    GsObject *f = NULL;
    for (size_t i = 1; !f && i < mro->len; i++) {
        GsType *b = (GsType *)mro->items[i];
        f = b->dict ? gs_dict_get(ts, b->dict, GS_NAME(ts, __init_subclass__)) : NULL;
    }
    if (f && f->type == &gs_classmethod_type)
        f = gs_descr_get(ts, f, NULL, cls);   /* bound to the new class */
    else if (f && f->type == &gs_function_type)
        f = gs_method_new(ts, f, (GsObject *)cls);
    else
        f = NULL;
    if (!f) {
        if (gs_err_occurred(ts))
            return -1;
        if (nkw) {
            gs_err_set(ts, &gs_exc_TypeError, "%s.__init_subclass__() takes no keyword arguments",
                       cls->name);
            return -1;
        }
        return 0;
    }
    GsObject *r = gs_call(ts, f, kwvals, nkw, nkw ? kwnames : NULL);
    gs_decref(ts, f);
    gs_xdecref(ts, r);
    return r ? 0 : -1;
}

/* Allocate the class object and fill in what does not depend on slots. */
static GsType *type_alloc(GsThread *ts, GsType *metatype, GsObject *name, GsObject *bases,
                          GsType *base, GsObject *dict)
{
    GsType *t = (GsType *)gs_alloc(ts, metatype, metatype->size);
    if (!t)
        return NULL;
    t->flags = GS_TPFLAG_HEAPTYPE;   /* so that dealloc knows what it holds */
    t->name_obj = gs_newref(ts, name);
    t->name = gs_str_cstr(name);
    t->base = (GsType *)gs_newref(ts, (GsObject *)base);
    t->bases = gs_newref(ts, bases);
    t->dict = dict_copy(ts, dict);
    if (!t->dict || set_basev(ts, t, bases) < 0) {
        gs_decref(ts, (GsObject *)t);
        return NULL;
    }
    return t;
}

/* The slots a class's instances use: the built-in base's for what it
 * holds, heap_instance_* for the fields classes add. */
static void inherit_slots(GsThread *ts, GsType *t)
{
    GsType *b = gs_type_builtin_base(t);
    t->dealloc = heap_instance_dealloc;
    t->traverse = heap_instance_traverse;
    t->clear = heap_instance_clear;
    /* Exceptions keep their own attribute access (args, __context__);
     * type its own (C.x of a metaclass's instances). */
    t->getattr = b->getattr ? b->getattr : gs_generic_getattr;
    t->setattr = b->setattr ? b->setattr : gs_generic_setattr;
    gs_type_set_attribute_hooks(ts, t);
    /* Other slots are found through the MRO by ops.c, which looks for
     * dunder methods on heap types first. */
}

GsObject *gs_type_new(GsThread *ts, GsType *metatype, GsObject *name, GsObject *bases,
                      GsObject *dict, GsObject *const *kwvals, GsObject *kwnames)
{
    GsType *winner = gs_type_calculate_meta(ts, metatype, bases);
    if (!winner)
        return NULL;
    if (winner != metatype) {
        GsObject *f = guest_new(ts, winner);
        if (f) {   /* the more derived metaclass makes the class its own way */
            size_t nkw = gs_kw_count(kwnames);
            GsObject *argv[4 + nkw];
            argv[0] = (GsObject *)winner, argv[1] = name, argv[2] = bases, argv[3] = dict;
            memcpy(argv + 4, kwvals, nkw * sizeof *argv);
            return gs_call(ts, f, argv, 4 + nkw, kwnames);
        }
        metatype = winner;
    }
    GsObject *own_bases = TUPLE(bases)->len ? gs_newref(ts, bases)
                                            : gs_tuple_pack(ts, 1, (GsObject *)&gs_object_type);
    GsType *base = own_bases ? best_base(ts, own_bases) : NULL;
    GsSlotPlan plan = { NULL, false, false };
    GsType *t = NULL;
    if (base && plan_slots(ts, name, own_bases, base, dict, &plan) == 0)
        t = type_alloc(ts, metatype, name, own_bases, base, dict);
    gs_xdecref(ts, own_bases);
    int r = t ? 0 : -1;
    if (r == 0)
        r = lay_out(ts, t, base, &plan);
    gs_xdecref(ts, plan.names);
    if (r == 0)
        r = take_namespace_entries(ts, t);
    if (r == 0)
        r = wrap_implicit(ts, t->dict, "__init_subclass__", &gs_classmethod_type) |
            wrap_implicit(ts, t->dict, "__class_getitem__", &gs_classmethod_type) |
            wrap_implicit(ts, t->dict, "__new__", &gs_staticmethod_type);
    if (r == 0 && !(t->mro = compute_mro(ts, t)))
        r = -1;
    if (r == 0) {
        inherit_slots(ts, t);
        r = set_names(ts, t) < 0 || init_subclass(ts, t, kwvals, kwnames) < 0 ? -1 : 0;
    }
    if (r < 0) {
        if (t)
            gs_decref(ts, (GsObject *)t);
        return NULL;
    }
    return (GsObject *)t;
}

/* ---- isinstance and issubclass --------------------------------------------------------- */

/* A guest __instancecheck__ / __subclasscheck__ on cls's metaclass. */
static GsObject *checker(GsThread *ts, GsObject *cls, GsObject *name)
{
    if (!HEAP(cls->type))
        return NULL;
    GsObject *f = gs_type_lookup(cls->type, name);
    return f && f->type == &gs_function_type ? f : NULL;
}

static int call_checker(GsThread *ts, GsObject *f, GsObject *cls, GsObject *arg)
{
    GsObject *argv[2] = { cls, arg };
    GsObject *r = gs_function_call(ts, f, argv, 2, NULL);
    if (!r)
        return -1;
    int b = gs_truth(ts, r);
    gs_decref(ts, r);
    return b;
}

int gs_isinstance(GsThread *ts, GsObject *o, GsObject *cls)
{
    if ((GsObject *)o->type == cls)
        return 1;
    if (GS_IS_TUPLE(cls)) {
        for (size_t i = 0; i < TUPLE(cls)->len; i++) {
            int r = gs_isinstance(ts, o, TUPLE(cls)->items[i]);
            if (r)
                return r;
        }
        return 0;
    }
    GsObject *f = checker(ts, cls, GS_NAME(ts, __instancecheck__));
    if (f)
        return call_checker(ts, f, cls, o);
    if (!GS_IS_TYPE(cls)) {
        gs_err_set(ts, &gs_exc_TypeError, "isinstance() arg 2 must be a type or tuple of types");
        return -1;
    }
    return gs_type_is_subtype(o->type, (GsType *)cls);
}

int gs_issubclass(GsThread *ts, GsObject *c, GsObject *cls)
{
    if (GS_IS_TUPLE(cls)) {
        for (size_t i = 0; i < TUPLE(cls)->len; i++) {
            int r = gs_issubclass(ts, c, TUPLE(cls)->items[i]);
            if (r)
                return r;
        }
        return 0;
    }
    GsObject *f = checker(ts, cls, GS_NAME(ts, __subclasscheck__));
    if (f)
        return call_checker(ts, f, cls, c);
    if (!GS_IS_TYPE(c)) {
        gs_err_set(ts, &gs_exc_TypeError, "issubclass() arg 1 must be a class");
        return -1;
    }
    if (!GS_IS_TYPE(cls)) {
        gs_err_set(ts, &gs_exc_TypeError, "issubclass() arg 2 must be a class or tuple of classes");
        return -1;
    }
    return gs_type_is_subtype((GsType *)c, (GsType *)cls);
}
