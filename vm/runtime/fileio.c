/*
 * fileio.c -- open() and text files: read, readline, write, close, `with`,
 * iteration over lines.
 *
 * Each system call is a blocking call: the thread releases the GIL around
 * it (reason "io") and the trace shows io_begin / io_end, which is what
 * lets I/O-bound threads overlap -- and what exposes the new GIL's convoy
 * effect, when the thread has to win the GIL back after every read.
 * The calls are libuv's synchronous uv_fs_* functions (no callback).
 *
 * Several threads may use one file.  Like CPython's buffered files, each
 * file has a lock, held for a whole operation (its read-ahead buffer
 * changes while the GIL is released for a read).  To avoid a deadlock it
 * is only ever waited for without the GIL: try it first; if another thread
 * has it, release the GIL, wait, and take the GIL back.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "interp.h"

typedef struct {
    GsObject ob;
    uv_file fd;          /* -1 once closed */
    GsObject *name;      /* str */
    bool readable, writable;
    char *buf;           /* read-ahead for readline / iteration */
    size_t buflen, bufpos;
    bool eof;
    GsMutex *lock;       /* held for a whole operation (see above) */
} GsFile;

static void file_lock(GsThread *ts, GsFile *f)
{
    GsPlatform *p = ts->interp->platform;
    if (p->trylock(p, f->lock))
        return;
    gs_begin_allow_threads(ts, GS_REL_io);
    p->lock(p, f->lock);
    gs_end_allow_threads(ts);
}

static void file_unlock(GsThread *ts, GsFile *f)
{
    ts->interp->platform->unlock(ts->interp->platform, f->lock);
}

/* Files are read as UTF-8: a byte sequence that is not valid becomes
 * CPython's UnicodeDecodeError (a ValueError here) instead of a str that
 * is not one.  Returns the offset of the first bad byte, or -1. */
static ssize_t utf8_invalid_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2
                   : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!len || i + len > n)
            return (ssize_t)i;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return (ssize_t)i;
        i += len;
    }
    return -1;
}

/* A str of the n bytes at p, or UnicodeDecodeError's message as ValueError. */
static GsObject *decoded(GsThread *ts, const char *p, size_t n)
{
    ssize_t bad = utf8_invalid_at((const unsigned char *)p, n);
    if (bad >= 0)
        return gs_err_set(ts, &gs_exc_ValueError,
                          "'utf-8' codec can't decode byte 0x%02x in position %zd: invalid "
                          "start byte", (unsigned char)p[bad], bad);
    return gs_str_new(ts, p, n);
}

/* Bytes taken by the first `chars` UTF-8 characters of p[0..n), or n if
 * fewer; *whole tells whether that many complete characters were there. */
static size_t char_prefix(const char *p, size_t n, size_t chars, bool *whole)
{
    size_t i = 0, c = 0;
    while (i < n && c < chars) {
        unsigned char b = (unsigned char)p[i];
        size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (i + len > n)
            break;
        i += len;
        c++;
    }
    *whole = c == chars;
    return i;
}

static GsType file_type;

/* Run one uv_fs call with the GIL released; returns its result. */
#define FS_CALL(ts, kind, call) ({ \
        uv_fs_t req_; \
        uint64_t t0_ = (ts)->interp->platform->now_ns((ts)->interp->platform); \
        gs_ev_io_begin((ts), (kind)); \
        gs_begin_allow_threads((ts), GS_REL_io); \
        ssize_t r_ = call; \
        uv_fs_req_cleanup(&req_); \
        /* On the simulated clock, the operation takes modelled time. */ \
        if ((ts)->interp->platform->io) \
            (ts)->interp->platform->io((ts)->interp->platform, r_ > 0 ? (uint64_t)r_ : 0); \
        gs_end_allow_threads(ts); \
        gs_ev_io_end((ts), (kind), \
                     (int64_t)((ts)->interp->platform->now_ns((ts)->interp->platform) - t0_)); \
        r_; })

static GsObject *os_error(GsThread *ts, ssize_t err, GsObject *name)
{
    GsType *t = err == UV_ENOENT ? &gs_exc_FileNotFoundError
                : err == UV_EISDIR ? &gs_exc_IsADirectoryError : &gs_exc_OSError;
    GsObject *r = name ? gs_repr(ts, name) : NULL;
    gs_err_set(ts, t, "[Errno %d] %s%s%s", (int)-err,
               err == UV_ENOENT ? "No such file or directory"
               : err == UV_EISDIR ? "Is a directory" : uv_strerror((int)err),
               r ? ": " : "", r ? gs_str_cstr(r) : "");
    gs_xdecref(ts, r);
    return NULL;
}

