/*
 * object.h -- gilscope's object model: every guest value is a GsObject.
 *
 * Like CPython, every object starts with a header holding its reference
 * count and its type.  Unlike CPython there is no global interpreter:
 * every function that can allocate, free or raise takes the current
 * thread state `GsThread *ts` first, the way Lua passes `lua_State *L`.
 *
 * Conventions (one per layer, stated once):
 *   - A function returning GsObject * returns a NEW reference, or NULL
 *     with an exception set in ts (see gs_err_*).  Functions that return
 *     a BORROWED reference say so in their comment.
 *   - A function returning int returns 0 (or a count, or a truth value)
 *     on success and -1 with an exception set on error.
 *   - Every INCREF and DECREF goes through gs_incref / gs_decref, the one
 *     place where reference-count changes can be observed (the tracer's
 *     `ref` events hook in here).
 *
 * Shared objects -- None, True, False, the small ints -5..256, the
 * built-in types -- are "immortal" here: their count starts so high it
 * never reaches zero.  CPython 3.9 counts them like any other object;
 * gilscope does not, so that tracing refcounts of shared objects does not
 * flood the trace.  `sys.getrefcount` of a shared object therefore
 * differs from CPython's (documented in docs/differences.md).
 */
#ifndef GS_OBJECT_H
#define GS_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct GsObject GsObject;
typedef struct GsType GsType;
typedef struct GsThread GsThread;
typedef struct GsInterp GsInterp;

/* The header of every object. */
struct GsObject {
    intptr_t refcnt;     /* references held; freed when it drops to 0 */
    GsType *type;        /* borrowed: types outlive their instances */
    uint32_t serial;     /* allocation number: a stable small id for traces */
    uint32_t lockword;   /* reserved for a per-object lock (free-threading) */
};

#define GS_IMMORTAL_REFCNT ((intptr_t)1 << 40)

/* ---- reference counting ------------------------------------------------ */

void gs_dealloc(GsThread *ts, GsObject *o);
void gs_ref_hook(GsThread *ts, GsObject *o, int delta);

/* The tracer switches this on; off, the hook costs one predictable branch. */
extern bool gs_ref_tracing;

static inline void gs_incref(GsThread *ts, GsObject *o)
{
    o->refcnt++;
    if (gs_ref_tracing)
        gs_ref_hook(ts, o, +1);
}

static inline void gs_decref(GsThread *ts, GsObject *o)
{
    if (gs_ref_tracing)
        gs_ref_hook(ts, o, -1);
    if (--o->refcnt == 0)
        gs_dealloc(ts, o);
}

static inline void gs_xincref(GsThread *ts, GsObject *o) { if (o) gs_incref(ts, o); }
static inline void gs_xdecref(GsThread *ts, GsObject *o) { if (o) gs_decref(ts, o); }

/* Replace *slot by v (a new reference), dropping the old value. */
static inline void gs_setref(GsThread *ts, GsObject **slot, GsObject *v)
{
    GsObject *old = *slot;
    *slot = v;
    gs_xdecref(ts, old);
}

/* Return o after taking a new reference: `return gs_newref(ts, x);` */
static inline GsObject *gs_newref(GsThread *ts, GsObject *o)
{
    gs_incref(ts, o);
    return o;
}

/* ---- types ------------------------------------------------------------- */

typedef int (*GsVisit)(GsObject *o, void *arg);
typedef GsObject *(*GsCFunc)(GsThread *ts, GsObject *self, GsObject *const *args,
                             size_t nargs, GsObject *kwnames);

/* A C-implemented method or function: what a built-in type's dict holds. */
typedef struct {
    const char *name;
    GsCFunc fn;
} GsMethodDef;

enum {
    GS_TPFLAG_GC = 1 << 0,        /* a container: tracked by the cycle collector */
    GS_TPFLAG_BASETYPE = 1 << 1,  /* guest classes may inherit from it */
    GS_TPFLAG_HEAPTYPE = 1 << 2,  /* made by a `class` statement */
    GS_TPFLAG_HAS_DICT = 1 << 3,  /* instances have a __dict__ (gs_dictptr finds it) */
    GS_TPFLAG_TYPE_SUBCLASS = 1 << 4, /* type itself and metaclasses: instances are classes */
    GS_TPFLAG_WEAKREF = 1 << 5,   /* CPython's instances would have a __weakref__ slot
                                     (gilscope has no weak references: sizes only) */
    /* What a class's MRO defines, kept up to date by gs_type_set_attribute_hooks
     * (at creation, on C.x = v and on __bases__ changes, for C and its
     * subclasses) so that creating and freeing an instance need not search
     * the MRO each time: CPython keeps tp_new and tp_finalize slots so. */
    GS_TPFLAG_HAS_DEL = 1 << 6,   /* some class in the MRO defines __del__ */
    GS_TPFLAG_GUEST_NEW = 1 << 7, /* some class in the MRO defines __new__ */
};

