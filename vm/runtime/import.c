/*
 * import.c -- the import statement: finding modules on sys.path, running
 * them once, packages, relative imports, `from m import *`, and the import
 * lock that keeps two threads from running one module twice.
 *
 * CPython 3.9 does most of this in Python (importlib._bootstrap) with a C
 * fast path (Python/import.c); gilscope does the same steps in C, in the
 * same order, so that what a program can observe -- sys.modules, the
 * module attributes, the error messages, the partly run module a circular
 * import sees -- is CPython's:
 *
 *   1. A relative name (`from .m import x`, level >= 1) is made absolute
 *      from the importing module's __package__ (or its __name__).
 *   2. sys.modules is looked at first: a module runs once.  None there
 *      stops the import.
 *   3. Otherwise the parent package is imported first (`a.b` needs `a`),
 *      and the module is looked for on the parent's __path__, or for a
 *      top-level name on sys.path; a few built-in modules come before
 *      sys.path, as CPython's compiled-in ones do.
 *   4. Found, it is put into sys.modules *before* its code runs (so a
 *      circular import finds it, half made), its code runs in its own
 *      namespace, and if that fails it is taken out again.  A submodule
 *      becomes an attribute of its parent.
 *
 * Where to look (sys.path): the script's directory (or, for `run -m`, the
 * current one), then PYTHONPATH's entries, then "<gilscope>": the entry
 * standing for gilscope's own library -- threading, dis and math, which
 * in CPython are files of the standard library (a program's own
 * threading.py next to it shadows them there too).  sys, builtins,
 * _thread, time, gc and os come before sys.path: the first four are
 * compiled into CPython, and CPython's start-up has imported os before
 * the program runs.
 *
 * Threads.  While a module's code runs, the GIL may pass to another
 * thread, which may import the same module.  Each import under way is
 * listed (GsImporting, CPython's per-module lock): a thread that finds
 * the module it wants under way in another thread waits, with the GIL
 * released, until that import ends -- unless the other thread is itself
 * waiting for one of this thread's imports, which would wait for ever:
 * then, as CPython does, it goes on with the partly run module.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "eval.h"

/* The sys.path entry for gilscope's library (the modules that are files
 * of the standard library in CPython). */
#define GS_LIB_ENTRY "<gilscope>"

/* An import under way: the module is in sys.modules, its code running. */
struct GsImporting {
    GsObject *name;          /* the module's full name (owned) */
    GsObject *module;        /* the module object (owned) */
    GsThread *owner;         /* the thread running its code */
    GsImporting *next;
};

GsObject *gs_module_new_builtin(GsThread *ts, const char *name);   /* modules.c */

/* ---- errors --------------------------------------------------------------------- */

/* ImportError (or ModuleNotFoundError) with its `name` and `path`
 * attributes, as CPython sets them (path: NULL for None). */
