# __class_getitem__ (PEP 560) and ABC-style isinstance / issubclass:
# __instancecheck__ and __subclasscheck__ defined on a metaclass.


class Box:
    def __class_getitem__(cls, item):
        return "Box of " + getattr(item, "__name__", repr(item))


class SubBox(Box):
    pass


print(Box[int], SubBox[str], Box[3], Box[int, str] if False else "ok")
print(type(Box.__dict__["__class_getitem__"]).__name__)


class Pair:
    @classmethod
    def __class_getitem__(cls, items):
        return cls.__name__ + str(items)


print(Pair[1, 2])
try:
    Box()[0]
except TypeError as e:
    print("TypeError:", e)
try:
    int[0]
except TypeError:
    print("TypeError")


# An "abstract base class" that recognises anything with a quack method.
class DuckMeta(type):
    def __instancecheck__(cls, obj):
        print("instancecheck", cls.__name__, type(obj).__name__)
        return hasattr(obj, "quack")

    def __subclasscheck__(cls, sub):
        print("subclasscheck", cls.__name__, sub.__name__)
        return hasattr(sub, "quack")


class Duck(metaclass=DuckMeta):
    pass


class Mallard:
    def quack(self):
        return "quack"


class Stone:
    pass


print(isinstance(Mallard(), Duck), isinstance(Stone(), Duck))
print(issubclass(Mallard, Duck), issubclass(Stone, Duck))
print(isinstance(Mallard(), (int, Duck)), issubclass(Stone, (Duck, object)))
print(isinstance(Duck(), Duck))   # the exact class: no call


# A registry-style ABC.
class RegMeta(type):
    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        cls._registry = []

    def register(cls, sub):
        cls._registry.append(sub)
        return sub

    def __subclasscheck__(cls, sub):
        return sub in cls._registry or type.__subclasscheck__(cls, sub)

    def __instancecheck__(cls, obj):
        return cls.__subclasscheck__(type(obj))


class Sequence(metaclass=RegMeta):
    pass


Sequence.register(list)


class MySeq(Sequence):
    pass


print(isinstance([], Sequence), isinstance((), Sequence), issubclass(list, Sequence),
      issubclass(MySeq, Sequence), isinstance(MySeq(), Sequence))
print(type.__instancecheck__(int, 3), type.__subclasscheck__(int, bool), int.__instancecheck__("x"))

# The errors' messages changed in 3.10: class_protocols_messages prints
# 3.9's.
for args in [(1, 1), (1, (int, 2)), (1, int), (int, 1), (int, (str, 1))]:
    try:
        print(isinstance(*args) if args[0] == 1 and args[1] != int else issubclass(*args))
    except TypeError:
        print("TypeError")
