/*
 * evalexec.c -- the built-ins eval(), exec() and compile(): Python source
 * given as a string at run time, compiled by gilscope's own compiler
 * (compiler.h) and run on a frame of its own.
 *
 * As in CPython 3.9 (Python/bltinmodule.c):
 *   - the source may be a str or a code object that compile() made;
 *     eval() strips leading spaces and tabs, exec() does not;
 *   - a syntax error in it is a SyntaxError from the file "<string>";
 *   - with no globals, the caller's globals and locals are used; with
 *     globals only, they are the locals too; a globals dict without
 *     "__builtins__" gets the builtins module's dict put there.
 * In a function, the caller's locals are a snapshot dict of its local
 * variables (CPython's locals()): exec() cannot rebind them.
 *
 * What gilscope leaves out says so: locals that are not a dict (any other
 * mapping), compile()'s flags, and the 'single' mode.
 */
#include <string.h>

#include "compiler/compiler.h"
#include "runtime/eval.h"
#include "runtime/interp.h"

/* The caller's local variables as a new dict: CPython's locals() for a
 * function frame, whose variables live in fast slots, not in a dict. */
static GsObject *locals_snapshot(GsThread *ts, GsFrame *f)
{
    GsCode *co = f->code;
    GsObject *d = gs_dict_new(ts);
    GsTuple *varnames = (GsTuple *)co->varnames, *cells = (GsTuple *)co->cellvars,
            *frees = (GsTuple *)co->freevars;
    for (int i = 0; d && i < co->nlocals; i++)
        if (f->localsplus[i] && gs_dict_set(ts, d, varnames->items[i], f->localsplus[i]) < 0)
            gs_setref(ts, &d, NULL);
    /* then the variables kept in cells: its own, then its free ones */
    size_t ncells = cells->len, nvars = ncells + frees->len;
    for (size_t i = 0; d && i < nvars; i++) {
        GsCell *cell = (GsCell *)f->localsplus[co->nlocals + (int)i];
        GsObject *name = i < ncells ? cells->items[i] : frees->items[i - ncells];
        if (cell && cell->ref && gs_dict_set(ts, d, name, cell->ref) < 0)
            gs_setref(ts, &d, NULL);
    }
    return d;
}

/* CPython's PyMapping_Check: can it be subscripted? */
static bool is_mapping(GsThread *ts, GsObject *o)
{
    return o->type->getitem || gs_type_lookup(o->type, GS_NAME(ts, __getitem__));
}

/* globals and locals for running code (new references in *g, *l), from
 * the arguments (NULL or None: not given). */
static int namespaces(GsThread *ts, const char *fname, GsObject *globals, GsObject *locals,
                      GsObject **g, GsObject **l)
{
    bool eval = strcmp(fname, "eval") == 0;
    if (globals == GS_NONE)
        globals = NULL;
    if (locals == GS_NONE)
        locals = NULL;
    if (globals && !gs_is(globals, &gs_dict_type)) {
        if (!eval)
            gs_err_set(ts, &gs_exc_TypeError, "exec() globals must be a dict, not %s",
                       gs_type_name(globals));
        else
            gs_err_set(ts, &gs_exc_TypeError, is_mapping(ts, globals)
                       ? "globals must be a real dict; try eval(expr, {}, mapping)"
                       : "globals must be a dict");
        return -1;
    }
    if (locals && !is_mapping(ts, locals)) {
        if (eval)
            gs_err_set(ts, &gs_exc_TypeError, "locals must be a mapping");
        else
            gs_err_set(ts, &gs_exc_TypeError, "locals must be a mapping or None, not %s",
                       gs_type_name(locals));
        return -1;
    }
    if (locals && !gs_is(locals, &gs_dict_type)) {
        gs_err_set(ts, &gs_exc_TypeError,
                   "gilscope's %s() takes only a dict as locals, not %s", fname,
                   gs_type_name(locals));
        return -1;
    }
    GsFrame *f = ts->frame;
    if (!globals) {
        if (!f) {
            gs_err_set(ts, &gs_exc_TypeError,
                       "%s must be given globals and locals when called without a frame", fname);
            return -1;
        }
        globals = f->globals;
        if (!locals) {
            *l = f->locals ? gs_newref(ts, f->locals) : locals_snapshot(ts, f);
            if (!*l)
                return -1;
            *g = gs_newref(ts, globals);
            return 0;
        }
    }
    *g = gs_newref(ts, globals);
    *l = gs_newref(ts, locals ? locals : globals);
    return 0;
}

