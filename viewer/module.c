/*
 * module.c -- the viewer as a module the gilscope executable loads when a
 * command draws (viewer.h explains why).  Its one exported name.
 */
#include "viewer.h"

__attribute__((visibility("default"))) const GvApi gv_api = {
    .abi = GV_API_ABI,
    .cmd_view = gv_cmd_view,
    .render_png = gv_render_png,
    .open_window = gv_open_window,
};