static GsObject *import_error(GsThread *ts, GsType *type, GsObject *name, const char *path,
                              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static GsObject *import_error(GsThread *ts, GsType *type, GsObject *name, const char *path,
                              const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gs_err_set(ts, type, "%s", msg);
    GsObject *exc = gs_err_occurred(ts);
    if (!exc || !gs_type_is_subtype(exc->type, type))
        return NULL;   /* out of memory instead */
    /* Set aside while the attributes are set (that may fail too). */
    exc = gs_err_fetch(ts);
    GsObject *p = path ? gs_str_from(ts, path) : gs_newref(ts, GS_NONE);
    GsObject *k1 = gs_str_from(ts, "name"), *k2 = gs_str_from(ts, "path");
    if (p && k1 && k2 && gs_setattr(ts, exc, k1, name ? name : GS_NONE) == 0)
        gs_setattr(ts, exc, k2, p);
    gs_xdecref(ts, p);
    gs_xdecref(ts, k1);
    gs_xdecref(ts, k2);
    if (gs_err_occurred(ts))
        gs_decref(ts, exc);   /* out of memory: that is the error now */
    else
        ts->curexc = exc;
    return NULL;
}

static GsObject *not_found(GsThread *ts, GsObject *name)
{
    return import_error(ts, &gs_exc_ModuleNotFoundError, name, NULL, "No module named '%s'",
                        gs_str_cstr(name));
}

/* ---- imports under way, and waiting for them ---------------------------------------- */

static GsImporting *importing_find(GsThread *ts, GsObject *name)
{
    for (GsImporting *e = ts->interp->importing; e; e = e->next)
        if (gs_str_eq(e->name, name))
            return e;
    return NULL;
}

static GsImporting *importing_push(GsThread *ts, GsObject *name, GsObject *module)
{
    GsImporting *e = calloc(1, sizeof *e);
    if (!e) {
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
        return NULL;
    }
    e->name = gs_newref(ts, name);
    e->module = gs_newref(ts, module);
    e->owner = ts;
    e->next = ts->interp->importing;
    ts->interp->importing = e;
    return e;
}

static void importing_pop(GsThread *ts, GsImporting *e)
{
    GsImporting **p = &ts->interp->importing;
    while (*p != e)
        p = &(*p)->next;
    *p = e->next;
    gs_decref(ts, e->name);
    gs_decref(ts, e->module);
    free(e);
}

/* Would ts waiting for e close a circle of threads waiting for each
 * other's imports?  (All of it is read under the GIL.) */
static bool wait_would_deadlock(GsThread *ts, GsImporting *e)
{
    for (int hops = 0; e && hops < 1000; hops++) {
        if (e->owner == ts)
            return true;
        e = e->owner->import_waits_for;
    }
    return false;
}

static bool still_importing(GsThread *ts, GsImporting *e)
{
    for (GsImporting *x = ts->interp->importing; x; x = x->next)
        if (x == e)
            return true;
    return false;
}

/* Wait, the GIL released, until another thread's import e has ended.
 * Returns false when waiting would deadlock (or the run is stopping):
 * the caller then goes on with the module as it is. */
static bool wait_for_import(GsThread *ts, GsImporting *e)
{
    if (wait_would_deadlock(ts, e))
        return false;
    GsPlatform *p = ts->interp->platform;
    ts->import_waits_for = e;
    bool done = true;
    /* The import lock is a lock: the trace shows the wait as one.  It is
     * polled every millisecond; imports are rare and short. */
    while (still_importing(ts, e)) {
        int stop = atomic_load(&ts->interp->stop_reason);
        if (stop != GS_STOP_NONE && stop != GS_STOP_INTERRUPT) {
            done = false;
            break;
        }
        gs_begin_allow_threads(ts, GS_REL_lock);
        p->sleep_ns(p, 1000000, NULL);
        gs_end_allow_threads(ts);
    }
    ts->import_waits_for = NULL;
    return done;
}

/* ---- sys.path and the files on it ------------------------------------------------------ */

/* sys.path as the program left it (it may assign a new list), or the
 * initial list while sys is not imported.  Borrowed. */
static GsObject *sys_path(GsThread *ts)
{
    GsObject *sys = gs_dict_get_c(ts, ts->interp->modules, "sys");
    if (sys && sys->type == &gs_module_type) {
        GsObject *p = gs_dict_get_c(ts, ((GsModule *)sys)->dict, "path");
        if (p)
            return p;
    }
    if (!ts->interp->path && gs_import_init_path(ts, "") < 0)
        return NULL;
    return ts->interp->path;
}

typedef enum { FOUND_NOTHING, FOUND_NAMESPACE, FOUND_MODULE, FOUND_PACKAGE } Found;

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* CPython's _path_join: the parts joined by '/', each stripped of its
 * trailing slashes ("lib/" + "m.py" is "lib/m.py"). */
static void path_join(GsBuf *b, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 0 && dir[n - 1] == '/')
        n--;
    gs_buf_put(b, dir, n);
    gs_buf_putc(b, '/');
    gs_buf_puts(b, name);
}

/* Look for `tail` in one directory of the path, as CPython's FileFinder
 * does: a package (tail/__init__.py) first, then a module (tail.py), and
 * a directory without __init__.py is a portion of a namespace package.
 * *file gets the file found (for a namespace portion, the directory). */
static Found find_in_dir(const char *dir, const char *tail, GsBuf *file)
{
    GsBuf pkg;
    gs_buf_init(&pkg);
    path_join(&pkg, dir, tail);
    gs_buf_putc(&pkg, '\0');
    bool namespace = is_dir(pkg.data);
    if (namespace) {
        gs_buf_init(file);
        path_join(file, pkg.data, "__init__.py");
        gs_buf_putc(file, '\0');
        if (is_file(file->data)) {
            gs_buf_free(&pkg);
            return FOUND_PACKAGE;
        }
        gs_buf_free(file);
    }
    gs_buf_init(file);
    path_join(file, dir, tail);
    gs_buf_puts(file, ".py");
    gs_buf_putc(file, '\0');
    if (is_file(file->data)) {
        gs_buf_free(&pkg);
        return FOUND_MODULE;
    }
    gs_buf_free(file);
    *file = pkg;
    if (namespace)
        return FOUND_NAMESPACE;
    gs_buf_free(file);
    return FOUND_NOTHING;
}

/* ---- making and running a module -------------------------------------------------------- */

static int set_attr_c(GsThread *ts, GsObject *m, const char *name, GsObject *v)
{
    if (!v)
        return -1;
    int r = gs_dict_set_c(ts, ((GsModule *)m)->dict, name, v);
    gs_decref(ts, v);
    return r;
}