struct GsType {
    GsObject ob;
    const char *name;            /* "int", "Counter", ... (owned by name_obj for heap types) */
    GsType *base;                /* NULL only for `object` */
    size_t size;                 /* bytes of an instance, header included */
    unsigned flags;              /* GS_TPFLAG_* */
    GsObject *dict;              /* the type's attributes (a dict); methods live here */
    GsObject *name_obj;          /* heap types: the name as a str */
    GsObject *qualname;          /* heap types: "Outer.Inner" (None of CPython's static types) */
    const GsMethodDef *methods;  /* built-in types: copied into dict at start-up */

    void (*dealloc)(GsThread *ts, GsObject *o);        /* free what o holds (not o itself) */
    int (*traverse)(GsObject *o, GsVisit visit, void *arg);
    void (*clear)(GsThread *ts, GsObject *o);          /* break references (GC) */
    GsObject *(*repr)(GsThread *ts, GsObject *o);
    GsObject *(*str)(GsThread *ts, GsObject *o);       /* NULL: use repr */
    int64_t (*hash)(GsThread *ts, GsObject *o);        /* -1: error or unhashable */
    /* compare: op is a GS_CMP_*; returns GS_NOTIMPL (borrowed) if it does not know */
    GsObject *(*richcompare)(GsThread *ts, GsObject *a, GsObject *b, int op);
    GsObject *(*getattr)(GsThread *ts, GsObject *o, GsObject *name);
    int (*setattr)(GsThread *ts, GsObject *o, GsObject *name, GsObject *v); /* v NULL: del */
    GsObject *(*call)(GsThread *ts, GsObject *callee, GsObject *const *args, size_t nargs,
                      GsObject *kwnames);
    /* type(...) called: build a new instance (for built-in types) */
    GsObject *(*new_)(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs,
                      GsObject *kwnames);
    GsObject *(*iter)(GsThread *ts, GsObject *o);
    GsObject *(*iternext)(GsThread *ts, GsObject *o);   /* NULL, no error: exhausted */
    int64_t (*len)(GsThread *ts, GsObject *o);           /* -1: error */
    int (*truth)(GsThread *ts, GsObject *o);             /* NULL: nonzero len, else true */
    GsObject *(*getitem)(GsThread *ts, GsObject *o, GsObject *key);
    int (*setitem)(GsThread *ts, GsObject *o, GsObject *key, GsObject *v); /* v NULL: del */
    int (*contains)(GsThread *ts, GsObject *o, GsObject *v);  /* 1, 0, -1 */
    /* CPython's tp_finalize (PEP 442): run guest code before o dies, at most
     * once (generators: close()).  Guest classes use `__del__` instead,
     * found when needed (finalize.c); NULL for most built-in types. */
    void (*finalize)(GsThread *ts, GsObject *o);

    /* Classes made at run time (heap types, typeobject.c).  A static type
     * has none of these: its MRO is the chain of `base`. */
    GsObject *bases;             /* tuple of the direct bases */
    GsObject *mro;               /* tuple: the C3 linearization, the class first */
    GsType **basev;              /* borrowed: the direct bases, to leave their
                                    registries of subclasses (NULL once freed) */
    size_t nbases;
    GsType **subclasses;         /* borrowed: the classes that have this one as a
                                    direct base (unregistered as they are freed) */
    size_t nsubclasses, subclasses_cap;
    GsObject *slotnames;         /* this class's own __slots__, mangled and sorted */
    size_t slotoffset;           /* where those slots start in an instance */
    size_t dictoffset;           /* where the __dict__ pointer is; 0: GsInstance's place */
    size_t cpy_basicsize;        /* CPython 3.9's tp_basicsize (sys.getsizeof) */
};

enum { GS_CMP_LT, GS_CMP_LE, GS_CMP_EQ, GS_CMP_NE, GS_CMP_GT, GS_CMP_GE };

#define GS_TYPE(o) (((GsObject *)(o))->type)

/* ---- the built-in types --------------------------------------------------
 * Static and immortal, shared by every interpreter in the process (as in
 * CPython).  Their dicts are filled once by gs_types_init(). */
extern GsType gs_type_type, gs_object_type, gs_none_type, gs_notimpl_type, gs_bool_type,
    gs_int_type, gs_float_type, gs_str_type, gs_bytes_type, gs_tuple_type, gs_list_type,
    gs_dict_type, gs_range_type, gs_slice_type, gs_function_type, gs_code_type,
    gs_method_type, gs_cfunction_type, gs_module_type, gs_cell_type, gs_iter_type,
    gs_dictview_type, gs_ellipsis_type, gs_set_type, gs_frozenset_type, gs_setiter_type;

