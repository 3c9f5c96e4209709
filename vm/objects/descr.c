/*
 * descr.c -- property, staticmethod and classmethod, and the descriptor
 * protocol that makes them work.
 *
 * THE PROTOCOL.  An attribute found in an object's class may decide what
 * reading it from the object gives: that is a descriptor.  A function is
 * one (reading it from an instance gives a bound method); so are the three
 * types here, and any class with __get__.  A *data* descriptor (one with
 * __set__ or __delete__ too, such as a property) also takes precedence over
 * the instance's own __dict__, in reading and in writing; a non-data one
 * (a function, a staticmethod) is shadowed by it.  gs_generic_getattr and
 * gs_generic_setattr (object.c) follow that order; the functions below
 * say what each kind gives.  This is CPython's PyObject_GenericGetAttr and
 * descrobject.c/funcobject.c, for gilscope's single-inheritance classes.
 */
#include <string.h>

#include "object.h"
#include "../runtime/interp.h"

#define GS_STATIC_HEAD { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 }

typedef struct {
    GsObject ob;
    GsObject *fget, *fset, *fdel, *doc;   /* each may be NULL */
} GsProperty;

typedef struct {
    GsObject ob;
    GsObject *func;        /* __func__ */
} GsWrapper;               /* staticmethod, classmethod */

/* ---- member descriptors: the slots of __slots__ ---------------------------------
 * `class C: __slots__ = ('a',)` puts a member descriptor in C.__dict__['a']:
 * a data descriptor that reads and writes the pointer field at `offset` in
 * an instance of `owner` (typeobject.c lays the fields out). */
typedef struct {
    GsObject ob;
    GsType *owner;       /* the class whose instances have the field */
    GsObject *name;      /* str */
    size_t offset;       /* of the GsObject * field, from the object's start */
} GsMember;

static GsObject **member_field(GsThread *ts, GsObject *attr, GsObject *obj)
{
    GsMember *m = (GsMember *)attr;
    if (!gs_type_is_subtype(obj->type, m->owner)) {
        gs_err_set(ts, &gs_exc_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a "
                   "'%s' object", gs_str_cstr(m->name), m->owner->name, obj->type->name);
        return NULL;
    }
    return (GsObject **)((char *)obj + m->offset);
}

static GsObject *member_get(GsThread *ts, GsObject *attr, GsObject *obj)
{
    if (!obj)
        return gs_newref(ts, attr);
    GsObject **field = member_field(ts, attr, obj);
    if (!field)
        return NULL;
    if (!*field)   /* an unset slot: CPython's message is the bare name */
        return gs_err_set(ts, &gs_exc_AttributeError, "%s",
                          gs_str_cstr(((GsMember *)attr)->name));
    return gs_newref(ts, *field);
}

static int member_set(GsThread *ts, GsObject *attr, GsObject *obj, GsObject *v)
{
    GsObject **field = member_field(ts, attr, obj);
    if (!field)
        return -1;
    if (!v && !*field) {
        gs_err_set(ts, &gs_exc_AttributeError, "%s", gs_str_cstr(((GsMember *)attr)->name));
        return -1;
    }
    gs_setref(ts, field, v ? gs_newref(ts, v) : NULL);
    return 0;
}

GsObject *gs_member_new(GsThread *ts, GsType *owner, GsObject *name, size_t offset)
{
    GsMember *m = (GsMember *)gs_alloc(ts, &gs_member_type, sizeof(GsMember));
    if (!m)
        return NULL;
    m->owner = (GsType *)gs_newref(ts, (GsObject *)owner);
    m->name = gs_newref(ts, name);
    m->offset = offset;
    return (GsObject *)m;
}

static void member_clear(GsThread *ts, GsObject *o)
{
    GsMember *m = (GsMember *)o;
    GsObject *owner = (GsObject *)m->owner;
    m->owner = NULL;
    gs_xdecref(ts, owner);
    gs_setref(ts, &m->name, NULL);
}

/* The descriptor and its class refer to each other: a cycle to collect. */
static int member_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsMember *m = (GsMember *)o;
    int r = m->owner ? visit((GsObject *)m->owner, arg) : 0;
    return r ? r : m->name ? visit(m->name, arg) : 0;
}

static GsObject *member_repr(GsThread *ts, GsObject *o)
{
    GsMember *m = (GsMember *)o;
    return gs_str_printf(ts, "<member '%s' of '%s' objects>", m->name ? gs_str_cstr(m->name) : "?",
                         m->owner ? m->owner->name : "?");
}

