/*
 * timefmt.c -- formatting and parsing times (see timefmt.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

typedef struct {
    int64_t scale;
    const char *unit;
} Unit;

/* Largest first; "µs" is UTF-8, which the font has. */
static const Unit units[] = { { 1000000000, "s" }, { 1000000, "ms" }, { 1000, "µs" }, { 1, "ns" } };

void gv_fmt_dur(char *buf, size_t len, int64_t ns)
{
    int64_t mag = ns < 0 ? -ns : ns;
    for (size_t i = 0; i < 3; i++) {
        if (mag < units[i].scale)
            continue;
        double v = (double)ns / (double)units[i].scale, a = fabs(v);
        const char *f = a < 10 ? "%.2f %s" : a < 100 ? "%.1f %s" : "%.0f %s";
        snprintf(buf, len, f, v, units[i].unit);
        return;
    }
    snprintf(buf, len, "%lld ns", (long long)ns);
}

int64_t gv_axis_step(int64_t span, int px, int min_px)
{
    if (px <= 0 || span <= 0)
        return 1;
    double want = (double)span * min_px / px;   /* ns between ticks, at least */
    int64_t step = 1;
    for (;;) {
        static const int mult[] = { 1, 2, 5 };
        for (int k = 0; k < 3; k++)
            if ((double)(step * mult[k]) >= want)
                return step * mult[k];
        if (step > INT64_MAX / 100)
            return step;
        step *= 10;
    }
}

/* Decimals needed to write multiples of step in unit `scale`. */
static int decimals(int64_t step, int64_t scale)
{
    int dec = 0;
    for (int64_t s = scale; s > 1 && step % s != 0 && dec < 9; s /= 10)
        dec++;
    return dec;
}

void gv_fmt_axis(char *buf, size_t len, int64_t t, int64_t step)
{
    /* The unit of the value ("130.5 ms", not "130500 µs"), unless that
     * would take more than three decimals; then the step's unit. */
    int64_t mag = t < 0 ? -t : t;
    mag = mag > step ? mag : step;      /* 0 is "0 ms" on a millisecond axis */
    const Unit *u = &units[3];
    for (size_t i = 0; i < 4; i++)
        if (mag >= units[i].scale || i == 3) {
            u = &units[i];
            break;
        }
    if (decimals(step, u->scale) > 3) {
        for (size_t i = 0; i < 4; i++)
            if (step >= units[i].scale || i == 3) {
                u = &units[i];
                break;
            }
    }
    snprintf(buf, len, "%.*f %s", decimals(step, u->scale), (double)t / (double)u->scale,
             u->unit);
}

int gv_parse_time(const char *s, int64_t *ns, char *err, size_t errlen)
{
    static const struct { const char *name; double scale; } names[] = {
        { "ns", 1 }, { "us", 1e3 }, { "µs", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
    };
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) || v < 0) {
        snprintf(err, errlen, "'%s' is not a time (expected e.g. 50ms, 1.5s, 20us, 500ns)", s);
        return -1;
    }
    if (*end == '\0' && v == 0) {
        *ns = 0;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(end, names[i].name) != 0)
            continue;
        double t = v * names[i].scale;
        if (t >= 9.2e18) {
            snprintf(err, errlen, "'%s' is too long a time", s);
            return -1;
        }
        *ns = (int64_t)llround(t);
        return 0;
    }
    snprintf(err, errlen, "'%s' needs a unit: ns, us, ms or s (e.g. 50ms)", s);
    return -1;
}

int gv_parse_range(const char *s, int64_t *t0, bool *has0, int64_t *t1, bool *has1, char *err,
                   size_t errlen)
{
    const char *colon = strchr(s, ':');
    char a[64], b[64];
    if (!colon || strchr(colon + 1, ':') || (size_t)(colon - s) >= sizeof a ||
        strlen(colon + 1) >= sizeof b) {
        snprintf(err, errlen, "'%s' is not a range (expected T0:T1, e.g. 0:50ms or 1.5s:2s)",
                 s);
        return -1;
    }
    memcpy(a, s, (size_t)(colon - s));
    a[colon - s] = '\0';
    strcpy(b, colon + 1);
    *has0 = a[0] != '\0';
    *has1 = b[0] != '\0';
    *t0 = *t1 = 0;
    if ((*has0 && gv_parse_time(a, t0, err, errlen) < 0) ||
        (*has1 && gv_parse_time(b, t1, err, errlen) < 0))
        return -1;
    if (*has0 && *has1 && *t1 <= *t0) {
        snprintf(err, errlen, "in the range '%s' the end is not after the start", s);
        return -1;
    }
    return 0;
}
