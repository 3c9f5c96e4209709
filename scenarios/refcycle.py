# refcycle -- seed 001's reference counting and garbage collection examples.
#
#   gilscope run scenarios/refcycle.py
import gc
import sys


def refcount():
    a = []
    b = a
    print(sys.getrefcount(a))   # a, b, and getrefcount's own argument: 3
    del b
    print(sys.getrefcount(a))   # 2


def no_cycle():
    x = []
    print(sys.getrefcount(x))   # 2
    del x                       # freed at once: its count dropped to 0


def cycle():
    x = []
    x.append(x)                 # the list refers to itself
    print(sys.getrefcount(x))   # 3
    del x                       # unreachable, but its count is still 1


refcount()
gc.collect()
no_cycle()
print("GC collected: ", gc.collect())   # 0: nothing left to find
cycle()
print("GC collected: ", gc.collect())   # 1: the collector finds the cycle
print(gc.get_threshold())              # (700, 10, 10)
