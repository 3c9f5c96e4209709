/*
 * outfile.h -- an output file that is either written whole or not at all.
 *
 * Every file gilscope writes (the trace of `run -o`, `export -o`, the PNG of
 * `view --png`, the programs `demo --out` writes) goes through here, so
 * that they all follow one rule (docs/trace-format.md, "Output files"):
 *
 *   - A regular file, or a name that does not exist yet, is written to a
 *     temporary file beside it (".NAME.XXXXXX", in the same directory so
 *     that rename() can replace the target in one step).  gs_outfile_commit
 *     renames it over the target; gs_outfile_abort deletes the temporary
 *     file and nothing else.  So a failed write leaves the old file as it
 *     was, and the target never holds half a file.
 *   - A name that exists and is not a regular file (a device such as
 *     /dev/null or /dev/full, a FIFO), and any name in /dev or /proc
 *     (/dev/stdout, /dev/fd/3), is opened and written in place.  Nothing is
 *     renamed over it, and it is never deleted.
 *   - "-" is standard output, when the caller allows it.
 *
 * gilscope never deletes a file it did not create.
 *
 * A new file gets the mode any new file would (0666 less the umask); a
 * replaced file keeps its permission bits (not its owner, nor other hard
 * links to it: those keep the old contents).  A symbolic link to a regular
 * file is followed: the file it points to is replaced, the link stays.
 *
 * The temporary file is not fsync'ed before the rename: the rule protects
 * against failed writes and interrupted runs, not against a power cut.
 *
 * ERRORS.  Nothing here prints.  A function that fails returns -1 with one
 * line in err naming the file: "cannot write the trace 'T.jsonl': No space
 * left on device".
 */
#ifndef GS_OUTFILE_H
#define GS_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *f;             /* write here */
    char *path;          /* the name given, for messages */
    const char *what;    /* "the trace", "the PNG"...: for messages; "" for none */
    char *target;        /* what the temporary file replaces (a link resolved) */
    char *tmp;           /* the temporary file; NULL when written in place */
    bool is_stdout;      /* "-": f is stdout, which is flushed, not closed */
} GsOutFile;

/* Open path for writing (see above).  what names the file in messages
 * ("the trace"; NULL for none).  allow_stdout: "-" means standard output;
 * otherwise it is a file named "-".  On failure o->f is NULL and there is
 * nothing to commit or abort. */
int gs_outfile_open(GsOutFile *o, const char *path, const char *what, bool allow_stdout,
                    char *err, size_t errlen);

/* Finish: flush, check that every write and the close succeeded, then
 * rename the temporary file over the target.  On any failure the
 * temporary file is deleted (the target keeps its old contents) and -1 is
 * returned.  o is closed either way. */
int gs_outfile_commit(GsOutFile *o, char *err, size_t errlen);

/* Give up: close, and delete the temporary file (never the target). */
void gs_outfile_abort(GsOutFile *o);

/* The same message gs_outfile_commit gives, for a caller that saw a write
 * fail itself (errnum) and aborts instead of committing. */
void gs_outfile_error(const GsOutFile *o, int errnum, char *err, size_t errlen);

#endif
