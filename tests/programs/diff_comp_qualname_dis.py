# gilscope: dis
# A comprehension is not a function scope for __qualname__: code nested
# in it is '<listcomp>.<listcomp>', not '<listcomp>.<locals>.<listcomp>'.
m = [[y for y in range(x)] for x in range(3)]
n = [lambda: x for x in range(2)]
