# gilscope-only: counts as CPython 3.9 does, where each instance owns a separate __dict__
# The lecture's example: two objects with __del__ in a reference cycle.
# Reference counting cannot free them; gc.collect() calls both
# finalizers first (PEP 442), then breaks the cycle, and returns how many
# objects it freed: the two instances and their two __dict__s.
import gc


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

    def __del__(self):
        print("__del__", self.name, "sees", self.other.name)


gc.collect()
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
print("nothing yet")
print("collect:", gc.collect())
print("collect:", gc.collect())

# A self-cycle.
s = Node("self")
s.other = s
del s
print("collect:", gc.collect())

# A resurrected member keeps the whole cycle alive: nothing is freed.
saved = []


class Keeper(Node):
    def __del__(self):
        print("__del__", self.name, "resurrects")
        saved.append(self)


k = Keeper("k")
n = Node("n")
k.other = n
n.other = k
del k, n
print("collect:", gc.collect())
saved.clear()
print("collect after clear (no second __del__):", gc.collect())

# A cycle hanging off a finalizer-less list.
lst = [Node("x"), Node("y")]
lst[0].other = lst[1]
lst[1].other = lst[0]
lst.append(lst)
del lst
print("collect:", gc.collect())
print("garbage:", gc.garbage)
