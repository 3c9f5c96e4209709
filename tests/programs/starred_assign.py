# Starred assignment targets (PEP 3132): `a, *b = xs` in plain assignment,
# for loops, nested targets and comprehensions, with CPython's errors.
a, *b = [1, 2, 3]
print(a, b)
*a, b = (1, 2, 3)
print(a, b)
a, *b, c = range(5)
print(a, b, c)
[a, *b] = "x"
print(a, b)
*a, = "hi"
print(a)

# The starred name always gets a list, whatever was unpacked.
head, *tail = (x * x for x in range(4))
print(head, tail, type(tail).__name__)

for x, *y in [(1, 2, 3), (4,), "ab"]:
    print(x, y)

(a, *b), c = [1, 2], 3
print(a, b, c)
a, (b, *c) = 1, "xyz"
print(a, b, c)
print([rest for first, *rest in [[1, 2], [3], [4, 5, 6]]])

def split(it):
    first, *middle, last = it
    return first, middle, last

print(split(iter([7, 8, 9, 10])))
print(split("ab"))

# Targets can be attributes and subscripts too.
class Box:
    pass

box = Box()
d = {}
box.first, *d["rest"] = 1, 2, 3
print(box.first, d)

for bad in [[], [1], 5, None]:
    try:
        a, *b, c = bad
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)

try:
    a, b, *c = [1]
except ValueError as e:
    print(e)

# An error raised by the iterator itself comes through unchanged.
def broken():
    yield 1
    raise KeyError("from the generator")

try:
    a, *b = broken()
except KeyError as e:
    print("KeyError", e)