/* A new module with CPython's attributes, in CPython's order.  gilscope
 * has no import specs or loaders: __spec__ and __loader__ are None.
 * file NULL: a namespace package (__file__ None). */
static GsObject *module_new(GsThread *ts, GsObject *name, const char *file, GsObject *path,
                            bool package)
{
    GsObject *m = gs_module_from_defs(ts, gs_str_cstr(name), (const GsMethodDef[]){ { 0 } });
    if (!m)
        return NULL;
    const char *dot = strrchr(gs_str_cstr(name), '.');
    GsObject *package_name = package ? gs_newref(ts, name)
                                     : gs_str_new(ts, gs_str_cstr(name),
                                                  dot ? (size_t)(dot - gs_str_cstr(name)) : 0);
    int r = set_attr_c(ts, m, "__doc__", gs_newref(ts, GS_NONE));
    r |= set_attr_c(ts, m, "__package__", package_name);
    r |= set_attr_c(ts, m, "__loader__", gs_newref(ts, GS_NONE));
    r |= set_attr_c(ts, m, "__spec__", gs_newref(ts, GS_NONE));
    if (path)
        r |= set_attr_c(ts, m, "__path__", gs_newref(ts, path));
    r |= set_attr_c(ts, m, "__file__", file ? gs_str_from(ts, file) : gs_newref(ts, GS_NONE));
    r |= gs_dict_set(ts, ((GsModule *)m)->dict, GS_NAME(ts, __builtins__), ts->interp->builtins);
    if (r < 0) {
        gs_decref(ts, m);
        return NULL;
    }
    return m;
}

/* Run code in module m, which is put into sys.modules first and taken out
 * again if the code fails.  Returns what sys.modules holds afterwards (the
 * module may have replaced itself there), moved to its end as CPython
 * 3.9 does.  New reference. */
static GsObject *exec_module(GsThread *ts, GsObject *m, GsObject *code)
{
    GsObject *modules = ts->interp->modules, *name = ((GsModule *)m)->name;
    if (gs_dict_set(ts, modules, name, m) < 0)
        return NULL;
    GsImporting *e = importing_push(ts, name, m);
    GsObject *r = e ? gs_eval_code(ts, (GsCode *)code, ((GsModule *)m)->dict,
                                   ((GsModule *)m)->dict)
                    : NULL;
    if (e)
        importing_pop(ts, e);
    if (!r) {
        /* Set the exception aside while the module is taken out. */
        GsObject *exc = gs_err_fetch(ts);
        if (gs_dict_del(ts, modules, name) < 0)
            gs_err_clear(ts);
        ts->curexc = exc;
        return NULL;
    }
    gs_decref(ts, r);
    GsObject *final = gs_dict_get(ts, modules, name);
    if (!final) {   /* the module took itself out: 3.9's sys.modules.pop fails */
        GsObject *k = gs_exc_new(ts, &gs_exc_KeyError, &name, 1);
        if (k) {
            gs_err_set_obj(ts, k);
            gs_decref(ts, k);
        }
        return NULL;
    }
    gs_incref(ts, final);
    if (gs_dict_del(ts, modules, name) < 0 || gs_dict_set(ts, modules, name, final) < 0) {
        gs_decref(ts, final);
        return NULL;
    }
    return final;
}

/* Compile source (UTF-8 already) as `filename` and run it as module m. */
static GsObject *exec_source(GsThread *ts, GsObject *m, const char *text, const char *filename)
{
    if (gs_remember_source(ts, filename, text) < 0)
        return NULL;
    GsObject *code = gs_compile(ts, text, filename);
    if (!code)
        return NULL;
    GsObject *r = exec_module(ts, m, code);
    gs_decref(ts, code);
    return r;
}

/* A source file's bytes, NUL-terminated (malloc'd), or NULL with OSError. */
char *gs_import_read_source(GsThread *ts, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int err = errno;
        gs_err_set(ts, &gs_exc_OSError, "[Errno %d] %s: '%s'", err, strerror(err), path);
        return NULL;
    }
    GsBuf b;
    gs_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        gs_buf_put(&b, chunk, n);
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        gs_buf_free(&b);
        gs_err_set(ts, &gs_exc_OSError, "[Errno %d] %s: '%s'", err, strerror(err), path);
        return NULL;
    }
    gs_buf_putc(&b, '\0');
    return b.data;
}

