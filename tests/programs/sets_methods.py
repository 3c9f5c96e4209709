# The methods and operators of set and frozenset.  Where keys were removed
# and others added after, sorted() is printed: CPython 3.9 and 3.11 order
# such sets differently (3.11 reuses the removed keys' slots;
# sets_order_39 checks 3.9's order).
a = {1, 2, 3, 4}
b = {3, 4, 5}
f = frozenset([4, 5, 6])

print(a | b, a & b, a - b, sorted(a ^ b), b - a)
print(a | f, a & f, a - f, sorted(a ^ f))
print(f | a, f & a, f - a, sorted(f ^ a), type(f | a).__name__, type(a | f).__name__)
print(a.union(b, [9], range(2)), a.union(), a.union(a), f.union('') == f)
print(a.intersection(b, f), a.intersection(), a.intersection([2, 3, 7], (3, 2)))
print(a.difference(b), a.difference(), a.difference([1], {2}), a.difference({}))
print(a.difference({1: 'x', 9: 'y'}), a.difference(a), f.difference(range(5)))
print(sorted(a.symmetric_difference([4, 10])), sorted(a.symmetric_difference({5: 0})))
print(sorted(f.symmetric_difference(a)), type(f.symmetric_difference(a)).__name__)
print(a.issubset(range(10)), a.issubset(b), a.issuperset([1, 2]), a.issuperset(b))
print(a.isdisjoint(b), a.isdisjoint([7, 8]), a.isdisjoint(a), set().isdisjoint(set()))
print(f.isdisjoint(iter([6])), f.issubset(f), f.issuperset(()))

# the updating forms keep the set's identity
s = {1, 2}
t = s
s.update([3], (4, 5), {6: None})
s |= {7}
print(s, s is t)
s &= {1, 2, 3, 4, 5, 10}
print(s, s is t)
s -= {5}
print(s, s is t)
s ^= {1, 20}
print(sorted(s), s is t)
s.intersection_update(range(10), [2, 3, 4, 99])
print(sorted(s), s is t)
s.difference_update([2], (4,))
print(sorted(s), s is t)
s.symmetric_difference_update([3, 8])
print(sorted(s), s is t)
s.update()
s.difference_update()
s.intersection_update()
print(sorted(s))

# a frozenset's in-place operators make a new frozenset
g = frozenset([1, 2])
h = g
g |= {3}
print(g, h, g is h)

# add, remove, discard, pop, clear, copy
s = set()
s.add(5)
s.add(5)
s.add((1, 2))
print(s, len(s))
s.remove(5)
s.discard(5)
s.discard((1, 2))
print(s, len(s))
s = {4, 12, 20, 3}
print(s.pop(), s.pop(), s.pop(), s.pop(), s)
s = set(range(5))
c = s.copy()
s.clear()
print(s, c, len(s), s == set())
s.add(1)
print(s)

# x in s where x is a set looks for the equal frozenset
fs = {frozenset([1, 2]), frozenset()}
print({1, 2} in fs, set() in fs, {3} in fs)
fs.discard(set())
fs.remove({2, 1})
print(fs)

# dict views are set-like
d = {1: 'a', 2: 'b', 3: 'c'}
e = {2: 'x', 4: 'y'}
print(d.keys() & {1, 2}, d.keys() | [7], d.keys() - {1}, sorted(d.keys() ^ e.keys()))
print({2, 3} & d.keys(), [9] | d.keys(), {1, 5} - d.keys(), d.keys() & e.keys())
print(d.items() & {(1, 'a'), (2, 'z')}, sorted(d.items() - {(1, 'a')}))
print(d.keys() == {1, 2, 3}, {1, 2, 3} == d.keys(), d.keys() <= {1, 2, 3, 4}, d.keys() > {1})
print(d.keys() != frozenset([1]), d.items() == {(1, 'a'), (2, 'b'), (3, 'c')})
print(set(d), set(d.values()) == {'a', 'b', 'c'}, frozenset(d.items()) == d.items())

# sets of sizes that grow the table and shrink it back
big = set(range(100))
print(len(big), sum(big), min(big), max(big))
big.difference_update(range(0, 100, 2))
print(len(big), sum(big))
big = {i * 1000 for i in range(50)}
print(sorted(big)[:5], len(big), 49000 in big, 49001 in big)
