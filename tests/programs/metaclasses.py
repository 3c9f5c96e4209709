# Metaclasses: a class is an instance of its metaclass, which makes it
# (__prepare__, __new__, __init__), makes its instances (__call__) and
# lends it attributes.  type(name, bases, dict) makes a class directly.


class Meta(type):
    @classmethod
    def __prepare__(mcs, name, bases, **kw):
        print("prepare", mcs.__name__, name, [b.__name__ for b in bases], kw)
        return {"prepared": True}

    def __new__(mcs, name, bases, ns, **kw):
        print("new", mcs.__name__, name, sorted(k for k in ns if not k.startswith("__")))
        cls = super().__new__(mcs, name, bases, ns)
        cls.made_by = mcs.__name__
        return cls

    def __init__(cls, name, bases, ns, **kw):
        print("init", name, kw)
        super().__init__(name, bases, ns)

    def __call__(cls, *args, **kw):
        print("call", cls.__name__, args, kw)
        return super().__call__(*args, **kw)

    def describe(cls):
        return "class " + cls.__name__ + " made by " + cls.made_by

    greeting = "hello from Meta"


class Point(metaclass=Meta, flavour="plain"):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __init_subclass__(cls, **kw):
        print("init_subclass", cls.__name__, kw)


p = Point(1, y=2)
print(p.x, p.y, Point.prepared, Point.made_by)
print(type(Point), type(p), type(type(Point)), type(Meta))
print(Point.describe(), Point.greeting)
print(isinstance(Point, Meta), isinstance(Point, type), issubclass(Meta, type))
try:
    p.describe
except AttributeError as e:
    print("AttributeError:", e)
try:
    p.greeting
except AttributeError as e:
    print("AttributeError:", e)


# A subclass gets its base's metaclass.
class Point3(Point, flavour="3d"):
    pass


print(type(Point3), Point3.made_by, Point3(0, 0).x)


# The most derived metaclass wins; unrelated ones conflict.
class SubMeta(Meta):
    pass


class Other(metaclass=SubMeta):
    pass


class Mixed(Point, Other):
    pass


print(type(Mixed).__name__)


class Unrelated(type):
    pass


try:
    class Bad(Point, metaclass=Unrelated):
        pass
except TypeError as e:
    print("TypeError:", e)


# type(name, bases, dict) and type.__new__.
def method(self):
    return "method of " + type(self).__name__


Dyn = type("Dyn", (object,), {"method": method, "n": 3})
print(Dyn, Dyn.__name__, Dyn.__qualname__, Dyn.__module__, Dyn.__bases__, Dyn().method(), Dyn.n)
Dyn2 = type("Dyn2", (Dyn, Point), {})
print([c.__name__ for c in Dyn2.__mro__], type(Dyn2).__name__)
T = type.__new__(type, "T", (), {"z": 1})
print(T, T.z, type(T))
print(type(3), type("s"), type(type), type(object), type(Meta))
for args in [("X",), ("X", (), {}, 1), (1, (), {}), ("X", 1, {}), ("X", (), 1), ("X", (1,), {})]:
    try:
        r = type(*args)
        print("type", args, "->", r)
    except TypeError as e:
        print("TypeError:", e)
for args in [(1,), (type, "X"), (int, "X", (), {})]:
    try:
        type.__new__(*args)
    except TypeError as e:
        print("TypeError:", e)


# A metaclass that keeps a registry, and one that makes singletons.
class Registered(type):
    registry = {}

    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        Registered.registry[name] = cls


class Handler(metaclass=Registered): pass
class JsonHandler(Handler): pass


print(sorted(Registered.registry))


class Singleton(type):
    def __call__(cls, *args):
        if "instance" not in cls.__dict__:
            cls.instance = super().__call__(*args)
        return cls.instance


class Config(metaclass=Singleton):
    def __init__(self, name):
        print("Config made", name)
        self.name = name


c1 = Config("first")
c2 = Config("second")
print(c1 is c2, c2.name)


# A metaclass's __repr__, properties and methods apply to its classes.
class Pretty(type):
    def __repr__(cls):
        return "<pretty " + cls.__name__ + ">"

    @property
    def upper(cls):
        return cls.__name__.upper()

    def __len__(cls):
        return 42

    def __getitem__(cls, key):
        return (cls.__name__, key)


class Fancy(metaclass=Pretty): pass


print(Fancy, repr(Fancy), Fancy.upper, len(Fancy), Fancy["k"], [Fancy])


# A function may be the metaclass too.
def make_class(name, bases, ns):
    ns["by_function"] = True
    return type(name, bases, ns)


class FromFunction(metaclass=make_class):
    pass


print(FromFunction.by_function, type(FromFunction))


# __classcell__ must reach type.__new__ for super() to work.
class Forgetful(type):
    def __new__(mcs, name, bases, ns):
        ns = {k: v for k, v in ns.items() if k != "__classcell__"}
        return super().__new__(mcs, name, bases, ns)


try:
    class UsesSuper(metaclass=Forgetful):
        def f(self):
            return super().f()
except RuntimeError as e:
    print("RuntimeError:", e)


class BadPrepare(type):
    @classmethod
    def __prepare__(mcs, name, bases):
        return 42


try:
    class Prepared(metaclass=BadPrepare):
        pass
except TypeError as e:
    print("TypeError:", e)

# __init_subclass__ keywords the class does not take.
try:
    class Plain(flavour=1):
        pass
except TypeError as e:
    print("TypeError:", e)
