# Finalizers inside cycle collections while threads run: each thread
# drops cycles of objects whose __del__ takes a lock and sleeps (letting
# the GIL go), so the collector's gc_start / gc_end events enclose calls,
# GIL switches and other threads' work.  The trace must keep its
# invariants (tests/check_trace.py) and every __del__ must run once.
import gc
import threading
import time

lock = threading.Lock()
finalized = [0]


class Node:
    def __init__(self):
        self.other = None

    def __del__(self):
        with lock:
            finalized[0] += 1
        if finalized[0] % 50 == 0:
            time.sleep(0.0005)


def churn(n):
    for i in range(n):
        a = Node()
        b = Node()
        a.other = b
        b.other = a
        if i % 100 == 0:
            gc.collect()


threads = [threading.Thread(target=churn, args=(600,)) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
gc.collect()
print("finalized", finalized[0])
