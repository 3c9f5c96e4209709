# gilscope-only
# gilscope-args: --cpython 2.7
import sys
import threading

sys.setcheckinterval(10)


class Counter2:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def increase(self, n):
        for _ in range(n):
            self.lock.acquire()
            self.count += 1
            self.lock.release()


c = Counter2()
ts = [threading.Thread(target=c.increase, args=(20000,)) for _ in range(5)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(c.count)
