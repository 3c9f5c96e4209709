# obj.__class__ = Other and C.__bases__ = (B,) change what an object is
# and where a class looks up its attributes; assignments the object's
# layout cannot take are TypeErrors.
def tr(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__ + ":", e)


class A:
    def who(self):
        return "A"


class B:
    def who(self):
        return "B"


class C(A):
    pass


class E(Exception):
    pass


o = A()
o.x = 1
o.__class__ = B
print(type(o).__name__, o.who(), o.x, isinstance(o, A), isinstance(o, B))
tr(lambda: setattr(o, '__class__', 5))
tr(lambda: delattr(o, '__class__'))
tr(lambda: setattr(o, '__class__', E))
tr(lambda: setattr(E(), '__class__', A))


class E2(Exception):
    pass


class K(KeyError):
    pass


k = E("boom")
k.__class__ = E2
print(type(k).__name__, k.args)
tr(lambda: setattr(k, '__class__', K))

print(C().who(), C.__bases__)
C.__bases__ = (B,)
print(C().who(), C.__bases__, [t.__name__ for t in C.__mro__], issubclass(C, A))
tr(lambda: setattr(C, '__bases__', ()))
tr(lambda: setattr(C, '__bases__', [A]))
tr(lambda: setattr(C, '__bases__', (1,)))
tr(lambda: setattr(C, '__bases__', (C,)))
tr(lambda: setattr(B, '__bases__', (C,)))
E.__bases__ = (KeyError,)
print(issubclass(E, KeyError), E.__bases__)
