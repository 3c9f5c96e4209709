#!/usr/bin/env python3
"""run_program.py -- run one golden program and compare what it does with
what it should do.  Standard library only; meson runs it (tests/meson.build)
and so can you:

    tests/run_program.py build/gilscope tests/programs/fstrings.py
    tests/run_program.py --python tests/programs/fstrings.py

For PROGRAM.py the expected results live beside it:

    PROGRAM.out     stdout, compared exactly (required)
    PROGRAM.err     stderr (optional; when absent, stderr is not compared).
                    Compared exactly, unless its first line is
                    `# match: lines`: then every further non-blank line is a
                    pattern that must match a whole line of stderr, in order
                    (other lines may come between).  In a pattern, `…`
                    (U+2026) stands for any text.
    PROGRAM.status  the exit status (optional; default 0)

Directives are comments at the top of the program: on the lines of the
leading comment block, or as a trailing comment on line 1 (for programs
whose line numbers matter, such as the dis listings of the seeds):

    # gilscope-only            python3 is not expected to print PROGRAM.out
                               (3.9 bytecode, refcounts, gilscope's limits);
                               text may follow (`# gilscope-only: why`)
    # gilscope: dis            run `gilscope dis PROGRAM.py`, not `run`
                               (implies gilscope-only)
    # gilscope-args: ARGS...   options for gilscope, before the file name
    # args: ARGS...            arguments for the program, after the file name

The program is run in its own directory and named by its base name, so
that file names in tracebacks and dis listings do not depend on where the
tree is.  In both outputs ` at 0x<hex>` becomes ` at 0x…`: addresses
differ from run to run.

Modes:
    GILSCOPE PROGRAM.py        run it under gilscope (the golden test)
    --python PROGRAM.py        run it under python3 (this interpreter, or
                               --python-exe) and check stdout and exit
                               status: the parity test.  Skips (77)
                               gilscope-only programs.
    --python --update PROGRAM.py
                               write PROGRAM.out (and PROGRAM.status) from
                               python3's results; look at them before
                               committing.
    --check-listed DIR NAME... check that the programs in DIR are exactly
                               NAME... (the list in tests/meson.build).
                               A .py file whose first line begins with
                               `# helper` is a module the programs import
                               (programs/importing/), not a program.

Exit status: 0 pass, 1 fail, 77 skip, 99 the test itself is broken (no
.out file, gilscope missing): meson's conventions.
"""

import argparse
import difflib
import os
import re
import shlex
import signal
import subprocess
import sys

PASS, FAIL, SKIP, ERROR = 0, 1, 77, 99
DEFAULT_TIMEOUT = float(os.environ.get("GILSCOPE_TEST_TIMEOUT", "120"))
MAX_SHOWN_LINES = 200

ADDRESS_RE = re.compile(r"\bat 0x[0-9a-fA-F]+")

# Reports that a sanitizer writes to stderr.  A sanitized gilscope that
# finds a bug may still exit with the status the test expects (ASan exits
# with 1, as an uncaught exception does), so look for the report itself.
SANITIZER_RE = re.compile(
    r"^(==\d+==ERROR: (Address|Leak|Memory)Sanitizer"
    r"|\S+:\d+:\d+: runtime error: "
    r"|SUMMARY: (Address|Leak|UndefinedBehavior|Thread)Sanitizer"
    r"|WARNING: ThreadSanitizer)",
    re.MULTILINE)

DIRECTIVE_RES = {
    "gilscope-only": re.compile(r"^gilscope-only(\b.*)?$"),
    "dis": re.compile(r"^gilscope:\s*dis\s*$"),
    "gilscope-args": re.compile(r"^gilscope-args:(.*)$"),
    "args": re.compile(r"^args:(.*)$"),
}


class Broken(Exception):
    """The test cannot be run (exit 99), as opposed to failing."""


# ---- reading a program and its expectations ----------------------------------