static GsObject *file_open(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    size_t npos = nargs - gs_kw_count(kwnames);
    if (gs_check_nargs(ts, "open", npos, 1, 2) < 0)
        return NULL;
    GsObject *name = args[0];
    if (!GS_IS_STR(name))
        return gs_err_set(ts, &gs_exc_TypeError,
                          "expected str, bytes or os.PathLike object, not %s", name->type->name);
    /* A C string stops at a NUL byte: "/tmp/x\0y" would open /tmp/x. */
    if (strlen(gs_str_cstr(name)) != ((GsStr *)name)->nbytes ||
        (npos == 2 && GS_IS_STR(args[1]) &&
         strlen(gs_str_cstr(args[1])) != ((GsStr *)args[1])->nbytes))
        return gs_err_set(ts, &gs_exc_ValueError, "embedded null byte");
    const char *mode = npos == 2 && GS_IS_STR(args[1]) ? gs_str_cstr(args[1]) : "r";
    int flags;
    bool rd = false, wr = false;
    if (!strcmp(mode, "r") || !strcmp(mode, "rt")) {
        flags = O_RDONLY;
        rd = true;
    } else if (!strcmp(mode, "w") || !strcmp(mode, "wt")) {
        flags = O_WRONLY | O_CREAT | O_TRUNC;
        wr = true;
    } else if (!strcmp(mode, "a") || !strcmp(mode, "at")) {
        flags = O_WRONLY | O_CREAT | O_APPEND;
        wr = true;
    } else if (!strcmp(mode, "r+")) {
        flags = O_RDWR;
        rd = wr = true;
    } else {
        return gs_err_set(ts, &gs_exc_ValueError,
                          "gilscope's open() supports the text modes r, w, a, r+; not '%s'", mode);
    }
    ssize_t fd = FS_CALL(ts, "open", uv_fs_open(NULL, &req_, gs_str_cstr(name), flags, 0644, NULL));
    if (fd < 0)
        return os_error(ts, fd, name);
    /* open(2) lets a directory be opened for reading; Python does not. */
    uv_fs_t st;
    if (uv_fs_fstat(NULL, &st, (uv_file)fd, NULL) == 0 && (st.statbuf.st_mode & S_IFMT) == S_IFDIR) {
        uv_fs_req_cleanup(&st);
        FS_CALL(ts, "close", uv_fs_close(NULL, &req_, (uv_file)fd, NULL));
        return os_error(ts, UV_EISDIR, name);
    }
    uv_fs_req_cleanup(&st);
    GsFile *f = (GsFile *)gs_alloc(ts, &file_type, sizeof(GsFile));
    if (!f) {
        FS_CALL(ts, "close", uv_fs_close(NULL, &req_, (uv_file)fd, NULL));
        return NULL;
    }
    f->fd = (uv_file)fd;
    f->lock = ts->interp->platform->mutex_new(ts->interp->platform);
    if (!f->lock) {
        gs_decref(ts, (GsObject *)f);
        return gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
    }
    f->name = gs_newref(ts, name);
    f->readable = rd;
    f->writable = wr;
    return (GsObject *)f;
}

static int check_open(GsThread *ts, GsFile *f, bool want_read)
{
    if (f->fd < 0) {
        gs_err_set(ts, &gs_exc_ValueError, "I/O operation on closed file.");
        return -1;
    }
    if (want_read ? !f->readable : !f->writable) {
        gs_err_set(ts, &gs_exc_OSError, "not %s", want_read ? "readable" : "writable");
        return -1;
    }
    return 0;
}

/* Read more bytes into the read-ahead buffer: 0 at end of file. */
static ssize_t fill(GsThread *ts, GsFile *f)
{
    if (f->bufpos > 0) {
        memmove(f->buf, f->buf + f->bufpos, f->buflen - f->bufpos);
        f->buflen -= f->bufpos;
        f->bufpos = 0;
    }
    char *nb = realloc(f->buf, f->buflen + 65536);
    if (!nb) {
        gs_err_set(ts, &gs_exc_MemoryError, "out of memory");
        return -1;
    }
    f->buf = nb;
    uv_buf_t ub = uv_buf_init(f->buf + f->buflen, 65536);
    ssize_t n = FS_CALL(ts, "read", uv_fs_read(NULL, &req_, f->fd, &ub, 1, -1, NULL));
    if (n < 0) {
        os_error(ts, n, f->name);
        return -1;
    }
    f->buflen += (size_t)n;
    if (n == 0)
        f->eof = true;
    return n;
}

static GsObject *read_locked(GsThread *ts, GsFile *f, int64_t want)
{
    for (;;) {
        const char *start = f->buf ? f->buf + f->bufpos : "";
        size_t avail = f->buflen - f->bufpos;
        bool whole = false;
        size_t n = want < 0 ? avail : char_prefix(start, avail, (size_t)want, &whole);
        if (f->eof || whole) {
            GsObject *s = decoded(ts, start, n);
            if (s)
                f->bufpos += n;
            return s;
        }
        if (fill(ts, f) < 0)
            return NULL;
    }
}

/* read([n]): n characters (not bytes), or everything to the end. */
static GsObject *file_read(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    GsFile *f = (GsFile *)self;
    if (gs_check_nargs(ts, "read", nargs, 0, 1) < 0 || check_open(ts, f, true) < 0)
        return NULL;
    int64_t want = nargs == 1 && GS_IS_INT(args[0]) ? gs_int_value(args[0]) : -1;
    file_lock(ts, f);
    GsObject *r = check_open(ts, f, true) < 0 ? NULL : read_locked(ts, f, want);
    file_unlock(ts, f);
    return r;
}

