# Python-to-Python calls run inside one eval loop (eval.c, INLINE CALLS):
# returns, exceptions through several frames, handlers in callers,
# recursion up to the limit and past it, closures, defaults, methods and
# a function that lives only on the stack while it runs.
import sys


def f(n):
    if n == 0:
        raise ValueError("bottom")
    return f(n - 1) + 1


try:
    f(5)
except ValueError as e:
    print("caught", e)


def deep(n):
    return 0 if n == 0 else deep(n - 1) + 1


print(deep(900))
try:
    deep(100000)
except RecursionError as e:
    print("RecursionError caught")
print(deep(10))
print((lambda x: x * 2)(21))


class C:
    def __init__(self, v):
        self.v = v

    def get(self, k=1):
        return self.v * k

    def bad(self):
        return self.missing


c = C(4)
print(c.get(), c.get(3), C.get(c))
try:
    c.bad()
except AttributeError as e:
    print("attr:", e)


def g(a, b=2, *rest, **kw):
    return (a, b, rest, sorted(kw.items()))


print(g(1), g(1, 3, 4, 5, x=6))


def outer():
    x = 10

    def inner(y):
        return x + y
    return inner(5)


print(outer())


def tryfin(n):
    try:
        return f(n)
    finally:
        print("finally", n)


try:
    tryfin(2)
except ValueError:
    print("after finally")


def rec_exc(n):
    try:
        return rec_exc(n + 1)
    except RecursionError:
        return n


print(rec_exc(0) > 100)


def returns_in_loop():
    for i in range(3):
        if i == 1:
            return i * 10
    return -1


print(returns_in_loop())
print(sum([deep(3) for _ in range(1000)]))
print(sys.getrecursionlimit() > 100)
