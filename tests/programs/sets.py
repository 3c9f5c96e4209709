# Sets and frozensets: displays, comprehensions, set() and frozenset() of
# any iterable, membership, iteration, comparison, repr.  Sets of ints and
# of tuples of ints print in CPython's order (gilscope hashes them as
# CPython does); sets of strs are sorted first (CPython randomizes str
# hashes).
a = {3, 1, 2}
print(a, len(a), type(a).__name__)
print({1, 9, 17, 2}, {100, 7, 64, -5, 0}, {(1, 2), (2, 1), 0})
print({True, 1, 1.0}, {0, False}, {2, 2, 2})
print(set(), frozenset(), set([]), frozenset(()))
print(set([5, 3, 5, 1]), set((8, 4)), set(range(10, 0, -3)), set({'k': 1}), frozenset({7: 'x', 3: 'y'}))
print(sorted(set('hello')), sorted(frozenset('abcab')))
xs = [4, 5]
ys = (5, 6)
print({*xs, *ys}, {0, *xs, 9, *ys}, {*range(3)}, {*'aa'})
print({n * n for n in range(-3, 4)}, {n % 3 for n in range(10) if n > 2})
print({(i, j) for i in range(2) for j in range(2)})
print(frozenset(x for x in [3, 3, 4]), set(map(abs, [-1, 1, -2])))

# membership (the literal ones are folded into frozenset constants)
x = 2
print(x in a, x not in a, 7 in a, x in {1, 2, 3}, x in {5, 6}, 'b' in {'a', 'b'})
print(2.0 in a, True in {1}, (1, 2) in {(1, 2)}, None in {None})
for v in {30, 10, 20}:
    print(v, end=' ')
print()
print([v * 2 for v in {4, 2}], list({9, 8}), tuple(frozenset([6, 5])))

# comparisons: subset and superset, sets with frozensets
b = frozenset([1, 2])
print(a == {1, 2, 3}, a != {1, 2, 3}, b == {1, 2}, {1, 2} == b, b != a)
print(b < a, b <= a, a > b, a >= b, a < a, a <= a, a > a, {1} < {2}, {1} > {2})
print(a == [1, 2, 3], a == (1, 2, 3), set() == frozenset(), set() == {})

# builtins that take iterables
print(sorted(a), sorted(a, reverse=True), min(a), max(b), sum(a), sum(b, 10))
print(len(b), bool(set()), bool({0}), any({0, ''}), all({1, 'x'}), all(set()))
print(sorted({'pear', 'fig', 'apple'}), max({'pear', 'fig'}), ''.join(sorted({'c', 'a'})))

# hashing: frozensets are hashable, equal ones alike; sets are not
print(hash(frozenset()), hash(frozenset([1, 2, 3])), hash(frozenset({(1, 2), 3})))
print(hash(frozenset([1, 2])) == hash(frozenset([2, 1])), frozenset([1]) in {frozenset([1]): 'v'})
d = {frozenset([1, 2]): 'pair', frozenset(): 'none'}
print(d[frozenset([2, 1])], d[frozenset()])
print({1, 2} in {frozenset([1, 2])}, {frozenset([1]), frozenset([1])})
nested = frozenset([frozenset([1]), frozenset([2, 3])])
print(len(nested), frozenset([1]) in nested, {1} in nested)

# repr: empty, nested, and a set met again while it is being printed
print(repr(set()), repr(frozenset()), repr({frozenset()}), str({1}), [{1}, (frozenset([2]),)])

class Loop:
    def __init__(self, owner):
        self.owner = owner
    def __repr__(self):
        return 'Loop(' + repr(self.owner) + ')'

s = set()
s.add(Loop(s))
print(s)
fz_holder = []
fz = frozenset([Loop(fz_holder)])
fz_holder.append(fz)
print(fz)

# frozenset(f) is f; copies of sets are new sets
f1 = frozenset([1, 2])
print(frozenset(f1) is f1, f1.copy() is f1, set(f1) is f1, a.copy() is a, a.copy() == a)
