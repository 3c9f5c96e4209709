/*
 * control.h -- the viewer's controller: SDL events in, view state out.
 *
 * A state machine over GvView (view.h): keys zoom, pan and drive the
 * replay; the mouse hovers, selects, drags the view, measures and scrubs.
 * It only reads the events' fields -- it opens no window and draws
 * nothing -- so tests feed it synthesized SDL_Events and look at the
 * view.  Keys (the `?` overlay lists them):
 *
 *   space  play/pause        [ ]  slower/faster     Home End  start/end
 *   . ,    next/previous GIL handoff                 W S  zoom (at the playhead)
 *   A D    pan
 *   f      fit               ?    help              Esc  close/clear
 *   Up Down  scroll lanes    r    next objects      p  present   q  quit
 *
 *   wheel: zoom at the pointer; drag: pan; shift-drag: measure;
 *   click the axis: playhead (drag to scrub); click an event: select it.
 */
#ifndef GV_CONTROL_H
#define GV_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "layout.h"
#include "view.h"

/* Handle one event.  The scene is not const: `r` picks other objects for
 * the reference-count lanes.  Returns true when the picture changed. */
bool gv_control_event(GvView *v, GvScene *sc, const GvTextMetrics *tm, const SDL_Event *e);

/* Let real_ns of wall-clock time pass: while playing, the playhead moves
 * by real_ns times the speed, and the view follows it.  Returns true when
 * the picture changed. */
bool gv_control_tick(GvView *v, const GvScene *sc, int64_t real_ns);

/* Select event idx of lane `lane` in model k: fills v->sel, reading the
 * event's line back from the trace file for all its fields. */
void gv_control_select(GvView *v, const GvScene *sc, int k, size_t lane, size_t idx);

#endif
