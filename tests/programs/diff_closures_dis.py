# gilscope: dis
# Closures: cells for locals and arguments, LOAD_DEREF / STORE_DEREF,
# nonlocal, a closure passed through a middle function, a lambda, and a
# class body reading an enclosing local (LOAD_CLASSDEREF).
def counter(start):
    n = start

    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc


def outer(x):
    def middle():
        def inner():
            return x
        return inner
    return middle()()


def adder(k):
    return lambda v: v + k


def make_class(v):
    class C:
        attr = v

        def get(self):
            return v
    return C
