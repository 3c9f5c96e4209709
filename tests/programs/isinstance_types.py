# isinstance and type() with the built-in types.
values = [1, 2.5, "s", [1], (1,), {"a": 1}, None, True, range(3)]
for v in values:
    print(repr(v), type(v).__name__, isinstance(v, int), isinstance(v, (list, tuple)))
print(isinstance(True, int), isinstance(1, bool), isinstance(1, float))
print(isinstance("x", str), isinstance(3, (str, int)))
print(type(1) == int, type(1.0) == float, type("") == str)
class A:
    pass
class B(A):
    pass
print(isinstance(B(), A), isinstance(A(), B), isinstance(B(), object))
print(isinstance(ValueError("x"), Exception), isinstance(KeyError("k"), LookupError))
