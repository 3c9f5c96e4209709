# gilscope-only: --deadlock-wait 0 hangs on a deadlock as CPython does,
# until --timeout stops it.
# gilscope-args: --deadlock-wait 0 --timeout 1
import threading

lock = threading.Lock()
lock.acquire()
print("waiting for ever")
lock.acquire()
