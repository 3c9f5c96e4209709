# __del__ runs in the thread that drops the last reference, and may
# itself take locks and let other threads run.
import threading

lock = threading.Lock()
log = []


class Owned:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        with lock:
            log.append((self.name, threading.current_thread().name))


def worker(obj_box):
    obj = obj_box.pop()
    del obj          # the last reference: __del__ runs here, in the worker


box = [Owned("dropped by worker")]
t = threading.Thread(target=worker, args=(box,), name="worker")
t.start()
t.join()
Owned("dropped by main")
for entry in log:
    print(entry)

# Many threads dropping many objects: every __del__ runs exactly once.
count = [0]


class Counted:
    def __del__(self):
        with lock:
            count[0] += 1


def churn(n):
    for i in range(n):
        c = Counted()
        c.self_ref = None


threads = [threading.Thread(target=churn, args=(2000,)) for _ in range(4)]
for th in threads:
    th.start()
for th in threads:
    th.join()
print("finalized:", count[0])
