#!/usr/bin/env python3
"""signals_early.py GILSCOPE -- an interrupted `gilscope run -o T` always
leaves a valid trace, however early the signal comes.

SIGINT and SIGTERM are sent to `gilscope run -o T PROG` at several moments
after it starts: at once, after 1, 5, 20 and 50 ms, and the moment its
handlers are in place (/proc/PID/status lists them as caught: gilscope is
then still reading the program, and has no interpreter and no trace yet),
to a program that ends at once and to one that would run forever.  T held
an old file before each run.  Whatever the timing, one of these must hold:

  - the signal came before gilscope's own code ran (the dynamic loader was
    still at work): the process died of it, and T is the old file, as it
    was -- nothing was written, nothing lost (not possible once the
    handlers are in place);
  - the signal stopped the run: status 3 (or 1, the KeyboardInterrupt of a
    SIGINT), and T is a valid trace whose `end` line says "signal" or
    "interrupt";
  - the program had already finished: its trace is complete (`end` reason
    "exit"), and the process ended with status 0 or died of the signal
    after writing it.

The program that runs forever can only be stopped by the signal (a lost
signal shows up as --timeout's "timeout" reason: a failure, not a hang).
Every outcome is accepted whatever the machine's load; only a missing,
partial or wrong trace fails.  No temporary file may be left beside T.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

OLD = "the old trace\n"


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    return ok


def trace_end(gilscope, path):
    """The end line of a valid trace at path; None if it is not one."""
    try:
        with open(path) as f:
            lines = [json.loads(l) for l in f if l.strip()]
    except (OSError, ValueError):
        return None
    if not lines or lines[0].get("ev") != "meta" or lines[-1].get("ev") != "end":
        return None
    r = subprocess.run([gilscope, "stats", path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    return lines[-1] if r.returncode == 0 and not r.stderr else None


def handlers_in_place(pid):
    """True once SIGINT and SIGTERM are caught by pid (None: cannot tell)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    mask = int(line.split()[1], 16)
                    return all(mask & (1 << (s - 1)) for s in (signal.SIGINT, signal.SIGTERM))
    except OSError:
        return None
    return None


def wait_for_handlers(p):
    """Wait until p catches the signals; False if that cannot be seen."""
    while p.poll() is None:
        state = handlers_in_place(p.pid)
        if state is None:
            return False
        if state:
            return True
    return False


def judge(gilscope, path, sig, rc, forever):
    """Which outcome this was (a word), or None if none of them."""
    with open(path) as f:
        text = f.read()
    if text == OLD:
        return "before-handlers" if rc == -sig else None
    end = trace_end(gilscope, path)
    if end is None:
        return None
    stopped = "signal" if sig == signal.SIGTERM else "interrupt"
    if end["reason"] == stopped and rc in (1, 3) and end["status"] == rc:
        return "stopped"
    if not forever and end["reason"] == "exit" and rc in (0, -sig):
        return "finished"
    return None


def main():
    gilscope = sys.argv[1]
    good = True
    with tempfile.TemporaryDirectory() as tmp:
        quick = os.path.join(tmp, "quick.py")
        forever = os.path.join(tmp, "forever.py")
        with open(quick, "w") as f:
            f.write("x = sum(range(100))\n")
        with open(forever, "w") as f:
            f.write("while True:\n    pass\n")
        trace = os.path.join(tmp, "t.jsonl")
        seen = {}
        for prog in (quick, forever):
            for sig in (signal.SIGINT, signal.SIGTERM):
                for moment in (0, 1, 5, 20, 50, "handlers"):
                    with open(trace, "w") as f:
                        f.write(OLD)
                    # --timeout: a lost signal ends the run (reason
                    # "timeout", judged wrong) instead of hanging the test.
                    p = subprocess.Popen([gilscope, "run", "-o", trace, "--timeout", "60", prog],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         text=True)
                    if moment == "handlers":
                        when = "as soon as its handlers are in place"
                        if not wait_for_handlers(p) and p.poll() is None:
                            print("skip: /proc/PID/status does not show the handlers")
                            when = "at once (handlers not visible)"
                    else:
                        when = f"after {moment} ms"
                        time.sleep(moment / 1000)
                    p.send_signal(sig)
                    _, err = p.communicate(timeout=300)
                    outcome = judge(gilscope, trace, sig, p.returncode, prog == forever)
                    if outcome == "before-handlers" and moment == "handlers":
                        outcome = None   # the handlers were there: the signal must be handled
                    what = (f"{os.path.basename(prog)} {sig.name} {when}: "
                            f"status {p.returncode}, {outcome or 'no valid outcome'}")
                    good &= check(outcome is not None, what if outcome else
                                  what + f"; stderr {err.strip()[-100:]!r}")
                    leftovers = [n for n in os.listdir(tmp) if n.startswith(".")]
                    good &= check(not leftovers, f"... no temporary file left: {leftovers}")
                    seen[outcome] = seen.get(outcome, 0) + 1
        print("outcomes:", seen)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
