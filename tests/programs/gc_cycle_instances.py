# gilscope-only: counts as CPython 3.9 does, where each instance owns a separate __dict__
import gc


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
print(gc.collect())

lst = [1, 2]
d = {"list": lst}
lst.append(d)
del lst, d
print(gc.collect())
print(gc.collect())
