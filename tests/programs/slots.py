# __slots__: instances without a __dict__, whose attributes live in fixed
# fields reached through member descriptors on the class.
import gc
import sys


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(p.x, p.y, Point.x, type(Point.x).__name__, Point.__slots__)
p.x = 10
del p.y
print(p.x, hasattr(p, "y"), hasattr(p, "__dict__"))
# Reading an unset slot is an AttributeError (3.9 says just "y", 3.11 more:
# slots_unset prints 3.9's message).
try:
    p.y
except AttributeError:
    print("p.y -> AttributeError")
for action in ["p.z = 1", "del p.y", "p.__dict__", "Point.x.__get__(3, int)"]:
    try:
        if action == "p.z = 1":
            p.z = 1
        elif action == "del p.y":
            del p.y
        elif action == "p.__dict__":
            p.__dict__
        else:
            Point.x.__get__(3, int)
    except (AttributeError, TypeError) as e:
        print(action, "->", type(e).__name__ + ":", e)
print(Point.x.__name__, Point.x.__objclass__)
print(getattr(p, "y", "unset"), setattr(p, "y", 5), p.y)


# Slots along an inheritance chain; a subclass without __slots__ gets a
# __dict__ again.
class Point3(Point):
    __slots__ = ("z",)


class Loose(Point):
    pass


q = Point3(1, 2)
q.z = 3
print(q.x, q.y, q.z, Point3.__slots__, hasattr(q, "__dict__"))
try:
    q.w = 4
except AttributeError as e:
    print("AttributeError:", e)
r = Loose(1, 2)
r.w = 4
print(r.x, r.w, r.__dict__)


# __dict__ and __weakref__ may be slots themselves.
class WithDict:
    __slots__ = ("a", "__dict__")


w = WithDict()
w.a = 1
w.b = 2
print(w.a, w.__dict__, "a" in WithDict.__dict__, "b" in WithDict.__dict__)


class WithWeak:
    __slots__ = ("__weakref__", "v")


print(WithWeak().__weakref__ if False else "weakref slot accepted", WithWeak.__slots__)

# A string is one slot; any iterable of strings will do; names are mangled.
class One:
    __slots__ = "only"


class Many:
    __slots__ = ["a", "b"]


class Private:
    __slots__ = ("__secret",)

    def __init__(self):
        self.__secret = "hidden"

    def reveal(self):
        return self.__secret


print(One.only, Many.__slots__, Private().reveal(), Private._Private__secret)

# Errors: CPython's messages.
def attempt(name, make):
    try:
        make()
        print(name, "ok")
    except (TypeError, ValueError) as e:
        print(name, "->", type(e).__name__ + ":", e)


def conflict():
    class C:
        __slots__ = ("a",)
        a = 1


def not_identifier():
    class C:
        __slots__ = ("1a",)


def not_string():
    class C:
        __slots__ = (1,)


def two_dicts():
    class C:
        __slots__ = ("__dict__", "__dict__")


def dict_again():
    class B: pass
    class C(B):
        __slots__ = ("__dict__",)


def two_weakrefs():
    class C:
        __slots__ = ("__weakref__", "__weakref__")


def layout():
    class A:
        __slots__ = ("x",)

    class B:
        __slots__ = ("y",)

    class C(A, B):
        pass


def layout_ok():
    class A:
        __slots__ = ("x",)

    class B:
        pass

    class C(A, B):
        pass

    c = C()
    c.x = 1
    c.other = 2
    print("C(A, B):", c.x, c.__dict__, C.__base__.__name__)


def type_slots():
    class M(type):
        __slots__ = ("a",)


for name, make in [("conflict", conflict), ("not identifier", not_identifier),
                   ("not string", not_string), ("two dicts", two_dicts),
                   ("dict again", dict_again), ("two weakrefs", two_weakrefs),
                   ("layout", layout), ("layout ok", layout_ok), ("type slots", type_slots)]:
    attempt(name, make)


# __class__ assignment needs the same slots.
class Other:
    __slots__ = ("x", "y")


class Different:
    __slots__ = ("x",)


p2 = Point(1, 2)
p2.__class__ = Other
print(type(p2).__name__, p2.x, p2.y)
try:
    p2.__class__ = Different
except TypeError as e:
    print("TypeError:", e)


# Reference counts: a slot holds one reference, dropped when the slot is
# deleted or the instance freed.
thing = object()
print(sys.getrefcount(thing))
holder = Point(thing, thing)
print(sys.getrefcount(thing))
del holder.x
print(sys.getrefcount(thing))
del holder
print(sys.getrefcount(thing))

# The cycle collector sees through slots.
class Node:
    __slots__ = ("other", "payload")


gc.collect()
a, b = Node(), Node()
a.other, b.other = b, a
a.payload = [1, 2, 3]
del a, b
print("collected", gc.collect())
