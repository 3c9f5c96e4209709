/*
 * object.c -- allocation, deallocation, and the small built-in types:
 * type, object, None, NotImplemented, Ellipsis, bool, int, float, range,
 * slice, cell, bound method, C function, module, iterators and guest
 * class instances.
 *
 * Built-in types are static structs, immortal like CPython's static types.
 * Guest classes (`class C: ...`) are GsType structs allocated at run time
 * with GS_TPFLAG_HEAPTYPE; their instances are GsInstance (or GsException
 * when they derive from an exception type).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigint.h"
#include "format.h"
#include "runtime/interp.h"

bool gs_ref_tracing = false;

void gs_ref_hook(GsThread *ts, GsObject *o, int delta)
{
    if (ts && ts->interp->on_ref && o->refcnt < GS_IMMORTAL_REFCNT / 2)
        ts->interp->on_ref(ts, o, delta);
}

/* ---- memory ------------------------------------------------------------- */

void *gs_malloc(GsThread *ts, size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    return p;
}

void *gs_realloc(GsThread *ts, void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    return q;
}

/* Containers carry a GsGcHead in front of the object, so that the
 * collector can link them into its generation lists without the types
 * knowing about it (CPython's PyGC_Head). */
GsObject *gs_alloc(GsThread *ts, GsType *type, size_t size)
{
    bool gc = type->flags & GS_TPFLAG_GC;
    if (gc)
        gs_gc_maybe_collect(ts);
    size_t extra = gc ? sizeof(GsGcHead) : 0;
    char *mem = calloc(1, extra + size);
    if (!mem) {
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
        return NULL;
    }
    GsObject *o = (GsObject *)(mem + extra);
    o->refcnt = 1;
    o->type = type;
    o->serial = ++ts->interp->next_serial;
    if (type->flags & GS_TPFLAG_HEAPTYPE)
        gs_incref(ts, (GsObject *)type);   /* instances keep their class alive */
    if (gc)
        gs_gc_track(ts, o);
    return o;
}

void gs_free_memory(GsThread *ts, GsObject *o)
{
    if (o->type->flags & GS_TPFLAG_GC)
        free(gs_gc_head(o));
    else
        free(o);
}

/* One free list serves small ints and floats: its blocks are GsInt-sized,
 * which holds a GsFloat too.  (Big ints are bigger and never go on it.) */
_Static_assert(sizeof(GsInt) >= sizeof(GsFloat), "number free list needs room for both");
#define GS_MAX_FREE_NUMBERS 4096

static GsObject *number_alloc(GsThread *ts, GsType *type)
{
    GsInterp *in = ts->interp;
    GsObject *o = in->free_numbers;
    if (!o)
        return gs_alloc(ts, type, sizeof(GsInt));
    in->free_numbers = (GsObject *)o->type;
    in->nfree_numbers--;
    o->refcnt = 1;
    o->type = type;
    o->serial = ++in->next_serial;
    return o;
}

/* THE TRASHCAN.  Freeing a container drops its references, which may free
 * another container, and so on: `a = [a]` a million times, then `del a`,
 * would recurse a million C frames deep.  Like CPython's trashcan, past a
 * depth we park containers on a per-thread list and free them from the
 * outermost call, iteratively.  The parked object is already untracked by
 * the collector, so its GC header's `next` field links the list. */
#define GS_TRASHCAN_DEPTH 200

static void dealloc_now(GsThread *ts, GsObject *o);

void gs_dealloc(GsThread *ts, GsObject *o)
{
    GsType *type = o->type;
    if ((type->flags & GS_TPFLAG_GC) && ts->dealloc_depth >= GS_TRASHCAN_DEPTH) {
        GsGcHead *g = gs_gc_head(o);
        if (g->next) {   /* unlink from its generation; counted when really freed */
            g->prev->next = g->next;
            g->next->prev = g->prev;
        }
        g->next = (GsGcHead *)ts->trash;
        ts->trash = o;
        return;
    }
    ts->dealloc_depth++;
    dealloc_now(ts, o);
    ts->dealloc_depth--;
    while (ts->dealloc_depth == 0 && ts->trash) {
        GsObject *t = ts->trash;
        ts->trash = (GsObject *)gs_gc_head(t)->next;
        gs_gc_head(t)->next = NULL;
        ts->dealloc_depth++;
        dealloc_now(ts, t);
        ts->dealloc_depth--;
    }
}

/* May o's type have a finalizer?  The cheap test before the real one. */
static inline bool wants_finalizer(GsType *type)
{
    return type->finalize != NULL || (type->flags & GS_TPFLAG_HAS_DEL);
}

static void dealloc_now(GsThread *ts, GsObject *o)
{
    GsType *type = o->type;
    if (((type == &gs_int_type && !gs_int_is_big(o)) || type == &gs_float_type) &&
        ts->interp->nfree_numbers < GS_MAX_FREE_NUMBERS) {
        if (ts->interp->on_ref)
            ts->interp->on_ref(ts, o, 0);
        o->type = (GsType *)ts->interp->free_numbers;
        ts->interp->free_numbers = o;
        ts->interp->nfree_numbers++;
        return;
    }
    /* `__del__` (or a generator's close) runs first, while o is whole;
     * it may keep o alive (finalize.c). */
    if (wants_finalizer(type) && gs_finalize_from_dealloc(ts, o))
        return;
    if (type->flags & GS_TPFLAG_GC)
        gs_gc_untrack(ts, o);
    if (ts->interp->on_ref)
        ts->interp->on_ref(ts, o, 0);   /* 0: deallocated */
    /* An exception being raised must survive the destructors it triggers. */
    if (type->dealloc)
        type->dealloc(ts, o);
    gs_free_memory(ts, o);
    if (type->flags & GS_TPFLAG_HEAPTYPE)
        gs_decref(ts, (GsObject *)type);
}

/* ---- static type boilerplate -------------------------------------------- */

#define GS_STATIC_HEAD { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 }

static GsObject *none_repr(GsThread *ts, GsObject *o) { return gs_str_from(ts, "None"); }
static GsObject *notimpl_repr(GsThread *ts, GsObject *o) { return gs_str_from(ts, "NotImplemented"); }
static GsObject *ellipsis_repr(GsThread *ts, GsObject *o) { return gs_str_from(ts, "Ellipsis"); }
static int none_truth(GsThread *ts, GsObject *o) { return 0; }
static int64_t identity_hash(GsThread *ts, GsObject *o)
{
    /* CPython hashes by address; we hash by allocation serial where there
     * is one, so that runs are reproducible. */
    if (o->serial)
        return o->serial;
    return (int64_t)(((uintptr_t)o >> 4) & 0x7fffffffffffffff);
}

GsType gs_none_type = { .ob = GS_STATIC_HEAD, .name = "NoneType", .base = &gs_object_type,
    .size = sizeof(GsObject), .repr = none_repr, .truth = none_truth, .hash = identity_hash };
GsType gs_notimpl_type = { .ob = GS_STATIC_HEAD, .name = "NotImplementedType",
    .base = &gs_object_type, .size = sizeof(GsObject), .repr = notimpl_repr };
GsType gs_ellipsis_type = { .ob = GS_STATIC_HEAD, .name = "ellipsis", .base = &gs_object_type,
    .size = sizeof(GsObject), .repr = ellipsis_repr };

GsObject gs_none_obj = { GS_IMMORTAL_REFCNT, &gs_none_type, 0, 0 };
GsObject gs_notimpl_obj = { GS_IMMORTAL_REFCNT, &gs_notimpl_type, 0, 0 };
GsObject gs_ellipsis_obj = { GS_IMMORTAL_REFCNT, &gs_ellipsis_type, 0, 0 };

/* ---- object and instances -------------------------------------------------- */