static GsObject *member_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsMember *m = (GsMember *)o;
    if (name == GS_NAME(ts, __name__) || name == GS_NAME(ts, __qualname__)) {
        if (name == GS_NAME(ts, __name__))
            return gs_newref(ts, m->name);
        return gs_str_printf(ts, "%s.%s", m->owner->name, gs_str_cstr(m->name));
    }
    if (strcmp(gs_str_cstr(name), "__objclass__") == 0)
        return gs_newref(ts, (GsObject *)m->owner);
    return gs_generic_getattr(ts, o, name);
}

/* The protocol's methods, called by name: M.__get__(obj, type) etc. */
static GsObject *member_m_get(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "__get__", kwnames) < 0 || gs_check_nargs(ts, "__get__", nargs, 1, 2) < 0)
        return NULL;
    return member_get(ts, self, args[0] == GS_NONE ? NULL : args[0]);
}

static GsObject *member_m_set(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "__set__", kwnames) < 0 || gs_check_nargs(ts, "__set__", nargs, 2, 2) < 0)
        return NULL;
    return member_set(ts, self, args[0], args[1]) < 0 ? NULL : gs_newref(ts, GS_NONE);
}

static GsObject *member_m_delete(GsThread *ts, GsObject *self, GsObject *const *args,
                                 size_t nargs, GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "__delete__", kwnames) < 0 ||
        gs_check_nargs(ts, "__delete__", nargs, 1, 1) < 0)
        return NULL;
    return member_set(ts, self, args[0], NULL) < 0 ? NULL : gs_newref(ts, GS_NONE);
}

static const GsMethodDef member_methods[] = {
    { "__get__", member_m_get },
    { "__set__", member_m_set },
    { "__delete__", member_m_delete },
    { NULL, NULL },
};

GsType gs_member_type = { .ob = GS_STATIC_HEAD, .name = "member_descriptor",
    .base = &gs_object_type, .size = sizeof(GsMember), .flags = GS_TPFLAG_GC,
    .methods = member_methods,
    .dealloc = member_clear, .traverse = member_traverse, .clear = member_clear,
    .repr = member_repr, .getattr = member_getattr };

/* ---- getset descriptors: a class's __dict__ and __weakref__ ------------------
 * A class that gives its instances a __dict__ (or CPython's __weakref__
 * slot) gets a descriptor for it in its own dict, as CPython's
 * subtype_getsets: C.__dict__['__dict__'] is <attribute '__dict__' of 'C'
 * objects>, and it holds a reference to C, as in CPython. */
typedef struct {
    GsObject ob;
    GsType *owner;
    int kind;            /* GS_GETSET_DICT or GS_GETSET_WEAKREF */
} GsGetSet;

static GsObject **getset_target(GsThread *ts, GsObject *attr, GsObject *obj)
{
    GsGetSet *g = (GsGetSet *)attr;
    const char *name = g->kind == GS_GETSET_DICT ? "__dict__" : "__weakref__";
    if (!gs_type_is_subtype(obj->type, g->owner)) {
        gs_err_set(ts, &gs_exc_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a "
                   "'%s' object", name, g->owner->name, obj->type->name);
        return NULL;
    }
    static GsObject *no_field;
    return g->kind == GS_GETSET_DICT ? gs_dictptr(obj) : &no_field;
}

static GsObject *getset_get(GsThread *ts, GsObject *attr, GsObject *obj)
{
    if (!obj)
        return gs_newref(ts, attr);
    GsObject **dp = getset_target(ts, attr, obj);
    if (!dp)
        return NULL;
    if (((GsGetSet *)attr)->kind == GS_GETSET_WEAKREF)
        return gs_newref(ts, GS_NONE);   /* no weak references in gilscope: none to this */
    if (!*dp) {
        if (!(*dp = gs_dict_new(ts)))
            return NULL;
        ((GsDict *)*dp)->instance_dict = true;
    }
    return gs_newref(ts, *dp);
}

static int getset_set(GsThread *ts, GsObject *attr, GsObject *obj, GsObject *v)
{
    GsGetSet *g = (GsGetSet *)attr;
    GsObject **dp = getset_target(ts, attr, obj);
    if (!dp)
        return -1;
    if (g->kind == GS_GETSET_WEAKREF) {
        gs_err_set(ts, &gs_exc_AttributeError, "attribute '__weakref__' of '%s' objects is not "
                   "writable", g->owner->name);
        return -1;
    }
    if (v && !GS_IS_DICT(v)) {
        gs_err_set(ts, &gs_exc_TypeError, "__dict__ must be set to a dictionary, not a '%s'",
                   v->type->name);
        return -1;
    }
    gs_setref(ts, dp, v ? gs_newref(ts, v) : NULL);
    return 0;
}

