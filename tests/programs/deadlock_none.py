# gilscope-only: waits that do end are not deadlocks, on the simulated clock.
# gilscope-args: --clock sim --timeout 60
import threading
import time

done = threading.Event()
lock = threading.Lock()
blocked = threading.Lock()
blocked.acquire()


def setter():
    time.sleep(0.05)    # a timer is pending: the waits below can still end
    with lock:
        done.set()


def stuck_daemon():
    blocked.acquire()   # waits for ever, but as a daemon: left behind at exit


threading.Thread(target=stuck_daemon, daemon=True).start()
t = threading.Thread(target=setter)
with lock:
    t.start()
    time.sleep(0.01)
print("waited:", done.wait())
print("timed out:", blocked.acquire(timeout=0.2))
t.join()
r = threading.RLock()
with r:
    with r:
        print("an RLock is re-entrant")
print("done")
