# gilscope-only: uses /tmp, and removes what it creates there
# A file name with a NUL byte must be refused, as CPython does, not cut at
# the NUL: open("/tmp/x\0y", "w") truncated or created /tmp/x.
import os

base = "/tmp/gilscope-crash-open-nul-%d" % os.getpid()
for mode in ("w", "r", "a"):
    try:
        f = open(base + "\x00.txt", mode)
        f.close()
        print(mode, "opened: wrong")
    except ValueError as e:
        print(mode, "ValueError:", e)
try:
    os.remove(base)
    print("a file was created under the cut name: wrong")
except FileNotFoundError:
    print("nothing created")
try:
    open(base + ".txt", "r\x00junk")
    print("mode with a NUL accepted: wrong")
except ValueError:
    print("bad mode: ValueError")
