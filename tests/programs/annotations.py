"""Variable and function annotations (PEP 526, PEP 3107): __annotations__ of
modules, classes and functions, annotated attribute and subscript targets."""
x: int = 0
y: "str"
print(__annotations__)
class C:
    a: int = 1
    b: list
    __p: int
    (c): int = 3
    def m(self) -> None:
        z: int = 5
        w: str
        self.q: int = 1
        return z
print(C.__annotations__, C.a, C.c)
def f(a: int, b: "x" = 1, /, c: float = 2.0, *args: str, d: 1 + 1, e=1, **kw: dict) -> list:
    return a
print(f.__annotations__)
def g(): pass
print(g.__annotations__, g.__annotations__ is g.__annotations__)
g.__annotations__ = {"k": 1}
print(g.__annotations__)
try:
    g.__annotations__ = 5
except TypeError as e:
    print(e)
obj = C()
obj.attr: int = 4
d = {}
d["k"]: str = "v"
d["j"]: int
print(obj.attr, d, C().m())
for i in range(2):
    v: int = i
print(__annotations__)
try:
    nope.attr: int
except NameError as e:
    print(e)
lst = [1, 2, 3]
lst[1:2]: int

# Functions never evaluate their local annotations: no NameError here.
def local_only():
    undefined_name: NoSuchType
    return "fine"

print(local_only())

# A class keeps an __annotations__ it was given before the first one.
class Pre:
    __annotations__ = {"given": 0}
    field: int

print(Pre.__annotations__)
