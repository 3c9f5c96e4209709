/*
 * code.c -- code objects (what the compiler makes; `foo.__code__`) and
 * function objects (a code object plus the globals and defaults it runs
 * with; what `def` makes).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/interp.h"

/* ---- code objects ----------------------------------------------------------- */

GsObject *gs_code_new(GsThread *ts, int argcount, int kwonlyargcount, int nlocals,
                      int stacksize, int flags, int firstlineno, GsObject *code,
                      GsObject *consts, GsObject *names, GsObject *varnames,
                      GsObject *cellvars, GsObject *freevars, GsObject *filename,
                      GsObject *name, GsObject *lnotab, const int *lines, int ninstr)
{
    GsCode *co = (GsCode *)gs_alloc(ts, &gs_code_type, sizeof(GsCode));
    if (!co)
        return NULL;
    co->argcount = argcount;
    co->kwonlyargcount = kwonlyargcount;
    co->nlocals = nlocals;
    co->stacksize = stacksize;
    co->flags = flags;
    co->firstlineno = firstlineno;
    co->code = gs_newref(ts, code);
    co->consts = gs_newref(ts, consts);
    co->names = gs_newref(ts, names);
    co->instr = ((GsBytes *)code)->data;
    co->const_items = ((GsTuple *)consts)->items;
    co->name_items = ((GsTuple *)names)->items;
    co->varnames = gs_newref(ts, varnames);
    co->cellvars = gs_newref(ts, cellvars);
    co->freevars = gs_newref(ts, freevars);
    co->filename = gs_newref(ts, filename);
    co->name = gs_newref(ts, name);
    co->lnotab = gs_newref(ts, lnotab);
    co->ninstr = ninstr;
    co->lines = malloc(((size_t)ninstr + 1) * sizeof(int));
    size_t ncells = ((GsTuple *)cellvars)->len;
    co->nvars = nlocals + (int)ncells + (int)((GsTuple *)freevars)->len;
    co->nslots = co->nvars + stacksize;
    co->plain_args = !(flags & (GS_CO_VARARGS | GS_CO_VARKEYWORDS)) && kwonlyargcount == 0 &&
                     co->nvars == nlocals;
    co->cell2arg = malloc((ncells + 1) * sizeof(int));
    if (!co->lines || !co->cell2arg) {
        gs_decref(ts, (GsObject *)co);
        return gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    }
    memcpy(co->lines, lines, (size_t)ninstr * sizeof(int));
    /* A parameter captured by an inner function lives in a cell from the
     * start: remember which argument fills which cell. */
    int nargs = argcount + kwonlyargcount + ((flags & GS_CO_VARARGS) != 0) +
                ((flags & GS_CO_VARKEYWORDS) != 0);
    for (size_t i = 0; i < ncells; i++) {
        co->cell2arg[i] = -1;
        for (int a = 0; a < nargs; a++)
            if (gs_str_eq(((GsTuple *)cellvars)->items[i], ((GsTuple *)varnames)->items[a]))
                co->cell2arg[i] = a;
    }
    return (GsObject *)co;
}

int gs_code_line(GsCode *code, int offset)
{
    int i = offset / 2;
    if (i < 0 || i >= code->ninstr)
        return code->firstlineno;
    return code->lines[i];
}

static void code_dealloc(GsThread *ts, GsObject *o)
{
    GsCode *co = (GsCode *)o;
    GsObject *f[] = { co->code, co->consts, co->names, co->varnames, co->cellvars,
                      co->freevars, co->filename, co->name, co->lnotab };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        gs_xdecref(ts, f[i]);
    free(co->lines);
    free(co->cell2arg);
    free(co->global_cache);
}

static int code_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsCode *co = (GsCode *)o;
    return co->consts ? visit(co->consts, arg) : 0;
}

