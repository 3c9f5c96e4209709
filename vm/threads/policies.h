/*
 * policies.h -- the names of the GIL policies, written once.
 *
 * Every part of gilscope that names a policy reads this table: the command
 * line (--policy, --help), the recorder's `meta` line, `gilscope stats`,
 * and the viewer's header.  The behaviour of each policy is a table of
 * operations (GsGilPolicyOps, gil.h) in a file of its own (gil_tick.c,
 * gil_interval.c); gil.c picks it by the row's name.  So a new policy is
 * one new file plus one row here (docs/architecture.md says what the file
 * must implement).
 *
 * This header is data only, with no other gilscope header behind it, so
 * that the trace reader and the viewer, which do not link the interpreter,
 * can read it too.
 *
 * Columns:
 *   name     the --policy spelling and the trace's "policy" value
 *   cpython  the CPython versions that used it
 *   summary  what it does, in one line (--help, the viewer)
 *   knob     the `meta` field that holds its one setting, or NULL
 *   unit     how the knob is shown: GS_KNOB_TICKS or GS_KNOB_SECONDS
 */
#ifndef GS_POLICIES_H
#define GS_POLICIES_H

#include <stddef.h>
#include <string.h>

typedef enum { GS_KNOB_NONE, GS_KNOB_TICKS, GS_KNOB_SECONDS } GsKnobUnit;

/*      name       cpython    summary                                                 knob               unit */
#define GS_GIL_POLICY_TABLE(X) \
    X(tick,     "2.3-3.1", "release and re-take the GIL every N ticks",              "check_interval",  GS_KNOB_TICKS) \
    X(interval, "3.2+",    "a waiter asks the holder to drop the GIL after an interval", "switch_interval", GS_KNOB_SECONDS)

typedef enum {
#define GS_X_POLICY_ENUM(name, cpython, summary, knob, unit) GS_POLICY_##name,
    GS_GIL_POLICY_TABLE(GS_X_POLICY_ENUM)
#undef GS_X_POLICY_ENUM
    GS_POLICY_COUNT
} GsGilPolicyId;

/* One row of the table (the columns are described above). */
typedef struct {
    const char *name, *cpython, *summary;
    const char *knob;   /* NULL: the policy has no setting */
    GsKnobUnit unit;
} GsPolicyInfo;

/* The table's rows, indexed by GsGilPolicyId. */
static inline const GsPolicyInfo *gs_policy_info(GsGilPolicyId id)
{
    static const GsPolicyInfo rows[GS_POLICY_COUNT] = {
#define GS_X_POLICY_ROW(name, cpython, summary, knob, unit) \
        [GS_POLICY_##name] = { #name, cpython, summary, knob, unit },
        GS_GIL_POLICY_TABLE(GS_X_POLICY_ROW)
#undef GS_X_POLICY_ROW
    };
    return (unsigned)id < GS_POLICY_COUNT ? &rows[id] : NULL;
}

/* The policy called `name`, or -1. */
static inline int gs_policy_find(const char *name)
{
    for (int id = 0; id < GS_POLICY_COUNT; id++)
        if (strcmp(gs_policy_info(id)->name, name) == 0)
            return id;
    return -1;
}

#endif
