#!/usr/bin/env python3
"""trace_is_data.py GILSCOPE TRACE -- a trace from a stranger is data, never a
key to the machine: reading one opens no other file.

The trace's meta line names a script and its arguments.  Here they name a
FIFO nobody writes to, which would block whoever opened it for reading: so
if `view --png`, `stats` or `export` ever opened a path found in a trace,
this test would hang (and fail by its timeout) instead of passing.
"""
import json
import os
import subprocess
import sys
import tempfile


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    return ok


def main():
    gilscope, trace = sys.argv[1], sys.argv[2]
    good = True
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "trap.py")
        os.mkfifo(fifo)
        lines = open(trace).read().splitlines()
        meta = json.loads(lines[0])
        meta["script"] = fifo
        meta["argv"] = [fifo, fifo]
        bait = os.path.join(tmp, "bait.jsonl")
        with open(bait, "w") as f:
            f.write(json.dumps(meta, separators=(",", ":")) + "\n" + "\n".join(lines[1:]) + "\n")
        cmds = {
            "stats": [gilscope, "stats", bait],
            "export": [gilscope, "export", "--format", "chrome", bait, "-o",
                       os.path.join(tmp, "out.json")],
            "view --png": [gilscope, "view", "--png", os.path.join(tmp, "out.png"), bait],
        }
        for name, cmd in cmds.items():
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
                good &= check(r.returncode == 0, f"{name} reads the trace alone "
                                                 f"(status {r.returncode}: {r.stderr.strip()})")
            except subprocess.TimeoutExpired:
                good &= check(False, f"{name} hung: it opened the FIFO the trace names")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
