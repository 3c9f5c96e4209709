# Generators at run time: next/send/throw/close, yield from with return
# values, StopIteration rules (PEP 479), finally blocks run on close and
# when a suspended generator is dropped, generator expressions.
def g(n):
    x = yield n
    print("got", x)
    yield
    y = yield from range(3)
    return x

it = g(5)
print(next(it))
print(it.send("hello"))
print(list(it))
print(sum(i*i for i in range(10)))
print(list(x for x in "abc" if x != "b"))
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
print([v for v in count(4)], sum(count(100)))
def inner():
    r = yield 1
    yield r
    return "inner done"
def outer():
    v = yield from inner()
    print("outer got", v)
    yield v
o = outer()
print(next(o), o.send("S"), next(o))
try:
    next(o)
except StopIteration as e:
    print("stop", e.value)
def withfinally():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
w = withfinally()
print(next(w))
w.close()
print("closed")
w2 = withfinally()
next(w2)
try:
    w2.throw(ValueError("boom"))
except ValueError as e:
    print("thrown out", e)
def catcher():
    while True:
        try:
            yield
        except KeyError as e:
            print("caught", e)
c = catcher(); next(c); c.throw(KeyError, "k"); c.throw(KeyError("k2"))
def ret():
    return 5
    yield
try:
    next(ret())
except StopIteration as e:
    print("ret value", e.value)
def bad():
    raise StopIteration
    yield
try:
    next(bad())
except RuntimeError as e:
    print("RuntimeError", e, type(e.__cause__).__name__)
gen = count(3)
print(gen, type(gen).__name__, gen.__name__, gen.gi_running, gen.gi_code.co_name)
print(iter(gen) is gen)
def dropped():
    try:
        yield 1
    finally:
        print("finally on drop")
d = dropped(); next(d); del d
print("end")