def header_comments(source):
    """The comments that may hold directives: the leading comment block, or
    line 1's trailing comment when line 1 is code."""
    comments = []
    for i, line in enumerate(source.splitlines()):
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped[1:].strip())
        elif i == 0 and "#" in line:
            comments.append(line[line.index("#") + 1:].strip())
            break
        else:
            break
    return comments


def read_directives(source):
    d = {"gilscope_only": False, "dis": False, "gilscope_args": [], "args": []}
    for text in header_comments(source):
        if DIRECTIVE_RES["gilscope-only"].match(text):
            d["gilscope_only"] = True
        elif DIRECTIVE_RES["dis"].match(text):
            d["dis"] = True
            d["gilscope_only"] = True
        else:
            m = DIRECTIVE_RES["gilscope-args"].match(text)
            if m:
                d["gilscope_args"] += shlex.split(m.group(1))
                continue
            m = DIRECTIVE_RES["args"].match(text)
            if m:
                d["args"] += shlex.split(m.group(1))
    return d


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="surrogateescape")


def read_optional(path):
    return read_text(path) if os.path.exists(path) else None


def expected_status(stem):
    text = read_optional(stem + ".status")
    if text is None:
        return 0
    try:
        return int(text.strip())
    except ValueError:
        raise Broken("%s.status: not an integer: %r" % (stem, text))


# ---- running -------------------------------------------------------------------

class Result:
    def __init__(self, cmd, status=None, out="", err="", timed_out=False):
        self.cmd, self.status, self.out, self.err = cmd, status, out, err
        self.timed_out = timed_out


def run(cmd, cwd, timeout):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return Result(cmd, None, decode(e.stdout), decode(e.stderr), timed_out=True)
    except OSError as e:
        raise Broken("cannot run %s: %s" % (cmd[0], e))
    return Result(cmd, p.returncode, decode(p.stdout), decode(p.stderr))


def decode(data):
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return data.decode("utf-8", errors="surrogateescape")


def describe_status(status):
    if status is None:
        return "none (killed after the timeout)"
    if status < 0:
        try:
            return "killed by %s" % signal.Signals(-status).name
        except ValueError:
            return "killed by signal %d" % -status
    return str(status)


# ---- comparing -----------------------------------------------------------------

def normalize(text):
    return ADDRESS_RE.sub("at 0x\u2026", text)


def visible(line):
    """A diff line as printed: trailing blanks and control characters made
    visible, since they are what usually differs when lines look alike."""
    body = line.rstrip("\n")
    if body != body.rstrip() or any(ord(c) < 32 and c != "\t" for c in body):
        return repr(body)
    return body


def show_diff(what, expected, actual):
    print("--- %s differs (- expected, + actual):" % what)
    exp_lines = expected.splitlines(keepends=True)
    act_lines = actual.splitlines(keepends=True)
    n = 0
    for line in difflib.unified_diff(exp_lines, act_lines, "expected", "actual", n=3):
        if line.startswith(("---", "+++")):
            continue
        if n == MAX_SHOWN_LINES:
            print("    ... (diff cut)")
            break
        print("    " + line[0] + visible(line[1:]) if line[0] in "+- " else "    " + line.rstrip("\n"))
        n += 1
    if expected.rstrip("\n") == actual.rstrip("\n"):
        print("    (only the newlines at the end differ: expected %d, got %d)"
              % (len(expected) - len(expected.rstrip("\n")),
                 len(actual) - len(actual.rstrip("\n"))))


def show_text(what, text):
    lines = text.splitlines()
    print("--- %s (%d lines):" % (what, len(lines)))
    for line in lines[:MAX_SHOWN_LINES]:
        print("    | " + visible(line))
    if len(lines) > MAX_SHOWN_LINES:
        print("    ... (%d more lines)" % (len(lines) - MAX_SHOWN_LINES))


def pattern_regex(pattern):
    return re.compile(".*".join(re.escape(part) for part in pattern.split("\u2026")) + r"\Z",
                      re.DOTALL)