static GsObject *object_repr(GsThread *ts, GsObject *o)
{
    GsType *t = o->type;
    GsObject *mod = t->dict ? gs_dict_get(ts, t->dict, GS_NAME(ts, __module__)) : NULL;
    if (mod && GS_IS_STR(mod) && strcmp(gs_str_cstr(mod), "builtins") != 0)
        return gs_str_printf(ts, "<%s.%s object at %#llx>", gs_str_cstr(mod), t->name,
                             (unsigned long long)(uintptr_t)o);
    return gs_str_printf(ts, "<%s object at %#llx>", t->name, (unsigned long long)(uintptr_t)o);
}

/* object() and instances of guest classes that derive from object. */
static GsObject *object_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    if (gs_object_check_new_args(ts, type, nargs) < 0)
        return NULL;
    return gs_alloc(ts, type, type->size);
}

/* object.__new__(cls, *args): what a class's own __new__ calls on. */
static GsObject *object_m_new(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (!GS_IS_TYPE(self))
        return gs_err_set(ts, &gs_exc_TypeError, "object.__new__(X): X is not a type object (%s)",
                          self->type->name);
    GsType *t = (GsType *)self, *b = gs_type_builtin_base(t);
    if (b != &gs_object_type)
        return gs_err_set(ts, &gs_exc_TypeError, "object.__new__(%s) is not safe, use %s.__new__()",
                          t->name, b->name);
    return object_new(ts, t, args, nargs, kwnames);
}

static GsObject *object_sizeof(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                               GsObject *kwnames)
{
    if (gs_check_nargs(ts, "__sizeof__", nargs, 0, 0) < 0)
        return NULL;
    int64_t n = gs_sizeof(ts, self);
    return n < 0 ? NULL : gs_int_new(ts, n);
}

/* Attribute lookup on an instance: data in the instance's __dict__ wins over
 * the class's attributes; functions found on the class come back bound. */
/* object.__getattribute__ (CPython's PyObject_GenericGetAttr); `hook`: a
 * miss goes on to the class's __getattr__, as the attribute slot of a
 * guest class does (slot_tp_getattr_hook). */
static GsObject *generic_getattr(GsThread *ts, GsObject *o, GsObject *name, bool hook)
{
    GsObject *attr = gs_type_lookup(o->type, name);
    /* A data descriptor (a property) comes before the instance's dict;
     * anything else in the class, after it (descr.c). */
    if (attr && attr->type != &gs_function_type && gs_descr_is_data(ts, attr))
        return gs_descr_get(ts, attr, o, o->type);
    GsObject **dp = gs_dictptr(o);
    if (dp) {
        GsObject *d = *dp;
        GsObject *v = d ? gs_dict_get(ts, d, name) : NULL;
        if (v)
            return gs_newref(ts, v);
        if (name == GS_NAME(ts, __dict__)) {
            if (!d && !(d = *dp = gs_dict_new(ts)))
                return NULL;
            ((GsDict *)d)->instance_dict = true;
            return gs_newref(ts, d);
        }
    }
    if (name == GS_NAME(ts, __class__))
        return gs_newref(ts, (GsObject *)o->type);
    if (attr) {
        if (attr->type == &gs_cfunction_type && !((GsCFunction *)attr)->self)
            return gs_cfunction_new(ts, ((GsCFunction *)attr)->name, ((GsCFunction *)attr)->fn, o);
        return gs_descr_get(ts, attr, o, o->type);
    }
    GsObject *ga = hook ? gs_type_lookup(o->type, GS_NAME(ts, __getattr__)) : NULL;
    if (ga && ga->type == &gs_function_type) {
        GsObject *argv[2] = { o, name };
        return gs_function_call(ts, ga, argv, 2, NULL);
    }
    return gs_err_set(ts, &gs_exc_AttributeError, "'%s' object has no attribute '%s'",
                      o->type->name, gs_str_cstr(name));
}

GsObject *gs_generic_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    return generic_getattr(ts, o, name, true);
}

/* ---- guest classes that define __getattribute__, __setattr__, __delattr__ ----
 * Such a class gets these slots (gs_class_new, type_setattr): every
 * attribute access of its instances goes through the guest's method, as
 * CPython's slot_tp_getattr_hook and slot_tp_setattro do.  Other classes
 * never pay for the look-up. */

static GsObject *guest_method(GsObject *o, GsObject *name)
{
    GsObject *f = gs_type_lookup(o->type, name);
    return f && f->type == &gs_function_type ? f : NULL;
}

static GsObject *hook_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsObject *f = guest_method(o, GS_NAME(ts, __getattribute__));
    if (!f) {
        GsType *b = gs_type_builtin_base(o->type);
        return b->getattr && b->getattr != hook_getattr ? b->getattr(ts, o, name)
                                                        : gs_generic_getattr(ts, o, name);
    }
    GsObject *argv[2] = { o, name };
    GsObject *r = gs_function_call(ts, f, argv, 2, NULL);
    if (r || !gs_err_matches(ts, &gs_exc_AttributeError))
        return r;
    GsObject *ga = guest_method(o, GS_NAME(ts, __getattr__));
    if (!ga)
        return NULL;
    gs_err_clear(ts);
    return gs_function_call(ts, ga, argv, 2, NULL);
}

static int hook_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    GsObject *f = guest_method(o, v ? GS_NAME(ts, __setattr__) : GS_NAME(ts, __delattr__));
    if (!f)
        return gs_generic_setattr(ts, o, name, v);
    GsObject *argv[3] = { o, name, v };
    GsObject *r = gs_function_call(ts, f, argv, v ? 3 : 2, NULL);
    gs_xdecref(ts, r);
    return r ? 0 : -1;
}

/* Give t the hook slots if it (or a class in its MRO) defines the methods,
 * the built-in base's slots if not; then the same for its subclasses,
 * which inherit the change (C.__setattr__ = f after class D(C) was made). */
void gs_type_set_attribute_hooks(GsThread *ts, GsType *t)
{
    GsType *b = gs_type_builtin_base(t);
    t->getattr = b->getattr ? b->getattr : gs_generic_getattr;
    t->setattr = b->setattr ? b->setattr : gs_generic_setattr;
    GsObject *ga = gs_type_lookup(t, GS_NAME(ts, __getattribute__));
    if (ga && ga->type == &gs_function_type)
        t->getattr = hook_getattr;
    GsObject *sa = gs_type_lookup(t, GS_NAME(ts, __setattr__));
    GsObject *da = gs_type_lookup(t, GS_NAME(ts, __delattr__));
    if ((sa && sa->type == &gs_function_type) || (da && da->type == &gs_function_type))
        t->setattr = hook_setattr;
    t->flags &= ~(unsigned)(GS_TPFLAG_HAS_DEL | GS_TPFLAG_GUEST_NEW);
    if (gs_type_lookup(t, GS_NAME(ts, __del__)))
        t->flags |= GS_TPFLAG_HAS_DEL;
    /* __new__ is a staticmethod; a built-in one (object.__new__) is the
     * built-in base's constructor, not a guest's (typeobject.c, guest_new) */
    GsObject *nw = gs_type_lookup(t, GS_NAME(ts, __new__));
    if (nw && nw->type == &gs_staticmethod_type)
        nw = gs_descr_get(ts, nw, NULL, t);
    else if (nw)
        gs_incref(ts, nw);
    if (nw && nw->type != &gs_cfunction_type)
        t->flags |= GS_TPFLAG_GUEST_NEW;
    gs_xdecref(ts, nw);
    for (size_t i = 0; i < t->nsubclasses; i++)
        gs_type_set_attribute_hooks(ts, t->subclasses[i]);
}

/* object.__init_subclass__: what super().__init_subclass__() reaches at
 * the top; it takes nothing (the keywords were the subclass's to take). */
static GsObject *object_init_subclass(GsThread *ts, GsObject *self, GsObject *const *args,
                                      size_t nargs, GsObject *kwnames)
{
    if (nargs) {
        const char *who = GS_IS_TYPE(self) ? ((GsType *)self)->name : self->type->name;
        return gs_err_set(ts, &gs_exc_TypeError, "%s.__init_subclass__() takes no %s", who,
                          kwnames ? "keyword arguments" : "arguments");
    }
    return gs_newref(ts, GS_NONE);
}

