# gilscope-only
# next() on a chain of 250000 map objects recursed in C (gs_iternext) until
# the stack ran out (a thread's 64 MiB under ASan; millions deep without).
# Either the value or a RecursionError is fine; a crash is not.
import threading


def work():
    m = iter([1, 2, 3])
    for i in range(250000):
        m = map(abs, m)
    try:
        next(m)
        print("ok")
    except RecursionError:
        print("ok")


t = threading.Thread(target=work)
t.start()
t.join()
print("joined")