def match_lines(patterns, text):
    """Index of the first pattern not found in order, or None if all match."""
    lines = text.splitlines()
    pos = 0
    for i, pattern in enumerate(patterns):
        rx = pattern_regex(pattern)
        while pos < len(lines) and not rx.match(lines[pos]):
            pos += 1
        if pos == len(lines):
            return i
        pos += 1
    return None


def check_stderr(expected, actual):
    """True if stderr is as expected; prints why not."""
    first, _, rest = expected.partition("\n")
    if first.strip() == "# match: lines":
        patterns = [p for p in rest.splitlines() if p.strip()]
        missing = match_lines(patterns, actual)
        if missing is None:
            return True
        print("--- stderr: pattern %d of %d not found (in order):" % (missing + 1, len(patterns)))
        for i, p in enumerate(patterns):
            mark = "ok " if i < missing else ("-> " if i == missing else "   ")
            print("    %s%s" % (mark, visible(p)))
        show_text("actual stderr", actual)
        return False
    if normalize(expected) == normalize(actual):
        return True
    show_diff("stderr", normalize(expected), normalize(actual))
    return False


# ---- the modes -----------------------------------------------------------------

def program_paths(program):
    program = os.path.abspath(program)
    if not program.endswith(".py") or not os.path.isfile(program):
        raise Broken("not a program file: %s" % program)
    return program, os.path.dirname(program), os.path.basename(program), program[:-3]


def run_gilscope(gilscope, program, timeout):
    program, cwd, base, stem = program_paths(program)
    gilscope = os.path.abspath(gilscope)
    if not os.access(gilscope, os.X_OK):
        raise Broken("gilscope is not an executable file: %s" % gilscope)
    directives = read_directives(read_text(program))
    expected_out = read_optional(stem + ".out")
    if expected_out is None:
        raise Broken("missing %s.out" % stem)
    expected_err = read_optional(stem + ".err")
    want_status = expected_status(stem)

    if directives["dis"]:
        cmd = [gilscope, "dis"] + directives["gilscope_args"] + [base]
    else:
        cmd = [gilscope, "run"] + directives["gilscope_args"] + [base] + directives["args"]
    print("$ cd %s && %s" % (shlex.quote(cwd), " ".join(shlex.quote(c) for c in cmd)))
    r = run(cmd, cwd, timeout)

    ok = True
    if r.timed_out:
        print("--- FAIL: still running after %g s, killed" % timeout)
        ok = False
    elif r.status != want_status:
        print("--- exit status: expected %d, got %s" % (want_status, describe_status(r.status)))
        ok = False
    if normalize(r.out) != normalize(expected_out):
        show_diff("stdout", normalize(expected_out), normalize(r.out))
        ok = False
    err_ok = expected_err is None or check_stderr(expected_err, r.err)
    report = SANITIZER_RE.search(r.err)
    if report:
        print("--- a sanitizer reported an error: %s" % report.group(0).strip())
    if not err_ok or report:
        ok = False
    if (not ok and err_ok) or report:
        show_text("stderr", r.err)
    print("PASS" if ok else "FAIL", os.path.basename(program))
    return PASS if ok else FAIL


