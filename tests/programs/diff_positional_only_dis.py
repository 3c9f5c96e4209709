# gilscope: dis
# Positional-only parameters change nothing in the bytecode but the code
# object's counts; defaults span both kinds of positional parameter.
def f(a, b=1, /, c=2, *, d, e=3):
    return a + b + c + d + e

g = lambda x, /, y=0: x - y
print(f.__code__.co_posonlyargcount, g.__code__.co_posonlyargcount)
