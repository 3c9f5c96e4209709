"""``python -m gilscope ARGS`` and the ``gilscope`` console script.

Both replace this Python process by the native gilscope (os.execv): the
process keeps its id, so Ctrl-C, SIGTERM and any other signal reach
gilscope itself, and its exit status is the command's, exactly as when
build/gilscope is run by hand.  Nothing of Python stays behind to forward
them, or to get in their way.
"""
import os
import sys

from gilscope import EXECUTABLE


def main():
    # argv[0] is what the program calls itself; gilscope finds its own
    # files through /proc/self/exe, not argv[0].
    argv = ["gilscope"] + sys.argv[1:]
    # Whatever Python has buffered would be lost by exec: nothing should
    # be, but flush in case a site hook printed.
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(EXECUTABLE, argv)
    except OSError as e:
        # The package is broken (a partial install, a wheel for another
        # machine): say what and where instead of a traceback, with the
        # shell's statuses for "cannot run" and "not found".
        print(f"gilscope: cannot run {EXECUTABLE}: {e.strerror}", file=sys.stderr)
        print("(reinstall it: pip install --force-reinstall gilscope)", file=sys.stderr)
        return 127 if isinstance(e, FileNotFoundError) else 126


if __name__ == "__main__":
    sys.exit(main())
