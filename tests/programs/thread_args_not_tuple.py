# Thread(args=...) is not checked when the Thread is made: as in CPython,
# args=5 fails in the new thread, when run() calls target(*5); the thread
# reports the TypeError ("Exception in thread Thread-1:") and the main
# thread carries on.  Any iterable will do for args, any mapping for kwargs.
import threading


def f(*args, **kwargs):
    print("f got", args, kwargs)


t = threading.Thread(target=f, args=5)
t.start()
t.join()
print("main continues; alive:", t.is_alive())

for args in ([1, 2], "ab", range(3)):
    t = threading.Thread(target=f, args=args, kwargs={"k": 1})
    t.start()
    t.join()

t = threading.Thread(target=f, args=(), kwargs=[("k", 1)])
t.start()
t.join()
print("done")