/* A function's code run with no arguments: CPython 3.9 binds none, so its
 * parameters are "missing" (_PyEval_EvalCode's message). */
static GsObject *missing_arguments(GsThread *ts, GsCode *co)
{
    bool positional = co->argcount > 0;
    int from = positional ? 0 : co->argcount;
    int count = positional ? co->argcount : co->kwonlyargcount;
    GsBuf names;
    gs_buf_init(&names);
    for (int i = 0; i < count; i++) {
        if (i > 0)
            gs_buf_puts(&names, i == count - 1 ? (count > 2 ? ", and " : " and ") : ", ");
        gs_buf_printf(&names, "'%s'",
                      gs_str_cstr(((GsTuple *)co->varnames)->items[from + i]));
    }
    gs_err_set(ts, &gs_exc_TypeError, "%s() missing %d required %s argument%s: %s",
               gs_str_cstr(co->name), count, positional ? "positional" : "keyword-only",
               count == 1 ? "" : "s", names.data ? names.data : "");
    gs_buf_free(&names);
    return NULL;
}

/* A code object from eval/exec's first argument (a new reference). */
static GsObject *source_code(GsThread *ts, const char *fname, GsObject *src, bool eval_mode)
{
    if (gs_is(src, &gs_code_type)) {
        /* A function's __code__: one with free variables is refused as
         * CPython refuses it; cells and generators need a function's
         * frame set-up, which gilscope gives only to functions. */
        GsCode *co = (GsCode *)src;
        if (((GsTuple *)co->freevars)->len)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "code object passed to %s() may not contain free variables", fname);
        if (((GsTuple *)co->cellvars)->len || (co->flags & GS_CO_GENERATOR))
            return gs_err_set(ts, &gs_exc_TypeError,
                              "gilscope's %s() cannot run the code of a function with cells "
                              "or of a generator", fname);
        if (co->argcount || co->kwonlyargcount)
            return missing_arguments(ts, co);
        return gs_newref(ts, src);
    }
    if (!GS_IS_STR(src))
        return gs_err_set(ts, &gs_exc_TypeError, "%s() arg 1 must be a string, bytes or code object",
                          fname);
    const char *text = gs_str_cstr(src);
    if (strlen(text) != ((GsStr *)src)->nbytes)
        return gs_err_set(ts, &gs_exc_ValueError, "source code string cannot contain null bytes");
    if (eval_mode)
        text += strspn(text, " \t");
    return gs_compile_mode(ts, text, "<string>", eval_mode);
}

/* eval(source, globals=None, locals=None, /) and exec(...): the two differ
 * in the mode the string is compiled in and in what they return. */
static GsObject *run_source(GsThread *ts, const char *fname, bool eval_mode,
                            GsObject *const *args, size_t nargs, GsObject *kwnames)
{
    if (gs_kw_count(kwnames))
        return gs_err_set(ts, &gs_exc_TypeError, "%s() takes no keyword arguments", fname);
    if (gs_check_nargs(ts, fname, nargs, 1, 3) < 0)
        return NULL;
    GsObject *g, *l;
    if (namespaces(ts, fname, nargs > 1 ? args[1] : NULL, nargs > 2 ? args[2] : NULL, &g, &l) < 0)
        return NULL;
    GsObject *code = NULL, *r = NULL;
    if (!gs_dict_get(ts, g, GS_NAME(ts, __builtins__)) &&
        gs_dict_set(ts, g, GS_NAME(ts, __builtins__), ts->interp->builtins) < 0)
        goto done;
    if (!(code = source_code(ts, fname, args[0], eval_mode)))
        goto done;
    r = gs_eval_code(ts, (GsCode *)code, g, l);
    if (r && !eval_mode)
        gs_setref(ts, &r, gs_newref(ts, GS_NONE));
done:
    gs_xdecref(ts, code);
    gs_decref(ts, g);
    gs_decref(ts, l);
    return r;
}

