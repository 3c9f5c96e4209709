# locked_counter -- seed 001's Counter2: the same five threads, but each
# `self.count += 1` happens while holding a threading.Lock.  The total is
# always exact -- and the run is much slower, since every increment now
# acquires and releases a lock (and waits for it when another thread has it).
#
#   gilscope run scenarios/locked_counter.py [N_INCREASE [N_THREADS]]
import sys
import threading
import time


class Counter2:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def increase(self, n):
        for _ in range(n):
            self.lock.acquire()
            self.count += 1
            self.lock.release()


def main():
    n_increase = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    n_threads = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    counter2 = Counter2()
    threads = []
    for i in range(n_threads):
        t = threading.Thread(target=counter2.increase, args=(n_increase, ))
        threads.append(t)
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    print(counter2.count)
    print(f"expected {n_increase * n_threads}, took {elapsed:.3f} s")


main()
