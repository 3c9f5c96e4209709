#!/usr/bin/env python3
"""export_test.py -- `gilscope export --format chrome` on the canned scenarios.

    export_test.py GILSCOPE structure
    export_test.py GILSCOPE clients NODE_MODULES

Runs the demo's four scenarios (small sizes) under --cpython 2.7 and 3.12 on
both clocks, plus a run cut off by --max-instructions and a --trace all run
(exported with the default objects and with --objects), and exports each.

structure: every export passes check_export.py (always runs).
clients:   every export is loaded by the real clients: the DevTools
           performance panel's trace engine in node (every slice kept in its
           call trees, every flow built, nothing printed) and speedscope in
           headless chromium (loads, no warning, no error) -- and both find
           fault with a control file that breaks the rules.  Exits 77 (a
           skip, with the reason) when node, chromium or the npm packages
           are not there: `./build.sh test` installs them into build/npm.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import check_export  # noqa: E402

SKIP = 77
SCENARIOS = [("countdown", "200000"), ("racy_counter", "20000"),
             ("locked_counter", "3000"), ("io_threads", "20")]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


def make_exports(gilscope, out):
    """Run and export every case; returns [(label, export, trace, objects)]."""
    cases = []
    for clock in ("real", "sim"):
        for version in ("2.7", "3.12"):
            for name, size in SCENARIOS:
                cases.append((f"{name}-{version}-{clock}",
                              ["--clock", clock, "--cpython", version],
                              [os.path.join(ROOT, "scenarios", name + ".py"), size], None))
            # Stopped mid-run by --max-instructions, which each thread
            # counts for itself: a worker reaches it halfway through its
            # 20000 increments, while the others run.
            cases.append((f"racy-stopped-{version}-{clock}",
                          ["--clock", clock, "--cpython", version,
                           "--max-instructions", "100000"],
                          [os.path.join(ROOT, "scenarios", "racy_counter.py"), "20000"], None))
    racy = [os.path.join(ROOT, "scenarios", "racy_counter.py"), "300", "2"]
    cases.append(("racy-all-2.7-sim", ["--clock", "sim", "--cpython", "2.7", "--trace", "all"],
                  racy, None))
    made = []
    for label, opts, prog, objects in cases:
        trace = os.path.join(out, label + ".jsonl")
        r = run([gilscope, "run", *opts, "-o", trace, *prog])
        if r.returncode not in (0, 3) or not os.path.exists(trace):
            sys.exit(f"{label}: gilscope run failed ({r.returncode}): {r.stderr[-500:]}")
        made.append((label, trace, objects))
    # A trace cut off in the middle of a line, as a killed run leaves it.
    whole = made[0][1]
    cut = os.path.join(out, "countdown-cut-mid-line.jsonl")
    with open(whole, "rb") as f:
        data = f.read()
    with open(cut, "wb") as f:
        f.write(data[:len(data) * 3 // 5 + 7])
    made.append(("countdown-cut-mid-line", cut, None))
    # The --trace all run again, with two objects asked for by id.
    all_trace = made[-2][1]
    first_two = sorted(check_export.busiest_objects(all_trace, 5))[-2:]
    made.append(("racy-all-objects", all_trace, ",".join(map(str, first_two))))
    result = []
    for label, trace, objects in made:
        export = os.path.join(out, label + ".json")
        cmd = [gilscope, "export", trace, "-o", export]
        if objects:
            cmd[2:2] = ["--objects", objects]
        r = run(cmd)
        # A cut trace loads with a warning; anything else must load silently.
        warned = "cut" in label and "warning: " in r.stderr
        if r.returncode != 0 or (r.stderr and not warned):
            sys.exit(f"{label}: gilscope export: status {r.returncode}: {r.stderr[-500:]}")
        result.append((label, export, trace, objects))
    return result


def structure(exports):
    failed = 0
    for label, export, trace, objects in exports:
        wanted = ({int(x) for x in objects.split(",")} if objects
                  else check_export.busiest_objects(trace))
        with open(export, encoding="utf-8") as f:
            problems, summary = check_export.check(json.load(f), wanted)
        print(f"{'not ok' if problems else 'ok'} {label}: {summary}")
        for p in problems[:10]:
            print(f"#   {p}")
        failed += bool(problems)
    return 1 if failed else 0


def missing_clients(modules):
    """Why the clients cannot run here, or None."""
    if not shutil.which("node"):
        return "no node"
    if not shutil.which("chromium"):
        return "no chromium (apt-get install chromium)"
    for pkg in ("@paulirish/trace_engine", "speedscope"):
        if not os.path.isdir(os.path.join(modules, pkg)):
            return f"no {pkg} in {modules} (./build.sh test installs it)"
    return None


# A control the clients must find fault with, so that a harness that sees
# nothing (a client that changed how it reports) cannot pass: two slices
# that overlap without nesting, and an arrow whose start binds to nothing.
CONTROL = {"traceEvents": [
    {"ph": "M", "name": "process_name", "pid": 1, "args": {"name": "control"}},
    {"ph": "M", "name": "thread_name", "pid": 1, "tid": 0, "args": {"name": "T0"}},
    {"ph": "X", "name": "A", "cat": "gil", "pid": 1, "tid": 0, "ts": 0, "dur": 10},
    {"ph": "X", "name": "B", "cat": "gil", "pid": 1, "tid": 0, "ts": 5, "dur": 10},
    {"ph": "X", "name": "C", "cat": "gil", "pid": 1, "tid": 0, "ts": 20, "dur": 10},
    {"ph": "s", "name": "h", "cat": "gil", "pid": 1, "tid": 0, "ts": 19, "id": 1},
    {"ph": "f", "name": "h", "cat": "gil", "pid": 1, "tid": 0, "ts": 20, "id": 1, "bp": "e"},
]}
CONTROL_NAME = "control-misnested.json"


def write_control(out):
    path = os.path.join(out, CONTROL_NAME)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(CONTROL, f)
    return path


def devtools(modules, exports, control):
    r = run(["node", os.path.join(HERE, "devtools_engine.mjs"), modules,
             *[e[1] for e in exports], control])
    if r.returncode != 0:
        print(f"not ok devtools engine: status {r.returncode}\n# {r.stderr[-2000:]}")
        return 1
    failed = 0
    for line in r.stdout.splitlines():
        got = json.loads(line)
        bad = (got["slices_kept"] != got["slices"] or got["flows_built"] != got["flows"]
               or got["console"])
        if got["file"] == CONTROL_NAME:
            seen = got["slices_kept"] < got["slices"] and got["flows_built"] == 0
            print(f"{'ok' if seen else 'not ok'} devtools engine sees the control's faults: "
                  f"{got['slices_kept']}/{got['slices']} slices kept, "
                  f"{got['flows_built']}/{got['flows']} flows built")
            failed += not seen
            continue
        print(f"{'not ok' if bad else 'ok'} devtools engine {got['file']}: "
              f"{got['slices_kept']}/{got['slices']} slices kept, "
              f"{got['flows_built']}/{got['flows']} flows built"
              + (f", said: {got['console']}" if got["console"] else ""))
        failed += bool(bad)
    return 1 if failed else 0


def speedscope(modules, exports, control):
    r = run(["node", os.path.join(HERE, "speedscope.mjs"), modules,
             *[e[1] for e in exports], control])
    failed = 0
    for line in r.stdout.splitlines():
        got = json.loads(line)
        bad = not got["loaded"] or got["console"] or got["error_ui"]
        if got["file"] == CONTROL_NAME:
            seen = bool(got["console"])
            print(f"{'ok' if seen else 'not ok'} speedscope sees the control's faults: "
                  f"{got['console'][:1]}")
            failed += not seen
            continue
        print(f"{'not ok' if bad else 'ok'} speedscope {got['file']}: "
              f"{'loaded' if got['loaded'] else 'not loaded'}, title {got['title']!r}"
              + (f", said: {got['console'][:3]}" if got["console"] else "")
              + (", showed its error page" if got["error_ui"] else ""))
        failed += bool(bad)
    if r.returncode != 0 and not failed:
        print(f"not ok speedscope: status {r.returncode}\n# {r.stderr[-2000:]}")
        return 1
    return 1 if failed else 0


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("structure", "clients"):
        sys.exit(__doc__)
    gilscope, mode = sys.argv[1], sys.argv[2]
    if mode == "clients":
        modules = os.path.abspath(sys.argv[3])
        why = missing_clients(modules)
        if why:
            print(f"skipped: the real clients cannot run: {why}")
            return SKIP
    with tempfile.TemporaryDirectory() as out:
        exports = make_exports(gilscope, out)
        if mode == "structure":
            return structure(exports)
        control = write_control(out)
        return devtools(modules, exports, control) | speedscope(modules, exports, control)


if __name__ == "__main__":
    sys.exit(main())
