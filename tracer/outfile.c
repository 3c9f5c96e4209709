/*
 * outfile.c -- an output file that is either written whole or not at all
 * (see outfile.h for the rule).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"

static const char *what_of(const GsOutFile *o)
{
    return o->what[0] ? " " : "";
}

static int open_error(GsOutFile *o, int errnum, char *err, size_t errlen)
{
    snprintf(err, errlen, "cannot write %s%s'%s': %s", o->what, what_of(o), o->path,
             strerror(errnum));
    free(o->path);
    free(o->target);
    free(o->tmp);
    o->path = o->target = o->tmp = NULL;
    o->f = NULL;
    return -1;
}

void gs_outfile_error(const GsOutFile *o, int errnum, char *err, size_t errlen)
{
    if (o->is_stdout) {
        snprintf(err, errlen, "could not write %s%sto standard output: %s", o->what,
                 what_of(o), errnum ? strerror(errnum) : "a write failed");
        return;
    }
    snprintf(err, errlen, "could not write %s%s'%s': %s", o->what, what_of(o), o->path,
             errnum ? strerror(errnum) : "a write failed");
}

/* Is path's directory /dev or /proc, or under them?  Their names are the
 * kernel's (/dev/stdout, /proc/self/fd/1 are links to whatever fd 1 is),
 * not files to replace: they are written in place. */
static bool in_kernel_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return false;
    char *slash = strrchr(copy, '/');
    const char *dir = !slash ? "." : slash == copy ? "/" : (*slash = 0, copy);
    char *real = realpath(dir, NULL);
    bool kernel = false;
    if (real) {
        kernel = (!strncmp(real, "/dev", 4) && (real[4] == '/' || !real[4])) ||
                 (!strncmp(real, "/proc", 5) && (real[5] == '/' || !real[5]));
        free(real);
    }
    free(copy);
    return kernel;
}

/* Create the temporary file beside target, with O_EXCL so that it is a new
 * file of ours.  Created with mode 0666 the kernel applies the umask, as
 * for any new file; a replaced file's mode is set after.  (Not mkstemp:
 * it creates 0600, and learning the umask to widen that means changing
 * it, for every thread of the process.)  Returns the fd, or -1 with errno
 * set. */
static int create_temp(GsOutFile *o, const struct stat *old)
{
    const char *slash = strrchr(o->target, '/');
    int dirlen = slash ? (int)(slash - o->target + 1) : 0;
    const char *base = slash ? slash + 1 : o->target;
    size_t cap = strlen(o->target) + 16;
    o->tmp = malloc(cap);
    if (!o->tmp)
        return -1;
    static const char letters[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_sec;
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[7];
        for (int i = 0; i < 6; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            suffix[i] = letters[(seed >> 33) % (sizeof letters - 1)];
        }
        suffix[6] = 0;
        snprintf(o->tmp, cap, "%.*s.%s.%s", dirlen, o->target, base, suffix);
        int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            if (old)
                (void)fchmod(fd, old->st_mode & 07777);   /* best effort, as cp does */
            return fd;
        }
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

/* Write path directly: a device, a FIFO, a name in /dev. */
static int open_in_place(GsOutFile *o, char *err, size_t errlen)
{
    o->f = fopen(o->path, "we");
    return o->f ? 0 : open_error(o, errno, err, errlen);
}

int gs_outfile_open(GsOutFile *o, const char *path, const char *what, bool allow_stdout,
                    char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->what = what ? what : "";
    o->path = strdup(path);
    if (!o->path)
        return open_error(o, ENOMEM, err, errlen);
    if (allow_stdout && strcmp(path, "-") == 0) {
        o->f = stdout;
        o->is_stdout = true;
        return 0;
    }
    struct stat st;
    errno = 0;
    bool exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT)
        return open_error(o, errno, err, errlen);
    if ((exists && !S_ISREG(st.st_mode)) || in_kernel_dir(path))
        return open_in_place(o, err, errlen);
    /* A link is followed: the file it points to is replaced, not the link. */
    struct stat lst;
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        o->target = realpath(path, NULL);
    else
        o->target = strdup(path);
    if (!o->target)
        return open_error(o, errno ? errno : ENOMEM, err, errlen);
    int fd = create_temp(o, exists ? &st : NULL);
    if (fd < 0)
        return open_error(o, errno, err, errlen);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        return open_error(o, e, err, errlen);
    }
    return 0;
}

static void release(GsOutFile *o)
{
    free(o->path);
    free(o->target);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}

int gs_outfile_commit(GsOutFile *o, char *err, size_t errlen)
{
    /* A write that failed earlier may have left no errno behind: then the
     * message says "a write failed" (e stays 0). */
    bool failed = false;
    int e = 0;
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        failed = true, e = errno;
    if (o->is_stdout && failed)
        clearerr(o->f);   /* the caller reports it: gilscope's last check need not */
    if (!o->is_stdout) {
        if (fclose(o->f) != 0 && !failed)
            failed = true, e = errno;
        o->f = NULL;
        if (!failed && o->tmp && rename(o->tmp, o->target) != 0)
            failed = true, e = errno;
        if (failed && o->tmp)
            unlink(o->tmp);
    }
    if (failed)
        gs_outfile_error(o, e, err, errlen);
    release(o);
    return failed ? -1 : 0;
}

void gs_outfile_abort(GsOutFile *o)
{
    if (o->is_stdout)
        clearerr(o->f);   /* the caller reports why: gilscope's last check need not */
    else if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    release(o);
}
