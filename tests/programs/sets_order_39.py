# gilscope-only: the order CPython 3.9 prints sets in after removals (3.11
# reuses removed slots and prints some of these differently)
# Random adds, discards and pops on sets of ints and tuples of ints, then
# the operators and methods on the result: every line must show CPython
# 3.9's order, which depends on its whole table history (probe sequence,
# dummy entries, resizes, pop's finger).
seed = 12345


def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n


for trial in range(60):
    s = set()
    span = [10, 50, 300, 5000][trial % 4]
    for step in range(rnd(120)):
        op = rnd(10)
        k = rnd(span) - span // 3
        if op < 5:
            s.add(k)
        elif op < 8:
            s.discard(k)
        elif op == 8 and s:
            s.pop()
        else:
            s.add((k, k + 1))
    print(s)
    t = set(range(rnd(40)))
    print(s | t, s & t, s - t, s ^ t, t ^ s)
    u = s.copy()
    u ^= t
    u.difference_update(range(0, 100, 2))
    print(u, frozenset(u), s.symmetric_difference(range(10)))
