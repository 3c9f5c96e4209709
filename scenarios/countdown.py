# countdown -- David Beazley's GIL benchmark, as in the "Let's talk about
# the GIL" slides: count a number down to zero, and time it.
#
#   build/gilscope run scenarios/countdown.py [COUNT]
#   python3 scenarios/countdown.py [COUNT]
#
# This is the sequential half.  The slides then split the same work
# between two threads and find it *slower* (0.63 s against 0.91 s): that
# half arrives with threads and the GIL in a later issue.
import sys
import time


def countdown(n):
    while n > 0:
        n -= 1


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    start = time.perf_counter()
    countdown(count)
    elapsed = time.perf_counter() - start
    print(f"countdown({count}) sequential: {elapsed:.3f} s")


main()
