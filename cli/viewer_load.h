/*
 * viewer_load.h -- the viewer module, loaded on first use (viewer.h says why).
 */
#ifndef GS_VIEWER_LOAD_H
#define GS_VIEWER_LOAD_H

#include "viewer.h"

/* The viewer's entry points, or NULL after telling stderr why it could not
 * be loaded (and where it was looked for). */
const GvApi *gs_viewer(void);

#endif