def run_python(python, program, timeout, update):
    program, cwd, base, stem = program_paths(program)
    directives = read_directives(read_text(program))
    if directives["gilscope_only"] and not update:
        print("SKIP %s: gilscope-only (its output differs from CPython's by design)" % base)
        return SKIP
    expected_out = read_optional(stem + ".out")
    if expected_out is None and not update:
        raise Broken("missing %s.out" % stem)
    # -E -s: no PYTHON* variables, no user site-packages -- isolated as -I
    # is, but with the program's directory on sys.path, where its own
    # modules are (programs/importing/).
    cmd = [python, "-E", "-s", "-X", "utf8", base] + directives["args"]
    print("$ cd %s && %s" % (shlex.quote(cwd), " ".join(shlex.quote(c) for c in cmd)))
    r = run(cmd, cwd, timeout)
    if r.timed_out:
        print("--- FAIL: still running after %g s, killed" % timeout)
        return FAIL
    if update:
        with open(stem + ".out", "wb") as f:
            f.write(r.out.encode("utf-8", errors="surrogateescape"))
        if r.status:
            with open(stem + ".status", "w") as f:
                f.write("%d\n" % r.status)
        elif os.path.exists(stem + ".status"):
            os.remove(stem + ".status")
        print("wrote %s.out (exit status %s)" % (stem, describe_status(r.status)))
        if r.err:
            show_text("stderr (not saved)", r.err)
        return PASS

    want_status = expected_status(stem)
    ok = True
    if r.status != want_status:
        print("--- exit status: expected %d, got %s" % (want_status, describe_status(r.status)))
        ok = False
    if normalize(r.out) != normalize(expected_out):
        show_diff("stdout", normalize(expected_out), normalize(r.out))
        ok = False
    if not ok:
        show_text("stderr", r.err)
        print("(PROGRAM.out is what gilscope must print; if python3 disagrees, the .out "
              "file is wrong, or the program depends on the CPython version and must be "
              "marked `# gilscope-only`)")
    print("PASS" if ok else "FAIL", base, "under", python)
    return PASS if ok else FAIL


def is_helper(path):
    """A module that the programs beside it import (programs/importing/):
    not a program itself.  Its first line says so: `# helper: ...`."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.readline().startswith("# helper")


def check_listed(directory, names):
    on_disk = sorted(f[:-3] for f in os.listdir(directory)
                     if f.endswith(".py") and not is_helper(os.path.join(directory, f)))
    listed = sorted(names)
    ok = True
    for name in sorted(set(on_disk) - set(listed)):
        print("FAIL: %s/%s.py is not listed in tests/meson.build" % (directory, name))
        ok = False
    for name in sorted(set(listed) - set(on_disk)):
        print("FAIL: %s is listed in tests/meson.build but %s/%s.py does not exist"
              % (name, directory, name))
        ok = False
    for name in sorted(set(listed)):
        if listed.count(name) > 1:
            print("FAIL: %s is listed twice" % name)
            ok = False
    for name in on_disk:
        if not os.path.exists(os.path.join(directory, name + ".out")):
            print("FAIL: %s/%s.py has no .out file" % (directory, name))
            ok = False
    if ok:
        print("PASS: all %d programs listed, each with a .out file" % len(on_disk))
    return PASS if ok else FAIL


def main(argv):
    ap = argparse.ArgumentParser(
        description="Run a golden program and compare its output (see the module docstring).")
    ap.add_argument("--python", action="store_true",
                    help="run the program under python3 (parity test)")
    ap.add_argument("--python-exe", default=sys.executable,
                    help="the python3 for --python (default: this one, %(default)s)")
    ap.add_argument("--update", action="store_true",
                    help="with --python: write PROGRAM.out from python3's output")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                    help="seconds before the program is killed (default %(default)g, "
                         "or $GILSCOPE_TEST_TIMEOUT)")
    ap.add_argument("--check-listed", metavar="DIR",
                    help="check that DIR's programs are exactly the NAMEs given")
    ap.add_argument("paths", nargs="*", help="GILSCOPE PROGRAM.py | PROGRAM.py | NAME...")
    args = ap.parse_args(argv)
    try:
        if args.check_listed:
            return check_listed(args.check_listed, args.paths)
        if args.update and not args.python:
            ap.error("--update needs --python")
        if args.python:
            if len(args.paths) != 1:
                ap.error("--python takes one PROGRAM.py")
            return run_python(args.python_exe, args.paths[0], args.timeout, args.update)
        if len(args.paths) != 2:
            ap.error("expected GILSCOPE PROGRAM.py")
        return run_gilscope(args.paths[0], args.paths[1], args.timeout)
    except Broken as e:
        print("ERROR: %s" % e)
        return ERROR


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
