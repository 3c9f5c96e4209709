#!/usr/bin/env python3
"""output_errors.py GILSCOPE -- the program's output going nowhere is an error.

  - stdout on a full disk (/dev/full): a message naming the problem, status
    120 (CPython's status when its last flush fails);
  - stdout a pipe whose reader has gone (`| head -1`): print() raises
    BrokenPipeError in the guest, which ends with its traceback, status 1
    (it used to die of SIGPIPE, status 141, without a word);
  - `--trace` without `-o`: a usage error (it used to be ignored).
"""
import os
import subprocess
import sys
import tempfile


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    return ok


def main():
    gilscope = sys.argv[1]
    good = True
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "p.py")
        with open(prog, "w") as f:
            f.write("for i in range(1000000):\n    print(i)\n")
        with open("/dev/full", "w") as full:
            r = subprocess.run([gilscope, "run", prog], stdout=full, stderr=subprocess.PIPE,
                               text=True)
        good &= check(r.returncode in (1, 120) and "No space left on device" in r.stderr,
                      f"/dev/full: status {r.returncode}, {r.stderr.strip()[-80:]!r}")
        p = subprocess.Popen([gilscope, "run", prog], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        p.wait()
        good &= check(p.returncode == 1 and "BrokenPipeError: [Errno 32] Broken pipe" in err,
                      f"closed pipe: status {p.returncode}, {err.strip()[-60:]!r}")
        r = subprocess.run([gilscope, "run", "--trace", "op", prog], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        good &= check(r.returncode == 2 and "add -o FILE" in r.stderr,
                      f"--trace without -o: status {r.returncode}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
