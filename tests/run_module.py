#!/usr/bin/env python3
"""run_module.py -- `gilscope run -m MODULE ARGS` against `python3 -m MODULE
ARGS`, in tests/programs/importing: the same standard output, the same
exit status, and for a module that is not there the same one-line error
(after the program's name).  Standard library only; meson runs it:

    tests/run_module.py build/gilscope

Exit status 0 when every case agrees, 1 otherwise (printing the
differences)."""

import os
import subprocess
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs", "importing")

CASES = [
    ["mod_main", "a", "b"],
    ["runnable", "x", "y"],
    ["runnable.__main__", "z"],
    ["runnable.tool", "3"],
    ["no_such_module"],
    ["runnable.helper.deeper"],
    ["mod_plain.sub"],
    ["shapes"],
]


def run(cmd):
    p = subprocess.run(cmd, cwd=HERE, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=120)
    err = p.stderr.decode("utf-8", "replace")
    # "python3: No module named x" / "gilscope: No module named x"
    last = err.strip().splitlines()[-1] if err.strip() else ""
    return p.stdout.decode("utf-8", "replace"), p.returncode, last.split(": ", 1)[-1]


def main(argv):
    gilscope = os.path.abspath(argv[1])
    python = argv[2] if len(argv) > 2 else sys.executable
    failed = 0
    for case in CASES:
        want = run([python, "-E", "-s", "-m"] + case)
        got = run([gilscope, "run", "-m"] + case)
        status = "ok" if want == got else "FAIL"
        print("%s: -m %s" % (status, " ".join(case)))
        if want != got:
            failed += 1
            print("  python3 : %r" % (want,))
            print("  gilscope: %r" % (got,))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
