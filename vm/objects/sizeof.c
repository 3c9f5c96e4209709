/*
 * sizeof.c -- sys.getsizeof and __sizeof__: the sizes CPython 3.9 gives
 * on 64-bit Linux, not the sizes of gilscope's own structs.
 *
 * The memory lecture compares sys.getsizeof of values, so the answer must
 * be CPython's.  Each size below is CPython's struct layout, written out
 * (measured with python3.9 and checked against CPython's Objects/ sources):
 *
 *   object, None        16   PyObject: refcount + type pointer
 *   float               24   + the double
 *   int                 24 + 4 per 30-bit digit (0 has none: 24; 1: 28)
 *   str, ASCII          48 + len + 1          (PyASCIIObject, data inline)
 *   str, other          72 + (len + 1) * kind (PyCompactUnicodeObject;
 *                                              kind 1, 2 or 4 bytes a char)
 *   bytes               33 + len              (ob_sval holds the NUL)
 *   tuple               24 + 8 * len
 *   list                40 + 8 * allocated    (allocated grows as
 *                                              list.c's over_allocate says)
 *   dict                48, plus its keys table if it has one:
 *                       40 + size * index bytes + 2/3 size * 24
 *   class instances     the class's tp_basicsize (typeobject.c computes
 *                       it: 16 + 8 per slot + 8 for __dict__ + 8 for
 *                       __weakref__)
 *
 * sys.getsizeof adds 16 for the GC header of objects the cycle collector
 * tracks in CPython (containers, functions, every class instance).
 * Where gilscope does not know CPython's size it raises an error that
 * says so, rather than guess.
 */
#include <string.h>

#include "runtime/interp.h"
#include "bigint.h"

#define GC_HEADER 16   /* sizeof(PyGC_Head) */

/* ---- int ------------------------------------------------------------------------ */

static int64_t int_sizeof(GsObject *o)
{
    return gs_int_sizeof(o);   /* 24 + 4 per 30-bit digit (bigint.c) */
}

/* set and frozenset: sizeof(PySetObject), with its 8-entry small table,
 * plus a table of 16-byte entries once the set outgrew it (set.c keeps
 * CPython 3.9's table sizes). */
static int64_t set_sizeof(GsObject *o)
{
    GsSet *s = (GsSet *)o;
    return 200 + (s->table != s->smalltable ? (s->mask + 1) * 16 : 0);
}

/* ---- str: CPython's compact representations, by widest character --------------- */

static int64_t str_sizeof(GsObject *o)
{
    GsStr *s = (GsStr *)o;
    if (s->ascii)
        return 48 + (int64_t)s->nchars + 1;
    /* Decode just enough UTF-8 to find the widest code point: a lead byte
     * says how long its sequence is. */
    int kind = 1;
    for (const unsigned char *p = (const unsigned char *)s->data; *p; p++) {
        if (*p >= 0xF0)
            kind = 4;
        else if (*p >= 0xE0 && kind < 2)
            kind = 2;
        else if (*p >= 0xC4 && *p < 0xE0 && kind < 2)
            kind = 2;   /* two bytes, beyond U+00FF */
    }
    return 72 + ((int64_t)s->nchars + 1) * kind;
}

/* ---- dict: the 3.9 table for its current size ------------------------------------ */

static int64_t dict_sizeof(GsObject *o, int64_t basic)
{
    GsDict *d = (GsDict *)o;
    if (d->nindex == 0)
        return basic;   /* the shared empty keys table is not counted */
    int64_t n = (int64_t)d->nindex;
    int64_t ix = n <= 0xff ? 1 : n <= 0xffff ? 2 : n <= 0xffffffffLL ? 4 : 8;
    int64_t usable = (n << 1) / 3;
    return basic + 40 + n * ix + usable * 24;
}

/* ---- the rest ------------------------------------------------------------------------- */

static int64_t unknown(GsThread *ts, GsObject *o)
{
    gs_err_set(ts, &gs_exc_NotImplementedError,
               "gilscope does not know CPython 3.9's size of '%s' objects", o->type->name);
    return -1;
}

