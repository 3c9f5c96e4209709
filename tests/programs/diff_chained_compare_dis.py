# gilscope: dis
# Chained comparisons in value position, in if / while conditions, in a
# comprehension condition and combined with and / or / not.
def f(a, b, c):
    v = a < b <= c != a
    if 0 < a < 10:
        v = not a == b == c
    while a < b < c:
        a += 1
    w = [x for x in range(10) if 1 < x < 4 or x is not None is not a]
    return v, w, a < b and b < c < 10
