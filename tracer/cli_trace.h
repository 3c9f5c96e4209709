/*
 * cli_trace.h -- the `gilscope stats` and `gilscope export` commands, for
 * cli/main.c to dispatch to.  argv[0] is the subcommand's name ("stats",
 * "export"); the rest are its arguments.
 *
 * Exit status: 0 done, 1 the trace could not be read (or the output could
 * not be written), 2 a bad command line.  Messages go to stderr, prefixed
 * "gilscope stats: " / "gilscope export: ".
 */
#ifndef GS_CLI_TRACE_H
#define GS_CLI_TRACE_H

int gs_cmd_stats(int argc, char **argv);
int gs_cmd_export(int argc, char **argv);

#endif
