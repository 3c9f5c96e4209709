# Multiple inheritance: the C3 method resolution order, cooperative
# super() through diamonds, attribute look-up along __mro__, isinstance and
# issubclass through every base, __bases__ assignment, and CPython's errors
# for orders and layouts that cannot be.


def names(classes):
    return [c.__name__ for c in classes]


# The diamond: D's MRO visits B and C before their common base A.
class A:
    def greet(self):
        return ["A"]

    tag = "from A"


class B(A):
    def greet(self):
        return ["B"] + super().greet()


class C(A):
    def greet(self):
        return ["C"] + super().greet()

    tag = "from C"


class D(B, C):
    def greet(self):
        return ["D"] + super().greet()


print(names(D.__mro__))
print(names(D.mro()))
print(names(D.__bases__), D.__base__.__name__)
print(D().greet())
print(D.tag, D().tag)           # B has no tag: C's comes before A's
print(super(B, D()).greet())    # two-argument super: after B in D's MRO
print(super(D, D()).tag)

# The textbook C3 example (the Python 2.3 MRO essay).
O = object


class F(O): pass
class E(O): pass
class Dd(O): pass
class Cc(Dd, F): pass
class Bb(Dd, E): pass
class Aa(Bb, Cc): pass


print(names(Aa.__mro__))

# Cooperative __init__ with keyword arguments passed along the MRO.
class Shape:
    def __init__(self, **kw):
        print("Shape gets", sorted(kw))
        super().__init__()


class Colored(Shape):
    def __init__(self, color, **kw):
        self.color = color
        super().__init__(**kw)


class Named(Shape):
    def __init__(self, name, **kw):
        self.name = name
        super().__init__(**kw)


class Thing(Colored, Named):
    pass


t = Thing(color="red", name="box", extra=1)
print(t.color, t.name, names(Thing.__mro__))

# isinstance / issubclass through every base, and with tuples.
print(isinstance(t, Named), isinstance(t, (int, Colored)), issubclass(Thing, Named))
print(issubclass(Thing, (str, list)), issubclass(D, (int, (str, C))), isinstance(3, (str, (int,))))
print(isinstance(D(), object), issubclass(bool, (int,)), isinstance(True, ()))

# Class methods and static methods along the MRO.
class Base1:
    @classmethod
    def make(cls):
        return cls.__name__

    @staticmethod
    def helper():
        return "helper1"


class Base2:
    @classmethod
    def make(cls):
        return "Base2 " + cls.__name__

    def only2(self):
        return "only in Base2"


class Both(Base1, Base2):
    @classmethod
    def make(cls):
        return "Both > " + super().make()


print(Both.make(), Both().make(), Both.helper(), Both().only2())

# __init_subclass__ and __set_name__ with several bases: the first class
# after the new one in its MRO that defines __init_subclass__ runs.
class Registry:
    members = []

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Registry.members.append(cls.__name__)


class Labelled:
    def __init_subclass__(cls, label="none", **kw):
        super().__init_subclass__(**kw)
        cls.label = label


class Field:
    def __set_name__(self, owner, name):
        self.name = owner.__name__ + "." + name


class Plugin(Registry, Labelled, label="plug"):
    f = Field()


class Mixed(Labelled, Registry, label="mixed"):
    g = Field()


print(Registry.members, Plugin.label, Mixed.label, Plugin.f.name, Mixed.g.name)

# Data in the instance's __dict__, methods from any base, properties.
class HasProp:
    @property
    def p(self):
        return "property of " + type(self).__name__


class Store:
    def __init__(self):
        self.x = 1


class Both2(Store, HasProp):
    pass


b2 = Both2()
print(b2.x, b2.p, sorted(b2.__dict__))

# __bases__ assignment: new MROs for the class and the classes below it.
class P: pass
class Q: pass
class R(P): pass
class S(R): pass


R.__bases__ = (Q, P)
print(names(R.__mro__), names(S.__mro__), names(R.__bases__), R.__base__.__name__)
R.__bases__ = (P,)
print(names(S.__mro__))
for bad in [(), (S,), (Exception,), (P, P), 3, (P, 3)]:
    try:
        R.__bases__ = bad
    except TypeError as e:
        print("TypeError:", e)
print(names(S.__mro__))

# Orders and layouts that cannot be.
def attempt(make):
    try:
        make()
    except TypeError as e:
        print("TypeError:", e)


def inconsistent():
    class X(A, D): pass


def crossed():
    class X(A, B): pass
    class Y(B, A): pass


def crossed2():
    class Y1(P, Q): pass
    class Y2(Q, P): pass
    class Z(Y1, Y2): pass


def duplicate():
    class X(A, A): pass


def layouts():
    class X(OSError, StopIteration): pass


def not_a_class():
    class X(A, 3): pass


attempt(inconsistent)
attempt(crossed)
attempt(crossed2)
attempt(duplicate)
attempt(layouts)
attempt(not_a_class)

# Exceptions with several bases still raise and match.
class AppError(Exception): pass
class NotFound(AppError, KeyError): pass


try:
    raise NotFound("k")
except KeyError as e:
    print("caught", type(e).__name__, names(NotFound.__mro__))
