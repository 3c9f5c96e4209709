/*
 * demo.h -- `gilscope demo` (cli/demo.c): the canned scenarios under both
 * GILs, their traces, and the viewer or PNGs comparing them.
 */
#ifndef GS_DEMO_H
#define GS_DEMO_H

/* argv[0] is "demo".  Returns the exit status. */
int gs_cmd_demo(int argc, char **argv);

#endif
