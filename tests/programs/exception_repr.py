# repr() and str() of exception instances.
print(repr(KeyError('b')))
print(str(KeyError('b')))
print(repr(ValueError("bad value")), str(ValueError("bad value")))
print(repr(Exception()), repr(str(Exception())))
print(repr(RuntimeError("x", 1)), str(RuntimeError("x", 1)))
print(repr(IndexError(3)), str(IndexError(3)))
print(ZeroDivisionError("division by zero").args)
try:
    [1, 2][5]
except IndexError as e:
    print(repr(e))
try:
    {"a": 1}["b"]
except KeyError as e:
    print(repr(e), str(e), e.args)
try:
    1 / 0
except ZeroDivisionError as e:
    print(repr(e))
try:
    int("12x")
except ValueError as e:
    print(repr(e))
class MyError(Exception):
    pass
print(repr(MyError("custom")), MyError("custom"))
