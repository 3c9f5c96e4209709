# gilscope-only: reference counts of CPython 3.9
# CPython 3.9 keeps the parser's arena alive while the main program runs,
# and it holds one reference to every literal of the file: a constant's
# count is co_consts + the name + the argument + 1 = 4, for str, float,
# int and tuple constants alike, at module level and in a function.
import sys

s = 'two words'
print(sys.getrefcount(s))
t = 'ident'
print(sys.getrefcount(t))
u = 1.5
print(sys.getrefcount(u))
v = (1, 2)
print(sys.getrefcount(v))
w = 12345
print(sys.getrefcount(w))


def f():
    x = 'in func'
    return sys.getrefcount(x)


print(f())
