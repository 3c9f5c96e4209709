# gilscope-only: CPython hangs here; the simulated machine finds the cycle.
# gilscope-args: --clock sim --timeout 60
import threading
import time

a = threading.Lock()
b = threading.Lock()


def first():
    with a:
        time.sleep(0.01)
        with b:
            print("first: never")


def second():
    with b:
        time.sleep(0.01)
        with a:
            print("second: never")


t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
print("started")
t1.join()
t2.join()
