# A class's reference count (its subclasses' __bases__, __base__ and __mro__,
# its own __mro__, the descriptors in its dict) and the __dict__ and
# __weakref__ descriptors a class gets when it adds them, as CPython's.
import sys
class A: pass
print(sys.getrefcount(A))
class B(A): pass
print(sys.getrefcount(A), sys.getrefcount(B))
class C(A): pass
class D(B, C): pass
print(sys.getrefcount(A), sys.getrefcount(B), sys.getrefcount(C), sys.getrefcount(D))
class S:
    __slots__ = ('a', 'b')
print(sys.getrefcount(S))
class M(type): pass
class E(metaclass=M): pass
print(sys.getrefcount(M), sys.getrefcount(E))
e = E()
print(sys.getrefcount(E))
del D
print(sys.getrefcount(A), sys.getrefcount(B), sys.getrefcount(C))
X = type('X', (A,), {})
print(sys.getrefcount(X), sys.getrefcount(A))
import gc
del X
gc.collect()
print(sys.getrefcount(A))

class C: pass
class D(C): pass
class E(Exception): pass
class S: __slots__=('a',)
class T(S): pass
class W: __slots__=('__weakref__',)
class M(type): pass
for k in (C,D,E,S,T,W,M): print(k.__name__, [x for x in k.__dict__ if x in ('__dict__','__weakref__')])
print(C.__dict__['__dict__'], type(C.__dict__['__weakref__']))
c=C(); print(c.__weakref__)
try: c.__weakref__ = 1
except AttributeError as e: print(e)
try: c.__dict__ = 1
except TypeError as e: print(e)
c.__dict__ = {'q': 1}; print(c.q)
del c.__dict__
print(c.__dict__, D().__dict__, C.__dict__["__dict__"].__get__(C()))
print([k for k in T.__dict__])
