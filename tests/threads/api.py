# gilscope-only: thread names follow CPython 3.9 ("Thread-1", not 3.10's "Thread-1 (work)")
import threading
import time

results = []
lock = threading.Lock()


def work(n, scale=1):
    with lock:
        results.append(n * scale)


class Worker(threading.Thread):
    def __init__(self, **kwargs):
        threading.Thread.__init__(self)
        self.param = kwargs.get('foo')

    def run(self):
        work(self.param, scale=10)


ts = [threading.Thread(target=work, args=(i,), kwargs={'scale': 2}) for i in range(3)]
ts.append(Worker(foo=7))
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(results))
print([t.name for t in ts])
print([t.is_alive() for t in ts], threading.active_count())
print(threading.current_thread().name, threading.main_thread().name)

# Event: one thread waits, another sets it.
ev = threading.Event()
seen = []
def waiter():
    seen.append(ev.wait(5))
w = threading.Thread(target=waiter)
w.start()
time.sleep(0.05)
ev.set()
w.join()
print("event:", seen, ev.is_set(), ev.wait(0))
ev.clear()
print("cleared, wait(0.01):", ev.wait(0.01))

# Lock: timeouts and non-blocking tries.
l = threading.Lock()
print(l.acquire(), l.locked(), l.acquire(False), l.acquire(True, 0.01))
l.release()
print(l.locked())
try:
    l.release()
except RuntimeError as e:
    print("RuntimeError:", e)

# RLock: the owner may take it again.
r = threading.RLock()
with r:
    with r:
        print("rlock twice")
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError:", e)

# join with a timeout on a thread that is still running.
slow = threading.Thread(target=time.sleep, args=(0.3,))
slow.start()
slow.join(0.01)
print("still alive after join(0.01):", slow.is_alive())
slow.join()
print("alive after join():", slow.is_alive())
try:
    slow.start()
except RuntimeError as e:
    print("RuntimeError:", e)

# names, idents
t = threading.Thread(target=work, args=(0,), name="custom")
print(t.name, t.ident)
t.start()
t.join()
print(t.ident is not None)
