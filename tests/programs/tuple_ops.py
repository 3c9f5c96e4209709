# tuples: literals, reprs, indexing, unpacking.
t = (1, 2, 3)
print(t, t[0], t[-1], len(t))
print((), (1,), (1, 2), ((1, 2), (3,)))
print(tuple([4, 5]), tuple("ab"), tuple())
print(t + (4,), t * 2, 2 in t, 9 not in t)
print(t.count(2), t.index(3))
a, b, c = t
print(a, b, c)
x = 5, 6
print(x, type(x))
(p, q), r = (1, 2), 3
print(p, q, r)
print((1, 2) < (1, 3), (1, 2) == (1, 2), (2,) > (1, 99))
print(("a", 1.5, None, True))
def pair():
    return "left", "right"
l, rr = pair()
print(l, rr, pair())
