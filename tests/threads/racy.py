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


# Three attempts make a miss of a possible loss vanishingly rare.
lost = any([attempt(20000, 5) < 100000 for _ in range(3)])
want = sys.argv[1]
print("lost updates:", lost, "expected:", want)
sys.exit(0 if lost == (want == "lost") else 1)
