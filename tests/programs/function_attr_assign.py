# A function's __defaults__, __kwdefaults__, __code__, __name__,
# __qualname__ and __dict__ live in the function itself: assigning them
# changes what a call does, and a value of the wrong type is a TypeError.
def tr(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__ + ":", e)


def f(a, b=2):
    return a + b


def g(a, b=10):
    return a * b


def outer():
    x = 1

    def inner():
        return x
    return inner


f.__defaults__ = (5,)
print(f(1), f.__defaults__)
f.__defaults__ = None
tr(lambda: f(1))
tr(lambda: setattr(f, '__defaults__', [1]))
del f.__defaults__
print(f.__defaults__)
f.__defaults__ = (2,)

f.__code__ = g.__code__
print(f(3), f(3, 4), f.__name__, f.__code__ is g.__code__)
tr(lambda: setattr(f, '__code__', 5))
tr(lambda: delattr(f, '__code__'))
tr(lambda: setattr(f, '__code__', outer().__code__))
tr(lambda: setattr(outer(), '__code__', g.__code__))


def swap_inside():
    swap_inside.__code__ = g.__code__   # the running call goes on with its own code
    return "first call"


print(swap_inside(), swap_inside(6, 7))


def kw(*, k=1):
    return k


kw.__kwdefaults__ = {'k': 42}
print(kw(), kw.__kwdefaults__)
tr(lambda: setattr(kw, '__kwdefaults__', [1]))
kw.__kwdefaults__ = None
tr(lambda: kw())

f.__name__ = "renamed"
f.__qualname__ = "Somewhere.renamed"
print(f.__name__, f.__qualname__, repr(f).split(" at ")[0])
tr(lambda: setattr(f, '__name__', 1))
tr(lambda: delattr(f, '__name__'))
tr(lambda: setattr(f, '__qualname__', None))
f.__doc__ = "set by hand"
print(f.__doc__)
f.__dict__ = {'tag': 'x'}
print(f.tag)
tr(lambda: setattr(f, '__dict__', 1))
tr(lambda: setattr(f, '__globals__', {}))
tr(lambda: setattr(f, '__closure__', None))
