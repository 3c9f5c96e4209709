#!/usr/bin/env python3
"""Per-iteration ticks under --cpython 2.7 against CPython 2.7.18.

For each loop of loops.py, gilscope runs it for N and 2N iterations under
`--cpython 2.7`; the difference of the `end` lines' check counts, divided by
N, is the ticks one iteration costs (under 2.7 every check is one tick of
_Py_Ticker).  That must equal:

  - what a real python2.7 counts, when one is on the machine: loops.py is
    imported there, `sys.setcheckinterval(1 << 30)` keeps the ticker from
    wrapping, and _Py_Ticker is read through ctypes before and after;
  - and in any case the figures measured with CPython 2.7.18 (below), so
    that a machine without python2.7 still checks gilscope.

Usage: tick_parity.py GILSCOPE LOOPS_PY
Exit 0 on success, 1 on a mismatch.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

N = 1000

# Measured with CPython 2.7.18 (pyenv, computed gotos) on this project's
# development machine, by the method above.
MEASURED_27 = {"countdown": 3, "compare": 3, "racy": 5, "locked": 11, "builtin": 4,
               "pycall": 5}

PROBE_27 = r"""
import ctypes, sys
sys.setcheckinterval(1 << 30)
where, n = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, where)
sys.argv = ["loops.py"]
import loops
ticker = ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_Ticker")
def ticks(f, n):
    before = ticker.value
    f(n)
    return before - ticker.value
for name in sorted(loops.LOOPS):
    f = loops.LOOPS[name]
    print("%s %d" % (name, ticks(f, 2 * n) - ticks(f, n)))
"""


def find_python27():
    """A working python2.7: $GS_PYTHON27, PATH, then pyenv's versions."""
    candidates = [os.environ.get("GS_PYTHON27"), shutil.which("python2.7")]
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(root, "versions", "2.7*", "bin", "python2.7")))
    for c in candidates:
        if not c:
            continue
        try:
            r = subprocess.run([c, "-c", "import ctypes, sys; print(sys.version_info[:2])"],
                               capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        if r.returncode == 0 and r.stdout.strip() == "(2, 7)":
            return c
    return None


def checks_of(trace):
    with open(trace) as f:
        last = f.read().splitlines()[-1]
    end = json.loads(last)
    # "checks" since trace format 2; "ticks" in format 1.
    return end["checks"] if "checks" in end else end["ticks"]


def gilscope_ticks(gilscope, loops_py, name, tmp):
    counts = []
    for n in (N, 2 * N):
        trace = os.path.join(tmp, "%s-%d.jsonl" % (name, n))
        subprocess.run([gilscope, "run", "--cpython", "2.7", "-o", trace, loops_py, name, str(n)],
                       check=True, timeout=120)
        counts.append(checks_of(trace))
    return (counts[1] - counts[0]) / N


def main():
    gilscope, loops_py = sys.argv[1], os.path.abspath(sys.argv[2])
    real = {}
    py27 = find_python27()
    if py27:
        out = subprocess.run([py27, "-c", PROBE_27, os.path.dirname(loops_py), str(N)],
                             capture_output=True, text=True, check=True, timeout=120).stdout
        for line in out.splitlines():
            name, diff = line.split()
            real[name] = int(diff) / N
    else:
        print("# no python2.7 here (set GS_PYTHON27, or install CPython 2.7 with pyenv): "
              "comparing with the figures measured with CPython 2.7.18 only")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(MEASURED_27):
            ours = gilscope_ticks(gilscope, loops_py, name, tmp)
            want = real.get(name, MEASURED_27[name])
            ok = ours == want
            print("%s %s: gilscope %.3f, %s %.3f ticks per iteration" % (
                "ok" if ok else "MISMATCH", name, ours,
                "python2.7" if name in real else "CPython 2.7.18 (recorded)", want))
            failures += not ok
    print("%d passed, %d failed" % (len(MEASURED_27) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