static GsObject *load_source_file(GsThread *ts, GsObject *name, const char *file,
                                  const char *pkg_dir)
{
    GsObject *path = NULL;
    if (pkg_dir) {
        GsObject *d = gs_str_from(ts, pkg_dir);
        path = d ? gs_list_new(ts, 0) : NULL;
        if (path && gs_list_append(ts, path, d) < 0)
            gs_setref(ts, &path, NULL);
        gs_xdecref(ts, d);
        if (!path)
            return NULL;
    }
    GsObject *m = module_new(ts, name, file, path, pkg_dir != NULL);
    gs_xdecref(ts, path);
    char *raw = m ? gs_import_read_source(ts, file) : NULL;
    char *text = raw ? gs_source_decode(ts, raw) : NULL;
    free(raw);
    GsObject *r = text ? exec_source(ts, m, text, file) : NULL;
    free(text);
    gs_xdecref(ts, m);
    return r;
}

/* gilscope's library: Python source compiled into the binary, or a
 * module written in C (modules.c). */
static GsObject *load_library_module(GsThread *ts, GsObject *name)
{
    const char *n = gs_str_cstr(name);
    if (strcmp(n, "threading") == 0) {
        GsObject *m = module_new(ts, name, GS_LIB_ENTRY "/threading.py", NULL, false);
        GsObject *r = m ? exec_source(ts, m, gs_lib_threading, GS_LIB_ENTRY "/threading.py")
                        : NULL;
        gs_xdecref(ts, m);
        return r;
    }
    if (strcmp(n, "dis") != 0 && strcmp(n, "math") != 0)
        return NULL;
    GsObject *m = gs_module_new_builtin(ts, n);
    if (m && gs_dict_set(ts, ts->interp->modules, name, m) < 0)
        gs_setref(ts, &m, NULL);
    return m;
}

