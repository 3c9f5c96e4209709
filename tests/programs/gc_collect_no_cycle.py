# gilscope-only: the number gc.collect() returns is an implementation detail (seed 001, gc.py)
import sys
import gc


def foo():
    a = []
    b = a
    print(sys.getrefcount(a))

    del b
    print(sys.getrefcount(a))

foo()
print("GC collected: ", gc.collect())
