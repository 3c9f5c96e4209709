# gilscope: dis
# Starred targets compile to UNPACK_EX (count before the star in the low
# byte, count after it above), at module level, in functions, in for
# loops and comprehensions, nested inside an UNPACK_SEQUENCE.
a, *b = xs
*a, b = xs
a, *b, c, d = xs
[a, *b] = xs
(a, *b), c = xs
x.y, *z[0] = xs

def f(rows):
    first, *rest = rows
    for k, *v in rows:
        print(k, v)
    return [r for *r, _ in rows]