/* The modules that come before sys.path (see the top of the file). */
static bool is_priority_builtin(const char *name)
{
    static const char *const names[] = { "sys", "builtins", "_thread", "time", "gc", "os", NULL };
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static GsObject *load_priority_builtin(GsThread *ts, GsObject *name)
{
    GsObject *m = gs_module_new_builtin(ts, gs_str_cstr(name));
    if (m && gs_dict_set(ts, ts->interp->modules, name, m) < 0)
        gs_setref(ts, &m, NULL);
    return m;
}

/* ---- finding -------------------------------------------------------------------------- */

/* The directory a path entry stands for: "" is the current directory. */
static char *entry_dir(GsObject *entry)
{
    const char *e = gs_str_cstr(entry);
    if (*e)
        return strdup(e);
    char buf[4096];
    size_t n = sizeof buf;
    return uv_cwd(buf, &n) == 0 ? strdup(buf) : NULL;
}

/* Look for name's last part along path (sys.path or a package's
 * __path__) and load it; NULL and *missing = true when it is nowhere. */
static GsObject *find_and_load_on(GsThread *ts, GsObject *name, const char *tail, GsObject *path,
                                  bool *missing)
{
    GsObject *it = gs_getiter(ts, path), *entry;
    GsObject *portions = it ? gs_list_new(ts, 0) : NULL;
    GsObject *result = NULL;
    bool done = false;
    while (!done && portions && (entry = gs_iternext(ts, it))) {
        if (!GS_IS_STR(entry) || strlen(gs_str_cstr(entry)) != ((GsStr *)entry)->nbytes) {
            gs_decref(ts, entry);   /* CPython skips what is not a str path */
            continue;
        }
        if (strcmp(gs_str_cstr(entry), GS_LIB_ENTRY) == 0) {
            result = load_library_module(ts, name);
            done = result || gs_err_occurred(ts);
            gs_decref(ts, entry);
            continue;
        }
        char *dir = entry_dir(entry);
        gs_decref(ts, entry);
        GsBuf file;
        Found f = dir ? find_in_dir(dir, tail, &file) : FOUND_NOTHING;
        free(dir);
        if (f == FOUND_NAMESPACE) {
            GsObject *d = gs_str_from(ts, file.data);
            if (!d || gs_list_append(ts, portions, d) < 0)
                done = true;
            gs_xdecref(ts, d);
        } else if (f == FOUND_MODULE || f == FOUND_PACKAGE) {
            char *pkg_dir = NULL;
            if (f == FOUND_PACKAGE) {   /* .../tail/__init__.py -> .../tail */
                pkg_dir = strdup(file.data);
                if (pkg_dir)
                    *strrchr(pkg_dir, '/') = '\0';
            }
            result = load_source_file(ts, name, file.data, pkg_dir);
            free(pkg_dir);
            done = true;
        }
        if (f != FOUND_NOTHING)
            gs_buf_free(&file);
    }
    if (!done && !gs_err_occurred(ts) && portions) {
        if (((GsList *)portions)->len > 0) {
            /* Only directories without __init__.py: a namespace package. */
            result = module_new(ts, name, NULL, portions, true);
            if (result && gs_dict_set(ts, ts->interp->modules, name, result) < 0)
                gs_setref(ts, &result, NULL);
        } else {
            *missing = true;
        }
    }
    gs_xdecref(ts, portions);
    gs_xdecref(ts, it);
    return result;
}

static GsObject *import_absolute(GsThread *ts, GsObject *name);

/* CPython's _find_and_load_unlocked: the parent first, then the module on
 * the parent's __path__ (or sys.path); a submodule becomes an attribute
 * of its parent.  *missing: this very name was not found. */
static GsObject *find_and_load(GsThread *ts, GsObject *name, bool *missing)
{
    const char *n = gs_str_cstr(name), *dot = strrchr(n, '.');
    if (!dot) {
        if (is_priority_builtin(n))
            return load_priority_builtin(ts, name);
        GsObject *path = sys_path(ts);
        GsObject *m = path ? find_and_load_on(ts, name, n, path, missing) : NULL;
        if (*missing)
            not_found(ts, name);
        return m;
    }
    GsObject *parent_name = gs_str_new(ts, n, (size_t)(dot - n));
    GsObject *parent = parent_name ? import_absolute(ts, parent_name) : NULL;
    GsObject *m = NULL;
    if (!parent)
        goto done;
    m = gs_dict_get(ts, ts->interp->modules, name);   /* the parent imported it */
    if (m) {
        gs_incref(ts, m);
        goto done;
    }
    GsObject *path = gs_getattr_c(ts, parent, "__path__");
    if (!path) {
        gs_err_clear(ts);
        import_error(ts, &gs_exc_ModuleNotFoundError, name, NULL,
                     "No module named '%s'; '%s' is not a package", n, gs_str_cstr(parent_name));
        goto done;
    }
    m = find_and_load_on(ts, name, dot + 1, path, missing);
    gs_decref(ts, path);
    if (*missing)
        not_found(ts, name);
    GsObject *child = m ? gs_str_from(ts, dot + 1) : NULL;
    if (m && (!child || gs_setattr(ts, parent, child, m) < 0))
        gs_setref(ts, &m, NULL);
    gs_xdecref(ts, child);
done:
    gs_xdecref(ts, parent);
    gs_xdecref(ts, parent_name);
    return m;
}

/* A module by its absolute name: from sys.modules (waiting if another
 * thread is still running it), or found and loaded.  missing may be NULL. */
static GsObject *import_absolute_ex(GsThread *ts, GsObject *name, bool *missing)
{
    for (;;) {
        GsObject *m = gs_dict_get(ts, ts->interp->modules, name);
        if (m == GS_NONE)
            return import_error(ts, &gs_exc_ModuleNotFoundError, name, NULL,
                                "import of %s halted; None in sys.modules", gs_str_cstr(name));
        GsImporting *e = importing_find(ts, name);
        if (e && e->owner != ts && wait_for_import(ts, e))
            continue;   /* it has ended, well or badly: look again */
        if (m)
            return gs_newref(ts, m);
        bool dummy = false;
        return find_and_load(ts, name, missing ? missing : &dummy);
    }
}

static GsObject *import_absolute(GsThread *ts, GsObject *name)
{
    return import_absolute_ex(ts, name, NULL);
}

/* ---- relative names ---------------------------------------------------------------------- */

/* The package a relative import is relative to, as CPython's resolve_name
 * works it out: __package__, else __name__ (its parent, unless the module
 * is a package itself).  New reference; NULL with an error. */
static GsObject *importing_package(GsThread *ts, GsObject *globals)
{
    if (!globals || !GS_IS_DICT(globals))
        return gs_err_set(ts, &gs_exc_KeyError, "'__name__' not in globals");
    GsObject *package = gs_dict_get_c(ts, globals, "__package__");
    if (package && package != GS_NONE) {
        if (!GS_IS_STR(package))
            return gs_err_set(ts, &gs_exc_TypeError, "package must be a string");
        return gs_newref(ts, package);
    }
    GsObject *name = gs_dict_get(ts, globals, GS_NAME(ts, __name__));
    if (!name)
        return gs_err_set(ts, &gs_exc_KeyError, "'__name__' not in globals");
    if (!GS_IS_STR(name))
        return gs_err_set(ts, &gs_exc_TypeError, "__name__ must be a string");
    if (gs_dict_get_c(ts, globals, "__path__"))
        return gs_newref(ts, name);
    const char *n = gs_str_cstr(name), *dot = strrchr(n, '.');
    return gs_str_new(ts, n, dot ? (size_t)(dot - n) : 0);
}

static GsObject *resolve_name(GsThread *ts, GsObject *name, GsObject *globals, int64_t level)
{
    GsObject *package = importing_package(ts, globals);
    if (!package)
        return NULL;
    const char *p = gs_str_cstr(package);
    size_t last_dot = ((GsStr *)package)->nbytes;
    if (last_dot == 0) {
        gs_decref(ts, package);
        return import_error(ts, &gs_exc_ImportError, NULL, NULL,
                            "attempted relative import with no known parent package");
    }
    for (int64_t up = 1; up < level; up++) {
        while (last_dot > 0 && p[last_dot - 1] != '.')
            last_dot--;
        if (last_dot == 0) {
            gs_decref(ts, package);
            return import_error(ts, &gs_exc_ImportError, NULL, NULL,
                                "attempted relative import beyond top-level package");
        }
        last_dot--;
    }
    GsObject *r = ((GsStr *)name)->nbytes == 0
                      ? gs_str_new(ts, p, last_dot)
                      : gs_str_printf(ts, "%.*s.%s", (int)last_dot, p, gs_str_cstr(name));
    gs_decref(ts, package);
    return r;
}

/* ---- from m import a, b -------------------------------------------------------------------- */

static bool has_attr(GsThread *ts, GsObject *o, GsObject *name)
{
    GsObject *v = GS_IS_STR(name) ? gs_getattr(ts, o, name) : NULL;
    if (!v) {
        gs_err_clear(ts);
        return false;
    }
    gs_decref(ts, v);
    return true;
}

/* CPython's _handle_fromlist: for a package, `from pkg import sub` imports
 * pkg.sub when pkg has no attribute `sub`; a name that is no submodule
 * is left for IMPORT_FROM to report.  `*` does the same for __all__. */
static int handle_fromlist(GsThread *ts, GsObject *module, GsObject *fromlist, bool recursive)
{
    GsObject *it = gs_getiter(ts, fromlist), *x;
    if (!it)
        return -1;
    int r = 0;
    while (r == 0 && (x = gs_iternext(ts, it))) {
        if (!GS_IS_STR(x)) {
            if (recursive)
                gs_err_set(ts, &gs_exc_TypeError, "Item in %s.__all__ must be str, not %s",
                           gs_str_cstr(((GsModule *)module)->name), x->type->name);
            else
                gs_err_set(ts, &gs_exc_TypeError, "Item in ``from list'' must be str, not %s",
                           x->type->name);
            r = -1;
        } else if (strcmp(gs_str_cstr(x), "*") == 0) {
            GsObject *all = recursive ? NULL : gs_getattr_c(ts, module, "__all__");
            if (!all)
                gs_err_clear(ts);
            else {
                r = handle_fromlist(ts, module, all, true);
                gs_decref(ts, all);
            }
        } else if (!has_attr(ts, module, x)) {
            GsObject *full = gs_str_printf(ts, "%s.%s", gs_str_cstr(((GsModule *)module)->name),
                                           gs_str_cstr(x));
            bool missing = false;
            GsObject *sub = full ? import_absolute_ex(ts, full, &missing) : NULL;
            if (sub)
                gs_decref(ts, sub);
            else if (missing)
                gs_err_clear(ts);   /* no such submodule: IMPORT_FROM will say so */
            else
                r = -1;
            gs_xdecref(ts, full);
        }
        gs_decref(ts, x);
    }
    gs_decref(ts, it);
    return r < 0 || gs_err_occurred(ts) ? -1 : 0;
}

/* ---- the entry points ------------------------------------------------------------------------ */

/* IMPORT_NAME: CPython's PyImport_ImportModuleLevelObject.  Without a
 * fromlist `import a.b.c` gives back a (the name it binds); with one, the
 * module itself. */
GsObject *gs_import_name(GsThread *ts, GsObject *name, GsObject *globals, GsObject *fromlist,
                         GsObject *level_obj)
{
    if (!GS_IS_STR(name))
        return gs_err_set(ts, &gs_exc_TypeError, "module name must be str, not %s",
                          name->type->name);
    int64_t level = GS_IS_INT(level_obj) ? gs_int_value(level_obj) : 0;
    if (level < 0)
        return gs_err_set(ts, &gs_exc_ValueError, "level must be >= 0");
    if (level == 0 && ((GsStr *)name)->nbytes == 0)
        return gs_err_set(ts, &gs_exc_ValueError, "Empty module name");
    GsObject *abs = level > 0 ? resolve_name(ts, name, globals, level) : gs_newref(ts, name);
    GsObject *m = abs ? import_absolute(ts, abs) : NULL;
    GsObject *result = NULL;
    if (!m)
        goto done;
    bool has_from = fromlist && fromlist != GS_NONE && gs_truth(ts, fromlist) == 1;
    const char *n = gs_str_cstr(name), *dot = strchr(n, '.');
    if (has_from) {
        GsObject *path = gs_str_from(ts, "__path__");
        if (path && (!has_attr(ts, m, path) || handle_fromlist(ts, m, fromlist, false) == 0))
            result = gs_newref(ts, m);
        gs_xdecref(ts, path);
    } else if (!dot) {
        result = gs_newref(ts, m);
    } else if (level == 0) {
        GsObject *front = gs_str_new(ts, n, (size_t)(dot - n));
        result = front ? import_absolute(ts, front) : NULL;
        gs_xdecref(ts, front);
    } else {
        /* `import` never has a level: only __import__ gets here. */
        size_t cut = strlen(dot);
        GsObject *top = gs_str_new(ts, gs_str_cstr(abs), ((GsStr *)abs)->nbytes - cut);
        GsObject *t = top ? gs_dict_get(ts, ts->interp->modules, top) : NULL;
        if (top && !t)
            gs_err_set(ts, &gs_exc_KeyError, "'%s' not in sys.modules as expected",
                       gs_str_cstr(top));
        result = t ? gs_newref(ts, t) : NULL;
        gs_xdecref(ts, top);
    }
done:
    gs_xdecref(ts, m);
    gs_xdecref(ts, abs);
    return result;
}

/* A module's name and file for IMPORT_FROM's messages (borrowed; NULL). */
static GsObject *module_attr(GsThread *ts, GsObject *m, const char *attr)
{
    if (m->type != &gs_module_type)
        return NULL;
    GsObject *v = gs_dict_get_c(ts, ((GsModule *)m)->dict, attr);
    return v && GS_IS_STR(v) ? v : NULL;
}

static bool is_initializing(GsThread *ts, GsObject *m)
{
    for (GsImporting *e = ts->interp->importing; e; e = e->next)
        if (e->module == m)
            return true;
    return false;
}

/* IMPORT_FROM: the attribute, or the submodule of that name in
 * sys.modules (a circular import may not have set the attribute yet);
 * else CPython 3.9's ImportError. */
GsObject *gs_import_from(GsThread *ts, GsObject *m, GsObject *name)
{
    GsObject *v = gs_getattr(ts, m, name);
    if (v || !gs_err_matches(ts, &gs_exc_AttributeError))
        return v;
    gs_err_clear(ts);
    GsObject *pkgname = module_attr(ts, m, "__name__");
    if (pkgname) {
        GsObject *full = gs_str_printf(ts, "%s.%s", gs_str_cstr(pkgname), gs_str_cstr(name));
        if (!full)
            return NULL;
        v = gs_dict_get(ts, ts->interp->modules, full);
        gs_decref(ts, full);
        if (v)
            return gs_newref(ts, v);
    }
    const char *pn = pkgname ? gs_str_cstr(pkgname) : "<unknown module name>";
    GsObject *file = module_attr(ts, m, "__file__");
    if (!file)
        return import_error(ts, &gs_exc_ImportError, pkgname, NULL,
                            "cannot import name '%s' from '%s' (unknown location)",
                            gs_str_cstr(name), pn);
    if (is_initializing(ts, m))
        return import_error(ts, &gs_exc_ImportError, pkgname, gs_str_cstr(file),
                            "cannot import name '%s' from partially initialized module '%s' "
                            "(most likely due to a circular import) (%s)",
                            gs_str_cstr(name), pn, gs_str_cstr(file));
    return import_error(ts, &gs_exc_ImportError, pkgname, gs_str_cstr(file),
                        "cannot import name '%s' from '%s' (%s)", gs_str_cstr(name), pn,
                        gs_str_cstr(file));
}

/* IMPORT_STAR: CPython's import_all_from -- the names in __all__, or
 * else every name in the module's namespace not starting with '_'. */
int gs_import_star(GsThread *ts, GsObject *m, GsObject *locals)
{
    bool skip_private = false;
    GsObject *all = gs_getattr_c(ts, m, "__all__");
    if (!all) {
        if (!gs_err_matches(ts, &gs_exc_AttributeError))
            return -1;
        gs_err_clear(ts);
        GsObject *d = gs_getattr(ts, m, GS_NAME(ts, __dict__));
        if (!d) {
            if (gs_err_matches(ts, &gs_exc_AttributeError)) {
                gs_err_clear(ts);
                gs_err_set(ts, &gs_exc_ImportError, "from-import-* object has no __dict__ and "
                                                    "no __all__");
            }
            return -1;
        }
        all = gs_sequence_to_list(ts, d);   /* the keys, copied: locals may be d */
        gs_decref(ts, d);
        if (!all)
            return -1;
        skip_private = true;
    }
    GsObject *it = gs_getiter(ts, all), *name;
    gs_decref(ts, all);
    if (!it)
        return -1;
    int r = 0;
    while (r == 0 && (name = gs_iternext(ts, it))) {
        if (!GS_IS_STR(name)) {
            GsObject *mn = module_attr(ts, m, "__name__");
            gs_err_set(ts, &gs_exc_TypeError, "%s in %s.%s must be str, not %s",
                       skip_private ? "Key" : "Item", mn ? gs_str_cstr(mn) : "?",
                       skip_private ? "__dict__" : "__all__", name->type->name);
            r = -1;
        } else if (!(skip_private && gs_str_cstr(name)[0] == '_')) {
            GsObject *v = gs_getattr(ts, m, name);
            r = v ? gs_setitem(ts, locals, name, v) : -1;
            gs_xdecref(ts, v);
        }
        gs_decref(ts, name);
    }
    gs_decref(ts, it);
    return r < 0 || gs_err_occurred(ts) ? -1 : 0;
}

/* ---- run -m --------------------------------------------------------------------------------- */

/* Where module `name` would be loaded from, without running it (its
 * parent packages are imported, as runpy does).  A package gives its
 * __main__.  *missing: nothing of that name. */
char *gs_import_find_main(GsThread *ts, const char *name, GsObject **package, bool *missing)
{
    const char *dot = strrchr(name, '.'), *tail = dot ? dot + 1 : name;
    GsObject *parent_name = gs_str_new(ts, name, dot ? (size_t)(dot - name) : 0);
    GsObject *parent = dot && parent_name ? import_absolute(ts, parent_name) : NULL;
    GsObject *path = NULL;
    if (!dot && sys_path(ts))
        path = gs_newref(ts, sys_path(ts));
    else if (parent)
        path = gs_getattr_c(ts, parent, "__path__");
    char *file = NULL;
    if (dot && parent && !path) {
        gs_err_clear(ts);
        *missing = true;
        gs_err_set(ts, &gs_exc_ModuleNotFoundError,
                   "__path__ attribute not found on '%s' while trying to find '%s'",
                   gs_str_cstr(parent_name), name);
    }
    GsObject *it = path ? gs_getiter(ts, path) : NULL, *entry;
    bool is_package = false;
    while (!file && it && (entry = gs_iternext(ts, it))) {
        char *dir = GS_IS_STR(entry) && strcmp(gs_str_cstr(entry), GS_LIB_ENTRY) != 0
                        ? entry_dir(entry) : NULL;
        gs_decref(ts, entry);
        GsBuf found;
        Found f = dir ? find_in_dir(dir, tail, &found) : FOUND_NOTHING;
        free(dir);
        if (f == FOUND_MODULE)
            file = strdup(found.data);
        is_package = f == FOUND_PACKAGE || f == FOUND_NAMESPACE;
        if (f != FOUND_NOTHING)
            gs_buf_free(&found);
        if (is_package)
            break;
    }
    gs_xdecref(ts, it);
    gs_xdecref(ts, path);
    gs_xdecref(ts, parent);
    if (is_package) {
        /* python -m pkg runs pkg.__main__, pkg imported first. */
        char *main_name = malloc(strlen(name) + sizeof ".__main__");
        GsObject *pkg = main_name ? gs_str_from(ts, name) : NULL;
        GsObject *m = pkg ? import_absolute(ts, pkg) : NULL;
        if (m && main_name) {
            sprintf(main_name, "%s.__main__", name);
            file = gs_import_find_main(ts, main_name, package, missing);
            if (!file && *missing) {
                gs_err_clear(ts);
                gs_err_set(ts, &gs_exc_ModuleNotFoundError, "No module named %s; '%s' is a "
                           "package and cannot be directly executed", main_name, name);
            }
        }
        gs_xdecref(ts, m);
        gs_xdecref(ts, pkg);
        free(main_name);
        gs_xdecref(ts, parent_name);
        return file;
    }
    if (!file && !gs_err_occurred(ts)) {
        *missing = true;
        gs_err_set(ts, &gs_exc_ModuleNotFoundError, "No module named %s", name);
    }
    if (file)
        *package = gs_newref(ts, parent_name);
    gs_xdecref(ts, parent_name);
    return file;
}

/* ---- sys.path at start-up -------------------------------------------------------------------- */

int gs_import_init_path(GsThread *ts, const char *first)
{
    GsInterp *in = ts->interp;
    if (!in->path && !(in->path = gs_list_new(ts, 0)))
        return -1;
    GsObject *s = gs_str_from(ts, first);
    int r = s ? gs_list_append(ts, in->path, s) : -1;
    gs_xdecref(ts, s);
    /* PYTHONPATH: its entries, ':'-separated, empty ones left out. */
    const char *pp = getenv("PYTHONPATH");
    for (const char *p = pp; r == 0 && p && *p;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > 0) {
            s = gs_str_new(ts, p, n);
            r = s ? gs_list_append(ts, in->path, s) : -1;
            gs_xdecref(ts, s);
        }
        p += n + (end ? 1 : 0);
    }
    s = r == 0 ? gs_str_from(ts, GS_LIB_ENTRY) : NULL;
    r = s ? gs_list_append(ts, in->path, s) : -1;
    gs_xdecref(ts, s);
    return r;
}