/* property, staticmethod, classmethod (descr.c), and the descriptor
 * protocol: what an attribute found in owner's class gives when read from
 * obj (NULL: read from the class itself); whether it is a data descriptor
 * (it governs writes and comes before the instance's __dict__); writing
 * or (v NULL) deleting through it. */
extern GsType gs_property_type, gs_staticmethod_type, gs_classmethod_type;
GsObject *gs_descr_get(GsThread *ts, GsObject *attr, GsObject *obj, GsType *owner);
bool gs_descr_is_data(GsThread *ts, GsObject *attr);
int gs_descr_set(GsThread *ts, GsObject *attr, GsObject *obj, GsObject *v);

/* The singletons (immortal, static). */
extern GsObject gs_none_obj, gs_notimpl_obj, gs_ellipsis_obj;
#define GS_NONE (&gs_none_obj)
#define GS_NOTIMPL (&gs_notimpl_obj)

/* int, and bool (True/False are GsInts of type bool).  An int has two
 * forms (objects/bigint.h): small, the value in `value`, and big, beyond
 * int64, its digits in a GMP integer that `big` points at.  Each value has
 * one form only: a result that fits int64 is always small. */
typedef struct {
    GsObject ob;
    int64_t value;       /* the value (small form); big: INT64_MIN or INT64_MAX by sign */
    void *big;           /* NULL (small form), or the value's mpz_t (big form) */
} GsInt;

extern GsInt gs_true_obj, gs_false_obj;
#define GS_TRUE ((GsObject *)&gs_true_obj)
#define GS_FALSE ((GsObject *)&gs_false_obj)

typedef struct {
    GsObject ob;
    double value;
} GsFloat;

typedef struct {
    GsObject ob;
    int64_t hash;        /* -1 until computed */
    size_t nbytes;       /* UTF-8 bytes, not counting the terminating NUL */
    size_t nchars;       /* code points */
    bool ascii;          /* nbytes == nchars: indexing is byte indexing */
    bool interned;
    char data[];         /* UTF-8, NUL-terminated */
} GsStr;

typedef struct {
    GsObject ob;
    int64_t hash;
    size_t len;
    unsigned char data[];
} GsBytes;

typedef struct {
    GsObject ob;
    int64_t hash;        /* -1 until computed */
    size_t len;
    GsObject *items[];
} GsTuple;

typedef struct {
    GsObject ob;
    size_t len, cap;
    GsObject **items;
} GsList;

typedef struct {
    GsObject *key;       /* NULL: a deleted entry */
    GsObject *value;
    int64_t hash;
} GsDictEntry;

typedef struct {
    GsObject ob;
    size_t used;         /* live entries */
    size_t nentries;     /* entries[] slots in use, deleted ones included */
    size_t cap;          /* entries[] capacity */
    size_t nindex;       /* index[] size, a power of two (0: none yet) */
    int32_t *index;      /* open-addressing table of entry numbers; -1 empty, -2 dummy */
    GsDictEntry *entries;/* insertion order */
    /* A number that changes with every change of its contents and that no
     * other dict ever had (0: nothing was ever stored), like CPython's
     * ma_version_tag: LOAD_GLOBAL's cache checks it (eval.c). */
    uint64_t version;
    /* An instance's __dict__: CPython 3.9 shares its keys with the other
     * instances of the class (PEP 412), a layout gilscope does not have,
     * so sys.getsizeof refuses it rather than give the wrong size. */
    bool instance_dict;
} GsDict;

/* set and frozenset (set.c): one open-addressing table of (key, hash),
 * as in CPython 3.9 -- the order of iteration is the order of the slots. */
#define GS_SET_MINSIZE 8
typedef struct {
    GsObject *key;       /* NULL: never used; set.c's dummy: removed */
    int64_t hash;        /* 0 when never used, -1 when removed */
} GsSetEntry;

typedef struct {
    GsObject ob;
    int64_t fill;        /* live and removed entries */
    int64_t used;        /* live entries: len() */
    int64_t mask;        /* slots - 1; slots are a power of two */
    GsSetEntry *table;   /* smalltable, or a malloc'd table once it grows */
    int64_t hash;        /* frozenset: -1 until computed */
    int64_t finger;      /* where the next pop() starts looking */
    GsSetEntry smalltable[GS_SET_MINSIZE];
} GsSet;

typedef struct {
    GsObject ob;
    int64_t start, stop, step, len;
} GsRange;

typedef struct {
    GsObject ob;
    GsObject *start, *stop, *step;
} GsSlice;

