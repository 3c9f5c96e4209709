# del, swapping and unpacking assignments.
a, b = 1, 2
a, b = b, a
print(a, b)
x, y, z = "xyz"
x, y, z = z, x, y
print(x, y, z)
first, second = [10, 20]
print(first, second)
p = q = []
p.append(1)
print(p, q, p is q)
v = 5
del v
try:
    print(v)
except NameError:
    print("v is gone")
items = [0, 1, 2, 3, 4]
del items[1]
print(items)
del items[-1]
print(items)
d = {"k": 1, "j": 2}
del d["k"]
print(d)
class Box:
    pass
box = Box()
box.content = "thing"
del box.content
print("attribute deleted")
try:
    box.content
except AttributeError:
    print("AttributeError after del")
m, n = 1, 2
del m, n
print("deleted two names")
i, j = 0, 1
for _ in range(10):
    i, j = j, i + j
print(i, j)
