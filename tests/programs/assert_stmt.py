# assert.
assert True
assert 1 + 1 == 2, "math works"
print("passed assertions")
try:
    assert 1 > 2, "one is not greater than two"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert []
except AssertionError as e:
    print("no message:", repr(str(e)), e.args)
def check(x):
    assert isinstance(x, int), "expected int, got " + type(x).__name__
    return x * 2
print(check(21))
try:
    check("21")
except AssertionError as e:
    print(e)
