# gilscope-only: sys.getrefcount and gc.collect() counts, and the shared empty frozenset, are CPython 3.9's
import gc
import sys

class Node:
    pass

a = Node()
print(sys.getrefcount(a))
s = {a}
print(sys.getrefcount(a))
s.add(a)
print(sys.getrefcount(a))
t = s.copy()
u = s | t
print(sys.getrefcount(a))
del t, u
print(sys.getrefcount(a))
s.discard(a)
print(sys.getrefcount(a))
s = {a}
x = s.pop()          # x is a: the set's reference passes to x
print(sys.getrefcount(a), sys.getrefcount(s))
s = {1, 2, 3}
for item in s:
    pass
print(sys.getrefcount(s))
it = iter(s)
print(sys.getrefcount(s))
del it
print(sys.getrefcount(s))
f = frozenset([a])
print(sys.getrefcount(f), sys.getrefcount(a))
g = frozenset(f)
print(g is f, sys.getrefcount(f))
del s, x, f, g, item

gc.collect()
n = Node()
n.peers = {n}
del n
print(gc.collect())

m = Node()
m.frozen = frozenset([m, 1])
del m
print(gc.collect())

p = Node()
q = Node()
p.s = {q}
q.s = {p}
del p, q
print(gc.collect())
print(sys.getrefcount(a))

# 3.9 hands out one empty frozenset (3.10 and later make a new one)
e = frozenset()
print(frozenset() is e, frozenset([]) is e, frozenset(set()) is e, e | e is e, e.copy() is e)