static GsObject *code_repr(GsThread *ts, GsObject *o)
{
    GsCode *co = (GsCode *)o;
    return gs_str_printf(ts, "<code object %s at %#llx, file \"%s\", line %d>",
                         gs_str_cstr(co->name), (unsigned long long)(uintptr_t)o,
                         gs_str_cstr(co->filename), co->firstlineno);
}

static GsObject *code_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsCode *co = (GsCode *)o;
    struct { GsNameId id; GsObject *obj; int num; } fields[] = {
        { GS_N_co_varnames, co->varnames, 0 }, { GS_N_co_consts, co->consts, 0 },
        { GS_N_co_names, co->names, 0 }, { GS_N_co_code, co->code, 0 },
        { GS_N_co_name, co->name, 0 }, { GS_N_co_filename, co->filename, 0 },
        { GS_N_co_lnotab, co->lnotab, 0 }, { GS_N_co_cellvars, co->cellvars, 0 },
        { GS_N_co_freevars, co->freevars, 0 }, { GS_N_co_argcount, NULL, co->argcount },
        { GS_N_co_nlocals, NULL, co->nlocals }, { GS_N_co_firstlineno, NULL, co->firstlineno },
        { GS_N_co_stacksize, NULL, co->stacksize }, { GS_N_co_flags, NULL, co->flags },
        { GS_N_co_kwonlyargcount, NULL, co->kwonlyargcount },
        { GS_N_co_posonlyargcount, NULL, co->posonlyargcount },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (ts->interp->names[fields[i].id] != name)
            continue;
        return fields[i].obj ? gs_newref(ts, fields[i].obj) : gs_int_new(ts, fields[i].num);
    }
    return gs_generic_getattr(ts, o, name);
}

GsType gs_code_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 }, .name = "code",
    .base = &gs_object_type, .size = sizeof(GsCode), .flags = GS_TPFLAG_GC,
    .dealloc = code_dealloc, .traverse = code_traverse, .repr = code_repr,
    .getattr = code_getattr };

/* ---- functions ----------------------------------------------------------------- */

GsObject *gs_function_new(GsThread *ts, GsObject *code, GsObject *globals, GsObject *qualname)
{
    GsFunction *f = (GsFunction *)gs_alloc(ts, &gs_function_type, sizeof(GsFunction));
    if (!f)
        return NULL;
    f->code = gs_newref(ts, code);
    f->globals = gs_newref(ts, globals);
    f->builtins = ts->interp->builtins;
    f->name = gs_newref(ts, ((GsCode *)code)->name);
    f->qualname = gs_newref(ts, qualname ? qualname : ((GsCode *)code)->name);
    GsObject *mod = gs_dict_get(ts, globals, GS_NAME(ts, __name__));
    f->module = gs_newref(ts, mod ? mod : GS_NONE);
    return (GsObject *)f;
}

static void function_clear(GsThread *ts, GsObject *o)
{
    GsFunction *f = (GsFunction *)o;
    GsObject **fields[] = { &f->code, &f->globals, &f->name, &f->qualname, &f->defaults,
                            &f->kwdefaults, &f->closure, &f->dict, &f->module, &f->old_codes,
                            &f->annotations };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        GsObject *v = *fields[i];
        *fields[i] = NULL;
        gs_xdecref(ts, v);
    }
}

static int function_traverse(GsObject *o, GsVisit visit, void *arg)
{
    GsFunction *f = (GsFunction *)o;
    GsObject *fields[] = { f->code, f->globals, f->defaults, f->kwdefaults, f->closure,
                           f->dict, f->module, f->old_codes, f->annotations };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        int r = fields[i] ? visit(fields[i], arg) : 0;
        if (r)
            return r;
    }
    return 0;
}

static GsObject *function_repr(GsThread *ts, GsObject *o)
{
    GsFunction *f = (GsFunction *)o;
    return gs_str_printf(ts, "<function %s at %#llx>", gs_str_cstr(f->qualname),
                         (unsigned long long)(uintptr_t)o);
}

