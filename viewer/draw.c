/*
 * draw.c -- the draw-command list (see draw.h).
 *
 * Out of memory is not an error the layout has to handle at every call: a
 * command that cannot be added is dropped and the list remembers it (oom),
 * so the frame is incomplete but nothing breaks.
 */
#include <stdlib.h>
#include <string.h>

#include "draw.h"

void gv_cmds_init(GvCmdList *list)
{
    memset(list, 0, sizeof *list);
    list->cur.row = -1;
}

void gv_cmds_clear(GvCmdList *list)
{
    list->n = 0;
    list->text_len = 0;
    list->oom = false;
    list->cur = (GvCmdTag){ GV_TAG_NONE, -1, 0 };
}

void gv_cmds_fini(GvCmdList *list)
{
    free(list->cmds);
    free(list->text);
    gv_cmds_init(list);
}

void gv_cmds_tag(GvCmdList *list, GvTag tag, int row, int arg)
{
    list->cur = (GvCmdTag){ tag, row, arg };
}

/* A new command with the current tag, or NULL (and oom) when out of memory. */
static GvCmd *push(GvCmdList *list, GvCmdKind kind, GvColor c)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 1024;
        GvCmd *p = realloc(list->cmds, cap * sizeof *p);
        if (!p) {
            list->oom = true;
            return NULL;
        }
        list->cmds = p;
        list->cap = cap;
    }
    GvCmd *cmd = &list->cmds[list->n++];
    memset(cmd, 0, sizeof *cmd);
    cmd->kind = (uint8_t)kind;
    cmd->tag = (uint8_t)list->cur.tag;
    cmd->row = (int16_t)list->cur.row;
    cmd->arg = list->cur.arg;
    cmd->color = c;
    return cmd;
}

void gv_rect(GvCmdList *list, int x, int y, int w, int h, GvColor c)
{
    if (w <= 0 || h <= 0)
        return;
    GvCmd *cmd = push(list, GV_CMD_RECT, c);
    if (cmd) {
        cmd->rect.x = x, cmd->rect.y = y;
        cmd->rect.w = w, cmd->rect.h = h;
    }
}

void gv_line(GvCmdList *list, int x0, int y0, int x1, int y1, int width, GvColor c)
{
    GvCmd *cmd = push(list, GV_CMD_LINE, c);
    if (cmd) {
        cmd->line.x0 = x0, cmd->line.y0 = y0;
        cmd->line.x1 = x1, cmd->line.y1 = y1;
        cmd->line.width = width < 1 ? 1 : width;
    }
}

void gv_tri(GvCmdList *list, int x0, int y0, int x1, int y1, int x2, int y2, GvColor c)
{
    GvCmd *cmd = push(list, GV_CMD_TRI, c);
    if (cmd) {
        cmd->tri.x[0] = x0, cmd->tri.y[0] = y0;
        cmd->tri.x[1] = x1, cmd->tri.y[1] = y1;
        cmd->tri.x[2] = x2, cmd->tri.y[2] = y2;
    }
}

void gv_text(GvCmdList *list, int x, int y, int size, int flags, GvColor c, const char *s)
{
    size_t len = strlen(s);
    if (!len)
        return;
    if (list->text_len + len + 1 > list->text_cap) {
        size_t cap = list->text_cap ? list->text_cap : 4096;
        while (cap < list->text_len + len + 1)
            cap *= 2;
        char *p = realloc(list->text, cap);
        if (!p) {
            list->oom = true;
            return;
        }
        list->text = p;
        list->text_cap = cap;
    }
    GvCmd *cmd = push(list, GV_CMD_TEXT, c);
    if (!cmd)
        return;
    cmd->text.x = x, cmd->text.y = y;
    cmd->text.size = size, cmd->text.flags = flags;
    cmd->text.str = (uint32_t)list->text_len;
    memcpy(list->text + list->text_len, s, len + 1);
    list->text_len += len + 1;
}

void gv_frame(GvCmdList *list, int x, int y, int w, int h, int width, GvColor c)
{
    gv_rect(list, x, y, w, width, c);
    gv_rect(list, x, y + h - width, w, width, c);
    gv_rect(list, x, y + width, width, h - 2 * width, c);
    gv_rect(list, x + w - width, y + width, width, h - 2 * width, c);
}

const char *gv_cmd_str(const GvCmdList *list, const GvCmd *c)
{
    return c->kind == GV_CMD_TEXT ? list->text + c->text.str : "";
}
