# countdown -- David Beazley's GIL benchmark, from the "Let's talk about the
# GIL" slides: count a number down to zero, once in one thread, then with the
# same work split over several threads.  Under the old GIL (--cpython 2.7) the
# threaded run is *slower* on a multi-core machine; under the new one (3.12)
# it takes about as long as the sequential run.
#
#   gilscope run [--cpython 2.7|3.12] scenarios/countdown.py [COUNT [THREADS]]
#   python3 scenarios/countdown.py [COUNT [THREADS]]
import sys
import threading
import time


def countdown(n):
    while n > 0:
        n -= 1


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    nthreads = int(sys.argv[2]) if len(sys.argv) > 2 else 2

    start = time.perf_counter()
    countdown(count)
    sequential = time.perf_counter() - start
    print(f"countdown({count}) sequential: {sequential:.3f} s")

    threads = [threading.Thread(target=countdown, args=(count // nthreads,))
               for _ in range(nthreads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded = time.perf_counter() - start
    print(f"countdown({count}) in {nthreads} threads: {threaded:.3f} s")
    print(f"threaded / sequential: {threaded / sequential:.2f}")


main()