static GsObject *function_getattr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsFunction *f = (GsFunction *)o;
    if (name == GS_NAME(ts, __code__))
        return gs_newref(ts, f->code);
    if (name == GS_NAME(ts, __name__))
        return gs_newref(ts, f->name);
    if (name == GS_NAME(ts, __qualname__))
        return gs_newref(ts, f->qualname);
    if (name == GS_NAME(ts, __module__))
        return gs_newref(ts, f->module);
    if (name == GS_NAME(ts, __defaults__))
        return gs_newref(ts, f->defaults ? f->defaults : GS_NONE);
    if (gs_str_eq(name, GS_NAME(ts, __kwdefaults__)))
        return gs_newref(ts, f->kwdefaults ? f->kwdefaults : GS_NONE);
    if (gs_str_eq(name, GS_NAME(ts, __closure__)))   /* the cells of its free variables */
        return gs_newref(ts, f->closure ? f->closure : GS_NONE);
    if (gs_str_eq(name, GS_NAME(ts, __annotations__))) {
        /* As CPython: a function without annotations gets an empty dict
         * the first time it is asked, and keeps it. */
        if (!f->annotations && !(f->annotations = gs_dict_new(ts)))
            return NULL;
        return gs_newref(ts, f->annotations);
    }
    if (name == GS_NAME(ts, __doc__)) {
        GsObject *set = f->dict ? gs_dict_get(ts, f->dict, name) : NULL;   /* f.__doc__ = ... */
        if (set)
            return gs_newref(ts, set);
        GsTuple *consts = (GsTuple *)((GsCode *)f->code)->consts;
        GsObject *d = consts->len > 0 && GS_IS_STR(consts->items[0]) ? consts->items[0] : GS_NONE;
        return gs_newref(ts, d);
    }
    if (name == GS_NAME(ts, __dict__)) {
        if (!f->dict && !(f->dict = gs_dict_new(ts)))
            return NULL;
        return gs_newref(ts, f->dict);
    }
    GsObject *v = f->dict ? gs_dict_get(ts, f->dict, name) : NULL;
    if (v)
        return gs_newref(ts, v);
    return gs_err_set(ts, &gs_exc_AttributeError, "'function' object has no attribute '%s'",
                      gs_str_cstr(name));
}

static int type_error(GsThread *ts, const char *msg)
{
    gs_err_set(ts, &gs_exc_TypeError, "%s", msg);
    return -1;
}

/* f.__code__ = co: the code must expect as many free variables as f's
 * closure holds. */
static int set_code(GsThread *ts, GsFunction *f, GsObject *v)
{
    if (!v || !gs_is(v, &gs_code_type))
        return type_error(ts, "__code__ must be set to a code object");
    size_t want = f->closure ? ((GsTuple *)f->closure)->len : 0;
    size_t got = ((GsTuple *)((GsCode *)v)->freevars)->len;
    if (want != got) {
        gs_err_set(ts, &gs_exc_ValueError, "%s() requires a code object with %zu free vars, not %zu",
                   gs_str_cstr(f->name), want, got);
        return -1;
    }
    /* A frame borrows its code from the function (a reference per call
     * would cost every call; CPython's frames take one).  So that a call
     * of f still running the old code keeps it, f keeps each code it is
     * given until f itself goes -- one more reference to an old code than
     * CPython would count (docs/differences.md). */
    if (!f->old_codes && !(f->old_codes = gs_list_new(ts, 0)))
        return -1;
    GsList *old = (GsList *)f->old_codes;
    bool kept = false;
    for (size_t i = 0; i < old->len && !kept; i++)
        kept = old->items[i] == f->code;
    if (!kept && gs_list_append(ts, f->old_codes, f->code) < 0)
        return -1;
    gs_setref(ts, &f->code, gs_newref(ts, v));
    return 0;
}

/* The attributes CPython keeps in the function object itself: set them
 * there (with its type checks), not in f.__dict__.  Returns 1 if `name`
 * is none of them. */
