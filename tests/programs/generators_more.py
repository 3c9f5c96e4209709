# Generators in methods and closures, with and except blocks, delegation
# of throw(), close() that is ignored, a generator that runs itself, and
# generator expressions fed to the builtins that consume iterables.
def scale(k):
    return list(x * k for x in range(3))
print(scale(3))
class Tree:
    def __init__(self, v, kids=()):
        self.v = v; self.kids = kids
    def walk(self):
        yield self.v
        for k in self.kids:
            yield from k.walk()
t = Tree(1, [Tree(2, [Tree(3)]), Tree(4)])
print(list(t.walk()))
class CM:
    def __enter__(self):
        print("enter"); return self
    def __exit__(self, *a):
        print("exit", a[0].__name__ if a[0] else None); return False
def inwith():
    with CM():
        yield 1
        yield 2
g = inwith(); print(next(g)); g.close()
def inexcept():
    try:
        raise ValueError("v")
    except ValueError as e:
        yield str(e)
        yield "after"
print(list(inexcept()))
def retfin():
    try:
        yield 1
        return 7
    finally:
        print("fin")
r = retfin(); next(r)
try:
    next(r)
except StopIteration as e:
    print("value", e.value)
def ignore():
    try:
        yield 1
    except GeneratorExit:
        yield 2
i = ignore(); next(i)
try:
    i.close()
except RuntimeError as e:
    print("RuntimeError:", e)
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(10)])
print(next(iter([]), "dflt"), next(x for x in []) if False else next((x for x in []), "empty"))
def sub():
    try:
        yield 1
    except KeyError:
        print("sub caught")
        yield "recovered"
def deleg():
    r = yield from sub()
    yield ("deleg", r)
d = deleg(); print(next(d)); print(d.throw(KeyError)); print(next(d))
def running():
    yield gr.gi_running
gr = running(); print(next(gr), gr.gi_running)
def selfnext():
    yield next(sn)
sn = selfnext()
try:
    next(sn)
except ValueError as e:
    print("ValueError:", e)
print(any(x > 2 for x in range(5)), all(x < 2 for x in range(5)), "".join(c.upper() for c in "abc"))
print(sorted((x % 3 for x in range(7)), reverse=True), max(len(s) for s in ["a", "bbb"]), dict((k, k*k) for k in range(3)), tuple(x for x in "hi"))

# yield from a generator that is already exhausted, and from one that returns at once
def inner():
    yield 1
def outer(g):
    r = yield from g
    yield ("after", r)
g = inner()
print(list(g))
print(list(outer(g)))
def ret3():
    return 3
    yield
def outer2():
    r = yield from ret3()
    yield r
print(list(outer2()))
