# gilscope: dis
# CPython 3.9 compiles `for y in [expr]` (one element) inside a
# comprehension as the assignment y = expr (bpo-32856).
def f(l):
    return [x + y for x in l for y in [x * 2]]
