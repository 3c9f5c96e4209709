# Errors from sets and frozensets: the messages are CPython's.
def attempt(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, '->', type(e).__name__ + ':', e)
    else:
        print(label, '=', r)

s = {1, 2, 3}
attempt('remove missing', lambda: s.remove(10))
attempt('remove tuple', lambda: s.remove((1, 2)))
attempt('pop empty', lambda: set().pop())
attempt('add list', lambda: s.add([1]))
attempt('unhashable in display', lambda: {[1], 2})
attempt('hash set', lambda: hash({1}))
attempt('set as key', lambda: {{1}: 2})
attempt('set in set', lambda: {1} in {frozenset({1})})
attempt('set in set missing', lambda: {2} in {frozenset({1})})
attempt('list in set', lambda: [1] in {1})
attempt('dict in set', lambda: {} in {1})
attempt('discard set', lambda: s.discard({1}))
attempt('remove set', lambda: {frozenset({1})}.remove({1}))
attempt('remove missing set', lambda: {frozenset({1})}.remove({2}))
attempt('or list', lambda: s | [4])
attempt('and tuple', lambda: s & (1,))
attempt('sub int', lambda: s - 1)
attempt('xor str', lambda: s ^ 'a')
attempt('ror', lambda: [4] | s)
attempt('lt int', lambda: s < 1)
attempt('ge list', lambda: s >= [1])
attempt('eq list', lambda: s == [1, 2, 3])
attempt('ne tuple', lambda: s != (1, 2, 3))
attempt('set(int)', lambda: set(5))
attempt('set(1, 2)', lambda: set(1, 2))
attempt('frozenset(1, 2)', lambda: frozenset(1, 2))
attempt('set(x=1)', lambda: set(x=1))
attempt('frozenset(x=1)', lambda: frozenset(x=1))
attempt('update int', lambda: s.update([4], 5))
attempt('union int', lambda: s.union(5))
attempt('issubset int', lambda: s.issubset(3))
attempt('isdisjoint int', lambda: s.isdisjoint(3))
attempt('add no arg', lambda: s.add())
attempt('add two', lambda: s.add(1, 2))
attempt('pop arg', lambda: s.pop(1))
attempt('clear arg', lambda: s.clear(1))
attempt('symdiff none', lambda: s.symmetric_difference())
attempt('frozenset add', lambda: frozenset().add(1))
attempt('frozenset |=', lambda: frozenset() .__ior__)
attempt('index', lambda: s[0])
attempt('item assign', lambda: s.__setitem__)
attempt('star not iterable', lambda: {*1})
attempt('len', lambda: len(s))

def changes_during_iteration():
    t = {1, 2, 3}
    for x in t:
        t.add(x + 10)
attempt('add while iterating', changes_during_iteration)

def removes_during_iteration():
    t = {1, 2, 3}
    for x in t:
        t.discard(x)
attempt('discard while iterating', removes_during_iteration)

def same_size_change():
    t = {1, 2, 3}
    for x in t:
        t.discard(x)
        t.add(x + 100)
    return sorted(t)
attempt('same size change', same_size_change)

it = iter({1, 2})
next(it)
attempt('iterator type', lambda: type(it).__name__)

class Bad:
    def __hash__(self):
        raise ValueError('no hash for you')
attempt('bad hash add', lambda: {1}.add(Bad()))
attempt('bad hash in', lambda: Bad() in {1})

class Eq:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        raise RuntimeError('eq failed')
    def __hash__(self):
        return 1
attempt('bad eq', lambda: {1, Eq(1)} )
attempt('bad eq in', lambda: Eq(2) in {1})