/* Built-in objects whose size does not depend on their value. */
static int64_t fixed_size(GsType *t)
{
    static const struct { GsType *t; int64_t size; } fixed[] = {
        { &gs_object_type, 16 }, { &gs_none_type, 16 }, { &gs_notimpl_type, 16 },
        { &gs_ellipsis_type, 16 }, { &gs_float_type, 24 }, { &gs_range_type, 48 },
        { &gs_slice_type, 40 }, { &gs_function_type, 120 }, { &gs_method_type, 48 },
        { &gs_cfunction_type, 56 }, { &gs_property_type, 56 }, { &gs_staticmethod_type, 32 },
        { &gs_classmethod_type, 32 },
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (fixed[i].t == t)
            return fixed[i].size;
    return -1;
}

int64_t gs_sizeof(GsThread *ts, GsObject *o)
{
    GsType *t = o->type;
    if (GS_IS_INT(o))
        return int_sizeof(o);
    if (t == &gs_str_type)
        return str_sizeof(o);
    if (GS_IS_ANYSET(o))
        return set_sizeof(o);
    if (t == &gs_bytes_type)
        return 33 + (int64_t)((GsBytes *)o)->len;
    if (t == &gs_tuple_type)
        return 24 + 8 * (int64_t)((GsTuple *)o)->len;
    if (t == &gs_list_type)
        return 40 + 8 * (int64_t)((GsList *)o)->cap;
    if (t == &gs_dict_type) {
        if (((GsDict *)o)->instance_dict) {
            gs_err_set(ts, &gs_exc_NotImplementedError, "gilscope does not know CPython 3.9's "
                       "size of an instance's __dict__ (its keys are shared with the other "
                       "instances, PEP 412)");
            return -1;
        }
        return dict_sizeof(o, 48);
    }
    if (GS_IS_TYPE(o)) {
        if (t == &gs_type_type && !(((GsType *)o)->flags & GS_TPFLAG_HEAPTYPE))
            return 408;   /* sizeof(PyTypeObject) */
        return unknown(ts, o);   /* heap types count their cached keys: not modelled */
    }
    if (t->flags & GS_TPFLAG_HEAPTYPE) {
        GsType *b = gs_type_builtin_base(t);
        if (b == &gs_object_type || gs_type_is_subtype(b, &gs_exc_BaseException) ||
            b == &gs_property_type || b == &gs_staticmethod_type || b == &gs_classmethod_type)
            return (int64_t)t->cpy_basicsize;
        return unknown(ts, o);
    }
    if (gs_type_is_subtype(t, &gs_exc_BaseException))
        return (int64_t)gs_type_cpy_basicsize(t);
    /* A built-in method of a dunder name is a slot wrapper in CPython
     * (<method-wrapper '__init__'>), a smaller object. */
    if (t == &gs_cfunction_type && strncmp(((GsCFunction *)o)->name, "__", 2) == 0)
        return unknown(ts, o);
    int64_t n = fixed_size(t);
    return n >= 0 ? n : unknown(ts, o);
}

/* Does CPython's cycle collector track objects of this kind (so that
 * getsizeof adds a GC header)? */
static bool cpython_tracks(GsObject *o)
{
    GsType *t = o->type;
    if (GS_IS_TYPE(o))
        return (((GsType *)o)->flags & GS_TPFLAG_HEAPTYPE) != 0;
    if (t->flags & GS_TPFLAG_HEAPTYPE)
        return true;
    static GsType *const untracked[] = { &gs_int_type, &gs_bool_type, &gs_float_type,
        &gs_str_type, &gs_bytes_type, &gs_none_type, &gs_notimpl_type, &gs_ellipsis_type,
        &gs_object_type, &gs_range_type };
    for (size_t i = 0; i < sizeof untracked / sizeof untracked[0]; i++)
        if (t == untracked[i])
            return false;
    return true;
}

/* sys.getsizeof(o): o.__sizeof__() (a class may define its own), plus the
 * GC header (CPython's _PySys_GetSizeOf). */
int64_t gs_getsizeof(GsThread *ts, GsObject *o)
{
    GsObject *f = gs_type_lookup(o->type, GS_NAME(ts, __sizeof__));
    int64_t size;
    if (f && f->type == &gs_function_type) {
        GsObject *r = gs_function_call(ts, f, &o, 1, NULL);
        if (!r)
            return -1;
        if (!GS_IS_INT(r)) {
            gs_decref(ts, r);
            gs_err_set(ts, &gs_exc_TypeError, "an integer is required");
            return -1;
        }
        size = gs_int_value(r);
        gs_decref(ts, r);
        if (size < 0) {
            gs_err_set(ts, &gs_exc_ValueError, "__sizeof__() should return >= 0");
            return -1;
        }
    } else if ((size = gs_sizeof(ts, o)) < 0) {
        return -1;
    }
    return cpython_tracks(o) ? size + GC_HEADER : size;
}
