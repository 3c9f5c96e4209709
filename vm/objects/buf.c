/*
 * buf.c -- GsBuf, the growable byte buffer every printer builds text in.
 *
 * Invariant: once anything has been written, data[len] == '\0', so the
 * contents can be handed to C string functions without copying.  A
 * freshly initialised buffer has data == NULL and len == cap == 0; every
 * function below accepts that state.
 *
 * Out of memory: these buffers hold host-side text (reprs, messages,
 * formatted numbers) that is tiny next to the guest heap, so running out
 * here means the host itself is exhausted.  There is no sensible way to
 * raise a guest MemoryError from the middle of building a string, so we
 * print a message to stderr and abort().  Callers that take sizes from
 * guest programs (format widths, repetition counts) must bound them
 * before asking for the memory.
 *
 * gs_buf_finish / gs_buf_repr / gs_buf_str need objects and live in util.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"

#define GS_BUF_MIN_CAP 32

static void buf_oom(size_t want)
{
    fprintf(stderr, "gilscope: out of memory (growing a text buffer to %zu bytes)\n", want);
    abort();
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static void buf_reserve(GsBuf *b, size_t extra)
{
    if (extra > SIZE_MAX - 1 - b->len)
        buf_oom(SIZE_MAX);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : GS_BUF_MIN_CAP;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        buf_oom(cap);
    b->data = p;
    b->cap = cap;
}

void gs_buf_init(GsBuf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void gs_buf_free(GsBuf *b)
{
    free(b->data);
    gs_buf_init(b);
}

void gs_buf_put(GsBuf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    /* s may point into our own storage (appending a copy of part of the
     * buffer to itself); remember its offset, since realloc may move it. */
    int inside = b->data && s >= b->data && s < b->data + b->cap;
    size_t off = inside ? (size_t)(s - b->data) : 0;
    buf_reserve(b, n);
    if (inside)
        s = b->data + off;
    memmove(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gs_buf_puts(GsBuf *b, const char *s)
{
    gs_buf_put(b, s, strlen(s));
}

void gs_buf_putc(GsBuf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void gs_buf_printf(GsBuf *b, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    /* First try to print straight into the spare capacity; only if that
     * is too small do we learn the length, grow, and print again. */
    buf_reserve(b, 0);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        /* Only an invalid conversion (e.g. a bad wide character) fails;
         * append nothing rather than leave half-written bytes behind. */
        b->data[b->len] = '\0';
    } else {
        if ((size_t)n >= room) {
            buf_reserve(b, (size_t)n);
            vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        }
        b->len += (size_t)n;
    }
    va_end(again);
}
