# gilscope-only: writes and removes a scratch file in /tmp
# Threads reading one file at once: each read releases the GIL, and the
# read-ahead buffer must not be reallocated under another thread's read
# (it was: heap-use-after-free in fileio.c fill()).
import os
import threading

name = "/tmp/gilscope-crash-file-threads-%d.txt" % os.getpid()
f = open(name, "w")
for i in range(20000):
    f.write("line %d %s\n" % (i, "x" * (i % 200)))
f.close()

f = open(name)
counts = [0, 0, 0, 0]


def reader(k):
    while True:
        line = f.readline()
        if not line:
            break
        counts[k] += 1


threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
f.close()
os.remove(name)
# Which thread gets which line is up to the scheduler (and CPython's own
# buffered readline is not thread-safe either): only check it all ran.
print("done", sum(counts) > 0)
