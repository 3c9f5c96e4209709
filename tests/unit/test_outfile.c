/*
 * test_outfile.c -- unit tests for tracer/outfile.c, the rule every output
 * file of gilscope follows: a regular (or new) file is written beside the
 * target and renamed over it on success; a failed or abandoned write leaves
 * the old file as it was and no temporary file behind; a device is written
 * in place and never deleted.
 *
 * Everything happens in a fresh directory under /tmp.  The full device is
 * the test's own node (mknod DIR/full c 1 7), never /dev/full: a
 * regression deletes only that.  Without permission to mknod (not root)
 * those checks are skipped.
 */
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "outfile.h"
#include "tap.h"

static char dir[64];

static const char *in_dir(const char *name)
{
    static char paths[4][128];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static void put_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    chmod(path, mode);
}

/* The file's contents ("" if it cannot be read). */
static const char *contents(const char *path)
{
    static char buf[256];
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = 0;
        fclose(f);
    }
    return buf;
}

/* How many entries the directory has besides . and .. (temporary files
 * left behind show up here). */
static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static int write_all(const char *path, const char *text, char *err, size_t errlen)
{
    GsOutFile o;
    if (gs_outfile_open(&o, path, "the test file", false, err, errlen) < 0)
        return -1;
    fputs(text, o.f);
    return gs_outfile_commit(&o, err, errlen);
}

static void test_new_and_replaced(void)
{
    char err[512];
    mode_t mask = umask(022);
    const char *p = in_dir("new.txt");
    TAP_INT_EQ(write_all(p, "one\n", err, sizeof err), 0, "a new file: written");
    struct stat st;
    TAP_OK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0644,
           "... with the mode a new file gets (0666 less the umask 022): %o",
           (unsigned)(st.st_mode & 0777));
    TAP_STR_EQ(contents(p), "one\n", "... holding what was written");
    TAP_INT_EQ(entries(), 1, "... and no temporary file beside it");

    chmod(p, 0640);
    TAP_INT_EQ(write_all(p, "two\n", err, sizeof err), 0, "an existing file: replaced");
    TAP_OK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0640, "... keeping its mode 0640: %o",
           (unsigned)(st.st_mode & 0777));
    TAP_STR_EQ(contents(p), "two\n", "... with the new contents");
    umask(mask);

    GsOutFile o;
    gs_outfile_open(&o, p, NULL, false, err, sizeof err);
    fputs("half a fi", o.f);
    TAP_STR_EQ(contents(p), "two\n", "while being written, the target still holds the old file");
    TAP_INT_EQ(entries(), 2, "... and the temporary file is beside it");
    gs_outfile_abort(&o);
    TAP_STR_EQ(contents(p), "two\n", "abort: the old file is untouched");
    TAP_INT_EQ(entries(), 1, "... and the temporary file is gone");
    unlink(p);
}

static void test_link(void)
{
    char err[512];
    const char *real = in_dir("real.txt"), *link = in_dir("link.txt");
    put_file(real, "old\n", 0644);
    TAP_OK(symlink("real.txt", link) == 0, "a symbolic link to a regular file");
    TAP_INT_EQ(write_all(link, "new\n", err, sizeof err), 0, "... written through");
    struct stat st;
    TAP_OK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "... the link is still a link");
    TAP_STR_EQ(contents(real), "new\n", "... and the file it points to was replaced");
    TAP_INT_EQ(entries(), 2, "... with no temporary file left");
    unlink(link);
    unlink(real);
}

static void test_errors(void)
{
    char err[512];
    const char *p = in_dir("no/such/dir.txt");
    TAP_INT_EQ(write_all(p, "x", err, sizeof err), -1, "a missing directory: -1");
    TAP_OK(strstr(err, "cannot write the test file '") && strstr(err, "No such file or directory"),
           "... names the file and the problem: %s", err);
    TAP_INT_EQ(write_all(dir, "x", err, sizeof err), -1, "a directory: -1");
    TAP_OK(strstr(err, "Is a directory") != NULL, "... says so: %s", err);

    GsOutFile o;
    TAP_INT_EQ(gs_outfile_open(&o, "-", NULL, true, err, sizeof err), 0, "\"-\" allowed: stdout");
    TAP_OK(o.f == stdout, "... f is stdout");
    TAP_INT_EQ(gs_outfile_commit(&o, err, sizeof err), 0, "... committed (flushed, not closed)");
    TAP_OK(fflush(stdout) == 0, "... stdout is still open");
}

/* The device node cases: written in place, never deleted, a full disk
 * reported.  Returns false if nodes cannot be made here. */
static bool test_devices(void)
{
    char err[512];
    const char *full = in_dir("full"), *null = in_dir("null");
    if (mknod(full, S_IFCHR | 0666, makedev(1, 7)) != 0 ||
        mknod(null, S_IFCHR | 0666, makedev(1, 3)) != 0) {
        printf("# cannot make device nodes here (%s): device checks skipped\n", strerror(errno));
        unlink(full);
        return false;
    }
    /* A few bytes stay in the buffer: the commit's flush finds the disk full. */
    TAP_INT_EQ(write_all(full, "x", err, sizeof err), -1, "a full device: -1");
    TAP_OK(strstr(err, "could not write the test file '") &&
           strstr(err, "No space left on device"), "... says why: %s", err);
    struct stat st;
    TAP_OK(stat(full, &st) == 0 && S_ISCHR(st.st_mode), "... and the device node is still there");
    TAP_INT_EQ(write_all(null, "x", err, sizeof err), 0, "a null device: written in place");
    TAP_OK(stat(null, &st) == 0 && S_ISCHR(st.st_mode), "... still a device node");
    GsOutFile o;
    gs_outfile_open(&o, full, NULL, false, err, sizeof err);
    gs_outfile_abort(&o);
    TAP_OK(stat(full, &st) == 0 && S_ISCHR(st.st_mode), "abort on a device deletes nothing");
    TAP_INT_EQ(entries(), 2, "... and made no temporary file");
    unlink(full);
    unlink(null);
    return true;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gs_outfile_test_XXXXXX");
    if (!mkdtemp(dir)) {
        printf("Bail out! cannot make a directory in /tmp: %s\n", strerror(errno));
        return 1;
    }
    test_new_and_replaced();
    test_link();
    test_errors();
    if (!test_devices())
        printf("ok %d - # SKIP device nodes (mknod not permitted)\n", ++tap_n);
    rmdir(dir);
    return tap_done();
}