static GsObject *object_getattribute(GsThread *ts, GsObject *self, GsObject *const *args,
                                     size_t nargs, GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "__getattribute__", kwnames) < 0 ||
        gs_check_nargs(ts, "__getattribute__", nargs, 1, 1) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "attribute name must be string, not '%s'",
                          args[0]->type->name);
    GsType *b = gs_type_builtin_base(self->type);
    if (b->getattr && b->getattr != gs_generic_getattr && b->getattr != hook_getattr)
        return b->getattr(ts, self, args[0]);
    return generic_getattr(ts, self, args[0], false);
}

static GsObject *object_setattr_m(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    bool set = nargs == 2;
    const char *fname = set ? "__setattr__" : "__delattr__";
    if (gs_check_no_kw(ts, fname, kwnames) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "attribute name must be string, not '%s'",
                          args[0]->type->name);
    GsType *b = gs_type_builtin_base(self->type);
    int r = b->setattr && b->setattr != gs_generic_setattr && b->setattr != hook_setattr
                ? b->setattr(ts, self, args[0], set ? args[1] : NULL)
                : gs_generic_setattr(ts, self, args[0], set ? args[1] : NULL);
    return r < 0 ? NULL : gs_newref(ts, GS_NONE);
}

static GsObject *object_setattr(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    if (gs_check_nargs(ts, "__setattr__", nargs, 2, 2) < 0)
        return NULL;
    return object_setattr_m(ts, self, args, nargs, kwnames);
}

static GsObject *object_delattr(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    if (gs_check_nargs(ts, "__delattr__", nargs, 1, 1) < 0)
        return NULL;
    return object_setattr_m(ts, self, args, nargs, kwnames);
}

/* obj.__class__ = cls: allowed between classes (not built-in types) whose
 * instances are laid out alike, as in CPython. */
static int set_class(GsThread *ts, GsObject *o, GsObject *v)
{
    if (!v) {
        gs_err_set(ts, &gs_exc_TypeError, "can't delete __class__ attribute");
        return -1;
    }
    if (!GS_IS_TYPE(v)) {
        gs_err_set(ts, &gs_exc_TypeError, "__class__ must be set to a class, not '%s' object",
                   v->type->name);
        return -1;
    }
    GsType *old = o->type, *new = (GsType *)v;
    if (!(old->flags & GS_TPFLAG_HEAPTYPE) || !(new->flags & GS_TPFLAG_HEAPTYPE)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "__class__ assignment only supported for heap types or ModuleType subclasses");
        return -1;
    }
    if (gs_type_check_layout(ts, old, new, "__class__") < 0)
        return -1;
    /* Instances keep their class alive (gs_alloc). */
    gs_incref(ts, v);
    o->type = new;
    gs_decref(ts, (GsObject *)old);
    return 0;
}

int gs_generic_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    if (gs_str_eq(name, GS_NAME(ts, __class__)))
        return set_class(ts, o, v);
    GsObject *attr = gs_type_lookup(o->type, name);
    if (attr && attr->type != &gs_function_type && gs_descr_is_data(ts, attr))
        return gs_descr_set(ts, attr, o, v);
    GsObject **dp = gs_dictptr(o);
    if (!dp) {
        if (gs_type_lookup(o->type, name))
            gs_err_set(ts, &gs_exc_AttributeError, "'%s' object attribute '%s' is read-only",
                       o->type->name, gs_str_cstr(name));
        else
            gs_err_set(ts, &gs_exc_AttributeError, "'%s' object has no attribute '%s'",
                       o->type->name, gs_str_cstr(name));
        return -1;
    }
    if (!*dp) {
        if (!(*dp = gs_dict_new(ts)))
            return -1;
        ((GsDict *)*dp)->instance_dict = true;
    }
    if (v)
        return gs_dict_set(ts, *dp, name, v);
    int r = gs_dict_del(ts, *dp, name);
    if (r == 0) {
        gs_err_set(ts, &gs_exc_AttributeError, "%s", gs_str_cstr(name));
        return -1;
    }
    return r < 0 ? -1 : 0;
}

static GsObject *object_init(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    if (gs_object_check_init_args(ts, self, nargs) < 0)
        return NULL;
    return gs_newref(ts, GS_NONE);
}

static const GsMethodDef object_methods[] = {
    { "__init__", object_init },
    { "__new__", object_m_new },        /* made a staticmethod by fill_type_dict */
    { "__sizeof__", object_sizeof },
    { "__getattribute__", object_getattribute },
    { "__init_subclass__", object_init_subclass },
    { "__setattr__", object_setattr },
    { "__delattr__", object_delattr },
    { NULL, NULL },
};

GsType gs_object_type = { .ob = GS_STATIC_HEAD, .name = "object", .base = NULL,
    .size = sizeof(GsObject), .flags = GS_TPFLAG_BASETYPE, .methods = object_methods,
    .repr = object_repr, .hash = identity_hash, .new_ = object_new,
    .getattr = gs_generic_getattr, .setattr = gs_generic_setattr };

/* ---- bool, int and float ---------------------------------------------------- */

static GsObject *bool_repr(GsThread *ts, GsObject *o)
{
    return gs_str_from(ts, o == GS_TRUE ? "True" : "False");
}

/* Digits from the right, straight into a buffer: str(i) is common in the
 * programs a course runs (dict keys, output), and printf's "%lld" cost
 * more than the rest of str(i) together. */
static GsObject *int_repr(GsThread *ts, GsObject *o)
{
    if (gs_int_is_big(o))
        return gs_int_to_decimal(ts, o);
    int64_t v = gs_int_value(o);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char buf[24], *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return gs_str_new(ts, p, (size_t)(buf + sizeof buf - p));
}

/* CPython's: the value modulo 2**61 - 1 with its sign, so that equal
 * numbers hash equal across int and float (bigint.c). */
static int64_t int_hash(GsThread *ts, GsObject *o) { return gs_int_hash(o); }

static int int_truth(GsThread *ts, GsObject *o) { return gs_int_sign(o) != 0; }

static void int_dealloc(GsThread *ts, GsObject *o) { gs_int_clear_big(o); }