GsObject *gs_builtin_eval(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    (void)self;
    return run_source(ts, "eval", true, args, nargs, kwnames);
}

GsObject *gs_builtin_exec(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                          GsObject *kwnames)
{
    (void)self;
    return run_source(ts, "exec", false, args, nargs, kwnames);
}

/* compile(source, filename, mode): a code object for eval() or exec(). */
GsObject *gs_builtin_compile(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                             GsObject *kwnames)
{
    static const char *const names[] = { "source", "filename", "mode", "flags",
                                         "dont_inherit", "optimize" };
    GsObject *given[6] = { NULL };
    size_t npos = nargs - gs_kw_count(kwnames);
    (void)self;
    if (npos > 6)
        return gs_err_set(ts, &gs_exc_TypeError,
                          "compile() takes at most 6 arguments (%zu given)", npos);
    for (size_t i = 0; i < npos; i++)
        given[i] = args[i];
    for (size_t k = 0; k < gs_kw_count(kwnames); k++) {
        const char *kw = gs_str_cstr(((GsTuple *)kwnames)->items[k]);
        size_t i = 0;
        while (i < 6 && strcmp(names[i], kw) != 0)
            i++;
        if (i == 6)
            return gs_err_set(ts, &gs_exc_TypeError,
                              "compile() got an unexpected keyword argument '%s'", kw);
        if (given[i])
            return gs_err_set(ts, &gs_exc_TypeError,
                              "argument for compile() given by name ('%s') and position (%zu)",
                              kw, i + 1);
        given[i] = args[npos + k];
    }
    for (int i = 0; i < 3; i++)
        if (!given[i])
            return gs_err_set(ts, &gs_exc_TypeError,
                              "compile() missing required argument '%s' (pos %d)", names[i], i + 1);
    for (int i = 3; i < 6; i++)
        if (given[i] && !(GS_IS_INT(given[i]) && gs_int_value(given[i]) == (i == 5 ? -1 : 0)))
            return gs_err_set(ts, &gs_exc_ValueError,
                              "gilscope's compile() does not support the %s argument", names[i]);
    if (!GS_IS_STR(given[1]))
        return gs_err_set(ts, &gs_exc_TypeError, "compile() argument 'filename' must be str, not %s",
                          gs_type_name(given[1]));
    if (!GS_IS_STR(given[2]))
        return gs_err_set(ts, &gs_exc_TypeError, "compile() argument 'mode' must be str, not %s",
                          gs_type_name(given[2]));
    const char *mode = gs_str_cstr(given[2]);
    if (strcmp(mode, "single") == 0)
        return gs_err_set(ts, &gs_exc_ValueError,
                          "gilscope's compile() does not support the 'single' mode");
    if (strcmp(mode, "exec") != 0 && strcmp(mode, "eval") != 0)
        return gs_err_set(ts, &gs_exc_ValueError,
                          "compile() mode must be 'exec', 'eval' or 'single'");
    if (gs_is(given[0], &gs_code_type))
        return gs_newref(ts, given[0]);
    if (!GS_IS_STR(given[0]))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "compile() arg 1 must be a string, bytes or AST object");
    const char *text = gs_str_cstr(given[0]);
    if (strlen(text) != ((GsStr *)given[0])->nbytes)
        return gs_err_set(ts, &gs_exc_ValueError, "source code string cannot contain null bytes");
    return gs_compile_mode(ts, text, gs_str_cstr(given[1]), strcmp(mode, "eval") == 0);
}
