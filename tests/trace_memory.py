#!/usr/bin/env python3
"""trace_memory.py GILSCOPE -- the tracer's memory stays bounded.

Runs a program that prints about 200 MB of text under `gilscope run -o`,
which records every line as a `print` event, and checks that gilscope's
peak resident memory stays far below that: the writer thread streams the
events to the file while the program runs instead of keeping them all
(tracer/recorder.c).  The trace goes to /dev/null, so the test needs no
disk space.  Not run in sanitizer builds, whose allocators keep freed
memory on purpose.
"""
import resource
import subprocess
import sys
import tempfile

LIMIT_MB = 64


def main():
    gilscope = sys.argv[1]
    with tempfile.NamedTemporaryFile("w", suffix=".py") as prog:
        prog.write("line = 'x' * 2000\n"
                   "for i in range(100000):\n"
                   "    print(line)\n")
        prog.flush()
        run = subprocess.run([gilscope, "run", "-o", "/dev/null", prog.name],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        print("FAIL: gilscope exited with", run.returncode, run.stderr)
        return 1
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.1f} MB for 200 MB of print events")
    if peak_mb > LIMIT_MB:
        print(f"FAIL: more than {LIMIT_MB} MB")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