/* int(x), int(str, base) */
static GsObject *invalid_literal(GsThread *ts, GsObject *s, int base)
{
    GsObject *r = gs_repr(ts, s);
    if (!r)
        return NULL;
    gs_err_set(ts, &gs_exc_ValueError, "invalid literal for int() with base %d: %s", base,
               gs_str_cstr(r));
    gs_decref(ts, r);
    return NULL;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* int(s, base) as Python reads it: optional sign, a 0x/0o/0b prefix that
 * matches the base (base 0 takes the base from it), underscores between
 * digits, surrounding whitespace. */
static GsObject *int_parse(GsThread *ts, GsObject *s, int base)
{
    const char *p = gs_str_cstr(s), *end = p + ((GsStr *)s)->nbytes;
    int given = base;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    if (end - p >= 2 && p[0] == '0') {
        char x = (char)(p[1] | 0x20);
        int pb = x == 'x' ? 16 : x == 'o' ? 8 : x == 'b' ? 2 : 0;
        if (pb && (base == 0 || base == pb)) {
            base = pb;
            p += 2;
            if (p < end && *p == '_')
                p++;
        }
    }
    if (base == 0) {
        base = 10;
        /* Python forbids "010" in base 0 (it would be octal in C). */
        for (const char *q = p; q < end && *q == '0'; q++)
            if (q + 1 < end && q[1] != '0' && q[1] != '_')
                return invalid_literal(ts, s, given);
    }
    /* Check the digits and gather them without the underscores; up to 18
     * decimal digits (any base: at most 64 bits) are summed here, longer
     * strings go to GMP (bigint.c), which also applies the digit limit. */
    GsBuf digits;
    gs_buf_init(&digits);
    bool prev_us = true;
    for (; p < end; p++) {
        if (*p == '_') {
            if (prev_us)
                break;
            prev_us = true;
            continue;
        }
        if (digit_value(*p) >= base)
            break;
        gs_buf_putc(&digits, *p);
        prev_us = false;
    }
    if (p < end || digits.len == 0 || prev_us) {
        gs_buf_free(&digits);
        return invalid_literal(ts, s, given);
    }
    GsObject *r;
    if (digits.len <= 12) {
        int64_t v = 0;
        for (size_t i = 0; i < digits.len; i++)
            v = v * base + digit_value(digits.data[i]);
        r = gs_int_new(ts, neg ? -v : v);
    } else {
        r = gs_int_from_digits(ts, digits.data, digits.len, base, neg);
    }
    gs_buf_free(&digits);
    return r;
}

static GsObject *int_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                         GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "int", kwnames) < 0 || gs_check_nargs(ts, "int", nargs, 0, 2) < 0)
        return NULL;
    if (nargs == 0)
        return gs_int_new(ts, 0);
    GsObject *x = args[0];
    if (nargs == 2) {
        if (!GS_IS_INT(args[1]))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "'%s' object cannot be interpreted as an integer",
                              args[1]->type->name);
        int64_t base = gs_int_clamped(args[1]);
        if (base != 0 && (base < 2 || base > 36))
            return gs_err_set(ts, &gs_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
        if (!GS_IS_STR(x))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "int() can't convert non-string with explicit base");
        return int_parse(ts, x, (int)base);
    }
    if (x->type == &gs_int_type)
        return gs_newref(ts, x);
    if (x->type == &gs_bool_type)
        return gs_int_new(ts, gs_int_value(x));   /* True and False are small */
    if (GS_IS_FLOAT(x))
        return gs_int_from_double(ts, gs_float_value(x));
    if (GS_IS_STR(x))
        return int_parse(ts, x, 10);
    return gs_err_set(ts, &gs_exc_TypeError,
                      "int() argument must be a string, a bytes-like object or a number, not '%s'",
                      x->type->name);
}

static GsObject *bool_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "bool", kwnames) < 0 || gs_check_nargs(ts, "bool", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 0)
        return gs_newref(ts, GS_FALSE);
    int t = gs_truth(ts, args[0]);
    return t < 0 ? NULL : gs_newref(ts, gs_bool(t));
}

/* The same value as an exact int (True -> 1): new reference. */
static GsObject *int_exact(GsThread *ts, GsObject *o)
{
    if (o->type == &gs_int_type)
        return gs_newref(ts, o);
    return gs_int_new(ts, gs_int_value(o));   /* a bool: always small */
}

/* int's data attributes (CPython has them as getset descriptors). */
static GsObject *int_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    const char *n = gs_str_cstr(name);
    if (!strcmp(n, "real") || !strcmp(n, "numerator"))
        return int_exact(ts, o);
    if (!strcmp(n, "imag"))
        return gs_int_new(ts, 0);
    if (!strcmp(n, "denominator"))
        return gs_int_new(ts, 1);
    return gs_generic_getattr(ts, o, name);
}

static GsObject *int_bit_length(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "bit_length", kwnames) < 0 ||
        gs_check_nargs(ts, "bit_length", nargs, 0, 0) < 0)
        return NULL;
    return gs_int_new(ts, gs_int_bit_length(self));
}

static GsObject *int_conjugate(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    return int_exact(ts, self);
}

/* The byteorder and signed arguments of to_bytes and from_bytes:
 * (..., byteorder, *, signed=False), byteorder positional or keyword. */
