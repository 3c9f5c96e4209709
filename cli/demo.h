/*
 * demo.h -- `gilscope demo` (cli/demo.c): the canned scenarios under both
 * GILs, their traces, and the viewer or PNGs comparing them.
 */
#ifndef GS_DEMO_H
#define GS_DEMO_H

/* The canned scenarios' sources, compiled into the binary from
 * scenarios/NAME.py (meson.build, vm/runtime/embed.py). */
extern const char gs_scenario_countdown[], gs_scenario_racy_counter[],
    gs_scenario_locked_counter[], gs_scenario_io_threads[];

/* argv[0] is "demo".  Returns the exit status. */
int gs_cmd_demo(int argc, char **argv);

#endif
