#!/usr/bin/env python3
"""trace_names.py GILSCOPE -- the words of trace format 2 (docs/trace-format.md).

In format 2, "tick" means only CPython 2.7's ticker.  An eval-breaker check
is a "check", an executed instruction an "instruction".  This runs
tests/threads/sim_golden.py on the simulated clock (so every run gives the
same bytes) and checks what the recorder writes:

  - the meta line says version 2 and lists the category "check";
  - `checks` events carry a `checks` count, and no line says "ticks";
  - the end line's `checks` is the sum of the `checks` events (every check
    is counted when its thread lets go of the GIL, which all have by then);
  - `--trace tick`, the category's old name, records exactly what
    `--trace check` does;
  - a run stopped after N instructions ends with the reason
    "max_instructions".

Exit 0 if all hold, 1 otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "threads", "sim_golden.py")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def record(gilscope, tmp, name, options):
    """Run PROGRAM under --clock sim with options; the trace's bytes."""
    trace = os.path.join(tmp, name)
    cmd = [gilscope, "run", "--clock", "sim", "--cpython", "2.7", "-o", trace] + options + [PROGRAM]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=240)
    if r.returncode not in (0, 3):   # 3: stopped by the instruction limit
        fail("%s exited %d\n%s" % (" ".join(cmd), r.returncode, r.stderr.decode()))
    with open(trace, "rb") as f:
        return f.read()


def lines_of(data):
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def main():
    gilscope = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        new = record(gilscope, tmp, "check.jsonl", ["--trace", "gil,thread,check"])
        old = record(gilscope, tmp, "tick.jsonl", ["--trace", "gil,thread,tick"])
        stopped = record(gilscope, tmp, "stopped.jsonl", ["--max-ticks", "3000"])

    lines = lines_of(new)
    meta, end = lines[0], lines[-1]
    if meta.get("version") != 2:
        fail("the meta line says version %r" % meta.get("version"))
    if "check" not in meta.get("categories", []) or "tick" in meta.get("categories", []):
        fail("the meta line's categories: %r" % meta.get("categories"))
    checks = [e for e in lines if e["ev"] == "checks"]
    if not checks or any(not isinstance(e.get("checks"), int) for e in checks):
        fail("checks events without a count (%d events)" % len(checks))
    if b'"ticks"' in new:
        fail('a line still says "ticks"')
    if "ticks" in end or end.get("checks") != sum(e["checks"] for e in checks):
        fail("the end line's checks (%r) are not the sum of the checks events (%d)"
             % (end.get("checks"), sum(e["checks"] for e in checks)))
    if old != new:
        fail("--trace tick records something else than --trace check")
    reason = lines_of(stopped)[-1].get("reason")
    if reason != "max_instructions":
        fail("a run stopped by the instruction limit ends with the reason %r" % reason)
    print("ok: version 2, %d checks events adding up to %d, tick = check, max_instructions"
          % (len(checks), end["checks"]))


if __name__ == "__main__":
    main()