static int bytes_args(GsThread *ts, const char *fname, GsObject *const *args, size_t nargs,
                      GsObject *kwnames, size_t npos, GsObject **first, bool *little,
                      bool *is_signed)
{
    GsObject *given[2] = { NULL, NULL };   /* the first argument, byteorder */
    GsObject *sig = NULL;
    size_t nkw = kwnames ? ((GsTuple *)kwnames)->len : 0;
    if (nargs - nkw > npos)
        return gs_err_set(ts, &gs_exc_TypeError, "%s() takes at most %zu positional arguments"
                          " (%zu given)", fname, npos, nargs - nkw) ? -1 : -1;
    for (size_t i = 0; i < nargs - nkw; i++)
        given[i] = args[i];
    for (size_t i = 0; i < nkw; i++) {
        const char *k = gs_str_cstr(((GsTuple *)kwnames)->items[i]);
        GsObject *v = args[nargs - nkw + i];
        if (!strcmp(k, "signed"))
            sig = v;
        else if (!strcmp(k, "byteorder") && !given[1])
            given[1] = v;
        else if (!strcmp(k, npos == 2 ? "length" : "bytes") && !given[0])
            given[0] = v;
        else
            return gs_err_set(ts, &gs_exc_TypeError,
                              "%s() got an unexpected keyword argument '%s'", fname, k)
                       ? -1 : -1;
    }
    if (!given[0] || !given[1])
        return gs_err_set(ts, &gs_exc_TypeError, "%s() missing required argument '%s' (pos %d)",
                          fname, !given[0] ? (npos == 2 ? "length" : "bytes") : "byteorder",
                          !given[0] ? 1 : 2) ? -1 : -1;
    if (!GS_IS_STR(given[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "%s() argument 'byteorder' must be str, not %s",
                          fname, given[1]->type->name) ? -1 : -1;
    const char *order = gs_str_cstr(given[1]);
    if (strcmp(order, "little") && strcmp(order, "big"))
        return gs_err_set(ts, &gs_exc_ValueError,
                          "byteorder must be either 'little' or 'big'") ? -1 : -1;
    *little = !strcmp(order, "little");
    int t = sig ? gs_truth(ts, sig) : 0;
    if (t < 0)
        return -1;
    *is_signed = t;
    *first = given[0];
    return 0;
}

static GsObject *int_to_bytes(GsThread *ts, GsObject *self, GsObject *const *args,
                              size_t nargs, GsObject *kwnames)
{
    GsObject *length;
    bool little, is_signed;
    if (bytes_args(ts, "to_bytes", args, nargs, kwnames, 2, &length, &little, &is_signed) < 0)
        return NULL;
    if (!GS_IS_INT(length))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "'%s' object cannot be interpreted as an integer",
                          length->type->name);
    int64_t n;
    if (gs_int_to_int64(ts, length, &n, "Python int too large to convert to C ssize_t") < 0)
        return NULL;
    if (n > ((int64_t)1 << 31))
        return gs_err_set(ts, &gs_exc_MemoryError, "to_bytes: length too large for gilscope");
    return gs_int_to_bytes(ts, self, n, little, is_signed);
}

/* int.from_bytes(bytes, byteorder, *, signed=False): a class method,
 * stored in int's dict bound to the type (interp.c, as dict.fromkeys). */
GsObject *gs_int_from_bytes_cfunc(GsThread *ts, GsObject *self, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    GsObject *data;
    bool little, is_signed;
    if (bytes_args(ts, "from_bytes", args, nargs, kwnames, 2, &data, &little, &is_signed) < 0)
        return NULL;
    if (data->type == &gs_bytes_type) {
        GsBytes *b = (GsBytes *)data;
        return gs_int_from_bytes(ts, b->data, b->len, little, is_signed);
    }
    /* Any iterable of small ints, as bytes(iterable) takes. */
    GsObject *b = gs_call(ts, (GsObject *)&gs_bytes_type, &data, 1, NULL);
    if (!b)
        return NULL;
    GsObject *r = gs_int_from_bytes(ts, ((GsBytes *)b)->data, ((GsBytes *)b)->len, little,
                                    is_signed);
    gs_decref(ts, b);
    return r;
}

static const GsMethodDef int_methods[] = {
    { "bit_length", int_bit_length }, { "conjugate", int_conjugate },
    { "to_bytes", int_to_bytes }, { NULL, NULL },
};

GsType gs_int_type = { .ob = GS_STATIC_HEAD, .name = "int", .base = &gs_object_type,
    .size = sizeof(GsInt), .repr = int_repr, .hash = int_hash, .truth = int_truth,
    .new_ = int_new, .getattr = int_getattr, .methods = int_methods,
    .dealloc = int_dealloc };
GsType gs_bool_type = { .ob = GS_STATIC_HEAD, .name = "bool", .base = &gs_int_type,
    .size = sizeof(GsInt), .repr = bool_repr, .hash = int_hash, .truth = int_truth,
    .new_ = bool_new, .getattr = int_getattr };

GsInt gs_true_obj = { { GS_IMMORTAL_REFCNT, &gs_bool_type, 0, 0 }, 1 };
GsInt gs_false_obj = { { GS_IMMORTAL_REFCNT, &gs_bool_type, 0, 0 }, 0 };

/* The shared small ints -5..256, as in CPython: `x = 5` never allocates. */
GsInt gs_small_ints[GS_SMALL_MAX - GS_SMALL_MIN + 1];

GsObject *gs_small_int(int64_t v)
{
    return (GsObject *)&gs_small_ints[v - GS_SMALL_MIN];
}

GsObject *gs_int_alloc(GsThread *ts, int64_t v)
{
    if (v >= GS_SMALL_MIN && v <= GS_SMALL_MAX)
        return gs_small_int(v);   /* immortal: no incref needed */
    GsInt *o = (GsInt *)number_alloc(ts, &gs_int_type);
    if (o)
        o->value = v;
    return (GsObject *)o;
}

/* int64_t holds exactly the doubles in [-2**63, 2**63).  Note the upper
 * bound: (double)INT64_MAX rounds up to 2**63, which does not fit, so the
 * test must be `< 0x1p63`, never `<= INT64_MAX`.  NaN fails both tests. */
static bool double_fits_int64(double d)
{
    return d >= -0x1p63 && d < 0x1p63;
}

int gs_double_to_int64(GsThread *ts, double d, int64_t *out)
{
    if (isnan(d)) {
        gs_err_set(ts, &gs_exc_ValueError, "cannot convert float NaN to integer");
        return -1;
    }
    if (isinf(d)) {
        gs_err_set(ts, &gs_exc_OverflowError, "cannot convert float infinity to integer");
        return -1;
    }
    if (!double_fits_int64(d)) {
        gs_err_set(ts, &gs_exc_OverflowError, "Python int too large to convert to C long");
        return -1;
    }
    *out = (int64_t)d;   /* in range: the cast truncates toward zero, exactly */
    return 0;
}

GsObject *gs_int_from_double(GsThread *ts, double d)
{
    if (isfinite(d) && !double_fits_int64(d)) {
        mpz_t z;   /* a huge float is an integer already: GMP converts it exactly */
        mpz_init_set_d(z, d);
        return gs_int_take_mpz(ts, z);
    }
    int64_t v;
    return gs_double_to_int64(ts, d, &v) < 0 ? NULL : gs_int_new(ts, v);
}

int gs_int_double_cmp(int64_t i, double d)
{
    if (d >= 0x1p63)
        return -1;
    if (d < -0x1p63)
        return 1;
    /* Now trunc(d) is an int64: compare the integer parts exactly, and on a
     * tie let d's fraction (d - trunc(d), exact in binary) decide. */
    double whole = trunc(d);
    int64_t t = (int64_t)whole;
    if (i != t)
        return i < t ? -1 : 1;
    double frac = d - whole;
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

static GsObject *float_repr(GsThread *ts, GsObject *o)
{
    GsBuf b;
    gs_buf_init(&b);
    gs_format_float_repr(&b, gs_float_value(o));
    return gs_buf_finish(ts, &b);
}

/* Equal numbers must hash equal across int and float (hash(1.0) == hash(1)),
 * so a float hashes as CPython's _Py_HashDouble does: its exact rational
 * value m * 2**e reduced modulo the prime P = 2**61 - 1, as int hashes are.
 * The mantissa is taken 28 bits at a time; multiplying by 2**k modulo P
 * is a rotation of 61-bit words, because 2**61 == 1 (mod P). */
#define FLOAT_HASH_BITS 61
#define FLOAT_HASH_MODULUS (((uint64_t)1 << FLOAT_HASH_BITS) - 1)
static int64_t float_hash(GsThread *ts, GsObject *o)
{
    double d = gs_float_value(o);
    if (isnan(d))
        return identity_hash(ts, o);
    if (isinf(d))
        return d > 0 ? 314159 : -314159;
    int e;
    double m = frexp(d, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & FLOAT_HASH_MODULUS) | x >> (FLOAT_HASH_BITS - 28);
        m *= 268435456.0;   /* 2**28 */
        e -= 28;
        uint64_t y = (uint64_t)m;   /* the next 28 bits */
        m -= (double)y;
        x += y;
        if (x >= FLOAT_HASH_MODULUS)
            x -= FLOAT_HASH_MODULUS;
    }
    /* times 2**e: e reduced modulo 61 (into 0..60) is a rotation */
    e = e >= 0 ? e % FLOAT_HASH_BITS : FLOAT_HASH_BITS - 1 - ((-1 - e) % FLOAT_HASH_BITS);
    x = ((x << e) & FLOAT_HASH_MODULUS) | x >> (FLOAT_HASH_BITS - e);
    int64_t h = (int64_t)x * sign;
    return h == -1 ? -2 : h;
}

static int float_truth(GsThread *ts, GsObject *o) { return gs_float_value(o) != 0.0; }

static GsObject *float_parse(GsThread *ts, GsObject *s)
{
    const char *p = gs_str_cstr(s);
    char buf[128];
    size_t n = 0;
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    for (; *p && n < sizeof buf - 1; p++)
        if (*p != '_')
            buf[n++] = *p;
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\n' || buf[n - 1] == '\t'))
        n--;
    buf[n] = 0;
    char *end;
    double d = strtod(buf, &end);
    if (n == 0 || *end) {
        GsObject *r = gs_repr(ts, s);
        if (!r)
            return NULL;
        gs_err_set(ts, &gs_exc_ValueError, "could not convert string to float: %s",
                   gs_str_cstr(r));
        gs_decref(ts, r);
        return NULL;
    }
    return gs_float_new(ts, d);
}

static GsObject *float_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "float", kwnames) < 0 ||
        gs_check_nargs(ts, "float", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 0)
        return gs_float_new(ts, 0.0);
    GsObject *x = args[0];
    if (GS_IS_FLOAT(x))
        return gs_newref(ts, x);
    if (GS_IS_INT(x)) {
        double d;   /* correctly rounded; OverflowError past the largest double */
        return gs_int_to_double(ts, x, &d) < 0 ? NULL : gs_float_new(ts, d);
    }
    if (GS_IS_STR(x))
        return float_parse(ts, x);
    return gs_err_set(ts, &gs_exc_TypeError,
                      "float() argument must be a string or a number, not '%s'", x->type->name);
}

static GsObject *float_is_integer(GsThread *ts, GsObject *self, GsObject *const *args,
                                  size_t nargs, GsObject *kwnames)
{
    double d = gs_float_value(self);
    return gs_newref(ts, gs_bool(isfinite(d) && d == floor(d)));
}

static const GsMethodDef float_methods[] = {
    { "is_integer", float_is_integer },
    { NULL, NULL },
};

GsType gs_float_type = { .ob = GS_STATIC_HEAD, .name = "float", .base = &gs_object_type,
    .size = sizeof(GsFloat), .repr = float_repr, .hash = float_hash, .truth = float_truth,
    .new_ = float_new, .methods = float_methods };

GsObject *gs_float_new(GsThread *ts, double v)
{
    GsFloat *o = (GsFloat *)number_alloc(ts, &gs_float_type);
    if (o)
        o->value = v;
    return (GsObject *)o;
}