typedef struct {
    GsObject ob;
    GsObject *ref;       /* NULL: empty cell */
} GsCell;

/* A guest class instance, and the layout every type with a __dict__
 * starts with (exceptions too). */
typedef struct {
    GsObject ob;
    GsObject *dict;      /* NULL until first attribute set */
} GsInstance;

/* Where o's __dict__ pointer lives, NULL if its class gives it none: right
 * after the header (GsInstance) unless slots come first (typeobject.c). */
static inline GsObject **gs_dictptr(GsObject *o)
{
    GsType *t = o->type;
    if (!(t->flags & GS_TPFLAG_HAS_DICT))
        return NULL;
    return (GsObject **)((char *)o + (t->dictoffset ? t->dictoffset : offsetof(GsInstance, dict)));
}

typedef struct {
    GsInstance base;     /* so exceptions have a __dict__ like any instance */
    GsObject *args;      /* a tuple */
    GsObject *traceback; /* a list of (filename, line, funcname) tuples, newest last */
    GsObject *context;   /* the exception being handled when this one was raised */
    GsObject *cause;     /* `raise ... from cause` */
    bool suppress_context;   /* set by `from`: print the cause, not the context */
} GsException;

typedef struct {
    GsObject ob;
    GsObject *func;      /* the function */
    GsObject *self;      /* what it is bound to */
} GsMethod;

typedef struct {
    GsObject ob;
    const char *name;
    GsCFunc fn;
    GsObject *self;      /* bound object, or the module of a plain function;
                            NULL for an unbound method of a built-in type */
    GsType *owner;       /* unbound methods: the type `self` must belong to */
} GsCFunction;

typedef struct {
    GsObject ob;
    GsObject *name;      /* str */
    GsObject *dict;      /* the module's globals */
} GsModule;

/* A generic iterator over a sequence or a range or a dict. */
typedef struct {
    GsObject ob;
    GsObject *seq;       /* what is iterated, NULL once exhausted */
    int64_t index;
    int kind;            /* GS_ITER_* */
    int64_t cur, stop, step;   /* range iteration */
} GsIter;

enum { GS_ITER_SEQ, GS_ITER_RANGE, GS_ITER_DICT_KEYS, GS_ITER_DICT_VALUES,
       GS_ITER_DICT_ITEMS, GS_ITER_STR, GS_ITER_BYTES };

typedef struct {
    GsObject ob;
    GsObject *dict;
    int kind;            /* GS_ITER_DICT_KEYS / VALUES / ITEMS */
} GsDictView;

/* ---- allocation ----------------------------------------------------------
 * Every object is allocated by gs_alloc and freed by gs_dealloc: the one
 * place that counts allocations (for the GC thresholds), numbers objects,
 * and can fail on purpose in tests.  Containers (GS_TPFLAG_GC) get a GC
 * header in front of them, as in CPython. */
GsObject *gs_alloc(GsThread *ts, GsType *type, size_t size);  /* refcnt 1, zeroed */
void gs_free_memory(GsThread *ts, GsObject *o);               /* the inverse, no dealloc */
void *gs_malloc(GsThread *ts, size_t n);     /* raises MemoryError on failure */
void *gs_realloc(GsThread *ts, void *p, size_t n);

/* ---- constructors (new references) ---------------------------------------- */
/* The small ints, -5..256, shared and immortal as in CPython: arithmetic
 * hands them out without allocating, and inline, since a loop counter or
 * fib's n - 1 is one of them nearly every time. */