static int set_special(GsThread *ts, GsFunction *f, GsObject *name, GsObject *v)
{
    if (gs_str_eq(name, GS_NAME(ts, __code__)))
        return set_code(ts, f, v);
    if (gs_str_eq(name, GS_NAME(ts, __defaults__))) {
        if (v && v != GS_NONE && !gs_is(v, &gs_tuple_type))
            return type_error(ts, "__defaults__ must be set to a tuple object");
        gs_setref(ts, &f->defaults, v && v != GS_NONE ? gs_newref(ts, v) : NULL);
        return 0;
    }
    if (gs_str_eq(name, GS_NAME(ts, __kwdefaults__))) {
        if (v && v != GS_NONE && !gs_is(v, &gs_dict_type))
            return type_error(ts, "__kwdefaults__ must be set to a dict object");
        gs_setref(ts, &f->kwdefaults, v && v != GS_NONE ? gs_newref(ts, v) : NULL);
        return 0;
    }
    if (gs_str_eq(name, GS_NAME(ts, __annotations__))) {
        if (v && v != GS_NONE && !gs_is(v, &gs_dict_type))
            return type_error(ts, "__annotations__ must be set to a dict object");
        gs_setref(ts, &f->annotations, v && v != GS_NONE ? gs_newref(ts, v) : NULL);
        return 0;
    }
    if (gs_str_eq(name, GS_NAME(ts, __closure__))) {
        gs_err_set(ts, &gs_exc_AttributeError, "readonly attribute");
        return -1;
    }
    bool is_name = gs_str_eq(name, GS_NAME(ts, __name__));
    if (is_name || gs_str_eq(name, GS_NAME(ts, __qualname__))) {
        if (!v || !GS_IS_STR(v))
            return type_error(ts, is_name ? "__name__ must be set to a string object"
                                          : "__qualname__ must be set to a string object");
        gs_setref(ts, is_name ? &f->name : &f->qualname, gs_newref(ts, v));
        return 0;
    }
    if (gs_str_eq(name, GS_NAME(ts, __module__))) {
        gs_setref(ts, &f->module, gs_newref(ts, v ? v : GS_NONE));
        return 0;
    }
    if (gs_str_eq(name, GS_NAME(ts, __dict__))) {
        if (!v || !gs_is(v, &gs_dict_type)) {
            if (!v)
                return type_error(ts, "cannot delete __dict__");
            gs_err_set(ts, &gs_exc_TypeError, "__dict__ must be set to a dictionary, not a '%s'",
                       v->type->name);
            return -1;
        }
        gs_setref(ts, &f->dict, gs_newref(ts, v));
        return 0;
    }
    if (gs_str_eq(name, GS_NAME(ts, __class__)))
        return type_error(ts, "__class__ assignment only supported for heap types or ModuleType "
                              "subclasses");
    const char *s = gs_str_cstr(name);
    if (strcmp(s, "__globals__") == 0 || strcmp(s, "__closure__") == 0) {
        gs_err_set(ts, &gs_exc_AttributeError, "readonly attribute");
        return -1;
    }
    return 1;
}

static int function_setattr(GsThread *ts, GsObject *o, GsObject *name, GsObject *v)
{
    GsFunction *f = (GsFunction *)o;
    int r = set_special(ts, f, name, v);
    if (r <= 0)
        return r;
    if (!f->dict && !(f->dict = gs_dict_new(ts)))
        return -1;
    if (v)
        return gs_dict_set(ts, f->dict, name, v);
    r = gs_dict_del(ts, f->dict, name);
    if (r == 0)
        gs_err_set(ts, &gs_exc_AttributeError, "%s", gs_str_cstr(name));
    return r <= 0 ? -1 : 0;
}

GsType gs_function_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "function", .base = &gs_object_type, .size = sizeof(GsFunction),
    .flags = GS_TPFLAG_GC, .dealloc = function_clear, .traverse = function_traverse,
    .clear = function_clear, .repr = function_repr, .getattr = function_getattr,
    .setattr = function_setattr, .call = gs_function_call };