/* ---- range and slice ------------------------------------------------------- */

/* A range's length can exceed INT64_MAX (range(-2**63, 2**63-1) has
 * 2**64-1 items): lengths and positions are computed in 128 bits, and a
 * length that does not fit is stored as -1 ("huge"). */
typedef gs_wide wide;

static wide range_wide_length(int64_t start, int64_t stop, int64_t step)
{
    if (step > 0 && start < stop)
        return ((wide)stop - start - 1) / step + 1;
    if (step < 0 && start > stop)
        return ((wide)start - stop - 1) / -(wide)step + 1;
    return 0;
}

static int64_t range_length(int64_t start, int64_t stop, int64_t step)
{
    wide n = range_wide_length(start, stop, step);
    return n > INT64_MAX ? -1 : (int64_t)n;
}

GsObject *gs_range_new(GsThread *ts, int64_t start, int64_t stop, int64_t step)
{
    GsRange *r = (GsRange *)gs_alloc(ts, &gs_range_type, sizeof(GsRange));
    if (!r)
        return NULL;
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->len = range_length(start, stop, step);
    return (GsObject *)r;
}

static int need_int(GsThread *ts, GsObject *o, int64_t *out)
{
    if (!GS_IS_INT(o)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "'%s' object cannot be interpreted as an integer", o->type->name);
        return -1;
    }
    /* CPython's ranges take ints of any size; gilscope's hold int64 bounds
     * and say so rather than clamp. */
    return gs_int_to_int64(ts, o, out, "range() bounds beyond 64 bits are not supported "
                           "by gilscope (CPython allows them)");
}

static GsObject *range_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "range", kwnames) < 0)
        return NULL;
    if (nargs == 0)
        return gs_err_set(ts, &gs_exc_TypeError, "range expected 1 argument, got 0");
    if (nargs > 3)
        return gs_err_set(ts, &gs_exc_TypeError, "range expected at most 3 arguments, got %zu",
                          nargs);
    int64_t v[3] = { 0, 0, 1 };
    for (size_t i = 0; i < nargs; i++)
        if (need_int(ts, args[i], &v[i]) < 0)
            return NULL;
    if (nargs == 1) {
        v[1] = v[0];
        v[0] = 0;
    }
    if (v[2] == 0)
        return gs_err_set(ts, &gs_exc_ValueError, "range() arg 3 must not be zero");
    return gs_range_new(ts, v[0], v[1], v[2]);
}

static GsObject *range_repr(GsThread *ts, GsObject *o)
{
    GsRange *r = (GsRange *)o;
    if (r->step == 1)
        return gs_str_printf(ts, "range(%lld, %lld)", (long long)r->start, (long long)r->stop);
    return gs_str_printf(ts, "range(%lld, %lld, %lld)", (long long)r->start,
                         (long long)r->stop, (long long)r->step);
}

static GsObject *range_too_big(GsThread *ts)
{
    return gs_err_set(ts, &gs_exc_OverflowError, "Python int too large to convert to C ssize_t");
}

static int64_t range_len(GsThread *ts, GsObject *o)
{
    int64_t n = ((GsRange *)o)->len;
    if (n < 0)
        range_too_big(ts);   /* as CPython: more than sys.maxsize items */
    return n;
}

static GsObject *range_getitem(GsThread *ts, GsObject *o, GsObject *key)
{
    GsRange *r = (GsRange *)o;
    wide len = range_wide_length(r->start, r->stop, r->step);
    if (key->type == &gs_slice_type) {
        wide start, stop, step, n;
        if (gs_slice_indices_wide(ts, key, len, &start, &stop, &step, &n) < 0)
            return NULL;
        wide s0 = (wide)r->start + (wide)start * r->step;
        wide s1 = (wide)r->start + (wide)stop * r->step;
        wide st = (wide)r->step * step;
        if (s0 < INT64_MIN || s0 > INT64_MAX || s1 < INT64_MIN || s1 > INT64_MAX ||
            st < INT64_MIN || st > INT64_MAX)
            return range_too_big(ts);
        return gs_range_new(ts, (int64_t)s0, (int64_t)s1, (int64_t)st);
    }
    if (!GS_IS_INT(key))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "range indices must be integers or slices, not %s", key->type->name);
    wide i = gs_int_value(key);
    if (i < 0)
        i += len;
    if (gs_int_is_big(key) || i < 0 || i >= len)
        return gs_err_set(ts, &gs_exc_IndexError, "range object index out of range");
    return gs_int_new(ts, (int64_t)((wide)r->start + i * r->step));
}

static int range_contains(GsThread *ts, GsObject *o, GsObject *v)
{
    GsRange *r = (GsRange *)o;
    if (!GS_IS_INT(v)) {
        wide len = range_wide_length(r->start, r->stop, r->step);
        for (wide i = 0; i < len; i++) {
            GsObject *x = gs_int_new(ts, (int64_t)((wide)r->start + i * r->step));
            if (!x)
                return -1;
            int eq = gs_equal(ts, x, v);
            gs_decref(ts, x);
            if (eq != 0)
                return eq;
        }
        return 0;
    }
    int64_t x = gs_int_value(v);
    if (gs_int_is_big(v))
        return 0;   /* a range's numbers all fit int64 */
    if (r->step > 0 ? (x < r->start || x >= r->stop) : (x > r->start || x <= r->stop))
        return 0;
    return ((wide)x - r->start) % r->step == 0;
}

static int range_truth(GsThread *ts, GsObject *o) { return ((GsRange *)o)->len != 0; }

/* Ranges are equal when they produce the same numbers (CPython 3.3+). */
static GsObject *range_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op)
{
    if ((op != GS_CMP_EQ && op != GS_CMP_NE) || b->type != &gs_range_type)
        return gs_newref(ts, GS_NOTIMPL);
    GsRange *x = (GsRange *)a, *y = (GsRange *)b;
    wide lx = range_wide_length(x->start, x->stop, x->step);
    wide ly = range_wide_length(y->start, y->stop, y->step);
    bool eq = lx == ly && (lx == 0 || (x->start == y->start && (lx == 1 || x->step == y->step)));
    return gs_newref(ts, gs_bool(eq == (op == GS_CMP_EQ)));
}

static GsObject *range_iter(GsThread *ts, GsObject *o) { return gs_iter_new(ts, o, GS_ITER_RANGE); }

GsType gs_range_type = { .ob = GS_STATIC_HEAD, .name = "range", .base = &gs_object_type,
    .size = sizeof(GsRange), .repr = range_repr, .new_ = range_new, .len = range_len,
    .truth = range_truth, .richcompare = range_richcompare,
    .getitem = range_getitem, .contains = range_contains, .iter = range_iter,
    .hash = identity_hash };

GsObject *gs_slice_new(GsThread *ts, GsObject *start, GsObject *stop, GsObject *step)
{
    GsSlice *s = (GsSlice *)gs_alloc(ts, &gs_slice_type, sizeof(GsSlice));
    if (!s)
        return NULL;
    s->start = gs_newref(ts, start ? start : GS_NONE);
    s->stop = gs_newref(ts, stop ? stop : GS_NONE);
    s->step = gs_newref(ts, step ? step : GS_NONE);
    return (GsObject *)s;
}

static void slice_dealloc(GsThread *ts, GsObject *o)
{
    GsSlice *s = (GsSlice *)o;
    gs_decref(ts, s->start);
    gs_decref(ts, s->stop);
    gs_decref(ts, s->step);
}

static GsObject *slice_repr(GsThread *ts, GsObject *o)
{
    GsSlice *s = (GsSlice *)o;
    GsBuf b;
    gs_buf_init(&b);
    gs_buf_puts(&b, "slice(");
    if (gs_buf_repr(ts, &b, s->start) < 0 || (gs_buf_puts(&b, ", "), 0) ||
        gs_buf_repr(ts, &b, s->stop) < 0 || (gs_buf_puts(&b, ", "), 0) ||
        gs_buf_repr(ts, &b, s->step) < 0) {
        gs_buf_free(&b);
        return NULL;
    }
    gs_buf_putc(&b, ')');
    return gs_buf_finish(ts, &b);
}