static GsObject *readline_locked(GsThread *ts, GsFile *f)
{
    for (;;) {
        char *start = f->buf ? f->buf + f->bufpos : NULL;
        char *nl = start ? memchr(start, '\n', f->buflen - f->bufpos) : NULL;
        if (nl || f->eof) {
            size_t n = nl ? (size_t)(nl - start) + 1 : f->buflen - f->bufpos;
            GsObject *s = decoded(ts, start ? start : "", n);
            if (s)
                f->bufpos += n;
            return s;
        }
        if (fill(ts, f) < 0)
            return NULL;
    }
}

static GsObject *file_readline(GsThread *ts, GsObject *self, GsObject *const *args,
                               size_t nargs, GsObject *kwnames)
{
    GsFile *f = (GsFile *)self;
    if (check_open(ts, f, true) < 0)
        return NULL;
    file_lock(ts, f);
    GsObject *r = check_open(ts, f, true) < 0 ? NULL : readline_locked(ts, f);
    file_unlock(ts, f);
    return r;
}

static GsObject *file_write(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    GsFile *f = (GsFile *)self;
    if (gs_check_nargs(ts, "write", nargs, 1, 1) < 0 || check_open(ts, f, false) < 0)
        return NULL;
    if (!GS_IS_STR(args[0]))
        return gs_err_set(ts, &gs_exc_TypeError, "write() argument must be str, not %s",
                          args[0]->type->name);
    GsStr *s = (GsStr *)args[0];
    uv_buf_t ub = uv_buf_init(s->data, (unsigned)s->nbytes);
    file_lock(ts, f);
    ssize_t n = f->fd < 0 ? UV_EBADF
                          : FS_CALL(ts, "write", uv_fs_write(NULL, &req_, f->fd, &ub, 1, -1, NULL));
    file_unlock(ts, f);
    if (n < 0)
        return os_error(ts, n, f->name);
    return gs_int_new(ts, (int64_t)s->nchars);
}

static void close_fd(GsThread *ts, GsFile *f)
{
    if (f->fd >= 0) {
        uv_file fd = f->fd;
        f->fd = -1;
        FS_CALL(ts, "close", uv_fs_close(NULL, &req_, fd, NULL));
    }
}

static GsObject *file_close(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    file_lock(ts, (GsFile *)self);
    close_fd(ts, (GsFile *)self);
    file_unlock(ts, (GsFile *)self);
    return gs_newref(ts, GS_NONE);
}

static GsObject *file_enter(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                            GsObject *kwnames)
{
    if (((GsFile *)self)->fd < 0)
        return gs_err_set(ts, &gs_exc_ValueError, "I/O operation on closed file.");
    return gs_newref(ts, self);
}

static GsObject *file_exit(GsThread *ts, GsObject *self, GsObject *const *args, size_t nargs,
                           GsObject *kwnames)
{
    GsObject *r = file_close(ts, self, NULL, 0, NULL);
    gs_decref(ts, r);
    return gs_newref(ts, GS_FALSE);
}

static GsObject *file_iter(GsThread *ts, GsObject *o) { return gs_newref(ts, o); }

static GsObject *file_next(GsThread *ts, GsObject *o)
{
    GsObject *line = file_readline(ts, o, NULL, 0, NULL);
    if (line && ((GsStr *)line)->nbytes == 0) {
        gs_decref(ts, line);
        return NULL;   /* end of file: stop iterating */
    }
    return line;
}

static void file_dealloc(GsThread *ts, GsObject *o)
{
    GsFile *f = (GsFile *)o;
    if (f->fd >= 0) {
        /* Closed without the GIL dance: a destructor must not block on it. */
        uv_fs_t req;
        uv_fs_close(NULL, &req, f->fd, NULL);
        uv_fs_req_cleanup(&req);
    }
    gs_xdecref(ts, f->name);
    free(f->buf);
    if (f->lock)
        ts->interp->platform->mutex_free(ts->interp->platform, f->lock);
}

static GsObject *file_repr(GsThread *ts, GsObject *o)
{
    GsFile *f = (GsFile *)o;
    GsObject *r = gs_repr(ts, f->name);
    if (!r)
        return NULL;
    GsObject *s = gs_str_printf(ts, "<_io.TextIOWrapper name=%s%s>", gs_str_cstr(r),
                                f->fd < 0 ? " (closed)" : "");
    gs_decref(ts, r);
    return s;
}

static const GsMethodDef file_methods[] = {
    { "read", file_read }, { "readline", file_readline }, { "write", file_write },
    { "close", file_close }, { "__enter__", file_enter }, { "__exit__", file_exit },
    { NULL, NULL },
};

static GsType file_type = { .ob = { GS_IMMORTAL_REFCNT, &gs_type_type, 0, 0 },
    .name = "TextIOWrapper", .base = &gs_object_type, .size = sizeof(GsFile),
    .methods = file_methods, .dealloc = file_dealloc, .repr = file_repr, .iter = file_iter,
    .iternext = file_next };

GsType *const gs_file_type = &file_type;
const GsMethodDef gs_open_def = { "open", file_open };
