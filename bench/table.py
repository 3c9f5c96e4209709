#!/usr/bin/env python3
"""table.py -- the speed table of issue 17 in one run: gilscope against the
CPythons it imitates, and the simulated clock against the real one.

  bench/table.py [-n ROUNDS] [--only NAME,...] [GILSCOPE]

Every row is a small program, run whole (start-up included) by gilscope and
by each peer that is installed: pyenv's python2.7, python3.9 and python3.12
(else one of that name on PATH).  A row under the simulated clock is also
run by gilscope on the real clock, with the same --cpython.  One round runs
every command of a row once, one after the other, so that all see the same
load; ROUNDS rounds are made (default 5).  Printed per row: the median wall
time of each command, and the median of the per-round ratios

    gilscope / pythonX.Y     (the issue's targets: sim rows <= 2.0 against
                              the CPython they imitate, the others <= 1.0
                              against python3.12)
    sim / real               (target <= 1.5)

Then three figures for the rest of the issue: events per second written by
`--trace op`; what `-o` with the default categories costs under 2.7 on the
real clock; and the resident size of `gilscope run` on an empty program
against python3's.  docs/performance.md has a run of it, with the machine.
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# Programs valid in Python 2.7 and 3: the 2.7 rows run them under python2.7.
COUNTDOWN = """
def countdown(n):
    while n > 0:
        n -= 1
countdown(10000000)
"""
COUNTDOWN_THREADS = """
import threading
def countdown(n):
    while n > 0:
        n -= 1
