#!/usr/bin/env python3
"""check_trace.py GILSCOPE [GILSCOPE-RUN-OPTIONS...] -- SCRIPT [ARGS...]

Run SCRIPT under `gilscope run -o TRACE`, then check the invariants every
trace must satisfy (docs/trace-format.md):

  - the first line is `meta`, the last is `end`, every line is JSON;
  - `t` never decreases;
  - at most one thread holds the GIL at any time, and every gil_acquire is
    followed by that thread's gil_release;
  - a thread runs bytecode (`op` events) only while it holds the GIL;
  - `end` counts the events in the file, and dropped is 0.

Exit 0 if all hold, 1 otherwise (with the first violation), 77 never.
"""
import json
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    args = sys.argv[1:]
    if "--" not in args:
        print(__doc__)
        sys.exit(99)
    sep = args.index("--")
    gilscope, opts, prog = args[0], args[1:sep], args[sep + 1:]
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.jsonl")
        cmd = [gilscope, "run", "-o", trace] + opts + prog
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=240)
        if r.returncode != 0:
            fail("%s exited %d\n%s" % (" ".join(cmd), r.returncode, r.stderr.decode()))
        check(trace)
    print("ok")


def check(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        fail("the file does not end with a newline")
    events = []
    for i, line in enumerate(lines[:-1], 1):
        try:
            events.append(json.loads(line))
        except ValueError as e:
            fail("line %d is not JSON: %s" % (i, e))
    if not events or events[0].get("ev") != "meta":
        fail("the first line is not meta")
    if events[-1].get("ev") != "end":
        fail("the last line is not end")
    body = events[1:-1]
    end = events[-1]
    if end["events"] != len(body):
        fail("end says %d events, the file has %d" % (end["events"], len(body)))
    if end["dropped"] != 0:
        fail("%d events dropped" % end["dropped"])
    last_t = 0
    holder = None
    for n, e in enumerate(body, 2):
        t, ev, tid = e["t"], e["ev"], e.get("tid")
        if t < last_t:
            fail("line %d: t goes back from %d to %d" % (n, last_t, t))
        last_t = t
        if ev == "gil_acquire":
            if holder is not None:
                fail("line %d: thread %d takes the GIL while %d holds it" % (n, tid, holder))
            holder = tid
        elif ev == "gil_release":
            if holder != tid:
                fail("line %d: thread %d releases a GIL held by %s" % (n, tid, holder))
            holder = None
        elif ev in ("op", "ref", "print", "checks"):
            if holder != tid:
                fail("line %d: thread %d records %s without the GIL (holder %s)"
                     % (n, tid, ev, holder))
    if holder is not None:
        fail("thread %d still holds the GIL at the end" % holder)


if __name__ == "__main__":
    main()
