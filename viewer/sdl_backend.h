/*
 * sdl_backend.h -- draws a draw-command list with SDL_Renderer and SDL_ttf.
 *
 * The only layer that knows SDL's drawing calls, and deliberately thin: a
 * rectangle is SDL_RenderFillRect, a triangle SDL_RenderGeometry, a text a
 * texture made by SDL_ttf.  What it adds is caching: fonts by size, and
 * the texture of every text drawn recently, since making a text texture
 * costs far more than drawing it.
 *
 * The font is DejaVu Sans Mono (Debian's fonts-dejavu-core), found with
 * fontconfig rather than by a hard-coded path.  A monospaced font keeps
 * the stats table's columns straight.
 */
#ifndef GV_SDL_BACKEND_H
#define GV_SDL_BACKEND_H

#include <stddef.h>

#include <SDL.h>

#include "draw.h"
#include "layout.h"

typedef struct GvBackend GvBackend;

/* A backend drawing with r (which stays the caller's).  NULL with a
 * message in err when no font can be found or SDL_ttf fails. */
GvBackend *gv_backend_new(SDL_Renderer *r, char *err, size_t errlen);
void gv_backend_free(GvBackend *b);

/* Draw the list (the caller clears and presents). */
void gv_backend_draw(GvBackend *b, const GvCmdList *list);

/* Text widths as this backend will draw them, for the layout. */
GvTextMetrics gv_backend_metrics(GvBackend *b);

/* The font file fontconfig picks for a family ("DejaVu Sans Mono"), bold
 * or not, into buf.  Returns 0, or -1 with a message in buf. */
int gv_find_font(const char *family, int bold, char *buf, size_t len);

#endif