#define GS_SMALL_MIN (-5)
#define GS_SMALL_MAX 256
extern GsInt gs_small_ints[GS_SMALL_MAX - GS_SMALL_MIN + 1];
GsObject *gs_int_alloc(GsThread *ts, int64_t v);   /* any v; gs_int_new's slow path */
static inline GsObject *gs_int_new(GsThread *ts, int64_t v)
{
    if (v >= GS_SMALL_MIN && v <= GS_SMALL_MAX)
        return (GsObject *)&gs_small_ints[v - GS_SMALL_MIN];   /* immortal: no incref */
    return gs_int_alloc(ts, v);
}
GsObject *gs_float_new(GsThread *ts, double v);
static inline GsObject *gs_bool(bool b) { return b ? GS_TRUE : GS_FALSE; } /* borrowed */
GsObject *gs_str_new(GsThread *ts, const char *utf8, size_t nbytes);
GsObject *gs_str_from(GsThread *ts, const char *cstr);
GsObject *gs_str_printf(GsThread *ts, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
GsObject *gs_str_intern(GsThread *ts, GsObject *s);   /* steals s, returns interned */
GsObject *gs_str_intern_c(GsThread *ts, const char *cstr);
GsObject *gs_bytes_new(GsThread *ts, const void *data, size_t len);
GsObject *gs_tuple_new(GsThread *ts, size_t len);     /* items NULL: fill them all */
GsObject *gs_tuple_pack(GsThread *ts, size_t n, ...); /* new refs taken on items */
GsObject *gs_list_new(GsThread *ts, size_t len);      /* items NULL: fill them all */
GsObject *gs_dict_new(GsThread *ts);
GsObject *gs_cell_new(GsThread *ts, GsObject *v);
GsObject *gs_method_new(GsThread *ts, GsObject *func, GsObject *self);
GsObject *gs_cfunction_new(GsThread *ts, const char *name, GsCFunc fn, GsObject *self);
GsObject *gs_slice_new(GsThread *ts, GsObject *start, GsObject *stop, GsObject *step);
GsObject *gs_range_new(GsThread *ts, int64_t start, int64_t stop, int64_t step);

/* ---- ints and doubles (object.c) -------------------------------------------
 * Every double -> integer conversion goes through these: a C cast of an
 * out-of-range double is undefined behaviour (and on x86 gives INT64_MIN).
 * Ints of any size: objects/bigint.h. */
/* d truncated toward zero, exactly, as an int64.  NaN: ValueError, +-inf:
 * OverflowError (CPython's messages), finite beyond int64: OverflowError
 * "Python int too large to convert to C long".  0 / -1. */
int gs_double_to_int64(GsThread *ts, double d, int64_t *out);
GsObject *gs_int_from_double(GsThread *ts, double d);   /* int(d): any size */
/* Compares int64 i with double d exactly (no rounding of i to a double):
 * -1, 0, 1; d must not be NaN. */
int gs_int_double_cmp(int64_t i, double d);

/* The value of a small int (see gs_int_is_big; for a big one, its clamp). */
static inline int64_t gs_int_value(GsObject *o) { return ((GsInt *)o)->value; }
static inline bool gs_int_is_big(GsObject *o) { return ((GsInt *)o)->big != NULL; }
/* Both small: what the eval loop's inline arithmetic checks. */
static inline bool gs_ints_small(GsObject *a, GsObject *b)
{
    return !((uintptr_t)((GsInt *)a)->big | (uintptr_t)((GsInt *)b)->big);
}
static inline double gs_float_value(GsObject *o) { return ((GsFloat *)o)->value; }
static inline const char *gs_str_cstr(GsObject *o) { return ((GsStr *)o)->data; }

/* ---- type tests ------------------------------------------------------------ */
bool gs_type_is_subtype(GsType *a, GsType *b);
static inline bool gs_is(GsObject *o, GsType *t) { return o->type == t; }
#define GS_IS_INT(o) ((o)->type == &gs_int_type || (o)->type == &gs_bool_type)
#define GS_IS_FLOAT(o) ((o)->type == &gs_float_type)
#define GS_IS_STR(o) ((o)->type == &gs_str_type)
#define GS_IS_TUPLE(o) ((o)->type == &gs_tuple_type)
#define GS_IS_LIST(o) ((o)->type == &gs_list_type)
#define GS_IS_DICT(o) ((o)->type == &gs_dict_type)
#define GS_IS_ANYSET(o) ((o)->type == &gs_set_type || (o)->type == &gs_frozenset_type)
/* A class: an instance of type or of a metaclass derived from it. */
#define GS_IS_TYPE(o) (((o)->type->flags & GS_TPFLAG_TYPE_SUBCLASS) != 0)
bool gs_is_exception(GsObject *o);

/* ---- generic operations (ops.c) ------------------------------------------- */
GsObject *gs_repr(GsThread *ts, GsObject *o);
GsObject *gs_str(GsThread *ts, GsObject *o);
int64_t gs_hash(GsThread *ts, GsObject *o);
GsObject *gs_richcompare(GsThread *ts, GsObject *a, GsObject *b, int op);
int gs_compare_bool(GsThread *ts, GsObject *a, GsObject *b, int op); /* 1/0/-1 */
int gs_equal(GsThread *ts, GsObject *a, GsObject *b);               /* 1/0/-1 */
int gs_truth(GsThread *ts, GsObject *o);                            /* 1/0/-1 */
GsObject *gs_getattr(GsThread *ts, GsObject *o, GsObject *name);
GsObject *gs_getattr_c(GsThread *ts, GsObject *o, const char *name);
int gs_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v);
/* LOAD_METHOD: *meth = unbound function, returns 1 (push meth, self); or
 * *meth = bound attribute, returns 0; -1 on error. */
int gs_getmethod(GsThread *ts, GsObject *o, GsObject *name, GsObject **meth);
GsObject *gs_type_lookup(GsType *t, GsObject *name);   /* borrowed, searches bases */
GsObject *gs_call(GsThread *ts, GsObject *callee, GsObject *const *args, size_t nargs,
                  GsObject *kwnames);
