# Loops whose bytecode is the same under CPython 2.7 and 3.9 (tick_parity.py
# counts the ticks of one iteration of each).  Runs under python2.7 too.
import sys
import threading

lock = threading.Lock()

def countdown(n):
    while n > 0:
        n -= 1

def compare(n):
    for i in range(n):
        x = i < 5

class Counter(object):
    count = 0   # a class attribute: the first += makes an instance one

    def locked(self, n):
        for _ in range(n):
            lock.acquire()
            self.count += 1
            lock.release()

    def racy(self, n):
        for _ in range(n):
            self.count += 1

def noop():
    pass


def pycall(n):
    for i in range(n):
        noop()


def builtin(n):
    for i in range(n):
        abs(i)

LOOPS = {"countdown": countdown, "compare": compare, "racy": Counter().racy,
         "locked": Counter().locked, "builtin": builtin, "pycall": pycall}

if __name__ == "__main__":
    LOOPS[sys.argv[1]](int(sys.argv[2]))
