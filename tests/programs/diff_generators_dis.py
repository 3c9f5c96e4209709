# gilscope: dis
# Generators as CPython 3.9 compiles them: yield as a statement and as a
# value, a bare yield, yield from, return in a generator, generator
# expressions (as a call's sole argument, in parentheses, nested, with
# conditions), and a yield inside try/finally.
def produce(n):
    i = 0
    while i < n:
        got = yield i
        if got is not None:
            i = got
        i += 1
    return "done"


def relay(source):
    total = yield from source
    yield
    yield total, len(total)


def guarded(items):
    try:
        for item in items:
            yield item * 2
    finally:
        print("closed")


squares = sum(x * x for x in range(10))
evens = list((x for x in range(20) if x % 2 == 0))
pairs = [list(p) for p in ((a, b) for a in "ab" for b in "xy")]
lazy = (len(w) for w in "a bb ccc".split())
