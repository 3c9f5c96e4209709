# The golden trace of tests/sim_fidelity.py: a little of everything the
# simulated clock schedules -- two threads fighting for the old GIL, a lock,
# a sleep, a file read.  Its trace must never change by accident.
import threading
import time


def work(n, lock, out):
    while n > 0:
        n -= 1
    with lock:
        out.append(n)
    time.sleep(0.001)


lock = threading.Lock()
out = []
threads = [threading.Thread(target=work, args=(2000, lock, out)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(__file__) as f:
    f.read()
print(len(out))