GsType gs_slice_type = { .ob = GS_STATIC_HEAD, .name = "slice", .base = &gs_object_type,
    .size = sizeof(GsSlice), .repr = slice_repr, .dealloc = slice_dealloc };

/* ---- cells ------------------------------------------------------------------ */

GsObject *gs_cell_new(GsThread *ts, GsObject *v)
{
    GsCell *c = (GsCell *)gs_alloc(ts, &gs_cell_type, sizeof(GsCell));
    if (c && v)
        c->ref = gs_newref(ts, v);
    return (GsObject *)c;
}

static void cell_clear(GsThread *ts, GsObject *o)
{
    GsCell *c = (GsCell *)o;
    GsObject *v = c->ref;
    c->ref = NULL;
    gs_xdecref(ts, v);
}

static int cell_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsCell *c = (GsCell *)o;
    return c->ref ? visit(c->ref, arg) : 0;
}

static GsObject *cell_repr(GsThread *ts, GsObject *o)
{
    GsCell *c = (GsCell *)o;
    if (!c->ref)
        return gs_str_printf(ts, "<cell at %p: empty>", (void *)o);
    return gs_str_printf(ts, "<cell at %p: %s object at %p>", (void *)o, c->ref->type->name,
                         (void *)c->ref);
}

/* `cell.cell_contents`: the variable's value; an unbound one (a cell made
 * before its variable is assigned, or after `del`) is CPython's
 * ValueError. */
static GsObject *cell_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsCell *c = (GsCell *)o;
    if (!gs_str_eq(name, GS_NAME(ts, cell_contents)))
        return gs_generic_getattr(ts, o, name);
    if (!c->ref)
        return gs_err_set(ts, &gs_exc_ValueError, "Cell is empty");
    return gs_newref(ts, c->ref);
}

static int cell_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    if (!gs_str_eq(name, GS_NAME(ts, cell_contents)))
        return gs_generic_setattr(ts, o, name, v);
    gs_setref(ts, &((GsCell *)o)->ref, v ? gs_newref(ts, v) : NULL);
    return 0;
}

GsType gs_cell_type = { .ob = GS_STATIC_HEAD, .name = "cell", .base = &gs_object_type,
    .size = sizeof(GsCell), .flags = GS_TPFLAG_GC, .dealloc = cell_clear,
    .traverse = cell_traverse, .clear = cell_clear, .repr = cell_repr,
    .getattr = cell_getattr, .setattr = cell_setattr };

/* ---- bound methods ----------------------------------------------------------- */

GsObject *gs_method_new(GsThread *ts, GsObject *func, GsObject *self)
{
    GsMethod *m = (GsMethod *)gs_alloc(ts, &gs_method_type, sizeof(GsMethod));
    if (!m)
        return NULL;
    m->func = gs_newref(ts, func);
    m->self = gs_newref(ts, self);
    return (GsObject *)m;
}

static void method_clear(GsThread *ts, GsObject *o)
{
    GsMethod *m = (GsMethod *)o;
    GsObject *f = m->func, *s = m->self;
    m->func = m->self = NULL;
    gs_xdecref(ts, f);
    gs_xdecref(ts, s);
}

static int method_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsMethod *m = (GsMethod *)o;
    int r = m->func ? visit(m->func, arg) : 0;
    return r ? r : m->self ? visit(m->self, arg) : 0;
}

/* Calling a bound method: prepend self to the arguments. */
static GsObject *method_call(GsThread *ts, GsObject *callee, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    GsMethod *m = (GsMethod *)callee;
    GsObject *stackargs[16];
    GsObject **argv = nargs + 1 <= 16 ? stackargs : gs_malloc(ts, (nargs + 1) * sizeof(GsObject *));
    if (!argv)
        return NULL;
    argv[0] = m->self;
    if (nargs)
        memcpy(argv + 1, args, nargs * sizeof(GsObject *));
    GsObject *r = gs_call(ts, m->func, argv, nargs + 1, kwnames);
    if (argv != stackargs)
        free(argv);
    return r;
}

static GsObject *method_repr(GsThread *ts, GsObject *o)
{
    GsMethod *m = (GsMethod *)o;
    GsObject *sr = gs_repr(ts, m->self);
    if (!sr)
        return NULL;
    GsFunction *f = (GsFunction *)m->func;
    GsObject *r = gs_str_printf(ts, "<bound method %s of %s>",
                                m->func->type == &gs_function_type ? gs_str_cstr(f->qualname) : "?",
                                gs_str_cstr(sr));
    gs_decref(ts, sr);
    return r;
}

static GsObject *method_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsMethod *m = (GsMethod *)o;
    if (name == GS_NAME(ts, __self__))
        return gs_newref(ts, m->self);
    if (name == GS_NAME(ts, __func__))
        return gs_newref(ts, m->func);
    return gs_getattr(ts, m->func, name);
}

GsType gs_method_type = { .ob = GS_STATIC_HEAD, .name = "method", .base = &gs_object_type,
    .size = sizeof(GsMethod), .flags = GS_TPFLAG_GC, .dealloc = method_clear,
    .traverse = method_traverse, .clear = method_clear, .call = method_call,
    .repr = method_repr, .getattr = method_getattr, .hash = identity_hash };

/* ---- C functions ----------------------------------------------------------------- */

GsObject *gs_cfunction_new(GsThread *ts, const char *name, GsCFunc fn, GsObject *self)
{
    GsCFunction *f = (GsCFunction *)gs_alloc(ts, &gs_cfunction_type, sizeof(GsCFunction));
    if (!f)
        return NULL;
    f->name = name;
    f->fn = fn;
    f->self = self ? gs_newref(ts, self) : NULL;
    return (GsObject *)f;
}

static void cfunction_dealloc(GsThread *ts, GsObject *o)
{
    gs_xdecref(ts, ((GsCFunction *)o)->self);
}

static int cfunction_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsCFunction *f = (GsCFunction *)o;
    return f->self ? visit(f->self, arg) : 0;
}

static void cfunction_clear(GsThread *ts, GsObject *o)
{
    GsCFunction *f = (GsCFunction *)o;
    GsObject *s = f->self;
    f->self = NULL;
    gs_xdecref(ts, s);
}

/* A C function bound to an object (or a module) gets it as `self`; an
 * unbound method of a built-in type, called as list.append(l, x), takes
 * self from the first argument after checking its type. */
static GsObject *cfunction_call(GsThread *ts, GsObject *callee, GsObject *const *args,
                                size_t nargs, GsObject *kwnames)
{
    GsCFunction *f = (GsCFunction *)callee;
    if (f->self)
        return f->fn(ts, f->self, args, nargs, kwnames);
    size_t nkw = gs_kw_count(kwnames);
    if (nargs - nkw < 1)
        return gs_err_set(ts, &gs_exc_TypeError, "descriptor '%s' of '%s' object needs an argument",
                          f->name, f->owner ? f->owner->name : "object");
    if (f->owner && !gs_type_is_subtype(args[0]->type, f->owner))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                          f->name, f->owner->name, args[0]->type->name);
    return f->fn(ts, args[0], args + 1, nargs - 1, kwnames);
}

static GsObject *cfunction_repr(GsThread *ts, GsObject *o)
{
    GsCFunction *f = (GsCFunction *)o;
    if (f->self && f->self->type != &gs_module_type)
        return gs_str_printf(ts, "<built-in method %s of %s object at %p>", f->name,
                             f->self->type->name, (void *)f->self);
    return gs_str_printf(ts, "<built-in function %s>", f->name);
}

