# PEP 442: a __del__ may resurrect its object (store a reference to it
# somewhere); the object then lives on, and when it dies again its
# __del__ is not called a second time.
import gc

saved = []


class Phoenix:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)
        saved.append(self)


p = Phoenix("p")
del p
print("saved:", [x.name for x in saved])
print("the object is whole:", saved[0].name)
saved.clear()
print("cleared; no second __del__")


# Resurrected from inside a cycle: gc.collect() does not free it, nor
# what it reaches, and returns how many it did free.
class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

    def __del__(self):
        print("__del__", self.name)
        if self.name == "keep":
            saved.append(self)


gc.collect()
a = Node("keep")
b = Node("partner")
a.other = b
b.other = a
del a, b
print("collect:", gc.collect())
print("saved:", [x.name for x in saved], saved[0].other.name)
saved.clear()
print("collect again frees the pair:", gc.collect() > 0)
print("end")
