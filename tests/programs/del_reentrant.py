# __del__ methods that meddle with the containers whose changes dropped
# their objects (a list being cleared, a dict being updated), delete
# their own class attribute, collect from inside a collection, and
# resurrect themselves: each is guest code running in the middle of C
# code, and must leave it consistent (run under ASan in CI).
import gc
lst = []
d = {}
class Meddler:
    def __init__(self, n): self.n = n
    def __del__(self):
        lst.append(self.n)
        d[self.n] = self.n
        if len(lst) < 50:
            lst.insert(0, Meddler(self.n + 100))
lst.extend(Meddler(i) for i in range(5))
lst.clear()
print(len(lst))
lst[:] = []
lst.extend(Meddler(i) for i in range(3))
lst[1:] = [1, 2]
print(len(lst))
del lst[:]
d.update((i, Meddler(i)) for i in range(5))
d.clear()
print(len(d))
for k in list(d):
    d[k] = Meddler(k)
for k in list(d):
    d[k] = None
print(len(d))
# __del__ that deletes its own class's method and raises
class Self:
    def __del__(self):
        del Self.__del__
        raise KeyError("x")
Self()
Self()
print("ok")
# __del__ calling gc.collect and creating cycles
class Collector:
    def __del__(self):
        x = []; x.append(x)
        print("inner collect", gc.collect())
c = Collector(); c.me = c; del c
print("outer collected:", gc.collect() > 0)
# set attr of an instance being finalized in a cycle
class A:
    def __del__(self):
        self.other.x = 1
        self.__dict__.clear()
a = A(); b = A(); a.other = b; b.other = a; del a, b
print(gc.collect())
# resurrect via a global then delete again many times
keep = []
class R:
    def __del__(self):
        keep.append(self)
for i in range(100):
    R()
    keep.clear()
print("end", len(keep))

# Finalizers run inside automatic collections, in the middle of C code
# that iterates or builds containers: they must not see, or free, what
# that code still uses.
gc.set_threshold(1, 1, 1)
data = [[i] for i in range(30)]
table = {i: [i] for i in range(30)}
class Wreck:
    def __del__(self):
        data.clear(); table.clear()
        data.extend([[0]] * 3)
        table.update({0: [0], 1: [1]})
        w = Wreck(); w.me = w
w = Wreck(); w.me = w; del w
for rnd in range(30):
    for x in data:
        y = [x, x]
    for k, v in list(table.items()):
        z = (k, v)
    try:
        for k, v in table.items():
            q = [k, v]
    except RuntimeError:
        pass
    for i, x in enumerate(data):
        p = {i: x}
    for a, b in zip(data, data):
        r = [a, b]
    m = max(data, key=lambda v: [v])
    s = sorted(table.items(), key=lambda kv: [kv])
    l = [x for x in data if [x]]
    d2 = {k: [v] for k, v in dict(table).items()}
    tt = tuple(data)
    class K:
        def meth(self): return [self]
    K().meth()
    getattr(K(), "meth")()
    ww = Wreck(); ww.me = ww
print("ok")
