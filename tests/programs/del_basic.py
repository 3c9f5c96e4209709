# __del__ runs when the last reference goes: at `del`, at rebinding, at
# `x = None`, when a function's locals go, when a container lets go.
class Tracked:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)


a = Tracked("a")
b = a
print("del a")
del a
print("del b")
del b

c = Tracked("c1")
print("rebind c")
c = Tracked("c2")
print("c = None")
c = None


def work():
    local = Tracked("local")
    print("in work")
    return 42


print("work() ->", work())

items = [Tracked("item0"), Tracked("item1")]
print("pop")
items.pop()
print("clear")
items.clear()

d = {"k": Tracked("in dict")}
print("overwrite key")
d["k"] = 1

t = (Tracked("in tuple"),)
print("drop tuple")
del t


# A temporary: dies as soon as the expression is done with it.
print("temporary:", Tracked("temp").name)


# Inherited __del__, and one that calls the base class's.
class Base:
    def __del__(self):
        print("Base.__del__", type(self).__name__)


class Child(Base):
    def __del__(self):
        print("Child.__del__")
        super().__del__()


class Plain(Base):
    pass


Child()
Plain()

# __del__ added to the class after instances exist.
class Late:
    pass


late = Late()
Late.__del__ = lambda self: print("late __del__")
del late


# A __del__ that is not a plain function.
class Weird:
    __del__ = staticmethod(lambda: print("static __del__"))


Weird()


# A __del__ running while an exception propagates does not disturb it.
# (The local dies once the handler is done: CPython's traceback keeps the
# frame alive until then, gilscope frees it as the frame ends -- see
# docs/differences.md -- so the guard lives in a global here.)
class Guard:
    def __del__(self):
        print("Guard.__del__")


guard = Guard()


def raiser():
    global guard
    guard = None
    raise ValueError("boom")


try:
    raiser()
except ValueError as e:
    print("caught", e)

print("end")

# A class that gains __del__ (or a base that loses it) after instances exist.
class Late:
    pass
late = Late()
Late.__del__ = lambda self: print("Late.__del__ added afterwards")
del late
class Base:
    def __del__(self):
        print("Base.__del__")
class Derived(Base):
    pass
d = Derived()
del Base.__del__
del d
print("no __del__ left to call")
