# io_threads -- blocking calls release the GIL.
#
# Part 1: eight threads each sleep 0.2 s.  They sleep at the same time, so
# the whole takes about 0.2 s, not 1.6 s.  Four threads reading a file
# overlap the same way.
#
# Part 2, the convoy effect (bpo-7946): one thread does many short I/O
# operations -- each a 0.2 ms blocking wait, like a network round trip --
# next to a thread that only computes.  Each operation releases the GIL,
# and the computing thread takes it; to get it back the I/O thread must wait
# until the computing thread lets go.  Under the new GIL (3.2+) that takes a
# whole switch interval (5 ms) per operation; under the old one (2.7) the
# computing thread lets go at its next check, a few microseconds later.
# The script prints the I/O thread's mean time per operation, alone and with
# company.
#
#   gilscope run [--cpython 2.7|3.12] scenarios/io_threads.py [N_READS]
import os
import sys
import threading
import time

# One file per process: several runs may go at once (the test suite).
DATA = f"/tmp/gilscope_io_threads_{os.getpid()}.txt"


def sleeper():
    time.sleep(0.2)


def reader(n):
    for _ in range(n):
        with open(DATA) as f:
            f.read()


def io_worker(n, times):
    for _ in range(n):
        start = time.perf_counter()
        time.sleep(0.0002)          # a short blocking I/O operation
        times.append(time.perf_counter() - start)


def spinner(stop):
    n = 0
    while not stop:
        n += 1


def run_threads(targets):
    threads = [threading.Thread(target=t, args=a) for t, a in targets]
    for t in threads:
        t.start()
    return threads


def main():
    n_ops = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with open(DATA, "w") as f:
        f.write("gilscope\n" * 100)

    start = time.perf_counter()
    for t in run_threads([(sleeper, ()) for _ in range(8)]):
        t.join()
    print(f"8 threads sleeping 0.2 s each: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    for t in run_threads([(reader, (50,)) for _ in range(4)]):
        t.join()
    print(f"4 threads reading a file 50 times each: {time.perf_counter() - start:.3f} s")

    alone = []
    for t in run_threads([(io_worker, (n_ops, alone))]):
        t.join()
    crowded = []
    stop = []
    spin = run_threads([(spinner, (stop,))])
    for t in run_threads([(io_worker, (n_ops, crowded))]):
        t.join()
    stop.append(True)
    for t in spin:
        t.join()
    mean_alone = sum(alone) / len(alone)
    mean_crowded = sum(crowded) / len(crowded)
    print(f"I/O thread, mean time per operation, alone: {mean_alone * 1e6:.0f} us")
    print(f"I/O thread, mean time per operation, next to a CPU-bound thread: "
          f"{mean_crowded * 1e6:.0f} us ({mean_crowded / mean_alone:.1f}x)")
    os.remove(DATA)


main()
