/*
 * sdl_backend.c -- draw commands to SDL (see sdl_backend.h).
 *
 * Rectangles of one colour that follow each other in the list go to SDL
 * in one SDL_RenderFillRects call: a folded lane is a few thousand of
 * them, and one call each would dominate a frame on the software
 * renderer.  Likewise opaque rectangles are not blended (set_color).
 */
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>

#include "sdl_backend.h"

#define MAX_FONTS 32
#define TEXT_BUCKETS 4096
#define TEXT_CACHE_MAX 6000     /* textures kept; beyond that the cache starts again */
#define RECT_BATCH 512

typedef struct TextEntry {
    struct TextEntry *next;
    uint32_t hash;
    int size, flags;
    GvColor color;
    SDL_Texture *tex;
    int w, h;
    char str[];             /* the text itself, the key */
} TextEntry;

struct GvBackend {
    SDL_Renderer *r;
    char font_path[2][1024];        /* regular, bold */
    struct {
        int size, bold;
        TTF_Font *font;
    } fonts[MAX_FONTS];
    int nfonts;
    TextEntry *buckets[TEXT_BUCKETS];
    size_t ntexts;
    bool ttf_inited;
};

/* ---- fonts ---------------------------------------------------------------------- */

int gv_find_font(const char *family, int bold, char *buf, size_t len)
{
    FcConfig *config = FcInitLoadConfigAndFonts();
    FcPattern *pat = FcNameParse((const FcChar8 *)family);
    int rc = -1;
    snprintf(buf, len, "fontconfig finds no font for \"%s\" (install fonts-dejavu-core)", family);
    if (config && pat) {
        FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
        FcConfigSubstitute(config, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult result;
        FcPattern *match = FcFontMatch(config, pat, &result);
        FcChar8 *file = NULL;
        if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
            snprintf(buf, len, "%s", (const char *)file);
            rc = 0;
        }
        if (match)
            FcPatternDestroy(match);
    }
    if (pat)
        FcPatternDestroy(pat);
    if (config)
        FcConfigDestroy(config);
    return rc;
}

static TTF_Font *font_for(GvBackend *b, int size, int flags)
{
    int bold = (flags & GV_TEXT_BOLD) != 0;
    size = size < 4 ? 4 : size > 200 ? 200 : size;
    for (int i = 0; i < b->nfonts; i++)
        if (b->fonts[i].size == size && b->fonts[i].bold == bold)
            return b->fonts[i].font;
    TTF_Font *f = TTF_OpenFont(b->font_path[bold], size);
    if (!f)
        return b->nfonts ? b->fonts[0].font : NULL;
    if (b->nfonts == MAX_FONTS) {       /* sizes changed a lot (zooming fonts): start again */
        for (int i = 0; i < b->nfonts; i++)
            TTF_CloseFont(b->fonts[i].font);
        b->nfonts = 0;
    }
    b->fonts[b->nfonts].size = size;
    b->fonts[b->nfonts].bold = bold;
    b->fonts[b->nfonts++].font = f;
    return f;
}

static int measure(void *ctx, const char *s, int size, int flags)
{
    int w = 0, h = 0;
    TTF_Font *f = font_for(ctx, size, flags);
    if (!f || TTF_SizeUTF8(f, s, &w, &h) != 0)
        return (int)strlen(s) * size * 6 / 10;
    return w;
}

GvTextMetrics gv_backend_metrics(GvBackend *b)
{
    return (GvTextMetrics){ measure, b };
}

/* ---- the text cache ---------------------------------------------------------------- */

