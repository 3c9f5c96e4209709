# gilscope-only: 3.9 checks after LOAD_ATTR and INPLACE_ADD, inside the window
# gilscope-args: --cpython 3.9
import sys
import threading

# Switch often, so that a switch inside the window is all but certain.
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


# Losses are all but certain; three attempts make a miss vanishingly rare.
lost = any([attempt(20000, 5) < 100000 for _ in range(3)])
print("lost updates:", lost)
