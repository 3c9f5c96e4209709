# gilscope: dis
# Set displays (BUILD_SET; three or more constants become BUILD_SET 0 and
# SET_UPDATE of a frozenset constant), {*a, *b}, set comprehensions
# (SET_ADD), and 3.9's folding of `x in {...}` and `for x in {...}` into a
# frozenset constant -- colliding keys show the order dis prints.
a = {1, 2}
b = {1, 2, 3}
c = {x, 1, 2}
d = {*a, *b}
e = {0, *a, 4}
f = {y * 2 for y in a if y}
g = x in {1, 2, 3}
h = x not in {'a'}
for z in {3, 1, 2}:
    pass
k = [w for w in {5, 6}]
m = set()
n = frozenset([1, 2])
p = {(1, 2), (3, 4), 5}
q = x in {1, x}
r = {1, 2} | {3}
s = x in {8, 16, 0, 24, 1, 9}
def fn(t):
    t |= {1}
    t &= {2}
    t -= {3}
    t ^= {4}
    return {i for i in t}, t in {frozenset([1]), 2}