static GsObject *cfunction_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsCFunction *f = (GsCFunction *)o;
    if (name == GS_NAME(ts, __name__) || name == GS_NAME(ts, __qualname__))
        return gs_str_from(ts, f->name);
    if (name == GS_NAME(ts, __self__))
        return gs_newref(ts, f->self ? f->self : GS_NONE);
    return gs_generic_getattr(ts, o, name);
}

GsType gs_cfunction_type = { .ob = GS_STATIC_HEAD, .name = "builtin_function_or_method",
    .getattr = cfunction_getattr,
    .base = &gs_object_type, .size = sizeof(GsCFunction), .flags = GS_TPFLAG_GC,
    .dealloc = cfunction_dealloc, .traverse = cfunction_traverse, .clear = cfunction_clear,
    .call = cfunction_call, .repr = cfunction_repr, .hash = identity_hash };

/* ---- modules ----------------------------------------------------------------- */

static void module_clear(GsThread *ts, GsObject *o)
{
    GsModule *m = (GsModule *)o;
    GsObject *n = m->name, *d = m->dict;
    m->name = m->dict = NULL;
    gs_xdecref(ts, n);
    gs_xdecref(ts, d);
}

static int module_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsModule *m = (GsModule *)o;
    return m->dict ? visit(m->dict, arg) : 0;
}

static GsObject *module_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsModule *m = (GsModule *)o;
    GsObject *v = gs_dict_get(ts, m->dict, name);
    if (v)
        return gs_newref(ts, v);
    if (name == GS_NAME(ts, __dict__))
        return gs_newref(ts, m->dict);
    return gs_err_set(ts, &gs_exc_AttributeError, "module '%s' has no attribute '%s'",
                      gs_str_cstr(m->name), gs_str_cstr(name));
}

static int module_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    GsModule *m = (GsModule *)o;
    if (v)
        return gs_dict_set(ts, m->dict, name, v);
    int r = gs_dict_del(ts, m->dict, name);
    if (r == 0)
        gs_err_set(ts, &gs_exc_AttributeError, "%s", gs_str_cstr(name));
    return r <= 0 ? -1 : 0;
}

/* As CPython's: where the module came from -- its file, or "(namespace)"
 * for a package of directories only (__file__ None), or "(built-in)" for
 * one written in C (no __file__). */
static GsObject *module_repr(GsThread *ts, GsObject *o)
{
    GsModule *m = (GsModule *)o;
    const char *name = m->name ? gs_str_cstr(m->name) : "?";
    GsObject *file = m->dict ? gs_dict_get(ts, m->dict, GS_NAME(ts, __file__)) : NULL;
    if (file && GS_IS_STR(file))
        return gs_str_printf(ts, "<module '%s' from '%s'>", name, gs_str_cstr(file));
    if (file == GS_NONE)
        return gs_str_printf(ts, "<module '%s' (namespace)>", name);
    return gs_str_printf(ts, "<module '%s' (built-in)>", name);
}

GsType gs_module_type = { .ob = GS_STATIC_HEAD, .name = "module", .base = &gs_object_type,
    .size = sizeof(GsModule), .flags = GS_TPFLAG_GC, .dealloc = module_clear,
    .traverse = module_traverse, .clear = module_clear, .getattr = module_getattr,
    .setattr = module_setattr, .repr = module_repr, .hash = identity_hash };

/* ---- iterators ---------------------------------------------------------------- */

GsObject *gs_iter_new(GsThread *ts, GsObject *seq, int kind)
{
    GsIter *it = (GsIter *)gs_alloc(ts, &gs_iter_type, sizeof(GsIter));
    if (!it)
        return NULL;
    it->seq = gs_newref(ts, seq);
    it->kind = kind;
    if (kind == GS_ITER_RANGE) {
        GsRange *r = (GsRange *)seq;
        it->cur = r->start;
        it->step = r->step;
        it->stop = r->stop;
        it->index = r->len != 0;   /* 1 while items are left */
    } else if (kind >= GS_ITER_DICT_KEYS && kind <= GS_ITER_DICT_ITEMS) {
        it->stop = (int64_t)((GsDict *)seq)->used;
    }
    return (GsObject *)it;
}

static void iter_clear(GsThread *ts, GsObject *o)
{
    GsIter *it = (GsIter *)o;
    GsObject *s = it->seq;
    it->seq = NULL;
    gs_xdecref(ts, s);
}

static int iter_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsIter *it = (GsIter *)o;
    return it->seq ? visit(it->seq, arg) : 0;
}

static GsObject *iter_self(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

static GsObject *iter_seq_next(GsThread *ts, GsIter *it)
{
    GsObject *s = it->seq;
    if (s->type == &gs_list_type) {
        GsList *l = (GsList *)s;
        if ((size_t)it->index < l->len)
            return gs_newref(ts, l->items[it->index++]);
    } else if (s->type == &gs_tuple_type) {
        GsTuple *t = (GsTuple *)s;
        if ((size_t)it->index < t->len)
            return gs_newref(ts, t->items[it->index++]);
    } else {
        /* Any object with __getitem__: iterate until IndexError (the old
         * sequence protocol). */
        GsObject *i = gs_int_new(ts, it->index);
        if (!i)
            return NULL;
        GsObject *v = gs_getitem(ts, s, i);
        gs_decref(ts, i);
        if (v) {
            it->index++;
            return v;
        }
        if (!gs_err_matches(ts, &gs_exc_IndexError) && !gs_err_matches(ts, &gs_exc_StopIteration))
            return NULL;
        gs_err_clear(ts);
    }
    return NULL;
}

static GsObject *iter_next(GsThread *ts, GsObject *o)
{
    GsIter *it = (GsIter *)o;
    GsObject *v = NULL;
    if (!it->seq)
        return NULL;
    switch (it->kind) {
    case GS_ITER_RANGE:
        if (!it->index || (it->step > 0 ? it->cur >= it->stop : it->cur <= it->stop))
            break;
        v = gs_int_new(ts, it->cur);
        /* The last step may go past INT64_MAX: then there is nothing left. */
        if (__builtin_add_overflow(it->cur, it->step, &it->cur))
            it->index = 0;
        return v;
    case GS_ITER_STR:
        if ((size_t)it->index < ((GsStr *)it->seq)->nchars)
            return gs_str_char_at(ts, it->seq, it->index++);
        break;
    case GS_ITER_BYTES:
        if ((size_t)it->index < ((GsBytes *)it->seq)->len)
            return gs_int_new(ts, ((GsBytes *)it->seq)->data[it->index++]);
        break;
    case GS_ITER_SEQ:
        v = iter_seq_next(ts, it);
        if (v || gs_err_occurred(ts))
            return v;
        break;
    default:
        v = gs_dict_iternext(ts, it);
        if (v || gs_err_occurred(ts))
            return v;
        break;
    }
    iter_clear(ts, o);   /* exhausted: let go of the sequence */
    return NULL;
}

static GsObject *iter_repr(GsThread *ts, GsObject *o)
{
    static const char *names[] = { "iterator", "range_iterator", "dict_keyiterator",
                                   "dict_valueiterator", "dict_itemiterator", "str_iterator",
                                   "bytes_iterator" };
    GsIter *it = (GsIter *)o;
    return gs_str_printf(ts, "<%s object at %p>", names[it->kind], (void *)o);
}

GsType gs_iter_type = { .ob = GS_STATIC_HEAD, .name = "iterator", .base = &gs_object_type,
    .size = sizeof(GsIter), .flags = GS_TPFLAG_GC, .dealloc = iter_clear,
    .traverse = iter_traverse, .clear = iter_clear, .iter = iter_self, .iternext = iter_next,
    .repr = iter_repr, .hash = identity_hash };

/* ---- start-up ------------------------------------------------------------------- */

void gs_types_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    for (int64_t v = GS_SMALL_MIN; v <= GS_SMALL_MAX; v++) {
        GsInt *o = &gs_small_ints[v - GS_SMALL_MIN];
        o->ob.refcnt = GS_IMMORTAL_REFCNT;
        o->ob.type = &gs_int_type;
        o->value = v;
    }
}
