#!/usr/bin/env python3
"""install_test.py -- gilscope installed, the two ways it can be.

  install_test.py pip SOURCE_DIR VERSION
      The README's "Installing with pip": a fresh venv made with
      `python3 -m venv --system-site-packages`, then `pip install
      --no-build-isolation .` of a copy of the checkout (meson-python and
      pip write into the source tree they build, and this test must not
      touch the real one).  The copy is deleted once installed, so that
      nothing installed can lean on it.  Then, from the venv:
      `gilscope demo --png --out DIR` writes four valid PNGs (the viewer
      module found beside the binary), `python -m gilscope --version` and
      `--help` are the binary's, an exit status passes through, the process
      *is* gilscope (exec, so signals reach it: SIGTERM stops a run with
      status 3), and a broken install says so instead of a traceback.
      Exit 77 (skipped) when no python3 has both venv and meson-python
      (Debian: python3-venv, python3-mesonpy; build.sh installs them).

  install_test.py destdir MESON BUILD_DIR PREFIX BINDIR LIBDIR DATADIR MANDIR VERSION man|no-man
      `meson install --destdir` of the build directory: the binary, the
      viewer module, the scenarios and (with help2man) the man page are
      where they belong, and the installed binary runs an installed
      scenario and draws its trace with the installed viewer module,
      found relative to itself (the configured prefix is not where the
      files are).
"""
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

SCENARIOS = ["countdown", "racy_counter", "locked_counter", "io_threads",
             "custom_thread", "refcycle"]
DEMO_PNGS = ["countdown", "racy_counter", "locked_counter", "io_threads"]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(cmd, what, timeout=120, check=True, **kw):
    """Run cmd, print how long it took, fail with its output if it failed."""
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=timeout, **kw)
    print(f"{what}: exit status {r.returncode}, {time.monotonic() - t0:.1f} s")
    if check and r.returncode != 0:
        print(r.stdout[-6000:])
        fail(f"{what} failed: {' '.join(cmd)}")
    return r


