#!/usr/bin/env python3
"""output_files.py GILSCOPE -- no output path is ever deleted, and no write
goes unchecked (docs/trace-format.md, "Output files").

  - A device as the output (the test's own full device, `mknod DIR/full c 1
    7`, never the real /dev/full): `export -o`, `run -o`, `view --png` say
    "No space left on device", exit 1, and the device node is still there.
    (export used to remove() it.)  Skipped when mknod is not permitted.
  - The same device as standard output: stats, dis and --help exit 1 with a
    message, not 0.
  - A regular file whose write fails (RLIMIT_FSIZE: "File too large"): the
    old file keeps its contents and its mode, and no temporary file is
    left beside it -- for export, run -o and view --png.
  - A run that fails halfway (an exception, --timeout) replaces the old -o
    file with its trace, complete up to its `end` line: nothing is lost.
  - stats and export -o - into a pipe whose reader has gone: exit 1 with
    "Broken pipe".
"""
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    return ok


def run(args, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(args, stderr=subprocess.PIPE, text=True, timeout=300, **kw)


def limit_file_size(nbytes):
    """A preexec_fn: writes past nbytes fail with EFBIG (and SIGXFSZ, whose
    default would kill the process, is ignored, as exec keeps it)."""
    def setup():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return setup


def valid_trace(gilscope, path):
    """Every line JSON, meta first, end last, and stats reads it without a
    warning.  Returns the end line, or None."""
    try:
        with open(path) as f:
            lines = [json.loads(l) for l in f if l.strip()]
    except (OSError, ValueError):
        return None
    if not lines or lines[0].get("ev") != "meta" or lines[-1].get("ev") != "end":
        return None
    r = run([gilscope, "stats", path])
    return lines[-1] if r.returncode == 0 and not r.stderr else None


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def mode(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def strays(d):
    """Temporary files left in d (outfile.c names them .NAME.XXXXXX)."""
    return sorted(n for n in os.listdir(d) if n.startswith("."))


def device_checks(gilscope, tmp, trace, prog):
    full = os.path.join(tmp, "full")
    try:
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as e:
        print(f"skip: cannot make a device node ({e}): the device checks are skipped")
        return True

    def still_device():
        try:
            if stat.S_ISCHR(os.stat(full).st_mode):
                return True
            os.unlink(full)
        except FileNotFoundError:
            pass
        # Gone or replaced: make it again, so that the next checks still test a device.
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        return False

    good = True
    for what, args in [("export -o DEVICE", ["export", trace, "-o", full]),
                       ("run -o DEVICE", ["run", "-o", full, prog]),
                       ("view --png DEVICE", ["view", "--png", full, trace])]:
        r = run([gilscope] + args)
        good &= check(r.returncode == 1 and "No space left on device" in r.stderr
                      and full in r.stderr,
                      f"{what}: status {r.returncode}, {r.stderr.strip()[-90:]!r}")
        good &= check(still_device(), f"{what}: the device node is still there")
    with open(full, "w") as out:
        for what, args in [("stats", ["stats", trace]), ("stats --json", ["stats", "--json", trace]),
                           ("dis", ["dis", prog]), ("--help", ["--help"]),
                           ("export -o -", ["export", trace, "-o", "-"])]:
            r = run([gilscope] + args, stdout=out)
            good &= check(r.returncode == 1 and "No space left on device" in r.stderr,
                          f"{what} > DEVICE: status {r.returncode}, {r.stderr.strip()[-70:]!r}")
    good &= check(still_device() and strays(tmp) == [], "the device is intact, nothing left over")
    return good


def failed_write_checks(gilscope, tmp, trace, prog):
    """A write into a regular file fails: the old file stays as it was."""
    good = True
    cases = [("export", "old.json", ["export", trace, "-o"], 200),
             ("run -o", "old.jsonl", ["run", "-o"], 200),
             ("view --png", "old.png", ["view", "--png"], 2000)]
    for what, name, args, limit in cases:
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write("the old file\n")
        os.chmod(path, 0o640)
        tail = [prog] if what == "run -o" else [trace] if what == "view --png" else []
        r = run([gilscope] + args + [path] + tail, preexec_fn=limit_file_size(limit))
        good &= check(r.returncode == 1 and "File too large" in r.stderr and path in r.stderr,
                      f"{what} into a file that cannot grow: status {r.returncode}, "
                      f"{r.stderr.strip()[-80:]!r}")
        good &= check(read_bytes(path) == b"the old file\n" and mode(path) == 0o640,
                      f"{what}: the old file keeps its contents and mode")
        good &= check(strays(tmp) == [], f"{what}: no temporary file left: {strays(tmp)}")
        # And when the write succeeds, the file is replaced, keeping its mode.
        r = run([gilscope] + args + [path] + tail)
        good &= check(r.returncode == 0 and mode(path) == 0o640,
                      f"{what} without the limit: replaced (status {r.returncode}), mode kept")
        good &= check(read_bytes(path) not in (None, b"the old file\n"),
                      f"{what}: new contents")
        os.unlink(path)
    return good


def partial_run_checks(gilscope, tmp):
    """A run that fails halfway still replaces the old trace: with the
    valid, end-terminated trace of what happened."""
    good = True
    path = os.path.join(tmp, "old.jsonl")
    progs = {
        "exception": ("x = 0\nfor i in range(1000):\n    x += i\nraise ValueError('half')\n",
                      [], 1),
        "timeout": ("while True:\n    pass\n", ["--timeout", "0.3"], 3),
    }
    for reason, (source, opts, status) in progs.items():
        prog = os.path.join(tmp, reason + ".py")
        with open(prog, "w") as f:
            f.write(source)
        with open(path, "w") as f:
            f.write("the old trace\n")
        r = run([gilscope, "run", "-o", path] + opts + [prog])
        end = valid_trace(gilscope, path)
        good &= check(r.returncode == status and end is not None and end["reason"] == reason,
                      f"a run ended by {reason}: status {r.returncode}, the old file replaced "
                      f"by a valid trace ending {end}")
        os.unlink(prog)
    os.unlink(path)
    good &= check(strays(tmp) == [], "no temporary file left")
    return good


def broken_pipe_checks(gilscope, trace):
    good = True
    for what, args in [("stats", ["stats", trace]), ("export -o -", ["export", trace, "-o", "-"])]:
        rd, wr = os.pipe()
        os.close(rd)        # the reader is gone before the first write
        r = run([gilscope] + args, stdout=wr)
        os.close(wr)
        good &= check(r.returncode == 1 and "Broken pipe" in r.stderr,
                      f"{what} into a closed pipe: status {r.returncode}, "
                      f"{r.stderr.strip()[-60:]!r}")
    return good


def main():
    gilscope = sys.argv[1]
    good = True
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "p.py")
        with open(prog, "w") as f:
            f.write("import threading\n"
                    "def work():\n"
                    "    for i in range(3000):\n"
                    "        pass\n"
                    "ts = [threading.Thread(target=work) for _ in range(2)]\n"
                    "for t in ts: t.start()\n"
                    "for t in ts: t.join()\n")
        src = os.path.join(tmp, "src")
        os.mkdir(src)
        trace = os.path.join(src, "t.jsonl")
        r = run([gilscope, "run", "--clock", "sim", "--cpython", "2.7", "-o", trace, prog])
        if not check(r.returncode == 0 and valid_trace(gilscope, trace), "a trace to work on"):
            return 1
        good &= device_checks(gilscope, tmp, trace, prog)
        good &= failed_write_checks(gilscope, tmp, trace, prog)
        good &= partial_run_checks(gilscope, tmp)
        good &= broken_pipe_checks(gilscope, trace)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
