# Create and drop many objects with __del__: singles freed by reference
# counting, pairs in cycles freed by the collector (automatically, as the
# thresholds trigger it, and by gc.collect()), some resurrected once, and
# suspended generators caught in cycles.  Every finalizer must run
# exactly once: the counts must equal CPython's.  The size is the first
# argument (default 1000000 objects), so that the test can run a smaller
# one under ASan.
import gc
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
calls = [0]
resurrected = []


class Single:
    def __del__(self):
        calls[0] += 1


class Pair:
    def __init__(self):
        self.other = None

    def __del__(self):
        calls[0] += 1


class Phoenix:
    def __init__(self):
        self.me = self

    def __del__(self):
        calls[0] += 1
        resurrected.append(self)


closed = [0]


def suspended(box):
    try:
        yield 1
    finally:
        closed[0] += 1


made = 0
rounds = 0
while made < N:
    rounds += 1
    Single()
    a = Pair()
    b = Pair()
    a.other = b
    b.other = a
    made += 3
    if rounds % 333 == 0:
        Phoenix()
        box = []
        g = suspended(box)
        box.append(g)
        next(g)
        made += 2
    if len(resurrected) > 100:
        resurrected.clear()
del a, b, g, box
gc.collect()
resurrected.clear()
gc.collect()
print("objects made:", made)
print("__del__ calls:", calls[0])
print("generators closed:", closed[0])
print("left over:", len(resurrected), gc.collect())