static uint32_t text_hash(const char *s, int size, int flags, GvColor c)
{
    uint32_t h = 2166136261u;           /* FNV-1a over the text, then the rest */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    h = (h ^ (uint32_t)size) * 16777619u;
    h = (h ^ (uint32_t)flags) * 16777619u;
    return (h ^ ((uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a)) * 16777619u;
}

static void clear_texts(GvBackend *b)
{
    for (size_t i = 0; i < TEXT_BUCKETS; i++) {
        for (TextEntry *e = b->buckets[i], *next; e; e = next) {
            next = e->next;
            SDL_DestroyTexture(e->tex);
            free(e);
        }
        b->buckets[i] = NULL;
    }
    b->ntexts = 0;
}

static TextEntry *text_entry(GvBackend *b, const char *s, int size, int flags, GvColor c)
{
    uint32_t h = text_hash(s, size, flags, c);
    TextEntry **bucket = &b->buckets[h % TEXT_BUCKETS];
    for (TextEntry *e = *bucket; e; e = e->next)
        if (e->hash == h && e->size == size && e->flags == flags &&
            memcmp(&e->color, &c, sizeof c) == 0 && strcmp(e->str, s) == 0)
            return e;
    if (b->ntexts >= TEXT_CACHE_MAX) {
        clear_texts(b);
        bucket = &b->buckets[h % TEXT_BUCKETS];
    }
    TTF_Font *f = font_for(b, size, flags);
    SDL_Surface *surf = f ? TTF_RenderUTF8_Blended(f, s, (SDL_Color){ c.r, c.g, c.b, c.a }) : NULL;
    SDL_Texture *tex = surf ? SDL_CreateTextureFromSurface(b->r, surf) : NULL;
    size_t len = strlen(s);
    TextEntry *e = tex ? malloc(sizeof *e + len + 1) : NULL;
    if (!e) {
        if (tex)
            SDL_DestroyTexture(tex);
        SDL_FreeSurface(surf);
        return NULL;
    }
    *e = (TextEntry){ *bucket, h, size, flags, c, tex, surf->w, surf->h };
    memcpy(e->str, s, len + 1);
    SDL_FreeSurface(surf);
    *bucket = e;
    b->ntexts++;
    return e;
}

/* ---- drawing ------------------------------------------------------------------------- */

GvBackend *gv_backend_new(SDL_Renderer *r, char *err, size_t errlen)
{
    GvBackend *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->r = r;
    if (gv_find_font("DejaVu Sans Mono", 0, b->font_path[0], sizeof b->font_path[0]) < 0 ||
        gv_find_font("DejaVu Sans Mono", 1, b->font_path[1], sizeof b->font_path[1]) < 0) {
        snprintf(err, errlen, "%s", b->font_path[0]);
        free(b);
        return NULL;
    }
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
        free(b);
        return NULL;
    }
    b->ttf_inited = true;
    if (!font_for(b, 14, 0)) {
        snprintf(err, errlen, "SDL_ttf cannot open %s: %s", b->font_path[0], TTF_GetError());
        gv_backend_free(b);
        return NULL;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return b;
}

void gv_backend_free(GvBackend *b)
{
    if (!b)
        return;
    clear_texts(b);
    for (int i = 0; i < b->nfonts; i++)
        TTF_CloseFont(b->fonts[i].font);
    if (b->ttf_inited)
        TTF_Quit();
    free(b);
}

/* Opaque colours are drawn without blending: the software renderer
 * blends pixel by pixel even at full alpha, and most of a frame is
 * opaque rectangles. */
static void set_color(SDL_Renderer *r, GvColor c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

static void draw_line(SDL_Renderer *r, const GvCmd *c)
{
    int dx = abs(c->line.x1 - c->line.x0), dy = abs(c->line.y1 - c->line.y0);
    set_color(r, c->color);
    /* A thick line as parallel lines, spread across its shorter direction. */
    for (int i = 0; i < c->line.width; i++) {
        int o = i - c->line.width / 2;
        int ox = dx < dy ? o : 0, oy = dx < dy ? 0 : o;
        SDL_RenderDrawLine(r, c->line.x0 + ox, c->line.y0 + oy, c->line.x1 + ox,
                           c->line.y1 + oy);
    }
}

static void draw_tri(SDL_Renderer *r, const GvCmd *c)
{
    SDL_Vertex v[3];
    set_color(r, c->color);     /* the blend mode: geometry follows the draw state */
    for (int i = 0; i < 3; i++)
        v[i] = (SDL_Vertex){ { (float)c->tri.x[i], (float)c->tri.y[i] },
                             { c->color.r, c->color.g, c->color.b, c->color.a }, { 0, 0 } };
    SDL_RenderGeometry(r, NULL, v, 3, NULL, 0);
}

static void draw_text(GvBackend *b, const GvCmdList *list, const GvCmd *c)
{
    TextEntry *e = text_entry(b, gv_cmd_str(list, c), c->text.size, c->text.flags, c->color);
    if (e)
        SDL_RenderCopy(b->r, e->tex, NULL, &(SDL_Rect){ c->text.x, c->text.y, e->w, e->h });
}

void gv_backend_draw(GvBackend *b, const GvCmdList *list)
{
    SDL_Rect batch[RECT_BATCH];
    int nbatch = 0;
    GvColor bc = { 0, 0, 0, 0 };
    for (size_t i = 0; i <= list->n; i++) {
        const GvCmd *c = i < list->n ? &list->cmds[i] : NULL;
        bool same = c && c->kind == GV_CMD_RECT && memcmp(&c->color, &bc, sizeof bc) == 0;
        if (nbatch && (!same || nbatch == RECT_BATCH)) {
            set_color(b->r, bc);
            SDL_RenderFillRects(b->r, batch, nbatch);
            nbatch = 0;
        }
        if (!c)
            break;
        switch (c->kind) {
        case GV_CMD_RECT:
            bc = c->color;
            batch[nbatch++] = (SDL_Rect){ c->rect.x, c->rect.y, c->rect.w, c->rect.h };
            break;
        case GV_CMD_LINE:
            draw_line(b->r, c);
            break;
        case GV_CMD_TRI:
            draw_tri(b->r, c);
            break;
        default:
            draw_text(b, list, c);
        }
    }
}