ts = [threading.Thread(target=countdown, args=(5000000,)) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
"""
FIB = """
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
fib(30)
"""
METHODS = """
class P(object):
    def __init__(self, x):
        self.x = x
    def get(self):
        return self.x
t = 0
for i in range(1000000):
    t += P(i).get()
"""
GENERATORS = """
def evens(n):
    i = 0
    while i < n:
        yield i
        i += 2
t = 0
for k in range(20):
    t += sum(x * x for x in range(50000))
    for e in evens(50000):
        t += e
"""
DICTS = """
d = {}
for i in range(200000):
    d['k' + str(i)] = i
t = 0
for k in d:
    t += d[k]
"""

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "scenarios", "locked_counter.py")

# name, what, program (source, or a path and its arguments), gilscope options, peers
ROWS = [
    ("countdown", "countdown 10 M, 1 thread, 3.12", COUNTDOWN, ["--cpython", "3.12"],
     ["3.12", "3.9"]),
    ("threads-real", "2 threads x 5 M, real clock, 3.12", COUNTDOWN_THREADS,
     ["--cpython", "3.12"], ["3.12"]),
    ("threads-sim27", "same, sim clock, 2.7", COUNTDOWN_THREADS,
     ["--cpython", "2.7", "--clock", "sim"], ["2.7"]),
    ("locked-sim39", "locked counter 2 x 250 k, sim, 3.9", [SCENARIO, "250000", "2"],
     ["--cpython", "3.9", "--clock", "sim"], ["3.9"]),
    ("scenario-sim312", "scenarios/locked_counter.py, sim, 3.12", [SCENARIO],
     ["--cpython", "3.12", "--clock", "sim"], ["3.12"]),
    ("fib", "fib(30)", FIB, ["--cpython", "3.12"], ["3.12", "3.9"]),
    ("methods", "1 M object creations + method calls", METHODS, ["--cpython", "3.12"],
     ["3.12", "3.9"]),
    ("generators", "20 x (genexpr sum 50 k + generator 25 k)", GENERATORS,
     ["--cpython", "3.12"], ["3.12", "3.9"]),
    ("dicts", "200 k str-keyed dict build + sum", DICTS, ["--cpython", "3.12"], ["3.12", "3.9"]),
]


def find_python(version):
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    paths = sorted(glob.glob(os.path.join(root, "versions", version + ".*", "bin",
                                          "python" + version)))
    return paths[-1] if paths else shutil.which("python" + version)


def wall(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def median_ratio(a, b):
    return statistics.median(x / y for x, y in zip(a, b))


def run_row(gilscope, row, prog, rounds):
    """prog: the program's path and its arguments."""
    name, what, _, opts, versions = row
    cmds = [("gilscope", [gilscope, "run"] + opts + prog)]
    sim = "--clock" in opts
    if sim:
        real = [o for o in opts if o not in ("--clock", "sim")]
        cmds.append(("real", [gilscope, "run"] + real + prog))
    for v in versions:
        py = find_python(v)
        if py:
            cmds.append(("python" + v, [py] + prog))
    times = {n: [] for n, _ in cmds}
    for _ in range(rounds):
        for n, cmd in cmds:
            times[n].append(wall(cmd))
    cells = ["%s %.3fs" % (n, statistics.median(t)) for n, t in times.items()]
    ratios = []
    for n in times:
        if n != "gilscope":
            label = "sim/real" if n == "real" else "/" + n
            ratios.append("%s %.2f" % (label, median_ratio(times["gilscope"], times[n])))
    missing = [v for v in versions if not find_python(v)]
    note = "  (not installed: %s)" % ", ".join("python" + v for v in missing) if missing else ""
    print("%-16s %-40s %s | %s%s" % (name, what, "  ".join(cells), "  ".join(ratios), note),
          flush=True)


def trace_rate(gilscope, tmp):
    prog = os.path.join(tmp, "op.py")
    with open(prog, "w") as f:
        f.write(COUNTDOWN.replace("10000000", "300000"))
    out = os.path.join(tmp, "op.jsonl")
    t = wall([gilscope, "run", "--trace", "op", "-o", out, prog])
    with open(out, "rb") as f:
        events = sum(1 for line in f if b'"ev":"op"' in line)
    os.unlink(out)
    return events, t


def tracing_cost(gilscope, tmp, rounds):
    prog = os.path.join(tmp, "threads.py")
    out = os.path.join(tmp, "t.jsonl")
    plain, traced = [], []
    for _ in range(rounds):
        plain.append(wall([gilscope, "run", "--cpython", "2.7", prog]))
        traced.append(wall([gilscope, "run", "--cpython", "2.7", "-o", out, prog]))
    os.unlink(out)
    return statistics.median(plain), statistics.median(traced), median_ratio(traced, plain)


def max_rss_kb(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, check=True)
    return int(r.stderr.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--only", help="comma-separated row names (and: trace, memory)")
    ap.add_argument("gilscope", nargs="?", default=os.path.join(HERE, "..", "build", "gilscope"))
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    peers = ", ".join("python%s %s" % (v, "yes" if find_python(v) else "no")
                      for v in ("2.7", "3.9", "3.12"))
    print("gilscope: %s | peers: %s | rounds: %d" % (args.gilscope, peers, args.n))
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as tmp:
        for row in ROWS:
            if only and row[0] not in only:
                continue
            prog = row[2]
            if isinstance(prog, str):
                path = os.path.join(tmp, row[0] + ".py")
                with open(path, "w") as f:
                    f.write(prog)
                prog = [path]
            run_row(args.gilscope, row, prog, args.n)
        with open(os.path.join(tmp, "threads.py"), "w") as f:
            f.write(COUNTDOWN_THREADS)
        with open(os.path.join(tmp, "empty.py"), "w") as f:
            f.write("pass\n")
        if not only or "trace" in only:
            events, t = trace_rate(args.gilscope, tmp)
            print("%-16s %-40s %d events in %.3fs: %.1f M events/s (target >= 15)" %
                  ("trace-op", "--trace op -o, countdown 300 k", events, t, events / t / 1e6))
            p, q, r = tracing_cost(args.gilscope, tmp, args.n)
            print("%-16s %-40s plain %.3fs  -o %.3fs | cost %+.1f%% (target <= 5%%)" %
                  ("trace-cost27", "-o default categories, 2 threads, 2.7", p, q, (r - 1) * 100))
        if not only or "memory" in only:
            empty = os.path.join(tmp, "empty.py")
            gs = max_rss_kb([args.gilscope, "run", empty])
            py = max_rss_kb([sys.executable, empty])
            print("%-16s %-40s gilscope %.1f MB  %s %.1f MB" %
                  ("memory", "max RSS of run on an empty program", gs / 1024,
                   os.path.basename(sys.executable), py / 1024))
    return 0


if __name__ == "__main__":
    sys.exit(main())