GsObject *gs_getset_new(GsThread *ts, GsType *owner, int kind)
{
    GsGetSet *g = (GsGetSet *)gs_alloc(ts, &gs_getset_type, sizeof(GsGetSet));
    if (!g)
        return NULL;
    g->owner = (GsType *)gs_newref(ts, (GsObject *)owner);
    g->kind = kind;
    return (GsObject *)g;
}

static void getset_clear(GsThread *ts, GsObject *o)
{
    GsGetSet *g = (GsGetSet *)o;
    GsObject *owner = (GsObject *)g->owner;
    g->owner = NULL;
    gs_xdecref(ts, owner);
}

static int getset_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsGetSet *g = (GsGetSet *)o;
    return g->owner ? visit((GsObject *)g->owner, arg) : 0;
}

static GsObject *getset_repr(GsThread *ts, GsObject *o)
{
    GsGetSet *g = (GsGetSet *)o;
    return gs_str_printf(ts, "<attribute '%s' of '%s' objects>",
                         g->kind == GS_GETSET_DICT ? "__dict__" : "__weakref__",
                         g->owner ? g->owner->name : "?");
}

static GsObject *getset_m_get(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "__get__", kwnames) < 0 || gs_check_nargs(ts, "__get__", nargs, 1, 2) < 0)
        return NULL;
    return getset_get(ts, self, args[0] == GS_NONE ? NULL : args[0]);
}

static GsObject *getset_m_set(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "__set__", kwnames) < 0 || gs_check_nargs(ts, "__set__", nargs, 2, 2) < 0)
        return NULL;
    return getset_set(ts, self, args[0], args[1]) < 0 ? NULL : gs_newref(ts, GS_NONE);
}

static GsObject *getset_m_delete(GsThread *ts, GsObject *self, GsObject *const *args,
                                 size_t nargs, GsObject *kwnames)
{
    if (gs_check_no_kw(ts, "__delete__", kwnames) < 0 ||
        gs_check_nargs(ts, "__delete__", nargs, 1, 1) < 0)
        return NULL;
    return getset_set(ts, self, args[0], NULL) < 0 ? NULL : gs_newref(ts, GS_NONE);
}

static const GsMethodDef getset_methods[] = {
    { "__get__", getset_m_get },
    { "__set__", getset_m_set },
    { "__delete__", getset_m_delete },
    { NULL, NULL },
};

GsType gs_getset_type = { .ob = GS_STATIC_HEAD, .name = "getset_descriptor",
    .base = &gs_object_type, .size = sizeof(GsGetSet), .flags = GS_TPFLAG_GC,
    .methods = getset_methods,
    .dealloc = getset_clear, .traverse = getset_traverse, .clear = getset_clear,
    .repr = getset_repr };

/* ---- the protocol ------------------------------------------------------------ */

/* __get__, __set__ or __delete__ defined by a guest class (borrowed). */
static GsObject *heap_slot(GsObject *attr, GsObject *name)
{
    if (!(attr->type->flags & GS_TPFLAG_HEAPTYPE))
        return NULL;
    return gs_type_lookup(attr->type, name);
}

bool gs_descr_is_data(GsThread *ts, GsObject *attr)
{
    if (attr->type == &gs_property_type || attr->type == &gs_member_type ||
        attr->type == &gs_getset_type)
        return true;
    return heap_slot(attr, GS_NAME(ts, __set__)) || heap_slot(attr, GS_NAME(ts, __delete__));
}

GsObject *gs_descr_get(GsThread *ts, GsObject *attr, GsObject *obj, GsType *owner)
{
    if (attr->type == &gs_function_type)
        return obj ? gs_method_new(ts, attr, obj) : gs_newref(ts, attr);
    if (attr->type == &gs_staticmethod_type)
        return gs_newref(ts, ((GsWrapper *)attr)->func);
    if (attr->type == &gs_classmethod_type)
        return gs_method_new(ts, ((GsWrapper *)attr)->func, (GsObject *)owner);
    if (attr->type == &gs_member_type)
        return member_get(ts, attr, obj);
    if (attr->type == &gs_getset_type)
        return getset_get(ts, attr, obj);
    if (attr->type == &gs_property_type) {
        GsProperty *p = (GsProperty *)attr;
        if (!obj)
            return gs_newref(ts, attr);
        if (!p->fget)
            return gs_err_set(ts, &gs_exc_AttributeError, "unreadable attribute");
        return gs_call(ts, p->fget, &obj, 1, NULL);
    }
    GsObject *get = heap_slot(attr, GS_NAME(ts, __get__));
    if (get) {
        GsObject *argv[3] = { attr, obj ? obj : GS_NONE, (GsObject *)owner };
        return gs_call(ts, get, argv, 3, NULL);
    }
    return gs_newref(ts, attr);
}