def check_png(path, width=None, height=None):
    """A whole PNG: the signature, an IHDR first (of the expected size), and
    the IEND chunk as the last 12 bytes, so a file cut short fails."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        fail(f"{path} is not a PNG")
    w, h = struct.unpack(">II", data[16:24])
    if (width and w != width) or (height and h != height):
        fail(f"{path} is {w}x{h}, not {width}x{height}")
    if data[-8:-4] != b"IEND":
        fail(f"{path} does not end with IEND: cut short?")


def headless_env(extra=None):
    """No display (so demo writes PNGs), no viewer override."""
    env = dict(os.environ)
    for k in ("DISPLAY", "WAYLAND_DISPLAY", "GILSCOPE_VIEWER"):
        env.pop(k, None)
    env.update(extra or {})
    return env


# ---- pip -----------------------------------------------------------------------------

def find_python():
    """A python3 with venv (and its ensurepip) and meson-python: the one
    running this test, else Debian's own (a pyenv or conda python3 may be
    first on PATH without Debian's packages)."""
    seen = []
    for py in (sys.executable, "/usr/bin/python3", shutil.which("python3")):
        if not py or py in seen or not os.path.exists(py):
            continue
        seen.append(py)
        r = subprocess.run([py, "-c", "import venv, ensurepip, mesonpy"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0:
            return py
    return None


def copy_source(src, dst):
    """The checkout without its build directories (any directory meson set
    up), .git, and what earlier builds left."""
    def ignore(d, names):
        skip = {n for n in names if n in (".git", "__pycache__", "gilscope-demo")
                or n.startswith(".mesonpy")}
        if os.path.samefile(d, src):
            skip |= {n for n in names
                     if os.path.isdir(os.path.join(d, n, "meson-private"))}
        return skip
    shutil.copytree(src, dst, ignore=ignore, symlinks=True)


def test_pip(source, version):
    py = find_python()
    if not py:
        print("SKIP: no python3 with venv and meson-python "
              "(Debian: apt-get install python3-venv python3-mesonpy)")
        sys.exit(77)
    print(f"python: {py}")
    t_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gilscope-pip-") as tmp:
        # Everything the build writes stays in tmp, temporary files too.
        tmpdir = os.path.join(tmp, "tmp")
        os.mkdir(tmpdir)
        env = headless_env({"TMPDIR": tmpdir, "PIP_CONFIG_FILE": os.devnull})
        for k in list(env):
            if k.startswith("PIP_") and k != "PIP_CONFIG_FILE":
                del env[k]    # this machine's pip settings are not the test's
        src = os.path.join(tmp, "src")
        copy_source(source, src)
        venv = os.path.join(tmp, "venv")
        run([py, "-m", "venv", "--system-site-packages", venv], "python3 -m venv", env=env)
        vpy = os.path.join(venv, "bin", "python")
        # --no-index: PyPI is not needed (nothing to fetch without build
        # isolation), so a test run never depends on the network.
        run([vpy, "-m", "pip", "install", "--no-build-isolation", "--no-index",
             "--no-cache-dir", "--disable-pip-version-check", "."],
            "pip install --no-build-isolation .", timeout=900, cwd=src, env=env)
        shutil.rmtree(src)

        # What was installed: the package holds the binary and its module.
        r = run([vpy, "-c", "import gilscope; print(gilscope.EXECUTABLE); print(gilscope.SCENARIOS)"],
                "import gilscope", env=env, cwd=tmp)
        exe, scenarios = r.stdout.split("\n")[:2]
        if not exe.startswith(venv + os.sep) or not os.access(exe, os.X_OK):
            fail(f"the binary {exe} is not an executable in the venv")
        if not os.path.isfile(os.path.join(os.path.dirname(exe), "gilscope-viewer.so")):
            fail("gilscope-viewer.so is not beside the binary")
        for s in SCENARIOS:
            if not os.path.isfile(os.path.join(scenarios, s + ".py")):
                fail(f"scenario {s}.py not installed in {scenarios}")
        script = os.path.join(venv, "bin", "gilscope")
        if not os.access(script, os.X_OK):
            fail("no gilscope command in the venv's bin/")

        # The README's demo, from the venv, in a directory of its own.
        out = os.path.join(tmp, "demo")
        r = run([script, "demo", "--png", "--out", out], "gilscope demo --png", env=env, cwd=tmp)
        for name in DEMO_PNGS:
            check_png(os.path.join(out, name + ".png"), 1600, 900)
            if f"{name}.png" not in r.stdout:
                fail(f"demo did not report {name}.png")

        # python -m gilscope is the same program.
        r = run([vpy, "-m", "gilscope", "--version"], "python -m gilscope --version", env=env)
        if r.stdout != f"gilscope {version}\n":
            fail(f"--version printed {r.stdout!r}")
        r = run([vpy, "-m", "gilscope", "--help"], "python -m gilscope --help", env=env)
        if not r.stdout.startswith("usage: gilscope COMMAND") or "demo" not in r.stdout:
            fail(f"--help printed {r.stdout[:200]!r}")
        prog = os.path.join(tmp, "exit7.py")
        with open(prog, "w") as f:
            f.write("import sys\nprint('bye')\nsys.exit(7)\n")
        for cmd in ([vpy, "-m", "gilscope"], [script]):
            r = run(cmd + ["run", prog], " ".join(os.path.basename(c) for c in cmd) + " run exit7.py",
                    env=env, check=False)
            if r.returncode != 7 or r.stdout != "bye\n":
                fail(f"exit status {r.returncode} (not 7), output {r.stdout!r}")
        r = run([vpy, "-m", "gilscope", "run", "--no-such-option", prog], "a bad option",
                env=env, check=False)
        if r.returncode != 2:
            fail(f"a bad option: exit status {r.returncode}, not 2")

        # The process is gilscope itself, so a signal reaches it: SIGTERM
        # stops the run (status 3, cli/main.c) -- no Python in between.
        loop = os.path.join(tmp, "loop.py")
        with open(loop, "w") as f:
            f.write("print('looping', flush=True)\nwhile True:\n    pass\n")
        p = subprocess.Popen([vpy, "-m", "gilscope", "run", "--timeout", "60", loop],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            if p.stdout.readline() != "looping\n":
                fail("the looping program did not start")
            target = os.readlink(f"/proc/{p.pid}/exe")
            if os.path.realpath(target) != os.path.realpath(exe):
                fail(f"python -m gilscope runs as {target}, not as the binary: no exec?")
            p.send_signal(signal.SIGTERM)
            rc = p.wait(timeout=30)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        print(f"python -m gilscope run loop.py, SIGTERM: exit status {rc}")
        if rc != 3:
            fail(f"SIGTERM: exit status {rc}, not 3 ({p.stderr.read()[-500:]!r})")

        # A broken install (the binary lost its execute bit) is a message
        # and status 126, not a traceback.
        os.chmod(exe, 0o644)
        r = run([vpy, "-m", "gilscope", "--version"], "a broken install", env=env, check=False)
        if r.returncode != 126 or "cannot run" not in r.stdout or "Traceback" in r.stdout:
            fail(f"a broken install: exit status {r.returncode}, {r.stdout!r}")
    print(f"ok: pip install into a venv, then gilscope and python -m gilscope "
          f"({time.monotonic() - t_start:.0f} s in all)")


# ---- meson install --destdir ---------------------------------------------------------

def test_destdir(meson, build, prefix, bindir, libdir, datadir, mandir, version, man):
    def where(root, d, *rest):
        # DESTDIR + the absolute path meson installs to (d may be absolute).
        return os.path.join(root + os.path.join(prefix, d), *rest)

    with tempfile.TemporaryDirectory(prefix="gilscope-destdir-") as root:
        run([meson, "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", root],
            "meson install --destdir")
        exe = where(root, bindir, "gilscope")
        module = where(root, libdir, "gilscope", "gilscope-viewer.so")
        if not os.access(exe, os.X_OK):
            fail(f"{exe} is not installed")
        if not os.path.isfile(module):
            fail(f"{module} is not installed")
        scenarios = where(root, datadir, "gilscope", "scenarios")
        for s in SCENARIOS:
            if not os.path.isfile(os.path.join(scenarios, s + ".py")):
                fail(f"{s}.py is not installed in {scenarios}")
        page = where(root, mandir, "man1", "gilscope.1")
        if man == "man":
            with open(page) as f:
                text = f.read()
            # help2man's page of this very binary: its --version, its
            # commands, and our SEE ALSO, which names where the scenarios are.
            for want in ('.TH GILSCOPE "1"', f'"gilscope {version}"', "demo", "\\-\\-version",
                         ".SH \"SEE ALSO\"", "gilscope run \\-\\-help",
                         os.path.join(prefix, datadir, "gilscope", "scenarios")):
                if want not in text:
                    fail(f"the man page has no {want!r}")
        elif os.path.exists(page):
            fail("a man page installed although help2man was not found")
        else:
            print("note: no help2man when configured, so no man page to check")

        # The installed binary runs an installed scenario...
        env = headless_env()
        with tempfile.TemporaryDirectory() as work:
            trace = os.path.join(work, "racy.jsonl")
            r = run([exe, "run", "--clock", "sim", "--cpython", "2.7", "-o", trace,
                     os.path.join(scenarios, "racy_counter.py"), "20000", "2"],
                    "installed gilscope run racy_counter.py", env=env, cwd=work)
            if "expected 40000" not in r.stdout:
                fail(f"racy_counter printed {r.stdout!r}")
            # ...and draws it with the installed module, found from the
            # binary's own place: the configured one is empty (unless this
            # machine has gilscope installed there; then say so).
            configured = os.path.join(prefix, libdir, "gilscope", "gilscope-viewer.so")
            png = os.path.join(work, "racy.png")
            if os.path.exists(configured):
                print(f"note: {configured} exists: the viewer may load from there")
            else:
                os.rename(module, module + ".away")
                r = run([exe, "view", trace, "--png", png], "view without the module",
                        env=env, check=False)
                os.rename(module + ".away", module)
                rel = os.path.join(os.path.dirname(exe), os.path.relpath(
                    os.path.dirname(module), os.path.dirname(exe)))
                if r.returncode == 0 or rel not in r.stdout:
                    fail(f"without its module, view said {r.stdout!r}; expected a "
                         f"message naming {rel}")
            run([exe, "view", trace, "--png", png], "installed gilscope view --png", env=env)
            check_png(png)
    print("ok: meson install --destdir")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "pip":
        test_pip(os.path.abspath(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 11 and sys.argv[1] == "destdir":
        test_destdir(*sys.argv[2:])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
