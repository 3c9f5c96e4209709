/*
 * tap.h -- a tiny TAP producer for the C unit tests (meson runs them with
 * protocol: 'tap').  Assertions print both operands when they fail.
 */
#ifndef GS_TAP_H
#define GS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* The condition is evaluated once: it may have side effects. */
#define TAP_OK(cond, ...) do { \
        int tap_ok_ = !!(cond); \
        ++tap_n; \
        if (tap_ok_) { printf("ok %d - ", tap_n); } \
        else { ++tap_failed; printf("not ok %d - ", tap_n); } \
        printf(__VA_ARGS__); printf("\n"); \
        if (!tap_ok_) printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    } while (0)

#define TAP_STR_EQ(got, want, ...) do { \
        const char *tap_g = (got), *tap_w = (want); \
        int tap_c = tap_g && tap_w && strcmp(tap_g, tap_w) == 0; \
        TAP_OK(tap_c, __VA_ARGS__); \
        if (!tap_c) printf("#   got:  \"%s\"\n#   want: \"%s\"\n", \
                           tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)"); \
    } while (0)

#define TAP_INT_EQ(got, want, ...) do { \
        long long tap_g = (long long)(got), tap_w = (long long)(want); \
        TAP_OK(tap_g == tap_w, __VA_ARGS__); \
        if (tap_g != tap_w) printf("#   got:  %lld\n#   want: %lld\n", tap_g, tap_w); \
    } while (0)

/* Call last: prints the plan and returns main's exit status. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