int gs_descr_set(GsThread *ts, GsObject *attr, GsObject *obj, GsObject *v)
{
    GsObject *r;
    if (attr->type == &gs_member_type)
        return member_set(ts, attr, obj, v);
    if (attr->type == &gs_getset_type)
        return getset_set(ts, attr, obj, v);
    if (attr->type == &gs_property_type) {
        GsProperty *p = (GsProperty *)attr;
        GsObject *fn = v ? p->fset : p->fdel;
        if (!fn) {
            gs_err_set(ts, &gs_exc_AttributeError, v ? "can't set attribute"
                                                     : "can't delete attribute");
            return -1;
        }
        GsObject *argv[2] = { obj, v };
        r = gs_call(ts, fn, argv, v ? 2 : 1, NULL);
    } else {
        GsObject *fn = heap_slot(attr, v ? GS_NAME(ts, __set__) : GS_NAME(ts, __delete__));
        if (!fn) {
            gs_err_set(ts, &gs_exc_AttributeError, v ? "__set__" : "__delete__");
            return -1;
        }
        GsObject *argv[3] = { attr, obj, v };
        r = gs_call(ts, fn, argv, v ? 3 : 2, NULL);
    }
    gs_xdecref(ts, r);
    return r ? 0 : -1;
}

/* ---- property ---------------------------------------------------------------- */

static GsObject *none_to_null(GsObject *o) { return o == GS_NONE ? NULL : o; }

static GsObject *property_make(GsThread *ts, GsType *type, GsObject *fget, GsObject *fset,
                               GsObject *fdel, GsObject *doc)
{
    GsProperty *p = (GsProperty *)gs_alloc(ts, type, type->size);  /* a subclass adds fields */
    if (!p)
        return NULL;
    p->fget = fget ? gs_newref(ts, fget) : NULL;
    p->fset = fset ? gs_newref(ts, fset) : NULL;
    p->fdel = fdel ? gs_newref(ts, fdel) : NULL;
    /* No doc given: the getter's docstring, as CPython does. */
    if (!doc && fget) {
        doc = gs_getattr_c(ts, fget, "__doc__");
        if (!doc)
            gs_err_clear(ts);
        p->doc = doc && doc != GS_NONE ? doc : NULL;
        if (doc == GS_NONE)
            gs_decref(ts, doc);
    } else {
        p->doc = doc ? gs_newref(ts, doc) : NULL;
    }
    return (GsObject *)p;
}

/* property(fget=None, fset=None, fdel=None, doc=None) */
static GsObject *property_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                              GsObject *kwnames)
{
    static const char *const names[] = { "fget", "fset", "fdel", "doc" };
    GsObject *vals[4] = { NULL, NULL, NULL, NULL };
    size_t nkw = gs_kw_count(kwnames), npos = nargs - nkw;
    if (npos > 4)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "property() takes at most 4 arguments (%zu given)", npos);
    for (size_t i = 0; i < npos; i++)
        vals[i] = args[i];
    for (size_t k = 0; k < nkw; k++) {
        const char *kw = gs_str_cstr(((GsTuple *)kwnames)->items[k]);
        size_t i = 0;
        while (i < 4 && strcmp(kw, names[i]) != 0)
            i++;
        if (i == 4)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "'%s' is an invalid keyword argument for property()", kw);
        if (vals[i])
            return gs_err_set(ts, &gs_exc_TypeError,
                              "argument for property() given by name ('%s') and position (%zu)",
                              kw, i + 1);
        vals[i] = args[npos + k];
    }
    for (int i = 0; i < 4; i++)
        vals[i] = vals[i] ? none_to_null(vals[i]) : NULL;
    return property_make(ts, type, vals[0], vals[1], vals[2], vals[3]);
}

/* getter/setter/deleter: a copy with one function replaced (the decorator
 * form: `@x.setter`). */
