# gilscope: dis
# List and dict comprehensions with several for / if clauses, conditions
# with and / or / not, and closures over the function's locals.
squares = [x * x for x in range(5) if x % 2]
pairs = {k: v for k, v in [(1, 2), (3, 4)] if k and v}


def f(l, k):
    a = [x + k for x in l if x > 0 and x < 10]
    b = [(x, y) for x in l for y in range(x) if not y or y == k]
    c = {x: k for x in l}
    return a, b, c
