# *args and **kwargs parameters collect the extra arguments (the code
# object needs CO_VARARGS / CO_VARKEYWORDS in co_flags).
def f(*args, **kwargs):
    return args, kwargs


def g(a, *rest, k=0, **kw):
    return a, rest, k, kw


print(f())
print(f(1, 2, x=3))
print(g(1, 2, 3, k=4, z=5))
print((lambda *a, **k: (a, k))(1, b=2))
print(f.__code__.co_flags & 12, g.__code__.co_flags & 12)


class CM:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        print("exit", exc[0])


with CM():
    print("body")
