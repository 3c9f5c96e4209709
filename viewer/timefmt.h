/*
 * timefmt.h -- times for people: "12.3 ms" on the screen, "0:50ms" on the
 * command line.
 *
 * A trace counts nanoseconds, but nobody reads 5061233 ns; the axis and
 * the labels pick the unit that fits the zoom (ns, µs, ms, s), and
 * `--range` takes times with units.
 */
#ifndef GV_TIMEFMT_H
#define GV_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A duration to about three significant digits: "850 ns", "4.90 µs",
 * "12.3 ms", "2.11 s" (the same style as `gilscope stats`). */
void gv_fmt_dur(char *buf, size_t len, int64_t ns);

/* The axis: a tick step of 1, 2 or 5 times a power of ten, the smallest
 * that keeps ticks at least min_px apart when span ns are px wide. */
int64_t gv_axis_step(int64_t span, int px, int min_px);

/* A tick's label at time t, in the unit that suits step, with just the
 * decimals step needs: "1.25 ms", "40 µs". */
void gv_fmt_axis(char *buf, size_t len, int64_t t, int64_t step);

/* Parse a time with a unit: "50ms", "1.5s", "20us" (or "20µs"), "500ns",
 * or a bare "0".  Returns 0, or -1 with a message in err. */
int gv_parse_time(const char *s, int64_t *ns, char *err, size_t errlen);

/* Parse "T0:T1"; an empty side means the start or the end of the run
 * (*has0 / *has1 false).  Returns 0, or -1 with a message in err. */
int gv_parse_range(const char *s, int64_t *t0, bool *has0, int64_t *t1, bool *has1, char *err,
                   size_t errlen);

#endif
