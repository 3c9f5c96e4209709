# gilscope: dis
# Class statements with several bases, a metaclass and class keywords:
# 3.9 compiles them all to LOAD_BUILD_CLASS and a call.
class Meta(type):
    def __new__(mcs, name, bases, ns, **kw):
        return super().__new__(mcs, name, bases, ns)


class A: pass
class B(A): pass
class C(B, A, metaclass=Meta, flag=True):
    __slots__ = ("x", "y")

    def __class_getitem__(cls, item):
        return item


D = type("D", (A,), {"z": 1})
print(C[int], isinstance(C, (Meta, type)))
