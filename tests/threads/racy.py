# racy.py lost|exact -- seed 001's racy counter, checking the outcome the
# CPython being imitated must produce: `lost` (2.7 and 3.9 switch threads
# between LOAD_ATTR and STORE_ATTR of `self.count += 1`) or `exact` (3.10+
# never do).  Exit status 0 if the outcome is the expected one.
import sys
import threading

# Switch often (interval policy), so a switch inside the window is all but
# certain where one is possible; the tick policy switches every 100 ticks.
sys.setswitchinterval(1e-5)


class Counter:
    def __init__(self):
        self.count = 0

    def increase(self, n):
        for _ in range(n):
            self.count += 1


def attempt(n, k):
    c = Counter()
    ts = [threading.Thread(target=c.increase, args=(n,)) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return c.count


# Each thread must still be running when the others start and ask for the
# GIL; on a loaded machine a short run can finish first, with no switch at
# all (20,000 increments a thread once did, after the interpreter got
# faster).  So: 100,000 each, and for `lost`, up to ten attempts, stopping
# at the first loss; `exact` always makes three.
want = sys.argv[1]
tries = 10 if want == "lost" else 3
lost = False
for _ in range(tries):
    if attempt(100000, 5) < 500000:
        lost = True
        break
print("lost updates:", lost, "expected:", want)
sys.exit(0 if lost == (want == "lost") else 1)
