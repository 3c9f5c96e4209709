def f(x, *args, k=1, **kw):
    return x, args, k, kw
print(f(1, 2, 3, k=4, z=5))
print(f(1))
def g(*a):
    return a
print(g(), g(1, 2))
print(f.__code__.co_varnames)
