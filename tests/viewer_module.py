#!/usr/bin/env python3
"""viewer_module.py GILSCOPE TRACE -- the viewer is a module loaded on demand.

  - `gilscope run` maps no SDL library: a guest reads /proc/self/maps;
  - `gilscope view --png` loads build/gilscope-viewer.so from beside the
    executable and writes a PNG;
  - a gilscope without its module (a copy elsewhere) says where it looked
    and exits 1; GILSCOPE_VIEWER naming a library that is not the module
    is refused by name, and one naming a missing file is an error even for
    a gilscope with its module beside it; GILSCOPE_VIEWER naming the module
    makes the lone copy work.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    return ok


def main():
    gilscope, trace = sys.argv[1], sys.argv[2]
    module = os.path.join(os.path.dirname(os.path.abspath(gilscope)), "gilscope-viewer.so")
    good = True
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "maps.py")
        with open(prog, "w") as f:
            f.write("maps = open('/proc/self/maps').read()\n"
                    "print('libuv' in maps, 'SDL' in maps, 'freetype' in maps)\n")
        r = subprocess.run([gilscope, "run", prog], capture_output=True, text=True)
        good &= check(r.returncode == 0 and r.stdout.split() == ["True", "False", "False"],
                      "run maps libuv but no SDL or freetype: %r %r" % (r.stdout, r.stderr))

        png = os.path.join(tmp, "a.png")
        r = subprocess.run([gilscope, "view", "--png", png, trace], capture_output=True, text=True)
        with open(png, "rb") if os.path.exists(png) else open(os.devnull, "rb") as f:
            head = f.read(8)
        good &= check(r.returncode == 0 and head == b"\x89PNG\r\n\x1a\n",
                      "view --png with the module beside gilscope: %r" % r.stderr)

        installed = [p for pat in ("/usr/local/lib/gilscope", "/usr/local/lib/*/gilscope",
                                   "/usr/lib/gilscope", "/usr/lib/*/gilscope")
                     for p in glob.glob(pat + "/gilscope-viewer.so")]
        if installed:
            print("skip: the lone-copy checks: a module is installed at %s" % installed[0])
            return 0 if good else 1
        lone = os.path.join(tmp, "gilscope")
        shutil.copy(gilscope, lone)
        env = dict(os.environ)
        env.pop("GILSCOPE_VIEWER", None)
        r = subprocess.run([lone, "view", "--png", png, trace], capture_output=True, text=True,
                           env=env)
        good &= check(r.returncode == 1 and os.path.join(tmp, "gilscope-viewer.so") in r.stderr
                      and "could not be loaded" in r.stderr,
                      "a lone gilscope names where it looked: %r" % r.stderr)

        # A shared library this very process has mapped: Python's libc.
        libc = [l.split()[-1] for l in open("/proc/self/maps") if "/libc.so" in l]
        env["GILSCOPE_VIEWER"] = libc[0]
        r = subprocess.run([lone, "view", "--png", png, trace], capture_output=True, text=True,
                           env=env)
        good &= check(r.returncode == 1 and "not a gilscope viewer module" in r.stderr,
                      "GILSCOPE_VIEWER naming another library is refused: %r" % r.stderr)
        # Set but wrong: an error, even where a module sits beside gilscope.
        env["GILSCOPE_VIEWER"] = os.path.join(tmp, "missing.so")
        r = subprocess.run([gilscope, "view", "--png", png, trace], capture_output=True,
                           text=True, env=env)
        good &= check(r.returncode == 1 and "missing.so" in r.stderr,
                      "a wrong GILSCOPE_VIEWER is an error, not a fallback: %r" % r.stderr)

        env["GILSCOPE_VIEWER"] = module
        os.unlink(png)
        r = subprocess.run([lone, "view", "--png", png, trace], capture_output=True, text=True,
                           env=env)
        good &= check(r.returncode == 0 and os.path.getsize(png) > 0,
                      "GILSCOPE_VIEWER naming the module: %r" % r.stderr)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
