# gilscope-only: reference counts are CPython implementation details (seed 001)
import sys


def foo():
    a = []
    b = a
    print(sys.getrefcount(a))

    del b
    print(sys.getrefcount(a))

foo()

# The same at module level: the names live in the module's dict.
a = []
b = a
print(sys.getrefcount(a))
del b
print(sys.getrefcount(a))
c = [a, a]
print(sys.getrefcount(a))
c.pop()
print(sys.getrefcount(a))
