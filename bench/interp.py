#!/usr/bin/env python3
"""interp.py -- the interpreter's speed against CPython, and against another
gilscope build: single-thread workloads, interleaved runs, median ratios.

  bench/interp.py [-n RUNS] [--base OTHER_GILSCOPE] [GILSCOPE]

Each workload is a small program written to a temporary directory and run
whole (start-up included) by `GILSCOPE run --cpython 3.12` (and, with
--base, by the other gilscope too) and by whichever of pyenv's python3.12,
python3.9 (and Debian's python3) are installed; the runs of one round go
one after the other, so that all see the same load on the machine.
Printed: the median wall time of each, and the median of the per-round
ratios gilscope/peer (and gilscope/base: below 1.00 is faster than the
base).  Workloads:

  countdown   while n > 0: n -= 1, 10 M iterations (the lecture's loop)
  fib         recursive fib(27): calls and frames
  methods     1 M object creations and method calls
  dicts       200 k str-keyed dict entries built, then summed
  countdown27 the countdown under --cpython 2.7 (2.7's ticks: a check
              after every instruction that ticks), against python2.7 when
              there is one, else python3.12
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

WORKLOADS = {
    "countdown": "def countdown(n):\n    while n > 0:\n        n -= 1\ncountdown(10000000)\n",
    "fib": "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nfib(27)\n",
    "methods": ("class P:\n    def __init__(self, x):\n        self.x = x\n"
                "    def get(self):\n        return self.x\n"
                "t = 0\nfor i in range(1000000):\n    t += P(i).get()\n"),
    "dicts": ("d = {}\nfor i in range(200000):\n    d['k' + str(i)] = i\n"
              "t = 0\nfor k in d:\n    t += d[k]\n"),
}
WORKLOADS["countdown27"] = WORKLOADS["countdown"]


def peers(versions=("3.12", "3.9")):
    """(name, path) of the CPythons found: pyenv's (3.12 and 3.9 by default),
    else one on PATH; python3 when none is."""
    found = []
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for v in versions:
        paths = sorted(glob.glob(os.path.join(root, "versions", v + ".*", "bin", "python" + v)))
        path = paths[-1] if paths else shutil.which("python" + v)
        if path:
            found.append(("python" + v, path))
    if not found and shutil.which("python3"):
        found.append(("python3", shutil.which("python3")))
    return found


def wall(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--base", help="another gilscope to compare with (e.g. an older build)")
    ap.add_argument("gilscope", nargs="?", default="build/gilscope")
    args = ap.parse_args()
    py, py27 = peers(), peers(("2.7",)) or peers()[:1]
    print("peers:", ", ".join(n for n, _ in py + py27) or "none", "| rounds:", args.n)
    with tempfile.TemporaryDirectory() as tmp:
        for name, src in WORKLOADS.items():
            prog = os.path.join(tmp, name + ".py")
            with open(prog, "w") as f:
                f.write(src)
            version = "2.7" if name.endswith("27") else "3.12"
            runners = [("gilscope", [args.gilscope, "run", "--cpython", version, prog])]
            if args.base:
                runners.append(("base", [args.base, "run", "--cpython", version, prog]))
            runners += [(n, [p, prog]) for n, p in (py27 if name.endswith("27") else py)]
            times = {n: [] for n, _ in runners}
            for _ in range(args.n):
                for n, cmd in runners:
                    times[n].append(wall(cmd))
            line = "%-12s" % name + "".join(
                " %s %.3fs" % (n, statistics.median(t)) for n, t in times.items())
            for n in times:
                if n != "gilscope":
                    r = statistics.median(a / b for a, b in zip(times["gilscope"], times[n]))
                    line += " | /%s %.2f" % (n, r)
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
