# LOAD_GLOBAL sees every change of the globals and the builtins, however
# often it has run before (eval.c caches what it found per code object).
import builtins


def f():
    return x


x = 1
print(f())
x = 2
print(f())
del x
try:
    f()
except NameError as e:
    print(e)
x = 5
print(f())
for i in range(3):
    x = i
    print(f(), f())


def g():
    return len("abc")


print(g())
len = lambda s: 42          # a global now hides the builtin
print(g())
del len
print(g())
builtins.len = lambda s: 7  # the builtin itself replaced
print(g())
del builtins.len
try:
    g()
except NameError as e:
    print(e)
