# property (decorator form with setter and deleter, and called), staticmethod,
# classmethod (on the class, an instance, a subclass), and guest descriptors:
# __get__ alone is shadowed by the instance's __dict__, __get__ with __set__ is not.
class Temp:
    scale = "C"
    def __init__(self, c):
        self._c = c
    @property
    def celsius(self):
        "the temperature in C"
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("below absolute zero")
        self._c = v
    @celsius.deleter
    def celsius(self):
        print("deleting")
        del self._c
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @staticmethod
    def describe(x):
        return "temp %s" % x
    @classmethod
    def freezing(cls):
        return cls(0)
t = Temp(25)
print(t.celsius, t.fahrenheit)
t.celsius = 30
print(t.celsius)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
try:
    t.fahrenheit = 5
except AttributeError as e:
    print("AttributeError (no setter)")
del t.celsius
print(hasattr(t, "_c"))
print(Temp.describe(3), t.describe(4), Temp.freezing().celsius, t.freezing().celsius)
print(type(Temp.celsius).__name__, Temp.celsius.__doc__, Temp.celsius.fget.__name__)
print(type(Temp.__dict__["describe"]).__name__, Temp.__dict__["freezing"].__func__.__name__)
t.celsius = 5
t.__dict__["celsius"] = 99
print(t.celsius)
class Sub(Temp):
    @classmethod
    def make(cls):
        return cls.__name__
print(Sub.make(), Sub(1).make(), Sub.freezing().__class__.__name__)
class Desc:
    def __get__(self, obj, owner):
        return ("get", obj is None, owner.__name__)
class Data:
    def __get__(self, obj, owner):
        return "data"
    def __set__(self, obj, v):
        print("set", v)
class U:
    d = Desc()
    dd = Data()
u = U()
print(u.d, U.d)
u.dd = 5
u.__dict__["dd"] = 7
print(u.dd)
p = property(lambda self: 42, doc="forty-two")
class V:
    x = p
print(V().x, V.x.__doc__)
try:
    del V().x
except AttributeError as e:
    print("AttributeError (no deleter)")
