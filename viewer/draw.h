/*
 * draw.h -- the list of draw commands between the layout and a backend.
 *
 * The layout does not draw: it appends commands -- filled rectangles,
 * lines, triangles, text -- to a GvCmdList, and a backend walks the list
 * (sdl_backend.c; microui works the same way).  So the picture can be
 * tested without a window by looking at the list, and each command says
 * what it shows (its tag, and for lanes which row and which state), so a
 * test can ask "which colour is row 2 at x = 300?" without guessing from
 * pixels.
 *
 * Coordinates are output pixels, origin at the top left.
 */
#ifndef GV_DRAW_H
#define GV_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t r, g, b, a;
} GvColor;

typedef enum { GV_CMD_RECT, GV_CMD_LINE, GV_CMD_TRI, GV_CMD_TEXT } GvCmdKind;

/* What a command shows.  arg, by tag: LANE -> GvState; GIL -> the holder's
 * lane index; MARK -> the mark kind (model.h's GV_MARK_*); DEADLOCK -> the
 * row of the thread waited for (-1: none shown); FOLDED -> how many
 * threads the folded row stands for; HANDOFF -> on a taker's row, 1 if the
 * handoff was forced; on the GIL row, how many handoffs a crowd's bar
 * stands for. */
#define GV_TAGS(X) \
    X(NONE) X(BACKGROUND) X(HEADER) X(AXIS) X(GRID) X(LABEL) X(LANE) X(LANE_TEXT) X(GIL) \
    X(MARK) X(DROP) X(HANDOFF) X(CHECKS) X(REF) X(LEGEND) X(CAPTION) X(STATS) X(STATUS) \
    X(PLAYHEAD) X(HOVER) X(SELECTION) X(MEASURE) X(HELP) X(PROGRESS) X(DEADLOCK) X(FOLDED)

typedef enum {
#define GV_X_TAG(name) GV_TAG_##name,
    GV_TAGS(GV_X_TAG)
#undef GV_X_TAG
    GV_TAG_COUNT
} GvTag;

enum { GV_TEXT_BOLD = 1 };

typedef struct {
    uint8_t kind;           /* GvCmdKind */
    uint8_t tag;            /* GvTag */
    int16_t row;            /* the lane row it belongs to, -1 for none */
    int32_t arg;            /* see GvTag */
    GvColor color;
    union {
        struct { int32_t x, y, w, h; } rect;
        struct { int32_t x0, y0, x1, y1, width; } line;
        struct { int32_t x[3], y[3]; } tri;
        struct { int32_t x, y, size, flags; uint32_t str; } text;   /* x, y: top left */
    };
} GvCmd;

/* What the following commands show (see gv_cmds_tag). */
typedef struct {
    GvTag tag;
    int row;
    int arg;
} GvCmdTag;

typedef struct {
    GvCmd *cmds;
    size_t n, cap;
    char *text;             /* the texts, NUL-terminated, referred to by offset */
    size_t text_len, text_cap;
    GvCmdTag cur;           /* given to each command appended */
    bool oom;               /* a command was dropped for want of memory */
} GvCmdList;

void gv_cmds_init(GvCmdList *list);
void gv_cmds_clear(GvCmdList *list);   /* empty it, keeping the memory */
void gv_cmds_fini(GvCmdList *list);

/* Append a command (it inherits the current tag, row and arg: see
 * gv_cmds_tag).  Empty rectangles are not added. */
void gv_rect(GvCmdList *list, int x, int y, int w, int h, GvColor c);
void gv_line(GvCmdList *list, int x0, int y0, int x1, int y1, int width, GvColor c);
void gv_tri(GvCmdList *list, int x0, int y0, int x1, int y1, int x2, int y2, GvColor c);
void gv_text(GvCmdList *list, int x, int y, int size, int flags, GvColor c, const char *s);
/* An outlined rectangle (four rects of width w). */
void gv_frame(GvCmdList *list, int x, int y, int w, int h, int width, GvColor c);

/* Set what the following commands show. */
void gv_cmds_tag(GvCmdList *list, GvTag tag, int row, int arg);

/* A text command's text ("" for other commands). */
const char *gv_cmd_str(const GvCmdList *list, const GvCmd *c);

#endif
