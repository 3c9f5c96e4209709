#!/usr/bin/env python3
"""deadlock_trace.py -- a deadlocked run leaves a valid trace that says so,
and every reader of traces shows it (issue: "deadlocks explained").

    tests/deadlock_trace.py build/gilscope

Runs tests/programs/deadlock_two_locks.py on --clock sim and
deadlock_real_clock.py on the real clock, with -o, and checks:
the exit status (3); the trace's end line (reason "deadlock"); one
`deadlock` event per waiting thread with what it waits for and who holds
it, and a `deadlock_hold` per lock in the cycle; `gilscope stats` (text and
--json) and `gilscope export` showing the same waits.  Standard library
only; exit 0 pass, 1 fail, 99 broken.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
# The program, and its lines: T0's join, T1's and T2's waits, where T1 and T2
# took their locks.  On the real clock the threads meet with Events, not
# sleeps, so that a loaded machine cannot avoid the deadlock.
SIM = ("deadlock_two_locks.py", {"join": 29, "w1": 13, "w2": 20, "h1": 11, "h2": 18})
REAL = ("deadlock_real_clock.py", {"join": 32, "w1": 16, "w2": 24, "h1": 13, "h2": 21})
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(gilscope, *args):
    return subprocess.run([gilscope, *args], capture_output=True, text=True, timeout=240)


def check_clock(gilscope, tmp, clock_args, label, program):
    name, at = program
    trace = os.path.join(tmp, label + ".jsonl")
    r = run(gilscope, "run", *clock_args, "-o", trace, os.path.join(PROGRAMS, name))
    check(r.returncode == 3, f"{label}: exit status 3 (got {r.returncode}: {r.stderr.strip()})")
    check("deadlock" in r.stderr and "the cycle: Thread-1 -> Thread-2 -> Thread-1" in r.stderr,
          f"{label}: the message explains the cycle")
    lines = [json.loads(l) for l in open(trace) if l.strip()]
    end = lines[-1]
    check(end.get("ev") == "end" and end.get("reason") == "deadlock" and end.get("status") == 3,
          f"{label}: the trace ends with an end line, reason deadlock, status 3")
    waits = {e["tid"]: e for e in lines if e["ev"] == "deadlock"}
    holds = {(e["tid"], e["lock"]): e["line"] for e in lines if e["ev"] == "deadlock_hold"}
    check(sorted(waits) == [0, 1, 2], f"{label}: a deadlock event per thread ({sorted(waits)})")
    if sorted(waits) == [0, 1, 2]:
        t0, t1, t2 = waits[0], waits[1], waits[2]
        check(t0["waits_for"] == "thread" and t0["holder"] == 1 and t0["line"] == at["join"],
              f"{label}: T0 joins T1 at line {at['join']}")
        check(t1["waits_for"] == "lock" and t1["holder"] == 2 and t1["line"] == at["w1"] and
              t2["waits_for"] == "lock" and t2["holder"] == 1 and t2["line"] == at["w2"],
              f"{label}: T1 waits at line {at['w1']} for T2's lock, T2 at line {at['w2']} for T1's")
        check(holds.get((1, t2["obj"])) == at["h1"] and holds.get((2, t1["obj"])) == at["h2"],
              f"{label}: T1 took its lock at line {at['h1']}, T2 at line {at['h2']} ({holds})")
    r = run(gilscope, "stats", trace)
    check(r.returncode == 0 and "T1 Thread-1 waits for Lock#" in r.stdout and
          f"held by T2 Thread-2 (taken at line {at['h2']})" in r.stdout,
          f"{label}: gilscope stats prints the waits")
    r = run(gilscope, "stats", "--json", trace)
    dl = json.loads(r.stdout).get("deadlock") if r.returncode == 0 else None
    check(isinstance(dl, list) and len(dl) == 3, f"{label}: stats --json has the three waits")
    out = os.path.join(tmp, label + ".json")
    r = run(gilscope, "export", "--format", "chrome", trace, "-o", out)
    names = [e.get("name") for e in json.load(open(out))["traceEvents"]] if r.returncode == 0 else []
    check(names.count("deadlock") == 3, f"{label}: the export has three deadlock instants")


def main():
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        print("usage: deadlock_trace.py GILSCOPE", file=sys.stderr)
        return 99
    with tempfile.TemporaryDirectory() as tmp:
        check_clock(sys.argv[1], tmp, ["--clock", "sim"], "sim", SIM)
        check_clock(sys.argv[1], tmp, ["--deadlock-wait", "0.2"], "real", REAL)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
