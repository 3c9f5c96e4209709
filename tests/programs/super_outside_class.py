# super() in a function nested in a function, with no class around it:
# the program compiles (CPython gives the inner function no __class__
# cell), and super() fails only when it is called.  Compiling this once
# leaked the half-built code objects (found by the compiler's fuzzer).
def f():
    def g(self):
        super()
    return g


def h():
    return lambda: super()


for fn in (f(), h()):
    try:
        if fn.__name__ == 'g':
            fn(1)
        else:
            fn()
    except RuntimeError as e:
        print(type(e).__name__, e)
print(f().__code__.co_freevars, h().__code__.co_freevars)
