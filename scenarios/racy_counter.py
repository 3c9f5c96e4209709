# racy_counter -- seed 001's Counter: five threads each add 1 a hundred
# thousand times to a shared attribute, without a lock.
#
# `self.count += 1` is LOAD_ATTR, INPLACE_ADD, STORE_ATTR: if the running
# thread is switched out between the read and the write, another thread's
# updates are overwritten.  CPython 2.7 and 3.9 may switch there, and lose
# updates; 3.10 and later never switch inside that window (see
# docs/scheduling.md).
#
#   gilscope run --cpython 2.7 scenarios/racy_counter.py [N_INCREASE [N_THREADS]]
import sys
import threading


class Counter:
    def __init__(self):
        self.count = 0

    def increase(self, n):
        for _ in range(n):
            self.count += 1


def main():
    n_increase = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    n_threads = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    counter = Counter()
    threads = []
    for i in range(n_threads):
        t = threading.Thread(target=counter.increase, args=(n_increase, ))
        threads.append(t)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = n_increase * n_threads
    print(counter.count)
    print(f"expected {expected}, lost {expected - counter.count} updates "
          f"({100 * (expected - counter.count) / expected:.1f} %)")


main()
