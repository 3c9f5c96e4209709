# gilscope-only: co_code is CPython 3.9's wordcode (seed 003)
def foo(x, y):
    return x * y + 17

print(foo.__code__.co_varnames)
print(foo.__code__.co_consts)
print([hex(b) for b in foo.__code__.co_code])
print(foo.__code__.co_name, foo.__code__.co_argcount, foo.__code__.co_nlocals)
print(foo(3, 5))