GsObject *gs_call0(GsThread *ts, GsObject *callee);
GsObject *gs_call1(GsThread *ts, GsObject *callee, GsObject *a);
GsObject *gs_getiter(GsThread *ts, GsObject *o);
GsObject *gs_iternext(GsThread *ts, GsObject *it);    /* NULL + no error: done */
int64_t gs_len(GsThread *ts, GsObject *o);
GsObject *gs_getitem(GsThread *ts, GsObject *o, GsObject *key);
int gs_setitem(GsThread *ts, GsObject *o, GsObject *key, GsObject *v);
int gs_contains(GsThread *ts, GsObject *container, GsObject *v);
/* Binary and unary operators; op is the BINARY_* / INPLACE_* / UNARY_* opcode. */
GsObject *gs_binary_op(GsThread *ts, int opcode, GsObject *a, GsObject *b);
GsObject *gs_unary_op(GsThread *ts, int opcode, GsObject *a);
const char *gs_type_name(GsObject *o);

/* ---- sequences and mappings (list.c, tuple.c, dict.c) ---------------------- */
int gs_list_append(GsThread *ts, GsObject *list, GsObject *v);  /* takes a new ref on v */
GsObject *gs_list_as_tuple(GsThread *ts, GsObject *list);
/* dict: lookups return BORROWED values, NULL + no error if missing */
GsObject *gs_dict_get(GsThread *ts, GsObject *d, GsObject *key);
GsObject *gs_dict_get_c(GsThread *ts, GsObject *d, const char *key);
int gs_dict_set(GsThread *ts, GsObject *d, GsObject *key, GsObject *v); /* new ref on both */
int gs_dict_set_c(GsThread *ts, GsObject *d, const char *key, GsObject *v);
int gs_dict_del(GsThread *ts, GsObject *d, GsObject *key);   /* 1 deleted, 0 missing, -1 */
bool gs_dict_next(GsObject *d, size_t *pos, GsObject **key, GsObject **value); /* borrowed */
/* set and frozenset (set.c).  iterable may be NULL (empty). */
GsObject *gs_set_new(GsThread *ts, GsObject *iterable);
GsObject *gs_frozenset_new(GsThread *ts, GsObject *iterable);
int gs_set_add(GsThread *ts, GsObject *set, GsObject *key);          /* new ref on key */
int gs_set_update(GsThread *ts, GsObject *set, GsObject *iterable);
int gs_set_contains(GsThread *ts, GsObject *set, GsObject *key);     /* 1/0/-1 */
bool gs_set_next(GsObject *set, int64_t *pos, GsObject **key);       /* borrowed */
/* a | b, a & b, a - b, a ^ b (op is the character) for sets, frozensets
 * and dict key/item views; NotImplemented (new ref) for anything else. */
GsObject *gs_set_binop(GsThread *ts, char op, bool inplace, GsObject *a, GsObject *b);

/* ---- classes (typeobject.c) ------------------------------------------------ */
/* type.__new__(metatype, name, bases, dict, **kw): a new class, its MRO,
 * __slots__, __set_name__ and __init_subclass__, as CPython 3.9's type_new.
 * kw: the class statement's keywords (metaclass= taken out). */
GsObject *gs_type_new(GsThread *ts, GsType *metatype, GsObject *name, GsObject *bases,
                      GsObject *dict, GsObject *const *kwvals, GsObject *kwnames);
/* The metaclass a class with these bases gets (CPython's
 * _PyType_CalculateMetaclass); NULL + TypeError on a conflict.  Borrowed. */
GsType *gs_type_calculate_meta(GsThread *ts, GsType *meta, GsObject *bases);
/* isinstance(o, cls) and issubclass(c, cls), __instancecheck__ and
 * __subclasscheck__ included: 1, 0, -1. */
int gs_isinstance(GsThread *ts, GsObject *o, GsObject *cls);
int gs_issubclass(GsThread *ts, GsObject *c, GsObject *cls);
/* obj.__class__ = new: may instances of old become instances of new? -1 +
 * TypeError if not (attr: "__class__" or "__bases__" for the message). */
int gs_type_check_layout(GsThread *ts, GsType *old, GsType *new, const char *attr);
/* object.__init__ / object.__new__ given arguments: an error unless the
 * class overrides the other one (CPython's excess_args rule). 0 / -1. */
int gs_object_check_init_args(GsThread *ts, GsObject *self, size_t nargs);
int gs_object_check_new_args(GsThread *ts, GsType *t, size_t nargs);
/* CPython 3.9's tp_basicsize for t (the static types' measured, a
 * class's computed from its slots): sys.getsizeof's base. */
