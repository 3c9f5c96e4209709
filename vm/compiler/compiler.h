/*
 * compiler.h -- the compiler's public face: from source to a code object
 * of CPython 3.9 bytecode, and back to a `dis` listing.
 *
 * The compiler builds objects (objects/object.h) and reports errors
 * through the runtime (runtime/interp.h), but knows nothing of the eval
 * loop: it never sees a frame.  Inside this folder: lexer.h, ast.h (the
 * tree), opcodes.h (the instruction set, included here for everyone).
 */
#ifndef GS_COMPILER_H
#define GS_COMPILER_H

#include <stdbool.h>

#include "opcodes.h"
#include "objects/object.h"

typedef struct GsThread GsThread;
typedef struct GsCode GsCode;

/* How many blocks (loops, try, with) may nest in one function: CPython's
 * CO_MAXBLOCKS.  The compiler refuses more; the eval loop's frames have
 * room for exactly this many. */
#define GS_MAX_BLOCKS 20

/* Source -> module code object (a new reference), or NULL with a
 * SyntaxError set; the error's attributes: msg, filename, lineno, offset,
 * text. */
GsObject *gs_compile(GsThread *ts, const char *source, const char *filename);
/* The same, or with eval_mode the code of one expression that returns its
 * value (eval(), compile(..., 'eval')). */
GsObject *gs_compile_mode(GsThread *ts, const char *source, const char *filename,
                          bool eval_mode);

/* PEP 263 (source.c).  gs_source_decode: a program file's bytes (a C
 * string) as UTF-8, following its encoding declaration -- a malloc'ed
 * copy, or NULL with a SyntaxError set ("encoding problem: ...").
 * gs_source_check_encoding: false, with that SyntaxError set, if source
 * declares an encoding gilscope does not know (gs_compile checks it). */
char *gs_source_decode(GsThread *ts, const char *raw);
bool gs_source_check_encoding(GsThread *ts, const char *source);

/* Print code's listing in CPython 3.9's layout; recurse into nested code
 * objects when `recursive`. */
int gs_dis_code(GsThread *ts, GsBuf *out, GsCode *code, bool recursive);

#endif
