# gilscope-only
# Containers nested 200000 deep, in a thread (64 MiB of stack): freeing,
# printing, comparing and hashing them must not run off the C stack.
import threading


def work():
    a = []
    b = []
    t = ()
    for i in range(200000):
        a = [a]
        b = [b]
        t = (t,)
    for what, f in (("repr", lambda: repr(a)), ("==", lambda: a == b),
                    ("hash", lambda: hash(t)), ("<", lambda: t < (t,))):
        try:
            f()
            print(what, "done")
        except RecursionError:
            print(what, "RecursionError")
    del a, b, t
    print("freed")


th = threading.Thread(target=work)
th.start()
th.join()
s = {}
s[1] = s
l = []
l.append(l)
print(s, l, l == l)