size_t gs_type_cpy_basicsize(GsType *t);
/* The built-in type whose memory layout a class's instances have. */
GsType *gs_type_builtin_base(GsType *t);
/* A class's __getattribute__/__setattr__/__delattr__ changed: re-derive
 * the attribute slots of it and of every class below it (object.c). */
void gs_type_set_attribute_hooks(GsThread *ts, GsType *t);
/* sys.getsizeof(o) and o.__sizeof__() as CPython 3.9 on 64-bit Linux
 * (sizeof.c); -1 + an exception naming what gilscope cannot size. */
int64_t gs_sizeof(GsThread *ts, GsObject *o);        /* __sizeof__: no GC header */
int64_t gs_getsizeof(GsThread *ts, GsObject *o);     /* what sys.getsizeof returns */
extern GsType gs_member_type;    /* slot descriptors: <member 'a' of 'C' objects> */
GsObject *gs_member_new(GsThread *ts, GsType *owner, GsObject *name, size_t offset);
/* A class's __dict__ / __weakref__ descriptors: <attribute '__dict__' of 'C' objects>. */
extern GsType gs_getset_type;
enum { GS_GETSET_DICT, GS_GETSET_WEAKREF };
GsObject *gs_getset_new(GsThread *ts, GsType *owner, int kind);

/* ---- exceptions ---------------------------------------------------------- */
/* Exception types, static like the other built-in types. */
#define GS_EXC_TYPES(X) \
    X(BaseException, gs_object_type) \
    X(SystemExit, gs_exc_BaseException) \
    X(KeyboardInterrupt, gs_exc_BaseException) \
    X(GeneratorExit, gs_exc_BaseException) \
    X(Exception, gs_exc_BaseException) \
    X(StopIteration, gs_exc_Exception) \
    X(StopAsyncIteration, gs_exc_Exception) \
    X(ArithmeticError, gs_exc_Exception) \
    X(OverflowError, gs_exc_ArithmeticError) \
    X(ZeroDivisionError, gs_exc_ArithmeticError) \
    X(AssertionError, gs_exc_Exception) \
    X(AttributeError, gs_exc_Exception) \
    X(LookupError, gs_exc_Exception) \
    X(IndexError, gs_exc_LookupError) \
    X(KeyError, gs_exc_LookupError) \
    X(MemoryError, gs_exc_Exception) \
    X(NameError, gs_exc_Exception) \
    X(UnboundLocalError, gs_exc_NameError) \
    X(OSError, gs_exc_Exception) \
    X(FileNotFoundError, gs_exc_OSError) \
    X(IsADirectoryError, gs_exc_OSError) \
    X(ConnectionError, gs_exc_OSError) \
    X(BrokenPipeError, gs_exc_ConnectionError) \
    X(RuntimeError, gs_exc_Exception) \
    X(RecursionError, gs_exc_RuntimeError) \
    X(NotImplementedError, gs_exc_RuntimeError) \
    X(SyntaxError, gs_exc_Exception) \
    X(IndentationError, gs_exc_SyntaxError) \
    X(SystemError, gs_exc_Exception) \
    X(TypeError, gs_exc_Exception) \
    X(ValueError, gs_exc_Exception) \
    X(ImportError, gs_exc_Exception) \
    X(ModuleNotFoundError, gs_exc_ImportError)

#define GS_X_DECL(name, base) extern GsType gs_exc_##name;
GS_EXC_TYPES(GS_X_DECL)
#undef GS_X_DECL

