#!/usr/bin/env python3
"""sim_fidelity.py GILSCOPE CHECK -- what the simulated clock must reproduce.

Each CHECK runs a canned scenario under `gilscope run --clock sim` and
asserts one figure of docs/sim-model.md's fidelity table (measured on real
CPythons: Beazley's talks, bpo-7946, CPython 2.7.18 and 3.12).  The
simulated machine is deterministic, so these are exact, repeatable
assertions -- no timing on the machine that runs the tests is involved.

  countdown-2.7          2 threads vs sequential, old GIL, 2 cores: >= 1.5x,
                         with many failed wake-ups (gil_retry) per check
  countdown-2.7-1core    the same on 1 core: <= 1.2x
  countdown-3.12         new GIL: 0.9x .. 1.1x, a switch about every 5 ms
  convoy-3.12            I/O thread next to a CPU-bound one: >= 20x alone
  convoy-2.7             old GIL: <= 2x
  racy-VERSION           updates lost under 2.7 and 3.9, none under 3.10+
  locked                 the locked counter is exact
  sleepers               8 threads sleeping 0.2 s finish in 0.2 s (+ overhead)
  deterministic          two runs with the same seed: byte-identical traces;
                         another seed: a different one
  golden                 tests/traces/golden_sim.jsonl, byte for byte
                         (--update rewrites it)
  golden-op              tests/traces/golden_sim_op.jsonl, byte for byte: a
                         --trace op run, so that the writer's shortcuts for
                         op lines can never change a byte (--update)
  traced-flood           --trace op on a 60000-iteration loop: more records
                         than the tracer lets a thread get ahead of its
                         writer; the run must not hang (it did: the writer
                         waited for virtual time, which waited for the
                         thread waiting for the writer), and the trace is
                         complete and in time order
  counting               a run that counts instructions (--max-instructions
                         far above what it runs) takes the eval loop's other
                         path through the fetch trap; its trace must be the
                         same, line for line after `meta`, as without

Exit 0 when the check holds, 1 otherwise (saying what was seen).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(gilscope, args, trace=None):
    """Run gilscope from the source root (so paths in traces are relative)."""
    cmd = [gilscope, "run", "--clock", "sim"] + (["-o", trace] if trace else []) + args
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited with {p.returncode}\n{p.stderr}")
    return p.stdout


def number(text, pattern):
    m = re.search(pattern, text)
    if not m:
        sys.exit(f"FAIL: no match for {pattern!r} in:\n{text}")
    return float(m.group(1))


def expect(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        sys.exit(1)


def events(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def countdown(gilscope, version, cores, low, high):
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.jsonl")
        out = run(gilscope, ["--cpython", version, "--cores", str(cores),
                             "scenarios/countdown.py", "1000000"], trace)
        ratio = number(out, r"threaded / sequential: ([0-9.]+)")
        expect(low <= ratio <= high,
               f"countdown, CPython {version}, {cores} core(s): threaded/sequential "
               f"{ratio} in [{low}, {high}]")
        evs = events(trace)
    if version == "2.7" and cores == 2:
        retries = sum(e["ev"] == "gil_retry" for e in evs)
        checks = sum(e["ev"] == "gil_release" and e.get("why") == "check" for e in evs)
        expect(retries > checks / 10,
               f"many failed wake-ups: {retries} gil_retry for {checks} checks")
    if version == "3.12":
        # The threaded half: while every worker thread runs (from the last
        # thread_start to the first thread_end of a worker), the holder
        # changes about every 5 ms.  Before and after, one worker runs
        # alone and there is nothing to switch: counting that time made
        # the measure depend on which worker happens to end first.
        starts = [e["t"] for e in evs if e["ev"] == "thread_start" and e["tid"] != 0]
        ends = [e["t"] for e in evs if e["ev"] == "thread_end" and e["tid"] != 0]
        span = min(ends) - max(starts)
        holders = [e["tid"] for e in evs if e["ev"] == "gil_acquire"
                   and max(starts) <= e["t"] <= min(ends) and e["tid"] != 0]
        switches = sum(1 for a, b in zip(holders, holders[1:]) if a != b)
        every = span / max(switches, 1) / 1e6
        expect(4.0 <= every <= 6.5, f"a GIL switch every {every:.2f} ms ({switches} switches)")


def convoy(gilscope, version, cores, check):
    out = run(gilscope, ["--cpython", version, "--cores", str(cores),
                         "scenarios/io_threads.py", "50"])
    ratio = number(out, r"next to a CPU-bound thread: [0-9]+ us \(([0-9.]+)x\)")
    expect(check(ratio), f"convoy, CPython {version}, {cores} core(s): {ratio}x")
    return out


def main():
    gilscope, check = os.path.abspath(sys.argv[1]), sys.argv[2]
    if check == "countdown-2.7":
        countdown(gilscope, "2.7", 2, 1.5, 3.0)
    elif check == "countdown-2.7-1core":
        countdown(gilscope, "2.7", 1, 0.9, 1.2)
    elif check == "countdown-3.12":
        countdown(gilscope, "3.12", 2, 0.9, 1.1)
    elif check == "convoy-3.12":
        convoy(gilscope, "3.12", 2, lambda r: r >= 20)
    elif check == "convoy-2.7":
        convoy(gilscope, "2.7", 2, lambda r: r <= 2)
    elif check.startswith("racy-"):
        version = check[5:]
        out = run(gilscope, ["--cpython", version, "scenarios/racy_counter.py"])
        lost = number(out, r"lost (-?[0-9]+) updates")
        if version in ("2.7", "3.9"):
            expect(lost > 0, f"racy counter, CPython {version}: {lost:.0f} updates lost")
        else:
            expect(lost == 0, f"racy counter, CPython {version}: exact")
    elif check == "locked":
        for version in ("2.7", "3.12"):
            out = run(gilscope, ["--cpython", version, "scenarios/locked_counter.py", "5000"])
            expect(out.split()[0] == "25000", f"locked counter, CPython {version}: {out.split()[0]}")
    elif check == "sleepers":
        out = run(gilscope, ["scenarios/io_threads.py", "5"])
        secs = number(out, r"8 threads sleeping 0.2 s each: ([0-9.]+) s")
        expect(0.2 <= secs <= 0.21, f"8 sleepers took {secs} s of virtual time")
    elif check == "deterministic":
        with tempfile.TemporaryDirectory() as tmp:
            args = ["--cpython", "2.7", "--trace", "all", "scenarios/racy_counter.py", "1000", "3"]
            paths = [os.path.join(tmp, f"{i}.jsonl") for i in range(3)]
            run(gilscope, args, paths[0])
            run(gilscope, args, paths[1])
            run(gilscope, ["--seed", "7"] + args, paths[2])
            data = [open(p, "rb").read() for p in paths]
        expect(data[0] == data[1], f"two runs, same seed: identical ({len(data[0])} bytes)")
        expect(data[0] != data[2], "another seed: a different trace")
    elif check in ("golden", "golden-op"):
        if check == "golden":
            golden = os.path.join(HERE, "traces", "golden_sim.jsonl")
            args = ["--cpython", "2.7", "--seed", "42", "--trace", "gil,thread,lock,io,check",
                    "tests/threads/sim_golden.py"]
        else:
            golden = os.path.join(HERE, "traces", "golden_sim_op.jsonl")
            args = ["--cpython", "2.7", "--seed", "42", "--trace", "op,gil",
                    "tests/threads/sim_golden_op.py"]
        with tempfile.TemporaryDirectory() as tmp:
            trace = os.path.join(tmp, "t.jsonl")
            run(gilscope, args, trace)
            got = open(trace, "rb").read()
        if "--update" in sys.argv:
            open(golden, "wb").write(got)
            print("updated", golden)
            return 0
        want = open(golden, "rb").read()
        if got != want:
            for i, (a, b) in enumerate(zip(got.splitlines(), want.splitlines())):
                if a != b:
                    print(f"first difference at line {i + 1}:\n got: {a[:300]}\nwant: {b[:300]}")
                    break
        expect(got == want, f"the golden trace, byte for byte ({len(want)} bytes)")
    elif check == "counting":
        with tempfile.TemporaryDirectory() as tmp:
            plain, counted = os.path.join(tmp, "plain.jsonl"), os.path.join(tmp, "counted.jsonl")
            args = ["--cpython", "2.7", "--seed", "42", "--trace", "gil,thread,lock,io,check",
                    "tests/threads/sim_golden.py"]
            run(gilscope, args, plain)
            run(gilscope, ["--max-instructions", "900000000"] + args, counted)
            a = open(plain).read().splitlines()[1:]
            b = open(counted).read().splitlines()[1:]
        expect(len(a) > 100 and a == b,
               f"counting instructions does not move virtual time ({len(a)} lines, same)")
    elif check == "traced-flood":
        with tempfile.TemporaryDirectory() as tmp:
            prog, trace = os.path.join(tmp, "flood.py"), os.path.join(tmp, "t.jsonl")
            with open(prog, "w") as f:
                f.write("n = 0\nfor i in range(60000):\n    n += i\nprint(n)\n")
            try:
                p = subprocess.run([gilscope, "run", "--clock", "sim", "--trace", "default,op",
                                    "-o", trace, prog], stdout=subprocess.PIPE, text=True,
                                   timeout=120)
            except subprocess.TimeoutExpired:
                expect(False, "a flood of op events on the simulated clock: no hang")
            expect(p.returncode == 0 and p.stdout.strip() == "1799970000",
                   f"the flood run finished: status {p.returncode}")
            last, lines, backwards = -1, 0, 0
            with open(trace) as f:
                for line in f:
                    t = json.loads(line)["t"]
                    backwards += t < last
                    last, lines = t, lines + 1
            end = json.loads(line)
        expect(end["ev"] == "end" and end["events"] == lines - 2 and backwards == 0,
               f"{lines} lines, in time order, end counts {end.get('events')}")
    else:
        sys.exit(f"unknown check {check!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
