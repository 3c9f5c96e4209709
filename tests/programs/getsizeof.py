# gilscope-only: sys.getsizeof gives CPython 3.9's sizes on 64-bit Linux
# (3.11 and 3.12 changed those of str, dict and instances).
import sys

size = sys.getsizeof

# int: 24 bytes of header, 4 per 30-bit digit (0 has none).
print("int", [size(n) for n in [0, 1, -1, 255, 2**30 - 1, 2**30, -2**30, 2**60 - 1, 2**60,
                               2**62, -2**62 * 2, (2**62 - 1) * 2 + 1]])
print("bool", size(True), size(False))
print("float", size(0.0), size(1e300), size(float("nan")))

# str: ASCII 49 + len; Latin-1 73 + len; UCS-2 74 + 2 len; UCS-4 76 + 4 len.
for s in ["", "a", "hello", "é", "café", "ÿÿ", "Ā", "€uro", "日本語", "😀", "a😀", "\x7f", "\x80"]:
    print("str", ascii(s), size(s), s.__sizeof__())
print("str", size("x" * 1000), size("é" * 1000), size("€" * 1000), size("😀" * 1000))

print("bytes", size("".encode()), size("a".encode()), size(("hello" * 10).encode()))
print("tuple", size(()), size((1,)), size((1, 2, 3)), size(tuple(range(10))))
print("None", size(None), size(object()), size(NotImplemented), size(...))
class Key:
    def __getitem__(self, key):
        return key


print("range", size(range(10)), "slice", size(Key()[1:2]))

# list: 56 + 8 per allocated slot.  Appending over-allocates as
# CPython 3.9's list_resize does: 4, 8, 16, 24, 32, 40, 52, 64, 76, ...
lst = []
seen = [size(lst)]
for i in range(100):
    lst.append(i)
    if size(lst) != seen[-1]:
        seen.append(size(lst))
print("append", seen)
while lst:
    lst.pop()
    if size(lst) != seen[-1]:
        seen.append(size(lst))
print("pop", seen[len(seen) // 2:])
print("list", size([]), size([1, 2, 3]), size([0] * 10), size(list(range(10))),
      size([x for x in range(10)]), size(list("abcde")), size([1, 2] + [3]), size([1, 2, 3] * 3))
# list(x) and extend(x) reserve len(x), or what an iterator has left, or 8.
dd = {i: i for i in range(20)}
print("from iterables", size(list(x for x in range(5))), size(list(x for x in range(20))),
      size(list(iter([1, 2, 3]))), size(list(iter(range(30)))), size(sorted(range(10))),
      size(list(dd)), size(list(iter(dd))), size(list(dd.items())), size(list(map(abs, [1, 2]))),
      size(list("x" * 50)), size(list(iter("abc"))))
g = [0]
g.extend(x for x in range(3))
print("extend generator", size(g))
g.extend(range(20))
print("extend range", size(g))


class Hinted:
    def __iter__(self):
        return iter([1, 2])

    def __length_hint__(self):
        return 40


class Sized:
    def __iter__(self):
        return iter([1, 2])

    def __len__(self):
        return 2


print("hints", size(list(Hinted())), size(list(Sized())), size([*Hinted()]))
e = [1, 2, 3]
e.extend([4, 5])
print("extend", size(e))
e.insert(0, 0)
print("insert", size(e))
e.clear()
print("clear", size(e))

# dict: 64 empty (it shares an empty table), else by table size.
d = {}
seen = [size(d)]
for i in range(100):
    d[i] = i
    if size(d) != seen[-1]:
        seen.append(size(d))
print("dict grows", seen)
for i in range(100):
    del d[i]
print("dict after deleting all", size(d))
d.clear()
print("dict after clear", size(d))
print("dict", size({}), size({1: 2}), size({i: i for i in range(10)}), size(dict(a=1, b=2)),
      size(dict.fromkeys(range(7))), size({1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}))


# Instances: 16 of header + 8 a slot + 8 for __dict__ + 8 for __weakref__,
# + 16 for the GC header every instance of a class has.
class Plain:
    pass


class Slotted:
    __slots__ = ("a", "b")


class Empty:
    __slots__ = ()


class Sub(Slotted):
    pass


class WithDict:
    __slots__ = ("__dict__",)


class WithAll:
    __slots__ = ("__dict__", "__weakref__", "a")


class Err(Exception):
    pass


class SlottedErr(Exception):
    __slots__ = ("code",)


for cls in [Plain, Slotted, Empty, Sub, WithDict, WithAll, Err, SlottedErr]:
    print("instance", cls.__name__, size(cls()), cls().__sizeof__())
print("exceptions", size(Exception()), size(KeyError("k")), size(OSError()), size(StopIteration()))


# Functions and methods.
def f():
    pass


class K:
    def m(self):
        pass


print("function", size(f), size(lambda: 0), "method", size(K().m), "builtin", size(len))
print("type", size(int), size(type), size(staticmethod(f)), size(classmethod(f)), size(property()))


# A class's own __sizeof__ is used, plus the GC header.
class Sized:
    def __sizeof__(self):
        return 100


print("__sizeof__", size(Sized()), Sized().__sizeof__(), object.__sizeof__(Sized()))


class Bad:
    def __sizeof__(self):
        return -1


class Worse:
    def __sizeof__(self):
        return "big"


for obj in [Bad(), Worse()]:
    try:
        size(obj)
    except (TypeError, ValueError) as ex:
        print(type(ex).__name__ + ":", ex)
print(size(Worse(), 7), size(1, 7), size(object=[], default=0))
try:
    size()
except TypeError as ex:
    print("TypeError:", ex)
try:
    size(1, 2, 3)
except TypeError as ex:
    print("TypeError:", ex)

# big ints: one more 30-bit digit every 30 bits
print("big int", [size(2**k) for k in (62, 63, 64, 89, 90, 100, 1000)], size(-2**200))
# set and frozenset: 200 bytes with an 8-slot table inside, then 16 a slot
s = set()
seen = []
for i in range(60):
    s.add(i)
    seen.append(size(s))
print("set", size(set()), sorted(set(seen)), size(frozenset()), size(frozenset(range(10))))
