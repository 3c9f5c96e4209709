# f(*x) with x not iterable and f(**x) with x not a mapping: the TypeError
# names the function called, as CPython does ("__main__.f() argument after
# * must be an iterable, not int"), for functions, methods, builtins and
# classes.  {**x} and [*x] outside a call word it differently.
def f(*a, **k):
    return a, k


class C:
    def m(self, *a):
        return a


for g in [f, C().m, print, len, C]:
    for call in [lambda: g(*5), lambda: g(**[]), lambda: g(1, *None),
                 lambda: g(*[1], **{"a": 1}, **[]), lambda: g(a=1, **{"a": 2})]:
        try:
            call()
        except TypeError as e:
            print(e)
for build in [lambda: {**[1]}, lambda: [*5], lambda: (1, *None)]:
    try:
        build()
    except TypeError as e:
        print(e)
print(f(*"ab", **{"k": 1}), f(*range(2)))
