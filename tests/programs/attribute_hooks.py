# Attribute hooks and class creation hooks: __setattr__/__delattr__ (inherited),
# __getattribute__ with __getattr__ as its fallback, object.__getattribute__,
# __set_name__, __init_subclass__ (implicitly a classmethod, with and
# without class keywords).
class Logged:
    def __setattr__(self, name, value):
        print("set", name, value)
        object.__setattr__(self, name, value)
    def __delattr__(self, name):
        print("del", name)
        object.__delattr__(self, name)
l = Logged()
l.x = 1
print(l.x)
del l.x
class G:
    def __getattribute__(self, name):
        if name == "magic":
            return 42
        return object.__getattribute__(self, name)
g = G()
g.y = 3
print(g.magic, g.y)
class S:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
class O:
    attr = S()
class B:
    def __init_subclass__(cls, **kw):
        print("init_subclass", cls.__name__, kw)
class C(B, tag=1):
    pass
class Base(Logged):
    pass
b = Base()
b.z = 9
class Fallback:
    def __getattribute__(self, name):
        if name.startswith("x"):
            raise AttributeError(name)
        return object.__getattribute__(self, name)
    def __getattr__(self, name):
        return "fallback " + name
fb = Fallback()
print(fb.xyz, fb.__class__.__name__)
try:
    class Bad(tag=2):
        pass
except TypeError as e:
    print("TypeError:", e)
class Plugin:
    registry = []
    def __init_subclass__(cls):
        super().__init_subclass__()
        Plugin.registry.append(cls.__name__)
class A(Plugin): pass
class B2(A): pass
print(Plugin.registry)
class Field:
    def __set_name__(self, owner, name):
        self.name = "_" + name
    def __get__(self, obj, owner):
        return self if obj is None else getattr(obj, self.name, None)
    def __set__(self, obj, v):
        setattr(obj, self.name, v)
class Rec:
    size = Field()
r = Rec(); r.size = 3
print(r.size, r._size, Rec.size.name)
class WithType(metaclass=type):
    pass
print(type(WithType).__name__)


# A hook assigned to a class after its subclasses were made reaches their
# instances too, through every base; deleting it restores the default.
class Watched:
    pass


class Below(Watched):
    pass


class Other2:
    pass


class Both(Other2, Below):
    pass


def loud_setattr(self, name, value):
    print("setattr", type(self).__name__, name, value)
    object.__setattr__(self, name, value)


Watched.__setattr__ = loud_setattr
b = Both()
b.x = 1
Below().y = 2
del Watched.__setattr__
b.z = 3
print(sorted(b.__dict__))
