#!/usr/bin/env python3
"""demo_test.py GILSCOPE -- `gilscope demo --png` end to end.

Runs the demo into a temporary directory without a display, at a
projector's 1280x720 in presentation mode, and checks what it promises: the
four scenarios' programs, a complete trace (ending with its `end` line,
nothing dropped) and output for each under CPython 2.7 and 3.12, one PNG
per scenario of the size asked for, a summary naming each, and exit status
0; and that a bad --size is refused with status 2.
"""
import json
import os
import subprocess
import sys
import tempfile

NAMES = ["countdown", "racy_counter", "locked_counter", "io_threads"]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    gilscope = os.path.abspath(sys.argv[1])
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "demo")
        bad = subprocess.run([gilscope, "demo", "--size", "1280"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if bad.returncode != 2 or "--size wants WxH" not in bad.stderr:
            fail(f"demo --size 1280: exit {bad.returncode}, {bad.stderr!r}")
        # A projector's slides: 1280x720, presentation mode.
        run = subprocess.run([gilscope, "demo", "--out", out, "--png", "--size", "1280x720",
                              "--present"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        print(run.stdout)
        if run.returncode != 0:
            fail(f"exit status {run.returncode}: {run.stderr}")
        for name in NAMES:
            if not os.path.isfile(os.path.join(out, "scenarios", name + ".py")):
                fail(f"no scenarios/{name}.py")
            png = os.path.join(out, name + ".png")
            with open(png, "rb") as f:
                head = f.read(24)
                if head[:8] != b"\x89PNG\r\n\x1a\n":
                    fail(f"{png} is not a PNG")
                size = (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big"))
                if size != (1280, 720):
                    fail(f"{png} is {size[0]}x{size[1]}, not the 1280x720 asked for")
            if png not in run.stdout or name not in run.stdout:
                fail(f"the summary does not mention {name} and its PNG")
            for version in ("2.7", "3.12"):
                with open(os.path.join(out, f"{name}-{version}.jsonl")) as f:
                    lines = f.read().splitlines()
                meta, end = json.loads(lines[0]), json.loads(lines[-1])
                if meta.get("clock") != "sim" or meta.get("cpython") != version:
                    fail(f"{name}-{version}: meta says {meta.get('clock')}, {meta.get('cpython')}")
                if end.get("ev") != "end" or end.get("dropped") != 0 or end.get("status") != 0:
                    fail(f"{name}-{version}: last line {lines[-1][:200]}")
    print("ok: gilscope demo --png")


if __name__ == "__main__":
    main()