static GsObject *property_copy(GsThread *ts, GsObject *self, int which, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    static const char *const names[] = { "getter", "setter", "deleter" };
    if (gs_check_no_kw(ts, names[which], kwnames) < 0 ||
        gs_check_nargs(ts, names[which], nargs, 1, 1) < 0)
        return NULL;
    GsProperty *p = (GsProperty *)self;
    GsObject *f = none_to_null(args[0]);
    GsObject *doc = p->doc;
    /* A doc taken from the old getter follows a new getter. */
    return property_make(ts, self->type, which == 0 ? f : p->fget, which == 1 ? f : p->fset,
                         which == 2 ? f : p->fdel, which == 0 ? NULL : doc);
}

static GsObject *m_getter(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    return property_copy(ts, self, 0, args, nargs, kwnames);
}

static GsObject *m_setter(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    return property_copy(ts, self, 1, args, nargs, kwnames);
}

static GsObject *m_deleter(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    return property_copy(ts, self, 2, args, nargs, kwnames);
}

static GsObject *property_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsProperty *p = (GsProperty *)o;
    const char *s = gs_str_cstr(name);
    GsObject *v = NULL;
    bool known = true;
    if (strcmp(s, "fget") == 0)
        v = p->fget;
    else if (strcmp(s, "fset") == 0)
        v = p->fset;
    else if (strcmp(s, "fdel") == 0)
        v = p->fdel;
    else if (strcmp(s, "__doc__") == 0)
        v = p->doc;
    else
        known = false;
    if (known)
        return gs_newref(ts, v ? v : GS_NONE);
    return gs_generic_getattr(ts, o, name);
}

static int property_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsProperty *p = (GsProperty *)o;
    GsObject *refs[] = { p->fget, p->fset, p->fdel, p->doc };
    for (int i = 0; i < 4; i++)
        if (refs[i] && visit(refs[i], arg))
            return 1;
    return 0;
}

static void property_clear(GsThread *ts, GsObject *o)
{
    GsProperty *p = (GsProperty *)o;
    GsObject **slots[] = { &p->fget, &p->fset, &p->fdel, &p->doc };
    for (int i = 0; i < 4; i++)
        gs_setref(ts, slots[i], NULL);
}

static const GsMethodDef property_methods[] = {
    { "getter", m_getter },
    { "setter", m_setter },
    { "deleter", m_deleter },
    { NULL, NULL },
};

GsType gs_property_type = { .ob = GS_STATIC_HEAD, .name = "property", .base = &gs_object_type,
    .size = sizeof(GsProperty), .flags = GS_TPFLAG_GC | GS_TPFLAG_BASETYPE,
    .methods = property_methods, .dealloc = property_clear, .traverse = property_traverse,
    .clear = property_clear, .getattr = property_getattr, .new_ = property_new };

/* ---- staticmethod and classmethod --------------------------------------------- */

static GsObject *wrapper_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    if (gs_check_no_kw(ts, type->name, kwnames) < 0 ||
        gs_check_nargs(ts, type->name, nargs, 1, 1) < 0)
        return NULL;
    GsWrapper *w = (GsWrapper *)gs_alloc(ts, type, type->size);  /* a subclass adds fields */
    if (!w)
        return NULL;
    w->func = gs_newref(ts, args[0]);
    return (GsObject *)w;
}

static GsObject *wrapper_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    const char *s = gs_str_cstr(name);
    GsWrapper *w = (GsWrapper *)o;
    if (strcmp(s, "__func__") == 0)
        return gs_newref(ts, w->func);
    return gs_generic_getattr(ts, o, name);
}

static int wrapper_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsWrapper *w = (GsWrapper *)o;
    return w->func ? visit(w->func, arg) : 0;
}

static void wrapper_clear(GsThread *ts, GsObject *o)
{
    gs_setref(ts, &((GsWrapper *)o)->func, NULL);
}

/* staticmethod objects are callable only from 3.10; 3.9's are not. */
GsType gs_staticmethod_type = { .ob = GS_STATIC_HEAD, .name = "staticmethod",
    .base = &gs_object_type, .size = sizeof(GsWrapper), .flags = GS_TPFLAG_GC | GS_TPFLAG_BASETYPE,
    .dealloc = wrapper_clear, .traverse = wrapper_traverse, .clear = wrapper_clear,
    .getattr = wrapper_getattr, .new_ = wrapper_new };

GsType gs_classmethod_type = { .ob = GS_STATIC_HEAD, .name = "classmethod",
    .base = &gs_object_type, .size = sizeof(GsWrapper), .flags = GS_TPFLAG_GC | GS_TPFLAG_BASETYPE,
    .dealloc = wrapper_clear, .traverse = wrapper_traverse, .clear = wrapper_clear,
    .getattr = wrapper_getattr, .new_ = wrapper_new };