/* Raise: set ts's current exception.  All return NULL for `return gs_err...`. */
GsObject *gs_err_set(GsThread *ts, GsType *type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
GsObject *gs_err_set_obj(GsThread *ts, GsObject *exc);     /* exc: type or instance */
GsObject *gs_err_occurred(GsThread *ts);                    /* borrowed */
bool gs_err_matches(GsThread *ts, GsType *type);
GsObject *gs_err_fetch(GsThread *ts);                       /* new ref, clears */
void gs_err_clear(GsThread *ts);
GsObject *gs_exc_new(GsThread *ts, GsType *type, GsObject *const *args, size_t nargs);

/* ---- start-up -------------------------------------------------------------- */
void gs_types_init(void);     /* once per process; idempotent */
GsObject *gs_small_int(int64_t v); /* borrowed, -5 <= v <= 256 */

#endif

/* ---- small utilities shared by the built-in types (util.c) ------------------ */
#ifndef GS_UTIL_DECLS
#define GS_UTIL_DECLS
/* A growable byte buffer for building strings. */
typedef struct {
    char *data;
    size_t len, cap;
} GsBuf;
void gs_buf_init(GsBuf *b);
void gs_buf_free(GsBuf *b);
void gs_buf_put(GsBuf *b, const char *s, size_t n);
void gs_buf_puts(GsBuf *b, const char *s);
void gs_buf_putc(GsBuf *b, char c);
void gs_buf_printf(GsBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
GsObject *gs_buf_finish(GsThread *ts, GsBuf *b);  /* -> str, frees the buffer */
/* Append repr(o) / str(o); -1 on error. */
int gs_buf_repr(GsThread *ts, GsBuf *b, GsObject *o);
int gs_buf_str(GsThread *ts, GsBuf *b, GsObject *o);

/* The calling convention of C functions (GsCFunc): args excludes self;
 * keyword values come after the positional ones, their names in kwnames
 * (a tuple of str, or NULL when there are none); nargs counts both.  So
 * the positional count is nargs - gs_kw_count(kwnames). */
static inline size_t gs_kw_count(GsObject *kwnames)
{
    return kwnames ? ((GsTuple *)kwnames)->len : 0;
}

/* Argument checking for C functions; each raises TypeError like CPython. */
int gs_check_nargs(GsThread *ts, const char *fname, size_t nargs, size_t min, size_t max);
int gs_check_no_kw(GsThread *ts, const char *fname, GsObject *kwnames);
/* A duration in seconds (an int or a float: time.sleep, the timeouts of
 * _thread) as nanoseconds, as CPython's _PyTime_FromSecondsObject makes it:
 * rounded away from zero; NaN is ValueError, anything beyond int64 ns
 * (+-292 years, infinities included) OverflowError, other types TypeError.
 * The sign is kept: the callers decide what a negative value means. */
int gs_seconds_to_ns(GsThread *ts, GsObject *secs, int64_t *out);
/* An index for a sequence of length len: negative counts from the end.
 * Raises IndexError("<what> index out of range") or TypeError. */
int gs_seq_index(GsThread *ts, GsObject *idx, int64_t len, const char *what, int64_t *out);
/* CPython's PySlice_GetIndicesEx: clip a slice to a sequence of length len;
 * the _wide form for lengths beyond INT64_MAX (ranges). */
typedef __int128 gs_wide;
int gs_slice_indices_wide(GsThread *ts, GsObject *slice, gs_wide len, gs_wide *start,
                          gs_wide *stop, gs_wide *step, gs_wide *slicelen);
int gs_slice_indices(GsThread *ts, GsObject *slice, int64_t len, int64_t *start,
                     int64_t *stop, int64_t *step, int64_t *slicelen);
GsObject *gs_iter_new(GsThread *ts, GsObject *seq, int kind);
/* str helpers (str.c) */
GsObject *gs_str_concat(GsThread *ts, GsObject *a, GsObject *b);
GsObject *gs_str_getitem(GsThread *ts, GsObject *s, GsObject *key);
GsObject *gs_str_char_at(GsThread *ts, GsObject *s, int64_t i);  /* i in range */
bool gs_str_eq(GsObject *a, GsObject *b);                        /* both str */
GsObject *gs_str_repeat(GsThread *ts, GsObject *s, int64_t n);
GsObject *gs_str_format_spec(GsThread *ts, GsObject *v, GsObject *spec); /* format(v, spec) */
GsObject *gs_str_mod(GsThread *ts, GsObject *fmt, GsObject *args);       /* fmt % args */
GsObject *gs_str_ascii(GsThread *ts, GsObject *o);                       /* ascii(o) */
/* sequence helpers (list.c / tuple.c) */
GsObject *gs_seq_concat(GsThread *ts, GsObject *a, GsObject *b);  /* list+list, tuple+tuple */
GsObject *gs_seq_repeat(GsThread *ts, GsObject *a, int64_t n);
int gs_list_extend(GsThread *ts, GsObject *list, GsObject *iterable);
GsObject *gs_sequence_to_list(GsThread *ts, GsObject *iterable);   /* list(iterable) */
/* dict iteration for GsIter (dict.c): next key / value / (key, value) tuple
 * for it->kind; NULL + no error when done; RuntimeError if the dict
 * changed size during iteration (it->stop holds the size at the start). */
GsObject *gs_dict_iternext(GsThread *ts, GsIter *it);
/* Recursion guard for repr of containers that contain themselves:
 * gs_repr_enter returns 1 if o is already being printed ("[...]"), 0 if
 * not (call gs_repr_leave after), -1 on error (too deep). */
int gs_repr_enter(GsThread *ts, GsObject *o);
void gs_repr_leave(GsThread *ts, GsObject *o);
int gs_list_sort(GsThread *ts, GsObject *list, GsObject *key, bool reverse);
/* format(), %-formatting and float repr: part of what the objects offer
 * the rest (format.h needs GsBuf, defined above). */
#include "format.h"

#endif
