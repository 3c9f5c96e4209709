# gilscope-only: CPython hangs here; gilscope's simulated machine sees that
# no thread can ever run again, stops with status 3 and says why.
# gilscope-args: --clock sim --timeout 60
import threading

lock = threading.Lock()
lock.acquire()
print("got it once")
lock.acquire()          # a Lock is not re-entrant: this waits for ever
print("never printed")
