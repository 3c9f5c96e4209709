# gilscope-only: the number gc.collect() returns is an implementation detail (seed 001, gc_ref_cycle.py)
import sys
import gc


def foo():
    x = []
    x.append(x)
    print(sys.getrefcount(x))
    del x

foo()
print("GC collected: ", gc.collect())
print("GC collected: ", gc.collect())
