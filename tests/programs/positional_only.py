# Positional-only parameters (PEP 570) and keyword-only corners: the `/`
# in def and lambda, co_posonlyargcount, and CPython's errors for calls
# that do not fit.
def f(a, b, /, c, d=4, *, e, f=6):
    return a, b, c, d, e, f

print(f(1, 2, 3, e=5))
print(f(1, 2, c=3, d=7, e=5))
code = f.__code__
print(code.co_posonlyargcount, code.co_argcount, code.co_kwonlyargcount, code.co_varnames)


def attempt(call):
    try:
        print(call())
    except TypeError as e:
        print("TypeError:", e)


attempt(lambda: f(1, b=2, c=3, e=5))
attempt(lambda: f(a=1, b=2, c=3, e=5))
attempt(lambda: f(1, 2, 3))
attempt(lambda: f(1, 2, 3, 4, 5, e=1))
attempt(lambda: f(1, e=3, c=1))
attempt(lambda: f(1, 2, 3, e=5, g=1))
attempt(lambda: f(1, 2, 3, e=5, a=1))

# With **kwargs, a positional-only name is free to be a keyword too.
def g(a, /, **kw):
    return a, kw

print(g(1, a=2))
print(g(1, b=2, a=3))

h = lambda x, /, y=2: (x, y)
print(h(1), h(1, y=3), h.__code__.co_posonlyargcount)
attempt(lambda: h(x=1))

def k(a=1, /, b=2):
    return a, b

print(k(), k(5), k(b=7), k.__defaults__)

# Keyword-only corners.
def kw(a, *, k):
    return a, k

def kw2(a, b=1, *, k, j=2):
    return a, b, k, j

print(kw(1, k=2), kw2(1, k=3), kw2.__kwdefaults__)
attempt(lambda: kw(1, 2, k=3))
attempt(lambda: kw(1, 2, z=3))
attempt(lambda: kw2(1, 2, 3, k=1, j=2))
attempt(lambda: kw2(1, 2, 3, k=1))
attempt(lambda: kw(1, 2))
attempt(lambda: kw(1, 2, a=1))
attempt(lambda: kw(1))
attempt(lambda: kw2(k=1))
attempt(lambda: kw(1, k=1, k2=2))

def nothing():
    pass

attempt(lambda: nothing(1))
attempt(lambda: nothing(1, 2))
